"""MetaGraphDef: a graph with its collections and Saver (the `.meta` file a Saver writes beside a
checkpoint); `tf.train.export_meta_graph` and `tf.train.import_meta_graph`.

The graph part is the GraphDef of tfmini/framework/graph_io.py, with shapes. Collections are
written as TensorFlow writes them: variables (in the variable collections) as VariableDef bytes,
ops and tensors (and variables elsewhere) as node names, strings, ints and floats as themselves;
other items are left out with a warning. `import_meta_graph` rebuilds the graph in the default
graph, restores the collections (Variables come back as tf.Variable objects) and returns a Saver
built from the SaverDef, so

    saver = tf.train.import_meta_graph("run/model-100.meta")
    saver.restore(sess, "run/model-100")

works as in TensorFlow (`import_meta_graph` itself is in tfmini/train/meta_graph_io.py: it makes
Savers and Variables, which live above the framework). Binary files need numpy only; text ones
(as_text=True) need protobuf.
"""
import os

from ..io import proto
from . import errors, graph_io, messages
from .ops import GraphKeys, Operation, Tensor, get_default_graph, get_from_proto_function, get_to_proto_function

__all__ = ["export_meta_graph", "import_scoped_meta_graph", "meta_graph_def_bytes", "meta_graph_def_dict",
           "read_meta_graph_file", "variable_def_fields", "prepend_name_scope", "strip_name_scope",
           "VARIABLE_COLLECTIONS"]

def _log():
    import logging  # only when there is something to say: `import tfmini` stays light
    return logging.getLogger("tensorflow")  # TF's logger: tf.logging.set_verbosity shows it

# the collections whose variables TF writes as VariableDef protos
VARIABLE_COLLECTIONS = (GraphKeys.GLOBAL_VARIABLES, GraphKeys.TRAINABLE_VARIABLES, GraphKeys.LOCAL_VARIABLES,
                        GraphKeys.MODEL_VARIABLES, GraphKeys.MOVING_AVERAGE_VARIABLES, GraphKeys.GLOBAL_STEP,
                        GraphKeys.METRIC_VARIABLES, GraphKeys.TRAINABLE_RESOURCE_VARIABLES)


# =========================================================================== names under a scope
def prepend_name_scope(name, import_scope):
    """'scope/name' for a name ('x', 'x:0', '^x'); `name` itself when import_scope is empty."""
    if not import_scope:
        return name
    scope = import_scope.rstrip("/")
    if name.startswith("^"):
        return "^%s/%s" % (scope, name[1:])
    return "%s/%s" % (scope, name)


def strip_name_scope(name, export_scope):
    """`name` without the leading 'export_scope/' (and '^' kept)."""
    if not export_scope:
        return name
    scope = export_scope.rstrip("/") + "/"
    caret = name.startswith("^")
    body = name[1:] if caret else name
    if body.startswith(scope):
        body = body[len(scope):]
    return ("^" if caret else "") + body


# =========================================================================== export
def _is_variable(x):
    """A tf.Variable (recognised by its parts: the framework does not import tfmini.variables)."""
    return all(hasattr(x, a) for a in ("_ref", "initializer", "value", "trainable")) and not isinstance(x, Tensor)


def _variable_def(v, export_scope=None):
    d = {"variable_name": strip_name_scope(v.name, export_scope),
         "initializer_name": strip_name_scope(v.initializer.name, export_scope),
         "snapshot_name": strip_name_scope(v.value().name, export_scope)}
    initial = getattr(v, "_initial_value", None)
    if initial is not None:
        d["initial_value_name"] = strip_name_scope(initial.name, export_scope)
    if v.trainable:
        d["trainable"] = True
    return proto.encode(proto.VARIABLE_DEF, d)


def _in_scope(name, export_scope):
    return not export_scope or name.startswith(export_scope.rstrip("/") + "/")


def _collection_def(key, items, export_scope):
    """The CollectionDef (dict) of a collection, or None when TF could not write it either."""
    if not items:
        return None
    if key in VARIABLE_COLLECTIONS and all(_is_variable(x) for x in items):
        return {"bytes_list": {"value": [_variable_def(v, export_scope) for v in items
                                         if _in_scope(v.name, export_scope)]}}
    if all(isinstance(x, (str, bytes)) for x in items):
        return {"bytes_list": {"value": [x.encode("utf-8") if isinstance(x, str) else x for x in items]}}
    if all(isinstance(x, int) for x in items):
        return {"int64_list": {"value": [int(x) for x in items]}}
    if all(isinstance(x, float) for x in items):
        return {"float_list": {"value": list(items)}}
    if all(isinstance(x, (Tensor, Operation)) or _is_variable(x) for x in items):
        return {"node_list": {"value": [strip_name_scope(x.name, export_scope) for x in items
                                        if _in_scope(x.name, export_scope)]}}
    to_proto = get_to_proto_function(key)
    if to_proto is not None:  # e.g. tf.cond's contexts (ops/control_flow_ops.py registers them)
        return {"bytes_list": {"value": [b for b in (to_proto(x, export_scope) for x in items) if b is not None]}}
    if all(hasattr(x, "to_proto") for x in items):  # e.g. Savers in the "savers" collection
        return {"bytes_list": {"value": [x.to_proto().SerializeToString() for x in items]}}
    _log().warning("Issue encountered when serializing %s.\nType is unsupported, or the types of the items don't "
                 "match field type in CollectionDef. %s", key, type(items[0]).__name__)
    return None


