"""tf.train.FtrlOptimizer, ProximalGradientDescentOptimizer and ProximalAdagradOptimizer: their training ops
(ApplyFtrl, ApplyFtrlV2, ApplyProximalGradientDescent, ApplyProximalAdagrad and the SparseApply* variants) against
numpy references of TF's kernels, and the optimizers against TensorFlow (tests/data/gen/ftrl_proximal.py writes
tests/data/tf_ftrl_proximal.json): variable and slot names, the values of every variable after three steps on a
dense and an embedding-style sparse gradient, and the argument errors."""
import json
import pathlib

import numpy as np
import pytest

import tfmini as tf
from conftest import load_generator
from optable import Row, rows_test
from tfmini.ops import training_ops

GEN = load_generator("ftrl_proximal")
GOLDEN = json.loads((pathlib.Path(__file__).parent / "data" / "tf_ftrl_proximal.json").read_text())

W0 = np.arange(15, dtype=np.float32).reshape(5, 3) / 10 - 0.6
G = np.array([[0.1, -0.2, 0.3], [-0.4, 0.5, 0.6], [0.7, -0.1, 0.2], [0.3, 0.3, -0.3], [-0.2, 0.05, 0.4]], np.float32)
SPARSE_G = G[:3]
IDX = np.array([3, 0, 3], np.int32)  # row 3 twice: applied once per occurrence, in order


# =========================================================================== numpy references of TF's kernels
def _ftrl(lr, l1, l2, lr_power, shrinkage=0.0):
    """FTRL-Proximal in the paper's form: z (linear) gathers g - sigma * w; w = 0 where |z| <= l1."""
    def update(v, a, lin, g):
        n = a + g * g
        sigma = (n ** -lr_power - a ** -lr_power) / lr
        lin += g + 2 * shrinkage * v - sigma * v
        w = (np.sign(lin) * l1 - lin) / (n ** -lr_power / lr + 2 * l2)
        v[...] = np.where(np.abs(lin) > l1, w, 0.0)
        a[...] = n
    return update


def _proximal(step_of, l1, l2):
    """FOBOS: a gradient step, then soft-threshold by step * l1 and divide by 1 + step * l2."""
    def update(v, *rest):
        slots, g = rest[:-1], rest[-1]
        step = step_of(g, *slots)
        prox = v - step * g
        v[...] = np.sign(prox) * np.maximum(np.abs(prox) - step * l1, 0) / (1 + step * l2)
    return update


def _adagrad_step(lr):
    def step(g, a):
        a += g * g
        return lr / np.sqrt(a)
    return step


def _dense(update, slot_init):
    def expect(np_):
        arrays = [W0.astype(np.float64)] + [np.full(W0.shape, v, np.float64) for v in slot_init]
        update(*arrays, G.astype(np.float64))
        return arrays[0]
    return expect


def _sparse(update, slot_init):
    def expect(np_):
        arrays = [W0.astype(np.float64)] + [np.full(W0.shape, v, np.float64) for v in slot_init]
        for g, i in zip(SPARSE_G.astype(np.float64), IDX):
            rows = [a[i].copy() for a in arrays]
            update(*rows, g)
            for a, r in zip(arrays, rows):
                a[i] = r
        return arrays[0]
    return expect


def _build(fn, slot_init, before=(), after=(), sparse=False):
    def build(tf):
        var = tf.Variable(W0, name="w")
        slots = [tf.Variable(np.full_like(W0, v), name="s%d" % k) for k, v in enumerate(slot_init)]
        grad = [tf.constant(SPARSE_G), tf.constant(IDX)] if sparse else [tf.constant(G)]
        return fn(var, *slots, *before, *grad, *after)
    return build


FTRL = dict(lr=0.5, l1=0.05, l2=0.1, lr_power=-0.5)
CASES = [
    Row("ApplyFtrl", _build(training_ops.apply_ftrl, [0.1, 0.0], after=[0.5, 0.05, 0.1, -0.5]),
        _dense(_ftrl(**FTRL), [0.1, 0.0]), rtol=1e-5),
    Row("ApplyFtrl", _build(training_ops.apply_ftrl, [0.3, 0.2], after=[0.2, 0.0, 0.0, -0.3]),
        _dense(_ftrl(0.2, 0.0, 0.0, -0.3), [0.3, 0.2]), id="ApplyFtrl-power", rtol=1e-5),
    Row("ApplyFtrlV2", _build(training_ops.apply_ftrl_v2, [0.1, 0.0], after=[0.5, 0.05, 0.1, 0.2, -0.5]),
        _dense(_ftrl(shrinkage=0.2, **FTRL), [0.1, 0.0]), rtol=1e-5),
    Row("SparseApplyFtrl", _build(training_ops.sparse_apply_ftrl, [0.1, 0.0], after=[0.5, 0.05, 0.1, -0.5],
                                  sparse=True), _sparse(_ftrl(**FTRL), [0.1, 0.0]), rtol=1e-5),
    Row("SparseApplyFtrlV2", _build(training_ops.sparse_apply_ftrl_v2, [0.1, 0.0],
                                    after=[0.5, 0.05, 0.1, 0.2, -0.5], sparse=True),
        _sparse(_ftrl(shrinkage=0.2, **FTRL), [0.1, 0.0]), rtol=1e-5),
    Row("ApplyProximalGradientDescent", _build(training_ops.apply_proximal_gradient_descent, [], [0.5, 0.3, 0.2]),
        _dense(_proximal(lambda g: 0.5, 0.3, 0.2), []), rtol=1e-5),
    Row("ApplyProximalGradientDescent", _build(training_ops.apply_proximal_gradient_descent, [], [0.5, 0.0, 0.2]),
        _dense(_proximal(lambda g: 0.5, 0.0, 0.2), []), id="ApplyProximalGradientDescent-no-l1", rtol=1e-5),
    Row("SparseApplyProximalGradientDescent",
        _build(training_ops.sparse_apply_proximal_gradient_descent, [], [0.5, 0.3, 0.2], sparse=True),
        _sparse(_proximal(lambda g: 0.5, 0.3, 0.2), []), rtol=1e-5),
    Row("ApplyProximalAdagrad", _build(training_ops.apply_proximal_adagrad, [0.1], [0.5, 0.1, 0.05]),
        _dense(_proximal(_adagrad_step(0.5), 0.1, 0.05), [0.1]), rtol=1e-5),
    Row("SparseApplyProximalAdagrad",
        _build(training_ops.sparse_apply_proximal_adagrad, [0.1], [0.5, 0.1, 0.05], sparse=True),
        _sparse(_proximal(_adagrad_step(0.5), 0.1, 0.05), [0.1]), rtol=1e-5),
]
test_row = rows_test(CASES)


