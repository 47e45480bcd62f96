"""tf.Session / tf.InteractiveSession: fetch structures, feeds, plan caching, defaults, config, errors."""
import collections
import re

import numpy as np
import pytest

import tfmini as tf

Pair = collections.namedtuple("Pair", ["a", "b"])


@pytest.fixture
def abc():
    a = tf.constant(1.0, name="a")
    b = tf.constant([2.0, 3.0], name="b")
    c = tf.add(a, b, name="c")
    return a, b, c


# =========================================================================== fetch structures
def test_fetch_single_tensor_and_flat_list(sess, abc):
    a, b, c = abc
    assert sess.run(a) == 1.0
    got = sess.run([a, b, c])
    assert isinstance(got, list) and len(got) == 3
    np.testing.assert_array_equal(got[2], [3.0, 4.0])


def test_fetch_nested_structures(sess, abc):
    a, b, c = abc
    got = sess.run([a, (b, [c]), {"k": a, "n": (c,)}, Pair(a=b, b=[a])])
    assert isinstance(got, list) and isinstance(got[1], tuple) and isinstance(got[1][1], list)
    assert got[0] == 1.0
    np.testing.assert_array_equal(got[1][1][0], [3.0, 4.0])
    assert type(got[2]) is dict and set(got[2]) == {"k", "n"} and isinstance(got[2]["n"], tuple)
    assert isinstance(got[3], Pair)
    np.testing.assert_array_equal(got[3].a, [2.0, 3.0])
    assert got[3].b == [1.0]


def test_fetch_namedtuple_top_level(sess, abc):
    a, b, _ = abc
    got = sess.run(Pair(a, b))
    assert type(got) is Pair and got.a == 1.0


def test_fetch_dict_types(sess, abc):
    a, b, c = abc
    od = sess.run(collections.OrderedDict([("z", a), ("y", c)]))
    assert type(od) is collections.OrderedDict and list(od) == ["z", "y"]
    dd = sess.run(collections.defaultdict(list, {"x": a}))
    assert type(dd) is collections.defaultdict and dd.default_factory is list
    assert dd["x"] == 1.0 and dd["missing"] == []
    assert sess.run({"p": a, "q": {"r": b}})["q"]["r"].tolist() == [2.0, 3.0]


def test_fetch_empty_structures(sess):
    with pytest.raises(RuntimeError, match=r"^The Session graph is empty\.  Add operations to the graph before "
                                           r"calling run\(\)\.$"):
        sess.run([])
    tf.constant(0.0)
    assert sess.run([]) == []
    assert sess.run(()) == ()
    assert sess.run({}) == {}


def test_fetch_operations_give_none(sess, abc):
    a, _, c = abc
    assert sess.run(c.op) is None
    assert sess.run([c.op, a]) == [None, 1.0]
    assert sess.run({"op": tf.no_op(), "t": a}) == {"op": None, "t": 1.0}
    assert sess.run("c") is None  # an op name


def test_fetch_variables(sess):
    w = tf.Variable([[1.0, 2.0]], name="w")
    sess.run(tf.global_variables_initializer())
    got = sess.run(w)
    assert isinstance(got, np.ndarray) and got.dtype == np.float32
    np.testing.assert_array_equal(got, [[1.0, 2.0]])
    got = sess.run({"w": w, "list": [w]})
    np.testing.assert_array_equal(got["list"][0], [[1.0, 2.0]])


def test_fetch_duplicates(sess, abc):
    a, _, c = abc
    got = sess.run([a, a, c, (a, c)])
    assert got[0] == got[1] == got[3][0] == 1.0
    np.testing.assert_array_equal(got[3][1], got[2])


def test_fetch_by_name(sess, abc):
    sess.run(tf.no_op(name="nothing"))
    np.testing.assert_array_equal(sess.run("c:0"), [3.0, 4.0])
    assert sess.run(["a:0", "nothing"]) == [1.0, None]


def test_zero_d_results_are_numpy_scalars(sess):
    f = sess.run(tf.constant(30.0))
    i = sess.run(tf.constant(3))
    b = sess.run(tf.constant(True))
    assert type(f) is np.float32 and f == 30.0
    assert type(i) is np.int32 and type(b) is np.bool_
    assert type(sess.run(tf.constant(5.0) * tf.constant(6.0))) is np.float32
    v = tf.Variable(2.0)
    sess.run(v.initializer)
    assert type(sess.run(v)) is np.float32
    assert type(sess.run(tf.constant([1.0]))) is np.ndarray


# =========================================================================== fetch errors
def test_fetch_none_is_a_type_error(sess, abc):
    with pytest.raises(TypeError, match=r"^Fetch argument None has invalid type <class 'NoneType'>$"):
        sess.run(None)
    with pytest.raises(TypeError, match=r"^Fetch argument None has invalid type <class 'NoneType'>$"):
        sess.run([abc[0], None])


def test_fetch_of_wrong_type(sess):
    tf.constant(0.0)
    with pytest.raises(TypeError, match=re.escape("Fetch argument 5 has invalid type <class 'int'>, must be a string "
                                                  "or Tensor. (Can not convert a int into a Tensor or Operation.)")):
        sess.run(5)


def test_fetch_unknown_name(sess, abc):
    with pytest.raises(ValueError, match=re.escape(
            "Fetch argument 'nope:0' cannot be interpreted as a Tensor. (\"The name 'nope:0' refers to a Tensor "
            "which does not exist. The operation, 'nope', does not exist in the graph.\")")):
        sess.run("nope:0")


def test_fetch_from_another_graph(sess):
    tf.constant(0.0)
    with tf.Graph().as_default():
        other = tf.constant(1.0)
    msg = ("Fetch argument <tf.Tensor 'Const:0' shape=() dtype=float32> cannot be interpreted as a Tensor. "
           "(Tensor Tensor(\"Const:0\", shape=(), dtype=float32) is not an element of this graph.)")
    with pytest.raises(ValueError, match="^" + re.escape(msg) + "$"):
        sess.run(other)
    with pytest.raises(ValueError, match=re.escape(msg)):
        sess.run([other])


