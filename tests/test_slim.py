"""TF-Slim (tf.contrib.slim / tf.contrib.layers / tf.contrib.framework): arg_scope, the layers' names,
shapes and values, repeat/stack, slim.losses, the variable helpers, checkpoints, and the lecture's
slim slides. What TF-Slim 1.1.0's layers_test.py, arg_scope_test.py and variables_test.py check,
restated in tfmini's terms.
"""
import contextlib
import io
import os
import shutil
import tempfile

import numpy as np
import pytest

import tfmini as tf
import tfmini.contrib.slim as slim

from conftest import SHARED


def _names(items):
    return [x.name for x in items]


def _run(*fetches, feed_dict=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run(list(fetches), feed_dict=feed_dict)
    return out[0] if len(out) == 1 else out


def _conv2d_ref(x, w, stride=1, padding="SAME"):
    """numpy cross-correlation, NHWC x HWIO, TF's SAME padding (extra row/column at the end)."""
    n, h, wd, c = x.shape
    kh, kw, _, o = w.shape
    if padding == "SAME":
        oh, ow = -(-h // stride), -(-wd // stride)
        ph = max((oh - 1) * stride + kh - h, 0)
        pw = max((ow - 1) * stride + kw - wd, 0)
        x = np.pad(x, [(0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)])
    else:
        oh, ow = (h - kh) // stride + 1, (wd - kw) // stride + 1
    out = np.zeros((n, oh, ow, o), np.float64)
    for i in range(oh):
        for j in range(ow):
            patch = x[:, i * stride:i * stride + kh, j * stride:j * stride + kw, :]
            out[:, i, j, :] = np.tensordot(patch, w, axes=([1, 2, 3], [0, 1, 2]))
    return out


# =========================================================================== import paths
def test_import_paths():
    from tfmini.contrib.slim.nets import vgg
    assert tf.contrib.slim is slim
    assert slim.nets.vgg is vgg
    assert slim.conv2d is tf.contrib.layers.conv2d is slim.convolution2d
    assert slim.batch_norm is tf.contrib.layers.batch_norm
    assert slim.arg_scope is tf.contrib.framework.arg_scope
    assert slim.model_variable is tf.contrib.framework.model_variable
    assert slim.variables.model_variable is slim.model_variable
    assert slim.utils.convert_collection_to_dict is tf.contrib.layers.utils.convert_collection_to_dict
    assert slim.xavier_initializer is tf.contrib.layers.xavier_initializer
    assert slim.l2_regularizer is tf.contrib.layers.l2_regularizer


# =========================================================================== arg_scope
@slim.add_arg_scope
def _func1(*args, **kwargs):
    return args, kwargs


@slim.add_arg_scope
def _func2(*args, **kwargs):
    return args, kwargs


@slim.add_arg_scope
def _func3(args, a=None, b=1, c=2):
    return args, a, b, c


def test_arg_scope_sets_defaults_and_call_overrides():
    with slim.arg_scope([_func1], a=1, b=None, c=[1]):
        args, kwargs = _func1(0)
        assert args == (0,) and kwargs == {"a": 1, "b": None, "c": [1]}
        _, kwargs = _func1(0, b=2)
        assert kwargs == {"a": 1, "b": 2, "c": [1]}
    assert _func1(0) == ((0,), {})


def test_arg_scope_nesting_adds_and_overrides():
    with slim.arg_scope([_func1, _func2], a=1):
        with slim.arg_scope([_func1], a=2, b=3):
            assert _func1()[1] == {"a": 2, "b": 3}
            assert _func2()[1] == {"a": 1}
        assert _func1()[1] == {"a": 1}


def test_arg_scope_reuse_of_a_yielded_scope():
    with slim.arg_scope([_func1], a=1) as sc:
        pass
    assert _func1()[1] == {}
    with slim.arg_scope(sc):
        assert _func1()[1] == {"a": 1}
    assert slim.current_arg_scope() == {}


def test_arg_scope_errors():
    with pytest.raises(TypeError, match="list_ops_or_scope must either be a list/tuple or reused scope"):
        with slim.arg_scope(_func1, a=1):
            pass
    with pytest.raises(ValueError, match="is not decorated with @add_arg_scope"):
        with slim.arg_scope([tf.nn.relu], a=1):
            pass
    with slim.arg_scope([_func1], a=1) as sc:
        pass
    with pytest.raises(ValueError, match="kwargs must be empty"):
        with slim.arg_scope(sc, a=2):
            pass


def test_arg_scope_keyword_also_given_by_position_is_a_type_error():
    with slim.arg_scope([_func3], b=5):
        assert _func3(0) == (0, None, 5, 2)
        with pytest.raises(TypeError, match="_func3\\(\\) got multiple values for argument 'b'"):
            _func3(0, 1, 2)


def test_arg_scoped_arguments_and_has_arg_scope():
    assert slim.arg_scoped_arguments(_func3) == ("a", "b", "c")
    assert slim.has_arg_scope(slim.conv2d) and slim.has_arg_scope(slim.fully_connected)
    assert not slim.has_arg_scope(tf.nn.relu)
    assert "stride" in slim.arg_scoped_arguments(slim.conv2d)
    assert slim.conv2d.__name__ == "convolution2d"


# =========================================================================== layer names and shapes
def test_conv2d_names_shapes_and_model_variables():
    x = tf.placeholder(tf.float32, [None, 28, 28, 3])
    net = slim.conv2d(x, 16, [3, 3], scope="conv1")
    assert net.name == "conv1/Relu:0"
    assert net.get_shape().as_list() == [None, 28, 28, 16]
    assert [(v.name, v.get_shape().as_list()) for v in tf.global_variables()] == [
        ("conv1/weights:0", [3, 3, 3, 16]), ("conv1/biases:0", [16])]
    assert _names(slim.get_model_variables()) == ["conv1/weights:0", "conv1/biases:0"]
    assert _names(tf.trainable_variables()) == ["conv1/weights:0", "conv1/biases:0"]
    assert net.op.inputs[0].op.type == "BiasAdd" and net.op.inputs[0].op.inputs[0].op.type == "Conv2D"


def test_conv2d_default_scopes_are_made_unique():
    x = tf.placeholder(tf.float32, [None, 8, 8, 1])
    a = slim.conv2d(x, 2, 3)
    b = slim.conv2d(x, 2, 3)
    assert (a.name, b.name) == ("Conv/Relu:0", "Conv_1/Relu:0")
    assert _names(tf.global_variables()) == ["Conv/weights:0", "Conv/biases:0", "Conv_1/weights:0",
                                             "Conv_1/biases:0"]


def test_conv2d_stride_padding_and_linear():
    x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    net = slim.conv2d(x, 4, [5, 5], stride=2, padding="VALID", activation_fn=None, scope="c")
    assert net.name == "c/BiasAdd:0"
    assert net.get_shape().as_list() == [None, 12, 12, 4]
    same = slim.conv2d(x, 4, [5, 5], 2, scope="s")  # positional stride outside an arg_scope is fine
    assert same.get_shape().as_list() == [None, 14, 14, 4]


def test_conv2d_values_match_numpy():
    rng = np.random.RandomState(0)
    xv = rng.randn(2, 6, 5, 3).astype(np.float32)
    wv = rng.randn(3, 3, 3, 4).astype(np.float32)
    net = slim.conv2d(tf.constant(xv), 4, [3, 3], stride=2, weights_initializer=tf.constant_initializer(wv),
                      biases_initializer=tf.constant_initializer(0.5), scope="conv")
    out = _run(net)
    ref = np.maximum(_conv2d_ref(xv.astype(np.float64), wv.astype(np.float64), stride=2) + 0.5, 0)
    np.testing.assert_allclose(out, ref, rtol=1e-4, atol=1e-4)
    assert out.shape == tuple(net.get_shape().as_list())


def test_conv2d_errors():
    x = tf.placeholder(tf.float32, [None, 8, 8, None])
    with pytest.raises(ValueError, match="The channel dimension of the inputs should be defined. Found `None`."):
        slim.conv2d(x, 4, [3, 3])
    x = tf.placeholder(tf.float32, [None, 8, 8, 3])
    with pytest.raises(ValueError, match="Invalid data_format: 'NHCW'"):
        slim.conv2d(x, 4, [3, 3], data_format="NHCW")
    with pytest.raises(ValueError, match="The `kernel_size` argument must be a tuple of 2 integers"):
        slim.conv2d(x, 4, [3, 3, 3])
    with pytest.raises(ValueError, match='The `padding` argument must be one of "valid", "same"'):
        slim.conv2d(x, 4, [3, 3], padding="FULL")
    with pytest.raises(ValueError, match="reuse=True cannot be used without a name_or_scope"):
        slim.conv2d(x, 4, [3, 3], reuse=True)


def test_conv2d_reuse_shares_variables():
    x = tf.placeholder(tf.float32, [None, 8, 8, 3])
    a = slim.conv2d(x, 4, [3, 3], scope="conv1")
    b = slim.conv2d(x, 4, [3, 3], scope="conv1", reuse=True)
    assert len(tf.global_variables()) == 2
    assert b.name == "conv1_1/Relu:0" and a.name == "conv1/Relu:0"
    with pytest.raises(ValueError, match="Variable conv1/weights already exists, disallowed"):
        slim.conv2d(x, 4, [3, 3], scope="conv1")


def test_conv2d_trainable_and_collections():
    x = tf.placeholder(tf.float32, [None, 8, 8, 3])
    slim.conv2d(x, 4, [3, 3], trainable=False, variables_collections=["mine"], scope="frozen")
    slim.conv2d(x, 4, [3, 3], variables_collections={"weights": ["w_only"]}, outputs_collections="outs",
                scope="c2")
    assert tf.trainable_variables() == [v for v in tf.global_variables() if v.name.startswith("c2/")]
    assert _names(tf.get_collection("mine")) == ["frozen/weights:0", "frozen/biases:0"]
    assert _names(tf.get_collection("w_only")) == ["c2/weights:0"]
    assert _names(tf.get_collection("outs")) == ["c2/Relu:0"]
    assert list(slim.utils.convert_collection_to_dict("outs")) == ["c2"]


def test_conv2d_regularizers_and_their_names():
    x = tf.placeholder(tf.float32, [None, 8, 8, 3])
    slim.conv2d(x, 4, [3, 3], weights_regularizer=slim.l2_regularizer(0.5),
                biases_regularizer=slim.l1_regularizer(0.25), scope="conv1")
    slim.fully_connected(tf.placeholder(tf.float32, [None, 3]), 2, weights_regularizer=slim.l2_regularizer(1.0),
                         weights_initializer=tf.constant_initializer(2.0), scope="fc")
    regs = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert _names(regs) == ["conv1/kernel/Regularizer/l2_regularizer:0", "conv1/bias/Regularizer/l1_regularizer:0",
                            "fc/kernel/Regularizer/l2_regularizer:0"]
    assert _names(slim.losses.get_regularization_losses()) == _names(regs)
    w = tf.get_default_graph().get_tensor_by_name("conv1/weights:0")
    got, wv = _run(regs[0], w)
    np.testing.assert_allclose(got, 0.5 * np.sum(wv ** 2) / 2, rtol=1e-5)
    assert _run(regs[2]) == pytest.approx(1.0 * 6 * 4.0 / 2)
    # a reused layer adds no second loss
    slim.conv2d(x, 4, [3, 3], weights_regularizer=slim.l2_regularizer(0.5), scope="conv1", reuse=True)
    assert len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)) == 3


