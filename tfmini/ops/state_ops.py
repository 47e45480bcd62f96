"""State ops: VariableV2 (a variable's storage), Assign/AssignAdd/AssignSub, Scatter*, IsVariableInitialized.

A variable op's output is a *reference* tensor (`float32_ref`); the executor hands ops that
declare `ref_inputs` the variable's storage slot, and reads the current value for all others.
"""
import threading

import numpy as np

from ..framework import dtypes, errors
from ..framework.op_def_library import NUMBER_TYPES, convert_same_dtype, make_op
from ..framework.op_registry import NO_GRADIENT, NOT_DIFFERENTIABLE, debug_string, register_op
from ..framework.ops import get_default_graph, name_scope
from ..framework.tensor_shape import TensorShape, as_shape
from ..runtime.state import deref
from .shape_util import merge_shapes
from .shape_util import with_rank_at_least as _with_rank_at_least

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


# =========================================================================== Scatter{,Nd}{Update,Add,Sub}
# In-place updates of slices of a variable (TF 1.x's ops on RefVariables). Repeated indices add up for Add/Sub (the
# rows are summed per index first, so no unbuffered scatter is needed); for Update the last one wins.
def _scatter_check(op_type, ref, updates):
    if not ref.dtype._is_ref:
        raise TypeError("'%s' Op requires that input 'ref' be a mutable tensor (a tf.Variable), got %s"
                        % (op_type, ref))


def _make_scatter_infer(op_type):
    def infer(ref, indices, updates, **_):
        """TF's ScatterUpdateShape: updates has shape indices.shape + ref.shape[1:], or is a scalar."""
        _scatter_check(op_type, ref, updates)
        var = ref.shape
        if updates.shape.ndims != 0:
            if var.ndims is not None and indices.shape.ndims is not None:
                merge_shapes(updates.shape, TensorShape(indices.shape.as_tuple() + var.as_tuple()[1:]))
        return ref.dtype, var
    infer.__name__ = "_%s_infer" % op_type.lower()
    return infer


def _make_scatter_nd_infer(op_type):
    def infer(ref, indices, updates, **_):
        """TF's ScatterNdShapeHelper with the variable's shape as the output's."""
        from .array_ops import _scatter_nd_check
        _scatter_check(op_type, ref, updates)
        _with_rank_at_least(indices.shape, 1)
        _scatter_nd_check(indices, updates, ref.shape)
        return ref.dtype, ref.shape
    infer.__name__ = "_%s_infer" % op_type.lower()
    return infer


def _invalid(message):
    return errors.InvalidArgumentError(None, None, message)


def _apply_rows(xp, v, lead_shape, linear, rows, how):
    """v[positions] = rows (how="update"), += or -= (summed per position): `linear` numbers the positions
    in v's leading dimensions `lead_shape` (C order), `rows` holds one slice of v per position."""
    if not lead_shape:  # empty index vectors: each one addresses the whole of v
        if rows.shape[0]:
            if how == "update":
                v[...] = rows[-1]
            elif how == "add":
                v += rows.sum(axis=0)
            else:
                v -= rows.sum(axis=0)
        return
    if how == "update":
        v[xp.unravel_index(linear, lead_shape)] = rows
        return
    if not linear.size:
        return
    from .array_ops import _segment_runs
    order = xp.argsort(linear, kind="stable")
    which, summed, _counts = _segment_runs(xp, linear[order], rows[order], "add")
    place = xp.unravel_index(which, lead_shape)
    if how == "add":
        v[place] += summed
    else:
        v[place] -= summed


