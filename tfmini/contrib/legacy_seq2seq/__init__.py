"""tf.contrib.legacy_seq2seq: the list-of-time-steps seq2seq helpers of TF 1.x that char-RNN lecture code uses
(rnn_decoder, basic_rnn_seq2seq, sequence_loss_by_example, sequence_loss); re-exports only."""
from ...framework.api_hook import tf_module_getattr
from .seq2seq import basic_rnn_seq2seq, rnn_decoder, sequence_loss, sequence_loss_by_example  # noqa: F401

__getattr__ = tf_module_getattr("contrib.legacy_seq2seq", __name__)
