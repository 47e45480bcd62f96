"""Devices: which GPU backend a session gets, and on which device each op runs (TF's placer).

Placement follows TensorFlow's rules, simplified to one CPU and at most one GPU:

- an op with no device runs on `/gpu:0` when there is a GPU and the op has a GPU kernel, else on
  the CPU (ops on strings, and CPU-only ops such as Print, have no GPU kernel);
- `tf.device('/cpu:0')` forces the CPU; `tf.device('/gpu:0')` asks for the GPU: an op without a GPU
  kernel there is an InvalidArgumentError unless `ConfigProto(allow_soft_placement=True)`, and so
  is a device this machine does not have (`/gpu:1`);
- ops that update a variable (Assign, ApplyAdam, ...) run where the variable is (TF colocates them);
- without any GPU (no CuPy, no CUDA device, or `device_count={'GPU': 0}`) every op runs on the CPU,
  and asking for a GPU prints one note instead of failing: lecture code written for a GPU runs as is.

Which GPU backend: `TFMINI_BACKEND=numpy|fake|cupy` in the environment, or `use_backend(name)` in
code (tests), picks one; otherwise CuPy when it finds a CUDA device. 'fake' is numpy standing in
for a GPU (runtime/fake_backend.py), so placement and transfers are tested on any machine.

On a GPU, int32 values live in host memory (as TF keeps them): shapes, axes and sizes never make a
round trip through the device.
"""
import contextlib
import importlib.util
import os
import sys

from ..framework import dtypes, errors
from ..framework.ops import format_user_frame
from . import backends
from .memory import SessionMemory

__all__ = ["CPU", "GPU", "DEVICE_NAMES", "Devices", "use_backend", "backend_name", "gpu_for_config",
           "host_memory_dtype", "reset_note"]

CPU, GPU = "CPU", "GPU"
DEVICE_NAMES = {CPU: "/job:localhost/replica:0/task:0/device:CPU:0",
                GPU: "/job:localhost/replica:0/task:0/device:GPU:0"}

_forced = []          # stack of names from use_backend
_auto = []            # the automatic choice, made once per process: [backend or None]
_noted = [False]      # the no-GPU note is printed once per process


def backend_name():
    """'numpy', 'fake', 'cupy', or 'auto' (CuPy when it finds a GPU, else numpy)."""
    if _forced:
        return _forced[-1]
    return os.environ.get("TFMINI_BACKEND", "auto").strip().lower() or "auto"


@contextlib.contextmanager
def use_backend(name):
    """Sessions created inside run their GPU ops on `name`: 'numpy' (no GPU), 'fake' or 'cupy'."""
    if name not in ("numpy", "fake", "cupy", "auto"):
        raise ValueError("Unknown backend %r: expected 'numpy', 'fake', 'cupy' or 'auto'" % (name,))
    _forced.append(name)
    try:
        yield
    finally:
        _forced.pop()


def _why_no_gpu(config):
    if config is not None and (config.device_count or {}).get("GPU", 1) == 0:
        return "ConfigProto(device_count={'GPU': 0})"
    name = backend_name()
    if name == "numpy":
        return "the numpy backend was chosen"
    return backends.cupy_status() or "CuPy is not installed"


def gpu_for_config(config):
    """The GPU backend a session with `config` uses, or None (CPU only)."""
    if config is not None and (config.device_count or {}).get("GPU", 1) == 0:
        return None
    name = backend_name()
    if name == "numpy":
        return None
    if name == "fake":
        return backends.gpu_backend("fake")
    if name == "cupy":
        b = backends.gpu_backend("cupy")
        if b is None:
            raise RuntimeError("TFMINI_BACKEND=cupy, but %s" % backends.cupy_status())
        return b
    if not _auto:
        # find_spec does not import CuPy: a machine without it pays nothing more
        _auto.append(backends.gpu_backend("cupy") if importlib.util.find_spec("cupy") is not None else None)
    return _auto[0]


def host_memory_dtype(dtype):
    """True for the dtypes a GPU keeps in host memory: int32 (TF's rule), strings (no GPU kernels), resource
    handles and variants (Python objects: iterators, datasets)."""
    base = dtype.base_dtype
    return base == dtypes.int32 or base == dtypes.string or base == dtypes.resource or base == dtypes.variant


