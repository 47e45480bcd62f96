"""Control-flow ops: NoOp, `tf.group`, `tf.tuple`, `with_dependencies`."""
from ..framework.op_registry import NOT_DIFFERENTIABLE, register_op
from ..framework.ops import Operation, Tensor, control_dependencies, convert_to_tensor, get_default_graph, name_scope

__all__ = ["no_op", "group", "tuple", "with_dependencies"]


def _no_op_infer():
    return []


def _no_op_kernel(xp):
    return None


register_op("NoOp", infer=_no_op_infer, kernel=_no_op_kernel, grad=NOT_DIFFERENTIABLE, trivial=True)


def no_op(name=None):
    """An op that does nothing; useful as a target that carries control dependencies."""
    return get_default_graph().create_op("NoOp", [], {}, name=name or "NoOp")


def _as_op(x):
    if hasattr(x, "_as_graph_element") and not isinstance(x, (Tensor, Operation)):
        x = x._as_graph_element()
    if isinstance(x, Tensor):
        return x.op
    if isinstance(x, Operation):
        return x
    raise TypeError("Expected tf.group() expected Tensor arguments not '%s' with type '%s'" % (x, type(x)))


def _flatten(items):
    for x in items:
        if isinstance(x, (list, type(()), set)):
            yield from _flatten(x)
        elif isinstance(x, dict):
            yield from _flatten([x[k] for k in sorted(x)])
        else:
            yield x


def group(*inputs, **kwargs):
    """An op that runs all `inputs` (ops or tensors, nested lists allowed) and returns nothing: a NoOp
    with control inputs.

    >>> init = tf.group(w.initializer, b.initializer, name="init")
    """
    name = kwargs.pop("name", None)
    if kwargs:
        raise ValueError("Unknown keyword arguments: " + ", ".join(kwargs.keys()))
    ops = [_as_op(x) for x in _flatten(inputs)]
    with name_scope(name, "group_deps", ops) as scope:
        if not ops:
            return no_op(name=scope)
        with control_dependencies(ops):
            return no_op(name=scope)


def with_dependencies(dependencies, output_tensor, name=None):
    """`output_tensor`'s value (an Identity), produced only after `dependencies` have run."""
    from .array_ops import identity
    with name_scope(name, "control_dependency", list(dependencies) + [output_tensor]) as scope:
        with control_dependencies(dependencies):
            return identity(output_tensor, name=scope)


def tuple(tensors, name=None, control_inputs=None):  # noqa: A001 - TF's name
    """The same tensors, each available only after all of them (and `control_inputs`) are computed.

    Entries that are Operations come back as a group run after the gate; None stays None.
    """
    return _gated_tuple(tensors, None, name, control_inputs)


def _gated_tuple(tensors, gate_on, name=None, control_inputs=None):
    """`tuple(tensors)` whose gate waits for the entries at the positions `gate_on` gives (all when None):
    the same ops and names, less work where some entries are not otherwise needed (tf.gradients)."""
    with name_scope(name, "tuple", tensors):
        tensors = [t if t is None or isinstance(t, (Tensor, Operation)) else convert_to_tensor(t)
                   for t in tensors]
        gating_ops = [t if isinstance(t, Operation) else t.op for i, t in enumerate(tensors)
                      if t is not None and (gate_on is None or i in gate_on)]
        for c in control_inputs or ():
            if isinstance(c, Tensor):
                c = c.op
            elif not isinstance(c, Operation):
                raise TypeError("Control input must be Operation or Tensor: %s" % (c,))
            gating_ops.append(c)
        gating_ops = sorted(set(gating_ops), key=lambda op: op._id)  # unique, in creation order
        if not gating_ops:
            raise ValueError("Must have at least one Tensor: %s" % (tensors,))
        gate = group(*gating_ops)
        out = []
        for t in tensors:
            if isinstance(t, Tensor):
                out.append(with_dependencies([gate], t))
            elif isinstance(t, Operation):
                with control_dependencies([gate]):
                    out.append(group(t))
            else:
                out.append(None)
        return out
