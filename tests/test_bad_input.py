"""Bad input: the misuses a learner makes with TF1 graph code, each with the error TensorFlow 1.x gives.

Every row is (id, misuse, error class, message). The class and message come from TensorFlow's own
source (python/framework/ops.py, op_def_library.py, tensor_util.py, python/client/session.py, the C++
shape functions and kernels), not from what tfmini prints. `message` is a substring of TF1's message,
or a tuple of substrings that must all appear (used where TF versions differ in between, and for the
`[[node ... (defined at file:line) ]]` suffix that names the op and the learner's line).

A plain callable builds the graph (or calls the client API) and must raise: TF reports it while the
graph is built. `at_run(build, run)` is a misuse TF reports only when the graph runs: `build()` must
succeed, then `run(built)` raises -- so a row also pins *when* the error comes, not only what it says.
"""
import os
import pathlib
import re

import numpy as np
import pytest

import tfmini as tf

_SOURCE = pathlib.Path(__file__).read_text(encoding="utf-8").splitlines()
_FILE = os.path.basename(__file__)


def line_of(tag):
    """The line number of the line in this file that ends with the comment `# @tag`."""
    hits = [i + 1 for i, text in enumerate(_SOURCE) if text.rstrip().endswith("# @" + tag)]
    assert len(hits) == 1, "tag %r must mark exactly one line, found %d" % (tag, len(hits))
    return hits[0]


def defined_at(op_name, tag):
    """The suffix TF1 adds to a run-time error: the failing op and the user's line that created it."""
    return ("[[node %s (defined at " % op_name, "%s:%d) ]]" % (_FILE, line_of(tag)))


class at_run:
    """A misuse TF reports only at run time: `build()` must succeed; `run(built)` raises."""

    def __init__(self, build, run):
        self.build = build
        self.run = run


def row(id, misuse, cls, message, xfail=None):  # noqa: A002 - pytest's name
    """One table row; `xfail` (a reason) marks a misuse tfmini does not report as TF does yet."""
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(misuse, cls, message, id=id, marks=marks)


def _sess_run(fetches, feed_dict=None):
    with tf.Session() as s:
        return s.run(fetches, feed_dict)


# =========================================================================== feeding
def _feed_wrong_shape():
    x = tf.placeholder(tf.float32, [None, 2])
    _sess_run(x * 2.0, {x: np.zeros(3)})


def _feed_wrong_row_length():
    x = tf.placeholder(tf.float32, [None, 2])
    _sess_run(x * 2.0, {x: np.zeros((4, 3))})


def _feed_string_to_float():
    x = tf.placeholder(tf.float32)
    _sess_run(x * 2.0, {x: "abc"})


def _feed_ragged_list():
    x = tf.placeholder(tf.float32, [None, 2])
    _sess_run(x * 2.0, {x: [[1.0, 2.0], [3.0]]})


def _feed_int8_out_of_range():
    x = tf.placeholder(tf.int8)
    _sess_run(x + 1, {x: 300})


def _feed_int16_out_of_range():
    x = tf.placeholder(tf.int16)
    _sess_run(x + 1, {x: 70000})


def _feed_key_of_other_graph():
    g = tf.Graph()
    with g.as_default():
        x_other = tf.placeholder(tf.float32, [None, 2])
    x = tf.placeholder(tf.float32, [None, 2])
    _sess_run(x * 2.0, {x_other: np.zeros((1, 2))})


def _feed_key_missing_name():
    x = tf.placeholder(tf.float32)
    _sess_run(x * 2.0, {"nope:0": 1.0})


def _feed_key_operation():
    x = tf.placeholder(tf.float32)
    _sess_run(x * 2.0, {x.op: 1.0})


def _feed_value_is_tensor():
    x = tf.placeholder(tf.float32, [None, 2])
    _sess_run(x * 2.0, {x: tf.zeros([1, 2])})


def _missing_feed():
    x = tf.placeholder(tf.float32, [None, 2])
    return x * 2.0


def _missing_feed_no_shape():
    x = tf.placeholder(tf.int16)
    return x + 1


def _missing_feed_scalar():
    x = tf.placeholder(tf.float32, [])
    return x * 2.0


def _missing_second_feed():
    a = tf.placeholder(tf.float32, [2])
    b = tf.placeholder(tf.float64, [2, 3], name="labels")
    return (tf.reduce_sum(a) + tf.cast(tf.reduce_sum(b), tf.float32), {a: [1.0, 2.0]})


