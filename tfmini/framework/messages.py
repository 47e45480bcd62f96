"""TensorFlow's protocol-buffer messages: the summary/event wire schemas, and real message classes.

tfmini writes every message with the small wire-format encoder of tfmini/io/proto.py, so graphs,
meta graphs, summaries and event files need numpy only. This module adds

- the schemas of summary.proto, event.proto and histogram (the graph and checkpoint messages
  are in tfmini/io/proto.py), in the same `{number: (name, kind[, REPEATED])}` form;
- real protobuf classes for the user-facing API (`tf.GraphDef`, `tf.Summary`, `tf.Event`, what
  `graph.as_graph_def()` returns, text format), built at first use from those same schemas with
  `descriptor_pb2` and `message_factory`, so no `protoc` is needed. They need the `protobuf`
  package (`pip install tfmini[tensorboard]`); `import tfmini` never imports it.

>>> from tfmini.framework import messages
>>> s = messages.get("Summary")(value=[messages.get("Summary").Value(tag="loss", simple_value=0.5)])
"""
from ..io import proto
from ..io.proto import REPEATED

__all__ = ["SUMMARY", "SUMMARY_VALUE", "SUMMARY_METADATA", "HISTOGRAM_PROTO", "EVENT", "SESSION_LOG",
           "LOG_MESSAGE", "TAGGED_RUN_METADATA", "SUMMARY_DESCRIPTION", "EXAMPLE", "SEQUENCE_EXAMPLE",
           "FEATURES", "FEATURE", "FEATURE_LISTS", "FEATURE_LIST", "PROJECTOR_CONFIG", "EMBEDDING_INFO",
           "SPRITE_METADATA", "DEVICE_ATTRIBUTES", "DEVICE_LOCALITY", "EXTRA", "require_protobuf", "get",
           "available", "to_bytes", "from_bytes"]

EXTRA = "tensorboard"  # the pyproject extra that brings protobuf

# =========================================================================== summary.proto, event.proto
SUMMARY_DESCRIPTION = {1: ("type_hint", "string")}
HISTOGRAM_PROTO = {1: ("min", "double"), 2: ("max", "double"), 3: ("num", "double"), 4: ("sum", "double"),
                   5: ("sum_squares", "double"), 6: ("bucket_limit", "double", REPEATED),
                   7: ("bucket", "double", REPEATED)}
_PLUGIN_DATA = {1: ("plugin_name", "string"), 2: ("content", "bytes")}
SUMMARY_METADATA = {1: ("plugin_data", _PLUGIN_DATA), 2: ("display_name", "string"),
                    3: ("summary_description", "string"), 4: ("data_class", "enum")}
_IMAGE = {1: ("height", "int32"), 2: ("width", "int32"), 3: ("colorspace", "int32"),
          4: ("encoded_image_string", "bytes")}
_AUDIO = {1: ("sample_rate", "float"), 2: ("num_channels", "int64"), 3: ("length_frames", "int64"),
          4: ("encoded_audio_string", "bytes"), 5: ("content_type", "string")}
SUMMARY_VALUE = {7: ("node_name", "string"), 1: ("tag", "string"), 9: ("metadata", SUMMARY_METADATA),
                 2: ("simple_value", "float"), 3: ("obsolete_old_style_histogram", "bytes"), 4: ("image", _IMAGE),
                 5: ("histo", HISTOGRAM_PROTO), 6: ("audio", _AUDIO), 8: ("tensor", proto.TENSOR_PROTO)}
SUMMARY = {1: ("value", SUMMARY_VALUE, REPEATED)}
LOG_MESSAGE = {1: ("level", "enum"), 2: ("message", "string")}
SESSION_LOG = {1: ("status", "enum"), 2: ("checkpoint_path", "string"), 3: ("msg", "string")}
TAGGED_RUN_METADATA = {1: ("tag", "string"), 2: ("run_metadata", "bytes")}
EVENT = {1: ("wall_time", "double"), 2: ("step", "int64"), 3: ("file_version", "string"), 4: ("graph_def", "bytes"),
         5: ("summary", SUMMARY), 6: ("log_message", LOG_MESSAGE), 7: ("session_log", SESSION_LOG),
         8: ("tagged_run_metadata", TAGGED_RUN_METADATA), 9: ("meta_graph_def", "bytes")}

