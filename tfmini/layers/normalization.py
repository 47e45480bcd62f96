"""tf.layers.batch_normalization: gamma/beta/moving statistics under `batch_normalization/`, moving
averages updated by ops in GraphKeys.UPDATE_OPS (`batch_normalization/AssignMovingAvg`)."""
from .. import init_ops
from ..framework import dtypes
from ..framework.ops import convert_to_tensor, name_scope
from ..framework.tensor_shape import TensorShape
from ..ops import array_ops, control_flow_ops, math_ops, nn_impl, state_ops
from ..ops.constant_op import constant_value
from .base import Layer

__all__ = ["BatchNormalization", "batch_normalization"]


def _bool_value(training):
    """True/False when `training` is known at graph-build time, None for a bool tensor."""
    if isinstance(training, bool):
        return training
    v = constant_value(convert_to_tensor(training))
    return None if v is None else bool(v)


class BatchNormalization(Layer):
    """Normalize with the batch statistics when training and with their moving averages otherwise.

    The moving averages move by `1 - momentum` each training run of the update ops (collected in
    GraphKeys.UPDATE_OPS: run them, e.g. through control_dependencies on the train op).
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer=init_ops.zeros_initializer(), gamma_initializer=init_ops.ones_initializer(),
                 moving_mean_initializer=init_ops.zeros_initializer(),
                 moving_variance_initializer=init_ops.ones_initializer(), beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, renorm=False,
                 renorm_clipping=None, renorm_momentum=0.99, fused=None, trainable=True, virtual_batch_size=None,
                 adjustment=None, name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        if renorm or virtual_batch_size is not None or adjustment is not None:
            raise NotImplementedError("batch renormalization, virtual batches and adjustment are not supported "
                                      "by tfmini")
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else axis
        self.momentum, self.epsilon = momentum, epsilon
        self.center, self.scale = center, scale
        self.beta_initializer, self.gamma_initializer = beta_initializer, gamma_initializer
        self.moving_mean_initializer = moving_mean_initializer
        self.moving_variance_initializer = moving_variance_initializer
        self.beta_regularizer, self.gamma_regularizer = beta_regularizer, gamma_regularizer
        self.beta_constraint, self.gamma_constraint = beta_constraint, gamma_constraint
        self.fused = fused

    def build(self, input_shape):
        input_shape = TensorShape(input_shape)
        ndims = input_shape.ndims
        if ndims is None:
            raise ValueError("Input has undefined rank:", input_shape)
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        axes = [a % ndims for a in axes]
        for a in axes:
            if not 0 <= a < ndims:
                raise ValueError("Invalid axis: %d" % a)
        self._axes = axes
        if self.fused is None or self.fused:  # TF 1.x: fused=True quietly falls back where it cannot be used
            self.fused = ndims == 4 and axes in ([3], [1])
        dims = [input_shape[a].value for a in axes]
        if any(d is None for d in dims):
            raise ValueError("Input has undefined `axis` dimension. Input shape: ", input_shape)
        param_shape = dims if len(dims) > 1 else dims
        pdt = dtypes.float32 if self.dtype in ("float16", dtypes.float16) else self.dtype
        self.gamma = self.add_weight("gamma", shape=param_shape, dtype=pdt, initializer=self.gamma_initializer,
                                     regularizer=self.gamma_regularizer, constraint=self.gamma_constraint) \
            if self.scale else None
        self.beta = self.add_weight("beta", shape=param_shape, dtype=pdt, initializer=self.beta_initializer,
                                    regularizer=self.beta_regularizer, constraint=self.beta_constraint) \
            if self.center else None
        self.moving_mean = self.add_weight("moving_mean", shape=param_shape, dtype=pdt,
                                           initializer=self.moving_mean_initializer, trainable=False)
        self.moving_variance = self.add_weight("moving_variance", shape=param_shape, dtype=pdt,
                                               initializer=self.moving_variance_initializer, trainable=False)

    def _assign_moving_average(self, variable, value, momentum):
        with name_scope(None, "AssignMovingAvg", [variable, value, momentum]) as scope:
            # a momentum tensor (the fused layer's cond) makes `1 - momentum` an op (sub), as in TF
            decay = convert_to_tensor(1.0 - momentum, name="decay")
            if decay.dtype.base_dtype != variable.dtype.base_dtype:
                decay = math_ops.cast(decay, variable.dtype.base_dtype)
            update_delta = (variable - math_ops.cast(value, variable.dtype.base_dtype)) * decay
            return state_ops.assign_sub(variable, update_delta, name=scope)

    def _fused_batch_norm(self, inputs, training, training_value):
        """FusedBatchNorm's own output (so its gradient rule applies); the moving variance moves toward
        the batch variance with Bessel's correction (n / (n - 1)), as TF's fused layer does."""
        data_format = "NHWC" if self._axes == [3] else "NCHW"
        param_shape = self.moving_mean.shape.as_list()
        gamma = self.gamma if self.gamma is not None else array_ops.constant(1.0, shape=param_shape)
        beta = self.beta if self.beta is not None else array_ops.constant(0.0, shape=param_shape)

        def _inference():
            return nn_impl.fused_batch_norm(inputs, gamma, beta, mean=self.moving_mean,
                                            variance=self.moving_variance, epsilon=self.epsilon,
                                            is_training=False, data_format=data_format)

        def _training():
            return nn_impl.fused_batch_norm(inputs, gamma, beta, epsilon=self.epsilon, data_format=data_format)

        if training_value is False:
            return _inference()[0]
        # a bool tensor decides at run time (TF's graph: a cond for the outputs, one for the momentum, which is
        # 1 when not training, so that the always-run updates then leave the averages where they are)
        outputs, mean, variance = control_flow_ops.smart_cond(training, _training, _inference)
        momentum = control_flow_ops.smart_cond(training, lambda: self.momentum, lambda: 1.0)
        self.add_update(self._assign_moving_average(self.moving_mean, mean, momentum))
        self.add_update(self._assign_moving_average(self.moving_variance, variance, momentum))
        return outputs

    def call(self, inputs, training=False):
        inputs = convert_to_tensor(inputs)
        ndims = inputs.shape.ndims
        training_value = _bool_value(training)
        if not isinstance(training, bool) and training_value is None:
            training = convert_to_tensor(training)
        reduction_axes = [i for i in range(ndims) if i not in self._axes]
        broadcast_shape = [1] * ndims
        for a in self._axes:
            broadcast_shape[a] = inputs.shape[a].value

        def _broadcast(v):
            if v is not None and len(self._axes) == 1 and reduction_axes != list(range(ndims - 1)):
                return array_ops.reshape(v, broadcast_shape)
            return v

        if self.fused:
            outputs = self._fused_batch_norm(inputs, training, training_value)
            outputs.set_shape(inputs.shape)
            return outputs
        if training_value is False:
            mean, variance = self.moving_mean.value(), self.moving_variance.value()
        else:
            batch_mean, batch_variance = nn_impl.moments(inputs, reduction_axes, keep_dims=len(self._axes) > 1)
            # with a bool tensor, TF's graph: conds pick the statistics, and conds run the updates only in training
            mean = control_flow_ops.smart_cond(training, lambda: batch_mean, lambda: self.moving_mean.value())
            variance = control_flow_ops.smart_cond(training, lambda: batch_variance,
                                                   lambda: self.moving_variance.value())
            for var, value in ((self.moving_mean, mean), (self.moving_variance, variance)):
                self.add_update(control_flow_ops.smart_cond(
                    training, lambda var=var, value=value: self._assign_moving_average(var, value, self.momentum),
                    lambda var=var: var))
        outputs = nn_impl.batch_normalization(inputs, _broadcast(mean), _broadcast(variance),
                                              _broadcast(self.beta), _broadcast(self.gamma), self.epsilon)
        outputs.set_shape(inputs.shape)
        return outputs


def batch_normalization(inputs, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                        beta_initializer=init_ops.zeros_initializer(), gamma_initializer=init_ops.ones_initializer(),
                        moving_mean_initializer=init_ops.zeros_initializer(),
                        moving_variance_initializer=init_ops.ones_initializer(), beta_regularizer=None,
                        gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, training=False,
                        trainable=True, name=None, reuse=None, renorm=False, renorm_clipping=None,
                        renorm_momentum=0.99, fused=None, virtual_batch_size=None, adjustment=None):
    """tf.layers.batch_normalization(x, training=is_training): run GraphKeys.UPDATE_OPS to move the averages.

    >>> out = tf.layers.batch_normalization(x, training=is_training)
    >>> with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
    ...     train_op = optimizer.minimize(loss)
    """
    layer = BatchNormalization(axis=axis, momentum=momentum, epsilon=epsilon, center=center, scale=scale,
                               beta_initializer=beta_initializer, gamma_initializer=gamma_initializer,
                               moving_mean_initializer=moving_mean_initializer,
                               moving_variance_initializer=moving_variance_initializer,
                               beta_regularizer=beta_regularizer, gamma_regularizer=gamma_regularizer,
                               beta_constraint=beta_constraint, gamma_constraint=gamma_constraint, renorm=renorm,
                               renorm_clipping=renorm_clipping, renorm_momentum=renorm_momentum, fused=fused,
                               trainable=trainable, virtual_batch_size=virtual_batch_size, adjustment=adjustment,
                               name=name, _scope=name, _reuse=reuse)
    return layer.apply(inputs, training=training)