FEEDING = [
    row("feed_wrong_shape", _feed_wrong_shape, ValueError,
        "Cannot feed value of shape (3,) for Tensor 'Placeholder:0', which has shape '(?, 2)'"),
    row("feed_wrong_row_length", _feed_wrong_row_length, ValueError,
        "Cannot feed value of shape (4, 3) for Tensor 'Placeholder:0', which has shape '(?, 2)'"),
    # session.py: np.asarray(value, dtype=subfeed_dtype) -- numpy's own ValueError
    row("feed_string_to_float", _feed_string_to_float, ValueError, "could not convert string to float: 'abc'"),
    row("feed_ragged_list", _feed_ragged_list, ValueError, "setting an array element with a sequence"),
    row("feed_int8_out_of_range", _feed_int8_out_of_range, TypeError,
        "Type of feed value 300 with type <class 'int'> is not compatible with Tensor type <class 'numpy.int8'>. "
        "Try explicitly setting the type of the feed tensor to a larger type (e.g. int64)."),
    row("feed_int16_out_of_range", _feed_int16_out_of_range, TypeError,
        "Type of feed value 70000 with type <class 'int'> is not compatible with Tensor type "
        "<class 'numpy.int16'>."),
    row("feed_key_of_other_graph", _feed_key_of_other_graph, TypeError,
        "Cannot interpret feed_dict key as Tensor: Tensor Tensor(\"Placeholder:0\", shape=(?, 2), dtype=float32) "
        "is not an element of this graph."),
    row("feed_key_missing_name", _feed_key_missing_name, TypeError,
        "Cannot interpret feed_dict key as Tensor: The name 'nope:0' refers to a Tensor which does not exist. "
        "The operation, 'nope', does not exist in the graph."),
    row("feed_key_operation", _feed_key_operation, TypeError,
        "Cannot interpret feed_dict key as Tensor: Can not convert a Operation into a Tensor."),
    row("feed_value_is_tensor", _feed_value_is_tensor, TypeError,
        "The value of a feed cannot be a tf.Tensor object. Acceptable feed values include Python scalars, "
        "strings, lists, numpy ndarrays, or TensorHandles."),
    # PlaceholderOp::Compute: the shape is named only when the placeholder has rank > 0
    row("missing_feed", at_run(_missing_feed, _sess_run), tf.errors.InvalidArgumentError,
        "You must feed a value for placeholder tensor 'Placeholder' with dtype float and shape [?,2]"),
    row("missing_feed_no_shape", at_run(_missing_feed_no_shape, _sess_run), tf.errors.InvalidArgumentError,
        "You must feed a value for placeholder tensor 'Placeholder' with dtype int16\n\t [[node Placeholder"),
    row("missing_feed_scalar", at_run(_missing_feed_scalar, _sess_run), tf.errors.InvalidArgumentError,
        "You must feed a value for placeholder tensor 'Placeholder' with dtype float\n\t [[node Placeholder"),
    row("missing_second_feed", at_run(_missing_second_feed, lambda b: _sess_run(*b)), tf.errors.InvalidArgumentError,
        "You must feed a value for placeholder tensor 'labels' with dtype double and shape [2,3]"),
]


# =========================================================================== fetching, sessions
def _fetch_tensor_of_other_graph():
    g = tf.Graph()
    with g.as_default():
        c_other = tf.constant(1.0)
    tf.constant(2.0)
    _sess_run(c_other)


def _fetch_none():
    tf.constant(0.0)
    _sess_run(None)


def _fetch_list_with_none():
    _sess_run([tf.constant(1.0), None])  # e.g. a gradient that is None


def _fetch_int():
    tf.constant(1.0)
    _sess_run(5)


def _fetch_previous_result():
    loss = tf.reduce_sum(tf.constant([1.0, 2.0]))
    with tf.Session() as s:
        loss = s.run(loss)  # the name now holds a numpy value
        s.run(loss)


def _fetch_missing_name():
    tf.constant(1.0)
    _sess_run("nope:0")


def _closed_session():
    c = tf.constant(1.0)
    with tf.Session() as s:
        s.run(c)
    s.run(c)  # the `with` block closed it


def _eval_without_session():
    tf.constant(1.0).eval()


def _op_run_without_session():
    tf.no_op().run()


def _eval_in_session_of_other_graph():
    c = tf.constant(1.0)
    g = tf.Graph()
    with g.as_default():
        tf.constant(2.0)
    with tf.Session(graph=g):
        c.eval()


def _eval_with_session_of_other_graph():
    c = tf.constant(1.0)
    g = tf.Graph()
    with g.as_default():
        tf.constant(2.0)
    with tf.Session(graph=g) as s:
        c.eval(session=s)


def _config_bad_field():
    tf.ConfigProto(bad_field=1)


def _session_config_not_proto():
    tf.Session(config="x")


def _session_config_positional():
    tf.Session(tf.ConfigProto())


def _session_graph_positional():
    tf.Session(tf.Graph())


def _session_graph_not_graph():
    tf.Session(graph="x")


