"""tf.test: TF 1.x's numerical gradient check (compute_gradient, compute_gradient_error) for the default session, and
tf.test.TestCase with main, get_temp_dir, is_gpu_available and gpu_device_name (test_case.py)."""
import numpy as np

from ..framework import dtypes
from ..framework.api_hook import tf_module_getattr
from ..framework.indexed_slices import IndexedSlices
from ..framework.ops import convert_to_tensor, get_default_session

__all__ = ["compute_gradient", "compute_gradient_error"]

_FLOAT_TYPES = (dtypes.float16, dtypes.float32, dtypes.float64)


def _size(shape):
    return int(np.prod(shape, dtype=np.int64)) if not isinstance(shape, int) else shape


def _feeds(extra, new):
    feeds = dict(extra or {})
    feeds.update(new)
    return feeds


def _session():
    sess = get_default_session()
    if sess is None:
        raise ValueError("Cannot evaluate tensor using `eval()`: No default session is registered. Use `with "
                         "sess.as_default()` or pass an explicit session to `eval(session=sess)`")
    return sess


def _dx_and_dy(x, y, y_shape):
    """The gradient of y with respect to x for a fed output gradient dy (an Identity of ones, which is fed)."""
    from ..gradients import gradients
    from ..ops.array_ops import identity
    from ..ops.constant_op import constant
    with x.graph.as_default():
        dy = identity(constant(1.0, shape=y_shape, dtype=y.dtype.base_dtype))
    return gradients(y, x, dy)[0], dy


def _theoretical_jacobian(x, x_shape, x_data, dy, dy_shape, dx, extra):
    """Column j: the gradient tf.gradients gives for an output gradient that is 1 at y's entry j, 0 elsewhere."""
    sess = _session()
    x_size, dy_size = _size(x_shape), _size(dy_shape)
    jacobian = np.zeros((x_size, dy_size), dtype=x.dtype.base_dtype.as_numpy_dtype)
    dy_data = np.zeros(dy_shape, dtype=dy.dtype.base_dtype.as_numpy_dtype)
    flat = dy_data.reshape(-1)
    sparse = isinstance(dx, IndexedSlices)  # tf.gather's gradient: its slices summed into their rows, as TF
    row_size = int(np.prod(x_shape[1:])) if sparse else 0
    for col in range(dy_size):
        flat[col] = 1
        if sparse:
            indices, values = sess.run([dx.indices, dx.values], _feeds(extra, {x: x_data, dy: dy_data}))
            for i, v in zip(indices, values):
                jacobian[i * row_size:(i + 1) * row_size, col] += v.reshape(-1)
        else:
            jacobian[:, col] = np.asarray(sess.run(dx, _feeds(extra, {x: x_data, dy: dy_data}))).reshape(-1)
        flat[col] = 0
    if not dy_size:
        dense = convert_to_tensor(dx) if sparse else dx
        backprop = np.asarray(sess.run(dense, _feeds(extra, {x: x_data, dy: dy_data})))
        if backprop.shape != x_data.shape:
            raise ValueError("Empty gradient has wrong shape: expected %s, got %s" % (x_data.shape, backprop.shape))
        if np.any(backprop):
            raise ValueError("Empty tensor with nonzero gradients")
    return jacobian


def _numeric_jacobian(x, x_shape, x_data, y, y_shape, delta, extra):
    """Row i: (y(x + delta e_i) - y(x - delta e_i)) / (2 delta), central differences in x's dtype."""
    sess = _session()
    x_size, y_size = _size(x_shape), _size(y_shape)
    x_dtype = x.dtype.base_dtype.as_numpy_dtype
    y_dtype = y.dtype.base_dtype.as_numpy_dtype
    x_data = np.asarray(x_data, dtype=x_dtype)
    scale = np.asarray(2 * delta, dtype=y_dtype)[()]
    jacobian = np.zeros((x_size, y_size), dtype=x_dtype)
    for row in range(x_size):
        x_pos, x_neg = x_data.copy(), x_data.copy()
        x_pos.reshape(-1)[row] += delta
        x_neg.reshape(-1)[row] -= delta
        y_pos = np.asarray(sess.run(y, _feeds(extra, {x: x_pos})))
        y_neg = np.asarray(sess.run(y, _feeds(extra, {x: x_neg})))
        jacobian[row, :] = ((y_pos - y_neg) / scale).reshape(-1)
    return jacobian


