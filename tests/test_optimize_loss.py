"""tf.contrib.layers.optimize_loss against TensorFlow 1.15's optimize_loss rebuilt on TF 2.21's ops
(tests/data/gen/optimize_loss.py writes tests/data/tf_optimize_loss.json): the train tensor, the variables it
makes (learning rate, slots), the summaries, three training steps' values and the variables after them, and the
errors of its argument checks."""
import json
import pathlib

import numpy as np
import pytest

import tfmini as tf
from conftest import load_generator

GEN = load_generator("optimize_loss")
GOLDEN = json.loads((pathlib.Path(__file__).parent / "data" / "tf_optimize_loss.json").read_text())


def _close(value, expected):
    want = np.array(expected["values"], dtype=expected["dtype"]).reshape(expected["shape"])
    assert np.asarray(value).dtype == want.dtype and np.asarray(value).shape == want.shape
    np.testing.assert_allclose(value, want, rtol=2e-6, atol=1e-7)


@pytest.mark.parametrize("case", sorted(GEN.CASES))
def test_case_matches_tensorflow(case):
    golden = GOLDEN["cases"][case]
    tf.reset_default_graph()
    scope = {"tf": tf, "np": np, "layers": tf.contrib.layers}
    exec(GEN.CASES[case], scope)
    train = scope["train"]
    assert {"name": train.name, "shape": train.shape.as_list(), "dtype": train.dtype.name} == golden["train"]
    variables = tf.global_variables()
    assert [[v.name, v.shape.as_list()] for v in variables] == golden["variables"]
    assert [s.name for s in tf.get_collection(tf.GraphKeys.SUMMARIES)] == golden["summaries"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for expected in golden["steps"]:
            _close(sess.run(train), expected)
        for v in variables:
            _close(sess.run(v), golden["values"][v.name])


@pytest.mark.parametrize("case", sorted(GEN.ERRORS))
def test_error_matches_tensorflow(case):
    expected = GOLDEN["errors"][case]
    tf.reset_default_graph()
    with pytest.raises(Exception) as info:
        exec(GEN.ERRORS[case], {"tf": tf, "np": np, "layers": tf.contrib.layers})
    assert (type(info.value).__name__, str(info.value)) == (expected["type"], expected["message"])


def test_namespace_and_ftrl():
    from tfmini.contrib.layers.optimizers import OPTIMIZER_SUMMARIES, optimize_loss
    assert optimize_loss is tf.contrib.layers.optimize_loss
    assert OPTIMIZER_SUMMARIES is tf.contrib.layers.optimizers.OPTIMIZER_SUMMARIES
    assert tf.contrib.layers.OPTIMIZER_CLS_NAMES["Ftrl"] is tf.train.FtrlOptimizer  # ftrl_by_name runs it


def test_gradient_noise_scale_adds_truncated_normal_noise():
    tf.reset_default_graph()
    w = tf.Variable([1.0, 2.0])
    train = tf.contrib.layers.optimize_loss(tf.reduce_sum(w), None, 1.0, "SGD", gradient_noise_scale=0.5,
                                            variables=[w])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        noise = [1.0, 2.0] - sess.run(w) - 1.0  # w -= 1.0 * (gradient 1 + 0.5 * truncated normal)
    assert np.all(np.abs(noise) <= 1.0) and np.all(noise != 0.0)  # truncated at 2 standard deviations
