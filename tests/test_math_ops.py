"""Math ops: the op table (every op type of tfmini/ops/math_ops.py against numpy, with its static
shape and dtype), then TF's dtype rules, op names and error messages, each checked as plain tests."""
import math

import numpy as np
import pytest

import tfmini as tf
from optable import Row, rows_test

# non-square operands so a swapped axis shows; Y and YI broadcast against X and XI
X = np.array([[1.5, -2.0, 3.0], [4.0, -5.5, 6.0]], np.float32)
Y = np.array([2.0, -1.0, 0.5], np.float32)
XI = np.array([[7, -7, 3], [-8, 9, 0]], np.int32)
YI = np.array([[2], [-3]], np.int32)
B1 = np.array([[True, False, True], [False, False, True]])
B2 = np.array([True, False, False])


def _unknown(dtype, value):
    """A placeholder with every dimension unknown, and the feed that gives it `value`."""
    ph = tf.placeholder(dtype, [None] * np.ndim(value))
    return ph, {ph: value}


def _erf(x):
    return np.vectorize(math.erf, otypes=[np.float64])(np.asarray(x, np.float64))


# =========================================================================== binary elementwise
# (op type, public function, numpy reference, operand kinds: f floats, i ints)
_BINARY = [
    ("Add", lambda tf: tf.add, np.add, "fi"),  # TF 1.x; x + y builds AddV2
    ("Sub", lambda tf: tf.subtract, np.subtract, "fi"),
    ("Mul", lambda tf: tf.multiply, np.multiply, "fi"),
    ("RealDiv", lambda tf: tf.realdiv, np.true_divide, "f"),
    ("FloorDiv", lambda tf: tf.floordiv, np.floor_divide, "fi"),
    ("FloorMod", lambda tf: tf.mod, np.mod, "fi"),
    ("TruncateDiv", lambda tf: tf.truncatediv, lambda x, y: np.trunc(x / y).astype(x.dtype), "i"),
    ("Maximum", lambda tf: tf.maximum, np.maximum, "fi"),
    ("Minimum", lambda tf: tf.minimum, np.minimum, "fi"),
    ("SquaredDifference", lambda tf: tf.squared_difference, lambda x, y: (x - y) ** 2, "fi"),
    ("Less", lambda tf: tf.less, np.less, "fi"),
    ("LessEqual", lambda tf: tf.less_equal, np.less_equal, "fi"),
    ("Greater", lambda tf: tf.greater, np.greater, "fi"),
    ("GreaterEqual", lambda tf: tf.greater_equal, np.greater_equal, "fi"),
    ("Equal", lambda tf: tf.equal, np.equal, "fi"),
    ("NotEqual", lambda tf: tf.not_equal, np.not_equal, "fi"),
]


def _binary_rows():
    rows = []
    for op_type, fn, ref, kinds in _BINARY:
        if "f" in kinds:
            rows.append(Row(op_type, lambda tf, fn=fn: fn(tf)(tf.constant(X), tf.constant(Y)),
                            lambda np, ref=ref: ref(X, Y), id=op_type + "-f32-broadcast"))
            rows.append(Row(op_type, lambda tf, fn=fn: fn(tf)(tf.constant(Y.astype(np.float64)),
                                                              tf.constant(X.astype(np.float64))),
                            lambda np, ref=ref: ref(Y.astype(np.float64), X.astype(np.float64)),
                            id=op_type + "-f64-broadcast-left"))

            def unknown(tf, fn=fn):
                ph, feed = _unknown(tf.float32, X)
                return fn(tf)(ph, tf.constant(Y)), feed
            rows.append(Row(op_type, unknown, lambda np, ref=ref: ref(X, Y), id=op_type + "-unknown-dims"))
        if "i" in kinds:
            rows.append(Row(op_type, lambda tf, fn=fn: fn(tf)(tf.constant(XI), tf.constant(YI)),
                            lambda np, ref=ref: ref(XI, YI), id=op_type + "-i32-broadcast"))
            rows.append(Row(op_type, lambda tf, fn=fn: fn(tf)(tf.constant(XI.astype(np.int64)), 3),
                            lambda np, ref=ref: ref(XI.astype(np.int64), np.int64(3)), id=op_type + "-i64-scalar"))
    return rows


_POS = np.abs(X) + 0.5


def _scalar_input(tf, fn):
    """`fn` of a fed scalar (a 0-d array when the plan runs: numpy's ufuncs give scalars for those)."""
    p = tf.placeholder(tf.float32, [])
    return fn(p), {p: 0.5}


