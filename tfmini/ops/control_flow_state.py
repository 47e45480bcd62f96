"""The gradient of tf.while_loop as TF 1.x builds it: a backward loop for each forward loop that tf.gradients
crosses.

The forward loop gets a counter (`f_count`): how many iterations ran. The backward loop (a WhileContext whose
`grad_state` is the GradLoopState below) runs that many times (`b_count`). A forward value that a gradient needs is
pushed on a stack in every forward iteration (StackPushV2 on a StackV2 made outside the loop, `f_acc`) and popped in
the backward iteration that needs it (StackPopV2), so the backward loop sees the iterations' values in reverse order.
A loop variable's gradient enters the backward loop where its Exit was (`b_exit`), goes round through a Merge
(`b_switch`) and leaves where its Enter was; a loop constant's gradient is summed over the iterations (`b_acc`).
tfmini's plans run these loops like any other (runtime/frames.py); the stacks are Python lists made by each run.
"""
from ..framework import dtypes
from ..framework.ops import control_dependencies
from .control_flow_ops import _get_while_context, _output_context

__all__ = ["GradLoopState", "ControlFlowState", "maybe_create_control_flow_state", "is_loop_exit",
           "is_loop_switch"]


def is_loop_exit(op):
    return op._type == "Exit"


def is_loop_switch(op):
    """A Switch of a loop (its predicate is the loop's LoopCond)."""
    from .control_flow_ops import WhileContext
    return op._type in ("Switch", "RefSwitch") and isinstance(op._control_flow_context, WhileContext)


def _loop_constant_enter(value):
    """The Enter (with is_constant) that `value` is, through Identity ops, or None."""
    op = value._op
    while op._type in ("Identity", "RefIdentity"):
        op = op._inputs[0]._op
    return op if op._type in ("Enter", "RefEnter") and op._attrs.get("is_constant", False) else None


