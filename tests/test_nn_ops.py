"""tf.nn's softmax family, Relu/ReluGrad and L2Loss, tf.losses and the clip ops: the op table (static
shape/dtype against the kernel, values against numpy), the gradient table (finite differences in
float64), numerical stability at logits of +-1e4, TF's error messages and TF 1.x's op names."""
import numpy as np
import pytest

import tfmini as tf
from gradcheck import GradRow, grad_rows_test
from optable import Row, rows_test
from tfmini.framework import errors
from tfmini.framework.op_def_library import make_op
from tfmini.ops import nn_ops

L = np.array([[0.3, 0.9, 0.1, -1.2], [2.0, -0.5, 0.0, 1.5], [-3.0, 0.25, 4.0, 0.0]], np.float32)  # [3, 4]
Y = np.array([[0.0, 1.0, 0.0, 0.0], [0.5, 0.0, 0.25, 0.25], [0.0, 0.0, 0.0, 1.0]], np.float32)
IDX = np.array([1, 0, 3], np.int32)
BIG = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, 1e4], [1e4, 1e4, -1e4]], np.float32)


BIG_L2 = np.full((1 << 22) + 7, 0.1, np.float32)


# =========================================================================== numpy references
def np_softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def np_log_softmax(x, axis=-1):
    s = x - x.max(axis=axis, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=axis, keepdims=True))


def np_xent(labels, logits, axis=-1):
    return -(labels * np_log_softmax(logits, axis)).sum(axis=axis)


def np_sparse_xent(idx, logits):
    lp = np_log_softmax(logits.reshape(-1, logits.shape[-1]))
    return -lp[np.arange(lp.shape[0]), idx.reshape(-1)].reshape(idx.shape)


def np_sigmoid_xent(z, x):
    return np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x)))


def fed(tf, value, shape, dtype=None):
    value = np.asarray(value)
    p = tf.placeholder(dtype or tf.as_dtype(value.dtype), shape)
    return p, {p: value}


def _fed_fn(tf, value, shape, fn):
    p, feed = fed(tf, value, shape)
    return fn(p), feed


def _xent_op(tf, logits, labels):
    """The raw SoftmaxCrossEntropyWithLogits op: [loss, backprop]."""
    return make_op("SoftmaxCrossEntropyWithLogits", [tf.convert_to_tensor(logits), tf.convert_to_tensor(labels)])


def _sparse_op(tf, logits, labels):
    return make_op("SparseSoftmaxCrossEntropyWithLogits",
                   [tf.convert_to_tensor(logits), tf.convert_to_tensor(labels)])


def _xent_unknown(tf):
    logits, f1 = fed(tf, L, [None, 4])
    labels, f2 = fed(tf, Y, [None, None])
    return tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits), {**f1, **f2}


def _sparse_unknown(tf):
    logits, f1 = fed(tf, L, [None, None])
    labels, f2 = fed(tf, IDX, [None])
    return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits), {**f1, **f2}


L3 = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 7.0
IDX3 = np.array([[0, 3, 1], [2, 2, 0]], np.int64)

