"""tf.nn.dynamic_rnn and tf.nn.static_rnn as TF 1.x builds them: a cell (ops/rnn_cell_impl.py) run along the time
axis, in a tf.while_loop over TensorArrays (dynamic_rnn) or unrolled in Python (static_rnn); with `sequence_length`,
each sequence's outputs past its end are zeros and its state is copied through. On top: the bidirectional RNNs (a
second RNN over each sequence reversed with tf.reverse_sequence) and raw_rnn (a loop whose steps a function steers)."""
from ..framework import dtypes, nest
from ..framework.ops import convert_to_tensor, name_scope
from ..framework.tensor_shape import TensorShape
from ..variable_scope import variable_scope
from . import array_ops, math_ops
from .constant_op import constant
from .control_flow_ops import while_loop
from .rnn_cell_impl import _concat, assert_like_rnncell
from .tensor_array_ops import TensorArray

__all__ = ["dynamic_rnn", "static_rnn", "bidirectional_dynamic_rnn", "static_bidirectional_rnn", "raw_rnn"]


def _transpose_batch_time(x):
    """[batch, time, ...] <-> [time, batch, ...]."""
    dims = x.shape.as_tuple()
    if dims is not None and len(dims) < 2:
        return x
    x_t = array_ops.transpose(x, array_ops.concat(([1, 0], array_ops.range(2, array_ops.rank(x))), axis=0))
    if dims is not None:
        x_t.set_shape(TensorShape([dims[1], dims[0]] + list(dims[2:])))
    return x_t


def _best_effort_input_batch_size(flat_input):
    for input_ in flat_input:
        dims = input_.shape.as_tuple()
        if dims is None:
            continue
        if len(dims) < 2:
            raise ValueError("Input tensor should have rank >= 2. Received input=%s of rank %d" % (input_, len(dims)))
        if dims[1] is not None:
            return dims[1]
    return array_ops.shape(flat_input[0])[1]


def _infer_state_dtype(explicit_dtype, state):
    if explicit_dtype is not None:
        return explicit_dtype
    flat = nest.flatten(state)
    if not flat:
        raise ValueError("Unable to infer dtype from argument state=%s." % (state,))
    if any(x.dtype != flat[0].dtype for x in flat):
        raise ValueError("Argument state=%s has tensors of different inferred dtypes. Unable to infer a single "
                         "representative dtype. Dtypes received: %s" % (state, [x.dtype for x in flat]))
    return flat[0].dtype


def _rnn_step(time, sequence_length, zero_output, state, call_cell, min_sequence_length=None,
              max_sequence_length=None, skip_conditionals=True):
    """One step with sequence lengths: where `time >= sequence_length`, the zero output and the old state. As TF,
    dynamic_rnn calls the cell always (skip_conditionals); static_rnn calls it in tf.cond's that skip it when every
    sequence has ended (`time >= max_sequence_length`) and skip the copying while none has (`< min`)."""
    flat_state = nest.flatten(state)
    flat_zero_output = nest.flatten(zero_output)
    copy_cond = time >= sequence_length

    def copy_one_through(output, new_output):
        if output.shape.ndims == 0:
            return new_output
        return array_ops.where(copy_cond, output, new_output)

    def copy_some_through(flat_new_output, flat_new_state):
        return ([copy_one_through(z, o) for z, o in zip(flat_zero_output, flat_new_output)] +
                [copy_one_through(s, n) for s, n in zip(flat_state, flat_new_state)])

    def new_output_and_state():
        new_output, new_state = call_cell()
        nest.assert_same_structure(zero_output, new_output)
        nest.assert_same_structure(state, new_state)
        return nest.flatten(new_output), nest.flatten(new_state)

    if skip_conditionals:
        final_output_and_state = copy_some_through(*new_output_and_state())
    else:
        from .control_flow_ops import cond

        def maybe_copy_some_through():
            flat_new_output, flat_new_state = new_output_and_state()
            return cond(time < min_sequence_length, lambda: flat_new_output + flat_new_state,
                        lambda: copy_some_through(flat_new_output, flat_new_state))
        final_output_and_state = cond(time >= max_sequence_length, lambda: flat_zero_output + flat_state,
                                      maybe_copy_some_through)
        if not isinstance(final_output_and_state, (list, tuple)):  # (cond returns a single tensor unpacked)
            final_output_and_state = [final_output_and_state]
    final_output = final_output_and_state[:len(flat_zero_output)]
    final_state = final_output_and_state[len(flat_zero_output):]
    for output, zero in zip(final_output, flat_zero_output):
        output.set_shape(zero.shape)
    for substate, old in zip(final_state, flat_state):
        substate.set_shape(old.shape)
    return (nest.pack_sequence_as(zero_output, final_output), nest.pack_sequence_as(state, final_state))


