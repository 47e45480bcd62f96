"""tf.TensorArray as TF 1.x builds it (TensorArrayV3 and its Write/Read/Gather/Scatter/Concat/Split/Size/Grad/Close
ops), with the ops' gradients: what tf.map_fn, tf.scan and RNNs keep one value per step of a tf.while_loop in.

A TensorArray is a handle (a resource: the array each run makes) and a *flow*, a float32 scalar that each write
returns anew: the ops that use the array read the flow, so the graph orders them, and a loop carries the array as
its flow. The gradient of a read writes into the array's gradient array (TensorArrayGradV3, one per tf.gradients
call, `source`), the gradient of a write reads from it; writes to a gradient array add up. Reading an element never
written gives zeros once the elements' shape is known (as a dynamic_rnn cut short by its sequence lengths needs).
"""
import numpy as np

from ..framework import dtypes, errors
from ..framework.op_def_library import convert_one, make_op
from ..framework.op_registry import NOT_DIFFERENTIABLE, register_op
from ..framework.ops import Tensor, colocate_with, control_dependencies, convert_to_tensor, name_scope
from ..framework.tensor_shape import TensorShape, as_shape

__all__ = ["TensorArray", "build_ta_with_new_flow"]


# =========================================================================== the arrays a run makes
class _Array:
    """One run's TensorArray: its elements (None: not written), whether each was read (cleared), its gradients."""

    __slots__ = ("name", "dtype", "values", "read", "dynamic_size", "clear_after_read", "element_shape",
                 "known_shape", "identical_shapes", "aggregate", "grads", "closed")

    def __init__(self, name, dtype, size, dynamic_size, clear_after_read, element_shape, identical_shapes,
                 aggregate=False):
        self.name, self.dtype = name, dtype
        self.values = [None] * size
        self.read = [False] * size
        self.dynamic_size, self.clear_after_read = dynamic_size, clear_after_read
        self.element_shape = element_shape  # a TensorShape (maybe partly known)
        self.known_shape = tuple(element_shape.as_list()) if element_shape.is_fully_defined() else None
        self.identical_shapes = identical_shapes
        self.aggregate = aggregate  # a gradient array: writes to one index add up, unwritten reads are zeros
        self.grads = {}
        self.closed = False

    def __repr__(self):
        return "<TensorArray %s: %d elements of %s>" % (self.name, len(self.values), self.dtype.name)

    def _error(self, msg):
        return errors.InvalidArgumentError(None, None, "TensorArray %s: %s" % (self.name, msg))

    def _index(self, i, writing):
        i = int(i)
        if i < 0:
            raise self._error("Tried to %s index %d but the index is negative"
                              % ("write to" if writing else "read from", i))
        if i >= len(self.values):
            if writing and self.dynamic_size:
                self.values += [None] * (i + 1 - len(self.values))
                self.read += [False] * (i + 1 - len(self.read))
            elif writing:
                raise self._error("Tried to write to index %d but array is not resizeable and size is: %d"
                                  % (i, len(self.values)))
            else:
                raise self._error("Tried to read from index %d but array size is: %d" % (i, len(self.values)))
        return i

    def write(self, i, value):
        i = self._index(i, True)
        value = np.asarray(value)
        if (self.identical_shapes or self.aggregate) and value.shape != self.known_shape:
            dims = self.element_shape.as_tuple()
            if dims is not None and (len(dims) != value.ndim or
                                     any(d is not None and d != v for d, v in zip(dims, value.shape))):
                raise self._error("Could not write to TensorArray index %d because the value shape is %s which is "
                                  "incompatible with the TensorArray's inferred element shape: %s (consider setting "
                                  "infer_shape=False)." % (i, _shape_text(TensorShape(value.shape)),
                                                           _shape_text(self.element_shape)))
            if self.identical_shapes:  # every element has this shape from now on
                self.element_shape = TensorShape(value.shape)
                self.known_shape = value.shape
        if self.values[i] is not None or self.read[i]:
            if not self.aggregate:
                raise self._error("Could not write to TensorArray index %d because it has already been written to."
                                  % i)
            if self.values[i] is not None:
                if self.values[i].shape != value.shape:
                    raise self._error("Could not aggregate to TensorArray index %d because the existing shape is %s "
                                      "but the new input shape is %s." % (i, _shape_text(TensorShape(
                                          self.values[i].shape)), _shape_text(TensorShape(value.shape))))
                value = self.values[i] + value
        self.values[i] = value.copy()  # (as it is now: a variable's storage, a view of another value, may change)

    def read_at(self, i):
        i = self._index(i, False)
        value = self.values[i]
        if value is None:
            if self.read[i]:
                raise self._error("Could not read index %d twice because it was cleared after a previous read "
                                  "(perhaps try setting clear_after_read = false?)." % i)
            # as TF: an element never written is zeros, when the elements' shape is known (declared, or from a write)
            if self.element_shape.is_fully_defined():
                return np.zeros(self.element_shape.as_list(), self.dtype.as_numpy_dtype)
            raise self._error(
                "Could not read from TensorArray index %d.  Furthermore, the element shape is not fully defined: %s.  "
                "It is possible you are working with a resizeable TensorArray and stop_gradients is not allowing the "
                "gradients to be written.  If you set the full element_shape property on the forward TensorArray, the "
                "proper all-zeros tensor will be returned instead of incurring this error."
                % (i, _shape_text(self.element_shape)))
        if self.clear_after_read and not self.aggregate:
            self.values[i] = None
            self.read[i] = True
        return value


