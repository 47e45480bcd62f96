"""Random ops: the op table checks static shape and dtype only; plain tests check TF's seeding rules (graph- and
op-level seeds, per-session sequences), the samples' statistics, and that seeded ops draw TensorFlow's numbers."""
import json
import pathlib

import numpy as np
import pytest

import tfmini as tf
from optable import Row, rows_test
from random_cases import CASES as SEEDED_CASES


def _shape_of_placeholder(tf, make):
    """`make(shape_tensor)` where the shape comes from a placeholder with an unknown first dimension."""
    ph = tf.placeholder(tf.float32, [None, 3])
    return make(tf.shape(ph)), {ph: np.zeros((5, 3), np.float32)}


CASES = [
    Row("RandomStandardNormal", lambda tf: tf.random_normal([2, 3]), id="RandomStandardNormal-f32"),
    Row("RandomStandardNormal", lambda tf: tf.random_normal((4, 1, 2), mean=3.0, stddev=0.5, dtype=tf.float64),
        id="RandomStandardNormal-f64", dtype=np.float64),
    Row("RandomStandardNormal", lambda tf: tf.random_normal([3], dtype=tf.float16), id="RandomStandardNormal-f16"),
    Row("RandomStandardNormal", lambda tf: tf.random_normal([]), id="RandomStandardNormal-scalar"),
    Row("RandomStandardNormal", lambda tf: _shape_of_placeholder(tf, tf.random_normal),
        id="RandomStandardNormal-unknown-dims"),
    Row("TruncatedNormal", lambda tf: tf.truncated_normal([3, 2], stddev=0.1), id="TruncatedNormal-f32"),
    Row("TruncatedNormal", lambda tf: tf.truncated_normal([2, 5], dtype=tf.float64, seed=3),
        id="TruncatedNormal-f64", dtype=np.float64),
    Row("TruncatedNormal", lambda tf: _shape_of_placeholder(tf, tf.truncated_normal),
        id="TruncatedNormal-unknown-dims"),
    Row("RandomUniform", lambda tf: tf.random_uniform([2, 3]), id="RandomUniform-f32"),
    Row("RandomUniform", lambda tf: tf.random_uniform([3, 1], -2.0, 5.0, dtype=tf.float64),
        id="RandomUniform-f64", dtype=np.float64),
    Row("RandomUniform", lambda tf: tf.random_uniform([7], dtype=tf.float16), id="RandomUniform-f16",
        dtype=np.float16),
    Row("RandomUniform", lambda tf: _shape_of_placeholder(tf, tf.random_uniform), id="RandomUniform-unknown-dims"),
    Row("RandomUniformInt", lambda tf: tf.random_uniform([4, 2], maxval=10, dtype=tf.int32), id="RandomUniformInt-i32",
        dtype=np.int32),
    Row("RandomUniformInt", lambda tf: tf.random_uniform([3], minval=-5, maxval=5, dtype=tf.int64),
        id="RandomUniformInt-i64", dtype=np.int64),
    Row("RandomUniformInt", lambda tf: _shape_of_placeholder(
        tf, lambda s: tf.random_uniform(s, maxval=3, dtype=tf.int32)), id="RandomUniformInt-unknown-dims"),
    Row("RandomShuffle", lambda tf: tf.random_shuffle(tf.constant(np.arange(8).reshape(4, 2))), id="RandomShuffle"),
    Row("RandomShuffle", lambda tf: tf.random_shuffle([1.0, 2.0, 3.0]), id="RandomShuffle-vector"),
]
CASES += [
    Row("Multinomial", lambda tf: tf.multinomial(tf.log([[0.5, 0.5], [0.1, 0.9], [1.0, 0.0]]), 4),
        id="Multinomial-int64", dtype=np.int64),
    Row("Multinomial", lambda tf: (lambda p: (tf.random.categorical(p, 3, dtype=tf.int32), {p: np.zeros((5, 4))}))(
        tf.placeholder(tf.float64, [None, 4])), id="Multinomial-categorical-int32-unknown", dtype=np.int32),
    # one class with all the mass, one row with none (TF draws num_classes there), no draws at all
    Row("Multinomial", lambda tf: tf.multinomial([[-np.inf, 0.0, -np.inf], [-np.inf] * 3], 2),
        np.array([[1, 1], [3, 3]], np.int64), id="Multinomial-certain-and-massless"),
    Row("Multinomial", lambda tf: tf.multinomial([[0.0, 1.0]], 0), np.zeros((1, 0), np.int64),
        id="Multinomial-no-samples"),
]

