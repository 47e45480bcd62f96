"""Linear-algebra ops: Qr and MatrixDiagPart (used by the orthogonal initializer)."""
from ..framework.op_def_library import FLOAT_COMPLEX_TYPES, convert_one, make_op
from ..framework.op_registry import GRADIENT_PENDING, InferenceError, register_op
from ..framework.ops import name_scope
from ..framework.tensor_shape import TensorShape

__all__ = ["qr", "matrix_diag_part"]


# =========================================================================== Qr
def _qr_infer(x, *, full_matrices=False):
    s = x.shape
    if s.ndims is not None and s.ndims < 2:
        raise InferenceError("Shape must be at least rank 2 but is rank %d" % s.ndims)
    if s.ndims is None:
        return [(x.dtype.base_dtype, TensorShape(None))] * 2
    dims = s.as_tuple()
    m, n = dims[-2], dims[-1]
    k = None if m is None or n is None else min(m, n)
    batch = list(dims[:-2])
    if full_matrices:
        return [(x.dtype.base_dtype, TensorShape(batch + [m, m])), (x.dtype.base_dtype, TensorShape(batch + [m, n]))]
    return [(x.dtype.base_dtype, TensorShape(batch + [m, k])), (x.dtype.base_dtype, TensorShape(batch + [k, n]))]


def _qr_kernel(xp, x, *, full_matrices=False):
    # LAPACK has no half precision: factor float16 in float32 and round the factors back
    a = x.astype(xp.float32) if x.dtype == xp.float16 else x
    q, r = xp.linalg.qr(a, mode="complete" if full_matrices else "reduced")
    return q.astype(x.dtype, copy=False), r.astype(x.dtype, copy=False)


register_op("Qr", infer=_qr_infer, kernel=_qr_kernel, grad=GRADIENT_PENDING)


def qr(input, full_matrices=False, name=None):  # noqa: A002 - TF's name
    """The QR decomposition of (batches of) matrices: q, r with input = q @ r.

    input [..., M, N]; full_matrices=False gives q [..., M, K], r [..., K, N] with K = min(M, N);
    full_matrices=True gives q [..., M, M], r [..., M, N]. Op "Qr" with outputs Qr:0 (q) and Qr:1 (r).

    >>> q, r = tf.qr(tf.ones([5, 3]))
    >>> q.shape, r.shape
    (TensorShape([Dimension(5), Dimension(3)]), TensorShape([Dimension(3), Dimension(3)]))
    """
    with name_scope(name, "Qr", [input]) as scope:
        x = convert_one("Qr", "input", input, allowed=FLOAT_COMPLEX_TYPES)
        return tuple(make_op("Qr", [x], {"full_matrices": bool(full_matrices)}, name=scope))


# =========================================================================== MatrixDiagPart
def _diag_part_infer(x):
    s = x.shape
    if s.ndims is not None and s.ndims < 2:
        raise InferenceError("Shape must be at least rank 2 but is rank %d" % s.ndims)
    if s.ndims is None:
        return x.dtype.base_dtype, TensorShape(None)
    dims = s.as_tuple()
    m, n = dims[-2], dims[-1]
    return x.dtype.base_dtype, TensorShape(list(dims[:-2]) + [None if m is None or n is None else min(m, n)])


def _diag_part_kernel(xp, x):
    return xp.ascontiguousarray(xp.diagonal(x, axis1=-2, axis2=-1))


register_op("MatrixDiagPart", infer=_diag_part_infer, kernel=_diag_part_kernel, grad=GRADIENT_PENDING)


def matrix_diag_part(input, name=None):  # noqa: A002
    """The main diagonal of (batches of) matrices: [..., M, N] -> [..., min(M, N)] (tf.matrix_diag_part).

    >>> tf.matrix_diag_part(tf.ones([2, 3, 4])).shape
    TensorShape([Dimension(2), Dimension(3)])
    """
    with name_scope(name, "MatrixDiagPart", [input]) as scope:
        x = convert_one("MatrixDiagPart", "input", input)
        return make_op("MatrixDiagPart", [x], name=scope)
