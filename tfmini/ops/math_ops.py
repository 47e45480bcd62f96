"""Math ops: elementwise arithmetic, comparisons, logic, casts, matmul, reductions, and the
Tensor operator overloads (`a + b` is an op named 'add')."""
import builtins

import numpy as np

from ..framework import dtypes
from ..framework.op_def_library import (FLOAT_COMPLEX_TYPES, FLOAT_TYPES, NUMBER_TYPES, REAL_NUMBER_TYPES,
                                        check_allowed, convert_one, convert_same_dtype, is_tensor_like, make_op)
from ..framework.op_registry import GRADIENT_PENDING, NOT_DIFFERENTIABLE, InferenceError, register_op
from ..framework.ops import Tensor, convert_to_tensor, name_scope
from ..framework.tensor_shape import TensorShape
from .constant_op import constant_value
from .shape_util import broadcast_shape, reduced_shape

__all__ = [
    "add", "subtract", "sub", "multiply", "mul", "divide", "div", "truediv", "realdiv", "floordiv",
    "floor_div", "mod", "floormod", "truncatediv", "pow", "maximum", "minimum", "squared_difference",
    "negative", "neg", "abs", "sign", "square", "sqrt", "rsqrt", "exp", "log", "log1p", "expm1",
    "sin", "cos", "tan", "sigmoid", "tanh", "reciprocal", "floor", "ceil", "round", "rint",
    "is_nan", "is_inf", "is_finite", "less", "less_equal", "greater", "greater_equal", "equal",
    "not_equal", "logical_and", "logical_or", "logical_not", "logical_xor", "cast", "to_float",
    "to_double", "to_int32", "to_int64", "saturate_cast", "add_n", "matmul", "reduce_sum",
    "reduce_mean", "reduce_max", "reduce_min", "reduce_prod", "reduce_any", "reduce_all",
    "reduce_logsumexp", "argmax", "argmin", "clip_by_value", "count_nonzero", "scalar_mul",
    "cumsum", "erf",
]

_INT_OR_FLOAT = REAL_NUMBER_TYPES
_ARITH = NUMBER_TYPES


# =========================================================================== binary elementwise
def _binary_infer(x, y):
    return x.dtype.base_dtype, broadcast_shape(x.shape, y.shape)


def _compare_infer(x, y):
    return dtypes.bool, broadcast_shape(x.shape, y.shape)


def _floordiv_kernel(xp, x, y):
    if x.dtype.kind in "iu":
        if not y.all():
            raise ZeroDivisionError("Integer division by zero")
        return xp.floor_divide(x, y)
    return xp.floor(x / y)


def _floormod_kernel(xp, x, y):
    if x.dtype.kind in "iu" and not y.all():
        raise ZeroDivisionError("Integer division by zero")
    return xp.mod(x, y)


def _truncatediv_kernel(xp, x, y):
    if not y.all():
        raise ZeroDivisionError("Integer division by zero")
    q = xp.abs(x) // xp.abs(y)
    return (q * xp.sign(x) * xp.sign(y)).astype(x.dtype)


def _pow_kernel(xp, x, y):
    if x.dtype.kind in "iu" and (y < 0).any():
        raise ValueError("Integers to negative integer powers are not allowed.")
    return xp.power(x, y)


def _squared_difference_kernel(xp, x, y):
    d = xp.subtract(x, y)
    return xp.multiply(d, d, out=d)


def _realdiv_kernel(xp, x, y):
    return xp.true_divide(x, y).astype(x.dtype, copy=False)


# TF op type -> (kernel, allowed input types, result is bool, gradient slot)
_BINARY = {
    "Add": (lambda xp, x, y: xp.add(x, y), _ARITH + (dtypes.string,), False, GRADIENT_PENDING),
    "Sub": (lambda xp, x, y: xp.subtract(x, y), _ARITH, False, GRADIENT_PENDING),
    "Mul": (lambda xp, x, y: xp.multiply(x, y), _ARITH, False, GRADIENT_PENDING),
    "RealDiv": (_realdiv_kernel, _ARITH, False, GRADIENT_PENDING),
    "FloorDiv": (_floordiv_kernel, _ARITH, False, NOT_DIFFERENTIABLE),
    "FloorMod": (_floormod_kernel, _INT_OR_FLOAT, False, GRADIENT_PENDING),
    "TruncateDiv": (_truncatediv_kernel, _INT_OR_FLOAT, False, NOT_DIFFERENTIABLE),
    "Pow": (_pow_kernel, _ARITH, False, GRADIENT_PENDING),
    "Maximum": (lambda xp, x, y: xp.maximum(x, y), _INT_OR_FLOAT, False, GRADIENT_PENDING),
    "Minimum": (lambda xp, x, y: xp.minimum(x, y), _INT_OR_FLOAT, False, GRADIENT_PENDING),
    "SquaredDifference": (_squared_difference_kernel, _ARITH, False, GRADIENT_PENDING),
    "Less": (lambda xp, x, y: xp.less(x, y), _INT_OR_FLOAT, True, NOT_DIFFERENTIABLE),
    "LessEqual": (lambda xp, x, y: xp.less_equal(x, y), _INT_OR_FLOAT, True, NOT_DIFFERENTIABLE),
    "Greater": (lambda xp, x, y: xp.greater(x, y), _INT_OR_FLOAT, True, NOT_DIFFERENTIABLE),
    "GreaterEqual": (lambda xp, x, y: xp.greater_equal(x, y), _INT_OR_FLOAT, True, NOT_DIFFERENTIABLE),
    "Equal": (lambda xp, x, y: xp.equal(x, y), None, True, NOT_DIFFERENTIABLE),
    "NotEqual": (lambda xp, x, y: xp.not_equal(x, y), None, True, NOT_DIFFERENTIABLE),
    "LogicalAnd": (lambda xp, x, y: xp.logical_and(x, y), (dtypes.bool,), True, NOT_DIFFERENTIABLE),
    "LogicalOr": (lambda xp, x, y: xp.logical_or(x, y), (dtypes.bool,), True, NOT_DIFFERENTIABLE),
}
for _type, (_kernel, _allowed, _is_bool, _grad) in _BINARY.items():
    register_op(_type, infer=_compare_infer if _is_bool else _binary_infer, kernel=_kernel, grad=_grad)


