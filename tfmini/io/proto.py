"""The protobuf wire format, by hand, and the few TensorFlow messages checkpoints are made of.

A message schema is a dict `{field_number: (name, kind)}` or `(name, kind, REPEATED)`, where kind
is a scalar type ("int32", "int64", "uint32", "uint64", "bool", "enum", "string", "bytes",
"fixed32", "float", "double") or another schema (a nested message).

`decode(schema, buf)` returns a dict holding the fields present in `buf` (so presence can be
told from a default); a repeated numeric field comes back as a numpy array, a repeated string or
message as a list. Unknown fields are skipped, as protobuf does. Malformed input raises
`ProtoError` (a ValueError), never an IndexError or a struct error, and a length is never trusted
beyond the bytes that are there.

`encode(schema, values)` writes the fields present in the dict `values`, in field-number order
(as protobuf's C++ serializer does): the caller leaves out proto3 defaults. Repeated numeric
fields are packed (proto3's default).
"""
import struct

import numpy as np

__all__ = ["ProtoError", "REPEATED", "decode", "encode", "encode_varint",
           "VERSION_DEF", "TENSOR_SHAPE", "TENSOR_SLICE", "TENSOR_PROTO", "BUNDLE_HEADER", "BUNDLE_ENTRY",
           "SAVED_TENSOR_SLICES", "ATTR_VALUE", "NAME_ATTR_LIST", "NODE_DEF", "ARG_DEF", "OP_DEF", "FUNCTION_DEF",
           "FUNCTION_DEF_LIBRARY", "GRAPH_DEF", "SAVER_DEF",
           "COLLECTION_DEF", "META_INFO_DEF", "META_GRAPH_DEF", "VARIABLE_DEF"]

REPEATED = "repeated"
_MAX_DEPTH = 64


class ProtoError(ValueError):
    """Bytes that are not a valid encoding of the expected message."""


# =========================================================================== wire format: encoding
def encode_varint(n):
    """Base-128 varint; a negative int is written as its 64-bit two's complement (10 bytes)."""
    if n < 0:
        n += 1 << 64
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _key(num, wire):
    return encode_varint((num << 3) | wire)


_FIXED = {"fixed32": "<u4", "float": "<f4", "double": "<f8", "fixed64": "<u8"}
_VARINT_KINDS = ("int32", "int64", "uint32", "uint64", "bool", "enum")


def _encode_scalar(num, kind, v):
    if kind in _VARINT_KINDS:
        return _key(num, 0) + encode_varint(int(v))
    if kind in ("fixed32", "float"):
        return _key(num, 5) + np.asarray(v, _FIXED[kind]).tobytes()
    if kind in ("fixed64", "double"):
        return _key(num, 1) + np.asarray(v, _FIXED[kind]).tobytes()
    if kind == "string":
        v = v.encode("utf-8") if isinstance(v, str) else bytes(v)
        return _key(num, 2) + encode_varint(len(v)) + v
    if kind == "bytes":
        v = v.encode("utf-8") if isinstance(v, str) else bytes(v)
        return _key(num, 2) + encode_varint(len(v)) + v
    raise TypeError("unknown field kind %r" % (kind,))


def _encode_packed(num, kind, values):
    if kind in _FIXED:
        body = np.asarray(values, _FIXED[kind]).tobytes()
    else:
        body = b"".join(encode_varint(int(v)) for v in np.asarray(values).reshape(-1).tolist())
    return _key(num, 2) + encode_varint(len(body)) + body


_BY_NAME = {}


def _names(schema):
    idx = _BY_NAME.get(id(schema))
    if idx is None:
        idx = _BY_NAME[id(schema)] = (schema, {spec[0]: (num,) + tuple(spec[1:]) for num, spec in schema.items()})
    return idx[1]


