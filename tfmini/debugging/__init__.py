"""tf.debugging: TensorFlow 1.x's checks and assertions (re-exports only; the ops live in tfmini/ops)."""
from ..framework.api_hook import tf_module_getattr
from ..ops.check_ops import (assert_equal, assert_greater, assert_greater_equal, assert_integer, assert_less,
                             assert_less_equal, assert_near, assert_negative, assert_non_negative, assert_non_positive,
                             assert_none_equal, assert_positive, assert_rank, assert_rank_at_least, assert_scalar,
                             assert_type, is_numeric_tensor)
from ..ops.control_flow_ops import Assert
from ..ops.math_ops import is_finite, is_inf, is_nan
from ..ops.numerics import check_numerics
from ..ops.numerics import verify_tensor_all_finite as assert_all_finite

__all__ = ["Assert", "assert_all_finite", "assert_equal", "assert_greater", "assert_greater_equal", "assert_integer",
           "assert_less", "assert_less_equal", "assert_near", "assert_negative", "assert_non_negative",
           "assert_non_positive", "assert_none_equal", "assert_positive", "assert_rank", "assert_rank_at_least",
           "assert_scalar", "assert_type", "check_numerics", "is_finite", "is_inf", "is_nan", "is_numeric_tensor"]

__getattr__ = tf_module_getattr("debugging", __name__)  # a TensorFlow name tfmini lacks: say so
