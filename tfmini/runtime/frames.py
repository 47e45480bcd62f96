"""How plans run tf.while_loop's frames.

TF's executor runs the ops of a loop in a *frame*, made by the loop's Enter ops (their `frame_name`) and left
through its Exit ops; a frame holds one set of values per iteration. A plan is straight-line code, so it takes a
frame whole: one step of the plan (a `WhileFrame`, standing where the frame's Exit ops would) that reads the values
entering the loop and returns those leaving it. The step calls two plans of the frame's own, built like any other:
the condition (from the loop variables' values, computing LoopCond) and the body (from the same values, computing
what each NextIteration receives), repeating the body while the condition holds. A frame nested in the body is a
step of the body's plan, in the same way. A loop's frame runs on the CPU (a device plan moves its inputs to the
host).

Which frame an op is in follows from the graph alone, as in TF's executor: an Enter starts its frame inside the
frame of its input, an Exit leaves to the frame around, and any other op is in the frame of its first input (or
first control input). So graphs imported from a GraphDef run the same way as those built here.
"""
import weakref

import numpy as np

from ..framework import errors
from ..framework.op_registry import OpDef
from .control_flow import pred_value

__all__ = ["LOOP_TYPES", "WhileFrame", "check_placement", "collapse", "has_loop_ops", "in_loop"]

ENTER_TYPES = frozenset(("Enter", "RefEnter"))
EXIT_TYPES = frozenset(("Exit",))
NEXT_TYPES = frozenset(("NextIteration",))
LOOP_TYPES = ENTER_TYPES | EXIT_TYPES | NEXT_TYPES | {"LoopCond"}


class _Frame:
    """A loop's frame: its name (the Enter ops' frame_name) within the frame around it (None: the top level)."""

    __slots__ = ("name", "parent")

    def __init__(self, name, parent):
        self.name = name
        self.parent = parent

    def __repr__(self):
        return "<frame %s>" % self.name


# graph -> ({op: its frame}, {(parent frame, frame_name): frame}); an op's frame never changes once it exists
_CACHE = weakref.WeakKeyDictionary()


def _node_suffix(op):
    from ..framework.ops import format_user_frame
    return "\n\t [[node %s (defined at %s) ]]" % (op.name, format_user_frame(op.traceback))


def _bad_graph(op, why):
    return errors.InvalidArgumentError(None, op, "tfmini cannot run the loop of node %s: %s%s"
                                       % (op.name, why, _node_suffix(op)))


def _frame_of(op):
    """The frame `op` runs in (None: the top level)."""
    cache, frames = _CACHE.setdefault(op._graph, ({}, {}))
    if op in cache:
        return cache[op]
    path, seen = [], set()
    o = op
    while o is not None and o not in cache:
        if o in seen:
            raise _bad_graph(op, "its ops form a cycle that does not pass through a loop's Merge")
        seen.add(o)
        path.append(o)
        o = o._inputs[0]._op if o._inputs else (o._control_inputs[0] if o._control_inputs else None)
    frame = cache[o] if o is not None else None
    for o in reversed(path):
        if o._type in ENTER_TYPES:
            key = (frame, o._attrs.get("frame_name", ""))
            frame = frames.get(key) or frames.setdefault(key, _Frame(key[1], frame))
        elif o._type in EXIT_TYPES:
            if frame is None:
                raise _bad_graph(o, "it leaves a loop it is not in")
            frame = frame.parent
        cache[o] = frame
    return frame


def _child(level, op):
    """The frame, directly inside `level`, whose computation `op` is part of (its Exit ops included); None when
    `op` runs in `level` itself, and for a variable made outside it (its storage: an assignment inside a loop)."""
    frame = _frame_of(op._inputs[0]._op) if op._type in EXIT_TYPES and op._inputs else _frame_of(op)
    if frame is level:
        return None
    while frame is not None and frame.parent is not level:
        frame = frame.parent
    if frame is None:
        if op._op_def.session_constant:
            return None
        raise _bad_graph(op, "a value made outside the loop reaches it without an Enter")
    return frame


def _child_or_none(level, op):
    """`_child`, or None for an op outside `level` (scanning a whole graph for one frame's ops)."""
    try:
        return _child(level, op)
    except errors.InvalidArgumentError:
        return None