CASES = _binary_rows() + [
    Row("Pow", lambda tf: tf.pow(tf.constant(_POS), tf.constant(Y)), lambda np: np.power(_POS, Y),
        id="Pow-f32-broadcast", rtol=1e-5),
    Row("Pow", lambda tf: tf.pow(tf.constant(XI), tf.constant([[2], [3]])), lambda np: XI ** np.array([[2], [3]]),
        id="Pow-i32"),
    Row("Pow", lambda tf: tf.constant(_POS) ** 2.0, lambda np: _POS ** 2, id="Pow-operator"),
    Row("RealDiv", lambda tf: tf.constant(XI) / tf.constant(YI), lambda np: XI / YI, id="RealDiv-truediv-i32",
        dtype=np.float64),
    Row("RealDiv", lambda tf: tf.constant(XI.astype(np.int16)) / 2, lambda np: (XI / 2).astype(np.float32),
        id="RealDiv-truediv-i16", dtype=np.float32),
    Row("RealDiv", lambda tf: tf.div(tf.constant(X), tf.constant(Y)), lambda np: X / Y, id="RealDiv-div-float"),
    Row("FloorDiv", lambda tf: tf.div(tf.constant(XI), tf.constant(YI)), lambda np: XI // YI, id="FloorDiv-div-int"),
    Row("FloorDiv", lambda tf: tf.constant(XI) // tf.constant(YI), lambda np: XI // YI, id="FloorDiv-operator"),
    Row("FloorDiv", lambda tf: tf.constant(X) // tf.constant(Y), lambda np: np.floor(X / Y), id="FloorDiv-f-operator"),
    Row("FloorMod", lambda tf: tf.constant(XI) % tf.constant(YI), lambda np: XI % YI, id="FloorMod-operator"),
    Row("FloorMod", lambda tf: tf.constant(X) % tf.constant(Y), lambda np: np.mod(X, Y), id="FloorMod-f-operator"),
    Row("AddV2", lambda tf: tf.constant(X) + tf.constant(Y), lambda np: X + Y, id="Add-operator"),
    Row("AddV2", lambda tf: 1.0 + tf.constant(X), lambda np: 1 + X, id="Add-roperator"),
    Row("Add", lambda tf: tf.add(tf.constant([b"ab", b"c"]), tf.constant(b"!")),
        np.array([b"ab!", b"c!"], dtype=object), id="Add-string"),
    Row("Add", lambda tf: tf.constant([b"ab", b"c"]) + b"!", np.array([b"ab!", b"c!"], dtype=object),
        id="Add-string-operator"),  # `+` builds AddV2 for numbers (TF >= 1.15), Add for strings
    Row("Sub", lambda tf: 1 - tf.constant(XI), lambda np: 1 - XI, id="Sub-roperator"),
    Row("Mul", lambda tf: tf.mul(tf.constant(X), 2.0), lambda np: X * 2, id="Mul-legacy-mul"),
    Row("Sub", lambda tf: tf.sub(tf.constant(X), 2.0), lambda np: X - 2, id="Sub-legacy-sub"),
    Row("Less", lambda tf: tf.constant(X) < 0.0, lambda np: X < 0, id="Less-operator"),
    Row("GreaterEqual", lambda tf: tf.constant(XI) >= 0, lambda np: XI >= 0, id="GreaterEqual-operator"),
    Row("Equal", lambda tf: tf.equal(tf.constant(B1), tf.constant(B2)), lambda np: B1 == B2, id="Equal-bool"),
    Row("Equal", lambda tf: tf.equal(tf.constant([b"a", b"b"]), "a"), np.array([True, False]), id="Equal-string"),
    Row("NotEqual", lambda tf: tf.not_equal(tf.constant(B1), tf.constant(B2)), lambda np: B1 != B2,
        id="NotEqual-bool"),
    Row("LogicalAnd", lambda tf: tf.logical_and(tf.constant(B1), tf.constant(B2)), lambda np: B1 & B2),
    Row("LogicalAnd", lambda tf: tf.constant(B1) & tf.constant(B2), lambda np: B1 & B2, id="LogicalAnd-operator"),
    Row("LogicalOr", lambda tf: tf.logical_or(tf.constant(B1), tf.constant(B2)), lambda np: B1 | B2),
    Row("LogicalOr", lambda tf: tf.constant(B1) | True, lambda np: B1 | True, id="LogicalOr-operator"),
    Row("LogicalAnd", lambda tf: tf.logical_xor(tf.constant(B1), tf.constant(B2)), lambda np: B1 ^ B2,
        id="LogicalAnd-xor"),
    Row("LogicalAnd", lambda tf: tf.constant(B1) ^ tf.constant(B2), lambda np: B1 ^ B2, id="LogicalAnd-xor-operator"),
    Row("SquaredDifference", lambda tf: tf.squared_difference(tf.constant([1 + 2j, 3j], tf.complex64), 1j),
        np.array([2, 4], np.complex64), id="SquaredDifference-complex"),
    Row("TruncateDiv", lambda tf: tf.truncatediv(tf.constant([-7, 7, -8, 1]), tf.constant([2, -2, 2, -3])),
        np.array([-3, -3, -4, 0], np.int32), id="TruncateDiv-signs"),
]

# =========================================================================== unary elementwise
_R = np.array([[0.5, 1.5, 2.5], [-0.5, -1.5, -2.3]], np.float32)
_UNARY = [
    # (op type, public function, numpy reference, input, rtol)
    ("Neg", lambda tf: tf.negative, np.negative, X, 1e-6),
    ("Abs", lambda tf: tf.abs, np.abs, X, 1e-6),
    ("Sign", lambda tf: tf.sign, np.sign, X, 1e-6),
    ("Square", lambda tf: tf.square, np.square, X, 1e-6),
    ("Sqrt", lambda tf: tf.sqrt, np.sqrt, _POS, 1e-6),
    ("Rsqrt", lambda tf: tf.rsqrt, lambda x: 1 / np.sqrt(x), _POS, 1e-6),
    ("Exp", lambda tf: tf.exp, np.exp, X, 1e-6),
    ("Expm1", lambda tf: tf.expm1, np.expm1, X, 1e-6),
    ("Log", lambda tf: tf.log, np.log, _POS, 1e-6),
    ("Log1p", lambda tf: tf.log1p, np.log1p, _POS, 1e-6),
    ("Sin", lambda tf: tf.sin, np.sin, X, 1e-6),
    ("Cos", lambda tf: tf.cos, np.cos, X, 1e-6),
    ("Tan", lambda tf: tf.tan, np.tan, X, 1e-5),
    ("Sigmoid", lambda tf: tf.sigmoid, lambda x: 1 / (1 + np.exp(-x.astype(np.float64))), X, 1e-6),
    ("Tanh", lambda tf: tf.tanh, np.tanh, X, 1e-6),
    ("Reciprocal", lambda tf: tf.reciprocal, lambda x: 1 / x, X, 1e-6),
    ("Floor", lambda tf: tf.floor, np.floor, X, 1e-6),
    ("Ceil", lambda tf: tf.ceil, np.ceil, X, 1e-6),
    ("Round", lambda tf: tf.round, lambda x: np.array([[0, 2, 2], [-0.0, -2, -2]], x.dtype), _R, 1e-6),
    ("Rint", lambda tf: tf.rint, np.rint, _R, 1e-6),
    ("Erf", lambda tf: tf.erf, _erf, X, 1e-6),
    ("IsNan", lambda tf: tf.is_nan, np.isnan, np.array([[np.nan, 1.0], [np.inf, -np.inf]], np.float32), 0),
    ("IsInf", lambda tf: tf.is_inf, np.isinf, np.array([[np.nan, 1.0], [np.inf, -np.inf]], np.float32), 0),
    ("IsFinite", lambda tf: tf.is_finite, np.isfinite, np.array([[np.nan, 1.0], [np.inf, -np.inf]], np.float32), 0),
]


def _unary_rows():
    rows = []
    for op_type, fn, ref, x, rtol in _UNARY:
        rows.append(Row(op_type, lambda tf, fn=fn, x=x: fn(tf)(tf.constant(x)),
                        lambda np, ref=ref, x=x, t=op_type: np.asarray(ref(x)).astype(
                            np.bool_ if t.startswith("Is") else np.float32),
                        id=op_type + "-f32", rtol=rtol))
        x64 = x.astype(np.float64)
        rows.append(Row(op_type, lambda tf, fn=fn, x=x64: _unknown_apply(tf, fn(tf), x),
                        lambda np, ref=ref, x=x64: ref(x), id=op_type + "-f64-unknown-dims", rtol=1e-12, atol=1e-12))
    return rows


def _unknown_apply(tf, fn, x):
    ph, feed = _unknown(tf.as_dtype(x.dtype), x)
    return fn(ph), feed


CASES += _unary_rows() + [
    Row("Neg", lambda tf: -tf.constant(XI), lambda np: -XI, id="Neg-operator-i32"),
    Row("Neg", lambda tf: tf.neg(tf.constant(X)), lambda np: -X, id="Neg-legacy-neg"),
    Row("Abs", lambda tf: abs(tf.constant(XI.astype(np.int64))), lambda np: np.abs(XI).astype(np.int64),
        id="Abs-operator-i64"),
    Row("Sign", lambda tf: tf.sign(tf.constant(XI)), lambda np: np.sign(XI), id="Sign-i32"),
    Row("Square", lambda tf: tf.square(tf.constant(XI)), lambda np: XI * XI, id="Square-i32"),
    Row("LogicalNot", lambda tf: tf.logical_not(tf.constant(B1)), lambda np: ~B1),
    Row("LogicalNot", lambda tf: ~tf.constant(B1), lambda np: ~B1, id="LogicalNot-operator"),
    Row("Sigmoid", lambda tf: tf.sigmoid(tf.constant([-1000.0, -20.0, 0.0, 20.0, 1000.0])),
        np.array([0.0, 2.0611537e-09, 0.5, 1.0, 1.0], np.float32), id="Sigmoid-tails", rtol=1e-6, atol=0),
    Row("Sigmoid", lambda tf: _scalar_input(tf, tf.sigmoid), np.float32(0.62245935), id="Sigmoid-scalar"),
    Row("Sigmoid", lambda tf: tf.nn.sigmoid(tf.constant(X.astype(np.float16))),
        lambda np: (1 / (1 + np.exp(-X.astype(np.float64)))).astype(np.float16), id="Sigmoid-f16", rtol=1e-3),
    Row("Erf", lambda tf: tf.erf(tf.constant(np.linspace(-7, 7, 281))), lambda np: _erf(np.linspace(-7, 7, 281)),
        id="Erf-f64-range", rtol=4e-16, atol=4e-16),
    Row("Erf", lambda tf: tf.erf(tf.constant(np.linspace(-4, 4, 33).astype(np.float16))),
        lambda np: _erf(np.linspace(-4, 4, 33).astype(np.float16)).astype(np.float16), id="Erf-f16", rtol=1e-3),
    Row("Erf", lambda tf: tf.erf(tf.constant([0.0, -0.0, 1e-30, np.inf, -np.inf, np.nan])),
        np.array([0.0, -0.0, 1.1283792e-30, 1.0, -1.0, np.nan], np.float32), id="Erf-special", rtol=1e-6, atol=0),
]

# =========================================================================== Cast
CASES += [
    Row("Cast", lambda tf: tf.cast(tf.constant([-1.7, -0.5, 0.5, 2.9]), tf.int32), np.array([-1, 0, 0, 2], np.int32),
        id="Cast-float-to-int-truncates"),
    Row("Cast", lambda tf: tf.cast(tf.constant([[0.0, -0.5], [2.0, np.nan]]), tf.bool),
        np.array([[False, True], [True, True]]), id="Cast-float-to-bool"),
    Row("Cast", lambda tf: tf.cast(tf.constant(B1), tf.float32), lambda np: B1.astype(np.float32), id="Cast-bool"),
    Row("Cast", lambda tf: tf.to_float(tf.constant(XI)), lambda np: XI.astype(np.float32), id="Cast-to_float"),
    Row("Cast", lambda tf: tf.to_double(tf.constant(XI)), lambda np: XI.astype(np.float64), id="Cast-to_double"),
    Row("Cast", lambda tf: tf.to_int32(tf.constant(X)), lambda np: X.astype(np.int32), id="Cast-to_int32"),
    Row("Cast", lambda tf: tf.to_int64(tf.constant(X)), lambda np: X.astype(np.int64), id="Cast-to_int64"),
    Row("Cast", lambda tf: _unknown_apply(tf, lambda t: tf.cast(t, tf.float16), X.astype(np.float64)),
        lambda np: X.astype(np.float16), id="Cast-unknown-dims"),
    Row("Cast", lambda tf: tf.saturate_cast(tf.constant([-300.0, 17.8, 300.0]), tf.uint8),
        np.array([0, 17, 255], np.uint8), id="Cast-saturate"),
]

# =========================================================================== AddN
CASES += [
    Row("AddN", lambda tf: tf.add_n([tf.constant(X), tf.constant(2 * X), tf.constant(-X)]), lambda np: 2 * X),
    Row("AddN", lambda tf: tf.add_n([tf.constant(XI), tf.constant(XI)]), lambda np: 2 * XI, id="AddN-i32"),
    Row("AddN", lambda tf: _unknown_apply(tf, lambda t: tf.add_n([t, tf.constant(X), t]), X),
        lambda np: 3 * X, id="AddN-unknown-dims"),
]

# =========================================================================== MatMul / BatchMatMulV2
A = np.arange(6, dtype=np.float32).reshape(2, 3) - 2
B = np.arange(12, dtype=np.float32).reshape(3, 4) / 4
A3 = np.arange(12, dtype=np.float32).reshape(2, 2, 3) - 5
B4 = np.arange(24, dtype=np.float32).reshape(4, 3, 2) / 3

CASES += [
    Row("MatMul", lambda tf: tf.matmul(tf.constant(A), tf.constant(B)), lambda np: A @ B, rtol=1e-5),
    Row("MatMul", lambda tf: tf.matmul(tf.constant(A.T), tf.constant(B), transpose_a=True), lambda np: A @ B,
        id="MatMul-transpose_a", rtol=1e-5),
    Row("MatMul", lambda tf: tf.matmul(tf.constant(A), tf.constant(B.T), transpose_b=True), lambda np: A @ B,
        id="MatMul-transpose_b", rtol=1e-5),
    Row("MatMul", lambda tf: tf.matmul(tf.constant(A.T), tf.constant(B.T), transpose_a=True, transpose_b=True),
        lambda np: A @ B, id="MatMul-transpose-both", rtol=1e-5),
    Row("MatMul", lambda tf: tf.matmul(tf.constant(A.T), tf.constant(B.T), adjoint_a=True, adjoint_b=True),
        lambda np: A @ B, id="MatMul-adjoint-real", rtol=1e-5),
    Row("MatMul", lambda tf: tf.matmul(tf.constant(XI), tf.constant(XI.T.copy())), lambda np: XI @ XI.T,
        id="MatMul-i32"),
    Row("MatMul", lambda tf: tf.constant(A) @ tf.constant(B), lambda np: A @ B, id="MatMul-operator", rtol=1e-5),
    Row("MatMul", lambda tf: _unknown_apply(tf, lambda t: tf.matmul(t, tf.constant(B)), A), lambda np: A @ B,
        id="MatMul-unknown-dims", rtol=1e-5),
    Row("BatchMatMulV2", lambda tf: tf.matmul(tf.constant(A3), tf.constant(B.astype(np.float32))),
        lambda np: A3 @ B, id="BatchMatMulV2-rank3-by-matrix", rtol=1e-5),
    Row("BatchMatMulV2", lambda tf: tf.matmul(tf.constant(A3[:, None]), tf.constant(B4)),
        lambda np: A3[:, None] @ B4, id="BatchMatMulV2-broadcast-batch", rtol=1e-5),
    Row("BatchMatMulV2", lambda tf: tf.matmul(tf.constant(np.swapaxes(A3, 1, 2).copy()), tf.constant(B),
                                              transpose_a=True),
        lambda np: A3 @ B, id="BatchMatMulV2-adj_x", rtol=1e-5),
    Row("BatchMatMulV2", lambda tf: tf.matmul(tf.constant(A3), tf.constant(np.swapaxes(B4[:2], 1, 2).copy()),
                                              transpose_b=True),
        lambda np: A3 @ B4[:2], id="BatchMatMulV2-adj_y", rtol=1e-5),
    Row("BatchMatMulV2", lambda tf: _unknown_apply(tf, lambda t: tf.matmul(t, tf.constant(B4)), A3[:, None]),
        lambda np: A3[:, None] @ B4, id="BatchMatMulV2-unknown-dims", rtol=1e-5),
]


def _unknown_rank_matmul(tf):
    ph = tf.placeholder(tf.float32)
    return tf.matmul(ph, tf.constant(B)), {ph: A}


CASES.append(Row("BatchMatMulV2", _unknown_rank_matmul, lambda np: A @ B, id="BatchMatMulV2-unknown-rank",
                 rtol=1e-5))

# =========================================================================== reductions
R3 = np.arange(24, dtype=np.float32).reshape(2, 3, 4) - 7.5
RI = np.array([[-1, -2, 4], [5, -8, 0]], np.int32)
RB = np.array([[True, False, True], [True, True, True]])

# (op type, public function, numpy reference, input)
_REDUCE = [
    ("Sum", lambda tf: tf.reduce_sum, np.sum, R3),
    ("Mean", lambda tf: tf.reduce_mean, np.mean, R3),
    ("Max", lambda tf: tf.reduce_max, np.max, R3),
    ("Min", lambda tf: tf.reduce_min, np.min, R3),
    ("Prod", lambda tf: tf.reduce_prod, np.prod, R3 / 8),
    ("Any", lambda tf: tf.reduce_any, np.any, RB),
    ("All", lambda tf: tf.reduce_all, np.all, RB),
]


def _reduction_rows():
    rows = []
    for op_type, fn, ref, x in _REDUCE:
        nd = x.ndim
        variants = [
            ("all", {}, dict(axis=None)),
            ("axis-int", {"axis": 1}, dict(axis=1)),
            ("axis-list-negative", {"axis": [0, -1]}, dict(axis=(0, nd - 1))),
            ("keepdims", {"axis": -1, "keepdims": True}, dict(axis=nd - 1, keepdims=True)),
            ("legacy-keep_dims", {"reduction_indices": [1], "keep_dims": True}, dict(axis=1, keepdims=True)),
            ("legacy-reduction_indices", {"reduction_indices": 0}, dict(axis=0)),
            ("all-keepdims", {"keepdims": True}, dict(axis=None, keepdims=True)),
            ("repeated-axis", {"axis": [1, 1, -nd + 1]}, dict(axis=1)),
        ]
        for vid, kwargs, np_kwargs in variants:
            rows.append(Row(op_type, lambda tf, fn=fn, x=x, kw=kwargs: fn(tf)(tf.constant(x), **kw),
                            lambda np, ref=ref, x=x, kw=np_kwargs: ref(x, **kw).astype(x.dtype),
                            id="%s-%s" % (op_type, vid), rtol=1e-5))
        rows.append(Row(op_type, lambda tf, fn=fn, x=x: _unknown_apply(tf, lambda t: fn(tf)(t, axis=[0, -1]), x),
                        lambda np, ref=ref, x=x: ref(x, axis=(0, x.ndim - 1)).astype(x.dtype),
                        id=op_type + "-unknown-dims",
                        rtol=1e-5))
    return rows


def _reduce_unknown_rank(tf):
    ph = tf.placeholder(tf.float32)
    return tf.reduce_sum(ph), {ph: R3}


CASES += _reduction_rows() + [
    Row("Mean", lambda tf: tf.reduce_mean(tf.constant(RI)), np.array(0, np.int32), id="Mean-int-all-truncates"),
    Row("Mean", lambda tf: tf.reduce_mean(tf.constant(RI), axis=1), np.array([0, -1], np.int32),
        id="Mean-int-axis-truncates-toward-zero"),
    Row("Mean", lambda tf: tf.reduce_mean(tf.constant([-1, -2])), np.array(-1, np.int32), id="Mean-int-minus-1.5"),
    Row("Mean", lambda tf: tf.reduce_mean(tf.constant(np.full(4, 2 ** 30, np.int32))), np.array(2 ** 30, np.int32),
        id="Mean-int-no-overflow"),
    Row("Mean", lambda tf: tf.reduce_mean(tf.constant(np.array([[3, 4]], np.uint8)), axis=1),
        np.array([3], np.uint8), id="Mean-uint8"),
    Row("Sum", lambda tf: tf.reduce_sum(tf.constant(RI), axis=0), lambda np: RI.sum(0).astype(np.int32),
        id="Sum-int-keeps-int32"),
    Row("Sum", _reduce_unknown_rank, lambda np: np.float32(R3.sum()), id="Sum-unknown-rank", rtol=1e-5),
    Row("Max", lambda tf: tf.reduce_max(tf.zeros([0, 3]), axis=0), np.full(3, np.finfo(np.float32).min),
        id="Max-empty-is-lowest"),
    Row("Min", lambda tf: tf.reduce_min(tf.zeros([2, 0], tf.int32), axis=1), np.full(2, np.iinfo(np.int32).max),
        id="Min-empty-int-is-highest"),
    Row("Sum", lambda tf: tf.reduce_sum(tf.constant(R3), tf.constant([2], tf.int64)), lambda np: R3.sum(2),
        id="Sum-int64-axis-tensor", rtol=1e-5),
    Row("Sum", lambda tf: tf.count_nonzero(tf.constant([[0, 1, 0], [1, 1, 0]]), 1), np.array([1, 2], np.int64),
        id="Sum-count_nonzero"),
    Row("Max", lambda tf: tf.reduce_logsumexp(tf.constant([[0.0, 0.0, 0.0], [-np.inf, -np.inf, -np.inf]]), 1),
        np.array([np.log(3), -np.inf], np.float32), id="Max-reduce_logsumexp", rtol=1e-6),
]

# =========================================================================== ArgMax / ArgMin
AM = np.array([[1, 5, 3, 5], [7, -2, 0, 7], [4, 4, 9, -1]], np.float32)
CASES += [
    Row("ArgMax", lambda tf: tf.argmax(tf.constant(AM)), lambda np: np.argmax(AM, 0), id="ArgMax-default-axis-0",
        dtype=np.int64),
    Row("ArgMax", lambda tf: tf.argmax(tf.constant(AM), 1), lambda np: np.argmax(AM, 1), id="ArgMax-axis-1"),
    Row("ArgMax", lambda tf: tf.argmax(tf.constant(AM), -1, output_type=tf.int32),
        lambda np: np.argmax(AM, -1).astype(np.int32), id="ArgMax-int32", dtype=np.int32),
    Row("ArgMax", lambda tf: tf.argmax(tf.constant(AM.astype(np.int32)), dimension=0),
        lambda np: np.argmax(AM, 0), id="ArgMax-legacy-dimension"),
    Row("ArgMax", lambda tf: tf.argmax([3, 9, 2], 0), np.array(1, np.int64), id="ArgMax-vector-to-scalar"),
    Row("ArgMax", lambda tf: _unknown_apply(tf, lambda t: tf.argmax(t, 1), AM), lambda np: np.argmax(AM, 1),
        id="ArgMax-unknown-dims"),
    Row("ArgMin", lambda tf: tf.argmin(tf.constant(AM), 1), lambda np: np.argmin(AM, 1)),
    Row("ArgMin", lambda tf: tf.argmin(tf.constant(AM)), lambda np: np.argmin(AM, 0), id="ArgMin-default-axis-0"),
    Row("ArgMin", lambda tf: _unknown_apply(tf, lambda t: tf.argmin(t, -2), AM), lambda np: np.argmin(AM, 0),
        id="ArgMin-unknown-dims"),
]

# =========================================================================== Cumsum
C2 = np.arange(1, 7, dtype=np.float32).reshape(2, 3)


def _exclusive(x, axis):
    c = np.cumsum(x, axis)
    return np.concatenate([np.zeros_like(np.take(c, [0], axis)), np.delete(c, -1, axis)], axis)


CASES += [
    Row("Cumsum", lambda tf: tf.cumsum(tf.constant(C2)), lambda np: np.cumsum(C2, 0), id="Cumsum-axis-0"),
    Row("Cumsum", lambda tf: tf.cumsum(tf.constant(C2), axis=1), lambda np: np.cumsum(C2, 1), id="Cumsum-axis-1"),
    Row("Cumsum", lambda tf: tf.cumsum(tf.constant(C2), axis=-1, exclusive=True), lambda np: _exclusive(C2, 1),
        id="Cumsum-exclusive"),
    Row("Cumsum", lambda tf: tf.cumsum(tf.constant(C2), axis=1, reverse=True),
        lambda np: np.cumsum(C2[:, ::-1], 1)[:, ::-1], id="Cumsum-reverse"),
    Row("Cumsum", lambda tf: tf.cumsum([1, 2, 3], exclusive=True, reverse=True), np.array([5, 3, 0], np.int32),
        id="Cumsum-exclusive-reverse-int"),
    Row("Cumsum", lambda tf: tf.cumsum(tf.zeros([0, 2]), exclusive=True), np.zeros((0, 2), np.float32),
        id="Cumsum-empty"),
    Row("Cumsum", lambda tf: _unknown_apply(tf, lambda t: tf.cumsum(t, 1, exclusive=True), C2),
        lambda np: _exclusive(C2, 1), id="Cumsum-unknown-dims"),
]

test_row = rows_test(CASES)


# =========================================================================== dtype rules
def test_int_plus_float_tensor_is_a_type_error():
    with pytest.raises(TypeError, match=r"Input 'y' of 'AddV2' Op has type float32 that does not match type int32 "
                                        r"of argument 'x'\."):
        tf.constant(1) + tf.constant(1.0)


def test_python_float_to_int_op_is_a_type_error():
    with pytest.raises(TypeError, match=r"^Expected int32 passed to parameter 'y' of op 'Add', got 1\.5 of type "
                                        r"'float' instead\."):
        tf.add(tf.constant([1, 2]), 1.5)


def test_operator_with_python_float_on_int_tensor():
    with pytest.raises(TypeError, match=r"Expected int32, got 1\.5 of type 'float' instead\."):
        tf.constant(1) * 1.5
    with pytest.raises(TypeError, match=r"Expected int32, got 1\.5 of type 'float' instead\."):
        1.5 - tf.constant(1)


def test_allowed_types_are_checked():
    with pytest.raises(TypeError, match=r"Value passed to parameter 'x' has DataType int32 not in list of allowed "
                                        r"values: float16, float32, float64"):
        tf.sqrt(tf.constant([4]))
    with pytest.raises(TypeError, match=r"Value passed to parameter 'x' has DataType float32 not in list of allowed "
                                        r"values: bool"):
        tf.logical_and(tf.constant(1.0), tf.constant(2.0))
    with pytest.raises(TypeError, match=r"Value passed to parameter 'input' has DataType float32 not in list of "
                                        r"allowed values: bool"):
        tf.reduce_any(tf.constant([1.0]))


def test_division_dtypes():
    with tf.Session() as sess:
        assert sess.run(tf.div(-7, 2)) == -4
        q = tf.constant(-7) / 2
        assert q.dtype == tf.float64 and sess.run(q) == -3.5
        assert (tf.constant(np.int8(7)) / 2).dtype == tf.float32
        f = tf.constant(-7) // 2
        assert f.dtype == tf.int32 and sess.run(f) == -4
        m = tf.constant(-7) % 2
        assert sess.run(m) == 1 and sess.run(tf.constant(7) % -2) == -1
        assert sess.run(tf.constant(-7.5) % 2.0) == 0.5
        assert sess.run(tf.truncatediv(-7, 2)) == -3
        assert sess.run(tf.divide(tf.constant(7), 2)) == 3.5


def test_division_errors():
    with pytest.raises(TypeError, match=r"x and y must have the same dtype, got tf\.int32 != tf\.float32"):
        tf.truediv(tf.constant(1), tf.constant(2.0))
    with pytest.raises(TypeError, match=r"Expected int32, got 1\.5 of type 'float' instead\."):
        tf.div(tf.constant(1), 1.5)
    with pytest.raises(TypeError, match=r"Invalid dtype tf\.bool in __truediv__"):
        tf.constant(True) / tf.constant(False)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"Integer division by zero"):
            sess.run(tf.constant([4, 2]) // tf.constant([1, 0]))
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"Integer division by zero\n\t \[\[node mod"):
            sess.run(tf.constant([4, 2]) % tf.constant([0, 1]))
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"Integers to negative integer powers are not "
                                                                 r"allowed"):
            sess.run(tf.pow(tf.constant(2), tf.constant(-1)))


def test_cast_rules():
    x = tf.constant([1.0])
    assert tf.cast(x, tf.float32) is x  # no op when the type already matches
    c = tf.cast([1, 2], tf.float32, name="c")
    assert c.op.type == "Cast" and c.op.name == "c" and c.op.get_attr("DstT") == tf.float32
    assert tf.to_float(tf.constant(1)).op.name == "ToFloat"
    assert tf.to_int32(tf.constant(1.0)).op.name == "ToInt32"
    with tf.Session() as sess:
        with pytest.raises(tf.errors.UnimplementedError, match=r"Cast string to float32 is not supported"):
            sess.run(tf.cast(tf.constant([b"1"]), tf.float32))


# =========================================================================== op names
def test_op_names_follow_tf():
    a, b = tf.constant([1, 2]), tf.constant([3, 4])
    assert tf.add(a, b).op.name == "Add"
    assert (a + b).op.name == "add_1"  # names are unique case-insensitively
    c = a + 1
    assert c.op.name == "add_2" and c.op.inputs[1].op.name == "add_2/y"
    assert c.op.inputs[1].op.type == "Const"
    r = 1 + a
    assert r.op.name == "add_3" and r.op.inputs[0].op.name == "add_3/x"
    assert (a * b).op.name == "mul" and (a - b).op.name == "sub"
    assert tf.multiply(a, b).op.name == "Mul_1" and tf.subtract(a, b).op.name == "Sub_1"  # after 'mul', 'sub'
    assert (a / b).op.name == "truediv" and (a // b).op.name == "floordiv" and (a % b).op.name == "mod"
    assert tf.div(a, b).op.name == "div" and tf.div(a, b).op.type == "FloorDiv"
    assert (-a).op.name == "Neg" and abs(a).op.name == "Abs"
    assert (a < b).op.name == "Less" and tf.add(a, 1).op.inputs[1].op.name == "Add_4/y"
    assert tf.add(a, b, name="my_add").op.name == "my_add"


def test_reduction_names_and_axis_const():
    x = tf.ones([2, 3])
    s = tf.reduce_sum(x)
    assert s.op.name == "Sum" and s.op.inputs[1].op.name == "Const"  # _ReductionDims runs outside the scope
    assert list(s.op.inputs[1].op.get_attr("value")) == [0, 1]
    m = tf.reduce_mean(x, axis=1, name="avg")
    assert m.op.name == "avg" and m.op.inputs[1].op.name == "avg/reduction_indices"
    assert m.op.get_attr("keep_dims") is False
    assert tf.reduce_max(x, 0, keep_dims=True).shape.as_list() == [1, 3]


def test_reducing_a_python_list_of_tensors():
    """`tf.reduce_sum(style_losses)` (a list of scalar losses, as the TF 1.x cookbook's stylenet writes it): the
    axes are range(0, rank(x)), its Rank packing the list, then Sum packs it again: the ops TF 2.21's compat.v1
    builds (checked there), and the value."""
    tf.reset_default_graph()
    a, b = tf.constant(1.5), tf.constant(2.0)
    s = tf.reduce_sum([a, b])
    assert [(op.name, op.type) for op in tf.get_default_graph().get_operations()[2:]] == [
        ("Rank/packed", "Pack"), ("Rank", "Const"), ("range/start", "Const"), ("range/delta", "Const"),
        ("range", "Range"), ("Sum/input", "Pack"), ("Sum", "Sum")]
    m = tf.reduce_mean([[1.0, 2.0], [3.0, 5.0]])  # a Python value: Rank and Range too (Rank a Const, as TF folds it)
    assert [t.op.type for t in m.op.inputs[1].op.inputs] == ["Const", "Const", "Const"] and m.shape.as_list() == []
    with tf.Session() as sess:
        assert sess.run([s, m]) == [3.5, 2.75]


def test_composite_op_names():
    t = tf.clip_by_value(tf.constant([[-1.0, 5.0]]), 0.0, 4.0)
    assert t.op.name == "clip_by_value" and t.op.type == "Maximum"
    assert t.op.inputs[0].op.name == "clip_by_value/Minimum"
    x = tf.logical_xor(tf.constant([True]), tf.constant([False]))
    assert x.op.name == "LogicalXor" and x.op.type == "LogicalAnd"
    assert tf.add_n([tf.constant(1.0), tf.constant(2.0)]).op.name == "AddN"
    one = tf.constant(1.0)
    assert tf.add_n([one]) is one
    assert tf.add_n([one], name="total").op.name == "total"
    assert tf.scalar_mul(2.0, tf.constant([1.0, 2.0])).op.type == "Mul"


# =========================================================================== shape errors
def test_broadcast_error_names_the_op():
    with pytest.raises(ValueError, match=r"^Dimensions must be equal, but are 2 and 3 for 'add' \(op: 'AddV2'\) with "
                                         r"input shapes: \[2\], \[3\]\.$"):
        tf.constant([1, 2]) + tf.constant([1, 2, 3])


def test_matmul_shape_errors():
    with pytest.raises(ValueError, match=r"Dimensions must be equal, but are 3 and 2 for 'MatMul' \(op: 'MatMul'\) "
                                         r"with input shapes: \[2,3\], \[2,3\]\."):
        tf.matmul(tf.ones([2, 3]), tf.ones([2, 3]))
    with pytest.raises(ValueError, match=r"Dimensions must be equal, but are 2 and 5 for 'MatMul_1' \(op: "
                                         r"'BatchMatMulV2'\) with input shapes: \[2,3,4\], \[5,4,3\]\."):
        tf.matmul(tf.ones([2, 3, 4]), tf.ones([5, 4, 3]))
    with pytest.raises(ValueError, match=r"Shape must be at least rank 2 but is rank 1 for 'MatMul_2' \(op: "
                                         r"'BatchMatMulV2'\)"):
        tf.matmul(tf.ones([2, 3, 4]), tf.ones([4]))
    with pytest.raises(ValueError, match=r"Only one of transpose_a and adjoint_a can be True\."):
        tf.matmul(tf.ones([2, 2]), tf.ones([2, 2]), transpose_a=True, adjoint_a=True)


def test_reduction_axis_out_of_range_at_build_time():
    with pytest.raises(ValueError, match=r"^Invalid reduction dimension 2 for input with 2 dimensions\. for 'Sum' "
                                         r"\(op: 'Sum'\) with input shapes: \[2,3\], \[\]"):
        tf.reduce_sum(tf.ones([2, 3]), axis=2)
    with pytest.raises(ValueError, match=r"Invalid reduction dimension -3 for input with 2 dimensions\. for 'Mean'"):
        tf.reduce_mean(tf.ones([2, 3]), axis=[0, -3])
    with pytest.raises(ValueError, match=r"Shape must be at most rank 1 but is rank 2 for 'Max'"):
        tf.reduce_max(tf.ones([2, 3]), axis=[[0], [1]])


def test_reduction_axis_out_of_range_at_run_time():
    axis = tf.placeholder(tf.int32)
    s = tf.reduce_sum(tf.ones([2, 3]), axis)
    assert s.shape.ndims is None
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"Invalid reduction dimension \(2 for input with 2 "
                                                                 r"dimension\(s\)"):
            sess.run(s, {axis: 2})


def test_reduction_argument_errors():
    with pytest.raises(ValueError, match=r"Can't specify both axis' and 'reduction_indices'\."):
        tf.reduce_sum(tf.ones([2]), axis=0, reduction_indices=0)
    with pytest.raises(ValueError, match=r"Cannot specify both 'keep_dims' and 'keepdims'\."):
        tf.reduce_sum(tf.ones([2]), keepdims=True, keep_dims=True)
    # Tidx has a default (int32), not a fixed type: op_def_library converts with int32 preferred, gets a float32
    # tensor, and the type check refuses it
    with pytest.raises(TypeError, match=r"^Value passed to parameter 'reduction_indices' has DataType float32 not in "
                                        r"list of allowed values: int32, int64$"):
        tf.reduce_sum(tf.ones([2]), axis=1.5)
    assert tf.reduce_sum(tf.ones([2]), axis=np.int64(0)).op.inputs[1].dtype == tf.int64  # a numpy scalar keeps its type


def test_reduction_static_shapes_with_unknowns():
    x = tf.placeholder(tf.float32, [None, 3, None])
    assert tf.reduce_sum(x, 1).shape.as_list() == [None, None]
    assert tf.reduce_sum(x, [0, 2], keepdims=True).shape.as_list() == [1, 3, 1]
    assert tf.reduce_sum(x).shape.as_list() == []
    axis = tf.placeholder(tf.int32, [1])
    assert tf.reduce_sum(x, axis, keepdims=True).shape.as_list() == [None, None, None]
    assert tf.reduce_sum(tf.placeholder(tf.float32), keepdims=True).shape.ndims is None


def test_addn_errors():
    with pytest.raises(TypeError, match=r"Tensors in list passed to 'inputs' of 'AddN' Op have types \[int32, "
                                        r"float32\] that don't all match\."):
        tf.add_n([tf.constant([1]), tf.constant([1.0])])
    with pytest.raises(ValueError, match=r"Dimension 0 in both shapes must be equal, but are 2 and 3\. Shapes are "
                                         r"\[2\] and \[3\]\.\n\tFrom merging shape 0 with other shapes\. for 'AddN' "
                                         r"\(op: 'AddN'\) with input shapes: \[2\], \[3\]\."):
        tf.add_n([tf.ones([2]), tf.ones([3])])
    with pytest.raises(ValueError, match=r"Shapes must be equal rank, but are 1 and 2\n\tFrom merging shape 1"):
        tf.add_n([tf.ones([2]), tf.ones([2]), tf.ones([2, 2])])
    with pytest.raises(ValueError, match=r"inputs must be a list of at least one"):
        tf.add_n([])


def test_argmax_errors():
    with pytest.raises(ValueError, match=r"Dimension \(2\) must be in the range \[-2, 2\), where 2 is the number of "
                                         r"dimensions in the input\. for 'ArgMax' \(op: 'ArgMax'\)"):
        tf.argmax(tf.ones([2, 3]), 2)
    with pytest.raises(ValueError, match=r"Cannot specify both 'axis' and 'dimension'"):
        tf.argmax(tf.ones([2, 3]), axis=0, dimension=0)
    with pytest.raises(TypeError, match=r"Value passed to parameter 'output_type' has DataType float32"):
        tf.argmax(tf.ones([2, 3]), 0, output_type=tf.float32)
    axis = tf.placeholder(tf.int32, [])
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"Expected dimension in the range \[-2, 2\), but "
                                                                 r"got 5"):
            sess.run(tf.argmax(tf.ones([2, 3]), axis), {axis: 5})
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"Reduction axis 1 is empty in shape \[2, 0\]"):
            sess.run(tf.argmin(tf.zeros([2, 0]), 1))