def _make_scatter_kernel(how):
    def kernel(xp, slot, indices, updates, **_):
        v = deref(slot)
        indices = xp.asarray(indices)  # int32 indices reach a GPU kernel in host memory
        if updates.ndim and updates.shape != indices.shape + v.shape[1:]:
            raise _invalid("Must have updates.shape = indices.shape + params.shape[1:] or updates.shape = [], got "
                           "updates.shape %s, indices.shape %s, params.shape %s"
                           % (debug_string(updates.shape), debug_string(indices.shape), debug_string(v.shape)))
        flat = indices.reshape(-1)
        limit = v.shape[0]
        bad = (flat < 0) | (flat >= limit)
        if bad.any():
            k = int(xp.argmax(bad))
            where_ = np.unravel_index(k, indices.shape) if indices.ndim else ()
            raise _invalid("indices[%s] = %d is not in [0, %d)" % (",".join(str(int(i)) for i in where_),
                                                                   int(flat[k]), limit))
        lead = (flat.size,) + v.shape[1:]
        rows = updates.reshape(lead) if updates.ndim else xp.broadcast_to(updates, lead)
        _apply_rows(xp, v, v.shape[:1], flat, rows, how)
        return slot
    kernel.__name__ = "_scatter_%s_kernel" % how
    return kernel


def _make_scatter_nd_kernel(how):
    def kernel(xp, slot, indices, updates, **_):
        from .array_ops import _nd_index_error
        v = deref(slot)
        indices = xp.asarray(indices)  # int32 indices reach a GPU kernel in host memory
        if indices.ndim < 1:
            raise _invalid("Indices shape must have rank at least one. Found:%s" % debug_string(indices.shape))
        outer, depth = indices.ndim - 1, indices.shape[-1]
        for i in range(outer):
            if updates.ndim <= i or updates.shape[i] != indices.shape[i]:
                raise _invalid("Dimensions [0,%d) of indices[shape=%s] = %d must match dimensions [0,%d) of "
                               "updates[shape=%s] = %s" % (i + 1, debug_string(indices.shape), indices.shape[i], i + 1,
                                                           debug_string(updates.shape),
                                                           updates.shape[i] if updates.ndim > i else "?"))
        if depth > v.ndim or updates.shape[outer:] != v.shape[depth:]:
            raise _invalid("Dimensions [%d,%d) of input[shape=%s] must match dimensions [%d,%d) of updates[shape=%s]"
                           % (depth, v.ndim, debug_string(v.shape), depth, updates.ndim, debug_string(updates.shape)))
        n = int(np.prod(indices.shape[:-1]))
        flat = indices.reshape(n, depth)
        bad = _nd_index_error(xp, flat, v.shape[:depth]) if n and depth else None
        if bad is not None:  # the last bad index vector, as TF's kernel reports it
            raise _invalid("indices[%d] = [%s] does not index into shape %s" % (bad[0], bad[1], debug_string(v.shape)))
        strides = [int(np.prod(v.shape[j + 1:depth])) for j in range(depth)]
        linear = (flat.astype(np.int64) * xp.asarray(strides, dtype=np.int64)).sum(axis=1)
        _apply_rows(xp, v, v.shape[:depth], linear, updates.reshape((n,) + v.shape[depth:]), how)
        return slot
    kernel.__name__ = "_scatter_nd_%s_kernel" % how
    return kernel


for _how in ("Update", "Add", "Sub"):
    # (TF registers no gradient for ScatterUpdate, and "not differentiable" for the others)
    register_op("Scatter" + _how, infer=_make_scatter_infer("Scatter" + _how),
                kernel=_make_scatter_kernel(_how.lower()), grad=NO_GRADIENT if _how == "Update" else NOT_DIFFERENTIABLE,
                stateful=True, ref_inputs=(0,))
    register_op("ScatterNd" + _how, infer=_make_scatter_nd_infer("ScatterNd" + _how),
                kernel=_make_scatter_nd_kernel(_how.lower()), grad=NOT_DIFFERENTIABLE, stateful=True,
                ref_inputs=(0,))


def _scatter_ref(op_type, ref, indices, updates, use_locking, name):
    ref = _ref_of(ref)
    if not _is_ref(ref):  # TF asks a non-variable for its resource variable's method
        raise AttributeError("'%s' object has no attribute '_lazy_read'" % type(ref).__name__)
    from .array_ops import _index_input
    with name_scope(name, op_type, [ref, indices, updates]) as scope:
        i = _index_input(op_type, "indices", indices)
        ref, u = convert_same_dtype(op_type, [("ref", ref), ("updates", updates)])
        return make_op(op_type, [ref, i, u], {"T": ref.dtype.base_dtype, "Tindices": i.dtype.base_dtype,
                                              "use_locking": bool(use_locking)}, name=scope)


