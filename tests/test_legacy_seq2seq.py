"""tf.contrib.legacy_seq2seq (rnn_decoder, basic_rnn_seq2seq, sequence_loss_by_example, sequence_loss) and
tf.sequence_mask against what TensorFlow computes for the same case texts (tests/data/gen/legacy_seq2seq.py
writes tests/data/tf_legacy_seq2seq.json): values, static shapes, dtypes, name scopes, variables, gradients."""
import json
import pathlib

import numpy as np
import pytest

import tfmini as tf
from conftest import load_generator

GEN = load_generator("legacy_seq2seq")
GOLDEN = json.loads((pathlib.Path(__file__).parent / "data" / "tf_legacy_seq2seq.json").read_text())
SEQ2SEQ = tf.contrib.legacy_seq2seq


def _array(record):
    return np.array(record["values"], dtype=record["dtype"]).reshape(record["shape"])


def _scope(name):
    """A tensor name without its last op: TF 2.x's gen_math_ops.cast makes a Cast even to the same dtype (tfmini,
    as TF 1.x's math_ops.cast, does not), so the op's own name may differ; its scope is what the graph shows."""
    return name.rsplit("/", 1)[0] if "/" in name else name


def _check(value, expected):
    assert value.dtype.name == expected["dtype"] and list(value.shape) == expected["shape"]
    want = _array(expected)
    if want.dtype.kind == "f":
        np.testing.assert_allclose(value, want, rtol=1e-5, atol=1e-6)
    else:
        np.testing.assert_array_equal(value, want)


@pytest.mark.parametrize("case", sorted(GEN.CASES))
def test_case_matches_tensorflow(case):
    golden = GOLDEN["cases"][case]
    out, wrt = GEN.build(tf, SEQ2SEQ, GEN.CASES[case])
    grads = [tf.convert_to_tensor(g) for g in tf.gradients(tf.reduce_sum(out[0]), wrt)] if wrt else []
    assert [[v.name, v.shape.as_list()] for v in tf.trainable_variables()] == golden["variables"]
    for t, expected in zip(out, golden["outputs"]):
        assert _scope(t.name) == _scope(expected["name"])
        assert t.dtype.name == expected["dtype"]
        assert (t.shape.as_list() if t.shape.ndims is not None else None) == expected["shape"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = sess.run(list(out) + list(grads))
    for value, expected in zip(values, golden["outputs"]):
        _check(np.asarray(value), expected["value"])
    assert len(grads) == len(golden["grads"])
    for value, expected in zip(values[len(out):], golden["grads"]):
        _check(np.asarray(value), expected)


@pytest.mark.parametrize("case", sorted(GEN.ERRORS))
def test_error_matches_tensorflow(case):
    expected = GOLDEN["errors"][case]
    tf.reset_default_graph()
    with pytest.raises(Exception) as info:
        exec(GEN.ERRORS[case], {"tf": tf, "np": np, "seq2seq": SEQ2SEQ})
    assert (type(info.value).__name__, str(info.value)) == (expected["type"], expected["message"])


def test_sequence_mask_maxlen_must_be_scalar():
    # TF 1.x's words (TF 2.21 words this differently, so it is not in the golden file)
    with pytest.raises(ValueError, match="^maxlen must be scalar for sequence_mask$"):
        tf.sequence_mask([1, 2], [3, 4])


def test_namespace():
    from tfmini.contrib.legacy_seq2seq import rnn_decoder
    assert rnn_decoder is tf.contrib.legacy_seq2seq.rnn_decoder
    with pytest.raises(AttributeError, match="tfmini.contrib.legacy_seq2seq"):
        tf.contrib.legacy_seq2seq.embedding_attention_seq2seq
