"""TensorFlow checkpoints on disk: the V2 tensor bundle (written and read) and the V1 format (read).

V2, a *tensor bundle* under a prefix (what `tf.train.Saver` writes since TF 1.0):

- `<prefix>.data-00000-of-00001`: the tensors' bytes back to back, little-endian, no padding;
  a string tensor is its varint64 lengths, a masked CRC32C of the lengths, then the bytes;
- `<prefix>.index`: a table (table.py) whose entry "" is a BundleHeaderProto and whose other
  entries map each tensor name to a BundleEntryProto (dtype, shape, shard, offset, size, and
  the masked CRC32C of the bytes, checked on every read).

V1 (the 2016 slim model-zoo files such as vgg_16.ckpt): one table per file; entry "" is a
SavedTensorSlices holding the table of contents (name, shape, dtype, slices of every tensor);
each slice is stored under an OrderedCode key as a SavedSlice with a TensorProto of values.

`write_bundle` is atomic: both files are written under temporary names, synced, and renamed into
place, so a crash or a full disk mid-save leaves what was there before. Readers raise TensorFlow's
error classes (DataLossError for damaged bytes, NotFoundError for missing files and keys), with
the path and the key, and allocate no more than the checkpoint's own bytes justify.
"""
import errno
import glob
import mmap
import os
import random

import numpy as np

from ..framework import dtypes, errors
from . import crc32c, proto
from .proto import ProtoError
from .table import Table, TableBuilder, TableError

__all__ = ["write_bundle", "BundleReader", "V1Reader", "open_checkpoint", "data_filename", "index_filename",
           "encode_tensor_name_slice", "TENSOR_BUNDLE_VERSION"]

TENSOR_BUNDLE_VERSION = 1      # kTensorBundleVersion
CHECKPOINT_VERSION = 1         # TF_CHECKPOINT_VERSION, for V1 files
_MAX_RANK = 254
_MAX_ELEMENTS = 1 << 62

# TF's DataType names for the enum values tfmini cannot hold
_UNSUPPORTED_DTYPE_NAMES = {0: "DT_INVALID", 11: "DT_QINT8", 12: "DT_QUINT8", 13: "DT_QINT32", 14: "DT_BFLOAT16",
                            15: "DT_QINT16", 16: "DT_QUINT16", 20: "DT_RESOURCE", 21: "DT_VARIANT"}


def data_filename(prefix, shard, num_shards):
    """`<prefix>.data-00000-of-00001`, as tensor_bundle/naming.cc names a data shard."""
    return "%s.data-%05d-of-%05d" % (prefix, shard, num_shards)


def index_filename(prefix):
    return prefix + ".index"


def _dtype_of_enum(enum, what):
    """The tfmini DType of a TF DataType enum read from a file; UnimplementedError/DataLossError otherwise."""
    if enum in _UNSUPPORTED_DTYPE_NAMES:
        raise errors.UnimplementedError(None, None, "%s has dtype %s, which tfmini cannot hold"
                                        % (what, _UNSUPPORTED_DTYPE_NAMES[enum]))
    try:
        dt = dtypes.as_dtype(int(enum))
    except TypeError:
        raise errors.DataLossError(None, None, "%s has an invalid dtype enum %d" % (what, enum)) from None
    if dt.is_ref_dtype:
        raise errors.DataLossError(None, None, "%s has an invalid dtype enum %d" % (what, enum))
    return dt


def _shape_of_proto(shape_proto, what):
    """The dims of a TensorShapeProto read from a file; DataLossError unless it is a valid full shape."""
    if shape_proto.get("unknown_rank"):
        raise errors.DataLossError(None, None, "Invalid tensor shape: %s has unknown rank" % what)
    dims = [d.get("size", 0) for d in shape_proto.get("dim", [])]
    if len(dims) > _MAX_RANK:
        raise errors.DataLossError(None, None, "Invalid tensor shape: %s has rank %d" % (what, len(dims)))
    n = 1
    for d in dims:
        if d < 0:
            raise errors.DataLossError(None, None, "Invalid tensor shape: %s %s" % (what, dims))
        n *= d
        if n > _MAX_ELEMENTS:
            raise errors.DataLossError(None, None, "Invalid tensor shape: %s %s has too many elements" % (what, dims))
    return dims


