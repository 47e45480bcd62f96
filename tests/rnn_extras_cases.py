"""The cases of tests/test_rnn_extras.py, written once for both engines: each takes the `tf` module (tfmini, or
TensorFlow 2.21's compat.v1 in tests/data/gen/rnn_extras.py, which adds TF 1.x contrib's functions) and the input
placeholder x [2, 5, 3], and returns (outputs, final states) as nested structures of tensors."""

TARGETS = [[0, 2, 1, 1, 0], [2, 2, 0, 1, 1]]
WEIGHTS = [[1.0, 1.0, 0.5, 0.0, 0.0], [2.0, 0.0, 1.0, 0.0, 0.0]]  # steps 3 and 4 weigh nothing: a 0 / 0 there


def _static(tf, outputs_and_states):
    outputs, *states = outputs_and_states
    return tf.stack(outputs, 1), tuple(states)


def _stacked(outputs_and_states):
    """contrib's stacked RNNs: (outputs, states_fw, states_bw) -> (outputs, (states_fw, states_bw))."""
    outputs, *states = outputs_and_states
    return outputs, tuple(states)


def _sequence_loss(tf, x, **kwargs):
    loss = tf.contrib.seq2seq.sequence_loss(x, tf.constant(TARGETS), tf.constant(WEIGHTS), **kwargs)
    return loss, ()


def _custom_loss(tf):
    def loss(labels, logits):  # (named arguments, as contrib's sequence_loss passes them)
        return tf.reduce_sum(logits * logits, 1) * tf.cast(labels, tf.float32)
    return loss


def _time_major(tf, x):
    return tf.transpose(x, [1, 0, 2])


def _raw_rnn(tf, x, lengths=(5, 3)):
    """TF's raw_rnn example: an LSTM over time-major inputs read from a TensorArray, stopping at `lengths`; the loop
    state counts the steps each entry ran."""
    inputs = _time_major(tf, x)
    inputs_ta = tf.TensorArray(dtype=tf.float32, size=5).unstack(inputs)
    cell = tf.nn.rnn_cell.LSTMCell(4)
    sequence_length = tf.constant(lengths)

    def loop_fn(time, cell_output, cell_state, loop_state):
        if cell_output is None:  # time 0
            next_cell_state, next_loop_state = cell.zero_state(2, tf.float32), tf.zeros([2])
        else:
            next_cell_state, next_loop_state = cell_state, loop_state + tf.cast(time <= sequence_length, tf.float32)
        elements_finished = time >= sequence_length
        next_input = tf.cond(tf.reduce_all(elements_finished), lambda: tf.zeros([2, 3], dtype=tf.float32),
                             lambda: inputs_ta.read(time))
        return elements_finished, next_input, next_cell_state, cell_output, next_loop_state
    outputs_ta, final_state, steps = tf.nn.raw_rnn(cell, loop_fn)
    return outputs_ta.stack(), (final_state, steps)


