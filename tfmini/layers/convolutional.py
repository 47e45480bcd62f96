"""tf.layers convolution layers: conv2d and conv2d_transpose (`conv2d/kernel:0`, `conv2d/Conv2D:0`)."""
from .. import init_ops
from ..framework.ops import convert_to_tensor
from ..framework.tensor_shape import TensorShape
from ..ops import array_ops, nn_ops
from .base import InputSpec, Layer, get_activation

__all__ = ["Conv2D", "conv2d", "Conv2DTranspose", "conv2d_transpose"]


def _pair(v, what):
    if isinstance(v, int):
        return (v, v)
    v = tuple(int(x) for x in v)
    if len(v) != 2:
        raise ValueError("The `%s` argument must be a tuple of 2 integers. Received: %s" % (what, v))
    return v


def _padding(padding):
    p = padding.upper()
    if p not in ("SAME", "VALID"):
        raise ValueError("The `padding` argument must be one of \"valid\", \"same\". Received: %s" % padding)
    return p


def _data_format(data_format):
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError("The `data_format` argument must be one of \"channels_first\", \"channels_last\". "
                         "Received: %s" % data_format)
    return "NHWC" if data_format == "channels_last" else "NCHW"


class Conv2D(Layer):
    """2-D convolution: kernel [kh, kw, in_channels, filters], then bias and activation."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format="channels_last",
                 dilation_rate=(1, 1), activation=None, use_bias=True, kernel_initializer=None,
                 bias_initializer=init_ops.zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True,
                 name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        self.filters = int(filters)
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.strides = _pair(strides, "strides")
        self.padding = _padding(padding)
        self.data_format = _data_format(data_format)
        self.dilation_rate = _pair(dilation_rate, "dilation_rate")
        self.activation, self.use_bias = get_activation(activation), use_bias
        self.kernel_initializer, self.bias_initializer = kernel_initializer, bias_initializer
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer
        self.kernel_constraint, self.bias_constraint = kernel_constraint, bias_constraint
        self.input_spec = InputSpec(ndim=4)

    def _channel_axis(self):
        return -1 if self.data_format == "NHWC" else 1

    def build(self, input_shape):
        input_shape = TensorShape(input_shape)
        if input_shape.ndims is None or input_shape[self._channel_axis()].value is None:
            raise ValueError("The channel dimension of the inputs should be defined. Found `None`.")
        in_channels = input_shape[self._channel_axis()].value
        self.input_spec = InputSpec(ndim=4, axes={self._channel_axis(): in_channels})
        self.kernel = self.add_weight("kernel", shape=list(self.kernel_size) + [in_channels, self.filters],
                                      initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = self.add_weight("bias", shape=[self.filters], initializer=self.bias_initializer,
                                    regularizer=self.bias_regularizer, constraint=self.bias_constraint) \
            if self.use_bias else None

    def _strides4(self):
        s = self.strides
        return [1, s[0], s[1], 1] if self.data_format == "NHWC" else [1, 1, s[0], s[1]]

    def _dilations4(self):
        d = self.dilation_rate
        return [1, d[0], d[1], 1] if self.data_format == "NHWC" else [1, 1, d[0], d[1]]

    def call(self, inputs):
        outputs = nn_ops.conv2d(inputs, self.kernel, strides=self._strides4(), padding=self.padding,
                                data_format=self.data_format, dilations=self._dilations4())
        if self.use_bias:
            outputs = nn_ops.bias_add(outputs, self.bias, data_format=self.data_format)
        if self.activation is not None:
            return self.activation(outputs)
        return outputs


def conv2d(inputs, filters, kernel_size, strides=(1, 1), padding="valid", data_format="channels_last",
           dilation_rate=(1, 1), activation=None, use_bias=True, kernel_initializer=None,
           bias_initializer=init_ops.zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
           activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
           reuse=None):
    """tf.layers.conv2d: variables `<name>/kernel` [kh, kw, in, filters] and `<name>/bias`."""
    layer = Conv2D(filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                   dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
                   kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                   kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                   activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
                   bias_constraint=bias_constraint, trainable=trainable, name=name, _scope=name, _reuse=reuse)
    return layer.apply(inputs)


def _deconv_length(size, kernel, stride, padding):
    if size is None:
        return None
    if padding == "VALID":
        return size * stride + max(kernel - stride, 0)
    return size * stride


class Conv2DTranspose(Conv2D):
    """The transpose (gradient) of a 2-D convolution: kernel [kh, kw, filters, in_channels]."""

    def build(self, input_shape):
        input_shape = TensorShape(input_shape)
        if input_shape.ndims != 4:
            raise ValueError("Inputs should have rank 4. Received input shape: " + str(input_shape))
        in_channels = input_shape[self._channel_axis()].value
        if in_channels is None:
            raise ValueError("The channel dimension of the inputs should be defined. Found `None`.")
        self.input_spec = InputSpec(ndim=4, axes={self._channel_axis(): in_channels})
        self.kernel = self.add_weight("kernel", shape=list(self.kernel_size) + [self.filters, in_channels],
                                      initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = self.add_weight("bias", shape=[self.filters], initializer=self.bias_initializer,
                                    regularizer=self.bias_regularizer, constraint=self.bias_constraint) \
            if self.use_bias else None

    def call(self, inputs):
        inputs = convert_to_tensor(inputs)
        nhwc = self.data_format == "NHWC"
        h_axis, w_axis = (1, 2) if nhwc else (2, 3)
        dyn = array_ops.shape(inputs)
        batch = dyn[0]
        h, w = inputs.shape[h_axis].value, inputs.shape[w_axis].value
        (kh, kw), (sh, sw) = self.kernel_size, self.strides
        out_h = _deconv_length(h if h is not None else dyn[h_axis], kh, sh, self.padding)
        out_w = _deconv_length(w if w is not None else dyn[w_axis], kw, sw, self.padding)
        out_shape = [batch, out_h, out_w, self.filters] if nhwc else [batch, self.filters, out_h, out_w]
        outputs = nn_ops.conv2d_transpose(inputs, self.kernel, array_ops.stack(out_shape),
                                          strides=self._strides4(), padding=self.padding,
                                          data_format=self.data_format)
        static = [inputs.shape[0].value, _deconv_length(h, kh, sh, self.padding),
                  _deconv_length(w, kw, sw, self.padding), self.filters]
        outputs.set_shape(static if nhwc else [static[0], static[3], static[1], static[2]])
        if self.use_bias:
            outputs = nn_ops.bias_add(outputs, self.bias, data_format=self.data_format)
        if self.activation is not None:
            return self.activation(outputs)
        return outputs


def conv2d_transpose(inputs, filters, kernel_size, strides=(1, 1), padding="valid", data_format="channels_last",
                     activation=None, use_bias=True, kernel_initializer=None,
                     bias_initializer=init_ops.zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
                     activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True,
                     name=None, reuse=None):
    """tf.layers.conv2d_transpose: kernel `<name>/kernel` [kh, kw, filters, in_channels]."""
    layer = Conv2DTranspose(filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                            activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
                            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                            bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
                            kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                            trainable=trainable, name=name, _scope=name, _reuse=reuse)
    return layer.apply(inputs)
