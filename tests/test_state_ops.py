"""State, control-flow, logging, constant and nn ops: the op table for VariableV2, Assign, AssignAdd,
AssignSub, IsVariableInitialized, NoOp, Print, Const and Relu, then plain tests of their TF rules:
Print's output format, assignment errors, group/tuple, tf.constant's conversions."""
import numpy as np
import pytest

import tfmini as tf
from optable import Row, rows_test

X = np.array([[1.5, -2.0, 3.0], [4.0, -5.5, 6.0]], np.float32)
XI = np.array([[7, -7, 3], [-8, 9, 0]], np.int32)


def _ref(v):
    """The variable's storage tensor ('name:0', a float32_ref)."""
    return v.op.outputs[0]


def _uninitialized_flag(tf):
    v = tf.Variable(1.0, collections=[])  # not in GLOBAL_VARIABLES: the initializer skips it
    return tf.is_variable_initialized(v)


def _gated(tf):
    x = tf.constant(X)
    with tf.control_dependencies([tf.no_op(name="nothing")]):
        return tf.identity(x)


def _unknown(tf, dtype, value, fn):
    ph = tf.placeholder(dtype, [None] * np.ndim(value))
    return fn(ph), {ph: value}


CASES = [
    Row("VariableV2", lambda tf: _ref(tf.Variable(X)), X, id="VariableV2-f32"),
    Row("VariableV2", lambda tf: _ref(tf.Variable(XI, name="w")), XI, id="VariableV2-i32"),
    Row("VariableV2", lambda tf: tf.Variable(X).value(), X, id="VariableV2-read"),
    Row("Assign", lambda tf: tf.assign(tf.Variable(X), X * 2), lambda np: X * 2),
    Row("Assign", lambda tf: tf.Variable(XI).assign(XI + 1), lambda np: XI + 1, id="Assign-method"),
    Row("Assign", lambda tf: tf.assign(tf.Variable(X), [1.0, 2.0], validate_shape=False), np.array([1, 2], np.float32),
        id="Assign-new-shape"),
    Row("Assign", lambda tf: _unknown(tf, tf.float32, X, lambda p: tf.assign(tf.Variable(np.zeros_like(X)), p)), X,
        id="Assign-unknown-dims"),
    Row("AssignAdd", lambda tf: tf.assign_add(tf.Variable(X), X), lambda np: 2 * X),
    Row("AssignAdd", lambda tf: tf.Variable(XI).assign_add(XI), lambda np: 2 * XI, id="AssignAdd-i32"),
    Row("AssignAdd", lambda tf: _unknown(tf, tf.float32, X, lambda p: tf.assign_add(tf.Variable(X), p)),
        lambda np: 2 * X, id="AssignAdd-unknown-dims"),
    Row("AssignSub", lambda tf: tf.assign_sub(tf.Variable(X), X / 2), lambda np: X / 2),
    Row("AssignSub", lambda tf: tf.Variable(5).assign_sub(7), np.array(-2, np.int32), id="AssignSub-i32-scalar"),
    Row("IsVariableInitialized", lambda tf: tf.is_variable_initialized(tf.Variable(X)), np.array(True)),
    Row("IsVariableInitialized", _uninitialized_flag, np.array(False), id="IsVariableInitialized-false"),
    Row("NoOp", _gated, X),
    Row("NoOp", lambda tf: tf.tuple([tf.constant(X), tf.constant(XI)])[1], XI, id="NoOp-tuple"),
    Row("Print", lambda tf: tf.Print(tf.constant(X), [tf.constant(XI)], message="x: "), X),
    Row("Print", lambda tf: _unknown(tf, tf.int32, XI, lambda p: tf.Print(p, [p], first_n=0)), XI,
        id="Print-unknown-dims"),
    Row("Const", lambda tf: tf.constant([[1.5, -2.0, 3.0], [4.0, -5.5, 6.0]]), X, dtype=np.float32),
    Row("Const", lambda tf: tf.constant([1, 2.5]), np.array([1, 2.5], np.float32), id="Const-mixed-is-float32"),
    Row("Const", lambda tf: tf.constant(XI.tolist()), XI, id="Const-int32", dtype=np.int32),
    Row("Const", lambda tf: tf.constant(2 ** 40), np.array(2 ** 40, np.int64), id="Const-big-int-is-int64",
        dtype=np.int64),
    Row("Const", lambda tf: tf.constant(X.astype(np.float64)), X.astype(np.float64), id="Const-numpy-keeps-dtype",
        dtype=np.float64),
    Row("Const", lambda tf: tf.constant([True, False]), np.array([True, False]), id="Const-bool"),
    Row("Const", lambda tf: tf.constant(["ab", "c"]), np.array([b"ab", b"c"], dtype=object), id="Const-string"),
    Row("Const", lambda tf: tf.constant(7.0, shape=[2, 3]), np.full((2, 3), 7, np.float32), id="Const-fill-shape"),
    Row("Const", lambda tf: tf.constant([1, 2], shape=[2, 2]), np.array([[1, 2], [2, 2]], np.int32),
        id="Const-pad-with-last"),
    Row("Const", lambda tf: tf.constant(3, dtype=tf.float64), np.array(3.0), id="Const-dtype", dtype=np.float64),
    Row("Const", lambda tf: tf.constant(1 + 2j), np.array(1 + 2j), id="Const-complex", dtype=np.complex128),
    Row("Relu", lambda tf: tf.nn.relu(tf.constant(X)), lambda np: np.maximum(X, 0)),
    Row("Relu", lambda tf: tf.nn.relu(tf.constant(XI)), lambda np: np.maximum(XI, 0), id="Relu-i32"),
    Row("Relu", lambda tf: _unknown(tf, tf.float64, X.astype(np.float64), tf.nn.relu),
        lambda np: np.maximum(X, 0).astype(np.float64), id="Relu-unknown-dims"),
]


