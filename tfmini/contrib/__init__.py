"""tf.contrib: the parts of TF 1.x's contrib the lecture uses (layers initializers and regularizers,
framework variable helpers, and the start of slim), and tf.contrib.rnn's cells."""
from . import framework, layers, rnn, slim  # noqa: F401
