"""SparseToDense, SparseTensorDenseMatMul, SparseReduceSum, the SparseSegment reductions, EditDistance,
tf.SparseTensor and tf.nn.embedding_lookup_sparse: values against numpy and TF 2.21 (tests/data/tf_sparse_ops.json
and tf_edit_distance.json, from tests/data/gen/sparse_ops.py and edit_distance.py), gradients by finite differences,
feeding and fetching sparse values, TF's errors."""
import importlib.util
import json
import pathlib

import numpy as np
import pytest

import tfmini as tf
from gradcheck import GradRow, grad_rows_test
from optable import Row, rows_test

A_IDX = np.array([[0, 1], [1, 0], [1, 2], [2, 2]], np.int64)
A_VAL = np.array([2.0, -1.0, 3.0, 0.5], np.float32)
A_DENSE = np.zeros((3, 4), np.float32)
A_DENSE[tuple(A_IDX.T)] = A_VAL
B = np.arange(8, dtype=np.float32).reshape(4, 2) - 3


def _sp(tf, values=A_VAL):
    return tf.SparseTensor(A_IDX, values, [3, 4])


CASES = [
    Row("SparseToDense", lambda tf: tf.sparse_to_dense([[0, 1], [2, 0]], [3, 4], [5.0, 6.0], 0.5),
        np.array([[0.5, 5, 0.5, 0.5], [0.5] * 4, [6, 0.5, 0.5, 0.5]], np.float32), id="SparseToDense-matrix"),
    Row("SparseToDense", lambda tf: tf.sparse_to_dense([1, 3], [5], 1.0), np.array([0, 1, 0, 1, 0], np.float32),
        id="SparseToDense-vector-scalar-value"),
    Row("SparseToDense", lambda tf: tf.sparse_to_dense(tf.constant([[0, 1], [0, 1]], tf.int64),
                                                       tf.constant([2, 2], tf.int64), [5, 6], validate_indices=False),
        np.array([[0, 6], [0, 0]], np.int32), id="SparseToDense-repeated-unvalidated-int64"),
    Row("SparseToDense", lambda tf: tf.sparse.to_dense(_sp(tf)), A_DENSE, id="SparseToDense-sparse-to-dense"),
    Row("SparseToDense", lambda tf: (lambda p: (tf.sparse_to_dense([[1]], p, 2.0), {p: [3]}))(
        tf.placeholder(tf.int32, [None])), np.array([0, 2, 0], np.float32), id="SparseToDense-fed-shape"),
    Row("SparseTensorDenseMatMul", lambda tf: tf.sparse_tensor_dense_matmul(_sp(tf), B), A_DENSE @ B,
        id="SparseTensorDenseMatMul"),
    Row("SparseTensorDenseMatMul", lambda tf: tf.sparse.matmul(_sp(tf), np.ones((3, 5), np.float32), adjoint_a=True),
        A_DENSE.T @ np.ones((3, 5), np.float32), id="SparseTensorDenseMatMul-adjoint-a"),
    Row("SparseTensorDenseMatMul", lambda tf: tf.sparse.sparse_dense_matmul(_sp(tf), B.T, adjoint_b=True),
        A_DENSE @ B, id="SparseTensorDenseMatMul-adjoint-b"),
    Row("SparseTensorDenseMatMul", lambda tf: tf.sparse_tensor_dense_matmul(
        tf.SparseTensor([[0, 0], [0, 0]], [1.0, 2.0], [1, 2]), [[1.0], [5.0]]), np.array([[3.0]], np.float32),
        id="SparseTensorDenseMatMul-repeated-index-adds"),
]
DATA = np.arange(12.0).reshape(4, 3)
CASES += [
    Row("SparseReduceSum", lambda tf: tf.sparse_reduce_sum(_sp(tf)), np.float32(A_VAL.sum()), id="SparseReduceSum-all"),
    Row("SparseReduceSum", lambda tf: tf.sparse.reduce_sum(_sp(tf), axis=-1, keepdims=True),
        A_DENSE.sum(1, keepdims=True), id="SparseReduceSum-keepdims"),
    Row("SparseReduceSum", lambda tf: (lambda p: (tf.sparse_reduce_sum(tf.SparseTensor(A_IDX, A_VAL, p), 0),
                                                  {p: [3, 4]}))(tf.placeholder(tf.int64, [2])),
        A_DENSE.sum(0), id="SparseReduceSum-fed-shape"),
    Row("SparseSegmentSum", lambda tf: tf.sparse_segment_sum(DATA, [0, 2, 0], [0, 0, 1]),
        np.array([DATA[0] + DATA[2], DATA[0]]), id="SparseSegmentSum"),
    Row("SparseSegmentMean", lambda tf: tf.sparse.segment_mean(DATA, [0, 1, 2], [0, 0, 2]),
        np.array([(DATA[0] + DATA[1]) / 2, np.zeros(3), DATA[2]]), id="SparseSegmentMean"),
    Row("SparseSegmentSqrtN", lambda tf: tf.sparse.segment_sqrt_n(DATA, tf.constant([0, 1, 3], tf.int64), [1, 1, 2]),
        np.array([np.zeros(3), (DATA[0] + DATA[1]) / np.sqrt(2), DATA[3]]), id="SparseSegmentSqrtN"),
]


