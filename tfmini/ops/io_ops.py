"""Checkpoint ops: SaveV2 writes tensors to a V2 checkpoint, RestoreV2 reads them back (V2 or V1); and the file
readers of TF1's input pipelines (TextLineReaderV2, WholeFileReaderV2, FixedLengthRecordReaderV2, TFRecordReaderV2,
ReaderReadV2) with the file formats they read, ReadFile and MatchingFiles.

These are what `tf.train.Saver` puts in the graph (`save/SaveV2`, `save/RestoreV2`), so saving is
`sess.run(saver_def.save_tensor_name, {filename: path})`, as in TensorFlow. The file formats live
in tfmini/io/.
"""
import numpy as np

from ..framework import dtypes as _dtypes
from ..framework import errors
from ..framework.op_def_library import convert_one, make_op
from ..framework.op_registry import NOT_DIFFERENTIABLE, InferenceError, register_op
from ..framework.ops import convert_to_tensor, name_scope
from ..framework.tensor_shape import TensorShape
from ..io import tensor_bundle, tf_record

__all__ = ["save_v2", "restore_v2", "ReaderBase", "TextLineReader", "WholeFileReader", "FixedLengthRecordReader",
           "TFRecordReader", "read_file", "matching_files", "text_lines", "fixed_length_records",
           "tf_records", "tf_record_file"]

def _check_rank(t, rank, op_type, what):
    ndims = t.shape.ndims
    if ndims is not None and ndims != rank:
        raise InferenceError("Shape must be rank %d but is rank %d for %s of %s" % (rank, ndims, what, op_type))


def _check_count(t, n):
    dims = t.shape.as_tuple()
    if dims and dims[0] is not None and dims[0] != n:
        raise InferenceError("Dimension must be %d but is %d" % (n, dims[0]))


def _host(a):
    """A host numpy array of a kernel input (files are written from host memory)."""
    get = getattr(a, "get", None)
    return np.asarray(get() if get is not None and not isinstance(a, np.ndarray) else a)


def _as_text(v):
    v = v.item() if isinstance(v, np.ndarray) else v
    return v.decode("utf-8", "surrogateescape") if isinstance(v, bytes) else str(v)


def _scalar_prefix(prefix, op_type):
    p = _host(prefix)
    if p.size != 1:
        raise errors.InvalidArgumentError(None, None, "Input prefix should have a single element, got %d." % p.size)
    return _as_text(p.reshape(-1)[0])


def _check_inputs(op_type, names, slices):
    names, slices = _host(names).reshape(-1), _host(slices).reshape(-1)
    if names.size != slices.size:
        raise errors.InvalidArgumentError(None, None, "tensor_names and shape_and_slices must have the same number of "
                                          "elements: %d vs. %d" % (names.size, slices.size))
    for s in slices:
        if _as_text(s):
            raise errors.UnimplementedError(None, None, "%s with a non-empty shape_and_slices (%r): tfmini saves and "
                                            "restores whole tensors only" % (op_type, _as_text(s)))
    return [_as_text(n) for n in names]


# =========================================================================== SaveV2
def _save_v2_infer(prefix, tensor_names, shape_and_slices, *tensors, dtypes):
    _check_rank(prefix, 0, "SaveV2", "'prefix'")
    for t, what in ((tensor_names, "'tensor_names'"), (shape_and_slices, "'shape_and_slices'")):
        _check_rank(t, 1, "SaveV2", what)
        _check_count(t, len(tensors))
    return []


def _save_v2_kernel(xp, prefix, tensor_names, shape_and_slices, *tensors, dtypes):
    path = _scalar_prefix(prefix, "SaveV2")
    names = _check_inputs("SaveV2", tensor_names, shape_and_slices)
    if len(names) != len(tensors):
        raise errors.InvalidArgumentError(None, None, "Got %d tensor names but %d tensors."
                                          % (len(names), len(tensors)))
    tensor_bundle.write_bundle(path, [(n, _host(t)) for n, t in zip(names, tensors)])


