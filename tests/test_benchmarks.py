"""benchmarks/run.py keeps working: a quick invocation with tfmini alone (TensorFlow and PyTorch are not test
dependencies; where they are installed, they are timed too)."""
import json
import pathlib
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent


def test_benchmark_runs_and_writes_figures(tmp_path):
    out = tmp_path / "bench.json"
    p = subprocess.run([sys.executable, str(REPO / "benchmarks" / "run.py"), "--only", "perceptron_forward,overhead",
                        "--rounds", "2", "--min-time", "0.01", "--json", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert "perceptron_forward" in p.stdout and "tfmini's per-run overhead" in p.stdout
    figures = json.loads(out.read_text())
    for name in ("perceptron_forward", "overhead"):
        mini = figures[name]["tfmini"]
        assert 0 < mini["seconds"] < 0.01 and len(mini["rounds"]) == 2 and mini["peak_mb"] > 0


def test_unknown_workload_is_refused():
    p = subprocess.run([sys.executable, str(REPO / "benchmarks" / "run.py"), "--only", "perceptron,mlp_step"],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "unknown workload(s) perceptron" in p.stderr
