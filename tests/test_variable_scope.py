"""tf.variable_scope / tf.get_variable (TF 1.x's sharing rules, names, errors), the initializers of
tf.* and tf.contrib.layers, the contrib regularizers, and the lecture's scope slides.

The scope cases restate, in tfmini's terms, what TF 1.15's kernel_tests/variable_scope_test.py checks.
"""
import contextlib
import io
import os
import re
import sys

import numpy as np
import pytest

import tfmini as tf
from optable import Row, rows_test

TFMINI_DIR = os.path.dirname(os.path.abspath(tf.__file__))


def _run(*fetches):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run(list(fetches))
    return out[0] if len(out) == 1 else out


def _names(items):
    return [x.name for x in items]


def _const_name(name):
    return tf.constant([], name=name).name


# =========================================================================== the lecture's scope slides
# Each slide's code as the deck shows it. The seed text is OCR of the slides: where it reads `tf_` or
# `scp_` for `tf.` / `scp.`, or breaks the indentation, the other copy of the same slide reads cleanly.
SLIDE_TF_VARIABLE = '''\
var1 = tf.Variable([1], name="var")
with tf.variable_scope("foo"):
    with tf.variable_scope("bar") as scp:
        var2 = tf.Variable([1], name="var")
        scp.reuse_variables() # allow reuse variables
        var3 = tf.Variable([1], name="var")

print("var1: {}".format(var1.name))
print("var2: {}".format(var2.name))
print("var3: {}".format(var3.name))
'''

SLIDE_GET_VARIABLE = '''\
var1 = tf.get_variable("var", [1])
with tf.variable_scope("foo"):
    with tf.variable_scope("bar") as scp:
        var2 = tf.get_variable("var", [1])
        scp.reuse_variables() # allow reuse variables
        var3 = tf.get_variable("var", [1])
print("var1: {}".format(var1.name))
print("var2: {}".format(var2.name))
print("var3: {}".format(var3.name))
'''

SLIDE_SHARING = '''\
with tf.variable_scope("foo"):
    with tf.variable_scope("bar") as scp:
        var1 = tf.get_variable("var", [1])
        scp.reuse_variables()
        var2 = tf.get_variable("var", [1])
    with tf.variable_scope("bar", reuse=True):
        var3 = tf.get_variable("var", [1])
print("var1: {}".format(var1.name))
print("var2: {}".format(var2.name))
print("var3: {}".format(var3.name))
'''

SLIDE_INITIALIZERS = '''\
normal = tf.truncated_normal_initializer()
xavier = tf.contrib.layers.xavier_initializer()
he = tf.contrib.layers.variance_scaling_initializer()

v1 = tf.get_variable("V1", [3, 3], initializer=normal)
v2 = tf.get_variable("V2", [3, 3], initializer=xavier)
v3 = tf.get_variable("V3", [3, 3], initializer=he)
'''

SLIDES = [
    ("tf_variable", SLIDE_TF_VARIABLE, ["var1: var:0", "var2: foo/bar/var:0", "var3: foo/bar/var_1:0"]),
    ("get_variable", SLIDE_GET_VARIABLE, ["var1: var:0", "var2: foo/bar/var:0", "var3: foo/bar/var:0"]),
    ("sharing", SLIDE_SHARING, ["var1: foo/bar/var:0", "var2: foo/bar/var:0", "var3: foo/bar/var:0"]),
    ("initializers", SLIDE_INITIALIZERS, []),
]


def _exec_slide(code):
    env = {"tf": tf}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<slide>", "exec"), env)
    return out.getvalue().splitlines(), env


@pytest.mark.parametrize("code,printed", [(c, p) for _, c, p in SLIDES], ids=[n for n, _, _ in SLIDES])
def test_scope_slide_prints_what_the_slide_prints(code, printed):
    lines, _ = _exec_slide(code)
    assert lines == printed


def test_slide_variables_are_shared_objects():
    _, env = _exec_slide(SLIDE_GET_VARIABLE)
    assert env["var2"] is env["var3"] and env["var1"] is not env["var2"]
    tf.reset_default_graph()
    _, env = _exec_slide(SLIDE_SHARING)
    assert env["var1"] is env["var2"] is env["var3"]
    tf.reset_default_graph()
    _, env = _exec_slide(SLIDE_TF_VARIABLE)
    assert env["var2"] is not env["var3"]


def test_initializer_slide_builds_three_3x3_variables():
    _, env = _exec_slide(SLIDE_INITIALIZERS)
    vals = _run(env["v1"], env["v2"], env["v3"])
    assert [v.name for v in (env["v1"], env["v2"], env["v3"])] == ["V1:0", "V2:0", "V3:0"]
    for a in vals:
        assert a.shape == (3, 3) and a.dtype == np.float32
    assert np.all(np.abs(vals[0]) <= 2.0)  # truncated at two standard deviations (stddev 1)
    assert np.all(np.abs(vals[1]) <= np.sqrt(6.0 / 6))  # xavier uniform, fan_in + fan_out = 6
    assert np.all(np.abs(vals[2]) <= 2 * np.sqrt(1.3 * 2 / 3))  # He: truncated, stddev sqrt(1.3*2/3)


def test_running_a_slide_cell_twice_fails_as_the_slide_warns():
    # the "주의할 점" slide: re-running the cell that builds the network raises "already exists"
    _exec_slide(SLIDE_SHARING)
    with pytest.raises(ValueError, match=r"^Variable foo/bar/var already exists, disallowed\. Did you mean to "
                                         r"set reuse=True or reuse=tf\.AUTO_REUSE in VarScope\? Originally"):
        _exec_slide(SLIDE_SHARING)
    tf.reset_default_graph()  # what the widgets' reset button does: then the cell runs again
    assert _exec_slide(SLIDE_SHARING)[0][0] == "var1: foo/bar/var:0"


def _normalize_ocr(text):
    text = text.replace("tf_", "tf.").replace("scp_", "scp.")
    return re.sub(r"\s+", "", text)


def test_slides_are_the_seeds_code():
    from conftest import SHARED
    seed = SHARED / "seed" / "000_b5aa6b11e82163d6.txt"
    if not seed.exists():
        pytest.skip("seed text not present")
    text = _normalize_ocr(seed.read_text(encoding="utf-8"))
    for name, code, printed in SLIDES:
        body = "".join(line for line in code.splitlines() if not line.startswith("print"))
        assert _normalize_ocr(body) in text, name
        for line in printed:
            assert _normalize_ocr(line) in text, (name, line)


# =========================================================================== names
def test_get_variable_names_follow_variable_scopes():
    v = tf.get_variable("v", [1])
    with tf.variable_scope("foo"):
        w = tf.get_variable("w", [1])
        with tf.variable_scope("bar"):
            x = tf.get_variable("x", [1])
    assert _names([v, w, x]) == ["v:0", "foo/w:0", "foo/bar/x:0"]
    assert x.op.name == "foo/bar/x" and x.op.type == "VariableV2"


def test_get_variable_ignores_name_scope_but_tf_variable_follows_it():
    with tf.name_scope("ns"):
        v = tf.get_variable("v", [1])
        w = tf.Variable(1.0, name="w")
        c = tf.constant(1.0, name="c")
    assert v.name == "v:0" and w.name == "ns/w:0" and c.name == "ns/c:0"
    with tf.variable_scope("vs"):
        with tf.name_scope("inner"):
            v2 = tf.get_variable("v", [1])
            w2 = tf.Variable(1.0, name="w")
    assert v2.name == "vs/v:0" and w2.name == "vs/inner/w:0"


def test_tf_variable_never_shares():
    with tf.variable_scope("foo", reuse=True):
        a = tf.Variable(1.0, name="a")
        b = tf.Variable(1.0, name="a")
    assert a is not b and _names([a, b]) == ["foo/a:0", "foo/a_1:0"]


def test_variable_scope_name_and_its_name_scope():
    with tf.variable_scope("tower4") as tower:
        assert tower.name == "tower4"
        with tf.name_scope("scope") as sc:
            assert sc == "tower4/scope/"
    with tf.variable_scope("tower5"):
        with tf.variable_scope("bar") as bar:
            assert bar.name == "tower5/bar"
            with tf.name_scope("scope") as sc:
                assert sc == "tower5/bar/scope/"
    with tf.variable_scope("tower6"):
        with tf.variable_scope(tower, reuse=True) as shared:
            assert shared.name == "tower4"
            with tf.name_scope("scope") as sc:
                assert sc == "tower6/tower4/scope/"


