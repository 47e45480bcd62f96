"""tf.nn.dynamic_rnn, tf.nn.static_rnn and the tf.nn.rnn_cell cells as TF 1.x builds them: for each case below,
the variables' names and shapes, and - with the variables set to the same values - the outputs, final states and
gradients TensorFlow 2.21 computed (tests/data/tf_rnn.json); a model that learns; TF's errors."""
import json
import pathlib

import numpy as np
import pytest

import tfmini as tf
from tfmini.framework import nest
from conftest import SHARED

GOLDEN = json.loads((pathlib.Path(__file__).parent / "data" / "tf_rnn.json").read_text())["cases"]
R = tf.nn.rnn_cell
X = np.sin(np.arange(2 * 5 * 3, dtype=np.float32)).reshape(2, 5, 3)


def _stacked(outputs_and_state):
    outputs, state = outputs_and_state
    return tf.stack(outputs, 1), state


RNN_CASES = {
    "basic_rnn": lambda x: tf.nn.dynamic_rnn(R.BasicRNNCell(4), x, dtype=tf.float32),
    "basic_lstm": lambda x: tf.nn.dynamic_rnn(R.BasicLSTMCell(4), x, dtype=tf.float32),
    "gru": lambda x: tf.nn.dynamic_rnn(R.GRUCell(4), x, dtype=tf.float32),
    "lstm_peep_proj": lambda x: tf.nn.dynamic_rnn(R.LSTMCell(4, use_peepholes=True, num_proj=3, cell_clip=1.0), x,
                                                  dtype=tf.float32),
    "multi": lambda x: tf.nn.dynamic_rnn(R.MultiRNNCell([R.BasicLSTMCell(4), R.GRUCell(3)]), x, dtype=tf.float32),
    "seqlen": lambda x: tf.nn.dynamic_rnn(R.BasicLSTMCell(4), x, sequence_length=[5, 2], dtype=tf.float32),
    "time_major": lambda x: tf.nn.dynamic_rnn(R.GRUCell(4), tf.transpose(x, [1, 0, 2]), time_major=True,
                                              dtype=tf.float32, scope="enc"),
    "static": lambda x: _stacked(tf.nn.static_rnn(R.BasicLSTMCell(4), tf.unstack(x, axis=1), dtype=tf.float32)),
    "static_seqlen": lambda x: _stacked(tf.nn.static_rnn(R.BasicRNNCell(4), tf.unstack(x, axis=1),
                                                         sequence_length=[3, 5], dtype=tf.float32)),
    "not_tuple": lambda x: tf.nn.dynamic_rnn(R.BasicLSTMCell(4, state_is_tuple=False), x, dtype=tf.float32),
    "init_state": lambda x: tf.nn.dynamic_rnn(R.BasicRNNCell(4), x, initial_state=tf.ones([2, 4]) * 0.3),
}


def test_golden_covers_every_case():
    assert set(GOLDEN) == set(RNN_CASES)


@pytest.mark.parametrize("name", sorted(RNN_CASES))
def test_variables_values_and_gradients_are_tensorflows(name, backend):
    x = tf.placeholder(tf.float32, [2, 5, 3], name="x")
    out, state = RNN_CASES[name](x)
    flat_state = nest.flatten(state)
    loss = tf.reduce_sum(out * out) + sum(tf.reduce_sum(s) for s in flat_state)
    variables = sorted(tf.trainable_variables(), key=lambda v: v.name)
    assert [[v.name, v.shape.as_list()] for v in variables] == GOLDEN[name]["vars"]
    grads = tf.gradients(loss, [x] + variables)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for k, v in enumerate(variables):  # the values TF's run set
            shape = v.shape.as_list()
            sess.run(v.assign(np.cos(np.arange(int(np.prod(shape))) * 0.37 + k).reshape(shape).astype(np.float32)
                              * 0.5))
        got = sess.run([out] + flat_state + grads, {x: X})
    assert len(got) == len(GOLDEN[name]["values"])
    for a, b in zip(got, GOLDEN[name]["values"]):
        np.testing.assert_allclose(a, np.asarray(b), rtol=1e-4, atol=1e-5)


def test_an_lstm_learns_to_classify_mnist_rows(backend):
    data = np.load(SHARED / "data" / "mnist_5k.npz")
    images, labels = data["images"][:64].astype(np.float32) / 255.0, data["labels"][:64].astype(np.int64)
    tf.set_random_seed(0)
    x = tf.placeholder(tf.float32, [None, 28, 28])
    y = tf.placeholder(tf.int64, [None])
    outputs, state = tf.nn.dynamic_rnn(R.BasicLSTMCell(16), x, dtype=tf.float32)
    logits = tf.layers.dense(state.h, 10)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    train = tf.train.AdamOptimizer(0.01).minimize(loss)
    assert outputs.shape.as_list() == [None, 28, 16]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, {x: images, y: labels})
        for _ in range(15):
            sess.run(train, {x: images, y: labels})
        assert sess.run(loss, {x: images, y: labels}) < 0.6 * first


