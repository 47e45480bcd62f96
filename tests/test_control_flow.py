"""tf.cond as TF 1.x builds and runs it: Switch/Merge ops and their names, only the taken branch runs (its
assignments too), gradients through both branches, nesting, structures, TF's errors, dropout(training=tensor)."""
import numpy as np
import pytest

import tfmini as tf
from gradcheck import GradRow, grad_rows_test
from optable import Row, rows_test
from tfmini.ops import control_flow_ops


def _switch_row(tf):
    x = tf.constant([[1., 2., 3.]])
    return control_flow_ops.switch(x, tf.constant(True))[1] * 2.0


def _ref_switch_row(tf):
    v = tf.Variable([1., 2.], name="v")
    out_f, out_t = control_flow_ops.ref_switch(v._ref(), tf.constant(False))
    return tf.identity(out_f)


def _merge_row(tf):
    p = tf.placeholder(tf.bool, [])
    x, y = tf.constant([1., 2.]), tf.constant([10., 20.])
    out = control_flow_ops.merge([control_flow_ops.switch(x, p)[0], control_flow_ops.switch(y, p)[1]])
    return out[0], {p: True}


def _merge_index_row(tf):
    p = tf.placeholder(tf.bool, [])
    x, y = tf.constant([1., 2.]), tf.constant([10., 20.])
    return control_flow_ops.merge([control_flow_ops.switch(x, p)[0], control_flow_ops.switch(y, p)[1]])[1], {p: False}


def _assert_row(tf):
    x = tf.constant([1., 2.])
    with tf.control_dependencies([tf.Assert(tf.reduce_all(x > 0), ["x > 0", x])]):
        return tf.identity(x)


def _ref_merge_row(tf):
    v = tf.Variable([1., 2.], name="v")
    p = tf.placeholder(tf.bool, [])
    return tf.cond(p, lambda: tf.assign_add(v, [1., 1.]), lambda: tf.assign_sub(v, [1., 1.])), {p: False}


CASES = [
    Row("Assert", _assert_row, expect=[1., 2.]),
    Row("RefMerge", _ref_merge_row, expect=[0., 1.]),
    Row("Switch", _switch_row, expect=[[2., 4., 6.]]),
    Row("RefSwitch", _ref_switch_row, expect=[1., 2.]),
    Row("Merge", _merge_row, expect=[10., 20.]),
    Row("Merge", _merge_index_row, expect=np.int32(0), id="Merge-value_index"),
]
test_row = rows_test(CASES)

GRAD_CASES = [
    GradRow("Merge", lambda tf, x: tf.cond(tf.reduce_sum(x) > 0, lambda: x * x, lambda: -x), [(2, 3)], positive=True,
            id="cond-true-branch"),
    GradRow("Switch", lambda tf, x: tf.cond(tf.reduce_sum(x) > 0, lambda: tf.sin(x), lambda: x * 3.0), [(2, 3)],
            low=-2.0, high=-0.5, id="cond-false-branch"),
    GradRow("Merge", lambda tf, x, y: tf.cond(tf.reduce_sum(y) > 0, lambda: x * y, lambda: x + y), [(3,), (3,)],
            positive=True, id="cond-two-inputs"),
    # a variable's reference goes into a branch through a RefSwitch (d/d the variable, as optimizers take it)
    GradRow("RefSwitch", lambda tf, v: tf.cond(tf.constant(True), lambda: tf.identity(v) * 2.0 + tf.square(v),
                                               lambda: tf.identity(v)), [(2, 2)], variables=True, id="cond-variable"),
    # both branches give the reference itself: a RefMerge of RefSwitches
    GradRow("RefMerge", lambda tf, v: tf.square(tf.cond(tf.constant(False), lambda: v, lambda: v)) * 3.0, [(3,)],
            variables=True, id="cond-reference"),
]
test_grad = grad_rows_test(GRAD_CASES)


def _ops(g=None):
    return [(op.name, op.type, [t.name for t in op.inputs], [c.name for c in op.control_inputs])
            for op in (g or tf.get_default_graph()).get_operations()]


