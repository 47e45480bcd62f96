"""Writes tests/data/tf_rnn_extras.json from TensorFlow 2.21 (compat.v1, tf_keras 2.21's legacy cells, control flow
v1): for each case of tests/rnn_extras_cases.py, the trainable variables (name, shape), the names of the output and
state tensors, the devices of the MatMul ops and - with the variables set to the values tests/test_rnn_extras.py
sets - the outputs, final states and gradients of sum(outputs^2) + sum(states) w.r.t. the input and each variable.

TensorFlow 2 has no tf.contrib: its TF 1.15 functions the cases use (contrib.rnn's stacked bidirectional RNNs,
contrib.seq2seq.sequence_loss) are rebuilt below from TF 2.21's ops, as TF 1.15's contrib composed them.

    TF_USE_LEGACY_KERAS=1 /tmp/tfvenv/bin/python tests/data/gen/rnn_extras.py
"""
import json
import os
import pathlib
import sys
import types

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow.compat.v1 as tf  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
from rnn_extras_cases import RNN_EXTRAS  # noqa: E402

X = np.sin(np.arange(2 * 5 * 3, dtype=np.float32)).reshape(2, 5, 3)


# --------------------------------------------------------------------------- TF 1.15 contrib, on TF 2.21's ops
def _check_layers(cells_fw, cells_bw, initial_states_fw, initial_states_bw):
    assert cells_fw and cells_bw and len(cells_fw) == len(cells_bw)
    assert initial_states_fw is None or len(initial_states_fw) == len(cells_fw)
    assert initial_states_bw is None or len(initial_states_bw) == len(cells_bw)


def stack_bidirectional_rnn(cells_fw, cells_bw, inputs, initial_states_fw=None, initial_states_bw=None, dtype=None,
                            sequence_length=None, scope=None):
    _check_layers(cells_fw, cells_bw, initial_states_fw, initial_states_bw)
    states_fw, states_bw, prev_layer = [], [], inputs
    with tf.variable_scope(scope or "stack_bidirectional_rnn"):
        for i, (cell_fw, cell_bw) in enumerate(zip(cells_fw, cells_bw)):
            with tf.variable_scope("cell_%d" % i) as cell_scope:
                prev_layer, state_fw, state_bw = tf.nn.static_bidirectional_rnn(
                    cell_fw, cell_bw, prev_layer,
                    initial_state_fw=initial_states_fw[i] if initial_states_fw else None,
                    initial_state_bw=initial_states_bw[i] if initial_states_bw else None,
                    sequence_length=sequence_length, dtype=dtype, scope=cell_scope)
            states_fw.append(state_fw)
            states_bw.append(state_bw)
    return prev_layer, tuple(states_fw), tuple(states_bw)


def stack_bidirectional_dynamic_rnn(cells_fw, cells_bw, inputs, initial_states_fw=None, initial_states_bw=None,
                                    dtype=None, sequence_length=None, parallel_iterations=None, time_major=False,
                                    scope=None, swap_memory=False):
    _check_layers(cells_fw, cells_bw, initial_states_fw, initial_states_bw)
    states_fw, states_bw, prev_layer = [], [], inputs
    with tf.variable_scope(scope or "stack_bidirectional_rnn"):
        for i, (cell_fw, cell_bw) in enumerate(zip(cells_fw, cells_bw)):
            with tf.variable_scope("cell_%d" % i):
                outputs, (state_fw, state_bw) = tf.nn.bidirectional_dynamic_rnn(
                    cell_fw, cell_bw, prev_layer,
                    initial_state_fw=initial_states_fw[i] if initial_states_fw else None,
                    initial_state_bw=initial_states_bw[i] if initial_states_bw else None,
                    sequence_length=sequence_length, parallel_iterations=parallel_iterations, dtype=dtype,
                    swap_memory=swap_memory, time_major=time_major)
                prev_layer = tf.concat(outputs, 2)
            states_fw.append(state_fw)
            states_bw.append(state_bw)
    return prev_layer, tuple(states_fw), tuple(states_bw)


