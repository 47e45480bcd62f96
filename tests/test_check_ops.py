"""Checks and assertions: the CheckNumerics op (tf.check_numerics, verify_tensor_all_finite,
add_check_numerics_ops) and TF 1.x's check_ops (tf.assert_*), with the graphs, build-time errors and run-time
messages TF 2.21's tf.compat.v1 gives (graph mode, control flow v1)."""
import numpy as np
import pytest

import tfmini as tf
from gradcheck import GradRow, grad_rows_test
from optable import Row, rows_test

X = np.array([[1.5, -2.0, 3.0], [4.0, 0.0, 6.0]], np.float32)


def _fed(tf):
    p = tf.placeholder(tf.float64, [None, 3])
    return tf.check_numerics(p, "fed"), {p: X.astype(np.float64)}


CASES = [
    Row("CheckNumerics", lambda tf: tf.check_numerics(tf.constant(X), "x"), X),
    Row("CheckNumerics", _fed, X.astype(np.float64), id="CheckNumerics-unknown-dims"),
    Row("CheckNumerics", lambda tf: tf.verify_tensor_all_finite(tf.constant(X), "x"), X, id="CheckNumerics-verify"),
    Row("CheckNumerics", lambda tf: tf.debugging.assert_all_finite(tf.constant(X.astype(np.float16)), "x"),
        X.astype(np.float16), id="CheckNumerics-assert_all_finite-f16"),
]
test_row = rows_test(CASES)

GRAD_CASES = [
    GradRow("CheckNumerics", lambda tf, a: tf.check_numerics(a * a, "m"), [(2, 3)]),
]
test_grad_row = grad_rows_test(GRAD_CASES)


def _ops(start=0):
    return [(o.type, o.name) for o in tf.get_default_graph().get_operations()][start:]


# =========================================================================== CheckNumerics
@pytest.mark.parametrize("value, what", [([1.0, np.nan, 2.0], "NaN"), ([1.0, np.inf, 2.0], "Inf"),
                                         ([np.nan, -np.inf, 1.0], "Inf and NaN")])
def test_check_numerics_fails_when_run(value, what, backend):
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [3])
    c = tf.check_numerics(x, "bad x")
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(c, {x: [1.0, 2.0, 3.0]}), [1.0, 2.0, 3.0])
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"^bad x : Tensor had %s values\n" % what) as e:
            sess.run(c, {x: value})
    assert e.value.op is c.op


def test_check_numerics_names_types_and_gradient():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [3])
    c = tf.check_numerics(x, "bad x")
    assert c.name == "CheckNumerics:0" and c.op.get_attr("message") == "bad x"
    g = tf.gradients(c, x)[0]
    assert g.name == "gradients/CheckNumerics_grad/CheckNumerics:0"
    assert g.op.get_attr("message") == "Not a number (NaN) or infinity (Inf) values detected in gradient. bad x"
    with pytest.raises(TypeError, match=r"^Value passed to parameter 'tensor' has DataType int32 not in list of "
                                        r"allowed values: float16, float32, float64$"):
        tf.check_numerics(tf.constant([1, 2]), "m")


def test_verify_tensor_all_finite_and_add_check_numerics_ops(backend):
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [3])
    v = tf.verify_tensor_all_finite(x, "vv")
    assert v.name == "VerifyFinite/control_dependency:0"
    assert [i.name for i in v.op.control_inputs] == ["VerifyFinite/CheckNumerics"]
    y = tf.log(x)
    check = tf.add_check_numerics_ops()
    assert check.name == "group_deps"
    checks = [(o.name, o.get_attr("message"), [i.name for i in o.control_inputs])
              for o in tf.get_default_graph().get_operations() if o.type == "CheckNumerics"][1:]
    assert checks == [("CheckNumerics", "Placeholder:0", []),
                      ("CheckNumerics_1", "VerifyFinite/CheckNumerics:0", ["CheckNumerics"]),
                      ("CheckNumerics_2", "VerifyFinite/control_dependency:0", ["CheckNumerics_1"]),
                      ("CheckNumerics_3", "Log:0", ["CheckNumerics_2"])]
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"^vv : Tensor had Inf values"):
            sess.run(v, {x: [np.inf, 1, 1]})
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"^Log:0 : Tensor had NaN values"):
            sess.run([y, check], {x: [-1.0, 1, 1]})
        sess.run(check, {x: [1.0, 2.0, 3.0]})


