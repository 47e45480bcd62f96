"""A small VGG-style network for 28x28 MNIST digits, laid out and named like TF-Slim's vgg_16 (lesson 10).

Used by lesson 10 and by pretrain_small_vgg.py, which trained the checkpoint shipped in
pretrained/small_vgg_digits0to4/. Variable names follow vgg_16's pattern (small_vgg/conv1/conv1_1/weights,
small_vgg/fc6/weights, ..., small_vgg/fc8/biases), so the same fine-tuning recipe applies to both:
restore everything except fc8, then train.
"""
import tfmini as tf
from tfmini.contrib.slim.nets import vgg

slim = tf.contrib.slim

CHECKPOINT = "pretrained/small_vgg_digits0to4/small_vgg.ckpt"  # relative to lessons/
PRETRAIN_DIGITS = (0, 1, 2, 3, 4)
FINETUNE_DIGITS = (5, 6, 7, 8, 9)


def small_vgg_arg_scope(weight_decay=0.0005):
    """VGG's own arg_scope: ReLU, L2 weight decay, zero biases, SAME padding."""
    return vgg.vgg_arg_scope(weight_decay)


def small_vgg(inputs, num_classes=5, is_training=True, dropout_keep_prob=0.5, scope="small_vgg"):
    """inputs [batch, 28, 28, 1] -> (logits [batch, num_classes], end_points).

    conv1: one 3x3 conv (16) + 2x2 pool -> 14x14; conv2: two 3x3 convs (32) + pool -> 7x7; then, as in VGG,
    the fully connected layers as convolutions: fc6 (7x7 VALID, 64) -> 1x1, fc7 (1x1, 64), fc8 (1x1, linear).
    About 119,000 parameters.
    """
    with tf.variable_scope(scope, "small_vgg", [inputs]) as sc:
        end_points_collection = sc.original_name_scope + "_end_points"
        with slim.arg_scope([slim.conv2d, slim.max_pool2d], outputs_collections=end_points_collection):
            net = slim.repeat(inputs, 1, slim.conv2d, 16, [3, 3], scope="conv1")
            net = slim.max_pool2d(net, [2, 2], scope="pool1")
            net = slim.repeat(net, 2, slim.conv2d, 32, [3, 3], scope="conv2")
            net = slim.max_pool2d(net, [2, 2], scope="pool2")
            net = slim.conv2d(net, 64, [7, 7], padding="VALID", scope="fc6")
            net = slim.dropout(net, dropout_keep_prob, is_training=is_training, scope="dropout6")
            net = slim.conv2d(net, 64, [1, 1], scope="fc7")
            net = slim.dropout(net, dropout_keep_prob, is_training=is_training, scope="dropout7")
            net = slim.conv2d(net, num_classes, [1, 1], activation_fn=None, normalizer_fn=None, scope="fc8")
            end_points = slim.utils.convert_collection_to_dict(end_points_collection)
            net = tf.squeeze(net, [1, 2], name="fc8/squeezed")
            end_points[sc.name + "/fc8"] = net
    return net, end_points


def select_digits(images, labels, digits, per_class=None):
    """The examples whose label is in `digits` (the first `per_class` of each when given), with labels
    renumbered 0..len(digits)-1 in the order of `digits`."""
    import numpy as np
    keep = []
    for d in digits:
        idx = np.flatnonzero(labels == d)
        keep.append(idx if per_class is None else idx[:per_class])
    keep = np.sort(np.concatenate(keep))
    new_id = {int(d): i for i, d in enumerate(digits)}
    return images[keep], np.array([new_id[int(v)] for v in labels[keep]], np.int64)
