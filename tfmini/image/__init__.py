"""tf.image: TensorFlow 1.x's image namespace (re-exports only; the ops live in tfmini/ops/image_ops.py)."""
from ..framework.api_hook import tf_module_getattr
from ..ops import image_ops as _image_ops
from ..ops.image_ops import *

__all__ = list(_image_ops.__all__)

__getattr__ = tf_module_getattr("image", __name__)  # a TensorFlow name tfmini lacks: say so