def test_tf1_arg_max_and_arg_min_are_the_ops_own_wrappers(sess):
    """tf.arg_max / tf.arg_min (TF 1.0's names, still in tutorials of 2016-17): `dimension` is the axis. Names,
    types and values as TF 2.21's compat.v1 gives them."""
    x = tf.constant([[0.1, 0.7, 0.2], [0.9, 0.05, 0.05]])
    i = tf.arg_max(x, 1)
    j = tf.arg_min(x, dimension=1, output_type=tf.int32, name="low")
    assert (i.name, i.dtype, j.name, j.dtype) == ("ArgMax:0", tf.int64, "low:0", tf.int32)
    assert [op.name for op in tf.get_default_graph().get_operations()] == [
        "Const", "ArgMax/dimension", "ArgMax", "low/dimension", "low"]
    got = sess.run([i, j])
    assert got[0].tolist() == [1, 0] and got[1].tolist() == [0, 1]


def test_cumsum_errors():
    axis = tf.placeholder(tf.int32, [])
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"ScanOp: Expected scan axis in the range \[-2, 2\), "
                                                                 r"but got 2"):
            sess.run(tf.cumsum(tf.ones([2, 3]), axis), {axis: 2})
    with pytest.raises(ValueError, match=r"Shape must be rank 0 but is rank 1 for 'Cumsum_1'"):
        tf.cumsum(tf.ones([2, 3]), [0])


