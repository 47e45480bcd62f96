"""ProximalAdagradOptimizer: Adagrad's per-coordinate step lr / sqrt(accum), then FOBOS's proximal step of the L1 and
L2 penalties. Slot `accumulator` (`<var>/ProximalAdagrad`, starting at initial_accumulator_value)."""
from .. import init_ops
from ..ops import training_ops
from .optimizer import Optimizer
from .proximal_gradient_descent import ProximalHyperparameters

__all__ = ["ProximalAdagradOptimizer"]


class ProximalAdagradOptimizer(ProximalHyperparameters, Optimizer):
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

    def _apply_dense(self, grad, var):
        return training_ops.apply_proximal_adagrad(var, self.get_slot(var, "accumulator"), *self._hyper(var), grad,
                                                   use_locking=self._use_locking).op

    def _apply_sparse(self, grad, var):
        """SparseApplyProximalAdagrad: the rows of grad.indices only."""
        return training_ops.sparse_apply_proximal_adagrad(var, self.get_slot(var, "accumulator"), *self._hyper(var),
                                                          grad.values, grad.indices,
                                                          use_locking=self._use_locking).op
