"""tf.contrib.tensorboard.plugins: the embedding projector (`from tensorflow.contrib.tensorboard.plugins import
projector`, as TF 1.x's word2vec tutorials import it)."""
from . import projector  # noqa: F401
