"""Slot variables: per-variable optimizer state named `<var>/<Optimizer>` (`weight/Adam`, `weight/Adam_1`)."""
from .. import init_ops
from ..variable_scope import get_variable, variable_scope

__all__ = ["create_slot", "create_slot_with_initializer", "create_zeros_slot"]


def create_slot(primary, val, name):
    """A non-trainable variable initialized from the tensor `val`, in variable scope `<primary op name>/<name>`
    made unique (tf.train.ExponentialMovingAverage's `<var>/ExponentialMovingAverage`)."""
    with variable_scope(None, primary.op.name + "/" + name):
        return get_variable("", initializer=val, trainable=False, validate_shape=val.get_shape().is_fully_defined())


def create_slot_with_initializer(primary, initializer, shape, dtype, name):
    """A non-trainable variable shaped like `primary`, in variable scope `<primary op name>/<name>`
    made unique (so a second slot of the same optimizer becomes `<name>_1`)."""
    prefix = primary.op.name
    with variable_scope(None, prefix + "/" + name):
        # get_variable("") inside that scope names the variable exactly after the scope
        return get_variable("", initializer=initializer, trainable=False, shape=shape,
                                           dtype=dtype.base_dtype, validate_shape=shape.is_fully_defined())


def create_zeros_slot(primary, name, dtype=None):
    dtype = (dtype or primary.dtype).base_dtype
    shape = primary.get_shape()
    if not shape.is_fully_defined():
        raise ValueError("Slots of variable %s need a fully defined shape, got %s" % (primary.name, shape))
    return create_slot_with_initializer(primary, init_ops.zeros_initializer(), shape, dtype, name)
