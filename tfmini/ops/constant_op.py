"""tf.constant and the Const op; TF's rules for turning Python and numpy values into tensors; what is known of a
tensor's value, and of the shape a shape tensor describes, when the graph is built."""
import numbers
import weakref

import numpy as np

from ..framework import dtypes
from ..framework.op_registry import FOLD_MAX_BYTES, INFERENCE_READS, NOT_DIFFERENTIABLE, InferenceError, register_op
from ..framework.ops import get_default_graph
from ..framework.tensor_shape import Dimension, TensorShape

__all__ = ["constant", "python_to_ndarray", "constant_value"]


def _dense_dims(values):
    if not isinstance(values, (list, tuple)):
        return []
    if not values:
        return [0]
    return [len(values)] + _dense_dims(values[0])


def _flatten(values):
    if isinstance(values, (list, tuple)):
        for v in values:
            yield from _flatten(v)
    else:
        yield values


def _first_incompatible(values, dtype):
    """TF's _AssertCompatible: Python ints for int types, reals for floats, bools for bool."""
    if dtype.is_floating or dtype.is_complex:
        ok = lambda v: isinstance(v, (numbers.Number, np.number, np.bool_, Dimension))  # noqa: E731
    elif dtype.is_integer:
        ok = lambda v: isinstance(v, (numbers.Integral, np.integer, Dimension))  # noqa: E731
    elif dtype.is_bool:
        ok = lambda v: isinstance(v, (bool, np.bool_))  # noqa: E731
    elif dtype == dtypes.string:
        ok = lambda v: isinstance(v, (bytes, str))  # noqa: E731
    else:
        return None
    for v in _flatten(values):
        if isinstance(v, np.ndarray):
            continue
        if not ok(v):
            return v
    return None


def _as_tf_bytes(v):
    return v.encode("utf-8") if isinstance(v, str) else v


def _as_tf_strings(arr):
    """An object array of bytes: TF stores strings as bytes, so a fetched string is b'...'."""
    return np.asarray(np.frompyfunc(_as_tf_bytes, 1, 1)(arr.astype(object)), dtype=object)


def python_to_ndarray(value, dtype=None):
    """The numpy array TF would store for `value` (TF's dtype defaults: float32, int32)."""
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype).base_dtype
    if isinstance(value, (np.ndarray, np.generic)):
        if value.dtype.kind in "USO" and (dtype is None or dtype == dtypes.string):
            return _as_tf_strings(np.asarray(value))
        if dtype is None:
            return np.asarray(value)
        return np.asarray(value).astype(dtype.as_numpy_dtype)
    if value is None:
        raise ValueError("None values not supported.")
    if isinstance(value, Dimension):
        value = value.value
    if isinstance(value, TensorShape):
        value = value.as_list()
    if dtype is not None:
        bad = _first_incompatible(value, dtype)
        if bad is not None:
            raise TypeError("Expected %s, got %r of type '%s' instead." % (dtype.name, bad, type(bad).__name__))
    try:
        arr = np.array(value)
    except ValueError:
        arr = None
    if arr is None or (isinstance(value, (list, tuple)) and list(arr.shape) != _dense_dims(value)):
        raise ValueError("Argument must be a dense tensor: %r - got shape %s, but wanted %s."
                         % (value, list(arr.shape) if arr is not None else [len(value)], _dense_dims(value)))
    if arr.dtype == object and dtype is None:
        bad = next((v for v in _flatten(value) if v is None), None)
        raise TypeError("Failed to convert object of type %s to Tensor. Contents: %r. Consider casting "
                        "elements to a supported type." % (type(value), value if bad is None else value))
    if dtype is None:
        if arr.dtype == np.float64:
            return arr.astype(np.float32)
        if arr.dtype == np.int64:  # Python ints (numpy's default): int32 unless a value needs 64 bits
            if arr.size and (arr.max() > np.iinfo(np.int32).max or arr.min() < np.iinfo(np.int32).min):
                return arr
            return arr.astype(np.int32)
        # other integer types stay, as numpy scalars make them: [np.uint8(10)] is a uint8 tensor in TF
        if arr.dtype.kind in "US":  # from the values: numpy's fixed-width strings drop trailing NULs, TF keeps them
            return _as_tf_strings(np.array(value, dtype=object))
        return arr
    if dtype == dtypes.string:
        return _as_tf_strings(np.array(value, dtype=object) if arr.dtype.kind in "US" else arr)
    if dtype.is_integer and arr.size and arr.dtype.kind in "iu":
        info = np.iinfo(dtype.as_numpy_dtype)
        if arr.max() > info.max or arr.min() < info.min:
            raise TypeError("Can't convert Python int to %s: value out of range" % dtype.name)
    return arr.astype(dtype.as_numpy_dtype)


