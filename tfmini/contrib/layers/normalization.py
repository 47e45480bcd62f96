"""tf.contrib.layers.batch_norm (slim.batch_norm): TF-Slim's batch normalization with moving averages."""
from ... import init_ops
from ...framework.ops import GraphKeys, add_to_collections, control_dependencies, convert_to_tensor, name_scope
from ...ops import array_ops, math_ops, nn_impl, state_ops
from ...ops.control_flow_ops import smart_cond
from ...variable_scope import get_variable, variable_scope
from ..framework.arg_scope import add_arg_scope
from ..framework.variables import model_variable
from .utils import collect_named_outputs, constant_value, get_variable_collections

__all__ = ["batch_norm"]

DATA_FORMAT_NCHW = "NCHW"
DATA_FORMAT_NHWC = "NHWC"


# =========================================================================== moving averages
def _zero_debias(unbiased_var, value, decay):
    """The update of `unbiased_var` that undoes the pull toward the zero start (TF's _zero_debias):
    a biased average and a step count live beside it (`.../biased`, `.../local_step`)."""
    with variable_scope(unbiased_var.op.name, values=[unbiased_var, value, decay]) as scope:
        biased_var = get_variable("biased", shape=unbiased_var.get_shape(), dtype=unbiased_var.dtype.base_dtype,
                                  initializer=init_ops.zeros_initializer(), trainable=False)
        local_step = get_variable("local_step", shape=[], dtype=unbiased_var.dtype.base_dtype,
                                  initializer=init_ops.zeros_initializer(), trainable=False)
        update_biased = state_ops.assign_sub(biased_var, (biased_var - value) * decay, name=scope.name)
        update_local_step = local_step.assign_add(1)
        with control_dependencies([update_biased, update_local_step]):
            # 1 - decay is what this function gets as `decay`, so (1 - decay) ** step is the bias left
            return unbiased_var - biased_var.read_value() / (1 - math_ops.pow(1.0 - decay, local_step.read_value()))


def _assign_moving_average(variable, value, decay, zero_debias=False):
    """variable -= (variable - value) * (1 - decay), an AssignSub named 'AssignMovingAvg'. A `decay` tensor (the
    momentum a cond picks, in the tf.layers path) makes `1 - decay` an op, as in TF."""
    with name_scope(None, "AssignMovingAvg", [variable, value, decay]) as scope:
        decay = convert_to_tensor(1.0 - decay, name="decay")
        if decay.dtype.base_dtype != variable.dtype.base_dtype:
            decay = math_ops.cast(decay, variable.dtype.base_dtype)
        value = convert_to_tensor(value)
        if value.dtype.base_dtype != variable.dtype.base_dtype:
            value = math_ops.cast(value, variable.dtype.base_dtype)
        if zero_debias:
            update_delta = _zero_debias(variable, value, decay)
        else:
            update_delta = (variable - value) * decay
        return state_ops.assign_sub(variable, update_delta, name=scope)


# =========================================================================== variables
def _params(params_shape, dtype, center, scale, param_initializers, param_regularizers, variables_collections,
            trainable, gamma_first):
    """beta (or a constant 0), gamma (or a constant 1), moving_mean, moving_variance, as model variables."""
    param_initializers = param_initializers or {}
    param_regularizers = param_regularizers or {}

    def make(name, default_init, trainable_, regularizer=None):
        return model_variable(name, shape=params_shape, dtype=dtype,
                              initializer=param_initializers.get(name, default_init), regularizer=regularizer,
                              collections=get_variable_collections(variables_collections, name),
                              trainable=trainable_)

    def make_beta():
        return make("beta", init_ops.zeros_initializer(), trainable and center, param_regularizers.get("beta")) \
            if center else None

    def make_gamma():
        return make("gamma", init_ops.ones_initializer(), trainable, param_regularizers.get("gamma")) \
            if scale else None

    if gamma_first:  # the tf.layers class builds gamma before beta
        gamma = make_gamma()
        beta = make_beta()
    else:
        beta = make_beta()
        gamma = make_gamma()
    moving_mean = make("moving_mean", init_ops.zeros_initializer(), False)
    moving_variance = make("moving_variance", init_ops.ones_initializer(), False)
    return beta, gamma, moving_mean, moving_variance