def _binary(op_type, x, y, name, default_name=None):
    with name_scope(name, default_name or op_type, [x, y]) as scope:
        x, y = convert_same_dtype(op_type, [("x", x), ("y", y)], allowed=_BINARY[op_type][1])
        return make_op(op_type, [x, y], name=scope)


def add(x, y, name=None):
    """x + y elementwise, with broadcasting."""
    return _binary("Add", x, y, name)


def subtract(x, y, name=None):
    """x - y elementwise, with broadcasting."""
    return _binary("Sub", x, y, name)


def multiply(x, y, name=None):
    """x * y elementwise, with broadcasting."""
    return _binary("Mul", x, y, name)


def realdiv(x, y, name=None):
    return _binary("RealDiv", x, y, name)


def floordiv(x, y, name=None):
    """x // y: floor division (rounds toward -inf on integers and floats)."""
    with name_scope(name, "floordiv", [x, y]) as scope:
        return _binary("FloorDiv", x, y, scope)


floor_div = floordiv


def mod(x, y, name=None):
    """x % y with the sign of y (floor modulo), as Python's %."""
    return _binary("FloorMod", x, y, name)


floormod = mod


def truncatediv(x, y, name=None):
    return _binary("TruncateDiv", x, y, name)


def pow(x, y, name=None):  # noqa: A001 - TF's name
    """x ** y elementwise."""
    return _binary("Pow", x, y, name)


def maximum(x, y, name=None):
    return _binary("Maximum", x, y, name)


def minimum(x, y, name=None):
    return _binary("Minimum", x, y, name)


def squared_difference(x, y, name=None):
    """(x - y)**2 elementwise."""
    return _binary("SquaredDifference", x, y, name)


def less(x, y, name=None):
    return _binary("Less", x, y, name)


def less_equal(x, y, name=None):
    return _binary("LessEqual", x, y, name)


def greater(x, y, name=None):
    return _binary("Greater", x, y, name)


def greater_equal(x, y, name=None):
    return _binary("GreaterEqual", x, y, name)


def equal(x, y, name=None):
    return _binary("Equal", x, y, name)


def not_equal(x, y, name=None):
    return _binary("NotEqual", x, y, name)


def logical_and(x, y, name=None):
    return _binary("LogicalAnd", x, y, name)


def logical_or(x, y, name=None):
    return _binary("LogicalOr", x, y, name)


def logical_xor(x, y, name="LogicalXor"):
    with name_scope(name, "LogicalXor", [x, y]) as scope:
        return logical_and(logical_or(x, y), logical_not(logical_and(x, y)), name=scope)


def _same_dtype_pair(x, y, op_name):
    x = convert_to_tensor(x, name="x")
    y = convert_to_tensor(y, name="y", preferred_dtype=x.dtype.base_dtype)
    if x.dtype.base_dtype != y.dtype.base_dtype:
        raise TypeError("x and y must have the same dtype, got %r != %r" % (x.dtype.base_dtype, y.dtype.base_dtype))
    return x, y


_TRUEDIV_CAST = {dtypes.uint8: dtypes.float32, dtypes.int8: dtypes.float32, dtypes.uint16: dtypes.float32,
                 dtypes.int16: dtypes.float32, dtypes.int32: dtypes.float64, dtypes.int64: dtypes.float64}


def truediv(x, y, name=None):
    """x / y as Python 3 does: integers are cast to float first (int32 -> float64, int16 -> float32)."""
    with name_scope(name, "truediv", [x, y]) as scope:
        x, y = _same_dtype_pair(x, y, "truediv")
        target = _TRUEDIV_CAST.get(x.dtype.base_dtype)
        if target is not None:
            x = cast(x, target)
            y = cast(y, target)
        return _binary("RealDiv", x, y, scope)


