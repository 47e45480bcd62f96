"""tf.data.experimental: the parts of it TF 1.x input pipelines use (AUTOTUNE)."""
from ..framework.api_hook import tf_module_getattr
from .dataset_ops import AUTOTUNE

__all__ = ["AUTOTUNE"]

__getattr__ = tf_module_getattr("data.experimental", __name__)  # a TensorFlow name tfmini lacks: say so
