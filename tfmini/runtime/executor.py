"""Execution plans: the pruned, ordered kernel calls that compute some fetches from some feeds.

`build_plan` does all graph work once (pruning, ordering, binding kernels to their attributes,
deciding when each intermediate dies); `Plan.run` is then a flat loop over prepared steps.
"""
import functools
import heapq

from ..framework import errors
from ..framework.ops import format_user_frame
from .state import deref

__all__ = ["Plan", "build_plan", "DTYPE_NAMES"]

# TF's DataTypeString, used in messages ("with dtype float and shape [?,2]")
DTYPE_NAMES = {"float32": "float", "float64": "double", "float16": "half"}

_FETCH_PLAIN, _FETCH_COPY, _FETCH_DEREF = 0, 1, 2


def _node_suffix(op):
    return "\n\t [[node %s (defined at %s) ]]" % (op.name, format_user_frame(op.traceback))


def _placeholder_message(t):
    op = t.op
    dt = op._attrs.get("dtype", t.dtype).base_dtype
    msg = "You must feed a value for placeholder tensor '%s' with dtype %s" % (
        op.name, DTYPE_NAMES.get(dt.name, dt.name))
    shape = op._attrs.get("shape")
    if shape is not None and shape.ndims is not None:
        msg += " and shape [%s]" % ",".join("?" if d is None else str(d) for d in shape.as_tuple())
    return msg


def _deref_positions(fn, positions):
    """Wrap `fn` so that the arguments at `positions` (variable slots) are read at call time."""
    if positions == (0,):
        return lambda s, *rest: fn(deref(s), *rest)

    def call(*args):
        args = list(args)
        for p in positions:
            args[p] = deref(args[p])
        return fn(*args)
    return call


def _topo_order(needed):
    """Needed ops in an order that respects data and control edges; creation order breaks ties."""
    indeg = {op: 0 for op in needed}
    users = {op: [] for op in needed}
    for op in needed:
        preds = {t._op for t in op._inputs if t._op in needed} | {c for c in op._control_inputs if c in needed}
        indeg[op] = len(preds)
        for p in preds:
            users[p].append(op)
    ready = [(op._id, op) for op, d in indeg.items() if d == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        _, op = heapq.heappop(ready)
        order.append(op)
        for u in users[op]:
            indeg[u] -= 1
            if indeg[u] == 0:
                heapq.heappush(ready, (u._id, u))
    if len(order) != len(needed):
        raise errors.InvalidArgumentError(None, None, "Graph has a cycle among the ops this run needs.")
    return order


class Plan:
    """A prepared run: `run(feed_arrays)` returns the fetched arrays, in fetch order."""

    __slots__ = ("steps", "n_values", "feed_slots", "feed_index", "feed_specs", "fetch_slots",
                 "fetch_modes", "ops")

    def run(self, feed_arrays):
        vals = [None] * self.n_values
        for slot, arr in zip(self.feed_slots, feed_arrays):
            vals[slot] = arr
        step = None
        try:
            for step in self.steps:
                fn, ins, out, free = step
                r = fn(*[vals[i] for i in ins])
                if out.__class__ is int:
                    vals[out] = r
                elif out:
                    for o, v in zip(out, r):
                        vals[o] = v
                for i in free:
                    vals[i] = None
            step = None
            out = []
            for slot, mode in zip(self.fetch_slots, self.fetch_modes):
                v = vals[slot]
                if mode:
                    v = deref(v).copy() if mode == _FETCH_DEREF else v.copy()
                out.append(v)
            return out
        except errors.OpError as e:
            op = e.op if e.op is not None else self.ops[self.steps.index(step)]
            raise type(e)(e.node_def, op, e.message + _node_suffix(op)) from None
        except Exception as e:  # a numpy error inside a kernel: report it as TF would, with the op
            if step is None:
                raise
            op = self.ops[self.steps.index(step)]
            shapes = ", ".join(str(list(getattr(vals[i], "shape", ()))) for i in step[1])
            raise errors.InvalidArgumentError(
                None, op, "%s (op: '%s') failed on inputs of shapes %s: %s%s"
                % (op.name, op.type, shapes, e, _node_suffix(op))) from e


def build_plan(state, fetch_tensors, target_ops, feed_tensors, xp, log_placement=None):
    """Prepare the computation of `fetch_tensors` and `target_ops` given `feed_tensors`.

    Raises InvalidArgumentError when a placeholder the run needs is not fed.
    """
    feeds = set(feed_tensors)
    needed = set()
    stack = [t._op for t in fetch_tensors if t not in feeds] + list(target_ops)
    while stack:
        op = stack.pop()
        if op in needed:
            continue
        needed.add(op)
        for t in op._inputs:
            if t not in feeds and t._op not in needed:
                stack.append(t._op)
        for c in op._control_inputs:
            if c not in needed:
                stack.append(c)
    for op in needed:
        if op._type == "Placeholder":
            t = op._outputs[0]
            raise errors.InvalidArgumentError(None, op, _placeholder_message(t) + _node_suffix(op))
    order = _topo_order(needed)

    slot_of = {}
    for t in feed_tensors:
        slot_of[t] = len(slot_of)
    for op in order:
        for t in op._outputs:
            if t not in slot_of:
                slot_of[t] = len(slot_of)

    last_use = {}
    for k, op in enumerate(order):
        for t in op._inputs:
            last_use[slot_of[t]] = k
    keep = {slot_of[t] for t in fetch_tensors}
    frees = [[] for _ in order]
    for slot, k in last_use.items():
        if slot not in keep:
            frees[k].append(slot)

    steps, ops = [], []
    for k, op in enumerate(order):
        d = op._op_def
        if d.needs_ctx:
            fn = functools.partial(d.kernel, state.context_for(op), xp, **op._attrs)
        else:
            fn = functools.partial(d.kernel, xp, **op._attrs)
        derefs = tuple(i for i, t in enumerate(op._inputs)
                       if t._dtype._is_ref and t not in feeds and i not in d.ref_inputs)
        if derefs:
            fn = _deref_positions(fn, derefs)
        n_out = len(op._outputs)
        if n_out == 1:
            out = slot_of[op._outputs[0]]
        else:
            out = tuple(slot_of[t] for t in op._outputs)
        steps.append((fn, tuple(slot_of[t] for t in op._inputs), out, tuple(frees[k])))
        ops.append(op)
        if log_placement is not None:
            log_placement(op)

    plan = Plan()
    plan.steps = tuple(steps)
    plan.ops = tuple(ops)
    plan.n_values = len(slot_of)
    plan.feed_slots = tuple(slot_of[t] for t in feed_tensors)
    plan.feed_index = {t: i for i, t in enumerate(feed_tensors)}
    plan.fetch_slots = tuple(slot_of[t] for t in fetch_tensors)
    plan.fetch_modes = tuple(_fetch_mode(t, feeds) for t in fetch_tensors)
    return plan


def _fetch_mode(t, feeds):
    """How a fetched value leaves the plan: variable slots are read and copied; values that may
    alias a constant's or a variable's storage are copied, so the caller owns what it gets."""
    if t in feeds:
        return _FETCH_COPY
    if t._dtype._is_ref:
        return _FETCH_DEREF
    seen = 0
    while seen < 64:
        op = t._op
        if op._type in ("Const", "VariableV2"):
            return _FETCH_COPY
        if not op._op_def.aliases_input or not op._inputs:
            return _FETCH_PLAIN
        if any(i._dtype._is_ref or i._op._type == "Const" for i in op._inputs):
            return _FETCH_COPY
        t = op._inputs[0]
        seen += 1
    return _FETCH_COPY