def divide(x, y, name=None):
    """x / y (Python 3 true division)."""
    if name is not None:
        return truediv(x, y, name=name)
    return truediv(x, y)


def div(x, y, name=None):
    """The lecture's legacy tf.div: floor division on integers (-7 / 2 = -4), true division on floats."""
    with name_scope(name, "div", [x, y]) as scope:
        x, y = _same_dtype_pair(x, y, "div")
        if x.dtype.base_dtype.is_floating or x.dtype.base_dtype.is_complex:
            return _binary("RealDiv", x, y, scope)
        return _binary("FloorDiv", x, y, scope)


# legacy TF 0.x spellings used by the lecture
mul = multiply
sub = subtract


def scalar_mul(scalar, x, name=None):
    return multiply(scalar, x, name=name)


# =========================================================================== unary elementwise
def _unary_infer(x):
    return x.dtype.base_dtype, x.shape


def _bool_unary_infer(x):
    return dtypes.bool, x.shape


def _sigmoid_kernel(xp, x):
    # 0.5 * (1 + tanh(x/2)) is exact and never overflows, unlike 1 / (1 + exp(-x))
    return (xp.tanh(x * x.dtype.type(0.5)) + 1) * x.dtype.type(0.5)


def _rsqrt_kernel(xp, x):
    return 1 / xp.sqrt(x)


def _reciprocal_kernel(xp, x):
    return 1 / x


def _round_kernel(xp, x):
    return xp.round(x)  # banker's rounding, as TF's Round


def _erf_kernel(xp, x):
    import math
    return xp.asarray(np.vectorize(math.erf, otypes=[x.dtype])(x))


_UNARY = {
    # type: (kernel, allowed, is_bool_result, grad)
    "Neg": (lambda xp, x: xp.negative(x), NUMBER_TYPES, False, GRADIENT_PENDING),
    "Abs": (lambda xp, x: xp.abs(x), REAL_NUMBER_TYPES, False, GRADIENT_PENDING),
    "Sign": (lambda xp, x: xp.sign(x), NUMBER_TYPES, False, GRADIENT_PENDING),
    "Square": (lambda xp, x: xp.square(x), NUMBER_TYPES, False, GRADIENT_PENDING),
    "Sqrt": (lambda xp, x: xp.sqrt(x), FLOAT_COMPLEX_TYPES, False, GRADIENT_PENDING),
    "Rsqrt": (_rsqrt_kernel, FLOAT_COMPLEX_TYPES, False, GRADIENT_PENDING),
    "Exp": (lambda xp, x: xp.exp(x), FLOAT_COMPLEX_TYPES, False, GRADIENT_PENDING),
    "Expm1": (lambda xp, x: xp.expm1(x), FLOAT_COMPLEX_TYPES, False, GRADIENT_PENDING),
    "Log": (lambda xp, x: xp.log(x), FLOAT_COMPLEX_TYPES, False, GRADIENT_PENDING),
    "Log1p": (lambda xp, x: xp.log1p(x), FLOAT_COMPLEX_TYPES, False, GRADIENT_PENDING),
    "Sin": (lambda xp, x: xp.sin(x), FLOAT_COMPLEX_TYPES, False, GRADIENT_PENDING),
    "Cos": (lambda xp, x: xp.cos(x), FLOAT_COMPLEX_TYPES, False, GRADIENT_PENDING),
    "Tan": (lambda xp, x: xp.tan(x), FLOAT_COMPLEX_TYPES, False, GRADIENT_PENDING),
    "Sigmoid": (_sigmoid_kernel, FLOAT_COMPLEX_TYPES, False, GRADIENT_PENDING),
    "Tanh": (lambda xp, x: xp.tanh(x), FLOAT_COMPLEX_TYPES, False, GRADIENT_PENDING),
    "Reciprocal": (_reciprocal_kernel, FLOAT_COMPLEX_TYPES, False, GRADIENT_PENDING),
    "Floor": (lambda xp, x: xp.floor(x), FLOAT_TYPES, False, GRADIENT_PENDING),
    "Ceil": (lambda xp, x: xp.ceil(x), FLOAT_TYPES, False, GRADIENT_PENDING),
    "Round": (_round_kernel, REAL_NUMBER_TYPES, False, GRADIENT_PENDING),
    "Rint": (lambda xp, x: xp.rint(x), FLOAT_TYPES, False, GRADIENT_PENDING),
    "Erf": (_erf_kernel, FLOAT_TYPES, False, GRADIENT_PENDING),
    "IsNan": (lambda xp, x: xp.isnan(x), FLOAT_TYPES, True, NOT_DIFFERENTIABLE),
    "IsInf": (lambda xp, x: xp.isinf(x), FLOAT_TYPES, True, NOT_DIFFERENTIABLE),
    "IsFinite": (lambda xp, x: xp.isfinite(x), FLOAT_TYPES, True, NOT_DIFFERENTIABLE),
    "LogicalNot": (lambda xp, x: xp.logical_not(x), (dtypes.bool,), True, NOT_DIFFERENTIABLE),
}
for _type, (_kernel, _allowed, _is_bool, _grad) in _UNARY.items():
    register_op(_type, infer=_bool_unary_infer if _is_bool else _unary_infer, kernel=_kernel, grad=_grad)


