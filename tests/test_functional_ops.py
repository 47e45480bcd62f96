"""tf.TensorArray, tf.map_fn, tf.scan, tf.foldl and tf.foldr as TF 1.x builds them: the forward graphs node for node
TF's and the values, gradients included, TF computed (tests/data/tf_functional_ops.json, written by TensorFlow 2.21
with control flow v1 from the cases below); each TensorArray op in a row, the gradients against finite differences,
and TensorArray's errors."""
import json
import pathlib

import numpy as np
import pytest

import tfmini as tf
from gradcheck import GradRow, grad_rows_test
from optable import Row, rows_test

GOLDEN = json.loads((pathlib.Path(__file__).parent / "data" / "tf_functional_ops.json").read_text())["cases"]


def _ta_rows_graph(tf):
    ta = tf.TensorArray(tf.float32, size=3)
    ta = ta.write(0, [1., 2.]).write(1, [3., 4.]).write(2, [5., 6.])
    return ta


CASES = [
    Row("TensorArrayV3", lambda tf: _ta_rows_graph(tf).stack(), expect=[[1., 2.], [3., 4.], [5., 6.]]),
    Row("TensorArrayWriteV3", lambda tf: _ta_rows_graph(tf).read(1), expect=[3., 4.]),
    Row("TensorArrayReadV3", lambda tf: _ta_rows_graph(tf).read(2) * 2.0, expect=[10., 12.]),
    Row("TensorArrayGatherV3", lambda tf: _ta_rows_graph(tf).gather([2, 0]), expect=[[5., 6.], [1., 2.]]),
    Row("TensorArrayScatterV3", lambda tf: tf.TensorArray(tf.int32, size=3).scatter([2, 0, 1], [[7], [8], [9]])
        .stack(), expect=[[8], [9], [7]]),
    Row("TensorArrayConcatV3", lambda tf: tf.TensorArray(tf.float32, size=2, infer_shape=False)
        .write(0, [1.]).write(1, [2., 3.]).concat(), expect=[1., 2., 3.]),
    Row("TensorArraySplitV3", lambda tf: tf.TensorArray(tf.float32, size=2, infer_shape=False)
        .split([1., 2., 3.], [2, 1]).read(0), expect=[1., 2.]),
    Row("TensorArraySizeV3", lambda tf: tf.TensorArray(tf.float32, size=0, dynamic_size=True)
        .write(4, 1.).size(), expect=np.int32(5)),
    Row("TensorArrayGradV3", lambda tf: _grad_row(tf), expect=[[0., 0.], [3., 3.], [3., 3.]]),
    Row("TensorArrayCloseV3", lambda tf: _close_row(tf), expect=[1., 2.]),
]


def _grad_row(tf):
    x = tf.constant([[1., 2.], [3., 4.], [5., 6.]])
    ta = tf.TensorArray(tf.float32, size=3).unstack(x)
    return tf.gradients(tf.reduce_sum(ta.gather([1, 2]) * 3.0), x)[0]


def _close_row(tf):
    ta = _ta_rows_graph(tf)
    value = ta.read(0)
    with tf.control_dependencies([value]):
        close = ta.close()
    with tf.control_dependencies([close]):
        return tf.identity(value)


test_row = rows_test(CASES)

GRAD_CASES = [
    GradRow("TensorArrayReadV3", lambda tf, x: tf.map_fn(lambda r: tf.reduce_sum(tf.sin(r) * r), x), [(4, 3)],
            id="map_fn"),
    GradRow("TensorArrayWriteV3", lambda tf, x: tf.scan(lambda a, r: tf.tanh(a * 0.5 + r), x), [(4, 3)], id="scan"),
    GradRow("TensorArrayScatterV3", lambda tf, x, w: tf.scan(lambda a, r: a * w + r, x, initializer=tf.ones([3],
                                                              tf.float64), reverse=True), [(4, 3), (3,)],
            id="scan-reverse-initializer"),
    GradRow("TensorArrayScatterV3", lambda tf, x: tf.foldl(lambda a, r: a * r + 1.0, x), [(4, 3)], id="foldl"),
    GradRow("TensorArrayScatterV3", lambda tf, x: tf.foldr(lambda a, r: a * 0.5 - r, x,
                                                          initializer=tf.zeros([3], tf.float64)), [(4, 3)],
            id="foldr"),
    GradRow("TensorArrayConcatV3", lambda tf, x: _split_concat(tf, x), [(4, 2)], id="split-concat"),
    GradRow("TensorArraySplitV3", lambda tf, x: _split_concat(tf, x), [(4, 2)], id="split-concat-split"),
    # (read twice: the gradient array adds up the two gradients written to index 2)
    GradRow("TensorArrayGatherV3", lambda tf, x: tf.TensorArray(tf.float64, size=3, clear_after_read=False)
            .unstack(x).gather([2, 2, 0]), [(3, 2)], id="unstack-gather"),
    GradRow("TensorArrayWriteV3", lambda tf, x: tf.TensorArray(tf.float64, size=2).write(0, tf.sin(x))
            .write(1, x * x).stack(), [(3,)], id="write-stack"),
]
test_grad_row = grad_rows_test(GRAD_CASES)


