"""tf.math: TensorFlow 1.x's math namespace (re-exports only; the ops live in tfmini/ops). The names TF has
there and tfmini does not (the special functions, bincount, ...) say so when asked for."""
from ..framework.api_hook import tf_module_getattr
from ..ops.array_ops import (invert_permutation, segment_max, segment_mean, segment_min, segment_prod, segment_sum,
                             unsorted_segment_max, unsorted_segment_mean, unsorted_segment_min, unsorted_segment_prod,
                             unsorted_segment_sqrt_n, unsorted_segment_sum)
from ..ops.math_ops import (abs, add, add_n, argmax, argmin, ceil, cos, count_nonzero, cumprod, cumsum,  # noqa: A004
                            divide, equal, erf, exp, expm1, floor, floordiv, floormod, greater, greater_equal,
                            is_finite, is_inf, is_nan, less, less_equal, log, log1p, logical_and, logical_not,
                            logical_or, logical_xor, maximum, minimum, mod, multiply, negative, not_equal, pow,
                            reciprocal, reduce_all, reduce_any, reduce_logsumexp, reduce_max, reduce_mean,
                            reduce_min, reduce_prod, reduce_sum, rint, round, rsqrt, scalar_mul, sigmoid, sign, sin,
                            sqrt, square, squared_difference, subtract, tan, tanh, truediv)
from ..ops.math_ops import (acos, acosh, asin, asinh, atan, atan2, atanh, cosh, digamma, divide_no_nan,
                            erfc, lgamma, polygamma, sinh, xdivy, xlogy)
from ..ops.nn_impl import l2_normalize, zero_fraction
from ..ops.nn_ops import in_top_k, log_softmax, softmax, softplus, softsign, top_k

__all__ = ["abs", "add", "add_n", "argmax", "argmin", "ceil", "cos", "count_nonzero", "cumprod", "cumsum", "divide",
           "equal", "erf", "exp", "expm1", "floor", "floordiv", "floormod", "greater", "greater_equal", "in_top_k",
           "invert_permutation", "is_finite", "is_inf", "is_nan", "l2_normalize", "less", "less_equal", "log",
           "log1p", "log_softmax", "logical_and", "logical_not", "logical_or", "logical_xor", "maximum", "minimum",
           "mod", "multiply", "negative", "not_equal", "pow", "reciprocal", "reduce_all", "reduce_any",
           "reduce_logsumexp", "reduce_max", "reduce_mean", "reduce_min", "reduce_prod", "reduce_sum", "rint",
           "round", "rsqrt", "scalar_mul", "sigmoid", "sign", "sin", "softmax", "softplus", "softsign", "sqrt",
           "square", "squared_difference", "subtract", "tan", "tanh", "top_k", "truediv", "unsorted_segment_sum"]
__all__ += ["acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "cosh", "digamma", "divide_no_nan", "erfc",
            "lgamma", "polygamma", "sinh", "xdivy", "xlogy", "zero_fraction"]

__all__ += ["segment_max", "segment_mean", "segment_min", "segment_prod", "segment_sum", "unsorted_segment_max",
            "unsorted_segment_mean", "unsorted_segment_min", "unsorted_segment_prod", "unsorted_segment_sqrt_n"]

__getattr__ = tf_module_getattr("math", __name__)  # a TensorFlow name tfmini lacks: say so
