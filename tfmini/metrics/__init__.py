"""tf.metrics: streaming evaluation metrics, each a (value, update_op) pair over local variables."""
from ..framework.api_hook import tf_module_getattr
from .metrics_impl import *  # noqa: F401,F403

__getattr__ = tf_module_getattr("metrics", __name__)  # a TensorFlow name tfmini lacks: say so
