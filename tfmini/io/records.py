"""TFRecord framing, the one place it is written and read: event files (tf.summary.FileWriter) and TFRecord
files (tf.python_io.TFRecordWriter) are both sequences of records framed this way.

A record is its length (uint64, little-endian), the masked CRC32C of those 8 bytes, the data, and the masked
CRC32C of the data (TensorFlow's core/lib/io/record_writer.cc). Compression, where a file has it, wraps the
whole sequence of framed records (tfmini/io/tf_record.py).

>>> frame(b"abc")[:8]          # the length
b'\\x03\\x00\\x00\\x00\\x00\\x00\\x00\\x00'
>>> list(iter_records(io.BytesIO(frame(b"abc") + frame(b""))))
[b'abc', b'']
"""
import struct

from ..framework import errors
from . import crc32c

__all__ = ["frame", "write_record", "iter_records", "HEADER_BYTES", "FOOTER_BYTES"]

HEADER_BYTES = 12  # length (8) + masked CRC of the length (4)
FOOTER_BYTES = 4   # masked CRC of the data


def _masked_crc(data):
    return struct.pack("<I", crc32c.mask(crc32c.value(data)))


def frame(data):
    """The framed record of `data` (bytes-like): length, masked CRC32C of the length, data, masked CRC32C of
    the data."""
    data = bytes(data)
    header = struct.pack("<Q", len(data))
    return header + _masked_crc(header) + data + _masked_crc(data)


def write_record(f, data):
    """Write `data` as one framed record to the binary file object `f`."""
    f.write(frame(data))


def _read_exactly(f, n):
    """`n` bytes of `f`, fewer only at the end of the file (a file object may return short reads)."""
    parts, got = [], 0
    while got < n:
        chunk = f.read(n - got)
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def iter_records(f):
    """The records of the binary file object `f`, in order, with both CRCs checked.

    Raises DataLossError with TF 1.x's wording: "corrupted record at <offset>" for a bad CRC (of the length at
    the record's start, of the data 12 bytes on), "truncated record at <offset>" for a record cut off at the end
    of the file (TF 2 ends quietly at a partial header instead; TF 1.15 said it was truncated, as here).
    """
    offset = 0
    while True:
        header = _read_exactly(f, HEADER_BYTES)
        if not header:
            return
        if len(header) < HEADER_BYTES:
            raise errors.DataLossError(None, None, "truncated record at %d" % offset)
        if _masked_crc(header[:8]) != header[8:]:
            raise errors.DataLossError(None, None, "corrupted record at %d%s"
                                       % (offset, " (Is this even a TFRecord file?)" if offset == 0 else ""))
        length = struct.unpack("<Q", header[:8])[0]
        data = _read_exactly(f, length)
        footer = _read_exactly(f, FOOTER_BYTES)
        if len(data) < length or len(footer) < FOOTER_BYTES:
            raise errors.DataLossError(None, None, "truncated record at %d" % offset)
        if _masked_crc(data) != footer:
            raise errors.DataLossError(None, None, "corrupted record at %d" % (offset + HEADER_BYTES))
        offset += HEADER_BYTES + length + FOOTER_BYTES
        yield data
