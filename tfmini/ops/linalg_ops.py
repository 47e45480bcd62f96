"""Linear-algebra ops on (batches of) matrices: band and diagonal parts, triangular and general solves, inverse,
determinant, QR, Cholesky and self-adjoint eigen decompositions, each with TensorFlow's gradient
(python/ops/linalg_grad.py, array_grad.py); and tf.diag / tf.diag_part (a rank-k diagonal of a rank-2k tensor)
and tf.cross (3-vector products).

Every matrix op works on the last two dimensions and treats the leading ones as a batch.
"""
import numpy as np

from ..framework import dtypes, errors
from ..framework.op_def_library import FLOAT_COMPLEX_TYPES, INT_TYPES, convert_one, convert_same_dtype, make_op
from ..framework.op_registry import InferenceError, register_op
from ..framework.op_registry import debug_string as _dbg  # a run-time shape as TF prints it: [2,3]
from ..framework.ops import name_scope
from ..framework.tensor_shape import TensorShape
from . import array_ops, math_ops
from .shape_util import merge_shapes, static_dim as _dim, with_rank as _with_rank, with_rank_at_least as _at_least

__all__ = ["eye", "matrix_band_part", "matrix_diag", "matrix_diag_part", "matrix_set_diag", "matrix_triangular_solve",
           "matrix_inverse", "matrix_determinant", "qr", "matrix_solve", "cholesky", "diag", "diag_part", "cross",
           "self_adjoint_eig", "self_adjoint_eigvals"]

# MatrixTriangularSolve and MatrixSolve in TF 1.x take no half; MatrixInverse and MatrixDeterminant do
_SOLVE_TYPES = (dtypes.float32, dtypes.float64, dtypes.complex64, dtypes.complex128)


# =========================================================================== shape-rule helpers
# The pieces of TF's InferenceContext these rules need, with its messages.
def _batch(shape):
    """The dimensions before the last two (unknown rank stays unknown)."""
    return TensorShape(None) if shape.ndims is None else TensorShape(list(shape.as_tuple()[:-2]))


def _merge_dim(a, b):
    if a is not None and b is not None and a != b:
        raise InferenceError("Dimensions must be equal, but are %d and %d" % (a, b))
    return a if a is not None else b


def _min_dim(a, b):
    """TF's InferenceContext::Min: a known 0 wins over an unknown dimension."""
    if a == 0 or b == 0:
        return 0
    return None if a is None or b is None else min(a, b)


def _batch_square(shape):
    """TF's MakeBatchSquareMatrix: [..., N, N], merging the last two dimensions."""
    _at_least(shape, 2)
    if shape.ndims is None:
        return shape
    d = _merge_dim(_dim(shape, -2), _dim(shape, -1))
    return _batch(shape).concatenate([d, d])


# =========================================================================== kernel helpers
def _invalid(message):
    """The error a kernel raises for bad runtime input; the executor adds the op and the user's line."""
    return errors.InvalidArgumentError(None, None, message)


def _check_matrix_inputs(*arrays):
    """TF's LinearAlgebraOp::AnalyzeInputs: rank >= 2, and every input has the first one's batch."""
    rank = arrays[0].ndim
    if rank < 2:
        raise _invalid("Input tensor 0 must have rank >= 2, got %d" % rank)
    for a in arrays[1:]:
        if a.ndim != rank:
            raise _invalid("All input tensors must have the same rank.")
        if a.shape[:-2] != arrays[0].shape[:-2]:
            raise _invalid("All input tensors must have the same outer dimensions.")


def _check_square(a, message="Input matrix must be square."):
    if a.shape[-2] != a.shape[-1]:
        raise _invalid(message)


def _band_mask(xp, m, n, num_lower, num_upper):
    """[m, n] bools: True on the band kept by matrix_band_part (a negative count keeps that whole triangle)."""
    offset = xp.arange(n)[None, :] - xp.arange(m)[:, None]  # column - row
    keep = xp.ones((m, n), dtype=bool)
    if num_lower >= 0:
        keep &= offset >= -num_lower
    if num_upper >= 0:
        keep &= offset <= num_upper
    return keep


def _adjoint(xp, x):
    x = xp.swapaxes(x, -1, -2)
    return xp.conj(x) if x.dtype.kind == "c" else x


def _in_lapack_precision(xp, x):
    # LAPACK has no half precision: work in float32, round the results back
    return x.astype(xp.float32) if x.dtype == xp.float16 else x


def _adjoint_t(x):
    """The (batch) adjoint of a real tensor as a graph op (the rules below are for real dtypes)."""
    return array_ops.matrix_transpose(x, conjugate=True)


# =========================================================================== MatrixBandPart
def _band_part_infer(x, num_lower, num_upper, **_):
    # TF 1.x's shape function is UnchangedShape: rank and scalar checks come when the kernel runs
    return x.dtype.base_dtype, x.shape


def _band_part_kernel(xp, x, num_lower, num_upper, **_):
    if x.ndim < 2:
        raise _invalid("input must be at least 2-dim, received shape: %s" % _dbg(x.shape))
    m, n = x.shape[-2:]
    if num_lower.ndim != 0:
        raise _invalid("num_lower must be scalar, got shape %s" % _dbg(num_lower.shape))
    lo = int(num_lower)
    if lo > m:
        raise _invalid("num_lower must be negative or less or equal to number of rows (%d) got: %d" % (m, lo))
    if num_upper.ndim != 0:
        raise _invalid("num_upper must be scalar, got shape %s" % _dbg(num_upper.shape))
    up = int(num_upper)
    if up > n:
        raise _invalid("num_upper must be negative or less or equal to number of columns (%d) got: %d" % (n, up))
    return xp.where(_band_mask(xp, m, n, lo, up), x, xp.zeros((), dtype=x.dtype))


