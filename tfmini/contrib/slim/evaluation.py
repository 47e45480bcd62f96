"""slim.evaluation: run streaming metrics over a checkpoint (evaluate_once) or over each new checkpoint
a training run writes (evaluation_loop).

    names_to_values, names_to_updates = slim.metrics.aggregate_metric_map({
        "accuracy": slim.metrics.streaming_accuracy(predictions, labels)})
    values = slim.evaluation.evaluate_once("", tf.train.latest_checkpoint(train_dir), eval_dir,
                                           num_evals=10, eval_op=list(names_to_updates.values()),
                                           final_op=list(names_to_values.values()))
"""
import logging
import os
import time

from ...framework.dtypes import int64
from ...framework.ops import GraphKeys, get_default_graph
from ...init_ops import zeros_initializer
from ...ops import state_ops
from ...train import training_util
from ...variable_scope import get_variable
from ...variables import local_variables_initializer
from .learning import _Progress, _merge_all_summaries

__all__ = ["evaluate_once", "evaluation_loop", "wait_for_new_checkpoint", "checkpoints_iterator",
           "get_or_create_eval_step"]

_USE_DEFAULT = 0
_logger = logging.getLogger("tensorflow")  # TF's logger: tf.logging.set_verbosity shows it


def get_or_create_eval_step():
    """The graph's evaluation counter: a local int64 scalar 'eval_step:0' (collection
    GraphKeys.EVAL_STEP), made the first time; evaluate_once adds 1 to it per eval_op run."""
    eval_steps = get_default_graph().get_collection(GraphKeys.EVAL_STEP)
    if len(eval_steps) == 1:
        return eval_steps[0]
    if len(eval_steps) > 1:
        raise ValueError("Multiple tensors added to tf.GraphKeys.EVAL_STEP")
    return get_variable("eval_step", shape=[], dtype=int64, initializer=zeros_initializer(), trainable=False,
                        collections=[GraphKeys.LOCAL_VARIABLES, GraphKeys.EVAL_STEP])


def _with_eval_step(eval_op, update_eval_step):
    """`eval_op` (an op, a list or a dict of them) with the eval-step increment added, as TF does."""
    if eval_op is None:
        return None
    if isinstance(eval_op, dict):
        return dict(eval_op, update_eval_step=update_eval_step)
    if isinstance(eval_op, (list, tuple)):
        return list(eval_op) + [update_eval_step]
    return [eval_op, update_eval_step]


def _merged_feed(feed_fn, feed_dict):
    if feed_fn is None:
        return feed_dict
    fed = dict(feed_dict or {})
    fed.update(feed_fn() or {})
    return fed


def evaluate_once(master, checkpoint_path, logdir, num_evals=1, initial_op=None, initial_op_feed_dict=None,
                  eval_op=None, eval_op_feed_dict=None, final_op=None, final_op_feed_dict=None,
                  summary_op=_USE_DEFAULT, summary_op_feed_dict=None, variables_to_restore=None,
                  session_config=None, hooks=None, feed_fn=None, progress_bar=True):
    """Evaluate the checkpoint `checkpoint_path` once, in a new session; returns the value of `final_op`.

    Restores `variables_to_restore` (default: every global variable) from the checkpoint, runs the
    local-variable initializer (which zeroes the metrics), then `initial_op`, then `eval_op` (an op,
    or a list or dict of them: usually the metrics' update ops) `num_evals` times, then `final_op`
    (a tensor, or a list or dict of them: usually the metrics' values), whose value it returns
    (None without a final_op). `summary_op` (default: every summary in the graph) is run at the end
    and written to an event file in `logdir`, at the global step of the checkpoint.

    `hooks` (tf.train.SessionRunHooks) run around each eval_op run, as TF's evaluation runs them in a
    MonitoredSession; one may stop the evaluation early (run_context.request_stop()).

    tfmini additions: `feed_fn()` gives the feed_dict of each eval_op run (e.g. the next batch of
    the test set), merged over `eval_op_feed_dict`; `progress_bar=False` hides the progress bar.
    """
    evaluator = _Evaluator(eval_op, summary_op, variables_to_restore, hooks)
    return evaluator.run(master, checkpoint_path, logdir, num_evals, initial_op, initial_op_feed_dict,
                         eval_op_feed_dict, final_op, final_op_feed_dict, summary_op_feed_dict, session_config,
                         feed_fn, progress_bar)


