"""Parsing ops: DecodeCSV (tf.decode_csv, tf.io.decode_csv), which splits CSV records into typed columns."""
import numpy as np

from ..framework import dtypes, errors
from ..framework.op_def_library import convert_one, make_op
from ..framework.op_registry import NOT_DIFFERENTIABLE, InferenceError, register_op
from ..framework.ops import convert_to_tensor, name_scope

__all__ = ["decode_csv"]

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