CASES = [
    # ---- Softmax / LogSoftmax
    Row("Softmax", lambda tf: tf.nn.softmax(tf.constant(L)), np_softmax(L)),
    Row("Softmax", lambda tf: tf.nn.softmax(tf.constant(L, tf.float64), axis=0),
        np_softmax(L.astype(np.float64), 0), id="Softmax-axis0-float64"),
    Row("Softmax", lambda tf: tf.nn.softmax(tf.constant(L3), dim=1), np_softmax(L3, 1), id="Softmax-dim1-rank3"),
    Row("Softmax", lambda tf: _fed_fn(tf, L3, [None, 3, None], tf.nn.softmax), np_softmax(L3),
        id="Softmax-unknown-dims"),
    Row("Softmax", lambda tf: tf.nn.softmax(tf.constant(L[0])), np_softmax(L[0]), id="Softmax-vector"),
    Row("Softmax", lambda tf: tf.nn.softmax(tf.constant(BIG)), np_softmax(BIG.astype(np.float64)).astype(np.float32),
        id="Softmax-1e4"),
    Row("Softmax", lambda tf: tf.nn.softmax(tf.constant(L.astype(np.float16))), np_softmax(L).astype(np.float16),
        id="Softmax-float16", rtol=2e-3, atol=2e-3),
    Row("LogSoftmax", lambda tf: tf.nn.log_softmax(tf.constant(L)), np_log_softmax(L)),
    Row("LogSoftmax", lambda tf: tf.nn.log_softmax(tf.constant(L3), axis=-2), np_log_softmax(L3, -2),
        id="LogSoftmax-axis-2"),
    Row("LogSoftmax", lambda tf: tf.nn.log_softmax(tf.constant(BIG)), np_log_softmax(BIG.astype(np.float64)),
        id="LogSoftmax-1e4", rtol=1e-6, atol=1e-2),
    Row("LogSoftmax", lambda tf: _fed_fn(tf, L, None, tf.nn.log_softmax), np_log_softmax(L),
        id="LogSoftmax-unknown-rank"),
    # ---- SoftmaxCrossEntropyWithLogits
    Row("SoftmaxCrossEntropyWithLogits", lambda tf: tf.nn.softmax_cross_entropy_with_logits(
        labels=tf.constant(Y), logits=tf.constant(L)), np_xent(Y, L)),
    Row("SoftmaxCrossEntropyWithLogits", lambda tf: tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=tf.constant(Y.T), logits=tf.constant(L.T), axis=0), np_xent(Y, L), id="Xent-v2-axis0"),
    Row("SoftmaxCrossEntropyWithLogits", lambda tf: tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=tf.constant(np_softmax(L3 * 2)), logits=tf.constant(L3)), np_xent(np_softmax(L3 * 2), L3),
        id="Xent-rank3"),
    Row("SoftmaxCrossEntropyWithLogits", _xent_unknown, np_xent(Y, L), id="Xent-unknown-dims"),
    Row("SoftmaxCrossEntropyWithLogits", lambda tf: tf.nn.softmax_cross_entropy_with_logits(
        labels=tf.constant(Y[:, :3]), logits=tf.constant(BIG)),
        np_xent(Y[:, :3].astype(np.float64), BIG.astype(np.float64)), id="Xent-1e4", rtol=1e-6, atol=1e-2),
    Row("SoftmaxCrossEntropyWithLogits", lambda tf: _xent_op(tf, L, Y)[1], np_softmax(L) - Y,
        id="Xent-op-backprop"),
    Row("SoftmaxCrossEntropyWithLogits", lambda tf: _xent_op(tf, L, Y[:1])[0], np_xent(Y[:1], L),
        id="Xent-op-labels-broadcast"),
    Row("SoftmaxCrossEntropyWithLogits", lambda tf: _xent_op(tf, L[:1], Y)[1], np_softmax(L[:1]) - Y,
        id="Xent-op-logits-broadcast"),
    # ---- SparseSoftmaxCrossEntropyWithLogits
    Row("SparseSoftmaxCrossEntropyWithLogits", lambda tf: tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf.constant(IDX), logits=tf.constant(L)), np_sparse_xent(IDX, L)),
    Row("SparseSoftmaxCrossEntropyWithLogits", lambda tf: tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf.constant(IDX3), logits=tf.constant(L3.astype(np.float64))),
        np_sparse_xent(IDX3, L3.astype(np.float64)), id="Sparse-rank3-int64-float64"),
    Row("SparseSoftmaxCrossEntropyWithLogits", _sparse_unknown, np_sparse_xent(IDX, L), id="Sparse-unknown-dims"),
    Row("SparseSoftmaxCrossEntropyWithLogits", lambda tf: tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf.constant([0, 1, 2]), logits=tf.constant(BIG)),
        np_sparse_xent(np.array([0, 1, 2]), BIG.astype(np.float64)), id="Sparse-1e4", rtol=1e-6, atol=1e-2),
    Row("SparseSoftmaxCrossEntropyWithLogits", lambda tf: _sparse_op(tf, L, IDX)[1],
        np_softmax(L) - np.eye(4, dtype=np.float32)[IDX], id="Sparse-op-backprop"),
    # ---- Relu / ReluGrad / L2Loss (their gradients)
    Row("Relu", lambda tf: tf.nn.relu(tf.constant(L)), np.maximum(L, 0), id="Relu-nn"),
    Row("ReluGrad", lambda tf: nn_ops._relu_grad_op(tf.constant(Y), tf.constant(L)), np.where(L > 0, Y, 0)),
    Row("ReluGrad", lambda tf: _fed_fn(tf, L, [None, 4], lambda p: nn_ops._relu_grad_op(tf.ones_like(p), p)),
        (L > 0).astype(np.float32), id="ReluGrad-unknown-dims"),
    Row("ReluGrad", lambda tf: nn_ops._relu_grad_op(tf.constant([3, -2, 5]), tf.constant([1, 0, -4])),
        np.array([3, 0, 0], np.int32), id="ReluGrad-int32"),
    Row("L2Loss", lambda tf: tf.nn.l2_loss(tf.constant(L)), np.float32((L.astype(np.float64) ** 2).sum() / 2),
        id="L2Loss-nn", rtol=1e-6),
    # 4M entries plus a tail: one float32 dot sums them 0.3 % low; TF's sum, and tfmini's, is exact to float32
    Row("L2Loss", lambda tf: _fed_fn(tf, BIG_L2, [None], tf.nn.l2_loss), np.float32(0.005 * BIG_L2.size),
        id="L2Loss-4M", rtol=2e-6),
    Row("L2Loss", lambda tf: tf.nn.l2_loss(tf.constant(np.full(5000, 0.1, np.float16))), np.float16(25.0),
        id="L2Loss-f16", rtol=1e-3),
]

test_row = rows_test(CASES)


# =========================================================================== gradient table
def _sigmoid_xent(tf, z, x):
    return tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x)


GRAD_CASES = [
    GradRow("Softmax", lambda tf, x: tf.nn.softmax(x), [(3, 4)]),
    GradRow("Softmax", lambda tf, x: tf.nn.softmax(x, axis=0), [(3, 4)], id="Softmax-axis0"),
    GradRow("Softmax", lambda tf, x: tf.nn.softmax(x), [(2, 3, 4)], unknown_dims=True, id="Softmax-unknown-dims"),
    GradRow("LogSoftmax", lambda tf, x: tf.nn.log_softmax(x), [(3, 4)]),
    GradRow("LogSoftmax", lambda tf, x: tf.nn.log_softmax(x, axis=1), [(2, 3, 4)], id="LogSoftmax-axis1"),
    # labels are distributions (rows summing to 1): TF's gradient for the logits, softmax - labels, assumes so
    GradRow("SoftmaxCrossEntropyWithLogits",
            lambda tf, z, x: tf.nn.softmax_cross_entropy_with_logits_v2(labels=z, logits=x), [(3, 4), (3, 4)],
            inputs=[Y, L], id="Xent-v2-labels-and-logits"),
    GradRow("SoftmaxCrossEntropyWithLogits",
            lambda tf, x: tf.nn.softmax_cross_entropy_with_logits(labels=Y.astype(np.float64), logits=x), [(3, 4)],
            id="Xent-v1"),
    GradRow("SoftmaxCrossEntropyWithLogits",
            lambda tf, z, x: tf.nn.softmax_cross_entropy_with_logits_v2(labels=z, logits=x, axis=1),
            [(2, 3, 4), (2, 3, 4)], inputs=[np_softmax(L3 * 3, 1), L3], id="Xent-v2-axis1-rank3"),
    GradRow("SoftmaxCrossEntropyWithLogits",
            lambda tf, z, x: tf.nn.softmax_cross_entropy_with_logits_v2(labels=z, logits=x),
            [(3, 4), (3, 4)], inputs=[Y, L], unknown_dims=True, id="Xent-v2-unknown-dims"),
    GradRow("SoftmaxCrossEntropyWithLogits", lambda tf, x, z: _xent_op(tf, x, z)[0], [(3, 4), (1, 4)],
            inputs=[L, Y[1:2]], id="Xent-op-labels-broadcast"),
    GradRow("SoftmaxCrossEntropyWithLogits", lambda tf, x, z: _xent_op(tf, x, z)[0], [(1, 4), (3, 4)],
            inputs=[L[:1], Y], id="Xent-op-logits-broadcast"),
    # a gradient on the backprop output (second order): TF's rule gives the logits' part only
    GradRow("SoftmaxCrossEntropyWithLogits", lambda tf, x, z: _xent_op(tf, x, z)[1], [(3, 4), (3, 4)],
            wrt=[0], id="Xent-op-backprop-output"),
    GradRow("SparseSoftmaxCrossEntropyWithLogits",
            lambda tf, x: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=IDX, logits=x), [(3, 4)]),
    GradRow("SparseSoftmaxCrossEntropyWithLogits",
            lambda tf, x: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=IDX3, logits=x), [(2, 3, 4)],
            id="Sparse-rank3"),
    GradRow("SparseSoftmaxCrossEntropyWithLogits",
            lambda tf, x: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=IDX, logits=x), [(3, 4)],
            unknown_dims=True, id="Sparse-unknown-dims"),
    GradRow("Relu", lambda tf, x: tf.nn.relu(x), [(3, 4)]),
    GradRow("ReluGrad", lambda tf, g, x: nn_ops._relu_grad_op(g, x), [(3, 4), (3, 4)]),
    GradRow("ReluGrad", lambda tf, x: tf.gradients(tf.reduce_sum(tf.nn.relu(x) * x), x)[0], [(3, 4)],
            id="Relu-second-order"),
    GradRow("L2Loss", lambda tf, x: tf.nn.l2_loss(x), [(3, 4)]),
    GradRow("L2Loss", lambda tf, x: tf.nn.l2_loss(x) * 3.0, [(2, 3)], unknown_dims=True, id="L2Loss-unknown-dims"),
    # composites: their gradients come from the ops they are made of
    GradRow("Log1p", _sigmoid_xent, [(3, 4), (3, 4)], id="sigmoid_xent"),
    GradRow("L2Loss", lambda tf, a, b: tf.global_norm([a, b]), [(2, 3), (4,)], id="global_norm"),
    GradRow("Sqrt", lambda tf, x: tf.clip_by_norm(x, 0.5), [(3, 4)], id="clip_by_norm"),
    GradRow("Sqrt", lambda tf, x: tf.clip_by_norm(x, 0.5, axes=[1]), [(3, 4)], id="clip_by_norm-axes"),
    GradRow("Sqrt", lambda tf, a, b: tf.add_n([tf.reduce_sum(c) for c in tf.clip_by_global_norm([a, b], 0.5)[0]]),
            [(2, 3), (4,)], id="clip_by_global_norm"),
]