# =========================================================================== feeds
def test_feed_placeholder_from_scalars_lists_numpy(sess):
    x = tf.placeholder(tf.float32, name="x")
    y = x * 2.0
    assert sess.run(y, {x: 3}) == 6.0
    np.testing.assert_array_equal(sess.run(y, {x: [1, 2]}), [2.0, 4.0])
    got = sess.run(y, {x: np.array([[1.0], [2.0]], dtype=np.float64)})  # converted to the placeholder's dtype
    assert got.dtype == np.float32 and got.shape == (2, 1)


def test_feed_by_name(sess):
    x = tf.placeholder(tf.float32, [2], name="x")
    np.testing.assert_array_equal(sess.run(x + 1.0, {"x:0": [1.0, 2.0]}), [2.0, 3.0])


def test_feed_intermediate_tensor_replaces_and_prunes(sess):
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    h = x * 2.0
    y = h + 1.0
    # x is never fed: h's producer is pruned
    np.testing.assert_array_equal(sess.run(y, {h: [[1.0, 2.0]]}), [[2.0, 3.0]])
    # a fed value wins over the value its producer would compute
    np.testing.assert_array_equal(sess.run(y, {x: [[1.0, 2.0]], h: [[5.0, 5.0]]}), [[6.0, 6.0]])
    np.testing.assert_array_equal(sess.run(y, {x: [[1.0, 2.0]]}), [[3.0, 5.0]])


def test_feeding_a_stateful_ops_output_skips_the_op(sess):
    v = tf.Variable(10.0)
    sess.run(v.initializer)
    inc = tf.assign_add(v, 1.0)
    y = inc * 2.0
    assert sess.run(y, {inc: 100.0}) == 200.0
    assert sess.run(v) == 10.0  # the AssignAdd did not run
    assert sess.run(y) == 22.0


def test_feed_constant_and_variable(sess):
    c = tf.constant(3.0)
    d = c * 2.0
    assert sess.run(d, {c: 5.0}) == 10.0
    assert sess.run(d) == 6.0
    w = tf.Variable([1.0, 2.0])
    np.testing.assert_array_equal(sess.run(w + 1.0, {w: [5.0, 6.0]}), [6.0, 7.0])  # no initializer needed


def test_fetch_of_a_fed_tensor_returns_the_feed_as_a_copy(sess):
    x = tf.placeholder(tf.float32, [2])
    arr = np.array([1.0, 2.0], np.float32)
    got = sess.run(x, {x: arr})
    np.testing.assert_array_equal(got, arr)
    got[0] = 99.0
    assert arr[0] == 1.0
    got = sess.run(tf.identity(x), {x: arr})
    got[0] = 99.0
    assert arr[0] == 1.0


def test_feed_dict_order_does_not_matter(sess):
    x = tf.placeholder(tf.float32, name="x")
    y = tf.placeholder(tf.float32, name="y")
    z = x - y
    assert sess.run(z, {x: 5.0, y: 3.0}) == 2.0
    assert sess.run(z, {y: 3.0, x: 5.0}) == 2.0
    assert sess.run(z, {y: 1.0, x: 5.0}) == 4.0
    assert sess.run(z, {x: 0.0, y: 1.0}) == -1.0


def test_feed_errors(sess):
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    y = x + 1.0
    with pytest.raises(ValueError, match=re.escape("Cannot feed value of shape (1, 3) for Tensor 'x:0', which has "
                                                   "shape '(?, 2)'")):
        sess.run(y, {x: [[1, 2, 3]]})
    with pytest.raises(ValueError, match=re.escape("Cannot feed value of shape () for Tensor 'x:0', which has shape "
                                                   "'(?, 2)'")):
        sess.run(y, {x: 3.0})
    with pytest.raises(TypeError, match=r"^The value of a feed cannot be a tf.Tensor object\. Acceptable feed values "
                                        r"include Python scalars, strings, lists, numpy ndarrays, or TensorHandles\. "
                                        r"For reference, the tensor object was Tensor\(\"Const:0\", shape=\(1, 2\), "
                                        r"dtype=float32\) which was passed to the feed with key"):
        sess.run(y, {x: tf.constant([[1.0, 2.0]])})
    with pytest.raises(TypeError, match=r"^Cannot interpret feed_dict key as Tensor: Can not convert a int into a "
                                        r"Tensor\.$"):
        sess.run(y, {3: 1.0})
    with pytest.raises(TypeError, match=r"^Cannot interpret feed_dict key as Tensor: The name 'x' refers to an "
                                        r"Operation, not a Tensor\."):
        sess.run(y, {"x": [[1.0, 2.0]]})


def test_feed_int_that_does_not_fit(sess):
    x = tf.placeholder(tf.int32, name="x")
    with pytest.raises(TypeError, match=re.escape("Type of feed value 1099511627776 with type <class 'int'> is not "
                                                  "compatible with Tensor type <class 'numpy.int32'>. Try explicitly "
                                                  "setting the type of the feed tensor to a larger type (e.g. int64).")):
        sess.run(x + 1, {x: 2 ** 40})


def test_feed_key_from_another_graph(sess):
    with tf.Graph().as_default():
        p = tf.placeholder(tf.float32, name="p")
    c = tf.constant(1.0)
    with pytest.raises(TypeError, match="^" + re.escape("Cannot interpret feed_dict key as Tensor: Tensor Tensor("
                                                        "\"p:0\", dtype=float32) is not an element of this graph.")
                       + "$"):
        sess.run(c, {p: 1.0})


def test_missing_placeholder_feed(sess):
    x = tf.placeholder(tf.float32, [None, 2], name="x")  # placeholder-here
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"You must feed a value for placeholder tensor 'x' with dtype float and shape \[\?,2\]"):
        sess.run(x * 2.0)
    try:
        sess.run(x * 2.0)
    except tf.errors.InvalidArgumentError as e:
        assert e.op is x.op
        assert "test_session.py:%d" % _line_of("placeholder-here") in str(e)


