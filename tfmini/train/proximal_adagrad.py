"""ProximalAdagradOptimizer: Adagrad's per-coordinate step lr / sqrt(accum), then FOBOS's proximal step of the L1 and
L2 penalties. Slot `accumulator` (`<var>/ProximalAdagrad`, starting at initial_accumulator_value)."""
from .. import init_ops
from ..framework.ops import convert_to_tensor
from ..ops import math_ops, training_ops
from .optimizer import Optimizer

__all__ = ["ProximalAdagradOptimizer"]


class ProximalAdagradOptimizer(Optimizer):
    def __init__(self, learning_rate, initial_accumulator_value=0.1, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, use_locking=False, name="ProximalAdagrad"):
        if initial_accumulator_value <= 0.0:
            raise ValueError("initial_accumulator_value must be positive: %s" % initial_accumulator_value)
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_accumulator_value = initial_accumulator_value
        self._l1_regularization_strength = l1_regularization_strength
        self._l2_regularization_strength = l2_regularization_strength

    def _create_slots(self, var_list):
        for v in var_list:
            dt = v.dtype.base_dtype
            init = init_ops.constant_initializer(self._initial_accumulator_value, dtype=dt)
            self._get_or_make_slot_with_initializer(v, init, v.get_shape(), dt, "accumulator", self._name)

    def _prepare(self):
        self._learning_rate_tensor = convert_to_tensor(self._call_if_callable(self._learning_rate),
                                                       name="learning_rate")
        self._l1_tensor = convert_to_tensor(self._l1_regularization_strength, name="l1_regularization_strength")
        self._l2_tensor = convert_to_tensor(self._l2_regularization_strength, name="l2_regularization_strength")

    def _hyper(self, var):
        return [math_ops.cast(t, var.dtype.base_dtype) for t in (self._learning_rate_tensor, self._l1_tensor,
                                                                 self._l2_tensor)]

    def _apply_dense(self, grad, var):
        return training_ops.apply_proximal_adagrad(var, self.get_slot(var, "accumulator"), *self._hyper(var), grad,
                                                   use_locking=self._use_locking).op

    def _apply_sparse(self, grad, var):
        """SparseApplyProximalAdagrad: the rows of grad.indices only."""
        return training_ops.sparse_apply_proximal_adagrad(var, self.get_slot(var, "accumulator"), *self._hyper(var),
                                                          grad.values, grad.indices,
                                                          use_locking=self._use_locking).op