def test_get_variable_scope_outside_any_scope_is_the_root():
    root = tf.get_variable_scope()
    assert root.name == "" and root.reuse is False and root.original_name_scope == ""
    with tf.variable_scope("a"):
        assert tf.get_variable_scope().name == "a"
    assert tf.get_variable_scope() is root


def test_get_variable_ops_are_built_outside_the_name_scope():
    with tf.name_scope("ns"):
        tf.get_variable("v", [2, 3])
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert "v" in names and "v/Assign" in names and "v/read" in names
    assert all(not n.startswith("ns/") for n in names)
    assert "v/Initializer/random_uniform" in names  # glorot_uniform, under the variable's Initializer


# =========================================================================== reuse
def test_reuse_true_returns_the_same_variable():
    with tf.variable_scope("foo"):
        v = tf.get_variable("v", [1])
    with tf.variable_scope("foo", reuse=True):
        v1 = tf.get_variable("v", [1])
    assert v1 is v


def test_reuse_variables_on_the_scope_object():
    with tf.variable_scope("foo") as scope:
        v = tf.get_variable("v", [1])
        scope.reuse_variables()
        assert scope.reuse is True and tf.get_variable_scope().reuse is True
        assert tf.get_variable("v", [1]) is v
    with tf.variable_scope("bar"):
        tf.get_variable_scope().reuse_variables()
        with pytest.raises(ValueError, match="does not exist"):
            tf.get_variable("w", [1])


def test_reuse_variables_ends_with_the_scope():
    with tf.variable_scope("foo") as scope:
        scope.reuse_variables()
    with tf.variable_scope("foo") as again:
        assert again.reuse is False
        tf.get_variable("new", [1])


def test_auto_reuse_creates_then_reuses():
    with tf.variable_scope("s", reuse=tf.AUTO_REUSE) as scope:
        v = tf.get_variable("v", [1])
        assert scope.reuse is tf.AUTO_REUSE
    with tf.variable_scope("s", reuse=tf.AUTO_REUSE):
        assert tf.get_variable("v", [1]) is v
        w = tf.get_variable("w", [2])
    assert w.name == "s/w:0"
    assert repr(tf.AUTO_REUSE) == "tf.AUTO_REUSE"


def test_auto_reuse_keeps_the_first_initial_value():
    # TF's testVarScopeGetOrCreateReuse: building the graph again does not make a second variable
    for _ in range(3):
        with tf.variable_scope("bar", reuse=tf.AUTO_REUSE):
            tf.get_variable("var", [], initializer=tf.constant_initializer(42.0))
    assert len(tf.global_variables()) == 1
    assert _run(tf.global_variables()[0]) == 42.0


def test_reuse_is_inherited_by_nested_scopes():
    with tf.variable_scope("a"):
        with tf.variable_scope("b"):
            v = tf.get_variable("v", [1])
    with tf.variable_scope("a", reuse=True):
        with tf.variable_scope("b") as b:
            assert b.reuse is True
            assert tf.get_variable("v", [1]) is v


def test_reuse_false_does_not_turn_inherited_reuse_off():
    with tf.variable_scope("a"):
        v = tf.get_variable("v", [1])
    with tf.variable_scope("a", reuse=True):
        with tf.variable_scope("b", reuse=False) as b:
            assert b.reuse is True  # TF: "reuse=False" means "inherit"
        with tf.variable_scope(tf.get_variable_scope(), reuse=False) as same:
            assert same.reuse is True and tf.get_variable("v", [1]) is v


def test_reuse_of_a_scope_object():
    # TF's testVarScopeObjectReuse
    with tf.variable_scope("jump", reuse=True) as scope:
        vs = scope
    with tf.variable_scope(vs) as jump:
        assert jump.reuse is True
    with tf.variable_scope(vs, reuse=True) as jump:
        assert jump.reuse is True
    with tf.variable_scope(vs, reuse=False) as jump:
        assert jump.reuse is True  # inherited from the object; cannot be undone
    with tf.variable_scope("jump", reuse=False) as scope:
        vs = scope
    with tf.variable_scope(vs) as jump:
        assert jump.reuse is False
    with tf.variable_scope(vs, reuse=True) as jump:
        assert jump.reuse is True
    with tf.variable_scope(vs, reuse=False) as jump:
        assert jump.reuse is False


def test_scope_object_and_string_share_variables():
    # TF's testVarScopeGetVar
    with tf.variable_scope("root"):
        with tf.variable_scope("towerA") as tower_a:
            va = tf.get_variable("v", [1])
        with tf.variable_scope(tower_a, reuse=True):
            assert tf.get_variable("v", [1]) is va
        with tf.variable_scope("towerB"):
            assert tf.get_variable("v", [1]).name == "root/towerB/v:0"
        with pytest.raises(ValueError, match="already exists"):
            with tf.variable_scope("towerA"):
                tf.get_variable("v", [1])
        with tf.variable_scope("towerA", reuse=True):
            assert tf.get_variable("v", [1]) is va
        with tf.variable_scope("foo"):
            with tf.variable_scope("bar"):
                assert tf.get_variable("v", [1]).name == "root/foo/bar/v:0"
                with tf.variable_scope(tower_a, reuse=True):
                    assert tf.get_variable("v", [1]) is va
        with pytest.raises(ValueError, match="does not exist"):
            with tf.variable_scope(tower_a, reuse=True):
                with tf.variable_scope("baz"):
                    tf.get_variable("v", [1])


def test_reuse_parameter_is_checked():
    with pytest.raises(ValueError, match=r"^The reuse parameter must be True or False or None\.$"):
        tf.variable_scope("s", reuse="yes")


def test_reuse_true_without_name_or_scope():
    with pytest.raises(ValueError, match=r"^reuse=True cannot be used without a name_or_scope$"):
        with tf.variable_scope(None, "default", reuse=True):
            pass
    assert tf.get_variable_scope().name == "" and tf.get_default_graph().get_name_scope() == ""


def test_name_or_scope_and_default_name_both_none():
    with pytest.raises(TypeError, match="If default_name is None then name_or_scope is required"):
        tf.variable_scope(None)
    with pytest.raises(TypeError, match="name_or_scope must be a string or VariableScope"):
        with tf.variable_scope(3):
            pass


def test_get_local_variable_respects_scope_and_reuse():
    with tf.variable_scope("outer") as outer:
        with tf.variable_scope(outer, "default", []):
            local = tf.get_local_variable("w", [], collections=["foo"])
    assert local.name == "outer/w:0"
    assert local in tf.get_collection(tf.GraphKeys.LOCAL_VARIABLES) and local in tf.get_collection("foo")
    assert local not in tf.trainable_variables() and local not in tf.global_variables()
    with tf.variable_scope(outer, "default", reuse=True):
        assert tf.get_local_variable("w", []) is local


# =========================================================================== re-entering scopes
def test_reentering_a_scope_object_keeps_variable_names_but_opens_a_new_name_scope():
    with tf.variable_scope("foo") as foo:
        v = tf.get_variable("v", [1])
        assert _const_name("c") == "foo/c:0"
    with tf.variable_scope(foo):
        assert tf.get_variable("w", [1]).name == "foo/w:0"
        assert _const_name("c") == "foo_1/c:0"
        assert tf.Variable(1.0, name="t").name == "foo_1/t:0"
    with tf.variable_scope(foo, reuse=True):
        assert tf.get_variable("v", [1]) is v
        assert _const_name("c") == "foo_2/c:0"


def test_reentering_by_string_also_gets_a_new_name_scope():
    with tf.name_scope("n1"):
        with tf.variable_scope("tower") as tower:
            with tf.name_scope("s") as sc:
                assert sc == "n1/tower/s/"
        with tf.variable_scope(tower):
            with tf.name_scope("s") as sc:
                assert sc == "n1/tower_1/s/"
        with tf.variable_scope("tower"):
            with tf.name_scope("s") as sc:
                assert sc == "n1/tower_2/s/"
    root = tf.get_variable_scope()
    with tf.name_scope("n3"):
        with tf.variable_scope(root):  # the root scope opens no name scope
            with tf.name_scope("s") as sc:
                assert sc == "n3/s/"