def _line_of(marker):
    with open(__file__) as f:
        for i, line in enumerate(f, 1):
            if line.rstrip().endswith("# " + marker):
                return i
    raise LookupError(marker)


# =========================================================================== plan cache
def test_second_identical_run_builds_no_plan(sess):
    x = tf.placeholder(tf.float32, name="x")
    y = x * 2.0 + 1.0
    sess.run(y, {x: 1.0})
    n = len(sess._plans)
    for v in (2.0, 3.0):
        assert sess.run(y, {x: v}) == 2 * v + 1
    assert len(sess._plans) == n
    sess.run([y, x], {x: 1.0})  # a different fetch: a new plan
    assert len(sess._plans) == n + 1
    sess.run([y, x], {x: 5.0})
    assert len(sess._plans) == n + 1


def test_nested_fetch_reuses_plans(sess, abc):
    a, b, c = abc
    sess.run({"a": a, "x": [b, c]})
    n = len(sess._plans)
    sess.run({"a": a, "x": [b, c]})
    assert len(sess._plans) == n


def _last_plan(sess):
    return list(sess._plans.values())[-1]


@pytest.mark.usefixtures("on_cpu")
def test_shape_derived_ops_rerun_only_when_shapes_change(sess):
    """The Mean gradient on an unknown batch size (Shape, Size, Cast, RealDiv) is computed once per batch
    size and reused; a new size recomputes it."""
    x = tf.placeholder(tf.float32, [None, 3])
    w = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2))
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w)))
    g, = tf.gradients(loss, [w])
    sess.run(w.initializer)
    wv = sess.run(w)
    src = None
    rng = np.random.RandomState(0)
    for n in (4, 4, 3, 4, 1, 3):
        xv = rng.randn(n, 3).astype(np.float32)
        want = 2 * xv.T @ (xv @ wv) / (n * 2)
        np.testing.assert_allclose(sess.run(g, {x: xv}), want, rtol=1e-5)
        src = src or _last_plan(sess).source
    assert "_b" in src and ".shape,)" in src  # the block and its key
    assert len(sess._plans) == 3  # w's initializer, reading w, and one plan for every batch size


@pytest.mark.usefixtures("on_cpu")
def test_shape_block_with_two_sources_reruns_when_either_changes(sess):
    """Broadcasting two fed tensors of unknown shapes: the gradient's reduction axes come from both shapes
    (BroadcastGradientArgs on two Shape ops), one block keyed on both."""
    x = tf.placeholder(tf.float32, [None, None])
    y = tf.placeholder(tf.float32, [None, None])
    gx, gy = tf.gradients(tf.reduce_sum((x + y) * 2.0), [x, y])
    src = None
    for xs, ys in [((2, 3), (2, 3)), ((2, 3), (1, 3)), ((2, 3), (2, 1)), ((4, 3), (4, 1)),
                   ((2, 3), (1, 3))]:
        a, b = sess.run([gx, gy], {x: np.ones(xs), y: np.ones(ys)})
        np.testing.assert_array_equal(a, np.full(xs, 2.0))
        np.testing.assert_array_equal(b, np.full(ys, 2.0 * np.prod(xs) / np.prod(ys)))
        src = src or _last_plan(sess).source
    assert "_b" in src and ".shape, " in src  # one block, its key naming both sources


def test_fetched_shape_derived_value_is_a_copy(sess):
    x = tf.placeholder(tf.float32, [None, 2])
    s = tf.cast(tf.shape(x), tf.float32) * 2.0
    v1 = sess.run(s, {x: np.zeros((3, 2))})
    v1[0] = 99.0
    np.testing.assert_array_equal(sess.run(s, {x: np.zeros((3, 2))}), [6.0, 4.0])
    np.testing.assert_array_equal(sess.run(s, {x: np.zeros((5, 2))}), [10.0, 4.0])


def test_error_in_a_shape_derived_op_names_it_and_is_not_cached(sess):
    x = tf.placeholder(tf.float32, [None])
    z = tf.zeros(tf.shape(x) - 3, name="shrunk")
    assert sess.run(z, {x: np.ones(5)}).shape == (2,)
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        sess.run(z, {x: np.ones(1)})
    assert "shrunk" in str(e.value)
    assert sess.run(z, {x: np.ones(5)}).shape == (2,)
    with pytest.raises(tf.errors.InvalidArgumentError):
        sess.run(z, {x: np.ones(1)})


@pytest.mark.usefixtures("on_cpu")
def test_plans_skip_trivial_kernels(sess):
    """Variable slots are bound when the plan is built; Identity and NoOp cost no kernel call."""
    v = tf.Variable([1.0, 2.0], name="v")
    step = tf.group(tf.assign_add(v, tf.identity(v.value()) * 0.5))
    with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value v"):
        sess.run(step)
    sess.run(v.initializer)
    sess.run(step)
    np.testing.assert_array_equal(sess.run(v), [1.5, 3.0])
    src = _last_plan(sess).source
    assert "deref(s" in src  # the slot, a constant of the plan
    ops = {op.type for op in _last_plan(sess).ops}
    assert "VariableV2" not in ops
    step_src = [p.source for p in sess._plans.values() if "AssignAdd" in {op.type for op in p.ops}][0]
    assert step_src.count("(xp") == 2  # Mul and AssignAdd: the read, the Identity and the NoOp are no calls


def test_plans_see_new_control_inputs(sess):
    v = tf.Variable(0.0)
    sess.run(v.initializer)
    inc = tf.assign_add(v, 1.0)
    out = tf.identity(tf.constant(0.0))
    sess.run(out)
    out.op._add_control_input(inc.op)  # the graph changed under an existing plan
    sess.run(out)
    assert sess.run(v) == 1.0


# =========================================================================== fused Conv2D + BiasAdd + Relu
def _fused_lines(src):
    return [line for line in src.splitlines() if "_fused(" in line]