FETCHING = [
    row("fetch_tensor_of_other_graph", _fetch_tensor_of_other_graph, ValueError,
        "Fetch argument <tf.Tensor 'Const:0' shape=() dtype=float32> cannot be interpreted as a Tensor. "
        "(Tensor Tensor(\"Const:0\", shape=(), dtype=float32) is not an element of this graph.)"),
    row("fetch_none", _fetch_none, TypeError, "Fetch argument None has invalid type <class 'NoneType'>"),
    row("fetch_list_with_none", _fetch_list_with_none, TypeError,
        "Fetch argument None has invalid type <class 'NoneType'>"),
    row("fetch_int", _fetch_int, TypeError,
        "Fetch argument 5 has invalid type <class 'int'>, must be a string or Tensor. "
        "(Can not convert a int into a Tensor or Operation.)"),
    row("fetch_previous_result", _fetch_previous_result, TypeError,
        "has invalid type <class 'numpy.float32'>, must be a string or Tensor. "
        "(Can not convert a float32 into a Tensor or Operation.)"),
    # ValueError('... (%s)' % str(e)) of the KeyError: str() of a KeyError quotes its message
    row("fetch_missing_name", _fetch_missing_name, ValueError,
        "Fetch argument 'nope:0' cannot be interpreted as a Tensor. (\"The name 'nope:0' refers to a Tensor "
        "which does not exist. The operation, 'nope', does not exist in the graph.\")"),
    row("closed_session", _closed_session, RuntimeError, "Attempted to use a closed Session."),
    row("eval_without_session", _eval_without_session, ValueError,
        "Cannot evaluate tensor using `eval()`: No default session is registered. Use `with "
        "sess.as_default()` or pass an explicit session to `eval(session=sess)`"),
    row("op_run_without_session", _op_run_without_session, ValueError,
        "Cannot execute operation using `run()`: No default session is registered. Use `with "
        "sess.as_default():` or pass an explicit session to `run(session=sess)`"),
    row("eval_in_session_of_other_graph", _eval_in_session_of_other_graph, ValueError,
        "Cannot use the default session to evaluate tensor: the tensor's graph is different from the "
        "session's graph. Pass an explicit session to `eval(session=sess)`."),
    row("eval_with_session_of_other_graph", _eval_with_session_of_other_graph, ValueError,
        "Cannot use the given session to evaluate tensor: the tensor's graph is different from the "
        "session's graph."),
    row("config_bad_field", _config_bad_field, ValueError, 'Protocol message ConfigProto has no "bad_field" field.'),
    row("session_config_not_proto", _session_config_not_proto, TypeError,
        "config must be a tf.ConfigProto, but got <class 'str'>"),
    row("session_config_positional", _session_config_positional, TypeError,
        'Did you do "Session(config)" instead of "Session(config=config)"?'),
    row("session_graph_positional", _session_graph_positional, TypeError, "target must be a string, but got <class '"),
    row("session_graph_not_graph", _session_graph_not_graph, TypeError, "graph must be a tf.Graph, but got <class 'str'>"),
]


# =========================================================================== variables
def _uninitialized_variable():
    return tf.Variable(tf.zeros([2, 3]), name="weight")


def _uninitialized_variable_through_op():
    w = tf.Variable(tf.zeros([2, 3]), name="weight")  # @uninit_read
    return tf.reduce_sum(w * 2.0)


def _init_built_before_variables():
    init = tf.global_variables_initializer()  # collects the variables that exist now: none
    w = tf.Variable(tf.zeros([2]), name="w")
    return init, w


def _run_init_then_read(built):
    init, w = built
    with tf.Session() as s:
        s.run(init)
        s.run(w)


def _initialized_in_another_session():
    w = tf.Variable(tf.zeros([2]), name="w")
    init = tf.global_variables_initializer()
    return init, w


def _run_init_in_one_read_in_other(built):
    init, w = built
    with tf.Session() as s1:
        s1.run(init)
    with tf.Session() as s2:
        s2.run(w)


def _variable_none():
    tf.Variable(None)


def _variable_unknown_shape():
    tf.Variable(tf.placeholder(tf.float32, [None, 3]))


def _assign_shape_mismatch():
    v = tf.Variable(tf.zeros([2, 3]))
    tf.assign(v, tf.zeros([3, 2]))


def _assign_rank_mismatch():
    v = tf.Variable(tf.zeros([2, 3]))
    tf.assign(v, tf.zeros([6]))


def _assign_wrong_dtype():
    v = tf.Variable(tf.zeros([3]))
    tf.assign(v, tf.constant([1, 2, 3]))


def _assign_to_tensor():
    x = tf.constant(1.0)
    tf.assign(x, 2.0)


