"""Normalization and embeddings: tf.nn.moments and friends, batch_normalization, the FusedBatchNorm op
and its gradients, l2_normalize, embedding_lookup (with DynamicPartition/DynamicStitch), and
tf.contrib.layers.batch_norm (slim.batch_norm) with its moving averages; tf.layers' fused path."""
import json

import numpy as np
import pytest

import tfmini as tf
from conftest import SHARED
from gradcheck import GradRow, grad_rows_test
from optable import Row, rows_test
from tfmini.framework import errors
from tfmini.framework.op_def_library import make_op
from tfmini.ops import data_flow_ops

RNG = np.random.RandomState(7)
X4 = (RNG.randn(2, 3, 5, 4) * 2 + 1).astype(np.float32)        # NHWC, C = 4
X4N = np.ascontiguousarray(X4.transpose(0, 3, 1, 2))             # the same in NCHW
SC = np.array([1.0, 0.5, 2.0, -1.0], np.float32)
OF = np.array([0.1, -0.2, 0.0, 3.0], np.float32)
PM = np.array([0.5, 1.0, -1.0, 0.0], np.float32)                 # population statistics
PV = np.array([1.5, 0.5, 2.0, 4.0], np.float32)
DY = RNG.uniform(-1, 1, size=X4.shape).astype(np.float32)
DYN = np.ascontiguousarray(DY.transpose(0, 3, 1, 2))
EPS = 0.001


# =========================================================================== numpy references
def np_bn_train(x, scale, offset, eps=EPS, nchw=False):
    """y, batch mean, corrected variance, biased variance (NHWC or NCHW)."""
    axes = (0, 2, 3) if nchw else (0, 1, 2)
    shp = (1, -1, 1, 1) if nchw else (1, 1, 1, -1)
    x64 = x.astype(np.float64)
    m, v = x64.mean(axes), x64.var(axes)
    n = x.size // x.shape[1 if nchw else 3]
    y = (x64 - m.reshape(shp)) / np.sqrt(v.reshape(shp) + eps) * scale.reshape(shp) + offset.reshape(shp)
    return y, m, v * n / (n - 1), v


def np_bn_infer(x, scale, offset, mean, var, eps=EPS, nchw=False):
    shp = (1, -1, 1, 1) if nchw else (1, 1, 1, -1)
    return (x - mean.reshape(shp)) / np.sqrt(var.reshape(shp) + eps) * scale.reshape(shp) + offset.reshape(shp)


def np_bn_grad_train(dy, x, scale, eps=EPS, nchw=False):
    axes = (0, 2, 3) if nchw else (0, 1, 2)
    shp = (1, -1, 1, 1) if nchw else (1, 1, 1, -1)
    x, dy = x.astype(np.float64), dy.astype(np.float64)
    m, v = x.mean(axes, keepdims=True), x.var(axes, keepdims=True)
    inv = 1 / np.sqrt(v + eps)
    xhat = (x - m) * inv
    dscale = (dy * xhat).sum(axes)
    doffset = dy.sum(axes)
    dx = scale.reshape(shp) * inv * (dy - dy.mean(axes, keepdims=True) - xhat * (dy * xhat).mean(axes, keepdims=True))
    return dx, dscale, doffset


def fed(tf, value, shape, dtype=None):
    value = np.asarray(value)
    p = tf.placeholder(dtype or tf.as_dtype(value.dtype), shape)
    return p, {p: value}


# =========================================================================== raw ops (any float dtype)
def _fbn(tf, x, scale, offset, mean=None, var=None, data_format="NHWC", is_training=True, eps=EPS):
    """The FusedBatchNorm op itself (the wrapper allows only float32): its five outputs."""
    x, scale, offset = (tf.convert_to_tensor(t) for t in (x, scale, offset))
    u = scale.dtype.base_dtype
    mean = tf.constant([], u) if mean is None else tf.convert_to_tensor(mean)
    var = tf.constant([], u) if var is None else tf.convert_to_tensor(var)
    return make_op("FusedBatchNorm", [x, scale, offset, mean, var],
                   {"T": x.dtype.base_dtype, "U": u, "epsilon": eps, "data_format": data_format,
                    "is_training": is_training})


def _fbn_grad(tf, dy, x, scale, r1, r2, data_format="NHWC", is_training=True, eps=EPS):
    dy, x, scale, r1, r2 = (tf.convert_to_tensor(t) for t in (dy, x, scale, r1, r2))
    return make_op("FusedBatchNormGrad", [dy, x, scale, r1, r2],
                   {"T": dy.dtype.base_dtype, "U": scale.dtype.base_dtype, "epsilon": eps,
                    "data_format": data_format, "is_training": is_training})


def _fbn_grad_train(tf, dy, x, scale, data_format="NHWC", out=0):
    """FusedBatchNormGrad fed with the reserve spaces of a training FusedBatchNorm on `x`."""
    c = scale.shape.as_list()[0] if hasattr(scale, "shape") else len(scale)
    offset = tf.zeros([c], tf.convert_to_tensor(scale).dtype)
    fwd = _fbn(tf, x, scale, offset, data_format=data_format)
    return _fbn_grad(tf, dy, x, scale, fwd[3], fwd[4], data_format=data_format)[out]


def _all_grads(tf, outs):
    """dx, dscale and doffset as one vector (one GradRow checks all three)."""
    return tf.concat([tf.reshape(outs[0], [-1]), outs[1], outs[2]], 0)


def _unknown_fbn(tf):
    x, f = fed(tf, X4, [None, None, None, 4])
    return _fbn(tf, x, SC, OF)[0], f


def _unknown_channels_fbn(tf):
    x, f1 = fed(tf, X4N, [None, None, None, None])
    s, f2 = fed(tf, SC, [None])
    return _fbn(tf, x, s, OF, data_format="NCHW")[2], {**f1, **f2}


D = np.arange(12, dtype=np.float32).reshape(6, 2)
P = np.array([1, 0, 2, 0, 1, 1], np.int32)

_BG = np.random.RandomState(0)
BG_T, BG_M = _BG.randn(2, 2, 3, 3).astype(np.float32), _BG.randn(3).astype(np.float32)
BG_V, BG_B, BG_G = (_BG.rand(3) + 0.5).astype(np.float32), _BG.randn(3).astype(np.float32), \
    _BG.randn(3).astype(np.float32)


def _np_bn_global(scale):
    factor = 1 / np.sqrt(BG_V + np.float32(0.001)) * (BG_G if scale else 1)
    return (BG_T - BG_M) * factor + BG_B


