"""Writes tests/data/tf_legacy_seq2seq.json from TensorFlow 2.21 (compat.v1, tf_keras's legacy cells): for each
case of CASES (a source text that builds `out`, a list of tensors, with tf.contrib.legacy_seq2seq's rnn_decoder,
basic_rnn_seq2seq and sequence losses, and with tf.sequence_mask), each output's name, static shape, dtype and
value, the trainable variables (name, shape), and for the cases that name `wrt`, the gradients of sum(out[0])
with respect to those tensors; for ERRORS, the error raised. tests/test_legacy_seq2seq.py runs the same texts on
tfmini (seq2seq = tf.contrib.legacy_seq2seq) and compares.

TensorFlow 2 has no tf.contrib: TF 1.15's legacy_seq2seq functions the cases use are rebuilt below from TF 2.21's
ops and cells, as TF 1.15's contrib composed them.

    TF_USE_LEGACY_KERAS=1 /tmp/tfvenv/bin/python tests/data/gen/legacy_seq2seq.py
"""
import copy
import importlib
import json
import os
import pathlib
import types

import numpy as np

from golden_values import arr  # tests/data/gen/golden_values.py

OUT = pathlib.Path(__file__).resolve().parent.parent / "tf_legacy_seq2seq.json"


# --------------------------------------------------------------------------- TF 1.15 contrib, on TF 2.21's ops
def rnn_decoder(decoder_inputs, initial_state, cell, loop_function=None, scope=None):
    with tf.variable_scope(scope or "rnn_decoder"):
        state, outputs, prev = initial_state, [], None
        for i, inp in enumerate(decoder_inputs):
            if loop_function is not None and prev is not None:
                with tf.variable_scope("loop_function", reuse=True):
                    inp = loop_function(prev, i)
            if i > 0:
                tf.get_variable_scope().reuse_variables()
            output, state = cell(inp, state)
            outputs.append(output)
            if loop_function is not None:
                prev = output
    return outputs, state


def basic_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, dtype=None, scope=None):
    with tf.variable_scope(scope or "basic_rnn_seq2seq"):
        _, enc_state = tf.nn.static_rnn(copy.deepcopy(cell), encoder_inputs, dtype=dtype or tf.float32)
        return rnn_decoder(decoder_inputs, enc_state, cell)


def sequence_loss_by_example(logits, targets, weights, average_across_timesteps=True, softmax_loss_function=None,
                             name=None):
    if len(targets) != len(logits) or len(weights) != len(logits):
        raise ValueError("Lengths of logits, weights, and targets must be the same %d, %d, %d."
                         % (len(logits), len(weights), len(targets)))
    with tf.name_scope(name, "sequence_loss_by_example", logits + targets + weights):
        terms = []
        for logit, target, weight in zip(logits, targets, weights):
            if softmax_loss_function is None:
                crossent = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.reshape(target, [-1]),
                                                                          logits=logit)
            else:
                crossent = softmax_loss_function(labels=target, logits=logit)
            terms.append(crossent * weight)
        log_perps = tf.add_n(terms)
        if average_across_timesteps:
            log_perps /= tf.add_n(weights) + 1e-12
    return log_perps


def sequence_loss(logits, targets, weights, average_across_timesteps=True, average_across_batch=True,
                  softmax_loss_function=None, name=None):
    with tf.name_scope(name, "sequence_loss", logits + targets + weights):
        cost = tf.reduce_sum(sequence_loss_by_example(logits, targets, weights, average_across_timesteps,
                                                      softmax_loss_function))
        if average_across_batch:
            return cost / tf.cast(tf.shape(targets[0])[0], cost.dtype)
        return cost


LEGACY = types.SimpleNamespace(rnn_decoder=rnn_decoder, basic_rnn_seq2seq=basic_rnn_seq2seq,
                               sequence_loss_by_example=sequence_loss_by_example, sequence_loss=sequence_loss)