test_grad_row = grad_rows_test(GRAD_CASES)


# =========================================================================== numerical stability
def _finite(*arrays):
    return all(np.all(np.isfinite(a)) for a in arrays)


def test_softmax_family_is_finite_at_logits_of_1e4(sess):
    x = tf.constant(BIG)
    z = tf.constant(Y[:, :3])
    outs = {
        "softmax": tf.nn.softmax(x),
        "log_softmax": tf.nn.log_softmax(x),
        "xent_v1": tf.nn.softmax_cross_entropy_with_logits(labels=z, logits=x),
        "xent_v2": tf.nn.softmax_cross_entropy_with_logits_v2(labels=z, logits=x),
        "sparse": tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 1, 2], logits=x),
        "sigmoid": tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.constant(Y[:, :3]), logits=x),
    }
    values = sess.run(outs)
    assert _finite(*values.values())
    np.testing.assert_allclose(values["softmax"], [[1, 0, 0], [0, 0, 1], [0.5, 0.5, 0]])
    np.testing.assert_allclose(values["log_softmax"][0], [0, -2e4, -1e4])
    np.testing.assert_allclose(values["sparse"], [0.0, 2e4, 2e4 + np.log(2)], rtol=1e-6)
    np.testing.assert_allclose(values["sigmoid"], np_sigmoid_xent(Y[:, :3].astype(np.float64), BIG), rtol=1e-6)
    for name, y in outs.items():
        grads = tf.gradients(y, [x, z] if name == "xent_v2" else [x])
        assert _finite(*sess.run(grads)), name


def test_sigmoid_cross_entropy_matches_the_naive_formula_where_that_is_finite(sess):
    x = np.linspace(-5, 5, 11).astype(np.float32)
    z = np.linspace(0, 1, 11).astype(np.float32)
    got = sess.run(tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x))
    sig = 1 / (1 + np.exp(-x.astype(np.float64)))
    np.testing.assert_allclose(got, -z * np.log(sig) - (1 - z) * np.log(1 - sig), rtol=1e-5)


def test_softmax_of_an_empty_batch(sess):
    p = tf.placeholder(tf.float32, [None, 3])
    assert sess.run(tf.nn.softmax(p), {p: np.zeros((0, 3))}).shape == (0, 3)


# =========================================================================== the slide and the gradients TF gives
def test_slide_example_dense_equals_sparse(sess):
    logits = tf.constant([[0.3, 0.9, 0.1]])
    dense = tf.nn.softmax_cross_entropy_with_logits(labels=tf.constant([[0.0, 1.0, 0.0]]), logits=logits)
    sparse = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant([1]), logits=logits)
    d, s = sess.run([dense, sparse])
    np.testing.assert_allclose(d, [0.69221711], rtol=1e-6)
    np.testing.assert_allclose(s, [0.69221711], rtol=1e-6)
    assert dense.shape.as_list() == [1] and sparse.shape.as_list() == [1]


def test_v1_cross_entropy_stops_gradients_into_labels_and_v2_does_not():
    x = tf.constant(L)
    z = tf.constant(Y)
    assert tf.gradients(tf.nn.softmax_cross_entropy_with_logits(labels=z, logits=x), z) == [None]
    g = tf.gradients(tf.nn.softmax_cross_entropy_with_logits_v2(labels=z, logits=x), z)[0]
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(g), -np_log_softmax(L), rtol=1e-5)


def test_sparse_cross_entropy_gradient_is_softmax_minus_one_hot(sess):
    x = tf.constant(L)
    g = tf.gradients(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=IDX, logits=x), x)[0]
    np.testing.assert_allclose(sess.run(g), np_softmax(L) - np.eye(4)[IDX], rtol=1e-5, atol=1e-6)


def test_sparse_cross_entropy_has_no_second_derivative():
    x = tf.constant(L)
    g = tf.gradients(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=IDX, logits=x), x)[0]
    with pytest.raises(LookupError, match="no way to take the second derivative of "
                                          "sparse_softmax_cross_entropy_with_logits"):
        tf.gradients(g, x)


