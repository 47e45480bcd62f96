"""Writes tests/data/tf_optimize_loss.json from TensorFlow 2.21 (compat.v1): for each case of CASES (a source text
that builds `train` with tf.contrib.layers.optimize_loss on a small least-squares model), the train tensor's name,
shape and dtype, the global variables (name, shape), the summaries' names, and - after initializing and running
`train` three times - the three values it returned, the variables' values and the global step; for ERRORS, the
error raised. tests/test_optimize_loss.py runs the same texts on tfmini (optimize_loss, OPTIMIZER_SUMMARIES from
tf.contrib.layers) and compares.

TensorFlow 2 has no tf.contrib: TF 1.15's optimize_loss is rebuilt below from TF 2.21's ops and optimizers, as TF
1.15's contrib/layers/python/layers/optimizers.py composed them.

    /tmp/tfvenv/bin/python tests/data/gen/optimize_loss.py
"""
import importlib
import json
import pathlib
import types

import numpy as np

from golden_values import arr  # tests/data/gen/golden_values.py

OUT = pathlib.Path(__file__).resolve().parent.parent / "tf_optimize_loss.json"
OPTIMIZER_SUMMARIES = ["learning_rate", "loss", "gradients", "gradient_norm", "global_gradient_norm"]


# --------------------------------------------------------------------------- TF 1.15 contrib, on TF 2.21's ops
def _optimizer_names():
    return {"Adagrad": tf.train.AdagradOptimizer, "Adam": tf.train.AdamOptimizer, "Ftrl": tf.train.FtrlOptimizer,
            "Momentum": lambda learning_rate: tf.train.MomentumOptimizer(learning_rate, momentum=0.9),
            "RMSProp": tf.train.RMSPropOptimizer, "SGD": tf.train.GradientDescentOptimizer}