def test_clip_by_value():
    with tf.Session() as sess:
        got = sess.run(tf.clip_by_value(tf.constant([[-1.0, 5.0], [2.0, 9.0]]), 0.0, 4.0))
        np.testing.assert_array_equal(got, [[0.0, 4.0], [2.0, 4.0]])
        got = sess.run(tf.clip_by_value(tf.constant([[-1, 5], [2, 9]]), tf.constant([0, 3]), 4))
        np.testing.assert_array_equal(got, [[0, 4], [2, 4]])
    with pytest.raises(ValueError, match=r"Shapes \(2,\) and \(2, 2\) are incompatible"):
        tf.clip_by_value(tf.constant([1.0, 5.0]), [[0.0], [1.0]], 4.0)
    with pytest.raises(TypeError, match=r"Expected int32"):
        tf.clip_by_value(tf.constant([1, 5]), 0.5, 4)


def test_reduce_logsumexp():
    x = np.array([[1000.0, 1000.0], [-1.0, 2.0]], np.float32)
    with tf.Session() as sess:
        got = sess.run(tf.reduce_logsumexp(tf.constant(x), axis=1))
        np.testing.assert_allclose(got, [1000 + np.log(2), np.log(np.exp(-1) + np.exp(2))], rtol=1e-6)
        got = sess.run(tf.reduce_logsumexp(tf.constant(x), axis=0, keepdims=True))
        assert got.shape == (1, 2)
        assert sess.run(tf.reduce_logsumexp(tf.constant(x))).shape == ()


def test_integer_mean_truncates_like_tf():
    # TF divides the (64-bit) integer sum with C++ integer division: toward zero, not the floor
    with tf.Session() as sess:
        assert sess.run(tf.reduce_mean(tf.constant([-1, -2]))) == -1
        assert sess.run(tf.reduce_mean(tf.constant([-1, -2], tf.int64))) == -1
        assert sess.run(tf.reduce_mean(tf.constant([1, 2]))) == 1
        assert sess.run(tf.reduce_mean(tf.constant([-7, 0, 0]))) == -2
        assert sess.run(tf.reduce_mean(tf.zeros([0], tf.int32))) == 0
        assert np.isnan(sess.run(tf.reduce_mean(tf.zeros([0]))))