CASES = [
    # ---- BatchNormWithGlobalNormalization (the legacy op of imported graphs): (t - m) * rsqrt(v + eps) [* g] + b
    Row("BatchNormWithGlobalNormalization", lambda tf: _bn_global(tf, BG_T, BG_M, BG_V, BG_B, BG_G),
        _np_bn_global(True), id="BatchNormWithGlobalNormalization-scaled", atol=1e-6),
    Row("BatchNormWithGlobalNormalization", lambda tf: _bn_global(tf, BG_T, BG_M, BG_V, BG_B, BG_G, scale=False),
        _np_bn_global(False), id="BatchNormWithGlobalNormalization-unscaled", atol=1e-6),
    # ---- FusedBatchNorm: training (y, corrected variance, reserve spaces), NHWC and NCHW
    Row("FusedBatchNorm", lambda tf: _fbn(tf, X4, SC, OF)[0], np_bn_train(X4, SC, OF)[0], atol=1e-5),
    Row("FusedBatchNorm", lambda tf: _fbn(tf, X4N, SC, OF, data_format="NCHW")[0],
        np_bn_train(X4N, SC, OF, nchw=True)[0], id="FusedBatchNorm-NCHW", atol=1e-5),
    Row("FusedBatchNorm", lambda tf: _fbn(tf, X4, SC, OF)[1], np_bn_train(X4, SC, OF)[1],
        id="FusedBatchNorm-batch-mean", atol=1e-5),
    Row("FusedBatchNorm", lambda tf: _fbn(tf, X4, SC, OF)[2], np_bn_train(X4, SC, OF)[2],
        id="FusedBatchNorm-batch-variance-corrected", rtol=1e-5),
    Row("FusedBatchNorm", lambda tf: _fbn(tf, X4N, SC, OF, data_format="NCHW")[4],
        np_bn_train(X4N, SC, OF, nchw=True)[3], id="FusedBatchNorm-NCHW-reserve-biased-variance", rtol=1e-5),
    Row("FusedBatchNorm", lambda tf: _fbn(tf, X4.astype(np.float64), SC.astype(np.float64),
                                          OF.astype(np.float64))[0],
        np_bn_train(X4, SC, OF)[0], id="FusedBatchNorm-float64-raw-op", rtol=1e-10),
    Row("FusedBatchNorm", _unknown_fbn, np_bn_train(X4, SC, OF)[0], id="FusedBatchNorm-unknown-dims", atol=1e-5),
    Row("FusedBatchNorm", _unknown_channels_fbn, np_bn_train(X4N, SC, OF, nchw=True)[2],
        id="FusedBatchNorm-unknown-channels-NCHW", rtol=1e-5),
    Row("FusedBatchNorm", lambda tf: _fbn(tf, X4[:1, :1, :1], SC, OF)[2], np.zeros(4, np.float32),
        id="FusedBatchNorm-one-row"),
    # ---- inference
    Row("FusedBatchNorm", lambda tf: _fbn(tf, X4, SC, OF, PM, PV, is_training=False)[0],
        np_bn_infer(X4, SC, OF, PM, PV), id="FusedBatchNorm-inference", atol=1e-5),
    Row("FusedBatchNorm", lambda tf: _fbn(tf, X4N, SC, OF, PM, PV, data_format="NCHW", is_training=False)[0],
        np_bn_infer(X4N, SC, OF, PM, PV, nchw=True), id="FusedBatchNorm-inference-NCHW", atol=1e-5),
    Row("FusedBatchNorm", lambda tf: _fbn(tf, X4, SC, OF, PM, PV, is_training=False)[2], PV,
        id="FusedBatchNorm-inference-variance-passes"),
    # ---- FusedBatchNormGrad
    Row("FusedBatchNormGrad", lambda tf: _fbn_grad_train(tf, DY, X4, tf.constant(SC)),
        np_bn_grad_train(DY, X4, SC)[0], atol=1e-5),
    Row("FusedBatchNormGrad", lambda tf: _fbn_grad_train(tf, DYN, X4N, tf.constant(SC), "NCHW", out=1),
        np_bn_grad_train(DYN, X4N, SC, nchw=True)[1], id="FusedBatchNormGrad-NCHW-dscale",
        atol=1e-5),
    Row("FusedBatchNormGrad", lambda tf: _fbn_grad_train(tf, DYN, X4N, tf.constant(SC), "NCHW", out=0),
        np_bn_grad_train(DYN, X4N, SC, nchw=True)[0], id="FusedBatchNormGrad-NCHW-dx",
        atol=1e-5),
    Row("FusedBatchNormGrad", lambda tf: _fbn_grad_train(tf, DY, X4, tf.constant(SC), out=2), DY.sum((0, 1, 2)),
        id="FusedBatchNormGrad-doffset", atol=1e-5),
    Row("FusedBatchNormGrad", lambda tf: _fbn_grad_train(tf, DY, X4, tf.constant(SC), out=3),
        np.zeros(0, np.float32), id="FusedBatchNormGrad-reserve-empty"),
    Row("FusedBatchNormGrad", lambda tf: _fbn_grad(tf, DY, X4, SC, PM, PV, is_training=False)[0],
        DY * SC / np.sqrt(PV + EPS), id="FusedBatchNormGrad-inference-dx", atol=1e-6),
    Row("FusedBatchNormGrad", lambda tf: _fbn_grad(tf, DY, X4, SC, PM, PV, is_training=False)[1],
        (DY * (X4 - PM) / np.sqrt(PV + EPS)).sum((0, 1, 2)), id="FusedBatchNormGrad-inference-dscale", atol=1e-5),
    Row("FusedBatchNormGrad", lambda tf: _fbn_grad(tf, DY, X4, SC, PM, PV, is_training=False)[4],
        np.zeros(4, np.float32), id="FusedBatchNormGrad-inference-reserve"),
    # ---- DynamicPartition / DynamicStitch / ParallelDynamicStitch
    Row("DynamicPartition", lambda tf: tf.dynamic_partition(D, P, 3)[1], D[P == 1]),
    Row("DynamicPartition", lambda tf: tf.dynamic_partition(D, P, 4)[3], np.zeros((0, 2), np.float32),
        id="DynamicPartition-empty"),
    Row("DynamicPartition", lambda tf: tf.dynamic_partition(D, (D % 2).astype(np.int32), 2)[0],
        D[D % 2 == 0], id="DynamicPartition-2d-partitions"),
    Row("DynamicPartition", lambda tf: (lambda p: (tf.dynamic_partition(p[0], P, 3)[2], p[1]))(fed(tf, D, None)),
        D[P == 2], id="DynamicPartition-unknown-rank"),
    Row("DynamicStitch", lambda tf: tf.dynamic_stitch([[0, 2], [[1], [3]]], [[[1., 2.], [5., 6.]], [[[3., 4.]],
                                                                                               [[7., 8.]]]]),
        np.array([[1., 2.], [3., 4.], [5., 6.], [7., 8.]], np.float32)),
    Row("DynamicStitch", lambda tf: tf.dynamic_stitch([[0, 1], [1]], [[10, 20], [30]]), np.array([10, 30], np.int32),
        id="DynamicStitch-later-wins"),
    Row("DynamicStitch", lambda tf: (lambda p: (tf.dynamic_stitch([p[0], [0]], [[7., 8.], [9.]]), p[1]))(
        fed(tf, np.array([2, 1], np.int32), [None])), np.array([9., 8., 7.], np.float32),
        id="DynamicStitch-unknown-indices"),
    Row("ParallelDynamicStitch", lambda tf: tf.nn.embedding_lookup([tf.constant(D[0::2]), tf.constant(D[1::2])],
                                                                   [[5, 0], [2, 3]]),
        D[[[5, 0], [2, 3]]], id="ParallelDynamicStitch-embedding-mod"),
    # ---- composites (moments, batch_normalization, l2_normalize)
    Row("SquaredDifference", lambda tf: tf.nn.moments(tf.constant(X4), [0, 1, 2])[1],
        X4.astype(np.float64).var((0, 1, 2)), id="moments-variance", rtol=1e-5),
    Row("Rsqrt", lambda tf: tf.nn.batch_normalization(tf.constant(X4), PM, PV, OF, SC, EPS),
        np_bn_infer(X4, SC, OF, PM, PV), id="batch_normalization", atol=1e-5),
    Row("Rsqrt", lambda tf: tf.nn.l2_normalize(tf.constant(D), 1),
        D / np.sqrt(np.maximum((D.astype(np.float64) ** 2).sum(1, keepdims=True), 1e-12)), id="l2_normalize"),
]

test_row = rows_test(CASES)


# =========================================================================== gradient table
def _fbn_row(tf, x, s, o, data_format="NHWC"):
    return _fbn(tf, x, s, o, data_format=data_format)[0]


def _fbn_inf_row(tf, x, s, o, m, v, data_format="NHWC"):
    return _fbn(tf, x, s, o, m, v, data_format=data_format, is_training=False)[0]


X64 = RNG.uniform(-1, 1, size=(2, 3, 2, 3))
S64, O64 = RNG.uniform(0.5, 1.5, size=3), RNG.uniform(-1, 1, size=3)
M64, V64 = RNG.uniform(-1, 1, size=3), RNG.uniform(0.5, 2, size=3)
DY64 = RNG.uniform(-1, 1, size=(2, 3, 2, 3))
X64N = np.ascontiguousarray(X64.transpose(0, 3, 1, 2))
DY64N = np.ascontiguousarray(DY64.transpose(0, 3, 1, 2))

def _bn_global(tf, t, m, v, b, g, scale=True):
    """The BatchNormWithGlobalNormalization op itself (only GraphDefs from before TF 0.9 hold it)."""
    args = [tf.convert_to_tensor(a) for a in (t, m, v, b, g)]
    return make_op("BatchNormWithGlobalNormalization", args, {"T": args[0].dtype.base_dtype, "variance_epsilon": 0.001,
                                                              "scale_after_normalization": scale})