def _dynamic_rnn_loop(cell, inputs, initial_state, parallel_iterations, swap_memory, sequence_length=None,
                      dtype=None):
    state = initial_state
    flat_input = nest.flatten(inputs)
    flat_output_size = nest.flatten(cell.output_size)
    input_shape = array_ops.shape(flat_input[0])
    time_steps = input_shape[0]
    batch_size = _best_effort_input_batch_size(flat_input)
    inputs_got_shape = []
    for input_ in flat_input:
        dims = input_.shape.as_tuple()
        if dims is None or len(dims) < 3:
            raise ValueError("Shape must be at least rank 3 but is rank %s" % ("unknown" if dims is None
                                                                                else len(dims)))
        inputs_got_shape.append(dims)
    const_time_steps, const_batch_size = inputs_got_shape[0][:2]
    for input_, dims in zip(flat_input, inputs_got_shape):
        if any(d is None for d in dims[2:]):
            raise ValueError("Input size (depth of inputs) must be accessible via shape inference, but saw value None "
                             "for input=%s." % input_)
        if dims[0] != const_time_steps:
            raise ValueError("Time steps is not the same for all the elements in the input in a batch. Received time "
                             "steps=%s for input=%s." % (dims[0], input_))
        if dims[1] != const_batch_size:
            raise ValueError("Batch_size is not the same for all the elements in the input. Received batch size=%s "
                             "for input=%s." % (dims[1], input_))
    state_dtype = _infer_state_dtype(dtype, state)

    def create_zero_arrays(size):
        return array_ops.zeros(_concat(batch_size, size), state_dtype)
    zero_output = nest.pack_sequence_as(cell.output_size, [create_zero_arrays(o) for o in flat_output_size])
    if sequence_length is not None:
        max_sequence_length = math_ops.reduce_max(sequence_length)
    else:
        max_sequence_length = time_steps
    time = constant(0, dtype=dtypes.int32, name="time")
    with name_scope("dynamic_rnn") as scope:
        base_name = scope

    def create_ta(name, element_shape, dtype):
        return TensorArray(dtype=dtype, size=time_steps, element_shape=element_shape,
                           tensor_array_name=base_name + name)
    output_ta = tuple(create_ta("output_%d" % i, TensorShape([const_batch_size]).concatenate(TensorShape(size)),
                                state_dtype) for i, size in enumerate(flat_output_size))
    input_ta = tuple(create_ta("input_%d" % i, TensorShape(inputs_got_shape[i][1:]), x.dtype)
                     for i, x in enumerate(flat_input))
    input_ta = tuple(ta.unstack(x) for ta, x in zip(input_ta, flat_input))

    def time_step(time, output_ta_t, state):
        input_t = tuple(ta.read(time) for ta in input_ta)
        for input_, dims in zip(input_t, inputs_got_shape):
            input_.set_shape(TensorShape(dims[1:]))
        input_t = nest.pack_sequence_as(inputs, list(input_t))

        def call_cell():
            return cell(input_t, state)
        if sequence_length is not None:
            output, new_state = _rnn_step(time, sequence_length, zero_output, state, call_cell)
        else:
            output, new_state = call_cell()
        output = nest.flatten(output)
        output_ta_t = tuple(ta.write(time, out) for ta, out in zip(output_ta_t, output))
        return time + 1, output_ta_t, new_state
    loop_bound = math_ops.minimum(time_steps, math_ops.maximum(1, max_sequence_length))
    _, output_final_ta, final_state = while_loop(
        lambda time, *_: time < loop_bound, time_step, loop_vars=(time, output_ta, state),
        parallel_iterations=parallel_iterations, maximum_iterations=time_steps, swap_memory=swap_memory)
    final_outputs = tuple(ta.stack() for ta in output_final_ta)
    for output, size in zip(final_outputs, flat_output_size):
        output.set_shape(TensorShape([const_time_steps, const_batch_size]).concatenate(TensorShape(size)))
    return nest.pack_sequence_as(cell.output_size, list(final_outputs)), final_state