def _band_part_grad(op, grad):
    """The same band of the gradient; the band sizes get none."""
    return [matrix_band_part(grad, op.inputs[1], op.inputs[2]), None, None]


register_op("MatrixBandPart", infer=_band_part_infer, kernel=_band_part_kernel, grad=_band_part_grad)


def matrix_band_part(input, num_lower, num_upper, name=None):  # noqa: A002 - TF's name
    """Zero everything outside a band of (batches of) matrices [..., M, N] (same shape out).

    Entry (m, n) is kept when (num_lower < 0 or m - n <= num_lower) and (num_upper < 0 or
    n - m <= num_upper): band_part(x, -1, 0) is the lower triangle, band_part(x, 0, 0) the diagonal.
    Also tf.linalg.band_part.

    >>> tf.matrix_band_part(tf.ones([3, 4]), 0, -1).shape   # upper triangle
    TensorShape([Dimension(3), Dimension(4)])
    """
    with name_scope(name, "MatrixBandPart", [input, num_lower, num_upper]) as scope:
        x = convert_one("MatrixBandPart", "input", input)
        # Tindex defaults to int64, TF's preferred type for Python values: ints become int64 constants,
        # and a value int64 cannot hold is converted on its own (then refused by the allowed types)
        sizes = [("num_lower", num_lower), ("num_upper", num_upper)]
        try:
            lo, up = convert_same_dtype("MatrixBandPart", sizes, dtype=dtypes.int64, allowed=INT_TYPES)
        except TypeError:
            lo, up = convert_same_dtype("MatrixBandPart", sizes, allowed=INT_TYPES)
        return make_op("MatrixBandPart", [x, lo, up], {"T": x.dtype.base_dtype, "Tindex": lo.dtype.base_dtype},
                       name=scope)


# =========================================================================== MatrixDiag
def _diag_infer(d, **_):
    s = _at_least(d.shape, 1)
    if s.ndims is None:
        return d.dtype.base_dtype, TensorShape(None)
    return d.dtype.base_dtype, s.concatenate([_dim(s, -1)])


def _diag_kernel(xp, d, **_):
    if d.ndim < 1:
        raise _invalid("input must be at least 1-dim, received shape: %s" % _dbg(d.shape))
    n = d.shape[-1]
    out = xp.zeros(d.shape + (n,), dtype=d.dtype)
    i = xp.arange(n)
    out[..., i, i] = d
    return out


def _diag_grad(op, grad):
    return [matrix_diag_part(grad)]


register_op("MatrixDiag", infer=_diag_infer, kernel=_diag_kernel, grad=_diag_grad)


def matrix_diag(diagonal, name=None):
    """Square matrices with the given diagonals: [..., N] -> [..., N, N], zeros elsewhere.
    Also tf.linalg.diag.

    >>> tf.matrix_diag(tf.ones([2, 3])).shape
    TensorShape([Dimension(2), Dimension(3), Dimension(3)])
    """
    with name_scope(name, "MatrixDiag", [diagonal]) as scope:
        d = convert_one("MatrixDiag", "diagonal", diagonal)
        return make_op("MatrixDiag", [d], {"T": d.dtype.base_dtype}, name=scope)


# =========================================================================== MatrixDiagPart
def _diag_part_infer(x, **_):
    s = _at_least(x.shape, 2)
    if s.ndims is None:
        return x.dtype.base_dtype, TensorShape(None)
    return x.dtype.base_dtype, _batch(s).concatenate([_min_dim(_dim(s, -2), _dim(s, -1))])


def _diag_part_kernel(xp, x, **_):
    if x.ndim < 2:
        raise _invalid("input must be at least 2-dim, received shape: %s" % _dbg(x.shape))
    return xp.ascontiguousarray(xp.diagonal(x, axis1=-2, axis2=-1))


def _diag_part_grad(op, grad):
    """The gradient on the diagonal, zeros elsewhere (matrix_diag when the matrices are known square)."""
    x = op.inputs[0]
    rows_cols = x.shape[-2:] if x.shape.ndims is not None else TensorShape(None)
    if rows_cols.is_fully_defined() and rows_cols.as_tuple()[0] == rows_cols.as_tuple()[1]:
        return [matrix_diag(grad)]
    return [matrix_set_diag(array_ops.zeros_like(x), grad)]


register_op("MatrixDiagPart", infer=_diag_part_infer, kernel=_diag_part_kernel, grad=_diag_part_grad)


def matrix_diag_part(input, name=None):  # noqa: A002
    """The main diagonal of (batches of) matrices: [..., M, N] -> [..., min(M, N)].
    Also tf.linalg.diag_part.

    >>> tf.matrix_diag_part(tf.ones([2, 3, 4])).shape
    TensorShape([Dimension(2), Dimension(3)])
    """
    with name_scope(name, "MatrixDiagPart", [input]) as scope:
        x = convert_one("MatrixDiagPart", "input", input)
        return make_op("MatrixDiagPart", [x], {"T": x.dtype.base_dtype}, name=scope)


