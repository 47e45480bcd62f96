"""Writes tests/data/tf_random_ops.json from TensorFlow: for each case of tests/random_cases.py (seeded
RandomStandardNormal, TruncatedNormal, RandomUniform and RandomUniformInt, and the initializers and dropout built
on them), the random ops' (seed, seed2) and, for two runs in a session (one for a variable's initializer), the
value and what each random op drew (a second session is checked to repeat them, as seeded ops do).
Run with a TensorFlow install: python tests/data/gen/random_ops.py"""
import json
import pathlib
import sys

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
DATA = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(DATA.parent))
from random_cases import CASES  # noqa: E402

RANDOM_OPS = ("RandomStandardNormal", "TruncatedNormal", "RandomUniform", "RandomUniformInt", "RandomShuffle",
              "Multinomial", "UniformCandidateSampler", "LogUniformCandidateSampler")


def values(a):
    """The array's bytes (little-endian) as hex: exact and compact."""
    a = np.ascontiguousarray(a)
    return {"dtype": a.dtype.name, "shape": list(a.shape), "hex": a.astype(a.dtype.newbyteorder("<")).tobytes().hex()}


def run_record(value, raw):
    """A run's value and what each random op drew (None: the same as the value, as for tf.random_normal)."""
    value = values(value)
    return {"value": value, "raw": [None if values(r) == value else values(r) for r in raw]}


out = {}
for name, (graph_seed, build) in CASES.items():
    tf.reset_default_graph()
    if graph_seed is not None:
        tf.set_random_seed(graph_seed)
    t = build(tf)
    random_ops = sorted((op for op in tf.get_default_graph().get_operations() if op.type in RANDOM_OPS),
                        key=lambda op: op.name)
    seeds = [[op.name, op.type, op.get_attr("seed"), op.get_attr("seed2")] for op in random_ops]
    sessions = []
    for _ in range(2):
        with tf.Session() as s:
            init = tf.global_variables_initializer()
            if tf.global_variables():  # a variable's initializer: its random op runs once, with it
                raw = s.run([init] + [op.outputs[0] for op in random_ops])[1:]
                sessions.append([run_record(s.run(t), raw)])
            else:
                sessions.append([])
                for _ in range(2):
                    value, *raw = s.run([t] + [op.outputs[0] for op in random_ops])
                    sessions[-1].append(run_record(value, raw))
    assert sessions[0] == sessions[1], name
    out[name] = {"seeds": seeds, "runs": sessions[0]}

(DATA / "tf_random_ops.json").write_text(json.dumps({"tensorflow": tf.__version__, "cases": out}) + "\n")
print(len(out), "cases")