def optimize_loss(loss, global_step, learning_rate, optimizer, gradient_noise_scale=None,
                  gradient_multipliers=None, clip_gradients=None, learning_rate_decay_fn=None, update_ops=None,
                  variables=None, name=None, summaries=None, colocate_gradients_with_ops=False,
                  increment_global_step=True):
    loss = tf.convert_to_tensor(loss)
    if loss.shape.ndims != 0:  # contrib_framework.assert_scalar, TF 1.x's words
        raise ValueError("Expected scalar shape for %s, saw shape: %s." % (loss.name, loss.shape))
    if global_step is None:
        global_step = tf.train.get_global_step()
    else:
        tf.train.assert_global_step(global_step)
    with tf.variable_scope(name, "OptimizeLoss", [loss, global_step]):
        if update_ops is None:
            update_ops = set(tf.get_collection(tf.GraphKeys.UPDATE_OPS))
        if update_ops:
            loss = _with_dependencies(list(update_ops), loss)
        lr = None
        if learning_rate is not None:
            if isinstance(learning_rate, tf.Tensor) and learning_rate.shape.ndims == 0:
                lr = learning_rate
            elif isinstance(learning_rate, float):
                if learning_rate < 0.0:
                    raise ValueError("Invalid learning_rate %s." % learning_rate)
                lr = tf.get_variable("learning_rate", [], trainable=False,
                                     initializer=tf.constant_initializer(learning_rate))
            else:
                raise ValueError("Learning rate should be 0d Tensor or float. Got %s of type %s"
                                 % (str(learning_rate), str(type(learning_rate))))
        if summaries is None:
            summaries = ["loss", "learning_rate", "global_gradient_norm"]
        else:
            for summ in summaries:
                if summ not in OPTIMIZER_SUMMARIES:
                    raise ValueError("Summaries should be one of [%s], you provided %s."
                                     % (", ".join(OPTIMIZER_SUMMARIES), summ))
        if learning_rate is not None and learning_rate_decay_fn is not None:
            if global_step is None:
                raise ValueError("global_step is required for learning_rate_decay_fn.")
            lr = learning_rate_decay_fn(lr, global_step)
            if "learning_rate" in summaries:
                tf.summary.scalar("learning_rate", lr)
        names = _optimizer_names()
        if isinstance(optimizer, str):
            if lr is None:
                raise ValueError("Learning rate is None, but should be specified if optimizer is string (%s)."
                                 % optimizer)
            if optimizer not in names:
                raise ValueError("Optimizer name should be one of [%s], you provided %s."
                                 % (", ".join(names), optimizer))
            opt = names[optimizer](learning_rate=lr)
        elif isinstance(optimizer, type) and issubclass(optimizer, tf.train.Optimizer):
            opt = optimizer(learning_rate=lr)
        elif isinstance(optimizer, tf.train.Optimizer):
            opt = optimizer
        elif callable(optimizer):
            opt = optimizer(lr) if learning_rate is not None else optimizer()
        else:
            raise ValueError("Unrecognized optimizer: should be string, subclass of Optimizer, instance of subclass "
                             "of Optimizer or function with one argument. Got %s." % str(optimizer))
        if variables is None:
            variables = tf.trainable_variables()
        gradients = opt.compute_gradients(loss, variables, colocate_gradients_with_ops=colocate_gradients_with_ops)
        if gradient_multipliers is not None:
            out = []
            for grad, var in gradients:
                if grad is not None and (var in gradient_multipliers or var.name in gradient_multipliers):
                    key = var if var in gradient_multipliers else var.name
                    grad = grad * tf.constant(gradient_multipliers[key], dtype=tf.float32)
                out.append((grad, var))
            gradients = out
        if "global_gradient_norm" in summaries or "gradient_norm" in summaries:
            tf.summary.scalar("global_norm/gradient_norm", tf.global_norm(list(zip(*gradients))[0]))
        if isinstance(clip_gradients, float):
            grads, variables_ = zip(*gradients)
            gradients = list(zip(tf.clip_by_global_norm(grads, clip_gradients)[0], variables_))
        elif callable(clip_gradients):
            gradients = clip_gradients(gradients)
        elif clip_gradients is not None:
            raise ValueError("Unknown type %s for clip_gradients" % type(clip_gradients))
        if "loss" in summaries:
            tf.summary.scalar("loss", loss)
        for gradient, variable in gradients:
            if gradient is not None:
                var_name = variable.name.replace(":", "_")
                if "gradients" in summaries:
                    tf.summary.histogram("gradients/%s" % var_name, gradient)
                if "gradient_norm" in summaries:
                    tf.summary.scalar("gradient_norm/%s" % var_name, tf.global_norm([gradient]))
        if clip_gradients is not None and ("global_gradient_norm" in summaries or "gradient_norm" in summaries):
            tf.summary.scalar("global_norm/clipped_gradient_norm", tf.global_norm(list(zip(*gradients))[0]))
        grad_updates = opt.apply_gradients(gradients, global_step=global_step if increment_global_step else None,
                                           name="train")
        return _with_dependencies([grad_updates], loss)


def _with_dependencies(dependencies, output_tensor):
    with tf.name_scope(None, "control_dependency", list(dependencies) + [output_tensor]) as name:
        with tf.control_dependencies(dependencies):
            return tf.identity(output_tensor, name=name)


LAYERS = types.SimpleNamespace(optimize_loss=optimize_loss, OPTIMIZER_SUMMARIES=OPTIMIZER_SUMMARIES)

# The model every case trains: least squares on fixed data, with a bias; `layers` is tf.contrib.layers (tfmini) or
# LAYERS above (TensorFlow).
MODEL = (
    "x = tf.constant(np.linspace(-1., 1., 12).reshape(4, 3), tf.float32)\n"
    "y = tf.constant([[1.], [0.5], [-0.5], [2.]])\n"
    "w = tf.get_variable('w', [3, 1], initializer=tf.constant_initializer([[0.5], [-0.3], [0.1]]))\n"
    "b = tf.get_variable('b', [1], initializer=tf.zeros_initializer())\n"
    "loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))\n"
    "global_step = tf.train.get_or_create_global_step()\n")