def test_conv2d_with_normalizer_fn_has_no_biases():
    x = tf.placeholder(tf.float32, [None, 8, 8, 3])
    net = slim.conv2d(x, 4, [3, 3], normalizer_fn=slim.batch_norm, normalizer_params={"decay": 0.9},
                      scope="conv1")
    assert net.name.startswith("conv1/") and net.op.type == "Relu"
    names = _names(tf.global_variables())
    assert "conv1/biases:0" not in names
    assert names == ["conv1/weights:0", "conv1/BatchNorm/beta:0", "conv1/BatchNorm/moving_mean:0",
                     "conv1/BatchNorm/moving_variance:0"]


def test_conv2d_in_arg_scope_with_batch_norm():
    x = tf.placeholder(tf.float32, [None, 8, 8, 3])
    with slim.arg_scope([slim.conv2d], normalizer_fn=slim.batch_norm):
        with slim.arg_scope([slim.batch_norm], scale=True):
            slim.conv2d(x, 4, [3, 3], scope="c")
    assert "c/BatchNorm/gamma:0" in _names(tf.global_variables())


def test_fully_connected_names_values_and_rank3():
    xv = np.array([[1.0, 2.0], [3.0, -1.0]], np.float32)
    wv = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]], np.float32)
    fc = slim.fully_connected(tf.constant(xv), 3, weights_initializer=tf.constant_initializer(wv), scope="fc")
    assert fc.name == "fc/Relu:0" and fc.op.inputs[0].op.type == "BiasAdd"
    np.testing.assert_allclose(_run(fc), np.maximum(xv @ wv, 0), rtol=1e-6)
    x3 = tf.placeholder(tf.float32, [None, 5, 2])
    y3 = slim.fully_connected(x3, 3, weights_initializer=tf.constant_initializer(wv), activation_fn=None)
    assert y3.get_shape().as_list() == [None, 5, 3]
    assert _names(tf.global_variables())[2:] == ["fully_connected/weights:0", "fully_connected/biases:0"]
    x3v = np.arange(20, dtype=np.float32).reshape(2, 5, 2)
    np.testing.assert_allclose(_run(y3, feed_dict={x3: x3v}), x3v @ wv, rtol=1e-6)