def _unary(op_type, x, name):
    with name_scope(name, op_type, [x]) as scope:
        x = convert_one(op_type, "x", x, allowed=_UNARY[op_type][1])
        return make_op(op_type, [x], name=scope)


def negative(x, name=None):
    return _unary("Neg", x, name)


neg = negative


def abs(x, name=None):  # noqa: A001 - TF's name
    return _unary("Abs", x, name)


def sign(x, name=None):
    return _unary("Sign", x, name)


def square(x, name=None):
    return _unary("Square", x, name)


def sqrt(x, name=None):
    return _unary("Sqrt", x, name)


def rsqrt(x, name=None):
    return _unary("Rsqrt", x, name)


def exp(x, name=None):
    return _unary("Exp", x, name)


def expm1(x, name=None):
    return _unary("Expm1", x, name)


def log(x, name=None):
    return _unary("Log", x, name)


def log1p(x, name=None):
    return _unary("Log1p", x, name)


def sin(x, name=None):
    return _unary("Sin", x, name)


def cos(x, name=None):
    return _unary("Cos", x, name)


def tan(x, name=None):
    return _unary("Tan", x, name)


def sigmoid(x, name=None):
    """1 / (1 + exp(-x)), computed without overflow."""
    return _unary("Sigmoid", x, name)


def tanh(x, name=None):
    return _unary("Tanh", x, name)


def reciprocal(x, name=None):
    return _unary("Reciprocal", x, name)


def floor(x, name=None):
    return _unary("Floor", x, name)


def ceil(x, name=None):
    return _unary("Ceil", x, name)


def round(x, name=None):  # noqa: A001 - TF's name
    """Round half to even, as TF does."""
    x = convert_to_tensor(x, name="x")
    if x.dtype.base_dtype.is_integer:
        return x
    return _unary("Round", x, name)


def rint(x, name=None):
    return _unary("Rint", x, name)


def erf(x, name=None):
    return _unary("Erf", x, name)


def is_nan(x, name=None):
    return _unary("IsNan", x, name)


def is_inf(x, name=None):
    return _unary("IsInf", x, name)


def is_finite(x, name=None):
    return _unary("IsFinite", x, name)


def logical_not(x, name=None):
    return _unary("LogicalNot", x, name)


# =========================================================================== Cast
def _cast_infer(x, *, SrcT, DstT, Truncate=False):
    return DstT, x.shape


def _cast_kernel(xp, x, *, SrcT, DstT, Truncate=False):
    return x.astype(DstT.as_numpy_dtype)


register_op("Cast", infer=_cast_infer, kernel=_cast_kernel, grad=GRADIENT_PENDING)


