"""tf.linalg: TensorFlow's linear-algebra namespace (re-exports only; the ops live in tfmini/ops)."""
from ..framework.api_hook import tf_module_getattr
from ..ops.array_ops import matrix_transpose
from ..ops.linalg_ops import cholesky, cross, eye
from ..ops.linalg_ops import (diag as tensor_diag, diag_part as tensor_diag_part, matrix_band_part as band_part,
                              matrix_determinant as det, matrix_diag as diag, matrix_diag_part as diag_part,
                              matrix_inverse as inv, matrix_set_diag as set_diag, matrix_solve as solve,
                              matrix_triangular_solve as triangular_solve, qr, self_adjoint_eig as eigh,
                              self_adjoint_eigvals as eigvalsh)
from ..ops.math_ops import matmul, tensordot
from ..ops.special_math_ops import einsum

transpose = matrix_transpose

__all__ = ["band_part", "cholesky", "cross", "det", "diag", "diag_part", "eigh", "eigvalsh", "einsum", "eye", "inv",
           "matmul", "matrix_transpose", "qr", "set_diag", "solve", "tensor_diag", "tensor_diag_part", "tensordot",
           "transpose", "triangular_solve"]

__getattr__ = tf_module_getattr("linalg", __name__)  # a TensorFlow name tfmini lacks: say so
