"""tf.gradients: reverse-mode differentiation that builds ordinary graph ops (under `gradients/`).

Each op's gradient rule lives next to the op (its registry entry's `grad`), as a function
`(op, *output_grads) -> [one gradient per input, or None]`. This module walks the graph from
the ys back to the xs, sums gradients that reach one tensor along several paths (AddN; sparse ones, the
IndexedSlices of tf.gather's rule, concatenate, and come back to the caller as IndexedSlices), and,
for the ops registered `broadcasting` (BatchMatMulV2, SelectV2), reduces each input's gradient back to that
input's shape, `_sum_to_input`. The elementwise binary ops reduce in their own rules, as TF's math_grad does
(math_ops._reduce_gradient_args), so that their gradient graphs are TF's node for node.
"""
import collections

from .framework.indexed_slices import IndexedSlices
from .framework.op_registry import GRADIENT_PENDING, NO_GRADIENT, NOT_DIFFERENTIABLE
from .framework.ops import Tensor, _graph_from_inputs, control_dependencies, convert_to_tensor, name_scope
from .ops import control_flow_state

__all__ = ["gradients", "RegisterGradient", "NotDifferentiable", "hessians"]

_CUSTOM_GRADIENTS = {}  # name registered with RegisterGradient -> function


class RegisterGradient:
    """Decorator registering a gradient function under `op_type` (for gradient_override_map).

    >>> @tf.RegisterGradient("CustomSquare")
    ... def _custom_square_grad(op, grad): ...
    >>> with tf.get_default_graph().gradient_override_map({"Square": "CustomSquare"}):
    ...     y = tf.square(x)
    """

    def __init__(self, op_type):
        if not isinstance(op_type, str):
            raise TypeError("op_type must be a string")
        self._op_type = op_type

    def __call__(self, f):
        if self._op_type in _CUSTOM_GRADIENTS:
            raise KeyError("Registering two gradient with name '%s'! (Previous registration was in %s)"
                           % (self._op_type, getattr(_CUSTOM_GRADIENTS[self._op_type], "__module__", "?")))
        _CUSTOM_GRADIENTS[self._op_type] = f
        return f


def NotDifferentiable(op_type):  # noqa: N802 - TF's name
    from .framework.op_registry import set_gradient
    set_gradient(op_type, NOT_DIFFERENTIABLE)


def _gradient_function(op):
    """The op's rule: an override from gradient_override_map, else its registry entry."""
    override = op._gradient_override
    if override is not None:
        try:
            return _CUSTOM_GRADIENTS[override]
        except KeyError:
            raise LookupError("gradient registry has no entry for: %s" % override) from None
    g = op._op_def.grad
    if g is NOT_DIFFERENTIABLE:
        return None
    if g is GRADIENT_PENDING or g is NO_GRADIENT:
        raise LookupError("No gradient defined for operation '%s' (op type: %s)" % (op.name, op.type))
    return g


def _is_trainable(t):
    """Only floating and complex tensors carry gradients."""
    dt = t.dtype.base_dtype
    return dt.is_floating or dt.is_complex


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


# =========================================================================== broadcasting, in one place
def _static_reduction_axes(t_in, others, out_rank):
    """The output axes over which the gradient of input `t_in` must be summed, decided from static
    shapes, or None when only run-time shapes can tell (an unknown dimension that may be 1)."""
    dims = t_in.shape.as_tuple()
    if dims is None or out_rank is None:
        return None
    others = [o.shape.as_tuple() for o in others]
    if any(o is None for o in others):
        return None
    lead = out_rank - len(dims)
    axes = list(range(lead))  # axes the input does not have
    for i, d in enumerate(dims):
        ax = lead + i
        if d is not None and d != 1:
            continue  # this input sets the output's size on this axis
        other_dims = [o[ax - (out_rank - len(o))] for o in others if ax - (out_rank - len(o)) >= 0]
        if d == 1:
            if any(od != 1 for od in other_dims):
                axes.append(ax)  # broadcast (or size 1 anyway: summing a size-1 axis changes nothing)
        elif any(od is None or od != 1 for od in other_dims):
            return None  # an unknown size here might be 1 and have been broadcast
    return axes


