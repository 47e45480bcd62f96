"""Writes tests/data/tf_grad_graphs.json: the gradient graphs TF 2.21 (tf.compat.v1, control flow v1) builds for
typical lecture programs, as (name, type, inputs) of every node under `gradients/`.

Run with TensorFlow installed:  /tmp/tfvenv/bin/python tests/data/gen/grad_graphs.py
tests/test_grad_graphs.py builds the same programs (PROGRAMS below) with tfmini and compares.
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tf_grad_graphs.json")


# =========================================================================== the programs (tf is TF or tfmini)
def perceptron_sigmoid(tf):
    """The lecture's perceptron: sigmoid output, squared error, reduce_mean, GradientDescent."""
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    t = tf.placeholder(tf.float32, [None, 1], name="t")
    w = tf.Variable(tf.random_normal([2, 1]), name="w")
    b = tf.Variable(tf.zeros([1]), name="b")
    y = tf.sigmoid(tf.matmul(x, w) + b)
    loss = tf.reduce_mean(tf.square(y - t))
    tf.train.GradientDescentOptimizer(0.1).minimize(loss)


def mlp_tanh_relu_adam(tf):
    """A two-layer MLP (tanh, relu), softmax cross-entropy, reduce_mean, Adam."""
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    y = tf.placeholder(tf.float32, [None, 3], name="y")
    w1 = tf.Variable(tf.random_normal([4, 8]), name="w1")
    b1 = tf.Variable(tf.zeros([8]), name="b1")
    w2 = tf.Variable(tf.random_normal([8, 8]), name="w2")
    b2 = tf.Variable(tf.zeros([8]), name="b2")
    w3 = tf.Variable(tf.random_normal([8, 3]), name="w3")
    h = tf.tanh(tf.matmul(x, w1) + b1)
    h = tf.nn.relu(tf.matmul(h, w2) + b2)
    logits = tf.matmul(h, w3)
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
    tf.train.AdamOptimizer(1e-3).minimize(loss)


def cnn_softmax(tf):
    """The lesson's CNN: conv + bias + relu, max_pool, dense, softmax cross-entropy, reduce_mean, Adam. (keep_prob
    scales the features: tf.nn.dropout's own graph is TF 2's SelectV2 form in TF 2.21, TF 1's Floor form in tfmini.)"""
    x = tf.placeholder(tf.float32, [None, 8, 8, 1], name="x")
    y = tf.placeholder(tf.float32, [None, 10], name="y")
    keep_prob = tf.placeholder(tf.float32, [], name="keep_prob")
    w = tf.Variable(tf.truncated_normal([3, 3, 1, 4], stddev=0.1), name="W_conv")
    b = tf.Variable(tf.constant(0.1, shape=[4]), name="b_conv")
    h = tf.nn.relu(tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding="SAME") + b)
    h = tf.nn.max_pool(h, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    h = tf.reshape(h, [-1, 4 * 4 * 4])
    h = h * keep_prob
    wf = tf.Variable(tf.truncated_normal([64, 10], stddev=0.1), name="W_fc")
    bf = tf.Variable(tf.constant(0.1, shape=[10]), name="b_fc")
    logits = tf.nn.bias_add(tf.matmul(h, wf), bf)
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits))
    tf.train.AdamOptimizer(1e-4).minimize(loss)


def batchnorm_l2(tf):
    """Batch norm by hand (tf.nn.moments + batch_normalization), l2_loss weight decay, reduce_sum, Momentum."""
    x = tf.placeholder(tf.float32, [16, 5], name="x")
    w = tf.Variable(tf.random_normal([5, 6]), name="w")
    gamma = tf.Variable(tf.ones([6]), name="gamma")
    beta = tf.Variable(tf.zeros([6]), name="beta")
    z = tf.matmul(x, w)
    mean, var = tf.nn.moments(z, [0])
    h = tf.nn.batch_normalization(z, mean, var, beta, gamma, 1e-3)
    loss = tf.reduce_sum(tf.nn.softplus(h)) + 1e-4 * tf.nn.l2_loss(w)
    tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss)


def lstm_step(tf):
    """One step of a BasicLSTMCell (sigmoid and tanh gates), reduce_sum loss, RMSProp."""
    x = tf.placeholder(tf.float32, [2, 3], name="x")
    cell = tf.nn.rnn_cell.BasicLSTMCell(4)
    state = cell.zero_state(2, tf.float32)
    out, _ = cell(x, state)
    loss = tf.reduce_sum(out)
    tf.train.RMSPropOptimizer(0.01).minimize(loss)


def unary_zoo(tf):
    """The elementwise functions with gradient ops of their own, and Sum/Mean over some axes."""
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    v = tf.Variable(tf.ones([3]), name="v")
    a = x * v + 2.0
    terms = [tf.sqrt(a), tf.rsqrt(a), tf.reciprocal(a), tf.sin(a), tf.cos(a), tf.nn.softsign(a), tf.nn.elu(a),
             tf.nn.selu(a), tf.nn.relu6(a), tf.exp(a), tf.log(a), tf.abs(a)]
    s = tf.add_n(terms)
    loss = tf.reduce_mean(tf.reduce_sum(s, axis=1)) + tf.reduce_sum(tf.reduce_mean(s, axis=0, keepdims=True))
    tf.gradients(loss, [v])