test_row = rows_test(CASES)


def _two_sessions(fetch, feed=None):
    with tf.Session() as s1:
        first = s1.run(fetch, feed)
        second = s1.run(fetch, feed)
    with tf.Session() as s2:
        again = s2.run(fetch, feed)
    return first, second, again


# =========================================================================== seeds
def test_graph_seed_repeats_across_sessions():
    tf.set_random_seed(1234)
    a = tf.random_uniform([5])
    b = tf.random_normal([5])
    first, second, again = _two_sessions([a, b])
    np.testing.assert_array_equal(first[0], again[0])  # a new session starts the same sequence
    np.testing.assert_array_equal(first[1], again[1])
    assert not np.array_equal(first[0], second[0])     # each run draws new values
    assert not np.array_equal(first[0], first[1][:5])  # the two ops have different sequences


def test_op_seed_alone_repeats_across_sessions_and_graphs():
    a = tf.random_normal([6], seed=7)
    b = tf.random_normal([6])
    first, second, again = _two_sessions([a, b])
    np.testing.assert_array_equal(first[0], again[0])
    assert not np.array_equal(first[0], second[0])
    assert not np.array_equal(first[1], again[1])  # no seed at all: every session differs
    tf.reset_default_graph()
    with tf.Session() as s:
        np.testing.assert_array_equal(s.run(tf.random_normal([6], seed=7)), first[0])


def test_same_seeds_same_values():
    tf.set_random_seed(5)
    a = tf.random_uniform([4], seed=2)
    b = tf.random_uniform([4], seed=2)
    with tf.Session() as s:
        va, vb = s.run([a, b])
    np.testing.assert_array_equal(va, vb)


def test_no_seed_differs_across_sessions():
    a = tf.random_uniform([8])
    first, second, again = _two_sessions(a)
    assert not np.array_equal(first, again)
    assert not np.array_equal(first, second)


def test_get_seed_rules():
    assert tf.get_seed(None) == (None, None)
    assert tf.get_seed(5) == (87654321, 5)
    assert tf.get_seed(2 ** 31 + 5) == (87654321, 6)  # truncated into 32 bits as TF does
    tf.constant(1.0)
    tf.set_random_seed(3)
    last = tf.get_default_graph()._last_id
    assert tf.get_seed(None) == (3, last)
    assert tf.get_seed(9) == (3, 9)
    tf.set_random_seed(0)
    assert tf.get_seed(0) == (0, 2 ** 31 - 1)  # (0, 0) would mean "non-deterministic"


def test_seed_attrs_on_the_op():
    tf.set_random_seed(11)
    r = tf.random_normal([2], seed=4)
    op = tf.get_default_graph().get_operation_by_name("random_normal/RandomStandardNormal")
    assert (op.get_attr("seed"), op.get_attr("seed2")) == (11, 4)
    assert r.op.name == "random_normal" and r.op.type == "Add"
    names = [o.name for o in tf.get_default_graph().get_operations()]
    assert names == ["random_normal/shape", "random_normal/mean", "random_normal/stddev",
                     "random_normal/RandomStandardNormal", "random_normal/mul", "random_normal"]