def _initial_state(cell, initial_state, batch_size, dtype, dtype_words):
    """`initial_state`, or the cell's zero state when it is None (then `dtype` is needed: TF's ValueError)."""
    if initial_state is not None:
        return initial_state
    if not dtype:
        raise ValueError("If no initial_state is provided, %s must be specified" % dtype_words)
    return cell.zero_state(batch_size, dtype)


def dynamic_rnn(cell, inputs, sequence_length=None, initial_state=None, dtype=None, parallel_iterations=None,
                swap_memory=False, time_major=False, scope=None):
    """Run `cell` along the time axis of `inputs` ([batch, time, depth], or [time, batch, depth] with
    `time_major`) in a tf.while_loop: (outputs [batch, time, output_size], final state). `sequence_length` (a
    [batch] int vector) ends each sequence early: its outputs after are zeros, its state stays. The variables live in
    the variable scope `scope` (default "rnn"): `rnn/basic_lstm_cell/kernel`, as in TensorFlow.

    >>> cell = tf.nn.rnn_cell.BasicLSTMCell(64)
    >>> outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)   # x: [batch, 28, 28]
    """
    assert_like_rnncell("cell", cell)
    with variable_scope(scope or "rnn"):
        flat_input = nest.flatten(inputs)
        if not time_major:
            flat_input = [convert_to_tensor(input_) for input_ in flat_input]
            flat_input = tuple(_transpose_batch_time(input_) for input_ in flat_input)
        parallel_iterations = parallel_iterations or 32
        if sequence_length is not None:
            sequence_length = math_ops.cast(sequence_length, dtypes.int32)
            if sequence_length.shape.ndims not in (None, 1):
                raise ValueError("Argument sequence_length must be a vector of length batch_size. Received "
                                 "sequence_length=%s of shape: %s" % (sequence_length, sequence_length.shape))
            sequence_length = array_ops.identity(sequence_length, name="sequence_length")
        batch_size = _best_effort_input_batch_size(flat_input)
        state = _initial_state(cell, initial_state, batch_size, dtype, "argument `dtype`")
        if sequence_length is not None:
            from .control_flow_ops import Assert, with_dependencies
            x_shape = array_ops.shape(sequence_length)
            packed_shape = array_ops.stack([batch_size])
            check = Assert(math_ops.reduce_all(math_ops.equal(x_shape, packed_shape)),
                           ["Expected shape for Tensor %s is " % sequence_length.name, packed_shape,
                            " but saw shape: ", x_shape])
            sequence_length = with_dependencies([check], sequence_length, name="CheckSeqLen")
        inputs = nest.pack_sequence_as(inputs, list(flat_input))
        outputs, final_state = _dynamic_rnn_loop(cell, inputs, state, parallel_iterations=parallel_iterations,
                                                 swap_memory=swap_memory, sequence_length=sequence_length,
                                                 dtype=dtype)
        if not time_major:
            outputs = nest.map_structure(_transpose_batch_time, outputs)
        return outputs, final_state


