"""The GPU scripts (scripts/gpu_check, scripts/gpu_profile) rehearsed on the fake GPU: they run on a GPU
machine only when one is lent, so their own code is tested here, where it runs every time."""
import os
import subprocess
import sys

from conftest import REPO


def _script(*args, timeout=120):
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.pop("TFMINI_BACKEND", None)
    p = subprocess.run([sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout + p.stderr


# (no test here has 'fake' or 'cupy' in its name: gpu_check selects its GPU cases with `pytest -k`)
def test_gpu_check_rehearses_smoke_memory_and_a_benchmark(tmp_path):
    rc, out = _script("scripts/gpu_check", "--fake", "--no-tests", "--only", "perceptron_step", "--out", str(tmp_path))
    assert rc == 0, out
    assert "ok   [smoke]" in out and "ok   [memory]" in out and "nvidia-smi" not in out
    assert "| perceptron_step |" in out and "TFMINI_CUPY_FAST=0" not in out  # the fake GPU has no fused kernels
    assert "gpu_check: smoke ok, memory ok, bench ok" in out
    assert (tmp_path / "bench.json").exists()


def test_gpu_check_fails_when_its_budget_runs_out():
    rc, out = _script("scripts/gpu_check", "--fake", "--no-memory", "--no-bench", "--budget", "60")
    assert rc == 1 and "FAIL [tests] no time left" in out


def test_gpu_profile_refuses_unknown_workloads_and_zero_steps():
    rc, out = _script("scripts/gpu_profile", "--fake", "cnn_step_65")
    assert rc == 2 and "unknown workload cnn_step_65" in out
    rc, out = _script("scripts/gpu_profile", "--fake", "--steps", "0", "perceptron_step")
    assert rc == 2 and "--steps must be at least 1" in out


def test_gpu_profile_lists_each_op_type_of_a_step():
    rc, out = _script("scripts/gpu_profile", "--fake", "--steps", "2", "perceptron_step")
    assert rc == 0, out
    assert "perceptron_step on fake:" in out
    rows = [ln.split()[0] for ln in out.splitlines()[2:] if ln.startswith("  ")]
    assert {"MatMul", "SparseSoftmaxCrossEntropyWithLogits", "ApplyGradientDescent"} <= set(rows)