def cast(x, dtype, name=None):
    """`x` converted to `dtype` (floats to ints truncate toward zero; to bool: nonzero is True)."""
    base = dtypes.as_dtype(dtype).base_dtype
    if isinstance(x, Tensor) and x.dtype.base_dtype == base:
        return x
    with name_scope(name, "Cast", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        if x.dtype.base_dtype == base:
            return x
        return make_op("Cast", [x], {"SrcT": x.dtype.base_dtype, "DstT": base, "Truncate": False}, name=scope)


def saturate_cast(value, dtype, name=None):
    with name_scope(name, "saturate_cast", [value]) as scope:
        value = convert_to_tensor(value, name="value")
        dtype = dtypes.as_dtype(dtype)
        if value.dtype.min < dtype.min:
            value = maximum(value, convert_to_tensor(dtype.min, dtype=value.dtype, name="min"))
        if value.dtype.max > dtype.max:
            value = minimum(value, convert_to_tensor(dtype.max, dtype=value.dtype, name="max"))
        return cast(value, dtype, name=scope)


def to_float(x, name="ToFloat"):
    return cast(x, dtypes.float32, name=name)


def to_double(x, name="ToDouble"):
    return cast(x, dtypes.float64, name=name)


def to_int32(x, name="ToInt32"):
    return cast(x, dtypes.int32, name=name)


def to_int64(x, name="ToInt64"):
    return cast(x, dtypes.int64, name=name)


# =========================================================================== AddN
def _addn_infer(*inputs, N=None, T=None):
    shape = inputs[0].shape
    for t in inputs[1:]:
        try:
            shape = shape.merge_with(t.shape)
        except ValueError:
            raise InferenceError("Shapes must be equal rank, but are %s and %s"
                                 % (shape.ndims, t.shape.ndims) if shape.ndims != t.shape.ndims else
                                 "Dimension 0 in both shapes must be equal, but are %s and %s"
                                 % (shape, t.shape)) from None
    return inputs[0].dtype.base_dtype, shape


def _addn_kernel(xp, *inputs, N=None, T=None):
    out = inputs[0] + inputs[1] if len(inputs) > 1 else inputs[0].copy()
    for a in inputs[2:]:
        out += a
    return out


register_op("AddN", infer=_addn_infer, kernel=_addn_kernel, grad=GRADIENT_PENDING)


def add_n(inputs, name=None):
    """The elementwise sum of a list of tensors of one shape and dtype."""
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise ValueError("inputs must be a list of at least one Tensor with the same dtype and shape")
    with name_scope(name, "AddN", inputs) as scope:
        ts = convert_same_dtype("AddN", [("inputs", v) for v in inputs], allowed=NUMBER_TYPES)
        if len(ts) == 1:
            from .array_ops import identity
            return identity(ts[0], name=scope)
        return make_op("AddN", ts, {"N": len(ts), "T": ts[0].dtype.base_dtype}, name=scope)


# =========================================================================== MatMul / BatchMatMul
def _matmul_infer(a, b, *, transpose_a=False, transpose_b=False):
    sa, sb = a.shape, b.shape
    if sa.ndims is not None and sa.ndims != 2:
        raise InferenceError("Shape must be rank 2 but is rank %d" % sa.ndims)
    if sb.ndims is not None and sb.ndims != 2:
        raise InferenceError("Shape must be rank 2 but is rank %d" % sb.ndims)
    ta = sa.as_tuple() if sa.ndims is not None else (None, None)
    tb = sb.as_tuple() if sb.ndims is not None else (None, None)
    m, ka = (ta[1], ta[0]) if transpose_a else (ta[0], ta[1])
    kb, n = (tb[1], tb[0]) if transpose_b else (tb[0], tb[1])
    if ka is not None and kb is not None and ka != kb:
        raise InferenceError("Dimensions must be equal, but are %d and %d" % (ka, kb))
    return a.dtype.base_dtype, TensorShape([m, n])


def _matmul_kernel(xp, a, b, *, transpose_a=False, transpose_b=False):
    return xp.matmul(a.T if transpose_a else a, b.T if transpose_b else b)


register_op("MatMul", infer=_matmul_infer, kernel=_matmul_kernel, grad=GRADIENT_PENDING)


def _batch_matmul_infer(a, b, *, adj_x=False, adj_y=False):
    sa, sb = a.shape, b.shape
    for s in (sa, sb):
        if s.ndims is not None and s.ndims < 2:
            raise InferenceError("Shape must be at least rank 2 but is rank %d" % s.ndims)
    if sa.ndims is None or sb.ndims is None:
        return a.dtype.base_dtype, TensorShape(None)
    ta, tb = sa.as_tuple(), sb.as_tuple()
    m, ka = (ta[-1], ta[-2]) if adj_x else (ta[-2], ta[-1])
    kb, n = (tb[-1], tb[-2]) if adj_y else (tb[-2], tb[-1])
    if ka is not None and kb is not None and ka != kb:
        raise InferenceError("Dimensions must be equal, but are %d and %d" % (ka, kb))
    batch = broadcast_shape(TensorShape(ta[:-2]), TensorShape(tb[:-2]))
    return a.dtype.base_dtype, batch.concatenate([m, n])


def _batch_matmul_kernel(xp, a, b, *, adj_x=False, adj_y=False):
    if adj_x:
        a = xp.swapaxes(a, -1, -2)
    if adj_y:
        b = xp.swapaxes(b, -1, -2)
    return xp.matmul(a, b)


register_op("BatchMatMulV2", infer=_batch_matmul_infer, kernel=_batch_matmul_kernel, grad=GRADIENT_PENDING)

_MATMUL_TYPES = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64,
                 dtypes.complex64, dtypes.complex128)


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, name=None):
    """The matrix product a @ b; rank > 2 inputs multiply batches of matrices.

    >>> tf.matmul(tf.constant([[3., 3.]]), tf.constant([[2.], [2.]])).shape
    TensorShape([Dimension(1), Dimension(1)])
    """
    with name_scope(name, "MatMul", [a, b]) as scope:
        if transpose_a and adjoint_a:
            raise ValueError("Only one of transpose_a and adjoint_a can be True.")
        if transpose_b and adjoint_b:
            raise ValueError("Only one of transpose_b and adjoint_b can be True.")
        a, b = convert_same_dtype("MatMul", [("a", a), ("b", b)], allowed=_MATMUL_TYPES)
        ta, tb = transpose_a or adjoint_a, transpose_b or adjoint_b
        ra, rb = a.shape.ndims, b.shape.ndims
        if (ra is not None and ra > 2) or (rb is not None and rb > 2):
            return make_op("BatchMatMulV2", [a, b], {"adj_x": ta, "adj_y": tb}, name=scope)
        return make_op("MatMul", [a, b], {"transpose_a": ta, "transpose_b": tb}, name=scope)


