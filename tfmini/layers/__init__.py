"""tf.layers: TF 1.x's functional and class layers (dense, conv2d, pooling, dropout, batch norm, flatten)."""
from ..framework.api_hook import tf_module_getattr
from .base import InputSpec, Layer  # noqa: F401
from .convolutional import Conv2D, Conv2DTranspose, conv2d, conv2d_transpose  # noqa: F401
from .core import Dense, Dropout, Flatten, dense, dropout, flatten  # noqa: F401
from .normalization import BatchNormalization, batch_normalization  # noqa: F401
from .pooling import AveragePooling2D, MaxPooling2D, average_pooling2d, max_pooling2d  # noqa: F401

__getattr__ = tf_module_getattr("layers", __name__)  # a TensorFlow name tfmini lacks: say so