# =========================================================================== MatrixSetDiag
def _set_diag_infer(x, diag, **_):
    xs = _at_least(x.shape, 2)
    ds = _at_least(diag.shape, 1)
    if xs.ndims is not None:
        ds = _with_rank(diag.shape, xs.ndims - 1)
    _merge_dim(_min_dim(_dim(xs, -2), _dim(xs, -1)), _dim(ds, -1))
    out = xs
    if ds.ndims is not None and not xs.is_fully_defined():
        # the diagonal's batch dimensions tell those of the input
        out = merge_shapes(xs, TensorShape(list(ds.as_tuple()[:-1]) + [None, None]))
    return x.dtype.base_dtype, out


def _set_diag_kernel(xp, x, diag, **_):
    if x.ndim < 2:
        raise _invalid("input must be at least 2-dim, received shape: %s" % _dbg(x.shape))
    want = x.shape[:-2] + (min(x.shape[-2:]),)
    if diag.shape != want:
        raise _invalid("must have diagonal.shape == input.shape[:-2] + min(input.shape[-2:]), but received "
                       "input shape: %s and diagonal shape: %s" % (_dbg(x.shape), _dbg(diag.shape)))
    out = x.copy()
    i = xp.arange(want[-1])
    out[..., i, i] = diag
    return out


def _set_diag_grad(op, grad):
    """The input gets the gradient off the diagonal; the diagonal gets the gradient's diagonal."""
    return [matrix_set_diag(grad, array_ops.zeros_like(op.inputs[1])), matrix_diag_part(grad)]


register_op("MatrixSetDiag", infer=_set_diag_infer, kernel=_set_diag_kernel, grad=_set_diag_grad)


def matrix_set_diag(input, diagonal, name=None):  # noqa: A002
    """`input` [..., M, N] with its main diagonal replaced by `diagonal` [..., min(M, N)].
    Also tf.linalg.set_diag.

    >>> tf.matrix_set_diag(tf.ones([3, 4]), tf.zeros([3])).shape
    TensorShape([Dimension(3), Dimension(4)])
    """
    with name_scope(name, "MatrixSetDiag", [input, diagonal]) as scope:
        x, d = convert_same_dtype("MatrixSetDiag", [("input", input), ("diagonal", diagonal)])
        return make_op("MatrixSetDiag", [x, d], {"T": x.dtype.base_dtype}, name=scope)


# =========================================================================== eye
def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None):
    """An identity matrix [num_rows, num_columns] (square by default), or a batch of them shaped
    batch_shape + [num_rows, num_columns], as TF builds it: MatrixDiag of ones for a square one, else
    MatrixSetDiag of ones on zeros. Also tf.linalg.eye.

    >>> tf.eye(2, num_columns=3).shape
    TensorShape([Dimension(2), Dimension(3)])
    """
    from ..framework.ops import Tensor
    with name_scope(name, "eye", [num_rows, num_columns, batch_shape]):
        is_square = num_columns is None
        batch_shape = [] if batch_shape is None else batch_shape
        num_columns = num_rows if num_columns is None else num_columns
        if isinstance(num_rows, Tensor) or isinstance(num_columns, Tensor):
            diag_size = math_ops.minimum(num_rows, num_columns)
        else:
            for v in (num_rows, num_columns):
                if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
                    raise TypeError("Arguments `num_rows` and `num_columns` must be positive integer values. "
                                    "Received: num_rows=%s, num_columns=%s" % (num_rows, num_columns))
            is_square = num_rows == num_columns
            diag_size = min(int(num_rows), int(num_columns))
        if isinstance(batch_shape, Tensor) or isinstance(diag_size, Tensor):
            batch_shape = array_ops.convert_to_tensor(batch_shape, name="shape", dtype=dtypes.int32)
            diag_shape = array_ops.concat((batch_shape, [diag_size]), axis=0)
            if not is_square:
                shape = array_ops.concat((batch_shape, [num_rows, num_columns]), axis=0)
        else:
            batch_shape = list(batch_shape)
            diag_shape = batch_shape + [diag_size]
            if not is_square:
                shape = batch_shape + [num_rows, num_columns]
        diag_ones = array_ops.ones(diag_shape, dtype=dtype)
        if is_square:
            return matrix_diag(diag_ones)
        return matrix_set_diag(array_ops.zeros(shape, dtype=dtype), diag_ones)


# =========================================================================== MatrixTriangularSolve
def _solve_infer(matrix, rhs, **_):
    """TF's MatrixSolveShapeFn (square): [..., M, M] and [..., M, K] -> [..., M, K]."""
    lhs = _batch_square(matrix.shape)
    r = _at_least(rhs.shape, 2)
    batch = merge_shapes(_batch(lhs), _batch(r))
    m = _merge_dim(_dim(lhs, -2), _dim(r, -2))
    n = _merge_dim(m, _dim(lhs, -1))
    if batch.ndims is None:
        return matrix.dtype.base_dtype, TensorShape(None)
    return matrix.dtype.base_dtype, batch.concatenate([n, _dim(r, -1)])


def _check_system(a, b):
    """The checks of TF's linear solvers (MatrixSolve, MatrixTriangularSolve): [..., M, M] and [..., M, K]."""
    _check_matrix_inputs(a, b)
    _check_square(a, "First input (lhs) must be a square matrix.")
    if a.shape[-2] != b.shape[-2]:
        raise _invalid("Input matrix and rhs are incompatible.")


