"""slim.nets.vgg: vgg_a / vgg_16 / vgg_19 as TF-Slim defines them — variable names and shapes, end points
and their static shapes, vgg_arg_scope, spatial_squeeze, dropout's is_training, the lecture's VGG slides.
Graphs only: VGG-16's 138M parameters are never initialized here.
"""
import contextlib
import io
import time

import numpy as np
import pytest

import tfmini as tf
import tfmini.contrib.slim as slim
from tfmini.contrib.slim.nets import vgg


def _names(items):
    return [x.name for x in items]


def _vgg16_expected_vars(num_classes):
    out = []
    cin = 3
    for block, (n, depth) in enumerate(zip((2, 2, 3, 3, 3), (64, 128, 256, 512, 512)), start=1):
        for i in range(1, n + 1):
            out += [("vgg_16/conv%d/conv%d_%d/weights:0" % (block, block, i), [3, 3, cin, depth]),
                    ("vgg_16/conv%d/conv%d_%d/biases:0" % (block, block, i), [depth])]
            cin = depth
    out += [("vgg_16/fc6/weights:0", [7, 7, 512, 4096]), ("vgg_16/fc6/biases:0", [4096]),
            ("vgg_16/fc7/weights:0", [1, 1, 4096, 4096]), ("vgg_16/fc7/biases:0", [4096]),
            ("vgg_16/fc8/weights:0", [1, 1, 4096, num_classes]), ("vgg_16/fc8/biases:0", [num_classes])]
    return out


# the lecture's scope-summary slide (num_classes=1000)
SLIDE_LISTING = """\
vgg_16/conv1/conv1_1 (?, 224, 224, 64)
vgg_16/conv1/conv1_2 (?, 224, 224, 64)
vgg_16/pool1 (?, 112, 112, 64)
vgg_16/conv2/conv2_1 (?, 112, 112, 128)
vgg_16/conv2/conv2_2 (?, 112, 112, 128)
vgg_16/pool2 (?, 56, 56, 128)
vgg_16/conv3/conv3_1 (?, 56, 56, 256)
vgg_16/conv3/conv3_2 (?, 56, 56, 256)
vgg_16/conv3/conv3_3 (?, 56, 56, 256)
vgg_16/pool3 (?, 28, 28, 256)
vgg_16/conv4/conv4_1 (?, 28, 28, 512)
vgg_16/conv4/conv4_2 (?, 28, 28, 512)
vgg_16/conv4/conv4_3 (?, 28, 28, 512)
vgg_16/pool4 (?, 14, 14, 512)
vgg_16/conv5/conv5_1 (?, 14, 14, 512)
vgg_16/conv5/conv5_2 (?, 14, 14, 512)
vgg_16/conv5/conv5_3 (?, 14, 14, 512)
vgg_16/pool5 (?, 7, 7, 512)
vgg_16/fc6 (?, 1, 1, 4096)
vgg_16/fc7 (?, 1, 1, 4096)
vgg_16/fc8 (?, 1000)
"""


def test_vgg16_end_points_print_the_slides_listing():
    X = tf.placeholder(tf.float32, [None, 224, 224, 3])
    with slim.arg_scope(vgg.vgg_arg_scope()):
        net, end_points = vgg.vgg_16(X)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for name, t in end_points.items():
            print(name, t.get_shape())
    assert out.getvalue() == SLIDE_LISTING
    assert type(end_points).__name__ == "OrderedDict"
    assert end_points["vgg_16/fc8"] is net
    assert net.name == "vgg_16/fc8/squeezed:0" and str(net.get_shape()) == "(?, 1000)"
    assert end_points["vgg_16/conv1/conv1_1"].name == "vgg_16/conv1/conv1_1/Relu:0"
    assert end_points["vgg_16/pool5"].name == "vgg_16/pool5/MaxPool:0"


def test_vgg16_variables_parameters_and_regularizers():
    X = tf.placeholder(tf.float32, [None, 224, 224, 3])
    with slim.arg_scope(vgg.vgg_arg_scope()):
        vgg.vgg_16(X, num_classes=1000)
    assert [(v.name, v.get_shape().as_list()) for v in tf.global_variables()] == _vgg16_expected_vars(1000)
    assert tf.trainable_variables() == tf.global_variables() == slim.get_model_variables()
    n_params = sum(int(np.prod(v.get_shape().as_list())) for v in tf.trainable_variables())
    assert n_params == 138357544
    regs = slim.losses.get_regularization_losses()
    assert len(regs) == 16
    assert regs[0].name == "vgg_16/conv1/conv1_1/kernel/Regularizer/l2_regularizer:0"
    assert tf.get_collection("vgg_16/_end_points")[-1].name == "vgg_16/fc8/BiasAdd:0"


def test_vgg16_without_arg_scope_has_no_regularizers():
    vgg.vgg_16(tf.placeholder(tf.float32, [None, 224, 224, 3]), num_classes=10)
    assert slim.losses.get_regularization_losses() == []
    assert len(tf.global_variables()) == 32


