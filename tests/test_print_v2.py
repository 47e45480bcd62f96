"""tf.print (StringFormat + PrintV2) against TensorFlow 2.21 (tests/data/tf_print_v2.json, written by
tests/data/gen/print_v2.py): the text for tensors of each rank and type, summarize, sep and end, Python values and
structures around tensors, op names, output streams, and the ops' table rows."""
import json
import pathlib
import sys

import numpy as np
import pytest

import tfmini as tf
from optable import Row, rows_test

GOLD = json.loads((pathlib.Path(__file__).resolve().parent / "data" / "tf_print_v2.json").read_text())


def _format(tf):
    return tf.get_default_graph().get_operation_by_name("StringFormat").outputs[0]


def _printed_text(tf):
    tf.print("v:", tf.constant([[1.5, 2.0], [3.0, 4.0]]))
    return _format(tf)


CASES = [
    Row("StringFormat", _printed_text, np.array(b"v: [[1.5 2]\n [3 4]]", dtype=object), id="StringFormat"),
    Row("PrintV2", lambda tf: (tf.print("x", output_stream=sys.stdout), _format(tf))[1], None, id="PrintV2"),
]
test_row = rows_test(CASES)


@pytest.mark.parametrize("case", GOLD["cases"], ids=[c["id"] for c in GOLD["cases"]])
def test_text_and_ops_as_tensorflow(case, tmp_path):
    inputs = eval(case["source"], {"tf": tf, "np": np})  # noqa: S307 - the generator's own table
    path = tmp_path / "out.txt"
    p = tf.print(*inputs, output_stream="file://%s" % path, **case["kwargs"])
    ops = [[op.name, op.type] for op in tf.get_default_graph().get_operations() if op.type != "Const"]
    assert ops == case["ops"]
    fmt = [op for op in tf.get_default_graph().get_operations() if op.type == "StringFormat"]
    if case["template"] is not None:
        assert (fmt[0].get_attr("template"), fmt[0].get_attr("placeholder")) == (case["template"], case["placeholder"])
    with tf.Session() as sess:
        sess.run(p)
    assert path.read_text() == case["text"]


def test_names_streams_and_control_dependencies(capsys):
    gold = GOLD["named"]
    x = tf.placeholder(tf.float32, name="x")
    p = tf.print("x is", x, name="show")
    assert (p.name, p.type) == (gold["op"], gold["type"])
    assert [[op.name, op.type] for op in tf.get_default_graph().get_operations()] == gold["ops"]
    assert (p.get_attr("output_stream"), p.get_attr("end")) == (gold["stream"], gold["end"])
    for label, stream in [("stdout", sys.stdout), ("stderr", sys.stderr), ("info", tf.logging.info),
                          ("warning", tf.logging.warning), ("error", tf.logging.error)]:
        assert tf.print("s", output_stream=stream).get_attr("output_stream") == GOLD["streams"][label]
    with pytest.raises(ValueError) as e:
        tf.print("x", output_stream="bogus")
    assert str(e.value) == GOLD["bad_stream"]
    with tf.control_dependencies([tf.print("dep", x, output_stream=sys.stdout)]):
        y = x * 2
    with tf.Session() as sess:
        assert sess.run(y, {x: 3.0}) == 6.0
        sess.run(p, {x: 1.5})
    out = capsys.readouterr()
    assert out.out == "dep 3\n" and out.err == "x is 1.5\n"


def test_log_streams_go_to_the_tensorflow_logger(caplog):
    p = tf.print("warned", tf.constant([1, 2]), output_stream=tf.logging.warning)
    with tf.Session() as sess:
        sess.run(p)
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [("tensorflow", "WARNING",
                                                                                "warned [1 2]")]