def _split_concat(tf, x):
    ta = tf.TensorArray(tf.float64, size=2, infer_shape=False).split(x, [1, 3])
    return tf.reshape(ta.concat() * 2.0, [4, 2])  # (a static shape for reduce_sum's gradient)


# =========================================================================== the cases TF wrote the golden file from
X = np.arange(12, dtype=np.float32).reshape(4, 3) / 10 - 0.5
def case_map():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = tf.map_fn(lambda r: tf.reduce_sum(tf.sin(r) * r), x)
    return [y, tf.gradients(tf.reduce_sum(y), x)[0]], {x: X}
def case_map_struct():
    x = tf.constant(X)
    a, b = tf.map_fn(lambda t: (t[0] * 2.0, t[1] + 1), (x, tf.constant([1, 2, 3, 4])), dtype=(tf.float32, tf.int32))
    return [a, b], {}
def case_scan():
    x = tf.placeholder(tf.float32, [4, 3], name="x")
    y = tf.scan(lambda a, r: tf.tanh(a * 0.5 + r), x)
    return [y, tf.gradients(tf.reduce_sum(y * y), x)[0]], {x: X}
def case_scan_init_rev():
    x = tf.placeholder(tf.float32, [4, 3], name="x")
    w = tf.placeholder(tf.float32, [3], name="w")
    y = tf.scan(lambda a, r: a * w + r, x, initializer=tf.ones([3]), reverse=True)
    return [y] + tf.gradients(tf.reduce_sum(y), [x, w]), {x: X, w: [0.5, -1.0, 2.0]}
def case_foldl():
    x = tf.placeholder(tf.float32, [4, 3], name="x")
    y = tf.foldl(lambda a, r: a * r + 1.0, x)
    return [y, tf.gradients(tf.reduce_sum(y), x)[0]], {x: X}
def case_foldr():
    x = tf.placeholder(tf.float32, [4, 3], name="x")
    y = tf.foldr(lambda a, r: a * 0.5 - r, x, initializer=tf.zeros([3]))
    return [y, tf.gradients(tf.reduce_sum(y), x)[0]], {x: X}
def case_ta_loop():
    x = tf.placeholder(tf.float32, [3], name="x")
    ta = tf.TensorArray(tf.float32, size=5)
    def body(i, h, ta):
        h = tf.sin(h) + x
        return i + 1, h, ta.write(i, h)
    _, h, ta = tf.while_loop(lambda i, h, ta: i < 5, body, [0, x, ta])
    st = ta.stack()
    return [st, tf.gradients(tf.reduce_sum(st * st), x)[0]], {x: [0.1, -0.2, 0.3]}
def case_rnn():
    x = tf.placeholder(tf.float32, [5, 2, 3], name="x")
    w = tf.constant(np.linspace(-0.5, 0.5, 9, dtype=np.float32).reshape(3, 3))
    u = tf.constant(np.linspace(0.3, -0.3, 9, dtype=np.float32).reshape(3, 3))
    hs = tf.scan(lambda h, xt: tf.tanh(tf.matmul(xt, u) + tf.matmul(h, w)), x, initializer=tf.zeros([2, 3]))
    loss = tf.reduce_mean(tf.square(hs[-1] - 1.0))
    return [hs, loss, tf.gradients(loss, x)[0]], {x: np.sin(np.arange(30, dtype=np.float32)).reshape(5, 2, 3)}
def case_dynamic_size():
    ta = tf.TensorArray(tf.int32, size=0, dynamic_size=True)
    _, ta = tf.while_loop(lambda i, ta: i < 4, lambda i, ta: (i + 1, ta.write(i, i * i)), [0, ta])
    return [ta.stack(), ta.size()], {}


CASE_FNS = {name[5:]: fn for name, fn in dict(globals()).items() if name.startswith("case_")}


def test_golden_covers_every_case():
    assert set(GOLDEN) == set(CASE_FNS)


