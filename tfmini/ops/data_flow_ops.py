"""Data-flow ops that route rows between tensors: DynamicPartition and (Parallel)DynamicStitch; the stacks that a
tf.while_loop's gradient keeps its forward values in (StackV2, StackPushV2, StackPopV2)."""
from ..framework import dtypes
from ..framework.op_def_library import convert_one, make_op
from ..framework.op_registry import NOT_DIFFERENTIABLE, InferenceError, register_op
from ..framework.ops import convert_to_tensor, name_scope
from ..framework.tensor_shape import TensorShape
from . import array_ops, math_ops
from .array_ops import _dbg, _invalid
from .constant_op import constant_value
from .shape_util import merge_shapes

__all__ = ["dynamic_partition", "dynamic_stitch", "parallel_dynamic_stitch", "stack_v2", "stack_push_v2",
           "stack_pop_v2"]


def _prefix_merge(data, prefix):
    """TF's MergePrefix: `data` must start with the dims of `prefix`."""
    if data.ndims is None or prefix.ndims is None:
        return
    if data.ndims < prefix.ndims:
        raise InferenceError("Shape must be at least rank %d but is rank %d" % (prefix.ndims, data.ndims))
    merge_shapes(TensorShape(data.as_tuple()[:prefix.ndims]), prefix)


def _index_str(shape, flat):
    """The position `flat` of an array of `shape` as TF writes it: [1,2]."""
    pos = []
    for d in reversed(shape):
        pos.append(flat % d)
        flat //= d
    return "[%s]" % ",".join(str(p) for p in reversed(pos))


# =========================================================================== DynamicPartition
def _dynamic_partition_infer(data, partitions, *, num_partitions, **_):
    """Each output: [?] + data.shape[rank(partitions):]."""
    dt = data.dtype.base_dtype
    if partitions.shape.ndims is None:
        return [(dt, TensorShape(None))] * num_partitions
    _prefix_merge(data.shape, partitions.shape)
    if data.shape.ndims is None:
        return [(dt, TensorShape(None))] * num_partitions
    return [(dt, TensorShape((None,) + data.shape.as_tuple()[partitions.shape.ndims:]))] * num_partitions


def _dynamic_partition_kernel(xp, data, partitions, *, num_partitions, **_):
    partitions = xp.asarray(partitions)  # int32 partitions reach a GPU kernel in host memory
    k = partitions.ndim
    if data.shape[:k] != partitions.shape:
        raise _invalid("data.shape must start with partitions.shape, got data.shape = %s, partitions.shape = %s"
                       % (_dbg(data.shape), _dbg(partitions.shape)))
    bad = (partitions < 0) | (partitions >= num_partitions)
    if bad.any():
        flat = int(xp.argmax(bad.reshape(-1)))
        raise _invalid("partitions%s = %d is not in [0, %d)"
                       % (_index_str(partitions.shape, flat), int(partitions.reshape(-1)[flat]), num_partitions))
    rows = data.reshape((partitions.size,) + data.shape[k:])
    flat_p = partitions.reshape(-1)
    return tuple(rows[flat_p == p] for p in range(num_partitions))


def _dynamic_partition_grad(op, *grads):
    """Stitch the partitions' gradients back to the positions their rows came from."""
    data, partitions = op.inputs
    num_partitions = op.get_attr("num_partitions")
    prefix_shape = array_ops.shape(partitions)
    original_indices = array_ops.reshape(array_ops.range(math_ops.reduce_prod(prefix_shape)), prefix_shape)
    partitioned_indices = dynamic_partition(original_indices, partitions, num_partitions)
    reconstructed = parallel_dynamic_stitch(partitioned_indices, list(grads))
    return [array_ops.reshape(reconstructed, array_ops.shape(data)), None]


register_op("DynamicPartition", infer=_dynamic_partition_infer, kernel=_dynamic_partition_kernel,
            grad=_dynamic_partition_grad)


def dynamic_partition(data, partitions, num_partitions, name=None):
    """Split `data` into `num_partitions` tensors: outputs[i] holds, in order, the rows data[j]
    (rows along the leading dims that `partitions` has) with partitions[j] == i.

    partitions: int32, each in [0, num_partitions), its shape a prefix of data's.

    >>> tf.dynamic_partition([10, 20, 30, 40], [0, 1, 0, 1], 2)   # [[10, 30], [20, 40]]
    """
    if not isinstance(num_partitions, int) or num_partitions < 1:
        raise ValueError("Value for attr 'num_partitions' of %s must be at least minimum 1" % (num_partitions,))
    with name_scope(name, "DynamicPartition", [data, partitions]) as scope:
        d = convert_to_tensor(data, name="data")
        p = convert_one("DynamicPartition", "partitions", partitions, dtype=dtypes.int32)
        out = make_op("DynamicPartition", [d, p], {"num_partitions": num_partitions, "T": d.dtype.base_dtype},
                      name=scope)
        return out if isinstance(out, list) else [out]


