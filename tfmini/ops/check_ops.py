"""TF 1.x's assertions (tf.assert_equal, tf.assert_rank, ...): checked when the graph is built where the values or
shapes are known statically (raising InvalidArgumentError, ValueError or TypeError then), else an Assert op that
fails when it runs."""
import numpy as np

from ..framework import dtypes, errors
from ..framework.ops import Tensor, convert_to_tensor, name_scope
from . import array_ops, math_ops
from .constant_op import constant_value
from .control_flow_ops import Assert, no_op, with_dependencies

__all__ = ["assert_equal", "assert_none_equal", "assert_less", "assert_less_equal", "assert_greater",
           "assert_greater_equal", "assert_positive", "assert_negative", "assert_non_negative", "assert_non_positive",
           "assert_near", "assert_rank", "assert_rank_at_least", "assert_type", "assert_integer", "assert_scalar",
           "is_numeric_tensor"]

NUMERIC_TYPES = frozenset([dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int8, dtypes.int16, dtypes.int32,
                           dtypes.int64, dtypes.uint8, dtypes.uint16, dtypes.uint32, dtypes.uint64, dtypes.complex64,
                           dtypes.complex128])


def _message_prefix(message):
    return "%s.  " % message if message else ""


def _constant_value_string(t):
    """A data entry as TF's static check prints it: a known tensor's numpy value, else the entry as it is."""
    if not isinstance(t, Tensor):
        return str(t)
    value = constant_value(t)
    return str(value) if value is not None else t


def _assert_static(condition, data):
    if not condition:
        raise errors.InvalidArgumentError(None, None, "\n".join(str(_constant_value_string(x)) for x in data))


# =========================================================================== comparisons of two tensors
def _binary_assert(sym, opname, op_func, static_func, x, y, data, summarize, message, name):
    with name_scope(name, opname, [x, y, data]):
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, name="y")
        if data is None:
            data = ["Condition x %s y did not hold element-wise:" % sym, "x (%s) = " % x.name, x,
                    "y (%s) = " % y.name, y]
        if message is not None:
            data = [message] + list(data)
        condition = math_ops.reduce_all(op_func(x, y))
        x_static, y_static = constant_value(x), constant_value(y)
        if x_static is not None and y_static is not None:
            _assert_static(np.all(static_func(x_static, y_static)), data)
        return Assert(condition, data, summarize=summarize)


def assert_equal(x, y, data=None, summarize=None, message=None, name=None):
    """An op that fails when run unless x == y everywhere (with broadcasting); raises InvalidArgumentError now
    when both values are known and differ. `data` replaces the default message, `message` prefixes it;
    `summarize` entries of each tensor are printed. Run it through tf.control_dependencies.

    >>> with tf.control_dependencies([tf.assert_equal(tf.shape(a), tf.shape(b))]):
    ...     total = a + b
    """
    with name_scope(name, "assert_equal", [x, y, data]):
        if x is y:
            return no_op()
    return _binary_assert("==", "assert_equal", math_ops.equal, np.equal, x, y, data, summarize, message, name)


def assert_none_equal(x, y, data=None, summarize=None, message=None, name=None):
    """As assert_equal, for x != y everywhere."""
    return _binary_assert("!=", "assert_none_equal", math_ops.not_equal, np.not_equal, x, y, data, summarize,
                          message, name)


def assert_less(x, y, data=None, summarize=None, message=None, name=None):
    """As assert_equal, for x < y everywhere."""
    return _binary_assert("<", "assert_less", math_ops.less, np.less, x, y, data, summarize, message, name)


def assert_less_equal(x, y, data=None, summarize=None, message=None, name=None):
    """As assert_equal, for x <= y everywhere."""
    return _binary_assert("<=", "assert_less_equal", math_ops.less_equal, np.less_equal, x, y, data, summarize,
                          message, name)


