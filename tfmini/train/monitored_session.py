"""tf.train.MonitoredSession and MonitoredTrainingSession: a session that initializes or restores the model, runs
the queue runners under a Coordinator and calls SessionRunHooks around every run; Scaffold (the ops it needs) and
SessionManager (making a session whose model is ready).

    with tf.train.MonitoredTrainingSession(checkpoint_dir=d, hooks=[tf.train.StopAtStepHook(last_step=N)]) as s:
        while not s.should_stop():
            s.run(train_op)

The life of a MonitoredSession: every hook's begin(); Scaffold.finalize() (default ops, then the graph is
finalized); a tf.Session whose variables are restored from `checkpoint_dir`'s latest checkpoint, or else
initialized; the queue runners started; every hook's after_create_session(). Each run() asks each hook's
before_run() for extra fetches and feeds, runs them all in one Session.run, and hands each hook its values in
after_run(). close() (or leaving the `with` block) calls every hook's end() unless an error is on its way out (the
input's end, OutOfRangeError, counts as none and is swallowed), stops the queue runners and closes the session.
"""
import sys
import time

import numpy as np

from ..client.config import RunMetadata, RunOptions
from ..client.session import Session
from ..framework import dtypes, errors
from ..framework.ops import GraphKeys, get_default_graph, name_scope
from ..ops import array_ops, control_flow_ops
from ..platform import tf_logging as logging
from .. import variables
from . import basic_session_run_hooks, queue_runner
from .coordinator import Coordinator
from .saver import Saver, get_checkpoint_state
from .session_run_hook import SessionRunArgs, SessionRunContext, SessionRunValues

__all__ = ["Scaffold", "SessionManager", "SessionCreator", "ChiefSessionCreator", "WorkerSessionCreator",
           "MonitoredSession", "SingularMonitoredSession", "MonitoredTrainingSession"]

USE_DEFAULT = object()  # "not passed": MonitoredTrainingSession picks the default from what else was passed


# =========================================================================== Scaffold
def _get_saver_or_default():
    """The one Saver of the SAVERS collection, or a new sharded one (added to it)."""
    savers = get_default_graph().get_collection(GraphKeys.SAVERS)
    if savers:
        if len(savers) > 1:
            raise RuntimeError("More than one item in collection {}. Please indicate which one to use by passing it "
                               "to the constructor.".format(GraphKeys.SAVERS))
        return savers[0]
    saver = Saver(sharded=True, allow_empty=True)
    get_default_graph().add_to_collection(GraphKeys.SAVERS, saver)
    return saver


def _report_uninitialized(var_list=None):
    """What TF's ready ops are: the names of the uninitialized variables, concatenated with those of the
    uninitialized resources (tfmini has no resources: an empty string vector in their name scope)."""
    names = variables.report_uninitialized_variables(var_list)
    with name_scope("report_uninitialized_resources"):
        resources = array_ops.constant([], dtype=dtypes.string)
    return array_ops.concat([names, resources], 0)


