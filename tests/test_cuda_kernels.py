"""The CuPy backend's fused kernels, run on the CPU: a stand-in for CuPy (numpy for its array functions) whose
ElementwiseKernel compiles each kernel's CUDA code as C++ (g++; one call of the body per index, in the kernel's
float type) runs the backend's own wrappers (tfmini/runtime/cupy_backend.py: their checks, geometry, argument
order, the GEMM around the input gradient's gather), and their results are checked against the shared numpy
kernels. The kernels' logic (indexing, padding, ties, NaN) is tested on every machine; speed, and CuPy's own code
generation, need a GPU (tests/test_devices.py's GPU tests, scripts/gpu_check).
"""
import itertools
import shutil
import struct
import subprocess
import types

import numpy as np
import pytest

from tfmini.framework.op_registry import get_op_def
from tfmini.ops import nn_ops
from tfmini.runtime import cupy_backend
from tfmini.runtime.state import VariableSlot

_CXX = shutil.which("g++") or shutil.which("c++")
pytestmark = pytest.mark.skipif(_CXX is None, reason="no C++ compiler (g++) to run the CUDA bodies on the CPU")

# CuPy's parameter types as C++ (T: the kernel's float type; L: the labels' integer type)
_C_TYPES = {"int32": "int", "int64": "long long", "bool": "bool", "T": "T", "L": "long long",
            "uint32": "unsigned int", "uint64": "unsigned long long"}


def _params(text):
    out = []
    for p in text.split(","):
        words = p.split()
        out.append((words[0] == "raw", words[-2], words[-1]))
    return out


def _scalar(raw, t, is_output):
    return not raw and not is_output and t in ("int32", "int64", "bool", "uint32")


def _source(kernels):
    """C++ with each body as a function of one index `i`, and a main that serves calls on stdin: the kernel's
    name, its float type (0: double, 1: float), the count of indices, then each parameter (an array: its length
    and float64 values; a scalar: one float64); it answers with each output array (length, float64 values)."""
    src = ["#include <algorithm>", "#include <cmath>", "#include <cstddef>", "#include <cstdio>", "#include <string>",
           "#include <vector>", "using std::max; using std::min; using std::exp; using std::log; using std::sqrt;",
           "template <typename T> struct CArray { T* p; T& operator[](ptrdiff_t i) const { return p[i]; } };",
           "static bool get(void* p, size_t n) { return fread(p, 1, n, stdin) == n; }",
           ("static std::vector<double> arr() { long long n = 0; get(&n, 8); std::vector<double> v(n); "
            "get(v.data(), 8 * n); return v; }"),
           "static double num() { double v = 0; get(&v, 8); return v; }",
           ("template <typename V> static void put(const V& v) { std::vector<double> d(v.begin(), v.end()); "
            "long long n = d.size(); fwrite(&n, 8, 1, stdout); fwrite(d.data(), 8, n, stdout); }")]
    dispatch = []
    for name, (params, body) in kernels.items():
        args = []
        for raw, t, n, out in params:
            ct = _C_TYPES[t]
            args.append("CArray<%s> %s" % (ct, n) if raw else ("%s& %s" % (ct, n) if out else "const %s %s" % (ct, n)))
        src.append("template <typename T> void %s(ptrdiff_t i, %s) {\n%s;\n}" % (name, ", ".join(args), body))
        lines = ["template <typename T> void run_%s(ptrdiff_t n) {" % name]
        call = []
        for raw, t, n, out in params:
            ct = _C_TYPES[t]
            if _scalar(raw, t, out):
                lines.append("  %s s_%s = (%s)num();" % (ct, n, ct))
                call.append("s_%s" % n)
            else:
                lines.append("  std::vector<double> d_%s = arr(); std::vector<%s> v_%s(d_%s.begin(), d_%s.end());"
                             % (n, ct, n, n, n))
                call.append("CArray<%s>{v_%s.data()}" % (ct, n) if raw else "v_%s[i]" % n)
        lines.append("  for (ptrdiff_t i = 0; i < n; ++i) %s<T>(i, %s);" % (name, ", ".join(call)))
        lines += ["  put(v_%s);" % n for raw, t, n, out in params if out]
        src.append("\n".join(lines) + "\n}")
        dispatch.append('    if (k == "%s") { if (single) run_%s<float>(n); else run_%s<double>(n); }'
                        % (name, name, name))
    src.append("int main() {\n  long long size;\n  while (get(&size, 8)) {\n"
               "    std::string k(size, ' '); get(&k[0], size);\n    long long single = 0, n = 0; get(&single, 8);"
               " get(&n, 8);\n%s\n    fflush(stdout);\n  }\n  return 0;\n}" % "\n".join(dispatch))
    return "\n\n".join(src)


