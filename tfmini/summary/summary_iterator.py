"""Reading event files back: TFRecord records with their CRCs checked, and the Events in them.

`tf.train.summary_iterator(path)` yields `Event` messages (needs protobuf); `events(path)` yields
the same events as dicts (numpy only), which is what tfmini's own tests read.
"""
from ..framework import messages
from ..io import proto, records

__all__ = ["tf_record_iterator", "summary_iterator", "events"]


def tf_record_iterator(path):
    """The records of a TFRecord file, in order; DataLossError on a bad length or data CRC or a
    truncated record (the framing is tfmini/io/records.py's)."""
    with open(path, "rb") as f:
        yield from records.iter_records(f)


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