def test_random_uniform_names():
    u = tf.random_uniform([2], 1.0, 3.0)
    assert u.op.name == "random_uniform"
    assert [o.name for o in tf.get_default_graph().get_operations()][-3:] == [
        "random_uniform/sub", "random_uniform/mul", "random_uniform"]
    i = tf.random_uniform([2], maxval=4, dtype=tf.int32, name="ints")
    assert i.op.name == "ints" and i.op.type == "RandomUniformInt"


# =========================================================================== statistics
def test_random_normal_statistics():
    tf.set_random_seed(42)
    x = tf.random_normal([20000], mean=3.0, stddev=2.0)
    with tf.Session() as s:
        v = s.run(x)
    assert abs(v.mean() - 3.0) < 0.06 and abs(v.std() - 2.0) < 0.06


def test_truncated_normal_within_two_stddev():
    tf.set_random_seed(42)
    x = tf.truncated_normal([20000], mean=-1.0, stddev=0.5)
    with tf.Session() as s:
        v = s.run(x)
    assert v.min() >= -2.0 and v.max() <= 0.0
    assert abs(v.mean() + 1.0) < 0.02
    assert abs(v.std() - 0.5 * 0.8796) < 0.02  # the standard deviation of a normal cut at +-2 sigma
    assert 0.25 < (np.abs(v + 1.0) > 0.5).mean() < 0.32  # P(1 < |z| < 2) / P(|z| < 2) = 0.285


def test_random_uniform_statistics():
    tf.set_random_seed(42)
    x = tf.random_uniform([20000], minval=-2.0, maxval=6.0)
    h = tf.random_uniform([20000], dtype=tf.float16)
    with tf.Session() as s:
        v, vh = s.run([x, h])
    assert v.min() >= -2.0 and v.max() < 6.0
    assert abs(v.mean() - 2.0) < 0.1
    assert vh.min() >= 0.0 and vh.max() < 1.0


def test_random_uniform_int():
    tf.set_random_seed(42)
    x = tf.random_uniform([5000], minval=-3, maxval=4, dtype=tf.int32)
    with tf.Session() as s:
        v = s.run(x)
    assert v.dtype == np.int32 and sorted(set(v.tolist())) == list(range(-3, 4))


def test_random_uniform_int_needs_maxval():
    with pytest.raises(ValueError, match=r"Must specify maxval for integer dtype tf\.int32"):
        tf.random_uniform([2], dtype=tf.int32)
    with pytest.raises(ValueError, match=r"Invalid dtype tf\.bool"):
        tf.random_uniform([2], dtype=tf.bool)
    bad = tf.random_uniform([2], minval=5, maxval=5, dtype=tf.int32)
    with tf.Session() as s:
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"Need minval < maxval: 5 >= 5"):
            s.run(bad)


def test_random_shape_errors():
    with pytest.raises(ValueError, match=r"Shape must be rank 1 but is rank 2 for 'random_normal/"
                                         r"RandomStandardNormal'"):
        tf.random_normal(tf.constant([[2, 3]]))
    with pytest.raises(TypeError, match=r"Value passed to parameter 'shape' has DataType float32"):
        tf.random_normal(tf.constant([2.0]))
    with pytest.raises(ValueError, match=r"Invalid dtype tf\.int32 for random_normal"):
        tf.random_normal([2], dtype=tf.int32)


def test_random_shuffle_permutes_rows():
    rows = np.arange(20).reshape(10, 2)
    tf.set_random_seed(3)
    x = tf.random_shuffle(tf.constant(rows))
    with tf.Session() as s:
        draws = [s.run(x) for _ in range(5)]
    for d in draws:
        assert d.shape == (10, 2)
        np.testing.assert_array_equal(d[:, 1] - d[:, 0], 1)  # rows move whole
        assert sorted(d[:, 0].tolist()) == rows[:, 0].tolist()
    assert any(not np.array_equal(d, rows) for d in draws)
    assert any(not np.array_equal(d, draws[0]) for d in draws[1:])