def test_erf_accuracy_float64():
    x = np.concatenate([np.linspace(-8, 8, 20001), np.logspace(-300, 0.9, 400), -np.logspace(-300, 0.9, 400)])
    with tf.Session() as sess:
        got = sess.run(tf.erf(tf.constant(x)))
    want = _erf(x)
    assert np.max(np.abs(got - want) / np.maximum(np.abs(want), 1e-300)) < 1e-15


def test_sigmoid_keeps_precision_in_the_tail():
    x = np.array([-80.0, -30.0, -10.0, 10.0, 30.0])
    with tf.Session() as sess:
        for dt in (np.float32, np.float64):
            got = sess.run(tf.sigmoid(tf.constant(x.astype(dt))))
            want = 1 / (1 + np.exp(-x))
            np.testing.assert_allclose(got, want.astype(dt), rtol=1e-6 if dt == np.float32 else 1e-14)


def test_addn_never_broadcasts_at_run_time():
    a = tf.placeholder(tf.float32, [None])
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"Inputs to operation of type AddN must have "
                                                                 r"the same size and shape\.  Input 0: \[1\] != "
                                                                 r"input 1: \[3\]"):
            sess.run(tf.add_n([a, tf.ones([3])]), {a: [1.0]})


# =========================================================================== gradients (against finite differences)
from gradcheck import GradRow, grad_rows_test  # noqa: E402

_bin = lambda fn: (lambda tf, a, b: fn(a, b))  # noqa: E731
_un = lambda fn: (lambda tf, a: fn(a))  # noqa: E731

GRAD_CASES = [
    GradRow("AddV2", _bin(lambda a, b: a + b), [(2, 3), (3,)], id="Add-broadcast"),
    GradRow("AddV2", _bin(lambda a, b: a + b), [(2, 3), (2, 1)], id="Add-broadcast-unknown", unknown_dims=True),
    GradRow("Add", lambda tf, a, b: tf.add(a, b), [(2, 3), (3,)], id="Add-tf-add-broadcast"),
    GradRow("Sub", _bin(lambda a, b: a - b), [(2, 1), (1, 3)], id="Sub-both-broadcast"),
    GradRow("Mul", _bin(lambda a, b: a * b), [(2, 3), (2, 3)]),
    GradRow("Mul", _bin(lambda a, b: a * b), [(4, 1, 3), (2, 1)], id="Mul-broadcast-unknown", unknown_dims=True),
    GradRow("RealDiv", _bin(lambda a, b: a / b), [(2, 3), (3,)], positive=True),
    GradRow("FloorMod", lambda tf, a, b: tf.mod(a, b), [(2, 3), (3,)], positive=True, wrt=[0]),
    GradRow("Pow", _bin(lambda a, b: a ** b), [(2, 3), (3,)], positive=True),
    GradRow("Maximum", lambda tf, a, b: tf.maximum(a, b), [(2, 3), (3,)]),
    GradRow("Minimum", lambda tf, a, b: tf.minimum(a, b), [(2, 3), (2, 1)]),
    GradRow("SquaredDifference", lambda tf, a, b: tf.squared_difference(a, b), [(2, 3), (3,)]),
    GradRow("Neg", _un(lambda a: -a), [(2, 3)]),
    GradRow("Abs", lambda tf, a: tf.abs(a), [(2, 3)]),
    GradRow("Sign", lambda tf, a: tf.sign(a) * a, [(2, 3)]),
    GradRow("Square", lambda tf, a: tf.square(a), [(3, 2)]),
    GradRow("Sqrt", lambda tf, a: tf.sqrt(a), [(3, 2)], positive=True),
    GradRow("Rsqrt", lambda tf, a: tf.rsqrt(a), [(3, 2)], positive=True),
    GradRow("Exp", lambda tf, a: tf.exp(a), [(3, 2)]),
    GradRow("Expm1", lambda tf, a: tf.expm1(a), [(3, 2)]),
    GradRow("Log", lambda tf, a: tf.log(a), [(3, 2)], positive=True),
    GradRow("Log1p", lambda tf, a: tf.log1p(a), [(3, 2)], positive=True),
    GradRow("Sin", lambda tf, a: tf.sin(a), [(3, 2)]),
    GradRow("Cos", lambda tf, a: tf.cos(a), [(3, 2)]),
    GradRow("Tan", lambda tf, a: tf.tan(a), [(3, 2)]),
    GradRow("Sigmoid", lambda tf, a: tf.sigmoid(a), [(3, 2)], low=-4, high=4),
    GradRow("Tanh", lambda tf, a: tf.tanh(a), [(3, 2)]),
    GradRow("Reciprocal", lambda tf, a: tf.reciprocal(a), [(3, 2)], positive=True),
    GradRow("Erf", lambda tf, a: tf.erf(a), [(3, 2)]),
    GradRow("Cast", lambda tf, a: tf.cast(tf.cast(a, tf.float32), tf.float64), [(2, 3)], rtol=1e-3, atol=1e-4,
            delta=1e-2),
    GradRow("AddN", lambda tf, a, b, c: tf.add_n([a, b, c]), [(2, 3)] * 3),
    GradRow("MatMul", lambda tf, a, b: tf.matmul(a, b), [(2, 3), (3, 4)]),
    GradRow("MatMul", lambda tf, a, b: tf.matmul(a, b, transpose_a=True), [(3, 2), (3, 4)], id="MatMul-ta"),
    GradRow("MatMul", lambda tf, a, b: tf.matmul(a, b, transpose_b=True), [(2, 3), (4, 3)], id="MatMul-tb"),
    GradRow("MatMul", lambda tf, a, b: tf.matmul(a, b, transpose_a=True, transpose_b=True), [(3, 2), (4, 3)],
            id="MatMul-ta-tb"),
    GradRow("MatMul", lambda tf, a, b: tf.matmul(a, b), [(2, 3), (3, 4)], id="MatMul-unknown", unknown_dims=True),
    GradRow("BatchMatMulV2", lambda tf, a, b: tf.matmul(a, b), [(2, 2, 3), (3, 4)]),
    GradRow("BatchMatMulV2", lambda tf, a, b: tf.matmul(a, b, adjoint_a=True, adjoint_b=True),
            [(2, 3, 2), (1, 4, 3)], id="BatchMatMulV2-adjoint-broadcast"),
    GradRow("Sum", lambda tf, a: tf.reduce_sum(a, 1), [(2, 3)]),
    GradRow("Sum", lambda tf, a: tf.reduce_sum(a, [0, 2], keepdims=True), [(2, 3, 4)], id="Sum-keepdims"),
    GradRow("Sum", lambda tf, a: tf.reduce_sum(a, -1), [(2, 3)], id="Sum-unknown", unknown_dims=True),
    GradRow("Mean", lambda tf, a: tf.reduce_mean(a, 0), [(2, 3)]),
    GradRow("Mean", lambda tf, a: tf.reduce_mean(a), [(2, 3)], id="Mean-unknown", unknown_dims=True),
    GradRow("Max", lambda tf, a: tf.reduce_max(a, 1), [(2, 3)]),
    GradRow("Max", lambda tf, a: tf.reduce_max(a, 1), [(2, 3)], id="Max-ties",
            inputs=[np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 1.0]])]),  # a tie splits the gradient equally
    GradRow("Min", lambda tf, a: tf.reduce_min(a, [0, 1]), [(2, 3)], unknown_dims=True),
    GradRow("Prod", lambda tf, a: tf.reduce_prod(a, 1), [(2, 3)]),
    GradRow("Prod", lambda tf, a: tf.reduce_prod(a, [0, 2]), [(2, 3, 2)], id="Prod-two-axes-unknown",
            unknown_dims=True),
    GradRow("Prod", lambda tf, a: tf.reduce_prod(a, 0), [(3, 2)], id="Prod-with-a-zero",
            inputs=[np.array([[1.5, 2.0], [0.0, 3.0], [2.0, -1.0]])]),
    GradRow("Cumsum", lambda tf, a: tf.cumsum(a, 1), [(2, 3)]),
    GradRow("Cumsum", lambda tf, a: tf.cumsum(a, 0, exclusive=True, reverse=True), [(3, 2)], id="Cumsum-ex-rev"),
    GradRow("Cumprod", lambda tf, a: tf.cumprod(a, 1), [(2, 3)], positive=True),
    GradRow("Cumprod", lambda tf, a: tf.cumprod(a, 0, exclusive=True, reverse=True), [(3, 2)], positive=True,
            id="Cumprod-ex-rev"),
]
test_grad_row = grad_rows_test(GRAD_CASES)

CASES += [
    Row("Cumprod", lambda tf: tf.cumprod(tf.constant(X), 1), lambda np: np.cumprod(X, 1)),
    Row("Cumprod", lambda tf: tf.cumprod(tf.constant(X), 0, exclusive=True, reverse=True),
        lambda np: np.flip(np.concatenate([np.ones((1, 3), np.float32), np.cumprod(np.flip(X, 0), 0)[:-1]]), 0),
        id="Cumprod-exclusive-reverse"),
]
test_row = rows_test(CASES)


def test_sums_over_leading_axes_of_large_arrays():
    """Sums over the leading axes of an array of 256 entries or more take BLAS (a matrix's column sums); the
    result must match numpy's for any spelling of those axes, and integers keep their type."""
    x = np.random.RandomState(3).rand(8, 6, 5, 4).astype(np.float32)
    i = np.arange(8 * 6 * 5 * 4, dtype=np.int32).reshape(8, 6, 5, 4)
    tf.reset_default_graph()
    outs = [tf.reduce_sum(tf.constant(x), axes) for axes in ([0], [0, 1], [1, 0], [-4, -3, -2], [0, 2])]
    outs.append(tf.reduce_sum(tf.constant(i), [0, 1]))
    with tf.Session() as sess:
        got = sess.run(outs)
    for g, axes in zip(got, [(0,), (0, 1), (0, 1), (0, 1, 2), (0, 2)]):
        np.testing.assert_allclose(g, x.astype(np.float64).sum(axis=axes), rtol=1e-5)
    assert got[-1].dtype == np.int32
    np.testing.assert_array_equal(got[-1], i.sum(axis=(0, 1)))


def test_a_sum_over_no_axes_is_its_input_and_a_fetch_still_copies():
    """Sum over no axes forwards its input (as TF's kernel; the gradient of a broadcasting op between equal shapes
    sums over none): no copy, no kernel on a GPU. What a run returns is still the caller's own array."""
    from tfmini.ops import math_ops
    a = np.arange(6.0).reshape(2, 3)
    assert math_ops._sum_kernel(np, a, np.array([], np.int32)) is a
    assert math_ops._sum_kernel(np, a, np.array([], np.int32), keep_dims=True) is a
    x = tf.placeholder(tf.float32, [None, 3])
    v = tf.Variable(np.ones((2, 3), np.float32))
    small = tf.constant([1, 2], tf.int8)
    with tf.Session() as sess:
        sess.run(v.initializer)
        xv = np.arange(6, dtype=np.float32).reshape(2, 3)
        got, from_v, ints = sess.run([tf.reduce_sum(x, axis=[]), tf.reduce_sum(v, axis=[], keepdims=True),
                                      tf.reduce_sum(small, [])], {x: xv})
        got[0, 0] = from_v[0, 0] = 99.0
        assert xv[0, 0] == 0.0 and sess.run(v)[0, 0] == 1.0
        assert ints.dtype == np.int8 and ints.tolist() == [1, 2]
        # the gradient of x * w between equal shapes: Sum over no axes on both sides
        w = tf.constant(np.full((2, 3), 2.0, np.float32))
        gx, gw = sess.run(tf.gradients(tf.reduce_sum(x * w), [x, w]), {x: xv})
        np.testing.assert_array_equal(gx, np.full((2, 3), 2.0))
        np.testing.assert_array_equal(gw, xv)