def _triangular_solve_kernel(xp, a, b, *, lower=True, adjoint=False, **_):
    _check_system(a, b)
    if a.size == 0 or b.size == 0:
        return xp.zeros(b.shape, dtype=b.dtype)
    if not xp.all(xp.diagonal(a, axis1=-2, axis2=-1) != 0):
        raise _invalid("Input matrix is not invertible.")
    m = a.shape[-1]
    # only the named triangle is read: the other one may hold anything
    t = xp.where(_band_mask(xp, m, m, -1, 0) if lower else _band_mask(xp, m, m, 0, -1), a,
                 xp.zeros((), dtype=a.dtype))
    return xp.linalg.solve(_adjoint(xp, t) if adjoint else t, b).astype(b.dtype, copy=False)


def _triangular_solve_grad(op, grad):
    """TF's rule: grad_b solves the adjoint system; grad_a = -grad_b c^H, kept to the matrix's triangle."""
    a = op.inputs[0]
    c = op.outputs[0]
    lower, adjoint = op.get_attr("lower"), op.get_attr("adjoint")
    grad_b = matrix_triangular_solve(a, grad, lower=lower, adjoint=not adjoint)
    if adjoint:
        grad_a = -math_ops.matmul(c, grad_b, adjoint_b=True)
    else:
        grad_a = -math_ops.matmul(grad_b, c, adjoint_b=True)
    grad_a = matrix_band_part(grad_a, -1, 0) if lower else matrix_band_part(grad_a, 0, -1)
    return [grad_a, grad_b]


register_op("MatrixTriangularSolve", infer=_solve_infer, kernel=_triangular_solve_kernel,
            grad=_triangular_solve_grad, blas=True)


def matrix_triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None):
    """Solve matrix @ x = rhs (adjoint(matrix) @ x = rhs with adjoint=True) by back-substitution.

    matrix [..., M, M] is lower triangular when lower=True (its strictly upper part is ignored), else
    upper; rhs [..., M, K] with the same batch dimensions; x is [..., M, K].
    Also tf.linalg.triangular_solve.

    >>> tf.matrix_triangular_solve(tf.ones([3, 3]), tf.ones([3, 2])).shape
    TensorShape([Dimension(3), Dimension(2)])
    """
    with name_scope(name, "MatrixTriangularSolve", [matrix, rhs]) as scope:
        a, b = convert_same_dtype("MatrixTriangularSolve", [("matrix", matrix), ("rhs", rhs)], allowed=_SOLVE_TYPES)
        return make_op("MatrixTriangularSolve", [a, b], {"lower": bool(lower), "adjoint": bool(adjoint),
                                                         "T": a.dtype.base_dtype}, name=scope)


# =========================================================================== MatrixInverse
def _inverse_infer(x, **_):
    return x.dtype.base_dtype, _batch_square(x.shape)


def _inverse_kernel(xp, x, *, adjoint=False, **_):
    _check_matrix_inputs(x)
    _check_square(x)
    if x.size == 0:
        return xp.zeros(x.shape, dtype=x.dtype)
    a = _in_lapack_precision(xp, x)
    try:
        inv = xp.linalg.inv(_adjoint(xp, a) if adjoint else a)
    except ValueError:  # numpy's LinAlgError
        raise _invalid("Input is not invertible.") from None
    if not xp.all(xp.isfinite(inv)):  # cupy does not raise for a singular matrix
        raise _invalid("Input is not invertible.")
    return inv.astype(x.dtype, copy=False)


def _inverse_grad(op, grad):
    """-A^-H grad A^-H. TF 1.x uses this for adjoint=True too, which is not that case's derivative:
    there the output is Y = A^-H, and the gradient is -Y grad^H Y."""
    y = op.outputs[0]
    if op.get_attr("adjoint"):
        return [-math_ops.matmul(y, math_ops.matmul(grad, y, adjoint_a=True))]
    return [-math_ops.matmul(y, math_ops.matmul(grad, y, adjoint_b=True), adjoint_a=True)]


register_op("MatrixInverse", infer=_inverse_infer, kernel=_inverse_kernel, grad=_inverse_grad, blas=True)


def matrix_inverse(input, adjoint=False, name=None):  # noqa: A002
    """The inverse of (batches of) square matrices [..., M, M] (of their adjoints with adjoint=True).
    Also tf.linalg.inv. A singular matrix is an InvalidArgumentError when the op runs.

    >>> tf.matrix_inverse(tf.ones([2, 3, 3])).shape
    TensorShape([Dimension(2), Dimension(3), Dimension(3)])
    """
    with name_scope(name, "MatrixInverse", [input]) as scope:
        x = convert_one("MatrixInverse", "input", input, allowed=FLOAT_COMPLEX_TYPES)
        return make_op("MatrixInverse", [x], {"adjoint": bool(adjoint), "T": x.dtype.base_dtype}, name=scope)


# =========================================================================== MatrixDeterminant
def _determinant_infer(x, **_):
    s = _at_least(x.shape, 2)
    if s.ndims is None:
        return x.dtype.base_dtype, TensorShape(None)
    _merge_dim(_dim(s, -1), _dim(s, -2))
    return x.dtype.base_dtype, _batch(s)


def _determinant_kernel(xp, x, **_):
    _check_matrix_inputs(x)
    _check_square(x)
    if x.size == 0:  # the determinant of a 0x0 matrix is 1
        return xp.ones(x.shape[:-2], dtype=x.dtype)
    return xp.asarray(xp.linalg.det(_in_lapack_precision(xp, x))).astype(x.dtype, copy=False)


