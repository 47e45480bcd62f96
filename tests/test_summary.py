"""tf.summary ops (their run value is a serialized Summary, byte for byte what TensorFlow's kernels
give) and tf.summary.FileWriter (TFRecord event files that TensorBoard reads back).

The golden bytes below were produced by TensorFlow 2.21's tf.compat.v1.summary ops on the same
inputs. The TensorBoard test needs the tensorboard package (the test extra)."""
import os
import re
import socket
import struct
import warnings
import zlib

import numpy as np
import pytest

import tfmini as tf
from tfmini.framework import messages
from tfmini.io import crc32c, proto
from tfmini.summary import summary_iterator as si

from optable import Row, rows_test

needs_protobuf = pytest.mark.skipif(not messages.available(), reason="needs protobuf (pip install tfmini[tensorboard])")

SCALAR = b"\n\x0b\n\x04loss\x15\x00\x00 @"
TEXT = b"\n\x17\n\x01tB\x08\x08\x07\x12\x00B\x02hiJ\x08\n\x06\n\x04text"
AUDIO = (b"\nU\n\x07a/audio2J\r\x00\x00\xfaE\x10\x01\x18\x04\"4RIFF,\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00"
         b"\x01\x00@\x1f\x00\x00\x80>\x00\x00\x02\x00\x10\x00data\x08\x00\x00\x00\x00@\x00\xc0\xff\x7f\x00\x80*"
         b"\taudio/wav")
HIST = (b"\n\xa7\x01\n\x01h*\xa1\x01\t\x00\x00\x00\x00\x00\x00\x04\xc0\x11\x00\x00\x00\x00\x00\x00\xf0?\x19\x00"
        b"\x00\x00\x00\x00\x00\x14@!\xf7\xf8\xff\xff\xff\xff\xdf\xbf)\x00\x00\x00\x00\x00\x80 @28\xea6\x0fv\xa3"
        b"\xef\x04\xc0w`<\x0ef\x08\x03\xc0\x00\x00\x00\x00\x00\x00\x00\x00\x11\xea-\x81\x99\x97q=\x08\x99i\x19\x15Z"
        b"\xed?+\x14\xfa\xcd\xbe$\xf0?\xff\xff\xff\xff\xff\xff\xef\x7f:8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
        b"\x00\x00\x00\xf0?\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00@\x00\x00\x00\x00\x00\x00\x00"
        b"\x00\x00\x00\x00\x00\x00\x00\x00@\x00\x00\x00\x00\x00\x00\x00\x00")


