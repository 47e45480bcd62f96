"""Parsing ops: DecodeCSV (tf.decode_csv), which splits CSV records into typed columns; ParseExampleV2
(tf.parse_example, tf.parse_single_example with tf.FixedLenFeature / tf.VarLenFeature), which turns serialized
tf.train.Example protos into tensors; DecodeRaw (tf.decode_raw), which reads a string's bytes as numbers.
Every name is also under tf.io."""
import collections
import re

import numpy as np

from ..framework import dtypes, errors
from ..framework.op_def_library import convert_one, make_op
from ..framework.op_registry import NOT_DIFFERENTIABLE, InferenceError, register_op
from ..framework.ops import convert_to_tensor, name_scope
from ..framework.tensor_shape import TensorShape

__all__ = ["decode_csv", "FixedLenFeature", "FixedLenSequenceFeature", "VarLenFeature", "parse_example",
           "parse_single_example", "decode_raw"]

_CSV_TYPES = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64, dtypes.string)
_TYPE_WORDS = {dtypes.float32: "float", dtypes.float64: "double", dtypes.int32: "int32", dtypes.int64: "int64"}
_INT_RANGE = {dtypes.int32: (-2 ** 31, 2 ** 31 - 1), dtypes.int64: (-2 ** 63, 2 ** 63 - 1)}


def _invalid(msg):
    return errors.InvalidArgumentError(None, None, msg)


# =========================================================================== DecodeCSV
def _decode_csv_infer(records, *record_defaults, OUT_TYPE, **_):
    for d in record_defaults:
        if d.shape.ndims is not None and d.shape.ndims > 1:
            raise InferenceError("Shape must be at most rank 1 but is rank %d" % d.shape.ndims)
    return [(dt, records.shape) for dt in OUT_TYPE]


def _split_record(rec, delim, quote, index):
    """The fields of one record (bytes), TF's rules: a field that starts with a quote (when `quote`) runs to the
    quote before a delimiter or the end, "" standing for one quote."""
    fields, i, n = [], 0, len(rec)
    while True:
        if quote and i < n and rec[i:i + 1] == b'"':
            out, i = bytearray(), i + 1
            while True:
                if i >= n:
                    raise _invalid("Quoted field has to end with quote followed by delim or end")
                c = rec[i:i + 1]
                if c == b'"':
                    if rec[i + 1:i + 2] == b'"':
                        out += b'"'
                        i += 2
                        continue
                    i += 1
                    if i < n and rec[i:i + 1] != delim:
                        raise _invalid("Quoted field has to end with quote followed by delim or end")
                    break
                out += c
                i += 1
            fields.append(bytes(out))
        else:
            j = rec.find(delim, i)
            j = n if j < 0 else j
            fields.append(rec[i:j])
            i = j
        if i >= n:
            return fields
        i += 1  # past the delimiter
        if i == n:  # a record ending in a delimiter has an empty last field
            fields.append(b"")
            return fields


def _parse_field(text, dt, f, r):
    if dt == dtypes.string:
        return text
    s = text.decode("utf-8", "replace")
    try:
        if "_" in s:
            raise ValueError(s)
        v = int(s) if dt in _INT_RANGE else float(s)
    except ValueError:
        v = None
    if v is None or (dt in _INT_RANGE and not _INT_RANGE[dt][0] <= v <= _INT_RANGE[dt][1]):
        raise _invalid("Field %d in record %d is not a valid %s: %s" % (f, r, _TYPE_WORDS[dt], s))
    return v


