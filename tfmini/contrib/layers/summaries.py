"""tf.contrib.layers' summary helpers (slim.summarize_*): a scalar summary for a scalar tensor, a
histogram for any other, for the tensors of a collection.

>>> slim.summarize_variables()            # one histogram per global variable, tag '<op name>_summary'
>>> slim.summarize_activations()          # tensors slim layers put in GraphKeys.ACTIVATIONS
"""
import functools
import re

from ...framework.ops import GraphKeys, get_collection
from ...ops import math_ops
from ... import summary

__all__ = ["summarize_tensor", "summarize_tensors", "summarize_collection", "summarize_variables",
           "summarize_weights", "summarize_biases", "summarize_activation", "summarize_activations"]


def _add_scalar_summary(tensor, tag=None):
    if tensor.get_shape().ndims != 0:
        raise ValueError("Shape %s must have rank 0" % tensor.get_shape())
    return summary.scalar(tag or "%s_summary" % tensor.op.name, tensor)


def _add_histogram_summary(tensor, tag=None):
    return summary.histogram(tag or "%s_summary" % tensor.op.name, tensor)


def summarize_tensor(tensor, tag=None):
    """A scalar summary of a rank-0 tensor, else a histogram; tag defaults to '<op name>_summary'."""
    if tensor.get_shape().ndims == 0:
        return _add_scalar_summary(tensor, tag)
    return _add_histogram_summary(tensor, tag)


def summarize_tensors(tensors, summarizer=summarize_tensor):
    """`summarizer` applied to each tensor; the list of summary tensors."""
    return [summarizer(t) for t in tensors]


def summarize_collection(collection, name_filter=None, summarizer=summarize_tensor):
    """Summaries of the tensors (or variables) in `collection` whose op name matches `name_filter`."""
    items = [t for t in get_collection(collection)
             if name_filter is None or re.match(name_filter, t.op.name)]
    return summarize_tensors(items, summarizer)


summarize_variables = functools.partial(summarize_collection, GraphKeys.GLOBAL_VARIABLES)
summarize_weights = functools.partial(summarize_collection, GraphKeys.WEIGHTS)
summarize_biases = functools.partial(summarize_collection, GraphKeys.BIASES)


def summarize_activation(op):
    """A histogram '<op>/activation' of an activation; for Relu, Softplus and Relu6 also the
    fraction of inputs below zero ('<op>/zeros'), and for Relu6 above six ('<op>/sixes')."""
    if op.op.type in ("Relu", "Softplus", "Relu6"):  # counted on the inputs: no float equality with 0
        x = op.op.inputs[0]
        _add_scalar_summary(math_ops.reduce_mean(math_ops.cast(math_ops.less(x, math_ops.cast(0.0, x.dtype)),
                                                               "float32")), "%s/zeros" % op.op.name)
    if op.op.type == "Relu6":
        _add_scalar_summary(math_ops.reduce_mean(math_ops.cast(math_ops.greater(x, math_ops.cast(6.0, x.dtype)),
                                                               "float32")), "%s/sixes" % op.op.name)
    return _add_histogram_summary(op, "%s/activation" % op.op.name)


def summarize_activations(name_filter=None, summarizer=summarize_activation):
    """summarize_activation for each tensor in GraphKeys.ACTIVATIONS (name_filter: a regex on op names)."""
    return summarize_collection(GraphKeys.ACTIVATIONS, name_filter, summarizer)
