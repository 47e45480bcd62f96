"""Control-flow ops: NoOp, `tf.group`, `tf.tuple`, `with_dependencies`; `tf.cond` as TF 1.x builds it (Switch,
Merge and a CondContext per branch); `tf.while_loop` as TF 1.x builds it (Enter, Merge, LoopCond, Switch,
NextIteration and Exit in a WhileContext)."""
import builtins

from ..framework import dtypes
from ..framework import nest
from ..framework.op_def_library import convert_one
from ..framework.op_registry import NOT_DIFFERENTIABLE, InferenceError, register_op
from ..framework.ops import (GraphKeys, Operation, Tensor, add_to_collection, control_dependencies,
                             convert_to_tensor, get_default_graph, name_scope, register_proto_function)
from ..framework.tensor_shape import TensorShape

_tuple = builtins.tuple  # `tuple` below is TF's tf.tuple

__all__ = ["no_op", "group", "tuple", "with_dependencies", "switch", "ref_switch", "merge", "cond", "smart_cond",
           "case", "Assert", "CondContext", "WhileContext", "while_loop", "exit", "loop_cond"]


def _no_op_infer():
    return []


def _no_op_kernel(xp):
    return None


register_op("NoOp", infer=_no_op_infer, kernel=_no_op_kernel, grad=NOT_DIFFERENTIABLE, trivial=True)
register_op("ControlTrigger", infer=_no_op_infer, kernel=_no_op_kernel, grad=NOT_DIFFERENTIABLE, trivial=True)


def no_op(name=None):
    """An op that does nothing; useful as a target that carries control dependencies."""
    return get_default_graph().create_op("NoOp", [], {}, name=name or "NoOp")


def control_trigger(name=None):
    """An op that does nothing (ControlTrigger): a loop's gradient orders its stack operations with it."""
    return get_default_graph().create_op("ControlTrigger", [], {}, name=name or "ControlTrigger")


def _as_op(x):
    if hasattr(x, "_as_graph_element") and not isinstance(x, (Tensor, Operation)):
        x = x._as_graph_element()
    if isinstance(x, Tensor):
        return x.op
    if isinstance(x, Operation):
        return x
    raise TypeError("Expected tf.group() expected Tensor arguments not '%s' with type '%s'" % (x, type(x)))


def _flatten(items):
    for x in items:
        if isinstance(x, (list, type(()), set)):
            yield from _flatten(x)
        elif isinstance(x, dict):
            yield from _flatten([x[k] for k in sorted(x)])
        else:
            yield x


def group(*inputs, **kwargs):
    """An op that runs all `inputs` (ops or tensors, nested lists allowed) and returns nothing: a NoOp
    with control inputs.

    >>> init = tf.group(w.initializer, b.initializer, name="init")
    """
    name = kwargs.pop("name", None)
    if kwargs:
        raise ValueError("Unknown keyword arguments: " + ", ".join(kwargs.keys()))
    ops = [_as_op(x) for x in _flatten(inputs)]
    with name_scope(name, "group_deps", ops) as scope:
        if not ops:
            return no_op(name=scope)
        with control_dependencies(ops):
            return no_op(name=scope)


def with_dependencies(dependencies, output_tensor, name=None):
    """`output_tensor`'s value (an Identity), produced only after `dependencies` have run."""
    from .array_ops import identity
    from ..framework.indexed_slices import IndexedSlices
    with name_scope(name, "control_dependency", list(dependencies) + [output_tensor]) as scope:
        with control_dependencies(dependencies):
            if isinstance(output_tensor, IndexedSlices):  # TF's: the values gated, indices and shape as they are
                return IndexedSlices(identity(output_tensor.values, name=scope), output_tensor.indices,
                                     output_tensor.dense_shape)
            return identity(output_tensor, name=scope)


def tuple(tensors, name=None, control_inputs=None):  # noqa: A001 - TF's name
    """The same tensors, each available only after all of them (and `control_inputs`) are computed.

    Entries that are Operations come back as a group run after the gate; None stays None.
    """
    return _gated_tuple(tensors, None, name, control_inputs)


def _gated_tuple(tensors, gate_on, name=None, control_inputs=None):
    """`tuple(tensors)`, TF's graph exactly (its gate waits for every entry), for tf.gradients: the gate's control
    inputs on the entries not at the positions `gate_on` gives (all when None) are recorded as skippable, and a
    plan runs them only when something else needs them (in a plan run in order a gate changes nothing, so that
    skips only work whose result nothing reads, e.g. the gradient for a fed input)."""
    from ..framework.indexed_slices import IndexedSlices
    with name_scope(name, "tuple", tensors):
        tensors = [t if t is None or isinstance(t, (Tensor, Operation, IndexedSlices)) else convert_to_tensor(t)
                   for t in tensors]
        gating_ops = [t if isinstance(t, Operation) else t.op for t in tensors if t is not None]
        kept = {t if isinstance(t, Operation) else t.op for i, t in enumerate(tensors)
                if t is not None and (gate_on is None or i in gate_on)}
        skippable = {op for op in gating_ops if op not in kept}
        for c in control_inputs or ():
            if isinstance(c, Tensor):
                c = c.op
            elif not isinstance(c, Operation):
                raise TypeError("Control input must be Operation or Tensor: %s" % (c,))
            gating_ops.append(c)
        gating_ops = sorted(set(gating_ops), key=lambda op: op._id)  # unique, in creation order
        if not gating_ops:
            raise ValueError("Must have at least one Tensor: %s" % (tensors,))
        gate = group(*gating_ops)
        if skippable:
            gate.graph._gate_skippable[gate] = frozenset(skippable)
        out = []
        for t in tensors:
            if isinstance(t, (Tensor, IndexedSlices)):
                out.append(with_dependencies([gate], t))
            elif isinstance(t, Operation):
                with control_dependencies([gate]):
                    out.append(group(t))
            else:
                out.append(None)
        return out


# =========================================================================== Switch / Merge
# A Switch forwards `data` to output 1 when `pred` is true and to output 0 when it is false; the other output is
# "dead", and so is every op reading a dead value, until a Merge, whose output is its one live input. Plans turn
# this into Python `if`s (runtime/control_flow.py); the kernels here give the same semantics with None as "dead".
def _switch_infer(data, pred, **_):
    if pred.shape.ndims is not None and pred.shape.ndims != 0:
        raise InferenceError("Shape must be rank 0 but is rank %d" % pred.shape.ndims)
    return [(data.dtype, data.shape), (data.dtype, data.shape)]


def _switch_kernel(xp, data, pred, **_):
    return (None, data) if bool(pred) else (data, None)


def _switch_grad(op, *grads):
    ctx = op._control_flow_context
    if isinstance(ctx, WhileContext):
        # a loop's Switch is walked twice: first from its Exit (the gradient enters the backward loop through a Merge,
        # `b_switch`), then from the loop's body (the gradient of the next iteration, the Merge's back edge)
        grad_ctxt = op._graph._control_flow_context
        merge_grad = grad_ctxt.grad_state.switch_map.get(op)
        if merge_grad is not None:
            if grads[1] is not None:
                _add_next_and_back_edge(merge_grad, grads[1], enforce_shape_invariant=False)
            return None, None
        if grads[0] is not None:
            merge_grad = merge([grads[0], grads[0]], name="b_switch")[0]
            grad_ctxt.grad_state.switch_map[op] = merge_grad
            return merge_grad, None
        return None, None
    if isinstance(ctx, CondContext):
        # the other branch's gradient is zeros made on that branch (gradients.py), so the Merge always has one
        if grads[1 - ctx.branch] is None:
            return None, None
        return merge(list(grads), name="cond_grad")[0], None
    false_grad = switch(grads[0], op._inputs[1])[0]
    true_grad = switch(grads[1], op._inputs[1])[1]
    return merge([false_grad, true_grad])[0], None


register_op("Switch", infer=_switch_infer, kernel=_switch_kernel, grad=_switch_grad, aliases_input=True)
register_op("RefSwitch", infer=_switch_infer, kernel=_switch_kernel, grad=_switch_grad, aliases_input=True)


