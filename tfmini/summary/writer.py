"""tf.summary.FileWriter: event files that TensorBoard reads.

An event file is a TFRecord file of serialized `Event` protocol buffers: each record is its
length (uint64, little-endian), the masked CRC32C of those 8 bytes, the data, and the masked
CRC32C of the data. The first event of a file says `file_version: "brain.Event:2"`. Files are
named as TensorFlow names them, `events.out.tfevents.<seconds>.<hostname><suffix>`, so
`tensorboard --logdir logs` (or `%tensorboard --logdir logs` in JupyterLab) finds them.

    writer = tf.summary.FileWriter("logs", sess.graph)    # the graph, for the Graphs tab
    writer.add_summary(sess.run(merged, feed), step)      # curves, histograms, images
    writer.close()

Events are written with numpy only (tfmini/io/proto.py); protobuf is needed only to pass
message objects such as `tf.Summary(...)` or `tf.SessionLog(...)`.
"""
import atexit
import os
import threading
import time
import warnings
import weakref

from ..framework import graph_io, messages
from ..framework import meta_graph as _meta_graph
from ..framework.ops import Graph, get_default_graph
from ..io import proto, records

__all__ = ["FileWriter", "FileWriterCache", "EventFileWriter", "SummaryWriter", "record_bytes"]

FILE_VERSION = "brain.Event:2"


def record_bytes(data):
    """One TFRecord: length, masked CRC32C of the length, data, masked CRC32C of the data (tfmini/io/records.py)."""
    return records.frame(data)


_OPEN_WRITERS = weakref.WeakSet()


@atexit.register
def _flush_open_writers():  # what a notebook left open still reaches the disk when Python exits
    for w in list(_OPEN_WRITERS):
        try:
            w.flush()
        except Exception:  # noqa: BLE001 - never fail interpreter exit
            pass


class EventFileWriter:
    """Writes serialized Events to a new event file in `logdir` (the file is made at once, with
    its version event). Events are written as they come and flushed at most every `flush_secs`
    seconds or after `max_queue` events; `flush()` and `close()` write everything out."""

    def __init__(self, logdir, max_queue=10, flush_secs=120, filename_suffix=None):
        self._logdir = str(os.fspath(logdir))
        os.makedirs(self._logdir, exist_ok=True)
        self._max_queue = max_queue
        self._flush_secs = flush_secs
        self._suffix = filename_suffix or ""
        self._lock = threading.RLock()
        self._file = None
        self._path = None
        self._closed = False
        self._open()

    def _open(self):
        import socket  # here, not at the top: `import tfmini` stays light
        base = os.path.join(self._logdir, "events.out.tfevents.%010d.%s%s"
                            % (int(time.time()), socket.gethostname(), self._suffix))
        path, n = base, 0
        while os.path.exists(path):  # two writers in one second: a second file, not an overwritten one
            n += 1
            path = "%s.%d" % (base, n)
        self._path = path
        self._file = open(path, "wb")
        self._pending = 0
        self._next_flush = 0.0
        self._write(proto.encode(messages.EVENT, {"wall_time": time.time(), "file_version": FILE_VERSION}))
        self._flush_file()
        _OPEN_WRITERS.add(self)

    def _write(self, event_bytes):
        records.write_record(self._file, event_bytes)
        self._pending += 1

    def _flush_file(self):
        self._file.flush()
        self._pending = 0
        self._next_flush = time.time() + self._flush_secs

    def get_logdir(self):
        """The directory the event files are written to."""
        return self._logdir

    @property
    def path(self):
        """The event file being written (a new one after each `reopen`)."""
        return self._path

    def add_event(self, event):
        """Write one Event (message, serialized bytes or dict); nothing when closed."""
        data = messages.to_bytes(event, "Event", messages.EVENT)
        with self._lock:
            if self._closed:
                return
            self._write(data)
            if self._pending >= self._max_queue or time.time() > self._next_flush:
                self._flush_file()

    def flush(self):
        """Write every pending event to disk."""
        with self._lock:
            if not self._closed:
                self._flush_file()

    def close(self):
        """Flush and close the file; `reopen()` starts a new one."""
        with self._lock:
            if not self._closed:
                self._flush_file()
                self._file.close()
                self._closed = True
                _OPEN_WRITERS.discard(self)

    def reopen(self):
        """After `close()`: continue in a new event file in the same directory (else nothing)."""
        with self._lock:
            if self._closed:
                self._closed = False
                self._open()


