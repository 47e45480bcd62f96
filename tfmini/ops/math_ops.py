"""Math ops: elementwise arithmetic, comparisons, logic, casts, matmul, reductions, and the
Tensor operator overloads (`a + b` is an op named 'add')."""
import builtins
import functools
import math

import numpy as np

from ..framework import dtypes, errors
from ..framework.op_def_library import (FLOAT_COMPLEX_TYPES, FLOAT_TYPES, NUMBER_TYPES, REAL_NUMBER_TYPES,
                                        check_allowed, convert_one, convert_same_dtype, is_tensor_like, make_op)
from ..framework.op_registry import NOT_DIFFERENTIABLE, InferenceError, debug_string, incompatible_shapes, register_op
from ..framework.indexed_slices import IndexedSlices
from ..framework.ops import Tensor, control_dependencies, convert_to_tensor, name_scope
from ..framework.tensor_shape import TensorShape
from ..runtime import intra_op
from .constant_op import constant, constant_value
from .shape_util import broadcast_shape, merge_shapes

__all__ = [
    "add", "subtract", "sub", "multiply", "mul", "divide", "div", "truediv", "realdiv", "floordiv",
    "floor_div", "mod", "floormod", "truncatediv", "pow", "maximum", "minimum", "squared_difference",
    "negative", "neg", "abs", "sign", "square", "sqrt", "rsqrt", "exp", "log", "log1p", "expm1",
    "sin", "cos", "tan", "sigmoid", "tanh", "reciprocal", "floor", "ceil", "round", "rint",
    "is_nan", "is_inf", "is_finite", "less", "less_equal", "greater", "greater_equal", "equal",
    "not_equal", "logical_and", "logical_or", "logical_not", "logical_xor", "cast", "to_float",
    "to_double", "to_int32", "to_int64", "saturate_cast", "add_n", "matmul", "reduce_sum",
    "reduce_mean", "reduce_max", "reduce_min", "reduce_prod", "reduce_any", "reduce_all",
    "reduce_logsumexp", "argmax", "argmin", "arg_max", "arg_min", "clip_by_value", "count_nonzero", "scalar_mul",
    "cumsum", "cumprod", "erf", "tensordot", "erfc", "asin", "acos", "atan", "atan2", "sinh", "cosh", "asinh",
    "acosh", "atanh", "lgamma", "digamma", "polygamma", "div_no_nan",
]

_INT_OR_FLOAT = REAL_NUMBER_TYPES
_ARITH = NUMBER_TYPES
# ops whose TF type lists are narrower than numbertype/realnumbertype
_SIGNED = tuple(t for t in NUMBER_TYPES if not t.is_unsigned)  # Neg, Sign, Pow
_SIGNED_REAL = tuple(t for t in REAL_NUMBER_TYPES if not t.is_unsigned)  # Abs
_ADD_TYPES = tuple(t for t in NUMBER_TYPES if t not in (dtypes.uint16, dtypes.uint32, dtypes.uint64)) + (dtypes.string,)
_SQUARED_DIFFERENCE_TYPES = FLOAT_TYPES + (dtypes.int32, dtypes.int64, dtypes.complex64, dtypes.complex128)


# =========================================================================== binary elementwise
def _binary_infer(x, y):
    return x.dtype.base_dtype, broadcast_shape(x.shape, y.shape)


def _compare_infer(x, y):
    return dtypes.bool, broadcast_shape(x.shape, y.shape)


def _check_int_divisor(y, x=None):
    # (as TF, only a division that happens fails: none does when the broadcast result is empty)
    if not y.all() and (x is None or x.size):
        raise errors.InvalidArgumentError(None, None, "Integer division by zero")


def _floordiv_kernel(xp, x, y):
    if x.dtype.kind in "iu":
        _check_int_divisor(y, x)
        return xp.floor_divide(x, y)
    return xp.floor(x / y)


def _floormod_kernel(xp, x, y):
    if x.dtype.kind in "iu":
        _check_int_divisor(y, x)
    return xp.mod(x, y)  # the sign of y, as Python's %


def _truncatediv_kernel(xp, x, y):
    if x.dtype.kind in "iu":
        _check_int_divisor(y, x)
        q = xp.floor_divide(x, y)
        # floor rounds toward -inf; step back toward zero where the division was inexact and negative
        return q + ((q < 0) & (q * y != x)).astype(x.dtype)
    return xp.trunc(x / y)


def _pow_kernel(xp, x, y):
    if x.dtype.kind in "iu" and (y < 0).any():
        raise errors.InvalidArgumentError(None, None, "Integers to negative integer powers are not allowed")
    return xp.power(x, y)


def _squared_difference_kernel(xp, x, y):
    d = xp.subtract(x, y)
    if d.ndim == 0:  # (numpy gives a scalar for 0-d arrays, which cannot be written in place)
        return xp.asarray(d * xp.conj(d) if d.dtype.kind == "c" else d * d)
    if d.dtype.kind == "c":
        return xp.multiply(d, xp.conj(d), out=d)  # |x - y|**2, as TF defines it for complex
    return xp.multiply(d, d, out=d)


def _realdiv_kernel(xp, x, y):
    if x.dtype.kind in "iub":  # TF registers RealDiv for floating and complex types only
        raise errors.InvalidArgumentError(
            None, None, "No OpKernel was registered to support Op 'RealDiv' with these attrs: [T=DT_%s]. tf.realdiv "
            "divides floats: use tf.truediv (x / y), which casts integers to floats first, or tf.floordiv (x // y)"
            % x.dtype.name.upper())
    return xp.true_divide(x, y).astype(x.dtype, copy=False)


# gradient helpers of the binary ops (the driver sums each result back to its input's shape)
def _const(value, like):
    return convert_to_tensor(value, dtype=like.dtype.base_dtype)


def _zeros_like(t):
    from .array_ops import zeros_like
    return zeros_like(t)


# ---- the broadcasting binary ops' gradients, as TF's math_grad: each rule makes its gradients at the broadcast
# shape and `_reduce_gradient_args` sums each back to its input's shape (from static shapes where they decide it,
# else with BroadcastGradientArgs at run time); + - * and (x - y)**2 skip that when all shapes are known and equal.
def _shapes_fully_specified_and_equal(x, y, grad):
    xs = x.shape.as_tuple()
    return xs is not None and None not in xs and xs == y.shape.as_tuple() == grad.shape.as_tuple()


def _gradient_reduction_axes(x_shape, y_shape):
    """TF's _InferGradientReductionAxes: the axes of the broadcast result over which x's and y's gradients sum,
    from static shapes; (None, None) when an unknown dimension leaves it to run time."""
    xs, ys = x_shape.as_tuple(), y_shape.as_tuple()
    if xs is None or ys is None:
        return None, None
    rank = builtins.max(len(xs), len(ys))
    x_axes, y_axes = [], []
    for axis in range(rank):
        x_dim = 1 if axis < rank - len(xs) else xs[axis - (rank - len(xs))]
        y_dim = 1 if axis < rank - len(ys) else ys[axis - (rank - len(ys))]
        if x_dim == 1 and y_dim != 1:
            x_axes.append(axis)
        elif y_dim == 1 and x_dim != 1:
            y_axes.append(axis)
        elif x_dim is None or y_dim is None:
            return None, None
    return x_axes, y_axes


def _reduce_gradient_args(x, y, gx, gy):
    """TF's _ReduceGradientArgs (with SmartBroadcastGradientArgs): gx and gy summed back to x's and y's shapes."""
    from .array_ops import broadcast_gradient_args, reshape, shape as shape_op
    if gx is None and gy is None:
        return [gx, gy]
    x_shape, y_shape = shape_op(x), shape_op(y)
    x_axes, y_axes = _gradient_reduction_axes(x.shape, y.shape)
    if x_axes is None or y_axes is None:
        x_axes, y_axes = broadcast_gradient_args(x_shape, y_shape)
        x_must, y_must = True, True
    else:
        x_must = builtins.bool(x_axes) or x.shape.ndims < y.shape.ndims
        y_must = builtins.bool(y_axes) or y.shape.ndims < x.shape.ndims
    out = []
    for g, shape, axes, must in ((gx, x_shape, x_axes, x_must), (gy, y_shape, y_axes, y_must)):
        if g is not None and must:
            g = reshape(reduce_sum(g, axes, keepdims=True), shape)
        out.append(g)
    return out


def _reduced(rule):
    """A binary op's gradient: `rule(op, g)` -> [gx, gy] at the broadcast shape, summed back to the inputs'."""
    def grad(op, g):
        gx, gy = rule(op, g)
        return _reduce_gradient_args(op.inputs[0], op.inputs[1], gx, gy)
    return grad


def _add_grad(op, g):
    x, y = op.inputs
    if _shapes_fully_specified_and_equal(x, y, g):
        return [g, g]
    return _reduce_gradient_args(x, y, g, g)


def _sub_grad(op, g):
    x, y = op.inputs
    if _shapes_fully_specified_and_equal(x, y, g):
        return [g, -g]
    return _reduce_gradient_args(x, y, g, -g)


def _mul_grad(op, g):
    x, y = op.inputs
    if _shapes_fully_specified_and_equal(x, y, g) and g.dtype.base_dtype in (dtypes.float32, dtypes.int32):
        return [multiply(g, y), multiply(g, x)]
    return _reduce_gradient_args(x, y, multiply(g, y), multiply(x, g))


def _realdiv_grad(op, g):
    x, y = op.inputs
    return _reduce_gradient_args(x, y, realdiv(g, y), g * realdiv(realdiv(-x, y), y))


def _pow_grad(op, g):
    """TF's _PowGrad: g * y * x**(y - 1), and g * z * log(x) with log(x) taken as 0 where x <= 0."""
    from .array_ops import ones_like, where, zeros_like
    x, y = op.inputs
    gx = g * y * pow(x, y - 1)
    mask = not_equal(x, 0) if x.dtype.is_complex else x > 0
    safe_x = where(mask, x, ones_like(x))
    log_x = where(mask, log(safe_x), zeros_like(x))
    return _reduce_gradient_args(x, y, gx, g * op.outputs[0] * log_x)


def _select_grad(op, g, selector):
    """Maximum/Minimum: the gradient goes to x where selector(x, y) holds, else to y."""
    from .array_ops import where_v2, zeros_like
    x, y = op.inputs
    zeros = zeros_like(g)
    mask = selector(x, y)
    return _reduce_gradient_args(x, y, where_v2(mask, g, zeros), where_v2(mask, zeros, g))


def _squared_difference_grad(op, g):
    x, y = op.inputs
    with control_dependencies([g]):
        gx = scalar_mul(2.0, g) * (x - y)
    if _shapes_fully_specified_and_equal(x, y, g):
        return [gx, -gx]
    return _reduce_gradient_args(x, y, gx, -gx)


# ---- special functions, in float64 with xp arithmetic (numpy has none): lgamma by Lanczos' approximation (g=7,
# 9 terms) and the reflection formula, digamma and the Hurwitz zeta by recurrence up to x >= 10 and then their
# asymptotic (Euler-Maclaurin) series; all to about 1e-14 relative in float64.
_LANCZOS_G = 7.0
_LANCZOS = (0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7)
_BERNOULLI = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510, 43867 / 798)  # B2 .. B18
_ASYMPTOTIC_FROM = 10.0


def _lgamma64(xp, x):
    """log|Gamma(x)| of a float64 array: inf at 0 and the negative integers, as TF."""
    small = x < 0.5
    z = xp.where(small, 1.0 - x, x) - 1.0  # Lanczos for z + 1 >= 0.5; the reflection for the rest
    a = xp.full_like(z, _LANCZOS[0])
    for i, c in enumerate(_LANCZOS[1:], 1):
        a = a + c / (z + i)
    t = z + _LANCZOS_G + 0.5
    big = 0.5 * math.log(2 * math.pi) + (z + 0.5) * xp.log(t) - t + xp.log(a)
    # |sin(pi x)| from x's distance to the nearest integer (exact), so no x loses precision to pi x's rounding
    sin_pi = xp.abs(xp.sin(math.pi * (x - xp.round(x))))
    reflected = math.log(math.pi) - xp.log(sin_pi) - big
    out = xp.where(small, reflected, big)
    return xp.where((small & (x == xp.floor(x))) | xp.isinf(x), xp.inf, out)


def _lgamma_kernel(xp, x):
    return _lgamma64(xp, x.astype(xp.float64)).astype(x.dtype)