_REF_FORWARDING = ("RefSwitch", "RefIdentity", "RefEnter")


def ref_variable(t):
    """The variable (its op's output) whose storage the reference `t` is, through the ops that pass a reference on
    (a tf.cond's RefSwitch, an outer loop's RefEnter); None when it is not one variable's."""
    while not t._op._op_def.session_constant:
        if t._op._type not in _REF_FORWARDING:
            return None
        t = t._op._inputs[0]
    return t


def in_loop(op):
    """Whether `op` runs inside a loop's frame (an Exit runs in the frame around its loop); False for an op whose
    inputs form a cycle no loop's Merge closes."""
    try:
        return _frame_of(op) is not None
    except errors.InvalidArgumentError:
        return False


def has_loop_ops(ops):
    return any(op._type in LOOP_TYPES for op in ops)


def collapse(fetch_ops, feeds, level=None):
    """The ops a run in frame `level` needs, starting from `fetch_ops`, with each loop directly inside `level` taken
    as one WhileFrame; and a map from every op of those loops to its WhileFrame (to order the ops)."""
    if level is None:  # a graph imported without its loops' contexts: what construction would have refused
        for op in fetch_ops:
            if op._type not in EXIT_TYPES and _child(level, op) is not None:
                raise ValueError("Operation %r has been marked as not fetchable. (It is inside a tf.while_loop, which "
                                 "computes it once per iteration: fetch the loop's result.)" % op.name)
        for t in feeds:
            if t._op._type not in EXIT_TYPES and _child(level, t._op) is not None:
                raise ValueError("Tensor %s may not be fed. (It is a value of a tf.while_loop, which each iteration "
                                 "computes anew.)" % t.name)
    # A loop is one step, built once the walk knows which of its Exits the run needs: it runs only the loop
    # variables those (and the condition) depend on, as TF's pruning does. A frame reached again later, for more of
    # its Exits, is built again.
    reached = {}   # frame -> the set of its Exit ops the walk reached
    nodes = {}     # frame -> its WhileFrame for the Exits reached so far
    needed = set()
    stack = list(fetch_ops)
    while True:
        while stack:
            op = stack.pop()
            if op in needed:
                continue
            if op.__class__ is not WhileFrame:
                child = _child(level, op)
                if child is not None:
                    reached.setdefault(child, set()).add(op)
                    continue
            needed.add(op)
            if op._type == "RefEnter" and level is not None:  # (not fed: a variable's, which WhileFrame checked)
                stack.append(ref_variable(op._inputs[0])._op)  # the variable's storage
                continue
            for t in op._inputs:
                if t not in feeds:
                    stack.append(t._op)
            for c in op._control_inputs:
                # a control input on a fed placeholder is satisfied by the feed; in a loop's plans, so is one on an op
                # whose value the plan is given (the condition's constants wait for the first loop variable's Merge)
                if not (c._outputs and c._outputs[0] in feeds and (level is not None or c._type == "Placeholder")):
                    stack.append(c)
        changed = False
        for child, ops in reached.items():
            old = nodes.get(child)
            if old is not None and old.reached == ops:
                continue
            node = WhileFrame(child, next(iter(ops))._graph, level, frozenset(ops))
            if old is not None:
                needed.discard(old)
            nodes[child] = node
            stack.append(node)
            changed = True
        if not changed:
            break
    rep = {m: node for node in nodes.values() for m in node.members}
    return needed, rep


_FRAME_DEF_FIELDS = dict(grad=None, stateful=True, ref_inputs=(), needs_ctx=False, aliases_input=True,
                         broadcasting=False, module=__name__, cpu_only=True)


