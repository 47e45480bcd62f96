"""tf.metrics and slim.metrics against numpy over several batches; their local variables; slim.evaluation
on a checkpoint written here; slim.learning.train's progress bar, logging, checkpoints and summaries."""
import contextlib
import io
import logging
import os

import numpy as np
import pytest

import tfmini as tf
from tfmini.contrib.slim import learning as learning_mod
from tfmini.summary import summary_iterator as si

slim = tf.contrib.slim

RNG = np.random.RandomState(7)


def _batches(n, shape, kind="float"):
    if kind == "int":
        return [RNG.randint(0, 3, size=shape).astype(np.int32) for _ in range(n)]
    if kind == "bool":
        return [RNG.rand(*shape) > 0.5 for _ in range(n)]
    return [RNG.rand(*shape).astype(np.float32) for _ in range(n)]


def _local_names():
    return [v.name for v in tf.local_variables()]


# =========================================================================== accuracy and mean
def test_accuracy_names_collections_and_streaming_values():
    labels = tf.placeholder(tf.int32, [None])
    predictions = tf.placeholder(tf.int32, [None])
    acc, acc_op = tf.metrics.accuracy(labels, predictions)
    assert acc.name == "accuracy/value:0" and acc_op.name == "accuracy/update_op:0"
    assert acc.dtype == tf.float32 and acc.shape.as_list() == []
    assert _local_names() == ["accuracy/total:0", "accuracy/count:0"]
    assert [v.name for v in tf.get_collection(tf.GraphKeys.METRIC_VARIABLES)] == _local_names()
    assert tf.global_variables() == [] and tf.trainable_variables() == []
    ys, ps = _batches(4, (5,), "int"), _batches(4, (5,), "int")
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert sess.run(acc) == 0.0  # count is 0: 0, not NaN
        for i, (y, p) in enumerate(zip(ys, ps)):
            got = sess.run(acc_op, {labels: y, predictions: p})
            want = np.mean(np.concatenate(ys[:i + 1]) == np.concatenate(ps[:i + 1]))
            assert got == pytest.approx(want, abs=1e-6)
        assert sess.run(acc) == pytest.approx(want, abs=1e-6)
        assert sess.run(acc) == pytest.approx(want, abs=1e-6)  # reading the value does not update
        sess.run(tf.local_variables_initializer())  # re-initializing resets the metric
        assert sess.run(acc) == 0.0
        assert sess.run(acc_op, {labels: ys[0], predictions: ps[0]}) == pytest.approx(np.mean(ys[0] == ps[0]))


def test_accuracy_tf_docstring_example_and_casts_predictions():
    acc, acc_op = tf.metrics.accuracy(labels=[0, 2, 3], predictions=tf.constant([1.0, 2.0, 3.0]))
    with tf.Session() as sess:
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        assert sess.run(acc) == 0.0
        assert sess.run(acc_op) == pytest.approx(2 / 3)


def test_metric_scopes_are_unique_and_named():
    tf.metrics.accuracy([1], [1])
    tf.metrics.accuracy([1], [1])
    tf.metrics.accuracy([1], [1], name="train_acc")
    with tf.variable_scope("eval"):
        tf.metrics.mean([1.0])
    assert _local_names() == ["accuracy/total:0", "accuracy/count:0", "accuracy_1/total:0", "accuracy_1/count:0",
                              "train_acc/total:0", "train_acc/count:0", "eval/mean/total:0", "eval/mean/count:0"]


def test_accuracy_weights_and_squeezable_dimensions():
    labels = tf.placeholder(tf.int64, [None, 1])  # a trailing 1 is squeezed away
    predictions = tf.placeholder(tf.int64, [None])
    weights = tf.placeholder(tf.float32, [None])
    acc, acc_op = tf.metrics.accuracy(labels, predictions, weights=weights)
    ys, ps, ws = _batches(3, (6,), "int"), _batches(3, (6,), "int"), _batches(3, (6,))
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        for y, p, w in zip(ys, ps, ws):
            sess.run(acc_op, {labels: y[:, None], predictions: p, weights: w})
        y, p, w = (np.concatenate(a) for a in (ys, ps, ws))
        assert sess.run(acc) == pytest.approx(np.sum((y == p) * w) / np.sum(w), rel=1e-5)


