"""GradientDescentOptimizer: var -= learning_rate * grad."""
from ..framework.ops import convert_to_tensor
from ..ops import math_ops, state_ops, training_ops
from .optimizer import Optimizer

__all__ = ["GradientDescentOptimizer"]


class GradientDescentOptimizer(Optimizer):
    """Plain gradient descent. `learning_rate` may be a float, a tensor or a callable."""

    def __init__(self, learning_rate, use_locking=False, name="GradientDescent"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._learning_rate_tensor = None

    def _prepare(self):
        self._learning_rate_tensor = convert_to_tensor(self._call_if_callable(self._learning_rate),
                                                       name="learning_rate")

    def _apply_dense(self, grad, var):
        return training_ops.apply_gradient_descent(
            var, math_ops.cast(self._learning_rate_tensor, var.dtype.base_dtype), grad,
            use_locking=self._use_locking).op

    def _apply_sparse_duplicate_indices(self, grad, var):
        """var[indices] -= lr * values (a ScatterSub): repeated rows simply subtract twice, so no summing first."""
        delta = grad.values * math_ops.cast(self._learning_rate_tensor, var.dtype.base_dtype)
        return state_ops.scatter_sub(var, grad.indices, delta, use_locking=self._use_locking)
