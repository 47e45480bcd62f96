"""The CUDA bodies of the CuPy backend's fused kernels, run on the CPU: each ElementwiseKernel's code, taken from
tfmini/runtime/cupy_backend.py through a stand-in for CuPy, is compiled as C++ (g++, one thread's work a call) and
checked against the shared numpy kernels. Their logic (indexing, padding, ties, NaN) is tested on every machine;
speed, and CuPy's own code generation, still need a GPU (tests/test_devices.py's GPU tests, scripts/gpu_check).
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

_CXX = shutil.which("g++") or shutil.which("c++")
pytestmark = pytest.mark.skipif(_CXX is None, reason="no C++ compiler (g++) to run the CUDA bodies on the CPU")

# CuPy's parameter types as C++ (T: the kernel's float type; L: the labels' integer type)
_C_TYPES = {"int32": "int", "int64": "long long", "bool": "bool", "T": "T", "L": "long long"}


def _params(text):
    out = []
    for p in text.split(","):
        words = p.split()
        raw = words[0] == "raw"
        out.append((raw, words[-2], words[-1]))
    return out


def _kernels():
    """{name: (params, body)} of every ElementwiseKernel the backend makes; params (raw, type, name, is_output)."""
    made = {}

    def elementwise(in_params, out_params, operation, name, **_):
        made[name] = ([p + (False,) for p in _params(in_params)] + [p + (True,) for p in _params(out_params)],
                      operation)

    cupy = types.SimpleNamespace(ElementwiseKernel=elementwise, ReductionKernel=lambda *a, **k: None,
                                 ndarray=type("ndarray", (), {}))
    cupy_backend._im2col_kernels(cupy)
    cupy_backend._fast_paths(cupy)
    cupy_backend._bias_relu_kernel(cupy)
    cupy_backend._direct_conv_kernel(cupy)
    return made


def _scalar(raw, t, is_output):
    return not raw and not is_output and t in ("int32", "int64", "bool")


def _source(kernels):
    """C++ with each body as a function of one index `i`, and a main that reads cases from stdin: the kernel's
    name, the count of indices, then each parameter (an array: its length and float64 values; a scalar: one
    float64), and writes each output array back (length, values); all in double precision."""
    src = ["#include <algorithm>", "#include <cmath>", "#include <cstddef>", "#include <cstdio>", "#include <string>",
           "#include <vector>", "using std::max; using std::min; using std::exp; using std::log; using std::sqrt;",
           "template <typename T> struct CArray { T* p; T& operator[](ptrdiff_t i) const { return p[i]; } };",
           "static bool get(void* p, size_t n) { return fread(p, 1, n, stdin) == n; }",
           ("static std::vector<double> arr() { long long n = 0; get(&n, 8); std::vector<double> v(n); "
            "get(v.data(), 8 * n); return v; }"),
           "static double num() { double v = 0; get(&v, 8); return v; }",
           ("static void put(const std::vector<double>& v) { long long n = v.size(); fwrite(&n, 8, 1, stdout); "
            "fwrite(v.data(), 8, n, stdout); }")]
    dispatch = []
    for name, (params, body) in kernels.items():
        args = []
        for raw, t, n, out in params:
            ct = _C_TYPES[t]
            args.append("CArray<%s> %s" % (ct, n) if raw else ("%s& %s" % (ct, n) if out else "const %s %s" % (ct, n)))
        src.append("template <typename T> void %s(ptrdiff_t i, %s) {\n%s;\n}" % (name, ", ".join(args), body))
        lines = ["static void run_%s(ptrdiff_t n) {" % name, "  typedef double T;"]
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
        lines += ["  put(std::vector<double>(v_%s.begin(), v_%s.end()));" % (n, n)
                  for raw, t, n, out in params if out]
        src.append("\n".join(lines) + "\n}")
        dispatch.append('    if (k == "%s") run_%s(n);' % (name, name))
    src.append("int main() {\n  long long size;\n  while (get(&size, 8)) {\n"
               "    std::string k(size, ' '); get(&k[0], size);\n    long long n = 0; get(&n, 8);\n%s\n  }\n"
               "  return 0;\n}" % "\n".join(dispatch))
    return "\n\n".join(src)


@pytest.fixture(scope="module")
def emulate(tmp_path_factory):
    """emulate([(kernel name, count of indices, {param: value})]) -> [{output name: float64 array}] per case."""
    kernels = _kernels()
    folder = tmp_path_factory.mktemp("cuda_bodies")
    (folder / "kernels.cpp").write_text(_source(kernels))
    subprocess.run([_CXX, "-O1", "-std=c++17", "-o", str(folder / "kernels"), str(folder / "kernels.cpp")],
                   check=True, capture_output=True)

    def run(cases):
        data = []
        for name, n, values in cases:
            data.append(struct.pack("<q", len(name)) + name.encode() + struct.pack("<q", n))
            for raw, t, p, out in kernels[name][0]:
                if _scalar(raw, t, out):
                    data.append(struct.pack("<d", float(values[p])))
                    continue
                a = np.asarray(values[p] if p in values or not out else np.zeros(n), np.float64).ravel()
                if not raw and a.size == 1:
                    a = np.full(n, a[0])  # a scalar for an elementwise parameter: every index sees it, as in CuPy
                data.append(struct.pack("<q", a.size) + a.tobytes())
        out = subprocess.run([str(folder / "kernels")], input=b"".join(data), capture_output=True,
                             check=True).stdout
        results, offset = [], 0
        for name, _, _ in cases:
            got = {}
            for raw, t, p, is_out in kernels[name][0]:
                if is_out:
                    m = struct.unpack_from("<q", out, offset)[0]
                    got[p] = np.frombuffer(out, np.float64, m, offset + 8)
                    offset += 8 + 8 * m
            results.append(got)
        return results
    return run


def _conv_geometries():
    for n, (h, w), c, k, s, d, pads in itertools.product([1, 2], [(5, 4), (1, 6), (7, 7)], [1, 3, 5], [1, 2, 3, 5],
                                                         [1, 2], [1, 2], [(0, 0, 0, 0), (1, 1, 1, 1), (2, 0, 1, 3)]):
        oh = (h + pads[0] + pads[1] - (k - 1) * d - 1) // s + 1
        ow = (w + pads[2] + pads[3] - (k - 1) * d - 1) // s + 1
        if oh > 0 and ow > 0:
            yield n, h, w, c, k, s, d, pads, oh, ow


def test_im2col_input_gradient_and_direct_conv_bodies_match_numpy(emulate):
    """im2col (the windows, zeros in the padding), the input gradient's gather (col2im) and the direct convolution
    (1-3 channels; bias, ReLU, and a NaN and an inf weight that the padding meets) over strides, dilations and
    paddings on any side, against nn_ops' numpy code."""
    rng = np.random.RandomState(0)
    cases, wants = [], []
    for n, h, w, c, k, s, d, pads, oh, ow in _conv_geometries():
        x, f = rng.randn(n, h, w, c), rng.randn(k, k, c, 3)
        dy, b = rng.randn(n, oh, ow, 3), rng.randn(3)
        geo = dict(h=h, w=w, c=c, oh=oh, ow=ow, kh=k, kw=k, sh=s, sw=s, dh=d, dw=d, pt=pads[0], pl=pads[2])
        cols = nn_ops._patches(np, x, k, k, s, s, d, d, oh, ow, pads).reshape(n * oh * ow, k * k * c)
        cases.append(("tfmini_im2col", cols.size, dict(geo, x=x)))
        wants.append(("col", cols))
        grad = nn_ops._col2im(np, dy, f, (n, h, w, c), oh, ow, pads, (1, s, s, 1), (1, d, d, 1))
        cases.append(("tfmini_col2im", grad.size, dict(geo, cols=dy.reshape(-1, 3) @ f.reshape(-1, 3).T)))
        wants.append(("dx", grad))
        if c < 4 and k * k * c <= 64:
            if k > 1 and len(cases) % 3 == 0:
                f[0, 0, 0, 0], f[-1, -1, -1, 2] = np.nan, np.inf
            with np.errstate(invalid="ignore"):
                y = np.tensordot(nn_ops._patches(np, x, k, k, s, s, d, d, oh, ow, pads), f, axes=3) + b
            for relu in (False, True):
                cases.append(("tfmini_direct_conv", y.size, dict(geo, x=x, f=f, b=b, oc=3, has_bias=True, relu=relu)))
                wants.append(("y", np.maximum(y, 0) if relu else y))
    assert len(cases) > 1000
    for (name, _, _), (out, want), got in zip(cases, wants, emulate(cases)):
        np.testing.assert_allclose(got[out], want.ravel(), rtol=1e-12, atol=1e-12, err_msg=name)