def _scattered(rows, indices, updates, how, nd=False):
    """numpy: `rows` with `updates` applied at `indices` one index at a time (repeats add up)."""
    out = np.array(rows, copy=True)
    indices, updates = np.asarray(indices), np.asarray(updates)
    batch = indices.shape[:-1] if nd else indices.shape
    updates = np.broadcast_to(updates, batch + out.shape[indices.shape[-1] if nd else 1:])
    for b in np.ndindex(batch):
        at = tuple(indices[b]) if nd else indices[b]
        if how == "update":
            out[at] = updates[b]
        elif how == "add":
            out[at] += updates[b]
        else:
            out[at] -= updates[b]
    return out


V5 = np.arange(15, dtype=np.float32).reshape(5, 3)
CASES += [
    Row("ScatterUpdate", lambda tf: tf.scatter_update(tf.Variable(V5), [3, 0], V5[:2] * 10),
        _scattered(V5, [3, 0], V5[:2] * 10, "update")),
    Row("ScatterUpdate", lambda tf: _unknown(tf, tf.int64, np.array([[4, 1]]), lambda p: tf.scatter_update(
        tf.Variable(V5.astype(np.int32)), p, 7)), _scattered(V5.astype(np.int32), [[4, 1]], 7, "update"),
        id="ScatterUpdate-scalar-int64-indices"),
    Row("ScatterAdd", lambda tf: tf.scatter_add(tf.Variable(V5), [[1, 1], [4, 1]], np.ones((2, 2, 3), np.float32)),
        _scattered(V5, [[1, 1], [4, 1]], np.ones((2, 2, 3)), "add")),
    Row("ScatterSub", lambda tf: _unknown(tf, tf.float32, V5[:3], lambda p: tf.scatter_sub(
        tf.Variable(V5), [2, 2, 0], p)), _scattered(V5, [2, 2, 0], V5[:3], "sub")),
    Row("ScatterNdUpdate", lambda tf: tf.scatter_nd_update(tf.Variable(V5), [[4, 2], [0, 1]], [-1.0, -2.0]),
        _scattered(V5, [[4, 2], [0, 1]], [-1.0, -2.0], "update", nd=True)),
    Row("ScatterNdAdd", lambda tf: tf.scatter_nd_add(tf.Variable(V5), [[[1], [1]], [[0], [3]]],
                                                     np.ones((2, 2, 3), np.float32)),
        _scattered(V5, [[[1], [1]], [[0], [3]]], np.ones((2, 2, 3)), "add", nd=True)),
    Row("ScatterNdSub", lambda tf: _unknown(tf, tf.float32, np.array([5.0, 6.0, 7.0], np.float32), lambda p:
                                            tf.scatter_nd_sub(tf.Variable(V5), [[1, 1], [1, 1], [2, 0]], p)),
        _scattered(V5, [[1, 1], [1, 1], [2, 0]], [5.0, 6.0, 7.0], "sub", nd=True)),
]

