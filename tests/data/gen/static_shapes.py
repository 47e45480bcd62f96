"""Writes tests/data/tf_static_shapes.json: the static shapes TensorFlow 2.21 (tf.compat.v1, v2 behaviour off) infers
when a shape argument is computed at graph-build time (its shape refiner evaluates the constant subgraph:
`tf.shape(x)[0]` of a known dimension, arithmetic on it, tf.stack, tf.concat, tf.gather, ...; and reads partial shapes
through slices of `tf.shape(p)`), where it cannot (a dimension that is not known), the shape errors it raises when the
graph is built because it knows such a value, and what TF's Python code does not evaluate (tf.assert_equal's static
check, the bounds a gradient function passes on). Each case is a source text that sets `out` (a Tensor or a list of
them) from `tf` and `np`; recorded are the static shapes (as_list, or None for an unknown rank) and dtypes, the graph's
node names and types, the values where the case has no placeholder or random op, or the build-time error's class and
message; and the dtypes of constants made from Python lists of numpy scalars (`convert-` cases).
tests/test_static_shapes.py runs the same text on tfmini.

Run with a TensorFlow install: /tmp/tfvenv/bin/python tests/data/gen/static_shapes.py
"""
import json
import pathlib

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
OUT = pathlib.Path(__file__).resolve().parent.parent / "tf_static_shapes.json"

