"""Writes tests/data/tf_monitored_session.json: what TensorFlow 2.21 (tf.compat.v1, v2 behaviour off) does with
MonitoredSession, MonitoredTrainingSession, the SessionRunHooks, Scaffold and Supervisor.

Each case is a source text run in a fresh graph with `tf`, `np`, `time`, `DIR` (an empty folder), `rec` (a list the
text appends to) and `catch` (f() -> ["ok", value] or [error class, message]) in scope. Recorded: `rec`; the error
that escaped the text, if any; the INFO+ lines logged to the "tensorflow" logger (and tfmini's "tfmini"; timings and
rates masked); the files under DIR (event files' times masked); and each event file's events as [step, what].
tests/test_monitored_session.py runs the same texts on tfmini through `run_case`.

Run with a TensorFlow install: /tmp/tfvenv/bin/python tests/data/gen/monitored_session.py
"""
import json
import logging
import os
import pathlib
import re
import sys
import tempfile
import time

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
OUT = pathlib.Path(__file__).resolve().parent.parent / "tf_monitored_session.json"

_PRELUDE = """
class Rec(tf.train.SessionRunHook):
    def __init__(self, name, fetch=None):
        self.name, self.fetch = name, fetch
    def begin(self):
        rec.append([self.name, 'begin', tf.get_default_graph().finalized])
    def after_create_session(self, session, coord):
        rec.append([self.name, 'after_create_session', tf.get_default_graph().finalized, coord.should_stop()])
    def before_run(self, run_context):
        rec.append([self.name, 'before_run', run_context.stop_requested])
        return tf.train.SessionRunArgs(self.fetch) if self.fetch is not None else None
    def after_run(self, run_context, run_values):
        r = run_values.results
        rec.append([self.name, 'after_run', None if r is None else np.asarray(r).tolist(), run_context.stop_requested])
    def end(self, session):
        rec.append([self.name, 'end'])
"""

