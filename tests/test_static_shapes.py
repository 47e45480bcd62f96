"""Static shapes from shape arguments computed at graph-build time (constant_op.constant_value inside an op's shape
inference evaluates the constant subgraph, as TF's shape refiner does), against TensorFlow's goldens
(tests/data/gen/static_shapes.py), and the rules that keep that evaluation cheap and correct: what it never
evaluates, what it remembers, what Python-level callers see."""
import json
import pathlib

import numpy as np
import pytest

import tfmini as tf
from tfmini.framework.op_registry import INFERENCE_READS
from tfmini.ops import constant_op
from tfmini.ops.constant_op import constant_shape, constant_value

_GOLDEN = json.loads((pathlib.Path(__file__).parent / "data" / "tf_static_shapes.json").read_text())


def _message_parts(message):
    """(what went wrong, the input shapes and values TF adds) of a build-time message, without TF's node text."""
    head = message.split(" for '")[0]
    tail = message.split("with input shapes: ")[1] if "with input shapes: " in message else ""
    return head, tail


# Graphs that differ from TF's for reasons of their own, not the values inference reads: the exact difference
# (nodes only tfmini makes, nodes only TF makes), so that any other change fails. TF 2.21's `x[:n]` packs begin, end
# and strides when one bound is a tensor (its int bounds as top-level Consts); tfmini makes Consts of the int lists.
_NODE_DIFFERENCES = {
    "strided_slice-end": ([["strided_slice_1/stack", "Const"], ["strided_slice_1/stack_2", "Const"]],
                          [["Const", "Const"], ["Const_1", "Const"], ["strided_slice_1/stack", "Pack"],
                           ["strided_slice_1/stack_2", "Pack"]]),
    "partial-slice-computed-begin": ([["strided_slice/stack_1", "Const"], ["strided_slice/stack_2", "Const"]],
                                     [["Const", "Const"], ["Const_1", "Const"], ["strided_slice/stack_1", "Pack"],
                                      ["strided_slice/stack_2", "Pack"]]),
}
# the random ops' own graphs (tfmini/ops/random_ops.py, checked by tests/data/tf_random_ops.json) are not what these
# cases are about: only their outputs' shapes and dtypes are compared
_SHAPES_ONLY = ("random_",)


def _run(src):
    env = {"tf": tf, "np": np}
    exec(src, env)  # noqa: S102 - the golden's own case text
    out = env["out"]
    return [t for t in (list(out) if isinstance(out, (list, tuple)) else [out]) if isinstance(t, tf.Tensor)]


@pytest.mark.parametrize("name", sorted(_GOLDEN))
def test_static_shapes_match_tensorflow(name):
    case = _GOLDEN[name]
    if "build_error" in case:
        cls, message = case["build_error"]
        with pytest.raises({"ValueError": ValueError, "TypeError": TypeError}[cls]) as info:
            _run(case["src"])
        if " for '" in message:
            assert _message_parts(str(info.value)) == _message_parts(message)
        else:  # TF raised it outside the op's shape function, without the op's context; tfmini adds it
            assert _message_parts(str(info.value))[0] == message
        return
    ts = _run(case["src"])
    got = [{"name": t.name, "dtype": t.dtype.name, "shape": None if t.shape.ndims is None else t.shape.as_list()}
           for t in ts]
    want = case["tensors"]
    if name.startswith(_SHAPES_ONLY):
        got, want = ([dict(t, name=None) for t in tensors] for tensors in (got, want))
    assert got == want
    # evaluating values for inference adds no op to the graph (and Python-level code builds TF's graph); sorted:
    # tf.cond makes its ops in another order
    nodes = sorted([o.name, o.type] for o in tf.get_default_graph().get_operations())
    if not name.startswith(_SHAPES_ONLY):
        mine, theirs = _NODE_DIFFERENCES.get(name, ([], []))
        assert [n for n in nodes if n not in mine] == sorted(n for n in case["nodes"] if n not in theirs)
        assert all(n in nodes for n in mine) and all(n in case["nodes"] for n in theirs)
    if "values" not in case and "run_error" not in case:
        return
    with tf.Session() as sess:
        if "run_error" in case:
            with pytest.raises(getattr(tf.errors, case["run_error"])):
                sess.run(ts)
            return
        got = sess.run(ts)
    for g, want in zip(got, case["values"]):
        g = np.asarray(g)
        assert (g.dtype.name, list(g.shape)) == (want["dtype"], want["shape"])
        np.testing.assert_allclose(g.reshape(-1), want["values"], rtol=1e-6)


