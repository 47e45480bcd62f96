"""tf.contrib: the parts of TF 1.x's contrib the lecture uses (layers initializers and regularizers,
framework variable helpers, and the start of slim), tf.contrib.rnn's cells,
tf.contrib.seq2seq's sequence_loss, tf.contrib.legacy_seq2seq's rnn_decoder and losses,
tf.contrib.learn's text preprocessing (VocabularyProcessor), tf.contrib.distributions' Normal and Categorical
and tf.contrib.tensorboard's embedding projector config."""
from ..framework.api_hook import install_import_hook, tf_module_getattr
from . import framework, layers, rnn, seq2seq, slim, tensorboard  # noqa: F401

_ON_FIRST_USE = ("distributions", "learn", "legacy_seq2seq")  # imported when first reached: `import tfmini` stays light


def _provide(name):
    if name in _ON_FIRST_USE:
        import importlib
        return importlib.import_module("%s.%s" % (__name__, name))
    return None


__getattr__ = tf_module_getattr("contrib", __name__, _provide)  # tf.contrib.factorization and TF 1.15's other
# modules: say so
install_import_hook()  # and `from tfmini.contrib.factorization import KMeans` (and tfmini.python, tfmini.estimator)
