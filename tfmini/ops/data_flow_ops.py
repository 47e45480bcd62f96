"""Data-flow ops that route rows between tensors: DynamicPartition and (Parallel)DynamicStitch; the stacks that a
tf.while_loop's gradient keeps its forward values in (StackV2, StackPushV2, StackPopV2); TF1's queues (FIFOQueueV2,
RandomShuffleQueueV2, PaddingFIFOQueueV2 and the QueueEnqueue/Dequeue/Close/Size ops) and their Python classes."""
import threading

import numpy as np

from ..framework import dtypes, errors
from ..framework.op_def_library import convert_one, make_op
from ..framework.op_registry import NOT_DIFFERENTIABLE, InferenceError, register_op
from ..framework.ops import convert_to_tensor, name_scope
from ..framework.tensor_shape import TensorShape, as_shape
from . import array_ops, math_ops, philox_random
from .array_ops import _dbg, _invalid
from .constant_op import constant_value
from .shape_util import merge_shapes

__all__ = ["dynamic_partition", "dynamic_stitch", "parallel_dynamic_stitch", "stack_v2", "stack_push_v2",
           "stack_pop_v2", "QueueBase", "FIFOQueue", "PaddingFIFOQueue", "RandomShuffleQueue"]


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


# =========================================================================== queues (TF1's input pipelines)
# A queue op (FIFOQueueV2, RandomShuffleQueueV2, PaddingFIFOQueueV2) outputs a `resource`: the session's `_Queue` for
# that op, kept in the session's state as an iterator is (two sessions hold two queues). Enqueue and dequeue ops
# block on the queue's condition until there is room or there are elements; closing the queue ends the dequeues that
# cannot be met (TF's OutOfRangeError, which QueueRunner and Coordinator take as the end of the input), and closing
# the session cancels every blocked call (CancelledError), so the threads of tf.train.start_queue_runners end.


