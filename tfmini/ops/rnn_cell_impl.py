"""tf.nn.rnn_cell: TF 1.x's RNN cells (BasicRNNCell, GRUCell, BasicLSTMCell, LSTMCell, MultiRNNCell) as layers whose
variables have TF's names and shapes (`rnn/basic_lstm_cell/kernel` [input + units, 4 * units]), so checkpoints move
between tfmini and TensorFlow. A cell maps (input, state) to (output, new state) for one step; tf.nn.dynamic_rnn
runs it along a sequence in a tf.while_loop."""
import collections

from ..framework import dtypes, nest
from ..framework.ops import Tensor, convert_to_tensor, name_scope
from ..framework.tensor_shape import TensorShape
from ..layers.base import InputSpec, Layer, get_activation
from ..variable_scope import get_variable_scope, variable_scope
from . import array_ops, math_ops, nn_ops
from .constant_op import constant, constant_value

__all__ = ["RNNCell", "LayerRNNCell", "BasicRNNCell", "GRUCell", "BasicLSTMCell", "LSTMCell", "LSTMStateTuple",
           "MultiRNNCell", "DropoutWrapper", "ResidualWrapper", "DeviceWrapper"]

_WEIGHTS_VARIABLE_NAME = "kernel"
_BIAS_VARIABLE_NAME = "bias"


def _concat(prefix, suffix, static=False):
    """[batch] + a state's size: a Python list (static) or an int32 vector tensor (TF's _concat)."""
    if isinstance(prefix, Tensor):
        p, p_static = prefix, constant_value(prefix)
        if p.shape.ndims == 0:
            p = array_ops.expand_dims(p, 0)
        p_static = [int(p_static)] if p_static is not None and getattr(p_static, "ndim", 1) == 0 else \
            (list(p_static) if p_static is not None else [None])
    else:
        p_static = TensorShape(prefix).as_list() if TensorShape(prefix).ndims is not None else None
        p = constant(p_static, dtype=dtypes.int32) if TensorShape(prefix).is_fully_defined() else None
    s_shape = TensorShape(suffix)
    s_static = s_shape.as_list() if s_shape.ndims is not None else None
    if static:
        if p_static is None or s_static is None:
            return None
        return p_static + s_static
    s = constant(s_static, dtype=dtypes.int32) if s_shape.is_fully_defined() else None
    if p is None or s is None:
        raise ValueError("Provided a prefix or suffix of None: %s and %s" % (prefix, suffix))
    return array_ops.concat((p, s), 0)


def _zero_state_tensors(state_size, batch_size, dtype):
    def get_state_shape(s):
        zeros = array_ops.zeros(_concat(batch_size, s), dtype=dtype)
        static = _concat(batch_size, s, static=True)
        if static is not None:
            zeros.set_shape(static)
        return zeros
    return nest.map_structure(get_state_shape, state_size)


def _check_input_dtypes(inputs):
    for t in nest.flatten(inputs):
        t = convert_to_tensor(t)
        if not (t.dtype.is_floating or t.dtype.is_complex):
            raise ValueError("RNN cell only supports floating point inputs, but saw dtype: %s" % t.dtype.name)


