"""Writes tests/data/tf_gradient_checker.json: TF 2.21's tf.compat.v1.test.compute_gradient (theoretical and
numerical Jacobians), compute_gradient_error and tf.hessians on small fixed inputs. Run with /tmp/tfvenv/bin/python."""
import json
import pathlib

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
tf.disable_control_flow_v2()
x0 = np.array([[0.3, -1.2, 2.0], [0.7, 1.1, -0.4]])
w0 = np.array([1.5, -0.5, 2.0])
out = {"x0": x0.tolist(), "w0": w0.tolist()}
for dtype, key in ((tf.float64, "f64"), (tf.float32, "f32")):
    tf.reset_default_graph()
    x = tf.placeholder(dtype, [2, 3])
    w = tf.placeholder(dtype, [3])
    y = tf.reduce_sum(tf.sin(x) * w, axis=0) + tf.reduce_prod(x, axis=0)
    with tf.Session():
        t, n = tf.test.compute_gradient(x, [2, 3], y, [3], x_init_value=x0.astype(dtype.as_numpy_dtype),
                                        extra_feed_dict={w: w0})
        inits = [x0.astype(dtype.as_numpy_dtype), w0.astype(dtype.as_numpy_dtype)]
        pairs = tf.test.compute_gradient([x, w], [[2, 3], [3]], y, [3], x_init_value=inits,
                                         delta=1e-2, extra_feed_dict={x: x0, w: w0})
        err = tf.test.compute_gradient_error(x, [2, 3], y, [3], x_init_value=x0.astype(dtype.as_numpy_dtype),
                                             extra_feed_dict={w: w0})
    out[key] = {"theoretical": t.tolist(), "numerical": n.tolist(), "error": float(err),
                "list": [[a.tolist(), b.tolist()] for a, b in pairs]}
tf.reset_default_graph()
x = tf.placeholder(tf.float64, [3])
m = tf.placeholder(tf.float64, [2, 2])
y = tf.reduce_sum(x ** 3) + x[0] * x[1] + tf.reduce_sum(tf.matmul(m, m)) * tf.reduce_sum(x)
hx, hm = tf.hessians(y, [x, m])
with tf.Session() as sess:
    vx, vm = sess.run([hx, hm], {x: [1.0, 2.0, 3.0], m: [[1.0, 2.0], [3.0, 4.0]]})
out["hessians"] = {"x": vx.tolist(), "m": vm.tolist(), "names": [hx.name, hm.name],
                   "shapes": [hx.shape.as_list(), hm.shape.as_list()]}
path = pathlib.Path(__file__).resolve().parents[1] / "tf_gradient_checker.json"
path.write_text(json.dumps(out))
print("wrote", path)