class _Evaluator:
    """The ops an evaluation adds to the graph (built once, so that evaluation_loop does not grow
    the graph with each checkpoint) and the run over one checkpoint."""

    def __init__(self, eval_op, summary_op, variables_to_restore, hooks):
        from ...train import Saver

        self.hooks = list(hooks or [])
        self.graph = get_default_graph()
        self.summary_op = _merge_all_summaries() if summary_op is _USE_DEFAULT else summary_op
        eval_step = get_or_create_eval_step()
        self.eval_op = None if eval_op is None else _with_eval_step(eval_op, state_ops.assign_add(eval_step, 1))
        self.saver = Saver(variables_to_restore)
        self.local_init_op = local_variables_initializer()
        self.global_step = training_util.get_global_step()

    def run(self, master, checkpoint_path, logdir, num_evals, initial_op, initial_op_feed_dict, eval_op_feed_dict,
            final_op, final_op_feed_dict, summary_op_feed_dict, session_config, feed_fn, progress_bar):
        from ...client.session import Session

        _logger.info("Starting evaluation at %s", time.strftime("%Y-%m-%d-%H:%M:%S", time.gmtime()))
        final_op_value = None
        with Session(master, graph=self.graph, config=session_config) as sess:
            self.saver.restore(sess, checkpoint_path)
            sess.run(self.local_init_op)
            if initial_op is not None:
                sess.run(initial_op, initial_op_feed_dict)
            if self.hooks:
                # the hooks around each eval_op run (a MonitoredSession over this session; a hook may stop the
                # evaluation early); the final op and the summary at its end, as TF's FinalOpsHook and
                # SummaryAtEndHook
                from ...train import MonitoredSession, SessionCreator, SessionRunHook

                evaluator = self

                class Prepared(SessionCreator):
                    def create_session(self):
                        return sess

                class AtEnd(SessionRunHook):
                    value = None

                    def end(self, session):
                        if final_op is not None:
                            self.value = session.run(final_op, final_op_feed_dict)
                        if evaluator.summary_op is not None and logdir is not None:
                            evaluator._write_summary(session, logdir, summary_op_feed_dict)

                at_end = AtEnd()
                with MonitoredSession(Prepared(), self.hooks + [at_end]) as hooked:
                    self._eval_loop(hooked.run, hooked.should_stop, num_evals, eval_op_feed_dict, feed_fn,
                                    progress_bar)
                return self._finished(at_end.value)
            self._eval_loop(sess.run, lambda: False, num_evals, eval_op_feed_dict, feed_fn, progress_bar)
            if final_op is not None:
                final_op_value = sess.run(final_op, final_op_feed_dict)
            if self.summary_op is not None and logdir is not None:
                self._write_summary(sess, logdir, summary_op_feed_dict)
        return self._finished(final_op_value)

    def _eval_loop(self, run, should_stop, num_evals, eval_op_feed_dict, feed_fn, progress_bar):
        if self.eval_op is None:
            return
        progress = _Progress(int(num_evals), desc="eval", enabled=progress_bar)
        try:
            for i in range(int(num_evals)):
                if should_stop():
                    break
                run(self.eval_op, _merged_feed(feed_fn, eval_op_feed_dict))
                _logger.info("Evaluation [%d/%d]", i + 1, num_evals)
                progress.update()
        finally:
            progress.close()

    @staticmethod
    def _finished(final_op_value):
        _logger.info("Finished evaluation at %s", time.strftime("%Y-%m-%d-%H:%M:%S", time.gmtime()))
        return final_op_value

    def _write_summary(self, sess, logdir, feed_dict):
        try:
            from ...summary import FileWriterCache
        except ImportError:  # no tf.summary in this tfmini
            return
        with self.graph.as_default():
            writer = FileWriterCache.get(logdir)  # one event file per logdir, as TF's SummaryAtEndHook
        step = training_util.global_step(sess, self.global_step) if self.global_step is not None else None
        writer.add_summary(sess.run(self.summary_op, feed_dict), step)
        writer.flush()