GRAD_CASES = [
    GradRow("BatchNormWithGlobalNormalization", _bn_global, None, inputs=[X64, M64, V64, O64, S64],
            id="BatchNormWithGlobalNormalization-scaled"),
    GradRow("BatchNormWithGlobalNormalization", lambda tf, *a: _bn_global(tf, *a, scale=False), None,
            inputs=[X64, M64, V64, O64, S64], wrt=[0, 1, 2, 3], id="BatchNormWithGlobalNormalization-unscaled"),
    GradRow("FusedBatchNorm", _fbn_row, None, inputs=[X64, S64, O64], id="FusedBatchNorm-NHWC-training"),
    GradRow("FusedBatchNorm", lambda tf, x, s, o: _fbn_row(tf, x, s, o, "NCHW"), None, inputs=[X64N, S64, O64],
            id="FusedBatchNorm-NCHW-training"),
    GradRow("FusedBatchNorm", _fbn_row, None, inputs=[X64, S64, O64], unknown_dims=True,
            id="FusedBatchNorm-training-unknown-dims"),
    # inference: TF gives the mean and variance inputs no gradient
    GradRow("FusedBatchNorm", _fbn_inf_row, None, inputs=[X64, S64, O64, M64, V64], wrt=[0, 1, 2],
            id="FusedBatchNorm-NHWC-inference"),
    GradRow("FusedBatchNorm", lambda tf, *a: _fbn_inf_row(tf, *a, data_format="NCHW"), None,
            inputs=[X64N, S64, O64, M64, V64], wrt=[0, 1, 2], id="FusedBatchNorm-NCHW-inference"),
    # FusedBatchNormGrad (second order): all three outputs at once
    GradRow("FusedBatchNormGrad", lambda tf, dy, x, s: _all_grads(tf, [
        _fbn_grad_train(tf, dy, x, s, out=i) for i in range(3)]), None, inputs=[DY64, X64, S64],
        id="FusedBatchNormGrad-NHWC-training", rtol=1e-4, atol=1e-6),
    GradRow("FusedBatchNormGrad", lambda tf, dy, x, s: _all_grads(tf, [
        _fbn_grad_train(tf, dy, x, s, "NCHW", out=i) for i in range(3)]), None, inputs=[DY64N, X64N, S64],
        id="FusedBatchNormGrad-NCHW-training", rtol=1e-4, atol=1e-6),
    GradRow("FusedBatchNormGrad", lambda tf, dy, x, s, m, v: _all_grads(tf, _fbn_grad(
        tf, dy, x, s, m, v, is_training=False)), None, inputs=[DY64, X64, S64, M64, V64], wrt=[0, 1, 2],
        id="FusedBatchNormGrad-NHWC-inference"),
    GradRow("FusedBatchNormGrad", lambda tf, dy, x, s, m, v: _all_grads(tf, _fbn_grad(
        tf, dy, x, s, m, v, data_format="NCHW", is_training=False)), None, inputs=[DY64N, X64N, S64, M64, V64],
        wrt=[0, 1, 2], id="FusedBatchNormGrad-NCHW-inference"),
    # data flow
    GradRow("DynamicPartition", lambda tf, d: tf.concat(tf.dynamic_partition(d, [1, 0, 2, 0], 3), 0), [(4, 3)]),
    GradRow("DynamicPartition", lambda tf, d: tf.concat(tf.dynamic_partition(d, [[1, 0], [0, 1]], 2), 0),
            [(2, 2, 3)], id="DynamicPartition-2d-partitions"),
    GradRow("DynamicStitch", lambda tf, a, b: tf.dynamic_stitch([[3, 0], [1, 4, 2]], [a, b]), [(2, 3), (3, 3)]),
    GradRow("ParallelDynamicStitch", lambda tf, a, b: data_flow_ops.parallel_dynamic_stitch([[1], [0, 2]], [a, b]),
            [(1, 2), (2, 2)]),
    GradRow("ParallelDynamicStitch", lambda tf, a, b: tf.nn.embedding_lookup([a, b], [[4, 1], [0, 4]],
                                                                             partition_strategy="div"),
            [(3, 2), (2, 2)], id="embedding_lookup-div"),
    # composites
    GradRow("SquaredDifference", lambda tf, x: tf.concat(tf.nn.moments(x, [0, 2]), 0), [(3, 2, 4)],
            id="moments"),
    GradRow("Rsqrt", lambda tf, x, m, v, o, s: tf.nn.batch_normalization(x, m, v, o, s, 0.01),
            [(3, 4), (4,), (4,), (4,), (4,)], positive=True, id="batch_normalization"),
    GradRow("Rsqrt", lambda tf, x: tf.nn.l2_normalize(x, axis=[0, 1]), [(2, 3)], id="l2_normalize"),
    GradRow("GatherV2", lambda tf, p: tf.nn.embedding_lookup(p, [[2, 0], [2, 2]], max_norm=0.5), [(3, 2)],
            id="embedding_lookup-max_norm"),
]

test_grad_row = grad_rows_test(GRAD_CASES)


# =========================================================================== moments and friends
def test_moments_names_values_and_keep_dims(sess):
    x = tf.constant(X4)
    mean, var = tf.nn.moments(x, axes=[0, 1, 2])
    assert (mean.name, var.name) == ("moments/Squeeze:0", "moments/Squeeze_1:0")
    assert mean.shape.as_list() == [4] and var.shape.as_list() == [4]
    names = {op.name for op in tf.get_default_graph().get_operations()}
    assert {"moments/mean", "moments/variance", "moments/SquaredDifference", "moments/StopGradient"} <= names
    km, kv = tf.nn.moments(x, [0, 1, 2], keep_dims=True)
    assert (km.name, kv.name) == ("moments_1/mean:0", "moments_1/variance:0")
    assert km.shape.as_list() == [1, 1, 1, 4]
    m, v, kmv = sess.run([mean, var, km])
    np.testing.assert_allclose(m, X4.mean((0, 1, 2)), rtol=1e-5)
    np.testing.assert_allclose(v, X4.astype(np.float64).var((0, 1, 2)), rtol=1e-5)  # biased
    np.testing.assert_allclose(kmv.reshape(-1), m)
    km2, _ = tf.nn.moments(x, [1], keepdims=True)
    assert km2.shape.as_list() == [2, 1, 5, 4]
    with pytest.raises(ValueError, match="Cannot specify both 'keep_dims' and 'keepdims'"):
        tf.nn.moments(x, [0], keep_dims=True, keepdims=True)


def test_moments_float16_works_in_float32(sess):
    x = tf.constant(np.array([[60000., 60000.], [60002., 60004.]], np.float16))
    m, v = tf.nn.moments(x, [0])
    assert m.dtype == tf.float16 and v.dtype == tf.float16
    assert "moments/Cast" in {op.name for op in tf.get_default_graph().get_operations()}
    mv, vv = sess.run([m, v])
    assert np.isfinite(vv).all()
    np.testing.assert_allclose(mv.astype(np.float32), [60000., 60000.], rtol=1e-3)


def test_moments_unknown_dims(sess):
    x = tf.placeholder(tf.float32, [None, 3])
    m, v = tf.nn.moments(x, [0])
    assert m.shape.as_list() == [3]
    xv = RNG.randn(5, 3).astype(np.float32)
    np.testing.assert_allclose(sess.run(v, {x: xv}), xv.var(0), rtol=1e-5)