def test_pooling_bodies_match_the_shared_kernels(emulate):
    """MaxPool and MaxPoolGrad over windows that overlap, pad and tie (the first maximum, row-major, takes the
    gradient), with a NaN, against the shared kernels."""
    rng = np.random.RandomState(1)
    cases, wants = [], []
    for n, h, w, c, k, s, padding in itertools.product([1, 2], [1, 4, 7], [3, 6], [1, 3], [1, 2, 3], [1, 2, 3],
                                                       ["SAME", "VALID"]):
        if padding == "VALID" and (k > h or k > w):
            continue
        oh, pt, _ = nn_ops._window(h, k, 1, s, padding)
        ow, pl, _ = nn_ops._window(w, k, 1, s, padding)
        x = rng.randint(0, 3, (n, h, w, c)).astype(np.float64)
        x.flat[min(2, x.size - 1)] = np.nan
        g = rng.randn(n, oh, ow, c)
        attrs = dict(ksize=[1, k, k, 1], strides=[1, s, s, 1], padding=padding)
        geo = dict(h=h, w=w, c=c, oh=oh, ow=ow, kh=k, kw=k, sh=s, sw=s, pt=pt, pl=pl)
        y = get_op_def("MaxPool").kernel(np, x, **attrs)
        cases.append(("tfmini_max_pool", y.size, dict(geo, x=x)))
        wants.append(("y", y))
        dx = get_op_def("MaxPoolGrad").kernel(np, x, y, g, **attrs)
        cases.append(("tfmini_max_pool_grad", dx.size, dict(geo, x=x, y=y, g=g)))
        wants.append(("dx", dx))
    assert len(cases) > 300
    for (name, _, _), (out, want), got in zip(cases, wants, emulate(cases)):
        np.testing.assert_allclose(got[out], want.ravel(), rtol=1e-12, atol=1e-12, err_msg=name)


