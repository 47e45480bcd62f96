"""Graph, Operation and Tensor: default graphs, names, scopes, collections, control deps, devices."""
import os
import re

import numpy as np
import pytest

import tfmini as tf


def _line_of(marker):
    """The line number in this file of the line that ends with the comment `# <marker>`."""
    with open(__file__) as f:
        for i, line in enumerate(f, 1):
            if line.rstrip().endswith("# " + marker):
                return i
    raise LookupError(marker)


# =========================================================================== default graph stack
def test_default_graph_is_stable_until_reset():
    g = tf.get_default_graph()
    assert tf.get_default_graph() is g
    c = tf.constant(1.0)
    assert c.graph is g
    tf.reset_default_graph()
    assert tf.get_default_graph() is not g
    assert tf.get_default_graph().get_operations() == []


def test_as_default_nesting():
    outer = tf.get_default_graph()
    g1, g2 = tf.Graph(), tf.Graph()
    with g1.as_default() as got:
        assert got is g1 and tf.get_default_graph() is g1
        a = tf.constant(1.0)
        with g2.as_default():
            assert tf.get_default_graph() is g2
            b = tf.constant(2.0)
        assert tf.get_default_graph() is g1
    assert tf.get_default_graph() is outer
    assert a.graph is g1 and b.graph is g2
    assert a.name == b.name == "Const:0"  # names are per graph
    assert outer.get_operations() == []


def test_as_default_pops_on_exception():
    g = tf.Graph()
    outer = tf.get_default_graph()
    with pytest.raises(KeyError):
        with g.as_default():
            raise KeyError("boom")
    assert tf.get_default_graph() is outer


def test_reset_default_graph_inside_nested_graph_fails():
    msg = r"Do not use tf.reset_default_graph\(\) to clear nested graphs"
    with tf.Graph().as_default():
        with pytest.raises(AssertionError, match=msg):
            tf.reset_default_graph()
    with tf.Session():
        with pytest.raises(AssertionError, match=msg):
            tf.reset_default_graph()
    tf.reset_default_graph()  # fine again at the top level


def test_ops_from_two_graphs_do_not_mix():
    x = tf.constant(1.0, name="x")
    with tf.Graph().as_default():
        y = tf.constant(2.0, name="y")
        with pytest.raises(ValueError, match=r'must be from the same graph as'):
            tf.add(y, x)


# =========================================================================== unique names
def test_unique_names():
    assert tf.constant(1.0).name == "Const:0"
    assert tf.constant(1.0).name == "Const_1:0"
    assert tf.constant(1.0).name == "Const_2:0"
    assert tf.constant(1.0, name="c").name == "c:0"
    assert tf.constant(1.0, name="c").name == "c_1:0"


def test_unique_names_are_case_insensitive():
    a, b = tf.constant(1.0), tf.constant(2.0)
    assert tf.add(a, b).name == "Add:0"
    assert (a + b).name == "add_1:0"  # "add" collides with "Add"
    assert tf.add(a, b).name == "Add_2:0"
    assert tf.constant(1.0, name="CONST").name == "CONST_2:0"


def test_unique_name_avoids_explicit_suffixes():
    g = tf.get_default_graph()
    assert tf.constant(1.0, name="foo").name == "foo:0"
    assert tf.constant(1.0, name="foo_1").name == "foo_1:0"
    assert tf.constant(1.0, name="foo").name == "foo_2:0"
    assert g.unique_name("bar", mark_as_used=False) == "bar"
    assert g.unique_name("bar", mark_as_used=False) == "bar"
    assert g.unique_name("bar") == "bar"
    assert g.unique_name("bar") == "bar_1"


@pytest.mark.parametrize("bad", ["bad name", "_x", "-x", "a:b", ""], ids=["space", "underscore", "dash", "colon", "empty"])
def test_invalid_op_names(bad):
    with pytest.raises(ValueError, match=r"is not a valid node name"):
        tf.get_default_graph().create_op("NoOp", [], {}, name=bad)


def test_invalid_op_name_message():
    with pytest.raises(ValueError, match=r"^'bad name' is not a valid node name$"):
        tf.no_op(name="bad name")