class Scaffold:
    """The ops a MonitoredSession needs, each the one passed or else a default made by `finalize()`:

    init_op (global_variables_initializer), ready_op (the names of the uninitialized variables; empty when the model
    is ready), ready_for_local_init_op (the same for the global variables), local_init_op (local variables'
    initializer), summary_op (tf.summary.merge_all()), saver (the SAVERS collection's, or a new Saver). A default
    found in its collection (GraphKeys.INIT_OP, ...) is used instead of making one; one it makes goes there.
    init_fn(scaffold, session): called after init_op when the model was not restored from a checkpoint.
    """

    def __init__(self, init_op=None, init_feed_dict=None, init_fn=None, ready_op=None, ready_for_local_init_op=None,
                 local_init_op=None, summary_op=None, saver=None, copy_from_scaffold=None, local_init_feed_dict=None):
        if copy_from_scaffold is not None:
            if not isinstance(copy_from_scaffold, Scaffold):
                raise TypeError("copy_from_scaffold is not a Scaffold instance.")
            coalesce = lambda a, b: a if a is not None else b  # noqa: E731
            init_op = coalesce(init_op, copy_from_scaffold.init_op)
            init_feed_dict = coalesce(init_feed_dict, copy_from_scaffold.init_feed_dict)
            init_fn = coalesce(init_fn, copy_from_scaffold._user_init_fn)
            ready_op = coalesce(ready_op, copy_from_scaffold.ready_op)
            ready_for_local_init_op = coalesce(ready_for_local_init_op, copy_from_scaffold.ready_for_local_init_op)
            local_init_op = coalesce(local_init_op, copy_from_scaffold.local_init_op)
            local_init_feed_dict = coalesce(local_init_feed_dict, copy_from_scaffold.local_init_feed_dict)
            summary_op = coalesce(summary_op, copy_from_scaffold.summary_op)
            saver = coalesce(saver, copy_from_scaffold.saver)
        self._user_init_fn = init_fn
        self._init_fn = (lambda sess: init_fn(self, sess)) if init_fn else None
        self._init_op = init_op
        self._init_feed_dict = init_feed_dict
        self._ready_op = ready_op
        self._ready_for_local_init_op = ready_for_local_init_op
        self._local_init_op = local_init_op
        self._local_init_feed_dict = local_init_feed_dict
        self._summary_op = summary_op
        self._saver = saver

    def finalize(self):
        """Make the missing ops, build the saver, and finalize the default graph (no op can be added after)."""
        if self._init_op is None:
            self._init_op = Scaffold.get_or_default("init_op", GraphKeys.INIT_OP,
                                                    lambda: control_flow_ops.group(
                                                        variables.global_variables_initializer()))
        if self._ready_op is None:
            self._ready_op = Scaffold.get_or_default("ready_op", GraphKeys.READY_OP, _report_uninitialized)
        if self._ready_for_local_init_op is None:
            self._ready_for_local_init_op = Scaffold.get_or_default(
                "ready_for_local_init_op", GraphKeys.READY_FOR_LOCAL_INIT_OP,
                lambda: _report_uninitialized(variables.global_variables()))
        if self._local_init_op is None:
            self._local_init_op = Scaffold.get_or_default("local_init_op", GraphKeys.LOCAL_INIT_OP,
                                                          Scaffold.default_local_init_op)
        if self._summary_op is None:
            from ..summary.summary import merge_all
            self._summary_op = Scaffold.get_or_default("summary_op", GraphKeys.SUMMARY_OP, merge_all)
        if self._saver is None:
            self._saver = _get_saver_or_default()
        self._saver.build()
        get_default_graph().finalize()
        logging.info("Graph was finalized.")
        return self

    @property
    def init_fn(self):
        return self._init_fn

    @property
    def init_op(self):
        return self._init_op

    @property
    def ready_op(self):
        return self._ready_op

    @property
    def ready_for_local_init_op(self):
        return self._ready_for_local_init_op

    @property
    def local_init_op(self):
        return self._local_init_op

    @property
    def local_init_feed_dict(self):
        return self._local_init_feed_dict

    @property
    def summary_op(self):
        return self._summary_op

    @property
    def saver(self):
        return self._saver

    @property
    def init_feed_dict(self):
        return self._init_feed_dict

    @staticmethod
    def get_or_default(arg_name, collection_key, default_constructor):
        """The one item of `collection_key`, or `default_constructor()` (added to the collection unless None)."""
        graph = get_default_graph()
        elements = graph.get_collection(collection_key)
        if elements:
            if len(elements) > 1:
                raise RuntimeError("More than one item in the collection \"%s\". Please indicate which one to use by "
                                   "passing it to the tf.Scaffold constructor as:  tf.Scaffold(%s=item to use)"
                                   % (collection_key, arg_name))
            return elements[0]
        op = default_constructor()
        if op is not None:
            graph.add_to_collection(collection_key, op)
        return op

    @staticmethod
    def default_local_init_op():
        """The local variables' initializer (TF groups the lookup tables' too; tfmini has none)."""
        return control_flow_ops.group(variables.local_variables_initializer())


