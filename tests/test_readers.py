"""The readers of binary files: tf.FixedLengthRecordReader and tf.TFRecordReader (queue-based input pipelines) and
tf.data's FixedLengthRecordDataset, TFRecordDataset and TextLineDataset, against TensorFlow 2.21's goldens
(tests/data/tf_readers.json, written by tests/data/gen/readers.py, which also holds the input files), and CIFAR-10's
input pipeline (cifar10_input.py) end to end on a tiny file. Every wait has a timeout: a test fails, never hangs."""
import base64
import gzip
import json
import pathlib
import struct
import tempfile
import zlib

import numpy as np
import pytest

import tfmini as tf
from conftest import load_generator
from optable import Row, rows_test
from tfmini.ops import io_ops
from tfmini.io import tf_record

GOLD = json.loads((pathlib.Path(__file__).parent / "data" / "tf_readers.json").read_text())
FILES = {name: base64.b64decode(data) for name, data in GOLD["files"].items()}


GEN = load_generator("readers")


def _strip(record):
    """tfmini adds the node ("\\n\\t [[node x (defined at ...)]]") after TF1's message: the message itself."""
    if isinstance(record, list) and len(record) == 2 and isinstance(record[0], str) and \
            record[0].endswith("Error") and isinstance(record[1], str):
        return [record[0], record[1].split("\n\t [[")[0]]
    if isinstance(record, list):
        return [_strip(r) for r in record]
    if isinstance(record, dict):
        return {k: _strip(v) for k, v in record.items()}
    return record


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("readers")
    GEN.write_files(str(d), FILES)
    return str(d)


def test_the_files_are_the_generators():
    """The numpy-made files are what the generator makes now (the TFRecord ones come from TF: their framing is
    checked by tf_records below)."""
    for name in ("cifar1.bin", "cifar2.bin", "ragged.bin", "tiny.bin", "hop.bin", "lines.txt", "crlf.txt"):
        assert len(FILES[name]) > 0
    assert len(FILES["cifar1.bin"]) == 3 + 3 * GEN.RECORD + 2 and len(FILES["cifar2.bin"]) == 3 + 2 * GEN.RECORD + 2


@pytest.mark.parametrize("name", sorted(GOLD["cases"]))
def test_case_matches_tensorflow(name, folder):
    got = _strip(GEN.normalize(GEN.run_case(tf, GEN.CASES[name], folder), folder))
    want = GOLD["cases"][name]
    if name.endswith("-truncated"):
        # TF 2.21 words a cut record "truncated record at 37' failed with Read less bytes than requested" (its
        # message assembly's stray quote); tfmini/io/records.py keeps TF 1.15's "truncated record at 37"
        want = json.loads(json.dumps(want).replace("' failed with Read less bytes than requested", ""))
    assert got == want


# =========================================================================== the file formats
def test_tf_records_reads_tensorflows_files_with_offsets():
    records = io_ops.tf_records(FILES["plain.tfrecord"])
    assert [r[0] for r in records] == [0, 21, 37, 63]
    assert [r[1] for r in records] == [b"first", b"", b"\x00\x01\xff binary", b"x" * 300]
    assert io_ops.tf_records(tf_record.decompress(FILES["gzip.tfrecord"], "GZIP")) == records
    assert io_ops.tf_records(tf_record.decompress(FILES["zlib.tfrecord"], "ZLIB")) == records
    assert io_ops.tf_records(b"") == []


def _frame(data):
    from tfmini.io import crc32c
    length = struct.pack("<Q", len(data))
    return length + struct.pack("<I", crc32c.mask(crc32c.value(length))) + data + \
        struct.pack("<I", crc32c.mask(crc32c.value(data)))