# =========================================================================== placement
def _requested(spec):
    """(device type or None, index or None) from a canonical device string ('/device:GPU:0')."""
    if not spec:
        return None, None
    for piece in spec.strip("/").split("/"):
        key, _, rest = piece.partition(":")
        if key == "device":
            kind, _, idx = rest.partition(":")
            return kind.upper(), (None if idx in ("", "*") else int(idx))
    return None, None


def _has_gpu_kernel(op):
    if op._op_def.cpu_only or op._op_def.host_only:
        return False
    for t in list(op._inputs) + list(op._outputs):
        if t._dtype.base_dtype == dtypes.string:
            return False
    return True


def variable_of(t):
    """The VariableV2 op behind ref tensor `t` (through Assign, Apply*, Identity of a ref), or None."""
    for _ in range(1000):
        op = t._op
        if op._type == "VariableV2":
            return op
        if not op._inputs or not op._inputs[0]._dtype._is_ref:
            return None
        t = op._inputs[0]
    return None


def _colocation_source(op):
    """The variable op that `op` must sit with: ops updating a variable, and its `read` Identity."""
    d = op._op_def
    if d.ref_inputs:
        for i in sorted(d.ref_inputs):
            if i < len(op._inputs) and op._inputs[i]._dtype._is_ref:
                return variable_of(op._inputs[i])
    if op._type == "Identity" and op._inputs and op._inputs[0]._dtype._is_ref and not op._device:
        return variable_of(op._inputs[0])
    return None


def _node_suffix(op):
    return "\n\t [[node %s (defined at %s) ]]" % (op.name, format_user_frame(op.traceback))


def reset_note():
    """Print the no-GPU note again (tests)."""
    _noted[0] = False


class Devices:
    """A session's devices: the GPU backend (or None), its memory, and where each op was placed."""

    def __init__(self, config, gpu):
        self.gpu = gpu
        self.soft = bool(config.allow_soft_placement)
        self._config = config
        self._placed = {}
        self.memory = SessionMemory(gpu, config.gpu_options) if gpu is not None else None

    def names(self):
        return [DEVICE_NAMES[CPU]] + ([DEVICE_NAMES[GPU]] if self.gpu is not None else [])

    def place(self, op):
        """CPU or GPU for `op`; raises InvalidArgumentError for a device spec that cannot be met."""
        d = self._placed.get(op)
        if d is None:
            d = self._placed[op] = self._decide(op)
        return d

    def run_on(self, ops, where):
        """Place `ops` on `where` (CPU or GPU) whatever they ask for: where tfmini runs them (a loop's ops)."""
        for op in ops:
            self._placed[op] = where

    def _decide(self, op):
        src = _colocation_source(op)
        if src is not None and src is not op:
            return self.place(src)
        kind, index = _requested(op._device)
        default = GPU if self.gpu is not None and _has_gpu_kernel(op) else CPU
        if kind is None:
            return default
        if kind == CPU and index in (None, 0):
            return CPU
        if kind == GPU and op._op_def.host_only:
            return CPU
        if kind == GPU and self.gpu is None:
            self._note()
            return CPU
        if kind == GPU and index in (None, 0):
            if _has_gpu_kernel(op):
                return GPU
            if self.soft:
                return CPU
            raise errors.InvalidArgumentError(
                None, op, "Cannot assign a device for operation %s: Could not satisfy explicit device specification "
                "'%s' because no supported kernel for GPU devices is available.%s" % (op.name, op._device,
                                                                                      _node_suffix(op)))
        if self.soft:
            return default
        raise errors.InvalidArgumentError(
            None, op, "Cannot assign a device for operation %s: node %s (defined at %s) was explicitly assigned to "
            "%s but available devices are [ %s ]. Make sure the device specification refers to a valid device."
            % (op.name, op.name, format_user_frame(op.traceback), op._device, ", ".join(self.names())))

    def _note(self):
        if not _noted[0]:
            _noted[0] = True
            sys.stderr.write("tfmini: no GPU here (%s); ops placed on /device:GPU:0 run on the CPU.\n"
                             % _why_no_gpu(self._config))

    def close(self):
        if self.memory is not None:
            self.memory.close()
