"""tf.IndexedSlices, the sparse gradient of tf.gather / tf.nn.embedding_lookup, against TensorFlow 2.21
(tests/data/tf_indexed_slices.json, written by tests/data/gen/indexed_slices.py): the gradient's graph, fields and
fetched value; tf.gradients' aggregation; densifying (and its warnings); clipping; the optimizers' sparse updates
(SparseApply* ops, ScatterSub, Adam's ScatterAdd), which leave the rows not looked up alone."""
import json
import pathlib
import warnings

import numpy as np
import pytest

import tfmini as tf
from optable import Row, rows_test
from tfmini.ops import training_ops

DATA = pathlib.Path(__file__).parent / "data"
GOLD = json.loads((DATA / "tf_indexed_slices.json").read_text())

# TF 1.x's warning for densifying an IndexedSlices whose dense shape is known only at run time (TF 2.21, where the
# goldens come from, dropped it; TF 1.15's framework/indexed_slices.py gives this text)
UNKNOWN_SHAPE_WARNING = ("Converting sparse IndexedSlices to a dense Tensor of unknown shape. This may consume a "
                         "large amount of memory.")


def _op_names():
    return {op.name for op in tf.get_default_graph().get_operations()}


def _ops_since(before, inputs=True):
    return [[op.name, op.type] + ([[t.name for t in op.inputs]] if inputs else [])
            for op in tf.get_default_graph().get_operations() if op.name not in before]


def _table():
    return tf.Variable(np.arange(30, dtype=np.float32).reshape(10, 3) / 10, name="E")


def _fields(v):
    return {k: np.asarray(getattr(v, k)).tolist() for k in v._fields}


# =========================================================================== the gradient of embedding_lookup
def test_lookup_gradient_is_an_indexed_slices_built_as_tensorflow_builds_it():
    gold = GOLD["lookup_grad"]
    tf.reset_default_graph()
    E = _table()
    before = _op_names()
    g = tf.gradients(tf.reduce_sum(tf.nn.embedding_lookup(E, [1, 1, 4])), E)[0]
    assert _ops_since(before) == gold["ops"]
    assert type(g).__name__ == gold["type"] and isinstance(g, tf.IndexedSlices)
    assert str(g) == gold["str"]
    assert (g.name, g.dtype.name, g.device, g.op.name) == (gold["name"], gold["dtype"], gold["device"], gold["op"])
    assert g.shape.as_list() == gold["shape"]
    assert [g.values.name, g.indices.name, g.dense_shape.name] == [gold["values"], gold["indices"],
                                                                  gold["dense_shape"]]
    assert g.graph is tf.get_default_graph()