# =========================================================================== Const
def _const_infer(*, value, dtype):
    return dtype, TensorShape(value.shape)


def _const_kernel(xp, *, value, dtype):
    return xp.asarray(value)


register_op("Const", infer=_const_infer, kernel=_const_kernel, grad=NOT_DIFFERENTIABLE)


def constant(value, dtype=None, shape=None, name="Const", verify_shape=False):
    """A tensor holding `value` (a Python number or list, or a numpy array).

    With `shape`, a scalar is broadcast and a shorter list is padded with its last element (TF1).

    >>> tf.constant([[1., 2.]]).shape
    TensorShape([Dimension(1), Dimension(2)])
    """
    arr = python_to_ndarray(value, dtype)
    if shape is not None:
        shape = TensorShape(shape)
        if not shape.is_fully_defined():
            raise TypeError("Expected Tensor's shape to be fully defined, got %s" % shape)
        target = shape.as_tuple()
        n = int(np.prod(target, dtype=np.int64))
        if verify_shape and arr.shape != target:
            raise TypeError("Expected Tensor's shape: %s, got %s." % (target, arr.shape))
        if arr.size == n:
            arr = arr.reshape(target)
        elif arr.ndim == 0 or arr.size == 1:
            arr = np.full(target, arr.reshape(()), dtype=arr.dtype)
        elif arr.size < n:
            flat = arr.reshape(-1)
            arr = np.concatenate([flat, np.repeat(flat[-1:], n - flat.size)]).reshape(target)
        else:
            # TF1's tf.constant builds with allow_broadcast=False: a ValueError (tf 2's constant: TypeError)
            raise ValueError("Too many elements provided. Needed at most %d, but received %d" % (n, arr.size))
    arr = np.array(arr, order="C")  # a private, read-only copy: kernels and fetches never alias it
    arr.flags.writeable = False
    g = get_default_graph()
    op = g.create_op("Const", [], {"value": arr, "dtype": dtypes.as_dtype(arr.dtype)}, name=name)
    return op._outputs[0]


# =========================================================================== values known when the graph is built
# TF has two readers of a tensor's value at graph-build time, and tfmini follows both:
#
# - an op's shape function (C++: ShapeRefiner::EvaluateConstantTensorForEdge, eval_const_tensor.cc) evaluates the
#   whole constant subgraph behind an input: shape metadata first (Shape/Size/Rank of a known shape, `tf.shape(x)[i]`
#   and `tf.unstack(tf.shape(x))[i]` of a known dimension), then any stateless op on known values, run by its kernel.
#   So `tf.reshape(x, [tf.shape(x)[0], -1])` has a static shape when x's is known;
# - Python code that builds ops (tensor_util.constant_value: tf.cond's and slim's static predicates, the assert_*
#   ops' static checks, gradient functions) sees only a few op types. It must stay narrow: seeing more would build a
#   different graph, or raise at build time where TF raises when the graph runs.
#
# constant_value tells them apart by where it is called from: inside an op's inference (INFERENCE_READS.reads is a
# list, see framework/ops.py) it evaluates; elsewhere it reads as TF's Python does.

