"""Writes tests/data/tf_uint_dtypes.json and the checkpoint tests/data/tf_uint_ckpt/ from TensorFlow: tf.uint32 and
tf.uint64 (DT_UINT32 = 22, DT_UINT64 = 23) as TF's DType gives them, tensors of them built and run (constants, casts,
fills, feeds, the ops whose type lists hold them, tf.Print, summaries), the ops that refuse them, the TensorProto
bytes of their constants, a GraphDef holding them, a V2 checkpoint TF wrote with uint32/uint64 variables (TF's V1
format cannot hold them), and what TF's tf.train.load_checkpoint reads from a checkpoint tfmini wrote. Run with a
TensorFlow install:
/tmp/tfvenv/bin/python tests/data/gen/uint_dtypes.py"""
import json
import os
import pathlib
import shutil
import sys
import tempfile

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
DATA = pathlib.Path(__file__).resolve().parent.parent
CKPT = DATA / "tf_uint_ckpt"

DTYPE_NAMES = ["uint32", "uint64"]

# (id, python source of a tensor): evaluated with `tf` and `np` in scope, then run
VALUE_CASES = [
    ("big_python_int", "tf.constant([2 ** 63])"),
    ("big_python_scalar", "tf.constant(2 ** 64 - 1)"),
    ("convert_big", "tf.convert_to_tensor(2 ** 63 + 5)"),
    ("numpy_uint32", "tf.constant(np.uint32(7))"),
    ("numpy_uint64_array", "tf.constant(np.array([0, 2 ** 64 - 1], np.uint64))"),
    ("numpy_uint32_in_list", "tf.constant([np.uint32(3), 4])"),
    ("list_as_uint32", "tf.constant([1, 2, 4294967295], tf.uint32)"),
    ("scalar_filled", "tf.constant(5, tf.uint64, shape=[3])"),
    ("cast_from_int32", "tf.cast(tf.constant([-1, 3]), tf.uint32)"),
    ("cast_from_float", "tf.cast(tf.constant([1.7, 2.5, 0.0]), tf.uint64)"),
    ("cast_to_int32", "tf.cast(tf.constant([4294967295, 7], tf.uint32), tf.int32)"),
    ("cast_to_float64", "tf.cast(tf.constant([2 ** 64 - 1], tf.uint64), tf.float64)"),
    ("cast_between", "tf.cast(tf.constant([2 ** 40 + 3], tf.uint64), tf.uint32)"),
    ("cast_to_bool", "tf.cast(tf.constant([0, 2], tf.uint32), tf.bool)"),
    ("zeros", "tf.zeros([2, 3], tf.uint32)"),
    ("ones", "tf.ones([2], tf.uint64)"),
    ("fill", "tf.fill([2], tf.constant(7, tf.uint32))"),
    ("zeros_like", "tf.zeros_like(tf.constant([1, 2], tf.uint64))"),
    ("ones_like", "tf.ones_like(tf.constant([1], tf.uint32))"),
    ("add", "tf.constant([3, 4294967295], tf.uint32) + tf.constant([4, 1], tf.uint32)"),
    ("sub", "tf.constant([7, 2], tf.uint64) - tf.constant([3, 1], tf.uint64)"),
    ("mul", "tf.constant([3, 5], tf.uint32) * 4"),
    ("floordiv", "tf.constant([7, 9], tf.uint64) // tf.constant([2, 4], tf.uint64)"),
    ("floormod", "tf.constant([7, 9], tf.uint32) % tf.constant([2, 4], tf.uint32)"),
    ("truediv", "tf.constant([7, 9], tf.uint32) / tf.constant([2, 4], tf.uint32)"),
    ("truediv64", "tf.constant([7], tf.uint64) / tf.constant([2], tf.uint64)"),
    ("maximum", "tf.maximum(tf.constant([3, 9], tf.uint64), tf.constant([5, 1], tf.uint64))"),
    ("less", "tf.constant([3, 9], tf.uint32) < tf.constant([5, 1], tf.uint32)"),
    ("equal", "tf.equal(tf.constant([3, 9], tf.uint64), tf.constant([3, 1], tf.uint64))"),
    ("square", "tf.square(tf.constant([3, 5], tf.uint32))"),
    ("reduce_sum", "tf.reduce_sum(tf.constant([[1, 2], [3, 4]], tf.uint64), axis=1)"),
    ("reduce_max", "tf.reduce_max(tf.constant(np.array([3, 2 ** 64 - 1, 7], np.uint64)))"),
    ("reduce_prod", "tf.reduce_prod(tf.constant([3, 5], tf.uint32))"),
    ("reduce_mean", "tf.reduce_mean(tf.constant([3, 6], tf.uint32))"),
    ("reduce_mean_big", "tf.reduce_mean(tf.constant([3, 4294967295], tf.uint32))"),
    ("reduce_mean_wraps", "tf.reduce_mean(tf.constant(np.array([2 ** 64 - 1, 3], np.uint64)))"),
    ("saturate_cast_int", "tf.saturate_cast(tf.constant([-1, 2 ** 40], tf.int64), tf.uint32)"),
    ("add_n", "tf.add_n([tf.constant([1, 2], tf.uint32)] * 3)"),
    ("relu", "tf.nn.relu(tf.constant([0, 5], tf.uint64))"),
    ("bias_add", "tf.nn.bias_add(tf.constant([[1, 2]], tf.uint32), tf.constant([10, 20], tf.uint32))"),
    ("argmax", "tf.argmax(tf.constant([3, 9, 1], tf.uint32))"),
    ("top_k", "tf.nn.top_k(tf.constant([3, 9, 1], tf.uint64), 2).values"),
    ("cumsum", "tf.cumsum(tf.constant([3, 9, 1], tf.uint32))"),
    ("segment_sum", "tf.math.segment_sum(tf.constant([3, 9, 1], tf.uint64), [0, 0, 1])"),
    ("cumprod", "tf.cumprod(tf.constant([3, 9, 1], tf.uint64))"),
    ("argmin", "tf.argmin(tf.constant([3, 9, 1], tf.uint64))"),
    ("truncatediv", "tf.truncatediv(tf.constant([7, 9], tf.uint32), tf.constant([2, 4], tf.uint32))"),
    ("segment_max", "tf.math.segment_max(tf.constant([3, 9, 1], tf.uint32), [0, 0, 1])"),
    ("segment_mean", "tf.math.segment_mean(tf.constant([3, 9, 1], tf.uint64), [0, 0, 1])"),
    ("segment_prod", "tf.math.segment_prod(tf.constant([3, 9, 1], tf.uint32), [0, 0, 1])"),
    ("unsorted_segment_max", "tf.math.unsorted_segment_max(tf.constant([3, 9, 1], tf.uint64), [1, 1, 0], 2)"),
    ("unsorted_segment_prod", "tf.math.unsorted_segment_prod(tf.constant([3, 9, 1], tf.uint32), [1, 1, 0], 2)"),
    ("sparse_segment_sum", "tf.sparse.segment_sum(tf.constant([3, 9, 1], tf.uint32), [0, 2], [0, 0])"),
    ("relu6", "tf.nn.relu6(tf.constant([0, 9], tf.uint32))"),
    ("assign_add", "tf.assign_add(tf.Variable(tf.constant([1, 2], tf.uint64)), tf.constant([3, 4], tf.uint64))"),
    ("assign_sub", "tf.assign_sub(tf.Variable(tf.constant([5, 6], tf.uint32)), tf.constant([3, 4], tf.uint32))"),
    ("reduce_max_axis", "tf.reduce_max(tf.constant([[1, 2], [3, 4]], tf.uint32), axis=0)"),
    ("reduce_min", "tf.reduce_min(tf.constant([3, 9, 1], tf.uint64))"),
    ("minimum", "tf.minimum(tf.constant([3, 9], tf.uint32), tf.constant([5, 1], tf.uint32))"),
    ("greater_equal", "tf.constant([3, 9], tf.uint64) >= tf.constant([5, 1], tf.uint64)"),
    ("not_equal", "tf.not_equal(tf.constant([3, 9], tf.uint32), tf.constant([3, 1], tf.uint32))"),
    ("tile", "tf.tile(tf.constant([1, 2], tf.uint64), [2])"),
    ("transpose", "tf.transpose(tf.constant([[1, 2]], tf.uint32))"),
    ("slice", "tf.constant([1, 2, 3], tf.uint64)[1:]"),
    ("expand_dims", "tf.expand_dims(tf.constant([1, 2], tf.uint32), 0)"),
    ("squeeze", "tf.squeeze(tf.constant([[1, 2]], tf.uint64))"),
    ("pad", "tf.pad(tf.constant([1, 2], tf.uint32), [[1, 1]])"),
    ("reverse", "tf.reverse(tf.constant([1, 2], tf.uint64), [0])"),
    ("select", "tf.where([True, False], tf.constant([1, 2], tf.uint32), tf.constant([3, 4], tf.uint32))"),
    ("unique", "tf.unique(tf.constant([5, 5, 2], tf.uint64)).y"),
    ("one_hot", "tf.one_hot([0, 1], 2, dtype=tf.uint64)"),
    ("shape_of", "tf.shape(tf.zeros([2, 3], tf.uint64))"),
    ("placeholder_with_default", "tf.placeholder_with_default(tf.constant([1, 2], tf.uint64), [2])"),
    ("reshape", "tf.reshape(tf.constant([1, 2, 3, 4], tf.uint32), [2, 2])"),
    ("concat", "tf.concat([tf.constant([1], tf.uint64), tf.constant([2 ** 64 - 1], tf.uint64)], 0)"),
    ("stack", "tf.stack([tf.constant([1, 2], tf.uint32), tf.constant([3, 4], tf.uint32)])"),
    ("gather", "tf.gather(tf.constant([5, 6, 7], tf.uint64), [2, 0])"),
    ("where", "tf.where(tf.constant([0, 3, 0, 1], tf.uint32))"),
    ("identity", "tf.identity(tf.constant([2 ** 63], tf.uint64))"),
    ("round_is_identity", "tf.round(tf.constant([1], tf.uint64))"),
    ("variable", "tf.Variable(tf.constant([1, 2], tf.uint32)).initialized_value()"),
    ("print", 'tf.Print(tf.constant([1, 2], tf.uint32), [tf.constant([2 ** 64 - 1], tf.uint64)], "u: ")'),
    ("is_numeric_tensor", "tf.constant(tf.debugging.is_numeric_tensor(tf.constant([1], tf.uint64)))"),
    ("scalar_summary", 'tf.summary.scalar("u", tf.constant(7, tf.uint32))'),
    ("histogram_summary", 'tf.summary.histogram("h", tf.constant([1, 2, 2], tf.uint64))'),
]