def test_relu_gradient_is_a_relu_grad_op():
    x = tf.constant(L)
    g = tf.gradients(tf.nn.relu(x), x)[0]
    assert g.op.type == "ReluGrad" and g.op.name == "gradients/Relu_grad/ReluGrad"


# =========================================================================== names
def test_tf1_op_names():
    logits = tf.constant(L)
    assert tf.nn.softmax(logits).name == "Softmax:0"
    assert tf.nn.softmax(logits, name="probs").name == "probs:0"
    assert tf.nn.softmax(logits, axis=0).name == "transpose_1:0"
    assert tf.nn.log_softmax(logits).name == "LogSoftmax:0"
    assert tf.nn.softmax_cross_entropy_with_logits(labels=Y, logits=logits).name == \
        "softmax_cross_entropy_with_logits_sg/Reshape_2:0"
    g = tf.get_default_graph()
    assert g.get_operation_by_name("softmax_cross_entropy_with_logits_sg/labels_stop_gradient").type == \
        "StopGradient"
    assert g.get_operation_by_name("softmax_cross_entropy_with_logits_sg").type == \
        "SoftmaxCrossEntropyWithLogits"
    assert tf.nn.softmax_cross_entropy_with_logits_v2(labels=Y, logits=logits).name == \
        "softmax_cross_entropy_with_logits/Reshape_2:0"
    assert tf.nn.sparse_softmax_cross_entropy_with_logits(labels=IDX, logits=logits).name == \
        "SparseSoftmaxCrossEntropyWithLogits/SparseSoftmaxCrossEntropyWithLogits:0"
    assert tf.nn.sparse_softmax_cross_entropy_with_logits(labels=IDX, logits=logits, name="xent").name == \
        "xent/xent:0"
    assert tf.nn.sigmoid_cross_entropy_with_logits(labels=Y, logits=logits).name == "logistic_loss:0"


# =========================================================================== errors
def test_softmax_errors():
    with pytest.raises(ValueError, match=r"Shape must be at least rank 1 but is rank 0 for 'Softmax' "
                                         r"\(op: 'Softmax'\) with input shapes: \[\]\."):
        tf.nn.softmax(tf.constant(1.0))
    with pytest.raises(TypeError, match="Value passed to parameter 'logits' has DataType int32 not in list of "
                                        "allowed values"):
        tf.nn.softmax(tf.constant([1, 2]))
    with pytest.raises(errors.InvalidArgumentError, match=r"Dimension \(2\) must be in the range \[-2, 2\) where 2 "
                                                          r"is the number of dimensions in the input\."):
        tf.nn.softmax(tf.constant(L), axis=2)
    with pytest.raises(ValueError, match="Cannot specify both 'dim' and 'axis'"):
        tf.nn.softmax(tf.constant(L), axis=0, dim=0)


def test_cross_entropy_wants_named_arguments():
    with pytest.raises(ValueError, match=r"Only call `softmax_cross_entropy_with_logits` with named arguments "
                                         r"\(labels=\.\.\., logits=\.\.\., \.\.\.\)"):
        tf.nn.softmax_cross_entropy_with_logits(Y, L)
    with pytest.raises(ValueError, match=r"Only call `sparse_softmax_cross_entropy_with_logits` with named"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(IDX, L)
    with pytest.raises(ValueError, match=r"Only call `sigmoid_cross_entropy_with_logits` with named"):
        tf.nn.sigmoid_cross_entropy_with_logits(Y, L)
    with pytest.raises(ValueError, match="Both labels and logits must be provided."):
        tf.nn.softmax_cross_entropy_with_logits(logits=L)


def test_dense_cross_entropy_shape_errors(sess):
    with pytest.raises(ValueError, match=r"Dimensions must be equal, but are 4 and 3 for "
                                         r"'softmax_cross_entropy_with_logits_sg' \(op: "
                                         r"'SoftmaxCrossEntropyWithLogits'\) with input shapes: \[3,4\], \[3,3\]\."):
        tf.nn.softmax_cross_entropy_with_logits(labels=Y[:, :3], logits=L)
    with pytest.raises(ValueError, match="Shape must be broadcasted with rank 2, but is rank 3"):
        _xent_op(tf, L3, L3)
    a = tf.placeholder(tf.float32, [None, None])
    b = tf.placeholder(tf.float32, [None, None])
    loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=b, logits=a)
    with pytest.raises(errors.InvalidArgumentError, match=r"logits and labels must be broadcastable: "
                                                          r"logits_size=\[3,4\] labels_size=\[3,3\]"):
        sess.run(loss, {a: L, b: Y[:, :3]})


def test_sparse_cross_entropy_build_time_errors():
    with pytest.raises(ValueError, match=r"Logits cannot be scalars - received shape \(\)\."):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant(1), logits=tf.constant(1.0))
    with pytest.raises(ValueError, match=r"Rank mismatch: Rank of labels \(received 2\) should equal rank of logits "
                                         r"minus 1 \(received 2\)\."):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[[1]], logits=L)
    with pytest.raises(ValueError, match=r"Shape mismatch: The shape of labels \(received \(2,\)\) should equal the "
                                         r"shape of logits except for the last dimension \(received \(3, 4\)\)\."):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[1, 2], logits=L)
    with pytest.raises(TypeError, match="Value passed to parameter 'labels' has DataType float32 not in list of "
                                        "allowed values: int32, int64"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[1.0, 2.0, 0.0], logits=L)
    with pytest.raises(ValueError, match=r"Shape must be rank 2 but is rank 3 for "
                                         r"'SparseSoftmaxCrossEntropyWithLogits(_\d+)?' \(op: "
                                         r"'SparseSoftmaxCrossEntropyWithLogits'\) with input shapes: "
                                         r"\[2,3,4\], \[3\]\."):
        _sparse_op(tf, L3, IDX)


@pytest.mark.usefixtures("on_cpu")
def test_sparse_cross_entropy_run_time_errors(sess):
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.placeholder(tf.int32, [None])
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=x)
    with pytest.raises(errors.InvalidArgumentError, match=r"Received a label value of 5 which is outside the valid "
                                                          r"range of \[0, 3\)\.  Label values: 1 5 2"):
        sess.run(loss, {x: np.zeros((3, 3)), y: [1, 5, 2]})
    with pytest.raises(errors.InvalidArgumentError, match=r"Received a label value of -1 which is outside the valid "
                                                          r"range of \[0, 3\)\.  Label values: -1 0"):
        sess.run(loss, {x: np.zeros((2, 3)), y: [-1, 0]})
    with pytest.raises(errors.InvalidArgumentError, match=r"logits and labels must have the same first dimension, "
                                                          r"got logits shape \[2,3\] and labels shape \[3\]"):
        sess.run(loss, {x: np.zeros((2, 3)), y: [0, 1, 2]})


