"""The op registry check: every registered op has inference, a kernel, a gradient decision, and
at least one row in an op test table (tests/test_*.py `CASES`)."""
import importlib
import pathlib

import pytest

from tfmini.framework import op_registry


def _covered_types(table="CASES"):
    covered = set()
    for path in sorted(pathlib.Path(__file__).parent.glob("test_*.py")):
        mod = importlib.import_module(path.stem)
        for row in getattr(mod, table, ()):
            covered.add(row.op_type)
    return covered


def test_every_op_has_inference_kernel_and_gradient_slot():
    for name, d in op_registry.registered_ops().items():
        assert callable(d.infer), name
        assert callable(d.kernel), name
        assert callable(d.grad) or d.grad in (op_registry.NOT_DIFFERENTIABLE, op_registry.GRADIENT_PENDING,
                                                 op_registry.NO_GRADIENT), name


def test_every_op_has_a_test_row():
    missing = sorted(set(op_registry.registered_ops()) - _covered_types())
    assert not missing, "ops without a row in any op test table: %s" % missing


def test_registering_twice_is_refused():
    with pytest.raises(KeyError, match="already registered"):
        op_registry.register_op("Add", infer=lambda: None, kernel=lambda xp: None,
                                grad=op_registry.NOT_DIFFERENTIABLE)


def test_every_gradient_rule_is_checked_numerically():
    with_rule = {name for name, d in op_registry.registered_ops().items() if callable(d.grad)}
    missing = sorted(with_rule - _covered_types("GRAD_CASES"))
    assert not missing, "ops whose gradient has no GradRow (tests/gradcheck.py): %s" % missing


def test_no_op_is_left_without_a_gradient_decision():
    pending = sorted(name for name, d in op_registry.registered_ops().items()
                     if d.grad is op_registry.GRADIENT_PENDING)
    assert not pending, "ops still GRADIENT_PENDING: %s" % pending
