"""Per-session state: variable storage slots and per-op random generators.

A Graph only describes a computation; everything that has a value between two `Session.run`
calls lives here, so two sessions on one graph hold different values (as in TensorFlow).
"""
from ..framework import errors

__all__ = ["SessionState", "VariableSlot", "OpContext", "deref"]


class VariableSlot:
    """The storage of one variable in one session; `value` is None until it is initialized."""

    __slots__ = ("value", "op")

    def __init__(self, op):
        self.value = None
        self.op = op

    def __repr__(self):
        return "<VariableSlot %s %s>" % (self.op.name, "uninitialized" if self.value is None else
                                         "%s%s" % (self.value.dtype, list(self.value.shape)))


def deref(slot):
    """The current value of a variable slot; TF's FailedPreconditionError if it has none."""
    v = slot.value
    if v is None:
        raise errors.FailedPreconditionError(None, slot.op, "Attempting to use uninitialized value %s"
                                             % slot.op.name)
    return v


class OpContext:
    """What a stateful kernel may touch: its op, its session's state, its variable slot, its RNG."""

    __slots__ = ("op", "state", "_slot", "_rng")

    def __init__(self, state, op):
        self.op = op
        self.state = state
        self._slot = None
        self._rng = None

    @property
    def slot(self):
        if self._slot is None:
            self._slot = self.state.slot_for(self.op)
        return self._slot

    @property
    def rng(self):
        """A numpy Generator seeded from the op's (seed, seed2): the same sequence in every session;
        seeds (0, 0) mean non-deterministic, as in TF."""
        if self._rng is None:
            import numpy as np
            seed = self.op._attrs.get("seed", 0) or 0
            seed2 = self.op._attrs.get("seed2", 0) or 0
            if seed == 0 and seed2 == 0:
                self._rng = np.random.default_rng()
            else:
                self._rng = np.random.default_rng([seed & 0xFFFFFFFF, seed2 & 0xFFFFFFFF])
        return self._rng


class SessionState:
    """All values a session holds between runs."""

    def __init__(self):
        self.slots = {}      # VariableV2 op -> VariableSlot
        self.contexts = {}   # op -> OpContext
        self.resources = {}  # key -> a resource this session holds (a tf.data iterator, a function's plan)

    # Sessions run in threads (as TF's): two threads that build plans at once may both ask for the same slot,
    # context or resource. `setdefault` hands both the one object that went in first (a second one made in the
    # race is dropped before anything holds it), so a variable never has two storages.
    def slot_for(self, op):
        s = self.slots.get(op)
        return s if s is not None else self.slots.setdefault(op, VariableSlot(op))

    def context_for(self, op):
        c = self.contexts.get(op)
        return c if c is not None else self.contexts.setdefault(op, OpContext(self, op))

    def resource(self, key, make):
        """The resource the session holds under `key`, made by `make()` the first time (once, across threads)."""
        r = self.resources.get(key)
        return r if r is not None else self.resources.setdefault(key, make())

    def function_runner(self, function):
        """`run(values) -> list of arrays`: a traced function's graph run on this state's values (see
        executor.function_runner; how ops run a function without reaching into the runtime)."""
        from .executor import function_runner  # (the executor imports this module)
        return function_runner(self, function)

    def clear(self):
        # a resource that threads may wait on (a queue) ends their waits first (TF's CancelledError), so that the
        # threads of tf.train.start_queue_runners end when the session closes
        for r in list(self.resources.values()):
            cancel = getattr(r, "cancel", None)
            if cancel is not None:
                cancel()
        self.slots.clear()
        self.contexts.clear()
        self.resources.clear()