def test_sparse_cross_entropy_checks_fed_ranks(backend):
    """Labels of unknown rank fed a column [n, 1] (a common slip) or a scalar: TF's kernel message, on every
    device (TF 2.21 compat.v1: "labels must be 1-D, but got shape [4,1]")."""
    x = tf.placeholder(tf.float32, [None, 10])
    y = tf.placeholder(tf.int64)
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=x)
    with tf.Session() as sess:
        for shape, text in (((4, 1), r"\[4,1\]"), ((), r"\[\]")):
            with pytest.raises(errors.InvalidArgumentError, match=r"^labels must be 1-D, but got shape " + text):
                sess.run(loss, {x: np.zeros((4, 10), np.float32), y: np.zeros(shape, np.int64)})


def test_sigmoid_cross_entropy_shape_mismatch():
    with pytest.raises(ValueError, match=r"logits and labels must have the same shape \(\(3, 4\) vs \(3, 3\)\)"):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=Y[:, :3], logits=L)


# =========================================================================== tf.losses
def test_losses_names_values_and_collection(sess):
    sce = tf.losses.softmax_cross_entropy(Y, L)
    mse = tf.losses.mean_squared_error([[1.0, 1.0]], [[3.0, 1.0]])
    sparse = tf.losses.sparse_softmax_cross_entropy(IDX, L)
    sig = tf.losses.sigmoid_cross_entropy(Y, L)
    assert sce.name == "softmax_cross_entropy_loss/value:0"
    assert mse.name == "mean_squared_error/value:0"
    assert sparse.name == "sparse_softmax_cross_entropy_loss/value:0"
    assert sig.name == "sigmoid_cross_entropy_loss/value:0"
    g = tf.get_default_graph()
    assert g.get_operation_by_name("softmax_cross_entropy_loss/xentropy").type == "SoftmaxCrossEntropyWithLogits"
    assert g.get_operation_by_name("sparse_softmax_cross_entropy_loss/xentropy/xentropy").type == \
        "SparseSoftmaxCrossEntropyWithLogits"
    assert all(t.shape.as_list() == [] and t.dtype == tf.float32 for t in (sce, mse, sparse, sig))
    assert tf.losses.get_losses() == [sce, mse, sparse, sig]
    assert tf.get_collection(tf.GraphKeys.LOSSES) == [sce, mse, sparse, sig]
    v = sess.run([sce, mse, sparse, sig])
    np.testing.assert_allclose(v, [np_xent(Y, L).mean(), 2.0, np_sparse_xent(IDX, L).mean(),
                                   np_sigmoid_xent(Y, L).mean()], rtol=1e-5)


def test_losses_other_functions(sess):
    lab = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]], np.float32)
    pred = np.array([[0.9, 0.2, 0.4], [0.3, 0.6, 0.05]], np.float32)
    err = pred - lab
    got = sess.run({
        "abs": tf.losses.absolute_difference(lab, pred),
        "log": tf.losses.log_loss(lab, pred),
        "hinge": tf.losses.hinge_loss(lab, pred),
        "huber": tf.losses.huber_loss(lab, pred * 4, delta=1.0),
        "cos": tf.losses.cosine_distance(lab, pred, axis=1),
        "pairwise": tf.losses.mean_pairwise_squared_error(lab, pred),
    })
    e4 = np.abs(pred * 4 - lab)
    diffs = err
    pair = [np.mean([(diffs[b, i] - diffs[b, j]) ** 2 for i in range(3) for j in range(3) if i < j]) for b in range(2)]
    want = {
        "abs": np.abs(err).mean(),
        "log": np.mean(-lab * np.log(pred + 1e-7) - (1 - lab) * np.log(1 - pred + 1e-7)),
        "hinge": np.maximum(0, 1 - (2 * lab - 1) * pred).mean(),
        "huber": np.where(e4 <= 1, 0.5 * e4 ** 2, e4 - 0.5).mean(),
        "cos": (1 - (lab * pred).sum(1)).mean(),
        "pairwise": np.sum(pair),
    }
    for k in want:
        np.testing.assert_allclose(got[k], want[k], rtol=1e-5, err_msg=k)
    assert len(tf.losses.get_losses()) == 6


def test_losses_reductions(sess):
    losses = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    w = tf.constant([[1.0], [0.0]])
    R = tf.losses.Reduction
    got = sess.run({r: tf.losses.compute_weighted_loss(losses, w, reduction=r) for r in
                    (R.NONE, R.SUM, R.MEAN, R.SUM_OVER_BATCH_SIZE, R.SUM_BY_NONZERO_WEIGHTS)})
    np.testing.assert_allclose(got[R.NONE], [[1, 2, 3], [0, 0, 0]])
    assert got[R.SUM] == 6.0 and got[R.MEAN] == 2.0 and got[R.SUM_OVER_BATCH_SIZE] == 1.0
    assert got[R.SUM_BY_NONZERO_WEIGHTS] == 2.0
    assert R.SUM_OVER_NONZERO_WEIGHTS == R.SUM_BY_NONZERO_WEIGHTS == "weighted_sum_by_nonzero_weights"
    zero = tf.losses.compute_weighted_loss(losses, 0.0)
    assert sess.run(zero) == 0.0  # nothing present: 0, not NaN
    assert sess.run(tf.gradients(zero, losses)[0]).tolist() == [[0.0] * 3] * 2
    with pytest.raises(ValueError, match="Invalid Reduction Key weighted_average."):
        tf.losses.compute_weighted_loss(losses, reduction="weighted_average")