def _shape_text(shape):
    dims = shape.as_tuple()
    return "<unknown>" if dims is None else "[%s]" % ",".join("?" if d is None else str(d) for d in dims)


_FLOW = np.float32(0.0)


def _flow():
    return np.array(_FLOW)


# =========================================================================== ops
def _ta_infer(size, *, dtype, element_shape=None, **_):
    return [(dtypes.resource, TensorShape([2])), (dtypes.float32, TensorShape([]))]


def _ta_kernel(ctx, xp, size, *, dtype, element_shape=None, dynamic_size=False, clear_after_read=True,
               identical_element_shapes=False, tensor_array_name="", **_):
    return (_Array(tensor_array_name or ctx.op.name, dtype, int(size), dynamic_size, clear_after_read,
                   element_shape if element_shape is not None else TensorShape(None), identical_element_shapes),
            _flow())


def _write_infer(handle, index, value, flow_in, **_):
    return [(dtypes.float32, TensorShape([]))]


def _write_kernel(xp, handle, index, value, flow_in, **_):
    handle.write(index, value)
    return _flow()


def _read_infer(handle, index, flow_in, *, dtype, **_):
    return [(dtype, TensorShape(None))]


def _read_kernel(xp, handle, index, flow_in, *, dtype, **_):
    return handle.read_at(index)


def _gather_infer(handle, indices, flow_in, *, dtype, element_shape=None, **_):
    shape = element_shape if element_shape is not None else TensorShape(None)
    return [(dtype, TensorShape([None]).concatenate(shape) if shape.ndims is not None else TensorShape(None))]


def _gather_kernel(xp, handle, indices, flow_in, *, dtype, element_shape=None, **_):
    indices = np.asarray(indices).reshape(-1)
    if not len(indices):
        shape = handle.element_shape
        if element_shape is not None and shape.is_compatible_with(element_shape):
            shape = shape.merge_with(element_shape)  # (what the graph knew of the elements)
        if not shape.is_fully_defined():
            raise errors.UnimplementedError(
                None, None, "TensorArray %s: TensorArray has size zero, but element shape %s is not fully defined. "
                "Currently only static shapes are supported when packing zero-size TensorArrays."
                % (handle.name, _shape_text(shape)))
        return np.zeros([0] + shape.as_list(), dtype.as_numpy_dtype)
    values = [handle.read_at(i) for i in indices]
    first = values[0].shape
    for i, v in zip(indices, values):
        if v.shape != first:
            raise handle._error("Could not read from TensorArray index %d: the element shapes are not consistent: "
                                "%s vs. %s" % (i, _shape_text(TensorShape(first)), _shape_text(TensorShape(v.shape))))
    return np.stack(values)


def _scatter_infer(handle, indices, value, flow_in, **_):
    return [(dtypes.float32, TensorShape([]))]


def _scatter_kernel(xp, handle, indices, value, flow_in, **_):
    indices = np.asarray(indices).reshape(-1)
    value = np.asarray(value)
    if value.ndim == 0 or value.shape[0] != len(indices):
        raise handle._error("Expected len(indices) == values.shape[0], but saw: %d vs. %d"
                            % (len(indices), value.shape[0] if value.ndim else 0))
    for k, i in enumerate(indices):
        handle.write(i, value[k])
    return _flow()


