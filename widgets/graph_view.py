"""The graph view widget: the DOT picture, controls to open scopes, and a card per node.

`GraphView` builds its controls in `__init__`, changes state in `_on_*` callbacks and shows
itself through `_ipython_display_`; `show_graph(...)` displays one. Without ipywidgets the
view still displays, as static HTML (SVG, browser-side Graphviz, or DOT text).
"""
import html
import weakref

from . import render
from .dot import build_view, view_to_dot
from .model import GraphModel, resolve_run, run_set

__all__ = ["GraphView", "show_graph", "node_card_html"]


def _esc(x):
    return html.escape(str(x), quote=True)


def _preview(value):
    """(shape, text): a value's shape and its first few entries."""
    import numpy as np
    a = np.asarray(value)
    flat = a.ravel()
    head = flat[:6]
    if a.dtype.kind == "f":
        text = np.array2string(head, precision=4, separator=", ")
    else:
        text = np.array2string(head, separator=", ")
    if flat.size > 6:
        text = text[:-1] + ", ...]"
    return tuple(a.shape), text


def node_card_html(model, unit, values=None, run=None):
    """The card of one unit: an op's type, inputs, outputs with shapes, device, attributes, the
    user's line that created it and, after a run, each output's value shape and first entries;
    a scope's op count by type. Every name is escaped."""
    values = values or {}
    rows = []

    def row(k, v):
        rows.append("<tr><th style='text-align:left;vertical-align:top;padding-right:8px'>%s</th><td>%s</td></tr>"
                    % (_esc(k), v))
    if unit.kind == "op":
        op = model.ops[unit.key] if unit.key in model.ops else model.ops[unit.ops[0]]
        title = "%s <span style='color:#6b7280'>(%s)</span>" % (_esc(op.name), _esc(op.type))
        row("type", _esc(op.type))
        if op.inputs:
            row("inputs", "<br>".join("%s <code>%s %s</code>" % (
                _esc(t), _esc(model.tensors[t].shape_text), _esc(model.tensors[t].dtype)) for t in op.inputs))
        if op.control_inputs:
            row("control inputs", "<br>".join(_esc(c) for c in op.control_inputs))
        outs = []
        for t in op.outputs:
            line = "%s <code>%s %s</code>" % (_esc(t.name), _esc(t.shape_text), _esc(t.dtype))
            if t.name in values:
                shape, text = values[t.name]
                line += "<br>&nbsp;&nbsp;value: shape %s <code>%s</code>" % (_esc(shape), _esc(text))
            outs.append(line)
        if outs:
            row("outputs", "<br>".join(outs))
        row("device", _esc(op.device or "(default)"))
        if op.attrs:
            row("attributes", "<br>".join("%s = <code>%s</code>" % (_esc(k), _esc(v)) for k, v in op.attrs.items()))
        row("created at", "<code>%s</code>" % _esc(op.where or "(unknown)"))
        if run is not None:
            state = ("not fed: the run fails" if op.name in run.missing else
                     "executed by the run, once per iteration of its tf.while_loop" if op.name in run.executed
                     and op.name in model.looped else
                     "executed by the run if its tf.cond branch is taken" if op.name in run.executed
                     and op.name in model.conditional else
                     "executed by the run" if op.name in run.executed else "not executed by the run")
            row("in this run", _esc(state))
    else:
        title = "%s <span style='color:#6b7280'>(%s, %d ops)</span>" % (_esc(unit.key), _esc(unit.kind), len(unit.ops))
        types = {}
        for name in unit.ops:
            t = model.ops[name].type
            types[t] = types.get(t, 0) + 1
        row("op types", _esc(", ".join("%s \u00d7%d" % kv for kv in sorted(types.items(), key=lambda kv: -kv[1]))))
        variables = [v for v in model.variables if v.op in set(unit.ops)]
        if variables:
            row("variables", "<br>".join("%s <code>%s %s</code>" % (_esc(v.name), _esc(
                "x".join("?" if d is None else str(d) for d in (v.shape or ()))), _esc(v.dtype)) for v in variables))
        if run is not None:
            n = sum(1 for name in unit.ops if name in run.executed)
            row("in this run", "%d of %d ops executed" % (n, len(unit.ops)))
    return ("<div class='tfmini-card' style='font-size:12px'><b>%s</b><table>%s</table></div>"
            % (title, "".join(rows)))