@pytest.mark.parametrize("dtype, top", [(np.float32, np.float32(1 - 2.0 ** -23)), (np.float64, 1 - 2.0 ** -52)])
def test_uniform_stays_below_tfs_largest_sample_so_dropout_at_keep_prob_one_is_exact(dtype, top):
    """TF's uniform samples fill 23 mantissa bits (52 for float64), so the largest is 1 - 2**-23; numpy's
    1 - 2**-24 would make keep_prob 1.0 + u round to 2.0 and dropout double that element at test time."""
    from tfmini.ops import philox_random
    ones = np.full(3, 0xFFFFFFFF, np.uint32)
    u = philox_random._float32_of(np, ones) if dtype == np.float32 else philox_random._float64_of(np, ones, ones)
    assert u.dtype == dtype and (u == top).all()
    one = dtype(1)
    assert np.floor(one + u[0]) == 1 and np.floor(one + np.nextafter(one, dtype(0))) == 2  # the bug it avoids


# =========================================================================== TensorFlow's own numbers
_TF_RANDOM = json.loads((pathlib.Path(__file__).parent / "data" / "tf_random_ops.json").read_text())
_RANDOM_OPS = ("RandomStandardNormal", "TruncatedNormal", "RandomUniform", "RandomUniformInt", "RandomShuffle",
               "Multinomial", "UniformCandidateSampler", "LogUniformCandidateSampler")


def _from_hex(v):
    return np.frombuffer(bytes.fromhex(v["hex"]), np.dtype(v["dtype"]).newbyteorder("<")).reshape(v["shape"])