# =========================================================================== reductions
def _reduction_axes(input_shape, axis_tensor):
    v = constant_value(axis_tensor)
    if v is None:
        return "unknown"
    return [int(a) for a in np.asarray(v).reshape(-1)]


def _reduce_infer(x, axis, *, keep_dims=False, T=None):
    axes = _reduction_axes(x.shape, axis)
    if axes == "unknown":
        if keep_dims and x.shape.ndims is not None:
            return x.dtype.base_dtype, TensorShape([None] * x.shape.ndims)
        return x.dtype.base_dtype, TensorShape(None)
    return x.dtype.base_dtype, reduced_shape(x.shape, axes, keep_dims)


def _check_axes(xp, x, axis):
    nd = x.ndim
    ax = axis.reshape(-1)
    for a in ax.tolist():
        if not -nd <= a < nd:
            raise ValueError("Invalid reduction dimension %d for input with %d dimensions" % (a, nd))
    return tuple(a % nd for a in ax.tolist()) if nd else ()


def _make_reduce_kernel(fn_name, dtype_preserving=True):
    def kernel(xp, x, axis, *, keep_dims=False, T=None):
        axes = _check_axes(xp, x, axis)
        out = getattr(xp, fn_name)(x, axis=axes, keepdims=keep_dims)
        if dtype_preserving and out.dtype != x.dtype:
            out = out.astype(x.dtype)
        return out
    kernel.__name__ = "_%s_kernel" % fn_name
    return kernel


