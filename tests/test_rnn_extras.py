"""tf.nn.bidirectional_dynamic_rnn, tf.nn.static_bidirectional_rnn, tf.nn.raw_rnn, tf.contrib.rnn's stacked
bidirectional RNNs, the ResidualWrapper and DeviceWrapper cells and tf.contrib.seq2seq.sequence_loss as TF 1.x builds
them (tf.reverse_sequence itself is in tests/test_array_ops.py): for each case
of tests/rnn_extras_cases.py, the variables' names and shapes, the output and state tensors' names, and - with the
variables set to the same values - the outputs, final states and gradients TensorFlow 2.21 computed
(tests/data/tf_rnn_extras.json, written by tests/data/gen/rnn_extras.py); TF's errors."""
import json
import pathlib

import numpy as np
import pytest

import tfmini as tf
from rnn_extras_cases import RNN_EXTRAS
from tfmini.framework import nest

GOLDEN = json.loads((pathlib.Path(__file__).parent / "data" / "tf_rnn_extras.json").read_text())["cases"]
R = tf.nn.rnn_cell
X = np.sin(np.arange(2 * 5 * 3, dtype=np.float32)).reshape(2, 5, 3)


def test_golden_covers_every_case():
    assert set(GOLDEN) == set(RNN_EXTRAS)