def assert_greater(x, y, data=None, summarize=None, message=None, name=None):
    """As assert_equal, for x > y everywhere."""
    return _binary_assert(">", "assert_greater", math_ops.greater, np.greater, x, y, data, summarize, message,
                          name)


def assert_greater_equal(x, y, data=None, summarize=None, message=None, name=None):
    """As assert_equal, for x >= y everywhere."""
    return _binary_assert(">=", "assert_greater_equal", math_ops.greater_equal, np.greater_equal, x, y, data,
                          summarize, message, name)


# =========================================================================== signs (built on assert_less/_equal)
def _sign_assert(opname, condition, build, x, data, summarize, message, name, joined=False):
    message = _message_prefix(message)
    with name_scope(name, opname, [x, data]):
        x = convert_to_tensor(x, name="x")
        if data is None:
            head = "Condition x %s did not hold element-wise:" % condition
            # (TF's assert_non_positive runs its two strings together)
            data = ([message, head + "x (%s) = " % x.name, x] if joined
                    else [message, head, "x (%s) = " % x.name, x])
        zero = convert_to_tensor(0, dtype=x.dtype.base_dtype)
        return build(x, zero, data, summarize)


def assert_positive(x, data=None, summarize=None, message=None, name=None):
    """An op that fails when run unless x > 0 everywhere (InvalidArgumentError now if x is known)."""
    return _sign_assert("assert_positive", "> 0", lambda x, z, d, s: assert_less(z, x, data=d, summarize=s),
                        x, data, summarize, message, name)


def assert_negative(x, data=None, summarize=None, message=None, name=None):
    """An op that fails when run unless x < 0 everywhere."""
    return _sign_assert("assert_negative", "< 0", lambda x, z, d, s: assert_less(x, z, data=d, summarize=s),
                        x, data, summarize, message, name)


def assert_non_negative(x, data=None, summarize=None, message=None, name=None):
    """An op that fails when run unless x >= 0 everywhere."""
    return _sign_assert("assert_non_negative", ">= 0",
                        lambda x, z, d, s: assert_less_equal(z, x, data=d, summarize=s),
                        x, data, summarize, message, name)


def assert_non_positive(x, data=None, summarize=None, message=None, name=None):
    """An op that fails when run unless x <= 0 everywhere."""
    return _sign_assert("assert_non_positive", "<= 0",
                        lambda x, z, d, s: assert_less_equal(x, z, data=d, summarize=s),
                        x, data, summarize, message, name, joined=True)


def assert_near(x, y, rtol=None, atol=None, data=None, summarize=None, message=None, name=None):
    """An op that fails when run unless |x - y| < atol + rtol * |y| everywhere (defaults: 10 machine epsilons of
    x's type). Never checked at build time, as TF's."""
    message = _message_prefix(message)
    with name_scope(name, "assert_near", [x, y, rtol, atol, data]):
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, name="y", dtype=x.dtype.base_dtype)
        dtype = x.dtype.base_dtype
        if dtype.is_complex:
            dtype = dtypes.float32 if dtype == dtypes.complex64 else dtypes.float64
        eps = np.finfo(dtype.as_numpy_dtype).eps
        rtol = convert_to_tensor(10 * eps if rtol is None else rtol, name="rtol", dtype=dtype)
        atol = convert_to_tensor(10 * eps if atol is None else atol, name="atol", dtype=dtype)
        if data is None:
            data = [message, "x and y not equal to tolerance rtol = %s, atol = %s" % (rtol, atol),
                    "x (%s) = " % x.name, x, "y (%s) = " % y.name, y]
        tol = atol + rtol * math_ops.abs(y)
        diff = math_ops.abs(x - y)
        return Assert(math_ops.reduce_all(math_ops.less(diff, tol)), data, summarize=summarize)


# =========================================================================== ranks, types, scalars
class _StaticRankFailed(Exception):
    pass


