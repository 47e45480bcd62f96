"""tf.Variable: names, the ops it builds, updates, initializers, collections, per-session values."""
import numpy as np
import pytest

import tfmini as tf


def _line_of(marker):
    with open(__file__) as f:
        for i, line in enumerate(f, 1):
            if line.rstrip().endswith("# " + marker):
                return i
    raise LookupError(marker)


# =========================================================================== names and the ops built
def test_names():
    w = tf.Variable(tf.zeros((5, 2)), name="weight")
    z = tf.Variable(tf.zeros((2, 2)), name="weight")
    assert w.name == "weight:0" and z.name == "weight_1:0"
    assert w.op.name == "weight" and w.op.type == "VariableV2"
    assert tf.Variable(1.0).name == "Variable:0"
    assert tf.Variable(1.0).name == "Variable_1:0"
    with tf.name_scope("layer"):
        assert tf.Variable(1.0, name="b").name == "layer/b:0"
    tf.constant(1.0, name="taken")
    assert tf.Variable(1.0, name="taken").name == "taken_1:0"


def test_repr_and_properties():
    w = tf.Variable(tf.zeros((5, 2)), name="weight")
    assert repr(w) == "<tf.Variable 'weight:0' shape=(5, 2) dtype=float32_ref>"
    assert w.dtype is tf.float32._as_ref and w.dtype.base_dtype is tf.float32
    assert w.shape.as_list() == [5, 2] and w.get_shape().as_list() == [5, 2]
    assert w.graph is tf.get_default_graph()
    assert w.trainable and w.device == ""


def test_ops_built_by_a_variable():
    w = tf.Variable([1.0, 2.0], name="weight")
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert names == ["weight/initial_value", "weight", "weight/Assign", "weight/read"]
    assert w.initializer.name == "weight/Assign" and w.initializer.type == "Assign"
    assert w.initial_value.name == "weight/initial_value:0"
    assert w.value().name == "weight/read:0" and w.value().dtype is tf.float32
    assert w.value() is w.value()  # one snapshot per variable


def test_initial_value_tensor_is_used_as_is():
    init = tf.zeros((5, 2))
    w = tf.Variable(init, name="weight")
    assert w.initial_value is init
    assert w.initializer.inputs[1] is init


def test_initial_value_callable():
    w = tf.Variable(lambda: tf.ones((2,)), name="w")
    assert w.initial_value.name == "w/Initializer/ones:0"
    with tf.Session() as sess:
        sess.run(w.initializer)
        np.testing.assert_array_equal(sess.run(w), [1.0, 1.0])


def test_dtype_argument_converts_python_values():
    v = tf.Variable(1, dtype=tf.float32)
    assert v.dtype.base_dtype is tf.float32
    assert tf.Variable(0, name="counter").dtype is tf.int32._as_ref


def test_read_value_makes_a_new_read():
    w = tf.Variable(1.0, name="weight")
    r = w.read_value()
    assert r.name == "read:0" and r.op.type == "Identity" and r.dtype is tf.float32
    assert w.read_value().name == "read_1:0"


def test_constructor_errors():
    with pytest.raises(ValueError, match=r"^initial_value must be specified\.$"):
        tf.Variable()
    with pytest.raises(ValueError, match=r"collections argument to Variable constructor must be a list, tuple, or "
                                         r"set\. Got k of type <class 'str'>"):
        tf.Variable(1.0, collections="k")
    with pytest.raises(ValueError, match=r"initial_value must have a shape specified"):
        tf.Variable(tf.placeholder(tf.float32, [None]))


def test_validate_shape_false_allows_unknown_shapes():
    p = tf.placeholder(tf.float32, [None])
    v = tf.Variable(p, validate_shape=False)
    assert v.shape.ndims is None
    with tf.Session() as sess:
        sess.run(v.initializer, {p: [1.0, 2.0, 3.0]})
        np.testing.assert_array_equal(sess.run(v), [1.0, 2.0, 3.0])