def test_original_name_scope():
    with tf.name_scope("scope1"):
        with tf.variable_scope("tower") as tower:
            assert tower.original_name_scope == "scope1/tower/"
    with tf.name_scope("scope2"):
        with tf.variable_scope(tower) as tower1:
            assert tower1.original_name_scope == "scope1/tower/"  # kept when re-entered
            with tf.name_scope("foo") as sc:
                assert sc == "scope2/tower/foo/"
        with tf.name_scope(tower.original_name_scope):  # the way back into the first name scope
            with tf.name_scope("bar") as sc:
                assert sc == "scope1/tower/bar/"
    with tf.name_scope("scope2"):
        with tf.variable_scope(tower):
            with tf.name_scope(tower.original_name_scope):
                with tf.name_scope("bar") as sc:
                    assert sc == "scope1/tower/bar_1/"


def test_outer_scope_reentered_with_nested_scopes():
    # TF's testVarScopeOuterScope and testVarScopeNestedOuterScope
    with tf.variable_scope("outer") as outer:
        pass
    with tf.variable_scope(outer):
        assert tf.get_variable("w", []).name == "outer/w:0"
        with tf.name_scope("s") as sc:
            assert sc == "outer_1/s/"
        with tf.variable_scope("default"):
            assert tf.get_variable("w", []).name == "outer/default/w:0"
            with tf.name_scope("s") as sc:
                assert sc == "outer_1/default/s/"
    with tf.variable_scope(outer, reuse=True):
        assert tf.get_variable("w", []).name == "outer/w:0"
        with tf.name_scope("s") as sc:
            assert sc == "outer_2/s/"
        with tf.variable_scope("default", reuse=True):
            with tf.name_scope("s") as sc:
                assert sc == "outer_2/default/s/"
    tf.reset_default_graph()
    with tf.variable_scope("outer") as outer:
        with tf.variable_scope(outer):
            assert tf.get_variable("w", []).name == "outer/w:0"
            with tf.name_scope("s") as sc:
                assert sc == "outer/outer/s/"
        with tf.variable_scope(outer, reuse=True):
            with tf.name_scope("s") as sc:
                assert sc == "outer/outer_1/s/"


def test_improper_nesting_is_a_runtime_error():
    with tf.variable_scope("aa"):
        scope = tf.variable_scope("bb")
        scope.__enter__()
        with tf.variable_scope("cc"):
            with pytest.raises(RuntimeError, match="Improper nesting of variable_scope"):
                scope.__exit__(None, None, None)
        scope.__exit__(None, None, None)


# =========================================================================== default_name
def test_default_name_is_made_unique():
    with tf.variable_scope(None, default_name="dense") as s:
        assert s.name == "dense" and tf.get_variable("w", []).name == "dense/w:0"
        with tf.name_scope("n") as sc:
            assert sc == "dense/n/"
    with tf.variable_scope(None, default_name="dense") as s:
        assert s.name == "dense_1" and tf.get_variable("w", []).name == "dense_1/w:0"
        with tf.name_scope("n") as sc:
            assert sc == "dense_1/n/"
    with tf.variable_scope("tower", "default", []):
        assert tf.get_variable("w", []).name == "tower/w:0"  # a name wins over default_name


def test_default_name_counts_interleaved_prefixes_separately():
    names = []
    for prefix in ("defaultScope1", "defaultScope1", "defaultScope", "defaultScope1"):
        with tf.variable_scope(None, prefix):
            with tf.variable_scope(None, "layer"):
                names.append(tf.get_variable("w", []).name)
    assert names == ["defaultScope1/layer/w:0", "defaultScope1_1/layer/w:0", "defaultScope/layer/w:0",
                     "defaultScope1_2/layer/w:0"]


def test_closing_a_parent_resets_its_subscope_counts():
    with tf.variable_scope("outer"):
        with tf.variable_scope(None, "layer") as a:
            pass
        with tf.variable_scope(None, "layer") as b:
            pass
    with tf.variable_scope("outer"):
        with tf.variable_scope(None, "layer") as c:
            with tf.name_scope("n") as sc:
                pass
    assert (a.name, b.name, c.name) == ("outer/layer", "outer/layer_1", "outer/layer")
    assert sc == "outer_1/layer/n/"


def test_jumping_into_a_scope_object_does_not_reset_numbering():
    with tf.variable_scope("default") as default:
        with tf.variable_scope(None, "layer"):
            assert tf.get_variable("w", []).name == "default/layer/w:0"
        with tf.variable_scope(None, "layer"):
            assert tf.get_variable("w", []).name == "default/layer_1/w:0"
        with tf.variable_scope(default):
            pass
        with tf.variable_scope(None, "layer"):
            assert tf.get_variable("w", []).name == "default/layer_2/w:0"


def test_default_name_scopes_under_a_reused_outer_scope():
    # TF's testVarOpScopeReuse: variables keep the outer name, ops move to outer_1/
    with tf.variable_scope("outer") as outer:
        with tf.variable_scope("tower", "default", []):
            tf.get_variable("w", [])
        with tf.variable_scope(None, "default", []):
            assert tf.get_variable("w", []).name == "outer/default/w:0"
    with tf.variable_scope(outer, reuse=True):
        with tf.variable_scope("tower", "default", []):
            assert tf.get_variable("w", []).name == "outer/tower/w:0"
            with tf.name_scope("s") as sc:
                assert sc == "outer_1/tower/s/"
        with tf.variable_scope(None, "default", []):
            assert tf.get_variable("w", []).name == "outer/default/w:0"
            with tf.name_scope("s") as sc:
                assert sc == "outer_1/default/s/"


def test_variable_op_scope_is_the_old_spelling():
    with tf.variable_op_scope([], None, "default"):
        assert tf.get_variable("w", []).name == "default/w:0"
    with tf.variable_op_scope([], "tower"):
        assert tf.get_variable("w", []).name == "tower/w:0"


# =========================================================================== graphs
def test_variable_scope_with_values_from_another_graph_enters_that_graph():
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(1.0, name="c")
    default = tf.get_default_graph()
    with tf.variable_scope("s", values=[c]):
        assert tf.get_default_graph() is g
        v = tf.get_variable("v", [1])
    assert tf.get_default_graph() is default
    assert v.graph is g and v.name == "s/v:0"
    assert g.get_collection(tf.GraphKeys.GLOBAL_VARIABLES) == [v] and tf.global_variables() == []


def test_values_from_two_graphs_are_refused():
    g1, g2 = tf.Graph(), tf.Graph()
    with g1.as_default():
        a = tf.constant(1.0)
    with g2.as_default():
        b = tf.constant(1.0)
    with pytest.raises(ValueError, match="must be from the same graph"):
        with tf.variable_scope("s", values=[a, b]):
            pass


def test_each_graph_has_its_own_store_and_scopes():
    g1, g2 = tf.Graph(), tf.Graph()
    with g1.as_default():
        with tf.variable_scope("a"):
            v1 = tf.get_variable("v", [1])
    with g2.as_default():
        with tf.variable_scope("a"):
            v2 = tf.get_variable("v", [1])  # no "already exists": another graph
        assert tf.get_variable_scope().name == ""
    assert v1.name == v2.name == "a/v:0" and v1 is not v2


def test_invalid_scope_name():
    with pytest.raises(ValueError, match="'_' is not a valid scope name"):
        with tf.variable_scope("_"):
            pass


# =========================================================================== auxiliary_name_scope
def test_auxiliary_name_scope_false():
    with tf.variable_scope("scope", auxiliary_name_scope=False) as scope:
        assert scope.original_name_scope == ""
        assert tf.get_variable("w", []).name == "scope/w:0"
        assert _const_name("c") == "c:0"
    with tf.variable_scope(scope, auxiliary_name_scope=False):
        assert tf.get_variable("w1", []).name == "scope/w1:0"
        assert _const_name("c1") == "c1:0"
    with tf.name_scope("scope"):  # no name scope "scope" was opened above
        assert _const_name("c") == "scope/c:0"
    with tf.variable_scope("outer"):
        with tf.variable_scope("inner", auxiliary_name_scope=False) as inner:
            assert inner.original_name_scope == "outer/"
            assert tf.get_variable("w", []).name == "outer/inner/w:0"
            assert _const_name("c") == "outer/c:0"
        with tf.name_scope("inner"):
            assert _const_name("c") == "outer/inner/c:0"