# =========================================================================== SessionManager
def _maybe_name(obj):
    if obj is None:
        return "None"
    return getattr(obj, "name", "<no name for %s>" % type(obj))


def _ready(op, sess, msg):
    """(True, None) when `op` (a ready op: names of what is uninitialized) reports nothing, else (False, text)."""
    if op is None:
        return True, None
    try:
        names = np.asarray(sess.run(op)).ravel()
    except errors.FailedPreconditionError as e:
        if "uninitialized" not in str(e):
            logging.warning("%s : error [%s]", msg, str(e))
            raise
        return False, str(e)
    if names.size == 0:
        return True, None
    names = [n.decode() if isinstance(n, bytes) else str(n) for n in names]
    return False, "Variables not initialized: " + ", ".join(names)


class SessionManager:
    """Makes sessions whose model is ready: restored from a checkpoint, or initialized (prepare_session, for the
    chief), or waited for until another process initialized it (wait_for_session)."""

    def __init__(self, local_init_op=None, ready_op=None, ready_for_local_init_op=None, graph=None,
                 recovery_wait_secs=30, local_init_run_options=None, local_init_feed_dict=None):
        self._local_init_op = local_init_op
        self._ready_op = ready_op
        self._ready_for_local_init_op = ready_for_local_init_op
        self._graph = graph if graph is not None else get_default_graph()
        self._recovery_wait_secs = recovery_wait_secs
        self._target = None
        self._local_init_run_options = local_init_run_options
        self._local_init_feed_dict = local_init_feed_dict
        if ready_for_local_init_op is not None and local_init_op is None:
            raise ValueError("If you pass a ready_for_local_init_op you must also pass a local_init_op , "
                             "ready_for_local_init_op [%s]" % ready_for_local_init_op)

    def _restore_checkpoint(self, master, saver=None, checkpoint_dir=None, checkpoint_filename_with_path=None,
                            wait_for_checkpoint=False, max_wait_secs=7200, config=None):
        self._target = master
        sess = Session(master, graph=self._graph, config=config)
        if checkpoint_dir and checkpoint_filename_with_path:
            raise ValueError("Can not provide both checkpoint_dir and checkpoint_filename_with_path.")
        if not saver or not (checkpoint_dir or checkpoint_filename_with_path):
            return sess, False
        if checkpoint_filename_with_path:
            saver.restore(sess, checkpoint_filename_with_path)
            return sess, True
        wait_time = 0
        ckpt = get_checkpoint_state(checkpoint_dir)
        while not ckpt or not ckpt.model_checkpoint_path:
            if wait_for_checkpoint and wait_time < max_wait_secs:
                logging.info("Waiting for checkpoint to be available.")
                time.sleep(self._recovery_wait_secs)
                wait_time += self._recovery_wait_secs
                ckpt = get_checkpoint_state(checkpoint_dir)
            else:
                return sess, False
        saver.restore(sess, ckpt.model_checkpoint_path)
        saver.recover_last_checkpoints(list(ckpt.all_model_checkpoint_paths))
        return sess, True

    def _try_run_local_init_op(self, sess):
        if self._local_init_op is None:
            return True, None
        ready, msg = _ready(self._ready_for_local_init_op, sess, "Model not ready for local init")
        if not ready:
            return False, msg
        logging.info("Running local_init_op.")
        sess.run(self._local_init_op, feed_dict=self._local_init_feed_dict, options=self._local_init_run_options)
        logging.info("Done running local_init_op.")
        return True, None

    def prepare_session(self, master, init_op=None, saver=None, checkpoint_dir=None, wait_for_checkpoint=False,
                        max_wait_secs=7200, config=None, init_feed_dict=None, init_fn=None,
                        checkpoint_filename_with_path=None):
        """A session whose model is ready: restored from `checkpoint_dir`'s latest checkpoint (or
        `checkpoint_filename_with_path`) when there is one, else initialized with `init_op` and `init_fn(sess)`;
        then the local init op. RuntimeError when the ready op still reports uninitialized variables."""
        sess, is_loaded_from_checkpoint = self._restore_checkpoint(
            master, saver, checkpoint_dir=checkpoint_dir, checkpoint_filename_with_path=checkpoint_filename_with_path,
            wait_for_checkpoint=wait_for_checkpoint, max_wait_secs=max_wait_secs, config=config)
        if not is_loaded_from_checkpoint:
            if init_op is None and not init_fn and self._local_init_op is None:
                raise RuntimeError("Model is not initialized and no init_op or init_fn or local_init_op was given")
            if init_op is not None:
                sess.run(init_op, feed_dict=init_feed_dict)
            if init_fn:
                init_fn(sess)
        local_init_success, msg = self._try_run_local_init_op(sess)
        if not local_init_success:
            raise RuntimeError("Init operations did not make model ready for local_init.  Init op: %s, init fn: %s, "
                               "error: %s" % (_maybe_name(init_op), init_fn, msg))
        is_ready, msg = _ready(self._ready_op, sess, "Model not ready")
        if not is_ready:
            raise RuntimeError("Init operations did not make model ready.  Init op: %s, init fn: %s, local_init_op: "
                               "%s, error: %s" % (_maybe_name(init_op), init_fn, self._local_init_op, msg))
        return sess

    def recover_session(self, master, saver=None, checkpoint_dir=None, wait_for_checkpoint=False, max_wait_secs=7200,
                        config=None, checkpoint_filename_with_path=None):
        """(session, True) when the model was restored and is ready, else (session, False)."""
        sess, loaded = self._restore_checkpoint(
            master, saver, checkpoint_dir=checkpoint_dir, checkpoint_filename_with_path=checkpoint_filename_with_path,
            wait_for_checkpoint=wait_for_checkpoint, max_wait_secs=max_wait_secs, config=config)
        local_init_success, msg = self._try_run_local_init_op(sess)
        if not loaded:
            return sess, False
        if not local_init_success:
            logging.info("Restoring model from %s did not make model ready for local init: %s", checkpoint_dir, msg)
            return sess, False
        is_ready, msg = _ready(self._ready_op, sess, "Model not ready")
        if not is_ready:
            logging.info("Restoring model from %s did not make model ready: %s", checkpoint_dir, msg)
            return sess, False
        logging.info("Restored model from %s", checkpoint_dir)
        return sess, True

    def wait_for_session(self, master, config=None, max_wait_secs=float("Inf")):
        """A session whose model another process (the chief) made ready; DeadlineExceededError after
        `max_wait_secs`."""
        self._target = master
        if max_wait_secs is None:
            max_wait_secs = float("Inf")
        deadline = time.time() + max_wait_secs
        while True:
            sess = Session(self._target, graph=self._graph, config=config)
            not_ready_msg = None
            not_ready_local_msg = None
            local_init_success, not_ready_local_msg = self._try_run_local_init_op(sess)
            if local_init_success:
                is_ready, not_ready_msg = _ready(self._ready_op, sess, "Model not ready")
                if is_ready:
                    return sess
            sess.close()
            remaining = deadline - time.time()
            if remaining < self._recovery_wait_secs:
                raise errors.DeadlineExceededError(None, None, "Session was not ready after waiting %d secs."
                                                   % (max_wait_secs,))
            logging.info("Waiting for model to be ready.  Ready_for_local_init_op:  %s, ready: %s",
                         not_ready_local_msg, not_ready_msg)
            time.sleep(self._recovery_wait_secs)


