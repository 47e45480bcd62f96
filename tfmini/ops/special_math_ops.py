"""Einstein summation: the Einsum op (shape rule, kernel, gradient) and tf.einsum, which builds it as TF does."""
import collections
import re

from ..framework import dtypes, errors
from ..framework.op_def_library import make_op
from ..framework.op_registry import InferenceError, debug_string, register_op
from ..framework.ops import convert_to_tensor, name_scope
from ..framework.tensor_shape import TensorShape
from .shape_util import broadcast_shape

__all__ = ["einsum"]

_ELLIPSIS = "..."
# Einsum's kernels (TF registers these; any other type builds, then fails when run)
_EINSUM_TYPES = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64,
                 dtypes.complex64, dtypes.complex128)


# =========================================================================== equation parsing (the op's attr)
def _split_equation(equation):
    """'ab...,bc->a...c' -> (['ab...', 'bc'], 'a...c'); the op's attr always has '->'."""
    if "->" not in equation:
        raise InferenceError("Expecting exactly one '->' in einsum equation: %s" % equation)
    inputs, output = equation.split("->", 1)
    return inputs.split(","), output


def _check_periods(subs, where):
    periods = subs.count(".")
    if periods and (periods != 3 or _ELLIPSIS not in subs):
        raise InferenceError("Expected at most one ellipsis (...), but found %d periods (.) in the %s subscript: %s"
                             % (periods, where, subs))


def _einsum_infer(*inputs, equation, N=None, T=None):
    in_subs, out_subs = _split_equation(equation)
    if len(in_subs) != len(inputs):
        raise InferenceError("Expecting %d inputs for equation %s, but got %d" % (len(in_subs), equation, len(inputs)))
    _check_periods(out_subs, "output")
    dims = {}           # label -> known size (None: unknown)
    bcast = TensorShape([])
    for i, (subs, x) in enumerate(zip(in_subs, inputs)):
        _check_periods(subs, "input")
        has_ellipsis = _ELLIPSIS in subs
        named = subs.replace(_ELLIPSIS, "")
        nd = x.shape.ndims
        if nd is None:
            if has_ellipsis:
                bcast = TensorShape(None)
            for label in named:
                dims.setdefault(label, None)
            continue
        if (nd != len(named)) if not has_ellipsis else (nd < len(named)):
            raise InferenceError("Shape must be %srank %d but is rank %d\n\t for %dth input and equation: %s"
                                 % ("at least " if has_ellipsis else "", len(named), nd, i, equation))
        shape = x.shape.as_tuple()
        if has_ellipsis:
            start = subs.index(_ELLIPSIS)
            n_bcast = nd - len(named)
            labels_dims = list(zip(named[:start], shape[:start])) + list(zip(named[start:], shape[start + n_bcast:]))
            bcast = broadcast_shape(bcast, TensorShape(shape[start:start + n_bcast]))
        else:
            labels_dims = list(zip(named, shape))
        for label, d in labels_dims:
            seen = dims.get(label)
            if seen is not None and d is not None and seen != d:
                raise InferenceError("Dimensions must be equal, but are %d and %d" % (seen, d))
            dims[label] = seen if seen is not None else d
    if _ELLIPSIS not in out_subs and bcast.ndims:
        raise InferenceError("Shape must be at most rank 0 but is rank %d\n\t for einsum equation '%s' without "
                             "ellipsis (...) in the output subscripts where input(s) have non-empty broadcasting "
                             "shape" % (bcast.ndims, equation))
    for label in out_subs.replace(_ELLIPSIS, ""):
        if label not in dims:
            raise InferenceError("Output subscripts contain the label %s not present in the input subscripts."
                                 % label)
    if _ELLIPSIS in out_subs and bcast.ndims is None:
        return inputs[0].dtype.base_dtype, TensorShape(None)
    head, _, tail = out_subs.partition(_ELLIPSIS)
    out = [dims[c] for c in head] + (list(bcast.as_tuple()) if _ELLIPSIS in out_subs else []) + [dims[c] for c in tail]
    return inputs[0].dtype.base_dtype, TensorShape(out)