def test_auxiliary_name_scope_false_with_default_name_and_root():
    with tf.variable_scope(None, default_name="default", auxiliary_name_scope=False) as scope:
        assert scope.original_name_scope == ""
        assert tf.get_variable("w", []).name == "default/w:0"
        assert _const_name("c") == "c:0"
    root = tf.get_variable_scope()
    with tf.variable_scope("outer"):
        with tf.variable_scope(root, auxiliary_name_scope=False) as inner:
            assert inner.original_name_scope == ""
            assert tf.get_variable("w1", []).name == "w1:0"
            assert _const_name("c1") == "outer/c1:0"


def test_reusing_a_scope_without_name_scope_collision():
    # TF's testReuseScopeWithoutNameScopeCollision (GitHub issue 13429)
    with tf.variable_scope("outer"):
        with tf.variable_scope("inner") as inner:
            pass
    with tf.variable_scope("another"):
        with tf.variable_scope(inner, auxiliary_name_scope=False) as scope1:
            with tf.name_scope(scope1.original_name_scope):
                assert tf.get_variable("w1", []).name == "outer/inner/w1:0"
                assert _const_name("c1") == "outer/inner/c1:0"
            with tf.name_scope("inner"):
                assert _const_name("c") == "another/inner/c:0"


def test_auxiliary_name_scope_must_be_a_bool():
    with pytest.raises(TypeError, match="auxiliary_name_scope"):
        tf.variable_scope(None, default_name="scope", auxiliary_name_scope="invalid")


# =========================================================================== inherited defaults
def test_initializer_inherited_and_overridden():
    init = tf.constant_initializer(0.3)
    with tf.variable_scope("tower0") as tower:
        with tf.variable_scope("foo", initializer=init):
            v = tf.get_variable("v", [])
            with tf.variable_scope("child"):
                c = tf.get_variable("c", [])
            o = tf.get_variable("o", [], initializer=tf.constant_initializer(0.7))
        with tf.variable_scope(tower, initializer=init):
            w = tf.get_variable("w", [])
    assert tower.initializer is None
    np.testing.assert_allclose(_run(v, c, o, w), [0.3, 0.3, 0.7, 0.3], rtol=1e-6)


def test_set_initializer_lasts_until_the_scope_closes():
    with tf.variable_scope("bar"):
        assert tf.get_variable_scope().initializer is None
        tf.get_variable_scope().set_initializer(tf.constant_initializer(0.3))
        v = tf.get_variable("v", [])
    assert tf.get_variable_scope().initializer is None
    np.testing.assert_allclose(_run(v), 0.3, rtol=1e-6)


def test_dtype_inherited_and_overridden():
    with tf.variable_scope("tower2") as tower:
        with tf.variable_scope("foo", dtype=tf.float16):
            v = tf.get_variable("v", [])
            with tf.variable_scope("child"):
                c = tf.get_variable("c", [])
            d = tf.get_variable("d", [], dtype=tf.float64)
        with tf.variable_scope(tower, dtype=tf.float16):
            w = tf.get_variable("w", [])
    assert [x.dtype.base_dtype for x in (v, c, d, w)] == [tf.float16, tf.float16, tf.float64, tf.float16]
    assert tower.dtype == tf.float32
    assert _run(d).dtype == np.float64


def test_regularizer_inherited_overridden_and_disabled():
    # TF's testVarScopeRegularizer
    init = tf.constant_initializer(0.3)

    def regularizer1(v):
        return tf.reduce_mean(v) + 0.1

    def regularizer2(v):
        return tf.reduce_mean(v) + 0.2

    with tf.variable_scope("tower3", regularizer=regularizer1) as tower:
        with tf.variable_scope("foo", initializer=init):
            tf.get_variable("v", [])
            assert len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)) == 1
        with tf.variable_scope(tower, initializer=init) as vs:
            tf.get_variable("u", [])
            vs.set_regularizer(regularizer2)
            tf.get_variable("w", [])
            tf.get_variable("x", [], regularizer=tf.no_regularizer)
            with tf.variable_scope("baz", regularizer=tf.no_regularizer):
                tf.get_variable("y", [])
            vs.set_regularizer(tf.no_regularizer)
            tf.get_variable("z", [])
        losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
        assert len(losses) == 3
        np.testing.assert_allclose(_run(*losses), [0.4, 0.4, 0.5], rtol=1e-6)
        with tf.variable_scope("foo", reuse=True):
            tf.get_variable("v", [])  # reused: no new loss
        assert len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)) == 3
    assert tf.no_regularizer(tf.constant(1.0)) is None


def test_constraint_is_kept_on_the_variable():
    constraint = lambda x: 0.0 * x  # noqa: E731
    with tf.variable_scope("tower1") as tower:
        with tf.variable_scope("foo", constraint=constraint):
            assert tf.get_variable("v", []).constraint is constraint
        with tf.variable_scope(tower, constraint=constraint):
            assert tf.get_variable("w", []).constraint is constraint


def test_scope_collections_by_name_prefix():
    # TF's testGetCollection: "foo_" must not pick up "foo"'s variables, and vice versa
    tf.get_variable("a", [])
    tf.get_variable("b", [], trainable=False)
    with tf.variable_scope("foo_") as scope1:
        tf.get_variable("a", [])
        tf.get_variable("b", [], trainable=False)
        assert _names(scope1.trainable_variables()) == ["foo_/a:0"]
        assert _names(scope1.global_variables()) == ["foo_/a:0", "foo_/b:0"]
    with tf.variable_scope("foo") as scope2:
        tf.get_variable("a", [])
        tf.get_variable("c", [], collections=[tf.GraphKeys.LOCAL_VARIABLES], trainable=False)
        assert _names(scope2.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES)) == ["foo/a:0"]
        assert _names(scope2.local_variables()) == ["foo/c:0"]
    root = tf.get_variable_scope()
    assert _names(root.global_variables()) == ["a:0", "b:0", "foo_/a:0", "foo_/b:0", "foo/a:0"]


# =========================================================================== custom getters
def test_custom_getter_must_be_callable():
    with pytest.raises(ValueError, match=r"custom_getter .* not callable:"):
        with tf.variable_scope("scope0", custom_getter=3):
            tf.get_variable("name0")
    with pytest.raises(ValueError, match=r"custom_getter .* not callable:"):
        tf.get_variable("name0", custom_getter=3)


def test_identity_custom_getter_has_no_side_effects():
    called = []

    def custom_getter(getter, *args, **kwargs):
        called.append(kwargs["name"] if "name" in kwargs else args[0])
        return getter(*args, **kwargs)

    with tf.variable_scope("scope", custom_getter=custom_getter) as scope:
        v = tf.get_variable("v", [1])
    with tf.variable_scope(scope, reuse=True):
        v2 = tf.get_variable("v", [1])
    with tf.variable_scope("new_scope") as new_scope:
        v3 = tf.get_variable("v3", [1])
    with tf.variable_scope(new_scope, reuse=True, custom_getter=custom_getter):
        v4 = tf.get_variable("v3", [1])
    assert v is v2 and v3 is v4
    assert called == ["scope/v", "scope/v", "new_scope/v3"]


def test_custom_getter_sees_every_argument_by_keyword():
    seen = {}

    def custom_getter(**kwargs):
        seen.update(kwargs)
        return kwargs["getter"](**{k: a for k, a in kwargs.items() if k != "getter"})

    with tf.variable_scope("s", custom_getter=custom_getter):
        v = tf.get_variable("v", [2], trainable=False)
    assert v.name == "s/v:0"
    assert seen["name"] == "s/v" and seen["shape"] == [2] and seen["dtype"] == tf.float32
    assert seen["reuse"] is False and seen["trainable"] is False
    for key in ("initializer", "regularizer", "collections", "validate_shape", "synchronization", "aggregation"):
        assert key in seen, key


def test_custom_getter_can_tell_reuse():
    def custom_getter(getter, *args, **kwargs):
        var = getter(*args, **kwargs)
        return tf.identity(var, name="reused" if kwargs["reuse"] else "not_reused")

    with tf.variable_scope("scope", custom_getter=custom_getter) as scope:
        v = tf.get_variable("v", [1])
    with tf.variable_scope(scope, reuse=True):
        v2 = tf.get_variable("v", [1])
    assert v.name == "not_reused:0" and v2.name == "reused:0"