def _concat_infer(handle, flow_in, *, dtype, element_shape_except0=None, **_):
    rest = element_shape_except0 if element_shape_except0 is not None else TensorShape(None)
    shape = TensorShape([None]).concatenate(rest) if rest.ndims is not None else TensorShape(None)
    return [(dtype, shape), (dtypes.int64, TensorShape([None]))]


def _concat_kernel(xp, handle, flow_in, *, dtype, element_shape_except0=None, **_):
    values = [handle.read_at(i) for i in range(len(handle.values))]
    lengths = np.array([v.shape[0] if v.ndim else 1 for v in values], np.int64)
    if not values:
        rest = element_shape_except0 if element_shape_except0 is not None else TensorShape(None)
        return np.zeros([0] + (rest.as_list() if rest.is_fully_defined() else []), dtype.as_numpy_dtype), lengths
    return np.concatenate(values), lengths


def _split_infer(handle, value, lengths, flow_in, **_):
    return [(dtypes.float32, TensorShape([]))]


def _split_kernel(xp, handle, value, lengths, flow_in, **_):
    value = np.asarray(value)
    lengths = np.asarray(lengths).reshape(-1)
    if value.ndim == 0 or int(lengths.sum()) != value.shape[0]:
        raise handle._error("Expected sum of lengths to be equal to values.shape[0], but sum of lengths is %d and "
                            "value's shape is: %s" % (int(lengths.sum()), _shape_text(TensorShape(value.shape))))
    if not handle.dynamic_size and len(lengths) != len(handle.values):
        raise handle._error("Expected lengths to be a vector of size %d, but saw: %d"
                            % (len(handle.values), len(lengths)))
    start = 0
    for i, n in enumerate(lengths):
        handle.write(i, value[start:start + int(n)])
        start += int(n)
    return _flow()


def _size_infer(handle, flow_in, **_):
    return [(dtypes.int32, TensorShape([]))]


def _size_kernel(xp, handle, flow_in, **_):
    return np.array(len(handle.values), np.int32)


def _grad_infer(handle, flow_in, *, source, **_):
    return [(dtypes.resource, TensorShape([2])), (dtypes.float32, TensorShape([]))]


def _grad_kernel(xp, handle, flow_in, *, source, **_):
    g = handle.grads.get(source)
    if g is None:  # (made by the first run of the op; the backward loop runs it in every iteration)
        g = handle.grads[source] = _Array("%s@%s" % (handle.name, source), handle.dtype, len(handle.values), False,
                                          False, handle.element_shape, handle.identical_shapes, aggregate=True)
    return g, _flow()


def _close_infer(handle, **_):
    return []


def _close_kernel(xp, handle, **_):
    handle.closed = True


def _grad_source(t):
    """The name scope of the tf.gradients call `t` was made in (TF's _GetGradSource): each call's own gradient
    arrays."""
    tokens = t.name.split("/")
    pos = [i for i, x in enumerate(tokens) if x.startswith("gradients")]
    if not pos:
        raise ValueError("Expected op/tensor name to start with gradients (excluding scope), got: %s. This means that "
                         "a tf.gradients op with this op in its dependency path has a custom name that does not start "
                         "with 'gradients'. Please make sure all calls to tf.gradients that have non-empty `name` "
                         "arguments use names that start with 'gradients'." % t.name)
    return "/".join(tokens[:pos[-1] + 1])


def _grad_array(op, dtype_attr, source, flow):
    """The gradient array, for the tf.gradients call `source`, of the array `op` works on (its first input)."""
    return TensorArray(dtype=op._attrs[dtype_attr], handle=op._inputs[0], flow=flow,
                       colocate_with_first_write_call=False).grad(source=source, flow=flow)


def _barrier_flow(op, flow):
    """`flow` (the gradient of a write's flow), after the write itself: the gradient array is read after it."""
    from .array_ops import identity
    flow_out = identity(op._outputs[0], "flow_out")
    with control_dependencies([flow_out]):
        return identity(flow, "write_barrier")


def _read_grad(op, grad):
    index, flow = op._inputs[1], op._inputs[2]
    return [None, None, _grad_array(op, "dtype", _grad_source(grad), flow).write(index, grad).flow]


def _write_grad(op, flow):
    source = _grad_source(flow)
    flow = _barrier_flow(op, flow)
    return [None, None, _grad_array(op, "T", source, flow).read(op._inputs[1]), flow]