def test_sufficient_statistics_and_normalize_moments(sess):
    x = tf.constant(X4)
    counts, m_ss, v_ss, shift = tf.nn.sufficient_statistics(x, [0, 1, 2])
    assert shift is None and counts.op.type == "Const" and m_ss.name == "sufficient_statistics/mean_ss:0"
    mean, var = tf.nn.normalize_moments(counts, m_ss, v_ss, shift)
    assert mean.name == "normalize/mean:0" and var.name == "normalize/variance:0"
    c2, m2, v2, sh2 = tf.nn.sufficient_statistics(x, [0, 1, 2], shift=tf.constant(1.0), keepdims=True)
    assert m2.shape.as_list() == [1, 1, 1, 4]
    mean2, var2 = tf.nn.normalize_moments(c2, m2, v2, sh2)
    p = tf.placeholder(tf.float32, [None, 3, 5, 4])
    c3, m3, v3, _ = tf.nn.sufficient_statistics(p, [0, 1])
    assert c3.op.type == "Prod"
    mean3, var3 = tf.nn.normalize_moments(c3, m3, v3, None)
    got = sess.run([counts, mean, var, mean2, var2, mean3, var3], {p: X4})
    assert got[0] == 30
    x64 = X4.astype(np.float64)
    for m_, v_ in ((got[1], got[2]), (got[3].reshape(-1), got[4].reshape(-1))):
        np.testing.assert_allclose(m_, x64.mean((0, 1, 2)), rtol=1e-5)
        np.testing.assert_allclose(v_, x64.var((0, 1, 2)), rtol=1e-4)
    np.testing.assert_allclose(got[5], x64.mean((0, 1)), rtol=1e-5)
    np.testing.assert_allclose(got[6], x64.var((0, 1)), rtol=1e-4, atol=1e-5)


def test_weighted_moments(sess):
    xv = RNG.randn(5, 3).astype(np.float32)
    w = np.array([[1.], [2.], [0.], [3.], [1.]], np.float32)
    m, v = tf.nn.weighted_moments(tf.constant(xv), [0], tf.constant(w))
    assert m.shape.as_list() == [3]
    km, _ = tf.nn.weighted_moments(tf.constant(xv), [0], w, keep_dims=True)
    assert km.shape.as_list() == [1, 3]
    mv, vv = sess.run([m, v])
    ref_m = (w * xv).sum(0) / w.sum()
    np.testing.assert_allclose(mv, ref_m, rtol=1e-5)
    np.testing.assert_allclose(vv, (w * (xv - ref_m) ** 2).sum(0) / w.sum(), rtol=1e-5)
    ints = tf.nn.weighted_moments(tf.constant(xv), [0], tf.constant([[1], [1], [1], [1], [1]]))[0]
    np.testing.assert_allclose(sess.run(ints), xv.mean(0), rtol=1e-5)


# =========================================================================== batch_normalization
def test_batch_normalization_graph_and_none_offset_scale(sess):
    x = tf.constant(X4)
    y = tf.nn.batch_normalization(x, tf.constant(PM), tf.constant(PV), tf.constant(OF), tf.constant(SC), EPS)
    assert y.name == "batchnorm/add_1:0"
    types = [op.type for op in tf.get_default_graph().get_operations() if op.name.startswith("batchnorm/")]
    assert "Rsqrt" in types
    y2 = tf.nn.batch_normalization(x, PM, PV, None, None, EPS, name="bn")
    assert y2.name.startswith("bn/")
    a, b = sess.run([y, y2])
    np.testing.assert_allclose(a, np_bn_infer(X4, SC, OF, PM, PV), atol=1e-5)
    np.testing.assert_allclose(b, (X4 - PM) / np.sqrt(PV + EPS), atol=1e-5)


def test_batch_normalization_float16_input_float32_stats(sess):
    x = tf.constant(X4.astype(np.float16))
    y = tf.nn.batch_normalization(x, tf.constant(PM), tf.constant(PV), tf.constant(OF), tf.constant(SC), EPS)
    assert y.dtype == tf.float16
    np.testing.assert_allclose(sess.run(y).astype(np.float32), np_bn_infer(X4, SC, OF, PM, PV), atol=0.05)


# =========================================================================== fused_batch_norm
def test_fused_batch_norm_wrapper_outputs_and_values(sess):
    y, m, v = tf.nn.fused_batch_norm(tf.constant(X4), SC, OF)
    assert (y.name, m.name, v.name) == ("FusedBatchNorm:0", "FusedBatchNorm:1", "FusedBatchNorm:2")
    assert y.shape.as_list() == [2, 3, 5, 4] and m.shape.as_list() == [4] and v.dtype == tf.float32
    op = y.op
    assert op.get_attr("is_training") is True and op.get_attr("data_format") == "NHWC"
    assert op.inputs[3].op.type == "Const" and op.inputs[3].shape.as_list() == [0]
    yi, mi, vi = tf.nn.fused_batch_norm(tf.constant(X4N), SC, OF, mean=PM, variance=PV, data_format="NCHW",
                                        is_training=False, name="bn_inf")
    assert yi.op.name == "bn_inf"
    got = sess.run([y, m, v, yi, mi, vi])
    ref = np_bn_train(X4, SC, OF)
    np.testing.assert_allclose(got[0], ref[0], atol=1e-5)
    np.testing.assert_allclose(got[1], ref[1], atol=1e-6)
    np.testing.assert_allclose(got[2], ref[2], rtol=1e-5)  # n / (n - 1) corrected
    np.testing.assert_allclose(got[3], np_bn_infer(X4N, SC, OF, PM, PV, nchw=True), atol=1e-5)
    np.testing.assert_array_equal(got[4], PM)
    np.testing.assert_array_equal(got[5], PV)


def test_fused_batch_norm_epsilon_floor_and_float16(sess):
    y, _, _ = tf.nn.fused_batch_norm(tf.constant(X4), SC, OF, epsilon=0.0)
    assert y.op.get_attr("epsilon") == pytest.approx(1.001e-5)
    yh, mh, vh = tf.nn.fused_batch_norm(tf.constant(X4.astype(np.float16)), SC, OF)
    assert yh.dtype == tf.float16 and mh.dtype == tf.float32
    a, b = sess.run([y, yh])
    np.testing.assert_allclose(a, np_bn_train(X4, SC, OF, eps=1.001e-5)[0], atol=1e-4)
    np.testing.assert_allclose(b.astype(np.float32), a, atol=0.02)


def test_fused_batch_norm_build_errors():
    x = tf.constant(X4)
    with pytest.raises(ValueError, match="Both 'mean' and 'variance' must be None if is_training is True."):
        tf.nn.fused_batch_norm(x, SC, OF, mean=PM, variance=PV)
    with pytest.raises(ValueError, match=r"Shape must be rank 4 but is rank 3 for 'FusedBatchNorm' \(op: "
                                         r"'FusedBatchNorm'\) with input shapes: \[3,5,4\], \[4\], \[4\], \[0\], "
                                         r"\[0\]\."):
        tf.nn.fused_batch_norm(tf.constant(X4[0]), SC, OF)
    with pytest.raises(ValueError, match=r"Dimensions must be equal, but are 4 and 3 for 'FusedBatchNorm_1' \(op: "
                                         r"'FusedBatchNorm'\) with input shapes: \[2,3,5,4\], \[3\], \[4\]"):
        tf.nn.fused_batch_norm(x, SC[:3], OF)
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 4 and 0 for 'FusedBatchNorm_2'"):
        tf.nn.fused_batch_norm(x, SC, OF, is_training=False)
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 3 and 4"):
        tf.nn.fused_batch_norm(x, SC, OF, data_format="NCHW")
    with pytest.raises(TypeError, match="Value passed to parameter 'x' has DataType float64 not in list of allowed "
                                        "values: float32"):
        tf.nn.fused_batch_norm(tf.constant(X4.astype(np.float64)), SC, OF)
    with pytest.raises(TypeError, match="Input 'scale' of 'FusedBatchNorm' Op has type float64 that does not match "
                                        "type float32 of argument 'x'."):
        tf.nn.fused_batch_norm(x, tf.constant(SC.astype(np.float64)), OF)
    with pytest.raises(ValueError, match="Invalid data format: NWHC"):
        tf.nn.fused_batch_norm(x, SC, OF, data_format="NWHC")


def test_fused_batch_norm_run_errors(sess):
    x = tf.placeholder(tf.float32)
    s = tf.placeholder(tf.float32, [None])
    y, _, _ = tf.nn.fused_batch_norm(x, s, tf.zeros_like(s))
    with pytest.raises(errors.InvalidArgumentError, match=r"input must be 4-dimensional\[2,3\]"):
        sess.run(y, {x: np.zeros((2, 3), np.float32), s: SC})
    with pytest.raises(errors.InvalidArgumentError, match="scale must have the same number of elements as the "
                                                          "channels of x, got 3 and 4"):
        sess.run(y, {x: X4, s: SC[:3]})