def test_rnn_errors():
    x = tf.placeholder(tf.float32, [2, 5, 3])
    with pytest.raises(ValueError, match="If no initial_state is provided, argument `dtype` must be specified"):
        tf.nn.dynamic_rnn(R.BasicRNNCell(4), x)
    with pytest.raises(TypeError, match="is not an RNNCell"):
        tf.nn.dynamic_rnn(lambda a, b: a, x, dtype=tf.float32)
    with pytest.raises(ValueError, match="Input size \\(depth of inputs\\) must be accessible via shape inference"):
        tf.nn.dynamic_rnn(R.GRUCell(4), tf.placeholder(tf.float32, [2, 5, None]), dtype=tf.float32)
    with pytest.raises(ValueError, match="Must specify at least one cell for MultiRNNCell"):
        R.MultiRNNCell([])
    with pytest.raises(AttributeError, match="tf.nn.static_state_saving_rnn is TensorFlow 1.x API that tfmini does "
                                             "not implement"):
        tf.nn.static_state_saving_rnn  # noqa: B018
    with pytest.raises(AttributeError, match="^module 'tfmini.nn.rnn_cell' has no attribute 'NoSuchCell'$"):
        R.NoSuchCell  # noqa: B018
    with pytest.raises(ValueError, match="Parameter output_keep_prob must be between 0 and 1: 2"):
        R.DropoutWrapper(R.GRUCell(2), output_keep_prob=2.0)
    with pytest.raises(ValueError, match="When variational_recurrent=True, dtype must be provided"):
        R.DropoutWrapper(R.GRUCell(2), output_keep_prob=0.5, variational_recurrent=True)
    assert tf.contrib.rnn.BasicLSTMCell is R.BasicLSTMCell and tf.contrib.rnn.static_rnn is tf.nn.static_rnn


def test_a_sequence_length_of_the_wrong_size_fails_when_the_graph_runs():
    x = tf.placeholder(tf.float32, [2, 5, 3])
    n = tf.placeholder(tf.int32, [None])
    out, _ = tf.nn.dynamic_rnn(R.BasicRNNCell(4), x, sequence_length=n, dtype=tf.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError, match="Expected shape for Tensor"):
            sess.run(out, {x: X, n: [1, 2, 3]})



def test_sequences_shorter_than_the_input_leave_zero_outputs(backend):
    x = tf.placeholder(tf.float32, [2, 4, 1])
    n = tf.placeholder(tf.int32, [None])
    out, state = tf.nn.dynamic_rnn(R.BasicRNNCell(1), x, sequence_length=n, dtype=tf.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, last = sess.run([out, state], {x: np.ones([2, 4, 1], np.float32), n: [1, 2]})
    # (the loop stops after the longest sequence, 2 steps: the steps after are outputs never written, zeros)
    assert np.all(got[0, 1:] == 0) and np.all(got[1, 2:] == 0) and got[1, 1, 0] != 0
    np.testing.assert_array_equal(last[:, 0], [got[0, 0, 0], got[1, 1, 0]])



def test_dropout_wrapper(backend):
    from tfmini.ops.rnn_cell_impl import _default_dropout_state_filter, _state_mask
    x = tf.placeholder(tf.float32, [2, 5, 3])
    keep = tf.placeholder_with_default(1.0, [])
    cell = R.DropoutWrapper(R.BasicLSTMCell(4), input_keep_prob=keep, output_keep_prob=keep, state_keep_prob=keep)
    out, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    assert [v.name for v in tf.trainable_variables()] == ["rnn/basic_lstm_cell/kernel:0", "rnn/basic_lstm_cell/bias:0"]
    assert cell.state_size == (4, 4) and cell.output_size == 4 and cell.wrapped_cell.output_size == 4
    plain, _ = tf.nn.dynamic_rnn(R.BasicLSTMCell(4, reuse=True), x, dtype=tf.float32)  # (the same variables)
    # an LSTM's cell state c is never dropped, its output h is (TF's default filter)
    lstm_state = R.LSTMStateTuple(tf.zeros([1]), tf.zeros([1]))
    assert _state_mask(_default_dropout_state_filter, (lstm_state, tf.zeros([1]))) == [False, True, True]
    ones = np.ones((2, 5, 3), np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(out, {x: ones}), sess.run(plain, {x: ones}), rtol=1e-6)  # keep 1: none
        dropped = sess.run(out, {x: ones, keep: 0.5})
    assert 0.2 < (dropped == 0).mean() < 0.8
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [2, 5, 3])
    cell = R.DropoutWrapper(R.GRUCell(6), output_keep_prob=0.5, variational_recurrent=True, dtype=tf.float32)
    out, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = sess.run(out, {x: ones})
    zero = got == 0
    assert zero.any() and (zero == zero[:, :1]).all()  # variational: one mask for all of a sequence's steps
