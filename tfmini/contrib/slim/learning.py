"""slim.learning: the train op (update ops, gradient clipping and multipliers, gradient summaries) and a
small training loop that shows a progress bar, logs the loss, writes summaries and saves checkpoints.

    total_loss = slim.losses.get_total_loss()
    train_op = slim.learning.create_train_op(total_loss, tf.train.AdamOptimizer(1e-3))
    slim.learning.train(train_op, "/tmp/logdir", number_of_steps=1000, log_every_n_steps=100)
"""
import logging
import os
import sys
import time

from ...framework.indexed_slices import IndexedSlices
from ...framework.ops import GraphKeys, add_to_collection, control_dependencies, get_collection, name_scope
from ...ops import array_ops, clip_ops, control_flow_ops, math_ops
from ...train import training_util
from ...train.optimizer import Optimizer
from ...variables import global_variables_initializer, local_variables_initializer, trainable_variables

__all__ = ["create_train_op", "clip_gradient_norms", "multiply_gradients", "add_gradients_summaries", "train",
           "train_step"]

_USE_GLOBAL_STEP = 0
_USE_DEFAULT = 0
_logger = logging.getLogger("tensorflow")  # TF's logger: tf.logging.set_verbosity shows it


def clip_gradient_norms(gradients_to_variables, max_norm):
    """Each gradient clipped to norm `max_norm` (tf.clip_by_norm); None gradients stay None."""
    clipped = []
    for grad, var in gradients_to_variables:
        if grad is not None:
            grad = clip_ops.clip_by_norm(grad, max_norm)
        clipped.append((grad, var))
    return clipped


def multiply_gradients(grads_and_vars, gradient_multipliers):
    """Each gradient times `gradient_multipliers[var]` (keys: variables or their op names)."""
    if not isinstance(grads_and_vars, list):
        raise ValueError("`grads_and_vars` must be a list.")
    if not gradient_multipliers:
        raise ValueError("`gradient_multipliers` is empty.")
    if not isinstance(gradient_multipliers, dict):
        raise ValueError("`gradient_multipliers` must be a dict.")
    multiplied = []
    for grad, var in grads_and_vars:
        key = var if var in gradient_multipliers else var.op.name
        if key in gradient_multipliers and grad is not None:
            multiplier = gradient_multipliers[key]
            if isinstance(grad, IndexedSlices):  # a sparse gradient stays sparse: its values scaled
                grad = IndexedSlices(grad.values * math_ops.cast(multiplier, grad.dtype), grad.indices,
                                     grad.dense_shape)
            else:
                grad = math_ops.multiply(grad, math_ops.cast(multiplier, grad.dtype))
        multiplied.append((grad, var))
    return multiplied


def add_gradients_summaries(grads_and_vars):
    """Histogram summaries of the gradients and their norms, where tfmini has tf.summary (else none)."""
    try:
        from ... import summary
    except ImportError:  # no tf.summary in this tfmini yet
        return []
    summaries = []
    for grad, var in grads_and_vars:
        if grad is not None:
            values = grad.values if isinstance(grad, IndexedSlices) else grad  # a sparse gradient: its slices
            summaries.append(summary.histogram(var.op.name + "/gradient", values))
            summaries.append(summary.scalar(var.op.name + "/gradient_norm", clip_ops.global_norm([values])))
    return summaries


def create_train_op(total_loss, optimizer, global_step=_USE_GLOBAL_STEP, update_ops=None, variables_to_train=None,
                    clip_gradient_norm=0, summarize_gradients=False, gate_gradients=Optimizer.GATE_OP,
                    aggregation_method=None, colocate_gradients_with_ops=False, gradient_multipliers=None,
                    check_numerics=True):
    """A tensor that, when run, computes `total_loss` and applies one step of `optimizer`.

    Runs the ops in GraphKeys.UPDATE_OPS first (batch norm's moving averages) unless `update_ops`
    says otherwise, trains `variables_to_train` (default: all trainable variables), clips each
    gradient to `clip_gradient_norm` when > 0, and increments the global step (created if
    missing; pass None not to count). The returned tensor's value is the loss before the step.
    """
    if global_step is _USE_GLOBAL_STEP:
        global_step = training_util.get_or_create_global_step()
    global_update_ops = set(get_collection(GraphKeys.UPDATE_OPS))
    if update_ops is None:
        update_ops = global_update_ops
    else:
        update_ops = set(update_ops)
    if not global_update_ops.issubset(update_ops):
        _logger.warning("update_ops in create_train_op does not contain all the update_ops in GraphKeys.UPDATE_OPS")
    if update_ops:
        with control_dependencies(sorted(update_ops, key=lambda u: u.name)):
            barrier = control_flow_ops.no_op(name="update_barrier")
        total_loss = control_flow_ops.with_dependencies([barrier], total_loss)
    if variables_to_train is None:
        variables_to_train = trainable_variables()
    else:
        trainable = trainable_variables()
        for v in variables_to_train:
            if not any(v is t for t in trainable):
                raise ValueError("Variable %s is not a trainable variable." % v.name)
    if not variables_to_train:
        raise ValueError("No variables to optimize.")
    grads = optimizer.compute_gradients(total_loss, variables_to_train, gate_gradients=gate_gradients,
                                        aggregation_method=aggregation_method,
                                        colocate_gradients_with_ops=colocate_gradients_with_ops)
    if gradient_multipliers:
        with name_scope("multiply_grads"):
            grads = multiply_gradients(grads, gradient_multipliers)
    if clip_gradient_norm > 0:
        with name_scope("clip_grads"):
            grads = clip_gradient_norms(grads, clip_gradient_norm)
    if summarize_gradients:
        with name_scope("summarize_grads"):
            add_gradients_summaries(grads)
    grad_updates = optimizer.apply_gradients(grads, global_step=global_step)
    with name_scope("train_op"):
        if check_numerics and hasattr(array_ops, "check_numerics"):
            total_loss = array_ops.check_numerics(total_loss, "LossTensor is inf or nan")
        train_op = control_flow_ops.with_dependencies([grad_updates], total_loss)
    if train_op not in get_collection(GraphKeys.TRAIN_OP):
        add_to_collection(GraphKeys.TRAIN_OP, train_op)
    return train_op


