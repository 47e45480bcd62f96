"""GPU memory per session, as the lecture describes TF's: reserved up front, or grown on demand.

- `allow_growth=False` (the default): the session takes most of the free device memory when it
  starts, and its pool holds it, whether used or not (nvidia-smi shows it taken);
- `allow_growth=True`: the pool starts empty and grows as tensors need memory;
- `per_process_gpu_memory_fraction=f` caps the pool at f of the device's total memory (with or
  without growth); without growth the capped amount is reserved at once;
- the environment variable TF_FORCE_GPU_ALLOW_GROWTH=true forces growth, as in TF;
- closing the session (or resetting its graph) returns the memory to the device.

Running out is `ResourceExhaustedError` (see `oom_message`).
"""
import os

__all__ = ["SessionMemory", "RESERVE_KEEP_FREE"]

# what a reserving session leaves to others (CUDA contexts, cuBLAS workspaces): TF's BFC allocator
# likewise takes all but a little of the free memory
RESERVE_KEEP_FREE = 0.05


def _force_growth():
    return os.environ.get("TF_FORCE_GPU_ALLOW_GROWTH", "").lower() == "true"


class SessionMemory:
    """The device memory of one session: `pool` is the backend's pool; `limit` 0 means no cap."""

    def __init__(self, backend, gpu_options):
        self.backend = backend
        free, total = backend.memory_info()
        self.total = int(total)
        fraction = float(gpu_options.per_process_gpu_memory_fraction or 0.0)
        if fraction < 0:
            raise ValueError("per_process_gpu_memory_fraction must be in [0, 1], got %r" % fraction)
        self.allow_growth = bool(gpu_options.allow_growth) or _force_growth()
        # a fraction above 1 lets TF use unified memory; here it simply means no cap
        self.limit = int(total * fraction) if 0 < fraction <= 1 else 0
        if self.allow_growth:
            reserve = 0
        else:
            reserve = int(free - total * RESERVE_KEEP_FREE)
            if self.limit:
                reserve = min(reserve, self.limit)
            reserve = max(reserve, 0)
        self.reserved_up_front = reserve
        self.pool = backend.new_pool(self.limit, reserve)

    def using(self):
        return self.backend.using_pool(self.pool)

    @property
    def in_use(self):
        return self.pool.in_use

    @property
    def held(self):
        return self.pool.held

    @property
    def closed(self):
        return self.pool.closed

    def close(self):
        self.pool.close()

    def stats(self):
        """{'in_use', 'held', 'limit', 'total', 'allow_growth'} in bytes: what the session takes now."""
        return {"in_use": int(self.in_use), "held": int(self.held), "limit": self.limit, "total": self.total,
                "allow_growth": self.allow_growth}

    def oom_message(self, exc, op, input_shapes, device):
        """TF's OOM message, with the op, its input shapes and the pool's sizes."""
        size = getattr(exc, "size", None)
        if size is None:
            import re
            m = re.search(r"allocating ([\d,]+) bytes", str(exc))
            size = int(m.group(1).replace(",", "")) if m else None
        what = "%d bytes" % size if size is not None else "a tensor"
        cap = ("a limit of %d bytes" % self.limit) if self.limit else ("%d bytes held" % self.held)
        return ("OOM when allocating %s for %s (op: '%s') with input shapes: %s on %s by allocator GPU_0_bfc: "
                "the session's GPU memory has %d bytes in use of %s (device total %d bytes). Use smaller batches, "
                "or ConfigProto(gpu_options=GPUOptions(allow_growth=True)) so that other sessions do not hold "
                "the memory" % (what, op.name, op.type, input_shapes, device, int(self.in_use), cap, self.total))
