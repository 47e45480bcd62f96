"""Neural-network ops (tf.nn): activations for now; convolution, pooling and losses arrive with issue #5."""
from ..framework.op_def_library import FLOAT_TYPES, REAL_NUMBER_TYPES, convert_one, make_op
from ..framework.op_registry import GRADIENT_PENDING, register_op
from ..framework.ops import name_scope
from ..framework.tensor_shape import TensorShape

__all__ = ["relu", "l2_loss"]


def _relu_infer(features):
    return features.dtype.base_dtype, features.shape


def _relu_kernel(xp, features):
    return xp.maximum(features, features.dtype.type(0))


register_op("Relu", infer=_relu_infer, kernel=_relu_kernel, grad=GRADIENT_PENDING)


def relu(features, name=None):
    """max(features, 0) elementwise."""
    with name_scope(name, "Relu", [features]) as scope:
        x = convert_one("Relu", "features", features, allowed=REAL_NUMBER_TYPES)
        return make_op("Relu", [x], name=scope)


# =========================================================================== L2Loss
def _l2_loss_infer(t):
    return t.dtype.base_dtype, TensorShape([])


def _l2_loss_kernel(xp, t):
    return xp.asarray(xp.vdot(t, t) * 0.5, dtype=t.dtype) if t.size else xp.zeros((), t.dtype)


register_op("L2Loss", infer=_l2_loss_infer, kernel=_l2_loss_kernel, grad=GRADIENT_PENDING)


def l2_loss(t, name=None):
    """sum(t ** 2) / 2: half the squared L2 norm, a scalar."""
    with name_scope(name, "L2Loss", [t]) as scope:
        x = convert_one("L2Loss", "t", t, allowed=FLOAT_TYPES)
        return make_op("L2Loss", [x], name=scope)
