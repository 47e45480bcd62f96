"""Candidate samplers (uniform, log-uniform, learned and fixed unigram, all) and ComputeAccidentalHits.

A sampler op draws `num_sampled` classes from [0, range_max) for a whole batch and reports, for the
batch's true classes and for the draws, their expected counts Q(y) as TF's range_sampler computes
them: p * num_sampled when drawing with replacement, 1 - (1 - p)**num_tries when `unique` (num_tries =
how many draws it took to collect num_sampled distinct classes), in float32. The ops are seeded per op
as tfmini's other random ops (tfmini/ops/random_ops.py); the uniform and log-uniform samplers draw
TensorFlow's classes (its Philox numbers, ops/philox_random.py), the unigram ones numpy's. They run on the
CPU (TF has only CPU kernels for them) and are not differentiable.
"""
import collections

import numpy as np

from ..framework import dtypes, errors
from ..framework.op_def_library import convert_one, make_op
from ..framework.op_registry import NOT_DIFFERENTIABLE, InferenceError, register_op
from ..framework.ops import name_scope
from ..framework.random_seed import get_seed
from ..framework.tensor_shape import TensorShape
from . import philox_random
from .shape_util import static_dim, with_rank

__all__ = ["uniform_candidate_sampler", "log_uniform_candidate_sampler", "learned_unigram_candidate_sampler",
           "fixed_unigram_candidate_sampler", "all_candidate_sampler", "compute_accidental_hits"]

_INT32_MAX = 2 ** 31 - 1

# the results as TF's generated wrappers name them
_SAMPLER_OUTPUTS = {t: collections.namedtuple(t, ["sampled_candidates", "true_expected_count",
                                                   "sampled_expected_count"])
                    for t in ("UniformCandidateSampler", "LogUniformCandidateSampler", "LearnedUnigramCandidateSampler",
                              "FixedUnigramCandidateSampler", "AllCandidateSampler")}
_HitsOutputs = collections.namedtuple("ComputeAccidentalHits", ["indices", "ids", "weights"])


def _invalid(message):
    return errors.InvalidArgumentError(None, None, message)


def _check_minimum(op_type, attr, value, minimum):
    """TF's op builder's check of an `int >= minimum` attribute (a ValueError at graph build)."""
    if value < minimum:
        raise ValueError("Attr '%s' of '%s' Op passed %d less than minimum %d." % (attr, op_type, value, minimum))


# =========================================================================== the expected counts (range_sampler.cc)
def _expected_count(p, num_sampled, num_tries):
    """TF's ExpectedCountHelper in float32: p * num_sampled when every draw was kept, else the chance that a
    class of probability p turns up in num_tries draws, 1 - (1 - p)**num_tries (as -expm1(n * log1p(-p)))."""
    p = np.asarray(p, np.float32)
    if num_tries == num_sampled:
        return p * np.float32(num_sampled)
    return -np.expm1(np.float32(num_tries) * np.log1p(-p))


def _draw(draw_some, num_sampled, unique):
    """`num_sampled` draws from `draw_some(n)` (n classes with replacement) and the number of draws it took.

    With `unique`, draws repeat until num_sampled distinct classes came up; the batch is the distinct
    classes in the order they first appeared (TF's rejection loop, drawn in growing chunks)."""
    if not unique:
        return draw_some(num_sampled).astype(np.int64), num_sampled
    drawn = np.zeros(0, np.int64)
    chunk = max(2 * num_sampled, 16)
    while True:
        drawn = np.concatenate([drawn, draw_some(chunk).astype(np.int64)])
        _, first = np.unique(drawn, return_index=True)
        if first.size >= num_sampled:
            first.sort()
            return drawn[first[:num_sampled]], int(first[num_sampled - 1]) + 1
        chunk *= 2


# =========================================================================== the samplers' distributions
def _uniform_dist(range_max):
    """(draw_some, probability) of the uniform distribution over [0, range_max)."""
    inv_range = np.float32(1.0 / range_max)
    return (lambda rng, n: rng.integers(0, range_max, size=n),
            lambda values: np.full(np.shape(values), inv_range, np.float32))