def _assert_rank_condition(x, rank, static_condition, dynamic_condition, data, summarize):
    assert_type(rank, dtypes.int32)
    rank_static = constant_value(rank)
    if rank_static is not None:
        if np.ndim(rank_static) != 0:
            raise ValueError("Rank must be a scalar.")
        x_rank = x.shape.ndims
        if x_rank is not None:
            if not static_condition(x_rank, int(rank_static)):
                raise _StaticRankFailed(x_rank, int(rank_static))
            return no_op(name="static_checks_determined_all_ok")
    condition = dynamic_condition(array_ops.rank(x), rank)
    if rank_static is None:
        rank_check = assert_rank(rank, 0, data=["Rank must be a scalar. Received rank: ", rank])
        condition = with_dependencies([rank_check], condition)
    return Assert(condition, data, summarize=summarize)


def _assert_rank(opname, words, static_condition, dynamic_condition, x, rank, data, summarize, message, name):
    with name_scope(name, opname, (x, rank) + tuple(data or [])):
        x = convert_to_tensor(x, name="x")
        rank = convert_to_tensor(rank, name="rank")
        message = _message_prefix(message)
        if data is None:
            data = [message, "Tensor %s must have %s" % (x.name, words), rank, "Received shape: ", array_ops.shape(x)]
        try:
            return _assert_rank_condition(x, rank, static_condition, dynamic_condition, data, summarize)
        except _StaticRankFailed as e:
            actual, wanted = e.args
            raise ValueError("%sTensor %s must have %s %d.  Received rank %d, shape %s"
                             % (message, x.name, words, wanted, actual, x.shape)) from None


def assert_rank(x, rank, data=None, summarize=None, message=None, name=None):
    """Checks that `x` has rank `rank` (an int32 scalar): a ValueError now when x's rank is known ("Tensor x:0
    must have rank 2.  Received rank 1, shape (3,)"), else an Assert on its run-time rank. Returns an op."""
    return _assert_rank("assert_rank", "rank", lambda a, r: a == r, math_ops.equal, x, rank, data, summarize,
                        message, name)


def assert_rank_at_least(x, rank, data=None, summarize=None, message=None, name=None):
    """As assert_rank, for a rank of at least `rank`."""
    return _assert_rank("assert_rank_at_least", "rank at least", lambda a, r: a >= r, math_ops.greater_equal, x,
                        rank, data, summarize, message, name)


def assert_type(tensor, tf_type, message=None, name=None):
    """A no-op when `tensor` has dtype `tf_type`; TypeError now otherwise."""
    tf_type = dtypes.as_dtype(tf_type)
    with name_scope(name, "assert_type", [tensor]):
        tensor = convert_to_tensor(tensor, name="tensor")
        if tensor.dtype != tf_type:
            raise TypeError("%s%s must be of type %r; got %r"
                            % (_message_prefix(message), tensor.name, tf_type, tensor.dtype))
        return no_op("statically_determined_correct_type")


def assert_integer(x, message=None, name=None):
    """A no-op when `x` has an integer dtype; TypeError now otherwise."""
    with name_scope(name, "assert_integer", [x]):
        x = convert_to_tensor(x, name="x")
        if not x.dtype.is_integer:
            raise TypeError('%sExpected "x" to be integer type.  Found: %s of dtype %s'
                            % (_message_prefix(message), x.name, x.dtype))
        return no_op("statically_determined_was_integer")


def assert_scalar(tensor, name=None, message=None):
    """`tensor` itself when its static shape is a scalar; ValueError now otherwise (unknown rank too)."""
    with name_scope(name, "assert_scalar", [tensor]) as scope:
        tensor = convert_to_tensor(tensor, name=scope)
        if tensor.shape.ndims != 0:
            raise ValueError("%sExpected scalar shape for %s, saw shape: %s."
                             % (_message_prefix(message), tensor.name, tensor.shape))
        return tensor


def is_numeric_tensor(tensor):
    """Whether `tensor` is a Tensor of a number type (not bool or string)."""
    return isinstance(tensor, Tensor) and tensor.dtype.base_dtype in NUMERIC_TYPES