# =========================================================================== graph: TF's ops and names
def test_nested_cond_builds_tensorflows_ops():
    """The same nodes (name, type, inputs, control inputs) as TF 1.x's tf.cond (taken from real TensorFlow)."""
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [2, 3], name="x")
    p = tf.placeholder(tf.bool, name="p")
    q = tf.placeholder(tf.bool, name="q")
    r = tf.cond(p, lambda: tf.cond(q, lambda: x * 2, lambda: x - 1), lambda: x + 1)
    assert r.name == "cond/Merge:0" and r.shape.as_list() == [2, 3]
    want = {
        ("cond/Switch", "Switch", ("p:0", "p:0"), ()),
        ("cond/switch_t", "Identity", ("cond/Switch:1",), ()),
        ("cond/switch_f", "Identity", ("cond/Switch:0",), ()),
        ("cond/pred_id", "Identity", ("p:0",), ()),
        ("cond/cond/Switch", "Switch", ("cond/cond/Switch/Switch:1", "cond/cond/Switch/Switch:1"), ()),
        ("cond/cond/Switch/Switch", "Switch", ("q:0", "cond/pred_id:0"), ()),
        ("cond/cond/pred_id", "Identity", ("cond/cond/Switch/Switch:1",), ()),
        ("cond/cond/mul/y", "Const", (), ("cond/cond/switch_t",)),
        ("cond/cond/mul", "Mul", ("cond/cond/mul/Switch_1:1", "cond/cond/mul/y:0"), ()),
        ("cond/cond/mul/Switch", "Switch", ("x:0", "cond/pred_id:0"), ()),
        ("cond/cond/mul/Switch_1", "Switch", ("cond/cond/mul/Switch:1", "cond/cond/pred_id:0"), ()),
        ("cond/cond/sub", "Sub", ("cond/cond/sub/Switch:0", "cond/cond/sub/y:0"), ()),
        ("cond/cond/sub/Switch", "Switch", ("cond/cond/mul/Switch:1", "cond/cond/pred_id:0"), ()),
        ("cond/cond/Merge", "Merge", ("cond/cond/sub:0", "cond/cond/mul:0"), ()),
        ("cond/add/y", "Const", (), ("cond/switch_f",)),
        ("cond/add/Switch", "Switch", ("x:0", "cond/pred_id:0"), ()),
        ("cond/Merge", "Merge", ("cond/add:0", "cond/cond/Merge:0"), ()),
    }
    got = {(n, t, tuple(i), tuple(c)) for n, t, i, c in _ops()}
    assert want <= got, sorted(want - got)
    merge = tf.get_default_graph().get_operation_by_name("cond/Merge")
    assert [o.dtype for o in merge.outputs] == [tf.float32, tf.int32] and merge.outputs[1].shape.as_list() == []


def test_branch_returning_an_outside_tensor_gets_a_switch_and_merge_shapes_meet():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = tf.constant([1., 2., 3.])
    p = tf.placeholder(tf.bool, name="p")
    r = tf.cond(p, lambda: x, lambda: y)
    ops = {n: (t, i) for n, t, i, _ in _ops()}
    assert ops["cond/Switch_1"] == ("Switch", ["x:0", "cond/pred_id:0"])
    assert ops["cond/Switch_2"] == ("Switch", ["Const:0", "cond/pred_id:0"])
    assert ops["cond/Merge"] == ("Merge", ["cond/Switch_2:0", "cond/Switch_1:1"])
    assert r.shape.ndims is None  # [?,3] and [3] have different ranks: TF's MergeShape gives an unknown shape
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(r, {p: False, x: np.zeros((2, 3))}), [1., 2., 3.])
        assert sess.run(r, {p: True, x: np.ones((2, 3))}).shape == (2, 3)
        # a fed placeholder that only one branch reads is still a placeholder the run needs (TF prunes the same way)


def test_gradient_graph_is_tensorflows():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [2, 3], name="x")
    p = tf.placeholder(tf.bool, name="p")
    r = tf.cond(p, lambda: x * 2, lambda: x + 1)
    tf.gradients(tf.reduce_sum(r), x)
    ops = {n: (t, i, c) for n, t, i, c in _ops()}
    assert ops["gradients/cond/Merge_grad/cond_grad"][:2] == ("Switch", ["gradients/Sum_grad/Tile:0",
                                                                         "cond/pred_id:0"])
    # the branch not taken gets zeros, made on that branch from a Switch of its own (TF's ZerosLikeOutsideLoop)
    assert ops["gradients/Switch"][:2] == ("Switch", ["x:0", "cond/pred_id:0"])
    assert ops["gradients/zeros/Const"][2] == ["gradients/Identity"]
    assert ops["gradients/cond/add/Switch_grad/cond_grad"][:2] == (
        "Merge", ["gradients/cond/Merge_grad/cond_grad:0", "gradients/zeros:0"])


# =========================================================================== running: only the taken branch
@pytest.mark.parametrize("pv,qv,value,grad", [(True, True, 2., 2.), (True, False, 0., 1.), (False, True, 2., 1.),
                                              (False, False, 2., 1.)])
def test_nested_cond_values_and_gradients(backend, pv, qv, value, grad):
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [2, 3], name="x")
    p = tf.placeholder(tf.bool, name="p")
    q = tf.placeholder(tf.bool, name="q")
    r = tf.cond(p, lambda: tf.cond(q, lambda: x * 2, lambda: x - 1), lambda: x + 1)
    g = tf.gradients(tf.reduce_sum(r), x)[0]
    with tf.Session() as sess:
        rv, gv = sess.run([r, g], {x: np.ones((2, 3)), p: pv, q: qv})
    np.testing.assert_array_equal(rv, np.full((2, 3), value, np.float32))
    np.testing.assert_array_equal(gv, np.full((2, 3), grad, np.float32))