X = "x = tf.zeros([20, 3, 4]); n = tf.shape(x)[0]; "  # a known shape: n is 20 when the graph is built
P = "p = tf.placeholder(tf.float32, [None, 7, 7, 64]); s = tf.shape(p); "  # a partly known one
CASES = {
    # shape arguments computed from a known shape
    "reshape-list": X + "out = tf.reshape(x, [n, -1])",
    "reshape-stack": X + "out = tf.reshape(x, tf.stack([n, -1]))",
    "reshape-product": X + "out = tf.reshape(x, [tf.shape(x)[1] * tf.shape(x)[2], -1])",
    "reshape-reduce_prod": X + "out = tf.reshape(x, [tf.reduce_prod(tf.shape(x)[1:]), -1])",
    "reshape-gather": X + "out = tf.reshape(x, tf.gather(tf.shape(x), [2, 0, 1]))",
    "reshape-reverse": X + "out = tf.reshape(x, tf.reverse(tf.shape(x), [0]))",
    "reshape-size": X + "out = tf.reshape(x, [tf.size(x) // 6, -1])",
    "zeros-stack": X + "out = tf.zeros(tf.stack([n, 5]))",
    "zeros-concat": X + "out = tf.zeros(tf.concat([tf.shape(x)[:1], [2]], 0))",
    "zeros-size": X + "out = tf.zeros(tf.stack([tf.size(x) // 8]))",
    "zeros-cast-int64": X + "out = tf.zeros(tf.cast(tf.shape(x)[1:], tf.int64))",
    "zeros-cast-float": X + "out = tf.zeros(tf.cast(tf.cast(tf.shape(x), tf.float32) / 2, tf.int32))",
    "zeros-maximum": X + "out = tf.zeros(tf.stack([tf.maximum(n, 25), tf.minimum(n, 2)]))",
    "zeros-control-dependency": X.replace("; ", "\n") + "with tf.control_dependencies([tf.no_op()]):\n"
                                "    m = n * 2\nout = tf.zeros([m])",
    "ones-floordiv": X + "out = tf.ones(tf.stack([n // 3, n % 3]), tf.int32)",
    "fill": X + "out = tf.fill(tf.stack([n // 4, 2]), 1.5)",
    "slice-begin": X + "out = tf.slice(x, tf.stack([n - 5, 0, 0]), [-1, -1, -1])",
    "slice-size": X + "out = tf.slice(x, [0, 0, 0], tf.stack([n, -1, 2]))",
    "strided_slice-end": X + "out = x[:n // 2]",
    "strided_slice-explicit": X + "out = tf.strided_slice(x, [0], tf.stack([n - 15]), [2])",
    "tile": X + "out = tf.tile(x, tf.stack([1, n // 10, 1]))",
    "pad": X + "out = tf.pad(x, tf.stack([[n // 10, 0], [0, 1], [0, 0]]))",
    "broadcast_to": X + "out = tf.broadcast_to(tf.zeros([1, 4]), tf.stack([n, 4]))",
    "range": X + "out = tf.range(n)",
    "range-arithmetic": X + "out = tf.range(0, n * 2, 4)",
    "one_hot-depth": X + "out = tf.one_hot([1, 2], n)",
    "split-sizes": X + "out = tf.split(x, tf.stack([n - 15, 15]), axis=0)",
    "expand_dims-axis": X + "out = tf.expand_dims(x, tf.rank(x) - 1)",
    "reduce_sum-axis": X + "out = tf.reduce_sum(x, axis=tf.size(tf.shape(x)) - 1)",
    "transpose-perm": X + "out = tf.transpose(x, tf.reverse(tf.range(tf.rank(x)), [0]))",
    "concat-axis": X + "out = tf.concat([x, x], axis=tf.rank(x) - 2)",
    "unstack-shape": X + "out = tf.zeros([tf.unstack(tf.shape(x))[2], 1])",
    "resize_images": X + "out = tf.image.resize_images(tf.zeros([1, 8, 8, 3]), tf.stack([n // 5, n // 4]))",
    "unsorted_segment_sum": X + "out = tf.unsorted_segment_sum(tf.zeros([4, 2]), [0, 1, 1, 0], n // 10 + 1)",
    "space_to_batch_nd": X + "out = tf.space_to_batch_nd(tf.zeros([1, 4, 4, 1]), tf.stack([n // 10, 2]), "
                             "[[0, 0], [0, 0]])",
    "top_k": X + "out = tf.nn.top_k(x, n // 10)",
    "scatter_nd": X + "out = tf.scatter_nd([[0]], [1.], tf.stack([n // 4]))",
    "reduce_sum-axes-keepdims": X + "out = tf.reduce_sum(x, axis=tf.stack([n - 20, n // 10]), keepdims=True)",
    "where-constant": X + "out = tf.zeros(tf.shape(tf.where(tf.range(n // 4) > 2))[:1])",
    "unique-constant": X + "out = tf.zeros(tf.shape(tf.unique(tf.stack([n, n, 1]))[0]))",
    "cond-branch": X + "out = tf.cond(tf.placeholder(tf.bool, []), lambda: tf.reshape(x, [tf.shape(x)[0], -1]), "
                       "lambda: tf.zeros([20, 12]))",
    "random_normal": X + "out = tf.random_normal(tf.stack([n, 2]))",
    "random_uniform-slice": X + "out = tf.random_uniform(tf.shape(x)[1:])",
    "reshape-pack-negative": X + "out = tf.reshape(x, tf.stack([n, -5]))",
    # partly known shapes: the known dimensions, read as TF reads them
    "partial-slice": P + "out = tf.reshape(p, tf.shape(p)[1:])",
    "partial-product": P + "out = tf.reshape(p, [-1, s[1] * s[2] * s[3]])",
    "partial-negative-index": P + "out = tf.reshape(p, [-1, s[-1]])",
    "partial-unstack": P + "out = tf.reshape(p, [-1, tf.unstack(s)[3]])",
    "partial-reduce_prod": P + "out = tf.reshape(p, [-1, tf.reduce_prod(s[1:])])",
    "partial-unknown-dim": P + "out = tf.zeros(tf.stack([s[0], 5]))",
    "partial-one_hot": P + "out = tf.one_hot([1, 2], s[0])",
    "partial-zeros_like": P + "out = tf.zeros(tf.shape(tf.zeros_like(p))[1:])",
    "partial-slice-past-the-end": P + "out = tf.zeros(s[1:10])",
    "partial-slice-empty": P + "out = tf.zeros(s[3:1])",
    "partial-slice-reversed": P + "out = tf.zeros(s[3:0:-1])",
    "partial-slice-step": P + "out = tf.zeros(s[1::2])",
    "partial-slice-computed-begin": P + "out = tf.zeros(s[tf.rank(p) - 2:])",
    "partial-concat-slices": P + "out = tf.zeros(tf.concat([s[1:2], [5], s[3:]], 0))",
    "partial-pack-of-dims": P + "out = tf.zeros(tf.stack([s[1], s[0], s[3] // 2]))",
    "partial-cast": P + "out = tf.zeros(tf.cast(s, tf.int64)[1:])",
    "partial-shape_n": P + "out = tf.zeros(tf.shape_n([p, p])[1][1:])",
    "unknown-rank": "p = tf.placeholder(tf.float32); out = tf.zeros(tf.stack([tf.shape(p)[0], tf.rank(p)]))",
    "variable-shape": "v = tf.Variable(tf.zeros([6, 2]), name='v'); out = tf.zeros(tf.stack([tf.shape(v)[0] // 2]))",
    "variable-value": "v = tf.Variable(3, name='v'); out = tf.zeros(tf.stack([v + 1]))",
    "divide-by-zero": X + "out = tf.zeros(tf.stack([n // 0]))",
    # TF's Python code (tensor_util.constant_value) does not evaluate these: the graph is TF's
    "python-assert_equal": X + "out = tf.assert_equal(n, 3)",
    "python-gradient": X + "out = tf.gradients(tf.reduce_sum(tf.strided_slice(x, [0], tf.stack([n // 2]), [1])), "
                           "x)[0]",
    # shape errors TF raises when the graph is built, because it knows the value
    "error-reshape-elements": X + "out = tf.reshape(x, tf.stack([n, 7]))",
    "error-reshape-divisible": X + "out = tf.reshape(x, [n * 7, -1])",
    "error-slice-size": X + "out = tf.slice(x, tf.stack([n, 0, 0]), [1, -1, -1])",
    "error-split-sizes": X + "out = tf.split(x, tf.stack([n - 15, 10]), axis=0)",
    "error-range-delta": X + "out = tf.range(0, 10, n - 20)",
    "error-zeros-negative": X + "out = tf.zeros(tf.shape(x)[1:] - 8)",
    "error-fill-negative": X + "out = tf.zeros(tf.stack([n - 30, 2]))",
    "error-expand_dims-axis": X + "out = tf.expand_dims(x, n)",
    "error-one_hot-depth": X + "out = tf.one_hot([1], n - 30)",
    "error-concat-axis": X + "out = tf.concat([x, x], axis=n)",
    "error-slice-start": P + "out = tf.zeros(s[-9:])",
    "error-slice-negative-stride": P + "out = tf.zeros(s[::-1])",
    "error-top_k": X + "out = tf.nn.top_k(x, n // 2)",
    "error-transpose-perm": X + "out = tf.transpose(x, tf.stack([0, 0, n // 10]))",
    "error-gather-axis": X + "out = tf.gather(x, [0], axis=n // 4)",
    "error-space_to_batch_nd": X + "out = tf.space_to_batch_nd(tf.zeros([1, 5, 4, 1]), tf.stack([n // 10, 2]), "
                                   "[[0, 0], [0, 0]])",
    # the dtype of a constant made from a Python list: numpy's for the list (numpy scalars keep theirs), then TF's
    # two defaults, float64 -> float32 and int64 -> int32 where no value is lost
    "convert-uint8-scalars": "out = tf.convert_to_tensor([np.uint8(10), np.uint8(250)])",
    "convert-uint8-nested": "out = tf.constant([[np.uint8(1)], [np.uint8(2)]])",
    "convert-uint8-and-int": "out = tf.constant([np.uint8(10), 3])",
    "convert-int16-and-float32": "out = tf.constant([np.int16(1), np.float32(2.5)])",
    "convert-float64-scalar": "out = tf.constant([np.float64(1.5)])",
    "convert-int64-scalars": "out = tf.constant([np.int64(3), np.int32(4)])",
    "convert-int64-large": "out = tf.constant([2 ** 40, 1])",
    "convert-uint64-large": "out = tf.constant([2 ** 63, 1])",
    "convert-float16-scalars": "out = tf.constant([np.float16(0.5), np.float16(2)])",
    "convert-bool-scalars": "out = tf.constant([np.bool_(True), False])",
    "convert-reshape-uint8-dim": X + "out = tf.reshape(x, [np.uint8(60), -1])",
}
NO_VALUES = ("random", "partial", "unknown", "cond", "python", "variable-value")


