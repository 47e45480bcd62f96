"""Writes tests/data/tf_data.json: what TensorFlow 2.21 (tf.compat.v1, v2 behaviour off) gives for tf.data pipelines:
each case a source text building a dataset `ds` from `tf` and `np`; recorded are its output_types and output_shapes,
the node types the graph holds, and every element an iterator yields until OutOfRangeError (tests/test_data.py runs
the same text on tfmini). Error cases record the error class and message.

Run with a TensorFlow install: /tmp/tfvenv/bin/python tests/data/gen/data.py
"""
import json
import pathlib
import sys

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
OUT = pathlib.Path(__file__).resolve().parent.parent / "tf_data.json"

CASES = {
    "slices-batch": "ds = tf.data.Dataset.from_tensor_slices((np.arange(10, dtype=np.float32).reshape(5, 2), "
                    "np.arange(5))).batch(2)",
    "slices-list-int32": "ds = tf.data.Dataset.from_tensor_slices([[1, 2], [3, 4], [5, 6]])",
    "range3": "ds = tf.data.Dataset.range(2, 11, 3)",
    "range-neg": "ds = tf.data.Dataset.range(5, 0, -2)",
    "batch-drop": "ds = tf.data.Dataset.range(7).batch(3, drop_remainder=True)",
    "dict-map": "ds = tf.data.Dataset.from_tensor_slices({'b': np.arange(4), 'a': np.ones((4, 2), np.float32)})"
                ".map(lambda d: {'sum': tf.reduce_sum(d['a']) + tf.cast(d['b'], tf.float32), 'b': d['b'] * 10})",
    "map-tuple-args": "ds = tf.data.Dataset.from_tensor_slices((np.arange(3), np.arange(3) * 2))"
                      ".map(lambda a, b: a + b)",
    "map-list-to-tuple": "ds = tf.data.Dataset.range(3).map(lambda i: [i, i * i])",
    "nested": "ds = tf.data.Dataset.from_tensor_slices(((np.arange(3), np.arange(3.)), np.array([b'a', b'b', b'c'])))",
    "zip": "ds = tf.data.Dataset.zip((tf.data.Dataset.range(4), tf.data.Dataset.range(10, 13)))",
    "zip-dict": "ds = tf.data.Dataset.zip({'x': tf.data.Dataset.range(2), 'y': tf.data.Dataset.range(5, 7)})",
    "concat": "ds = tf.data.Dataset.range(3).concatenate(tf.data.Dataset.range(10, 12))",
    "take-skip": "ds = tf.data.Dataset.range(10).skip(3).take(4)",
    "skip-all": "ds = tf.data.Dataset.range(10).skip(-1)",
    "take-all": "ds = tf.data.Dataset.range(4).take(-1)",
    "repeat-take": "ds = tf.data.Dataset.range(3).repeat(3).take(7)",
    "repeat-empty": "ds = tf.data.Dataset.range(0).repeat()",
    "filter": "ds = tf.data.Dataset.range(10).filter(lambda i: tf.equal(i % 3, 0))",
    "padded": "ds = tf.data.Dataset.range(1, 5).map(lambda i: tf.range(i)).padded_batch(3, padded_shapes=[None])",
    "padded-fixed": "ds = tf.data.Dataset.range(1, 4).map(lambda i: tf.fill([i, 2], i)).padded_batch(2, "
                    "padded_shapes=[4, None], padding_values=tf.constant(-1, tf.int64))",
    "flat-map": "ds = tf.data.Dataset.range(1, 4).flat_map(lambda i: tf.data.Dataset.range(i)"
                ".map(lambda j: i * 10 + j))",
    "interleave": "ds = tf.data.Dataset.range(1, 4).interleave(lambda i: tf.data.Dataset.from_tensors(i).repeat(i), "
                  "cycle_length=2, block_length=1)",
    "from-tensors": "ds = tf.data.Dataset.from_tensors((np.arange(3), 7.0)).repeat(2)",
    "parallel-map": "ds = tf.data.Dataset.range(5).map(lambda i: i * 2, num_parallel_calls=2).prefetch(1)",
    "batch-unknown": "ds = tf.data.Dataset.range(6).map(lambda i: tf.fill([i % 2 + 1], i)).batch(1)",
    "map-captured": "c = tf.constant([1., 2.])\n"
                    "ds = tf.data.Dataset.range(3).map(lambda i: tf.cast(i, tf.float32) * c)",
    "range-int32": "ds = tf.data.Dataset.range(3, output_type=tf.int32)",
    "padded-default": "ds = tf.data.Dataset.range(1, 4).map(lambda i: tf.fill([i, 2], i)).padded_batch(2)",
    "shuffle-buffer-one": "ds = tf.data.Dataset.range(5).shuffle(1, seed=3)",
    "shuffle-graph-seed": "tf.set_random_seed(7)\n"
                          "ds = tf.data.Dataset.range(4).shuffle(1, reshuffle_each_iteration=False)",
    "batch-of-batches": "ds = tf.data.Dataset.range(8).batch(2).batch(2, drop_remainder=True)",
    "generator": "def gen():\n    yield (1, [1., 2.])\n    yield (2, [3., 4., 5.])\n"
                 "ds = tf.data.Dataset.from_generator(gen, (tf.int64, tf.float32), "
                 "(tf.TensorShape([]), tf.TensorShape([None]))).repeat(2)",
    "generator-args": "ds = tf.data.Dataset.from_generator(lambda k: iter(range(k)), tf.int64, args=(3,))",
    # padded shapes with -1, as a tensor; one padding value for every component
    "padded-minus-one": "ds = tf.data.Dataset.range(1, 4).map(lambda i: (tf.range(i), i)).padded_batch(2, "
                        "padded_shapes=([-1], []), padding_values=tf.constant(-1, tf.int64))",
    "padded-shape-tensor": "ds = tf.data.Dataset.range(1, 4).map(lambda i: (tf.range(i), i)).padded_batch(2, "
                           "padded_shapes=(tf.constant([4], tf.int64), tf.constant([], tf.int64)))",
    # a slot whose dataset ends is refilled in its place in the cycle (the order, not only the multiset)
    "interleave-uneven": "ds = tf.data.Dataset.from_tensor_slices(np.array([1, 4, 2, 3, 1])).interleave("
                         "lambda i: tf.data.Dataset.from_tensors(i).repeat(i), cycle_length=2, block_length=2)",
    "interleave-refill": "ds = tf.data.Dataset.from_tensor_slices(np.array([3, 1, 0, 2, 5])).interleave("
                         "lambda i: tf.data.Dataset.range(10 * i, 10 * i + i), cycle_length=3)",
}
# (tfmini builds one GeneratorDataset op where TF builds a TensorDataset and a FlatMapDataset of py_funcs)
OTHER_NODES = ("generator", "generator-args")