CASES = {
    "hook_order": """
gs = tf.train.get_or_create_global_step()
train = tf.assign_add(gs, 1)
with tf.train.MonitoredSession(hooks=[Rec('a', gs), tf.train.StopAtStepHook(num_steps=3), Rec('b')]) as sess:
    while not sess.should_stop():
        rec.append(['run', int(sess.run(train))])
rec.append(['finalized after close', tf.get_default_graph().finalized])
""",
    "checkpoint_steps_and_resume": """
gs = tf.train.get_or_create_global_step()
w = tf.get_variable('w', [], initializer=tf.constant_initializer(1.0))
train = tf.group(tf.assign_add(gs, 1), tf.assign_add(w, 0.5))
for last in (5, 9):
    with tf.train.MonitoredTrainingSession(checkpoint_dir=DIR, hooks=[tf.train.StopAtStepHook(last_step=last),
            Rec('r', [gs, w])], save_checkpoint_steps=2, save_summaries_steps=None, log_step_count_steps=None) as s:
        while not s.should_stop():
            s.run(train)
    st = tf.train.get_checkpoint_state(DIR)
    rec.append(['state', os.path.basename(st.model_checkpoint_path),
                [os.path.basename(p) for p in st.all_model_checkpoint_paths]])
""",
    "checkpoint_default_secs": """
gs = tf.train.get_or_create_global_step()
train = tf.assign_add(gs, 1)
with tf.train.MonitoredTrainingSession(checkpoint_dir=DIR, hooks=[tf.train.StopAtStepHook(last_step=4)]) as s:
    while not s.should_stop():
        s.run(train)
rec.append(tf.train.latest_checkpoint(DIR).replace(DIR, '<DIR>'))
""",
    "nan_fails": """
gs = tf.train.get_or_create_global_step()
loss = tf.cond(gs < 2, lambda: tf.constant(1.0), lambda: tf.constant(np.nan))
train = tf.assign_add(gs, 1)
with tf.train.MonitoredSession(hooks=[tf.train.NanTensorHook(loss), Rec('r')]) as s:
    while not s.should_stop():
        rec.append(['loss', float(s.run([train, loss])[1])])
""",
    "nan_stops": """
gs = tf.train.get_or_create_global_step()
loss = tf.cond(gs < 2, lambda: tf.constant(1.0), lambda: tf.constant(np.nan))
train = tf.assign_add(gs, 1)
with tf.train.MonitoredSession(hooks=[tf.train.NanTensorHook(loss, fail_on_nan_loss=False), Rec('r')]) as s:
    while not s.should_stop():
        rec.append(['loss', float(s.run([train, loss])[1])])
rec.append(['stopped', s.should_stop()])
""",
    "logging_tensor_hook": """
gs = tf.train.get_or_create_global_step()
loss = tf.multiply(0.5, tf.cast(gs, tf.float32), name='loss')
train = tf.assign_add(gs, 1)
hooks = [tf.train.StopAtStepHook(last_step=5),
         tf.train.LoggingTensorHook({'loss': loss, 'step': gs}, every_n_iter=2),
         tf.train.LoggingTensorHook(['loss', 'loss:0'], every_n_iter=3, at_end=True),
         tf.train.LoggingTensorHook({'l': 'loss'}, at_end=True, formatter=lambda v: 'custom l=%s' % v['l'])]
with tf.train.MonitoredSession(hooks=hooks) as s:
    while not s.should_stop():
        s.run(train)
""",
    "summaries_and_step_counter": """
gs = tf.train.get_or_create_global_step()
loss = tf.multiply(0.5, tf.cast(gs, tf.float32), name='loss')
tf.summary.scalar('loss', loss)
train = tf.assign_add(gs, 1)
with tf.train.MonitoredTrainingSession(checkpoint_dir=DIR, hooks=[tf.train.StopAtStepHook(last_step=7)],
        save_summaries_steps=2, log_step_count_steps=3, save_checkpoint_secs=None) as s:
    while not s.should_stop():
        s.run(train)
""",
    "summary_dir_secs": """
gs = tf.train.get_or_create_global_step()
tf.summary.scalar('g', tf.cast(gs, tf.float32))
train = tf.assign_add(gs, 1)
with tf.train.MonitoredTrainingSession(checkpoint_dir=DIR + '/ckpt', summary_dir=DIR + '/sum',
        hooks=[tf.train.StopAtStepHook(last_step=3)], save_summaries_secs=3600, log_step_count_steps=None,
        save_checkpoint_steps=100) as s:
    while not s.should_stop():
        s.run(train)
""",
    "out_of_range_ends_loop": """
q = tf.train.string_input_producer(['a', 'b', 'c'], num_epochs=1, shuffle=False)
v = q.dequeue()
gs = tf.train.get_or_create_global_step()
train = tf.assign_add(gs, 1)
with tf.train.MonitoredTrainingSession(hooks=[Rec('r')]) as s:
    while not s.should_stop():
        rec.append(['value', s.run([v, train])[0].decode()])
rec.append(['after', 'loop left'])
""",
    "out_of_range_caught": """
x = tf.train.limit_epochs(tf.constant(7), num_epochs=2)
with tf.train.MonitoredSession() as s:
    rec.append(catch(lambda: int(s.run(x))))
    rec.append(catch(lambda: int(s.run(x))))
    rec.append(catch(lambda: int(s.run(x))))
    rec.append(['should_stop', s.should_stop()])
""",
    "user_error_skips_end": """
gs = tf.train.get_or_create_global_step()
train = tf.assign_add(gs, 1)
with tf.train.MonitoredSession(hooks=[Rec('r')]) as s:
    s.run(train)
    raise ValueError('from the loop')
""",
    "errors": """
rec.append(catch(lambda: tf.train.StopAtStepHook()))
rec.append(catch(lambda: tf.train.StopAtStepHook(num_steps=1, last_step=2)))
rec.append(catch(lambda: tf.train.LoggingTensorHook(['x'])))
rec.append(catch(lambda: tf.train.LoggingTensorHook(['x'], every_n_iter=2, every_n_secs=3)))
rec.append(catch(lambda: tf.train.LoggingTensorHook(['x'], every_n_iter=0)))
rec.append(catch(lambda: tf.train.SummarySaverHook(save_steps=1)))
rec.append(catch(lambda: tf.train.SummarySaverHook(save_steps=1, scaffold=tf.train.Scaffold(),
                                                   summary_op=tf.constant(''))))
rec.append(catch(lambda: tf.train.CheckpointSaverHook(DIR, save_steps=1, saver=1, scaffold=2)))
rec.append(catch(lambda: tf.train.CheckpointSaverHook(DIR)))
rec.append(catch(lambda: tf.train.CheckpointSaverHook(DIR, save_secs=1, save_steps=1)))
rec.append(catch(lambda: tf.train.StepCounterHook(every_n_steps=None)))
rec.append(catch(lambda: tf.train.MonitoredSession(hooks=[tf.train.StopAtStepHook(num_steps=1)])))
g2 = tf.Graph()
with g2.as_default():
    rec.append(catch(lambda: tf.train.MonitoredSession(hooks=[tf.train.StepCounterHook()])))
    rec.append(catch(lambda: tf.train.MonitoredSession(hooks=[tf.train.SummarySaverHook(save_steps=1,
                                                       summary_op=tf.constant(''))])))
    rec.append(catch(lambda: tf.train.MonitoredSession(hooks=[tf.train.CheckpointSaverHook(DIR, save_steps=1)])))
    rec.append(catch(lambda: tf.train.MonitoredSession(hooks=[tf.train.LoggingTensorHook(['nope'],
                                                       every_n_iter=1)])))
""",
    "run_after_stop_and_feeds": """
gs = tf.train.get_or_create_global_step()
p = tf.placeholder(tf.float32, [], name='p')
y = p * 2.0
train = tf.assign_add(gs, 1)
class Feed(tf.train.SessionRunHook):
    def before_run(self, run_context):
        return tf.train.SessionRunArgs(None, feed_dict={p: 3.0})
with tf.train.MonitoredSession(hooks=[tf.train.StopAtStepHook(num_steps=1)]) as s:
    s.run(train)
    rec.append(['stop', s.should_stop()])
    rec.append(catch(lambda: s.run(train)))
with tf.train.MonitoredSession(hooks=[Feed(), Feed()]) as s:
    rec.append(catch(lambda: s.run(y)))
with tf.train.MonitoredSession(hooks=[Feed()]) as s:
    rec.append(catch(lambda: float(s.run(y))))
    rec.append(catch(lambda: s.run(y, feed_dict={p: 1.0})))
with tf.train.MonitoredSession(hooks=[tf.train.FeedFnHook(lambda: {p: 5.0})]) as s:
    rec.append(catch(lambda: float(s.run(y))))
final = tf.train.FinalOpsHook([y, gs], final_ops_feed_dict={p: 4.0})
with tf.train.MonitoredSession(hooks=[final]) as s:
    s.run(train)
rec.append(['final', np.asarray(final.final_ops_values[0]).tolist(), int(final.final_ops_values[1])])
""",
    "scaffold": """
gs = tf.train.get_or_create_global_step()
w = tf.get_variable('w', [], initializer=tf.constant_initializer(1.0))
lv = tf.Variable(3.0, collections=[tf.GraphKeys.LOCAL_VARIABLES], name='lv')
set_w = tf.assign(w, 10.0)
def init_fn(scaffold, sess):
    rec.append(['init_fn', type(scaffold).__name__])
    sess.run(set_w)
sc = tf.train.Scaffold(init_fn=init_fn)
rec.append(['before finalize', sc.init_op is None, sc.saver is None, sc.summary_op is None])
with tf.train.SingularMonitoredSession(scaffold=sc, checkpoint_dir=DIR) as s:
    rec.append(['values', [float(v) for v in s.run([w, lv])]])
    rec.append(['raw', type(s.raw_session()).__name__])
rec.append(['after finalize', sc.init_op.type, sc.ready_op.name, sc.local_init_op.type,
            sc.ready_for_local_init_op.name, sc.summary_op, type(sc.saver).__name__,
            sorted(tf.get_default_graph().get_all_collection_keys())])
rec.append(['saver sharded', sc.saver.saver_def.sharded])
with tf.Graph().as_default():
    tf.add_to_collection(tf.GraphKeys.INIT_OP, tf.no_op())
    tf.add_to_collection(tf.GraphKeys.INIT_OP, tf.no_op())
    rec.append(catch(lambda: tf.train.Scaffold().finalize()))
""",
    "cifar10_train": """
import time as _t
images = tf.constant(np.linspace(-1, 1, 12).reshape(4, 3).astype(np.float32))
labels = tf.constant(np.array([[1.0], [0.0], [2.0], [-1.0]], np.float32))
global_step = tf.train.get_or_create_global_step()
wts = tf.get_variable('weights', [3, 1], initializer=tf.constant_initializer(0.1))
b = tf.get_variable('biases', [1], initializer=tf.zeros_initializer())
loss = tf.reduce_mean(tf.square(tf.matmul(images, wts) + b - labels), name='loss')
tf.summary.scalar('loss', loss)
train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=global_step)
class _LoggerHook(tf.train.SessionRunHook):
    def begin(self):
        self._step = -1
        self._start_time = _t.time()
    def before_run(self, run_context):
        self._step += 1
        return tf.train.SessionRunArgs(loss)
    def after_run(self, run_context, run_values):
        if self._step % 3 == 0:
            loss_value = run_values.results
            rec.append(['step', self._step, round(float(loss_value), 5)])
for last in (6, 10):
    with tf.train.MonitoredTrainingSession(checkpoint_dir=DIR, hooks=[tf.train.StopAtStepHook(last_step=last),
            tf.train.NanTensorHook(loss), _LoggerHook()], config=tf.ConfigProto(log_device_placement=False),
            save_checkpoint_secs=600, save_summaries_steps=4) as mon_sess:
        while not mon_sess.should_stop():
            mon_sess.run(train_op)
reader = tf.train.NewCheckpointReader(tf.train.latest_checkpoint(DIR))
rec.append(['global_step', int(reader.get_tensor('global_step'))])
rec.append(['weights', np.round(reader.get_tensor('weights'), 5).ravel().tolist()])
""",
    "supervisor_ptb": """
gs = tf.train.get_or_create_global_step()
w = tf.get_variable('w', [], initializer=tf.constant_initializer(2.0))
train = tf.group(tf.assign_add(gs, 1), tf.assign_add(w, 1.0))
sv = tf.train.Supervisor(logdir=DIR, save_summaries_secs=0, save_model_secs=0)
rec.append(['finalized', tf.get_default_graph().finalized, sv.global_step.name, sv.save_path.replace(DIR, '<DIR>'),
            type(sv.saver).__name__, sv.summary_op, sv.init_op.type, sv.is_chief])
with sv.managed_session() as session:
    for _ in range(3):
        session.run(train)
    rec.append(['should_stop', sv.should_stop()])
    rec.append(['w', float(session.run(w))])
    p = sv.saver.save(session, DIR + '/model', global_step=sv.global_step)
    rec.append(['saved', p.replace(DIR, '<DIR>')])
rec.append(['after', sv.should_stop()])
sv2 = None
""",
    "supervisor_resume": """
gs = tf.train.get_or_create_global_step()
w = tf.get_variable('w', [], initializer=tf.constant_initializer(2.0))
train = tf.group(tf.assign_add(gs, 1), tf.assign_add(w, 1.0))
sv = tf.train.Supervisor(logdir=DIR, save_summaries_secs=0, save_model_secs=0)
with sv.managed_session() as session:
    session.run(train)
    sv.saver.save(session, sv.save_path, global_step=sv.global_step)
with sv.managed_session() as session:
    rec.append(['resumed', int(session.run(gs)), float(session.run(w))])
    sv.request_stop()
    rec.append(['stop', sv.should_stop()])
with sv.managed_session() as session:
    session.run(train)
    raise tf.errors.OutOfRangeError(None, None, 'end of input')
rec.append(['out of range swallowed', True])
rec.append(catch(lambda: type(tf.train.Supervisor(logdir=DIR)).__name__))
""",
}


