"""tfmini.widgets: see the graph, see the variable scopes, reset safely, watch training.

    import tfmini.widgets as tw
    tw.show_graph(fetches=loss, feed_dict={x: xs})   # the ops this run executes, lit up
    tw.ScopeTree(session=sess)                        # variables by scope, with totals
    tw.ResetButton()                                  # or: %load_ext tfmini.widgets, %tfmini_reset
    mon = tw.TrainingMonitor(total=1000, metrics=("loss", "accuracy"))

Importing this package imports neither ipywidgets nor IPython; the widgets import them when
made, and without them show static HTML (SVG from `dot`, Graphviz in the browser, or DOT text).
"""
from .dot import build_view, graph_to_dot, view_to_dot
from .graph_view import GraphView, node_card_html, show_graph
from .model import GraphModel, resolve_run, run_set
from .monitor import TrainingMonitor
from .render import backend, render_svg, to_html
from .reset import ResetButton, ResetRefused, reset
from .scope_tree import ScopeTree, scope_tree, tree_html, tree_text

__all__ = ["graph_to_dot", "build_view", "view_to_dot", "GraphModel", "run_set", "resolve_run", "GraphView",
           "show_graph", "node_card_html", "ScopeTree", "scope_tree", "tree_html", "tree_text", "ResetButton",
           "ResetRefused", "reset", "TrainingMonitor", "backend", "render_svg", "to_html",
           "load_ipython_extension", "unload_ipython_extension"]


# =========================================================================== %load_ext tfmini.widgets
def load_ipython_extension(ipython):
    """`%load_ext tfmini.widgets`: adds `%tfmini_reset` and the `%%tfmini_graph` cell magic."""
    ipython.register_magic_function(_tfmini_reset, "line", "tfmini_reset")
    ipython.register_magic_function(_tfmini_graph, "cell", "tfmini_graph")


def unload_ipython_extension(ipython):
    for kind, name in (("line", "tfmini_reset"), ("cell", "tfmini_graph")):
        ipython.magics_manager.magics[kind].pop(name, None)


def _tfmini_reset(line=""):
    """%tfmini_reset: a new empty default graph; the old graph's sessions are closed."""
    from IPython.core.error import UsageError
    try:
        print(reset(how="%tfmini_reset"))
    except ResetRefused as e:
        raise UsageError(str(e)) from None


def _running_cell_number(shell):
    """The execution count of the cell running now (its In[n]): the one IPython gave this run's ExecutionResult.
    `shell.execution_count` is that number in IPython 8, but IPython 9 counts it up before the cell runs."""
    result = getattr(getattr(shell, "displayhook", None), "exec_result", None)
    count = getattr(result, "execution_count", None)
    return count if count is not None else shell.execution_count


def _tfmini_graph(line, cell):
    """%%tfmini_graph: reset the default graph, then run the cell, which builds into the new graph;
    re-running the cell never meets 'Variable ... already exists'."""
    from IPython import get_ipython
    from IPython.core.error import UsageError
    shell = get_ipython()
    try:
        reset(how="%%tfmini_graph")
    except ResetRefused as e:
        raise UsageError(str(e)) from None
    source = "\n" + shell.transform_cell(cell)  # line numbers as the cell shows them, under its %%tfmini_graph
    # cached under the cell's number, so tracebacks and the widgets' cards say `In[n], line k`
    filename = shell.compile.cache(source, _running_cell_number(shell), raw_code=cell)
    code = shell.compile(source, filename, "exec")
    exec(code, shell.user_ns)  # noqa: S102 - running the user's own cell is the point