def test_elementwise_bodies_match_the_shared_kernels(emulate):
    """The cross-entropy (labels out of range give NaN rows, TF's GPU rule), bias + ReLU (NaN kept, max(-0.0, 0)
    is 0.0 as numpy's), Sigmoid, ReluGrad and the SGD, Momentum and Adam updates."""
    rng = np.random.RandomState(2)
    logits, labels = rng.randn(6, 5) * 4, np.array([0, 4, 2, 5, -1, 3])
    out, bias = rng.randn(4, 5), rng.randn(5)
    out[1, 2], out[2, 0], bias[0] = np.nan, -0.0, -0.0
    x, g, w, a, m, v = (rng.randn(7) for _ in range(6))
    v = np.abs(v)
    cases = [("tfmini_sparse_xent", 6, dict(x=logits, label=labels, c=5, nan_value=np.nan, grad=np.zeros(30))),
             ("tfmini_bias_relu", out.size, dict(b=bias, c=5, relu=True, y=out)),
             ("tfmini_bias_relu", out.size, dict(b=bias, c=5, relu=False, y=out)),
             ("tfmini_sigmoid", 7, dict(x=x * 40)),
             ("tfmini_relu_grad", 7, dict(g=g, f=x)),
             ("tfmini_sgd", 7, dict(alpha=np.full(7, 0.1), delta=g, w=w)),
             ("tfmini_momentum", 7, dict(lr=np.full(7, 0.1), g=g, mu=np.full(7, 0.9), nesterov=True, w=w, a=a)),
             ("tfmini_adam", 7, dict(g=g, lr=np.full(7, 0.01), b1=np.full(7, 0.9), b2=np.full(7, 0.999),
                                     eps=np.full(7, 1e-8), b1p=np.full(7, 0.9 ** 3), b2p=np.full(7, 0.999 ** 3),
                                     nesterov=False, w=w, m=m, v=v))]
    got = emulate(cases)
    good = labels.copy()
    good[[3, 4]] = 0
    loss, grad = nn_ops._sparse_xent_kernel(np, logits, good)
    loss[[3, 4]], grad[[3, 4]] = np.nan, np.nan
    np.testing.assert_allclose(got[0]["loss"], loss, rtol=1e-12)
    np.testing.assert_allclose(got[0]["grad"], grad.ravel(), rtol=1e-12, atol=1e-15)
    for k, relu in ((1, True), (2, False)):
        want = out + bias
        want = np.maximum(want, 0.0) if relu else want
        np.testing.assert_array_equal(got[k]["y"], want.ravel())
        np.testing.assert_array_equal(np.signbit(got[k]["y"]), np.signbit(want.ravel()))
    np.testing.assert_allclose(got[3]["y"], get_op_def("Sigmoid").kernel(np, x * 40), rtol=1e-14)
    np.testing.assert_array_equal(got[4]["y"], get_op_def("ReluGrad").kernel(np, g, x))
    np.testing.assert_allclose(got[5]["w"], w - 0.1 * g, rtol=1e-14)
    a2 = a * 0.9 + g
    np.testing.assert_allclose(got[6]["a"], a2, rtol=1e-14)
    np.testing.assert_allclose(got[6]["w"], w - (g * 0.1 + a2 * 0.9 * 0.1), rtol=1e-14)
    lr_t = 0.01 * np.sqrt(1 - 0.999 ** 3) / (1 - 0.9 ** 3)
    m2, v2 = m + (g - m) * 0.1, v + (g * g - v) * 0.001
    np.testing.assert_allclose(got[7]["m"], m2, rtol=1e-14)
    np.testing.assert_allclose(got[7]["v"], v2, rtol=1e-14)
    np.testing.assert_allclose(got[7]["w"], w - m2 * lr_t / (np.sqrt(v2) + 1e-8), rtol=1e-13)
