"""tf.layers as TF 1.x's Keras-based layers behave beyond the ops they build: activations named by string,
the input specs checked before a layer builds, and unnamed layers' names."""
import numpy as np
import pytest

import tfmini as tf


@pytest.mark.parametrize("name, op_type", [("relu", "Relu"), ("sigmoid", "Sigmoid"), ("tanh", "Tanh"),
                                           ("softmax", "Softmax"), ("elu", "Elu"), ("selu", "Selu"),
                                           ("softplus", "Softplus"), ("softsign", "Softsign"),
                                           ("exponential", "Exp"), ("linear", "BiasAdd")])
def test_activation_by_name(name, op_type):
    x = tf.placeholder(tf.float32, [None, 4])
    y = tf.layers.dense(x, 3, activation=name)
    assert y.op.type == op_type
    c = tf.layers.conv2d(tf.zeros([1, 5, 5, 2]), 3, 3, activation=name)
    assert c.op.type == op_type


def test_hard_sigmoid_by_name_and_its_values():
    x = tf.constant([[-10.0], [0.0], [1.0], [10.0]])
    y = tf.layers.dense(x, 1, activation="hard_sigmoid", kernel_initializer=tf.ones_initializer())
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        np.testing.assert_allclose(s.run(y), [[0.0], [0.5], [0.7], [1.0]], rtol=1e-6)


def test_unknown_activations_are_refused_when_the_layer_is_made():
    x = tf.placeholder(tf.float32, [None, 4])
    with pytest.raises(ValueError, match=r"^Unknown activation function:rleu$"):
        tf.layers.dense(x, 3, activation="rleu")
    with pytest.raises(ValueError, match=r"Could not interpret activation function identifier:"):
        tf.layers.Dense(3, activation=3)


def test_input_specs_are_checked_before_building():
    with pytest.raises(ValueError, match=r"^Input 0 of layer dense is incompatible with the layer: : expected "
                                         r"min_ndim=2, found ndim=1\. Full shape received: \[3\]$"):
        tf.layers.dense(tf.zeros([3]), 4)
    assert not tf.global_variables()  # refused before any variable was made
    with pytest.raises(ValueError, match=r"^Input 0 of layer conv2d is incompatible with the layer: expected ndim=4, "
                                         r"found ndim=3\. Full shape received: \[28, 28, 1\]$"):
        tf.layers.conv2d(tf.placeholder(tf.float32, [28, 28, 1]), 32, 3)
    with pytest.raises(ValueError, match=r"^Input 0 of layer max_pooling2d is incompatible with the layer: expected "
                                         r"ndim=4, found ndim=2\. Full shape received: \[None, 3\]$"):
        tf.layers.max_pooling2d(tf.placeholder(tf.float32, [None, 3]), 2, 2)


def test_a_built_layer_checks_its_input_depth():
    layer = tf.layers.Dense(2)
    layer(tf.placeholder(tf.float32, [None, 4]))
    layer(tf.placeholder(tf.float32, [None, None]))  # unknown: accepted, as in Keras
    with pytest.raises(ValueError, match=r"^Input 0 of layer dense is incompatible with the layer: expected axis -1 "
                                         r"of input shape to have value 4 but received input with shape \[2, 5\]$"):
        layer(tf.zeros([2, 5]))
    conv = tf.layers.Conv2D(4, 3)
    conv(tf.zeros([1, 5, 5, 2]))
    with pytest.raises(ValueError, match=r"expected axis -1 of input shape to have value 2 but received input with "
                                         r"shape \[1, 5, 5, 3\]$"):
        conv(tf.zeros([1, 5, 5, 3]))


def test_unnamed_layers_get_unique_names_per_graph():
    x = tf.placeholder(tf.float32, [None, 4])
    a, b, c = tf.layers.Dense(3), tf.layers.Dense(3), tf.layers.Dense(3, name="fc")
    assert (a.name, b.name, c.name) == ("dense", "dense_1", "fc")
    assert (a(x).name, b(x).name, c(x).name) == ("dense/BiasAdd:0", "dense_1/BiasAdd:0", "fc/BiasAdd:0")
    with tf.Graph().as_default():
        assert tf.layers.Dense(3).name == "dense"


def test_an_input_of_unknown_rank_is_refused():
    with pytest.raises(ValueError, match=r"^Input 0 of layer conv2d is incompatible with the layer: its rank is "
                                         r"undefined, but the layer requires a defined rank\.$"):
        tf.layers.conv2d(tf.placeholder(tf.float32), 4, 3)
    with pytest.raises(ValueError, match=r"^Input 0 of layer dense is incompatible with the layer: its rank is "):
        tf.layers.dense(tf.placeholder(tf.float32), 4)


def test_a_numpy_input_becomes_one_constant_outside_the_layer():
    tf.layers.dense(np.ones((3, 4), np.float32), 2)
    consts = [op.name for op in tf.get_default_graph().get_operations() if op.type == "Const"
              and not op.name.startswith("dense/kernel") and not op.name.startswith("dense/bias")]
    assert consts == ["Const"]


def test_a_nested_list_is_several_inputs_as_in_keras():
    with pytest.raises(ValueError, match=r"^Layer dense expects 1 inputs, but it received 2 input tensors\. Inputs "
                                         r"received: \[<tf\.Tensor 'Const:0' shape=\(\) dtype=float32>, "):
        tf.layers.dense([[1.0, 2.0]], 4)