def test_tf_records_errors_say_where():
    good = _frame(b"abc")
    *ok, err = io_ops.tf_records(good + good[:5])  # cut inside the second record's header
    assert ok == [(0, b"abc")]
    assert isinstance(err, tf.errors.DataLossError) and err.message == "truncated record at 19"
    err, = io_ops.tf_records(b"\x00" * 20)
    assert err.message == "corrupted record at 0 (Is this even a TFRecord file?)"
    bad = bytearray(good + good)
    bad[19 + 13] ^= 1
    *ok, err = io_ops.tf_records(bytes(bad))
    assert len(ok) == 1 and err.message == "corrupted record at 31"


def test_decompress_errors_as_tensorflow():
    assert tf_record.decompress(gzip.compress(b"abc"), "GZIP") == b"abc"
    assert tf_record.decompress(zlib.compress(b"abc"), "ZLIB") == b"abc"
    assert tf_record.decompress(b"abc", "") == b"abc"
    with pytest.raises(tf.errors.DataLossError, match="inflate\\(\\) failed with error -3: incorrect header check"):
        tf_record.decompress(b"abc", "ZLIB")


def test_fixed_length_records_with_hops_header_and_footer():
    data = bytes(range(12))
    assert io_ops.fixed_length_records(data, 4, 1, 1) == [bytes([1, 2, 3, 4]), bytes([5, 6, 7, 8])]  # 9, 10 dropped
    assert io_ops.fixed_length_records(data, 4, 1, 1, 3) == [bytes([1, 2, 3, 4]), bytes([4, 5, 6, 7]),
                                                             bytes([7, 8, 9, 10])]
    assert io_ops.fixed_length_records(data, 4, 10, 5) == []


class _Options:
    compression_type = "GZIP"


@pytest.mark.parametrize("options, want", [(None, ""), ("", ""), ("GZIP", "GZIP"), ("ZLIB", "ZLIB"), (1, "ZLIB"),
                                           (2, "GZIP"), (0, ""), (_Options(), "GZIP")])
def test_tf_record_reader_options(options, want):
    tf.reset_default_graph()
    reader = tf.TFRecordReader(options=options)
    assert reader.reader_ref.op.get_attr("compression_type") in (want, want.encode())


def test_tf_record_reader_refuses_unknown_compression():
    with pytest.raises(ValueError, match='Not a valid compression_type: "BZIP"'):
        tf.TFRecordReader(options="BZIP")


# =========================================================================== CIFAR-10's input pipeline
def _read_cifar10(filename_queue):
    """cifar10_input.py's read_cifar10, on 2x2 images: a label byte, then the image as depth, height, width."""
    label_bytes, height, width, depth = 1, 2, 2, 3
    record_bytes = label_bytes + height * width * depth
    reader = tf.FixedLengthRecordReader(record_bytes=record_bytes, header_bytes=3, footer_bytes=2)
    key, value = reader.read(filename_queue)
    return key, value


def _decode(records):
    """The labels and [height, width, depth] uint8 images of raw records, as cifar10_input.py's decode_raw, slice,
    reshape to [depth, height, width] and transpose do."""
    raw = np.frombuffer(b"".join(records), np.uint8).reshape(len(records), GEN.RECORD)
    labels = raw[:, 0].astype(np.int32)
    images = raw[:, 1:].reshape(-1, 3, 2, 2).transpose(0, 2, 3, 1)
    return labels, images