class WhileFrame:
    """A loop's frame as one step of the plan of the frame around it (see the module's docstring). It looks like an
    Operation to the plan builder: its inputs are the values entering the loop (the loop variables' first values,
    then the loop constants), its outputs the Exit ops' values, its control inputs those of its ops from outside."""

    __slots__ = ("frame", "members", "name", "_type", "_inputs", "_outputs", "_control_inputs", "_id", "_op_def",
                 "_attrs", "_device", "traceback", "_graph", "_control_flow_context", "_loop_cond", "_merges",
                 "_switches", "_const_enters", "_exits", "_exit_index", "ref_variables", "_plans", "reached")

    def __init__(self, frame, graph, level, reached):
        self.frame = frame
        self._graph = graph
        self.reached = reached  # the Exit ops (or other ops) of the loop that the run needs
        members = [op for op in graph._ops if _child_or_none(level, op) is frame]
        self.members = members
        self._type = "WhileFrame"
        self._attrs = {}
        self._device = ""
        self._control_flow_context = None
        own = [op for op in members if op._type not in EXIT_TYPES and _frame_of(op) is frame]
        conds = [op for op in own if op._type == "LoopCond"]
        if len(conds) != 1:
            raise _bad_graph(members[0], "its frame '%s' has %d LoopCond ops (a loop has one)" % (frame.name,
                                                                                                 len(conds)))
        self._loop_cond = conds[0]
        pred = self._loop_cond._outputs[0]
        enters = [op for op in own if op._type in ENTER_TYPES]
        var_enters = [op for op in enters if not op._attrs.get("is_constant", False)]
        merges, read = {}, set()
        for op in own:
            if op._type == "Merge" and len(op._inputs) == 2 and op._inputs[0]._op in var_enters:
                merges[op._inputs[0]._op] = op
            read.update(t._op for t in op._inputs)
        for e in var_enters:
            if e not in merges and e in read:
                raise _bad_graph(e, "a loop variable's Enter is not the first input of a Merge")
        # (an Enter nothing in the loop reads - the gradient of a loop result nothing used - is no loop variable)
        all_vars = [e for e in var_enters if e in merges]
        switch_of = {}
        for op in own:
            if op._type == "Switch" and len(op._inputs) == 2 and op._inputs[1] is pred:
                switch_of[op._inputs[0]] = op
        for e in all_vars:
            m = merges[e]
            if m._outputs[0] not in switch_of or m._inputs[1]._op._type not in NEXT_TYPES:
                raise _bad_graph(m, "the loop variable's Merge has no Switch on the LoopCond, or no NextIteration")
        exits = sorted((op for op in reached if op._type in EXIT_TYPES and _frame_of(op._inputs[0]._op) is frame),
                       key=lambda op: op._id)
        # what the run needs of the loop: the loop variables the condition and the needed Exits depend on (through the
        # other variables' next values, and the control inputs of their NextIterations), and the loop constants read
        var_of = {merges[e]: e for e in all_vars}
        member_set = set(members)
        used_vars, used_consts, outside_control = set(), set(), []
        work = [self._loop_cond] + [e._inputs[0]._op for e in exits]
        seen = set()
        while work:
            op = work.pop()
            if op in seen or op not in member_set:
                continue
            seen.add(op)
            e = var_of.get(op)
            if e is not None:
                if e not in used_vars:
                    used_vars.add(e)
                    work.append(op._inputs[1]._op)  # its NextIteration: its next value, and what that waits for
                continue
            if op._type in ENTER_TYPES and _frame_of(op) is frame:
                used_consts.add(op)
                outside_control.extend(c for c in op._control_inputs if c not in member_set)
                continue
            work.extend(t._op for t in op._inputs)
            for c in op._control_inputs:
                if c in member_set:
                    work.append(c)
                else:
                    outside_control.append(c)
        var_enters = [e for e in all_vars if e in used_vars]
        self._merges = [merges[e] for e in var_enters]
        self._switches = [switch_of[m._outputs[0]] for m in self._merges]
        index_of_switch = {s: i for i, s in enumerate(self._switches)}
        self._exits = exits
        # an Exit reads a loop variable's Switch (the value when the predicate turned false), or a value computed
        # from those (a gradient's gated Identity of it): then the frame has a plan for its exit values too
        self._exit_index = []
        for e in exits:
            src = e._inputs[0]
            if src._op not in index_of_switch or src._value_index != 0:
                self._exit_index = None
                break
            self._exit_index.append(index_of_switch[src._op])
        # loop constants: values come in; a variable's reference (an assignment inside the loop) is the variable's
        # storage, which the frame's plans find themselves
        self._const_enters, self.ref_variables = [], []
        control = [c for e in var_enters for c in e._control_inputs] + outside_control
        for e in enters:
            if e not in used_consts or not e._attrs.get("is_constant", False):
                continue
            src = e._inputs[0]
            var = ref_variable(src) if src._dtype._is_ref else None
            if var is not None:
                self.ref_variables.append(var._op)
                if src is not var:
                    control.append(src._op)  # (a cond's RefSwitch: the loop runs where the cond's branch does)
            else:
                # a value; also another op's reference (an assignment's result): its value when the loop starts
                self._const_enters.append(e)
        self._inputs = tuple([e._inputs[0] for e in var_enters] + [e._inputs[0] for e in self._const_enters])
        self._outputs = tuple(e._outputs[0] for e in exits)
        self._control_inputs = list(dict.fromkeys(c for c in control if c not in member_set))
        last = exits[-1] if exits else self._loop_cond
        self._id = last._id
        self.name = frame.name
        self.traceback = last.traceback
        self._op_def = None  # set by prepare(): its kernel runs the loop
        self._plans = None

    @property
    def type(self):
        return self._type

    def prepare(self, state, build_plan):
        """Build the frame's condition and body plans for the session `state` (`build_plan`: the executor's)."""
        if self._op_def is not None:
            return
        merges = [m._outputs[0] for m in self._merges]
        consts = [e._outputs[0] for e in self._const_enters]
        bodies = [s._outputs[1] for s in self._switches]
        next_ops = [m._inputs[1]._op for m in self._merges]
        nexts = [op._inputs[0] for op in next_ops]
        cond = build_plan(state, [self._loop_cond._outputs[0]], (), merges + consts, np, level=self.frame)
        # (the NextIteration ops run too: what waits for the iteration to end is their control inputs, as the pushes
        # of a loop's gradient on the iteration counter's)
        body = build_plan(state, nexts, next_ops, merges + bodies + consts, np, level=self.frame)
        exit_plan = None
        if self._exit_index is None:
            exit_plan = build_plan(state, [e._inputs[0] for e in self._exits], (),
                                   merges + [s._outputs[0] for s in self._switches] + consts, np, level=self.frame)
        self._plans = (cond, body, exit_plan)
        self._op_def = OpDef("WhileFrame", None, _LoopKernel(cond, body, exit_plan, len(merges), self._exit_index,
                                                             self._loop_cond), **_FRAME_DEF_FIELDS)


