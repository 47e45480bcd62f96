"""tf.losses: loss functions (losses_impl) and the loss collections (util); re-exports only."""
from ..framework.api_hook import tf_module_getattr
from .losses_impl import *  # noqa: F401,F403
from .util import *  # noqa: F401,F403

__getattr__ = tf_module_getattr("losses", __name__)  # a TensorFlow name tfmini lacks: say so