def test_only_the_taken_branch_assigns(backend):
    tf.reset_default_graph()
    v = tf.Variable(1.0, name="v")
    p = tf.placeholder(tf.bool, name="p")
    r = tf.cond(p, lambda: tf.assign_add(v, 1.0), lambda: tf.identity(v))
    assert tf.get_default_graph().get_operation_by_name("cond/AssignAdd/Switch").type == "RefSwitch"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(r, {p: False}) == 1.0 and sess.run(v) == 1.0
        assert sess.run(r, {p: True}) == 2.0 and sess.run(v) == 2.0
        assert sess.run(r, {p: False}) == 2.0 and sess.run(v) == 2.0


def test_random_ops_in_the_branch_not_taken_do_not_run():
    tf.reset_default_graph()
    p = tf.placeholder(tf.bool)
    draws = []
    r = tf.cond(p, lambda: tf.random_uniform([3], seed=1), lambda: tf.zeros([3]))
    with tf.Session() as sess:
        for _ in range(3):
            draws.append(sess.run(r, {p: False}))
        first = sess.run(r, {p: True})
    tf.reset_default_graph()
    tf.set_random_seed(None)
    p = tf.placeholder(tf.bool)
    r = tf.cond(p, lambda: tf.random_uniform([3], seed=1), lambda: tf.zeros([3]))
    with tf.Session() as sess:
        fresh = sess.run(r, {p: True})
    assert all(not d.any() for d in draws)
    np.testing.assert_array_equal(first, fresh)  # the skipped runs drew nothing from the op's stream


def test_variables_made_in_a_branch_live_outside_it():
    tf.reset_default_graph()
    p = tf.placeholder(tf.bool, name="p")
    w = tf.cond(p, lambda: tf.get_variable("w", initializer=lambda: tf.constant(2.0)), lambda: 3.0)
    assert [v.name for v in tf.global_variables()] == ["w:0"]
    assert tf.get_default_graph().get_operation_by_name("w")._control_flow_context is None
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(w, {p: True}) == 2.0 and sess.run(w, {p: False}) == 3.0


def test_structures_singletons_strict_and_operations():
    tf.reset_default_graph()
    p = tf.placeholder(tf.bool, name="p")
    x = tf.constant([[1., 2.]])
    t = tf.cond(p, lambda: {"a": x * 1, "b": (x, 2.)}, lambda: {"a": x * 3, "b": (x, 4.)})
    assert sorted(t) == ["a", "b"] and isinstance(t["b"], tuple)
    single = tf.cond(p, lambda: [x], lambda: [x])
    strict = tf.cond(p, lambda: [x], lambda: [x], strict=True)
    ops = tf.cond(p, lambda: tf.no_op(), lambda: tf.no_op())
    assert isinstance(single, tf.Tensor) and isinstance(strict, list) and len(strict) == 1
    assert ops.name.endswith("/Merge:0") and ops.dtype == tf.bool  # TF: an op's branch gives its pivot
    with tf.Session() as sess:
        got = sess.run(t, {p: False})
        np.testing.assert_array_equal(got["a"], [[3., 6.]])
        assert got["b"][1] == 4.0
        assert sess.run(ops, {p: True}) is np.True_ or sess.run(ops, {p: True}) == True  # noqa: E712
    legacy = tf.cond(p, fn1=lambda: 1.0, fn2=lambda: 2.0)
    with tf.Session() as sess:
        assert sess.run(legacy, {p: False}) == 2.0


def test_cond_trains_through_an_optimizer(backend):
    """A model whose forward pass has a tf.cond: minimize() differentiates the taken branch (GATE_OP gating too)."""
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 2])
    use_square = tf.placeholder(tf.bool, [])
    w = tf.Variable([[1.0], [2.0]], name="w")
    y = tf.matmul(x, w)
    out = tf.cond(use_square, lambda: y * y, lambda: 3.0 * y)
    loss = tf.reduce_mean(out)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    xv = np.array([[1., 1.]], np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train, {x: xv, use_square: False})  # d/dw of 3*y = 3*x
        np.testing.assert_allclose(sess.run(w), [[0.7], [1.7]], rtol=1e-6)
        sess.run(train, {x: xv, use_square: True})  # d/dw of y^2 = 2*y*x, y = 2.4
        np.testing.assert_allclose(sess.run(w), [[0.7 - 0.48], [1.7 - 0.48]], rtol=1e-5)


def test_cond_with_a_constant_predicate_and_a_computed_one(backend):
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None])
    r1 = tf.cond(tf.constant(False), lambda: x * 0.0, lambda: x + 1.0)
    r2 = tf.cond(tf.reduce_sum(x) > 0, lambda: x * 10.0, lambda: -x)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(r1, {x: [1., 2.]}), [2., 3.])
        np.testing.assert_array_equal(sess.run(r2, {x: [1., 2.]}), [10., 20.])
        np.testing.assert_array_equal(sess.run(r2, {x: [-1., -2.]}), [1., 2.])


def test_merge_of_a_switch_outside_any_cond_and_its_gradient(backend):
    """control_flow_ops.switch/merge by hand (no CondContext): Merge's gradient switches on its value_index."""
    tf.reset_default_graph()
    p = tf.placeholder(tf.bool, [])
    x = tf.placeholder(tf.float32, [2])
    f, t = control_flow_ops.switch(x, p)
    out, index = control_flow_ops.merge([f * 2.0, t * 3.0])
    g = tf.gradients(out, x)[0]
    with tf.Session() as sess:
        assert sess.run([out, index, g], {p: True, x: [1., 2.]})[1] == 1
        o, i, gv = sess.run([out, index, g], {p: False, x: [1., 2.]})
        np.testing.assert_array_equal(o, [2., 4.])
        assert i == 0
        np.testing.assert_array_equal(gv, [2., 2.])


