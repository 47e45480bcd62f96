"""The CuPy backend: ops on an NVIDIA GPU, with the shared `xp` kernels and a few fused fast paths.

Imported only when a session looks for a GPU (never by `import tfmini`). `load()` returns the
backend, or None and the reason when CuPy is missing or finds no CUDA device.

Fast paths (`_fast_paths`) replace a shared kernel on the GPU where the shared one launches many small
kernels or reads a value back to the host: Sigmoid, ReluGrad, TanhGrad, SigmoidGrad, the SGD/Momentum/Adam
updates, the sparse
cross-entropy, MaxPool and its gradient (one fused kernel each), and L2Loss (a reduction that adds in
float64). Each keeps the shared kernel's signature, checks and messages, and falls back to it for the
dtypes and layouts it does not cover. The convolutions keep their shared kernels, which use the fused
im2col and input gradient this module registers with nn_ops for CuPy arrays; a fused Conv2D or MatMul ->
BiasAdd [-> Relu] (device plans fuse them, as CPU plans do) adds its bias and ReLU with the one kernel this
module registers with math_ops. `TFMINI_CUPY_FAST=0` turns all of them off; `XP_KERNELS` (TF's GPU
semantics) apply either way. scripts/gpu_check measures both ways: in its run on 4728d35 on an H200, the CNN
step at batch 64 took 1.65x as long without them and the perceptron step 1.28x (both then still checked the
labels on the host every step, as the CPU does).
"""
import os

import numpy as np

from .backends import GpuBackend

__all__ = ["load", "CupyBackend", "CupyPool", "XP_KERNELS", "fused_kernels_enabled"]


def fused_kernels_enabled():
    """False when TFMINI_CUPY_FAST=0: GPU backends then use the shared kernels (the fake GPU follows too)."""
    return os.environ.get("TFMINI_CUPY_FAST", "1") != "0"


def load():
    """(CupyBackend, None) when CuPy can use a CUDA device here, else (None, why not)."""
    try:
        import cupy
    except ImportError as e:
        return None, "CuPy is not installed (%s)" % e
    except Exception as e:  # noqa: BLE001 - a broken CUDA install fails in many ways
        return None, "CuPy failed to import: %s" % e
    try:
        n = cupy.cuda.runtime.getDeviceCount()
    except Exception as e:  # noqa: BLE001 - CUDARuntimeError without a driver or a device
        return None, "CuPy finds no CUDA device (%s)" % e
    if n < 1:
        return None, "CuPy finds no CUDA device"
    return CupyBackend(cupy), None


class CupyPool:
    """One session's GPU memory: a CuPy MemoryPool with a limit, optionally filled up front.

    Reserving is one allocation of `reserve` bytes handed back to the pool at once: the pool keeps
    it and carves later buffers out of it, so the memory stays the session's (what nvidia-smi shows)
    until `close`.
    """

    def __init__(self, cupy, limit, reserve):
        self._cupy = cupy
        self.pool = cupy.cuda.MemoryPool()
        self.limit = int(limit)
        if self.limit:
            self.pool.set_limit(size=self.limit)
        self.closed = False
        if reserve:
            self.pool.malloc(int(reserve))  # freed at once, into the pool, which keeps it

    @property
    def in_use(self):
        return self.pool.used_bytes() if self.pool is not None else 0

    @property
    def held(self):
        return self.pool.total_bytes() if self.pool is not None else 0

    def close(self):
        """Free what the pool caches, and let go of it: buffers still alive (an exception's traceback
        can hold some) go straight back to the device when they die."""
        if not self.closed:
            self.closed = True
            self.pool.free_all_blocks()
            self.pool = None