ERRORS = {
    "slices-scalar": "ds = tf.data.Dataset.from_tensor_slices(3.0)",
    "slices-mismatch": "ds = tf.data.Dataset.from_tensor_slices((np.zeros(4), np.zeros(3)))",
    "filter-nonbool": "ds = tf.data.Dataset.range(3).filter(lambda i: i)",
    "filter-vector": "ds = tf.data.Dataset.range(3).filter(lambda i: tf.stack([i > 0, i > 1]))",
    "oneshot-placeholder": "x = tf.placeholder(tf.float32, [None], name='x')\n"
                           "it = tf.data.Dataset.from_tensor_slices(x).make_one_shot_iterator()",
    "oneshot-variable": "v = tf.Variable([1., 2.], name='v')\n"
                        "it = tf.data.Dataset.range(3).map(lambda i: tf.cast(i, tf.float32) * v)"
                        ".make_one_shot_iterator()",
    "init-types": "it = tf.data.Iterator.from_structure(tf.float32, tf.TensorShape([]))\n"
                  "it.make_initializer(tf.data.Dataset.range(3))",
    "init-shapes": "it = tf.data.Iterator.from_structure(tf.float32, tf.TensorShape([]))\n"
                   "it.make_initializer(tf.data.Dataset.from_tensor_slices(np.zeros((2, 3), np.float32)))",
    "init-structure": "it = tf.data.Iterator.from_structure((tf.float32, tf.int32), (tf.TensorShape([None]), "
                      "tf.TensorShape([])))\nit.make_initializer(tf.data.Dataset.range(3))",
    "padded-too-small": "ds = tf.data.Dataset.from_tensors(np.zeros(3)).padded_batch(2, padded_shapes=[2])",
    "padded-rank": "ds = tf.data.Dataset.from_tensors(np.zeros(3)).padded_batch(2, padded_shapes=[2, 2])",
    "padded-unknown-rank": "p = tf.placeholder(tf.float32)\nds = tf.data.Dataset.from_tensors(p).padded_batch(2)",
    "zip-list": "ds = tf.data.Dataset.zip([tf.data.Dataset.range(2), tf.data.Dataset.range(3)])",
    "concatenate-types": "ds = tf.data.Dataset.range(2).concatenate(tf.data.Dataset.from_tensors(1.0))",
    "iterate-in-graph-mode": "iter(tf.data.Dataset.range(3))",
    "padded-shapes-list": "ds = tf.data.Dataset.range(1, 4).map(lambda i: (tf.range(i), i)).padded_batch(2, "
                          "padded_shapes=[[None], []])",
    "padded-shapes-length": "ds = tf.data.Dataset.range(1, 4).map(lambda i: (tf.range(i), i)).padded_batch(2, "
                            "padded_shapes=([None],))",
    "padded-shapes-keys": "ds = tf.data.Dataset.range(1, 4).map(lambda i: {'a': tf.range(i), 'b': i}).padded_batch(2, "
                          "padded_shapes={'a': [None], 'c': []})",
    "padding-value-type": "ds = tf.data.Dataset.range(1, 4).map(lambda i: (tf.range(i), i)).padded_batch(2, "
                          "padded_shapes=([None], []), padding_values=(-1, 0))",
    "padding-value-rank": "ds = tf.data.Dataset.range(3).padded_batch(2, padded_shapes=[], "
                          "padding_values=tf.constant([1, 2], tf.int64))",
    "padded-shape-int32": "ds = tf.data.Dataset.range(1, 4).map(tf.range).padded_batch(2, "
                          "padded_shapes=tf.constant([7]))",
    "padded-shape-matrix": "ds = tf.data.Dataset.range(1, 4).map(tf.range).padded_batch(2, "
                           "padded_shapes=tf.constant([[7]], tf.int64))",
    "oneshot-initializer": "it = tf.data.Dataset.range(3).make_one_shot_iterator()\nit.initializer",
}