def test_custom_getter_that_makes_two_variables_and_sums_them():
    def custom_getter(getter, name, *args, **kwargs):
        g0 = getter("%s/0" % name, *args, **kwargs)
        g1 = getter("%s/1" % name, *args, **kwargs)
        with tf.name_scope("custom_getter"):
            return g0 + g1

    with tf.variable_scope("scope", custom_getter=custom_getter):
        v = tf.get_variable("v", [1, 2, 3])
    assert v.get_shape().as_list() == [1, 2, 3]
    true_vars = tf.trainable_variables()
    assert _names(true_vars) == ["scope/v/0:0", "scope/v/1:0"]
    assert v.name == "custom_getter/add:0"
    a, b, s = _run(true_vars[0], true_vars[1], v)
    np.testing.assert_allclose(s, a + b, rtol=1e-6)


def test_nested_custom_getters():
    def sum_getter(getter, name, *args, **kwargs):
        g0 = getter("%s/sum_0" % name, *args, **kwargs)
        g1 = getter("%s/sum_1" % name, *args, **kwargs)
        with tf.name_scope("sum_getter"):
            return g0 + g1

    def prod_getter(getter, name, *args, **kwargs):
        g0 = getter("%s/prod_0" % name, *args, **kwargs)
        g1 = getter("%s/prod_1" % name, *args, **kwargs)
        with tf.name_scope("prod_getter"):
            return g0 * g1

    with tf.variable_scope("prod_scope", custom_getter=prod_getter):
        with tf.variable_scope("sum_scope", custom_getter=sum_getter):
            with tf.variable_scope("inner_sum_scope", custom_getter=sum_getter):
                v = tf.get_variable("v", [1, 2, 3])  # sums of sums of products
    assert v.get_shape().as_list() == [1, 2, 3]
    true_vars = tf.trainable_variables()
    template = "prod_scope/sum_scope/inner_sum_scope/v/sum_%d/sum_%d/prod_%d:0"
    assert _names(true_vars) == [template % (i, j, k) for i in (0, 1) for j in (0, 1) for k in (0, 1)]
    vals = _run(*(true_vars + [v]))
    x, got = vals[:8], vals[8]
    np.testing.assert_allclose(got, (x[0] * x[1] + x[2] * x[3]) + (x[4] * x[5] + x[6] * x[7]), rtol=1e-5)


# =========================================================================== the three errors and friends
def test_already_exists_error_points_at_the_users_line():
    with tf.variable_scope("foo"):
        with tf.variable_scope("bar"):
            line = sys._getframe().f_lineno + 1
            tf.get_variable("var", [1])
    with pytest.raises(ValueError) as err:
        with tf.variable_scope("foo"):
            with tf.variable_scope("bar"):
                tf.get_variable("var", [1])
    msg = str(err.value)
    assert msg.startswith("Variable foo/bar/var already exists, disallowed. Did you mean to set reuse=True or "
                          "reuse=tf.AUTO_REUSE in VarScope? Originally defined at:\n\n")
    assert 'File "%s", line %d, in test_already_exists_error_points_at_the_users_line' % (__file__, line) in msg
    assert 'tf.get_variable("var", [1])' in msg  # the source line, as TF's traceback shows it
    assert TFMINI_DIR not in msg
    # the creation line comes first (innermost frame first, as TF prints it)
    assert msg.index(__file__) == msg.index('File "%s", line %d' % (__file__, line)) + len('File "')


def test_does_not_exist_error():
    with tf.variable_scope("foo", reuse=True):
        with pytest.raises(ValueError, match=r"^Variable foo/nothere does not exist, or was not created with "
                                             r"tf\.get_variable\(\)\. Did you mean to set reuse=tf\.AUTO_REUSE "
                                             r"in VarScope\?$"):
            tf.get_variable("nothere", [1])


def test_tf_variable_cannot_be_reused_with_get_variable():
    tf.Variable(1.0, name="plain")
    with tf.variable_scope("", reuse=True):
        with pytest.raises(ValueError, match="Variable plain does not exist, or was not created with "
                                             r"tf\.get_variable\(\)"):
            tf.get_variable("plain", [])


def test_shape_mismatch_on_sharing():
    with tf.variable_scope("foo"):
        tf.get_variable("v", [1])
    with tf.variable_scope("foo", reuse=True):
        with pytest.raises(ValueError, match=r"^Trying to share variable foo/v, but specified shape \(2,\) and "
                                             r"found shape \(1,\)\.$"):
            tf.get_variable("v", [2])
        assert tf.get_variable("v").name == "foo/v:0"  # no shape given: anything is compatible


def test_dtype_mismatch_on_sharing():
    with tf.variable_scope("foo"):
        tf.get_variable("v", [1])
    with tf.variable_scope("foo", reuse=True):
        # TF names the found dtype as the variable has it: a reference type
        with pytest.raises(ValueError, match=r"^Trying to share variable foo/v, but specified dtype int32 and "
                                             r"found dtype float32_ref\.$"):
            tf.get_variable("v", [1], dtype=tf.int32)
        v = tf.get_variable("v", [1])
    assert tf.get_variable("w", [5, 6], dtype=v.dtype).dtype == v.dtype  # a ref dtype asks for its base


def test_errors_leave_the_scopes_clean():
    with tf.variable_scope("foo"):
        tf.get_variable("v", [1])
    with pytest.raises(ValueError):
        with tf.variable_scope("foo"):
            tf.get_variable("v", [1])
    assert tf.get_variable_scope().name == "" and tf.get_default_graph().get_name_scope() == ""
    with tf.variable_scope("foo", reuse=True) as s:
        assert s.name == "foo"


def test_store_without_a_scope_allows_get_or_create():
    # TF's testNameExists: the store itself checks only when reuse is True or False
    from tfmini.variable_scope import _var_store
    vs = _var_store()
    v = vs.get_variable("v", [1])
    assert vs.get_variable("v", [1]) is v
    vs.get_variable("w", [1], reuse=False)
    with pytest.raises(ValueError, match="already exists"):
        vs.get_variable("v", [1], reuse=False)
    assert vs.get_variable("v", [1], reuse=True) is v
    with pytest.raises(ValueError, match="does not exist"):
        vs.get_variable("u", [1], reuse=True)


# =========================================================================== initial values
def test_initializer_given_as_a_tensor():
    init = tf.constant(0.1)
    w = tf.get_variable("v", initializer=init)
    assert w.get_shape().as_list() == []
    with pytest.raises(ValueError, match=r"^If initializer is a constant, do not specify shape\.$"):
        tf.get_variable("u", [1], initializer=init)
    with tf.variable_scope("foo", initializer=init):
        v = tf.get_variable("v")  # a constant initializer passes through scopes
    t = tf.get_variable("t", initializer=tf.constant(1, dtype=tf.int32))
    assert t.dtype.base_dtype == tf.int32
    with pytest.raises(ValueError, match=r"Initializer type '<dtype: 'int32'>' and explicit dtype "
                                         r"'<dtype: 'float64'>' don't match\."):
        tf.get_variable("s", initializer=tf.constant(1, dtype=tf.int32), dtype=tf.float64)
    np.testing.assert_allclose(_run(w, v), [0.1, 0.1], rtol=1e-6)


def test_initializer_given_as_python_or_numpy_values():
    v = tf.get_variable("v4", initializer=4, dtype=tf.int32)
    w = tf.get_variable("w4", initializer=np.array([1, 2, 3]), dtype=tf.int64)
    f = tf.get_variable("f", initializer=[[1.0, 2.0], [3.0, 4.0]])
    assert v.dtype.base_dtype == tf.int32 and w.dtype.base_dtype == tf.int64 and f.dtype.base_dtype == tf.float32
    assert f.get_shape().as_list() == [2, 2]
    a, b, c = _run(v, w, f)
    assert a == 4 and b.tolist() == [1, 2, 3] and c.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    with pytest.raises(TypeError):
        tf.get_variable("x4", initializer={})


def test_initializer_callables_without_a_shape():
    assert tf.get_variable("foo", initializer=lambda: [2]).name == "foo:0"
    assert tf.get_variable("bar", initializer=lambda x=True: [2.0]).name == "bar:0"
    with pytest.raises(ValueError, match=re.escape(
            "The initializer passed is not valid. It should be a callable with no arguments and the shape "
            "should not be provided or an instance of `tf.keras.initializers.*' and `shape` should be "
            "fully defined.")):
        tf.get_variable("baz", initializer=lambda x: [2])


def test_initializer_class_is_instantiated():
    v = tf.get_variable("v", [2, 3], initializer=tf.ones_initializer)
    assert _run(v).tolist() == [[1.0] * 3] * 2


