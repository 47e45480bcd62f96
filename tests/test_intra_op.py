"""The intra-op thread pool (runtime/intra_op.py) and the kernels that cut their work into its blocks."""
import os
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import tfmini as tf
from tfmini.ops import math_ops
from tfmini.runtime import intra_op

POOL = intra_op.threads() > 1
needs_pool = pytest.mark.skipif(not POOL, reason="one core, or no OpenBLAS found: blocks run in the caller")


@pytest.fixture
def two_threads():
    before = intra_op.threads()
    intra_op.set_threads(2)
    yield
    intra_op.set_threads(before)


@pytest.mark.parametrize("n", [0, 1, 2, 7, 100])
def test_every_block_runs_once(n, two_threads):
    seen = []
    lock = threading.Lock()

    def work(i):
        with lock:
            seen.append(i)

    intra_op.parallel_for(work, n)
    assert sorted(seen) == list(range(n))
    parts = intra_op.parallel_sum(lambda i: np.array([1.0, float(i)]), n)
    if n == 0:
        assert parts is None
    else:
        np.testing.assert_array_equal(parts, [n, n * (n - 1) / 2])


@needs_pool
def test_blocks_run_on_more_than_one_thread(two_threads):
    names = set()

    def work(i):
        names.add(threading.current_thread().name)
        time.sleep(0.01)  # long enough for the pool's thread to wake and take blocks

    intra_op.parallel_for(work, 20)
    assert len(names) == 2 and "MainThread" in names


def test_an_error_in_a_block_is_raised_after_the_others_and_the_pool_goes_on(two_threads):
    done = []

    def work(i):
        if i == 3:
            raise ValueError("block 3")
        time.sleep(0.002)
        done.append(i)

    with pytest.raises(ValueError, match="block 3"):
        intra_op.parallel_for(work, 12)
    finished = len(done)
    time.sleep(0.05)
    assert len(done) == finished  # nothing still ran after the error left
    assert 3 not in done
    assert intra_op.parallel_sum(lambda i: i, 5) == 10


@needs_pool
def test_blas_runs_one_thread_inside_and_its_own_threads_after():
    _, get = intra_op._state["blas"]
    before = get()
    with intra_op.one_blas_thread():
        assert get() == 1
        with intra_op.one_blas_thread():
            assert get() == 1
        assert get() == 1
    assert get() == before


@pytest.mark.parametrize("m,k,n", [(300, 70, 40), (40, 70, 300), (3, 600, 50), (1, 25088 // 8, 512)])
def test_blocked_matmul_is_numpys(m, k, n, two_threads, monkeypatch):
    """Rows, columns, or (few rows) the shared dimension cut into blocks: numpy's product."""
    monkeypatch.setattr(math_ops, "_BLOCKED_MATMUL_MACS", 1)
    monkeypatch.setattr(math_ops, "_MATMUL_BLOCK", 8)
    rng = np.random.RandomState(m)
    a = rng.randn(m, k).astype(np.float32)
    b = rng.randn(k, n).astype(np.float32)
    for x, y in ((a, b), (np.asfortranarray(a), b), (a, np.asfortranarray(b))):
        got = math_ops.blocked_matmul(np, x, y)
        assert got.shape == (m, n) and got.dtype == np.float32
        np.testing.assert_allclose(got, a.astype(np.float64) @ b, rtol=1e-4, atol=1e-4)


def test_a_session_runs_its_kernels_on_the_pool(sess):
    """A big product and a conv in a plan equal numpy's whatever the pool's size."""
    rng = np.random.RandomState(0)
    x = tf.placeholder(tf.float32, [None, 300])
    w = tf.constant(rng.randn(300, 400).astype(np.float32))
    y = tf.matmul(x, w)
    xv = rng.randn(256, 300).astype(np.float32)
    want = xv.astype(np.float64) @ rng.__class__(0).randn(300, 400).astype(np.float32)
    before = intra_op.threads()
    try:
        for k in (1, 2, 3):
            intra_op.set_threads(k)
            np.testing.assert_allclose(sess.run(y, {x: xv}), want, rtol=1e-4, atol=1e-3)
    finally:
        intra_op.set_threads(before)


def test_thread_count_from_the_environment_and_the_session_config():
    code = ("import sys; sys.path.insert(0, %r); import tfmini as tf; from tfmini.runtime import intra_op; "
            "a = intra_op.threads(); tf.Session(config=tf.ConfigProto(intra_op_parallelism_threads=3)); "
            "print(a, intra_op.threads())" % os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    one = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=dict(os.environ, TFMINI_NUM_THREADS="1")).stdout.split()
    assert one[0] == "1"
    assert one[1] == ("3" if POOL else "1")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_a_forked_child_starts_its_own_pool(two_threads):
    intra_op.parallel_for(lambda i: None, 4)  # the parent's pool is running
    pid = os.fork()
    if pid == 0:  # the child: the parent's threads are gone; blocks must still all run
        try:
            out = []
            intra_op.parallel_for(lambda i: (time.sleep(0.005), out.append(i)), 8)
            os._exit(0 if sorted(out) == list(range(8)) else 1)
        except BaseException:  # noqa: BLE001
            os._exit(2)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


@pytest.mark.usefixtures("on_cpu")
def test_a_run_with_products_sets_blas_to_one_thread_once(monkeypatch, two_threads):
    """Plan runs with a product (an op flagged `blas`), however small, or a kernel that uses the pool set BLAS to
    one thread once and back at the end (OpenBLAS's threads made an LSTM's small products 100 times slower with a
    core busy elsewhere); runs without products never call BLAS's setter."""
    calls = []
    state = {"n": 4}

    def setter(n):
        calls.append(n)
        state["n"] = n

    monkeypatch.setitem(intra_op._state, "blas", (setter, lambda: state["n"]))
    monkeypatch.setitem(intra_op._state, "threads", 2)
    monkeypatch.setattr(math_ops, "_BLOCKED_MATMUL_MACS", 1 << 12)
    x = tf.placeholder(tf.float32, [None, 64])
    big = tf.matmul(tf.matmul(x, tf.ones([64, 64])), tf.ones([64, 64]))
    small = tf.reduce_sum(x) + 1.0
    with tf.Session() as s:
        s.run(small, {x: np.ones((2, 64))})
        assert calls == []
        s.run(big, {x: np.ones((256, 64))})  # two blocked products: one switch, then back
        assert calls == [1, 4] and state["n"] == 4
        s.run(tf.matmul(x, tf.ones([64, 2])), {x: np.ones((2, 64))})  # a product too small for blocks: the same
        assert calls == [1, 4, 1, 4] and state["n"] == 4
    from tfmini.framework.op_registry import get_op_def
    assert [t for t in ("MatMul", "BatchMatMulV2", "Conv2D", "Conv2DBackpropFilter", "Add", "Relu", "Sum")
            if get_op_def(t).blas] == ["MatMul", "BatchMatMulV2", "Conv2D", "Conv2DBackpropFilter"]
