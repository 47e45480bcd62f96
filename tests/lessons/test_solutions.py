"""Every exercise's solution against its self-check: each exercise cell is replaced by the solution that folds out
below it (tests/test_lessons.py's `with_solutions`), the notebook runs in a fresh Jupyter kernel (skipping the cells
tagged `slow`: training, which no exercise depends on), and every check cell must answer "Right:".

These run notebooks, as nbval does, so they sit with the lessons' tests rather than in the unit suite (`tests`
without `tests/lessons` and `tests/browser`); `make test` runs them all."""
import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from test_lessons import LESSONS, NOTEBOOKS, with_solutions  # noqa: E402


class _KernelPool:
    """Fresh kernels for the notebooks, each started while the previous notebook runs (a kernel takes a second or
    two to start, mostly waiting on its own imports): every notebook still gets a kernel of its own."""

    def __init__(self):
        self._next = None

    def _start(self):
        import threading
        from nbval.kernel import CURRENT_ENV_KERNEL_NAME, RunningKernel
        box = {}

        def start():
            try:
                box["kernel"] = RunningKernel(CURRENT_ENV_KERNEL_NAME, cwd=str(LESSONS))
            except Exception as e:  # noqa: BLE001 - raised again by take()
                box["error"] = e
        thread = threading.Thread(target=start, daemon=True)
        thread.start()
        return thread, box

    def take(self):
        """A fresh kernel (the one started ahead, or a new one); the next one starts now."""
        thread, box = self._next or self._start()
        self._next = self._start()
        thread.join()
        if "error" in box:
            raise box["error"]
        return box["kernel"]

    def close(self):
        if self._next is not None:
            thread, box = self._next
            thread.join()
            if "kernel" in box:
                box["kernel"].stop()
            self._next = None


@pytest.fixture(scope="module")
def kernels():
    pool = _KernelPool()
    yield pool
    pool.close()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_solutions_pass_their_checks(path, kernels):
    kernel = kernels.take()
    try:
        for src, cell_tags in with_solutions(path):
            texts, errors = [], []

            def collect(msg):
                if msg["msg_type"] == "stream":
                    texts.append(msg["content"]["text"])
                elif msg["msg_type"] == "error":
                    errors.append("%s: %s" % (msg["content"]["ename"], msg["content"]["evalue"]))
            kernel.kc.execute_interactive(src, output_hook=collect, timeout=600, allow_stdin=False)
            if "raises-exception" in cell_tags:
                assert errors, "expected an error from:\n" + src
                continue
            assert not errors, "%s\nin:\n%s" % (errors[0], src)
            if "check" in cell_tags:
                out = "".join(texts)
                assert "Right:" in out and "Not " not in out, "%s\n%s" % (src.splitlines()[0], out)
    finally:
        kernel.stop()