def _words(tf, words):
    """A TF 1.x cookbook's character SparseTensor: word i's letters at [i, 0, j]."""
    return tf.SparseTensor([[i, 0, j] for i, w in enumerate(words) for j, _ in enumerate(w)], list("".join(words)),
                           [len(words), 1, 1])


def _edit_distance_fed(tf):
    p, q = tf.sparse_placeholder(tf.int64), tf.sparse_placeholder(tf.int64)
    feeds = {p: tf.SparseTensorValue([[0, 0], [0, 1], [1, 0]], [7, 8, 9], [2, 2]),
             q: tf.SparseTensorValue([[0, 0], [1, 0], [1, 1]], [7, 9, 9], [2, 2])}
    return tf.edit_distance(p, q), feeds


CASES += [
    Row("EditDistance", lambda tf: tf.edit_distance(_words(tf, ["bear"]), _words(tf, ["beers"]), normalize=False),
        np.array([[2.0]], np.float32), id="EditDistance-strings"),
    Row("EditDistance", lambda tf: tf.edit_distance(_words(tf, ["bear", "tensor"]), _words(tf, ["beers"] * 2)),
        np.array([[2 / 5], [5 / 5]], np.float32), id="EditDistance-strings-normalized"),
    Row("EditDistance", lambda tf: tf.edit_distance(tf.SparseTensor([[0, 0], [0, 1], [2, 0]], [1, 2, 3], [3, 2]),
                                                    tf.SparseTensor([[0, 0], [1, 0]], [1, 5], [2, 3])),
        np.array([1.0, 1.0, np.inf], np.float32), id="EditDistance-groups-on-one-side-only"),
    Row("EditDistance", _edit_distance_fed, np.array([1.0, 0.5], np.float32),
        id="EditDistance-fed-sparse-placeholders"),
]
test_row = rows_test(CASES)


def _sp_matmul(tf, values, b, **kw):
    return tf.sparse_tensor_dense_matmul(tf.SparseTensor(A_IDX, values, [3, 4]), b, **kw)