def test_variables_ignore_enclosing_control_dependencies():
    c = tf.constant(1.0, name="c")
    with tf.control_dependencies([c]):
        tf.Variable(2.0, name="w")
        after = tf.no_op()
    for op in tf.get_default_graph().get_operations():
        if op.name.startswith("w"):
            assert op.control_inputs == [], op.name
    assert after.control_inputs == [c.op]


def test_variable_on_a_device():
    with tf.device("/cpu:0"):
        w = tf.Variable(1.0, name="w")
    assert w.device == "/device:CPU:0"
    assert w.initializer.device == "/device:CPU:0"


# =========================================================================== running
def test_uninitialized_variable_error():
    w = tf.Variable(tf.zeros((5, 2)), name="weight")  # weight-created-here
    with tf.Session() as sess:
        for fetch in (w, w + 1.0, w.value()):
            with pytest.raises(tf.errors.FailedPreconditionError,
                               match=r"^Attempting to use uninitialized value weight\n"):
                sess.run(fetch)
        try:
            sess.run(w)
        except tf.errors.FailedPreconditionError as e:
            assert "test_variables.py:%d" % _line_of("weight-created-here") in e.message
            assert e.error_code == tf.errors.FAILED_PRECONDITION
            assert e.op is not None


def test_global_variables_initializer():
    w = tf.Variable(tf.zeros((5, 2)), name="weight")
    z = tf.Variable(tf.ones((2, 2)), name="weight")
    init = tf.global_variables_initializer()
    assert init.name == "init" and init.type == "NoOp"
    assert set(init.control_inputs) == {w.initializer, z.initializer}
    with tf.Session() as sess:
        assert sess.run(init) is None
        np.testing.assert_array_equal(sess.run(z), np.ones((2, 2), np.float32))
        np.testing.assert_array_equal(sess.run(w), np.zeros((5, 2), np.float32))


def test_initializer_op_names():
    tf.Variable(1.0)
    assert tf.global_variables_initializer().name == "init"
    assert tf.initialize_all_variables().name == "init_1"
    assert tf.local_variables_initializer().name == "init_2"
    assert tf.variables_initializer([]).name == "init_3"
    assert tf.variables_initializer([]).type == "NoOp"
    assert tf.variables_initializer(tf.global_variables(), name="mine").name == "mine"


def test_variables_initializer_only_initializes_its_list():
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(2.0, name="b")
    with tf.Session() as sess:
        sess.run(tf.variables_initializer([a]))
        assert sess.run(a) == 1.0
        assert not sess.run(tf.is_variable_initialized(b))
        with pytest.raises(tf.errors.FailedPreconditionError, match=r"uninitialized value b"):
            sess.run(b)


def test_initializer_run_and_eval():
    w = tf.Variable([3.0], name="w")
    with tf.Session():
        w.initializer.run()
        np.testing.assert_array_equal(w.eval(), [3.0])
    sess = tf.Session()
    sess.run(w.initializer)
    np.testing.assert_array_equal(w.eval(session=sess), [3.0])
    with pytest.raises(ValueError, match=r"Cannot evaluate tensor using `eval\(\)`: No default session"):
        w.eval()
    sess.close()


def test_rerunning_the_initializer_resets_the_value():
    v = tf.Variable(1.0)
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(v.assign_add(5.0))
        assert sess.run(v) == 6.0
        sess.run(tf.global_variables_initializer())
        assert sess.run(v) == 1.0


def test_counter_from_the_lecture():
    state = tf.Variable(0, name="counter")
    new_value = tf.add(state, tf.constant(1))
    update = tf.assign(state, new_value)
    assert (new_value.name, update.name) == ("Add:0", "Assign:0")
    assert update.dtype is tf.int32._as_ref
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        seen = [sess.run(state)]
        for _ in range(3):
            ret = sess.run(update)
            seen.append(sess.run(state))
    assert seen == [0, 1, 2, 3] and ret == 3
    assert type(ret) is np.int32