VARIABLES = [
    row("uninitialized_variable", at_run(_uninitialized_variable, _sess_run), tf.errors.FailedPreconditionError,
        "Attempting to use uninitialized value weight"),
    row("uninitialized_variable_through_op", at_run(_uninitialized_variable_through_op, _sess_run),
        tf.errors.FailedPreconditionError,
        ("Attempting to use uninitialized value weight",) + defined_at("weight/read", "uninit_read")),
    row("init_built_before_variables", at_run(_init_built_before_variables, _run_init_then_read),
        tf.errors.FailedPreconditionError, "Attempting to use uninitialized value w"),
    row("initialized_in_another_session", at_run(_initialized_in_another_session, _run_init_in_one_read_in_other),
        tf.errors.FailedPreconditionError, "Attempting to use uninitialized value w"),
    row("variable_none", _variable_none, ValueError, "initial_value must be specified."),
    row("variable_unknown_shape", _variable_unknown_shape, ValueError,
        "initial_value must have a shape specified: Tensor(\"Placeholder:0\", shape=(?, 3), dtype=float32)"),
    # Assign's shape fn merges both inputs (InferenceContext::Merge); TF 1.15 adds ". Shapes are ..." in between
    row("assign_shape_mismatch", _assign_shape_mismatch, ValueError,
        ("Dimension 0 in both shapes must be equal, but are 2 and 3",
         "for 'Assign' (op: 'Assign') with input shapes: [2,3], [3,2]")),
    row("assign_rank_mismatch", _assign_rank_mismatch, ValueError,
        "Shapes must be equal rank, but are 2 and 1 for 'Assign' (op: 'Assign') with input shapes: [2,3], [6]"),
    row("assign_wrong_dtype", _assign_wrong_dtype, TypeError,
        "Input 'value' of 'Assign' Op has type int32 that does not match type float32 of argument 'ref'."),
    # state_ops.assign: a non-ref `ref` falls through to `ref.assign(value)`
    row("assign_to_tensor", _assign_to_tensor, AttributeError, "'Tensor' object has no attribute 'assign'"),
]


# =========================================================================== dtypes and conversion
def _add_int32_float32():
    tf.constant(1) + tf.constant(1.5)


def _tf_add_int_and_float():
    tf.add(tf.constant(1), 1.5)


def _constant_float_as_int():
    tf.constant(1.5, dtype=tf.int32)


def _constant_ragged():
    tf.constant([[1, 2], [3]])


def _constant_none():
    tf.constant(None)


def _constant_too_many_values():
    tf.constant([1, 2, 3], shape=[2])


def _op_input_ragged():
    tf.add(tf.zeros([2]), [[1.0, 2.0], [3.0]])


def _op_input_none():
    grad = None  # e.g. tf.gradients of a variable the loss does not use
    tf.multiply(tf.constant(0.1), grad)


def _matmul_int_float():
    tf.matmul(tf.constant([[1, 2]]), tf.constant([[1.0], [2.0]]))


def _matmul_uint8():
    img = tf.placeholder(tf.uint8, [None, 4])
    tf.matmul(img, tf.ones([4, 2], dtype=tf.uint8))


def _placeholder_without_dtype():
    tf.placeholder([None, 2])


def _placeholder_minus_one():
    tf.placeholder(tf.float32, [-1, 2])


def _cast_to_unknown_dtype():
    tf.cast(tf.constant(1), "floaty")


DTYPES = [
    row("add_int32_float32", _add_int32_float32, TypeError,
        "Input 'y' of 'AddV2' Op has type float32 that does not match type int32 of argument 'x'."),
    # op_def_library: a Python value that cannot become the input's type (TF >= 1.13 appends " Error: ...")
    row("tf_add_int_and_float", _tf_add_int_and_float, TypeError,
        "Expected int32 passed to parameter 'y' of op 'Add', got 1.5 of type 'float' instead."),
    row("constant_float_as_int", _constant_float_as_int, TypeError, "Expected int32, got 1.5 of type 'float' instead."),
    row("constant_ragged", _constant_ragged, ValueError,
        "Argument must be a dense tensor: [[1, 2], [3]] - got shape [2], but wanted [2, 2]."),
    row("constant_none", _constant_none, ValueError, "None values not supported."),
    # tf.constant (v1) builds with allow_broadcast=False: too many values is a ValueError
    row("constant_too_many_values", _constant_too_many_values, ValueError,
        "Too many elements provided. Needed at most 2, but received 3"),
    row("op_input_ragged", _op_input_ragged, ValueError,
        "Tried to convert 'y' to a tensor and failed. Error: Argument must be a dense tensor: "
        "[[1.0, 2.0], [3.0]] - got shape [2], but wanted [2, 2]."),
    row("op_input_none", _op_input_none, ValueError,
        "Tried to convert 'y' to a tensor and failed. Error: None values not supported."),
    row("matmul_int_float", _matmul_int_float, TypeError,
        "Input 'b' of 'MatMul' Op has type float32 that does not match type int32 of argument 'a'."),
    row("matmul_uint8", _matmul_uint8, TypeError,
        "Value passed to parameter 'a' has DataType uint8 not in list of allowed values"),
    # gen_array_ops.placeholder: _execute.make_type / make_shape (op_def_library's _MakeType / _MakeShape)
    row("placeholder_without_dtype", _placeholder_without_dtype, TypeError,
        "Expected DataType for argument 'dtype' not [None, 2]."),
    row("placeholder_minus_one", _placeholder_minus_one, ValueError,
        "Error converting shape to a TensorShape: Dimension -1 must be >= 0"),
    row("cast_to_unknown_dtype", _cast_to_unknown_dtype, TypeError,
        "Cannot convert value 'floaty' to a TensorFlow DType."),
]


