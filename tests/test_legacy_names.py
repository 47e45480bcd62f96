"""TF 0.x's names that lecture-era code (2016 tutorials: text-CNN, DQN, char-RNN) still uses, and TF 1.0 renamed:
tf.scalar_summary / histogram_summary / image_summary / audio_summary / merge_summary / merge_all_summaries,
tf.train.SummaryWriter, tf.pack / tf.unpack / tf.select. They build the same ops as the TF 1.x names (whose
bytes the summary tests check against TensorFlow), with TF 0.x's differences: a tag is used exactly as given
(no name scope added), scalar_summary takes one tag per value, and ops are named after their type."""
import glob
import struct

import numpy as np
import pytest

import tfmini as tf
from tfmini.framework import messages
from tfmini.io.proto import iter_fields

needs_protobuf = pytest.mark.skipif(not messages.available(), reason="needs protobuf (pip install tfmini[tensorboard])")


def _values(summary_bytes):
    """(tag, simple_value or None) of each Summary.Value, read with tfmini's wire-format reader (no protobuf)."""
    out = []
    for num, _, value in iter_fields(summary_bytes):
        if num == 1:  # Summary.value
            fields = {n: v for n, _, v in iter_fields(value)}
            simple = struct.unpack("<f", bytes(fields[2]))[0] if 2 in fields else None
            out.append((bytes(fields[1]).decode(), simple))
    return out


def _run(*fetches):
    with tf.Session() as sess:
        return sess.run(list(fetches))


def test_same_bytes_as_the_tf1_names_at_the_root():
    tf.reset_default_graph()
    x = tf.constant([[0.5, -1.0], [2.0, 3.0]])
    images = tf.constant(np.linspace(0, 1, 2 * 3 * 4).reshape(2, 3, 4, 1), tf.float32)
    sound = tf.constant(np.sin(np.linspace(0, 6, 2 * 20)).reshape(2, 20), tf.float32)
    pairs = [(tf.scalar_summary("loss", tf.reduce_mean(x)), tf.summary.scalar("loss", tf.reduce_mean(x))),
             (tf.histogram_summary("weights", x), tf.summary.histogram("weights", x)),
             (tf.image_summary("digits", images, max_images=2), tf.summary.image("digits", images, 2)),
             (tf.audio_summary("tone", sound, 8000, max_outputs=1), tf.summary.audio("tone", sound, 8000, 1))]
    values = _run(*[t for pair in pairs for t in pair])
    for old, new in zip(values[::2], values[1::2]):
        assert old == new


def test_tags_are_not_prefixed_by_the_name_scope_and_ops_are_named_by_type():
    tf.reset_default_graph()
    with tf.name_scope("train"):
        old = tf.scalar_summary("loss", tf.constant(1.5))
        new = tf.summary.scalar("loss", tf.constant(1.5))
        hist = tf.histogram_summary("w/hist", tf.constant([1.0, 2.0]))
        image = tf.image_summary("img", tf.zeros([1, 2, 2, 3]))
        audio = tf.audio_summary("snd", tf.zeros([1, 4]), 8000.0)
    assert (old.name, new.name, hist.name, image.name) == ("train/ScalarSummary:0", "train/loss:0",
                                                           "train/HistogramSummary:0", "train/ImageSummary:0")
    assert audio.name == "train/AudioSummary:0" and audio.op.type == "AudioSummaryV2"
    old_v, new_v, hist_v, image_v = _run(old, new, hist, image)
    assert [tag for tag, _ in _values(old_v) + _values(new_v) + _values(hist_v) + _values(image_v)] == [
        "loss", "train/loss", "w/hist", "img/image/0"]


def test_scalar_summary_one_tag_per_value():
    tf.reset_default_graph()
    s = tf.scalar_summary(["loss", "accuracy"], tf.constant([0.25, 0.75]), name="stats")
    value, = _run(s)
    assert s.name == "stats:0"
    assert _values(value) == [("loss", 0.25), ("accuracy", 0.75)]
    bad = tf.scalar_summary(["a", "b"], tf.constant([1.0, 2.0, 3.0]))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"tags and values not the same shape: \[2\] != \[3\]"):
        _run(bad)


def test_merge_summary_and_merge_all_summaries():
    tf.reset_default_graph()
    assert tf.merge_all_summaries() is None
    a = tf.scalar_summary("a", tf.constant(1.0))
    b = tf.histogram_summary("b", tf.constant([1.0]), collections=["extra"])
    merged, everything = tf.merge_summary([a, b]), tf.merge_all_summaries()
    assert merged.name == "MergeSummary/MergeSummary:0" and everything.name == "MergeSummary_1/MergeSummary:0"
    assert tf.get_collection(tf.GraphKeys.SUMMARIES) == [a]  # merge_summary adds to no collection by default
    m, e = _run(merged, everything)
    assert [tag for tag, _ in _values(m)] == ["a", "b"] and _values(e) == [("a", 1.0)]


@needs_protobuf  # reading the event file back (tf.train.summary_iterator)
def test_train_summary_writer_is_a_file_writer(tmp_path):
    tf.reset_default_graph()
    s = tf.scalar_summary("loss", tf.constant(2.0))
    with tf.Session() as sess:
        writer = tf.train.SummaryWriter(str(tmp_path), sess.graph_def)  # 2016 code passes the GraphDef second
        writer.add_summary(sess.run(s), 7)
        writer.close()
    assert isinstance(writer, tf.summary.FileWriter)
    events = list(tf.train.summary_iterator(glob.glob(str(tmp_path / "events.out.tfevents.*"))[0]))
    assert any(e.HasField("graph_def") for e in events)
    assert [(e.step, e.summary.value[0].tag) for e in events if e.HasField("summary")] == [(7, "loss")]


def test_pack_unpack_select():
    tf.reset_default_graph()
    a, b = tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0])
    packed = tf.pack([a, b], axis=1)
    parts = tf.unpack(packed, axis=1)
    chosen = tf.select(tf.constant([True, False]), a, b)
    assert (packed.name, parts[0].name, parts[1].name, chosen.name) == ("pack:0", "unpack:0", "unpack:1",
                                                                        "Select:0")
    p, u0, c = _run(packed, parts[0], chosen)
    np.testing.assert_array_equal(p, [[1.0, 3.0], [2.0, 4.0]])
    np.testing.assert_array_equal(u0, [1.0, 2.0])
    np.testing.assert_array_equal(c, [1.0, 4.0])
