"""TF 1.x's legacy (static, list-of-time-steps) seq2seq: an RNN decoder unrolled over a Python list of inputs
with one set of weights, and the per-example weighted sequence cross-entropy over lists of logits."""
import copy

from ...framework import dtypes
from ...framework.ops import name_scope
from ...ops import array_ops, math_ops, nn_ops
from ...ops.rnn import static_rnn
from ...variable_scope import get_variable_scope, variable_scope

__all__ = ["rnn_decoder", "basic_rnn_seq2seq", "sequence_loss_by_example", "sequence_loss"]


def rnn_decoder(decoder_inputs, initial_state, cell, loop_function=None, scope=None):
    """Run `cell` over the list `decoder_inputs` (each [batch, input_size]) from `initial_state`, sharing its
    weights across steps: (outputs, one [batch, output_size] per step; the last state).

    With `loop_function(prev_output, i)`, every input after the first is that function of the previous output
    (greedy decoding, e.g. the argmax's embedding); `decoder_inputs` then only sets the number of steps.
    Variables live under `scope` (default "rnn_decoder")."""
    with variable_scope(scope or "rnn_decoder"):
        state = initial_state
        outputs = []
        prev = None
        for i, inp in enumerate(decoder_inputs):
            if loop_function is not None and prev is not None:
                with variable_scope("loop_function", reuse=True):
                    inp = loop_function(prev, i)
            if i > 0:
                get_variable_scope().reuse_variables()
            output, state = cell(inp, state)
            outputs.append(output)
            if loop_function is not None:
                prev = output
    return outputs, state


def basic_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, dtype=dtypes.float32, scope=None):
    """Encode the list `encoder_inputs` with `cell` (static_rnn), then decode `decoder_inputs` from the encoder's
    last state with a copy of the same cell type: (decoder outputs, decoder's last state). Variables under
    "<scope or basic_rnn_seq2seq>/rnn" and ".../rnn_decoder"."""
    with variable_scope(scope or "basic_rnn_seq2seq"):
        enc_cell = copy.deepcopy(cell)
        _, enc_state = static_rnn(enc_cell, encoder_inputs, dtype=dtype)
        return rnn_decoder(decoder_inputs, enc_state, cell)


def sequence_loss_by_example(logits, targets, weights, average_across_timesteps=True, softmax_loss_function=None,
                             name=None):
    """The weighted cross-entropy of each example over a sequence: [batch].

    `logits` is a list of [batch, num_classes] tensors (one per step), `targets` a list of [batch] int class ids,
    `weights` a list of [batch] floats (1 for real steps, 0 for padding). Each step's sparse softmax
    cross-entropy (or `softmax_loss_function(labels=, logits=)`) is weighted and summed over the steps; with
    average_across_timesteps, divided by the summed weights (+1e-12)."""
    if len(targets) != len(logits) or len(weights) != len(logits):
        raise ValueError("Lengths of logits, weights, and targets must be the same %d, %d, %d."
                         % (len(logits), len(weights), len(targets)))
    with name_scope(name, "sequence_loss_by_example", list(logits) + list(targets) + list(weights)):
        log_perp_list = []
        for logit, target, weight in zip(logits, targets, weights):
            if softmax_loss_function is None:
                target = array_ops.reshape(target, [-1])
                crossent = nn_ops.sparse_softmax_cross_entropy_with_logits(labels=target, logits=logit)
            else:
                crossent = softmax_loss_function(labels=target, logits=logit)
            log_perp_list.append(crossent * weight)
        log_perps = math_ops.add_n(log_perp_list)
        if average_across_timesteps:
            total_size = math_ops.add_n(weights)
            total_size += 1e-12  # all-zero weights: 0 rather than nan
            log_perps /= total_size
    return log_perps


def sequence_loss(logits, targets, weights, average_across_timesteps=True, average_across_batch=True,
                  softmax_loss_function=None, name=None):
    """sequence_loss_by_example summed over the batch, and (average_across_batch) divided by the batch size: a
    scalar, the lecture's cost of a char-RNN."""
    with name_scope(name, "sequence_loss", list(logits) + list(targets) + list(weights)):
        cost = math_ops.reduce_sum(sequence_loss_by_example(
            logits, targets, weights, average_across_timesteps=average_across_timesteps,
            softmax_loss_function=softmax_loss_function))
        if average_across_batch:
            batch_size = array_ops.shape(targets[0])[0]
            return cost / math_ops.cast(batch_size, cost.dtype)
        return cost
