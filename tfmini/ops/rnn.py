"""tf.nn.dynamic_rnn and tf.nn.static_rnn as TF 1.x builds them: a cell (ops/rnn_cell_impl.py) run along the time
axis, in a tf.while_loop over TensorArrays (dynamic_rnn) or unrolled in Python (static_rnn); with `sequence_length`,
each sequence's outputs past its end are zeros and its state is copied through."""
from ..framework import dtypes, nest
from ..framework.ops import convert_to_tensor, name_scope
from ..framework.tensor_shape import TensorShape
from ..variable_scope import variable_scope
from . import array_ops, math_ops
from .constant_op import constant
from .control_flow_ops import while_loop
from .rnn_cell_impl import _concat, assert_like_rnncell
from .tensor_array_ops import TensorArray

__all__ = ["dynamic_rnn", "static_rnn"]


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


def _rnn_step(time, sequence_length, zero_output, state, call_cell):
    """One step with sequence lengths: where `time >= sequence_length`, the zero output and the old state."""
    flat_state = nest.flatten(state)
    flat_zero_output = nest.flatten(zero_output)
    copy_cond = time >= sequence_length

    def copy_one_through(output, new_output):
        if output.shape.ndims == 0:
            return new_output
        return array_ops.where(copy_cond, output, new_output)
    new_output, new_state = call_cell()
    nest.assert_same_structure(zero_output, new_output)
    nest.assert_same_structure(state, new_state)
    final_output = [copy_one_through(z, o) for z, o in zip(flat_zero_output, nest.flatten(new_output))]
    final_state = [copy_one_through(s, n) for s, n in zip(flat_state, nest.flatten(new_state))]
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
            sequence_length = math_ops.cast(sequence_length, dtypes.int32)
            sequence_length = array_ops.identity(sequence_length, name="sequence_length")
            zero_output = nest.pack_sequence_as(cell.output_size, [
                array_ops.zeros(_concat(batch_size, size), _infer_state_dtype(dtype, state))
                for size in nest.flatten(cell.output_size)])
        for time, input_ in enumerate(inputs):
            if time > 0:
                varscope.reuse_variables()

            def call_cell(input_=input_, state=state):
                return cell(input_, state)
            if sequence_length is not None:
                output, state = _rnn_step(time, sequence_length, zero_output, state, call_cell)
            else:
                output, state = call_cell()
            outputs.append(output)
        return outputs, state