# (id, python source): building this raises at graph-build time in TF (the op's type list leaves them out)
REFUSED_CASES = [
    ("abs", "tf.abs(tf.constant([1], tf.uint32))"),
    ("negative", "tf.negative(tf.constant([1], tf.uint64))"),
    ("sign", "tf.sign(tf.constant([1], tf.uint32))"),
    ("pow", "tf.pow(tf.constant([2], tf.uint32), tf.constant([3], tf.uint32))"),
    ("squared_difference", "tf.squared_difference(tf.constant([2], tf.uint64), tf.constant([3], tf.uint64))"),
    ("max_pool", "tf.nn.max_pool(tf.zeros([1, 2, 2, 1], tf.uint32), [1, 1, 1, 1], [1, 1, 1, 1], 'VALID')"),
]

# (id, python source of a value, dtype name, shape): the value of the Const op tf.constant(value, dtype, shape) makes,
# as serialized TensorProto bytes
PROTO_CASES = [
    ("u32_scalar", "np.uint32(5)", "uint32", None),
    ("u32_vector", "[1, 2]", "uint32", None),
    ("u32_max_filled", "4294967295", "uint32", [3]),
    ("u64_scalar", "np.uint64(7)", "uint64", None),
    ("u64_big", "2 ** 64 - 1", "uint64", None),
    ("u64_big_filled", "2 ** 64 - 1", "uint64", [2, 2]),
    ("u64_vector", "[1, 2 ** 63]", "uint64", None),
    ("u64_empty", "np.zeros([0, 2], np.uint64)", "uint64", None),
]

