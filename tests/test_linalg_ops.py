"""The linear-algebra ops (band and diagonal parts, solves, inverse, determinant, QR, Cholesky, eigh; tf.diag,
tf.diag_part and tf.cross): the op table (static shape/dtype against the kernel, values against numpy), the
gradient table (finite differences in float64, on non-square and well-conditioned inputs), TF's error messages
and names."""
import re

import numpy as np
import pytest

import tfmini as tf
from gradcheck import GradRow, grad_rows_test
from optable import Row, rows_test

_A = np.array([[2.0, -1.0, 0.5], [1.0, 3.0, -2.0], [0.0, 1.0, 1.0], [4.0, -1.0, 2.0]], dtype=np.float32)  # [4, 3]
_AT = np.ascontiguousarray(_A.T)                                                                        # [3, 4]
_B34 = np.arange(12, dtype=np.float32).reshape(3, 4) - 5.0
_I234 = np.arange(24, dtype=np.int32).reshape(2, 3, 4)
# a well-conditioned square matrix (diagonally dominant) and right-hand sides
_S = np.array([[4.0, 1.0, -2.0], [0.5, 3.0, 1.0], [-1.0, 2.0, 5.0]], dtype=np.float32)
_RHS = np.array([[1.0, -2.0], [0.5, 3.0], [2.0, 1.0]], dtype=np.float32)                                # [3, 2]
_SPD = (_S @ _S.T + np.eye(3, dtype=np.float32)).astype(np.float32)                       # symmetric positive definite


def _np_band(x, lo, up):
    m, n = x.shape[-2:]
    off = np.arange(n)[None, :] - np.arange(m)[:, None]
    keep = ((lo < 0) | (off >= -lo)) & ((up < 0) | (off <= up))
    return np.where(keep, x, np.zeros((), x.dtype))


def _np_diag(d):
    n = d.shape[-1]
    out = np.zeros(d.shape + (n,), d.dtype)
    out[..., np.arange(n), np.arange(n)] = d
    return out


def _np_tensor_diag(d):
    """tf.diag's value: out[i1..ik, i1..ik] = d[i1..ik]."""
    return np.diag(d.reshape(-1)).reshape(d.shape + d.shape)


def _np_set_diag(x, d):
    out = x.copy()
    k = min(x.shape[-2:])
    out[..., np.arange(k), np.arange(k)] = d
    return out


def _np_tri_solve(a, b, lower=True, adjoint=False):
    t = np.tril(a) if lower else np.triu(a)
    if adjoint:
        t = np.swapaxes(t, -1, -2)
    return np.linalg.solve(t, b)


def _fed(tf, value, shape):
    x = tf.placeholder(tf.as_dtype(value.dtype), shape)
    return x, {x: value}


# =========================================================================== op rows
# Q and R are unique only up to the signs of Q's columns (R's rows): the Qr rows compare Q @ R, Q^T Q
# and |R|, which are not; the static shapes of q and r reach the fetched tensor through matmul and abs.
def _qr_reconstruct(a, full):
    def build(tf):
        q, r = tf.qr(tf.constant(a), full_matrices=full)
        return tf.matmul(q, r)
    return build


def _qr_orth(a, full):
    def build(tf):
        q, _ = tf.qr(tf.constant(a), full_matrices=full)
        return tf.matmul(q, q, transpose_a=True)
    return build


def _qr_abs_r(a, full, feed_shape=None):
    def build(tf):
        if feed_shape is None:
            _, r = tf.qr(tf.constant(a), full_matrices=full)
            return tf.abs(r)
        x = tf.placeholder(tf.float32, feed_shape)
        _, r = tf.qr(x, full_matrices=full)
        return tf.abs(r), {x: a}
    return build


def _abs_r(a, full):
    return np.abs(np.linalg.qr(a, mode="complete" if full else "reduced")[1])


def _band_fed(tf):
    x, feed = _fed(tf, _B34, [None, None])
    return tf.matrix_band_part(x, 1, 0), feed


def _band_int32_bounds(tf):
    lo, up = tf.constant(1, tf.int32), tf.constant(2, tf.int32)
    return tf.matrix_band_part(tf.constant(_B34), lo, up)


def _set_diag_fed(tf):
    x, feed = _fed(tf, np.ones((2, 4, 3), np.float32), [None, None, None])
    return tf.matrix_set_diag(x, tf.constant(np.full((2, 3), 7.0, np.float32))), feed


def _tri_fed(tf, lower, adjoint):
    a, fa = _fed(tf, _S, [None, None])
    b, fb = _fed(tf, _RHS, [None, 2])
    return tf.matrix_triangular_solve(a, b, lower=lower, adjoint=adjoint), {**fa, **fb}


def _inv_fed(tf):
    a, feed = _fed(tf, np.stack([_S, _S.T]), [None, 3, None])
    return tf.matrix_inverse(a), feed


def _solve_fed(tf):
    a, fa = _fed(tf, np.stack([_S, _S.T]), [None, 3, None])
    b, fb = _fed(tf, np.stack([_RHS, -_RHS]), [2, None, None])
    return tf.matrix_solve(a, b), {**fa, **fb}


def _cholesky_fed(tf):
    a, feed = _fed(tf, np.stack([_SPD, 2 * _SPD]), [None, None, 3])
    return tf.cholesky(a), feed


def _eig_reconstruct(a):
    def build(tf):
        e, v = tf.self_adjoint_eig(tf.constant(a))
        return tf.matmul(v * tf.expand_dims(e, 0), v, transpose_b=True)
    return build


def _eig_abs_v(a):
    def build(tf):
        return tf.abs(tf.self_adjoint_eig(tf.constant(a))[1])
    return build


def _eig_values_fed(tf):
    a, feed = _fed(tf, np.stack([_SPD, -_SPD]), [None, None, 3])
    return tf.self_adjoint_eigvals(a), feed


def _cross_fed(tf):
    a, fa = _fed(tf, _B34[:, :3], [None, 3])
    b, fb = _fed(tf, _S, [3, None])
    return tf.cross(a, b), {**fa, **fb}


def _det_fed(tf):
    a, feed = _fed(tf, np.stack([_S, 2 * _S]), None)
    return tf.matrix_determinant(a), feed


