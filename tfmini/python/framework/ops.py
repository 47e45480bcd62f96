"""`from tensorflow.python.framework import ops` (tensorflow spelled tfmini): the graph-level names of TF's
python/framework/ops.py that TF 1.x tutorials reach through it, each the object `tf.` gives.

>>> from tfmini.python.framework import ops
>>> ops.reset_default_graph()                      # the same as tf.reset_default_graph()
"""
from ...framework.ops import (Graph, GraphKeys, NotDifferentiable, Operation, Tensor, add_to_collection,
                              add_to_collections, colocate_with, control_dependencies, convert_to_tensor, device,
                              get_collection, get_collection_ref, get_default_graph, get_default_session,
                              name_scope, no_gradient, op_scope, register_tensor_conversion_function,
                              reset_default_graph)
from ...gradients import RegisterGradient

__all__ = ["Graph", "GraphKeys", "NotDifferentiable", "Operation", "RegisterGradient", "Tensor", "add_to_collection",
           "add_to_collections", "colocate_with", "control_dependencies", "convert_to_tensor", "device",
           "get_collection", "get_collection_ref", "get_default_graph", "get_default_session", "get_name_scope",
           "name_scope", "no_gradient", "op_scope", "register_tensor_conversion_function", "reset_default_graph"]


def get_name_scope():
    """The default graph's current name scope ('' at the top level), as tf.get_default_graph().get_name_scope()."""
    return get_default_graph().get_name_scope()


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    raise AttributeError("module %r has no attribute %r: tensorflow.python.framework.ops.%s is TensorFlow's internal "
                         "code, which tfmini does not copy beyond the graph names TF 1.x tutorials use (%s)"
                         % (__name__, name, name, ", ".join(__all__)))