def _determinant_grad(op, grad):
    """d det(A) / dA = det(A) A^-H, scaled by each matrix's incoming gradient."""
    a = op.inputs[0]
    c = op.outputs[0]
    multipliers = array_ops.expand_dims(array_ops.expand_dims(grad * c, -1), -1)
    return [multipliers * matrix_inverse(a, adjoint=True)]


register_op("MatrixDeterminant", infer=_determinant_infer, kernel=_determinant_kernel, grad=_determinant_grad,
            blas=True)


def matrix_determinant(input, name=None):  # noqa: A002
    """The determinants of (batches of) square matrices: [..., M, M] -> [...]. Also tf.linalg.det.

    >>> tf.matrix_determinant(tf.ones([2, 3, 3])).shape
    TensorShape([Dimension(2)])
    """
    with name_scope(name, "MatrixDeterminant", [input]) as scope:
        x = convert_one("MatrixDeterminant", "input", input, allowed=FLOAT_COMPLEX_TYPES)
        return make_op("MatrixDeterminant", [x], {"T": x.dtype.base_dtype}, name=scope)


# =========================================================================== Qr
def _qr_infer(x, *, full_matrices=False, **_):
    s = _at_least(x.shape, 2)
    if s.ndims is None:
        return [(x.dtype.base_dtype, TensorShape(None))] * 2
    m, n = _dim(s, -2), _dim(s, -1)
    k = _min_dim(m, n)
    batch = _batch(s)
    if full_matrices:
        return [(x.dtype.base_dtype, batch.concatenate([m, m])), (x.dtype.base_dtype, batch.concatenate([m, n]))]
    return [(x.dtype.base_dtype, batch.concatenate([m, k])), (x.dtype.base_dtype, batch.concatenate([k, n]))]


def _qr_kernel(xp, x, *, full_matrices=False, **_):
    _check_matrix_inputs(x)
    q, r = xp.linalg.qr(_in_lapack_precision(xp, x), mode="complete" if full_matrices else "reduced")
    return q.astype(x.dtype, copy=False), r.astype(x.dtype, copy=False)


def _qr_grad(op, dq, dr):
    """TF's QrGrad: for M >= N with reduced factors directly; for M < N by splitting a = [x, y] and
    r = [u, v] (u square), which reduces to the square case. Real dtypes and static M, N only."""
    q, r = op.outputs
    if q.dtype.is_complex:
        raise NotImplementedError("QrGrad not implemented for dtype: %s" % q.dtype)
    if r.shape.ndims is None or r.shape.as_list()[-2] is None or r.shape.as_list()[-1] is None:
        raise NotImplementedError("QrGrad not implemented with dynamic shapes.")
    k, n = r.shape.as_list()[-2:]
    if k > n and q.shape.as_list()[-2] == q.shape.as_list()[-1]:
        raise NotImplementedError("QrGrad not implemented when nrows > ncols and full_matrices is true.")
    m = q.shape.as_list()[-2]
    if m >= n:
        return [_qr_grad_deep(q, r, dq, dr)]
    a = op.inputs[0]
    y = a[..., :, m:]
    u = r[..., :, :m]
    du, dv = dr[..., :, :m], dr[..., :, m:]
    dx = _qr_grad_deep(q, u, dq + math_ops.matmul(y, dv, adjoint_b=True), du)
    dy = math_ops.matmul(q, dv)
    return [array_ops.concat([dx, dy], axis=-1)]


def _qr_grad_deep(q, r, dq, dr):
    """The gradient for num_rows >= num_cols with reduced factors (r square and invertible)."""
    def times_r_inv_adjoint(x):  # x @ r^-H, by a triangular solve with r
        return _adjoint_t(matrix_triangular_solve(r, _adjoint_t(x), lower=False, adjoint=False))

    qdq = math_ops.matmul(q, dq, adjoint_a=True)
    rdr = math_ops.matmul(r, dr, adjoint_b=True)
    tril = matrix_band_part((qdq - _adjoint_t(qdq)) + (rdr - _adjoint_t(rdr)), -1, 0)
    grad_a = math_ops.matmul(q, dr + times_r_inv_adjoint(tril))
    grad_b = times_r_inv_adjoint(dq - math_ops.matmul(q, qdq))
    return grad_a + grad_b


register_op("Qr", infer=_qr_infer, kernel=_qr_kernel, grad=_qr_grad, blas=True)


def qr(input, full_matrices=False, name=None):  # noqa: A002 - TF's name
    """The QR decomposition of (batches of) matrices: q, r with input = q @ r. Also tf.linalg.qr.

    input [..., M, N]; full_matrices=False gives q [..., M, K], r [..., K, N] with K = min(M, N);
    full_matrices=True gives q [..., M, M], r [..., M, N]. Op "Qr" with outputs Qr:0 (q) and Qr:1 (r).
    The gradient needs static M and N, a real dtype, and not full_matrices with M > N (as in TF).

    >>> q, r = tf.qr(tf.ones([5, 3]))
    >>> q.shape, r.shape
    (TensorShape([Dimension(5), Dimension(3)]), TensorShape([Dimension(3), Dimension(3)]))
    """
    with name_scope(name, "Qr", [input]) as scope:
        x = convert_one("Qr", "input", input, allowed=FLOAT_COMPLEX_TYPES)
        return tuple(make_op("Qr", [x], {"full_matrices": bool(full_matrices), "T": x.dtype.base_dtype},
                             name=scope))