# =========================================================================== updates
def test_assign_methods():
    w = tf.Variable([1.0, 2.0], name="w")
    a = w.assign([5.0, 6.0])
    b = w.assign_add([1.0, 1.0])
    c = w.assign_sub([0.5, 0.5])
    assert (a.name, b.name, c.name) == ("Assign:0", "AssignAdd:0", "AssignSub:0")
    assert a.dtype is tf.float32._as_ref
    assert a.op.inputs[1].name == "Assign/value:0"  # Python values become Consts in the op's scope
    with tf.Session() as sess:
        sess.run(w.initializer)
        np.testing.assert_array_equal(sess.run(a), [5.0, 6.0])
        np.testing.assert_array_equal(sess.run(b), [6.0, 7.0])
        np.testing.assert_array_equal(sess.run(c), [5.5, 6.5])
        np.testing.assert_array_equal(sess.run(w), [5.5, 6.5])


def test_assign_read_value_false_returns_the_op():
    w = tf.Variable(1.0)
    op = w.assign(2.0, read_value=False)
    assert isinstance(op, tf.Operation) and op.type == "Assign"
    assert w.assign_add(1.0, read_value=False).type == "AssignAdd"
    assert w.assign_sub(1.0, read_value=False).type == "AssignSub"
    with tf.Session() as sess:
        sess.run(w.initializer)
        assert sess.run(op) is None
        assert sess.run(w) == 2.0


def test_tf_assign_functions():
    w = tf.Variable([1.0, 2.0], name="w")
    a = tf.assign(w, [0.0, 0.0], name="zero")
    b = tf.assign_add(w, [2.0, 2.0])
    c = tf.assign_sub(w, [1.0, 1.0])
    assert (a.op.name, b.op.name, c.op.name) == ("zero", "AssignAdd", "AssignSub")
    with tf.Session() as sess:
        sess.run(w.initializer)
        sess.run(a)
        sess.run(b)
        sess.run(c)
        np.testing.assert_array_equal(sess.run(w), [1.0, 1.0])


def test_assign_errors():
    w = tf.Variable([1.0, 2.0], name="w")
    with pytest.raises(TypeError, match=r"Input 'value' of 'Assign' Op has type int32 that does not match type "
                                        r"float32"):
        w.assign(tf.constant([1, 2]))
    with pytest.raises(ValueError, match=r"for 'Assign(_\d+)?' \(op: 'Assign'\) with input shapes: \[2\], \[3\]\."):
        w.assign([1.0, 2.0, 3.0])
    # TF raises AttributeError ('Tensor' object has no attribute 'assign'); state_ops may explain more
    with pytest.raises((AttributeError, TypeError), match=r"assign"):
        tf.assign(tf.constant(1.0), 2.0)  # not a variable


def test_load():
    w = tf.Variable([0.0, 0.0], name="w")
    n_ops = len(tf.get_default_graph().get_operations())
    with tf.Session() as sess:
        w.load([3.0, 4.0], sess)
        np.testing.assert_array_equal(sess.run(w), [3.0, 4.0])
        w.load(np.array([5.0, 6.0]))  # the default session
        np.testing.assert_array_equal(sess.run(w), [5.0, 6.0])
    assert len(tf.get_default_graph().get_operations()) == n_ops  # load adds no ops
    with pytest.raises(ValueError, match=r"^Either session argument should be provided or default session should "
                                         r"be established$"):
        w.load([1.0, 1.0])


# =========================================================================== collections
def test_global_and_trainable_variables():
    a = tf.Variable(1.0, name="a")
    with tf.name_scope("layer1"):
        b = tf.Variable(2.0, name="b")
    c = tf.Variable(3.0, name="c", trainable=False)
    assert tf.global_variables() == [a, b, c]
    assert tf.all_variables() == [a, b, c]
    assert tf.trainable_variables() == [a, b]
    assert not c.trainable
    assert tf.global_variables("layer1") == [b]
    assert tf.trainable_variables("layer") == [b]
    assert tf.global_variables("c") == [c]
    assert tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES) == [a, b, c]
    assert tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES) == [a, b]


