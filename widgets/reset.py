"""Safe re-runs in a notebook: reset the default graph, close its sessions, explain stale tensors.

`reset()` is what `%tfmini_reset`, the `%%tfmini_graph` cell magic and `ResetButton` do:

1. refuse inside a `with graph.as_default():` block (or a `with tf.Session() as sess:` block,
   which makes its graph the default), where resetting would pull the graph from under the block;
2. start a new, empty default graph (`tf.reset_default_graph()`);
3. close every open session of the old graph, which frees the values they hold;
4. mark the old graph (`Graph.mark_reset`), so that using one of its tensors later says that
   it belongs to a graph that was reset and which cell to re-run, beside TF's bare "is not an
   element of this graph" (or "The Session graph is empty", in a session of the new graph).
"""
import threading
import time

__all__ = ["reset", "ResetRefused", "ResetButton", "stale_message"]


class ResetRefused(RuntimeError):
    """Raised by `reset()` inside a block that holds the current graph as the default."""


def stale_message(reset_at, how):
    """The explanation attached to a graph reset at `reset_at` (a time string) by `how`."""
    from .model import describe_frame

    def explain(element):
        if element is None:
            return ("This session's graph was reset (%s at %s): its sessions were closed. Re-run the cells that "
                    "build the model and open the session." % (how, reset_at))
        op = getattr(element, "op", element)
        kind = "Operation" if op is element else "Tensor"
        name = getattr(element, "name", "?")
        frames = getattr(op, "traceback", None) or ()
        where = describe_frame(frames[0]) if frames else "the cell that created it"
        return ("%s '%s' belongs to a graph that was reset (%s at %s), so it cannot be used with the new "
                "graph. Re-run the cell that created it: %s (and the cells after it that use it)."
                % (kind, name, how, reset_at, where))
    return explain


def reset(how="tfmini.widgets.reset()"):
    """Replace the default graph by a new, empty one; close the old graph's sessions.

    Returns a one-line summary. Raises ResetRefused inside a `with graph.as_default():` block.
    """
    import tfmini as tf
    from tfmini.client.session import open_sessions

    old = tf.get_default_graph()
    sessions = open_sessions(old)  # before the reset, which already closes GPU sessions (to free their memory)
    try:
        tf.reset_default_graph()
    except AssertionError:
        raise ResetRefused(
            "tfmini_reset: refusing to reset inside a `with graph.as_default():` block (a `with tf.Session() "
            "as sess:` block opens one too): the code in the block still uses graph %r. Reset outside the "
            "block, or use a new tf.Graph() in the block." % old) from None
    for s in sessions:
        s.close()
    old.mark_reset(stale_message(time.strftime("%H:%M:%S"), how))
    n_ops = len(old.get_operations())
    return "Reset: a new empty default graph; the old one (%d ops) is gone and %d session%s closed." % (
        n_ops, len(sessions), "" if len(sessions) == 1 else "s")


class ResetButton:
    """A button that resets the default graph (see `reset`), with a line saying what it did.

    >>> ResetButton()   # in a notebook cell: click before re-running the cell that builds the model
    """

    def __init__(self, description="Reset graph"):
        import asyncio
        import ipywidgets as w
        # a click may arrive on another thread than the cells (ipykernel's subshells), and the
        # default graph is per thread: the reset is handed to the cells' thread and its event loop
        self._thread = threading.get_ident()
        try:
            self._loop = asyncio.get_running_loop()
        except RuntimeError:
            self._loop = None
        self.button = w.Button(description=description, icon="refresh", button_style="warning",
                               tooltip="New empty default graph; close the old graph's sessions")
        self.button.add_class("tfmini-reset")
        self.status = w.HTML(value="")
        self.status.add_class("tfmini-reset-status")
        self.button.on_click(self._on_click)
        self.widget = w.HBox([self.button, self.status])

    def click(self):
        """Do what a click does (for scripts and tests)."""
        self._on_click(self.button)

    def _on_click(self, _button):
        if threading.get_ident() != self._thread and self._loop is not None:
            self._loop.call_soon_threadsafe(self._reset_here)
        else:
            self._reset_here()

    def _reset_here(self):
        import html
        try:
            msg = reset(how="the Reset button")
            self.status.value = "<span style='color:#166534'>%s</span>" % html.escape(msg)
        except ResetRefused as e:
            self.status.value = "<span style='color:#b91c1c'>%s</span>" % html.escape(str(e))

    def _ipython_display_(self):
        from IPython.display import display
        display(self.widget)