def scatter_update(ref, indices, updates, use_locking=True, name=None):
    """ref[indices[i...], ...] = updates[i..., ...] in place (updates.shape = indices.shape + ref.shape[1:],
    or a scalar for all of them); the result is the variable after the update.

    >>> tf.scatter_update(v, [1, 3], [[1., 1.], [2., 2.]])   # rows 1 and 3 of v replaced
    """
    return _scatter_ref("ScatterUpdate", ref, indices, updates, use_locking, name)


def scatter_add(ref, indices, updates, use_locking=False, name=None):
    """ref[indices[i...], ...] += updates[i..., ...] in place; repeated indices add up."""
    return _scatter_ref("ScatterAdd", ref, indices, updates, use_locking, name)


def scatter_sub(ref, indices, updates, use_locking=False, name=None):
    """ref[indices[i...], ...] -= updates[i..., ...] in place; repeated indices add up."""
    return _scatter_ref("ScatterSub", ref, indices, updates, use_locking, name)


def scatter_nd_update(ref, indices, updates, use_locking=True, name=None):
    """ref[indices[i..., :]] = updates[i...] in place: the index vectors in the last axis of `indices`
    address slices of the variable (updates.shape = indices.shape[:-1] + ref.shape[indices.shape[-1]:]).

    >>> tf.scatter_nd_update(v, [[0, 1], [2, 2]], [5., 6.])   # two elements of a matrix variable
    """
    return _scatter_ref("ScatterNdUpdate", ref, indices, updates, use_locking, name)


def scatter_nd_add(ref, indices, updates, use_locking=False, name=None):
    """ref[indices[i..., :]] += updates[i...] in place; repeated indices add up."""
    return _scatter_ref("ScatterNdAdd", ref, indices, updates, use_locking, name)


def scatter_nd_sub(ref, indices, updates, use_locking=False, name=None):
    """ref[indices[i..., :]] -= updates[i...] in place; repeated indices add up."""
    return _scatter_ref("ScatterNdSub", ref, indices, updates, use_locking, name)


__all__ += ["scatter_update", "scatter_add", "scatter_sub", "scatter_nd_update", "scatter_nd_add", "scatter_nd_sub"]


# =========================================================================== CountUpTo (tf.train.limit_epochs)
_COUNT_LOCK = threading.Lock()  # queue-runner threads count at once: one increment at a time


def _count_up_to_infer(ref, *, limit, T=None):
    if not ref.dtype._is_ref:
        raise TypeError("'CountUpTo' Op requires that input 'ref' be a mutable tensor (a tf.Variable), got %s" % ref)
    if ref.shape.ndims not in (None, 0):
        raise ValueError("Shape must be rank 0 but is rank %d" % ref.shape.ndims)
    return ref.dtype.base_dtype, TensorShape([])


def _count_up_to_kernel(xp, slot, *, limit, T=None):
    with _COUNT_LOCK:
        v = deref(slot)
        if int(v) >= limit:
            raise errors.OutOfRangeError(None, None, "Reached limit of %d" % limit)
        old = v.copy()
        v += 1
    return old


register_op("CountUpTo", infer=_count_up_to_infer, kernel=_count_up_to_kernel, grad=NOT_DIFFERENTIABLE,
            stateful=True, ref_inputs=(0,))


def count_up_to(ref, limit, name=None):
    """Increment the int32/int64 scalar variable `ref` until it reaches `limit`: the value before the increment;
    TF's OutOfRangeError "Reached limit of <limit>" once it is there (tf.train.limit_epochs counts epochs so)."""
    ref = _ref_of(ref)
    with name_scope(name, "CountUpTo", [ref]) as scope:
        return make_op("CountUpTo", [ref], {"limit": int(limit), "T": ref.dtype.base_dtype}, name=scope)
