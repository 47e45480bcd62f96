"""When each op of a plan runs, in a graph with tf.cond's Switch and Merge ops: the plan's `if`s.

TF's executor runs a Switch's data to one of its two outputs and marks the other "dead"; an op with a dead input
(or a dead control input) is dead too and does not run, until a Merge, whose output is whichever input is live.
A plan is straight-line code, so it decides the same thing statically: each value gets a *guard*, the conditions
under which it is computed, as a set of literals (key, polarity) that must all hold. A key is a Switch's predicate
tensor (its value, as a Python bool, is a local of the plan) or, rarely, a Merge whose inputs' guards do not cover
all cases (its own local says whether any input was live). An op runs under `if <its guard>:`.
"""
import itertools

from ..framework import errors
from ..framework.op_registry import debug_string

__all__ = ["SWITCH_TYPES", "MERGE_TYPES", "Guards", "analyze", "pred_value"]

SWITCH_TYPES = frozenset(("Switch", "RefSwitch"))
MERGE_TYPES = frozenset(("Merge", "RefMerge"))
CONTROL_FLOW_TYPES = SWITCH_TYPES | MERGE_TYPES
_EMPTY = frozenset()
_TAUTOLOGY_KEYS = 12  # up to 2**12 cases are checked when deciding whether a Merge always has a live input


def pred_value(v):
    """A Switch's predicate as a Python bool; TF's InvalidArgumentError unless it is a scalar."""
    if v.ndim:
        raise errors.InvalidArgumentError(
            None, None, "The second input must be a scalar, but it has shape %s" % debug_string(v.shape))
    return bool(v)


class Guards:
    """The guards of one plan's ops and values (see the module's docstring).

    op_guard:   op -> the literals under which it runs (Switch: its inputs'; Merge: the common part of its inputs')
    guard_of:   tensor -> the literals under which it has a value (a feed always has one)
    defines:    op -> [(key tensor, its local's name, the guard under which it is set, the Switch it serves)]: the
                predicate locals to set right after `op` computes the key (None for a fed key; a plan sets those,
                and those of ops it computed when it was built, when the run starts)
    merges:     Merge op -> for each input, the literals beyond the Merge's own guard that make it live
    """

    def __init__(self):
        self.op_guard = {}
        self.guard_of = {}
        self.defines = {}
        self.merges = {}
        self.position = {}  # literal key -> an order of the keys in which each is set after those it depends on
        self.local = {}     # literal key -> its local's name

    def tensor_guard(self, t):
        return self.guard_of.get(t, _EMPTY)

    def expr(self, guard):
        """Python source that is true when every literal of `guard` holds; literals set first are tested first, so
        a literal is read only where the literals its own definition depends on hold."""
        parts = []
        for key, value in sorted(guard, key=lambda lit: (self.position[lit[0]], self.local[lit[0]], lit[1])):
            parts.append(self.local[key] if value else "not " + self.local[key])
        return " and ".join(parts)


def _always_one_holds(rests):
    """Whether, for every value of the keys involved, at least one of the conjunctions `rests` holds."""
    if any(not r for r in rests):
        return True
    keys = list({k: None for r in rests for k, _ in r})
    if len(keys) > _TAUTOLOGY_KEYS:
        return False
    for values in itertools.product((False, True), repeat=len(keys)):
        assign = dict(zip(keys, values))
        if not any(all(assign[k] == v for k, v in r) for r in rests):
            return False
    return True


def _canonical(t, feeds):
    """The tensor whose value a predicate `t` has: through Identity (tf.cond's pred_id) and Switch (a predicate
    brought into a branch), so that the two branches of one cond test the same literal; not through a variable's
    storage (it changes) or a feed (it replaces the value)."""
    while t not in feeds and (t._op._type == "Identity" or t._op._type in SWITCH_TYPES):
        src = t._op._inputs[0]
        if src._dtype._is_ref:
            break
        t = src
    return t


def analyze(order, feeds):
    """The Guards of the ops `order` (a plan's ops in execution order) given the fed tensors; None when none of them
    is a Switch (a plan without control flow: every op always runs)."""
    if not any(op._type in SWITCH_TYPES for op in order):
        return None
    g = Guards()
    in_plan = set(order)
    index = {op: i for i, op in enumerate(order)}
    for op in order:
        control = set()
        for c in op._control_inputs:
            if c in in_plan:
                control |= g.op_guard.get(c, _EMPTY)
        if op._type in MERGE_TYPES:
            ins = [_EMPTY if t in feeds else g.guard_of.get(t, _EMPTY) for t in op._inputs]
            common = frozenset.intersection(*ins) if ins else _EMPTY
            rests = [gi - common for gi in ins]
            g.merges[op] = rests
            own = common | control
            out = own
            if not _always_one_holds(rests):  # a Merge that may have no live input: a literal of its own
                g.position[op] = (index[op], 1)
                g.local[op] = "m%d" % op._id
                out = own | {(op, True)}
            g.op_guard[op] = own
            for t in op._outputs:
                g.guard_of[t] = frozenset(out)
            continue
        guard = set(control)
        for t in op._inputs:
            if t not in feeds:
                guard |= g.guard_of.get(t, _EMPTY)
        guard = frozenset(guard)
        g.op_guard[op] = guard
        if op._type in SWITCH_TYPES:
            pred = _canonical(op._inputs[1], feeds)
            if pred not in g.local:
                maker = None if pred in feeds else pred._op
                g.position[pred] = (index.get(maker, -1), 0)
                g.local[pred] = "p%d_%d" % (pred._op._id, pred._value_index)
                pred_guard = _EMPTY if pred in feeds else g.guard_of.get(pred, _EMPTY)
                g.defines.setdefault(maker, []).append((pred, g.local[pred], pred_guard, op))
            g.guard_of[op._outputs[0]] = guard | {(pred, False)}
            g.guard_of[op._outputs[1]] = guard | {(pred, True)}
        else:
            for t in op._outputs:
                g.guard_of[t] = guard
    return g