# =========================================================================== session creators
class SessionCreator:
    """Makes the tf.Session a MonitoredSession wraps: `create_session()`."""

    def create_session(self):
        raise NotImplementedError("create_session is not implemented for {}.".format(self))


class ChiefSessionCreator(SessionCreator):
    """The chief's session: the scaffold finalized, the model restored from `checkpoint_dir` or initialized."""

    def __init__(self, scaffold=None, master="", config=None, checkpoint_dir=None,
                 checkpoint_filename_with_path=None):
        self._checkpoint_dir = checkpoint_dir
        self._checkpoint_filename_with_path = checkpoint_filename_with_path
        self._scaffold = scaffold or Scaffold()
        self._session_manager = None
        self._master = master
        self._config = config

    def _get_session_manager(self):
        if self._session_manager is None:
            self._session_manager = SessionManager(
                local_init_op=self._scaffold.local_init_op, local_init_feed_dict=self._scaffold.local_init_feed_dict,
                ready_op=self._scaffold.ready_op, ready_for_local_init_op=self._scaffold.ready_for_local_init_op,
                graph=get_default_graph())
        return self._session_manager

    def create_session(self):
        self._scaffold.finalize()
        return self._get_session_manager().prepare_session(
            self._master, saver=self._scaffold.saver, checkpoint_dir=self._checkpoint_dir,
            checkpoint_filename_with_path=self._checkpoint_filename_with_path, config=self._config,
            init_op=self._scaffold.init_op, init_feed_dict=self._scaffold.init_feed_dict,
            init_fn=self._scaffold.init_fn)