def test_fetching_an_indexed_slices_gives_an_indexed_slices_value():
    gold = GOLD["lookup_grad"]
    tf.reset_default_graph()
    E = _table()
    g = tf.gradients(tf.reduce_sum(tf.nn.embedding_lookup(E, [1, 1, 4])), E)[0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        v = sess.run(g)
        nested = sess.run({"g": g, "values": g.values})
    assert type(v).__name__ == gold["fetched_type"] and isinstance(v, tf.IndexedSlicesValue)
    assert list(v._fields) == gold["fetched_fields"]
    assert _fields(v) == gold["fetched"]
    assert {k: getattr(v, k).dtype.name for k in v._fields} == gold["fetched_dtypes"]
    assert type(nested["g"]).__name__ == gold["nested_type"]
    np.testing.assert_array_equal(nested["values"], v.values)


def test_an_indexed_slices_without_dense_shape_fetches_none_for_it():
    tf.reset_default_graph()
    s = tf.IndexedSlices(tf.ones([2, 3]), tf.constant([0, 5]))
    assert str(s) == GOLD["no_dense_shape_str"]
    assert s.shape.ndims is None and GOLD["no_dense_shape_shape"] is None
    with tf.Session() as sess:
        v = sess.run(s)
    assert v.dense_shape is None and v.indices.tolist() == [0, 5]


def test_an_indexed_slices_is_fed_by_its_parts():
    tf.reset_default_graph()
    values = tf.placeholder(tf.float32, [None, 2])
    indices = tf.placeholder(tf.int32, [None])
    s = tf.IndexedSlices(values, indices, tf.constant([4, 2]))
    d = tf.convert_to_tensor(s)
    with tf.Session() as sess:
        got = sess.run(d, {s: tf.IndexedSlicesValue(np.ones([2, 2], np.float32), np.array([3, 3]), np.array([4, 2]))})
        assert got.tolist() == [[0, 0], [0, 0], [0, 0], [2, 2]]
        got = sess.run(d, {s: (np.ones([1, 2], np.float32), np.array([1]), np.array([4, 2]))})
        assert got.tolist() == [[0, 0], [1, 1], [0, 0], [0, 0]]
        with pytest.raises(TypeError, match="must be an IndexedSlicesValue or a tuple"):
            sess.run(d, {s: np.ones([2, 2])})


def test_gather_on_another_axis_has_a_dense_gradient():
    gold = GOLD["axis1"]
    tf.reset_default_graph()
    P = tf.constant(np.arange(12, dtype=np.float32).reshape(3, 4))
    g = tf.gradients(tf.reduce_sum(tf.gather(P, [0, 3, 3], axis=1)), P)[0]
    assert isinstance(g, tf.Tensor) and gold["type"] == "SymbolicTensor"
    with tf.Session() as sess:
        assert sess.run(g).tolist() == gold["value"]


def test_the_gradient_checker_takes_a_sparse_gradient():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float64, [5, 2])
    y = tf.gather(x, [4, 1, 4]) * tf.constant([[1.0], [2.0], [3.0]], tf.float64)
    with tf.Session():
        theoretical, numerical = tf.test.compute_gradient(x, [5, 2], y, [3, 2])
    np.testing.assert_allclose(theoretical, numerical, atol=1e-6)
    assert theoretical[8, 0] == 1.0 and theoretical[8, 4] == 3.0 and theoretical[2, 2] == 2.0