def encode(schema, values):
    """The wire bytes of the message `values` (a dict of field name -> value) of type `schema`.

    A nested message may be given as a dict or as its already encoded bytes.
    """
    names = _names(schema)
    fields = []
    for name, v in values.items():
        if name not in names:
            raise KeyError("field %r is not in this message" % name)
        fields.append((names[name], v))
    fields.sort(key=lambda f: f[0][0])
    out = []
    for spec, v in fields:
        num, kind = spec[0], spec[1]
        repeated = len(spec) > 2
        items = v if repeated else [v]
        if isinstance(kind, dict):
            for item in items:
                body = item if isinstance(item, (bytes, bytearray)) else encode(kind, item)
                out.append(_key(num, 2) + encode_varint(len(body)) + bytes(body))
        elif repeated and kind not in ("string", "bytes"):
            if len(items):
                out.append(_encode_packed(num, kind, items))
        else:
            for item in items:
                out.append(_encode_scalar(num, kind, item))
    return b"".join(out)


# =========================================================================== wire format: decoding
def read_varint(buf, pos):
    """(value, new position) of the varint at `pos`; ProtoError if it runs off the end or past 10 bytes."""
    result = 0
    shift = 0
    n = len(buf)
    while True:
        if pos >= n:
            raise ProtoError("truncated varint")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result & 0xFFFFFFFFFFFFFFFF, pos
        shift += 7
        if shift >= 70:
            raise ProtoError("varint longer than 10 bytes")


def iter_fields(buf):
    """Yield (field number, wire type, value) for each field: an int for varints, a memoryview of
    the bytes for fixed32/fixed64/length-delimited fields."""
    buf = memoryview(buf)
    pos = 0
    n = len(buf)
    while pos < n:
        key, pos = read_varint(buf, pos)
        num, wire = key >> 3, key & 7
        if num == 0:
            raise ProtoError("field number 0")
        if wire == 0:
            v, pos = read_varint(buf, pos)
        elif wire == 1:
            if pos + 8 > n:
                raise ProtoError("truncated fixed64 field %d" % num)
            v, pos = buf[pos:pos + 8], pos + 8
        elif wire == 2:
            length, pos = read_varint(buf, pos)
            if length > n - pos:
                raise ProtoError("field %d claims %d bytes but only %d remain" % (num, length, n - pos))
            v, pos = buf[pos:pos + length], pos + length
        elif wire == 5:
            if pos + 4 > n:
                raise ProtoError("truncated fixed32 field %d" % num)
            v, pos = buf[pos:pos + 4], pos + 4
        else:
            raise ProtoError("unsupported wire type %d (field %d)" % (wire, num))
        yield num, wire, v


def decode_packed_varints(chunk):
    """All varints of a packed field at once, as a uint64 array (vectorized: no Python loop per value)."""
    b = np.frombuffer(chunk, dtype=np.uint8)
    if b.size == 0:
        return np.zeros(0, np.uint64)
    ends = np.flatnonzero(b < 0x80)
    if ends.size == 0 or ends[-1] != b.size - 1:
        raise ProtoError("truncated packed varint")
    starts = np.empty_like(ends)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    lengths = ends - starts + 1
    if lengths.max() > 10:
        raise ProtoError("varint longer than 10 bytes")
    pos = np.arange(b.size) - np.repeat(starts, lengths)
    parts = (b & 0x7F).astype(np.uint64) << (7 * pos).astype(np.uint64)
    return np.bitwise_or.reduceat(parts, starts)


def _signed64(v):
    return v - (1 << 64) if v >= 1 << 63 else v


def _signed32(v):
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v >= 1 << 31 else v