class CupyBackend(GpuBackend):
    name = "cupy"

    def __init__(self, cupy):
        self._cupy = cupy
        self.xp = cupy
        self.oom_errors = (cupy.cuda.memory.OutOfMemoryError,)
        self.to_device = cupy.asarray
        self.to_host = cupy.asnumpy
        # GPU semantics (XP_KERNELS) always; the fused kernels unless TFMINI_CUPY_FAST=0
        self.kernels = dict(XP_KERNELS)
        if fused_kernels_enabled():
            from ..ops import math_ops, nn_ops, philox_random
            self.kernels.update(_fast_paths(cupy))
            nn_ops.register_device_im2col(cupy.ndarray, *_im2col_kernels(cupy))
            math_ops.register_device_bias_relu(cupy.ndarray, _bias_relu_kernel(cupy))
            nn_ops.register_device_direct_conv(cupy.ndarray, _direct_conv_kernel(cupy))
            philox_random.register_device_calls(cupy, _philox_kernel(cupy))

    def device_description(self):
        rt = self._cupy.cuda.runtime
        props = rt.getDeviceProperties(0)
        name = props["name"]
        name = name.decode() if isinstance(name, bytes) else name
        bus = "%04x:%02x:%02x.0" % (props.get("pciDomainID", 0), props.get("pciBusID", 0),
                                    props.get("pciDeviceID", 0))
        return "name: %s, pci bus id: %s, compute capability: %d.%d" % (name, bus, props["major"], props["minor"])

    def memory_info(self):
        return self._cupy.cuda.runtime.memGetInfo()

    def new_pool(self, limit, reserve):
        return CupyPool(self._cupy, limit, reserve)

    def using_pool(self, pool):
        return self._cupy.cuda.using_allocator(pool.pool.malloc)

    def synchronize(self):
        self._cupy.cuda.get_current_stream().synchronize()


# =========================================================================== GPU semantics, in plain xp
# Kernels written with xp alone that differ from the shared ones the way TF's GPU kernels differ from
# its CPU kernels. The fake backend uses them too, so they are tested on every machine.
def _sparse_xent_gpu(xp, features, labels):
    """SparseSoftmaxCrossEntropyWithLogits as TF's GPU kernel: the labels are not checked against the
    class count (that is a device-to-host round trip every step); a row whose label is out of range
    gets NaN loss and gradient."""
    from ..ops import nn_ops
    nn_ops._check_sparse_xent_ranks(features, labels)
    n, c = features.shape
    if labels.shape[0] != n or c == 0:
        return nn_ops._sparse_xent_kernel(xp, features, labels)  # the shape errors, with their messages
    labels = xp.asarray(labels)
    shifted = features - features.max(axis=1, keepdims=True)
    e = xp.exp(shifted)
    sums = e.sum(axis=1)
    rows = xp.arange(n)
    bad = (labels < 0) | (labels >= c)
    safe = xp.where(bad, 0, labels)
    loss = xp.log(sums)
    loss -= shifted[rows, safe]
    e /= sums[:, None]
    e[rows, safe] -= 1
    nan = features.dtype.type(float("nan"))
    return xp.where(bad, nan, loss), xp.where(bad[:, None], nan, e)


XP_KERNELS = {"SparseSoftmaxCrossEntropyWithLogits": _sparse_xent_gpu}


# =========================================================================== fast paths
def _unravel(names, sizes):
    """CUDA lines that split an elementwise kernel's index `i` into coordinates, fastest first: names[k] runs over
    sizes[k], the last name (the image) over the rest. In 32-bit unsigned arithmetic (a few instructions a
    division, where 64-bit takes tens): the callers check that sizes fit; the image is a ptrdiff_t, so memory
    offsets computed from it are 64-bit."""
    lines = ["const unsigned int q0 = (unsigned int)i;"]
    for k, (name, size) in enumerate(zip(names, sizes)):
        lines.append("const unsigned int q%d = q%d / %s;" % (k + 1, k, size))
        lines.append("const int %s = q%d - q%d * %s;" % (name, k, k + 1, size))
    lines.append("const ptrdiff_t %s = q%d;" % (names[-1], len(sizes)))
    return "\n".join("        " + line for line in lines)