# =========================================================================== run-time shapes that do not broadcast
def _broadcasting_ops():
    """The binary ops that broadcast their inputs (BCast): those whose run-time shape errors incompatible_shapes
    words."""
    from tfmini.framework import op_registry
    return sorted(name for name, d in op_registry.registered_ops().items()
                  if d.explain is op_registry.incompatible_shapes
                  and name != "SoftmaxCrossEntropyWithLogits")  # checks its shapes itself (test_nn_ops)


def test_the_broadcasting_ops_are_found():
    """The parametrization below must not come out empty (as it once did, when the selector also asked for the
    `broadcasting` flag, which the cwise ops no longer set): then its test would run nowhere."""
    ops = _broadcasting_ops()
    assert {"Add", "AddV2", "Sub", "Mul", "RealDiv", "Maximum", "Equal", "LogicalAnd", "Pow"} <= set(ops), ops


@pytest.mark.parametrize("op_type", _broadcasting_ops())
def test_shapes_that_do_not_broadcast_at_run_time_get_tfs_message(op_type, backend):
    """BinaryOpShared's check (BCast): TF's message, naming the op, and no numpy error chained below it."""
    from tfmini.framework.op_def_library import make_op
    dtype = tf.bool if op_type.startswith("Logical") else tf.float32
    x, y = tf.placeholder(dtype), tf.placeholder(dtype)
    z = make_op(op_type, [x, y], name="the_op")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"^Incompatible shapes: \[2,3\] vs\. \[4\]\n\t \[\[node the_op \(defined at ") as e:
            sess.run(z, {x: np.ones((2, 3)), y: np.ones(4)})
    assert e.value.__cause__ is None
    assert e.value.op is z.op


# =========================================================================== Einsum and tensordot
E2 = np.arange(6, dtype=np.float32).reshape(2, 3) / 3 - 1
E3 = np.arange(12, dtype=np.float32).reshape(3, 4) / 5
SQ = np.arange(9, dtype=np.float64).reshape(3, 3) - 4
EB = np.arange(24, dtype=np.float32).reshape(2, 1, 3, 4) / 10  # '...ij' with batch [2, 1]
EC = np.arange(60, dtype=np.float32).reshape(3, 4, 5) / 30     # '...jk' with batch [3]
_TWO = np.array([1, 2], np.float32)


def _unknown_rank_apply(tf, fn, x):
    """`fn` of a placeholder of unknown rank, and the feed that gives it `x`."""
    ph = tf.placeholder(tf.as_dtype(x.dtype), None)
    return fn(ph), {ph: x}


def _einsum_unknown(tf):
    a = tf.placeholder(tf.float32, [None, None])
    b = tf.placeholder(tf.float32)
    return tf.einsum("ij,jk->ik", a, b), {a: E2, b: E3}


CASES += [
    Row("Einsum", lambda tf: tf.einsum("ij,jk->ik", tf.constant(E2), tf.constant(E3)), lambda np: E2 @ E3,
        id="Einsum-matmul", rtol=1e-5),
    Row("Einsum", lambda tf: tf.einsum("ij,jk", tf.constant(E2), tf.constant(E3)), lambda np: E2 @ E3,
        id="Einsum-implicit-output", rtol=1e-5),
    Row("Einsum", lambda tf: tf.einsum("ij->ji", tf.constant(E2)), lambda np: E2.T, id="Einsum-transpose"),
    Row("Einsum", lambda tf: tf.einsum("ij->ij", tf.constant(E2)), lambda np: E2, id="Einsum-identity"),
    Row("Einsum", lambda tf: tf.einsum("ii", tf.constant(SQ)), lambda np: np.trace(SQ), id="Einsum-trace"),
    Row("Einsum", lambda tf: tf.einsum("ii->i", tf.constant(SQ)), lambda np: np.diag(SQ), id="Einsum-diagonal"),
    Row("Einsum", lambda tf: tf.einsum("i j , j k -> k", tf.constant(E2), tf.constant(E3)),
        lambda np: (E2 @ E3).sum(0), id="Einsum-spaces-and-reduction", rtol=1e-5),
    Row("Einsum", lambda tf: tf.einsum("...ij,...jk->...ik", tf.constant(EB), tf.constant(EC)),
        lambda np: np.einsum("...ij,...jk->...ik", EB, EC), id="Einsum-ellipsis-broadcast", rtol=1e-5),
    Row("Einsum", lambda tf: tf.einsum("ij...,jk->ik...", tf.constant(E2[:, :, None] * _TWO), tf.constant(E3)),
        lambda np: np.einsum("ij...,jk->ik...", E2[:, :, None] * _TWO, E3), id="Einsum-ellipsis-last", rtol=1e-5),
    Row("Einsum", lambda tf: tf.einsum("ij->i...", tf.constant(E2)), lambda np: E2.sum(1), id="Einsum-empty-ellipsis",
        rtol=1e-5),
    Row("Einsum", lambda tf: tf.einsum("i,j->ij", tf.constant([1, 2]), tf.constant([3, 4, 5])),
        np.outer([1, 2], [3, 4, 5]).astype(np.int32), id="Einsum-outer-int32"),
    Row("Einsum", _einsum_unknown, lambda np: E2 @ E3, id="Einsum-unknown-shapes", rtol=1e-5),
    Row("Einsum", lambda tf: tf.einsum("ij,jk,kl->il", tf.constant(E2), tf.constant(E3), tf.constant(E3.T)),
        lambda np: E2 @ E3 @ E3.T, id="Einsum-three-inputs", rtol=1e-5),
    Row("Einsum", lambda tf: tf.linalg.einsum("bi,bi->b", tf.constant(E2), tf.constant(E2)),
        lambda np: (E2 * E2).sum(1), id="Einsum-linalg-namespace", rtol=1e-5),
    Row("MatMul", lambda tf: tf.tensordot(tf.constant(EC), tf.constant(EC.transpose(1, 0, 2)[:, :, :2]),
                                          axes=[[1, 0], [0, 1]]),
        lambda np: np.tensordot(EC, EC.transpose(1, 0, 2)[:, :, :2], axes=[[1, 0], [0, 1]]), id="MatMul-tensordot",
        rtol=1e-5),
    Row("MatMul", lambda tf: tf.linalg.tensordot(tf.constant(E2), tf.constant(E3), 0),
        lambda np: np.tensordot(E2, E3, 0), id="MatMul-tensordot-outer", rtol=1e-5),
    Row("MatMul", lambda tf: _unknown_apply(tf, lambda t: tf.tensordot(tf.reshape(t, [-1, 3, 4]), tf.constant(E3.T), 1),
                                            EC.reshape(-1, 3, 4)[:5]),
        lambda np: np.tensordot(EC.reshape(-1, 3, 4)[:5], E3.T, 1), id="MatMul-tensordot-unknown", rtol=1e-5),
    # ranks and axes known only at run time (TF's dynamic path; found by differential fuzzing against TF 2.21)
    Row("MatMul", lambda tf: _unknown_rank_apply(tf, lambda t: tf.tensordot(t, tf.constant(E3), 1), E2),
        lambda np: np.tensordot(E2, E3, 1), id="MatMul-tensordot-unknown-rank-int-axes", rtol=1e-5),
    Row("MatMul", lambda tf: _unknown_rank_apply(tf, lambda t: tf.tensordot(t, tf.constant(EC.transpose(1, 0, 2)),
                                                                            [[-2, 0], [0, 1]]), EC),
        lambda np: np.tensordot(EC, EC.transpose(1, 0, 2), [[1, 0], [0, 1]]), id="MatMul-tensordot-unknown-rank-lists",
        rtol=1e-5),
    Row("MatMul", lambda tf: tf.tensordot(tf.constant(E2), tf.constant(E2), tf.constant([[0], [0]])),
        lambda np: np.tensordot(E2, E2, [[0], [0]]), id="MatMul-tensordot-tensor-axes", rtol=1e-5),
]


def test_einsum_builds_one_einsum_op_named_as_tf():
    """Names, equations and static shapes as TF 2.21's tf.compat.v1.einsum builds them (graph mode)."""
    tf.reset_default_graph()
    a, b = tf.placeholder(tf.float32, [2, 3]), tf.placeholder(tf.float32, [3, 4])
    c = tf.einsum("ij,jk->ik", a, b)
    assert c.name == "einsum/Einsum:0" and c.shape.as_list() == [2, 4]
    assert c.op.get_attr("equation") == "ij,jk->ik" and c.op.get_attr("N") == 2
    assert tf.einsum("ii", tf.placeholder(tf.float32, [3, 3])).op.get_attr("equation") == "ii->"
    assert tf.einsum("...ij,jk", tf.placeholder(tf.float32, [5, 2, 3]), b).op.get_attr("equation") == \
        "...ij,jk->...ik"
    e = tf.einsum("...ij,...jk->...ik", tf.placeholder(tf.float32, [5, 1, 2, 3]), tf.placeholder(tf.float32, [4, 3, 6]))
    assert e.shape.as_list() == [5, 4, 2, 6]
    assert tf.einsum("ij,jk->ik", tf.placeholder(tf.float32), b).shape.as_list() == [None, 4]
    assert tf.einsum("...ij,...jk->...ik", tf.placeholder(tf.float32), b).shape.ndims is None
    three = tf.einsum("ij,jk,kl->il", a, b, tf.placeholder(tf.float32, [4, 5]), name="chain")
    assert [op.name for op in tf.get_default_graph().get_operations() if op.name.startswith("chain/")] == \
        ["chain/Einsum", "chain/Einsum_1"]
    assert three.shape.as_list() == [2, 5]
    grads = tf.gradients(c, [a, b])
    assert [g.name for g in grads] == ["gradients/einsum/Einsum_grad/Einsum:0",
                                       "gradients/einsum/Einsum_grad/Einsum_1:0"]
    assert grads[0].op.get_attr("equation") == "ik,jk->ij"


@pytest.mark.parametrize("equation, shapes, error, message", [
    ("ij,jk->ik", ([2, 3], [4, 4]), ValueError,
     r"^Dimensions must be equal, but are 3 and 4 for 'einsum/Einsum' \(op: 'Einsum'\) with input shapes: "
     r"\[2,3\], \[4,4\]\.$"),
    ("ij,jk->ik", ([2, 1], [3, 4]), ValueError, r"^Dimensions must be equal, but are 1 and 3 for 'einsum/Einsum'"),
    ("ii->i", ([2, 3],), ValueError, r"^Dimensions must be equal, but are 2 and 3"),
    ("ijk,jk->ik", ([2, 3], [3, 4]), ValueError,
     r"^Shape must be rank 3 but is rank 2\n\t for 0th input and equation: ijk,jk->ik for 'einsum/Einsum'"),
    ("...ij,...jk->...ik", ([2, 2, 2, 3], [3, 3, 4]), ValueError, r"^Dimensions must be equal, but are 2 and 3"),
    ("...ij,jk->ik", ([5, 2, 3], [3, 4]), ValueError,
     r"^Shape must be at most rank 0 but is rank 1\n\t for einsum equation '\.\.\.ij,jk->ik' without ellipsis "
     r"\(\.\.\.\) in the output subscripts where input\(s\) have non-empty broadcasting shape"),
    ("...ij...->", ([2, 3],), ValueError,
     r"^Expected at most one ellipsis \(\.\.\.\), but found 6 periods \(\.\) in the input subscript: \.\.\.ij\.\.\."),
    ("ij->ik", ([2, 3],), ValueError, r"^Output subscripts contain the label k not present in the input subscripts\.$"),
    ("ij,jk->ik", ([2, 3],), ValueError, r'^Got 1 inputs for equation "ij,jk->ik", expecting 2$'),
    ("ij->jj", ([2, 2],), ValueError, r"^Output subscripts contain a label appearing more than once: ij->jj$"),
    ("ij.->i", ([2, 2],), ValueError, r"^Subscripts have incorrect format: ij\.->i$"),
    ("0ij->", ([2, 3],), ValueError, r"^Subscripts have incorrect format: 0ij->$"),
    ("...0i->", ([2, 3],), ValueError, r'^Invalid character "0" in equation: \.\.\.0i->\.$'),
])
def test_einsum_build_errors(equation, shapes, error, message):
    tf.reset_default_graph()
    with pytest.raises(error, match=message):
        tf.einsum(equation, *[tf.placeholder(tf.float32, s) for s in shapes])