def test_fused_batch_norm_empty_batch_gives_nan_statistics(sess):
    x = tf.placeholder(tf.float32, [None, 2, 2, 4])
    y, m, v = tf.nn.fused_batch_norm(x, SC, OF)
    yv, mv, vv = sess.run([y, m, v], {x: np.zeros((0, 2, 2, 4), np.float32)})
    assert yv.shape == (0, 2, 2, 4) and np.isnan(mv).all() and np.isnan(vv).all()


def test_fused_gradients_match_the_composite_on_a_batch():
    """The fused op's gradient rule against tf.gradients through nn.moments + nn.batch_normalization."""
    xv = (RNG.randn(16, 7, 6, 5) * 3 + 2).astype(np.float32)
    gv, bv = RNG.uniform(0.5, 2, 5).astype(np.float32), RNG.randn(5).astype(np.float32)
    wv = RNG.randn(16, 7, 6, 5).astype(np.float32)
    for nchw in (False, True):
        tf.reset_default_graph()
        w = tf.constant(wv)
        x = tf.constant(xv.transpose(0, 3, 1, 2) if nchw else xv)
        g, b = tf.constant(gv), tf.constant(bv)
        wt = tf.transpose(w, [0, 3, 1, 2]) if nchw else w
        y, _, _ = tf.nn.fused_batch_norm(x, g, b, data_format="NCHW" if nchw else "NHWC")
        axes = [0, 2, 3] if nchw else [0, 1, 2]
        m, v = tf.nn.moments(x, axes, keep_dims=True)
        shp = [1, 5, 1, 1] if nchw else [5]
        y2 = tf.nn.batch_normalization(x, m, v, tf.reshape(b, shp), tf.reshape(g, shp), EPS)
        ga = tf.gradients(tf.reduce_sum(y * wt), [x, g, b])
        gb = tf.gradients(tf.reduce_sum(y2 * wt), [x, g, b])
        assert any(op.type == "FusedBatchNormGrad" for op in tf.get_default_graph().get_operations())
        with tf.Session() as s:
            a_, b_ = s.run([ga, gb])
        for p, q in zip(a_, b_):
            np.testing.assert_allclose(p, q, rtol=1e-3, atol=1e-4)


def test_second_derivative_through_fused_batch_norm(sess):
    x = tf.constant(X4)
    y, _, _ = tf.nn.fused_batch_norm(x, SC, OF)
    dx = tf.gradients(tf.reduce_sum(y * y * y), x)[0]
    ddx = tf.gradients(tf.reduce_sum(dx * dx), x)[0]
    assert ddx is not None and ddx.shape.as_list() == [2, 3, 5, 4]
    assert np.isfinite(sess.run(ddx)).all()


# =========================================================================== l2_normalize
def test_l2_normalize(sess):
    y = tf.nn.l2_normalize([3., 4.], 0)
    assert y.name == "l2_normalize:0"
    z = tf.nn.l2_normalize(tf.zeros([2, 3]), dim=1)
    m = tf.nn.l2_normalize(tf.constant(D), axis=[0, 1])
    a, b, c = sess.run([y, z, m])
    np.testing.assert_allclose(a, [0.6, 0.8])
    np.testing.assert_array_equal(b, np.zeros((2, 3)))  # epsilon keeps 0 / 0 away
    np.testing.assert_allclose(c, D / np.sqrt((D.astype(np.float64) ** 2).sum()), rtol=1e-6)
    with pytest.raises(ValueError, match="Cannot specify both 'dim' and 'axis'"):
        tf.nn.l2_normalize([1.], axis=0, dim=0)


# =========================================================================== embedding_lookup
def test_embedding_lookup_single_table(sess):
    table = tf.Variable(np.arange(15, dtype=np.float32).reshape(5, 3), name="emb")
    ids = tf.placeholder(tf.int32, [None, 2])
    e = tf.nn.embedding_lookup(table, ids)
    assert e.name == "embedding_lookup/Identity:0" and e.shape.as_list() == [None, 2, 3]
    assert tf.get_default_graph().get_operation_by_name("embedding_lookup").type == "GatherV2"
    loss = tf.reduce_sum(e * e)
    g = tf.gradients(loss, table)[0]
    assert isinstance(g, tf.IndexedSlices)  # sparse, as TF's; densified here to compare
    g = tf.convert_to_tensor(g)
    sess.run(tf.global_variables_initializer())
    idv = np.array([[4, 0], [4, 1]], np.int32)
    ev, gv = sess.run([e, g], {ids: idv})
    tv = np.arange(15, dtype=np.float32).reshape(5, 3)
    np.testing.assert_array_equal(ev, tv[idv])
    want = np.zeros_like(tv)
    np.add.at(want, idv.reshape(-1), 2 * tv[idv.reshape(-1)])
    np.testing.assert_allclose(np.asarray(gv), want)
    with pytest.raises(errors.InvalidArgumentError, match=r"indices\[1,0\] = 7 is not in \[0, 5\)"):
        sess.run(e, {ids: [[0, 1], [7, 2]]})


@pytest.mark.parametrize("strategy", ["mod", "div"])
def test_embedding_lookup_partitioned(sess, strategy):
    full = np.arange(21, dtype=np.float32).reshape(7, 3)
    order = [np.arange(p, 7, 3) for p in range(3)] if strategy == "mod" else [np.arange(0, 3), np.arange(3, 5),
                                                                               np.arange(5, 7)]
    parts = [tf.Variable(full[o]) for o in order]
    idv = np.array([[6, 0, 3], [5, 5, 1]], np.int64)
    e = tf.nn.embedding_lookup(parts, tf.constant(idv), partition_strategy=strategy)
    assert e.shape.as_list() == [2, 3, 3]
    assert e.dtype == tf.float32
    types = {op.type for op in tf.get_default_graph().get_operations()}
    assert {"DynamicPartition", "ParallelDynamicStitch"} <= types
    grads = tf.gradients(tf.reduce_sum(e), parts)
    assert all(isinstance(g, tf.IndexedSlices) for g in grads)  # sparse, as TF's; densified here to compare
    grads = [tf.convert_to_tensor(g) for g in grads]
    sess.run(tf.global_variables_initializer())
    ev, gs = sess.run([e, grads])
    np.testing.assert_array_equal(ev, full[idv])
    counts = np.bincount(idv.reshape(-1), minlength=7)
    for o, gp in zip(order, gs):
        np.testing.assert_array_equal(np.asarray(gp), np.repeat(counts[o][:, None], 3, 1).astype(np.float32))


def test_embedding_lookup_partitioned_unknown_rows(sess):
    a = tf.placeholder(tf.float32, [None, 2])
    b = tf.placeholder(tf.float32, [None, 2])
    e = tf.nn.embedding_lookup([a, b], [1, 2, 3], partition_strategy="div")
    assert e.shape.as_list() == [3, 2]
    av, bv = np.array([[0., 0.], [1., 1.]], np.float32), np.array([[2., 2.], [3., 3.]], np.float32)
    np.testing.assert_array_equal(sess.run(e, {a: av, b: bv}), [[1., 1.], [2., 2.], [3., 3.]])


def test_embedding_lookup_max_norm(sess):
    table = tf.constant([[3., 4.], [0.3, 0.4]])
    e = tf.nn.embedding_lookup(table, [0, 1], max_norm=1.0)
    np.testing.assert_allclose(sess.run(e), [[0.6, 0.8], [0.3, 0.4]], rtol=1e-6)


def test_embedding_lookup_errors():
    with pytest.raises(ValueError, match="params must be specified"):
        tf.nn.embedding_lookup(None, [0])
    with pytest.raises(ValueError, match="Need at least one param"):
        tf.nn.embedding_lookup([], [0])
    with pytest.raises(ValueError, match="Unrecognized partition strategy: modulo"):
        tf.nn.embedding_lookup([tf.zeros([2, 2]), tf.zeros([2, 2])], [0], partition_strategy="modulo")


