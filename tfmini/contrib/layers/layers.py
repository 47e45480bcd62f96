"""TF-Slim's layers (tf.contrib.layers in TF 1.x; slim re-exports them): conv2d, fully_connected, pooling,
dropout, flatten, repeat, stack, ... with TF-Slim's signatures, defaults and names.

Each layer opens a variable scope (`scope`, or a default such as 'Conv' made unique: 'Conv_1'),
creates its variables with `model_variable` ('conv1/weights:0', 'conv1/biases:0', also in
GraphKeys.MODEL_VARIABLES), builds its ops from tf.nn, and adds its output to
`outputs_collections` under the scope's name (how nets such as vgg_16 gather their end points).
All layers are `@add_arg_scope`, so `slim.arg_scope` can set their defaults.

    net = slim.conv2d(images, 64, [3, 3], scope="conv1")   # relu(conv + biases), SAME, stride 1
    net = slim.max_pool2d(net, [2, 2], scope="pool1")      # VALID, stride 2
    net = slim.fully_connected(slim.flatten(net), 10, activation_fn=None, scope="logits")
"""
import functools
import numbers

import numpy as np

from ... import init_ops
from ...framework import dtypes
from ...framework.ops import add_to_collection, convert_to_tensor, get_collection, name_scope
from ...layers import core as core_layers
from ...ops import array_ops, math_ops, nn_ops
from ...variable_scope import variable_scope
from ..framework import variables
from ..framework.arg_scope import add_arg_scope
from . import initializers, utils

__all__ = ["avg_pool2d", "bias_add", "conv2d", "conv2d_in_plane", "conv2d_transpose", "convolution",
           "convolution2d", "convolution2d_in_plane", "convolution2d_transpose", "dropout", "elu", "flatten",
           "fully_connected", "layer_norm", "linear", "max_pool2d", "one_hot_encoding", "relu", "relu6", "repeat",
           "separable_conv2d", "separable_convolution2d", "softmax", "stack", "unit_norm"]

DATA_FORMAT_NCHW = "NCHW"
DATA_FORMAT_NHWC = "NHWC"