# computed values up to this size are kept for the next request (TF's ShapeRefiner::kMaxTensorSize, 1 KiB)
_MAX_CACHED_BYTES = 1024
# ops never evaluated: their values come from feeds or the frames of tf.cond and tf.while_loop (TF's
# IsSupportedForEvaluation: placeholders, Merge, Enter, Exit; tfmini's plans do not fold a Switch either)
_NOT_EVALUATED = frozenset(("Placeholder", "PlaceholderWithDefault", "Switch", "RefSwitch", "Merge", "RefMerge",
                            "Enter", "RefEnter", "Exit", "NextIteration", "LoopCond"))
_SHAPE_READERS = frozenset(("Shape", "Size", "Rank"))
_NEVER = object()  # cached: the value cannot be known at graph-build time, now or later
_LATER = object()  # not known now; a later set_shape may make it known (not cached)
# tensor -> its value (small ones) or _NEVER. Both are lasting: an op's inputs are fixed once it is made (a loop's
# Merge, whose input is set later, is never evaluated), values read from static shapes only ever become known
# (set_shape refines a shape, never changes a known dimension), and a kernel's result on known values is fixed.
# Weak keys: a graph that is dropped takes its entries with it.
_CACHE = weakref.WeakKeyDictionary()


def constant_value(tensor):
    """The value of `tensor` if it is known when the graph is built, else None.

    Inside an op's shape inference, as TF's shape refiner: a Const, a Shape/Size/Rank of a known shape, a known
    dimension `tf.shape(x)[i]`, and any stateless op computed from those (`tf.shape(x)[0] * 2`, `tf.stack(...)`),
    small values only. Elsewhere, as TF's Python `tensor_util.constant_value`: Const, Shape/Size/Rank of a fully
    known shape, and Identity, StopGradient, Cast, Pack, ConcatV2 of those.
    """
    reads = INFERENCE_READS.reads
    if reads is None:
        return _python_constant_value(tensor)
    value = _evaluated_value(tensor)
    if value is not None:
        reads.append(("tensor", tensor, value))  # TF's c->input_tensor(i), for a shape error's context
    return value


def _python_constant_value(tensor):
    """TF's Python tensor_util.constant_value (the op types tfmini reads there)."""
    if tensor is None:
        return None
    op = tensor.op
    t = op.type
    if t == "Const":
        return op.get_attr("value")
    if t in _SHAPE_READERS:
        return _value_from_shape(tensor)
    if t == "Identity" or t == "StopGradient":
        return _python_constant_value(op.inputs[0])
    if t == "Cast":
        v = _python_constant_value(op.inputs[0])
        return None if v is None else v.astype(tensor.dtype.as_numpy_dtype)
    if t == "Pack":
        vals = [_python_constant_value(i) for i in op.inputs]
        if any(v is None for v in vals):
            return None
        return np.stack(vals, axis=op.get_attr("axis"))
    if t == "ConcatV2":
        vals = [_python_constant_value(i) for i in op.inputs[:-1]]
        axis = _python_constant_value(op.inputs[-1])
        if axis is None or any(v is None for v in vals):
            return None
        return np.concatenate(vals, axis=int(axis))
    return None


def _value_from_shape(tensor):
    """The value of a Shape, Size or Rank op read from its input's static shape (None where that is not known):
    TF's TryInferFromShapes."""
    op = tensor.op
    s = op._inputs[0].shape
    if op._type == "Rank":
        return None if s.ndims is None else np.array(s.ndims, dtype=np.int32)
    if not s.is_fully_defined():
        return None
    if op._type == "Shape":
        return np.array(s.as_list(), dtype=tensor.dtype.as_numpy_dtype)
    return np.array(s.num_elements(), dtype=tensor.dtype.as_numpy_dtype)


