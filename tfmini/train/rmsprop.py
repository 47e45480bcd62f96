"""RMSPropOptimizer: slots rms (`<var>/RMSProp`, starting at 1.0 as in TF) and momentum (`<var>/RMSProp_1`)."""
from .. import init_ops
from ..framework.ops import convert_to_tensor
from ..ops import math_ops, training_ops
from .optimizer import Optimizer

__all__ = ["RMSPropOptimizer"]


class RMSPropOptimizer(Optimizer):
    def __init__(self, learning_rate, decay=0.9, momentum=0.0, epsilon=1e-10, use_locking=False, centered=False,
                 name="RMSProp"):
        super().__init__(use_locking, name)
        self._learning_rate, self._decay, self._momentum, self._epsilon = learning_rate, decay, momentum, epsilon
        self._centered = centered

    def _create_slots(self, var_list):
        for v in var_list:
            dt = v.dtype.base_dtype
            self._get_or_make_slot_with_initializer(v, init_ops.ones_initializer(dtype=dt), v.get_shape(), dt,
                                                    "rms", self._name)
            if self._centered:
                self._zeros_slot(v, "mg", self._name)
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self):
        c = self._call_if_callable
        self._learning_rate_tensor = convert_to_tensor(c(self._learning_rate), name="learning_rate")
        self._decay_tensor = convert_to_tensor(c(self._decay), name="decay")
        self._momentum_tensor = convert_to_tensor(c(self._momentum), name="momentum")
        self._epsilon_tensor = convert_to_tensor(c(self._epsilon), name="epsilon")

    def _apply_dense(self, grad, var):
        dt = var.dtype.base_dtype
        args = [math_ops.cast(t, dt) for t in (self._learning_rate_tensor, self._decay_tensor,
                                                self._momentum_tensor, self._epsilon_tensor)]
        if self._centered:
            return training_ops.apply_centered_rms_prop(
                var, self.get_slot(var, "mg"), self.get_slot(var, "rms"), self.get_slot(var, "momentum"), *args,
                grad, use_locking=self._use_locking).op
        return training_ops.apply_rms_prop(var, self.get_slot(var, "rms"), self.get_slot(var, "momentum"), *args,
                                           grad, use_locking=self._use_locking).op

    def _apply_sparse(self, grad, var):
        """SparseApplyRMSProp (SparseApplyCenteredRMSProp when centered): the rows of grad.indices only."""
        dt = var.dtype.base_dtype
        args = [math_ops.cast(t, dt) for t in (self._learning_rate_tensor, self._decay_tensor,
                                                self._momentum_tensor, self._epsilon_tensor)]
        if self._centered:
            return training_ops.sparse_apply_centered_rms_prop(
                var, self.get_slot(var, "mg"), self.get_slot(var, "rms"), self.get_slot(var, "momentum"), *args,
                grad.values, grad.indices, use_locking=self._use_locking)
        return training_ops.sparse_apply_rms_prop(
            var, self.get_slot(var, "rms"), self.get_slot(var, "momentum"), *args, grad.values, grad.indices,
            use_locking=self._use_locking)