# =========================================================================== static shapes (graph build)
def _broadcast_incompatible():
    tf.add(tf.zeros([2, 3]), tf.zeros([4]))


def _matmul_inner_mismatch():
    tf.matmul(tf.zeros([1, 2]), tf.zeros([3, 1]))


def _matmul_features_mismatch():
    x = tf.placeholder(tf.float32, [None, 784])
    w = tf.Variable(tf.zeros([100, 10]))
    tf.matmul(x, w)


def _matmul_rank1():
    tf.matmul(tf.zeros([2]), tf.zeros([2, 3]))


def _reshape_count_mismatch():
    tf.reshape(tf.zeros([2, 3]), [4, 2])


def _reduce_axis_out_of_range():
    tf.reduce_sum(tf.zeros([2, 3]), axis=2)


def _concat_rank_mismatch():
    tf.concat([tf.zeros([2, 3]), tf.zeros([2])], 0)


def _zeros_minus_one():
    tf.zeros([-1, 2])  # -1 as in tf.reshape


def _reduce_sum_float_axis():
    tf.reduce_sum(tf.zeros([2, 3]), axis=1.0)


def _zeros_invalid_dim():
    tf.zeros([2, -3])


def _reduce_mean_axis_out_of_range():
    tf.reduce_mean(tf.zeros([2, 3]), axis=2)


def _sparse_xent_one_hot_float_labels():  # the labels of softmax_cross_entropy_with_logits given to the sparse one
    y = tf.placeholder(tf.float32, [None, 10])
    logits = tf.placeholder(tf.float32, [None, 10])
    tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)


SHAPES = [
    row("sparse_xent_one_hot_float_labels", _sparse_xent_one_hot_float_labels, ValueError,
        "Rank mismatch: Rank of labels (received 2) should equal rank of logits minus 1 (received 2)."),
    row("broadcast_incompatible", _broadcast_incompatible, ValueError,
        "Dimensions must be equal, but are 3 and 4 for 'Add' (op: 'Add') with input shapes: [2,3], [4]."),
    row("matmul_inner_mismatch", _matmul_inner_mismatch, ValueError,
        "Dimensions must be equal, but are 2 and 3 for 'MatMul' (op: 'MatMul') with input shapes: [1,2], [3,1]."),
    row("matmul_features_mismatch", _matmul_features_mismatch, ValueError,
        "Dimensions must be equal, but are 784 and 100 for 'MatMul' (op: 'MatMul') with input shapes: "
        "[?,784], [100,10]."),
    row("matmul_rank1", _matmul_rank1, ValueError,
        "Shape must be rank 2 but is rank 1 for 'MatMul' (op: 'MatMul') with input shapes: [2], [2,3]."),
    # InferenceContext::AttachContext may append " and with input tensors computed as partial shapes: ..."
    row("reshape_count_mismatch", _reshape_count_mismatch, ValueError,
        "Cannot reshape a tensor with 6 elements to shape [4,2] (8 elements) for 'Reshape' (op: 'Reshape') "
        "with input shapes: [2,3], [2]"),
    row("reduce_axis_out_of_range", _reduce_axis_out_of_range, ValueError,
        "Invalid reduction dimension 2 for input with 2 dimensions. for 'Sum' (op: 'Sum') with input shapes: "
        "[2,3], []"),
    # ConcatShapeHelper merges the dims after the axis, from the last input back: [3] vs [] (not "rank 2")
    row("concat_rank_mismatch", _concat_rank_mismatch, ValueError,
        "Shapes must be equal rank, but are 1 and 0 for 'concat' (op: 'ConcatV2') with input shapes: [2,3], [2], []"),
    # tf.zeros catches the Const's ValueError and builds a Fill, whose shape fn rejects any negative dim
    # ShapeRefiner reruns FillShape with the dims as a partial shape ([?,2]) and as a value: the value check fails,
    # and the message names the partial shape; -3 is no dimension at all, refused before the check
    row("zeros_minus_one", _zeros_minus_one, ValueError,
        "Fill dimensions must be >= 0 for 'zeros' (op: 'Fill') with input shapes: [2], [] and with input tensors "
        "computed as partial shapes: input[0] = [?,2]."),
    row("zeros_invalid_dim", _zeros_invalid_dim, ValueError, "Invalid value in tensor used for shape: -3"),
    row("reduce_sum_float_axis", _reduce_sum_float_axis, TypeError,
        "Value passed to parameter 'reduction_indices' has DataType float32 not in list of allowed values: int32, "
        "int64"),
    row("reduce_axis_names_its_value", _reduce_mean_axis_out_of_range, ValueError,
        "Invalid reduction dimension 2 for input with 2 dimensions. for 'Mean' (op: 'Mean') with input shapes: "
        "[2,3], [] and with computed input tensors: input[1] = <2>."),
]


