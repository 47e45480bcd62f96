"""Collecting losses: GraphKeys.REGULARIZATION_LOSSES and its total."""
from ..framework.ops import GraphKeys, get_collection
from ..ops import constant_op, math_ops

__all__ = ["get_regularization_losses", "get_regularization_loss"]


def get_regularization_losses(scope=None):
    """The regularization losses in the graph (those `get_variable(regularizer=...)` added)."""
    return get_collection(GraphKeys.REGULARIZATION_LOSSES, scope)


def get_regularization_loss(scope=None, name="total_regularization_loss"):
    """Their sum (a scalar 0.0 when there are none)."""
    losses = get_regularization_losses(scope)
    if losses:
        return math_ops.add_n(losses, name=name)
    return constant_op.constant(0.0)