def _sum_to_input(grad, t_in, others):
    """`grad` (shaped like the broadcast result of a broadcasting op) summed back to the shape of the
    op input `t_in`; `others` are the op's other inputs."""
    from .ops import array_ops, math_ops
    gs, xs = grad.shape, t_in.shape
    if gs.is_fully_defined() and xs.is_fully_defined() and gs.as_tuple() == xs.as_tuple():
        return grad
    axes = _static_reduction_axes(t_in, others, gs.ndims)
    if axes is not None:
        lead = gs.ndims - xs.ndims
        outer = [a for a in axes if a < lead]
        inner = [a - lead for a in axes if a >= lead]
        if outer:
            grad = math_ops.reduce_sum(grad, outer)
        if inner:
            grad = math_ops.reduce_sum(grad, inner, keepdims=True)
        return grad
    sx = array_ops.shape(t_in)
    rx, _ = array_ops.broadcast_gradient_args(sx, array_ops.shape(grad))
    return array_ops.reshape(math_ops.reduce_sum(grad, rx), sx)


# =========================================================================== the walk
def _consumers_map(graph):
    consumers = collections.defaultdict(list)
    for op in graph._ops:
        for t in op._inputs:
            consumers[t._op].append(op)
    return consumers


def _pending_count(to_ops, from_ops, consumers):
    """The `to_ops` reached from `from_ops`; for each op on a path from one to the other, how many of its users
    there are on such a path; and the set of those ops."""
    reached = set()
    queue = collections.deque(from_ops)
    while queue:
        op = queue.popleft()
        if op in reached:
            continue
        reached.add(op)
        if any(_is_trainable(t) for t in op._outputs):
            queue.extend(consumers[op])
    reachable_to_ops = {op for op in to_ops if op in reached}
    between, between_list = set(), []
    queue = collections.deque(to_ops)
    while queue:
        op = queue.popleft()
        if op in reached:
            between.add(op)
            between_list.append(op)
            reached.remove(op)
            queue.extend(t._op for t in op._inputs)
    # a walk that crosses a tf.while_loop builds the loop's gradient loop (ops/control_flow_state.py); None otherwise
    loop_state = control_flow_state.maybe_create_control_flow_state(between_list, between)
    pending = collections.defaultdict(int)
    for op in between_list:
        for t in op._inputs:
            if t._op in between:
                pending[t._op] += 1
    return reachable_to_ops, pending, between, loop_state


def _set_grad(grads, t, grad):
    op_grads = grads.setdefault(t._op, [[] for _ in t._op._outputs])
    parts = op_grads[t._value_index]
    if isinstance(parts, list):
        parts.append(grad)
    else:  # a loop's Switch, walked a second time: the gradient from the loop's body
        op_grads[t._value_index] = grad


def _aggregate(grads, op):
    """Sum the partial gradients of each output of `op`, store and return them: dense ones with an AddN; sparse ones
    (IndexedSlices, from tf.gather) by concatenating their values and indices (TF's AggregateIndexedSlicesGradients);
    a mix of both densified into the AddN."""
    from .ops import math_ops
    op_grads = grads.get(op)
    if op_grads is None:
        return [None] * len(op._outputs)
    out = []
    for parts in op_grads:
        if isinstance(parts, (Tensor, IndexedSlices)) or parts is None:
            out.append(parts)
        elif not parts:
            out.append(None)
        elif len(parts) == 1:
            out.append(parts[0])
        elif all(isinstance(p, Tensor) for p in parts):
            out.append(math_ops.add_n(parts))
        else:
            out.append(_aggregate_indexed_slices(parts))
    grads[op] = out
    return list(out)


