"""ProximalGradientDescentOptimizer: FOBOS (Duchi & Singer, 2009): a gradient step, then the proximal step of the
L1 (soft threshold: weights reach exactly zero) and L2 penalties. No slots."""
from ..framework.ops import convert_to_tensor
from ..ops import math_ops, training_ops
from .optimizer import Optimizer

__all__ = ["ProximalGradientDescentOptimizer"]


class ProximalHyperparameters:
    """The proximal optimizers' learning rate and L1 and L2 strengths: tensors made in `_prepare`, as TF names them,
    and `_hyper(var)`, the three cast to the variable's type (ProximalAdagradOptimizer shares it)."""

    def _prepare(self):
        self._learning_rate_tensor = convert_to_tensor(self._call_if_callable(self._learning_rate),
                                                       name="learning_rate")
        self._l1_tensor = convert_to_tensor(self._l1_regularization_strength, name="l1_regularization_strength")
        self._l2_tensor = convert_to_tensor(self._l2_regularization_strength, name="l2_regularization_strength")

    def _hyper(self, var):
        return [math_ops.cast(t, var.dtype.base_dtype) for t in (self._learning_rate_tensor, self._l1_tensor,
                                                                 self._l2_tensor)]


class ProximalGradientDescentOptimizer(ProximalHyperparameters, Optimizer):
    def __init__(self, learning_rate, l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 use_locking=False, name="ProximalGradientDescent"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._l1_regularization_strength = l1_regularization_strength
        self._l2_regularization_strength = l2_regularization_strength

    def _apply_dense(self, grad, var):
        return training_ops.apply_proximal_gradient_descent(var, *self._hyper(var), grad,
                                                            use_locking=self._use_locking).op

    def _apply_sparse(self, grad, var):
        """SparseApplyProximalGradientDescent: the rows of grad.indices only."""
        return training_ops.sparse_apply_proximal_gradient_descent(var, *self._hyper(var), grad.values, grad.indices,
                                                                   use_locking=self._use_locking).op