class WorkerSessionCreator(SessionCreator):
    """A worker's session: waits (up to `max_wait_secs`) until the chief made the model ready."""

    def __init__(self, scaffold=None, master="", config=None, max_wait_secs=30 * 60):
        self._scaffold = scaffold or Scaffold()
        self._session_manager = None
        self._master = master
        self._config = config
        self._max_wait_secs = max_wait_secs

    def create_session(self):
        self._scaffold.finalize()
        if self._session_manager is None:
            self._session_manager = SessionManager(
                local_init_op=self._scaffold.local_init_op, local_init_feed_dict=self._scaffold.local_init_feed_dict,
                ready_op=self._scaffold.ready_op, ready_for_local_init_op=self._scaffold.ready_for_local_init_op,
                graph=get_default_graph())
        return self._session_manager.wait_for_session(self._master, config=self._config,
                                                      max_wait_secs=self._max_wait_secs)


# =========================================================================== MonitoredSession
_PREEMPTION_ERRORS = (errors.AbortedError, errors.UnavailableError)


def _raise_if_feeds_intersect(feeds1, feeds2, message):
    intersection = set(feeds1.keys()) & set(feeds2.keys())
    if intersection:
        raise RuntimeError(message + " Conflict(s): " + str(list(intersection)))


def _merge_run_options(options, incoming):
    """Fold a hook's RunOptions into the run's: the higher trace level, the shorter positive timeout."""
    options.trace_level = max(options.trace_level, incoming.trace_level)
    if incoming.timeout_in_ms:
        options.timeout_in_ms = (min(options.timeout_in_ms, incoming.timeout_in_ms) if options.timeout_in_ms
                                 else incoming.timeout_in_ms)
    if incoming.output_partition_graphs:
        options.output_partition_graphs = True
    if incoming.report_tensor_allocations_upon_oom:
        options.report_tensor_allocations_upon_oom = True