# =========================================================================== name scopes
def test_name_scope_nesting():
    with tf.name_scope("outer") as s:
        assert s == "outer/"
        a = tf.constant(1.0, name="a")
        with tf.name_scope("inner") as s2:
            assert s2 == "outer/inner/"
            b = tf.constant(2.0)
            assert tf.get_default_graph().get_name_scope() == "outer/inner"
        c = tf.constant(3.0)
    assert (a.name, b.name, c.name) == ("outer/a:0", "outer/inner/Const:0", "outer/Const:0")
    assert tf.get_default_graph().get_name_scope() == ""


def test_name_scope_reuse_makes_new_scope():
    with tf.name_scope("s") as s1:
        pass
    with tf.name_scope("s") as s2:
        pass
    with tf.name_scope("S") as s3:  # case-insensitive like op names
        pass
    assert (s1, s2, s3) == ("s/", "s_1/", "S_2/")
    tf.constant(1.0, name="op")
    with tf.name_scope("op") as s4:  # scope names and op names share one namespace
        pass
    assert s4 == "op_1/"


def test_name_scope_none_resets_to_root():
    with tf.name_scope("a"):
        with tf.name_scope(None) as s:
            assert s == ""
            c = tf.constant(1.0)
        with tf.name_scope("") as s2:
            assert s2 == ""
    assert c.name == "Const:0"


def test_name_scope_trailing_slash_reenters():
    with tf.name_scope("outer") as scope:
        tf.constant(1.0)
    with tf.name_scope("other"):
        with tf.name_scope(scope) as again:
            assert again == "outer/"
            c = tf.constant(1.0)
    assert c.name == "outer/Const_1:0"


def test_name_scope_default_name():
    with tf.name_scope(None, "Default") as s1:
        pass
    with tf.name_scope(None, "Default") as s2:
        pass
    with tf.name_scope("given", "Default") as s3:
        pass
    assert (s1, s2, s3) == ("Default/", "Default_1/", "given/")


def test_name_scope_needs_a_name_when_values_given():
    with pytest.raises(ValueError, match=r"At least one of name \(None\) and default_name \(None\) must be provided"):
        with tf.name_scope(None, None, [tf.constant(1.0)]):
            pass


def test_name_scope_uses_the_graph_of_its_values():
    g = tf.Graph()
    with g.as_default():
        x = tf.constant(1.0)
    with tf.name_scope("s", values=[x]):
        assert tf.get_default_graph() is g
        y = tf.constant(2.0)
    assert y.graph is g and y.name == "s/Const:0"


def test_invalid_scope_names():
    with pytest.raises(ValueError, match=r"^'_x' is not a valid scope name$"):
        with tf.name_scope("_x"):
            pass
    with pytest.raises(ValueError, match=r"^'a b' is not a valid scope name$"):
        with tf.name_scope("a b"):
            pass
    with tf.name_scope("ok"):
        with tf.name_scope("_inner") as s:  # nested scopes may start with '_'
            assert s == "ok/_inner/"


def test_name_scope_restored_after_exception():
    with pytest.raises(RuntimeError):
        with tf.name_scope("boom"):
            raise RuntimeError()
    assert tf.constant(1.0).name == "Const:0"


# =========================================================================== collections
class _Named:
    def __init__(self, name):
        self.name = name


def test_add_and_get_collection():
    tf.add_to_collection("k", 1)
    tf.add_to_collection("k", 2)
    assert tf.get_collection("k") == [1, 2]
    assert tf.get_collection("missing") == []
    tf.add_to_collections(["k", "j"], 3)
    tf.add_to_collections("j", 4)
    assert tf.get_collection("k") == [1, 2, 3] and tf.get_collection("j") == [3, 4]
    assert set(tf.get_default_graph().get_all_collection_keys()) == {"k", "j"}
    tf.get_default_graph().clear_collection("j")
    assert tf.get_collection("j") == []


def test_get_collection_returns_a_copy():
    tf.add_to_collection("k", 1)
    got = tf.get_collection("k")
    got.append(99)
    assert tf.get_collection("k") == [1]


def test_get_collection_ref_is_live():
    ref = tf.get_collection_ref("k")
    assert ref == []
    ref.append(5)
    assert tf.get_collection("k") == [5]
    tf.add_to_collection("k", 6)
    assert ref == [5, 6]
    assert tf.get_collection_ref("k") is ref


