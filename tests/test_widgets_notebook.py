"""tfmini.widgets' notebook side without a browser: reset semantics, magics, the scope tree, the monitor."""
import subprocess
import sys
import types

import numpy as np
import pytest

import tfmini as tf
from test_widgets import REPO, load_widgets

tw = load_widgets()
from tfmini.client.session import open_sessions  # noqa: E402


def build_cell():
    """What a notebook's model cell does: variables by get_variable, so a second run collides."""
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    with tf.variable_scope("net"):
        w = tf.get_variable("w", [4, 3])
        b = tf.get_variable("b", [3], initializer=tf.zeros_initializer())
        y = tf.matmul(x, w) + b
    return x, y


# =========================================================================== reset
def test_reset_gives_a_new_graph_and_closes_the_old_graphs_sessions():
    x, y = build_cell()
    old = tf.get_default_graph()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    other = tf.Session(graph=tf.Graph())
    assert sess in open_sessions(old)
    msg = tw.reset()
    assert msg.startswith("Reset: a new empty default graph") and "1 session closed" in msg
    assert tf.get_default_graph() is not old and old.is_reset
    assert sess not in open_sessions() and other in open_sessions()
    with pytest.raises(RuntimeError, match=r"Attempted to use a closed Session\. This session's graph was reset"):
        sess.run(y, {x: np.ones((1, 4))})
    other.close()


def test_rerunning_a_cell_after_reset_works_and_without_reset_says_already_exists():
    build_cell()
    with pytest.raises(ValueError, match="Variable net/w already exists, disallowed") as e:
        build_cell()
    assert "%tfmini_reset" not in str(e.value)  # not in a notebook: no hint
    tw.reset()
    build_cell()
    tw.reset()
    x, y = build_cell()
    assert y.graph is tf.get_default_graph()


def test_already_exists_in_a_notebook_points_to_the_reset_control(monkeypatch):
    class ZMQInteractiveShell:
        pass
    fake = types.ModuleType("IPython")
    fake.get_ipython = lambda: ZMQInteractiveShell()
    monkeypatch.setitem(sys.modules, "IPython", fake)
    build_cell()
    with pytest.raises(ValueError, match=r"(?s)already exists, disallowed.*\nIn a notebook: reset the graph before "
                                         r"re-running this cell \(`%load_ext tfmini.widgets`, then `%tfmini_reset`"):
        build_cell()


def test_using_an_old_tensor_names_the_reset_and_the_line_to_rerun():
    x, y = build_cell()
    tw.reset()
    x2, y2 = build_cell()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(ValueError, match=r"Tensor 'net/add:0' belongs to a graph that was reset \(tfmini.widgets"
                                             r".reset\(\) at [0-9:]+\), so it cannot be used with the new graph\. "
                                             r"Re-run the cell that created it: .*test_widgets_notebook.py:\d+: "
                                             r"y = tf.matmul\(x, w\) \+ b"):
            sess.run(y, {x2: np.ones((1, 4))})
        with pytest.raises(TypeError, match="Cannot interpret feed_dict key as Tensor: Tensor 'x:0' belongs to a "
                                            "graph that was reset"):
            sess.run(y2, {x: np.ones((1, 4))})
        with pytest.raises(ValueError, match="Tensor 'x:0' belongs to a graph that was reset"):
            tf.matmul(x, tf.ones([4, 2]))
        with pytest.raises(ValueError, match="Tensor 'net/add:0' belongs to a graph that was reset"):
            y.eval()
    with pytest.raises(ValueError, match="Tensor 'net/add:0' belongs to a graph that was reset"):
        tf.nn.relu(y)  # would build into the old graph
    with pytest.raises(ValueError, match="Operation 'net/add' belongs to a graph that was reset"):
        tf.get_default_graph().as_graph_element(y.op)


