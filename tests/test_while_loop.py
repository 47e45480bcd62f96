"""tf.while_loop as TF 1.x builds and runs it: the graph node for node TF's (tests/data/tf_while_loop.json, written
by TensorFlow 2.21 with control flow v1 from the cases below), the values TF computed, nesting with loops and conds,
variables read and assigned in a loop, TF's errors, gradients (the backward loop with its stacks, checked against
finite differences; back_prop=False stops them, as TF's), GraphDefs and MetaGraphDefs, and a session with a GPU (a
loop runs on its CPU)."""
import contextlib
import json
import pathlib

import numpy as np
import pytest

import tfmini as tf
from gradcheck import GradRow
from optable import Row, rows_test
from tfmini.framework import graph_io
from tfmini.ops import control_flow_ops

GOLDEN = json.loads((pathlib.Path(__file__).parent / "data" / "tf_while_loop.json").read_text())["cases"]


def _count_row(tf):
    n = tf.placeholder(tf.int32, [])
    return tf.while_loop(lambda i: i < n, lambda i: i + 2, [0]), {n: 7}


def _sum_row(tf):
    x = tf.constant([1., 2., 3.])
    return tf.while_loop(lambda i, s: i < 4, lambda i, s: (i + 1, s + x * tf.cast(i, tf.float32)),
                         [0, tf.zeros([3])])[1]


def _assign_row(tf):
    with tf.device("/cpu:0"):  # (a loop that assigns needs its variable on the CPU in a session with a GPU)
        v = tf.Variable([1., 1.], name="v")
    i = tf.while_loop(lambda i: i < 3,
                      lambda i: control_flow_ops.with_dependencies([tf.assign_add(v, [1., 2.])], i + 1), [0])
    with tf.control_dependencies([i]):
        return tf.identity(v.read_value())


CASES = [
    Row("Enter", _count_row, expect=np.int32(8)),
    Row("Exit", _sum_row, expect=[6., 12., 18.], id="Exit-sum"),
    Row("NextIteration", lambda tf: tf.while_loop(lambda x: tf.reduce_sum(x) < 100., lambda x: x * 3., [tf.ones([2])]),
        expect=[81., 81.]),
    Row("LoopCond", lambda tf: tf.while_loop(lambda a, b: a < 10, lambda a, b: (b, a + b), (0, 1))[0],
        expect=np.int32(13)),
    Row("RefEnter", _assign_row, expect=[4., 7.]),
]


def _stack_row(tf):
    from tfmini.ops import data_flow_ops
    x = tf.constant([[1., 2.], [3., 4.]])
    h = data_flow_ops.stack_v2(-1, tf.float32, name="f_acc")
    push = data_flow_ops.stack_push_v2(h, x)
    with tf.control_dependencies([push]):
        push2 = data_flow_ops.stack_push_v2(h, x * 10., name="second")
    with tf.control_dependencies([push2]):
        top = data_flow_ops.stack_pop_v2(h, tf.float32)
    with tf.control_dependencies([top]):
        return tf.stack([top, data_flow_ops.stack_pop_v2(h, tf.float32)])  # the last pushed first


def _control_trigger_row(tf):
    with tf.control_dependencies([control_flow_ops.control_trigger()]):
        return tf.identity(tf.constant([1., 2.]))


CASES += [
    Row("StackV2", _stack_row, expect=[[[10., 20.], [30., 40.]], [[1., 2.], [3., 4.]]]),
    Row("StackPushV2", _stack_row, expect=[[[10., 20.], [30., 40.]], [[1., 2.], [3., 4.]]], id="StackPushV2"),
    Row("StackPopV2", _stack_row, expect=[[[10., 20.], [30., 40.]], [[1., 2.], [3., 4.]]], id="StackPopV2"),
    Row("ControlTrigger", _control_trigger_row, expect=[1., 2.]),
]
test_row = rows_test(CASES)

