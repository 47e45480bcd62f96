"""Writes tests/data/tf_indexing_ops.json: what TensorFlow 2.21 (tf.compat.v1, v2 behaviour off) gives for the
indexing ops (gather_nd, scatter_nd, tensor_scatter_nd_*, unique, segment reductions, where_v2, identity_n, meshgrid,
multinomial, random_crop, scatter updates of variables). Each case is a source text that sets `out` (a Tensor or a
list of them) from `tf` and `np`; recorded are the static shapes and dtypes, the graph's node names and types, the
values (not for random ops), or the error class and message at build or run time. tests/test_array_ops.py
runs the same text on tfmini.

Run with a TensorFlow install: /tmp/tfvenv/bin/python tests/data/gen/indexing_ops.py
"""
import json
import pathlib

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
OUT = pathlib.Path(__file__).resolve().parent.parent / "tf_indexing_ops.json"

P = "p = tf.placeholder(tf.float32, [None, 3, 4]); "
CASES = {
    # values and static shapes
    "gather_nd": "out = tf.gather_nd(np.arange(24.).reshape(2, 3, 4), [[[1, 2], [0, 0]], [[1, 0], [0, 2]]])",
    "gather_nd-slices": "out = tf.gather_nd([[1, 2], [3, 4], [5, 6]], [[2], [0]])",
    "gather_nd-empty-index": "out = tf.gather_nd(tf.zeros([2, 3]), tf.zeros([4, 0], tf.int32))",
    "gather_nd-unknown": P + "out = tf.gather_nd(p, tf.placeholder(tf.int32, [5, None, 2]))",
    "gather_nd-unknown-depth": P + "out = tf.gather_nd(p, tf.placeholder(tf.int64, [5, None]))",
    "scatter_nd": "out = tf.scatter_nd([[1], [3], [1]], [9., 10., 11.], [5])",
    "scatter_nd-rows-int": "out = tf.scatter_nd([[0], [2]], [[1, 2, 3], [4, 5, 6]], tf.constant([3, 3]))",
    "scatter_nd-unknown": "out = tf.scatter_nd(tf.placeholder(tf.int32, [None, 1]), tf.placeholder(tf.float32, "
                          "[None, 3]), tf.placeholder(tf.int32, [2]))",
    "tensor_scatter_nd_update": "out = tf.tensor_scatter_nd_update([[1, 2], [3, 4], [5, 6]], [[0, 1], [2, 0]], "
                                "[-1, -2])",
    "tensor_scatter_nd_add": "out = tf.tensor_scatter_nd_add(tf.ones([3, 2]), [[0], [0]], [[1., 2.], [3., 4.]])",
    "tensor_scatter_sub": "out = tf.tensor_scatter_sub(tf.ones([3, 2]), [[0, 1]], [5.])",
    "unique": "out = list(tf.unique([3, 1, 3, 2, 1]))",
    "unique-int64-idx": "out = list(tf.unique([2., 2., -1.], out_idx=tf.int64))",
    "unique-unknown": "out = list(tf.unique(tf.placeholder(tf.float32, None)))",
    "unique_with_counts": "out = list(tf.unique_with_counts(['b', 'a', 'b', 'c']))",
    "segment_sum": "out = tf.segment_sum([[1., 2.], [3., 4.], [5., 6.]], [0, 0, 2])",
    "segment_mean-int": "out = tf.segment_mean([-1, -2, -3, -4, 5], [0, 0, 2, 2, 2])",
    "segment_max": "out = tf.segment_max([1., 5., 3., 4.], [0, 0, 2, 2])",
    "segment_min-int64-ids": "out = tf.math.segment_min([4, 2, 3], tf.constant([1, 1, 1], tf.int64))",
    "segment_prod": "out = tf.segment_prod([1., 2., 3., 4.], [0, 0, 2, 2])",
    "segment_sum-unknown": "out = tf.segment_sum(tf.placeholder(tf.float32, [None, 3]), tf.placeholder(tf.int32))",
    "unsorted_segment_max": "out = tf.unsorted_segment_max([[1., 2.], [3., 0.], [5., 6.]], [1, 1, -1], 3)",
    "unsorted_segment_min-int": "out = tf.unsorted_segment_min([1, 2, 3, 4], [0, 0, 2, -1], 4)",
    "unsorted_segment_prod": "out = tf.unsorted_segment_prod([1., 2., 3., 4.], [0, 0, 2, 2], 4)",
    "unsorted_segment_mean": "out = tf.unsorted_segment_mean([[1., 2.], [3., 4.], [5., 6.]], [0, 0, 2], 4)",
    "unsorted_segment_mean-int": "out = tf.unsorted_segment_mean([1, 2, 3, 4], [0, 0, 2, 2], 4)",
    "unsorted_segment_sqrt_n": "out = tf.math.unsorted_segment_sqrt_n([1., 2., 3., 4.], "
                               "tf.placeholder_with_default([0, 0, 2, 2], [None]), 4)",
    "where_v2": "out = tf.where_v2([[True], [False]], [1., 2., 3.], 10.)",
    "where_v2-coordinates": "out = tf.where_v2([[True, False], [False, True]])",
    "where_v2-unknown": "out = tf.where_v2(tf.placeholder(tf.bool, [None, 1]), tf.placeholder(tf.float32, [3]), 0.)",
    "identity_n": "out = tf.identity_n([1., [1, 2], 'x'])",
    "meshgrid-xy": "out = tf.meshgrid([1, 2, 3], [4, 5])",
    "meshgrid-ij": "out = tf.meshgrid([1., 2.], [3., 4., 5.], [6., 7., 8., 9.], indexing='ij')",
    "meshgrid-unknown": "out = tf.meshgrid(tf.placeholder(tf.float32, [None]), tf.placeholder(tf.float32, [2]))",
    "scatter_update": "v = tf.Variable(np.zeros((4, 2), np.float32), name='v'); "
                      "out = tf.scatter_update(v, [3, 0], [[1., 2.], [3., 4.]])",
    "scatter_add-repeats": "v = tf.Variable(np.ones((4, 2), np.float32), name='v'); "
                           "out = tf.scatter_add(v, [[1, 1], [2, 1]], np.ones((2, 2, 2), np.float32))",
    "scatter_sub-scalar": "v = tf.Variable(np.ones((3, 2), np.int32), name='v'); out = tf.scatter_sub(v, [2, 2], 5)",
    "scatter_nd_update": "v = tf.Variable(np.zeros((3, 2), np.float32), name='v'); "
                         "out = tf.scatter_nd_update(v, [[2, 1], [0, 0]], [7., 8.])",
    "scatter_nd_add": "v = tf.Variable(np.zeros((3, 2), np.float32), name='v'); "
                      "out = tf.scatter_nd_add(v, [[1], [1]], [[1., 2.], [3., 4.]])",
    "scatter_nd_sub": "v = tf.Variable(np.zeros((3, 2), np.float32), name='v'); "
                      "out = tf.scatter_nd_sub(v, [[1, 1]], [5.])",
    # random ops: shapes, dtypes, names (values differ from TF's generator)
    "multinomial": "out = tf.multinomial(tf.log([[0.5, 0.5]]), 3)",
    "categorical": "out = tf.random.categorical(tf.zeros([2, 4], tf.float64), 5, dtype=tf.int32, seed=4)",
    "multinomial-unknown": "out = tf.multinomial(tf.placeholder(tf.float32, [None, 3]), tf.placeholder(tf.int32))",
    "random_crop": "out = tf.random_crop(tf.zeros([5, 6, 3]), [2, 3, 3], seed=1)",
    "random_crop-unknown": "out = tf.random_crop(tf.placeholder(tf.float32, [None, 6]), [2, 3])",
    # errors when the graph is built
    "gather_nd-depth": P + "out = tf.gather_nd(p, [[1, 2, 3, 4]])",
    "gather_nd-float-indices": "out = tf.gather_nd(tf.zeros([2, 3]), [[1.0]])",
    "gather_nd-scalar-indices": "out = tf.gather_nd(tf.zeros([2, 3]), 5)",
    "scatter_nd-outer": "out = tf.scatter_nd([[1], [3]], [1., 2., 3.], [5])",
    "scatter_nd-inner-rank": "out = tf.scatter_nd([[1], [3]], [1., 2.], [5, 2])",
    "scatter_nd-inner-value": "out = tf.scatter_nd([[1], [3]], [[1.], [2.]], [5, 2])",
    "scatter_nd-empty": "out = tf.scatter_nd([[0]], [1.], [0])",
    "scatter_nd-shape-type": "out = tf.scatter_nd(tf.placeholder(tf.int32, [None, 1]), [1.], "
                             "tf.placeholder(tf.int64, [2]))",
    "tensor_scatter-inner": "out = tf.tensor_scatter_nd_update(tf.zeros([5, 3]), [[1], [3]], tf.ones([2, 4]))",
    "tensor_scatter-type": "out = tf.tensor_scatter_nd_add(tf.zeros([5, 3]), [[1]], tf.ones([1, 3], tf.int32))",
    "tensor_scatter-scalar": "out = tf.tensor_scatter_nd_update(tf.zeros([]), [[0]], [1.])",
    "unique-rank": "out = tf.unique([[1, 2]])",
    "unique-out_idx": "out = tf.unique([1, 2], out_idx=tf.float32)",
    "segment_sum-rank": "out = tf.segment_sum(tf.zeros([4, 3]), [[0, 0, 1, 1]])",
    "unsorted_segment_max-dims": "out = tf.unsorted_segment_max(tf.zeros([4, 3]), [0, 0, 1], 4)",
    "unsorted_segment_sum-dims": "out = tf.unsorted_segment_sum(tf.zeros([4, 3]), [[0, 0, 1]], 4)",
    "unsorted_segment_min-negative": "out = tf.unsorted_segment_min(tf.zeros([4, 3]), [0, 0, 1, 1], -1)",
    "where_v2-broadcast": "out = tf.where_v2([True, False, True], [1., 2.], 3.)",
    "meshgrid-indexing": "out = tf.meshgrid([1, 2], [3, 4], indexing='xx')",
    "meshgrid-types": "out = tf.meshgrid([1, 2, 3], [4., 5.])",
    "multinomial-rank": "out = tf.multinomial([0.5, 0.5], 3)",
    "multinomial-dtype": "out = tf.multinomial([[0.5, 0.5]], 3, output_dtype=tf.float32)",
    "multinomial-negative": "out = tf.multinomial([[0.5, 0.5]], -3)",
    "multinomial-int64-samples": "out = tf.multinomial([[0., 0.]], tf.constant(2, tf.int64))",
    "random_crop-rank": "out = tf.random_crop(tf.zeros([5, 6]), [1, 2, 3])",
    "scatter_update-shape": "v = tf.Variable(tf.zeros([5, 3]), name='v'); out = tf.scatter_update(v, [1, 3], "
                            "tf.ones([2, 4]))",
    "scatter_update-type": "v = tf.Variable(tf.zeros([5, 3]), name='v'); out = tf.scatter_update(v, [1, 3], "
                           "tf.ones([2, 3], tf.int32))",
    "scatter_add-indices-type": "v = tf.Variable(tf.zeros([5, 3]), name='v'); out = tf.scatter_add(v, [1., 3.], "
                                "tf.ones([2, 3]))",
    "scatter_nd_update-outer": "v = tf.Variable(tf.zeros([5, 3]), name='v'); out = tf.scatter_nd_update(v, "
                               "[[1, 2]], [5., 6.])",
    # errors when the graph runs
    "run:gather_nd-range": "out = tf.gather_nd(tf.zeros([3, 2]), [[1, 0], [0, 2]])",
    "run:gather_nd-batch-place": "out = tf.gather_nd(tf.zeros([2, 2]), [[[0], [5]], [[7], [1]]])",
    "run:scatter_nd-range": "out = tf.scatter_nd([[1], [5]], [1., 2.], [3])",
    "run:tensor_scatter-range-last": "out = tf.tensor_scatter_nd_update(tf.zeros([5, 3]), [[0, 7], [1, 1], [4, 4]], "
                                     "[1., 2., 3.])",
    "run:unique-rank": "p = tf.placeholder_with_default(np.zeros((2, 2), np.float32), None); out = tf.unique(p)",
    "run:segment-increasing": "out = tf.segment_sum([1., 2., 3., 4.], [0, 2, 1, 1])",
    "run:segment-negative": "out = tf.segment_sum([1., 2., 3., 4.], [-1, 1, 2, 2])",
    "run:segment-size": "out = tf.segment_mean([1., 2., 3., 4.], [0, 0, 1])",
    "run:unsorted_segment-range": "out = tf.unsorted_segment_max([1., 2., 3., 4.], [0, 0, 2, 7], 4)",
    "run:where_v2-broadcast": "p = tf.placeholder_with_default([True, False], None); "
                              "out = tf.where_v2(p, [1., 2., 3.], [[10.], [11.]])",
    "run:multinomial-classes": "out = tf.multinomial(tf.zeros([2, 0]), 3)",
    "run:multinomial-samples": "out = tf.multinomial([[0., 0.]], tf.placeholder_with_default(-2, []))",
    "run:random_crop-size": "p = tf.placeholder_with_default(np.zeros((5, 6), np.float32), None); "
                            "out = tf.random_crop(p, [6, 3])",
    "run:scatter_update-range": "v = tf.Variable(tf.zeros([5, 3]), name='v'); "
                                "out = tf.scatter_update(v, [[1, 7], [-1, 0]], tf.ones([2, 2, 3]))",
    "run:scatter_nd_add-range-last": "v = tf.Variable(tf.zeros([5, 3]), name='v'); "
                                     "out = tf.scatter_nd_add(v, [[0, 7], [1, 1], [4, 4]], [1., 2., 3.])",
    "run:scatter_update-shape": "v = tf.Variable(tf.zeros([5, 3]), name='v'); "
                                "p = tf.placeholder_with_default(np.ones((3, 3), np.float32), None); "
                                "out = tf.scatter_update(v, [1, 2], p)",
}


