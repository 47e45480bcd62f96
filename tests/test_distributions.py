"""tf.distributions (and tf.contrib.distributions): Normal and Categorical against what TensorFlow computes for
the same case texts (tests/data/gen/distributions.py writes tests/data/tf_distributions.json): values, static
shapes, dtypes, name scopes, gradients, seeded samples, and the errors building raises."""
import json
import pathlib

import numpy as np
import pytest

import tfmini as tf
from conftest import load_generator

GEN = load_generator("distributions")
GOLDEN = json.loads((pathlib.Path(__file__).parent / "data" / "tf_distributions.json").read_text())


def _array(record):
    return np.array(record["values"], dtype=record["dtype"]).reshape(record["shape"])


def _scope(name):
    """A tensor name without its last op's type: TF 2.x builds where() as SelectV2 and broadcasting as
    BroadcastArgs where TF 1.x (and tfmini) build Select and other ops; the name scopes are what the lecture
    sees in the graph."""
    return name.rsplit("/", 1)[0] if "/" in name else name


def _check(value, expected):
    assert value.dtype.name == expected["dtype"] and list(value.shape) == expected["shape"]
    want = _array(expected)
    if want.dtype.kind == "f":
        tol = 1e-5 if want.dtype == np.float32 else 1e-12
        np.testing.assert_allclose(value, want, rtol=tol, atol=tol)
    else:
        np.testing.assert_array_equal(value, want)


@pytest.mark.parametrize("case", sorted(GEN.CASES))
def test_case_matches_tensorflow(case):
    golden = GOLDEN["cases"][case]
    out, wrt = GEN.build(tf, GEN.CASES[case])
    grads = tf.gradients(tf.reduce_sum(out[0]), wrt) if wrt else []
    for t, expected in zip(out, golden["outputs"]):
        assert _scope(t.name) == _scope(expected["name"])
        assert t.dtype.name == expected["dtype"]
        assert (t.shape.as_list() if t.shape.ndims is not None else None) == expected["shape"]
    with tf.Session() as sess:
        values = sess.run(list(out) + list(grads))
    for value, expected in zip(values, golden["outputs"]):
        _check(np.asarray(value), expected["value"])
    assert len(grads) == len(golden["grads"])
    for value, expected in zip(values[len(out):], golden["grads"]):
        _check(np.asarray(value), expected)


@pytest.mark.parametrize("case", sorted(GEN.ERRORS))
def test_error_matches_tensorflow(case):
    expected = GOLDEN["errors"][case]
    with pytest.raises(Exception) as info:
        tf.reset_default_graph()
        exec(GEN.ERRORS[case], {"tf": tf, "np": np})
    assert type(info.value).__name__ == expected["type"]
    assert str(info.value) == expected["message"]


def test_namespaces_and_contrib_alias():
    assert tf.contrib.distributions.Normal is tf.distributions.Normal
    assert tf.contrib.distributions.Categorical is tf.distributions.Categorical
    from tfmini.contrib.distributions import Normal
    assert Normal is tf.distributions.Normal
    with pytest.raises(AttributeError, match="tf.distributions.Dirichlet is TensorFlow 1.x API"):
        tf.distributions.Dirichlet


def test_sample_n_is_the_old_spelling_of_sample():
    tf.reset_default_graph()
    d = tf.contrib.distributions.Normal(tf.constant([0.5, -1.]), 2.)
    a, b = d.sample_n(3, seed=4), d.sample([3], seed=4)
    assert a.shape.as_list() == [3, 2] and a.name.startswith("Normal/sample_n/")
    with tf.Session() as sess:
        x, y = sess.run([a, b])
    np.testing.assert_array_equal(x, y)  # same graph seed, same op seed: the same draws


def test_reparameterization_and_properties():
    tf.reset_default_graph()
    n = tf.distributions.Normal(0., 1., validate_args=True)
    c = tf.distributions.Categorical(logits=[1., 2.])
    assert n.reparameterization_type is tf.distributions.FULLY_REPARAMETERIZED
    assert c.reparameterization_type is tf.distributions.NOT_REPARAMETERIZED
    assert n.batch_shape.as_list() == [] and c.batch_shape.as_list() == [] and c.event_shape.as_list() == []
    assert n.validate_args and n.allow_nan_stats and set(n.parameters) >= {"loc", "scale"}
    assert repr(c) == "<tf.distributions.Categorical 'Categorical' batch_shape=() event_shape=() dtype=int32>"


def test_validate_args_checks_scale_at_run_time():
    tf.reset_default_graph()
    d = tf.distributions.Normal(0., tf.placeholder(tf.float32, []), validate_args=True)
    lp = d.log_prob(1.)
    with tf.Session() as sess:
        assert np.isfinite(sess.run(lp, {d.scale.op.inputs[0]: 2.}))
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(lp, {d.scale.op.inputs[0]: -1.})


def test_kl_registry():
    class Wide(tf.distributions.Normal):
        pass

    tf.reset_default_graph()
    kl = tf.distributions.kl_divergence(Wide(0., 1.), tf.distributions.Normal(0., 1.))  # the parent's rule
    with tf.Session() as sess:
        assert sess.run(kl) == 0.0
    with pytest.raises(ValueError, match=r"KL\(Normal \|\| Normal\) has already been registered"):
        tf.distributions.RegisterKL(tf.distributions.Normal, tf.distributions.Normal)(lambda a, b, name=None: a)