# =========================================================================== MatrixSolve
def _solve_kernel(xp, a, b, *, adjoint=False, **_):
    _check_system(a, b)
    if a.size == 0 or b.size == 0:
        return xp.zeros(b.shape, dtype=b.dtype)
    try:
        x = xp.linalg.solve(_adjoint(xp, a) if adjoint else a, b)
    except ValueError:  # numpy's LinAlgError: a zero pivot, which is TF's test too
        raise _invalid("Input matrix is not invertible.") from None
    if not xp.all(xp.isfinite(x)) and xp.all(xp.isfinite(a)) and xp.all(xp.isfinite(b)):
        raise _invalid("Input matrix is not invertible.")  # cupy does not raise for a singular matrix
    return x.astype(b.dtype, copy=False)


def _solve_grad(op, grad):
    """TF's rule: grad_b solves the adjoint system; grad_a = -grad_b x^H (-x grad_b^H with adjoint=True)."""
    a = op.inputs[0]
    x = op.outputs[0]
    adjoint = op.get_attr("adjoint")
    grad_b = matrix_solve(a, grad, adjoint=not adjoint)
    if adjoint:
        return [-math_ops.matmul(x, grad_b, adjoint_b=True), grad_b]
    return [-math_ops.matmul(grad_b, x, adjoint_b=True), grad_b]


register_op("MatrixSolve", infer=_solve_infer, kernel=_solve_kernel, grad=_solve_grad, blas=True)


def matrix_solve(matrix, rhs, adjoint=False, name=None):
    """Solve matrix @ x = rhs (adjoint(matrix) @ x = rhs with adjoint=True) for x, by LU with partial pivoting.

    matrix [..., M, M], rhs [..., M, K] with the same batch dimensions; x is [..., M, K]. A singular matrix is an
    InvalidArgumentError when the op runs. Also tf.linalg.solve.

    >>> tf.matrix_solve(tf.eye(3), tf.ones([3, 2])).shape
    TensorShape([Dimension(3), Dimension(2)])
    """
    with name_scope(name, "MatrixSolve", [matrix, rhs]) as scope:
        a, b = convert_same_dtype("MatrixSolve", [("matrix", matrix), ("rhs", rhs)], allowed=_SOLVE_TYPES)
        return make_op("MatrixSolve", [a, b], {"adjoint": bool(adjoint), "T": a.dtype.base_dtype}, name=scope)


# =========================================================================== Cholesky
def _cholesky_kernel(xp, x, **_):
    _check_matrix_inputs(x)
    _check_square(x)
    if x.size == 0:
        return xp.zeros(x.shape, dtype=x.dtype)
    a = _in_lapack_precision(xp, x)
    # only the lower triangle is read (as TF's Eigen LLT does): the matrix is rebuilt from it
    m = a.shape[-1]
    zero = xp.zeros((), dtype=a.dtype)
    strictly_lower = xp.where(_band_mask(xp, m, m, -1, 0) & ~_band_mask(xp, m, m, 0, 0), a, zero)
    diagonal = xp.where(_band_mask(xp, m, m, 0, 0), a, zero)
    try:
        chol = xp.linalg.cholesky(strictly_lower + diagonal + _adjoint(xp, strictly_lower))
    except ValueError:  # numpy's LinAlgError: not positive definite
        chol = None
    if chol is None or not xp.all(xp.isfinite(chol)):  # cupy fills NaNs instead of raising
        raise _invalid("Cholesky decomposition was not successful. The input might not be valid.")
    return chol.astype(x.dtype, copy=False)


def _cholesky_grad(op, grad):
    """TF 1.x's rule (Murray's, arXiv:1602.07527): with L the factor and g the gradient of L,
    P = Phi(L^H g) (the lower triangle, its diagonal halved) and S = L^-H P L^-1, the input's gradient is
    (S + S^H) / 2, symmetric as the input is."""
    chol = op.outputs[0]
    shape = array_ops.shape(chol)
    identity = eye(shape[-1], batch_shape=shape[:-2], dtype=chol.dtype)
    chol_inverse = matrix_triangular_solve(chol, identity)
    middle = math_ops.matmul(chol, grad, adjoint_a=True)
    middle = matrix_set_diag(middle, 0.5 * matrix_diag_part(middle))
    middle = matrix_band_part(middle, -1, 0)
    grad_a = math_ops.matmul(math_ops.matmul(chol_inverse, middle, adjoint_a=True), chol_inverse)
    grad_a += _adjoint_t(grad_a)
    return [grad_a * 0.5]


register_op("Cholesky", infer=_inverse_infer, kernel=_cholesky_kernel, grad=_cholesky_grad, blas=True)


def cholesky(input, name=None):  # noqa: A002 - TF's name
    """The Cholesky factors of (batches of) symmetric positive-definite matrices [..., M, M]: the lower
    triangular L [..., M, M] with input = L @ adjoint(L). Only the input's lower triangle is read; a matrix that
    is not positive definite is an InvalidArgumentError when the op runs. Also tf.linalg.cholesky.

    >>> tf.cholesky(tf.eye(3)).shape
    TensorShape([Dimension(3), Dimension(3)])
    """
    with name_scope(name, "Cholesky", [input]) as scope:
        x = convert_one("Cholesky", "input", input, allowed=(dtypes.float64, dtypes.float32, dtypes.float16,
                                                             dtypes.complex64, dtypes.complex128))
        return make_op("Cholesky", [x], {"T": x.dtype.base_dtype}, name=scope)


