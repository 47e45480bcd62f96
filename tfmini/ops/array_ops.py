"""Array ops: placeholders, identity, shapes and filling, reshaping, joining and splitting, slicing
and indexing (`t[1:, ::-1]`), gathering, padding, selecting and ranges.

Shape rules follow TensorFlow's shape functions (core/ops/array_ops.cc) and their messages; the
Python wrappers follow TF1's python/ops/array_ops.py, so op names and the consts they create match.
This module defines `range` and `slice` as TF does: Python's are `builtins.range`/`builtins.slice` here.
"""
import builtins
import collections
import sys

import numpy as np

from ..framework import dtypes, errors
from ..framework.op_def_library import (FLOAT_TYPES, INT_TYPES, NUMBER_TYPES, check_allowed, convert_one,
                                        REAL_NUMBER_TYPES as _REAL_TYPES,
                                        convert_same_dtype, is_tensor_like, make_op)
from ..framework.indexed_slices import IndexedSlices, indexed_slices_to_tensor_no_warning
from ..framework.op_registry import NO_GRADIENT, NOT_DIFFERENTIABLE, InferenceError, register_op
from ..framework.op_registry import debug_string as _dbg  # a run-time shape as TF prints it: [2,3]
from ..framework.ops import (Tensor, convert_to_tensor, get_default_graph, name_scope,
                             register_tensor_conversion_function)
from ..framework.tensor_shape import Dimension, TensorShape, as_shape
from .constant_op import constant, constant_shape, constant_value, python_to_ndarray, read_as_shape
from .shape_util import broadcast_shape, merge_shapes, shape_str, static_dim as _dim, with_rank as _with_rank, \
    with_rank_at_least as _with_rank_at_least

__all__ = [
    "placeholder", "placeholder_with_default", "identity", "stop_gradient", "shape", "size", "rank",
    "fill", "zeros", "ones", "zeros_like", "ones_like", "reshape", "expand_dims", "squeeze", "transpose",
    "matrix_transpose", "concat", "stack", "unstack", "split", "tile", "pad", "gather", "one_hot", "slice",
    "strided_slice", "where", "range", "linspace", "lin_space", "boolean_mask", "reverse", "reverse_v2",
    "invert_permutation", "unsorted_segment_sum", "shape_n", "broadcast_to", "reverse_sequence",
    "space_to_batch_nd", "batch_to_space_nd",
]

newaxis = None  # `t[tf.newaxis]` inserts a dimension of 1


# =========================================================================== shape-rule helpers
# The pieces of TF's InferenceContext the rules below need, with its messages.
def _with_value(dim, value):
    if dim is not None and dim != value:
        raise InferenceError("Dimension must be %d but is %d" % (value, dim))
    return value


def _subtract_dim(a, b):
    if a is None or b is None:
        return None
    if a < b:
        raise InferenceError("Negative dimension size caused by subtracting %d from %d" % (b, a))
    return a - b


def _mul_dim(a, b):
    return None if a is None or b is None else a * b


def _scalar_input(t):
    """The value of scalar input `t` as an int when known at graph-build time, else None."""
    v = constant_value(t)
    if v is None:
        return None
    if np.ndim(v) != 0:
        raise InferenceError("Input must be scalar but has rank %d" % np.ndim(v))
    return int(v)


def _axis_input(t, rank):
    """A scalar axis input, made non-negative (TF's MakeDimForScalarInputWithNegativeIndexing)."""
    val = _scalar_input(t)
    if val is None:
        return None
    if val < 0:
        if rank is None:
            return None
        if val + rank < 0:
            raise InferenceError("Dimension size, given by scalar input %d must be in range [-%d, %d)"
                                 % (val, rank, rank))
        return val + rank
    if rank is not None and val >= rank:
        raise InferenceError("Dimension size, given by scalar input %d must be in range [-%d, %d)"
                             % (val, rank, rank))
    return val


def _shape_from_tensor(t):
    """The static shape a 1-D shape tensor describes: -1 and unknown entries are `?` (TF's
    MakeShapeFromShapeTensor, which also sees into Packs of scalars and Shape ops)."""
    _with_rank(t.shape, 1)
    return read_as_shape(t, _shape_of_value)


def _shape_of_value(t):
    # TF reads the partial shape first: a Pack's negative entry is `?` (the kernel reports it), not a shape error
    return constant_shape(t)


def _invalid(message):
    """The error a kernel raises for bad runtime input; the executor adds the op and the user's line."""
    return errors.InvalidArgumentError(None, None, message)


# =========================================================================== input conversion
def _index_input(op_type, param, value):
    """An int32/int64 input (an axis, a shape, indices, paddings). A Python value becomes a Const
    named `param`, int32 unless it does not fit; a list holding tensors is packed."""
    if is_tensor_like(value):
        t = convert_to_tensor(value)
    else:
        t = convert_to_tensor(value, name=param, preferred_dtype=dtypes.int32)
    check_allowed(op_type, param, t.dtype, INT_TYPES)
    return t


def _convert_list(op_type, param, values):
    """A list input `N * T`: the first tensor fixes T, Python values convert to it ('values_0', ...)."""
    values = list(values)
    dtype = None
    for v in values:
        if is_tensor_like(v):
            dtype = convert_to_tensor(v).dtype.base_dtype
            break
    out = [convert_to_tensor(v) if is_tensor_like(v) else convert_to_tensor(v, dtype=dtype, name="%s_%d" % (param, i))
           for i, v in enumerate(values)]
    types = [t.dtype.base_dtype for t in out]
    if any(t != types[0] for t in types):
        raise TypeError("Tensors in list passed to '%s' of '%s' Op have types [%s] that don't all match."
                        % (param, op_type, ", ".join(t.name for t in types)))
    return out


def _math_ops():
    # math_ops builds on this module (as TF's does), so it is imported where a cast or a product is needed
    from . import math_ops
    return math_ops


def _deprecated_argument_lookup(new_name, new_value, old_name, old_value):
    if old_value is not None:
        if new_value is not None:
            raise ValueError("Cannot specify both '%s' and '%s'" % (old_name, new_name))
        return old_value
    return new_value


# =========================================================================== Placeholder
def _placeholder_infer(*, dtype, shape):
    return dtype, shape


def _placeholder_kernel(xp, *, dtype, shape):
    # never called: a plan that needs an unfed placeholder is refused before it runs
    raise RuntimeError("unfed placeholder reached the executor")


register_op("Placeholder", infer=_placeholder_infer, kernel=_placeholder_kernel, grad=NOT_DIFFERENTIABLE)


def placeholder(dtype, shape=None, name=None):
    """A tensor whose value must be fed with `feed_dict` at run time.

    >>> tf.placeholder(tf.float32, [None, 2])
    <tf.Tensor 'Placeholder:0' shape=(?, 2) dtype=float32>
    """
    try:  # TF's op builder (_MakeType / _MakeShape) words these errors
        dtype = dtypes.as_dtype(dtype).base_dtype
    except TypeError:
        raise TypeError("Expected DataType for argument 'dtype' not %r." % (dtype,)) from None
    try:
        shape = TensorShape(None) if shape is None else as_shape(shape)
    except TypeError as e:
        raise TypeError("Error converting shape to a TensorShape: %s" % e) from None
    except ValueError as e:
        raise ValueError("Error converting shape to a TensorShape: %s" % e) from None
    g = get_default_graph()
    return g.create_op("Placeholder", [], {"dtype": dtype, "shape": shape}, name=name or "Placeholder")._outputs[0]


# =========================================================================== PlaceholderWithDefault
def _pwd_infer(inp, *, dtype, shape):
    merge_shapes(inp.shape, shape)  # only a compatibility check: the declared shape may be looser
    return dtype, shape


def _pwd_kernel(xp, inp, *, dtype, shape):
    return inp


def _pass_through_grad(op, grad):
    """The output is the input: its gradient passes through unchanged."""
    return [grad]


register_op("PlaceholderWithDefault", infer=_pwd_infer, kernel=_pwd_kernel, grad=_pass_through_grad,
            aliases_input=True)