class _Process:
    """The compiled kernels, one process serving calls."""

    def __init__(self, path):
        self.proc = subprocess.Popen([str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def call(self, name, single, n, params, values):
        data = [struct.pack("<q", len(name)), name.encode(), struct.pack("<qq", int(single), n)]
        sizes = []
        for (raw, t, p, out), v in zip(params, values):
            if _scalar(raw, t, out):
                data.append(struct.pack("<d", float(v)))
                continue
            with np.errstate(invalid="ignore"):  # an output's first contents: whatever np.empty left there
                a = np.asarray(v, np.float64).ravel()
            if not raw and a.size == 1:
                a = np.full(n, a[0])  # a scalar for an elementwise parameter: every index sees it, as in CuPy
            data.append(struct.pack("<q", a.size) + a.tobytes())
            if out:
                sizes.append(a.size)
        self.proc.stdin.write(b"".join(data))
        self.proc.stdin.flush()
        results = []
        for size in sizes:
            m, = struct.unpack("<q", self.proc.stdout.read(8))
            assert m == size
            results.append(np.frombuffer(self.proc.stdout.read(8 * m), np.float64))
        return results


class _ElementwiseKernel:
    """cupy.ElementwiseKernel on the CPU: called as CuPy calls one (inputs, then outputs, positionally; outputs
    not given are made with the elementwise inputs' broadcast shape); the index runs over the outputs' size."""

    def __init__(self, stub, in_params, out_params, operation, name, **_):
        self.stub, self.name = stub, name
        self.params = [p + (False,) for p in _params(in_params)] + [p + (True,) for p in _params(out_params)]
        stub.kernels[name] = (self.params, operation)

    def __call__(self, *args):
        params = self.params
        typed = [np.asarray(a) for (raw, t, _, _), a in zip(params, args) if t == "T" and hasattr(a, "dtype")]
        dtype = typed[0].dtype if typed else np.dtype(np.float64)  # a kernel of no float type (Philox)
        args = list(args)
        shape = np.broadcast_shapes(*[np.shape(a) for (raw, t, _, out), a in zip(params, args)
                                      if not raw and not out and not _scalar(raw, t, out)] or [()])
        for raw, t, _, out in params[len(args):]:
            args.append(np.empty(shape, dtype))
        outs = [a for (_, _, _, out), a in zip(params, args) if out]
        n = next(a.size for (raw, _, _, out), a in zip(params, args) if out and not raw) \
            if any(out and not raw for raw, _, _, out in params) else int(np.prod(shape))
        got = self.stub.process().call(self.name, dtype == np.float32, n, params, args)
        for a, g in zip(outs, got):
            a[...] = g.reshape(a.shape).astype(a.dtype)
        self.stub.calls.append(self.name)
        return outs[0] if len(outs) == 1 else tuple(outs)


class _Stub(types.SimpleNamespace):
    """What the backend's code uses of CuPy: numpy's array functions, and ElementwiseKernel as above."""

    def __init__(self, folder):
        super().__init__()
        self.ndarray = np.ndarray
        self.kernels, self.calls, self.folder, self._process = {}, [], folder, None
        self.ElementwiseKernel = lambda *a, **k: _ElementwiseKernel(self, *a, **k)
        self.ReductionKernel = lambda *a, **k: None  # L2Loss: not emulated
        self.im2col, self.col2im = cupy_backend._im2col_kernels(self)
        self.fast = cupy_backend._fast_paths(self)
        self.bias_relu = cupy_backend._bias_relu_kernel(self)
        self.direct_conv = cupy_backend._direct_conv_kernel(self)
        self.philox = cupy_backend._philox_kernel(self)

    def __getattr__(self, name):  # cupy.empty, cupy.matmul, ...: numpy's
        return getattr(np, name)

    def process(self):
        if self._process is None:
            (self.folder / "kernels.cpp").write_text(_source(self.kernels))
            subprocess.run([_CXX, "-O1", "-std=c++17", "-o", str(self.folder / "kernels"),
                            str(self.folder / "kernels.cpp")], check=True, capture_output=True)
            self._process = _Process(self.folder / "kernels")
        return self._process


@pytest.fixture(scope="module")
def gpu(tmp_path_factory):
    stub = _Stub(tmp_path_factory.mktemp("cuda_bodies"))
    yield stub
    if stub._process is not None:
        stub._process.proc.stdin.close()
        stub._process.proc.wait()


def _conv_geometries():
    for n, (h, w), c, k, s, d, pads in itertools.product([1, 2], [(5, 4), (1, 6), (7, 7)], [1, 3, 5], [1, 2, 3, 5],
                                                         [1, 2], [1, 2], [(0, 0, 0, 0), (1, 1, 1, 1), (2, 0, 1, 3)]):
        oh = (h + pads[0] + pads[1] - (k - 1) * d - 1) // s + 1
        ow = (w + pads[2] + pads[3] - (k - 1) * d - 1) // s + 1
        if oh > 0 and ow > 0:
            yield n, h, w, c, k, s, d, pads, oh, ow


@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_im2col_input_gradient_and_direct_conv_match_numpy(gpu, dt):
    """The wrappers of im2col (the windows, zeros in the padding), the input gradient (a GEMM, then the gather) and
    the direct convolution (1-3 channels; bias, ReLU, and a NaN and an inf weight that the padding meets) over
    strides, dilations and paddings on any side, against nn_ops' numpy code."""
    rng = np.random.RandomState(0)
    tol = dict(rtol=1e-12, atol=1e-12) if dt == np.float64 else dict(rtol=2e-5, atol=2e-5)
    checked = 0
    for n, h, w, c, k, s, d, pads, oh, ow in _conv_geometries():
        x, f = rng.randn(n, h, w, c).astype(dt), rng.randn(k, k, c, 3).astype(dt)
        dy, b = rng.randn(n, oh, ow, 3).astype(dt), rng.randn(3).astype(dt)
        got = gpu.im2col(x, k, k, s, s, d, d, oh, ow, pads)
        np.testing.assert_array_equal(got, nn_ops._patches(np, x, k, k, s, s, d, d, oh, ow, pads)
                                      .reshape(n * oh * ow, k * k * c))
        got = gpu.col2im(dy, f, (n, h, w, c), s, s, d, d, oh, ow, pads)
        np.testing.assert_allclose(got, nn_ops._col2im(np, dy, f, (n, h, w, c), oh, ow, pads, (1, s, s, 1),
                                                       (1, d, d, 1)), **tol)
        direct = gpu.direct_conv(x, f, s, s, d, d, oh, ow, pads, b, True)
        if c > 3 or k * k * c > 64:
            assert direct is None  # im2col + GEMM for these
        else:
            if k > 1 and checked % 3 == 0:
                f[0, 0, 0, 0], f[-1, -1, -1, 2] = np.nan, np.inf
            with np.errstate(invalid="ignore"):
                y = np.tensordot(nn_ops._patches(np, x, k, k, s, s, d, d, oh, ow, pads), f, axes=3) + b
            for relu, bias in ((False, None), (True, b)):
                want = np.maximum(y, 0) if relu else y - b
                got = gpu.direct_conv(x, f, s, s, d, d, oh, ow, pads, bias, relu)
                assert got.dtype == dt and got.shape == want.shape
                np.testing.assert_allclose(got, want, **tol)
        checked += 1
    assert checked > 500 and gpu.calls.count("tfmini_direct_conv") > 300


@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_pooling_matches_the_shared_kernels(gpu, dt):
    """MaxPool and MaxPoolGrad's fast paths over windows that overlap, pad and tie (the first maximum, row-major,
    takes the gradient), with a NaN, and a strided input, against the shared kernels."""
    rng = np.random.RandomState(1)
    checked = 0
    for n, h, w, c, k, s, padding in itertools.product([1, 2], [1, 4, 7], [3, 6], [1, 3], [1, 2, 3], [1, 2, 3],
                                                       ["SAME", "VALID"]):
        if padding == "VALID" and (k > h or k > w):
            continue
        full = rng.randint(0, 3, (n, h, w + 1, c)).astype(dt)
        full.flat[min(2, full.size - 1)] = np.nan
        x = full[:, :, ::-1][:, :, :w]  # not contiguous: the fast path copies it first
        attrs = dict(ksize=[1, k, k, 1], strides=[1, s, s, 1], padding=padding)
        y = gpu.fast["MaxPool"](gpu, x, **attrs)
        want = get_op_def("MaxPool").kernel(np, x, **attrs)
        np.testing.assert_array_equal(y, want)
        g = rng.randn(*want.shape).astype(dt)
        dx = gpu.fast["MaxPoolGrad"](gpu, x, y, g, **attrs)
        np.testing.assert_allclose(dx, get_op_def("MaxPoolGrad").kernel(np, x, want, g, **attrs), rtol=1e-6, atol=1e-6)
        checked += 1
    assert checked == 384 and gpu.calls.count("tfmini_max_pool_grad") >= checked


@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_elementwise_fast_paths_match_the_shared_kernels(gpu, dt):
    """The cross-entropy (labels out of range give NaN rows, TF's GPU rule), bias + ReLU (NaN kept, max(-0.0, 0)
    is 0.0 as numpy's), Sigmoid, ReluGrad and the SGD, Momentum and Adam updates, through the fast paths."""
    rng = np.random.RandomState(2)
    tol = dict(rtol=1e-12, atol=1e-14) if dt == np.float64 else dict(rtol=1e-5, atol=1e-6)
    logits = (rng.randn(6, 5) * 4).astype(dt)
    labels = np.array([0, 4, 2, 5, -1, 3])
    loss, grad = gpu.fast["SparseSoftmaxCrossEntropyWithLogits"](gpu, logits, labels.astype(np.int32))
    good = labels.copy()
    good[[3, 4]] = 0
    want_loss, want_grad = nn_ops._sparse_xent_kernel(np, logits, good)
    want_loss[[3, 4]], want_grad[[3, 4]] = np.nan, np.nan
    np.testing.assert_allclose(loss, want_loss, **tol)
    np.testing.assert_allclose(grad, want_grad, **tol)
    out, bias = rng.randn(4, 5).astype(dt), rng.randn(5).astype(dt)
    out[1, 2], out[2, 0], bias[0] = np.nan, -0.0, -0.0
    for relu in (True, False):
        got = out.copy()
        assert gpu.bias_relu(got, bias, relu)
        want = np.maximum(out + bias, dt(0)) if relu else out + bias
        np.testing.assert_array_equal(got, want)
        np.testing.assert_array_equal(np.signbit(got), np.signbit(want))
    assert gpu.bias_relu(out[:, ::2].copy(), bias[:3], True)  # a contiguous product of 3 columns: taken
    assert not gpu.bias_relu(out.copy(), bias[:4], True)  # one that does not: declined
    x, g = (rng.randn(7) * 10).astype(dt), rng.randn(7).astype(dt)
    np.testing.assert_allclose(gpu.fast["Sigmoid"](gpu, x * 5), get_op_def("Sigmoid").kernel(np, x * 5), **tol)
    np.testing.assert_array_equal(gpu.fast["ReluGrad"](gpu, g, x), get_op_def("ReluGrad").kernel(np, g, x))
    for op_type, y in (("TanhGrad", np.tanh(x)), ("SigmoidGrad", 1 / (1 + np.exp(-x)))):
        y = y.astype(dt)
        np.testing.assert_allclose(gpu.fast[op_type](gpu, y, g), get_op_def(op_type).kernel(np, y, g), **tol)

    def slot(v):
        s = VariableSlot(None)
        s.value = v.astype(dt)
        return s
    w, a, m, v = (rng.randn(7) for _ in range(4))
    v = np.abs(v)
    for name, args, kwargs in [("ApplyGradientDescent", (w, dt(0.1), g), {}),
                               ("ApplyMomentum", (w, a, dt(0.1), g, dt(0.9)), {"use_nesterov": True}),
                               ("ApplyAdam", (w, m, v, dt(0.9 ** 3), dt(0.999 ** 3), dt(0.01), dt(0.9), dt(0.999),
                                              dt(1e-8), g), {})]:
        fast = [slot(t) if isinstance(t, np.ndarray) and t is not g else t for t in args]
        shared = [slot(t) if isinstance(t, np.ndarray) and t is not g else t for t in args]
        gpu.fast[name](gpu, *fast, **kwargs)
        get_op_def(name).kernel(np, *shared, **kwargs)
        for f, s in zip(fast, shared):
            if isinstance(f, VariableSlot):
                np.testing.assert_allclose(f.value, s.value, err_msg=name, **tol)
    assert {"tfmini_sgd", "tfmini_momentum", "tfmini_adam", "tfmini_sigmoid", "tfmini_relu_grad"} <= set(gpu.calls)


def test_philox_matches_the_shared_rounds(gpu):
    """The Philox kernel's calls, for keys and counters whose words use all 32 bits, a low half that carries into
    the high one within the offsets, and offsets that are not in order (truncated normal's redraws), against the
    shared xp rounds (themselves checked against TensorFlow's numbers in tests/test_random_ops.py)."""
    from tfmini.ops import philox_random
    offsets = np.array([0, 1, 2, 3, 7, 1000, 5, 255 * 1024, 2 ** 40 + 3], np.uint64)  # doubles hold them exactly
    for key, counter in [(0, 0), (87654321, 1 << 64), ((1 << 64) - 1, (1 << 128) - 4),
                         (0x0123456789ABCDEF, ((1 << 64) - 2) | (0xFEDCBA9876543210 << 64))]:
        got = gpu.philox(key, counter, offsets)
        want = philox_random._calls(np, key, counter, offsets)
        assert got.dtype == np.uint32 and got.shape == (len(offsets), 4)
        for j in range(4):
            np.testing.assert_array_equal(got[:, j], want[j], err_msg="key %#x counter %#x word %d" % (key, counter, j))
    assert gpu.calls.count("tfmini_philox") == 4
