"""Neural-network ops (tf.nn): activations for now; convolution, pooling and losses arrive with issue #5."""
from ..framework.op_def_library import REAL_NUMBER_TYPES, convert_one, make_op
from ..framework.op_registry import GRADIENT_PENDING, register_op
from ..framework.ops import name_scope

__all__ = ["relu"]


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