def sequence_loss(logits, targets, weights, average_across_timesteps=True, average_across_batch=True,
                  sum_over_timesteps=False, sum_over_batch=False, softmax_loss_function=None, name=None):
    with tf.name_scope(name, "sequence_loss", [logits, targets, weights]):
        num_classes = tf.shape(logits)[2]
        logits_flat = tf.reshape(logits, [-1, num_classes])
        targets = tf.reshape(targets, [-1])
        if softmax_loss_function is None:
            crossent = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=targets, logits=logits_flat)
        else:
            crossent = softmax_loss_function(labels=targets, logits=logits_flat)
        crossent *= tf.reshape(weights, [-1])
        if average_across_timesteps and average_across_batch:
            return tf.div_no_nan(tf.reduce_sum(crossent), tf.reduce_sum(weights))
        if sum_over_timesteps and sum_over_batch:
            return tf.div_no_nan(tf.reduce_sum(crossent), tf.cast(tf.count_nonzero(weights), crossent.dtype))
        crossent = tf.reshape(crossent, tf.shape(logits)[0:2])
        if average_across_timesteps or average_across_batch:
            axis = [0] if average_across_batch else [1]
            return tf.div_no_nan(tf.reduce_sum(crossent, axis=axis), tf.reduce_sum(weights, axis=axis))
        if sum_over_timesteps or sum_over_batch:
            axis = [0] if sum_over_batch else [1]
            return tf.div_no_nan(tf.reduce_sum(crossent, axis=axis),
                                 tf.cast(tf.count_nonzero(weights, axis=axis), crossent.dtype))
        return crossent


class _TFWithContrib:
    """compat.v1 plus the contrib functions above, as the cases call them."""
    contrib = types.SimpleNamespace(
        rnn=types.SimpleNamespace(static_bidirectional_rnn=tf.nn.static_bidirectional_rnn,
                                  stack_bidirectional_rnn=stack_bidirectional_rnn,
                                  stack_bidirectional_dynamic_rnn=stack_bidirectional_dynamic_rnn),
        seq2seq=types.SimpleNamespace(sequence_loss=sequence_loss))

    def __getattr__(self, name):
        return getattr(tf, name)


def run_case(build):
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [2, 5, 3], name="x")
    out, state = build(_TFWithContrib(), x)
    flat_out, flat_state = tf.nest.flatten(out), tf.nest.flatten(state)
    loss = sum(tf.reduce_sum(o * o) for o in flat_out) + sum(tf.reduce_sum(s) for s in flat_state)
    variables = sorted(tf.trainable_variables(), key=lambda v: v.name)
    grads = tf.gradients(loss, [x] + variables)
    devices = sorted({op.device for op in tf.get_default_graph().get_operations() if op.type == "MatMul"})
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for k, v in enumerate(variables):
            shape = v.shape.as_list()
            v.load(np.cos(np.arange(int(np.prod(shape))) * 0.37 + k).reshape(shape).astype(np.float32) * 0.5, sess)
        values = sess.run(flat_out + flat_state + grads, {x: X})
    return {"vars": [[v.name, v.shape.as_list()] for v in variables],
            "names": [t.name for t in flat_out + flat_state],
            "devices": devices,
            "values": [np.round(np.asarray(a, np.float64), 7).tolist() for a in values]}


def main():
    tf.disable_v2_behavior()
    tf.disable_control_flow_v2()
    cases = {name: run_case(build) for name, build in sorted(RNN_EXTRAS.items())}
    about = ("Written by TensorFlow %s (tf.compat.v1 with tf_keras's legacy cells, control flow v1) by "
             "tests/data/gen/rnn_extras.py from the cases in tests/rnn_extras_cases.py." % tf.__version__)
    path = HERE.parent / "tf_rnn_extras.json"
    path.write_text(json.dumps({"_about": about, "cases": cases}, separators=(",", ":")))
    print("wrote %s (%d cases, %d bytes)" % (path, len(cases), path.stat().st_size))


if __name__ == "__main__":
    main()