# =========================================================================== example.proto, feature.proto
# tf.train.Example and its parts: what a TFRecord file of training data holds (tfmini/ops/parsing_ops.py decodes
# them with these schemas, numpy only)
BYTES_LIST = {1: ("value", "bytes", REPEATED)}
FLOAT_LIST = {1: ("value", "float", REPEATED)}
INT64_LIST = {1: ("value", "int64", REPEATED)}
FEATURE = {1: ("bytes_list", BYTES_LIST), 2: ("float_list", FLOAT_LIST), 3: ("int64_list", INT64_LIST)}
_FEATURE_ENTRY = {1: ("key", "string"), 2: ("value", FEATURE)}
FEATURES = {1: ("feature", _FEATURE_ENTRY, REPEATED)}  # map<string, Feature>
FEATURE_LIST = {1: ("feature", FEATURE, REPEATED)}
_FEATURE_LIST_ENTRY = {1: ("key", "string"), 2: ("value", FEATURE_LIST)}
FEATURE_LISTS = {1: ("feature_list", _FEATURE_LIST_ENTRY, REPEATED)}  # map<string, FeatureList>
EXAMPLE = {1: ("features", FEATURES)}
SEQUENCE_EXAMPLE = {1: ("context", FEATURES), 2: ("feature_lists", FEATURE_LISTS)}

# =========================================================================== projector_config.proto
# TensorBoard's embedding projector (tf.contrib.tensorboard.plugins.projector): what a log directory's
# projector_config.pbtxt says about the embeddings of a checkpoint
SPRITE_METADATA = {1: ("image_path", "string"), 2: ("single_image_dim", "uint32", REPEATED)}
EMBEDDING_INFO = {1: ("tensor_name", "string"), 2: ("metadata_path", "string"), 3: ("bookmarks_path", "string"),
                  4: ("tensor_shape", "uint32", REPEATED), 5: ("sprite", SPRITE_METADATA), 6: ("tensor_path", "string")}
PROJECTOR_CONFIG = {1: ("model_checkpoint_path", "string"), 2: ("embeddings", EMBEDDING_INFO, REPEATED),
                    3: ("model_checkpoint_dir", "string")}

# =========================================================================== device_attributes.proto
# what device_lib.list_local_devices() returns (tfmini/python/client/device_lib.py)
DEVICE_LOCALITY = {1: ("bus_id", "int32"), 2: ("numa_node", "int32")}
DEVICE_ATTRIBUTES = {1: ("name", "string"), 2: ("device_type", "string"), 4: ("memory_limit", "int64"),
                     5: ("locality", DEVICE_LOCALITY), 6: ("incarnation", "fixed64"),
                     7: ("physical_device_desc", "string")}

# =========================================================================== the classes' declarations
# (full name, schema); nested messages are named inside their parent, map entries end in "Entry"
_MESSAGES = [
    ("VersionDef", proto.VERSION_DEF),
    ("TensorShapeProto", proto.TENSOR_SHAPE),
    ("TensorShapeProto.Dim", proto.TENSOR_SHAPE[2][1]),
    ("TensorProto", proto.TENSOR_PROTO),
    ("AttrValue", proto.ATTR_VALUE),
    ("AttrValue.ListValue", proto.ATTR_LIST),
    ("NameAttrList", proto.NAME_ATTR_LIST),
    ("NodeDef", proto.NODE_DEF),
    ("NodeDef.AttrEntry", proto.NODE_DEF[5][1]),
    ("OpDef", proto.OP_DEF),
    ("OpDef.ArgDef", proto.ARG_DEF),
    ("FunctionDef", proto.FUNCTION_DEF),
    ("FunctionDef.RetEntry", proto.FUNCTION_DEF[4][1]),
    ("FunctionDefLibrary", proto.FUNCTION_DEF_LIBRARY),
    ("GraphDef", proto.GRAPH_DEF),
    ("SaverDef", proto.SAVER_DEF),
    ("VariableDef", proto.VARIABLE_DEF),
    ("CollectionDef", proto.COLLECTION_DEF),
    ("CollectionDef.NodeList", proto.COLLECTION_DEF[1][1]),
    ("CollectionDef.BytesList", proto.COLLECTION_DEF[2][1]),
    ("CollectionDef.Int64List", proto.COLLECTION_DEF[3][1]),
    ("CollectionDef.FloatList", proto.COLLECTION_DEF[4][1]),
    ("MetaGraphDef", proto.META_GRAPH_DEF),
    ("MetaGraphDef.MetaInfoDef", proto.META_INFO_DEF),
    ("MetaGraphDef.CollectionDefEntry", proto.META_GRAPH_DEF[4][1]),
    ("HistogramProto", HISTOGRAM_PROTO),
    ("SummaryDescription", SUMMARY_DESCRIPTION),
    ("SummaryMetadata", SUMMARY_METADATA),
    ("SummaryMetadata.PluginData", _PLUGIN_DATA),
    ("Summary", SUMMARY),
    ("Summary.Value", SUMMARY_VALUE),
    ("Summary.Image", _IMAGE),
    ("Summary.Audio", _AUDIO),
    ("LogMessage", LOG_MESSAGE),
    ("SessionLog", SESSION_LOG),
    ("TaggedRunMetadata", TAGGED_RUN_METADATA),
    ("Event", EVENT),
    ("BytesList", BYTES_LIST),
    ("FloatList", FLOAT_LIST),
    ("Int64List", INT64_LIST),
    ("Feature", FEATURE),
    ("Features", FEATURES),
    ("Features.FeatureEntry", _FEATURE_ENTRY),
    ("FeatureList", FEATURE_LIST),
    ("FeatureLists", FEATURE_LISTS),
    ("FeatureLists.FeatureListEntry", _FEATURE_LIST_ENTRY),
    ("Example", EXAMPLE),
    ("SequenceExample", SEQUENCE_EXAMPLE),
    ("SpriteMetadata", SPRITE_METADATA),
    ("EmbeddingInfo", EMBEDDING_INFO),
    ("ProjectorConfig", PROJECTOR_CONFIG),
    ("DeviceLocality", DEVICE_LOCALITY),
    ("DeviceAttributes", DEVICE_ATTRIBUTES),
]

