"""Writes tests/data/tf_candidate_sampling.json: what TF 2.21 (tf.compat.v1, graph mode) gives for the candidate
samplers (their draws and expected counts), ComputeAccidentalHits, and tf.nn.nce_loss / sampled_softmax_loss
(values, gradients and the ops they build) on small fixed inputs, the sampled classes passed in as
`sampled_values` so that the losses do not depend on TF's random draws. Run with /tmp/tfvenv/bin/python."""
import json
import pathlib

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
rng = np.random.RandomState(11)
out = {"samplers": [], "hits": [], "losses": []}

# ---------------------------------------------------------------- samplers: draws and expected counts
true_classes = np.array([[0, 3], [7, 9], [1, 1]], np.int64)
SAMPLERS = [
    ("uniform", dict(num_sampled=4, unique=False, range_max=10)),
    ("uniform", dict(num_sampled=6, unique=True, range_max=10)),
    ("log_uniform", dict(num_sampled=5, unique=False, range_max=20)),
    ("log_uniform", dict(num_sampled=8, unique=True, range_max=20)),
    ("fixed_unigram", dict(num_sampled=4, unique=False, range_max=10, unigrams=[float(i % 4 + 1) for i in range(10)],
                           distortion=0.75)),
    ("fixed_unigram", dict(num_sampled=5, unique=True, range_max=10, unigrams=[float(i + 1) for i in range(8)],
                           num_reserved_ids=2)),
    ("fixed_unigram", dict(num_sampled=3, unique=False, range_max=10, unigrams=[float(i + 1) for i in range(17)],
                           num_reserved_ids=3, num_shards=2, shard=1)),
    ("all", dict(num_sampled=10, unique=True)),
]
for kind, kw in SAMPLERS:
    tf.reset_default_graph()
    tc = tf.placeholder(tf.int64, [None, 2])
    fn = getattr(tf.nn, kind + "_candidate_sampler")
    s = fn(tc, 2, seed=5, **kw)
    with tf.Session() as sess:
        runs = [sess.run(s, {tc: true_classes}) for _ in range(3)]
    out["samplers"].append({"kind": kind, "kw": kw, "true_classes": true_classes.tolist(),
                            "runs": [[r[0].tolist(), r[1].tolist(), r[2].tolist()] for r in runs]})

# learned unigram: its counts grow by each run's true classes, so the second and third runs' expected counts differ
tf.reset_default_graph()
tc = tf.placeholder(tf.int64, [None, 2])
s = tf.nn.learned_unigram_candidate_sampler(tc, 2, 3, False, 6, seed=1)
with tf.Session() as sess:
    feeds = [[[0, 3], [3, 3]], [[5, 3], [1, 1]], [[0, 0], [2, 4]]]
    runs = [sess.run(s, {tc: f}) for f in feeds]
out["learned"] = {"feeds": feeds, "runs": [[r[0].tolist(), r[1].tolist(), r[2].tolist()] for r in runs]}

# ---------------------------------------------------------------- ComputeAccidentalHits
for true, sampled, num_true in [([[1, 2], [3, 4]], [2, 2, 3, 5, 1], 2), ([[0], [6], [6]], [6, 0, 7], 1),
                                ([[1, 2, 3]], [4, 5], 3)]:
    tf.reset_default_graph()
    h = tf.nn.compute_accidental_hits(tf.constant(true, tf.int64), tf.constant(sampled, tf.int64), num_true)
    with tf.Session() as sess:
        r = sess.run(h)
    out["hits"].append({"true": true, "sampled": sampled, "num_true": num_true,
                        "indices": r.indices.tolist(), "ids": r.ids.tolist(), "weights": r.weights.tolist()})

# ---------------------------------------------------------------- nce_loss and sampled_softmax_loss
V, D = 12, 5


