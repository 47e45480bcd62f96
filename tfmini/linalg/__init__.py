"""tf.linalg: TensorFlow's linear-algebra namespace (re-exports only; the ops live in tfmini/ops)."""
from ..framework.api_hook import tf_module_getattr
from ..ops.array_ops import matrix_transpose
from ..ops.linalg_ops import eye
from ..ops.linalg_ops import (matrix_band_part as band_part, matrix_determinant as det, matrix_diag as diag,
                              matrix_diag_part as diag_part, matrix_inverse as inv, matrix_set_diag as set_diag,
                              matrix_triangular_solve as triangular_solve, qr)
from ..ops.math_ops import matmul, tensordot
from ..ops.special_math_ops import einsum

transpose = matrix_transpose

__all__ = ["band_part", "det", "diag", "diag_part", "einsum", "eye", "inv", "matmul", "matrix_transpose", "qr",
           "set_diag", "tensordot", "transpose", "triangular_solve"]

__getattr__ = tf_module_getattr("linalg", __name__)  # a TensorFlow name tfmini lacks: say so
