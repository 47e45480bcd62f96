"""slim.metrics (tf.contrib.metrics): the streaming_* names of tf.metrics, which take `predictions`
before `labels`, and helpers that split many (value, update_op) pairs into values and updates.

    names_to_values, names_to_updates = slim.metrics.aggregate_metric_map({
        "accuracy": slim.metrics.streaming_accuracy(predictions, labels),
        "mse": slim.metrics.streaming_mean_squared_error(scores, targets),
    })
    slim.evaluation.evaluate_once("", checkpoint, logdir, num_evals=10,
                                  eval_op=list(names_to_updates.values()),
                                  final_op=list(names_to_values.values()))
"""
from ... import metrics as _metrics

__all__ = ["streaming_accuracy", "streaming_mean", "streaming_mean_tensor", "streaming_mean_absolute_error",
           "streaming_mean_squared_error", "streaming_root_mean_squared_error", "streaming_percentage_less",
           "streaming_true_positives", "streaming_false_positives", "streaming_true_negatives",
           "streaming_false_negatives", "streaming_precision", "streaming_recall", "streaming_auc",
           "aggregate_metrics", "aggregate_metric_map"]


def streaming_accuracy(predictions, labels, weights=None, metrics_collections=None, updates_collections=None,
                       name=None):
    """tf.metrics.accuracy(labels, predictions, ...): the fraction of `predictions` equal to `labels`
    over every batch seen, as (accuracy, update_op); variables 'accuracy/total:0', 'accuracy/count:0'."""
    return _metrics.accuracy(predictions=predictions, labels=labels, weights=weights,
                             metrics_collections=metrics_collections, updates_collections=updates_collections,
                             name=name)


def streaming_mean(values, weights=None, metrics_collections=None, updates_collections=None, name=None):
    """tf.metrics.mean: the (weighted) mean of every value seen, as (mean, update_op)."""
    return _metrics.mean(values=values, weights=weights, metrics_collections=metrics_collections,
                         updates_collections=updates_collections, name=name)


def streaming_mean_tensor(values, weights=None, metrics_collections=None, updates_collections=None, name=None):
    """tf.metrics.mean_tensor: the element-wise (weighted) mean of the tensors seen."""
    return _metrics.mean_tensor(values=values, weights=weights, metrics_collections=metrics_collections,
                                updates_collections=updates_collections, name=name)


def _swapped(metric, doc):
    """A streaming_* wrapper of tf.metrics.`metric` whose first two arguments are (predictions, labels)."""
    def streaming(predictions, labels, weights=None, metrics_collections=None, updates_collections=None,
                  name=None):
        return metric(labels=labels, predictions=predictions, weights=weights,
                      metrics_collections=metrics_collections, updates_collections=updates_collections,
                      name=name)
    streaming.__name__ = "streaming_" + metric.__name__
    streaming.__doc__ = doc
    return streaming


streaming_mean_absolute_error = _swapped(_metrics.mean_absolute_error,
                                         "tf.metrics.mean_absolute_error(labels, predictions, ...).")
streaming_mean_squared_error = _swapped(_metrics.mean_squared_error,
                                        "tf.metrics.mean_squared_error(labels, predictions, ...).")
streaming_root_mean_squared_error = _swapped(_metrics.root_mean_squared_error,
                                             "tf.metrics.root_mean_squared_error(labels, predictions, ...).")
streaming_true_positives = _swapped(_metrics.true_positives, "tf.metrics.true_positives(labels, predictions, ...).")
streaming_false_positives = _swapped(_metrics.false_positives,
                                     "tf.metrics.false_positives(labels, predictions, ...).")
streaming_true_negatives = _swapped(_metrics.true_negatives, "tf.metrics.true_negatives(labels, predictions, ...).")
streaming_false_negatives = _swapped(_metrics.false_negatives,
                                     "tf.metrics.false_negatives(labels, predictions, ...).")
streaming_precision = _swapped(_metrics.precision, "tf.metrics.precision(labels, predictions, ...).")
streaming_recall = _swapped(_metrics.recall, "tf.metrics.recall(labels, predictions, ...).")


def streaming_percentage_less(values, threshold, weights=None, metrics_collections=None, updates_collections=None,
                              name=None):
    """tf.metrics.percentage_below: the (weighted) fraction of `values` below `threshold`."""
    return _metrics.percentage_below(values=values, threshold=threshold, weights=weights,
                                     metrics_collections=metrics_collections,
                                     updates_collections=updates_collections, name=name)


def streaming_auc(predictions, labels, weights=None, num_thresholds=200, metrics_collections=None,
                  updates_collections=None, curve="ROC", name=None, summation_method="trapezoidal"):
    """tf.metrics.auc(labels, predictions, ...): the area under the ROC or PR curve."""
    return _metrics.auc(labels=labels, predictions=predictions, weights=weights, num_thresholds=num_thresholds,
                        metrics_collections=metrics_collections, updates_collections=updates_collections,
                        curve=curve, name=name, summation_method=summation_method)


def aggregate_metrics(*value_update_tuples):
    """(values, update_ops): two lists from any number of (value, update_op) pairs.

    >>> values, updates = slim.metrics.aggregate_metrics(
    ...     slim.metrics.streaming_accuracy(predictions, labels),
    ...     slim.metrics.streaming_mean(loss))
    """
    if not value_update_tuples:
        raise ValueError("Expected at least one value_tensor/update_op pair")
    value_ops, update_ops = zip(*value_update_tuples)
    return list(value_ops), list(update_ops)


def aggregate_metric_map(names_to_tuples):
    """({name: value}, {name: update_op}) from a dict {name: (value, update_op)}.

    >>> names_to_values, names_to_updates = slim.metrics.aggregate_metric_map({
    ...     "eval/accuracy": slim.metrics.streaming_accuracy(predictions, labels)})
    """
    metric_names = list(names_to_tuples.keys())
    value_ops, update_ops = zip(*names_to_tuples.values()) if metric_names else ((), ())
    return dict(zip(metric_names, value_ops)), dict(zip(metric_names, update_ops))
