"""Host memory for the arrays kernels make: kept for reuse between runs, as TF's and PyTorch's
CPU allocators keep theirs, instead of going back to the operating system after every run.

numpy asks the C library's malloc for every result array. glibc serves blocks above its mmap
threshold (128 KiB at first, adjusted as blocks are freed, at most 32 MiB) with a fresh mmap and
unmaps them when they are freed, and it trims the heap's top whenever more than a threshold is free.
A training step makes and frees the same large arrays on every run (activations, gradients,
im2col matrices), so each run touched new pages: one page fault per 4 KiB written. On this
project's 2-vCPU machine the 784-512-512-10 MLP Adam step took ~1,800 faults a run and half its
time in them (12.6 ms a step; 5.6 ms with the settings below).

When the first Session starts, tfmini asks glibc (through `mallopt`) to serve large blocks from
the heap rather than from mmap, and to trim the heap only when more than `TRIM_THRESHOLD` at its top
is free: freed arrays are reused by the next run. Closing a session calls `malloc_trim(0)`, which
gives the free memory back. The peak memory of a run does not grow (the CNN workload peaks at
the same ~170 MB). Set the environment variable TFMINI_MALLOC_TUNING=0 before the first Session
to leave malloc as it is; C libraries other than glibc (macOS, musl) are always left alone.
"""
import os

__all__ = ["tune_malloc", "release_free_memory", "TRIM_THRESHOLD"]

TRIM_THRESHOLD = 512 * 2 ** 20

# glibc's mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_MAX = -4

_state = {"tried": False, "libc": None}


def _glibc():
    try:
        os.confstr("CS_GNU_LIBC_VERSION")  # raises on C libraries other than glibc
    except (ValueError, OSError, AttributeError):
        return None
    try:
        import ctypes
        libc = ctypes.CDLL(None)
        return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None
    except (OSError, AttributeError):
        return None


def tune_malloc():
    """Once per process: large blocks from the heap, trimmed only past TRIM_THRESHOLD free. Returns
    whether the settings are in effect."""
    if not _state["tried"]:
        _state["tried"] = True
        if os.environ.get("TFMINI_MALLOC_TUNING", "1").strip().lower() not in ("0", "false", "no", "off"):
            libc = _glibc()
            if libc is not None and libc.mallopt(_M_MMAP_MAX, 0) == 1 and \
                    libc.mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1:
                _state["libc"] = libc
    return _state["libc"] is not None


def release_free_memory():
    """Give the heap's free memory back to the operating system (a session closed)."""
    libc = _state["libc"]
    if libc is not None:
        libc.malloc_trim(0)