def _mean_kernel(xp, x, axis, *, keep_dims=False, T=None):
    axes = _check_axes(xp, x, axis)
    if x.dtype.kind in "iu":
        n = 1
        for a in axes:
            n *= x.shape[a]
        s = xp.sum(x, axis=axes, keepdims=keep_dims)
        return (s // max(n, 1)).astype(x.dtype) if n else s.astype(x.dtype)
    return xp.mean(x, axis=axes, keepdims=keep_dims).astype(x.dtype, copy=False)


def _minmax_kernel(fn_name):
    def kernel(xp, x, axis, *, keep_dims=False, T=None):
        axes = _check_axes(xp, x, axis)
        if x.size == 0:
            # TF's identity element for an empty reduction (lowest/highest value)
            info = np.finfo(x.dtype) if x.dtype.kind == "f" else np.iinfo(x.dtype)
            fill = info.min if fn_name == "max" else info.max
            shape = tuple(1 if (i in axes) else d for i, d in enumerate(x.shape)) if keep_dims else \
                tuple(d for i, d in enumerate(x.shape) if i not in axes)
            return xp.full(shape, fill, dtype=x.dtype)
        return getattr(xp, fn_name)(x, axis=axes, keepdims=keep_dims)
    return kernel


_REDUCE = {
    # type: (public name, kernel, allowed, grad)
    "Sum": (_make_reduce_kernel("sum"), NUMBER_TYPES, GRADIENT_PENDING),
    "Mean": (_mean_kernel, NUMBER_TYPES, GRADIENT_PENDING),
    "Max": (_minmax_kernel("max"), REAL_NUMBER_TYPES, GRADIENT_PENDING),
    "Min": (_minmax_kernel("min"), REAL_NUMBER_TYPES, GRADIENT_PENDING),
    "Prod": (_make_reduce_kernel("prod"), NUMBER_TYPES, GRADIENT_PENDING),
    "Any": (_make_reduce_kernel("any"), (dtypes.bool,), NOT_DIFFERENTIABLE),
    "All": (_make_reduce_kernel("all"), (dtypes.bool,), NOT_DIFFERENTIABLE),
}
for _type, (_kernel, _allowed, _grad) in _REDUCE.items():
    register_op(_type, infer=_reduce_infer, kernel=_kernel, grad=_grad)


def _resolve_keepdims(keepdims, keep_dims):
    if keepdims is not None and keep_dims is not None:
        raise ValueError("Cannot specify both 'keep_dims' and 'keepdims'")
    return builtins.bool(keepdims if keepdims is not None else (keep_dims or False))


def _resolve_axis(axis, reduction_indices):
    if axis is not None and reduction_indices is not None:
        raise ValueError("Cannot specify both 'axis' and 'reduction_indices'")
    return axis if axis is not None else reduction_indices


def _reduce(op_type, default_name, input_tensor, axis, keepdims, name, reduction_indices, keep_dims):
    keepdims = _resolve_keepdims(keepdims, keep_dims)
    axis = _resolve_axis(axis, reduction_indices)
    with name_scope(name, default_name, [input_tensor]) as scope:
        x = convert_one(op_type, "input", input_tensor, allowed=_REDUCE[op_type][1])
        if axis is None:
            nd = x.shape.ndims
            if nd is not None:
                from .constant_op import constant
                axis_t = constant(np.arange(nd, dtype=np.int32), name="Const")
            else:
                from .array_ops import range as tf_range, rank
                axis_t = tf_range(0, rank(x), 1)
        elif isinstance(axis, Tensor):
            axis_t = axis
        else:
            from .constant_op import constant
            axis_t = constant(axis, dtype=None if isinstance(axis, np.ndarray) else dtypes.int32,
                              name="reduction_indices")
            if axis_t.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
                raise TypeError("Value passed to parameter 'reduction_indices' has DataType %s not in list of "
                                "allowed values: int32, int64" % axis_t.dtype.base_dtype.name)
        return make_op(op_type, [x, axis_t], {"keep_dims": keepdims, "T": x.dtype.base_dtype}, name=scope)


def reduce_sum(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
    """Sum over `axis` (an int, a list, negative allowed; None = all). `keep_dims`/`reduction_indices` are
    the legacy spellings.

    >>> tf.reduce_sum(tf.ones((2, 2)), axis=1).shape
    TensorShape([Dimension(2)])
    """
    return _reduce("Sum", "Sum", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_mean(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
    """Mean over `axis` (integer tensors give the integer (floor) mean, as TF)."""
    return _reduce("Mean", "Mean", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_max(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
    return _reduce("Max", "Max", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_min(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
    return _reduce("Min", "Min", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_prod(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
    return _reduce("Prod", "Prod", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_any(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
    return _reduce("Any", "Any", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_all(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
    return _reduce("All", "All", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_logsumexp(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
    keepdims = _resolve_keepdims(keepdims, keep_dims)
    axis = _resolve_axis(axis, reduction_indices)
    with name_scope(name, "ReduceLogSumExp", [input_tensor]) as scope:
        x = convert_to_tensor(input_tensor)
        from .array_ops import stop_gradient
        m = stop_gradient(reduce_max(x, axis, keepdims=True))
        r = log(reduce_sum(exp(x - m), axis, keepdims=True)) + m
        if not keepdims:
            from .array_ops import squeeze
            if axis is None:
                from .array_ops import reshape
                return reshape(r, [], name=scope)
            return squeeze(r, axis if isinstance(axis, (list, tuple)) else [axis], name=scope)
        return r


def count_nonzero(input_tensor, axis=None, keepdims=None, dtype=dtypes.int64, name=None,
                  reduction_indices=None, keep_dims=None):
    with name_scope(name, "count_nonzero", [input_tensor]):
        x = convert_to_tensor(input_tensor, name="input_tensor")
        zero = convert_to_tensor(np.zeros((), x.dtype.as_numpy_dtype) if x.dtype != dtypes.bool else False)
        return cast(reduce_sum(cast(not_equal(x, zero), dtypes.int64), axis=axis, keepdims=keepdims,
                               reduction_indices=reduction_indices, keep_dims=keep_dims), dtype)


# =========================================================================== ArgMax / ArgMin
def _arg_infer(x, dimension, *, output_type):
    v = constant_value(dimension)
    if v is None or x.shape.ndims is None:
        return output_type, TensorShape(None if x.shape.ndims is None else [None] * (x.shape.ndims - 1))
    return output_type, reduced_shape(x.shape, [int(v)], False)


def _arg_kernel(fn_name):
    def kernel(xp, x, dimension, *, output_type):
        axis = int(dimension)
        if not -x.ndim <= axis < x.ndim:
            raise ValueError("Expected dimension in the range [%d, %d), but got %d" % (-x.ndim, x.ndim, axis))
        return getattr(xp, fn_name)(x, axis=axis).astype(output_type.as_numpy_dtype)
    return kernel


register_op("ArgMax", infer=_arg_infer, kernel=_arg_kernel("argmax"), grad=NOT_DIFFERENTIABLE)
register_op("ArgMin", infer=_arg_infer, kernel=_arg_kernel("argmin"), grad=NOT_DIFFERENTIABLE)


def _arg(op_type, input, axis, name, dimension, output_type):
    if axis is not None and dimension is not None:
        raise ValueError("Cannot specify both 'axis' and 'dimension'")
    axis = axis if axis is not None else dimension
    if axis is None:
        axis = 0
    with name_scope(name, op_type, [input]) as scope:
        x = convert_one(op_type, "input", input, allowed=REAL_NUMBER_TYPES)
        a = convert_one(op_type, "dimension", axis, dtype=dtypes.int32) if not is_tensor_like(axis) \
            else convert_to_tensor(axis)
        return make_op(op_type, [x, a], {"output_type": dtypes.as_dtype(output_type)}, name=scope)


def argmax(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):  # noqa: A002
    """The index of the largest value along `axis` (int64 by default)."""
    return _arg("ArgMax", input, axis, name, dimension, output_type)


def argmin(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):  # noqa: A002
    return _arg("ArgMin", input, axis, name, dimension, output_type)


# =========================================================================== ClipByValue, Cumsum
def _clip_infer(t, lo, hi):
    for b in (lo, hi):
        if b.shape.ndims not in (None, 0):
            broadcast_shape(t.shape, b.shape)
    return t.dtype.base_dtype, t.shape


def _clip_kernel(xp, t, lo, hi):
    return xp.minimum(xp.maximum(t, lo), hi)


register_op("ClipByValue", infer=_clip_infer, kernel=_clip_kernel, grad=GRADIENT_PENDING)


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """`t` with values below `clip_value_min` and above `clip_value_max` clipped."""
    with name_scope(name, "clip_by_value", [t, clip_value_min, clip_value_max]) as scope:
        t, lo, hi = convert_same_dtype("ClipByValue", [("t", t), ("clip_value_min", clip_value_min),
                                                       ("clip_value_max", clip_value_max)],
                                       allowed=REAL_NUMBER_TYPES)
        return make_op("ClipByValue", [t, lo, hi], name=scope)


def _cumsum_infer(x, axis, *, exclusive=False, reverse=False):
    return x.dtype.base_dtype, x.shape


def _cumsum_kernel(xp, x, axis, *, exclusive=False, reverse=False):
    a = int(axis)
    if reverse:
        x = xp.flip(x, a)
    out = xp.cumsum(x, axis=a, dtype=x.dtype)
    if exclusive:
        out = xp.concatenate([xp.zeros_like(xp.take(out, [0], axis=a)), xp.take(out, range(out.shape[a] - 1),
                                                                                 axis=a)], axis=a)
    if reverse:
        out = xp.flip(out, a)
    return xp.ascontiguousarray(out)


register_op("Cumsum", infer=_cumsum_infer, kernel=_cumsum_kernel, grad=GRADIENT_PENDING)


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    with name_scope(name, "Cumsum", [x]) as scope:
        x = convert_one("Cumsum", "x", x, allowed=NUMBER_TYPES)
        a = convert_one("Cumsum", "axis", axis, dtype=dtypes.int32)
        return make_op("Cumsum", [x, a], {"exclusive": exclusive, "reverse": reverse}, name=scope)


# =========================================================================== operator overloads
def _override_binary(op_name, func, clazz=Tensor):
    """Install `x <op> y` and `y <op> x` on Tensor, as TF's _OverrideBinaryOperatorHelper does: the
    op is named after the operator ('add', 'mul'), and a Python operand becomes a Const named 'y'/'x'
    of the tensor's dtype."""

    def binary_op_wrapper(x, y):
        with name_scope(None, op_name, [x, y]) as name:
            if not is_tensor_like(y):
                try:
                    y = convert_to_tensor(y, dtype=x.dtype.base_dtype, name="y")
                except TypeError:
                    if hasattr(type(y), "__r%s__" % op_name) and not isinstance(y, (int, float, list, tuple,
                                                                                     np.ndarray, np.generic)):
                        return NotImplemented
                    raise
            return func(x, y, name=name)

    def r_binary_op_wrapper(y, x):
        with name_scope(None, op_name, [x, y]) as name:
            x = convert_to_tensor(x, dtype=y.dtype.base_dtype, name="x")
            return func(x, y, name=name)

    setattr(clazz, "__%s__" % op_name, binary_op_wrapper)
    setattr(clazz, "__r%s__" % op_name, r_binary_op_wrapper)


def _truediv_op(x, y, name=None):
    return truediv(x, y, name=name)


def _mod_op(x, y, name=None):
    return _binary("FloorMod", x, y, name)


def _floordiv_op(x, y, name=None):
    return _binary("FloorDiv", x, y, name)


def _matmul_op(x, y, name=None):
    return matmul(x, y, name=name)


_override_binary("add", add)
_override_binary("sub", subtract)
_override_binary("mul", multiply)
_override_binary("truediv", _truediv_op)
_override_binary("floordiv", _floordiv_op)
_override_binary("mod", _mod_op)
_override_binary("pow", pow)
_override_binary("matmul", _matmul_op)
_override_binary("and", logical_and)
_override_binary("or", logical_or)
_override_binary("xor", logical_xor)


def _neg_op(x):
    return negative(x, name="Neg")


def _abs_op(x):
    return abs(x, name="Abs")


def _invert_op(x):
    return logical_not(x, name="LogicalNot")


Tensor._override_operator("__neg__", _neg_op)
Tensor._override_operator("__abs__", _abs_op)
Tensor._override_operator("__invert__", _invert_op)
Tensor._override_operator("__lt__", lambda x, y: less(x, y))
Tensor._override_operator("__le__", lambda x, y: less_equal(x, y))
Tensor._override_operator("__gt__", lambda x, y: greater(x, y))
Tensor._override_operator("__ge__", lambda x, y: greater_equal(x, y))
check_allowed = check_allowed  # re-exported for ops modules built on this one
