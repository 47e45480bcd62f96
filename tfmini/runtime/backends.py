"""Array backends: the `xp` module each kernel receives, and how values reach and leave a device.

The CPU's backend is numpy itself. A GPU backend (`GpuBackend`) adds what the executor needs to
run ops on a device: `to_device`/`to_host` (the only transfers), a memory pool per session, the
out-of-memory exception to translate, and `kernels`, the backend's own fast paths by op type
(they take the place of the shared kernel on that device; ops never test which backend runs them).

    backends.gpu_backend("fake")   # numpy standing in for a GPU (runtime/fake_backend.py)
    backends.gpu_backend("cupy")   # CuPy on an NVIDIA GPU, or None without one (runtime/cupy_backend.py)

Nothing here imports CuPy until a GPU backend is asked for.
"""

__all__ = ["numpy_backend", "GpuBackend", "gpu_backend", "cupy_status"]


def numpy_backend():
    import numpy
    return numpy


class GpuBackend:
    """What the executor and the session use of a GPU array library."""

    name = "?"
    xp = None                  # the module kernels receive on this device
    oom_errors = ()            # exceptions that mean the device ran out of memory
    kernels = {}               # op type -> fast-path kernel with the shared kernel's signature
    checked_kernel = None      # (kernel, op) -> kernel that checks what it returns (the fake backend's)

    def to_device(self, host_array):
        raise NotImplementedError

    def to_host(self, device_array):
        raise NotImplementedError

    def device_description(self):
        """TF's 'Device mapping' text after 'device: 0, ' (name, bus id, compute capability)."""
        raise NotImplementedError

    def memory_info(self):
        """(free bytes, total bytes) of the device now."""
        raise NotImplementedError

    def new_pool(self, limit, reserve):
        """A memory pool for one session: `reserve` bytes taken now, growth up to `limit` (0: none)."""
        raise NotImplementedError

    def using_pool(self, pool):
        """A context manager under which device buffers are allocated from `pool`."""
        raise NotImplementedError

    def synchronize(self):
        pass


class FakeGpuBackend(GpuBackend):
    """numpy as a pretend GPU: the same placement and transfers as a real one, checked strictly."""

    name = "fake"

    def __init__(self):
        from . import fake_backend
        self._m = fake_backend
        self.xp = fake_backend.XP
        self.oom_errors = (fake_backend.FakeOutOfMemoryError,)
        from .cupy_backend import XP_KERNELS, fused_kernels_enabled  # the GPU's kernels that need nothing but xp
        self.kernels = dict(XP_KERNELS)
        if fused_kernels_enabled():  # as the CuPy backend: its fused im2col and bias + ReLU, in numpy
            from ..ops import math_ops, nn_ops
            nn_ops.register_device_im2col(fake_backend.FakeArray, fake_backend.im2col, fake_backend.col2im)
            math_ops.register_device_bias_relu(fake_backend.FakeArray, fake_backend.bias_relu)
            nn_ops.register_device_direct_conv(fake_backend.FakeArray, fake_backend.direct_conv)
        self.to_device = fake_backend.to_device
        self.to_host = fake_backend.to_host

    def checked_kernel(self, kernel, op):
        """`kernel` that fails when it returns a host array for a device op (a kernel that left xp)."""
        fake_array = self._m.FakeArray

        def check(*args, **kwargs):
            out = kernel(*args, **kwargs)
            for v in (out if isinstance(out, tuple) else (out,)):
                if v is not None and v.__class__ is not fake_array and not hasattr(v, "op"):  # slots have .op
                    raise TypeError("the kernel of %s (op: '%s') returned %s on the device: kernels must make "
                                    "their results with xp" % (op.name, op.type, type(v).__name__))
            return out
        return check

    def device_description(self):
        return "name: tfmini fake GPU (numpy), pci bus id: 0000:00:00.0, compute capability: 0.0"

    def memory_info(self):
        d = self._m.DEVICE
        return d.free_bytes, d.total_bytes

    def new_pool(self, limit, reserve):
        return self._m.FakePool(limit, reserve)

    def using_pool(self, pool):
        return self._m.using_pool(pool)


_backends = {}
_cupy_problem = [None]


def gpu_backend(name):
    """The GPU backend called `name` ('fake' or 'cupy'), made once; None when it cannot run here."""
    if name in _backends:
        return _backends[name]
    if name == "fake":
        b = FakeGpuBackend()
    elif name == "cupy":
        from . import cupy_backend
        b, _cupy_problem[0] = cupy_backend.load()
    else:
        raise ValueError("Unknown backend %r: expected 'numpy', 'fake' or 'cupy'" % (name,))
    _backends[name] = b
    return b


def cupy_status():
    """Why there is no CuPy GPU ('CuPy is not installed', ...), or None when there is one."""
    if gpu_backend("cupy") is not None:
        return None
    return _cupy_problem[0]