def _case(name, loss, batch, num_true, sampled, parts, strategy="mod", label_dtype=np.int64, **kw):
    labels = rng.randint(0, V, (batch, num_true)).astype(label_dtype)
    if "force_hit" in kw:  # a sampled class that is a true class of row 0
        sampled = list(sampled)
        sampled[kw.pop("force_hit")] = int(labels[0, 0])
    w = rng.uniform(-1, 1, (V, D)).astype(np.float32)
    if strategy == "div":
        sizes = [V // parts + (1 if i < V % parts else 0) for i in range(parts)]
        w_parts = np.split(w, np.cumsum(sizes)[:-1])
    else:
        w_parts = [w[i::parts] for i in range(parts)]
    return {"name": name, "loss": loss, "labels": labels.tolist(), "label_dtype": np.dtype(label_dtype).name,
            "num_true": num_true, "sampled": list(sampled),
            "true_expected": rng.uniform(0.1, 1.5, (batch, num_true)).astype(np.float32).tolist(),
            "sampled_expected": rng.uniform(0.1, 1.5, len(sampled)).astype(np.float32).tolist(),
            "weights": [p.tolist() for p in w_parts], "biases": rng.uniform(-1, 1, V).astype(np.float32).tolist(),
            "inputs": rng.uniform(-1, 1, (batch, D)).astype(np.float32).tolist(), "partition_strategy": strategy,
            "kw": kw}


CASES = [
    _case("nce_basic", "nce_loss", 4, 1, [2, 5, 7, 11, 0, 9], 1, force_hit=1),
    _case("nce_num_true2_hits", "nce_loss", 3, 2, [4, 4, 1, 8, 10], 1, force_hit=0, remove_accidental_hits=True),
    _case("nce_div_partitions", "nce_loss", 4, 1, [3, 6, 9, 1], 3, strategy="div"),
    _case("ssm_default", "sampled_softmax_loss", 4, 1, [2, 5, 7, 11, 0, 9], 1, force_hit=2),
    _case("ssm_mod_partitions_true2", "sampled_softmax_loss", 3, 2, [0, 3, 6, 9, 10], 2, force_hit=4),
    _case("ssm_int32_labels_keep_hits", "sampled_softmax_loss", 4, 1, [1, 2, 3], 1, label_dtype=np.int32,
          force_hit=0, remove_accidental_hits=False),
]
for case in CASES:
    tf.reset_default_graph()
    ws = [tf.constant(np.array(p, np.float32), name="w%d" % i) for i, p in enumerate(case["weights"])]
    b = tf.constant(np.array(case["biases"], np.float32), name="b")
    x = tf.constant(np.array(case["inputs"], np.float32), name="x")
    labels = tf.constant(np.array(case["labels"], case["label_dtype"]), name="labels")
    sv = (tf.constant(np.array(case["sampled"], np.int64), name="sampled"),
          tf.constant(np.array(case["true_expected"], np.float32), name="true_expected"),
          tf.constant(np.array(case["sampled_expected"], np.float32), name="sampled_expected"))
    before = len(tf.get_default_graph().get_operations())
    fn = getattr(tf.nn, case["loss"])
    loss = fn(ws if len(ws) > 1 else ws[0], b, labels, x, len(case["sampled"]), V, num_true=case["num_true"],
              sampled_values=sv, partition_strategy=case["partition_strategy"], **case["kw"])
    case["ops"] = [[op.name, op.type] for op in tf.get_default_graph().get_operations()[before:]]
    case["loss_name"] = loss.name
    weight = tf.constant(np.linspace(0.5, 1.5, case["inputs"].__len__()).astype(np.float32))
    grads = [tf.convert_to_tensor(g) for g in tf.gradients(tf.reduce_sum(loss * weight), ws + [b, x])]
    with tf.Session() as sess:
        vals = sess.run([loss] + grads)
    case["value"] = vals[0].tolist()
    case["grads"] = [v.tolist() for v in vals[1:]]
    out["losses"].append(case)

path = pathlib.Path(__file__).resolve().parents[1] / "tf_candidate_sampling.json"
path.write_text(json.dumps(out))
print("wrote", path, path.stat().st_size, "bytes")
