"""State ops: VariableV2 (a variable's storage), Assign/AssignAdd/AssignSub, IsVariableInitialized.

A variable op's output is a *reference* tensor (`float32_ref`); the executor hands ops that
declare `ref_inputs` the variable's storage slot, and reads the current value for all others.
"""
import numpy as np

from ..framework import dtypes, errors
from ..framework.op_def_library import make_op
from ..framework.op_registry import NOT_DIFFERENTIABLE, InferenceError, register_op
from ..framework.ops import convert_to_tensor, get_default_graph, name_scope
from ..framework.tensor_shape import TensorShape, as_shape
from ..runtime.state import deref

__all__ = ["variable_op_v2", "assign", "assign_add", "assign_sub", "is_variable_initialized"]


# =========================================================================== VariableV2
def _variable_infer(*, shape, dtype, container="", shared_name=""):
    return dtype._as_ref, shape


def _variable_kernel(ctx, xp, *, shape, dtype, container="", shared_name=""):
    return ctx.slot


register_op("VariableV2", infer=_variable_infer, kernel=_variable_kernel, grad=NOT_DIFFERENTIABLE,
            stateful=True, needs_ctx=True)


def variable_op_v2(shape, dtype, name="Variable", container="", shared_name=""):
    """The storage op of a variable; its output is a ref tensor."""
    return get_default_graph().create_op(
        "VariableV2", [], {"shape": as_shape(shape), "dtype": dtypes.as_dtype(dtype).base_dtype,
                           "container": container, "shared_name": shared_name}, name=name)._outputs[0]


# =========================================================================== Assign family
def _assign_infer(ref, value, *, validate_shape=True, use_locking=False, T=None):
    if not ref.dtype._is_ref:
        raise TypeError("'%s' needs a variable (a ref tensor) as its first input, got %s; assign to a "
                        "tf.Variable" % ("Assign", ref))
    if value.dtype.base_dtype != ref.dtype.base_dtype:
        raise TypeError("Input 'value' of 'Assign' Op has type %s that does not match type %s of argument 'ref'."
                        % (value.dtype.base_dtype.name, ref.dtype.base_dtype.name))
    if validate_shape:
        if not ref.shape.is_compatible_with(value.shape):
            raise InferenceError("Shapes must be equal rank, but are %s and %s" % (ref.shape.ndims, value.shape.ndims)
                                 if ref.shape.ndims != value.shape.ndims and None not in (ref.shape.ndims,
                                                                                         value.shape.ndims)
                                 else "Dimension mismatch: %s vs %s" % (ref.shape, value.shape))
        return ref.dtype, ref.shape.merge_with(value.shape)
    return ref.dtype, value.shape


def _assign_kernel(xp, slot, value, *, validate_shape=True, use_locking=False, T=None):
    old = slot.value
    if validate_shape and old is not None and old.shape != value.shape:
        raise errors.InvalidArgumentError(None, None, "Assign requires shapes of both tensors to match. lhs shape= %s "
                                          "rhs shape= %s" % (list(old.shape), list(value.shape)))
    if old is not None and old.shape == value.shape:
        old[...] = value  # in place: the variable keeps its buffer
    else:
        slot.value = xp.array(value, copy=True)  # own the buffer; never alias a constant or a feed
    return slot


def _update_infer(ref, value, *, use_locking=False, T=None):
    if not ref.dtype._is_ref:
        raise TypeError("needs a variable (a ref tensor) as its first input, got %s" % (ref,))
    return ref.dtype, ref.shape


def _make_update_kernel(ufunc_name, what):
    def kernel(xp, slot, value, *, use_locking=False, T=None):
        v = deref(slot)
        try:
            getattr(xp, ufunc_name)(v, value, out=v)
        except ValueError:
            raise errors.InvalidArgumentError(
                None, None, "Must have updates.shape = ref.shape, got updates.shape %s, ref.shape %s"
                % (list(value.shape), list(v.shape))) from None
        return slot
    kernel.__name__ = "_%s_kernel" % what
    return kernel


register_op("Assign", infer=_assign_infer, kernel=_assign_kernel, grad=NOT_DIFFERENTIABLE, stateful=True,
            ref_inputs=(0,))
register_op("AssignAdd", infer=_update_infer, kernel=_make_update_kernel("add", "assign_add"),
            grad=NOT_DIFFERENTIABLE, stateful=True, ref_inputs=(0,))
register_op("AssignSub", infer=_update_infer, kernel=_make_update_kernel("subtract", "assign_sub"),
            grad=NOT_DIFFERENTIABLE, stateful=True, ref_inputs=(0,))


def _ref_of(ref):
    if hasattr(ref, "_ref") and callable(ref._ref):
        return ref._ref()
    return ref


def _update(op_type, ref, value, attrs, name):
    ref = _ref_of(ref)
    if not getattr(getattr(ref, "dtype", None), "_is_ref", False):
        raise TypeError("%s requires a tf.Variable as `ref`, got %r" % (
            {"Assign": "tf.assign", "AssignAdd": "tf.assign_add", "AssignSub": "tf.assign_sub"}[op_type], ref))
    with name_scope(name, op_type, [ref, value]) as scope:
        try:
            value = convert_to_tensor(value, dtype=ref.dtype.base_dtype, name="value")
        except ValueError:
            v = convert_to_tensor(value, name="value")
            raise TypeError("Input 'value' of '%s' Op has type %s that does not match type %s of argument 'ref'."
                            % (op_type, v.dtype.base_dtype.name, ref.dtype.base_dtype.name)) from None
        return make_op(op_type, [ref, value], attrs, name=scope)


def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    """Store `value` in the variable `ref`; the result is the variable (a ref tensor) after the update."""
    return _update("Assign", ref, value, {"validate_shape": True if validate_shape is None else validate_shape,
                                          "use_locking": bool(use_locking)}, name)


def assign_add(ref, value, use_locking=None, name=None):
    """ref += value, in place; the result is the variable after the update."""
    return _update("AssignAdd", ref, value, {"use_locking": bool(use_locking)}, name)


def assign_sub(ref, value, use_locking=None, name=None):
    """ref -= value, in place; the result is the variable after the update."""
    return _update("AssignSub", ref, value, {"use_locking": bool(use_locking)}, name)


# =========================================================================== IsVariableInitialized
def _is_init_infer(ref, *, dtype=None):
    return dtypes.bool, TensorShape([])


def _is_init_kernel(xp, slot, *, dtype=None):
    return np.asarray(slot.value is not None)


register_op("IsVariableInitialized", infer=_is_init_infer, kernel=_is_init_kernel, grad=NOT_DIFFERENTIABLE,
            stateful=True, ref_inputs=(0,))


def is_variable_initialized(variable, name=None):
    """A bool scalar: whether `variable` holds a value in the session that runs it."""
    ref = _ref_of(variable)
    with name_scope(name, "IsVariableInitialized", [ref]) as scope:
        return make_op("IsVariableInitialized", [ref], {"dtype": ref.dtype.base_dtype}, name=scope)