def test_fully_connected_errors():
    with pytest.raises(ValueError, match="num_outputs type should be one of \\[<class 'int'>\\], got <class 'float'>"):
        slim.fully_connected(tf.placeholder(tf.float32, [None, 3]), 2.0)
    with pytest.raises(ValueError, match="The last dimension of the inputs to `Dense` should be defined"):
        slim.fully_connected(tf.placeholder(tf.float32, [None, None]), 2)
    with pytest.raises(ValueError, match="expected min_ndim=2, found ndim=1"):
        slim.fully_connected(tf.placeholder(tf.float32, [3]), 2)


def test_pooling_flatten_and_their_names():
    x = tf.placeholder(tf.float32, [None, 28, 28, 16])
    pool = slim.max_pool2d(x, [2, 2], scope="pool1")
    avg = slim.avg_pool2d(x, 3, stride=1, padding="SAME")
    flat = slim.flatten(pool)
    assert pool.name == "pool1/MaxPool:0" and pool.get_shape().as_list() == [None, 14, 14, 16]
    assert avg.name == "AvgPool2D/AvgPool:0" and avg.get_shape().as_list() == [None, 28, 28, 16]
    assert flat.name.startswith("Flatten/") and flat.get_shape().as_list() == [None, 14 * 14 * 16]
    xv = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    np.testing.assert_array_equal(_run(slim.max_pool2d(tf.constant(xv), [2, 2])).ravel(), [5, 7, 13, 15])
    assert tf.global_variables() == []


