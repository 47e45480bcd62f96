"""tf.train.ExponentialMovingAverage: shadow variables `<var>/ExponentialMovingAverage` that follow variables (or
tensors) by an exponential decay, and the name map that restores them in place of the variables."""
from .. import init_ops
from ..framework import dtypes
from ..framework.ops import GraphKeys, add_to_collection, convert_to_tensor, get_default_graph, name_scope
from ..ops import control_flow_ops, math_ops, state_ops
from ..variable_scope import get_variable, get_variable_scope, variable_scope
from ..variables import Variable, global_variables, moving_average_variables, trainable_variables
from . import slot_creator

__all__ = ["ExponentialMovingAverage", "assign_moving_average"]

_FLOATS = (dtypes.float16, dtypes.float32, dtypes.float64)  # (and TF's bfloat16, which tfmini lacks)


def assign_moving_average(variable, value, decay, zero_debias=True, name=None):
    """variable -= (variable - value) * (1 - decay): an AssignSub named 'AssignMovingAvg' (its result is the new
    average). With `zero_debias`, the average of a zero-initialized `variable` is divided by the bias
    1 - decay ** steps, kept in the variables `<variable>/biased` and `<variable>/local_step`."""
    with name_scope(name, "AssignMovingAvg", [variable, value, decay]) as scope:
        decay = convert_to_tensor(1.0 - decay, name="decay")
        if decay.dtype != variable.dtype.base_dtype:
            decay = math_ops.cast(decay, variable.dtype.base_dtype)
        if zero_debias:
            return _zero_debias(variable, value, decay)
        return state_ops.assign_sub(variable, (variable - value) * decay, name=scope)


def _unique_in_scope(name):
    """`name`, or `name_1`, ... where the current variable scope already holds a variable of that name."""
    vs = get_variable_scope()
    if vs.reuse:
        return name
    taken = {v.op.name for v in global_variables()}
    full = (vs.name + "/" if vs.name else "") + name
    if full not in taken:
        return name
    i = 1
    while "%s_%d" % (full, i) in taken:
        i += 1
    return "%s_%d" % (name, i)


def _zero_debias(unbiased_var, value, decay):
    """TF's debiased update: biased -= (biased - value) * decay; local_step += 1;
    unbiased = biased / (1 - (1 - decay) ** local_step), `decay` being 1 - the EMA's decay."""
    with variable_scope(unbiased_var.op.name, values=[unbiased_var, value, decay]):
        with get_default_graph().control_dependencies(None):
            biased_var = get_variable(_unique_in_scope("biased"), initializer=init_ops.zeros_initializer(),
                                      shape=unbiased_var.get_shape(), dtype=unbiased_var.dtype.base_dtype,
                                      trainable=False)
            local_step = get_variable(_unique_in_scope("local_step"), shape=[],
                                      dtype=unbiased_var.dtype.base_dtype,
                                      initializer=init_ops.zeros_initializer(), trainable=False)
    update_biased = state_ops.assign_sub(biased_var, (biased_var - value) * decay)
    update_local_step = local_step.assign_add(1)
    bias_factor = 1 - math_ops.pow(1.0 - decay, update_local_step)
    return state_ops.assign(unbiased_var, update_biased / bias_factor,
                            name=get_default_graph().get_name_scope() + "/")


def _key(var):
    return var if isinstance(var, Variable) else id(var)


class ExponentialMovingAverage:
    """Moving averages of variables: `maintain = ema.apply([w, b])` creates the shadow variables
    `w/ExponentialMovingAverage` (starting at the variables' values) and returns the op that moves each toward its
    variable: shadow -= (1 - decay) * (shadow - w). `num_updates` (a step count) makes the decay
    min(decay, (1 + n) / (10 + n)), faster early in training. `ema.average(w)` is the shadow variable;
    `tf.train.Saver(ema.variables_to_restore())` loads the averages into the model's own variables."""

    def __init__(self, decay, num_updates=None, zero_debias=False, name="ExponentialMovingAverage"):
        self._decay = decay
        self._num_updates = num_updates
        self._zero_debias = zero_debias
        self._name = name
        self._averages = {}

    @property
    def name(self):
        return self._name

    def apply(self, var_list=None):
        """Create the shadow variables of `var_list` (default: the trainable variables; float variables or
        tensors only: TypeError otherwise) where missing, and return the op (a NoOp named after the EMA)
        that updates them all. A tensor's shadow starts at zero (debiased when `zero_debias`)."""
        if var_list is None:
            var_list = trainable_variables()
        var_list = list(var_list)
        zero_debias = set()
        for var in var_list:
            if var.dtype.base_dtype not in _FLOATS:
                raise TypeError("The variables must be half, float, or double: %s" % var.name)
            if _key(var) in self._averages:
                continue
            with get_default_graph().control_dependencies(None):  # as TF's init_scope
                if isinstance(var, Variable):
                    avg = slot_creator.create_slot(var, var.initialized_value(), self.name)
                    add_to_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, var)
                else:
                    avg = slot_creator.create_zeros_slot(var, self.name)
                    if self._zero_debias:
                        zero_debias.add(_key(avg))
            self._averages[_key(var)] = avg
        with name_scope(self.name) as scope:
            decay = convert_to_tensor(self._decay, dtype=dtypes.float32, name="decay")
            if self._num_updates is not None:
                num_updates = math_ops.cast(self._num_updates, dtypes.float32, name="num_updates")
                decay = math_ops.minimum(decay, (1.0 + num_updates) / (10.0 + num_updates))
            updates = []
            for var in var_list:
                avg = self._averages[_key(var)]
                updates.append(assign_moving_average(avg, var, decay, _key(avg) in zero_debias))
            return control_flow_ops.group(*updates, name=scope)

    def average(self, var):
        """The shadow variable of `var`, or None if `apply` never saw it."""
        return self._averages.get(_key(var))

    def average_name(self, var):
        """The name the shadow variable of `var` has, or would have (`<var op name>/<EMA name>`): the name a
        checkpoint saved it under."""
        avg = self._averages.get(_key(var))
        if avg is not None:
            return avg.name[:-len(":0")]
        return get_default_graph().unique_name(var.name[:-len(":0")] + "/" + self.name, mark_as_used=False)

    def variables_to_restore(self, moving_avg_variables=None):
        """{checkpoint name: variable} for tf.train.Saver that loads each averaged variable (default: the trainable
        and moving-average variables) from its shadow's name, and every other global variable from its own."""
        if moving_avg_variables is None:
            moving_avg_variables = trainable_variables() + moving_average_variables()
        seen = []
        for v in moving_avg_variables:
            if not any(v is s for s in seen):
                seen.append(v)
        name_map = {self.average_name(v): v for v in seen}
        names = {v.name for v in seen}
        for v in global_variables():
            if v.name not in names and v.op.name not in name_map:
                name_map[v.op.name] = v
        return name_map