def test_reset_refuses_inside_as_default_and_changes_nothing():
    g = tf.Graph()
    with g.as_default():
        build_cell()
        sess = tf.Session()
        with pytest.raises(tw.ResetRefused, match=r"refusing to reset inside a `with graph.as_default\(\):` block"):
            tw.reset()
        assert tf.get_default_graph() is g and not g.is_reset and sess in open_sessions(g)
    with tf.Session() as s2:  # `with tf.Session()` makes its graph the default: refused too
        with pytest.raises(tw.ResetRefused):
            tw.reset()
        assert s2 in open_sessions()
    sess.close()


def test_an_engine_graph_without_reset_keeps_tfs_messages():
    g1, g2 = tf.Graph(), tf.Graph()
    with g1.as_default():
        t = tf.constant(1.0)
    with pytest.raises(ValueError, match=r"Tensor .* is not an element of this graph\."):
        g2.as_graph_element(t)
    assert g1.reset_note(t) is None
    g1.mark_reset("by a test")
    assert g1.reset_note(t) == "Tensor 'Const:0' belongs to a graph that was reset: by a test"
    assert g1.reset_note() == "This graph was reset: by a test"


def test_reset_button_click():
    pytest.importorskip("ipywidgets")
    build_cell()
    button = tw.ResetButton()
    button.click()
    assert "Reset: a new empty default graph" in button.status.value
    build_cell()
    g = tf.Graph()
    with g.as_default():
        button.click()
    assert "refusing to reset" in button.status.value


# =========================================================================== magics
@pytest.fixture
def shell():
    pytest.importorskip("IPython")
    from IPython.testing.globalipapp import get_ipython
    ip = get_ipython()
    ip.run_cell("import tfmini as tf")
    ip.run_line_magic("load_ext", "tfmini.widgets")
    yield ip
    ip.run_line_magic("unload_ext", "tfmini.widgets")


CELL = """%%tfmini_graph
x = tf.placeholder(tf.float32, [None, 4], name="x")
with tf.variable_scope("net"):
    w = tf.get_variable("w", [4, 3])
sess = tf.Session()
sess.run(tf.global_variables_initializer())
"""


def test_cell_magic_builds_into_a_fresh_graph_every_run(shell):
    graphs = []
    for _ in range(3):
        result = shell.run_cell(CELL)
        assert result.success, result.error_in_exec
        graphs.append(shell.user_ns["w"].graph)
    assert len({id(g) for g in graphs}) == 3 and graphs[0].is_reset and graphs[1].is_reset
    assert graphs[2] is tf.get_default_graph()
    assert shell.user_ns["sess"] in open_sessions(graphs[2])
    # an op built in the magic's cell names the cell in its card and in the stale-tensor message
    from tfmini.widgets.model import describe_frame
    where = describe_frame(shell.user_ns["w"].op.traceback[0])
    assert "line 4" in where and "w = tf.get_variable" in where
    # as a notebook runs it (with history): the cell's own number, which IPython 9 has already counted past when
    # the cell runs
    result = shell.run_cell(CELL, store_history=True)
    assert result.success, result.error_in_exec
    where = describe_frame(shell.user_ns["w"].op.traceback[0])
    assert where.startswith("In[%d], line 4: w = tf.get_variable" % result.execution_count), where


def test_line_magic_resets_and_errors_in_the_cell_propagate(shell, capsys):
    shell.run_cell("x = tf.constant(1.0)")
    old = tf.get_default_graph()
    shell.run_line_magic("tfmini_reset", "")
    assert "Reset: a new empty default graph" in capsys.readouterr().out
    assert old.is_reset
    result = shell.run_cell("%%tfmini_graph\ny = tf.constant(2.0)\nraise KeyError('in the cell')")
    assert isinstance(result.error_in_exec, KeyError)


