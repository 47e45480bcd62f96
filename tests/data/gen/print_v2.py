"""Writes tests/data/tf_print_v2.json from TensorFlow: what tf.print writes for a set of inputs (its StringFormat
template and the text), the ops it builds, and its errors. Run with a TensorFlow install:
python tests/data/gen/print_v2.py"""
import json
import os
import pathlib
import sys
import tempfile

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
DATA = pathlib.Path(__file__).resolve().parent.parent

# (id, python source of the inputs, kwargs): sources are evaluated with `tf` and `np` in scope
CASES = [
    ("mixed", '["a:", tf.constant([[1, 2, 3], [4, 5, 6]]), "b =", tf.constant(np.arange(20, dtype=np.float32)'
              '.reshape(4, 5) / 3), {"k": tf.constant([7, 8])}, [1, 2], 3.5]', {}),
    ("summarize2", "[tf.constant(np.arange(12))]", {"summarize": 2}),
    ("rank3_sep_end", "[tf.constant(np.arange(24).reshape(2, 3, 4)), tf.constant(1)]", {"sep": ",", "end": "!\n"}),
    ("big", "[tf.constant(np.arange(100).reshape(10, 10))]", {}),
    ("types", '[tf.constant([True, False]), tf.constant(["x", "y z", "q\\"\\n"]), tf.constant(2.5), '
              'tf.constant([0.1, 1e-7, 12345678.0, -0.0])]', {}),
    ("floats", "[tf.constant([1.5, 2.25, 1 / 3], tf.float64), tf.constant(np.float16(1.5)), "
               "tf.constant([], tf.float32), tf.zeros([2, 0]), tf.constant([np.nan, np.inf, -np.inf])]", {}),
    ("all", "[tf.constant(np.arange(8))]", {"summarize": -1}),
    ("text_only", '["no tensors", 3]', {}),
    ("string_scalar", '[tf.constant("just a string")]', {}),
    ("braces", '["a {} b", tf.constant([1, 2])]', {}),
    ("zero_summarize", "[tf.constant([1, 2, 3]), tf.constant(5)]", {"summarize": 0}),
    ("rank4", "[tf.constant(np.arange(16).reshape(2, 2, 2, 2))]", {"summarize": 1}),
    ("int64_uint8", "[tf.constant([2 ** 40], tf.int64), tf.constant([255], tf.uint8)]", {}),
    ("uint32_uint64", "[tf.constant([2 ** 32 - 1, 0], tf.uint32), tf.constant(np.array([2 ** 64 - 1], np.uint64))]",
     {}),
    ("nested", '[("t", [tf.constant(1), {"z": tf.constant([2.5])}])]', {}),
]

out = {"cases": []}
for case_id, source, kwargs in CASES:
    tf.reset_default_graph()
    inputs = eval(source, {"tf": tf, "np": np})  # noqa: S307 - the table above
    path = os.path.join(tempfile.mkdtemp(), "out.txt")
    p = tf.print(*inputs, output_stream="file://" + path, **kwargs)
    ops = [[op.name, op.type] for op in tf.get_default_graph().get_operations() if op.type != "Const"]
    fmt = [op for op in tf.get_default_graph().get_operations() if op.type == "StringFormat"]
    with tf.Session() as sess:
        sess.run(p)
    out["cases"].append({"id": case_id, "source": source, "kwargs": kwargs, "text": open(path).read(), "ops": ops,
                         "template": fmt[0].get_attr("template").decode() if fmt else None,
                         "placeholder": fmt[0].get_attr("placeholder").decode() if fmt else None})

tf.reset_default_graph()
x = tf.placeholder(tf.float32, name="x")
p = tf.print("x is", x, name="show")
out["named"] = {"op": p.name, "type": p.type,
                "ops": [[op.name, op.type] for op in tf.get_default_graph().get_operations()],
                "stream": p.get_attr("output_stream").decode(), "end": p.get_attr("end").decode()}
streams = {}
for label, stream in [("stdout", sys.stdout), ("stderr", sys.stderr), ("info", tf.logging.info),
                      ("warning", tf.logging.warning), ("error", tf.logging.error)]:
    streams[label] = tf.print("s", output_stream=stream).get_attr("output_stream").decode()
out["streams"] = streams
try:
    tf.print("x", output_stream="bogus")
except ValueError as e:
    out["bad_stream"] = str(e)
try:
    tf.strings.format("{} {}", [tf.constant(1)])
except ValueError as e:
    out["format_mismatch"] = str(e)
(DATA / "tf_print_v2.json").write_text(json.dumps(out, indent=1) + "\n")
print("wrote", DATA / "tf_print_v2.json")