def _merge_infer(*inputs, **_):
    # TF's MergeShape: the dimensions all inputs agree on; a rank they disagree on makes the shape unknown
    shape = inputs[0].shape
    for t in inputs[1:]:
        if shape.ndims is None:
            break
        other = t.shape
        if other.ndims != shape.ndims:
            shape = TensorShape(None)
            break
        shape = TensorShape([a if a == b else None for a, b in zip(shape.as_tuple(), other.as_tuple())])
    return [(inputs[0].dtype.base_dtype, shape), (dtypes.int32, TensorShape([]))]


def _merge_kernel(xp, *inputs, **_):
    for i, x in enumerate(inputs):
        if x is not None:
            return x, xp.asarray(i, dtype="int32")
    return None, None


def _merge_grad(op, grad, _):
    ctx = _output_context(op._inputs[0]._op)
    grad_ctxt = op._graph._control_flow_context
    if isinstance(ctx, WhileContext):  # a loop's Merge: its gradient goes to the Enter, or round the backward loop
        return list(_switch_ref_or_tensor(grad, grad_ctxt.pivot))
    if isinstance(ctx, CondContext):
        pred = ctx.pred
        grad_state = grad_ctxt.GetWhileContext().grad_state if grad_ctxt is not None and \
            grad_ctxt.GetWhileContext() is not None else None
        if grad_state is not None:  # a cond inside a loop: its predicate in the iteration the backward one matches
            real_pred = grad_state.history_map.get(pred)
            if real_pred is None:
                grad_ctxt = grad_state.grad_context
                grad_ctxt.Exit()
                history_pred = grad_state.AddForwardAccumulator(pred)
                grad_ctxt.Enter()
                real_pred = grad_state.AddBackpropAccumulatedValue(history_pred, pred)
                grad_state.history_map[pred] = real_pred
            pred = real_pred
        return list(_switch_ref_or_tensor(grad, pred, name="cond_grad"))
    from .math_ops import equal
    conds = [equal(op._outputs[1], i) for i in range(len(op._inputs))]
    return [switch(grad, c)[1] for c in conds]


def _ref_merge_infer(*inputs, **_):
    out = _merge_infer(*inputs)
    return [(inputs[0].dtype, out[0][1]), out[1]]  # a reference: the taken branch's variable, to read or assign


register_op("Merge", infer=_merge_infer, kernel=_merge_kernel, grad=_merge_grad, aliases_input=True)
register_op("RefMerge", infer=_ref_merge_infer, kernel=_merge_kernel, grad=_merge_grad, aliases_input=True)


def switch(data, pred, dtype=None, name=None):
    """(output_false, output_true): `data` forwarded to the output `pred` selects; the other is never computed.

    >>> f, t = control_flow_ops.switch(x, is_training)
    """
    from ..framework.op_def_library import make_op
    with name_scope(name, "Switch", [data, pred]) as scope:
        data = convert_to_tensor(data, dtype=dtype, name="data")
        pred = convert_one("Switch", "pred", pred, dtypes.bool)
        return _tuple(make_op("Switch", [data, pred], {"T": data.dtype.base_dtype}, name=scope))


def ref_switch(data, pred, name=None):
    """`switch` of a variable's reference (its outputs are references too: an assignment can go through)."""
    from ..framework.op_def_library import make_op
    with name_scope(name, "RefSwitch", [data, pred]) as scope:
        pred = convert_one("RefSwitch", "pred", pred, dtypes.bool)
        return _tuple(make_op("RefSwitch", [data, pred], {"T": data.dtype.base_dtype}, name=scope))


def _switch_ref_or_tensor(data, pred, name="Switch"):
    if isinstance(data, Tensor) and data.dtype._is_ref:
        return ref_switch(data, pred, name=name)
    return switch(data, pred, name=name)


def merge(inputs, name=None):
    """(output, value_index): the one input that was computed (the first, if several were) and its index."""
    from ..framework.op_def_library import convert_same_dtype, make_op
    if any(x is None for x in inputs):
        raise ValueError("At least one of the merge inputs is None: %s" % (inputs,))
    with name_scope(name, "Merge", inputs) as scope:
        if all(isinstance(x, Tensor) and x.dtype._is_ref for x in inputs):  # variables' references (assignments)
            if len({x.dtype for x in inputs}) != 1:
                raise TypeError("Inputs to RefMerge must have the same type: %s" % ", ".join(
                    x.dtype.name for x in inputs))
            return _tuple(make_op("RefMerge", list(inputs), {"T": inputs[0].dtype.base_dtype, "N": len(inputs)},
                                  name=scope))
        inputs = convert_same_dtype("Merge", [("inputs", x) for x in inputs])
        return _tuple(make_op("Merge", list(inputs), {"T": inputs[0].dtype.base_dtype, "N": len(inputs)},
                              name=scope))


# =========================================================================== CondContext
def _op_in_context(op, ctx):
    c = op._control_flow_context
    while c is not None:
        if c is ctx:
            return True
        c = c._outer_context
    return False


def _output_context(op):
    """The context `op`'s outputs live in: its own, but an Exit's outputs are in the context around its loop."""
    ctx = op._control_flow_context
    if ctx is not None and op._type == "Exit":
        ctx = ctx._outer_context
    return ctx


class _ControlFlowContext:
    """What a CondContext (a tf.cond branch) and a WhileContext (a tf.while_loop) share: the context around
    them, entering and leaving, and TF's rule for control inputs from outside an enclosing loop."""

    def _set_outer(self, outer):
        self._outer_context = outer
        self._nested_contexts = []
        self._context_stack = []  # the contexts current when Enter was called, for Exit to go back to
        if outer is not None:
            outer._nested_contexts.append(self)

    @property
    def name(self):
        return self._name

    @property
    def outer_context(self):
        return self._outer_context

    def Enter(self):  # noqa: N802 - TF's name
        """Make this the context new ops are made in; Exit goes back to the one current now (as TF's)."""
        self._context_stack.append(self._graph._control_flow_context)
        self._graph._control_flow_context = self

    def Exit(self):  # noqa: N802
        self._graph._control_flow_context = self._context_stack.pop() if self._context_stack else self._outer_context

    def GetWhileContext(self):  # noqa: N802
        return self._outer_context.GetWhileContext() if self._outer_context is not None else None

    def AddName(self, name):  # noqa: N802 - TF's name (a tensor here: tfmini's contexts keep tensors)
        self._values.add(name)

    def _context_for(self, op_type, inputs):
        """The context an op of `op_type` on `inputs` made while this one is current belongs to (this one)."""
        return self

    def ExitResult(self, result):  # noqa: N802 - TF's name
        """Make the results of this branch or loop known to the context around it."""
        if self._outer_context is not None:
            for x in nest.flatten(result):
                self._outer_context.AddName(x)

    def _split_control(self, control):
        """The control inputs made inside the enclosing loop (all, outside any loop), and those made outside it."""
        while_ctx = self.GetWhileContext()
        if while_ctx is None:
            return list(control), []
        internal, external = [], []
        for c in control:
            ctx = _output_context(c)
            (internal if ctx is not None and ctx.GetWhileContext() is while_ctx else external).append(c)
        return internal, external