# =========================================================================== argument checks (Keras' wording)
def _normalize_tuple(value, n, name):
    """3 -> (3, 3); [3, 5] -> (3, 5), with the message TF's layers give for anything else."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return (int(value),) * n
    try:
        values = tuple(value)
    except TypeError:
        raise ValueError("The `%s` argument must be a tuple of %d integers. Received: %s" % (name, n, value)) from None
    if len(values) != n:
        raise ValueError("The `%s` argument must be a tuple of %d integers. Received: %s" % (name, n, value))
    for v in values:
        if not isinstance(v, (numbers.Integral, np.integer)) or isinstance(v, bool):
            raise ValueError("The `%s` argument must be a tuple of %d integers. Received: %s including element %s "
                             "of type %s" % (name, n, value, v, type(v)))
    return tuple(int(v) for v in values)


def _normalize_padding(padding):
    p = padding.lower() if isinstance(padding, str) else padding
    if p not in ("valid", "same"):
        raise ValueError('The `padding` argument must be one of "valid", "same" (or "causal", only for `Conv1D). '
                         "Received: %s" % (padding,))
    return p.upper()


def _check_min_ndim(inputs, min_ndim, layer_name):
    ndim = inputs.shape.ndims
    if ndim is not None and ndim < min_ndim:
        raise ValueError("Input 0 of layer %s is incompatible with the layer: expected min_ndim=%d, found ndim=%d. "
                         "Full shape received: %s" % (layer_name, min_ndim, ndim, inputs.shape.as_list()))


def _check_ndim(inputs, ndim, layer_name):
    found = inputs.shape.ndims
    if found is not None and found != ndim:
        raise ValueError("Input 0 of layer %s is incompatible with the layer: expected ndim=%d, found ndim=%d. "
                         "Full shape received: %s" % (layer_name, ndim, found, inputs.shape.as_list()))


def _channels_first(data_format):
    return bool(data_format) and data_format.startswith("NC")


# =========================================================================== variables of a layer
def _layer_regularizer(regularizer, sc, keras_name):
    """TF 1.x builds a layer's regularization loss in '<layer scope>/<kernel|bias>/Regularizer/'
    (the core layer's names for weights and biases): the same here."""
    if regularizer is None:
        return None
    reg_scope = sc.original_name_scope + keras_name + "/Regularizer/"

    def regularize(var):
        with name_scope(reg_scope):
            return regularizer(var)
    return regularize


def _layer_variable(sc, name, keras_name, shape, dtype, initializer, regularizer, trainable):
    return variables.model_variable(name, shape=shape, dtype=dtype, initializer=initializer,
                                    regularizer=_layer_regularizer(regularizer, sc, keras_name),
                                    trainable=trainable)


def _add_variable_to_collections(variable, collections_set, collections_name):
    """Add `variable` to the collections `variables_collections` names for it (once each)."""
    collections = utils.get_variable_collections(collections_set, collections_name) or []
    for collection in collections:
        if variable not in get_collection(collection):
            add_to_collection(collection, variable)


def _use_bias(normalizer_fn, biases_initializer):
    return not normalizer_fn and biases_initializer is not None


def _apply_normalizer_and_activation(outputs, normalizer_fn, normalizer_params, activation_fn):
    if normalizer_fn is not None:
        outputs = normalizer_fn(outputs, **(normalizer_params or {}))
    if activation_fn is not None:
        outputs = activation_fn(outputs)
    return outputs


# =========================================================================== convolution
@add_arg_scope
def convolution(inputs, num_outputs, kernel_size, stride=1, padding="SAME", data_format=None, rate=1,
                activation_fn=nn_ops.relu, normalizer_fn=None, normalizer_params=None,
                weights_initializer=initializers.xavier_initializer(), weights_regularizer=None,
                biases_initializer=init_ops.zeros_initializer(), biases_regularizer=None, reuse=None,
                variables_collections=None, outputs_collections=None, trainable=True, scope=None, conv_dims=None):
    """A 2-D convolution, then biases (or `normalizer_fn`), then `activation_fn` (relu by default).

    inputs [batch, h, w, in] (NHWC; 'NCHW' with data_format) -> [batch, h', w', num_outputs].
    Variables: `<scope>/weights` [kh, kw, in, num_outputs] (xavier) and `<scope>/biases`
    [num_outputs] (zeros; none when a `normalizer_fn` is given or `biases_initializer` is None).
    `scope` defaults to 'Conv' ('Conv_1', ... when used again); `rate` > 1 is an atrous convolution.

    >>> net = slim.conv2d(tf.placeholder(tf.float32, [None, 28, 28, 1]), 16, [3, 3], scope="conv1")
    >>> net.name, net.get_shape().as_list()
    ('conv1/Relu:0', [None, 28, 28, 16])
    """
    if data_format not in [None, "NWC", "NCW", "NHWC", "NCHW", "NDHWC", "NCDHW"]:
        raise ValueError("Invalid data_format: %r" % (data_format,))
    with variable_scope(scope, "Conv", [inputs], reuse=reuse) as sc:
        inputs = convert_to_tensor(inputs)
        input_rank = inputs.get_shape().ndims
        if conv_dims is not None and conv_dims + 2 != input_rank:
            raise ValueError("Convolution expects input with rank %d, got %d" % (conv_dims + 2, input_rank))
        if input_rank != 4:
            raise ValueError("Convolution not supported for input with rank %s (tfmini has 2-D convolutions: "
                             "inputs of rank 4)" % (input_rank,))
        channels_first = _channels_first(data_format)
        kh, kw = _normalize_tuple(kernel_size, 2, "kernel_size")
        sh, sw = _normalize_tuple(stride, 2, "strides")
        rh, rw = _normalize_tuple(rate, 2, "dilation_rate")
        padding = _normalize_padding(padding)
        in_channels = inputs.shape[1 if channels_first else -1].value
        if in_channels is None:
            raise ValueError("The channel dimension of the inputs should be defined. Found `None`.")
        dtype = inputs.dtype.base_dtype
        weights = _layer_variable(sc, "weights", "kernel", [kh, kw, in_channels, num_outputs], dtype,
                                  weights_initializer, weights_regularizer, trainable)
        biases = None
        if _use_bias(normalizer_fn, biases_initializer):
            biases = _layer_variable(sc, "biases", "bias", [num_outputs], dtype, biases_initializer,
                                     biases_regularizer, trainable)
        df = DATA_FORMAT_NCHW if channels_first else DATA_FORMAT_NHWC
        strides = [1, 1, sh, sw] if channels_first else [1, sh, sw, 1]
        dilations = [1, 1, rh, rw] if channels_first else [1, rh, rw, 1]
        with name_scope(sc.original_name_scope):
            if (rh, rw) == (1, 1):
                outputs = nn_ops.conv2d(inputs, weights, strides, padding, data_format=df)
            else:
                outputs = nn_ops.conv2d(inputs, weights, strides, padding, data_format=df, dilations=dilations)
            if biases is not None:
                outputs = nn_ops.bias_add(outputs, biases, data_format=df)
        _add_variable_to_collections(weights, variables_collections, "weights")
        if biases is not None:
            _add_variable_to_collections(biases, variables_collections, "biases")
        outputs = _apply_normalizer_and_activation(outputs, normalizer_fn, normalizer_params, activation_fn)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def convolution2d(inputs, num_outputs, kernel_size, stride=1, padding="SAME", data_format=None, rate=1,
                  activation_fn=nn_ops.relu, normalizer_fn=None, normalizer_params=None,
                  weights_initializer=initializers.xavier_initializer(), weights_regularizer=None,
                  biases_initializer=init_ops.zeros_initializer(), biases_regularizer=None, reuse=None,
                  variables_collections=None, outputs_collections=None, trainable=True, scope=None):
    return convolution(inputs, num_outputs, kernel_size, stride, padding, data_format, rate, activation_fn,
                       normalizer_fn, normalizer_params, weights_initializer, weights_regularizer,
                       biases_initializer, biases_regularizer, reuse, variables_collections, outputs_collections,
                       trainable, scope, conv_dims=2)


convolution2d.__doc__ = convolution.__doc__


def _depthwise_conv2d(inputs, kernel, strides, padding, rate, data_format):
    """tf.nn.depthwise_conv2d; where tfmini has none, the same as one conv2d whose kernel is
    block-diagonal over the input channels (kernel [kh, kw, in, m] -> [kh, kw, in, in * m])."""
    depthwise = getattr(nn_ops, "depthwise_conv2d", None)
    if depthwise is not None:
        return depthwise(inputs, kernel, strides, padding, rate=rate, data_format=data_format)
    kh, kw, in_channels, multiplier = kernel.get_shape().as_list()
    eye = np.eye(in_channels, dtype=kernel.dtype.as_numpy_dtype).reshape(1, 1, in_channels, in_channels, 1)
    full = array_ops.reshape(array_ops.expand_dims(kernel, 3) * eye, [kh, kw, in_channels, in_channels * multiplier])
    rh, rw = rate if rate is not None else (1, 1)
    if (rh, rw) == (1, 1):
        return nn_ops.conv2d(inputs, full, strides, padding, data_format=data_format)
    dilations = [1, 1, rh, rw] if data_format == DATA_FORMAT_NCHW else [1, rh, rw, 1]
    return nn_ops.conv2d(inputs, full, strides, padding, data_format=data_format, dilations=dilations)


@add_arg_scope
def convolution2d_in_plane(inputs, kernel_size, stride=1, padding="SAME", activation_fn=nn_ops.relu,
                           normalizer_fn=None, normalizer_params=None,
                           weights_initializer=initializers.xavier_initializer(), weights_regularizer=None,
                           biases_initializer=init_ops.zeros_initializer(), biases_regularizer=None, reuse=None,
                           variables_collections=None, outputs_collections=None, trainable=True, scope=None):
    """The same [kh, kw] filter applied to each channel separately (e.g. image gradients).

    inputs [batch, h, w, c] -> [batch, h', w', c]; variables `<scope>/weights` [kh, kw, 1, 1] and
    `<scope>/biases` [c]; scope defaults to 'ConvInPlane'.
    """
    with variable_scope(scope, "ConvInPlane", [inputs], reuse=reuse) as sc:
        inputs = convert_to_tensor(inputs)
        dtype = inputs.dtype.base_dtype
        kernel_h, kernel_w = utils.two_element_tuple(kernel_size)
        stride_h, stride_w = utils.two_element_tuple(stride)
        num_filters_in = utils.last_dimension(inputs.get_shape(), min_rank=4)
        weights = variables.model_variable(
            "weights", shape=[kernel_h, kernel_w, 1, 1], dtype=dtype, initializer=weights_initializer,
            regularizer=weights_regularizer, collections=utils.get_variable_collections(variables_collections,
                                                                                     "weights"),
            trainable=trainable)
        depthwise_weights = array_ops.tile(weights, [1, 1, num_filters_in, 1])
        outputs = _depthwise_conv2d(inputs, depthwise_weights, [1, stride_h, stride_w, 1], padding, None,
                                    DATA_FORMAT_NHWC)
        if normalizer_fn is not None:
            outputs = normalizer_fn(outputs, **(normalizer_params or {}))
        elif biases_initializer is not None:
            biases = variables.model_variable(
                "biases", shape=[num_filters_in], dtype=dtype, initializer=biases_initializer,
                regularizer=biases_regularizer, collections=utils.get_variable_collections(variables_collections,
                                                                                        "biases"),
                trainable=trainable)
            outputs = nn_ops.bias_add(outputs, biases)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


def _deconv_length(size, kernel, stride, padding):
    if size is None:
        return None
    if padding == "VALID":
        return size * stride + max(kernel - stride, 0)
    return size * stride


@add_arg_scope
def convolution2d_transpose(inputs, num_outputs, kernel_size, stride=1, padding="SAME", data_format=DATA_FORMAT_NHWC,
                            activation_fn=nn_ops.relu, normalizer_fn=None, normalizer_params=None,
                            weights_initializer=initializers.xavier_initializer(), weights_regularizer=None,
                            biases_initializer=init_ops.zeros_initializer(), biases_regularizer=None, reuse=None,
                            variables_collections=None, outputs_collections=None, trainable=True, scope=None):
    """The transpose of conv2d ("deconvolution"): [batch, h, w, in] -> [batch, h * s, w * s, num_outputs]
    with SAME padding (h * s + max(k - s, 0) with VALID).

    Variables `<scope>/weights` [kh, kw, num_outputs, in] and `<scope>/biases`; scope defaults to
    'Conv2d_transpose'.
    """
    with variable_scope(scope, "Conv2d_transpose", [inputs], reuse=reuse) as sc:
        if data_format not in (DATA_FORMAT_NCHW, DATA_FORMAT_NHWC):
            raise ValueError("data_format has to be either NCHW or NHWC.")
        inputs = convert_to_tensor(inputs)
        _check_ndim(inputs, 4, sc.name)
        channels_first = _channels_first(data_format)
        kh, kw = _normalize_tuple(kernel_size, 2, "kernel_size")
        sh, sw = _normalize_tuple(stride, 2, "strides")
        padding = _normalize_padding(padding)
        c_axis, h_axis, w_axis = (1, 2, 3) if channels_first else (3, 1, 2)
        in_channels = inputs.shape[c_axis].value
        if in_channels is None:
            raise ValueError("The channel dimension of the inputs should be defined. Found `None`.")
        dtype = inputs.dtype.base_dtype
        weights = _layer_variable(sc, "weights", "kernel", [kh, kw, num_outputs, in_channels], dtype,
                                  weights_initializer, weights_regularizer, trainable)
        biases = None
        if _use_bias(normalizer_fn, biases_initializer):
            biases = _layer_variable(sc, "biases", "bias", [num_outputs], dtype, biases_initializer,
                                     biases_regularizer, trainable)
        with name_scope(sc.original_name_scope):
            dyn = array_ops.shape(inputs)
            h, w = inputs.shape[h_axis].value, inputs.shape[w_axis].value
            out_h = _deconv_length(h if h is not None else dyn[h_axis], kh, sh, padding)
            out_w = _deconv_length(w if w is not None else dyn[w_axis], kw, sw, padding)
            out_shape = ([dyn[0], num_outputs, out_h, out_w] if channels_first
                         else [dyn[0], out_h, out_w, num_outputs])
            strides = [1, 1, sh, sw] if channels_first else [1, sh, sw, 1]
            outputs = nn_ops.conv2d_transpose(inputs, weights, array_ops.stack(out_shape), strides,
                                              padding=padding, data_format=data_format)
            static_h, static_w = _deconv_length(h, kh, sh, padding), _deconv_length(w, kw, sw, padding)
            batch = inputs.shape[0].value
            outputs.set_shape([batch, num_outputs, static_h, static_w] if channels_first
                              else [batch, static_h, static_w, num_outputs])
            if biases is not None:
                outputs = nn_ops.bias_add(outputs, biases, data_format=data_format)
        _add_variable_to_collections(weights, variables_collections, "weights")
        if biases is not None:
            _add_variable_to_collections(biases, variables_collections, "biases")
        outputs = _apply_normalizer_and_activation(outputs, normalizer_fn, normalizer_params, activation_fn)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def separable_convolution2d(inputs, num_outputs, kernel_size, depth_multiplier=1, stride=1, padding="SAME",
                            data_format=DATA_FORMAT_NHWC, rate=1, activation_fn=nn_ops.relu, normalizer_fn=None,
                            normalizer_params=None, weights_initializer=initializers.xavier_initializer(),
                            pointwise_initializer=None, weights_regularizer=None,
                            biases_initializer=init_ops.zeros_initializer(), biases_regularizer=None, reuse=None,
                            variables_collections=None, outputs_collections=None, trainable=True, scope=None):
    """A depthwise convolution (each input channel on its own, `depth_multiplier` outputs each), then
    — when `num_outputs` is not None — a 1x1 pointwise convolution mixing the channels.

    Variables `<scope>/depthwise_weights` [kh, kw, in, depth_multiplier], `<scope>/pointwise_weights`
    [1, 1, in * depth_multiplier, num_outputs] and `<scope>/biases`; scope defaults to 'SeparableConv2d'.
    """
    if data_format not in (DATA_FORMAT_NCHW, DATA_FORMAT_NHWC):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with variable_scope(scope, "SeparableConv2d", [inputs], reuse=reuse) as sc:
        inputs = convert_to_tensor(inputs)
        if pointwise_initializer is None:
            pointwise_initializer = weights_initializer
        channels_first = _channels_first(data_format)
        dtype = inputs.dtype.base_dtype
        rh, rw = utils.two_element_tuple(rate)
        if num_outputs is not None:
            _check_ndim(inputs, 4, sc.name)
            kh, kw = _normalize_tuple(kernel_size, 2, "kernel_size")
            sh, sw = _normalize_tuple(stride, 2, "strides")
            padding = _normalize_padding(padding)
            in_channels = inputs.shape[1 if channels_first else -1].value
            if in_channels is None:
                raise ValueError("The channel dimension of the inputs should be defined. Found `None`.")
            depthwise = _layer_variable(sc, "depthwise_weights", "depthwise_kernel",
                                        [kh, kw, in_channels, depth_multiplier], dtype, weights_initializer,
                                        weights_regularizer, trainable)
            pointwise = _layer_variable(sc, "pointwise_weights", "pointwise_kernel",
                                        [1, 1, in_channels * depth_multiplier, num_outputs], dtype,
                                        pointwise_initializer, weights_regularizer, trainable)
            biases = None
            if _use_bias(normalizer_fn, biases_initializer):
                biases = _layer_variable(sc, "biases", "bias", [num_outputs], dtype, biases_initializer,
                                         biases_regularizer, trainable)
            strides = [1, 1, sh, sw] if channels_first else [1, sh, sw, 1]
            with name_scope(sc.original_name_scope):
                separable = getattr(nn_ops, "separable_conv2d", None)
                if separable is not None:
                    outputs = separable(inputs, depthwise, pointwise, strides, padding, rate=(rh, rw),
                                        data_format=data_format)
                else:
                    outputs = _depthwise_conv2d(inputs, depthwise, strides, padding, (rh, rw), data_format)
                    outputs = nn_ops.conv2d(outputs, pointwise, [1, 1, 1, 1], "VALID", data_format=data_format)
                if biases is not None:
                    outputs = nn_ops.bias_add(outputs, biases, data_format=data_format)
            _add_variable_to_collections(depthwise, variables_collections, "weights")
            _add_variable_to_collections(pointwise, variables_collections, "weights")
            if biases is not None:
                _add_variable_to_collections(biases, variables_collections, "biases")
            if normalizer_fn is not None:
                outputs = normalizer_fn(outputs, **(normalizer_params or {}))
        else:
            kernel_h, kernel_w = utils.two_element_tuple(kernel_size)
            stride_h, stride_w = utils.two_element_tuple(stride)
            num_filters_in = utils.channel_dimension(inputs.get_shape(),
                                                     "channels_first" if channels_first else "channels_last",
                                                     min_rank=4)
            depthwise = variables.model_variable(
                "depthwise_weights", shape=[kernel_h, kernel_w, num_filters_in, depth_multiplier], dtype=dtype,
                initializer=weights_initializer, regularizer=weights_regularizer, trainable=trainable,
                collections=utils.get_variable_collections(variables_collections, "weights"))
            strides = [1, 1, stride_h, stride_w] if channels_first else [1, stride_h, stride_w, 1]
            outputs = _depthwise_conv2d(inputs, depthwise, strides, padding, (rh, rw), data_format)
            num_outputs = depth_multiplier * num_filters_in
            if normalizer_fn is not None:
                outputs = normalizer_fn(outputs, **(normalizer_params or {}))
            elif biases_initializer is not None:
                biases = variables.model_variable(
                    "biases", shape=[num_outputs], dtype=dtype, initializer=biases_initializer,
                    regularizer=biases_regularizer, trainable=trainable,
                    collections=utils.get_variable_collections(variables_collections, "biases"))
                outputs = nn_ops.bias_add(outputs, biases, data_format=data_format)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


# =========================================================================== fully connected, bias
@add_arg_scope
def fully_connected(inputs, num_outputs, activation_fn=nn_ops.relu, normalizer_fn=None, normalizer_params=None,
                    weights_initializer=initializers.xavier_initializer(), weights_regularizer=None,
                    biases_initializer=init_ops.zeros_initializer(), biases_regularizer=None, reuse=None,
                    variables_collections=None, outputs_collections=None, trainable=True, scope=None):
    """activation_fn(inputs @ weights + biases): [batch, in] -> [batch, num_outputs] (for rank > 2,
    the last axis is transformed: [batch, ..., in] -> [batch, ..., num_outputs]).

    Variables `<scope>/weights` [in, num_outputs] (xavier) and `<scope>/biases` [num_outputs]
    (zeros); scope defaults to 'fully_connected'. activation_fn is relu unless given (None: linear).

    >>> fc = slim.fully_connected(tf.placeholder(tf.float32, [None, 20]), 10, activation_fn=None, scope="fc")
    >>> fc.name
    'fc/BiasAdd:0'
    """
    if not isinstance(num_outputs, numbers.Integral) or isinstance(num_outputs, bool):
        raise ValueError("num_outputs type should be one of %s, got %s." % ([int], type(num_outputs)))
    with variable_scope(scope, "fully_connected", [inputs], reuse=reuse) as sc:
        inputs = convert_to_tensor(inputs)
        _check_min_ndim(inputs, 2, sc.name)
        shape = inputs.get_shape()
        if shape.ndims is None or shape[-1].value is None:
            raise ValueError("The last dimension of the inputs to `Dense` should be defined. Found `None`.")
        in_units = shape[-1].value
        dtype = inputs.dtype.base_dtype
        weights = _layer_variable(sc, "weights", "kernel", [in_units, int(num_outputs)], dtype,
                                  weights_initializer, weights_regularizer, trainable)
        biases = None
        if _use_bias(normalizer_fn, biases_initializer):
            biases = _layer_variable(sc, "biases", "bias", [int(num_outputs)], dtype, biases_initializer,
                                     biases_regularizer, trainable)
        with name_scope(sc.original_name_scope):
            if shape.ndims > 2:
                # [batch, ..., in] x [in, out] over the last axis (TF's Tensordot)
                with name_scope(None, "Tensordot", [inputs, weights]) as td:
                    flat = array_ops.reshape(inputs, [-1, in_units])
                    outputs = math_ops.matmul(flat, weights, name="MatMul")
                    out_shape = array_ops.concat([array_ops.shape(inputs)[:-1], [int(num_outputs)]], 0)
                    outputs = array_ops.reshape(outputs, out_shape, name=td)
                outputs.set_shape(shape[:-1].concatenate([int(num_outputs)]))
            else:
                outputs = math_ops.matmul(inputs, weights)
            if biases is not None:
                outputs = nn_ops.bias_add(outputs, biases)
        _add_variable_to_collections(weights, variables_collections, "weights")
        if biases is not None:
            _add_variable_to_collections(biases, variables_collections, "biases")
        outputs = _apply_normalizer_and_activation(outputs, normalizer_fn, normalizer_params, activation_fn)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def bias_add(inputs, activation_fn=None, initializer=init_ops.zeros_initializer(), regularizer=None, reuse=None,
             variables_collections=None, outputs_collections=None, trainable=True, data_format=DATA_FORMAT_NHWC,
             scope=None):
    """inputs + biases (one per channel: the last axis, or axis 1 for NCHW); variable `<scope>/biases`,
    scope defaults to 'BiasAdd'. Usable as a conv2d/fully_connected `normalizer_fn`."""
    if data_format not in (DATA_FORMAT_NCHW, DATA_FORMAT_NHWC):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with variable_scope(scope, "BiasAdd", [inputs], reuse=reuse) as sc:
        inputs = convert_to_tensor(inputs)
        dtype = inputs.dtype.base_dtype
        inputs_shape = inputs.get_shape()
        inputs_rank = inputs_shape.ndims
        if inputs_rank is None:
            raise ValueError("Dims of shape must be known but is None")
        if inputs_rank != 4 and data_format == DATA_FORMAT_NCHW:
            raise ValueError("Data format NCHW only supports 4D Tensor")
        axis = 1 if data_format == DATA_FORMAT_NCHW else -1
        num_features = inputs_shape[axis].value
        if num_features is None:
            raise ValueError("`C` dimension must be known but is None")
        biases = variables.model_variable(
            "biases", shape=[num_features], dtype=dtype, initializer=initializer, regularizer=regularizer,
            collections=utils.get_variable_collections(variables_collections, "biases"), trainable=trainable)
        outputs = nn_ops.bias_add(inputs, biases, data_format=data_format)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


# =========================================================================== pooling, dropout, reshaping
def _pool2d(op_name, default_scope, inputs, kernel_size, stride, padding, data_format, outputs_collections, scope):
    if data_format not in (DATA_FORMAT_NCHW, DATA_FORMAT_NHWC):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with name_scope(scope, default_scope, [inputs]) as sc:
        inputs = convert_to_tensor(inputs)
        ph, pw = _normalize_tuple(kernel_size, 2, "pool_size")
        sh, sw = _normalize_tuple(stride, 2, "strides")
        padding = _normalize_padding(padding)
        if data_format == DATA_FORMAT_NHWC:
            ksize, strides = [1, ph, pw, 1], [1, sh, sw, 1]
        else:
            ksize, strides = [1, 1, ph, pw], [1, 1, sh, sw]
        outputs = getattr(nn_ops, op_name)(inputs, ksize=ksize, strides=strides, padding=padding,
                                           data_format=data_format)
        return utils.collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def max_pool2d(inputs, kernel_size, stride=2, padding="VALID", data_format=DATA_FORMAT_NHWC,
               outputs_collections=None, scope=None):
    """The maximum over [kh, kw] windows moved by `stride` (2) with VALID padding:
    [batch, h, w, c] -> [batch, h // 2, w // 2, c] for a [2, 2] kernel. Op '<scope>/MaxPool'
    (scope defaults to 'MaxPool2D')."""
    return _pool2d("max_pool", "MaxPool2D", inputs, kernel_size, stride, padding, data_format,
                   outputs_collections, scope)


@add_arg_scope
def avg_pool2d(inputs, kernel_size, stride=2, padding="VALID", data_format=DATA_FORMAT_NHWC,
               outputs_collections=None, scope=None):
    """The mean over [kh, kw] windows moved by `stride` (2) with VALID padding. Op '<scope>/AvgPool'
    (scope defaults to 'AvgPool2D')."""
    return _pool2d("avg_pool", "AvgPool2D", inputs, kernel_size, stride, padding, data_format,
                   outputs_collections, scope)


@add_arg_scope
def dropout(inputs, keep_prob=0.5, noise_shape=None, is_training=True, outputs_collections=None, scope=None,
            seed=None):
    """Keep each element with probability `keep_prob` (scaled by 1 / keep_prob) — only when
    `is_training` (a Python bool or a bool tensor such as a placeholder); otherwise the identity.
    Scope defaults to 'Dropout'."""
    with variable_scope(scope, "Dropout", [inputs]) as sc:
        inputs = convert_to_tensor(inputs)
        layer = core_layers.Dropout(rate=1 - keep_prob, noise_shape=noise_shape, seed=seed, name=sc.name, _scope=sc)
        outputs = layer.apply(inputs, training=is_training)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def flatten(inputs, outputs_collections=None, scope=None):
    """[batch, d1, d2, ...] -> [batch, d1 * d2 * ...] (name scope 'Flatten')."""
    with name_scope(scope, "Flatten", [inputs]) as sc:
        inputs = convert_to_tensor(inputs)
        outputs = core_layers.flatten(inputs)
        return utils.collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def one_hot_encoding(labels, num_classes, on_value=1.0, off_value=0.0, outputs_collections=None, scope=None):
    """tf.one_hot of integer `labels` ([batch] -> [batch, num_classes] floats); scope 'OneHotEncoding'."""
    with name_scope(scope, "OneHotEncoding", [labels, num_classes]) as sc:
        labels = convert_to_tensor(labels)
        if labels.dtype == dtypes.int32:
            labels = math_ops.to_int64(labels)
        outputs = array_ops.one_hot(labels, num_classes, on_value=on_value, off_value=off_value)
        return utils.collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def softmax(logits, scope=None):
    """Softmax over the last axis of logits of any rank >= 2 (variable scope 'softmax')."""
    with variable_scope(scope, "softmax", [logits]):
        logits = convert_to_tensor(logits)
        num_logits = utils.last_dimension(logits.get_shape(), min_rank=2)
        logits_2d = array_ops.reshape(logits, [-1, num_logits])
        predictions = nn_ops.softmax(logits_2d)
        predictions = array_ops.reshape(predictions, array_ops.shape(logits))
        predictions.set_shape(logits.get_shape())
        return predictions


# =========================================================================== normalizations
@add_arg_scope
def unit_norm(inputs, dim, epsilon=1e-7, scope=None):
    """inputs / sqrt(epsilon + sum(inputs ** 2 along `dim`)): unit length along `dim`."""
    with variable_scope(scope, "UnitNorm", [inputs]):
        inputs = convert_to_tensor(inputs)
        if inputs.get_shape().ndims is None:
            raise ValueError("The input rank must be known.")
        input_rank = inputs.get_shape().ndims
        if dim < 0 or dim >= input_rank:
            raise ValueError("dim must be positive but smaller than the input rank.")
        lengths = math_ops.sqrt(epsilon + math_ops.reduce_sum(math_ops.square(inputs), dim, True))
        multiples = []
        if dim > 0:
            multiples.append(array_ops.ones([dim], dtypes.int32))
        multiples.append(array_ops.strided_slice(array_ops.shape(inputs), [dim], [dim + 1]))
        if dim < input_rank - 1:
            multiples.append(array_ops.ones([input_rank - 1 - dim], dtypes.int32))
        multiples = array_ops.concat(multiples, 0)
        return math_ops.div(inputs, array_ops.tile(lengths, multiples))


@add_arg_scope
def layer_norm(inputs, center=True, scale=True, activation_fn=None, reuse=None, variables_collections=None,
               outputs_collections=None, trainable=True, begin_norm_axis=1, begin_params_axis=-1, scope=None):
    """Layer normalization: each example normalized over axes begin_norm_axis.. (all but the batch),
    then `gamma` * x + `beta` over axes begin_params_axis.. (the channels). Variables
    `<scope>/beta`, `<scope>/gamma`; scope defaults to 'LayerNorm'."""
    from ...ops import nn_impl  # tf.nn.moments and tf.nn.batch_normalization
    with variable_scope(scope, "LayerNorm", [inputs], reuse=reuse) as sc:
        inputs = convert_to_tensor(inputs)
        inputs_shape = inputs.shape
        inputs_rank = inputs_shape.ndims
        if inputs_rank is None:
            raise ValueError("Inputs %s has undefined rank." % inputs.name)
        dtype = inputs.dtype.base_dtype
        if begin_norm_axis < 0:
            begin_norm_axis = inputs_rank + begin_norm_axis
        if begin_params_axis >= inputs_rank or begin_norm_axis >= inputs_rank:
            raise ValueError("begin_params_axis (%d) and begin_norm_axis (%d) must be < rank(inputs) (%d)"
                             % (begin_params_axis, begin_norm_axis, inputs_rank))
        params_shape = inputs_shape[begin_params_axis:]
        if not params_shape.is_fully_defined():
            raise ValueError("Inputs %s: shape(inputs)[%s:] is not fully defined: %s"
                             % (inputs.name, begin_params_axis, inputs_shape))
        beta = gamma = None
        if center:
            beta = variables.model_variable(
                "beta", shape=params_shape, dtype=dtype, initializer=init_ops.zeros_initializer(),
                collections=utils.get_variable_collections(variables_collections, "beta"), trainable=trainable)
        if scale:
            gamma = variables.model_variable(
                "gamma", shape=params_shape, dtype=dtype, initializer=init_ops.ones_initializer(),
                collections=utils.get_variable_collections(variables_collections, "gamma"), trainable=trainable)
        norm_axes = list(range(begin_norm_axis, inputs_rank))
        mean, variance = nn_impl.moments(inputs, norm_axes, keep_dims=True)
        variance_epsilon = 1e-12 if dtype != dtypes.float16 else 1e-3
        outputs = nn_impl.batch_normalization(inputs, mean, variance, offset=beta, scale=gamma,
                                              variance_epsilon=variance_epsilon)
        outputs.set_shape(inputs_shape)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


# =========================================================================== repeat, stack
def _layer_scope_name(layer, default):
    if hasattr(layer, "__name__"):
        return layer.__name__
    if hasattr(layer, "func") and hasattr(layer.func, "__name__"):
        return layer.func.__name__  # a functools.partial
    return default


def repeat(inputs, repetitions, layer, *args, **kwargs):
    """Apply `layer(net, *args, **kwargs)` `repetitions` times, in scopes `<scope>/<scope>_1`, `_2`, ...

        net = slim.repeat(net, 3, slim.conv2d, 256, [3, 3], scope="conv3")
        # = conv2d(net, 256, [3, 3], scope="conv3/conv3_1") ... scope="conv3/conv3_3"
    """
    scope = kwargs.pop("scope", None)
    with variable_scope(scope, "Repeat", [inputs]):
        inputs = convert_to_tensor(inputs)
        if scope is None:
            scope = _layer_scope_name(layer, "repeat")
        outputs = inputs
        for i in range(repetitions):
            kwargs["scope"] = scope + "_" + str(i + 1)
            outputs = layer(outputs, *args, **kwargs)
        return outputs


def stack(inputs, layer, stack_args, **kwargs):
    """Apply `layer` once per entry of `stack_args` (its extra positional arguments), in scopes
    `<scope>/<scope>_1`, `_2`, ...

        y = slim.stack(x, slim.fully_connected, [32, 64, 128], scope="fc")   # fc/fc_1 .. fc/fc_3
        y = slim.stack(x, slim.conv2d, [(64, [3, 3]), (128, [1, 1])], scope="conv")
    """
    scope = kwargs.pop("scope", None)
    if not isinstance(stack_args, (list, tuple)):
        raise ValueError("stack_args need to be a list or tuple")
    with variable_scope(scope, "Stack", [inputs]):
        inputs = convert_to_tensor(inputs)
        if scope is None:
            scope = _layer_scope_name(layer, "stack")
        outputs = inputs
        for i, layer_args in enumerate(stack_args):
            kwargs["scope"] = scope + "_" + str(i + 1)
            if not isinstance(layer_args, (list, tuple)):
                layer_args = [layer_args]
            outputs = layer(outputs, *layer_args, **kwargs)
        return outputs


# =========================================================================== aliases
conv2d = convolution2d
conv2d_transpose = convolution2d_transpose
conv2d_in_plane = convolution2d_in_plane
separable_conv2d = separable_convolution2d

linear = functools.partial(fully_connected, activation_fn=None)
relu = functools.partial(fully_connected, activation_fn=nn_ops.relu)


def relu6(inputs, num_outputs, **kwargs):
    """fully_connected with activation_fn=tf.nn.relu6."""
    return fully_connected(inputs, num_outputs, activation_fn=nn_ops.relu6, **kwargs)


def elu(inputs, num_outputs, **kwargs):
    """fully_connected with activation_fn=tf.nn.elu."""
    return fully_connected(inputs, num_outputs, activation_fn=nn_ops.elu, **kwargs)