# the gradient through a loop: its backward loop, with the forward values kept on stacks
GRAD_CASES = [
    GradRow("Exit", lambda tf, x: tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, tf.sin(y) * 2.0), [0, x])[1],
            [(2, 3)], id="loop-variable"),
    GradRow("Enter", lambda tf, x, w: tf.while_loop(lambda i, y: i < 2, lambda i, y: (i + 1, y * w), [0, x])[1],
            [(3,), (3,)], id="loop-constant"),
    GradRow("NextIteration", lambda tf, x: tf.while_loop(lambda i, y: i < 2, lambda i, y: (i + 1, tf.square(y)),
                                                         [0, x])[1], [(2,)], id="loop-square"),
    GradRow("RefEnter", lambda tf, v: tf.while_loop(lambda i, y: i < 2, lambda i, y: (i + 1, y * v),
                                                    [0, tf.ones([2], tf.float64)])[1], [(2,)], variables=True,
            id="loop-variable-reference"),
    GradRow("Exit", lambda tf, x: tf.while_loop(lambda i, y: tf.reduce_sum(y) < 10.0, lambda i, y: (i + 1, y * 1.5),
                                                [0, x])[1], [(3,)], positive=True, id="data-dependent-count"),
    GradRow("Exit", lambda tf, x: tf.while_loop(
        lambda i, y: i < 3, lambda i, y: (i + 1, tf.cond(tf.reduce_sum(y) > 0, lambda: y * y, lambda: -y)), [0, x])[1],
        [(2,)], positive=True, id="cond-in-loop"),
    GradRow("Exit", lambda tf, x: tf.while_loop(
        lambda i, y: i < 2, lambda i, y: (i + 1, tf.while_loop(lambda j, z: j < 2, lambda j, z: (j + 1, tf.sin(z) + y),
                                                               [0, y])[1]), [0, x])[1], [(2,)], id="nested-loops"),
    GradRow("Exit", lambda tf, x, w: tf.while_loop(
        lambda i, h: i < 3, lambda i, h: (i + 1, tf.tanh(tf.matmul(h, w))), [0, x])[1], [(2, 3), (3, 3)],
        id="rnn-like"),
]


@pytest.mark.parametrize("row", GRAD_CASES, ids=[r.id for r in GRAD_CASES])
def test_grad_row(row, backend):  # (as grad_rows_test's, on every backend)
    from tfmini.runtime import device
    # (a loop that reads a variable's reference needs the variable on the CPU in a session with a GPU)
    with device.use_backend("numpy") if row.variables else contextlib.nullcontext():
        row.run()


# =========================================================================== the cases TF wrote the golden file from
def case_simple():
    n = tf.placeholder(tf.int32, [], name="n")
    x = tf.constant([1.0, 2.0], name="x")
    i, s = tf.while_loop(lambda i, s: i < n, lambda i, s: (i + 1, s * 2.0 + x), [tf.constant(0), tf.zeros([2])])
    return [i, s], [{n: 3}, {n: 0}, {n: 5}]


def case_maxit():
    r = tf.while_loop(lambda v: v < 100.0, lambda v: v * 2.0, [tf.constant(1.0)], maximum_iterations=3)
    r2 = tf.while_loop(lambda a, b: a < 100.0, lambda a, b: [a * 2.0, b + 1], [1.0, 0], maximum_iterations=10)
    return [r, r2], [{}]


def case_nested():
    def body(i, acc):
        j, a2 = tf.while_loop(lambda j, a: j < i, lambda j, a: (j + 1, a + tf.cast(j, tf.float32)), [0, acc])
        return i + 1, a2
    r = tf.while_loop(lambda i, a: i < 4, body, [0, 0.0])
    return list(r), [{}]


def case_condin():
    p = tf.placeholder(tf.bool, [], name="p")
    r = tf.while_loop(lambda i: i < 10, lambda i: tf.cond(p, lambda: i + 1, lambda: i + 3), [0])
    return [r], [{p: True}, {p: False}]