class CondContext(_ControlFlowContext):
    """One branch of a tf.cond while it is built: ops created inside it run only when `pred` selects `branch`
    (1: true). Values from outside come in through a Switch on `pred` (one per value), and an op with no inputs
    waits on the branch's `pivot`. The graph's `create_op` calls `_inputs_for` and `_add_op`."""

    def __init__(self, pred, pivot, branch):
        g = pred.graph
        self._graph = g
        self._name = g.unique_name("cond_text")  # what a MetaGraphDef calls it
        self._pred, self._pivot, self._branch = pred, pivot, branch
        self._values = {pred, pivot}
        self._external_values = {pred: pred}
        self._set_outer(g._control_flow_context)
        pivot._op._control_flow_context = self

    @property
    def pred(self):
        return self._pred

    @property
    def pivot(self):
        return self._pivot

    @property
    def branch(self):
        return self._branch

    def GetControlPivot(self):  # noqa: N802 - TF's name
        return self._pivot

    def AddValue(self, val):  # noqa: N802
        """The tensor that carries `val`, made outside, into this branch (a Switch, made once per value)."""
        if val in self._values:
            result = self._external_values.get(val)
            return val if result is None else result
        result = val
        self._values.add(val)
        if self._outer_context is not None:
            result = self._outer_context.AddValue(val)
            self._values.add(result)
            self._external_values[result] = result
        with control_dependencies(None):  # leaves this context while the Switch is made
            result = _switch_ref_or_tensor(result, self._pred)[self._branch]
        self._graph.prevent_fetching(result._op)
        result._op._control_flow_context = self
        ctx = self
        while ctx is not None:
            ctx._values.add(result)
            ctx = ctx._outer_context
        self._external_values[val] = result
        return result

    def _inputs_for(self, name, inputs, control):
        """The inputs and control inputs of an op named `name` about to be made in this branch."""
        if inputs:
            with self._graph.name_scope(name + "/"):
                inputs = [self.AddValue(x) for x in inputs]
        control, _ = self._split_control(control)  # inside a loop: control inputs from outside it are dropped
        if not inputs and not any(_op_in_context(c, self) for c in control):
            control = list(control) + [self._pivot._op]
        return inputs, control

    def _add_op(self, op):
        op._control_flow_context = self
        ctx = self
        while ctx is not None:
            ctx._values.update(op._outputs)
            ctx = ctx._outer_context
        self._graph.prevent_fetching(op)

    def _process_output_tensor(self, val):
        real_val = val
        if val not in self._values:
            self._values.add(val)
            if self._outer_context is not None:
                real_val = self._outer_context.AddValue(val)
                self._values.add(real_val)
                self._external_values[real_val] = real_val
            real_val = _switch_ref_or_tensor(real_val, self._pred)[self._branch]
            self._external_values[val] = real_val
        else:
            external = self._external_values.get(val)
            if external is not None:
                real_val = external
        return real_val

    def _build_cond_tensor(self, v):
        if isinstance(v, Operation):
            return with_dependencies([v], self._pivot)
        return self._process_output_tensor(convert_to_tensor(_loop_var_value(v)))  # (a Variable: its value)

    def BuildCondBranch(self, fn):  # noqa: N802
        """Call `fn` inside this branch: (what it returned, the same structure of tensors of this branch)."""
        original = fn()
        if original is None:
            return None, None
        result = nest.map_structure(self._build_cond_tensor, original)
        if not isinstance(result, (list, _tuple)):
            result = [result]
        return original, result


def _cond_context_def(ctx, export_scope):
    from ..framework.meta_graph import strip_name_scope

    def strip(name):
        return strip_name_scope(name, export_scope)
    external = sorted((strip(k.name), strip(v.name)) for k, v in ctx._external_values.items())
    return {"context_name": strip(ctx._name), "pred_name": strip(ctx._pred.name),
            "pivot_name": strip(ctx._pivot.name), "branch": ctx._branch,
            "values_def": {"values": sorted(strip(t.name) for t in ctx._values),
                           "external_values": [{"key": k, "value": v} for k, v in external]},
            "nested_contexts": [_nested_context_def(n, export_scope) for n in ctx._nested_contexts]}


def _values_def(ctx, strip):
    external = sorted((strip(k.name), strip(v.name)) for k, v in ctx._external_values.items())
    return {"values": sorted(strip(t.name) for t in ctx._values),
            "external_values": [{"key": k, "value": v} for k, v in external]}


def _while_context_def(ctx, export_scope):
    from ..framework.meta_graph import strip_name_scope

    def strip(name):
        return strip_name_scope(name, export_scope)
    d = {"context_name": strip(ctx._name), "parallel_iterations": ctx._parallel_iterations,
         "back_prop": bool(ctx._back_prop), "swap_memory": bool(ctx._swap_memory),
         "pivot_name": strip(ctx._pivot.name), "pivot_for_pred_name": strip(ctx._pivot_for_pred.name),
         "pivot_for_body_name": strip(ctx._pivot_for_body.name),
         "loop_exit_names": [strip(t.name) for t in ctx._loop_exits],
         "loop_enter_names": [strip(t.name) for t in ctx._loop_enters], "values_def": _values_def(ctx, strip),
         "nested_contexts": [_nested_context_def(n, export_scope) for n in ctx._nested_contexts]}
    if isinstance(ctx._maximum_iterations, Tensor):
        d["maximum_iterations_name"] = strip(ctx._maximum_iterations.name)
    return d


def _nested_context_def(ctx, export_scope):
    """A ControlFlowContextDef: the one of its two kinds `ctx` is."""
    if isinstance(ctx, WhileContext):
        return {"while_ctxt": _while_context_def(ctx, export_scope)}
    return {"cond_ctxt": _cond_context_def(ctx, export_scope)}


def _cond_context_to_proto(ctx, export_scope=None):
    """A CondContextDef (bytes) for the "cond_context" collection of a MetaGraphDef; None outside `export_scope`."""
    from ..io import proto
    if export_scope and not ctx._name.startswith(export_scope.rstrip("/") + "/"):
        return None
    return proto.encode(proto.COND_CONTEXT_DEF, _cond_context_def(ctx, export_scope))


def _cond_context_from_def(d, rename, g):
    ctx = CondContext.__new__(CondContext)
    ctx._graph = g
    ctx._name = rename(d.get("context_name", ""))
    ctx._pred = g.as_graph_element(rename(d["pred_name"]))
    ctx._pivot = g.as_graph_element(rename(d["pivot_name"]))
    ctx._branch = d.get("branch", 0)
    ctx._set_outer(g._control_flow_context)
    values_def = d.get("values_def", {})
    ctx._values = {g.as_graph_element(rename(n)) for n in values_def.get("values", [])}
    ctx._external_values = {g.as_graph_element(rename(e["key"])): g.as_graph_element(rename(e["value"]))
                            for e in values_def.get("external_values", [])}
    # the ops of the branch (what it made, not what it took in) belong to it; nested contexts then claim theirs
    for t in ctx._values - set(ctx._external_values):
        t._op._control_flow_context = ctx
    _nested_from_defs(ctx, d, rename, g)
    return ctx


def _nested_from_defs(ctx, d, rename, g):
    ctx.Enter()
    try:
        for nested in d.get("nested_contexts", []):
            if "cond_ctxt" in nested:
                _cond_context_from_def(nested["cond_ctxt"], rename, g)
            elif "while_ctxt" in nested:
                _while_context_from_def(nested["while_ctxt"], rename, g)
    finally:
        ctx.Exit()


def _while_context_from_def(d, rename, g):
    ctx = WhileContext.__new__(WhileContext)
    ctx._graph = g
    ctx._name = rename(d.get("context_name", ""))
    ctx._parallel_iterations = d.get("parallel_iterations", 10)
    ctx._back_prop = d.get("back_prop", False)
    ctx._swap_memory = d.get("swap_memory", False)
    name = d.get("maximum_iterations_name")
    ctx._maximum_iterations = g.as_graph_element(rename(name)) if name else None
    ctx._pivot = g.as_graph_element(rename(d["pivot_name"]))
    ctx._pivot_for_pred = g.as_graph_element(rename(d["pivot_for_pred_name"]))
    ctx._pivot_for_body = g.as_graph_element(rename(d["pivot_for_body_name"]))
    ctx._loop_exits = [g.as_graph_element(rename(n)) for n in d.get("loop_exit_names", [])]
    ctx._loop_enters = [g.as_graph_element(rename(n)) for n in d.get("loop_enter_names", [])]
    ctx._grad_state = None
    ctx._set_outer(g._control_flow_context)
    values_def = d.get("values_def", {})
    ctx._values = {g.as_graph_element(rename(n)) for n in values_def.get("values", [])}
    ctx._external_values = {g.as_graph_element(rename(e["key"])): g.as_graph_element(rename(e["value"]))
                            for e in values_def.get("external_values", [])}
    for t in ctx._values - set(ctx._external_values):
        op = t._op
        op._control_flow_context = ctx
        if ctx._outer_context is not None or op._type not in _EXIT_TYPES:  # as when it was built
            g.prevent_fetching(op)
            g.prevent_feeding(t)
    _nested_from_defs(ctx, d, rename, g)
    return ctx