def _aggregate_indexed_slices(parts):
    """TF's AggregateIndexedSlicesGradients: with any dense part, the AddN of all (the sparse ones densified);
    else one IndexedSlices of the concatenated values and indices (int32 indices cast to int64 where the parts
    mix both) with the first part's dense_shape. A row listed twice stays listed twice: its slices sum."""
    from .framework import dtypes
    from .ops import array_ops, math_ops
    if any(isinstance(p, Tensor) for p in parts):
        return math_ops.add_n(parts)
    n_int32 = sum(p.indices.dtype.base_dtype == dtypes.int32 for p in parts)
    if 0 < n_int32 < len(parts):
        parts = [IndexedSlices(p.values, math_ops.cast(p.indices, dtypes.int64), p.dense_shape)
                 if p.indices.dtype.base_dtype == dtypes.int32 else p for p in parts]
    return IndexedSlices(array_ops.concat([p.values for p in parts], axis=0),
                         array_ops.concat([p.indices for p in parts], axis=0), parts[0].dense_shape)


def gradients(ys, xs, grad_ys=None, name="gradients", colocate_gradients_with_ops=False, gate_gradients=False,
              aggregation_method=None, stop_gradients=None):
    """Symbolic d(sum of ys)/d(x) for each x in `xs`, as new graph ops; None where x does not affect ys.

    `grad_ys` weights each y (default ones); `stop_gradients` are treated as constants.

    >>> x = tf.constant(3.0); y = x * x
    >>> tf.gradients(y, x)[0]  # 2 * x
    <tf.Tensor 'gradients/mul_grad/...' ...>
    """
    ys = _as_list(ys)
    xs = _as_list(xs)
    stop_gradients = [] if stop_gradients is None else _as_list(stop_gradients)
    grad_ys = [None] * len(ys) if grad_ys is None else _as_list(grad_ys)
    if len(grad_ys) != len(ys):
        raise ValueError("Passed %d grad_ys for %d ys" % (len(grad_ys), len(ys)))
    g = _graph_from_inputs(ys + xs + stop_gradients + [gy for gy in grad_ys if gy is not None])
    with g.as_default(), name_scope(name, "gradients", ys + xs + stop_gradients):
        ys = [convert_to_tensor(y, name="y") for y in ys]
        xs = [convert_to_tensor(x, name="x", as_ref=True) for x in xs]
        stop_ops = {convert_to_tensor(t).op for t in stop_gradients}
        grad_ys = _default_grad_ys(grad_ys, ys)

        to_ops = [y._op for y in ys]
        from_ops = [x._op for x in xs]
        consumers = _consumers_map(g)
        reachable_to_ops, pending, between, loop_state = _pending_count(to_ops, from_ops, consumers)

        grads = {}
        for y, gy in zip(ys, grad_ys):
            _set_grad(grads, y, gy)
        queue = collections.deque()
        seen = set()
        for op in to_ops:
            if pending[op] == 0 and op not in seen and op in reachable_to_ops:
                seen.add(op)
                queue.append(op)
        if loop_state is not None:  # loop exits no path from the ys reaches get zeros, once their loop's are known
            for y in loop_state.ProcessUnusedLoopExits(pending, seen):
                if _is_trainable(y):
                    _set_grad(grads, y, loop_state.ZerosLikeForExit(y))
                    queue.append(y._op)
        for op in from_ops:  # an x whose inputs are not on a path needs no further walking
            if all(pending[t._op] <= 0 for t in op._inputs):
                stop_ops.add(op)

        while queue:
            op = queue.popleft()
            if loop_state is not None:
                loop_state.EnterGradWhileContext(op, before=True)
            out_grads = _aggregate(grads, op)
            if loop_state is not None:
                loop_state.ExitGradWhileContext(op, before=True)
            has_out_grads = any(gr is not None for gr in out_grads)
            grad_fn = _gradient_function(op) if has_out_grads and op not in stop_ops else None
            if loop_state is not None:
                loop_state.EnterGradWhileContext(op, before=False)
            if grad_fn is not None:
                for i, gr in enumerate(out_grads):
                    if gr is None and _is_trainable(op._outputs[i]):
                        out_grads[i] = loop_state.ZerosLikeV1WhileLoop(op, i) if loop_state is not None else \
                            _zeros_like_output(op, i)
                with name_scope(op.name + "_grad"):
                    in_grads = _as_list(grad_fn(op, *out_grads))
                    if len(in_grads) != len(op._inputs):
                        raise ValueError("Num gradients %d generated for op %s do not match num inputs %d"
                                         % (len(in_grads), op.node_def, len(op._inputs)))
                    if op._op_def.broadcasting:
                        in_grads = [None if gr is None else
                                    _sum_to_input(gr, t, [o for j, o in enumerate(op._inputs) if j != i])
                                    for i, (gr, t) in enumerate(zip(in_grads, op._inputs))]
                    if gate_gradients and sum(gr is not None for gr in in_grads) > 1:
                        # GATE_OP, the optimizers' default: TF's control_flow_ops.tuple of the op's input gradients
                        # (`<op>_grad/tuple/group_deps`, `.../tuple/control_dependency[_1]`). Its gate waits for the
                        # gradients on a path to `xs`: TF's waits for all, computing the gradient for a placeholder
                        # (`y` in `out - y`) every step only to wait for it; in a plan run in order, nothing else
                        # can tell the two apart
                        from .ops import control_flow_ops
                        used = {i for i, t in enumerate(op._inputs) if t._op in between and in_grads[i] is not None}
                        in_grads = control_flow_ops._gated_tuple(in_grads, used or None)
            else:
                in_grads = [None] * len(op._inputs)
            for i, (t_in, in_grad) in enumerate(zip(op._inputs, in_grads)):
                if in_grad is None or not _is_trainable(t_in):
                    continue
                try:
                    if isinstance(in_grad, Tensor):  # an IndexedSlices has no static shape to refine
                        in_grad.set_shape(t_in.get_shape())
                except ValueError:
                    raise ValueError("Incompatible shapes between op input and calculated input gradient.  "
                                     "Forward operation: %s.  Input index: %d. Original input shape: %s.  "
                                     "Calculated input gradient shape: %s"
                                     % (op.name, i, t_in.shape, in_grad.shape)) from None
                _set_grad(grads, t_in, in_grad)
            if loop_state is not None:
                loop_state.ExitGradWhileContext(op, before=False)
            _update_pending_and_enqueue_ready(grads, op, queue, pending, loop_state)
        if loop_state is not None:
            loop_state.PostProcessing()

        out = []
        for x in xs:
            op_grads = grads.get(x._op)
            if op_grads is None:
                out.append(None)
                continue
            gx = op_grads[x._value_index]
            if isinstance(gx, list):
                gx = _aggregate(grads, x._op)[x._value_index]
            out.append(gx)
        return out