GRAD_CASES = [
    GradRow("SparseToDense", lambda tf, v, d: tf.sparse_to_dense([[0, 1], [2, 0]], [3, 2], v, d), [(2,), ()],
            id="SparseToDense"),
    GradRow("SparseToDense", lambda tf, v: tf.sparse_to_dense([0, 2], [4], v, 0.0), [()],
            id="SparseToDense-one-value"),
    GradRow("SparseTensorDenseMatMul", lambda tf, v, b: _sp_matmul(tf, v, b), [(4,), (4, 2)],
            id="SparseTensorDenseMatMul"),
    GradRow("SparseTensorDenseMatMul", lambda tf, v, b: _sp_matmul(tf, v, b, adjoint_a=True, adjoint_b=True),
            [(4,), (2, 3)], id="SparseTensorDenseMatMul-adjoints"),
]
GRAD_CASES += [
    GradRow("SparseReduceSum", lambda tf, v: tf.sparse_reduce_sum(tf.SparseTensor(A_IDX, v, [3, 4]), 1), [(4,)],
            id="SparseReduceSum"),
    GradRow("SparseReduceSum", lambda tf, v: tf.sparse_reduce_sum(tf.SparseTensor(A_IDX, v, [3, 4]), [0, 1],
                                                                  keepdims=True), [(4,)], id="SparseReduceSum-all"),
    GradRow("SparseSegmentSum", lambda tf, d: tf.sparse_segment_sum(d, [0, 2, 0], [0, 0, 1]), [(3, 2)],
            id="SparseSegmentSum"),
    GradRow("SparseSegmentMean", lambda tf, d: tf.sparse_segment_mean(d, [0, 1, 1], [0, 0, 2]), [(3, 2)],
            id="SparseSegmentMean"),
    GradRow("SparseSegmentSqrtN", lambda tf, d: tf.sparse_segment_sqrt_n(d, [2, 1, 2], [1, 1, 1]), [(3, 2)],
            id="SparseSegmentSqrtN"),
]
test_grad_row = grad_rows_test(GRAD_CASES)


# =========================================================================== against TF 2.21
def test_embedding_lookup_sparse_reduce_sum_and_matmul_as_tf():
    """The generator's own graph-building function, run by tfmini: names, static shapes, values, gradients."""
    gen = pathlib.Path(__file__).parent / "data" / "gen" / "sparse_ops.py"
    spec = importlib.util.spec_from_file_location("gen_sparse_ops", gen)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # defines build(tf); TensorFlow is imported only when run as a script
    golden = json.loads((pathlib.Path(__file__).parent / "data" / "tf_sparse_ops.json").read_text())
    tf.reset_default_graph()
    outs, grads = module.build(tf)
    with tf.Session() as sess:
        vals = sess.run(outs + grads)
    assert [o.name for o in outs] == golden["names"]
    assert [o.shape.as_list() if o.shape.ndims is not None else None for o in outs] == golden["shapes"]
    for got, want in zip(vals, golden["values"] + golden["grads"]):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_edit_distance_as_tf():
    """tests/data/gen/edit_distance.py's cases, built by tfmini: names, static shapes, dtypes, values (inf too)."""
    from conftest import load_generator
    gen = load_generator("edit_distance")
    golden = json.loads((pathlib.Path(__file__).parent / "data" / "tf_edit_distance.json").read_text())
    assert sorted(golden) == sorted(case_id for case_id, _, _ in gen.CASES)
    for case_id, source, feeds in gen.CASES:
        tf.reset_default_graph()
        result, feed_dict = gen.build(tf, source, feeds)
        want = golden[case_id]
        assert (result.name, result.dtype.name) == (want["name"], want["dtype"]), case_id
        assert (None if result.shape.ndims is None else result.shape.as_list()) == want["shape"], case_id
        with tf.Session() as sess:
            np.testing.assert_allclose(sess.run(result, feed_dict), np.array(want["value"], np.float32), rtol=1e-6,
                                       err_msg=case_id)


def test_edit_distance_build_errors_and_no_gradient():
    tf.reset_default_graph()
    ints = tf.SparseTensor([[0, 0]], [1], [1, 2])
    with pytest.raises(TypeError, match=r"^Hypothesis must be a SparseTensor\.$"):
        tf.edit_distance([1], ints)
    with pytest.raises(TypeError, match=r"^Truth must be a SparseTensor\.$"):
        tf.edit_distance(ints, tf.constant([1]))
    with pytest.raises(TypeError, match=r"^Input 'truth_values' of 'EditDistance' Op has type float32 that does not "
                                        r"match type int32 of argument 'hypothesis_values'\.$"):
        tf.edit_distance(ints, tf.SparseTensor([[0, 0]], [1.0], [2, 3]))
    # (the TypeError above was raised inside the op's name scope, which TF counts as used too)
    with pytest.raises(ValueError, match=r"^Num elements of hypothesis_shape does not match truth_shape: 2 vs\. 3 for "
                                         r"'edit_distance_1' \(op: 'EditDistance'\) with input shapes: \[1,2\], \[1\], "
                                         r"\[2\], \[1,3\], \[1\], \[3\] and with computed input tensors: "
                                         r"input\[2\] = <1 2>, input\[5\] = <2 3 1>\."):
        tf.edit_distance(ints, tf.SparseTensor([[0, 0, 0]], [1], [2, 3, 1]))
    values = tf.placeholder(tf.float32, [2])
    h = tf.SparseTensor([[0, 0], [0, 1]], values, [1, 2])
    d = tf.edit_distance(h, tf.SparseTensor([[0, 0]], [1.0], [1, 2]), name="dist")
    assert (d.op.type, d.name, d.op.get_attr("normalize"), d.shape.as_list()) == ("EditDistance", "dist:0", True, [1])
    assert tf.gradients(d, values) == [None]


