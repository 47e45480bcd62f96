"""The standard normal's CDF (ndtr) and its log (log_ndtr), as graph ops with TF's formulas and tail series."""
import math

from ...framework import ops
from .. import array_ops, math_ops

__all__ = ["ndtr", "log_ndtr"]


def ndtr(x, name="ndtr"):
    """P(Z <= x) for a standard normal Z, from erf near 0 and erfc in the tails (accurate both ways)."""
    with ops.name_scope(name, values=[x]):
        x = ops.convert_to_tensor(x, name="x")
        half_sqrt_2 = 0.5 * math.sqrt(2.0)
        w = x * half_sqrt_2
        z = math_ops.abs(w)
        y = array_ops.where(math_ops.less(z, half_sqrt_2), 1.0 + math_ops.erf(w),
                            array_ops.where(math_ops.greater(w, 0.0), 2.0 - math_ops.erfc(z), math_ops.erfc(z)))
        return 0.5 * y


def _log_ndtr_asymptotic_series(x, series_order):
    """1 + sum_n (-1)^n (2n-1)!! / x^(2n), n = 1..series_order."""
    if series_order <= 0:
        return 1.0
    x_2 = math_ops.square(x)
    even_sum = odd_sum = 0.0
    x_2n = x_2
    for n in range(1, series_order + 1):
        double_factorial = float(math.prod(range(2 * n - 1, 0, -2)))
        y = double_factorial / x_2n
        if n % 2:
            odd_sum += y
        else:
            even_sum += y
        x_2n = x_2n * x_2
    return 1.0 + even_sum - odd_sum


def log_ndtr(x, series_order=3, name="log_ndtr"):
    """log P(Z <= x): -ndtr(-x) above 8 (6 in float32), log(ndtr(x)) down to -20 (-10 in float32), and the
    asymptotic series below, as TF computes it so that the far tails neither round to 0 nor to -inf."""
    if not isinstance(series_order, int):
        raise TypeError("series_order must be a Python integer.")
    if series_order < 0:
        raise ValueError("series_order must be non-negative.")
    if series_order > 30:
        raise ValueError("series_order must be <= 30.")
    with ops.name_scope(name, values=[x]):
        x = ops.convert_to_tensor(x, name="x")
        if x.dtype.name == "float64":
            lower, upper = -20.0, 8.0
        elif x.dtype.name == "float32":
            lower, upper = -10.0, 5.0
        else:
            raise TypeError("x.dtype=%s is not supported." % x.dtype)
        # where() evaluates both sides: clamp each side's input so that neither makes nan or inf where unused
        tail = -ndtr(-x)
        middle = math_ops.log(ndtr(math_ops.maximum(x, lower)))
        far = math_ops.minimum(x, lower)
        low = (-0.5 * math_ops.square(far) - math_ops.log(-far) - 0.5 * math.log(2.0 * math.pi)
               + math_ops.log(_log_ndtr_asymptotic_series(far, series_order)))
        return array_ops.where(math_ops.greater(x, upper), tail,
                               array_ops.where(math_ops.greater(x, lower), middle, low))