def _while_context_to_proto(ctx, export_scope=None):
    """A WhileContextDef (bytes) for the "while_context" collection of a MetaGraphDef; None outside `export_scope`."""
    from ..io import proto
    if export_scope and not ctx._name.startswith(export_scope.rstrip("/") + "/"):
        return None
    return proto.encode(proto.WHILE_CONTEXT_DEF, _while_context_def(ctx, export_scope))


def _while_context_from_proto(raw, rename):
    """The WhileContext a MetaGraphDef's WhileContextDef describes, its ops (already imported) set to it."""
    from ..io import proto
    return _while_context_from_def(proto.decode(proto.WHILE_CONTEXT_DEF, raw), rename, get_default_graph())


def _cond_context_from_proto(raw, rename):
    """The CondContext a MetaGraphDef's CondContextDef describes, its ops (already imported) set to it."""
    from ..io import proto
    return _cond_context_from_def(proto.decode(proto.COND_CONTEXT_DEF, raw), rename, get_default_graph())


register_proto_function(GraphKeys.COND_CONTEXT, _cond_context_to_proto, _cond_context_from_proto)


def _unpack_if_singleton(res):
    if isinstance(res, (list, _tuple)) and len(res) == 1:
        return res[0]
    return res


# =========================================================================== tf.cond
def _branch_fn(fn, legacy, what, legacy_name):
    """`fn`, or the deprecated `fn1`/`fn2` spelling of it; TF's TypeErrors when neither or both are given."""
    if legacy is not None:
        if fn is not None:
            raise TypeError("cond(): %s and %s may not be set simultaneously." % (what, legacy_name))
        fn = legacy
    elif fn is None:
        raise TypeError("cond(): %s argument required" % what)
    if not callable(fn):
        raise TypeError("%s must be callable." % what)
    return fn


def cond(pred, true_fn=None, false_fn=None, strict=False, name=None, fn1=None, fn2=None):
    """`true_fn()` if `pred` (a scalar bool tensor) is true when the graph runs, else `false_fn()`.

    Both functions are called once, now, to build their branch; at run time only the ops of the branch `pred`
    selects run (an assignment in the other branch does not happen). Both must return the same structure of
    tensors with the same dtypes; a one-entry list or tuple comes back unpacked unless `strict=True`.

    >>> is_training = tf.placeholder(tf.bool)
    >>> out = tf.cond(is_training, lambda: tf.nn.dropout(x, rate=0.5), lambda: x)   # cond/Merge:0
    """
    from .array_ops import identity  # (array_ops imports this module)
    true_fn = _branch_fn(true_fn, fn1, "true_fn", "fn1")
    false_fn = _branch_fn(false_fn, fn2, "false_fn", "fn2")

    with name_scope(name, "cond", [pred]):
        if isinstance(pred, bool):
            raise TypeError("pred must not be a Python bool (use `true_fn() if pred else false_fn()` for a choice "
                            "made when the graph is built, or tf.constant(pred))")
        g = get_default_graph()
        p_2, p_1 = switch(pred, pred)
        pivot_1 = identity(p_1, name="switch_t")
        pivot_2 = identity(p_2, name="switch_f")
        pred = identity(pred, name="pred_id")
        for t in (p_1, p_2, pivot_1, pivot_2, pred):
            g.prevent_fetching(t._op)

        results = []
        for fn, pivot, branch, what in ((true_fn, pivot_1, 1, "true_fn"), (false_fn, pivot_2, 0, "false_fn")):
            ctx = CondContext(pred, pivot, branch)
            ctx.Enter()
            try:
                orig, res = ctx.BuildCondBranch(fn)
                if orig is None:
                    raise ValueError("%s must have a return value." % what)
            finally:
                ctx.Exit()
            ctx.ExitResult(res)
            results.append((orig, res, ctx))
        (orig_t, res_t, ctx_t), (orig_f, res_f, ctx_f) = results

        if not strict:
            orig_t = _unpack_if_singleton(orig_t)
            orig_f = _unpack_if_singleton(orig_f)
        try:
            nest.assert_same_structure(orig_t, orig_f)
        except TypeError as e:
            raise TypeError("Incompatible return types of true_fn and false_fn: %s" % e) from None
        except ValueError as e:
            raise ValueError("Incompatible return values of true_fn and false_fn: %s" % e) from None
        if not res_t:
            raise ValueError("true_fn and false_fn must return at least one result.")

        flat_t, flat_f = nest.flatten(res_t), nest.flatten(res_f)
        for x, y in zip(flat_t, flat_f):
            if x.dtype.base_dtype != y.dtype.base_dtype:
                raise ValueError("Outputs of true_fn and false_fn must have the same type: %s, %s"
                                 % (x.dtype.name, y.dtype.name))
        merges = [merge([f, t])[0] for f, t in zip(flat_f, flat_t)]
        if ctx_t._outer_context is None:
            add_to_collection(GraphKeys.COND_CONTEXT, ctx_t)
            add_to_collection(GraphKeys.COND_CONTEXT, ctx_f)
        merges = nest.pack_sequence_as(orig_t, merges)
        if not strict:
            merges = _unpack_if_singleton(merges)
        return merges


def _in_zero_one(pred):
    try:
        return pred in {0, 1}  # a set, as TF: an array (unhashable) or a string is not a predicate
    except TypeError:
        return False


def smart_cond(pred, true_fn=None, false_fn=None, name=None):
    """`true_fn()` or `false_fn()` chosen now when `pred` is a Python bool or a constant, else `tf.cond`
    (what tf.layers use for `training=`)."""
    from .constant_op import constant_value
    if isinstance(pred, Tensor):
        pred_value = constant_value(pred)
    elif hasattr(pred, "_as_graph_element"):  # a Variable: decided when the graph runs
        pred_value = None
    elif _in_zero_one(pred):  # bool, 0/1, numpy's bool_ (TF's test: `pred in {0, 1}`)
        pred_value = bool(pred)
    else:
        raise TypeError("`pred` must be a Tensor, or a Python bool, or 1 or 0. Found instead: %s" % type(pred))
    if pred_value is None:
        return cond(pred, true_fn=true_fn, false_fn=false_fn, name=name)
    return true_fn() if pred_value else false_fn()


# =========================================================================== tf.Assert, tf.case
def Assert(condition, data, summarize=None, name=None):  # noqa: N802 - TF's name
    """An op that, when it runs, raises InvalidArgumentError "assertion failed: [data 0] [data 1]..." unless
    `condition` (a scalar bool) is true; `summarize` values of each data tensor are shown (default 3). Make
    something depend on it (tf.control_dependencies) for it to run.

    >>> check = tf.Assert(tf.reduce_all(x > 0), ["x must be positive:", x])
    """
    import collections.abc
    from .logging_ops import assert_op
    if isinstance(data, (str, bytes)):
        raise TypeError("Expected list for 'data' argument to 'Assert' Op, not %s." % (data,))
    if not isinstance(data, collections.abc.Sequence):
        raise TypeError("values must be a sequence.")
    if not data:
        raise ValueError("Attr 'T' of 'Assert' Op passed list of length 0 less than minimum 1.")
    summarize = 3 if summarize is None else summarize
    with name_scope(name, "Assert", [condition, data]):
        xs = [convert_to_tensor(d) for d in data]  # (as TF: only to see their dtypes; the op converts `data`)
        if all(x.dtype.base_dtype in (dtypes.string, dtypes.int32) for x in xs):
            # as TF: strings and int32 are in host memory already, so the op runs as it is
            return assert_op(condition, data, summarize, name="Assert")
        condition = convert_to_tensor(condition, name="Condition")
        # otherwise only when the condition fails (TF's AssertGuard), so that the data is not copied for nothing
        guarded = cond(condition, no_op, lambda: assert_op(condition, data, summarize, name="Assert"),
                       name="AssertGuard")
        return guarded.op