def test_get_collection_scope_is_a_regex_matched_from_the_start():
    items = [_Named(n) for n in ("a/w", "ab/w", "b/a/w", "a_1/w")]
    for it in items:
        tf.add_to_collection("k", it)
    tf.add_to_collection("k", 42)  # no .name: skipped when filtering by scope
    names = lambda scope: [it.name for it in tf.get_collection("k", scope)]  # noqa: E731
    assert names("a") == ["a/w", "ab/w", "a_1/w"]
    assert names("a/") == ["a/w"]
    assert names("a_[0-9]") == ["a_1/w"]
    assert names(".*a/") == ["a/w", "b/a/w"]
    assert len(tf.get_collection("k")) == 5


def test_graph_keys():
    assert tf.GraphKeys.GLOBAL_VARIABLES == "variables" == tf.GraphKeys.VARIABLES
    assert tf.GraphKeys.TRAINABLE_VARIABLES == "trainable_variables"
    assert tf.GraphKeys.LOCAL_VARIABLES == "local_variables"
    assert tf.GraphKeys.UPDATE_OPS == "update_ops"
    assert tf.GraphKeys.LOSSES == "losses"
    assert tf.GraphKeys.REGULARIZATION_LOSSES == "regularization_losses"


# =========================================================================== control dependencies
def test_control_dependencies_on_new_ops():
    a = tf.constant(1.0, name="a")
    b = tf.constant(2.0, name="b")
    with tf.control_dependencies([a.op]):
        c = tf.identity(b)
        d = tf.no_op()
    assert c.op.control_inputs == [a.op] and d.control_inputs == [a.op]
    e = tf.identity(b)
    assert e.op.control_inputs == []


def test_control_dependencies_accept_tensors_names_and_variables():
    a = tf.constant(1.0, name="a")
    b = tf.constant(2.0, name="b")
    v = tf.Variable(1.0, name="v")
    with tf.control_dependencies([a, "b", v]):
        c = tf.no_op()
    assert c.control_inputs == [a.op, b.op, v.op]


def test_control_dependencies_nest_and_none_clears():
    a = tf.constant(1.0, name="a")
    b = tf.constant(2.0, name="b")
    x = tf.constant(3.0, name="x")
    with tf.control_dependencies([a]):
        with tf.control_dependencies([b]):
            both = tf.identity(x)
            with tf.control_dependencies(None):
                none = tf.identity(x)
                with tf.control_dependencies([b]):
                    only_b = tf.identity(x)
            after = tf.identity(x)
    assert both.op.control_inputs == [a.op, b.op]
    assert none.op.control_inputs == []
    assert only_b.op.control_inputs == [b.op]
    assert after.op.control_inputs == [a.op, b.op]


def test_control_dependency_not_added_when_input_already_depends_on_it():
    a = tf.constant(1.0, name="a")
    x = tf.constant(3.0, name="x")
    with tf.control_dependencies([a]):
        inner = tf.identity(x)          # gets the control input
        dominated = tf.identity(inner)  # its input already waits for `a`
        direct = tf.identity(a)         # `a` is a data input already
    assert inner.op.control_inputs == [a.op]
    assert dominated.op.control_inputs == []
    assert direct.op.control_inputs == []


def test_control_dependencies_not_repeated_when_nested_twice():
    a = tf.constant(1.0, name="a")
    with tf.control_dependencies([a]):
        with tf.control_dependencies([a]):
            op = tf.no_op()
    assert op.control_inputs == [a.op]


def test_control_dependencies_errors():
    with pytest.raises(TypeError, match=r"Control input must be Operation or Tensor: 3"):
        tf.control_dependencies([3])
    with tf.Graph().as_default():
        other = tf.constant(1.0)
    with pytest.raises(ValueError, match=r"is not an element of this graph\."):
        tf.control_dependencies([other])


def test_control_dependencies_order_execution():
    v = tf.Variable(0.0)
    with tf.Session() as sess:
        sess.run(v.initializer)
        inc = tf.assign_add(v, 1.0)
        with tf.control_dependencies([inc]):
            read = tf.identity(v)  # runs after the increment
        assert sess.run(read) == 1.0
        assert sess.run(read) == 2.0


# =========================================================================== finalize
def test_finalize():
    g = tf.Graph()
    with g.as_default():
        tf.constant(1.0)
    g.finalize()
    assert g.finalized
    msg = r"^Graph is finalized and cannot be modified\.$"
    with g.as_default():
        with pytest.raises(RuntimeError, match=msg):
            tf.constant(2.0)
        with pytest.raises(RuntimeError, match=msg):
            tf.add_to_collection("k", 1)
    with tf.Session(graph=g) as sess:  # running is still fine
        assert sess.run("Const:0") == 1.0
    g._unsafe_unfinalize()
    with g.as_default():
        assert tf.constant(2.0).name == "Const_1:0"