class RNNCell(Layer):
    """An RNN cell: `cell(inputs, state)` -> (output, new_state) for one step; `state_size`, `output_size`, and
    `zero_state(batch_size, dtype)` (the initial state of zeros)."""

    @property
    def state_size(self):
        raise NotImplementedError("Abstract method")

    @property
    def output_size(self):
        raise NotImplementedError("Abstract method")

    def build(self, _):
        pass

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
        if inputs is not None:
            inputs = convert_to_tensor(inputs, name="inputs")
            batch_size = inputs.shape.as_tuple()[0] or array_ops.shape(inputs)[0]
            dtype = inputs.dtype
        if batch_size is None or dtype is None:
            raise ValueError("batch_size and dtype cannot be None while constructing initial state: batch_size=%s, "
                             "dtype=%s" % (batch_size, dtype))
        return self.zero_state(batch_size, dtype)

    def zero_state(self, batch_size, dtype):
        """The state of zeros for a batch of `batch_size` (an int or a scalar int32 tensor)."""
        with name_scope(type(self).__name__ + "ZeroState"):
            return _zero_state_tensors(self.state_size, batch_size, dtype)

    def __call__(self, inputs, state, scope=None):
        # TF's RNNCell (MultiRNNCell, a user's cell) re-enters the variable scope of its first call (or `scope`),
        # so its ops go under e.g. 'rnnlm_1/rnnlm/multi_rnn_cell/' when that scope is entered a second time
        if scope is not None:
            with variable_scope(scope) as scope:
                return Layer.__call__(self, inputs, state, scope=scope)
        if getattr(self, "_rnncell_scope", None) is None:
            self._rnncell_scope = get_variable_scope()
        with variable_scope(self._rnncell_scope):
            return Layer.__call__(self, inputs, state)


class LayerRNNCell(RNNCell):
    """An RNN cell whose variables are made by `build` (TF's LayerRNNCell): called as a Layer directly."""

    def __call__(self, inputs, state, scope=None):
        return Layer.__call__(self, inputs, state, scope=scope)


class BasicRNNCell(LayerRNNCell):
    """output = new_state = activation(W [input, state] + b) (default tanh)."""

    def __init__(self, num_units, activation=None, reuse=None, name=None, dtype=None, **kwargs):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        self.input_spec = InputSpec(ndim=2)
        self._num_units = num_units
        self._activation = get_activation(activation) if activation else math_ops.tanh

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units

    def build(self, inputs_shape):
        depth = _input_depth(inputs_shape)
        from ..init_ops import zeros_initializer
        self._kernel = self.add_weight(_WEIGHTS_VARIABLE_NAME, shape=[depth + self._num_units, self._num_units])
        self._bias = self.add_weight(_BIAS_VARIABLE_NAME, shape=[self._num_units], initializer=zeros_initializer())
        self.built = True

    def call(self, inputs, state):
        _check_input_dtypes([inputs, state])
        gate_inputs = math_ops.matmul(array_ops.concat([inputs, state], 1), self._kernel)
        gate_inputs = nn_ops.bias_add(gate_inputs, self._bias)
        output = self._activation(gate_inputs)
        return output, output


def _input_depth(inputs_shape):
    dims = TensorShape(inputs_shape).as_tuple()
    if dims is None or dims[-1] is None:
        raise ValueError("Expected inputs.shape[-1] to be known, saw shape: %s" % str(TensorShape(inputs_shape)))
    return dims[-1]


class GRUCell(LayerRNNCell):
    """Gated recurrent unit (Cho et al. 2014): gates r, u = sigmoid(W_g [input, state] + b_g) (bias 1.0); candidate
    c = activation(W_c [input, r * state] + b_c); new state = u * state + (1 - u) * c."""

    def __init__(self, num_units, activation=None, reuse=None, kernel_initializer=None, bias_initializer=None,
                 name=None, dtype=None, **kwargs):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        self.input_spec = InputSpec(ndim=2)
        self._num_units = num_units
        self._activation = get_activation(activation) if activation else math_ops.tanh
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units

    def build(self, inputs_shape):
        from ..init_ops import constant_initializer, zeros_initializer
        depth = _input_depth(inputs_shape)
        n = self._num_units
        self._gate_kernel = self.add_weight("gates/%s" % _WEIGHTS_VARIABLE_NAME, shape=[depth + n, 2 * n],
                                            initializer=self._kernel_initializer)
        self._gate_bias = self.add_weight("gates/%s" % _BIAS_VARIABLE_NAME, shape=[2 * n],
                                          initializer=self._bias_initializer if self._bias_initializer is not None
                                          else constant_initializer(1.0))
        self._candidate_kernel = self.add_weight("candidate/%s" % _WEIGHTS_VARIABLE_NAME, shape=[depth + n, n],
                                                 initializer=self._kernel_initializer)
        self._candidate_bias = self.add_weight("candidate/%s" % _BIAS_VARIABLE_NAME, shape=[n],
                                               initializer=self._bias_initializer
                                               if self._bias_initializer is not None else zeros_initializer())
        self.built = True

    def call(self, inputs, state):
        _check_input_dtypes([inputs, state])
        gate_inputs = math_ops.matmul(array_ops.concat([inputs, state], 1), self._gate_kernel)
        gate_inputs = nn_ops.bias_add(gate_inputs, self._gate_bias)
        value = math_ops.sigmoid(gate_inputs)
        r, u = array_ops.split(value=value, num_or_size_splits=2, axis=1)
        r_state = r * state
        candidate = math_ops.matmul(array_ops.concat([inputs, r_state], 1), self._candidate_kernel)
        candidate = nn_ops.bias_add(candidate, self._candidate_bias)
        c = self._activation(candidate)
        new_h = u * state + (1 - u) * c
        return new_h, new_h