def _check_case(name):
    x = tf.placeholder(tf.float32, [2, 5, 3], name="x")
    out, state = RNN_EXTRAS[name](tf, x)
    flat_out, flat_state = nest.flatten(out), nest.flatten(state)
    loss = sum(tf.reduce_sum(o * o) for o in flat_out) + sum(tf.reduce_sum(s) for s in flat_state)
    variables = sorted(tf.trainable_variables(), key=lambda v: v.name)
    want = GOLDEN[name]
    assert [[v.name, v.shape.as_list()] for v in variables] == want["vars"]
    assert [t.name for t in flat_out + flat_state] == want["names"]
    grads = tf.gradients(loss, [x] + variables)
    # (a DeviceWrapper's device holds for the cell's ops, not for their gradients)
    assert sorted({op.device for op in tf.get_default_graph().get_operations() if op.type == "MatMul"}) \
        == want["devices"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for k, v in enumerate(variables):  # the values TF's run set
            shape = v.shape.as_list()
            v.load(np.cos(np.arange(int(np.prod(shape))) * 0.37 + k).reshape(shape).astype(np.float32) * 0.5, sess)
        got = sess.run(flat_out + flat_state + grads, {x: X})
    assert len(got) == len(want["values"])
    for i, (a, b) in enumerate(zip(got, want["values"])):
        np.testing.assert_allclose(a, np.asarray(b), rtol=1e-4, atol=1e-5, err_msg="%s: value %d" % (name, i))


@pytest.mark.parametrize("name", sorted(RNN_EXTRAS))
def test_variables_values_and_gradients_are_tensorflows(name):
    _check_case(name)


def test_a_bidirectional_rnn_on_the_gpu(backend):
    if backend == "numpy":
        pytest.skip("the CPU runs every case above")
    _check_case("bidi_seqlen_peepholes")


def test_wrappers():
    x = tf.placeholder(tf.float32, [2, 5, 3])
    gru = R.GRUCell(3)
    residual = R.ResidualWrapper(gru)
    assert residual.state_size == 3 and residual.output_size == 3
    assert tf.contrib.rnn.ResidualWrapper is R.ResidualWrapper
    with pytest.raises(ValueError, match=r"Shapes \(2, 3\) and \(2, 4\) are incompatible"):
        tf.nn.dynamic_rnn(R.ResidualWrapper(R.GRUCell(4)), x, dtype=tf.float32, scope="bad")
    with pytest.raises(TypeError, match="The argument 'cell' .* is not an RNNCell: 'output_size' property is missing"):
        R.DeviceWrapper(object(), "/cpu:0")
    device = R.DeviceWrapper(R.BasicLSTMCell(2), "/cpu:0")
    zero = device.zero_state(2, tf.float32)
    assert zero.c.op.device == "/device:CPU:0" and zero.c.op.name.startswith("DeviceWrapperZeroState/")
    assert tf.contrib.rnn.DeviceWrapper is R.DeviceWrapper


def test_bidirectional_errors():
    x = tf.placeholder(tf.float32, [2, 5, 3])
    with pytest.raises(TypeError, match="The argument 'cell_bw' .* is not an RNNCell"):
        tf.nn.bidirectional_dynamic_rnn(R.GRUCell(2), None, x, dtype=tf.float32)
    with pytest.raises(ValueError, match="If no initial_state is provided, argument `dtype` must be specified"):
        tf.nn.bidirectional_dynamic_rnn(R.GRUCell(2), R.GRUCell(2), x, initial_state_fw=tf.zeros([2, 2]))
    with pytest.raises(TypeError, match="inputs must be a sequence"):
        tf.nn.static_bidirectional_rnn(R.GRUCell(2), R.GRUCell(2), x, dtype=tf.float32)
    with pytest.raises(ValueError, match="inputs must not be empty"):
        tf.nn.static_bidirectional_rnn(R.GRUCell(2), R.GRUCell(2), [], dtype=tf.float32)
    with pytest.raises(ValueError, match="sequence_length must be a vector of length batch_size"):
        tf.nn.static_bidirectional_rnn(R.GRUCell(2), R.GRUCell(2), tf.unstack(x, axis=1), sequence_length=[[5, 5]],
                                       dtype=tf.float32)
    with pytest.raises(TypeError, match="loop_fn must be a callable"):
        tf.nn.raw_rnn(R.GRUCell(2), None)
    with pytest.raises(ValueError, match="Dimensions 2 and 3 are not compatible"):
        tf.nn.raw_rnn(R.GRUCell(2), lambda *_: (tf.zeros([2], tf.bool), (tf.zeros([2, 1]), tf.zeros([3, 1])),
                                                tf.zeros([2, 2]), None, None))
    stack = tf.contrib.rnn.stack_bidirectional_dynamic_rnn
    cells = [R.GRUCell(2)]
    for args, kwargs, message in [
            (([], cells), {}, "Must specify at least one fw cell for BidirectionalRNN."),
            ((cells, []), {}, "Must specify at least one bw cell for BidirectionalRNN."),
            ((R.GRUCell(2), cells), {}, "cells_fw must be a list of RNNCells \\(one per layer\\)."),
            ((cells, (R.GRUCell(2),)), {}, "cells_bw must be a list of RNNCells \\(one per layer\\)."),
            ((cells, cells * 2), {}, "Forward and Backward cells must have the same depth."),
            ((cells, cells), {"initial_states_fw": tf.zeros([2, 2])},
             "initial_states_fw must be a list of state tensors \\(one per layer\\)."),
            ((cells, cells), {"initial_states_bw": []},
             "initial_states_bw must be a list of state tensors \\(one per layer\\).")]:
        for fn in (stack, tf.contrib.rnn.stack_bidirectional_rnn):
            with pytest.raises(ValueError, match=message):
                fn(*args, tf.unstack(x, axis=1) if fn is not stack else x, dtype=tf.float32, **kwargs)


def test_sequence_loss_errors_and_a_char_rnn_that_learns():
    sequence_loss = tf.contrib.seq2seq.sequence_loss
    logits, targets, weights = tf.zeros([2, 5, 3]), tf.zeros([2, 5], tf.int32), tf.ones([2, 5])
    for args, kwargs, message in [
            ((tf.zeros([10, 3]), targets, weights), {}, r"Logits must be a \[batch_size x sequence_length x logits\] "
                                                        "tensor"),
            ((logits, tf.zeros([10], tf.int32), weights), {}, r"Targets must be a \[batch_size x sequence_length\] "
                                                              "tensor"),
            ((logits, targets, tf.ones([10])), {}, r"Weights must be a \[batch_size x sequence_length\] tensor"),
            ((logits, targets, weights), {"sum_over_timesteps": True},
             "average_across_timesteps and sum_over_timesteps cannot be set to True at same time."),
            ((logits, targets, weights), {"sum_over_batch": True},
             "average_across_batch and sum_over_batch cannot be set to True at same time.")]:
        with pytest.raises(ValueError, match=message):
            sequence_loss(*args, **kwargs)
    # the char-RNN tutorials' model: embed, LSTM, project, sequence_loss with all weights 1
    tf.reset_default_graph()
    tf.set_random_seed(1)
    text = np.array([0, 1, 2, 3] * 5)  # "abcdabcd...": each next character is known
    inputs, labels = text[:-1].reshape(1, -1), text[1:].reshape(1, -1)
    tokens = tf.placeholder(tf.int32, [1, None])
    nexts = tf.placeholder(tf.int32, [1, None])
    embedded = tf.nn.embedding_lookup(tf.get_variable("embedding", [4, 8]), tokens)
    outputs, _ = tf.nn.dynamic_rnn(R.BasicLSTMCell(16), embedded, dtype=tf.float32)
    logits = tf.layers.dense(outputs, 4)
    loss = sequence_loss(logits, nexts, tf.ones_like(tf.cast(nexts, tf.float32)))
    train = tf.train.AdamOptimizer(0.05).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, {tokens: inputs, nexts: labels})
        for _ in range(25):
            sess.run(train, {tokens: inputs, nexts: labels})
        assert sess.run(loss, {tokens: inputs, nexts: labels}) < 0.2 * first