# =========================================================================== Diag and DiagPart
# tf.diag's rank-k diagonal <-> rank-2k tensor (not tf.matrix_diag's batches of vectors <-> batches of matrices)
_DIAG_TYPES = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64, dtypes.complex64,
               dtypes.complex128)


def _diag_infer(diagonal, **_):
    s = _at_least(diagonal.shape, 1)
    return diagonal.dtype.base_dtype, s.concatenate(s) if s.ndims is not None else TensorShape(None)


def _diag_kernel(xp, diagonal, **_):
    if diagonal.ndim == 0:
        raise _invalid("Input must be at least rank 1, got 0")
    n = diagonal.size
    out = xp.zeros((n, n), dtype=diagonal.dtype)
    i = xp.arange(n)
    out[i, i] = diagonal.reshape(-1)
    return out.reshape(diagonal.shape + diagonal.shape)


def _diag_grad(op, grad):
    return [diag_part(grad)]


register_op("Diag", infer=_diag_infer, kernel=_diag_kernel, grad=_diag_grad)


def diag(diagonal, name=None):
    """The tensor [D1, ..., Dk, D1, ..., Dk] with `diagonal` [D1, ..., Dk] on its diagonal and zeros
    elsewhere: out[i1, ..., ik, i1, ..., ik] = diagonal[i1, ..., ik]. For a vector, the diagonal matrix.
    Also tf.linalg.tensor_diag. (tf.matrix_diag makes a batch of diagonal matrices instead.)

    >>> tf.diag([1.0, 2.0, 3.0]).shape
    TensorShape([Dimension(3), Dimension(3)])
    """
    with name_scope(name, "Diag", [diagonal]) as scope:
        d = convert_one("Diag", "diagonal", diagonal, allowed=_DIAG_TYPES)
        return make_op("Diag", [d], {"T": d.dtype.base_dtype}, name=scope)


def _diag_part_infer(input, **_):  # noqa: A002
    s = input.shape
    if s.ndims is None:
        return input.dtype.base_dtype, TensorShape(None)
    if s.ndims % 2 != 0 or s.ndims == 0:
        raise InferenceError("Input must have even and non-zero rank, input rank is %d" % s.ndims)
    k = s.ndims // 2
    return input.dtype.base_dtype, TensorShape([_merge_dim(_dim(s, i), _dim(s, i + k)) for i in range(k)])


def _diag_part_kernel(xp, x, **_):
    if x.ndim % 2 != 0:
        # TF's message has the spaces of a backslash-continued string literal
        raise _invalid("The rank of the tensor should be" + " " * 42 + "even and positive, got shape %s"
                       % _dbg(x.shape))
    k = x.ndim // 2
    for i in range(k):
        if x.shape[i] != x.shape[i + k]:
            raise _invalid("Invalid shape %s: dimensions %d and %d do not match." % (_dbg(x.shape), i, i + k))
    n = int(np.prod(x.shape[:k], dtype=np.int64))
    return xp.diagonal(x.reshape(n, n)).reshape(x.shape[:k])


def _diag_part_grad(op, grad):
    return [diag(grad)]


register_op("DiagPart", infer=_diag_part_infer, kernel=_diag_part_kernel, grad=_diag_part_grad)


def diag_part(input, name=None):  # noqa: A002 - TF's name
    """The diagonal [D1, ..., Dk] of a tensor [D1, ..., Dk, D1, ..., Dk]: out[i1, ..., ik] =
    input[i1, ..., ik, i1, ..., ik] (tf.diag's inverse). Also tf.linalg.tensor_diag_part.

    >>> tf.diag_part(tf.ones([2, 3, 2, 3])).shape
    TensorShape([Dimension(2), Dimension(3)])
    """
    with name_scope(name, "DiagPart", [input]) as scope:
        x = convert_one("DiagPart", "input", input, allowed=_DIAG_TYPES)
        return make_op("DiagPart", [x], {"T": x.dtype.base_dtype}, name=scope)


# =========================================================================== Cross
# TF's realnumbertypes in its order (the order its TypeError lists them), less the dtypes tfmini lacks
_CROSS_TYPES = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.uint8, dtypes.int16, dtypes.int8, dtypes.int64,
                dtypes.uint16, dtypes.float16)


def _cross_infer(a, b, **_):
    s = merge_shapes(_at_least(a.shape, 1), _at_least(b.shape, 1))
    if s.ndims is not None and _dim(s, -1) is not None and _dim(s, -1) != 3:
        raise InferenceError("Dimension must be 3 but is %d" % _dim(s, -1))
    if s.ndims is not None:
        s = TensorShape(list(s.as_tuple()[:-1]) + [3])
    return a.dtype.base_dtype, s


def _cross_kernel(xp, a, b, **_):
    if a.shape != b.shape:
        raise _invalid("Both inputs must be of same shape: %s vs. %s" % (_dbg(a.shape), _dbg(b.shape)))
    if a.ndim < 1:
        raise _invalid("Input must be at least 1D%s" % _dbg(a.shape))  # (sic: TF's message has no space)
    if a.shape[-1] != 3:
        raise errors.FailedPreconditionError(None, None, "Cross-products are only defined for 3-element vectors.")
    a0, a1, a2 = a[..., 0], a[..., 1], a[..., 2]
    b0, b1, b2 = b[..., 0], b[..., 1], b[..., 2]
    return xp.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)