# errors a run raises: the text builds `fetch` (and `feed`)
RUN_ERRORS = {
    "not-initialized": "it = tf.data.Dataset.range(3).make_initializable_iterator()\nfetch = it.get_next()",
    "end-of-sequence": "it = tf.data.Dataset.range(0).make_one_shot_iterator()\nfetch = it.get_next()",
    # (map then batch: TF fuses them, and its message names the elements in the order its threads took them)
    "batch-shapes": "fetch = tf.data.Dataset.range(1, 3).map(lambda i: tf.range(i)).prefetch(1).batch(2)"
                    ".make_one_shot_iterator().get_next()",
    "pad-smaller": "fetch = tf.data.Dataset.range(1, 5).map(lambda i: tf.range(i)).padded_batch(4, padded_shapes=[2])"
                   ".make_one_shot_iterator().get_next()",
    "slices-runtime-scalar": "p = tf.placeholder(tf.float32, None)\nit = tf.data.Dataset.from_tensor_slices(p)"
                             ".make_initializable_iterator()\nfetch = it.initializer\nfeed = {p: 3.0}",
    "batch-zero": "fetch = tf.data.Dataset.range(3).batch(0).make_one_shot_iterator().get_next()",
    "shuffle-zero": "fetch = tf.data.Dataset.range(3).shuffle(0).make_one_shot_iterator().get_next()",
    "range-step-zero": "fetch = tf.data.Dataset.range(0, 3, 0).make_one_shot_iterator().get_next()",
    "interleave-zero": "fetch = tf.data.Dataset.range(3).interleave(lambda i: tf.data.Dataset.range(i), cycle_length=0)"
                       ".make_one_shot_iterator().get_next()",
    "generator-shape": "def bad():\n    yield [1, 2, 3]\n"
                       "fetch = tf.data.Dataset.from_generator(bad, tf.int64, tf.TensorShape([2]))"
                       ".make_one_shot_iterator().get_next()",
    "generator-type": "def bad():\n    yield 'x'\n"
                      "fetch = tf.data.Dataset.from_generator(bad, tf.int64).make_one_shot_iterator().get_next()",
    # the generator's own exception: py_func's mapping of Python errors, its "<Type>: <text>" first
    "generator-raises": "def bad():\n    yield 1\n    raise ValueError('boom')\n"
                        "fetch = tf.data.Dataset.from_generator(bad, tf.int64).make_one_shot_iterator().get_next()",
    "generator-raises-other": "def bad():\n    raise KeyError('k')\n    yield 1\n"
                              "fetch = tf.data.Dataset.from_generator(bad, tf.int64).make_one_shot_iterator()"
                              ".get_next()",
    "handle-not-a-handle": "fetch = tf.data.Iterator.from_string_handle(tf.constant('abc'), tf.int64).get_next()",
    "handle-types": "src = tf.data.Dataset.range(3).map(lambda i: tf.cast(i, tf.float32)).make_one_shot_iterator()\n"
                    "fetch = tf.data.Iterator.from_string_handle(src.string_handle(), tf.int64).get_next()",
    "padded-rank-runtime": "def gen():\n    yield np.zeros((2, 2))\n"
                           "fetch = tf.data.Dataset.from_generator(gen, tf.float32)"
                           ".padded_batch(1, padded_shapes=[None]).make_one_shot_iterator().get_next()",
}


