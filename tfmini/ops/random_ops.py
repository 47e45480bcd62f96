"""Random ops: normal, truncated normal, uniform, shuffle, multinomial, crop; seeded per op as TF seeds them.

Each random op draws from a generator held by the session for that op, seeded from the op's
(seed, seed2): with a graph- or op-level seed every new session repeats the same sequence, and
each run draws new values. RandomStandardNormal, TruncatedNormal, RandomUniform, RandomUniformInt,
RandomShuffle and Multinomial draw TensorFlow's own numbers (Philox, `philox_random.py`): a seeded program
prints what it prints under TensorFlow.
"""
import numpy as np

from ..framework import dtypes, errors
from ..framework.op_def_library import FLOAT_TYPES, REAL_NUMBER_TYPES, check_allowed, convert_one, make_op
from ..framework.op_registry import NOT_DIFFERENTIABLE, InferenceError, debug_string, register_op
from ..framework.ops import Tensor, convert_to_tensor, name_scope
from ..framework.random_seed import get_seed
from ..framework.tensor_shape import TensorShape
from . import philox_random
from .constant_op import constant_shape, constant_value

__all__ = ["random_normal", "truncated_normal", "random_uniform", "random_shuffle"]


def _seed_attrs(seed):
    s1, s2 = get_seed(seed)
    return {"seed": s1 or 0, "seed2": s2 or 0}


def _shape_input(shape):
    """TF's _ShapeTensor: the 1-D int32 (or int64) shape tensor, named 'shape'."""
    if isinstance(shape, TensorShape):
        shape = shape.as_list()
    if isinstance(shape, Tensor):
        return convert_one("RandomStandardNormal", "shape", shape, allowed=(dtypes.int32, dtypes.int64))
    return convert_one("RandomStandardNormal", "shape", shape, dtype=dtypes.int32)


def _dims(shape_arr):
    dims = tuple(int(d) for d in shape_arr.reshape(-1))
    if any(d < 0 for d in dims):
        raise ValueError("Shape dimensions must be non-negative, got %s" % list(dims))
    return dims


# =========================================================================== RandomStandardNormal
def _random_infer(shape, *, dtype, seed=0, seed2=0):
    if shape.shape.ndims not in (None, 1):
        raise InferenceError("Shape must be rank 1 but is rank %d" % shape.shape.ndims)
    return dtype, constant_shape(shape)


def _draws(ctx, dims, seed, seed2):
    """(key, counter, n) for this run of the op: its session's Philox stream for the op (made at its first run
    from the op's seeds), advanced past what the run may use, as TF's kernels reserve."""
    stream = ctx.state.resource(("philox", ctx.op), lambda: philox_random.PhiloxStream(seed, seed2))
    n = 1
    for d in dims:
        n *= d
    key, counter = stream.reserve(n * philox_random.RESERVED_PER_OUTPUT)
    return key, counter, n


def _standard_normal_kernel(ctx, xp, shape, *, dtype, seed=0, seed2=0):
    dims = _dims(shape)
    key, counter, n = _draws(ctx, dims, seed, seed2)
    return philox_random.normal(xp, key, counter, n, dtype.as_numpy_dtype).reshape(dims)


def _truncated_normal_kernel(ctx, xp, shape, *, dtype, seed=0, seed2=0):
    """Normals within two standard deviations: one drawn outside is drawn again, as TF's TruncatedNormal."""
    dims = _dims(shape)
    key, counter, n = _draws(ctx, dims, seed, seed2)
    return philox_random.truncated_normal(xp, key, counter, n, dtype.as_numpy_dtype).reshape(dims)


def _uniform_kernel(ctx, xp, shape, *, dtype, seed=0, seed2=0):
    """Values in [0, 1) on TF's grid: 23 random mantissa bits for float32 (52 for float64, 10 for float16), so
    the largest, 1 - 2**-23, never rounds dropout's `keep_prob + u` up to 2 when keep_prob is 1."""
    dims = _dims(shape)
    key, counter, n = _draws(ctx, dims, seed, seed2)
    return philox_random.uniform(xp, key, counter, n, dtype.as_numpy_dtype).reshape(dims)