def _dimension_of_shape(tensor):
    """`tf.shape(x)[i]` (a StridedSlice shrinking one axis at a Const index) or `tf.unstack(tf.shape(x))[i]`, as
    a scalar, when x's dimension i is known, else None (TF's TryInferFromShapes, which reads no other slices)."""
    op = tensor.op
    shape_op = op._inputs[0].op
    if shape_op._type != "Shape" or not tensor.dtype.is_integer:
        return None
    if op._type == "Unpack":
        if op._attrs.get("axis", 0) != 0:
            return None
        i = tensor.value_index
    else:
        a = op._attrs
        if a.get("shrink_axis_mask", 0) != 1 or a.get("begin_mask", 0) or a.get("end_mask", 0) \
                or a.get("ellipsis_mask", 0) or a.get("new_axis_mask", 0) or op._inputs[1].op._type != "Const":
            return None
        begin = op._inputs[1].op._attrs["value"]
        if begin.size != 1:
            return None
        i = int(begin.reshape(-1)[0])
    dims = shape_op._inputs[0].shape.as_tuple()
    if dims is None or not -len(dims) <= i < len(dims) or dims[i] is None:
        return None
    return np.array(dims[i], dtype=tensor.dtype.as_numpy_dtype)


def _evaluated_value(tensor):
    """The value TF's shape refiner finds for `tensor` (EvaluateConstantTensor), else None.

    The ops behind `tensor` are visited depth first with an explicit stack, so that a long chain of ops cannot
    exhaust Python's recursion limit; `found` holds this call's answers (_LATER ones included), `_CACHE` the
    lasting ones."""
    if tensor is None:
        return None
    if tensor._op._type == "Const":  # (most requests: an axis, a literal shape)
        return tensor._op._attrs["value"]
    found = {}
    stack = [tensor]
    while stack:
        t = stack[-1]
        if t in found:
            stack.pop()
            continue
        pending = _evaluate_step(t, found)
        if pending is not None:
            stack.append(pending)
    value = found[tensor]
    return None if value is _NEVER or value is _LATER else value


def _evaluate_step(t, found):
    """Set found[t] (the value, _NEVER or _LATER) when every input of t's op is in `found`; else return the first
    input still to visit."""
    cached = _CACHE.get(t)
    if cached is not None:
        found[t] = cached
        return None
    op = t._op
    kind = op._type
    if kind == "Const":
        found[t] = op._attrs["value"]
        return None
    if kind in _SHAPE_READERS:
        value = _value_from_shape(t)
    elif (kind == "StridedSlice" or kind == "Unpack") and op._inputs[0]._op._type == "Shape":
        value = _dimension_of_shape(t)
    else:
        value = None
    if value is not None:
        found[t] = _remember(t, value)
        return None
    if not _evaluable(op):
        found[t] = _CACHE[t] = _NEVER
        return None
    values = []
    for i in op._inputs:
        v = found.get(i)
        if v is None:
            return i
        if v is _NEVER and kind not in _SHAPE_READERS:  # (the input's shape may still become known: set_shape)
            found[t] = _CACHE[t] = _NEVER
            return None
        if v is _NEVER or v is _LATER:
            found[t] = _LATER
            return None
        values.append(v)
    _run_kernel(op, values, found)
    return None


def _evaluable(op):
    """Whether TF's shape refiner would run `op` on known inputs (IsSupportedForEvaluation): a stateless op with
    inputs, not a feed or part of a tf.cond/tf.while_loop frame, and not making a handle (a dataset's variant)."""
    d = op._op_def
    if op._type in _NOT_EVALUATED or d.stateful or d.needs_ctx or d.session_constant or not op._inputs:
        return False
    for o in op._outputs:
        if o._dtype is dtypes.variant or o._dtype is dtypes.resource:
            return False
    return True


