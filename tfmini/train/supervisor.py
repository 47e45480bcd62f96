"""tf.train.Supervisor: TF 1.x's older training helper (ptb_word_lm.py's): it makes the default ops, a session that
restores from `logdir` or initializes, and background threads that save checkpoints and summaries.

    sv = tf.train.Supervisor(logdir=save_path)
    with sv.managed_session() as session:
        while not sv.should_stop(): session.run(train_op)
        sv.saver.save(session, save_path, global_step=sv.global_step)
"""
import contextlib
import os
import threading
import time

from ..framework.ops import GraphKeys, get_default_graph
from ..framework.graph_io import write_graph
from ..framework import meta_graph as _meta_graph
from ..ops import control_flow_ops
from ..platform import tf_logging as logging
from .. import variables
from . import queue_runner, training_util
from .coordinator import Coordinator
from .monitored_session import SessionManager, _report_uninitialized
from .saver import Saver

__all__ = ["Supervisor"]

_START, _STOP, _CHECKPOINT = 1, 2, 3  # SessionLog.SessionStatus


class _LooperThread(threading.Thread):
    """Calls `target()` every `timer_interval_secs` seconds (the first time at once) until the coordinator stops."""

    def __init__(self, coord, timer_interval_secs, target, start_loop=None, name=None):
        super().__init__(name=name, daemon=True)
        self._coord = coord
        self._timer_interval_secs = timer_interval_secs
        self._target = target
        self._start_loop = start_loop
        coord.register_thread(self)

    def run(self):
        with self._coord.stop_on_exception():
            if self._start_loop is not None:
                self._start_loop()
            while not self._coord.should_stop():
                start = time.time()
                self._target()
                if self._coord.wait_for_stop(max(0.0, self._timer_interval_secs - (time.time() - start))):
                    break