def _case_verify_and_canonicalize_args(pred_fn_pairs, exclusive, name):
    import collections
    if not isinstance(pred_fn_pairs, (list, _tuple, dict)):
        raise TypeError("fns must be a list, tuple, or dict")
    if isinstance(pred_fn_pairs, collections.OrderedDict):
        pred_fn_pairs = list(pred_fn_pairs.items())
    elif isinstance(pred_fn_pairs, dict):
        pred_fn_pairs = sorted(pred_fn_pairs.items(), key=lambda item: item[0].name)
        if not exclusive:
            import logging
            logging.getLogger("tensorflow").warning(
                "%s: An unordered dictionary of predicate/fn pairs was provided, but exclusive=False. The order of "
                "conditional tests is deterministic but not guaranteed.", name)
    for pair in pred_fn_pairs:
        if not isinstance(pair, _tuple) or len(pair) != 2:
            raise TypeError("Each entry in pred_fn_pairs must be a 2-tuple")
        pred, fn = pair
        if isinstance(pred, Tensor):
            if pred.dtype.base_dtype != dtypes.bool:
                raise TypeError("pred must be Tensor of type bool: %s" % pred.name)
        else:
            raise TypeError("pred must be a Tensor, got: %s" % (pred,))
        if not callable(fn):
            raise TypeError("fn for pred %s must be callable." % pred.name)
    if not pred_fn_pairs:
        return (), ()
    predicates, actions = zip(*pred_fn_pairs)
    return predicates, actions


def _assert_at_most_n_true(predicates, n, msg):
    from . import array_ops, math_ops
    from .constant_op import constant
    preds_c = array_ops.stack(predicates, name="preds_c")
    num_true = math_ops.reduce_sum(math_ops.cast(preds_c, dtypes.int32), name="num_true_conds")
    condition = math_ops.less_equal(num_true, constant(n, name="n_true_conds"))
    names = ", ".join(getattr(p, "name", "?") for p in predicates)
    error = ["%s: more than %d conditions (%s) evaluated as True:" % (msg, n, names), preds_c]
    return Assert(condition, data=error, summarize=len(predicates))


def _case_create_default_action(predicates, actions):
    from . import array_ops
    k = len(predicates) - 1
    predicate, action = predicates[k], actions[k]
    other_predicates, other_actions = predicates[:k], actions[:k]

    def default_action():
        others_msg = ("Implementation error: selected default action #%d was called, but some of other predicates "
                      "are True: " % k)
        default_msg = ("Input error: None of conditions evaluated as True:",
                       array_ops.stack(predicates, name="preds_c"))
        with control_dependencies([_assert_at_most_n_true(other_predicates, n=0, msg=others_msg),
                                   Assert(predicate, data=default_msg)]):
            return action()
    return default_action, other_predicates, other_actions


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """The result of the function paired with the first true predicate: `[(pred_1, fn_1), ...]`, else
    `default()`. Nested tf.conds, in order; `exclusive=True` checks that at most one predicate holds. Without a
    `default`, the last pair is the default and a run where no predicate holds fails (InvalidArgumentError).

    >>> y = tf.case([(x < 0, lambda: -x), (x > 10, lambda: x - 10)], default=lambda: x)
    """
    import functools
    predicates, actions = _case_verify_and_canonicalize_args(pred_fn_pairs, exclusive, name)
    if not predicates:
        raise ValueError("tf.case needs at least one (predicate, fn) pair: pred_fn_pairs is empty")
    with name_scope(name, "case", [predicates]):
        if default is None:
            default, predicates, actions = _case_create_default_action(predicates, actions)
        fn = default
        # the first predicate is tested first: cond(p0, fn0, lambda: cond(p1, fn1, ...))
        for predicate, action in reversed(list(zip(predicates, actions))):
            fn = functools.partial(cond, predicate, true_fn=action, false_fn=fn, strict=strict)
        if exclusive:
            with control_dependencies([_assert_at_most_n_true(predicates, n=1, msg="Input error: exclusive=True")]):
                return fn()
        return fn()


# =========================================================================== tf.while_loop
# A loop is a frame: Enter brings a value in (a loop variable's first value, or with is_constant a value every
# iteration reads), Merge takes the Enter's value first and NextIteration's after, LoopCond is the predicate that
# Switch tests, the true output feeding the body and the false one Exit. Plans run a frame as one step that calls
# the frame's own plans for its condition and body until the predicate is false (runtime/frames.py); the kernels
# below forward their input, as the ops do.
_ENTER_TYPES = ("Enter", "RefEnter")
_EXIT_TYPES = ("Exit",)


def _forward_kernel(xp, data, **_):
    return data


def _enter_infer(data, is_constant=False, **_):
    # TF's Enter: the input's shape when it is a loop constant, else unknown (the wrapper sets the loop's shape)
    return [(data.dtype.base_dtype, data.shape if is_constant else TensorShape(None))]


def _ref_enter_infer(data, is_constant=False, **_):
    return [(data.dtype, data.shape if is_constant else TensorShape(None))]


def _forward_infer(data, **_):
    return [(data.dtype.base_dtype, data.shape)]


def _loop_cond_infer(pred, **_):
    if pred.shape.ndims is not None and pred.shape.ndims != 0:
        raise InferenceError("Shape must be rank 0 but is rank %d" % pred.shape.ndims)
    return [(dtypes.bool, TensorShape([]))]


# The gradient of a loop is a backward loop (ops/control_flow_state.py): tf.gradients walks the forward loop's ops in
# the backward loop's context, and these rules build its frame: an Exit's gradient enters it, an Enter's leaves it
# (a loop constant's is summed over the iterations), a NextIteration's passes on.
def _exit_grad(op, grad):
    op_ctxt = op._control_flow_context
    grad_ctxt = op._graph._control_flow_context
    if op_ctxt is None or grad_ctxt is None:
        raise LookupError("Failed to call gradients on a while loop without properly serializing graph via "
                          "MetaGraphDef (the loop of %s came from a GraphDef, which does not keep loops' contexts: "
                          "export and import a MetaGraphDef, tf.train.export_meta_graph, instead)" % op.name)
    if not grad_ctxt.back_prop:
        return None  # tf.while_loop(..., back_prop=False): no gradient through the loop
    if op_ctxt.grad_state is not None:
        raise TypeError("Second-order gradient for while loops not supported.")
    grad_ctxt.AddName(grad)
    grad_ctxt.Enter()
    result = _enter(grad, grad_ctxt.name, is_constant=False, parallel_iterations=grad_ctxt.parallel_iterations,
                    name="b_exit")
    grad_ctxt.loop_enters.append(result)
    grad_ctxt.Exit()
    return result


def _enter_grad(op, grad):
    grad_ctxt = op._graph._control_flow_context
    if grad_ctxt is None or not isinstance(grad_ctxt, WhileContext) or not grad_ctxt.back_prop or \
            grad_ctxt.grad_state is None:
        return grad
    if op._attrs.get("is_constant", False):
        return grad_ctxt.AddBackpropAccumulator(op, grad)
    result = exit(grad)
    grad_ctxt.loop_exits.append(result)
    grad_ctxt.ExitResult([result])
    return result


def _next_iteration_grad(op, grad):
    return grad  # (the backward loop's NextIteration is made by the Switch's gradient)


for _type in _ENTER_TYPES:
    register_op(_type, infer=_ref_enter_infer if _type == "RefEnter" else _enter_infer, kernel=_forward_kernel,
                grad=_enter_grad, aliases_input=True)
# (a loop's variables are values: no RefExit, RefNextIteration)
register_op("Exit", infer=_forward_infer, kernel=_forward_kernel, grad=_exit_grad, aliases_input=True)
register_op("NextIteration", infer=_forward_infer, kernel=_forward_kernel, grad=_next_iteration_grad,
            aliases_input=True)
