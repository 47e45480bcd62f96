"""tf.py_func / tf.numpy_function: the PyFunc op table, then TF's rules (checked against TensorFlow 2.21): unknown
output shapes, the dtypes a function must return, Python exceptions as tf.errors with the traceback, no gradient
unless gradient_override_map gives one, GraphDef export and import, host arrays on a GPU."""
import numpy as np
import pytest

import tfmini as tf
from optable import Row, rows_test
from tfmini.runtime import device

X = np.array([[1.5, -2.0, 3.0], [4.0, -5.5, 6.0]], np.float32)


def _sort_rows(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    return tf.py_func(lambda a: np.sort(a, axis=1), [x], tf.float32), {x: X}


def _two_outputs(tf):
    out = tf.py_func(lambda a, b: (a * b, (a > 0).astype(np.int32)), [tf.constant(X), 2.0], [tf.float32, tf.int32],
                     stateful=False)
    return out[1]


CASES = [
    Row("PyFunc", _sort_rows, np.sort(X, axis=1), id="PyFunc_sort"),
    Row("PyFunc", lambda tf: tf.numpy_function(lambda a: a.sum(dtype=np.float64), [tf.constant(X)], tf.float64),
        np.float64(X.sum(dtype=np.float64)), id="numpy_function_scalar"),
    Row("PyFunc", lambda tf: tf.py_func(lambda: np.array(["ab", "c"]), [], tf.string), None, id="PyFunc_string"),
    Row("PyFuncStateless", _two_outputs, (X > 0).astype(np.int32), id="PyFuncStateless_two_outputs"),
]
test_row = rows_test(CASES)


def test_op_names_dtypes_and_unknown_shapes():
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.py_func(lambda a: a * 2, [x], tf.float32)
    assert (y.op.type, y.op.name, y.name, y.dtype, y.shape.ndims) == ("PyFunc", "PyFunc", "PyFunc:0", tf.float32, None)
    z = tf.py_func(lambda a: [a, a.astype(np.int32)], [x], [tf.float32, tf.int32], stateful=False, name="two")
    assert [t.name for t in z] == ["two:0", "two:1"] and z[0].op.type == "PyFuncStateless"
    assert isinstance(tf.py_func(lambda a: a, [x], [tf.float32]), list)
    n = tf.numpy_function(lambda a: a, [x], tf.float32)
    assert (n.op.type, n.op.name) == ("PyFunc", "PyFunc_2")
    c = tf.py_func(lambda a: a, [3.0], tf.float32)
    assert c.op.inputs[0].name == "PyFunc_3/input_0:0"  # Python values become constants in the op's scope
    tokens = [t.op.get_attr("token") for t in (y, z[0], n, c)]
    assert all(t.startswith("pyfunc_") for t in tokens) and len(set(tokens)) == 4
    none = tf.py_func(lambda a: None, [x], [])
    assert isinstance(none, tf.Operation)
    with tf.Session() as sess:
        got = sess.run([y, z, c, none], {x: X})
    np.testing.assert_array_equal(got[0], X * 2)
    assert got[1][1].dtype == np.int32 and got[2] == np.float32(3.0) and got[3] is None


def test_the_function_gets_numpy_values_and_may_return_python_ones():
    seen = []

    def show(*a):
        seen.extend(a)
        return 3

    out = tf.py_func(show, [tf.constant(3.0), tf.constant(["a", "b"]), tf.constant(True), tf.constant([1, 2])],
                     tf.int64)
    with tf.Session() as sess:
        assert sess.run(out) == 3 and sess.run(tf.py_func(lambda: "é", [], tf.string)) == "é".encode()
    # scalars come as numpy scalars, tensors as arrays, strings as bytes (as TF passes them)
    assert [type(a) for a in seen] == [np.float32, np.ndarray, np.bool_, np.ndarray]
    assert seen[1].tolist() == [b"a", b"b"] and seen[3].dtype == np.int32


def test_the_function_cannot_change_a_variable_through_its_argument():
    v = tf.Variable([1.0, 2.0])

    def bump(a):
        a += 10
        return a

    y = tf.py_func(bump, [v], tf.float32)
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(y).tolist() == [11.0, 12.0] and sess.run(v).tolist() == [1.0, 2.0]


def _raises(exc):
    def f(a):
        raise exc
    return f


@pytest.mark.parametrize("exc, cls", [
    (ValueError("boom here"), tf.errors.InvalidArgumentError), (TypeError("ty"), tf.errors.InvalidArgumentError),
    (StopIteration(), tf.errors.OutOfRangeError), (MemoryError("mem"), tf.errors.ResourceExhaustedError),
    (NotImplementedError("ni"), tf.errors.UnimplementedError), (IndexError("idx"), tf.errors.UnknownError),
    (KeyError("k"), tf.errors.UnknownError), (tf.errors.NotFoundError(None, None, "nf"), tf.errors.UnknownError),
])
def test_exceptions_become_tensorflows_errors(exc, cls):
    y = tf.py_func(_raises(exc), [tf.constant(1.0)], tf.float32, name="bad")
    with tf.Session() as sess:
        with pytest.raises(cls) as e:
            sess.run(y)
    text = str(e.value)
    head = "%s: %s\nTraceback (most recent call last):\n\n  File " % (type(exc).__name__, exc)
    assert text.startswith(head), text
    assert "in f\n" in text and "raise exc" in text and "_py_func_kernel" not in text
    assert "\n\n\n\t [[node bad (defined at " in text and e.value.op is y.op


@pytest.mark.parametrize("fn, tout, msg", [
    (lambda a: a.astype(np.float64), tf.float32, r"^0-th value returned by pyfunc_\d+ is double, but expects float"),
    (lambda a: 3.5, tf.float32, r"^0-th value returned by pyfunc_\d+ is double, but expects float"),
    (lambda a: 3, tf.int32, r"^0-th value returned by pyfunc_\d+ is int64, but expects int32"),
    (lambda a: np.float64(1), tf.uint8, r"^0-th value returned by pyfunc_\d+ is double, but expects uint8"),
    (lambda a: [a, a], tf.float32, r"^pyfunc_\d+ returns 2 values, but expects to see 1 values.\n"),
    (lambda a: a, [tf.float32, tf.float32], r"^pyfunc_\d+ returns 1 values, but expects to see 2 values.\n"),
    (lambda a: None, tf.float32, r"^pyfunc_\d+ returns 0 values, but expects to see 1 values.\n"),
    (lambda a: 1, [], r"^pyfunc_\d+ returns 1 values, but expects to see 0 values.\n"),
])
def test_what_the_function_returns_is_checked(fn, tout, msg):
    y = tf.py_func(fn, [tf.constant([1.0, 2.0])], tout)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=msg):
            sess.run(y)


