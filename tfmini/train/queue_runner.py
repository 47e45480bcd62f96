"""tf.train.QueueRunner, add_queue_runner, start_queue_runners: threads that run a queue's enqueue ops."""
import threading

from ..framework import errors
from ..framework.ops import (GraphKeys, add_to_collection, get_default_graph, get_default_session,
                             register_proto_function)

__all__ = ["QueueRunner", "add_queue_runner", "start_queue_runners"]


class QueueRunner:
    """Holds a queue and the enqueue ops that fill it; `create_threads(sess)` starts one thread per op, each
    running its op in a loop until the queue closes (then the last one closes the queue, so that consumers see the
    end), the coordinator asks to stop, or an error (which it reports to the coordinator)."""

    def __init__(self, queue=None, enqueue_ops=None, close_op=None, cancel_op=None,
                 queue_closed_exception_types=None, queue_runner_def=None, import_scope=None):
        if queue_runner_def is not None:
            if queue or enqueue_ops:
                raise ValueError("queue_runner_def and queue are mutually exclusive.")
            self._init_from_def(queue_runner_def, import_scope)
            return
        if not queue or not enqueue_ops:
            raise ValueError("Must provide queue and enqueue_ops.")
        self._queue = queue
        self._enqueue_ops = list(enqueue_ops)
        self._close_op = close_op if close_op is not None else queue.close()
        self._cancel_op = cancel_op if cancel_op is not None else queue.close(cancel_pending_enqueues=True)
        self._queue_closed_exception_types = tuple(queue_closed_exception_types or (errors.OutOfRangeError,))
        self._lock = threading.Lock()
        self._runs_per_session = {}
        self._exceptions_raised = []

    def _init_from_def(self, d, rename):
        """From a QueueRunnerDef's fields (a MetaGraphDef's "queue_runners"): the queue and its ops by name in the
        default graph (names passed through `rename`, the import scope's)."""
        g = get_default_graph()
        rename = rename or (lambda name: name)
        self._queue = g.as_graph_element(rename(d["queue_name"]))
        self._enqueue_ops = [g.as_graph_element(rename(n)) for n in d.get("enqueue_op_name", [])]
        self._close_op = g.as_graph_element(rename(d["close_op_name"]))
        self._cancel_op = g.as_graph_element(rename(d["cancel_op_name"]))
        codes = [int(c) for c in d.get("queue_closed_exception_types", [])] or [errors.OUT_OF_RANGE]
        self._queue_closed_exception_types = tuple(errors.exception_type_from_error_code(c) for c in codes)
        self._lock = threading.Lock()
        self._runs_per_session = {}
        self._exceptions_raised = []

    def to_proto(self, export_scope=None):
        """This runner's QueueRunnerDef (bytes), names relative to `export_scope` (None: outside it)."""
        from ..io import proto
        names = [self._queue.name] + [op.name for op in self._enqueue_ops + [self._close_op, self._cancel_op]]
        prefix = export_scope.rstrip("/") + "/" if export_scope else ""
        if any(not n.startswith(prefix) for n in names):
            return None
        names = [n[len(prefix):] for n in names]
        return proto.encode(proto.QUEUE_RUNNER_DEF, {
            "queue_name": names[0], "enqueue_op_name": names[1:-2], "close_op_name": names[-2],
            "cancel_op_name": names[-1],
            "queue_closed_exception_types": [errors.error_code_from_exception_type(c)
                                             for c in self._queue_closed_exception_types]})

    @staticmethod
    def from_proto(queue_runner_def, import_scope=None):
        """The QueueRunner a QueueRunnerDef (bytes) describes, in the default graph."""
        from ..io import proto
        if isinstance(queue_runner_def, (bytes, bytearray)):
            queue_runner_def = proto.decode(proto.QUEUE_RUNNER_DEF, bytes(queue_runner_def))
        rename = (lambda n: import_scope.rstrip("/") + "/" + n) if import_scope else None
        return QueueRunner(queue_runner_def=queue_runner_def, import_scope=rename)

    @property
    def queue(self):
        return self._queue

    @property
    def enqueue_ops(self):
        return self._enqueue_ops

    @property
    def close_op(self):
        return self._close_op

    @property
    def cancel_op(self):
        return self._cancel_op

    @property
    def queue_closed_exception_types(self):
        return self._queue_closed_exception_types

    @property
    def exceptions_raised(self):
        """The exceptions the threads raised when they had no coordinator to report them to."""
        return self._exceptions_raised

    @property
    def name(self):
        return self._queue.name

    def _run(self, sess, enqueue_op, coord=None):
        decremented = False
        try:
            while True:
                if coord is not None and coord.should_stop():
                    break
                try:
                    sess.run(enqueue_op)
                except self._queue_closed_exception_types:
                    # the input ended (or the queue closed): the last thread of this session closes the queue
                    with self._lock:
                        self._runs_per_session[sess] -= 1
                        decremented = True
                        if self._runs_per_session[sess] == 0:
                            try:
                                sess.run(self._close_op)
                            except Exception:  # noqa: BLE001 - TF ignores errors of the close op
                                pass
                    return
        except Exception as e:  # noqa: BLE001 - reported to the coordinator, as TF's
            if coord is not None:
                coord.request_stop(e)
            else:
                with self._lock:
                    self._exceptions_raised.append(e)
                raise
        finally:
            if not decremented:
                with self._lock:
                    self._runs_per_session[sess] -= 1

    def _close_on_stop(self, sess, cancel_op, coord):
        coord.wait_for_stop()
        try:
            sess.run(cancel_op)
        except Exception:  # noqa: BLE001 - the session may be closed already
            pass

    def create_threads(self, sess, coord=None, daemon=False, start=False):
        """Threads that run the enqueue ops in `sess` (and, with `coord`, one that cancels the queue when a stop is
        requested). Returns the list; with `start`, started."""
        with self._lock:
            if self._runs_per_session.get(sess, 0) > 0:
                return []  # already running in this session
            self._runs_per_session[sess] = len(self._enqueue_ops)
            self._exceptions_raised = []
        threads = [threading.Thread(target=self._run, args=(sess, op, coord), daemon=daemon,
                                    name="QueueRunnerThread-%s-%s" % (self.name, op.name))
                   for op in self._enqueue_ops]
        if coord is not None:
            threads.append(threading.Thread(target=self._close_on_stop, args=(sess, self._cancel_op, coord),
                                            daemon=daemon, name="QueueRunnerThread-%s-close_on_stop" % self.name))
        for t in threads:
            if coord is not None:
                coord.register_thread(t)
            if start:
                t.start()
        return threads


