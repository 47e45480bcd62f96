"""TFRecord files and tf.train.Example: tf.python_io.TFRecordWriter / tf_record_iterator (bytes equal to TF's, none,
ZLIB and GZIP), the Example message classes (serialized bytes equal to TF's), tf.parse_example /
tf.parse_single_example (values, static shapes, node names and op types, TF's errors) and tf.decode_raw, against
TF 2.21 (tests/data/tf_tfrecord.json, from tests/data/gen/tfrecord.py); the framing shared with event files."""
import base64
import importlib.util
import io
import json
import pathlib
import re
import struct
import sys

import numpy as np
import pytest

import tfmini as tf
from optable import Row, rows_test
from tfmini.io import records

_GEN = pathlib.Path(__file__).parent / "data" / "gen" / "tfrecord.py"
_spec = importlib.util.spec_from_file_location("gen_tfrecord", _GEN)
gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen)
GOLD = json.loads((pathlib.Path(__file__).parent / "data" / "tf_tfrecord.json").read_text())
RECORDS = [base64.b64decode(r) for r in GOLD["records"]]
EXAMPLES = {name: bytes.fromhex(h) for name, h in GOLD["examples"].items()}


def _parse_row(tf, key, feature, names=("image_label", "mixed")):
    return tf.parse_example(tf.constant([EXAMPLES[n] for n in names]), {key: feature})[key]


CASES = [
    Row("ParseExampleV2", lambda tf: _parse_row(tf, "label", tf.FixedLenFeature([], tf.int64, default_value=-1)),
        np.array([3, -1], np.int64), id="ParseExampleV2-dense-default"),
    Row("ParseExampleV2", lambda tf: _parse_row(tf, "z", tf.FixedLenFeature([1, 3], tf.float32), ["mixed"]),
        np.array([[[1.5, -2.25, 3e-8]]], np.float32), id="ParseExampleV2-dense-shaped"),
    Row("ParseExampleV2", lambda tf: _parse_row(tf, "a", tf.VarLenFeature(tf.int64)).values,
        np.array([-1, 2 ** 40, 0], np.int64), id="ParseExampleV2-sparse-values"),
    Row("ParseExampleV2", lambda tf: tf.parse_single_example(tf.constant(EXAMPLES["mixed"]),
                                                              {"a": tf.VarLenFeature(tf.int64)})["a"].indices,
        np.array([[0], [1], [2]], np.int64), id="ParseExampleV2-single-sparse-indices"),
    Row("DecodeRaw", lambda tf: tf.decode_raw(tf.constant([b"\x01\x00\x02\x00", b"\x00\x01\x00\x02"]), tf.int16),
        np.array([[1, 2], [256, 512]], np.int16), id="DecodeRaw-int16"),
    Row("DecodeRaw", lambda tf: tf.decode_raw(tf.constant(np.array([2.5, -1], ">f4").tobytes()), tf.float32,
                                              little_endian=False),
        np.array([2.5, -1], np.float32), id="DecodeRaw-float32-big-endian"),
]
test_row = rows_test(CASES)


def _value(v):
    """A fetched value in the generator's JSON form."""
    if isinstance(v, tf.SparseTensorValue):
        return {"indices": np.asarray(v.indices).tolist(), "values": _value(v.values),
                "dense_shape": np.asarray(v.dense_shape).tolist()}
    v = np.asarray(v, object) if isinstance(v, bytes) or np.asarray(v).dtype.kind in "SO" else np.asarray(v)
    if v.dtype == object:
        return {"dtype": "string", "shape": list(v.shape), "hex": [bytes(x).hex() for x in v.reshape(-1)]}
    return {"dtype": v.dtype.name, "shape": list(v.shape), "values": v.reshape(-1).tolist()}


# =========================================================================== framing, files
@pytest.mark.parametrize("compression", ["NONE", "ZLIB", "GZIP"])
def test_written_file_is_tensorflows_byte_for_byte(tmp_path, compression):
    path = tmp_path / "f.tfrecord"
    with tf.python_io.TFRecordWriter(str(path), "" if compression == "NONE" else compression) as w:
        for r in RECORDS:
            w.write(r)
    assert path.read_bytes() == base64.b64decode(GOLD["files"][compression]["file"])  # gzip header included