# the variables of the checkpoints: name -> (python source of the value, dtype name)
CKPT_VARIABLES = {
    "u32": ("[[0, 1, 2], [4294967295, 7, 8]]", "uint32"),
    "u64": ("[2 ** 64 - 1, 2 ** 63, 0]", "uint64"),
    "u64_scalar": ("123456789012345", "uint64"),
}


def _value(v):
    return v.tolist() if hasattr(v, "tolist") else (v.decode("latin-1") if isinstance(v, bytes) else v)


def _error(e):
    return {"error": type(e).__name__, "message": str(e).split("\n")[0]}


def run_case(tf, np, source):
    """The dtype, op type and value of `source`'s tensor; or the error building or running it raised."""
    try:
        t = eval(source, {"tf": tf, "np": np})  # noqa: S307 - the tables above
    except Exception as e:  # noqa: BLE001 - recorded
        return _error(e)
    try:
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            v = sess.run(t)
    except Exception as e:  # noqa: BLE001 - recorded
        return _error(e)
    if isinstance(v, bytes):
        return {"dtype": t.dtype.name, "type": t.op.type, "hex": v.hex()}
    return {"dtype": t.dtype.name, "type": t.op.type, "value": _value(v)}


def ckpt_values(np):
    return {k: np.asarray(eval(src), dtype=getattr(np, dt)) for k, (src, dt) in CKPT_VARIABLES.items()}  # noqa: S307


def _tfmini_checkpoint(directory):
    """A checkpoint tfmini's Saver writes: (its prefix)."""
    root = DATA.parents[1]
    sys.path.insert(0, str(root))
    try:
        import tfmini
    finally:
        sys.path.remove(str(root))
    g = tfmini.Graph()
    with g.as_default():
        for k, v in ckpt_values(np).items():
            tfmini.Variable(v, name=k)
        saver = tfmini.train.Saver()
        with tfmini.Session() as sess:
            sess.run(tfmini.global_variables_initializer())
            return saver.save(sess, os.path.join(directory, "tfmini.ckpt"), write_meta_graph=False)