def value(v):
    v = np.asarray(v)
    if v.dtype.kind in "SO":
        return {"dtype": "string", "shape": list(v.shape), "values": [x.decode() for x in v.reshape(-1).tolist()]}
    return {"dtype": v.dtype.name, "shape": list(v.shape), "values": v.reshape(-1).tolist()}


def structure_text(s):
    return repr(s)


def run_case(src):
    tf.reset_default_graph()
    env = {"tf": tf, "np": np}
    exec(src, env)
    ds = env["ds"]
    types, shapes = ds.output_types, ds.output_shapes
    nxt = tf.nest.flatten(tf.data.make_one_shot_iterator(ds).get_next())
    node_types = sorted({op.type for op in tf.get_default_graph().get_operations()})
    node_names = sorted(op.name for op in tf.get_default_graph().get_operations())
    # each dataset and iterator op's attributes (TF's own, not the underscored colocation ones), as a GraphDef has them
    ops = [op for op in tf.get_default_graph().get_operations() if op.type.endswith(("Dataset", "DatasetV2"))
           or op.type.startswith(("Iterator", "OneShot", "MakeIterator"))]
    node_attrs = {op.type: sorted(k for k in op.node_def.attr if not k.startswith("_")) for op in ops}
    flags = {op.type: {k: v.b if v.WhichOneof("value") == "b" else v.i if v.WhichOneof("value") == "i" else
                       v.s.decode() for k, v in op.node_def.attr.items() if v.WhichOneof("value") in "bis"}
             for op in ops}
    elements, end = [], None
    with tf.Session() as sess:
        for _ in range(30):
            try:
                elements.append([value(v) for v in sess.run(nxt)])
            except tf.errors.OutOfRangeError as e:
                end = e.message.splitlines()[-2] if "\n" in e.message else e.message
                break
    return {"src": src, "types": repr(types), "shapes": repr(shapes),
            "flat_types": [t.name for t in tf.nest.flatten(types)],
            "flat_shapes": [str(s) for s in tf.nest.flatten(shapes)], "node_types": node_types,
            "elements": elements, "end": end, "node_attrs": node_attrs, "node_flags": flags, "node_names": node_names,
            "other_nodes": any(src == CASES[k] for k in OTHER_NODES)}