# =========================================================================== dynamic_partition / dynamic_stitch
def test_dynamic_partition_and_stitch_round_trip(sess):
    parts = tf.dynamic_partition(tf.constant(D), P, 3)
    assert len(parts) == 3 and all(p.shape.as_list() == [None, 2] for p in parts)
    idx = tf.dynamic_partition(tf.range(6), P, 3)
    back = tf.dynamic_stitch(idx, parts)
    assert back.shape.as_list() == [6, 2]  # TF's shape refiner computes the constant indices (dynamic_partition)
    const_back = tf.dynamic_stitch([[0, 2], [1]], [[1., 3.], [2.]])
    assert const_back.shape.as_list() == [3]
    np.testing.assert_array_equal(sess.run(back), D)
    one = tf.dynamic_partition(tf.constant([5, 6]), [0, 0], 1)
    assert isinstance(one, list) and len(one) == 1


def test_dynamic_partition_and_stitch_errors(sess):
    with pytest.raises(ValueError, match="Dimension 0 in both shapes must be equal, but are 6 and 5"):
        tf.dynamic_partition(tf.constant(D), [0, 1, 0, 1, 0], 2)
    with pytest.raises(TypeError, match="Input 'partitions' of 'DynamicPartition' Op has type int64 that does not "
                                        "match expected type of int32."):
        tf.dynamic_partition(tf.constant(D), tf.constant(P.astype(np.int64)), 3)
    with pytest.raises(ValueError, match="must be at least minimum 1"):
        tf.dynamic_partition(tf.constant(D), P, 0)
    p = tf.placeholder(tf.int32, [6])
    parts = tf.dynamic_partition(tf.constant(D), p, 2)
    with pytest.raises(errors.InvalidArgumentError, match=r"partitions\[2\] = 3 is not in \[0, 2\)"):
        sess.run(parts, {p: [0, 1, 3, 0, 1, 1]})
    with pytest.raises(ValueError, match="List argument 'data' to 'DynamicStitch' Op with length 1 must match "
                                         "length 2 of argument 'indices'."):
        tf.dynamic_stitch([[0], [1]], [[1.]])
    with pytest.raises(ValueError, match="Dimension 0 in both shapes must be equal, but are 1 and 2"):
        tf.dynamic_stitch([[0, 1]], [[1.]])
    i = tf.placeholder(tf.int32, [None])
    st = tf.dynamic_stitch([i], [tf.placeholder_with_default([1., 2.], [None])])
    with pytest.raises(errors.InvalidArgumentError, match=r"data\[0\].shape = \[2\] does not start with "
                                                          r"indices\[0\].shape = \[3\]"):
        sess.run(st, {i: [0, 1, 2]})
    with pytest.raises(errors.InvalidArgumentError, match=r"indices\[1\] is out of range"):
        sess.run(st, {i: [0, -1]})


# =========================================================================== tf.contrib.layers.batch_norm
GOLDEN = json.loads((SHARED / "conformance" / "public_golden.json").read_text())["cases"]


def _vals(obs):
    return np.array(obs["values"], dtype=obs["dtype"])


def test_slim_batch_norm_is_training_matches_tf():
    """The conformance case slim_batch_norm_is_training, with slim.batch_norm spelled
    tf.contrib.layers.batch_norm (the same function in TF)."""
    want = GOLDEN["slim_batch_norm_is_training"]["obs"]
    xv = np.array([[1., 2.], [3., 6.], [5., 1.], [7., 3.]], np.float32)
    x = tf.constant(xv)
    y_train = tf.contrib.layers.batch_norm(x, is_training=True, scope="bn")
    y_test = tf.contrib.layers.batch_norm(x, is_training=False, scope="bn", reuse=True)
    ups = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        a = sess.run(y_train)
        b = sess.run(y_test)
        sess.run(ups)
        mm, mv = sess.run([tf.get_default_graph().get_tensor_by_name("bn/moving_mean:0"),
                           tf.get_default_graph().get_tensor_by_name("bn/moving_variance:0")])
    assert [v.name for v in tf.global_variables()] == want["vars"]
    assert len(ups) == want["n_update_ops"]
    assert [u.op.name for u in ups] == ["bn/AssignMovingAvg", "bn/AssignMovingAvg_1"]
    for got, key in ((a, "train"), (b, "test"), (mm, "moving_mean_after_1"), (mv, "moving_variance_after_1")):
        assert got.dtype == np.float32 and list(got.shape) == want[key]["shape"]
        np.testing.assert_allclose(got, _vals(want[key]), rtol=1e-4, atol=1e-5, err_msg=key)
    assert y_train.shape.as_list() == [4, 2]


def test_lecture_batch_norm_slide_updates_in_place():
    """Slides 58-60: is_training placeholder, decay=0.9, updates_collections=None."""
    xv = (RNG.randn(8, 4, 4, 3) * 2 + 1).astype(np.float32)
    X = tf.placeholder(tf.float32, [None, 4, 4, 3])
    is_training = tf.placeholder(tf.bool)
    bn = tf.contrib.layers.batch_norm(X, is_training=is_training, decay=0.9, updates_collections=None)
    assert bn.shape.as_list() == [None, 4, 4, 3]
    assert tf.get_collection(tf.GraphKeys.UPDATE_OPS) == []
    assert [v.name for v in tf.global_variables()] == ["BatchNorm/beta:0", "BatchNorm/moving_mean:0",
                                                       "BatchNorm/moving_variance:0"]
    mm, mv = tf.get_default_graph().get_tensor_by_name("BatchNorm/moving_mean:0"), \
        tf.get_default_graph().get_tensor_by_name("BatchNorm/moving_variance:0")
    bm, bvar = xv.reshape(-1, 3).mean(0), xv.reshape(-1, 3).astype(np.float64).var(0)
    n = 8 * 4 * 4
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out_t = sess.run(bn, feed_dict={X: xv, is_training: True})
        m1, v1 = sess.run([mm, mv])
        out_f = sess.run(bn, feed_dict={X: xv, is_training: False})
        m2, v2 = sess.run([mm, mv])
        out_f2 = sess.run(bn, feed_dict={X: xv, is_training: False})
    np.testing.assert_allclose(m1, 0.1 * bm, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(v1, 0.9 + 0.1 * bvar * n / (n - 1), rtol=1e-5)
    np.testing.assert_array_equal(m2, m1)   # the is_training=False run moved nothing
    np.testing.assert_array_equal(v2, v1)
    np.testing.assert_allclose(out_t, (xv - bm) / np.sqrt(bvar + EPS), atol=1e-5)
    np.testing.assert_allclose(out_f, (xv - m1) / np.sqrt(v1 + EPS), atol=1e-5)
    np.testing.assert_array_equal(out_f2, out_f)


def test_batch_norm_python_bool_training_forces_updates_and_2d_reshape():
    xv = RNG.randn(6, 3).astype(np.float32)
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.contrib.layers.batch_norm(x, decay=0.5, updates_collections=None, scale=True)
    assert y.shape.as_list() == [None, 3]
    assert [v.name for v in tf.global_variables()] == ["BatchNorm/beta:0", "BatchNorm/gamma:0",
                                                       "BatchNorm/moving_mean:0", "BatchNorm/moving_variance:0"]
    assert [v.name for v in tf.trainable_variables()] == ["BatchNorm/beta:0", "BatchNorm/gamma:0"]
    assert len(tf.get_collection(tf.GraphKeys.MODEL_VARIABLES)) == 4
    mm = tf.get_default_graph().get_tensor_by_name("BatchNorm/moving_mean:0")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(y, {x: xv})
        sess.run(y, {x: xv})
        np.testing.assert_allclose(sess.run(mm), 0.75 * xv.mean(0), rtol=1e-5)


def test_batch_norm_default_scope_is_unique_and_reuse():
    x = tf.constant(X4)
    tf.contrib.layers.batch_norm(x)
    tf.contrib.layers.batch_norm(x, scale=True)
    names = [v.name for v in tf.global_variables()]
    # a 4-D input with UPDATE_OPS goes through the tf.layers class in TF, which builds gamma first
    assert names == ["BatchNorm/beta:0", "BatchNorm/moving_mean:0", "BatchNorm/moving_variance:0",
                     "BatchNorm_1/gamma:0", "BatchNorm_1/beta:0", "BatchNorm_1/moving_mean:0",
                     "BatchNorm_1/moving_variance:0"]
    assert len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) == 4
    with tf.variable_scope("net"):
        tf.contrib.layers.batch_norm(x, scope="bn")
    with tf.variable_scope("net", reuse=True):
        tf.contrib.layers.batch_norm(x, scope="bn", is_training=False)
    assert len(tf.global_variables()) == 10
    assert len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) == 6  # none for is_training=False


