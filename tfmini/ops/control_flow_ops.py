"""Control-flow ops: NoOp, `tf.group`, `tf.tuple`, `with_dependencies`."""
from ..framework.op_registry import NOT_DIFFERENTIABLE, register_op
from ..framework.ops import Operation, Tensor, control_dependencies, get_default_graph, name_scope

__all__ = ["no_op", "group", "tuple", "with_dependencies"]


def _no_op_infer():
    return []


def _no_op_kernel(xp):
    return None


register_op("NoOp", infer=_no_op_infer, kernel=_no_op_kernel, grad=NOT_DIFFERENTIABLE)


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
    raise TypeError("Expected an Operation or Tensor in group/tuple, got %r" % (x,))


def group(*inputs, **kwargs):
    """An op that runs all `inputs` (ops or tensors) and returns nothing (a NoOp with control inputs).

    >>> init = tf.group(w.initializer, b.initializer, name="init")
    """
    name = kwargs.pop("name", None)
    if kwargs:
        raise TypeError("Unknown keyword arguments: " + ", ".join(kwargs))
    if len(inputs) == 1 and isinstance(inputs[0], (list, set, type(()))) and not isinstance(inputs[0], Tensor):
        inputs = list(inputs[0])
    ops = [_as_op(x) for x in inputs]
    with name_scope(name, "group_deps", ops) as scope:
        if not ops:
            return no_op(name=scope)
        with control_dependencies(ops):
            return no_op(name=scope)


def with_dependencies(dependencies, output_tensor, name=None):
    """`output_tensor`'s value, produced only after `dependencies` have run."""
    from .array_ops import identity
    with name_scope(name, "control_dependency", list(dependencies) + [output_tensor]) as scope:
        with control_dependencies(dependencies):
            if isinstance(output_tensor, Operation):
                with control_dependencies([output_tensor]):
                    return no_op(name=scope)
            return identity(output_tensor, name=scope)


def tuple(tensors, name=None, control_inputs=None):  # noqa: A001 - TF's name
    """The same tensors, each available only after all of them are computed."""
    with name_scope(name, "tuple", tensors) as scope:
        gating_ops = [_as_op(t) for t in tensors if t is not None]
        if control_inputs:
            gating_ops += [_as_op(c) for c in control_inputs]
        gate = group(*gating_ops)
        out = []
        for t in tensors:
            if t is None:
                out.append(None)
            elif isinstance(t, Tensor):
                out.append(with_dependencies([gate], t))
            else:
                out.append(with_dependencies([gate], t))
        return out