@pytest.mark.parametrize("compression", ["NONE", "ZLIB", "GZIP"])
def test_reads_tensorflows_file(tmp_path, compression):
    path = tmp_path / "tf.tfrecord"
    path.write_bytes(base64.b64decode(GOLD["files"][compression]["file"]))
    opts = tf.python_io.TFRecordOptions(None if compression == "NONE" else
                                        getattr(tf.python_io.TFRecordCompressionType, compression))
    assert list(tf.python_io.tf_record_iterator(str(path), opts)) == RECORDS
    assert list(tf.io.tf_record_iterator(str(path), compression if compression != "NONE" else None)) == RECORDS


def test_framing_round_trip_and_summary_reader_share_it(tmp_path):
    data = b"".join(records.frame(r) for r in RECORDS)
    assert data == base64.b64decode(GOLD["files"]["NONE"]["file"])
    assert list(records.iter_records(io.BytesIO(data))) == RECORDS
    from tfmini.summary import summary_iterator, writer
    assert writer.record_bytes(b"abc") == records.frame(b"abc")
    path = tmp_path / "r"
    path.write_bytes(data)
    assert list(summary_iterator.tf_record_iterator(str(path))) == RECORDS


@pytest.mark.parametrize("damage, message", [
    (lambda raw: raw[:-3], "truncated record at 16"),           # the second record (b"abc") starts at 12 + 0 + 4
    (lambda raw: raw[:29] + b"X" + raw[30:], "corrupted record at 28"),  # its data (at 16 + 12) damaged
    (lambda raw: raw[:8] + b"XXXX" + raw[12:], r"corrupted record at 0 \(Is this even a TFRecord file\?\)"),
    (lambda raw: raw[:5], "truncated record at 0"),
])
def test_damaged_file_is_data_loss(tmp_path, damage, message):
    raw = records.frame(b"") + records.frame(b"abc")
    path = tmp_path / "bad"
    path.write_bytes(damage(raw))
    with pytest.raises(tf.errors.DataLossError, match=message):
        list(tf.python_io.tf_record_iterator(str(path)))


def test_writer_and_iterator_errors(tmp_path):
    with pytest.raises(tf.errors.NotFoundError, match="nope.tfrecord; No such file or directory"):
        tf.python_io.tf_record_iterator(str(tmp_path / "nope.tfrecord"))
    with pytest.raises(tf.errors.NotFoundError, match="No such file or directory"):
        tf.python_io.TFRecordWriter(str(tmp_path / "no" / "dir" / "x"))
    with pytest.raises(ValueError, match='Not a valid compression_type: "BZ2"'):
        tf.python_io.TFRecordWriter(str(tmp_path / "x"), "BZ2")
    w = tf.python_io.TFRecordWriter(str(tmp_path / "x"))
    w.close()
    w.close()  # a second close is fine
    with pytest.raises(tf.errors.FailedPreconditionError, match="Writer is closed."):
        w.write(b"x")
    assert tf.python_io.TFRecordOptions.get_compression_type_string(None) == ""
    assert tf.python_io.TFRecordOptions.get_compression_type_string(tf.python_io.TFRecordCompressionType.GZIP) == "GZIP"
    with tf.python_io.TFRecordWriter(str(tmp_path / "plain")) as w:
        w.write(b"abc")
    # read as GZIP: zlib's error in TF's words, as the readers and datasets give it (tests/test_readers.py)
    with pytest.raises(tf.errors.DataLossError, match=r"^inflate\(\) failed with error -3: incorrect header check$"):
        list(tf.python_io.tf_record_iterator(str(tmp_path / "plain"), "GZIP"))


def test_flush_with_sync_flush_mode_makes_the_records_readable_before_close(tmp_path):
    import zlib
    path = tmp_path / "z"
    w = tf.python_io.TFRecordWriter(str(path), tf.python_io.TFRecordOptions("ZLIB", flush_mode=zlib.Z_SYNC_FLUSH))
    w.write(b"abc")
    w.write("h\u00e9")  # a str is written as UTF-8
    w.flush()
    assert records.frame(b"abc") in zlib.decompressobj().decompress(path.read_bytes())
    w.close()
    assert list(tf.python_io.tf_record_iterator(str(path), "ZLIB")) == [b"abc", "h\u00e9".encode()]


