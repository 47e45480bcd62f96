"""GraphDef and MetaGraphDef bytes of a tfmini graph (the `.meta` file a Saver writes beside a checkpoint).

Nodes keep tfmini's op types, names, inputs, devices and attributes (attribute values are
converted by type: DType -> type, TensorShape -> shape, numpy array -> tensor, lists...), plus
TF's `_output_shapes`. Collections of variables are written as VariableDef bytes, collections of
ops or tensors as node lists, as TF's export_meta_graph does; others are left out.
"""
import numpy as np

from ..framework import dtypes
from ..framework.tensor_shape import TensorShape
from . import proto

__all__ = ["shape_proto", "tensor_proto", "graph_def", "graph_def_bytes", "meta_graph_def_bytes",
           "GRAPH_DEF_VERSION"]

GRAPH_DEF_VERSION = 134  # TF 1.15's producer version: what the nodes' semantics match


def shape_proto(shape):
    """A TensorShapeProto dict: unknown rank, -1 for an unknown dimension."""
    shape = shape if isinstance(shape, TensorShape) else TensorShape(shape)
    dims = shape.as_tuple()
    if dims is None:
        return {"unknown_rank": True}
    return {"dim": [{} if d == 0 else {"size": -1 if d is None else int(d)} for d in dims]}


def tensor_proto(value):
    """A TensorProto dict of a numpy value: raw little-endian bytes, or string_val for strings."""
    arr = np.asarray(value)
    dt = dtypes.as_dtype(arr.dtype) if arr.dtype != object else dtypes.string
    out = {"dtype": dt.as_datatype_enum, "tensor_shape": shape_proto(arr.shape)}
    if dt == dtypes.string:
        out["string_val"] = [x.encode("utf-8") if isinstance(x, str) else bytes(x) for x in arr.reshape(-1)]
    elif arr.size:
        out["tensor_content"] = np.ascontiguousarray(arr, arr.dtype.newbyteorder("<")).tobytes()
    return out


def _is_dtype(v):
    return isinstance(v, dtypes.DType)


def _attr_value(v):
    """The AttrValue dict of one attribute value, or None when it has no AttrValue form."""
    if isinstance(v, bool) or isinstance(v, np.bool_):
        return {"b": bool(v)}
    if isinstance(v, (int, np.integer)):
        return {"i": int(v)}
    if isinstance(v, (float, np.floating)):
        return {"f": float(v)}
    if isinstance(v, (str, bytes)):
        return {"s": v}
    if _is_dtype(v):
        return {"type": v.base_dtype.as_datatype_enum}
    if isinstance(v, TensorShape):
        return {"shape": shape_proto(v)}
    if isinstance(v, np.ndarray):
        return {"tensor": tensor_proto(v)}
    if isinstance(v, (list, tuple)):
        items = list(v)
        if not items:
            return {"list": {}}
        if all(_is_dtype(x) for x in items):
            return {"list": {"type": [x.base_dtype.as_datatype_enum for x in items]}}
        if all(isinstance(x, (bool, np.bool_)) for x in items):
            return {"list": {"b": [bool(x) for x in items]}}
        if all(isinstance(x, (int, np.integer)) and not isinstance(x, bool) for x in items):
            return {"list": {"i": [int(x) for x in items]}}
        if all(isinstance(x, (int, float, np.integer, np.floating)) for x in items):
            return {"list": {"f": [float(x) for x in items]}}
        if all(isinstance(x, (str, bytes)) for x in items):
            return {"list": {"s": list(items)}}
        if all(isinstance(x, TensorShape) for x in items):
            return {"list": {"shape": [shape_proto(x) for x in items]}}
    return None


def _node_def(op, clear_devices):
    node = {"name": op.name, "op": op.type}
    inputs = [t._as_node_def_input() for t in op.inputs] + ["^" + c.name for c in op.control_inputs]
    if inputs:
        node["input"] = inputs
    if op.device and not clear_devices:
        node["device"] = op.device
    attrs = []
    for key in sorted(op._attrs):
        value = _attr_value(op._attrs[key])
        if value is not None:
            attrs.append({"key": key, "value": value})
    if op.outputs:
        attrs.append({"key": "_output_shapes", "value": {"list": {"shape": [shape_proto(t.shape)
                                                                             for t in op.outputs]}}})
        attrs.sort(key=lambda a: a["key"])
    if attrs:
        node["attr"] = attrs
    return node


def graph_def(graph, clear_devices=False):
    """The GraphDef dict of `graph`: its ops in creation order, and the producer version."""
    return {"node": [_node_def(op, clear_devices) for op in graph.get_operations()],
            "versions": {"producer": GRAPH_DEF_VERSION}}


def graph_def_bytes(graph, clear_devices=False):
    """The serialized GraphDef of `graph` (what TensorBoard and tf.import_graph_def read)."""
    return proto.encode(proto.GRAPH_DEF, graph_def(graph, clear_devices))


def _is_variable(x):
    return hasattr(x, "_initializer_op") and hasattr(x, "_snapshot") and hasattr(x, "_variable")


def _variable_def(v):
    d = {"variable_name": v.name, "initializer_name": v.initializer.name, "snapshot_name": v.value().name}
    initial = getattr(v, "_initial_value", None)
    if initial is not None:
        d["initial_value_name"] = initial.name
    if v.trainable:
        d["trainable"] = True
    return proto.encode(proto.VARIABLE_DEF, d)


def _collection_def(items):
    """The CollectionDef dict of a collection's items, or None when TF could not export them either."""
    if not items:
        return None
    if all(_is_variable(x) for x in items):
        return {"bytes_list": {"value": [_variable_def(x) for x in items]}}
    if all(hasattr(x, "name") and hasattr(x, "graph") and not _is_variable(x) for x in items):
        return {"node_list": {"value": [x.name for x in items]}}
    if all(isinstance(x, (int, np.integer)) and not isinstance(x, bool) for x in items):
        return {"int64_list": {"value": [int(x) for x in items]}}
    if all(isinstance(x, (float, np.floating)) for x in items):
        return {"float_list": {"value": [float(x) for x in items]}}
    if all(isinstance(x, (str, bytes)) for x in items):
        return {"bytes_list": {"value": [x.encode("utf-8") if isinstance(x, str) else x for x in items]}}
    return None


def meta_graph_def_bytes(graph, saver_def=None, collection_list=None, clear_devices=False):
    """The serialized MetaGraphDef of `graph`: meta info, graph, saver (a dict of SaverDef fields)
    and the collections named in `collection_list` (default: all)."""
    from .. import __version__
    meta = {"meta_info_def": {"tensorflow_git_version": "tfmini-%s" % __version__},
            "graph_def": graph_def(graph, clear_devices)}
    if saver_def is not None:
        meta["saver_def"] = saver_def
    keys = collection_list if collection_list is not None else sorted(graph.get_all_collection_keys())
    collections = []
    for key in keys:
        cdef = _collection_def(graph.get_collection(key))
        if cdef is not None:
            collections.append({"key": key, "value": cdef})
    if collections:
        meta["collection_def"] = collections
    return proto.encode(proto.META_GRAPH_DEF, meta)
