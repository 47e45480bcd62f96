"""tfmini.widgets without Jupyter: the view model, the DOT builder, the run set, the node card, escaping."""
import html
import importlib.util
import pathlib
import re
import shutil
import sys

import numpy as np
import pytest

import tfmini as tf

REPO = pathlib.Path(__file__).resolve().parent.parent


def load_widgets():
    """tfmini.widgets, also when the package is not installed (pyproject maps widgets/ to it)."""
    try:
        import tfmini.widgets as tw
        return tw
    except ImportError:
        spec = importlib.util.spec_from_file_location("tfmini.widgets", REPO / "widgets" / "__init__.py",
                                                      submodule_search_locations=[str(REPO / "widgets")])
        mod = importlib.util.module_from_spec(spec)
        sys.modules["tfmini.widgets"] = mod
        spec.loader.exec_module(mod)
        tf.widgets = mod
        return mod


tw = load_widgets()
from tfmini.widgets import dot as wdot  # noqa: E402
from tfmini.widgets import model as wmodel  # noqa: E402
from tfmini.widgets import render as wrender  # noqa: E402

EVIL = "<img src=x onerror=alert(1)>"
has_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="needs the Graphviz `dot` program")


def mlp(hidden=(512, 512), adam=True):
    """The lesson's MLP: 784 -> hidden -> 10 with softmax cross-entropy, Adam and an initializer."""
    x = tf.placeholder(tf.float32, [None, 784], name="x")
    y = tf.placeholder(tf.int64, [None], name="y")
    h = x
    for n in hidden:
        h = tf.layers.dense(h, n, activation=tf.nn.relu)
    logits = tf.layers.dense(h, 10)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits), name="loss")
    train = tf.train.AdamOptimizer(1e-3).minimize(loss) if adam else None
    init = tf.global_variables_initializer()
    return x, y, logits, loss, train, init


def units_by_key(view):
    return {u.key: u for u in view.units.values()}


def dot_labels(text):
    return re.findall(r'label="((?:[^"\\]|\\.)*)"', text)


# =========================================================================== view model
def test_model_reads_names_types_shapes_and_the_users_line():
    x = tf.placeholder(tf.float32, [None, 784], name="x")
    w = tf.Variable(tf.zeros([784, 10]), name="W")
    y = tf.matmul(x, w)
    m = wmodel.GraphModel.from_graph(tf.get_default_graph())
    op = m.ops["MatMul"]
    assert op.type == "MatMul" and op.inputs == ("x:0", "W/read:0")
    assert op.outputs[0].shape == (None, 10) and op.outputs[0].shape_text == "?x10"
    assert op.outputs[0].dtype == "float32"
    assert op.where.startswith(__file__) and "tf.matmul(x, w)" in op.where
    assert m.ops["x"].kind == "placeholder" and m.ops["W"].kind == "variable"
    assert m.ops["W/Assign"].lane == "init" and m.ops["zeros"].lane == "init"
    assert m.ops["W/read"].lane == "main"
    assert [v.name for v in m.variables] == ["W"] and m.variables[0].size == 7840
    assert set(m.variables[0].collections) == {"variables", "trainable_variables"}
    assert y.name == "MatMul:0"


def test_shape_text():
    assert wmodel.shape_text((None, 784)) == "?x784"
    assert wmodel.shape_text(()) == "scalar"
    assert wmodel.shape_text(None) == "(unknown)"


def test_lanes_init_gradients_summary_save():
    x, y, logits, loss, train, init = mlp(hidden=(16,))
    m = wmodel.GraphModel.from_graph(tf.get_default_graph())
    lanes = {n: op.lane for n, op in m.ops.items()}
    assert lanes["init"] == "init"
    assert lanes["dense/kernel/Initializer/random_uniform"] == "init"
    assert all(lane == "gradients" for n, lane in lanes.items() if n.startswith("gradients/"))
    assert lanes["Adam"] == "main" and lanes["dense/kernel"] == "main"
    assert lanes["dense/MatMul"] == "main"