def _decode_csv_kernel(xp, records, *record_defaults, OUT_TYPE, field_delim=",", use_quote_delim=True, na_value="",
                       select_cols=(), **_):
    if len(field_delim) != 1:
        raise _invalid("field_delim should be only 1 char")
    delim = field_delim.encode() if isinstance(field_delim, str) else field_delim
    na = na_value.encode() if isinstance(na_value, str) else na_value
    defaults = []
    for i, d in enumerate(record_defaults):
        d = np.asarray(d).reshape(-1)
        if d.size > 1:
            raise _invalid("There should only be 1 default per field but field %d has %d" % (i, d.size))
        defaults.append(d[0] if d.size else None)
    cols = list(select_cols) if select_cols else None
    recs = np.asarray(records)
    flat = recs.reshape(-1)
    out = [np.empty(flat.shape, object if dt == dtypes.string else dt.as_numpy_dtype) for dt in OUT_TYPE]
    n_out = len(OUT_TYPE)
    for r, rec in enumerate(flat):
        rec = rec if isinstance(rec, bytes) else str(rec).encode()
        fields = _split_record(rec, delim, use_quote_delim, r)
        if cols is not None:
            if cols[-1] >= len(fields):
                raise _invalid("Expect %d fields but have %d in record %d" % (cols[-1] + 1, len(fields), r))
            fields = [fields[c] for c in cols]
        elif len(fields) != n_out:
            raise _invalid("Expect %d fields but have %d in record %d" % (n_out, len(fields), r))
        for f, (text, dt) in enumerate(zip(fields, OUT_TYPE)):
            if text == b"" or text == na:
                if defaults[f] is None:
                    raise _invalid("Field %d is required but missing in record %d!" % (f, r))
                out[f][r] = defaults[f]
            else:
                out[f][r] = _parse_field(text, dt, f, r)
    out = [o.reshape(recs.shape) for o in out]
    return out[0] if len(out) == 1 else tuple(out)


register_op("DecodeCSV", infer=_decode_csv_infer, kernel=_decode_csv_kernel, grad=NOT_DIFFERENTIABLE,
            host_only=True)


def decode_csv(records, record_defaults, field_delim=",", use_quote_delim=True, name=None, na_value="",
               select_cols=None):
    """Split each CSV record (a string tensor of any shape) into columns: a list of tensors of the records' shape,
    one per column, of the type of its `record_defaults` entry (float32, float64, int32, int64 or string: a
    one-element list such as [0.], or [] for a required column). An empty field (or `na_value`) takes the default.

    >>> tf.decode_csv(['1,2.5'], record_defaults=[[0], [0.]])   # [[1], [2.5]]
    """
    if select_cols is not None and any(select_cols[i] >= select_cols[i + 1] for i in range(len(select_cols) - 1)):
        raise ValueError("select_cols is not strictly increasing.")
    if select_cols is not None and select_cols and select_cols[0] < 0:
        raise ValueError("select_cols contains negative values.")
    if select_cols is not None and len(select_cols) != len(record_defaults):
        raise ValueError("Length of select_cols and record_defaults do not match.")
    with name_scope(name, "DecodeCSV", [records] + list(record_defaults)) as scope:
        records = convert_one("DecodeCSV", "records", records, dtype=dtypes.string)
        defaults = []
        for i, d in enumerate(record_defaults):
            t = convert_to_tensor(d, name="record_defaults_%d" % i)
            if t.dtype.base_dtype not in _CSV_TYPES:
                raise TypeError("Value passed to parameter 'record_defaults' has DataType %s not in list of allowed "
                                "values: float32, float64, int32, int64, string" % t.dtype.base_dtype.name)
            defaults.append(t)
        attrs = {"OUT_TYPE": [t.dtype.base_dtype for t in defaults], "field_delim": field_delim,
                 "use_quote_delim": bool(use_quote_delim), "na_value": na_value,
                 "select_cols": list(select_cols or [])}
        out = make_op("DecodeCSV", [records] + defaults, attrs, name=scope)
        return out if isinstance(out, list) else [out]


# =========================================================================== ParseExampleV2
class VarLenFeature(collections.namedtuple("VarLenFeature", ["dtype"])):
    """A feature of any number of values per example, parsed into a SparseTensor: for parse_example, indices
    [example, position], dense_shape [batch size, most values in one example]; for parse_single_example, a 1-D
    SparseTensor. dtype: tf.float32, tf.int64 or tf.string."""


class FixedLenFeature(collections.namedtuple("FixedLenFeature", ["shape", "dtype", "default_value"])):
    """A feature of exactly `shape` values (e.g. [] for one value) per example, parsed into a dense tensor of
    shape [batch size] + shape (parse_example) or `shape` (parse_single_example).

    dtype: tf.float32, tf.int64 or tf.string. default_value: used where an example lacks the feature (None: the
    feature is required, and a missing one is an InvalidArgumentError).

    >>> tf.FixedLenFeature([], tf.int64)                  # a label
    >>> tf.FixedLenFeature([2], tf.float32, [0.0, 0.0])   # a point, (0, 0) when absent
    """

    def __new__(cls, shape, dtype, default_value=None):
        return super().__new__(cls, shape, dtype, default_value)


