"""AdadeltaOptimizer (Zeiler): slots accum and accum_update (`<var>/Adadelta`, `<var>/Adadelta_1`)."""
from ..framework.ops import convert_to_tensor
from ..ops import math_ops, training_ops
from .optimizer import Optimizer

__all__ = ["AdadeltaOptimizer"]


class AdadeltaOptimizer(Optimizer):
    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-8, use_locking=False, name="Adadelta"):
        super().__init__(use_locking, name)
        self._lr, self._rho, self._epsilon = learning_rate, rho, epsilon

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "accum", self._name)
            self._zeros_slot(v, "accum_update", self._name)

    def _prepare(self):
        c = self._call_if_callable
        self._lr_t = convert_to_tensor(c(self._lr), name="lr")
        self._rho_t = convert_to_tensor(c(self._rho), name="rho")
        self._epsilon_t = convert_to_tensor(c(self._epsilon), name="epsilon")

    def _apply_dense(self, grad, var):
        dt = var.dtype.base_dtype
        return training_ops.apply_adadelta(
            var, self.get_slot(var, "accum"), self.get_slot(var, "accum_update"), math_ops.cast(self._lr_t, dt),
            math_ops.cast(self._rho_t, dt), math_ops.cast(self._epsilon_t, dt), grad,
            use_locking=self._use_locking).op

    def _apply_sparse(self, grad, var):
        """SparseApplyAdadelta: the rows of grad.indices only."""
        dt = var.dtype.base_dtype
        return training_ops.sparse_apply_adadelta(
            var, self.get_slot(var, "accum"), self.get_slot(var, "accum_update"), math_ops.cast(self._lr_t, dt),
            math_ops.cast(self._rho_t, dt), math_ops.cast(self._epsilon_t, dt), grad.values, grad.indices,
            use_locking=self._use_locking)