def test_losses_weights_and_smoothing(sess):
    w = [2.0, 0.0, 1.0]
    sce = tf.losses.softmax_cross_entropy(Y, L, weights=w)
    np.testing.assert_allclose(sess.run(sce), (np_xent(Y, L) * w).sum() / 2, rtol=1e-5)
    smooth = tf.losses.softmax_cross_entropy(Y, L, label_smoothing=0.1)
    np.testing.assert_allclose(sess.run(smooth), np_xent(Y * 0.9 + 0.1 / 4, L).mean(), rtol=1e-5)
    sig = tf.losses.sigmoid_cross_entropy(Y, L, label_smoothing=0.2)
    np.testing.assert_allclose(sess.run(sig), np_sigmoid_xent(Y * 0.8 + 0.1, L).mean(), rtol=1e-5)
    # labels [batch, 1] and weights [batch, 1] are squeezed to the loss's [batch]
    sparse = tf.losses.sparse_softmax_cross_entropy(IDX[:, None], L, weights=[[1.0], [1.0], [0.0]])
    np.testing.assert_allclose(sess.run(sparse), np_sparse_xent(IDX, L)[:2].mean(), rtol=1e-5)
    # the labels of softmax_cross_entropy get no gradient
    z = tf.constant(Y)
    assert tf.gradients(tf.losses.softmax_cross_entropy(z, L), z) == [None]