def _digamma64(xp, x):
    """psi(x) = d/dx log Gamma(x) of a float64 array: nan at 0 and the negative integers, as TF."""
    small = x < 0.5
    y = xp.where(small, 1.0 - x, x)  # psi(x) = psi(1 - x) - pi / tan(pi x) below 1/2
    acc = xp.zeros_like(y)
    for _ in range(int(_ASYMPTOTIC_FROM)):  # psi(y) = psi(y + 1) - 1 / y, up to y >= 10
        low = y < _ASYMPTOTIC_FROM
        acc = acc - xp.where(low, 1.0 / xp.where(low, y, 1.0), 0.0)
        y = xp.where(low, y + 1.0, y)
    inv2 = 1.0 / (y * y)
    series = xp.zeros_like(y)
    for k in range(len(_BERNOULLI) - 1, -1, -1):  # sum B_2k / (2k y^2k), Horner in 1/y^2
        series = (series + _BERNOULLI[k] / (2 * (k + 1))) * inv2
    psi = acc + xp.log(y) - 0.5 / y - series
    reflected = psi - math.pi / xp.tan(math.pi * (x - xp.round(x)))  # tan has period pi
    out = xp.where(small, reflected, psi)
    return xp.where(small & (x == xp.floor(x)), xp.nan, out)


def _digamma_kernel(xp, x):
    return _digamma64(xp, x.astype(xp.float64)).astype(x.dtype)


def _hurwitz_zeta64(xp, s, q):
    """zeta(s, q) = sum over k >= 0 of (q + k)^-s, for s > 1 (float64 arrays that broadcast): the terms summed
    up to q + k >= 10, then Euler-Maclaurin's tail."""
    s, q = xp.broadcast_arrays(s, q)
    acc = xp.zeros(s.shape, xp.float64)
    # q below 10 (negative too: TF's zeta sums as far as it must) takes ceil(10 - q) steps
    # (the finite q only: an inf or nan beside them must not cut their sums short)
    lowest = float(xp.min(xp.where(xp.isfinite(q), q, _ASYMPTOTIC_FROM))) if q.size else _ASYMPTOTIC_FROM
    steps = int(max(0.0, _ASYMPTOTIC_FROM - lowest)) + 1
    for _ in range(min(steps, 1 << 20)):
        low = q < _ASYMPTOTIC_FROM
        acc = acc + xp.where(low, xp.power(xp.where(low, q, 1.0), -s), 0.0)
        q = xp.where(low, q + 1.0, q)
    tail = xp.power(q, 1.0 - s) / (s - 1.0) + 0.5 * xp.power(q, -s)
    term = s * xp.power(q, -s - 1.0)  # s (s+1) ... (s+2k-2) q^(-s-2k+1) / (2k)!, times B_2k
    fact = 2.0
    for k, b in enumerate(_BERNOULLI):
        tail = tail + b * term / fact
        term = term * (s + 2 * k + 1) * (s + 2 * k + 2) / (q * q)
        fact *= (2 * k + 3) * (2 * k + 4)
    return acc + tail


def _polygamma_kernel(xp, a, x):
    """psi^(n)(x), the n-th derivative of digamma, for integer-valued n >= 0 (nan otherwise, as TF)."""
    n64, x64 = xp.broadcast_arrays(a.astype(xp.float64), x.astype(xp.float64))
    whole = (n64 == xp.floor(n64)) & (n64 >= 0)
    n_safe = xp.where(whole & (n64 > 0), n64, 1.0)
    # n! (-1)^(n+1) zeta(n + 1, x); lgamma gives n! without overflow to 170
    scale = xp.exp(_lgamma64(xp, n_safe + 1.0)) * xp.where(xp.fmod(n_safe, 2.0) == 1.0, 1.0, -1.0)
    pole = (x64 <= 0) & (x64 == xp.floor(x64))
    zeta = _hurwitz_zeta64(xp, n_safe + 1.0, xp.where(pole, 1.0, x64))
    # at 0 and the negative integers: inf for odd n, nan for even n (TF's zeta and sign there)
    at_pole = xp.where(xp.fmod(n_safe, 2.0) == 1.0, xp.inf, xp.nan)
    out = xp.where(pole, at_pole, scale * zeta)
    out = xp.where(n64 == 0, _digamma64(xp, x64), out)
    return xp.where(whole, out, xp.nan).astype(x.dtype)


def _xlogy_kernel(xp, x, y):
    out = x * xp.log(y)
    return xp.where(x == 0, xp.zeros_like(out), out)


def _xdivy_kernel(xp, x, y):
    out = x / y
    return xp.where(x == 0, xp.zeros_like(out), out)


def _div_no_nan_kernel(xp, x, y):
    out = x / xp.where(y == 0, xp.ones_like(y), y)
    return xp.where(y == 0, xp.zeros_like(out), out).astype(x.dtype, copy=False)


def _atan2_grad(op, g):
    y, x = op.inputs
    g_inv = realdiv(g, add(square(x), square(y)))
    return [multiply(x, g_inv), multiply(negative(y), g_inv)]


def _xlogy_grad(op, g):
    x, y = op.inputs
    not_zero_x = cast(not_equal(x, _const(0, x)), x.dtype.base_dtype)
    return [multiply(xlogy(not_zero_x, y), g), multiply(xdivy(x, y), g)]


def _xdivy_grad(op, g):
    x, y = op.inputs
    not_zero_x = cast(not_equal(x, _const(0, x)), x.dtype.base_dtype)
    return [multiply(xdivy(not_zero_x, y), g), multiply(xdivy(negative(x), pow(y, _const(2, y))), g)]


def _div_no_nan_grad(op, g):
    x, y = op.inputs
    return [div_no_nan(g, y), multiply(g, div_no_nan(div_no_nan(negative(x), y), y))]


def _polygamma_grad(op, g):
    n, x = op.inputs
    return [None, multiply(g, polygamma(add(n, _const(1, n)), x))]


# TF op type -> (kernel, allowed input types, result is bool, gradient slot)
_BINARY = {
    # `+` on numbers builds AddV2 (TF since 1.15; TF 2's tf.add too), tf.add and strings build Add
    "AddV2": (lambda xp, x, y: xp.add(x, y), _ARITH, False, _add_grad),
    "Add": (lambda xp, x, y: xp.add(x, y), _ADD_TYPES, False, _add_grad),
    "Sub": (lambda xp, x, y: xp.subtract(x, y), _ARITH, False, _sub_grad),
    "Mul": (lambda xp, x, y: xp.multiply(x, y), _ARITH, False, _mul_grad),
    "RealDiv": (_realdiv_kernel, _ARITH, False, _realdiv_grad),
    "FloorDiv": (_floordiv_kernel, _ARITH, False, NOT_DIFFERENTIABLE),
    "FloorMod": (_floormod_kernel, _INT_OR_FLOAT, False,
                 _reduced(lambda op, g: [g, g * negative(floordiv(op.inputs[0], op.inputs[1]))])),
    "TruncateDiv": (_truncatediv_kernel, _INT_OR_FLOAT, False, NOT_DIFFERENTIABLE),
    "Pow": (_pow_kernel, _SIGNED, False, _pow_grad),
    "Maximum": (lambda xp, x, y: xp.maximum(x, y), _INT_OR_FLOAT, False, lambda op, g: _select_grad(op, g, greater_equal)),
    "Minimum": (lambda xp, x, y: xp.minimum(x, y), _INT_OR_FLOAT, False, lambda op, g: _select_grad(op, g, less_equal)),
    "SquaredDifference": (_squared_difference_kernel, _SQUARED_DIFFERENCE_TYPES, False, _squared_difference_grad),
    "Less": (lambda xp, x, y: xp.less(x, y), _INT_OR_FLOAT, True, NOT_DIFFERENTIABLE),
    "LessEqual": (lambda xp, x, y: xp.less_equal(x, y), _INT_OR_FLOAT, True, NOT_DIFFERENTIABLE),
    "Greater": (lambda xp, x, y: xp.greater(x, y), _INT_OR_FLOAT, True, NOT_DIFFERENTIABLE),
    "GreaterEqual": (lambda xp, x, y: xp.greater_equal(x, y), _INT_OR_FLOAT, True, NOT_DIFFERENTIABLE),
    "Equal": (lambda xp, x, y: xp.equal(x, y), None, True, NOT_DIFFERENTIABLE),
    "NotEqual": (lambda xp, x, y: xp.not_equal(x, y), None, True, NOT_DIFFERENTIABLE),
    "LogicalAnd": (lambda xp, x, y: xp.logical_and(x, y), (dtypes.bool,), True, NOT_DIFFERENTIABLE),
    "LogicalOr": (lambda xp, x, y: xp.logical_or(x, y), (dtypes.bool,), True, NOT_DIFFERENTIABLE),
    "Atan2": (lambda xp, y, x: xp.arctan2(y, x), FLOAT_TYPES, False, _reduced(_atan2_grad)),
    "Xlogy": (_xlogy_kernel, FLOAT_COMPLEX_TYPES, False, _reduced(_xlogy_grad)),
    "Xdivy": (_xdivy_kernel, FLOAT_COMPLEX_TYPES, False, _reduced(_xdivy_grad)),
    "DivNoNan": (_div_no_nan_kernel, FLOAT_COMPLEX_TYPES, False, _reduced(_div_no_nan_grad)),
    "Polygamma": (_polygamma_kernel, (dtypes.float32, dtypes.float64), False, _reduced(_polygamma_grad)),
}
for _type, (_kernel, _allowed, _is_bool, _grad) in _BINARY.items():
    # (not `broadcasting`: the gradients sum back over broadcast axes themselves, `_reduce_gradient_args`)
    register_op(_type, infer=_compare_infer if _is_bool else _binary_infer, kernel=_kernel, grad=_grad,
                explain=incompatible_shapes)


def _binary(op_type, x, y, name, default_name=None):
    with name_scope(name, default_name or op_type, [x, y]) as scope:
        x, y = convert_same_dtype(op_type, [("x", x), ("y", y)], allowed=_BINARY[op_type][1])
        return make_op(op_type, [x, y], name=scope)


def add(x, y, name=None):
    """x + y elementwise, with broadcasting: an Add op, as TF 1.x's tf.add (TF 2 builds AddV2 for numbers)."""
    return _binary("Add", x, y, name)


def _add_dispatch(x, y, name=None):
    """The `+` operator (x is a Tensor by now): AddV2, or Add (concatenation) for strings, as TF since 1.15."""
    return _binary("Add" if x.dtype.base_dtype == dtypes.string else "AddV2", x, y, name, default_name="Add")


def subtract(x, y, name=None):
    """x - y elementwise, with broadcasting."""
    return _binary("Sub", x, y, name)


def multiply(x, y, name=None):
    """x * y elementwise, with broadcasting."""
    return _binary("Mul", x, y, name)


def realdiv(x, y, name=None):
    """x / y for floats (no integer cast, unlike `truediv`), with broadcasting."""
    return _binary("RealDiv", x, y, name)


def floordiv(x, y, name=None):
    """x // y: floor division (rounds toward -inf on integers and floats)."""
    with name_scope(name, "floordiv", [x, y]) as scope:
        return _binary("FloorDiv", x, y, scope)


def floor_div(x, y, name=None):
    """The FloorDiv op itself (TF's generated tf.floor_div): as floordiv, but named "FloorDiv" by default."""
    return _binary("FloorDiv", x, y, name)


def mod(x, y, name=None):
    """x % y with the sign of y (floor modulo), as Python's %."""
    return _binary("FloorMod", x, y, name)


floormod = mod


def truncatediv(x, y, name=None):
    """x / y on integers, rounded toward zero (-7 / 2 = -3), with broadcasting."""
    return _binary("TruncateDiv", x, y, name)


def pow(x, y, name=None):  # noqa: A001 - TF's name
    """x ** y elementwise."""
    return _binary("Pow", x, y, name)


def maximum(x, y, name=None):
    """The larger of x and y elementwise, with broadcasting."""
    return _binary("Maximum", x, y, name)


def minimum(x, y, name=None):
    """The smaller of x and y elementwise, with broadcasting."""
    return _binary("Minimum", x, y, name)


def squared_difference(x, y, name=None):
    """(x - y)**2 elementwise."""
    return _binary("SquaredDifference", x, y, name)


def less(x, y, name=None):
    """x < y elementwise, as a bool tensor."""
    return _binary("Less", x, y, name)


def less_equal(x, y, name=None):
    """x <= y elementwise, as a bool tensor."""
    return _binary("LessEqual", x, y, name)


def greater(x, y, name=None):
    """x > y elementwise, as a bool tensor."""
    return _binary("Greater", x, y, name)


def greater_equal(x, y, name=None):
    """x >= y elementwise, as a bool tensor."""
    return _binary("GreaterEqual", x, y, name)


def equal(x, y, name=None):
    """x == y elementwise (any dtype, strings too), as a bool tensor."""
    return _binary("Equal", x, y, name)


def not_equal(x, y, name=None):
    """x != y elementwise, as a bool tensor."""
    return _binary("NotEqual", x, y, name)


def logical_and(x, y, name=None):
    """x & y on bool tensors."""
    return _binary("LogicalAnd", x, y, name)


def logical_or(x, y, name=None):
    """x | y on bool tensors."""
    return _binary("LogicalOr", x, y, name)


def logical_xor(x, y, name="LogicalXor"):
    """x ^ y on bools, built as TF builds it: (x | y) & ~(x & y) (no op of its own, no name scope)."""
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)), name=name)