# =========================================================================== DOT builder: collapse, expand, fold
def test_scopes_start_collapsed_with_op_count():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    with tf.name_scope("layer1"):
        w = tf.constant(np.ones((3, 4), np.float32), name="w")
        h = tf.nn.relu(tf.matmul(x, w))
    view = tw.build_view(wmodel.GraphModel.from_graph(tf.get_default_graph()))
    by_key = units_by_key(view)
    assert set(by_key) == {"x", "layer1"}
    assert by_key["layer1"].kind == "scope" and by_key["layer1"].label == "layer1\n3 ops"
    text = tw.graph_to_dot()
    assert "layer1\\n3 ops" in text and "cluster" not in text
    assert h.name == "layer1/Relu:0"


def test_expand_opens_a_cluster_and_collapse_closes_it():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    with tf.name_scope("outer"):
        with tf.name_scope("inner"):
            tf.nn.relu(x)
            tf.nn.sigmoid(x)
        tf.tanh(x)
    m = wmodel.GraphModel.from_graph(tf.get_default_graph())
    assert set(units_by_key(tw.build_view(m))) == {"x", "outer"}
    one = units_by_key(tw.build_view(m, expanded={"outer"}))
    assert set(one) == {"x", "outer/inner", "outer/Tanh"}
    assert one["outer/inner"].label == "inner\n2 ops" and one["outer/Tanh"].cluster == ("outer",)
    two = units_by_key(tw.build_view(m, expanded={"outer", "outer/inner"}))
    assert set(two) == {"x", "outer/inner/Relu", "outer/inner/Sigmoid", "outer/Tanh"}
    assert two["outer/inner/Relu"].cluster == ("outer", "outer/inner")
    text = tw.graph_to_dot(expanded={"outer", "outer/inner"})
    assert text.count("subgraph cluster_main") == 2
    assert 'label="inner"' in text and 'label="outer"' in text


def test_a_variable_is_one_node_until_opened():
    w = tf.Variable(tf.zeros([3, 2]), name="W")
    m = wmodel.GraphModel.from_graph(tf.get_default_graph())
    closed = units_by_key(tw.build_view(m, side_lane=False))
    assert set(closed) == {"W"} and closed["W"].style == "variable" and closed["W"].label == "W\n3x2"
    opened = units_by_key(tw.build_view(m, expanded={"W"}, side_lane=False))
    assert set(opened) == {"W", "W/read"} and opened["W"].cluster == opened["W/read"].cluster == ("W",)
    assert w.name == "W:0"


def test_operand_constants_stay_with_their_op():
    x = tf.placeholder(tf.float32, [2], name="x")
    y = x * 2.0
    by_key = units_by_key(tw.build_view(wmodel.GraphModel.from_graph(tf.get_default_graph())))
    assert set(by_key) == {"x", "mul"}
    assert by_key["mul"].ops == ["mul/y", "mul"] and by_key["mul"].label == "mul\nMul"
    assert y.op.name == "mul"


def _conv_block(x, n, name):
    with tf.variable_scope(name):
        for i in range(1, n + 1):
            with tf.variable_scope("%s_%d" % (name, i)):
                w = tf.get_variable("weights", [x.shape[-1].value, 8])
                x = tf.nn.relu(tf.matmul(x, w))
    return x


def test_repeated_blocks_fold_into_a_stack_and_unfold():
    x = tf.placeholder(tf.float32, [None, 8], name="x")
    h = _conv_block(x, 3, "conv3")
    m = wmodel.GraphModel.from_graph(tf.get_default_graph())
    view = tw.build_view(m, expanded={"conv3"})
    by_key = units_by_key(view)
    fold = by_key["fold:conv3/conv3_1..3"]
    assert fold.kind == "fold" and fold.style == "fold"
    assert fold.label.startswith("conv3_1 .. conv3_3\n\u00d73")
    assert "conv3/conv3_2" not in by_key
    text = tw.graph_to_dot(expanded={"conv3"})
    assert "shape=box3d" in text
    unfolded = units_by_key(tw.build_view(m, expanded={"conv3", "fold:conv3/conv3_1..3"}))
    assert {"conv3/conv3_1", "conv3/conv3_2", "conv3/conv3_3"} <= set(unfolded)
    assert not tw.build_view(m, expanded={"conv3"}, fold=False).units.keys() & {"fold:conv3/conv3_1..3"}
    assert h.shape.as_list() == [None, 8]