test_row = rows_test(CASES)


# =========================================================================== Print
def test_print_writes_tf_format_to_stderr(capfd):
    x = tf.constant([1, 2, 3, 4])
    y = tf.Print(x, [x, tf.constant([[1.0, 2.5], [3.0, 4.0]])], message="values: ")
    assert y.op.type == "Print" and y.op.name == "Print" and y.dtype == tf.int32
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y), [1, 2, 3, 4])
    out, err = capfd.readouterr()
    assert err == "values: [1 2 3...][[1 2.5][3...]...]\n"
    assert out == ""


def test_print_summarize_and_first_n(capfd):
    x = tf.constant(np.arange(6).reshape(2, 3))
    y = tf.Print(x, [x], summarize=6, first_n=2)
    z = tf.Print(x, [x], "all:", summarize=-1)
    with tf.Session() as sess:
        for _ in range(3):
            sess.run(y)
        sess.run(z)
    _, err = capfd.readouterr()
    assert err == "[[0 1 2][3 4 5]]\n[[0 1 2][3 4 5]]\nall:[[0 1 2][3 4 5]]\n"
    with tf.Session() as sess:  # the first_n counter belongs to the session
        sess.run(y)
    assert capfd.readouterr()[1] == "[[0 1 2][3 4 5]]\n"


def test_print_element_formats(capfd):
    data = [tf.constant([1 / 3, 0.1, 1e20], tf.float32), tf.constant([1 / 3]), tf.constant([True, False]),
            tf.constant([b"a\n", b"q"]), tf.constant(7), tf.constant(np.arange(8).reshape(2, 2, 2)),
            tf.constant(np.zeros((0, 2)))]
    x = tf.Print(tf.constant(0), data, summarize=5)
    with tf.Session() as sess:
        sess.run(x)
    _, err = capfd.readouterr()
    assert err == ("[0.333333343 0.1 1e+20][0.333333343][1 0][a\\n q][7][[[0 1][2 3]][[4...]]...][]\n")
    # (1/3 as float64 is printed with 17 digits: tf.constant(1/3) is float32 here)


def test_print_float64_digits(capfd):
    with tf.Session() as sess:
        sess.run(tf.Print(tf.constant(0), [tf.constant(np.array([1 / 3, 0.5]))]))
    assert capfd.readouterr()[1] == "[0.33333333333333331 0.5]\n"