def static_rnn(cell, inputs, initial_state=None, dtype=None, sequence_length=None, scope=None):
    """Run `cell` over the list `inputs` (one [batch, depth] tensor per time step), unrolled in the graph: (the list
    of outputs, the final state); variables in the scope "rnn", as dynamic_rnn's."""
    assert_like_rnncell("cell", cell)
    if not isinstance(inputs, (list, tuple)):
        raise TypeError("inputs must be a sequence")
    if not inputs:
        raise ValueError("inputs must not be empty")
    outputs = []
    with variable_scope(scope or "rnn") as varscope:
        first_input = inputs[0]
        while isinstance(first_input, (list, tuple)):
            first_input = first_input[0]
        first_input = convert_to_tensor(first_input)
        dims = first_input.shape.as_tuple()
        if dims is None or len(dims) < 2:
            raise ValueError("Input must have rank at least 2")
        batch_size = dims[0] if dims[0] is not None else array_ops.shape(first_input)[0]
        state = _initial_state(cell, initial_state, batch_size, dtype, "dtype")
        if sequence_length is not None:
            sequence_length = convert_to_tensor(sequence_length, name="sequence_length")
            if sequence_length.shape.ndims not in (None, 1):
                raise ValueError("sequence_length must be a vector of length batch_size")
            zero_output = nest.pack_sequence_as(cell.output_size, [
                array_ops.zeros(_concat(batch_size, size), _infer_state_dtype(dtype, state))
                for size in nest.flatten(cell.output_size)])
            sequence_length = math_ops.cast(sequence_length, dtypes.int32)
            min_sequence_length = math_ops.reduce_min(sequence_length)
            max_sequence_length = math_ops.reduce_max(sequence_length)
        for time, input_ in enumerate(inputs):
            if time > 0:
                varscope.reuse_variables()

            def call_cell(input_=input_, state=state):
                return cell(input_, state)
            if sequence_length is not None:
                output, state = _rnn_step(time, sequence_length, zero_output, state, call_cell,
                                          min_sequence_length, max_sequence_length, skip_conditionals=False)
            else:
                output, state = call_cell()
            outputs.append(output)
        return outputs, state


def _reverse(input_, seq_lengths, seq_axis, batch_axis):
    """`input_` reversed along `seq_axis`: the first seq_lengths[b] steps of each sequence b, or all of them."""
    if seq_lengths is not None:
        return array_ops.reverse_sequence(input=input_, seq_lengths=seq_lengths, seq_axis=seq_axis,
                                          batch_axis=batch_axis)
    return array_ops.reverse(input_, axis=[seq_axis])


def bidirectional_dynamic_rnn(cell_fw, cell_bw, inputs, sequence_length=None, initial_state_fw=None,
                              initial_state_bw=None, dtype=None, parallel_iterations=None, swap_memory=False,
                              time_major=False, scope=None):
    """Two dynamic_rnn's over `inputs`: `cell_fw` forward, `cell_bw` over each sequence reversed (its first
    `sequence_length[b]` steps, with tf.reverse_sequence), its outputs reversed back. Returns ((output_fw,
    output_bw), (state_fw, state_bw)); the outputs are [batch, time, output_size] (time-major with `time_major`):
    tf.concat(outputs, 2) joins them. Variables under `bidirectional_rnn/fw/...` and `bidirectional_rnn/bw/...`.

    >>> (out_fw, out_bw), (state_fw, state_bw) = tf.nn.bidirectional_dynamic_rnn(
    ...     tf.nn.rnn_cell.LSTMCell(64), tf.nn.rnn_cell.LSTMCell(64), x, sequence_length=lengths, dtype=tf.float32)
    """
    assert_like_rnncell("cell_fw", cell_fw)
    assert_like_rnncell("cell_bw", cell_bw)
    time_axis, batch_axis = (0, 1) if time_major else (1, 0)
    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            output_fw, output_state_fw = dynamic_rnn(
                cell_fw, inputs, sequence_length=sequence_length, initial_state=initial_state_fw, dtype=dtype,
                parallel_iterations=parallel_iterations, swap_memory=swap_memory, time_major=time_major,
                scope=fw_scope)
        with variable_scope("bw") as bw_scope:
            inputs_reverse = nest.map_structure(lambda x: _reverse(x, sequence_length, time_axis, batch_axis), inputs)
            tmp, output_state_bw = dynamic_rnn(
                cell_bw, inputs_reverse, sequence_length=sequence_length, initial_state=initial_state_bw,
                dtype=dtype, parallel_iterations=parallel_iterations, swap_memory=swap_memory, time_major=time_major,
                scope=bw_scope)
    # (outside the scopes, as TF builds it: the backward outputs' reversal is the graph's top-level "ReverseSequence")
    output_bw = _reverse(tmp, sequence_length, time_axis, batch_axis)
    return (output_fw, output_bw), (output_state_fw, output_state_bw)


