"""tf.constant and the Const op; TF's rules for turning Python and numpy values into tensors."""
import numbers

import numpy as np

from ..framework import dtypes
from ..framework.op_registry import INFERENCE_READS, NOT_DIFFERENTIABLE, register_op
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
        if arr.dtype.kind in "iu":
            if arr.size and (arr.max() > np.iinfo(np.int32).max or arr.min() < np.iinfo(np.int32).min):
                return arr.astype(np.int64)
            return arr.astype(np.int32)
        if arr.dtype.kind in "US":
            return _as_tf_strings(arr)
        return arr
    if dtype == dtypes.string:
        return _as_tf_strings(arr)
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


def constant_value(tensor):
    """The value of `tensor` if it is known when the graph is built (a Const, or the Shape of a
    fully known tensor), else None. Shape inference uses this where TF does."""
    value = _constant_value(tensor)
    reads = INFERENCE_READS.reads
    if reads is not None and value is not None:
        reads.append(("tensor", tensor, value))  # TF's c->input_tensor(i), for a shape error's context
    return value


def _constant_value(tensor):
    if tensor is None:
        return None
    op = tensor.op
    t = op.type
    if t == "Const":
        return op.get_attr("value")
    if t == "Shape":
        s = op.inputs[0].shape
        if s.is_fully_defined():
            return np.array(s.as_list(), dtype=tensor.dtype.as_numpy_dtype)
        return None
    if t == "Size":
        s = op.inputs[0].shape
        if s.is_fully_defined():
            return np.array(s.num_elements(), dtype=tensor.dtype.as_numpy_dtype)
        return None
    if t == "Rank":
        s = op.inputs[0].shape
        if s.ndims is not None:
            return np.array(s.ndims, dtype=np.int32)
        return None
    if t == "Identity" or t == "StopGradient":
        return _constant_value(op.inputs[0])
    if t == "Cast":
        v = _constant_value(op.inputs[0])
        return None if v is None else v.astype(tensor.dtype.as_numpy_dtype)
    if t == "Pack":
        vals = [_constant_value(i) for i in op.inputs]
        if any(v is None for v in vals):
            return None
        return np.stack(vals, axis=op.get_attr("axis"))
    if t == "ConcatV2":
        vals = [_constant_value(i) for i in op.inputs[:-1]]
        axis = _constant_value(op.inputs[-1])
        if axis is None or any(v is None for v in vals):
            return None
        return np.concatenate(vals, axis=int(axis))
    return None


def constant_shape(tensor):
    """A TensorShape from a 1-D shape tensor: known entries where the value is partly known
    (a Pack of constants and unknowns, as TF's `tensor_util.constant_value_as_shape`)."""
    return read_as_shape(tensor, _constant_shape)


def read_as_shape(tensor, compute):
    """`compute(tensor)`, a shape read from a shape tensor, noted for a shape error's context as TF's
    MakeShapeFromShapeTensor notes it ("input tensors computed as partial shapes"), not as a value read."""
    reads = INFERENCE_READS.reads
    INFERENCE_READS.reads = None
    try:
        shape = compute(tensor)
    finally:
        INFERENCE_READS.reads = reads
    if reads is not None:
        reads.append(("shape", tensor, shape))
    return shape


def _constant_shape(tensor):
    if tensor.shape.ndims == 0:
        v = constant_value(tensor)
        if v is not None:
            return TensorShape([int(v)])
        return TensorShape(None)
    v = constant_value(tensor)
    if v is not None:
        return TensorShape([None if d == -1 else int(d) for d in np.asarray(v).reshape(-1)])
    op = tensor.op
    if op.type == "Pack":
        dims = []
        for i in op.inputs:
            c = constant_value(i)
            dims.append(None if c is None or int(c) == -1 else int(c))
        return TensorShape(dims)
    if op.type == "Shape":
        return op.inputs[0].shape
    if op.type in ("ConcatV2", "Concat"):
        parts = op.inputs[:-1] if op.type == "ConcatV2" else op.inputs[1:]
        shape = TensorShape([])
        for part in parts:  # each part's known entries, in order (TF: an unknown rank makes all unknown)
            shape = shape.concatenate(_constant_shape(part))
        return shape
    if op.type == "StridedSlice":
        sliced = _strided_slice_of_shape(op)
        if sliced is not None:
            return sliced
    if op.type == "Cast" and op.inputs[0].dtype.is_integer and tensor.dtype.is_integer:  # int32 <-> int64
        return _constant_shape(op.inputs[0])
    n = tensor.shape[0].value if tensor.shape.ndims == 1 else None
    return TensorShape(None) if n is None else TensorShape([None] * n)


def _strided_slice_of_shape(op):
    """A 1-D slice [begin:end:stride] of a shape tensor whose entries are partly known, as TF reads one: a
    positive stride, bounds within the shape's rank, no ellipsis, new or shrunk axes, a begin or end mask only
    for the one axis; else None (TF's graph construction refuses some of the others: a negative stride, a
    bound out of range)."""
    begin, end, strides = (constant_value(t) for t in op.inputs[1:4])
    if begin is None or end is None or strides is None or np.ndim(begin) != 1 or len(begin) != 1:
        return None
    attrs = op._attrs
    if attrs.get("ellipsis_mask", 0) or attrs.get("new_axis_mask", 0) or attrs.get("shrink_axis_mask", 0) \
            or attrs.get("begin_mask", 0) not in (0, 1) or attrs.get("end_mask", 0) not in (0, 1):
        return None
    prev = _constant_shape(op.inputs[0])
    rank, step = prev.ndims, int(strides[0])
    b = None if attrs.get("begin_mask", 0) else int(begin[0])
    e = None if attrs.get("end_mask", 0) else int(end[0])
    if rank is None or step <= 0 or any(v is not None and not -rank <= v <= rank for v in (b, e)):
        return None
    return TensorShape(prev.dims[b:e:step])