class GradLoopState:
    """One forward loop and the backward loop of its gradient: their counters, the forward values kept for the
    backward loop (`history_map`), and the backward Merge of each loop Switch's gradient (`switch_map`)."""

    def __init__(self, forward_ctxt, outer_grad_state):
        from .control_flow_ops import WhileContext
        self._outer_grad_state = outer_grad_state
        self._forward_sync = None
        self._grad_sync = None
        self._history_map = {}
        self._switch_map = {}
        self._unused_exits = []
        self._deferred_exits = []
        self._forward_loop_exits = list(forward_ctxt.loop_exits)
        self._pending_exits_count = len(forward_ctxt.loop_exits)
        outer_forward_ctxt = outer_grad_state.forward_context if outer_grad_state else forward_ctxt._outer_context
        g = forward_ctxt._graph
        with g.as_default():
            if outer_forward_ctxt is not None:
                outer_forward_ctxt.Enter()
            cnt, forward_index = forward_ctxt.AddForwardLoopCounter(outer_grad_state)
            if outer_forward_ctxt is not None:
                outer_forward_ctxt.Exit()
        self._forward_context = forward_ctxt
        self._forward_index = forward_index
        if outer_grad_state is not None:
            outer_forward_ctxt.AddName(cnt)
            history_cnt = outer_grad_state.AddForwardAccumulator(cnt)
            outer_grad_ctxt = outer_grad_state.grad_context
            outer_grad_ctxt.Enter()
            self._grad_context = WhileContext(forward_ctxt.maximum_iterations, forward_ctxt.parallel_iterations,
                                              forward_ctxt.back_prop, forward_ctxt.swap_memory,
                                              name=forward_ctxt.name, grad_state=self)
            real_cnt = outer_grad_state.AddBackpropAccumulatedValue(history_cnt, cnt)
            self._grad_index = self._grad_context.AddBackpropLoopCounter(real_cnt, outer_grad_state)
            outer_grad_ctxt.Exit()
        else:
            if outer_forward_ctxt is not None:
                outer_forward_ctxt.Enter()
            self._grad_context = WhileContext(forward_ctxt.maximum_iterations, forward_ctxt.parallel_iterations,
                                              forward_ctxt.back_prop, forward_ctxt.swap_memory,
                                              name=forward_ctxt.name, grad_state=self)
            self._grad_index = self._grad_context.AddBackpropLoopCounter(cnt, outer_grad_state)
            if outer_forward_ctxt is not None:
                outer_forward_ctxt.Exit()

    @property
    def outer_grad_state(self):
        return self._outer_grad_state

    @property
    def forward_context(self):
        return self._forward_context

    @property
    def forward_index(self):
        return self._forward_index

    @property
    def grad_context(self):
        return self._grad_context

    @property
    def grad_index(self):
        return self._grad_index

    @property
    def history_map(self):
        return self._history_map

    @property
    def switch_map(self):
        return self._switch_map

    @property
    def unused_exits(self):
        return self._unused_exits

    @property
    def deferred_exits(self):
        return self._deferred_exits

    @property
    def forward_loop_exits(self):
        return self._forward_loop_exits

    @property
    def forward_sync(self):
        """A ControlTrigger in the forward loop that its counter waits for (pushes made inside a cond wait on it)."""
        from .control_flow_ops import control_trigger
        if self._forward_sync is None:
            with control_dependencies(None):
                self._forward_sync = control_trigger(name="f_sync")
            self._forward_sync._control_flow_context = self._forward_context
            self._forward_index._op._add_control_input(self._forward_sync)
        return self._forward_sync

    @property
    def grad_sync(self):
        """A ControlTrigger in the backward loop that its counter waits for (after the iteration's pops)."""
        from .control_flow_ops import control_trigger
        if self._grad_sync is None:
            with control_dependencies(None):
                self._grad_sync = control_trigger(name="b_sync")
            self._grad_sync._control_flow_context = self._grad_context
            self._grad_index._op._add_control_input(self._grad_sync)
        return self._grad_sync

    def AddForwardAccumulator(self, value, dead_branch=False):  # noqa: N802 - TF's name
        """A stack (made outside the forward loop) onto which each forward iteration pushes `value`."""
        from .control_flow_ops import CondContext
        from .constant_op import constant
        from .data_flow_ops import stack_push_v2, stack_v2
        g = self._forward_index.graph
        curr_ctxt = g._control_flow_context
        with control_dependencies(None):
            if curr_ctxt is not None:
                curr_ctxt.Enter()
            max_size = constant(-1, dtypes.int32)
            acc = stack_v2(max_size=max_size, elem_type=value.dtype.base_dtype, name="f_acc")
            if curr_ctxt is not None:
                curr_ctxt.Exit()
            enter_acc = self._forward_context.AddValue(acc)
            swap = self._forward_context.swap_memory
            value_ctxt = _output_context(value._op)
            if value_ctxt is self._forward_context:
                self._forward_context.Enter()
                push = stack_push_v2(enter_acc, value, swap_memory=swap)
                self._forward_context.Exit()
                self._forward_index._op._add_control_input(push._op)
            else:
                if not isinstance(value_ctxt, CondContext):
                    raise TypeError("value_ctxt is not a CondContext: %s" % value_ctxt)
                if dead_branch:
                    value_ctxt._outer_context.Enter()
                    push = stack_push_v2(enter_acc, value, swap_memory=swap)
                    value_ctxt._outer_context.Exit()
                    push._op._control_flow_context = value_ctxt
                else:
                    value_ctxt.Enter()
                    push = stack_push_v2(enter_acc, value, swap_memory=swap)
                    value_ctxt.Exit()
                self.forward_sync._add_control_input(push._op)
            add_op = self._forward_index._op._inputs[0]._op
            push._op._add_control_input(add_op)
            return acc

    def AddBackpropAccumulatedValue(self, history_value, value, dead_branch=False):  # noqa: N802
        """The value the forward iteration matching this backward one pushed on `history_value` (a StackPopV2)."""
        from .control_flow_ops import CondContext, _switch_ref_or_tensor
        from .data_flow_ops import stack_pop_v2
        history_ctxt = history_value._op._control_flow_context
        cond_ctxt = None
        value_ctxt = value._op._control_flow_context
        while value_ctxt is not None and value_ctxt is not history_ctxt:
            if isinstance(value_ctxt, CondContext):
                cond_ctxt = value_ctxt
                break
            value_ctxt = value_ctxt._outer_context
        with control_dependencies(None):
            self._grad_context.Enter()
            if cond_ctxt is not None:
                grad_state, pred = self, None
                while pred is None and grad_state is not None:
                    pred = grad_state.history_map.get(cond_ctxt.pred)
                    grad_state = grad_state.outer_grad_state
                if pred is None:
                    pred = cond_ctxt.pred
                branch = 1 - cond_ctxt.branch if dead_branch else cond_ctxt.branch
                history_value = _switch_ref_or_tensor(history_value, pred)[branch]
            pop = stack_pop_v2(history_value, value.dtype.base_dtype)
            pop.set_shape(value.shape)
            self._grad_context.Exit()
        if self._grad_context.parallel_iterations > 1:
            self.grad_sync._add_control_input(pop._op)
        return pop

    def GetRealValue(self, value):  # noqa: N802
        """The value of the forward tensor `value` in the backward iteration being built: a loop constant is read
        as it is, a constant made again, anything else kept on a stack."""
        from .constant_op import constant, constant_value
        real_value = self._history_map.get(value)
        if real_value is None:
            cur_value, cur_grad_state, history_value = value, self, None
            while True:
                enter_op = _loop_constant_enter(cur_value)
                if enter_op is not None:
                    cur_value = enter_op._inputs[0]
                    cur_grad_state = cur_grad_state.outer_grad_state
                    if cur_grad_state is None:
                        real_value = self._grad_context.AddValue(cur_value)
                        break
                elif cur_value._op._type == "Const":
                    real_value = constant(constant_value(cur_value), dtype=cur_value.dtype.base_dtype)
                    break
                else:
                    self._grad_context.Exit()
                    history_value = cur_grad_state.AddForwardAccumulator(cur_value)
                    self._grad_context.Enter()
                    break
            if real_value is None:
                real_value = cur_grad_state.AddBackpropAccumulatedValue(history_value, cur_value)
                if cur_grad_state is not self:
                    real_value = self._grad_context.AddValue(real_value)
            self._history_map[value] = real_value
        return real_value


