"""Array ops: placeholders, identity, filling, shapes and reshaping, slicing, joining, gathering."""
import numpy as np

from ..framework import dtypes
from ..framework.op_def_library import convert_one, make_op
from ..framework.op_registry import GRADIENT_PENDING, NOT_DIFFERENTIABLE, InferenceError, register_op
from ..framework.ops import Tensor, convert_to_tensor, get_default_graph, name_scope
from ..framework.tensor_shape import TensorShape, as_shape
from .constant_op import constant, constant_shape, constant_value

__all__ = [
    "placeholder", "placeholder_with_default", "identity", "stop_gradient", "zeros", "ones", "fill",
    "zeros_like", "ones_like", "shape", "size", "rank", "reshape",
]


# =========================================================================== Placeholder
def _placeholder_infer(*, dtype, shape):
    return dtype, shape


def _placeholder_kernel(xp, *, dtype, shape):
    # never called: a plan that needs an unfed placeholder is refused before it runs
    raise AssertionError("unfed placeholder reached the executor")


register_op("Placeholder", infer=_placeholder_infer, kernel=_placeholder_kernel, grad=NOT_DIFFERENTIABLE)


def placeholder(dtype, shape=None, name=None):
    """A tensor whose value must be fed with `feed_dict` at run time.

    >>> tf.placeholder(tf.float32, [None, 2])
    <tf.Tensor 'Placeholder:0' shape=(?, 2) dtype=float32>
    """
    dtype = dtypes.as_dtype(dtype).base_dtype
    shape = TensorShape(None) if shape is None else as_shape(shape)
    g = get_default_graph()
    return g.create_op("Placeholder", [], {"dtype": dtype, "shape": shape}, name=name or "Placeholder")._outputs[0]


def _pwd_infer(inp, *, dtype, shape):
    if not inp.shape.is_compatible_with(shape):
        raise InferenceError("Shapes %s and %s are incompatible" % (inp.shape, shape))
    return dtype, shape


def _pwd_kernel(xp, inp, *, dtype, shape):
    return inp


register_op("PlaceholderWithDefault", infer=_pwd_infer, kernel=_pwd_kernel, grad=GRADIENT_PENDING,
            aliases_input=True)


