"""tf.contrib.tensorboard: TF 1.x's TensorBoard plugins; tfmini has the embedding projector's config."""
from . import plugins  # noqa: F401