def test_add_check_numerics_ops_skips_references_and_non_floats(backend):
    """A variable's reference output (float32_ref) and int tensors get no check; its read value does."""
    tf.reset_default_graph()
    v = tf.Variable([1.0, 2.0], name="v")
    tf.constant([1, 2], name="ints")
    check = tf.add_check_numerics_ops()
    messages = [o.get_attr("message") for o in tf.get_default_graph().get_operations() if o.type == "CheckNumerics"]
    assert messages == ["v/initial_value:0", "v/read:0"]
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(check)
        sess.run(v.assign([np.nan, 1.0]))
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"^v/read:0 : Tensor had NaN values"):
            sess.run(check)


def test_add_check_numerics_ops_refuses_control_flow():
    tf.reset_default_graph()
    p = tf.placeholder(tf.bool, [])
    tf.cond(p, lambda: tf.constant(1.0), lambda: tf.constant(2.0))
    with pytest.raises(ValueError, match=r"^`tf\.add_check_numerics_ops\(\) is not compatible with TensorFlow "
                                         r"control flow operations such as `tf\.cond\(\)` or `tf\.while_loop\(\)`\.$"):
        tf.add_check_numerics_ops()


# =========================================================================== comparisons
def test_binary_assert_graph_as_tf():
    tf.reset_default_graph()
    x, y = tf.placeholder(tf.float32, [3]), tf.placeholder(tf.float32, [3])
    op = tf.assert_equal(x, y)
    assert op.name == "assert_equal_1/Assert/AssertGuard/Merge"  # TF opens its scope twice
    assert [t for t, _ in _ops(2)] == [
        "Equal", "Const", "All", "Const", "Const", "Const", "Switch", "Identity", "Identity", "Identity", "NoOp",
        "Identity", "Const", "Const", "Const", "Switch", "Switch", "Switch", "Assert", "Identity", "Merge"]
    n = len(_ops())
    ok = tf.assert_equal(tf.constant([1, 2]), tf.constant([1, 2]))  # int32 data: an Assert with no guard
    assert ok.name == "assert_equal_3/Assert/Assert" and ok.type == "Assert"
    assert [t for t, _ in _ops(n)] == ["Const", "Const", "Equal", "Const", "All", "Const", "Const", "Const", "Const",
                                       "Const", "Const", "Assert"]
    assert tf.assert_equal(x, x).type == "NoOp"  # the same tensor: nothing to check


@pytest.mark.parametrize("fn, sym, x, y", [
    ("assert_equal", "==", [1, 2], [1, 3]), ("assert_none_equal", "!=", [1, 2], [3, 2]),
    ("assert_less", "<", [1, 2], [1, 3]), ("assert_less_equal", "<=", [1, 4], [1, 3]),
    ("assert_greater", ">", [1, 2], [0, 2]), ("assert_greater_equal", ">=", [1, 2], [0, 3])])
def test_binary_assert_on_known_values_fails_at_build_time(fn, sym, x, y):
    tf.reset_default_graph()
    check = getattr(tf, fn)
    check(tf.constant([5, 5]), tf.constant([5, 5]) if sym in ("==", "<=", ">=") else tf.constant([6, 6]) if
          sym in ("!=", "<") else tf.constant([4, 4]))  # holds: builds
    a, b = tf.constant(x, name="a"), tf.constant(y, name="b")
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"^Condition x %s y did not hold element-wise:\nx \(a:0\) = \n\[%d %d\]\ny \(b:0\) = \n"
                             r"\[%d %d\]$" % ((sym.replace("=", "="),) + tuple(x) + tuple(y))):
        check(a, b)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"^hello\nCondition x"):
        getattr(tf.debugging, fn)(a, b, message="hello")