def atan2(y, x, name=None):
    """The angle of the point (x, y) from the x axis, in [-pi, pi], elementwise with broadcasting (floats).

    >>> tf.atan2(1.0, -1.0)   # 3 pi / 4
    """
    with name_scope(name, "Atan2", [y, x]) as scope:
        y, x = convert_same_dtype("Atan2", [("y", y), ("x", x)], allowed=_BINARY["Atan2"][1])
        return make_op("Atan2", [y, x], name=scope)


def xlogy(x, y, name=None):
    """x * log(y), and 0 where x is 0 (even where y is 0 or nan), elementwise with broadcasting."""
    return _binary("Xlogy", x, y, name)


def xdivy(x, y, name=None):
    """x / y, and 0 where x is 0, elementwise with broadcasting (an op 'xdivy/Xdivy', as TF names it)."""
    with name_scope(name, "xdivy", [x]):
        return _binary("Xdivy", x, y, None)


def div_no_nan(x, y, name=None):
    """x / y, and 0 where y is 0 (true division: integers are cast to float first, as `truediv`).

    >>> tf.div_no_nan([1.0, 2.0], [0.0, 4.0])   # [0, 0.5]
    """
    with name_scope(name, "div_no_nan", [x, y]) as scope:
        if not is_tensor_like(x) and is_tensor_like(y):
            y = convert_to_tensor(y, name="y")
            x = convert_to_tensor(x, dtype=y.dtype.base_dtype, name="x")
        else:
            x = convert_to_tensor(x, name="x")
            y = convert_to_tensor(y, name="y", preferred_dtype=x.dtype.base_dtype)
        if x.dtype.base_dtype != y.dtype.base_dtype:
            raise TypeError("`x` and `y` must have the same dtype, got %r != %r."
                            % (x.dtype.base_dtype, y.dtype.base_dtype))
        try:
            target = _TRUEDIV_CAST[x.dtype.base_dtype]
        except KeyError:
            raise TypeError("Invalid dtype %r in tf.math.divide_no_nan. Expected one of {%s}."
                            % (x.dtype.base_dtype, ", ".join(repr(d) for d in _TRUEDIV_CAST))) from None
        if target is not None:
            x, y = cast(x, target), cast(y, target)
        return _binary("DivNoNan", x, y, scope)


divide_no_nan = div_no_nan


def polygamma(a, x, name=None):
    """psi^(a)(x): the a-th derivative of digamma (a a whole number, as a float of x's type; a = 0 is digamma).

    >>> tf.polygamma(1.0, 1.0)   # pi**2 / 6
    """
    with name_scope(name, "Polygamma", [a, x]) as scope:
        a, x = convert_same_dtype("Polygamma", [("a", a), ("x", x)], allowed=_BINARY["Polygamma"][1])
        return make_op("Polygamma", [a, x], name=scope)


# Python 3 division: integer inputs are cast to this float type first (None: divide as is)
_TRUEDIV_CAST = {dtypes.uint8: dtypes.float32, dtypes.int8: dtypes.float32, dtypes.uint16: dtypes.float32,
                 dtypes.int16: dtypes.float32, dtypes.int32: dtypes.float64, dtypes.int64: dtypes.float64,
                 dtypes.uint32: dtypes.float64, dtypes.uint64: dtypes.float64,
                 dtypes.float16: None, dtypes.float32: None, dtypes.float64: None,
                 dtypes.complex64: None, dtypes.complex128: None}


def _same_dtype(x, y):
    if x.dtype.base_dtype != y.dtype.base_dtype:
        raise TypeError("x and y must have the same dtype, got %r != %r" % (x.dtype.base_dtype, y.dtype.base_dtype))


def truediv(x, y, name=None):
    """x / y as Python 3 does: integers are cast to float first (int32 -> float64, int16 -> float32).

    >>> tf.truediv(tf.constant(-7), 2)   # float64 -3.5, an op named 'truediv'
    """
    with name_scope(name, "truediv", [x, y]) as scope:
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, name="y", preferred_dtype=x.dtype.base_dtype)
        _same_dtype(x, y)
        try:
            target = _TRUEDIV_CAST[x.dtype.base_dtype]
        except KeyError:
            raise TypeError("Invalid dtype %r in __truediv__" % x.dtype.base_dtype) from None
        if target is not None:
            x = cast(x, target)
            y = cast(y, target)
        return _binary("RealDiv", x, y, scope)


def divide(x, y, name=None):
    """x / y (Python 3 true division)."""
    return truediv(x, y, name=name)


def div(x, y, name=None):
    """The lecture's legacy tf.div: floor division on integers (-7 / 2 = -4), true division on floats."""
    with name_scope(name, "div", [x, y]) as scope:
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, name="y", dtype=x.dtype.base_dtype)
        _same_dtype(x, y)
        if x.dtype.base_dtype.is_floating or x.dtype.base_dtype.is_complex:
            return _binary("RealDiv", x, y, scope)
        return _binary("FloorDiv", x, y, scope)


# legacy TF 0.x spellings used by the lecture
mul = multiply
sub = subtract


def scalar_mul(scalar, x, name=None):
    """scalar * x for a 0-D `scalar` (converted to x's dtype)."""
    scalar = convert_to_tensor(scalar, dtype=x.dtype.base_dtype, name="scalar")
    if scalar.shape.ndims != 0:
        raise ValueError("Only scalar multiply works, got shape %s" % scalar.shape)
    return multiply(scalar, x, name=name)


# =========================================================================== unary elementwise
def _unary_infer(x):
    return x.dtype.base_dtype, x.shape


def _bool_unary_infer(x):
    return dtypes.bool, x.shape


def _sigmoid_kernel(xp, x):
    # exp(-log(1 + exp(-x))) through logaddexp never overflows, and keeps full relative precision far
    # into the left tail (sigmoid(-20) = 2.06e-9, not 0)
    t = xp.logaddexp(x.dtype.type(0), -x)
    if t.ndim == 0:  # (numpy gives a scalar for a 0-d array, which cannot be written in place)
        return xp.asarray(xp.exp(-t))
    xp.negative(t, out=t)
    return xp.exp(t, out=t)


def _rsqrt_kernel(xp, x):
    return 1 / xp.sqrt(x)


def _reciprocal_kernel(xp, x):
    return 1 / x


def _round_kernel(xp, x):
    return xp.round(x)  # banker's rounding, as TF's Round


# ---- Erf: a Taylor series near 0 and a Chebyshev fit of erfc(x) * exp(x**2) beyond, both evaluated
# in float64 with xp; accurate to a few float64 ulps. The Chebyshev coefficients are computed once,
# at import, by interpolating the standard library's erfc at Chebyshev nodes.
_ERF_SPLIT, _ERF_TAIL_END, _ERF_CHEB_DEGREE, _ERF_TAYLOR_TERMS = 1.0, 6.0, 28, 19
_ERF_TAYLOR = tuple(2 / math.sqrt(math.pi) * (-1) ** n / (math.factorial(n) * (2 * n + 1))
                    for n in range(_ERF_TAYLOR_TERMS))


def _erfcx_chebyshev(lo, hi, degree):
    """Chebyshev coefficients of erfc(x) * exp(x**2) on [lo, hi], by interpolation at Chebyshev nodes."""
    n = degree + 1
    values = []
    for k in range(n):
        x = (hi - lo) / 2 * math.cos(math.pi * (2 * k + 1) / (2 * n)) + (hi + lo) / 2
        values.append(math.erfc(x) * math.exp(x * x))
    # exact integer angle numerators and fsum keep the coefficients accurate to about an ulp
    coeffs = [2 / n * math.fsum(v * math.cos(math.pi * (j * (2 * k + 1) % (4 * n)) / (2 * n))
                                for k, v in enumerate(values)) for j in range(n)]
    coeffs[0] /= 2
    return tuple(coeffs)


_ERF_CHEB = _erfcx_chebyshev(_ERF_SPLIT, _ERF_TAIL_END, _ERF_CHEB_DEGREE)


def _erf_kernel(xp, x):
    x64 = x.astype(xp.float64)
    a = xp.abs(x64)
    t = a * a
    p = xp.zeros_like(a)
    for c in reversed(_ERF_TAYLOR):  # Horner in x**2 (|x| < 1: the series converges fast)
        p = p * t + c
    near = x64 * p
    lo, hi = _ERF_SPLIT, _ERF_TAIL_END
    u = (2 * xp.clip(a, lo, hi) - (lo + hi)) / (hi - lo)  # beyond 6, erf is 1 to float64 precision
    b1 = xp.zeros_like(a)
    b2 = xp.zeros_like(a)
    for c in _ERF_CHEB[:0:-1]:  # Clenshaw's recurrence
        b1, b2 = 2 * u * b1 - b2 + c, b1
    erfcx = u * b1 - b2 + _ERF_CHEB[0]
    far = xp.copysign(1 - xp.exp(-t) * erfcx, x64)
    return xp.where(a < lo, near, far).astype(x.dtype)


# erfc(x) beyond the Chebyshev range: exp(-x**2) / (x sqrt(pi)) times the asymptotic series
# 1 - 1/(2x^2) + 3/(2x^2)^2 - ..., whose terms at x >= 6 fall below 1e-16 long before they grow again
_ERFC_ASYMPTOTIC_TERMS = 24


def _erfc_kernel(xp, x):
    """1 - erf(x) without the cancellation: exp(-x**2) erfcx(|x|) for |x| >= 1 (2 minus it for x < 0)."""
    x64 = x.astype(xp.float64)
    a = xp.abs(x64)
    near = 1.0 - _erf_kernel(xp, x64)
    lo, hi = _ERF_SPLIT, _ERF_TAIL_END
    u = (2 * xp.clip(a, lo, hi) - (lo + hi)) / (hi - lo)
    b1 = xp.zeros_like(a)
    b2 = xp.zeros_like(a)
    for c in _ERF_CHEB[:0:-1]:  # Clenshaw's recurrence, as erf's
        b1, b2 = 2 * u * b1 - b2 + c, b1
    erfcx = u * b1 - b2 + _ERF_CHEB[0]
    big = xp.maximum(a, hi)
    inv = 1.0 / (2.0 * big * big)
    series = xp.ones_like(a)
    term = xp.ones_like(a)
    for k in range(1, _ERFC_ASYMPTOTIC_TERMS):
        term = -term * (2 * k - 1) * inv
        series = series + term
    erfcx = xp.where(a > hi, series / (big * math.sqrt(math.pi)), erfcx)
    tail = xp.exp(-a * a) * erfcx
    far = xp.where(x64 < 0, 2.0 - tail, tail)
    return xp.where(a < lo, near, far).astype(x.dtype)


# ---- gradients of the unary ops, built as TF's math_grad builds them: most make their new ops only after the incoming
# gradient (`control_dependencies([grad])`, so that e.g. cos(x) is not computed long before it is needed), with the
# Python operators (ops named 'mul', 'Neg', as TF's); tanh, sigmoid, sqrt, rsqrt and 1/x have a backward op of their
# own (TanhGrad, ... below), as in TF.
def _after(rule):
    """`rule(op, g)` (one input gradient) built under a control dependency on the incoming gradient `g`."""
    def grad(op, g):
        with control_dependencies([g]):
            return [rule(op, g)]
    return grad


def _square_grad(op, g):
    x = op.inputs[0]
    with control_dependencies([g]):
        two = constant(2.0, dtype=x.dtype.base_dtype)
        return [multiply(g, multiply(x, two))]