CASES = {
    "sgd_by_name_default_summaries": MODEL + "train = layers.optimize_loss(loss, global_step, 0.1, 'SGD')",
    "adam_by_name_named": MODEL + "train = layers.optimize_loss(loss, None, 0.05, 'Adam', name='opt')",
    "momentum_by_name_all_summaries": MODEL + (
        "train = layers.optimize_loss(loss, global_step, 0.1, 'Momentum', summaries=layers.OPTIMIZER_SUMMARIES)"),
    "ftrl_by_name": MODEL + "train = layers.optimize_loss(loss, global_step, 0.3, 'Ftrl')",
    "rmsprop_instance_a3c": MODEL + (
        "opt = tf.train.RMSPropOptimizer(0.00025, 0.99, 0.0, 1e-6)\n"
        "train = layers.optimize_loss(loss=loss, global_step=global_step, learning_rate=0.00025, optimizer=opt,\n"
        "                             summaries=layers.OPTIMIZER_SUMMARIES)"),
    "class_and_clip_by_global_norm": MODEL + (
        "train = layers.optimize_loss(loss, global_step, 0.5, tf.train.GradientDescentOptimizer,\n"
        "                             clip_gradients=0.1)"),
    "callable_and_tensor_learning_rate": MODEL + (
        "train = layers.optimize_loss(loss, global_step, tf.constant(0.2),\n"
        "                             lambda lr: tf.train.MomentumOptimizer(lr, 0.5))"),
    "decay_fn_and_multipliers": MODEL + (
        "decay = lambda lr, step: tf.train.exponential_decay(lr, step, 1, 0.5)\n"
        "train = layers.optimize_loss(loss, global_step, 0.2, 'SGD', learning_rate_decay_fn=decay,\n"
        "                             gradient_multipliers={'b:0': 10.0})"),
    "update_ops_no_increment_clip_fn": MODEL + (
        "counter = tf.get_variable('counter', [], trainable=False, initializer=tf.zeros_initializer())\n"
        "tf.add_to_collection(tf.GraphKeys.UPDATE_OPS, tf.assign_add(counter, 1.))\n"
        "clip = lambda gv: [(tf.clip_by_value(g, -0.05, 0.05), v) for g, v in gv]\n"
        "train = layers.optimize_loss(loss, global_step, 0.3, 'SGD', clip_gradients=clip,\n"
        "                             increment_global_step=False, variables=[w])"),
}

ERRORS = {
    "bad_summary": MODEL + "layers.optimize_loss(loss, global_step, 0.1, 'SGD', summaries=['loss', 'weights'])",
    "bad_optimizer_name": MODEL + "layers.optimize_loss(loss, global_step, 0.1, 'sgd')",
    "name_without_learning_rate": MODEL + "layers.optimize_loss(loss, global_step, None, 'SGD')",
    "int_learning_rate": MODEL + "layers.optimize_loss(loss, global_step, 1, 'SGD')",
    "negative_learning_rate": MODEL + "layers.optimize_loss(loss, global_step, -0.1, 'SGD')",
    "int_clip_gradients": MODEL + "layers.optimize_loss(loss, global_step, 0.1, 'SGD', clip_gradients=5)",
    "optimizer_number": MODEL + "layers.optimize_loss(loss, global_step, 0.1, 3)",
    "vector_loss": MODEL + "layers.optimize_loss(tf.reduce_sum(x, 1, name='row_sums'), global_step, 0.1, 'SGD')",
}


def run_case(tf, layers, source):
    """A case's record (see the module's docstring)."""
    tf.reset_default_graph()
    scope = {"tf": tf, "np": np, "layers": layers}
    exec(source, scope)
    train = scope["train"]
    variables = tf.global_variables()
    record = {"train": {"name": train.name, "shape": train.shape.as_list(), "dtype": train.dtype.name},
              "variables": [[v.name, v.shape.as_list()] for v in variables],
              "summaries": [s.name for s in tf.get_collection(tf.GraphKeys.SUMMARIES)]}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        record["steps"] = [arr(sess.run(train)) for _ in range(3)]
        record["values"] = {v.name: arr(sess.run(v)) for v in variables}
    return record


def run_error(tf, layers, source):
    tf.reset_default_graph()
    try:
        exec(source, {"tf": tf, "np": np, "layers": layers})
    except Exception as e:  # noqa: BLE001 - the record is what was raised
        return {"type": type(e).__name__, "message": str(e)}
    return None


if __name__ == "__main__":
    tf = importlib.import_module("tensorflow.compat.v1")  # the port above reads this module global
    tf.disable_v2_behavior()  # graph mode, TF 1.x semantics
    golden = {"cases": {name: run_case(tf, LAYERS, src) for name, src in CASES.items()},
              "errors": {name: run_error(tf, LAYERS, src) for name, src in ERRORS.items()}}
    OUT.write_text(json.dumps(golden, indent=1) + "\n")
    print("wrote", OUT)