def _strip_seen_metadata(summary_bytes, seen):
    """The Summary with the metadata of values whose tag was written before left out (TF stores
    a tag's plugin metadata only with its first value). Unknown fields are kept as they are."""
    out = []
    for num, wire, value in proto.iter_fields(summary_bytes):
        if num != 1 or wire != 2:
            out.append(_field_bytes(num, wire, value))
            continue
        fields = list(proto.iter_fields(value))
        tag = next((bytes(v) for n, w, v in fields if n == 1 and w == 2), b"")
        has_meta = any(n == 9 and w == 2 and len(v) for n, w, v in fields)
        if has_meta:
            if tag in seen:
                value = b"".join(_field_bytes(n, w, v) for n, w, v in fields if n != 9)
            else:
                seen.add(tag)
        out.append(_field_bytes(1, 2, bytes(value)))
    return b"".join(out)


def _field_bytes(num, wire, value):
    key = proto.encode_varint((num << 3) | wire)
    if wire == 0:
        return key + proto.encode_varint(value)
    if wire == 2:
        return key + proto.encode_varint(len(value)) + bytes(value)
    return key + bytes(value)


def _summary_bytes(summary):
    """A summary run value (bytes, a 0-d string array), message or dict, serialized."""
    if hasattr(summary, "dtype") and getattr(summary, "shape", None) == ():
        summary = summary.item() if hasattr(summary, "item") else summary
    if isinstance(summary, str):
        raise TypeError("add_summary takes a Summary or its serialized bytes (what running a summary op gives), "
                        "not a str")
    return messages.to_bytes(summary, "Summary", messages.SUMMARY)