def _saver_def_dict(saver_def):
    if saver_def is None or isinstance(saver_def, dict):
        return saver_def
    if hasattr(saver_def, "_as_dict"):  # tfmini's tf.train.SaverDef
        return saver_def._as_dict()
    return proto.decode(proto.SAVER_DEF, messages.to_bytes(saver_def, "SaverDef", proto.SAVER_DEF))


def _strip_graph_def(gd, export_scope):
    """Only the nodes under `export_scope`, with the scope taken off every name."""
    nodes = []
    for node in gd["node"]:
        if not _in_scope(node["name"], export_scope):
            continue
        node = dict(node, name=strip_name_scope(node["name"], export_scope))
        if "input" in node:
            node["input"] = [strip_name_scope(i, export_scope) for i in node["input"]]
        nodes.append(node)
    return dict(gd, node=nodes)


def meta_graph_def_dict(graph=None, graph_def=None, saver_def=None, collection_list=None, meta_info_def=None,
                        clear_devices=False, export_scope=None):
    """The MetaGraphDef of `graph` (default: the default graph) as a dict (io/proto form)."""
    from .. import __version__
    graph = graph if graph is not None else get_default_graph()
    if graph_def is None:
        gd = graph_io.graph_def_dict(graph, add_shapes=True, clear_devices=clear_devices)
    else:
        gd = graph_io.graph_def_from(graph_def)
    if export_scope:
        gd = _strip_graph_def(gd, export_scope)
    info = {"tensorflow_git_version": "tfmini-%s" % __version__}
    if meta_info_def is not None:
        if not isinstance(meta_info_def, dict):
            meta_info_def = proto.decode(proto.META_INFO_DEF, meta_info_def.SerializeToString())
        info.update(meta_info_def)
    meta = {"meta_info_def": info, "graph_def": gd}
    sd = _saver_def_dict(saver_def)
    if sd is not None:
        if export_scope:
            sd = {k: strip_name_scope(v, export_scope) if isinstance(v, str) else v for k, v in sd.items()}
        meta["saver_def"] = sd
    keys = collection_list if collection_list is not None else sorted(graph.get_all_collection_keys(), key=str)
    collections = []
    for key in keys:
        if not isinstance(key, str):
            continue  # TF writes string keys only
        cdef = _collection_def(key, graph.get_collection(key), export_scope)
        if cdef is not None:
            collections.append({"key": key, "value": cdef})
    if collections:
        meta["collection_def"] = collections
    return meta


def meta_graph_def_bytes(graph=None, saver_def=None, collection_list=None, clear_devices=False, **kwargs):
    """The serialized MetaGraphDef of `graph` (numpy only); see `meta_graph_def_dict`."""
    return proto.encode(proto.META_GRAPH_DEF, meta_graph_def_dict(graph, saver_def=saver_def,
                                                                  collection_list=collection_list,
                                                                  clear_devices=clear_devices, **kwargs))


def export_meta_graph(filename=None, meta_info_def=None, graph_def=None, saver_def=None, collection_list=None,
                      as_text=False, graph=None, export_scope=None, clear_devices=False,
                      clear_extraneous_savers=False, strip_default_attrs=False, save_debug_info=False, **kwargs):
    """Write the graph, its collections and `saver_def` as a MetaGraphDef to `filename` (when given).

    Returns the MetaGraphDef message when protobuf is installed, else its serialized bytes.
    as_text: write protobuf text format (needs protobuf: pip install tfmini[tensorboard]).
    """
    data = meta_graph_def_bytes(graph, saver_def=saver_def, collection_list=collection_list,
                                clear_devices=clear_devices, graph_def=graph_def, meta_info_def=meta_info_def,
                                export_scope=export_scope)
    if filename:
        out = data
        if as_text:
            messages.require_protobuf("export_meta_graph(as_text=True)")
            out = messages.text_format(messages.from_bytes("MetaGraphDef", data)).encode("utf-8")
        parent = os.path.dirname(os.fspath(filename))
        if parent and not os.path.isdir(parent):
            os.makedirs(parent, exist_ok=True)
        graph_io.atomic_write(os.fspath(filename), out)
    if messages.available():
        return messages.from_bytes("MetaGraphDef", data)
    return data