def _reverse_seq(input_seq, lengths):
    """A list of [batch, ...] tensors (one per step; each may be a nested structure) reversed in time: each
    sequence b's first lengths[b] steps (stacked, tf.reverse_sequence, unstacked), or the whole list."""
    if lengths is None:
        return list(reversed(input_seq))
    flat_input_seq = tuple(nest.flatten(input_) for input_ in input_seq)
    flat_results = [[] for _ in input_seq]
    for sequence in zip(*flat_input_seq):
        input_shape = TensorShape(None) if sequence[0].shape.ndims is None else \
            TensorShape([None] * sequence[0].shape.ndims)
        for input_ in sequence:
            input_shape.assert_is_compatible_with(input_.shape)
            input_.set_shape(input_shape)
        s_reversed = array_ops.reverse_sequence(array_ops.stack(sequence), lengths, 0, 1)
        for r, flat_result in zip(array_ops.unstack(s_reversed), flat_results):
            r.set_shape(input_shape)
            flat_result.append(r)
    return [nest.pack_sequence_as(input_, flat_result) for input_, flat_result in zip(input_seq, flat_results)]


def static_bidirectional_rnn(cell_fw, cell_bw, inputs, initial_state_fw=None, initial_state_bw=None, dtype=None,
                             sequence_length=None, scope=None):
    """static_rnn forward and over the reversed list `inputs` (one [batch, depth] tensor per step): (the list of
    outputs, each the forward and backward outputs concatenated [batch, fw + bw size], the forward final state,
    the backward final state). Variables under `bidirectional_rnn/fw/...` and `bidirectional_rnn/bw/...`."""
    assert_like_rnncell("cell_fw", cell_fw)
    assert_like_rnncell("cell_bw", cell_bw)
    if not nest.is_sequence(inputs):
        raise TypeError("inputs must be a sequence")
    if not inputs:
        raise ValueError("inputs must not be empty")
    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            output_fw, output_state_fw = static_rnn(cell_fw, inputs, initial_state_fw, dtype, sequence_length,
                                                    scope=fw_scope)
        with variable_scope("bw") as bw_scope:
            reversed_inputs = _reverse_seq(inputs, sequence_length)
            tmp, output_state_bw = static_rnn(cell_bw, reversed_inputs, initial_state_bw, dtype, sequence_length,
                                              scope=bw_scope)
    output_bw = _reverse_seq(tmp, sequence_length)
    flat_outputs = tuple(array_ops.concat([fw, bw], 1)
                         for fw, bw in zip(nest.flatten(output_fw), nest.flatten(output_bw)))
    return nest.pack_sequence_as(output_fw, flat_outputs), output_state_fw, output_state_bw