def case_var():
    v = tf.Variable(3.0, name="v")
    r = tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s + v), [0, 0.0])
    return list(r), "init"


def case_assign():
    with tf.device("/cpu:0"):
        v = tf.Variable(0.0, name="v")

    def body(i):
        with tf.control_dependencies([tf.assign_add(v, 1.0)]):
            return i + 1
    r = tf.while_loop(lambda i: i < 3, body, [0])
    with tf.control_dependencies([r]):
        rv = tf.identity(v.read_value())
    return [r, rv], "init"


def case_ctrl():
    a = tf.constant(1.0, name="a")
    with tf.control_dependencies([a]):
        r = tf.while_loop(lambda i: i < 3, lambda i: i + 1, [0])
    return [r], [{}]


def case_shapeinv():
    x = tf.zeros([1, 2])
    r = tf.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, tf.concat([x, x], 0)), [0, x],
                      shape_invariants=[tf.TensorShape([]), tf.TensorShape([None, 2])])
    return list(r), [{}]


def case_incond():
    p = tf.placeholder(tf.bool, [], name="p")
    n = tf.placeholder(tf.int32, [], name="n")

    def t():
        return tf.while_loop(lambda i, s: i < n, lambda i, s: (i + 1, s + 2.0), [0, 1.0])[1]
    r = tf.cond(p, t, lambda: tf.constant(-1.0))
    return [r], [{p: True, n: 4}, {p: False, n: 4}]


def case_two():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    a = tf.while_loop(lambda i, y: i < 2, lambda i, y: (i + 1, tf.nn.relu(y - 0.5)), [0, x])[1]
    b = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * 2.0 + a), [0, a])[1]
    return [a, b, tf.reduce_sum(b)], [{x: np.arange(6, dtype=np.float32).reshape(2, 3)}]


def case_fib():
    n = tf.placeholder(tf.int32, [])
    r = tf.while_loop(lambda i, a, b: i < n, lambda i, a, b: (i + 1, b, a + b), (0, 0, 1))
    return list(r), [{n: 10}, {n: 1}]


def case_matmul():
    w = tf.constant(np.eye(3, dtype=np.float32) * 0.5)
    x = tf.placeholder(tf.float32, [2, 3])
    r = tf.while_loop(lambda k, h: tf.reduce_sum(h) > 1.0, lambda k, h: (k + 1, tf.tanh(tf.matmul(h, w))), [0, x])
    return list(r), [{x: np.ones((2, 3), np.float32)}]


def case_noback():
    x = tf.Variable(2.0, name="x")
    r = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x), [0, x], back_prop=False)[1]
    gr = tf.gradients(r + x, x)
    return [r, gr[0]], "init"


CASE_FNS = {name[5:]: fn for name, fn in dict(globals()).items() if name.startswith("case_")}


def _graph(g):
    out = {}
    for op in g.get_operations():
        attrs = {k: op.get_attr(k) for k in ("frame_name", "is_constant", "parallel_iterations") if k in op.attrs}
        out[op.name] = [op.type, [t.name for t in op.inputs], sorted(c.name for c in op.control_inputs), attrs,
                        [str(t.shape) for t in op.outputs], g.is_fetchable(op)]
    return out


def test_golden_covers_every_case():
    assert set(GOLDEN) == set(CASE_FNS)


@pytest.mark.parametrize("name", sorted(CASE_FNS))
def test_graph_and_values_are_tensorflows(name, backend):
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(0)
        fetches, feeds = CASE_FNS[name]()
        with tf.Session() as sess:
            if feeds == "init":
                sess.run(tf.global_variables_initializer())
                feeds = [{}]
            for fd, want in zip(feeds, GOLDEN[name]["values"]):
                got = sess.run(fetches, fd)
                for a, b in zip(got, want):
                    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-6, atol=1e-7)
        if "graph" in GOLDEN[name]:  # (after the runs, as TF's was dumped: with the initializer's `init`)
            want = GOLDEN[name]["graph"]
            got = json.loads(json.dumps(_graph(g)))
            assert sorted(got) == sorted(want)
            for op_name in want:
                assert got[op_name] == want[op_name], op_name