def test_blocks_that_do_not_chain_do_not_fold():
    x = tf.placeholder(tf.float32, [None, 8], name="x")
    for i in (1, 2):  # parallel branches: both read x
        with tf.variable_scope("branch_%d" % i):
            tf.nn.relu(tf.matmul(x, tf.get_variable("w", [8, 8])))
    by_key = units_by_key(tw.build_view(wmodel.GraphModel.from_graph(tf.get_default_graph())))
    assert {"branch_1", "branch_2"} <= set(by_key)
    assert not any(k.startswith("fold:") for k in by_key)


def test_mlp_folds_the_two_hidden_layers():
    mlp()
    by_key = units_by_key(tw.build_view(wmodel.GraphModel.from_graph(tf.get_default_graph())))
    assert "fold:dense..1" in by_key  # dense -> dense_1 repeat; dense_2 has no Relu: not the same block
    assert by_key["dense_2"].kind == "scope"


def test_side_lane_can_be_hidden_and_expanded():
    x, y, logits, loss, train, init = mlp(hidden=(16,))
    m = wmodel.GraphModel.from_graph(tf.get_default_graph())
    view = tw.build_view(m)
    by_key = units_by_key(view)
    assert by_key["lane:init"].kind == "lane" and by_key["lane:gradients"].kind == "lane"
    assert view.lanes == ["init", "gradients"]
    text = tw.graph_to_dot()
    assert "subgraph cluster_side_lane" in text and "shape=folder" in text
    hidden = tw.build_view(m, side_lane=False)
    assert not any(u.lane != "main" for u in hidden.units.values())
    assert "cluster_side_lane" not in tw.graph_to_dot(side_lane=False)
    opened = units_by_key(tw.build_view(m, expanded={"lane:gradients"}))
    assert "lane:gradients" not in opened and "gradients" in opened
    assert opened["gradients"].lane == "gradients" and opened["gradients"].kind == "scope"


def test_node_styles_tell_kinds_apart():
    tf.placeholder(tf.float32, [None, 2], name="p")
    tf.Variable(tf.zeros([2]), name="v")
    tf.constant(1.0, name="c")
    text = tw.graph_to_dot(side_lane=False)
    line = {name: next(ln for ln in text.splitlines() if 'label="%s' % name in ln) for name in ("p", "v", "c")}
    assert "shape=invhouse" in line["p"] and "shape=cylinder" in line["v"] and "shape=box" in line["c"]
    assert "tfmini-placeholder" in line["p"] and "tfmini-variable" in line["v"] and "tfmini-constant" in line["c"]


def test_edges_carry_static_shape_and_dtype():
    x = tf.placeholder(tf.float32, [None, 784], name="x")
    w = tf.Variable(tf.zeros([784, 10]), name="W")
    tf.matmul(x, w, name="logits")
    text = tw.graph_to_dot()
    assert re.search(r'u\d+ -> u\d+ \[label="\?x784 float32"', text)
    assert re.search(r'label="784x10 float32"', text)  # W/read, not a ref


# =========================================================================== highlighting a run
def test_highlight_lights_exactly_the_ops_the_run_executes():
    from tfmini.runtime.backends import numpy_backend
    from tfmini.runtime.executor import build_plan
    from tfmini.runtime.state import SessionState
    x, y, logits, loss, train, init = mlp(hidden=(8,))
    g = tf.get_default_graph()
    m = wmodel.GraphModel.from_graph(g)
    for fetches, feeds in (([logits], [x]), ([loss], [x, y]), ([train.outputs[0]] if train.outputs else [], [x, y]),
                           ([init.name], [])):
        names, feed_names = wmodel.resolve_run(g, fetches or [train], {f: None for f in feeds})
        rs = wmodel.run_set(m, names, feed_names)
        tensors = [g.as_graph_element(n) for n in names if ":" in n]
        targets = [g.as_graph_element(n) for n in names if ":" not in n]
        plan = build_plan(SessionState(), tensors, targets, list(feeds), numpy_backend())
        planned = {op.name for op in plan.ops}
        assert planned <= rs.executed
        # what the plan lacks it computed once while being built (constant folding): consts only
        for name in rs.executed - planned:
            assert all(m.ops[m.tensors[t].op].name in rs.executed - planned for t in m.ops[name].inputs)
    rs = wmodel.run_set(m, ["loss:0"], ["x:0", "y:0"])
    assert "Adam" not in rs.executed and "dense/MatMul" in rs.executed and "x" not in rs.executed