class _MonitoredSession:
    """What MonitoredSession and SingularMonitoredSession share (see the module's docstring)."""

    def __init__(self, session_creator, hooks, should_recover, stop_grace_period_secs=120):
        self._graph_was_finalized = get_default_graph().finalized
        self._hooks = list(hooks or [])
        for h in self._hooks:
            h.begin()
        self._session_creator = session_creator
        self._should_recover = should_recover
        self._stop_grace_period_secs = stop_grace_period_secs
        self._tf_sess = None
        self._coord = None
        self._threads = []
        self._hooks_stop = False
        self._closed = False
        self._create_session()

    # ---- the session, its queue runners, the hooks told
    def _create_session(self):
        self._tf_sess = self._session_creator.create_session()
        self._coord = Coordinator()
        self._threads = queue_runner.start_queue_runners(sess=self._tf_sess, coord=self._coord)
        self._hooks_stop = False
        for hook in self._hooks:
            hook.after_create_session(self._tf_sess, self._coord)

    def _close_tf_session(self):
        """Stop the queue runners (re-raising what one of them reported) and close the session."""
        if self._tf_sess is None:
            return
        self._coord.request_stop()
        try:
            self._coord.join(self._threads, stop_grace_period_secs=self._stop_grace_period_secs,
                             ignore_live_threads=True)
        finally:
            try:
                self._tf_sess.close()
            except Exception:  # noqa: BLE001 - closing must not hide the error being raised
                pass

    @property
    def graph(self):
        """The graph that was launched in this session."""
        return None if self._tf_sess is None else self._tf_sess.graph

    def should_stop(self):
        """True once a hook requested a stop, the coordinator was asked to stop, or the session is closed."""
        if self._tf_sess is None:
            return True
        return self._hooks_stop or self._coord.should_stop()

    # ---- run
    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Run `fetches` as Session.run does, with the hooks' before_run/after_run around it; returns the values of
        `fetches` only. RuntimeError once should_stop() is True."""
        if self._tf_sess is None:
            raise RuntimeError("Run called on a closed MonitoredSession: make the runs inside its `with` block.")
        while True:
            try:
                return self._coordinated_run(fetches, feed_dict, options, run_metadata)
            except _PREEMPTION_ERRORS as e:
                if not self._should_recover:
                    raise
                logging.info("An error was raised. This may be due to a preemption in a connected worker or "
                             "parameter server. The current session will be closed and a new session will be "
                             "created. Error: %s", str(e))
                self._close_tf_session()
                self._create_session()

    class StepContext:
        """What `run_step_fn` hands its `step_fn`: the raw `session` (runs without hooks), `run_with_hooks(...)` (a
        MonitoredSession run) and `request_stop()` (ends step_fn and the training loop: StopIteration)."""

        def __init__(self, session, run_with_hooks_fn):
            self._session = session
            self._run_with_hooks_fn = run_with_hooks_fn

        @property
        def session(self):
            return self._session

        def run_with_hooks(self, *args, **kwargs):
            return self._run_with_hooks_fn(*args, **kwargs)

        def request_stop(self):
            raise StopIteration("step_fn has requested the iterations to stop.")

    def run_step_fn(self, step_fn):
        """Call `step_fn(step_context)` (a StepContext) and return what it returns. StopIteration when it called
        `step_context.request_stop()`; the `with` block of the MonitoredSession swallows it."""
        import inspect
        params = tuple(inspect.signature(step_fn).parameters)
        if params not in (("step_context",), ("self", "step_context")):
            raise ValueError("`step_fn` may either have one `step_context` argument, or `self` and `step_context` "
                             "arguments if it's an instance method. Got {} instead.".format(params))
        if self._tf_sess is None:
            raise RuntimeError("Run called on a closed MonitoredSession: make the runs inside its `with` block.")
        return step_fn(_MonitoredSession.StepContext(self._tf_sess, self.run))

    def _coordinated_run(self, fetches, feed_dict, options, run_metadata):
        try:
            return self._hooked_run(fetches, feed_dict, options, run_metadata)
        except _PREEMPTION_ERRORS:
            raise
        except Exception:
            # a queue runner's error explains a failed run (a closed queue, say) better than the run's own
            exc = sys.exc_info()[1]
            try:
                self._coord.raise_requested_exception()
            except _PREEMPTION_ERRORS:
                raise
            except Exception:  # noqa: BLE001 - the run's error is the one to show
                raise exc from None
            raise

    def _hooked_run(self, fetches, feed_dict, options, run_metadata):
        if self.should_stop():
            raise RuntimeError("Run called even after should_stop requested.")
        run_context = SessionRunContext(original_args=SessionRunArgs(fetches, feed_dict), session=self._tf_sess)
        options = options or RunOptions()
        actual_fetches = {"caller": fetches}
        hook_feeds = {}
        for i, hook in enumerate(self._hooks):
            request = hook.before_run(run_context)
            if request is None:
                continue
            if request.fetches is not None:
                actual_fetches[i] = request.fetches
            if request.feed_dict:
                _raise_if_feeds_intersect(hook_feeds, request.feed_dict, "Same tensor is fed by two hooks.")
                hook_feeds.update(request.feed_dict)
            if request.options:
                _merge_run_options(options, request.options)
        if hook_feeds and feed_dict:
            _raise_if_feeds_intersect(feed_dict, hook_feeds, "Same tensor is fed by a SessionRunHook and user.")
            hook_feeds.update(feed_dict)
            feed_dict = hook_feeds
        elif hook_feeds:
            feed_dict = hook_feeds
        run_metadata = run_metadata or RunMetadata()
        outputs = self._tf_sess.run(actual_fetches, feed_dict=feed_dict, options=options, run_metadata=run_metadata)
        for i, hook in enumerate(self._hooks):
            hook.after_run(run_context, SessionRunValues(results=outputs.get(i), options=options,
                                                         run_metadata=run_metadata))
        self._hooks_stop = self._hooks_stop or run_context.stop_requested
        return outputs["caller"]

    # ---- close
    def close(self):
        """Call the hooks' end(), stop the queue runners and close the session."""
        self._close_internal(None)

    def _close_internal(self, exception_type=None):
        try:
            if not exception_type:
                for h in self._hooks:
                    h.end(self._tf_sess)
        finally:
            try:
                if self._tf_sess is None:
                    raise RuntimeError("Session is already closed.")
                self._close_tf_session()
            finally:
                self._tf_sess = None
                self._coord = None
                if not self._graph_was_finalized:
                    get_default_graph()._unsafe_unfinalize()  # the graph can be added to again

    def __enter__(self):
        return self

    def __exit__(self, exception_type, exception_value, traceback):
        if exception_type in (errors.OutOfRangeError, StopIteration):
            exception_type = None  # the input's end: a normal end of training
        self._close_internal(exception_type)
        return exception_type is None  # True swallows the OutOfRangeError