class FixedLenSequenceFeature(collections.namedtuple("FixedLenSequenceFeature",
                                                     ["shape", "dtype", "allow_missing", "default_value"])):
    """A feature of any number of rows of `shape` per example (its values a multiple of the row size), parsed
    into a dense tensor [batch size, most rows] + shape, shorter examples padded with `default_value` (a
    scalar; 0 or "" when None). allow_missing must be True for tf.parse_example (an absent feature: no rows).

    >>> tf.io.FixedLenSequenceFeature([2], tf.float32, allow_missing=True)   # points, any number per example
    """

    def __new__(cls, shape, dtype, allow_missing=False, default_value=None):
        return super().__new__(cls, shape, dtype, allow_missing, default_value)


_EXAMPLE_TYPES = (dtypes.float32, dtypes.int64, dtypes.string)
_TYPE_WORD = {dtypes.float32: "float", dtypes.int64: "int64", dtypes.string: "string"}  # TF's DataTypeString
_LIST_OF_TYPE = {dtypes.float32: "float_list", dtypes.int64: "int64_list", dtypes.string: "bytes_list"}
_WORD_OF_LIST = {"float_list": "float", "int64_list": "int64", "bytes_list": "string"}
_COUNT_WORD = {"float_list": "float", "int64_list": "int64", "bytes_list": "bytes"}


def _check_example_type(param, dtype):
    dtype = dtypes.as_dtype(dtype)
    if dtype.base_dtype not in _EXAMPLE_TYPES:
        raise TypeError("Value passed to parameter '%s' has DataType %s not in list of allowed values: float32, "
                        "int64, string" % (param, dtype.base_dtype.name))
    return dtype.base_dtype


def _shape_text(dims):
    return "[" + ",".join(str(d) for d in dims) + "]"


def _parse_example_infer(serialized, names, sparse_keys, dense_keys, ragged_keys, *dense_defaults, num_sparse,
                         sparse_types, Tdense, dense_shapes, **_):
    """serialized: a scalar (one Example) or a vector (a batch of B). Outputs: per sparse key its indices
    [?, rank + 1], then per key its values [?], then per key its dense_shape [rank + 1]; then per dense key its
    values, [B] + shape (shape alone for a scalar)."""
    rank = serialized.shape.ndims
    if rank is not None and rank > 1:
        raise InferenceError("Shape must be at most rank 1 but is rank %d" % rank)
    prefix = None if rank is None else serialized.shape.as_tuple()
    out = [(dtypes.int64, TensorShape([None, None if rank is None else rank + 1])) for _ in range(num_sparse)]
    out += [(dtypes.as_dtype(t), TensorShape([None])) for t in sparse_types]
    out += [(dtypes.int64, TensorShape([None if rank is None else rank + 1])) for _ in range(num_sparse)]
    for t, s in zip(Tdense, dense_shapes):
        shape = TensorShape(None) if prefix is None else TensorShape(prefix + TensorShape(s).as_tuple())
        out.append((dtypes.as_dtype(t), shape))
    return out


def _text(b):
    return b.decode("utf-8", "replace") if isinstance(b, (bytes, bytearray)) else str(b)


def _example_features(record):
    """{key: (list kind or None, values)} of one serialized Example (numpy only, tfmini/io/proto.py)."""
    from ..framework import messages
    from ..io import proto
    data = record if isinstance(record, (bytes, bytearray)) else str(record).encode("utf-8")
    try:
        example = proto.decode(messages.EXAMPLE, data)
    except proto.ProtoError:
        raise errors.InvalidArgumentError(None, None, "Could not parse example input, value: '%s'"
                                          % _text(data)) from None
    out = {}
    for entry in example.get("features", {}).get("feature", []):
        value = entry.get("value", {})
        kind = next((k for k in ("bytes_list", "float_list", "int64_list") if k in value), None)
        out[entry.get("key", "")] = (kind, value[kind].get("value", []) if kind else [])
    return out