def test_einsum_argument_errors():
    a = tf.placeholder(tf.float32, [2, 3])
    with pytest.raises(TypeError, match=r"^Tensors in list passed to 'inputs' of 'Einsum' Op have types "
                                        r"\[int32, float32\] that don't all match\.$"):
        tf.einsum("ij,jk->ik", tf.placeholder(tf.int32, [2, 3]), tf.placeholder(tf.float32, [3, 4]))
    with pytest.raises(TypeError, match=r"^Invalid keyword arguments for einsum: foo\. Valid arguments: name, "
                                        r"optimize, greedy\.$"):
        tf.einsum("ij->ji", a, foo=1)


@pytest.mark.parametrize("equation, feeds, message", [
    ("ij,jk->ik", ((2, 3), (4, 5)), r"^Expected dimension 3 at axis 0 of the input shaped \[4,5\] but got dimension 4"),
    ("ii->i", ((2, 3),), r"^Expected dimension 2 at axis 1 of the input shaped \[2,3\] but got dimension 3"),
    ("ij,jk->ik", ((2, 1), (3, 5)), r"^Expected dimension 1 at axis 0 of the input shaped \[3,5\] but got dimension 3"),
    ("ijk,jk->ik", ((2, 3), (3, 5)), r"^Expected input 0 to have rank 3 but got: 2"),
    ("...ij,jk->ik", ((5, 2, 3), (3, 5)), r"^Output contains 1 broadcasting dimension\(s\) but no ellipsis \(\.\.\.\) "
                                          r"was found in the output subscripts\."),
    ("...j,...j->...", ((2, 5, 3), (4, 3)), r"^Invalid broadcasting dimensions: "),
])
def test_einsum_run_time_errors(equation, feeds, message, backend):
    tf.reset_default_graph()
    phs = [tf.placeholder(tf.float32) for _ in feeds]
    out = tf.einsum(equation, *phs)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            sess.run(out, {p: np.ones(s) for p, s in zip(phs, feeds)})


def test_einsum_types_without_a_kernel_fail_when_run(backend):
    """TF builds an Einsum of any type but registers kernels for numbers only (bool fails when run)."""
    tf.reset_default_graph()
    b = tf.placeholder(tf.bool, [2, 2])
    out = tf.einsum("ij,jk->ik", b, b)
    assert out.dtype == tf.bool and out.shape.as_list() == [2, 2]
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"^No OpKernel was registered to support Op 'Einsum' "
                                                                 r"with these attrs: \[T=DT_BOOL, "
                                                                 r'equation="ij,jk->ik", N=2\]'):
            sess.run(out, {b: np.ones((2, 2), bool)})


def test_tensordot_builds_tfs_graph():
    tf.reset_default_graph()
    c = tf.tensordot(tf.placeholder(tf.float32, [3, 4, 5]), tf.placeholder(tf.float32, [4, 3, 2]),
                     axes=[[1, 0], [0, 1]])
    assert c.name == "Tensordot/MatMul:0" and c.shape.as_list() == [5, 2]
    assert [(o.type, o.name) for o in tf.get_default_graph().get_operations()][2:] == [
        ("Const", "Tensordot/transpose/perm"), ("Transpose", "Tensordot/transpose"),
        ("Const", "Tensordot/Reshape/shape"), ("Reshape", "Tensordot/Reshape"),
        ("Const", "Tensordot/Reshape_1/shape"), ("Reshape", "Tensordot/Reshape_1"), ("MatMul", "Tensordot/MatMul")]
    tf.reset_default_graph()
    d = tf.tensordot(tf.placeholder(tf.float32, [None, 4, 5]), tf.placeholder(tf.float32, [5, 2]), 1)
    assert d.name == "Tensordot:0" and d.shape.as_list() == [None, 4, 2]
    assert [o.type for o in tf.get_default_graph().get_operations()][2:] == [
        "Const", "Const", "Shape", "Const", "GatherV2", "Const", "GatherV2", "Const", "Prod", "Const", "Prod",
        "Const", "ConcatV2", "Pack", "Transpose", "Reshape", "MatMul", "Const", "Const", "ConcatV2", "Reshape"]


def test_tensordot_errors():
    a, b = tf.placeholder(tf.float32, [2, 3]), tf.placeholder(tf.float32, [3, 2])
    with pytest.raises(ValueError, match=r"^`axes` must be at least 0\. Received: -1\.$"):
        tf.tensordot(a, b, -1)
    with pytest.raises(ValueError, match=r"^`axes` must not be larger than the number of dimensions of tensor "
                                         r"Tensor\(.*\)\.  Received 3, vs tensor dimensions 2\.$"):
        tf.tensordot(a, b, 3)
    with pytest.raises(ValueError, match=r"^`axes` must be an integer or have length 2\. Received \[1\]\.$"):
        tf.tensordot(a, b, [1])
    with pytest.raises(ValueError, match=r"^Different number of contraction axes `a` and `b`, 1 != 2\.$"):
        tf.tensordot(a, b, [[1], [0, 1]])
    with pytest.raises(ValueError, match=r"^Dimensions must be equal, but are 3 and 4 for 'Tensordot_\d*/?MatMul'"):
        tf.tensordot(a, tf.placeholder(tf.float32, [4, 2]), 1)


# =========================================================================== more elementwise math
_U = np.array([[-0.9, -0.3, 0.0], [0.2, 0.5, 0.95]], np.float32)   # inside (-1, 1)
_ABOVE_1 = np.array([[1.0, 1.5, 2.0], [3.0, 10.0, 1e4]], np.float32)
_GAMMA_X = np.array([[0.25, 0.5, 1.0, 1.5, 2.0, 3.7], [10.0, 100.0, -0.5, -1.5, -2.5, -10.3]], np.float32)


def _vec(f):
    return lambda x: np.vectorize(f, otypes=[np.float64])(np.asarray(x, np.float64))


_MORE_UNARY = [
    ("Asin", lambda tf: tf.asin, np.arcsin, _U, 1e-6),
    ("Acos", lambda tf: tf.acos, np.arccos, _U, 1e-6),
    ("Atan", lambda tf: tf.atan, np.arctan, X, 1e-6),
    ("Sinh", lambda tf: tf.sinh, np.sinh, X, 1e-6),
    ("Cosh", lambda tf: tf.math.cosh, np.cosh, X, 1e-6),
    ("Asinh", lambda tf: tf.asinh, np.arcsinh, X, 1e-6),
    ("Acosh", lambda tf: tf.math.acosh, np.arccosh, _ABOVE_1, 1e-6),
    ("Atanh", lambda tf: tf.atanh, np.arctanh, _U, 1e-6),
    ("Lgamma", lambda tf: tf.lgamma, _vec(math.lgamma), _GAMMA_X, 1e-6),
    ("Digamma", lambda tf: tf.math.digamma, None, _GAMMA_X, 1e-6),
    ("Erfc", lambda tf: tf.erfc, _vec(math.erfc), X, 1e-6),
]


# digamma's reference: d/dx lgamma by a central difference of math.lgamma in extended steps is too coarse;
# use the recurrence psi(x) = psi(x + n) - sum 1/(x + k) and the asymptotic series at x + n >= 40
def _digamma_ref(x):
    def one(v):
        if v < 0.5:
            return one(1 - v) - math.pi / math.tan(math.pi * v)
        acc = 0.0
        while v < 40:
            acc -= 1 / v
            v += 1
        return acc + math.log(v) - 1 / (2 * v) - 1 / (12 * v ** 2) + 1 / (120 * v ** 4) - 1 / (252 * v ** 6)
    return _vec(one)(x)


def _more_unary_rows():
    rows = []
    for op_type, fn, ref, x, rtol in _MORE_UNARY:
        ref = ref or _digamma_ref
        rows.append(Row(op_type, lambda tf, fn=fn, x=x: fn(tf)(tf.constant(x)),
                        lambda np, ref=ref, x=x: np.asarray(ref(x)).astype(np.float32), id=op_type + "-f32", rtol=rtol))
        x64 = x.astype(np.float64)
        rows.append(Row(op_type, lambda tf, fn=fn, x=x64: _unknown_apply(tf, fn(tf), x),
                        lambda np, ref=ref, x=x64: ref(x), id=op_type + "-f64-unknown-dims", rtol=1e-10, atol=1e-12))
    return rows


_XP = np.array([[0.0, 1.5, -2.0], [0.0, 0.5, 3.0]], np.float32)
_YP = np.array([0.0, 2.0, 0.5], np.float32)


def _xlogy_ref(x, y):
    with np.errstate(all="ignore"):
        return np.where(x == 0, 0, x * np.log(y)).astype(x.dtype)


def _xdivy_ref(x, y):
    with np.errstate(all="ignore"):
        return np.where(x == 0, 0, x / y).astype(x.dtype)


def _div_no_nan_ref(x, y):
    with np.errstate(all="ignore"):
        return np.where(y == 0, 0, x / y).astype(np.result_type(x, y))


CASES += _more_unary_rows() + [
    Row("Atan2", lambda tf: tf.atan2(tf.constant(X), tf.constant(Y)), lambda np: np.arctan2(X, Y), id="Atan2-f32"),
    Row("Atan2", lambda tf: tf.math.atan2(tf.constant([1.0, -1.0, 0.0]), -1.0),
        lambda np: np.arctan2([1.0, -1.0, 0.0], -1.0).astype(np.float32), id="Atan2-signs"),
    Row("Xlogy", lambda tf: tf.math.xlogy(tf.constant(_XP), tf.constant(_YP)),
        lambda np: _xlogy_ref(np.abs(_XP), _YP) * np.sign(_XP), id="Xlogy-zeros"),
    Row("Xlogy", lambda tf: tf.math.xlogy(0.0, np.nan), np.float32(0.0), id="Xlogy-zero-times-nan"),
    Row("Xdivy", lambda tf: tf.math.xdivy(tf.constant(_XP.astype(np.float64)), tf.constant(_YP.astype(np.float64))),
        lambda np: _xdivy_ref(_XP.astype(np.float64), _YP.astype(np.float64)), id="Xdivy-zeros"),
    Row("DivNoNan", lambda tf: tf.div_no_nan(tf.constant(_XP), tf.constant(_YP)),
        lambda np: _div_no_nan_ref(_XP, _YP), id="DivNoNan-zeros"),
    Row("DivNoNan", lambda tf: tf.math.divide_no_nan(tf.constant([3, 4]), tf.constant([0, 8])),
        np.array([0.0, 0.5]), id="DivNoNan-int32-to-float64", dtype=np.float64),
    Row("DivNoNan", lambda tf: tf.div_no_nan(np.nan, tf.constant(0.0)), np.float32(0.0), id="DivNoNan-nan-over-0"),
    Row("Polygamma", lambda tf: tf.polygamma(tf.constant([[0.0], [1.0], [2.0]]), tf.constant([0.5, 1.0, 4.0])),
        lambda np: np.array([_digamma_ref([0.5, 1.0, 4.0]),
                             [math.pi ** 2 / 2, math.pi ** 2 / 6, math.pi ** 2 / 6 - 1 - 1 / 4 - 1 / 9],
                             [-14 * 1.2020569031595942, -2 * 1.2020569031595942,
                              -2 * (1.2020569031595942 - 1 - 1 / 8 - 1 / 27)]], np.float32),
        id="Polygamma-broadcast", rtol=1e-5),
    Row("Polygamma", lambda tf: tf.math.polygamma(tf.constant([1.0, 1.0, 2.0, 0.5, -1.0]),
                                                  tf.constant([0.0, -1.5, -2.0, 2.0, 2.0], tf.float64)),
        np.array([np.inf, 9.379246624, np.nan, np.nan, np.nan]), id="Polygamma-poles-and-bad-orders", rtol=1e-9)
    if False else
    Row("Polygamma", lambda tf: tf.math.polygamma(tf.constant([1.0, 1.0, 2.0, 0.5, -1.0], tf.float64),
                                                  tf.constant([0.0, -1.5, -2.0, 2.0, 2.0], tf.float64)),
        np.array([np.inf, 9.3792466449891237, np.nan, np.nan, np.nan]), id="Polygamma-poles-and-bad-orders",
        rtol=1e-12),
    # an inf beside a small x must not cut the small one's series short (TF 2.21's values; found by fuzzing)
    Row("Polygamma", lambda tf: tf.math.polygamma(tf.constant([3.0, 3.0], tf.float64),
                                                  tf.constant([np.inf, -0.5], tf.float64)),
        np.array([0.0, 193.40909103400242]), id="Polygamma-inf-beside-small-x", rtol=1e-10),
    Row("Lgamma", lambda tf: tf.lgamma(tf.constant([0.0, -1.0, -2.0, np.inf, 1e10, 1e-8, -1e-8], tf.float64)),
        lambda np: np.array([np.inf, np.inf, np.inf, np.inf] + [math.lgamma(v) for v in (1e10, 1e-8, -1e-8)]),
        id="Lgamma-poles-and-extremes", rtol=1e-13),
    Row("Digamma", lambda tf: tf.digamma(tf.constant([0.0, -1.0, 1.0, 0.5], tf.float64)),
        np.array([np.nan, np.nan, -0.57721566490153286, -0.57721566490153286 - 2 * math.log(2)]),
        id="Digamma-poles-and-constants", rtol=1e-14),
    Row("Erfc", lambda tf: tf.erfc(tf.constant(np.linspace(-7, 27, 69))),
        lambda np: _vec(math.erfc)(np.linspace(-7, 27, 69)), id="Erfc-f64-tail", rtol=1e-13, atol=0),
]


