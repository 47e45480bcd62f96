"""TrainingMonitor: a progress bar and a live loss/accuracy plot, updated in place from a loop.

    mon = TrainingMonitor(total=1000, metrics=("loss", "accuracy"))
    for step in range(1000):
        _, l, a = sess.run([train_op, loss, acc], feed_dict=...)
        mon.update(step + 1, loss=l, accuracy=a)
    mon.close()

In a notebook with ipywidgets: an IntProgress bar, a line of the latest values, and a
matplotlib figure (drawn off-screen with the Agg canvas, no pyplot state) shown as an image
that is replaced at most every `redraw_every` seconds, so the plot never slows the loop much.
Without ipywidgets (or with text=True) it prints a line per `print_every` seconds instead.
"""
import io
import math
import sys
import time

__all__ = ["TrainingMonitor"]


class TrainingMonitor:
    """A progress bar and a live plot of named metrics; see the module doc."""

    def __init__(self, total=None, metrics=("loss",), title="training", redraw_every=0.5, print_every=2.0,
                 display=True, plot=True, text=None):
        self.total = total
        self.metrics = list(metrics)
        self.title = title
        self.redraw_every = redraw_every
        self.print_every = print_every
        self.history = {m: ([], []) for m in self.metrics}  # name -> (steps, values)
        self.step = 0
        self.closed = False
        self._t0 = time.perf_counter()
        self._last_draw = -math.inf
        self._last_print = -math.inf
        self._w = None if text else _ipywidgets()
        self._plt = _matplotlib() if plot else None
        self.widget = None
        if self._w is not None:
            self._build(self._w)
            if display:
                from IPython.display import display as show
                show(self.widget)

    def _build(self, w):
        self.bar = w.IntProgress(value=0, min=0, max=self.total or 1, description=self.title,
                                 bar_style="info", layout=w.Layout(width="60%"))
        self.label = w.HTML(value="")
        self.image = w.Image(format="png") if self._plt is not None else w.HTML()
        self.widget = w.VBox([w.HBox([self.bar, self.label]), self.image])
        self.widget.add_class("tfmini-training-monitor")

    # ---- the loop's side
    def update(self, step=None, **values):
        """Record the metrics of `step` (default: the last step + 1) and redraw when due."""
        if self.closed:
            raise RuntimeError("TrainingMonitor.update after close()")
        self.step = self.step + 1 if step is None else int(step)
        for name, v in values.items():
            if name not in self.history:
                self.history[name] = ([], [])
                self.metrics.append(name)
            steps, vals = self.history[name]
            steps.append(self.step)
            vals.append(float(v))
        now = time.perf_counter()
        if self._w is not None:
            self.bar.value = min(self.step, self.bar.max) if self.total else 0
            self.label.value = self._summary()
            if now - self._last_draw >= self.redraw_every:
                self._draw()
                self._last_draw = now
        elif now - self._last_print >= self.print_every:
            self._print()
            self._last_print = now

    def close(self):
        """Draw the final state; the bar turns green."""
        if self.closed:
            return
        self.closed = True
        if self._w is not None:
            self.bar.bar_style = "success"
            self.label.value = self._summary()
            self._draw()
        else:
            self._print(final=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    # ---- drawing
    def _summary(self):
        parts = ["step %d%s" % (self.step, "/%d" % self.total if self.total else "")]
        for name in self.metrics:
            vals = self.history[name][1]
            if vals:
                parts.append("%s %.4g" % (name, vals[-1]))
        parts.append("%.1fs" % (time.perf_counter() - self._t0))
        return "&nbsp; ".join(parts)

    def _print(self, final=False):
        line = self._summary().replace("&nbsp;", "")
        sys.stdout.write(line + (" (done)\n" if final else "\n"))
        sys.stdout.flush()

    def figure_png(self):
        """The plot as PNG bytes (None without matplotlib)."""
        if self._plt is None:
            return None
        Figure, FigureCanvasAgg = self._plt
        names = [m for m in self.metrics if self.history[m][0]]
        fig = Figure(figsize=(3.2 * max(1, len(names)), 2.4), dpi=90)
        self._width_px = int(3.2 * max(1, len(names)) * 90)
        FigureCanvasAgg(fig)
        for i, name in enumerate(names):
            ax = fig.add_subplot(1, len(names), i + 1)
            steps, vals = self.history[name]
            ax.plot(steps, vals, lw=1.2)
            ax.set_title(name, fontsize=9)
            ax.set_xlabel("step", fontsize=8)
            ax.tick_params(labelsize=7)
            ax.grid(alpha=0.3)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        return buf.getvalue()

    def _draw(self):
        if self._plt is None:
            return
        png = self.figure_png()
        if png is not None:
            self.image.value = png
            self.image.layout.width = "%dpx" % self._width_px  # the figure's own size, not the cell's width

    def _ipython_display_(self):
        from IPython.display import display
        if self.widget is not None:
            display(self.widget)
        else:
            print(self._summary().replace("&nbsp;", ""))


def _ipywidgets():
    if "IPython" not in sys.modules:
        return None
    from IPython import get_ipython
    if get_ipython() is None:
        return None
    try:
        import ipywidgets
    except ImportError:
        return None
    return ipywidgets


def _matplotlib():
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        return None
    return Figure, FigureCanvasAgg
