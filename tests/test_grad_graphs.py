"""The gradient graphs tf.gradients and optimizer.minimize build are TensorFlow's own: node names, types and
inputs under `gradients/` against a TF 2.21 golden (tests/data/tf_grad_graphs.json, from
tests/data/gen/grad_graphs.py); and the unary ops' backward ops (TanhGrad, SigmoidGrad, SqrtGrad, RsqrtGrad,
ReciprocalGrad) with their rows and second-order gradients."""
import json
import os
import sys

import numpy as np
import pytest

import tfmini as tf
from gradcheck import GradRow, grad_rows_test
from optable import Row, rows_test
from tfmini.ops import math_ops

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "data", "gen"))
import grad_graphs  # noqa: E402 - the programs the golden was made from

with open(os.path.join(HERE, "data", "tf_grad_graphs.json")) as _f:
    GOLDEN = json.load(_f)["programs"]


# =========================================================================== the golden
@pytest.mark.parametrize("program", grad_graphs.PROGRAMS, ids=[p.__name__ for p in grad_graphs.PROGRAMS])
def test_gradient_nodes_are_tensorflows(program):
    got = grad_graphs.gradient_nodes(tf, program)
    want = [tuple([n, t, i]) for n, t, i in GOLDEN[program.__name__]]
    got = [tuple([n, t, i]) for n, t, i in got]
    # first difference, readable
    for k, (a, b) in enumerate(zip(want, got)):
        assert a == b, "node %d: TF %s, tfmini %s" % (k, a, b)
    assert len(got) == len(want), "TF %d nodes, tfmini %d (extra: %s)" % (len(want), len(got),
                                                                         (got[len(want):] or want[len(got):])[:3])


def test_golden_has_the_backward_ops():
    types = {t for nodes in GOLDEN.values() for _, t, _ in nodes}
    assert {"TanhGrad", "SigmoidGrad", "SqrtGrad", "RsqrtGrad", "ReciprocalGrad", "Tile", "BroadcastTo",
            "DynamicStitch", "BroadcastGradientArgs"} <= types


# =========================================================================== the gate
def test_gate_waits_for_every_gradient_but_a_plan_skips_those_nothing_reads():
    """TF's `tuple/group_deps` waits for the gradient of the fed `x` too; a run of the train op computes it only
    when something else needs it (the result is the same either way)."""
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    w = tf.Variable([[1.0], [2.0]], name="w")
    loss = tf.reduce_sum(tf.matmul(x, w))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    g = tf.get_default_graph()
    gate = g.get_operation_by_name("gradients/MatMul_grad/tuple/group_deps")
    dx = g.get_operation_by_name("gradients/MatMul_grad/MatMul")
    assert [c.name for c in gate.control_inputs] == ["gradients/MatMul_grad/MatMul", "gradients/MatMul_grad/MatMul_1"]
    from tfmini.runtime import executor
    needed = executor._needed_in_order([], [train], {x: None})
    assert dx not in needed and g.get_operation_by_name("gradients/MatMul_grad/MatMul_1") in needed
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        feed = {x: np.array([[1.0, 3.0]], np.float32)}
        sess.run(train, feed)
        np.testing.assert_allclose(sess.run(w), [[0.5], [0.5]])
        # fetched, the skipped gradient is computed
        got = sess.run(g.get_tensor_by_name("gradients/MatMul_grad/tuple/control_dependency:0"), feed)
        np.testing.assert_allclose(got, [[0.5, 0.5]])


def test_a_skippable_gradient_that_does_something_still_runs(capfd):
    """A gradient nothing reads is skipped only when computing it does nothing else: one with a tf.Print (here in
    an overridden gradient, for the fed `x`) runs, as TF's gate makes it."""
    tf.reset_default_graph()

    @tf.RegisterGradient("TfminiTestPrintingMul")
    def _printing_mul_grad(op, grad):
        x, w = op.inputs
        return [tf.Print(grad * w, [grad], message="gradient for x: "), grad * x]
    x = tf.placeholder(tf.float32, [2], name="x")
    w = tf.Variable([1.0, 2.0], name="w")
    with tf.get_default_graph().gradient_override_map({"Mul": "TfminiTestPrintingMul"}):
        loss = tf.reduce_sum(tf.multiply(x, w))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    with tf.Session() as sess:
        sess.run(w.initializer)
        sess.run(train, {x: np.array([1.0, 3.0], np.float32)})
        np.testing.assert_allclose(sess.run(w), [0.5, 0.5])
    assert "gradient for x: [1 1]" in capfd.readouterr().err