def _im2col_kernels(cupy):
    """nn_ops.register_device_im2col's pair for CuPy arrays: im2col, one thread a matrix entry, and the input
    gradient, one GEMM then one thread an input entry (the sum of the matrix entries copied from it); the
    kernels index in 32 bits, so both check the sizes first."""
    conv_params = ("int32 h, int32 w, int32 c, int32 oh, int32 ow, int32 kh, int32 kw, int32 sh, int32 sw, "
                   "int32 dh, int32 dw, int32 pt, int32 pl")
    im2col = cupy.ElementwiseKernel(
        "raw T x, " + conv_params, "T col",
        """
        const unsigned int k = kh * kw * c;
        const unsigned int j = (unsigned int)i;
        const unsigned int r = j / k;
        const int rem = j - r * k;
        const int tap = rem / c, ch = rem - tap * c;
        const int ti = tap / kw, tj = tap - ti * kw;
        const unsigned int t = r / ow;
        const int ox = r - t * ow;
        const unsigned int b = t / oh;
        const int oy = t - b * oh;
        const int y = oy * sh - pt + ti * dh, xx = ox * sw - pl + tj * dw;
        col = (y >= 0 && y < h && xx >= 0 && xx < w) ? x[(((ptrdiff_t)b * h + y) * w + xx) * c + ch] : (T)0;
        """, "tfmini_im2col")
    col2im = cupy.ElementwiseKernel(
        "raw T cols, " + conv_params, "T dx",
        """
        const int k = kh * kw * c;
""" + _unravel(("ch", "xx", "y", "b"), ("c", "w", "h")) + """
        T acc = 0;
        for (int ti = 0; ti < kh; ++ti) {
            const int ys = y + pt - ti * dh;  // oy * sh for the window whose tap ti reads row y
            if (ys < 0 || ys % sh) continue;
            const int oy = ys / sh;
            if (oy >= oh) continue;
            for (int tj = 0; tj < kw; ++tj) {
                const int xs = xx + pl - tj * dw;
                if (xs < 0 || xs % sw) continue;
                const int ox = xs / sw;
                if (ox >= ow) continue;
                acc += cols[(((ptrdiff_t)b * oh + oy) * ow + ox) * k + (ti * kw + tj) * c + ch];
            }
        }
        dx = acc;
        """, "tfmini_col2im")

    def fits(n, h, w, c, kh, kw, sh, sw, dh, dw, oh, ow, pads):
        """Whether every index and coordinate the kernels compute fits their 32-bit arithmetic."""
        small = 1 << 31
        reach = max(oh * sh + kh * dh, ow * sw + kw * dw) + max(pads) + max(h, w)
        return n * oh * ow * kh * kw * c < small and n * h * w * c < small and reach < small

    def im2col_kernel(x, kh, kw, sh, sw, dh, dw, oh, ow, pads):
        n, h, w, c = x.shape
        if not x.size or not kh * kw * c or not oh * ow or not fits(n, h, w, c, kh, kw, sh, sw, dh, dw, oh, ow, pads):
            return None
        cols = cupy.empty((n * oh * ow, kh * kw * c), x.dtype)
        im2col(cupy.ascontiguousarray(x), h, w, c, oh, ow, kh, kw, sh, sw, dh, dw, pads[0], pads[2], cols)
        return cols

    def col2im_kernel(out_backprop, filter, in_shape, sh, sw, dh, dw, oh, ow, pads):  # noqa: A002
        n, h, w, c = in_shape
        kh, kw, _, out_c = filter.shape
        # float32/64 only: half precision would round the matrix and add its taps in float16
        if out_backprop.dtype not in _FLOATS or filter.dtype != out_backprop.dtype \
                or not fits(n, h, w, c, kh, kw, sh, sw, dh, dw, oh, ow, pads):
            return None
        cols = cupy.matmul(out_backprop.reshape(-1, out_c), filter.reshape(kh * kw * c, out_c).T)
        dx = cupy.empty(tuple(in_shape), out_backprop.dtype)
        col2im(cols, h, w, c, oh, ow, kh, kw, sh, sw, dh, dw, pads[0], pads[2], dx)
        return dx

    return im2col_kernel, col2im_kernel