register_op("LoopCond", infer=_loop_cond_infer, kernel=_forward_kernel, grad=NOT_DIFFERENTIABLE, trivial=True)


def _enter(data, frame_name, is_constant=False, parallel_iterations=10, use_ref=True, use_input_shape=True,
           name=None):
    """`data` made available inside the loop frame `frame_name` (Enter; RefEnter for a variable's reference)."""
    from ..framework.op_def_library import make_op
    data = convert_to_tensor(data, as_ref=True)
    op_type = "RefEnter" if data.dtype._is_ref and use_ref else "Enter"
    with name_scope(name, op_type, [data]) as scope:
        result = make_op(op_type, [data], {"T": data.dtype.base_dtype, "frame_name": frame_name,
                                           "is_constant": bool(is_constant),
                                           "parallel_iterations": parallel_iterations}, name=scope)
    if use_input_shape:
        result.set_shape(data.shape)
    return result


def exit(data, name=None):  # noqa: A001 - TF's name
    """`data` made available to the frame around its loop (Exit)."""
    from ..framework.op_def_library import make_op
    with name_scope(name, "Exit", [data]) as scope:
        data = convert_to_tensor(data)
        return make_op("Exit", [data], {"T": data.dtype.base_dtype}, name=scope)


def _next_iteration(data, name=None):
    from ..framework.op_def_library import make_op
    with name_scope(name, "NextIteration", [data]) as scope:
        data = convert_to_tensor(data)
        return make_op("NextIteration", [data], {"T": data.dtype.base_dtype}, name=scope)


def loop_cond(pred, name=None):
    """The predicate of a loop (LoopCond): a scalar bool that its Switches test."""
    from ..framework.op_def_library import make_op
    with name_scope(name, "LoopCond", [pred]) as scope:
        pred = convert_one("LoopCond", "input", pred, dtypes.bool)
        return make_op("LoopCond", [pred], {}, name=scope)


def _get_while_context(op):
    """The loop `op` is in (through any conds inside it), or None."""
    ctx = op._control_flow_context
    return ctx.GetWhileContext() if ctx is not None else None


def _is_loop_constant_enter(op):
    return op._type in _ENTER_TYPES and op._attrs.get("is_constant", False)


def _shape_less_than_or_equal(shape1, shape2):
    """Whether every dimension `shape2` knows, `shape1` has the same (TF's _ShapeLessThanOrEqual)."""
    dims2 = shape2.as_tuple()
    if dims2 is None:
        return True
    dims1 = shape1.as_tuple()
    if dims1 is None or len(dims1) != len(dims2):
        return False
    return all(d2 is None or d1 == d2 for d1, d2 in zip(dims1, dims2))


def _add_next_and_back_edge(m, v, enforce_shape_invariant=True):
    """NextIteration of `v`, the body's result for the loop variable whose Merge is `m`, as m's second input."""
    v = convert_to_tensor(v)
    n = _next_iteration(v)
    if enforce_shape_invariant and not _shape_less_than_or_equal(n.shape, m.shape):
        inp = m._op._inputs[0]._op._inputs[0]
        raise ValueError(
            "Input tensor '%s' enters the loop with shape %s, but has shape %s after one iteration. To allow the "
            "shape to vary across iterations, use the `shape_invariants` argument of tf.while_loop to specify "
            "a less-specific shape." % (inp.name, inp.shape, n.shape))
    if n.dtype.base_dtype != m.dtype.base_dtype:
        raise TypeError(
            "Input 1 of node %s was passed %s from %s incompatible with expected %s. (The body returned a %s for "
            "the loop variable that entered as %s: cast it with tf.cast.)"
            % (m._op.name, n.dtype.base_dtype.name, n.name, m.dtype.base_dtype.name, n.dtype.base_dtype.name,
               m.dtype.base_dtype.name))
    m._op._update_input(1, n)
    return n