_LSTMStateTuple = collections.namedtuple("LSTMStateTuple", ("c", "h"))


class LSTMStateTuple(_LSTMStateTuple):
    """An LSTM's state: (c, h), the cell state and the output."""

    __slots__ = ()

    @property
    def dtype(self):
        c, h = self
        if c.dtype != h.dtype:
            raise TypeError("Inconsistent internal state: %s vs %s" % (str(c.dtype), str(h.dtype)))
        return c.dtype


class BasicLSTMCell(LayerRNNCell):
    """Long short-term memory (Zaremba et al. 2014): gates i, j, f, o from W [input, h] + b; new c = c *
    sigmoid(f + forget_bias) + sigmoid(i) * tanh(j); new h = tanh(new c) * sigmoid(o). The state is an
    LSTMStateTuple (c, h) unless state_is_tuple=False (c and h concatenated)."""

    def __init__(self, num_units, forget_bias=1.0, state_is_tuple=True, activation=None, reuse=None, name=None,
                 dtype=None, **kwargs):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        self.input_spec = InputSpec(ndim=2)
        self._num_units = num_units
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = get_activation(activation) if activation else math_ops.tanh

    @property
    def state_size(self):
        return LSTMStateTuple(self._num_units, self._num_units) if self._state_is_tuple else 2 * self._num_units

    @property
    def output_size(self):
        return self._num_units

    def build(self, inputs_shape):
        from ..init_ops import zeros_initializer
        depth = _input_depth(inputs_shape)
        self._kernel = self.add_weight(_WEIGHTS_VARIABLE_NAME, shape=[depth + self._num_units, 4 * self._num_units])
        self._bias = self.add_weight(_BIAS_VARIABLE_NAME, shape=[4 * self._num_units],
                                     initializer=zeros_initializer())
        self.built = True

    def call(self, inputs, state):
        _check_input_dtypes([inputs, state])
        sigmoid = math_ops.sigmoid
        one = constant(1, dtype=dtypes.int32)
        if self._state_is_tuple:
            c, h = state
        else:
            c, h = array_ops.split(value=state, num_or_size_splits=2, axis=one)
        gate_inputs = math_ops.matmul(array_ops.concat([inputs, h], 1), self._kernel)
        gate_inputs = nn_ops.bias_add(gate_inputs, self._bias)
        i, j, f, o = array_ops.split(value=gate_inputs, num_or_size_splits=4, axis=one)
        forget_bias_tensor = constant(self._forget_bias, dtype=f.dtype)
        new_c = math_ops.add(math_ops.multiply(c, sigmoid(math_ops.add(f, forget_bias_tensor))),
                             math_ops.multiply(sigmoid(i), self._activation(j)))
        new_h = math_ops.multiply(self._activation(new_c), sigmoid(o))
        new_state = LSTMStateTuple(new_c, new_h) if self._state_is_tuple else array_ops.concat([new_c, new_h], 1)
        return new_h, new_state