class MonitoredSession(_MonitoredSession):
    """A session that initializes or restores the model, runs queue runners and calls `hooks` around each run
    (see the module's docstring). A run that fails with AbortedError or UnavailableError makes a new session.

    session_creator: a ChiefSessionCreator (the default) or WorkerSessionCreator.
    stop_grace_period_secs: how long close() waits for the queue runners' threads.
    """

    def __init__(self, session_creator=None, hooks=None, stop_grace_period_secs=120):
        super().__init__(session_creator or ChiefSessionCreator(), hooks, should_recover=True,
                         stop_grace_period_secs=stop_grace_period_secs)


class SingularMonitoredSession(_MonitoredSession):
    """A MonitoredSession for one process (a chief, no recovery), made from its parts; `raw_session()` is the
    tf.Session inside (to run things without the hooks)."""

    def __init__(self, hooks=None, scaffold=None, master="", config=None, checkpoint_dir=None,
                 stop_grace_period_secs=120, checkpoint_filename_with_path=None):
        creator = ChiefSessionCreator(scaffold=scaffold, master=master, config=config, checkpoint_dir=checkpoint_dir,
                                      checkpoint_filename_with_path=checkpoint_filename_with_path)
        super().__init__(creator, hooks, should_recover=False, stop_grace_period_secs=stop_grace_period_secs)

    def raw_session(self):
        """The tf.Session inside (its runs call no hooks)."""
        return self._tf_sess


