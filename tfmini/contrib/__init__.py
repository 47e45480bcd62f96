"""tf.contrib: the parts of TF 1.x's contrib the lecture uses (layers initializers and regularizers,
framework variable helpers, and the start of slim), tf.contrib.rnn's cells and
tf.contrib.seq2seq's sequence_loss."""
from . import framework, layers, rnn, seq2seq, slim  # noqa: F401