def test_highlight_marks_fed_tensors_and_missing_feeds_in_red():
    x, y, logits, loss, train, init = mlp(hidden=(8,))
    text = tw.graph_to_dot(fetches=[train, loss], feed_dict={x: np.zeros((1, 784))})
    node = {dot_labels(ln)[0].split("\\n")[0]: ln for ln in text.splitlines() if re.match(r"\s*u\d+ \[", ln)}
    assert 'xlabel="not fed"' in node["y"] and wdot.MISSING in node["y"]
    assert wdot.FED in node["x"] and "not fed" not in node["x"]
    assert 'label="fed: ?x784 float32"' in text
    assert wdot.LIT in node["Adam"] and wdot.DIM in node["init"]
    # the widget's missing feeds are exactly the session's complaint
    with tf.Session() as sess:
        sess.run(init)
        with pytest.raises(tf.errors.InvalidArgumentError, match="You must feed a value for placeholder tensor 'y'"):
            sess.run(loss, {x: np.zeros((1, 784))})
        rs = wmodel.run_set(wmodel.GraphModel.from_graph(tf.get_default_graph()), ["loss:0"], ["x:0"])
        assert rs.missing == ["y"]
        sess.run(logits, {x: np.zeros((1, 784))})
        assert wmodel.run_set(wmodel.GraphModel.from_graph(tf.get_default_graph()), [logits.name],
                              ["x:0"]).missing == []


def test_fetch_of_another_graph_is_refused_like_sess_run():
    other = tf.Graph()
    with other.as_default():
        t = tf.constant(1.0)
    with pytest.raises(ValueError, match="is not an element of this graph"):
        tw.graph_to_dot(fetches=t)


# =========================================================================== node card
def test_node_card_shows_type_io_device_attrs_and_where():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    with tf.device("/cpu:0"):
        r = tf.nn.relu(x, name="act")
    m = wmodel.GraphModel.from_graph(tf.get_default_graph())
    view = tw.build_view(m)
    card = tw.node_card_html(m, units_by_key(view)["act"])
    assert "Relu" in card and "x:0" in card and "act:0" in card and "?x3" in card
    assert "/device:CPU:0" in card
    assert "tf.nn.relu(x, name=&quot;act&quot;)" in card
    card = tw.node_card_html(m, units_by_key(view)["x"])
    assert "dtype = <code>float32</code>" in card and "shape = <code>(?, 3)</code>" in card
    assert r.name == "act:0"


def test_graph_view_without_jupyter_and_its_value_preview():
    x, y, logits, loss, train, init = mlp(hidden=(8,), adam=False)
    xs, ys = np.ones((2, 784), np.float32), np.array([1, 2])
    with tf.Session() as sess:
        sess.run(init)
        view = tw.GraphView(fetches=loss, feed_dict={x: xs, y: ys}, session=sess)
        assert view.run_info.missing == [] and "loss" in view.run_info.executed
        out = view.run()
        assert np.isclose(out, sess.run(loss, {x: xs, y: ys}))
        assert view.values["dense/MatMul:0"][0] == (2, 8)
        view.select("fold:dense..1" if view._unit("fold:dense..1") else "dense")
        view.expand()
        view.expand("dense")
        assert "dense/MatMul" in {u.key for u in view.view.units.values()}
        view.select("dense/MatMul")
        card = tw.node_card_html(view.model, view._unit("dense/MatMul"), view.values, view.run_info)
        assert "value: shape (2, 8)" in card
        view.collapse("dense/MatMul")
        assert "dense" not in view.expanded
        view.expand_all()
        assert all(u.kind == "op" for u in view.view.units.values())
        view.collapse_all()
        assert view.expanded == set()


