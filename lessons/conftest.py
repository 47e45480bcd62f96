"""pytest set-up for running the lessons under nbval (`pytest --nbval`, as `make test` does via pyproject).

- The sanitize patterns in sanitize.cfg apply unless --nbval-sanitize-with names another file, so the
  notebooks compare the same from any working directory.
- Each lesson's kernel runs with one BLAS thread. On a small shared machine (CI, or 2 cores with other
  jobs) OpenBLAS's worker threads spin-wait against each other and a lesson can take several times longer;
  with one thread its run time is predictable. Only the lessons' kernels get this; a learner's own
  JupyterLab uses all cores.
"""
import os
import pathlib

import pytest

HERE = pathlib.Path(__file__).resolve().parent
KERNEL_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def pytest_configure(config):
    if getattr(config.option, "nbval_sanitize_with", "unset") is None:
        config.option.nbval_sanitize_with = str(HERE / "sanitize.cfg")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    """A notebook's kernel starts in the setup of its first cell: give it KERNEL_ENV (unless the caller set
    those variables), then restore the environment of the test process."""
    saved = {k: os.environ.get(k) for k in KERNEL_ENV}
    for k, v in KERNEL_ENV.items():
        os.environ.setdefault(k, v)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
