"""tf.gradients: the walk (paths summed, unconnected None, stop_gradient, several ys, integer
tensors, grad_ys), names under gradients/, broadcasting undone in one place, and the lecture's
XOR: a single-layer perceptron stays near log(2), a two-layer MLP learns it."""
import numpy as np
import pytest

import tfmini as tf


def run(fetches, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed)


def test_square_gradient_and_names():
    x = tf.constant(3.0)
    y = x * x
    (g,) = tf.gradients(y, x)
    assert g.name.startswith("gradients/")
    assert run(g) == pytest.approx(6.0)


def test_two_paths_are_summed_with_addn():
    x = tf.constant(2.0)
    y = x * 3.0 + tf.square(x)
    (g,) = tf.gradients(y, x)
    assert run(g) == pytest.approx(3.0 + 4.0)
    assert "AddN" in {op.type for op in tf.get_default_graph().get_operations()}


def test_unconnected_x_gives_none():
    x = tf.constant(1.0)
    z = tf.constant(2.0)
    y = x * 2.0
    assert tf.gradients(y, [x, z])[1] is None


def test_stop_gradient_op_and_argument():
    x = tf.constant(2.0)
    y = tf.stop_gradient(x * x) + x
    (g,) = tf.gradients(y, x)
    assert run(g) == pytest.approx(1.0)
    a = x * x
    b = a * x
    (g2,) = tf.gradients(b, x, stop_gradients=[a])
    assert run(g2) == pytest.approx(4.0)  # a treated as a constant: d(a * x)/dx = a


def test_several_ys_sum_their_gradients():
    x = tf.constant(2.0)
    g = tf.gradients([x * x, x * 5.0], x)[0]
    assert run(g) == pytest.approx(4.0 + 5.0)


def test_grad_ys_weights_the_output():
    x = tf.constant([1.0, 2.0])
    y = x * x
    (g,) = tf.gradients(y, x, grad_ys=tf.constant([10.0, 100.0]))
    np.testing.assert_allclose(run(g), [20.0, 400.0])


def test_integer_tensors_carry_no_gradient():
    x = tf.constant(2.0)
    i = tf.cast(x, tf.int32)
    y = tf.cast(i * 3, tf.float32)
    assert tf.gradients(y, x) == [None]


def test_variables_are_differentiated_through_their_read():
    w = tf.Variable([[1.0, 2.0], [3.0, 4.0]], name="w")
    x = tf.constant([[1.0, 1.0]])
    y = tf.reduce_sum(tf.matmul(x, w))
    (g,) = tf.gradients(y, w)
    np.testing.assert_allclose(run(g), np.ones((2, 2)))


def test_broadcasting_is_undone_static_and_dynamic():
    a = tf.placeholder(tf.float32, [None, 3])
    b = tf.constant([1.0, 2.0, 3.0])
    c = tf.placeholder(tf.float32, [None, 1])
    y = a * b + c
    ga, gb, gc = tf.gradients(y, [a, b, c])
    av = np.arange(6, dtype=np.float32).reshape(2, 3)
    cv = np.ones((2, 1), np.float32)
    ra, rb, rc = run([ga, gb, gc], {a: av, c: cv})
    np.testing.assert_allclose(ra, np.tile([1.0, 2.0, 3.0], (2, 1)))
    np.testing.assert_allclose(rb, av.sum(axis=0))
    np.testing.assert_allclose(rc, [[3.0], [3.0]])
    assert gb.shape.as_list() == [3]


def test_gradient_override_map():
    @tf.RegisterGradient("TfminiTestDoubleGrad")
    def _double(op, grad):
        return [grad * 2.0]
    x = tf.constant(3.0)
    with tf.get_default_graph().gradient_override_map({"Identity": "TfminiTestDoubleGrad"}):
        y = tf.identity(x)
    (g,) = tf.gradients(y, x)
    assert run(g) == pytest.approx(2.0)


def _train(build, steps, lr):
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], np.float32)
    y = np.array([0, 1, 1, 0])
    inputs = tf.placeholder(tf.float32, [None, 2])
    label = tf.placeholder(tf.int64, [None])
    logit = build(inputs)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=label, logits=logit))
    opt = tf.train.GradientDescentOptimizer(lr).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(steps):
            _, lv = sess.run([opt, loss], {inputs: x, label: y})
        pred = sess.run(tf.argmax(logit, 1), {inputs: x})
    return lv, pred


def test_xor_single_layer_perceptron_stays_near_log2():
    tf.set_random_seed(0)

    def perceptron(inputs):
        w = tf.Variable(tf.random_normal([2, 2]))
        b = tf.Variable(tf.zeros([2]))
        return tf.matmul(inputs, w) + b
    loss, _ = _train(perceptron, 2000, 0.1)
    assert abs(loss - np.log(2)) < 0.01, loss


def test_xor_two_layer_mlp_learns_it():
    tf.set_random_seed(1)

    def mlp(inputs):
        w1 = tf.Variable(tf.random_normal([2, 8]))
        b1 = tf.Variable(tf.zeros([8]))
        h = tf.nn.relu(tf.matmul(inputs, w1) + b1)
        w2 = tf.Variable(tf.random_normal([8, 2]))
        b2 = tf.Variable(tf.zeros([2]))
        return tf.matmul(h, w2) + b2
    loss, pred = _train(mlp, 2000, 0.1)
    assert loss < 0.05, loss
    np.testing.assert_array_equal(pred, [0, 1, 1, 0])


@pytest.mark.parametrize("build, op_type", [
    (lambda tf, x: tf.image.resize_area(x, [2, 2]), "ResizeArea"),
    (lambda tf, x: tf.image.adjust_contrast(x, 2.0), "AdjustContrastv2"),
    (lambda tf, x: tf.image.adjust_hue(x, 0.1), "AdjustHue"),
    (lambda tf, x: tf.image.rgb_to_hsv(x), "RGBToHSV"),
    (lambda tf, x: tf.unique(tf.reshape(x, [-1]))[0], "Unique"),
])
def test_an_op_tensorflow_gives_no_gradient_is_its_lookup_error(build, op_type):
    # NO_GRADIENT ops: TF registers no gradient, so tf.gradients through them fails; NOT_DIFFERENTIABLE ones give None
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [1, 4, 4, 3])
    y = build(tf, x)
    op = next(o for o in tf.get_default_graph().get_operations() if o.type == op_type)
    with pytest.raises(LookupError, match=r"No gradient defined for operation '%s' \(op type: %s\)"
                       % (op.name, op_type)):
        tf.gradients(tf.reduce_sum(y), x)
    assert tf.gradients(tf.reduce_sum(tf.image.hsv_to_rgb(x)), x) == [None]