def _conv_reference(xv, wv, bv, relu=True):
    """SAME, stride 1 cross-correlation in plain numpy, then bias and ReLU."""
    kh, kw = wv.shape[:2]
    n, h, w, _ = xv.shape
    p = np.pad(xv, ((0, 0), ((kh - 1) // 2, kh // 2), ((kw - 1) // 2, kw // 2), (0, 0)))
    out = np.zeros((n, h, w, wv.shape[3]))
    for i in range(kh):
        for j in range(kw):
            out += np.einsum("nhwc,cd->nhwd", p[:, i:i + h, j:j + w], wv[i, j])
    out += bv
    return np.maximum(out, 0) if relu else out


@pytest.mark.usefixtures("on_cpu")
@pytest.mark.parametrize("depth, batch", [(1, 2), (3, 1), (5, 3), (5, 40)])
def test_conv_bias_relu_run_as_one_fused_call(sess, depth, batch):
    """A CPU plan computes Conv2D -> BiasAdd -> Relu in one call (TF's remapper: _FusedConv2D) when nothing
    else reads the intermediate values; the result is the unfused one. Depths 1-3 take the tap-by-tap im2col,
    5 the window copy; a small output adds the bias after the GEMM, a large one carries it in the GEMM."""
    rng = np.random.RandomState(depth)
    x = tf.placeholder(tf.float32, [None, 7, 6, depth])
    w = tf.Variable(rng.randn(3, 3, depth, 4).astype(np.float32))
    b = tf.Variable(rng.randn(4).astype(np.float32))
    y = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME"), b))
    sess.run(tf.global_variables_initializer())
    xv = rng.randn(batch, 7, 6, depth).astype(np.float32)
    got = sess.run(y, {x: xv})
    assert len(_fused_lines(_last_plan(sess).source)) == 1
    assert "activation='Relu'" in _fused_lines(_last_plan(sess).source)[0]
    np.testing.assert_allclose(got, _conv_reference(xv, sess.run(w), sess.run(b)), rtol=1e-5, atol=1e-5)
    assert (got >= 0).all() and (got == 0).any()
    unfused, conv = sess.run([y, y.op.inputs[0].op.inputs[0]], {x: xv})  # the conv fetched: three calls
    assert not _fused_lines(_last_plan(sess).source)
    np.testing.assert_allclose(got, unfused, rtol=1e-6, atol=1e-6)


@pytest.mark.usefixtures("on_cpu")
def test_conv_bias_without_relu_fuses_and_a_fetched_bias_add_does_not(sess):
    x = tf.placeholder(tf.float32, [None, 5, 5, 2])
    w = tf.constant(np.linspace(-1, 1, 36, dtype=np.float32).reshape(3, 3, 2, 2))
    z = tf.nn.bias_add(tf.nn.conv2d(x, w, [1, 1, 1, 1], "VALID"), tf.constant([0.5, -0.5]))
    y = tf.nn.relu(z)
    xv = np.random.RandomState(0).randn(2, 5, 5, 2).astype(np.float32)
    zv = sess.run(z, {x: xv})
    assert "activation=None" in _fused_lines(_last_plan(sess).source)[0]
    zv2, yv = sess.run([z, y], {x: xv})
    src = _last_plan(sess).source
    assert "activation=None" in _fused_lines(src)[0] and "activation='Relu'" not in src
    np.testing.assert_array_equal(zv, zv2)
    np.testing.assert_array_equal(yv, np.maximum(zv, 0))


def test_no_fusion_when_another_op_reads_the_conv_or_a_control_edge_touches_it(sess):
    x = tf.placeholder(tf.float32, [None, 4, 4, 1])
    w = tf.ones([2, 2, 1, 3])
    conv = tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME")
    b = tf.constant([1.0, 2.0, 3.0])
    y = tf.nn.relu(tf.nn.bias_add(conv, b))
    xv = np.ones((1, 4, 4, 1), np.float32)
    total = tf.reduce_sum(conv) + tf.reduce_sum(y)  # conv read twice
    sess.run(total, {x: xv})
    assert not _fused_lines(_last_plan(sess).source)
    with tf.control_dependencies([conv.op]):
        after = tf.identity(y)
    sess.run(after, {x: xv})
    assert not _fused_lines(_last_plan(sess).source)
    fed = sess.run(y, {x: xv, conv: np.zeros((1, 4, 4, 3), np.float32)})  # a fed conv: BiasAdd reads the feed
    np.testing.assert_array_equal(fed[0, 0, 0], [1.0, 2.0, 3.0])
    assert not _fused_lines(_last_plan(sess).source)


@pytest.mark.usefixtures("on_cpu")
def test_a_failing_fused_conv_names_the_conv(sess):
    x = tf.placeholder(tf.float32, [None, None, None, None])
    w = tf.ones([3, 3, 2, 4])
    y = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME", name="the_conv"), tf.zeros([4])))
    assert sess.run(y, {x: np.ones((1, 4, 4, 2))}).shape == (1, 4, 4, 4)
    assert _fused_lines(_last_plan(sess).source)
    with pytest.raises(tf.errors.InvalidArgumentError, match="input depth must be evenly divisible by filter "
                                                             "depth: 3 vs 2") as e:
        sess.run(y, {x: np.ones((1, 4, 4, 3))})
    assert "the_conv" in str(e.value)


@pytest.mark.usefixtures("on_cpu")
def test_fused_conv_gradients_equal_the_unfused(sess):
    """Training plans fuse the forward chain too (the gradients read the Relu output and the conv's inputs,
    never the intermediate values); one SGD step matches the plan that fetches the conv output."""
    rng = np.random.RandomState(3)
    x = tf.placeholder(tf.float32, [None, 6, 6, 2])
    w = tf.Variable(rng.randn(3, 3, 2, 3).astype(np.float32))
    b = tf.Variable(rng.randn(3).astype(np.float32))
    conv = tf.nn.conv2d(x, w, [1, 2, 2, 1], "SAME")
    loss = tf.reduce_sum(tf.square(tf.nn.relu(tf.nn.bias_add(conv, b))))
    grads = tf.gradients(loss, [w, b])
    sess.run(tf.global_variables_initializer())
    xv = rng.randn(3, 6, 6, 2).astype(np.float32)
    fused = sess.run(grads, {x: xv})
    assert _fused_lines(_last_plan(sess).source)
    unfused = sess.run(grads + [conv], {x: xv})[:2]
    assert not _fused_lines(_last_plan(sess).source)
    for a, u in zip(fused, unfused):
        np.testing.assert_allclose(a, u, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("m, k, n, ta, tb, relu", [(4, 3, 5, False, False, True), (4, 3, 5, True, False, False),
                                                   (6, 2, 3, False, True, True), (5, 4, 2, True, True, True),
                                                   (640, 700, 40, False, False, True),
                                                   (2, 1500, 900, False, True, True)])
def test_matmul_bias_relu_run_as_one_fused_call(sess, m, k, n, ta, tb, relu):
    """MatMul -> BiasAdd [-> Relu] (a dense layer) is one call, as TF's remapper makes _FusedMatMul, on the CPU
    (and on a GPU: one GEMM, one bias + ReLU kernel); its value is the unfused one. The large products take the
    blocked GEMM (by rows; for two rows by the shared dimension on up to 11 threads, else by columns), the bias
    and ReLU per block of rows or on the whole product."""
    rng = np.random.RandomState(m + k)
    av = rng.randn(*((k, m) if ta else (m, k))).astype(np.float32)
    bv = rng.randn(*((n, k) if tb else (k, n))).astype(np.float32)
    biasv = rng.randn(n).astype(np.float32)
    a = tf.placeholder(tf.float32, [None, None])
    w = tf.Variable(bv)
    bias = tf.Variable(biasv)
    prod = tf.matmul(a, w, transpose_a=ta, transpose_b=tb)
    z = tf.nn.bias_add(prod, bias)
    y = tf.nn.relu(z) if relu else z
    sess.run(tf.global_variables_initializer())
    got = sess.run(y, {a: av})
    lines = _fused_lines(_last_plan(sess).source)
    assert len(lines) == 1 and ("activation='Relu'" if relu else "activation=None") in lines[0]
    want = (av.T if ta else av) @ (bv.T if tb else bv) + biasv
    np.testing.assert_allclose(got, np.maximum(want, 0) if relu else want, rtol=1e-4, atol=1e-4)
    unfused, _ = sess.run([y, prod], {a: av})  # the product fetched: no fusion
    assert not _fused_lines(_last_plan(sess).source)
    np.testing.assert_allclose(got, unfused, rtol=1e-6, atol=1e-5)


@pytest.mark.usefixtures("on_cpu")
def test_fused_matmul_keeps_nan_and_integer_types(sess):
    """(On a GPU int32 stays in host memory, as in TF: an int32 dense layer runs there, unfused.)"""
    x = tf.placeholder(tf.int32, [None, 2])
    y = tf.nn.relu(tf.nn.bias_add(tf.matmul(x, tf.constant([[1, -2], [3, 4]])), tf.constant([-20, 1])))
    got = sess.run(y, {x: [[1, -2], [3, 4]]})  # [[-5, -10], [15, 10]] + bias, clipped
    assert got.dtype == np.int32
    np.testing.assert_array_equal(got, [[0, 0], [0, 11]])
    assert _fused_lines(_last_plan(sess).source)
    f = tf.placeholder(tf.float32, [None, 2])
    g = tf.nn.relu(tf.nn.bias_add(tf.matmul(f, tf.constant(np.eye(2, dtype=np.float32))), [0.0, -1.0]))
    got = sess.run(g, {f: [[np.nan, 0.5], [-1.0, 3.0]]})
    np.testing.assert_array_equal(got, [[np.nan, np.nan], [0.0, 2.0]])  # NaN * 0 is NaN: a row of NaN, kept
    assert _fused_lines(_last_plan(sess).source)


def test_a_failing_fused_matmul_names_the_matmul(sess):
    x = tf.placeholder(tf.float32, [None, None])
    y = tf.nn.relu(tf.nn.bias_add(tf.matmul(x, tf.ones([3, 4]), name="the_matmul"), tf.zeros([4])))
    assert sess.run(y, {x: np.ones((2, 3))}).shape == (2, 4)
    assert _fused_lines(_last_plan(sess).source)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Matrix size-incompatible: In\[0\]: \[2,5\], "
                                                             r"In\[1\]: \[3,4\]") as e:
        sess.run(y, {x: np.ones((2, 5))})
    assert "the_matmul" in str(e.value)


@pytest.mark.parametrize("kind", ["conv", "matmul"])
def test_a_fused_chains_bias_error_names_its_bias_add(sess, kind):
    """A bias whose shape changed at run time (assigned with validate_shape=False) fails BiasAdd's check inside
    the fused kernel: the error is BiasAdd's, naming that op and the product's real shape, as unfused."""
    b = tf.Variable([1.0, 2.0], name="b")
    if kind == "conv":
        x = tf.placeholder(tf.float32, [None, 4, 4, 1])
        product, feed, shape = tf.nn.conv2d(x, tf.ones([3, 3, 1, 2]), [1, 1, 1, 1], "SAME"), np.ones((1, 4, 4, 1)), \
            r"\[1,4,4,2\]"
    else:
        x = tf.placeholder(tf.float32, [None, 3])
        product, feed, shape = tf.matmul(x, tf.ones([3, 2])), np.ones((1, 3)), r"\[1,2\]"
    y = tf.nn.relu(tf.nn.bias_add(product, b, name="the_bias_add"))
    sess.run(tf.global_variables_initializer())
    assert sess.run(y, {x: feed}).shape[-1] == 2
    assert _fused_lines(_last_plan(sess).source)
    sess.run(tf.assign(b, [1.0, 2.0, 3.0], validate_shape=False))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Must provide as many biases as the last dimension of "
                                                             r"the input tensor: \[3\] vs\. %s" % shape) as e:
        sess.run(y, {x: feed})
    assert e.value.op.name == "the_bias_add" and "[[node the_bias_add " in str(e.value)


def test_a_fetched_sum_over_no_axes_of_a_value_made_once_is_a_copy(sess):
    """A value computed when the plan was built (constants folded) and forwarded by Sum over no axes is copied out:
    changing what a run returned changes nothing the next run returns."""
    a = tf.constant([1.0, 2.0]) + tf.constant([3.0, 4.0])
    with tf.control_dependencies([tf.no_op()]):
        s = tf.reduce_sum(a, axis=[])
    r = sess.run(s)
    r[0] = 100.0
    np.testing.assert_array_equal(sess.run(s), [4.0, 6.0])


def test_a_fed_output_of_a_target_op_keeps_the_feed(sess):
    """Feeding an op's output while running the op as a target: the op runs, and its readers see the feed."""
    x = tf.constant(np.ones((1, 3), np.float32))
    w = tf.Variable(np.ones((3, 2), np.float32))
    biased = tf.nn.bias_add(tf.matmul(tf.identity(x), w), tf.constant([0.0, 0.0]))
    doubled = biased * 2.0
    sess.run(tf.global_variables_initializer())
    got = sess.run([doubled, biased.op], {biased: [[-5.0, 7.0]]})[0]
    np.testing.assert_array_equal(got, [[-10.0, 14.0]])
    read = tf.identity(w)  # an Identity (no kernel call): its feed stays too
    got = sess.run([read * 10.0, read.op], {read: np.full((3, 2), 0.5, np.float32)})[0]
    np.testing.assert_array_equal(got, np.full((3, 2), 5.0))


def test_fused_dense_layers_train_as_the_unfused(sess):
    """A dense layer's training step (tf.layers.dense: MatMul, BiasAdd, Relu) with its forward chain fused matches
    the plan that fetches the product (unfused); Adam's step too."""
    rng = np.random.RandomState(5)
    x = tf.placeholder(tf.float32, [None, 6])
    h = tf.layers.dense(x, 8, activation=tf.nn.relu, name="fc1")
    out = tf.layers.dense(h, 3, name="out")
    loss = tf.reduce_mean(tf.square(out))
    grads = tf.gradients(loss, tf.trainable_variables())
    sess.run(tf.global_variables_initializer())
    xv = rng.randn(16, 6).astype(np.float32)
    fused = sess.run(grads, {x: xv})
    assert len(_fused_lines(_last_plan(sess).source)) == 2
    product = tf.get_default_graph().get_tensor_by_name("fc1/MatMul:0")
    unfused = sess.run(grads + [product], {x: xv})[:-1]
    assert len(_fused_lines(_last_plan(sess).source)) == 1  # the output layer's only
    for a, u in zip(fused, unfused):
        np.testing.assert_allclose(a, u, rtol=1e-5, atol=1e-6)


# =========================================================================== lifecycle and defaults
def test_closed_session():
    c = tf.constant(1.0)
    sess = tf.Session()
    sess.close()
    with pytest.raises(RuntimeError, match=r"^Attempted to use a closed Session\.$"):
        sess.run(c)
    sess.close()  # closing twice is fine
    with tf.Session() as s2:
        pass
    with pytest.raises(RuntimeError, match=r"^Attempted to use a closed Session\.$"):
        s2.run(c)


def test_with_session_makes_it_default_and_restores():
    c = tf.constant(1.0)
    assert tf.get_default_session() is None
    with tf.Session() as sess:
        assert tf.get_default_session() is sess
        with tf.Session() as inner:
            assert tf.get_default_session() is inner
        assert tf.get_default_session() is sess
        assert c.eval() == 1.0
    assert tf.get_default_session() is None


def test_as_default_does_not_close():
    c = tf.constant(2.0)
    sess = tf.Session()
    with sess.as_default():
        assert tf.get_default_session() is sess
        assert c.eval() == 2.0
    assert tf.get_default_session() is None
    assert sess.run(c) == 2.0
    sess.close()


def test_interactive_session():
    c = tf.constant(3.0)
    sess = tf.InteractiveSession()
    try:
        assert tf.get_default_session() is sess
        assert c.eval() == 3.0
        assert tf.no_op().run() is None
    finally:
        sess.close()
    assert tf.get_default_session() is None
    with pytest.raises(ValueError, match=r"No default session is registered"):
        c.eval()


def test_interactive_session_with_explicit_graph_makes_it_default():
    g = tf.Graph()
    sess = tf.InteractiveSession(graph=g)
    try:
        assert tf.get_default_graph() is g
        c = tf.constant(4.0)
        assert c.graph is g and c.eval() == 4.0
    finally:
        sess.close()
    assert tf.get_default_graph() is not g


def test_operation_run():
    v = tf.Variable(1.0)
    with tf.Session() as sess:
        v.initializer.run()
        tf.assign(v, 5.0).op.run()
        assert sess.run(v) == 5.0
        assert tf.assign_add(v, 1.0).op.run(session=sess) is None
        assert v.eval() == 6.0


def test_session_graph_argument():
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(7.0)
    sess = tf.Session(graph=g)
    assert sess.graph is g
    assert sess.run(c) == 7.0
    sess.close()
    assert tf.Session().graph is tf.get_default_graph()


def test_session_argument_errors():
    with pytest.raises(TypeError, match=r"^graph must be a tf.Graph, but got <class 'int'>$"):
        tf.Session(graph=5)
    with pytest.raises(TypeError, match=r"^config must be a tf.ConfigProto, but got <class 'int'>$"):
        tf.Session(config=5)


# =========================================================================== state is per session
def test_two_sessions_hold_different_variable_values():
    v = tf.Variable(0.0)
    inc = tf.assign_add(v, 1.0)
    s1, s2 = tf.Session(), tf.Session()
    s1.run(v.initializer)
    s2.run(v.initializer)
    s1.run(inc)
    s1.run(inc)
    s2.run(tf.assign(v, 10.0))
    assert s1.run(v) == 2.0 and s2.run(v) == 10.0
    s3 = tf.Session()
    with pytest.raises(tf.errors.FailedPreconditionError, match=r"Attempting to use uninitialized value Variable"):
        s3.run(v)
    for s in (s1, s2, s3):
        s.close()


def test_closing_frees_variable_values():
    v = tf.Variable(1.0)
    sess = tf.Session()
    sess.run(v.initializer)
    sess.close()
    assert sess._state.slots == {}


# =========================================================================== results are owned by the caller
def test_fetched_constant_is_a_copy(sess):
    c = tf.constant([1.0, 2.0])
    got = sess.run(c)
    got[0] = 100.0
    np.testing.assert_array_equal(sess.run(c), [1.0, 2.0])
    r = tf.reshape(c, [2, 1])
    got = sess.run(r)
    got[0, 0] = 100.0
    np.testing.assert_array_equal(sess.run(c), [1.0, 2.0])


def test_fetched_variable_is_a_copy(sess):
    w = tf.Variable([1.0, 2.0], name="w")
    sess.run(w.initializer)
    for fetch in (w, w.value(), w.read_value(), tf.identity(w)):
        got = sess.run(fetch)
        got[0] = 100.0
        np.testing.assert_array_equal(sess.run(w), [1.0, 2.0])
    got = sess.run(w.assign([3.0, 4.0]))
    got[0] = 100.0
    np.testing.assert_array_equal(sess.run(w), [3.0, 4.0])


def test_earlier_results_unchanged_by_in_place_updates(sess):
    w = tf.Variable([1.0, 2.0], name="w")
    sess.run(w.initializer)
    before = sess.run(w)
    read = sess.run(w.value())
    assigned = sess.run(w.assign_add([1.0, 1.0]))
    sess.run(tf.assign_add(w, [1.0, 1.0]))
    sess.run(w.assign_sub([0.5, 0.5]))
    np.testing.assert_array_equal(before, [1.0, 2.0])
    np.testing.assert_array_equal(read, [1.0, 2.0])
    np.testing.assert_array_equal(assigned, [2.0, 3.0])
    np.testing.assert_array_equal(sess.run(w), [2.5, 3.5])


def test_feed_array_is_not_aliased_by_a_variable(sess):
    w = tf.Variable([0.0, 0.0])
    arr = np.array([1.0, 2.0], np.float32)
    sess.run(w.initializer)
    w.load(arr, sess)
    sess.run(w.assign_add([1.0, 1.0]))
    np.testing.assert_array_equal(arr, [1.0, 2.0])


# =========================================================================== ConfigProto
def test_config_proto_fields():
    cfg = tf.ConfigProto(gpu_options=tf.GPUOptions(allow_growth=True), log_device_placement=True,
                         allow_soft_placement=True)
    assert cfg.gpu_options.allow_growth is True
    assert cfg.log_device_placement and cfg.allow_soft_placement
    assert cfg.intra_op_parallelism_threads == 0
    cfg.gpu_options.per_process_gpu_memory_fraction = 0.4
    assert cfg.gpu_options.per_process_gpu_memory_fraction == 0.4
    default = tf.ConfigProto()
    assert default.gpu_options.allow_growth is False and default.log_device_placement is False
    assert default.gpu_options is not tf.ConfigProto().gpu_options  # each message owns its sub-messages
    assert cfg.HasField("gpu_options") and not default.HasField("gpu_options")
    assert str(tf.ConfigProto(allow_soft_placement=True)) == "allow_soft_placement: true\n"
    assert repr(tf.GPUOptions(allow_growth=True)) == "allow_growth: true\n"
    assert str(tf.GPUOptions(allocator_type="BFC")) == 'allocator_type: "BFC"\n'
    assert str(cfg).startswith("gpu_options {\n  per_process_gpu_memory_fraction: 0.4\n  allow_growth: true\n}")
    with tf.Session(config=cfg) as sess:
        assert sess.run(tf.constant(1.0)) == 1.0


def test_config_proto_unknown_fields():
    with pytest.raises(ValueError, match=r'^Protocol message ConfigProto has no "foo" field\.$'):
        tf.ConfigProto(foo=1)
    with pytest.raises(ValueError, match=r'^Protocol message GPUOptions has no "allow_grow" field\.$'):
        tf.GPUOptions(allow_grow=True)
    cfg = tf.ConfigProto()
    with pytest.raises(AttributeError, match=r'Assignment not allowed \(no field "foo" in protocol message object\)'):
        cfg.foo = 1


@pytest.mark.usefixtures("on_cpu")
def test_log_device_placement_prints_to_stderr(capsys):
    a = tf.constant(1.0, name="a")
    b = tf.add(a, a, name="b")
    with tf.Session(config=tf.ConfigProto(log_device_placement=True)) as sess:
        sess.run(b)
    err = capsys.readouterr().err
    assert "b: (Add): /job:localhost/replica:0/task:0/device:CPU:0" in err
    assert "a: (Const): /job:localhost/replica:0/task:0/device:CPU:0" in err
    with tf.Session() as sess:
        sess.run(b)
    assert capsys.readouterr().err == ""


# =========================================================================== make_callable
def test_make_callable(sess):
    x = tf.placeholder(tf.float32, name="x")
    f = sess.make_callable(x * 3.0, [x])
    assert f(2.0) == 6.0
    assert sess.make_callable([x + 1.0, tf.no_op()], [x])(1.0) == [2.0, None]


def test_session_context_is_not_reentrant():
    sess = tf.Session()
    with sess:
        with pytest.raises(RuntimeError, match=r"^Session context managers are not re-entrant\. Use "
                                               r"`Session.as_default\(\)` if you want to enter a session multiple "
                                               r"times\.$"):
            with sess:
                pass
        with sess.as_default():  # the supported way
            assert tf.get_default_session() is sess
        assert tf.get_default_session() is sess
    assert tf.get_default_session() is None


def test_config_proto_prints_like_protobuf_text_format():
    cfg = tf.ConfigProto(log_device_placement=True, inter_op_parallelism_threads=2,
                         device_count={"GPU": 0}, gpu_options=tf.GPUOptions(allow_growth=True, allocator_type="BFC"))
    assert str(cfg) == ('device_count {\n  key: "GPU"\n  value: 0\n}\n'
                        'inter_op_parallelism_threads: 2\n'
                        'gpu_options {\n  allocator_type: "BFC"\n  allow_growth: true\n}\n'
                        'log_device_placement: true\n')  # a newline after every field, as protobuf's
    assert str(tf.ConfigProto()) == "" and repr(cfg) == str(cfg)


# =========================================================================== tf.errors
@pytest.mark.parametrize("cls,code", [
    ("CancelledError", 1), ("UnknownError", 2), ("InvalidArgumentError", 3), ("DeadlineExceededError", 4),
    ("NotFoundError", 5), ("AlreadyExistsError", 6), ("PermissionDeniedError", 7), ("ResourceExhaustedError", 8),
    ("FailedPreconditionError", 9), ("AbortedError", 10), ("OutOfRangeError", 11), ("UnimplementedError", 12),
    ("InternalError", 13), ("UnavailableError", 14), ("DataLossError", 15), ("UnauthenticatedError", 16),
])
def test_error_classes_and_codes(cls, code):
    err_cls = getattr(tf.errors, cls)
    assert issubclass(err_cls, tf.errors.OpError) and issubclass(err_cls, Exception)
    e = err_cls(None, None, "what happened")
    assert e.error_code == code and e.message == "what happened" and str(e) == "what happened"
    assert e.op is None and e.node_def is None
    name = re.sub(r"(?<!^)(?=[A-Z])", "_", cls[:-len("Error")]).upper()
    assert getattr(tf.errors, name) == code


def test_op_error_carries_the_failing_op(sess):
    x = tf.placeholder(tf.float32, name="x")
    with pytest.raises(tf.errors.OpError) as info:
        sess.run(x)
    assert info.value.op is x.op and info.value.error_code == tf.errors.INVALID_ARGUMENT


def test_host_memory_is_kept_for_reuse_between_runs():
    """Large results come from the heap and go back to it (no page faults per run); TFMINI_MALLOC_TUNING=0 leaves
    malloc alone. Checked in fresh processes: the setting is per process. The untuned check uses 40 MiB arrays:
    glibc always maps and unmaps blocks above 32 MiB (its dynamic mmap threshold's ceiling); whether it trims
    the heap under smaller ones depends on what else the process freed (0 or hundreds of faults a run)."""
    import os
    import subprocess
    import sys
    code = """if True:
        import resource, sys, numpy as np
        sys.path.insert(0, %r)
        import tfmini as tf
        from tfmini.runtime import host_memory

        def faults(fetch, feed):
            sess.run(fetch, feed)
            before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            for _ in range(10):
                sess.run(fetch, feed)
            return (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 10
        x = tf.placeholder(tf.float32, [None, 512])
        y = tf.nn.relu(tf.matmul(x, tf.ones([512, 512]))) * 2.0 + 1.0
        big = tf.placeholder(tf.float32, [None])
        sess = tf.Session()
        small_faults = faults(y, {x: np.ones((256, 512), np.float32)})  # arrays of 512 KiB
        big_faults = faults(big * 2.0 + 1.0, {big: np.ones(10 << 20, np.float32)})  # of 40 MiB
        sess.close()
        print(host_memory.tune_malloc(), small_faults, big_faults)
    """ % os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    # one thread: the pool's threads change which of glibc's arenas and thresholds serve an array, and this
    # test is about malloc's settings alone
    env = dict(os.environ, TFMINI_NUM_THREADS="1")
    tuned, small, big = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                       check=True, env=env).stdout.split()
    if tuned != "True":
        pytest.skip("not glibc: malloc is left as it is")
    assert float(small) < 10 and float(big) < 10  # each run's arrays reuse freed memory
    env = dict(env, TFMINI_MALLOC_TUNING="0")
    tuned, small, big = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                       env=env).stdout.split()
    assert tuned == "False" and float(big) > 100  # glibc maps and unmaps each 40 MiB array


