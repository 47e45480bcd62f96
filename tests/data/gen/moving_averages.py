"""Writes tests/data/tf_moving_averages.json (and the checkpoint tests/data/tf_ema_ckpt/) from TensorFlow:
tf.train.ExponentialMovingAverage's ops, variable names, values and variables_to_restore.
Run with a TensorFlow install: python tests/data/gen/moving_averages.py"""
import json
import os
import pathlib
import shutil

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
DATA = pathlib.Path(__file__).resolve().parent.parent
out = {}


def ops_since(before):
    return [[op.name, op.type] for op in tf.get_default_graph().get_operations() if op.name not in before]


def op_names():
    return {op.name for op in tf.get_default_graph().get_operations()}


def names(vs):
    return sorted(v.name for v in vs)


# ---------------------------------------------------------------- 1. two variables, num_updates, a few steps
tf.reset_default_graph()
with tf.variable_scope("net"):
    w = tf.get_variable("w", initializer=tf.constant([[1., 2., 3.], [4., 5., 6.]]))
    b = tf.Variable([1., -1.], name="b")
step = tf.Variable(0, name="step", trainable=False)
ema = tf.train.ExponentialMovingAverage(0.9, num_updates=step)
before = op_names()
maintain = ema.apply([w, b])
case = {"ops": ops_since(before), "maintain": maintain.name, "maintain_type": maintain.type,
        "average_w": ema.average(w).name, "average_b": ema.average(b).name,
        "average_name_w": ema.average_name(w), "average_name_step": ema.average_name(step),
        "average_step": ema.average(step) is None,
        "to_restore": {k: v.name for k, v in ema.variables_to_restore().items()},
        "global": names(tf.global_variables()), "trainable": names(tf.trainable_variables()),
        "moving_average_variables": names(tf.moving_average_variables())}
change = [w.assign(w * 2. + 1.), b.assign(b - 0.5), step.assign_add(1)]
values = []
saver = tf.train.Saver()
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    values.append([sess.run(ema.average(w)).tolist(), sess.run(ema.average(b)).tolist()])
    for _ in range(3):
        sess.run(change)
        sess.run(maintain)
        values.append([sess.run(ema.average(w)).tolist(), sess.run(ema.average(b)).tolist()])
    case["final_w"] = sess.run(w).tolist()
    ckpt = DATA / "tf_ema_ckpt"
    shutil.rmtree(ckpt, ignore_errors=True)
    os.makedirs(ckpt)
    saver.save(sess, str(ckpt / "model.ckpt"), write_meta_graph=False)
    os.remove(ckpt / "checkpoint")  # only the bundle: the test reads it by path
case["values"] = values
out["basic"] = case

# ---------------------------------------------------------------- 2. scopes, a second EMA, default var_list
tf.reset_default_graph()
with tf.variable_scope("net2"):
    v = tf.get_variable("v", shape=[3], initializer=tf.ones_initializer())
u = tf.Variable(2.0, name="u")
with tf.variable_scope("outer"):
    with tf.name_scope("ns"):
        before = op_names()
        e1 = tf.train.ExponentialMovingAverage(0.5)
        m1 = e1.apply([v])
        ops1 = ops_since(before)
before = op_names()
e2 = tf.train.ExponentialMovingAverage(0.25)
m2 = e2.apply()
ops2 = ops_since(before)
e3 = tf.train.ExponentialMovingAverage(0.75, name="Shadow")
m3 = e3.apply([u])
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(u.assign(6.0))
    sess.run([m1, m2, m3])
    vals = {"e1_v": sess.run(e1.average(v)).tolist(), "e2_v": sess.run(e2.average(v)).tolist(),
            "e2_u": float(sess.run(e2.average(u))), "e3_u": float(sess.run(e3.average(u)))}
out["scopes"] = {"ops1": ops1, "ops2": ops2, "m1": m1.name, "m2": m2.name, "m3": m3.name,
                 "e1_v": e1.average(v).name, "e2_v": e2.average(v).name, "e2_u": e2.average(u).name,
                 "e3_u": e3.average(u).name, "e3_name_v": e3.average_name(v),
                 "global": names(tf.global_variables()), "values": vals,
                 "to_restore_e3": {k: x.name for k, x in e3.variables_to_restore().items()},
                 "to_restore_e1_v": {k: x.name for k, x in e1.variables_to_restore([v]).items()}}

# ---------------------------------------------------------------- 3. a tensor, with and without zero_debias
tf.reset_default_graph()
x = tf.Variable([1., 2., 3., 6.], name="x")
m = tf.reduce_mean(x)
sq = tf.square(x, name="sq")
before = op_names()
e = tf.train.ExponentialMovingAverage(0.8, zero_debias=True)
upd = e.apply([m])
ops_zd = ops_since(before)
e_plain = tf.train.ExponentialMovingAverage(0.8)
upd2 = e_plain.apply([sq])
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    tv = []
    for i in range(3):
        sess.run([upd, upd2])
        tv.append([float(sess.run(e.average(m))), sess.run(e_plain.average(sq)).tolist()])
        sess.run(x.assign_add([1., 1., 1., 1.]))
out["tensor"] = {"ops_zero_debias": ops_zd, "avg_m": e.average(m).name, "avg_sq": e_plain.average(sq).name,
                 "global": names(tf.global_variables()), "values": tv,
                 "moving_average_variables": names(tf.moving_average_variables())}

# ---------------------------------------------------------------- 4. errors
tf.reset_default_graph()
iv = tf.Variable(1, name="iv")
try:
    tf.train.ExponentialMovingAverage(0.9).apply([iv])
except TypeError as err:
    out["int_error"] = str(err)

(DATA / "tf_moving_averages.json").write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
print("wrote", DATA / "tf_moving_averages.json", np.__version__)