def _log_uniform_dist(range_max):
    """(draw_some, probability) of the log-uniform (Zipfian) distribution: P(k) = log((k+2)/(k+1)) / log(range_max+1),
    drawn as floor(exp(u * log(range_max + 1))) - 1."""
    log_range = np.log1p(float(range_max))

    def draw_some(rng, n):
        return (np.exp(rng.random(n) * log_range).astype(np.int64) - 1) % range_max

    def probability(values):
        v = np.asarray(values, np.float64)
        return (np.log((v + 2.0) / (v + 1.0)) / log_range).astype(np.float32)
    return draw_some, probability


def _weighted_dist(weights):
    """(draw_some, probability) of classes drawn in proportion to float32 `weights` (a sum in TF's order)."""
    weights = np.asarray(weights, np.float32)
    total = np.add.accumulate(weights, dtype=np.float32)[-1] if weights.size else np.float32(0)
    cdf = np.cumsum(weights.astype(np.float64))

    def draw_some(rng, n):
        return np.minimum(np.searchsorted(cdf, rng.random(n) * cdf[-1], side="right"), weights.size - 1)

    def probability(values):
        v = np.asarray(values)
        inside = (v >= 0) & (v < weights.size)
        return np.where(inside, weights[np.clip(v, 0, max(weights.size - 1, 0))] / total, 0).astype(np.float32)
    return draw_some, probability


def _fixed_unigram_weights(range_max, unigrams, distortion, num_reserved_ids, num_shards, shard):
    """The weights of TF's FixedUnigramSampler: 0 for this shard's reserved ids, then unigram**distortion for
    this shard's ids; there must be range_max of them."""
    ids = np.arange(num_reserved_ids + len(unigrams))
    mine = ids % num_shards == shard
    w = np.concatenate([np.zeros(num_reserved_ids, np.float32),
                        np.power(np.asarray(unigrams, np.float32), np.float32(distortion))])[mine]
    if w.size != range_max:
        raise _invalid("range is %d must be equal to weights size  %d" % (range_max, w.size))
    return w


# =========================================================================== the sampler ops
def _sampler_infer(true_classes, *, num_true, num_sampled, **_):
    """TF's CandidateSamplerShapeFn: true_classes [batch, ?]; outputs [num_sampled], [batch, num_true],
    [num_sampled]."""
    batch = static_dim(with_rank(true_classes.shape, 2), 0)
    return [(dtypes.int64, TensorShape([num_sampled])), (dtypes.float32, TensorShape([batch, num_true])),
            (dtypes.float32, TensorShape([num_sampled]))]


def _unigram_infer(true_classes, *, range_max, **attrs):
    if range_max >= _INT32_MAX:
        raise InferenceError("range_max must be less than 2147483647 for unigram samplers")
    return _sampler_infer(true_classes, **attrs)


def _sample(rng, dist, true_classes, num_true, num_sampled, unique, range_max):
    """The three outputs of a sampler op (TF's BaseCandidateSamplerOp::Compute, with its run-time checks)."""
    if true_classes.ndim != 2:
        raise _invalid("true_classes must be a matrix")
    if true_classes.shape[1] != num_true:  # TF's message names the two numbers the other way round
        raise _invalid("true_classes must have num_true columns, expected: %d was: %d"
                       % (true_classes.shape[1], num_true))
    if unique and num_sampled > range_max:
        raise _invalid("Sampler's range is too small.")
    bad = (true_classes < 0) | (true_classes >= range_max)
    if bad.any():
        raise _invalid("`true_candidate` out of range [0, %d), received %d" % (range_max, true_classes[bad][0]))
    draw_some, probability = dist
    sampled, num_tries = _draw(lambda n: draw_some(rng, n), num_sampled, unique)
    return (sampled, _expected_count(probability(true_classes), num_sampled, num_tries),
            _expected_count(probability(sampled), num_sampled, num_tries))


def _as_host(true_classes):
    return np.asarray(true_classes.get() if hasattr(true_classes, "get") else true_classes)


def _finish(xp, outs):
    return tuple(xp.asarray(o) for o in outs)


