"""Writes tests/data/tf_tfrecord.json: what TF 2.21 (tf.compat.v1, graph mode) gives for the TFRecord + tf.train.Example
data path: TFRecord file bytes (no compression, ZLIB, GZIP), serialized Example / SequenceExample messages,
tf.parse_example / tf.parse_single_example results and errors, tf.decode_raw results and errors, and the graphs'
node names and op types. Run with /tmp/tfvenv/bin/python; tests/test_tfrecord.py builds the same with tfmini."""
import base64
import gzip
import json
import os
import pathlib
import tempfile
import zlib

import numpy as np

RECORDS = [b"", b"abc", bytes(range(256)) * 3, b"\x00" * 10]

# (name, {key: (kind, values)}): kind b(ytes), f(loat), i(nt64)
EXAMPLES = [
    ("image_label", {"image": ("b", [bytes(range(12))]), "label": ("i", [3])}),
    ("mixed", {"z": ("f", [1.5, -2.25, 3e-8]), "a": ("i", [-1, 2 ** 40, 0]), "m": ("b", [b"x", b"", b"yz"])}),
    ("empty_lists", {"e": ("f", []), "s": ("b", [])}),
    ("no_features", {}),
    ("two_labels", {"label": ("i", [1, 2]), "z": ("f", [4.0, 5.0, 6.0, 7.0, 8.0, 9.0])}),
]

# parse cases: (name, specs, examples (names from EXAMPLES or raw hex with "raw:"), single)
# a spec: [key, "fixed"|"var"|"seq", dtype, shape, default(, allow_missing for "seq")]
PARSE = [
    ("dense_ok", [["image", "fixed", "string", [], None], ["label", "fixed", "int64", [], None]],
     ["image_label"], False),
    ("dense_single_ok", [["image", "fixed", "string", [], None], ["label", "fixed", "int64", [], None]],
     ["image_label"], True),
    ("default_used", [["label", "fixed", "int64", [], 7], ["z", "fixed", "float32", [3], [0.0, 0.0, 0.0]]],
     ["image_label", "mixed"], False),
    ("default_used_single", [["label", "fixed", "int64", [], 7]], ["mixed"], True),
    ("shaped", [["a", "fixed", "int64", [3, 1], None], ["m", "fixed", "string", [3], None]], ["mixed"], False),
    ("var", [["m", "var", "string", None, None], ["a", "var", "int64", None, None],
             ["e", "var", "float32", None, None]], ["mixed", "no_features", "empty_lists"], False),
    ("var_single", [["a", "var", "int64", None, None], ["z", "var", "float32", None, None]], ["mixed"], True),
    ("missing", [["label", "fixed", "int64", [], None]], ["mixed"], False),
    ("missing_single", [["label", "fixed", "int64", [], None]], ["mixed"], True),
    ("missing_float", [["w", "fixed", "float32", [2], None]], ["image_label", "mixed"], False),
    ("wrong_type", [["label", "fixed", "float32", [], None]], ["image_label"], False),
    ("wrong_type_single", [["label", "fixed", "string", [], None]], ["image_label"], True),
    ("wrong_type_var", [["z", "var", "int64", None, None]], ["mixed"], False),
    ("wrong_type_var_single", [["z", "var", "string", None, None]], ["mixed"], True),
    ("wrong_size", [["a", "fixed", "int64", [2], None]], ["mixed"], False),
    # the third: an unknown field 3 only (an Example with no features)
    ("default_3rd", [["label", "fixed", "int64", [], 0]],
     ["image_label", "mixed", "raw:1a0b0a090a056c6162656c12001a00"], False),
    ("wrong_size_2nd", [["label", "fixed", "int64", [], None]], ["image_label", "two_labels"], False),
    ("wrong_size_float", [["z", "fixed", "float32", [2], None]], ["mixed"], False),
    ("wrong_size_bytes", [["m", "fixed", "string", [], None]], ["mixed"], False),
    ("wrong_size_single_int", [["a", "fixed", "int64", [2], None]], ["mixed"], True),
    ("wrong_size_single_float", [["z", "fixed", "float32", [2], None]], ["mixed"], True),
    ("wrong_size_single_bytes", [["m", "fixed", "string", [], None]], ["mixed"], True),
    ("fewer_single_int", [["a", "fixed", "int64", [4], None]], ["mixed"], True),
    ("fewer_single_bytes", [["s", "fixed", "string", [], None]], ["empty_lists"], True),
    ("fewer_bytes", [["m", "fixed", "string", [4], None]], ["mixed"], False),
    ("empty_list_fixed", [["s", "fixed", "string", [], None]], ["empty_lists"], False),
    ("seq", [["z", "seq", "float32", [], None, True]], ["mixed", "image_label", "two_labels"], False),
    ("seq_shaped", [["z", "seq", "float32", [3], 0.5, True], ["a", "seq", "int64", [], -1, True]],
     ["two_labels", "mixed", "no_features"], False),
    ("seq_single", [["z", "seq", "float32", [2], None, True]], ["two_labels"], True),
    ("seq_single_missing", [["z", "seq", "float32", [2], None, True]], ["image_label"], True),
    ("seq_not_multiple", [["a", "seq", "int64", [2], None, True]], ["mixed"], False),
    ("seq_not_multiple_single", [["a", "seq", "int64", [2], None, True]], ["mixed"], True),
    ("seq_wrong_type", [["a", "seq", "float32", [], None, True]], ["mixed"], False),
    ("seq_strings", [["m", "seq", "string", [], None, True]], ["mixed", "no_features"], False),
    ("garbage", [["label", "fixed", "int64", [], 0]], ["raw:676172626167650a"], False),
    ("garbage_single", [["label", "fixed", "int64", [], 0]], ["raw:676172626167650a"], True),
    ("empty_string", [["label", "fixed", "int64", [], 5]], ["raw:"], False),
]