def placeholder_with_default(input, shape, name=None):  # noqa: A002 - TF's name
    """A placeholder that takes the value of `input` when it is not fed; `shape` may have `None`s.

    >>> x = tf.placeholder_with_default([[1., 2.]], shape=[None, 2])
    """
    with name_scope(name, "PlaceholderWithDefault", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        return make_op("PlaceholderWithDefault", [x], {"dtype": x.dtype.base_dtype, "shape": as_shape(shape)},
                       name=scope)


# =========================================================================== Identity / StopGradient
def _identity_infer(x, **_):
    return x.dtype.base_dtype, x.shape


def _identity_kernel(xp, x, **_):
    return x


register_op("Identity", infer=_identity_infer, kernel=_identity_kernel, grad=_pass_through_grad,
            aliases_input=True, trivial=True)
register_op("StopGradient", infer=_identity_infer, kernel=_identity_kernel, grad=NOT_DIFFERENTIABLE,
            aliases_input=True, trivial=True)


def identity(input, name=None):  # noqa: A002
    """A tensor with the same value as `input` (reading a variable's current value)."""
    with name_scope(name, "Identity", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        return make_op("Identity", [x], {"T": x.dtype.base_dtype}, name=scope)


def stop_gradient(input, name=None):  # noqa: A002
    """`input` unchanged, but gradients do not flow through it."""
    with name_scope(name, "StopGradient", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        return make_op("StopGradient", [x], {"T": x.dtype.base_dtype}, name=scope)


# =========================================================================== Shape / Size / Rank / ShapeN
def _shape_infer(x, *, out_type, **_):
    return out_type, TensorShape([x.shape.ndims])


def _shape_kernel(xp, x, *, out_type, **_):
    return xp.asarray(x.shape, dtype=out_type.as_numpy_dtype)


def _size_infer(x, *, out_type, **_):
    return out_type, TensorShape([])


def _size_kernel(xp, x, *, out_type, **_):
    return xp.asarray(x.size, dtype=out_type.as_numpy_dtype)


def _rank_infer(x, **_):
    return dtypes.int32, TensorShape([])


def _rank_kernel(xp, x, **_):
    return xp.asarray(x.ndim, dtype=np.int32)


# shape_only: on a GPU these read only shapes and give host values (TF's HostMemory("output"))
register_op("Shape", infer=_shape_infer, kernel=_shape_kernel, grad=NOT_DIFFERENTIABLE, shape_only=True)
register_op("Size", infer=_size_infer, kernel=_size_kernel, grad=NOT_DIFFERENTIABLE, shape_only=True)
register_op("Rank", infer=_rank_infer, kernel=_rank_kernel, grad=NOT_DIFFERENTIABLE, shape_only=True)


def _shape_n_infer(*inputs, out_type, **_):
    return [(out_type, TensorShape([x.shape.ndims])) for x in inputs]


def _shape_n_kernel(xp, *arrays, out_type, **_):
    outs = tuple(xp.asarray(a.shape, dtype=out_type.as_numpy_dtype) for a in arrays)
    return outs[0] if len(outs) == 1 else outs


register_op("ShapeN", infer=_shape_n_infer, kernel=_shape_n_kernel, grad=NOT_DIFFERENTIABLE,
            shape_only=True)


def shape_n(input, out_type=dtypes.int32, name=None):  # noqa: A002
    """The shapes of the tensors in `input`, as a list of 1-D tensors, from one op.

    >>> [s.shape for s in tf.shape_n([tf.zeros([2, 3]), tf.zeros([4])])]
    [TensorShape([Dimension(2)]), TensorShape([Dimension(1)])]
    """
    out_type = _check_int_out_type(out_type)
    with name_scope(name, "ShapeN", list(input)) as scope:
        xs = _convert_list("ShapeN", "input", input)
        out = make_op("ShapeN", xs, {"N": len(xs), "T": xs[0].dtype.base_dtype, "out_type": out_type},
                      name=scope)
        return [out] if isinstance(out, Tensor) else out


def _check_int_out_type(out_type):
    out_type = dtypes.as_dtype(out_type).base_dtype
    if out_type not in INT_TYPES:
        raise TypeError("Value passed to parameter 'out_type' has DataType %s not in list of allowed values: "
                        "int32, int64" % out_type.name)
    return out_type


def shape(input, name=None, out_type=dtypes.int32):  # noqa: A002
    """The shape of `input` as a 1-D int32 tensor: a Const when the static shape is fully known
    (as TF1 does), else a Shape op that reads it at run time.

    >>> tf.shape(tf.placeholder(tf.float32, [None, 3]))
    <tf.Tensor 'Shape:0' shape=(2,) dtype=int32>
    """
    return _shape_internal(input, name, optimize=True, out_type=out_type)


def _shape_internal(input, name=None, optimize=True, out_type=None):  # noqa: A002
    """TF's shape_internal: without `out_type` a known shape is TF's TensorShape conversion (a Const named
    'Shape/shape_as_tensor', int64 only where a dimension needs it), else an int32 Shape."""
    with name_scope(name, "Shape", [input]) as scope:
        x = convert_to_tensor(input)
        if optimize and x.shape.is_fully_defined():
            if out_type is None:
                dims = x.shape.as_list()
                big = any(d >= 2 ** 31 for d in dims)
                return constant(dims, dtype=dtypes.int64 if big else dtypes.int32, name="shape_as_tensor")
            return constant(x.shape.as_list(), dtype=_check_int_out_type(out_type), name=scope)
        out_type = dtypes.int32 if out_type is None else _check_int_out_type(out_type)
        return make_op("Shape", [x], {"out_type": out_type, "T": x.dtype.base_dtype}, name=scope)


def size(input, name=None, out_type=dtypes.int32):  # noqa: A002
    """The number of elements of `input` (a Const when the static shape tells it)."""
    out_type = _check_int_out_type(out_type)
    with name_scope(name, "Size", [input]) as scope:
        x = convert_to_tensor(input)
        dims = x.shape.as_tuple()
        if x.shape.is_fully_defined():
            return constant(x.shape.num_elements(), dtype=out_type, name=scope)
        if dims and 0 in dims:
            return constant(0, dtype=out_type, name=scope)
        return make_op("Size", [x], {"out_type": out_type, "T": x.dtype.base_dtype}, name=scope)


def rank(input, name=None):  # noqa: A002
    """The number of dimensions of `input` (a Const when the static rank is known)."""
    with name_scope(name, "Rank", [input]) as scope:
        x = convert_to_tensor(input)
        if x.shape.ndims is not None:
            return constant(x.shape.ndims, dtype=dtypes.int32, name=scope)
        return make_op("Rank", [x], {"T": x.dtype.base_dtype}, name=scope)


# =========================================================================== BroadcastGradientArgs
def _bga_infer(s0, s1, **_):
    _with_rank(s0.shape, 1)
    _with_rank(s1.shape, 1)
    dt = s0.dtype.base_dtype
    return [(dt, TensorShape([None])), (dt, TensorShape([None]))]


def _broadcast_reduction_axes(sx, sy):
    """TF's BCast: the axes of the broadcast result that x and y must each be summed over
    (ascending), or None when the shapes do not broadcast. Axes where both have size 1 are in both."""
    if sx == sy:
        return [], []
    n = max(len(sx), len(sy))
    x = [1] * (n - len(sx)) + list(sx)
    y = [1] * (n - len(sy)) + list(sy)
    rx, ry = [], []
    for i, (a, b) in enumerate(zip(x, y)):
        if a == b:
            if a == 1:
                rx.append(i)
                ry.append(i)
        elif a == 1:
            rx.append(i)
        elif b == 1:
            ry.append(i)
        else:
            return None
    return rx, ry


def _bga_kernel(xp, s0, s1, **_):
    for i, s in enumerate((s0, s1)):
        if s.ndim != 1:
            raise _invalid("In[%d] must be a vector.%s" % (i, _dbg(s.shape)))
    sx, sy = [int(d) for d in s0.tolist()], [int(d) for d in s1.tolist()]
    axes = _broadcast_reduction_axes(sx, sy)
    if axes is None:
        raise _invalid("Incompatible shapes: %s vs. %s" % (_dbg(sx), _dbg(sy)))
    return xp.asarray(axes[0], dtype=s0.dtype), xp.asarray(axes[1], dtype=s0.dtype)


register_op("BroadcastGradientArgs", infer=_bga_infer, kernel=_bga_kernel, grad=NOT_DIFFERENTIABLE)


def broadcast_gradient_args(s0, s1, name=None):
    """For shapes `s0` and `s1` (int32/int64 vectors) that broadcast together, the axes of the
    result to sum each operand's gradient over: (r0, r1). TF's gen_array_ops.broadcast_gradient_args.

    >>> r0, r1 = broadcast_gradient_args([2, 3, 5], [1])  # r0 = [], r1 = [0, 1, 2]
    """
    with name_scope(name, "BroadcastGradientArgs", [s0, s1]) as scope:
        a, b = convert_same_dtype("BroadcastGradientArgs", [("s0", s0), ("s1", s1)], allowed=INT_TYPES)
        return make_op("BroadcastGradientArgs", [a, b], {"T": a.dtype.base_dtype}, name=scope)


# =========================================================================== BroadcastTo
def _broadcast_to_infer(x, shape, **_):
    _with_rank(shape.shape, 1)
    target = constant_shape(shape)
    if target.ndims is not None and x.shape.ndims is not None:
        if x.shape.ndims > target.ndims:
            raise InferenceError("Rank of input (%d) must be no greater than rank of output shape (%d)."
                                 % (x.shape.ndims, target.ndims))
        lead = target.ndims - x.shape.ndims
        dims = list(target.as_tuple())
        for i, d in enumerate(x.shape.as_tuple()):
            t = dims[lead + i]
            if d is not None and d != 1 and t is not None and t != d:
                raise InferenceError("Incompatible shapes: %s vs. %s" % (_dbg(x.shape.as_tuple()),
                                                                        _dbg(target.as_tuple())))
            if t is None and d is not None and d != 1:
                dims[lead + i] = d
        target = TensorShape(dims)
    return x.dtype.base_dtype, target


def _broadcast_to_kernel(xp, x, shape, **_):
    target = tuple(int(d) for d in shape.tolist())
    out = xp.empty(target, x.dtype)  # a real array (a broadcast view would be read-only, with 0 strides)
    try:
        out[...] = x
    except ValueError:
        raise _invalid("Incompatible shapes: %s vs. %s" % (_dbg(x.shape), _dbg(target))) from None
    return out


def _broadcast_to_grad(op, grad):
    """The gradient summed over the broadcast axes, back to the input's shape."""
    from .math_ops import reduce_sum
    x = op.inputs[0]
    xs, gs = x.shape.as_tuple(), grad.shape.ndims
    if xs is not None and None not in xs and gs is not None:
        lead = gs - len(xs)
        g = reduce_sum(grad, list(builtins.range(lead))) if lead else grad
        inner = [i for i, d in enumerate(xs) if d == 1]
        return [reduce_sum(g, inner, keepdims=True) if inner else g, None]
    sx = shape(x)
    rx, _ = broadcast_gradient_args(sx, op.inputs[1])
    return [reshape(reduce_sum(grad, rx), sx), None]


register_op("BroadcastTo", infer=_broadcast_to_infer, kernel=_broadcast_to_kernel, grad=_broadcast_to_grad)


def broadcast_to(input, shape, name=None):  # noqa: A002 - TF's name
    """`input` broadcast to `shape` (numpy rules: size-1 and missing leading dimensions repeat).

    >>> tf.broadcast_to(tf.constant([1, 2, 3]), [2, 3])   # [[1, 2, 3], [1, 2, 3]]
    """
    with name_scope(name, "BroadcastTo", [input, shape]) as scope:
        x = convert_to_tensor(input, name="input")
        s = convert_one("BroadcastTo", "shape", shape, dtype=None if isinstance(shape, Tensor) else dtypes.int32,
                        allowed=INT_TYPES)
        return make_op("BroadcastTo", [x, s], {"T": x.dtype.base_dtype, "Tidx": s.dtype.base_dtype}, name=scope)


# =========================================================================== Fill / zeros / ones
def _fill_infer(dims, value, **_):
    _with_rank(dims.shape, 1)
    _with_rank(value.shape, 0)
    shape = _shape_from_tensor(dims)
    v = constant_value(dims)
    if v is not None and (np.asarray(v) < 0).any():
        raise InferenceError("Fill dimensions must be >= 0")
    return value.dtype.base_dtype, shape


def _fill_kernel(xp, dims, value, **_):
    if dims.ndim != 1:
        raise _invalid("dims must be a vector, got shape %s" % _dbg(dims.shape))
    if value.ndim != 0:
        raise _invalid("value must be a scalar, got shape %s" % _dbg(value.shape))
    target = tuple(int(d) for d in dims)
    for d in target:
        if d < 0:
            raise _invalid("Dimension %d must be >= 0" % d)
    return xp.full(target, value, dtype=value.dtype)


def _fill_grad(op, grad):
    """Every output entry is `value`: its gradient is the sum of them all; `dims` has none."""
    return [None, _math_ops().reduce_sum(grad)]


register_op("Fill", infer=_fill_infer, kernel=_fill_kernel, grad=_fill_grad)


def fill(dims, value, name=None):
    """A tensor of shape `dims` filled with the scalar `value`.

    >>> tf.fill([2, 3], 9).shape
    TensorShape([Dimension(2), Dimension(3)])
    """
    with name_scope(name, "Fill", [dims, value]) as scope:
        d = _index_input("Fill", "dims", dims)
        v = convert_to_tensor(value, name="value")
        return make_op("Fill", [d, v], {"T": v.dtype.base_dtype, "index_type": d.dtype.base_dtype}, name=scope)


def _static_dims(shape):
    """`shape` as a list of ints when it is a fully known shape given in Python, else None."""
    if isinstance(shape, TensorShape):
        return shape.as_list() if shape.is_fully_defined() else None
    items = shape if isinstance(shape, (list, tuple, np.ndarray)) else [shape]
    out = []
    for d in items:
        if isinstance(d, Dimension):
            d = d.value
        if isinstance(d, (bool, np.bool_)) or not isinstance(d, (int, np.integer)):
            return None
        out.append(int(d))
    return out if isinstance(shape, (list, tuple, np.ndarray)) else out[:1]


def _filled(value, shape, dtype, name, default_name):
    """tf.zeros / tf.ones: a Const when small (under 1000 elements), else a Fill of a shape tensor."""
    dtype = dtypes.as_dtype(dtype).base_dtype
    with name_scope(name, default_name, [shape]) as scope:
        if not isinstance(shape, Tensor):
            dims = _static_dims(shape)
            if dims is not None and all(d >= 0 for d in dims):
                if int(np.prod(dims, dtype=np.int64)) < 1000:
                    return constant(np.full(dims, value, dtype=dtype.as_numpy_dtype), dtype=dtype, name=scope)
                fits = all(d <= np.iinfo(np.int32).max for d in dims)
                shape = constant(dims, dtype=dtypes.int32 if fits else dtypes.int64, name="shape_as_tensor")
            else:
                shape = convert_to_tensor(shape, dtype=dtypes.int32)  # a list holding tensors is packed
        elif shape.dtype.base_dtype not in INT_TYPES:
            raise TypeError("Value passed to parameter 'dims' has DataType %s not in list of allowed values: "
                            "int32, int64" % shape.dtype.base_dtype.name)
        if shape.shape.ndims == 0:
            shape = reshape(shape, [-1])
        return fill(shape, constant(value, dtype=dtype), name=scope)


def zeros(shape, dtype=dtypes.float32, name=None):
    """A tensor of `shape` filled with zeros ('' for strings, False for bools).

    >>> tf.zeros((2, 2))
    <tf.Tensor 'zeros:0' shape=(2, 2) dtype=float32>
    """
    dtype = dtypes.as_dtype(dtype).base_dtype
    zero = False if dtype == dtypes.bool else ("" if dtype == dtypes.string else 0)
    return _filled(zero, shape, dtype, name, "zeros")


def ones(shape, dtype=dtypes.float32, name=None):
    """A tensor of `shape` filled with ones.

    >>> tf.ones([2, 3], tf.int32).dtype
    tf.int32
    """
    dtype = dtypes.as_dtype(dtype).base_dtype
    return _filled(True if dtype == dtypes.bool else 1, shape, dtype, name, "ones")


# =========================================================================== ZerosLike / zeros_like / ones_like
def _zeros_like_kernel(xp, x, **_):
    if x.dtype == object:  # strings: TF's zero is the empty string
        return xp.full(x.shape, b"", dtype=object)
    return xp.zeros_like(x)


register_op("ZerosLike", infer=_identity_infer, kernel=_zeros_like_kernel, grad=NOT_DIFFERENTIABLE)


def zeros_like(tensor, dtype=None, name=None, optimize=True):
    """Zeros with the shape (and by default the dtype) of `tensor`: a Const when its shape is known,
    else a ZerosLike op.

    >>> tf.zeros_like(tf.placeholder(tf.int32, [None, 2])).op.type
    'ZerosLike'
    """
    with name_scope(name, "zeros_like", [tensor]) as scope:
        t = convert_to_tensor(tensor, name="tensor")
        dt = t.dtype.base_dtype if dtype is None else dtypes.as_dtype(dtype).base_dtype
        if optimize and t.shape.is_fully_defined():
            return zeros(t.shape, dtype=dt, name=scope)
        if dt != t.dtype.base_dtype:
            return zeros(_shape_internal(t, optimize=optimize), dtype=dt, name=scope)
        return make_op("ZerosLike", [t], {"T": dt}, name=scope)


def ones_like(tensor, dtype=None, name=None, optimize=True):
    """Ones with the shape (and by default the dtype) of `tensor` (a Fill of its shape, as TF1)."""
    with name_scope(name, "ones_like", [tensor]) as scope:
        t = convert_to_tensor(tensor, name="tensor")
        dt = t.dtype.base_dtype if dtype is None else dtypes.as_dtype(dtype).base_dtype
        ret = ones(_shape_internal(t, optimize=optimize), dtype=dt, name=scope)
        ret.set_shape(t.shape)
        return ret


# =========================================================================== Reshape
def _reshape_infer(x, shape_t, **_):
    """TF's SetOutputShapeForReshape: with one unknown dimension on either side, infer it from the
    element counts; with none, the counts must agree."""
    out = _shape_from_tensor(shape_t)
    if out.ndims is None or x.shape.ndims is None:
        return x.dtype.base_dtype, out

    def known_product(dims):
        """(product of the known dims, index of the one unknown dim or None, more than one unknown?)"""
        if 0 in dims:  # TF's NumElements: a 0 dimension makes the count known (0), unknown ones or not
            return 0, None, False
        n, unknown = 1, None
        for i, d in enumerate(dims):
            if d is None:
                if unknown is not None:
                    return n, unknown, True
                unknown = i
            else:
                n *= d
        return n, unknown, False

    dims = list(out.as_tuple())
    n_out, out_unknown, many_out = known_product(dims)
    n_in, in_unknown, many_in = known_product(x.shape.as_tuple())
    if many_out or many_in:
        return x.dtype.base_dtype, out
    if in_unknown is None and out_unknown is None:
        if n_in != n_out:
            raise InferenceError("Cannot reshape a tensor with %d elements to shape %s (%d elements)"
                                 % (n_in, shape_str(out), n_out))
    elif in_unknown is None and n_out > 0:
        if n_in % n_out:
            raise InferenceError("Dimension size must be evenly divisible by %d but is %d" % (n_out, n_in))
        dims[out_unknown] = n_in // n_out
    elif in_unknown is not None and out_unknown is None and n_in > 0:
        # the output's count is known: the input's known dimensions must divide it (TF checks this when building)
        if n_out % n_in:
            raise InferenceError("Dimension size must be evenly divisible by %d but is %d" % (n_in, n_out))
    elif in_unknown is not None and out_unknown is not None and n_in == n_out:
        dims[out_unknown] = x.shape.as_tuple()[in_unknown]  # both None: the same unknown size
    return x.dtype.base_dtype, TensorShape(dims)


def _reshape_kernel(xp, x, shape_t, **_):
    target = shape_t.reshape(-1).tolist()
    unknown = [i for i, d in enumerate(target) if d == -1]
    if len(unknown) > 1:
        raise _invalid("Only one input size may be -1, not both %d and %d" % (unknown[0], unknown[1]))
    known = 1  # Python ints: a product of the sizes, without numpy's per-call cost
    for i, d in enumerate(target):
        if d < -1:
            raise _invalid("Size %d must be non-negative, not %d" % (i, d))
        if d != -1:
            known *= d
    if unknown:
        if known == 0 or x.size % known:
            raise _invalid("Input to reshape is a tensor with %d values, but the requested shape requires a "
                           "multiple of %d" % (x.size, known))
    elif known != x.size:
        raise _invalid("Input to reshape is a tensor with %d values, but the requested shape has %d"
                       % (x.size, known))
    return x.reshape(target)


def _reshape_grad(op, grad):
    """`grad` reshaped back to the input's shape. With a single unknown dimension (and no 0) the
    static shape with a -1 there does it, so no run-time Shape op is needed (as TF)."""
    x = op.inputs[0]
    if x.shape.ndims is not None and not x.shape.is_fully_defined():
        dims = x.shape.as_list()
        unknown = [i for i, d in enumerate(dims) if d is None]
        if len(unknown) == 1 and 0 not in dims:
            dims[unknown[0]] = -1
            return [reshape(grad, dims), None]
    return [reshape(grad, shape(x)), None]


def _reshape_to_input_grad(op, grad):
    """The gradient of an op that only changes the shape (ExpandDims, Squeeze): `grad` reshaped
    to the input's shape; the other inputs get none."""
    return [reshape(grad, shape(op.inputs[0]))] + [None] * (len(op.inputs) - 1)


register_op("Reshape", infer=_reshape_infer, kernel=_reshape_kernel, grad=_reshape_grad, aliases_input=True)


def reshape(tensor, shape, name=None):
    """`tensor` with a new shape of the same number of elements; one entry may be -1 (inferred).

    >>> tf.reshape(tf.zeros((2, 3)), [3, -1]).shape
    TensorShape([Dimension(3), Dimension(2)])
    """
    with name_scope(name, "Reshape", [tensor, shape]) as scope:
        x = convert_to_tensor(tensor, name="tensor")
        if isinstance(shape, TensorShape):
            shape = shape.as_list()
        s = _index_input("Reshape", "shape", shape)
        return make_op("Reshape", [x, s], {"T": x.dtype.base_dtype, "Tshape": s.dtype.base_dtype}, name=scope)


# =========================================================================== ExpandDims
def _expand_dims_infer(x, dim, **_):
    v = constant_value(dim)
    if v is not None and np.size(v) != 1:
        raise InferenceError("'dim' input must be a tensor with a single value")
    if v is None or x.shape.ndims is None:
        return x.dtype.base_dtype, TensorShape(None)
    d, r = int(np.reshape(v, -1)[0]), x.shape.ndims
    if d < -r - 1 or d > r:
        raise InferenceError("dim %d not in the interval [%d, %d]." % (d, -r - 1, r))
    if d < 0:
        d += r + 1
    dims = list(x.shape.as_tuple())
    dims.insert(d, 1)
    return x.dtype.base_dtype, TensorShape(dims)


def _expand_dims_kernel(xp, x, dim, **_):
    if dim.size != 1:
        raise _invalid("'dim' must be a tensor with a single value")
    d = int(dim.reshape(-1)[0])
    if d < -x.ndim - 1 or d > x.ndim:
        raise _invalid("Tried to expand dim index %d for tensor with %d dimensions." % (d, x.ndim))
    d = d if d >= 0 else d + x.ndim + 1
    return x.reshape(x.shape[:d] + (1,) + x.shape[d:])


register_op("ExpandDims", infer=_expand_dims_infer, kernel=_expand_dims_kernel, grad=_reshape_to_input_grad,
            aliases_input=True)


def expand_dims(input, axis=None, name=None, dim=None):  # noqa: A002
    """`input` with a dimension of 1 inserted at `axis` (in [-rank-1, rank]); `dim` is TF1's old name.

    >>> tf.expand_dims(tf.zeros([2, 3]), -1).shape
    TensorShape([Dimension(2), Dimension(3), Dimension(1)])
    """
    axis = _deprecated_argument_lookup("axis", axis, "dim", dim)
    if axis is None:
        raise ValueError("Must specify an axis argument to tf.expand_dims()")
    with name_scope(name, "ExpandDims", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        d = _index_input("ExpandDims", "dim", axis)
        return make_op("ExpandDims", [x, d], {"T": x.dtype.base_dtype, "Tdim": d.dtype.base_dtype}, name=scope)


# =========================================================================== Squeeze
def _squeeze_infer(x, *, squeeze_dims, **_):
    if x.shape.ndims is None:
        return x.dtype.base_dtype, TensorShape(None)
    r = x.shape.ndims
    wanted = set()
    for i, d in enumerate(squeeze_dims):
        if d < -r or d >= r:
            raise InferenceError("squeeze_dims[%d] not in [%d,%d)." % (i, -r, r))
        wanted.add(d % r)
    dims = []
    for i, d in enumerate(x.shape.as_tuple()):
        if d is None:
            if i in wanted:
                continue  # assumed to be 1 at run time
            if not squeeze_dims:
                return x.dtype.base_dtype, TensorShape(None)  # squeezing all 1s: the rank depends on values
        elif d == 1:
            if i in wanted or not squeeze_dims:
                continue
        elif i in wanted:
            raise InferenceError("Can not squeeze dim[%d], expected a dimension of 1, got %d" % (i, d))
        dims.append(d)
    return x.dtype.base_dtype, TensorShape(dims)


def _squeeze_kernel(xp, x, *, squeeze_dims, **_):
    if not squeeze_dims:
        return xp.squeeze(x)
    axes = []
    for d in squeeze_dims:
        if d < -x.ndim or d >= x.ndim:
            raise _invalid("Tried to squeeze dim index %d for tensor with %d dimensions." % (d, x.ndim))
        d %= x.ndim
        if x.shape[d] != 1:
            raise _invalid("Can not squeeze dim[%d], expected a dimension of 1, got %d" % (d, x.shape[d]))
        axes.append(d)
    return xp.squeeze(x, axis=tuple(sorted(set(axes))))


register_op("Squeeze", infer=_squeeze_infer, kernel=_squeeze_kernel, grad=_reshape_to_input_grad,
            aliases_input=True)


def squeeze(input, axis=None, name=None, squeeze_dims=None):  # noqa: A002
    """`input` without its dimensions of size 1 (only those in `axis` when given).

    >>> tf.squeeze(tf.zeros([1, 2, 1, 3]), [0]).shape
    TensorShape([Dimension(2), Dimension(1), Dimension(3)])
    """
    axis = _deprecated_argument_lookup("axis", axis, "squeeze_dims", squeeze_dims)
    if axis is None:
        axis = []
    elif np.isscalar(axis):
        axis = [axis]
    with name_scope(name, "Squeeze", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        return make_op("Squeeze", [x], {"T": x.dtype.base_dtype, "squeeze_dims": [int(a) for a in axis]},
                       name=scope)


# =========================================================================== Transpose / ConjugateTranspose
def _transpose_infer(x, perm, **_):
    dt = x.dtype.base_dtype
    p = constant_value(perm)
    n_perm = perm.shape.num_elements()
    rank_ = x.shape.ndims
    if rank_ is None and n_perm is None and p is None:
        return dt, TensorShape(None)
    if rank_ is None:
        rank_ = n_perm if n_perm is not None else int(np.size(p))
        if rank_ < 2:  # one entry: a scalar or a vector, both unchanged
            return dt, x.shape
    in_dims = _with_rank(x.shape, rank_).as_tuple()
    _with_rank(perm.shape, 1)
    _with_value(n_perm, rank_)
    if p is None:
        return dt, TensorShape([None] * rank_)
    dims = []
    for idx in np.reshape(p, -1)[:rank_].tolist():
        if idx >= rank_:
            raise InferenceError("perm dim %d is out of range of input rank %d" % (idx, rank_))
        dims.append(in_dims[idx])
    return dt, TensorShape(dims)


def _check_perm(perm, ndim):
    perm = [int(p) for p in perm.reshape(-1)]
    if len(perm) != ndim:
        raise _invalid("transpose expects a vector of size %d. But input(1) is a vector of size %d"
                       % (ndim, len(perm)))
    for p in perm:
        if not 0 <= p < ndim:
            raise _invalid("%d is out of range [0 .. %d)" % (p, ndim))
    for i in builtins.range(ndim):
        if i not in perm:
            raise _invalid("%d is missing from {%s}." % (i, ",".join(str(p) for p in perm)))
    return perm


def _transpose_kernel(xp, x, perm, **_):
    return xp.transpose(x, _check_perm(perm, x.ndim))


def _conjugate_transpose_kernel(xp, x, perm, **_):
    return xp.conj(xp.transpose(x, _check_perm(perm, x.ndim)))


def _transpose_grad(op, grad):
    """Unshuffle: `grad` transposed by the inverse permutation."""
    return [transpose(grad, invert_permutation(op.inputs[1])), None]


def _conjugate_transpose_grad(op, grad):
    """conj(unshuffle(grad))."""
    return [transpose(grad, invert_permutation(op.inputs[1]), conjugate=True), None]


register_op("Transpose", infer=_transpose_infer, kernel=_transpose_kernel, grad=_transpose_grad,
            aliases_input=True)
register_op("ConjugateTranspose", infer=_transpose_infer, kernel=_conjugate_transpose_kernel,
            grad=_conjugate_transpose_grad)


def transpose(a, perm=None, name="transpose", conjugate=False):
    """`a` with its dimensions permuted: output dim i is input dim `perm[i]` (default: reversed).

    >>> tf.transpose(tf.zeros([2, 3, 4]), [0, 2, 1]).shape
    TensorShape([Dimension(2), Dimension(4), Dimension(3)])
    """
    with name_scope(name, "transpose", [a]) as scope:
        a = convert_to_tensor(a, name="a")
        op_type = "ConjugateTranspose" if conjugate and a.dtype.is_complex else "Transpose"
        reversed_dims = None
        if perm is None:
            if a.shape.ndims is not None:
                n = a.shape.ndims
                perm = constant(np.arange(n - 1, -1, -1, dtype=np.int32), name="perm")
                reversed_dims = a.shape.as_list()[::-1]
            else:
                r = rank(a)
                perm = (r - 1) - range(0, r, 1)
        p = _index_input(op_type, "perm", perm)
        ret = make_op(op_type, [a, p], {"T": a.dtype.base_dtype, "Tperm": p.dtype.base_dtype}, name=scope)
        if reversed_dims is not None:
            ret.set_shape(reversed_dims)
        return ret


# =========================================================================== InvertPermutation
def _invert_permutation_infer(x, **_):
    return x.dtype.base_dtype, _with_rank(x.shape, 1)


def _invert_permutation_kernel(xp, x, **_):
    if x.ndim != 1:
        raise _invalid("invert_permutation expects a 1D vector.")
    n = x.shape[0]
    seen = [False] * n
    for d in x.tolist():  # a permutation is as long as a rank: checking it in Python is cheap
        if not 0 <= d < n:
            raise _invalid("%d is not between 0 and %d" % (d, n))
        if seen[d]:
            raise _invalid("%d is duplicated in the input." % d)
        seen[d] = True
    out = xp.empty((n,), dtype=x.dtype)
    out[x] = xp.arange(n, dtype=x.dtype)
    return out


register_op("InvertPermutation", infer=_invert_permutation_infer, kernel=_invert_permutation_kernel,
            grad=NOT_DIFFERENTIABLE)


def invert_permutation(x, name=None):
    """The inverse of the permutation `x` (an int32/int64 vector of 0..n-1): y[x[i]] = i.

    >>> tf.invert_permutation([2, 0, 1])  # [1, 2, 0]
    """
    with name_scope(name, "InvertPermutation", [x]) as scope:
        t = _index_input("InvertPermutation", "x", x)
        return make_op("InvertPermutation", [t], {"T": t.dtype.base_dtype}, name=scope)


def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """Swap the last two dimensions of a (batch of) matrices.

    >>> tf.matrix_transpose(tf.zeros([5, 2, 3])).shape
    TensorShape([Dimension(5), Dimension(3), Dimension(2)])
    """
    with name_scope(name, "matrix_transpose", [a]):
        a = convert_to_tensor(a, name="a")
        nd = a.shape.ndims
        if nd is not None:
            if nd < 2:
                raise ValueError("Argument 'a' should be a (batch) matrix, with rank >= 2.  Found: %s" % a.shape)
            perm = list(builtins.range(nd - 2)) + [nd - 1, nd - 2]
        else:
            r = rank(a)
            perm = concat((range(0, r - 2, 1), [r - 1, r - 2]), 0)
        return transpose(a, perm=perm, conjugate=conjugate)


# =========================================================================== ConcatV2
def _concat_infer(*inputs, **_):
    values, axis_t = inputs[:-1], inputs[-1]
    dt = values[0].dtype.base_dtype
    _with_rank(axis_t.shape, 0)
    axis = _scalar_input(axis_t)
    if axis is None:
        # the output has the inputs' rank, all dims unknown
        rank_ = next((v.shape.ndims for v in values if v.shape.ndims is not None), None)
        if rank_ is None:
            return dt, TensorShape(None)
        if rank_ == 0:
            raise InferenceError("Can't concatenate scalars (use tf.stack instead)")
        for v in values:
            _with_rank(v.shape, rank_)
        return dt, TensorShape([None] * rank_)
    min_rank = -axis if axis < 0 else axis + 1

    def parts(s):
        """(dims before axis, the axis dim, dims after) of one input's shape."""
        s = _with_rank_at_least(s, min_rank)
        if s.ndims is None:
            after = TensorShape([]) if axis == -1 else TensorShape(None)
            return TensorShape(None), None, after
        d = s.as_tuple()
        a = axis % len(d)
        return TensorShape(d[:a]), d[a], TensorShape(d[a + 1:])

    before, middle, after = parts(values[-1].shape)
    for v in reversed(values[:-1]):
        b, m, a = parts(v.shape)
        before = merge_shapes(b, before)
        middle = None if middle is None or m is None else middle + m
        after = merge_shapes(a, after)
    if before.ndims is None or after.ndims is None:
        return dt, TensorShape(None)
    return dt, TensorShape(before.as_tuple() + (middle,) + after.as_tuple())


def _concat_kernel(xp, *arrays, **_):
    values, axis = arrays[:-1], int(arrays[-1])
    r = values[0].ndim
    if not -r <= axis < r:
        raise _invalid("ConcatOp : Expected concatenating dimensions in the range [%d, %d), but got %d"
                       % (-r, r, axis))
    a = axis % r
    first = values[0].shape
    for i, v in enumerate(values[1:], 1):
        if v.ndim != r:
            raise _invalid("ConcatOp : Ranks of all input tensors should match: shape[0] = %s vs. shape[%d] = %s"
                           % (_dbg(first), i, _dbg(v.shape)))
        if v.shape[:a] != first[:a] or v.shape[a + 1:] != first[a + 1:]:
            raise _invalid("ConcatOp : Dimensions of inputs should match: shape[0] = %s vs. shape[%d] = %s"
                           % (_dbg(first), i, _dbg(v.shape)))
    return xp.concatenate(values, axis=a)


def _input_shapes(values):
    """The inputs' shapes: Consts when all are static, else one ShapeN op (TF's _ExtractInputShapes)."""
    sizes = []
    for v in values:
        s = shape(v)
        if s.op.type != "Const":
            return shape_n(values)
        sizes.append(s)
    return sizes


def _concat_grad(op, grad):
    return _concat_value_grads(op.inputs[:-1], op.inputs[-1], grad) + [None]


def _concat_value_grads(values, axis_t, grad):
    """TF's rule: each input's block sliced out of `grad` at its offset along the axis (ConcatOffset);
    with more than 16 inputs, one split by the inputs' lengths along the axis."""
    if len(values) == 1:
        return [grad]
    if axis_t.dtype.base_dtype != dtypes.int32:
        axis_t = _math_ops().cast(axis_t, dtypes.int32)  # ConcatOffset and Split take an int32 axis
    axis = axis_t % rank(values[0])  # (an op named 'mod', as TF's)
    sizes = _input_shapes(values)
    if len(sizes) > 16:
        lengths = squeeze(slice(stack(sizes, axis=1), stack([axis, 0]), [1, -1]))
        return split(grad, lengths, axis)
    return [slice(grad, begin, s) for begin, s in zip(concat_offset(axis, sizes), sizes)]


register_op("ConcatV2", infer=_concat_infer, kernel=_concat_kernel, grad=_concat_grad)
# TF's first Concat (concat_dim first, then the values): what GraphDefs from before TF 0.12 hold (the 2015 Inception
# graph of TF's image tutorials); tf.concat builds ConcatV2
register_op("Concat", infer=lambda concat_dim, *values, **attrs: _concat_infer(*values, concat_dim, **attrs),
            kernel=lambda xp, concat_dim, *values, **attrs: _concat_kernel(xp, *values, concat_dim, **attrs),
            grad=lambda op, grad: [None] + _concat_value_grads(op.inputs[1:], op.inputs[0], grad))


def concat(values, axis, name="concat"):
    """Join `values` (same rank and dtype) along dimension `axis`; one value is returned as an Identity.

    >>> tf.concat([tf.zeros([2, 3]), tf.ones([2, 1])], 1).shape
    TensorShape([Dimension(2), Dimension(4)])
    """
    if not isinstance(values, (list, tuple)):
        values = [values]
    if len(values) == 1:  # TF checks the axis, then returns the value itself
        with name_scope(name, "concat", values):
            axis_t = convert_to_tensor(axis, name="concat_dim", dtype=dtypes.int32)
            if axis_t.shape.ndims not in (None, 0):
                raise ValueError("Shape %s must have rank 0" % axis_t.shape)
            return identity(values[0], name=name)
    if not values:
        raise ValueError("List argument 'values' to 'ConcatV2' Op with length 0 shorter than minimum length 2.")
    with name_scope(name, "ConcatV2", list(values) + [axis]) as scope:
        vals = _convert_list("ConcatV2", "values", values)
        a = _index_input("ConcatV2", "axis", axis)
        return make_op("ConcatV2", vals + [a], {"N": len(vals), "T": vals[0].dtype.base_dtype,
                                                "Tidx": a.dtype.base_dtype}, name=scope)


# =========================================================================== ConcatOffset
def _concat_offset_infer(concat_dim, *shapes, **_):
    _with_rank(concat_dim.shape, 0)
    return [(dtypes.int32, s.shape) for s in shapes]


def _concat_offset_kernel(xp, concat_dim, *shapes, **_):
    """Where each input starts in the concatenation: 0 everywhere but the axis, the running sum there."""
    dims = shapes[0].size
    c = int(concat_dim)
    axis = c + dims if c < 0 else c
    if not 0 <= axis < dims:
        raise _invalid("Concat dim is out of range: %d vs. %d" % (c, dims))
    first = shapes[0].tolist()
    offset, outs = 0, []
    for i, s in enumerate(shapes):
        if s.size != dims:
            raise _invalid("input %d should contain %d elements, but got %d" % (i, dims, s.size))
        v = s.tolist()
        for j in builtins.range(dims):
            if j != axis and v[j] != first[j]:
                raise _invalid("All dimensions except %d must match. Input %d has shape [%s] and doesn't match "
                               "input 0 with shape [%s]." % (axis, i, " ".join(map(str, v)),
                                                             " ".join(map(str, first))))
        out = [0] * dims
        out[axis] = offset
        offset += v[axis]
        outs.append(xp.asarray(out, dtype=np.int32))
    return outs[0] if len(outs) == 1 else tuple(outs)


register_op("ConcatOffset", infer=_concat_offset_infer, kernel=_concat_offset_kernel, grad=NOT_DIFFERENTIABLE)


def concat_offset(concat_dim, shape, name=None):  # noqa: A002 - TF's name
    """For the int32 shapes of tensors joined along `concat_dim`, where each begins in the result
    (TF's gen_array_ops.concat_offset).

    >>> concat_offset(1, [[2, 3], [2, 5]])  # [[0, 0], [0, 3]]
    """
    with name_scope(name, "ConcatOffset", [concat_dim] + list(shape)) as scope:
        c = convert_one("ConcatOffset", "concat_dim", concat_dim, dtype=dtypes.int32)
        shapes = [convert_one("ConcatOffset", "shape", s, dtype=dtypes.int32) for s in shape]
        out = make_op("ConcatOffset", [c] + shapes, {"N": len(shapes)}, name=scope)
        return [out] if isinstance(out, Tensor) else out


# =========================================================================== Pack (tf.stack) and list autopacking
def _pack_axis(axis, rank_after):
    if axis < -rank_after or axis >= rank_after:
        raise InferenceError("Invalid axis: %d; must be in [%d,%d)" % (axis, -rank_after, rank_after))
    return axis % rank_after


def _pack_infer(*values, axis, **_):
    cur = values[-1].shape
    for i in builtins.range(len(values) - 2, -1, -1):
        try:
            cur = merge_shapes(values[i].shape, cur)
        except InferenceError as e:
            raise InferenceError("%s\n\tFrom merging shape %d with other shapes." % (e, i)) from None
    if cur.ndims is None:
        return values[0].dtype.base_dtype, TensorShape(None)
    a = _pack_axis(axis, cur.ndims + 1)
    dims = list(cur.as_tuple())
    dims.insert(a, len(values))
    return values[0].dtype.base_dtype, TensorShape(dims)


def _pack_kernel(xp, *arrays, axis, **_):
    first = arrays[0].shape
    for i, v in enumerate(arrays[1:], 1):
        if v.shape != first:
            raise _invalid("Shapes of all inputs must match: values[0].shape = %s != values[%d].shape = %s"
                           % (_dbg(first), i, _dbg(v.shape)))
    return xp.stack(arrays, axis=axis)


def _pack_grad(op, grad):
    """`grad` unstacked along the packing axis: one piece per input."""
    return unstack(grad, num=op.get_attr("N"), axis=op.get_attr("axis"))


register_op("Pack", infer=_pack_infer, kernel=_pack_kernel, grad=_pack_grad)


def stack(values, axis=0, name="stack"):
    """Stack rank-R tensors into one rank-(R+1) tensor along a new dimension `axis`.

    A list of constants becomes one Const; with `axis=0` a list holding tensors becomes a Pack.

    >>> tf.stack([tf.zeros([2]), tf.ones([2])], axis=1).shape
    TensorShape([Dimension(2), Dimension(2)])
    """
    if axis == 0:
        try:  # TF first tries the list as one constant (or an autopacked list of tensors)
            return convert_to_tensor(values, name=name)
        except (TypeError, ValueError):
            pass
    first = values[0]
    if is_tensor_like(first):
        first_shape = convert_to_tensor(first).shape
    else:
        try:
            first_shape = TensorShape(python_to_ndarray(first).shape)
        except (TypeError, ValueError):
            first_shape = TensorShape(None)
    if first_shape.ndims is not None:
        expanded = first_shape.ndims + 1
        if axis < -expanded or axis >= expanded:
            raise ValueError("axis = %d not in [%d, %d)" % (axis, -expanded, expanded))
    with name_scope(name, "Pack", values) as scope:
        vals = _convert_list("Pack", "values", values)
        return make_op("Pack", vals, {"N": len(vals), "T": vals[0].dtype.base_dtype, "axis": int(axis)},
                       name=scope)


def pack(values, axis=0, name="pack"):
    """TF 0.x's name of tf.stack (ops named 'pack' by default)."""
    return stack(values, axis=axis, name=name)


_PLAIN_VALUES = (int, float, complex, str, bytes, np.ndarray, np.generic)


def _nested_dtype(values):
    """The dtype of the first tensor in a nested list, or None when it holds none."""
    for v in values:
        if isinstance(v, _PLAIN_VALUES):  # the common case, checked first: lists of numbers
            continue
        if is_tensor_like(v):
            return convert_to_tensor(v).dtype.base_dtype
        if isinstance(v, (list, tuple)):
            dt = _nested_dtype(v)
            if dt is not None:
                return dt
    return None


def _autopack(values, dtype, name):
    """A (nested) list holding tensors as one Pack op named `name`; Python entries become Consts."""
    converted, must_pack = [], False
    with name_scope(name) as scope:
        for i, v in enumerate(values):
            if is_tensor_like(v):
                t = convert_to_tensor(v)
                if t.dtype.base_dtype != dtype:
                    raise TypeError("Cannot convert a list containing a tensor of dtype %s to %s (Tensor is: %r)"
                                    % (t.dtype, dtype, t))
                converted.append(t)
                must_pack = True
            elif isinstance(v, (list, tuple)):
                c = _autopack(v, dtype, str(i))
                must_pack = must_pack or isinstance(c, Tensor)
                converted.append(c)
            else:
                converted.append(v)
        if not must_pack:
            return converted
        elems = [c if isinstance(c, Tensor) else constant(c, dtype=dtype, name=str(i))
                 for i, c in enumerate(converted)]
        return make_op("Pack", elems, {"N": len(elems), "T": dtype, "axis": 0}, name=scope)


def _cast_nested(values, dtype):
    return [_cast_nested(v, dtype) if isinstance(v, (list, tuple))
            else (_math_ops().cast(v, dtype) if is_tensor_like(v) else v) for v in values]


def _autopacking_conversion(value, dtype=None, name=None, as_ref=False):
    """convert_to_tensor([t, 3]) -> a Pack, as TF's registered list conversion does."""
    if as_ref:
        return NotImplemented
    inferred = _nested_dtype(value)
    if inferred is None:
        return NotImplemented  # plain numbers: a Const
    if dtype is None:
        dtype = inferred
    elif dtypes.as_dtype(dtype).base_dtype != inferred:
        dtype = dtypes.as_dtype(dtype).base_dtype
        value = _cast_nested(value, dtype)
    return _autopack(value, dtypes.as_dtype(dtype).base_dtype, name or "packed")


register_tensor_conversion_function((list, tuple), _autopacking_conversion, 99)


# =========================================================================== Unpack (tf.unstack)
def _unpack_infer(value, *, num, axis, **_):
    dt = value.dtype.base_dtype
    s = value.shape
    if s.ndims is None:
        return [(dt, TensorShape(None))] * num
    a = _pack_axis(axis, s.ndims)
    _with_value(s.as_tuple()[a], num)
    dims = s.as_tuple()[:a] + s.as_tuple()[a + 1:]
    return [(dt, TensorShape(dims))] * num


def _unpack_kernel(xp, value, *, num, axis, **_):
    a = axis % value.ndim
    if value.shape[a] != num:
        raise _invalid("Input shape axis %d must equal %d, got shape %s" % (a, num, _dbg(value.shape)))
    lead = (builtins.slice(None),) * a
    outs = tuple(value[lead + (i,)] for i in builtins.range(num))
    return outs[0] if num == 1 else outs


def _unpack_grad(op, *grads):
    """The outputs' gradients stacked back along the unpacked axis."""
    return [stack(list(grads), axis=op.get_attr("axis"))]


register_op("Unpack", infer=_unpack_infer, kernel=_unpack_kernel, grad=_unpack_grad, aliases_input=True)


def unstack(value, num=None, axis=0, name="unstack"):
    """The list of rank-(R-1) tensors along dimension `axis` of `value` (the inverse of tf.stack).

    >>> [t.shape for t in tf.unstack(tf.zeros([2, 3]), axis=1)]
    [TensorShape([Dimension(2)]), TensorShape([Dimension(2)]), TensorShape([Dimension(2)])]
    """
    if num is None:
        value = convert_to_tensor(value)
        s = value.shape
        if s.ndims is not None:
            if axis < -s.ndims or axis >= s.ndims:
                raise ValueError("axis = %d not in [%d, %d)" % (axis, -s.ndims, s.ndims))
            num = s.as_tuple()[axis]
        if num is None:
            raise ValueError("Cannot infer num from shape %s" % s)
    with name_scope(name, "Unpack", [value]) as scope:
        v = convert_to_tensor(value, name="value")
        out = make_op("Unpack", [v], {"num": int(num), "T": v.dtype.base_dtype, "axis": int(axis)}, name=scope)
        if isinstance(out, Tensor):
            return [out]
        return out if isinstance(out, list) else []


def unpack(value, num=None, axis=0, name="unpack"):
    """TF 0.x's name of tf.unstack."""
    return unstack(value, num=num, axis=axis, name=name)


# =========================================================================== Split / SplitV
def _split_infer(split_dim, value, *, num_split, **_):
    dt = value.dtype.base_dtype
    s = value.shape
    d = _axis_input(split_dim, s.ndims)
    if d is None:
        out = TensorShape(None) if s.ndims is None else TensorShape([None] * s.ndims)
        return [(dt, out)] * num_split
    s = _with_rank_at_least(s, d + 1)
    if s.ndims is None:
        return [(dt, TensorShape(None))] * num_split
    dims = list(s.as_tuple())
    if dims[d] is not None and num_split != 1:
        if dims[d] % num_split:
            raise InferenceError("Dimension size must be evenly divisible by %d but is %d\n\tNumber of ways to "
                                 "split should evenly divide the split dimension" % (num_split, dims[d]))
        dims[d] //= num_split
    return [(dt, TensorShape(dims))] * num_split


def _split_kernel(xp, split_dim, value, *, num_split, **_):
    d = int(split_dim)
    if not -value.ndim <= d < value.ndim:
        raise _invalid("-input rank(-%d) <= split_dim < input rank (%d), but got %d" % (value.ndim, value.ndim, d))
    d %= value.ndim
    if value.shape[d] % num_split:
        raise _invalid("Number of ways to split should evenly divide the split dimension, but got split_dim %d "
                       "(size = %d) and num_split %d" % (d, value.shape[d], num_split))
    outs = tuple(xp.split(value, num_split, axis=d))
    return outs[0] if num_split == 1 else outs


def _splitv_infer(value, size_splits, split_dim, *, num_split, **_):
    dt = value.dtype.base_dtype
    s = value.shape
    d = _axis_input(split_dim, s.ndims)
    if s.ndims is None:
        return [(dt, TensorShape(None))] * num_split
    if s.ndims == 0:
        raise InferenceError("Can't split scalars")
    sizes = constant_value(size_splits)
    if sizes is None:
        if d is None:
            return [(dt, TensorShape([None] * s.ndims))] * num_split
        dims = list(s.as_tuple())
        dims[d] = None
        return [(dt, TensorShape(dims))] * num_split
    if d is None:
        return [(dt, TensorShape([None] * s.ndims))] * num_split
    s = _with_rank_at_least(s, d + 1)
    sizes = [int(v) for v in np.reshape(sizes, -1)]
    if len(sizes) != num_split:
        raise InferenceError("Length of size_splits should be equal to num_outputs")
    if sizes.count(-1) > 1:
        raise InferenceError("size_splits can only have one -1")
    total = sum(v for v in sizes if v != -1)
    dim = s.as_tuple()[d]
    outs = []
    for v in sizes:
        dims = list(s.as_tuple())
        dims[d] = (dim - total if dim is not None else None) if v == -1 else v
        outs.append((dt, TensorShape(dims)))
    if dim is not None and (total > dim if -1 in sizes else total != dim):
        raise InferenceError("can't split axis of size %d into pieces of size [%s]"
                             % (dim, ",".join(str(v) for v in sizes)))
    return outs


def _splitv_kernel(xp, value, size_splits, split_dim, *, num_split, **_):
    d = int(split_dim)
    if not -value.ndim <= d < value.ndim:
        raise _invalid("-input rank(-%d) <= split_dim < input rank (%d), but got %d" % (value.ndim, value.ndim, d))
    d %= value.ndim
    sizes = [int(v) for v in size_splits.reshape(-1)]
    total = sum(v for v in sizes if v != -1)
    if -1 in sizes:
        sizes[sizes.index(-1)] = value.shape[d] - total
    if sum(sizes) != value.shape[d] or min(sizes) < 0:
        raise _invalid("Determined shape must either match input shape along split_dim exactly if fully "
                       "specified, or be less than the size of the input along split_dim if not fully "
                       "specified.  Got: %d" % total)
    cuts = np.cumsum(sizes)[:-1].tolist()
    outs = tuple(xp.split(value, cuts, axis=d))
    return outs[0] if num_split == 1 else outs


def _split_grad(op, *grads):
    """The pieces' gradients joined back along the split axis."""
    return [None, concat(list(grads), op.inputs[0])]


def _splitv_grad(op, *grads):
    return [concat(list(grads), op.inputs[2]), None, None]


register_op("Split", infer=_split_infer, kernel=_split_kernel, grad=_split_grad, aliases_input=True)
register_op("SplitV", infer=_splitv_infer, kernel=_splitv_kernel, grad=_splitv_grad, aliases_input=True)


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """Split `value` along `axis` into `num_or_size_splits` equal parts, or parts of the given sizes
    (one size may be -1).

    >>> [t.shape for t in tf.split(tf.zeros([5, 30]), [4, 15, 11], 1)][2]
    TensorShape([Dimension(5), Dimension(11)])
    """
    # TF converts the argument first, even an int (a Const outside the op's scope)
    size_splits = convert_to_tensor(num_or_size_splits)
    if isinstance(num_or_size_splits, (int, np.integer, Dimension)) and not isinstance(num_or_size_splits, bool):
        n = int(num_or_size_splits.value if isinstance(num_or_size_splits, Dimension) else num_or_size_splits)
        with name_scope(name, "Split", [value, axis]) as scope:
            d = convert_one("Split", "split_dim", axis, dtype=dtypes.int32)
            v = convert_to_tensor(value, name="value")
            out = make_op("Split", [d, v], {"num_split": n, "T": v.dtype.base_dtype}, name=scope)
            return [out] if isinstance(out, Tensor) else out
    if size_splits.shape.ndims == 0:
        raise ValueError("Rank-0 tensors are not supported as the num_or_size_splits argument to split. "
                         "Argument provided: %s" % (num_or_size_splits,))
    if num is None:
        num = _dim(size_splits.shape, 0)
        if num is None:
            raise ValueError("Cannot infer num from shape %s" % (num_or_size_splits,))
    check_allowed("SplitV", "size_splits", size_splits.dtype, INT_TYPES)
    with name_scope(name, "SplitV", [value, size_splits, axis]) as scope:
        v = convert_to_tensor(value, name="value")
        d = convert_one("SplitV", "split_dim", axis, dtype=dtypes.int32)
        out = make_op("SplitV", [v, size_splits, d], {"num_split": int(num), "T": v.dtype.base_dtype,
                                                       "Tlen": size_splits.dtype.base_dtype}, name=scope)
        return [out] if isinstance(out, Tensor) else out


# =========================================================================== Tile
def _tile_infer(x, multiples, **_):
    _with_rank(multiples.shape, 1)
    n = multiples.shape.as_tuple()[0]
    if x.shape.ndims is not None and n is not None:
        _with_rank(TensorShape([None] * n), x.shape.ndims)  # before the value is read, as TF's TileShape
    m = _shape_from_tensor(multiples)
    if x.shape.ndims is not None:
        m = _with_rank(m, x.shape.ndims)
        merge_shapes(multiples.shape, TensorShape([x.shape.ndims]))
    if m.ndims is None:
        return x.dtype.base_dtype, TensorShape(None)
    s = _with_rank(x.shape, m.ndims)
    return x.dtype.base_dtype, TensorShape([_mul_dim(a, b) for a, b in zip(s.as_tuple(), m.as_tuple())])


def _tile_kernel(xp, x, multiples, **_):
    reps = [int(m) for m in multiples.reshape(-1).tolist()]
    if len(reps) != x.ndim:
        raise _invalid("Expected multiples argument to be a vector of length %d but got length %d"
                       % (x.ndim, len(reps)))
    for i, m in enumerate(reps):
        if m < 0:
            raise _invalid("Expected multiples[%d] >= 0, but got %d" % (i, m))
    if reps and all(m == 1 or d == 1 for m, d in zip(reps, x.shape)):
        # each axis either copied as it is or a size-1 axis repeated (the Sum and Mean gradients' Tile): one
        # broadcasting copy, several times faster than tile on small arrays
        out = xp.empty(tuple(m * d for m, d in zip(reps, x.shape)), x.dtype)
        out[...] = x
        return out
    return xp.tile(x, reps) if reps else x.copy()


def _tile_grad(op, grad):
    """Sum the copies: reshape `grad` to interleaved (multiple, size) pairs per dimension, e.g.
    input [20, 30] tiled [2, 3] -> [2, 20, 3, 30], and reduce the multiple axes (0, 2, ...)."""
    x, multiples = op.inputs
    m = constant_value(multiples)
    if m is not None and x.shape.is_fully_defined():
        split_shape = [int(v) for pair in zip(np.reshape(m, -1).tolist(), x.shape.as_list()) for v in pair]
        axes = list(builtins.range(0, len(split_shape), 2))
    else:
        input_shape = shape(x, out_type=multiples.dtype.base_dtype)
        split_shape = reshape(transpose(stack([multiples, input_shape])), [-1])
        axes = range(0, size(split_shape), 2)
    g = _math_ops().reduce_sum(reshape(grad, split_shape), axes)
    g.set_shape(x.shape)
    return [g, None]


register_op("Tile", infer=_tile_infer, kernel=_tile_kernel, grad=_tile_grad)


def tile(input, multiples, name=None):  # noqa: A002
    """`input` repeated `multiples[i]` times along each dimension i.

    >>> tf.tile(tf.zeros([2, 3]), [2, 1]).shape
    TensorShape([Dimension(4), Dimension(3)])
    """
    with name_scope(name, "Tile", [input, multiples]) as scope:
        x = convert_to_tensor(input, name="input")
        m = _index_input("Tile", "multiples", multiples)
        return make_op("Tile", [x, m], {"T": x.dtype.base_dtype, "Tmultiples": m.dtype.base_dtype}, name=scope)


# =========================================================================== Pad / PadV2 / MirrorPad
def _pad_infer(x, paddings, *rest, **_):
    p_shape = _with_rank(paddings.shape, 2)
    _with_value(p_shape.as_tuple()[1], 2)
    n = p_shape.as_tuple()[0]
    s = x.shape
    if n is not None:
        s = _with_rank(s, n)
    elif s.ndims is not None:
        n = s.ndims
    p = constant_value(paddings)
    if p is None:
        return x.dtype.base_dtype, TensorShape(None) if n is None else TensorShape([None] * n)
    p = np.asarray(p)
    s = _with_rank(s, p.shape[0])
    dims = []
    for (before, after), d in zip(p.tolist(), s.as_tuple()):
        if before < 0 or after < 0:
            raise InferenceError("Paddings must be non-negative")
        dims.append(None if d is None else d + before + after)
    return x.dtype.base_dtype, TensorShape(dims)


def _check_paddings(x, paddings):
    if paddings.ndim != 2 or paddings.shape[1] != 2 or paddings.shape[0] != x.ndim:
        raise _invalid("The first dimension of paddings must be the rank of inputs%s %s"
                       % (_dbg(paddings.shape), _dbg(x.shape)))
    pads = [(int(a), int(b)) for a, b in paddings.tolist()]
    for a, b in pads:
        if a < 0 or b < 0:
            raise _invalid("Paddings must be non-negative: %d %d" % (a, b))
    return pads


def _constant_pad(xp, x, pads, value):
    if x.dtype == object:  # strings: build the result directly (np.pad would store numpy bytes_ scalars)
        out = xp.full(tuple(d + a + b for d, (a, b) in zip(x.shape, pads)), value, dtype=object)
        out[tuple(builtins.slice(a, a + d) for d, (a, b) in zip(x.shape, pads))] = x
        return out
    return xp.pad(x, pads, mode="constant", constant_values=value)


def _pad_kernel(xp, x, paddings, **_):
    return _constant_pad(xp, x, _check_paddings(x, paddings), b"" if x.dtype == object else 0)


def _padv2_kernel(xp, x, paddings, constant_values, **_):
    if constant_values.ndim != 0:
        raise _invalid("constant_values must be a scalar. Found: %s" % _dbg(constant_values.shape))
    return _constant_pad(xp, x, _check_paddings(x, paddings), constant_values.item())


def _mirror_pad_kernel(xp, x, paddings, *, mode, **_):
    pads = _check_paddings(x, paddings)
    offset = 1 if mode == "REFLECT" else 0  # REFLECT leaves out the edge, so it has one row less to copy
    for d, (a, b) in enumerate(pads):
        if a > x.shape[d] - offset or b > x.shape[d] - offset:
            raise _invalid("paddings must be less than%s the dimension size: %d, %d not less than %d"
                           % ("" if offset else " or equal to", a, b, x.shape[d]))
    return xp.pad(x, pads, mode="reflect" if mode == "REFLECT" else "symmetric")


def _pad_grad(op, grad):
    """The input's block cut out of `grad`: it starts at the 'before' paddings (column 0)."""
    x, paddings = op.inputs[0], op.inputs[1]
    before = slice(paddings, [0, 0], stack([rank(x), 1]))
    begin = reshape(before, [-1])
    x_grad = slice(grad, begin, shape(x, out_type=begin.dtype.base_dtype))
    return [x_grad] + [None] * (len(op.inputs) - 1)  # PadV2's constant_values gets none, as in TF


def _mirror_pad_grad(op, grad):
    return [mirror_pad_grad(grad, op.inputs[1], op.get_attr("mode")), None]


register_op("Pad", infer=_pad_infer, kernel=_pad_kernel, grad=_pad_grad)
register_op("PadV2", infer=_pad_infer, kernel=_padv2_kernel, grad=_pad_grad)
register_op("MirrorPad", infer=_pad_infer, kernel=_mirror_pad_kernel, grad=_mirror_pad_grad)


def pad(tensor, paddings, mode="CONSTANT", name=None, constant_values=0):
    """`tensor` padded with `paddings[i] = [before, after]` entries on each dimension i.

    mode: "CONSTANT" (`constant_values`), "REFLECT" (mirror without the edge) or "SYMMETRIC" (with it).

    >>> tf.pad(tf.zeros([2, 3]), [[1, 1], [2, 2]]).shape
    TensorShape([Dimension(4), Dimension(7)])
    """
    mode = mode.upper()
    if mode == "CONSTANT":
        plain = not is_tensor_like(constant_values) and np.ndim(constant_values) == 0 and constant_values == 0
        op_type = "Pad" if plain else "PadV2"
    elif mode in ("REFLECT", "SYMMETRIC"):
        op_type = "MirrorPad"
    else:
        raise ValueError("Unknown padding mode: %s" % mode)
    with name_scope(name, op_type, [tensor, paddings]) as scope:
        x = convert_to_tensor(tensor, name="input")
        p = _index_input(op_type, "paddings", paddings)
        attrs = {"T": x.dtype.base_dtype, "Tpaddings": p.dtype.base_dtype}
        inputs = [x, p]
        if op_type == "PadV2":
            inputs.append(convert_same_dtype("PadV2", [("input", x), ("constant_values", constant_values)])[1])
        elif op_type == "MirrorPad":
            attrs["mode"] = mode
        return make_op(op_type, inputs, attrs, name=scope)


# =========================================================================== MirrorPadGrad
def _mirror_pad_grad_infer(x, paddings, **_):
    """TF's MirrorPadGrad shape: the input's dims less both paddings."""
    p_shape = _with_rank(paddings.shape, 2)
    n = p_shape.as_tuple()[0]
    if n is None:
        return x.dtype.base_dtype, TensorShape(None)
    s = _with_rank(x.shape, n)
    merge_shapes(p_shape, TensorShape([n, 2]))
    p = constant_value(paddings)
    if p is None:
        return x.dtype.base_dtype, TensorShape([None] * n)
    dims = []
    for (before, after), d in zip(np.asarray(p).tolist(), s.as_tuple()):
        if before < 0 or after < 0:
            raise InferenceError("Paddings must be non-negative")
        dims.append(_subtract_dim(d, before + after))
    return x.dtype.base_dtype, TensorShape(dims)


def _mirror_pad_grad_kernel(xp, x, paddings, *, mode, **_):
    """Fold each padded border back onto the entries it mirrors, one dimension at a time."""
    if paddings.ndim != 2 or paddings.shape[1] != 2 or paddings.shape[0] != x.ndim:
        raise _invalid("paddings must be a matrix with 2 columns: %s" % _dbg(paddings.shape))
    offset = 1 if mode == "REFLECT" else 0  # REFLECT mirrors around the edge entry, SYMMETRIC after it
    out = x
    for d, (a, b) in enumerate(paddings.tolist()):
        a, b = int(a), int(b)
        if a < 0 or b < 0:
            raise _invalid("Paddings must be non-negative: %d %d" % (a, b))
        n = out.shape[d] - a - b
        if a > n - offset or b > n - offset:
            raise _invalid("paddings must be less than%s the output dimension size: %d, %d not less than %d"
                           % ("" if offset else " or equal to", a, b, n))

        def part(lo, hi, step=1):
            index = [builtins.slice(None)] * out.ndim
            index[d] = builtins.slice(lo, hi, step)
            return tuple(index)

        core = out[part(a, a + n)].copy()
        if a:  # before-pad entry i mirrors entry (a - i - 1 + offset) of the core
            core[part(offset, offset + a)] += xp.flip(out[part(0, a)], axis=d)
        if b:  # after-pad entry j mirrors entry (n - 1 - offset - j) of the core
            core[part(n - offset - b, n - offset)] += xp.flip(out[part(a + n, a + n + b)], axis=d)
        out = core
    return out if out is not x else x.copy()


def _mirror_pad_grad_grad(op, grad):
    return [pad(grad, op.inputs[1], op.get_attr("mode")), None]


register_op("MirrorPadGrad", infer=_mirror_pad_grad_infer, kernel=_mirror_pad_grad_kernel,
            grad=_mirror_pad_grad_grad)


def mirror_pad_grad(input, paddings, mode, name=None):  # noqa: A002 - TF's name
    """The gradient of a mirror pad: `input` (padded-shaped) with each border added back onto the
    entries it copies, giving the unpadded shape (TF's gen_array_ops.mirror_pad_grad)."""
    with name_scope(name, "MirrorPadGrad", [input, paddings]) as scope:
        x = convert_to_tensor(input, name="input")
        p = _index_input("MirrorPadGrad", "paddings", paddings)
        return make_op("MirrorPadGrad", [x, p], {"T": x.dtype.base_dtype, "Tpaddings": p.dtype.base_dtype,
                                                 "mode": mode.upper()}, name=scope)


# =========================================================================== GatherV2
def _gather_infer(params, indices, axis_t, *, batch_dims=0, **_):
    dt = params.dtype.base_dtype
    p = _with_rank_at_least(params.shape, 1)
    _with_rank(axis_t.shape, 0)
    axis = _scalar_input(axis_t)
    if axis is None:
        if p.ndims is not None and indices.shape.ndims is not None:
            return dt, TensorShape([None] * (p.ndims + indices.shape.ndims - 1))
        return dt, TensorShape(None)
    p = _with_rank_at_least(p, -axis if axis < 0 else axis + 1)
    if p.ndims is None or indices.shape.ndims is None:
        return dt, TensorShape(None)
    a = axis % p.ndims
    d = p.as_tuple()
    return dt, TensorShape(d[:a] + indices.shape.as_tuple() + d[a + 1:])


def _gather_kernel(xp, params, indices, axis, **_):
    indices = xp.asarray(indices)  # int32 indices reach a GPU kernel in host memory
    a = int(axis)
    if not -params.ndim <= a < params.ndim:
        raise _invalid("Expected axis in the range [%d, %d), but got %d" % (-params.ndim, params.ndim, a))
    a %= params.ndim
    limit = params.shape[a]
    if indices.size <= 16:  # a few indices (a shape's entries, as the Mean gradient's): checked in Python, faster
        values = indices.reshape(-1).tolist()
        bad_at = next((k for k, v in enumerate(values) if v < 0 or v >= limit), None)
        if bad_at is None:
            return xp.take(params, indices, axis=a)
    bad = (indices < 0) | (indices >= limit)
    if bad.any():
        flat = int(xp.argmax(bad.reshape(-1)))
        where_ = np.unravel_index(flat, indices.shape) if indices.ndim else ()
        raise _invalid("indices[%s] = %d is not in [0, %d)"
                       % (",".join(str(int(i)) for i in where_), int(indices.reshape(-1)[flat]), limit))
    return xp.take(params, indices, axis=a)


def _gather_grad(op, grad):
    """TF's _GatherV2Grad. Along axis 0 the gradient is sparse: an IndexedSlices of the output gradient's slices
    (one per index, flattened) at the gathered indices, dense_shape the params' shape; tf.gradients hands it on,
    and the optimizers update only those rows. Along axis a > 0 it is dense: each gathered slice's gradient is
    summed into the place it came from (UnsortedSegmentSum), the gathered axis first moved to the front."""
    params, indices, axis_t = op.inputs
    params_shape = shape(params)
    axis = constant_value(axis_t)
    if axis is not None and int(axis) == 0:
        # TF 2.21's graph: Shape, Size, ExpandDims, strided_slice, concat, Reshape (values), Reshape_1 (indices).
        # (TF 1.15 took the shape as int64 and cast it to int32; TF 2 reads it as int32 directly)
        indices_size = expand_dims(size(indices), 0)
        values_shape = concat([indices_size, params_shape[1:]], 0)
        values = reshape(indexed_slices_to_tensor_no_warning(grad), values_shape)
        return [IndexedSlices(values, reshape(indices, indices_size), params_shape), None, None]
    grad = indexed_slices_to_tensor_no_warning(grad)
    n_indices = reshape(size(indices), [1])  # not -1: a reshape cannot infer it when params has no entries
    flat_indices = reshape(indices, n_indices)
    r = params.shape.ndims
    if axis is not None and r is not None:
        a = int(axis) % r
        dims = params.shape.as_list()
        if a == 0:
            values = reshape(grad, concat([n_indices, params_shape[1:]], 0))
            return [unsorted_segment_sum(values, flat_indices, params_shape[0]), None, None]
        # grad has shape params[:a] + indices + params[a+1:]; flatten the indices part, move it first
        values = reshape(grad, concat([params_shape[:a], n_indices, params_shape[a + 1:]], 0))
        perm = [a] + list(builtins.range(a)) + list(builtins.range(a + 1, r))
        summed = unsorted_segment_sum(transpose(values, perm), flat_indices, params_shape[a])
        inverse = list(builtins.range(1, a + 1)) + [0] + list(builtins.range(a + 1, r))
        out = transpose(summed, inverse)
        out.set_shape(dims)
        return [out, None, None]
    # axis or rank known only at run time: the same steps with the permutations as tensors
    if axis_t.dtype.base_dtype != dtypes.int32:
        axis_t = _math_ops().cast(axis_t, dtypes.int32)
    params_rank = rank(params)
    a = _math_ops().floormod(axis_t, params_rank)
    outer_shape = params_shape[:a]
    values = reshape(grad, concat([outer_shape, n_indices, params_shape[a + 1:]], 0))
    outer = range(0, a, 1)
    inner = range(a + 1, params_rank, 1)
    perm = concat([reshape(a, [1]), outer, inner], 0)
    summed = unsorted_segment_sum(transpose(values, perm), flat_indices, params_shape[a])
    inverse = concat([outer + 1, [0], inner], 0)
    return [reshape(transpose(summed, inverse), params_shape), None, None]


register_op("GatherV2", infer=_gather_infer, kernel=_gather_kernel, grad=_gather_grad)


def gather(params, indices, validate_indices=None, name=None, axis=0):
    """Slices of `params` along `axis` at `indices` (int32/int64, each in [0, params.shape[axis])).

    The output shape is params.shape[:axis] + indices.shape + params.shape[axis+1:].

    >>> tf.gather(tf.zeros([5, 3]), [[0, 4]]).shape
    TensorShape([Dimension(1), Dimension(2), Dimension(3)])
    """
    del validate_indices  # TF1 ignores it too
    if axis is None:
        axis = 0
    with name_scope(name, "GatherV2", [params, indices, axis]) as scope:
        p = convert_to_tensor(params, name="params")
        i = _index_input("GatherV2", "indices", indices)
        a = _index_input("GatherV2", "axis", axis)
        return make_op("GatherV2", [p, i, a], {"Tparams": p.dtype.base_dtype, "Tindices": i.dtype.base_dtype,
                                               "Taxis": a.dtype.base_dtype, "batch_dims": 0}, name=scope)


# =========================================================================== UnsortedSegmentSum
def _unsorted_segment_sum_infer(data, segment_ids, num_segments, **_):
    """TF's UnsortedSegmentReductionShapeFn: [num_segments] + data.shape[rank(segment_ids):]."""
    dt = data.dtype.base_dtype
    _with_rank(num_segments.shape, 0)
    ids = segment_ids.shape
    if ids.ndims is not None and data.shape.ndims is not None:
        _with_rank_at_least(data.shape, ids.ndims)
        for dd, di in zip(data.shape.as_tuple(), ids.as_tuple()):  # TF merges them dimension by dimension
            if dd is not None and di is not None and dd != di:
                raise InferenceError("Dimensions must be equal, but are %d and %d" % (dd, di))
    n = _scalar_input(num_segments)
    if n is not None and n < 0:
        raise InferenceError("Dimension size, given by scalar input 2, must be non-negative but is %d" % n)
    if ids.ndims is None or data.shape.ndims is None:
        return dt, TensorShape(None)
    return dt, TensorShape((n,) + data.shape.as_tuple()[ids.ndims:])


def _unsorted_segment_sum_kernel(xp, data, segment_ids, num_segments, **_):
    """Rows of `data` summed by segment id: sort the rows by id, then add up each run of equal ids
    (reduceat), so repeated ids need no unbuffered scatter. Negative ids are dropped, as in TF."""
    if num_segments.ndim != 0:
        raise _invalid("num_segments should be a scalar, not shape %s" % _dbg(num_segments.shape))
    n = int(num_segments)
    segment_ids = xp.asarray(segment_ids)  # int32 ids reach a GPU kernel in host memory
    k = segment_ids.ndim
    if data.shape[:k] != segment_ids.shape:
        raise _invalid("data.shape = %s does not start with segment_ids.shape = %s"
                       % (_dbg(data.shape), _dbg(segment_ids.shape)))
    ids = segment_ids.reshape(-1)
    rows = data.reshape((ids.size,) + data.shape[k:])
    bad = ids >= n
    if data.size and bad.any():  # TF checks the ids only when there is data
        flat = int(xp.argmax(bad))
        where_ = np.unravel_index(flat, segment_ids.shape) if k else ()
        raise _invalid("segment_ids[%s] = %d is out of range [0, %d)"
                       % (",".join(str(int(i)) for i in where_), int(ids[flat]), n))
    keep = ids >= 0
    if not keep.all():
        ids, rows = ids[keep], rows[keep]
    out = xp.zeros((n,) + data.shape[k:], dtype=data.dtype)
    if ids.size and data.size:  # (with no data the ids went unchecked: out-of-range ones are ignored)
        order = xp.argsort(ids, kind="stable")
        ids = ids[order]
        starts = xp.flatnonzero(xp.concatenate([xp.ones((1,), dtype=bool), ids[1:] != ids[:-1]]))
        out[ids[starts]] = xp.add.reduceat(rows[order], starts, axis=0)
    return out


def _unsorted_segment_sum_grad(op, grad):
    """Each data row gets its segment's gradient (TF's _GatherDropNegatives: zero for negative ids)."""
    m = _math_ops()
    ids = op.inputs[1]
    clipped = m.maximum(ids, zeros_like(ids))
    gathered = gather(grad, clipped)
    positive = m.greater_equal(ids, 0)
    # Select wants the condition in the shape of its values: add trailing 1s, then broadcast
    ones = ones_like(gathered, dtype=dtypes.bool)
    cond_shape = concat([shape(positive), ones_like(shape(gathered)[rank(positive):])], 0)
    positive = m.logical_and(reshape(positive, cond_shape), ones)
    return [where_v2(positive, gathered, zeros_like(gathered)), None, None]


register_op("UnsortedSegmentSum", infer=_unsorted_segment_sum_infer, kernel=_unsorted_segment_sum_kernel,
            grad=_unsorted_segment_sum_grad)


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    """output[i] = sum of data[j...] over the j... with segment_ids[j...] == i (zero where none);
    ids < 0 are dropped. Shape: [num_segments] + data.shape[rank(segment_ids):].

    >>> tf.unsorted_segment_sum([[1., 2.], [3., 4.], [5., 6.]], [1, 0, 1], 3)  # [[3, 4], [6, 8], [0, 0]]
    """
    with name_scope(name, "UnsortedSegmentSum", [data, segment_ids, num_segments]) as scope:
        d = convert_to_tensor(data, name="data")
        check_allowed("UnsortedSegmentSum", "data", d.dtype, NUMBER_TYPES)
        ids = _index_input("UnsortedSegmentSum", "segment_ids", segment_ids)
        n = _index_input("UnsortedSegmentSum", "num_segments", num_segments)
        return make_op("UnsortedSegmentSum", [d, ids, n], {"T": d.dtype.base_dtype, "Tindices": ids.dtype.base_dtype,
                                                           "Tnumsegments": n.dtype.base_dtype}, name=scope)


# =========================================================================== SegmentSum/Mean/Max/Min/Prod (sorted ids)
# The reductions share one kernel: the rows are grouped by id (sorted here, or sorted first for the unsorted ops) and
# each run of equal ids is reduced at once, so repeated ids need no unbuffered scatter.
_SEGMENT_UFUNC = {"Sum": "add", "Mean": "add", "Prod": "multiply", "Max": "maximum", "Min": "minimum"}


def _segment_runs(xp, ids, rows, ufunc):
    """For `ids` in ascending order (a vector) and the matching `rows`: each distinct id, each one's
    reduced rows, and how many rows it has. Sums use add.reduceat; the other ufuncs (CuPy has reduceat
    only for add) a segmented scan: log2(longest run) vectorized steps, after which each run's last row
    holds the reduction of the run."""
    change = ids[1:] != ids[:-1]
    starts = xp.flatnonzero(xp.concatenate([xp.ones((1,), dtype=bool), change]))
    counts = xp.diff(xp.concatenate([starts, xp.asarray([ids.size])]))
    if ufunc == "add":
        return ids[starts], xp.add.reduceat(rows, starts, axis=0), counts
    f = getattr(xp, ufunc)
    acc = rows.copy()
    step = 1
    while step < ids.size:
        same = ids[step:] == ids[:-step]  # sorted ids: rows i - step .. i are all in one run
        if not bool(same.any()):
            break
        same = same.reshape((-1,) + (1,) * (rows.ndim - 1))
        acc[step:] = xp.where(same, f(acc[step:], acc[:-step]), acc[step:])
        step *= 2
    ends = xp.flatnonzero(xp.concatenate([change, xp.ones((1,), dtype=bool)]))
    return ids[ends], acc[ends], counts


def _segment_infer(data, segment_ids, **_):
    """TF's SegmentReductionShapeFn: [?] + data.shape[1:] (the number of segments is known at run time)."""
    d = _with_rank_at_least(data.shape, 1)
    _with_rank(segment_ids.shape, 1)
    if d.ndims is None:
        return data.dtype.base_dtype, TensorShape(None)
    return data.dtype.base_dtype, TensorShape((None,) + d.as_tuple()[1:])


def _make_segment_kernel(kind):
    ufunc = _SEGMENT_UFUNC[kind]

    def kernel(xp, data, segment_ids, **_):
        ids = xp.asarray(segment_ids)  # int32 ids reach a GPU kernel in host memory
        if ids.ndim != 1:
            raise _invalid("segment_ids should be a vector.")
        if data.ndim < 1 or ids.shape[0] != data.shape[0]:
            raise _invalid("segment_ids should be the same size as dimension 0 of input.")
        n = int(ids[-1]) + 1 if ids.size else 0
        if n < 0 or (ids.size and int(ids[-1]) < 0):  # TF reads the number of segments off the last id first
            raise _invalid("segment ids must be >= 0")
        if ids.size:  # TF walks the runs of equal ids in order: is the next one larger, is this one in range
            runs = ids[xp.flatnonzero(xp.concatenate([xp.ones((1,), dtype=bool), ids[1:] != ids[:-1]]))]
            falls = xp.concatenate([runs[:-1] > runs[1:], xp.zeros((1,), dtype=bool)])
            bad = falls | (runs < 0) | (runs >= n)
            if bool(bad.any()):
                k = int(xp.argmax(bad))
                if bool(falls[k]):
                    raise _invalid("segment ids are not increasing")
                raise _invalid("Segment id %d out of range [0, %d), possibly because 'segment_ids' input is not "
                               "sorted." % (int(runs[k]), n))
        # the ids no row has: 1 for a product, else 0 (also for max and min, unlike the unsorted ops)
        out = (xp.ones if kind == "Prod" else xp.zeros)((n,) + data.shape[1:], dtype=data.dtype)
        if ids.size:
            which, reduced, counts = _segment_runs(xp, ids, data, ufunc)
            if kind == "Mean":  # integers: truncated towards zero, as C++ divides
                counts = counts.reshape((-1,) + (1,) * (data.ndim - 1))
                reduced = (reduced / counts).astype(data.dtype)
            out[which] = reduced
        return out
    kernel.__name__ = "_segment_%s_kernel" % kind.lower()
    return kernel


def _segment_sum_grad(op, grad):
    """Each row gets its segment's gradient."""
    return [gather(grad, op.inputs[1]), None]


def _segment_mean_grad(op, grad):
    """Each row gets its segment's gradient over the number of rows in the segment."""
    data, ids = op.inputs
    ones_shape = concat([shape(ids), ones(expand_dims(rank(data) - 1, 0), dtype=dtypes.int32)], 0)
    counts = segment_sum(ones(ones_shape, dtype=grad.dtype), ids)
    return [gather(_math_ops().divide(grad, counts), ids), None]


def _segment_min_or_max_grad(op, grad):
    """The gradient goes to the rows that equal their segment's result, split evenly where several do."""
    m = _math_ops()
    data, ids = op.inputs
    zeros = zeros_like(data)
    is_selected = m.equal(data, gather(op.outputs[0], ids))
    num_selected = segment_sum(m.cast(is_selected, grad.dtype), ids)
    gathered = gather(m.divide(grad, num_selected), ids)
    return [where_v2(is_selected, gathered, zeros), None]  # TF 2's rule: SelectV2


def _segment_prod_grad(op, grad):
    """d prod / d x = the product of the others: prod / x where x != 0, else the product of the
    segment's non-zero entries (zero where a segment has two or more zeros)."""
    m = _math_ops()
    data, ids = op.inputs
    is_zero = m.equal(data, 0)
    num_zeros = segment_sum(m.cast(is_zero, dtypes.int32), ids)
    grad = where_v2(m.greater(num_zeros, 1), zeros_like(grad), grad)
    non_zero_data = where_v2(is_zero, ones_like(data), data)
    non_zero_prod = segment_prod(non_zero_data, ids)
    gathered_prod = gather(op.outputs[0], ids)
    gathered_non_zero_prod = gather(non_zero_prod, ids)
    partial = where_v2(is_zero, gathered_non_zero_prod, m.truediv(gathered_prod, non_zero_data))
    return [m.multiply(gather(grad, ids), partial), None]


_SEGMENT_GRADS = {"Sum": _segment_sum_grad, "Mean": _segment_mean_grad, "Prod": _segment_prod_grad,
                  "Max": _segment_min_or_max_grad, "Min": _segment_min_or_max_grad}
for _kind in ("Sum", "Mean", "Prod", "Max", "Min"):
    register_op("Segment" + _kind, infer=_segment_infer, kernel=_make_segment_kernel(_kind), grad=_SEGMENT_GRADS[_kind])


def _segment_op(op_type, data, segment_ids, name, allowed, num_segments=None):
    args = [data, segment_ids] + ([] if num_segments is None else [num_segments])
    with name_scope(name, op_type, args) as scope:
        d = convert_to_tensor(data, name="data")
        check_allowed(op_type, "data", d.dtype, allowed)
        ids = _index_input(op_type, "segment_ids", segment_ids)
        attrs = {"T": d.dtype.base_dtype, "Tindices": ids.dtype.base_dtype}
        inputs = [d, ids]
        if num_segments is not None:
            n = _index_input(op_type, "num_segments", num_segments)
            attrs["Tnumsegments"] = n.dtype.base_dtype
            inputs.append(n)
        return make_op(op_type, inputs, attrs, name=scope)


def segment_sum(data, segment_ids, name=None):
    """output[i] = the sum of the rows data[j] with segment_ids[j] == i; `segment_ids` is a sorted
    int32/int64 vector as long as data's first dimension. Shape: [segment_ids[-1] + 1] + data.shape[1:].

    >>> tf.segment_sum([1., 2., 3., 4.], [0, 0, 2, 2])   # [3, 0, 7]
    """
    return _segment_op("SegmentSum", data, segment_ids, name, NUMBER_TYPES)


def segment_mean(data, segment_ids, name=None):
    """As tf.segment_sum, the mean of each segment (0 for an id no row has).

    >>> tf.segment_mean([1., 2., 3., 4.], [0, 0, 2, 2])   # [1.5, 0, 3.5]
    """
    return _segment_op("SegmentMean", data, segment_ids, name, NUMBER_TYPES)


def segment_prod(data, segment_ids, name=None):
    """As tf.segment_sum, the product of each segment (1 for an id no row has).

    >>> tf.segment_prod([1., 2., 3., 4.], [0, 0, 2, 2])   # [2, 1, 12]
    """
    return _segment_op("SegmentProd", data, segment_ids, name, NUMBER_TYPES)


def segment_max(data, segment_ids, name=None):
    """As tf.segment_sum, the maximum of each segment (0 for an id no row has).

    >>> tf.segment_max([1., 2., 3., 4.], [0, 0, 2, 2])   # [2, 0, 4]
    """
    return _segment_op("SegmentMax", data, segment_ids, name, _REAL_TYPES)


def segment_min(data, segment_ids, name=None):
    """As tf.segment_sum, the minimum of each segment (0 for an id no row has).

    >>> tf.segment_min([1., 2., 3., 4.], [0, 0, 2, 2])   # [1, 0, 3]
    """
    return _segment_op("SegmentMin", data, segment_ids, name, _REAL_TYPES)


# =========================================================================== UnsortedSegmentMax/Min/Prod, mean, sqrt_n
def _make_unsorted_segment_kernel(kind):
    ufunc = {"Max": "maximum", "Min": "minimum", "Prod": "multiply"}[kind]

    def kernel(xp, data, segment_ids, num_segments, **_):
        if num_segments.ndim != 0:
            raise _invalid("num_segments should be a scalar, not shape %s" % _dbg(num_segments.shape))
        n = int(num_segments)
        segment_ids = xp.asarray(segment_ids)  # int32 ids reach a GPU kernel in host memory
        k = segment_ids.ndim
        if data.shape[:k] != segment_ids.shape:
            raise _invalid("data.shape = %s does not start with segment_ids.shape = %s"
                           % (_dbg(data.shape), _dbg(segment_ids.shape)))
        ids = segment_ids.reshape(-1)
        rows = data.reshape((ids.size,) + data.shape[k:])
        bad = ids >= n
        if data.size and bad.any():  # TF checks the ids only when there is data
            flat = int(xp.argmax(bad))
            where_ = np.unravel_index(flat, segment_ids.shape) if k else ()
            raise _invalid("segment_ids[%s] = %d is out of range [0, %d)"
                           % (",".join(str(int(i)) for i in where_), int(ids[flat]), n))
        keep = ids >= 0  # negative ids are dropped
        if not keep.all():
            ids, rows = ids[keep], rows[keep]
        # an id no row has gets the reduction's identity: the lowest value for max, the highest for min
        if kind == "Prod":
            fill = 1
        else:
            info = xp.finfo(data.dtype) if data.dtype.kind in "fc" else xp.iinfo(data.dtype)
            fill = info.min if kind == "Max" else info.max
        out = xp.full((n,) + data.shape[k:], fill, dtype=data.dtype)
        if ids.size and data.size:  # (with no data the ids went unchecked: out-of-range ones are ignored)
            order = xp.argsort(ids, kind="stable")
            which, reduced, _counts = _segment_runs(xp, ids[order], rows[order], ufunc)
            out[which] = reduced
        return out
    kernel.__name__ = "_unsorted_segment_%s_kernel" % kind.lower()
    return kernel


def _gather_drop_negatives(params, ids, zero_clipped_indices=None, is_positive=None):
    """TF's _GatherDropNegatives: gather(params, max(ids, 0)), zero where the id was negative."""
    m = _math_ops()
    if zero_clipped_indices is None:
        zero_clipped_indices = m.maximum(ids, zeros_like(ids))
    gathered = gather(params, zero_clipped_indices)
    if is_positive is None:
        is_positive = m.greater_equal(ids, 0)
        # the condition in the shape of the values: trailing 1s, then broadcast
        ones_ = ones_like(gathered, dtype=dtypes.bool)
        cond_shape = concat([shape(is_positive), ones_like(shape(gathered)[rank(is_positive):])], 0)
        is_positive = m.logical_and(reshape(is_positive, cond_shape), ones_)
    return where_v2(is_positive, gathered, zeros_like(gathered)), zero_clipped_indices, is_positive


def _unsorted_segment_min_or_max_grad(op, grad):
    """The gradient goes to the rows equal to their segment's result, split evenly where several are."""
    m = _math_ops()
    data, ids, n = op.inputs
    gathered_outputs, zero_clipped, is_positive = _gather_drop_negatives(op.outputs[0], ids)
    is_selected = m.logical_and(m.equal(data, gathered_outputs), is_positive)
    num_selected = unsorted_segment_sum(m.cast(is_selected, grad.dtype), ids, n)
    gathered_grads, _, _ = _gather_drop_negatives(m.divide(grad, num_selected), None, zero_clipped, is_positive)
    return [where_v2(is_selected, gathered_grads, zeros_like(gathered_grads)), None, None]


def _unsorted_segment_prod_grad(op, grad):
    """As SegmentProd's rule, with negative ids dropped."""
    m = _math_ops()
    data, ids, n = op.inputs
    is_zero = m.equal(data, 0)
    num_zeros = unsorted_segment_sum(m.cast(is_zero, dtypes.int32), ids, n)
    grad = where_v2(m.greater(num_zeros, 1), zeros_like(grad), grad)  # TF 2's rules use SelectV2
    non_zero_data = where_v2(is_zero, ones_like(data), data)
    non_zero_prod = unsorted_segment_prod(non_zero_data, ids, n)
    zero_clipped = m.maximum(ids, zeros_like(ids))
    gathered_prod = gather(op.outputs[0], zero_clipped)
    gathered_non_zero_prod = gather(non_zero_prod, zero_clipped)
    partial = where_v2(is_zero, gathered_non_zero_prod, m.truediv(gathered_prod, data))
    gathered_grad, _, _ = _gather_drop_negatives(grad, ids, zero_clipped)
    return [m.multiply(gathered_grad, partial), None, None]


register_op("UnsortedSegmentMax", infer=_unsorted_segment_sum_infer, kernel=_make_unsorted_segment_kernel("Max"),
            grad=_unsorted_segment_min_or_max_grad)
register_op("UnsortedSegmentMin", infer=_unsorted_segment_sum_infer, kernel=_make_unsorted_segment_kernel("Min"),
            grad=_unsorted_segment_min_or_max_grad)
register_op("UnsortedSegmentProd", infer=_unsorted_segment_sum_infer, kernel=_make_unsorted_segment_kernel("Prod"),
            grad=_unsorted_segment_prod_grad)


def unsorted_segment_max(data, segment_ids, num_segments, name=None):
    """output[i] = the maximum of data[j...] over the j... with segment_ids[j...] == i; the lowest value
    of the dtype where no id is i; ids < 0 are dropped. Shape: [num_segments] + data.shape[rank(segment_ids):].

    >>> tf.unsorted_segment_max([1., 5., 3.], [1, 0, 1], 2)   # [5, 3]
    """
    return _segment_op("UnsortedSegmentMax", data, segment_ids, name, _REAL_TYPES, num_segments)


def unsorted_segment_min(data, segment_ids, num_segments, name=None):
    """As tf.unsorted_segment_max, the minimum (the highest value of the dtype where no id is i)."""
    return _segment_op("UnsortedSegmentMin", data, segment_ids, name, _REAL_TYPES, num_segments)


def unsorted_segment_prod(data, segment_ids, num_segments, name=None):
    """As tf.unsorted_segment_max, the product (1 where no id is i)."""
    return _segment_op("UnsortedSegmentProd", data, segment_ids, name, NUMBER_TYPES, num_segments)


def _unsorted_segment_n(data, segment_ids, num_segments):
    """How many rows each segment has (at least 1), shaped to broadcast against the segment sums."""
    m = _math_ops()
    num_segments = convert_to_tensor(num_segments)
    if segment_ids.shape.is_fully_defined():  # TF 2's shape_internal names its Const so
        with name_scope(None, "Shape", [segment_ids]):
            ids_shape = constant(segment_ids.shape.as_list(), dtype=dtypes.int32, name="shape_as_tensor")
    else:
        ids_shape = _shape_internal(segment_ids)
    counts = unsorted_segment_sum(ones(ids_shape, dtype=data.dtype), segment_ids, num_segments)
    broadcastable = concat([num_segments[newaxis],
                            ones([rank(data) - rank(segment_ids)], dtype=num_segments.dtype)], axis=0)
    counts = reshape(counts, broadcastable)
    if data.shape.ndims is not None and segment_ids.shape.ndims is not None:
        # the static shape TF's shape inference finds by evaluating `broadcastable` (no op added)
        n = constant_value(num_segments)
        counts.set_shape([None if n is None else int(n)] + [1] * (data.shape.ndims - segment_ids.shape.ndims))
    return m.maximum(counts, 1)


def unsorted_segment_mean(data, segment_ids, num_segments, name=None):
    """As tf.unsorted_segment_sum, divided by the number of rows in each segment (0 where none).

    >>> tf.unsorted_segment_mean([1., 2., 3., 4.], [0, 0, 2, 2], 4)   # [1.5, 0, 3.5, 0]
    """
    with name_scope(name, "UnsortedSegmentMean"):
        data = convert_to_tensor(data)
        segment_ids = convert_to_tensor(segment_ids)
        n = _unsorted_segment_n(data, segment_ids, num_segments)
        return unsorted_segment_sum(data, segment_ids, num_segments) / n


def unsorted_segment_sqrt_n(data, segment_ids, num_segments, name=None):
    """As tf.unsorted_segment_sum, divided by the square root of the number of rows in each segment.

    >>> tf.unsorted_segment_sqrt_n([1., 2., 3., 4.], [0, 0, 2, 2], 4)   # [2.1213, 0, 4.9497, 0]
    """
    with name_scope(name, "UnsortedSegmentSqrtN"):
        data = convert_to_tensor(data)
        segment_ids = convert_to_tensor(segment_ids)
        n = _unsorted_segment_n(data, segment_ids, num_segments)
        return unsorted_segment_sum(data, segment_ids, num_segments) / _math_ops().sqrt(n)


__all__ += ["segment_sum", "segment_mean", "segment_prod", "segment_max", "segment_min", "unsorted_segment_max",
            "unsorted_segment_min", "unsorted_segment_prod", "unsorted_segment_mean", "unsorted_segment_sqrt_n"]


# =========================================================================== GatherNd
def _gather_nd_infer(params, indices, **_):
    """TF's GatherNd shape: indices.shape[:-1] + params.shape[indices.shape[-1]:]."""
    dt = params.dtype.base_dtype
    i = _with_rank_at_least(indices.shape, 1)
    p = params.shape
    if p.ndims is None or i.ndims is None or i.as_tuple()[-1] is None:
        return dt, TensorShape(None)
    depth = i.as_tuple()[-1]
    if depth > p.ndims:
        raise InferenceError("indices.shape[-1] must be <= params.rank, but saw indices shape: %s and params shape: %s"
                             % (shape_str(i), shape_str(p)))
    return dt, TensorShape(i.as_tuple()[:-1] + p.as_tuple()[depth:])


def _nd_index_error(xp, flat, limits):
    """(row, the index vector) of the last row of `flat` outside [0, limits), or None: TF's N-d kernels go
    through all index vectors and report the last bad one (the 1-D ones, gather and scatter_update, the first)."""
    if not flat.size:
        return None
    bad = ((flat < 0) | (flat >= xp.asarray(limits, dtype=flat.dtype))).any(axis=1)
    if not bad.any():
        return None
    k = bad.size - 1 - int(xp.argmax(bad[::-1]))
    return k, ", ".join(str(int(v)) for v in flat[k].tolist())


def _gather_nd_kernel(xp, params, indices, **_):
    indices = xp.asarray(indices)  # int32 indices reach a GPU kernel in host memory
    if indices.ndim < 1:
        raise _invalid("indices must be at least a vector")
    depth = indices.shape[-1]
    if depth > params.ndim:
        raise _invalid("index innermost dimension length must be <= params rank; saw: %d vs. %d"
                       % (depth, params.ndim))
    batch = indices.shape[:-1]
    flat = indices.reshape(int(np.prod(batch)), depth)
    if params.size == 0 and flat.shape[0] and depth:
        raise _invalid("Requested more than 0 entries, but params is empty.  Params shape: %s" % _dbg(params.shape))
    bad = _nd_index_error(xp, flat, params.shape[:depth])
    if bad is not None:  # TF names the place in the batch of index vectors: indices[0,1]
        raise _invalid("indices%s = [%s] does not index into param shape %s"
                       % (_slice_debug(batch, bad[0]), bad[1], _dbg(params.shape)))
    slices = params.shape[depth:]
    if depth == 0:  # every (empty) index vector picks the whole of params
        out = xp.broadcast_to(params, (flat.shape[0],) + slices).copy()
    else:
        out = params[tuple(flat[:, j] for j in builtins.range(depth))]
    return out.reshape(batch + slices)


def _gather_nd_grad(op, grad):
    """TF's rule: the gathered slices' gradients scattered back (summed) into params' shape."""
    params, indices = op.inputs
    return [scatter_nd(indices, grad, shape(params, out_type=indices.dtype.base_dtype)), None]


register_op("GatherNd", infer=_gather_nd_infer, kernel=_gather_nd_kernel, grad=_gather_nd_grad)


def gather_nd(params, indices, name=None, batch_dims=0):
    """Slices of `params` picked by the index vectors in the last axis of `indices` (int32/int64):
    output[i...] = params[indices[i..., :]]. Shape: indices.shape[:-1] + params.shape[indices.shape[-1]:].

    >>> tf.gather_nd([[1, 2], [3, 4]], [[1, 0], [0, 1]])   # [3, 2]
    >>> tf.gather_nd([[1, 2], [3, 4]], [[1]])              # [[3, 4]]
    """
    if batch_dims:
        raise NotImplementedError("tfmini's gather_nd supports batch_dims=0 only (TF 1.x has no batch_dims)")
    with name_scope(name, "GatherNd", [params, indices]) as scope:
        p = convert_to_tensor(params, name="params")
        i = convert_to_tensor(indices, name="indices") if is_tensor_like(indices) else \
            convert_to_tensor(indices, name="indices", preferred_dtype=dtypes.int32)
        check_allowed("GatherNd", "indices", i.dtype, _ND_INDEX_TYPES)
        return make_op("GatherNd", [p, i], {"Tparams": p.dtype.base_dtype, "Tindices": i.dtype.base_dtype},
                       name=scope)


# =========================================================================== ScatterNd / TensorScatterUpdate, Add, Sub
_ND_INDEX_TYPES = (dtypes.int16, dtypes.int32, dtypes.int64)


def _scatter_nd_check(indices, updates, out):
    """TF's ScatterNdShapeHelper: updates.shape == indices.shape[:-1] + out.shape[indices.shape[-1]:]."""
    out_empty = out.ndims is not None and 0 in out.as_tuple()  # a 0 dimension makes it empty, known or not
    if (out_empty and ((indices.shape.is_fully_defined() and indices.shape.num_elements() > 0)
                       or (updates.shape.is_fully_defined() and updates.shape.num_elements() > 0))):
        raise InferenceError("Indices and updates specified for empty input")
    i, u = indices.shape, updates.shape
    # TF checks nothing more for a scalar `updates` (TensorScatter*'s kernel rejects it)
    if i.ndims is None or u.ndims is None or u.ndims == 0 or i.as_tuple()[-1] is None:
        return
    outer, depth = i.ndims - 1, i.as_tuple()[-1]
    pi, pu = TensorShape(i.as_tuple()[:outer]), TensorShape(u.as_tuple()[:outer])
    try:
        merge_shapes(pi, pu)
    except InferenceError as e:
        raise InferenceError("Dimensions [0,%d) of indices[shape=%s] = %s must match dimensions [0,%d) of "
                             "updates[shape=%s] = %s: %s" % (outer, shape_str(i), shape_str(pi), outer, shape_str(u),
                                                             shape_str(pu), e)) from None
    if out.ndims is None:
        return
    so, su = TensorShape(out.as_tuple()[depth:]), TensorShape(u.as_tuple()[outer:])
    try:
        merge_shapes(so, su)
    except InferenceError as e:
        raise InferenceError("Dimensions [%d,%d) of input[shape=%s] = %s must match dimensions [%d,%d) of "
                             "updates[shape=%s] = %s: %s" % (depth, out.ndims, shape_str(out), shape_str(so), outer,
                                                             u.ndims, shape_str(u), shape_str(su), e)) from None


def _scatter_nd_infer(indices, updates, shape_t, **_):
    _with_rank_at_least(indices.shape, 1)
    _with_rank_at_least(updates.shape, 1)
    n = _with_rank(shape_t.shape, 1).as_tuple()[0]
    # TF checks first with only the shape tensor's length known, then with its value
    _scatter_nd_check(indices, updates, TensorShape(None if n is None else [None] * n))
    out = _shape_from_tensor(shape_t)
    _scatter_nd_check(indices, updates, out)
    return updates.dtype.base_dtype, out


def _slice_debug(batch, k):
    """TF's SliceDebugString: where the k-th index vector sits in a batch of shape `batch` ('' for no batch
    axes, '[k]' for one, '[i,j]' for more)."""
    if not batch:
        return ""
    return "[%s]" % ",".join(str(int(i)) for i in np.unravel_index(k, batch))


def _scatter_positions(xp, indices, updates, out_shape, tensor_op):
    """Check a scatter's run-time shapes in the order TF's kernels do (the op's own checks, then DoScatterNd's, which
    read 1-D indices as a batch of scalar indices); return (linear index per update row, rows)."""
    if indices.ndim < 1:
        raise _invalid("Indices shape must have rank at least one. Found:%s" % _dbg(indices.shape))
    if updates.ndim < 1:
        raise _invalid("Updates shape must have rank at least one. Found:%s" % _dbg(updates.shape))
    n_out = int(np.prod(out_shape)) if tensor_op else len(out_shape)

    def valid_empty(n_out):  # TF's ValidEmptyOutputShape
        return (indices.size == 0 and updates.size == 0) or (n_out != 0 and indices.size != 0 and updates.size != 0)
    if not valid_empty(n_out):
        raise _invalid("Indices and updates specified for empty output shape")
    outer, depth = indices.ndim - 1, indices.shape[-1]
    if tensor_op:
        if updates.shape[:outer] != indices.shape[:outer]:
            raise _invalid("Outer dimensions of indices and update must match. Indices shape: %s, updates shape:%s"
                           % (_dbg(indices.shape), _dbg(updates.shape)))
        if updates.ndim - outer != len(out_shape) - depth:
            raise _invalid("Inner dimensions of output shape must match inner dimensions of updates shape. Output: %s "
                           "updates: %s" % (_dbg(out_shape), _dbg(updates.shape)))
        if out_shape[depth:] != updates.shape[outer:]:
            raise _invalid("The inner %d dimensions of output.shape=%s must match the inner %d dimensions of "
                           "updates.shape=%s" % (len(out_shape) - depth, _dbg(out_shape), updates.ndim - outer,
                                                 _dbg(updates.shape)))
    else:
        if updates.shape[:outer] != indices.shape[:outer]:
            raise _invalid("Dimensions [0,%d) of indices[shape=%s] must match dimensions [0,%d) of updates[shape=%s]"
                           % (outer, _dbg(indices.shape), outer, _dbg(updates.shape)))
        if updates.ndim - outer != len(out_shape) - depth or out_shape[depth:] != updates.shape[outer:]:
            raise _invalid("Dimensions [%d,%d) of input[shape=%s] must match dimensions [%d,%d) of updates[shape=%s]"
                           % (depth, len(out_shape), _dbg(out_shape), outer, updates.ndim, _dbg(updates.shape)))
    # DoScatterNd: 1-D indices are a batch of scalar indices there
    if not out_shape:
        raise _invalid("Output must be at least 1-D, got shape: %s" % _dbg(out_shape))
    if not valid_empty(int(np.prod(out_shape))):
        raise _invalid("Indices and updates specified for empty output.  indices shape: %s" % _dbg(indices.shape))
    if updates.shape[0] != indices.shape[0]:
        raise _invalid("Dimensions [0,1) of indices[shape=%s] = %d must match dimensions [0,1) of updates[shape=%s] "
                       "= %d" % (_dbg(indices.shape), indices.shape[0], _dbg(updates.shape), updates.shape[0]))
    slice_dim, batch_dim = (depth, outer) if indices.ndim > 1 else (1, 1)
    if (updates.ndim < batch_dim or updates.shape[:batch_dim] != indices.shape[:batch_dim]):
        raise _invalid("Dimensions [0,%d) of indices[shape=%s] must match dimensions [0,%d) of updates[shape=%s]"
                       % (batch_dim, _dbg(indices.shape), batch_dim, _dbg(updates.shape)))
    if updates.ndim - batch_dim != len(out_shape) - slice_dim or out_shape[slice_dim:] != updates.shape[batch_dim:]:
        raise _invalid("Dimensions [%d,%d) of input[shape=%s] must match dimensions [%d,%d) of updates[shape=%s]"
                       % (slice_dim, len(out_shape), _dbg(out_shape), slice_dim, updates.ndim, _dbg(updates.shape)))
    flat = indices.reshape(int(np.prod(indices.shape[:-1])), depth)
    bad = _nd_index_error(xp, flat, out_shape[:depth])
    if bad is not None:
        raise _invalid("indices%s = [%s] does not index into shape %s"
                       % (_slice_debug(indices.shape[:-1], bad[0]), bad[1], _dbg(out_shape)))
    strides = [int(np.prod(out_shape[j + 1:depth])) for j in builtins.range(depth)]
    linear = (flat.astype(np.int64) * xp.asarray(strides, dtype=np.int64)).sum(axis=1)
    return linear, updates.reshape((flat.shape[0],) + tuple(out_shape[depth:]))


def _scatter_sum(xp, out_shape, linear, rows, dtype):
    """The rows summed into a zero array of `out_shape` at their linear slice positions (repeats add up)."""
    slices = int(np.prod(out_shape[:len(out_shape) - (rows.ndim - 1)]))
    if int(np.prod(out_shape)) == 0:
        return xp.zeros(out_shape, dtype=dtype)
    return _unsorted_segment_sum_kernel(xp, rows, linear, np.int64(slices)).reshape(out_shape)


def _scatter_nd_kernel(xp, indices, updates, shape_a, **_):
    indices, shape_a = xp.asarray(indices), xp.asarray(shape_a)  # int32 inputs reach a GPU kernel in host memory
    if shape_a.ndim != 1:
        raise _invalid("Shape must be a vector")
    out_shape = tuple(int(d) for d in shape_a.tolist())
    linear, rows = _scatter_positions(xp, indices, updates, out_shape, tensor_op=False)
    return _scatter_sum(xp, out_shape, linear, rows, updates.dtype)


def _scatter_nd_grad(op, grad):
    """Each update's gradient is the output gradient at the place it went (TF: GatherNd)."""
    return [None, gather_nd(grad, op.inputs[0]), None]


register_op("ScatterNd", infer=_scatter_nd_infer, kernel=_scatter_nd_kernel, grad=_scatter_nd_grad)


def _tensor_scatter_infer(tensor, indices, updates, **_):
    out = _with_rank_at_least(tensor.shape, 1)
    _with_rank_at_least(indices.shape, 1)
    _scatter_nd_check(indices, updates, out)
    return tensor.dtype.base_dtype, out


def _tensor_scatter_update_kernel(xp, tensor, indices, updates, **_):
    indices = xp.asarray(indices)
    linear, rows = _scatter_positions(xp, indices, updates, tensor.shape, tensor_op=True)
    depth = indices.shape[-1]
    out = tensor.copy()
    flat = out.reshape((int(np.prod(tensor.shape[:depth])),) + tensor.shape[depth:])
    flat[linear] = rows  # a repeated index: the last update wins (TF leaves the order unspecified)
    return out


def _tensor_scatter_add_kernel(xp, tensor, indices, updates, **_):
    linear, rows = _scatter_positions(xp, xp.asarray(indices), updates, tensor.shape, tensor_op=True)
    return tensor + _scatter_sum(xp, tensor.shape, linear, rows, tensor.dtype)


def _tensor_scatter_sub_kernel(xp, tensor, indices, updates, **_):
    linear, rows = _scatter_positions(xp, xp.asarray(indices), updates, tensor.shape, tensor_op=True)
    return tensor - _scatter_sum(xp, tensor.shape, linear, rows, tensor.dtype)


def _tensor_scatter_update_grad(op, grad):
    """Updated places take their gradient from `updates`; the tensor keeps it everywhere else."""
    indices = op.inputs[1]
    tensor_grad = tensor_scatter_nd_update(identity(grad), indices, zeros_like(op.inputs[2], dtype=grad.dtype))
    return [tensor_grad, None, gather_nd(grad, indices)]


def _tensor_scatter_add_grad(op, grad):
    return [grad, None, gather_nd(grad, op.inputs[1])]


def _tensor_scatter_sub_grad(op, grad):
    return [grad, None, _math_ops().negative(gather_nd(grad, op.inputs[1]))]


register_op("TensorScatterUpdate", infer=_tensor_scatter_infer, kernel=_tensor_scatter_update_kernel,
            grad=_tensor_scatter_update_grad)
register_op("TensorScatterAdd", infer=_tensor_scatter_infer, kernel=_tensor_scatter_add_kernel,
            grad=_tensor_scatter_add_grad)
register_op("TensorScatterSub", infer=_tensor_scatter_infer, kernel=_tensor_scatter_sub_kernel,
            grad=_tensor_scatter_sub_grad)


def _nd_indices(op_type, indices, dtype=None):
    if is_tensor_like(indices):
        i = convert_to_tensor(indices)
    else:
        i = convert_to_tensor(indices, name="indices", dtype=dtype, preferred_dtype=dtypes.int32)
    check_allowed(op_type, "indices", i.dtype, _ND_INDEX_TYPES)
    return i


def scatter_nd(indices, updates, shape, name=None):  # noqa: A002 - TF's name
    """A zero tensor of `shape` with the `updates` slices added at `indices` (repeated indices add up):
    updates.shape == indices.shape[:-1] + shape[indices.shape[-1]:].

    >>> tf.scatter_nd([[1], [3]], [9., 10.], [5])   # [0, 9, 0, 10, 0]
    """
    with name_scope(name, "ScatterNd", [indices, updates, shape]) as scope:
        i = _nd_indices("ScatterNd", indices)
        u = convert_to_tensor(updates, name="updates")
        i, s = convert_same_dtype("ScatterNd", [("indices", i), ("shape", shape)], allowed=_ND_INDEX_TYPES)
        return make_op("ScatterNd", [i, u, s], {"T": u.dtype.base_dtype, "Tindices": i.dtype.base_dtype},
                       name=scope)


def _tensor_scatter(op_type, tensor, indices, updates, name):
    with name_scope(name, op_type, [tensor, indices, updates]) as scope:
        # converted in the op's input order (tensor, indices, updates), T from whichever of the two is a tensor
        t = tensor
        if not is_tensor_like(tensor):
            known = convert_to_tensor(updates).dtype.base_dtype if is_tensor_like(updates) else None
            t = convert_same_dtype(op_type, [("tensor", tensor)], dtype=known)[0]
        i = _nd_indices(op_type, indices)
        t, u = convert_same_dtype(op_type, [("tensor", t), ("updates", updates)])
        return make_op(op_type, [t, i, u], {"T": t.dtype.base_dtype, "Tindices": i.dtype.base_dtype}, name=scope)


def tensor_scatter_nd_update(tensor, indices, updates, name=None):
    """A copy of `tensor` with the slices at `indices` replaced by `updates` (shapes as in tf.scatter_nd).

    >>> tf.tensor_scatter_nd_update([1, 2, 3, 4], [[1], [3]], [9, 10])   # [1, 9, 3, 10]
    """
    return _tensor_scatter("TensorScatterUpdate", tensor, indices, updates, name)


def tensor_scatter_nd_add(tensor, indices, updates, name=None):
    """A copy of `tensor` with `updates` added at `indices` (repeated indices add up)."""
    return _tensor_scatter("TensorScatterAdd", tensor, indices, updates, name)


def tensor_scatter_nd_sub(tensor, indices, updates, name=None):
    """A copy of `tensor` with `updates` subtracted at `indices` (repeated indices add up)."""
    return _tensor_scatter("TensorScatterSub", tensor, indices, updates, name)


tensor_scatter_update = tensor_scatter_nd_update  # TF 1.15's names for them
tensor_scatter_add = tensor_scatter_nd_add
tensor_scatter_sub = tensor_scatter_nd_sub

__all__ += ["gather_nd", "scatter_nd", "tensor_scatter_nd_update", "tensor_scatter_nd_add", "tensor_scatter_nd_sub",
            "tensor_scatter_update", "tensor_scatter_add", "tensor_scatter_sub"]


# =========================================================================== Unique / UniqueWithCounts
UniqueOutput = collections.namedtuple("Unique", ["y", "idx"])
UniqueWithCountsOutput = collections.namedtuple("UniqueWithCounts", ["y", "idx", "count"])


def _unique_infer(x, *, out_idx, **_):
    _with_rank(x.shape, 1)
    return [(x.dtype.base_dtype, TensorShape([None])), (out_idx, x.shape)]


def _unique_with_counts_infer(x, *, out_idx, **_):
    # TF's shape function here checks no rank (the kernel does: "unique expects a 1D vector.")
    return [(x.dtype.base_dtype, TensorShape([None])), (out_idx, x.shape), (out_idx, TensorShape([None]))]


def _unique_parts(xp, x, out_idx):
    """The distinct values of vector `x` in the order they first appear, each element's position among
    them, and how often each occurs (np.unique sorts: its results are put back in order of appearance)."""
    if x.ndim != 1:
        raise _invalid("unique expects a 1D vector.")
    # TF hashes the values: each NaN is a value of its own, and -0.0 and 0.0 are one (the first seen is kept)
    kw = {"equal_nan": False} if x.dtype.kind == "f" and bool(xp.isnan(x).any()) else {}
    _values, first, inverse, counts = xp.unique(x, return_index=True, return_inverse=True, return_counts=True, **kw)
    order = xp.argsort(first, kind="stable")
    rank_of = xp.empty_like(order)
    rank_of[order] = xp.arange(order.size)
    it = out_idx.as_numpy_dtype
    return x[first[order]], rank_of[inverse.reshape(-1)].astype(it), counts[order].astype(it)


def _unique_kernel(xp, x, *, out_idx, **_):
    y, idx, _count = _unique_parts(xp, x, out_idx)
    return y, idx


def _unique_with_counts_kernel(xp, x, *, out_idx, **_):
    return _unique_parts(xp, x, out_idx)


# TF registers no gradient for them (tf.gradients raises LookupError there); here they pass none back
register_op("Unique", infer=_unique_infer, kernel=_unique_kernel, grad=NO_GRADIENT)
register_op("UniqueWithCounts", infer=_unique_with_counts_infer, kernel=_unique_with_counts_kernel,
            grad=NO_GRADIENT)


def _unique_op(op_type, x, out_idx, name):
    out_idx = dtypes.as_dtype(out_idx).base_dtype
    check_allowed(op_type, "out_idx", out_idx, INT_TYPES)
    with name_scope(name, op_type, [x]) as scope:
        xt = convert_to_tensor(x, name="x")
        return make_op(op_type, [xt], {"T": xt.dtype.base_dtype, "out_idx": out_idx}, name=scope)


def unique(x, out_idx=dtypes.int32, name=None):
    """The distinct values `y` of the vector `x` in the order they first appear, and for each element
    of `x` its position `idx` in `y` (x == gather(y, idx)). `y` has static shape [?].

    >>> y, idx = tf.unique([3, 1, 3, 2])   # y = [3, 1, 2], idx = [0, 1, 0, 2]
    """
    return UniqueOutput(*_unique_op("Unique", x, out_idx, name))


def unique_with_counts(x, out_idx=dtypes.int32, name=None):
    """tf.unique, and `count`: how many times each value of `y` occurs in `x`.

    >>> y, idx, count = tf.unique_with_counts([3, 1, 3, 2])   # count = [2, 1, 1]
    """
    return UniqueWithCountsOutput(*_unique_op("UniqueWithCounts", x, out_idx, name))


__all__ += ["unique", "unique_with_counts"]
__all__ += ["sequence_mask", "pack", "unpack", "select"]  # and TF 0.x's names of stack, unstack, where


# =========================================================================== SelectV2 (tf.where_v2)
def _select_v2_infer(condition, t, e, **_):
    """TF's SelectV2: `t` and `e` broadcast together, and the result with `condition`."""
    return t.dtype.base_dtype, broadcast_shape(condition.shape, broadcast_shape(t.shape, e.shape))


def _select_v2_kernel(xp, condition, t, e, **_):
    return xp.where(condition, xp.asarray(t), xp.asarray(e))  # int32 values reach a GPU kernel in host memory


def _select_v2_explain(shapes, **_):
    c, t, e = shapes
    return "condition %s, then %s, and else %s must be broadcastable" % (_dbg(c), _dbg(t), _dbg(e))


def _select_v2_grad(op, grad):
    """`grad` goes to `t` where the condition holds and to `e` elsewhere (each summed back to its shape)."""
    c = op.inputs[0]
    zeros = zeros_like(grad)
    return [None, where_v2(c, grad, zeros), where_v2(c, zeros, grad)]


register_op("SelectV2", infer=_select_v2_infer, kernel=_select_v2_kernel, grad=_select_v2_grad, broadcasting=True,
            explain=_select_v2_explain)


def where_v2(condition, x=None, y=None, name=None):
    """TF 2's where (tf.where_v2 in TF 1.x). Without x and y: the coordinates of the true entries, as
    tf.where. With both: elements of `x` where `condition` holds, else of `y`; the three broadcast together.

    >>> tf.where_v2([[True], [False]], [1., 2.], 0.)   # [[1, 2], [0, 0]]
    """
    if x is None and y is None:
        return where(condition, name=name)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    with name_scope(name, "SelectV2", [condition, x, y]) as scope:
        c = convert_one("SelectV2", "condition", condition, dtype=dtypes.bool)
        t, e = convert_same_dtype("SelectV2", [("t", x), ("e", y)])
        return make_op("SelectV2", [c, t, e], {"T": t.dtype.base_dtype}, name=scope)


# =========================================================================== IdentityN
def _identity_n_infer(*inputs, **_):
    return [(x.dtype.base_dtype, x.shape) for x in inputs]


def _identity_n_kernel(xp, *arrays, **_):
    return arrays[0] if len(arrays) == 1 else tuple(arrays)


def _identity_n_grad(op, *grads):
    return list(grads)


register_op("IdentityN", infer=_identity_n_infer, kernel=_identity_n_kernel, grad=_identity_n_grad,
            aliases_input=True)


def identity_n(input, name=None):  # noqa: A002 - TF's name
    """The tensors of the list `input` (of any dtypes) passed through one op, unchanged.

    >>> a, b = tf.identity_n([tf.constant(1.), tf.constant([1, 2])])
    """
    with name_scope(name, "IdentityN", list(input)) as scope:
        xs = [convert_to_tensor(v) if is_tensor_like(v) else convert_to_tensor(v, name="input_%d" % i)
              for i, v in enumerate(input)]
        out = make_op("IdentityN", xs, {"T": [x.dtype.base_dtype for x in xs]}, name=scope)
        return [out] if isinstance(out, Tensor) else out


# =========================================================================== meshgrid (composite)
def meshgrid(*args, **kwargs):
    """N-D coordinate grids from N 1-D tensors, as numpy.meshgrid: with indexing='xy' (the default) the
    first two output axes are swapped (shape [len(y), len(x), ...]); with 'ij' they are not.

    >>> X, Y = tf.meshgrid([1, 2, 3], [4, 5])   # X = [[1, 2, 3], [1, 2, 3]], Y = [[4, 4, 4], [5, 5, 5]]
    """
    indexing = kwargs.pop("indexing", "xy")
    name = kwargs.pop("name", "meshgrid")
    if kwargs:
        raise TypeError("'{}' is an invalid keyword argument for this function".format(list(kwargs)[0]))
    if indexing not in ("xy", "ij"):
        raise ValueError("Argument `indexing` parameter must be either 'xy' or 'ij', got '{}'".format(indexing))
    with name_scope(name, "meshgrid", args):
        ndim = len(args)
        if not ndim:
            return []
        ones_shape = (1,) * ndim
        # each input as a vector along its own axis
        output = [reshape(stack(x), ones_shape[:i] + (-1,) + ones_shape[i + 1:]) for i, x in enumerate(args)]
        sizes = [size(x) for x in args]
        dtype = convert_to_tensor(args[0]).dtype.base_dtype
        if indexing == "xy" and ndim > 1:
            output[0] = reshape(output[0], (1, -1) + (1,) * (ndim - 2))
            output[1] = reshape(output[1], (-1, 1) + (1,) * (ndim - 2))
            sizes[0], sizes[1] = sizes[1], sizes[0]
        full = ones(sizes, dtype)
        return [x * full for x in output]


__all__ += ["where_v2", "identity_n", "meshgrid"]


# =========================================================================== OneHot
def _one_hot_infer(indices, depth, on_value, off_value, *, axis, T, **_):
    if axis < -1:
        raise InferenceError("axis must be >= -1")
    d = _scalar_input(depth)
    if d is not None and d < 0:
        raise InferenceError("Dimension size, given by scalar input 1, must be non-negative but is %d" % d)
    s = indices.shape
    if s.ndims is None:
        return T, TensorShape(None)
    new_rank = s.ndims + 1
    at = (axis + new_rank) % new_rank
    dims = list(s.as_tuple())
    dims.insert(at, d)
    return T, TensorShape(dims)


def _one_hot_kernel(xp, indices, depth, on_value, off_value, *, axis, T, **_):
    # int32 values reach a GPU kernel in host memory
    indices, on_value, off_value = xp.asarray(indices), xp.asarray(on_value), xp.asarray(off_value)
    n = int(depth)
    if n < 0:
        raise _invalid("depth must be non-negative, got: %d" % n)
    for what, v in (("on_value", on_value), ("off_value", off_value)):
        if v.ndim != 0:
            raise _invalid("%s must be a scalar, but got: %s" % (what, _dbg(v.shape)))
    at = indices.ndim if axis == -1 else axis
    if not 0 <= at <= indices.ndim:
        raise _invalid("Expected axis to be -1 or between [0, %d).  But received: %d" % (indices.ndim + 1, axis))
    hot = indices[..., None] == xp.arange(n)  # out-of-range indices: all off
    out = xp.where(hot, on_value, off_value).astype(T.as_numpy_dtype)
    return xp.moveaxis(out, -1, at)


register_op("OneHot", infer=_one_hot_infer, kernel=_one_hot_kernel, grad=NOT_DIFFERENTIABLE)


def _dtype_of(value):
    """The dtype `value` has, or would have as a tensor, without adding ops."""
    if is_tensor_like(value):
        return convert_to_tensor(value).dtype.base_dtype
    return dtypes.as_dtype(python_to_ndarray(value).dtype)


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """A tensor with `on_value` where the new `axis` (default: last) equals `indices`, `off_value` elsewhere.

    The dtype comes from `dtype`, else from on_value/off_value, else float32.

    >>> tf.one_hot([0, 2], 3).shape
    TensorShape([Dimension(2), Dimension(3)])
    """
    with name_scope(name, "one_hot", [indices, depth, on_value, off_value, axis, dtype]) as scope:
        on_dtype = _dtype_of(on_value) if on_value is not None else None
        off_dtype = _dtype_of(off_value) if off_value is not None else None
        if dtype is not None:
            dtype = dtypes.as_dtype(dtype).base_dtype
        if on_value is not None or off_value is not None:
            if dtype is not None:
                if on_value is not None and on_dtype != dtype:
                    raise TypeError("dtype {0} of on_value does not match dtype parameter {1}".format(on_dtype, dtype))
                if off_value is not None and off_dtype != dtype:
                    raise TypeError("dtype {0} of off_value does not match dtype parameter {1}"
                                    .format(off_dtype, dtype))
            else:
                dtype = on_dtype if on_value is not None else off_dtype
        elif dtype is None:
            dtype = dtypes.float32
        on_dtype = dtype if on_value is None else on_dtype
        off_dtype = dtype if off_value is None else off_dtype
        if on_dtype != off_dtype:
            raise TypeError("dtype {0} of on_value does not match dtype {1} of off_value".format(on_dtype, off_dtype))
        on_t = convert_to_tensor(1 if on_value is None else on_value, dtype=dtype, name="on_value")
        off_t = convert_to_tensor(0 if off_value is None else off_value, dtype=dtype, name="off_value")
        idx = convert_to_tensor(indices, name="indices")
        check_allowed("OneHot", "indices", idx.dtype, (dtypes.uint8, dtypes.int32, dtypes.int64))
        d = convert_one("OneHot", "depth", depth, dtype=dtypes.int32)
        return make_op("OneHot", [idx, d, on_t, off_t], {"axis": -1 if axis is None else int(axis), "T": dtype,
                                                         "TI": idx.dtype.base_dtype}, name=scope)


# =========================================================================== Slice
def _slice_infer(x, begin, size_t, **_):
    dt = x.dtype.base_dtype
    b_shape = _with_rank(begin.shape, 1)
    s_shape = _with_rank(size_t.shape, 1)
    n = merge_shapes(b_shape, s_shape).as_tuple()[0]
    s = x.shape
    if n is not None:
        s = _with_rank(s, n)
    begin_value = _shape_from_tensor(begin)
    sizes = constant_value(size_t)
    if sizes is not None:
        sizes = [int(v) for v in np.reshape(sizes, -1)]
        begin_value = _with_rank(begin_value, len(sizes))
        dims = []
        for i, sz in enumerate(sizes):
            d = _dim(s, i)
            if sz != -1:
                if sz < 0:
                    raise InferenceError("Out of bounds slicing on dimension %d of length %d: sizes vector cannot "
                                         "be < -1, but was %d" % (i, -1 if d is None else d, sz))
                dims.append(sz)
            else:
                dims.append(_subtract_dim(d, begin_value.as_tuple()[i]))
        return dt, TensorShape(dims)
    size_shape = _shape_from_tensor(size_t)
    if size_shape.ndims is not None:
        _with_rank(begin_value, size_shape.ndims)
        return dt, size_shape
    return dt, TensorShape(None) if s.ndims is None else TensorShape([None] * s.ndims)


def _slice_kernel(xp, x, begin, size_a, **_):
    b = [int(v) for v in begin.reshape(-1)]
    sz = [int(v) for v in size_a.reshape(-1)]
    if begin.ndim != 1 or size_a.ndim != 1 or len(b) != x.ndim or len(sz) != x.ndim:
        raise _invalid("Expected begin and size arguments to be 1-D tensors of size %d, but got shapes %s and %s "
                       "instead." % (x.ndim, _dbg(begin.shape), _dbg(size_a.shape)))
    index = []
    for i, (lo, n) in enumerate(zip(b, sz)):
        d = x.shape[i]
        if n == -1:
            n = d - lo
        if not 0 <= lo <= d:
            raise _invalid("Expected begin[%d] in [0, %d], but got %d" % (i, d, lo))
        if not (0 <= n and lo + n <= d):
            raise _invalid("Expected size[%d] in [0, %d], but got %d" % (i, d - lo, n))
        index.append(builtins.slice(lo, lo + n))
    return x[tuple(index)]


def _slice_grad(op, grad):
    """`grad` padded with zeros back to the input's shape: `begin` before, the rest after."""
    x, begin = op.inputs[0], op.inputs[1]
    index_dtype = begin.dtype.base_dtype
    column = stack([rank(x), 1])
    before = reshape(begin, column)
    after = reshape(shape(x, out_type=index_dtype) - shape(op.outputs[0], out_type=index_dtype) - begin, column)
    return [pad(grad, concat([before, after], 1)), None, None]


register_op("Slice", infer=_slice_infer, kernel=_slice_kernel, grad=_slice_grad, aliases_input=True)


def slice(input_, begin, size, name=None):  # noqa: A001 - TF's name
    """The block of `input_` that starts at `begin` and has shape `size` (-1: to the end).

    >>> tf.slice(tf.zeros([3, 4]), [1, 0], [2, -1]).shape
    TensorShape([Dimension(2), Dimension(4)])
    """
    with name_scope(name, "Slice", [input_, begin, size]) as scope:
        x = convert_to_tensor(input_, name="input")
        b, s = convert_same_dtype("Slice", [("begin", begin), ("size", size)], allowed=INT_TYPES)
        return make_op("Slice", [x, b, s], {"T": x.dtype.base_dtype, "Index": b.dtype.base_dtype}, name=scope)


# =========================================================================== StridedSlice and Tensor.__getitem__
_NEW_AXIS, _SHRINK_AXIS = -1, -2


def _strided_slice_plan(dims, begin, end, strides, begin_mask, end_mask, ellipsis_mask, new_axis_mask,
                        shrink_axis_mask):
    """TF's ValidateStridedSliceOp: expand the sparse spec (one entry per index expression) into one
    (begin, end, stride, shrink) per input dimension, and compute the output shape.

    dims: the input shape (ints or None); begin/end: lists of ints, or None when not known yet.
    Returns (final_shape, dense) with dense[i] = (begin, end, stride, shrink) canonicalized, or None
    where dims[i] is unknown.
    """
    if ellipsis_mask & (ellipsis_mask - 1):
        raise InferenceError("Multiple ellipses in slice spec not allowed")
    n_sparse = len(strides)
    n_new_after_ellipsis, seen = 0, False
    for i in builtins.range(n_sparse):
        if seen and (1 << i) & new_axis_mask:
            n_new_after_ellipsis += 1
        if (1 << i) & ellipsis_mask:
            seen = True
    if not seen:  # an implicit ellipsis at the end
        ellipsis_mask |= 1 << n_sparse
        n_sparse += 1
    rank_ = len(dims)
    d_begin, d_end, d_stride = [0] * rank_, [0] * rank_, [1] * rank_
    d_bmask = d_emask = d_shrink = 0
    gather_from = []  # where each output dimension comes from: an input dim, _NEW_AXIS or _SHRINK_AXIS
    full = 0
    for i in builtins.range(n_sparse):
        bit = 1 << i
        if bit & ellipsis_mask:
            nxt = min(rank_ - (n_sparse - i) + 1 + n_new_after_ellipsis, rank_)
            while full < nxt:
                d_bmask |= 1 << full
                d_emask |= 1 << full
                gather_from.append(full)
                full += 1
        elif bit & new_axis_mask:
            gather_from.append(_NEW_AXIS)
        else:
            if full == rank_:
                raise InferenceError("Index out of range using input dim %d; input has only %d dims" % (full, rank_))
            if begin is not None:
                d_begin[full] = begin[i]
            if end is not None:
                d_end[full] = end[i]
            d_stride[full] = strides[i]
            if begin_mask & bit:
                d_bmask |= 1 << full
            if end_mask & bit:
                d_emask |= 1 << full
            if shrink_axis_mask & bit:
                gather_from.append(_SHRINK_AXIS)
                d_shrink |= 1 << full
            else:
                gather_from.append(full)
            full += 1

    values_known = begin is not None and end is not None
    processing, dense = [], []
    for i in builtins.range(rank_):
        b, e, s, d = d_begin[i], d_end[i], d_stride[i], dims[i]
        if s == 0:
            raise InferenceError("strides[%d] must be non-zero" % i)
        shrink = bool(d_shrink & (1 << i))
        if d is None:
            processing.append(1 if shrink else None)
            dense.append(None)
            continue
        masked = (bool(d_bmask & (1 << i)), bool(d_emask & (1 << i)))
        valid = (0, d) if s > 0 else (-1, d - 1)

        def canonical(x, c):
            if masked[c]:
                return valid[c] if s > 0 else valid[(c + 1) & 1]
            x = d + x if x < 0 else x
            return min(max(x, valid[0]), valid[1])

        if shrink and s <= 0:
            raise InferenceError("only stride 1 allowed on non-range indexing.")
        length = None
        if values_known:
            if shrink:
                b = d + b if b < 0 else b
                e = b + 1
                if b < 0 or b >= d:
                    raise InferenceError("slice index %d of dimension %d out of bounds." % (b, i))
            else:
                b, e = canonical(b, 0), canonical(e, 1)
            length = e - b
        elif shrink:
            length = 1
        elif masked[0] and masked[1]:
            length = -d if s < 0 else d
        if length is None:
            processing.append(None)
        elif length == 0 or (length < 0) != (s < 0):
            processing.append(0)
        else:
            processing.append(length // s + (1 if length % s else 0))
        dense.append((b, e, s, shrink))
    final = []
    for g in gather_from:
        if g >= 0:
            final.append(processing[g])
        elif g == _NEW_AXIS:
            final.append(1)
    return final, dense


def _strided_slice_infer(x, begin, end, strides, *, begin_mask=0, end_mask=0, ellipsis_mask=0, new_axis_mask=0,
                         shrink_axis_mask=0, **_):
    dt = x.dtype.base_dtype
    spec = merge_shapes(_with_rank(begin.shape, 1), _with_rank(end.shape, 1))
    spec = merge_shapes(spec, _with_rank(strides.shape, 1))
    sv = constant_value(strides)
    if x.shape.ndims is None or spec.as_tuple()[0] is None or sv is None:
        return dt, TensorShape(None)
    bv, ev = constant_value(begin), constant_value(end)
    final, _ = _strided_slice_plan(x.shape.as_tuple(), None if bv is None else np.reshape(bv, -1).tolist(),
                                   None if ev is None else np.reshape(ev, -1).tolist(),
                                   np.reshape(sv, -1).tolist(), begin_mask, end_mask, ellipsis_mask,
                                   new_axis_mask, shrink_axis_mask)
    return dt, TensorShape(final)


def _strided_slice_kernel(xp, x, begin, end, strides, *, begin_mask=0, end_mask=0, ellipsis_mask=0,
                          new_axis_mask=0, shrink_axis_mask=0, **_):
    if not (begin.ndim == end.ndim == strides.ndim == 1 and begin.size == end.size == strides.size):
        raise _invalid("Expected begin, end, and strides to be 1D equal size tensors, but got shapes %s, %s, and "
                       "%s instead." % (_dbg(begin.shape), _dbg(end.shape), _dbg(strides.shape)))
    try:
        final, dense = _strided_slice_plan(x.shape, begin.tolist(), end.tolist(), strides.tolist(), begin_mask,
                                           end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask)
    except InferenceError as e:
        raise _invalid(str(e)) from None
    return x[_dense_index(dense)].reshape(final)


def _dense_index(dense):
    """The numpy index of a canonical dense spec from `_strided_slice_plan`."""
    index = []
    for b, e, s, shrink in dense:
        if shrink:
            index.append(b)
        elif (e - b == 0) or ((e - b) < 0) != (s < 0):
            index.append(builtins.slice(0, 0))
        else:  # a negative stride ending before element 0 has no numpy end index
            index.append(builtins.slice(b, None if e < 0 else e, s))
    return tuple(index)


_SLICE_MASKS = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")


def _strided_slice_grad(op, grad):
    """`grad` scattered back into zeros of the input's shape (the StridedSliceGrad op)."""
    from .constant_op import constant_value
    x, begin, end, strides = op.inputs
    masks = {k: op.get_attr(k) for k in _SLICE_MASKS}
    # as TF: each argument known when the graph is built passes as its value (a new Const in StridedSliceGrad's scope)
    args = [shape(x, out_type=begin.dtype.base_dtype), begin, end, strides]
    args = [a if constant_value(a) is None else constant_value(a) for a in args]
    return [strided_slice_grad(*args, grad, **masks), None, None, None]


register_op("StridedSlice", infer=_strided_slice_infer, kernel=_strided_slice_kernel, grad=_strided_slice_grad,
            aliases_input=True)


# =========================================================================== StridedSliceGrad
def _strided_slice_grad_infer(shape_t, begin, end, strides, dy, **_):
    return dy.dtype.base_dtype, _shape_from_tensor(shape_t)


def _strided_slice_grad_kernel(xp, shape_a, begin, end, strides, dy, *, begin_mask=0, end_mask=0, ellipsis_mask=0,
                               new_axis_mask=0, shrink_axis_mask=0, **_):
    if shape_a.ndim != 1:
        raise _invalid("shape must be 1-D, got shape %s" % _dbg(shape_a.shape))
    if not (begin.ndim == end.ndim == strides.ndim == 1 and begin.size == end.size == strides.size):
        raise _invalid("Expected begin, end, and strides to be 1D equal size tensors, but got shapes %s, %s, and "
                       "%s instead." % (_dbg(begin.shape), _dbg(end.shape), _dbg(strides.shape)))
    dims = [int(d) for d in shape_a.tolist()]
    try:
        final, dense = _strided_slice_plan(dims, begin.tolist(), end.tolist(), strides.tolist(), begin_mask,
                                           end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask)
    except InferenceError as e:
        raise _invalid(str(e)) from None
    if list(dy.shape) != final:
        raise _invalid("shape of dy was %s instead of %s" % (_dbg(dy.shape), _dbg(final)))
    out = xp.zeros(dims, dtype=dy.dtype)
    index = _dense_index(dense)
    out[index] = dy.reshape(out[index].shape)
    return out


def _strided_slice_grad_grad(op, grad):
    """StridedSliceGrad is linear in dy: its gradient slices `grad` as the forward op did."""
    _, begin, end, strides, _ = op.inputs
    masks = {k: op.get_attr(k) for k in _SLICE_MASKS}
    return [None, None, None, None, strided_slice(grad, begin, end, strides, **masks)]


register_op("StridedSliceGrad", infer=_strided_slice_grad_infer, kernel=_strided_slice_grad_kernel,
            grad=_strided_slice_grad_grad)


def strided_slice_grad(shape, begin, end, strides, dy, begin_mask=0, end_mask=0, ellipsis_mask=0,  # noqa: A002
                       new_axis_mask=0, shrink_axis_mask=0, name=None):
    """Zeros of `shape` with `dy` written where `strided_slice(zeros, begin, end, strides, masks)`
    reads: the gradient of StridedSlice (TF's gen_array_ops.strided_slice_grad)."""
    with name_scope(name, "StridedSliceGrad", [shape, begin, end, strides, dy]) as scope:
        s, b, e, st = convert_same_dtype("StridedSliceGrad", [("shape", shape), ("begin", begin), ("end", end),
                                                              ("strides", strides)], allowed=INT_TYPES)
        g = convert_to_tensor(dy, name="dy")
        attrs = {"T": g.dtype.base_dtype, "Index": s.dtype.base_dtype, "begin_mask": int(begin_mask),
                 "end_mask": int(end_mask), "ellipsis_mask": int(ellipsis_mask),
                 "new_axis_mask": int(new_axis_mask), "shrink_axis_mask": int(shrink_axis_mask)}
        return make_op("StridedSliceGrad", [s, b, e, st, g], attrs, name=scope)


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0, new_axis_mask=0,
                  shrink_axis_mask=0, var=None, name=None):
    """Python's `input_[begin:end:strides]` per dimension, with TF's masks: bit i of `begin_mask` /
    `end_mask` ignores begin[i] / end[i], `ellipsis_mask` marks `...`, `new_axis_mask` tf.newaxis
    and `shrink_axis_mask` an integer index (the dimension is dropped). `t[...]` builds this op.

    >>> tf.strided_slice(tf.zeros([3, 4]), [1, 0], [0, 4], [1, 2], end_mask=1).shape
    TensorShape([Dimension(2), Dimension(2)])
    """
    if strides is None:
        strides = ones_like(begin)
    with name_scope(name, "StridedSlice", [input_, begin, end, strides]) as scope:
        x = convert_to_tensor(input_, name="input")
        b, e, s = convert_same_dtype("StridedSlice", [("begin", begin), ("end", end), ("strides", strides)],
                                     allowed=INT_TYPES)
        attrs = {"T": x.dtype.base_dtype, "Index": b.dtype.base_dtype, "begin_mask": int(begin_mask),
                 "end_mask": int(end_mask), "ellipsis_mask": int(ellipsis_mask),
                 "new_axis_mask": int(new_axis_mask), "shrink_axis_mask": int(shrink_axis_mask)}
        return make_op("StridedSlice", [x, b, e, s], attrs, name=scope)


_SLICE_TYPE_ERROR = ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
                     "tf.int32/tf.int64 tensors are valid indices")


def _check_index(idx):
    """An int, or a scalar int32/int64 tensor (TF's optimistic check), else TF's TypeError."""
    if isinstance(idx, (int, np.integer, Dimension)) and not isinstance(idx, (bool, np.bool_)):
        return
    dtype = getattr(idx, "dtype", None)
    try:
        dtype = None if dtype is None else dtypes.as_dtype(dtype).base_dtype
    except TypeError:
        dtype = None
    idx_shape = getattr(idx, "shape", None)
    is_vector = bool(idx_shape) and len(idx_shape) == 1
    if dtype is None or dtype not in INT_TYPES or is_vector:
        raise TypeError(_SLICE_TYPE_ERROR + ", got {!r}".format(idx))


def _plain_index(v):
    """Dimension -> int; everything else unchanged."""
    return v.value if isinstance(v, Dimension) else v


def _slice_helper(tensor, slice_spec, var=None):
    """Tensor.__getitem__: ints, negative ints, slices with steps, tf.newaxis, `...` and scalar int
    tensors become one StridedSlice op named 'strided_slice'; a bool mask becomes tf.boolean_mask.

    >>> tf.zeros([3, 4])[1:, ::-1].shape
    TensorShape([Dimension(2), Dimension(4)])
    """
    if (isinstance(slice_spec, bool) or (isinstance(slice_spec, Tensor) and slice_spec.dtype == dtypes.bool)
            or (isinstance(slice_spec, np.ndarray) and slice_spec.dtype == bool)):
        return boolean_mask(tensor=tensor, mask=slice_spec)
    if not isinstance(slice_spec, (list, tuple)):
        slice_spec = [slice_spec]
    begin, end, strides = [], [], []
    begin_mask = end_mask = ellipsis_mask = new_axis_mask = shrink_axis_mask = 0
    for index, s in enumerate(slice_spec):
        bit = 1 << index
        if isinstance(s, builtins.slice):
            # Python 2 gave `a[:]` as slice(None, sys.maxsize); TF treats maxsize as "to the end"
            if s.start is not None and (isinstance(s.start, Tensor) or s.start != sys.maxsize):
                _check_index(s.start)
                begin.append(_plain_index(s.start))
            else:
                begin.append(0)
                begin_mask |= bit
            if s.stop is not None and (isinstance(s.stop, Tensor) or s.stop != sys.maxsize):
                _check_index(s.stop)
                end.append(_plain_index(s.stop))
            else:
                end.append(0)
                end_mask |= bit
            if s.step is not None:
                _check_index(s.step)
                strides.append(_plain_index(s.step))
            else:
                strides.append(1)
        elif s is Ellipsis:
            begin.append(0)
            end.append(0)
            strides.append(1)
            ellipsis_mask |= bit
        elif s is newaxis:
            begin.append(0)
            end.append(0)
            strides.append(1)
            new_axis_mask |= bit
        else:
            _check_index(s)
            s = _plain_index(s)
            begin.append(s)
            end.append(s + 1)  # a tensor index builds an 'add' op here, outside the scope, as in TF
            strides.append(1)
            shrink_axis_mask |= bit
    with name_scope(None, "strided_slice", [tensor] + begin + end + strides) as name:
        if begin:
            packed = [stack(begin), stack(end), stack(strides)]
            if any(p.dtype.base_dtype == dtypes.int64 for p in packed):
                packed = [_math_ops().cast(p, dtypes.int64) for p in packed]
        else:
            empty = constant([], dtype=dtypes.int32)
            packed = [empty, empty, empty]
        return strided_slice(tensor, packed[0], packed[1], packed[2], begin_mask=begin_mask, end_mask=end_mask,
                             shrink_axis_mask=shrink_axis_mask, new_axis_mask=new_axis_mask,
                             ellipsis_mask=ellipsis_mask, var=var, name=name)


Tensor._override_operator("__getitem__", _slice_helper)


# =========================================================================== Where / Select (tf.where)
def _where_infer(condition, **_):
    return dtypes.int64, TensorShape([None, condition.shape.ndims])


def _where_kernel(xp, condition, **_):
    return xp.argwhere(condition).astype(np.int64)


register_op("Where", infer=_where_infer, kernel=_where_kernel, grad=NOT_DIFFERENTIABLE)


def _select_infer(condition, t, e, **_):
    """TF1's Select: `t` and `e` have one shape; `condition` is a scalar, has that shape too, or is
    a vector as long as their first dimension."""
    dt = t.dtype.base_dtype
    data = merge_shapes(t.shape, e.shape)
    cond = condition.shape
    if cond.ndims is None or data.ndims is None:
        return dt, data
    if cond.ndims == 0:
        return dt, data
    if cond.ndims != 1 or data.ndims == 0:
        return dt, merge_shapes(data, cond)
    merge_shapes(cond, TensorShape([data.as_tuple()[0]]))
    return dt, data


def _select_kernel(xp, condition, t, e, **_):
    t, e = xp.asarray(t), xp.asarray(e)  # int32 values reach a GPU kernel in host memory
    if t.shape != e.shape:
        raise _invalid("'then' and 'else' must have the same size.  but received: %s vs. %s"
                       % (_dbg(t.shape), _dbg(e.shape)))
    if condition.ndim == 1 and t.ndim > 1:  # one condition per row
        if condition.shape[0] != t.shape[0]:
            raise _invalid("Number of batches of 'then' must match size of 'cond', but saw: %d vs. %d"
                           % (t.shape[0], condition.shape[0]))
        return xp.where(condition.reshape((-1,) + (1,) * (t.ndim - 1)), t, e)
    if condition.ndim != 0 and condition.shape != t.shape:
        raise _invalid("Inputs to operation Select must have the same size and shape.  Input 0: %s != input 1: %s"
                       % (_dbg(condition.shape), _dbg(t.shape)))
    if condition.ndim == 0 and condition.__class__ is np.ndarray and t.__class__ is np.ndarray:
        # one choice for the whole tensor (tf.layers' `training` flag): a copy of it, 5x faster than `where`
        return (t if condition else e).copy()
    return xp.where(condition, t, e)


def _select_grad(op, grad):
    """`grad` goes to `t` where the condition holds and to `e` elsewhere; zeros fill the rest."""
    c, t = op.inputs[0], op.inputs[1]
    zeros = zeros_like(t)
    return [None, where(c, grad, zeros), where(c, zeros, grad)]


register_op("Select", infer=_select_infer, kernel=_select_kernel, grad=_select_grad)


def where(condition, x=None, y=None, name=None):
    """TF1's tf.where. Without x and y: the int64 coordinates [num_true, rank(condition)] of the
    true entries. With both: elements of `x` where `condition` holds, else of `y` (x and y of one
    shape; `condition` of that shape, or a vector choosing whole rows).

    >>> tf.where([[True, False], [False, True]]).shape
    TensorShape([Dimension(None), Dimension(2)])
    """
    if x is None and y is None:
        with name_scope(name, "Where", [condition]) as scope:
            c = convert_to_tensor(condition, preferred_dtype=dtypes.bool, name="condition")
            check_allowed("Where", "input", c.dtype, (dtypes.bool,) + NUMBER_TYPES)
            return make_op("Where", [c], {"T": c.dtype.base_dtype}, name=scope)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    with name_scope(name, "Select", [condition, x, y]) as scope:
        c = convert_one("Select", "condition", condition, dtype=dtypes.bool)
        t, e = convert_same_dtype("Select", [("t", x), ("e", y)])
        return make_op("Select", [c, t, e], {"T": t.dtype.base_dtype}, name=scope)


def select(condition, t, e, name=None):
    """TF 0.x's tf.select: elements of `t` where `condition` holds, else of `e` (tf.where with x and y)."""
    return where(condition, t, e, name=name)


# =========================================================================== Range
_RANGE_TYPES = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64)


def _fmt_number(v):
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def _range_size(start, limit, delta, dtype):
    """TF's RangeSize: the number of elements of range(start, limit, delta), computed in `dtype`,
    or the error message when there is none."""
    if start > limit and delta > 0:
        return "Requires start <= limit when delta > 0: %s/%s" % (_fmt_number(start), _fmt_number(limit))
    if start < limit and delta < 0:
        return "Requires start >= limit when delta < 0: %s/%s" % (_fmt_number(start), _fmt_number(limit))
    if delta == 0:
        return "Requires delta != 0"
    if dtype.is_integer:
        return (abs(int(limit) - int(start)) + abs(int(delta)) - 1) // abs(int(delta))
    t = dtype.as_numpy_dtype
    return int(np.ceil(np.abs((t(limit) - t(start)) / t(delta))))


def _range_infer(start, limit, delta, *, Tidx, **_):
    for t, what in ((start, "start"), (limit, "limit"), (delta, "delta")):
        try:
            _with_rank(t.shape, 0)
        except InferenceError as e:
            raise InferenceError("%s\n\t for '%s'" % (e, what)) from None
    vals = [constant_value(t) for t in (start, limit, delta)]
    if any(v is None for v in vals):
        return Tidx, TensorShape([None])
    n = _range_size(*[v.item() for v in vals], dtype=Tidx)
    if isinstance(n, str):
        raise InferenceError(n)
    return Tidx, TensorShape([n])


def _range_kernel(xp, start, limit, delta, *, Tidx, **_):
    for v, what in ((start, "start"), (limit, "limit"), (delta, "delta")):
        if v.ndim != 0:
            raise _invalid("%s must be a scalar, not shape %s" % (what, _dbg(v.shape)))
    n = _range_size(start.item(), limit.item(), delta.item(), dtype=Tidx)
    if isinstance(n, str):
        raise _invalid(n)
    dt = Tidx.as_numpy_dtype
    if Tidx.is_integer:
        return xp.arange(start.item(), limit.item(), delta.item(), dtype=dt)
    # TF adds delta n times (rounding in dtype at each step) rather than computing start + i*delta
    steps = xp.full((n,), delta.item(), dtype=dt)
    if n:
        steps[0] = start.item()
    return xp.cumsum(steps, dtype=dt)


register_op("Range", infer=_range_infer, kernel=_range_kernel, grad=NOT_DIFFERENTIABLE)


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001 - TF's name
    """The 1-D sequence start, start+delta, ... up to but excluding `limit` (`range(n)` = 0..n-1).

    Without `dtype`, the widest of the arguments' types wins (int32 < int64 < float32 < float64).

    >>> tf.range(3, 18, 3).shape
    TensorShape([Dimension(5)])
    """
    if limit is None:
        start, limit = 0, start
    with name_scope(name, "Range", [start, limit, delta]) as scope:
        args = [convert_to_tensor(v, dtype=dtype, name=n) for v, n in ((start, "start"), (limit, "limit"),
                                                                         (delta, "delta"))]
        if dtype is None:
            hierarchy = [dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64]
            for a in args:
                if a.dtype.base_dtype not in hierarchy:
                    raise TypeError("tf.range infers its dtype from int32, int64, float32 or float64 arguments, "
                                    "got %s; pass dtype=" % a.dtype.base_dtype.name)
            inferred = max((a.dtype.base_dtype for a in args), key=hierarchy.index)
            args = [_math_ops().cast(a, inferred) for a in args]
        for a, n in zip(args, ("start", "limit", "delta")):
            check_allowed("Range", n, a.dtype, _RANGE_TYPES)
        return make_op("Range", args, {"Tidx": args[0].dtype.base_dtype}, name=scope)


def sequence_mask(lengths, maxlen=None, dtype=dtypes.bool, name=None):
    """A mask of the first lengths[i] positions: shape lengths.shape + [maxlen], mask[..., j] = j < lengths[...].

    Without `maxlen`, the longest length (at least 0). Built from Range, Less and Cast, as TF builds it.

    >>> tf.sequence_mask([1, 3, 2], 5)  # [[T,F,F,F,F], [T,T,T,F,F], [T,T,F,F,F]]
    """
    with name_scope(name, "SequenceMask", [lengths, maxlen]):
        m = _math_ops()
        lengths = convert_to_tensor(lengths)
        if maxlen is None:
            maxlen = m.reduce_max(lengths, list(builtins.range(lengths.shape.ndims))
                                  if lengths.shape.ndims is not None else None)
            maxlen = m.maximum(constant(0, maxlen.dtype), maxlen)
        else:
            maxlen = convert_to_tensor(maxlen)
        if maxlen.shape.ndims is not None and maxlen.shape.ndims != 0:
            raise ValueError("maxlen must be scalar for sequence_mask")
        row_vector = range(constant(0, maxlen.dtype), maxlen, constant(1, maxlen.dtype))
        matrix = m.cast(expand_dims(lengths, -1), maxlen.dtype)  # maxlen >= every length: its dtype holds them
        result = m.less(row_vector, matrix)
        if dtype is None or result.dtype.is_compatible_with(dtype):
            return result
        return m.cast(result, dtype)


# =========================================================================== LinSpace
def _linspace_infer(start, stop, num, **_):
    for t, what in ((start, "start"), (stop, "stop"), (num, "num")):
        try:
            _with_rank(t.shape, 0)
        except InferenceError as e:
            raise InferenceError("%s\n\t for '%s'" % (e, what)) from None
    n = _scalar_input(num)
    if n is None:
        return start.dtype.base_dtype, TensorShape([None])
    if n <= 0:
        raise InferenceError("Requires num > 0: %d" % n)
    return start.dtype.base_dtype, TensorShape([n])


def _linspace_kernel(xp, start, stop, num, **_):
    n = int(num)
    if n <= 0:
        raise _invalid("Requires num > 0: %d" % n)
    dt = start.dtype.type
    if n == 1:
        return xp.full((1,), start, dtype=dt)
    step = (stop - start) / dt(n - 1)
    return (start + xp.arange(n, dtype=dt) * step).astype(dt)


register_op("LinSpace", infer=_linspace_infer, kernel=_linspace_kernel, grad=NOT_DIFFERENTIABLE)


def linspace(start, stop, num, name=None):
    """`num` evenly spaced values from `start` to `stop`, both included (floats).

    >>> tf.linspace(10.0, 12.0, 3).shape
    TensorShape([Dimension(3)])
    """
    with name_scope(name, "LinSpace", [start, stop, num]) as scope:
        a, b = convert_same_dtype("LinSpace", [("start", start), ("stop", stop)], allowed=FLOAT_TYPES)
        n = _index_input("LinSpace", "num", num)
        return make_op("LinSpace", [a, b, n], {"T": a.dtype.base_dtype, "Tidx": n.dtype.base_dtype}, name=scope)


lin_space = linspace


# =========================================================================== boolean_mask (composite)
def boolean_mask(tensor, mask, name="boolean_mask", axis=None):
    """The entries of `tensor` where the K-D bool `mask` is true (numpy's `tensor[mask]`), flattened
    over the masked dimensions: shape [num_true] + tensor.shape[axis+K:]. Built as TF1 does, from
    Reshape, Where, Squeeze and Gather, so it works on string tensors too.

    >>> tf.boolean_mask(tf.zeros([3, 2]), [True, False, True]).shape
    TensorShape([Dimension(None), Dimension(2)])
    """
    with name_scope(name, "boolean_mask", [tensor, mask]):
        tensor = convert_to_tensor(tensor, name="tensor")
        mask = convert_to_tensor(mask, name="mask")
        shape_mask = mask.shape
        ndims_mask = shape_mask.ndims
        shape_tensor = tensor.shape
        if ndims_mask == 0:
            raise ValueError("mask cannot be scalar.")
        if ndims_mask is None:
            raise ValueError("Number of mask dimensions must be specified, even if some dimensions are None.  "
                             "E.g. shape=[None] is ok, but shape=None is not.")
        axis = 0 if axis is None else axis
        shape_tensor[axis:axis + ndims_mask].assert_is_compatible_with(shape_mask)
        leading_size = _math_ops().reduce_prod(shape(tensor)[axis:axis + ndims_mask], [0])
        tensor = reshape(tensor, concat([shape(tensor)[:axis], [leading_size], shape(tensor)[axis + ndims_mask:]], 0))
        first_dim = shape_tensor[axis:axis + ndims_mask].num_elements()
        tensor.set_shape(as_shape(shape_tensor[:axis]).concatenate([first_dim])
                         .concatenate(shape_tensor[axis + ndims_mask:]))
        mask = reshape(mask, [-1])
        indices = squeeze(where(mask), axis=[1])
        return gather(tensor, indices, axis=axis)


# =========================================================================== ReverseV2
def _reverse_infer(tensor, axis, **_):
    _with_rank(axis.shape, 1)
    r = tensor.shape.ndims
    if r is not None and r > 8:
        raise InferenceError("reverse does not work on tensors with more than 8 dimensions")
    v = constant_value(axis)
    if v is not None and r is not None:
        seen = set()
        for i, a in enumerate(np.reshape(v, -1).tolist()):
            c = a + r if a < 0 else a
            if c < 0 or c >= r:
                raise InferenceError("'axis'[%d] = %d is out of valid range [0, %d" % (i, a, r - 1))
            if c in seen:
                raise InferenceError("axis %d specified more than once." % c)
            seen.add(c)
    return tensor.dtype.base_dtype, tensor.shape


def _reverse_kernel(xp, tensor, axis, **_):
    r = tensor.ndim
    axes = []
    for i, a in enumerate(axis.reshape(-1).tolist()):
        c = a + r if a < 0 else a
        if c < 0 or c >= r:
            raise _invalid("'axis'[%d] = %d is out of valid range [0, %d" % (i, a, r - 1))
        if c in axes:
            raise _invalid("axis %d specified more than once." % c)
        axes.append(c)
    return xp.flip(tensor, axis=tuple(axes)) if axes else tensor


def _reverse_grad(op, grad):
    """Reversing is its own inverse."""
    return [reverse(grad, op.inputs[1]), None]


register_op("ReverseV2", infer=_reverse_infer, kernel=_reverse_kernel, grad=_reverse_grad, aliases_input=True)


def reverse(tensor, axis, name=None):
    """`tensor` with the dimensions listed in `axis` reversed.

    >>> tf.reverse(tf.zeros([2, 3]), [1]).shape
    TensorShape([Dimension(2), Dimension(3)])
    """
    with name_scope(name, "ReverseV2", [tensor, axis]) as scope:
        x = convert_to_tensor(tensor, name="tensor")
        a = _index_input("ReverseV2", "axis", axis)
        return make_op("ReverseV2", [x, a], {"T": x.dtype.base_dtype, "Tidx": a.dtype.base_dtype}, name=scope)


reverse_v2 = reverse


# =========================================================================== ReverseSequence
def _reverse_sequence_infer(x, seq_lengths, *, seq_dim, batch_dim, **_):
    lens = _with_rank(seq_lengths.shape, 1)
    if batch_dim < 0:
        raise InferenceError("batch_dim must be >=0, got %d" % batch_dim)
    if x.shape.ndims is None:
        return x.dtype.base_dtype, TensorShape(None)
    rank = x.shape.ndims
    if batch_dim >= rank:
        raise InferenceError("batch_dim must be < input rank: %d vs. %d" % (batch_dim, rank))
    if seq_dim >= rank:
        raise InferenceError("seq_dim must be < input rank: %d vs. %d" % (seq_dim, rank))
    dims = list(x.shape.as_tuple())
    a, b = dims[batch_dim], lens.as_tuple()[0]
    if a is not None and b is not None and a != b:
        raise InferenceError("Dimensions must be equal, but are %d and %d" % (a, b))
    dims[batch_dim] = a if a is not None else b
    return x.dtype.base_dtype, TensorShape(dims)


def _reverse_sequence_kernel(xp, x, seq_lengths, *, seq_dim, batch_dim, **_):
    lens = xp.asarray(seq_lengths)  # int32 lengths reach a GPU kernel in host memory
    if seq_dim < 0:
        raise _invalid("Invalid seq_dim %d" % seq_dim)
    if lens.ndim != 1:
        raise _invalid("seq_lengths must be 1-dim, not %d" % lens.ndim)
    if batch_dim == seq_dim:
        raise _invalid("batch_dim == seq_dim == %d" % seq_dim)
    for what, d in (("seq_dim", seq_dim), ("batch_dim", batch_dim)):
        if d >= x.ndim:
            raise _invalid("%s must be < input rank ( %d vs. %d)" % (what, d, x.ndim))
    if lens.shape[0] != x.shape[batch_dim]:
        raise _invalid("Length of seq_lengths != input.dims(%d), (%d vs. %d)" % (batch_dim, lens.shape[0],
                                                                               x.shape[batch_dim]))
    n = x.shape[seq_dim]
    bad = (lens < 0) | (lens > n)
    if bad.any():
        d = int(xp.argmax(bad))
        raise _invalid("seq_lens(%d) %s" % (d, "< 0" if int(lens[d]) < 0 else "> input.dims(%d)" % seq_dim))
    # along the sequence axis, step i of batch entry b reads step lens[b] - 1 - i while i < lens[b]
    steps = xp.arange(n)[None, :]
    lens = lens.astype(steps.dtype)[:, None]
    source = xp.where(steps < lens, lens - 1 - steps, steps)
    moved = xp.moveaxis(x, (batch_dim, seq_dim), (0, 1))
    out = moved[xp.arange(x.shape[batch_dim])[:, None], source]
    return xp.moveaxis(out, (0, 1), (batch_dim, seq_dim))


def _reverse_sequence_grad(op, grad):
    """Reversing a prefix is its own inverse: the gradient is reversed the same way."""
    return [reverse_sequence(grad, op.inputs[1], seq_axis=op.get_attr("seq_dim"),
                             batch_axis=op.get_attr("batch_dim")), None]


register_op("ReverseSequence", infer=_reverse_sequence_infer, kernel=_reverse_sequence_kernel,
            grad=_reverse_sequence_grad)


def reverse_sequence(input, seq_lengths, seq_axis=None, batch_axis=None, name=None, seq_dim=None,  # noqa: A002
                     batch_dim=None):
    """`input` with, for each index b along `batch_axis`, the first `seq_lengths[b]` entries along `seq_axis`
    reversed and the rest left as they are (the backward half of a bidirectional RNN). `seq_lengths` is an int32 or
    int64 vector of length input.shape[batch_axis]; `seq_dim`/`batch_dim` are TF 1.x's deprecated names.

    >>> tf.reverse_sequence([[1, 2, 3], [4, 5, 6]], [2, 3], seq_axis=1)   # [[2, 1, 3], [6, 5, 4]]
    """
    seq_axis = _deprecated_argument_lookup("seq_axis", seq_axis, "seq_dim", seq_dim)
    batch_axis = _deprecated_argument_lookup("batch_axis", batch_axis, "batch_dim", batch_dim)
    if seq_axis is None:
        raise TypeError("Expected int for argument 'seq_dim' not None.")
    batch_axis = 0 if batch_axis is None else batch_axis
    with name_scope(name, "ReverseSequence", [input, seq_lengths]) as scope:
        x = convert_to_tensor(input, name="input")
        lens = _index_input("ReverseSequence", "seq_lengths", seq_lengths)
        return make_op("ReverseSequence", [x, lens], {"seq_dim": int(seq_axis), "batch_dim": int(batch_axis),
                                                      "T": x.dtype.base_dtype, "Tlen": lens.dtype.base_dtype},
                       name=scope)


# =========================================================================== SpaceToBatchND / BatchToSpaceND
def _block_and_pairs(op_type, x, block_shape, pairs, what):
    """TF's SpaceToBatchShapeHelper checks: block_shape a vector of M entries (all > 0 when known), `pairs` an
    [M, 2] matrix (all >= 0 when known), x of rank at least 1 + M. Returns (M, block values or None, pair
    values or None)."""
    _with_rank(block_shape.shape, 1)
    m = block_shape.shape.as_tuple()[0]
    pairs_shape = _with_rank(pairs.shape, 2)
    merge_shapes(pairs_shape, TensorShape([m, 2]))
    if m is None and pairs_shape.as_tuple()[0] is not None:
        m = pairs_shape.as_tuple()[0]
    if m is not None:
        _with_rank_at_least(x.shape, 1 + m)
    block = constant_value(block_shape)
    if block is not None and (np.asarray(block) <= 0).any():
        raise InferenceError("block_shape must be positive")
    pair_values = constant_value(pairs)
    if pair_values is not None and (np.asarray(pair_values) < 0).any():
        raise InferenceError("%s cannot be negative" % what)
    return m, block, pair_values


def _space_to_batch_nd_infer(input, block_shape, paddings, **_):  # noqa: A002 - TF's name
    m, block, pads = _block_and_pairs("SpaceToBatchND", input, block_shape, paddings, "paddings")
    dims = input.shape.as_tuple()
    if dims is None or m is None:
        return input.dtype.base_dtype, TensorShape(None)
    batch = dims[0] * int(np.prod(block)) if block is not None and dims[0] is not None else None
    spatial = []
    for i in builtins.range(m):
        d = dims[1 + i]
        if d is None or block is None or pads is None:
            spatial.append(None)
            continue
        padded = d + int(pads[i][0]) + int(pads[i][1])
        if padded % int(block[i]):
            raise InferenceError("Dimension size must be evenly divisible by %d but is %d" % (block[i], padded))
        spatial.append(padded // int(block[i]))
    return input.dtype.base_dtype, TensorShape([batch] + spatial + list(dims[1 + m:]))


def _space_to_batch_nd_kernel(xp, input, block_shape, paddings, **_):  # noqa: A002
    block = [int(b) for b in block_shape.tolist()]
    pads = [[int(a), int(b)] for a, b in paddings.tolist()]
    m = len(block)
    if input.ndim < 1 + m:
        raise _invalid("input rank should be >= %d instead of %d" % (1 + m, input.ndim))
    if any(b < 1 for b in block):
        raise _invalid("block_shape must be positive")
    if any(p < 0 for pair in pads for p in pair):
        raise _invalid("paddings cannot be negative")
    rest = input.shape[1 + m:]
    padded = xp.pad(input, [(0, 0)] + [tuple(p) for p in pads] + [(0, 0)] * len(rest))
    split = [input.shape[0]]
    for i, b in enumerate(block):
        size = padded.shape[1 + i]
        if size % b:
            raise _invalid("padded_shape[%d]=%d is not divisible by block_shape[%d]=%d" % (i, size, i, b))
        split += [size // b, b]
    # [batch, s0, b0, s1, b1, ..., rest] -> [b0, b1, ..., batch, s0, s1, ..., rest]
    order = [2 + 2 * i for i in builtins.range(m)] + [0] + [1 + 2 * i for i in builtins.range(m)] + \
        [1 + 2 * m + j for j in builtins.range(len(rest))]
    out = padded.reshape(split + list(rest)).transpose(order)
    return xp.ascontiguousarray(out).reshape([input.shape[0] * int(np.prod(block))] + split[1::2] + list(rest))


def _batch_to_space_nd_infer(input, block_shape, crops, **_):  # noqa: A002 - TF's name
    m, block, crop = _block_and_pairs("BatchToSpaceND", input, block_shape, crops, "crops")
    dims = input.shape.as_tuple()
    if dims is None or m is None:
        return input.dtype.base_dtype, TensorShape(None)
    batch = None
    if block is not None and dims[0] is not None:
        batch = dims[0]
        for b in np.asarray(block).tolist():  # divided by each block size in turn, as TF's shape function
            if batch % b:
                raise InferenceError("Dimension size must be evenly divisible by %d but is %d" % (b, batch))
            batch //= b
    spatial = []
    for i in builtins.range(m):
        d = dims[1 + i]
        if d is None or block is None or crop is None:
            spatial.append(None)
            continue
        size = d * int(block[i])
        for c in (int(crop[i][0]), int(crop[i][1])):
            if size - c < 0:
                raise InferenceError("Negative dimension size caused by subtracting %d from %d" % (c, size))
            size -= c
        spatial.append(size)
    return input.dtype.base_dtype, TensorShape([batch] + spatial + list(dims[1 + m:]))


def _batch_to_space_nd_kernel(xp, input, block_shape, crops, **_):  # noqa: A002
    block = [int(b) for b in block_shape.tolist()]
    crop = [[int(a), int(b)] for a, b in crops.tolist()]
    m = len(block)
    if input.ndim < 1 + m:
        raise _invalid("input rank should be >= %d instead of %d" % (1 + m, input.ndim))
    if any(b < 1 for b in block):
        raise _invalid("block_shape must be positive")
    if any(c < 0 for pair in crop for c in pair):
        raise _invalid("crops cannot be negative")
    n = int(np.prod(block))
    if input.shape[0] % n:
        raise _invalid("Input batch dimension (%d) is not divisible by product of block sizes (%d)"
                       % (input.shape[0], n))
    batch = input.shape[0] // n
    spatial = list(input.shape[1:1 + m])
    rest = list(input.shape[1 + m:])
    for i in builtins.range(m):
        cropped = spatial[i] * block[i] - crop[i][0] - crop[i][1]
        if cropped < 0:
            raise _invalid("cropped_shape[%d]=%d must be non-negative" % (i, cropped))
    # [b0, b1, ..., batch, s0, s1, ..., rest] -> [batch, s0, b0, s1, b1, ..., rest]
    x = input.reshape(block + [batch] + spatial + rest)
    order = [m]
    for i in builtins.range(m):
        order += [m + 1 + i, i]
    order += [1 + 2 * m + j for j in builtins.range(len(rest))]
    x = xp.ascontiguousarray(x.transpose(order)).reshape([batch] + [s * b for s, b in zip(spatial, block)] + rest)
    index = (builtins.slice(None),) + tuple(builtins.slice(c0, x.shape[1 + i] - c1)
                                            for i, (c0, c1) in enumerate(crop))
    return xp.ascontiguousarray(x[index])


register_op("SpaceToBatchND", infer=_space_to_batch_nd_infer, kernel=_space_to_batch_nd_kernel,
            grad=lambda op, grad: [batch_to_space_nd(grad, op.inputs[1], op.inputs[2]), None, None])
register_op("BatchToSpaceND", infer=_batch_to_space_nd_infer, kernel=_batch_to_space_nd_kernel,
            grad=lambda op, grad: [space_to_batch_nd(grad, op.inputs[1], op.inputs[2]), None, None])


def space_to_batch_nd(input, block_shape, paddings, name=None):  # noqa: A002 - TF's name
    """Zero-pads the M spatial dimensions of `input` [batch, spatial..., rest...] by `paddings` ([M, 2]), then
    moves block_shape[i]-sized blocks of each into the batch: [batch * prod(block_shape), padded_i / block_i...,
    rest...]. The inverse is batch_to_space_nd (atrous convolution runs a plain one between the two).

    >>> tf.space_to_batch_nd(tf.zeros([1, 4, 4, 3]), [2, 2], [[0, 0], [0, 0]]).shape   # (4, 2, 2, 3)
    """
    with name_scope(name, "SpaceToBatchND", [input, block_shape, paddings]) as scope:
        x = convert_to_tensor(input, name="input")
        block = _index_input("SpaceToBatchND", "block_shape", block_shape)
        pads = _index_input("SpaceToBatchND", "paddings", paddings)
        return make_op("SpaceToBatchND", [x, block, pads], {"T": x.dtype.base_dtype,
                                                            "Tblock_shape": block.dtype.base_dtype,
                                                            "Tpaddings": pads.dtype.base_dtype}, name=scope)


def batch_to_space_nd(input, block_shape, crops, name=None):  # noqa: A002 - TF's name
    """The inverse of space_to_batch_nd: [batch * prod(block_shape), s_i..., rest...] -> [batch, s_i * block_i -
    crops[i][0] - crops[i][1]..., rest...].

    >>> tf.batch_to_space_nd(tf.zeros([4, 2, 2, 3]), [2, 2], [[0, 0], [0, 1]]).shape   # (1, 4, 3, 3)
    """
    with name_scope(name, "BatchToSpaceND", [input, block_shape, crops]) as scope:
        x = convert_to_tensor(input, name="input")
        block = _index_input("BatchToSpaceND", "block_shape", block_shape)
        crop = _index_input("BatchToSpaceND", "crops", crops)
        return make_op("BatchToSpaceND", [x, block, crop], {"T": x.dtype.base_dtype,
                                                            "Tblock_shape": block.dtype.base_dtype,
                                                            "Tcrops": crop.dtype.base_dtype}, name=scope)
