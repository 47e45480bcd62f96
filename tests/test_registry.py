"""The op registry check: every registered op has inference, a kernel, a gradient decision, and
at least one row in an op test table (tests/test_*.py `CASES`)."""
import importlib
import pathlib

from tfmini.framework import op_registry


def _covered_types():
    covered = set()
    for path in sorted(pathlib.Path(__file__).parent.glob("test_*.py")):
        mod = importlib.import_module(path.stem)
        for row in getattr(mod, "CASES", ()):
            covered.add(row.op_type)
    return covered


def test_every_op_has_inference_kernel_and_gradient_slot():
    for name, d in op_registry.registered_ops().items():
        assert callable(d.infer), name
        assert callable(d.kernel), name
        assert callable(d.grad) or d.grad in (op_registry.NOT_DIFFERENTIABLE, op_registry.GRADIENT_PENDING), name


def test_every_op_has_a_test_row():
    missing = sorted(set(op_registry.registered_ops()) - _covered_types())
    assert not missing, "ops without a row in any op test table: %s" % missing


def test_registering_twice_is_refused():
    import pytest
    with pytest.raises(KeyError, match="already registered"):
        op_registry.register_op("Add", infer=lambda: None, kernel=lambda xp: None,
                                grad=op_registry.NOT_DIFFERENTIABLE)