def test_dropout_is_training_bool_and_tensor():
    x = tf.ones([200, 50])
    assert slim.dropout(x, 0.5, is_training=False).name.startswith("Dropout/")
    off = slim.dropout(x, 0.5, is_training=False)
    on = slim.dropout(x, 0.5, is_training=True, scope="drop")
    assert on.name.startswith("drop/")
    flag = tf.placeholder(tf.bool, [])
    fed = slim.dropout(x, 0.5, is_training=flag)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(off), np.ones((200, 50)))
        a = sess.run(on)
        assert set(np.unique(a)) <= {0.0, 2.0} and 0.4 < (a == 0).mean() < 0.6
        np.testing.assert_array_equal(sess.run(fed, {flag: False}), np.ones((200, 50)))
        b = sess.run(fed, {flag: True})
        assert set(np.unique(b)) <= {0.0, 2.0} and 0.4 < (b == 0).mean() < 0.6


def test_one_hot_bias_add_unit_norm():
    oh = slim.one_hot_encoding(tf.constant([0, 2, 1]), 3)
    assert oh.name.startswith("OneHotEncoding/")
    np.testing.assert_array_equal(_run(oh), np.eye(3)[[0, 2, 1]])
    x = tf.placeholder(tf.float32, [None, 4, 4, 3])
    b = slim.bias_add(x, initializer=tf.constant_initializer(1.0))
    assert _names(tf.global_variables()) == ["BiasAdd/biases:0"]
    assert _names(slim.get_model_variables()) == ["BiasAdd/biases:0"]
    np.testing.assert_array_equal(_run(b, feed_dict={x: np.zeros((1, 4, 4, 3))}), np.ones((1, 4, 4, 3)))
    v = np.array([[3.0, 4.0], [6.0, 8.0]], np.float32)
    np.testing.assert_allclose(_run(slim.unit_norm(tf.constant(v), 1)), v / [[5.0], [10.0]], rtol=1e-5)
    with pytest.raises(ValueError, match="dim must be positive but smaller than the input rank."):
        slim.unit_norm(tf.constant(v), 2)


def test_layer_norm():
    xv = np.array([[1.0, 2.0, 3.0, 6.0], [0.0, -1.0, 1.0, 4.0]], np.float32)
    y = slim.layer_norm(tf.constant(xv), scope="ln")
    assert _names(tf.global_variables()) == ["ln/beta:0", "ln/gamma:0"]
    mean, var = xv.mean(1, keepdims=True), xv.var(1, keepdims=True)
    np.testing.assert_allclose(_run(y), (xv - mean) / np.sqrt(var + 1e-12), rtol=1e-4, atol=1e-5)


def test_conv2d_transpose_separable_and_in_plane():
    x = tf.placeholder(tf.float32, [None, 5, 6, 3])
    up = slim.conv2d_transpose(x, 4, [3, 3], stride=2, scope="up")
    upv = slim.conv2d_transpose(x, 4, [3, 3], stride=2, padding="VALID")
    assert up.get_shape().as_list() == [None, 10, 12, 4]
    assert upv.get_shape().as_list() == [None, 11, 13, 4]
    sep = slim.separable_conv2d(x, 8, [3, 3], depth_multiplier=2, scope="sep")
    dw = slim.separable_conv2d(x, None, [3, 3], depth_multiplier=2, scope="dw")
    inp = slim.conv2d_in_plane(x, [2, 1], scope="grad")
    assert sep.get_shape().as_list() == [None, 5, 6, 8]
    assert dw.get_shape().as_list() == [None, 5, 6, 6]
    assert inp.get_shape().as_list() == [None, 5, 6, 3]
    assert [(v.name, v.get_shape().as_list()) for v in tf.global_variables()] == [
        ("up/weights:0", [3, 3, 4, 3]), ("up/biases:0", [4]),
        ("Conv2d_transpose/weights:0", [3, 3, 4, 3]), ("Conv2d_transpose/biases:0", [4]),
        ("sep/depthwise_weights:0", [3, 3, 3, 2]), ("sep/pointwise_weights:0", [1, 1, 6, 8]), ("sep/biases:0", [8]),
        ("dw/depthwise_weights:0", [3, 3, 3, 2]), ("dw/biases:0", [6]),
        ("grad/weights:0", [2, 1, 1, 1]), ("grad/biases:0", [3])]
    xv = np.random.RandomState(1).randn(2, 5, 6, 3).astype(np.float32)
    outs = _run(up, upv, sep, dw, inp, feed_dict={x: xv})
    for t, v in zip([up, upv, sep, dw, inp], outs):
        assert list(v.shape) == [2] + t.get_shape().as_list()[1:]