def test_unary_grads_wait_for_the_incoming_gradient():
    """As TF: cos(x) for sin's gradient is made under a control dependency on the incoming gradient."""
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [3], name="x")
    y = tf.sin(x) * 2.0
    tf.gradients(y, x)
    cos = tf.get_default_graph().get_operation_by_name("gradients/Sin_grad/Cos")
    assert [c.name for c in cos.control_inputs] == ["gradients/mul_grad/Mul"]


# =========================================================================== the backward ops
Y = np.array([[0.5, -0.25, 0.75], [0.125, 0.9, -0.6]], np.float32)
DY = np.array([[1.0, 2.0, -1.0], [0.5, -3.0, 4.0]], np.float32)
YP = np.abs(Y) + 0.1


def _raw(op_type):
    return {"TanhGrad": math_ops.tanh_grad, "SigmoidGrad": math_ops.sigmoid_grad, "SqrtGrad": math_ops.sqrt_grad,
            "RsqrtGrad": math_ops.rsqrt_grad, "ReciprocalGrad": math_ops.reciprocal_grad}[op_type]


CASES = [
    Row("TanhGrad", lambda tf: _raw("TanhGrad")(Y, DY), lambda np: DY * (1 - Y * Y)),
    Row("SigmoidGrad", lambda tf: _raw("SigmoidGrad")(Y, DY), lambda np: DY * Y * (1 - Y)),
    Row("SqrtGrad", lambda tf: _raw("SqrtGrad")(YP, DY), lambda np: DY * 0.5 / YP),
    Row("RsqrtGrad", lambda tf: _raw("RsqrtGrad")(YP, DY), lambda np: DY * -0.5 * YP ** 3),
    Row("ReciprocalGrad", lambda tf: _raw("ReciprocalGrad")(YP, DY), lambda np: -DY * YP * YP),
    Row("TanhGrad", lambda tf: _raw("TanhGrad")(Y.astype(np.float64), DY.astype(np.float64)),
        lambda np: (DY * (1 - Y * Y)).astype(np.float64), id="TanhGrad-f64"),
]
test_row = rows_test(CASES)

GRAD_CASES = [
    GradRow("TanhGrad", lambda tf, y, dy: _raw("TanhGrad")(y, dy), [(2, 3), (2, 3)]),
    GradRow("SigmoidGrad", lambda tf, y, dy: _raw("SigmoidGrad")(y, dy), [(2, 3), (2, 3)]),
    GradRow("SqrtGrad", lambda tf, y, dy: _raw("SqrtGrad")(y, dy), [(2, 3), (2, 3)], positive=True),
    GradRow("RsqrtGrad", lambda tf, y, dy: _raw("RsqrtGrad")(y, dy), [(2, 3), (2, 3)], positive=True),
    GradRow("ReciprocalGrad", lambda tf, y, dy: _raw("ReciprocalGrad")(y, dy), [(2, 3), (2, 3)], positive=True),
    # second derivatives through the forward ops, as tf.hessians-style use builds them
    GradRow("TanhGrad", lambda tf, a: tf.gradients(tf.tanh(a) * a, a)[0], [(2, 3)], id="Tanh-second-order"),
    GradRow("SigmoidGrad", lambda tf, a: tf.gradients(tf.sigmoid(a) * a, a)[0], [(2, 3)], low=-3, high=3,
            id="Sigmoid-second-order"),
    GradRow("SqrtGrad", lambda tf, a: tf.gradients(tf.sqrt(a) * a, a)[0], [(2, 3)], positive=True,
            id="Sqrt-second-order"),
]
test_grad_row = grad_rows_test(GRAD_CASES)


def test_backward_op_input_mismatch_is_tfs_error():
    """As TF: the output has y's shape; dy must have as many elements, checked when the op runs."""
    tf.reset_default_graph()
    t = math_ops.tanh_grad(np.zeros((2, 3), np.float32), np.zeros((2, 2), np.float32))
    assert t.shape.as_list() == [2, 3]
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match="The two arguments to a cwise op must have same number of "
                                                   "elements, got 6 and 4"):
        sess.run(t)
    with pytest.raises(TypeError, match="Value passed to parameter 'y' has DataType int32 not in list of allowed "
                                        "values: float16, float32, float64, complex64, complex128"):
        math_ops.tanh_grad(np.zeros(3, np.int32), np.zeros(3, np.int32))