def _has_any_not_none_grads(grads, op):
    for parts in grads.get(op, ()):
        if isinstance(parts, (Tensor, IndexedSlices)) or (isinstance(parts, list) and
                                                           any(g is not None for g in parts)):
            return True
    return False


def _update_pending_and_enqueue_ready(grads, op, queue, pending, loop_state):
    """One input of `op` fewer to wait for, for each op feeding `op`; those with none left are walked next. As TF: a
    loop's Switch is walked as soon as one of its users is (and again after its last); a loop's Exits wait until all
    the loop's Exits on the walk are ready, and those without a gradient then get zeros if any has one."""
    from .ops.control_flow_state import is_loop_exit, is_loop_switch
    for t in op._inputs:
        x = t._op
        pending[x] -= 1
        ready = pending[x] == 0
        if loop_state is not None and not ready:
            ready = pending[x] > 0 and is_loop_switch(x)
        if not ready:
            continue
        grad_state = loop_state.GetGradState(x, before=False) if loop_state is not None and is_loop_exit(x) else None
        if grad_state is None:
            queue.append(x)
            continue
        grad_state.deferred_exits.append(t)
        grad_state._pending_exits_count -= 1
        if grad_state._pending_exits_count == 0:
            has_not_none = False
            for y in grad_state.deferred_exits:
                if _has_any_not_none_grads(grads, y._op):
                    has_not_none = True
                    queue.append(y._op)
                else:
                    grad_state.unused_exits.append(y)
            for y in grad_state.unused_exits:
                if has_not_none and _is_trainable(y):
                    _set_grad(grads, y, loop_state.ZerosLikeForExit(y))
                queue.append(y._op)