def placeholder_with_default(input, shape, name=None):  # noqa: A002 - TF's name
    """A placeholder that takes the value of `input` when it is not fed."""
    with name_scope(name, "PlaceholderWithDefault", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        return make_op("PlaceholderWithDefault", [x], {"dtype": x.dtype.base_dtype, "shape": as_shape(shape)},
                       name=scope)


# =========================================================================== Identity / StopGradient
def _identity_infer(x, **_):
    return x.dtype.base_dtype, x.shape


def _identity_kernel(xp, x, **_):
    return x


register_op("Identity", infer=_identity_infer, kernel=_identity_kernel, grad=GRADIENT_PENDING, aliases_input=True)
register_op("StopGradient", infer=_identity_infer, kernel=_identity_kernel, grad=NOT_DIFFERENTIABLE,
            aliases_input=True)


def identity(input, name=None):  # noqa: A002
    """A tensor with the same value as `input` (reading a variable's current value)."""
    with name_scope(name, "Identity", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        return make_op("Identity", [x], name=scope)


def stop_gradient(input, name=None):  # noqa: A002
    """`input` unchanged, but gradients do not flow through it."""
    with name_scope(name, "StopGradient", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        return make_op("StopGradient", [x], name=scope)


# =========================================================================== Shape / Size / Rank
def _shape_infer(x, *, out_type):
    return out_type, TensorShape([x.shape.ndims])


def _shape_kernel(xp, x, *, out_type):
    return xp.asarray(x.shape, dtype=out_type.as_numpy_dtype)


def _size_infer(x, *, out_type):
    return out_type, TensorShape([])


def _size_kernel(xp, x, *, out_type):
    return xp.asarray(x.size, dtype=out_type.as_numpy_dtype)


def _rank_infer(x):
    return dtypes.int32, TensorShape([])


def _rank_kernel(xp, x):
    return xp.asarray(x.ndim, dtype=np.int32)


register_op("Shape", infer=_shape_infer, kernel=_shape_kernel, grad=NOT_DIFFERENTIABLE)
register_op("Size", infer=_size_infer, kernel=_size_kernel, grad=NOT_DIFFERENTIABLE)
register_op("Rank", infer=_rank_infer, kernel=_rank_kernel, grad=NOT_DIFFERENTIABLE)


def shape(input, name=None, out_type=dtypes.int32):  # noqa: A002
    """The dynamic shape of `input` as a 1-D int32 tensor."""
    with name_scope(name, "Shape", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        return make_op("Shape", [x], {"out_type": dtypes.as_dtype(out_type)}, name=scope)


def size(input, name=None, out_type=dtypes.int32):  # noqa: A002
    """The number of elements of `input`."""
    with name_scope(name, "Size", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        return make_op("Size", [x], {"out_type": dtypes.as_dtype(out_type)}, name=scope)


def rank(input, name=None):  # noqa: A002
    """The number of dimensions of `input`."""
    with name_scope(name, "Rank", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        return make_op("Rank", [x], name=scope)


# =========================================================================== Fill / zeros / ones
def _fill_infer(dims, value, *, index_type=dtypes.int32):
    if value.shape.ndims not in (None, 0):
        raise InferenceError("Shape must be rank 0 but is rank %d" % value.shape.ndims)
    return value.dtype.base_dtype, constant_shape(dims)


def _fill_kernel(xp, dims, value, *, index_type=dtypes.int32):
    if (dims < 0).any():
        raise ValueError("dims must be non-negative, got %s" % list(dims))
    return xp.full(tuple(int(d) for d in dims), value, dtype=value.dtype)


register_op("Fill", infer=_fill_infer, kernel=_fill_kernel, grad=GRADIENT_PENDING)


def fill(dims, value, name=None):
    """A tensor of shape `dims` filled with the scalar `value`."""
    with name_scope(name, "Fill", [dims, value]) as scope:
        d = convert_one("Fill", "dims", dims, dtype=dtypes.int32) if not isinstance(dims, Tensor) else dims
        v = convert_to_tensor(value, name="value")
        return make_op("Fill", [d, v], {"index_type": d.dtype.base_dtype}, name=scope)


def _filled(value, shape, dtype, name, default_name):
    dtype = dtypes.as_dtype(dtype).base_dtype
    with name_scope(name, default_name, [shape]) as scope:
        if not isinstance(shape, Tensor):
            try:
                s = TensorShape(shape)
            except TypeError:
                s = None
            if s is not None and s.is_fully_defined() and s.num_elements() < 1000:
                # small: a Const (TF's _constant_if_small), named after the function
                return constant(np.full(s.as_tuple(), value, dtype=dtype.as_numpy_dtype), dtype=dtype, name=scope)
            shape = constant(np.asarray(shape, dtype=np.int32).reshape(-1), name="shape_as_tensor")
        elif shape.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
            raise TypeError("shape must be an int32 or int64 tensor, got %s" % shape.dtype.name)
        return fill(shape, constant(value, dtype=dtype), name=scope)


def zeros(shape, dtype=dtypes.float32, name=None):
    """A tensor of `shape` filled with zeros.

    >>> tf.zeros((2, 2))
    <tf.Tensor 'zeros:0' shape=(2, 2) dtype=float32>
    """
    dtype = dtypes.as_dtype(dtype)
    return _filled(False if dtype == dtypes.bool else ("" if dtype == dtypes.string else 0), shape, dtype,
                   name, "zeros")


def ones(shape, dtype=dtypes.float32, name=None):
    """A tensor of `shape` filled with ones."""
    dtype = dtypes.as_dtype(dtype)
    return _filled(True if dtype == dtypes.bool else 1, shape, dtype, name, "ones")


def _like(tensor, value, dtype, name, default_name, optimize):
    with name_scope(name, default_name, [tensor]) as scope:
        t = convert_to_tensor(tensor, name="tensor")
        dt = dtypes.as_dtype(dtype).base_dtype if dtype is not None else t.dtype.base_dtype
        if optimize and t.shape.is_fully_defined() and t.shape.num_elements() < 1000:
            return constant(np.full(t.shape.as_tuple(), value, dtype=dt.as_numpy_dtype), dtype=dt, name=scope)
        v = False if dt == dtypes.bool and value == 0 else (True if dt == dtypes.bool else value)
        return fill(shape(t), constant(v, dtype=dt), name=scope)


def zeros_like(tensor, dtype=None, name=None, optimize=True):
    """Zeros with the shape (and by default the dtype) of `tensor`."""
    return _like(tensor, 0, dtype, name, "zeros_like", optimize)


def ones_like(tensor, dtype=None, name=None, optimize=True):
    """Ones with the shape (and by default the dtype) of `tensor`."""
    return _like(tensor, 1, dtype, name, "ones_like", optimize)


# =========================================================================== Reshape
def _reshape_infer(x, shape_t, **_):
    target = constant_shape(shape_t)
    if target.ndims is None:
        return x.dtype.base_dtype, target
    dims = list(target.as_tuple())
    v = constant_value(shape_t)
    n_unknown_marker = 0
    if v is not None:
        v = [int(d) for d in np.asarray(v).reshape(-1)]
        n_unknown_marker = sum(1 for d in v if d == -1)
        if n_unknown_marker > 1:
            raise InferenceError("Cannot infer multiple unknown dimensions in shape %s" % v)
        for d in v:
            if d < -1:
                raise InferenceError("Size %d must be non-negative, not %d" % (v.index(d), d))
    n_in = x.shape.num_elements()
    known = [d for d in dims if d is not None]
    prod = int(np.prod(known)) if known else 1
    if n_in is not None:
        if n_unknown_marker == 1 and None in dims and dims.count(None) == 1:
            if prod == 0 or n_in % prod:
                raise InferenceError("Cannot reshape a tensor with %d elements to shape %s (%s elements)"
                                     % (n_in, _fmt_shape_req(v), "?"))
            dims[dims.index(None)] = n_in // prod
        elif None not in dims and prod != n_in:
            raise InferenceError("Cannot reshape a tensor with %d elements to shape %s (%d elements)"
                                 % (n_in, _fmt_shape_req(v if v is not None else dims), prod))
    elif v is not None and n_unknown_marker == 1 and x.shape.ndims is not None and None not in dims[:]:
        pass
    return x.dtype.base_dtype, TensorShape(dims)


def _fmt_shape_req(v):
    return "[%s]" % ",".join(str(d) for d in v)


def _reshape_kernel(xp, x, shape_t, **_):
    target = tuple(int(d) for d in shape_t.reshape(-1))
    try:
        return x.reshape(target)
    except ValueError:
        raise ValueError("Input to reshape is a tensor with %d values, but the requested shape has %d"
                         % (x.size, int(np.prod([d for d in target if d != -1])))) from None


register_op("Reshape", infer=_reshape_infer, kernel=_reshape_kernel, grad=GRADIENT_PENDING, aliases_input=True)


def reshape(tensor, shape, name=None):
    """`tensor` with a new shape of the same number of elements; one entry may be -1 (inferred).

    >>> tf.reshape(tf.zeros((2, 2)), (1, 4)).shape
    TensorShape([Dimension(1), Dimension(4)])
    """
    with name_scope(name, "Reshape", [tensor, shape]) as scope:
        x = convert_to_tensor(tensor, name="tensor")
        if isinstance(shape, Tensor):
            s = shape
        else:
            if isinstance(shape, TensorShape):
                shape = shape.as_list()
            s = _shape_tensor(shape)
        return make_op("Reshape", [x, s], name=scope)


def _shape_tensor(shape):
    """A 1-D int32 shape argument: a Const, or a Pack when it mixes ints and scalar tensors."""
    items = list(shape) if isinstance(shape, (list, tuple)) else shape
    if isinstance(items, list) and any(isinstance(d, Tensor) for d in items):
        from . import array_ops as _self
        return _self.stack([d if isinstance(d, Tensor) else constant(d, dtype=dtypes.int32) for d in items])
    return convert_one("Reshape", "shape", items, dtype=dtypes.int32) if not isinstance(items, np.ndarray) \
        else convert_to_tensor(items.astype(np.int32) if items.dtype.kind in "iu" and items.dtype != np.int64
                               else items, name="shape")