def _gather_grad(op, grad):
    indices, flow = op._inputs[1], op._inputs[2]
    return [None, None, _grad_array(op, "dtype", _grad_source(grad), flow).scatter(indices, grad).flow]


def _scatter_grad(op, flow):
    source = _grad_source(flow)
    flow = _barrier_flow(op, flow)
    return [None, None, _grad_array(op, "T", source, flow).gather(op._inputs[1]), flow]


def _concat_grad(op, grad, unused_lengths_grad):
    flow, lengths = op._inputs[1], op._outputs[1]
    return [None, _grad_array(op, "dtype", _grad_source(grad), flow).split(grad, lengths=lengths).flow]


def _split_grad(op, flow):
    source = _grad_source(flow)
    flow = _barrier_flow(op, flow)
    return [None, _grad_array(op, "T", source, flow).concat(), None, flow]


_KW = dict(stateful=True, cpu_only=True)
register_op("TensorArrayV3", infer=_ta_infer, kernel=_ta_kernel, grad=NOT_DIFFERENTIABLE, needs_ctx=True, **_KW)
register_op("TensorArrayWriteV3", infer=_write_infer, kernel=_write_kernel, grad=_write_grad, **_KW)
register_op("TensorArrayReadV3", infer=_read_infer, kernel=_read_kernel, grad=_read_grad, **_KW)
register_op("TensorArrayGatherV3", infer=_gather_infer, kernel=_gather_kernel, grad=_gather_grad, **_KW)
register_op("TensorArrayScatterV3", infer=_scatter_infer, kernel=_scatter_kernel, grad=_scatter_grad, **_KW)
register_op("TensorArrayConcatV3", infer=_concat_infer, kernel=_concat_kernel, grad=_concat_grad, **_KW)
register_op("TensorArraySplitV3", infer=_split_infer, kernel=_split_kernel, grad=_split_grad, **_KW)
register_op("TensorArraySizeV3", infer=_size_infer, kernel=_size_kernel, grad=NOT_DIFFERENTIABLE, **_KW)
register_op("TensorArrayGradV3", infer=_grad_infer, kernel=_grad_kernel, grad=NOT_DIFFERENTIABLE, **_KW)
register_op("TensorArrayCloseV3", infer=_close_infer, kernel=_close_kernel, grad=NOT_DIFFERENTIABLE, **_KW)


def _ta_op(op_type, name, inputs, attrs, int_inputs=()):
    """Make an `op_type` op in a name scope of its own, as TF's generated wrappers do (its Python-number inputs and a
    loop's Enters for its other inputs are named in it: `TensorArrayWriteV3/index`); `int_inputs`: the positions of
    the int32 inputs (an index, indices, a size) and their names."""
    with name_scope(name, op_type, [x for x in inputs if isinstance(x, Tensor)]) as scope:
        inputs = list(inputs)
        for i, param in int_inputs:
            inputs[i] = convert_one(op_type, param, inputs[i], dtypes.int32)
        return make_op(op_type, inputs, attrs, name=scope)


