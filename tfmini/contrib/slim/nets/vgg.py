"""The Oxford VGG nets (Simonyan & Zisserman, arXiv:1409.1556) as TF-Slim defines them: vgg_a (11 layers),
vgg_16 and vgg_19, with TF-Slim's variable names (so its pretrained checkpoints load) and end points.

    with slim.arg_scope(vgg.vgg_arg_scope()):
        logits, end_points = vgg.vgg_16(images, num_classes=1000, is_training=is_training)

The fully connected layers are convolutions: fc6 is a 7x7 VALID conv on pool5 (so the input must
be 224x224 for a 1x1 map), fc7 and fc8 are 1x1 convs; `spatial_squeeze` turns the [batch, 1, 1,
classes] output into [batch, classes] ('vgg_16/fc8/squeezed'). `end_points` is an OrderedDict
{'vgg_16/conv1/conv1_1': tensor, ..., 'vgg_16/pool5': ..., 'vgg_16/fc6': ..., 'vgg_16/fc8': logits}.
`is_training` (a Python bool or a bool tensor) switches dropout6/dropout7 on.
"""
from collections import OrderedDict

from ....init_ops import zeros_initializer
from ....ops import array_ops, math_ops, nn_ops
from ....variable_scope import variable_scope
from ...framework.arg_scope import arg_scope
from ...layers import layers as layers_lib
from ...layers import regularizers, utils

__all__ = ["vgg_arg_scope", "vgg_a", "vgg_16", "vgg_19", "vgg_d", "vgg_e"]


def vgg_arg_scope(weight_decay=0.0005):
    """The arg_scope VGG is trained with: relu, L2 weight decay `weight_decay` on the weights, zero
    biases, SAME padding for the convolutions."""
    with arg_scope([layers_lib.conv2d, layers_lib.fully_connected], activation_fn=nn_ops.relu,
                   weights_regularizer=regularizers.l2_regularizer(weight_decay),
                   biases_initializer=zeros_initializer()):
        with arg_scope([layers_lib.conv2d], padding="SAME") as arg_sc:
            return arg_sc


def _vgg(inputs, blocks, num_classes, is_training, dropout_keep_prob, spatial_squeeze, scope, default_scope,
         fc_conv_padding, global_pool, reuse, collection_from_name_scope):
    """The VGG body: `blocks` = convolutions per block (64, 128, 256, 512, 512 filters), each block
    followed by a 2x2 max pool; then fc6 (7x7), dropout6, fc7 (1x1), dropout7, fc8 (1x1, linear)."""
    with variable_scope(scope, default_scope, [inputs], reuse=reuse) as sc:
        # TF-Slim names this collection after the name scope for vgg_a/vgg_16 and the variable
        # scope for vgg_19: kept as it is, since the collection's key is visible in the graph
        if collection_from_name_scope:
            end_points_collection = sc.original_name_scope + "_end_points"
        else:
            end_points_collection = sc.name + "_end_points"
        with arg_scope([layers_lib.conv2d, layers_lib.fully_connected, layers_lib.max_pool2d],
                       outputs_collections=end_points_collection):
            net = inputs
            for i, (n_convs, depth) in enumerate(zip(blocks, (64, 128, 256, 512, 512))):
                net = layers_lib.repeat(net, n_convs, layers_lib.conv2d, depth, [3, 3], scope="conv%d" % (i + 1))
                net = layers_lib.max_pool2d(net, [2, 2], scope="pool%d" % (i + 1))
            # the fully connected layers as convolutions
            net = layers_lib.conv2d(net, 4096, [7, 7], padding=fc_conv_padding, scope="fc6")
            net = layers_lib.dropout(net, dropout_keep_prob, is_training=is_training, scope="dropout6")
            net = layers_lib.conv2d(net, 4096, [1, 1], scope="fc7")
            pooled = None
            if global_pool:
                net = pooled = math_ops.reduce_mean(net, [1, 2], keepdims=True, name="global_pool")
            if num_classes:
                net = layers_lib.dropout(net, dropout_keep_prob, is_training=is_training, scope="dropout7")
                net = layers_lib.conv2d(net, num_classes, [1, 1], activation_fn=None, normalizer_fn=None,
                                        scope="fc8")
            end_points = utils.convert_collection_to_dict(end_points_collection)
            if pooled is not None:
                # 'global_pool' comes after fc7 and before fc8, as in the nets that have it
                fc8_key = sc.name + "/fc8"
                items = [(k, v) for k, v in end_points.items() if k != fc8_key]
                items.append(("global_pool", pooled))
                if fc8_key in end_points:
                    items.append((fc8_key, end_points[fc8_key]))
                end_points = OrderedDict(items)
            if num_classes and spatial_squeeze:
                net = array_ops.squeeze(net, [1, 2], name="fc8/squeezed")
                end_points[sc.name + "/fc8"] = net
            return net, end_points


def vgg_a(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.5, spatial_squeeze=True, scope="vgg_a",
          fc_conv_padding="VALID", global_pool=False, reuse=None):
    """VGG 11 layers ("A"): 1, 1, 2, 2, 2 convolutions per block.

    inputs [batch, 224, 224, 3] -> logits [batch, num_classes] (with spatial_squeeze), end_points.
    `fc_conv_padding` 'SAME' and `global_pool` (mean over space before fc8) let other input sizes
    through; a falsy `num_classes` stops after fc7 (features, no logits).
    """
    return _vgg(inputs, (1, 1, 2, 2, 2), num_classes, is_training, dropout_keep_prob, spatial_squeeze, scope,
                "vgg_a", fc_conv_padding, global_pool, reuse, collection_from_name_scope=True)


def vgg_16(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.5, spatial_squeeze=True, scope="vgg_16",
           fc_conv_padding="VALID", global_pool=False, reuse=None):
    """VGG 16 layers ("D"): 2, 2, 3, 3, 3 convolutions per block; 138M parameters with 1000 classes.

    inputs [batch, 224, 224, 3] -> logits [batch, num_classes] (with spatial_squeeze), end_points.
    Variables 'vgg_16/conv1/conv1_1/weights' ... 'vgg_16/fc8/biases'.

    >>> X = tf.placeholder(tf.float32, [None, 224, 224, 3])
    >>> with slim.arg_scope(vgg.vgg_arg_scope()):
    ...     net, end_points = vgg.vgg_16(X, num_classes=10)
    >>> for name, t in end_points.items(): print(name, t.get_shape())
    vgg_16/conv1/conv1_1 (?, 224, 224, 64)
    ...
    vgg_16/fc8 (?, 10)
    """
    return _vgg(inputs, (2, 2, 3, 3, 3), num_classes, is_training, dropout_keep_prob, spatial_squeeze, scope,
                "vgg_16", fc_conv_padding, global_pool, reuse, collection_from_name_scope=True)


def vgg_19(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.5, spatial_squeeze=True, scope="vgg_19",
           fc_conv_padding="VALID", global_pool=False, reuse=None):
    """VGG 19 layers ("E"): 2, 2, 4, 4, 4 convolutions per block (see vgg_16)."""
    return _vgg(inputs, (2, 2, 4, 4, 4), num_classes, is_training, dropout_keep_prob, spatial_squeeze, scope,
                "vgg_19", fc_conv_padding, global_pool, reuse, collection_from_name_scope=False)


vgg_a.default_image_size = 224
vgg_16.default_image_size = 224
vgg_19.default_image_size = 224

vgg_d = vgg_16
vgg_e = vgg_19
