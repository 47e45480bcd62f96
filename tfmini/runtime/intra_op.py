"""The intra-op thread pool: a CPU kernel with large work cuts it into blocks that the pool's threads
take one at a time, as TF's Eigen thread pool shards a kernel (`ConfigProto.intra_op_parallelism_threads`).

Why not leave the threads to BLAS: OpenBLAS splits each matrix product statically between its threads,
and its idle threads spin. When another program holds one core (a browser on a laptop, a neighbour on a
shared machine), the thread that shares that core finishes late and every product waits for it: the
lecture's CNN inference took 25 ms on an idle 2-core machine here and 110-130 ms with one core busy
(TensorFlow: 40-60 ms). Blocks taken one at a time go to whichever thread is free, and the copies and
elementwise work around each product (im2col, bias, ReLU) run on every core too.

In a plan's run with a matrix product, or from its first pooled kernel, to the run's end, numpy's BLAS is set
to one thread (its OpenBLAS, through `openblas_set_num_threads`, found among the libraries this process loaded;
Linux). Where no such library is found (macOS's Accelerate, MKL, other systems), or with one core,
`parallel_for` runs the blocks in the calling thread and BLAS keeps its own threads. TFMINI_NUM_THREADS=N sets
the pool's size (1: no pool).
"""
import contextlib
import itertools
import os
import threading

__all__ = ["threads", "parallel_for", "parallel_sum", "set_threads", "one_blas_thread", "end_of_run",
           "blas_single_for_this_run"]


def _cores():
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _wanted():
    v = os.environ.get("TFMINI_NUM_THREADS", "").strip()
    if v.isdigit() and int(v) > 0:
        return int(v)
    return _cores()


_state = {"threads": None, "blas": None, "pool": None}
_lock = threading.Lock()


def _openblas():
    """(set_num_threads, get_num_threads) of the OpenBLAS numpy loaded, or None."""
    try:
        with open("/proc/self/maps") as f:
            paths = sorted({line.split()[-1] for line in f if "openblas" in line.lower() and "/" in line})
    except OSError:
        return None
    import ctypes
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix, suffix in (("scipy_", "64_"), ("scipy_", ""), ("", "64_"), ("", "")):
            setter = getattr(lib, "%sopenblas_set_num_threads%s" % (prefix, suffix), None)
            getter = getattr(lib, "%sopenblas_get_num_threads%s" % (prefix, suffix), None)
            if setter is not None and getter is not None:
                setter.argtypes = [ctypes.c_int64 if suffix else ctypes.c_int]
                setter.restype = None
                getter.restype = ctypes.c_int64 if suffix else ctypes.c_int
                return setter, getter
    return None


def threads():
    """How many threads run a kernel's blocks (1: the calling thread alone)."""
    n = _state["threads"]
    if n is None:
        with _lock:
            if _state["threads"] is None:
                import numpy  # noqa: F401 - its BLAS must be loaded before it can be found
                blas = _openblas()
                _state["blas"] = blas
                _state["threads"] = _wanted() if blas is not None else 1
            n = _state["threads"]
    return n


def set_threads(n):
    """Use `n` threads for kernels' blocks from now on (0: one per core); the session's
    intra_op_parallelism_threads."""
    threads()
    with _lock:
        n = int(n) or _cores()
        _state["threads"] = n if _state["blas"] is not None else 1


# plan runs in progress (Plan.run counts them), and BLAS's thread count before a run set it to one (None:
# untouched). A run whose plan has an op that calls BLAS (the op's `blas` flag: products, convolutions), or
# whose kernel uses the pool, sets BLAS to one thread for the rest of the run: each product then runs in the
# thread that calls it, and BLAS's own threads, which would spin while the pool works, stay asleep; the last
# run's end sets it back (`end_of_run`). Small products matter as much as big ones: with a core busy elsewhere,
# OpenBLAS's two threads made an LSTM's (128,56)@(56,112) products 100 times slower (9.5 ms instead of 0.05),
# whatever the size past OpenBLAS's own threshold. The switch costs about 2 us a run; a run without products
# (a variable's update alone) never pays it.
runs = 0
lowered = None