register_op("SaveV2", infer=_save_v2_infer, kernel=_save_v2_kernel, grad=NOT_DIFFERENTIABLE, stateful=True)


def _string_input(param, value):
    return convert_one("SaveV2", param, value, dtype=_dtypes.string)


def save_v2(prefix, tensor_names, shape_and_slices, tensors, name=None):
    """The op that writes `tensors` under `tensor_names` to the V2 checkpoint at `prefix`.

    prefix: a string scalar; tensor_names, shape_and_slices: N strings (slices must be "");
    tensors: N tensors (a variable's ref tensor is read when the op runs). Returns the Operation.
    """
    tensors = list(tensors)
    with name_scope(name, "SaveV2", [prefix] + tensors) as scope:
        prefix = _string_input("prefix", prefix)
        tensor_names = _string_input("tensor_names", list(tensor_names))
        shape_and_slices = _string_input("shape_and_slices", list(shape_and_slices))
        tensors = [convert_to_tensor(t, as_ref=True) for t in tensors]  # a variable is read when SaveV2 runs
        return make_op("SaveV2", [prefix, tensor_names, shape_and_slices] + tensors,
                       {"dtypes": [t.dtype.base_dtype for t in tensors]}, name=scope)


# =========================================================================== RestoreV2
def _restore_v2_infer(prefix, tensor_names, shape_and_slices, *, dtypes):
    _check_rank(prefix, 0, "RestoreV2", "'prefix'")
    for t, what in ((tensor_names, "'tensor_names'"), (shape_and_slices, "'shape_and_slices'")):
        _check_rank(t, 1, "RestoreV2", what)
        _check_count(t, len(dtypes))
    return [(dt, TensorShape(None)) for dt in dtypes]


def _restore_v2_kernel(xp, prefix, tensor_names, shape_and_slices, *, dtypes):
    path = _scalar_prefix(prefix, "RestoreV2")
    names = _check_inputs("RestoreV2", tensor_names, shape_and_slices)
    if len(names) != len(dtypes):
        raise errors.InvalidArgumentError(None, None, "Got %d tensor names but %d dtypes." % (len(names), len(dtypes)))
    reader = tensor_bundle.open_checkpoint(path)
    out = []
    for name, want in zip(names, dtypes):
        if not reader.has(name):
            raise errors.NotFoundError(None, None, "Key %s not found in checkpoint" % name)
        got = reader.dtype(name)
        if got != want:
            raise errors.InvalidArgumentError(None, None, "tensor_name = %s; expected dtype %s does not equal "
                                              "restored dtype %s" % (name, _dtypes.type_string(want),
                                                                     _dtypes.type_string(got)))
        out.append(xp.asarray(reader.read(name)))
    return out[0] if len(out) == 1 else tuple(out)


register_op("RestoreV2", infer=_restore_v2_infer, kernel=_restore_v2_kernel, grad=NOT_DIFFERENTIABLE, stateful=True)


def restore_v2(prefix, tensor_names, shape_and_slices, dtypes, name=None):
    """The op that reads `tensor_names` from the checkpoint at `prefix` (V2, or a V1 file).

    Returns one tensor per name, of the given `dtypes`, with unknown static shape (the shape is
    the file's). NotFoundError when a name is missing; InvalidArgumentError for a dtype mismatch.
    """
    dtype_list = [_dtypes.as_dtype(d).base_dtype for d in dtypes]
    with name_scope(name, "RestoreV2", [prefix]) as scope:
        prefix = _string_input("prefix", prefix)
        tensor_names = _string_input("tensor_names", list(tensor_names))
        shape_and_slices = _string_input("shape_and_slices", list(shape_and_slices))
        out = make_op("RestoreV2", [prefix, tensor_names, shape_and_slices], {"dtypes": dtype_list}, name=scope)
        return out if isinstance(out, list) else [out]



