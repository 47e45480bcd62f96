"""tf.Print: pass a tensor through, printing some values to stderr each time it runs."""
import sys

import numpy as np

from ..framework.op_def_library import make_op
from ..framework.op_registry import GRADIENT_PENDING, register_op
from ..framework.ops import convert_to_tensor, name_scope

__all__ = ["Print"]


def _summarize(arr, n):
    """TF's Tensor::SummarizeValue: the first `n` values, nested in brackets by dimension, '...' if cut."""
    flat = np.asarray(arr).reshape(-1)
    shown = flat[:n]

    def fmt(v):
        if isinstance(v, bytes):
            return v.decode("utf-8", "replace")
        if isinstance(v, (np.floating, float)):
            return "%g" % v
        return str(v)
    if arr.ndim <= 1:
        return " ".join(fmt(v) for v in shown) + ("..." if flat.size > n else "")
    # nested: reshape the shown prefix row by row
    out = []
    shape = arr.shape

    def rec(dim, offset, count):
        if dim == len(shape) - 1:
            items = [fmt(v) for v in flat[offset:offset + min(shape[dim], max(count, 0))]]
            return "[" + " ".join(items) + "]"
        stride = int(np.prod(shape[dim + 1:]))
        parts = []
        for i in range(shape[dim]):
            if offset + i * stride >= min(n, flat.size):
                parts.append("...")
                break
            parts.append(rec(dim + 1, offset + i * stride, n - (offset + i * stride)))
        return "[" + "".join(parts) + "]"
    out.append(rec(0, 0, n))
    return "".join(out)


def _print_infer(x, *data, message="", first_n=-1, summarize=3):
    return x.dtype.base_dtype, x.shape


def _print_kernel(ctx, xp, x, *data, message="", first_n=-1, summarize=3):
    state = ctx.state.contexts.setdefault(("Print", ctx.op), [0])
    if first_n < 0 or state[0] < first_n:
        state[0] += 1
        text = message + "".join("[%s]" % _summarize(np.asarray(d), summarize) for d in data)
        sys.stderr.write(text + "\n")
        sys.stderr.flush()
    return x


register_op("Print", infer=_print_infer, kernel=_print_kernel, grad=GRADIENT_PENDING, stateful=True,
            needs_ctx=True, aliases_input=True)


def Print(input_, data, message=None, first_n=None, summarize=None, name=None):  # noqa: N802 - TF's name
    """`input_` unchanged; each run prints `message` and the first `summarize` values of each tensor in
    `data` to stderr (at most `first_n` times)."""
    with name_scope(name, "Print", [input_] + list(data)) as scope:
        x = convert_to_tensor(input_, name="input")
        ds = [convert_to_tensor(d) for d in data]
        attrs = {"message": message or "", "first_n": -1 if first_n is None else int(first_n),
                 "summarize": 3 if summarize is None else int(summarize)}
        return make_op("Print", [x] + ds, attrs, name=scope)