def test_accuracy_shape_errors():
    with pytest.raises(ValueError, match=r"Shapes \(4,\) and \(3,\) are incompatible"):  # predictions first
        tf.metrics.accuracy(labels=tf.zeros([3]), predictions=tf.zeros([4]))
    with pytest.raises(ValueError, match="weights can not be broadcast to values"):
        tf.metrics.accuracy(tf.zeros([2, 3]), tf.zeros([2, 3]), weights=tf.ones([2, 2]))


def test_mean_with_broadcast_weights():
    values = tf.placeholder(tf.float32, [None, 3])
    weights = tf.placeholder(tf.float32, [None, 1])
    m, m_op = tf.metrics.mean(values, weights=weights)
    plain, plain_op = tf.metrics.mean(values)
    vs, ws = _batches(3, (4, 3)), _batches(3, (4, 1))
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        for v, w in zip(vs, ws):
            sess.run([m_op, plain_op], {values: v, weights: w})
        v, w = np.concatenate(vs), np.concatenate(ws)
        assert sess.run(m) == pytest.approx(np.sum(v * w) / np.sum(w * np.ones_like(v)), rel=1e-5)
        assert sess.run(plain) == pytest.approx(v.mean(), rel=1e-5)


def test_mean_tensor_elementwise():
    values = tf.placeholder(tf.float32, [2, 3])
    m, m_op = tf.metrics.mean_tensor(values)
    assert _local_names() == ["mean/total_tensor:0", "mean/count_tensor:0"]
    vs = _batches(3, (2, 3))
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        np.testing.assert_array_equal(sess.run(m), np.zeros((2, 3), np.float32))
        for v in vs:
            sess.run(m_op, {values: v})
        np.testing.assert_allclose(sess.run(m), np.mean(vs, axis=0), rtol=1e-5)


def test_metrics_and_updates_collections():
    acc, acc_op = tf.metrics.accuracy([1, 2], [1, 3], metrics_collections=["my_metrics"],
                                      updates_collections=["my_updates"])
    prec, prec_op = tf.metrics.precision([1, 0], [1, 1], metrics_collections=["my_metrics"],
                                         updates_collections=["my_updates"])
    assert tf.get_collection("my_metrics") == [acc, prec]
    assert tf.get_collection("my_updates") == [acc_op, prec_op]