# =========================================================================== scope tree
def test_scope_tree_totals_trainable_collections_and_initialized():
    with tf.variable_scope("vgg"):
        with tf.variable_scope("conv1"):
            tf.get_variable("weights", [3, 3, 3, 64])
            tf.get_variable("biases", [64])
        with tf.variable_scope("fc"):
            tf.get_variable("weights", [10, 5])
    step = tf.Variable(0, trainable=False, name="global_step")
    root = tw.scope_tree()
    assert root.n_variables == 4 and root.n_params == 1728 + 64 + 50 + 1
    assert root.n_trainable_params == 1728 + 64 + 50 and root.n_bytes == 4 * (1728 + 64 + 50 + 1)
    conv1 = root.child("vgg/conv1")
    assert conv1.n_params == 1792 and [v.name for v, _ in conv1.variables] == ["vgg/conv1/weights",
                                                                              "vgg/conv1/biases"]
    assert root.child("vgg").n_params == 1842
    (gs, init), = root.variables
    assert gs.name == "global_step" and not gs.trainable and gs.collections == ("variables",) and init is None
    with tf.Session() as sess:
        sess.run(step.initializer)
        tree = tw.scope_tree(session=sess)
        assert tree.variables[0][1] is True and tree.child("vgg/conv1").variables[0][1] is False
        n = len(tf.get_default_graph().get_operations())
        tw.scope_tree(session=sess)
        assert len(tf.get_default_graph().get_operations()) == n  # the check ops are reused
        sess.run(tf.global_variables_initializer())
        assert tw.scope_tree(session=sess).child("vgg/conv1").variables[0][1] is True
    text = tw.tree_text(root)
    assert text.splitlines()[0] == "4 variables, 1843 parameters (1842 trainable), 7372 bytes"
    assert "  conv1/  2 variables, 1792 params" in text
    page = tw.tree_html(root)
    assert page.count("<details") == 3 and 'data-scope="vgg/conv1"' in page and "1,728" in page


def test_scope_tree_matches_slims_analyze_vars():
    slim = pytest.importorskip("tfmini.contrib.slim")
    analyze = getattr(getattr(slim, "model_analyzer", None), "analyze_vars", None)
    if analyze is None:
        pytest.skip("slim.model_analyzer.analyze_vars not available")
    with tf.variable_scope("a"):
        tf.get_variable("w", [7, 3])
        tf.get_variable("b", [3], dtype=tf.float64)
    total_size, total_bytes = analyze(tf.trainable_variables(), print_info=False)
    root = tw.scope_tree()
    assert (root.n_params, root.n_bytes) == (total_size, total_bytes)


def test_scope_tree_widget_follows_the_graph():
    pytest.importorskip("ipywidgets")
    build_cell()
    tree = tw.ScopeTree()
    assert tree.root.n_variables == 2 and "net/" in tree.html.value
    with tf.variable_scope("more"):
        tf.get_variable("v", [5])
    tree._on_cell_executed()
    assert tree.root.n_variables == 3 and "more/" in tree.html.value
    tw.reset()
    tree._on_cell_executed()
    assert tree.root.n_variables == 0


# =========================================================================== monitor
def test_training_monitor_text_fallback(capsys):
    mon = tw.TrainingMonitor(total=3, metrics=("loss", "accuracy"), print_every=0, text=True)
    for step in range(1, 4):
        mon.update(step, loss=1.0 / step, accuracy=0.5)
    mon.close()
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("step 1/3 loss 1 accuracy 0.5") and out[-1].endswith("(done)")
    assert mon.history["loss"] == ([1, 2, 3], [1.0, 0.5, 1.0 / 3])
    with pytest.raises(RuntimeError, match="after close"):
        mon.update(loss=1.0)


def test_training_monitor_plot_png():
    pytest.importorskip("matplotlib")
    with tw.TrainingMonitor(total=10, print_every=1e9) as mon:
        for step in range(10):
            mon.update(loss=np.float32(1.0 / (step + 1)))
    png = mon.figure_png()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


# =========================================================================== imports stay light
def test_importing_the_widgets_does_not_import_jupyter():
    code = ("import sys; sys.path.insert(0, %r); from test_widgets import load_widgets; load_widgets(); "
            "print([m for m in ('ipywidgets', 'IPython', 'matplotlib', 'easydot') if m in sys.modules])"
            % str(REPO / "tests"))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=str(REPO)).stdout
    assert out.strip().endswith("[]"), out
