"""Execution plans: the pruned, ordered kernel calls that compute some fetches from some feeds.

`build_plan` does all graph work once: pruning to what the fetches need, ordering, evaluating
constants, deciding when each intermediate dies. It then writes the run as one straight-line
Python function (as torch.fx does for its graphs): one line per kernel call, each intermediate a
local variable deleted after its last use. A cached run is a call of that function — no graph
walking, no dictionaries, no argument lists built per step. `Plan.source` shows the code.

A session with a GPU gets a `DevicePlan`: the same function, with each kernel called on its op's
device (`xp` numpy or `gxp` the GPU's module) and explicit `todev`/`tohost` lines where a value
crosses between host and device. Sessions without a GPU build exactly the code they always did.
"""
import heapq
import itertools

import numpy as np

from ..framework import dtypes, errors
from ..framework.ops import format_user_frame
from ..framework.op_registry import FOLD_MAX_BYTES, debug_string
from . import control_flow, frames, intra_op
from .control_flow import CONTROL_FLOW_TYPES, MERGE_TYPES, SWITCH_TYPES, pred_value
from .state import deref

__all__ = ["Plan", "DevicePlan", "build_plan", "device_folding", "function_runner"]

_ndarray = np.ndarray
_plan_ids = itertools.count()


def _node_suffix(op):
    return "\n\t [[node %s (defined at %s) ]]" % (op.name, format_user_frame(op.traceback))


def _placeholder_message(t):
    op = t.op
    dt = op._attrs.get("dtype", t.dtype).base_dtype
    msg = "You must feed a value for placeholder tensor '%s' with dtype %s" % (
        op.name, dtypes.type_string(dt))
    shape = op._attrs.get("shape")
    if shape is not None and shape.ndims:  # PlaceholderOp names the shape only when its rank is > 0
        msg += " and shape [%s]" % ",".join("?" if d is None else str(d) for d in shape.as_tuple())
    return msg


def _writes(op):
    """1 for an op that receives a variable's storage (an update such as Assign or ApplyAdam), else 0."""
    d = getattr(op, "_op_def", None)
    return 1 if d is not None and d.ref_inputs else 0