def mnist_softmax_by_hand(tf):
    """The classic MNIST tutorial: softmax, cross-entropy by hand (-sum(y_ * log(y))), GradientDescent."""
    x = tf.placeholder(tf.float32, [None, 6], name="x")
    y_ = tf.placeholder(tf.float32, [None, 4], name="y_")
    w = tf.Variable(tf.zeros([6, 4]), name="W")
    b = tf.Variable(tf.zeros([4]), name="b")
    y = tf.nn.softmax(tf.matmul(x, w) + b)
    loss = tf.reduce_mean(-tf.reduce_sum(y_ * tf.log(y), reduction_indices=[1]))
    loss += tf.reduce_mean(tf.clip_by_value(y, 1e-3, 1.0)) + tf.reduce_mean(tf.nn.log_softmax(y))
    tf.train.GradientDescentOptimizer(0.5).minimize(loss)


def dense_layers_regularized(tf):
    """tf.layers.dense with sigmoid and tanh activations, an l2 kernel regularizer, squared loss, Adam."""
    x = tf.placeholder(tf.float32, [None, 5], name="x")
    h = tf.layers.dense(x, 4, activation=tf.nn.sigmoid, kernel_regularizer=lambda w: 0.01 * tf.nn.l2_loss(w))
    h = tf.layers.dense(h, 3, activation=tf.nn.tanh)
    loss = tf.reduce_mean(tf.square(h)) + tf.add_n(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES))
    tf.train.AdamOptimizer().minimize(loss)


def pow_max_slices(tf):
    """Broadcasting Pow, Maximum, Minimum and RealDiv, reduce_max, concat, transpose, slicing, squeeze."""
    x = tf.placeholder(tf.float32, [4, 3], name="x")
    v = tf.Variable(tf.ones([3]), name="v")
    a = x * v
    b = tf.maximum(a, 0.5) + tf.minimum(a, 2.0) + tf.pow(a, 2.0) + a / v + tf.nn.softmax(a)
    loss = tf.reduce_sum(tf.reduce_max(b, axis=1)) + tf.reduce_sum(tf.concat([a, b], 1))
    loss += tf.reduce_sum(tf.transpose(a) ** 2) + tf.reduce_sum(tf.expand_dims(tf.squeeze(a[:, :1]), 0))
    tf.gradients(loss, [v])


def activations_momentum(tf):
    """leaky_relu, l2_normalize, elu, relu6, softplus, logsumexp and more; sigmoid and softmax cross-entropy;
    Nesterov momentum."""
    x = tf.placeholder(tf.float32, [None, 5], name="x")
    w = tf.Variable(tf.ones([5, 5]), name="w")
    z = tf.matmul(x, w)
    h = tf.nn.l2_normalize(tf.nn.leaky_relu(z), axis=1) + tf.nn.elu(z) + tf.nn.relu6(z) + tf.log1p(tf.abs(z))
    h = h + tf.reduce_logsumexp(z, axis=1, keepdims=True) + tf.nn.softplus(z) + tf.expm1(z) + tf.cos(z) + tf.tan(z)
    loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.zeros_like(h), logits=h))
    loss += tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=tf.nn.softmax(z), logits=h))
    tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True).minimize(loss)


def static_rnn_gru(tf):
    """A GRU unrolled over three steps (tf.nn.static_rnn), the last output summed, Adagrad."""
    x = tf.placeholder(tf.float32, [2, 3, 4], name="x")
    cell = tf.nn.rnn_cell.GRUCell(3)
    out, _ = tf.nn.static_rnn(cell, tf.unstack(x, axis=1), dtype=tf.float32)
    tf.train.AdagradOptimizer(0.1).minimize(tf.reduce_sum(out[-1]))


PROGRAMS = [perceptron_sigmoid, mlp_tanh_relu_adam, cnn_softmax, batchnorm_l2, lstm_step, unary_zoo,
            mnist_softmax_by_hand, dense_layers_regularized, pow_max_slices, activations_momentum, static_rnn_gru]


def gradient_nodes(tf, program):
    """[(name, type, [inputs...])] of every op under `gradients/` that `program` builds, in creation order
    (inputs as 'op:index' or '^op' for control inputs, as a GraphDef lists them)."""
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(0)
        program(tf)
    rows = []
    for op in g.get_operations():
        if not op.name.startswith("gradients/"):
            continue
        ins = ["%s:%d" % (t.op.name, t.value_index) for t in op.inputs] + ["^" + c.name for c in op.control_inputs]
        rows.append([op.name, op.type, ins])
    return rows


def main():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")  # tf.nn.rnn_cell
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    tf.disable_control_flow_v2()
    import tensorflow
    out = {"tensorflow": tensorflow.__version__, "programs": {p.__name__: gradient_nodes(tf, p) for p in PROGRAMS}}
    with open(OUT, "w") as f:
        json.dump(out, f, indent=0, sort_keys=True)
    print("wrote", OUT, sum(len(v) for v in out["programs"].values()), "nodes")


if __name__ == "__main__":
    np.random.seed(0)
    main()
