"""tf.linalg: TensorFlow's linear-algebra namespace (re-exports only; the ops live in tfmini/ops)."""
from ..ops.array_ops import matrix_transpose
from ..ops.linalg_ops import eye
from ..ops.linalg_ops import (matrix_band_part as band_part, matrix_determinant as det, matrix_diag as diag,
                              matrix_diag_part as diag_part, matrix_inverse as inv, matrix_set_diag as set_diag,
                              matrix_triangular_solve as triangular_solve, qr)
from ..ops.math_ops import matmul

transpose = matrix_transpose

__all__ = ["band_part", "det", "diag", "diag_part", "eye", "inv", "matmul", "matrix_transpose", "qr", "set_diag",
           "transpose", "triangular_solve"]


def __getattr__(name):
    if name.startswith("__"):  # the import system's questions (__path__): not TF's names
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    from ..framework.tf_api_names import missing_attribute  # a TensorFlow name tfmini lacks: say so
    raise missing_attribute("linalg", name)