_DATA_TYPES = ["DT_INVALID", "DT_FLOAT", "DT_DOUBLE", "DT_INT32", "DT_UINT8", "DT_INT16", "DT_INT8", "DT_STRING",
               "DT_COMPLEX64", "DT_INT64", "DT_BOOL", "DT_QINT8", "DT_QUINT8", "DT_QINT32", "DT_BFLOAT16",
               "DT_QINT16", "DT_QUINT16", "DT_UINT16", "DT_COMPLEX128", "DT_HALF", "DT_RESOURCE", "DT_VARIANT",
               "DT_UINT32", "DT_UINT64"]
# (enum full name, [(value name, number)]); DataType has a _REF twin of every type, 100 above it
_ENUMS = [
    ("DataType", [(n, i) for i, n in enumerate(_DATA_TYPES)] + [(n + "_REF", i + 100)
                                                               for i, n in enumerate(_DATA_TYPES) if i]),
    ("DataClass", [("DATA_CLASS_UNKNOWN", 0), ("DATA_CLASS_SCALAR", 1), ("DATA_CLASS_TENSOR", 2),
                   ("DATA_CLASS_BLOB_SEQUENCE", 3)]),
    ("SaverDef.CheckpointFormatVersion", [("LEGACY", 0), ("V1", 1), ("V2", 2)]),
    ("LogMessage.Level", [("UNKNOWN", 0), ("DEBUGGING", 10), ("INFO", 20), ("WARN", 30), ("ERROR", 40),
                          ("FATAL", 50)]),
    ("SessionLog.SessionStatus", [("STATUS_UNSPECIFIED", 0), ("START", 1), ("STOP", 2), ("CHECKPOINT", 3)]),
]
# which enum each "enum" field holds
_ENUM_OF_FIELD = {("TensorProto", "dtype"): "DataType", ("AttrValue", "type"): "DataType",
                  ("AttrValue.ListValue", "type"): "DataType", ("OpDef.ArgDef", "type"): "DataType",
                  ("SummaryMetadata", "data_class"): "DataClass",
                  ("SaverDef", "version"): "SaverDef.CheckpointFormatVersion",
                  ("LogMessage", "level"): "LogMessage.Level", ("SessionLog", "status"): "SessionLog.SessionStatus"}
_ONEOFS = {"AttrValue": ("value", ("list", "s", "i", "f", "b", "type", "shape", "tensor", "placeholder", "func")),
           "CollectionDef": ("kind", ("node_list", "bytes_list", "int64_list", "float_list")),
           "Summary.Value": ("value", ("simple_value", "obsolete_old_style_histogram", "image", "histo", "audio",
                                       "tensor")),
           "Feature": ("kind", ("bytes_list", "float_list", "int64_list")),
           "Event": ("what", ("file_version", "graph_def", "summary", "log_message", "session_log",
                              "tagged_run_metadata", "meta_graph_def"))}
# FieldDescriptorProto.Type numbers
_SCALAR_TYPES = {"double": 1, "float": 2, "int64": 3, "uint64": 4, "int32": 5, "fixed64": 6, "fixed32": 7,
                 "bool": 8, "string": 9, "bytes": 12, "uint32": 13, "enum": 14}


class _Lazy:
    classes = None


def available():
    """Whether the protobuf package is importable (the message classes can be built)."""
    try:
        require_protobuf("")
    except ImportError:
        return False
    return True