# =========================================================================== errors, as TF gives them
def test_build_errors():
    tf.reset_default_graph()
    p = tf.placeholder(tf.bool)
    with pytest.raises(ValueError, match=r"Shape must be rank 0 but is rank 1 for 'cond/Switch' \(op: 'Switch'\) "
                                         r"with input shapes: \[2\], \[2\]"):
        tf.cond(tf.constant([True, False]), lambda: 1., lambda: 2.)
    with pytest.raises(TypeError, match="Input 'pred' of 'Switch' Op has type float32 that does not match expected "
                                        "type of bool"):
        tf.cond(tf.constant(1.0), lambda: 1., lambda: 2.)
    with pytest.raises(TypeError, match="pred must not be a Python bool"):
        tf.cond(True, lambda: 1., lambda: 2.)
    with pytest.raises(ValueError, match="Outputs of true_fn and false_fn must have the same type: float32, int32"):
        tf.cond(p, lambda: 1., lambda: 2)
    with pytest.raises(ValueError, match="Incompatible return values of true_fn and false_fn: The two structures "
                                         "don't have the same nested structure"):
        tf.cond(p, lambda: (1., 2.), lambda: 2.)
    with pytest.raises(ValueError, match="true_fn must have a return value"):
        tf.cond(p, lambda: None, lambda: 2.)
    with pytest.raises(TypeError, match="true_fn must be callable"):
        tf.cond(p, 3, lambda: 2.)
    with pytest.raises(TypeError, match="cond\\(\\): false_fn argument required"):
        tf.cond(p, lambda: 1.)
    with pytest.raises(ValueError, match="Initializer for variable .* is from inside a control-flow construct.*use "
                                         "a lambda as the initializer"):
        tf.cond(p, lambda: tf.Variable(tf.constant(1.0)), lambda: 2.)


def test_run_errors(backend):
    tf.reset_default_graph()
    p = tf.placeholder(tf.bool)
    x = tf.placeholder(tf.float32, [2])
    r = tf.cond(p, lambda: x * 2.0, lambda: x)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"The second input must be a scalar, but it has shape \[2\](.|\n)*node cond/Switch"):
            sess.run(r, {p: [True, False], x: [1., 2.]})
        with pytest.raises(ValueError, match="Operation 'cond/mul' has been marked as not fetchable"):
            sess.run(tf.get_default_graph().get_tensor_by_name("cond/mul:0"), {p: True, x: [1., 2.]})
        with pytest.raises(ValueError, match="Operation 'cond/switch_t' has been marked as not fetchable"):
            sess.run([tf.get_default_graph().get_tensor_by_name("cond/switch_t:0")], {p: True})
        # a Switch made outside any cond may be fetched; its output the predicate did not select has no value
        f, t = control_flow_ops.switch(x, p)
        np.testing.assert_array_equal(sess.run(t, {p: True, x: [1., 2.]}), [1., 2.])
        with pytest.raises(tf.errors.InternalError, match=r"Retval\[1\] does not have value"):
            sess.run([t, f], {p: True, x: [1., 2.]})


# =========================================================================== tf.layers.dropout(training=tensor)
def test_layers_dropout_with_a_training_placeholder_builds_a_cond(backend):
    tf.reset_default_graph()
    X = tf.placeholder(tf.float32, [None, 200])
    is_training = tf.placeholder(tf.bool)
    out = tf.layers.dropout(X, rate=0.5, training=is_training)
    assert out.name == "dropout/cond/Merge:0" and out.shape.as_list() == [None, 200]
    types = {op.name: op.type for op in tf.get_default_graph().get_operations()}
    assert types["dropout/cond/dropout/random_uniform/RandomUniform"] == "RandomUniform"
    assert types["dropout/cond/Identity"] == "Identity"
    xv = np.arange(1, 20001, dtype=np.float32).reshape(100, 200)
    with tf.Session() as sess:
        test = sess.run(out, {X: xv, is_training: False})
        train = sess.run(out, {X: xv, is_training: True})
    np.testing.assert_array_equal(test, xv)
    kept = train != 0
    assert 0.45 < kept.mean() < 0.55
    np.testing.assert_allclose(train[kept], 2 * xv[kept])
    # a Python bool decides when the graph is built: no cond
    assert tf.layers.dropout(X, training=False).name == "dropout_1/Identity:0"
    assert "cond" not in tf.layers.dropout(X, training=True).name


def test_smart_cond():
    tf.reset_default_graph()
    p = tf.placeholder(tf.bool)
    assert control_flow_ops.smart_cond(True, lambda: 1, lambda: 2) == 1
    assert control_flow_ops.smart_cond(tf.constant(False), lambda: 1, lambda: 2) == 2
    assert control_flow_ops.smart_cond(p, lambda: tf.constant(1), lambda: tf.constant(2)).name == "cond/Merge:0"
    with pytest.raises(TypeError, match="`pred` must be a Tensor, or a Python bool, or 1 or 0"):
        control_flow_ops.smart_cond("yes", lambda: 1, lambda: 2)