def add_queue_runner(qr, collection=GraphKeys.QUEUE_RUNNERS):
    """Add `qr` to the graph's collection (start_queue_runners starts what it holds)."""
    add_to_collection(collection, qr)


def start_queue_runners(sess=None, coord=None, daemon=True, start=True, collection=GraphKeys.QUEUE_RUNNERS):
    """Start the threads of every QueueRunner in the graph's `collection`, in `sess` (default: the default
    session); returns the threads (give them to coord.join)."""
    if sess is None:
        sess = get_default_session()
        if not sess:
            raise ValueError("Cannot start queue runners: No default session is registered. Use `with "
                             "sess.as_default()` or pass an explicit session to tf.start_queue_runners(sess=sess)")
    if not hasattr(sess, "run"):
        raise TypeError("sess must be a `tf.Session` object. Given class: %s" % sess.__class__)
    graph = getattr(sess, "graph", None) or get_default_graph()
    threads = []
    for qr in graph.get_collection(collection):
        threads.extend(qr.create_threads(sess, coord=coord, daemon=daemon, start=start))
    return threads


register_proto_function(GraphKeys.QUEUE_RUNNERS, lambda qr, export_scope=None: qr.to_proto(export_scope),
                        lambda raw, rename: QueueRunner(queue_runner_def=_decode(raw), import_scope=rename))


def _decode(raw):
    from ..io import proto
    return proto.decode(proto.QUEUE_RUNNER_DEF, raw)
