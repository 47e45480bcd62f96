"""NaN and Inf checks: the CheckNumerics op (tf.check_numerics), verify_tensor_all_finite, add_check_numerics_ops."""
from ..framework import dtypes, errors
from ..framework.op_def_library import FLOAT_TYPES, convert_one, make_op
from ..framework.op_registry import register_op
from ..framework.ops import colocate_with, control_dependencies, convert_to_tensor, get_default_graph, name_scope
from .array_ops import _deprecated_argument_lookup

__all__ = ["check_numerics", "verify_tensor_all_finite", "add_check_numerics_ops"]


# =========================================================================== CheckNumerics
def _check_numerics_infer(tensor, *, message, T=None):
    return tensor.dtype.base_dtype, tensor.shape


def _check_numerics_kernel(xp, tensor, *, message, T=None):
    has_nan = bool(xp.isnan(tensor).any())
    has_inf = bool(xp.isinf(tensor).any())
    if has_nan or has_inf:
        what = "Inf and NaN" if has_nan and has_inf else ("NaN" if has_nan else "Inf")
        raise errors.InvalidArgumentError(None, None, "%s : Tensor had %s values" % (message, what))
    return tensor


def _check_numerics_grad(op, grad):
    """The gradient passes through, checked in turn (TF's rule)."""
    return [check_numerics(grad, "Not a number (NaN) or infinity (Inf) values detected in gradient. %s"
                           % op.get_attr("message"))]


register_op("CheckNumerics", infer=_check_numerics_infer, kernel=_check_numerics_kernel, grad=_check_numerics_grad,
            aliases_input=True)


def check_numerics(tensor, message, name=None):
    """`tensor` as it is, once checked when the graph runs: a NaN or an infinity in it raises
    InvalidArgumentError "<message> : Tensor had NaN values" (or Inf, or Inf and NaN). Floats only.

    >>> y = tf.check_numerics(tf.log(x), "log of x")   # fails when run if some x <= 0
    """
    with name_scope(name, "CheckNumerics", [tensor]) as scope:
        t = convert_one("CheckNumerics", "tensor", tensor, allowed=FLOAT_TYPES)
        return make_op("CheckNumerics", [t], {"message": str(message), "T": t.dtype.base_dtype}, name=scope)


def verify_tensor_all_finite(t=None, msg=None, name=None, x=None, message=None):
    """`t` (through an Identity that depends on a CheckNumerics of it): fails when run if `t` holds a NaN or
    an infinity, with `msg` in the error. Ops named 'VerifyFinite/CheckNumerics' and
    'VerifyFinite/control_dependency', as TF's."""
    from .control_flow_ops import with_dependencies
    t = _deprecated_argument_lookup("x", x, "t", t)
    msg = _deprecated_argument_lookup("message", message, "msg", msg)
    with name_scope(name, "VerifyFinite", [t]):
        t = convert_to_tensor(t, name="t")
        with colocate_with(t):
            verify_input = check_numerics(t, message=msg)
            return with_dependencies([verify_input], t)


def add_check_numerics_ops():
    """A CheckNumerics of every float16/32/64 output of every op in the default graph so far, chained by control
    dependencies, grouped in one op to run ('group_deps'). Each failure names the tensor ("Log:0 : Tensor had NaN
    values"). Graphs with tf.cond or tf.while_loop are refused with TF's ValueError."""
    from .control_flow_ops import group
    check_op = []
    for op in get_default_graph().get_operations():
        for output in op.outputs:
            if output.dtype in (dtypes.float16, dtypes.float32, dtypes.float64):  # (not a variable's reference)
                if op._get_control_flow_context() is not None:
                    raise ValueError("`tf.add_check_numerics_ops() is not compatible with TensorFlow control flow "
                                     "operations such as `tf.cond()` or `tf.while_loop()`.")
                with control_dependencies(check_op):
                    check_op = [check_numerics(output, message="%s:%d" % (op.name, output.value_index))]
    return group(*check_op)
