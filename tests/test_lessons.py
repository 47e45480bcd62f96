"""The lessons' structure, and every exercise's solution against its self-check.

nbval (pyproject's addopts) runs the lessons as stored, where the exercises are blank and their checks say
"Not yet". Here each exercise cell is replaced by the solution that folds out below it, the notebook runs
in a fresh kernel (skipping the cells tagged `slow`: training, which no exercise depends on), and every
check cell must answer "Right:".
"""
import json
import pathlib
import re

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent
LESSONS = REPO / "lessons"
NOTEBOOKS = sorted(LESSONS.glob("[0-9][0-9]_*.ipynb"))
HANGUL = re.compile("[\uac00-\ud7a3]")


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell):
    return "".join(cell["source"])


def tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def with_solutions(path):
    """The notebook's code cells as (source, tags), each exercise replaced by its solution, slow cells left out."""
    out, pending = [], None
    for cell in cells(path):
        if "solution" in tags(cell):
            code = re.search(r"```python\n(.*?)```", source(cell), re.S)
            assert code and pending is not None, "%s: a solution without an exercise before it" % path.name
            out[pending] = (code.group(1), ["exercise"])
            pending = None
        elif cell["cell_type"] == "code" and "slow" not in tags(cell):
            if "exercise" in tags(cell):
                assert pending is None, "%s: an exercise without a solution" % path.name
                pending = len(out)
            out.append((source(cell), tags(cell)))
    assert pending is None, "%s: the last exercise has no solution" % path.name
    return out


def test_ten_lessons():
    assert [p.name[:2] for p in NOTEBOOKS] == ["%02d" % i for i in range(1, 11)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_lesson_structure(path):
    cs = cells(path)
    title = source(cs[0]).splitlines()[0]
    assert title.startswith("# ") and HANGUL.search(title) and " — " in title, title
    headings = [line for c in cs if c["cell_type"] == "markdown" for line in source(c).splitlines()
                if line.startswith("## ") and HANGUL.search(line)]
    assert headings, "no section carries a Korean slide title"
    assert sum("exercise" in tags(c) for c in cs) >= 2
    assert sum("check" in tags(c) for c in cs) >= 2
    code = [c for c in cs if c["cell_type"] == "code"]
    assert all(c.get("execution_count") for c in code), "store the notebook with its outputs (run all, save)"
    assert "set_random_seed" in source(code[0]) and "np.random.seed" in source(code[0])
    for c in code:  # an error is shown only where the cell says it expects one
        errors = [o for o in c.get("outputs", []) if o["output_type"] == "error"]
        assert not errors or "raises-exception" in tags(c), source(c)[:80]


def test_readme_maps_the_slides_to_every_lesson():
    readme = (LESSONS / "README.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        assert path.name in readme
    for slide in ["변수 업데이트 예제", "배치 정규화 API", "max pool", "사전 학습된 모델 불러오기", "argscope", "주의사항"]:
        assert slide in readme


def test_pretrained_checkpoint_is_shipped_and_small():
    ckpt = LESSONS / "pretrained" / "small_vgg_digits0to4"
    files = {p.name: p.stat().st_size for p in ckpt.iterdir()}
    assert {"checkpoint", "small_vgg.ckpt.index", "small_vgg.ckpt.data-00000-of-00001"} <= set(files)
    assert sum(files.values()) < 1_000_000
    assert 'model_checkpoint_path: "small_vgg.ckpt"' in (ckpt / "checkpoint").read_text()  # relative: portable


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