register_op("RandomStandardNormal", infer=_random_infer, kernel=_standard_normal_kernel,
            grad=NOT_DIFFERENTIABLE, stateful=True, needs_ctx=True)
register_op("TruncatedNormal", infer=_random_infer, kernel=_truncated_normal_kernel,
            grad=NOT_DIFFERENTIABLE, stateful=True, needs_ctx=True)
register_op("RandomUniform", infer=_random_infer, kernel=_uniform_kernel,
            grad=NOT_DIFFERENTIABLE, stateful=True, needs_ctx=True)


def _scaled(op_type, default_name, shape, loc, scale, dtype, seed, name, loc_name, scale_name):
    """TF's random_normal / truncated_normal: the standard op, then `rnd * scale` ('mul') and
    `add(mul, loc)` named after the scope."""
    dtype = dtypes.as_dtype(dtype)
    if dtype not in FLOAT_TYPES:
        raise ValueError("Invalid dtype %r for %s; must be a floating type" % (dtype, default_name))
    with name_scope(name, default_name, [shape, loc, scale]) as scope:
        shape_t = _shape_input(shape)
        loc_t = convert_to_tensor(loc, dtype=dtype, name=loc_name)
        scale_t = convert_to_tensor(scale, dtype=dtype, name=scale_name)
        attrs = {"dtype": dtype}
        attrs.update(_seed_attrs(seed))
        rnd = make_op(op_type, [shape_t], attrs)
        from .math_ops import add
        return add(rnd * scale_t, loc_t, name=scope)


def random_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Samples from a normal distribution N(mean, stddev**2) of the given shape."""
    return _scaled("RandomStandardNormal", "random_normal", shape, mean, stddev, dtype, seed, name,
                   "mean", "stddev")


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Normal samples, re-drawn when more than two standard deviations from the mean."""
    return _scaled("TruncatedNormal", "truncated_normal", shape, mean, stddev, dtype, seed, name,
                   "mean", "stddev")


# =========================================================================== RandomUniformInt
def _uniform_int_infer(shape, minval, maxval, *, seed=0, seed2=0, Tout=None):
    for bound in (minval, maxval):
        if bound.shape.ndims not in (None, 0):
            raise InferenceError("Shape must be rank 0 but is rank %d" % bound.shape.ndims)
    return _random_infer(shape, dtype=minval.dtype.base_dtype)


def _uniform_int_kernel(ctx, xp, shape, minval, maxval, *, seed=0, seed2=0, Tout=None):
    lo, hi = int(minval), int(maxval)
    if lo >= hi:
        raise errors.InvalidArgumentError(None, None, "Need minval < maxval: %d >= %d" % (lo, hi))
    dims = _dims(shape)
    key, counter, n = _draws(ctx, dims, seed, seed2)
    return philox_random.uniform_int(xp, key, counter, n, lo, hi, minval.dtype).reshape(dims)


register_op("RandomUniformInt", infer=_uniform_int_infer, kernel=_uniform_int_kernel,
            grad=NOT_DIFFERENTIABLE, stateful=True, needs_ctx=True)


def random_uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    """Uniform samples in [minval, maxval) (maxval defaults to 1 for floats; required for integers)."""
    dtype = dtypes.as_dtype(dtype)
    if dtype not in FLOAT_TYPES + (dtypes.int32, dtypes.int64):
        raise ValueError("Invalid dtype %r" % dtype)
    if maxval is None:
        if dtype.is_integer:
            raise ValueError("Must specify maxval for integer dtype %r" % dtype)
        maxval = 1
    with name_scope(name, "random_uniform", [shape, minval, maxval]) as scope:
        shape_t = _shape_input(shape)
        lo = convert_to_tensor(minval, dtype=dtype, name="min")
        hi = convert_to_tensor(maxval, dtype=dtype, name="max")
        seeds = _seed_attrs(seed)
        if dtype.is_integer:
            attrs = dict(seeds, Tout=dtype)
            return make_op("RandomUniformInt", [shape_t, lo, hi], attrs, name=scope)
        rnd = make_op("RandomUniform", [shape_t], dict(seeds, dtype=dtype))
        from .math_ops import add
        return add(rnd * (hi - lo), lo, name=scope)