class LSTMCell(LayerRNNCell):
    """LSTM with optional peepholes (use_peepholes), cell clipping (cell_clip) and a projection of the output
    (num_proj, proj_clip) (Hochreiter & Schmidhuber 1997; Sak et al. 2014)."""

    def __init__(self, num_units, use_peepholes=False, cell_clip=None, initializer=None, num_proj=None, proj_clip=None,
                 num_unit_shards=None, num_proj_shards=None, forget_bias=1.0, state_is_tuple=True, activation=None,
                 reuse=None, name=None, dtype=None, **kwargs):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        if num_unit_shards is not None or num_proj_shards is not None:
            raise NotImplementedError("LSTMCell's num_unit_shards and num_proj_shards (deprecated in TF 1.x) are not "
                                      "supported by tfmini")
        self.input_spec = InputSpec(ndim=2)
        self._num_units = num_units
        self._use_peepholes = use_peepholes
        self._cell_clip = cell_clip
        self._initializer = initializer
        self._num_proj = num_proj
        self._proj_clip = proj_clip
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = get_activation(activation) if activation else math_ops.tanh
        if num_proj:
            self._state_size = LSTMStateTuple(num_units, num_proj) if state_is_tuple else num_units + num_proj
            self._output_size = num_proj
        else:
            self._state_size = LSTMStateTuple(num_units, num_units) if state_is_tuple else 2 * num_units
            self._output_size = num_units

    @property
    def state_size(self):
        return self._state_size

    @property
    def output_size(self):
        return self._output_size

    def build(self, inputs_shape):
        from ..init_ops import zeros_initializer
        depth = _input_depth(inputs_shape)
        h_depth = self._num_units if self._num_proj is None else self._num_proj
        self._kernel = self.add_weight(_WEIGHTS_VARIABLE_NAME, shape=[depth + h_depth, 4 * self._num_units],
                                       initializer=self._initializer)
        self._bias = self.add_weight(_BIAS_VARIABLE_NAME, shape=[4 * self._num_units], initializer=zeros_initializer())
        if self._use_peepholes:
            self._w_f_diag = self.add_weight("w_f_diag", shape=[self._num_units], initializer=self._initializer)
            self._w_i_diag = self.add_weight("w_i_diag", shape=[self._num_units], initializer=self._initializer)
            self._w_o_diag = self.add_weight("w_o_diag", shape=[self._num_units], initializer=self._initializer)
        if self._num_proj is not None:
            self._proj_kernel = self.add_weight("projection/%s" % _WEIGHTS_VARIABLE_NAME,
                                                shape=[self._num_units, self._num_proj], initializer=self._initializer)
        self.built = True

    def call(self, inputs, state):
        _check_input_dtypes([inputs, state])
        num_proj = self._num_units if self._num_proj is None else self._num_proj
        sigmoid = math_ops.sigmoid
        if self._state_is_tuple:
            c_prev, m_prev = state
        else:
            c_prev = array_ops.slice(state, [0, 0], [-1, self._num_units])
            m_prev = array_ops.slice(state, [0, self._num_units], [-1, num_proj])
        lstm_matrix = math_ops.matmul(array_ops.concat([inputs, m_prev], 1), self._kernel)
        lstm_matrix = nn_ops.bias_add(lstm_matrix, self._bias)
        i, j, f, o = array_ops.split(value=lstm_matrix, num_or_size_splits=4, axis=1)
        if self._use_peepholes:
            c = (sigmoid(f + self._forget_bias + self._w_f_diag * c_prev) * c_prev +
                 sigmoid(i + self._w_i_diag * c_prev) * self._activation(j))
        else:
            c = sigmoid(f + self._forget_bias) * c_prev + sigmoid(i) * self._activation(j)
        if self._cell_clip is not None:
            c = math_ops.clip_by_value(c, -self._cell_clip, self._cell_clip)
        if self._use_peepholes:
            m = sigmoid(o + self._w_o_diag * c) * self._activation(c)
        else:
            m = sigmoid(o) * self._activation(c)
        if self._num_proj is not None:
            m = math_ops.matmul(m, self._proj_kernel)
            if self._proj_clip is not None:
                m = math_ops.clip_by_value(m, -self._proj_clip, self._proj_clip)
        new_state = LSTMStateTuple(c, m) if self._state_is_tuple else array_ops.concat([c, m], 1)
        return m, new_state