# =========================================================================== running
def test_loop_values_match_a_python_loop(backend):
    x = tf.placeholder(tf.float32, [None, 4])
    wv = np.linspace(-1, 1, 16, dtype=np.float32).reshape(4, 4)
    w = tf.constant(wv)

    def body(i, h, hs):
        h = tf.tanh(tf.matmul(h, w) + tf.cast(i, tf.float32))
        return i + 1, h, hs + tf.reduce_sum(h, 1)
    n = tf.placeholder(tf.int32, [])
    _, h, hs = tf.while_loop(lambda i, h, hs: i < n, body, [0, x, tf.zeros(tf.shape(x)[:1])])
    xv = np.random.RandomState(0).rand(3, 4).astype(np.float32)
    with tf.Session() as sess:
        for steps in (0, 1, 5):
            got_h, got_hs = sess.run([h, hs], {x: xv, n: steps})
            ref_h, ref_hs = xv.copy(), np.zeros(3, np.float32)
            for i in range(steps):
                ref_h = np.tanh(ref_h @ wv + i)
                ref_hs = ref_hs + ref_h.sum(1)
            np.testing.assert_allclose(got_h, ref_h, rtol=1e-5, atol=1e-6)
            np.testing.assert_allclose(got_hs, ref_hs, rtol=1e-5, atol=1e-5)
            if steps == 0:
                assert got_h is not xv and not np.shares_memory(got_h, xv)  # a fetch never aliases the feed


def test_random_ops_draw_anew_each_iteration(backend):
    tf.set_random_seed(1)
    out = tf.while_loop(lambda i, acc: i < 4, lambda i, acc: (i + 1, tf.concat([acc, tf.random_uniform([1])], 0)),
                        [0, tf.zeros([0])], shape_invariants=[tf.TensorShape([]), tf.TensorShape([None])])[1]
    with tf.Session() as sess:
        a, b = sess.run(out), sess.run(out)
    assert a.shape == (4,) and len(set(a.tolist())) == 4 and not np.array_equal(a, b)


def test_a_loop_that_assigns_runs_its_assignments_every_iteration(backend):
    with tf.device("/cpu:0"):
        v = tf.Variable(0, name="v")
    i = tf.while_loop(lambda i: i < 5, lambda i: control_flow_ops.with_dependencies([tf.assign_add(v, i)], i + 1), [0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(i) == 5 and sess.run(v) == 0 + 1 + 2 + 3 + 4
        sess.run(i)
        assert sess.run(v) == 20


def test_a_loop_in_a_cond_branch_not_taken_does_not_run(backend):
    with tf.device("/cpu:0"):
        v = tf.Variable(0.0, name="v")
    p = tf.placeholder(tf.bool, [])

    def loop():
        return tf.while_loop(lambda i: i < 3, lambda i: control_flow_ops.with_dependencies([tf.assign_add(v, 1.)],
                                                                                           i + 1), [0])
    r = tf.cond(p, loop, lambda: tf.constant(-1))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(r, {p: False}) == -1 and sess.run(v) == 0.0
        assert sess.run(r, {p: True}) == 3 and sess.run(v) == 3.0


def test_errors_inside_a_loop_name_the_op_and_the_learners_line(backend):
    x = tf.placeholder(tf.float32, [None])
    r = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, tf.reshape(y, [2, 2])[0]), [0, x],
                      shape_invariants=[tf.TensorShape([]), tf.TensorShape([None])])
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError) as e:
            sess.run(r, {x: [1., 2., 3.]})
    assert "Input to reshape is a tensor with 3 values, but the requested shape has 4" in str(e.value)
    assert "[[node while/Reshape (defined at " in str(e.value) and "test_while_loop.py" in str(e.value)
    assert e.value.op.name == "while/Reshape"

    p = tf.placeholder(tf.bool)
    r = tf.while_loop(lambda i: p, lambda i: i + 1, [0])
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="must be a scalar, but it has shape"):
            sess.run(r, {p: [True, False]})