def _shape(t):
    return None if t.shape.ndims is None else [d for d in t.shape.as_list()]


def _value(a):
    a = np.asarray(a)
    if a.dtype.kind in "OS":
        return {"dtype": "string", "shape": list(a.shape), "values": [x.decode() for x in a.reshape(-1)]}
    if a.dtype.kind == "f":
        values = [float("%.9g" % v) for v in a.reshape(-1)]
    else:
        values = a.reshape(-1).tolist()
    return {"dtype": a.dtype.name, "shape": list(a.shape), "values": values}


def run_time_message(e):
    """The message's first line that is TF's own (2.21 adds 'Graph execution error:', the node, a traceback)."""
    for line in str(e).split("\n"):
        line = line.strip()
        if not line or line.startswith(("Graph execution error", "Detected at", "File ", "Node:", "[[", "<")):
            continue
        return line.split(", node name:")[0]
    return str(e)


def main():
    out = {}
    for name, src in CASES.items():
        tf.reset_default_graph()
        env = {"tf": tf, "np": np}
        case = {"src": src}
        try:
            exec(src, env)  # noqa: S102 - the generator's own case texts
        except (TypeError, ValueError, AttributeError) as e:
            case["build_error"] = [type(e).__name__, str(e)]
            out[name] = case
            continue
        ts = list(env["out"]) if isinstance(env["out"], (list, tuple)) else [env["out"]]
        case["tensors"] = [{"name": t.name, "dtype": t.dtype.name, "shape": _shape(t)} for t in ts]
        case["nodes"] = [[o.name, o.type] for o in tf.get_default_graph().get_operations()]
        if not name.startswith(("multinomial-unknown", "random_crop-unknown", "gather_nd-unknown", "scatter_nd-unknown",
                                "unique-unknown", "segment_sum-unknown", "where_v2-unknown", "meshgrid-unknown")):
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                try:
                    values = sess.run(ts)
                    if not (name.startswith(("multinomial", "categorical", "random_crop"))):
                        case["values"] = [_value(v) for v in values]
                except tf.errors.OpError as e:
                    case["run_error"] = [type(e).__name__, run_time_message(e)]
        out[name] = case
    OUT.write_text(json.dumps(out, indent=0, sort_keys=True) + "\n")
    print("wrote", OUT, len(out), "cases")


if __name__ == "__main__":
    main()