def test_metric_variables_are_not_saved_nor_globally_initialized():
    m, m_op = tf.metrics.mean([1.0, 2.0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(tf.errors.FailedPreconditionError, match="mean/total"):
            sess.run(m_op)
        assert set(sess.run(tf.report_uninitialized_variables())) == {b"mean/total", b"mean/count"}
    with pytest.raises(ValueError, match="No variables to save"):
        tf.train.Saver()


def test_control_dependency_on_a_fed_placeholder():
    """mean() makes its count update wait for `values`: a placeholder's feed satisfies that, as in TF."""
    x = tf.placeholder(tf.float32, [2])
    with tf.control_dependencies([x]):
        y = tf.constant(1.0) + 1.0
    with tf.Session() as sess:
        assert sess.run(y, {x: [1.0, 2.0]}) == 2.0
        with pytest.raises(tf.errors.InvalidArgumentError, match="You must feed a value for placeholder tensor"):
            sess.run(y)


# =========================================================================== regression errors
def test_mean_squared_absolute_and_root_errors():
    labels = tf.placeholder(tf.float32, [None, 2])
    predictions = tf.placeholder(tf.float32, [None, 2])
    mse, mse_op = tf.metrics.mean_squared_error(labels, predictions)
    mae, mae_op = tf.metrics.mean_absolute_error(labels, predictions)
    rmse, rmse_op = tf.metrics.root_mean_squared_error(labels, predictions)
    below, below_op = tf.metrics.percentage_below(predictions, 0.5)
    assert mse_op.name == "mean_squared_error/update_op:0"
    assert "root_mean_squared_error/total:0" in _local_names()
    assert "percentage_below_threshold/count:0" in _local_names()
    ys, ps = _batches(3, (5, 2)), _batches(3, (5, 2))
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        for y, p in zip(ys, ps):
            sess.run([mse_op, mae_op, rmse_op, below_op], {labels: y, predictions: p})
        y, p = np.concatenate(ys), np.concatenate(ps)
        got = sess.run([mse, mae, rmse, below])
    np.testing.assert_allclose(got, [np.mean((y - p) ** 2), np.mean(np.abs(y - p)),
                                     np.sqrt(np.mean((y - p) ** 2)), np.mean(p < 0.5)], rtol=1e-5)


# =========================================================================== counts, precision, recall
def test_counts_precision_and_recall_with_weights():
    labels = tf.placeholder(tf.bool, [None])
    predictions = tf.placeholder(tf.bool, [None])
    weights = tf.placeholder(tf.float32, [None])
    args = dict(labels=labels, predictions=predictions, weights=weights)
    metrics = {"tp": tf.metrics.true_positives(**args), "fp": tf.metrics.false_positives(**args),
               "tn": tf.metrics.true_negatives(**args), "fn": tf.metrics.false_negatives(**args),
               "precision": tf.metrics.precision(**args), "recall": tf.metrics.recall(**args)}
    assert _local_names() == ["true_positives/count:0", "false_positives/count:0", "true_negatives/count:0",
                              "false_negatives/count:0", "precision/true_positives/count:0",
                              "precision/false_positives/count:0", "recall/true_positives/count:0",
                              "recall/false_negatives/count:0"]
    assert metrics["precision"][0].name == "precision/value:0"
    assert metrics["recall"][1].name == "recall/update_op:0"
    ys, ps, ws = _batches(4, (7,), "bool"), _batches(4, (7,), "bool"), _batches(4, (7,))
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert sess.run(metrics["precision"][0]) == 0.0 and sess.run(metrics["recall"][0]) == 0.0
        for y, p, w in zip(ys, ps, ws):
            sess.run({k: op for k, (_, op) in metrics.items()}, {labels: y, predictions: p, weights: w})
        got = sess.run({k: value for k, (value, _) in metrics.items()})
    y, p, w = (np.concatenate(a) for a in (ys, ps, ws))
    want = {"tp": np.sum(w * (y & p)), "fp": np.sum(w * (~y & p)), "tn": np.sum(w * (~y & ~p)),
            "fn": np.sum(w * (y & ~p))}
    want["precision"] = want["tp"] / (want["tp"] + want["fp"])
    want["recall"] = want["tp"] / (want["tp"] + want["fn"])
    for k in want:
        assert got[k] == pytest.approx(want[k], rel=1e-5), k


def test_precision_casts_numbers_to_bool():
    p, p_op = tf.metrics.precision(labels=[0, 1, 1, 0], predictions=[1, 1, 0, 0])
    r, r_op = tf.metrics.recall(labels=[0, 1, 1, 0], predictions=[1, 1, 0, 0])
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert sess.run([p_op, r_op]) == [0.5, 0.5]


def test_count_weights_of_wrong_rank():
    with pytest.raises(ValueError, match=r"Tensor .* must have rank in \(0, 1\)\.  Received rank 3"):
        tf.metrics.true_positives([True, False], [True, True], weights=tf.ones([2, 1, 1]))


# =========================================================================== thresholds and AUC
def _np_confusion(y, p, w, thresholds):
    pos = p[None, :] > np.asarray(thresholds, np.float32)[:, None]
    y = y[None, :].astype(bool)
    return {"tp": np.sum(w * (pos & y), 1), "fp": np.sum(w * (pos & ~y), 1),
            "tn": np.sum(w * (~pos & ~y), 1), "fn": np.sum(w * (~pos & y), 1)}


def _np_auc(y, p, w, num_thresholds, curve="ROC", method="trapezoidal"):
    """TF's Riemann-sum AUC, in numpy."""
    thresholds = [-1e-7] + [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)] + [1 + 1e-7]
    c = _np_confusion(y, p, w, thresholds)
    eps = 1e-6
    rec = (c["tp"] + eps) / (c["tp"] + c["fn"] + eps)
    if curve == "ROC":
        x, h = c["fp"] / (c["fp"] + c["tn"] + eps), rec
    else:
        x, h = rec, (c["tp"] + eps) / (c["tp"] + c["fp"] + eps)
    heights = {"trapezoidal": (h[:-1] + h[1:]) / 2, "minoring": np.minimum(h[:-1], h[1:]),
               "majoring": np.maximum(h[:-1], h[1:])}[method]
    return np.sum((x[:-1] - x[1:]) * heights)


def test_auc_against_numpy_over_batches():
    labels = tf.placeholder(tf.int32, [None])
    predictions = tf.placeholder(tf.float32, [None])
    weights = tf.placeholder(tf.float32, [None])
    cases = [("ROC", "trapezoidal"), ("ROC", "minoring"), ("PR", "majoring"), ("PR", "trapezoidal")]
    aucs = [tf.metrics.auc(labels, predictions, weights, num_thresholds=50, curve=c, summation_method=m)
            for c, m in cases]
    assert _local_names()[:4] == ["auc/true_positives:0", "auc/false_negatives:0", "auc/true_negatives:0",
                                  "auc/false_positives:0"]
    assert tf.local_variables()[0].shape.as_list() == [50]
    ys = [RNG.randint(0, 2, 20) for _ in range(3)]
    ps = [np.clip(y * 0.3 + RNG.rand(20) * 0.7, 0, 1).astype(np.float32) for y in ys]
    ws = _batches(3, (20,))
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        for y, p, w in zip(ys, ps, ws):
            sess.run([op for _, op in aucs], {labels: y, predictions: p, weights: w})
        got = sess.run([value for value, _ in aucs])
    y, p, w = (np.concatenate(a) for a in (ys, ps, ws))
    for (c, m), g in zip(cases, got):
        assert g == pytest.approx(_np_auc(y, p, w, 50, c, m), abs=1e-5), (c, m)


def test_auc_separable_is_one_and_careful_interpolation_is_a_probability():
    y = np.array([0, 0, 1, 1, 0, 1])
    p = np.array([0.1, 0.2, 0.9, 0.8, 0.3, 0.7], np.float32)
    roc, roc_op = tf.metrics.auc(y, p)
    pr, pr_op = tf.metrics.auc(y, p, curve="PR", summation_method="careful_interpolation")
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        got_roc, got_pr = sess.run([roc_op, pr_op])
    assert got_roc == pytest.approx(1.0, abs=1e-3)
    assert got_pr == pytest.approx(1.0, abs=1e-3)


def test_auc_errors():
    with pytest.raises(ValueError, match="curve must be either ROC or PR, XY unknown"):
        tf.metrics.auc([1], [0.5], curve="XY")
    with pytest.raises(ValueError, match="Invalid summation_method: simpson"):
        tf.metrics.auc([1], [0.5], summation_method="simpson")
    from tfmini.metrics.metrics_impl import _confusion_matrix_at_thresholds
    with pytest.raises(ValueError, match="Invalid key: xx"):
        _confusion_matrix_at_thresholds([1], [0.5], [0.5], includes=("tp", "xx"))


def test_counts_precision_and_recall_at_thresholds():
    y = np.array([1, 0, 1, 1, 0], np.int32)
    p = np.array([0.2, 0.6, 0.7, 0.9, 0.1], np.float32)
    w = np.array([1.0, 2.0, 0.5, 1.0, 3.0], np.float32)
    th = [0.15, 0.5, 0.8]
    made = {"tp": tf.metrics.true_positives_at_thresholds(y, p, th, weights=w),
            "fp": tf.metrics.false_positives_at_thresholds(y, p, th, weights=w),
            "tn": tf.metrics.true_negatives_at_thresholds(y, p, th, weights=w),
            "fn": tf.metrics.false_negatives_at_thresholds(y, p, th, weights=w)}
    prec = tf.metrics.precision_at_thresholds(y, p, th, weights=w)
    rec = tf.metrics.recall_at_thresholds(y, p, th, weights=w)
    assert "true_positives/true_positives:0" in _local_names()
    assert "precision_at_thresholds/false_positives:0" in _local_names()
    want = _np_confusion(y, p, w, th)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        sess.run([op for _, op in made.values()] + [prec[1], rec[1]])
        for k, (value, _) in made.items():
            np.testing.assert_allclose(sess.run(value), want[k], rtol=1e-6)
        np.testing.assert_allclose(sess.run(prec[0]), want["tp"] / (want["tp"] + want["fp"] + 1e-7), rtol=1e-5)
        np.testing.assert_allclose(sess.run(rec[0]), want["tp"] / (want["tp"] + want["fn"] + 1e-7), rtol=1e-5)


# =========================================================================== slim.metrics
def test_slim_streaming_metrics_take_predictions_first():
    predictions = tf.placeholder(tf.int64, [None])
    labels = tf.placeholder(tf.int32, [None])
    acc = slim.metrics.streaming_accuracy(predictions, labels)
    mean = slim.metrics.streaming_mean(tf.cast(labels, tf.float32))
    mse = slim.metrics.streaming_mean_squared_error(tf.cast(predictions, tf.float32), tf.cast(labels, tf.float32))
    prec = slim.metrics.streaming_precision(predictions, labels)
    names_to_values, names_to_updates = slim.metrics.aggregate_metric_map(
        {"acc": acc, "mean": mean, "mse": mse, "precision": prec})
    assert names_to_values["acc"] is acc[0] and names_to_updates["mse"] is mse[1]
    values, updates = slim.metrics.aggregate_metrics(acc, mean)
    assert values == [acc[0], mean[0]] and updates == [acc[1], mean[1]]
    assert acc[0].name == "accuracy/value:0"
    ps, ys = _batches(3, (6,), "int"), _batches(3, (6,), "int")
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        for p, y in zip(ps, ys):
            sess.run(names_to_updates, {predictions: p, labels: y})
        got = sess.run(names_to_values)
    p, y = np.concatenate(ps), np.concatenate(ys)
    tp, fp = np.sum((y > 0) & (p > 0)), np.sum((y == 0) & (p > 0))
    assert got == pytest.approx({"acc": np.mean(p == y), "mean": y.mean(), "mse": np.mean((p - y) ** 2),
                                 "precision": tp / (tp + fp)}, rel=1e-5)


def test_slim_aggregate_errors_and_empty_map():
    with pytest.raises(ValueError, match="Expected at least one value_tensor/update_op pair"):
        slim.metrics.aggregate_metrics()
    assert slim.metrics.aggregate_metric_map({}) == ({}, {})


# =========================================================================== slim.evaluation
def _classifier(x):
    return slim.fully_connected(x, 3, activation_fn=None, scope="logits")


def _write_checkpoint(tmp_path, w, b):
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 4])
        _classifier(x)
        step = tf.train.get_or_create_global_step()
        with tf.variable_scope("logits", reuse=True):
            assigns = [tf.assign(tf.get_variable("weights"), w), tf.assign(tf.get_variable("biases"), b),
                       tf.assign(step, 42)]
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(assigns)
            return saver.save(sess, str(tmp_path / "train" / "model.ckpt"), global_step=step)