def test_special_functions_match_the_standard_library_in_float64():
    """lgamma against math.lgamma over a wide range (negative non-integers too), to 1e-13 relative."""
    x = np.concatenate([np.linspace(-40.3, 40.3, 807), np.geomspace(1e-12, 1e12, 49), -np.geomspace(1e-12, 0.4, 13)])
    x = x[x != np.round(x)]
    tf.reset_default_graph()
    with tf.Session() as sess:
        got = sess.run(tf.lgamma(tf.constant(x)))
    want = _vec(math.lgamma)(x)
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-13)


def test_more_math_names_and_types():
    tf.reset_default_graph()
    x, y = tf.placeholder(tf.float32, [2, 3]), tf.placeholder(tf.float32, [3])
    assert tf.math.xdivy(x, y).name == "xdivy/Xdivy:0"  # TF's xdivy opens a name scope
    assert tf.math.xlogy(x, y).name == "Xlogy:0"
    assert tf.div_no_nan(x, y).name == "div_no_nan:0"
    assert tf.atan2(x, y).shape.as_list() == [2, 3]
    assert not hasattr(tf, "xlogy")  # tf.math only, as TF 1.x
    with pytest.raises(TypeError, match=r"^Value passed to parameter 'x' has DataType int32 not in list of allowed "
                                        r"values: float16, float32, float64, complex64, complex128$"):
        tf.asin(tf.constant([1, 2]))
    with pytest.raises(TypeError, match=r"^Value passed to parameter 'y' has DataType int32 not in list"):
        tf.atan2(tf.constant([1, 2]), tf.constant([1, 2]))
    with pytest.raises(TypeError, match=r"^Value passed to parameter 'a' has DataType int32 not in list of allowed "
                                        r"values: float32, float64$"):
        tf.polygamma(tf.constant([1, 2]), tf.constant([1, 2]))
    with pytest.raises(TypeError, match=r"^`x` and `y` must have the same dtype, got tf\.float32 != tf\.int32\.$"):
        tf.div_no_nan(tf.constant([1.0]), tf.constant([1]))


GRAD_CASES += [
    GradRow("Einsum", lambda tf, a, b: tf.einsum("ij,jk->ik", a, b), [(2, 3), (3, 4)], id="Einsum-matmul"),
    GradRow("Einsum", lambda tf, a, b: tf.einsum("bij,bjk->bik", a, b), [(2, 2, 3), (2, 3, 2)], unknown_dims=True,
            id="Einsum-batch-unknown"),
    GradRow("Einsum", lambda tf, a, b: tf.einsum("ij,jk->i", a, b), [(2, 3), (3, 4)], id="Einsum-binary-reduction"),
    GradRow("Einsum", lambda tf, a: tf.einsum("ijk->ki", a), [(2, 3, 4)], id="Einsum-unary-reduction"),
    GradRow("Einsum", lambda tf, a: tf.einsum("ij->ji", a), [(2, 3)], id="Einsum-transpose"),
    GradRow("Einsum", lambda tf, a: tf.einsum("ii->i", a), [(3, 3)], id="Einsum-diagonal"),
    GradRow("Einsum", lambda tf, a: tf.einsum("iij->j", a), [(2, 2, 3)], id="Einsum-trace-reduction"),
    GradRow("Einsum", lambda tf, a, b: tf.einsum("...ij,...jk->...ik", a, b), [(2, 1, 2, 3), (3, 3, 2)],
            id="Einsum-ellipsis-broadcast"),
    GradRow("Einsum", lambda tf, a, b: tf.einsum("...ij,jk->...ik", a, b), [(2, 2, 3), (3, 2)],
            id="Einsum-ellipsis-one-side", unknown_dims=True),
    GradRow("MatMul", lambda tf, a, b: tf.tensordot(a, b, [[1, 0], [0, 1]]), [(3, 2, 2), (2, 3, 2)],
            id="MatMul-tensordot"),
    GradRow("Asin", lambda tf, a: tf.asin(a), [(2, 3)], low=-0.8, high=0.8),
    GradRow("Acos", lambda tf, a: tf.acos(a), [(2, 3)], low=-0.8, high=0.8),
    GradRow("Atan", lambda tf, a: tf.atan(a), [(2, 3)], low=-3, high=3),
    GradRow("Sinh", lambda tf, a: tf.sinh(a), [(2, 3)]),
    GradRow("Cosh", lambda tf, a: tf.cosh(a), [(2, 3)]),
    GradRow("Asinh", lambda tf, a: tf.asinh(a), [(2, 3)], low=-3, high=3),
    GradRow("Acosh", lambda tf, a: tf.acosh(a), [(2, 3)], low=1.2, high=3),
    GradRow("Atanh", lambda tf, a: tf.atanh(a), [(2, 3)], low=-0.8, high=0.8),
    GradRow("Lgamma", lambda tf, a: tf.lgamma(a), [(2, 3)], low=-2.9, high=-2.1),
    GradRow("Lgamma", lambda tf, a: tf.lgamma(a), [(2, 3)], positive=True, id="Lgamma-positive"),
    GradRow("Digamma", lambda tf, a: tf.digamma(a), [(2, 3)], positive=True),
    GradRow("Erfc", lambda tf, a: tf.erfc(a), [(2, 3)], low=-2, high=2),
    GradRow("Atan2", lambda tf, a, b: tf.atan2(a, b), [(2, 3), (3,)]),
    GradRow("Xlogy", lambda tf, a, b: tf.math.xlogy(a, b), [(2, 3), (3,)], positive=True),
    GradRow("Xdivy", lambda tf, a, b: tf.math.xdivy(a, b), [(2, 3), (2, 1)], positive=True),
    GradRow("DivNoNan", lambda tf, a, b: tf.div_no_nan(a, b), [(2, 3), (3,)], positive=True),
    GradRow("Polygamma", lambda tf, n, x: tf.polygamma(n, x), [(2, 3), (2, 3)], wrt=[1],
            inputs=[np.array([[0.0, 1.0, 2.0], [3.0, 1.0, 0.0]]), np.array([[0.7, 1.3, 2.5], [4.0, -0.5, -1.5]])]),
]
test_grad_row = grad_rows_test(GRAD_CASES)
test_row = rows_test(CASES)


@pytest.mark.parametrize("reduce, want", [("reduce_sum", [552.0, 552.0]), ("reduce_mean", [184.0, 46.0]),
                                          ("reduce_max", [248.0, 68.0]), ("reduce_min", [120.0, 24.0])])
def test_reduction_gradient_of_an_input_of_unknown_rank(reduce, want):
    # the kept shape is computed in the graph (TF's reduced_shape): py_func outputs, for one, have no known rank
    tf.reset_default_graph()
    x, axes = tf.placeholder(tf.float32), tf.placeholder(tf.int32)
    y = getattr(tf, reduce)(x * x, axis=1)
    y_fed_axes = getattr(tf, reduce)(x * x, axis=axes)
    g, = tf.gradients(y, x)
    g_fed_axes, = tf.gradients(y_fed_axes, x)
    xv = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    with tf.Session() as sess:
        got = sess.run(g, {x: xv})
        got_fed = sess.run(g_fed_axes, {x: xv, axes: [1, -1]})
    assert got.shape == got_fed.shape == (2, 3, 4)
    assert [got.sum(), got_fed.sum()] == want


@pytest.mark.parametrize("shape", [None, (2, 3, 4)], ids=["unknown_rank", "known_shape"])
@pytest.mark.parametrize("axes, keepdims", [([1], False), ([-1, 0], True), ([2, -2], False)])
def test_reduce_prod_gradient_with_fed_axes_and_unknown_rank(axes, keepdims, shape):
    # the permutation that puts the reduced axes first is computed in the graph (TF's _ProdGrad); zeros are exact
    tf.reset_default_graph()
    x, a = tf.placeholder(tf.float64, shape), tf.placeholder(tf.int32, [None])
    g, = tf.gradients(tf.reduce_sum(tf.reduce_prod(x, axis=a, keepdims=keepdims) * [[[2.0]]]), x)
    xv = np.random.RandomState(0).uniform(0.5, 1.5, size=(2, 3, 4))
    xv[0, 0, 0] = xv[1, 2, 3] = 0.0
    with tf.Session() as sess:
        got = sess.run(g, {x: xv, a: axes})
    want = np.zeros_like(xv)
    red = {i % 3 for i in axes}
    for idx in np.ndindex(xv.shape):
        others = [j for j in np.ndindex(xv.shape) if j != idx and all(j[k] == idx[k] for k in range(3) if k not in red)]
        want[idx] = 2.0 * np.prod([xv[j] for j in others])
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_realdiv_of_integers_has_no_kernel_as_in_tensorflow():
    """TF registers RealDiv for floating and complex types: tf.realdiv on int32 builds, then fails at run time
    (tf.truediv and `/` cast integers first)."""
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"^No OpKernel was registered to support Op "
                                                                  r"'RealDiv' with these attrs: \[T=DT_INT32\]"):
            sess.run(tf.realdiv([-7, 7], [2, 2]))
        np.testing.assert_array_equal(sess.run(tf.constant([-7, 7]) / 2), [-3.5, 3.5])


def test_floor_div_is_the_generated_op_named_after_its_type():
    """TF 2.21: tf.floor_div is the generated FloorDiv (default name "FloorDiv"), tf.floordiv the Python wrapper
    ("floordiv"); names are made unique case-insensitively, so they count together."""
    names = [tf.floor_div(7, 2).name, tf.floordiv(7, 2).name, tf.floor_div(7, 2).name, tf.math.floordiv(7, 2).name]
    assert names == ["FloorDiv:0", "floordiv_1:0", "FloorDiv_2:0", "floordiv_3:0"]
    with tf.Session() as sess:
        assert sess.run(tf.floor_div(-7, 2)) == -4