def test_int_and_bool_variables_default_to_zeros():
    for i, dtype in enumerate([tf.int8, tf.uint8, tf.int16, tf.int32, tf.int64, tf.bool]):
        x = tf.get_variable("xx%d" % i, shape=(3, 4), dtype=dtype)
        got = _run(x)
        assert got.dtype == dtype.as_numpy_dtype and not got.any() and got.shape == (3, 4)


def test_default_initializer_is_glorot_uniform():
    v = tf.get_variable("v", [200, 300])
    limit = np.sqrt(6.0 / (200 + 300))
    got = _run(v)
    assert got.dtype == np.float32
    assert np.all(np.abs(got) <= limit) and np.abs(got).max() > 0.95 * limit
    assert abs(got.std() - limit / np.sqrt(3)) < 0.05 * limit  # a uniform's stddev is limit / sqrt(3)
    # the ops TF builds for it
    assert tf.get_default_graph().get_operation_by_name("v/Initializer/random_uniform").type == "Add"


def test_default_initializer_for_other_dtypes():
    with pytest.raises(ValueError, match="An initializer for variable c of <dtype: 'complex64'> is required"):
        tf.get_variable("c", [1], dtype=tf.complex64)


def test_control_dependencies_do_not_reach_get_variable():
    v0 = tf.get_variable("v0", [1], initializer=tf.constant_initializer(0))
    with tf.control_dependencies([v0.value()]):
        v1 = tf.get_variable("v1", [1], initializer=tf.constant_initializer(1))
        add = v1 + v0
    with tf.Session() as sess:
        sess.run(v1.initializer)  # runs without v0 initialized
        assert sess.run(v1).tolist() == [1.0]
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized"):
            sess.run(add)
        sess.run(v0.initializer)
        assert sess.run(add).tolist() == [1.0]


def test_trainable_false_and_collections():
    a = tf.get_variable("a", [1], trainable=False)
    b = tf.get_variable("b", [1], collections=[tf.GraphKeys.GLOBAL_VARIABLES, tf.GraphKeys.MODEL_VARIABLES])
    assert a in tf.global_variables() and a not in tf.trainable_variables()
    assert b in tf.model_variables() and b in tf.trainable_variables()
    # synchronization ON_READ makes trainable default to False (TF 1.15); an explicit True still wins
    sync = tf.VariableSynchronization
    d = tf.get_variable("d", [], synchronization=sync.ON_READ)
    e = tf.get_variable("e", [], synchronization=sync.ON_READ, trainable=True)
    f = tf.get_variable("f", [], synchronization=sync.ON_WRITE)
    assert tf.trainable_variables() == [b, e, f] and d in tf.global_variables()


# =========================================================================== regularization losses
def test_regularization_losses_in_the_collection_with_tfs_names():
    reg = tf.contrib.layers.l2_regularizer(0.1)
    with tf.variable_scope("foo"):
        w = tf.get_variable("w", [3, 4], initializer=tf.constant_initializer(2.0), regularizer=reg)
    with tf.variable_scope("bar", regularizer=tf.contrib.layers.l1_regularizer(0.5)):
        b = tf.get_variable("b", [5], initializer=tf.constant_initializer(-1.0))
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert _names(losses) == ["foo/w/Regularizer/l2_regularizer:0", "bar/b/Regularizer/l1_regularizer:0"]
    assert _names(tf.losses.get_regularization_losses()) == _names(losses)
    assert _names(tf.losses.get_regularization_losses("bar")) == ["bar/b/Regularizer/l1_regularizer:0"]
    total = tf.losses.get_regularization_loss()
    assert total.name == "total_regularization_loss:0"
    l2, l1, t = _run(losses[0], losses[1], total)
    np.testing.assert_allclose([l2, l1, t], [0.1 * 12 * 4.0 / 2, 0.5 * 5, 2.4 + 2.5], rtol=1e-6)
    assert w.name == "foo/w:0" and b.name == "bar/b:0"


def test_regularization_loss_is_zero_without_regularizers():
    total = tf.losses.get_regularization_loss()
    assert total.dtype == tf.float32 and _run(total) == 0.0


def test_get_collection_scope_is_a_regex_from_the_start():
    with tf.variable_scope("net"):
        with tf.variable_scope("conv1"):
            w1 = tf.get_variable("weights", [1])
        with tf.variable_scope("conv2"):
            w2 = tf.get_variable("weights", [1])
            b2 = tf.get_variable("biases", [1])
    other = tf.get_variable("conv1_weights", [1])
    assert tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, "net/conv1") == [w1]
    assert tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, r"net/conv\d/weights") == [w1, w2]
    assert tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, "conv1") == [other]  # match, not search
    assert tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, ".*biases") == [b2]
    assert tf.global_variables("net/conv2") == [w2, b2]
    assert tf.get_collection("no such key", "net") == []


def test_contrib_framework_variable_helpers():
    cf = tf.contrib.framework
    with tf.variable_scope("my_scope"):
        a = tf.get_variable("my_var", [1])
        b = tf.get_variable("my_var_2", [1])
        m = tf.get_variable("weights", [1],
                            collections=[tf.GraphKeys.GLOBAL_VARIABLES, tf.GraphKeys.MODEL_VARIABLES])
    with tf.variable_scope("other") as other:
        c = tf.get_variable("my_var", [1])
        loc = tf.get_local_variable("counter", [], dtype=tf.int32)
    top = tf.get_variable("my_var", [1])
    assert cf.get_variables("my_scope") == [a, b, m]
    assert cf.get_variables(other) == [c]  # a VariableScope works as its name
    assert cf.get_variables(suffix="my_var") == [a, c, top]
    assert cf.get_variables_by_name("my_var") == [a, c, top]  # whole last component only: not my_var_2
    # the slide's call: TF builds the regex "my_scope.*/my_var:|^my_var:", whose second branch ignores the
    # scope, so a top-level my_var comes along (TF 1.x does the same)
    assert cf.get_variables_by_name("my_var", "my_scope") == [a, top]
    assert cf.get_variables_by_suffix("var_2") == [b]
    assert cf.get_variables_by_suffix("my_var", "other") == [c]
    assert cf.get_model_variables() == [m] and cf.get_model_variables("other") == []
    assert cf.get_local_variables() == [loc]
    assert cf.get_trainable_variables("other") == [c]
    assert cf.get_unique_variable("my_scope/my_var") is a
    assert cf.get_variable_full_name(b) == "my_scope/my_var_2"
    with pytest.raises(ValueError, match="Couldn't find variable nothere"):
        cf.get_unique_variable("nothere")
    assert cf.get_variables_to_restore() == [a, b, m, c, top]  # global variables only
    assert cf.get_variables_to_restore(exclude=["my_scope/my_var"]) == [m, c, top]  # a prefix regex
    assert cf.get_variables_to_restore(include=["other", "my_scope/w"], exclude=["my_var"]) == [c, m]
    with pytest.raises(TypeError, match="exclude is provided but is not a list or a tuple."):
        cf.get_variables_to_restore(exclude="my_scope")
    with pytest.raises(TypeError, match="include is provided but is not a list or a tuple."):
        cf.get_variables_to_restore(include="my_scope")
    assert tf.contrib.slim.get_variables_by_name("weights") == [m]


# =========================================================================== initializers
def _init_value(initializer, shape, dtype=tf.float32):
    v = tf.get_variable("v%d" % len(tf.global_variables()), shape, dtype=dtype, initializer=initializer)
    return _run(v)


def test_zeros_and_ones():
    assert _init_value(tf.zeros_initializer(), [2, 3]).tolist() == [[0.0] * 3] * 2
    got = _init_value(tf.ones_initializer(dtype=tf.int32), [3], dtype=tf.int32)
    assert got.tolist() == [1, 1, 1] and got.dtype == np.int32
    assert _init_value(tf.zeros_initializer(), [2], dtype=tf.float64).dtype == np.float64


def test_constant_initializer_scalar_list_and_padding():
    assert _init_value(tf.constant_initializer(0.5), [2, 2]).tolist() == [[0.5, 0.5], [0.5, 0.5]]
    full = np.arange(6, dtype=np.float32).reshape(2, 3)
    np.testing.assert_array_equal(_init_value(tf.constant_initializer(full), [2, 3]), full)
    np.testing.assert_array_equal(_init_value(tf.constant_initializer([0, 1, 2, 3, 4, 5]), [2, 3]), full)
    # TF1: a shorter list is padded with its last value
    np.testing.assert_array_equal(_init_value(tf.constant_initializer([0, 1, 2, 3]), [2, 3]),
                                  [[0, 1, 2], [3, 3, 3]])
    with pytest.raises(ValueError, match="Too many elements provided. Needed at most 2, but received 3"):
        tf.get_variable("too_many", [2], initializer=tf.constant_initializer([1, 2, 3]))
    with pytest.raises(TypeError, match="Invalid type for initial value"):
        tf.constant_initializer({})


