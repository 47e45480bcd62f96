"""Learning-rate schedules of a (tensor) global step: exponential, piecewise constant, polynomial,
inverse time, natural exponential and cosine decay, as TF 1.x builds them."""
import math

from ..framework.ops import convert_to_tensor, name_scope
from ..ops import math_ops

__all__ = ["exponential_decay", "piecewise_constant", "polynomial_decay", "natural_exp_decay",
           "inverse_time_decay", "cosine_decay"]


def _check_step(global_step, who):
    if global_step is None:
        raise ValueError("global_step is required for %s." % who)


def _progress(learning_rate, global_step, decay_steps, staircase):
    learning_rate = convert_to_tensor(learning_rate, name="learning_rate")
    dtype = learning_rate.dtype.base_dtype
    p = math_ops.cast(global_step, dtype) / math_ops.cast(decay_steps, dtype)
    if staircase:
        p = math_ops.floor(p)
    return learning_rate, dtype, p


def exponential_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None):
    """learning_rate * decay_rate ** (global_step / decay_steps) (the exponent floored with staircase)."""
    _check_step(global_step, "exponential decay")
    with name_scope(name, "ExponentialDecay", [learning_rate, global_step, decay_steps, decay_rate]) as name:
        lr, dtype, p = _progress(learning_rate, global_step, decay_steps, staircase)
        return math_ops.multiply(lr, math_ops.pow(math_ops.cast(decay_rate, dtype), p), name=name)


def natural_exp_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None):
    """learning_rate * exp(-decay_rate * global_step / decay_steps)."""
    _check_step(global_step, "natural exp decay")
    with name_scope(name, "NaturalExpDecay", [learning_rate, global_step, decay_rate]) as name:
        lr, dtype, p = _progress(learning_rate, global_step, decay_steps, staircase)
        return math_ops.multiply(lr, math_ops.exp(math_ops.negative(math_ops.cast(decay_rate, dtype)) * p), name=name)


def inverse_time_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None):
    """learning_rate / (1 + decay_rate * global_step / decay_steps)."""
    _check_step(global_step, "inverse time decay")
    with name_scope(name, "InverseTimeDecay", [learning_rate, global_step, decay_rate]) as name:
        lr, dtype, p = _progress(learning_rate, global_step, decay_steps, staircase)
        denom = math_ops.add(convert_to_tensor(1.0, dtype=dtype), math_ops.cast(decay_rate, dtype) * p)
        return math_ops.truediv(lr, denom, name=name)


def polynomial_decay(learning_rate, global_step, decay_steps, end_learning_rate=0.0001, power=1.0, cycle=False,
                     name=None):
    """(learning_rate - end) * (1 - step / decay_steps) ** power + end; step capped at decay_steps,
    or with `cycle` decay_steps grows to the next multiple above the step."""
    _check_step(global_step, "polynomial decay")
    with name_scope(name, "PolynomialDecay", [learning_rate, global_step, decay_steps, end_learning_rate,
                                               power]) as name:
        lr = convert_to_tensor(learning_rate, name="learning_rate")
        dtype = lr.dtype.base_dtype
        end = math_ops.cast(end_learning_rate, dtype)
        step = math_ops.cast(global_step, dtype)
        steps = math_ops.cast(decay_steps, dtype)
        if cycle:
            # the first multiple of decay_steps above the step (1 at step 0)
            multiplier = math_ops.maximum(math_ops.ceil(step / steps), convert_to_tensor(1.0, dtype=dtype))
            steps = math_ops.multiply(steps, multiplier)
        else:
            step = math_ops.minimum(step, steps)
        p = math_ops.truediv(step, steps)
        return math_ops.add(math_ops.multiply(lr - end, math_ops.pow(1 - p, math_ops.cast(power, dtype))), end,
                            name=name)


def cosine_decay(learning_rate, global_step, decay_steps, alpha=0.0, name=None):
    """learning_rate * ((1 - alpha) * 0.5 * (1 + cos(pi * min(step, decay_steps) / decay_steps)) + alpha)."""
    _check_step(global_step, "cosine decay")
    with name_scope(name, "CosineDecay", [learning_rate, global_step]) as name:
        lr = convert_to_tensor(learning_rate, name="learning_rate")
        dtype = lr.dtype.base_dtype
        steps = math_ops.cast(decay_steps, dtype)
        step = math_ops.minimum(math_ops.cast(global_step, dtype), steps)
        fraction = step / steps
        cosine = 0.5 * (1.0 + math_ops.cos(math.pi * fraction))
        decayed = (1 - alpha) * cosine + alpha
        return math_ops.multiply(lr, decayed, name=name)


def piecewise_constant(x, boundaries, values, name=None):
    """values[0] while x <= boundaries[0], values[1] while x <= boundaries[1], ..., values[-1] after."""
    if len(boundaries) != len(values) - 1:
        raise ValueError("The length of boundaries should be 1 less than the length of values")
    from ..ops import array_ops
    from ..framework import dtypes
    with name_scope(name, "PiecewiseConstant", [x]) as name:
        x = convert_to_tensor(x)
        bs = [convert_to_tensor(b) for b in boundaries]
        vs = [convert_to_tensor(v) for v in values]
        for i, b in enumerate(bs):
            if b.dtype.base_dtype != x.dtype.base_dtype:
                if b.dtype.base_dtype == dtypes.int32 and x.dtype.base_dtype == dtypes.int64:
                    bs[i] = math_ops.cast(b, dtypes.int64)
                else:
                    raise ValueError("Boundaries (%s) must have the same dtype as x (%s)."
                                     % (b.dtype.base_dtype, x.dtype.base_dtype))
        for v in vs[1:]:
            if v.dtype.base_dtype != vs[0].dtype.base_dtype:
                raise ValueError("Values must have elements all with the same dtype (%s vs %s)."
                                 % (vs[0].dtype.base_dtype, v.dtype.base_dtype))
        result = vs[-1]
        for b, v in reversed(list(zip(bs, vs[:-1]))):
            result = array_ops.where(math_ops.less_equal(x, b), v, result)
        return array_ops.identity(result, name=name)
