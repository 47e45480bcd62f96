"""AlexNet v2 (arXiv:1404.5997) as TF-Slim defines it: fully connected layers as convolutions, no LRN.

    with slim.arg_scope(alexnet.alexnet_v2_arg_scope()):
        logits, end_points = alexnet.alexnet_v2(images)   # images [batch, 224, 224, 3]
"""
from ....init_ops import constant_initializer, truncated_normal_initializer, zeros_initializer
from ....ops import array_ops, nn_ops
from ....variable_scope import variable_scope
from ...framework.arg_scope import arg_scope
from ...layers import layers as layers_lib
from ...layers import regularizers, utils

__all__ = ["alexnet_v2", "alexnet_v2_arg_scope"]


def _trunc_normal(stddev):
    return truncated_normal_initializer(0.0, stddev)


def alexnet_v2_arg_scope(weight_decay=0.0005):
    """relu, biases 0.1, L2 weight decay; SAME convolutions and VALID max pools."""
    with arg_scope([layers_lib.conv2d, layers_lib.fully_connected], activation_fn=nn_ops.relu,
                   biases_initializer=constant_initializer(0.1),
                   weights_regularizer=regularizers.l2_regularizer(weight_decay)):
        with arg_scope([layers_lib.conv2d], padding="SAME"):
            with arg_scope([layers_lib.max_pool2d], padding="VALID") as arg_sc:
                return arg_sc


def alexnet_v2(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.5, spatial_squeeze=True,
               scope="alexnet_v2"):
    """inputs [batch, 224, 224, 3] -> logits [batch, num_classes] (with spatial_squeeze), end_points
    ('alexnet_v2/conv1' ... 'alexnet_v2/fc8')."""
    with variable_scope(scope, "alexnet_v2", [inputs]) as sc:
        end_points_collection = sc.original_name_scope + "_end_points"
        with arg_scope([layers_lib.conv2d, layers_lib.fully_connected, layers_lib.max_pool2d],
                       outputs_collections=[end_points_collection]):
            net = layers_lib.conv2d(inputs, 64, [11, 11], 4, padding="VALID", scope="conv1")
            net = layers_lib.max_pool2d(net, [3, 3], 2, scope="pool1")
            net = layers_lib.conv2d(net, 192, [5, 5], scope="conv2")
            net = layers_lib.max_pool2d(net, [3, 3], 2, scope="pool2")
            net = layers_lib.conv2d(net, 384, [3, 3], scope="conv3")
            net = layers_lib.conv2d(net, 384, [3, 3], scope="conv4")
            net = layers_lib.conv2d(net, 256, [3, 3], scope="conv5")
            net = layers_lib.max_pool2d(net, [3, 3], 2, scope="pool5")
            # the fully connected layers as convolutions
            with arg_scope([layers_lib.conv2d], weights_initializer=_trunc_normal(0.005),
                           biases_initializer=constant_initializer(0.1)):
                net = layers_lib.conv2d(net, 4096, [5, 5], padding="VALID", scope="fc6")
                net = layers_lib.dropout(net, dropout_keep_prob, is_training=is_training, scope="dropout6")
                net = layers_lib.conv2d(net, 4096, [1, 1], scope="fc7")
                net = layers_lib.dropout(net, dropout_keep_prob, is_training=is_training, scope="dropout7")
                net = layers_lib.conv2d(net, num_classes, [1, 1], activation_fn=None, normalizer_fn=None,
                                        biases_initializer=zeros_initializer(), scope="fc8")
            end_points = utils.convert_collection_to_dict(end_points_collection)
            if spatial_squeeze:
                net = array_ops.squeeze(net, [1, 2], name="fc8/squeezed")
                end_points[sc.name + "/fc8"] = net
            return net, end_points


alexnet_v2.default_image_size = 224