def MonitoredTrainingSession(master="", is_chief=True, checkpoint_dir=None, scaffold=None, hooks=None,  # noqa: N802
                             chief_only_hooks=None, save_checkpoint_secs=USE_DEFAULT,
                             save_summaries_steps=USE_DEFAULT, save_summaries_secs=USE_DEFAULT, config=None,
                             stop_grace_period_secs=120, log_step_count_steps=100, max_wait_secs=7200,
                             save_checkpoint_steps=USE_DEFAULT, summary_dir=None, save_graph_def=True):
    """A MonitoredSession set up for training (TF's function of this name).

    The chief restores from `checkpoint_dir` (or initializes), and gets these hooks before `hooks`: its
    `chief_only_hooks`; a StepCounterHook (every `log_step_count_steps`) and a SummarySaverHook (every
    `save_summaries_steps` steps, 100 unless `save_summaries_secs` is given) writing to `summary_dir` (default
    `checkpoint_dir`); a CheckpointSaverHook into `checkpoint_dir` (every `save_checkpoint_secs`, 600 unless
    `save_checkpoint_steps` is given). None or 0 turns one off. A worker (is_chief=False) waits up to
    `max_wait_secs` for the chief's model and gets only `hooks`.
    """
    if save_summaries_steps is USE_DEFAULT and save_summaries_secs is USE_DEFAULT:
        save_summaries_steps, save_summaries_secs = 100, None
    elif save_summaries_secs is USE_DEFAULT:
        save_summaries_secs = None
    elif save_summaries_steps is USE_DEFAULT:
        save_summaries_steps = None
    if save_checkpoint_steps is USE_DEFAULT and save_checkpoint_secs is USE_DEFAULT:
        save_checkpoint_steps, save_checkpoint_secs = None, 600
    elif save_checkpoint_secs is USE_DEFAULT:
        save_checkpoint_secs = None
    elif save_checkpoint_steps is USE_DEFAULT:
        save_checkpoint_steps = None

    scaffold = scaffold or Scaffold()
    if not is_chief:
        creator = WorkerSessionCreator(scaffold=scaffold, master=master, config=config, max_wait_secs=max_wait_secs)
        return MonitoredSession(session_creator=creator, hooks=hooks or [],
                                stop_grace_period_secs=stop_grace_period_secs)

    all_hooks = list(chief_only_hooks or [])
    creator = ChiefSessionCreator(scaffold=scaffold, checkpoint_dir=checkpoint_dir, master=master, config=config)
    summary_dir = summary_dir or checkpoint_dir
    if summary_dir:
        if log_step_count_steps and log_step_count_steps > 0:
            all_hooks.append(basic_session_run_hooks.StepCounterHook(output_dir=summary_dir,
                                                                     every_n_steps=log_step_count_steps))
        if (save_summaries_steps and save_summaries_steps > 0) or (save_summaries_secs and save_summaries_secs > 0):
            all_hooks.append(basic_session_run_hooks.SummarySaverHook(
                scaffold=scaffold, save_steps=save_summaries_steps, save_secs=save_summaries_secs,
                output_dir=summary_dir))
    if checkpoint_dir:
        if (save_checkpoint_secs and save_checkpoint_secs > 0) or (save_checkpoint_steps and save_checkpoint_steps > 0):
            all_hooks.append(basic_session_run_hooks.CheckpointSaverHook(
                checkpoint_dir, save_steps=save_checkpoint_steps, save_secs=save_checkpoint_secs, scaffold=scaffold,
                save_graph_def=save_graph_def))
    if hooks:
        all_hooks.extend(hooks)
    return MonitoredSession(session_creator=creator, hooks=all_hooks, stop_grace_period_secs=stop_grace_period_secs)