def test_evaluate_once_restores_and_streams_batches(tmp_path):
    w = RNG.randn(4, 3).astype(np.float32)
    b = RNG.randn(3).astype(np.float32)
    path = _write_checkpoint(tmp_path, w, b)
    assert path.endswith("model.ckpt-42")
    xs = _batches(5, (8, 4))
    ys = [RNG.randint(0, 3, 8).astype(np.int64) for _ in range(5)]
    x = tf.placeholder(tf.float32, [None, 4])
    y = tf.placeholder(tf.int64, [None])
    logits = _classifier(x)
    tf.train.get_or_create_global_step()
    predictions = tf.argmax(logits, 1)
    names_to_values, names_to_updates = slim.metrics.aggregate_metric_map({
        "accuracy": slim.metrics.streaming_accuracy(predictions, y),
        "mean_logit": slim.metrics.streaming_mean(logits)})
    tf.summary.scalar("eval/accuracy", names_to_values["accuracy"])
    batches = iter(zip(xs, ys))

    def feed_fn():
        xb, yb = next(batches)
        return {x: xb, y: yb}
    final = dict(names_to_values, steps=slim.evaluation.get_or_create_eval_step())
    got = slim.evaluation.evaluate_once("", path, str(tmp_path / "eval"), num_evals=5,
                                        eval_op=list(names_to_updates.values()), final_op=final, feed_fn=feed_fn,
                                        progress_bar=False)
    assert slim.evaluation.get_or_create_eval_step().name == "eval_step:0"
    xa, ya = np.concatenate(xs), np.concatenate(ys)
    want_logits = xa @ w + b
    assert got["accuracy"] == pytest.approx(np.mean(np.argmax(want_logits, 1) == ya), abs=1e-6)
    assert got["mean_logit"] == pytest.approx(want_logits.mean(), rel=1e-4, abs=1e-5)
    assert got["steps"] == 5
    event_file = os.listdir(tmp_path / "eval")
    assert len(event_file) == 1
    summaries = [e for e in si.events(str(tmp_path / "eval" / event_file[0])) if "summary" in e]
    assert summaries[0]["step"] == 42
    assert summaries[0]["summary"]["value"][0]["tag"] == "eval/accuracy"
    assert summaries[0]["summary"]["value"][0]["simple_value"] == pytest.approx(got["accuracy"])