def raw_rnn(cell, loop_fn, parallel_iterations=None, swap_memory=False, scope=None):
    """An RNN whose every step `loop_fn` steers (TF 1.x's raw_rnn), in a tf.while_loop that runs until every batch
    entry is finished. `loop_fn(time, cell_output, cell_state, loop_state)` returns (finished [batch] bool, the
    next input, the next cell state, the output to emit, the next loop state); it is called once with
    cell_output = cell_state = loop_state = None at time 0 (return the initial state there, and the emit
    structure or None for the cell's output size), then after each step. An entry's emitted output is zeros and
    its state copied through once it is finished. Returns (the emitted outputs as TensorArrays (.stack() ->
    [time, batch, ...]), the final state, the final loop state or None).

    >>> def loop_fn(time, cell_output, cell_state, loop_state):
    ...     state = cell.zero_state(batch, tf.float32) if cell_output is None else cell_state
    ...     finished = time >= lengths
    ...     next_input = tf.cond(tf.reduce_all(finished), lambda: tf.zeros([batch, depth]),
    ...                          lambda: inputs_ta.read(time))
    ...     return finished, next_input, state, cell_output, None
    >>> outputs_ta, final_state, _ = tf.nn.raw_rnn(cell, loop_fn)
    """
    assert_like_rnncell("cell", cell)
    if not callable(loop_fn):
        raise TypeError("loop_fn must be a callable")
    parallel_iterations = parallel_iterations or 32
    with variable_scope(scope or "rnn"):
        time = constant(0, dtype=dtypes.int32)
        elements_finished, next_input, initial_state, emit_structure, init_loop_state = loop_fn(time, None, None, None)
        flat_input = [convert_to_tensor(x) for x in nest.flatten(next_input)]
        next_input = nest.pack_sequence_as(next_input, flat_input)
        loop_state = init_loop_state if init_loop_state is not None else constant(0, dtype=dtypes.int32)
        static_batch_size = None
        for input_ in flat_input:
            dims = input_.shape.as_tuple()
            dim = dims[0] if dims else None
            if static_batch_size is not None and dim is not None and dim != static_batch_size:
                raise ValueError("Dimensions %d and %d are not compatible" % (static_batch_size, dim))
            static_batch_size = static_batch_size if dim is None else dim
        batch_size = static_batch_size if static_batch_size is not None else array_ops.shape(flat_input[0])[0]
        nest.assert_same_structure(initial_state, cell.state_size)
        flat_state = [convert_to_tensor(s) for s in nest.flatten(initial_state)]
        state = nest.pack_sequence_as(initial_state, flat_state)
        if emit_structure is not None:
            flat_emit_structure = nest.flatten(emit_structure)
            flat_emit_size = [e.shape if e.shape.is_fully_defined() else array_ops.shape(e)
                              for e in flat_emit_structure]
            flat_emit_dtypes = [e.dtype for e in flat_emit_structure]
        else:
            emit_structure = cell.output_size
            flat_emit_size = nest.flatten(emit_structure)
            flat_emit_dtypes = [flat_state[0].dtype] * len(flat_emit_size)

        def element_shape(size):
            rest = TensorShape(size) if not hasattr(size, "op") else TensorShape(None)
            return TensorShape([static_batch_size]).concatenate(rest)
        flat_emit_ta = [TensorArray(dtype=dtype, dynamic_size=True, element_shape=element_shape(size), size=0,
                                    name="rnn_output_%d" % i)
                        for i, (dtype, size) in enumerate(zip(flat_emit_dtypes, flat_emit_size))]
        emit_ta = nest.pack_sequence_as(emit_structure, flat_emit_ta)
        zero_emit = nest.pack_sequence_as(emit_structure, [array_ops.zeros(_concat(batch_size, size), dtype)
                                                           for size, dtype in zip(flat_emit_size, flat_emit_dtypes)])

        def condition(unused_time, elements_finished, *_):
            return math_ops.logical_not(math_ops.reduce_all(elements_finished))

        def body(time, elements_finished, current_input, emit_ta, state, loop_state):
            next_output, cell_state = cell(current_input, state)
            nest.assert_same_structure(state, cell_state)
            nest.assert_same_structure(cell.output_size, next_output)
            next_time = time + 1
            next_finished, next_input, next_state, emit_output, next_loop_state = loop_fn(
                next_time, next_output, cell_state, loop_state)
            nest.assert_same_structure(state, next_state)
            nest.assert_same_structure(current_input, next_input)
            nest.assert_same_structure(emit_ta, emit_output)
            loop_state = loop_state if next_loop_state is None else next_loop_state

            def copy_some_through(current, candidate):
                def copy_fn(cur, cand):
                    if isinstance(cur, TensorArray) or cur.shape.ndims == 0:
                        return cand
                    return array_ops.where(elements_finished, cur, cand)
                return nest.map_structure(copy_fn, current, candidate)
            emit_output = copy_some_through(zero_emit, emit_output)
            next_state = copy_some_through(state, next_state)
            emit_ta = nest.map_structure(lambda ta, emit: ta.write(time, emit), emit_ta, emit_output)
            elements_finished = math_ops.logical_or(elements_finished, next_finished)
            return next_time, elements_finished, next_input, emit_ta, next_state, loop_state
        returned = while_loop(condition, body, loop_vars=[time, elements_finished, next_input, emit_ta, state,
                                                          loop_state],
                              parallel_iterations=parallel_iterations, swap_memory=swap_memory)
        emit_ta, final_state, final_loop_state = returned[-3:]
        return emit_ta, final_state, final_loop_state if init_loop_state is not None else None