BUILD_ERRORS = [
    ("int32_fixed", [["label", "fixed", "int32", [], None]]),
    ("int32_var", [["label", "var", "int32", None, None]]),
    ("no_shape", [["label", "fixed", "float32", None, None]]),
    ("empty", []),
    ("seq_not_allowed_missing", [["z", "seq", "float32", [], None, False]]),
]

NAMES = ["first.jpg", "second.jpg"]

# the features of the parse_example graph (its node names and op types are recorded)
GRAPH_SPECS = [["v", "var", "float32", None, None], ["image", "fixed", "string", [], None],
               ["x", "fixed", "float32", [2], [1.0, 2.0]], ["label", "fixed", "int64", [], None],
               ["b", "var", "string", None, None]]
SEQ_GRAPH_SPECS = [["s", "seq", "float32", [2], 0.5, True], ["t", "seq", "int64", [], None, True]]
SINGLE_GRAPH_SPECS = [["image", "fixed", "string", [], None], ["label", "fixed", "int64", [], None],
                      ["v", "var", "int64", None, None]]

# decode_raw: (name, bytes hex, out_type, little_endian, input shape)
DECODE_RAW = [
    ("u8", bytes(range(12)).hex(), "uint8", True, []),
    ("i16", bytes(range(12)).hex(), "int16", True, []),
    ("i16_be", bytes(range(12)).hex(), "int16", False, []),
    ("i32", bytes(range(12)).hex(), "int32", True, []),
    ("i64", bytes(range(16)).hex(), "int64", True, []),
    ("f32", np.array([1.5, -2.0, 3.25], "<f4").tobytes().hex(), "float32", True, []),
    ("f64_be", np.array([1.5, -2.0], ">f8").tobytes().hex(), "float64", False, []),
    ("batch", bytes(range(8)).hex(), "int16", True, [2]),
    ("empty", "", "int32", True, []),
    ("bad_len", bytes(range(7)).hex(), "int32", True, []),
    ("bad_len_f64", bytes(range(7)).hex(), "float64", True, []),
    ("bad_len_f32", bytes(range(7)).hex(), "float32", True, []),
    ("bad_len_batch", bytes(range(6)).hex(), "int32", True, [2]),
    ("ragged", "", "int32", True, [2]),
]