def test_evaluate_once_initial_op_no_eval_op_and_hooks(tmp_path):
    path = _write_checkpoint(tmp_path, np.ones((4, 3), np.float32), np.zeros(3, np.float32))
    x = tf.constant(np.ones((2, 4), np.float32))
    logits = _classifier(x)
    tf.train.get_or_create_global_step()
    flag = tf.Variable(0.0, trainable=False, collections=[tf.GraphKeys.LOCAL_VARIABLES], name="flag")
    got = slim.evaluation.evaluate_once("", path, None, initial_op=tf.assign(flag, 7.0),
                                        final_op=[logits, flag], progress_bar=False)
    np.testing.assert_array_equal(got[0], np.full((2, 3), 4.0, np.float32))
    assert got[1] == 7.0  # the initial op runs after the local variables are initialized


def test_evaluate_once_runs_hooks_around_each_evaluation(tmp_path):
    """hooks=[...] run around each eval_op run (TF's MonitoredSession); a hook's request_stop ends the evaluation
    early, and the final op is still computed."""
    path = _write_checkpoint(tmp_path, np.ones((4, 3), np.float32), np.zeros(3, np.float32))
    tf.train.get_or_create_global_step()
    count = tf.Variable(0.0, trainable=False, collections=[tf.GraphKeys.LOCAL_VARIABLES], name="count")
    calls = []

    class StopAfterTwo(tf.train.SessionRunHook):
        def begin(self):
            calls.append("begin")

        def before_run(self, run_context):
            calls.append("before_run")
            return tf.train.SessionRunArgs(count)

        def after_run(self, run_context, run_values):
            calls.append(("after_run", run_values.results))
            if run_values.results >= 2:
                run_context.request_stop()

        def end(self, session):
            calls.append("end")

    got = slim.evaluation.evaluate_once("", path, None, num_evals=5, eval_op=tf.assign_add(count, 1.0),
                                        final_op=count, hooks=[StopAfterTwo()], progress_bar=False)
    assert got == 2.0
    assert calls == ["begin", "before_run", ("after_run", 1.0), "before_run", ("after_run", 2.0), "end"]