@pytest.mark.parametrize("data_format", ["NHWC", "NCHW"])
def test_batch_norm_4d_update_ops_use_corrected_variance(data_format):
    x = tf.constant(X4 if data_format == "NHWC" else X4N)
    y = tf.contrib.layers.batch_norm(x, decay=0.9, data_format=data_format, scale=True,
                                     param_initializers={"gamma": tf.constant_initializer(2.0)})
    ups = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert y.op.type == "FusedBatchNorm" and y.shape.as_list() == list(x.shape.as_list())
    ref = np_bn_train(X4, 2 * np.ones(4, np.float32), np.zeros(4, np.float32))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        yv = sess.run(y)
        sess.run(ups)
        mm, mv = sess.run(tf.get_collection(tf.GraphKeys.MODEL_VARIABLES)[2:])
    if data_format == "NCHW":
        yv = yv.transpose(0, 2, 3, 1)
    np.testing.assert_allclose(yv, ref[0], atol=1e-5)
    np.testing.assert_allclose(mm, 0.1 * ref[1], rtol=1e-5)
    np.testing.assert_allclose(mv, 0.9 + 0.1 * ref[2], rtol=1e-5)


def test_batch_norm_non_fused_paths_use_biased_variance():
    x3 = RNG.randn(4, 5, 3).astype(np.float32)
    y3 = tf.contrib.layers.batch_norm(tf.constant(x3), decay=0.0)   # 3-D: moments, update ops
    y4 = tf.contrib.layers.batch_norm(tf.constant(X4), decay=0.0, fused=False, updates_collections=None)
    assert not any(op.type == "FusedBatchNorm" for op in tf.get_default_graph().get_operations())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        a, b = sess.run([y3, y4])
        sess.run(tf.get_collection(tf.GraphKeys.UPDATE_OPS))
        mv3 = sess.run(tf.get_default_graph().get_tensor_by_name("BatchNorm/moving_variance:0"))
        mv4 = sess.run(tf.get_default_graph().get_tensor_by_name("BatchNorm_1/moving_variance:0"))
    np.testing.assert_allclose(a, (x3 - x3.mean((0, 1))) / np.sqrt(x3.var((0, 1)) + EPS), atol=1e-5)
    np.testing.assert_allclose(b, np_bn_train(X4, np.ones(4), np.zeros(4))[0], atol=1e-5)
    np.testing.assert_allclose(mv3, x3.astype(np.float64).var((0, 1)), rtol=1e-5)
    np.testing.assert_allclose(mv4, X4.astype(np.float64).var((0, 1, 2)), rtol=1e-5)


def test_batch_norm_nchw_non_fused_and_batch_weights():
    xv = RNG.randn(4, 3, 5).astype(np.float32)   # [N, C, W]
    y = tf.contrib.layers.batch_norm(tf.constant(xv), data_format="NCHW", is_training=True)
    w = np.array([1., 2., 1., 0.], np.float32)
    yw = tf.contrib.layers.batch_norm(tf.constant(xv[:, 0]), batch_weights=w, fused=False)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        a, b = sess.run([y, yw])
    m, v = xv.mean((0, 2), keepdims=True), xv.var((0, 2), keepdims=True)
    np.testing.assert_allclose(a, (xv - m) / np.sqrt(v + EPS), atol=1e-5)
    x0 = xv[:, 0]
    wm = (w[:, None] * x0).sum(0) / w.sum()
    wv = (w[:, None] * (x0 - wm) ** 2).sum(0) / w.sum()
    np.testing.assert_allclose(b, (x0 - wm) / np.sqrt(wv + EPS), atol=1e-5)


def test_batch_norm_zero_debias_moving_mean():
    xv = RNG.randn(5, 2).astype(np.float32) + 3
    y = tf.contrib.layers.batch_norm(tf.constant(xv), zero_debias_moving_mean=True, decay=0.9)
    names = [v.name for v in tf.global_variables()]
    assert "BatchNorm/BatchNorm/moving_mean/biased:0" in names
    assert "BatchNorm/BatchNorm/moving_mean/local_step:0" in names
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(y)
        sess.run(tf.get_collection(tf.GraphKeys.UPDATE_OPS))
        mm = sess.run(tf.get_default_graph().get_tensor_by_name("BatchNorm/moving_mean:0"))
    np.testing.assert_allclose(mm, xv.mean(0), rtol=1e-5)   # debiased: the first batch's mean itself


def test_batch_norm_zero_debias_with_training_placeholder():
    xv = RNG.randn(5, 2).astype(np.float32) + 3
    t = tf.placeholder(tf.bool, [])
    y = tf.contrib.layers.batch_norm(tf.constant(xv), zero_debias_moving_mean=True, decay=0.9, is_training=t,
                                     updates_collections=None)
    mm = tf.get_default_graph().get_tensor_by_name("BatchNorm/moving_mean:0")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(y, {t: False})
        np.testing.assert_array_equal(sess.run(mm), [0., 0.])
        sess.run(y, {t: True})
        np.testing.assert_allclose(sess.run(mm), xv.mean(0), rtol=1e-5)


def test_batch_norm_activation_and_collections():
    x = tf.constant(X4)
    y = tf.contrib.layers.batch_norm(x, activation_fn=tf.nn.relu, outputs_collections="outs",
                                     variables_collections={"beta": ["betas"]}, scope="bn")
    assert y.op.type == "Relu"
    assert tf.get_collection("outs") == [y]
    from tfmini.contrib.layers import utils
    assert utils.get_tensor_aliases(y) == ["bn"]
    assert [v.name for v in tf.get_collection("betas")] == ["bn/beta:0"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert (sess.run(y) >= 0).all()


def test_batch_norm_param_regularizers_on_the_layer_path():
    tf.contrib.layers.batch_norm(tf.constant(X4), scale=True,
                                 param_regularizers={"gamma": tf.contrib.layers.l2_regularizer(0.5)})
    assert len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)) == 1


def test_batch_norm_errors():
    x = tf.constant(X4)
    with pytest.raises(ValueError, match="data_format has to be either NCHW or NHWC."):
        tf.contrib.layers.batch_norm(x, data_format="NWHC")
    with pytest.raises(ValueError, match="data_format has to be either NCHW or NHWC."):
        tf.contrib.layers.batch_norm(tf.constant(D), data_format="NWHC")
    with pytest.raises(ValueError, match="Inputs Placeholder:0 has undefined rank."):
        tf.contrib.layers.batch_norm(tf.placeholder(tf.float32))
    with pytest.raises(ValueError, match=r"Inputs Placeholder_1:0 has undefined channels dimension \(\?,\)"
                                         r"|Inputs Placeholder_1:0 has undefined channels dimension"):
        tf.contrib.layers.batch_norm(tf.placeholder(tf.float32, [2, 3, None]))
    with pytest.raises(ValueError, match="`C` dimension must be known but is None"):
        tf.contrib.layers.batch_norm(tf.placeholder(tf.float32, [2, None]))
    with pytest.raises(NotImplementedError, match="batch renormalization"):
        tf.contrib.layers.batch_norm(x, renorm=True)
    with pytest.raises(ValueError, match="renorm is not supported with batch_weights"):
        tf.contrib.layers.batch_norm(x, renorm=True, updates_collections=None)


def test_batch_norm_trains_a_small_net():
    """Gradients flow through the fused op into the conv-like weights and beta; UPDATE_OPS run with the step."""
    xv = RNG.randn(16, 4, 4, 2).astype(np.float32)
    yv = (xv.sum((1, 2, 3)) > 0).astype(np.float32)[:, None]
    x = tf.constant(xv)
    w = tf.Variable(tf.random_normal([2, 3], seed=1))
    h = tf.reshape(tf.matmul(tf.reshape(x, [-1, 2]), w), [16, 4, 4, 3])
    h = tf.contrib.layers.batch_norm(h, is_training=True, scale=True)
    logits = tf.reduce_sum(h, [1, 2, 3], keepdims=True)[:, :, 0, 0]
    loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=yv, logits=logits))
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss)
        for _ in range(20):
            sess.run(train)
        assert sess.run(loss) < first
        assert not np.allclose(sess.run(tf.get_default_graph().get_tensor_by_name("BatchNorm/moving_mean:0")), 0)