# =========================================================================== kernel
def _einsum_kernel(xp, *arrays, equation, N=None, T=None):
    if T is not None and T not in _EINSUM_TYPES:
        raise errors.InvalidArgumentError(None, None, "No OpKernel was registered to support Op 'Einsum' with these "
                                          "attrs: [T=DT_%s, equation=\"%s\", N=%d]"
                                          % (T.name.upper(), equation, len(arrays)))
    in_subs, out_subs = _split_equation(equation)
    dims = {}
    bcast_shapes = []
    for i, (subs, a) in enumerate(zip(in_subs, arrays)):
        named = subs.replace(_ELLIPSIS, "")
        has_ellipsis = _ELLIPSIS in subs
        if (a.ndim != len(named)) if not has_ellipsis else (a.ndim < len(named)):
            raise errors.InvalidArgumentError(None, None, "Expected input %d to have rank %s%d but got: %d"
                                              % (i, "at least " if has_ellipsis else "", len(named), a.ndim))
        if has_ellipsis:
            start = subs.index(_ELLIPSIS)
            n_bcast = a.ndim - len(named)
            axes = list(range(start)) + list(range(start + n_bcast, a.ndim))
            bcast_shapes.append(a.shape[start:start + n_bcast])
        else:
            axes = list(range(a.ndim))
        for label, axis in zip(named, axes):
            d = a.shape[axis]
            if dims.setdefault(label, d) != d:
                raise errors.InvalidArgumentError(None, None, "Expected dimension %d at axis %d of the input shaped "
                                                  "%s but got dimension %d" % (dims[label], axis,
                                                                                debug_string(a.shape), d))
    bcast = ()
    for s in bcast_shapes:
        try:
            bcast = xp.broadcast_shapes(bcast, s) if hasattr(xp, "broadcast_shapes") else _broadcast(bcast, s)
        except ValueError:
            raise errors.InvalidArgumentError(None, None, "Invalid broadcasting dimensions: %s vs. %s"
                                              % (debug_string(bcast), debug_string(s))) from None
    if _ELLIPSIS not in out_subs and len(bcast):
        raise errors.InvalidArgumentError(None, None, "Output contains %d broadcasting dimension(s) but no ellipsis "
                                          "(...) was found in the output subscripts." % len(bcast))
    out_labels = [c for c in out_subs.replace(_ELLIPSIS, "")]
    if len(set(out_labels)) == len(out_labels):
        out = xp.asarray(xp.einsum(equation, *arrays, optimize=len(arrays) > 1))
        return out if out.ndim == 0 else xp.ascontiguousarray(out)  # (ascontiguousarray makes a 0-d array 1-d)
    # repeated output labels (a gradient's "i->ii"): compute over each label once, then write onto the diagonal
    unique = "".join(dict.fromkeys(out_subs.replace(_ELLIPSIS, "")))
    head, _, tail = out_subs.partition(_ELLIPSIS)
    has_ellipsis = _ELLIPSIS in out_subs
    reduced = xp.einsum("%s->%s%s" % (",".join(in_subs), "..." if has_ellipsis else "", unique), *arrays)
    nb = len(bcast) if has_ellipsis else 0
    out = xp.zeros(tuple(dims[c] for c in head) + tuple(bcast if has_ellipsis else ()) + tuple(dims[c] for c in tail),
                   reduced.dtype)
    index = []
    rank = nb + len(unique)
    for k, c in enumerate(head + "." * nb + tail):
        pos = k - len(head) if c == "." else nb + unique.index(c)
        size = out.shape[k]
        index.append(xp.arange(size).reshape([size if j == pos else 1 for j in range(rank)]))
    out[tuple(index)] = reduced
    return out


def _broadcast(a, b):
    """numpy's broadcast of two shapes (for array modules without broadcast_shapes)."""
    n = max(len(a), len(b))
    a, b = (1,) * (n - len(a)) + tuple(a), (1,) * (n - len(b)) + tuple(b)
    out = []
    for x, y in zip(a, b):
        if x != y and 1 not in (x, y):
            raise ValueError("shapes do not broadcast")
        out.append(max(x, y) if 0 not in (x, y) else 0)
    return tuple(out)


# =========================================================================== gradient (TF's rule, linalg_grad.py)
def _axis_of(subs, label):
    """The axis of `label` in `subs`: counted from the front before an ellipsis, from the back after it."""
    head, _, tail = subs.partition(_ELLIPSIS)
    if label in head:
        return head.index(label)
    return tail.index(label) - len(tail)