CASES = [
    # ---- Qr
    Row("Qr", _qr_reconstruct(_A, False), _A, id="Qr_tall_reduced_QR", atol=1e-5),
    Row("Qr", _qr_reconstruct(_AT, False), _AT, id="Qr_wide_reduced_QR", atol=1e-5),
    Row("Qr", _qr_reconstruct(_A, True), _A, id="Qr_tall_full_QR", atol=1e-5),
    Row("Qr", _qr_orth(_A, False), np.eye(3, dtype=np.float32), id="Qr_tall_QtQ", atol=1e-5),
    Row("Qr", _qr_orth(_A, True), np.eye(4, dtype=np.float32), id="Qr_full_QtQ", atol=1e-5),
    Row("Qr", _qr_abs_r(_A, False), _abs_r(_A, False), id="Qr_tall_R", atol=1e-5),
    Row("Qr", _qr_abs_r(_AT, True), _abs_r(_AT, True), id="Qr_wide_full_R", atol=1e-5),
    Row("Qr", _qr_abs_r(_A, False, [None, 3]), _abs_r(_A, False), id="Qr_unknown_rows", atol=1e-5),
    Row("Qr", _qr_abs_r(np.stack([_A, 2 * _A]), False, [2, None, None]),
        np.abs(np.linalg.qr(np.stack([_A, 2 * _A]))[1]), id="Qr_batch_unknown_dims", atol=1e-5),
    Row("Qr", _qr_abs_r(_A.astype(np.float64), False), _abs_r(_A.astype(np.float64), False), id="Qr_float64_R",
        dtype=np.float64, atol=1e-12),
    Row("Qr", _qr_reconstruct(_A.astype(np.float16), False), _A.astype(np.float16), id="Qr_float16_QR",
        atol=2e-2, rtol=2e-2),
    Row("Qr", _qr_reconstruct(_A.astype(np.complex64) * (1 + 1j), False), _A.astype(np.complex64) * (1 + 1j),
        id="Qr_complex64_QR", atol=1e-5),
    # ---- MatrixDiagPart
    Row("MatrixDiagPart", lambda tf: tf.matrix_diag_part(tf.constant(_A)), np.diagonal(_A), id="MatrixDiagPart_tall"),
    Row("MatrixDiagPart", lambda tf: tf.matrix_diag_part(tf.constant(_AT)), np.diagonal(_AT),
        id="MatrixDiagPart_wide"),
    Row("MatrixDiagPart", lambda tf: tf.matrix_diag_part(tf.constant(_I234)),
        np.diagonal(_I234, axis1=-2, axis2=-1), id="MatrixDiagPart_batch_int32"),
    Row("MatrixDiagPart", lambda tf: (lambda x, f: (tf.matrix_diag_part(x), f))(*_fed(tf, _A, [None, 3])),
        np.diagonal(_A), id="MatrixDiagPart_unknown_rows"),
    Row("MatrixDiagPart", lambda tf: (lambda x, f: (tf.matrix_diag_part(x), f))(*_fed(tf, _A, None)),
        np.diagonal(_A), id="MatrixDiagPart_unknown_rank"),
    # ---- MatrixBandPart
    Row("MatrixBandPart", lambda tf: tf.matrix_band_part(tf.constant(_B34), -1, 0), np.tril(_B34),
        id="MatrixBandPart_lower_wide"),
    Row("MatrixBandPart", lambda tf: tf.matrix_band_part(tf.constant(_A), 0, -1), np.triu(_A),
        id="MatrixBandPart_upper_tall"),
    Row("MatrixBandPart", lambda tf: tf.matrix_band_part(tf.constant(_B34), 0, 0), _np_band(_B34, 0, 0),
        id="MatrixBandPart_diagonal"),
    Row("MatrixBandPart", lambda tf: tf.matrix_band_part(tf.constant(_I234), 1, 1), _np_band(_I234, 1, 1),
        id="MatrixBandPart_batch_int32"),
    Row("MatrixBandPart", lambda tf: tf.matrix_band_part(tf.constant(_B34), 3, 4), _B34,
        id="MatrixBandPart_whole_matrix"),
    Row("MatrixBandPart", _band_int32_bounds, _np_band(_B34, 1, 2), id="MatrixBandPart_int32_bounds"),
    Row("MatrixBandPart", _band_fed, _np_band(_B34, 1, 0), id="MatrixBandPart_unknown_dims"),
    Row("MatrixBandPart", lambda tf: tf.linalg.band_part(tf.constant(_A.astype(np.float64)), 2, 0),
        _np_band(_A.astype(np.float64), 2, 0), id="MatrixBandPart_linalg_float64", dtype=np.float64),
    # ---- MatrixDiag
    Row("MatrixDiag", lambda tf: tf.matrix_diag(tf.constant([1.0, -2.0, 3.0])), np.diag([1.0, -2.0, 3.0]),
        id="MatrixDiag_vector"),
    Row("MatrixDiag", lambda tf: tf.matrix_diag(tf.constant(_I234[:, 0, :3])), _np_diag(_I234[:, 0, :3]),
        id="MatrixDiag_batch_int32"),
    Row("MatrixDiag", lambda tf: (lambda x, f: (tf.linalg.diag(x), f))(*_fed(tf, _B34, [None, 4])),
        _np_diag(_B34), id="MatrixDiag_unknown_batch"),
    Row("MatrixDiag", lambda tf: tf.matrix_diag(tf.zeros([2, 0])), np.zeros((2, 0, 0), np.float32),
        id="MatrixDiag_empty"),
    # ---- MatrixSetDiag
    Row("MatrixSetDiag", lambda tf: tf.matrix_set_diag(tf.constant(_B34), tf.constant([9.0, 8.0, 7.0])),
        _np_set_diag(_B34, np.array([9.0, 8.0, 7.0], np.float32)), id="MatrixSetDiag_wide"),
    Row("MatrixSetDiag", lambda tf: tf.matrix_set_diag(tf.constant(_A), [1.0, 2.0, 3.0]),
        _np_set_diag(_A, np.array([1.0, 2.0, 3.0], np.float32)), id="MatrixSetDiag_tall_python_diag"),
    Row("MatrixSetDiag", lambda tf: tf.linalg.set_diag(tf.constant(_I234), tf.constant(-_I234[:, 0, :3])),
        _np_set_diag(_I234, -_I234[:, 0, :3]), id="MatrixSetDiag_batch_int32"),
    Row("MatrixSetDiag", _set_diag_fed, _np_set_diag(np.ones((2, 4, 3), np.float32), np.full((2, 3), 7.0, np.float32)),
        id="MatrixSetDiag_unknown_input"),
    # ---- MatrixTriangularSolve
    Row("MatrixTriangularSolve", lambda tf: tf.matrix_triangular_solve(tf.constant(_S), tf.constant(_RHS)),
        _np_tri_solve(_S, _RHS), id="MatrixTriangularSolve_lower", rtol=1e-5),
    Row("MatrixTriangularSolve",
        lambda tf: tf.matrix_triangular_solve(tf.constant(_S), tf.constant(_RHS), lower=False),
        _np_tri_solve(_S, _RHS, lower=False), id="MatrixTriangularSolve_upper", rtol=1e-5),
    Row("MatrixTriangularSolve",
        lambda tf: tf.matrix_triangular_solve(tf.constant(_S), tf.constant(_RHS), adjoint=True),
        _np_tri_solve(_S, _RHS, adjoint=True), id="MatrixTriangularSolve_lower_adjoint", rtol=1e-5),
    Row("MatrixTriangularSolve", lambda tf: _tri_fed(tf, False, True), _np_tri_solve(_S, _RHS, False, True),
        id="MatrixTriangularSolve_upper_adjoint_unknown_dims", rtol=1e-5),
    Row("MatrixTriangularSolve",
        lambda tf: tf.linalg.triangular_solve(tf.constant(np.stack([_S, _S.T]).astype(np.float64)),
                                              tf.constant(np.stack([_RHS, -_RHS]).astype(np.float64))),
        _np_tri_solve(np.stack([_S, _S.T]).astype(np.float64), np.stack([_RHS, -_RHS]).astype(np.float64)),
        id="MatrixTriangularSolve_batch_float64", dtype=np.float64, rtol=1e-12),
    Row("MatrixTriangularSolve",
        lambda tf: tf.matrix_triangular_solve(tf.zeros([0, 0]), tf.zeros([0, 2])), np.zeros((0, 2), np.float32),
        id="MatrixTriangularSolve_empty"),
    # ---- MatrixInverse
    Row("MatrixInverse", lambda tf: tf.matrix_inverse(tf.constant(_S)), np.linalg.inv(_S),
        id="MatrixInverse", rtol=1e-5),
    Row("MatrixInverse", lambda tf: tf.matrix_inverse(tf.constant(_S), adjoint=True), np.linalg.inv(_S.T),
        id="MatrixInverse_adjoint", rtol=1e-5),
    Row("MatrixInverse", _inv_fed, np.linalg.inv(np.stack([_S, _S.T])), id="MatrixInverse_batch_unknown_dims",
        rtol=1e-5),
    Row("MatrixInverse", lambda tf: tf.linalg.inv(tf.constant(_S.astype(np.float64))),
        np.linalg.inv(_S.astype(np.float64)), id="MatrixInverse_float64", dtype=np.float64, rtol=1e-12),
    Row("MatrixInverse", lambda tf: tf.matrix_inverse(tf.constant(_S.astype(np.float16))),
        np.linalg.inv(_S).astype(np.float16), id="MatrixInverse_float16", rtol=1e-2, atol=1e-3),
    # ---- MatrixDeterminant
    Row("MatrixDeterminant", lambda tf: tf.matrix_determinant(tf.constant(_S)), np.linalg.det(_S),
        id="MatrixDeterminant", rtol=1e-5),
    Row("MatrixDeterminant", _det_fed, np.linalg.det(np.stack([_S, 2 * _S])), id="MatrixDeterminant_unknown_rank",
        rtol=1e-5),
    Row("MatrixDeterminant", lambda tf: tf.linalg.det(tf.zeros([2, 0, 0], tf.float64)), np.ones(2),
        id="MatrixDeterminant_empty_is_one", dtype=np.float64),
    # ---- MatrixSolve
    Row("MatrixSolve", lambda tf: tf.matrix_solve(tf.constant(_S), tf.constant(_RHS)), np.linalg.solve(_S, _RHS),
        id="MatrixSolve", rtol=1e-5),
    Row("MatrixSolve", lambda tf: tf.matrix_solve(tf.constant(_S), tf.constant(_RHS), adjoint=True),
        np.linalg.solve(_S.T, _RHS), id="MatrixSolve_adjoint", rtol=1e-5),
    Row("MatrixSolve", _solve_fed, np.linalg.solve(np.stack([_S, _S.T]), np.stack([_RHS, -_RHS])),
        id="MatrixSolve_batch_unknown_dims", rtol=1e-5),
    Row("MatrixSolve",
        lambda tf: tf.linalg.solve(tf.constant(_S.astype(np.float64)), tf.constant(_RHS[:, :1], tf.float64)),
        np.linalg.solve(_S.astype(np.float64), _RHS[:, :1]), id="MatrixSolve_float64_one_column", dtype=np.float64,
        rtol=1e-12),
    Row("MatrixSolve", lambda tf: tf.matrix_solve(tf.zeros([0, 0]), tf.zeros([0, 2])), np.zeros((0, 2), np.float32),
        id="MatrixSolve_empty"),
    # ---- Cholesky (only the lower triangle is read)
    Row("Cholesky", lambda tf: tf.cholesky(tf.constant(_SPD)), np.linalg.cholesky(_SPD), id="Cholesky", rtol=1e-5),
    Row("Cholesky", lambda tf: tf.cholesky(tf.constant(np.tril(_SPD) + np.triu(np.full((3, 3), 99.0, np.float32), 1))),
        np.linalg.cholesky(_SPD), id="Cholesky_reads_the_lower_triangle", rtol=1e-5),
    Row("Cholesky", _cholesky_fed, np.linalg.cholesky(np.stack([_SPD, 2 * _SPD])), id="Cholesky_batch_unknown_dims",
        rtol=1e-5),
    Row("Cholesky", lambda tf: tf.linalg.cholesky(tf.constant(_SPD.astype(np.float64))),
        np.linalg.cholesky(_SPD.astype(np.float64)), id="Cholesky_float64", dtype=np.float64, rtol=1e-12),
    Row("Cholesky", lambda tf: tf.cholesky(tf.zeros([2, 0, 0])), np.zeros((2, 0, 0), np.float32), id="Cholesky_empty"),
    # ---- Diag and DiagPart (tf.diag: a rank-k diagonal of a rank-2k tensor)
    Row("Diag", lambda tf: tf.diag([1.0, -2.0, 3.0]), np.diag([1.0, -2.0, 3.0]), id="Diag_vector"),
    Row("Diag", lambda tf: tf.diag(tf.constant(_I234[0, :2])), _np_tensor_diag(_I234[0, :2]), id="Diag_matrix_int32"),
    Row("Diag", lambda tf: (lambda x, f: (tf.linalg.tensor_diag(x), f))(*_fed(tf, _B34[:2, :3], [None, 3])),
        _np_tensor_diag(_B34[:2, :3]), id="Diag_unknown_dim"),
    Row("Diag", lambda tf: tf.diag(tf.zeros([0])), np.zeros((0, 0), np.float32), id="Diag_empty"),
    Row("DiagPart", lambda tf: tf.diag_part(tf.constant(_S)), np.diagonal(_S), id="DiagPart_matrix"),
    Row("DiagPart", lambda tf: tf.diag_part(tf.constant(_np_tensor_diag(_B34[:2, :3]) + 1.0)), _B34[:2, :3] + 1.0,
        id="DiagPart_rank4"),
    Row("DiagPart", lambda tf: (lambda x, f: (tf.linalg.tensor_diag_part(x), f))(*_fed(tf, _I234[0, :2, :2], None)),
        np.diagonal(_I234[0, :2, :2]), id="DiagPart_unknown_rank_int32"),
    # ---- SelfAdjointEigV2 (eigenvectors are unique up to sign: the rows compare v diag(e) v^T and |v|)
    Row("SelfAdjointEigV2", lambda tf: tf.self_adjoint_eig(tf.constant(_SPD))[0], np.linalg.eigvalsh(_SPD),
        id="SelfAdjointEigV2_values", rtol=1e-5),
    Row("SelfAdjointEigV2", _eig_reconstruct(_SPD), _SPD, id="SelfAdjointEigV2_reconstruct", rtol=1e-5, atol=1e-5),
    Row("SelfAdjointEigV2", _eig_abs_v(np.tril(_S) + np.triu(np.full((3, 3), 99.0, np.float32), 1)),
        np.abs(np.linalg.eigh(np.tril(_S) + np.tril(_S, -1).T)[1]), id="SelfAdjointEigV2_reads_the_lower_triangle",
        rtol=1e-5, atol=1e-6),
    Row("SelfAdjointEigV2", _eig_values_fed, np.linalg.eigvalsh(np.stack([_SPD, -_SPD])),
        id="SelfAdjointEigV2_eigvals_batch_unknown_dims", rtol=1e-5, atol=1e-5),
    Row("SelfAdjointEigV2", lambda tf: tf.linalg.eigvalsh(tf.constant(_SPD.astype(np.float64))),
        np.linalg.eigvalsh(_SPD.astype(np.float64)), id="SelfAdjointEigV2_float64", dtype=np.float64, rtol=1e-12),
    # ---- Cross
    Row("Cross", lambda tf: tf.cross(tf.constant(_A[:, :3]), tf.constant(_A[::-1, :3])), np.cross(_A, _A[::-1]),
        id="Cross_batch"),
    Row("Cross", lambda tf: tf.cross([1, 0, 0], [0, 1, 0]), np.array([0, 0, 1], np.int32), id="Cross_int32"),
    Row("Cross", _cross_fed, np.cross(_B34[:, :3], _S), id="Cross_unknown_dims"),
    Row("Cross", lambda tf: tf.linalg.cross(tf.constant(_S, tf.float64), tf.constant(_S.T, tf.float64)),
        np.cross(_S, _S.T).astype(np.float64), id="Cross_float64", dtype=np.float64),
]

