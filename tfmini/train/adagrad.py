"""AdagradOptimizer: accum += grad**2; var -= lr * grad / sqrt(accum). Slot `<var>/Adagrad` starts at 0.1."""
from .. import init_ops
from ..framework.ops import convert_to_tensor
from ..ops import math_ops, training_ops
from .optimizer import Optimizer

__all__ = ["AdagradOptimizer"]


class AdagradOptimizer(Optimizer):
    def __init__(self, learning_rate, initial_accumulator_value=0.1, use_locking=False, name="Adagrad"):
        if initial_accumulator_value <= 0.0:
            raise ValueError("initial_accumulator_value must be positive: %s" % initial_accumulator_value)
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_accumulator_value = initial_accumulator_value

    def _create_slots(self, var_list):
        for v in var_list:
            dt = v.dtype.base_dtype
            init = init_ops.constant_initializer(self._initial_accumulator_value, dtype=dt)
            self._get_or_make_slot_with_initializer(v, init, v.get_shape(), dt, "accumulator", self._name)

    def _prepare(self):
        self._learning_rate_tensor = convert_to_tensor(self._call_if_callable(self._learning_rate),
                                                       name="learning_rate")

    def _apply_dense(self, grad, var):
        return training_ops.apply_adagrad(
            var, self.get_slot(var, "accumulator"), math_ops.cast(self._learning_rate_tensor, var.dtype.base_dtype),
            grad, use_locking=self._use_locking).op

    def _apply_sparse(self, grad, var):
        """SparseApplyAdagrad: the rows of grad.indices only."""
        return training_ops.sparse_apply_adagrad(
            var, self.get_slot(var, "accumulator"), math_ops.cast(self._learning_rate_tensor, var.dtype.base_dtype),
            grad.values, grad.indices, use_locking=self._use_locking).op