def test_losses_gradients(sess):
    """tf.losses compute in float32 (too coarse for the float64 finite differences of GRAD_CASES): check
    their gradients against the closed forms instead."""
    x = tf.constant(L)
    w = np.array([1.0, 0.0, 2.0], np.float32)
    g_sce, g_sparse, g_mse = sess.run([
        tf.gradients(tf.losses.softmax_cross_entropy(Y, x, weights=w), x)[0],
        tf.gradients(tf.losses.sparse_softmax_cross_entropy(IDX, x, weights=w[:, None]), x)[0],
        tf.gradients(tf.losses.mean_squared_error(Y, x), x)[0]])
    np.testing.assert_allclose(g_sce, (np_softmax(L) - Y) * w[:, None] / 2, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(g_sparse, (np_softmax(L) - np.eye(4)[IDX]) * w[:, None] / 2, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(g_mse, 2 * (L - Y) / L.size, rtol=1e-5, atol=1e-7)


def test_losses_errors():
    with pytest.raises(ValueError, match="labels must not be None."):
        tf.losses.mean_squared_error(None, [1.0])
    with pytest.raises(ValueError, match="onehot_labels must not be None."):
        tf.losses.softmax_cross_entropy(None, L)
    with pytest.raises(ValueError, match="You must specify 'axis'."):
        tf.losses.cosine_distance(Y, L)
    with pytest.raises(ValueError, match=r"Shapes \(3, 4\) and \(3, 3\) are incompatible"):
        tf.losses.mean_squared_error(Y[:, :3], L)
    with pytest.raises(ValueError, match=r"weights can not be broadcast to values. values.rank=2. weights.rank=1. "
                                         r"values.shape=\(3, 4\). weights.shape=\(4,\)."):
        tf.losses.mean_squared_error(Y, L, weights=[1.0, 1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match=r"weights can not be broadcast to values. Mismatch at dim 1."):
        tf.losses.mean_squared_error(Y, L, weights=[[1.0, 1.0]])


def test_total_loss_adds_regularization_losses(sess):
    a = tf.losses.mean_squared_error([[1.0, 1.0]], [[3.0, 1.0]])
    reg = tf.constant(0.5, name="reg")
    tf.add_to_collection(tf.GraphKeys.REGULARIZATION_LOSSES, reg)
    extra = tf.constant(10.0)
    tf.losses.add_loss(extra)
    total = tf.losses.get_total_loss()
    assert total.name == "total_loss:0" and total.op.type == "AddN"
    assert sess.run(total) == 12.5
    assert sess.run(tf.losses.get_total_loss(add_regularization_losses=False, name="t2")) == 12.0
    assert tf.losses.get_losses() == [a, extra]
    tf.losses.add_loss(tf.constant(1.0), loss_collection=None)  # no collection: not added
    assert len(tf.losses.get_losses()) == 2
    assert tf.losses.mean_squared_error([1.0], [2.0], loss_collection="mine") in tf.get_collection("mine")
    assert len(tf.losses.get_losses()) == 2


def test_total_loss_without_losses():
    with pytest.raises(ValueError, match="inputs must be a list of at least one"):
        tf.losses.get_total_loss()


# =========================================================================== clip ops
def test_clip_by_norm(sess):
    t = tf.constant([[3.0, 4.0], [0.3, 0.4]])
    np.testing.assert_allclose(sess.run(tf.clip_by_norm(t, 1.0)), np.array([[3, 4], [0.3, 0.4]]) / np.sqrt(25.25),
                               rtol=1e-6)
    np.testing.assert_allclose(sess.run(tf.clip_by_norm(t, 1.0, axes=[1])), [[0.6, 0.8], [0.3, 0.4]], rtol=1e-6)
    assert tf.clip_by_norm(t, 1.0, name="c").name == "c:0"
    z = tf.zeros([2, 2])
    clipped = tf.clip_by_norm(z, 1.0)
    value, grad = sess.run([clipped, tf.gradients(clipped, z)[0]])
    assert not value.any() and np.all(np.isfinite(grad))
    with pytest.raises(ValueError):
        tf.clip_by_norm(tf.constant([1.0, 2.0]), [[1.0], [2.0]])  # broadcasting t to [2, 2] is refused


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # inf - inf, on purpose
def test_global_norm_and_clip_by_global_norm(sess):
    a, b = tf.constant([[3.0]]), tf.constant([4.0, 0.0])
    norm = tf.global_norm([a, None, b])
    assert norm.name == "global_norm/global_norm:0"
    assert sess.run(norm) == pytest.approx(5.0)
    clipped, gnorm = tf.clip_by_global_norm([a, None, b], 1.0)
    assert clipped[1] is None
    assert clipped[0].name == "clip_by_global_norm/clip_by_global_norm/_0:0"
    c0, c2, n = sess.run([clipped[0], clipped[2], gnorm])
    np.testing.assert_allclose(c0, [[0.6]], rtol=1e-6)
    np.testing.assert_allclose(c2, [0.8, 0.0], rtol=1e-6)
    assert n == pytest.approx(5.0)
    unclipped, _ = tf.clip_by_global_norm([a, b], 10.0)
    np.testing.assert_allclose(sess.run(unclipped[0]), [[3.0]], rtol=1e-6)
    nan, _ = tf.clip_by_global_norm([tf.constant([np.inf, 1.0])], 1.0)
    assert np.all(np.isnan(sess.run(nan[0])))
    used, n2 = tf.clip_by_global_norm([a], 1.0, use_norm=tf.constant(6.0))
    assert sess.run(used[0]) == pytest.approx(0.5) and sess.run(n2) == 6.0
    with pytest.raises(TypeError, match="t_list should be a sequence"):
        tf.global_norm(a)
    with pytest.raises(TypeError, match="t_list should be a sequence"):
        tf.clip_by_global_norm(a, 1.0)


def test_clip_by_average_norm(sess):
    t = tf.constant([[3.0, 4.0]])
    c = tf.clip_by_average_norm(t, 1.0)
    assert c.shape.as_list() == [1, 2]
    np.testing.assert_allclose(sess.run(c), [[1.2, 1.6]], rtol=1e-6)  # average norm 2.5 > 1: scaled by 1/2.5
    np.testing.assert_allclose(sess.run(tf.clip_by_average_norm(t, 5.0)), [[3.0, 4.0]], rtol=1e-6)


def test_clip_gradients_with_an_optimizer(sess):
    v = tf.Variable([3.0, 4.0])
    loss = tf.reduce_sum(v * v)
    opt = tf.train.GradientDescentOptimizer(0.1)
    grads, variables = zip(*opt.compute_gradients(loss, [v]))
    clipped, norm = tf.clip_by_global_norm(grads, 1.0)
    step = opt.apply_gradients(zip(clipped, variables))
    sess.run(tf.global_variables_initializer())
    sess.run(step)
    np.testing.assert_allclose(sess.run(v), [3.0 - 0.06, 4.0 - 0.08], rtol=1e-6)


@pytest.mark.parametrize("shape", [(64, 28, 28, 32), (3, 5), (2000,), (16384,), (16385,), (7, 3, 1031), (0, 3), ()])
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_relu_against_a_row_of_zeros_is_numpys_maximum(shape, dtype):
    """Relu compares contiguous arrays with a broadcast row of zeros (numpy's SIMD loop) instead of the scalar 0:
    the same values, NaN and infinities included, +0.0 for negatives, into a new array or in place."""
    x = np.array(np.random.RandomState(0).randn(*shape)).astype(dtype)
    if x.size:
        x.flat[::7], x.flat[1::11], x.flat[2::13], x.flat[3::17] = np.nan, -0.0, -np.inf, np.inf
    want = np.maximum(x, dtype(0))
    for got in (nn_ops._clipped_at_zero(np, x), nn_ops._clipped_at_zero(np, x.copy(), out=np.empty_like(x))):
        assert got.shape == want.shape and got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)
        assert (np.signbit(got) == np.signbit(want)).all()
    inplace = x.copy()
    assert nn_ops._clipped_at_zero(np, inplace, out=inplace) is inplace
    np.testing.assert_array_equal(inplace, want)
    strided = x[..., ::2] if x.ndim else x  # not contiguous: numpy's maximum as it is
    np.testing.assert_array_equal(nn_ops._clipped_at_zero(np, strided), np.maximum(strided, dtype(0)))


# =========================================================================== conv1d, atrous_conv2d, xw_plus_b
def _tf_extras():
    import json
    import pathlib
    return json.loads((pathlib.Path(__file__).parent / "data" / "tf_nn_extras.json").read_text())


_EXTRAS_OPS = {
    "conv1d_same_s2": lambda tf, a, b: tf.nn.conv1d(a, b, 2, "SAME"),
    "conv1d_valid_input": lambda tf, a, b: tf.nn.conv1d(input=a, filters=b, stride=1, padding="VALID"),
    "atrous_same_r2": lambda tf, a, b: tf.nn.atrous_conv2d(a, b, 2, "SAME"),
    "atrous_valid_r3": lambda tf, a, b: tf.nn.atrous_conv2d(a, b, 3, "VALID"),
    "xw_plus_b": lambda tf, a, b, c: tf.nn.xw_plus_b(a, b, c),
}
_EXTRAS_INPUTS = {"conv1d": ("x1", "f1"), "atrous": ("x2", "f2"), "xw_plus_b": ("xm", "wm", "bm"),
                  "relu_layer": ("xm", "wm", "bm")}


def check_against_tf(key, build, golden, names):
    """`build`'s value and gradients (of sum(y * w), w as the generator's) against TF 2.21's."""
    tf.reset_default_graph()
    values = [np.asarray(golden[n]) for n in names]
    phs = [tf.placeholder(tf.float64, v.shape) for v in values]
    y = build(tf, *phs)
    want = golden[key]
    w = np.linspace(0.5, 1.5, np.size(want["value"])).reshape(np.shape(want["value"]))
    grads = tf.gradients(tf.reduce_sum(y * tf.constant(w)), phs)
    with tf.Session() as sess:
        got = sess.run([y] + grads, dict(zip(phs, values)))
    np.testing.assert_allclose(got[0], want["value"], rtol=1e-12, atol=1e-12)
    for g, wg in zip(got[1:], want["grads"]):
        np.testing.assert_allclose(g, wg, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("key", sorted(_EXTRAS_OPS))
def test_conv1d_atrous_xw_plus_b_match_tf(key, backend):
    names = next(v for k, v in _EXTRAS_INPUTS.items() if key.startswith(k))
    check_against_tf(key, _EXTRAS_OPS[key], _tf_extras(), names)


def test_conv1d_and_atrous_graphs_as_tf():
    tf.reset_default_graph()
    v, f = tf.placeholder(tf.float32, [2, 10, 3]), tf.placeholder(tf.float32, [3, 3, 5])
    r = tf.nn.conv1d(v, f, 2, "SAME")
    assert r.name == "conv1d/Squeeze:0" and r.shape.as_list() == [2, 5, 5]
    assert [(o.type, o.name) for o in tf.get_default_graph().get_operations()][2:] == [
        ("Const", "conv1d/ExpandDims/dim"), ("ExpandDims", "conv1d/ExpandDims"), ("Const", "conv1d/ExpandDims_1/dim"),
        ("ExpandDims", "conv1d/ExpandDims_1"), ("Conv2D", "conv1d"), ("Squeeze", "conv1d/Squeeze")]
    assert r.op.inputs[0].op.get_attr("strides") == [1, 1, 2, 1]
    d = tf.nn.conv1d(value=v, filters=f, stride=1, padding="VALID", dilations=2)
    assert d.shape.as_list() == [2, 6, 5] and d.op.inputs[0].op.get_attr("dilations") == [1, 1, 2, 1]
    im, fl = tf.placeholder(tf.float32, [2, 9, 8, 3]), tf.placeholder(tf.float32, [3, 2, 3, 4])
    a1 = tf.nn.atrous_conv2d(im, fl, 1, "VALID")
    assert a1.op.type == "Conv2D" and a1.name == "convolution:0" and a1.shape.as_list() == [2, 7, 7, 4]
    n = len(tf.get_default_graph().get_operations())
    a2 = tf.nn.atrous_conv2d(im, fl, 2, "SAME")
    assert a2.name == "convolution_1/BatchToSpaceND:0" and a2.shape.as_list() == [2, 9, 8, 4]
    assert [(o.type, o.name) for o in tf.get_default_graph().get_operations()][n:] == [
        ("Const", "convolution_1/SpaceToBatchND/block_shape"), ("Const", "convolution_1/SpaceToBatchND/paddings"),
        ("SpaceToBatchND", "convolution_1/SpaceToBatchND"), ("Conv2D", "convolution_1"),
        ("Const", "convolution_1/BatchToSpaceND/block_shape"), ("Const", "convolution_1/BatchToSpaceND/crops"),
        ("BatchToSpaceND", "convolution_1/BatchToSpaceND")]
    from tfmini.ops.constant_op import constant_value
    # TF's paddings and crops (tf.compat.v1, graph mode) for rate 2 SAME and rate 3 VALID and SAME
    s2b = a2.op.inputs[0].op.inputs[0].op
    assert constant_value(s2b.inputs[2]).tolist() == [[2, 3], [1, 1]]
    assert constant_value(a2.op.inputs[2]).tolist() == [[0, 1], [0, 0]]
    for r, pad, pads, crops, shape in ((3, "VALID", [[0, 0], [0, 1]], [[0, 0], [0, 1]], [2, 3, 5, 4]),
                                       (3, "SAME", [[3, 3], [1, 3]], [[0, 0], [0, 1]], [2, 9, 8, 4])):
        a = tf.nn.atrous_conv2d(im, fl, r, pad)
        assert a.shape.as_list() == shape and a.op.inputs[0].op.get_attr("padding") == "VALID"
        assert constant_value(a.op.inputs[0].op.inputs[0].op.inputs[2]).tolist() == pads
        assert constant_value(a.op.inputs[2]).tolist() == crops
    # an unknown height or width: one Conv2D with dilations
    u = tf.nn.atrous_conv2d(tf.placeholder(tf.float32, [2, None, 8, 3]), fl, 2, "SAME")
    assert u.op.type == "Conv2D" and u.op.get_attr("dilations") == [1, 2, 2, 1] and u.shape.as_list() == [2, None, 8, 4]
    # SAME with rate > 1 needs the filter's whole static shape (TF 2.21 makes a tensor of it; found by fuzzing)
    with pytest.raises(ValueError, match=r"^Cannot convert a partially known TensorShape \(3, \?, 3, 4\) to a "
                                         r"Tensor\.$"):
        tf.nn.atrous_conv2d(im, tf.placeholder(tf.float32, [3, None, 3, 4]), 2, "SAME")
    assert tf.nn.atrous_conv2d(im, tf.placeholder(tf.float32, [3, None, 3, 4]), 2, "VALID").shape.ndims == 4
    x = tf.placeholder(tf.float32, [2, 3])
    xb = tf.nn.xw_plus_b(x, tf.ones([3, 4]), tf.zeros([4]))
    assert xb.name == "xw_plus_b:0" and xb.op.type == "BiasAdd" and xb.op.inputs[0].op.name == "xw_plus_b/MatMul"


def test_atrous_conv2d_with_unknown_height_matches_the_known_one(backend):
    rng = np.random.RandomState(5)
    x, f = rng.rand(2, 9, 8, 3), rng.rand(3, 2, 3, 4)
    tf.reset_default_graph()
    p = tf.placeholder(tf.float64, [None, None, None, 3])
    known = tf.nn.atrous_conv2d(tf.constant(x), tf.constant(f), 2, "SAME")
    unknown = tf.nn.atrous_conv2d(p, tf.constant(f), 2, "SAME")
    with tf.Session() as sess:
        a, b = sess.run([known, unknown], {p: x})
    np.testing.assert_allclose(a, b, rtol=1e-12)


def test_conv1d_dilation_against_numpy():
    """TF's CPU kernel refuses dilations > 1 (tfmini's computes them): a direct numpy sum is the reference."""
    rng = np.random.RandomState(3)
    x, f = rng.rand(2, 11, 3), rng.rand(3, 3, 4)
    want = np.stack([sum(x[:, i + 2 * k] @ f[k] for k in range(3)) for i in range(11 - 4)], 1)
    tf.reset_default_graph()
    with tf.Session() as sess:
        got = sess.run(tf.nn.conv1d(tf.constant(x), tf.constant(f), 1, "VALID", dilations=2))
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_conv1d_and_atrous_errors():
    v, f = tf.placeholder(tf.float32, [2, 10, 3]), tf.placeholder(tf.float32, [3, 3, 5])
    im, fl = tf.placeholder(tf.float32, [2, 9, 9, 3]), tf.placeholder(tf.float32, [3, 3, 3, 4])
    with pytest.raises(ValueError, match=r"^`data_format` must be 'NWC' or 'NCW'\. Received: data_format=NHW$"):
        tf.nn.conv1d(v, f, 1, "SAME", data_format="NHW")
    with pytest.raises(ValueError, match=r"^all values of `dilation_rate` must be positive\. Received: "
                                         r"dilation_rate=\[0 0\]$"):
        tf.nn.atrous_conv2d(im, fl, 0, "SAME")
    with pytest.raises(ValueError, match=r"^`padding` must be one of 'SAME' or 'VALID'\. Received: padding=FOO$"):
        tf.nn.atrous_conv2d(im, fl, 2, "FOO")
    with pytest.raises(ValueError, match=r"^Dimensions must be equal, but are 4 and 5 for 'xw_plus_b(_\d+)?' "
                                         r"\(op: 'BiasAdd'\)"):
        tf.nn.xw_plus_b(tf.placeholder(tf.float32, [2, 3]), tf.ones([3, 4]), tf.zeros([5]))