def test_binary_assert_fails_when_run(backend):
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [3])
    check = tf.assert_equal(x, [1.0, 2.0, 3.0])
    with tf.control_dependencies([check]):
        out = tf.identity(x)
    with tf.Session() as sess:
        sess.run(out, {x: [1, 2, 3]})
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"^assertion failed: \[Condition x == y did not hold element-wise:\] "
                                 r"\[x \(Placeholder:0\) = \] \[1 2 4\] \[y \(assert_equal_1/y:0\) = \] \[1 2 3\]"):
            sess.run(out, {x: [1, 2, 4]})


def test_binary_assert_shapes_must_broadcast():
    with pytest.raises(ValueError, match=r"^Dimensions must be equal, but are 2 and 3 for 'assert_equal(_\d+)?/Equal'"):
        tf.assert_equal(tf.constant([1, 2]), tf.constant([1, 2, 3]))


# =========================================================================== signs and assert_near
@pytest.mark.parametrize("fn, cond, good, bad, inner", [
    ("assert_positive", "x > 0", [1.0, 2.0], [1.0, -2.0], "assert_less"),
    ("assert_negative", "x < 0", [-1.0, -2.0], [-1.0, 2.0], "assert_less"),
    ("assert_non_negative", "x >= 0", [0.0, 2.0], [1.0, -2.0], "assert_less_equal"),
    ("assert_non_positive", "x <= 0", [0.0, -2.0], [-1.0, 2.0], "assert_less_equal")])
def test_sign_asserts(fn, cond, good, bad, inner, backend):
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [2])
    op = getattr(tf, fn)(x)
    assert op.name == "%s/%s/Assert/AssertGuard/Merge" % (fn, inner)
    sep = "" if fn == "assert_non_positive" else r"\n"  # TF's assert_non_positive runs the two strings together
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"^msg\.  \nCondition %s did not hold element-wise:%sx \(c:0\) = \n\[" % (cond, sep)):
        getattr(tf.debugging, fn)(tf.constant(bad, name="c"), message="msg")
    with tf.Session() as sess:
        sess.run(op, {x: good})
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"^assertion failed: \[\] \[Condition %s did not hold"
                                                                 % cond):
            sess.run(op, {x: bad})


def test_assert_near(backend):
    tf.reset_default_graph()
    x, y = tf.placeholder(tf.float32, [2]), tf.placeholder(tf.float32, [2])
    op = tf.assert_near(x, y, rtol=0.1, atol=0.0)
    assert op.name == "assert_near/Assert/AssertGuard/Merge"
    assert [n for _, n in _ops(2)][:2] == ["assert_near/rtol", "assert_near/atol"]
    known = tf.assert_near(tf.constant([1.0]), tf.constant([2.0]))  # never checked at build time, as TF
    with tf.Session() as sess:
        sess.run(op, {x: [1.0, 2.05], y: [1.0, 2.0]})
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r'^assertion failed: \[\] \[x and y not equal to tolerance rtol = '
                                 r'Tensor\(\\"assert_near/rtol:0\\", shape=\(\), dtype=float32\), atol = '
                                 r'Tensor\(\\"assert_near/atol:0\\", shape=\(\), dtype=float32\)\] '
                                 r'\[x \(Placeholder:0\) = \] \[1 2\.5\] \[y \(Placeholder_1:0\) = \] \[1 2\]'):
            sess.run(op, {x: [1.0, 2.5], y: [1.0, 2.0]})
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"assertion failed"):
            sess.run(known)


