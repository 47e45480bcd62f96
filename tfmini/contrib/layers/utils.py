"""Helpers of contrib.layers (slim.utils): named outputs (end points), constant predicates, argument shapes."""
import weakref
from collections import OrderedDict

from ...framework.ops import Tensor, add_to_collections, get_collection, get_default_graph
from ...framework.tensor_shape import TensorShape
from ...ops.constant_op import constant_value as _tensor_constant_value
from ...variables import Variable

__all__ = ["collect_named_outputs", "append_tensor_alias", "gather_tensors_aliases", "get_tensor_aliases",
           "convert_collection_to_dict", "constant_value", "static_cond", "smart_cond",
           "get_variable_collections", "two_element_tuple", "n_positive_integers", "channel_dimension",
           "last_dimension"]

# tensor -> its aliases (TF stores them as a `tensor.aliases` attribute; tfmini tensors have
# fixed slots, so they live here, and `get_tensor_aliases` is how to read them)
_ALIASES = weakref.WeakKeyDictionary()


def collect_named_outputs(collections, alias, outputs):
    """Add `outputs` to `collections` under the name `alias` (how nets build their end_points);
    returns `outputs`. No-op when `collections` is empty or None."""
    if collections:
        append_tensor_alias(outputs, alias)
        add_to_collections(collections, outputs)
    return outputs


def append_tensor_alias(tensor, alias):
    """Give `tensor` one more alias (a trailing '/' is dropped: 'vgg_16/pool1/' -> 'vgg_16/pool1')."""
    if alias[-1] == "/":
        alias = alias[:-1]
    _ALIASES.setdefault(tensor, []).append(alias)
    return tensor


def get_tensor_aliases(tensor):
    """The aliases of `tensor`; without any, its op name (for ':0' outputs) or its name."""
    aliases = _ALIASES.get(tensor) if isinstance(tensor, Tensor) else getattr(tensor, "aliases", None)
    if aliases is not None:
        return aliases
    if tensor.name[-2:] == ":0":
        return [tensor.op.name]
    return [tensor.name]


def gather_tensors_aliases(tensors):
    """All the aliases of `tensors`, in order."""
    aliases = []
    for t in tensors:
        aliases += get_tensor_aliases(t)
    return aliases


def convert_collection_to_dict(collection, clear_collection=False):
    """An OrderedDict {alias: tensor} of the tensors in `collection` (a net's end_points)."""
    output = OrderedDict((alias, tensor) for tensor in get_collection(collection)
                         for alias in get_tensor_aliases(tensor))
    if clear_collection:
        get_default_graph().clear_collection(collection)
    return output


def constant_value(value_or_tensor_or_var, dtype=None):
    """The value of a Python value or constant tensor; None for a tensor known only at run time
    (a placeholder) and for variables."""
    if value_or_tensor_or_var is None:
        raise ValueError("value_or_tensor_or_var cannot be None")
    value = value_or_tensor_or_var
    if isinstance(value, (Tensor, Variable)):
        if dtype and value.dtype != dtype:
            raise ValueError("It has the wrong type %s instead of %s" % (value.dtype, dtype))
        if isinstance(value, Variable):
            return None
        return _tensor_constant_value(value)
    return value


def static_cond(pred, fn1, fn2):
    """fn1() if `pred` (a Python value) else fn2()."""
    if not callable(fn1):
        raise TypeError("fn1 must be callable.")
    if not callable(fn2):
        raise TypeError("fn2 must be callable.")
    return fn1() if pred else fn2()


def smart_cond(pred, fn1, fn2, name=None):
    """static_cond when `pred` is a Python bool or a constant tensor, else tf.cond(pred, fn1, fn2)."""
    pred_value = constant_value(pred)
    if pred_value is not None:
        return static_cond(pred_value, fn1, fn2)
    from ...ops import control_flow_ops
    return control_flow_ops.cond(pred, fn1, fn2, name=name)


def get_variable_collections(variables_collections, name):
    """The collections for variable `name`: `variables_collections[name]` for a dict, else the list itself."""
    if isinstance(variables_collections, dict):
        return variables_collections.get(name, None)
    return variables_collections


def _get_dimension(shape, dim, min_rank=1):
    dims = shape.dims
    if dims is None:
        raise ValueError("dims of shape must be known but is None")
    if len(dims) < min_rank:
        raise ValueError("rank of shape must be at least %d not: %d" % (min_rank, len(dims)))
    value = dims[dim].value
    if value is None:
        raise ValueError("dimension %d of shape must be known but is None: %s" % (dim, shape))
    return value


def channel_dimension(shape, data_format, min_rank=1):
    """The channel size of `shape` ('channels_first': axis 1, else the last axis); must be known."""
    return _get_dimension(shape, 1 if data_format == "channels_first" else -1, min_rank=min_rank)


def last_dimension(shape, min_rank=1):
    """The last dimension of `shape`, which must be known and of rank >= `min_rank`."""
    return _get_dimension(shape, -1, min_rank=min_rank)


def two_element_tuple(int_or_tuple):
    """3 -> (3, 3); [3, 5] -> (3, 5)."""
    if isinstance(int_or_tuple, (list, tuple)):
        if len(int_or_tuple) != 2:
            raise ValueError("Must be a list with 2 elements: %s" % (int_or_tuple,))
        return int(int_or_tuple[0]), int(int_or_tuple[1])
    if isinstance(int_or_tuple, int):
        return int(int_or_tuple), int(int_or_tuple)
    if isinstance(int_or_tuple, TensorShape) and len(int_or_tuple) == 2:
        return int_or_tuple[0], int_or_tuple[1]
    raise ValueError("Must be an int, a list with 2 elements or a TensorShape of length 2")


def n_positive_integers(n, value):
    """`value` as a tuple of `n` positive ints (an int is repeated n times)."""
    n_orig = n
    n = int(n)
    if n < 1 or n != n_orig:
        raise ValueError("n must be a positive integer")
    try:
        value = int(value)
    except (TypeError, ValueError):
        if len(value) != n:
            raise ValueError("Expected sequence of %d positive integers, but received %r" % (n, value)) from None
        try:
            values = tuple(int(x) for x in value)
        except (TypeError, ValueError):
            raise ValueError("Expected sequence of %d positive integers, but received %r" % (n, value)) from None
        for x in values:
            if x < 1:
                raise ValueError("expected positive integer, but received %d" % x)
        return values
    if value < 1:
        raise ValueError("expected positive integer, but received %d" % value)
    return (value,) * n