class _Progress:
    """A progress bar over steps: tqdm when it is installed (tqdm.auto: a widget in notebooks), else a
    plain text line on stderr every `every` steps. Log lines go through `write`, so that they do not
    tear the bar."""

    def __init__(self, total, initial=0, every=1, desc="train", enabled=True):
        self._bar = None
        self._text = False
        self._total = total
        self._count = initial
        self._start = time.time()
        self._first = initial
        self._every = every
        if not enabled:
            return
        self._bar = self._make_bar(total=total, initial=initial, desc=desc, unit="step", dynamic_ncols=True)
        self._text = self._bar is None

    @staticmethod
    def _make_bar(**kwargs):
        try:
            from tqdm.auto import tqdm
        except ImportError:
            return None
        try:
            return tqdm(**kwargs)
        except ImportError:  # a notebook without ipywidgets: tqdm's text bar instead of the widget
            from tqdm import tqdm as text_tqdm
            return text_tqdm(**kwargs)

    def update(self, loss=None):
        """One more step done; `loss` (when given) is shown beside the bar."""
        self._count += 1
        if self._bar is not None:
            if loss is not None:
                self._bar.set_postfix_str("loss=%.4f" % loss, refresh=False)
            self._bar.update(1)
        elif self._text and self._every and self._count % self._every == 0:
            elapsed = time.time() - self._start
            rate = (self._count - self._first) / elapsed if elapsed > 0 else 0.0
            total = "/%d" % self._total if self._total else ""
            line = "[step %d%s] %.1f steps/s" % (self._count, total, rate)
            if self._total and rate > 0:
                line += ", %.0f s left" % (max(self._total - self._count, 0) / rate)
            if loss is not None:
                line += ", loss %.4f" % loss
            sys.stderr.write(line + "\n")

    def write(self, line):
        """`line` on stdout (above the bar)."""
        if self._bar is not None:
            self._bar.write(line, file=sys.stdout)
        else:
            sys.stdout.write(line + "\n")

    def close(self):
        if self._bar is not None:
            self._bar.close()


_active_progress = []  # the progress bar of the train() running now: train_step logs through it


def _log_line(line):
    if _active_progress:
        _active_progress[-1].write(line)
    else:
        sys.stdout.write(line + "\n")