def _num_elements(dims):
    n = 1
    for d in dims:
        n *= d
    return n


def _check_versions(version, current, min_producer, what):
    """TF's CheckVersions for a VersionDef read from a file."""
    producer = version.get("producer", 0)
    min_consumer = version.get("min_consumer", 0)
    if producer < min_producer:
        raise errors.InvalidArgumentError(None, None, "%s producer version %d below min producer %d supported by "
                                          "TensorFlow %d.  Please regenerate your %s." % (
                                              what, producer, min_producer, current, what.lower()))
    if min_consumer > current:
        raise errors.InvalidArgumentError(None, None, "%s min consumer version %d above current version %d for "
                                          "TensorFlow.  Please upgrade TensorFlow." % (what, min_consumer, current))
    bad = version.get("bad_consumers")
    if bad is not None and current in np.asarray(bad).tolist():
        raise errors.InvalidArgumentError(None, None, "%s disallows consumer version %d.  Please upgrade "
                                          "TensorFlow: this version is likely buggy." % (what, current))


def _os_error(e, path, doing):
    """A TF error for an OSError met while `doing` something with `path`."""
    msg = "%s %s: %s" % (doing, path, e.strerror or e)
    code = e.errno
    if code in (errno.ENOENT, errno.ENOTDIR):
        return errors.NotFoundError(None, None, msg)
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return errors.PermissionDeniedError(None, None, msg)
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return errors.ResourceExhaustedError(None, None, msg)
    if code == errno.EISDIR:
        return errors.FailedPreconditionError(None, None, msg)
    return errors.UnknownError(None, None, msg)


