"""Random ops: normal, truncated normal, uniform, shuffle; seeded per op as TF seeds them.

Each random op draws from a generator held by the session for that op, seeded from the op's
(seed, seed2): with a graph- or op-level seed every new session repeats the same sequence, and
each run draws new values.
"""
import numpy as np

from ..framework import dtypes, errors
from ..framework.op_def_library import FLOAT_TYPES, convert_one, make_op
from ..framework.op_registry import NOT_DIFFERENTIABLE, InferenceError, register_op
from ..framework.ops import Tensor, convert_to_tensor, name_scope
from ..framework.random_seed import get_seed
from ..framework.tensor_shape import TensorShape
from .constant_op import constant_shape

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


def _sample(rng, fn, dims, dtype):
    npt = dtype.as_numpy_dtype
    gen_t = npt if npt in (np.float32, np.float64) else np.float32
    return fn(rng, dims, gen_t).astype(npt, copy=False)


def _standard_normal_kernel(ctx, xp, shape, *, dtype, seed=0, seed2=0):
    return xp.asarray(_sample(ctx.rng, lambda r, d, t: r.standard_normal(d, dtype=t), _dims(shape), dtype))


def _truncated(rng, dims, t):
    out = rng.standard_normal(dims, dtype=t)
    bad = np.abs(out) > 2
    while bad.any():  # resample outside two standard deviations, as TF's TruncatedNormal
        out[bad] = rng.standard_normal(int(bad.sum()), dtype=t)
        bad = np.abs(out) > 2
    return out


def _truncated_normal_kernel(ctx, xp, shape, *, dtype, seed=0, seed2=0):
    return xp.asarray(_sample(ctx.rng, _truncated, _dims(shape), dtype))


def _uniform_kernel(ctx, xp, shape, *, dtype, seed=0, seed2=0):
    dims = _dims(shape)
    if dtype == dtypes.float16:
        # float32 samples could round up to 1.0 in half precision; draw on the half grid of [0, 1) instead
        return xp.asarray((ctx.rng.integers(0, 1 << 10, size=dims) * (1.0 / (1 << 10))).astype(np.float16))
    return xp.asarray(_sample(ctx.rng, _uniform, dims, dtype))


# TF's largest uniform sample: its kernels fill 23 (float32) or 52 (float64) mantissa bits, numpy's 24 or 53. The
# largest of numpy's, 1 - 2**-24, makes dropout's `keep_prob + u` round up to 2.0 when keep_prob is 1 (a fed
# 1.0 at test time) and floor() then doubles that element; TF's largest never does.
_UNIFORM_TOP = {np.dtype(np.float32): np.float32(1 - 2.0 ** -23), np.dtype(np.float64): 1 - 2.0 ** -52}


def _uniform(rng, dims, t):
    u = rng.random(dims, dtype=t)
    return np.minimum(u, _UNIFORM_TOP[np.dtype(t)], out=u)


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
    return xp.asarray(ctx.rng.integers(lo, hi, size=_dims(shape), dtype=minval.dtype))


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
    if value.ndim == 0:
        return value.copy()
    return value[xp.asarray(ctx.rng.permutation(value.shape[0]))]


register_op("RandomShuffle", infer=_shuffle_infer, kernel=_shuffle_kernel, grad=NOT_DIFFERENTIABLE,
            stateful=True, needs_ctx=True)


def random_shuffle(value, seed=None, name=None):
    """`value` with its first dimension randomly permuted."""
    seeds = _seed_attrs(seed)  # before the value is converted, as TF orders it
    with name_scope(name, "RandomShuffle", [value]) as scope:
        v = convert_to_tensor(value, name="value")
        return make_op("RandomShuffle", [v], seeds, name=scope)