test_row = rows_test(CASES)


# =========================================================================== gradients
def _qr_both(full=False):
    def build(tf, a):
        q, r = tf.qr(a, full_matrices=full)
        return tf.concat([tf.reshape(q, [-1]), tf.reshape(r, [-1])], 0)
    return build


def _eig_both(tf, a):
    e, v = tf.self_adjoint_eig(0.5 * (a + tf.matrix_transpose(a)))
    return tf.concat([tf.reshape(e, [-1]), tf.reshape(v * v, [-1])], 0)


_RNG = np.random.RandomState(7)
_SQ = _RNG.uniform(-1, 1, (3, 3)) + 3 * np.eye(3)           # diagonally dominant
_SQ_BATCH = _RNG.uniform(-1, 1, (2, 3, 3)) + 3 * np.eye(3)
_RHS64 = _RNG.uniform(-1, 1, (3, 2))
_RHS64_BATCH = _RNG.uniform(-1, 1, (2, 3, 2))
_SPD64 = _SQ @ _SQ.T + np.eye(3)

GRAD_CASES = [
    GradRow("MatrixBandPart", lambda tf, x: tf.matrix_band_part(x, 1, 0), [(4, 3)], id="MatrixBandPart_tall"),
    GradRow("MatrixBandPart", lambda tf, x: tf.matrix_band_part(x, 0, -1), [(2, 3, 4)], unknown_dims=True,
            id="MatrixBandPart_batch_unknown_dims"),
    GradRow("MatrixDiag", lambda tf, d: tf.matrix_diag(d), [(2, 3)]),
    GradRow("MatrixDiagPart", lambda tf, x: tf.matrix_diag_part(x), [(4, 3)], id="MatrixDiagPart_tall"),
    GradRow("MatrixDiagPart", lambda tf, x: tf.matrix_diag_part(x), [(2, 3, 4)], id="MatrixDiagPart_batch_wide"),
    GradRow("MatrixDiagPart", lambda tf, x: tf.matrix_diag_part(x), [(3, 3)], id="MatrixDiagPart_square"),
    GradRow("MatrixDiagPart", lambda tf, x: tf.matrix_diag_part(x), [(3, 3)], unknown_dims=True,
            id="MatrixDiagPart_unknown_dims"),
    GradRow("MatrixSetDiag", lambda tf, x, d: tf.matrix_set_diag(x, d), [(2, 4, 3), (2, 3)]),
    GradRow("MatrixSetDiag", lambda tf, x, d: tf.matrix_set_diag(x, d), [(3, 4), (3,)], unknown_dims=True,
            id="MatrixSetDiag_unknown_dims"),
    GradRow("MatrixTriangularSolve", lambda tf, a, b: tf.matrix_triangular_solve(a, b), [(3, 3), (3, 2)],
            inputs=[_SQ, _RHS64], id="MatrixTriangularSolve_lower"),
    GradRow("MatrixTriangularSolve", lambda tf, a, b: tf.matrix_triangular_solve(a, b, lower=False),
            [(3, 3), (3, 2)], inputs=[_SQ, _RHS64], id="MatrixTriangularSolve_upper"),
    GradRow("MatrixTriangularSolve", lambda tf, a, b: tf.matrix_triangular_solve(a, b, adjoint=True),
            [(3, 3), (3, 2)], inputs=[_SQ, _RHS64], id="MatrixTriangularSolve_lower_adjoint"),
    GradRow("MatrixTriangularSolve", lambda tf, a, b: tf.matrix_triangular_solve(a, b, lower=False, adjoint=True),
            [(2, 3, 3), (2, 3, 2)], inputs=[_SQ_BATCH, _RHS64_BATCH], id="MatrixTriangularSolve_upper_adjoint_batch"),
    GradRow("MatrixTriangularSolve", lambda tf, a, b: tf.matrix_triangular_solve(a, b), [(3, 3), (3, 2)],
            inputs=[_SQ, _RHS64], unknown_dims=True, id="MatrixTriangularSolve_unknown_dims"),
    GradRow("MatrixInverse", lambda tf, a: tf.matrix_inverse(a), [(3, 3)], inputs=[_SQ], id="MatrixInverse"),
    GradRow("MatrixInverse", lambda tf, a: tf.matrix_inverse(a, adjoint=True), [(3, 3)], inputs=[_SQ],
            id="MatrixInverse_adjoint"),
    GradRow("MatrixInverse", lambda tf, a: tf.matrix_inverse(a), [(2, 3, 3)], inputs=[_SQ_BATCH],
            unknown_dims=True, id="MatrixInverse_batch_unknown_dims"),
    GradRow("MatrixDeterminant", lambda tf, a: tf.matrix_determinant(a), [(3, 3)], inputs=[_SQ],
            id="MatrixDeterminant"),
    GradRow("MatrixDeterminant", lambda tf, a: tf.matrix_determinant(a), [(2, 3, 3)], inputs=[_SQ_BATCH],
            unknown_dims=True, id="MatrixDeterminant_batch_unknown_dims"),
    GradRow("MatrixSolve", lambda tf, a, b: tf.matrix_solve(a, b), [(3, 3), (3, 2)], inputs=[_SQ, _RHS64],
            id="MatrixSolve"),
    GradRow("MatrixSolve", lambda tf, a, b: tf.matrix_solve(a, b, adjoint=True), [(2, 3, 3), (2, 3, 2)],
            inputs=[_SQ_BATCH, _RHS64_BATCH], id="MatrixSolve_adjoint_batch"),
    GradRow("MatrixSolve", lambda tf, a, b: tf.matrix_solve(a, b), [(3, 3), (3, 2)], inputs=[_SQ, _RHS64],
            unknown_dims=True, id="MatrixSolve_unknown_dims"),
    # the factor depends on the lower triangle only: symmetrizing first makes finite differences see TF's
    # symmetric gradient
    GradRow("Cholesky", lambda tf, a: tf.cholesky(0.5 * (a + tf.matrix_transpose(a))), [(3, 3)], inputs=[_SPD64],
            id="Cholesky"),
    GradRow("Cholesky", lambda tf, a: tf.cholesky(0.5 * (a + tf.matrix_transpose(a))), [(2, 3, 3)],
            inputs=[np.stack([_SPD64, 2 * _SPD64])], unknown_dims=True, id="Cholesky_batch_unknown_dims"),
    # the eigenvectors' signs are arbitrary: the rows differentiate e and v * v, which do not depend on them
    GradRow("SelfAdjointEigV2", _eig_both, [(3, 3)], inputs=[_SPD64], id="SelfAdjointEigV2"),
    GradRow("SelfAdjointEigV2", _eig_both, [(2, 3, 3)], inputs=[np.stack([_SPD64, -2 * _SPD64])], unknown_dims=True,
            id="SelfAdjointEigV2_batch_unknown_dims"),
    GradRow("SelfAdjointEigV2", lambda tf, a: tf.self_adjoint_eigvals(0.5 * (a + tf.matrix_transpose(a))), [(3, 3)],
            inputs=[_SPD64], id="SelfAdjointEigV2_eigvals_only"),
    GradRow("Diag", lambda tf, d: tf.diag(d), [(3,)], id="Diag_vector"),
    GradRow("Diag", lambda tf, d: tf.diag(d), [(2, 3)], unknown_dims=True, id="Diag_matrix_unknown_dims"),
    GradRow("DiagPart", lambda tf, x: tf.diag_part(x), [(3, 3)], id="DiagPart_matrix"),
    GradRow("DiagPart", lambda tf, x: tf.diag_part(x), [(2, 3, 2, 3)], id="DiagPart_rank4"),
    GradRow("Cross", lambda tf, a, b: tf.cross(a, b), [(4, 3), (4, 3)], id="Cross_batch"),
    GradRow("Cross", lambda tf, a, b: tf.cross(a, b), [(3,), (3,)], unknown_dims=True, id="Cross_unknown_dims"),
    GradRow("Qr", _qr_both(), [(4, 3)], id="Qr_tall_q_and_r"),
    GradRow("Qr", lambda tf, a: tf.qr(a)[0], [(4, 3)], id="Qr_tall_q_only"),
    GradRow("Qr", lambda tf, a: tf.qr(a)[1], [(4, 3)], id="Qr_tall_r_only"),
    GradRow("Qr", _qr_both(), [(3, 3)], id="Qr_square"),
    GradRow("Qr", _qr_both(True), [(3, 3)], id="Qr_square_full"),
    GradRow("Qr", _qr_both(), [(2, 4, 3)], id="Qr_batch_tall"),
    GradRow("Qr", _qr_both(), [(3, 5)], id="Qr_wide"),
    GradRow("Qr", _qr_both(True), [(2, 3, 4)], id="Qr_batch_wide_full"),
]

