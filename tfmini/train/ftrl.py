"""FtrlOptimizer: FTRL-Proximal (McMahan et al., 2013, the ad-click paper), the optimizer of TF 1.x's linear and
wide models. Slots `accum` (`<var>/Ftrl`, starting at initial_accumulator_value) and `linear` (`<var>/Ftrl_1`, zeros);
ApplyFtrl, or ApplyFtrlV2 when there is an L2 shrinkage."""
from .. import init_ops
from ..framework.ops import convert_to_tensor
from ..ops import math_ops, training_ops
from .optimizer import Optimizer

__all__ = ["FtrlOptimizer"]


class FtrlOptimizer(Optimizer):
    """`learning_rate_power` (<= 0; 0 keeps the rate fixed) sets how the per-coordinate rate falls as the squared
    gradients add up; `l1_regularization_strength` drives weights to exactly zero; `l2_regularization_strength` is a
    stabilizing penalty, `l2_shrinkage_regularization_strength` a magnitude penalty (on the active rows only for a
    sparse gradient); `beta` is the paper's beta (added to the L2 strength as beta / (2 * learning_rate))."""

    def __init__(self, learning_rate, learning_rate_power=-0.5, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0, use_locking=False, name="Ftrl",
                 accum_name=None, linear_name=None, l2_shrinkage_regularization_strength=0.0, beta=None):
        super().__init__(use_locking, name)
        if initial_accumulator_value < 0.0:
            raise ValueError("initial_accumulator_value %f needs to be positive or zero" % initial_accumulator_value)
        if learning_rate_power > 0.0:
            raise ValueError("learning_rate_power %f needs to be negative or zero" % learning_rate_power)
        if l1_regularization_strength < 0.0:
            raise ValueError("l1_regularization_strength %f needs to be positive or zero" % l1_regularization_strength)
        if l2_regularization_strength < 0.0:
            raise ValueError("l2_regularization_strength %f needs to be positive or zero" % l2_regularization_strength)
        if l2_shrinkage_regularization_strength < 0.0:
            raise ValueError("l2_shrinkage_regularization_strength %f needs to be positive or zero"
                             % l2_shrinkage_regularization_strength)
        self._learning_rate = learning_rate
        self._learning_rate_power = learning_rate_power
        self._initial_accumulator_value = initial_accumulator_value
        self._l1_regularization_strength = l1_regularization_strength
        self._l2_regularization_strength = l2_regularization_strength
        self._l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self._beta = 0.0 if beta is None else beta
        self._accum_name = accum_name
        self._linear_name = linear_name

    def _create_slots(self, var_list):
        for v in var_list:
            dt = v.dtype.base_dtype
            init = init_ops.constant_initializer(self._initial_accumulator_value, dtype=dt)
            self._get_or_make_slot_with_initializer(v, init, v.get_shape(), dt, "accum",
                                                    self._accum_name or self._name)
            self._zeros_slot(v, "linear", self._linear_name or self._name)

    def _prepare(self):
        lr = self._call_if_callable(self._learning_rate)
        self._learning_rate_tensor = convert_to_tensor(lr, name="learning_rate")
        self._l1_tensor = convert_to_tensor(self._l1_regularization_strength, name="l1_regularization_strength")
        l2 = self._l2_regularization_strength
        if self._beta:  # the paper's beta folded into the L2 strength, as TF does
            l2 = l2 + self._beta / (2.0 * math_ops.maximum(lr, 1e-36))
        self._l2_tensor = convert_to_tensor(l2, name="adjusted_l2_regularization_strength")
        self._l2_shrinkage_tensor = convert_to_tensor(self._l2_shrinkage_regularization_strength,
                                                      name="l2_shrinkage_regularization_strength")
        self._learning_rate_power_tensor = convert_to_tensor(self._learning_rate_power, name="learning_rate_power")

    def _hyper(self, var):
        dt = var.dtype.base_dtype
        scalars = [self._learning_rate_tensor, self._l1_tensor, self._l2_tensor]
        if self._l2_shrinkage_regularization_strength > 0.0:
            scalars.append(self._l2_shrinkage_tensor)
        scalars.append(self._learning_rate_power_tensor)
        return [math_ops.cast(t, dt) for t in scalars]

    def _apply_dense(self, grad, var):
        fn = (training_ops.apply_ftrl_v2 if self._l2_shrinkage_regularization_strength > 0.0
              else training_ops.apply_ftrl)
        return fn(var, self.get_slot(var, "accum"), self.get_slot(var, "linear"), grad, *self._hyper(var),
                  use_locking=self._use_locking).op

    def _apply_sparse(self, grad, var):
        """SparseApplyFtrl(V2): the rows of grad.indices only."""
        fn = (training_ops.sparse_apply_ftrl_v2 if self._l2_shrinkage_regularization_strength > 0.0
              else training_ops.sparse_apply_ftrl)
        return fn(var, self.get_slot(var, "accum"), self.get_slot(var, "linear"), grad.values, grad.indices,
                  *self._hyper(var), use_locking=self._use_locking).op