class _PhiloxDraws:
    """The two methods of numpy's Generator that the uniform and log-uniform samplers use, on TensorFlow's numbers:
    this run's uint32 from the op's Philox stream, one after another (TF's SimplePhilox). A run reserves 2,048
    uint32 per sampled class, as TF's kernel does; a long rejection loop reads on past them, as TF's does."""

    def __init__(self, ctx, num_sampled, seed, seed2):
        stream = ctx.state.resource(("philox", ctx.op), lambda: philox_random.PhiloxStream(seed, seed2))
        self.reader = philox_random.Uint32Reader(*stream.reserve(-(-2048 * num_sampled // 4)))

    def integers(self, low, high, size):
        """Uniform64: two uint32 (the low half first) modulo the range."""
        u = self.reader.take(2 * size).astype(np.uint64).reshape(size, 2)
        return low + ((u[:, 0] | (u[:, 1] << np.uint64(32))) % np.uint64(high - low)).astype(np.int64)

    def random(self, size):
        """RandDouble: a float64 in [0, 1) from two uint32."""
        u = self.reader.take(2 * size).reshape(size, 2)
        return philox_random._float64_of(np, u[:, 0], u[:, 1])


def _uniform_kernel(ctx, xp, true_classes, *, num_true, num_sampled, unique, range_max, seed=0, seed2=0, **_):
    return _finish(xp, _sample(_PhiloxDraws(ctx, num_sampled, seed, seed2), _uniform_dist(range_max),
                               _as_host(true_classes), num_true, num_sampled, unique, range_max))


def _log_uniform_kernel(ctx, xp, true_classes, *, num_true, num_sampled, unique, range_max, seed=0, seed2=0, **_):
    return _finish(xp, _sample(_PhiloxDraws(ctx, num_sampled, seed, seed2), _log_uniform_dist(range_max),
                               _as_host(true_classes), num_true, num_sampled, unique, range_max))


def _learned_unigram_kernel(ctx, xp, true_classes, *, num_true, num_sampled, unique, range_max, **_):
    """Classes drawn in proportion to how often each came up as a true class in this session's earlier runs
    (each starts with weight 1); this run's true classes are counted after it draws, as in TF."""
    key = ("LearnedUnigramCandidateSampler", ctx.op)
    counts = ctx.state.resource(key, lambda: np.ones(range_max, np.int64))
    true_classes = _as_host(true_classes)
    total = counts.sum()
    weights = counts.astype(np.float64)
    draw_some = _weighted_dist(weights)[0]
    outs = _sample(ctx.rng, (draw_some, lambda v: (counts[v].astype(np.float32) / np.float32(total))),
                   true_classes, num_true, num_sampled, unique, range_max)
    room = max(0, min(true_classes.size, _INT32_MAX - int(total)))
    counts += np.bincount(true_classes.reshape(-1)[:room], minlength=range_max)
    return _finish(xp, outs)


def _fixed_unigram_kernel(ctx, xp, true_classes, *, num_true, num_sampled, unique, range_max, vocab_file="",
                          distortion=1.0, num_reserved_ids=0, num_shards=1, shard=0, unigrams=(), **_):
    if not vocab_file and not len(unigrams):
        raise _invalid("Must provide either vocab_file or unigrams.")
    if vocab_file and len(unigrams):
        raise _invalid("Must only provide one of vocab_file and unigrams.")
    weights = _fixed_unigram_weights(range_max, unigrams, distortion, num_reserved_ids, num_shards, shard)
    return _finish(xp, _sample(ctx.rng, _weighted_dist(weights), _as_host(true_classes), num_true, num_sampled,
                               unique, range_max))


def _all_kernel(ctx, xp, true_classes, *, num_true, num_sampled, unique, **_):
    """Every class once: [0, num_sampled), all expected counts 1."""
    true_classes = _as_host(true_classes)
    if true_classes.ndim != 2:
        raise _invalid("true_classes must be a matrix")
    if true_classes.shape[1] != num_true:
        raise _invalid("true_classes must have num_true columns, expected: %d was: %d"
                       % (true_classes.shape[1], num_true))
    return _finish(xp, (np.arange(num_sampled, dtype=np.int64), np.ones(true_classes.shape, np.float32),
                        np.ones(num_sampled, np.float32)))


for _type, _infer, _kernel in [("UniformCandidateSampler", _sampler_infer, _uniform_kernel),
                               ("LogUniformCandidateSampler", _sampler_infer, _log_uniform_kernel),
                               ("LearnedUnigramCandidateSampler", _unigram_infer, _learned_unigram_kernel),
                               ("FixedUnigramCandidateSampler", _sampler_infer, _fixed_unigram_kernel),
                               ("AllCandidateSampler", _sampler_infer, _all_kernel)]:
    register_op(_type, infer=_infer, kernel=_kernel, grad=NOT_DIFFERENTIABLE, stateful=True, needs_ctx=True,
                cpu_only=True)


def _sampler(op_type, true_classes, num_true, num_sampled, unique, seed, name, **attrs):
    """Build one sampler op named `name` (default: its type), with TF's attribute checks."""
    num_true, num_sampled = int(num_true), int(num_sampled)
    _check_minimum(op_type, "num_true", num_true, 1)
    _check_minimum(op_type, "num_sampled", num_sampled, 1)
    if "range_max" in attrs:
        attrs["range_max"] = int(attrs["range_max"])
        _check_minimum(op_type, "range_max", attrs["range_max"], 1)
    s1, s2 = get_seed(seed)
    attrs.update(num_true=num_true, num_sampled=num_sampled, unique=bool(unique), seed=s1 or 0, seed2=s2 or 0)
    with name_scope(name, op_type, [true_classes]) as scope:
        true_classes = convert_one(op_type, "true_classes", true_classes, dtype=dtypes.int64)
        return _SAMPLER_OUTPUTS[op_type](*make_op(op_type, [true_classes], attrs, name=scope))


def uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed=None, name=None):
    """Samples `num_sampled` classes uniformly from [0, range_max), without replacement if `unique`.

    true_classes: int64 [batch_size, num_true]. Returns (sampled_candidates int64 [num_sampled],
    true_expected_count float32 [batch_size, num_true], sampled_expected_count float32 [num_sampled]):
    the expected counts are Q(y), the number of times each class is expected to be drawn.

    >>> s, t, e = tf.nn.uniform_candidate_sampler([[3]], 1, 4, True, 10)   # e.g. [7 2 3 0], [[0.4]], [0.4 ...]
    """
    return _sampler("UniformCandidateSampler", true_classes, num_true, num_sampled, unique, seed, name,
                    range_max=range_max)


def log_uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed=None, name=None):
    """As `uniform_candidate_sampler`, with the log-uniform (Zipfian) distribution
    P(class) = log((class + 2) / (class + 1)) / log(range_max + 1): small ids (frequent words, when the
    vocabulary is sorted by frequency) are drawn most. nce_loss and sampled_softmax_loss use it by default."""
    return _sampler("LogUniformCandidateSampler", true_classes, num_true, num_sampled, unique, seed, name,
                    range_max=range_max)


def learned_unigram_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed=None,
                                      name=None):
    """As `uniform_candidate_sampler`, drawing classes in proportion to how often each was a true class in
    this session's earlier runs of the op (each counted once to start with)."""
    if range_max > _INT32_MAX:
        raise ValueError("Value of range_max:%d is too large to handle" % range_max)
    return _sampler("LearnedUnigramCandidateSampler", true_classes, num_true, num_sampled, unique, seed, name,
                    range_max=range_max)


