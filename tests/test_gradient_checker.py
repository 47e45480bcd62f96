"""tf.hessians and tf.test.compute_gradient / compute_gradient_error, against what TF 2.21's tf.compat.v1 gives
(tests/data/gen/gradient_checker.py writes tests/data/tf_gradient_checker.json)."""
import json
import pathlib

import numpy as np
import pytest

import tfmini as tf

GOLDEN = json.loads((pathlib.Path(__file__).parent / "data" / "tf_gradient_checker.json").read_text())
X0, W0 = np.array(GOLDEN["x0"]), np.array(GOLDEN["w0"])


def _function(dtype):
    x = tf.placeholder(dtype, [2, 3])
    w = tf.placeholder(dtype, [3])
    return x, w, tf.reduce_sum(tf.sin(x) * w, axis=0) + tf.reduce_prod(x, axis=0)


@pytest.mark.parametrize("dtype, key, rtol", [(tf.float64, "f64", 1e-9), (tf.float32, "f32", 2e-3)])
def test_compute_gradient_matches_tf(dtype, key, rtol, backend):
    tf.reset_default_graph()
    x, w, y = _function(dtype)
    want = GOLDEN[key]
    x0 = X0.astype(dtype.as_numpy_dtype)
    with tf.Session():
        t, n = tf.test.compute_gradient(x, [2, 3], y, [3], x_init_value=x0, extra_feed_dict={w: W0})
        pairs = tf.test.compute_gradient([x, w], [[2, 3], [3]], y, [3], x_init_value=[x0, W0.astype(x0.dtype)],
                                         delta=1e-2, extra_feed_dict={x: X0, w: W0})
        err = tf.test.compute_gradient_error(x, [2, 3], y, [3], x_init_value=x0, extra_feed_dict={w: W0})
    assert t.shape == n.shape == (6, 3) and t.dtype == n.dtype == dtype.as_numpy_dtype
    exact = 1e-6 if key == "f32" else 1e-12  # float32: a last-bit difference in sin/cos
    np.testing.assert_allclose(t, want["theoretical"], rtol=exact, atol=exact)
    np.testing.assert_allclose(n, want["numerical"], rtol=rtol, atol=rtol)
    assert len(pairs) == 2 and pairs[1][0].shape == (3, 3)
    for (gt, gn), (wt, wn) in zip(pairs, want["list"]):
        np.testing.assert_allclose(gt, wt, rtol=exact, atol=exact)
        np.testing.assert_allclose(gn, wn, rtol=rtol, atol=rtol)
    assert err == np.abs(t - n).max()  # the same random-free evaluation, once more
    if key == "f64":
        np.testing.assert_allclose(err, want["error"], rtol=1e-3)
    else:  # float32: rounding noise of the differences, TF's about as large
        assert err < 1e-3 and want["error"] < 1e-3


def test_compute_gradient_errors():
    tf.reset_default_graph()
    x = tf.placeholder(tf.int32, [2])
    with tf.Session():
        with pytest.raises(AssertionError, match=r"^Don't support type int32 for x$"):
            tf.test.compute_gradient(x, [2], tf.cast(x, tf.float32), [2])
        f = tf.placeholder(tf.float64, [2])
        with pytest.raises(AssertionError, match=r"^x_shape = \[2\], init_data shape = \[3\]$"):
            tf.test.compute_gradient(f, [2], f * 2.0, [2], x_init_value=np.ones(3))
    with pytest.raises(ValueError, match=r"^Cannot evaluate tensor using `eval\(\)`: No default session"):
        tf.test.compute_gradient(f, [2], f * 2.0, [2])


def test_compute_gradient_error_finds_a_wrong_gradient():
    """A gradient overridden to be wrong (RegisterGradient + gradient_override_map) shows as a large error."""
    tf.reset_default_graph()

    @tf.RegisterGradient("A2WrongSquareGrad")
    def _wrong(op, grad):
        return [grad * 3.0 * op.inputs[0]]

    x = tf.placeholder(tf.float64, [4])
    with tf.get_default_graph().gradient_override_map({"Square": "A2WrongSquareGrad"}):
        y = tf.square(x)
    with tf.Session():
        err = tf.test.compute_gradient_error(x, [4], y, [4], x_init_value=np.array([1.0, 2.0, -1.0, 0.5]))
        good = tf.test.compute_gradient_error(x, [4], tf.square(x), [4], x_init_value=np.array([1.0, 2.0, -1.0, 0.5]))
    assert err == pytest.approx(2.0, rel=1e-6) and good < 1e-8


def test_hessians_match_tf(backend):
    tf.reset_default_graph()
    x = tf.placeholder(tf.float64, [3])
    m = tf.placeholder(tf.float64, [2, 2])
    y = tf.reduce_sum(x ** 3) + x[0] * x[1] + tf.reduce_sum(tf.matmul(m, m)) * tf.reduce_sum(x)
    hx, hm = tf.hessians(y, [x, m])
    want = GOLDEN["hessians"]
    assert [hx.name, hm.name] == want["names"] and [hx.shape.as_list(), hm.shape.as_list()] == want["shapes"]
    assert {"TensorArrayWriteV3", "LoopCond", "TensorArrayGatherV3"} <= {o.type for o in
                                                                        tf.get_default_graph().get_operations()}
    with tf.Session() as sess:
        vx, vm = sess.run([hx, hm], {x: [1.0, 2.0, 3.0], m: [[1.0, 2.0], [3.0, 4.0]]})
    np.testing.assert_allclose(vx, want["x"], rtol=1e-12)
    np.testing.assert_allclose(vm, want["m"], rtol=1e-12)
    np.testing.assert_allclose(vx, np.diag([6.0, 12.0, 18.0]) + [[0, 1, 0], [1, 0, 0], [0, 0, 0]])


def test_hessians_of_an_unconnected_tensor():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float64, [3])
    with pytest.raises(ValueError, match=r"^Tried to convert 'tensor' to a tensor and failed\. Error: None values "
                                         r"not supported\.$"):
        tf.hessians(tf.reduce_sum(x), tf.placeholder(tf.float64, [2]))
