"""The cases of the seeded-random tests, written once for both engines: `CASES` maps a name to
(graph seed, build), where build(tf) makes the tensor to fetch with the `tf` module given (tfmini, or
TensorFlow 2.21's compat.v1 in tests/data/gen/random_ops.py, which records what TensorFlow draws)."""


def _op(kind, shape, dtype, seed):
    def build(tf):
        dt = getattr(tf, dtype)
        if kind == "normal":
            return tf.random_normal(shape, dtype=dt, seed=seed)
        if kind == "truncated":
            return tf.truncated_normal(shape, dtype=dt, seed=seed)
        return tf.random_uniform(shape, dtype=dt, seed=seed)
    return build


def _ints(shape, dtype, lo, hi):
    return lambda tf: tf.random_uniform(shape, minval=lo, maxval=hi, dtype=getattr(tf, dtype), seed=4)


def _variable(initializer):
    return lambda tf: tf.get_variable("w", [3, 3, 2, 4] if "variance" in initializer else [4, 3],
                                      initializer=_INITIALIZERS[initializer](tf))


_INITIALIZERS = {
    "glorot_uniform": lambda tf: tf.glorot_uniform_initializer(seed=1),
    "truncated_normal_initializer": lambda tf: tf.truncated_normal_initializer(stddev=0.1, seed=2),
    "random_normal_initializer": lambda tf: tf.random_normal_initializer(stddev=0.1, seed=3),
    "variance_scaling_normal": lambda tf: tf.variance_scaling_initializer(seed=5),
}

CASES = {}
for _dtype in ("float16", "float32", "float64"):
    for _shape in ([1], [5], [7, 3], [300]):  # a part group, whole groups; 300: truncated normal's redraws
        for _seed in (1, 87654321):
            for _kind in ("normal", "truncated", "uniform"):
                CASES["%s_%s_%s_%d" % (_kind, _dtype, "x".join(map(str, _shape)), _seed)] = (
                    None, _op(_kind, _shape, _dtype, _seed))
for _dtype, _lo, _hi in (("int32", -3, 10), ("int32", 0, 2 ** 31 - 1), ("int32", -2 ** 31, 2 ** 31 - 1),
                         ("int64", -3, 10), ("int64", -2 ** 62, 2 ** 62), ("int64", 0, 7)):
    for _shape in ([1], [7, 3], [257]):
        CASES["uniform_int_%s_%d_%d_%s" % (_dtype, _lo, _hi, "x".join(map(str, _shape)))] = (
            None, _ints(_shape, _dtype, _lo, _hi))
CASES.update({
    "normal_mean_stddev": (None, lambda tf: tf.random_normal([6], mean=2.0, stddev=3.0, seed=9)),
    "uniform_range": (None, lambda tf: tf.random_uniform([6], minval=-1.5, maxval=4.0, seed=9)),
    "graph_and_op_seed": (777, lambda tf: tf.random_normal([5], seed=12)),
    "graph_and_op_seed_zero": (0, lambda tf: tf.random_normal([5], seed=0)),  # (0, 0) -> (0, 2**31 - 1)
    "big_seeds": (2 ** 35 + 3, lambda tf: tf.random_normal([5], seed=2 ** 40 + 5)),
    "dropout": (None, lambda tf: tf.nn.dropout(tf.ones([4, 5]), keep_prob=0.5, seed=6)),
    "shuffle_10": (None, lambda tf: tf.random_shuffle(tf.range(10), seed=3)),
    "shuffle_rows": (None, lambda tf: tf.random_shuffle(tf.reshape(tf.range(14.0), [7, 2]), seed=8)),
    "shuffle_1000": (None, lambda tf: tf.random_shuffle(tf.range(1000), seed=11)),
    "shuffle_one_row": (None, lambda tf: tf.random_shuffle(tf.ones([1, 3]), seed=11)),
    "multinomial_one_row": (None, lambda tf: tf.multinomial(tf.log([[0.1, 0.2, 0.7]]), 50, seed=5)),
    "multinomial_rows": (None, lambda tf: tf.multinomial([[1.0, 2.0, -1.0, 0.5], [0.0, 0.0, 0.0, 9.0]], 7, seed=6)),
    "multinomial_inf": (None, lambda tf: tf.multinomial([[-float("inf"), 0.0, 1.0], [-float("inf")] * 3], 5,
                                                        seed=7)),
    "uniform_sampler_unique": (None, lambda tf: tf.nn.uniform_candidate_sampler(
        tf.constant([[1], [3]], tf.int64), 1, 8, True, 50, seed=3)[0]),
    "uniform_sampler": (None, lambda tf: tf.nn.uniform_candidate_sampler(
        tf.constant([[1], [3]], tf.int64), 1, 20, False, 1000, seed=4)[0]),
    "log_uniform_sampler_unique": (None, lambda tf: tf.nn.log_uniform_candidate_sampler(
        tf.constant([[1, 2]], tf.int64), 2, 16, True, 50, seed=5)[0]),
    "log_uniform_sampler": (None, lambda tf: tf.nn.log_uniform_candidate_sampler(
        tf.constant([[1], [3]], tf.int64), 1, 8, False, 50, seed=6)[0]),
    "random_crop": (None, lambda tf: tf.random_crop(tf.reshape(tf.range(60), [6, 10]), [3, 4], seed=3)),
    "categorical_int32": (None, lambda tf: tf.random.categorical([[0.5, 0.5, 3.0]], 9, dtype=tf.int32, seed=8)),
})
CASES.update({name: (None, _variable(name)) for name in _INITIALIZERS})