def _direct_conv_kernel(cupy):
    """nn_ops.register_device_direct_conv's convolution for CuPy arrays: one thread an output entry (output
    channels fastest: a warp reads the same input entries and a row of the filter), the sum over the filter's
    taps, then the bias and ReLU, in one kernel. nn_ops.direct_conv_applies decides where it runs."""
    from ..ops import nn_ops
    conv = cupy.ElementwiseKernel(
        "raw T x, raw T f, raw T b, int32 h, int32 w, int32 c, int32 oh, int32 ow, int32 kh, int32 kw, int32 sh, "
        "int32 sw, int32 dh, int32 dw, int32 pt, int32 pl, int32 oc, bool has_bias, bool relu", "T y",
        """
""" + _unravel(("o", "ox", "oy", "n"), ("oc", "ow", "oh")) + """
        T acc = 0;
        for (int ti = 0; ti < kh; ++ti) {
            const int yy = oy * sh - pt + ti * dh;
            const bool row = yy >= 0 && yy < h;
            for (int tj = 0; tj < kw; ++tj) {
                const int xx = ox * sw - pl + tj * dw;
                const bool inside = row && xx >= 0 && xx < w;
                const ptrdiff_t base = inside ? (((ptrdiff_t)n * h + yy) * w + xx) * c : 0;
                const int tap = (ti * kw + tj) * c * oc + o;
                // a tap in the padding adds 0 * weight, as im2col's zeros do (a NaN or inf weight gives NaN)
                for (int ch = 0; ch < c; ++ch) acc += (inside ? x[base + ch] : (T)0) * f[tap + ch * oc];
            }
        }
        const T v = has_bias ? acc + b[o] : acc;
        y = (!relu || v > (T)0 || v != v) ? v : (T)0;
        """, "tfmini_direct_conv")

    def run(x, filter, sh, sw, dh, dw, oh, ow, pads, bias, relu):  # noqa: A002
        if not nn_ops.direct_conv_applies(x, filter, bias, sh, sw, dh, dw, oh, ow, pads):
            return None
        n, h, w, c = x.shape
        kh, kw, _, oc = filter.shape
        f = cupy.ascontiguousarray(filter)
        out = cupy.empty((n, oh, ow, oc), x.dtype)
        conv(cupy.ascontiguousarray(x), f, f if bias is None else cupy.ascontiguousarray(bias), h, w, c, oh, ow,
             kh, kw, sh, sw, dh, dw, pads[0], pads[2], oc, bias is not None, bool(relu), out)
        return out
    return run


def _philox_kernel(cupy):
    """philox_random.register_device_calls's Philox4x32-10 for CuPy: one thread a call (counter + its offset, a
    128-bit sum), the 10 rounds in registers, its four uint32 written side by side: [n, 4], one launch where the
    shared `xp` version makes about a hundred."""
    philox = cupy.ElementwiseKernel(
        "uint64 off, uint32 k0, uint32 k1, uint32 l0, uint32 l1, uint32 h0, uint32 h1", "raw uint32 out",
        """
        const unsigned long long low = ((((unsigned long long)l1) << 32) | l0) + off;
        const unsigned long long high = ((((unsigned long long)h1) << 32) | h0) + (low < off ? 1ull : 0ull);
        unsigned int c0 = (unsigned int)low, c1 = (unsigned int)(low >> 32);
        unsigned int c2 = (unsigned int)high, c3 = (unsigned int)(high >> 32);
        unsigned int ka = k0, kb = k1;
        for (int r = 0; r < 10; ++r) {
            const unsigned long long pa = 0xD2511F53ull * c0, pb = 0xCD9E8D57ull * c2;
            const unsigned int n0 = ((unsigned int)(pb >> 32)) ^ c1 ^ ka;
            const unsigned int n2 = ((unsigned int)(pa >> 32)) ^ c3 ^ kb;
            c1 = (unsigned int)pb;
            c3 = (unsigned int)pa;
            c0 = n0;
            c2 = n2;
            ka += 0x9E3779B9u;
            kb += 0xBB67AE85u;
        }
        out[4 * i] = c0; out[4 * i + 1] = c1; out[4 * i + 2] = c2; out[4 * i + 3] = c3;
        """, "tfmini_philox")
    m32 = (1 << 32) - 1

    def run(key, counter, offsets):
        out = cupy.empty((offsets.shape[0], 4), cupy.uint32)
        if out.size:
            words = [np.uint32((v >> s) & m32) for v, s in ((key, 0), (key, 32), (counter, 0), (counter, 32),
                                                            (counter, 64), (counter, 96))]
            philox(cupy.ascontiguousarray(offsets, cupy.uint64), *words, out)
        return out
    return run


def _bias_relu_kernel(cupy):
    """math_ops.register_device_bias_relu's kernel for CuPy arrays: the bias added along the last axis and, for
    a ReLU, max(v, 0) as numpy's maximum gives it (NaN kept; max(-0.0, 0) is 0.0), in one pass over the product
    in place."""
    from ..ops import math_ops
    bias_relu = cupy.ElementwiseKernel(
        "raw T b, int32 c, bool relu", "T y",
        "const T v = y + b[(unsigned int)i % (unsigned int)c]; y = (!relu || v > (T)0 || v != v) ? v : (T)0;",
        "tfmini_bias_relu")

    def run(out, bias, relu):
        if not math_ops.bias_relu_applies(out, bias) or out.size >= _INDEX_LIMIT:
            return False
        bias_relu(cupy.ascontiguousarray(bias), out.shape[-1], bool(relu), out)
        return True
    return run