# =========================================================================== RandomShuffle
def _shuffle_infer(value, *, seed=0, seed2=0):
    return value.dtype.base_dtype, value.shape


def _shuffle_kernel(ctx, xp, value, *, seed=0, seed2=0):
    """TF's permutation: Fisher-Yates from the front, row i swapped with row i + (u_i mod (n - i)), the u_i one
    uint32 at a time from the op's Philox stream (n - 1 of them, reserved as whole calls)."""
    n = value.shape[0] if value.ndim else 0
    if value.size <= 1 or n <= 1:
        return value.copy()
    stream = ctx.state.resource(("philox", ctx.op), lambda: philox_random.PhiloxStream(seed, seed2))
    key, counter = stream.reserve(-(-(n - 1) // 4))
    u = philox_random.uint32s(np, key, counter, n - 1).tolist()  # (a swap loop: on the host)
    order = list(range(n))
    for i in range(n - 1):
        j = i + u[i] % (n - i)
        order[i], order[j] = order[j], order[i]
    return value[xp.asarray(order)]


register_op("RandomShuffle", infer=_shuffle_infer, kernel=_shuffle_kernel, grad=NOT_DIFFERENTIABLE,
            stateful=True, needs_ctx=True)


def random_shuffle(value, seed=None, name=None):
    """`value` with its first dimension randomly permuted."""
    seeds = _seed_attrs(seed)  # before the value is converted, as TF orders it
    with name_scope(name, "RandomShuffle", [value]) as scope:
        v = convert_to_tensor(value, name="value")
        return make_op("RandomShuffle", [v], seeds, name=scope)


# =========================================================================== Multinomial (multinomial, categorical)
def _multinomial_infer(logits, num_samples, *, seed=0, seed2=0, output_dtype=dtypes.int64, **_):
    shape = logits.shape
    if shape.ndims not in (None, 2):
        raise InferenceError("Shape must be rank 2 but is rank %d" % shape.ndims)
    if num_samples.shape.ndims not in (None, 0):
        raise InferenceError("Shape must be rank 0 but is rank %d" % num_samples.shape.ndims)
    n = constant_value(num_samples)
    if n is not None and int(n) < 0:
        raise InferenceError("Dimension size, given by scalar input 1, must be non-negative but is %d" % int(n))
    batch = None if shape.ndims is None else shape.as_tuple()[0]
    return output_dtype, TensorShape([batch, None if n is None else int(n)])


def _multinomial_kernel(ctx, xp, logits, num_samples, *, seed=0, seed2=0, output_dtype=dtypes.int64, **_):
    """Draws by inverting each row's CDF of exp(logits - max): a uniform draw scaled by the row's total is
    looked up in the running sums (upper bound), as TF's CPU kernel does, with its numbers: the uniforms are
    doubles from the op's Philox stream, two uint32 each, row after row (TF's order when one thread does the
    rows, as it does unless the batch is large: then TF's own numbers depend on its thread count). Non-finite
    logits have no mass; a row with none at all draws num_classes, as in TF."""
    if logits.ndim != 2:
        raise errors.InvalidArgumentError(None, None, "logits should be a matrix, got shape %s"
                                          % debug_string(logits.shape))
    n = int(num_samples)
    if n < 0:
        raise errors.InvalidArgumentError(None, None, "num_samples should be non-negative, got %d" % n)
    batch, classes = logits.shape
    if batch and classes == 0:
        raise errors.InvalidArgumentError(None, None, "num_classes should be positive, got 0")
    out_t = output_dtype.as_numpy_dtype
    if batch == 0 or n == 0:
        return xp.zeros((batch, n), dtype=out_t)
    x = logits.astype(np.float64)
    finite = xp.isfinite(x)
    top = xp.where(finite, x, -np.inf).max(axis=1, keepdims=True)
    cdf = xp.cumsum(xp.where(finite, xp.exp(x - xp.where(xp.isfinite(top), top, 0.0)), 0.0), axis=1)
    stream = ctx.state.resource(("philox", ctx.op), lambda: philox_random.PhiloxStream(seed, seed2))
    # a run reserves 256 calls for each of 2 * batch * (num_samples rounded up to 4) uint32 (two per double), as
    # TF's kernel does (checked against TF 2.21: the second run starts there)
    key, counter = stream.reserve(2 * batch * -(-n // 4) * 4 * philox_random.RESERVED_PER_OUTPUT)
    u = philox_random.uniform_doubles(xp, key, counter, batch * n).reshape(batch, n)
    to_find = u * cdf[:, -1:]
    # per row: the first running sum above the draw (TF's upper_bound); a row without mass finds num_classes
    return xp.stack([xp.searchsorted(cdf[b], to_find[b], side="right") for b in range(batch)]).astype(out_t)


register_op("Multinomial", infer=_multinomial_infer, kernel=_multinomial_kernel, grad=NOT_DIFFERENTIABLE,
            stateful=True, needs_ctx=True)


def _multinomial_impl(logits, num_samples, dtype, seed):
    logits = convert_to_tensor(logits, name="logits")
    check_allowed("Multinomial", "logits", logits.dtype, REAL_NUMBER_TYPES)
    dtype = dtypes.as_dtype(dtype).base_dtype if dtype else dtypes.int64
    if dtype not in (dtypes.int32, dtypes.int64):
        raise ValueError("Argument `dtype` got invalid value %s. Accepted dtypes are (tf.int32, tf.int64)." % dtype)
    attrs = dict(_seed_attrs(seed), output_dtype=dtype, T=logits.dtype.base_dtype)
    with name_scope(None, "Multinomial", [logits, num_samples]) as scope:
        n = convert_one("Multinomial", "num_samples", num_samples, dtype=dtypes.int32)
        return make_op("Multinomial", [logits, n], attrs, name=scope)


def multinomial(logits, num_samples, seed=None, name=None, output_dtype=None):
    """`num_samples` class indices per row of `logits` [batch, num_classes] (unnormalized log-probabilities),
    drawn independently: a [batch, num_samples] int64 (or `output_dtype` int32) tensor.

    >>> tf.multinomial(tf.log([[0.5, 0.5]]), 5)   # e.g. [[0, 1, 1, 0, 1]]
    """
    with name_scope(name, "multinomial", [logits]):
        return _multinomial_impl(logits, num_samples, output_dtype, seed)


def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    """tf.random.categorical: tf.multinomial under TF 2's name (`dtype` for `output_dtype`)."""
    with name_scope(name, "categorical", [logits]):
        return _multinomial_impl(logits, num_samples, dtype, seed)


# =========================================================================== random_crop (composite)
def random_crop(value, size, seed=None, name=None):
    """A random slice of `value` of shape `size` (one offset per dimension, uniform among those that fit);
    checked at run time: "Need value.shape >= size".

    >>> tf.random_crop(tf.zeros([5, 6, 3]), [2, 3, 3]).shape
    TensorShape([Dimension(2), Dimension(3), Dimension(3)])
    """
    from . import array_ops, control_flow_ops, math_ops
    with name_scope(name, "random_crop", [value, size]) as scope:
        value = convert_to_tensor(value, name="value")
        size = convert_to_tensor(size, dtype=dtypes.int32, name="size")
        shape = array_ops.shape(value)
        check = control_flow_ops.Assert(math_ops.reduce_all(shape >= size),
                                        ["Need value.shape >= size, got ", shape, size], summarize=1000)
        shape = control_flow_ops.with_dependencies([check], shape)
        limit = shape - size + 1
        offset = random_uniform(array_ops.shape(shape), dtype=size.dtype, maxval=size.dtype.max, seed=seed) % limit
        return array_ops.slice(value, offset, size, name=scope)


__all__ += ["multinomial", "random_crop"]