def _grad_reduced(grad, out_subs, in_subs, in_shape, reduced):
    """The gradient of the unary einsum in_subs->out_subs that sums over the labels `reduced`: the output's
    gradient broadcast along the reduced labels (prepended), then placed by the reversed einsum."""
    from .array_ops import broadcast_to, concat, ones, reshape, shape, stack
    reduced_subs = "".join(sorted(reduced))
    reduced_dims = stack([in_shape[_axis_of(in_subs, c)] for c in reduced_subs])
    g_shape = shape(grad)
    kept = reshape(grad, concat([ones([len(reduced_subs)], dtypes.int32), g_shape], 0))
    widened = broadcast_to(kept, concat([reduced_dims, g_shape], 0))
    return make_op("Einsum", [widened], {"equation": "%s->%s" % (reduced_subs + out_subs, in_subs), "N": 1,
                                         "T": grad.dtype.base_dtype})


def _grad_wrt(grad, other, in_shape, in_subs, other_subs, out_subs):
    reduced = set(in_subs) - set(out_subs + other_subs + ".")
    left = "".join(c for c in in_subs if c not in reduced)
    g = make_op("Einsum", [grad, other], {"equation": "%s,%s->%s" % (out_subs, other_subs, left), "N": 2,
                                          "T": grad.dtype.base_dtype})
    return _grad_reduced(g, left, in_subs, in_shape, reduced) if reduced else g


def _bcast_slice(subs):
    start = subs.find(_ELLIPSIS)
    if start == -1:
        return 0, 0
    remaining = len(subs) - start - len(_ELLIPSIS)
    return start, (-remaining if remaining else None)


def _einsum_grad(op, grad):
    from .array_ops import broadcast_gradient_args, reshape, shape
    from .math_ops import reduce_sum
    if grad.dtype.base_dtype.is_complex:  # TF conjugates the inputs; tfmini has no Conj op
        raise NotImplementedError("the gradient of a complex einsum is not supported by tfmini")
    in_subs, out_subs = op.get_attr("equation").split("->")
    if len(op.inputs) == 1:
        reduced = set(in_subs) - set(out_subs + ".")
        if not reduced:
            return [make_op("Einsum", [grad], {"equation": "%s->%s" % (out_subs, in_subs), "N": 1,
                                               "T": grad.dtype.base_dtype})]
        return [_grad_reduced(grad, out_subs, in_subs, shape(op.inputs[0]), reduced)]
    x_subs, y_subs = in_subs.split(",")
    if _ELLIPSIS in out_subs:  # "...ij,jk->...ik": the VJP "jk,...ik->...ij" needs the ellipsis on both sides
        x_subs += "" if _ELLIPSIS in x_subs else _ELLIPSIS
        y_subs += "" if _ELLIPSIS in y_subs else _ELLIPSIS
    x, y = op.inputs
    x_shape, y_shape = shape(x), shape(y)
    gx = _grad_wrt(grad, y, x_shape, x_subs, y_subs, out_subs)
    gy = _grad_wrt(grad, x, y_shape, y_subs, x_subs, out_subs)
    if _ELLIPSIS not in out_subs:
        return [gx, gy]
    bx0, bx1 = _bcast_slice(x_subs)
    by0, by1 = _bcast_slice(y_subs)
    sx, sy = x.shape, y.shape
    if sx.is_fully_defined() and sy.is_fully_defined() and \
            sx.as_tuple()[bx0:bx1] == sy.as_tuple()[by0:by1]:
        return [gx, gy]
    rx, ry = broadcast_gradient_args(x_shape[bx0:bx1], y_shape[by0:by1])
    return [reshape(reduce_sum(gx, bx0 + rx), x_shape), reshape(reduce_sum(gy, by0 + ry), y_shape)]


register_op("Einsum", infer=_einsum_infer, kernel=_einsum_kernel, grad=_einsum_grad, aliases_input=True,
            blas=True)


