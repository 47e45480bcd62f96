"""The variable-scope tree: variables by scope with shapes, parameter counts and totals per scope.

`scope_tree(graph, session)` builds the model (a `ScopeNode` tree, like slim's `analyze_vars`
with a subtotal on every scope); `tree_html(root)` draws it as nested `<details>` elements that
the browser collapses and expands by itself; `ScopeTree` is the notebook widget, which redraws
when the graph has grown after a cell ran.
"""
import html
import weakref
from dataclasses import dataclass, field

from .model import GraphModel, shape_text

__all__ = ["ScopeNode", "scope_tree", "initialized_in_session", "tree_html", "tree_text", "ScopeTree"]


@dataclass
class ScopeNode:
    """One variable scope: its variables, sub-scopes, and totals over everything below it."""
    name: str                    # the leaf name ('conv1'); '' for the root
    path: str                    # the full scope ('vgg_16/conv1')
    variables: list = field(default_factory=list)   # (VariableInfo, initialized: True/False/None)
    children: dict = field(default_factory=dict)    # leaf name -> ScopeNode
    n_variables: int = 0
    n_params: int = 0
    n_trainable_params: int = 0
    n_bytes: int = 0

    def child(self, path):
        """The node at `path` below this one ('conv1/conv1_1'), KeyError if absent."""
        node = self
        for part in path.split("/"):
            node = node.children[part]
        return node


def initialized_in_session(graph, session, variables=None):
    """{variable op name: bool} for the variables of `graph` as `session` holds them, or None.

    Runs one `IsVariableInitialized` op per variable in `session` (tf.is_variable_initialized,
    the op tf.report_uninitialized_variables uses); an op already in the graph for a variable is
    reused, so asking again adds nothing. None when the session is closed or of another graph, or
    the graph is finalized and lacks the ops.
    """
    import tfmini as tf
    from tfmini.client.session import open_sessions
    if session is None or graph.is_reset or session not in open_sessions(graph):
        return None
    if variables is None:
        variables = graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES) + \
            graph.get_collection(tf.GraphKeys.LOCAL_VARIABLES)
    existing = {}
    for op in graph.get_operations():
        if op.type == "IsVariableInitialized" and op.inputs:
            existing.setdefault(op.inputs[0].op.name, op.outputs[0])
    checks = {}
    for v in variables:
        name = v.op.name
        t = existing.get(name)
        if t is None:
            if graph.finalized:
                return None
            with graph.as_default(), graph.control_dependencies(None), \
                    graph.name_scope("report_uninitialized_variables/"):
                t = tf.is_variable_initialized(v)
            existing[name] = t
        checks[name] = t
    if not checks:
        return {}
    try:
        values = session.run(list(checks.values()))
    except RuntimeError:  # closed meanwhile
        return None
    return {name: bool(v) for name, v in zip(checks, values)}


def scope_tree(graph=None, session=None, model=None):
    """The root ScopeNode of `graph`'s variables (global and local), with per-scope totals."""
    import tfmini as tf
    if graph is None:
        graph = tf.get_default_graph()
    if model is None:
        model = GraphModel.from_graph(graph)
    status = initialized_in_session(graph, session) if session is not None else None
    root = ScopeNode(name="", path="")
    for v in model.variables:
        parts = v.name.split("/")
        chain = [root]
        node = root
        for i, part in enumerate(parts[:-1]):
            node = node.children.setdefault(part, ScopeNode(name=part, path="/".join(parts[:i + 1])))
            chain.append(node)
        node.variables.append((v, None if status is None else status.get(v.op)))
        for n in chain:
            n.n_variables += 1
            n.n_params += v.size
            n.n_bytes += v.nbytes
            if v.trainable:
                n.n_trainable_params += v.size
    return root


def _human(n):
    for unit, div in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if n >= div:
            return "%.1f%s" % (n / div, unit)
    return str(n)


def _init_text(flag):
    return {True: "yes", False: "no", None: "\u2013"}[flag]


def tree_text(root, indent=""):
    """The tree as plain text, one line per scope and variable (for terminals and tests)."""
    lines = []
    if not root.path:
        lines.append("%d variables, %s parameters (%s trainable), %s bytes" % (
            root.n_variables, root.n_params, root.n_trainable_params, root.n_bytes))
    for child in root.children.values():
        lines.append("%s%s/  %d variables, %d params" % (indent, child.name, child.n_variables, child.n_params))
        lines.extend(tree_text(child, indent + "  ").splitlines())
    for v, init in root.variables:
        lines.append("%s%s  %s %s  %d params%s%s  init=%s" % (
            indent, v.name.rpartition("/")[2], shape_text(v.shape), v.dtype, v.size,
            "" if v.trainable else "  (not trainable)", "  [%s]" % ", ".join(v.collections), _init_text(init)))
    return "\n".join(lines)