test_grad_row = grad_rows_test(GRAD_CASES)


def test_qr_gradient_unsupported_cases_raise_tf_errors():
    x = tf.placeholder(tf.float64, [4, 3])
    q, _ = tf.qr(x, full_matrices=True)
    with pytest.raises(NotImplementedError,
                       match="QrGrad not implemented when nrows > ncols and full_matrices is true."):
        tf.gradients(q, x)
    q, _ = tf.qr(tf.placeholder(tf.float64, [None, 3]))
    with pytest.raises(NotImplementedError, match="QrGrad not implemented with dynamic shapes."):
        tf.gradients(q, q.op.inputs[0])
    c = tf.placeholder(tf.complex64, [3, 3])
    q, _ = tf.qr(c)
    with pytest.raises(NotImplementedError, match="QrGrad not implemented for dtype: <dtype: 'complex64'>"):
        tf.gradients(q, c, grad_ys=tf.ones([3, 3], tf.complex64))


def test_gradient_op_types_follow_tf():
    # the triangular-solve rule keeps grad_a to the triangle the op reads (MatrixBandPart)
    a, b = tf.placeholder(tf.float32, [3, 3]), tf.placeholder(tf.float32, [3, 2])
    ga, gb = tf.gradients(tf.matrix_triangular_solve(a, b), [a, b])
    assert ga.op.type == "MatrixBandPart" and gb.op.type == "MatrixTriangularSolve"
    assert ga.name.startswith("gradients/MatrixTriangularSolve_grad/")
    # square matrices of known size: matrix_diag; otherwise matrix_set_diag of zeros
    sq, wide = tf.placeholder(tf.float32, [3, 3]), tf.placeholder(tf.float32, [3, 4])
    assert tf.gradients(tf.matrix_diag_part(sq), sq)[0].op.type == "MatrixDiag"
    assert tf.gradients(tf.matrix_diag_part(wide), wide)[0].op.type == "MatrixSetDiag"
    # the band sizes get no gradient
    x = tf.placeholder(tf.float32, [3, 4])
    lo = tf.constant(1, tf.int64)
    band = tf.matrix_band_part(x, lo, 0)
    assert band.op.inputs[1] is lo
    assert tf.gradients(band, x)[0].op.type == "MatrixBandPart"