def train(train_op, logdir, train_step_fn=None, train_step_kwargs=_USE_DEFAULT, log_every_n_steps=1, graph=None,
          master="", is_chief=True, global_step=None, number_of_steps=None, init_op=_USE_DEFAULT,
          init_feed_dict=None, local_init_op=_USE_DEFAULT, init_fn=None, ready_op=_USE_DEFAULT,
          summary_op=_USE_DEFAULT, save_summaries_secs=600, summary_writer=_USE_DEFAULT, startup_delay_steps=0,
          saver=None, save_interval_secs=600, sync_optimizer=None, session_config=None, session_wrapper=None,
          trace_every_n_steps=None, ignore_live_threads=False, feed_fn=None, progress_bar=True):
    """Run `train_op` until the global step reaches `number_of_steps` (forever when None), in a new session.

    Initializes the variables (then calls `init_fn(sess)`, e.g. an assign_from_checkpoint_fn),
    resumes from the latest checkpoint in `logdir` if there is one, logs 'global step N: loss =
    L (T sec/step)' every `log_every_n_steps` steps, saves `logdir/model.ckpt-N` every
    `save_interval_secs` seconds and at the end, writes the graph and `summary_op` (default: every
    summary in the graph) to an event file in `logdir` at the first step, every
    `save_summaries_secs` seconds and at the end, and returns the last loss.

    tfmini additions: `feed_fn()` returns the feed_dict of each step (e.g. the next mini-batch);
    `progress_bar=False` hides the progress bar (tqdm when installed, else a text line on stderr
    every `log_every_n_steps` steps).
    """
    from ...client.session import Session
    from ...train import Saver, latest_checkpoint

    if train_op is None:
        raise ValueError("train_op cannot be None.")
    if logdir is None:
        if summary_op is not _USE_DEFAULT and summary_op is not None:
            raise ValueError("Cannot provide summary_op because logdir=None")
        if saver is not None:
            raise ValueError("Cannot provide saver because logdir=None")
    if number_of_steps is not None and number_of_steps <= 0:
        raise ValueError("`number_of_steps` must be either None or a positive number.")
    g = graph or train_op.graph
    with g.as_default():
        if global_step is None:
            global_step = training_util.get_or_create_global_step()
        if init_op is _USE_DEFAULT:
            init_op = global_variables_initializer()
        if local_init_op is _USE_DEFAULT:
            local_init_op = local_variables_initializer()
        if summary_op is _USE_DEFAULT:
            summary_op = _merge_all_summaries() if logdir is not None else None
        if logdir is not None and saver is None:
            saver = Saver()
        if train_step_fn is None:
            train_step_fn = train_step
        if train_step_kwargs is _USE_DEFAULT or train_step_kwargs is None:
            train_step_kwargs = {}
        if number_of_steps:
            train_step_kwargs.setdefault("should_stop", math_ops.greater_equal(global_step, number_of_steps))
        train_step_kwargs.setdefault("should_log", log_every_n_steps)
    checkpoint_path = os.path.join(logdir, "model.ckpt") if logdir is not None else None
    own_writer = summary_writer is _USE_DEFAULT
    if own_writer:
        summary_writer = _file_writer(logdir, g) if logdir is not None else None
    write_summaries = summary_writer is not None and summary_op is not None
    loss = None
    with Session(master, graph=g, config=session_config) as sess:
        if init_op is not None:
            sess.run(init_op, feed_dict=init_feed_dict)
        if local_init_op is not None:
            sess.run(local_init_op)
        latest = latest_checkpoint(logdir) if logdir is not None and os.path.isdir(logdir) else None
        if latest is not None:
            saver.restore(sess, latest)
        elif init_fn is not None:
            init_fn(sess)
        start_step = training_util.global_step(sess, global_step)
        progress = _Progress(number_of_steps, initial=start_step, every=log_every_n_steps, enabled=progress_bar)
        _active_progress.append(progress)
        last_save = last_summary = time.time()
        summary_step = None  # the global step of the last summary written
        try:
            while True:
                feed_dict = feed_fn() if feed_fn is not None else None
                loss, should_stop = train_step_fn(sess, train_op, global_step, train_step_kwargs,
                                                  feed_dict=feed_dict)
                progress.update(_as_float(loss))
                if write_summaries and (summary_step is None or time.time() - last_summary >= save_summaries_secs):
                    summary_step = _write_summary(sess, summary_op, summary_writer, global_step, feed_dict)
                    last_summary = time.time()
                if saver is not None and time.time() - last_save >= save_interval_secs:
                    saver.save(sess, checkpoint_path, global_step=global_step)
                    last_save = time.time()
                if should_stop:
                    break
            if write_summaries and training_util.global_step(sess, global_step) != summary_step:
                _write_summary(sess, summary_op, summary_writer, global_step, feed_dict)
            if saver is not None:
                os.makedirs(logdir, exist_ok=True)
                saver.save(sess, checkpoint_path, global_step=global_step)
        finally:
            _active_progress.remove(progress)
            progress.close()
            if summary_writer is not None and own_writer:
                summary_writer.close()
            elif summary_writer is not None:
                summary_writer.flush()
    return loss


def _as_float(loss):
    try:
        return float(loss)
    except (TypeError, ValueError):  # a train_step_fn may return anything as its "loss"
        return None


def _merge_all_summaries():
    """tf.summary.merge_all(), or None when tfmini has no tf.summary (or the graph no summary)."""
    try:
        from ... import summary
    except ImportError:
        return None
    return summary.merge_all()


def _file_writer(logdir, g):
    """The event-file writer of `logdir` (with the graph, for TensorBoard), or None without tf.summary."""
    try:
        from ...summary import FileWriter
    except ImportError:
        return None
    return FileWriter(logdir, graph=g)


def _write_summary(sess, summary_op, summary_writer, global_step, feed_dict):
    summary, step = sess.run([summary_op, global_step], feed_dict=feed_dict)
    summary_writer.add_summary(summary, step)
    return step


def train_step(sess, train_op, global_step, train_step_kwargs, feed_dict=None):
    """One step: run `train_op` and the global step; log every `should_log` steps.
    Returns (loss, should_stop)."""
    start = time.time()
    total_loss, np_global_step = sess.run([train_op, global_step], feed_dict=feed_dict)
    elapsed = time.time() - start
    every = train_step_kwargs.get("should_log", 1)
    if every and np_global_step % every == 0:
        _log_line("global step %d: loss = %.4f (%.3f sec/step)" % (np_global_step, total_loss, elapsed))
    should_stop = False
    if "should_stop" in train_step_kwargs:
        should_stop = bool(sess.run(train_step_kwargs["should_stop"]))
    return total_loss, should_stop