# =========================================================================== shapes and values at run time
def _reshape_runtime():
    x = tf.placeholder(tf.float32, [None, 3])  # 4 rows make the 12 values [4, 3] wants: the graph cannot tell
    r = tf.reshape(x, [4, 3])  # @reshape_runtime
    return r, {x: np.zeros((2, 3))}


def _reshape_two_unknown():
    x = tf.placeholder(tf.float32, [None, 3])
    return tf.reshape(x, [-1, -1]), {x: np.zeros((2, 3))}


def _concat_rank_mismatch_runtime():
    a = tf.placeholder(tf.float32)
    b = tf.placeholder(tf.float32)
    return tf.concat([a, b], 0), {a: np.zeros((2, 3)), b: np.zeros(2)}


def _gather_out_of_range():
    params = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    return tf.gather(params, [5])  # @gather


def _int_division_by_zero():
    a = tf.constant(7)
    b = tf.placeholder(tf.int32)
    q = a // b  # @floordiv
    return q, {b: 0}


def _int_mod_by_zero():
    a = tf.constant([7, 8])
    return tf.mod(a, tf.constant([2, 0]))  # @floormod


def _matmul_runtime():
    x = tf.placeholder(tf.float32, [None, None])
    w = tf.placeholder(tf.float32, [None, 10])
    return tf.matmul(x, w), {x: np.ones((2, 785)), w: np.ones((784, 10))}  # @matmul


def _matmul_runtime_large():  # a product big enough to be cut into blocks for the intra-op threads
    x = tf.placeholder(tf.float32, [None, None])
    w = tf.placeholder(tf.float32, [None, 256])
    return tf.matmul(x, w), {x: np.ones((512, 785)), w: np.ones((784, 256))}


def _matmul_runtime_transposed():
    x = tf.placeholder(tf.float32, [None, None])
    return tf.matmul(x, x, transpose_b=True), {x: np.ones((2, 3))}


def _add_runtime_mismatch():
    x = tf.placeholder(tf.float32)
    y = tf.placeholder(tf.float32)
    return x + y, {x: np.ones((2, 3)), y: np.ones(4)}  # @add_runtime


def _equal_runtime_mismatch():  # the lecture's accuracy, with predictions and labels of different batches
    p = tf.placeholder(tf.int64, [None])
    y = tf.placeholder(tf.int64, [None])
    return tf.equal(p, y), {p: np.zeros(2), y: np.zeros(3)}


def _batch_matmul_runtime(adjoint_a, b_shape):
    def build():
        a = tf.placeholder(tf.float32, [None, None, None])
        b = tf.placeholder(tf.float32, [None, None, None])
        return tf.matmul(a, b, adjoint_a=adjoint_a), {a: np.ones((2, 2, 3)), b: np.ones(b_shape)}
    return build


def _matmul_of_unknown_rank():  # tf.matmul builds BatchMatMulV2 when a rank is unknown
    a, b = tf.placeholder(tf.float32), tf.placeholder(tf.float32)
    return tf.matmul(a, b), {a: np.ones((2, 3)), b: np.ones(3)}


def _raw_matmul_of_unknown_rank():
    from tfmini.framework.op_def_library import make_op
    a, b = tf.placeholder(tf.float32), tf.placeholder(tf.float32)
    return make_op("MatMul", [a, b], {"transpose_a": False, "transpose_b": False}), {a: np.ones((2, 3)),
                                                                                    b: np.ones(3)}


