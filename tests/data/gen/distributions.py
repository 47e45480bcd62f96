"""Writes tests/data/tf_distributions.json from TensorFlow: for each case of CASES (a source text that builds
`out`, a list of tensors, from tf.distributions' Normal and Categorical), each output's name, static shape,
dtype and value, and for the cases that name `wrt`, the gradients of sum(out[0]) with respect to those tensors;
for ERRORS, the error class and message that building raises. tests/test_distributions.py runs the same texts
on tfmini and compares.

Run with a TensorFlow install: /tmp/tfvenv/bin/python tests/data/gen/distributions.py
"""
import json
import pathlib

import numpy as np
import tensorflow.compat.v1 as tf

from golden_values import arr  # tests/data/gen/golden_values.py

tf.disable_v2_behavior()
OUT = pathlib.Path(__file__).resolve().parent.parent / "tf_distributions.json"

# name -> source; the source sets `out` (tensors to fetch) and optionally `wrt` (tensors to differentiate for).
# Every sample has an op seed: without one, TF derives it from the graph's op count, which differs by version.
CASES = {
    "normal_log_prob_prob_broadcast": (
        "loc = tf.constant([0., 1., -2.]); scale = tf.constant([1., 0.5, 3.])\n"
        "d = tf.distributions.Normal(loc=loc, scale=scale)\n"
        "out = [d.log_prob([[0.3, 1.2, 4.], [-1., 0., 2.]]), d.prob([0.3, 1.2, 4.]), d.loc, d.scale]\n"
        "wrt = [loc, scale]"),
    "normal_statistics_batch_2x3": (
        "d = tf.distributions.Normal(loc=[[0.], [1.]], scale=[1., 2., 3.])\n"
        "out = [d.entropy(), d.mean(), d.stddev(), d.variance(), d.mode(), d.batch_shape_tensor(),\n"
        "       d.event_shape_tensor()]"),
    "normal_cdf_tails_float32": (
        "d = tf.distributions.Normal(loc=0., scale=1.)\n"
        "x = tf.constant([-40., -12., -9.5, -3., 0., 0.5, 3., 5.5, 12.])\n"
        "out = [d.cdf(x), d.survival_function(x), d.log_cdf(x), d.log_survival_function(x)]"),
    "normal_cdf_tails_float64": (
        "d = tf.distributions.Normal(loc=tf.constant(1., tf.float64), scale=tf.constant(2., tf.float64))\n"
        "x = tf.constant([-80., -41., -30., -5., 1., 2.5, 16., 20.], tf.float64)\n"
        "out = [d.cdf(x), d.log_cdf(x), d.log_survival_function(x)]"),
    "normal_sample_seeded": (
        "tf.set_random_seed(3)\n"
        "loc = tf.constant([2., -1.]); scale = tf.constant([0.5, 3.])\n"
        "d = tf.distributions.Normal(loc, scale)\n"
        "out = [d.sample([2, 3], seed=5), d.sample(seed=7), d.sample(4, seed=8)]\n"
        "wrt = [loc, scale]"),
    "normal_unknown_batch": (
        "loc = tf.placeholder_with_default([0., 1., 2.], shape=[None])\n"
        "d = tf.distributions.Normal(loc, 1.)\n"
        "out = [d.sample(2, seed=1), d.log_prob(0.5), d.entropy(), d.batch_shape_tensor()]"),
    "normal_kl_and_cross_entropy": (
        "a = tf.distributions.Normal(loc=[0., 1.], scale=[1., 2.])\n"
        "b = tf.distributions.Normal(loc=0.5, scale=1.5)\n"
        "out = [tf.distributions.kl_divergence(a, b), a.kl_divergence(b), a.cross_entropy(b)]"),
    "normal_named": (
        "d = tf.distributions.Normal(0., 1., name='policy')\n"
        "d2 = tf.distributions.Normal(0., 1., name='policy')\n"
        "out = [d.log_prob(0.), d2.log_prob(0.), d2.sample(seed=2)]"),
    "categorical_logits": (
        "logits = tf.constant([[1., 2., 3.], [0., 0., 0.]])\n"
        "d = tf.distributions.Categorical(logits=logits)\n"
        "out = [d.log_prob([2, 0]), d.prob([1, 1]), d.entropy(), d.mode(), d.cdf([1, 3]), d.probs, d.logits,\n"
        "       d.event_size, d.batch_shape_tensor()]\n"
        "wrt = [logits]"),
    "categorical_log_prob_broadcast_k": (
        "logits = tf.constant([[1., 2., 3.], [0.5, -1., 0.]])\n"
        "d = tf.distributions.Categorical(logits=logits)\n"
        "out = [d.log_prob([[0, 1], [2, 2], [1, 0]]), d.log_prob(2)]\n"
        "wrt = [logits]"),
    "categorical_probs": (
        "probs = tf.constant([0.2, 0.3, 0.5])\n"
        "d = tf.distributions.Categorical(probs=probs)\n"
        "out = [d.logits, d.log_prob(2), d.entropy(), d.mode(), d.sample(6, seed=4)]"),
    "categorical_sample_seeded": (
        "tf.set_random_seed(11)\n"
        "d = tf.distributions.Categorical(logits=[[0., 1., 2., 0.5], [3., 0., 0., -1.]])\n"
        "out = [d.sample([4], seed=2), d.sample(seed=3)]"),
    "categorical_3d_batch": (
        "logits = tf.constant(np.linspace(-1., 2., 24).reshape(2, 3, 4).astype(np.float32))\n"
        "d = tf.distributions.Categorical(logits=logits, dtype=tf.int64)\n"
        "out = [d.entropy(), d.mode(), d.log_prob([[0, 1, 3], [2, 2, 0]]), d.sample(2, seed=6)]"),
    "categorical_kl": (
        "a = tf.distributions.Categorical(logits=[[1., 2., 3.], [0., 0., 1.]])\n"
        "b = tf.distributions.Categorical(probs=[0.25, 0.25, 0.5])\n"
        "out = [tf.distributions.kl_divergence(a, b), a.cross_entropy(b)]"),
    "policy_gradient_loss": (
        "logits = tf.constant([[0.2, -0.4, 1.0], [1.5, 0.0, -0.3]])\n"
        "actions = tf.constant([2, 0]); advantage = tf.constant([1.5, -0.5])\n"
        "pi = tf.distributions.Categorical(logits=logits)\n"
        "loss = tf.reduce_mean(-pi.log_prob(actions) * advantage - 0.01 * pi.entropy())\n"
        "out = [loss]\n"
        "wrt = [logits]"),
    "gaussian_policy_loss": (
        "mu = tf.constant([0.3]); sigma = tf.nn.softplus(tf.constant([-0.2])) + 1e-5\n"
        "dist = tf.distributions.Normal(mu, sigma)\n"
        "action = tf.clip_by_value(dist.sample(1, seed=9), -1., 1.)\n"
        "loss = -dist.log_prob(tf.stop_gradient(action)) * 2.0 - 1e-1 * dist.entropy()\n"
        "out = [loss, action]\n"
        "wrt = [mu, sigma]"),
}