@pytest.mark.parametrize("hypothesis, truth, message", [
    (([[0]], [1], [1]), ([[0]], [1], [1]), "Input SparseTensors must have rank at least 2, but truth_shape rank is: 1"),
    (([[0, 0]], [1], [1, 1]), ([[0, 0, 0]], [1], [1, 1, 1]),
     r"Expected truth and hypothesis to have matching ranks, but their shapes are: \[3\] and \[2\]"),
    ((np.zeros((0, 2), np.int64), np.zeros(0, np.int32), [0, 1]),
     (np.zeros((0, 2), np.int64), np.zeros(0, np.int32), [0, 1]), r"Got output shape \[0\] which has 0 elements"),
])
def test_edit_distance_run_errors(hypothesis, truth, message):
    tf.reset_default_graph()
    p, q = tf.sparse_placeholder(tf.int32), tf.sparse_placeholder(tf.int32)
    d = tf.edit_distance(p, q)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            sess.run(d, {p: tf.SparseTensorValue(*hypothesis), q: tf.SparseTensorValue(*truth)})


def test_embedding_lookup_sparse_arguments():
    tf.reset_default_graph()
    ids = tf.SparseTensor([[0, 0]], tf.constant([1], tf.int64), [1, 1])
    with pytest.raises(ValueError, match="combiner must be one of 'mean', 'sqrtn' or 'sum'"):
        tf.nn.embedding_lookup_sparse(tf.eye(3), ids, None, combiner="max")
    with pytest.raises(TypeError, match="sp_ids must be SparseTensor"):
        tf.nn.embedding_lookup_sparse(tf.eye(3), [[1]], None)
    with pytest.raises(TypeError, match="sp_weights must be either None or SparseTensor"):
        tf.nn.embedding_lookup_sparse(tf.eye(3), ids, [1.0])
    out = tf.nn.embedding_lookup_sparse([tf.eye(4)[:2], tf.eye(4)[2:]], ids, None, partition_strategy="div")
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(out), [[0, 1, 0, 0]])


# =========================================================================== SparseTensor
def test_sparse_tensor_parts_and_static_shape():
    tf.reset_default_graph()
    st = tf.SparseTensor(indices=[[0, 0], [1, 2]], values=[1.0, 2.0], dense_shape=[3, 4])
    assert st.indices.name == "SparseTensor/indices:0" and st.indices.dtype == tf.int64
    assert st.values.name == "SparseTensor/values:0" and st.dense_shape.name == "SparseTensor/dense_shape:0"
    assert st.dtype == tf.float32 and st.op is st.values.op
    assert st.shape.as_list() == [3, 4] and st.get_shape().as_list() == [3, 4]
    assert tf.SparseTensor(st.indices, st.values, tf.placeholder(tf.int64, [2])).shape.as_list() == [None, None]
    with tf.Session() as sess:
        v = sess.run(st)
        assert isinstance(v, tf.SparseTensorValue)
        assert v.indices.tolist() == [[0, 0], [1, 2]] and v.values.tolist() == [1.0, 2.0]
        assert v.dense_shape.tolist() == [3, 4]
        assert st.eval(session=sess).values.dtype == np.float32
        fetched = sess.run({"sp": st, "n": [st.values]})
        assert fetched["sp"].dense_shape.tolist() == [3, 4] and fetched["n"][0].tolist() == [1.0, 2.0]
        back = tf.SparseTensor.from_value(v)
        np.testing.assert_array_equal(sess.run(tf.sparse.to_dense(back)), [[1, 0, 0, 0], [0, 0, 2, 0], [0] * 4])