class Supervisor:
    """Makes the ops and session of a training program and runs its standard services.

    The default (Supervisor.USE_DEFAULT) of each op is the one in its collection, else a new one added to it:
    init_op (global_variables_initializer), ready_op and ready_for_local_init_op (reports of uninitialized
    variables), local_init_op, summary_op (merge_all), saver (a Saver when there are variables), global_step (the
    graph's). The graph is finalized once they exist.

    logdir: where checkpoints (`<logdir>/<checkpoint_basename>-<step>`), graph.pbtxt and event files go; the
    session restores from its latest checkpoint. With a logdir, the chief's session starts threads that save a
    checkpoint every `save_model_secs` and summaries every `save_summaries_secs` (0 turns them off).
    """

    USE_DEFAULT = 0

    def __init__(self, graph=None, ready_op=USE_DEFAULT, ready_for_local_init_op=USE_DEFAULT, is_chief=True,
                 init_op=USE_DEFAULT, init_feed_dict=None, local_init_op=USE_DEFAULT, logdir=None,
                 summary_op=USE_DEFAULT, saver=USE_DEFAULT, global_step=USE_DEFAULT, save_summaries_secs=120,
                 save_model_secs=600, recovery_wait_secs=30, stop_grace_secs=120, checkpoint_basename="model.ckpt",
                 session_manager=None, summary_writer=USE_DEFAULT, init_fn=None, local_init_run_options=None):
        self._graph = graph if graph is not None else get_default_graph()
        with self._graph.as_default():
            self._init_ready_op(ready_op, ready_for_local_init_op)
            self._is_chief = is_chief
            self._coord = Coordinator()
            self._recovery_wait_secs = recovery_wait_secs
            self._stop_grace_secs = stop_grace_secs
            self._init_fn = init_fn
            self._local_init_run_options = local_init_run_options
            self._logdir = None
            self._save_summaries_secs = None
            self._save_model_secs = None
            self._save_path = None
            self._summary_writer = None
            if self._is_chief:
                self._logdir = logdir
                self._save_summaries_secs = save_summaries_secs
                self._save_model_secs = save_model_secs
                if self._logdir:
                    self._save_path = os.path.join(self._logdir, checkpoint_basename)
                if summary_writer is Supervisor.USE_DEFAULT:
                    if self._logdir:
                        from ..summary.writer import FileWriter
                        self._summary_writer = FileWriter(self._logdir)
                else:
                    self._summary_writer = summary_writer
                self._graph_added_to_summary = False
            self._init_init_op(init_op, init_feed_dict)
            self._init_local_init_op(local_init_op)
            self._init_saver(saver)
            self._init_summary_op(summary_op)
            self._init_global_step(global_step)
            self._init_session_manager(session_manager)
        self._graph.finalize()  # the graph cannot change any more

    # ---- the default ops
    def _first_in_collection(self, key):
        items = self._graph.get_collection(key)
        return items[0] if items else None

    def _init_session_manager(self, session_manager):
        if session_manager is None:
            self._session_manager = SessionManager(
                local_init_op=self._local_init_op, ready_op=self._ready_op,
                ready_for_local_init_op=self._ready_for_local_init_op, graph=self._graph,
                recovery_wait_secs=self._recovery_wait_secs, local_init_run_options=self._local_init_run_options)
        else:
            self._session_manager = session_manager

    def _init_ready_op(self, ready_op, ready_for_local_init_op):
        if ready_op is Supervisor.USE_DEFAULT:
            ready_op = self._first_in_collection(GraphKeys.READY_OP)
            if ready_op is None:
                ready_op = _report_uninitialized()
                self._graph.add_to_collection(GraphKeys.READY_OP, ready_op)
        self._ready_op = ready_op
        if ready_for_local_init_op is Supervisor.USE_DEFAULT:
            ready_for_local_init_op = self._first_in_collection(GraphKeys.READY_FOR_LOCAL_INIT_OP)
            if ready_for_local_init_op is None:
                ready_for_local_init_op = _report_uninitialized(variables.global_variables())
                self._graph.add_to_collection(GraphKeys.READY_FOR_LOCAL_INIT_OP, ready_for_local_init_op)
        self._ready_for_local_init_op = ready_for_local_init_op

    def _init_init_op(self, init_op, init_feed_dict):
        if init_op is Supervisor.USE_DEFAULT:
            init_op = self._first_in_collection(GraphKeys.INIT_OP)
            if init_op is None:
                init_op = variables.global_variables_initializer()
                self._graph.add_to_collection(GraphKeys.INIT_OP, init_op)
        self._init_op = init_op
        self._init_feed_dict = init_feed_dict

    def _init_local_init_op(self, local_init_op):
        if local_init_op is Supervisor.USE_DEFAULT:
            local_init_op = self._first_in_collection(GraphKeys.LOCAL_INIT_OP)
            if local_init_op is None:
                local_init_op = control_flow_ops.group(variables.local_variables_initializer())
                self._graph.add_to_collection(GraphKeys.LOCAL_INIT_OP, local_init_op)
        self._local_init_op = local_init_op

    def _init_saver(self, saver):
        if saver is Supervisor.USE_DEFAULT:
            saver = self._first_in_collection(GraphKeys.SAVERS)
            if saver is None and variables.global_variables():
                saver = Saver()
                self._graph.add_to_collection(GraphKeys.SAVERS, saver)
        self._saver = saver

    def _init_summary_op(self, summary_op):
        if summary_op is Supervisor.USE_DEFAULT:
            summary_op = self._first_in_collection(GraphKeys.SUMMARY_OP)
            if summary_op is None:
                from ..summary.summary import merge_all
                summary_op = merge_all()
                if summary_op is not None:
                    self._graph.add_to_collection(GraphKeys.SUMMARY_OP, summary_op)
        self._summary_op = summary_op

    def _init_global_step(self, global_step):
        if global_step is Supervisor.USE_DEFAULT:
            global_step = self._first_in_collection(GraphKeys.GLOBAL_STEP)
            if global_step is None:
                try:
                    global_step = self._graph.get_tensor_by_name("global_step:0")
                except KeyError:
                    global_step = None
        self._global_step = global_step

    # ---- properties
    @property
    def session_manager(self):
        return self._session_manager

    @property
    def coord(self):
        return self._coord

    @property
    def init_op(self):
        return self._init_op

    @property
    def init_feed_dict(self):
        return self._init_feed_dict

    @property
    def ready_op(self):
        return self._ready_op

    @property
    def ready_for_local_init_op(self):
        return self._ready_for_local_init_op

    @property
    def summary_writer(self):
        return self._summary_writer

    @property
    def summary_op(self):
        return self._summary_op

    @property
    def save_summaries_secs(self):
        return self._save_summaries_secs

    @property
    def global_step(self):
        return self._global_step

    @property
    def saver(self):
        return self._saver

    @property
    def save_model_secs(self):
        return self._save_model_secs

    @property
    def save_path(self):
        return self._save_path

    @property
    def is_chief(self):
        return self._is_chief

    # ---- sessions
    def _write_graph(self):
        if self._is_chief and self._logdir:
            write_graph(self._graph, self._logdir, "graph.pbtxt")
        if self._summary_writer and not self._graph_added_to_summary:
            self._summary_writer.add_graph(self._graph)
            self._summary_writer.add_meta_graph(_meta_graph.meta_graph_def_bytes(
                self._graph, saver_def=self._saver.saver_def if self._saver else None))
            self._graph_added_to_summary = True

    def prepare_or_wait_for_session(self, master="", config=None, wait_for_checkpoint=False, max_wait_secs=7200,
                                    start_standard_services=True):
        """The chief's session (restored from logdir or initialized; graph written; services and queue runners
        started), or a worker's once the chief made the model ready."""
        self._coord.clear_stop()
        if self._summary_writer:
            self._summary_writer.reopen()
        if self._is_chief:
            sess = self._session_manager.prepare_session(
                master, init_op=self.init_op, saver=self.saver, checkpoint_dir=self._logdir,
                wait_for_checkpoint=wait_for_checkpoint, max_wait_secs=max_wait_secs, config=config,
                init_feed_dict=self._init_feed_dict, init_fn=self._init_fn)
            self._write_graph()
            if start_standard_services:
                logging.info("Starting standard services.")
                self.start_standard_services(sess)
        else:
            sess = self._session_manager.wait_for_session(master, config=config, max_wait_secs=max_wait_secs)
        if start_standard_services:
            logging.info("Starting queue runners.")
            self.start_queue_runners(sess)
        return sess

    def start_standard_services(self, sess):
        """Start the checkpoint, summary and step-counter threads (the chief's, with a logdir)."""
        if not self._is_chief:
            raise RuntimeError("Only chief supervisor can start standard services. Because only chief supervisors "
                               "can write events.")
        if not self._logdir:
            logging.warning("Standard services need a 'logdir' passed to the SessionManager")
            return []
        if self._global_step is not None and self._summary_writer:
            current_step = training_util.global_step(sess, self._global_step)
            self._summary_writer.add_session_log({"status": _START}, current_step)
        threads = []
        if self._save_summaries_secs and self._summary_writer:
            if self._summary_op is not None:
                threads.append(_LooperThread(self._coord, self._save_summaries_secs,
                                             lambda: self._summary_loop(sess), name="SVSummaryThread"))
            if self._global_step is not None:
                threads.append(self._step_counter_thread(sess))
        if self.saver and self._save_model_secs:
            threads.append(_LooperThread(self._coord, self._save_model_secs, lambda: self._checkpoint_loop(sess),
                                         name="SVTimerCheckpointThread"))
        for t in threads:
            t.start()
        return threads

    def _summary_loop(self, sess):
        if self._global_step is not None:
            summary_strs, global_step = sess.run([self._summary_op, self._global_step])
        else:
            summary_strs, global_step = sess.run(self._summary_op), None
        if self._summary_writer:
            logging.info("Recording summary at step %s.", global_step)
            self._summary_writer.add_summary(summary_strs, global_step)

    def _step_counter_thread(self, sess):
        tag = "%s/sec" % self._global_step.op.name
        state = {}

        def start():
            state["time"] = time.time()
            state["step"] = training_util.global_step(sess, self._global_step)

        def loop():
            now = time.time()
            step = training_util.global_step(sess, self._global_step)
            elapsed = now - state["time"]
            rate = (step - state["step"]) / elapsed if elapsed > 0 else float("inf")
            state["time"], state["step"] = now, step
            if self._summary_writer:
                self._summary_writer.add_summary({"value": [{"tag": tag, "simple_value": rate}]}, step)
            logging.log_first_n(logging.INFO, "Global step/sec: %g", 10, rate)

        return _LooperThread(self._coord, self._save_summaries_secs, loop, start_loop=start,
                             name="SVStepCounterThread")

    def _checkpoint_loop(self, sess):
        logging.info("Saving checkpoint to path %s", self._save_path)
        self._saver.save(sess, self._save_path, global_step=self._global_step)
        if self._summary_writer and self._global_step is not None:
            current_step = training_util.global_step(sess, self._global_step)
            self._summary_writer.add_session_log({"status": _CHECKPOINT, "checkpoint_path": self._save_path},
                                                 current_step)

    def start_queue_runners(self, sess, queue_runners=None):
        """Start the graph's queue runners (or `queue_runners`) under this Supervisor's coordinator."""
        if queue_runners is None:
            return queue_runner.start_queue_runners(sess=sess, coord=self._coord)
        threads = []
        for qr in queue_runners:
            threads.extend(qr.create_threads(sess, coord=self._coord, daemon=True, start=True))
        return threads

    # ---- stopping
    def request_stop(self, ex=None):
        """Ask the threads (and the training loop, through should_stop) to stop; `ex` is re-raised by stop()."""
        self._coord.request_stop(ex=ex)

    def should_stop(self):
        return self._coord.should_stop()

    def stop_on_exception(self):
        return self._coord.stop_on_exception()

    def loop(self, timer_interval_secs, target, args=None, kwargs=None):
        """Call `target(*args, **kwargs)` every `timer_interval_secs` seconds in a thread until stopped."""
        t = _LooperThread(self._coord, timer_interval_secs, lambda: target(*(args or ()), **(kwargs or {})))
        t.start()
        return t

    def stop(self, threads=None, close_summary_writer=True, ignore_live_threads=False):
        """Stop the services and queue runners, wait for them, and close the summary writer (after a STOP
        SessionLog); re-raises an exception reported to request_stop()."""
        self._coord.request_stop()
        try:
            self._coord.join(threads, stop_grace_period_secs=self._stop_grace_secs,
                             ignore_live_threads=ignore_live_threads)
        finally:
            if close_summary_writer and self._summary_writer:
                self._summary_writer.add_session_log({"status": _STOP})
                self._summary_writer.close()
                self._graph_added_to_summary = False

    def wait_for_stop(self):
        self._coord.wait_for_stop()

    @contextlib.contextmanager
    def managed_session(self, master="", config=None, start_standard_services=True, close_summary_writer=True):
        """A context with a prepared session: on leaving it (an exception counts as a stop request; the input's end,
        OutOfRangeError, is a clean one) the services stop and the session closes; other exceptions re-raise."""
        sess = None
        try:
            sess = self.prepare_or_wait_for_session(master=master, config=config,
                                                    start_standard_services=start_standard_services)
            yield sess
        except Exception as e:  # noqa: BLE001 - every exception stops the services; stop() re-raises it
            self.request_stop(e)
        finally:
            try:
                self.stop(close_summary_writer=close_summary_writer)
            finally:
                try:
                    if sess is not None:
                        sess.close()
                except Exception:  # noqa: BLE001 - the error being raised matters more
                    pass
