"""Writes tests/data/tf_indexed_slices.json from TensorFlow: tf.IndexedSlices (the sparse gradient of tf.gather and
tf.nn.embedding_lookup): its graph, fields and fetched value, how tf.gradients aggregates it, the consumers that
densify it (and the warning they give), clip_by_global_norm, and the optimizers' sparse updates.
Run with a TensorFlow install: python tests/data/gen/indexed_slices.py"""
import json
import pathlib
import warnings

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
DATA = pathlib.Path(__file__).resolve().parent.parent
out = {}


def op_names():
    return {op.name for op in tf.get_default_graph().get_operations()}


def ops_since(before):
    return [[op.name, op.type, [t.name for t in op.inputs]] for op in tf.get_default_graph().get_operations()
            if op.name not in before]


def table():
    return tf.Variable(np.arange(30, dtype=np.float32).reshape(10, 3) / 10, name="E")


# ---------------------------------------------------------------- 1. the gradient of embedding_lookup
tf.reset_default_graph()
E = table()
before = op_names()
g = tf.gradients(tf.reduce_sum(tf.nn.embedding_lookup(E, [1, 1, 4])), E)[0]
ops = ops_since(before)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    v = sess.run(g)
    both = sess.run({"g": g, "values": g.values})
out["lookup_grad"] = {
    "ops": ops, "type": type(g).__name__, "str": str(g), "name": g.name, "dtype": g.dtype.name,
    "device": g.device, "op": g.op.name, "shape": g.shape.as_list(), "values": g.values.name,
    "indices": g.indices.name, "dense_shape": g.dense_shape.name,
    "fetched_type": type(v).__name__, "fetched_fields": list(type(v)._fields),
    "fetched": {k: getattr(v, k).tolist() for k in v._fields},
    "fetched_dtypes": {k: getattr(v, k).dtype.name for k in v._fields},
    "nested_type": type(both["g"]).__name__}

# ---------------------------------------------------------------- 2. gather on axis 1: a dense gradient
tf.reset_default_graph()
P = tf.constant(np.arange(12, dtype=np.float32).reshape(3, 4))
g = tf.gradients(tf.reduce_sum(tf.gather(P, [0, 3, 3], axis=1)), P)[0]
with tf.Session() as sess:
    out["axis1"] = {"type": type(g).__name__, "value": sess.run(g).tolist()}

# ---------------------------------------------------------------- 3. aggregation
tf.reset_default_graph()
E = table()
a = tf.reduce_sum(tf.nn.embedding_lookup(E, [1, 4]))
b = tf.reduce_sum(tf.nn.embedding_lookup(E, [4, 2]) * 2.0)
before = op_names()
g = tf.gradients(a + b, E)[0]
ops = ops_since(before)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    v = sess.run(g)
out["aggregate_sparse"] = {"ops": ops, "type": type(g).__name__, "str": str(g),
                           "fetched": {k: getattr(v, k).tolist() for k in v._fields},
                           "fetched_dtypes": {k: getattr(v, k).dtype.name for k in v._fields}}

tf.reset_default_graph()
E = table()
a = tf.reduce_sum(tf.nn.embedding_lookup(E, [1, 4]))
b = tf.reduce_sum(E * 3.0)
before = op_names()
g = tf.gradients(a + b, E)[0]
ops = ops_since(before)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    v = sess.run(g)
out["aggregate_mixed"] = {"ops": ops, "type": type(g).__name__, "name": g.name, "value": v.tolist()}

# ---------------------------------------------------------------- 4. densifying: convert_to_tensor and its warnings
tf.reset_default_graph()
E = table()
g = tf.gradients(tf.reduce_sum(tf.nn.embedding_lookup(E, [1, 1, 4])), E)[0]
before = op_names()
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    d = tf.convert_to_tensor(g)
    m = tf.multiply(g, 2.0)
ops = ops_since(before)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    out["densify_known"] = {"ops": ops, "name": d.name, "shape": d.shape.as_list(),
                            "warnings": [str(x.message) for x in w], "value": sess.run(d).tolist(),
                            "mul": sess.run(m).tolist(), "mul_name": m.name}

tf.reset_default_graph()
P = tf.placeholder(tf.float32, [None, 3], name="P")
g = tf.gradients(tf.reduce_sum(tf.gather(P, [2, 0])), P)[0]
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    d = tf.convert_to_tensor(g)
with tf.Session() as sess:
    out["densify_unknown"] = {"warnings": [str(x.message) for x in w], "shape": d.shape.as_list(),
                              "value": sess.run(d, {P: np.ones([4, 3], np.float32)}).tolist()}

tf.reset_default_graph()
big = tf.IndexedSlices(tf.ones([2, 10000]), tf.constant([0, 5]), tf.constant([10000, 10000]))
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    d = tf.convert_to_tensor(big)
out["densify_large"] = {"warnings": [str(x.message) for x in w], "shape": d.shape.as_list()}

tf.reset_default_graph()
noshape = tf.IndexedSlices(tf.ones([2, 3]), tf.constant([0, 5]))
try:
    tf.convert_to_tensor(noshape)