class _Queue:
    """One queue of one session: tuples of arrays (one per component), its capacity and its state (closed,
    cancelled). `kind` is TF's class name, used in its messages ("FIFOQueue '_0_fifo_queue' is closed ...")."""

    def __init__(self, kind, name, types, shapes, capacity, min_after_dequeue=0, rng=None):
        self.kind, self.name, self.types = kind, name, types
        self.shapes = shapes  # a tuple per component (None for an unknown dim), or None: any shape
        self.capacity = capacity if capacity >= 0 else float("inf")
        self.min_after_dequeue, self.rng = min_after_dequeue, rng
        self.items = []
        self.closed = self.cancel_enqueues = self.cancelled = False
        self.cond = threading.Condition()

    def __repr__(self):
        return "<%s %s: %d elements%s>" % (self.kind, self.name, len(self.items), ", closed" if self.closed else "")

    # ---- checks
    def _check_shapes(self, components, batched):
        if self.shapes is None:
            return
        for i, (c, want) in enumerate(zip(components, self.shapes)):
            got = c.shape[1:] if batched else c.shape
            if len(got) != len(want) or any(w is not None and w != g for w, g in zip(want, got)):
                expected = ((c.shape[0],) if batched and c.ndim else (0,) if batched else ()) + tuple(
                    -1 if w is None else w for w in want)
                raise errors.InvalidArgumentError(None, None, "Shape mismatch in tuple component %d. Expected %s, "
                                                   "got %s" % (i, _dbg(expected), _dbg(c.shape)))

    def _closed_error(self):
        return errors.CancelledError(None, None, "%s '%s' is closed." % (self.kind, self.name))

    def _wait_room(self):
        """Wait (holding the condition) until one more element fits."""
        while len(self.items) >= self.capacity:
            if self.cancelled or self.cancel_enqueues:
                raise errors.CancelledError(None, None, "Enqueue operation was cancelled")
            self.cond.wait()
        if self.cancelled:
            raise errors.CancelledError(None, None, "Enqueue operation was cancelled")

    # ---- the ops
    def enqueue(self, components):
        self._check_shapes(components, False)
        element = tuple(c.copy() for c in components)
        with self.cond:
            if self.closed:
                raise self._closed_error()
            self._wait_room()
            self.items.append(element)
            self.cond.notify_all()

    def enqueue_many(self, components):
        n = components[0].shape[0] if components[0].ndim else None
        for i, c in enumerate(components):
            if c.ndim == 0 or c.shape[0] != n:
                raise errors.InvalidArgumentError(None, None, "Shape mismatch in tuple component %d. Expected %s, "
                                                   "got %s" % (i, "[%d,...]" % (n or 0), _dbg(c.shape)))
        self._check_shapes(components, True)
        with self.cond:
            if self.closed:
                raise self._closed_error()
            for j in range(n):  # row by row as room frees up, as TF's queues do
                self._wait_room()
                if self.closed and self.cancel_enqueues:
                    raise errors.CancelledError(None, None, "Enqueue operation was cancelled")
                self.items.append(tuple(c[j, ...].copy() for c in components))
                self.cond.notify_all()

    def dequeue(self, n, batched, allow_smaller=False):
        """`n` elements (stacked when `batched`): wait until there are enough (and, for a RandomShuffleQueue that is
        open, `min_after_dequeue` more); a closed queue gives fewer only to dequeue_up_to, else OutOfRangeError."""
        with self.cond:
            while True:
                if self.cancelled:
                    raise errors.CancelledError(None, None, "Dequeue operation was cancelled")
                have = len(self.items)
                if self.closed:
                    if have >= n or (allow_smaller and have > 0):
                        break
                    raise errors.OutOfRangeError(
                        None, None, "%s '%s' is closed and has insufficient elements (requested %d, current size %d)"
                        % (self.kind, self.name, n, have))
                if have >= n + self.min_after_dequeue:
                    break
                self.cond.wait()
            take = min(n, len(self.items))
            if self.rng is None:
                taken, self.items[:take] = self.items[:take], []
            else:
                taken = []
                for _ in range(take):
                    j = self.rng.next() % len(self.items)  # (TF's draw: the element swapped to the back goes)
                    self.items[j], self.items[-1] = self.items[-1], self.items[j]
                    taken.append(self.items.pop())
            self.cond.notify_all()
        if not batched:
            return taken[0]
        return tuple(self._stack([e[i] for e in taken], i) for i in range(len(self.types)))

    def _stack(self, rows, i):
        if not rows:
            shape = self.shapes[i] if self.shapes is not None else ()
            return np.zeros((0,) + tuple(d or 0 for d in shape), self.types[i].as_numpy_dtype)
        if self.kind == "PaddingFIFOQueue":  # pad each row to the largest dims (zeros; empty strings)
            big = tuple(max(r.shape[k] for r in rows) for k in range(rows[0].ndim))
            out = np.zeros((len(rows),) + big, rows[0].dtype)
            if out.dtype == object:
                out[...] = b""
            for j, r in enumerate(rows):
                out[(j,) + tuple(slice(0, d) for d in r.shape)] = r
            return out
        return np.stack(rows)

    def close(self, cancel_pending_enqueues):
        with self.cond:
            self.closed = True
            self.cancel_enqueues = self.cancel_enqueues or cancel_pending_enqueues
            self.cond.notify_all()

    def cancel(self):
        """The session closes: every blocked enqueue or dequeue ends with CancelledError (see SessionState.clear)."""
        with self.cond:
            self.cancelled = True
            self.cond.notify_all()

    def size(self):
        with self.cond:
            return len(self.items)


def _queue_shapes(shapes):
    return None if not shapes else [tuple(s.as_tuple()) for s in shapes]


def _queue_resource(ctx, kind, shapes, capacity, min_after_dequeue=0, seeded=False):
    def make():
        # TF names a queue without a shared_name "_<n>_<op name>", n counting the session's resources
        n = sum(1 for k in ctx.state.resources if k[0] == "queue")
        rng = None
        if seeded:
            seed, seed2 = ctx.op._attrs.get("seed", 0) or 0, ctx.op._attrs.get("seed2", 0) or 0
            # TF's order of dequeues for the same seeds: one stream of uint32, from the start
            rng = philox_random.Uint32Reader(*philox_random.PhiloxStream(seed, seed2).reserve(0))
        return _Queue(kind, ctx.op._attrs.get("shared_name") or "_%d_%s" % (n, ctx.op.name),
                      list(ctx.op._attrs["component_types"]), _queue_shapes(shapes), capacity, min_after_dequeue,
                      rng)
    return ctx.state.resource(("queue", ctx.op), make)