def test_vgg16_graph_builds_fast():
    X = tf.placeholder(tf.float32, [None, 224, 224, 3])
    start = time.perf_counter()
    with slim.arg_scope(vgg.vgg_arg_scope()):
        vgg.vgg_16(X, num_classes=10)
    assert time.perf_counter() - start < 2.0  # typically ~0.1 s


def test_vgg16_spatial_squeeze_false_and_num_classes():
    X = tf.placeholder(tf.float32, [None, 224, 224, 3])
    net, end_points = vgg.vgg_16(X, num_classes=10, spatial_squeeze=False)
    assert net.get_shape().as_list() == [None, 1, 1, 10]
    assert end_points["vgg_16/fc8"] is net and net.name == "vgg_16/fc8/BiasAdd:0"


def test_vgg16_global_pool_fc_conv_padding_and_features_only():
    X = tf.placeholder(tf.float32, [None, 256, 320, 3])
    net, end_points = vgg.vgg_16(X, num_classes=10, fc_conv_padding="SAME", global_pool=True)
    assert net.get_shape().as_list() == [None, 10]
    assert list(end_points)[-3:] == ["vgg_16/fc7", "global_pool", "vgg_16/fc8"]
    assert end_points["vgg_16/fc7"].get_shape().as_list() == [None, 8, 10, 4096]
    tf.reset_default_graph()
    feats, end_points = vgg.vgg_16(tf.placeholder(tf.float32, [None, 224, 224, 3]), num_classes=0)
    assert feats.get_shape().as_list() == [None, 1, 1, 4096] and list(end_points)[-1] == "vgg_16/fc7"
    assert not [v for v in tf.global_variables() if "fc8" in v.name]


def test_vgg16_dropout_is_training_bool_or_tensor():
    X = tf.placeholder(tf.float32, [None, 224, 224, 3])
    vgg.vgg_16(X, num_classes=10, is_training=False, scope="eval")
    ops = tf.get_default_graph().get_operations()
    drop_ops = [op for op in ops if op.name.startswith("eval/dropout6/")]
    assert [op.type for op in drop_ops] == ["Identity"]
    is_training = tf.placeholder(tf.bool, name="is_training")
    vgg.vgg_16(X, num_classes=10, is_training=is_training, scope="train")
    ops = tf.get_default_graph().get_operations()
    drop6 = [op for op in ops if op.name.startswith("train/dropout6/")]
    assert drop6 and any(is_training in op.inputs for op in drop6)


def test_vgg16_dropout_values_follow_is_training():
    """The dropout layers of the net, run on a small feature map (no 224x224 image needed)."""
    h = tf.placeholder(tf.float32, [None, 1, 1, 64])
    is_training = tf.placeholder(tf.bool, [])
    out = slim.dropout(h, 0.5, is_training=is_training, scope="dropout6")
    hv = np.ones((4, 1, 1, 64), np.float32)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(out, {h: hv, is_training: False}), hv)
        on = sess.run(out, {h: hv, is_training: True})
    assert set(np.unique(on)) <= {0.0, 2.0}


def test_vgg_a_and_vgg_19_structure():
    X = tf.placeholder(tf.float32, [None, 224, 224, 3])
    net_a, ep_a = vgg.vgg_a(X, num_classes=5)
    assert list(ep_a)[:3] == ["vgg_a/conv1/conv1_1", "vgg_a/pool1", "vgg_a/conv2/conv2_1"]
    assert len([k for k in ep_a if "/conv" in k]) == 8 and net_a.get_shape().as_list() == [None, 5]
    net_19, ep_19 = vgg.vgg_19(X, num_classes=5)
    assert len([k for k in ep_19 if "/conv" in k]) == 16
    assert "vgg_19/conv5/conv5_4" in ep_19
    assert len(tf.get_collection("vgg_19_end_points")) == 24
    assert vgg.vgg_d is vgg.vgg_16 and vgg.vgg_e is vgg.vgg_19
    assert vgg.vgg_16.default_image_size == 224


def test_vgg19_built_twice_raises_like_the_caution_slide():
    """Slide 'caution': running the cell that builds the net twice in a notebook."""
    X = tf.placeholder(tf.float32, [None, 224, 224, 3])
    net, _ = vgg.vgg_19(X, num_classes=10)
    assert str(net.get_shape()) == "(?, 10)" and len(tf.global_variables()) == 38
    with pytest.raises(ValueError, match="Variable vgg_19/conv1/conv1_1/weights already exists, disallowed. "
                                         "Did you mean to set reuse=True"):
        vgg.vgg_19(X, num_classes=10)
    # what the notebook should do instead: a fresh graph
    tf.reset_default_graph()
    X = tf.placeholder(tf.float32, [None, 224, 224, 3])
    vgg.vgg_19(X, num_classes=10)
    assert len(tf.global_variables()) == 38