RUNTIME = [
    # MatMulOp::Compute, BinaryOpShared (BCast), BaseBatchMatMulOp::Compute (MatMulBCast)
    row("matmul_runtime", at_run(_matmul_runtime, lambda b: _sess_run(*b)), tf.errors.InvalidArgumentError,
        ("Matrix size-incompatible: In[0]: [2,785], In[1]: [784,10]",) + defined_at("MatMul", "matmul")),
    row("matmul_runtime_large", at_run(_matmul_runtime_large, lambda b: _sess_run(*b)),
        tf.errors.InvalidArgumentError, "Matrix size-incompatible: In[0]: [512,785], In[1]: [784,256]"),
    row("matmul_runtime_transposed", at_run(_matmul_runtime_transposed, lambda b: _sess_run(*b)), None, None),
    row("add_runtime_mismatch", at_run(_add_runtime_mismatch, lambda b: _sess_run(*b)),
        tf.errors.InvalidArgumentError,
        ("Incompatible shapes: [2,3] vs. [4]",) + defined_at("add", "add_runtime")),
    row("equal_runtime_mismatch", at_run(_equal_runtime_mismatch, lambda b: _sess_run(*b)),
        tf.errors.InvalidArgumentError, "Incompatible shapes: [2] vs. [3]"),
    row("batch_matmul_contraction", at_run(_batch_matmul_runtime(False, (2, 2, 3)), lambda b: _sess_run(*b)),
        tf.errors.InvalidArgumentError, "In[0] mismatch In[1] shape: 3 vs. 2: [2,2,3] [2,2,3] 0 0"),
    row("batch_matmul_adjoint", at_run(_batch_matmul_runtime(True, (2, 3, 2)), lambda b: _sess_run(*b)),
        tf.errors.InvalidArgumentError, "In[0] mismatch In[1] shape: 2 vs. 3: [2,2,3] [2,3,2] 1 0"),
    row("batch_matmul_vector", at_run(_matmul_of_unknown_rank, lambda b: _sess_run(*b)),
        tf.errors.InvalidArgumentError, "In[1] ndims must be >= 2: 1"),  # numpy would give a vector
    row("raw_matmul_vector", at_run(_raw_matmul_of_unknown_rank, lambda b: _sess_run(*b)),
        tf.errors.InvalidArgumentError, "In[1] is not a matrix"),
    row("batch_matmul_batch_dims", at_run(_batch_matmul_runtime(False, (3, 3, 2)), lambda b: _sess_run(*b)),
        tf.errors.InvalidArgumentError,
        "In[0] and In[1] must have compatible batch dimensions: [2,2,3] vs. [3,3,2]"),
    # ReshapeOp::Compute
    row("reshape_runtime", at_run(_reshape_runtime, lambda b: _sess_run(*b)), tf.errors.InvalidArgumentError,
        "Input to reshape is a tensor with 6 values, but the requested shape has 12"),
    row("reshape_runtime_names_op_and_line", at_run(_reshape_runtime, lambda b: _sess_run(*b)),
        tf.errors.InvalidArgumentError, defined_at("Reshape", "reshape_runtime")),
    row("reshape_two_unknown", at_run(_reshape_two_unknown, lambda b: _sess_run(*b)), tf.errors.InvalidArgumentError,
        "Only one input size may be -1, not both 0 and 1"),
    row("concat_rank_mismatch_runtime", at_run(_concat_rank_mismatch_runtime, lambda b: _sess_run(*b)),
        tf.errors.InvalidArgumentError,
        "ConcatOp : Ranks of all input tensors should match: shape[0] = [2,3] vs. shape[1] = [2]"),
    row("gather_out_of_range", at_run(_gather_out_of_range, _sess_run), tf.errors.InvalidArgumentError,
        ("indices[0] = 5 is not in [0, 3)",) + defined_at("GatherV2", "gather")),
    row("int_division_by_zero", at_run(_int_division_by_zero, lambda b: _sess_run(*b)),
        tf.errors.InvalidArgumentError, ("Integer division by zero",) + defined_at("floordiv", "floordiv")),
    row("int_mod_by_zero", at_run(_int_mod_by_zero, _sess_run), tf.errors.InvalidArgumentError,
        ("Integer division by zero",) + defined_at("FloorMod", "floormod")),
]


# =========================================================================== Python protocols on symbolic tensors
def _if_tensor():
    x = tf.placeholder(tf.float32)
    if x > 0:
        pass


def _iterate_tensor():
    for _ in tf.constant([1, 2, 3]):
        pass


def _unpack_tensor():
    a, b = tf.constant([1, 2])


def _len_tensor():
    len(tf.constant([1, 2, 3]))


def _np_array_of_tensor():
    np.array(tf.constant([1, 2, 3]))


def _np_mean_of_tensor():
    np.mean(tf.constant([1.0, 2.0]))


PROTOCOLS = [
    row("if_tensor", _if_tensor, TypeError, "Using a `tf.Tensor` as a Python `bool` is not allowed."),
    row("iterate_tensor", _iterate_tensor, TypeError,
        "Tensor objects are only iterable when eager execution is enabled. To iterate over this tensor use "
        "tf.map_fn."),
    row("unpack_tensor", _unpack_tensor, TypeError, "Tensor objects are only iterable when eager execution is enabled."),
    row("len_tensor", _len_tensor, TypeError,
        "len is not well defined for symbolic Tensors. (Const:0) Please call `x.shape` rather than `len(x)` for "
        "shape information."),
    row("np_array_of_tensor", _np_array_of_tensor, NotImplementedError,
        "Cannot convert a symbolic Tensor (Const:0) to a numpy array."),
    row("np_mean_of_tensor", _np_mean_of_tensor, NotImplementedError,
        "Cannot convert a symbolic Tensor (Const:0) to a numpy array."),
]