def _catch(f):
    try:
        return ["ok", f()]
    except Exception as e:  # noqa: BLE001 - the class and message are the record
        if any(c.__name__ == "OpError" for c in type(e).__mro__):
            return [type(e).__name__, "<OpError message>"]  # TF's carries its node trace and file paths
        return [type(e).__name__, str(e)]


class _Lines(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.lines = []

    def emit(self, record):
        msg = record.getMessage()
        if "deprecat" in msg.lower() or "Instructions for updating" in msg:
            return
        self.lines.append("%s: %s" % (record.levelname, msg))


def _mask(text, folder):
    text = text.replace(folder, "<DIR>")
    text = re.sub(r"\(\d+\.\d+ sec\)", "(<T> sec)", text)
    text = re.sub(r"(global_step/sec|Global step/sec): (inf|[0-9.e+-]+)", r"\1: <R>", text)
    return re.sub(r"events\.out\.tfevents\.\d+\.[^/\s\"']+", "events.out.tfevents.<T>", text)


def _event_summary(tf, path):
    """[step, what] for each event of an event file: file_version, graph_def, meta_graph_def, session_log:STATUS
    (with the checkpoint path's base name), summary:tag,tag."""
    out = []
    for e in tf.train.summary_iterator(path):
        what = e.WhichOneof("what")
        if what == "summary":
            what = "summary:" + ",".join(v.tag for v in e.summary.value)
        elif what == "session_log":
            what = "session_log:%s" % ("UNSPECIFIED", "START", "STOP", "CHECKPOINT")[e.session_log.status]
            if e.session_log.checkpoint_path:
                what += ":" + os.path.basename(e.session_log.checkpoint_path)
        out.append([int(e.step), what])
    return out


def run_case(tf, text):
    """Run one case text (in a fresh graph and folder) and return its record (see the module's docstring)."""
    folder = tempfile.mkdtemp(prefix="mon_")
    handler = _Lines()
    loggers = [logging.getLogger(name) for name in ("tensorflow", "tfmini")]  # tfmini's Saver logs on "tfmini"
    old_levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.INFO)
        logger.addHandler(handler)
    rec = []
    error = None
    try:
        with tf.Graph().as_default():
            env = {"tf": tf, "np": np, "time": time, "os": os, "DIR": folder, "rec": rec, "catch": _catch}
            exec(compile(_PRELUDE + text, "<case>", "exec"), env)
    except Exception as e:  # noqa: BLE001 - the class and message are the record
        error = [type(e).__name__, str(e)]
    finally:
        for logger, level in zip(loggers, old_levels):
            logger.removeHandler(handler)
            logger.setLevel(level)
        tf.summary.FileWriterCache.clear()
    files, events = [], {}
    for root, _, names in os.walk(folder):
        for name in names:
            rel = os.path.relpath(os.path.join(root, name), folder)
            files.append(_mask(rel, folder))
            if "tfevents" in name:
                events[_mask(rel, folder)] = _event_summary(tf, os.path.join(root, name))
    record = {"rec": rec, "error": error, "log": handler.lines, "files": sorted(files), "events": events}
    return json.loads(_mask(json.dumps(record), folder))


def main():
    out = {}
    for name, text in CASES.items():
        out[name] = run_case(tf, text)
        print(name, "ok" if out[name]["error"] is None else out[name]["error"], file=sys.stderr)
    OUT.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