# =========================================================================== tf.einsum
def _resolve_equation(equation, n_inputs):
    """TF's checks of the equation (spaces dropped), and its output subscripts when it has no '->'
    (the labels that appear once, sorted, an ellipsis first)."""
    resolved = equation.replace(" ", "")
    allowed = "a-zA-Z"
    if _ELLIPSIS in resolved:
        if "0" in resolved:
            raise ValueError('Invalid character "0" in equation: %s.' % equation)
        resolved = resolved.replace(_ELLIPSIS, "0")
        allowed += "0"
    match = re.match("^([{0},]*)(->[{0}]*)?$".format(allowed), resolved)
    if not match:
        raise ValueError("Subscripts have incorrect format: %s" % resolved)
    input_labels = match.group(1).split(",")
    output_labels = match.group(2)[2:] if match.group(2) else None
    if n_inputs != len(input_labels):
        raise ValueError('Got %d inputs for equation "%s", expecting %d' % (n_inputs, equation, len(input_labels)))
    if "->" not in resolved:
        counts = collections.Counter(match.group(1))
        output_labels = "".join(c for c in sorted(counts) if c != "," and counts[c] == 1)
        resolved += "->" + output_labels
    if output_labels and len(set(output_labels)) != len(output_labels):
        raise ValueError("Output subscripts contain a label appearing more than once: %s" % equation)
    for label in output_labels:
        if label != "0" and label not in set(match.group(1)):
            raise ValueError("Output subscripts contain the label %s not present in the input subscripts." % label)
    return resolved.replace("0", _ELLIPSIS)


def _einsum_op(inputs, equation):
    types = [t.dtype.base_dtype for t in inputs]
    if any(t != types[0] for t in types):
        raise TypeError("Tensors in list passed to 'inputs' of 'Einsum' Op have types [%s] that don't all match."
                        % ", ".join(t.name for t in types))
    return make_op("Einsum", inputs, {"equation": equation, "N": len(inputs), "T": types[0]}, name="Einsum")


def _labels_of(subs, rank):
    """A subscript's labels, one per axis, its ellipsis as '.' entries (unknown rank: the ellipsis as one)."""
    if _ELLIPSIS not in subs:
        return list(subs)
    n = 1 if rank is None else max(rank - len(subs) + 3, 0)
    head, _, tail = subs.partition(_ELLIPSIS)
    return list(head) + ["."] * n + list(tail)


def _pairwise(inputs, in_subs, out_subs):
    """Contract several operands two at a time (as TF does through opt_einsum): each step takes the pair with the
    smallest result (unknown sizes counted as 1); a label survives a step while the output or another operand
    still needs it."""
    operands = list(zip(inputs, in_subs))
    while len(operands) > 1:
        best = None
        for i in range(len(operands)):
            for j in range(i + 1, len(operands)):
                others = "".join(s for k, (_, s) in enumerate(operands) if k not in (i, j)) + out_subs
                labels = operands[i][1] + operands[j][1]
                kept = "".join(dict.fromkeys(c for c in labels.replace(_ELLIPSIS, "") if c in others))
                size = 1
                for t, s in (operands[i], operands[j]):
                    for c, d in zip(_labels_of(s, t.shape.ndims), t.shape.as_tuple() or ()):
                        size *= (d or 1) if c in kept else 1
                if best is None or size < best[0]:
                    ellipsis = _ELLIPSIS if _ELLIPSIS in labels else ""
                    best = (size, i, j, ellipsis + kept)
        _, i, j, kept = best
        if len(operands) == 2:  # the last step writes the output's labels
            kept = out_subs
        (a, sa), (b, sb) = operands[i], operands[j]
        operands = [o for k, o in enumerate(operands) if k not in (i, j)]
        operands.append((_einsum_op([a, b], "%s,%s->%s" % (sa, sb, kept)), kept))
    return operands[0][0]


def einsum(equation, *inputs, **kwargs):
    """Einstein summation, as numpy.einsum: `equation` names each input's axes with letters; a label in two
    inputs is multiplied along, a label missing from the output (after '->') is summed over; '...' stands for
    broadcast batch axes. Without '->' the output is the labels that appear once, in sorted order.

    One or two inputs build one op Einsum ('einsum/Einsum'); more are contracted two at a time.

    >>> tf.einsum('ij,jk->ik', a, b)       # a matmul: [2, 3] x [3, 4] -> [2, 4]
    >>> tf.einsum('...ij,...jk', s, t)     # batch matmul, batch axes broadcast
    """
    name = kwargs.pop("name", None)
    kwargs.pop("optimize", None)
    if kwargs:
        raise TypeError("Invalid keyword arguments for einsum: %s. Valid arguments: name, optimize, greedy."
                        % ", ".join(kwargs))
    with name_scope(name, "einsum", [equation, inputs]):
        inputs = [convert_to_tensor(x, name="inputs") for x in inputs]
        resolved = _resolve_equation(equation, len(inputs))
        if len(inputs) <= 2:
            return _einsum_op(inputs, resolved)
        in_part, out_subs = resolved.split("->")
        return _pairwise(inputs, in_part.split(","), out_subs)
