"""tf.layers pooling layers: max_pooling2d and average_pooling2d (`max_pooling2d/MaxPool:0`)."""
from ..ops import nn_ops
from .base import InputSpec, Layer
from .convolutional import _data_format, _padding, _pair

__all__ = ["MaxPooling2D", "max_pooling2d", "AveragePooling2D", "average_pooling2d"]


class _Pooling2D(Layer):
    _op_name = None  # the tf.nn function

    def __init__(self, pool_size, strides, padding="valid", data_format="channels_last", name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.pool_size = _pair(pool_size, "pool_size")
        self.strides = _pair(strides, "strides")
        self.padding = _padding(padding)
        self.data_format = _data_format(data_format)
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        (ph, pw), (sh, sw) = self.pool_size, self.strides
        if self.data_format == "NHWC":
            ksize, strides = [1, ph, pw, 1], [1, sh, sw, 1]
        else:
            ksize, strides = [1, 1, ph, pw], [1, 1, sh, sw]
        return getattr(nn_ops, self._op_name)(inputs, ksize=ksize, strides=strides, padding=self.padding,
                                              data_format=self.data_format)


class MaxPooling2D(_Pooling2D):
    _op_name = "max_pool"


class AveragePooling2D(_Pooling2D):
    _op_name = "avg_pool"


def max_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last", name=None):
    """The maximum over `pool_size` windows moved by `strides`."""
    return MaxPooling2D(pool_size, strides, padding=padding, data_format=data_format, name=name).apply(inputs)


def average_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last", name=None):
    """The mean over `pool_size` windows moved by `strides` (SAME padding averages only real entries)."""
    return AveragePooling2D(pool_size, strides, padding=padding, data_format=data_format, name=name).apply(inputs)