def test_evaluation_loop_evaluates_the_latest_checkpoint(tmp_path):
    path = _write_checkpoint(tmp_path, np.ones((4, 3), np.float32), np.arange(3, dtype=np.float32))
    logits = _classifier(tf.zeros([1, 4]))
    tf.train.get_or_create_global_step()
    mean, update = tf.metrics.mean(logits)
    before = len(tf.get_default_graph().get_operations())
    got = slim.evaluation.evaluation_loop("", os.path.dirname(path), None, num_evals=2, eval_op=update,
                                          final_op=mean, eval_interval_secs=0, max_number_of_evaluations=1,
                                          timeout=5, progress_bar=False)
    assert got == pytest.approx(1.0)
    assert slim.evaluation.wait_for_new_checkpoint(os.path.dirname(path), path, seconds_to_sleep=0.01,
                                                   timeout=0.02) is None
    assert list(slim.evaluation.checkpoints_iterator(str(tmp_path / "none"), timeout=0.01)) == []
    assert len(tf.get_default_graph().get_operations()) > before


# =========================================================================== slim.learning
def _tiny_model():
    rng = np.random.RandomState(0)
    x = tf.constant(rng.rand(8, 3).astype(np.float32))
    y = tf.constant(np.eye(2, dtype=np.float32)[rng.randint(0, 2, 8)])
    logits = slim.fully_connected(x, 2, activation_fn=None, scope="fc")
    slim.losses.softmax_cross_entropy(logits, y)
    return slim.losses.get_total_loss()