def test_constant_initializer_verify_shape():
    with pytest.raises(TypeError, match=r"Expected Tensor's shape: \(2, 3\), got \(6,\)\."):
        tf.get_variable("a", [2, 3], initializer=tf.constant_initializer([0, 1, 2, 3, 4, 5], verify_shape=True))
    ok = tf.constant_initializer(np.ones((2, 3)), verify_shape=True)
    assert _init_value(ok, [2, 3]).tolist() == [[1.0] * 3] * 2


def test_random_normal_initializer_statistics():
    got = _init_value(tf.random_normal_initializer(mean=1.0, stddev=0.5, seed=1), [400, 400])
    assert abs(got.mean() - 1.0) < 0.01 and abs(got.std() - 0.5) < 0.01
    assert np.abs(got - 1.0).max() > 1.0  # not truncated: some samples lie beyond 2 stddev


def test_truncated_normal_initializer_stays_within_two_stddev():
    got = _init_value(tf.truncated_normal_initializer(mean=0.5, stddev=0.2, seed=2), [400, 400])
    assert np.all(np.abs(got - 0.5) <= 0.4 + 1e-6)
    assert abs(got.mean() - 0.5) < 0.005
    assert abs(got.std() - 0.2 * 0.8796) < 0.005  # the truncated normal's stddev


def test_random_uniform_initializer_bounds():
    got = _init_value(tf.random_uniform_initializer(-0.3, 0.7, seed=3), [400, 400])
    assert got.min() >= -0.3 and got.max() < 0.7
    assert abs(got.mean() - 0.2) < 0.01 and got.min() < -0.29 and got.max() > 0.69
    ints = _init_value(tf.random_uniform_initializer(0, 5, dtype=tf.int32), [100], dtype=tf.int32)
    assert ints.dtype == np.int32 and set(ints.tolist()) <= {0, 1, 2, 3, 4}
    default = _init_value(tf.random_uniform_initializer(), [1000])
    assert default.min() >= 0.0 and default.max() < 1.0


def test_float_initializers_refuse_integer_dtypes():
    for make in (tf.random_normal_initializer, tf.truncated_normal_initializer, tf.glorot_uniform_initializer,
                 tf.orthogonal_initializer):
        with pytest.raises(ValueError, match="Expected floating point type, got <dtype: 'int32'>."):
            make(dtype=tf.int32)


@pytest.mark.parametrize("mode", ["fan_in", "fan_out", "fan_avg"])
@pytest.mark.parametrize("distribution", ["truncated_normal", "normal", "untruncated_normal", "uniform"])
def test_variance_scaling_statistics(mode, distribution):
    shape = [400, 200, 2]  # fans: in = 200 * 400, out = 2 * 400: the three modes differ
    fan_in, fan_out = 200 * 400, 2 * 400
    n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[mode]
    want_std = np.sqrt(2.0 / n)
    init = tf.variance_scaling_initializer(scale=2.0, mode=mode, distribution=distribution, seed=7)
    got = _init_value(init, shape)
    assert abs(got.mean()) < 0.02 * want_std
    assert abs(got.std() - want_std) < 0.03 * want_std
    if distribution == "uniform":
        assert np.abs(got).max() <= np.sqrt(3.0) * want_std * (1 + 1e-6)
    elif distribution in ("truncated_normal", "normal"):
        assert np.abs(got).max() <= 2 * want_std / 0.87962566103423978 * (1 + 1e-6)
    else:
        assert np.abs(got).max() > 2 * want_std / 0.87962566103423978


@pytest.mark.parametrize("distribution", ["truncated_normal", "untruncated_normal", "uniform"])
def test_variance_scaling_on_a_400x400_variable(distribution):
    # the square case the lecture's dense layers use: the three modes agree on n = 400
    want_std = np.sqrt(3.0 / 400)
    for mode in ("fan_in", "fan_out", "fan_avg"):
        init = tf.variance_scaling_initializer(scale=3.0, mode=mode, distribution=distribution)
        got = _init_value(init, [400, 400])
        assert abs(got.mean()) < 0.02 * want_std
        assert abs(got.std() - want_std) < 0.03 * want_std


def test_variance_scaling_argument_errors():
    with pytest.raises(ValueError, match="`scale` must be positive float."):
        tf.variance_scaling_initializer(scale=0.0)
    with pytest.raises(ValueError, match="Invalid `mode` argument"):
        tf.variance_scaling_initializer(mode="fan_sum")
    with pytest.raises(ValueError, match="Invalid `distribution` argument"):
        tf.variance_scaling_initializer(distribution="laplace")


def test_glorot_uniform_and_normal():
    fan_in, fan_out = 300, 500
    got = _init_value(tf.glorot_uniform_initializer(seed=4), [fan_in, fan_out])
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    assert np.abs(got).max() <= limit and np.abs(got).max() > 0.99 * limit
    got = _init_value(tf.glorot_normal_initializer(seed=5), [fan_in, fan_out])
    want = np.sqrt(2.0 / (fan_in + fan_out))
    assert abs(got.std() - want) < 0.03 * want
    assert np.abs(got).max() <= 2 * want / 0.87962566103423978 * (1 + 1e-6)
    conv = _init_value(tf.glorot_uniform_initializer(), [3, 3, 4, 8])  # fans times the 3x3 field
    assert np.abs(conv).max() <= np.sqrt(6.0 / (9 * 4 + 9 * 8))


@pytest.mark.parametrize("shape", [[10, 6], [6, 10], [3, 4, 5]], ids=["tall", "wide", "conv"])
def test_orthogonal_initializer(shape):
    got = _init_value(tf.orthogonal_initializer(gain=1.0, seed=6), shape)
    assert list(got.shape) == shape
    flat = got.reshape(-1, shape[-1])
    rows, cols = flat.shape
    if rows >= cols:
        np.testing.assert_allclose(flat.T @ flat, np.eye(cols), atol=1e-5)  # orthonormal columns
    else:
        np.testing.assert_allclose(flat @ flat.T, np.eye(rows), atol=1e-5)  # orthonormal rows
    scaled = _init_value(tf.orthogonal_initializer(gain=3.0, seed=6), shape).reshape(-1, shape[-1])
    np.testing.assert_allclose(scaled, 3.0 * flat, rtol=1e-5, atol=1e-6)  # same seed, gain scales
    wide64 = _init_value(tf.orthogonal_initializer(seed=6), shape, dtype=tf.float64).reshape(-1, shape[-1])
    assert wide64.dtype == np.float64
    np.testing.assert_allclose(np.abs(wide64 @ wide64.T).trace(), min(rows, cols), rtol=1e-9)
    with pytest.raises(ValueError, match="The tensor to initialize must be at least two-dimensional"):
        tf.get_variable("flat", [4], initializer=tf.orthogonal_initializer())


def test_identity_initializer():
    np.testing.assert_array_equal(_init_value(tf.identity_initializer(), [3, 4]), np.eye(3, 4))
    np.testing.assert_array_equal(_init_value(tf.identity_initializer(gain=0.5), [3, 3]), 0.5 * np.eye(3))
    with pytest.raises(ValueError, match="Identity matrix initializer can only be used for 2D matrices."):
        tf.get_variable("cube", [2, 2, 2], initializer=tf.identity_initializer())


def test_contrib_xavier_initializer():
    xavier = tf.contrib.layers.xavier_initializer(seed=8)
    got = _init_value(xavier, [400, 200])
    limit = np.sqrt(6.0 / 600)
    assert np.abs(got).max() <= limit and np.abs(got).max() > 0.99 * limit
    got = _init_value(tf.contrib.layers.xavier_initializer(uniform=False, seed=8), [400, 200])
    want = np.sqrt(1.3 / 300)  # contrib's truncated stddev: sqrt(1.3 * factor / n)
    assert abs(got.std() - 0.8796 * want) < 0.03 * want
    assert np.abs(got).max() <= 2 * want * (1 + 1e-6)
    assert tf.contrib.layers.xavier_initializer_conv2d is tf.contrib.layers.xavier_initializer