# =========================================================================== OrderedCode (slice keys)
def _write_num_increasing(v):
    body = v.to_bytes((v.bit_length() + 7) // 8, "big") if v else b""
    return bytes([len(body)]) + body


def _escape_ordered(s):
    out = bytearray()
    for b in s:
        if b == 0:
            out += b"\x00\xff"
        elif b == 0xFF:
            out += b"\xff\x00"
        else:
            out.append(b)
    return bytes(out)


_BITS_TO_LENGTH = [1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5,
                   5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7, 7, 8, 8, 8, 8, 8, 8, 8, 9, 9, 9, 9, 9, 9, 9, 10]
_LENGTH_TO_HEADER = [(0, 0), (0x80, 0), (0xC0, 0), (0xE0, 0), (0xF0, 0), (0xF8, 0), (0xFC, 0), (0xFE, 0),
                     (0xFF, 0), (0xFF, 0x80), (0xFF, 0xC0)]


def _write_signed_num_increasing(v):
    x = ~v if v < 0 else v
    if x < 64:
        return bytes([(0x80 ^ v) & 0xFF])
    length = _BITS_TO_LENGTH[x.bit_length()]
    buf = bytearray((v & ((1 << 80) - 1)).to_bytes(10, "big"))  # sign-extended to 10 bytes
    begin = 10 - length
    buf[begin] ^= _LENGTH_TO_HEADER[length][0]
    buf[begin + 1] ^= _LENGTH_TO_HEADER[length][1]
    return bytes(buf[begin:])


def encode_tensor_name_slice(name, extents):
    """The table key of one stored slice (checkpoint::EncodeTensorNameSlice).

    `extents` is one (start, length) per dimension, length -1 for the whole dimension.
    """
    name = _key_bytes(name)
    out = [_write_num_increasing(0), _escape_ordered(name) + b"\x00\x01", _write_num_increasing(len(extents))]
    for start, length in extents:
        out.append(_write_signed_num_increasing(start))
        out.append(_write_signed_num_increasing(length))
    return b"".join(out)


def _slice_extents(slice_proto, dims, what):
    """[(start, length)] of a TensorSliceProto against the full shape `dims`; length -1 is 'all'."""
    extents = slice_proto.get("extent", [])
    if len(extents) != len(dims):
        raise errors.DataLossError(None, None, "%s: a slice of rank %d for a tensor of shape %s"
                                   % (what, len(extents), dims))
    out = []
    for e, d in zip(extents, dims):
        start = e.get("start", 0)
        length = e.get("length", -1)
        if length == -1 and start == 0:
            out.append((0, -1))
            continue
        if start < 0 or length < 0 or start + length > d:
            raise errors.DataLossError(None, None, "%s: slice extent %d:%d is outside dimension %d"
                                       % (what, start, length, d))
        out.append((start, length))
    return out


def _slice_index(extents, dims):
    return tuple(slice(0, d) if length == -1 else slice(start, start + length)
                 for (start, length), d in zip(extents, dims))


def _slice_shape(extents, dims):
    return [d if length == -1 else length for (_, length), d in zip(extents, dims)]


def _assemble(name, dims, dt, pieces, what):
    """The full tensor from [(extents, array)] slices; InvalidArgumentError when they do not cover it."""
    total = _num_elements(dims)
    if len(pieces) == 1 and all(length == -1 for _, length in pieces[0][0]):
        return pieces[0][1].reshape(dims)
    if sum(p[1].size for p in pieces) < total:  # checked before allocating the full tensor
        raise errors.InvalidArgumentError(None, None, "Does not have sufficient slices for partitioned tensor %s "
                                          "to restore in %s" % (name, what))
    out = np.empty(dims, dtype=pieces[0][1].dtype)
    covered = np.zeros(dims, dtype=bool)
    for extents, arr in pieces:
        idx = _slice_index(extents, dims)
        out[idx] = arr.reshape(_slice_shape(extents, dims))
        covered[idx] = True
    if not covered.all():
        raise errors.InvalidArgumentError(None, None, "Does not have sufficient slices for partitioned tensor %s "
                                          "to restore in %s" % (name, what))
    return out


def _key_bytes(key):
    """A tensor name as table key bytes (names round-trip through `_key_str`, even non-UTF-8 ones)."""
    return key if isinstance(key, bytes) else key.encode("utf-8", "surrogateescape")


def _key_str(key):
    return key.decode("utf-8", "surrogateescape")


def _shown(key):
    """A key as messages print it (bytes that are not UTF-8 become U+FFFD, never a lone surrogate)."""
    return _key_bytes(key).decode("utf-8", "replace")


# =========================================================================== V2 writing
def _tensor_bytes(arr):
    """(bytes-like payload, crc32c) of one non-string tensor as TF lays it out (little-endian)."""
    arr = np.asarray(arr)
    if arr.dtype.byteorder == ">":
        arr = arr.astype(arr.dtype.newbyteorder("<"))
    arr = np.ascontiguousarray(arr)
    payload = arr.reshape(-1).view(np.uint8)
    return payload, crc32c.value(payload)


def _string_bytes(arr):
    """(payload, crc32c) of a string tensor: varint64 lengths, masked CRC of the lengths, the bytes."""
    items = [x.encode("utf-8") if isinstance(x, str) else bytes(x) for x in np.asarray(arr, dtype=object).reshape(-1)]
    lengths = b"".join(proto.encode_varint(len(s)) for s in items)
    crc = 0
    for s in items:
        n = len(s)
        crc = crc32c.extend(crc, n.to_bytes(4 if n <= 0xFFFFFFFF else 8, "little"))
    length_crc = crc32c.mask(crc).to_bytes(4, "little")
    crc = crc32c.extend(crc, length_crc)
    body = b"".join(items)
    crc = crc32c.extend(crc, body)
    return lengths + length_crc + body, crc


def _shape_proto(dims):
    return {"dim": [{"size": int(d)} if d else {} for d in dims]}


def _make_dir(directory):
    """Env::CreateDir: fine if it exists; the parent must exist."""
    try:
        os.mkdir(directory)
    except FileExistsError:
        if not os.path.isdir(directory):
            raise errors.FailedPreconditionError(None, None, "%s exists and is not a directory" % directory) from None
    except OSError as e:
        raise _os_error(e, directory, "Failed to create directory") from None


def _fsync_dir(directory):
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_bundle(prefix, tensors):
    """Write the V2 checkpoint `<prefix>.index` + `<prefix>.data-00000-of-00001` of `tensors`,
    a list of (name, numpy array); data is laid out in list order, the index sorted by name.

    Atomic: on any failure (including a full disk) the temporary files are removed, files already
    at the final names are untouched, and a TF error is raised.
    """
    prefix = os.fspath(prefix)
    directory = os.path.dirname(prefix) or "."
    _make_dir(directory)
    final_data = data_filename(prefix, 0, 1)
    final_index = index_filename(prefix)
    tag = ".tempstate%d" % random.getrandbits(63)
    tmp_data, tmp_index = final_data + tag, final_index + tag
    try:
        entries = {}
        offset = 0
        try:
            f = open(tmp_data, "wb")
        except OSError as e:
            raise _os_error(e, tmp_data, "Failed to create a NewWriteableFile:") from None
        with f:
            for name, arr in tensors:
                key = name.encode("utf-8") if isinstance(name, str) else bytes(name)
                if not key:
                    raise errors.InvalidArgumentError(None, None, "A tensor cannot be saved under the empty name: "
                                                      "it is reserved for the checkpoint's header")
                if key in entries:
                    raise errors.InvalidArgumentError(None, None, "Adding duplicate key: %s" % _shown(key))
                arr = np.asarray(arr)
                dt = dtypes.as_dtype(arr.dtype if arr.dtype.kind in "OSU" else arr.dtype.newbyteorder("="))
                if dt == dtypes.string:
                    payload, crc = _string_bytes(arr)
                else:
                    payload, crc = _tensor_bytes(arr)
                f.write(payload)
                size = len(payload) if isinstance(payload, bytes) else payload.size
                entry = {"dtype": dt.as_datatype_enum, "shape": _shape_proto(arr.shape)}
                if offset:
                    entry["offset"] = offset
                if size:
                    entry["size"] = size
                masked = crc32c.mask(crc)
                if masked:
                    entry["crc32c"] = masked
                entries[key] = proto.encode(proto.BUNDLE_ENTRY, entry)
                offset += size
            f.flush()
            os.fsync(f.fileno())
        builder = TableBuilder()
        builder.add(b"", proto.encode(proto.BUNDLE_HEADER, {"num_shards": 1,
                                                            "version": {"producer": TENSOR_BUNDLE_VERSION}}))
        for key in sorted(entries):
            builder.add(key, entries[key])
        with open(tmp_index, "wb") as f:
            f.write(builder.finish())
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp_data, final_data)
        os.replace(tmp_index, final_index)
        _fsync_dir(directory)
    except BaseException as e:
        for p in (tmp_data, tmp_index):
            try:
                os.remove(p)
            except OSError:
                pass
        if isinstance(e, OSError):
            raise _os_error(e, prefix, "Failed to write checkpoint") from None
        raise