def main():
    out = {"dtypes": {}}
    for name in DTYPE_NAMES:
        d = getattr(tf, name)
        out["dtypes"][name] = {
            "enum": d.as_datatype_enum, "ref_name": d._as_ref.name, "ref_enum": d._as_ref.as_datatype_enum,
            "min": int(d.min), "max": int(d.max), "is_unsigned": d.is_unsigned, "is_integer": d.is_integer,
            "is_floating": d.is_floating, "is_complex": d.is_complex, "is_bool": d.is_bool, "size": d.size,
            "numpy": np.dtype(d.as_numpy_dtype).name, "str": str(d), "repr": repr(d),
            "from_numpy": tf.as_dtype(np.dtype(name)).name, "from_enum": tf.as_dtype(d.as_datatype_enum).name,
            "from_ref_enum": tf.as_dtype(d.as_datatype_enum + 100).name,
            "from_ref_name": tf.as_dtype(name + "_ref").name,
            "real_dtype": d.real_dtype.name}

    out["values"] = []
    for case_id, source in VALUE_CASES:
        tf.reset_default_graph()
        out["values"].append({"id": case_id, "source": source, **run_case(tf, np, source)})
    out["refused"] = []
    for case_id, source in REFUSED_CASES:
        tf.reset_default_graph()
        got = run_case(tf, np, source)
        assert "not in list of allowed values" in got.get("message", ""), case_id
        out["refused"].append({"id": case_id, "source": source, **got})

    out["protos"] = []
    for case_id, source, dt, shape in PROTO_CASES:
        tf.reset_default_graph()
        c = tf.constant(eval(source, {"np": np}), getattr(tf, dt), shape)  # noqa: S307
        out["protos"].append({"id": case_id, "source": source, "dtype": dt, "shape": shape,
                              "hex": c.op.get_attr("value").SerializeToString().hex()})

    # a GraphDef with uint32/uint64 constants, a placeholder and a cast: tfmini imports it and feeds it
    tf.reset_default_graph()
    a = tf.constant([1, 4294967295], tf.uint32, name="a")
    b = tf.constant(2 ** 64 - 1, tf.uint64, name="b")
    p = tf.placeholder(tf.uint64, [2], name="p")
    s = tf.add(tf.cast(a, tf.uint64), p, name="s")
    with tf.Session() as sess:
        feed = np.array([5, 2 ** 63], np.uint64)
        out["graph_def"] = {"hex": tf.get_default_graph().as_graph_def().SerializeToString().hex(),
                            "fetch": ["a:0", "b:0", "s:0"], "feed": {"p:0": feed.tolist()},
                            "values": [_value(v) for v in sess.run([a, b, s], {p: feed})]}

    # checkpoints TF writes (V2 and V1), which tfmini restores
    shutil.rmtree(CKPT, ignore_errors=True)
    os.makedirs(CKPT)
    values = ckpt_values(np)
    tf.reset_default_graph()
    for k, v in values.items():
        tf.Variable(v, name=k)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        tf.train.Saver().save(sess, str(CKPT / "model.ckpt"), write_meta_graph=False)
        try:  # TF's V1 format (SaveSlices) has no uint32/uint64: no V1 file can hold them
            tf.train.Saver(write_version=tf.train.SaverDef.V1).save(sess, str(CKPT / "v1" / "model.ckpt"))
        except tf.errors.InvalidArgumentError as e:
            out["v1_save"] = next(line.strip() for line in str(e).split("\n") if "not implemented" in line)
    os.remove(CKPT / "checkpoint")  # only the files: the test reads them by path
    out["checkpoint"] = {k: {"dtype": str(v.dtype), "value": v.tolist()} for k, v in values.items()}
    r = tf.train.load_checkpoint(str(CKPT / "model.ckpt"))
    assert {k: d.name for k, d in r.get_variable_to_dtype_map().items()} == {
        k: v["dtype"] for k, v in out["checkpoint"].items()}

    # a checkpoint tfmini writes, as TF's reader sees it
    with tempfile.TemporaryDirectory() as d:
        prefix = _tfmini_checkpoint(d)
        r = tf.train.load_checkpoint(prefix)
        out["tf_reads_tfmini"] = {k: {"dtype": dt.name, "value": _value(r.get_tensor(k))}
                                  for k, dt in sorted(r.get_variable_to_dtype_map().items())}
        out["tfmini_files_hex"] = {s: open(prefix + s, "rb").read().hex() for s in (".index", ".data-00000-of-00001")}
    (DATA / "tf_uint_dtypes.json").write_text(json.dumps(out, indent=1) + "\n")
    print("wrote", DATA / "tf_uint_dtypes.json", "and", CKPT)


if __name__ == "__main__":
    main()