def test_feeding_a_variable_that_an_assignment_takes_is_tensorflows_error(backend):
    """A fed variable is a value: Assign (and a tf.cond's RefSwitch) need its storage, as TF says when it runs."""
    tf.reset_default_graph()
    v = tf.Variable(1.0, name="v")
    a = tf.assign(v, 2.0)
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="Input 0 of node Assign was passed float from v:0 incompatible with expected "
                                 "float_ref"):
            sess.run(a, {v: 5.0})
        assert sess.run(v.read_value() * 2, {v: 5.0}) == 10.0  # reading a fed variable is fine


def test_threads_that_build_plans_at_once_share_a_variable_s_storage(monkeypatch):
    """Two threads whose first runs touch one variable at the same moment (each building its plan) get the same
    storage: the initializer one thread runs is what the other reads. The first two slots made wait for each other,
    so both threads are past the "no slot yet" check before either puts one in (the race that lost an
    initialization about once in a hundred runs)."""
    import threading
    from tfmini.runtime import state as state_mod
    made, barrier = [], threading.Barrier(2, timeout=10)

    class MeetingSlot(state_mod.VariableSlot):
        __slots__ = ()

        def __init__(self, op):
            super().__init__(op)
            made.append(self)
            if len(made) <= 2:
                barrier.wait()
    monkeypatch.setattr(state_mod, "VariableSlot", MeetingSlot)
    tf.reset_default_graph()
    v = tf.Variable(3.0, name="v")
    doubled = v * 2.0
    with tf.Session() as sess:
        first = threading.Thread(target=sess.run, args=(v.initializer,))
        first.start()
        try:
            sess.run(doubled)  # may run before the initializer: only its plan (and its slot) matters here
        except tf.errors.FailedPreconditionError:
            pass
        first.join()
        assert len(made) == 2  # both threads made one: the race happened
        assert sess.run(doubled) == 6.0