class ControlFlowState:
    """The GradLoopStates of one tf.gradients call, by forward loop."""

    def __init__(self):
        self._map = {}

    def GetGradState(self, op, before):  # noqa: N802 - TF's name
        if before and is_loop_exit(op):
            forward_ctxt = op._control_flow_context._outer_context
            forward_ctxt = forward_ctxt.GetWhileContext() if forward_ctxt is not None else None
        else:
            forward_ctxt = _get_while_context(op)
        return self._map.get(forward_ctxt) if forward_ctxt is not None else None

    def ProcessUnusedLoopExits(self, pending_count, to_ops_set):  # noqa: N802
        """The Exits of loops that no path from the ys reaches, once all of a loop's other Exits are known."""
        loop_exits = []
        for grad_state in self._map.values():
            for y in grad_state.forward_loop_exits:
                if pending_count[y._op] == 0:
                    grad_state._pending_exits_count -= 1
                    if y._op not in to_ops_set:
                        grad_state.unused_exits.append(y)
                    if grad_state._pending_exits_count == 0:
                        loop_exits.extend(grad_state.unused_exits)
            for y in grad_state.forward_context.loop_enters:
                if pending_count[y._op] == 0:
                    pending_count[y._op] = 1
        return loop_exits

    def EnterGradWhileContext(self, op, before):  # noqa: N802
        grad_state = self.GetGradState(op, before)
        if grad_state is not None:
            grad_state.grad_context.Enter()

    def ExitGradWhileContext(self, op, before):  # noqa: N802
        grad_state = self.GetGradState(op, before)
        if grad_state is not None:
            grad_state.grad_context.Exit()

    def AddWhileContext(self, op, between_op_list, between_ops):  # noqa: N802
        """The GradLoopState of the loop whose Exit `op` is (made once); its other Exits join the walk."""
        forward_ctxt = _get_while_context(op)
        grad_state = self._map.get(forward_ctxt)
        if grad_state is None:
            outer_forward_ctxt = forward_ctxt._outer_context
            if outer_forward_ctxt is not None:
                outer_forward_ctxt = outer_forward_ctxt.GetWhileContext()
            outer_grad_state = self._map.get(outer_forward_ctxt) if outer_forward_ctxt is not None else None
            grad_state = GradLoopState(forward_ctxt, outer_grad_state)
            self._map[forward_ctxt] = grad_state
            for loop_exit in grad_state.forward_loop_exits:
                if loop_exit._op not in between_ops:
                    between_ops.add(loop_exit._op)
                    between_op_list.append(loop_exit._op)

    def ZerosLikeForExit(self, val):  # noqa: N802
        """A zero gradient for the loop Exit `val`, made where the gradient of the loop starts."""
        from . import array_ops
        shape = val.shape
        forward_ctxt = val._op._control_flow_context
        outer_forward_ctxt = forward_ctxt._outer_context
        if outer_forward_ctxt is not None:
            outer_forward_ctxt = outer_forward_ctxt.GetWhileContext()
        outer_grad_state = self._map.get(outer_forward_ctxt) if outer_forward_ctxt is not None else None
        if outer_grad_state is not None:
            if shape.is_fully_defined():
                outer_grad_state.grad_context.Enter()
                result = array_ops.zeros(shape.as_list(), val.dtype.base_dtype)
                outer_grad_state.grad_context.Exit()
            else:
                forward_ctxt._outer_context.Enter()
                zeros_shape = array_ops.shape(val)
                forward_ctxt._outer_context.Exit()
                history_shape = outer_grad_state.AddForwardAccumulator(zeros_shape)
                outer_grad_ctxt = outer_grad_state.grad_context
                outer_grad_ctxt.Enter()
                real_shape = outer_grad_state.AddBackpropAccumulatedValue(history_shape, zeros_shape)
                result = array_ops.zeros(real_shape, val.dtype.base_dtype)
                outer_grad_ctxt.Exit()
        elif shape.is_fully_defined():
            result = array_ops.zeros(shape.as_list(), val.dtype.base_dtype)
        else:
            result = array_ops.zeros_like(val)
        return result

    def ZerosLikeV1WhileLoop(self, op, index):  # noqa: N802
        """A zero gradient for output `index` of `op`, which nothing downstream differentiated, made in the
        backward loop (None for a loop Switch: its gradient goes round the backward loop's Merge)."""
        from . import array_ops
        from .constant_op import constant
        from .control_flow_ops import _switch_ref_or_tensor
        from ..gradients import _zeros_like_output
        if is_loop_switch(op):
            return None
        dead_branch = op._type in ("Switch", "RefSwitch")
        grad_state = self._map.get(_get_while_context(op))
        if grad_state is None:
            return _zeros_like_output(op, index)
        op_ctxt = op._control_flow_context
        val = op._outputs[index]
        shape = val.shape
        if shape.is_fully_defined():
            result = constant(0, shape=shape.as_list(), dtype=val.dtype.base_dtype)
            if dead_branch:
                pred = grad_state.history_map.get(op_ctxt.pred)
                result = _switch_ref_or_tensor(result, pred)[1 - op_ctxt.branch]
        else:
            if dead_branch:
                pred, branch = op_ctxt.pred, op_ctxt.branch
                op_ctxt._outer_context.Enter()
                val = _switch_ref_or_tensor(op._inputs[0], pred)[1 - branch]
                zeros_shape = array_ops.shape(val)
                op_ctxt._outer_context.Exit()
                val._op._control_flow_context = op_ctxt
                zeros_shape._op._control_flow_context = op_ctxt
            else:
                op_ctxt.Enter()
                zeros_shape = array_ops.shape(val)
                op_ctxt.Exit()
            grad_state.grad_context.Exit()
            history_zeros_shape = grad_state.AddForwardAccumulator(zeros_shape, dead_branch=dead_branch)
            grad_state.grad_context.Enter()
            shape = grad_state.AddBackpropAccumulatedValue(history_zeros_shape, zeros_shape, dead_branch)
            result = array_ops.zeros(shape, val.dtype.base_dtype)
        return result

    def PostProcessing(self):  # noqa: N802
        """A backward Merge whose loop variable's next value does not depend on it gets zeros round its loop."""
        from . import array_ops
        from .constant_op import constant
        from .control_flow_ops import _next_iteration
        for grad_state in self._map.values():
            for b_merge in grad_state.switch_map.values():
                if b_merge._op._inputs[0] is b_merge._op._inputs[1]:
                    dtype = b_merge._op._inputs[0].dtype.base_dtype
                    shape = b_merge._op._inputs[0].shape
                    if shape.is_fully_defined():
                        grad_state.grad_context.Enter()
                        grad_val = constant(0, dtype=dtype, shape=shape.as_list())
                        next_grad_val = _next_iteration(grad_val)
                        grad_state.grad_context.Exit()
                    else:
                        outer_grad_ctxt = grad_state.grad_context._outer_context
                        if outer_grad_ctxt is not None:
                            outer_grad_ctxt.Enter()
                        enter_grad = b_merge._op._inputs[0]._op._inputs[0]
                        grad_val = array_ops.zeros(array_ops.shape(enter_grad), dtype)
                        if outer_grad_ctxt is not None:
                            outer_grad_ctxt.Exit()
                        grad_state.grad_context.Enter()
                        next_grad_val = _next_iteration(grad_val)
                        grad_state.grad_context.Exit()
                    b_merge._op._update_input(1, next_grad_val)


def maybe_create_control_flow_state(between_op_list, between_ops):
    """A ControlFlowState when the walk crosses a loop (one of its Exits is between the ys and the xs), else None."""
    loop_state = None
    for op in list(between_op_list):
        if is_loop_exit(op) and _get_while_context(op) is not None:
            if loop_state is None:
                loop_state = ControlFlowState()
            loop_state.AddWhileContext(op, between_op_list, between_ops)
    return loop_state