_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))
# the kernels that index positions in 32 bits take arrays of fewer entries than this (else the shared kernel runs)
_INDEX_LIMIT = 1 << 31
# the fused cross-entropy gives each row one thread, which loops over the classes three times: beyond this many
# classes the xp version's reductions, spread over the whole GPU, are the better choice (the lecture has 2, 10
# and VGG's 1000; tested up to 1000, not timed above 10)
_XENT_ROW_MAX = 4096


def _fast_paths(cupy):
    """{op type: kernel} fused with cupy.ElementwiseKernel; compiled at first use, cached by CuPy."""
    from ..framework.op_registry import get_op_def
    from ..ops import math_ops, nn_ops, training_ops

    sigmoid = cupy.ElementwiseKernel(
        "T x", "T y",
        # the two branches never overflow: sigmoid(-100) stays a tiny positive number, as the shared kernel's
        "y = x >= 0 ? (T)1 / ((T)1 + exp(-x)) : exp(x) / ((T)1 + exp(x))", "tfmini_sigmoid")
    relu_grad = cupy.ElementwiseKernel("T g, T f", "T y", "y = f > (T)0 ? g : (T)0", "tfmini_relu_grad")
    # tanh's and sigmoid's backward ops (from their outputs y): one pass instead of the shared kernel's three
    tanh_grad = cupy.ElementwiseKernel("T y, T dy", "T z", "z = dy * ((T)1 - y * y)", "tfmini_tanh_grad")
    sigmoid_grad = cupy.ElementwiseKernel("T y, T dy", "T z", "z = dy * (y * ((T)1 - y))", "tfmini_sigmoid_grad")
    sgd = cupy.ElementwiseKernel("T alpha, T delta", "T w", "w -= alpha * delta", "tfmini_sgd")
    momentum = cupy.ElementwiseKernel(
        "T lr, T g, T mu, bool nesterov", "T w, T a",
        "a = a * mu + g; if (nesterov) { w -= g * lr + a * (mu * lr); } else { w -= lr * a; }",
        "tfmini_momentum")
    adam = cupy.ElementwiseKernel(
        "T g, T lr, T b1, T b2, T eps, T b1p, T b2p, bool nesterov", "T w, T m, T v",
        """
        T lr_t = lr * sqrt((T)1 - b2p) / ((T)1 - b1p);
        m += (g - m) * ((T)1 - b1);
        v += (g * g - v) * ((T)1 - b2);
        if (nesterov) {
            w -= (m * b1 + ((T)1 - b1) * g) * lr_t / (sqrt(v) + eps);
        } else {
            w -= m * lr_t / (sqrt(v) + eps);
        }
        """, "tfmini_adam")

    sparse_xent = cupy.ElementwiseKernel(
        # one thread a row: its maximum, the sum of exponentials, the loss and the row of softmax - onehot;
        # a label out of range gives a NaN row, as TF's GPU kernel
        "raw T x, L label, int64 c, T nan_value", "T loss, raw T grad",
        """
        const ptrdiff_t base = (ptrdiff_t)i * c;
        if (label < 0 || label >= c) {
            loss = nan_value;
            for (ptrdiff_t j = 0; j < c; ++j) grad[base + j] = nan_value;
        } else {
            T m = x[base];
            for (ptrdiff_t j = 1; j < c; ++j) { const T v = x[base + j]; if (v > m || v != v) m = v; }
            T s = 0;
            for (ptrdiff_t j = 0; j < c; ++j) s += exp(x[base + j] - m);
            loss = log(s) - (x[base + label] - m);
            for (ptrdiff_t j = 0; j < c; ++j) grad[base + j] = exp(x[base + j] - m) / s - (j == label ? (T)1 : (T)0);
        }
        """, "tfmini_sparse_xent")
    # pooling in NHWC, one thread an output entry (MaxPool) or an input entry (MaxPoolGrad: the windows that hold
    # it, each scanned row-major for its first maximum, as TF's kernels break ties); padding never wins
    pool_params = ("int32 h, int32 w, int32 c, int32 oh, int32 ow, int32 kh, int32 kw, int32 sh, int32 sw, "
                   "int32 pt, int32 pl")
    max_pool = cupy.ElementwiseKernel(
        "raw T x, " + pool_params, "T y",
        """
""" + _unravel(("ch", "ox", "oy", "b"), ("c", "ow", "oh")) + """
        const int ys = oy * sh - pt, xs = ox * sw - pl;
        const int y0 = max(ys, 0), y1 = min(ys + kh, h), x0 = max(xs, 0), x1 = min(xs + kw, w);
        T m = x[((b * h + y0) * w + x0) * c + ch];
        for (int r = y0; r < y1; ++r)
            for (int q = x0; q < x1; ++q) {
                const T v = x[((b * h + r) * w + q) * c + ch];
                if (v > m || v != v) m = v;
            }
        y = m;
        """, "tfmini_max_pool")
    max_pool_grad = cupy.ElementwiseKernel(
        "raw T x, raw T y, raw T g, " + pool_params, "T dx",
        """
""" + _unravel(("ch", "col", "row", "b"), ("c", "w", "h")) + """
        const int ylo = row + pt - kh + 1, xlo = col + pl - kw + 1;
        const int oy0 = ylo <= 0 ? 0 : (ylo + sh - 1) / sh, ox0 = xlo <= 0 ? 0 : (xlo + sw - 1) / sw;
        const int oy1 = min((row + pt) / sh, oh - 1), ox1 = min((col + pl) / sw, ow - 1);
        T acc = 0;
        for (int oy = oy0; oy <= oy1; ++oy)
            for (int ox = ox0; ox <= ox1; ++ox) {
                const ptrdiff_t o = ((b * oh + oy) * ow + ox) * c + ch;
                const T m = y[o];
                const int ys = oy * sh - pt, xs = ox * sw - pl;
                const int y0 = max(ys, 0), y1 = min(ys + kh, h), x0 = max(xs, 0), x1 = min(xs + kw, w);
                bool found = false, mine = false;
                for (int r = y0; r < y1 && !found; ++r)
                    for (int q = x0; q < x1 && !found; ++q)
                        if (x[((b * h + r) * w + q) * c + ch] == m) {
                            found = true;
                            mine = r == row && q == col;
                        }
                if (mine) acc += g[o];
            }
        dx = acc;
        """, "tfmini_max_pool_grad")
    # half the sum of squares, accumulated in float64: float32 results within rounding of the exact sum (TF's
    # tree-shaped float32 sum is about as close; CuPy's batched float32 dots over 4M entries were 4e-6 off)
    l2_loss = cupy.ReductionKernel("T x", "T y", "(double)x * (double)x", "a + b", "y = (T)(a * 0.5)", "0",
                                   "tfmini_l2_loss", reduce_type="double")

    def sparse_xent_kernel(xp, features, labels):
        if features.dtype not in _FLOATS or features.ndim != 2 or not 0 < features.shape[1] <= _XENT_ROW_MAX \
                or getattr(labels, "ndim", 0) != 1 or labels.shape[0] != features.shape[0]:
            return _sparse_xent_gpu(xp, features, labels)  # the checks, with TF's messages
        features = xp.ascontiguousarray(features)
        loss = xp.empty(features.shape[0], features.dtype)
        grad = xp.empty_like(features)
        sparse_xent(features, xp.asarray(labels), features.shape[1], float("nan"), loss, grad)
        return loss, grad

    def _pool_geometry(x, ksize, strides, padding, data_format):
        """The kernels' geometry arguments, or None where the shared kernel must run (its checks, or a layout
        or type the fast kernels do not take)."""
        if x.dtype not in _FLOATS or data_format != "NHWC" or x.ndim != 4 or padding not in ("SAME", "VALID") \
                or ksize[0] != 1 or strides[0] != 1 or ksize[3] != 1 or strides[3] != 1 or min(ksize) <= 0 \
                or min(strides) <= 0 or not 0 < x.size < _INDEX_LIMIT or max(ksize) >= _INDEX_LIMIT \
                or max(strides) >= _INDEX_LIMIT:
            return None
        n, h, w, c = x.shape
        oh, pt, _ = nn_ops._window(h, ksize[1], 1, strides[1], padding)
        ow, pl, _ = nn_ops._window(w, ksize[2], 1, strides[2], padding)
        if not oh or not ow:
            return None
        return (n, oh, ow, c), (h, w, c, oh, ow, ksize[1], ksize[2], strides[1], strides[2], pt, pl)

    def max_pool_kernel(xp, input, *, ksize, strides, padding, data_format="NHWC"):  # noqa: A002
        geometry = _pool_geometry(input, ksize, strides, padding, data_format)
        if geometry is None:
            return nn_ops._max_pool_kernel(xp, input, ksize=ksize, strides=strides, padding=padding,
                                           data_format=data_format)
        out = xp.empty(geometry[0], input.dtype)
        max_pool(xp.ascontiguousarray(input), *geometry[1], out)
        return out

    def max_pool_grad_kernel(xp, orig_input, orig_output, grad, *, ksize, strides, padding, data_format="NHWC"):
        geometry = _pool_geometry(orig_input, ksize, strides, padding, data_format)
        if geometry is None or orig_output.shape != geometry[0] or grad.shape != geometry[0] \
                or orig_output.dtype != orig_input.dtype or grad.dtype != orig_input.dtype:
            return nn_ops._max_pool_grad_kernel(xp, orig_input, orig_output, grad, ksize=ksize, strides=strides,
                                                padding=padding, data_format=data_format)
        dx = xp.empty(orig_input.shape, grad.dtype)
        max_pool_grad(xp.ascontiguousarray(orig_input), xp.ascontiguousarray(orig_output),
                      xp.ascontiguousarray(grad), *geometry[1], dx)
        return dx

    def l2_loss_kernel(xp, t):
        if t.dtype not in _FLOATS or not t.size:
            return nn_ops._l2_loss_kernel(xp, t)
        return l2_loss(t)

    def sigmoid_kernel(xp, x):
        if x.dtype not in _FLOATS:
            return math_ops._sigmoid_kernel(xp, x)
        return sigmoid(x)

    def relu_grad_kernel(xp, gradients, features):
        if gradients.dtype not in _FLOATS or gradients.shape != features.shape or features.dtype != gradients.dtype:
            return nn_ops._relu_grad_kernel(xp, gradients, features)
        return relu_grad(gradients, features)

    def activation_grad_kernel(fused, op_type):
        shared = get_op_def(op_type).kernel

        def kernel(xp, y, dy):
            if y.dtype not in _FLOATS or y.shape != dy.shape or dy.dtype != y.dtype:
                return shared(xp, y, dy)
            return fused(y, dy)
        return kernel

    def sgd_kernel(xp, var, alpha, delta, *, use_locking=False):
        w, = training_ops._values([var], delta)
        if w.dtype not in _FLOATS or delta.dtype != w.dtype:
            return training_ops._apply_gradient_descent_kernel(xp, var, alpha, delta, use_locking=use_locking)
        sgd(alpha, delta, w)
        return var

    def momentum_kernel(xp, var, accum, lr, grad, mu, *, use_locking=False, use_nesterov=False):
        w, a = training_ops._values([var, accum], grad)
        if w.dtype not in _FLOATS or grad.dtype != w.dtype:
            return training_ops._apply_momentum_kernel(xp, var, accum, lr, grad, mu, use_locking=use_locking,
                                                       use_nesterov=use_nesterov)
        momentum(lr, grad, mu, bool(use_nesterov), w, a)
        return var

    def adam_kernel(xp, var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad, *,
                    use_locking=False, use_nesterov=False):
        w, mm, vv = training_ops._values([var, m, v], grad)
        if w.dtype not in _FLOATS or grad.dtype != w.dtype:
            return training_ops._apply_adam_kernel(xp, var, m, v, beta1_power, beta2_power, lr, beta1, beta2,
                                                   epsilon, grad, use_locking=use_locking, use_nesterov=use_nesterov)
        adam(grad, lr, beta1, beta2, epsilon, beta1_power, beta2_power, bool(use_nesterov), w, mm, vv)
        return var

    return {
        "Sigmoid": sigmoid_kernel,
        "ReluGrad": relu_grad_kernel,
        "TanhGrad": activation_grad_kernel(tanh_grad, "TanhGrad"),
        "SigmoidGrad": activation_grad_kernel(sigmoid_grad, "SigmoidGrad"),
        "ApplyGradientDescent": sgd_kernel,
        "ApplyMomentum": momentum_kernel,
        "ApplyAdam": adam_kernel,
        "SparseSoftmaxCrossEntropyWithLogits": sparse_xent_kernel,
        "MaxPool": max_pool_kernel,
        "MaxPoolGrad": max_pool_grad_kernel,
        "L2Loss": l2_loss_kernel,
    }