def _run_kernel(op, values, found):
    """Compute all of `op`'s outputs from its inputs' `values` with its numpy kernel, as a plan folds constants
    (runtime/executor.py `_fold`); _NEVER for all of them when the kernel fails (the run reports the error then) or
    a value is too large to compute now."""
    results = None
    if not any(getattr(v, "nbytes", 0) > FOLD_MAX_BYTES for v in values) and not _too_large(op._outputs):
        try:
            with np.errstate(all="ignore"):  # the run warns, if it must, when it computes the same values
                out = op._op_def.kernel(np, *values, **op._attrs)
            n = len(op._outputs)
            results = [np.asarray(v) for v in ((out,) if n == 1 else tuple(out))]
        except Exception:  # noqa: BLE001 - the same error is raised, with the op's context, when the graph runs
            results = None
    if results is None or len(results) != len(op._outputs) or any(r.nbytes > FOLD_MAX_BYTES for r in results):
        for o in op._outputs:
            found[o] = _CACHE[o] = _NEVER
        return
    for o, r in zip(op._outputs, results):
        found[o] = _remember(o, r)


def _too_large(outputs):
    """Whether an output's static shape (known once its op is made) says its value is over FOLD_MAX_BYTES."""
    for o in outputs:
        n = o._shape.num_elements()
        if n is not None and n * np.dtype(o._dtype.as_numpy_dtype).itemsize > FOLD_MAX_BYTES:
            return True
    return False


def _remember(tensor, value):
    """`value` as a read-only array (the cache and every reader share it), kept in the cache when it is small."""
    value = np.asarray(value)
    value.flags.writeable = False
    if value.nbytes <= _MAX_CACHED_BYTES:
        _CACHE[tensor] = value
    return value


def constant_shape(tensor):
    """A TensorShape from a 1-D shape tensor: known entries where the value is partly known (a Pack of known and
    unknown scalars, a slice of `tf.shape(x)` where x's shape is partly known). Inside an op's shape inference as
    TF's shape refiner (ConstantPartialShape, with constant_value's evaluation), elsewhere as TF's Python
    `tensor_util.constant_value_as_shape`.

    >>> p = tf.placeholder(tf.float32, [None, 7, 7, 64])
    >>> tf.zeros(tf.shape(p)[1:]).shape
    TensorShape([Dimension(7), Dimension(7), Dimension(64)])
    """
    return read_as_shape(tensor, _constant_shape)


def read_as_shape(tensor, compute):
    """`compute(tensor)`, a shape read from a shape tensor, noted for a shape error's context as TF's
    MakeShapeFromShapeTensor notes it ("input tensors computed as partial shapes"), not as a value read."""
    reads = INFERENCE_READS.reads
    if reads is None:  # Python code's constant_value_as_shape
        return compute(tensor)
    INFERENCE_READS.reads = []  # (still inside inference: values are evaluated, but noted as the shape only)
    try:
        shape = compute(tensor)
    finally:
        INFERENCE_READS.reads = reads
    reads.append(("shape", tensor, shape))
    return shape


def _constant_shape(tensor):
    """The shape a shape tensor describes, its entries known where their values are: TF's ConstantPartialShape
    reads a Shape's input shape, a Pack's scalars (a negative one is `?`), a ConcatV2's parts and a slice of those,
    and otherwise the tensor's value (-1 is `?`)."""
    if tensor.shape.ndims == 0:
        v = constant_value(tensor)
        if v is not None:
            return TensorShape([int(v)])
        return TensorShape(None)
    if tensor.shape.as_tuple() == (0,):  # no entries: a scalar's shape (an empty slice of a shape included)
        return TensorShape([])
    op = tensor.op
    kind = op.type
    if kind == "Shape":
        return op.inputs[0].shape
    if kind == "ShapeN":
        return op.inputs[tensor.value_index].shape
    if kind == "Pack":
        dims = []
        for i in op.inputs:
            c = constant_value(i)
            dims.append(None if c is None or int(c) < 0 else int(c))
        return TensorShape(dims)
    if kind in ("ConcatV2", "Concat"):
        parts = op.inputs[:-1] if kind == "ConcatV2" else op.inputs[1:]
        shape = TensorShape([])
        for part in parts:  # each part's known entries, in order (TF: an unknown rank makes all unknown)
            shape = shape.concatenate(_constant_shape(part))
        return shape
    if kind == "StridedSlice":
        sliced = _strided_slice_of_shape(op)
        if sliced is not None:
            return sliced
    v = constant_value(tensor)
    if v is not None:
        return _shape_from_value(v)
    if kind == "Cast" and op.inputs[0].dtype.is_integer and tensor.dtype.is_integer:  # int32 <-> int64
        return _constant_shape(op.inputs[0])
    n = tensor.shape[0].value if tensor.shape.ndims == 1 else None
    return TensorShape(None) if n is None else TensorShape([None] * n)