def fixed_unigram_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, vocab_file="",
                                    distortion=1.0, num_reserved_ids=0, num_shards=1, shard=0, unigrams=(),
                                    seed=None, name=None):
    """As `uniform_candidate_sampler`, drawing class i in proportion to unigrams[i] ** distortion.

    unigrams: one count (or probability) per class, range_max of them. The first `num_reserved_ids`
    classes are never drawn; num_shards/shard keep this shard's ids only (id % num_shards == shard).
    tfmini takes the counts as `unigrams` only: read a `vocab_file` yourself and pass its counts."""
    op_type = "FixedUnigramCandidateSampler"
    if vocab_file:
        raise NotImplementedError("tfmini's fixed_unigram_candidate_sampler takes the counts as unigrams=[...]; "
                                  "read vocab_file %r yourself and pass its last column" % (vocab_file,))
    _check_minimum(op_type, "num_shards", int(num_shards), 1)
    _check_minimum(op_type, "shard", int(shard), 0)
    return _sampler(op_type, true_classes, num_true, num_sampled, unique, seed, name, range_max=range_max,
                    vocab_file="", distortion=float(distortion), num_reserved_ids=int(num_reserved_ids),
                    num_shards=int(num_shards), shard=int(shard), unigrams=[float(u) for u in unigrams])