def test_sparse_tensor_rank_checks():
    tf.reset_default_graph()
    with pytest.raises(ValueError, match=r"^Shape \(2,\) must have rank 2$"):
        tf.SparseTensor([0, 1], [1.0, 2.0], [3])
    with pytest.raises(ValueError, match="^Dimensions 2 and 3 are not compatible$"):
        tf.SparseTensor([[0], [1]], [1.0, 2.0, 3.0], [3])
    with pytest.raises(ValueError, match="^Dimensions 2 and 1 are not compatible$"):
        tf.SparseTensor([[0, 1]], [1.0], [3])


def test_sparse_placeholder_feeds_a_value_or_a_tuple():
    tf.reset_default_graph()
    sp = tf.sparse_placeholder(tf.float32, name="sp")
    assert [sp.indices.name, sp.values.name, sp.dense_shape.name] == ["sp/indices:0", "sp/values:0", "sp/shape:0"]
    assert sp.shape.ndims is None
    known = tf.sparse_placeholder(tf.float32, shape=[None, 4])
    assert known.shape.as_list() == [None, 4] and known.dense_shape.op.type == "PlaceholderWithDefault"
    dense = tf.sparse.to_dense(sp)
    prod = tf.sparse_tensor_dense_matmul(sp, B)
    with tf.Session() as sess:
        value = tf.SparseTensorValue(A_IDX, A_VAL, [3, 4])
        np.testing.assert_array_equal(sess.run(dense, {sp: value}), A_DENSE)
        got = sess.run([prod, sp], {sp: (A_IDX, A_VAL, np.array([3, 4]))})
        np.testing.assert_allclose(got[0], A_DENSE @ B)
        assert isinstance(got[1], tf.SparseTensorValue) and got[1].values.tolist() == A_VAL.tolist()
        with pytest.raises(TypeError, match="must be a SparseTensorValue or a tuple"):
            sess.run(dense, {sp: A_DENSE})


def test_sparse_reduce_sum():
    tf.reset_default_graph()
    st = _sp(tf)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(tf.sparse_reduce_sum(st)), A_VAL.sum())
        np.testing.assert_allclose(sess.run(tf.sparse.reduce_sum(st, axis=1)), A_DENSE.sum(1))
        np.testing.assert_allclose(sess.run(tf.sparse_reduce_sum(st, 0, keepdims=True)), A_DENSE.sum(0, keepdims=True))


def test_sparse_matmul_static_shapes():
    tf.reset_default_graph()
    assert tf.sparse_tensor_dense_matmul(_sp(tf), tf.placeholder(tf.float32, [4, None])).shape.as_list() == [3, None]
    assert tf.sparse_tensor_dense_matmul(_sp(tf), tf.zeros([3, 2]), adjoint_a=True).shape.as_list() == [4, 2]
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 4 and 3"):
        tf.sparse_tensor_dense_matmul(_sp(tf), tf.zeros([3, 2]))
    with pytest.raises(TypeError, match="Input must be a SparseTensor."):
        tf.sparse_tensor_dense_matmul(A_DENSE, B)


# =========================================================================== run-time errors, TF's wording
@pytest.mark.parametrize("args, message", [
    (([[0, 1], [0, 1]], [3, 4], [5.0, 6.0]), r"indices\[1\] = \[0,1\] is repeated"),
    (([[2, 0], [0, 1]], [3, 4], [5.0, 6.0]), r"indices\[1\] = \[0,1\] is out of order. Many sparse ops require "
                                             r"sorted indices.\n    Use `tf.sparse.reorder`"),
    (([[0, 5]], [3, 4], [5.0]), r"indices\[0\] = \[0,5\] is out of bounds: need 0 <= index < \[3,4\]"),
    (([1, 7], [6], 1.0), r"indices\[1\] = \[7\] is out of bounds: need 0 <= index < \[6\]"),
    (([[0, 1], [1, 1]], [3, 4], [5.0, 6.0, 7.0]), r"sparse_values has incorrect shape \[3\], should be \[\] or \[2\]"),
    (([[0, 1, 2]], [3, 4], [5.0]), "output_shape has incorrect number of elements: 2 should be: 3"),
    (([[[1]]], [6], 1.0), r"sparse_indices should be a scalar, vector, or matrix, got shape \[1,1,1\]"),
    (([1], [6], [1.0], [1.0]), "default_value should be a scalar."),
])
def test_sparse_to_dense_run_errors(args, message):
    tf.reset_default_graph()
    t = tf.sparse_to_dense(*args)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            sess.run(t)