# =========================================================================== lookups
def test_get_operations_in_creation_order():
    a = tf.constant(1.0, name="a")
    b = tf.constant(2.0, name="b")
    c = a + b
    ops = tf.get_default_graph().get_operations()
    assert [op.name for op in ops] == ["a", "b", "add"]
    assert ops[2] is c.op
    ops.clear()  # a copy
    assert len(tf.get_default_graph().get_operations()) == 3


def test_get_tensor_and_operation_by_name():
    g = tf.get_default_graph()
    a = tf.constant(1.0, name="a")
    with tf.name_scope("s"):
        b = tf.identity(a, name="b")
    assert g.get_tensor_by_name("a:0") is a
    assert g.get_tensor_by_name("s/b:0") is b
    assert g.get_operation_by_name("s/b") is b.op
    assert g.as_graph_element("a") is a.op and g.as_graph_element(a) is a


@pytest.mark.parametrize("call,exc,msg", [
    (lambda g: g.get_tensor_by_name("nope:0"), KeyError,
     "The name 'nope:0' refers to a Tensor which does not exist. The operation, 'nope', does not exist in the graph."),
    (lambda g: g.get_tensor_by_name("a:1"), KeyError,
     "The name 'a:1' refers to a Tensor which does not exist. The operation, 'a', exists but only has 1 outputs."),
    (lambda g: g.get_tensor_by_name("a"), ValueError,
     "The name 'a' refers to an Operation, not a Tensor. Tensor names must be of the form \"<op_name>:<output_index>\"."),
    (lambda g: g.get_tensor_by_name("nope"), ValueError,
     "The name 'nope' looks like an (invalid) Operation name, not a Tensor. Tensor names must be of the form "
     "\"<op_name>:<output_index>\"."),
    (lambda g: g.get_tensor_by_name("a:b:c"), ValueError,
     "The name 'a:b:c' looks a like a Tensor name, but is not a valid one. Tensor names must be of the form "
     "\"<op_name>:<output_index>\"."),
    (lambda g: g.get_operation_by_name("a:0"), ValueError,
     "Name 'a:0' appears to refer to a Tensor, not a Operation."),
    (lambda g: g.get_operation_by_name("nope"), KeyError,
     "The name 'nope' refers to an Operation not in the graph."),
    (lambda g: g.get_tensor_by_name(3), TypeError, "Tensor names are strings (or similar), not int."),
    (lambda g: g.get_operation_by_name(3), TypeError, "Operation names are strings (or similar), not int."),
    (lambda g: g.as_graph_element(3), TypeError, "Can not convert a int into a Tensor or Operation."),
], ids=["no-op", "bad-index", "op-not-tensor", "invalid-op", "bad-tensor-name", "tensor-not-op", "missing-op",
        "tensor-int", "op-int", "element-int"])
def test_lookup_errors(call, exc, msg):
    g = tf.get_default_graph()
    tf.constant(1.0, name="a")
    with pytest.raises(exc) as info:
        call(g)
    assert info.value.args[0] == msg


def test_lookup_of_element_from_another_graph():
    with tf.Graph().as_default():
        other = tf.constant(1.0)
    with pytest.raises(ValueError, match=re.escape('Tensor Tensor("Const:0", shape=(), dtype=float32) is not an '
                                                   'element of this graph.')):
        tf.get_default_graph().as_graph_element(other)


# =========================================================================== devices
@pytest.mark.parametrize("spec,want", [
    ("/gpu:0", "/device:GPU:0"), ("/cpu:0", "/device:CPU:0"), ("/device:GPU:1", "/device:GPU:1"),
    ("/GPU:0", "/device:GPU:0"), ("/device:gpu:0", "/device:GPU:0"), ("", ""),
    ("/job:worker/task:1", "/job:worker/task:1"),
    ("/job:ps/replica:0/task:0/cpu:0", "/job:ps/replica:0/task:0/device:CPU:0"),
])
def test_device_strings_are_canonical(spec, want):
    with tf.device(spec):
        c = tf.constant(1.0)
    assert c.op.device == want and c.device == want