def test_learning_train_progress_bar_logs_checkpoints_and_summaries(tmp_path):
    total = _tiny_model()
    train_op = slim.learning.create_train_op(total, tf.train.GradientDescentOptimizer(0.5), summarize_gradients=True)
    tf.summary.scalar("loss", total)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        loss = slim.learning.train(train_op, str(tmp_path), number_of_steps=4, log_every_n_steps=2,
                                   save_summaries_secs=3600)
    assert [ln.split(":")[0] for ln in out.getvalue().splitlines()] == ["global step 2", "global step 4"]
    assert np.isfinite(loss)
    assert "4/4" in err.getvalue()  # tqdm's bar
    assert tf.train.latest_checkpoint(str(tmp_path)).endswith("model.ckpt-4")
    event_files = [f for f in os.listdir(tmp_path) if f.startswith("events.out.tfevents")]
    assert len(event_files) == 1
    events = list(si.events(str(tmp_path / event_files[0])))
    assert any("graph_def" in e for e in events)
    summaries = [e for e in events if "summary" in e]
    assert [e["step"] for e in summaries] == [1, 4]  # the first step, then the end
    tags = {v["tag"] for v in summaries[0]["summary"]["value"]}
    assert {"loss", "summarize_grads/fc/weights/gradient", "summarize_grads/fc/weights/gradient_norm"} <= tags


def test_learning_train_text_progress_without_tqdm(tmp_path, monkeypatch):
    monkeypatch.setattr(learning_mod._Progress, "_make_bar", staticmethod(lambda **kwargs: None))
    train_op = slim.learning.create_train_op(_tiny_model(), tf.train.GradientDescentOptimizer(0.5))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        slim.learning.train(train_op, str(tmp_path), number_of_steps=6, log_every_n_steps=3)
    assert len(out.getvalue().splitlines()) == 2
    lines = err.getvalue().splitlines()
    assert [ln.split("]")[0] for ln in lines] == ["[step 3/6", "[step 6/6"]
    assert "steps/s" in lines[0] and "loss " in lines[0]
    # no summaries in the graph: the event file holds the graph only
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        slim.learning.train(train_op, str(tmp_path), number_of_steps=7, log_every_n_steps=3, progress_bar=False)
    assert err.getvalue() == ""
    assert tf.train.latest_checkpoint(str(tmp_path)).endswith("model.ckpt-7")


def test_learning_train_argument_errors(tmp_path):
    train_op = slim.learning.create_train_op(_tiny_model(), tf.train.GradientDescentOptimizer(0.5))
    with pytest.raises(ValueError, match="train_op cannot be None"):
        slim.learning.train(None, str(tmp_path))
    with pytest.raises(ValueError, match="Cannot provide summary_op because logdir=None"):
        slim.learning.train(train_op, None, summary_op=tf.constant(b""))
    with pytest.raises(ValueError, match="Cannot provide saver because logdir=None"):
        slim.learning.train(train_op, None, saver=object())
    with pytest.raises(ValueError, match="`number_of_steps` must be either None or a positive number"):
        slim.learning.train(train_op, str(tmp_path), number_of_steps=0)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert np.isfinite(slim.learning.train(train_op, None, number_of_steps=2))
    assert os.listdir(tmp_path) == []


def test_create_train_op_update_ops_clipping_and_gradient_summaries(caplog):
    w = tf.Variable([3.0, 4.0], name="w")
    loss = 10.0 * tf.reduce_sum(tf.square(w))  # gradient 20*w: norm 100
    counter = tf.Variable(0.0, trainable=False, name="counter")
    tf.add_to_collection(tf.GraphKeys.UPDATE_OPS, tf.assign_add(counter, 1.0))
    with caplog.at_level(logging.WARNING, logger="tensorflow"):
        train_op = slim.learning.create_train_op(loss, tf.train.GradientDescentOptimizer(1.0), update_ops=[],
                                                 clip_gradient_norm=5.0, summarize_gradients=True)
    assert "does not contain all the update_ops in GraphKeys.UPDATE_OPS" in caplog.text
    assert [s.op.name for s in tf.get_collection(tf.GraphKeys.SUMMARIES)] == \
        ["summarize_grads/w/gradient", "summarize_grads/w/gradient_norm"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(train_op) == pytest.approx(250.0)
        # the step is the clipped gradient: norm 5 along w
        np.testing.assert_allclose(sess.run(w), [3.0 - 3.0, 4.0 - 4.0], atol=1e-5)
        assert sess.run(counter) == 0.0  # update_ops=[]: the UPDATE_OPS collection is not run
