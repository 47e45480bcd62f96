"""tf.contrib: the parts of TF 1.x's contrib the lecture uses (layers initializers and regularizers,
framework variable helpers, and the start of slim), tf.contrib.rnn's cells,
tf.contrib.seq2seq's sequence_loss and tf.contrib.tensorboard's embedding projector config."""
from ..framework.api_hook import install_import_hook, tf_module_getattr
from . import framework, layers, rnn, seq2seq, slim, tensorboard  # noqa: F401

__getattr__ = tf_module_getattr("contrib", __name__)  # tf.contrib.factorization and TF 1.15's other modules: say so
install_import_hook()  # and `from tfmini.contrib.factorization import KMeans` (and tfmini.python, tfmini.estimator)