# =========================================================================== static shapes, names and dtypes
def test_qr_static_shapes():
    x = tf.placeholder(tf.float32, [5, 3])
    q, r = tf.qr(x)
    assert q.shape.as_list() == [5, 3] and r.shape.as_list() == [3, 3]
    assert q.op.type == "Qr" and q.op.name == "Qr" and q.name == "Qr:0" and r.name == "Qr:1"
    q, r = tf.qr(x, full_matrices=True)
    assert q.shape.as_list() == [5, 5] and r.shape.as_list() == [5, 3]
    q, r = tf.qr(tf.placeholder(tf.float32, [2, None, 4]))
    assert q.shape.as_list() == [2, None, None] and r.shape.as_list() == [2, None, 4]
    q, r = tf.qr(tf.placeholder(tf.float32, [0, None]))  # a known 0 is the smaller dimension
    assert q.shape.as_list() == [0, 0] and r.shape.as_list() == [0, None]
    with pytest.raises(ValueError, match="Shape must be at least rank 2 but is rank 1"):
        tf.qr(tf.placeholder(tf.float32, [3]))
    with pytest.raises(TypeError, match="Value passed to parameter 'input' has DataType int32 not in list"):
        tf.qr(tf.constant([[1, 2]]))


def test_matrix_diag_part_shapes_and_errors():
    d = tf.matrix_diag_part(tf.placeholder(tf.float32, [2, None, 4]))
    assert d.shape.as_list() == [2, None] and d.op.name == "MatrixDiagPart"
    with pytest.raises(ValueError, match="Shape must be at least rank 2 but is rank 1"):
        tf.matrix_diag_part(tf.placeholder(tf.float32, [3]))


def test_band_part_names_dtypes_and_shapes():
    x = tf.placeholder(tf.float32, [None, 2, 5])
    y = tf.matrix_band_part(x, -1, 0)
    assert y.op.type == "MatrixBandPart" and y.name == "MatrixBandPart:0" and y.shape.as_list() == [None, 2, 5]
    # Python band sizes become int64 constants in the op's scope (Tindex defaults to int64)
    assert [t.op.name for t in y.op.inputs[1:]] == ["MatrixBandPart/num_lower", "MatrixBandPart/num_upper"]
    assert [t.dtype for t in y.op.inputs[1:]] == [tf.int64, tf.int64]
    y = tf.matrix_band_part(x, tf.constant(1), 2, name="band")
    assert y.op.name == "band" and y.op.inputs[2].dtype == tf.int32
    assert tf.matrix_band_part(tf.placeholder(tf.float32, None), 1, 1).shape.ndims is None
    with pytest.raises(TypeError, match="Value passed to parameter 'num_lower' has DataType float32 not in list of "
                                        "allowed values: int32, int64"):
        tf.matrix_band_part(x, 1.5, 0)
    with pytest.raises(TypeError, match="Input 'num_upper' of 'MatrixBandPart' Op has type int64 that does not "
                                        "match type int32 of argument 'num_lower'."):
        tf.matrix_band_part(x, tf.constant(1), tf.constant(2, tf.int64))


def test_matrix_diag_and_set_diag_shapes():
    d = tf.matrix_diag(tf.placeholder(tf.float32, [None, 3]))
    assert d.shape.as_list() == [None, 3, 3] and d.op.name == "MatrixDiag"
    assert tf.matrix_diag(tf.placeholder(tf.float32, None)).shape.ndims is None
    with pytest.raises(ValueError, match="Shape must be at least rank 1 but is rank 0"):
        tf.matrix_diag(tf.constant(1.0))
    s = tf.matrix_set_diag(tf.placeholder(tf.float32, [None, None, None]), tf.placeholder(tf.float32, [2, 3]))
    assert s.shape.as_list() == [2, None, None] and s.op.name == "MatrixSetDiag"
    s = tf.matrix_set_diag(tf.placeholder(tf.float32, None), tf.placeholder(tf.float32, [2, 3]))
    assert s.shape.as_list() == [2, None, None]
    s = tf.matrix_set_diag(tf.placeholder(tf.float32, [3, 4]), tf.placeholder(tf.float32, [None]))
    assert s.shape.as_list() == [3, 4]