def _shape_from_value(v):
    """The shape a shape tensor's value describes: -1 is `?`; a smaller value is TF's shape error in an op's shape
    inference (MakeShapeFromTensor), and `?` for Python code (tensor_util.constant_value_as_shape)."""
    dims = []
    for d in np.asarray(v).reshape(-1).tolist():
        if d < -1 and INFERENCE_READS.reads is not None:
            raise InferenceError("Invalid value in tensor used for shape: %d" % d)
        dims.append(None if d < 0 else int(d))
    return TensorShape(dims)


def _strided_slice_of_shape(op):
    """A 1-D slice [begin:end:stride] of a shape tensor whose entries are partly known, as TF reads one: no
    ellipsis, new or shrunk axes, a begin or end mask only for the one axis, the bounds and stride known; else None.
    In an op's shape inference the slice is TF's InferenceContext::Subshape (bounds past the rank are clamped, and
    one before its start is TF's shape error); for Python code, Python's slice of the dimensions (tensor_util)."""
    begin, end, strides = (constant_value(t) for t in op.inputs[1:4])
    if begin is None or end is None or strides is None or np.ndim(begin) != 1 or len(begin) != 1:
        return None
    attrs = op._attrs
    if attrs.get("ellipsis_mask", 0) or attrs.get("new_axis_mask", 0) or attrs.get("shrink_axis_mask", 0) \
            or attrs.get("begin_mask", 0) not in (0, 1) or attrs.get("end_mask", 0) not in (0, 1):
        return None
    prev = _constant_shape(op.inputs[0])
    step = int(strides[0])
    b = None if attrs.get("begin_mask", 0) else int(begin[0])
    e = None if attrs.get("end_mask", 0) else int(end[0])
    if step == 0:
        return None
    if INFERENCE_READS.reads is None:
        return None if prev.ndims is None else TensorShape(prev.dims[b:e:step])
    return _subshape(prev, 0 if b is None else b, _TO_THE_END if e is None else e, step)


_TO_THE_END = 2 ** 63 - 1  # TF's end of a slice with end_mask (int64 max)


def _subshape(shape, start, end, stride):
    """TF's InferenceContext::Subshape: the dimensions start, start + stride, ... before end of `shape`."""
    rank = shape.ndims
    if start == 0 and stride == 1 and (end == _TO_THE_END or (rank is not None and end >= rank)):
        return shape
    if rank is None:
        return TensorShape(None)
    start_in, end_in = start, end
    start, end = min(start, rank), min(end, rank)
    if stride < 0 and start == rank:
        start -= 1
    if start < 0:
        start += rank
        if start < 0:
            raise InferenceError("Subshape start out of bounds: %d, for shape with rank %d" % (start_in, rank))
    if end < 0:
        end += rank
        if end < 0:
            raise InferenceError("Subshape end out of bounds: %d, for shape with rank %d" % (end_in, rank))
    if stride > 0 and start > end:
        raise InferenceError("Subshape must have computed start <= end, but is %d and %d (computed from start %d "
                             "and end %d over shape with rank %d)" % (start, end, start_in, end_in, rank))
    if stride < 0 and start < end:
        raise InferenceError("Subshape must have computed start >= end since stride is negative, but is %d and %d "
                             "(computed from start %d and end %d over shape with rank %d and stride%d)"
                             % (start, end, start_in, end_in, rank, stride))
    return TensorShape(shape.dims[start:end:stride])  # (end >= 0 here: Python's slice is TF's loop)
