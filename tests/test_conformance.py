"""The lecture's conformance corpus (../shared/conformance) against tfmini, one test per case.

Cases for parts not built yet are strict expected failures naming the issue that builds them:
when such a case starts passing, the suite fails until its mark is removed.
"""
import contextlib
import io
import json
import sys

import pytest

from conftest import SHARED

CONF = SHARED / "conformance"
GOLDEN = json.loads((CONF / "public_golden.json").read_text())["cases"]

# case -> issue that builds what it needs
PENDING = {}


def _params():
    for name, entry in GOLDEN.items():
        marks = []
        if name in PENDING:
            marks.append(pytest.mark.xfail(strict=True, reason="needs issue " + PENDING[name]))
        yield pytest.param(name, id="%s-%s" % (entry["area"], name), marks=marks)


@pytest.fixture(scope="module")
def harness():
    sys.path.insert(0, str(CONF))
    import harness as h
    return h


@pytest.mark.parametrize("name", list(_params()))
def test_case(harness, name, backend):  # every case on every backend (conftest.BACKENDS)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        harness.main(["--impl", "tfmini", "--cases", str(CONF / "public_cases.py"),
                     "--check", str(CONF / "public_golden.json"), "-k", name, "-v"])
    text = out.getvalue()
    # -k matches substrings, so look for this case's own verdict line
    verdicts = {tuple(line.split()[:2]) for line in text.splitlines()}
    assert ("ok", name) in verdicts, text


def test_every_case_is_known():
    """A new case in the corpus must be triaged here (passing, or pending with its issue)."""
    unknown = set(PENDING) - set(GOLDEN)
    assert not unknown, "PENDING names cases the corpus does not have: %s" % sorted(unknown)