# =========================================================================== rendering
@has_dot
def test_svg_from_dot_has_one_node_per_unit():
    mlp()
    view = tw.GraphView(side_lane=True)
    svg = view.svg
    assert svg.lstrip().startswith("<svg") and wrender.svg_node_count(svg) == view.node_count


def test_text_fallback_escapes_the_dot_text():
    page = wrender.to_html('digraph { a [label="%s"]; }' % EVIL, mode="text")
    assert EVIL not in page and html.escape(EVIL) in page


def test_wasm_fallback_embeds_data_as_json_that_cannot_close_the_script(monkeypatch, tmp_path):
    bundle = tmp_path / "easydot" / "assets"
    bundle.mkdir(parents=True)
    (bundle / "index.js").write_text("export const Graphviz = {};")
    monkeypatch.setattr(wrender, "wasm_bundle_path", lambda: str(bundle / "index.js"))
    monkeypatch.setattr(wrender, "_bundle_sent", False)
    page = wrender.to_html('digraph { a [label="</script><script>alert(1)</script>"]; }', mode="wasm")
    script = page[page.index('<script type="module">'):]
    assert script.count("</script>") == 1 and "<\\/script>" in script
    assert '"bundle": "ZXhwb3J0' in page  # base64 of the bundle, sent once
    again = wrender.to_html("digraph {}", mode="wasm")
    assert '"bundle": ""' in again


def test_easydot_bundle_is_found_without_importing_easydot():
    path = wrender.wasm_bundle_path()
    if path is not None:
        assert path.endswith("index.js") and "easydot" not in sys.modules


# =========================================================================== escaping
def test_every_name_reaching_dot_and_html_is_escaped():
    # op names are validated by the graph; scope names, collection keys and attribute values are not
    x = tf.placeholder(tf.float32, [None, 2], name="a>b")
    tf.add_to_collection(EVIL, x)
    c = tf.constant(EVIL.encode(), name="evil")
    tf.Print(x, [x], message=EVIL + '"quote" {brace} \\N \\G &amp;', name="printed")
    m = wmodel.GraphModel.from_graph(tf.get_default_graph())
    assert EVIL in m.collections
    view = tw.build_view(m)
    text = tw.view_to_dot(m, view)
    cards = {u.key: tw.node_card_html(m, u) for u in view.units.values()}
    assert not any("<img" in card for card in cards.values())
    assert "a&gt;b" in cards["a>b"] and html.escape(EVIL) in cards["printed"]
    # DOT strings: quotes and backslashes escaped, '&' made literal
    assert wdot.dot_string('say "hi" \\N & {x}') == '"say \\"hi\\" \\\\N &amp; {x}"'
    assert c.op.name == "evil"
    if shutil.which("dot"):
        svg = wrender.render_svg(text)
        assert "<img" not in svg and "a&gt;b" in svg
    # a fake model with names the graph would refuse: everything is still escaped
    fake = wmodel.GraphModel()
    out = wmodel.TensorInfo(EVIL + ":0", EVIL, 0, "float32", (None, 2))
    fake.ops[EVIL] = wmodel.OpInfo(name=EVIL, type='Fn"{}', inputs=(), control_inputs=(), outputs=(out,),
                                   device=EVIL, attrs={EVIL: EVIL}, frames=(), index=0)
    fake.tensors[out.name] = out
    fake.consumers[EVIL] = []
    fake_view = tw.build_view(fake)
    card = tw.node_card_html(fake, next(iter(fake_view.units.values())))
    assert "<img" not in card and html.escape(EVIL) in card
    fake_dot = tw.view_to_dot(fake, fake_view)
    assert 'Fn\\"{}' in fake_dot
    if shutil.which("dot"):
        svg = wrender.render_svg(fake_dot)
        assert "<img" not in svg and "&lt;img src=x onerror=alert(1)&gt;" in svg