# a pipeline built by tfmini, exported as a GraphDef (with its library of functions) and run by TensorFlow
EXPORTED = ("c = tf.constant(3., name='c')\n"
            "ds = tf.data.Dataset.from_tensor_slices((np.arange(6, dtype=np.float32).reshape(3, 2), np.arange(3)))"
            ".map(lambda a, b: (tf.reduce_sum(a) * c, b * 2)).filter(lambda s, b: b > 0).batch(2)\n"
            "nested = tf.data.Dataset.range(1, 4).flat_map(lambda i: tf.data.Dataset.range(i)"
            ".map(lambda j: i * 10 + j))\n"
            "fetches = [list(ds.make_one_shot_iterator().get_next()), nested.make_one_shot_iterator().get_next()]")


def tfmini_graph_in_tensorflow():
    """Run EXPORTED in tfmini, export its graph, import that into TensorFlow and run the same fetches there."""
    root = pathlib.Path(__file__).resolve().parents[3]
    sys.path.insert(0, str(root))
    import tfmini
    from tfmini.framework import graph_io
    env = {"tf": tfmini, "np": np}
    exec(EXPORTED, env)
    names = [t.name for t in env["fetches"][0]], env["fetches"][1].name
    data = graph_io.graph_def_bytes(tfmini.get_default_graph())
    sys.path.remove(str(root))
    tf.reset_default_graph()
    gd = tf.GraphDef()
    gd.ParseFromString(data)
    tf.import_graph_def(gd, name="")
    with tf.Session() as sess:
        runs = [[value(v) for v in sess.run(names[0])]] + [[value(sess.run(names[1]))] for _ in range(3)]
    return {"src": EXPORTED, "functions": sorted(f.signature.name.rsplit("_", 1)[0] for f in gd.library.function),
            "runs": runs}


def tensorflow_graph_in_tfmini():
    """EXPORTED built by TensorFlow: its GraphDef (base64) and the values it gives, for tfmini to import and run."""
    import base64
    tf.reset_default_graph()
    env = {"tf": tf, "np": np}
    exec(EXPORTED, env)
    names = [t.name for t in env["fetches"][0]], env["fetches"][1].name
    data = tf.get_default_graph().as_graph_def().SerializeToString()
    with tf.Session() as sess:
        runs = [[value(v) for v in sess.run(names[0])]] + [[value(sess.run(names[1]))] for _ in range(3)]
    return {"graph_def": base64.b64encode(data).decode(), "fetches": names, "runs": runs}


def main():
    out = {"cases": {k: run_case(v) for k, v in CASES.items()}, "errors": {}, "run_errors": {},
           "tfmini_graph_in_tensorflow": tfmini_graph_in_tensorflow(),
           "tensorflow_graph_in_tfmini": tensorflow_graph_in_tfmini()}
    for k, src in ERRORS.items():
        tf.reset_default_graph()
        try:
            exec(src, {"tf": tf, "np": np})
        except Exception as e:  # noqa: BLE001
            out["errors"][k] = {"src": src, "class": type(e).__name__, "message": str(e)}
        else:
            raise AssertionError(k)
    for k, src in RUN_ERRORS.items():
        tf.reset_default_graph()
        env = {"tf": tf, "np": np}
        exec(src, env)
        try:
            with tf.Session() as sess:
                sess.run(env["fetch"], env.get("feed"))
                sess.run(env["fetch"], env.get("feed"))
        except tf.errors.OpError as e:
            lines = [line for line in e.message.splitlines() if line and not line.startswith(("\t", " ", "Graph",
                                                                                              "Detected", "Node:"))]
            lines = [line for line in lines if "`generator`" in line] or lines  # (py_func's traceback first)
            out["run_errors"][k] = {"src": src, "class": type(e).__name__, "message": lines[0]}
        else:
            raise AssertionError(k)
    OUT.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
