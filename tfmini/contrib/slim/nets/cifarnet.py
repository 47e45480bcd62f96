"""A variant of the CIFAR-10 net (the TF-Slim model zoo's CifarNet): two 5x5 conv stages with local
response normalization, fc3 (384), fc4 (192), logits.

    with slim.arg_scope(cifarnet.cifarnet_arg_scope()):
        logits, end_points = cifarnet.cifarnet(images)   # images [batch, 32, 32, 3]
"""
from ....init_ops import constant_initializer, truncated_normal_initializer, zeros_initializer
from ....ops import nn_ops
from ....variable_scope import variable_scope
from ...framework.arg_scope import arg_scope
from ...layers import layers as layers_lib
from ...layers import regularizers

__all__ = ["cifarnet", "cifarnet_arg_scope"]


def _trunc_normal(stddev):
    return truncated_normal_initializer(stddev=stddev)


def cifarnet(images, num_classes=10, is_training=False, dropout_keep_prob=0.5, prediction_fn=layers_lib.softmax,
             scope="CifarNet"):
    """images [batch, 32, 32, 3] -> logits [batch, num_classes] and a dict of end points; a falsy
    num_classes returns fc4's output instead."""
    end_points = {}
    with variable_scope(scope, "CifarNet", [images]):
        net = layers_lib.conv2d(images, 64, [5, 5], scope="conv1")
        end_points["conv1"] = net
        net = layers_lib.max_pool2d(net, [2, 2], 2, scope="pool1")
        end_points["pool1"] = net
        net = nn_ops.lrn(net, 4, bias=1.0, alpha=0.001 / 9.0, beta=0.75, name="norm1")
        net = layers_lib.conv2d(net, 64, [5, 5], scope="conv2")
        end_points["conv2"] = net
        net = nn_ops.lrn(net, 4, bias=1.0, alpha=0.001 / 9.0, beta=0.75, name="norm2")
        net = layers_lib.max_pool2d(net, [2, 2], 2, scope="pool2")
        end_points["pool2"] = net
        net = layers_lib.flatten(net)
        end_points["Flatten"] = net
        net = layers_lib.fully_connected(net, 384, scope="fc3")
        end_points["fc3"] = net
        net = layers_lib.dropout(net, dropout_keep_prob, is_training=is_training, scope="dropout3")
        net = layers_lib.fully_connected(net, 192, scope="fc4")
        end_points["fc4"] = net
        if not num_classes:
            return net, end_points
        logits = layers_lib.fully_connected(net, num_classes, biases_initializer=zeros_initializer(),
                                            weights_initializer=_trunc_normal(1 / 192.0), weights_regularizer=None,
                                            activation_fn=None, scope="logits")
        end_points["Logits"] = logits
        end_points["Predictions"] = prediction_fn(logits, scope="Predictions")
    return logits, end_points


cifarnet.default_image_size = 32


def cifarnet_arg_scope(weight_decay=0.004):
    """Convolutions: truncated normal (stddev 0.05), relu; fully connected: biases 0.1, truncated
    normal (0.04), L2 weight decay `weight_decay`, relu."""
    with arg_scope([layers_lib.conv2d], weights_initializer=truncated_normal_initializer(stddev=5e-2),
                   activation_fn=nn_ops.relu):
        with arg_scope([layers_lib.fully_connected], biases_initializer=constant_initializer(0.1),
                       weights_initializer=_trunc_normal(0.04), weights_regularizer=regularizers.l2_regularizer(
                           weight_decay), activation_fn=nn_ops.relu) as sc:
            return sc