@pytest.mark.parametrize("build, message", [
    (lambda: tf.matrix_set_diag(tf.zeros([3]), tf.zeros([3])), "Shape must be at least rank 2 but is rank 1"),
    (lambda: tf.matrix_set_diag(tf.zeros([3, 4]), tf.zeros([])), "Shape must be at least rank 1 but is rank 0"),
    (lambda: tf.matrix_set_diag(tf.zeros([3, 4]), tf.zeros([1, 3])), "Shape must be rank 1 but is rank 2"),
    (lambda: tf.matrix_set_diag(tf.zeros([3, 4]), tf.zeros([4])), "Dimensions must be equal, but are 3 and 4"),
    (lambda: tf.matrix_set_diag(tf.placeholder(tf.float32, [2, None, 4]), tf.zeros([3, 4])),
     "Dimension 0 in both shapes must be equal, but are 2 and 3. Shapes are [2,?,4] and [3,?,?]."),
    (lambda: tf.matrix_triangular_solve(tf.zeros([3, 4]), tf.zeros([3, 2])),
     "Dimensions must be equal, but are 3 and 4"),
    (lambda: tf.matrix_triangular_solve(tf.zeros([3, 3]), tf.zeros([4, 2])),
     "Dimensions must be equal, but are 3 and 4"),
    (lambda: tf.matrix_triangular_solve(tf.zeros([3, 3]), tf.zeros([3])),
     "Shape must be at least rank 2 but is rank 1"),
    (lambda: tf.matrix_triangular_solve(tf.zeros([2, 3, 3]), tf.zeros([3, 2])),
     "Shapes must be equal rank, but are 1 and 0"),
    (lambda: tf.matrix_triangular_solve(tf.zeros([2, 3, 3]), tf.zeros([4, 3, 2])),
     "Dimension 0 in both shapes must be equal, but are 2 and 4. Shapes are [2] and [4]."),
    (lambda: tf.matrix_inverse(tf.zeros([3, 4])), "Dimensions must be equal, but are 3 and 4"),
    (lambda: tf.matrix_inverse(tf.zeros([3])), "Shape must be at least rank 2 but is rank 1"),
    (lambda: tf.matrix_determinant(tf.zeros([3, 4])), "Dimensions must be equal, but are 4 and 3"),
    (lambda: tf.matrix_determinant(tf.zeros([3])), "Shape must be at least rank 2 but is rank 1"),
    (lambda: tf.matrix_solve(tf.zeros([2, 3]), tf.zeros([2, 1])), "Dimensions must be equal, but are 2 and 3"),
    (lambda: tf.matrix_solve(tf.zeros([3, 3]), tf.zeros([2, 1])), "Dimensions must be equal, but are 3 and 2"),
    (lambda: tf.cholesky(tf.zeros([2, 3])), "Dimensions must be equal, but are 2 and 3"),
    (lambda: tf.cholesky(tf.zeros([3])), "Shape must be at least rank 2 but is rank 1"),
    (lambda: tf.diag(1.0), "Shape must be at least rank 1 but is rank 0"),
    (lambda: tf.diag_part(tf.zeros([2, 3, 4])), "Input must have even and non-zero rank, input rank is 3"),
    (lambda: tf.diag_part(tf.constant(1.0)), "Input must have even and non-zero rank, input rank is 0"),
    (lambda: tf.diag_part(tf.zeros([2, 3])), "Dimensions must be equal, but are 2 and 3"),
    (lambda: tf.cross(tf.zeros([4]), tf.zeros([4])), "Dimension must be 3 but is 4"),
    (lambda: tf.cross(tf.zeros([2, 3]), tf.zeros([3, 3])),
     "Dimension 0 in both shapes must be equal, but are 2 and 3. Shapes are [2,3] and [3,3]."),
    (lambda: tf.cross(tf.constant(1.0), tf.constant(1.0)), "Shape must be at least rank 1 but is rank 0"),
    (lambda: tf.self_adjoint_eig(tf.zeros([2, 3])), "Dimensions must be equal, but are 2 and 3"),
    (lambda: tf.self_adjoint_eigvals(tf.zeros([3])), "Shape must be at least rank 2 but is rank 1"),
], ids=["set_diag_rank", "set_diag_diag_rank", "set_diag_diag_rank_vs_input", "set_diag_length",
        "set_diag_batch", "solve_not_square", "solve_rows", "solve_rhs_rank", "solve_batch_rank",
        "solve_batch_dims", "inverse_not_square", "inverse_rank", "det_not_square", "det_rank",
        "matrix_solve_not_square", "matrix_solve_rows", "cholesky_not_square", "cholesky_rank", "diag_scalar",
        "diag_part_odd_rank", "diag_part_scalar", "diag_part_dims", "cross_not_3", "cross_shapes", "cross_scalar",
        "eig_not_square", "eigvals_rank"])
def test_build_time_shape_errors(build, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        build()


def test_solve_inverse_determinant_shapes_names_and_dtypes():
    x = tf.matrix_triangular_solve(tf.placeholder(tf.float32, [None, 3, None]),
                                   tf.placeholder(tf.float32, [2, None, 5]))
    assert x.shape.as_list() == [2, 3, 5] and x.op.name == "MatrixTriangularSolve"
    assert x.op.get_attr("lower") is True and x.op.get_attr("adjoint") is False
    assert tf.matrix_triangular_solve(tf.placeholder(tf.float32, None),
                                      tf.placeholder(tf.float32, None)).shape.ndims is None
    x = tf.matrix_triangular_solve(tf.placeholder(tf.float32, None), tf.placeholder(tf.float32, [4, 2]))
    assert x.shape.as_list() == [4, 2]
    inv = tf.matrix_inverse(tf.placeholder(tf.float32, [2, None, 3]), adjoint=True)
    assert inv.shape.as_list() == [2, 3, 3] and inv.op.name == "MatrixInverse" and inv.op.get_attr("adjoint")
    det = tf.matrix_determinant(tf.placeholder(tf.float64, [2, 5, None]))
    assert det.shape.as_list() == [2] and det.dtype == tf.float64 and det.op.name == "MatrixDeterminant"
    with pytest.raises(TypeError, match="Value passed to parameter 'matrix' has DataType int32 not in list of "
                                        "allowed values: float32, float64, complex64, complex128"):
        tf.matrix_triangular_solve(tf.constant([[1]]), tf.constant([[1]]))
    with pytest.raises(TypeError, match="Value passed to parameter 'matrix' has DataType float16 not in list"):
        tf.matrix_triangular_solve(tf.zeros([1, 1], tf.float16), tf.zeros([1, 1], tf.float16))
    with pytest.raises(TypeError, match="Input 'rhs' of 'MatrixTriangularSolve' Op has type float64 that does not "
                                        "match type float32 of argument 'matrix'."):
        tf.matrix_triangular_solve(tf.zeros([1, 1]), tf.zeros([1, 1], tf.float64))
    with pytest.raises(TypeError, match="Value passed to parameter 'input' has DataType int32 not in list"):
        tf.matrix_inverse(tf.constant([[1]]))
    with pytest.raises(TypeError, match="Value passed to parameter 'input' has DataType int32 not in list"):
        tf.matrix_determinant(tf.constant([[1]]))


def test_cross_needs_three_element_vectors_when_it_runs():
    """A last dimension known only when fed: TF's kernel raises FailedPreconditionError, not InvalidArgument."""
    tf.reset_default_graph()
    a, b = tf.placeholder(tf.float32), tf.placeholder(tf.float32)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError,
                           match=r"^Cross-products are only defined for 3-element vectors\."):
            sess.run(tf.cross(a, b), {a: np.zeros(4), b: np.zeros(4)})