def make_example(tf, feats):
    f = {}
    for k, (kind, v) in feats.items():
        if kind == "b":
            f[k] = tf.train.Feature(bytes_list=tf.train.BytesList(value=v))
        elif kind == "f":
            f[k] = tf.train.Feature(float_list=tf.train.FloatList(value=v))
        else:
            f[k] = tf.train.Feature(int64_list=tf.train.Int64List(value=v))
    return tf.train.Example(features=tf.train.Features(feature=f))


def make_sequence_example(tf):
    ctx = tf.train.Features(feature={"len": tf.train.Feature(int64_list=tf.train.Int64List(value=[2]))})
    fl = tf.train.FeatureList(feature=[tf.train.Feature(float_list=tf.train.FloatList(value=[1.0, 2.0])),
                                       tf.train.Feature(float_list=tf.train.FloatList(value=[3.0]))])
    return tf.train.SequenceExample(context=ctx, feature_lists=tf.train.FeatureLists(feature_list={"frames": fl}))


def specs_dict(tf, specs):
    dt = {"string": tf.string, "int64": tf.int64, "float32": tf.float32, "int32": tf.int32}
    out = {}
    for key, kind, dtype, shape, default, *allow in specs:
        if kind == "fixed":
            out[key] = tf.FixedLenFeature(shape, dt[dtype], default_value=default)
        elif kind == "seq":
            out[key] = tf.io.FixedLenSequenceFeature(shape, dt[dtype], allow_missing=allow[0], default_value=default)
        else:
            out[key] = tf.VarLenFeature(dt[dtype])
    return out


def serialized(names, examples):
    return [bytes.fromhex(n[4:]) if n.startswith("raw:") else examples[n] for n in names]


def core_message(e):
    """TF 2's error text less its graph-execution wrapping: the line after "Node: '...'" (TF 1's message)."""
    lines = e.message.splitlines()
    start = next((i + 1 for i, line in enumerate(lines) if line.startswith("Node: ")), 0)
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("\t [[")), len(lines))
    return "\n".join(lines[start:end])


def value_json(v):
    if hasattr(v, "indices"):
        return {"indices": v.indices.tolist(), "values": value_json(v.values), "dense_shape": v.dense_shape.tolist()}
    v = np.asarray(v, object) if isinstance(v, bytes) or np.asarray(v).dtype.kind in "SO" else np.asarray(v)
    if v.dtype == object:
        return {"dtype": "string", "shape": list(v.shape), "hex": [x.hex() for x in v.reshape(-1)]}
    return {"dtype": v.dtype.name, "shape": list(v.shape), "values": v.reshape(-1).tolist()}


def graph_ops(g):
    return [[op.name, op.type, [t.dtype.name for t in op.outputs],
             [None if t.shape.ndims is None else [d for d in t.shape.as_list()] for t in op.outputs]]
            for op in g.get_operations()]


