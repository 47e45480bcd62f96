"""Writes tests/data/tf_ftrl_proximal.json from TensorFlow 2.21 (compat.v1): tf.train.FtrlOptimizer,
ProximalGradientDescentOptimizer and ProximalAdagradOptimizer on a small model with a dense gradient (a matrix `w`
and a scalar `b` of a least-squares loss) and an embedding-style sparse one (tf.gather of `emb`, a repeated id among
the ids), with and without the L1 / L2 (and, for Ftrl, L2 shrinkage and beta) strengths. For each case of CASES:
the global variables (names, shapes), the optimizer's slot names and the slots' variable names, and the values of
every global variable after each of three training steps; for ERRORS, the error raised (class, message).
tests/test_ftrl_proximal.py runs the same texts on tfmini and compares.

    /tmp/tfvenv/bin/python tests/data/gen/ftrl_proximal.py
"""
import importlib
import json
import pathlib

import numpy as np

OUT = pathlib.Path(__file__).resolve().parent.parent / "tf_ftrl_proximal.json"

# elementwise terms only: the gradients TF and tfmini feed the optimizers agree to the bit (no sums whose order could
# differ), so the comparison measures the optimizers' arithmetic
MODEL = """\
w = tf.Variable([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]], name='w')
b = tf.Variable(0.375, name='b')
emb = tf.Variable(np.arange(15, dtype=np.float32).reshape(5, 3) / 8. - 0.875, name='emb')
c = tf.constant([[1.0, 2.0, -0.5], [-1.0, 0.5, 0.75]])
d = tf.constant([[1.0, 0.0, -1.0], [0.5, 2.0, 0.0]])
rows = tf.gather(emb, tf.constant([3, 0, 3, 1]))
target = tf.constant([[0.25, -0.125, 0.5], [1.0, 0.0, -1.0], [0.375, 0.375, 0.375], [-0.5, 0.5, 0.0]])
loss = tf.reduce_sum(tf.square(w * c - d)) + tf.square(b * 2.0 - 0.5) + tf.reduce_sum(tf.square(rows - target))
"""

CASES = {
    "ftrl_defaults": MODEL + "opt = tf.train.FtrlOptimizer(0.1)\ntrain = opt.minimize(loss)",
    "ftrl_l1_l2": MODEL + (
        "opt = tf.train.FtrlOptimizer(0.5, l1_regularization_strength=0.05, l2_regularization_strength=0.1)\n"
        "train = opt.minimize(loss)"),
    "ftrl_l1_zeroes_weights": MODEL + (
        "opt = tf.train.FtrlOptimizer(0.5, l1_regularization_strength=0.8)\ntrain = opt.minimize(loss)"),
    "ftrl_l2_shrinkage": MODEL + (
        "opt = tf.train.FtrlOptimizer(0.5, l1_regularization_strength=0.01, l2_regularization_strength=0.1,\n"
        "                             l2_shrinkage_regularization_strength=0.2)\n"
        "train = opt.minimize(loss)"),
    "ftrl_power_and_accumulator": MODEL + (
        "opt = tf.train.FtrlOptimizer(0.2, learning_rate_power=-0.3, initial_accumulator_value=0.5,\n"
        "                             l2_regularization_strength=0.05)\n"
        "train = opt.minimize(loss)"),
    "ftrl_fixed_rate_zero_accumulator": MODEL + (
        "opt = tf.train.FtrlOptimizer(0.05, learning_rate_power=0.0, initial_accumulator_value=0.0)\n"
        "train = opt.minimize(loss)"),
    "ftrl_beta_and_slot_names": MODEL + (
        "opt = tf.train.FtrlOptimizer(0.3, beta=0.5, accum_name='acc', linear_name='lin')\n"
        "train = opt.minimize(loss)"),
    "ftrl_named_with_global_step": MODEL + (
        "step = tf.train.get_or_create_global_step()\n"
        "opt = tf.train.FtrlOptimizer(tf.constant(0.2), name='MyFtrl')\n"
        "train = opt.minimize(loss, global_step=step)"),
    "proximal_gd_plain": MODEL + (
        "opt = tf.train.ProximalGradientDescentOptimizer(0.1)\ntrain = opt.minimize(loss)"),
    "proximal_gd_l1_l2": MODEL + (
        "opt = tf.train.ProximalGradientDescentOptimizer(0.1, l1_regularization_strength=0.3,\n"
        "                                                l2_regularization_strength=0.2)\n"
        "train = opt.minimize(loss)"),
    "proximal_gd_l2_only": MODEL + (
        "opt = tf.train.ProximalGradientDescentOptimizer(0.05, l2_regularization_strength=0.5)\n"
        "train = opt.minimize(loss)"),
    "proximal_adagrad_plain": MODEL + (
        "opt = tf.train.ProximalAdagradOptimizer(0.1)\ntrain = opt.minimize(loss)"),
    "proximal_adagrad_l1_l2": MODEL + (
        "opt = tf.train.ProximalAdagradOptimizer(0.5, initial_accumulator_value=0.2, l1_regularization_strength=0.1,\n"
        "                                        l2_regularization_strength=0.05)\n"
        "train = opt.minimize(loss)"),
}