def _fed_histogram(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    return tf.summary.histogram("h", x), {x: np.arange(6, dtype=np.float32).reshape(2, 3)}


def _fed_scalar(tf):
    x = tf.placeholder(tf.float32, None)
    return tf.summary.scalar("loss", x), {x: 2.5}


def _fed_image(tf):
    x = tf.placeholder(tf.uint8, [None, 2, 2, 1])
    return tf.summary.image("img", x), {x: np.zeros((2, 2, 2, 1), np.uint8)}


def _merged(tf):
    return tf.summary.merge([tf.summary.scalar("loss", tf.constant(2.5)), tf.summary.text("t", tf.constant("hi"))])


CASES = [
    Row("ScalarSummary", lambda tf: tf.summary.scalar("loss", tf.constant(2.5)), SCALAR),
    Row("ScalarSummary", _fed_scalar, SCALAR, id="ScalarSummary-fed"),
    Row("HistogramSummary", lambda tf: tf.summary.histogram("h", np.array([0.0, 1.0, 1.0, -2.5, 1e-13], np.float32))),
    Row("HistogramSummary", _fed_histogram, id="HistogramSummary-unknown-dims"),
    Row("ImageSummary", lambda tf: tf.summary.image("img", np.ones((3, 2, 4, 3), np.float32), max_outputs=2)),
    Row("ImageSummary", _fed_image, id="ImageSummary-uint8-fed"),
    Row("AudioSummaryV2", lambda tf: tf.summary.audio("a", np.array([[0.5, -0.5, 1.0, -1.0]], np.float32), 8000,
                                                      max_outputs=1), AUDIO),
    Row("TensorSummaryV2", lambda tf: tf.summary.text("t", tf.constant("hi")), TEXT),
    Row("MergeSummary", _merged, SCALAR + TEXT),
]
test_row = rows_test(CASES)


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def _run(t, feed=None):
    with tf.Session() as sess:
        return sess.run(t, feed)


def _values(summary_bytes):
    return proto.decode(messages.SUMMARY, summary_bytes).get("value", [])


def _png_pixels(data):
    """Decode the PNGs tfmini writes (8-bit, filter 0): a uint8 array [height, width, channels]."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        assert struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0] == zlib.crc32(kind + body)
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    w, h, depth, color = header[:4]
    channels = {0: 1, 4: 2, 2: 3, 6: 4}[color]
    rows = np.frombuffer(zlib.decompress(idat), np.uint8).reshape(h, 1 + w * channels)
    assert depth == 8 and (rows[:, 0] == 0).all()
    return rows[:, 1:].reshape(h, w, channels)


# =========================================================================== the ops' values
def test_histogram_is_tensorflows_histogram_byte_for_byte():
    s = tf.summary.histogram("h", np.array([0.0, 1.0, 1.0, -2.5, 1e-13], np.float32))
    assert _run(s) == HIST
    h = _values(HIST)[0]["histo"]
    assert (h["min"], h["max"], h["num"], h["sum"]) == (-2.5, 1.0, 5.0, -0.4999999999999)
    assert h["bucket"].sum() == 5 and (np.diff(h["bucket_limit"]) > 0).all()


def test_histogram_of_integers_and_of_nothing():
    v = _values(_run(tf.summary.histogram("i", np.array([3, 3, -1], np.int32))))[0]["histo"]
    assert (v["min"], v["max"], v["num"], v["sum"], v["sum_squares"]) == (-1.0, 3.0, 3.0, 5.0, 19.0)
    empty = _values(_run(tf.summary.histogram("e", np.zeros((0,), np.float32))))[0]["histo"]
    assert empty["num"] == 0.0 and empty["bucket"].tolist() == [0.0]


def test_image_scaling_is_tensorflows():
    neg = np.array([[[[-1.0], [0.0], [0.5]], [[1.0], [2.0], [np.nan]]]], np.float32)
    pos = np.array([[[[0.0, 1.0, 3.0]], [[0.5, 2.0, 0.25]]]], np.float32)
    a, b = _run([tf.summary.image("img", neg, max_outputs=1), tf.summary.image("pos", pos, max_outputs=1)])
    va, vb = _values(a)[0], _values(b)[0]
    assert va["tag"] == "img/image" and vb["tag"] == "pos/image"
    assert va["image"]["height"] == 2 and va["image"]["width"] == 3 and va["image"]["colorspace"] == 1
    # the pixels TensorFlow's kernel gives (a NaN pixel is the red of bad_color: 255 in channel 0)
    assert _png_pixels(va["image"]["encoded_image_string"])[..., 0].tolist() == [[64, 128, 159], [191, 255, 255]]
    assert _png_pixels(vb["image"]["encoded_image_string"]).reshape(2, 3).tolist() == [[0, 85, 255], [42, 170, 21]]


def test_image_tags_and_uint8_pass_through():
    imgs = np.arange(3 * 2 * 2 * 4, dtype=np.uint8).reshape(3, 2, 2, 4)
    vals = _values(_run(tf.summary.image("rgba", imgs, max_outputs=2)))
    assert [v["tag"] for v in vals] == ["rgba/image/0", "rgba/image/1"]
    np.testing.assert_array_equal(_png_pixels(vals[1]["image"]["encoded_image_string"]), imgs[1])


def test_audio_text_and_tensor_summaries():
    vals = _values(_run(tf.summary.audio("snd", np.zeros((3, 5), np.float32), 16000.0)))
    assert [v["tag"] for v in vals] == ["snd/audio/0", "snd/audio/1", "snd/audio/2"]
    assert vals[0]["audio"]["num_channels"] == 1 and vals[0]["audio"]["length_frames"] == 5
    assert vals[0]["audio"]["encoded_audio_string"][:4] == b"RIFF"
    t = _values(_run(tf.summary.tensor_summary("m", tf.constant([[1, 2]], tf.int64), display_name="M")))[0]
    assert t["metadata"] == {"display_name": "M"}
    assert np.frombuffer(t["tensor"]["tensor_content"], np.int64).tolist() == [1, 2]


def test_tags_follow_name_scopes_and_families():
    with tf.name_scope("train"):
        a = tf.summary.scalar("loss", tf.constant(1.0))
        b = tf.summary.scalar("loss", tf.constant(2.0), family="fam")
    c = tf.summary.scalar("bad name!", tf.constant(3.0))
    assert a.op.name == "train/loss" and a.op.type == "ScalarSummary"
    assert [t.op.name for t in a.op.inputs] == ["train/loss/tags", "train/Const"]
    assert [v["tag"] for v in _values(_run(a))] == ["train/loss"]
    assert b.op.name == "train/fam/loss"
    assert [v["tag"] for v in _values(_run(b))] == ["fam/train/fam/loss"]
    assert c.op.name == "bad_name_"
    assert tf.get_collection(tf.GraphKeys.SUMMARIES) == [a, b, c]


def test_merge_all_and_collections():
    assert tf.summary.merge_all() is None
    s1 = tf.summary.scalar("a", tf.constant(1.0))
    tf.summary.histogram("b", tf.constant([1.0, 2.0]), collections=["mine"])
    merged = tf.summary.merge_all()
    assert merged.op.name == "Merge/MergeSummary" and merged.op.type == "MergeSummary"
    assert merged.op.inputs == (s1,)
    mine = tf.summary.merge_all(key="mine", name="m")
    assert mine.op.name == "m/m"
    assert [v["tag"] for v in _values(_run(mine))] == ["b"]
    assert [v["tag"] for v in _values(_run(tf.summary.merge([s1, mine])))] == ["a", "b"]
    assert len(tf.get_collection(tf.GraphKeys.SUMMARIES)) == 1


def test_summary_ops_are_not_differentiable():
    from tfmini.framework import op_registry
    for op_type in ("ScalarSummary", "HistogramSummary", "ImageSummary", "AudioSummaryV2", "TensorSummaryV2",
                    "MergeSummary"):
        d = op_registry.get_op_def(op_type)
        assert d.grad is op_registry.NOT_DIFFERENTIABLE and not d.stateful


# =========================================================================== errors
def test_build_errors():
    with pytest.raises(TypeError, match="Value passed to parameter 'values' has DataType string not in list of "
                                        "allowed values: float32, float64, int32"):
        tf.summary.scalar("s", tf.constant("x"))
    with pytest.raises(ValueError, match="Attr 'max_images' of 'ImageSummary' Op passed 0 less than minimum 1."):
        tf.summary.image("i", np.zeros((1, 2, 2, 1), np.float32), max_outputs=0)
    with pytest.raises(ValueError, match=r"Expected tensor Const_\d:0 to have dtype string, got float32"):
        tf.summary.text("t", tf.constant(1.0))
    with pytest.raises(TypeError, match=r"Tensors in list passed to 'inputs' of 'MergeSummary' Op have types "
                                        r"\[string, float32\] that do not match expected type string."):
        tf.summary.merge([tf.summary.scalar("s", 1.0), tf.constant(1.0)])


def test_run_errors():
    x = tf.placeholder(tf.float32, [None])
    h = tf.summary.histogram("weights", x)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Nan in summary histogram for: weights"):
        _run(h, {x: [1.0, np.nan, np.inf]})
    with pytest.raises(tf.errors.InvalidArgumentError, match="Infinity in summary histogram for: weights"):
        _run(h, {x: [-np.inf, np.nan]})
    s = tf.summary.scalar("s", x)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"tags and values not the same shape: \[\] != \[2\] "
                                                             r"\(tag 's'\)"):
        _run(s, {x: [1.0, 2.0]})
    img = tf.placeholder(tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Tensor must be 4-D with last dim 1, 3, or 4, not "
                                                             r"\[2,3\]"):
        _run(tf.summary.image("i", img), {img: np.zeros((2, 3))})
    snd = tf.placeholder(tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Tensor must be 3-D or 2-D, got: \[4\]"):
        _run(tf.summary.audio("a", snd, 8000), {snd: np.zeros(4)})
    with pytest.raises(tf.errors.InvalidArgumentError, match="sample_rate must be > 0"):
        _run(tf.summary.audio("b", snd, 0.0), {snd: np.zeros((1, 4))})
    a = tf.summary.scalar("dup", tf.constant(1.0))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Duplicate tag dup found in summary inputs"):
        _run(tf.summary.merge([a, a]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Could not parse one of the summary inputs"):
        _run(tf.summary.merge([tf.constant(b"\x0a\xff")]))


# =========================================================================== FileWriter
def _event_file(logdir):
    files = sorted(f for f in os.listdir(logdir) if "tfevents" in f)
    return os.path.join(logdir, files[-1])


def test_file_writer_writes_tfrecord_events(tmp_path):
    logdir = str(tmp_path / "logs")
    loss = tf.placeholder(tf.float32, [], name="loss_value")
    s = tf.summary.scalar("loss", loss)
    with tf.summary.FileWriter(logdir, tf.get_default_graph(), filename_suffix=".run1") as writer:
        assert writer.get_logdir() == logdir
        with tf.Session() as sess:
            for step in range(3):
                writer.add_summary(sess.run(s, {loss: 1.0 / (step + 1)}), global_step=step)
    path = _event_file(logdir)
    assert re.fullmatch(r"events\.out\.tfevents\.\d{10}\.%s\.run1" % re.escape(socket.gethostname()),
                        os.path.basename(path))
    records = list(si.tf_record_iterator(path))
    length = struct.pack("<Q", len(records[0]))
    raw = open(path, "rb").read()
    assert raw[:8] == length and raw[8:12] == struct.pack("<I", crc32c.mask(crc32c.value(length)))
    events = list(si.events(path))
    assert events[0]["file_version"] == "brain.Event:2"
    graph = proto.decode(proto.GRAPH_DEF, events[1]["graph_def"])
    assert [n["name"] for n in graph["node"]] == [op.name for op in tf.get_default_graph().get_operations()]
    assert "meta_graph_def" in events[2]
    curve = [(e["step"] if "step" in e else 0, e["summary"]["value"][0]["simple_value"]) for e in events[3:]]
    assert curve == [(0, 1.0), (1, 0.5), (2, np.float32(1 / 3).item())]


def test_corrupted_event_files_are_noticed(tmp_path):
    with tf.summary.FileWriter(str(tmp_path)) as writer:
        writer.add_summary(SCALAR, 1)
    path = _event_file(str(tmp_path))
    data = bytearray(open(path, "rb").read())
    data[-6] ^= 0xFF
    open(path, "wb").write(bytes(data))
    with pytest.raises(tf.errors.DataLossError, match="corrupted record at "):
        list(si.tf_record_iterator(path))
    open(path, "wb").write(bytes(data[:-2]))
    with pytest.raises(tf.errors.DataLossError, match="truncated record"):
        list(si.tf_record_iterator(path))


def test_plugin_metadata_is_written_with_a_tags_first_value_only(tmp_path):
    t = tf.summary.text("note", tf.constant("hello"))
    with tf.summary.FileWriter(str(tmp_path)) as writer, tf.Session() as sess:
        for step in range(2):
            writer.add_summary(sess.run(t), step)
    values = [e["summary"]["value"][0] for e in si.events(_event_file(str(tmp_path))) if "summary" in e]
    assert values[0]["metadata"] == {"plugin_data": {"plugin_name": "text"}}
    assert "metadata" not in values[1] and values[1]["tensor"]["string_val"] == [b"hello"]


def test_session_logs_graphs_events_and_run_metadata(tmp_path):
    tf.constant(1.0, name="c")
    writer = tf.summary.FileWriter(str(tmp_path))
    writer.add_session_log({"status": 1}, global_step=5)
    writer.add_graph(tf.get_default_graph())
    writer.add_event({"wall_time": 1.5, "step": 9, "file_version": "x"})
    writer.add_run_metadata(tf.RunMetadata(), "step1", 3)
    with pytest.raises(ValueError, match="The provided tag was already used for this event type"):
        writer.add_run_metadata(tf.RunMetadata(), "step1")
    with pytest.raises(ValueError, match="Please pass only graph, or graph_def"):
        writer.add_graph(tf.get_default_graph(), graph_def=b"")
    with pytest.raises(TypeError, match="The passed graph must be an instance of `Graph`"):
        writer.add_graph(42)
    with pytest.raises(TypeError, match="meta_graph_def must be type MetaGraphDef"):
        writer.add_meta_graph(42)
    writer.close()
    events = list(si.events(_event_file(str(tmp_path))))
    assert events[1]["session_log"] == {"status": 1} and events[1]["step"] == 5
    assert [n["name"] for n in proto.decode(proto.GRAPH_DEF, events[2]["graph_def"])["node"]] == ["c"]
    assert events[3] == {"wall_time": 1.5, "step": 9, "file_version": "x"}
    assert events[4]["tagged_run_metadata"]["tag"] == "step1"


def test_flush_close_reopen(tmp_path):
    writer = tf.summary.FileWriter(str(tmp_path), flush_secs=1000, max_queue=100)
    first = writer.event_writer.path
    writer.add_summary(SCALAR, 1)
    writer.add_summary(SCALAR, 2)  # within flush_secs and max_queue: still in the buffer
    assert len(list(si.events(first))) == 1
    writer.flush()
    assert len(list(si.events(first))) == 3
    writer.close()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        writer.add_summary(SCALAR, 3)
    assert "Attempting to use a closed FileWriter" in str(caught[0].message)
    assert len(list(si.events(first))) == 3
    writer.reopen()
    writer.add_summary(SCALAR, 4)
    writer.close()
    second = writer.event_writer.path
    assert second != first and os.path.dirname(second) == str(tmp_path)
    assert [e.get("step") for e in si.events(second)] == [None, 4]


def test_file_writer_cache(tmp_path):
    a = tf.summary.FileWriterCache.get(str(tmp_path))
    assert tf.summary.FileWriterCache.get(str(tmp_path)) is a
    tf.summary.FileWriterCache.clear()
    assert tf.summary.FileWriterCache.get(str(tmp_path)) is not a
    tf.summary.FileWriterCache.clear()


def test_add_summary_refuses_text():
    with pytest.raises(TypeError, match="not a str"):
        tf.summary.FileWriter.__new__(tf.summary.FileWriter).add_summary("loss")


@needs_protobuf
def test_message_objects(tmp_path):
    summ = tf.Summary(value=[tf.Summary.Value(tag="acc", simple_value=0.75)])
    with tf.summary.FileWriter(str(tmp_path)) as writer:
        writer.add_summary(summ, 10)
        writer.add_session_log(tf.SessionLog(status=tf.SessionLog.START), 10)
    events = list(tf.train.summary_iterator(_event_file(str(tmp_path))))
    assert events[0].file_version == "brain.Event:2"
    assert events[1].step == 10 and events[1].summary.value[0].simple_value == 0.75
    assert events[2].session_log.status == tf.SessionLog.START
    assert tf.Summary.FromString(SCALAR).value[0].tag == "loss"


# =========================================================================== TensorBoard reads it
def test_tensorboard_reads_graph_curve_and_histogram(tmp_path):
    ea = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.Variable(np.array([[1.0, -1.0], [0.5, 2.0], [-0.5, 0.0]], np.float32), name="weights")
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w)), name="loss")
    train_op = tf.train.GradientDescentOptimizer(0.05).minimize(loss)
    tf.summary.scalar("loss", loss)
    tf.summary.histogram("weights", w)
    merged = tf.summary.merge_all()
    init = tf.global_variables_initializer()
    logdir = str(tmp_path / "logs")
    writer = tf.summary.FileWriter(logdir, tf.get_default_graph())
    xs = np.arange(12, dtype=np.float32).reshape(4, 3) / 10
    losses = []
    with tf.Session() as sess:
        sess.run(init)
        for step in range(5):
            summary, value, _ = sess.run([merged, loss, train_op], {x: xs})
            losses.append(value)
            writer.add_summary(summary, step)
    writer.close()

    acc = ea.EventAccumulator(logdir, size_guidance={ea.SCALARS: 0, ea.HISTOGRAMS: 0, ea.GRAPH: 1})
    acc.Reload()
    assert acc.Tags()["graph"] and acc.Tags()["scalars"] == ["loss_1"] and acc.Tags()["histograms"] == ["weights_1"]
    graph = acc.Graph()
    ops = tf.get_default_graph().get_operations()
    assert [(n.name, n.op) for n in graph.node] == [(op.name, op.type) for op in ops]
    assert {"Placeholder", "VariableV2", "Assign", "MatMul", "ApplyGradientDescent", "ScalarSummary",
            "HistogramSummary", "MergeSummary"} <= {n.op for n in graph.node}
    conv = next(n for n in graph.node if n.name == "MatMul")
    assert [d.size for d in conv.attr["_output_shapes"].list.shape[0].dim] == [-1, 2]
    curve = acc.Scalars("loss_1")
    assert [e.step for e in curve] == [0, 1, 2, 3, 4]
    np.testing.assert_allclose([e.value for e in curve], losses, rtol=1e-6)
    hists = acc.Histograms("weights_1")
    assert [h.step for h in hists] == [0, 1, 2, 3, 4]
    first = hists[0].histogram_value
    assert first.num == 6 and sum(first.bucket) == 6 and len(first.bucket) == len(first.bucket_limit)
    assert -1.1 < first.min <= -1.0 and 1.9 < first.max <= 2.0  # before or after the step run with it


# =========================================================================== slim's summarize_* helpers
def test_slim_summarize_helpers():
    slim = tf.contrib.slim
    x = tf.placeholder(tf.float32, [None, 4])
    net = slim.fully_connected(x, 3, activation_fn=tf.nn.relu6, scope="fc1")
    assert [s.op.name for s in slim.summarize_variables()] == ["fc1/weights_summary", "fc1/biases_summary"]
    assert slim.summarize_activation(net).op.name == "fc1/Relu6/activation"
    assert [s.op.name for s in slim.summarize_tensors([tf.constant(1.0, name="c")])] == ["c_summary"]
    assert [s.op.type for s in slim.summarize_collection(tf.GraphKeys.GLOBAL_VARIABLES, name_filter="fc1/b")] \
        == ["HistogramSummary"]
    names = [s.op.name for s in tf.get_collection(tf.GraphKeys.SUMMARIES)]
    assert {"fc1/Relu6/zeros", "fc1/Relu6/sixes"} <= set(names)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        tags = [v["tag"] for v in _values(sess.run(tf.summary.merge_all(), {x: np.ones((2, 4))}))]
    assert "fc1/Relu6/zeros" in tags and "c_summary" in tags
    with pytest.raises(ValueError, match="must have rank 0"):
        slim.summarize_activation.__globals__["_add_scalar_summary"](tf.zeros([2]))


def test_slim_gradient_summaries():
    slim = tf.contrib.slim
    w = tf.Variable([1.0, 2.0], name="w")
    loss = tf.reduce_sum(tf.square(w))
    grads = tf.train.GradientDescentOptimizer(0.1).compute_gradients(loss)
    made = slim.learning.add_gradients_summaries(grads)
    assert [s.op.type for s in made] == ["HistogramSummary", "ScalarSummary"]
    assert [s.op.name for s in made] == ["w/gradient", "w/gradient_norm"]