def end_of_run():
    """Called by Plan.run once no run is in progress and `lowered` is set: BLAS's threads as they were."""
    global lowered
    before, lowered = lowered, None
    if before is not None:
        _state["blas"][0](before)


class one_blas_thread:
    """BLAS at one thread within (a kernel's blocks outside any plan run); nested uses cost one call."""

    __slots__ = ("before",)

    def __enter__(self):
        self.before = 1
        if threads() > 1:
            setter, getter = _state["blas"]
            self.before = getter()
            if self.before != 1:
                setter(1)

    def __exit__(self, *exc):
        if self.before != 1:
            _state["blas"][0](self.before)


def blas_single_for_this_run():
    """Within a plan's run: BLAS at one thread from now to the run's end. Returns whether in a run."""
    global lowered
    if not runs or threads() == 1:  # (one thread: BLAS keeps its own, or there is no OpenBLAS to set)
        return bool(runs)
    if lowered is None:
        setter, getter = _state["blas"]
        before = getter()
        if before != 1:
            setter(1)
            lowered = before
    return True


def _plus(total, value):
    """total + value, adding in place into total (None: nothing yet)."""
    if total is None:
        return value
    total += value
    return total


class _Call:
    """One kernel's blocks: threads take indices from `counter` until n; `done` counts the blocks finished
    (the caller returns once it is n: a thread that wakes late finds nothing left and costs nothing)."""

    __slots__ = ("work", "n", "counter", "accumulate", "done", "parts", "error", "cond")

    def __init__(self, work, n, accumulate):
        self.work, self.n, self.accumulate = work, n, accumulate
        self.counter = itertools.count()  # next() on it is atomic under the GIL: each block is taken once
        self.done = 0
        self.parts = []
        self.error = None
        self.cond = threading.Condition(threading.Lock())

    def drain(self):
        total, taken, error = None, 0, None
        while True:
            i = next(self.counter)
            if i >= self.n:
                break
            taken += 1
            try:
                value = self.work(i)
            except BaseException as e:  # noqa: BLE001 - the caller raises it, once every block is done
                error = e
                while next(self.counter) < self.n:  # take what is left, so that nobody runs it
                    taken += 1
                break
            if self.accumulate:
                total = _plus(total, value)
        if taken:
            with self.cond:
                if total is not None:
                    self.parts.append(total)
                if error is not None and self.error is None:
                    self.error = error
                self.done += taken
                if self.done >= self.n:
                    self.cond.notify_all()


def _worker(jobs):
    while True:
        jobs.get().drain()


def _jobs(workers):
    """The queue the pool's threads wait on, with at least `workers` threads (started on first use, and
    again in a forked child)."""
    pool = _state["pool"]
    if pool is not None and pool[1] >= workers:
        return pool[0]
    with _lock:
        jobs, started = _state["pool"] or (None, 0)
        if jobs is None:
            import queue
            jobs = queue.SimpleQueue()
        for k in range(started, workers):
            threading.Thread(target=_worker, args=(jobs,), daemon=True, name="tfmini-intra-op-%d" % k).start()
        _state["pool"] = (jobs, max(started, workers))
    return jobs


def _forget_pool():  # a forked child has none of its parent's threads
    _state["pool"] = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def _run(work, n, accumulate):
    """The results of the threads that did blocks (each thread's sum, with `accumulate`)."""
    if n <= 1 or threads() <= 1:  # the calling thread alone: no call object, no lock
        total = None
        for i in range(n):
            value = work(i)
            if accumulate:
                total = _plus(total, value)
        return [] if total is None else [total]
    call = _Call(work, n, accumulate)
    with contextlib.nullcontext() if blas_single_for_this_run() else one_blas_thread():
        helpers = min(threads(), n) - 1
        jobs = _jobs(helpers)
        for _ in range(helpers):
            jobs.put(call)
        call.drain()
        with call.cond:
            while call.done < n:
                call.cond.wait()
    if call.error is not None:
        raise call.error
    return call.parts


def parallel_for(work, n):
    """Call work(i) for i in range(n), the pool's threads taking the i's one at a time."""
    _run(work, n, False)


def parallel_sum(work, n):
    """The sum of work(i) over i in range(n) (arrays, added in place per thread; None if n is 0)."""
    total = None
    for part in _run(work, n, True):
        total = _plus(total, part)
    return total
