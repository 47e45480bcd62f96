"""The lessons' structure: ten notebooks, Korean slide titles, exercises with checks, stored outputs.

nbval (pyproject's addopts) runs the lessons as stored, where the exercises are blank and their checks say
"Not yet"; tests/lessons/test_solutions.py runs each with its exercises solved (`with_solutions` below).
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