def test_depthwise_values_match_per_channel_convolutions():
    rng = np.random.RandomState(2)
    xv = rng.randn(1, 5, 5, 2).astype(np.float32)
    kv = rng.randn(3, 3, 2, 2).astype(np.float32)
    y = slim.separable_conv2d(tf.constant(xv), None, [3, 3], depth_multiplier=2, activation_fn=None,
                              weights_initializer=tf.constant_initializer(kv), scope="dw")
    out = _run(y)
    for c in range(2):
        for m in range(2):
            ref = _conv2d_ref(xv[..., c:c + 1].astype(np.float64), kv[:, :, c:c + 1, m:m + 1].astype(np.float64))
            np.testing.assert_allclose(out[..., c * 2 + m], ref[..., 0], rtol=1e-4, atol=1e-4)


# =========================================================================== repeat and stack
def test_repeat_scopes_and_default_scope():
    x = tf.placeholder(tf.float32, [None, 16, 16, 3])
    net = slim.repeat(x, 3, slim.conv2d, 8, [3, 3], scope="conv3")
    assert net.name == "conv3/conv3_3/Relu:0"
    assert _names(slim.get_variables("conv3"))[::2] == ["conv3/conv3_1/weights:0", "conv3/conv3_2/weights:0",
                                                        "conv3/conv3_3/weights:0"]
    slim.repeat(x, 2, slim.conv2d, 8, [3, 3])
    assert _names(slim.get_variables("Repeat"))[::2] == ["Repeat/convolution2d_1/weights:0",
                                                         "Repeat/convolution2d_2/weights:0"]


def test_stack_scopes_and_tuple_arguments():
    x = tf.placeholder(tf.float32, [None, 20])
    s = slim.stack(x, slim.fully_connected, [32, 64, 128], scope="fc")
    assert s.name == "fc/fc_3/Relu:0" and s.get_shape().as_list() == [None, 128]
    c = slim.stack(tf.placeholder(tf.float32, [None, 8, 8, 3]), slim.conv2d, [(8, [3, 3]), (16, [1, 1])])
    assert c.name == "Stack/convolution2d_2/Relu:0"
    with pytest.raises(ValueError, match="stack_args need to be a list or tuple"):
        slim.stack(x, slim.fully_connected, 32)


# =========================================================================== end points
def test_outputs_collections_aliases_and_convert_collection_to_dict():
    x = tf.placeholder(tf.float32, [None, 8, 8, 3])
    with tf.variable_scope("net") as sc:
        ep = sc.original_name_scope + "_end_points"
        with slim.arg_scope([slim.conv2d, slim.max_pool2d], outputs_collections=ep):
            a = slim.conv2d(x, 4, [3, 3], scope="conv1")
            b = slim.max_pool2d(a, [2, 2], scope="pool1")
    d = slim.utils.convert_collection_to_dict(ep)
    assert list(d.items()) == [("net/conv1", a), ("net/pool1", b)]
    assert slim.utils.get_tensor_aliases(a) == ["net/conv1"]
    assert slim.utils.get_tensor_aliases(x) == [x.op.name]
    slim.utils.convert_collection_to_dict(ep, clear_collection=True)
    assert tf.get_collection(ep) == []