# The sources reach the functions as `seq2seq` (tfmini: tf.contrib.legacy_seq2seq; TensorFlow: LEGACY above).
# Variables come from seeded initializers, which tfmini draws as TF does.
CASES = {
    "rnn_decoder_lstm": (
        "init = tf.random_uniform_initializer(-0.5, 0.5, seed=3)\n"
        "inputs = [tf.constant(np.linspace(-1, 1, 8).reshape(2, 4) * (i + 1), tf.float32) for i in range(3)]\n"
        "cell = tf.nn.rnn_cell.BasicLSTMCell(5)\n"
        "with tf.variable_scope('model', initializer=init):\n"
        "    outputs, state = seq2seq.rnn_decoder(inputs, cell.zero_state(2, tf.float32), cell)\n"
        "out = [outputs[-1], outputs[0], state.c, state.h]\n"
        "wrt = [inputs[0], inputs[2]]"),
    "rnn_decoder_loop_function": (
        "init = tf.random_uniform_initializer(-0.5, 0.5, seed=5)\n"
        "inputs = [tf.constant([[0.5, -1., 2.], [1., 0., 0.]])] + [tf.zeros([2, 3])] * 3\n"
        "cell = tf.nn.rnn_cell.BasicRNNCell(3)\n"
        "loop = lambda prev, i: tf.tanh(prev * float(i))\n"
        "with tf.variable_scope('greedy', initializer=init):\n"
        "    outputs, state = seq2seq.rnn_decoder(inputs, cell.zero_state(2, tf.float32), cell,\n"
        "                                         loop_function=loop, scope='dec')\n"
        "out = [tf.stack(outputs), state]\n"
        "wrt = [inputs[0]]"),
    "basic_rnn_seq2seq_gru": (
        "init = tf.random_uniform_initializer(-0.5, 0.5, seed=7)\n"
        "enc = [tf.constant(np.full((2, 3), 0.1 * (i + 1)), tf.float32) for i in range(4)]\n"
        "dec = [tf.constant(np.eye(2, 3) * (i + 1), tf.float32) for i in range(2)]\n"
        "with tf.variable_scope('s2s', initializer=init):\n"
        "    outputs, state = seq2seq.basic_rnn_seq2seq(enc, dec, tf.nn.rnn_cell.GRUCell(4))\n"
        "out = [outputs[-1], state]\n"
        "wrt = [enc[0], dec[1]]"),
    "sequence_loss_by_example": (
        "logits = [tf.constant(np.linspace(-2, 2, 12).reshape(3, 4) * (i + 1), tf.float32) for i in range(2)]\n"
        "targets = [tf.constant([0, 3, 1]), tf.constant([[2], [2], [0]])]\n"
        "weights = [tf.constant([1., 1., 0.5]), tf.constant([1., 0., 0.])]\n"
        "out = [seq2seq.sequence_loss_by_example(logits, targets, weights),\n"
        "       seq2seq.sequence_loss_by_example(logits, targets, weights, average_across_timesteps=False),\n"
        "       seq2seq.sequence_loss(logits, targets, weights),\n"
        "       seq2seq.sequence_loss(logits, targets, weights, average_across_timesteps=False,\n"
        "                             average_across_batch=False)]\n"
        "wrt = logits"),
    "sequence_loss_custom_softmax": (
        "logits = [tf.constant([[0.5, 1.5], [2., -1.]]), tf.constant([[0., 0.], [1., 1.]])]\n"
        "targets = [tf.constant([[0., 1.], [1., 0.]]), tf.constant([[1., 0.], [0.5, 0.5]])]\n"
        "weights = [tf.ones([2]), tf.ones([2])]\n"
        "f = lambda labels, logits: tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)\n"
        "out = [seq2seq.sequence_loss(logits, targets, weights, softmax_loss_function=f)]\n"
        "wrt = logits"),
    "char_rnn_model": (  # the lecture notebook's model; an outer scope gives every variable the seeded init
        "batch_size, seq_length, vocab_size, rnn_size = 2, 3, 5, 4\n"
        "init = tf.random_uniform_initializer(-0.3, 0.3, seed=11)\n"
        "with tf.variable_scope('char', initializer=init):\n"
        "    cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(rnn_size) for _ in range(2)])\n"
        "    input_data = tf.constant([[1, 2, 3], [4, 0, 1]]); targets = tf.constant([[2, 3, 4], [0, 1, 1]])\n"
        "    istate = cell.zero_state(batch_size, tf.float32)\n"
        "    with tf.variable_scope('rnnlm') as scope:\n"
        "        softmax_w = tf.get_variable('softmax_w', [rnn_size, vocab_size])\n"
        "        softmax_b = tf.get_variable('softmax_b', [vocab_size])\n"
        "        embedding = tf.get_variable('embedding', [vocab_size, rnn_size])\n"
        "        inputs = tf.split(tf.nn.embedding_lookup(embedding, input_data), seq_length, 1)\n"
        "        inputs = [tf.squeeze(i, [1]) for i in inputs]\n"
        "    outputs, last_state = seq2seq.rnn_decoder(inputs, istate, cell, loop_function=None, scope='rnnlm')\n"
        "    output = tf.reshape(tf.concat(outputs, 1), [-1, rnn_size])\n"
        "    logits = tf.nn.xw_plus_b(output, softmax_w, softmax_b)\n"
        "    loss = seq2seq.sequence_loss_by_example([logits], [tf.reshape(targets, [-1])],\n"
        "                                            [tf.ones([batch_size * seq_length])], vocab_size)\n"
        "    cost = tf.reduce_sum(loss) / batch_size / seq_length\n"
        "out = [cost, loss, last_state[1].h]\n"
        "wrt = [softmax_w, embedding]"),
    "sequence_mask_maxlen": "out = [tf.sequence_mask([1, 3, 2], 5), tf.sequence_mask([0, 2], 3, dtype=tf.float32)]",
    "sequence_mask_no_maxlen": (
        "out = [tf.sequence_mask(tf.constant([[1, 0], [2, 4]])), tf.sequence_mask([0, 0]),\n"
        "       tf.sequence_mask(tf.constant([3, 1], tf.int64), tf.constant(4, tf.int64), dtype=tf.int32)]"),
    "sequence_mask_unknown": (
        "lengths = tf.placeholder_with_default([2, 0, 3], shape=[None])\n"
        "out = [tf.sequence_mask(lengths), tf.sequence_mask(lengths, 4, name='mask')]"),
}