# =========================================================================== assignment
def test_assign_type_and_shape_errors():
    v = tf.Variable([1.0, 2.0], name="v")
    with pytest.raises(TypeError, match=r"Input 'value' of 'Assign' Op has type int32 that does not match type "
                                        r"float32 of argument 'ref'\."):
        tf.assign(v, tf.constant([1, 2]))
    with pytest.raises(TypeError, match=r"Expected int32 passed to parameter 'value' of op 'AssignAdd', got 0\.5"):
        tf.assign_add(tf.Variable([1, 2]), 0.5)
    with pytest.raises(ValueError, match=r"Dimension 0 in both shapes must be equal, but are 2 and 3\. Shapes are "
                                         r"\[2\] and \[3\]\. for 'Assign_\d+' \(op: 'Assign'\) with input shapes: "
                                         r"\[2\], \[3\]\."):
        tf.assign(v, [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"Shapes must be equal rank, but are 1 and 0 for 'AssignAdd_\d+' \(op: "
                                         r"'AssignAdd'\)"):
        tf.assign_add(v, 1.0)  # no broadcasting into a variable
    with pytest.raises(TypeError, match=r"Value passed to parameter 'ref' has DataType bool not in list of "
                                        r"allowed values"):
        tf.assign_sub(tf.Variable([True]), [False])
    with pytest.raises(AttributeError, match=r"'Tensor' object has no attribute 'assign'"):
        tf.assign(tf.constant(1.0), 2.0)


def test_assign_names_and_attrs():
    v = tf.Variable([1.0, 2.0], name="v")
    a = tf.assign(v, [3.0, 4.0])
    assert a.op.name == "Assign" and a.op.inputs[1].op.name == "Assign/value"
    assert a.op.get_attr("use_locking") is True and a.op.get_attr("validate_shape") is True
    assert a.dtype._is_ref and a.dtype.base_dtype == tf.float32  # the variable after the update
    b = tf.assign_add(v, [1.0, 1.0], name="bump")
    assert b.op.name == "bump" and b.op.get_attr("use_locking") is False
    assert v.initializer.name == "v/Assign"


def test_assign_updates_in_place_and_reads_back():
    v = tf.Variable([1.0, 2.0], name="v")
    inc = tf.assign_add(v, [1.0, 1.0])
    dec = tf.assign_sub(v, [0.5, 0.5])
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(inc), [2.0, 3.0])
        np.testing.assert_array_equal(sess.run(inc), [3.0, 4.0])
        np.testing.assert_array_equal(sess.run(dec), [2.5, 3.5])
        np.testing.assert_array_equal(sess.run(v), [2.5, 3.5])


def test_assign_validate_shape_false_changes_the_shape():
    v = tf.Variable([1.0, 2.0], name="v")
    grow = tf.assign(v, [1.0, 2.0, 3.0], validate_shape=False)
    assert grow.shape.as_list() == [3]
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(grow)
        np.testing.assert_array_equal(sess.run(v), [1.0, 2.0, 3.0])


def test_update_of_uninitialized_variable():
    v = tf.Variable([1.0], name="counter")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match=r"Attempting to use uninitialized value counter"):
            sess.run(tf.assign_add(v, [1.0]))
        assert not sess.run(tf.is_variable_initialized(v))
        sess.run(tf.assign(v, [5.0]))  # Assign may initialize
        assert sess.run(tf.is_variable_initialized(v))


# =========================================================================== group / tuple
def test_group_runs_everything_and_returns_an_op():
    a = tf.Variable(0, name="a")
    b = tf.Variable(0, name="b")
    g = tf.group([tf.assign_add(a, 1)], (tf.assign_add(b, 2),), name="both")
    assert g.type == "NoOp" and g.name == "both" and len(g.control_inputs) == 2
    assert tf.group().name == "group_deps"
    with tf.Session() as sess:
        sess.run([a.initializer, b.initializer])
        assert sess.run(g) is None
        assert sess.run([a, b]) == [1, 2]
    with pytest.raises(ValueError, match=r"Unknown keyword arguments: nmae"):
        tf.group(g, nmae="x")
    with pytest.raises(TypeError, match=r"Expected tf\.group\(\) expected Tensor arguments not '3'"):
        tf.group(3)


def test_tuple_gates_every_tensor():
    v = tf.Variable(1.0, name="v")
    bump = tf.assign_add(v, 1.0)
    x, y = tf.tuple([tf.constant(2.0), v.value()], control_inputs=[bump])
    assert x.op.type == "Identity" and y.op.type == "Identity"
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(x) == 2.0
        assert sess.run(v) == 2.0  # the gate ran the control input
    with pytest.raises(ValueError, match=r"Must have at least one Tensor"):
        tf.tuple([None])
    with pytest.raises(TypeError, match=r"Control input must be Operation or Tensor"):
        tf.tuple([x], control_inputs=[3])