def _zeros_like_output(op, i):
    """The zero gradient of output `i` of `op`, which nothing downstream differentiated (TF's ZerosLikeOutsideLoop).
    For a tf.cond's Switch it is made on the other branch, from a Switch of its own, so that it exists exactly when
    that output does."""
    from .ops import array_ops, control_flow_ops
    val = op._outputs[i]
    ctx = op._control_flow_context
    if op._type not in ("Switch", "RefSwitch") or not isinstance(ctx, control_flow_ops.CondContext):
        return array_ops.zeros_like(val, optimize=False)  # a ZerosLike op, as TF's (not a Const)
    switch_val = control_flow_ops.switch(op._inputs[0], ctx.pred)[1 - ctx.branch]
    pivot = array_ops.identity(switch_val)
    zeros_shape = array_ops.shape(switch_val)
    with control_dependencies([pivot]):
        return array_ops.zeros(zeros_shape, dtype=val.dtype.base_dtype)


def _default_grad_ys(grad_ys, ys):
    from .ops import array_ops, constant_op
    out = []
    for i, (y, gy) in enumerate(zip(ys, grad_ys)):
        if gy is None:
            if y.dtype.is_complex:
                raise TypeError("Gradients of complex tensors must set grad_ys (y.dtype = %r)" % y.dtype)
            # TF's array_ops.ones(shape(y), name="grad_ys_<i>"): a Fill named grad_ys_<i> of a Const inside it
            shape = array_ops.shape(y)
            with name_scope(None, "grad_ys_%d" % i, [shape]) as scope:
                one = constant_op.constant(1, dtype=y.dtype.base_dtype)
                out.append(array_ops.fill(shape, one, name=scope))
        else:
            gy = convert_to_tensor(gy, name="grad_ys_%d" % i)
            if gy.dtype.base_dtype != y.dtype.base_dtype:
                raise TypeError("Gradient type %s generated for real or integer-valued tensor %s with type %s "
                                "must be real or integer" % (gy.dtype.name, y, y.dtype.name)
                                if not y.dtype.is_floating else
                                "Gradient type %s generated for real-valued tensor %s with type %s must be real"
                                % (gy.dtype.name, y, y.dtype.name))
            out.append(gy)
    return out


def hessians(ys, xs, name="hessians", colocate_gradients_with_ops=False, gate_gradients=False,
             aggregation_method=None):
    """The second derivatives of sum(ys) with respect to each x in `xs`: a list of tensors of shape
    x.shape + x.shape. Built as TF builds it: the gradient flattened, then a tf.while_loop over its entries that
    writes the gradient of each entry into a TensorArray, stacked and reshaped. (`name` is unused, as in TF.)

    >>> tf.hessians(tf.reduce_sum(x ** 3), x)   # [diag(6 x)] for a vector x
    """
    from .ops import array_ops, control_flow_ops, tensor_array_ops
    from .framework import dtypes
    xs = _as_list(xs)
    kwargs = {"colocate_gradients_with_ops": colocate_gradients_with_ops, "gate_gradients": gate_gradients,
              "aggregation_method": aggregation_method}
    result = []
    for gradient, x in zip(gradients(ys, xs, **kwargs), xs):
        if gradient is None:  # ys does not depend on x: TF's reshape of None fails so
            raise ValueError("Tried to convert 'tensor' to a tensor and failed. Error: None values not supported.")
        gradient = array_ops.reshape(gradient, [-1])
        n = array_ops.size(x)
        loop_vars = [convert_to_tensor(0, dtype=dtypes.int32), tensor_array_ops.TensorArray(x.dtype, n)]
        _, hessian = control_flow_ops.while_loop(
            lambda j, _: j < n,
            lambda j, ta: (j + 1, ta.write(j, gradients(gradient[j], x, **kwargs)[0])),
            loop_vars)
        shape = array_ops.shape(x)
        result.append(array_ops.reshape(hessian.stack(), array_ops.concat((shape, shape), 0)))
    return result