ERRORS = {
    "loss_lengths_differ": ("seq2seq.sequence_loss_by_example([tf.zeros([2, 3])] * 2, [tf.zeros([2], tf.int32)],\n"
                            "                                 [tf.ones([2])] * 2)"),
}


def build(tf, seq2seq, source):
    """Run a case's source in a fresh graph: (out, wrt)."""
    tf.reset_default_graph()
    scope = {"tf": tf, "np": np, "seq2seq": seq2seq}
    exec(source, scope)
    return scope["out"], scope.get("wrt", [])


def describe(t):
    shape = t.shape.as_list() if t.shape.ndims is not None else None
    return {"name": t.name, "shape": shape, "dtype": t.dtype.name}


def run_case(tf, seq2seq, source):
    out, wrt = build(tf, seq2seq, source)
    grads = [tf.convert_to_tensor(g) for g in tf.gradients(tf.reduce_sum(out[0]), wrt)] if wrt else []  # dense
    variables = [[v.name, v.shape.as_list()] for v in tf.trainable_variables()]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = sess.run(list(out) + list(grads))
    return {"outputs": [dict(describe(t), value=arr(v)) for t, v in zip(out, values)],
            "grads": [arr(v) for v in values[len(out):]], "variables": variables}


def run_error(tf, seq2seq, source):
    tf.reset_default_graph()
    try:
        exec(source, {"tf": tf, "np": np, "seq2seq": seq2seq})
    except Exception as e:  # noqa: BLE001 - the record is what TF raised
        return {"type": type(e).__name__, "message": str(e)}
    return None


if __name__ == "__main__":
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")  # tf.nn.rnn_cell's cells need Keras 2 (tf_keras)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = importlib.import_module("tensorflow.compat.v1")  # the functions above read this module global
    tf.disable_v2_behavior()  # graph mode, TF 1.x semantics
    cases = {}
    for name, src in CASES.items():
        try:
            cases[name] = run_case(tf, LEGACY, src)
        except Exception as e:  # noqa: BLE001 - say which case
            raise RuntimeError("case %s" % name) from e
    golden = {"cases": cases,
              "errors": {name: run_error(tf, LEGACY, src) for name, src in ERRORS.items()}}
    OUT.write_text(json.dumps(golden, indent=1) + "\n")
    print("wrote", OUT)