def test_build_errors():
    def err(exc, match, *args, **kw):
        with pytest.raises(exc, match=match):
            tf.while_loop(*args, **kw)
    err(TypeError, "cond must be callable", 3, lambda i: i, [0])
    err(TypeError, "body must be callable", lambda i: i < 2, 3, [0])
    err(ValueError, "No loop variables provided", lambda: True, lambda: 1, [])
    err(TypeError, r"loop_vars must be a list or tuple .* write \[Const:0\]", lambda i: i < 3, lambda i: i + 1,
        tf.constant(0))
    err(TypeError, "Input 'input' of 'LoopCond' Op has type int32 that does not match expected type of bool",
        lambda i: i + 3, lambda i: i + 1, [0])
    err(ValueError, r"Shape must be rank 0 but is rank 1 for 'while_\d+/LoopCond' \(op: 'LoopCond'\)",
        lambda i: i < [3, 4], lambda i: i + 1, [0])
    err(ValueError, r"Input tensor 'zeros:0' enters the loop with shape \(1, 2\), but has shape \(2, 2\) after one "
        "iteration. To allow the shape to vary across iterations, use the `shape_invariants` argument",
        lambda i, x: i < 3, lambda i, x: (i + 1, tf.concat([x, x], 0)), [0, tf.zeros([1, 2], name="zeros")])
    err(ValueError, r"The shape invariant specified for zeros_1:0 is not compatible with the initial shape of the "
        r"loop variable. It enters the loop with shape \(1, 2\), but the specified shape invariant is \(\?, 3\)",
        lambda i, x: i < 3, lambda i, x: (i + 1, x), [0, tf.zeros([1, 2], name="zeros_1")],
        shape_invariants=[tf.TensorShape([]), tf.TensorShape([None, 3])])
    err(ValueError, "shape_invariants must have the structure of loop_vars", lambda i, x: i < 3,  # (a list: TF's too)
        lambda i, x: (i + 1, x), [0, tf.zeros([1, 2])], shape_invariants=[tf.TensorShape([]), [None, 2]])
    err(TypeError, r"'shape' must be one of TypeSpec, TensorShape or None.*tf.TensorShape\(\[None, 2\]\)",
        lambda i: i < 3, lambda i: i + 1, [0], shape_invariants=[3])
    err(ValueError, "body must return the structure of loop_vars", lambda i, j: i < 3, lambda i, j: i + 1, [0, 1])
    err(TypeError, r"Input 1 of node while_\d+/Merge was passed float32 from while_\d+/NextIteration:0 incompatible "
        r"with expected int32. \(The body returned a float32 .* tf.cast", lambda i: i < 3,
        lambda i: tf.cast(i, tf.float32) + 1.0, [0])
    err(TypeError, "parallel_iterations must be a positive integer", lambda i: i < 3, lambda i: i + 1, [0],
        parallel_iterations=0)
    err(ValueError, "maximum_iterations must be a scalar", lambda i: i < 3, lambda i: i + 1, [0],
        maximum_iterations=[3, 4])


def test_values_inside_a_loop_may_not_be_fetched_or_fed():
    inside = []

    def body(i):
        inside.append(i * 2)
        return i + 1
    r = tf.while_loop(lambda i: i < 3, body, [0])
    with tf.Session() as sess:
        with pytest.raises(ValueError, match=r"Operation 'while/mul' has been marked as not fetchable. \(It is inside "
                                             "a tf.while_loop"):
            sess.run(inside[0])
        for t in (inside[0], "while/Merge:0", "while/Enter:0"):
            with pytest.raises(ValueError, match=r"Tensor while/\w+:0 may not be fed"):
                sess.run(r, {t: 5})
        assert sess.run(r, {"while/Const:0": 1}) == 3  # the value entering the loop is fed as any other


