"""Reading event files back: TFRecord records with their CRCs checked, and the Events in them.

`tf.train.summary_iterator(path)` yields `Event` messages (needs protobuf); `events(path)` yields
the same events as dicts (numpy only), which is what tfmini's own tests read.
"""
import struct

from ..framework import errors, messages
from ..io import crc32c, proto

__all__ = ["tf_record_iterator", "summary_iterator", "events"]


def tf_record_iterator(path):
    """The records of a TFRecord file, in order; DataLossError on a bad length or data CRC or a
    truncated record."""
    with open(path, "rb") as f:
        while True:
            header = f.read(12)
            if not header:
                return
            if len(header) < 12:
                raise errors.DataLossError(None, None, "truncated record at the end of %s" % path)
            (length,), (length_crc,) = struct.unpack("<Q", header[:8]), struct.unpack("<I", header[8:])
            if crc32c.mask(crc32c.value(header[:8])) != length_crc:
                raise errors.DataLossError(None, None, "corrupted record length in %s" % path)
            data = f.read(length)
            footer = f.read(4)
            if len(data) < length or len(footer) < 4:
                raise errors.DataLossError(None, None, "truncated record at the end of %s" % path)
            if crc32c.mask(crc32c.value(data)) != struct.unpack("<I", footer)[0]:
                raise errors.DataLossError(None, None, "corrupted record data in %s" % path)
            yield data


def events(path):
    """The Events of an event file as dicts (summaries decoded; graph_def left as bytes)."""
    for data in tf_record_iterator(path):
        yield proto.decode(messages.EVENT, data)


def summary_iterator(path):
    """The Events of an event file as `tf.Event` messages (needs protobuf).

    >>> for e in tf.train.summary_iterator(path):
    ...     for v in e.summary.value:
    ...         print(e.step, v.tag, v.simple_value)
    """
    messages.require_protobuf("tf.train.summary_iterator")
    for data in tf_record_iterator(path):
        yield messages.from_bytes("Event", data)