def test_vgg16_reuse_shares_all_variables():
    X = tf.placeholder(tf.float32, [None, 224, 224, 3])
    a, _ = vgg.vgg_16(X, num_classes=10)
    b, ep = vgg.vgg_16(X, num_classes=10, reuse=True)
    assert len(tf.global_variables()) == 32 and a is not b
    assert b.name == "vgg_16_1/fc8/squeezed:0"


def test_lecture_slide_pretrained_vgg16_finetune_graph():
    """Slide 'loading a pretrained model', graph part (labels fixed to float [None, 10] and the
    slide's `type_loss` to `cls_loss`)."""
    X = tf.placeholder(tf.float32, [None, 224, 224, 3], name="X")
    y = tf.placeholder(tf.float32, [None, 10], name="y")
    is_training = tf.placeholder(tf.bool, name="is_training")
    with slim.arg_scope(vgg.vgg_arg_scope()):
        net, end_pts = vgg.vgg_16(X, is_training=is_training,
                                  num_classes=10)
    with tf.variable_scope("losses"):
        cls_loss = slim.losses.softmax_cross_entropy(net, y)
        reg_loss = tf.add_n(slim.losses.get_regularization_losses())
        loss_op = cls_loss + reg_loss
    with tf.variable_scope("opt"):
        opt = tf.train.AdamOptimizer(0.001).minimize(loss_op)
    to_restore = slim.get_variables_to_restore(exclude=["vgg_16/fc8"])
    names = _names(to_restore)
    assert len(tf.global_variables()) == 98 and len(names) == 96
    assert "vgg_16/fc8/weights:0" not in names and "opt/vgg_16/fc8/weights/Adam:0" in names
    assert cls_loss.name == "losses/softmax_cross_entropy_loss/value:0"
    assert opt.type == "NoOp" and loss_op.get_shape().as_list() == []
    # the slide's int32 [None, 8] labels do not fit 10 classes: TF refuses them too
    with pytest.raises(ValueError, match="are incompatible"):
        slim.losses.softmax_cross_entropy(net, tf.placeholder(tf.int32, [None, 8]))


# =========================================================================== the other nets of slim.nets
def test_alexnet_v2_end_points():
    from tfmini.contrib.slim.nets import alexnet
    X = tf.placeholder(tf.float32, [None, 224, 224, 3])
    with slim.arg_scope(alexnet.alexnet_v2_arg_scope()):
        net, end_points = alexnet.alexnet_v2(X, num_classes=7)
    assert [(k, v.get_shape().as_list()) for k, v in end_points.items()] == [
        ("alexnet_v2/conv1", [None, 54, 54, 64]), ("alexnet_v2/pool1", [None, 26, 26, 64]),
        ("alexnet_v2/conv2", [None, 26, 26, 192]), ("alexnet_v2/pool2", [None, 12, 12, 192]),
        ("alexnet_v2/conv3", [None, 12, 12, 384]), ("alexnet_v2/conv4", [None, 12, 12, 384]),
        ("alexnet_v2/conv5", [None, 12, 12, 256]), ("alexnet_v2/pool5", [None, 5, 5, 256]),
        ("alexnet_v2/fc6", [None, 1, 1, 4096]), ("alexnet_v2/fc7", [None, 1, 1, 4096]),
        ("alexnet_v2/fc8", [None, 7])]
    assert net.name == "alexnet_v2/fc8/squeezed:0"


def test_lenet_and_cifarnet_run():
    from tfmini.contrib.slim.nets import cifarnet, lenet
    x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    with slim.arg_scope(lenet.lenet_arg_scope()):
        logits, ep = lenet.lenet(x)
    c = tf.placeholder(tf.float32, [None, 32, 32, 3])
    with slim.arg_scope(cifarnet.cifarnet_arg_scope()):
        logits2, ep2 = cifarnet.cifarnet(c, num_classes=5)
    assert logits.name == "LeNet/fc4/BiasAdd:0" and ep["pool2"].get_shape().as_list() == [None, 7, 7, 64]
    assert logits2.name == "CifarNet/logits/BiasAdd:0" and ep2["Flatten"].get_shape().as_list() == [None, 4096]
    # lenet's default weight decay 0.0 adds no loss at all; cifarnet regularizes fc3 and fc4
    assert _names(slim.losses.get_regularization_losses()) == [
        "CifarNet/fc3/kernel/Regularizer/l2_regularizer:0", "CifarNet/fc4/kernel/Regularizer/l2_regularizer:0"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        p1, p2 = sess.run([ep["Predictions"], ep2["Predictions"]],
                          {x: np.random.rand(2, 28, 28, 1), c: np.random.rand(2, 32, 32, 3)})
    np.testing.assert_allclose(p1.sum(1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(p2.sum(1), 1.0, rtol=1e-5)
    assert p2.shape == (2, 5)