def _is_training(is_training):
    """A Python bool when known now (a bool or a constant), else the bool tensor that decides at run time (for
    smart_cond)."""
    value = constant_value(is_training)
    if value is not None:
        return bool(value)
    return convert_to_tensor(is_training)


# =========================================================================== batch_norm
@add_arg_scope
def batch_norm(inputs, decay=0.999, center=True, scale=False, epsilon=0.001, activation_fn=None,
               param_initializers=None, param_regularizers=None, updates_collections=GraphKeys.UPDATE_OPS,
               is_training=True, reuse=None, variables_collections=None, outputs_collections=None, trainable=True,
               batch_weights=None, fused=None, data_format=DATA_FORMAT_NHWC, zero_debias_moving_mean=False,
               scope=None, renorm=False, renorm_clipping=None, renorm_decay=0.99, adjustment=None):
    """Batch normalization (Ioffe and Szegedy, 2015) with moving averages for inference.

    inputs: [batch, ..., C] (NHWC) or [batch, C, ...] (NCHW), normalized over all axes but C.
    Creates under `scope` (default 'BatchNorm', made unique) the variables beta ([C], if center),
    gamma (if scale), moving_mean and moving_variance.

    is_training (a Python bool or a bool tensor): True normalizes with the batch's own statistics
    and updates moving = decay * moving + (1 - decay) * batch; False normalizes with the moving
    averages and updates nothing. The update ops go to `updates_collections` (run them with the
    train op), or, with updates_collections=None, run whenever the output is computed.

    >>> is_training = tf.placeholder(tf.bool)
    >>> bn = tf.contrib.layers.batch_norm(X, is_training=is_training, decay=0.9, updates_collections=None)
    >>> sess.run(bn, feed_dict={X: x, is_training: True})   # batch statistics; the averages move
    """
    if fused is None:
        fused = True
    inputs = convert_to_tensor(inputs)
    rank = inputs.get_shape().ndims
    possible_to_fuse = batch_weights is None and not renorm and rank in (2, 4) and adjustment is None
    if fused and possible_to_fuse and (zero_debias_moving_mean or rank == 2
                                       or updates_collections is not GraphKeys.UPDATE_OPS):
        return _fused_batch_norm(inputs, decay=decay, center=center, scale=scale, epsilon=epsilon,
                                 activation_fn=activation_fn, param_initializers=param_initializers,
                                 updates_collections=updates_collections, is_training=is_training, reuse=reuse,
                                 variables_collections=variables_collections,
                                 outputs_collections=outputs_collections, trainable=trainable,
                                 data_format=data_format, zero_debias_moving_mean=zero_debias_moving_mean,
                                 scope=scope)
    if data_format not in (DATA_FORMAT_NCHW, DATA_FORMAT_NHWC):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    layer_path = (batch_weights is None and updates_collections is GraphKeys.UPDATE_OPS
                  and not zero_debias_moving_mean)
    if renorm or adjustment is not None:
        if not layer_path:
            raise ValueError("renorm is not supported with batch_weights, updates_collections or "
                             "zero_debias_moving_mean")
        raise NotImplementedError("batch renormalization and adjustment are not supported by tfmini")
    with variable_scope(scope, "BatchNorm", [inputs], reuse=reuse) as sc:
        inputs_shape = inputs.get_shape()
        if rank is None:
            raise ValueError("Inputs %s has undefined rank." % inputs.name)
        dtype = inputs.dtype.base_dtype
        channel_axis = 1 if data_format == DATA_FORMAT_NCHW else rank - 1
        params_shape = inputs_shape[channel_axis:channel_axis + 1]
        if not params_shape.is_fully_defined():
            raise ValueError("Inputs %s has undefined channels dimension %s." % (inputs.name, params_shape))
        # the tf.layers class (what TF uses here without batch weights and with the default
        # collection) builds gamma first, takes regularizers, and is fused for 4-D inputs
        beta, gamma, moving_mean, moving_variance = _params(
            params_shape, dtype, center, scale, param_initializers,
            param_regularizers if layer_path else None, variables_collections, trainable, gamma_first=layer_path)
        is_training = _is_training(is_training)
        if layer_path and fused and rank == 4:
            outputs = _fused_core(inputs, beta, gamma, moving_mean, moving_variance, epsilon, data_format, decay,
                                  is_training, updates_collections, False, layer=True)
        else:
            outputs = _moments_core(inputs, beta, gamma, moving_mean, moving_variance, epsilon, channel_axis,
                                    decay, is_training, updates_collections, batch_weights,
                                    zero_debias_moving_mean, layer=layer_path)
        outputs.set_shape(inputs_shape)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