# =========================================================================== MetaGraphDef: "cond_context"
def test_meta_graph_keeps_cond_contexts(tmp_path, caplog):
    """Saved and imported again, each branch's context (CondContextDef) comes back: its ops know their branch, so
    tf.gradients builds the cond's gradient as before; nothing is reported as unserializable."""
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [2], name="x")
    p = tf.placeholder(tf.bool, name="p")
    r = tf.cond(p, lambda: tf.cond(p, lambda: x * 2, lambda: x), lambda: x + 1)
    names = [c.name for c in tf.get_collection(tf.GraphKeys.COND_CONTEXT)]
    assert names == ["cond/cond_text", "cond/cond_text_1"]  # the outer cond's; the inner ones are nested in them
    path = str(tmp_path / "cond.meta")
    with caplog.at_level("WARNING"):
        tf.train.export_meta_graph(path)
    assert "Issue encountered" not in caplog.text
    tf.reset_default_graph()
    tf.train.import_meta_graph(path)
    g = tf.get_default_graph()
    ctxs = tf.get_collection(tf.GraphKeys.COND_CONTEXT)
    assert [c.name for c in ctxs] == names
    assert [n.name for n in ctxs[0]._nested_contexts] == ["cond/cond/cond_text", "cond/cond/cond_text_1"]
    assert g.get_operation_by_name("cond/cond/mul")._control_flow_context.name == "cond/cond/cond_text"
    assert g.get_operation_by_name("cond/add")._control_flow_context is ctxs[1]
    x, p, r = (g.get_tensor_by_name(n) for n in ("x:0", "p:0", "cond/Merge:0"))
    grad = tf.gradients(r, x)[0]
    assert g.get_operation_by_name("gradients/cond/Merge_grad/cond_grad").type == "Switch"
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(grad, {x: [1., 2.], p: True}), [2., 2.])
        np.testing.assert_array_equal(sess.run(grad, {x: [1., 2.], p: False}), [1., 1.])


def test_tensorflow_written_cond_meta_graph_imports():
    """tests/data/tf_cond.meta: TensorFlow 2.21's tf.compat.v1 (graph mode, control flow v1) exported
    `tf.cond(p, lambda: tf.cond(p, lambda: x * 2, lambda: x), lambda: x + 1)` with x = placeholder [2], name "x"."""
    import pathlib
    tf.reset_default_graph()
    tf.train.import_meta_graph(str(pathlib.Path(__file__).parent / "data" / "tf_cond.meta"))
    g = tf.get_default_graph()
    assert [c.name for c in tf.get_collection(tf.GraphKeys.COND_CONTEXT)] == ["cond/cond_text", "cond/cond_text_1"]
    assert g.get_operation_by_name("cond/cond/mul")._control_flow_context.name == "cond/cond/cond_text"
    x, p, r = (g.get_tensor_by_name(n) for n in ("x:0", "p:0", "cond/Merge:0"))
    grad = tf.gradients(r, x)[0]
    with tf.Session() as sess:  # the values TensorFlow gives for the same graph
        out = sess.run([r, grad], {x: [1., 2.], p: True})
        np.testing.assert_array_equal(out[0], [2., 4.])
        np.testing.assert_array_equal(out[1], [2., 2.])
        out = sess.run([r, grad], {x: [1., 2.], p: False})
        np.testing.assert_array_equal(out[0], [2., 3.])
        np.testing.assert_array_equal(out[1], [1., 1.])


# =========================================================================== tf.Assert and tf.case
def test_case_and_assert_build_tensorflows_graph():
    """Nodes as TF 1.x makes them: nested conds in the given order, `exclusive` and default checks as Asserts,
    an Assert on float data guarded by a cond (AssertGuard), one on strings and int32 not."""
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [], name="x")
    y = tf.case([(x < 0, lambda: -x), (x > 10, lambda: x - 10)], default=lambda: x * 1.0)
    z = tf.case([(x < 0, lambda: -x), (x > 10, lambda: x - 10)], exclusive=True)
    chk = tf.Assert(x > 0, ["x must be positive:", x])
    chk2 = tf.Assert(x > 0, ["msg", tf.constant(3)])
    assert (y.name, z.name) == ("case/cond/Merge:0", "case_1/cond/Merge:0")
    assert (chk.name, chk.type, chk2.name, chk2.type) == ("Assert/AssertGuard/Merge", "Merge", "Assert_1/Assert",
                                                         "Assert")
    ops = {n: (t, sorted(i), sorted(c)) for n, t, i, c in _ops()}
    # taken from TensorFlow 2.21's tf.compat.v1 for the same code
    assert ops["case_1/preds_c"] == ("Pack", ["Less_1:0"], [])  # the pairs but the last, which is the default
    assert ops["case_1/Assert/AssertGuard/Assert"] == (
        "Assert", ["case_1/Assert/AssertGuard/Assert/Switch:0", "case_1/Assert/AssertGuard/Assert/Switch_1:0",
                   "case_1/Assert/AssertGuard/Assert/data_0:0"], [])
    assert ops["case_1/Assert/AssertGuard/Assert/data_0"] == ("Const", [], ["case_1/Assert/AssertGuard/switch_f"])
    assert len(ops) == 114