def test_device_nesting_merges():
    with tf.device("/job:worker/task:1"):
        with tf.device("/gpu:1"):
            a = tf.constant(1.0)
            with tf.device("/cpu:0"):
                b = tf.constant(1.0)
            with tf.device(""):  # an empty spec changes nothing
                c = tf.constant(1.0)
            with tf.device(None):  # None clears every enclosing device
                d = tf.constant(1.0)
        e = tf.constant(1.0)
    f = tf.constant(1.0)
    assert a.device == "/job:worker/task:1/device:GPU:1"
    assert b.device == "/job:worker/task:1/device:CPU:0"
    assert c.device == "/job:worker/task:1/device:GPU:1"
    assert d.device == ""
    assert e.device == "/job:worker/task:1"
    assert f.device == ""


def test_device_shows_in_tensor_str():
    with tf.device("/gpu:0"):
        c = tf.constant(1.0)
    assert str(c) == 'Tensor("Const:0", shape=(), dtype=float32, device=/device:GPU:0)'
    assert repr(c) == "<tf.Tensor 'Const:0' shape=() dtype=float32>"


# =========================================================================== Operation
def test_operation_properties():
    a = tf.constant([1.0, 2.0], name="a")
    b = tf.constant([3.0, 4.0], name="b")
    c = tf.add(a, b, name="c")  # op-created-here
    op = c.op
    assert op.name == "c" and op.type == "Add" and op.graph is tf.get_default_graph()
    assert list(op.inputs) == [a, b]
    assert op.outputs == [c] and op.values() == (c,)
    assert op.control_inputs == []
    assert op.device == ""
    assert repr(op) == "<tf.Operation 'c' type=Add>"
    assert a.op.get_attr("dtype") is tf.float32
    with pytest.raises(ValueError, match=r"^Operation 'c' has no attr named 'nope'\.$"):
        op.get_attr("nope")
    assert c.value_index == 0 and c.op is op and c.graph is op.graph
    assert a.consumers() == [op]


def test_operation_traceback_holds_the_users_line():
    c = tf.constant(1.0)  # traceback-here
    frames = c.op.traceback
    assert (__file__, _line_of("traceback-here"), "test_operation_traceback_holds_the_users_line") in frames
    package_dir = os.path.dirname(tf.__file__)
    assert not any(f[0].startswith(package_dir) for f in frames)  # only the user's frames


def test_operation_run_needs_a_session():
    op = tf.no_op()
    with pytest.raises(ValueError, match=r"Cannot execute operation using `run\(\)`: No default session is "
                                         r"registered\."):
        op.run()
    with tf.Session() as sess:
        assert op.run() is None
        assert op.run(session=sess) is None


# =========================================================================== Tensor
def test_tensor_name_repr_str():
    z = tf.zeros((2, 2))
    assert z.name == "zeros:0"
    assert str(z) == 'Tensor("zeros:0", shape=(2, 2), dtype=float32)'
    assert repr(z) == "<tf.Tensor 'zeros:0' shape=(2, 2) dtype=float32>"
    p = tf.placeholder(tf.int32)
    assert str(p) == 'Tensor("Placeholder:0", dtype=int32)'
    assert repr(p) == "<tf.Tensor 'Placeholder:0' shape=<unknown> dtype=int32>"
    q = tf.placeholder(tf.float32, [None, 3], name="q")
    assert str(q) == 'Tensor("q:0", shape=(?, 3), dtype=float32)'
    v = tf.Variable(tf.zeros((5, 2)), name="weight")
    assert str(v._ref()) == 'Tensor("weight:0", shape=(5, 2), dtype=float32_ref)'
    assert str(v.value()) == 'Tensor("weight/read:0", shape=(5, 2), dtype=float32)'


def test_tensor_python_protocols_are_errors():
    t = tf.constant([1.0, 2.0])
    with pytest.raises(TypeError, match=r"Using a `tf.Tensor` as a Python `bool` is not allowed\. Use `if t is not "
                                        r"None:` instead of `if t:`"):
        bool(t)
    with pytest.raises(TypeError, match=r"Using a `tf.Tensor` as a Python `bool` is not allowed"):
        if t:
            pass
    with pytest.raises(TypeError, match=r"Tensor objects are only iterable when eager execution is enabled\. To "
                                        r"iterate over this tensor use tf.map_fn\."):
        iter(t)
    with pytest.raises(TypeError, match=r"len is not well defined for symbolic Tensors\. \(Const:0\) Please call "
                                        r"`x.shape` rather than `len\(x\)` for shape information\."):
        len(t)
    with pytest.raises(NotImplementedError, match=r"Cannot convert a symbolic Tensor \(Const:0\) to a numpy array"):
        np.asarray(t)