def test_collections_argument():
    mine = tf.Variable(1.0, name="mine", collections=["my_vars"])
    local = tf.Variable(2.0, name="local", collections=[tf.GraphKeys.LOCAL_VARIABLES], trainable=False)
    assert tf.get_collection("my_vars") == [mine]
    assert tf.trainable_variables() == [mine]  # trainable adds TRAINABLE_VARIABLES to the given list
    assert tf.global_variables() == []
    assert tf.local_variables() == [local]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert sess.run(local) == 2.0
        assert not sess.run(tf.is_variable_initialized(mine))


def test_is_variable_initialized():
    w = tf.Variable(1.0, name="w")
    flag = tf.is_variable_initialized(w)
    assert flag.dtype is tf.bool and flag.shape.as_list() == []
    assert flag.op.type == "IsVariableInitialized"
    with tf.Session() as sess:
        assert sess.run(flag) == False  # noqa: E712 - a numpy bool
        sess.run(w.initializer)
        assert sess.run(flag) == True  # noqa: E712
        assert type(sess.run(flag)) is np.bool_


def test_report_uninitialized_variables():
    a = tf.Variable(1.0, name="a")
    with tf.name_scope("s"):
        b = tf.Variable(2.0, name="b")
    report = tf.report_uninitialized_variables()
    assert report.dtype is tf.string
    with tf.Session() as sess:
        got = sess.run(report)
        assert list(got) == [b"a", b"s/b"]
        sess.run(a.initializer)
        assert list(sess.run(report)) == [b"s/b"]
        sess.run(b.initializer)
        assert sess.run(report).shape == (0,)
        assert list(sess.run(tf.report_uninitialized_variables([a]))) == []


def test_report_uninitialized_variables_without_variables():
    report = tf.report_uninitialized_variables()
    assert report.dtype is tf.string
    with tf.Session() as sess:
        assert sess.run(report).shape == (0,)


# =========================================================================== operators and conversion
def test_operators():
    w = tf.Variable([[1.0, 2.0]], name="w")
    x = tf.constant([[3.0], [4.0]])
    add, radd, neg, mm, rmul = w + 1.0, 1.0 + w, -w, w @ x, 2.0 * w
    assert add.name == "add:0" and neg.op.type == "Neg" and mm.op.type == "MatMul"
    assert mm.shape.as_list() == [1, 1]
    assert add.op.inputs[0] is w.value()  # operators read through the snapshot
    with tf.Session() as sess:
        sess.run(w.initializer)
        np.testing.assert_array_equal(sess.run(add), [[2.0, 3.0]])
        np.testing.assert_array_equal(sess.run(radd), [[2.0, 3.0]])
        np.testing.assert_array_equal(sess.run(neg), [[-1.0, -2.0]])
        np.testing.assert_array_equal(sess.run(mm), [[11.0]])
        np.testing.assert_array_equal(sess.run(rmul), [[2.0, 4.0]])
        np.testing.assert_array_equal(sess.run(w * w - w / 1.0), [[0.0, 2.0]])
        np.testing.assert_array_equal(sess.run(w > 1.5), [[False, True]])


@pytest.mark.skipif(not hasattr(tf.Tensor, "__getitem__"), reason="Tensor.__getitem__ (strided slice) not built yet")
def test_getitem():
    w = tf.Variable([[1.0, 2.0], [3.0, 4.0]], name="w")
    with tf.Session() as sess:
        sess.run(w.initializer)
        np.testing.assert_array_equal(sess.run(w[0]), [1.0, 2.0])
        assert sess.run(w[1, 0]) == 3.0


def test_variable_converts_to_its_snapshot():
    w = tf.Variable([1.0, 2.0], name="w")
    assert tf.convert_to_tensor(w) is w.value()
    assert tf.identity(w).op.inputs[0] is w.value()
    with pytest.raises(ValueError, match=r"Tensor conversion requested dtype int32 for Tensor with dtype float32"):
        tf.convert_to_tensor(w, dtype=tf.int32)


def test_variable_python_protocols():
    w = tf.Variable([1.0, 2.0])
    with pytest.raises(TypeError, match=r"Using a `tf.Tensor` as a Python `bool` is not allowed"):
        bool(w)
    with pytest.raises(TypeError):
        iter(w)
    assert {w: 1}[w] == 1  # hashable by identity
