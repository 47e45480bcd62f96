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
    assert out.count("tfmini ran") == 0 and "perceptron_step    tfmini" in out
    assert "gpu_check: smoke ok, memory ok, bench ok" in out
    assert (tmp_path / "bench.json").exists()


def test_gpu_check_fails_when_its_budget_runs_out():
    rc, out = _script("scripts/gpu_check", "--fake", "--no-memory", "--no-bench", "--budget", "15")
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
    rows = [ln.split()[0] for ln in _op_table(out)]
    assert {"MatMul", "SparseSoftmaxCrossEntropyWithLogits", "ApplyGradientDescent"} <= set(rows)
    rc, out = _script("scripts/gpu_profile", "--fake", "--steps", "1", "cnn_step_64")
    assert rc == 0, out
    rows = {ln.split()[0]: int(ln.split()[2]) for ln in _op_table(out)}
    # the device plan's fused chains: two convolutions and fc1 with their ReLU, the output layer without
    assert rows["Conv2D+BiasAdd+Relu"] == 2 and rows["MatMul+BiasAdd+Relu"] == 1 and rows["MatMul+BiasAdd"] == 1
    assert "BiasAdd" not in rows and "Relu" not in rows
    # the dropout draws on the device; the copies to it are the feeds (images, labels, keep_prob) and the batch
    # size that the mean's gradient divides by (a float made from the fed shape, on the host)
    assert rows["RandomUniform"] == 1 and rows["copy:host->device"] == 4, rows
    slowest = out.split("the 12 slowest ops")[1]
    assert "conv_2/Conv2D (Conv2D+BiasAdd+Relu)  [64,14,14,32]x[5,5,32,64]x[64]" in slowest


def _op_table(out):
    """The rows of gpu_profile's table of op types (the lines after its header, up to the slowest ops)."""
    lines = out.split("the 12 slowest ops")[0].splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.split()[:2] == ["op", "type"])
    return [ln for ln in lines[start + 1:] if ln.startswith("  ") and ln.strip()]


def _load_gpu_check():
    import importlib.machinery
    import importlib.util
    loader = importlib.machinery.SourceFileLoader("gpu_check_under_test", str(REPO / "scripts" / "gpu_check"))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_gpu_check_keeps_time_only_for_the_phases_that_run():
    """A short --budget with the benchmarks and the memory checks off still runs the tests (it gave them no
    time at all on a GPU machine: 120 s were always kept for the later phases)."""
    gc = _load_gpu_check()
    assert gc.time_after_tests(memory=False, bench=False) == 0
    assert 0 < gc.time_after_tests(memory=True, bench=False) < gc.time_after_tests(memory=True, bench=True)


def test_gpu_check_compares_medians_over_processes(monkeypatch, capsys):
    """The benchmark phase's arithmetic, with canned times: each side's median over its processes makes the
    ratio, the rounds' ratios give the spread, and a ratio over the target fails the phase."""
    import types
    gc = _load_gpu_check()
    cuda = types.SimpleNamespace(is_available=lambda: True)
    monkeypatch.setitem(sys.modules, "torch", types.SimpleNamespace(cuda=cuda))
    monkeypatch.setattr(gc, "BACKEND", "cupy")
    canned = {"tfmini": iter([3.0e-3, 5.0e-3, 4.0e-3, 6.0e-3]), "torch": iter([2.0e-3, 2.5e-3, 2.0e-3])}
    monkeypatch.setattr(gc, "run_bench", lambda name, fw, tf32, timeout, env_extra=None:
                        {"seconds": next(canned[fw])} if not env_extra else {"seconds": 9e-3})
    ok = gc.check_benchmarks(["cnn_step_64"], "a test GPU", False, True, None, processes=3)
    out = capsys.readouterr().out
    # tfmini 3, 5, 4 ms -> 4 ms; PyTorch 2, 2.5, 2 ms -> 2 ms: 2.00 > 1.5
    assert "| cnn_step_64 | 4.00 ms | 2.00 ms | 2.00 | <= 1.5 | MISSED |" in out
    assert "(medians: tfmini 3 processes, PyTorch 3; the rounds' ratios 1.50-2.00)" in out
    assert not ok and "FAIL [bench] cnn_step_64: tfmini/PyTorch = 2.00, target <= 1.5" in out
    assert "without the fast paths (TFMINI_CUPY_FAST=0, one process): 9.00 ms, 2.25x" in out


def test_gpu_check_gives_every_workload_a_pair_before_more_rounds(monkeypatch, capsys):
    """Round 1 measures every workload; a later round that runs out of time drops its unpaired time and stops
    without failing; a crash in a later round fails its workload only."""
    import types
    gc = _load_gpu_check()
    cuda = types.SimpleNamespace(is_available=lambda: True)
    monkeypatch.setitem(sys.modules, "torch", types.SimpleNamespace(cuda=cuda))
    monkeypatch.setattr(gc, "BACKEND", "cupy")
    calls = []

    def bench(name, fw, tf32, timeout, env_extra=None):
        calls.append((name, fw))
        if env_extra:
            return {"error": "not asked for"}
        if name == "mlp_step" and fw == "torch" and len(calls) > 4:
            return {"error": "timed out after 9s"}  # round 2: its tfmini time is dropped
        if name == "perceptron_step" and fw == "tfmini" and len(calls) > 4:
            return {"error": "exit 1: a crash"}  # round 2: a real failure
        return {"seconds": 1e-3 if fw == "tfmini" else 2e-3}
    monkeypatch.setattr(gc, "run_bench", bench)
    ok = gc.check_benchmarks(["perceptron_step", "mlp_step"], "a test GPU", False, True, None, processes=2)
    out = capsys.readouterr().out
    assert calls[:4] == [("perceptron_step", "tfmini"), ("perceptron_step", "torch"), ("mlp_step", "tfmini"),
                         ("mlp_step", "torch")]
    assert "| mlp_step | 1.00 ms | 2.00 ms | 0.50 |" in out and "(medians: tfmini 1 process, PyTorch 1;" in out
    assert not ok and "FAIL [bench] tfmini perceptron_step: exit 1: a crash" in out