def test_gradients_through_a_loop_and_without_back_prop(backend):
    x = tf.constant(2.0)
    r = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x), [0, x], back_prop=False)[1]
    assert tf.gradients(r, x) == [None]
    r2 = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x), [0, x])[1]  # x ** 4
    with tf.Session() as sess:
        assert sess.run(tf.gradients(r * 3.0 + x * x, x)[0]) == 4.0
        assert sess.run(tf.gradients(r2, x)[0]) == 32.0
    # the backward loop is TF's: a counter each way, the forward values on stacks
    names = {op.name: op.type for op in tf.get_default_graph().get_operations()}
    assert names["gradients_2/f_count"] == "Const" and names["gradients_2/f_count_1"] == "Enter"
    assert names["gradients_2/b_count_2"] == "LoopCond" and names["gradients_2/while_1/Exit_1_grad/b_exit"] == "Enter"
    assert names["gradients_2/while_1/Switch_1_grad/b_switch"] == "Merge"
    assert names["gradients_2/while_1/mul/Enter_grad/b_acc"] == "Const"
    assert "StackV2" in names.values() and "StackPushV2" in names.values() and "StackPopV2" in names.values()


def test_an_optimizer_trains_through_a_loop(backend):
    v = tf.Variable([0.5, 1.0], name="v")  # (read in the loop, assigned outside it: on the GPU if there is one)
    y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * v), [0, tf.constant([1.0, 1.0])])[1]
    loss = tf.reduce_sum(tf.square(y - 2.0))
    train = tf.train.GradientDescentOptimizer(0.05).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = [sess.run([train, loss, v])[1:] for _ in range(3)]
    # TensorFlow 2.21 (tf.compat.v1, control flow v1) printed these for the same program
    want = [(4.515625, [0.640625, 1.2999999523162842]), (3.0562808513641357, [0.8544954061508179, 1.2001210451126099]),
            (1.967294692993164, [1.155923843383789, 1.3174227476119995])]
    for (loss_v, v_v), (want_loss, want_v) in zip(got, want):
        assert loss_v == pytest.approx(want_loss, rel=1e-5)
        np.testing.assert_allclose(v_v, want_v, rtol=1e-5)


def test_gradient_of_a_loop_from_a_graph_def_asks_for_a_meta_graph():
    x = tf.placeholder(tf.float32, [], name="x")
    tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x), [0, x])
    data = graph_io.graph_def_bytes(tf.get_default_graph())
    tf.reset_default_graph()
    tf.import_graph_def(data, name="")
    g = tf.get_default_graph()
    with pytest.raises(LookupError, match="Failed to call gradients on a while loop without properly serializing "
                                          "graph via MetaGraphDef .* tf.train.export_meta_graph"):
        tf.gradients(g.get_tensor_by_name("while/Exit_1:0"), g.get_tensor_by_name("x:0"))


# =========================================================================== graphs in and out
def _nested_program():
    n = tf.placeholder(tf.int32, [], name="n")
    p = tf.placeholder(tf.bool, [], name="p")

    def body(i, s):
        j, s2 = tf.while_loop(lambda j, a: j < i, lambda j, a: (j + 1, a + 1.0), [0, s])
        return i + 1, tf.cond(p, lambda: s2 * 2.0, lambda: s2)
    return tf.while_loop(lambda i, s: i < n, body, (0, tf.zeros([2])), maximum_iterations=10)[1]