# =========================================================================== readers (TF1's input pipelines), ReadFile
# A reader op (TextLineReaderV2, WholeFileReaderV2) outputs a `resource`: the session's `_Reader` for that op (which
# file it reads and where it is). ReaderReadV2 takes the next record, dequeuing the next file name from a queue when
# the current file is done; the queue's OutOfRangeError (closed and empty) ends the reading.
import threading as _threading  # noqa: E402 - the readers' own needs


_file_bytes = tf_record.file_bytes  # a reader's whole file, with TF's errors


class _Reader:
    """One reader of one session: the records of the current file still to read. `load(name)` gives a file's
    records, in order: (key, value) pairs, and maybe at the end the error that stopped the reading of it (a TF
    error, raised when the reader reaches it: TFRecord's DataLossError after the good records before it)."""

    def __init__(self, load):
        self.load = load
        self.records = []  # (key, value) pairs (or an error) of the current file, in reverse order (pop from the end)
        self.lock = _threading.Lock()
        self.produced = 0

    def _next(self, queue):
        while not self.records:
            name = queue.dequeue(1, False)[0]
            name = name.item() if hasattr(name, "item") else name
            self.records = self.load(name.decode() if isinstance(name, bytes) else str(name))[::-1]
        record = self.records.pop()
        if isinstance(record, errors.OpError):
            raise record
        self.produced += 1
        return record

    def read(self, queue):
        with self.lock:  # threads reading at once take different records
            return self._next(queue)

    def read_up_to(self, queue, n):
        """Up to `n` records of one file: fewer where the file ends (as TF's readers); OutOfRangeError at the end
        of the input. A file's error comes in the next call, after the records before it."""
        with self.lock:
            out = [self._next(queue)]
            while len(out) < n and self.records and not isinstance(self.records[-1], errors.OpError):
                out.append(self._next(queue))
        return out

    def reset(self):
        with self.lock:
            self.records, self.produced = [], 0