def _one(x, x_shape, dx, y, y_shape, dy, x_init_value, delta, extra):
    for t, what in ((x, "x"), (y, "y")):
        if t.dtype.base_dtype not in _FLOAT_TYPES:
            raise AssertionError("Don't support type %s for %s" % (t.dtype.base_dtype.name, what))
    if x_init_value is not None:
        if list(x_shape) != list(x_init_value.shape):
            raise AssertionError("x_shape = %s, init_data shape = %s" % (x_shape, list(x_init_value.shape)))
        x_data = x_init_value
    else:
        x_data = np.random.random_sample(x_shape).astype(x.dtype.base_dtype.as_numpy_dtype)
    return (_theoretical_jacobian(x, x_shape, x_data, dy, y_shape, dx, extra),
            _numeric_jacobian(x, x_shape, x_data, y, y_shape, delta, extra))


def compute_gradient(x, x_shape, y, y_shape, x_init_value=None, delta=1e-3, init_targets=None,
                     extra_feed_dict=None):
    """The Jacobian of `y` with respect to `x` two ways, in the default session: (theoretical, numerical), each of
    shape [x size, y size]; theoretical from tf.gradients, numerical from central differences with step `delta`.
    `x` is a tensor that can be fed (a placeholder), with the values `x_init_value` (random in [0, 1) if None);
    a list of tensors gives a list of pairs. `init_targets` run first; `extra_feed_dict` feeds the rest.

    >>> with tf.Session():
    ...     t, n = tf.test.compute_gradient(x, [2, 3], tf.square(x), [2, 3])   # both 6 x 6, diagonal 2x
    """
    if isinstance(x, list):
        pairs = [_dx_and_dy(xi, y, y_shape) for xi in x]
        if init_targets is not None:
            for init in init_targets:
                _session().run(init)
        inits = x_init_value if x_init_value is not None else [None] * len(x)
        return [_one(xi, si, dx, y, y_shape, dy, vi, delta, extra_feed_dict)
                for xi, si, (dx, dy), vi in zip(x, x_shape, pairs, inits)]
    if init_targets is not None:
        for init in init_targets:
            _session().run(init)
    dx, dy = _dx_and_dy(x, y, y_shape)
    return _one(x, x_shape, dx, y, y_shape, dy, x_init_value, delta, extra_feed_dict)


def compute_gradient_error(x, x_shape, y, y_shape, x_init_value=None, delta=1e-3, init_targets=None,
                           extra_feed_dict=None):
    """The largest absolute difference between the theoretical and the numerical Jacobian (over all of `x`'s
    pairs, for a list), as compute_gradient computes them.

    >>> with tf.Session():
    ...     assert tf.test.compute_gradient_error(x, [3], tf.sin(x), [3]) < 1e-4
    """
    grad = compute_gradient(x, x_shape, y, y_shape, x_init_value, delta, init_targets, extra_feed_dict)
    pairs = [grad] if isinstance(grad, tuple) else grad
    error = 0
    for j_t, j_n in pairs:
        if j_t.size or j_n.size:
            error = np.maximum(error, np.fabs(j_t - j_n).max())
    return error


_missing = tf_module_getattr("test", __name__)  # a TensorFlow name tfmini lacks: say so
_TEST_CASE_NAMES = ("TestCase", "main", "get_temp_dir", "is_gpu_available", "gpu_device_name", "is_built_with_cuda")


def __getattr__(name):
    if name in _TEST_CASE_NAMES:  # tf.test.TestCase and friends: unittest is imported only when they are used
        from . import test_case
        return getattr(test_case, name)
    return _missing(name)