def test_case_and_assert_run(backend):
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [], name="x")
    y = tf.case([(x < 0, lambda: -x), (x > 10, lambda: x - 10)], default=lambda: x * 1.0)
    z = tf.case([(x < 0, lambda: -x), (x > 10, lambda: x - 10)], exclusive=True)
    both = tf.case([(x < 0, lambda: -x), (x < 10, lambda: x - 10)], default=lambda: x, exclusive=True)
    with tf.control_dependencies([tf.Assert(x > 0, ["x must be positive:", x])]):
        checked = tf.identity(x)
    with tf.Session() as sess:
        assert [sess.run(y, {x: v}) for v in (-3., 5., 20.)] == [3., 5., 10.]
        assert [sess.run(z, {x: v}) for v in (-3., 20.)] == [3., 10.]
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"assertion failed: \[Input error: None of conditions evaluated as True:\] \[0 0\]"):
            sess.run(z, {x: 5.})
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"assertion failed: \[Input error: exclusive=True: more than 1 conditions \(Less_2:0, "
                                 r"Less_3:0\) evaluated as True:\] \[1 1\]"):
            sess.run(both, {x: -1.})
        assert sess.run(both, {x: 20.}) == 20.
        assert sess.run(checked, {x: 2.}) == 2.
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"assertion failed: \[x must be positive:\] \[-2\](.|\n)*"
                                 r"node Assert/AssertGuard/Assert"):
            sess.run(checked, {x: -2.})


def test_case_and_assert_errors():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [], name="x")
    with pytest.raises(TypeError, match="pred must be Tensor of type bool: x:0"):
        tf.case([(x, lambda: x)])
    with pytest.raises(TypeError, match="fn for pred Less:0 must be callable"):
        tf.case([(x < 0, x)])
    with pytest.raises(TypeError, match="Each entry in pred_fn_pairs must be a 2-tuple"):
        tf.case([(x < 0, lambda: x, 1)])
    with pytest.raises(TypeError, match="fns must be a list, tuple, or dict"):
        tf.case(x < 0)
    with pytest.raises(TypeError, match="Input 'condition' of 'Assert' Op has type float32"):
        tf.Assert(x, ["not a bool"])
    with pytest.raises(TypeError, match="Expected list for 'data' argument to 'Assert' Op, not positive"):
        tf.Assert(x > 0, "positive")
    with pytest.raises(TypeError, match="values must be a sequence"):
        tf.Assert(x > 0, (t for t in ["msg", x]))
    with pytest.raises(ValueError, match="Attr 'T' of 'Assert' Op passed list of length 0 less than minimum 1"):
        tf.Assert(x > 0, [])
    with pytest.raises(ValueError, match="tf.case needs at least one"):
        tf.case([], default=lambda: x)
    with pytest.raises(TypeError, match="`pred` must be a Tensor, or a Python bool, or 1 or 0"):
        control_flow_ops.smart_cond(np.array([True]), lambda: 1, lambda: 2)
    # as TF, a condition that is not a scalar fails when the Assert runs
    check = tf.Assert(tf.constant([True, False]), ["two conditions"])
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"In\[0\] should be a scalar: \[2\]"):
            sess.run(check)


def test_fed_variable_into_a_branch_that_needs_the_variable(backend):
    """A RefSwitch takes the variable itself (a branch may assign it): feeding the variable is TF's error."""
    tf.reset_default_graph()
    p = tf.placeholder(tf.bool, [])
    v = tf.Variable([1., 2.], name="v")
    w = tf.Variable([10., 20.], name="w")
    r = tf.cond(p, lambda: v._ref(), lambda: w._ref())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"Input 0 of node cond/Switch_1 was passed float from v:0 incompatible with "
                                 r"expected float_ref"):
            sess.run(r, {p: True, v: [5., 5.]})


def test_merged_variables_on_two_devices(backend):
    """A cond whose branches give variables kept on different devices (one pinned to the CPU)."""
    tf.reset_default_graph()
    p = tf.placeholder(tf.bool, [])
    v = tf.Variable([1., 2.], name="v")
    with tf.device("/cpu:0"):
        w = tf.Variable([10., 20.], name="w")
    r = tf.cond(p, lambda: tf.assign(v, [3., 3.]), lambda: tf.assign(w, [4., 4.]))
    assert r.op.type == "RefMerge"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(r + 1.0, {p: True}), [4., 4.])
        np.testing.assert_array_equal(sess.run(r + 1.0, {p: False}), [5., 5.])
        np.testing.assert_array_equal(sess.run(r, {p: True}), [3., 3.])