# ---- the file formats (the tf.data datasets of ops/dataset_ops.py read files with these too)
def text_lines(data):
    """The lines of a text file's bytes: split at b"\\n" (a final newline starts no line), a b"\\r" before it
    dropped."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()  # a final newline ends the last line; it starts none
    return [line[:-1] if line.endswith(b"\r") else line for line in lines]


def fixed_length_records(data, record_bytes, header_bytes=0, footer_bytes=0, hop_bytes=0):
    """The records of a file of fixed-length records (TF's FixedLengthRecordReader): `record_bytes` each, after
    `header_bytes` and before `footer_bytes`; record k starts at k * `hop_bytes` of the body (0: k * record_bytes, no
    overlap). A last part shorter than a record is dropped, as TF's reader does."""
    body = data[header_bytes:max(header_bytes, len(data) - footer_bytes)]
    step = hop_bytes or record_bytes
    if record_bytes <= 0 or step <= 0:
        return []
    return [body[i:i + record_bytes] for i in range(0, len(body) - record_bytes + 1, step)]


def tf_records(data):
    """[(offset, record) ..., maybe a DataLossError]: the records of a TFRecord file's (inflated) bytes, their CRCs
    checked by tfmini/io/records.py (the one reader of TFRecord framing). Its error (TF's wording, with the byte
    offset: "corrupted record at 49") ends the list, after the good records before it."""
    import io
    from ..io import records
    out, offset = [], 0
    it = records.iter_records(io.BytesIO(data))
    while True:
        try:
            record = next(it)
        except StopIteration:
            return out
        except errors.DataLossError as e:
            return out + [e]
        out.append((offset, record))
        offset += records.HEADER_BYTES + len(record) + records.FOOTER_BYTES


def _text_line_loader(skip_header_lines):
    def load(name):
        return [(("%s:%d" % (name, i + 1)).encode(), line)
                for i, line in enumerate(text_lines(_file_bytes(name))) if i >= skip_header_lines]
    return load


def _whole_file_load(name):
    return [(name.encode(), _file_bytes(name))]


def _fixed_length_loader(record_bytes, header_bytes, footer_bytes, hop_bytes, encoding):
    def load(name):
        data = tf_record.decompress(_file_bytes(name), encoding)
        records = fixed_length_records(data, record_bytes, header_bytes, footer_bytes, hop_bytes)
        return [(("%s:%d" % (name, i)).encode(), r) for i, r in enumerate(records)]
    return load


def tf_record_file(name, compression_type):
    """The records of the TFRecord file `name`: [(offset, record) ..., maybe the DataLossError that ends them] (a
    damaged record, or compressed data that does not inflate)."""
    try:
        data = tf_record.decompress(_file_bytes(name), compression_type)
    except errors.DataLossError as e:
        return [e]
    return tf_records(data)


def _tf_record_loader(compression_type):
    def load(name):
        return [r if isinstance(r, errors.OpError) else (("%s:%d" % (name, r[0])).encode(), r[1])
                for r in tf_record_file(name, compression_type)]
    return load


def _reader_infer(**attrs):
    return [(_dtypes.resource, TensorShape([]))]


def _text_line_reader_kernel(ctx, xp, *, skip_header_lines=0, **attrs):
    return ctx.state.resource(("reader", ctx.op), lambda: _Reader(_text_line_loader(skip_header_lines)))


def _whole_file_reader_kernel(ctx, xp, **attrs):
    return ctx.state.resource(("reader", ctx.op), lambda: _Reader(_whole_file_load))


def _fixed_length_record_reader_kernel(ctx, xp, *, record_bytes, header_bytes=0, footer_bytes=0, hop_bytes=0,
                                       encoding="", **attrs):
    return ctx.state.resource(("reader", ctx.op), lambda: _Reader(_fixed_length_loader(
        record_bytes, header_bytes, footer_bytes, hop_bytes, _as_text(encoding))))


def _tf_record_reader_kernel(ctx, xp, *, compression_type="", **attrs):
    return ctx.state.resource(("reader", ctx.op), lambda: _Reader(_tf_record_loader(_as_text(compression_type))))


def _reader_read_infer(reader_handle, queue_handle):
    return [(_dtypes.string, TensorShape([])), (_dtypes.string, TensorShape([]))]


def _reader_read_kernel(xp, reader_handle, queue_handle):
    key, value = reader_handle.read(queue_handle)
    return np.array(key, dtype=object), np.array(value, dtype=object)


def _reader_read_up_to_infer(reader_handle, queue_handle, num_records):
    _check_rank(num_records, 0, "ReaderReadUpToV2", "'num_records'")
    return [(_dtypes.string, TensorShape([None])), (_dtypes.string, TensorShape([None]))]


def _reader_read_up_to_kernel(xp, reader_handle, queue_handle, num_records):
    n = int(num_records)
    if n <= 0:
        raise errors.InvalidArgumentError(None, None, "num_records must be positive, got %d" % n)
    records = reader_handle.read_up_to(queue_handle, n)
    return (np.array([k for k, _ in records], dtype=object).reshape(-1),
            np.array([v for _, v in records], dtype=object).reshape(-1))


def _num_records_infer(reader_handle):
    return _dtypes.int64, TensorShape([])


def _num_records_kernel(xp, reader_handle):
    return np.array(reader_handle.produced, np.int64)


def _reader_reset_infer(reader_handle):
    return []


def _reader_reset_kernel(xp, reader_handle):
    reader_handle.reset()


_READER_KW = dict(grad=NOT_DIFFERENTIABLE, stateful=True, host_only=True)
register_op("ReaderReadUpToV2", infer=_reader_read_up_to_infer, kernel=_reader_read_up_to_kernel, **_READER_KW)
register_op("ReaderNumRecordsProducedV2", infer=_num_records_infer, kernel=_num_records_kernel, **_READER_KW)
register_op("ReaderResetV2", infer=_reader_reset_infer, kernel=_reader_reset_kernel, **_READER_KW)
register_op("TextLineReaderV2", infer=_reader_infer, kernel=_text_line_reader_kernel, needs_ctx=True,
            session_constant=True, **_READER_KW)
register_op("WholeFileReaderV2", infer=_reader_infer, kernel=_whole_file_reader_kernel, needs_ctx=True,
            session_constant=True, **_READER_KW)
register_op("FixedLengthRecordReaderV2", infer=_reader_infer, kernel=_fixed_length_record_reader_kernel,
            needs_ctx=True, session_constant=True, **_READER_KW)
register_op("TFRecordReaderV2", infer=_reader_infer, kernel=_tf_record_reader_kernel, needs_ctx=True,
            session_constant=True, **_READER_KW)
register_op("ReaderReadV2", infer=_reader_read_infer, kernel=_reader_read_kernel, **_READER_KW)


class ReaderBase:
    """A reader of records from files whose names come from a queue (TF1's input pipelines)."""

    def __init__(self, reader_ref):
        self._reader_ref = reader_ref

    @property
    def reader_ref(self):
        return self._reader_ref

    def read(self, queue, name=None):
        """(key, value): the next record, as string scalars; when the current file is done the reader dequeues
        the next file name from `queue` (a QueueBase or its queue_ref)."""
        queue_ref = queue.queue_ref if hasattr(queue, "queue_ref") else queue
        with name_scope(name, "ReaderReadV2", [self._reader_ref, queue_ref]) as scope:
            return tuple(make_op("ReaderReadV2", [self._reader_ref, queue_ref], {}, name=scope))

    def read_up_to(self, queue, num_records, name=None):
        """(keys, values): up to `num_records` records (1-D string tensors); fewer at the end of the input."""
        queue_ref = queue.queue_ref if hasattr(queue, "queue_ref") else queue
        with name_scope(name, "ReaderReadUpToV2", [self._reader_ref, queue_ref, num_records]) as scope:
            n = convert_one("ReaderReadUpToV2", "num_records", num_records, dtype=_dtypes.int64)
            return tuple(make_op("ReaderReadUpToV2", [self._reader_ref, queue_ref, n], {}, name=scope))

    def num_records_produced(self, name=None):
        """The number of records this reader has produced (int64 scalar)."""
        with name_scope(name, "ReaderNumRecordsProducedV2", [self._reader_ref]) as scope:
            return make_op("ReaderNumRecordsProducedV2", [self._reader_ref], {}, name=scope)

    def reset(self, name=None):
        """The op that starts the reader over (no current file, no records produced)."""
        with name_scope(name, "ReaderResetV2", [self._reader_ref]) as scope:
            return make_op("ReaderResetV2", [self._reader_ref], {}, name=scope)

    @property
    def supports_serialize(self):
        return False


def _reader_op(op_type, attrs, name):
    from ..framework.op_def_library import op_graph
    return op_graph([]).create_op(op_type, [], attrs, name=name or op_type)._outputs[0]


class TextLineReader(ReaderBase):
    """A reader whose records are the lines of its files (without the newline): key b"<file>:<line number>",
    value the line. `skip_header_lines` lines are skipped at the start of each file."""

    def __init__(self, skip_header_lines=None, name=None):
        super().__init__(_reader_op("TextLineReaderV2", {"skip_header_lines": int(skip_header_lines or 0),
                                                         "container": "", "shared_name": ""}, name))


class FixedLengthRecordReader(ReaderBase):
    """A reader of files of fixed-length records (CIFAR-10's binary files): each record is `record_bytes` bytes,
    after `header_bytes` at the start of each file and before `footer_bytes` at its end; with `hop_bytes`, record k
    starts k * hop_bytes into the body (records may overlap). Key b"<file>:<record number>" (from 0), value the
    record's bytes. A last part of a file's body shorter than a record is dropped. `encoding`: "", "GZIP", "ZLIB".

    >>> reader = tf.FixedLengthRecordReader(record_bytes=1 + 32 * 32 * 3)   # CIFAR-10: label byte, then the image
    >>> key, value = reader.read(filename_queue)
    """

    def __init__(self, record_bytes, header_bytes=None, footer_bytes=None, hop_bytes=None, name=None, encoding=None):
        attrs = {"header_bytes": int(header_bytes or 0), "record_bytes": int(record_bytes),
                 "footer_bytes": int(footer_bytes or 0), "hop_bytes": int(hop_bytes or 0), "container": "",
                 "shared_name": "", "encoding": encoding or ""}
        super().__init__(_reader_op("FixedLengthRecordReaderV2", attrs, name))


class TFRecordReader(ReaderBase):
    """A reader of TFRecord files (what tf.io.TFRecordWriter writes): key b"<file>:<byte offset of the record>",
    value the record. `options`: None, "GZIP", "ZLIB", or a tf.io.TFRecordOptions. A record whose CRC does not
    match ends its file with DataLossError ("corrupted record at <offset>").

    >>> key, serialized_example = tf.TFRecordReader().read(filename_queue)
    """

    def __init__(self, name=None, options=None):
        compression_type = tf_record.compression_type_string(options)
        super().__init__(_reader_op("TFRecordReaderV2", {"container": "", "shared_name": "",
                                                         "compression_type": compression_type}, name))


class WholeFileReader(ReaderBase):
    """A reader whose one record per file is the whole file: key the file name, value its contents."""

    def __init__(self, name=None):
        super().__init__(_reader_op("WholeFileReaderV2", {"container": "", "shared_name": ""}, name))


def _read_file_infer(filename):
    _check_rank(filename, 0, "ReadFile", "'filename'")
    return _dtypes.string, TensorShape([])


def _read_file_kernel(xp, filename):
    return np.array(_file_bytes(_scalar_prefix(filename, "ReadFile")), dtype=object)


# stateful: a file may change between runs (so a plan never folds it)
register_op("ReadFile", infer=_read_file_infer, kernel=_read_file_kernel, grad=NOT_DIFFERENTIABLE, stateful=True,
            host_only=True)


def read_file(filename, name=None):
    """The contents of the file `filename` (a string scalar) as a string scalar; NotFoundError if it is missing.

    >>> tf.read_file('data.csv')   # b'1,2\\n3,4\\n'
    """
    with name_scope(name, "ReadFile", [filename]) as scope:
        filename = convert_one("ReadFile", "filename", filename, dtype=_dtypes.string)
        return make_op("ReadFile", [filename], {}, name=scope)


# =========================================================================== MatchingFiles
def _matching_files_infer(pattern):
    if pattern.shape.ndims is not None and pattern.shape.ndims > 1:
        raise InferenceError("Shape must be at most rank 1 but is rank %d" % pattern.shape.ndims)
    return _dtypes.string, TensorShape([None])


def _matching_files_kernel(xp, pattern):
    import glob
    found = set()
    for p in _host(pattern).reshape(-1):
        found.update(glob.glob(_as_text(p)))
    return np.array([f.encode() for f in sorted(found)], dtype=object).reshape(-1)


# stateful: the files on disk change between runs
register_op("MatchingFiles", infer=_matching_files_infer, kernel=_matching_files_kernel, grad=NOT_DIFFERENTIABLE,
            stateful=True, host_only=True)


def matching_files(pattern, name=None):
    """The sorted names of the files that match the glob `pattern` (a string, or a 1-D tensor of them)."""
    with name_scope(name, "MatchingFiles", [pattern]) as scope:
        pattern = convert_one("MatchingFiles", "pattern", pattern, dtype=_dtypes.string)
        return make_op("MatchingFiles", [pattern], {}, name=scope)