def test_graph_def_round_trip_and_two_imports_are_two_loops():
    _nested_program()
    data = graph_io.graph_def_bytes(tf.get_default_graph())
    tf.reset_default_graph()
    tf.import_graph_def(data, name="a")
    tf.import_graph_def(data, name="b")
    g = tf.get_default_graph()
    assert g.get_operation_by_name("a/while/Merge").inputs[1].name == "a/while/NextIteration:0"
    assert g.get_operation_by_name("b/while/while/Enter").get_attr("frame_name") == "b/while/while/while_context"
    with tf.Session() as sess:
        got = sess.run(["a/while/Exit_2:0", "b/while/Exit_2:0"], {"a/n:0": 3, "a/p:0": True, "b/n:0": 2,
                                                                  "b/p:0": False})
        np.testing.assert_array_equal(got[0], [8., 8.])
        np.testing.assert_array_equal(got[1], [1., 1.])
        # no contexts came with a GraphDef: the loop's values are refused as construction refuses them
        with pytest.raises(ValueError, match="'a/while/add' has been marked as not fetchable"):
            sess.run("a/while/add:0", {"a/n:0": 3, "a/p:0": True})
        with pytest.raises(ValueError, match="Tensor a/while/add:0 may not be fed"):
            sess.run("a/while/Exit_2:0", {"a/n:0": 3, "a/p:0": True, "a/while/add:0": 1})


def test_meta_graph_keeps_while_contexts(tmp_path, caplog):
    out = _nested_program()
    with tf.Session() as sess:
        want = sess.run(out, {"n:0": 3, "p:0": True})
    path = str(tmp_path / "loop.meta")
    tf.train.export_meta_graph(path)
    assert "Issue encountered" not in caplog.text
    tf.reset_default_graph()
    tf.train.import_meta_graph(path, import_scope="m")
    g = tf.get_default_graph()
    (ctx,) = g.get_collection("while_context")
    assert ctx.name == "m/while/while_context" and ctx.back_prop and ctx.parallel_iterations == 10
    assert ctx.maximum_iterations.name == "m/while/maximum_iterations:0"
    assert [type(c).__name__ for c in ctx._nested_contexts] == ["WhileContext", "CondContext", "CondContext"]
    assert g.get_operation_by_name("m/while/cond/mul")._control_flow_context._outer_context is ctx
    assert g.get_operation_by_name("m/while/add")._control_flow_context is ctx
    assert not g.is_fetchable(g.get_operation_by_name("m/while/add"))
    assert [t.name for t in ctx.loop_exits] == ["m/while/Exit:0", "m/while/Exit_1:0", "m/while/Exit_2:0"]
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run("m/while/Exit_2:0", {"m/n:0": 3, "m/p:0": True}), want)
    # the contexts came back: the imported loop differentiates (s doubles in each of n = 3 iterations: 8)
    grad = tf.gradients(g.get_tensor_by_name("m/while/Exit_2:0"), g.get_tensor_by_name("m/zeros:0"))[0]
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(grad, {"m/n:0": 3, "m/p:0": True}), [8., 8.])


# =========================================================================== a session with a GPU
def test_a_loop_runs_on_the_cpu_of_a_gpu_session(capsys):
    from tfmini.runtime import device
    with device.use_backend("fake"):
        x = tf.placeholder(tf.float32, [2])
        r = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * 2.0), [0, x])[1]
        total = tf.reduce_sum(r * 1.5)
        with tf.Session(config=tf.ConfigProto(log_device_placement=True)) as sess:
            assert sess.run(total, {x: [1., 2.]}) == pytest.approx(36.0)
        err = capsys.readouterr().err
        assert "while/Merge: (Merge): /job:localhost/replica:0/task:0/device:CPU:0" in err
        assert "while/mul: (Mul): /job:localhost/replica:0/task:0/device:CPU:0" in err
        assert "mul: (Mul): /job:localhost/replica:0/task:0/device:GPU:0" in err

        tf.reset_default_graph()
        v = tf.Variable(0.0, name="v")
        i = tf.while_loop(lambda i: i < 3, lambda i: control_flow_ops.with_dependencies([tf.assign_add(v, 1.)], i + 1),
                          [0])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            with pytest.raises(tf.errors.InvalidArgumentError, match="tfmini runs the iterations of tf.while_loop "
                               "'while/while_context' on the CPU, and the loop assigns variable 'v', which is kept on "
                               r"/job:localhost/replica:0/task:0/device:GPU:0. Create the variable under "
                               r"tf.device\('/cpu:0'\)"):
                sess.run(i)