def test_solve_cholesky_eig_diag_cross_shapes_names_and_dtypes():
    """As TF 2.21's compat.v1 builds them (names, static shapes, dtype lists, gradient op types)."""
    tf.reset_default_graph()
    x = tf.matrix_solve(tf.placeholder(tf.float32, [None, 3, None]), tf.placeholder(tf.float32, [2, None, 5]))
    assert x.shape.as_list() == [2, 3, 5] and x.name == "MatrixSolve:0" and x.op.get_attr("adjoint") is False
    c = tf.cholesky(tf.placeholder(tf.float32, [2, None, 3]))
    assert c.shape.as_list() == [2, 3, 3] and c.name == "Cholesky:0"
    assert tf.cholesky(tf.zeros([2, 2], tf.float16)).dtype == tf.float16
    d = tf.diag(tf.placeholder(tf.float32, [2, None]))
    assert d.shape.as_list() == [2, None, 2, None] and d.name == "Diag:0"
    assert tf.diag(tf.placeholder(tf.float32, None)).shape.ndims is None
    p = tf.diag_part(tf.placeholder(tf.float32, [2, None, None, 4]))
    assert p.shape.as_list() == [2, 4] and p.name == "DiagPart:0"
    assert tf.diag_part(tf.placeholder(tf.float32, None)).shape.ndims is None
    v = tf.cross(tf.placeholder(tf.float32, [None, 3]), tf.placeholder(tf.float32, [2, None]))
    assert v.shape.as_list() == [2, 3] and v.name == "Cross:0"
    assert tf.cross([1, 0, 0], [0, 1, 0]).dtype == tf.int32
    assert tf.cross(tf.placeholder(tf.float32, [2, None]), tf.placeholder(tf.float32, [2, None])).shape.as_list() \
        == [2, 3]
    for build, message in [
            (lambda: tf.matrix_solve(tf.zeros([2, 2], tf.float16), tf.zeros([2, 2], tf.float16)),
             "Value passed to parameter 'matrix' has DataType float16 not in list of allowed values: float32, "
             "float64, complex64, complex128"),
            (lambda: tf.cholesky(tf.constant([[1]])), "Value passed to parameter 'input' has DataType int32 not in "
                                                      "list of allowed values: float64, float32, float16, complex64, "
                                                      "complex128"),
            (lambda: tf.diag(tf.constant([1], tf.int8)), "Value passed to parameter 'diagonal' has DataType int8 not "
                                                         "in list of allowed values: float16, float32, float64, int32, "
                                                         "int64, complex64, complex128"),
            (lambda: tf.cross(tf.zeros([3], tf.complex64), tf.zeros([3], tf.complex64)),
             "Value passed to parameter 'a' has DataType complex64 not in list of allowed values: float32, float64, "
             "int32, uint8, int16, int8, int64"),
            (lambda: tf.cross(tf.zeros([3]), tf.zeros([3], tf.float64)),
             "Input 'b' of 'Cross' Op has type float64 that does not match type float32 of argument 'a'.")]:
        with pytest.raises(TypeError, match=re.escape(message)):
            build()
    e, v = tf.self_adjoint_eig(tf.placeholder(tf.float32, [2, None, 3]))
    assert (e.shape.as_list(), v.shape.as_list()) == ([2, 3], [2, 3, 3])
    assert (e.name, v.name, e.op.get_attr("compute_v")) == ("SelfAdjointEigV2:0", "SelfAdjointEigV2:1", True)
    values = tf.self_adjoint_eigvals(tf.placeholder(tf.float32, [2, None, 3]))
    assert values.name == "SelfAdjointEigV2_1:0" and values.op.outputs[1].shape.as_list() == [0]
    assert not values.op.get_attr("compute_v")
    assert [t.dtype for t in tf.self_adjoint_eig(tf.placeholder(tf.complex64, [3, 3]))] == [tf.complex64] * 2
    with pytest.raises(TypeError, match="Value passed to parameter 'input' has DataType int32 not in list of allowed "
                                        "values: float64, float32, float16, complex64, complex128"):
        tf.self_adjoint_eig(tf.constant([[1]]))
    m, r = tf.placeholder(tf.float32, [3, 3]), tf.placeholder(tf.float32, [3, 2])
    assert tf.gradients(tf.self_adjoint_eig(m)[0], m)[0].op.type == "MatrixSetDiag"
    assert [g.op.type for g in tf.gradients(tf.matrix_solve(m, r), [m, r])] == ["Neg", "MatrixSolve"]
    assert tf.gradients(tf.cholesky(m), m)[0].op.type == "Mul"
    u, w = tf.placeholder(tf.float32, [3]), tf.placeholder(tf.float32, [3])
    assert [g.op.type for g in tf.gradients(tf.cross(u, w), [u, w])] == ["Cross", "Cross"]
    assert tf.gradients(tf.diag(u), u)[0].op.type == "DiagPart"
    assert tf.gradients(tf.diag_part(m), m)[0].op.type == "Diag"


def test_linalg_namespace():
    assert tf.linalg.band_part is tf.matrix_band_part
    assert tf.linalg.diag is tf.matrix_diag and tf.linalg.diag_part is tf.matrix_diag_part
    assert tf.linalg.set_diag is tf.matrix_set_diag
    assert tf.linalg.triangular_solve is tf.matrix_triangular_solve
    assert tf.linalg.inv is tf.matrix_inverse and tf.linalg.det is tf.matrix_determinant
    assert tf.linalg.qr is tf.qr and tf.linalg.matmul is tf.matmul
    assert tf.linalg.transpose is tf.matrix_transpose and tf.linalg.matrix_transpose is tf.matrix_transpose
    assert tf.linalg.solve is tf.matrix_solve and tf.linalg.cholesky is tf.cholesky and tf.linalg.cross is tf.cross
    assert tf.linalg.tensor_diag is tf.diag and tf.linalg.tensor_diag_part is tf.diag_part
    assert tf.linalg.eigh is tf.self_adjoint_eig and tf.linalg.eigvalsh is tf.self_adjoint_eigvals


# =========================================================================== run-time errors (shapes known when fed)
def _run_error(build, feeds, message):
    tf.reset_default_graph()
    phs = [tf.placeholder(tf.as_dtype(np.asarray(v).dtype), None) for v in feeds]
    y = build(*phs)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=re.escape(message)):
            sess.run(y, dict(zip(phs, feeds)))


_F = np.float32


