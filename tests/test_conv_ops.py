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


def _conv_attrs(s=(1, 1), padding="SAME", d=(1, 1)):
    return dict(strides=[1, s[0], s[1], 1], padding=padding, dilations=[1, d[0], d[1], 1])


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
DY = RNG.randn(2, 7, 6, 4).astype(np.float32)          # conv2d(X, F) SAME stride 1 gradient
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