# =========================================================================== V2 reading
class BundleReader:
    """A V2 checkpoint opened from its prefix: `keys()`, `dtype(key)`, `shape(key)`, `read(key)`.

    The index is read and checked on opening; tensors are read (and their CRC32C checked) on
    demand.
    """

    def __init__(self, prefix):
        self.prefix = os.fspath(prefix)
        path = index_filename(self.prefix)
        try:
            data = _map_file(path)
        except OSError as e:
            raise _os_error(e, path, "Failed to open checkpoint index") from None
        try:
            table = Table(data)
            items = list(table.items())
        except TableError as e:
            raise errors.DataLossError(None, None, "Unable to read checkpoint index %s: %s" % (path, e)) from None
        if not items or items[0][0] != b"":
            raise errors.DataLossError(None, None, "Unable to read file (%s). Perhaps the file is corrupt or was "
                                       "produced by a newer version of TensorFlow with format changes (failed to "
                                       "seek to header entry)" % path)
        try:
            header = proto.decode(proto.BUNDLE_HEADER, items[0][1])
        except ProtoError as e:
            raise errors.DataLossError(None, None, "Unable to read file (%s). Perhaps the file is corrupt or was "
                                       "produced by a newer version of TensorFlow with format changes (unable to "
                                       "parse header): %s" % (path, e)) from None
        self.num_shards = header.get("num_shards", 0)
        if self.num_shards < 1:
            raise errors.DataLossError(None, None, "Unable to read file (%s): its header claims %d data shards"
                                       % (path, self.num_shards))
        endianness = header.get("endianness", 0)
        if endianness not in (0, 1):
            raise errors.DataLossError(None, None, "Unable to read file (%s): unknown endianness %d"
                                       % (path, endianness))
        self._byteorder = "<" if endianness == 0 else ">"
        _check_versions(header.get("version", {}), TENSOR_BUNDLE_VERSION, 0, "Checkpoint")
        self._path = path
        self._raw = dict(items[1:])  # key bytes -> BundleEntryProto bytes
        self._entries = {}
        self._files = {}  # shard -> open data file, kept for the reader's life (TF keeps its buffers too)

    def close(self):
        files, self._files = self._files, {}
        for f in files.values():
            f.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001 - never raise from a finalizer
            pass

    # ---- entries
    def _entry(self, key):
        bkey = _key_bytes(key)
        e = self._entries.get(bkey)
        if e is not None:
            return e
        raw = self._raw.get(bkey)
        key = _shown(bkey)
        if raw is None:
            raise errors.NotFoundError(None, None, "Key %s not found in checkpoint" % key)
        what = "key %s in %s" % (key, self._path)
        try:
            msg = proto.decode(proto.BUNDLE_ENTRY, raw)
        except ProtoError as e:
            raise errors.DataLossError(None, None, "Entry for key %s not parseable in %s: %s"
                                       % (key, self._path, e)) from None
        dt = _dtype_of_enum(msg.get("dtype", 0), "Tensor %s in checkpoint %s" % (key, self.prefix))
        dims = _shape_of_proto(msg.get("shape", {}), what)
        e = self._entries[bkey] = (msg, dt, dims)
        return e

    def keys(self):
        """The names of the checkpoint's tensors, sorted. A partitioned tensor is listed under its full
        name; the keys of its stored slices (OrderedCode, starting with a 0 byte) are not."""
        return [_key_str(k) for k in sorted(self._raw) if not k.startswith(b"\x00")]

    def has(self, key):
        bkey = _key_bytes(key)
        return bkey in self._raw and not bkey.startswith(b"\x00")

    def dtype(self, key):
        return self._entry(key)[1]

    def shape(self, key):
        return list(self._entry(key)[2])

    # ---- values
    def read(self, key):
        """The tensor stored under `key` as a new numpy array (NotFoundError if there is none)."""
        msg, dt, dims = self._entry(key)
        slices = msg.get("slices")
        if not slices:
            return self._value(key, msg, dt, dims)
        bkey, key = _key_bytes(key), _shown(key)
        pieces = []
        for s in slices:
            extents = _slice_extents(s, dims, "tensor %s in %s" % (key, self._path))
            smsg, sdt, sdims = self._entry(encode_tensor_name_slice(bkey, extents))
            if sdt != dt or sdims != _slice_shape(extents, dims):
                raise errors.DataLossError(None, None, "Slice of %s in %s does not match its tensor's dtype/shape"
                                           % (key, self._path))
            pieces.append((extents, self._value(key, smsg, sdt, sdims)))
        return _assemble(key, dims, dt, pieces, self.prefix)

    def _value(self, key, msg, dt, dims):
        key = _shown(key)
        n = _num_elements(dims)
        size = msg.get("size", 0)
        offset = msg.get("offset", 0)
        shard = msg.get("shard_id", 0)
        if dt == dtypes.string:
            if size < n:
                raise errors.DataLossError(None, None, "Invalid size in bundle entry: key %s; stored size %d; "
                                           "expected size is at least %d (in %s)" % (key, size, n, self._path))
        else:
            expected = n * dt.size
            if size != expected:
                raise errors.DataLossError(None, None, "Invalid size in bundle entry: key %s; stored size %d; "
                                           "expected size %d (in %s)" % (key, size, expected, self._path))
        if not 0 <= shard < self.num_shards:
            raise errors.DataLossError(None, None, "Bundle entry for key %s in %s names data shard %d "
                                       "of %d" % (key, self._path, shard, self.num_shards))
        if offset < 0:
            raise errors.DataLossError(None, None, "Bundle entry for key %s in %s has offset %d"
                                       % (key, self._path, offset))
        buf = self._read_data(key, shard, offset, size)
        stored = crc32c.unmask(msg.get("crc32c", 0))
        if dt == dtypes.string:
            arr, actual = self._strings(key, buf, n)
        else:
            actual = crc32c.value(buf)
            arr = None
        if stored != actual:
            raise errors.DataLossError(None, None, "TensorBundle at %s shard %d (%d bytes): Checksum does not match "
                                       "for key %s: stored %08d vs. calculated on the restored bytes %d"
                                       % (self.prefix, shard, size, key, stored, actual))
        if arr is None:
            np_type = np.dtype(dt.as_numpy_dtype).newbyteorder(self._byteorder)
            arr = np.frombuffer(buf, dtype=np_type)
            if self._byteorder != "<" or not arr.dtype.isnative:
                arr = arr.astype(np_type.newbyteorder("="))
        return arr.reshape(dims)

    def _read_data(self, key, shard, offset, size):
        path = data_filename(self.prefix, shard, self.num_shards)
        f = self._files.get(shard)
        if f is None:
            try:
                f = self._files[shard] = open(path, "rb")
            except OSError as e:
                raise _os_error(e, path, "Failed to open checkpoint data file for key %s:" % key) from None
        have = os.fstat(f.fileno()).st_size
        if offset > have or size > have - offset:  # checked before allocating `size` bytes
            raise errors.DataLossError(None, None, "Checkpoint data file %s is truncated: key %s needs bytes "
                                       "[%d, %d) but the file has %d" % (path, key, offset, offset + size, have))
        buf = bytearray(size)
        f.seek(offset)
        got = f.readinto(buf)
        if got != size:
            raise errors.DataLossError(None, None, "Read less bytes than requested from %s for key %s" % (path, key))
        return buf

    def _strings(self, key, buf, n):
        """(object array of bytes, crc32c) of a string tensor's bytes (ReadStringTensor)."""
        view = memoryview(buf)
        lengths = []
        pos = 0
        crc = 0
        try:
            for _ in range(n):
                length, pos = proto.read_varint(view, pos)
                lengths.append(length)
                crc = crc32c.extend(crc, length.to_bytes(4 if length <= 0xFFFFFFFF else 8, "little"))
        except ProtoError:
            raise errors.DataLossError(None, None, "String lengths of key %s in %s are corrupt"
                                       % (key, self.prefix)) from None
        if pos + 4 > len(view) or sum(lengths) != len(view) - pos - 4:
            raise errors.DataLossError(None, None, "String lengths of key %s in %s do not match its stored size"
                                       % (key, self.prefix))
        stored = int.from_bytes(view[pos:pos + 4], "little")
        if crc32c.unmask(stored) != crc:
            raise errors.DataLossError(None, None, "The length checksum does not match for key %s: expected %08d but "
                                       "actual is %08d" % (key, crc32c.unmask(stored), crc))
        crc = crc32c.extend(crc, view[pos:pos + 4])
        pos += 4
        out = np.empty(n, dtype=object)
        for i, length in enumerate(lengths):
            out[i] = bytes(view[pos:pos + length])
            pos += length
        crc = crc32c.extend(crc, view[pos - sum(lengths):pos])
        return out, crc