# =========================================================================== slim.losses
def test_slim_losses_values_and_argument_order():
    logits = tf.constant([[1.0, 2.0, 0.5], [0.1, -1.0, 3.0]])
    onehot = tf.constant([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    xent = slim.losses.softmax_cross_entropy(logits, onehot)
    sparse = slim.losses.sparse_softmax_cross_entropy(logits, tf.constant([1, 0]))
    weighted = slim.losses.softmax_cross_entropy(logits, onehot, weights=tf.constant([1.0, 0.0]))
    mse = slim.losses.mean_squared_error(tf.constant([[3.0, 6.0], [9.0, -3.0]]), tf.constant([[1.0, 1.0], [2.0, 0.0]]))
    absd = slim.losses.absolute_difference(tf.constant([1.0, -2.0]), tf.constant([0.0, 0.0]))
    assert xent.name == "softmax_cross_entropy_loss/value:0" and xent.get_shape().as_list() == []
    lv = np.array([[1.0, 2.0, 0.5], [0.1, -1.0, 3.0]])
    per = -np.log(np.exp(lv) / np.exp(lv).sum(1, keepdims=True))[[0, 1], [1, 0]]
    got = _run(xent, sparse, weighted, mse, absd)
    np.testing.assert_allclose(got[:3], [per.mean(), per.mean(), per[0]], rtol=1e-5)
    assert got[3] == pytest.approx(21.75) and got[4] == pytest.approx(1.5)
    assert len(slim.losses.get_losses()) == 5
    assert len(tf.losses.get_losses()) == 5
    with pytest.raises(ValueError, match="Shapes \\(2, 3\\) and \\(2, 2\\) are incompatible"):
        slim.losses.softmax_cross_entropy(logits, tf.constant([[1.0, 0.0], [0.0, 1.0]]))


def test_slim_losses_total_loss_with_regularization():
    x = tf.constant([[1.0, 2.0]])
    pred = slim.fully_connected(x, 2, activation_fn=None, weights_initializer=tf.constant_initializer(1.0),
                                weights_regularizer=slim.l2_regularizer(0.5), scope="fc")
    loss = slim.losses.mean_squared_error(pred, tf.constant([[3.0, 1.0]]))
    total = slim.losses.get_total_loss()
    no_reg = slim.losses.get_total_loss(add_regularization_losses=False)
    assert total.name == "total_loss:0"
    lv, tv, nv = _run(loss, total, no_reg)
    assert lv == pytest.approx(2.0) and nv == pytest.approx(2.0) and tv == pytest.approx(2.0 + 0.5 * 4 / 2)
    slim.losses.add_loss(tf.constant(1.0))
    assert len(slim.losses.get_losses()) == 2


# =========================================================================== variables
def test_variable_and_model_variable_collections():
    with tf.variable_scope("A"):
        v = slim.variable("v", [2], initializer=tf.zeros_initializer(), collections=["c"])
        m = slim.model_variable("m", [3], regularizer=slim.l2_regularizer(0.1))
        slim.variable("local", [1], collections=[tf.GraphKeys.LOCAL_VARIABLES], trainable=False)
    assert v.name == "A/v:0" and m.name == "A/m:0"
    assert tf.get_collection("c") == [v]
    assert v not in tf.global_variables()  # collections replace the default
    assert tf.global_variables() == [m] and slim.get_model_variables() == [m]
    assert _names(slim.get_local_variables()) == ["A/local:0"]
    assert _names(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)) == ["A/m/Regularizer/l2_regularizer:0"]
    with slim.arg_scope([slim.model_variable], trainable=False):
        frozen = slim.model_variable("frozen", [1])
    assert frozen not in tf.trainable_variables()
    slim.add_model_variable(v)
    slim.add_model_variable(v)
    assert slim.get_model_variables() == [m, frozen, v]


def test_get_variables_to_restore_prefix_semantics():
    with tf.variable_scope("vgg_16"):
        for s in ("conv1", "fc8", "fc8b"):
            with tf.variable_scope(s):
                tf.get_variable("weights", [1])
    with tf.variable_scope("opt/vgg_16/fc8"):
        tf.get_variable("weights", [1])
    assert _names(slim.get_variables_to_restore(exclude=["vgg_16/fc8"])) == [
        "vgg_16/conv1/weights:0", "opt/vgg_16/fc8/weights:0"]
    assert _names(slim.get_variables_to_restore(include=["vgg_16/conv1", "opt"])) == [
        "vgg_16/conv1/weights:0", "opt/vgg_16/fc8/weights:0"]
    with pytest.raises(TypeError, match="exclude is provided but is not a list or a tuple."):
        slim.get_variables_to_restore(exclude="vgg_16/fc8")
    with pytest.raises(TypeError, match="include is provided but is not a list or a tuple."):
        slim.get_variables_to_restore(include="vgg_16")
    assert _names(slim.filter_variables(tf.global_variables(), include_patterns=["fc8"],
                                        exclude_patterns=["opt"])) == ["vgg_16/fc8/weights:0", "vgg_16/fc8b/weights:0"]
    assert slim.get_unique_variable("vgg_16/fc8/weights").name == "vgg_16/fc8/weights:0"
    with pytest.raises(ValueError, match="Couldn't find variable nothere"):
        slim.get_unique_variable("nothere")


def test_assign_from_values_fn():
    with tf.variable_scope("s"):
        w = tf.get_variable("w", [2, 2])
    init_fn = slim.assign_from_values_fn({"s/w": np.arange(4, dtype=np.float32)})
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        init_fn(sess)
        np.testing.assert_array_equal(sess.run(w), [[0, 1], [2, 3]])
    with pytest.raises(ValueError, match="Variable nothere wasn't found"):
        slim.assign_from_values({"nothere": np.zeros(1)})


def test_model_analyzer_analyze_vars_prints_tf_slims_table():
    x = tf.placeholder(tf.float32, [None, 8, 8, 3])
    slim.conv2d(x, 4, [3, 3], scope="conv1")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        size, nbytes = slim.model_analyzer.analyze_vars(tf.trainable_variables(), print_info=True)
    assert (size, nbytes) == (112, 448)
    assert out.getvalue().splitlines() == [
        "---------", "Variables: name (type shape) [size]", "---------",
        "conv1/weights:0 (float32_ref 3x3x3x4) [108, bytes: 432]",
        "conv1/biases:0 (float32_ref 4) [4, bytes: 16]",
        "Total size of variables: 112", "Total bytes of variables: 448"]
    assert slim.model_analyzer.analyze_ops(tf.get_default_graph()) > 0


# =========================================================================== checkpoints
def test_assign_from_checkpoint_fn_on_tf_v1_checkpoint_skips_fc8():
    """The fine-tuning recipe on a V1 checkpoint written by real TF with slim's vgg_16 names."""
    fixture = SHARED / "fixtures" / "tf_checkpoint_v1"
    expected = np.load(fixture / "expected_values.npz", allow_pickle=False)
    x = tf.placeholder(tf.float32, [None, 4, 4, 3])
    with tf.variable_scope("vgg_16"):
        net = slim.repeat(x, 1, slim.conv2d, 8, [3, 3], scope="conv1")
        slim.conv2d(net, 10, [1, 1], activation_fn=None, weights_initializer=tf.constant_initializer(0.25),
                    scope="fc8")
    to_restore = slim.get_variables_to_restore(exclude=["vgg_16/fc8"])
    assert _names(to_restore) == ["vgg_16/conv1/conv1_1/weights:0", "vgg_16/conv1/conv1_1/biases:0"]
    init_fn = slim.assign_from_checkpoint_fn(str(fixture / "model_v1.ckpt"), to_restore, ignore_missing_vars=True)
    g = tf.get_default_graph()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        init_fn(sess)
        w, b, fc8 = sess.run([g.get_tensor_by_name("vgg_16/conv1/conv1_1/weights:0"),
                              g.get_tensor_by_name("vgg_16/conv1/conv1_1/biases:0"),
                              g.get_tensor_by_name("vgg_16/fc8/weights:0")])
    np.testing.assert_array_equal(w, expected["vgg_16__conv1__conv1_1__weights"])
    np.testing.assert_array_equal(b, expected["vgg_16__conv1__conv1_1__biases"])
    np.testing.assert_array_equal(fc8, np.full((1, 1, 8, 10), 0.25, np.float32))


def test_assign_from_checkpoint_fn_missing_and_empty():
    d = tempfile.mkdtemp()
    try:
        with tf.variable_scope("net"):
            a = tf.get_variable("a", [2], initializer=tf.constant_initializer(3.0))
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = saver.save(sess, os.path.join(d, "model"))
        tf.reset_default_graph()
        with tf.variable_scope("net"):
            a = tf.get_variable("a", [2])
            b = tf.get_variable("b", [2])
        with pytest.raises(ValueError, match="var_list cannot be empty"):
            slim.assign_from_checkpoint_fn(path, [])
        assert slim.assign_from_checkpoint_fn(path, [b], ignore_missing_vars=True) is None
        op, feed = slim.assign_from_checkpoint(path, [a])
        with pytest.raises(ValueError, match="Checkpoint is missing variable \\[net/b\\]"):
            slim.assign_from_checkpoint(path, [a, b])
        with tf.Session() as sess:
            sess.run(op, feed)
            np.testing.assert_array_equal(sess.run(a), [3.0, 3.0])
            strict = slim.assign_from_checkpoint_fn(path, [a, b])
            with pytest.raises(tf.errors.NotFoundError):
                strict(sess)
    finally:
        shutil.rmtree(d, ignore_errors=True)


# =========================================================================== learning
def test_create_train_op_runs_update_ops_and_counts_steps():
    x = tf.constant([[1.0, 2.0]])
    pred = slim.fully_connected(x, 1, activation_fn=None, weights_initializer=tf.zeros_initializer(), scope="fc")
    loss = slim.losses.mean_squared_error(pred, tf.constant([[1.0]]))
    counter = tf.Variable(0.0, trainable=False, name="counter")
    tf.add_to_collection(tf.GraphKeys.UPDATE_OPS, tf.assign_add(counter, 1.0))
    train_op = slim.learning.create_train_op(loss, tf.train.GradientDescentOptimizer(0.1), clip_gradient_norm=10.0,
                                             summarize_gradients=True)
    assert train_op in tf.get_collection(tf.GraphKeys.TRAIN_OP)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(train_op)
        second = sess.run(train_op)
        assert first == pytest.approx(1.0) and second < first
        assert sess.run(counter) == 2.0 and sess.run(tf.train.get_global_step()) == 2


# =========================================================================== the lecture's slim slides
def test_lecture_slide_slim_conv_with_initializer_and_regularizer():
    inputs = tf.placeholder(tf.float32, [None, 64, 64, 3])
    net = slim.conv2d(inputs, 64, [11, 11], 4, padding='SAME',
                      weights_initializer=slim.xavier_initializer(),
                      weights_regularizer=slim.l2_regularizer(0.0005),
                      scope='conv1')
    assert net.get_shape().as_list() == [None, 16, 16, 64]
    assert len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)) == 1