def _parse_example_kernel(xp, serialized, names, sparse_keys, dense_keys, ragged_keys, *dense_defaults, num_sparse,
                          sparse_types, Tdense, dense_shapes, **_):
    """Decode each Example (numpy only) and gather its features' values into the outputs _parse_example_infer
    describes; TF's InvalidArgumentError, with its wording, for a malformed Example, a required feature that is
    absent, a list of another type than declared, or another number of values than the shape holds."""
    single = np.ndim(serialized) == 0
    records = [serialized.item() if hasattr(serialized, "item") else serialized] if single else list(serialized)
    names = [_text(n) for n in np.asarray(names, object).reshape(-1)]
    sparse_keys = [_text(k) for k in np.asarray(sparse_keys, object).reshape(-1)]
    dense_keys = [_text(k) for k in np.asarray(dense_keys, object).reshape(-1)]
    sparse_types = [dtypes.as_dtype(t) for t in sparse_types]
    dense_types = [dtypes.as_dtype(t) for t in Tdense]
    shapes = [tuple(TensorShape(s).as_tuple()) for s in dense_shapes]
    # a FixedLenSequenceFeature's shape starts with None: any number of rows of shape[1:] per example
    variable = [bool(shape) and shape[0] is None for shape in shapes]
    # one row of values per example (a list of each example's values for a variable one), shaped at the end
    dense_out = [[] if var else np.empty((len(records), int(np.prod(shape, dtype=np.int64))),
                                         object if dt == dtypes.string else dt.as_numpy_dtype)
                 for dt, shape, var in zip(dense_types, shapes, variable)]
    sparse_vals = [[] for _ in sparse_keys]

    for i, record in enumerate(records):
        # TF's wording: a batch names the example (its name, else <unknown>) and its index; one example, neither
        where = "" if single else "Name: %s, " % (names[i] if i < len(names) else "<unknown>")
        at = "Key: %s." if single else "Key: %%s, Index: %d." % i
        feats = _example_features(record)
        for d, (key, dt, shape) in enumerate(zip(dense_keys, dense_types, shapes)):
            kind, values = feats.get(key, (None, None))
            if values is None and variable[d]:
                dense_out[d].append([])  # a missing sequence has no rows
                continue
            if values is None:
                default = np.asarray(dense_defaults[d])
                if default.size == 0:
                    raise errors.InvalidArgumentError(
                        None, None, "%sFeature: %s (data type: %s) is required but could not be found."
                        % (where, key, _TYPE_WORD[dt]))
                dense_out[d][i, :] = default.reshape(-1)
                continue
            want = _LIST_OF_TYPE[dt]
            if kind is not None and kind != want:
                raise errors.InvalidArgumentError(
                    None, None, "%s%s  Data types don't match. Data type: %s but expected type: %s"
                    % (where, at % key, _WORD_OF_LIST[kind], _TYPE_WORD[dt]))
            if variable[d]:
                stride = int(np.prod(shape[1:], dtype=np.int64))
                if stride and len(values) % stride:
                    if single:
                        raise errors.InvalidArgumentError(
                            None, None, "Error while parsing feature with key %s: number of elements should be "
                            "divisible by %d, found %d instead" % (key, stride, len(values)))
                    raise errors.InvalidArgumentError(
                        None, None, "%s%s  Number of %s values is not a multiple of stride length. Saw %d values "
                        "but output shape is: %s" % (where, at % key, _COUNT_WORD[want], len(values),
                                                     _shape_text(["?" if x is None else x for x in shape])))
                dense_out[d].append(values)
                continue
            n = int(np.prod(shape, dtype=np.int64))
            if len(values) != n:
                if single:
                    why = ("Parsing bytes_list failed." if want == "bytes_list" and len(values) > n
                           else "Some %s slice was not parsed." % want)
                    raise errors.InvalidArgumentError(None, None, "%s  Can't parse serialized Example: %s"
                                                      % (at % key, why))
                if want == "bytes_list" and len(values) > n:
                    raise errors.InvalidArgumentError(None, None, "%s%s  Can't parse serialized Example."
                                                      % (where, at % key))
                raise errors.InvalidArgumentError(
                    None, None, "%s%s  Number of %s values != expected.  Values size: %d but output shape: %s"
                    % (where, at % key, _COUNT_WORD[want], len(values), _shape_text(shape)))
            dense_out[d][i, :] = list(values) if dt == dtypes.string else values
        for s, (key, dt) in enumerate(zip(sparse_keys, sparse_types)):
            kind, values = feats.get(key, (None, []))
            want = _LIST_OF_TYPE[dt]
            if kind is not None and kind != want:
                raise errors.InvalidArgumentError(
                    None, None, "%s%s  Data types don't match. Expected type: %s, Actual type: %s"
                    % (where, at % key, _TYPE_WORD[dt], _WORD_OF_LIST[kind]))
            sparse_vals[s].append(values)

    indices, values, dense_shapes_out = [], [], []
    for per_example, dt in zip(sparse_vals, sparse_types):
        counts = [len(v) for v in per_example]
        total = sum(counts)
        if dt == dtypes.string:
            vals = np.empty(total, object)
            vals[:] = [x for v in per_example for x in v]
        else:
            vals = (np.concatenate([np.asarray(v, dt.as_numpy_dtype) for v in per_example]) if total
                    else np.zeros(0, dt.as_numpy_dtype)).astype(dt.as_numpy_dtype, copy=False)
        positions = np.concatenate([np.arange(c, dtype=np.int64) for c in counts]) if total else np.zeros(0, np.int64)
        longest = max(counts) if counts else 0
        if single:
            indices.append(positions.reshape(-1, 1))
            dense_shapes_out.append(np.array([longest], np.int64))
        else:
            rows = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
            indices.append(np.stack([rows, positions], axis=1).reshape(-1, 2))
            dense_shapes_out.append(np.array([len(counts), longest], np.int64))
        values.append(vals)
    for d, (dt, shape) in enumerate(zip(dense_types, shapes)):
        if variable[d]:
            dense_out[d] = _pad_rows(dense_out[d], dt, shape[1:], dense_defaults[d])
    dense_out = [o.reshape(o.shape[1:] if single else o.shape) if var else
                 o.reshape(shape if single else (len(records),) + shape)
                 for o, shape, var in zip(dense_out, shapes, variable)]
    outs = indices + values + dense_shapes_out + dense_out
    return outs[0] if len(outs) == 1 else tuple(outs)  # a one-output op's kernel returns the array itself