class MultiRNNCell(RNNCell):
    """Cells stacked: each one's output is the next one's input (their variables under `cell_0`, `cell_1`, ...);
    the state is the tuple of theirs."""

    def __init__(self, cells, state_is_tuple=True):
        super().__init__()
        if not cells:
            raise ValueError("Must specify at least one cell for MultiRNNCell.")
        if not isinstance(cells, (list, tuple)):
            raise TypeError("cells must be a list or tuple, but saw: %s." % (cells,))
        if len({id(cell) for cell in cells}) < len(cells):
            import logging
            logging.getLogger("tensorflow").warning("At least two cells provided to MultiRNNCell are the same object "
                                                    "and will share weights.")
        self._cells = cells
        self._state_is_tuple = state_is_tuple
        if not state_is_tuple and any(nest.is_sequence(c.state_size) for c in cells):
            raise ValueError("Some cells return tuples of states, but the flag state_is_tuple is not set.  State "
                             "sizes are: %s" % str([c.state_size for c in cells]))

    @property
    def state_size(self):
        if self._state_is_tuple:
            return tuple(cell.state_size for cell in self._cells)
        return sum(cell.state_size for cell in self._cells)

    @property
    def output_size(self):
        return self._cells[-1].output_size

    def zero_state(self, batch_size, dtype):
        with name_scope(type(self).__name__ + "ZeroState"):
            if self._state_is_tuple:
                return tuple(cell.zero_state(batch_size, dtype) for cell in self._cells)
            return _zero_state_tensors(self.state_size, batch_size, dtype)

    @property
    def trainable_weights(self):
        return [w for cell in self._cells for w in cell.trainable_weights] if self.trainable else []

    @property
    def non_trainable_weights(self):
        return [w for cell in self._cells for w in cell.non_trainable_weights]

    def call(self, inputs, state):
        cur_state_pos = 0
        cur_inp = inputs
        new_states = []
        for i, cell in enumerate(self._cells):
            with variable_scope("cell_%d" % i):
                if self._state_is_tuple:
                    if not nest.is_sequence(state):
                        raise ValueError("Expected state to be a tuple of length %d, but received: %s"
                                         % (len(self.state_size), state))
                    cur_state = state[i]
                else:
                    cur_state = array_ops.slice(state, [0, cur_state_pos], [-1, cell.state_size])
                    cur_state_pos += cell.state_size
                cur_inp, new_state = cell(cur_inp, cur_state)
                new_states.append(new_state)
        new_states = tuple(new_states) if self._state_is_tuple else array_ops.concat(new_states, 1)
        return cur_inp, new_states


def _default_dropout_state_filter(substate):
    """TF's default: drop every part of a state but an LSTM's cell state c."""
    if isinstance(substate, LSTMStateTuple):
        return LSTMStateTuple(c=False, h=True)
    return True


def _state_mask(visitor, state):
    """For each tensor of `state` (in nest.flatten's order), whether to drop it out: `visitor` is asked about the state
    and, while it answers True, about each part (a bool for all of a part, or one bool per sub-part), as TF does."""
    answer = visitor(state)
    parts = list(state) if isinstance(state, (list, tuple)) else None
    if isinstance(answer, bool):
        if parts is None:
            return [answer]
        if not answer:
            return [False] * len(nest.flatten(state))
        return [flag for part in parts for flag in _state_mask(visitor, part)]
    return [flag for flag, part in zip(answer, parts) for flag in [flag] * len(nest.flatten(part))]