# =========================================================================== found by a differential fuzz against TF
def test_a_loop_result_nothing_uses_gets_a_zero_gradient(backend):
    x = tf.placeholder(tf.float32, [2])
    p = tf.placeholder(tf.float32, [2])
    a, b = tf.while_loop(lambda a, b: tf.reduce_sum(a) < 5.0, lambda a, b: (a * 2.0, b), [x, tf.zeros([2])])
    c, d = tf.while_loop(lambda c, d: tf.reduce_sum(c) < 5.0, lambda c, d: (c * 2.0, d * 3.0), [x, p])
    grads = tf.gradients(tf.reduce_sum(a), x) + tf.gradients(tf.reduce_sum(c) + tf.reduce_sum(d), x)
    with tf.Session() as sess:
        got = sess.run(grads, {x: [0.5, 2.0], p: [1.0, 1.0]})
    np.testing.assert_array_equal(got, [[2., 2.], [2., 2.]])  # (TF 2.21's)


def test_a_loop_in_a_cond_in_a_loop(backend):
    x = tf.placeholder(tf.float32, [2])
    b = tf.placeholder(tf.bool, [])

    def body(i, y):
        inner = lambda: tf.while_loop(lambda z: tf.reduce_sum(z) < 3.0, lambda z: z * 2.0, [y])  # noqa: E731
        return i + 1, tf.cond(b, lambda: y + 1.0, inner)
    y = tf.while_loop(lambda i, y: i < 2, body, [0, x])[1]
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert "while/cond/Merge/Enter" not in names  # (the inner loop's result is the cond's, not a value from outside)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y, {x: [0.5, 1.0], b: True}), [2.5, 3.])
        np.testing.assert_array_equal(sess.run(y, {x: [0.5, 1.0], b: False}), [1., 2.])



# =========================================================================== found in review
def test_a_value_made_in_a_loop_cannot_be_used_outside_it():
    inside = []

    def body(i):
        inside.append(i * 2)
        return i + 1
    tf.while_loop(lambda i: i < 3, body, [0])
    with pytest.raises(ValueError, match="Cannot use 'while/mul' as input to 'add' because 'while/mul' is in a while "
                                         "loop. \\(A value made in a tf.while_loop's body exists once per iteration"):
        inside[0] + 1
    with pytest.raises(ValueError, match="Cannot use 'while/mul' as input to 'while_1/add' because they are in "
                                         "different while loops"):
        tf.while_loop(lambda j: j < 3, lambda j: j + inside[0], [0])


def test_loop_errors_name_the_op_and_the_learners_line(backend):
    p = tf.placeholder(tf.int32, None)
    r = tf.while_loop(lambda i: i < p, lambda i: i + 1, [0])
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError) as e:
            sess.run(r, {p: [5, 6]})
    assert "The second input must be a scalar, but it has shape [2]" in str(e.value)
    assert "[[node while/LoopCond (defined at " in str(e.value) and "test_while_loop.py" in str(e.value)


def test_tensor_array_loop_variables_and_their_shape_invariants():
    ta = tf.TensorArray(tf.float32, size=2)
    with pytest.raises(ValueError, match=r"The shape invariant specified for TensorArray:1 is not compatible with the "
                                         r"initial shape of the loop variable. It enters the loop with shape \(\), but "
                                         r"the specified shape invariant is \(5,\)"):
        tf.while_loop(lambda i, ta: i < 2, lambda i, ta: (i + 1, ta.write(i, 1.0)), [0, ta],
                      shape_invariants=[tf.TensorShape([]), tf.TensorShape([5])])
    with pytest.raises(TypeError, match=r"loop_vars must be a list or tuple of the loop's variables: write \[3\]"):
        tf.while_loop(lambda i: i < 3, lambda i: i + 1, 3)