# =========================================================================== V1 reading
_V1_FIELDS = {"float32": "float_val", "float64": "double_val", "int32": "int_val", "int16": "int_val",
              "int8": "int_val", "uint8": "int_val", "uint16": "int_val", "int64": "int64_val", "bool": "bool_val",
              "float16": "half_val", "complex64": "scomplex_val", "complex128": "dcomplex_val", "string": "string_val",
              "uint32": "uint32_val", "uint64": "uint64_val"}


def _matching_files(pattern):
    """TF's GetMatchingPaths: the files a glob pattern names (a plain path names itself)."""
    if glob.has_magic(pattern):
        return sorted(p for p in glob.glob(pattern))
    return [pattern] if os.path.exists(pattern) else []


def _map_file(path):
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size < (1 << 20):
            return f.read()
        return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)


class V1Reader:
    """A V1 checkpoint (one table file, or the files a pattern matches): same interface as BundleReader."""

    def __init__(self, pattern):
        self.prefix = os.fspath(pattern)
        files = _matching_files(self.prefix)
        if not files:
            raise errors.NotFoundError(None, None, "Unsuccessful TensorSliceReader constructor: Failed to find any "
                                       "matching files for %s" % self.prefix)
        self._tensors = {}  # name -> [dtype enum, dims, [(table, path, extents)]]
        for path in files:
            self._load(path)

    def _fail(self, path, detail):
        return errors.DataLossError(None, None, "Unable to open table file %s: %s: perhaps your file is in a "
                                    "different file format and you need to use a different restore operator?"
                                    % (path, detail))

    def _load(self, path):
        try:
            data = _map_file(path)
        except IsADirectoryError:
            raise self._fail(path, "%s is a directory, not a checkpoint file (pass a checkpoint prefix, e.g. "
                             "tf.train.latest_checkpoint(dir))" % path) from None
        except OSError as e:
            raise _os_error(e, path, "Failed to open checkpoint file") from None
        try:
            table = Table(data)
            meta = table.get(b"")
        except TableError as e:
            raise self._fail(path, "Data loss: %s" % e) from None
        if meta is None:
            raise errors.DataLossError(None, None, "Failed to find the saved tensor slices at the beginning of the "
                                       "checkpoint file: %s" % path)
        try:
            sts = proto.decode(proto.SAVED_TENSOR_SLICES, meta)
        except ProtoError as e:
            raise errors.DataLossError(None, None, "Unable to parse the table of contents of checkpoint file %s: %s"
                                       % (path, e)) from None
        meta = sts.get("meta", {})
        _check_versions(meta.get("versions", {}), CHECKPOINT_VERSION, 0, "Checkpoint")
        for t in meta.get("tensor", []):
            name = t.get("name", "")
            what = "tensor %s in %s" % (name, path)
            dims = _shape_of_proto(t.get("shape", {}), what)
            enum = t.get("type", 0)
            slices = [_slice_extents(s, dims, what) for s in t.get("slice", [])]
            known = self._tensors.get(name)
            if known is None:
                self._tensors[name] = [enum, dims, [(table, path, e) for e in slices]]
            else:
                if known[0] != enum or known[1] != dims:
                    raise errors.DataLossError(None, None, "Tensor %s has different dtypes or shapes in the files "
                                               "of checkpoint %s" % (name, self.prefix))
                known[2].extend((table, path, e) for e in slices)

    def keys(self):
        return sorted(self._tensors)

    def has(self, key):
        return key in self._tensors

    def _meta(self, key):
        t = self._tensors.get(key)
        if t is None:
            raise errors.NotFoundError(None, None, "Key %s not found in checkpoint" % key)
        return t

    def dtype(self, key):
        return _dtype_of_enum(self._meta(key)[0], "Tensor %s in checkpoint %s" % (key, self.prefix))

    def shape(self, key):
        return list(self._meta(key)[1])

    def read(self, key):
        enum, dims, slices = self._meta(key)
        dt = self.dtype(key)
        pieces = []
        for table, path, extents in slices:
            what = "tensor %s in %s" % (key, path)
            try:
                raw = table.get(encode_tensor_name_slice(key, extents))
            except TableError as e:
                raise errors.DataLossError(None, None, "Unable to read %s: %s" % (what, e)) from None
            if raw is None:
                raise errors.DataLossError(None, None, "The slice of %s listed in the table of contents is not "
                                           "stored in the file" % what)
            try:
                saved = proto.decode(proto.SAVED_TENSOR_SLICES, raw).get("data", {})
            except ProtoError as e:
                raise errors.DataLossError(None, None, "Unable to parse %s: %s" % (what, e)) from None
            if saved.get("name", "") != key:
                raise errors.DataLossError(None, None, "The slice stored for %s names tensor %r"
                                           % (what, saved.get("name")))
            pieces.append((extents, _proto_values(saved.get("data", {}), dt, _num_elements(_slice_shape(extents, dims)),
                                                  what)))
        if not pieces:
            raise errors.InvalidArgumentError(None, None, "Does not have sufficient slices for partitioned tensor %s "
                                              "to restore in %s" % (key, self.prefix))
        return _assemble(key, dims, dt, pieces, self.prefix)