def _topo_order(needed, rep=None):
    """Needed ops in an order that respects data and control edges; creation order breaks ties, after ops
    that update a variable in place wait for every op that is ready without them: a value read from a
    variable (its aliased storage) is used before an update the edges do not order after it, as in TF (e.g.
    tf.gradients of a placeholder fetched with a train op sees the variables the step started from).
    `rep`: the WhileFrame standing for each op of a loop (frames.collapse)."""
    indeg = {}
    users = {op: [] for op in needed}
    for op in needed:
        if rep:
            preds = {rep.get(t._op, t._op) for t in op._inputs} | {rep.get(c, c) for c in op._control_inputs}
            preds = {p for p in preds if p in needed and p is not op}
        else:
            preds = {t._op for t in op._inputs if t._op in needed} | {c for c in op._control_inputs if c in needed}
        indeg[op] = len(preds)
        for p in preds:
            users[p].append(op)
    ready = [(_writes(op), op._id, op) for op, d in indeg.items() if d == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        _, _, op = heapq.heappop(ready)
        order.append(op)
        for u in users[op]:
            indeg[u] -= 1
            if indeg[u] == 0:
                heapq.heappush(ready, (_writes(u), u._id, u))
    if len(order) != len(needed):
        raise errors.InvalidArgumentError(None, None, "Graph has a cycle among the ops this run needs.")
    return order


# =========================================================================== feeds
def _convert_feed(t, val, npt):
    """TF's feed conversion (session.py): np.asarray(value, dtype); Python ints must fit the dtype."""
    from ..framework.ops import Operation, Tensor
    if isinstance(val, (Tensor, Operation)) or hasattr(val, "_as_graph_element"):
        raise TypeError("The value of a feed cannot be a tf.Tensor object. Acceptable feed values include "
                        "Python scalars, strings, lists, numpy ndarrays, or TensorHandles. For reference, "
                        "the tensor object was %s which was passed to the feed with key %s." % (val, t))
    dtype = t._dtype.base_dtype
    if isinstance(val, int) and not isinstance(val, bool) and dtype.is_integer:
        info = np.iinfo(npt)
        if not info.min <= val <= info.max:
            raise TypeError("Type of feed value %s with type %s is not compatible with Tensor type %s. "
                            "Try explicitly setting the type of the feed tensor to a larger type "
                            "(e.g. int64)." % (val, type(val), dtype.as_numpy_dtype))
    return np.asarray(val, dtype=npt)


def _bad_feed_shape(t, shape):
    raise ValueError("Cannot feed value of shape %r for Tensor %r, which has shape %r"
                     % (tuple(shape), t.name, str(t._shape)))


def _compile(plan, source, ns, line_ops, line_inputs, feed_tensors, ops, line_chains=None):
    """Fill `plan` with the function compiled from `source` (our own generated code, built from the
    graph; never user input) and what error reports need to map its lines back to ops (`line_chains`: the
    ops of the fused chain a line runs, by line)."""
    code = compile(source, "<tfmini plan %d>" % next(_plan_ids), "exec")
    exec(code, ns)
    fn = ns["_plan_run"]
    plan._fn = fn
    plan._code = fn.__code__
    plan._line_ops = line_ops
    plan._line_inputs = line_inputs
    plan._line_chains = line_chains or {}
    plan.feed_convs = tuple(_feed_conv(t) for t in feed_tensors)
    plan.ops = tuple(ops)
    plan.source = source
    # whether a kernel of the plan calls BLAS (in a loop's body too): its runs set BLAS to one thread
    plan.blas = any(o._op_def.blas for op in plan.ops
                    for o in (op.members if op.__class__ is frames.WhileFrame else (op,)))
    return plan


def _feed_conv(t):
    """(numpy dtype, rank or -1, ((axis, size), ...) known sizes, tensor) for checking one feed."""
    npt = np.dtype(t._dtype.base_dtype.as_numpy_dtype)
    dims = t._shape.as_tuple()
    if dims is None:
        return (npt, -1, (), t)
    return (npt, len(dims), tuple((i, d) for i, d in enumerate(dims) if d is not None), t)


# =========================================================================== Plan
class Plan:
    """A prepared run: `run(feed_values)` returns the fetched arrays, in fetch order.

    `feed_values` come in the order of the feed tensors the plan was built for; values that are
    not arrays of the right dtype are converted, and every shape is checked against the tensor's.
    """

    __slots__ = ("_fn", "_code", "_line_ops", "_line_inputs", "_line_chains", "feed_convs", "ops", "source", "blas")

    def _checked_feeds(self, feed_values):
        """The feed values as arrays of the fed tensors' dtypes, each shape checked against the tensor's."""
        args = []
        for conv, v in zip(self.feed_convs, feed_values):
            npt, rank, known, t = conv
            if v.__class__ is not _ndarray or v.dtype != npt:
                v = _convert_feed(t, v, npt)
            if rank >= 0:
                s = v.shape
                if len(s) != rank:
                    _bad_feed_shape(t, s)
                for i, d in known:
                    if s[i] != d:
                        _bad_feed_shape(t, s)
            args.append(v)
        return args

    def run(self, feed_values):
        args = self._checked_feeds(feed_values)
        intra_op.runs += 1  # the kernels' blocks share the cores (runtime/intra_op.py)
        if self.blas and intra_op.lowered is None:
            intra_op.blas_single_for_this_run()
        try:
            return self._fn(*args)
        except Exception as e:
            self._reraise(e)
            raise
        finally:
            intra_op.runs -= 1
            if intra_op.lowered is not None and not intra_op.runs:
                intra_op.end_of_run()

    def _reraise(self, e):
        """Raise `e`, a failure inside the plan's function, as TF reports it: naming the op."""
        if isinstance(e, errors.OpError):
            # the op whose line failed (`weight/read` reading an uninitialized `weight`), as TF names it; in a
            # fused chain, the op of the chain the error came from (`fused_part`: 1 for its BiasAdd's checks)
            op = self._failing_op(e.__traceback__, getattr(e, "fused_part", 0)) or e.op
            if op is None or op.__class__ is frames.WhileFrame:
                return  # (the loop's own plans named the op)
            raise type(e)(e.node_def, op, e.message + _node_suffix(op)) from None
        # a failure inside a kernel that is not a TF error (numpy's): TF's message where the op's def
        # knows it from the inputs' run-time shapes ("Incompatible shapes: [2,3] vs. [4]"), else numpy's
        op = self._failing_op(e.__traceback__)
        if op is None:
            return
        shapes = self._runtime_shapes(e.__traceback__, op)
        explain = op._op_def.explain
        message = None
        if explain is not None and None not in shapes:
            try:
                message = explain(shapes, **op._attrs)
            except Exception:  # noqa: BLE001 - a hook that cannot tell leaves numpy's message
                message = None
        if message is not None:
            raise errors.InvalidArgumentError(None, op, message + _node_suffix(op)) from None
        raise errors.InvalidArgumentError(
            None, op, "%s (op: '%s') with input shapes: %s: %s%s"
            % (op.name, op.type, self._shapes_str(shapes, op), e, _node_suffix(op))) from e

    def _failing_frame(self, tb):
        found = None
        while tb is not None:
            if tb.tb_frame.f_code is self._code:
                found = tb
            tb = tb.tb_next
        return found

    def _failing_op(self, tb, fused_part=0):
        tb = self._failing_frame(tb)
        if tb is None:
            return None
        chain = self._line_chains.get(tb.tb_lineno) if fused_part else None
        return chain[fused_part] if chain is not None and fused_part < len(chain) else self._line_ops.get(tb.tb_lineno)

    def _runtime_shapes(self, tb, op):
        """The shapes (tuples) the failing op's inputs actually had, read from the plan function's frame;
        None for one it cannot find."""
        tb = self._failing_frame(tb)
        names = self._line_inputs.get(tb.tb_lineno, ()) if tb is not None else ()
        out = []
        names = list(names) + [None] * (len(op._inputs) - len(names))  # a transfer line knows no inputs yet
        for name in names[:len(op._inputs)]:
            v = None
            if name is not None:
                frame = tb.tb_frame
                v = frame.f_locals.get(name, frame.f_globals.get(name))
            shape = getattr(v, "shape", None)
            if shape is None and hasattr(v, "value"):  # a variable slot
                shape = getattr(v.value, "shape", None)
            out.append(None if shape is None else tuple(int(d) for d in shape))
        return out

    @staticmethod
    def _shapes_str(shapes, op):
        return ", ".join(_shape_str(t) if s is None else debug_string(s) for s, t in zip(shapes, op._inputs))


def _shape_str(t):
    s = t._shape.as_tuple()
    return "?" if s is None else "[%s]" % ",".join("?" if d is None else str(d) for d in s)


def skippable_control_inputs(op):
    """The control inputs of `op` a plan runs only when something else needs them: those of tf.gradients' gates on
    gradients nothing reads (ops/control_flow_ops._gated_tuple). (The widgets' run highlight follows this rule.)"""
    return op._graph._gate_skippable.get(op, ()) if op._type == "NoOp" else ()


def _needed_in_order(fetch_tensors, target_ops, feeds, level=None):
    """The ops a run needs, in execution order; InvalidArgumentError for a placeholder left unfed. A tf.while_loop
    is one step (a frames.WhileFrame); `level`: the loop frame whose condition or body the plan runs (None: the
    top level)."""
    needed = set()
    stack = [t._op for t in fetch_tensors if t not in feeds] + list(target_ops)
    rep = None
    if level is not None:
        needed, rep = frames.collapse(stack, feeds, level)
        stack = []
    skipped = []
    while stack:
        while stack:
            op = stack.pop()
            if op in needed:
                continue
            needed.add(op)
            for t in op._inputs:
                if t not in feeds and t._op not in needed:
                    stack.append(t._op)
            skippable = skippable_control_inputs(op)
            for c in op._control_inputs:
                # a control input on a fed placeholder is satisfied by the feed (TF moves it to the feed's Recv); a
                # gradient gate's wait on a gradient nothing reads is skipped (control_flow_ops._gated_tuple)...
                if c not in needed and not (c._type == "Placeholder" and c._outputs[0] in feeds):
                    (skipped if c in skippable else stack).append(c)
        # ...unless computing it would do something besides computing (a tf.Print, a py_func, a random draw in
        # a gradient the user wrote): TF's gate waits for it, so it runs
        stack = [c for c in skipped if c not in needed and _has_side_effects(c, needed, feeds)]
        skipped = [c for c in skipped if c not in needed and c not in stack]
    if rep is None and frames.has_loop_ops(needed):
        needed, rep = frames.collapse([t._op for t in fetch_tensors if t not in feeds] + list(target_ops), feeds)
    for op in sorted(needed, key=lambda o: o._id):
        if op._type == "Placeholder":
            raise errors.InvalidArgumentError(None, op, _placeholder_message(op._outputs[0]) + _node_suffix(op))
    return _topo_order(needed, rep)


def _has_side_effects(op, needed, feeds):
    """Whether running `op` would run a stateful op (other than a variable's storage) that `needed` lacks."""
    seen, stack = set(), [op]
    while stack:
        o = stack.pop()
        if o in seen or o in needed:
            continue
        seen.add(o)
        if o._op_def.stateful and not o._op_def.session_constant:
            return True
        stack.extend(t._op for t in o._inputs if t not in feeds)
        stack.extend(o._control_inputs)
    return False


def function_runner(state, function):
    """`run(values) -> list of arrays`: a traced function's graph (its `outputs` given its `feeds`: the arguments,
    then the captured values) as a CPU plan on `state`, for tf.data's map and filter. The values are checked
    against the feeds' dtypes and shapes the first time only: a pipeline passes the same kind each time."""
    plan = build_plan(state, function.outputs, (), function.feeds, np)
    fn, checked = plan._fn, []

    def run(values):
        if not checked:
            plan._checked_feeds(values)  # TF's errors for a first element that does not fit
            checked.append(True)
        try:
            return fn(*values)
        except Exception as e:
            plan._reraise(e)
            raise
    return run


def build_plan(state, fetch_tensors, target_ops, feed_tensors, xp, log_placement=None, devices=None, level=None):
    """Prepare the computation of `fetch_tensors` and `target_ops` given `feed_tensors` (in the
    order their values will be passed to `Plan.run`).

    Const ops, and stateless ops on constants only, are evaluated here, once (constant folding);
    every other needed op becomes one line of the plan's function. Raises InvalidArgumentError when a placeholder
    the run needs is not fed.
    `devices` (runtime/device.py) places each op; with a GPU the plan is a `DevicePlan`. `level`: the loop frame
    whose condition or body this plan runs (runtime/frames.py); a loop inside is one step, with plans of its own.
    """
    feeds = set(feed_tensors)
    order = _needed_in_order(fetch_tensors, target_ops, feeds, level)
    for op in order:
        if op.__class__ is frames.WhileFrame:
            op.prepare(state, build_plan)
            if devices is not None:
                frames.check_placement(op, devices)
    guards = control_flow.analyze(order, feeds)  # None without tf.cond: every op always runs
    if feeds:
        _check_ref_feeds(order, feeds)
    if devices is not None:
        for op in order:
            devices.place(op)  # placement errors, and the no-GPU note, come before anything runs
        if devices.gpu is not None:
            return _build_device_plan(state, fetch_tensors, feed_tensors, feeds, order, xp, log_placement, devices,
                                      guards)

    ns = {"deref": deref, "xp": xp, "_cacheable": _cacheable, "_pred": pred_value, "_no_value": _no_value,
          "_index": _merge_index}
    name_of = {}  # Tensor -> Python expression naming its value inside the function
    for i, t in enumerate(feed_tensors):
        name_of[t] = "f%d" % i
    steps = []
    folded = set()  # tensors whose value the plan computed once, here
    for op in order:
        if _foldable(op, feeds, folded):
            values = _fold(op, ns, name_of, xp)
            if values is not None:
                for j, value in enumerate(values):
                    t = op._outputs[j]
                    if t not in feeds:
                        name_of[t] = "c%d_%d" % (op._id, j)
                        ns[name_of[t]] = value
                        folded.add(t)
                if log_placement is not None:
                    log_placement(op)
                continue
        if _bind_session_constant(op, state, feeds, xp, ns, name_of):
            if log_placement is not None:
                log_placement(op)
            continue
        if op._type == "RefEnter" and op._outputs[0] not in feeds:
            # a variable's storage, inside a loop's plans (runtime/frames.py; another reference's value is fed)
            name_of[op._outputs[0]] = name_of[frames.ref_variable(op._inputs[0])]
            continue
        for j, t in enumerate(op._outputs):
            if t not in feeds:
                # a Switch's outputs are its data (the plan's `if`s read only the live one)
                name_of[t] = name_of[op._inputs[0]] if op._type in SWITCH_TYPES else "v%d_%d" % (op._id, j)
        steps.append(op)

    if log_placement is not None:
        for op in steps:
            _log(log_placement, op)

    # ops computed from shapes alone (the Mean gradient's Shape/Size/Cast/RealDiv on an unknown batch
    # size) run once per new input shape: `items` is the emission order, each a step or such a block
    items, cached = _shape_blocks(steps, feeds, folded, guards)
    keep = {name_of[t] for t in fetch_tensors}
    items = _remap(items, feeds, set(fetch_tensors), guards)

    def reads_of(item):
        if item.__class__ is _Fused:
            return [name_of[t] for t in item.inputs]
        if item.__class__ is not _Block:
            return [name_of[t] for t in item._inputs]
        inside = {t for op in item.ops for t in op._outputs}
        return [name_of[t] for op in item.ops for t in op._inputs if t not in inside] + \
            [name_of[t] for t in item.sources]

    # when each local dies: after the last item that reads it, unless it is fetched
    last_use = {}
    for k, item in enumerate(items):
        for n in reads_of(item):
            if n[0] in "vf":
                last_use[n] = k
        if guards is not None and item.__class__ is not _Block:  # a predicate's local is set from the value
            for op in (item.ops if item.__class__ is _Fused else (item,)):
                for key, _, _, _ in guards.defines.get(op, ()):
                    last_use[name_of[key]] = max(k, last_use.get(name_of[key], k))
    dies_after = {}
    for name, k in last_use.items():
        if name not in keep:
            dies_after.setdefault(k, []).append(name)

    lines = ["def _plan_run(%s):" % ", ".join("f%d" % i for i in range(len(feed_tensors)))]
    line_ops, line_inputs, line_chains = {}, {}, {}
    unset = set()  # locals that a run may leave unassigned (made inside an `if`): released with `= None`, not del

    def value_of(t):
        """The expression for input `t` of a call: a variable's value is read when the op runs."""
        return "deref(%s)" % name_of[t] if t._dtype._is_ref and t not in feeds else name_of[t]

    def attr_args(op):
        for a, (key, value) in enumerate(op._attrs.items()):
            ns["a%d_%d" % (op._id, a)] = value
            yield "%s=a%d_%d" % (key, op._id, a)

    def emit(op, indent):
        d = op._op_def
        if d.trivial:
            if op._outputs:  # Identity: its output is its input
                t = op._inputs[0]
                out = op._outputs[0]
                lines.append("%s%s = %s" % (indent, "_" if out in feeds else name_of.get(out) or "_", value_of(t)))
                line_ops[len(lines)] = op
                line_inputs[len(lines)] = [name_of[t]]
            return
        kname = "k%d" % op._id
        ns[kname] = d.kernel
        args = ["ctx%d" % op._id, "xp"] if d.needs_ctx else ["xp"]
        if d.needs_ctx:
            ns["ctx%d" % op._id] = state.context_for(op)
        args += [name_of[t] if i in d.ref_inputs else value_of(t) for i, t in enumerate(op._inputs)]
        args += attr_args(op)
        call = "%s(%s)" % (kname, ", ".join(args))
        outs = [None if t in feeds else name_of.get(t) for t in op._outputs]  # a fed output: the feed stays
        if not outs:
            lines.append(indent + call)
        elif len(outs) == 1:
            lines.append("%s%s = %s" % (indent, outs[0] or "_", call))
        else:
            lines.append("%s%s, = %s" % (indent, ", ".join(o or "_" for o in outs), call))
        line_ops[len(lines)] = op
        line_inputs[len(lines)] = [name_of[t] for t in op._inputs]

    def emit_fused(item, indent):
        # one call for op + BiasAdd (+ Relu); an error in it is the op's, or BiasAdd's for its bias checks
        op = item.ops[0]
        kname = "k%d_fused" % op._id
        ns[kname] = op._op_def.fused_bias
        args = ["xp"] + [value_of(t) for t in item.inputs] + list(attr_args(op)) + [item.activation_arg]
        out = item.ops[-1]._outputs[0]
        lines.append("%s%s = %s(%s)" % (indent, "_" if out in feeds else name_of[out], kname, ", ".join(args)))
        line_ops[len(lines)] = op
        line_inputs[len(lines)] = [name_of[t] for t in op._inputs]
        line_chains[len(lines)] = item.ops

    def emit_guarded(op, emit_one, last=None):
        """`emit_one(indent)` under `if <op's guard>:` (within the block left open, when it has the same guard);
        `last`: the op whose outputs the line sets, when not `op` (a fused chain's last op)."""
        guard = guards.op_guard[op]
        if op._type in SWITCH_TYPES:
            return  # its outputs are its data's local
        size = len(lines)
        indent = open_block(guard)
        if guard or op._type in MERGE_TYPES:
            unset.update(name_of[t] for t in (last or op)._outputs if t in name_of and t not in feeds)
        if op._type in MERGE_TYPES:
            emit_merge(op, indent)
        else:
            emit_one(indent)
        if len(lines) == size + 1 and block[0] is not None and lines[-1].startswith("    if "):
            del lines[-1]  # the op wrote nothing (a NoOp): no empty `if`
            block[0] = None

    block = [None]  # the guard of the `if` block the last line is in (None: at the function's top level)

    def emit_defines(maker):
        """The Switch predicates' locals (`p<id>_<j> = _pred(value)`) set from values `maker` made (None: feeds)."""
        for key, local, def_guard, switch in guards.defines.get(maker, ()):
            lines.append("%s%s = _pred(%s)" % (open_block(def_guard), local, value_of(key)))
            line_ops[len(lines)] = switch
            line_inputs[len(lines)] = [None, name_of[key]]
            if def_guard:
                unset.add(local)

    def open_block(guard):
        """The indentation for a line run under `guard`, opening an `if` for it unless the last line is in one."""
        if not guard:
            block[0] = None
            return "    "
        if block[0] != guard:
            lines.append("    if %s:" % guards.expr(guard))
            block[0] = guard
        return "        "

    def emit_merge(op, indent):
        # a RefMerge's output is the live input's reference (a variable's slot), a Merge's its value
        outs = [name_of.get(t) or "_" if t not in feeds else "_" for t in op._outputs]
        exprs = [name_of[t] if op._type == "RefMerge" else value_of(t) for t in op._inputs]
        line_ops[len(lines) + 1] = op
        lines.extend(indent + text for text in _merge_source(guards, op, outs, exprs))

    if guards is not None:  # predicates known when the run starts: fed, or computed when the plan was built
        in_steps = set(steps)
        for maker in guards.defines:
            if maker is None or maker not in in_steps:
                emit_defines(maker)
    for k, item in enumerate(items):
        if item.__class__ is _Fused:
            if guards is None:
                emit_fused(item, "    ")
            else:
                emit_guarded(item.ops[0], lambda indent, item=item: emit_fused(item, indent), item.ops[-1])
        elif item.__class__ is not _Block:
            if guards is None:
                emit(item, "    ")
            else:
                emit_guarded(item, lambda indent, item=item: emit(item, indent))
        else:
            block[0] = None
            # the block's values, reused while its sources keep their shapes
            b = "_b%d" % k
            ns[b] = [((), ())]
            # a value made inside is used after the block iff a later item reads it or it is fetched
            inside = [name_of[t] for op in item.ops for t in op._outputs]
            out = [n for n in inside if n in keep or n in last_use]
            key = "(%s,)" % ", ".join("%s.shape" % name_of[t] for t in item.sources)
            tup = "(%s,)" % ", ".join(out) if out else "()"
            lines.append("    %s_k = %s" % (b, key))
            lines.append("    %s_c = %s[0]" % (b, b))
            lines.append("    if %s_k == %s_c[0]:" % (b, b))
            lines.append("        %s = %s_c[1]" % (tup, b))
            lines.append("    else:")
            for op in item.ops:
                emit(op, "        ")
            lines.append("        if _cacheable(%s):" % tup)
            lines.append("            %s[0] = (%s_k, %s)" % (b, b, tup))
            dead = [n for n in inside if n not in out]
            if dead:
                lines.append("        del " + ", ".join(dead))
        if guards is not None:
            for op in (item.ops if item.__class__ in (_Fused, _Block) else (item,)):
                if op in guards.defines:
                    emit_defines(op)
        if k in dies_after:
            block[0] = None
            _release(lines, dies_after[k], unset)

    results = []
    for i, t in enumerate(fetch_tensors):
        expr = name_of[t]
        mode = "copy" if t in folded else _fetch_mode(t, feeds, cached | folded)
        if mode == "deref":
            expr = "deref(%s).copy()" % expr
        elif mode == "copy":
            expr = "%s.copy()" % expr
        results.append(expr)
        if guards is not None and t not in feeds and guards.tensor_guard(t):
            lines.append("    if not (%s):" % guards.expr(guards.tensor_guard(t)))
            lines.append("        _no_value(%d)" % i)
    lines.append("    return [%s]" % ", ".join(results))
    source = "\n".join(lines) + "\n"
    plan = _compile(Plan(), source, ns, line_ops, line_inputs, feed_tensors, steps, line_chains)
    return plan


class _Fused:
    """An op, the BiasAdd of its result and, optionally, the Relu of that, computed by one kernel (the op
    def's `fused_bias`): `ops` (op, BiasAdd[, Relu]), `inputs` (the op's inputs, then the bias)."""

    __slots__ = ("ops", "inputs")

    def __init__(self, ops):
        self.ops = ops
        self.inputs = list(ops[0]._inputs) + [ops[1]._inputs[1]]

    @property
    def activation_arg(self):
        """The fused kernel's `activation=` argument, as plan source."""
        return "activation=%r" % (self.ops[2]._type if len(self.ops) == 3 else None)


def _remap(items, feeds, fetched, guards=None):
    """Fuse op -> BiasAdd [-> Relu] chains (`_chains`) in a CPU plan's items: the fused item takes the place of
    the chain's last op, where every value it reads is made."""
    chains = _chains(items, feeds, fetched, guards)
    if not chains:
        return items
    at = {chain[-1]: _Fused(chain) for chain in chains}
    gone = {op for chain in chains for op in chain[:-1]}
    return [at.get(item, item) for item in items if item not in gone]


def _chains(items, feeds, fetched, guards=None):
    """The op -> BiasAdd [-> Relu] chains to fuse, as TF's grappler remapper makes _FusedConv2D and _FusedMatMul:
    the op has a `fused_bias` kernel, its result and the BiasAdd's are read by nothing else (not fetched, fed, or
    read by another op), no control edge touches the chain, and BiasAdd's checks hold statically (NHWC, a bias
    with as many entries as the result's known last dimension). CPU plans fuse them all (`_remap`); device plans
    those that run on the GPU (_build_device_plan)."""
    plain = [item for item in items if item.__class__ is not _Block]
    if not any(op._op_def.fused_bias is not None for op in plain):
        return []
    readers, controlled = {}, set()
    for item in items:
        for op in (item.ops if item.__class__ is _Block else (item,)):
            for t in op._inputs:
                readers.setdefault(t, []).append(op)
            controlled.update(op._control_inputs)

    def only_reader(t, op_type):
        r = readers.get(t, ())
        if len(r) != 1 or t in fetched or t in feeds or r[0]._type != op_type:
            return None
        op = r[0]
        if op._control_inputs or op in controlled or op._inputs[0] is not t:
            return None
        return op

    in_items = set(plain)
    chains = []
    for op in plain:
        if op._op_def.fused_bias is None or op._control_inputs or op in controlled or \
                op._attrs.get("data_format", "NHWC") != "NHWC" or len(op._outputs) != 1:
            continue
        y = op._outputs[0]
        bias_add = only_reader(y, "BiasAdd")
        if bias_add is None or bias_add not in in_items or bias_add._attrs.get("data_format", "NHWC") != "NHWC":
            continue
        bias = bias_add._inputs[1]
        dims, bias_dims = y._shape.as_tuple(), bias._shape.as_tuple()
        if bias is y or not dims or dims[-1] is None or bias_dims != (dims[-1],):
            continue
        chain = (op, bias_add)
        relu = only_reader(bias_add._outputs[0], "Relu")
        if relu is not None and relu in in_items:
            chain += (relu,)
        if guards is not None and len({guards.op_guard[o] for o in chain}) != 1:
            continue  # the ops of one call run under one `if`
        chains.append(chain)
    return chains


class _Block:
    """Ops of a plan whose values follow from the shapes of `sources` (and constants) alone."""

    __slots__ = ("ops", "sources")

    def __init__(self, sources):
        self.ops = []
        self.sources = sources


def _shape_blocks(steps, feeds, folded, guards=None):
    """Order `steps` for emission, gathering the ops that depend only on input shapes into blocks.

    A Shape/Size/Rank op reads only its input's shape; a stateless op whose inputs are constants or
    such values computes the same result whenever those shapes repeat (TF's grappler folds them
    when shapes are static; a fed batch dimension keeps them dynamic). Each such op goes into a block
    placed right after its last source is made, and the plan reruns the block only when the
    sources' shapes change. Returns (items, the tensors blocks compute)."""
    sources_of = {}  # tensor -> frozenset of the tensors whose shapes determine it
    derived = {}  # op -> the same, for the ops that go into blocks
    for op in steps:
        d = op._op_def
        if (d.stateful or d.needs_ctx or op._control_inputs or op._type == "Placeholder"
                or (guards is not None and (op._type in CONTROL_FLOW_TYPES or guards.op_guard[op]
                                            or op in guards.defines))  # a predicate's local is set after its op
                or any(t._dtype._is_ref or t in feeds for t in op._outputs)
                or any(t._dtype._is_ref and t not in feeds for t in op._inputs)):
            continue
        if d.shape_only:
            srcs = frozenset().union(*[sources_of.get(t, (t,)) for t in op._inputs])
        elif op._inputs and all(t in folded or t in sources_of for t in op._inputs):
            srcs = frozenset().union(*[sources_of[t] for t in op._inputs if t in sources_of])
        else:
            continue
        if not srcs:
            continue
        derived[op] = srcs
        for t in op._outputs:
            sources_of[t] = srcs
    if not derived:
        return list(steps), set()
    plain = [op for op in steps if op not in derived]
    made_at = {t: k for k, op in enumerate(plain) for t in op._outputs}
    blocks = {}  # position in `plain` after which a block runs (-1: first) -> _Block
    for op in steps:
        srcs = derived.get(op)
        if srcs is not None:
            at = max(made_at.get(t, -1) for t in srcs)
            block = blocks.get(at)
            if block is None:
                block = blocks[at] = _Block(set())
            block.ops.append(op)
            block.sources |= srcs
    items = []
    for k in range(-1, len(plain)):
        if k >= 0:
            items.append(plain[k])
        if k in blocks:
            b = blocks[k]
            b.sources = sorted(b.sources, key=lambda t: (t._op._id, t._value_index))
            items.append(b)
    return items, {t for op in derived for t in op._outputs}


def _cacheable(values):
    """Whether a block's results are small enough for the plan to keep between runs."""
    return sum(getattr(v, "nbytes", 0) for v in values) <= FOLD_MAX_BYTES




def _foldable(op, feeds, folded):
    """Stateless ops whose inputs are all known when the plan is built (Const, and ops on Consts only)."""
    d = op._op_def
    if d.stateful or d.needs_ctx or op._control_inputs or op._type == "Placeholder" or op._type in CONTROL_FLOW_TYPES:
        return False
    return all(t in folded and t not in feeds for t in op._inputs)


def _fold(op, ns, name_of, xp):
    """Run `op`'s kernel now on its folded inputs; None (run it every time instead) if it fails or is large,
    so that errors surface at run time exactly as they would unfolded."""
    try:
        out = op._op_def.kernel(xp, *[ns[name_of[t]] for t in op._inputs], **op._attrs)
    except Exception:  # noqa: BLE001 - the same error is raised, with the op's context, when the plan runs
        return None
    values = _as_tuple(out, len(op._outputs))
    if any(getattr(v, "nbytes", 0) > FOLD_MAX_BYTES for v in values) and op._inputs:
        return None
    return values


def _bind_session_constant(op, state, feeds, xp, ns, name_of):
    """A variable's storage slot (a `session_constant` op not fed) is the same object for every run of the
    session: found once, when a plan is built, and named `s<id>_<j>` in its namespace. True when `op` was one."""
    if not op._op_def.session_constant or any(t in feeds for t in op._outputs):
        return False
    values = _as_tuple(op._op_def.kernel(state.context_for(op), xp, **op._attrs), len(op._outputs))
    for j, t in enumerate(op._outputs):
        name_of[t] = "s%d_%d" % (op._id, j)
        ns[name_of[t]] = values[j]
    return True


def _log(log_placement, op):
    """log_device_placement's lines for `op`: for a loop, each of its ops."""
    for o in (op.members if op.__class__ is frames.WhileFrame else (op,)):
        log_placement(o)


def _merge_source(guards, op, outs, exprs):
    """The lines (indented as one block) that set a Merge's `outs` (output, value_index names) to the input
    expression in `exprs` that the Merge's guards make live, and its own literal when it has one."""
    own = guards.local.get(op)
    text = []
    for i, (expr, rest) in enumerate(zip(exprs, guards.merges[op])):
        last = i == len(exprs) - 1 and own is None
        text.append("else:" if last and i else "%s %s:" % ("elif" if i else "if", guards.expr(rest) or "True"))
        text.append("    %s = %s" % (outs[0], expr))
        text.append("    %s = _index(%d)" % (outs[1], i))
        if own is not None:
            text.append("    %s = True" % own)
    if own is not None:
        text += ["else:", "    %s = False" % own]
    return text


def _check_ref_feeds(order, feeds):
    """TF's InvalidArgumentError for a fed variable given to an input that takes the variable itself (an
    assignment's, a RefSwitch's): a feed is a value, not the variable's storage."""
    for op in order:
        refs = (0,) if op._type == "RefSwitch" else op._op_def.ref_inputs
        for i in refs:
            t = op._inputs[i] if i < len(op._inputs) else None
            if t is not None and t in feeds and t._dtype._is_ref:
                dt = dtypes.type_string(t._dtype.base_dtype)
                raise errors.InvalidArgumentError(
                    None, op, "Input %d of node %s was passed %s from %s incompatible with expected %s_ref. (A fed "
                    "variable is a value: an op that assigns it, or a tf.cond branch that returns it, needs the "
                    "variable itself; do not feed it.)" % (i, op.name, dt, t.name, dt) + _node_suffix(op))


def _release(lines, names, unset):
    """The line freeing the locals `names`: `del` for those always assigned, `= None` for those made in an `if`."""
    always = [n for n in names if n not in unset]
    maybe = [n for n in names if n in unset]
    if always:
        lines.append("    del " + ", ".join(always))
    if maybe:
        lines.append("    %s = None" % " = ".join(maybe))


def _no_value(i):
    """Fetch `i` was not computed: it is on a tf.cond branch this run did not take (TF's message)."""
    raise errors.InternalError(None, None, "Retval[%d] does not have value" % i)


def _merge_index(i):
    return np.array(i, dtype=np.int32)


def _as_tuple(value, n):
    if n == 0:
        return ()  # a NoOp (an initializer with no variables)
    return (value,) if n == 1 else tuple(value)


def _fetch_mode(t, feeds, kept=()):
    """How a fetched value leaves the plan: variable slots are read and copied; values that may
    alias a constant's or a variable's storage, a feed, or a value the plan `kept` between runs (shape
    blocks' values, values computed when the plan was built) are copied, so the caller owns them."""
    if t in feeds:
        return "copy"
    if t._dtype._is_ref:
        return "deref"
    # Walk back through aliasing ops. The aliased input is not always the first (Split's value is
    # its second), but a view has its base's dtype, so every input of the output's dtype is followed.
    stack, seen = [t], {t}
    while stack:
        t = stack.pop()
        op = t._op
        if op._type == "Const" or t in kept:
            return "copy"
        if not op._op_def.aliases_input:
            continue
        if any(i._dtype._is_ref for i in op._inputs):
            return "copy"
        dt = t._dtype.base_dtype
        for i in op._inputs:
            if i._dtype.base_dtype != dt or i in seen:
                continue
            if i in feeds:
                return "copy"
            seen.add(i)
            stack.append(i)
        if len(seen) > 256:  # a long chain of views: copying is always safe
            return "copy"
    return "plain"


# =========================================================================== plans with a GPU
class DevicePlan(Plan):
    """A plan whose ops run on the CPU and a GPU: its function moves values between host and device
    with explicit `todev`/`tohost` lines where an op on one device reads a value made on the other,
    and at feeds and fetches. Runs allocate from the session's GPU memory pool."""

    __slots__ = ("_ns", "_memory", "_gpu", "_sync")

    def run(self, feed_values):
        args = self._checked_feeds(feed_values)
        with self._memory.using():
            try:
                out = self._fn(*args)
                if self._sync:
                    self._gpu.synchronize()  # a run that fetches nothing still ends when its ops have
                return out
            except self._gpu.oom_errors as e:
                op = self._failing_op(e.__traceback__)
                if op is None:
                    raise
                shapes = self._shapes_str(self._runtime_shapes(e.__traceback__, op), op)
                msg = self._memory.oom_message(e, op, shapes, _GPU_NAME)
                raise errors.ResourceExhaustedError(
                    None, op, msg + _node_suffix(op) + "\nHint: If you want to see a list of allocated tensors when "
                    "OOM happens, add report_tensor_allocations_upon_oom to RunOptions for current allocation "
                    "info.\n") from None
            except Exception as e:
                self._reraise(e)
                raise

    def release(self):
        """Drop the device values this plan holds (folded constants): the session is closing."""
        self._ns.clear()
        self._fn = None


_GPU_NAME = "/job:localhost/replica:0/task:0/device:GPU:0"
_HOST, _DEV = "h", "d"
# Tests of GPU kernels turn folding off (`device_folding(False)`): ops on constants then run on the
# device like any other instead of once on the host when the plan is built. Consts are still folded.
_FOLD_ON_DEVICE = [True]


class device_folding:
    """`with device_folding(False):` plans built inside run every op but Const on its device."""

    def __init__(self, on):
        self.on = on

    def __enter__(self):
        self.saved = _FOLD_ON_DEVICE[0]
        _FOLD_ON_DEVICE[0] = self.on

    def __exit__(self, *exc):
        _FOLD_ON_DEVICE[0] = self.saved


def _build_device_plan(state, fetch_tensors, feed_tensors, feeds, order, xp, log_placement, devices, guards=None):
    """The plan of a session with a GPU. Each value has a home: the device for what GPU ops make
    (int32 and strings stay on the host, as in TF), the host for what CPU ops make and for what a
    GPU op computes from host values only (shape arithmetic). An op reads each input where it runs;
    a value is copied to the other side once, on the line before its first reader there."""
    from .device import GPU, host_memory_dtype, variable_of
    gpu, memory = devices.gpu, devices.memory

    def _host_memory(t):
        return host_memory_dtype(t._dtype)

    ns = {"deref": deref, "xp": xp, "gxp": gpu.xp, "todev": gpu.to_device, "tohost": gpu.to_host,
          "_pred": pred_value, "_no_value": _no_value, "_index": _merge_index}
    name_of = {}
    home = {}      # local name -> _HOST or _DEV: where the value is made
    have = {}      # (local name, side) -> expression holding it on that side
    folded_value = {}
    guard_of = {}  # local name -> the guard (tf.cond) under which a run sets it; absent: always set
    unset = set()  # locals a run may leave unset (made under a guard): released with `= None`
    no_guard = frozenset()

    def placed_home(t):
        return _DEV if devices.place(t._op) == GPU and not _host_memory(t) else _HOST

    def var_home(t):
        v = variable_of(t)
        if v is None or devices.place(v) != GPU or _host_memory(t):
            return _HOST
        return _DEV

    # values whose local holds an array though their type is a reference: the feeds, and a RefMerge of variables
    # kept on different devices (its output is then the live variable's value, brought to one side)
    held = set(feeds)
    if guards is not None:
        for op in order:
            if op._type == "RefMerge" and len({var_home(t) for t in op._inputs if t not in feeds}) > 1:
                held.add(op._outputs[0])

    def where_is(t):
        if t._dtype._is_ref and t not in held:
            return var_home(t)  # a variable's value, read where it is kept
        return home[name_of[t]]

    for i, t in enumerate(feed_tensors):
        n = name_of[t] = "f%d" % i
        home[n] = placed_home(t)
        have[(n, _HOST)] = n

    lines = []     # [text, names it reads, op (for errors) or None, names of its inputs, a fused chain's ops, guard]
    folded = set()
    fold = _FOLD_ON_DEVICE[0]

    def side_of(op, ref_in):
        """Where `op` runs: _HOST, _DEV, or None for a shape-only op (its inputs read where they are)."""
        if devices.place(op) != GPU:
            return _HOST
        if op._op_def.ref_inputs:
            first = [t for t, r in zip(op._inputs, ref_in) if r]
            return var_home(first[0]) if first else _DEV
        if op._op_def.shape_only:
            return None
        # a random op draws on the device, from a shape in host memory (as TF's GPU kernels): made on the host,
        # its numbers would be copied to the device on every run
        if op._op_def.stateful and op._outputs and not all(_host_memory(t) for t in op._outputs):
            return _DEV
        # values made from host values only stay on the host (shape arithmetic; a Const that could not be folded
        # because of a control dependency, when it is int32)
        homes = [where_is(t) for t in op._inputs]
        if homes:
            return _HOST if all(h == _HOST for h in homes) else _DEV
        return _HOST if op._outputs and all(_host_memory(t) for t in op._outputs) else _DEV

    def refs_of(op, inputs):
        refs = op._op_def.ref_inputs
        return [i in refs and t._dtype._is_ref and t not in held for i, t in enumerate(inputs)]

    def emit(op, side, inputs, ref_in, kernel, extra_args=(), outputs=None, chain=None):
        """The line that runs `kernel` (op's, or a fused one) on `inputs` where `side` says, moving each input
        there first; `outputs` are the tensors it makes (op's own by default); `chain`, a fused chain's ops."""
        d = op._op_def
        outputs = op._outputs if outputs is None else outputs
        # int32 inputs stay in host memory (shapes, axes, sizes) unless the op computes on int32 data on the
        # device: an int32 input already there, or an int32 result
        int32_on_device = side == _DEV and (
            any(_host_memory(t) and where_is(t) == _DEV for t, r in zip(inputs, ref_in) if not r)
            or any(_host_memory(t) for t in outputs))

        args = ["ctx%d" % op._id] if d.needs_ctx else []
        args.append("gxp" if side == _DEV else "xp")
        if d.needs_ctx:
            ns["ctx%d" % op._id] = state.context_for(op)
        reads, names = [], []
        for i, t in enumerate(inputs):
            if ref_in[i]:
                n = name_of[t]
                args.append(n)
                reads.append(n)
                names.append(n)
                continue
            at = where_is(t)
            want = at if side is None else side
            if want == _DEV and _host_memory(t) and at == _HOST and not int32_on_device:
                want = _HOST  # int32 stays in host memory: shapes, axes, sizes
            expr = value_at(t, want, op)
            args.append(expr)
            read = name_of[t] if t._dtype._is_ref and t not in held else expr  # a variable: its slot
            reads.append(read)
            names.append(read)
        for a, (key, value) in enumerate(op._attrs.items()):
            ns["a%d_%d" % (op._id, a)] = value
            args.append("%s=a%d_%d" % (key, op._id, a))
        args.extend(extra_args)
        if d.trivial and not outputs:  # a NoOp (a group, a gradient gate): nothing to run
            return
        if d.trivial:  # Identity's value is its input, read (and moved) where it runs: no call, as in CPU plans
            call = args[1]  # after the array module; a trivial op takes no context
        else:
            kname = "k%d" % op._id if kernel is d.kernel else "k%d_fused" % op._id
            if side == _DEV:
                if kernel is d.kernel:
                    kernel = gpu.kernels.get(op._type, kernel)
                if gpu.checked_kernel is not None:
                    kernel = gpu.checked_kernel(kernel, op)
            ns[kname] = kernel
            call = "%s(%s)" % (kname, ", ".join(args))
        outs = []
        guard = guards.op_guard[op] if guards is not None else no_guard
        for j, t in enumerate(outputs):
            if t in feeds:
                outs.append("_")
                continue
            n = name_of[t] = "v%d_%d" % (t._op._id, j)
            s = _HOST if side is None else side
            home[n] = s
            have[(n, s)] = n
            if guard:
                guard_of[n] = guard
                unset.add(n)
            outs.append(n)
        if not outs:
            text = "    " + call
        elif len(outs) == 1:
            text = "    %s = %s" % (outs[0], call)
        else:
            text = "    %s, = %s" % (", ".join(outs), call)
        lines.append([text, reads, op, names, chain, guard])

    def value_at(t, want, op):
        """An expression for `t`'s value on side `want`, copying it there (a line) the first time: where the value
        is made, under its own guard, so that any later reader may use the copy. A variable's value is read (deref)
        where it is kept, when the line runs, and moved if needed."""
        n = name_of[t]
        if t._dtype._is_ref and t not in held:
            expr = "deref(%s)" % n
            return expr if var_home(t) == want else ("todev(%s)" if want == _DEV else "tohost(%s)") % expr
        expr = have.get((n, want))
        if expr is None:
            expr = "%s_%s" % (n, want)
            if n in folded_value:
                ns[expr] = gpu.to_device(folded_value[n]) if want == _DEV else gpu.to_host(folded_value[n])
            else:
                lines.append(["    %s = %s(%s)" % (expr, "todev" if want == _DEV else "tohost", n), [n], op, None,
                              None, guard_of.get(n, no_guard)])
                if n in guard_of:
                    guard_of[expr] = guard_of[n]
                    unset.add(expr)
            have[(n, want)] = expr
        return expr

    def emit_switch(op):
        """A Switch makes no line: its outputs are its data's local (the `if`s read only the live one)."""
        data = op._inputs[0]
        for t in op._outputs:
            if t not in feeds:
                name_of[t] = name_of[data]

    def emit_merge(op):
        """The Merge's output is its live input (brought to one side), and its value_index that input's position."""
        ins = op._inputs
        homes = {where_is(t) for t in ins}
        side = _DEV if _DEV in homes and devices.place(op) == GPU else _HOST
        # a RefMerge's output is the live input's reference (a variable's slot), unless its variables live on two
        # devices (`held`); a Merge's is the live input's value, on `side`
        raw = op._type == "RefMerge" and op._outputs[0] not in held
        exprs = [name_of[t] if raw else value_at(t, side, op) for t in ins]
        outs = []
        for j, t in enumerate(op._outputs):
            if t in feeds:
                outs.append("_")
                continue
            n = name_of[t] = "v%d_%d" % (op._id, j)
            s = side if j == 0 else _HOST
            home[n] = s
            have[(n, s)] = n
            guard_of[n] = guards.tensor_guard(t)
            unset.add(n)
            outs.append(n)
        text = "\n".join("    " + line for line in _merge_source(guards, op, outs, exprs))
        reads = [name_of[t] if t._dtype._is_ref and t not in held else e for t, e in zip(ins, exprs)]
        lines.append([text, reads, op, reads, None, guards.op_guard[op]])

    def emit_defines(maker):
        """The Switch predicates' locals set from values `maker` made (None: feeds and folded values)."""
        for key, local, def_guard, switch in guards.defines.get(maker, ()):
            n = name_of[key]
            expr = have.get((n, _HOST), n)
            lines.append(["    %s = _pred(%s)" % (local, expr), [expr], switch, [None, expr],
                          None, def_guard])

    def fold_op(op):
        """Compute `op` now, when the plan is built, if it can be: True when done."""
        if not (fold or op._type == "Const") or not _foldable(op, feeds, folded):
            return False
        values = _fold(op, ns, name_of, xp)
        if values is None:
            return False
        for j, value in enumerate(values):
            t = op._outputs[j]
            if t not in feeds:
                n = name_of[t] = "c%d_%d" % (op._id, j)
                ns[n] = value
                folded_value[n] = value
                home[n] = placed_home(t)
                have[(n, _HOST)] = n
                folded.add(t)
        return True

    def run_op(op):
        if op._type in SWITCH_TYPES:
            emit_switch(op)
        elif op._type in MERGE_TYPES:
            emit_merge(op)
        elif _bind_session_constant(op, state, feeds, xp, ns, name_of):
            for t in op._outputs:
                if not t._dtype._is_ref:  # a resource (a tf.data iterator): an object on the host
                    home[name_of[t]] = _HOST
                    have[(name_of[t], _HOST)] = name_of[t]
        elif not fold_op(op):
            ref_in = refs_of(op, op._inputs)
            emit(op, side_of(op, ref_in), op._inputs, ref_in, op._op_def.kernel)
        if guards is not None and op in guards.defines:
            emit_defines(op)
        if log_placement is not None:
            _log(log_placement, op)

    # Conv2D/MatMul -> BiasAdd [-> Relu] chains (_chains) run as one call where they run on the GPU (a Relu placed
    # on the CPU runs there, after the fused rest): decided at the chain's first op; a fused chain runs where its
    # last op would (every value it reads is made by then), any other op where it is in `order`
    chain_of = {chain[0]: chain for chain in _chains(order, feeds, set(fetch_tensors), guards)}
    waiting = {}  # each op of a fused part but its first -> the part (_Fused), until the part's last op

    def fuses(chain):
        first = chain[0]
        if not all(devices.place(o) == GPU for o in chain[:2]) or (fold and _foldable(first, feeds, folded)) \
                or any(t._dtype._is_ref for t in first._inputs) or chain[1]._inputs[1]._dtype._is_ref:
            return None
        if side_of(first, [False] * len(first._inputs)) != _DEV:
            return None
        return chain if devices.place(chain[-1]) == GPU else chain[:2]

    def run_fused(item):
        first = item.ops[0]
        emit(first, _DEV, item.inputs, [False] * len(item.inputs), first._op_def.fused_bias, [item.activation_arg],
             item.ops[-1]._outputs, item.ops)
        if log_placement is not None:
            for o in item.ops:
                log_placement(o)

    with memory.using():
        if guards is not None:
            emit_defines(None)  # fed predicates
        for op in order:
            chain = chain_of.get(op)
            fused = fuses(chain) if chain is not None else None
            if fused is not None:
                waiting.update(dict.fromkeys(fused[1:], _Fused(fused)))
            elif op not in waiting:
                run_op(op)
            else:
                part = waiting.pop(op)
                if part.ops[-1] is op:
                    run_fused(part)

        results, keep = [], set()
        for t in fetch_tensors:
            if t in folded:
                results.append("%s.copy()" % name_of[t])
                continue
            n = name_of[t]
            if t._dtype._is_ref and t not in held:
                expr = "tohost(deref(%s))" % n if var_home(t) == _DEV else "deref(%s).copy()" % n
            elif (n, _HOST) in have:
                h = have[(n, _HOST)]
                mode = "copy" if t in feeds else \
                    ("plain" if h != n or home[n] == _DEV else _fetch_mode(t, feeds, folded))
                expr = "%s.copy()" % h if mode == "copy" else h
                keep.add(h)
            else:
                expr = "tohost(%s)" % n
            keep.add(n)
            results.append(expr)
        dead_checks = []
        if guards is not None:
            for i, t in enumerate(fetch_tensors):
                if t not in feeds and guards.tensor_guard(t):
                    dead_checks.append("    if not (%s):" % guards.expr(guards.tensor_guard(t)))
                    dead_checks.append("        _no_value(%d)" % i)

    # when each local dies: after the last line that reads it, unless a fetch needs it
    last_use = {}
    for k, (_, reads, _, _, _, _) in enumerate(lines):
        for n in reads:
            if n[0] in "vf":
                last_use[n] = k
    for n in list(last_use):
        if n in keep:
            del last_use[n]
    dies_after = {}
    for n, k in last_use.items():
        dies_after.setdefault(k, []).append(n)

    src = ["def _plan_run(%s):" % ", ".join("f%d" % i for i in range(len(feed_tensors)))]
    line_ops, line_inputs, chains = {}, {}, {}
    block = None  # the guard of the `if` the last line is in
    for k, (text, _, op, inputs, chain, guard) in enumerate(lines):
        if guard:
            if guard != block:
                src.append("    if %s:" % guards.expr(guard))
                block = guard
            text = "\n".join("    " + part for part in text.split("\n"))
        else:
            block = None
        at = len(src) + 1
        src.extend(text.split("\n"))
        if op is not None:
            line_ops[at] = op
            line_inputs[at] = inputs if inputs is not None else []
        if chain is not None:
            chains[at] = chain
        if k in dies_after:
            _release(src, sorted(dies_after[k]), unset)
            block = None
    src.extend(dead_checks)
    src.append("    return [%s]" % ", ".join(results))
    source = "\n".join(src) + "\n"
    plan = _compile(DevicePlan(), source, ns, line_ops, line_inputs, feed_tensors,
                    [line[2] for line in lines if line[3] is not None], chains)
    plan._ns = ns
    plan._memory = memory
    plan._gpu = gpu
    plan._sync = not fetch_tensors
    return plan
