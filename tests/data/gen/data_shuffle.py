"""Writes tests/data/tf_data_shuffle.json: the element orders TensorFlow 2.21 (tf.compat.v1, v2 behaviour off) gives
for seeded `Dataset.shuffle` pipelines. Each case is a source text that builds its graph from `tf` and `np`, opens
its own session and sets `out` to what it fetched (lists of ints, through `drain` and `take` below);
tests/test_data_shuffle.py runs the same texts on tfmini and compares the orders exactly.

Run with a TensorFlow install: /tmp/tfvenv/bin/python tests/data/gen/data_shuffle.py
"""
import json
import pathlib

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
OUT = pathlib.Path(__file__).resolve().parent.parent / "tf_data_shuffle.json"


def _one_shot(ds):
    return "nxt = %s.make_one_shot_iterator().get_next()\nwith tf.Session() as sess:\n    out = drain(sess, nxt)" % ds


CASES = {
    "buffer-smaller": _one_shot("tf.data.Dataset.range(10).shuffle(4, seed=7)"),
    "buffer-equal": _one_shot("tf.data.Dataset.range(10).shuffle(10, seed=7)"),
    "buffer-larger": _one_shot("tf.data.Dataset.range(10).shuffle(100, seed=7)"),
    "buffer-one": _one_shot("tf.data.Dataset.range(6).shuffle(1, seed=2)"),
    "op-seed-zero": _one_shot("tf.data.Dataset.range(12).shuffle(5, seed=0)"),
    "op-seed-large": _one_shot("tf.data.Dataset.range(12).shuffle(5, seed=2**40 + 3)"),
    "graph-and-op-seed": "tf.set_random_seed(42)\n" + _one_shot("tf.data.Dataset.range(12).shuffle(5, seed=9)"),
    # the op seed taken from the graph's op count: ops made before the shuffle change it
    "shuffle-repeat-reshuffle": _one_shot("tf.data.Dataset.range(8).shuffle(5, seed=11).repeat(3)"),
    "shuffle-repeat-fixed": _one_shot("tf.data.Dataset.range(8).shuffle(5, seed=11, reshuffle_each_iteration=False)"
                                      ".repeat(3)"),
    "repeat-shuffle": _one_shot("tf.data.Dataset.range(5).repeat(3).shuffle(4, seed=5)"),
    "shuffle-batch": _one_shot("tf.data.Dataset.range(20).shuffle(8, seed=13).batch(6)"),
    "slices-shuffle-batch-repeat": _one_shot("tf.data.Dataset.from_tensor_slices((np.arange(10), np.arange(10) * 2))"
                                             ".shuffle(10, seed=1).batch(4).repeat(2)"),
    "map-shuffle": _one_shot("tf.data.Dataset.range(9).map(lambda i: i * i).shuffle(3, seed=8)"),
    # a shuffle inside a dataset function: a new dataset, with its own seed generator, for each element
    "flat-map-inner-shuffle": _one_shot("tf.data.Dataset.range(3).flat_map(lambda i: tf.data.Dataset.range(5)"
                                        ".shuffle(5, seed=3).repeat(2).map(lambda j: i * 10 + j))"),
    "repeat-flat-map-inner-shuffle": _one_shot("tf.data.Dataset.range(2).flat_map(lambda i: tf.data.Dataset"
                                               ".range(4).shuffle(4, seed=3).map(lambda j: i * 10 + j)).repeat(3)"),
    "interleave-inner-shuffle": _one_shot("tf.data.Dataset.range(3).interleave(lambda i: tf.data.Dataset.range(4)"
                                          ".shuffle(4, seed=6).map(lambda j: i * 10 + j), cycle_length=2).repeat(2)"),
    "nested-repeat": _one_shot("tf.data.Dataset.range(4).shuffle(4, seed=2).repeat(2).repeat(2)"),
    # one shuffled dataset read twice: the two reads share its seed generator
    "zip-same-shuffle": "ds = tf.data.Dataset.range(6).shuffle(3, seed=4).repeat(2)\n" +
                        _one_shot("tf.data.Dataset.zip((ds, ds))"),
    "concat-same-shuffle": "ds = tf.data.Dataset.range(5).shuffle(5, seed=4)\n" + _one_shot("ds.concatenate(ds)"),
    "large-1000": _one_shot("tf.data.Dataset.range(1000).shuffle(100, seed=123)"),
    "large-1000-full": _one_shot("tf.data.Dataset.range(1000).shuffle(1000, seed=4)"),
    "two-iterators": "ds = tf.data.Dataset.range(10).shuffle(4, seed=7).repeat(2)\n"
                     "a = ds.make_one_shot_iterator().get_next()\nb = ds.make_one_shot_iterator().get_next()\n"
                     "with tf.Session() as sess:\n    out = [take(sess, a, 10), take(sess, b, 20), take(sess, a, 10)]",
    "reinitialize": "it = tf.data.Dataset.range(10).shuffle(4, seed=7).make_initializable_iterator()\n"
                    "nxt = it.get_next()\nout = []\nwith tf.Session() as sess:\n"
                    "    for _ in range(3):\n        sess.run(it.initializer)\n        out.append(drain(sess, nxt))",
    "reinitialize-repeat": "it = tf.data.Dataset.range(6).shuffle(3, seed=7).repeat(2).make_initializable_iterator()\n"
                           "nxt = it.get_next()\nout = []\nwith tf.Session() as sess:\n"
                           "    for _ in range(2):\n        sess.run(it.initializer)\n"
                           "        out.append(drain(sess, nxt))",
    "reinitialize-midway": "it = tf.data.Dataset.range(10).shuffle(4, seed=7).make_initializable_iterator()\n"
                           "nxt = it.get_next()\nwith tf.Session() as sess:\n    sess.run(it.initializer)\n"
                           "    first = take(sess, nxt, 3)\n    sess.run(it.initializer)\n"
                           "    out = [first, drain(sess, nxt)]",
    "reinitializable-iterator": "ds = tf.data.Dataset.range(8).shuffle(8, seed=21)\n"
                                "it = tf.data.Iterator.from_structure(tf.int64, tf.TensorShape([]))\n"
                                "init = it.make_initializer(ds)\nnxt = it.get_next()\nout = []\n"
                                "with tf.Session() as sess:\n    for _ in range(2):\n"
                                "        sess.run(init)\n        out.append(drain(sess, nxt))",
    "two-sessions": "nxt = tf.data.Dataset.range(10).shuffle(4, seed=7).repeat(2).make_one_shot_iterator().get_next()\n"
                    "with tf.Session() as s1, tf.Session() as s2:\n    out = [drain(s1, nxt), drain(s2, nxt)]",
}