# =========================================================================== aggregation in tf.gradients
def test_two_sparse_gradients_concatenate():
    gold = GOLD["aggregate_sparse"]
    tf.reset_default_graph()
    E = _table()
    a = tf.reduce_sum(tf.nn.embedding_lookup(E, [1, 4]))
    b = tf.reduce_sum(tf.nn.embedding_lookup(E, [4, 2]) * 2.0)
    before = _op_names()
    g = tf.gradients(a + b, E)[0]
    assert _ops_since(before) == gold["ops"]
    assert type(g).__name__ == gold["type"] and str(g) == gold["str"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        v = sess.run(g)
    assert _fields(v) == gold["fetched"]
    assert {k: getattr(v, k).dtype.name for k in v._fields} == gold["fetched_dtypes"]


def test_a_sparse_and_a_dense_gradient_add_up_dense():
    gold = GOLD["aggregate_mixed"]
    tf.reset_default_graph()
    E = _table()
    a = tf.reduce_sum(tf.nn.embedding_lookup(E, [1, 4]))
    b = tf.reduce_sum(E * 3.0)
    before = _op_names()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the shape is known and small: no warning
        g = tf.gradients(a + b, E)[0]
    assert _ops_since(before) == gold["ops"]
    assert isinstance(g, tf.Tensor) and g.name == gold["name"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(g).tolist() == gold["value"]


def test_sparse_gradients_with_int32_and_int64_indices_concatenate_as_int64():
    tf.reset_default_graph()
    E = _table()
    a = tf.reduce_sum(tf.nn.embedding_lookup(E, tf.constant([1, 4], tf.int64)))
    b = tf.reduce_sum(tf.nn.embedding_lookup(E, tf.constant([4], tf.int32)))
    g = tf.gradients(a + b, E)[0]
    assert g.indices.dtype == tf.int64
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sorted(sess.run(g).indices.tolist()) == [1, 4, 4]


# =========================================================================== densifying
def test_convert_to_tensor_densifies_with_an_unsorted_segment_sum():
    gold = GOLD["densify_known"]
    tf.reset_default_graph()
    E = _table()
    g = tf.gradients(tf.reduce_sum(tf.nn.embedding_lookup(E, [1, 1, 4])), E)[0]
    before = _op_names()
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        d = tf.convert_to_tensor(g)
        m = tf.multiply(g, 2.0)
    assert [str(x.message) for x in w] == gold["warnings"]
    assert _ops_since(before) == gold["ops"]
    assert (d.name, d.shape.as_list(), m.name) == (gold["name"], gold["shape"], gold["mul_name"])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(d).tolist() == gold["value"]
        assert sess.run(m).tolist() == gold["mul"]


def test_densifying_an_unknown_shape_warns_as_tf1():
    gold = GOLD["densify_unknown"]
    tf.reset_default_graph()
    P = tf.placeholder(tf.float32, [None, 3], name="P")
    g = tf.gradients(tf.reduce_sum(tf.gather(P, [2, 0])), P)[0]
    assert g.shape.as_list() == [None, 3]
    with pytest.warns(UserWarning, match="^%s$" % UNKNOWN_SHAPE_WARNING.replace(".", r"\.")):
        d = tf.convert_to_tensor(g)
    assert d.shape.as_list() == gold["shape"]
    with tf.Session() as sess:
        assert sess.run(d, {P: np.ones([4, 3], np.float32)}).tolist() == gold["value"]


def test_densifying_a_large_dense_shape_warns():
    gold = GOLD["densify_large"]
    tf.reset_default_graph()
    big = tf.IndexedSlices(tf.ones([2, 10000]), tf.constant([0, 5]), tf.constant([10000, 10000]))
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        d = tf.convert_to_tensor(big)
    assert [str(x.message) for x in w] == gold["warnings"]
    assert d.shape.as_list() == gold["shape"]


def test_densifying_without_dense_shape_or_to_another_dtype_is_refused():
    tf.reset_default_graph()
    s = tf.IndexedSlices(tf.ones([2, 3]), tf.constant([0, 5]))
    # TF 1.x's wording (TF 2.21 says "... for IndexedSlices for argument `value` without dense_shape: ...")
    assert GOLD["no_dense_shape_error"].endswith("without dense_shape: " + str(s))
    with pytest.raises(ValueError, match=r"^Tensor conversion requested for IndexedSlices without dense_shape: "
                                         r"IndexedSlices\(indices=Tensor\(\"Const:0\""):
        tf.convert_to_tensor(s)
    t = tf.IndexedSlices(tf.ones([2, 3]), tf.constant([0, 5]), tf.constant([6, 3]))
    assert "int32" in GOLD["dtype_error"] and "float32" in GOLD["dtype_error"]
    with pytest.raises(ValueError, match="^Tensor conversion requested dtype int32 for Tensor with dtype float32: "):
        tf.convert_to_tensor(t, dtype=tf.int32)
    assert tf.convert_to_tensor_or_indexed_slices(t) is t


def test_negating_keeps_it_sparse():
    tf.reset_default_graph()
    s = -tf.IndexedSlices(tf.ones([2, 3]), tf.constant([0, 5]), tf.constant([6, 3]))
    assert isinstance(s, tf.IndexedSlices)
    with tf.Session() as sess:
        assert sess.run(s).values.tolist() == [[-1.0] * 3] * 2


def test_add_n_densifies_an_indexed_slices_as_its_input():
    gold = GOLD["add_n"]
    tf.reset_default_graph()
    E = _table()
    g = tf.gradients(tf.reduce_sum(tf.nn.embedding_lookup(E, [3, 0])), E)[0]
    before = _op_names()
    s = tf.add_n([g, tf.ones([10, 3])])
    assert _ops_since(before) == gold["ops"] and s.name == gold["name"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(s).tolist() == gold["value"]


def test_gate_graph_gates_the_values_and_keeps_the_gradient_sparse():
    gold = GOLD["gate_graph"]
    tf.reset_default_graph()
    E = _table()
    W = tf.Variable([[1.0, -2.0, 0.5]], name="W")
    loss = tf.reduce_sum(tf.nn.embedding_lookup(E, [1, 4]) * W)
    opt = tf.train.GradientDescentOptimizer(0.1)
    gv = opt.compute_gradients(loss, [E, W], gate_gradients=tf.train.Optimizer.GATE_GRAPH)
    assert isinstance(gv[0][0], tf.IndexedSlices) and isinstance(gv[1][0], tf.Tensor)
    assert [gv[0][0].values.name, gv[0][0].indices.name, gv[0][0].dense_shape.name, gv[1][0].name] == gold["names"]


def test_summaries_and_slim_take_the_sparse_gradient():
    tf.reset_default_graph()
    E = _table()
    gv = tf.train.GradientDescentOptimizer(0.1).compute_gradients(
        tf.reduce_sum(tf.nn.embedding_lookup(E, [1, 1, 4])), [E])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a known dense shape: densified without a warning
        h = tf.summary.histogram("g", gv[0][0])
    scaled = tf.contrib.slim.learning.multiply_gradients(gv, {E: 3.0})
    assert isinstance(scaled[0][0], tf.IndexedSlices)
    summaries = tf.contrib.slim.learning.add_gradients_summaries(gv)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(scaled[0][0]).values.tolist() == [[3.0] * 3] * 3
        sess.run([h] + summaries)


# =========================================================================== clipping
def test_clipping_keeps_sparse_gradients_sparse():
    gold = GOLD["clip"]
    tf.reset_default_graph()
    E = _table()
    W = tf.Variable([[1.0, -2.0], [0.5, 3.0]], name="W")
    loss = tf.reduce_sum(tf.square(tf.nn.embedding_lookup(E, [1, 1, 4]))) + tf.reduce_sum(W * W)
    gE, gW = tf.gradients(loss, [E, W])
    clipped, norm = tf.clip_by_global_norm([gE, gW, None], 2.0)
    by_norm = tf.clip_by_norm(gE, 0.5)
    gn = tf.global_norm([gE, gW])
    types = {"IndexedSlices": tf.IndexedSlices, "SymbolicTensor": tf.Tensor, "NoneType": type(None)}
    assert all(isinstance(t, types[k]) for t, k in zip(clipped, gold["types"]))
    assert [clipped[0].values.name, clipped[0].indices.name, clipped[0].dense_shape.name] == gold["clipped_E_names"]
    assert isinstance(by_norm, tf.IndexedSlices) and gold["by_norm_type"] == "IndexedSlices"
    assert [by_norm.values.name, by_norm.indices.name] == gold["by_norm_names"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        c = sess.run(clipped[:2])
        np.testing.assert_allclose(sess.run(norm), gold["norm"], rtol=1e-6)
        np.testing.assert_allclose(sess.run(gn), gold["global_norm"], rtol=1e-6)
        bn = sess.run(by_norm)
    for k, want in gold["clipped_E"].items():
        np.testing.assert_allclose(getattr(c[0], k), want, rtol=1e-6)
    np.testing.assert_allclose(c[1], gold["clipped_W"], rtol=1e-6)
    for k, want in gold["by_norm"].items():
        np.testing.assert_allclose(getattr(bn, k), want, rtol=1e-6)


# =========================================================================== the optimizers' sparse updates
OPTIMIZERS = {
    "gd": lambda: tf.train.GradientDescentOptimizer(0.1),
    "momentum": lambda: tf.train.MomentumOptimizer(0.1, 0.9),
    "nesterov": lambda: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
    "adagrad": lambda: tf.train.AdagradOptimizer(0.1),
    "rmsprop": lambda: tf.train.RMSPropOptimizer(0.01, momentum=0.5),
    "rmsprop_centered": lambda: tf.train.RMSPropOptimizer(0.01, momentum=0.5, centered=True),
    "adam": lambda: tf.train.AdamOptimizer(0.1),
    "adadelta": lambda: tf.train.AdadeltaOptimizer(1.0),
}
FEEDS = [[1, 1, 4], [0, 1, 2], [4, 4, 4, 7]]  # repeated ids: their slices are summed before the update


@pytest.mark.parametrize("key", sorted(OPTIMIZERS))
def test_optimizer_updates_only_the_looked_up_rows_as_tensorflow(key):
    gold = GOLD["optimizers"][key]
    tf.reset_default_graph()
    E = _table()
    ids = tf.placeholder(tf.int32, [None], name="ids")
    loss = tf.reduce_sum(tf.square(tf.nn.embedding_lookup(E, ids) - 0.5))
    opt = OPTIMIZERS[key]()
    grads_and_vars = opt.compute_gradients(loss, [E])
    assert isinstance(grads_and_vars[0][0], tf.IndexedSlices)
    before = _op_names()
    train = opt.apply_gradients(grads_and_vars)
    assert _ops_since(before, inputs=False) == gold["ops"]
    assert train.name == gold["train"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for f, want in zip(FEEDS, gold["values"]):
            sess.run(train, {ids: f})
            np.testing.assert_allclose(sess.run(E), want, rtol=2e-6, atol=1e-7, err_msg=key)
        for name, want in gold["slots"].items():
            np.testing.assert_allclose(sess.run(opt.get_slot(E, name)), want, rtol=2e-6, atol=1e-7,
                                       err_msg="%s/%s" % (key, name))


def test_momentum_leaves_rows_not_in_the_batch_alone():
    tf.reset_default_graph()
    E = tf.Variable(np.ones([10, 3], np.float32))
    opt = tf.train.MomentumOptimizer(0.1, 0.9)
    train = opt.minimize(tf.reduce_sum(tf.nn.embedding_lookup(E, [0, 1, 2]) * tf.constant([0., 1., 2.])))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train)
        np.testing.assert_allclose(sess.run(E), GOLD["momentum_ones"], rtol=1e-6)


def test_a_constraint_on_a_sparsely_updated_variable_is_refused():
    tf.reset_default_graph()
    E = tf.Variable(np.ones([4, 2], np.float32), constraint=lambda v: v)
    loss = tf.reduce_sum(tf.nn.embedding_lookup(E, [0, 2]))
    with pytest.raises(RuntimeError, match="^Cannot use a constraint function on a sparse variable.$"):
        tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss)


# =========================================================================== the SparseApply* ops
W0 = np.arange(15, dtype=np.float32).reshape(5, 3) / 10 - 0.4
G = np.array([[0.1, -0.2, 0.3], [-0.4, 0.5, 0.6], [0.7, -0.1, 0.2]], np.float32)
IDX = np.array([3, 0, 3], np.int32)  # row 3 twice: applied once per occurrence, in order


def _rows(update, slot_init):
    """numpy reference: `update(row_and_slot_rows..., g)` applied per index, in order."""
    def expect(np_):
        arrays = [W0.copy()] + [np.full_like(W0, v) for v in slot_init]
        for g, i in zip(G, IDX):
            rows = [a[i].copy() for a in arrays]
            update(*rows, g)
            for a, r in zip(arrays, rows):
                a[i] = r
        return arrays[0]
    return expect


def _build(fn, slot_init, before, after=(), **kw):
    def build(tf):
        var = tf.Variable(W0, name="w")
        slots = [tf.Variable(np.full_like(W0, v), name="s%d" % k) for k, v in enumerate(slot_init)]
        return fn(var, *slots, *before, tf.constant(G), tf.constant(IDX), *after, **kw)
    return build


def _momentum(lr, mom, nesterov=False):
    def update(v, a, g):
        a *= mom
        a += g
        v -= g * lr + a * mom * lr if nesterov else lr * a
    return update


def _adagrad(v, a, g):
    a += g * g
    v -= 0.5 * g / np.sqrt(a)


def _rmsprop(v, s, m, g):
    s[:] = s * 0.9 + g * g * 0.1
    m[:] = m * 0.5 + 0.01 * g / np.sqrt(s + 1e-10)
    v -= m


def _centered(v, mg, s, m, g):
    s[:] = s * 0.9 + g * g * 0.1
    mg[:] = mg * 0.9 + g * 0.1
    m[:] = m * 0.5 + 0.01 * g / np.sqrt(s - mg * mg + 1e-10)
    v -= m


def _adadelta(v, a, au, g):
    a[:] = a * 0.95 + 0.05 * g * g
    step = np.sqrt(au + 1e-6) / np.sqrt(a + 1e-6) * g
    au[:] = au * 0.95 + 0.05 * step * step
    v -= step * 1.0


CASES = [
    Row("SparseApplyMomentum", _build(training_ops.sparse_apply_momentum, [0.5], [0.1], [0.9]),
        _rows(_momentum(0.1, 0.9), [0.5]), rtol=1e-5),
    Row("SparseApplyMomentum", _build(training_ops.sparse_apply_momentum, [0.5], [0.1], [0.9], use_nesterov=True),
        _rows(_momentum(0.1, 0.9, True), [0.5]), id="SparseApplyMomentum-nesterov", rtol=1e-5),
    Row("SparseApplyAdagrad", _build(training_ops.sparse_apply_adagrad, [0.1], [0.5]), _rows(_adagrad, [0.1]),
        rtol=1e-5),
    Row("SparseApplyRMSProp", _build(training_ops.sparse_apply_rms_prop, [1.0, 0.0], [0.01, 0.9, 0.5, 1e-10]),
        _rows(_rmsprop, [1.0, 0.0]), rtol=1e-5),
    Row("SparseApplyCenteredRMSProp", _build(training_ops.sparse_apply_centered_rms_prop, [0.0, 1.0, 0.0],
                                             [0.01, 0.9, 0.5, 1e-10]), _rows(_centered, [0.0, 1.0, 0.0]), rtol=1e-5),
    Row("SparseApplyAdadelta", _build(training_ops.sparse_apply_adadelta, [0.0, 0.0], [1.0, 0.95, 1e-6]),
        _rows(_adadelta, [0.0, 0.0]), rtol=1e-5),
]
test_row = rows_test(CASES)


def test_sparse_apply_refuses_an_index_out_of_range():
    tf.reset_default_graph()
    w = tf.Variable(W0, name="w")
    a = tf.Variable(np.zeros_like(W0), name="a")
    upd = training_ops.sparse_apply_momentum(w, a, 0.1, tf.constant(G), tf.constant([1, 7, 2]), 0.9)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError, match="Index 7 at offset 1 in indices is out of range"):
            sess.run(upd)


def test_sparse_apply_shape_errors_at_graph_build():
    tf.reset_default_graph()
    w = tf.Variable(W0, name="w")
    a = tf.Variable(np.zeros_like(W0), name="a")
    with pytest.raises(ValueError, match=r"^Dimension 1 in both shapes must be equal, but are 3 and 2\. Shapes are "
                                         r"\[5,3\] and \[\?,2\]\. for 'SparseApplyMomentum'"):
        training_ops.sparse_apply_momentum(w, a, 0.1, tf.ones([3, 2]), tf.constant([1, 0, 2]), 0.9)
    with pytest.raises(ValueError, match="^Dimensions must be equal, but are 2 and 3 for 'SparseApplyMomentum_1'"):
        training_ops.sparse_apply_momentum(w, a, 0.1, tf.ones([3, 3]), tf.constant([1, 0]), 0.9)
    with pytest.raises(ValueError, match="Shape must be rank 1 but is rank 2"):
        training_ops.sparse_apply_adagrad(w, a, 0.1, tf.ones([3, 3]), tf.constant([[1, 0, 2]]))