class GraphView:
    """tfmini.widgets.GraphView(graph=None, fetches=None, feed_dict=None, session=None)

    The graph with its name scopes collapsed. Pick a node in the list to see its card; Expand /
    Collapse open and close scopes, folded stacks and side lanes. With `fetches` (and
    `feed_dict`) the ops that `sess.run(fetches, feed_dict)` would execute are lit and missing
    feeds are red; with a `session`, Run executes that call and the cards then show values.
    `renderer` forces 'dot', 'wasm' (Graphviz in the browser) or 'text' (default: the best here).
    """

    _live = weakref.WeakSet()

    def __init__(self, graph=None, fetches=None, feed_dict=None, session=None, expanded=(), side_lane=True,
                 fold=True, height=720, renderer=None):
        import tfmini as tf
        # widget callbacks may run on another thread than the cells (ipykernel's subshells), where the
        # default graph is another one (it is per thread, as in TF): keep the graph, follow it after cells
        self._follow_default = graph is None
        self._graph = graph if graph is not None else tf.get_default_graph()
        self.fetches = fetches
        self.feed_dict = feed_dict
        self.session = session
        self.expanded = set(expanded)
        self.side_lane = side_lane
        self.fold = fold
        self.height = height
        self.selected = None
        self.values = {}
        self.model = None
        self.view = None
        self.run_info = None
        self.dot = ""
        self._seen = None
        self._mode = renderer or render.backend()  # 'dot', 'wasm' or 'text'
        self._default_session = tf.get_default_session()
        try:
            import ipywidgets as w
        except ImportError:
            w = None
        self._w = w
        if w is not None:
            self._build_controls(w)
        self._rebuild()
        GraphView._live.add(self)
        from .scope_tree import _watch_cells
        _watch_cells()

    # ---- building
    def _build_controls(self, w):
        self._pick = w.Dropdown(options=[], description="node", layout=w.Layout(width="340px"))
        self._expand_btn = w.Button(description="Expand", icon="plus-square", layout=w.Layout(width="auto"))
        self._collapse_btn = w.Button(description="Collapse", icon="minus-square", layout=w.Layout(width="auto"))
        self._expand_all_btn = w.Button(description="Expand all", layout=w.Layout(width="auto"))
        self._collapse_all_btn = w.Button(description="Collapse all", layout=w.Layout(width="auto"))
        self._side_box = w.Checkbox(value=self.side_lane, description="side lane", indent=False,
                                    layout=w.Layout(width="100px"))
        self._run_btn = w.Button(description="Run", icon="play", button_style="success",
                                 layout=w.Layout(width="auto"), disabled=self.fetches is None)
        self._expand_btn.add_class("tfmini-expand")
        self._collapse_btn.add_class("tfmini-collapse")
        self._run_btn.add_class("tfmini-run")
        self._picture = w.HTML() if self._mode != "wasm" else w.Output()
        self._picture.add_class("tfmini-graph-view")
        self._card = w.HTML()
        self._card.add_class("tfmini-card-view")
        self._status = w.HTML()
        self._pick.observe(self._on_pick, names="value")
        self._expand_btn.on_click(self._on_expand)
        self._collapse_btn.on_click(self._on_collapse)
        self._expand_all_btn.on_click(self._on_expand_all)
        self._collapse_all_btn.on_click(self._on_collapse_all)
        self._side_box.observe(self._on_side_lane, names="value")
        self._run_btn.on_click(self._on_run)
        bar = w.HBox([self._pick, self._expand_btn, self._collapse_btn, self._expand_all_btn,
                      self._collapse_all_btn, self._side_box, self._run_btn])
        self.widget = w.VBox([bar, self._status, self._picture, self._card])
        self.widget.add_class("tfmini-graph-widget")

    @property
    def graph(self):
        return self._graph

    def _rebuild(self):
        g = self.graph
        if self.model is None or self._seen != (id(g), g.version):
            self.model = GraphModel.from_graph(g)
            self._seen = (id(g), g.version)
        self.run_info = None
        if self.fetches is not None:
            try:
                fetch_names, feed_names = resolve_run(g, self.fetches, self.feed_dict)
                self.run_info = run_set(self.model, fetch_names, feed_names)
            except (ValueError, TypeError, KeyError) as e:
                self._set_status("The fetches cannot be shown on this graph: %s" % e, error=True)
        self.view = build_view(self.model, self.expanded, self.side_lane, self.fold)
        self.dot = view_to_dot(self.model, self.view, self.run_info, self.selected)
        self._draw()

    def _draw(self):
        if self._w is None:
            return
        units = sorted(self.view.units.values(), key=lambda u: (u.kind == "op", u.lane != "main", u.key))
        options = [("%s  [%s]" % (u.key, u.kind if u.kind != "op" else self.model.ops[u.key].type
                                  if u.key in self.model.ops else "op"), u.key) for u in units]
        self._updating = True
        try:
            self._pick.options = options
            keys = [k for _, k in options]
            self._pick.value = self.selected if self.selected in keys else None
        finally:
            self._updating = False
        page = render.to_html(self.dot, self.height, self._mode)
        if self._mode == "wasm":
            from IPython.display import HTML, display
            self._picture.clear_output(wait=True)
            with self._picture:
                display(HTML(page))
        else:
            self._picture.value = page
        self._show_card()
        if self.run_info is not None and self.run_info.missing:
            self._set_status("This run needs a value for %s: add %s to feed_dict." % (
                ", ".join(self.run_info.missing), "it" if len(self.run_info.missing) == 1 else "them"), error=True)
        elif self.run_info is not None:
            self._set_status("%d ops run for these fetches." % len(self.run_info.executed))

    def _set_status(self, text, error=False):
        if self._w is not None:
            self._status.value = "<span style='color:%s'>%s</span>" % ("#b91c1c" if error else "#374151", _esc(text))

    def _unit(self, key):
        for u in self.view.units.values():
            if u.key == key:
                return u
        return None

    def _show_card(self):
        if self._w is None:
            return
        unit = self._unit(self.selected) if self.selected is not None else None
        self._card.value = node_card_html(self.model, unit, self.values, self.run_info) if unit else ""

    # ---- actions (used by the callbacks, and by scripts and tests)
    def select(self, key):
        """Show the card of the node whose key (op name, scope path, fold or lane key) is `key`."""
        self.selected = key
        self._rebuild()

    def expand(self, key=None):
        """Open the scope, folded stack or side lane `key` (default: the selected node)."""
        key = self.selected if key is None else key
        unit = self._unit(key)
        if key is not None and (unit is None or unit.kind != "op"):
            self.expanded.add(key)
        self._rebuild()

    def collapse(self, key=None):
        """Close `key` if it is open, else the innermost open scope around it (default: selected)."""
        key = self.selected if key is None else key
        if key in self.expanded:
            self.expanded = {k for k in self.expanded if k != key and not k.startswith(key + "/")}
        else:
            unit = self._unit(key)
            if unit is not None and unit.cluster:
                inner = unit.cluster[-1]
                self.expanded = {k for k in self.expanded if k != inner and not k.startswith(inner + "/")}
                self.selected = inner
            elif unit is not None and unit.lane != "main":
                self.expanded.discard("lane:" + unit.lane)
                self.selected = "lane:" + unit.lane
        self._rebuild()

    def expand_all(self):
        """Open every scope, stack and lane (large graphs get large)."""
        for _ in range(64):  # opening a scope can reveal folds and scopes inside it
            before = set(self.expanded)
            for u in self.view.units.values():
                if u.kind != "op":
                    self.expanded.add(u.key)
            self.view = build_view(self.model, self.expanded, self.side_lane, self.fold)
            if self.expanded == before:
                break
        self._rebuild()

    def collapse_all(self):
        self.expanded = set()
        self._rebuild()

    def run(self, session=None):
        """Run `sess.run(fetches, feed_dict)` and keep each executed op's output shape and first
        values for the cards; returns what `sess.run` returned."""
        sess = session or self.session or self._default_session
        if sess is None:
            raise ValueError("GraphView.run needs a session: GraphView(..., session=sess) or a default session")
        if self.fetches is None:
            raise ValueError("GraphView.run needs fetches: GraphView(..., fetches=loss)")
        g = self.graph
        extra = []
        if self.run_info is not None:
            for name in sorted(self.run_info.executed, key=lambda n: self.model.ops[n].index):
                if name in self.model.conditional or name in self.model.looped or \
                        not g.is_fetchable(g.get_operation_by_name(name)):
                    continue  # on a tf.cond branch (it may not run) or in a loop: a run may not fetch it
                for t in self.model.ops[name].outputs:
                    # (a resource - a TensorArray, a stack, an iterator - is a handle, and a variant - a tf.data
                    # dataset - a description, not values to show)
                    if t.name not in self.run_info.fed and t.dtype not in ("resource", "variant") and \
                            len(extra) < 2000:
                        extra.append(t.name)
        result, values = sess.run([self.fetches, [g.get_tensor_by_name(n) for n in extra]], self.feed_dict)
        self.values = {n: _preview(v) for n, v in zip(extra, values)}
        self._show_card()
        return result

    @property
    def svg(self):
        """The picture as SVG text (needs the `dot` program)."""
        return render.render_svg(self.dot)

    @property
    def node_count(self):
        """How many nodes the picture has."""
        return len(self.view.units)

    # ---- callbacks
    def _on_pick(self, change):
        if getattr(self, "_updating", False):
            return
        self.selected = change["new"]
        self._rebuild()

    def _on_expand(self, _button):
        self.expand()

    def _on_collapse(self, _button):
        self.collapse()

    def _on_expand_all(self, _button):
        self.expand_all()

    def _on_collapse_all(self, _button):
        self.collapse_all()

    def _on_side_lane(self, change):
        self.side_lane = bool(change["new"])
        self._rebuild()

    def _on_run(self, _button):
        try:
            self.run()
            self._set_status("Ran; pick a node to see its value.")
        except Exception as e:  # noqa: BLE001 - the error is the learner's to read, in the widget
            self._set_status("%s: %s" % (type(e).__name__, e), error=True)

    def _on_cell_executed(self, _result=None):
        # runs after each cell, on the cells' thread
        import tfmini as tf
        if self._follow_default and tf.get_default_graph() is not self._graph:
            # the default graph was replaced (a reset): the old fetches belong to the old graph
            self._graph = tf.get_default_graph()
            self.fetches = self.feed_dict = None
            self.values = {}
        g = self._graph
        if self._seen != (id(g), g.version):
            self._rebuild()

    # ---- display
    def _repr_html_(self):
        return render.to_html(self.dot, self.height, self._mode)

    def _ipython_display_(self):
        from IPython.display import HTML, display
        if self._w is not None:
            display(self.widget)
        else:
            display(HTML(self._repr_html_()))


def show_graph(graph=None, fetches=None, feed_dict=None, session=None, **options):
    """Display the graph (see GraphView) in the notebook. Returns None, so that a cell ending in
    `show_graph(...)` shows it once; keep a `GraphView(...)` to drive it from code."""
    from IPython.display import display
    display(GraphView(graph=graph, fetches=fetches, feed_dict=feed_dict, session=session, **options))