def _inferring(fn):
    """`fn()` as an op's shape inference calls it (where constant_value evaluates)."""
    saved = INFERENCE_READS.reads
    INFERENCE_READS.reads = []
    try:
        return fn()
    finally:
        INFERENCE_READS.reads = saved


def test_python_callers_read_only_what_tensor_util_reads():
    x = tf.zeros([20, 3, 4])
    n = tf.shape(x)[0]
    assert constant_value(n) is None  # TF's tensor_util.constant_value does not read a StridedSlice
    assert _inferring(lambda: constant_value(n)) == 20
    np.testing.assert_array_equal(constant_value(tf.stack([tf.shape(x), tf.shape(x)])), [[20, 3, 4]] * 2)
    assert constant_shape(tf.stack([n, 5])).as_list() == [None, 5]
    assert _inferring(lambda: constant_shape(tf.stack([n, 5]))).as_list() == [20, 5]


def test_values_are_read_only_and_remembered():
    x = tf.zeros([20, 3, 4])
    m = tf.shape(x)[0] * 2 + 1
    v = _inferring(lambda: constant_value(m))
    assert v == 41 and not v.flags.writeable
    assert constant_op._CACHE[m] is v  # a second request does not run the kernels again


def test_a_value_not_known_yet_is_not_remembered():
    # a dimension that set_shape makes known later is read then (tfmini reads the shape as it is now; TF's refiner
    # keeps the shape its Shape op saw when it was made, and would still say `?` here)
    q = tf.placeholder(tf.float32, [None, 3])
    m = tf.shape(q)[0] * 2
    assert tf.zeros(tf.stack([m, 1])).shape.as_list() == [None, 1]
    q.set_shape([8, 3])
    assert tf.zeros(tf.stack([m, 1])).shape.as_list() == [16, 1]


def test_never_evaluated_ops_and_what_depends_on_them():
    p = tf.placeholder(tf.int32, [])
    d = tf.placeholder_with_default(3, [])
    v = tf.Variable(3)
    r = tf.random_uniform([], 0, 5, tf.int32)
    for t in (p + 1, d * 2, v + 1, r + 1, tf.identity(p)):
        assert _inferring(lambda: constant_value(t)) is None
        assert constant_op._CACHE[t] is constant_op._NEVER
    # a Shape reads its input's static shape, whatever computes the input
    w = tf.Variable(tf.zeros([6, 2]))
    np.testing.assert_array_equal(_inferring(lambda: constant_value(tf.shape(tf.zeros_like(w)) + 1)), [7, 3])


def test_failing_kernel_and_large_values_give_none():
    x = tf.zeros([20, 3, 4])
    bad = tf.shape(x)[0] // 0  # the run reports the error, with the op's context
    assert _inferring(lambda: constant_value(bad)) is None
    assert tf.zeros(tf.stack([bad])).shape.as_list() == [None]
    big = tf.range(3 * 2 ** 20)  # 12 MiB: more than is computed while the graph is built
    total = tf.reduce_sum(tf.ones_like(big)) // 2 ** 20
    assert _inferring(lambda: constant_value(total)) is None
    small = tf.reduce_sum(tf.ones_like(tf.range(100000))) // 10000  # TF computes it; so does tfmini
    assert tf.zeros(tf.stack([small])).shape.as_list() == [10]


def test_long_chains_do_not_recurse():
    x = tf.zeros([4])
    n = tf.shape(x)[0]
    for _ in range(3000):
        n = n + 0
    assert tf.zeros(tf.stack([n])).shape.as_list() == [4]
    p = tf.placeholder(tf.int32, [])
    for _ in range(3000):
        p = p + 0
    assert tf.zeros(tf.stack([p])).shape.as_list() == [None]


def test_multi_output_ops_fill_every_output():
    x = tf.zeros([20, 3, 4])
    a, b = tf.split(tf.shape(x), [1, 2])
    assert tf.zeros(b).shape.as_list() == [3, 4]
    assert a in constant_op._CACHE and b in constant_op._CACHE


def test_error_context_names_the_computed_value():
    x = tf.zeros([20, 3, 4])
    n = tf.shape(x)[0]
    with pytest.raises(ValueError, match=r"dim 20 not in the interval \[-4, 3\]\. for 'ExpandDims' \(op: "
                                         r"'ExpandDims'\) with input shapes: \[20,3,4\], \[\] and with computed input "
                                         r"tensors: input\[1\] = <20>\."):
        tf.expand_dims(x, n)