except ValueError as e:
    out["no_dense_shape_error"] = str(e)
out["no_dense_shape_str"] = str(noshape)
out["no_dense_shape_shape"] = noshape.shape.as_list() if noshape.shape.ndims is not None else None
try:
    tf.convert_to_tensor(tf.IndexedSlices(tf.ones([2, 3]), tf.constant([0, 5]), tf.constant([6, 3])),
                         dtype=tf.int32)
except ValueError as e:
    out["dtype_error"] = str(e)

tf.reset_default_graph()
E = table()
g = tf.gradients(tf.reduce_sum(tf.nn.embedding_lookup(E, [3, 0])), E)[0]
before = op_names()
s = tf.add_n([g, tf.ones([10, 3])])
ops = ops_since(before)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    out["add_n"] = {"ops": ops, "name": s.name, "value": sess.run(s).tolist()}

# ---------------------------------------------------------------- GATE_GRAPH: tf.tuple gates an IndexedSlices' values
tf.reset_default_graph()
E = table()
W = tf.Variable([[1.0, -2.0, 0.5]], name="W")
loss = tf.reduce_sum(tf.nn.embedding_lookup(E, [1, 4]) * W)
opt = tf.train.GradientDescentOptimizer(0.1)
gv = opt.compute_gradients(loss, [E, W], gate_gradients=tf.train.Optimizer.GATE_GRAPH)
out["gate_graph"] = {"types": [type(g).__name__ for g, _ in gv],
                     "names": [gv[0][0].values.name, gv[0][0].indices.name, gv[0][0].dense_shape.name,
                               gv[1][0].name]}

# ---------------------------------------------------------------- 5. clipping
tf.reset_default_graph()
E = table()
W = tf.Variable([[1.0, -2.0], [0.5, 3.0]], name="W")
loss = tf.reduce_sum(tf.square(tf.nn.embedding_lookup(E, [1, 1, 4]))) + tf.reduce_sum(W * W)
gE, gW = tf.gradients(loss, [E, W])
clipped, norm = tf.clip_by_global_norm([gE, gW, None], 2.0)
by_norm = tf.clip_by_norm(gE, 0.5)
gn = tf.global_norm([gE, gW])
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    c = sess.run(clipped[:2])
    bn = sess.run(by_norm)
    out["clip"] = {
        "types": [type(t).__name__ for t in clipped], "norm": float(sess.run(norm)), "global_norm": float(sess.run(gn)),
        "clipped_E": {k: getattr(c[0], k).tolist() for k in c[0]._fields}, "clipped_W": c[1].tolist(),
        "clipped_E_names": [clipped[0].values.name, clipped[0].indices.name, clipped[0].dense_shape.name],
        "by_norm_type": type(by_norm).__name__, "by_norm": {k: getattr(bn, k).tolist() for k in bn._fields},
        "by_norm_names": [by_norm.values.name, by_norm.indices.name]}

# ---------------------------------------------------------------- 6. the optimizers' sparse updates
OPTIMIZERS = {
    "gd": lambda: tf.train.GradientDescentOptimizer(0.1),
    "momentum": lambda: tf.train.MomentumOptimizer(0.1, 0.9),
    "nesterov": lambda: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
    "adagrad": lambda: tf.train.AdagradOptimizer(0.1),
    "rmsprop": lambda: tf.train.RMSPropOptimizer(0.01, momentum=0.5),
    "rmsprop_centered": lambda: tf.train.RMSPropOptimizer(0.01, momentum=0.5, centered=True),
    "adam": lambda: tf.train.AdamOptimizer(0.1),
    "adadelta": lambda: tf.train.AdadeltaOptimizer(1.0),
}
FEEDS = [[1, 1, 4], [0, 1, 2], [4, 4, 4, 7]]
out["optimizers"] = {}
for key, make in OPTIMIZERS.items():
    tf.reset_default_graph()
    E = table()
    ids = tf.placeholder(tf.int32, [None], name="ids")
    loss = tf.reduce_sum(tf.square(tf.nn.embedding_lookup(E, ids) - 0.5))
    opt = make()
    grads_and_vars = opt.compute_gradients(loss, [E])
    before = op_names()
    train = opt.apply_gradients(grads_and_vars)
    case = {"ops": [o[:2] for o in ops_since(before)], "train": train.name, "values": []}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for f in FEEDS:
            sess.run(train, {ids: f})
            case["values"].append(sess.run(E).tolist())
        case["slots"] = {name: sess.run(opt.get_slot(E, name)).tolist() for name in opt.get_slot_names()}
    out["optimizers"][key] = case

# the brief's case: ones, ids 0, 1, 2 three times
tf.reset_default_graph()
E = tf.Variable(np.ones([10, 3], np.float32))
opt = tf.train.MomentumOptimizer(0.1, 0.9)
train = opt.minimize(tf.reduce_sum(tf.nn.embedding_lookup(E, [0, 1, 2]) * tf.constant([0., 1., 2.])))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(3):
        sess.run(train)
    out["momentum_ones"] = sess.run(E).tolist()

(DATA / "tf_indexed_slices.json").write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
print("wrote", DATA / "tf_indexed_slices.json")