class DropoutWrapper(RNNCell):
    """`cell` with dropout on its inputs, outputs and new state (`*_keep_prob`: a number or a scalar tensor, such as
    a placeholder that is 1.0 when evaluating). With `variational_recurrent`, one mask per sequence (Gal &
    Ghahramani 2016) instead of one per step. An LSTM's cell state c is not dropped. The cell's variables keep their
    names (`rnn/basic_lstm_cell/kernel`).

    >>> cell = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicLSTMCell(64), output_keep_prob=keep_prob)
    """

    def __init__(self, cell, input_keep_prob=1.0, output_keep_prob=1.0, state_keep_prob=1.0,
                 variational_recurrent=False, input_size=None, dtype=None, seed=None,
                 dropout_state_filter_visitor=None):
        super().__init__()
        assert_like_rnncell("cell", cell)
        if dropout_state_filter_visitor is not None and not callable(dropout_state_filter_visitor):
            raise TypeError("dropout_state_filter_visitor must be callable")
        self._cell = cell
        self._filter = dropout_state_filter_visitor or _default_dropout_state_filter
        with name_scope("DropoutWrapperInit"):
            for prob, attr in [(input_keep_prob, "input_keep_prob"), (state_keep_prob, "state_keep_prob"),
                               (output_keep_prob, "output_keep_prob")]:
                tensor_prob = convert_to_tensor(prob)
                const_prob = constant_value(tensor_prob)
                if const_prob is not None:
                    if const_prob < 0 or const_prob > 1:
                        raise ValueError("Parameter %s must be between 0 and 1: %d" % (attr, const_prob))
                    setattr(self, "_%s" % attr, float(const_prob))
                else:
                    setattr(self, "_%s" % attr, tensor_prob)
        self._variational_recurrent = variational_recurrent
        self._seed = seed
        self._noise = {}
        if variational_recurrent:
            if dtype is None:
                raise ValueError("When variational_recurrent=True, dtype must be provided")
            from .random_ops import random_uniform

            def batch_noise(size, what, i):
                shape = array_ops.concat(([1], TensorShape(size).as_list()), 0)
                return random_uniform(shape, seed=self._gen_seed(what, i), dtype=dtype)
            if not isinstance(self._input_keep_prob, float) or self._input_keep_prob < 1.0:
                if input_size is None:
                    raise ValueError("When variational_recurrent=True and input_keep_prob < 1.0 or is unknown, "
                                     "input_size must be provided")
                self._noise["input"] = [batch_noise(sz, "input", i) for i, sz in enumerate(nest.flatten(input_size))]
            self._noise["state"] = [batch_noise(sz, "state", i) for i, sz in enumerate(nest.flatten(cell.state_size))]
            self._noise["output"] = [batch_noise(sz, "output", i)
                                     for i, sz in enumerate(nest.flatten(cell.output_size))]

    def _gen_seed(self, salt_prefix, index):
        if self._seed is None:
            return None
        import hashlib
        string = (str(self._seed) + "%s_%d" % (salt_prefix, index)).encode("utf-8")
        return int(hashlib.md5(string).hexdigest()[:8], 16) & 0x7FFFFFFF

    @property
    def wrapped_cell(self):
        return self._cell

    @property
    def state_size(self):
        return self._cell.state_size

    @property
    def output_size(self):
        return self._cell.output_size

    def zero_state(self, batch_size, dtype):
        with name_scope(type(self).__name__ + "ZeroState"):
            return self._cell.zero_state(batch_size, dtype)

    def _dropout(self, values, what, keep_prob, flat_mask=None):
        flat = nest.flatten(values)
        flat_mask = flat_mask if flat_mask is not None else [True] * len(flat)
        out = []
        for i, (v, do) in enumerate(zip(flat, flat_mask)):
            if not do:
                out.append(v)
            elif self._variational_recurrent:
                binary = math_ops.floor(keep_prob + self._noise[what][i])
                dropped = math_ops.divide(v, keep_prob) * binary
                dropped.set_shape(v.shape)
                out.append(dropped)
            else:
                out.append(nn_ops.dropout(v, rate=1.0 - keep_prob, seed=self._gen_seed(what, i)))
        return nest.pack_sequence_as(values, out)

    def __call__(self, inputs, state, scope=None):
        def should_dropout(p):
            return not isinstance(p, float) or p < 1
        if should_dropout(self._input_keep_prob):
            inputs = self._dropout(inputs, "input", self._input_keep_prob)
        output, new_state = self._cell(inputs, state, scope=scope)
        if should_dropout(self._state_keep_prob):
            new_state = self._dropout(new_state, "state", self._state_keep_prob, _state_mask(self._filter, new_state))
        if should_dropout(self._output_keep_prob):
            output = self._dropout(output, "output", self._output_keep_prob)
        return output, new_state

    @property
    def trainable_weights(self):
        return self._cell.trainable_weights

    @property
    def non_trainable_weights(self):
        return self._cell.non_trainable_weights