def test_l1_drives_weights_to_exactly_zero():
    tf.reset_default_graph()
    w = tf.Variable(W0, name="w")
    upd = training_ops.apply_proximal_gradient_descent(w, 0.5, 0.5, 0.0, tf.constant(G))
    with tf.Session() as sess:
        sess.run(w.initializer)
        got = sess.run(upd)
    prox = W0 - 0.5 * G
    assert np.array_equal(got == 0, np.abs(prox) <= 0.25) and (got == 0).any()


def test_shape_errors_at_graph_build():
    tf.reset_default_graph()
    w = tf.Variable(W0, name="w")
    a, lin = tf.Variable(np.zeros_like(W0), name="a"), tf.Variable(np.zeros_like(W0), name="lin")
    with pytest.raises(ValueError, match="Dimension mismatch.*for 'ApplyFtrl'"):
        training_ops.apply_ftrl(w, a, lin, tf.ones([3, 5]), 0.1, 0.0, 0.0, -0.5)
    with pytest.raises(ValueError, match="Shape must be rank 0 but is rank 1 for 'ApplyProximalAdagrad'"):
        training_ops.apply_proximal_adagrad(w, a, [0.1, 0.2], 0.0, 0.0, tf.ones([5, 3]))
    with pytest.raises(ValueError, match="^Dimensions must be equal, but are 2 and 3 for 'SparseApplyFtrl'"):
        training_ops.sparse_apply_ftrl(w, a, lin, tf.ones([3, 3]), tf.constant([1, 0]), 0.1, 0.0, 0.0, -0.5)
    with pytest.raises(TypeError, match="need a variable"):
        training_ops.apply_proximal_gradient_descent(tf.constant(W0), 0.1, 0.0, 0.0, tf.constant(G))


def test_sparse_index_out_of_range():
    tf.reset_default_graph()
    w = tf.Variable(W0, name="w")
    upd = training_ops.sparse_apply_proximal_gradient_descent(w, 0.1, 0.0, 0.0, tf.constant(SPARSE_G),
                                                              tf.constant([1, 9, 2]))
    with tf.Session() as sess:
        sess.run(w.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError, match="Index 9 at offset 1 in indices is out of range"):
            sess.run(upd)


# =========================================================================== the optimizers against TensorFlow
def _close(value, expected):
    want = np.array(expected["values"], dtype=expected["dtype"]).reshape(expected["shape"])
    assert np.asarray(value).dtype == want.dtype and np.asarray(value).shape == want.shape
    np.testing.assert_allclose(value, want, rtol=2e-6, atol=1e-7)


@pytest.mark.parametrize("case", sorted(GEN.CASES))
def test_optimizer_matches_tensorflow(case):
    golden = GOLDEN["cases"][case]
    tf.reset_default_graph()
    scope = {"tf": tf, "np": np}
    exec(GEN.CASES[case], scope)
    opt, train = scope["opt"], scope["train"]
    variables = tf.global_variables()
    assert [[v.name, v.shape.as_list()] for v in variables] == golden["variables"]
    assert opt.get_slot_names() == golden["slot_names"]
    assert {name: {v.op.name: opt.get_slot(v, name).name for v in (scope["w"], scope["b"], scope["emb"])}
            for name in opt.get_slot_names()} == golden["slots"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for expected in golden["steps"]:
            sess.run(train)
            for v in variables:
                _close(sess.run(v), expected[v.name])


def test_the_sparse_path_uses_the_sparse_ops():
    tf.reset_default_graph()
    scope = {"tf": tf, "np": np}
    exec(GEN.CASES["ftrl_l2_shrinkage"] + "\nopt2 = tf.train.ProximalAdagradOptimizer(0.1)\n"
         "train2 = opt2.minimize(loss)\ntrain3 = tf.train.ProximalGradientDescentOptimizer(0.1).minimize(loss)", scope)
    types = {op.type for op in tf.get_default_graph().get_operations()}
    assert {"ApplyFtrlV2", "SparseApplyFtrlV2", "ApplyProximalAdagrad", "SparseApplyProximalAdagrad",
            "ApplyProximalGradientDescent", "SparseApplyProximalGradientDescent"} <= types
    assert not {"ApplyFtrl", "SparseApplyFtrl"} & types  # an L2 shrinkage picks the V2 ops


@pytest.mark.parametrize("case", sorted(GEN.ERRORS))
def test_error_matches_tensorflow(case):
    expected = GOLDEN["errors"][case]
    tf.reset_default_graph()
    with pytest.raises(Exception) as info:
        exec(GEN.ERRORS[case], {"tf": tf, "np": np})
    assert (type(info.value).__name__, str(info.value)) == (expected["type"], expected["message"])