def test_lecture_slide_arg_scope():
    """The slide's code, stride passed by keyword (by position it is given twice: TypeError, as in TF)."""
    inputs = tf.placeholder(tf.float32, [None, 224, 224, 3])
    he_init = slim.variance_scaling_initializer()
    xavier_init = slim.xavier_initializer()
    with slim.arg_scope([slim.conv2d, slim.fully_connected],
                        activation_fn=tf.nn.relu,
                        weights_initializer=he_init,
                        weights_regularizer=slim.l2_regularizer(0.0005)):
        with slim.arg_scope([slim.conv2d], stride=1, padding='SAME'):
            with pytest.raises(TypeError, match="convolution2d\\(\\) got multiple values for argument 'stride'"):
                slim.conv2d(inputs, 64, [11, 11], 4, scope='conv1')
            assert tf.global_variables() == []
            net = slim.conv2d(inputs, 64, [11, 11], stride=4, scope='conv1')
            net = slim.conv2d(net, 256, [5, 5],
                              weights_initializer=xavier_init,
                              scope='conv2')
            net = slim.fully_connected(net, 1000,
                                       activation_fn=None, scope='fc')
    assert net.get_shape().as_list() == [None, 56, 56, 1000]
    assert net.op.type == "BiasAdd"
    assert len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)) == 3


