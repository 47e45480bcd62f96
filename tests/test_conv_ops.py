"""tf.nn convolution, pooling, bias_add, the activations beyond relu, dropout, top-k and LRN: the op table
(static shape/dtype against the kernel, values against naive numpy loops), the gradient table (finite
differences in float64 at several paddings, strides, dilations and odd sizes), TF's error messages and op
names, and the float32/contiguity contract of the convolution kernels."""
import numpy as np
import pytest

import tfmini as tf
from gradcheck import GradRow, grad_rows_test
from optable import Row, rows_test
from tfmini.framework import errors
from tfmini.ops import nn_ops
from tfmini.runtime import backends

RNG = np.random.RandomState(7)
X = RNG.randn(2, 7, 6, 3).astype(np.float32)         # NHWC, odd and non-square
F = RNG.randn(3, 2, 3, 4).astype(np.float32)         # kh=3, kw=2, in=3, out=4
FD = RNG.randn(3, 3, 3, 2).astype(np.float32)        # depthwise: multiplier 2
P = RNG.randn(2, 5, 5, 3).astype(np.float32)         # for pooling (odd size)
IMG = np.arange(25, dtype=np.float32).reshape(1, 5, 5, 1)


# =========================================================================== numpy references (slow, obvious loops)
def _pads(size, k, s, d, padding):
    eff = (k - 1) * d + 1
    if padding == "SAME":
        out = -(-size // s)
        total = max((out - 1) * s + eff - size, 0)
        return out, total // 2, total - total // 2
    if padding == "VALID":
        return (size - eff) // s + 1, 0, 0
    before, after = padding
    return (size + before + after - eff) // s + 1, before, after


def np_conv2d(x, f, strides=(1, 1), padding="SAME", dilations=(1, 1), depthwise=False):
    """padding: "SAME", "VALID" or ((top, bottom), (left, right))."""
    n, h, w, c = x.shape
    kh, kw, _, m = f.shape
    ph, pw = (padding, padding) if isinstance(padding, str) else padding
    oh, t, b = _pads(h, kh, strides[0], dilations[0], ph)
    ow, le, r = _pads(w, kw, strides[1], dilations[1], pw)
    xp = np.pad(x.astype(np.float64), ((0, 0), (t, b), (le, r), (0, 0)))
    out = np.zeros((n, oh, ow, c * m if depthwise else m))
    for y in range(oh):
        for z in range(ow):
            for i in range(kh):
                for j in range(kw):
                    v = xp[:, y * strides[0] + i * dilations[0], z * strides[1] + j * dilations[1], :]
                    if depthwise:
                        out[:, y, z, :] += (v[:, :, None] * f[i, j]).reshape(n, c * m)
                    else:
                        out[:, y, z, :] += v @ f[i, j]
    return out


def np_pool(x, k, s, padding, how):
    """Max or mean over the real entries of each window."""
    n, h, w, c = x.shape
    oh, t, _ = _pads(h, k[0], s[0], 1, padding)
    ow, le, _ = _pads(w, k[1], s[1], 1, padding)
    out = np.zeros((n, oh, ow, c))
    for y in range(oh):
        for z in range(ow):
            r0, c0 = y * s[0] - t, z * s[1] - le
            win = x[:, max(r0, 0):r0 + k[0], max(c0, 0):c0 + k[1], :].astype(np.float64)
            out[:, y, z, :] = win.max(axis=(1, 2)) if how == "max" else win.mean(axis=(1, 2))
    return out


def np_adjoint(fn, shape, dy):
    """The adjoint of the linear map `fn` applied to `dy`: the gradient of sum(fn(a) * dy) with respect to a."""
    out = np.zeros(shape)
    for idx in np.ndindex(*shape):
        e = np.zeros(shape)
        e[idx] = 1
        out[idx] = np.sum(fn(e) * dy)
    return out


def np_numeric_grad(fn, x, h=1e-6):
    """d sum(fn(x)) / dx by central differences in float64."""
    x = x.astype(np.float64)
    out = np.zeros(x.shape)
    for idx in np.ndindex(*x.shape):
        a, b = x.copy(), x.copy()
        a[idx] += h
        b[idx] -= h
        out[idx] = (fn(a).sum() - fn(b).sum()) / (2 * h)
    return out


def np_lrn(x, r, bias, alpha, beta):
    c = x.shape[-1]
    sq = np.zeros_like(x, dtype=np.float64)
    for d in range(c):
        sq[..., d] = (x[..., max(0, d - r):d + r + 1].astype(np.float64) ** 2).sum(-1)
    return x / (bias + alpha * sq) ** beta


def fed(tf, value, shape, dtype=None):
    value = np.asarray(value)
    p = tf.placeholder(dtype or tf.as_dtype(value.dtype), shape)
    return p, {p: value}


def _pool_attrs(k, s, padding):
    return nn_ops._pool_attrs("MaxPool", "max_pool", [1, k[0], k[1], 1], [1, s[0], s[1], 1], padding, "NHWC")


def _max_pool_grad(tf, x, g, k, s, padding):
    out = tf.nn.max_pool(x, [1, k[0], k[1], 1], [1, s[0], s[1], 1], padding)
    return nn_ops._pool_op("MaxPoolGrad", [x, out, g], _pool_attrs(k, s, padding))


def _max_pool_grad_grad(tf, x, gg, k, s, padding):
    out = tf.nn.max_pool(x, [1, k[0], k[1], 1], [1, s[0], s[1], 1], padding)
    return nn_ops._pool_op("MaxPoolGradGrad", [x, out, gg], _pool_attrs(k, s, padding))


def _avg_pool_grad(tf, shape, g, k, s, padding):
    return nn_ops._pool_op("AvgPoolGrad", [list(shape), g], _pool_attrs(k, s, padding))


def _act_grad(tf, op_type, g, x, attrs=None):
    param = "outputs" if op_type in ("EluGrad", "SeluGrad") else "features"
    return nn_ops._activation_grad_op(op_type, g, x, param, attrs)


def _np_max_pool_grad(x, g, k, s, padding):
    """Each window's gradient to its first maximum, by loops."""
    n, h, w, c = x.shape
    oh, t, _ = _pads(h, k[0], s[0], 1, padding)
    ow, le, _ = _pads(w, k[1], s[1], 1, padding)
    dx = np.zeros(x.shape)
    for b in range(n):
        for y in range(oh):
            for z in range(ow):
                for ch in range(c):
                    best, at = -np.inf, None
                    for i in range(y * s[0] - t, y * s[0] - t + k[0]):
                        for j in range(z * s[1] - le, z * s[1] - le + k[1]):
                            if 0 <= i < h and 0 <= j < w and x[b, i, j, ch] > best:
                                best, at = x[b, i, j, ch], (i, j)
                    dx[b, at[0], at[1], ch] += g[b, y, z, ch]
    return dx


def _elu(x):
    return np.where(x > 0, x, np.expm1(np.minimum(x, 0)))


SELU_A, SELU_S = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
A6 = np.array([[-2.0, 0.0, 0.5, 5.9, 6.0, 7.5], [3.0, -0.1, 1.0, -4.0, 6.5, 2.0]], np.float32)
XS = RNG.randn(1, 5, 4, 2).astype(np.float32)          # small input for the adjoint references
FS = RNG.randn(3, 2, 2, 3).astype(np.float32)
DYS = RNG.randn(1, 3, 2, 3).astype(np.float32)         # conv2d(XS, FS) SAME stride 2 gradient
FDS = RNG.randn(3, 3, 2, 2).astype(np.float32)         # depthwise, multiplier 2
DYD = RNG.randn(1, 5, 4, 4).astype(np.float32)         # depthwise SAME stride 1 gradient
PRED = np.array([[0.1, 0.3, 0.3, 0.2], [0.9, 0.05, 0.05, 0.0], [0.2, 0.2, 0.2, 0.2]], np.float32)
TIES = np.array([[1.0, 3.0, 2.0, 3.0], [0.0, -1.0, 5.0, 4.0]], np.float32)


def _fed_fn(value, shape, fn):
    def build(tf):
        p, feed = fed(tf, value, shape)
        return fn(tf, p), feed
    return build


CASES = [
    # ---------------------------------------------------------------- Conv2D
    Row("Conv2D", lambda tf: tf.nn.conv2d(X, F, [1, 1, 1, 1], "SAME"), lambda np: np_conv2d(X, F),
        rtol=1e-5, atol=1e-5, id="Conv2D-same"),
    Row("Conv2D", lambda tf: tf.nn.conv2d(X, F, [1, 2, 2, 1], "SAME"), lambda np: np_conv2d(X, F, (2, 2)),
        rtol=1e-5, atol=1e-5, id="Conv2D-same-stride2-odd"),
    Row("Conv2D", lambda tf: tf.nn.conv2d(X, F, [1, 2, 3, 1], "VALID"), lambda np: np_conv2d(X, F, (2, 3), "VALID"),
        rtol=1e-5, atol=1e-5, id="Conv2D-valid-stride23"),
    Row("Conv2D", lambda tf: tf.nn.conv2d(X, F, 1, "SAME", dilations=2),
        lambda np: np_conv2d(X, F, (1, 1), "SAME", (2, 2)), rtol=1e-5, atol=1e-5, id="Conv2D-dilated"),
    Row("Conv2D", lambda tf: tf.nn.conv2d(X, F, [1, 2, 1, 1], [[0, 0], [1, 2], [0, 1], [0, 0]]),
        lambda np: np_conv2d(X, F, (2, 1), ((1, 2), (0, 1))), rtol=1e-5, atol=1e-5, id="Conv2D-explicit"),
    Row("Conv2D", _fed_fn(X, [None, None, None, 3], lambda tf, p: tf.nn.conv2d(p, F, [1, 1, 1, 1], "SAME")),
        lambda np: np_conv2d(X, F), rtol=1e-5, atol=1e-5, id="Conv2D-unknown"),
    Row("Conv2D", lambda tf: tf.nn.conv2d(X.astype(np.float64), F.astype(np.float64), [1, 1, 1, 1], "VALID"),
        lambda np: np_conv2d(X, F, padding="VALID"), id="Conv2D-float64"),
    Row("Conv2D", lambda tf: tf.nn.conv2d(np.zeros((0, 4, 4, 3), np.float32), F, [1, 1, 1, 1], "SAME"),
        np.zeros((0, 4, 4, 4), np.float32), id="Conv2D-empty-batch"),
    Row("Conv2D", lambda tf: tf.nn.separable_conv2d(X, FD, np.ones((1, 1, 6, 5), np.float32), [1, 1, 1, 1], "SAME"),
        lambda np: np.repeat(np_conv2d(X, FD, depthwise=True).sum(-1, keepdims=True), 5, -1), rtol=1e-5, atol=1e-5,
        id="separable_conv2d"),
    # ---------------------------------------------------------------- Conv2DBackpropInput
    Row("Conv2DBackpropInput", lambda tf: tf.nn.conv2d_backprop_input([1, 5, 4, 2], FS, DYS, [1, 2, 2, 1], "SAME"),
        lambda np: np_adjoint(lambda e: np_conv2d(e, FS, (2, 2)), (1, 5, 4, 2), DYS), rtol=1e-5, atol=1e-5),
    Row("Conv2DBackpropInput", lambda tf: tf.nn.conv2d_backprop_input([1, 5, 4, 2], FS, DYS[:, :, :1], [1, 1, 3, 1],
                                                                      "VALID", dilations=[1, 1, 2, 1]),
        lambda np: np_adjoint(lambda e: np_conv2d(e, FS, (1, 3), "VALID", (1, 2)), (1, 5, 4, 2), DYS[:, :, :1]),
        rtol=1e-5, atol=1e-5, id="Conv2DBackpropInput-valid-dilated"),
    Row("Conv2DBackpropInput", lambda tf: tf.nn.conv2d_transpose(DYS, FS, [1, 5, 4, 2], [1, 2, 2, 1], "SAME"),
        lambda np: np_adjoint(lambda e: np_conv2d(e, FS, (2, 2)), (1, 5, 4, 2), DYS), rtol=1e-5, atol=1e-5,
        id="conv2d_transpose"),
    Row("Conv2DBackpropInput", _fed_fn(DYS, [None, 3, 2, 3], lambda tf, p: tf.nn.conv2d_transpose(
        p, FS, tf.stack([tf.shape(p)[0], 5, 4, 2]), [1, 2, 2, 1], "SAME")),
        lambda np: np_adjoint(lambda e: np_conv2d(e, FS, (2, 2)), (1, 5, 4, 2), DYS), rtol=1e-5, atol=1e-5,
        id="conv2d_transpose-unknown-batch"),
    # ---------------------------------------------------------------- Conv2DBackpropFilter
    Row("Conv2DBackpropFilter", lambda tf: tf.nn.conv2d_backprop_filter(XS, [3, 2, 2, 3], DYS, [1, 2, 2, 1], "SAME"),
        lambda np: np_adjoint(lambda e: np_conv2d(XS, e, (2, 2)), (3, 2, 2, 3), DYS), rtol=1e-5, atol=1e-5),
    Row("Conv2DBackpropFilter", lambda tf: tf.nn.conv2d_backprop_filter(
        XS, [3, 2, 2, 3], DYS[:, :1], [1, 1, 1, 1], [[0, 0], [0, 0], [1, 0], [0, 0]], dilations=[1, 2, 3, 1]),
        lambda np: np_adjoint(lambda e: np_conv2d(XS, e, (1, 1), ((0, 0), (1, 0)), (2, 3)), (3, 2, 2, 3), DYS[:, :1]),
        rtol=1e-5, atol=1e-5, id="Conv2DBackpropFilter-explicit-dilated"),
    # ---------------------------------------------------------------- DepthwiseConv2dNative and backprops
    Row("DepthwiseConv2dNative", lambda tf: tf.nn.depthwise_conv2d(X, FD, [1, 1, 1, 1], "SAME"),
        lambda np: np_conv2d(X, FD, depthwise=True), rtol=1e-5, atol=1e-5),
    Row("DepthwiseConv2dNative", lambda tf: tf.nn.depthwise_conv2d(X, FD, [1, 2, 2, 1], "VALID"),
        lambda np: np_conv2d(X, FD, (2, 2), "VALID", depthwise=True), rtol=1e-5, atol=1e-5,
        id="DepthwiseConv2dNative-valid-stride2"),
    Row("DepthwiseConv2dNative", lambda tf: tf.nn.depthwise_conv2d(X, FD, [1, 1, 1, 1], "SAME", rate=[2, 2]),
        lambda np: np_conv2d(X, FD, (1, 1), "SAME", (2, 2), depthwise=True), rtol=1e-5, atol=1e-5,
        id="DepthwiseConv2dNative-rate2"),
    Row("DepthwiseConv2dNative", _fed_fn(X, [None, None, None, 3],
                                         lambda tf, p: tf.nn.depthwise_conv2d_native(p, FD, [1, 1, 1, 1], "SAME")),
        lambda np: np_conv2d(X, FD, depthwise=True), rtol=1e-5, atol=1e-5, id="DepthwiseConv2dNative-unknown"),
    Row("DepthwiseConv2dNativeBackpropInput", lambda tf: tf.nn.depthwise_conv2d_native_backprop_input(
        [1, 5, 4, 2], FDS, DYD, [1, 1, 1, 1], "SAME"),
        lambda np: np_adjoint(lambda e: np_conv2d(e, FDS, depthwise=True), (1, 5, 4, 2), DYD), rtol=1e-5, atol=1e-5),
    Row("DepthwiseConv2dNativeBackpropFilter", lambda tf: tf.nn.depthwise_conv2d_native_backprop_filter(
        XS, [3, 3, 2, 2], DYD, [1, 1, 1, 1], "SAME"),
        lambda np: np_adjoint(lambda e: np_conv2d(XS, e, depthwise=True), (3, 3, 2, 2), DYD), rtol=1e-5, atol=1e-5),
    # ---------------------------------------------------------------- MaxPool, MaxPoolGrad, MaxPoolGradGrad
    Row("MaxPool", lambda tf: tf.nn.max_pool(P, [1, 3, 3, 1], [1, 2, 2, 1], "SAME"),
        lambda np: np_pool(P, (3, 3), (2, 2), "SAME", "max"), id="MaxPool-3x3-s2-same"),
    Row("MaxPool", lambda tf: tf.nn.max_pool(P, [1, 2, 2, 1], [1, 2, 2, 1], "SAME"),
        lambda np: np_pool(P, (2, 2), (2, 2), "SAME", "max"), id="MaxPool-2x2-s2-same-odd"),
    Row("MaxPool", lambda tf: tf.nn.max_pool(P, [1, 2, 3, 1], [1, 1, 2, 1], "VALID"),
        lambda np: np_pool(P, (2, 3), (1, 2), "VALID", "max"), id="MaxPool-valid-nonsquare"),
    Row("MaxPool", _fed_fn(P, [None, None, None, 3], lambda tf, p: tf.nn.max_pool(p, 2, 2, "SAME")),
        lambda np: np_pool(P, (2, 2), (2, 2), "SAME", "max"), id="MaxPool-unknown"),
    Row("MaxPool", lambda tf: tf.nn.max_pool(np.arange(50, dtype=np.int32).reshape(1, 5, 5, 2) % 7 - 9, 2, 2, "SAME"),
        lambda np: np_pool(np.arange(50).reshape(1, 5, 5, 2) % 7 - 9, (2, 2), (2, 2), "SAME", "max").astype(np.int32),
        id="MaxPool-int32-negative"),
    Row("MaxPoolGrad", lambda tf: _max_pool_grad(tf, P, np.ones((2, 3, 3, 3), np.float32), (3, 3), (2, 2), "SAME"),
        lambda np: _np_max_pool_grad(P, np.ones((2, 3, 3, 3)), (3, 3), (2, 2), "SAME")),
    Row("MaxPoolGrad", lambda tf: _max_pool_grad(tf, np.zeros((1, 4, 4, 1), np.float32),
                                                 np.arange(4, dtype=np.float32).reshape(1, 2, 2, 1) + 1, (2, 2),
                                                 (2, 2), "VALID"),
        np.array([[1, 0, 2, 0], [0, 0, 0, 0], [3, 0, 4, 0], [0, 0, 0, 0]], np.float32).reshape(1, 4, 4, 1),
        id="MaxPoolGrad-ties-go-to-the-first"),
    Row("MaxPoolGradGrad", lambda tf: _max_pool_grad_grad(tf, P, P * 2, (3, 3), (2, 2), "SAME"),
        lambda np: np_pool(P, (3, 3), (2, 2), "SAME", "max") * 2),
    # ---------------------------------------------------------------- AvgPool, AvgPoolGrad
    Row("AvgPool", lambda tf: tf.nn.avg_pool(P, [1, 3, 3, 1], [1, 2, 2, 1], "SAME"),
        lambda np: np_pool(P, (3, 3), (2, 2), "SAME", "mean"), id="AvgPool-3x3-s2-same"),
    Row("AvgPool", lambda tf: tf.nn.avg_pool(P, [1, 2, 3, 1], [1, 2, 1, 1], "VALID"),
        lambda np: np_pool(P, (2, 3), (2, 1), "VALID", "mean"), id="AvgPool-valid"),
    Row("AvgPool", _fed_fn(P, [None, 5, None, 3], lambda tf, p: tf.nn.avg_pool(p, 2, 2, "SAME")),
        lambda np: np_pool(P, (2, 2), (2, 2), "SAME", "mean"), id="AvgPool-unknown"),
    Row("AvgPoolGrad", lambda tf: _avg_pool_grad(tf, (2, 5, 5, 3), P[:, :3, :3] * 1, (3, 3), (2, 2), "SAME"),
        lambda np: np_adjoint(lambda e: np_pool(e, (3, 3), (2, 2), "SAME", "mean"), (2, 5, 5, 3), P[:, :3, :3]),
        rtol=1e-5, atol=1e-6),
    # ---------------------------------------------------------------- BiasAdd, BiasAddGrad
    Row("BiasAdd", lambda tf: tf.nn.bias_add(X, [1.0, -2.0, 0.5]), lambda np: X + np.float32([1.0, -2.0, 0.5])),
    Row("BiasAdd", lambda tf: tf.nn.bias_add(X.transpose(0, 3, 1, 2), [1.0, -2.0, 0.5], data_format="NCHW"),
        lambda np: X.transpose(0, 3, 1, 2) + np.float32([1.0, -2.0, 0.5])[:, None, None], id="BiasAdd-NCHW"),
    Row("BiasAdd", _fed_fn(np.arange(6, dtype=np.int32).reshape(2, 3), [None, None],
                           lambda tf, p: tf.nn.bias_add(p, [1, 2, 3])),
        np.array([[1, 3, 5], [4, 6, 8]], np.int32), id="BiasAdd-int32-unknown"),
    Row("BiasAddGrad", lambda tf: nn_ops._bias_add_grad_op(X), lambda np: X.astype(np.float64).sum((0, 1, 2)),
        rtol=1e-5),
    Row("BiasAddGrad", lambda tf: nn_ops._bias_add_grad_op(X, "NCHW"), lambda np: X.astype(np.float64).sum((0, 2, 3)),
        rtol=1e-5, id="BiasAddGrad-NCHW"),
    # ---------------------------------------------------------------- activations
    Row("Relu6", lambda tf: tf.nn.relu6(A6), lambda np: np.clip(A6, 0, 6)),
    Row("Relu6", lambda tf: tf.nn.relu6(np.array([-3, 4, 9], np.int32)), np.array([0, 4, 6], np.int32),
        id="Relu6-int32"),
    Row("Relu6Grad", lambda tf: _act_grad(tf, "Relu6Grad", np.ones_like(A6), A6),
        lambda np: ((A6 > 0) & (A6 < 6)).astype(np.float32)),
    Row("Elu", lambda tf: tf.nn.elu(A6 * 20), lambda np: _elu(A6 * 20.0)),
    Row("EluGrad", lambda tf: _act_grad(tf, "EluGrad", A6, np.float32(_elu(A6))),
        lambda np: np.where(A6 > 0, A6, A6 * np.exp(A6))),
    Row("Selu", lambda tf: tf.nn.selu(A6), lambda np: SELU_S * np.where(A6 > 0, A6, SELU_A * np.expm1(A6))),
    Row("SeluGrad", lambda tf: _act_grad(tf, "SeluGrad", np.ones_like(A6), tf.nn.selu(A6)),
        lambda np: np.where(A6 < 0, SELU_S * SELU_A * np.exp(A6), SELU_S), rtol=1e-5),
    Row("LeakyRelu", lambda tf: tf.nn.leaky_relu(A6), lambda np: np.where(A6 > 0, A6, 0.2 * A6)),
    Row("LeakyRelu", lambda tf: tf.nn.leaky_relu(np.array([-5, 5], np.int32), alpha=0.1),
        np.array([-0.5, 5.0], np.float32), id="LeakyRelu-int-cast"),
    Row("LeakyReluGrad", lambda tf: _act_grad(tf, "LeakyReluGrad", np.ones_like(A6), A6, {"alpha": 0.3}),
        lambda np: np.where(A6 > 0, 1.0, 0.3)),
    Row("Softplus", lambda tf: tf.nn.softplus(A6 * 30), lambda np: np.logaddexp(0, A6 * 30.0), rtol=1e-5),
    Row("SoftplusGrad", lambda tf: _act_grad(tf, "SoftplusGrad", np.ones_like(A6), A6 * 30),
        lambda np: 0.5 * (1 + np.tanh(A6 * 15.0))),
    Row("Softsign", lambda tf: tf.nn.softsign(A6), lambda np: A6 / (1 + np.abs(A6))),
    Row("SoftsignGrad", lambda tf: _act_grad(tf, "SoftsignGrad", np.ones_like(A6), A6),
        lambda np: 1 / (1 + np.abs(A6)) ** 2),
    # ---------------------------------------------------------------- InTopKV2, TopKV2
    Row("InTopKV2", lambda tf: tf.nn.in_top_k(PRED, [1, 0, 3], 1), np.array([True, True, True])),
    Row("InTopKV2", lambda tf: tf.nn.in_top_k(PRED, [3, 1, 0], 2), np.array([False, True, True]),
        id="InTopKV2-k2"),
    Row("InTopKV2", lambda tf: tf.nn.in_top_k(np.array([[1.0, np.nan, 0.0], [1.0, 2.0, 3.0]], np.float32),
                                              np.array([0, 7], np.int64), 3), np.array([False, False]),
        id="InTopKV2-nonfinite-and-out-of-range"),
    Row("TopKV2", lambda tf: tf.nn.top_k(TIES, 2).values, np.array([[3.0, 3.0], [5.0, 4.0]], np.float32)),
    Row("TopKV2", lambda tf: tf.nn.top_k(TIES, 2).indices, np.array([[1, 3], [2, 3]], np.int32),
        id="TopKV2-indices-ties"),
    Row("TopKV2", _fed_fn(np.array([[5, 1, 9, 3]], np.uint8), [None, None], lambda tf, p: tf.nn.top_k(p, 3).values),
        np.array([[9, 5, 3]], np.uint8), id="TopKV2-uint8-unknown"),
    Row("TopKV2", lambda tf: tf.nn.top_k(np.array([-128, 127, 0, -128], np.int8), 4).indices,
        np.array([1, 2, 0, 3], np.int32), id="TopKV2-int8-extremes"),
    # ---------------------------------------------------------------- LRN, LRNGrad
    Row("LRN", lambda tf: tf.nn.lrn(X, 2, 1.5, 0.3, 0.75), lambda np: np_lrn(X, 2, 1.5, 0.3, 0.75), rtol=1e-5),
    Row("LRN", lambda tf: tf.nn.local_response_normalization(X), lambda np: np_lrn(X, 5, 1.0, 1.0, 0.5), rtol=1e-5,
        id="local_response_normalization-defaults"),
    Row("LRNGrad", lambda tf: _lrn_grad_row(tf), lambda np: np_numeric_grad(lambda a: np_lrn(a, 1, 1.0, 0.5, 0.75), X),
        rtol=1e-4, atol=1e-5),
]


def _lrn_grad_row(tf):
    x = tf.constant(X)
    return tf.gradients(tf.nn.lrn(x, 1, 1.0, 0.5, 0.75), x)[0]


test_row = rows_test(CASES)


# =========================================================================== gradient table
def _conv(s=(1, 1), padding="SAME", d=(1, 1)):
    return lambda tf, x, f: tf.nn.conv2d(x, f, [1, s[0], s[1], 1], padding, dilations=[1, d[0], d[1], 1])


def _depthwise(s=(1, 1), padding="SAME", rate=None):
    return lambda tf, x, f: tf.nn.depthwise_conv2d(x, f, [1, s[0], s[1], 1], padding, rate=rate)


def _pool(fn, k, s, padding):
    return lambda tf, x: getattr(tf.nn, fn)(x, [1, k[0], k[1], 1], [1, s[0], s[1], 1], padding)


XG, FG = (1, 5, 5, 2), (3, 3, 2, 3)        # small: the finite differences run the graph twice per entry

GRAD_CASES = [
    GradRow("Conv2D", _conv(), [XG, FG], id="Conv2D-same"),
    GradRow("Conv2D", _conv((2, 2)), [XG, FG], id="Conv2D-same-stride2-odd"),
    GradRow("Conv2D", _conv((2, 1), "VALID"), [(1, 6, 5, 2), (3, 2, 2, 3)], id="Conv2D-valid-stride21"),
    GradRow("Conv2D", _conv((1, 1), "SAME", (2, 2)), [XG, (2, 2, 2, 3)], id="Conv2D-dilated-same"),
    GradRow("Conv2D", _conv((1, 2), "VALID", (2, 1)), [(1, 6, 5, 2), (2, 2, 2, 2)], id="Conv2D-dilated-valid-stride"),
    GradRow("Conv2D", _conv((2, 2), [[0, 0], [1, 0], [2, 1], [0, 0]]), [XG, (2, 3, 2, 2)], id="Conv2D-explicit"),
    GradRow("Conv2D", _conv((2, 2)), [(2, 4, 5, 2), (2, 3, 2, 2)], unknown_dims=True, id="Conv2D-unknown-dims"),
    GradRow("Conv2DBackpropInput",
            lambda tf, f, dy: tf.nn.conv2d_backprop_input([1, 5, 5, 2], f, dy, [1, 2, 2, 1], "SAME"),
            [FG, (1, 3, 3, 3)]),
    GradRow("Conv2DBackpropInput",
            lambda tf, x, f: tf.nn.conv2d_transpose(x, f, [1, 6, 5, 2], [1, 2, 2, 1], "VALID"),
            [(1, 2, 2, 3), FG], id="conv2d_transpose-valid"),
    GradRow("Conv2DBackpropFilter",
            lambda tf, x, dy: tf.nn.conv2d_backprop_filter(x, [3, 3, 2, 3], dy, [1, 1, 1, 1], "SAME",
                                                           dilations=[1, 2, 1, 1]),
            [XG, (1, 5, 5, 3)]),
    GradRow("Conv2DBackpropFilter",
            lambda tf, x, dy: tf.nn.conv2d_backprop_filter(x, [2, 2, 2, 3], dy, [1, 2, 2, 1], "VALID"),
            [XG, (1, 2, 2, 3)], id="Conv2DBackpropFilter-valid-stride2"),
    # second order through conv2d: d/dx of a function of d(loss)/dfilter
    GradRow("Conv2DBackpropFilter",
            lambda tf, x, f: tf.gradients(tf.reduce_sum(tf.square(tf.nn.conv2d(x, f, [1, 1, 1, 1], "SAME"))), f)[0],
            [(1, 4, 3, 2), (2, 2, 2, 2)], id="Conv2D-second-order"),
    GradRow("DepthwiseConv2dNative", _depthwise(), [XG, (3, 3, 2, 2)], id="Depthwise-same"),
    GradRow("DepthwiseConv2dNative", _depthwise((2, 2), "VALID"), [XG, (2, 2, 2, 2)], id="Depthwise-valid-stride2"),
    GradRow("DepthwiseConv2dNative", _depthwise(rate=[2, 2]), [XG, (2, 2, 2, 1)], id="Depthwise-rate2"),
    GradRow("DepthwiseConv2dNativeBackpropInput",
            lambda tf, f, dy: tf.nn.depthwise_conv2d_native_backprop_input([1, 5, 5, 2], f, dy, [1, 2, 2, 1], "SAME"),
            [(3, 3, 2, 2), (1, 3, 3, 4)]),
    GradRow("DepthwiseConv2dNativeBackpropFilter",
            lambda tf, x, dy: tf.nn.depthwise_conv2d_native_backprop_filter(x, [3, 3, 2, 2], dy, [1, 1, 1, 1],
                                                                            "SAME"),
            [XG, (1, 5, 5, 4)]),
    GradRow("Conv2D", lambda tf, x, d, p: tf.nn.separable_conv2d(x, d, p, [1, 1, 1, 1], "SAME"),
            [(1, 4, 4, 2), (3, 3, 2, 2), (1, 1, 4, 3)], id="separable_conv2d"),
    GradRow("MaxPool", _pool("max_pool", (2, 2), (2, 2), "SAME"), [(1, 5, 5, 2)], id="MaxPool-2x2-s2-same-odd"),
    GradRow("MaxPool", _pool("max_pool", (3, 3), (2, 2), "SAME"), [(1, 5, 6, 2)], id="MaxPool-3x3-s2-same-overlap"),
    GradRow("MaxPool", _pool("max_pool", (2, 3), (1, 2), "VALID"), [(2, 4, 5, 1)], id="MaxPool-valid"),
    GradRow("MaxPool", _pool("max_pool", (3, 3), (2, 2), "SAME"), [(1, 5, 5, 2)], unknown_dims=True,
            id="MaxPool-unknown-dims"),
    GradRow("MaxPoolGrad", lambda tf, x, g: _max_pool_grad(tf, x, g, (3, 3), (2, 2), "SAME"),
            [(1, 5, 5, 2), (1, 3, 3, 2)]),
    GradRow("MaxPoolGradGrad", lambda tf, x, gg: _max_pool_grad_grad(tf, x, gg, (3, 3), (2, 2), "SAME"),
            [(1, 5, 5, 2), (1, 5, 5, 2)]),
    GradRow("AvgPool", _pool("avg_pool", (3, 3), (2, 2), "SAME"), [(1, 5, 6, 2)], id="AvgPool-3x3-s2-same"),
    GradRow("AvgPool", _pool("avg_pool", (2, 2), (1, 2), "VALID"), [(2, 3, 5, 1)], id="AvgPool-valid"),
    GradRow("AvgPoolGrad", lambda tf, g: _avg_pool_grad(tf, (1, 5, 5, 2), g, (3, 3), (2, 2), "SAME"),
            [(1, 3, 3, 2)]),
    GradRow("BiasAdd", lambda tf, x, b: tf.nn.bias_add(x, b), [(2, 3, 4), (4,)]),
    GradRow("BiasAdd", lambda tf, x, b: tf.nn.bias_add(x, b, data_format="NCHW"), [(2, 3, 2, 2), (3,)],
            id="BiasAdd-NCHW"),
    GradRow("BiasAdd", lambda tf, x, b: tf.nn.bias_add(x, b), [(2, 3), (3,)], unknown_dims=True,
            id="BiasAdd-unknown-dims"),
    GradRow("BiasAddGrad", lambda tf, g: nn_ops._bias_add_grad_op(g), [(2, 3, 4)]),
    GradRow("BiasAddGrad", lambda tf, g: nn_ops._bias_add_grad_op(g, "NCHW"), [(2, 3, 2, 2)], id="BiasAddGrad-NCHW"),
    GradRow("Relu6", lambda tf, x: tf.nn.relu6(x), [(3, 4)], low=-3.0, high=9.0),
    GradRow("Relu6Grad", lambda tf, g, x: _act_grad(tf, "Relu6Grad", g, x), [(3, 4), (3, 4)], low=-3.0, high=9.0),
    GradRow("Elu", lambda tf, x: tf.nn.elu(x), [(3, 4)], low=-3.0, high=3.0),
    GradRow("EluGrad", lambda tf, g, y: _act_grad(tf, "EluGrad", g, y), [(3, 4), (3, 4)]),
    GradRow("Selu", lambda tf, x: tf.nn.selu(x), [(3, 4)], low=-3.0, high=3.0),
    GradRow("SeluGrad", lambda tf, g, y: _act_grad(tf, "SeluGrad", g, y), [(3, 4), (3, 4)]),
    GradRow("LeakyRelu", lambda tf, x: tf.nn.leaky_relu(x, alpha=0.3), [(3, 4)]),
    GradRow("LeakyReluGrad", lambda tf, g, x: _act_grad(tf, "LeakyReluGrad", g, x, {"alpha": 0.3}),
            [(3, 4), (3, 4)]),
    GradRow("Softplus", lambda tf, x: tf.nn.softplus(x), [(3, 4)], low=-5.0, high=5.0),
    GradRow("SoftplusGrad", lambda tf, g, x: _act_grad(tf, "SoftplusGrad", g, x), [(3, 4), (3, 4)], low=-3.0,
            high=3.0),
    GradRow("Softsign", lambda tf, x: tf.nn.softsign(x), [(3, 4)], low=-3.0, high=3.0),
    GradRow("SoftsignGrad", lambda tf, g, x: _act_grad(tf, "SoftsignGrad", g, x), [(3, 4), (3, 4)], low=-3.0,
            high=3.0),
    GradRow("TopKV2", lambda tf, x: tf.nn.top_k(x, 2).values, [(3, 5)]),
    GradRow("TopKV2", lambda tf, x: tf.nn.top_k(x, 3).values, [(2, 2, 4)], unknown_dims=True, id="TopKV2-rank3"),
    # LRN is float32/float16 only (as in TF): checked in float32 with a coarser step
    GradRow("LRN", lambda tf, x: tf.cast(tf.nn.lrn(tf.cast(x, tf.float32), 2, 1.0, 0.5, 0.75), tf.float64),
            [(1, 2, 3, 6)], delta=1e-3, rtol=2e-3, atol=2e-4),
]

test_grad_row = grad_rows_test(GRAD_CASES)


# =========================================================================== conformance-style values
def _run(t, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(t, feed)


def test_conv2d_same_valid_lecture_values():
    """The slide's 5x5 example (values as real TF gives them): SAME pads the odd row at the bottom."""
    tf.reset_default_graph()
    k = np.array([[1, 0, -1], [2, 1, 0], [0, 1, 1]], np.float32).reshape(3, 3, 1, 1)
    same2 = tf.nn.conv2d(IMG, k, strides=[1, 2, 2, 1], padding="SAME")
    valid2 = tf.nn.conv2d(IMG, k, strides=[1, 2, 2, 1], padding="VALID")
    assert same2.shape.as_list() == [1, 3, 3, 1] and valid2.shape.as_list() == [1, 2, 2, 1]
    a, b = _run([same2, valid2])
    np.testing.assert_array_equal(a[0, :, :, 0], [[11, 19, 19], [35, 67, 67], [4, 62, 88]])
    np.testing.assert_array_equal(b[0, :, :, 0], [[37, 47], [87, 97]])


def test_pool_lecture_values():
    tf.reset_default_graph()
    mx = tf.nn.max_pool(IMG, ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding="SAME")
    odd = tf.nn.max_pool(IMG, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    av = tf.nn.avg_pool(IMG, ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding="SAME")
    a, b, c = _run([mx, odd, av])
    np.testing.assert_array_equal(a[0, :, :, 0], [[6, 8, 9], [16, 18, 19], [21, 23, 24]])
    np.testing.assert_array_equal(b[0, :, :, 0], [[6, 8, 9], [16, 18, 19], [21, 23, 24]])
    # SAME averages the real entries only: the corner window holds 0, 1, 5, 6
    np.testing.assert_array_equal(c[0, :, :, 0], [[3, 4.5, 6], [10.5, 12, 13.5], [18, 19.5, 21]])


def test_kernels_keep_float32_and_return_contiguous_arrays():
    tf.reset_default_graph()
    x = tf.constant(X)
    f = tf.constant(F)
    y = tf.nn.conv2d(x, f, [1, 2, 2, 1], "SAME")
    outs = [y, tf.nn.max_pool(x, 3, 2, "SAME"), tf.nn.avg_pool(x, 3, 2, "SAME"), tf.nn.bias_add(x, [1., 2., 3.])]
    outs += tf.gradients(tf.reduce_sum(tf.square(y)), [x, f])
    outs += tf.gradients(tf.reduce_sum(outs[1] * outs[2]), x)
    for v in _run(outs):
        assert v.dtype == np.float32 and v.flags.c_contiguous


def test_max_pool_gradient_goes_to_the_first_maximum_of_overlapping_windows():
    """3x3 stride-2 SAME windows overlap; a constant input ties everywhere, so TF's rule (first maximum of each
    window, in row-major order) decides where each window's gradient lands."""
    tf.reset_default_graph()
    x = tf.constant(np.ones((1, 5, 5, 1), np.float32))
    y = tf.nn.max_pool(x, [1, 3, 3, 1], [1, 2, 2, 1], "SAME")
    g = _run(tf.gradients(y, x)[0])[0, :, :, 0]
    want = np.zeros((5, 5))
    for r0 in (0, 1, 3):        # each window's top-left real entry: rows -1+2i clipped to 0
        for c0 in (0, 1, 3):
            want[r0, c0] += 1
    np.testing.assert_array_equal(g, want)


@pytest.mark.parametrize("strides,padding,dilations", [
    ([1, 1, 1, 1], "SAME", [1, 1, 1, 1]), ([1, 1, 1, 1], "VALID", [1, 1, 1, 1]), ([1, 2, 2, 1], "SAME", [1, 1, 1, 1]),
    ([1, 1, 1, 1], "SAME", [1, 2, 2, 1]), ([1, 1, 1, 1], [[0, 0], [3, 0], [0, 1], [0, 0]], [1, 1, 1, 1])])
@pytest.mark.parametrize("depth", [1, 5])  # unfolded tap by tap (grayscale, RGB), or window by window
def test_convolutions_in_image_blocks_agree_with_one_gemm(strides, padding, dilations, depth, monkeypatch):
    """Big batches are convolved a few images at a time (the im2col block stays in cache); forward, input and
    filter gradients must not depend on the blocking."""
    x = np.random.RandomState(11).randn(5, 9, 8, depth).astype(np.float32)
    f = np.random.RandomState(12).randn(3, 2, depth, 4).astype(np.float32)

    def run():
        tf.reset_default_graph()
        xt, ft = tf.constant(x), tf.constant(f)
        y = tf.nn.conv2d(xt, ft, strides, padding, dilations=dilations)
        w = tf.constant(np.random.RandomState(13).randn(*y.shape.as_list()).astype(np.float32))
        return _run([y] + tf.gradients(tf.reduce_sum(y * w), [xt, ft]))

    whole = run()
    monkeypatch.setattr(nn_ops, "_IM2COL_MIN_ROWS", 1)
    for size in (1, 2000, 20000):  # a row of one image, a few rows, several images per block
        monkeypatch.setattr(nn_ops, "_IM2COL_BLOCK_BYTES", size)
        for a, b in zip(run(), whole):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)


def _first_max_reference(x, g, k):
    """MaxPoolGrad for k x k stride-k windows: each window's gradient to its first maximum (row-major)."""
    dx = np.zeros_like(x)
    n, h, w, c = x.shape
    for b in range(n):
        for r in range(h // k):
            for q in range(w // k):
                for ch in range(c):
                    win = x[b, r * k:(r + 1) * k, q * k:(q + 1) * k, ch]
                    i, j = np.unravel_index(np.argmax(win), win.shape)  # argmax: the first maximum
                    dx[b, r * k + i, q * k + j, ch] += g[b, r, q, ch]
    return dx


@pytest.mark.parametrize("k,padding", [(2, "SAME"), (2, "VALID"), (3, "VALID")])
def test_tiling_max_pool_gradient_ties_go_to_the_first_maximum(k, padding):
    """Windows that tile the input (the lecture's 2x2 pools after a ReLU, full of zero ties) take the tiled kernel;
    it must agree with TF's rule entry by entry, also for an infinite gradient (no nan next to it)."""
    rng = np.random.RandomState(3)
    x = np.maximum(rng.randn(2, 6, 6, 3), 0).astype(np.float32)
    x[0, :3, :3, 0] = 0.5  # a window of equal positive maxima
    tf.reset_default_graph()
    xt = tf.constant(x)
    y = tf.nn.max_pool(xt, [1, k, k, 1], [1, k, k, 1], padding)
    g = rng.randn(2, 6 // k, 6 // k, 3).astype(np.float32)
    g[1, 0, 0, 1] = np.inf
    dx = _run(tf.gradients(y, xt, grad_ys=tf.constant(g))[0])
    np.testing.assert_array_equal(dx, _first_max_reference(x, g, k))


def test_relu_grad_is_tfs_product():
    """TF's ReluGrad is gradients * (features > 0): 0 at and below zero, the gradient above."""
    tf.reset_default_graph()
    f = tf.constant([-1.0, 0.0, 2.0, 3.0])
    g = tf.constant([5.0, 6.0, 7.0, np.inf])
    np.testing.assert_array_equal(_run(nn_ops._relu_grad_op(g, f)), [0.0, 0.0, 7.0, np.inf])


def test_bias_add_grad_sums_many_rows_exactly_enough():
    """Long columns are summed by BLAS (ones @ matrix): float32 sums of 50,176 rows agree with float64 ones."""
    tf.reset_default_graph()
    v = np.random.RandomState(5).rand(64, 28, 28, 32).astype(np.float32)
    x = tf.placeholder(tf.float32, [None, 28, 28, 32])
    b = tf.Variable(tf.zeros([32]))
    gb, = tf.gradients(tf.reduce_sum(tf.nn.bias_add(x, b) * v), [b])
    with tf.Session() as sess:
        sess.run(b.initializer)
        got = sess.run(gb, {x: v})
    np.testing.assert_allclose(got, v.astype(np.float64).reshape(-1, 32).sum(0), rtol=1e-5)


# =========================================================================== errors (TF's classes and wording)
def test_conv2d_build_time_errors():
    tf.reset_default_graph()
    with pytest.raises(ValueError, match=r"Dimensions must be equal, but are 2 and 3 for 'Conv2D' \(op: 'Conv2D'\) "
                                         r"with input shapes: \[1,5,5,2\], \[3,3,3,4\]"):
        tf.nn.conv2d(tf.zeros([1, 5, 5, 2]), tf.zeros([3, 3, 3, 4]), [1, 1, 1, 1], "SAME")
    with pytest.raises(ValueError, match="Negative dimension size caused by subtracting 3 from 2 for 'Conv2D_1'"):
        tf.nn.conv2d(tf.zeros([1, 2, 2, 1]), tf.zeros([3, 3, 1, 1]), [1, 1, 1, 1], "VALID")
    with pytest.raises(ValueError, match="Shape must be rank 4 but is rank 3"):
        tf.nn.conv2d(tf.zeros([2, 2, 1]), tf.zeros([3, 3, 1, 1]), [1, 1, 1, 1], "VALID")
    with pytest.raises(ValueError, match="Attr 'padding' of 'Conv2D' Op passed string 'same' not in: \"SAME\", "
                                         "\"VALID\", \"EXPLICIT\"."):
        tf.nn.conv2d(tf.zeros([1, 2, 2, 1]), tf.zeros([1, 1, 1, 1]), [1, 1, 1, 1], "same")
    with pytest.raises(ValueError, match="Attr 'data_format' of 'Conv2D' Op passed string 'NHCW' not in"):
        tf.nn.conv2d(tf.zeros([1, 2, 2, 1]), tf.zeros([1, 1, 1, 1]), [1, 1, 1, 1], "SAME", data_format="NHCW")
    with pytest.raises(ValueError, match="strides should be of length 1, 2 or 4 but was 3"):
        tf.nn.conv2d(tf.zeros([1, 2, 2, 1]), tf.zeros([1, 1, 1, 1]), [1, 1, 1], "SAME")
    with pytest.raises(ValueError, match="Stride must be > 0, but got 0"):
        tf.nn.conv2d(tf.zeros([1, 2, 2, 1]), tf.zeros([1, 1, 1, 1]), [1, 0, 1, 1], "SAME")
    with pytest.raises(TypeError, match="Value passed to parameter 'input' has DataType int32 not in list of allowed"):
        tf.nn.conv2d(tf.zeros([1, 2, 2, 1], tf.int32), tf.zeros([1, 1, 1, 1], tf.int32), [1, 1, 1, 1], "SAME")
    with pytest.raises(TypeError, match="Input 'filter' of 'Conv2D' Op has type float64 that does not match type "
                                        "float32 of argument 'input'."):
        tf.nn.conv2d(tf.zeros([1, 2, 2, 1]), tf.zeros([1, 1, 1, 1], tf.float64), [1, 1, 1, 1], "SAME")
    with pytest.raises(TypeError, match="Expected list for 'strides' argument to 'conv2d_backprop_input' Op"):
        tf.nn.conv2d_backprop_input([1, 2, 2, 1], tf.zeros([1, 1, 1, 1]), tf.zeros([1, 2, 2, 1]), 1, "SAME")


def test_conv2d_explicit_padding_errors():
    tf.reset_default_graph()
    x, f = tf.zeros([1, 4, 4, 2]), tf.zeros([3, 3, 2, 1])
    with pytest.raises(ValueError, match="Nonzero explicit padding in the batch or depth dimensions is not supported"):
        tf.nn.conv2d(x, f, [1, 1, 1, 1], [[1, 0], [0, 0], [0, 0], [0, 0]])
    with pytest.raises(ValueError, match="When padding is a list, it must be of size 4. Got padding of size: 3"):
        tf.nn.conv2d(x, f, [1, 1, 1, 1], [[0, 0], [0, 0], [0, 0]])
    with pytest.raises(ValueError, match="Element with index 1 of padding has size 3"):
        tf.nn.conv2d(x, f, [1, 1, 1, 1], [[0, 0], [0, 0, 1], [0, 0], [0, 0]])
    with pytest.raises(ValueError, match='"EXPLICIT" is not a valid value for the padding parameter'):
        tf.nn.conv2d(x, f, [1, 1, 1, 1], "EXPLICIT")
    with pytest.raises(ValueError, match="All elements of explicit_paddings must be nonnegative"):
        tf.nn.conv2d(x, f, [1, 1, 1, 1], [[0, 0], [-1, 0], [0, 0], [0, 0]])


def test_nchw_builds_but_fails_on_the_cpu_with_tf_error_and_a_fix():
    """TF infers NCHW shapes, and its CPU kernels refuse NCHW when the graph runs."""
    tf.reset_default_graph()
    y = tf.nn.conv2d(tf.zeros([1, 1, 5, 5]), tf.zeros([3, 3, 1, 2]), [1, 1, 2, 2], "SAME", data_format="NCHW")
    assert y.shape.as_list() == [1, 2, 3, 3]
    with pytest.raises(errors.UnimplementedError, match=r"Generic conv implementation only supports NHWC tensor "
                                                        r"format for now\..*data_format='NHWC'.*tf.transpose"):
        _run(y)
    p = tf.nn.max_pool(tf.zeros([1, 1, 4, 4]), [1, 1, 2, 2], [1, 1, 2, 2], "SAME", data_format="NCHW")
    assert p.shape.as_list() == [1, 1, 2, 2]
    with pytest.raises(errors.InvalidArgumentError, match="Default MaxPoolingOp only supports NHWC on device type CPU"):
        _run(p)
    a = tf.nn.avg_pool(tf.zeros([1, 1, 4, 4]), [1, 1, 2, 2], [1, 1, 2, 2], "SAME", data_format="NCHW")
    with pytest.raises(errors.InvalidArgumentError, match="Default AvgPoolingOp only supports NHWC on device type CPU"):
        _run(a)
    bi = tf.nn.conv2d_backprop_input([1, 1, 4, 4], tf.zeros([3, 3, 1, 2]), tf.zeros([1, 2, 4, 4]), [1, 1, 1, 1],
                                     "SAME", data_format="NCHW")
    with pytest.raises(errors.InvalidArgumentError, match="Conv2DCustomBackpropInputOp only supports NHWC."):
        _run(bi)
    bf = tf.nn.conv2d_backprop_filter(tf.zeros([1, 1, 4, 4]), [3, 3, 1, 2], tf.zeros([1, 2, 4, 4]), [1, 1, 1, 1],
                                      "SAME", data_format="NCHW")
    with pytest.raises(errors.InvalidArgumentError, match="Conv2DCustomBackpropFilterOp only supports NHWC."):
        _run(bf)
    d = tf.nn.depthwise_conv2d(tf.zeros([1, 1, 4, 4]), tf.zeros([3, 3, 1, 2]), [1, 1, 1, 1], "SAME",
                               data_format="NCHW")
    assert d.shape.as_list() == [1, 2, 4, 4]
    with pytest.raises(errors.UnimplementedError, match="Depthwise convolution on CPU is only supported for NHWC"):
        _run(d)


def test_conv2d_run_time_errors():
    tf.reset_default_graph()
    p = tf.placeholder(tf.float32, [None, None, None, None])
    y = tf.nn.conv2d(p, tf.zeros([3, 3, 2, 2]), [1, 1, 1, 1], "VALID")
    with pytest.raises(errors.InvalidArgumentError, match=r"Computed output size would be negative: -1 \[input_size: "
                                                          r"1, effective_filter_size: 3, stride: 1\]"):
        _run(y, {p: np.zeros((1, 1, 4, 2))})
    with pytest.raises(errors.InvalidArgumentError, match="input depth must be evenly divisible by filter depth: "
                                                          "3 vs 2"):
        _run(y, {p: np.zeros((1, 4, 4, 3))})
    with pytest.raises(errors.InvalidArgumentError, match="Current implementation does not yet support strides in "
                                                          "the batch and depth dimensions."):
        _run(tf.nn.conv2d(tf.zeros([1, 5, 5, 1]), tf.zeros([3, 3, 1, 2]), [2, 1, 1, 1], "SAME"))
    bi = tf.nn.conv2d_backprop_input([1, 5, 5, 1], tf.zeros([3, 3, 1, 2]), tf.zeros([1, 4, 4, 2]), [1, 1, 1, 1],
                                     "SAME")
    with pytest.raises(errors.InvalidArgumentError, match="Conv2DCustomBackpropInput: Size of out_backprop doesn't "
                                                          "match computed: actual = 4, computed = 5 spatial_dim: 1"):
        _run(bi)
    bf = tf.nn.conv2d_backprop_filter(tf.zeros([1, 5, 5, 1]), [3, 3, 1, 2], tf.zeros([1, 5, 5, 3]), [1, 1, 1, 1],
                                      "SAME")
    with pytest.raises(errors.InvalidArgumentError, match="Conv2DCustomBackpropFilter: filter and out_backprop must "
                                                          "have the same out_depth"):
        _run(bf)


def test_conv2d_transpose_checks_output_shape():
    tf.reset_default_graph()
    v = tf.zeros([1, 3, 3, 2])
    with pytest.raises(ValueError, match="input channels does not match filter's input channels, 2 != 4"):
        tf.nn.conv2d_transpose(v, tf.zeros([3, 3, 5, 4]), [1, 6, 6, 5], [1, 2, 2, 1])
    with pytest.raises(ValueError, match="output_shape does not match filter's output channels, 4 != 5"):
        tf.nn.conv2d_transpose(v, tf.zeros([3, 3, 5, 2]), [1, 6, 6, 4], [1, 2, 2, 1])
    with pytest.raises(ValueError, match=r"output_shape must have shape \(4,\), got \(3,\)"):
        tf.nn.conv2d_transpose(v, tf.zeros([3, 3, 5, 2]), [1, 6, 6], [1, 2, 2, 1])
    with pytest.raises(ValueError, match="padding must be either VALID or SAME: FULL"):
        tf.nn.conv2d_transpose(v, tf.zeros([3, 3, 5, 2]), [1, 6, 6, 5], [1, 2, 2, 1], "FULL")
    with pytest.raises(ValueError, match="data_format has to be either NCHW or NHWC."):
        tf.nn.conv2d_transpose(v, tf.zeros([3, 3, 5, 2]), [1, 6, 6, 5], [1, 2, 2, 1], data_format="HWC")
    y = tf.nn.conv2d_transpose(v, tf.zeros([3, 3, 5, 2]), [1, 7, 7, 5], [1, 2, 2, 1], name="up")  # 7 -> 4, not 3
    assert y.name == "up:0" and y.shape.as_list() == [1, 7, 7, 5]
    with pytest.raises(errors.InvalidArgumentError, match="Size of out_backprop doesn't match computed: actual = 3, "
                                                          "computed = 4"):
        _run(y)


def test_pooling_errors():
    tf.reset_default_graph()
    with pytest.raises(ValueError, match=r"Negative dimension size caused by subtracting 2 from 1 for 'MaxPool' "
                                         r"\(op: 'MaxPool'\) with input shapes: \[\?,1,1,64\]"):
        tf.nn.max_pool(tf.placeholder(tf.float32, [None, 1, 1, 64]), 2, 2, "VALID")
    with pytest.raises(ValueError, match="ksize cannot be zero."):
        tf.nn.max_pool(tf.zeros([1, 4, 4, 2]), [1, 0, 2, 1], [1, 2, 2, 1], "SAME")
    with pytest.raises(ValueError, match="Attr 'padding' of 'AvgPool' Op passed string 'FULL' not in: \"SAME\", "
                                         "\"VALID\"."):
        tf.nn.avg_pool(tf.zeros([1, 4, 4, 2]), 2, 2, "FULL")
    with pytest.raises(TypeError, match="DataType int32 not in list of allowed values"):
        tf.nn.avg_pool(tf.zeros([1, 4, 4, 2], tf.int32), 2, 2, "SAME")
    with pytest.raises(errors.UnimplementedError, match="Pooling is not yet supported on the batch dimension."):
        _run(tf.nn.max_pool(tf.zeros([2, 4, 4, 2]), [2, 2, 2, 1], [1, 2, 2, 1], "SAME"))
    with pytest.raises(errors.UnimplementedError, match="Non-spatial pooling is not yet supported."):
        _run(tf.nn.avg_pool(tf.zeros([2, 4, 4, 2]), [1, 1, 1, 2], [1, 1, 1, 2], "VALID"))


def test_bias_add_errors():
    tf.reset_default_graph()
    with pytest.raises(ValueError, match=r"Dimensions must be equal, but are 3 and 4 for 'BiasAdd' \(op: 'BiasAdd'\)"):
        tf.nn.bias_add(tf.zeros([2, 3]), tf.zeros([4]))
    with pytest.raises(ValueError, match="Shape must be at least rank 2 but is rank 1"):
        tf.nn.bias_add(tf.zeros([3]), tf.zeros([3]))
    with pytest.raises(ValueError, match="data_format must be of the form `N...C` or `NC...`"):
        tf.nn.bias_add(tf.zeros([2, 3]), tf.zeros([3]), data_format="HWC")
    with pytest.raises(ValueError, match="Tensor conversion requested dtype float32 for Tensor with dtype int32"):
        tf.nn.bias_add(tf.zeros([2, 3]), tf.zeros([3], tf.int32))
    p = tf.placeholder(tf.float32)
    with pytest.raises(errors.InvalidArgumentError, match=r"Must provide as many biases as the last dimension of the "
                                                          r"input tensor: \[3\] vs. \[2,4\]"):
        _run(tf.nn.bias_add(p, [1., 2., 3.]), {p: np.zeros((2, 4))})


def test_top_k_and_in_top_k_errors():
    tf.reset_default_graph()
    with pytest.raises(ValueError, match="input must have last dimension >= k = 5 but is 3"):
        tf.nn.top_k(tf.zeros([2, 3]), 5)
    with pytest.raises(ValueError, match="Dimension size, given by scalar input 1, must be non-negative but is -1"):
        tf.nn.top_k(tf.zeros([2, 3]), -1)
    k = tf.placeholder(tf.int32)
    with pytest.raises(errors.InvalidArgumentError, match="input must have at least k columns. Had 3, needed 4"):
        _run(tf.nn.top_k(tf.zeros([2, 3]), k).values, {k: 4})
    with pytest.raises(ValueError, match=r"Dimensions must be equal, but are 2 and 3 for 'in_top_k/InTopKV2'"):
        tf.nn.in_top_k(tf.zeros([2, 3]), [1, 2, 0], 1)
    with pytest.raises(TypeError, match="Expected float32 passed to parameter 'predictions'|float64"):
        tf.nn.in_top_k(tf.zeros([2, 3], tf.float64), [1, 2], 1)


def test_activation_and_lrn_errors():
    tf.reset_default_graph()
    with pytest.raises(TypeError, match="Value passed to parameter 'features' has DataType int32 not in list"):
        tf.nn.elu(tf.zeros([2], tf.int32))
    with pytest.raises(TypeError, match="Value passed to parameter 'input' has DataType float64 not in list of allowed "
                                        "values: float16, float32"):
        tf.nn.lrn(tf.zeros([1, 2, 2, 3], tf.float64))
    with pytest.raises(ValueError, match="Shape must be rank 4 but is rank 2"):
        tf.nn.lrn(tf.zeros([2, 3]))
    with pytest.raises(ValueError, match="Current implementation only supports equal length strides in the row and "
                                         "column dimensions."):
        tf.nn.depthwise_conv2d(tf.zeros([1, 4, 4, 2]), tf.zeros([3, 3, 2, 1]), [1, 2, 1, 1], "SAME")
    with pytest.raises(ValueError, match="strides > 1 not supported in conjunction with dilation_rate > 1"):
        tf.nn.depthwise_conv2d(tf.zeros([1, 4, 4, 2]), tf.zeros([3, 3, 2, 1]), [1, 2, 2, 1], "SAME", rate=[2, 2])
    with pytest.raises(ValueError, match="Dimensions 3 and 1 are not compatible"):
        tf.nn.separable_conv2d(tf.zeros([1, 4, 4, 2]), tf.zeros([3, 3, 2, 1]), tf.zeros([3, 1, 2, 3]), [1, 1, 1, 1],
                               "SAME")


# =========================================================================== dropout
def test_dropout_keep_prob_placeholder_train_and_test():
    tf.reset_default_graph()
    xv = np.arange(1, 20001, dtype=np.float32).reshape(100, 200)
    keep_prob = tf.placeholder(tf.float32)
    out = tf.nn.dropout(tf.constant(xv), keep_prob)
    assert out.name == "dropout/mul:0" and out.shape.as_list() == [100, 200] and out.dtype == tf.float32
    types = [op.type for op in tf.get_default_graph().get_operations() if op.name.startswith("dropout/")]
    assert "RandomUniform" in types and "Floor" in types
    with tf.Session() as sess:
        train = sess.run(out, {keep_prob: 0.5})
        test = sess.run(out, {keep_prob: 1.0})
        train2 = sess.run(out, {keep_prob: 0.8})
    np.testing.assert_array_equal(test, xv)              # keep_prob 1: exactly x
    kept = train != 0
    assert abs(kept.mean() - 0.5) < 0.02
    np.testing.assert_array_equal(train[kept], 2 * xv[kept])
    assert abs((train2 != 0).mean() - 0.8) < 0.02
    np.testing.assert_allclose(train2[train2 != 0], xv[train2 != 0] / np.float32(0.8), rtol=1e-6)


def test_dropout_python_keep_prob_rate_noise_shape_and_seed():
    tf.reset_default_graph()
    x = tf.ones([8, 4, 4, 16])
    assert tf.nn.dropout(x, 1.0) is x                    # known keep_prob 1: no ops at all, as TF
    assert tf.nn.dropout(x, rate=0.0) is x
    d = tf.nn.dropout(x, 0.25, noise_shape=[8, 1, 1, 16], seed=3)
    r = tf.nn.dropout(x, rate=tf.constant(0.75), noise_shape=[None, 1, 1, 16])
    tf.set_random_seed(1)
    s1 = tf.nn.dropout(x, 0.5, seed=5)
    a, b = _run([d, r])
    assert set(np.unique(a)) <= {0.0, 4.0} and set(np.unique(b)) <= {0.0, 4.0}
    assert (a == a[:, :1, :1, :]).all() and (b == b[:, :1, :1, :]).all()   # whole feature maps kept or dropped
    assert 0 < (a != 0).mean() < 0.6
    first, again = _run(s1), _run(s1)                    # a graph and op seed: each new session repeats
    np.testing.assert_array_equal(first, again)


def test_dropout_errors():
    tf.reset_default_graph()
    x = tf.zeros([2, 3])
    with pytest.raises(ValueError, match=r"keep_prob must be a scalar tensor or a float in the range \(0, 1\], got 0"):
        tf.nn.dropout(x, 0.0)
    with pytest.raises(ValueError, match=r"keep_prob must be a scalar tensor or a float in the range \(0, 1\], got 1.5"):
        tf.nn.dropout(x, 1.5)
    with pytest.raises(ValueError, match=r"rate must be a scalar tensor or a float in the range \[0, 1\), got 1"):
        tf.nn.dropout(x, rate=1.0)
    with pytest.raises(ValueError, match="You must provide a rate to dropout."):
        tf.nn.dropout(x)
    with pytest.raises(ValueError, match="Cannot specify both 'keep_prob' and 'rate'"):
        tf.nn.dropout(x, 0.5, rate=0.5)
    with pytest.raises(ValueError, match="keep_prob must be a floating point number or Tensor"):
        tf.nn.dropout(x, "0.5")
    with pytest.raises(ValueError, match="x has to be a floating point tensor since it's going to be scaled."):
        tf.nn.dropout(tf.zeros([2], tf.int32), 0.5)
    with pytest.raises(ValueError, match=r"Shapes \(2,\) and \(\) are incompatible"):
        tf.nn.dropout(x, tf.placeholder(tf.float32, [2]))


def test_dropout_gradient_is_the_mask_over_keep_prob():
    tf.reset_default_graph()
    x = tf.constant(np.ones((50, 40), np.float32))
    y = tf.nn.dropout(x, 0.5)
    out, g = _run([y, tf.gradients(tf.reduce_sum(y), x)[0]])
    np.testing.assert_array_equal(g, out)                # x is ones: the gradient equals the output


# =========================================================================== names and the lecture's conv net
def test_op_names_follow_tf():
    tf.reset_default_graph()
    img, k = tf.ones([1, 4, 4, 1]), tf.ones([2, 2, 1, 1])
    got = [tf.nn.conv2d(img, k, [1, 1, 1, 1], "SAME"), tf.nn.max_pool(img, 2, 2, "SAME"),
           tf.nn.avg_pool(img, 2, 2, "SAME"), tf.nn.bias_add(img, [1.0]), tf.nn.relu6(img), tf.nn.elu(img),
           tf.nn.selu(img), tf.nn.leaky_relu(img), tf.nn.softplus(img), tf.nn.softsign(img), tf.nn.lrn(img),
           tf.nn.depthwise_conv2d(img, k, [1, 1, 1, 1], "SAME"),
           tf.nn.conv2d_transpose(img, k, [1, 8, 8, 1], [1, 2, 2, 1]), tf.nn.top_k([[1.0, 2.0]]).indices,
           tf.nn.in_top_k([[0.1, 0.9]], [1], 1)]
    assert [t.name for t in got] == [
        "Conv2D:0", "MaxPool:0", "AvgPool:0", "BiasAdd:0", "Relu6:0", "Elu:0", "Selu:0", "LeakyRelu:0", "Softplus:0",
        "Softsign:0", "LRN:0", "depthwise:0", "conv2d_transpose:0", "TopKV2:1", "in_top_k/InTopKV2:0"]
    s = tf.nn.separable_conv2d(img, k, tf.ones([1, 1, 1, 3]), [1, 1, 1, 1], "SAME")
    assert s.name == "separable_conv2d:0"
    assert tf.get_default_graph().get_operation_by_name("separable_conv2d/depthwise").type == "DepthwiseConv2dNative"
    w = tf.Variable(tf.ones([3, 3, 1, 2]), name="w")
    y = tf.nn.conv2d(tf.ones([1, 5, 5, 1]), w, [1, 1, 1, 1], "SAME", name="conv")
    (gw,) = tf.gradients(tf.reduce_sum(y), w)
    assert gw.name == "gradients/conv_grad/Conv2DBackpropFilter:0" and gw.shape.as_list() == [3, 3, 1, 2]


def test_conv_net_trains():
    """The lecture's conv_net (5x5x32 conv, 2x2 max pool, 5x5x64 conv, max pool, fc 1024, dropout, fc 10):
    static shapes as TF, every variable gets a gradient, and a few Adam steps fit a small batch."""
    tf.reset_default_graph()
    tf.set_random_seed(0)
    rng = np.random.RandomState(0)
    x = tf.placeholder(tf.float32, [None, 784])
    y = tf.placeholder(tf.float32, [None, 10])
    keep_prob = tf.placeholder(tf.float32)
    h = tf.reshape(x, [-1, 28, 28, 1])
    for i, (n_in, n_out) in enumerate([(1, 32), (32, 64)]):
        w = tf.Variable(tf.truncated_normal([5, 5, n_in, n_out], stddev=0.1))
        b = tf.Variable(tf.zeros([n_out]))
        h = tf.nn.max_pool(tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(h, w, [1, 1, 1, 1], "SAME"), b)),
                           [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    assert h.shape.as_list() == [None, 7, 7, 64]
    w1 = tf.Variable(tf.truncated_normal([7 * 7 * 64, 1024], stddev=0.02))
    h = tf.nn.dropout(tf.nn.relu(tf.matmul(tf.reshape(h, [-1, 7 * 7 * 64]), w1)), keep_prob)
    logits = tf.matmul(h, tf.Variable(tf.truncated_normal([1024, 10], stddev=0.02)))
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
    grads = tf.gradients(loss, tf.trainable_variables())
    assert all(g is not None for g in grads)
    train = tf.train.AdamOptimizer(1e-3).minimize(loss)
    xb = rng.rand(8, 784).astype(np.float32)
    yb = np.eye(10, dtype=np.float32)[rng.randint(0, 10, 8)]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = sess.run(loss, {x: xb, y: yb, keep_prob: 1.0})
        for _ in range(10):
            sess.run(train, {x: xb, y: yb, keep_prob: 0.75})
        after = sess.run(loss, {x: xb, y: yb, keep_prob: 1.0})
    assert after < 0.5 * before


@pytest.mark.parametrize("depth", [1, 5])  # tap by tap, or window by window
@pytest.mark.parametrize("batch", [1, 6])  # bias added after each GEMM, or carried in it (ones column)
@pytest.mark.parametrize("block", [None, 1, 2000])
def test_fused_conv_kernel_is_conv_then_bias_then_relu(depth, batch, block, monkeypatch):
    """_FusedConv2D's kernel (what a plan calls for Conv2D -> BiasAdd [-> Relu]) against the three kernels,
    for any blocking, on the CPU and on the fake GPU (one GEMM, the bias and ReLU applied after it)."""
    rng = np.random.RandomState(depth + batch)
    x = rng.randn(batch, 7, 5, depth).astype(np.float32)
    f = rng.randn(3, 2, depth, 4).astype(np.float32)
    b = rng.randn(4).astype(np.float32)
    attrs = dict(strides=[1, 2, 1, 1], padding="SAME", data_format="NHWC", dilations=[1, 1, 1, 1])
    conv = nn_ops._conv2d_kernel(np, x, f, **attrs)
    if block is not None:
        monkeypatch.setattr(nn_ops, "_IM2COL_MIN_ROWS", 1)
        monkeypatch.setattr(nn_ops, "_IM2COL_BLOCK_BYTES", block)
    fake = backends.gpu_backend("fake")
    for activation in ("Relu", None):
        want = conv + b
        if activation:
            want = np.maximum(want, 0)
        got = nn_ops._fused_conv2d_kernel(np, x, f, b, activation=activation, **attrs)
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
        on_device = nn_ops._fused_conv2d_kernel(fake.xp, fake.to_device(x), fake.to_device(f), fake.to_device(b),
                                                activation=activation, **attrs)  # buffers outside any session
        np.testing.assert_allclose(fake.to_host(on_device), want, rtol=1e-5, atol=1e-5)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Must provide as many biases"):
        nn_ops._fused_conv2d_kernel(np, x, f, b[:3], activation=None, **attrs)


def _direct_conv(x, f, pads):
    """A stride-1 NHWC cross-correlation in float64 numpy, zero padding (top, bottom, left, right)."""
    top, bottom, left, right = pads
    p = np.pad(x.astype(np.float64), ((0, 0), (top, bottom), (left, right), (0, 0)))
    kh, kw = f.shape[:2]
    oh, ow = p.shape[1] - kh + 1, p.shape[2] - kw + 1
    out = np.zeros((x.shape[0], oh, ow, f.shape[3]))
    for i in range(kh):
        for j in range(kw):
            out += np.einsum("nhwc,ck->nhwk", p[:, i:i + oh, j:j + ow], f[i, j].astype(np.float64))
    return out


@pytest.mark.parametrize("n,h,w,pads", [(1, 8, 8, (1, 1, 1, 1)), (2, 7, 9, (1, 1, 1, 1)), (1, 9, 6, (0, 0, 0, 0)),
                                        (3, 5, 5, (2, 0, 1, 3)), (1, 3, 3, (0, 0, 0, 0))])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("block", [None, 1])  # one block per image, or a tile row at a time
def test_winograd_convolution_equals_the_direct_one(n, h, w, pads, dtype, block, monkeypatch):
    """F(2x2, 3x3) (3x3, stride 1, deep inputs) against a float64 direct convolution: even and odd output
    sizes, padding on any side or none, several images, and the bias and ReLU of the fused kernel."""
    monkeypatch.setattr(nn_ops, "_WINOGRAD_MIN_DEPTH", 1)
    monkeypatch.setattr(nn_ops, "_WINOGRAD_MIN_TILES", 1)
    if block:
        monkeypatch.setattr(nn_ops, "_WINOGRAD_BLOCK_BYTES", block)
        monkeypatch.setattr(nn_ops, "_WINOGRAD_MIN_ROWS", 1)
    rng = np.random.RandomState(h * w + n)
    x = rng.randn(n, h, w, 5).astype(dtype)
    f = rng.randn(3, 3, 5, 6).astype(dtype)
    b = rng.randn(6).astype(dtype)
    oh, ow = h + pads[0] + pads[1] - 2, w + pads[2] + pads[3] - 2
    assert nn_ops._winograd_applies(x, f, 1, 1, 1, 1, oh, ow)
    want = _direct_conv(x, f, pads)
    tol = 1e-5 if dtype == np.float32 else 1e-12
    got = nn_ops._conv_gemm(np, x, f, 1, 1, 1, 1, oh, ow, pads)
    assert got.dtype == dtype and got.shape == want.shape and got.flags.c_contiguous
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol)
    fused = nn_ops._conv_gemm(np, x, f, 1, 1, 1, 1, oh, ow, pads, bias=b, relu=True)
    np.testing.assert_allclose(fused, np.maximum(want + b, 0), rtol=tol, atol=tol)


def test_winograd_takes_deep_3x3_convolutions_and_their_input_gradients():
    """At VGG's depths the forward conv and the stride-1 input gradient (a conv with the turned filter) go
    through Winograd; their values match a float64 reference, the filter gradient (no Winograd) too."""
    rng = np.random.RandomState(0)
    x = rng.randn(1, 24, 22, 128).astype(np.float32)
    f = (rng.randn(3, 3, 128, 128) / 30).astype(np.float32)
    assert nn_ops._winograd_applies(x, f, 1, 1, 1, 1, 24, 22)
    assert not nn_ops._winograd_applies(x, f, 2, 2, 1, 1, 12, 11)  # strided: im2col
    assert not nn_ops._winograd_applies(x[..., :64], f[:, :, :64], 1, 1, 1, 1, 24, 22)  # shallow: im2col
    assert not nn_ops._winograd_applies(x[:, :8, :8], f, 1, 1, 1, 1, 8, 8)  # 16 tiles: im2col
    xt, ft = tf.constant(x), tf.constant(f)
    y = tf.nn.conv2d(xt, ft, [1, 1, 1, 1], "SAME")
    dy = rng.randn(1, 24, 22, 128).astype(np.float32)
    got_y, got_dx = _run([y, tf.gradients(y, xt, grad_ys=tf.constant(dy))[0]])
    np.testing.assert_allclose(got_y, _direct_conv(x, f, (1, 1, 1, 1)), rtol=1e-4, atol=1e-4)
    turned = f[::-1, ::-1].transpose(0, 1, 3, 2)
    np.testing.assert_allclose(got_dx, _direct_conv(dy, turned, (1, 1, 1, 1)), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("ksize,strides,padding", [(2, 2, "SAME"), (3, 2, "SAME"), (2, 2, "VALID")])
def test_pooling_in_image_blocks_on_the_pool_threads_equals_one_block(ksize, strides, padding, monkeypatch):
    """MaxPool, its gradient and ReluGrad split a large batch into image blocks for the intra-op threads: the same
    values (ties, from ReLU zeros, still go to each window's first maximum)."""
    from tfmini.runtime import intra_op
    rng = np.random.RandomState(ksize)
    x = np.maximum(rng.randn(7, 8, 6, 3), 0).astype(np.float32)
    k, s = [1, ksize, ksize, 1], [1, strides, strides, 1]

    def run():
        tf.reset_default_graph()
        xt = tf.constant(x)
        y = tf.nn.max_pool(xt, k, s, padding)
        g = tf.constant(rng.__class__(1).randn(*y.shape.as_list()).astype(np.float32))
        r = tf.nn.relu(xt - 0.5)
        return _run([y, tf.gradients(y, xt, grad_ys=g)[0], tf.gradients(r, xt, grad_ys=tf.constant(x))[0]])

    whole = run()
    before = intra_op.threads()
    monkeypatch.setattr(nn_ops, "_BATCH_BLOCK_MIN", 1)
    try:
        intra_op.set_threads(2)
        assert len(nn_ops._batch_blocks(x)) > 2  # several blocks
        for a, b in zip(run(), whole):
            np.testing.assert_array_equal(a, b)
    finally:
        intra_op.set_threads(before)


def test_float16_products_and_convolutions_compute_in_float32():
    """numpy has no BLAS for float16: tfmini computes float16 MatMul and convolutions (and their gradients) in
    float32 and rounds the result, as fast as float32 (the audited convolutional.py --use_fp16 took 6-13 s for one
    [64,14,14,32] x [5,5,32,64] convolution, 100 times float32's time; TF: 0.06 s)."""
    import time
    rng = np.random.RandomState(0)
    xv, fv = rng.rand(64, 14, 14, 32).astype(np.float16), rng.rand(5, 5, 32, 64).astype(np.float16)
    x = tf.placeholder(tf.float16, xv.shape)
    y = tf.nn.conv2d(x, tf.constant(fv), [1, 1, 1, 1], "SAME")
    m = tf.matmul(tf.reshape(x, [64, -1]), tf.ones([14 * 14 * 32, 10], tf.float16))
    grads = tf.gradients(tf.reduce_sum(y) + tf.reduce_sum(m), [x])
    cpu = tf.ConfigProto(device_count={"GPU": 0})  # the CPU's kernels (a GPU computes float16 itself)
    with tf.Session(config=cpu) as sess:
        sess.run([y, m, grads], {x: xv})
        start = time.perf_counter()
        got, got_m, (dx,) = sess.run([y, m, grads], {x: xv})
        took = time.perf_counter() - start
    assert got.dtype == got_m.dtype == dx.dtype == np.float16 and took < 2.0, took
    with tf.Session(config=cpu) as sess:
        want = sess.run(tf.nn.conv2d(xv.astype(np.float32), fv.astype(np.float32), [1, 1, 1, 1], "SAME"))
    np.testing.assert_array_equal(got, want.astype(np.float16))  # float32's result, rounded
