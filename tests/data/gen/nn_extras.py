"""Writes tests/data/tf_nn_extras.json: what TF 2.21 (tf.compat.v1, graph mode) computes for tf.nn.conv1d,
atrous_conv2d, swish, weighted_cross_entropy_with_logits, xw_plus_b, relu_layer and zero_fraction, and their
gradients, on small fixed inputs. Run with /tmp/tfvenv/bin/python."""
import json
import pathlib

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
rng = np.random.RandomState(7)
x1 = rng.uniform(-1, 1, (2, 10, 3))
f1 = rng.uniform(-1, 1, (3, 3, 5))
x2 = rng.uniform(-1, 1, (2, 9, 8, 3))
f2 = rng.uniform(-1, 1, (3, 2, 3, 4))
logits = rng.uniform(-4, 4, (3, 4))
labels = rng.uniform(0, 1, (3, 4))
xm, wm, bm = rng.uniform(-1, 1, (3, 4)), rng.uniform(-1, 1, (4, 2)), rng.uniform(-1, 1, (2,))
out = {"x1": x1.tolist(), "f1": f1.tolist(), "x2": x2.tolist(), "f2": f2.tolist(), "logits": logits.tolist(),
       "labels": labels.tolist(), "xm": xm.tolist(), "wm": wm.tolist(), "bm": bm.tolist()}

cases = {
    "conv1d_same_s2": lambda a, b: tf.nn.conv1d(a, b, 2, "SAME"),
    "conv1d_valid_input": lambda a, b: tf.nn.conv1d(input=a, filters=b, stride=1, padding="VALID"),
    "atrous_same_r2": lambda a, b: tf.nn.atrous_conv2d(a, b, 2, "SAME"),
    "atrous_valid_r3": lambda a, b: tf.nn.atrous_conv2d(a, b, 3, "VALID"),
    "weighted_xent": lambda a, b: tf.nn.weighted_cross_entropy_with_logits(labels=b, logits=a, pos_weight=2.5),
    "swish": lambda a: tf.nn.swish(a),
    "xw_plus_b": lambda a, b, c: tf.nn.xw_plus_b(a, b, c),
    "relu_layer": lambda a, b, c: tf.nn.relu_layer(a, b, c),
}
inputs = {"conv1d_same_s2": (x1, f1), "conv1d_valid_input": (x1, f1), "atrous_same_r2": (x2, f2),
          "atrous_valid_r3": (x2, f2), "weighted_xent": (logits, labels), "swish": (logits,),
          "xw_plus_b": (xm, wm, bm), "relu_layer": (xm, wm, bm)}
for key, fn in cases.items():
    tf.reset_default_graph()
    phs = [tf.placeholder(tf.float64, np.shape(v)) for v in inputs[key]]
    y = fn(*phs)
    w = tf.constant(np.linspace(0.5, 1.5, int(np.prod(y.shape.as_list()))).reshape(y.shape.as_list()))
    grads = tf.gradients(tf.reduce_sum(y * w), phs)
    with tf.Session() as sess:
        got = sess.run([y] + grads, dict(zip(phs, inputs[key])))
    out[key] = {"value": got[0].tolist(), "grads": [g.tolist() for g in got[1:]]}
tf.reset_default_graph()
with tf.Session() as sess:
    out["zero_fraction"] = [float(sess.run(tf.nn.zero_fraction(v))) for v in
                            ([[0.0, 1.0], [0.0, 0.0]], np.zeros([0]), [1, 0, 3])]
path = pathlib.Path(__file__).resolve().parents[1] / "tf_nn_extras.json"
path.write_text(json.dumps(out))
print("wrote", path)