class _LoopKernel:
    """The kernel of a WhileFrame: `k(xp, *loop variables' first values, *loop constants)` -> the exits' values."""

    __slots__ = ("cond", "body", "exit_plan", "n", "exit_index", "loop_cond")

    def __init__(self, cond, body, exit_plan, n, exit_index, loop_cond):
        self.cond, self.body, self.exit_plan = cond, body, exit_plan
        self.n, self.exit_index, self.loop_cond = n, exit_index, loop_cond

    def __call__(self, xp, *inputs):
        n = self.n
        values, consts = list(inputs[:n]), inputs[n:]
        cond, body = self.cond, self.body
        cond_fn, body_fn = cond._fn, body._fn
        while True:
            try:
                p = cond_fn(*values, *consts)[0]
            except Exception as e:
                cond._reraise(e)
                raise
            try:
                go = pred_value(p)
            except errors.OpError as e:
                raise type(e)(None, self.loop_cond, e.message + _node_suffix(self.loop_cond)) from None
            if not go:
                break
            try:
                values = body_fn(*values, *values, *consts)
            except Exception as e:
                body._reraise(e)
                raise
        if self.exit_plan is None:
            out = tuple(values[i] for i in self.exit_index)
        else:
            try:
                out = tuple(self.exit_plan._fn(*values, *values, *consts))
            except Exception as e:
                self.exit_plan._reraise(e)
                raise
        return out[0] if len(out) == 1 else out


def check_placement(node, devices):
    """In a session with a GPU: the loop's ops run on the CPU (log_device_placement says so); a variable the loop
    assigns must be kept there too (InvalidArgumentError, saying how, otherwise)."""
    from .device import CPU, DEVICE_NAMES, GPU
    for v in node.ref_variables:
        if devices.place(v) == GPU:
            raise errors.InvalidArgumentError(
                None, v, "tfmini runs the iterations of tf.while_loop '%s' on the CPU, and the loop assigns variable "
                "'%s', which is kept on %s. Create the variable under tf.device('/cpu:0'), or assign it after the "
                "loop." % (node.name, v.name, DEVICE_NAMES[GPU]))
    devices.run_on(node.members, CPU)