class FileWriter:
    """Writes summaries, the graph and session logs to event files in `logdir` for TensorBoard.

    >>> writer = tf.summary.FileWriter("logs/run1", sess.graph)
    >>> for step in range(100):
    ...     summary, _ = sess.run([merged, train_op], feed)
    ...     writer.add_summary(summary, step)
    >>> writer.close()

    graph: a Graph (its GraphDef, with shapes, and its MetaGraphDef are written at once).
    max_queue, flush_secs: events reach the disk after this many events or seconds (and on
    flush/close). filename_suffix: appended to the event file's name.
    """

    def __init__(self, logdir, graph=None, max_queue=10, flush_secs=120, graph_def=None, filename_suffix=None,
                 session=None):
        self.event_writer = EventFileWriter(logdir, max_queue, flush_secs, filename_suffix)
        self._closed = False
        self._seen_summary_tags = set()
        self._session_run_tags = {}
        if graph is not None or graph_def is not None:
            self.add_graph(graph=graph, graph_def=graph_def)
            g = graph if isinstance(graph, Graph) else (graph_def if isinstance(graph_def, Graph) else None)
            if g is not None:
                self._add_event({"meta_graph_def": _meta_graph.meta_graph_def_bytes(g)}, None)
            else:
                gd = graph if graph is not None else graph_def
                self._add_event({"meta_graph_def": _meta_graph.meta_graph_def_bytes(
                    get_default_graph(), graph_def=gd, collection_list=[])}, None)

    # ---- context manager
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def get_logdir(self):
        """The directory where event files are written."""
        return self.event_writer.get_logdir()

    def _warn_if_closed(self):
        if self._closed:
            warnings.warn("Attempting to use a closed FileWriter. The operation will be a noop unless the "
                          "FileWriter is explicitly reopened.")

    def _add_event(self, event, step):
        self._warn_if_closed()
        event = dict(event, wall_time=time.time())
        if step is not None:
            event["step"] = int(step)
        self.event_writer.add_event(event)

    # ---- what goes in
    def add_summary(self, summary, global_step=None):
        """Write a Summary: the bytes `sess.run` gives for a summary op, or a `tf.Summary` message.

        global_step: the x-axis value of this point in TensorBoard.
        """
        data = _strip_seen_metadata(_summary_bytes(summary), self._seen_summary_tags)
        self._add_event({"summary": data}, global_step)

    def add_session_log(self, session_log, global_step=None):
        """Write a SessionLog (e.g. tf.SessionLog(status=tf.SessionLog.START) after a restart)."""
        self._add_event({"session_log": messages.to_bytes(session_log, "SessionLog", messages.SESSION_LOG)},
                        global_step)

    def add_graph(self, graph, global_step=None, graph_def=None):
        """Write a Graph (with its shapes) for TensorBoard's Graphs tab; a GraphDef is accepted too."""
        if graph is not None and graph_def is not None:
            raise ValueError("Please pass only graph, or graph_def (deprecated), but not both.")
        g = graph if graph is not None else graph_def
        if isinstance(g, Graph):
            data = graph_io.graph_def_bytes(g, add_shapes=True)
        elif messages.is_message(g, "GraphDef") or isinstance(g, (bytes, dict)):
            data = messages.to_bytes(g, "GraphDef", proto.GRAPH_DEF)
        else:
            raise TypeError("The passed graph must be an instance of `Graph` or the deprecated `GraphDef`")
        self._add_event({"graph_def": data}, global_step)

    def add_meta_graph(self, meta_graph_def, global_step=None):
        """Write a MetaGraphDef (as tf.train.export_meta_graph returns it)."""
        if not (messages.is_message(meta_graph_def, "MetaGraphDef") or isinstance(meta_graph_def, bytes)):
            raise TypeError("meta_graph_def must be type MetaGraphDef, saw type: %s" % type(meta_graph_def))
        self._add_event({"meta_graph_def": messages.to_bytes(meta_graph_def, "MetaGraphDef", proto.META_GRAPH_DEF)},
                        global_step)

    def add_run_metadata(self, run_metadata, tag, global_step=None):
        """Write a RunMetadata under `tag` (tfmini records no step stats, so it is mostly empty)."""
        if tag in self._session_run_tags:
            raise ValueError("The provided tag was already used for this event type")
        self._session_run_tags[tag] = True
        raw = run_metadata.SerializeToString() if hasattr(run_metadata, "SerializeToString") else b""
        self._add_event({"tagged_run_metadata": {"tag": tag, "run_metadata": raw}}, global_step)

    def add_event(self, event):
        """Write an Event as it is (message, bytes or dict)."""
        self._warn_if_closed()
        self.event_writer.add_event(event)

    # ---- flushing
    def flush(self):
        """Write the pending events to disk (TensorBoard sees them then)."""
        self._warn_if_closed()
        self.event_writer.flush()

    def close(self):
        """Flush and close the event file."""
        self.event_writer.close()
        self._closed = True

    def reopen(self):
        """After `close()`: write on, into a new event file in the same directory."""
        self.event_writer.reopen()
        self._closed = False


class SummaryWriter(FileWriter):
    """TF 0.x's tf.train.SummaryWriter(logdir, graph=None, max_queue=10, flush_secs=120, graph_def=None): the
    FileWriter under the name TF 1.0 replaced (old code passes sess.graph_def or sess.graph second)."""

    def __init__(self, logdir, graph=None, max_queue=10, flush_secs=120, graph_def=None):
        super().__init__(logdir, graph=graph, max_queue=max_queue, flush_secs=flush_secs, graph_def=graph_def)


class FileWriterCache:
    """One FileWriter per log directory (what slim and Supervisors share)."""

    _cache = {}
    _lock = threading.RLock()

    @staticmethod
    def get(logdir):
        """The FileWriter of `logdir`, made (with the default graph) the first time."""
        with FileWriterCache._lock:
            if logdir not in FileWriterCache._cache:
                FileWriterCache._cache[logdir] = FileWriter(logdir, graph=get_default_graph())
            return FileWriterCache._cache[logdir]

    @staticmethod
    def clear():
        """Close and forget every cached FileWriter."""
        with FileWriterCache._lock:
            for item in FileWriterCache._cache.values():
                item.close()
            FileWriterCache._cache = {}
