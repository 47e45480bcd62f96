"""The CuPy backend: ops on an NVIDIA GPU, with the shared `xp` kernels and a few fused fast paths.

Imported only when a session looks for a GPU (never by `import tfmini`). `load()` returns the
backend, or None and the reason when CuPy is missing or finds no CUDA device.

Fast paths (`KERNELS`) replace a shared kernel on the GPU where the shared one launches many small
kernels or reads a value back to the host; each keeps the shared kernel's signature, checks and
messages, and falls back to it for dtypes it does not cover. `TFMINI_CUPY_FAST=0` turns them off
(scripts/gpu_check compares both ways).
"""
import os

import numpy as np

from .backends import GpuBackend

__all__ = ["load", "CupyBackend", "CupyPool", "XP_KERNELS"]


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
        self.kernels = _fast_paths(cupy) if os.environ.get("TFMINI_CUPY_FAST", "1") != "0" else {}

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
_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def _fast_paths(cupy):
    """{op type: kernel} fused with cupy.ElementwiseKernel; compiled at first use, cached by CuPy."""
    from ..ops import math_ops, nn_ops, training_ops

    sigmoid = cupy.ElementwiseKernel(
        "T x", "T y",
        # the two branches never overflow: sigmoid(-100) stays a tiny positive number, as the shared kernel's
        "y = x >= 0 ? (T)1 / ((T)1 + exp(-x)) : exp(x) / ((T)1 + exp(x))", "tfmini_sigmoid")
    relu_grad = cupy.ElementwiseKernel("T g, T f", "T y", "y = f > (T)0 ? g : (T)0", "tfmini_relu_grad")
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

    def sigmoid_kernel(xp, x):
        if x.dtype not in _FLOATS:
            return math_ops._sigmoid_kernel(xp, x)
        return sigmoid(x)

    def relu_grad_kernel(xp, gradients, features):
        if gradients.dtype not in _FLOATS or gradients.shape != features.shape or features.dtype != gradients.dtype:
            return nn_ops._relu_grad_kernel(xp, gradients, features)
        return relu_grad(gradients, features)

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
        "ApplyGradientDescent": sgd_kernel,
        "ApplyMomentum": momentum_kernel,
        "ApplyAdam": adam_kernel,
        **XP_KERNELS,
    }