def _proto_values(tp, dt, n, what):
    """The `n` values a V1 TensorProto holds for dtype `dt`, as a flat numpy array."""
    np_type = np.dtype(dt.as_numpy_dtype)
    content = tp.get("tensor_content")
    if content and dt != dtypes.string:
        if len(content) != n * np_type.itemsize:
            raise errors.DataLossError(None, None, "%s holds %d bytes of data, expected %d"
                                       % (what, len(content), n * np_type.itemsize))
        return np.frombuffer(content, np_type.newbyteorder("<")).astype(np_type)
    field = _V1_FIELDS.get(dt.name)
    vals = tp.get(field)
    if vals is None:
        vals = [] if dt == dtypes.string else np.zeros(0, np.int64)
    if dt == dtypes.string:
        arr = np.empty(len(vals), dtype=object)
        arr[:] = vals
    elif dt.is_complex:
        arr = np.asarray(vals)
        if arr.size % 2:
            raise errors.DataLossError(None, None, "%s holds an odd number of complex parts" % what)
        arr = arr[0::2] + 1j * arr[1::2]
    elif dt == dtypes.float16:
        arr = np.asarray(vals).astype(np.uint16).view(np.float16)
    else:
        arr = np.asarray(vals)
    if arr.size != n:
        raise errors.DataLossError(None, None, "%s holds %d values, expected %d" % (what, arr.size, n))
    return arr.astype(np_type) if dt != dtypes.string else arr


# =========================================================================== either format
def open_checkpoint(prefix):
    """A reader for the checkpoint at `prefix`: V2 when `<prefix>.index` exists, else V1 (a file
    or a glob pattern), as TF's RestoreV2 and CheckpointReader decide."""
    prefix = os.fspath(prefix)
    if isinstance(prefix, bytes):
        prefix = prefix.decode("utf-8")
    if _matching_files(index_filename(prefix)):
        return BundleReader(prefix)
    return V1Reader(prefix)