_TREE_CSS = """<style>
.tfmini-tree{font-family:var(--jp-code-font-family,monospace);font-size:12px}
.tfmini-tree details{margin-left:14px}.tfmini-tree summary{cursor:pointer}
.tfmini-tree table{border-collapse:collapse;margin-left:18px}
.tfmini-tree td,.tfmini-tree th{padding:1px 8px;text-align:left}
.tfmini-tree .tot{color:#4b5563}.tfmini-tree .no{color:#b91c1c}.tfmini-tree .yes{color:#15803d}
</style>"""


def tree_html(root, open_levels=1):
    """The tree as nested <details> (scopes) and tables (variables); every name is escaped."""
    esc = html.escape
    out = [_TREE_CSS, '<div class="tfmini-tree">',
           '<div class="tot"><b>%d variables</b>, %s parameters (%s trainable), %s bytes</div>' % (
               root.n_variables, "{:,}".format(root.n_params), "{:,}".format(root.n_trainable_params),
               _human(root.n_bytes))]

    def var_table(node):
        if not node.variables:
            return
        out.append("<table><tr><th>variable</th><th>shape</th><th>dtype</th><th>params</th><th>trainable</th>"
                   "<th>collections</th><th>initialized</th></tr>")
        for v, init in node.variables:
            out.append('<tr class="tfmini-var" title="%s"><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>'
                       '<td>%s</td><td class="%s">%s</td></tr>' % (
                           esc(v.name), esc(v.name.rpartition("/")[2]), esc(shape_text(v.shape)), esc(v.dtype),
                           "{:,}".format(v.size), "yes" if v.trainable else "no", esc(", ".join(v.collections)),
                           {True: "yes", False: "no", None: ""}[init], _init_text(init)))
        out.append("</table>")

    def walk(node, depth):
        for child in node.children.values():
            out.append('<details class="tfmini-scope" data-scope="%s"%s><summary><b>%s/</b> '
                       '<span class="tot">%d variables, %s params</span></summary>' % (
                           esc(child.path), " open" if depth < open_levels else "", esc(child.name),
                           child.n_variables, "{:,}".format(child.n_params)))
            walk(child, depth + 1)
            out.append("</details>")
        var_table(node)

    walk(root, 0)
    out.append("</div>")
    return "\n".join(out)


class ScopeTree:
    """tfmini.widgets.ScopeTree(graph=None, session=None): the variable scopes as a collapsible tree.

    With `session`, a column says whether each variable is initialized in it. Follows the default
    graph when `graph` is None (so it shows the new graph after a reset); redraws after a cell
    that grew the graph (an IPython `post_run_cell` callback) or on `refresh()`.
    """

    _live = weakref.WeakSet()

    def __init__(self, graph=None, session=None, open_levels=1):
        import tfmini as tf
        # kept, not looked up in callbacks: those may run on another thread (see GraphView)
        self._follow_default = graph is None
        self._graph = graph if graph is not None else tf.get_default_graph()
        self.session = session
        self.open_levels = open_levels
        self._seen = None
        try:
            import ipywidgets as w
        except ImportError:
            w = None
        self.html = w.HTML(value="") if w is not None else None
        if self.html is not None:
            self.html.add_class("tfmini-scope-tree")
        self.refresh()
        ScopeTree._live.add(self)
        _watch_cells()

    @property
    def graph(self):
        return self._graph

    @property
    def root(self):
        return self._root

    def refresh(self):
        """Rebuild the tree from the graph (and the session's initialized flags)."""
        g = self.graph
        session = self.session
        if session is None:
            import tfmini as tf
            default = tf.get_default_session()
            session = default if default is not None and default.graph is g else None
        self._root = scope_tree(g, session)
        self._seen = (id(g), g.version)
        if self.html is not None:
            self.html.value = tree_html(self._root, self.open_levels)

    def _on_cell_executed(self, _result=None):
        # runs after each cell, on the cells' thread: the default graph may have been replaced
        import tfmini as tf
        if self._follow_default and tf.get_default_graph() is not self._graph:
            self._graph = tf.get_default_graph()
        g = self._graph
        if self._seen != (id(g), g.version):
            self.refresh()

    def _repr_html_(self):
        return tree_html(self._root, self.open_levels)

    def __repr__(self):
        return tree_text(self._root)

    def _ipython_display_(self):
        from IPython.display import HTML, display
        if self.html is not None:
            display(self.html)
        else:
            display(HTML(self._repr_html_()))


_watching = False


def _watch_cells():
    """Register one IPython post_run_cell callback that refreshes the live widgets."""
    global _watching
    if _watching:
        return
    import sys
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return
    shell.events.register("post_run_cell", _after_cell)
    _watching = True


def _after_cell(result=None):
    for w in list(ScopeTree._live):
        try:
            w._on_cell_executed(result)
        except Exception:  # noqa: BLE001 - a widget must never break the user's cell
            pass
    from . import graph_view
    for w in list(graph_view.GraphView._live):
        try:
            w._on_cell_executed(result)
        except Exception:  # noqa: BLE001
            pass