def test_branches_may_return_any_two_mappings():
    import collections
    tf.reset_default_graph()
    p = tf.placeholder(tf.bool, [])
    out = tf.cond(p, lambda: collections.OrderedDict([("a", tf.constant(1.))]), lambda: {"a": tf.constant(2.)})
    with tf.Session() as sess:
        assert sess.run(out, {p: False})["a"] == 2.


# =========================================================================== cases a review found
def test_fused_dense_layer_in_a_branch_not_taken(backend):
    """MatMul -> BiasAdd (-> Relu) inside a branch runs as one fused call; when the branch is skipped its local is
    never set, and the plan releases it with `= None` (a `del` raised UnboundLocalError)."""
    tf.reset_default_graph()
    p = tf.placeholder(tf.bool, [])
    x = tf.placeholder(tf.float32, [4, 3])
    out = tf.cond(p, lambda: tf.layers.dense(x, 2, activation=tf.nn.relu, kernel_initializer=tf.ones_initializer()),
                  lambda: tf.zeros([4, 2]))
    loss = tf.reduce_sum(out)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(out, {p: True, x: np.ones((4, 3))}), np.full((4, 2), 3.0))
        np.testing.assert_array_equal(sess.run(out, {p: False, x: np.ones((4, 3))}), np.zeros((4, 2)))
        sess.run(train, {p: False, x: np.ones((4, 3))})
        sess.run(train, {p: True, x: np.ones((4, 3))})


def test_predicate_computed_from_a_shape(backend):
    """A predicate made from a fed tensor's shape alone (plans cache such values per shape) is still read."""
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None])
    out = tf.cond(tf.size(x) > 2, lambda: x * x, lambda: x + x)
    nested = tf.cond(tf.shape(x)[0] > 2, lambda: tf.cond(tf.shape(x)[0] > 3, lambda: x * 3, lambda: x * x),
                     lambda: x + x)
    with tf.Session() as sess:
        for n, want, want_nested in [(1, 2., 2.), (3, 1., 1.), (4, 1., 3.), (3, 1., 1.), (1, 2., 2.)]:
            a, b = sess.run([out, nested], {x: np.ones(n, np.float32)})
            np.testing.assert_array_equal(a, np.full(n, want))
            np.testing.assert_array_equal(b, np.full(n, want_nested))


def test_numpy_bool_training_decides_when_the_graph_is_built():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 3])
    assert tf.layers.dropout(x, 0.5, training=np.bool_(False)).name == "dropout/Identity:0"
    assert "cond" not in tf.layers.dropout(x, 0.5, training=np.bool_(True)).name


def test_initialized_value_is_a_cond():
    tf.reset_default_graph()
    w = tf.Variable([1., 2.], name="w")
    w2 = tf.Variable(w.initialized_value() * 2, name="w2")
    types = {op.name: op.type for op in tf.get_default_graph().get_operations()}
    assert types["IsVariableInitialized"] == "IsVariableInitialized" and types["cond/read/Switch"] == "RefSwitch"
    with tf.Session() as sess:
        sess.run(w2.initializer)  # w has no value yet: its initial value
        np.testing.assert_array_equal(sess.run(w2), [2., 4.])
        sess.run(w.initializer)
        sess.run(w.assign([5., 5.]))
        sess.run(w2.initializer)  # w's current value
        np.testing.assert_array_equal(sess.run(w2), [10., 10.])


def test_branch_results_keep_their_dict_order():
    import collections
    tf.reset_default_graph()
    p = tf.placeholder(tf.bool, [])
    od = tf.cond(p, lambda: collections.OrderedDict([("z", tf.constant(1.)), ("a", tf.constant(2.))]),
                 lambda: collections.OrderedDict([("z", tf.constant(3.)), ("a", tf.constant(4.))]))
    assert list(od) == ["z", "a"]
    with tf.Session() as sess:
        got = sess.run(od, {p: False})
    assert list(got) == ["z", "a"] and (got["z"], got["a"]) == (3., 4.)


def test_assignments_in_both_branches_merge_references(backend):
    """Both branches give a variable's reference (an assignment's result): TF's RefMerge, itself a reference."""
    tf.reset_default_graph()
    v = tf.Variable(1.0, name="v")
    p = tf.placeholder(tf.bool, name="p")
    r = tf.cond(p, lambda: tf.assign_add(v, 1.0), lambda: tf.assign_sub(v, 1.0))
    assert (r.op.type, r.dtype) == ("RefMerge", tf.float32._as_ref)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(r, {p: True}) == 2.0
        assert sess.run(r * 2, {p: False}) == 2.0 and sess.run(v) == 1.0