# =========================================================================== ranks, types, scalars
def test_assert_rank_static_and_dynamic(backend):
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [3])
    ok = tf.assert_rank(x, 1)
    assert ok.name == "assert_rank/static_checks_determined_all_ok" and ok.type == "NoOp"
    assert [t for t, _ in _ops(1)] == ["Const", "Const", "NoOp", "NoOp"]  # TF folds the Shape of a known shape
    with pytest.raises(ValueError, match=r"^Tensor Placeholder:0 must have rank 2\.  Received rank 1, shape \(3,\)$"):
        tf.assert_rank(x, 2)
    with pytest.raises(ValueError, match=r"^msg\.  Tensor Placeholder:0 must have rank 2\."):
        tf.debugging.assert_rank(x, 2, message="msg")
    with pytest.raises(ValueError, match=r"^Tensor Placeholder:0 must have rank at least 2\.  Received rank 1, "
                                         r"shape \(3,\)$"):
        tf.assert_rank_at_least(x, 2)
    assert tf.assert_rank_at_least(x, 0).type == "NoOp"
    with pytest.raises(ValueError, match=r"^Rank must be a scalar\.$"):
        tf.assert_rank(x, [1])
    u = tf.placeholder(tf.float32)
    dyn = tf.assert_rank(u, 2)
    at_least = tf.assert_rank_at_least(u, 2)
    assert dyn.name == "assert_rank_4/Assert/Assert"
    with tf.Session() as sess:
        sess.run([dyn, at_least], {u: np.ones((2, 2))})
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"^assertion failed: \[\] \[Tensor Placeholder_1:0 must have rank\] \[2\] "
                                 r"\[Received shape: \] \[3\]"):
            sess.run(dyn, {u: np.ones(3)})
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"must have rank at least\] \[2\]"):
            sess.run(at_least, {u: np.ones(3)})


def test_assert_type_integer_scalar_and_is_numeric():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [3])
    assert tf.assert_type(x, tf.float32).name == "assert_type/statically_determined_correct_type"
    with pytest.raises(TypeError, match=r"^Placeholder:0 must be of type tf\.int32; got tf\.float32$"):
        tf.assert_type(x, tf.int32)
    with pytest.raises(TypeError, match=r"^m\.  Placeholder:0 must be of type tf\.int32"):
        tf.debugging.assert_type(x, tf.int32, message="m")
    assert tf.assert_integer(tf.constant([1])).name == "assert_integer/statically_determined_was_integer"
    with pytest.raises(TypeError, match=r"^Expected \"x\" to be integer type\.  Found: Placeholder:0 of dtype "
                                        r"<dtype: 'float32'>$"):
        tf.assert_integer(x)
    s = tf.constant(1.0)
    assert tf.assert_scalar(s) is s
    with pytest.raises(ValueError, match=r"^Expected scalar shape for Placeholder:0, saw shape: \(3,\)\.$"):
        tf.assert_scalar(x)
    with pytest.raises(ValueError, match=r"^Expected scalar shape for Placeholder_1:0, saw shape: <unknown>\.$"):
        tf.debugging.assert_scalar(tf.placeholder(tf.float32))
    assert tf.is_numeric_tensor(x) and tf.debugging.is_numeric_tensor(tf.constant([1], tf.int64))
    assert not tf.is_numeric_tensor(tf.constant("a")) and not tf.is_numeric_tensor(tf.constant(True))
    assert not tf.is_numeric_tensor(np.ones(2))


def test_debugging_namespace():
    assert tf.debugging.assert_equal is tf.assert_equal and tf.debugging.Assert is tf.Assert
    assert tf.debugging.check_numerics is tf.check_numerics and tf.debugging.is_nan is tf.is_nan
    with pytest.raises(AttributeError, match=r"tf\.debugging\.assert_shapes is TensorFlow 1\.x API that tfmini does "
                                             r"not implement"):
        tf.debugging.assert_shapes  # noqa: B018
