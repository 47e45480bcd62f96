"""The global step: a scalar int64 variable counting training steps (collection GraphKeys.GLOBAL_STEP)."""
from .. import init_ops
from ..variable_scope import get_variable
from ..framework import dtypes
from ..framework.ops import GraphKeys, get_default_graph

__all__ = ["get_global_step", "create_global_step", "get_or_create_global_step", "global_step",
           "assert_global_step"]


def assert_global_step(global_step_tensor):
    dt = global_step_tensor.dtype.base_dtype
    if not dt.is_integer:
        raise TypeError("Existing \"global_step\" does not have integer type: %s" % global_step_tensor.dtype)
    if global_step_tensor.get_shape().ndims != 0 and global_step_tensor.get_shape().is_fully_defined():
        raise TypeError("Existing \"global_step\" is not scalar: %s" % global_step_tensor.get_shape())


def get_global_step(graph=None):
    """The global step variable of `graph` (default graph), or None."""
    graph = graph or get_default_graph()
    found = graph.get_collection(GraphKeys.GLOBAL_STEP)
    if len(found) == 1:
        step = found[0]
    elif not found:
        try:
            step = graph.get_tensor_by_name("global_step:0")
        except (KeyError, ValueError):
            return None
    else:
        raise ValueError("Multiple tensors in global_step collection.")
    assert_global_step(step)
    return step


def create_global_step(graph=None):
    """Create the global step (`global_step:0`, int64, 0); ValueError if one exists."""
    graph = graph or get_default_graph()
    if get_global_step(graph) is not None:
        raise ValueError("\"global_step\" already exists.")
    with graph.as_default(), graph.name_scope(None):
        return get_variable(GraphKeys.GLOBAL_STEP, shape=[], dtype=dtypes.int64,
                                           initializer=init_ops.zeros_initializer(), trainable=False,
                                           collections=[GraphKeys.GLOBAL_VARIABLES, GraphKeys.GLOBAL_STEP])


def get_or_create_global_step(graph=None):
    graph = graph or get_default_graph()
    step = get_global_step(graph)
    return step if step is not None else create_global_step(graph)


def global_step(sess, global_step_tensor):
    """The current value of the global step, as a Python int."""
    return int(sess.run(global_step_tensor))