# =========================================================================== batch norm with training=tensor
def test_batch_norm_with_a_training_placeholder_builds_tensorflows_conds():
    """Node for node TF's graph (tf_keras's legacy tf.layers under TF 2.21, control flow v1): conds pick the batch
    or the moving statistics, and the update ops are the Merges of conds that assign only in training."""
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    is_training = tf.placeholder(tf.bool, name="is_training")
    y = tf.layers.batch_normalization(x, training=is_training)
    ops = {n: (t, i, c) for n, t, i, c in _ops()}
    assert [op.name for op in tf.get_collection(tf.GraphKeys.UPDATE_OPS)] == [
        "batch_normalization/cond_2/Merge", "batch_normalization/cond_3/Merge"]
    assert ops["batch_normalization/cond/Merge"] == (
        "Merge", ["batch_normalization/cond/Switch_2:0", "batch_normalization/cond/Switch_1:1"], [])
    assert ops["batch_normalization/cond/Switch_1"][1] == ["batch_normalization/moments/Squeeze:0",
                                                          "batch_normalization/cond/pred_id:0"]
    assert ops["batch_normalization/cond_2/AssignMovingAvg"] == (
        "AssignSub", ["batch_normalization/cond_2/AssignMovingAvg/Switch:1",
                      "batch_normalization/cond_2/AssignMovingAvg/mul:0"], [])
    assert ops["batch_normalization/cond_2/AssignMovingAvg/Switch"][0] == "RefSwitch"
    assert ops["batch_normalization/cond_2/Merge"][1] == ["batch_normalization/cond_2/Switch_1:0",
                                                         "batch_normalization/cond_2/AssignMovingAvg:0"]
    assert ops["batch_normalization/batchnorm/mul_1"][1] == ["x:0", "batch_normalization/batchnorm/mul:0"]
    assert y.name == "batch_normalization/batchnorm/add_1:0" and len(ops) == 74


def test_fused_batch_norm_with_a_training_placeholder():
    """4-D inputs (the fused kernel): one cond for the outputs and statistics, one for the momentum (1 when not
    training), and updates that always run, as TF 1.x's layer does."""
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 4, 4, 3], name="x")
    is_training = tf.placeholder(tf.bool, name="is_training")
    y = tf.layers.batch_normalization(x, training=is_training)
    ops = {n: (t, i, c) for n, t, i, c in _ops()}
    assert y.name == "batch_normalization/cond/Merge:0"
    assert [op.name for op in tf.get_collection(tf.GraphKeys.UPDATE_OPS)] == [
        "batch_normalization/AssignMovingAvg", "batch_normalization/AssignMovingAvg_1"]
    assert ops["batch_normalization/cond_1/Merge"][1] == ["batch_normalization/cond_1/Const_1:0",
                                                         "batch_normalization/cond_1/Const:0"]
    assert ops["batch_normalization/AssignMovingAvg/sub"][1] == ["batch_normalization/AssignMovingAvg/sub/x:0",
                                                                "batch_normalization/cond_1/Merge:0"]
    xv = np.random.RandomState(1).normal(5, 2, size=(8, 4, 4, 3)).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(y, {x: xv, is_training: False}), xv / np.sqrt(1 + 1e-3), rtol=1e-5)
        sess.run(tf.get_collection(tf.GraphKeys.UPDATE_OPS), {x: xv, is_training: False})  # momentum 1: no move
        mm = tf.get_default_graph().get_tensor_by_name("batch_normalization/moving_mean:0")
        np.testing.assert_array_equal(sess.run(mm), np.zeros(3))
        sess.run(tf.get_collection(tf.GraphKeys.UPDATE_OPS), {x: xv, is_training: True})
        np.testing.assert_allclose(sess.run(mm), 0.01 * xv.mean(axis=(0, 1, 2)), rtol=1e-5)


@pytest.mark.parametrize("rank,kw,merges", [
    (4, {"updates_collections": None}, ["BatchNorm/cond/Merge", "BatchNorm/cond_1/Merge"]),
    (2, {}, ["BatchNorm/cond/Merge", "BatchNorm/cond_1/Merge"]),
    (2, {"fused": False}, ["BatchNorm/cond/Merge", "BatchNorm/cond_1/Merge", "BatchNorm/cond_2/Merge"]),
])
def test_slim_batch_norm_with_a_training_placeholder(rank, kw, merges, backend):
    """slim.batch_norm's paths build TF's conds (checked node by node against tf_slim 1.1 on TF 2.21): the
    statistics, and the updates, which run (or, with updates_collections=None, are forced) only in training."""
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 4, 4, 3] if rank == 4 else [None, 3], name="x")
    is_training = tf.placeholder(tf.bool, name="is_training")
    y = tf.contrib.slim.batch_norm(x, is_training=is_training, decay=0.9, **kw)
    types = {op.name: op.type for op in tf.get_default_graph().get_operations()}
    assert all(types[m] == "Merge" for m in merges) and "Select" not in types.values()
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert len(updates) == (0 if kw.get("updates_collections", 1) is None else 2)
    xv = np.random.RandomState(1).normal(5, 2, size=[8] + ([4, 4, 3] if rank == 4 else [3])).astype(np.float32)
    mm = tf.get_default_graph().get_tensor_by_name("BatchNorm/moving_mean:0")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run([y] + updates, {x: xv, is_training: False})
        np.testing.assert_array_equal(sess.run(mm), np.zeros(3))  # not training: the averages stay
        sess.run([y] + updates, {x: xv, is_training: True})
        axes = (0, 1, 2) if rank == 4 else (0,)
        np.testing.assert_allclose(sess.run(mm), 0.1 * xv.mean(axis=axes), rtol=1e-5)