def _fused_batch_norm(inputs, decay, center, scale, epsilon, activation_fn, param_initializers,
                      updates_collections, is_training, reuse, variables_collections, outputs_collections,
                      trainable, data_format, zero_debias_moving_mean, scope):
    """contrib's fused path: 2-D inputs are viewed as [N, 1, 1, C] (or [N, C, 1, 1]) images."""
    if data_format not in (DATA_FORMAT_NCHW, DATA_FORMAT_NHWC):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with variable_scope(scope, "BatchNorm", [inputs], reuse=reuse) as sc:
        original_shape = inputs.get_shape()
        original_inputs = inputs
        original_rank = original_shape.ndims
        if original_rank is None:
            raise ValueError("Inputs %s has undefined rank" % inputs.name)
        if original_rank not in (2, 4):
            raise ValueError("Inputs %s has unsupported rank. Expected 2 or 4 but got %d"
                             % (inputs.name, original_rank))
        if original_rank == 2:
            channels = original_shape.as_tuple()[-1]
            if channels is None:
                raise ValueError("`C` dimension must be known but is None")
            new_shape = [-1, channels, 1, 1] if data_format == DATA_FORMAT_NCHW else [-1, 1, 1, channels]
            inputs = array_ops.reshape(inputs, new_shape)
        inputs_shape = inputs.get_shape()
        dtype = inputs.dtype.base_dtype
        params_shape = inputs_shape[-1:] if data_format == DATA_FORMAT_NHWC else inputs_shape[1:2]
        if not params_shape.is_fully_defined():
            raise ValueError("Inputs %s has undefined `C` dimension %s." % (inputs.name, params_shape))
        beta, gamma, moving_mean, moving_variance = _params(
            params_shape, dtype, center, scale, param_initializers, None, variables_collections, trainable,
            gamma_first=False)
        outputs = _fused_core(inputs, beta, gamma, moving_mean, moving_variance, epsilon, data_format, decay,
                              _is_training(is_training), updates_collections, zero_debias_moving_mean, layer=False,
                              params_shape=params_shape)
        outputs.set_shape(inputs_shape)
        if original_rank == 2:
            outputs = array_ops.reshape(outputs, array_ops.shape(original_inputs))
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


def _update_fns(moving_mean, moving_variance, mean, variance, decay, zero_debias):
    def updates():
        return (_assign_moving_average(moving_mean, mean, decay, zero_debias=zero_debias),
                _assign_moving_average(moving_variance, variance, decay, zero_debias=False))
    return updates, lambda: (moving_mean, moving_variance)


def _fused_core(inputs, beta, gamma, moving_mean, moving_variance, epsilon, data_format, decay, is_training,
                updates_collections, zero_debias, layer, params_shape=None):
    """FusedBatchNorm with the batch statistics (training) or the moving ones, as TF builds it: for a bool tensor
    `is_training`, a cond picks which. The moving variance moves toward the batch variance with Bessel's correction,
    as TF's fused kernel reports it. `layer`: the tf.layers class's way (TF's slim uses it with the default
    collection): a cond picks the momentum, 1 when not training, and the updates always run; else contrib's own:
    the updates sit in a cond (or, with updates_collections=None, run with the output, in a cond)."""
    shape = params_shape if params_shape is not None else moving_mean.get_shape()
    if beta is None:
        beta = array_ops.constant(0.0, shape=shape.as_list())
    if gamma is None:
        gamma = array_ops.constant(1.0, shape=shape.as_list())

    def _training():
        return nn_impl.fused_batch_norm(inputs, gamma, beta, epsilon=epsilon, data_format=data_format)

    def _inference():
        return nn_impl.fused_batch_norm(inputs, gamma, beta, mean=moving_mean, variance=moving_variance,
                                        epsilon=epsilon, is_training=False, data_format=data_format)

    if is_training is False:
        return _inference()[0]
    outputs, mean, variance = smart_cond(is_training, _training, _inference)
    if layer:
        momentum = smart_cond(is_training, lambda: decay, lambda: 1.0)
        add_to_collections(updates_collections, _assign_moving_average(moving_mean, mean, momentum).op)
        add_to_collections(updates_collections, _assign_moving_average(moving_variance, variance, momentum).op)
        return outputs
    updates, moving_vars = _update_fns(moving_mean, moving_variance, mean, variance, decay, zero_debias)
    if updates_collections is None:
        def _force_updates():
            with control_dependencies(updates()):
                return array_ops.identity(outputs)
        return smart_cond(is_training, _force_updates, lambda: outputs)
    update_mean, update_variance = smart_cond(is_training, updates, moving_vars)
    add_to_collections(updates_collections, update_mean)
    add_to_collections(updates_collections, update_variance)
    return outputs


