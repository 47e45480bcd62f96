"""tf.layers core layers: dense, dropout, flatten (TF 1.x names: `dense/kernel:0`, `dense/BiasAdd:0`)."""
from .. import init_ops
from ..framework.ops import convert_to_tensor
from ..framework.tensor_shape import TensorShape
from ..ops import array_ops, control_flow_ops, math_ops, nn_ops
from .base import InputSpec, Layer, get_activation

__all__ = ["Dense", "dense", "Dropout", "dropout", "Flatten", "flatten"]


class Dense(Layer):
    """outputs = activation(inputs @ kernel + bias)."""

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer=None,
                 bias_initializer=init_ops.zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True,
                 name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        self.units = int(units)
        self.activation = get_activation(activation)
        self.use_bias = use_bias
        self.kernel_initializer, self.bias_initializer = kernel_initializer, bias_initializer
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer
        self.activity_regularizer = activity_regularizer
        self.kernel_constraint, self.bias_constraint = kernel_constraint, bias_constraint
        self.input_spec = InputSpec(min_ndim=2)

    def build(self, input_shape):
        input_shape = TensorShape(input_shape)
        if input_shape.ndims is None or input_shape[-1].value is None:
            raise ValueError("The last dimension of the inputs to `Dense` should be defined. Found `None`.")
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_shape[-1].value})
        self.kernel = self.add_weight("kernel", shape=[input_shape[-1].value, self.units],
                                      initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = self.add_weight("bias", shape=[self.units], initializer=self.bias_initializer,
                                    regularizer=self.bias_regularizer, constraint=self.bias_constraint) \
            if self.use_bias else None

    def call(self, inputs):
        inputs = convert_to_tensor(inputs)
        rank = inputs.shape.ndims
        if rank is not None and rank > 2:
            # a dense layer on [batch, ..., features]: the kernel applies to the last axis
            flat = array_ops.reshape(inputs, [-1, self.kernel.shape[0].value])
            outputs = math_ops.matmul(flat, self.kernel)
            out_shape = array_ops.concat([array_ops.shape(inputs)[:-1], [self.units]], 0)
            outputs = array_ops.reshape(outputs, out_shape)
            outputs.set_shape(inputs.shape[:-1].concatenate([self.units]))
        else:
            outputs = math_ops.matmul(inputs, self.kernel)
        if self.use_bias:
            outputs = nn_ops.bias_add(outputs, self.bias)
        if self.activation is not None:
            return self.activation(outputs)
        return outputs


def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
          bias_initializer=init_ops.zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
          activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
          reuse=None):
    """A fully connected layer: variables `<name>/kernel`, `<name>/bias` (name defaults to dense, dense_1...)."""
    layer = Dense(units, activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
                  bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                  bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
                  kernel_constraint=kernel_constraint, bias_constraint=bias_constraint, trainable=trainable,
                  name=name, _scope=name, _reuse=reuse)
    return layer.apply(inputs)


class Dropout(Layer):
    """Zero a `rate` fraction of the inputs and scale the rest by 1 / (1 - rate) — only when training."""

    def __init__(self, rate=0.5, noise_shape=None, seed=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.rate, self.noise_shape, self.seed = rate, noise_shape, seed

    def call(self, inputs, training=False):
        # as TF: a Python bool (or a constant) picks now; a bool tensor (a placeholder) builds a tf.cond, so the
        # random mask is drawn only in runs that train (dropout/cond/Merge:0)
        return control_flow_ops.smart_cond(
            training,
            lambda: nn_ops.dropout(inputs, rate=self.rate, noise_shape=self.noise_shape, seed=self.seed),
            lambda: array_ops.identity(inputs))


def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None):
    """tf.layers.dropout: `training` is a Python bool or a bool tensor (e.g. a placeholder)."""
    return Dropout(rate, noise_shape=noise_shape, seed=seed, name=name).apply(inputs, training=training)


class Flatten(Layer):
    """[batch, d1, d2, ...] -> [batch, d1 * d2 * ...]."""

    def __init__(self, data_format="channels_last", name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.data_format = data_format

    def call(self, inputs):
        inputs = convert_to_tensor(inputs)
        shape = inputs.shape
        if self.data_format == "channels_first" and shape.ndims is not None and shape.ndims > 2:
            inputs = array_ops.transpose(inputs, [0] + list(range(2, shape.ndims)) + [1])
            shape = inputs.shape
        rest = shape[1:].num_elements() if shape.ndims is not None else None
        batch = shape[0].value if shape.ndims else None
        outputs = array_ops.reshape(inputs, [batch if batch is not None else array_ops.shape(inputs)[0], -1])
        outputs.set_shape([batch, rest])
        return outputs


def flatten(inputs, name=None, data_format="channels_last"):
    return Flatten(data_format=data_format, name=name).apply(inputs)