def test_no_gradient_unless_overridden():
    x = tf.placeholder(tf.float32, [2])
    y = tf.py_func(lambda a: a * 2, [x], tf.float32)
    assert tf.gradients(y, x) == [None]

    @tf.RegisterGradient("PyFuncTimesFive")
    def _grad(op, grad):
        return [grad * 5.0]

    with tf.get_default_graph().gradient_override_map({"PyFunc": "PyFuncTimesFive"}):
        y2 = tf.py_func(lambda a: a * 2, [x], tf.float32)
    g = tf.gradients(y2, x)[0]
    with tf.Session() as sess:
        assert sess.run(g, {x: [1.0, 2.0]}).tolist() == [5.0, 5.0]


def test_graph_def_keeps_the_node_and_an_import_runs_it():
    x = tf.constant([1.0, 2.0], name="x")
    y = tf.py_func(lambda a: a + 1, [x], tf.float32, name="plus")
    node = [n for n in tf.get_default_graph().as_graph_def().node if n.name == "plus"][0]
    assert node.op == "PyFunc" and list(node.input) == ["x"]
    assert node.attr["token"].s == y.op.get_attr("token").encode()
    assert list(node.attr["Tin"].list.type) == [1] and list(node.attr["Tout"].list.type) == [1]
    gd = tf.get_default_graph().as_graph_def()
    with tf.Graph().as_default():
        tf.import_graph_def(gd, name="imp")
        with tf.Session() as sess:
            assert sess.run("imp/plus:0").tolist() == [2.0, 3.0]
    [n for n in gd.node if n.name == "plus"][0].attr["token"].s = b"pyfunc_999999"  # a token never registered
    with tf.Graph().as_default():
        tf.import_graph_def(gd, name="imp")
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="^ValueError: Could not find callback with "
                                                                     "key=pyfunc_999999 in the registry.\n"):
                sess.run("imp/plus:0")


def test_on_a_gpu_the_function_gets_host_numpy_arrays(capsys):
    seen = []

    def f(a):
        seen.append(type(a))
        return a * 2

    with device.use_backend("fake"):  # ops go to the (fake) GPU by default; PyFunc has a CPU kernel only
        x = tf.constant(X)
        y = tf.py_func(f, [x * 3.0], tf.float32) + 1.0
        with tf.Session(config=tf.ConfigProto(log_device_placement=True)) as sess:
            np.testing.assert_allclose(sess.run(y), X * 6 + 1)
    log = capsys.readouterr().err
    assert "mul: (Mul): /job:localhost/replica:0/task:0/device:GPU:0" in log
    assert "PyFunc: (PyFunc): /job:localhost/replica:0/task:0/device:CPU:0" in log
    assert seen == [np.ndarray]