@pytest.mark.parametrize("build, feeds, message", [
    (lambda x: tf.matrix_band_part(x, 1, 1), [np.zeros(3, _F)], "input must be at least 2-dim, received shape: [3]"),
    (lambda x, lo: tf.matrix_band_part(x, lo, 1), [np.zeros((3, 4), _F), np.array([1], np.int64)],
     "num_lower must be scalar, got shape [1]"),
    (lambda x: tf.matrix_band_part(x, 4, 1), [np.zeros((3, 4), _F)],
     "num_lower must be negative or less or equal to number of rows (3) got: 4"),
    (lambda x, up: tf.matrix_band_part(x, 1, up), [np.zeros((3, 4), _F), np.zeros((2, 1), np.int64)],
     "num_upper must be scalar, got shape [2,1]"),
    (lambda x: tf.matrix_band_part(x, 1, 5), [np.zeros((3, 4), _F)],
     "num_upper must be negative or less or equal to number of columns (4) got: 5"),
    (lambda d: tf.matrix_diag(d), [np.float32(1.0)], "input must be at least 1-dim, received shape: []"),
    (lambda x: tf.matrix_diag_part(x), [np.zeros(3, _F)], "input must be at least 2-dim, received shape: [3]"),
    (lambda x, d: tf.matrix_set_diag(x, d), [np.zeros(3, _F), np.zeros(3, _F)],
     "input must be at least 2-dim, received shape: [3]"),
    (lambda x, d: tf.matrix_set_diag(x, d), [np.zeros((2, 3, 4), _F), np.zeros((3,), _F)],
     "must have diagonal.shape == input.shape[:-2] + min(input.shape[-2:]), but received input shape: [2,3,4] "
     "and diagonal shape: [3]"),
    (lambda a, b: tf.matrix_triangular_solve(a, b), [np.eye(3, dtype=_F)[0], np.zeros((3, 2), _F)],
     "Input tensor 0 must have rank >= 2, got 1"),
    (lambda a, b: tf.matrix_triangular_solve(a, b), [np.eye(3, dtype=_F), np.zeros((1, 3, 2), _F)],
     "All input tensors must have the same rank."),
    (lambda a, b: tf.matrix_triangular_solve(a, b), [np.zeros((2, 3, 3), _F) + np.eye(3, dtype=_F),
                                                     np.zeros((3, 3, 2), _F)],
     "All input tensors must have the same outer dimensions."),
    (lambda a, b: tf.matrix_triangular_solve(a, b), [np.ones((3, 4), _F), np.zeros((3, 2), _F)],
     "First input (lhs) must be a square matrix."),
    (lambda a, b: tf.matrix_triangular_solve(a, b), [np.eye(3, dtype=_F), np.zeros((4, 2), _F)],
     "Input matrix and rhs are incompatible."),
    (lambda a, b: tf.matrix_triangular_solve(a, b), [np.diag([1.0, 0.0, 2.0]).astype(_F), np.zeros((3, 2), _F)],
     "Input matrix is not invertible."),
    (lambda a: tf.matrix_inverse(a), [np.ones((3, 3), _F)], "Input is not invertible."),
    (lambda a: tf.matrix_inverse(a), [np.ones((3, 4), _F)], "Input matrix must be square."),
    (lambda a: tf.matrix_inverse(a), [np.ones(3, _F)], "Input tensor 0 must have rank >= 2, got 1"),
    (lambda a: tf.matrix_determinant(a), [np.ones((2, 3), _F)], "Input matrix must be square."),
    (lambda a: tf.qr(a)[1], [np.ones(3, _F)], "Input tensor 0 must have rank >= 2, got 1"),
    (lambda a, b: tf.matrix_solve(a, b), [np.ones((2, 2), _F), np.ones((2, 1), _F)], "Input matrix is not invertible."),
    (lambda a, b: tf.matrix_solve(a, b), [np.ones((2, 3), _F), np.ones((2, 1), _F)],
     "First input (lhs) must be a square matrix."),
    (lambda a, b: tf.matrix_solve(a, b), [np.eye(3, dtype=_F), np.ones((2, 1), _F)],
     "Input matrix and rhs are incompatible."),
    (lambda a, b: tf.matrix_solve(a, b), [np.eye(3, dtype=_F), np.ones((1, 3, 1), _F)],
     "All input tensors must have the same rank."),
    (lambda a, b: tf.matrix_solve(a, b), [np.stack([np.eye(3, dtype=_F)] * 2), np.ones((3, 3, 1), _F)],
     "All input tensors must have the same outer dimensions."),
    (lambda a: tf.cholesky(a), [-np.eye(2, dtype=_F)],
     "Cholesky decomposition was not successful. The input might not be valid."),
    (lambda a: tf.cholesky(a), [np.ones((2, 3), _F)], "Input matrix must be square."),
    (lambda a: tf.cholesky(a), [np.ones(3, _F)], "Input tensor 0 must have rank >= 2, got 1"),
    (lambda d: tf.diag(d), [np.float32(1.0)], "Input must be at least rank 1, got 0"),
    (lambda x: tf.diag_part(x), [np.zeros((2, 3, 4), _F)],
     "The rank of the tensor should be" + " " * 42 + "even and positive, got shape [2,3,4]"),
    (lambda x: tf.diag_part(x), [np.zeros((2, 3), _F)], "Invalid shape [2,3]: dimensions 0 and 1 do not match."),
    (lambda x: tf.diag_part(x), [np.zeros((2, 3, 2, 4), _F)],
     "Invalid shape [2,3,2,4]: dimensions 1 and 3 do not match."),
    (lambda a, b: tf.cross(a, b), [np.zeros((2, 3), _F), np.zeros(3, _F)],
     "Both inputs must be of same shape: [2,3] vs. [3]"),
    (lambda a, b: tf.cross(a, b), [np.float32(1.0), np.float32(1.0)], "Input must be at least 1D[]"),
    (lambda a: tf.self_adjoint_eig(a)[0], [np.ones((2, 3), _F)], "Input matrix must be square."),
], ids=["band_rank", "band_lower_scalar", "band_lower_range", "band_upper_scalar", "band_upper_range",
        "diag_rank", "diag_part_rank", "set_diag_rank", "set_diag_shape", "solve_rank", "solve_same_rank",
        "solve_outer_dims", "solve_square", "solve_rows", "solve_singular", "inverse_singular", "inverse_square",
        "inverse_rank", "det_square", "qr_rank", "matrix_solve_singular", "matrix_solve_square", "matrix_solve_rows",
        "matrix_solve_rank", "matrix_solve_outer_dims", "cholesky_not_positive_definite", "cholesky_square",
        "cholesky_rank", "tensor_diag_scalar", "tensor_diag_part_odd_rank", "tensor_diag_part_dims",
        "tensor_diag_part_dims_rank4", "cross_shapes", "cross_scalar", "eig_square"])
def test_run_time_errors(build, feeds, message):
    _run_error(build, feeds, message)


def test_run_time_error_names_the_op():
    tf.reset_default_graph()
    a = tf.placeholder(tf.float32, [None, None])
    y = tf.matrix_inverse(a, name="inv")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"Input is not invertible\.[\s\S]*\[\[node inv "):
            sess.run(y, {a: np.zeros((2, 2), np.float32)})


def test_triangular_solve_ignores_the_other_triangle():
    garbage = np.tril(_S) + np.triu(np.full((3, 3), 100.0, np.float32), 1)
    with tf.Session() as sess:
        got = sess.run(tf.matrix_triangular_solve(tf.constant(garbage), tf.constant(_RHS)))
    np.testing.assert_allclose(got, _np_tri_solve(_S, _RHS), rtol=1e-5)


def test_eye_builds_tfs_graph_and_values():
    """tf.eye as TF 1.x builds it (checked against TF 2.21's compat.v1 here: the same values, shapes and ops but
    the diagonal op's version): MatrixDiag of ones when square, MatrixSetDiag of ones on zeros when not; a
    tensor size makes the shapes at run time (Minimum, ConcatV2, Fill)."""
    tf.reset_default_graph()
    square = tf.eye(3)
    wide = tf.eye(2, num_columns=3)
    batch = tf.eye(2, batch_shape=[2])
    tall = tf.eye(3, num_columns=2, batch_shape=[1], dtype=tf.int32)
    n = tf.placeholder(tf.int32, [])
    dynamic = tf.eye(n)
    named = tf.eye(2, n, name="wide")
    assert (square.name, square.shape.as_list()) == ("eye/MatrixDiag:0", [3, 3])
    assert (wide.name, wide.shape.as_list()) == ("eye_1/MatrixSetDiag:0", [2, 3])
    assert batch.shape.as_list() == [2, 2, 2] and tall.dtype == tf.int32 and tall.shape.as_list() == [1, 3, 2]
    assert dynamic.shape.ndims == 2 and named.name == "wide/MatrixSetDiag:0"
    assert tf.linalg.eye is tf.eye
    types = {op.name: op.type for op in tf.get_default_graph().get_operations()}
    assert types["eye/ones"] == "Const" and types["eye_1/zeros"] == "Const"
    assert types["eye_4/Minimum"] == "Minimum" and types["eye_4/concat"] == "ConcatV2" and types["eye_4/ones"] == "Fill"
    with tf.Session() as sess:
        got = sess.run([square, wide, batch, tall, dynamic, named], {n: 4})
    np.testing.assert_array_equal(got[0], np.eye(3))
    np.testing.assert_array_equal(got[1], np.eye(2, 3))
    np.testing.assert_array_equal(got[2], [np.eye(2)] * 2)
    np.testing.assert_array_equal(got[3], [np.eye(3, 2)])
    assert got[3].dtype == np.int32
    np.testing.assert_array_equal(got[4], np.eye(4))
    np.testing.assert_array_equal(got[5], np.eye(2, 4))
    with pytest.raises(TypeError, match=r"Arguments `num_rows` and `num_columns` must be positive integer values\. "
                                        r"Received: num_rows=2\.0, num_columns=2\.0"):
        tf.eye(2.0)