# =========================================================================== graphs and names
def _modify_finalized_graph():
    tf.constant(1.0)
    tf.get_default_graph().finalize()
    tf.constant(2.0)


def _bad_op_name():
    tf.constant(1, name="bad name!")


def _bad_scope_name():
    with tf.name_scope("bad name!"):
        pass


def _tensor_by_op_name():
    tf.constant(1.0)
    tf.get_default_graph().get_tensor_by_name("Const")


def _tensor_by_missing_name():
    tf.get_default_graph().get_tensor_by_name("nope:0")


def _tensor_by_wrong_output_index():
    tf.constant(1.0)
    tf.get_default_graph().get_tensor_by_name("Const:1")


def _operation_by_tensor_name():
    tf.constant(1.0)
    tf.get_default_graph().get_operation_by_name("Const:0")


def _operation_by_missing_name():
    tf.get_default_graph().get_operation_by_name("nope")


def _reset_inside_nested_graph():
    with tf.Graph().as_default():
        tf.reset_default_graph()


def _mix_graphs_in_one_op():
    a = tf.constant(1.0)
    with tf.Graph().as_default():
        b = tf.constant(2.0)
    tf.add(a, b)


def _run_tensor_of_a_reset_graph():
    a = tf.constant(1.0)
    tf.reset_default_graph()
    with tf.Session() as s:  # a session of the new, empty default graph
        s.run(a)


def _minimize_a_tensor():
    x = tf.placeholder(tf.float32, [None, 2])
    h = tf.matmul(x, tf.Variable(tf.ones([2, 1])))
    tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_mean(h), var_list=[h])


GRAPHS = [
    row("run_tensor_of_a_reset_graph", _run_tensor_of_a_reset_graph, RuntimeError,
        "The Session graph is empty.  Add operations to the graph before calling run()."),
    row("minimize_a_tensor", _minimize_a_tensor, NotImplementedError, "('Trying to update a Tensor ', <tf.Tensor "
        "'MatMul:0' shape=(?, 1) dtype=float32>)"),
    row("modify_finalized_graph", _modify_finalized_graph, RuntimeError, "Graph is finalized and cannot be modified."),
    row("bad_op_name", _bad_op_name, ValueError, "'bad name!' is not a valid node name"),
    row("bad_scope_name", _bad_scope_name, ValueError, "'bad name!' is not a valid scope name"),
    row("tensor_by_op_name", _tensor_by_op_name, ValueError,
        "The name 'Const' refers to an Operation, not a Tensor. Tensor names must be of the form "
        "\"<op_name>:<output_index>\"."),
    row("tensor_by_missing_name", _tensor_by_missing_name, KeyError,
        "The name 'nope:0' refers to a Tensor which does not exist. The operation, 'nope', does not exist in the "
        "graph."),
    row("tensor_by_wrong_output_index", _tensor_by_wrong_output_index, KeyError,
        "The name 'Const:1' refers to a Tensor which does not exist. The operation, 'Const', exists but only has "
        "1 outputs."),
    row("operation_by_tensor_name", _operation_by_tensor_name, ValueError,
        "Name 'Const:0' appears to refer to a Tensor, not a Operation."),
    row("operation_by_missing_name", _operation_by_missing_name, KeyError,
        "The name 'nope' refers to an Operation not in the graph."),
    row("reset_inside_nested_graph", _reset_inside_nested_graph, AssertionError,
        "Do not use tf.reset_default_graph() to clear nested graphs. If you need a cleared graph, exit the "
        "nesting and create a new graph."),
    row("mix_graphs_in_one_op", _mix_graphs_in_one_op, ValueError,
        "Tensor(\"Const:0\", shape=(), dtype=float32) must be from the same graph as "
        "Tensor(\"Const:0\", shape=(), dtype=float32)."),
]


ROWS = FEEDING + FETCHING + VARIABLES + DTYPES + SHAPES + RUNTIME + PROTOCOLS + GRAPHS


@pytest.mark.parametrize("misuse, cls, message", ROWS)
def test_bad_input(misuse, cls, message):
    messages = (message,) if isinstance(message, str) else message
    if isinstance(misuse, at_run):
        built = misuse.build()  # TF accepts this graph: the error must wait for the run
        call = lambda: misuse.run(built)  # noqa: E731
    else:
        call = misuse
    if cls is None:  # a near miss that is fine: it must run
        call()
        return
    with pytest.raises(cls, match=re.escape(messages[0])) as info:
        call()
    text = str(info.value)
    for m in messages[1:]:
        assert m in text, "%r not in the message:\n%s" % (m, text)
    # TF's error alone: never numpy's, chained below it ("The above exception was the direct cause ...")
    assert info.value.__cause__ is None, info.value.__cause__


def test_table_is_large_and_ids_unique():
    ids = [p.id for p in ROWS]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 40