def _queue_infer(*, component_types, shapes=(), capacity=-1, **_):
    return [(dtypes.resource, TensorShape([]))]


def _fifo_queue_kernel(ctx, xp, *, component_types, shapes=(), capacity=-1, **_):
    return _queue_resource(ctx, "FIFOQueue", shapes, capacity)


def _padding_fifo_queue_kernel(ctx, xp, *, component_types, shapes=(), capacity=-1, **_):
    return _queue_resource(ctx, "PaddingFIFOQueue", shapes, capacity)


def _random_shuffle_queue_kernel(ctx, xp, *, component_types, shapes=(), capacity=-1, min_after_dequeue=0, **_):
    return _queue_resource(ctx, "RandomShuffleQueue", shapes, capacity, min_after_dequeue, seeded=True)


def _enqueue_infer(handle, *components, **_):
    return []


def _enqueue_kernel(xp, handle, *components, **_):
    handle.enqueue(components)


def _enqueue_many_kernel(xp, handle, *components, **_):
    handle.enqueue_many(components)


def _dequeue_infer(handle, *, component_types, **_):
    return [(dt, TensorShape(None)) for dt in component_types]


def _dequeue_kernel(xp, handle, *, component_types, **_):
    out = handle.dequeue(1, False)
    return out[0] if len(out) == 1 else out


def _dequeue_many_infer(handle, n, *, component_types, **_):
    if n.shape.ndims not in (None, 0):
        raise InferenceError("Shape must be rank 0 but is rank %d" % n.shape.ndims)
    return [(dt, TensorShape(None)) for dt in component_types]


def _check_n(n):
    n = int(n)
    if n < 0:
        raise errors.InvalidArgumentError(None, None, "Request failed: the requested number of elements (%d) "
                                           "must not be negative" % n)
    return n


def _dequeue_many_kernel(xp, handle, n, *, component_types, **_):
    out = handle.dequeue(_check_n(n), True)
    return out[0] if len(out) == 1 else out


def _dequeue_up_to_kernel(xp, handle, n, *, component_types, **_):
    out = handle.dequeue(_check_n(n), True, allow_smaller=True)
    return out[0] if len(out) == 1 else out


def _close_infer(handle, *, cancel_pending_enqueues=False):
    return []


def _close_kernel(xp, handle, *, cancel_pending_enqueues=False):
    handle.close(cancel_pending_enqueues)


def _size_infer(handle):
    return [(dtypes.int32, TensorShape([]))]


def _size_kernel(xp, handle):
    return np.array(handle.size(), np.int32)


def _is_closed_infer(handle):
    return [(dtypes.bool, TensorShape([]))]


def _is_closed_kernel(xp, handle):
    return np.array(handle.closed, bool)


# the values of queues live in host memory (as TF's queue kernels keep them): host_only
_QUEUE_KW = dict(grad=NOT_DIFFERENTIABLE, stateful=True, host_only=True)
register_op("FIFOQueueV2", infer=_queue_infer, kernel=_fifo_queue_kernel, needs_ctx=True, session_constant=True,
            **_QUEUE_KW)
register_op("PaddingFIFOQueueV2", infer=_queue_infer, kernel=_padding_fifo_queue_kernel, needs_ctx=True,
            session_constant=True, **_QUEUE_KW)
register_op("RandomShuffleQueueV2", infer=_queue_infer, kernel=_random_shuffle_queue_kernel, needs_ctx=True,
            session_constant=True, **_QUEUE_KW)