def test_scope_tree_html_escapes_scope_names_and_collection_keys():
    with tf.variable_scope("s>1"):  # '>' is the one HTML character the graph allows in names
        v = tf.get_variable("w", [2, 3])
    tf.add_to_collection(EVIL, v)
    page = tw.tree_html(tw.scope_tree())
    assert "<img" not in page and html.escape(EVIL) in page and "s&gt;1/" in page
    # names the graph refuses, in a tree built by hand
    root = tw.scope_tree()
    root.children["s>1"].name = EVIL + '"{}'
    page = tw.tree_html(root)
    assert "<img" not in page and html.escape(EVIL + '"{}') in page


def test_graph_view_runs_a_graph_with_a_while_loop():
    """A loop's ops (a nested loop's too) are `looped`, not conditional; Run shows the values around the loop, and
    their cards say that they run once per iteration. A graph imported without contexts (every op fetchable) is
    read the same way, from its structure."""
    from tfmini.framework import graph_io
    tf.reset_default_graph()
    n = tf.placeholder(tf.int32, [], name="n")

    def body(i, s):
        s2 = tf.while_loop(lambda j, a: j < i, lambda j, a: (j + 1, a + 1.0), [0, s])[1]
        return i + 1, tf.cond(i > 1, lambda: s2 * 2.0, lambda: s2)
    tf.reduce_sum(tf.while_loop(lambda i, s: i < n, body, (0, tf.zeros([2])))[1] * 3.0, name="out")
    data = graph_io.graph_def_bytes(tf.get_default_graph())
    for imported in (False, True):
        if imported:
            tf.reset_default_graph()
            tf.import_graph_def(data, name="")
        g = tf.get_default_graph()
        with tf.Session() as sess:
            view = tw.GraphView(g, fetches=g.get_tensor_by_name("out:0"), feed_dict={"n:0": 3}, session=sess)
            assert view.run() == 36.0  # s: 0, 1, (1 + 2) * 2 = 6, two entries, times 3
        m = view.model
        assert {"while/Merge", "while/add", "while/while/Exit_1", "while/while/add_1", "while/cond/mul"} <= m.looped
        assert not {"while/Exit_1", "mul", "out", "n"} & m.looped
        assert "while/cond/mul" in m.conditional and "while/add" not in m.conditional and "mul" not in m.conditional
        assert {"mul:0", "while/Exit_1:0", "out:0"} <= set(view.values)
        assert not any(name.split(":")[0] in m.looped for name in view.values)
        view.expand_all()
        card = tw.node_card_html(m, view._unit("while/add"), view.values, view.run_info)
        assert "executed by the run, once per iteration of its tf.while_loop" in card


def test_graph_view_runs_a_graph_with_a_cond():
    """Ops on a tf.cond branch may not run and a run may not fetch them: Run shows the other values, and the
    cards of branch ops say that they run only when their branch is taken."""
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    is_training = tf.placeholder(tf.bool, name="is_training")
    out = tf.layers.dropout(tf.layers.dense(x, 3), rate=0.5, training=is_training)
    loss = tf.reduce_sum(out)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        view = tw.GraphView(fetches=[train, loss], feed_dict={x: np.ones((2, 4)), is_training: False}, session=sess)
        _, value = view.run()
        assert np.isfinite(value) and view.values["dense/MatMul:0"][0] == (2, 3)
        assert "dropout/cond/Identity" in view.model.conditional and "dense/MatMul" not in view.model.conditional
        assert "dropout/cond/Merge" not in view.model.conditional
        assert not any(n.startswith("dropout/cond/") and not n.startswith("dropout/cond/Merge") for n in view.values)
        view.expand_all()
        card = tw.node_card_html(view.model, view._unit("dropout/cond/Identity"), view.values, view.run_info)
        assert "executed by the run if its tf.cond branch is taken" in card
        card = tw.node_card_html(view.model, view._unit("dense/MatMul"), view.values, view.run_info)
        assert "executed by the run<" in card or "executed by the run</" in card