class WhileContext(_ControlFlowContext):
    """A tf.while_loop while it is built, and after: values from outside come in through an Enter made once per
    value (`while/add/Enter`), an op with no inputs waits on the loop's pivot (the first loop variable's Merge in
    the condition, its Identity in the body), and the loop's ops may not be fetched or fed. The graph's `create_op`
    calls `_inputs_for` and `_add_op`."""

    def __init__(self, maximum_iterations=None, parallel_iterations=10, back_prop=True, swap_memory=False,
                 name="while_context", grad_state=None):
        if not isinstance(parallel_iterations, int) or isinstance(parallel_iterations, bool) \
                or parallel_iterations <= 0:
            raise ValueError("`parallel_iterations` must be a positive integer: %s" % (parallel_iterations,))
        g = get_default_graph()
        self._graph = g
        self._name = g.unique_name(name)
        self._maximum_iterations = maximum_iterations
        self._parallel_iterations = parallel_iterations
        self._back_prop = back_prop
        self._swap_memory = swap_memory
        self._pivot_for_pred = None
        self._pivot_for_body = None
        self._pivot = None
        self._loop_exits = []
        self._loop_enters = []
        self._values = set()
        self._external_values = {}
        self._grad_state = grad_state  # a backward loop's: its control_flow_state.GradLoopState
        self._set_outer(g._control_flow_context)

    @property
    def grad_state(self):
        return self._grad_state

    @property
    def maximum_iterations(self):
        return self._maximum_iterations

    @property
    def parallel_iterations(self):
        return self._parallel_iterations

    @property
    def back_prop(self):
        return self._back_prop

    @property
    def swap_memory(self):
        return self._swap_memory

    @property
    def pivot(self):
        """The loop's predicate (LoopCond's output)."""
        return self._pivot

    @property
    def loop_enters(self):
        return self._loop_enters

    @property
    def loop_exits(self):
        return self._loop_exits

    def GetWhileContext(self):  # noqa: N802 - TF's name
        return self

    def GetControlPivot(self):  # noqa: N802
        return self._pivot_for_body if self._pivot_for_body is not None else self._pivot_for_pred

    def AddValue(self, val):  # noqa: N802
        """The tensor that carries `val`, made outside the loop, into it: an Enter with is_constant, made once."""
        if val not in self._values and val._op._control_flow_context is not self:
            self._values.add(val)
            # in a backward loop, a value of its forward loop is the one the forward loop pushed for this iteration
            grad_ctxt = self._graph._control_flow_context
            grad_ctxt = grad_ctxt.GetWhileContext() if grad_ctxt is not None else None
            if grad_ctxt is not None and grad_ctxt._grad_state is not None:
                forward_ctxt = _get_while_context(val._op)
                if val._op._type in _EXIT_TYPES and forward_ctxt is not None:
                    forward_ctxt = forward_ctxt._outer_context
                    forward_ctxt = forward_ctxt.GetWhileContext() if forward_ctxt is not None else None
                if forward_ctxt is grad_ctxt._grad_state.forward_context:
                    real_val = grad_ctxt._grad_state.GetRealValue(val)
                    self._external_values[val] = real_val
                    return real_val
            result = val
            if self._outer_context is not None:
                result = self._outer_context.AddValue(val)
            with control_dependencies(None):  # leaves this context while the Enter is made
                enter = _enter(result, self._name, is_constant=True, parallel_iterations=self._parallel_iterations)
                self._graph.prevent_feeding(enter)
            self._fix_control_inputs_and_context([enter])
            self._values.add(enter)
            self._external_values[val] = enter
            return enter
        actual = self._external_values.get(val)
        return val if actual is None else actual

    def _context_for(self, op_type, inputs):
        """The context an op of `op_type` made here belongs to: in a backward loop, the Shape, Size or Rank of a
        forward value is made in the forward loop (only the shape is then kept for each iteration, as TF does)."""
        if op_type in ("Shape", "Size", "Rank") and inputs:
            grad_ctxt = self._graph._control_flow_context
            grad_ctxt = grad_ctxt.GetWhileContext() if grad_ctxt is not None else None
            if grad_ctxt is not None and grad_ctxt._grad_state is not None and \
                    _get_while_context(inputs[0]._op) is grad_ctxt._grad_state.forward_context:
                return inputs[0]._op._control_flow_context
        return self

    def _fix_control_inputs_and_context(self, enters):
        """Each Enter belongs to this loop, and waits for the control dependencies in force for its input's op
        made in the contexts around the loop (not beyond an enclosing loop)."""
        g = self._graph
        outer_while = self._outer_context.GetWhileContext() if self._outer_context is not None else None
        for e in enters:
            keep = []
            for c in g._control_inputs_for([e._op._inputs[0]._op]):
                ctx, ok = self._outer_context, True
                target = _output_context(c)
                while ctx is not target:
                    if ctx is None or ctx is outer_while:
                        ok = False
                        break
                    ctx = ctx._outer_context
                if ok:
                    keep.append(c)
            e._op._control_flow_context = self
            e._op._add_control_inputs(keep)
            for controller in g._control_dependencies_stack:
                controller._seen.add(e._op)

    def _inputs_for(self, name, inputs, control):
        """The inputs and control inputs of an op named `name` about to be made in this loop: values from outside
        through Enters; control inputs from outside the loop replaced by Identities of their values made inside
        (TF's rule: a control edge may not cross into a frame); the pivot for an op that would otherwise run
        before the iteration starts."""
        # (made in the name scope the op is made in, as TF's are: `while/Less/Enter` for `while/Less`)
        if inputs:
            inputs = [self.AddValue(x) for x in inputs]
        control, external = self._split_control(control)
        if not control and (not inputs or all(_is_loop_constant_enter(x._op) for x in inputs)):
            control.append(self.GetControlPivot()._op)
        if external:
            from .array_ops import identity
            with control_dependencies(None):
                self.Enter()
                control += [identity(c._outputs[0])._op for c in external if c._outputs]
                self.Exit()
        return inputs, control

    def _add_op(self, op):
        op._control_flow_context = self
        self._values.update(op._outputs)
        if self._outer_context is not None or op._type not in _EXIT_TYPES:
            self._graph.prevent_fetching(op)
            for t in op._outputs:
                self._graph.prevent_feeding(t)

    # ---- the gradient's loops (ops/control_flow_state.py)
    def AddForwardLoopCounter(self, outer_grad_state):  # noqa: N802 - TF's name
        """A loop variable counting this (forward) loop's iterations: (its Exit, its NextIteration). Called in the
        context around the loop."""
        from . import math_ops
        from .constant_op import constant
        n = constant(0, name="f_count")
        if outer_grad_state is not None:
            n._op._add_control_input(outer_grad_state.forward_index._op._inputs[0]._op)
        self.Enter()
        self.AddName(n)
        enter_n = _enter(n, self._name, is_constant=False, parallel_iterations=self._parallel_iterations,
                         name="f_count")
        self._loop_enters.append(enter_n)
        merge_n = merge([enter_n, enter_n])[0]
        switch_n = switch(merge_n, self._pivot)
        index = math_ops.add(switch_n[1], 1)
        next_n = _next_iteration(index)
        merge_n._op._update_input(1, next_n)
        total_iterations = exit(switch_n[0], name="f_count")
        self._loop_exits.append(total_iterations)
        self.ExitResult([total_iterations])
        self.Exit()
        return total_iterations, next_n

    def AddBackpropLoopCounter(self, count, outer_grad_state):  # noqa: N802
        """The backward loop's own counter, from `count` down to 0: its NextIteration. Called in the context
        around this (backward) loop."""
        from . import math_ops
        from .constant_op import constant
        one = constant(1, name="b_count")
        self.Enter()
        self.AddName(count)
        enter_count = _enter(count, self._name, is_constant=False, parallel_iterations=self._parallel_iterations,
                             name="b_count")
        self._loop_enters.append(enter_count)
        merge_count = merge([enter_count, enter_count])[0]
        self._pivot_for_pred = merge_count
        pred = math_ops.greater_equal(merge_count, one)
        self._pivot = loop_cond(pred, name="b_count")
        switch_count = switch(merge_count, self._pivot)
        index = math_ops.subtract(switch_count[1], one)
        self._pivot_for_body = index
        next_count = _next_iteration(index)
        merge_count._op._update_input(1, next_count)
        final_zero = exit(switch_count[0], name="b_count")
        self._loop_exits.append(final_zero)
        if outer_grad_state is not None:
            outer_grad_state.grad_sync._add_control_input(final_zero._op)
        self.ExitResult([final_zero])
        self.Exit()
        return next_count

    def AddBackpropAccumulator(self, op, grad):  # noqa: N802
        """The gradient of the loop constant that `op` (its Enter) brings in: the sum over the iterations of `grad`,
        a loop variable of this (backward) loop. Called in this context."""
        from . import array_ops, math_ops
        from .constant_op import constant
        self.Exit()
        shape = grad.shape
        if shape.is_fully_defined():
            if self._outer_context is not None:
                self._outer_context.Enter()
            acc = constant(0, grad.dtype.base_dtype, shape=shape.as_list(), name="b_acc")
            if self._outer_context is not None:
                self._outer_context.Exit()
        else:
            value = op._inputs[0]
            if isinstance(self._outer_context, WhileContext) and self._outer_context._grad_state is not None:
                forward_ctxt = self._grad_state.forward_context
                forward_ctxt._outer_context.Enter()
                zeros_shape = array_ops.shape(value)
                forward_ctxt._outer_context.Exit()
                outer_grad_state = self._grad_state.outer_grad_state
                history_zeros_shape = outer_grad_state.AddForwardAccumulator(zeros_shape)
                self._outer_context.Enter()
                real_shape = outer_grad_state.AddBackpropAccumulatedValue(history_zeros_shape, zeros_shape)
                acc = array_ops.zeros(real_shape, grad.dtype.base_dtype)
                self._outer_context.Exit()
            else:
                if self._outer_context is not None:
                    self._outer_context.Enter()
                acc = array_ops.zeros(array_ops.shape(value), grad.dtype.base_dtype)
                if self._outer_context is not None:
                    self._outer_context.Exit()
        self.Enter()
        self.AddName(acc)
        enter_acc = _enter(acc, self._name, is_constant=False, parallel_iterations=self._parallel_iterations,
                           name="b_acc")
        self._loop_enters.append(enter_acc)
        merge_acc = merge([enter_acc, enter_acc], name="b_acc")[0]
        switch_acc_false, switch_acc_true = switch(merge_acc, self._pivot)
        add_acc = math_ops.add(switch_acc_true, grad)
        next_acc = _next_iteration(add_acc)
        merge_acc._op._update_input(1, next_acc)
        result_acc = exit(switch_acc_false, name="b_acc")
        self._loop_exits.append(result_acc)
        self.ExitResult([result_acc])
        return result_acc

    def BuildLoop(self, pred, body, loop_vars, shape_invariants, return_same_structure):  # noqa: N802
        """Add the loop's condition and body to the graph; its exits, packed as `loop_vars` (a lone one unpacked
        unless `return_same_structure`)."""
        loop_vars = nest.map_structure(_loop_var_tensor, loop_vars)
        flat_orig = nest.flatten(loop_vars)
        flat_loop_vars = [_ta_to_flow(x) for x in flat_orig]  # a TensorArray goes round the loop as its flow
        if shape_invariants is None:
            invariants = [x.shape for x in flat_loop_vars]
        else:
            try:
                nest.assert_same_structure(loop_vars, shape_invariants)
            except (TypeError, ValueError) as e:
                raise ValueError("shape_invariants must have the structure of loop_vars: %s" % e) from None
            invariants = nest.flatten(shape_invariants)
            for s in invariants:
                if not isinstance(s, TensorShape):
                    raise TypeError("'shape' must be one of TypeSpec, TensorShape or None. Received: %s (write "
                                    "tf.TensorShape([None, 2]) for a shape invariant)" % type(s))
        self.Enter()
        try:
            original_body_result, exit_vars = self._build_loop(pred, body, loop_vars, flat_orig, flat_loop_vars,
                                                               invariants)
        finally:
            self.Exit()
        exit_vars = [_flow_to_ta(o, e) for o, e in zip(nest.flatten(original_body_result), exit_vars)]
        packed = nest.pack_sequence_as(original_body_result, exit_vars)
        if return_same_structure:
            return packed
        return packed[0] if len(exit_vars) == 1 else packed

    def _build_loop(self, pred, body, loop_vars, flat_orig, flat_loop_vars, invariants):
        from .array_ops import identity
        self._values = set(flat_loop_vars)
        if self._outer_context is not None:
            real_vars = [self._outer_context.AddValue(x) for x in flat_loop_vars]
        else:
            real_vars = flat_loop_vars
        enter_vars = []
        with control_dependencies(None):
            for real_var, invariant in zip(real_vars, invariants):
                enter_var = _enter(real_var, self._name, is_constant=False,
                                   parallel_iterations=self._parallel_iterations, use_input_shape=False)
                if not _shape_less_than_or_equal(real_var.shape, invariant):
                    raise ValueError(
                        "The shape invariant specified for %s is not compatible with the initial shape of the loop "
                        "variable. It enters the loop with shape %s, but the specified shape invariant is %s."
                        % (real_var.name, real_var.shape, invariant))
                enter_var.set_shape(invariant)
                self._graph.prevent_feeding(enter_var)
                enter_vars.append(enter_var)
        # a loop variable that is a loop constant of an enclosing loop waits for that loop's (or cond's) pivot
        outer, control_pivot = self._outer_context, None
        while outer is not None and control_pivot is None:
            control_pivot = outer.GetControlPivot()
            outer = outer._outer_context
        if control_pivot is not None:
            for var in enter_vars:
                if _is_loop_constant_enter(var._op._inputs[0]._op):
                    var._op._add_control_input(control_pivot._op)
        self._fix_control_inputs_and_context(enter_vars)
        self._values = set(enter_vars)
        self._loop_enters = enter_vars

        merge_vars = [merge([x, x])[0] for x in enter_vars]
        self._pivot_for_pred = merge_vars[0]
        c = convert_to_tensor(pred(*nest.pack_sequence_as(loop_vars, [_flow_to_ta(o, m) for o, m in
                                                                       zip(flat_orig, merge_vars)])))
        self._pivot = loop_cond(c, name="LoopCond")
        switch_vars = [_switch_ref_or_tensor(x, self._pivot) for x in merge_vars]
        vars_for_body = [identity(x[1]) for x in switch_vars]
        self._pivot_for_body = vars_for_body[0]
        packed_vars_for_body = nest.pack_sequence_as(loop_vars, [_flow_to_ta(o, v) for o, v in
                                                                 zip(flat_orig, vars_for_body)])
        body_result = body(*packed_vars_for_body)
        if not isinstance(body_result, (list, _tuple, dict)):
            body_result = [body_result]
        body_result = nest.map_structure(_loop_var_value, body_result)
        try:
            nest.assert_same_structure(list(packed_vars_for_body), list(body_result))
        except (TypeError, ValueError) as e:
            raise ValueError("body must return the structure of loop_vars (%d loop variables): %s"
                             % (len(merge_vars), e)) from None
        result = [convert_to_tensor(_ta_to_flow(x)) for x in nest.flatten(body_result)]
        for m, v in zip(merge_vars, result):
            _add_next_and_back_edge(m, v)
        exit_vars = [exit(x[0]) for x in switch_vars]
        self._loop_exits = exit_vars
        self.ExitResult(exit_vars)
        return body_result, exit_vars