# A graph seed and no op seed. The op seed is then a count: TF 1.x's, the id of the last op the graph made (tfmini's
# rule, framework/random_seed.py; the lessons' printed numbers rest on it); TF 2.x's, how many seeds the graph handed
# out before (0, 1, ...). Recorded both ways: "tf1" with TF's get_seed given back its 1.x rule (what tfmini must
# give), "tf2" as TF 2.21 gives it.
GRAPH_SEED_CASES = {
    "graph-seed-only": "tf.set_random_seed(42)\n" + _one_shot("tf.data.Dataset.range(12).shuffle(5)"),
    "graph-seed-after-ops": "tf.set_random_seed(1)\nc = tf.constant(3.0) * 2\n" +
                            _one_shot("tf.data.Dataset.range(12).shuffle(5)"),
    "graph-seed-two-shuffles": "tf.set_random_seed(5)\n" +
                               _one_shot("tf.data.Dataset.range(12).shuffle(4).map(lambda i: i * 10).shuffle(3)"),
    "shuffle-repeat-graph-seed": "tf.set_random_seed(3)\n" +
                                 _one_shot("tf.data.Dataset.range(6).shuffle(6).repeat(3)"),
}


def _value(v):
    return _value(v.tolist()) if isinstance(v, np.ndarray) else [_value(x) for x in v] \
        if isinstance(v, (list, tuple)) else int(v)


def take(sess, fetch, n):
    """The next `n` elements `fetch` yields."""
    return [_value(sess.run(fetch)) for _ in range(n)]


def drain(sess, fetch):
    """Every element `fetch` yields until the end of the sequence."""
    out = []
    while True:
        try:
            out.append(_value(sess.run(fetch)))
        except Exception as e:  # (TF's or tfmini's OutOfRangeError: this file runs under both)
            if type(e).__name__ != "OutOfRangeError":
                raise
            return out


def run_case(tf_module, text):
    """`out` of the case text, run in a fresh graph."""
    tf_module.reset_default_graph()
    env = {"tf": tf_module, "np": np, "take": take, "drain": drain}
    exec(text, env)
    return env["out"]


def _tf1_op_seed_rule():
    """TF's get_seed with TF 1.x's op seed (the graph's last op id) where only the graph seed is set."""
    from tensorflow.python.framework import random_seed
    tf2_get_seed = random_seed.get_seed

    def get_seed(op_seed):
        graph = tf.get_default_graph()
        if op_seed is None and graph.seed is not None:
            op_seed = len(graph._nodes_by_id)  # (TF 1.x: _last_id, the count of ops made so far)
        return tf2_get_seed(op_seed)
    return random_seed, tf2_get_seed, get_seed


if __name__ == "__main__":
    golden = {name: run_case(tf, text) for name, text in CASES.items()}
    module, tf2_rule, tf1_rule = _tf1_op_seed_rule()
    for name, text in GRAPH_SEED_CASES.items():
        module.get_seed = tf1_rule
        tf1 = run_case(tf, text)
        module.get_seed = tf2_rule
        golden[name] = {"tf1": tf1, "tf2": run_case(tf, text)}
    OUT.write_text("{\n%s\n}\n" % ",\n".join("%s: %s" % (json.dumps(k), json.dumps(v)) for k, v in golden.items()))
    print("wrote %s (%d cases)" % (OUT, len(golden)))