@pytest.mark.parametrize("name", sorted(CASE_FNS))
def test_graph_and_values_are_tensorflows(name, backend):
    g = tf.Graph()
    with g.as_default():
        fetches, feeds = CASE_FNS[name]()
        got = {op.name: [op.type, [t.name for t in op.inputs], sorted(c.name for c in op.control_inputs)]
               for op in g.get_operations() if not op.name.startswith("gradients")}
        want = GOLDEN[name]["graph"]
        assert sorted(got) == sorted(want)
        for op_name in want:
            assert got[op_name] == want[op_name], op_name
        with tf.Session() as sess:
            for a, b in zip(sess.run(fetches, feeds), GOLDEN[name]["values"]):
                np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=1e-6)


# =========================================================================== errors
def test_tensor_array_errors():
    ta = tf.TensorArray(tf.float32, size=2)
    with pytest.raises(TypeError, match="TensorArray dtype is float32 but Op is trying to write dtype int32"):
        ta.write(0, tf.constant([1, 2]))
    ta1 = ta.write(0, [1., 2.])
    with pytest.raises(ValueError, match=r"Inconsistent shapes: saw \(3,\) but expected \(2,\)"):
        ta1.write(1, [1., 2., 3.])
    read_twice = [ta1.read(0), ta1.read(0)]
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="Could not read index 0 twice because it was "
                                                                 r"cleared after a previous read \(perhaps try "
                                                                 "setting clear_after_read = false"):
            sess.run(read_twice)
        np.testing.assert_array_equal(sess.run(ta1.read(1)), [0., 0.])  # never written: zeros of the known shape
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"Could not read from TensorArray index 1.  Furthermore, the element shape is "
                                 r"not fully defined: <unknown>"):
            sess.run(tf.TensorArray(tf.float32, size=2, infer_shape=False).write(0, [1.]).read(1))
        with pytest.raises(tf.errors.InvalidArgumentError, match="Could not write to TensorArray index 0 because "
                                                                 "it has already been written to"):
            sess.run(ta1.write(0, [3., 4.]).flow)
        with pytest.raises(tf.errors.InvalidArgumentError, match="Tried to write to index 5 but array is not "
                                                                 "resizeable and size is: 2"):
            sess.run(ta.write(5, [3., 4.]).flow)
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"\[\[node TensorArrayReadV3"):
            sess.run(read_twice)  # (the error names the op, and the learner's line)
    with pytest.raises(ValueError, match="Argument `size` must be provided if handle is not provided"):
        tf.TensorArray(tf.float32)
    with pytest.raises(ValueError, match="elems must be a 1\\+ dimensional Tensor, not a scalar"):
        tf.map_fn(lambda x: x, tf.constant(1.0))
    with pytest.raises(TypeError, match="fn must be callable"):
        tf.scan(3, tf.constant([1.0]))
    with pytest.raises(ValueError, match="fn's result must have the structure of elems"):
        tf.map_fn(lambda x: (x, x), tf.constant([1.0, 2.0]))


def test_a_tensor_array_is_made_anew_by_each_run(backend):
    x = tf.placeholder(tf.float32, [None])
    ys = tf.map_fn(lambda v: v * 2.0, x)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(ys, {x: [1., 2.]}), [2., 4.])
        np.testing.assert_array_equal(sess.run(ys, {x: [3., 4., 5.]}), [6., 8., 10.])
    assert ys.shape.as_list() == [None]


def test_an_rnn_trains_with_scan(backend):
    tf.set_random_seed(3)
    x = tf.placeholder(tf.float32, [6, 4, 2])
    w = tf.Variable(tf.random_normal([2, 5], stddev=0.3), name="w")
    u = tf.Variable(tf.random_normal([5, 5], stddev=0.3), name="u")
    hs = tf.scan(lambda h, xt: tf.tanh(tf.matmul(xt, w) + tf.matmul(h, u)), x, initializer=tf.zeros([4, 5]))
    loss = tf.reduce_mean(tf.square(tf.reduce_sum(hs[-1], 1) - 1.0))
    train = tf.train.AdamOptimizer(0.05).minimize(loss)
    xv = np.random.RandomState(0).randn(6, 4, 2).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, {x: xv})
        for _ in range(30):
            sess.run(train, {x: xv})
        assert sess.run(loss, {x: xv}) < first * 0.2


def test_elements_of_different_shapes_are_refused_when_the_shapes_are_inferred():
    p = tf.placeholder(tf.float32, [None])
    q = tf.placeholder(tf.float32, [None])
    ta = tf.TensorArray(tf.float32, size=2).write(0, p).write(1, q)
    loose = tf.TensorArray(tf.float32, size=2, infer_shape=False).write(0, p).write(1, q)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"Could not write to TensorArray index 1 because "
                           r"the value shape is \[3\] which is incompatible with the TensorArray's inferred element "
                           r"shape: \[2\] \(consider setting infer_shape=False\)"):
            sess.run(ta.flow, {p: [1., 2.], q: [1., 2., 3.]})
        np.testing.assert_array_equal(sess.run(loose.concat(), {p: [1., 2.], q: [3., 4., 5.]}), [1., 2., 3., 4., 5.])