def test_sparse_to_dense_build_errors():
    tf.reset_default_graph()
    with pytest.raises(ValueError, match="Shape must be rank 1 but is rank 2"):
        tf.sparse_to_dense([[0, 1]], [[3, 4]], [1.0])
    with pytest.raises(TypeError, match="Input 'output_shape' of 'SparseToDense' Op has type int64 that does not "
                                        "match type int32 of argument 'sparse_indices'."):
        tf.sparse_to_dense(tf.constant([[1], [2]]), tf.placeholder(tf.int64, [None]), 1.0)


@pytest.mark.parametrize("make, message", [
    (lambda: tf.sparse.segment_sum(DATA, [0, 5], [0, 1]), r"Bad: indices\[1\] == 5 out of range \[0, 4\)"),
    (lambda: tf.sparse.segment_sum(DATA, [0, 1], [1, 0]), "segment ids are not increasing"),
    (lambda: tf.sparse_reduce_sum(_sp(tf), tf.constant(2) + 1), "Invalid reduction dimension 3, for input with 2 "
                                                                 "dimensions."),
])
def test_sparse_segment_and_reduce_run_errors(make, message):
    tf.reset_default_graph()
    t = make()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            sess.run(t)


def test_sparse_segment_build_errors():
    tf.reset_default_graph()
    with pytest.raises(ValueError, match="Dimension 0 in both shapes must be equal, but are 2 and 3. Shapes are "
                                         r"\[2\] and \[3\]. for .*SparseSegmentSum"):
        tf.sparse.segment_sum(DATA, [0, 1], [0, 1, 2])
    # TF's shape function wraps an axis out of range (2 of 2 dimensions reduces axis 0): the run reports it
    assert tf.sparse_reduce_sum(_sp(tf), 2).shape.as_list() == [4]
    assert tf.sparse_reduce_sum(_sp(tf), -3).shape.as_list() == [3, 4]


@pytest.mark.parametrize("sp, b, adjoint_a, message", [
    ([[0, 7]], np.ones((3, 1)), False, r"k \(7\) from index\[0,1\] out of bounds \(>=3\)"),
    ([[5, 1]], np.ones((3, 1)), False, r"m \(5\) from index\[0,0\] out of bounds \(>=2\)"),
    ([[5, 1]], np.ones((2, 1)), True, r"k \(5\) from index\[0,0\] out of bounds \(>=2\)"),
])
def test_sparse_matmul_indices_out_of_bounds(sp, b, adjoint_a, message):
    tf.reset_default_graph()
    t = tf.sparse_tensor_dense_matmul(tf.SparseTensor(sp, [1.0], [2, 3]), tf.constant(b, tf.float32),
                                      adjoint_a=adjoint_a)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            sess.run(t)


def test_sparse_matmul_index_out_of_bounds():
    tf.reset_default_graph()
    t = tf.sparse_tensor_dense_matmul(tf.SparseTensor([[0, 7]], [1.0], [2, 3]), tf.ones([3, 1]))
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"k \(7\) from index\[0,1\] out of bounds \(>=3\)"):
            sess.run(t)


def test_sparse_namespace():
    assert tf.sparse.SparseTensor is tf.SparseTensor and tf.sparse.to_dense is tf.sparse_tensor_to_dense
    assert tf.sparse.placeholder is tf.sparse_placeholder and tf.sparse.segment_sum is tf.sparse_segment_sum
    with pytest.raises(AttributeError, match=r"^module 'tfmini\.sparse' has no attribute 'reorder': "
                                             r"tf\.sparse\.reorder is TensorFlow 1\.x API that tfmini does not"):
        tf.sparse.reorder  # noqa: B018