ERRORS = {
    "normal_int_parameters": "tf.distributions.Normal(0, 1)",
    "normal_mixed_dtypes": "tf.distributions.Normal(tf.constant(0., tf.float64), 1.)",
    "categorical_neither": "tf.distributions.Categorical()",
    "categorical_both": "tf.distributions.Categorical(logits=[1., 2.], probs=[0.5, 0.5])",
    "categorical_int_logits": "tf.distributions.Categorical(logits=[1, 2])",
    "kl_unregistered": ("tf.distributions.kl_divergence(tf.distributions.Normal(0., 1.),\n"
                        "                               tf.distributions.Categorical(logits=[1., 2.]))"),
}


def build(tf, source):
    """Run a case's source in a fresh graph: (out, wrt)."""
    tf.reset_default_graph()
    scope = {"tf": tf, "np": np}
    exec(source, scope)
    return scope["out"], scope.get("wrt", [])


def describe(t):
    shape = t.shape.as_list() if t.shape.ndims is not None else None
    return {"name": t.name, "shape": shape, "dtype": t.dtype.name}


def run_case(tf, source):
    """A case's record: outputs (name, static shape, dtype, value) and gradients."""
    out, wrt = build(tf, source)
    grads = tf.gradients(tf.reduce_sum(out[0]), wrt) if wrt else []
    with tf.Session() as sess:
        values = sess.run(list(out) + list(grads))
    return {"outputs": [dict(describe(t), value=arr(v)) for t, v in zip(out, values)],
            "grads": [arr(v) for v in values[len(out):]]}


def run_error(tf, source):
    tf.reset_default_graph()
    try:
        exec(source, {"tf": tf, "np": np})
    except Exception as e:  # noqa: BLE001 - the record is what TF raised
        return {"type": type(e).__name__, "message": str(e)}
    return None


if __name__ == "__main__":
    golden = {"cases": {name: run_case(tf, src) for name, src in CASES.items()},
              "errors": {name: run_error(tf, src) for name, src in ERRORS.items()}}
    OUT.write_text(json.dumps(golden, indent=1) + "\n")
    print("wrote", OUT)
