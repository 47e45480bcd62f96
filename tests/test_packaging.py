"""Packaging and import: every package is installed, and `import tfmini` stays light."""
import pathlib
import subprocess
import sys
import tomllib

REPO = pathlib.Path(__file__).resolve().parent.parent


def test_every_package_is_listed_in_pyproject():
    conf = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(conf["packages"])
    found = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "tfmini").rglob("__init__.py")}
    found |= {"tfmini.widgets"}
    assert found <= listed, "add to pyproject.toml [tool.setuptools] packages: %s" % sorted(found - listed)


def test_widgets_import_as_tfmini_widgets():
    import tfmini.widgets  # noqa: F401


def test_import_is_fast_and_numpy_only():
    code = ("import sys, time; t = time.perf_counter(); import tfmini; dt = time.perf_counter() - t; "
            "bad = [m for m in ('cupy', 'scipy', 'pandas', 'matplotlib', 'ipywidgets', 'IPython') if m in sys.modules];"
            "print(dt, bad)")
    times = []
    for _ in range(5):  # best of 5: the machine is shared, and the figure asked for is what import costs
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split(None, 1)
        times.append(float(out[0]))
        assert out[1].strip() == "[]", "import tfmini pulled in: " + out[1]
    assert min(times) < 0.3, "import tfmini took %.3fs (best of 5)" % min(times)