def _loop_var_value(x):
    """A loop variable's (or a cond branch result's) tensor: a Variable's value (TF's convert_variables_to_tensors)."""
    if hasattr(x, "_as_graph_element") and not isinstance(x, Tensor) and hasattr(x, "value"):
        return x.value()
    return x


def _is_tensor_array(x):
    from .tensor_array_ops import TensorArray
    return isinstance(x, TensorArray)


def _ta_to_flow(x):
    return x.flow if _is_tensor_array(x) else x


def _flow_to_ta(orig, flow):
    """`flow` as the TensorArray `orig` was, if it was one (TF's _convert_flow_to_tensorarray)."""
    if _is_tensor_array(orig):
        from .tensor_array_ops import build_ta_with_new_flow
        return build_ta_with_new_flow(orig, flow)
    return flow


def _loop_var_tensor(x):
    if _is_tensor_array(x):
        return x
    if isinstance(x, Operation):
        raise TypeError("A loop variable must be a tensor, not the operation '%s'." % x.name)
    return convert_to_tensor(_loop_var_value(x))


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10, back_prop=True,
               swap_memory=False, name=None, maximum_iterations=None, return_same_structure=False):
    """Repeat `body` while `cond` is true: TF 1.x's loop in the graph (a frame of Enter, Merge, LoopCond, Switch,
    NextIteration and Exit ops). `cond(*vars)` returns a scalar bool tensor, `body(*vars)` the next values of the
    loop variables (the structure of `loop_vars`, the same dtypes and shapes unless `shape_invariants` allows
    others). Both are called once, now, to build the graph; a run repeats them. `maximum_iterations` caps the
    count. tf.gradients differentiates through the loop as TF 1.x does, with a backward loop
    (ops/control_flow_state.py); back_prop=False stops gradients at the loop. tfmini runs a loop's iterations on the
    CPU, also in a session with a GPU.

    >>> i, total = tf.while_loop(lambda i, s: i < 10, lambda i, s: (i + 1, s + i), [0, 0])
    >>> sess.run(total)
    45
    """
    if not callable(cond):
        raise TypeError("cond must be callable.")
    if not callable(body):
        raise TypeError("body must be callable.")
    if isinstance(parallel_iterations, bool) or not isinstance(parallel_iterations, int) or parallel_iterations < 1:
        raise TypeError("parallel_iterations must be a positive integer.")
    if not isinstance(loop_vars, (list, _tuple, dict)):
        raise TypeError("loop_vars must be a list or tuple of the loop's variables: write [%s]"
                        % getattr(loop_vars, "name", loop_vars))
    loop_vars = nest.map_structure(_loop_var_value, loop_vars)
    with name_scope(name, "while", [x for x in nest.flatten(loop_vars) if isinstance(x, Tensor)]):
        if not loop_vars:
            raise ValueError("No loop variables provided")
        if maximum_iterations is not None:
            from . import math_ops
            from .constant_op import constant
            maximum_iterations = convert_to_tensor(maximum_iterations, name="maximum_iterations")
            if maximum_iterations.shape.ndims != 0:
                raise ValueError("maximum_iterations must be a scalar, saw shape: %s" % maximum_iterations.shape)
            counter = constant(0, dtype=maximum_iterations.dtype, name="iteration_counter")
            orig_cond, orig_body, limit = cond, body, maximum_iterations
            if len(loop_vars) == 1 and not return_same_structure:  # TF's try_to_pack
                loop_vars = (counter, loop_vars[0])

                def cond(i, lv):
                    return math_ops.logical_and(i < limit, orig_cond(lv))

                def body(i, lv):
                    return (i + 1, orig_body(lv))
            else:
                loop_vars = (counter, loop_vars)

                def cond(i, lv):
                    return math_ops.logical_and(i < limit, orig_cond(*lv))

                def body(i, lv):
                    return (i + 1, orig_body(*lv))
            if shape_invariants is not None:
                shape_invariants = (TensorShape([]), shape_invariants)
        ctx = WhileContext(maximum_iterations, parallel_iterations, back_prop, swap_memory)
        if ctx._outer_context is None:
            add_to_collection(GraphKeys.WHILE_CONTEXT, ctx)
        result = ctx.BuildLoop(cond, body, loop_vars, shape_invariants, return_same_structure)
        if maximum_iterations is not None:
            return result[1]
        return result


register_proto_function(GraphKeys.WHILE_CONTEXT, _while_context_to_proto, _while_context_from_proto)
