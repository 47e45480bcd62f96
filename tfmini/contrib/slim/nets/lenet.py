"""A variant of LeNet (the TF-Slim model zoo's): two 5x5 conv + 2x2 max pool stages, fc3 (1024), fc4.

    with slim.arg_scope(lenet.lenet_arg_scope()):
        logits, end_points = lenet.lenet(images)   # images [batch, 28, 28, 1]
"""
from ....init_ops import truncated_normal_initializer
from ....ops import nn_ops
from ....variable_scope import variable_scope
from ...framework.arg_scope import arg_scope
from ...layers import layers as layers_lib
from ...layers import regularizers

__all__ = ["lenet", "lenet_arg_scope"]


def lenet(images, num_classes=10, is_training=False, dropout_keep_prob=0.5, prediction_fn=layers_lib.softmax,
          scope="LeNet"):
    """images [batch, 28, 28, c] -> logits [batch, num_classes] and a dict of end points ('conv1',
    'pool1', ..., 'Logits', 'Predictions'); a falsy num_classes returns fc3's output instead."""
    end_points = {}
    with variable_scope(scope, "LeNet", [images]):
        net = end_points["conv1"] = layers_lib.conv2d(images, 32, [5, 5], scope="conv1")
        net = end_points["pool1"] = layers_lib.max_pool2d(net, [2, 2], 2, scope="pool1")
        net = end_points["conv2"] = layers_lib.conv2d(net, 64, [5, 5], scope="conv2")
        net = end_points["pool2"] = layers_lib.max_pool2d(net, [2, 2], 2, scope="pool2")
        net = layers_lib.flatten(net)
        end_points["Flatten"] = net
        net = end_points["fc3"] = layers_lib.fully_connected(net, 1024, scope="fc3")
        if not num_classes:
            return net, end_points
        net = end_points["dropout3"] = layers_lib.dropout(net, dropout_keep_prob, is_training=is_training,
                                                          scope="dropout3")
        logits = end_points["Logits"] = layers_lib.fully_connected(net, num_classes, activation_fn=None,
                                                                   scope="fc4")
    end_points["Predictions"] = prediction_fn(logits, scope="Predictions")
    return logits, end_points


lenet.default_image_size = 28


def lenet_arg_scope(weight_decay=0.0):
    """relu, truncated-normal (stddev 0.1) weights, L2 weight decay `weight_decay`."""
    with arg_scope([layers_lib.conv2d, layers_lib.fully_connected],
                   weights_regularizer=regularizers.l2_regularizer(weight_decay),
                   weights_initializer=truncated_normal_initializer(stddev=0.1),
                   activation_fn=nn_ops.relu) as sc:
        return sc