# =========================================================================== DynamicStitch, ParallelDynamicStitch
def _dynamic_stitch_infer(*inputs, N, **_):
    """[max(indices) + 1] (when every indices input is a constant, else ?) + data[i].shape[rank(indices[i]):]."""
    indices, data = inputs[:N], inputs[N:]
    all_constant = True
    max_index = -1
    extra = TensorShape(None)
    for ind, d in zip(indices, data):
        v = constant_value(ind)
        if v is None:
            all_constant = False
        elif v.size:
            max_index = max(max_index, int(v.max()))
        if ind.shape.ndims is None:
            continue
        _prefix_merge(d.shape, ind.shape)
        if d.shape.ndims is not None:
            extra = merge_shapes(extra, TensorShape(d.shape.as_tuple()[ind.shape.ndims:]))
    first = TensorShape([max_index + 1 if all_constant else None])
    dt = data[0].dtype.base_dtype
    return dt, TensorShape(None) if extra.ndims is None else first.concatenate(extra)


def _dynamic_stitch_kernel(xp, *arrays, N, **_):
    indices, data = [xp.asarray(i) for i in arrays[:N]], arrays[N:]  # int32 indices arrive in host memory on a GPU
    extra = None
    max_index = -1
    for i, (ind, d) in enumerate(zip(indices, data)):
        if d.shape[:ind.ndim] != ind.shape:
            raise _invalid("data[%d].shape = %s does not start with indices[%d].shape = %s"
                           % (i, _dbg(d.shape), i, _dbg(ind.shape)))
        rest = d.shape[ind.ndim:]
        if extra is None:
            extra = rest
        elif rest != extra:
            raise _invalid("Need data[%d].shape[%d:] = %s to match data[0].shape[%d:] = %s"
                           % (i, ind.ndim, _dbg(rest), indices[0].ndim, _dbg(extra)))
        if ind.size:
            if int(ind.min()) < 0:
                flat = int(xp.argmax(ind.reshape(-1) < 0))
                raise _invalid("indices[%d] is out of range" % flat)
            max_index = max(max_index, int(ind.max()))
    out = xp.zeros((max_index + 1,) + extra, data[0].dtype)
    for ind, d in zip(indices, data):  # a loop over the N inputs, not over rows; later inputs win
        out[ind.reshape(-1)] = d.reshape((ind.size,) + extra)
    return out


def _dynamic_stitch_grad(op, grad):
    """Each data input gets the rows of `grad` its indices went to; the indices get none."""
    n = len(op.inputs) // 2
    return [None] * n + [array_ops.gather(grad, op.inputs[i]) for i in range(n)]


register_op("DynamicStitch", infer=_dynamic_stitch_infer, kernel=_dynamic_stitch_kernel, grad=_dynamic_stitch_grad)
register_op("ParallelDynamicStitch", infer=_dynamic_stitch_infer, kernel=_dynamic_stitch_kernel,
            grad=_dynamic_stitch_grad)


def _stitch(op_type, indices, data, name):
    indices, data = list(indices), list(data)
    if len(indices) != len(data):
        raise ValueError("List argument 'data' to '%s' Op with length %d must match length %d of argument "
                         "'indices'." % (op_type, len(data), len(indices)))
    if not indices:
        raise ValueError("List argument 'indices' to '%s' Op with length 0 shorter than minimum length 1."
                         % op_type)
    with name_scope(name, op_type, indices + data) as scope:
        ind = [convert_one(op_type, "indices", t, dtype=dtypes.int32) for t in indices]
        dat = array_ops._convert_list(op_type, "data", data)
        return make_op(op_type, ind + dat, {"N": len(ind), "T": dat[0].dtype.base_dtype}, name=scope)


