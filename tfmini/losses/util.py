"""Collecting losses: GraphKeys.LOSSES, GraphKeys.REGULARIZATION_LOSSES and their total."""
from ..framework.ops import GraphKeys, add_to_collection, get_collection
from ..ops import constant_op, math_ops

__all__ = ["add_loss", "get_losses", "get_regularization_losses", "get_regularization_loss", "get_total_loss"]


def add_loss(loss, loss_collection=GraphKeys.LOSSES):
    """Add a loss tensor you built yourself to `loss_collection` (so get_total_loss counts it)."""
    if loss_collection:
        add_to_collection(loss_collection, loss)


def get_losses(scope=None, loss_collection=GraphKeys.LOSSES):
    """The losses in `loss_collection` (those tf.losses.* and add_loss added), filtered by `scope`."""
    return get_collection(loss_collection, scope)


def get_regularization_losses(scope=None):
    """The regularization losses in the graph (those `get_variable(regularizer=...)` added)."""
    return get_collection(GraphKeys.REGULARIZATION_LOSSES, scope)


def get_regularization_loss(scope=None, name="total_regularization_loss"):
    """Their sum (a scalar 0.0 when there are none)."""
    losses = get_regularization_losses(scope)
    if losses:
        return math_ops.add_n(losses, name=name)
    return constant_op.constant(0.0)


def get_total_loss(add_regularization_losses=True, name="total_loss", scope=None):
    """The sum (AddN named `name`) of the losses in GraphKeys.LOSSES and, unless told otherwise, the
    regularization losses. With no losses at all it raises add_n's ValueError, as TF does."""
    losses = get_losses(scope=scope)
    if add_regularization_losses:
        losses += get_regularization_losses(scope=scope)
    return math_ops.add_n(losses, name=name)
