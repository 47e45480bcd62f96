"""MomentumOptimizer: accum = momentum * accum + grad; var -= lr * accum (optionally Nesterov)."""
from ..framework.ops import convert_to_tensor
from ..ops import math_ops, training_ops
from .optimizer import Optimizer

__all__ = ["MomentumOptimizer"]


class MomentumOptimizer(Optimizer):
    """Gradient descent with momentum; one slot 'momentum' per variable (`<var>/Momentum`)."""

    def __init__(self, learning_rate, momentum, use_locking=False, name="Momentum", use_nesterov=False):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._momentum = momentum
        self._use_nesterov = use_nesterov

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self):
        self._learning_rate_tensor = convert_to_tensor(self._call_if_callable(self._learning_rate),
                                                       name="learning_rate")
        self._momentum_tensor = convert_to_tensor(self._call_if_callable(self._momentum), name="momentum")

    def _apply_dense(self, grad, var):
        dt = var.dtype.base_dtype
        return training_ops.apply_momentum(
            var, self.get_slot(var, "momentum"), math_ops.cast(self._learning_rate_tensor, dt), grad,
            math_ops.cast(self._momentum_tensor, dt), use_locking=self._use_locking,
            use_nesterov=self._use_nesterov).op

    def _apply_sparse(self, grad, var):
        """SparseApplyMomentum: the rows of grad.indices only (the others keep their momentum and value)."""
        dt = var.dtype.base_dtype
        return training_ops.sparse_apply_momentum(
            var, self.get_slot(var, "momentum"), math_ops.cast(self._learning_rate_tensor, dt), grad.values,
            grad.indices, math_ops.cast(self._momentum_tensor, dt), use_locking=self._use_locking,
            use_nesterov=self._use_nesterov).op