def main():
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    out = {}
    # ---- TFRecord files
    files = {}
    with tempfile.TemporaryDirectory() as d:
        for comp in ["", "ZLIB", "GZIP"]:
            path = os.path.join(d, "f" + comp)
            with tf.python_io.TFRecordWriter(path, tf.python_io.TFRecordOptions(comp or None)) as w:
                for r in RECORDS:
                    w.write(r)
            raw = pathlib.Path(path).read_bytes()
            payload = raw if comp == "" else zlib.decompress(raw) if comp == "ZLIB" else gzip.decompress(raw)
            files[comp or "NONE"] = {"file": base64.b64encode(raw).decode(),
                                     "payload": base64.b64encode(payload).decode()}
    out["records"] = [base64.b64encode(r).decode() for r in RECORDS]
    out["files"] = files
    # ---- messages
    # deterministic: protobuf writes a map's entries in its hash order, which changes from process to process
    # (TF's too); deterministic=True writes them sorted by key
    examples = {name: make_example(tf, feats).SerializeToString(deterministic=True) for name, feats in EXAMPLES}
    out["examples"] = {k: v.hex() for k, v in examples.items()}
    out["sequence_example"] = make_sequence_example(tf).SerializeToString(deterministic=True).hex()
    out["example_text"] = str(make_example(tf, {"image": EXAMPLES[0][1]["image"]}))
    # ---- parsing
    cases = {}
    for name, specs, names, single in PARSE:
        g = tf.Graph()
        with g.as_default():
            s = tf.placeholder(tf.string, [] if single else [None])
            res = (tf.parse_single_example if single else tf.parse_example)(s, specs_dict(tf, specs))
            feed = serialized(names, examples)
            with tf.Session() as sess:
                try:
                    got = sess.run(res, {s: feed[0] if single else feed})
                    cases[name] = {"values": {k: value_json(v) for k, v in got.items()}}
                except tf.errors.OpError as e:
                    cases[name] = {"error": type(e).__name__, "message": core_message(e)}
    out["parse"] = cases
    build = {}
    for name, specs in BUILD_ERRORS:
        with tf.Graph().as_default():
            try:
                tf.parse_example(tf.placeholder(tf.string, [None]), specs_dict(tf, specs))
                build[name] = None
            except (TypeError, ValueError) as e:
                build[name] = {"error": type(e).__name__, "message": str(e)}
    out["build_errors"] = build
    with tf.Graph().as_default():  # example_names name the failing example in a batch's message
        s = tf.placeholder(tf.string, [None])
        res = tf.parse_example(s, specs_dict(tf, [["label", "fixed", "int64", [], None]]), example_names=NAMES)
        with tf.Session() as sess:
            try:
                sess.run(res, {s: serialized(["image_label", "mixed"], examples)})
            except tf.errors.OpError as e:
                out["named_error"] = {"error": type(e).__name__, "message": core_message(e)}
    # ---- decode_raw
    dr = {}
    for name, hexbytes, out_type, le, shape in DECODE_RAW:
        with tf.Graph().as_default():
            s = tf.placeholder(tf.string, shape)
            d = tf.decode_raw(s, getattr(tf, out_type), little_endian=le)
            feed = bytes.fromhex(hexbytes) if not shape else [bytes.fromhex(hexbytes)] * shape[0]
            if name == "ragged":
                feed = [bytes(4), bytes(8)]
            with tf.Session() as sess:
                try:
                    dr[name] = {"values": value_json(sess.run(d, {s: feed})), "static": d.shape.as_list()}
                except tf.errors.OpError as e:
                    dr[name] = {"error": type(e).__name__, "message": core_message(e)}
    out["decode_raw"] = dr
    # ---- graphs
    graphs = {}
    g = tf.Graph()
    with g.as_default():
        s = tf.placeholder(tf.string, [None], name="serialized")
        f = tf.parse_example(s, specs_dict(tf, GRAPH_SPECS))
        graphs["parse_example"] = {"ops": graph_ops(g), "outputs": {
            k: ([v.indices.name, v.values.name, v.dense_shape.name] if hasattr(v, "indices") else v.name)
            for k, v in f.items()}}
        pn = [n for n in g.as_graph_def().node if n.op == "ParseExampleV2"][0]
        graphs["parse_example"]["attrs"] = sorted(pn.attr.keys())
    g = tf.Graph()
    with g.as_default():
        s = tf.placeholder(tf.string, [None], name="serialized")
        f = tf.parse_example(s, specs_dict(tf, SEQ_GRAPH_SPECS))
        graphs["sequence_features"] = {"ops": graph_ops(g), "outputs": {k: v.name for k, v in f.items()}}
    g = tf.Graph()
    with g.as_default():
        s = tf.placeholder(tf.string, [], name="serialized")
        f = tf.parse_single_example(s, specs_dict(tf, SINGLE_GRAPH_SPECS))
        img = tf.decode_raw(f["image"], tf.uint8)
        graphs["parse_single_example"] = {"ops": graph_ops(g), "outputs": {
            k: ([v.indices.name, v.values.name, v.dense_shape.name] if hasattr(v, "indices") else v.name)
            for k, v in f.items()}, "decode_raw": img.name}
    out["graphs"] = graphs
    dest = pathlib.Path(__file__).resolve().parents[1] / "tf_tfrecord.json"
    dest.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print("wrote", dest)


if __name__ == "__main__":
    main()