def test_with_dependencies():
    v = tf.Variable(1.0, name="v")
    out = tf.with_dependencies([tf.assign(v, 5.0)], tf.constant(3.0))
    assert out.op.type == "Identity" and out.op.name == "control_dependency"
    with tf.Session() as sess:
        assert sess.run(out) == 3.0
        assert sess.run(v) == 5.0


def test_no_op_name():
    assert tf.no_op().name == "NoOp"
    assert tf.no_op(name="train").name == "train"


# =========================================================================== constants, relu
def test_constant_conversion_errors():
    with pytest.raises(TypeError, match=r"Expected int32, got 1\.5 of type 'float' instead\."):
        tf.constant(1.5, dtype=tf.int32)
    with pytest.raises(ValueError, match=r"Argument must be a dense tensor"):
        tf.constant([[1, 2], [3]])
    with pytest.raises(TypeError, match=r"Expected Tensor's shape: \(2, 2\), got \(4,\)\."):
        tf.constant([1, 2, 3, 4], shape=[2, 2], verify_shape=True)
    with pytest.raises(ValueError, match=r"None values not supported\."):
        tf.constant(None)


def test_constant_fetch_is_a_private_copy():
    c = tf.constant([1.0, 2.0])
    with tf.Session() as sess:
        got = sess.run(c)
        got[0] = 99.0
        np.testing.assert_array_equal(sess.run(c), [1.0, 2.0])
    assert repr(tf.Session().run(tf.constant("héllo"))) == repr("héllo".encode("utf-8"))


def test_relu_rules():
    r = tf.nn.relu(tf.constant([-1.0, 2.0]))
    assert r.op.name == "Relu" and r.op.type == "Relu"
    with pytest.raises(TypeError, match=r"Value passed to parameter 'features' has DataType bool not in list"):
        tf.nn.relu(tf.constant([True]))
    with tf.Session() as sess:
        got = sess.run(tf.nn.relu(tf.constant([np.nan, -0.0, -3.0], tf.float32)))
    assert np.isnan(got[0]) and got[1] == 0.0 and got[2] == 0.0


def test_update_shape_checked_at_run_time():
    v = tf.Variable([1.0, 2.0, 3.0], name="v")
    p = tf.placeholder(tf.float32, [None])
    inc = tf.assign_add(v, p)
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"Parameters and update must be the same size"):
            sess.run(inc, {p: [1.0]})


# =========================================================================== gradients
from gradcheck import GradRow, grad_rows_test  # noqa: E402

GRAD_CASES = [
    # Print passes its first input through; the printed data gets no gradient
    GradRow("Print", lambda tf, a: tf.Print(a * 1.0, [a], message="x", first_n=0) * 2.0, [(2, 3)]),
]
test_grad_row = grad_rows_test(GRAD_CASES)