def test_tensors_compare_and_hash_by_identity():
    a = tf.constant(1.0)
    b = tf.constant(1.0)
    assert {a: 1, b: 2}[a] == 1
    assert a is not b and (a == a)


def test_tensor_eval():
    c = tf.constant(5.0) * tf.constant(6.0)
    with pytest.raises(ValueError, match=r"^Cannot evaluate tensor using `eval\(\)`: No default session is "
                                         r"registered\. Use `with sess.as_default\(\)` or pass an explicit session "
                                         r"to `eval\(session=sess\)`$"):
        c.eval()
    sess = tf.Session()
    assert c.eval(session=sess) == 30.0
    with sess.as_default():
        assert c.eval() == 30.0
    with tf.Session():
        assert c.eval() == 30.0
    sess.close()


def test_tensor_eval_with_feed_dict():
    x = tf.placeholder(tf.float32, [2])
    y = x * 2.0
    with tf.Session():
        np.testing.assert_array_equal(y.eval({x: [1.0, 2.0]}), [2.0, 4.0])
        np.testing.assert_array_equal(y.eval(feed_dict={x: [3.0, 4.0]}), [6.0, 8.0])


def test_tensor_eval_in_a_session_of_another_graph():
    c = tf.constant(1.0)
    g = tf.Graph()
    with g.as_default():
        tf.constant(2.0)
    other = tf.Session(graph=g)
    with other.as_default():
        with pytest.raises(ValueError, match=r"^Cannot use the default session to evaluate tensor: the tensor's "
                                             r"graph is different from the session's graph\. Pass an explicit "
                                             r"session to `eval\(session=sess\)`\.$"):
            c.eval()
    with pytest.raises(ValueError, match=r"^Cannot use the given session to evaluate tensor: the tensor's graph is "
                                         r"different from the session's graph\.$"):
        c.eval(session=other)
    other.close()


def test_set_shape():
    x = tf.placeholder(tf.float32)
    x.set_shape([None, 4])
    assert x.shape.as_list() == [None, 4]
    x.set_shape([3, None])
    assert x.shape.as_list() == [3, 4]
    x.set_shape(tf.TensorShape(None))
    assert x.shape.as_list() == [3, 4]
    with pytest.raises(ValueError, match=r"^Dimension 0 in both shapes must be equal, but are 3 and 2\. Shapes are "
                                         r"\[3,4\] and \[2,4\]\.$"):
        x.set_shape([2, 4])
    with pytest.raises(ValueError, match=r"^Shapes must be equal rank, but are 2 and 1$"):
        x.set_shape([3])
    assert x.shape.as_list() == [3, 4]


def test_set_shape_feeds_checked_against_it():
    x = tf.placeholder(tf.float32)
    x.set_shape([2])
    y = x + 1.0
    with tf.Session() as sess:
        with pytest.raises(ValueError, match=r"Cannot feed value of shape \(3,\) for Tensor 'Placeholder:0', which "
                                             r"has shape '\(2,\)'"):
            sess.run(y, {x: [1.0, 2.0, 3.0]})


def test_an_op_prints_as_its_node_def():
    """print(op) shows the NodeDef in protobuf's text format, as TF does; op.node_def is the message itself."""
    pytest.importorskip("google.protobuf", reason="protobuf comes with tfmini[tensorboard]")
    a = tf.constant(5.0, name="a")
    b = tf.multiply(a, 2.0, name="mul")
    assert str(b.op) == ('name: "mul"\nop: "Mul"\ninput: "a"\ninput: "mul/y"\n'
                         'attr {\n  key: "T"\n  value {\n    type: DT_FLOAT\n  }\n}\n')
    nd = a.op.node_def
    assert (nd.name, nd.op, list(nd.input)) == ("a", "Const", [])
    assert nd.attr["dtype"].type == 1 and nd.attr["value"].tensor.float_val == [5.0]
    assert list(b.op.node_def.input) == ["a", "mul/y"]
