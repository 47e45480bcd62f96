"""Shared fixtures: every test starts on a fresh default graph; `backend` runs a test on each backend."""
import importlib.util
import os
import pathlib
import sys

import pytest

# Tests not parametrized by backend run on the CPU (set TFMINI_BACKEND=fake to run them all on the fake GPU),
# and GPU sessions grow their memory instead of reserving most of it each time (TF's variable of that name).
os.environ.setdefault("TFMINI_BACKEND", "numpy")
os.environ.setdefault("TF_FORCE_GPU_ALLOW_GROWTH", "true")

import tfmini as tf  # noqa: E402
from tfmini.runtime import backends, device  # noqa: E402
from tfmini.runtime.executor import device_folding  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parent.parent
SHARED = pathlib.Path(os.environ.get("TFMINI_SHARED", REPO.parent / "shared")).resolve()


def load_generator(name):
    """tests/data/gen/<name>.py as a module, without importing TensorFlow (its top lines do): the case texts and
    harness that a test runs on tfmini and compares with the goldens the generator wrote."""
    import importlib.util
    gen = REPO / "tests" / "data" / "gen"
    if str(gen) not in sys.path:  # their shared helpers (golden_values), as when a generator runs as a script
        sys.path.append(str(gen))
    path = gen / (name + ".py")
    src = path.read_text().replace("import tensorflow.compat.v1 as tf\n", "").replace("tf.disable_v2_behavior()\n", "")
    mod = importlib.util.module_from_spec(importlib.util.spec_from_loader(name + "_gen", loader=None))
    mod.__file__ = str(path)
    exec(compile(src, str(path), "exec"), mod.__dict__)
    return mod


def _gpu_problem():
    """None when CuPy finds a GPU here, else why the GPU cases are skipped."""
    if importlib.util.find_spec("cupy") is None:
        return "no GPU: CuPy is not installed (pip install '.[gpu]' on a machine with an NVIDIA GPU)"
    problem = backends.cupy_status()
    return None if problem is None else "no GPU: " + problem


GPU_PROBLEM = _gpu_problem()
# numpy: the CPU; fake: numpy standing in for a GPU (placement and transfers, on any machine); cupy: a real GPU
BACKENDS = ["numpy", "fake", pytest.param("cupy", marks=pytest.mark.skipif(GPU_PROBLEM is not None,
                                                                          reason=str(GPU_PROBLEM)))]


def pytest_addoption(parser):
    parser.addoption("--skip-backend-rows", action="store_true",
                     help="deselect the tests parametrized by `backend` (make test-fake: the plain pass ran them)")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--skip-backend-rows"):
        keep = [i for i in items if "backend" not in getattr(getattr(i, "callspec", None), "params", {})]
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep


@pytest.fixture(params=BACKENDS)
def backend(request):
    """The name of the backend whose GPU the test's sessions use ('numpy' means no GPU). On a GPU
    backend ops on constants are not folded, so that every kernel runs on the device."""
    with device.use_backend(request.param), device_folding(request.param == "numpy"):
        yield request.param


@pytest.fixture
def on_cpu():
    """For tests of what the CPU does (its plan's fusions and caches, its kernels' checks, its BLAS threads):
    they run on the CPU even when TFMINI_BACKEND=fake or cupy runs the rest of the suite on a GPU."""
    with device.use_backend("numpy"):
        yield


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


@pytest.fixture
def sess():
    with tf.Session() as s:
        yield s