register_op("QueueEnqueueV2", infer=_enqueue_infer, kernel=_enqueue_kernel, **_QUEUE_KW)
register_op("QueueEnqueueManyV2", infer=_enqueue_infer, kernel=_enqueue_many_kernel, **_QUEUE_KW)
register_op("QueueDequeueV2", infer=_dequeue_infer, kernel=_dequeue_kernel, **_QUEUE_KW)
register_op("QueueDequeueManyV2", infer=_dequeue_many_infer, kernel=_dequeue_many_kernel, **_QUEUE_KW)
register_op("QueueDequeueUpToV2", infer=_dequeue_many_infer, kernel=_dequeue_up_to_kernel, **_QUEUE_KW)
register_op("QueueCloseV2", infer=_close_infer, kernel=_close_kernel, **_QUEUE_KW)
register_op("QueueSizeV2", infer=_size_infer, kernel=_size_kernel, **_QUEUE_KW)
register_op("QueueIsClosedV2", infer=_is_closed_infer, kernel=_is_closed_kernel, **_QUEUE_KW)


def _as_type_list(types):
    return [dtypes.as_dtype(t).base_dtype for t in (types if isinstance(types, (list, tuple)) else [types])]


def _as_shape_list(shapes, unknown_dim_allowed=False):
    """TF's _as_shape_list: one shape or a list of them, fully defined unless `unknown_dim_allowed`."""
    if unknown_dim_allowed and (not isinstance(shapes, (list, tuple)) or not shapes or
                                any(s is None or isinstance(s, int) for s in shapes)):
        raise ValueError("When providing partial shapes, a list of shapes must be provided.")
    if shapes is None:
        return None
    if isinstance(shapes, TensorShape):
        shapes = [shapes]
    if not isinstance(shapes, (tuple, list)):
        raise TypeError("Shapes must be a TensorShape or a list or tuple of TensorShapes, got %s instead."
                        % type(shapes))
    if all(s is None or isinstance(s, int) for s in shapes):
        shapes = [shapes]
    shapes = [as_shape(s) for s in shapes]
    if not unknown_dim_allowed and any(not s.is_fully_defined() for s in shapes):
        raise ValueError("All shapes must be fully defined: %s" % _shape_reprs(shapes))
    if any(s.ndims is None for s in shapes):
        raise ValueError("All shapes must have a defined rank: %s" % _shape_reprs(shapes))
    return shapes


def _shape_reprs(shapes):
    def one(s):
        if s.ndims is None:
            return "TensorShape(None)"
        return "TensorShape([%s])" % ", ".join("Dimension(%s)" % d for d in s.as_tuple())
    return "[%s]" % ", ".join(one(s) for s in shapes)