# =========================================================================== import
def read_meta_graph_file(filename):
    """The MetaGraphDef (dict) in `filename`, binary or text format (text needs protobuf)."""
    filename = os.fspath(filename)
    if not os.path.isfile(filename):
        raise IOError("File %s does not exist." % filename)
    with open(filename, "rb") as f:
        data = f.read()
    return _meta_graph_from_bytes(data, filename)


def _looks_like_text(data):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(c.isprintable() or c.isspace() for c in text[:4096])


def _meta_graph_from_bytes(data, where="MetaGraphDef"):
    try:
        meta = proto.decode(proto.META_GRAPH_DEF, data)
        if "graph_def" in meta or not _looks_like_text(data):
            return meta
    except proto.ProtoError as e:
        if not _looks_like_text(data):
            raise errors.DataLossError(None, None, "Unable to parse %s as a MetaGraphDef: %s" % (where, e)) from None
    messages.require_protobuf("Reading a text MetaGraphDef")
    try:
        msg = messages.parse_text("MetaGraphDef", data.decode("utf-8"))
    except Exception as e:  # noqa: BLE001 - protobuf's ParseError, reported as TF reports it
        raise IOError("Cannot parse file %s: %s." % (where, e)) from None
    return proto.decode(proto.META_GRAPH_DEF, msg.SerializeToString())


def _meta_graph_from(x):
    if isinstance(x, (str, os.PathLike)):
        return read_meta_graph_file(x)
    if isinstance(x, dict):
        return x
    return _meta_graph_from_bytes(messages.to_bytes(x, "MetaGraphDef", proto.META_GRAPH_DEF))


def variable_def_fields(variable_def):
    """The fields of a VariableDef given as a message, its bytes or a dict."""
    if isinstance(variable_def, dict):
        return variable_def
    return proto.decode(proto.VARIABLE_DEF, messages.to_bytes(variable_def, "VariableDef", proto.VARIABLE_DEF))


def _renamer(created, import_scope):
    """A function mapping a name in the file ('x', 'x:0') to the name the import gave it."""
    def rename(name):
        op_name, _, idx = name.partition(":")
        op = created.get(op_name)
        if op is None:
            return prepend_name_scope(name, import_scope)
        return op.name + (":" + idx if idx else "")
    return rename


def import_scoped_meta_graph(meta_graph_or_file, clear_devices=False, import_scope=None, input_map=None,
                             make_variable=None, make_saver=None):
    """Import a MetaGraphDef's graph and collections into the default graph; returns the
    MetaGraphDef (dict) and a function mapping names in it to the names the import gave.

    make_variable(fields): the object for a VariableDef's fields (names already renamed);
    make_saver(saver_def_fields): the object for a SaverDef in the "savers" collection.
    Without them those collections keep the raw bytes.
    """
    meta = _meta_graph_from(meta_graph_or_file)
    g = get_default_graph()
    created = graph_io.import_nodes(meta.get("graph_def", {}), input_map=input_map, name=import_scope or "",
                                    clear_devices=clear_devices)
    rename = _renamer(created, import_scope)
    variables = {}
    for entry in meta.get("collection_def", []):
        key, cdef = entry.get("key", ""), entry.get("value", {})
        try:
            _import_collection(g, key, cdef, rename, variables, make_variable, make_saver)
        except (KeyError, ValueError, TypeError, proto.ProtoError) as e:
            _log().warning("Cannot identify data type for collection %s. Skipping. (%s)", key, e)
    return meta, rename


def _import_collection(g, key, cdef, rename, variables, make_variable, make_saver):
    if "node_list" in cdef:
        for name in cdef["node_list"].get("value", []):
            g.add_to_collection(key, g.as_graph_element(rename(name)))
    elif "bytes_list" in cdef:
        values = cdef["bytes_list"].get("value", [])
        if key in VARIABLE_COLLECTIONS and make_variable is not None:
            for raw in values:
                fields = proto.decode(proto.VARIABLE_DEF, raw)
                name = rename(fields["variable_name"])
                if name not in variables:  # one Variable, however many collections hold it
                    fields = {k: rename(v) if isinstance(v, str) else v for k, v in fields.items()}
                    variables[name] = make_variable(fields)
                g.add_to_collection(key, variables[name])
        elif key == GraphKeys.SAVERS and make_saver is not None:
            for raw in values:
                g.add_to_collection(key, make_saver(proto.decode(proto.SAVER_DEF, raw)))
        elif get_from_proto_function(key) is not None:
            from_proto = get_from_proto_function(key)
            for raw in values:
                g.add_to_collection(key, from_proto(raw, rename))
        else:
            for raw in values:
                g.add_to_collection(key, raw)
    elif "int64_list" in cdef:
        for v in cdef["int64_list"].get("value", []):
            g.add_to_collection(key, int(v))
    elif "float_list" in cdef:
        for v in cdef["float_list"].get("value", []):
            g.add_to_collection(key, float(v))