def _cross_grad(op, grad):
    """d(a x b) . g: the gradient of a is b x g, of b is g x a."""
    a, b = op.inputs
    return [cross(b, grad), cross(grad, a)]


register_op("Cross", infer=_cross_infer, kernel=_cross_kernel, grad=_cross_grad)


def cross(a, b, name=None):
    """The cross products of (batches of) 3-element vectors: a and b [..., 3] of one shape -> [..., 3].
    Also tf.linalg.cross.

    >>> tf.cross([1.0, 0.0, 0.0], [0.0, 1.0, 0.0]).shape
    TensorShape([Dimension(3)])
    """
    with name_scope(name, "Cross", [a, b]) as scope:
        a, b = convert_same_dtype("Cross", [("a", a), ("b", b)], allowed=_CROSS_TYPES)
        return make_op("Cross", [a, b], {"T": a.dtype.base_dtype}, name=scope)


# =========================================================================== SelfAdjointEigV2
def _eig_infer(x, *, compute_v=True, **_):
    """e [..., N] and v [..., N, N] ([0] without compute_v), both of the input's type: TF's op gives complex
    input complex eigenvalues."""
    s = _batch_square(x.shape)
    t = x.dtype.base_dtype
    e = TensorShape(None) if s.ndims is None else _batch(s).concatenate([_dim(s, -1)])
    return [(t, e), (t, s if compute_v else TensorShape([0]))]


def _eig_kernel(xp, x, *, compute_v=True, **_):
    _check_matrix_inputs(x)
    _check_square(x)
    if x.size == 0:
        return xp.zeros(x.shape[:-1], dtype=x.dtype), xp.zeros(x.shape if compute_v else (0,), dtype=x.dtype)
    a = _in_lapack_precision(xp, x)
    # the lower triangle is read (as TF's Eigen SelfAdjointEigenSolver does); eigenvalues ascending
    if compute_v:
        e, v = xp.linalg.eigh(a, UPLO="L")
        return e.astype(x.dtype), v.astype(x.dtype, copy=False)
    return xp.linalg.eigvalsh(a, UPLO="L").astype(x.dtype), xp.zeros((0,), dtype=x.dtype)


def _eig_grad(op, grad_e, grad_v):
    """TF 1.x's rule: with F[i, j] = 1 / (e_j - e_i) off the diagonal and 0 on it,
    dA = V (diag(grad_e) + F * (V^H grad_v)) V^H, then symmetrized into the lower triangle the op reads."""
    e = op.outputs[0]
    if op.get_attr("compute_v"):
        v = op.outputs[1]
        f = matrix_set_diag(math_ops.reciprocal(array_ops.expand_dims(e, -2) - array_ops.expand_dims(e, -1)),
                            array_ops.zeros_like(e))
        grad_a = math_ops.matmul(v, math_ops.matmul(
            matrix_diag(grad_e) + f * math_ops.matmul(v, grad_v, adjoint_a=True), v, adjoint_b=True))
    else:
        _, v = self_adjoint_eig(op.inputs[0])
        grad_a = math_ops.matmul(v, math_ops.matmul(matrix_diag(grad_e), v, adjoint_b=True))
    grad_a = matrix_band_part(grad_a + _adjoint_t(grad_a), -1, 0)
    return [matrix_set_diag(grad_a, 0.5 * matrix_diag_part(grad_a))]


register_op("SelfAdjointEigV2", infer=_eig_infer, kernel=_eig_kernel, grad=_eig_grad, blas=True)


def _self_adjoint_eig_v2(x, compute_v, name):
    x = convert_one("SelfAdjointEigV2", "input", x, allowed=(dtypes.float64, dtypes.float32, dtypes.float16,
                                                             dtypes.complex64, dtypes.complex128))
    return make_op("SelfAdjointEigV2", [x], {"compute_v": bool(compute_v), "T": x.dtype.base_dtype}, name=name)


def self_adjoint_eig(tensor, name=None):
    """The eigen decomposition of (batches of) self-adjoint matrices [..., N, N]: (e, v) with the eigenvalues
    e [..., N] in ascending order and the eigenvectors as the columns of v [..., N, N] (tensor = v diag(e) v^H).
    Only the lower triangle is read. Op "SelfAdjointEigV2" (outputs :0 and :1). Also tf.linalg.eigh.

    >>> e, v = tf.self_adjoint_eig(tf.eye(3))
    >>> e.shape, v.shape
    (TensorShape([Dimension(3)]), TensorShape([Dimension(3), Dimension(3)]))
    """
    with name_scope(name, "SelfAdjointEigV2", [tensor]) as scope:
        return tuple(_self_adjoint_eig_v2(tensor, True, scope))


def self_adjoint_eigvals(tensor, name=None):
    """The eigenvalues [..., N] of (batches of) self-adjoint matrices [..., N, N], ascending. Also
    tf.linalg.eigvalsh.

    >>> tf.self_adjoint_eigvals(tf.eye(3)).shape
    TensorShape([Dimension(3)])
    """
    with name_scope(name, "SelfAdjointEigV2", [tensor]) as scope:
        e, _ = _self_adjoint_eig_v2(tensor, False, scope)
        return e