def wait_for_new_checkpoint(checkpoint_dir, last_checkpoint=None, seconds_to_sleep=1, timeout=None):
    """The newest checkpoint prefix in `checkpoint_dir` other than `last_checkpoint`, waiting for it
    (polling every `seconds_to_sleep` s); None after `timeout` seconds without one."""
    from ...train import latest_checkpoint

    _logger.info("Waiting for new checkpoint at %s", checkpoint_dir)
    stop_time = time.time() + timeout if timeout is not None else None
    while True:
        checkpoint_path = latest_checkpoint(checkpoint_dir) if os.path.isdir(checkpoint_dir) else None
        if checkpoint_path is not None and checkpoint_path != last_checkpoint:
            _logger.info("Found new checkpoint at %s", checkpoint_path)
            return checkpoint_path
        if stop_time is not None and time.time() + seconds_to_sleep > stop_time:
            return None
        time.sleep(seconds_to_sleep)


def checkpoints_iterator(checkpoint_dir, min_interval_secs=0, timeout=None, timeout_fn=None):
    """Yield each new checkpoint of `checkpoint_dir` as it appears, at most one per `min_interval_secs`;
    stop after `timeout` seconds without a new one (unless `timeout_fn()` returns False)."""
    checkpoint_path = None
    while True:
        new_checkpoint_path = wait_for_new_checkpoint(checkpoint_dir, checkpoint_path, timeout=timeout)
        if new_checkpoint_path is None:
            if not timeout_fn:
                _logger.info("Timed-out waiting for a checkpoint.")
                return
            if timeout_fn():
                return
            continue
        start = time.time()
        checkpoint_path = new_checkpoint_path
        yield checkpoint_path
        time_to_next_eval = start + min_interval_secs - time.time()
        if time_to_next_eval > 0:
            time.sleep(time_to_next_eval)


def evaluation_loop(master, checkpoint_dir, logdir, num_evals=1, initial_op=None, initial_op_feed_dict=None,
                    init_fn=None, eval_op=None, eval_op_feed_dict=None, final_op=None, final_op_feed_dict=None,
                    summary_op=_USE_DEFAULT, summary_op_feed_dict=None, variables_to_restore=None,
                    eval_interval_secs=60, max_number_of_evaluations=None, session_config=None, timeout=None,
                    timeout_fn=None, hooks=None, feed_fn=None, progress_bar=True):
    """evaluate_once on each new checkpoint in `checkpoint_dir` (at most one per `eval_interval_secs`),
    until `max_number_of_evaluations` were done or no new checkpoint came for `timeout` seconds;
    returns the final_op value of the last evaluation. (`init_fn` is accepted for TF's signature:
    the restored checkpoint sets every variable.)"""
    evaluator = _Evaluator(eval_op, summary_op, variables_to_restore, hooks)
    final_op_value = None
    done = 0
    for checkpoint_path in checkpoints_iterator(checkpoint_dir, eval_interval_secs, timeout, timeout_fn):
        final_op_value = evaluator.run(master, checkpoint_path, logdir, num_evals, initial_op, initial_op_feed_dict,
                                       eval_op_feed_dict, final_op, final_op_feed_dict, summary_op_feed_dict,
                                       session_config, feed_fn, progress_bar)
        done += 1
        if max_number_of_evaluations is not None and done >= max_number_of_evaluations:
            break
    return final_op_value