# =========================================================================== tf.TensorArray
class TensorArray:
    """A list of tensors of one dtype in the graph, written and read one element at a time (or all at once:
    stack/unstack, gather/scatter, concat/split), typically one element per iteration of a tf.while_loop that
    carries it. Each write returns a new TensorArray (the same array, a new flow): use the returned one.

    >>> ta = tf.TensorArray(tf.float32, size=3)
    >>> ta = ta.write(0, x).write(1, y).write(2, z)
    >>> ta.stack()   # shape [3, ...]
    """

    def __init__(self, dtype, size=None, dynamic_size=None, clear_after_read=None, tensor_array_name=None,
                 handle=None, flow=None, infer_shape=True, element_shape=None, colocate_with_first_write_call=True,
                 name=None):
        if handle is not None and tensor_array_name:
            raise ValueError("Cannot provide both `handle` and `tensor_array_name` arguments at the same time.")
        if handle is not None and not isinstance(handle, Tensor):
            raise TypeError("Expected `handle` to be a Tensor, but got `%s` of type `%s` instead."
                            % (handle, type(handle)))
        if handle is None and size is None:
            raise ValueError("Argument `size` must be provided if handle is not provided.")
        if handle is not None and size is not None:
            raise ValueError("Cannot provide both a `handle` and `size` arguments at the same time.")
        if handle is not None and element_shape is not None:
            raise ValueError("Cannot provide both `handle` and `element_shape` arguments at the same time.")
        if handle is not None and dynamic_size is not None:
            raise ValueError("Cannot provide both `handle` and `dynamic_size` arguments at the same time.")
        if handle is not None and clear_after_read is not None:
            raise ValueError("Cannot provide both `handle` and `clear_after_read` arguments at the same time.")
        if clear_after_read is None:
            clear_after_read = True
        self._dynamic_size = dynamic_size or False
        self._dtype = dtypes.as_dtype(dtype).base_dtype
        self._element_shape = [as_shape(element_shape) if element_shape is not None else TensorShape(None)]
        self._infer_shape = infer_shape
        self._size = size
        self._colocate_with_first_write_call = colocate_with_first_write_call
        with name_scope(name, "TensorArray", [x for x in (handle, size, flow) if isinstance(x, Tensor)]) as scope:
            if handle is not None:
                if flow is None:
                    raise ValueError("flow must not be None if handle is not None.")
                self._handle, self._flow = handle, flow
            else:
                size = convert_one("TensorArrayV3", "size", size, dtypes.int32)
                self._handle, self._flow = make_op("TensorArrayV3", [size], {
                    "dtype": self._dtype, "element_shape": self._element_shape[0],
                    "dynamic_size": self._dynamic_size, "clear_after_read": clear_after_read,
                    "identical_element_shapes": infer_shape, "tensor_array_name": tensor_array_name or ""},
                    name=scope)

    @property
    def flow(self):
        """The flow tensor: what orders the array's operations (a loop carries the array as it)."""
        return self._flow

    @property
    def dtype(self):
        return self._dtype

    @property
    def handle(self):
        return self._handle

    @property
    def element_shape(self):
        return self._element_shape[0]

    def _check_element_shape(self, shape):
        if not shape.is_compatible_with(self.element_shape):
            raise ValueError("Inconsistent shapes: saw %s but expected %s " % (shape, self.element_shape))
        if self._infer_shape:
            self._element_shape[0] = self.element_shape.merge_with(shape)

    def _check_dtype(self, value):
        if value.dtype.base_dtype != self._dtype:
            raise TypeError("TensorArray dtype is %s but Op is trying to write dtype %s (the value %s)"
                            % (self._dtype.name, value.dtype.base_dtype.name, value.name))

    def identity(self):
        """The same array with a flow that waits for the control dependencies in force."""
        from .array_ops import identity
        return build_ta_with_new_flow(self, identity(self._flow))

    def grad(self, source, flow=None, name=None):
        """The gradient array of this one for the tf.gradients call `source` (TensorArrayGradV3)."""
        from .array_ops import identity
        if flow is None:
            flow = self.flow
        with name_scope(name, "TensorArrayGrad", [self._handle]):
            with colocate_with(self._handle):
                g_handle, _ = _ta_op("TensorArrayGradV3", name, [self._handle, flow], {"source": source})
                with control_dependencies([g_handle]):
                    flow = identity(flow, name="gradient_flow")
                g = TensorArray(dtype=self._dtype, handle=g_handle, flow=flow, infer_shape=self._infer_shape,
                                colocate_with_first_write_call=False)
                g._element_shape = self._element_shape
                return g

    def read(self, index, name=None):
        """The element at `index` (TensorArrayReadV3)."""
        value = _ta_op("TensorArrayReadV3", name, [self._handle, index, self._flow], {"dtype": self._dtype},
                       [(1, "index")])
        if self._element_shape[0].ndims is not None:
            value.set_shape(self._element_shape[0])
        return value

    def write(self, index, value, name=None):
        """The array with `value` at `index` (TensorArrayWriteV3): use the TensorArray it returns."""
        with name_scope(name, "TensorArrayWrite", [self._handle, index, value]):
            value = convert_to_tensor(value, preferred_dtype=self._dtype, name="value")
            self._check_dtype(value)
            self._check_element_shape(value.shape)
            flow_out = _ta_op("TensorArrayWriteV3", name, [self._handle, index, value, self._flow],
                              {"T": self._dtype}, [(1, "index")])
            return build_ta_with_new_flow(self, flow_out)

    def stack(self, name=None):
        """All the elements, stacked along a new first axis."""
        from .array_ops import range as range_
        from .constant_op import constant_value
        with colocate_with(self._handle):
            with name_scope(name, "TensorArrayStack", [self._handle]):
                value = self.gather(range_(0, self.size()), name=name)
                if self.element_shape.ndims is not None and not self._dynamic_size and self._size is not None:
                    size = self._size if not isinstance(self._size, Tensor) else constant_value(self._size)
                    value.set_shape([None if size is None else int(size)] + self.element_shape.as_list())
                return value

    def gather(self, indices, name=None):
        """The elements at `indices`, stacked (TensorArrayGatherV3)."""
        value = _ta_op("TensorArrayGatherV3", name, [self._handle, indices, self._flow],
                       {"dtype": self._dtype, "element_shape": self._element_shape[0]}, [(1, "indices")])
        if self.element_shape.ndims is not None:
            value.set_shape([None] + self.element_shape.as_list())
        return value

    def concat(self, name=None):
        """All the elements, concatenated along their first axis (TensorArrayConcatV3)."""
        from .constant_op import constant_value
        shape = self.element_shape
        rest = TensorShape(shape.as_tuple()[1:]) if shape.ndims else TensorShape(None)
        value, _ = _ta_op("TensorArrayConcatV3", name, [self._handle, self._flow],
                          {"dtype": self._dtype, "element_shape_except0": rest})
        if shape.ndims:
            dim0 = None
            if self._infer_shape and shape.as_tuple()[0] is not None:
                size = constant_value(self.size())
                if size is not None:
                    dim0 = int(size) * shape.as_tuple()[0]
            value.set_shape([dim0] + list(shape.as_tuple()[1:]))
        return value

    def unstack(self, value, name=None):
        """The array with the slices of `value` along its first axis as its elements."""
        from .array_ops import range as range_, shape as shape_
        with name_scope(name, "TensorArrayUnstack", [self._handle, value]):
            num_elements = shape_(value)[0]
            return self.scatter(indices=range_(0, num_elements), value=value, name=name)

    def scatter(self, indices, value, name=None):
        """The array with the slices of `value` at `indices` (TensorArrayScatterV3)."""
        with name_scope(name, "TensorArrayScatter", [self._handle, value, indices]):
            value = convert_to_tensor(value, preferred_dtype=self._dtype, name="value")
            self._check_dtype(value)
            if value.shape.ndims is not None:
                self._check_element_shape(TensorShape(value.shape.as_tuple()[1:]))
            flow_out = _ta_op("TensorArrayScatterV3", name, [self._handle, indices, value, self._flow],
                              {"T": self._dtype}, [(1, "indices")])
            return build_ta_with_new_flow(self, flow_out)

    def split(self, value, lengths, name=None):
        """The array with the consecutive pieces of `value`, `lengths` rows each (TensorArraySplitV3)."""
        from .constant_op import constant_value
        from .math_ops import cast
        with name_scope(name, "TensorArraySplit", [self._handle, value, lengths]):
            value = convert_to_tensor(value, dtype=self._dtype, name="value")
            lengths_64 = cast(lengths, dtypes.int64)
            clengths = constant_value(lengths_64)
            if value.shape.ndims is not None and clengths is not None and clengths.size and \
                    clengths.max() == clengths.min():
                self._check_element_shape(TensorShape([int(clengths[0])] + list(value.shape.as_tuple()[1:])))
            flow_out = _ta_op("TensorArraySplitV3", name, [self._handle, value, lengths_64, self._flow],
                              {"T": self._dtype})
            return build_ta_with_new_flow(self, flow_out)

    def size(self, name=None):
        """The number of elements (a constant unless the array grows)."""
        if not self._dynamic_size and self._size is not None:
            return convert_to_tensor(self._size, dtype=dtypes.int32)
        return _ta_op("TensorArraySizeV3", name, [self._handle, self._flow], {})

    def close(self, name=None):
        return _ta_op("TensorArrayCloseV3", name, [self._handle], {})

    def __repr__(self):
        return "<tf.TensorArray '%s' dtype=%s>" % (self._handle.op.name, self._dtype.name)


def build_ta_with_new_flow(old_ta, flow):
    """A TensorArray on `old_ta`'s array with the flow `flow` (what each write and a loop's iteration return)."""
    new_ta = TensorArray(dtype=old_ta.dtype, handle=old_ta.handle, flow=flow, infer_shape=old_ta._infer_shape,
                         colocate_with_first_write_call=old_ta._colocate_with_first_write_call)
    new_ta._dynamic_size = old_ta._dynamic_size
    new_ta._size = old_ta._size
    new_ta._element_shape = old_ta._element_shape
    return new_ta