# =========================================================================== messages
def _example(name):
    return gen.make_example(tf, dict(gen.EXAMPLES)[name])


@pytest.mark.parametrize("name", list(GOLD["examples"]))
def test_example_bytes_are_tensorflows(name):
    msg = _example(name)
    # deterministic: map entries sorted by key (without it protobuf, TF's included, writes them in hash order)
    assert msg.SerializeToString(deterministic=True).hex() == GOLD["examples"][name]
    assert tf.train.Example.FromString(EXAMPLES[name]) == msg


def test_sequence_example_and_text_format():
    assert gen.make_sequence_example(tf).SerializeToString(deterministic=True).hex() == GOLD["sequence_example"]
    one = gen.make_example(tf, {"image": dict(gen.EXAMPLES)["image_label"]["image"]})
    assert str(one) == GOLD["example_text"]
    assert one.SerializeToString() == one.SerializeToString(deterministic=True)  # one entry: one order
    assert tf.train.Feature.DESCRIPTOR.full_name == "tensorflow.Feature"
    assert _example("image_label").features.feature["label"].WhichOneof("kind") == "int64_list"


def test_import_tfmini_loads_no_protobuf():
    import subprocess
    code = "import sys, tfmini; print('google.protobuf' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_end_to_end_write_examples_read_and_parse(tmp_path):
    img = np.arange(12, dtype=np.uint8).reshape(3, 4)
    path = str(tmp_path / "train.tfrecord")
    with tf.python_io.TFRecordWriter(path) as w:
        for label in (3, 5):
            ex = tf.train.Example(features=tf.train.Features(feature={
                "image": tf.train.Feature(bytes_list=tf.train.BytesList(value=[(img + label).tobytes()])),
                "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[label]))}))
            w.write(ex.SerializeToString())
    serialized = tf.placeholder(tf.string, [])
    feats = tf.parse_single_example(serialized, {"image": tf.FixedLenFeature([], tf.string),
                                                 "label": tf.FixedLenFeature([], tf.int64)})
    image = tf.reshape(tf.decode_raw(feats["image"], tf.uint8), [3, 4])
    with tf.Session() as sess:
        got = [sess.run([image, feats["label"]], {serialized: rec}) for rec in tf.python_io.tf_record_iterator(path)]
    assert [int(lab) for _, lab in got] == [3, 5]
    np.testing.assert_array_equal(got[1][0], img + 5)
    assert got[1][0].dtype == np.uint8


# =========================================================================== parsing
def _specs(specs):
    return gen.specs_dict(tf, specs)


@pytest.mark.parametrize("name, specs, names, single", gen.PARSE, ids=[c[0] for c in gen.PARSE])
def test_parse_matches_tensorflow(name, specs, names, single):
    want = GOLD["parse"][name]
    s = tf.placeholder(tf.string, [] if single else [None])
    res = (tf.parse_single_example if single else tf.parse_example)(s, _specs(specs))
    feed = gen.serialized(names, EXAMPLES)
    with tf.Session() as sess:
        if "error" in want:
            with pytest.raises(getattr(tf.errors, want["error"])) as info:
                sess.run(res, {s: feed[0] if single else feed})
            assert info.value.message.split("\n\t [[")[0] == want["message"]  # less tfmini's node context
        else:
            got = sess.run(res, {s: feed[0] if single else feed})
            assert {k: _value(v) for k, v in got.items()} == want["values"]


@pytest.mark.parametrize("name", [c[0] for c in gen.BUILD_ERRORS])
def test_parse_build_errors_match_tensorflow(name):
    specs = dict(gen.BUILD_ERRORS)[name]
    want = GOLD["build_errors"][name]
    with pytest.raises((TypeError, ValueError)) as info:
        tf.parse_example(tf.placeholder(tf.string, [None]), _specs(specs))
    assert type(info.value).__name__ == want["error"]
    assert str(info.value) == want["message"]


def test_example_names_name_the_failing_example():
    want = GOLD["named_error"]
    s = tf.placeholder(tf.string, [None])
    res = tf.parse_example(s, _specs([["label", "fixed", "int64", [], None]]), example_names=gen.NAMES)
    with tf.Session() as sess:
        with pytest.raises(getattr(tf.errors, want["error"])) as info:
            sess.run(res, {s: gen.serialized(["image_label", "mixed"], EXAMPLES)})
    assert info.value.message.split("\n\t [[")[0] == want["message"]


def _ops(g):
    return [[op.name, op.type, [t.dtype.name for t in op.outputs],
             [None if t.shape.ndims is None else list(t.shape.as_list()) for t in op.outputs]]
            for op in g.get_operations()]


def _names(f):
    return {k: ([v.indices.name, v.values.name, v.dense_shape.name] if isinstance(v, tf.SparseTensor) else v.name)
            for k, v in f.items()}


def test_parse_example_graph_is_tensorflows():
    want = GOLD["graphs"]["parse_example"]
    g = tf.Graph()
    with g.as_default():
        s = tf.placeholder(tf.string, [None], name="serialized")
        f = tf.parse_example(s, _specs(gen.GRAPH_SPECS))
        assert _ops(g) == want["ops"]
        assert _names(f) == want["outputs"]
        node = [n for n in g.as_graph_def().node if n.op == "ParseExampleV2"][0]
        assert sorted(node.attr.keys()) == want["attrs"]
        assert [d.size for d in node.attr["dense_shapes"].list.shape[2].dim] == [2]
        assert node.attr["num_sparse"].i == 2


def test_parse_single_example_and_decode_raw_graph_is_tensorflows():
    want = GOLD["graphs"]["parse_single_example"]
    g = tf.Graph()
    with g.as_default():
        s = tf.placeholder(tf.string, [], name="serialized")
        f = tf.parse_single_example(s, _specs(gen.SINGLE_GRAPH_SPECS))
        img = tf.decode_raw(f["image"], tf.uint8)
        assert _ops(g) == want["ops"]
        assert _names(f) == want["outputs"]
        assert img.name == want["decode_raw"]


def test_sequence_feature_graph():
    """TF's graph, but for one node: TF converts the [] of reshape(padding, []) twice (a float32 Const
    Reshape/shape, unused, then an int32 one, Reshape/shape_1); tfmini makes only the int32 one, Reshape/shape."""
    want = GOLD["graphs"]["sequence_features"]
    g = tf.Graph()
    with g.as_default():
        s = tf.placeholder(tf.string, [None], name="serialized")
        f = tf.parse_example(s, _specs(gen.SEQ_GRAPH_SPECS))
        ops = [op for op in want["ops"] if op[0] != "ParseExample/Reshape/shape"]
        ops = [["ParseExample/Reshape/shape"] + op[1:] if op[0] == "ParseExample/Reshape/shape_1" else op for op in ops]
        assert _ops(g) == ops
        assert _names(f) == want["outputs"]


def test_placeholder_batch_to_parse_example_end_to_end():
    s = tf.placeholder(tf.string, [None])
    f = tf.io.parse_example(s, {"image": tf.io.FixedLenFeature([], tf.string),
                                "label": tf.io.FixedLenFeature([], tf.int64),
                                "m": tf.io.VarLenFeature(tf.string)})
    pixels = tf.decode_raw(f["image"], tf.uint8)
    dense_m = tf.sparse_tensor_to_dense(f["m"], default_value="-")
    with tf.Session() as sess:
        # image_label has no "m": the sparse tensor has no values in its row
        p, lab, m = sess.run([pixels, f["label"], dense_m], {s: [EXAMPLES["image_label"]] * 2})
    assert p.shape == (2, 12) and p.dtype == np.uint8 and lab.tolist() == [3, 3]
    assert m.shape == (2, 0)


def test_dataset_map_parse_single_example():
    second = gen.make_example(tf, {"image": ("b", [bytes(range(5, 17))]), "label": ("i", [9])})
    serialized = [_example("image_label").SerializeToString(), second.SerializeToString()]

    def parse(record):
        feats = tf.parse_single_example(record, {"image": tf.FixedLenFeature([], tf.string),
                                                 "label": tf.FixedLenFeature([], tf.int64)})
        return tf.decode_raw(feats["image"], tf.uint8), feats["label"]

    ds = tf.data.Dataset.from_tensor_slices(serialized).map(parse).batch(2)
    images, labels = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        im, lab = sess.run([images, labels])
    assert lab.tolist() == [3, 9]
    np.testing.assert_array_equal(im, [list(range(12)), list(range(5, 17))])


def test_parse_static_shapes():
    s = tf.placeholder(tf.string, [4])
    f = tf.parse_example(s, {"a": tf.FixedLenFeature([2, 3], tf.float32), "v": tf.VarLenFeature(tf.int64)})
    assert f["a"].shape.as_list() == [4, 2, 3]
    assert f["v"].indices.shape.as_list() == [None, 2]
    assert f["v"].dense_shape.shape.as_list() == [2]
    with pytest.raises(ValueError, match="Shape must be at most rank 1 but is rank 2"):
        tf.parse_example(tf.placeholder(tf.string, [2, 2]), {"a": tf.FixedLenFeature([], tf.int64)})


# =========================================================================== DecodeRaw
@pytest.mark.parametrize("name, hexbytes, out_type, little_endian, shape", gen.DECODE_RAW,
                         ids=[c[0] for c in gen.DECODE_RAW])
def test_decode_raw_matches_tensorflow(name, hexbytes, out_type, little_endian, shape):
    want = GOLD["decode_raw"][name]
    s = tf.placeholder(tf.string, shape)
    d = tf.decode_raw(s, getattr(tf, out_type), little_endian=little_endian)
    feed = bytes.fromhex(hexbytes) if not shape else [bytes.fromhex(hexbytes)] * shape[0]
    if name == "ragged":
        feed = [bytes(4), bytes(8)]
    with tf.Session() as sess:
        if "error" in want:
            with pytest.raises(getattr(tf.errors, want["error"])) as info:
                sess.run(d, {s: feed})
            assert info.value.message.split("\n\t [[")[0] == want["message"]  # less tfmini's node context
        else:
            assert d.shape.as_list() == want["static"]
            assert _value(sess.run(d, {s: feed})) == want["values"]


def test_feature_spec_errors_are_tensorflows():
    s = tf.placeholder(tf.string, [None])
    with pytest.raises(ValueError, match=r"^Invalid argument: features cannot be empty.$"):
        tf.parse_single_example(tf.placeholder(tf.string, []), {})
    with pytest.raises(ValueError, match=re.escape(
            "First dimension of shape for feature a unknown. Consider using FixedLenSequenceFeature. Received "
            "feature=FixedLenFeature(shape=[None], dtype=tf.int64, default_value=None).")):
        tf.parse_example(s, {"a": tf.FixedLenFeature([None], tf.int64)})


def test_names_are_where_tensorflow_1_has_them():
    assert tf.io.parse_single_example is tf.parse_single_example and tf.io.parse_example is tf.parse_example
    assert tf.io.decode_raw is tf.decode_raw and tf.io.VarLenFeature is tf.VarLenFeature
    assert tf.io.FixedLenFeature is tf.FixedLenFeature
    assert tf.io.FixedLenSequenceFeature is tf.FixedLenSequenceFeature
    for name in ("TFRecordWriter", "TFRecordOptions", "TFRecordCompressionType", "tf_record_iterator"):
        assert getattr(tf.io, name) is getattr(tf.python_io, name)
    for name in ("Example", "SequenceExample", "Features", "Feature", "FeatureList", "FeatureLists", "BytesList",
                 "FloatList", "Int64List"):
        assert getattr(tf.train, name).DESCRIPTOR.full_name == "tensorflow." + name
    with pytest.raises(AttributeError, match="has no attribute 'tf_record_random_reader'"):
        tf.python_io.tf_record_random_reader
    assert repr(tf.FixedLenFeature([], tf.int64)) == "FixedLenFeature(shape=[], dtype=tf.int64, default_value=None)"


def test_decode_raw_rejects_a_string_out_type():
    with pytest.raises(TypeError, match="Value passed to parameter 'out_type' has DataType string not in list of "
                                        "allowed values: float16, float32, float64, int32, uint16, uint8, int16, "
                                        "int8, int64, complex64, complex128, bool, bfloat16"):
        tf.decode_raw(tf.constant(b"ab"), tf.string)
    assert struct.pack("<h", 1) == np.int16(1).astype("<i2").tobytes()  # the wire order the goldens use