class QueueBase:
    """A queue of tuples of tensors (TF1's input pipelines): `enqueue`, `enqueue_many`, `dequeue`, `dequeue_many`,
    `dequeue_up_to`, `close`, `size` build ops on the queue op `queue_ref`. The queue itself lives in each session
    that runs it; tf.train.QueueRunner fills it from threads."""

    def __init__(self, dtypes, shapes, names, queue_ref):  # noqa: A002 - TF's names
        self._dtypes = dtypes
        if shapes is not None:
            if len(shapes) != len(dtypes):
                raise ValueError("Queue shapes must have the same length as dtypes, received len(shapes)=%d, "
                                 "len(dtypes)=%d" % (len(shapes), len(dtypes)))
            self._shapes = [TensorShape(s) for s in shapes]
        else:
            self._shapes = [TensorShape(None) for _ in dtypes]
        if names is not None:
            if not isinstance(names, (list, tuple)):
                names = [names]
            if len(names) != len(dtypes):
                raise ValueError("Queue names must have the same length as dtypes,received len(names)=%d,len %d"
                                 % (len(names), len(dtypes)))
            names = list(names)
        self._names = names
        self._queue_ref = queue_ref
        self._name = queue_ref.op.name.split("/")[-1]

    @property
    def queue_ref(self):
        return self._queue_ref

    @property
    def name(self):
        return self._queue_ref.op.name

    @property
    def dtypes(self):
        return self._dtypes

    @property
    def shapes(self):
        return self._shapes

    @property
    def names(self):
        return self._names

    def _check_enqueue_dtypes(self, vals):
        if isinstance(vals, dict):
            if not self._names:
                raise ValueError("Queue must have names to enqueue a dictionary")
            if sorted(self._names, key=str) != sorted(vals.keys(), key=str):
                raise ValueError("Keys in dictionary to enqueue do not match names of Queue.  Dictionary: %s,"
                                 "Queue: %s" % (sorted(vals.keys()), sorted(self._names)))
            vals = [vals[k] for k in self._names]
        else:
            if self._names:
                raise ValueError("You must enqueue a dictionary in a Queue with names")
            if not isinstance(vals, (list, tuple)):
                vals = [vals]
        out = []
        for i, (v, dt) in enumerate(zip(vals, self._dtypes)):
            try:
                out.append(convert_to_tensor(v, dtype=dt, name="component_%d" % i))
            except ValueError as e:  # TF's message names the component
                raise ValueError("component_%d: %s" % (i, e)) from None
        return out

    @staticmethod
    def _scope_vals(vals):
        if isinstance(vals, (list, tuple)):
            return list(vals)
        if isinstance(vals, dict):
            return list(vals.values())
        return [vals]

    def enqueue(self, vals, name=None):
        """The op that adds one element (a tensor, or a tuple/list/dict of them, one per component); it blocks
        while the queue is full."""
        with name_scope(name, "%s_enqueue" % self._name, self._scope_vals(vals)) as scope:
            vals = self._check_enqueue_dtypes(vals)
            for val, shape in zip(vals, self._shapes):
                val.shape.assert_is_compatible_with(shape)
            return make_op("QueueEnqueueV2", [self._queue_ref] + vals,
                           {"Tcomponents": [v.dtype.base_dtype for v in vals], "timeout_ms": -1}, name=scope)

    def enqueue_many(self, vals, name=None):
        """The op that adds the rows (along the first dimension) of each component as elements."""
        with name_scope(name, "%s_EnqueueMany" % self._name, self._scope_vals(vals)) as scope:
            vals = self._check_enqueue_dtypes(vals)
            for val, shape in zip(vals, self._shapes):
                val.shape.with_rank_at_least(1)[1:].assert_is_compatible_with(shape)
            return make_op("QueueEnqueueManyV2", [self._queue_ref] + vals,
                           {"Tcomponents": [v.dtype.base_dtype for v in vals], "timeout_ms": -1}, name=scope)

    def _dequeue_return_value(self, tensors):
        if self._names:
            return {n: tensors[i] for i, n in enumerate(self._names)}
        return tensors[0] if len(tensors) == 1 else tensors

    def _dequeue_op(self, op_type, inputs, name):
        out = make_op(op_type, [self._queue_ref] + inputs, {"component_types": list(self._dtypes),
                                                             "timeout_ms": -1}, name=name)
        return out if isinstance(out, list) else [out]

    def dequeue(self, name=None):
        """One element: its tensors have the queue's shapes. Blocks while the queue is empty; OutOfRangeError once
        it is closed and empty."""
        ret = self._dequeue_op("QueueDequeueV2", [], name or "%s_Dequeue" % self._name)
        for t, shape in zip(ret, self._shapes):
            t.set_shape(shape)
        return self._dequeue_return_value(ret)

    def dequeue_many(self, n, name=None):
        """`n` elements stacked: each tensor [n] + the component's shape. OutOfRangeError once the queue is closed
        with fewer than `n`."""
        name = name or "%s_DequeueMany" % self._name
        with name_scope(name) as scope:
            n_t = convert_one("QueueDequeueManyV2", "n", n, dtypes.int32)
            ret = self._dequeue_op("QueueDequeueManyV2", [n_t], scope)
        v = constant_value(n_t)
        for t, shape in zip(ret, self._shapes):
            t.set_shape(TensorShape([None if v is None else int(v)]).concatenate(shape))
        return self._dequeue_return_value(ret)

    def dequeue_up_to(self, n, name=None):
        """As dequeue_many, but a closed queue gives what it has left (fewer than `n`): the first dim is ?."""
        name = name or "%s_DequeueUpTo" % self._name
        with name_scope(name) as scope:
            n_t = convert_one("QueueDequeueUpToV2", "n", n, dtypes.int32)
            ret = self._dequeue_op("QueueDequeueUpToV2", [n_t], scope)
        for t, shape in zip(ret, self._shapes):
            t.set_shape(TensorShape([None]).concatenate(shape))
        return self._dequeue_return_value(ret)

    def close(self, cancel_pending_enqueues=False, name=None):
        """The op that closes the queue: later enqueues fail; dequeues take what is left, then OutOfRangeError.
        With `cancel_pending_enqueues`, blocked enqueues end (CancelledError)."""
        return make_op("QueueCloseV2", [self._queue_ref], {"cancel_pending_enqueues": bool(cancel_pending_enqueues)},
                       name=name or "%s_Close" % self._name)

    def is_closed(self, name=None):
        return make_op("QueueIsClosedV2", [self._queue_ref], {}, name=name or "%s_Is_Closed" % self._name)

    def size(self, name=None):
        """The number of elements in the queue (int32 scalar)."""
        return make_op("QueueSizeV2", [self._queue_ref], {}, name=name or "%s_Size" % self._name)


