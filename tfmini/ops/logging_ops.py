"""tf.Print: pass a tensor through, printing some values to stderr each time it runs; tf.print (StringFormat and
PrintV2); the Assert op (tf.Assert, in control_flow_ops, decides when it runs)."""
import sys

import numpy as np

from ..framework import errors
from ..framework.op_def_library import make_op
from ..framework.op_registry import NOT_DIFFERENTIABLE, debug_string, register_op
from ..framework.ops import convert_to_tensor, name_scope

__all__ = ["Print", "print_v2"]


def _format_float(v, digits, more_digits, parse):
    # TF's StrCat: the shortest of %.{digits}g that reads back as the same value, else more digits
    text = "%.*g" % (digits, v)
    if parse(text) != v and v == v:
        text = "%.*g" % (more_digits, v)
    return text


def _format_one(v, kind, itemsize):
    """One element as TF's PrintOneElement writes it (bools as 1/0, float32 round-trip digits)."""
    if kind == "b":
        return "1" if v else "0"
    if kind == "f":
        if itemsize >= 8:
            return _format_float(float(v), 15, 17, float)
        return _format_float(float(v), 6, 9, lambda t: float(np.float32(t)))
    if kind == "c":
        return "(%s,%s)" % (_format_one(v.real, "f", itemsize // 2), _format_one(v.imag, "f", itemsize // 2))
    if isinstance(v, (bytes, str)):
        return _c_escape(v.encode("utf-8") if isinstance(v, str) else v)
    return str(v)


_C_ESCAPES = {ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t", ord('"'): '\\"', ord("'"): "\\'",
              ord("\\"): "\\\\"}


def _c_escape(b):
    """TF's CEscape: C escapes for quotes, backslash and \\n \\r \\t; other unprintable bytes as octal."""
    return "".join(_C_ESCAPES.get(c) or (chr(c) if 32 <= c < 127 else "\\%03o" % c) for c in b)


def _summarize(arr, n):
    """TF's Tensor::SummarizeValue(n): the first `n` values in row-major order, nested in brackets
    by dimension, with '...' where values were left out. [[1, 2, 3], [4, 5, 6]] with n=3: '[1 2 3]...'."""
    arr = np.asarray(arr)
    flat = arr.reshape(-1)
    limit = flat.size if n < 0 else min(n, flat.size)
    kind, itemsize = arr.dtype.kind, arr.dtype.itemsize
    items = [_format_one(v, kind, itemsize) for v in flat[:limit].tolist()]
    shape = arr.shape
    out = []
    pos = [0]  # how many values have been written

    def dim(d):
        if pos[0] >= limit:
            return
        if d == len(shape) - 1:
            for i in range(shape[d]):
                if pos[0] >= limit:
                    if d != 0:
                        out.append("...")
                    return
                if i > 0:
                    out.append(" ")
                out.append(items[pos[0]])
                pos[0] += 1
            return
        for _ in range(shape[d]):
            opened = pos[0] < limit
            if opened:
                out.append("[")
            dim(d + 1)
            if pos[0] < limit or opened:
                out.append("]")

    if arr.ndim == 0:
        out.extend(items)
    else:
        dim(0)
    if flat.size > limit:
        out.append("...")
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


def _print_grad(op, grad):
    # Print passes its first input through; the printed tensors get no gradient
    return [grad] + [None] * (len(op.inputs) - 1)


# TF has no GPU kernel for Print: on a GPU machine it runs on the CPU, its inputs copied to the host
register_op("Print", infer=_print_infer, kernel=_print_kernel, grad=_print_grad, stateful=True,
            needs_ctx=True, aliases_input=True, cpu_only=True)


def Print(input_, data, message=None, first_n=None, summarize=None, name=None):  # noqa: N802 - TF's name
    """`input_` unchanged; each run prints `message` and the first `summarize` values of each tensor in
    `data` to stderr (at most `first_n` times)."""
    with name_scope(name, "Print", [input_] + list(data)) as scope:
        x = convert_to_tensor(input_, name="input")
        ds = [convert_to_tensor(d, name="data_%d" % i) for i, d in enumerate(data)]
        attrs = {"message": message or "", "first_n": -1 if first_n is None else int(first_n),
                 "summarize": 3 if summarize is None else int(summarize)}
        return make_op("Print", [x] + ds, attrs, name=scope)


# =========================================================================== Assert
def _assert_infer(condition, *data, summarize=3):
    return []  # as TF's: a condition that is not a scalar fails when the op runs ("In[0] should be a scalar")


def _assert_kernel(xp, condition, *data, summarize=3):
    condition = np.asarray(condition)
    if condition.ndim:
        raise errors.InvalidArgumentError(None, None, "In[0] should be a scalar: %s" % debug_string(condition.shape))
    if not bool(condition):
        raise errors.InvalidArgumentError(None, None, "assertion failed: " + " ".join(
            "[%s]" % _summarize(np.asarray(d), summarize) for d in data))


# like Print, it runs on the CPU (TF keeps its inputs in host memory)
register_op("Assert", infer=_assert_infer, kernel=_assert_kernel, grad=NOT_DIFFERENTIABLE, stateful=True,
            cpu_only=True)


def assert_op(condition, data, summarize=3, name=None):
    """The Assert op itself: InvalidArgumentError "assertion failed: [data...]" when it runs with `condition`
    false (tf.Assert wraps it in a cond unless the data is only strings and int32)."""
    from ..framework import dtypes
    with name_scope(name, "Assert", [condition] + list(data)) as scope:
        condition = convert_to_tensor(condition, name="condition")
        if condition.dtype.base_dtype != dtypes.bool:
            raise TypeError("Input 'condition' of 'Assert' Op has type %s that does not match expected type of bool."
                            % condition.dtype.base_dtype.name)
        data = [convert_to_tensor(d, name="data_%d" % i) for i, d in enumerate(data)]
        return make_op("Assert", [condition] + data, {"summarize": int(summarize)}, name=scope)


# =========================================================================== tf.print: StringFormat + PrintV2
def _dim_spacing(dim, ndim):
    # between two entries of axis `dim`: a space on the last axis, else a newline per axis below and an indent
    return " " if dim == ndim - 1 else "\n" * (ndim - dim - 1) + " " * (dim + 1)


def _summarize_v2(arr, summarize):
    """TF's SummarizeValue with print_v2: numpy-like nesting, `summarize` entries at each end of every axis
    ('...' between), strings quoted: [[1 2 3]\n [4 5 6]]; [0 1 ... 10 11]."""
    arr = np.asarray(arr)
    limit = arr.size if summarize < 0 else min(summarize, arr.size)
    kind, itemsize = arr.dtype.kind, arr.dtype.itemsize

    def one(v):
        if kind == "O" or isinstance(v, (bytes, str)):
            return '"%s"' % _c_escape(v.encode("utf-8") if isinstance(v, str) else v)
        return _format_one(v, kind, itemsize)

    if arr.ndim == 0:
        return (one(arr[()]) if limit else "") + ("..." if arr.size > limit else "")
    out = []

    def dim(d, index):
        if d == arr.ndim:
            out.append(one(arr[index]))
            return
        out.append("[")
        n = arr.shape[d]
        for i in range(min(limit, n)):
            if i:
                out.append(_dim_spacing(d, arr.ndim))
            dim(d + 1, index + (i,))
        if n > 2 * limit:
            out.append(_dim_spacing(d, arr.ndim) + "...")
        for i in range(max(limit, n - limit), n):
            out.append(_dim_spacing(d, arr.ndim))
            dim(d + 1, index + (i,))
        out.append("]")

    dim(0, ())
    return "".join(out)


def _string_format_infer(*inputs, template, placeholder, summarize=3):
    from ..framework import dtypes
    return dtypes.string, ()


def _string_format_kernel(xp, *arrays, template, placeholder, summarize=3):
    parts = template.split(placeholder)
    text = parts[0] + "".join(_summarize_v2(a, summarize) + rest for a, rest in zip(arrays, parts[1:]))
    out = xp.empty((), dtype=object)
    out[()] = text.encode("utf-8")
    return out


register_op("StringFormat", infer=_string_format_infer, kernel=_string_format_kernel, grad=NOT_DIFFERENTIABLE,
            cpu_only=True)


def _print_v2_infer(text, output_stream="stderr", end="\n"):
    return []


def _print_v2_kernel(xp, text, output_stream="stderr", end="\n"):
    text = np.asarray(text)[()]
    text = (text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)) + end
    if output_stream in ("stderr", "stdout"):
        stream = sys.stderr if output_stream == "stderr" else sys.stdout
        stream.write(text)
        stream.flush()
    elif output_stream.startswith("log("):
        from ..platform import tf_logging
        getattr(tf_logging, output_stream[4:-1])(text[:-len(end)] if end and text.endswith(end) else text)
    elif output_stream.startswith("file://"):
        with open(output_stream[len("file://"):], "a") as f:
            f.write(text)
    else:
        raise errors.InvalidArgumentError(None, None, "%s is not a valid output_stream" % output_stream)


# TF's PrintV2 writes from the host; tfmini writes to Python's sys.stderr / sys.stdout (in a notebook, the cell's
# output, where TF's C++ stream goes to the kernel's terminal)
register_op("PrintV2", infer=_print_v2_infer, kernel=_print_v2_kernel, grad=NOT_DIFFERENTIABLE, stateful=True,
            cpu_only=True)

_BAD_STREAM = ("Unsupported output stream, logging level, or file.%s. Supported streams are sys.stdout, sys.stderr, "
               "tf.logging.info, tf.logging.warning, tf.logging.error. File needs to be in the form of "
               "'file://<filepath>'.")


def _stream_name(output_stream):
    from ..platform import tf_logging
    for name, target in (("stderr", sys.stderr), ("stdout", sys.stdout), ("log(info)", tf_logging.info),
                         ("log(warning)", tf_logging.warning), ("log(warning)", tf_logging.warn),
                         ("log(error)", tf_logging.error), ("stderr", sys.__stderr__), ("stdout", sys.__stdout__)):
        if output_stream is target:
            return name
    if isinstance(output_stream, str) and output_stream.startswith("file://"):
        return output_stream
    raise ValueError(_BAD_STREAM % output_stream)


def _placeholder_for(text):
    """'{}', made longer with digits (TF's Random(5) sequence) while the text already holds it."""
    import random
    placeholder, rng = "{}", random.Random(5)
    while placeholder in text:
        placeholder += str(rng.randint(0, 9))
    return placeholder


def print_v2(*inputs, output_stream=None, summarize=3, sep=" ", end="\n", name=None):
    """tf.print: an op (PrintV2) that prints `inputs` when it runs, tensors as numpy-like text with `summarize`
    entries at each end of every axis. Python values and structures print as Python would; tensors inside them
    are replaced by their values. Run it, or put it in `tf.control_dependencies`, for it to print.

    >>> with tf.control_dependencies([tf.print("loss:", loss)]): train = opt.minimize(loss)
    """
    import pprint
    from ..framework import dtypes
    from ..framework.ops import Tensor
    from ..framework.nest import flatten, map_structure, pack_sequence_as
    stream = "stderr" if output_stream is None else _stream_name(output_stream)  # (None: sys.stderr, as TF's default)
    format_name, print_name = (name + "_format", name) if name else (None, None)
    if len(inputs) == 1 and isinstance(inputs[0], Tensor) and inputs[0].shape.ndims == 0 \
            and inputs[0].dtype.base_dtype == dtypes.string:
        formatted = inputs[0]
    else:
        def is_tensor(x):
            return isinstance(x, Tensor) or hasattr(x, "_as_graph_element")
        free = map_structure(lambda x: "" if is_tensor(x) else x, list(inputs))
        placeholder = _placeholder_for(" ".join(pprint.pformat(x) for x in free))
        templates, tensors = [], []
        for item in inputs:
            if isinstance(item, str):
                templates.append(item)
                continue
            parts = []
            for x in flatten(item):
                if is_tensor(x):
                    parts.append(placeholder)
                    tensors.append(convert_to_tensor(x))
                else:
                    parts.append(x)
            templates.append(pprint.pformat(pack_sequence_as(item, parts)))
        template = sep.join(templates).replace("'" + placeholder + "'", placeholder)
        formatted = make_op("StringFormat", tensors, {"template": template, "placeholder": placeholder,
                                                       "summarize": int(summarize)},
                            name=format_name or "StringFormat")
    return make_op("PrintV2", [formatted], {"output_stream": stream, "end": end}, name=print_name or "PrintV2")