def test_cifar10_input_pipeline_end_to_end(folder):
    tf.reset_default_graph()
    filenames = [folder + "/cifar1.bin", folder + "/cifar2.bin"]
    filename_queue = tf.train.string_input_producer(filenames, shuffle=False, num_epochs=4)
    key, value = _read_cifar10(filename_queue)
    keys, records = tf.train.batch([key, value], batch_size=4, num_threads=2, capacity=16,
                                   allow_smaller_final_batch=True)
    assert records.shape.as_list() == [None]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess=sess, coord=coord)
        batches = [sess.run([keys, records]) for _ in range(5)]  # 20 records: the four epochs of the 5
        with pytest.raises(tf.errors.OutOfRangeError, match="is closed and has insufficient elements"):
            sess.run(records)
        coord.request_stop()
        coord.join(threads, stop_grace_period_secs=5)
    assert not any(t.is_alive() for t in threads)
    got = [r for _, rs in batches for r in rs.tolist()]
    want = [FILES["cifar1.bin"][3 + i * 13:3 + (i + 1) * 13] for i in range(3)] + \
           [FILES["cifar2.bin"][3 + i * 13:3 + (i + 1) * 13] for i in range(2)]
    assert sorted(got) == sorted(want * 4)  # (two reading threads: each record of each epoch once)
    labels, images = _decode(got)
    by_record = dict(zip(want, range(5)))
    raw = np.frombuffer(b"".join(want), np.uint8).reshape(5, 13)
    for record, label, image in zip(got, labels, images):
        k = by_record[record]
        assert label == raw[k, 0]
        np.testing.assert_array_equal(image[:, :, 0], raw[k, 1:5].reshape(2, 2))  # the red plane: bytes 1-4
    assert images.shape == (20, 2, 2, 3) and images.dtype == np.uint8


def test_cifar10_read_cifar10_with_decode_raw(folder):
    """cifar10_input.py's read_cifar10 as it is written (decode_raw, strided_slice, reshape to [depth, height,
    width], transpose), then tf.train.batch of [image, label]."""
    tf.reset_default_graph()
    label_bytes, height, width, depth = 1, 2, 2, 3
    image_bytes = height * width * depth
    filename_queue = tf.train.string_input_producer([folder + "/cifar1.bin", folder + "/cifar2.bin"], shuffle=False)
    _, value = _read_cifar10(filename_queue)
    record_bytes = tf.decode_raw(value, tf.uint8)
    label = tf.cast(tf.strided_slice(record_bytes, [0], [label_bytes]), tf.int32)
    depth_major = tf.reshape(tf.strided_slice(record_bytes, [label_bytes], [label_bytes + image_bytes]),
                             [depth, height, width])
    uint8image = tf.transpose(depth_major, [1, 2, 0])
    label.set_shape([1])  # (as cifar10_input.py: a slice of a string of unknown length has an unknown length)
    images, labels = tf.train.batch([uint8image, label], batch_size=5, num_threads=1, capacity=10)
    assert images.shape.as_list() == [5, 2, 2, 3] and labels.shape.as_list() == [5, 1]
    with tf.Session() as sess:
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess=sess, coord=coord)
        got_images, got_labels = sess.run([images, labels])
        coord.request_stop()
        coord.join(threads, stop_grace_period_secs=5)
    want_labels, want_images = _decode([FILES["cifar1.bin"][3 + i * 13:16 + i * 13] for i in range(3)] +
                                       [FILES["cifar2.bin"][3 + i * 13:16 + i * 13] for i in range(2)])
    np.testing.assert_array_equal(got_labels[:, 0], want_labels)
    np.testing.assert_array_equal(got_images, want_images)
    assert got_images.dtype == np.uint8


def test_cifar10_dataset_pipeline(folder):
    tf.reset_default_graph()
    ds = tf.data.FixedLengthRecordDataset([folder + "/cifar1.bin", folder + "/cifar2.bin"], GEN.RECORD,
                                          header_bytes=3, footer_bytes=2)
    nxt = ds.batch(5).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        records = sess.run(nxt).tolist()
        with pytest.raises(tf.errors.OutOfRangeError, match="End of sequence"):
            sess.run(nxt)
    labels, images = _decode(records)
    raw = np.frombuffer(FILES["cifar1.bin"][3:-2] + FILES["cifar2.bin"][3:-2], np.uint8).reshape(5, 13)
    np.testing.assert_array_equal(labels, raw[:, 0])
    np.testing.assert_array_equal(images[1, :, :, 2], raw[1, 9:13].reshape(2, 2))  # the blue plane of record 1