def _pad_rows(per_example, dt, row_shape, padding):
    """[batch, most rows] + row_shape: each example's values as rows, the rest `padding`."""
    stride = int(np.prod(row_shape, dtype=np.int64))
    rows = [len(v) // stride if stride else 0 for v in per_example]
    longest = max(rows) if rows else 0
    out = np.empty((len(per_example), longest * stride), object if dt == dtypes.string else dt.as_numpy_dtype)
    out[...] = np.asarray(padding, object if dt == dtypes.string else None).reshape(())
    for i, v in enumerate(per_example):
        out[i, :len(v)] = list(v) if dt == dtypes.string else v
    return out.reshape((len(per_example), longest) + tuple(row_shape))


register_op("ParseExampleV2", infer=_parse_example_infer, kernel=_parse_example_kernel, grad=NOT_DIFFERENTIABLE,
            host_only=True)


def _dense_default(key, feature, dtype):
    """TF's default tensor of a dense feature: an empty constant (the feature is required) or the default
    value, named key_<key>, reshaped to the feature's shape."""
    from . import array_ops
    from .constant_op import constant
    safe_key = re.sub("[^A-Za-z0-9_.\\-/]", "_", key)
    if isinstance(feature, FixedLenSequenceFeature):  # the padding value, a scalar
        if feature.default_value is None:
            return convert_to_tensor("" if dtype == dtypes.string else 0, dtype=dtype)
        padding = convert_to_tensor(feature.default_value, dtype=dtype, name="padding_" + safe_key)
        return array_ops.reshape(padding, [])
    if feature.default_value is None:
        return constant([], dtype=dtype)
    value = convert_to_tensor(feature.default_value, dtype=dtype, name="key_" + safe_key)
    return array_ops.reshape(value, list(feature.shape))


def _string_const(values, name):
    from .constant_op import constant
    return constant(np.array(list(values), dtype=object).reshape(len(values)), dtype=dtypes.string, name=name)


def parse_example(serialized, features, name=None, example_names=None):
    """Parse a batch of serialized tf.train.Example protos (a string vector) into a dict {key: tensor}: a
    FixedLenFeature gives a dense [batch] + shape tensor, a VarLenFeature a SparseTensor, a
    FixedLenSequenceFeature a dense [batch, most rows] + shape tensor (padded). example_names: a name per
    example, for the error messages.

    >>> feats = tf.parse_example(serialized, {"image": tf.FixedLenFeature([], tf.string),
    ...                                       "label": tf.FixedLenFeature([], tf.int64)})
    >>> feats["label"]   # int64 [batch]

    Errors (at run time, InvalidArgumentError, TF's wording): a required feature missing, a feature of another
    type than declared, a FixedLenFeature with another number of values than its shape holds.
    """
    if not features:
        raise ValueError("Argument `features` cannot be None or falsy. Got %s" % (features,))
    if any(isinstance(f, FixedLenSequenceFeature) and not f.allow_missing for f in features.values()):
        raise ValueError("Unsupported: FixedLenSequenceFeature requires allow_missing to be True.")
    sparse, dense = [], []
    for key in sorted(features):  # TF sorts the keys: the op's outputs come in that order
        feature = features[key]
        if isinstance(feature, VarLenFeature):
            if not feature.dtype:
                raise ValueError("Missing type for feature %s. Received feature=%s" % (key, feature))
            sparse.append((key, feature))
        elif isinstance(feature, (FixedLenFeature, FixedLenSequenceFeature)):
            if not feature.dtype:
                raise ValueError("Missing type for feature %s. Received feature=%s" % (key, feature))
            if feature.shape is None:
                raise ValueError("Missing shape for feature %s. Received feature=%s." % (key, feature))
            dense.append((key, feature))
        else:
            raise ValueError("Unsupported %s %s for key '%s'" % (type(feature).__name__, feature, key))
    sparse_types = [_check_example_type("sparse_types", f.dtype) for _, f in sparse]
    dense_types = [_check_example_type("dense_defaults", f.dtype) for _, f in dense]
    dense_shapes = [TensorShape(([None] if isinstance(f, FixedLenSequenceFeature) else []) + list(f.shape))
                    for _, f in dense]
    for (key, f), shape in zip(dense, dense_shapes):
        if isinstance(f, FixedLenFeature) and shape.ndims and shape.as_tuple()[0] is None:
            raise ValueError("First dimension of shape for feature %s unknown. Consider using "
                             "FixedLenSequenceFeature. Received feature=%s." % (key, f))
        if isinstance(f, FixedLenFeature) and not shape.is_fully_defined():
            raise ValueError("All dimensions of shape for feature %s need to be known but received %s."
                             % (key, shape))
    with name_scope(name, "ParseExample", [serialized, example_names]):
        serialized = convert_one("ParseExampleV2", "serialized", serialized, dtype=dtypes.string)
        defaults = [_dense_default(key, f, dt) for (key, f), dt in zip(dense, dense_types)]
        with name_scope(None, "ParseExampleV2") as scope:
            names = _string_const(example_names if example_names is not None else [], "names")
            inputs = [serialized, names, _string_const([k for k, _ in sparse], "sparse_keys"),
                      _string_const([k for k, _ in dense], "dense_keys"), _string_const([], "ragged_keys")]
            attrs = {"Tdense": dense_types, "num_sparse": len(sparse), "sparse_types": sparse_types,
                     "ragged_value_types": [], "ragged_split_types": [], "dense_shapes": dense_shapes}
            out = make_op("ParseExampleV2", inputs + defaults, attrs, name=scope)
    out = out if isinstance(out, list) else [out]
    n = len(sparse)
    from ..framework.sparse_tensor import SparseTensor
    result = {}
    for j, (key, _) in enumerate(sparse):
        result[key] = SparseTensor(out[j], out[n + j], out[2 * n + j])
    for j, (key, _) in enumerate(dense):
        result[key] = out[3 * n + j]
    return result


def parse_single_example(serialized, features, name=None, example_names=None):
    """Parse one serialized tf.train.Example (a string scalar) into a dict {key: tensor}: a FixedLenFeature
    gives a dense tensor of its shape, a VarLenFeature a 1-D SparseTensor. The usual map function of a
    TFRecord pipeline:

    >>> def parse(record):
    ...     feats = tf.parse_single_example(record, {"image": tf.FixedLenFeature([], tf.string),
    ...                                              "label": tf.FixedLenFeature([], tf.int64)})
    ...     return tf.decode_raw(feats["image"], tf.uint8), feats["label"]
    """
    if not features:
        raise ValueError("Invalid argument: features cannot be empty.")
    with name_scope(name, "ParseSingleExample", [serialized, example_names]):
        return parse_example(serialized, features, example_names=example_names)


# =========================================================================== DecodeRaw
_RAW_TYPES = {dtypes.float16: "half", dtypes.float32: "float", dtypes.float64: "double", dtypes.int32: "int32",
              dtypes.uint16: "uint16", dtypes.uint8: "uint8", dtypes.int16: "int16", dtypes.int8: "int8",
              dtypes.int64: "int64", dtypes.bool: "bool", dtypes.complex64: "complex64",
              dtypes.complex128: "complex128"}  # and TF's bfloat16, which tfmini lacks


def _decode_raw_infer(input_bytes, *, out_type, **_):
    if input_bytes.shape.ndims is None:
        return dtypes.as_dtype(out_type), TensorShape(None)
    return dtypes.as_dtype(out_type), TensorShape(input_bytes.shape.as_tuple() + (None,))


def _decode_raw_kernel(xp, input_bytes, *, out_type, little_endian=True, **_):
    """Each string's bytes as numbers of `out_type`: shape input.shape + [length / itemsize]; every string of
    the input must have the same length."""
    dt = dtypes.as_dtype(out_type)
    arr = np.asarray(input_bytes, object)
    flat = [b if isinstance(b, (bytes, bytearray)) else str(b).encode("utf-8") for b in arr.reshape(-1)]
    width = np.dtype(dt.as_numpy_dtype).itemsize
    if not flat:
        return np.zeros(arr.shape + (0,), dt.as_numpy_dtype)
    size = len(flat[0])
    if size % width:
        raise errors.InvalidArgumentError(None, None, "Input to DecodeRaw has length %d that is not a multiple of %d, "
                                          "the size of %s" % (size, width, _RAW_TYPES[dt]))
    for i, b in enumerate(flat):
        if len(b) != size:
            raise errors.InvalidArgumentError(None, None, "DecodeRaw requires input strings to all be the same size, "
                                              "but element %d has size %d != %d" % (i, size, len(b)))
    wire = np.dtype(dt.as_numpy_dtype).newbyteorder("<" if little_endian else ">")
    out = np.frombuffer(b"".join(flat), wire).astype(dt.as_numpy_dtype)  # copy: native order, writable
    return out.reshape(arr.shape + (size // width,))


register_op("DecodeRaw", infer=_decode_raw_infer, kernel=_decode_raw_kernel, grad=NOT_DIFFERENTIABLE, host_only=True)


def decode_raw(input_bytes=None, out_type=None, little_endian=True, name=None, bytes=None):  # noqa: A002 - TF's
    """The bytes of each string of `input_bytes` read as numbers of `out_type` (uint8, int16, int32, int64, float32,
    float64, ...): shape input.shape + [length / itemsize]. little_endian: the byte order of the data.

    >>> img = tf.decode_raw(feats["image"], tf.uint8)   # the bytes of img.tobytes() again, flat
    >>> img = tf.reshape(img, [28, 28])
    """
    if input_bytes is None:
        input_bytes = bytes
    if out_type is None:
        raise TypeError("decode_raw() missing required argument: 'out_type'")
    dt = dtypes.as_dtype(out_type).base_dtype
    if dt not in _RAW_TYPES:
        raise TypeError("Value passed to parameter 'out_type' has DataType %s not in list of allowed values: "
                        "float16, float32, float64, int32, uint16, uint8, int16, int8, int64, complex64, complex128, "
                        "bool, bfloat16" % dt.name)
    with name_scope(name, "DecodeRaw", [input_bytes]) as scope:
        x = convert_one("DecodeRaw", "bytes", input_bytes, dtype=dtypes.string)
        return make_op("DecodeRaw", [x], {"out_type": dt, "little_endian": bool(little_endian)}, name=scope)