def test_lecture_slide_repeat_and_stack():
    net = tf.placeholder(tf.float32, [None, 32, 32, 3])
    net = slim.repeat(net, 3, slim.conv2d, 256, [3, 3], scope='conv3')
    net = slim.max_pool2d(net, [2, 2], scope='pool3')
    x = tf.placeholder(tf.float32, [None, 10])
    y = slim.stack(x, slim.fully_connected, [32, 64, 128], scope='fc')
    assert net.get_shape().as_list() == [None, 16, 16, 256]
    assert _names(slim.get_variables("fc"))[::2] == ["fc/fc_1/weights:0", "fc/fc_2/weights:0", "fc/fc_3/weights:0"]
    assert y.get_shape().as_list() == [None, 128]


def test_lecture_slide_losses():
    pred1 = tf.constant([[2.0, 1.0, 0.1]])
    label1 = tf.constant([[1.0, 0.0, 0.0]])
    pred2 = tf.constant([[0.5, 1.5]])
    label2 = tf.constant([[1.0, 1.0]])
    slim.fully_connected(tf.constant([[1.0]]), 1, weights_regularizer=slim.l2_regularizer(0.5),
                         weights_initializer=tf.constant_initializer(2.0))
    # 전체 loss 정의하기
    loss1 = slim.losses.softmax_cross_entropy(pred1, label1)
    loss2 = slim.losses.mean_squared_error(pred2, label2)
    # 아래 두줄은 같은 역할
    total_loss = loss1 + loss2
    total_loss2 = slim.losses.get_total_loss(add_regularization_losses=False)
    # regularizer 텀 추가하기
    reg_loss = tf.add_n(slim.losses.get_regularization_losses())
    total_loss3 = loss1 + loss2 + reg_loss
    # 아니면 아래처럼
    total_loss4 = slim.losses.get_total_loss()
    a, b, c, d = _run(total_loss, total_loss2, total_loss3, total_loss4)
    assert a == pytest.approx(b) and c == pytest.approx(d) and c == pytest.approx(a + 1.0)


def test_lecture_slide_model_loading_helpers():
    """The 'model loading' slide's helpers, with the slide's missing quote fixed."""
    d = tempfile.mkdtemp()
    try:
        def build(n_out):
            x = tf.placeholder(tf.float32, [None, 3])
            h = slim.fully_connected(x, 4, scope="fc7")
            return slim.fully_connected(h, n_out, scope="fc8")

        build(5)
        saver = tf.train.Saver(max_to_keep=30)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            saved = sess.run(tf.get_default_graph().get_tensor_by_name("fc7/weights:0"))
            saver.save(sess, os.path.join(d, "run"), global_step=100)
        tf.reset_default_graph()
        build(10)

        def load_latest_checkpoint(sess, ckpt_dir, exclude=None):
            path = tf.train.latest_checkpoint(ckpt_dir)
            if path is None:
                raise AssertionError("No ckpt exists")
            print("Load {} save file".format(path))
            _load(sess, path, exclude)

        def _load(sess, ckpt_path, exclude):
            init_fn = slim.assign_from_checkpoint_fn(ckpt_path,
                                                     slim.get_variables_to_restore(exclude=exclude),
                                                     ignore_missing_vars=True)
            init_fn(sess)

        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            with contextlib.redirect_stdout(io.StringIO()):
                load_latest_checkpoint(sess, d, exclude=["fc8"])
            np.testing.assert_array_equal(sess.run(tf.get_default_graph().get_tensor_by_name("fc7/weights:0")),
                                          saved)
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_learning_train_logs_saves_and_resumes():
    d = tempfile.mkdtemp()
    try:
        rng = np.random.RandomState(0)
        xv = rng.rand(8, 6, 6, 1).astype(np.float32)
        yv = np.eye(2, dtype=np.float32)[rng.randint(0, 2, 8)]
        x, y = tf.constant(xv), tf.constant(yv)
        net = slim.conv2d(x, 4, [3, 3], scope="conv1")
        net = slim.max_pool2d(net, [2, 2], scope="pool1")
        logits = slim.fully_connected(slim.flatten(net), 2, activation_fn=None, scope="logits")
        slim.losses.softmax_cross_entropy(logits, y)
        total = slim.losses.get_total_loss()
        train_op = slim.learning.create_train_op(total, tf.train.GradientDescentOptimizer(0.5))
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            final = slim.learning.train(train_op, d, number_of_steps=6, log_every_n_steps=3)
        lines = out.getvalue().splitlines()
        assert [ln.split(":")[0] for ln in lines] == ["global step 3", "global step 6"]
        assert tf.train.latest_checkpoint(d).endswith("model.ckpt-6")
        with contextlib.redirect_stdout(io.StringIO()):
            slim.learning.train(train_op, d, number_of_steps=8, log_every_n_steps=1)
        assert tf.train.latest_checkpoint(d).endswith("model.ckpt-8")
        assert np.isfinite(final)
    finally:
        shutil.rmtree(d, ignore_errors=True)