# =========================================================================== found by a differential fuzz against TF
def test_a_tensor_array_made_in_a_loop_body_differentiates(backend):
    x = tf.placeholder(tf.float32, [3])

    def body(i, a):
        ta = tf.TensorArray(tf.float32, size=3).unstack(x * a)  # (its handle is kept on a stack for the gradient)
        return i + 1, ta.read(1)
    a = tf.while_loop(lambda i, a: i < 2, body, [0, tf.constant(1.0)])[1]
    g = tf.gradients(a, x)[0]
    with tf.Session() as sess:
        assert sess.run(a, {x: [1., 2., 3.]}) == 4.0
        np.testing.assert_array_equal(sess.run(g, {x: [1., 2., 3.]}), [0., 4., 0.])  # (TF 2.21's)


def test_a_loop_runs_only_the_variables_the_run_needs(backend):
    x = tf.placeholder(tf.float32, [3])
    ta = tf.TensorArray(tf.float32, size=3).unstack(x)
    bad = ta.read(0) + ta.read(0)  # fails if it runs (the element is cleared by the first read)
    _, unused, z = tf.while_loop(lambda i, y, z: i < 2, lambda i, y, z: (i + 1, y, z * 2.0), [0, bad, tf.constant(1.0)])
    with tf.Session() as sess:
        assert sess.run(z, {x: [1., 2., 3.]}) == 4.0  # as TF: `bad` is pruned with the loop variable nothing needs
        with pytest.raises(tf.errors.InvalidArgumentError, match="Could not read index 0 twice"):
            sess.run(unused, {x: [1., 2., 3.]})


def test_a_value_read_from_a_tensor_array_is_its_own(backend):
    v = tf.Variable(np.array([1., 2., 3.], np.float32))
    t = tf.TensorArray(tf.float32, size=1).write(0, v).read(0)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(t))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = sess.run(t)
        sess.run(train)
        np.testing.assert_array_equal(before, [1., 2., 3.])  # not the variable's storage, which the step changed



# =========================================================================== found in review
def test_an_empty_batch_maps_to_an_empty_result(backend):
    x = tf.placeholder(tf.float32, [None, 2])
    r = tf.map_fn(tf.reduce_sum, x)
    with tf.Session() as sess:
        got = sess.run(r, {x: np.ones((0, 2), np.float32)})
    assert got.shape == (0,) and got.dtype == np.float32
    loose = tf.TensorArray(tf.float32, size=0, infer_shape=False, element_shape=None)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.UnimplementedError, match="TensorArray has size zero, but element shape "
                                                               "<unknown> is not fully defined"):
            sess.run(loose.stack())


def test_writes_to_a_gradient_array_add_up_and_must_agree_in_shape():
    ta = tf.TensorArray(tf.float32, size=1, infer_shape=False).write(0, tf.ones([2]))
    g = ta.grad("gradients", flow=ta.flow)
    twice = g.write(0, tf.ones([2])).write(0, tf.ones([2]) * 2.0).read(0)
    clash = g.write(0, tf.ones([2])).write(0, tf.ones([3])).read(0)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(twice), [3., 3.])
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"Could not aggregate to TensorArray index 0 because "
                           r"the existing shape is \[2\] but the new input shape is \[3\]"):
            sess.run(clash)


def test_an_assignments_value_enters_a_loop_as_a_value(backend):
    with tf.device("/cpu:0"):
        v = tf.Variable(1.)
    a = v.assign(5.)
    r = tf.map_fn(lambda x: x * a, tf.constant([1., 2.]))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(r), [5., 10.])  # (TF 2.21's)


def test_a_resource_handle_prints_as_what_it_is():
    ta = tf.TensorArray(tf.float32, size=1, name="steps").write(0, 1.0)
    with tf.Session() as sess:
        assert repr(sess.run(ta.handle)) == "<TensorArray steps: 1 elements of float32>"


def test_tf_nest_is_tfs():
    assert tf.nest.flatten({"b": 1, "a": (2, [3])}) == [2, 3, 1]
    assert tf.nest.map_structure(lambda a, b: a + b, (1, [2, 3]), (10, [20, 30])) == (11, [22, 33])
    assert tf.nest.pack_sequence_as([0, (0, 0)], [1, 2, 3]) == [1, (2, 3)]
    assert tf.nest.is_nested([1]) and not tf.nest.is_nested(tf.constant(1))
    with pytest.raises(ValueError, match="same nested structure"):
        tf.nest.assert_same_structure([1, 2], [1])