def require_protobuf(what="This"):
    """Import protobuf, or raise an ImportError that names the extra to install."""
    try:
        import google.protobuf  # noqa: F401
        from google.protobuf import descriptor_pb2, descriptor_pool, message_factory  # noqa: F401
    except ImportError:
        raise ImportError("%s needs the protobuf package, which tfmini installs with its TensorBoard extra: "
                          "pip install tfmini[%s]" % (what or "This", EXTRA)) from None


def _file_descriptor():
    from google.protobuf import descriptor_pb2
    fdp = descriptor_pb2.FileDescriptorProto(name="tfmini/tensorflow_messages.proto", package="tensorflow",
                                             syntax="proto3")
    names = {id(schema): name for name, schema in _MESSAGES}
    built = {}
    for name, schema in _MESSAGES:
        parent, _, short = name.rpartition(".")
        container = built[parent].nested_type if parent else fdp.message_type
        m = container.add(name=short)
        built[name] = m
        if short.endswith("Entry"):
            m.options.map_entry = True
        oneof_name, oneof_fields = _ONEOFS.get(name, (None, ()))
        if oneof_name:
            m.oneof_decl.add(name=oneof_name)
        for num in sorted(schema):
            spec = schema[num]
            field_name, kind = spec[0], spec[1]
            f = m.field.add(name=field_name, number=num, label=3 if len(spec) > 2 else 1)
            if isinstance(kind, dict):
                f.type = 11
                f.type_name = ".tensorflow." + names[id(kind)]  # a map is a repeated field of its Entry
            elif kind == "enum":
                f.type = 14
                f.type_name = ".tensorflow." + _ENUM_OF_FIELD[(name, field_name)]
            else:
                f.type = _SCALAR_TYPES[kind]
            if field_name in oneof_fields:
                f.oneof_index = 0
    for name, values in _ENUMS:
        parent, _, short = name.rpartition(".")
        container = built[parent].enum_type if parent else fdp.enum_type
        e = container.add(name=short)
        for vname, number in values:
            e.value.add(name=vname, number=number)
    return fdp


def _build(what):
    require_protobuf(what)
    from google.protobuf import descriptor_pool, message_factory
    pool = descriptor_pool.DescriptorPool()  # private: real TensorFlow's own classes may be loaded too
    pool.Add(_file_descriptor())
    make = getattr(message_factory, "GetMessageClass", None)
    if make is None:  # protobuf < 4.21
        factory = message_factory.MessageFactory(pool)
        make = factory.GetPrototype
    classes = {}
    for name, _ in _MESSAGES:
        classes[name] = make(pool.FindMessageTypeByName("tensorflow." + name))
    return classes


def get(name):
    """The protobuf class of message `name` ("GraphDef", "Summary", "Summary.Value", ...)."""
    if _Lazy.classes is None:
        _Lazy.classes = _build("tf.%s" % name)
    try:
        return _Lazy.classes[name]
    except KeyError:
        raise AttributeError("tfmini has no message class %r" % name) from None


def is_message(x, name=None):
    """Whether `x` is a protobuf message (of type `name`, when given; compared by full name, so
    TensorFlow's own classes count too)."""
    desc = getattr(x, "DESCRIPTOR", None)
    if desc is None or not hasattr(x, "SerializeToString"):
        return False
    return name is None or getattr(desc, "full_name", None) == "tensorflow." + name


def to_bytes(x, name, schema):
    """The serialized form of a message given as a protobuf message (ours or TensorFlow's), its
    bytes, or a dict in the io/proto form. TypeError for anything else."""
    if isinstance(x, (bytes, bytearray, memoryview)):
        return bytes(x)
    if isinstance(x, dict):
        return proto.encode(schema, x)
    if is_message(x):
        full = getattr(x.DESCRIPTOR, "full_name", "")
        if full.rpartition(".")[2] != name.rpartition(".")[2]:
            raise TypeError("Expected a %s protocol buffer, got a %s" % (name, full))
        return x.SerializeToString()
    raise TypeError("Expected a %s protocol buffer (or its serialized bytes), got %s" % (name, type(x).__name__))


def from_bytes(name, data):
    """A message of class `name` parsed from `data` (needs protobuf)."""
    cls = get(name)
    msg = cls()
    msg.ParseFromString(bytes(data))
    return msg


def text_format(msg):
    """`msg` in protobuf text format (what `str(msg)` prints)."""
    require_protobuf("Text format")
    from google.protobuf import text_format as tf_text
    return tf_text.MessageToString(msg)


def parse_text(name, text):
    """A message of class `name` from its text format."""
    require_protobuf("Text format")
    from google.protobuf import text_format as tf_text
    return tf_text.Parse(text, get(name)())