def dynamic_stitch(indices, data, name=None):
    """Interleave the rows of the `data` tensors: merged[indices[m][i]] = data[m][i] (row by row
    along the leading dims of indices[m]); where indices repeat, the later input wins.

    indices: a list of int32 tensors; data: a list of tensors of one dtype, data[m] starting with
    the shape of indices[m]. The result has max(indices) + 1 rows.

    >>> tf.dynamic_stitch([[0, 2], [1, 3]], [[10, 30], [20, 40]])   # [10, 20, 30, 40]
    """
    return _stitch("DynamicStitch", indices, data, name)


def parallel_dynamic_stitch(indices, data, name=None):
    """As `dynamic_stitch`; which of repeated indices wins is unspecified (here: the later input)."""
    return _stitch("ParallelDynamicStitch", indices, data, name)


# =========================================================================== stacks (a tf.while_loop's gradient)
# StackV2 makes a stack each time it runs; StackPushV2 pushes a copy of a value, StackPopV2 pops the last one. The
# gradient of a loop pushes the forward values it needs in each iteration and pops them in the backward loop.
class _Stack(list):
    """A stack made by one run of a StackV2 op: the values pushed, the element type and the stack's name."""

    __slots__ = ("elem_type", "name", "max_size")

    def __repr__(self):
        return "<stack %s: %d values>" % (self.name, len(self))


def _stack_infer(max_size, *, elem_type=None, stack_name="", **_):
    if max_size.shape.ndims not in (None, 0):
        raise InferenceError("Shape must be rank 0 but is rank %d" % max_size.shape.ndims)
    return [(dtypes.resource, TensorShape([]))]


def _stack_kernel(ctx, xp, max_size, *, elem_type=None, stack_name="", **_):
    s = _Stack()
    s.elem_type, s.name, s.max_size = elem_type, stack_name or ctx.op.name, int(max_size)
    return s


def _stack_push_infer(handle, elem, *, swap_memory=False, **_):
    return [(elem.dtype.base_dtype, elem.shape)]


def _stack_push_kernel(xp, handle, elem, *, swap_memory=False, **_):
    from ..framework import errors
    if 0 <= handle.max_size <= len(handle):
        raise errors.InvalidArgumentError(None, None, "Stack[%s] overflowed its max_size (%d)"
                                          % (handle.name, handle.max_size))
    # an array as it is now (a variable's storage may change later); a handle (a TensorArray made in a loop's body)
    # is the object itself
    handle.append(elem.copy() if hasattr(elem, "shape") and hasattr(elem, "dtype") else elem)
    return elem


def _stack_pop_infer(handle, *, elem_type, **_):
    return [(elem_type, TensorShape(None))]


def _stack_pop_kernel(xp, handle, *, elem_type, **_):
    from ..framework import errors
    if not handle:
        raise errors.InvalidArgumentError(None, None, "Stack[%s] is empty." % handle.name)
    return handle.pop()


register_op("StackV2", infer=_stack_infer, kernel=_stack_kernel, grad=NOT_DIFFERENTIABLE, stateful=True,
            needs_ctx=True, cpu_only=True)
register_op("StackPushV2", infer=_stack_push_infer, kernel=_stack_push_kernel, grad=NOT_DIFFERENTIABLE,
            stateful=True, cpu_only=True, aliases_input=True)
register_op("StackPopV2", infer=_stack_pop_infer, kernel=_stack_pop_kernel, grad=NOT_DIFFERENTIABLE, stateful=True,
            cpu_only=True)


def stack_v2(max_size, elem_type, stack_name="", name=None):
    """A new stack of `elem_type` values, at most `max_size` of them (-1: no limit), each time the op runs."""
    with name_scope(name, "StackV2", [max_size]) as scope:
        max_size = convert_one("StackV2", "max_size", max_size, dtypes.int32)
        return make_op("StackV2", [max_size], {"elem_type": dtypes.as_dtype(elem_type).base_dtype,
                                                "stack_name": stack_name}, name=scope)


def stack_push_v2(handle, elem, swap_memory=False, name=None):
    """Push `elem` on the stack `handle`; returns `elem`."""
    with name_scope(name, "StackPushV2", [handle, elem]) as scope:
        elem = convert_to_tensor(elem)
        return make_op("StackPushV2", [handle, elem], {"T": elem.dtype.base_dtype, "swap_memory": swap_memory},
                       name=scope)


def stack_pop_v2(handle, elem_type, name=None):
    """The value last pushed on the stack `handle`, taken off it."""
    with name_scope(name, "StackPopV2", [handle]) as scope:
        return make_op("StackPopV2", [handle], {"elem_type": dtypes.as_dtype(elem_type).base_dtype}, name=scope)