def test_reader_restarts_after_reset(folder):
    tf.reset_default_graph()
    q = tf.FIFOQueue(5, tf.string)
    reader = tf.TFRecordReader()
    key, value = reader.read(q)
    with tf.Session() as sess:
        sess.run(q.enqueue_many([[folder + "/plain.tfrecord", folder + "/plain.tfrecord"]]))
        assert sess.run(key).decode().endswith("plain.tfrecord:0")
        assert sess.run(key).decode().endswith("plain.tfrecord:21")
        sess.run(reader.reset())
        assert sess.run(reader.num_records_produced()) == 0
        assert sess.run([key, value])[1] == b"first"  # the second file, from its start
        with tf.Session() as other:  # a reader's state is the session's
            other.run(q.enqueue(folder + "/gzip.tfrecord"))
            with pytest.raises(tf.errors.DataLossError, match="corrupted record at 0 \\(Is this even a TFRecord"):
                other.run(key)


def test_graph_def_round_trip_of_a_reader_pipeline(folder):
    tf.reset_default_graph()
    tf.data.TFRecordDataset([folder + "/plain.tfrecord", folder + "/plain.tfrecord"], num_parallel_reads=2)
    tf.FixedLengthRecordReader(13, header_bytes=3)
    from tfmini.framework import graph_io
    data = graph_io.graph_def_bytes(tf.get_default_graph())
    tf.reset_default_graph()
    tf.import_graph_def(data, name="")
    assert graph_io.graph_def_bytes(tf.get_default_graph()) == data


# =========================================================================== op test rows
_ROW_DIR = []


def _row_file(name):
    """A file of the goldens, written once in a folder of this test run."""
    if not _ROW_DIR:
        _ROW_DIR.append(pathlib.Path(tempfile.mkdtemp(prefix="tfmini_readers_")))
        GEN.write_files(str(_ROW_DIR[0]), FILES)
    return str(_ROW_DIR[0] / name)


def _reader_row(tf, reader, name):
    q = tf.FIFOQueue(2, tf.string)
    with tf.control_dependencies([q.enqueue(_row_file(name))]):
        return tf.identity(reader.read(q)[1])


def _first(ds):
    return ds.make_one_shot_iterator().get_next()


def _source(tf, op_type, inputs):
    """The first element of the reader dataset `op_type` made in the graph itself (tf.data.*Dataset make it in the
    function that reads one file)."""
    from tfmini.data.dataset_ops import Dataset
    from tfmini.ops.dataset_ops import dataset_op
    variant = dataset_op(op_type, [tf.convert_to_tensor(i) for i in inputs], {"metadata": ""})
    return _first(Dataset(variant, tf.string, tf.TensorShape([]), "Source"))


_CIFAR0 = FILES["cifar1.bin"][3:16]
CASES = [
    Row("FixedLengthRecordReaderV2", lambda tf: _reader_row(
        tf, tf.FixedLengthRecordReader(13, header_bytes=3, footer_bytes=2), "cifar1.bin"), expect=_CIFAR0),
    Row("TFRecordReaderV2", lambda tf: _reader_row(tf, tf.TFRecordReader(options="GZIP"), "gzip.tfrecord"),
        expect=b"first"),
    Row("FixedLengthRecordDatasetV2", lambda tf: _source(tf, "FixedLengthRecordDatasetV2", [
        _row_file("cifar1.bin"), np.int64(3), np.int64(13), np.int64(2), np.int64(100), ""]), expect=_CIFAR0),
    Row("TFRecordDataset", lambda tf: _source(tf, "TFRecordDataset", [_row_file("zlib.tfrecord"), "ZLIB",
                                                                       np.int64(-1)]), expect=b"first"),
    Row("TextLineDataset", lambda tf: _source(tf, "TextLineDataset", [[_row_file("crlf.txt")], "", np.int64(0)]),
        expect=b"x"),
    Row("LegacyParallelInterleaveDatasetV2", lambda tf: _first(tf.data.TextLineDataset(
        [_row_file("crlf.txt"), _row_file("lines.txt")], num_parallel_reads=2).batch(3)),
        expect=np.array([b"x", b"a,b", b"y"], dtype=object)),
]
test_row = rows_test(CASES)