def _scalar(kind, wire, v):
    """A singular field's Python value, or _SKIP when the wire type does not fit the kind."""
    if kind in _VARINT_KINDS:
        if wire != 0:
            return _SKIP
        if kind == "int64":
            return _signed64(v)
        if kind in ("int32", "enum"):
            return _signed32(v)
        if kind == "uint32":
            return v & 0xFFFFFFFF
        if kind == "bool":
            return v != 0
        return v
    if kind in _FIXED:
        if wire != (5 if kind in ("fixed32", "float") else 1):
            return _SKIP
        return np.frombuffer(v, _FIXED[kind])[0].item()
    if wire != 2:
        return _SKIP
    if kind == "bytes":
        return bytes(v)
    if kind == "string":
        try:
            return bytes(v).decode("utf-8")
        except UnicodeDecodeError:
            raise ProtoError("string field is not valid UTF-8") from None
    raise TypeError("unknown field kind %r" % (kind,))


_SKIP = object()
_NUMPY_OF_KIND = {"int32": np.int32, "enum": np.int32, "int64": np.int64, "uint32": np.uint32,
                  "uint64": np.uint64, "bool": np.bool_}


def _repeated_numeric(kind, wire, v):
    """A numpy array of the values one occurrence of a repeated numeric field holds (packed or not)."""
    if kind in _FIXED:
        width = 4 if kind in ("fixed32", "float") else 8
        if wire == 2:
            if len(v) % width:
                raise ProtoError("packed %s field of %d bytes" % (kind, len(v)))
            return np.frombuffer(v, _FIXED[kind])
        if wire == (5 if width == 4 else 1):
            return np.frombuffer(v, _FIXED[kind])
        return None
    if wire == 2:
        raw = decode_packed_varints(v)
    elif wire == 0:
        raw = np.array([v], np.uint64)
    else:
        return None
    if kind == "bool":
        return raw != 0
    if kind in ("int32", "enum"):
        return (raw & np.uint64(0xFFFFFFFF)).astype(np.uint32).view(np.int32)
    if kind == "uint32":
        return (raw & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    if kind == "int64":
        return raw.view(np.int64)
    return raw


def decode(schema, buf, _depth=0):
    """The fields of message `schema` present in `buf`, as a dict (see the module docstring)."""
    if _depth > _MAX_DEPTH:
        raise ProtoError("messages nested too deeply")
    out = {}
    arrays = {}
    for num, wire, v in iter_fields(buf):
        spec = schema.get(num)
        if spec is None:
            continue
        name, kind = spec[0], spec[1]
        repeated = len(spec) > 2
        if isinstance(kind, dict):
            if wire != 2:
                continue
            msg = decode(kind, v, _depth + 1)
            if repeated:
                out.setdefault(name, []).append(msg)
            elif name in out:  # a message given twice is merged, as protobuf does
                out[name].update(msg)
            else:
                out[name] = msg
        elif repeated and kind not in ("string", "bytes"):
            arr = _repeated_numeric(kind, wire, v)
            if arr is not None:
                arrays.setdefault(name, []).append(arr)
        else:
            val = _scalar(kind, wire, v)
            if val is _SKIP:
                continue
            if repeated:
                out.setdefault(name, []).append(val)
            else:
                out[name] = val
    for name, parts in arrays.items():
        out[name] = parts[0] if len(parts) == 1 else np.concatenate(parts)
    return out


def struct_error_free(fn):
    """Decorator turning struct/numpy value errors raised while decoding into ProtoError."""
    def wrapped(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ProtoError:
            raise
        except (struct.error, IndexError, OverflowError, ValueError) as e:
            raise ProtoError(str(e)) from None
    wrapped.__name__ = fn.__name__
    wrapped.__doc__ = fn.__doc__
    return wrapped


decode = struct_error_free(decode)


# =========================================================================== TensorFlow messages
VERSION_DEF = {1: ("producer", "int32"), 2: ("min_consumer", "int32"), 3: ("bad_consumers", "int32", REPEATED)}
TENSOR_SHAPE_DIM = {1: ("size", "int64"), 2: ("name", "string")}
TENSOR_SHAPE = {2: ("dim", TENSOR_SHAPE_DIM, REPEATED), 3: ("unknown_rank", "bool")}
TENSOR_SLICE_EXTENT = {1: ("start", "int64"), 2: ("length", "int64")}  # no length: the whole dimension
TENSOR_SLICE = {1: ("extent", TENSOR_SLICE_EXTENT, REPEATED)}
TENSOR_PROTO = {
    1: ("dtype", "enum"), 2: ("tensor_shape", TENSOR_SHAPE), 3: ("version_number", "int32"),
    4: ("tensor_content", "bytes"), 13: ("half_val", "int32", REPEATED), 5: ("float_val", "float", REPEATED),
    6: ("double_val", "double", REPEATED), 7: ("int_val", "int32", REPEATED), 8: ("string_val", "bytes", REPEATED),
    9: ("scomplex_val", "float", REPEATED), 10: ("int64_val", "int64", REPEATED), 11: ("bool_val", "bool", REPEATED),
    12: ("dcomplex_val", "double", REPEATED), 16: ("uint32_val", "uint32", REPEATED),
    17: ("uint64_val", "uint64", REPEATED),
}

# tensor_bundle.proto
BUNDLE_HEADER = {1: ("num_shards", "int32"), 2: ("endianness", "enum"), 3: ("version", VERSION_DEF)}
BUNDLE_ENTRY = {1: ("dtype", "enum"), 2: ("shape", TENSOR_SHAPE), 3: ("shard_id", "int32"), 4: ("offset", "int64"),
                5: ("size", "int64"), 6: ("crc32c", "fixed32"), 7: ("slices", TENSOR_SLICE, REPEATED)}

# saved_tensor_slice.proto (the V1 format)
SAVED_SLICE_META = {1: ("name", "string"), 2: ("shape", TENSOR_SHAPE), 3: ("type", "enum"),
                    4: ("slice", TENSOR_SLICE, REPEATED)}
SAVED_TENSOR_SLICE_META = {1: ("tensor", SAVED_SLICE_META, REPEATED), 2: ("versions", VERSION_DEF)}
SAVED_SLICE = {1: ("name", "string"), 2: ("slice", TENSOR_SLICE), 3: ("data", TENSOR_PROTO)}
SAVED_TENSOR_SLICES = {1: ("meta", SAVED_TENSOR_SLICE_META), 2: ("data", SAVED_SLICE)}

# graph.proto, node_def.proto, attr_value.proto, meta_graph.proto, saver.proto, variable.proto
ATTR_LIST = {2: ("s", "bytes", REPEATED), 3: ("i", "int64", REPEATED), 4: ("f", "float", REPEATED),
             5: ("b", "bool", REPEATED), 6: ("type", "enum", REPEATED), 7: ("shape", TENSOR_SHAPE, REPEATED),
             8: ("tensor", TENSOR_PROTO, REPEATED)}
NAME_ATTR_LIST = {1: ("name", "string")}  # a function, by name (the GraphDef's library holds it; no `attr` map)
ATTR_VALUE = {1: ("list", ATTR_LIST), 2: ("s", "bytes"), 3: ("i", "int64"), 4: ("f", "float"), 5: ("b", "bool"),
              6: ("type", "enum"), 7: ("shape", TENSOR_SHAPE), 8: ("tensor", TENSOR_PROTO),
              9: ("placeholder", "string"), 10: ("func", NAME_ATTR_LIST)}
_ATTR_ENTRY = {1: ("key", "string"), 2: ("value", ATTR_VALUE)}
NODE_DEF = {1: ("name", "string"), 2: ("op", "string"), 3: ("input", "string", REPEATED), 4: ("device", "string"),
            5: ("attr", _ATTR_ENTRY, REPEATED)}
# function.proto, op_def.proto: a graph's functions (a tf.data map function's body), as their signature, nodes and rets
ARG_DEF = {1: ("name", "string"), 3: ("type", "enum")}
OP_DEF = {1: ("name", "string"), 2: ("input_arg", ARG_DEF, REPEATED), 3: ("output_arg", ARG_DEF, REPEATED)}
_RET_ENTRY = {1: ("key", "string"), 2: ("value", "string")}
FUNCTION_DEF = {1: ("signature", OP_DEF), 3: ("node_def", NODE_DEF, REPEATED), 4: ("ret", _RET_ENTRY, REPEATED)}
FUNCTION_DEF_LIBRARY = {1: ("function", FUNCTION_DEF, REPEATED)}
GRAPH_DEF = {1: ("node", NODE_DEF, REPEATED), 2: ("library", FUNCTION_DEF_LIBRARY), 3: ("version", "int32"),
             4: ("versions", VERSION_DEF)}
SAVER_DEF = {1: ("filename_tensor_name", "string"), 2: ("save_tensor_name", "string"),
             3: ("restore_op_name", "string"), 4: ("max_to_keep", "int32"), 5: ("sharded", "bool"),
             6: ("keep_checkpoint_every_n_hours", "float"), 7: ("version", "enum")}
COLLECTION_DEF = {1: ("node_list", {1: ("value", "string", REPEATED)}),
                  2: ("bytes_list", {1: ("value", "bytes", REPEATED)}),
                  3: ("int64_list", {1: ("value", "int64", REPEATED)}),
                  4: ("float_list", {1: ("value", "float", REPEATED)})}
_COLLECTION_ENTRY = {1: ("key", "string"), 2: ("value", COLLECTION_DEF)}
META_INFO_DEF = {1: ("meta_graph_version", "string"), 4: ("tags", "string", REPEATED),
                 5: ("tensorflow_version", "string"), 6: ("tensorflow_git_version", "string"),
                 7: ("stripped_default_attrs", "bool")}
META_GRAPH_DEF = {1: ("meta_info_def", META_INFO_DEF), 2: ("graph_def", GRAPH_DEF), 3: ("saver_def", SAVER_DEF),
                  4: ("collection_def", _COLLECTION_ENTRY, REPEATED)}
# control_flow.proto: a tf.cond branch's context, as the "cond_context" collection of a MetaGraphDef stores it
VALUES_DEF = {1: ("values", "string", REPEATED),
              2: ("external_values", {1: ("key", "string"), 2: ("value", "string")}, REPEATED)}
QUEUE_RUNNER_DEF = {1: ("queue_name", "string"), 2: ("enqueue_op_name", "string", REPEATED),
                    3: ("close_op_name", "string"), 4: ("cancel_op_name", "string"),
                    5: ("queue_closed_exception_types", "enum", REPEATED)}
COND_CONTEXT_DEF = {1: ("context_name", "string"), 2: ("pred_name", "string"), 3: ("pivot_name", "string"),
                    4: ("branch", "int32"), 5: ("values_def", VALUES_DEF)}
WHILE_CONTEXT_DEF = {1: ("context_name", "string"), 2: ("parallel_iterations", "int32"), 3: ("back_prop", "bool"),
                     4: ("swap_memory", "bool"), 5: ("pivot_name", "string"), 6: ("pivot_for_pred_name", "string"),
                     7: ("pivot_for_body_name", "string"), 8: ("loop_exit_names", "string", REPEATED),
                     9: ("values_def", VALUES_DEF), 10: ("loop_enter_names", "string", REPEATED),
                     11: ("maximum_iterations_name", "string")}
CONTROL_FLOW_CONTEXT_DEF = {1: ("cond_ctxt", COND_CONTEXT_DEF), 2: ("while_ctxt", WHILE_CONTEXT_DEF)}
COND_CONTEXT_DEF[6] = ("nested_contexts", CONTROL_FLOW_CONTEXT_DEF, REPEATED)
WHILE_CONTEXT_DEF[12] = ("nested_contexts", CONTROL_FLOW_CONTEXT_DEF, REPEATED)
VARIABLE_DEF = {1: ("variable_name", "string"), 2: ("initializer_name", "string"), 3: ("snapshot_name", "string"),
                5: ("is_resource", "bool"), 6: ("initial_value_name", "string"), 7: ("trainable", "bool")}