class _RNNCellWrapper(RNNCell):
    """A cell that calls `cell` (whose variables keep their names) and does something around the call."""

    def __init__(self, cell):
        super().__init__()
        assert_like_rnncell("cell", cell)
        self.cell = cell

    @property
    def state_size(self):
        return self.cell.state_size

    @property
    def output_size(self):
        return self.cell.output_size

    def zero_state(self, batch_size, dtype):
        with name_scope(type(self).__name__ + "ZeroState"):
            return self.cell.zero_state(batch_size, dtype)

    @property
    def trainable_weights(self):
        return self.cell.trainable_weights

    @property
    def non_trainable_weights(self):
        return self.cell.non_trainable_weights


class ResidualWrapper(_RNNCellWrapper):
    """`cell` whose output is its input plus its output (a residual connection; input and output must have the same
    shape), or `residual_fn(inputs, outputs)`; the state is the cell's.

    >>> cell = tf.nn.rnn_cell.ResidualWrapper(tf.nn.rnn_cell.GRUCell(3))   # inputs of depth 3
    """

    def __init__(self, cell, residual_fn=None):
        super().__init__(cell)
        self._residual_fn = residual_fn

    def __call__(self, inputs, state, scope=None):
        outputs, new_state = self.cell(inputs, state, scope=scope)

        def default_residual_fn(inputs, outputs):
            nest.assert_same_structure(inputs, outputs)
            nest.map_structure(lambda inp, out: inp.shape.assert_is_compatible_with(out.shape), inputs, outputs)
            return nest.map_structure(lambda inp, out: inp + out, inputs, outputs)
        return (self._residual_fn or default_residual_fn)(inputs, outputs), new_state


class DeviceWrapper(_RNNCellWrapper):
    """`cell` built under tf.device(`device`): its ops (and its zero state) on that device.

    >>> cell = tf.nn.rnn_cell.DeviceWrapper(tf.nn.rnn_cell.LSTMCell(64), "/gpu:0")
    """

    def __init__(self, cell, device):
        super().__init__(cell)
        self._device = device

    def zero_state(self, batch_size, dtype):
        from ..framework.ops import device
        with name_scope(type(self).__name__ + "ZeroState"), device(self._device):
            return self.cell.zero_state(batch_size, dtype)

    def __call__(self, inputs, state, scope=None):
        from ..framework.ops import device
        with device(self._device):
            return self.cell(inputs, state, scope=scope)


def assert_like_rnncell(cell_name, cell):
    """TypeError unless `cell` has what an RNN cell has (output_size, state_size, get_initial_state, calling)."""
    missing = [what for what, ok in [("'output_size' property is missing", hasattr(cell, "output_size")),
                                     ("'state_size' property is missing", hasattr(cell, "state_size")),
                                     ("'get_initial_state' method is required", hasattr(cell, "get_initial_state")
                                      or hasattr(cell, "zero_state")),
                                     ("is not callable", callable(cell))] if not ok]
    if missing:
        raise TypeError("The argument %r (%s) is not an RNNCell: %s." % (cell_name, cell, ", ".join(missing)))