# =========================================================================== tf.layers.batch_normalization, fused
def test_layers_fused_batch_norm_gradients_match_the_unfused_layer():
    xv = (RNG.randn(6, 3, 2, 4) * 2).astype(np.float32)
    wv = RNG.randn(6, 3, 2, 4).astype(np.float32)
    grads = []
    for fused in (True, False):
        tf.reset_default_graph()
        x = tf.constant(xv)
        y = tf.layers.batch_normalization(x, training=True, fused=fused)
        ops = {op.type for op in tf.get_default_graph().get_operations()}
        assert ("FusedBatchNorm" in ops) == fused
        loss = tf.reduce_sum(y * wv)
        g = tf.gradients(loss, [x] + tf.trainable_variables())
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            grads.append(sess.run(g))
    for a, b in zip(*grads):
        np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-4)


def test_layers_batch_norm_fused_placeholder_training_and_2d_fallback():
    x = tf.placeholder(tf.float32, [None, 2, 2, 4])
    t = tf.placeholder(tf.bool)
    y = tf.layers.batch_normalization(x, training=t, momentum=0.5)
    y2 = tf.layers.batch_normalization(tf.constant(D), fused=True, training=True)  # 2-D: quietly not fused
    ups = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert len(ups) == 4 and all(isinstance(u, tf.Operation) for u in ups)
    xv = X4[:, :2, :2]
    n = xv.size // 4
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run([y, y2] + ups[:2], {x: xv, t: False})
        mv = sess.run(tf.get_default_graph().get_tensor_by_name("batch_normalization/moving_variance:0"))
        np.testing.assert_array_equal(mv, np.ones(4))
        a = sess.run([y] + ups[:2], {x: xv, t: True})[0]
        mv = sess.run(tf.get_default_graph().get_tensor_by_name("batch_normalization/moving_variance:0"))
    np.testing.assert_allclose(a, np_bn_train(xv, np.ones(4), np.zeros(4))[0], atol=1e-5)
    np.testing.assert_allclose(mv, 0.5 + 0.5 * xv.astype(np.float64).var((0, 1, 2)) * n / (n - 1), rtol=1e-5)


# =========================================================================== swish, weighted cross-entropy, relu_layer,
# zero_fraction (composites, against TF 2.21's values and gradients: tests/data/gen/nn_extras.py)
from test_nn_ops import _tf_extras, check_against_tf  # noqa: E402

_IMPL_EXTRAS = {
    "swish": (lambda tf, a: tf.nn.swish(a), ("logits",)),
    "weighted_xent": (lambda tf, a, b: tf.nn.weighted_cross_entropy_with_logits(labels=b, logits=a, pos_weight=2.5),
                      ("logits", "labels")),
    "relu_layer": (lambda tf, a, b, c: tf.nn.relu_layer(a, b, c), ("xm", "wm", "bm")),
}


@pytest.mark.parametrize("key", sorted(_IMPL_EXTRAS))
def test_swish_weighted_xent_relu_layer_match_tf(key, backend):
    build, names = _IMPL_EXTRAS[key]
    check_against_tf(key, build, _tf_extras(), names)


def test_weighted_cross_entropy_spellings_and_graph():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [2, 3])
    old = tf.nn.weighted_cross_entropy_with_logits(targets=x, logits=x, pos_weight=2.0)  # TF1's keyword
    new = tf.nn.weighted_cross_entropy_with_logits(labels=x, logits=x, pos_weight=2.0)
    assert (old.name, new.name) == ("logistic_loss:0", "logistic_loss_1:0")
    types = [o.type for o in tf.get_default_graph().get_operations() if o.name.startswith("logistic_loss/")]
    assert types == ["Const", "Mul", "Const", "AddV2", "Const", "Sub", "Mul", "Abs", "Neg", "Exp", "Log1p", "Neg",
                     "Relu", "AddV2", "Mul"]
    with pytest.raises(ValueError, match=r"^`logits` and `labels` must have the same shape, received "
                                         r"\(\(3, 4\) vs \(2, 3\)\)\.$"):
        tf.nn.weighted_cross_entropy_with_logits(labels=x, logits=tf.placeholder(tf.float32, [3, 4]), pos_weight=2.)
    with pytest.raises(ValueError, match=r"^Cannot specify both 'targets' and 'labels'"):
        tf.nn.weighted_cross_entropy_with_logits(labels=x, targets=x, logits=x, pos_weight=2.0)


def test_swish_graph():
    tf.reset_default_graph()
    y = tf.nn.swish(tf.placeholder(tf.float32, [2, 3]))
    assert y.name == "mul_1:0" and y.shape.as_list() == [2, 3]
    assert [o.type for o in tf.get_default_graph().get_operations()][1:] == ["Const", "Mul", "Sigmoid", "Mul"]


def test_zero_fraction(backend):
    tf.reset_default_graph()
    fractions = [tf.nn.zero_fraction(v) for v in ([[0.0, 1.0], [0.0, 0.0]], np.zeros([0]), [1, 0, 3])]
    assert fractions[0].name == "zero_fraction/fraction:0" and fractions[0].dtype == tf.float32
    assert fractions[0].shape.as_list() == []
    assert "zero_fraction/cond/Merge" in [o.name for o in tf.get_default_graph().get_operations()]
    with tf.Session() as sess:
        got = sess.run(fractions)
    np.testing.assert_allclose(got, _tf_extras()["zero_fraction"], rtol=1e-7)  # [0.75, nan, 1/3]
    assert np.isnan(got[1])


def test_graphs_from_tensorflows_first_year_import_and_run():
    """A GraphDef of producer version 8 with the legacy Concat (concat_dim first) and BatchNormWithGlobalNormalization
    ops, as the 2015 Inception graph of TF's image tutorials has them; the first values are TF 2.21's for the same
    GraphDef (TF 2.21 imports it too)."""
    from tfmini.framework import graph_io
    from tfmini.io import proto
    nodes = [{"name": n, "op": "Const", "attr": [{"key": "dtype", "value": {"type": 1}},
                                                 {"key": "value", "value": {"tensor": graph_io.tensor_proto(a)}}]}
             for n, a in (("t", BG_T), ("m", BG_M), ("v", BG_V), ("b", BG_B), ("g", BG_G))]
    nodes.append({"name": "dim", "op": "Const", "attr": [{"key": "dtype", "value": {"type": 3}}, {
        "key": "value", "value": {"tensor": graph_io.tensor_proto(np.int32(3))}}]})
    for name, scale in (("bn", True), ("bn_plain", False)):
        nodes.append({"name": name, "op": "BatchNormWithGlobalNormalization", "input": ["t", "m", "v", "b", "g"],
                      "attr": [{"key": "T", "value": {"type": 1}}, {"key": "variance_epsilon", "value": {"f": 0.001}},
                               {"key": "scale_after_normalization", "value": {"b": scale}}]})
    nodes.append({"name": "cat", "op": "Concat", "input": ["dim", "bn", "bn_plain"],
                  "attr": [{"key": "N", "value": {"i": 2}}, {"key": "T", "value": {"type": 1}}]})
    data = proto.encode(proto.GRAPH_DEF, {"node": nodes, "versions": {"producer": 8}})
    cat, = tf.import_graph_def(data, return_elements=["cat:0"], name="")
    assert cat.shape.as_list() == [2, 2, 3, 6]
    with tf.Session() as sess:
        got = sess.run(cat)
    np.testing.assert_allclose(got[..., :3].ravel()[:6], [-0.38469407, 0.4130094, 0.5609054, -0.4582991, 0.11214991,
                                                         -0.28697252], rtol=1e-6)
    np.testing.assert_allclose(got[..., 3:].ravel()[:6], [0.28842637, -0.61416864, 1.2886413, 0.81615937, 0.9638542,
                                                         -0.60125387], rtol=1e-6)