def _queue_op(op_type, attrs, name):
    from ..framework.op_def_library import op_graph
    return op_graph([]).create_op(op_type, [], attrs, name=name)._outputs[0]


def _shape_attrs(shapes):
    return [] if shapes is None else list(shapes)


class FIFOQueue(QueueBase):
    """A first-in first-out queue of `capacity` elements of `dtypes` (one per component), each of `shapes` when
    given (fully defined), for TF1's input pipelines.

    >>> q = tf.FIFOQueue(3, tf.float32); sess.run(q.enqueue_many([[1., 2.]])); sess.run(q.dequeue())   # 1.0
    """

    def __init__(self, capacity, dtypes, shapes=None, names=None, shared_name=None, name="fifo_queue"):  # noqa: A002
        dtypes = _as_type_list(dtypes)
        shapes = _as_shape_list(shapes)
        queue_ref = _queue_op("FIFOQueueV2", {"component_types": dtypes, "shapes": _shape_attrs(shapes),
                                              "capacity": capacity, "container": "",
                                              "shared_name": shared_name or ""}, name)
        super().__init__(dtypes, shapes, names, queue_ref)


class PaddingFIFOQueue(QueueBase):
    """A FIFOQueue whose shapes may have unknown dims (None): dequeue_many pads each batch's elements with zeros
    to the largest of them."""

    def __init__(self, capacity, dtypes, shapes, names=None, shared_name=None,  # noqa: A002
                 name="padding_fifo_queue"):
        dtypes = _as_type_list(dtypes)
        shapes = _as_shape_list(shapes, unknown_dim_allowed=True)
        if len(dtypes) != len(shapes):
            raise ValueError("Shapes must be provided for all components, but received %d dtypes and %d shapes."
                             % (len(dtypes), len(shapes)))
        queue_ref = _queue_op("PaddingFIFOQueueV2", {"component_types": dtypes, "shapes": list(shapes),
                                                     "capacity": capacity, "container": "",
                                                     "shared_name": shared_name or ""}, name)
        super().__init__(dtypes, shapes, names, queue_ref)


class RandomShuffleQueue(QueueBase):
    """A queue that dequeues its elements in random order; while it is open a dequeue leaves at least
    `min_after_dequeue` elements in it (so the order mixes well). Seeded by `seed` and the graph seed, as TF."""

    def __init__(self, capacity, min_after_dequeue, dtypes, shapes=None, names=None, seed=None,  # noqa: A002
                 shared_name=None, name="random_shuffle_queue"):
        from ..framework import random_seed
        dtypes = _as_type_list(dtypes)
        shapes = _as_shape_list(shapes)
        seed1, seed2 = random_seed.get_seed(seed)
        if seed1 is None and seed2 is None:
            seed1, seed2 = 0, 0
        queue_ref = _queue_op("RandomShuffleQueueV2", {"component_types": dtypes, "shapes": _shape_attrs(shapes),
                                                       "capacity": capacity, "min_after_dequeue": min_after_dequeue,
                                                       "seed": seed1, "seed2": seed2, "container": "",
                                                       "shared_name": shared_name or ""}, name)
        super().__init__(dtypes, shapes, names, queue_ref)