def _shape(t):
    return None if t.shape.ndims is None else t.shape.as_list()


def _value(a):
    a = np.asarray(a)
    values = [float("%.9g" % v) for v in a.reshape(-1)] if a.dtype.kind == "f" else a.reshape(-1).tolist()
    return {"dtype": a.dtype.name, "shape": list(a.shape), "values": values}


def main():
    out = {}
    for name, src in CASES.items():
        tf.reset_default_graph()
        env = {"tf": tf, "np": np}
        case = {"src": src}
        try:
            exec(src, env)  # noqa: S102 - the generator's own case texts
        except (TypeError, ValueError) as e:
            case["build_error"] = [type(e).__name__, str(e)]
            out[name] = case
            continue
        ts = list(env["out"]) if isinstance(env["out"], (list, tuple)) else [env["out"]]
        ts = [t for t in ts if isinstance(t, tf.Tensor)]
        case["tensors"] = [{"name": t.name, "dtype": t.dtype.name, "shape": _shape(t)} for t in ts]
        case["nodes"] = [[o.name, o.type] for o in tf.get_default_graph().get_operations()]
        if not name.startswith(NO_VALUES) and ts:
            with tf.Session() as sess:
                try:
                    case["values"] = [_value(v) for v in sess.run(ts)]
                except tf.errors.OpError as e:
                    case["run_error"] = type(e).__name__
        out[name] = case
    OUT.write_text(json.dumps(out, indent=0, sort_keys=True) + "\n")
    print("wrote", OUT, len(out), "cases")


if __name__ == "__main__":
    main()