@pytest.mark.parametrize("name", sorted(SEEDED_CASES))
def test_seeded_ops_draw_tensorflows_numbers(name, backend):
    """A seeded op draws what TensorFlow's draws, bit for bit (Philox, ops/philox_random.py), run after run: the
    numbers a TF 1.x tutorial prints. Goldens: tests/data/gen/random_ops.py (TF 2.21, the same kernels as 1.x)."""
    graph_seed, build = SEEDED_CASES[name]
    want = _TF_RANDOM["cases"][name]
    tf.reset_default_graph()
    if graph_seed is not None:
        tf.set_random_seed(graph_seed)
    t = build(tf)
    random_ops = sorted((op for op in tf.get_default_graph().get_operations() if op.type in _RANDOM_OPS),
                        key=lambda op: op.name)
    assert [[op.name, op.type, op.get_attr("seed"), op.get_attr("seed2")] for op in random_ops] == want["seeds"]
    with tf.Session() as s:
        if tf.global_variables():  # a variable's initializer: its random op runs once, with it
            raw = s.run([tf.global_variables_initializer()] + [op.outputs[0] for op in random_ops])[1:]
            runs = [(s.run(t), raw)]
        else:
            runs = [(value, raw) for value, *raw in (s.run([t] + [op.outputs[0] for op in random_ops])
                                                     for _ in want["runs"])]
    for (value, raw), expected in zip(runs, want["runs"]):
        for got, tf_drew in zip(raw, expected["raw"]):
            tf_drew = _from_hex(expected["value"] if tf_drew is None else tf_drew)  # (None: the value itself)
            assert got.dtype == tf_drew.dtype and got.shape == tf_drew.shape
            if random_ops[0].type not in ("RandomStandardNormal", "TruncatedNormal"):  # bits -> values, exactly
                assert got.tobytes() == tf_drew.tobytes(), (got, tf_drew)
            else:
                # Box-Muller: TF's kernel calls the C library's logf and sincosf, whose last bits differ between
                # platforms; tfmini rounds exact results. Against glibc 2.36's, of a million float32 normals
                # 98.5% are the same, 1.3% 1 ulp away, 0.2% 2 and 7 values 3: what prints is TF's.
                # On a GPU, float64's log, sin and cos are CUDA's (within 1 and 2 ulp of the exact result, not
                # correctly rounded as glibc's nearly are): of 300 float64 normals on an H200, up to 50 differed
                # from TF's CPU numbers, by at most 2 ulp. TF's own GPU kernel uses the same functions.
                ulps = _ulps(got, tf_drew)
                cuda_float64 = backend == "cupy" and got.dtype == np.float64
                differ = ulps.size if cuda_float64 else max(1, ulps.size // 10)
                assert ulps.max(initial=0) <= 3 and (ulps != 0).sum() <= differ, (got, tf_drew)
        expected = _from_hex(expected["value"])  # and what the program made of them (scaled, a variable's value)
        assert value.dtype == expected.dtype and value.shape == expected.shape
        np.testing.assert_allclose(value, expected, rtol=2e-6, atol=1e-6 * np.abs(expected).max(initial=1))


def _ulps(a, b):
    """How many representable values lie between a and b, elementwise (floats of one dtype)."""
    ints = {2: np.int16, 4: np.int32, 8: np.int64}[a.dtype.itemsize]

    def ordered(x):  # the float's bits as an integer that orders like the float
        i = x.view(ints).astype(np.int64)
        return np.where(i < 0, np.iinfo(ints).min - i, i)
    return np.abs(ordered(a) - ordered(b))


def test_truncated_normal_redraws_only_for_the_groups_that_need_them():
    """Each group of four values reads its own run of calls, from call 256 * g; a group whose first four
    candidates include one at |x| >= 2 takes more. Large draws agree with drawing group by group."""
    from tfmini.ops import philox_random as ph
    key, counter = ph.PhiloxStream(87654321, 5).reserve(0)
    many = ph.truncated_normal(np, key, counter, 4000, np.float32)
    assert np.abs(many).max() < 2 and abs(many.mean()) < 0.05 and 0.85 < many.std() < 0.9  # (truncated at 2)
    for g in (0, 17, 999):  # one group alone, from its own calls
        alone = ph.truncated_normal(np, key, counter + 256 * g, 4, np.float32)
        np.testing.assert_array_equal(alone, many[4 * g:4 * g + 4])


@pytest.mark.parametrize("draw", ["uniform", "normal", "truncated_normal"])
def test_blocks_and_threads_do_not_change_the_numbers(draw, monkeypatch):
    """Large draws are computed in blocks, on the CPU by the pool's threads: the numbers are the same."""
    from tfmini.ops import philox_random as ph
    key, counter = ph.PhiloxStream(7, 3).reserve(0)
    whole = getattr(ph, draw)(np, key, counter, 1001, np.float32)
    monkeypatch.setattr(ph, "_BLOCK", 16)  # 1001 values: 16 blocks of 16 calls
    np.testing.assert_array_equal(getattr(ph, draw)(np, key, counter, 1001, np.float32), whole)


def test_a_run_reserves_256_calls_an_output_and_the_counter_carries_across_64_bits():
    from tfmini.ops import philox_random as ph
    s = ph.PhiloxStream(3, 2 ** 64 - 1)
    assert s.reserve(10) == (3, (2 ** 64 - 1) << 64) and s.counter == ((2 ** 64 - 1) << 64) + 10
    top = ph.PhiloxStream(1, 0)
    top.counter = 2 ** 64 - 2  # the low 64 bits wrap while a draw is in progress: the carry reaches the high ones
    key, counter = top.reserve(0)
    both = ph.normal(np, key, counter, 16, np.float32)
    np.testing.assert_array_equal(both[8:], ph.normal(np, key, 2 ** 64, 8, np.float32))


# =========================================================================== multinomial / categorical / random_crop
def test_multinomial_names_seeds_and_frequencies():
    logits = tf.log([[0.1, 0.2, 0.7], [0.5, 0.5, 0.0]])
    s = tf.multinomial(logits, 20000, seed=1)
    assert (s.name, s.shape.as_list(), s.op.inputs[1].op.name) == (
        "multinomial/Multinomial:0", [2, 20000], "multinomial/Multinomial/num_samples")
    c = tf.random.categorical(logits, 3, seed=4, dtype=tf.int32)
    assert (c.name, c.dtype, c.op.get_attr("seed"), c.op.get_attr("seed2")) == (
        "categorical/Multinomial:0", tf.int32, 87654321, 4)
    first, second, again = _two_sessions(s)
    np.testing.assert_array_equal(first, again)  # an op seed repeats per session
    assert not np.array_equal(first, second)
    np.testing.assert_allclose(np.bincount(first[0], minlength=3) / 20000, [0.1, 0.2, 0.7], atol=0.015)
    np.testing.assert_allclose(np.bincount(first[1], minlength=3) / 20000, [0.5, 0.5, 0.0], atol=0.015)


def test_multinomial_errors():
    with pytest.raises(ValueError, match=r"Shape must be rank 2 but is rank 1 for 'multinomial/Multinomial'"):
        tf.multinomial([0.5, 0.5], 3)
    with pytest.raises(ValueError, match="Argument `dtype` got invalid value <dtype: 'float32'>. Accepted dtypes are "
                                         r"\(tf.int32, tf.int64\)."):
        tf.multinomial([[0.5, 0.5]], 3, output_dtype=tf.float32)
    with pytest.raises(ValueError, match="Dimension size, given by scalar input 1, must be non-negative but is -3"):
        tf.multinomial([[0.5, 0.5]], -3)
    with pytest.raises(TypeError, match="Input 'num_samples' of 'Multinomial' Op has type int64 that does not match "
                                        "expected type of int32."):
        tf.multinomial([[0., 0.]], tf.constant(2, tf.int64))
    n, logits = tf.placeholder(tf.int32), tf.placeholder(tf.float32)
    with tf.Session() as sess:
        for fetch, feed, msg in [(tf.multinomial([[0., 0.]], n), {n: -2}, "num_samples should be non-negative, got -2"),
                                 (tf.multinomial(logits, 2), {logits: [0., 0.]}, r"logits should be a matrix, got "
                                                                                  r"shape \[2\]"),
                                 (tf.multinomial(tf.zeros([2, 0]), 3), None, "num_classes should be positive, got 0")]:
            with pytest.raises(tf.errors.InvalidArgumentError, match=msg):
                sess.run(fetch, feed)


def test_random_crop_as_tf_builds_it():
    crop = tf.random_crop(tf.zeros([5, 6, 3]), [2, 3, 3], seed=1)
    types = [o.type for o in crop.graph.get_operations()]
    assert (crop.name, crop.shape.as_list()) == ("random_crop:0", [2, 3, 3])
    assert types[-11:] == ["Assert", "Identity", "Sub", "Const", "AddV2", "Const", "Const", "Const",
                           "RandomUniformInt", "FloorMod", "Slice"]  # TF's ops, in TF's order
    assert tf.random_crop(tf.placeholder(tf.float32, [None, 6]), [2, 3]).shape.as_list() == [2, 3]
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 2 and 3 for 'random_crop_2/GreaterEqual'"):
        tf.random_crop(tf.zeros([5, 6]), [1, 2, 3])
    value = np.arange(30.0).reshape(5, 6)
    p = tf.placeholder(tf.float64)
    small, big = tf.random_crop(p, [2, 3]), tf.random_crop(p, [6, 3])
    with tf.Session() as sess:
        seen = set()
        for _ in range(40):
            got = sess.run(small, {p: value})
            r, c = divmod(int(got[0, 0]), 6)
            np.testing.assert_array_equal(got, value[r:r + 2, c:c + 3])
            seen.add((r, c))
        assert len(seen) > 5 and all(r <= 3 and c <= 3 for r, c in seen)
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"assertion failed: \[Need value.shape >= size, got \] \[5 6\] \[6 3\]"):
            sess.run(big, {p: value})