RNN_EXTRAS = {
    "bidi_lstm_gru": lambda tf, x: tf.nn.bidirectional_dynamic_rnn(
        tf.nn.rnn_cell.BasicLSTMCell(4), tf.nn.rnn_cell.GRUCell(3), x, dtype=tf.float32),
    "bidi_seqlen_peepholes": lambda tf, x: tf.nn.bidirectional_dynamic_rnn(
        tf.nn.rnn_cell.LSTMCell(4, use_peepholes=True), tf.nn.rnn_cell.LSTMCell(3), x, sequence_length=[5, 2],
        dtype=tf.float32),
    "bidi_time_major_int64_init": lambda tf, x: tf.nn.bidirectional_dynamic_rnn(
        tf.nn.rnn_cell.GRUCell(4), tf.nn.rnn_cell.GRUCell(4), _time_major(tf, x),
        sequence_length=tf.constant([3, 5], tf.int64), initial_state_fw=tf.ones([2, 4]) * 0.3, dtype=tf.float32,
        time_major=True, scope="birnn"),
    "bidi_multi": lambda tf, x: tf.nn.bidirectional_dynamic_rnn(
        tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.GRUCell(3), tf.nn.rnn_cell.BasicLSTMCell(2)]),
        tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.GRUCell(2), tf.nn.rnn_cell.GRUCell(2)]), x,
        sequence_length=[4, 5], dtype=tf.float32),
    "static_bidi_seqlen": lambda tf, x: _static(tf, tf.nn.static_bidirectional_rnn(
        tf.nn.rnn_cell.BasicLSTMCell(4), tf.nn.rnn_cell.BasicRNNCell(3), tf.unstack(x, axis=1),
        sequence_length=[4, 2], dtype=tf.float32)),
    "static_bidi_contrib": lambda tf, x: _static(tf, tf.contrib.rnn.static_bidirectional_rnn(
        tf.nn.rnn_cell.GRUCell(2), tf.nn.rnn_cell.GRUCell(2), tf.unstack(x, axis=1), dtype=tf.float32)),
    "stack_dynamic": lambda tf, x: _stacked(tf.contrib.rnn.stack_bidirectional_dynamic_rnn(
        [tf.nn.rnn_cell.GRUCell(3), tf.nn.rnn_cell.LSTMCell(2)],
        [tf.nn.rnn_cell.BasicRNNCell(3), tf.nn.rnn_cell.LSTMCell(2)], x, sequence_length=[5, 3],
        dtype=tf.float32)),
    "stack_dynamic_time_major": lambda tf, x: _stacked(tf.contrib.rnn.stack_bidirectional_dynamic_rnn(
        [tf.nn.rnn_cell.GRUCell(2), tf.nn.rnn_cell.GRUCell(3)], [tf.nn.rnn_cell.GRUCell(2), tf.nn.rnn_cell.GRUCell(3)],
        _time_major(tf, x), initial_states_fw=[tf.ones([2, 2]) * 0.5, tf.ones([2, 3]) * -0.2], sequence_length=[2, 4],
        dtype=tf.float32, time_major=True)),
    "stack_static": lambda tf, x: _static(tf, tf.contrib.rnn.stack_bidirectional_rnn(
        [tf.nn.rnn_cell.BasicRNNCell(3), tf.nn.rnn_cell.GRUCell(2)],
        [tf.nn.rnn_cell.BasicRNNCell(3), tf.nn.rnn_cell.GRUCell(2)], tf.unstack(x, axis=1),
        sequence_length=[2, 5], dtype=tf.float32, scope="layers")),
    "residual": lambda tf, x: tf.nn.dynamic_rnn(tf.nn.rnn_cell.ResidualWrapper(tf.nn.rnn_cell.GRUCell(3)), x,
                                                dtype=tf.float32),
    "residual_in_multi_seqlen": lambda tf, x: tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell(
        [tf.nn.rnn_cell.LSTMCell(3), tf.nn.rnn_cell.ResidualWrapper(tf.nn.rnn_cell.LSTMCell(3))]), x,
        sequence_length=[5, 3], dtype=tf.float32),
    "residual_fn": lambda tf, x: tf.nn.dynamic_rnn(tf.nn.rnn_cell.ResidualWrapper(
        tf.nn.rnn_cell.BasicRNNCell(4), residual_fn=lambda i, o: o + tf.reduce_mean(i, 1, keepdims=True)), x,
        dtype=tf.float32),
    "device": lambda tf, x: tf.nn.dynamic_rnn(tf.nn.rnn_cell.DeviceWrapper(tf.nn.rnn_cell.BasicLSTMCell(4), "/cpu:0"),
                                              x, dtype=tf.float32),
    "raw_rnn": _raw_rnn,
    "seq_loss": lambda tf, x: _sequence_loss(tf, x),
    "seq_loss_per_step": lambda tf, x: _sequence_loss(tf, x, average_across_timesteps=False),
    "seq_loss_per_sequence": lambda tf, x: _sequence_loss(tf, x, average_across_batch=False),
    "seq_loss_unreduced": lambda tf, x: _sequence_loss(tf, x, average_across_timesteps=False,
                                                       average_across_batch=False),
    "seq_loss_sum_over_both": lambda tf, x: _sequence_loss(tf, x, average_across_timesteps=False,
                                                           average_across_batch=False, sum_over_timesteps=True,
                                                           sum_over_batch=True),
    "seq_loss_sum_over_timesteps": lambda tf, x: _sequence_loss(tf, x, average_across_timesteps=False,
                                                                average_across_batch=False, sum_over_timesteps=True),
    "seq_loss_sum_over_batch": lambda tf, x: _sequence_loss(tf, x, average_across_timesteps=False,
                                                            average_across_batch=False, sum_over_batch=True),
    "seq_loss_custom": lambda tf, x: _sequence_loss(tf, x, softmax_loss_function=_custom_loss(tf), name="my_loss"),
}