def _moments_core(inputs, beta, gamma, moving_mean, moving_variance, epsilon, channel_axis, decay, is_training,
                  updates_collections, batch_weights, zero_debias, layer):
    """nn.moments (or weighted_moments) and nn.batch_normalization; the moving variance moves toward the biased
    batch variance. For a bool tensor `is_training`, conds pick the statistics and run the updates, as TF builds
    them: the tf.layers class's way when `layer` (updates in UPDATE_OPS, each the Merge of a cond that assigns only
    in training), else contrib's own."""
    rank = inputs.get_shape().ndims
    moments_axes = [i for i in range(rank) if i != channel_axis]
    channel_last = channel_axis == rank - 1
    broadcast_shape = None if channel_last else \
        [1] * channel_axis + [moving_mean.get_shape().as_list()[0]] + [1] * (rank - channel_axis - 1)
    if is_training is False:
        mean, variance = moving_mean.value(), moving_variance.value()
    else:
        if batch_weights is not None:
            batch_weights = convert_to_tensor(batch_weights)
            inputs.get_shape()[0:1].assert_is_compatible_with(batch_weights.get_shape())
            batch_weights = array_ops.reshape(batch_weights, [-1] + [1] * (rank - 1))
            mean, variance = nn_impl.weighted_moments(inputs, moments_axes, batch_weights,
                                                      keep_dims=not channel_last)
        else:
            mean, variance = nn_impl.moments(inputs, moments_axes, keep_dims=not channel_last)
        if not channel_last:
            mean = array_ops.reshape(mean, [-1])
            variance = array_ops.reshape(variance, [-1])
        if layer:
            batch_mean, batch_variance = mean, variance
            mean = smart_cond(is_training, lambda: batch_mean, lambda: moving_mean.value())
            variance = smart_cond(is_training, lambda: batch_variance, lambda: moving_variance.value())
            for var, value in ((moving_mean, mean), (moving_variance, variance)):
                update = smart_cond(is_training, lambda var=var, value=value: _assign_moving_average(
                    var, value, decay), lambda var=var: var)
                add_to_collections(updates_collections, update.op)
        else:
            updates, moving_vars = _update_fns(moving_mean, moving_variance, mean, variance, decay, zero_debias)
            if updates_collections is None:
                def _force_updates():
                    with control_dependencies(updates()):
                        return array_ops.identity(mean), array_ops.identity(variance)
                mean, variance = smart_cond(is_training, _force_updates, moving_vars)
            else:
                update_mean, update_variance = smart_cond(is_training, updates, moving_vars)
                add_to_collections(updates_collections, update_mean)
                add_to_collections(updates_collections, update_variance)
                batch = (mean, variance)
                mean, variance = smart_cond(is_training, lambda: batch, moving_vars)
    if broadcast_shape is not None:
        mean = array_ops.reshape(mean, broadcast_shape)
        variance = array_ops.reshape(variance, broadcast_shape)
        beta = array_ops.reshape(beta, broadcast_shape) if beta is not None else None
        gamma = array_ops.reshape(gamma, broadcast_shape) if gamma is not None else None
    return nn_impl.batch_normalization(inputs, mean, variance, beta, gamma, epsilon)
