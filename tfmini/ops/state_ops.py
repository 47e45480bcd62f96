"""State ops: VariableV2 (a variable's storage), Assign/AssignAdd/AssignSub, IsVariableInitialized.

A variable op's output is a *reference* tensor (`float32_ref`); the executor hands ops that
declare `ref_inputs` the variable's storage slot, and reads the current value for all others.
"""
from ..framework import dtypes, errors
from ..framework.op_def_library import NUMBER_TYPES, convert_same_dtype, make_op
from ..framework.op_registry import NOT_DIFFERENTIABLE, debug_string, register_op
from ..framework.ops import get_default_graph, name_scope
from ..framework.tensor_shape import TensorShape, as_shape
from ..runtime.state import deref
from .shape_util import merge_shapes

__all__ = ["variable_op_v2", "assign", "assign_add", "assign_sub", "is_variable_initialized"]


# =========================================================================== VariableV2
def _variable_infer(*, shape, dtype, container="", shared_name=""):
    return dtype._as_ref, shape


def _variable_kernel(ctx, xp, *, shape, dtype, container="", shared_name=""):
    return ctx.slot


register_op("VariableV2", infer=_variable_infer, kernel=_variable_kernel, grad=NOT_DIFFERENTIABLE,
            stateful=True, needs_ctx=True, session_constant=True)


def variable_op_v2(shape, dtype, name="Variable", container="", shared_name=""):
    """The storage op of a variable; its output is a ref tensor."""
    return get_default_graph().create_op(
        "VariableV2", [], {"shape": as_shape(shape), "dtype": dtypes.as_dtype(dtype).base_dtype,
                           "container": container, "shared_name": shared_name}, name=name)._outputs[0]


# =========================================================================== Assign family
def _check_ref(op_type, ref, value):
    if not ref.dtype._is_ref:
        raise TypeError("'%s' Op requires that input 'ref' be a mutable tensor (a tf.Variable), got %s"
                        % (op_type, ref))
    if value.dtype.base_dtype != ref.dtype.base_dtype:
        raise TypeError("Input 'value' of '%s' Op has type %s that does not match type %s of argument 'ref'."
                        % (op_type, value.dtype.base_dtype.name, ref.dtype.base_dtype.name))


def _assign_infer(ref, value, *, validate_shape=True, use_locking=True, T=None):
    _check_ref("Assign", ref, value)
    if validate_shape:
        return ref.dtype, merge_shapes(ref.shape, value.shape)
    return ref.dtype, value.shape


def _assign_kernel(xp, slot, value, *, validate_shape=True, use_locking=True, T=None):
    old = slot.value
    if validate_shape and old is None:  # an uninitialized variable has its declared shape (TF's LegacyVar)
        declared = slot.op._attrs.get("shape")
        if declared is not None and declared.is_fully_defined() and declared.as_tuple() != value.shape:
            raise errors.InvalidArgumentError(None, None, "Assign requires shapes of both tensors to match. lhs "
                                              "shape= %s rhs shape= %s"
                                              % (debug_string(declared.as_tuple()), debug_string(value.shape)))
    if validate_shape and old is not None and old.shape != value.shape:
        raise errors.InvalidArgumentError(None, None, "Assign requires shapes of both tensors to match. lhs shape= %s "
                                          "rhs shape= %s" % (debug_string(old.shape), debug_string(value.shape)))
    if old is not None and old.shape == value.shape:
        old[...] = value  # in place: the variable keeps its buffer
    else:
        slot.value = xp.array(value, copy=True)  # own the buffer; never alias a constant or a feed
    return slot


def _make_update_infer(op_type):
    def infer(ref, value, *, use_locking=False, T=None):
        _check_ref(op_type, ref, value)
        return ref.dtype, merge_shapes(ref.shape, value.shape)
    infer.__name__ = "_%s_infer" % op_type.lower()
    return infer


def _make_update_kernel(ufunc_name, what):
    def kernel(xp, slot, value, *, use_locking=False, T=None):
        v = deref(slot)
        if v.shape != value.shape:  # no broadcasting into a variable (shapes unknown when the graph was built)
            raise errors.InvalidArgumentError(None, None, "Parameters and update must be the same size")
        getattr(xp, ufunc_name)(v, value, out=v)
        return slot
    kernel.__name__ = "_%s_kernel" % what
    return kernel


register_op("Assign", infer=_assign_infer, kernel=_assign_kernel, grad=NOT_DIFFERENTIABLE, stateful=True,
            ref_inputs=(0,))
register_op("AssignAdd", infer=_make_update_infer("AssignAdd"), kernel=_make_update_kernel("add", "assign_add"),
            grad=NOT_DIFFERENTIABLE, stateful=True, ref_inputs=(0,))
register_op("AssignSub", infer=_make_update_infer("AssignSub"), kernel=_make_update_kernel("subtract", "assign_sub"),
            grad=NOT_DIFFERENTIABLE, stateful=True, ref_inputs=(0,))


def _ref_of(ref):
    if hasattr(ref, "_ref") and callable(ref._ref):
        return ref._ref()
    return ref


def _update(op_type, ref, value, attrs, name):
    ref = _ref_of(ref)
    with name_scope(name, op_type, [ref, value]) as scope:
        # TF's op builder: a Python value becomes a Const of the variable's type named 'value'
        ref, value = convert_same_dtype(op_type, [("ref", ref), ("value", value)],
                                        allowed=None if op_type == "Assign" else NUMBER_TYPES)
        return make_op(op_type, [ref, value], attrs, name=scope)


def _is_ref(x):
    return getattr(getattr(x, "dtype", None), "_is_ref", False)


def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    """Store `value` in the variable `ref`; the result is the variable (a ref tensor) after the update.

    With validate_shape=False the variable takes the value's shape. Anything that is not a variable
    is asked for its own `assign` method, as TF does (a Tensor has none: AttributeError).
    """
    if not _is_ref(ref):
        return ref.assign(value, name=name)
    return _update("Assign", ref, value, {"validate_shape": True if validate_shape is None else bool(validate_shape),
                                          "use_locking": True if use_locking is None else bool(use_locking)}, name)


def assign_add(ref, value, use_locking=None, name=None):
    """ref += value, in place (same shape, no broadcasting); the result is the variable after the update."""
    if not _is_ref(ref):
        return ref.assign_add(value)
    return _update("AssignAdd", ref, value, {"use_locking": bool(use_locking)}, name)


def assign_sub(ref, value, use_locking=None, name=None):
    """ref -= value, in place (same shape, no broadcasting); the result is the variable after the update."""
    if not _is_ref(ref):
        return ref.assign_sub(value)
    return _update("AssignSub", ref, value, {"use_locking": bool(use_locking)}, name)


# =========================================================================== IsVariableInitialized
def _is_init_infer(ref, *, dtype=None):
    return dtypes.bool, TensorShape([])


def _is_init_kernel(xp, slot, *, dtype=None):
    return xp.asarray(slot.value is not None)


register_op("IsVariableInitialized", infer=_is_init_infer, kernel=_is_init_kernel, grad=NOT_DIFFERENTIABLE,
            stateful=True, ref_inputs=(0,))


def is_variable_initialized(variable, name=None):
    """A bool scalar: whether `variable` holds a value in the session that runs it."""
    ref = _ref_of(variable)
    with name_scope(name, "IsVariableInitialized", [ref]) as scope:
        return make_op("IsVariableInitialized", [ref], {"dtype": ref.dtype.base_dtype}, name=scope)