# =========================================================================== scatter updates of variables
def test_scatter_ops_names_attrs_and_build_errors():
    v = tf.Variable(tf.zeros([5, 3]), name="v")
    u = tf.scatter_update(v, [1, 3], tf.ones([2, 3]))
    assert (u.name, u.dtype, u.shape.as_list(), u.op.get_attr("use_locking")) == (
        "ScatterUpdate:0", tf.float32._as_ref, [5, 3], True)
    a = tf.scatter_add(v, [1], [[1., 2., 3.]])
    assert [i.op.name for i in a.op.inputs] == ["v", "ScatterAdd/indices", "ScatterAdd/updates"]
    assert not a.op.get_attr("use_locking") and tf.scatter_sub(v, 1, [1., 2., 3.], use_locking=True).op.get_attr(
        "use_locking")
    assert tf.scatter_nd_update(v, [[1, 2]], [5.]).op.get_attr("use_locking")
    assert tf.scatter_nd_add(v, [[1]], [[5., 6., 7.]]).name == "ScatterNdAdd:0"
    with pytest.raises(ValueError, match=r"Dimension 1 in both shapes must be equal, but are 4 and 3. Shapes are "
                                         r"\[2,4\] and \[2,3\]. for 'ScatterUpdate_1' \(op: 'ScatterUpdate'\)"):
        tf.scatter_update(v, [1, 3], tf.ones([2, 4]))
    with pytest.raises(TypeError, match="Input 'updates' of 'ScatterUpdate' Op has type int32 that does not match "
                                        "type float32 of argument 'ref'."):
        tf.scatter_update(v, [1, 3], tf.ones([2, 3], tf.int32))
    with pytest.raises(TypeError, match="Value passed to parameter 'indices' has DataType float32 not in list"):
        tf.scatter_add(v, [1., 3.], tf.ones([2, 3]))
    with pytest.raises(AttributeError, match="'Tensor' object has no attribute '_lazy_read'"):
        tf.scatter_update(tf.zeros([5, 3]), [1, 3], tf.ones([2, 3]))
    with pytest.raises(ValueError, match=r"Dimensions \[0,1\) of indices\[shape=\[1,2\]\] = \[1\] must match "
                                         r"dimensions \[0,1\) of updates\[shape=\[2\]\] = \[2\]"):
        tf.scatter_nd_update(v, [[1, 2]], [5., 6.])


def test_scatter_ops_update_in_place_and_check_indices_at_run_time():
    v = tf.Variable(np.zeros((5, 3), np.float32), name="v")
    i, u = tf.placeholder(tf.int32), tf.placeholder(tf.float32)
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(tf.scatter_add(v, [1, 1], tf.ones([2, 3])))
        sess.run(tf.scatter_nd_sub(v, [[1, 0], [4, 2]], [5.0, 1.0]))
        want = np.zeros((5, 3), np.float32)
        want[1] = 2
        want[1, 0], want[4, 2] = -3, -1
        np.testing.assert_array_equal(sess.run(v), want)
        for fetch, feed, msg in [
                (tf.scatter_update(v, [1, 5], tf.ones([2, 3])), None, r"indices\[1\] = 5 is not in \[0, 5\)"),
                (tf.scatter_add(v, [[1, -1]], tf.ones([1, 2, 3])), None, r"indices\[0,1\] = -1 is not in \[0, 5\)"),
                (tf.scatter_nd_add(v, [[0, 7], [1, 1], [4, 4]], [1., 2., 3.]), None,  # TF names the last bad one
                 r"indices\[2\] = \[4, 4\] does not index into shape \[5,3\]"),
                (tf.scatter_update(v, i, u), {i: [1, 2], u: np.ones((3, 3))},
                 r"Must have updates.shape = indices.shape \+ params.shape\[1:\] or updates.shape = \[\], got "
                 r"updates.shape \[3,3\], indices.shape \[2\], params.shape \[5,3\]"),
                (tf.scatter_nd_update(v, i, u), {i: [[1], [2]], u: np.ones((3, 3))},
                 r"Dimensions \[0,1\) of indices\[shape=\[2,1\]\] = 2 must match dimensions \[0,1\) of "
                 r"updates\[shape=\[3,3\]\] = 3"),
                (tf.scatter_nd_update(v, i, u), {i: [[1, 1, 1]], u: np.ones(1)},
                 r"Dimensions \[3,2\) of input\[shape=\[5,3\]\] must match dimensions \[3,1\) of updates"),
        ]:
            with pytest.raises(tf.errors.InvalidArgumentError, match=msg):
                sess.run(fetch, feed)
        np.testing.assert_array_equal(sess.run(v), want)  # a refused update leaves the variable as it was
        w = tf.Variable(tf.zeros([3]), name="w")
        with pytest.raises(tf.errors.FailedPreconditionError, match="Attempting to use uninitialized value w"):
            sess.run(tf.scatter_update(w, [0], [1.]))