ERRORS = {
    "ftrl_negative_accumulator": "tf.train.FtrlOptimizer(0.1, initial_accumulator_value=-0.1)",
    "ftrl_positive_power": "tf.train.FtrlOptimizer(0.1, learning_rate_power=0.5)",
    "ftrl_negative_l1": "tf.train.FtrlOptimizer(0.1, l1_regularization_strength=-1.0)",
    "ftrl_negative_l2": "tf.train.FtrlOptimizer(0.1, l2_regularization_strength=-0.25)",
    "ftrl_negative_shrinkage": "tf.train.FtrlOptimizer(0.1, l2_shrinkage_regularization_strength=-0.5)",
    "ftrl_no_name": "tf.train.FtrlOptimizer(0.1, name='')",
    "proximal_adagrad_zero_accumulator": "tf.train.ProximalAdagradOptimizer(0.1, initial_accumulator_value=0.0)",
    "proximal_adagrad_negative_accumulator": "tf.train.ProximalAdagradOptimizer(0.1, initial_accumulator_value=-2)",
    "proximal_gd_no_name": "tf.train.ProximalGradientDescentOptimizer(0.1, name=None)",
}


def arr(a):
    a = np.asarray(a)
    return {"dtype": a.dtype.name, "shape": list(a.shape), "values": [float("%.9g" % v) for v in a.reshape(-1)]}


def run_case(tf, source):
    """A case's record (see the module's docstring)."""
    tf.reset_default_graph()
    scope = {"tf": tf, "np": np}
    exec(source, scope)
    opt, train = scope["opt"], scope["train"]
    variables = tf.global_variables()
    slots = {name: {v.op.name: opt.get_slot(v, name).name for v in (scope["w"], scope["b"], scope["emb"])}
             for name in opt.get_slot_names()}
    record = {"variables": [[v.name, v.shape.as_list()] for v in variables], "slot_names": opt.get_slot_names(),
              "slots": slots, "steps": []}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train)
            record["steps"].append({v.name: arr(sess.run(v)) for v in variables})
    return record


def run_error(tf, source):
    tf.reset_default_graph()
    try:
        exec(source, {"tf": tf, "np": np})
    except Exception as e:  # noqa: BLE001 - the record is what was raised
        return {"type": type(e).__name__, "message": str(e)}
    return None


if __name__ == "__main__":
    tf = importlib.import_module("tensorflow.compat.v1")
    tf.disable_v2_behavior()  # graph mode, TF 1.x semantics (ref variables: the Apply*/SparseApply* ops)
    golden = {"cases": {name: run_case(tf, src) for name, src in CASES.items()},
              "errors": {name: run_error(tf, src) for name, src in ERRORS.items()}}
    OUT.write_text(json.dumps(golden, indent=1) + "\n")
    print("wrote", OUT)