def all_candidate_sampler(true_classes, num_true, num_sampled, unique, seed=None, name=None):
    """Every class in [0, num_sampled), each with expected count 1 (for checking the sampled losses
    against the full ones)."""
    return _sampler("AllCandidateSampler", true_classes, num_true, num_sampled, unique, seed, name)


# =========================================================================== ComputeAccidentalHits
def _accidental_hits_infer(true_classes, sampled_candidates, *, num_true, **_):
    d = static_dim(with_rank(true_classes.shape, 2), 1)
    if d is not None and d != num_true:
        raise InferenceError("Dimension must be %d but is %d" % (num_true, d))
    with_rank(sampled_candidates.shape, 1)
    v = TensorShape([None])
    return [(dtypes.int32, v), (dtypes.int64, v), (dtypes.float32, v)]


def _accidental_hits_kernel(xp, true_classes, sampled_candidates, *, num_true, **_):
    """Where a true class of row i was also sampled, at position j: (i, j, -FLT_MAX), row by row; a class
    sampled several times is found at its last position, as TF's map keeps it."""
    if true_classes.ndim != 2 or true_classes.shape[1] != num_true:
        raise _invalid("true_candidates must be a batch_size * num_true matrix")
    if sampled_candidates.ndim != 1:
        raise _invalid("sampled_candidates must be a vector, which is typically an output from CandidateSampler")
    n = sampled_candidates.shape[0]
    flat = true_classes.reshape(-1)
    if n == 0 or flat.shape[0] == 0:
        ids = xp.zeros(0, np.int64)
        return xp.zeros(0, np.int32), ids, xp.zeros(0, np.float32)
    # each class's last position among the samples: the first in the reversed order
    order = xp.argsort(sampled_candidates[::-1], kind="stable")
    keys = sampled_candidates[::-1][order]
    at = xp.minimum(xp.searchsorted(keys, flat), n - 1)
    hit = keys[at] == flat
    rows = xp.arange(flat.shape[0]) // num_true
    ids = (n - 1 - order[at])[hit]
    return (rows[hit].astype(np.int32), ids.astype(np.int64),
            xp.full(ids.shape, -np.finfo(np.float32).max, dtype=np.float32))


register_op("ComputeAccidentalHits", infer=_accidental_hits_infer, kernel=_accidental_hits_kernel,
            grad=NOT_DIFFERENTIABLE, cpu_only=True)  # TF has a CPU kernel only


def compute_accidental_hits(true_classes, sampled_candidates, num_true, seed=None, name=None):
    """Where the sampled classes hit a row's true classes: (indices int32 — the rows, ids int64 — the
    positions in `sampled_candidates`, weights float32 — all -FLT_MAX), ready for a SparseToDense that
    pushes those logits to -inf.

    >>> tf.nn.compute_accidental_hits([[1, 2], [3, 4]], tf.constant([2, 9, 3], tf.int64), 2)
    ... # ([0, 1], [0, 2], [-3.4e38, -3.4e38])
    """
    op_type = "ComputeAccidentalHits"
    s1, s2 = get_seed(seed)
    attrs = {"num_true": int(num_true), "seed": s1 or 0, "seed2": s2 or 0}
    with name_scope(name, op_type, [true_classes, sampled_candidates]) as scope:
        true_classes = convert_one(op_type, "true_classes", true_classes, dtype=dtypes.int64)
        sampled_candidates = convert_one(op_type, "sampled_candidates", sampled_candidates, dtype=dtypes.int64)
        return _HitsOutputs(*make_op(op_type, [true_classes, sampled_candidates], attrs, name=scope))