_UNARY = {
    # type: (kernel, allowed, is_bool_result, grad)
    "Neg": (lambda xp, x: xp.negative(x), _SIGNED, False, lambda op, g: [negative(g)]),
    "Abs": (lambda xp, x: xp.abs(x), _SIGNED_REAL, False, lambda op, g: [g * sign(op.inputs[0])]),
    "Sign": (lambda xp, x: xp.sign(x), _SIGNED, False, lambda op, g: [_zeros_like(op.inputs[0])]),
    "Square": (lambda xp, x: xp.square(x), NUMBER_TYPES, False, _square_grad),
    "Sqrt": (lambda xp, x: xp.sqrt(x), FLOAT_COMPLEX_TYPES, False, lambda op, g: [sqrt_grad(op.outputs[0], g)]),
    "Rsqrt": (_rsqrt_kernel, FLOAT_COMPLEX_TYPES, False, lambda op, g: [rsqrt_grad(op.outputs[0], g)]),
    "Exp": (lambda xp, x: xp.exp(x), FLOAT_COMPLEX_TYPES, False, _after(lambda op, g: g * op.outputs[0])),
    "Expm1": (lambda xp, x: xp.expm1(x), FLOAT_COMPLEX_TYPES, False, _after(lambda op, g: g * exp(op.inputs[0]))),
    "Log": (lambda xp, x: xp.log(x), FLOAT_COMPLEX_TYPES, False, _after(lambda op, g: g * reciprocal(op.inputs[0]))),
    "Log1p": (lambda xp, x: xp.log1p(x), FLOAT_COMPLEX_TYPES, False,
              _after(lambda op, g: g * reciprocal(1 + op.inputs[0]))),  # AddV2, as TF's 1 + x
    "Sin": (lambda xp, x: xp.sin(x), FLOAT_COMPLEX_TYPES, False, _after(lambda op, g: g * cos(op.inputs[0]))),
    "Cos": (lambda xp, x: xp.cos(x), FLOAT_COMPLEX_TYPES, False, _after(lambda op, g: -g * sin(op.inputs[0]))),
    "Tan": (lambda xp, x: xp.tan(x), FLOAT_COMPLEX_TYPES, False,
            _after(lambda op, g: square(reciprocal(cos(op.inputs[0]))) * g)),
    "Sigmoid": (_sigmoid_kernel, FLOAT_COMPLEX_TYPES, False, _after(lambda op, g: sigmoid_grad(op.outputs[0], g))),
    "Tanh": (lambda xp, x: xp.tanh(x), FLOAT_COMPLEX_TYPES, False, _after(lambda op, g: tanh_grad(op.outputs[0], g))),
    "Reciprocal": (_reciprocal_kernel, FLOAT_COMPLEX_TYPES, False,
                   lambda op, g: [reciprocal_grad(op.outputs[0], g)]),
    "Floor": (lambda xp, x: xp.floor(x), FLOAT_TYPES, False, NOT_DIFFERENTIABLE),
    "Ceil": (lambda xp, x: xp.ceil(x), FLOAT_TYPES, False, NOT_DIFFERENTIABLE),
    "Round": (_round_kernel, _SIGNED_REAL, False, NOT_DIFFERENTIABLE),
    "Rint": (lambda xp, x: xp.rint(x), FLOAT_TYPES, False, NOT_DIFFERENTIABLE),
    "Erf": (_erf_kernel, FLOAT_TYPES, False,
            lambda op, g: [multiply(g, multiply(_const(2 / math.sqrt(math.pi), g), exp(negative(square(op.inputs[0])))))]),
    "Erfc": (_erfc_kernel, FLOAT_TYPES, False,
             lambda op, g: [multiply(multiply(g, _const(-2 / math.sqrt(math.pi), g)),
                                     exp(negative(square(op.inputs[0]))))]),
    "Asin": (lambda xp, x: xp.arcsin(x), FLOAT_COMPLEX_TYPES, False,
             lambda op, g: [multiply(g, reciprocal(sqrt(subtract(_const(1, g), square(op.inputs[0])))))]),
    "Acos": (lambda xp, x: xp.arccos(x), FLOAT_COMPLEX_TYPES, False,
             lambda op, g: [multiply(negative(g), reciprocal(sqrt(subtract(_const(1, g), square(op.inputs[0])))))]),
    "Atan": (lambda xp, x: xp.arctan(x), FLOAT_COMPLEX_TYPES, False,
             lambda op, g: [multiply(g, reciprocal(add(_const(1, g), square(op.inputs[0]))))]),
    "Sinh": (lambda xp, x: xp.sinh(x), FLOAT_COMPLEX_TYPES, False, _after(lambda op, g: g * cosh(op.inputs[0]))),
    "Cosh": (lambda xp, x: xp.cosh(x), FLOAT_COMPLEX_TYPES, False, _after(lambda op, g: g * sinh(op.inputs[0]))),
    "Asinh": (lambda xp, x: xp.arcsinh(x), FLOAT_COMPLEX_TYPES, False,
              lambda op, g: [realdiv(g, cosh(op.outputs[0]))]),
    "Acosh": (lambda xp, x: xp.arccosh(x), FLOAT_COMPLEX_TYPES, False,
              lambda op, g: [realdiv(g, sinh(op.outputs[0]))]),
    "Atanh": (lambda xp, x: xp.arctanh(x), FLOAT_COMPLEX_TYPES, False,
              lambda op, g: [multiply(g, reciprocal(subtract(_const(1, g), square(op.inputs[0]))))]),
    "Lgamma": (_lgamma_kernel, FLOAT_TYPES, False, lambda op, g: [multiply(g, digamma(op.inputs[0]))]),
    "Digamma": (_digamma_kernel, FLOAT_TYPES, False,
                lambda op, g: [multiply(g, polygamma(_const(1, op.inputs[0]), op.inputs[0]))]),
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
    """-x elementwise."""
    return _unary("Neg", x, name)


neg = negative


def abs(x, name=None):  # noqa: A001 - TF's name
    """|x| elementwise (real types)."""
    return _unary("Abs", x, name)


def sign(x, name=None):
    """-1, 0 or 1 by the sign of x (x / |x| for complex)."""
    return _unary("Sign", x, name)


def square(x, name=None):
    """x * x elementwise."""
    return _unary("Square", x, name)


def sqrt(x, name=None):
    """The square root of x (floats)."""
    return _unary("Sqrt", x, name)


def rsqrt(x, name=None):
    """1 / sqrt(x) (floats)."""
    return _unary("Rsqrt", x, name)


def exp(x, name=None):
    """e ** x elementwise."""
    return _unary("Exp", x, name)


def expm1(x, name=None):
    """exp(x) - 1, accurate near 0."""
    return _unary("Expm1", x, name)


def log(x, name=None):
    """The natural logarithm of x (log(0) = -inf)."""
    return _unary("Log", x, name)


def log1p(x, name=None):
    """log(1 + x), accurate near 0."""
    return _unary("Log1p", x, name)


def sin(x, name=None):
    """sin(x) elementwise."""
    return _unary("Sin", x, name)


def cos(x, name=None):
    """cos(x) elementwise."""
    return _unary("Cos", x, name)


def tan(x, name=None):
    """tan(x) elementwise."""
    return _unary("Tan", x, name)


def sigmoid(x, name=None):
    """1 / (1 + exp(-x)), computed without overflow."""
    return _unary("Sigmoid", x, name)


def tanh(x, name=None):
    """The hyperbolic tangent of x."""
    return _unary("Tanh", x, name)


def reciprocal(x, name=None):
    """1 / x elementwise (floats)."""
    return _unary("Reciprocal", x, name)


# =========================================================================== the unary ops' backward ops
# TF's TanhGrad, SigmoidGrad, SqrtGrad, RsqrtGrad and ReciprocalGrad: (y, dy) -> the input's gradient, from the
# forward op's output y and its incoming gradient dy. Their own gradients are TF's second-order rules.
def _unary_grad_infer(y, dy):
    return y.dtype.base_dtype, y.shape  # TF's shape function: y's (dy is only checked at run time)


def _unary_grad_kernel(rule):
    """TF's cwise grad kernel: y and dy taken element by element (the number of elements must agree), y's shape."""
    def kernel(xp, y, dy):
        if dy.shape != y.shape:
            if dy.size != y.size:
                raise errors.InvalidArgumentError(None, None, "The two arguments to a cwise op must have same number "
                                                  "of elements, got %d and %d" % (y.size, dy.size))
            dy = dy.reshape(y.shape)
        return rule(xp, y, dy)
    return kernel


def _tanh_grad_kernel(xp, y, dy):
    return dy * (1 - y * y)


def _sigmoid_grad_kernel(xp, y, dy):
    return dy * (y * (1 - y))


def _sqrt_grad_kernel(xp, y, dy):
    return (dy * y.dtype.type(0.5)) / y


def _rsqrt_grad_kernel(xp, y, dy):
    return dy * (y * y * y) * y.dtype.type(-0.5)


def _reciprocal_grad_kernel(xp, y, dy):
    return -dy * (y * y)


def _tanh_grad_grad(op, grad):
    with control_dependencies([grad]):
        a, b = op.inputs
        return [grad * -2.0 * b * a, tanh_grad(a, grad)]


def _sigmoid_grad_grad(op, grad):
    with control_dependencies([grad]):
        a, b = op.inputs
        gb = grad * b
        return [gb - 2.0 * gb * a, sigmoid_grad(a, grad)]


def _sqrt_grad_grad(op, grad):
    a, y = op.inputs[0], op.outputs[0]
    with control_dependencies([grad]):
        ga = grad / a
        return [-ga * y, 0.5 * ga]


def _rsqrt_grad_grad(op, grad):
    a, b = op.inputs
    with control_dependencies([grad]):
        return [-1.5 * grad * b * square(a), rsqrt_grad(a, grad)]


def _reciprocal_grad_grad(op, grad):
    a, b = op.inputs
    with control_dependencies([grad]):
        return [grad * -2.0 * b * a, reciprocal_grad(a, grad)]


_UNARY_GRAD = {
    "TanhGrad": (_tanh_grad_kernel, _tanh_grad_grad),
    "SigmoidGrad": (_sigmoid_grad_kernel, _sigmoid_grad_grad),
    "SqrtGrad": (_sqrt_grad_kernel, _sqrt_grad_grad),
    "RsqrtGrad": (_rsqrt_grad_kernel, _rsqrt_grad_grad),
    "ReciprocalGrad": (_reciprocal_grad_kernel, _reciprocal_grad_grad),
}
for _type, (_kernel, _grad) in _UNARY_GRAD.items():
    register_op(_type, infer=_unary_grad_infer, kernel=_unary_grad_kernel(_kernel), grad=_grad)


def _unary_grad_op(op_type, y, dy, name):
    with name_scope(name, op_type, [y, dy]) as scope:
        y, dy = convert_same_dtype(op_type, [("y", y), ("dy", dy)], allowed=FLOAT_COMPLEX_TYPES)
        return make_op(op_type, [y, dy], name=scope)


def tanh_grad(y, dy, name=None):
    """TF's raw TanhGrad: dy * (1 - y**2), the gradient of tanh from its output y = tanh(x)."""
    return _unary_grad_op("TanhGrad", y, dy, name)


def sigmoid_grad(y, dy, name=None):
    """TF's raw SigmoidGrad: dy * y * (1 - y), the gradient of sigmoid from its output y."""
    return _unary_grad_op("SigmoidGrad", y, dy, name)


def sqrt_grad(y, dy, name=None):
    """TF's raw SqrtGrad: dy * 0.5 / y, the gradient of sqrt from its output y."""
    return _unary_grad_op("SqrtGrad", y, dy, name)


def rsqrt_grad(y, dy, name=None):
    """TF's raw RsqrtGrad: dy * -0.5 * y**3, the gradient of rsqrt from its output y."""
    return _unary_grad_op("RsqrtGrad", y, dy, name)


def reciprocal_grad(y, dy, name=None):
    """TF's raw ReciprocalGrad: -dy * y**2, the gradient of 1/x from its output y."""
    return _unary_grad_op("ReciprocalGrad", y, dy, name)


def floor(x, name=None):
    """The largest integer not above x (floats)."""
    return _unary("Floor", x, name)


def ceil(x, name=None):
    """The smallest integer not below x (floats)."""
    return _unary("Ceil", x, name)


def round(x, name=None):  # noqa: A001 - TF's name
    """Round half to even, as TF does."""
    x = convert_to_tensor(x, name="x")
    if x.dtype.base_dtype.is_integer:
        return x
    return _unary("Round", x, name)


def rint(x, name=None):
    """x rounded to the nearest integer, half to even (floats)."""
    return _unary("Rint", x, name)


def erf(x, name=None):
    """The Gauss error function of x (float16/32/64)."""
    return _unary("Erf", x, name)


def erfc(x, name=None):
    """1 - erf(x), accurate where erf(x) is near 1 (float16/32/64)."""
    return _unary("Erfc", x, name)


def asin(x, name=None):
    """The inverse sine of x, in [-pi/2, pi/2] (nan outside [-1, 1])."""
    return _unary("Asin", x, name)


def acos(x, name=None):
    """The inverse cosine of x, in [0, pi] (nan outside [-1, 1])."""
    return _unary("Acos", x, name)


def atan(x, name=None):
    """The inverse tangent of x, in (-pi/2, pi/2)."""
    return _unary("Atan", x, name)


def sinh(x, name=None):
    """The hyperbolic sine of x."""
    return _unary("Sinh", x, name)


def cosh(x, name=None):
    """The hyperbolic cosine of x."""
    return _unary("Cosh", x, name)


def asinh(x, name=None):
    """The inverse hyperbolic sine of x."""
    return _unary("Asinh", x, name)


def acosh(x, name=None):
    """The inverse hyperbolic cosine of x (nan below 1)."""
    return _unary("Acosh", x, name)


def atanh(x, name=None):
    """The inverse hyperbolic tangent of x (+-inf at +-1, nan beyond)."""
    return _unary("Atanh", x, name)


def lgamma(x, name=None):
    """log |Gamma(x)| (floats; inf at 0 and the negative integers).

    >>> tf.lgamma([0.5, 3.0])   # [log(sqrt(pi)), log(2)]
    """
    return _unary("Lgamma", x, name)


def digamma(x, name=None):
    """psi(x), the derivative of lgamma (floats; nan at 0 and the negative integers)."""
    return _unary("Digamma", x, name)


def is_nan(x, name=None):
    """Where x is NaN, as a bool tensor."""
    return _unary("IsNan", x, name)


def is_inf(x, name=None):
    """Where x is +-inf, as a bool tensor."""
    return _unary("IsInf", x, name)


def is_finite(x, name=None):
    """Where x is neither NaN nor inf."""
    return _unary("IsFinite", x, name)


def logical_not(x, name=None):
    """~x on a bool tensor."""
    return _unary("LogicalNot", x, name)


# =========================================================================== Cast
def _cast_infer(x, *, SrcT, DstT, Truncate=False):
    return DstT, x.shape


def _cast_kernel(xp, x, *, SrcT, DstT, Truncate=False):
    if (SrcT == dtypes.string) != (DstT == dtypes.string):
        raise errors.UnimplementedError(None, None, "Cast %s to %s is not supported"
                                        % (SrcT.name, DstT.name))
    return x.astype(DstT.as_numpy_dtype)  # floats to ints truncate toward zero; to bool: x != 0


def _cast_grad(op, grad):
    """Gradients pass through casts between floating types only."""
    src, dst = op.inputs[0].dtype.base_dtype, op.outputs[0].dtype.base_dtype
    if (src.is_floating or src.is_complex) and (dst.is_floating or dst.is_complex):
        return [cast(grad, src)]
    return [None]


register_op("Cast", infer=_cast_infer, kernel=_cast_kernel, grad=_cast_grad)


def cast(x, dtype, name=None):
    """`x` converted to `dtype` (floats to ints truncate toward zero; to bool: nonzero is True).

    >>> tf.cast(tf.constant([-1.7, 2.5]), tf.int32)   # [-1, 2]
    """
    base = dtypes.as_dtype(dtype).base_dtype
    if isinstance(x, Tensor) and x.dtype == base:
        return x
    with name_scope(name, "Cast", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        if x.dtype.base_dtype == base:
            return x
        return make_op("Cast", [x], {"SrcT": x.dtype.base_dtype, "DstT": base, "Truncate": False}, name=scope)


def saturate_cast(value, dtype, name=None):
    """`value` cast to `dtype`, clamped first to the range `dtype` can hold."""
    with name_scope(name, "saturate_cast", [value]) as scope:
        value = convert_to_tensor(value, name="value")
        dtype = dtypes.as_dtype(dtype).base_dtype
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
    # TF merges from the last input backwards, naming the input that disagrees
    shape = inputs[-1].shape
    for i in range(len(inputs) - 2, -1, -1):
        try:
            shape = merge_shapes(inputs[i].shape, shape)
        except InferenceError as e:
            raise InferenceError("%s\n\tFrom merging shape %d with other shapes." % (e, i)) from None
    return inputs[0].dtype.base_dtype, shape


def _addn_kernel(xp, *inputs, N=None, T=None):
    for i, a in enumerate(inputs[1:], 1):
        if a.shape != inputs[0].shape:  # AddN never broadcasts
            raise errors.InvalidArgumentError(
                None, None, "Inputs to operation of type AddN must have the same size and shape.  Input 0: "
                "%s != input %d: %s" % (list(inputs[0].shape), i, list(a.shape)))
    out = inputs[0] + inputs[1]
    for a in inputs[2:]:
        out += a
    return out


register_op("AddN", infer=_addn_infer, kernel=_addn_kernel, grad=lambda op, g: [g] * len(op.inputs))


def add_n(inputs, name=None):
    """The elementwise sum of a list of tensors of one shape and dtype (no broadcasting).

    >>> tf.add_n([a, b, c])   # one op 'AddN'
    """
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise ValueError("inputs must be a list of at least oneTensor/IndexedSlices with the same dtype and shape")
    if len(inputs) > 1 and any(isinstance(v, IndexedSlices) for v in inputs):
        # TF densifies an IndexedSlices inside the AddN's name scope, as its input `inputs_<i>` (tf.gradients' sum of
        # a sparse and a dense gradient: `gradients/AddN/inputs_1`)
        with name_scope(name, "AddN", inputs) as scope:
            ts = [convert_to_tensor(v, name="inputs_%d" % i) for i, v in enumerate(inputs)]
            return add_n(ts, name=scope)
    ts = [convert_to_tensor(v) for v in inputs]
    if len(ts) == 1:
        if name:
            from .array_ops import identity
            return identity(ts[0], name=name)
        return ts[0]
    types = [t.dtype.base_dtype for t in ts]
    if any(dt != types[0] for dt in types):
        raise TypeError("Tensors in list passed to 'inputs' of 'AddN' Op have types [%s] that don't all match."
                        % ", ".join(dt.name for dt in types))
    check_allowed("AddN", "inputs", types[0], NUMBER_TYPES)
    return make_op("AddN", ts, {"N": len(ts), "T": types[0]}, name=name)


# =========================================================================== max(x, 0), and a bias and ReLU in place
# numpy 2.4's `maximum` against a scalar skips its SIMD loop: max(x, 0) runs ~3x slower than max(x, zeros) with
# an array of zeros (6 vs 19 us for 32K floats in cache). A contiguous array is compared, in rows of this many
# entries, with a row of zeros broadcast down it (one read-only row per dtype, kept; rows of 4096 entries hit
# 4K aliasing here and ran 14x slower).
_ZERO_ROW = 16384
_zero_rows = {}


def _clipped_at_zero(xp, x, out=None):
    """max(x, 0) (into `out`, if given: an array shaped like `x`), NaN kept, as numpy's maximum does."""
    if x.size < _ZERO_ROW // 4 or x.__class__ is not np.ndarray or x.dtype.kind != "f" or not x.flags.c_contiguous \
            or (out is not None and not out.flags.c_contiguous):
        return xp.maximum(x, x.dtype.type(0), out=out)  # small (a call's cost is all there is), or not numpy's
    zeros = _zero_rows.get(x.dtype)
    if zeros is None:
        zeros = np.zeros((1, _ZERO_ROW), x.dtype)
        zeros.flags.writeable = False
        zeros = _zero_rows.setdefault(x.dtype, zeros)
    if out is None:
        out = np.empty_like(x)
    src, dst = x.reshape(-1), out.reshape(-1)
    whole = x.size - x.size % _ZERO_ROW
    if whole:
        np.maximum(src[:whole].reshape(-1, _ZERO_ROW), zeros, out=dst[:whole].reshape(-1, _ZERO_ROW))
    if whole < x.size:
        rest = x.size - whole
        np.maximum(src[whole:].reshape(1, rest), zeros[:, :rest], out=dst[whole:].reshape(1, rest))
    return out


# A device's own `bias_and_relu` (one fused kernel), by the class of its arrays (runtime/cupy_backend.py; the fake
# GPU a numpy reference): it returns True when it did the work, False where it does not apply (dtypes, layouts).
_DEVICE_BIAS_RELU = {}


def register_device_bias_relu(array_class, fn):
    """`fn(out, bias, relu)` adds `bias` along the last axis of `out` (a C-contiguous array of its dtype), then
    clips at 0 (NaN kept) when `relu`, in place, for arrays of `array_class`; returns False to decline."""
    _DEVICE_BIAS_RELU[array_class] = fn


def bias_relu_applies(out, bias):
    """Whether a device's bias + ReLU kernel takes these arrays: float32/64, a C-contiguous non-empty `out` and a
    1-D `bias` of its dtype with as many entries as its last axis."""
    return (out.dtype in (np.float32, np.float64) and bias.dtype == out.dtype and bias.ndim == 1 and out.ndim > 0
            and bias.shape[0] == out.shape[-1] and out.flags.c_contiguous and out.size > 0)


def bias_and_relu(xp, out, bias, relu):
    """`out` += `bias` (along its last axis), then max(out, 0) if `relu`, in place: the epilogue of a fused
    Conv2D or MatMul -> BiasAdd [-> Relu] (TF's _FusedConv2D, _FusedMatMul). One kernel on a GPU."""
    device = _DEVICE_BIAS_RELU.get(out.__class__)
    if device is not None and bias is not None and device(out, bias, relu):
        return out
    if bias is not None:
        xp.add(out, bias, out=out)
    if relu:
        _clipped_at_zero(xp, out, out=out)
    return out


# =========================================================================== MatMul / BatchMatMul
def _matmul_infer(a, b, *, transpose_a=False, transpose_b=False):
    sa, sb = a.shape, b.shape
    for s in (sa, sb):
        if s.ndims is not None and s.ndims != 2:
            raise InferenceError("Shape must be rank 2 but is rank %d" % s.ndims)
    ta = sa.as_tuple() if sa.ndims is not None else (None, None)
    tb = sb.as_tuple() if sb.ndims is not None else (None, None)
    m, ka = (ta[1], ta[0]) if transpose_a else (ta[0], ta[1])
    kb, n = (tb[1], tb[0]) if transpose_b else (tb[0], tb[1])
    if ka is not None and kb is not None and ka != kb:
        raise InferenceError("Dimensions must be equal, but are %d and %d" % (ka, kb))
    return a.dtype.base_dtype, TensorShape([m, n])


def _matmul_kernel(xp, a, b, *, transpose_a=False, transpose_b=False, finish=None):
    """a @ b; `finish` (the fused kernel's bias and ReLU) works on rows of the product in place, see blocked_matmul."""
    if a.ndim != 2 or b.ndim != 2:  # numpy would take a vector or a batch (inputs of unknown rank reach here)
        raise errors.InvalidArgumentError(None, None, "In[%d] is not a matrix" % (0 if a.ndim != 2 else 1))
    if transpose_a:
        a = a.T
    if transpose_b:
        b = b.T
    if a.size * b.shape[-1] < _BLOCKED_MATMUL_MACS:  # small (the perceptron's): as cheap a call as can be
        out = xp.matmul(a, b)
        return out if finish is None else finish(out)
    return blocked_matmul(xp, a, b, finish)


def _fused_matmul_kernel(xp, a, b, bias, *, activation, transpose_a=False, transpose_b=False):
    """MatMul, then BiasAdd of `bias`, then `activation` ("Relu" or None), the bias and ReLU added to each block
    of the product while it is in cache (TF's _FusedMatMul; one GEMM and one fused kernel on a GPU). A plan uses
    it only where BiasAdd's checks hold statically: `bias` has as many entries as the product has columns."""
    if b.ndim != 2 or bias.shape != (b.shape[0 if transpose_b else 1],):
        # not matrices (MatMul's error, first), or a bias assigned with validate_shape=False changed its shape:
        # BiasAdd's error
        from .nn_ops import fused_bias_error
        return fused_bias_error(xp, _matmul_kernel(xp, a, b, transpose_a=transpose_a, transpose_b=transpose_b), bias)
    relu = activation == "Relu"
    return _matmul_kernel(xp, a, b, transpose_a=transpose_a, transpose_b=transpose_b,
                          finish=lambda rows: bias_and_relu(xp, rows, bias, relu))


# a product of at least this many multiply-adds is cut into blocks that the intra-op threads take one at a
# time (runtime/intra_op.py); smaller ones are one call
_BLOCKED_MATMUL_MACS = 1 << 21
_MATMUL_BLOCK = 128  # rows, columns or depth a block has, at least


def blocked_matmul(xp, a, b, finish=None):
    """a @ b of two matrices (or numpy's matmul as it is, for anything else), in blocks for the intra-op
    threads: of rows or of columns of the result (each thread packs what it multiplies, so as few blocks as
    threads, but more for large products: a thread slowed by another program then does fewer), or of the
    shared dimension for a product with a few rows (a layer at batch 1: each thread streams its own rows of
    b, and the partial products are added). `finish(rows)`, if given, works on rows of the product in place
    (a bias and ReLU): on each block of rows as it is made, else on the whole product."""
    if a.ndim != 2 or b.ndim != 2 or a.size * b.shape[1] < _BLOCKED_MATMUL_MACS or a.__class__ is not np.ndarray \
            or b.__class__ is not np.ndarray or a.shape[1] != b.shape[0] or intra_op.threads() == 1:
        out = xp.matmul(a, b)
        return out if finish is None else finish(out)
    m, k = a.shape
    n = b.shape[1]
    macs = m * n * k
    threads = intra_op.threads()
    if m < _MATMUL_BLOCK // 4 and k >= threads * _MATMUL_BLOCK:
        edges = [k * i // threads for i in range(threads + 1)]
        out = intra_op.parallel_sum(lambda i: np.matmul(a[:, edges[i]:edges[i + 1]], b[edges[i]:edges[i + 1]]),
                                    threads)
        return out if finish is None else finish(out)
    out = np.empty((m, n), np.result_type(a, b))
    by_rows = m >= n
    size = m if by_rows else n
    count = max(1, min((4 if macs >= 32 * _BLOCKED_MATMUL_MACS else 1) * threads, size // _MATMUL_BLOCK))
    edges = [size * i // count for i in range(count + 1)]

    def block(i):
        lo, hi = edges[i], edges[i + 1]
        if by_rows:
            np.matmul(a[lo:hi], b, out=out[lo:hi])
            if finish is not None:
                finish(out[lo:hi])
        else:
            np.matmul(a, b[:, lo:hi], out=out[:, lo:hi])

    intra_op.parallel_for(block, count)
    if finish is not None and not by_rows:
        finish(out)
    return out


def _matmul_grad(op, grad):
    a, b = op.inputs
    ta, tb = op.get_attr("transpose_a"), op.get_attr("transpose_b")
    if not ta and not tb:
        return [matmul(grad, b, transpose_b=True), matmul(a, grad, transpose_a=True)]
    if not ta and tb:
        return [matmul(grad, b), matmul(grad, a, transpose_a=True)]
    if ta and not tb:
        return [matmul(b, grad, transpose_b=True), matmul(a, grad)]
    return [matmul(b, grad, transpose_a=True, transpose_b=True), matmul(grad, a, transpose_a=True, transpose_b=True)]


def _matmul_explain(shapes, *, transpose_a=False, transpose_b=False):
    """TF's MatMul kernel's messages for run-time shapes numpy refused."""
    a, b = shapes  # matrices: the kernel checked
    if a[0 if transpose_a else 1] != b[1 if transpose_b else 0]:
        return "Matrix size-incompatible: In[0]: %s, In[1]: %s" % (debug_string(a), debug_string(b))
    return None


def half_via_float32(kernel, first=0):
    """`kernel` that computes float16 numpy inputs in float32 and rounds its result to float16: numpy has no BLAS
    for float16 (a product or convolution took 100 times float32's time); on a GPU the kernel runs as it is.
    `first`: the position of an input of the op's type T (one dtype check a call)."""
    @functools.wraps(kernel)
    def run(xp, *args, **kwargs):
        if args[first].dtype == np.float16 and xp is np:
            args = [a.astype(np.float32) if isinstance(a, np.ndarray) and a.dtype == np.float16 else a for a in args]
            return kernel(xp, *args, **kwargs).astype(np.float16)
        return kernel(xp, *args, **kwargs)
    return run


register_op("MatMul", infer=_matmul_infer, kernel=half_via_float32(_matmul_kernel), grad=_matmul_grad,
            explain=_matmul_explain, fused_bias=half_via_float32(_fused_matmul_kernel), blas=True)


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


def _adjoint(xp, x):
    x = xp.swapaxes(x, -1, -2)
    return xp.conj(x) if x.dtype.kind == "c" else x


def _batch_matmul_kernel(xp, a, b, *, adj_x=False, adj_y=False):
    if a.ndim < 2 or b.ndim < 2:  # numpy would take a vector
        raise errors.InvalidArgumentError(None, None, "In[%d] ndims must be >= 2: %d"
                                          % ((0, a.ndim) if a.ndim < 2 else (1, b.ndim)))
    return xp.matmul(_adjoint(xp, a) if adj_x else a, _adjoint(xp, b) if adj_y else b)


def _batch_matmul_grad(op, grad):
    # output-shaped in the batch dimensions: the driver sums broadcast batch dimensions away
    x, y = op.inputs
    ax, ay = op.get_attr("adj_x"), op.get_attr("adj_y")
    if not ax and not ay:
        return [matmul(grad, y, adjoint_b=True), matmul(x, grad, adjoint_a=True)]
    if not ax and ay:
        return [matmul(grad, y), matmul(grad, x, adjoint_a=True)]
    if ax and not ay:
        return [matmul(y, grad, adjoint_b=True), matmul(x, grad)]
    return [matmul(y, grad, adjoint_a=True, adjoint_b=True), matmul(grad, x, adjoint_a=True, adjoint_b=True)]


def _batch_matmul_explain(shapes, *, adj_x=False, adj_y=False):
    """TF's BatchMatMulV2 kernel's messages for run-time shapes numpy refused."""
    a, b = shapes  # of rank 2 or more: the kernel checked
    if incompatible_shapes([a[:-2], b[:-2]]) is not None:
        return "In[0] and In[1] must have compatible batch dimensions: %s vs. %s" % (debug_string(a), debug_string(b))
    ka, kb = a[-2 if adj_x else -1], b[-1 if adj_y else -2]
    if ka != kb:
        return "In[0] mismatch In[1] shape: %d vs. %d: %s %s %d %d" % (ka, kb, debug_string(a), debug_string(b),
                                                                      adj_x, adj_y)
    return None


register_op("BatchMatMulV2", infer=_batch_matmul_infer, kernel=half_via_float32(_batch_matmul_kernel),
            grad=_batch_matmul_grad, broadcasting=True, explain=_batch_matmul_explain, blas=True)

_MATMUL_TYPES = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64,
                 dtypes.complex64, dtypes.complex128)


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, name=None):
    """The matrix product a @ b; when either input has rank > 2 (or unknown rank), batches of matrices
    multiply with broadcast batch dimensions (op BatchMatMulV2).

    >>> tf.matmul(tf.constant([[3., 3.]]), tf.constant([[2.], [2.]])).shape
    TensorShape([Dimension(1), Dimension(1)])
    """
    with name_scope(name, "MatMul", [a, b]) as scope:
        if transpose_a and adjoint_a:
            raise ValueError("Only one of transpose_a and adjoint_a can be True.")
        if transpose_b and adjoint_b:
            raise ValueError("Only one of transpose_b and adjoint_b can be True.")
        a, b = convert_same_dtype("MatMul", [("a", a), ("b", b)], allowed=_MATMUL_TYPES)
        if a.dtype.base_dtype.is_complex and (adjoint_a or adjoint_b or transpose_a or transpose_b):
            # TF conjugates with a Conj op here; tfmini has no complex Conj op
            raise NotImplementedError("transposed or adjoint complex matmul is not supported by tfmini")
        ra, rb = a.shape.ndims, b.shape.ndims
        if ra is None or ra > 2 or rb is None or rb > 2:
            return make_op("BatchMatMulV2", [a, b], {"adj_x": transpose_a or adjoint_a,
                                                     "adj_y": transpose_b or adjoint_b}, name=scope)
        return make_op("MatMul", [a, b], {"transpose_a": transpose_a or adjoint_a,
                                          "transpose_b": transpose_b or adjoint_b}, name=scope)


# =========================================================================== tensordot (TF's composite)
def _tensordot_axes(a, axes):
    """The contraction axes of a and of b, as lists (or int32 tensors, for a tensor `axes`)."""
    if isinstance(axes, (int, np.integer)) and not isinstance(axes, builtins.bool):
        if axes < 0:
            raise ValueError("`axes` must be at least 0. Received: %d." % axes)
        nd = a.shape.ndims
        if nd is None:  # TF's ranges of int32 tensors, from the rank at run time
            from .array_ops import rank
            from .array_ops import range as range_
            rank_a = rank(a)
            return range_(rank_a - axes, rank_a, dtype=dtypes.int32), range_(axes, dtype=dtypes.int32)
        if axes > nd:
            raise ValueError("`axes` must not be larger than the number of dimensions of tensor %s.  Received %d, "
                             "vs tensor dimensions %d." % (a, axes, nd))
        return list(builtins.range(nd - axes, nd)), list(builtins.range(axes))
    if isinstance(axes, (list, tuple)):
        if len(axes) != 2:
            raise ValueError("`axes` must be an integer or have length 2. Received %s." % (axes,))
        a_axes, b_axes = axes
        if isinstance(a_axes, (int, np.integer)) and isinstance(b_axes, (int, np.integer)):
            a_axes, b_axes = [a_axes], [b_axes]
        if len(a_axes) != len(b_axes):
            raise ValueError("Different number of contraction axes `a` and `b`, %d != %d."
                             % (len(a_axes), len(b_axes)))
        return list(a_axes), list(b_axes)
    axes = convert_to_tensor(axes, name="axes", dtype=dtypes.int32)
    return axes[0], axes[1]


def _tensordot_reshape(a, axes, flipped=False):
    """`a` transposed and reshaped to a matrix (free axes x contracted ones, or flipped), its free dimensions (a
    list, or an int32 tensor) and their static sizes (None where unknown)."""
    from .array_ops import reshape, shape, transpose
    if a.shape.ndims is None or not isinstance(axes, list):
        return _tensordot_reshape_dynamic(a, axes, flipped)
    dims = a.shape.as_tuple()
    axes = [i if i >= 0 else i + len(dims) for i in axes]
    free = [i for i in builtins.range(len(dims)) if i not in axes]
    free_dims = [dims[i] for i in free]
    perm = axes + free if flipped else free + axes
    if a.shape.is_fully_defined():
        prod_free = int(np.prod(free_dims))
        prod_axes = int(np.prod([dims[i] for i in axes]))
        new_shape = [prod_axes, prod_free] if flipped else [prod_free, prod_axes]
        a_trans = transpose(a, perm) if perm != list(builtins.range(len(dims))) else a
        reshaped = reshape(a_trans, new_shape) if list(a_trans.shape.as_tuple()) != new_shape else a_trans
        return reshaped, free_dims, free_dims
    axes_t = convert_to_tensor(axes, dtype=dtypes.int32, name="axes")
    free_t = convert_to_tensor(free, dtype=dtypes.int32, name="free")
    matrix, free_dims_t = _tensordot_matrix(a, shape(a), free_t, axes_t, flipped)
    return matrix, free_dims_t, free_dims


def _tensordot_matrix(a, shape_a, free, axes, flipped):
    """`a` with its `free` axes and its contracted `axes` (int32 tensors) transposed together and each group
    flattened into one dimension (contracted first when flipped), and the free dimensions (a tensor)."""
    from .array_ops import concat, gather, reshape, stack, transpose
    free_dims, axes_dims = gather(shape_a, free), gather(shape_a, axes)
    prod_free, prod_axes = reduce_prod(free_dims), reduce_prod(axes_dims)
    if flipped:
        perm, new_shape = concat([axes, free], 0), stack([prod_axes, prod_free])
    else:
        perm, new_shape = concat([free, axes], 0), stack([prod_free, prod_axes])
    return reshape(transpose(a, perm), new_shape), free_dims


def _tensordot_reshape_dynamic(a, axes, flipped):
    """_tensordot_reshape for a rank or axes known only at run time: the free axes are range(rank) less the
    contracted ones (TF takes them with a ListDiff op; here a mask picks them), nothing static is known."""
    from .array_ops import expand_dims, gather, rank, reshape, shape, where
    from .array_ops import range as range_
    shape_a, rank_a = shape(a), rank(a)
    axes = convert_to_tensor(axes, dtype=dtypes.int32, name="axes")
    axes = where(greater_equal(axes, 0), axes, axes + rank_a)
    all_axes = range_(rank_a)
    is_free = reduce_all(not_equal(expand_dims(all_axes, 1), expand_dims(axes, 0)), axis=1)
    free = gather(all_axes, reshape(where(is_free), [-1]))
    return _tensordot_matrix(a, shape_a, free, axes, flipped) + (None,)


def tensordot(a, b, axes, name=None):
    """numpy.tensordot: sums a * b over `axes` (an int N: the last N axes of a with the first N of b; or a pair
    of lists [a_axes, b_axes]), built as TF builds it: Transpose and Reshape each side to a matrix, a MatMul, and
    a Reshape to a's free dimensions then b's.

    >>> tf.tensordot(tf.ones([3, 4, 5]), tf.ones([4, 3, 2]), axes=[[1, 0], [0, 1]]).shape   # (5, 2)
    """
    from .array_ops import concat, reshape
    with name_scope(name, "Tensordot", [a, b, axes]) as scope:
        a = convert_to_tensor(a, name="a")
        b = convert_to_tensor(b, name="b")
        a_axes, b_axes = _tensordot_axes(a, axes)
        a_mat, a_free, a_static = _tensordot_reshape(a, a_axes)
        b_mat, b_free, b_static = _tensordot_reshape(b, b_axes, True)
        product = matmul(a_mat, b_mat)
        if isinstance(a_free, list) and isinstance(b_free, list):
            if product.shape.is_fully_defined() and list(product.shape.as_tuple()) == a_free + b_free:
                return product
            return reshape(product, a_free + b_free, name=scope)
        a_free = convert_to_tensor(a_free, dtype=dtypes.int32)
        b_free = convert_to_tensor(b_free, dtype=dtypes.int32)
        out = reshape(product, concat([a_free, b_free], 0), name=scope)
        if a_static is not None and b_static is not None:
            out.set_shape(a_static + b_static)
        return out


# =========================================================================== reductions
def _reduce_infer(x, axis, *, keep_dims=False, T=None):
    dtype = x.dtype.base_dtype
    if axis.shape.ndims is not None and axis.shape.ndims > 1:
        raise InferenceError("Shape must be at most rank 1 but is rank %d" % axis.shape.ndims)
    v = constant_value(axis)
    nd = x.shape.ndims
    if v is None or nd is None:
        return dtype, TensorShape([None] * nd if keep_dims and nd is not None else None)
    axes = set()
    for a in np.asarray(v).reshape(-1).tolist():
        if not -nd <= a < nd:
            raise InferenceError("Invalid reduction dimension %d for input with %d dimensions." % (a, nd))
        axes.add(a % nd)
    dims = []
    for i, d in enumerate(x.shape.as_tuple()):
        if i not in axes:
            dims.append(d)
        elif keep_dims:
            dims.append(1)
    return dtype, TensorShape(dims)


def _reduction_axes(x, axis):
    """The axes as a tuple of ints (numpy takes negative ones); repeated axes count once, as in TF."""
    ax = axis.tolist()
    nd = x.ndim
    if ax.__class__ is int:
        if -nd <= ax < nd:
            return (ax,)
        ax = (ax,)
    for a in ax:
        if not -nd <= a < nd:
            raise errors.InvalidArgumentError(
                None, None, "Invalid reduction dimension (%d for input with %d dimension(s)" % (a, nd))
    if len(ax) > 1:
        return tuple(sorted({a % nd for a in ax}))
    return tuple(ax)


_COLUMN_SUM_ROWS = 256  # fewer rows: numpy's own reduction is as fast


def column_sums(xp, m):
    """The sums of the columns of a 2-D array, in its dtype. A float32/64 matrix with many rows is summed by
    BLAS, as a vector of ones times the matrix (a bias gradient [50176, 32]: 0.25 ms, against 1.2 ms for
    numpy's reduction along axis 0)."""
    if m.shape[0] >= _COLUMN_SUM_ROWS and (m.dtype == xp.float32 or m.dtype == xp.float64) and m.flags.c_contiguous:
        return xp.matmul(xp.ones(m.shape[0], m.dtype), m)
    return xp.add.reduce(m, axis=0, dtype=m.dtype)


def _sum_kernel(xp, x, axis, *, keep_dims=False, T=None):
    axes = _reduction_axes(x, axis)
    if not axes:
        # nothing to reduce: the input itself, as TF's kernel forwards its buffer (the gradient of a broadcasting
        # op between equal shapes sums over no axes: no copy, and on a GPU no kernel)
        return x
    lead = len(axes)
    if (not keep_dims and x.size >= _COLUMN_SUM_ROWS and lead < x.ndim and x.flags.c_contiguous
            and sorted(a % x.ndim for a in axes) == list(range(lead))):
        # a sum over the leading axes (a dense or conv layer's bias gradient): the columns of a matrix view
        rest = x.shape[lead:]
        return column_sums(xp, x.reshape(x.size // math.prod(rest), math.prod(rest))).reshape(rest)
    # in the input's type: numpy would widen small integers; TF keeps the type (and wraps around on overflow)
    return xp.add.reduce(x, axis=axes, dtype=x.dtype, keepdims=keep_dims)


def _prod_kernel(xp, x, axis, *, keep_dims=False, T=None):
    # in x's type, as TF (integers wrap around); the ufunc's reduce costs half prod's call on small arrays
    return xp.multiply.reduce(x, axis=_reduction_axes(x, axis), keepdims=keep_dims, dtype=x.dtype)


def _mean_kernel(xp, x, axis, *, keep_dims=False, T=None):
    axes = _reduction_axes(x, axis)
    dt = x.dtype
    if dt.kind == "f" or dt.kind == "c":
        # half precision sums in float32, as TF does
        s = xp.add.reduce(x, axis=axes, keepdims=keep_dims, dtype=xp.float32 if dt.itemsize == 2 else dt)
        count = s.size
        n = x.size // count if count else 1
        if n == 0:  # an empty mean is nan (without numpy's warning about 0/0)
            return xp.full(xp.shape(s), xp.nan, dtype=dt)
        s = s / n
        return s if dt.itemsize != 2 else s.astype(dt)
    # TF sums integers in 64 bits and divides with C++ integer division, which truncates toward zero:
    # the mean of [-1, -2] is -1 (not the floor, -2); an empty mean is 0
    s = xp.sum(x, axis=axes, keepdims=keep_dims, dtype=xp.uint64 if x.dtype.kind == "u" else xp.int64)
    n = x.size // s.size if s.size else 1
    if n == 0:
        return s.astype(x.dtype)
    q = xp.floor_divide(s, n)
    if x.dtype.kind == "i":
        q = q + ((q < 0) & (q * n != s))
    return q.astype(x.dtype)


def _minmax_kernel(fn_name):
    def kernel(xp, x, axis, *, keep_dims=False, T=None):
        axes = _reduction_axes(x, axis)
        if x.size == 0:
            # the identity of an empty reduction: the lowest (max) or highest (min) value of the type
            axes = {a % x.ndim for a in axes}
            info = xp.finfo(x.dtype) if x.dtype.kind == "f" else xp.iinfo(x.dtype)
            fill = info.min if fn_name == "max" else info.max
            shape = tuple(1 if i in axes else d for i, d in enumerate(x.shape) if keep_dims or i not in axes)
            return xp.full(shape, fill, dtype=x.dtype)
        return getattr(x, fn_name)(axis=axes, keepdims=keep_dims)  # CuPy has no maximum.reduce
    kernel.__name__ = "_%s_kernel" % fn_name
    return kernel


def _any_kernel(xp, x, axis, *, keep_dims=False, T=None):
    return xp.any(x, axis=_reduction_axes(x, axis), keepdims=keep_dims)


def _all_kernel(xp, x, axis, *, keep_dims=False, T=None):
    return xp.all(x, axis=_reduction_axes(x, axis), keepdims=keep_dims)


# ---- gradients of the reductions: the output gradient, broadcast back over the reduced axes
def _reduced_shape(input_shape, axes):
    """x's shape with the reduced axes set to 1 (TF's math_ops.reduced_shape): a numpy array where x's shape and
    the axes are constants, else computed in the graph with DynamicStitch."""
    from .array_ops import ones, range as range_op, shape as shape_op, size
    from .data_flow_ops import dynamic_stitch
    constant_shape = constant_value(input_shape) if is_tensor_like(input_shape) else input_shape
    if constant_shape is not None:
        constant_axes = constant_value(axes) if is_tensor_like(axes) else axes
        if constant_axes is not None:
            kept = np.array(constant_shape, dtype=np.int32)
            kept[np.array(constant_axes, dtype=np.int32)] = 1
            return kept
    axes = convert_to_tensor(axes)
    rank = size(input_shape, out_type=axes.dtype)
    axes = (axes + rank) % rank
    axes_shape = shape_op(axes)
    return dynamic_stitch([range_op(rank), axes], [input_shape, ones(axes_shape, dtype=input_shape.dtype)])


def _sum_grad(op, grad):
    """TF's _SumGrad: Reshape + Tile where x's rank and the axes are known and either every axis is reduced or x's
    shape is fully known; else Reshape to the kept shape (reduced_shape) and BroadcastTo x's shape."""
    from .array_ops import broadcast_to, reshape, shape as shape_op, tile
    x, axis = op.inputs
    dims = x.shape.as_tuple()
    if dims is not None:
        axes = constant_value(axis)
        if axes is not None:
            rank = len(dims)
            if np.array_equal(axes, np.arange(rank)):  # every axis
                grad = reshape(grad, [1] * rank)
                input_shape = constant(dims, dtype=dtypes.int32) if None not in dims else shape_op(x)
                return [tile(grad, input_shape), None]
            if None not in dims:
                # as TF: computed once per graph and (shape, axes), the tiling by graph ops evaluated at once
                key = (dims, tuple(np.asarray(axes).reshape(-1).tolist()))
                cache = op.graph._reduced_shape_cache
                if key not in cache:
                    kept = tuple(int(d) for d in _reduced_shape(np.array(dims, np.int32), np.array(key[1], np.int32)))
                    # TF's graph has its _SafeShapeDiv ops here, unused once folded: the same nodes (no run uses them)
                    dims // maximum(np.array(kept, np.int32), 1)
                    cache[key] = kept, tuple(d // builtins.max(k, 1) for d, k in zip(dims, kept))
                kept, scaling = cache[key]
                return [tile(reshape(grad, kept), scaling), None]
    input_shape = shape_op(x)
    if not op.get_attr("keep_dims"):
        grad = reshape(grad, _reduced_shape(input_shape, axis))
    return [broadcast_to(grad, input_shape), None]


def _mean_grad(op, grad):
    """TF's _MeanGrad: the Sum gradient divided by the number of entries averaged (a constant where the shapes are
    known, else the product of x's reduced dimensions)."""
    from .array_ops import gather, shape as shape_op, size
    sum_grad = _sum_grad(op, grad)[0]
    x_dims, y_dims = op.inputs[0].shape.as_tuple(), op.outputs[0].shape.as_tuple()
    if x_dims is not None and y_dims is not None and None not in x_dims and None not in y_dims:
        factor = int(np.prod(x_dims, dtype=np.int64)) // builtins.max(int(np.prod(y_dims, dtype=np.int64)), 1)
        factor = constant(factor, dtype=sum_grad.dtype.base_dtype)
    else:
        input_shape = shape_op(op.inputs[0])
        rank = size(input_shape)
        axes = cast(op.inputs[1], rank.dtype)
        axes = (axes + rank) % rank
        factor = reduce_prod(gather(input_shape, axes))
    return [truediv(sum_grad, cast(factor, sum_grad.dtype.base_dtype)), None]


def _broadcast_back(op, grad):
    """The gradient of a reduction's output, reshaped to keep the reduced axes and broadcast to x's shape."""
    from .array_ops import broadcast_to, reshape, shape as shape_op
    x, axis = op.inputs
    input_shape = shape_op(x)  # (a Const where x's shape is known: then the kept shape is one too)
    kept = _reduced_shape(input_shape, axis)
    g = reshape(grad, kept)
    if isinstance(kept, np.ndarray) and x.shape.as_tuple() == tuple(kept.tolist()):
        return g
    return broadcast_to(g, input_shape)


def _min_or_max_grad(op, grad):
    """TF's _MinOrMaxGrad: the gradient is split equally among the entries that attain the extremum."""
    from .array_ops import reshape, shape as shape_op
    x, axis = op.inputs
    input_shape = shape_op(x)
    y = op.outputs[0]
    if not op.get_attr("keep_dims"):
        kept = _reduced_shape(input_shape, axis)
        y = reshape(y, kept)
        grad = reshape(grad, kept)
    else:
        kept = shape_op(y)
    indicators = cast(equal(y, x), grad.dtype.base_dtype)
    num_selected = reshape(reduce_sum(indicators, axis), kept)
    return [divide(indicators, num_selected) * grad, None]


def _prod_grad(op, grad):
    """d prod / d x_i = the product of the other entries: exclusive running products from both sides along the
    reduced axes (moved first and flattened), exact when some entries are zero (TF's _ProdGrad). The permutation
    is Python's where x's rank and the axes are known, else computed in the graph, as TF does."""
    from .array_ops import (boolean_mask, concat, expand_dims, gather, invert_permutation, rank, reshape,
                            shape as shape_op, stack, transpose)
    from .array_ops import range as range_op
    x, axis = op.inputs
    nd = x.shape.ndims
    v = constant_value(axis)
    if nd is not None and v is not None:
        reduced = sorted({int(a) % nd for a in np.asarray(v).reshape(-1).tolist()})
        perm = reduced + [i for i in range(nd) if i not in reduced]
        inverse = [perm.index(i) for i in range(nd)]
    else:
        nd_t = rank(x)
        reduced = floormod(reshape(cast(axis, dtypes.int32), [-1]), nd_t)
        idx = range_op(0, nd_t)
        other = boolean_mask(idx, logical_not(reduce_any(equal(expand_dims(idx, 1), expand_dims(reduced, 0)), 1)))
        perm = concat([reduced, other], 0)
        inverse = invert_permutation(perm)
    xt = transpose(x, perm)
    sh = shape_op(xt)
    flat = reshape(xt, stack([reduce_prod(gather(shape_op(x), reduced)), -1]))
    others = multiply(cumprod(flat, 0, exclusive=True), cumprod(flat, 0, exclusive=True, reverse=True))
    others = transpose(reshape(others, sh), inverse)
    return [multiply(_broadcast_back(op, grad), others), None]


_REDUCE = {
    # type: (kernel, allowed input types, grad)
    "Sum": (_sum_kernel, NUMBER_TYPES, _sum_grad),
    "Mean": (_mean_kernel, NUMBER_TYPES, _mean_grad),
    "Max": (_minmax_kernel("max"), REAL_NUMBER_TYPES, _min_or_max_grad),
    "Min": (_minmax_kernel("min"), REAL_NUMBER_TYPES, _min_or_max_grad),
    "Prod": (_prod_kernel, NUMBER_TYPES, _prod_grad),
    "Any": (_any_kernel, (dtypes.bool,), NOT_DIFFERENTIABLE),
    "All": (_all_kernel, (dtypes.bool,), NOT_DIFFERENTIABLE),
}
for _type, (_kernel, _allowed, _grad) in _REDUCE.items():
    register_op(_type, infer=_reduce_infer, kernel=_kernel, grad=_grad, aliases_input=_type == "Sum")


def _resolve_keepdims(keepdims, keep_dims):
    if keepdims is not None and keep_dims is not None:
        raise ValueError("Cannot specify both 'keep_dims' and 'keepdims'.")
    return builtins.bool(keepdims if keepdims is not None else (keep_dims or False))


def _resolve_axis(axis, reduction_indices):
    if axis is not None and reduction_indices is not None:
        raise ValueError("Can't specify both axis' and 'reduction_indices'.")
    return axis if axis is not None else reduction_indices


def _all_axes(x):
    """TF's _ReductionDims for axis=None: a Const [0..rank) when a tensor's rank is known (created outside the
    op's name scope, so it is named 'Const'), else range(0, rank(x)), as for any Python value (a list of tensors,
    `tf.reduce_sum([loss1, loss2])`, is packed by Rank then)."""
    nd = x.get_shape().ndims if hasattr(x, "get_shape") else None
    if nd:  # (as TF's `if x_rank:`, a scalar's empty axes come from range(0, rank(x)))
        from .constant_op import constant
        return constant(np.arange(nd, dtype=np.int32), dtype=dtypes.int32)
    from .array_ops import range as tf_range, rank  # noqa: A004 - TF's names
    return tf_range(0, rank(x))


def _reduce(op_type, input_tensor, axis, keepdims, name, reduction_indices, keep_dims):
    keepdims = _resolve_keepdims(keepdims, keep_dims)
    axis_given = _resolve_axis(axis, reduction_indices)
    axis_t = _all_axes(input_tensor) if axis_given is None else axis_given
    with name_scope(name, op_type, [input_tensor]) as scope:
        x = convert_one(op_type, "input", input_tensor, allowed=_REDUCE[op_type][1])
        if is_tensor_like(axis_t):
            axis_t = convert_one(op_type, "reduction_indices", axis_t, allowed=(dtypes.int32, dtypes.int64))
        else:  # int32 where it fits, else the value's own type, then the op's type check (axis=1.0 is float32)
            numpy_value = isinstance(axis_t, (np.ndarray, np.generic))  # keeps its own integer type
            axis_t = convert_to_tensor(axis_t, name="reduction_indices",
                                       preferred_dtype=None if numpy_value else dtypes.int32)
            check_allowed(op_type, "reduction_indices", axis_t.dtype, (dtypes.int32, dtypes.int64))
        out = make_op(op_type, [x, axis_t], {"keep_dims": keepdims, "T": x.dtype.base_dtype}, name=scope)
    if axis_given is None and not keepdims and not out.shape.is_fully_defined():
        out.set_shape(())  # TF's _may_reduce_to_scalar: reducing everything gives a scalar
    return out


def reduce_sum(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
    """Sum over `axis` (an int or a list, negative counts from the end; None = all axes). `keep_dims`
    and `reduction_indices` are the legacy spellings of `keepdims` and `axis`.

    >>> tf.reduce_sum(tf.ones((2, 3)), axis=1).shape
    TensorShape([Dimension(2)])
    """
    return _reduce("Sum", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_mean(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
    """Mean over `axis`. On integer tensors the result is an integer, the sum divided with truncation
    toward zero, as TF's C++ kernel does: reduce_mean([-1, -2]) is -1."""
    return _reduce("Mean", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_max(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
    """Largest value over `axis` (an empty reduction gives the lowest value of the type)."""
    return _reduce("Max", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_min(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
    """Smallest value over `axis` (an empty reduction gives the highest value of the type)."""
    return _reduce("Min", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_prod(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
    """Product over `axis`."""
    return _reduce("Prod", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_any(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
    """Logical or over `axis` of a bool tensor."""
    return _reduce("Any", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_all(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
    """Logical and over `axis` of a bool tensor."""
    return _reduce("All", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_logsumexp(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
    """log(sum(exp(x))) over `axis`, computed as max + log(sum(exp(x - max))) so it never overflows."""
    keepdims = _resolve_keepdims(keepdims, keep_dims)
    input_tensor = convert_to_tensor(input_tensor)
    with name_scope(name, "ReduceLogSumExp", [input_tensor]) as scope:
        from .array_ops import reshape, shape, stop_gradient, where, zeros_like
        raw_max = reduce_max(input_tensor, axis=axis, reduction_indices=reduction_indices, keepdims=True)
        # an infinite max is replaced by 0, so an all -inf slice gives -inf rather than nan
        my_max = stop_gradient(where(is_finite(raw_max), raw_max, zeros_like(raw_max)))
        result = log(reduce_sum(exp(subtract(input_tensor, my_max)), axis, keepdims=keepdims,
                                reduction_indices=reduction_indices))
        if not keepdims:
            my_max = reshape(my_max, shape(result))
        result = add(result, my_max, name=scope)
    if axis is None and reduction_indices is None and not keepdims and not result.shape.is_fully_defined():
        result.set_shape(())
    return result


def count_nonzero(input_tensor, axis=None, keepdims=None, dtype=dtypes.int64, name=None,
                  reduction_indices=None, keep_dims=None):
    """The number of nonzero (True, non-empty) entries over `axis`, as `dtype` (int64 by default)."""
    keepdims = _resolve_keepdims(keepdims, keep_dims)
    with name_scope(name, "count_nonzero", [input_tensor]):
        x = convert_to_tensor(input_tensor, name="input_tensor")
        from .array_ops import zeros
        zero = zeros([], dtype=x.dtype.base_dtype)
        return cast(reduce_sum(to_int64(not_equal(x, zero)), axis=axis, keepdims=keepdims,
                               reduction_indices=reduction_indices), dtype=dtype)


# =========================================================================== ArgMax / ArgMin
def _arg_infer(x, dimension, *, output_type):
    if dimension.shape.ndims not in (None, 0):
        raise InferenceError("Shape must be rank 0 but is rank %d" % dimension.shape.ndims)
    nd = x.shape.ndims
    if nd is None:
        return output_type, TensorShape(None)
    if nd <= 1:
        return output_type, TensorShape([])
    v = constant_value(dimension)
    if v is None:
        return output_type, TensorShape([None] * (nd - 1))
    d = int(v)
    axis = d + nd if d < 0 else d
    if not 0 <= axis < nd:
        raise InferenceError("Dimension (%d) must be in the range [%d, %d), where %d is the number of "
                             "dimensions in the input." % (d, -nd, nd, nd))
    return output_type, TensorShape([s for i, s in enumerate(x.shape.as_tuple()) if i != axis])


def _arg_kernel(fn_name):
    def kernel(xp, x, dimension, *, output_type):
        d = int(dimension)
        if not -x.ndim <= d < x.ndim:
            raise errors.InvalidArgumentError(
                None, None, "Expected dimension in the range [%d, %d), but got %d" % (-x.ndim, x.ndim, d))
        if x.shape[d] == 0:
            raise errors.InvalidArgumentError(
                None, None, "Reduction axis %d is empty in shape %s" % (d, list(x.shape)))
        return getattr(xp, fn_name)(x, axis=d).astype(output_type.as_numpy_dtype)
    kernel.__name__ = "_%s_kernel" % fn_name
    return kernel


register_op("ArgMax", infer=_arg_infer, kernel=_arg_kernel("argmax"), grad=NOT_DIFFERENTIABLE)
register_op("ArgMin", infer=_arg_infer, kernel=_arg_kernel("argmin"), grad=NOT_DIFFERENTIABLE)


def _arg(op_type, input, axis, name, dimension, output_type):  # noqa: A002 - TF's name
    if axis is not None and dimension is not None:
        raise ValueError("Cannot specify both 'axis' and 'dimension'")
    axis = axis if axis is not None else dimension
    if axis is None:
        axis = 0
    output_type = dtypes.as_dtype(output_type).base_dtype
    with name_scope(name, op_type, [input]) as scope:
        x = convert_one(op_type, "input", input, allowed=REAL_NUMBER_TYPES)
        a = convert_one(op_type, "dimension", axis, dtype=None if is_tensor_like(axis) else dtypes.int32,
                        allowed=(dtypes.int32, dtypes.int64))
        check_allowed(op_type, "output_type", output_type, (dtypes.int32, dtypes.int64))
        return make_op(op_type, [x, a], {"output_type": output_type}, name=scope)


def argmax(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):  # noqa: A002
    """The index of the largest value along `axis` (default 0), as int64 unless `output_type` says int32.

    >>> tf.argmax([[1, 5], [7, 2]], axis=1)   # [1, 0]
    """
    return _arg("ArgMax", input, axis, name, dimension, output_type)


def argmin(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):  # noqa: A002
    """The index of the smallest value along `axis` (default 0)."""
    return _arg("ArgMin", input, axis, name, dimension, output_type)


def arg_max(input, dimension, output_type=dtypes.int64, name=None):  # noqa: A002
    """TF 1.0's name of argmax (the op's own wrapper): the index of the largest value along `dimension`."""
    return _arg("ArgMax", input, None, name, dimension, output_type)


def arg_min(input, dimension, output_type=dtypes.int64, name=None):  # noqa: A002
    """TF 1.0's name of argmin: the index of the smallest value along `dimension`."""
    return _arg("ArgMin", input, None, name, dimension, output_type)


# =========================================================================== clip_by_value
def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """`t` with values below `clip_value_min` raised to it and values above `clip_value_max` lowered to it.

    Built as TF builds it, from Minimum and Maximum ('clip_by_value/Minimum', 'clip_by_value'). The
    bounds may broadcast against `t` but must not change its shape.
    """
    with name_scope(name, "clip_by_value", [t, clip_value_min, clip_value_max]) as scope:
        t = convert_to_tensor(t, name="t")
        t_min = minimum(t, clip_value_max)
        _check_same_shape(t, t_min)
        t_max = maximum(t_min, clip_value_min, name=scope)
        _check_same_shape(t, t_max)
        return t_max


def _check_same_shape(t, clipped):
    if not t.shape.is_compatible_with(clipped.shape):
        raise ValueError("Shapes %s and %s are incompatible" % (t.shape, clipped.shape))


# =========================================================================== Cumsum / Cumprod
def _scan_infer(x, axis, *, exclusive=False, reverse=False):
    if axis.shape.ndims not in (None, 0):
        raise InferenceError("Shape must be rank 0 but is rank %d" % axis.shape.ndims)
    return x.dtype.base_dtype, x.shape


def _make_scan_kernel(fn_name, identity):
    def kernel(xp, x, axis, *, exclusive=False, reverse=False):
        a = int(axis)
        if not -x.ndim <= a < x.ndim:
            raise errors.InvalidArgumentError(
                None, None, "ScanOp: Expected scan axis in the range [%d, %d), but got %d" % (-x.ndim, x.ndim, a))
        if reverse:
            x = xp.flip(x, a)
        out = getattr(xp, fn_name)(x, axis=a, dtype=x.dtype)
        if exclusive:  # shift by one along the axis: [a, b, c] -> [identity, a, a (op) b]
            shifted = xp.full_like(out, identity)
            dst = [slice(None)] * x.ndim
            src = [slice(None)] * x.ndim
            dst[a], src[a] = slice(1, None), slice(None, -1)
            shifted[tuple(dst)] = out[tuple(src)]
            out = shifted
        if reverse:
            out = xp.flip(out, a)
        return xp.ascontiguousarray(out)
    kernel.__name__ = "_%s_kernel" % fn_name
    return kernel


def _cumsum_grad(op, grad):
    return [cumsum(grad, op.inputs[1], exclusive=op.get_attr("exclusive"), reverse=not op.get_attr("reverse")),
            None]


def _cumprod_grad(op, grad):
    # TF's rule: exact where no entry is zero
    x, axis = op.inputs
    ex, rev = op.get_attr("exclusive"), op.get_attr("reverse")
    prod = cumprod(x, axis, exclusive=ex, reverse=rev)
    out = cumsum(multiply(prod, grad), axis, exclusive=ex, reverse=not rev)
    return [realdiv(out, x), None]


register_op("Cumsum", infer=_scan_infer, kernel=_make_scan_kernel("cumsum", 0), grad=_cumsum_grad)
register_op("Cumprod", infer=_scan_infer, kernel=_make_scan_kernel("cumprod", 1), grad=_cumprod_grad)


def _scan(op_type, x, axis, exclusive, reverse, name):
    with name_scope(name, op_type, [x]) as scope:
        x = convert_one(op_type, "x", x, allowed=NUMBER_TYPES)
        a = convert_one(op_type, "axis", axis, dtype=None if is_tensor_like(axis) else dtypes.int32,
                        allowed=(dtypes.int32, dtypes.int64))
        return make_op(op_type, [x, a], {"exclusive": builtins.bool(exclusive), "reverse": builtins.bool(reverse)},
                       name=scope)


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running sums along `axis`; `exclusive` leaves each entry out of its own sum, `reverse` runs from
    the end.

    >>> tf.cumsum([1, 2, 3], exclusive=True, reverse=True)   # [5, 3, 0]
    """
    return _scan("Cumsum", x, axis, exclusive, reverse, name)


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running products along `axis` (`exclusive` and `reverse` as in cumsum)."""
    return _scan("Cumprod", x, axis, exclusive, reverse, name)


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


_override_binary("add", _add_dispatch)
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