def test_contrib_variance_scaling_initializer_is_he():
    he = tf.contrib.layers.variance_scaling_initializer()  # factor 2, FAN_IN, truncated normal
    got = _init_value(he, [400, 400])
    trunc_stddev = np.sqrt(1.3 * 2.0 / 400)
    assert np.abs(got).max() <= 2 * trunc_stddev * (1 + 1e-6)
    assert abs(got.std() - 0.8796 * trunc_stddev) < 0.03 * trunc_stddev
    conv = _init_value(he, [3, 3, 16, 32])  # fan_in = 3 * 3 * 16
    assert np.abs(conv).max() <= 2 * np.sqrt(1.3 * 2.0 / 144) * (1 + 1e-6)
    uni = _init_value(tf.contrib.layers.variance_scaling_initializer(factor=1.0, mode="FAN_OUT", uniform=True),
                      [100, 400])
    assert np.abs(uni).max() <= np.sqrt(3.0 / 400) and np.abs(uni).max() > 0.99 * np.sqrt(3.0 / 400)
    with pytest.raises(TypeError, match="Unknown mode"):
        tf.contrib.layers.variance_scaling_initializer(mode="FAN_SUM")
    with pytest.raises(TypeError, match="Cannot create initializer for non-floating point type."):
        tf.contrib.layers.variance_scaling_initializer(dtype=tf.int32)


def test_seeded_initializers_repeat_across_sessions():
    inits = [tf.random_normal_initializer(seed=11), tf.truncated_normal_initializer(seed=12),
             tf.random_uniform_initializer(seed=13), tf.glorot_uniform_initializer(seed=14),
             tf.orthogonal_initializer(seed=15), tf.contrib.layers.xavier_initializer(seed=16),
             tf.contrib.layers.variance_scaling_initializer(seed=17)]
    vs = [tf.get_variable("v%d" % i, [5, 4], initializer=init) for i, init in enumerate(inits)]
    first = _run(*vs)
    second = _run(*vs)
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], first[3])
    unseeded = tf.get_variable("u", [5, 4], initializer=tf.random_normal_initializer())
    assert not np.array_equal(_run(unseeded), _run(unseeded))


def test_initializer_called_directly_builds_a_tensor():
    t = tf.zeros_initializer()([2, 3])
    assert t.shape.as_list() == [2, 3] and t.dtype == tf.float32
    t = tf.random_normal_initializer()([4], dtype=tf.float64)
    assert t.dtype == tf.float64
    assert tf.ones_initializer().get_config() == {"dtype": "float32"}


# =========================================================================== regularizers
def _weights():
    arr = np.array([[1.0, -2.0, 3.0], [-0.5, 0.0, 4.0]], dtype=np.float32)
    return arr, tf.constant(arr)


def test_l1_l2_and_l1_l2_values_against_numpy():
    arr, w = _weights()
    cl = tf.contrib.layers
    l1 = cl.l1_regularizer(0.5)(w)
    l2 = cl.l2_regularizer(0.25)(w)
    both = cl.l1_l2_regularizer(scale_l1=0.5, scale_l2=0.25)(w)
    got = _run(l1, l2, both)
    want_l1 = 0.5 * np.abs(arr).sum()
    want_l2 = 0.25 * (arr ** 2).sum() / 2
    np.testing.assert_allclose(got, [want_l1, want_l2, want_l1 + want_l2], rtol=1e-6)
    assert l1.name == "l1_regularizer:0" and l2.name == "l2_regularizer:0"
    assert both.name == "l1_l2_regularizer:0" and both.op.type == "AddN"
    assert all(t.shape.ndims == 0 for t in (l1, l2, both))


def test_regularizer_scope_names_its_op():
    _, w = _weights()
    assert tf.contrib.layers.l2_regularizer(0.1, scope="decay")(w).name == "decay:0"


def test_sum_regularizer():
    arr, w = _weights()
    cl = tf.contrib.layers
    s = cl.sum_regularizer([cl.l1_regularizer(1.0), None, cl.l2_regularizer(2.0), cl.l1_regularizer(0.0)])(w)
    np.testing.assert_allclose(_run(s), np.abs(arr).sum() + (arr ** 2).sum(), rtol=1e-6)
    assert s.name == "sum_regularizer:0"
    assert cl.sum_regularizer([None]) is None and cl.sum_regularizer([]) is None
    assert cl.sum_regularizer([cl.l1_regularizer(0.0)])(w) is None  # every part disabled


def test_scale_zero_disables_the_regularizer():
    _, w = _weights()
    cl = tf.contrib.layers
    assert cl.l1_regularizer(0.0)(w) is None and cl.l2_regularizer(0.0)(w) is None
    only_l2 = cl.l1_l2_regularizer(scale_l1=0.0, scale_l2=1.0)(w)
    assert only_l2.name == "l1_l2_regularizer:0" and only_l2.op.type == "Mul"
    v = tf.get_variable("v", [2], regularizer=cl.l2_regularizer(0.0))
    assert v.name == "v:0" and tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES) == []


def test_regularizer_scale_errors():
    cl = tf.contrib.layers
    for make in (cl.l1_regularizer, cl.l2_regularizer):
        with pytest.raises(ValueError, match=r"^scale cannot be an integer: 1$"):
            make(1)
        with pytest.raises(ValueError, match=r"^Setting a scale less than 0 on a regularizer: -0\.5\.$"):
            make(-0.5)
    with pytest.raises(ValueError, match=r"^scale_l1 cannot be an integer: 2$"):
        cl.l1_l2_regularizer(scale_l1=2)
    with pytest.raises(ValueError, match=r"^scale_l2 cannot be an integer: 2$"):
        cl.l1_l2_regularizer(scale_l2=2)


def test_regularizer_follows_the_weights_dtype():
    arr = np.array([1.0, -3.0])
    w = tf.constant(arr, dtype=tf.float64)
    loss = tf.contrib.layers.l2_regularizer(0.5)(w)
    assert loss.dtype == tf.float64
    np.testing.assert_allclose(_run(loss), 0.5 * 10 / 2)


def test_apply_regularization():
    cl = tf.contrib.layers
    arr, w = _weights()
    total = cl.apply_regularization(cl.l1_regularizer(0.5), [w, w * 2.0])
    assert total.name == "get_regularization_penalty:0"
    assert tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES) == [total]
    np.testing.assert_allclose(_run(total), 0.5 * np.abs(arr).sum() * 3, rtol=1e-6)
    zero = cl.apply_regularization(cl.l2_regularizer(0.0), [w])  # disabled parts count as 0.0
    assert _run(zero) == 0.0 and zero.name == "get_regularization_penalty_1:0"
    with pytest.raises(ValueError, match="No weights to regularize."):
        cl.apply_regularization(cl.l1_regularizer(0.5))
    with pytest.raises(ValueError, match="regularizer must return a scalar Tensor instead of a Tensor with rank 2."):
        cl.apply_regularization(lambda t: t, [w])


# =========================================================================== op rows: L2Loss
# (the Qr and MatrixDiagPart rows live in tests/test_linalg_ops.py)
_A = np.array([[2.0, -1.0, 0.5], [1.0, 3.0, -2.0], [0.0, 1.0, 1.0], [4.0, -1.0, 2.0]], dtype=np.float32)

CASES = [
    Row("L2Loss", lambda tf: tf.nn.l2_loss(tf.constant(_A)), (_A.astype(np.float64) ** 2).sum() / 2,
        id="L2Loss_matrix", rtol=1e-6),
    Row("L2Loss", lambda tf: tf.nn.l2_loss(tf.constant(np.array(3.0, np.float64))), 4.5, id="L2Loss_scalar_float64",
        dtype=np.float64),
    Row("L2Loss", lambda tf: tf.nn.l2_loss(tf.zeros([0, 3])), np.float32(0.0), id="L2Loss_empty"),
    Row("L2Loss", lambda tf: _l2_fed(tf), (_A ** 2).sum() / 2, id="L2Loss_unknown_dims", rtol=1e-6),
]


def _l2_fed(tf):
    x = tf.placeholder(tf.float32, [None, None])
    return tf.nn.l2_loss(x), {x: _A}


test_row = rows_test(CASES)


def test_l2_loss_shapes_and_errors():
    loss = tf.nn.l2_loss(tf.placeholder(tf.float32, [None, 3]))
    assert loss.shape.as_list() == [] and loss.name == "L2Loss:0"
    with pytest.raises(TypeError):
        tf.nn.l2_loss(tf.constant([1, 2]))
