"""tf.metrics: streaming metrics, each a (value, update_op) pair over local variables that accumulate
across `Session.run` calls until `tf.local_variables_initializer()` resets them.

    acc, acc_op = tf.metrics.accuracy(labels, predictions)      # variables accuracy/total, accuracy/count
    sess.run(tf.local_variables_initializer())
    for batch in batches:
        sess.run(acc_op, {x: batch.x, y: batch.y})               # accumulate
    sess.run(acc)                                                # total / count, 0 while count is 0

Built, as in TensorFlow, from public ops only: no op type of its own.
"""
from ..framework import dtypes
from ..framework.ops import GraphKeys, add_to_collections, control_dependencies, convert_to_tensor, name_scope
from ..losses.losses_impl import _broadcast_weights
from ..ops import array_ops, math_ops, state_ops
from ..variable_scope import variable_scope
from ..variables import Variable

__all__ = ["mean", "mean_tensor", "accuracy", "mean_absolute_error", "mean_squared_error",
           "root_mean_squared_error", "percentage_below", "true_positives", "false_positives",
           "true_negatives", "false_negatives", "precision", "recall", "true_positives_at_thresholds",
           "false_positives_at_thresholds", "true_negatives_at_thresholds", "false_negatives_at_thresholds",
           "precision_at_thresholds", "recall_at_thresholds", "auc"]


# =========================================================================== helpers
def metric_variable(shape, dtype, validate_shape=True, name=None):
    """A non-trainable variable of zeros in GraphKeys.LOCAL_VARIABLES and GraphKeys.METRIC_VARIABLES
    (so neither a Saver nor global_variables_initializer() sees it).

    >>> from tfmini.metrics.metrics_impl import metric_variable
    >>> with tf.variable_scope("m"):
    ...     metric_variable([], tf.float32, name="total").name
    'm/total:0'
    """
    return Variable(lambda: array_ops.zeros(shape, dtype), trainable=False,
                    collections=[GraphKeys.LOCAL_VARIABLES, GraphKeys.METRIC_VARIABLES],
                    validate_shape=validate_shape, name=name)


def _div_no_nan(x, y, name):
    """x / y, and 0 where y is 0 (TF's div_no_nan; tfmini builds it from Select so that no op is added)."""
    with name_scope(name, "div_no_nan", [x, y]) as scope:
        zero = math_ops.equal(y, 0.0)
        safe_y = array_ops.where(zero, array_ops.ones_like(y), y)
        return array_ops.where(zero, array_ops.zeros_like(x), math_ops.truediv(x, safe_y), name=scope)


def _add_to(collections, value):
    if collections:
        add_to_collections(collections, value)


def _remove_squeezable_dimensions(predictions, labels, weights):
    """Drop a trailing dimension of 1 from `predictions` or `labels` when their ranks differ by one,
    then squeeze or expand the last dimension of `weights` (unless it is a scalar) to the rank of
    `predictions`. Static ranks only: with an unknown rank nothing changes."""
    predictions = convert_to_tensor(predictions)
    if labels is not None:
        labels = convert_to_tensor(labels)
        with name_scope(None, "remove_squeezable_dimensions", [labels, predictions]):
            p_rank, l_rank = predictions.shape.ndims, labels.shape.ndims
            if p_rank is not None and l_rank is not None:
                if p_rank - l_rank == 1 and predictions.shape.as_tuple()[-1] in (None, 1):
                    predictions = array_ops.squeeze(predictions, [-1])
                elif p_rank - l_rank == -1 and labels.shape.as_tuple()[-1] in (None, 1):
                    labels = array_ops.squeeze(labels, [-1])
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
    if weights is None:
        return predictions, labels, None
    weights = convert_to_tensor(weights)
    w_rank, p_rank = weights.shape.ndims, predictions.shape.ndims
    if w_rank == 0 or w_rank is None or p_rank is None:
        return predictions, labels, weights
    if w_rank - p_rank == 1:
        weights = array_ops.squeeze(weights, [-1])
    elif p_rank - w_rank == 1:
        weights = array_ops.expand_dims(weights, -1)
    return predictions, labels, weights


# =========================================================================== means
def mean(values, weights=None, metrics_collections=None, updates_collections=None, name=None):
    """The (weighted) mean of every value seen so far: local variables `total` (sum of
    values*weights) and `count` (sum of weights); `update_op` adds a batch and returns the new mean.

    `weights` (default 1) is a scalar or has the rank of `values` with each dimension 1 or equal.

    >>> m, update = tf.metrics.mean([1.0, 2.0, 3.0])
    >>> sess.run(tf.local_variables_initializer()); sess.run(update)
    2.0
    """
    with variable_scope(name, "mean", (values, weights)):
        values = math_ops.cast(values, dtypes.float32)
        total = metric_variable([], dtypes.float32, name="total")
        count = metric_variable([], dtypes.float32, name="count")
        if weights is None:
            num_values = math_ops.cast(array_ops.size(values), dtypes.float32)
        else:
            values, _, weights = _remove_squeezable_dimensions(values, None, weights)
            weights = _broadcast_weights(math_ops.cast(weights, dtypes.float32), values)
            values = math_ops.multiply(values, weights)
            num_values = math_ops.reduce_sum(weights)
        update_total_op = state_ops.assign_add(total, math_ops.reduce_sum(values))
        with control_dependencies([values]):
            update_count_op = state_ops.assign_add(count, num_values)
        mean_t = _div_no_nan(total, math_ops.maximum(count, 0.0), name="value")
        update_op = _div_no_nan(update_total_op, math_ops.maximum(update_count_op, 0.0), name="update_op")
        _add_to(metrics_collections, mean_t)
        _add_to(updates_collections, update_op)
        return mean_t, update_op


def mean_tensor(values, weights=None, metrics_collections=None, updates_collections=None, name=None):
    """The element-wise (weighted) mean of the `values` tensors seen so far (variables
    `total_tensor` and `count_tensor` of the shape of `values`, which must be fully defined)."""
    with variable_scope(name, "mean", (values, weights)):
        values = math_ops.cast(values, dtypes.float32)
        total = metric_variable(values.get_shape(), dtypes.float32, name="total_tensor")
        count = metric_variable(values.get_shape(), dtypes.float32, name="count_tensor")
        num_values = array_ops.ones_like(values)
        if weights is not None:
            values, _, weights = _remove_squeezable_dimensions(values, None, weights)
            weights = _broadcast_weights(math_ops.cast(weights, dtypes.float32), values)
            values = math_ops.multiply(values, weights)
            num_values = math_ops.multiply(num_values, weights)
        update_total_op = state_ops.assign_add(total, values)
        with control_dependencies([values]):
            update_count_op = state_ops.assign_add(count, num_values)
        mean_t = _div_no_nan(total, math_ops.maximum(count, 0.0), name="value")
        update_op = _div_no_nan(update_total_op, math_ops.maximum(update_count_op, 0.0), name="update_op")
        _add_to(metrics_collections, mean_t)
        _add_to(updates_collections, update_op)
        return mean_t, update_op


def accuracy(labels, predictions, weights=None, metrics_collections=None, updates_collections=None, name=None):
    """How often `predictions` equals `labels` (same shape; a trailing 1 is squeezed), weighted: the
    `mean` of equal(predictions, labels) in the variable scope `accuracy` ('accuracy/total:0',
    'accuracy/count:0'). `predictions` is cast to the dtype of `labels`.

    >>> acc, acc_op = tf.metrics.accuracy(labels=[0, 2, 3], predictions=[1, 2, 3])
    >>> sess.run(tf.local_variables_initializer()); sess.run(acc_op)
    0.6666667
    """
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    if labels.dtype != predictions.dtype:
        predictions = math_ops.cast(predictions, labels.dtype)
    is_correct = math_ops.cast(math_ops.equal(predictions, labels), dtypes.float32)
    return mean(is_correct, weights, metrics_collections, updates_collections, name or "accuracy")


def mean_absolute_error(labels, predictions, weights=None, metrics_collections=None, updates_collections=None,
                        name=None):
    """The (weighted) mean of |predictions - labels| over every batch seen ('mean_absolute_error/total:0')."""
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    absolute_errors = math_ops.abs(predictions - labels)
    return mean(absolute_errors, weights, metrics_collections, updates_collections, name or "mean_absolute_error")


def mean_squared_error(labels, predictions, weights=None, metrics_collections=None, updates_collections=None,
                       name=None):
    """The (weighted) mean of (labels - predictions)**2 over every batch seen ('mean_squared_error/total:0')."""
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    squared_error = math_ops.squared_difference(labels, predictions)
    return mean(squared_error, weights, metrics_collections, updates_collections, name or "mean_squared_error")


def root_mean_squared_error(labels, predictions, weights=None, metrics_collections=None, updates_collections=None,
                            name=None):
    """sqrt of mean_squared_error (variables 'root_mean_squared_error/total:0' and '/count:0')."""
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    mse, update_mse_op = mean_squared_error(labels, predictions, weights, None, None,
                                            name or "root_mean_squared_error")
    rmse = math_ops.sqrt(mse)
    update_rmse_op = math_ops.sqrt(update_mse_op)
    _add_to(metrics_collections, rmse)
    _add_to(updates_collections, update_rmse_op)
    return rmse, update_rmse_op


def percentage_below(values, threshold, weights=None, metrics_collections=None, updates_collections=None,
                     name=None):
    """The (weighted) fraction of `values` below `threshold` ('percentage_below_threshold/total:0')."""
    is_below = math_ops.cast(math_ops.less(values, threshold), dtypes.float32)
    return mean(is_below, weights, metrics_collections, updates_collections, name or "percentage_below_threshold")


# =========================================================================== counts
def _count_condition(values, weights=None, metrics_collections=None, updates_collections=None):
    """The weighted number of True entries of the bool tensor `values` seen so far, in a local
    variable `count`; `weights` is a scalar or of the rank of `values`."""
    count = metric_variable([], dtypes.float32, name="count")
    values = math_ops.cast(values, dtypes.float32)
    if weights is not None:
        weights = convert_to_tensor(weights)
        w_rank, v_rank = weights.shape.ndims, values.shape.ndims
        if w_rank is not None and v_rank is not None and w_rank not in (0, v_rank):
            raise ValueError("Tensor %s must have rank in %s.  Received rank %d, shape %s"
                             % (weights.name, (0, v_rank), w_rank, weights.shape))
        values = math_ops.multiply(values, math_ops.cast(weights, dtypes.float32))
    value_tensor = array_ops.identity(count)
    update_op = state_ops.assign_add(count, math_ops.reduce_sum(values))
    _add_to(metrics_collections, value_tensor)
    _add_to(updates_collections, update_op)
    return value_tensor, update_op


def _bool_inputs(labels, predictions, weights):
    return _remove_squeezable_dimensions(math_ops.cast(predictions, dtypes.bool),
                                         math_ops.cast(labels, dtypes.bool), weights)


def _counter(default_name, label_is, prediction_is):
    def metric(labels, predictions, weights=None, metrics_collections=None, updates_collections=None, name=None):
        with variable_scope(name, default_name, (predictions, labels, weights)):
            predictions, labels, weights = _bool_inputs(labels, predictions, weights)
            hit = math_ops.logical_and(math_ops.equal(labels, label_is), math_ops.equal(predictions, prediction_is))
            return _count_condition(hit, weights, metrics_collections, updates_collections)
    metric.__name__ = default_name
    metric.__doc__ = (
        """The (weighted) number of entries where `labels` is %s and `predictions` is %s (both cast to
        bool) over every batch seen, in the local variable '%s/count:0'. Returns (value, update_op)."""
        % (label_is, prediction_is, default_name))
    return metric


true_positives = _counter("true_positives", True, True)
false_positives = _counter("false_positives", False, True)
true_negatives = _counter("true_negatives", False, False)
false_negatives = _counter("false_negatives", True, False)


def _ratio_or_zero(num, other, name):
    """num / (num + other), or 0 when num + other is 0 (TF's precision/recall value)."""
    both = num + other
    some = math_ops.greater(both, 0.0)
    safe = array_ops.where(some, both, array_ops.ones_like(both))  # no 0/0 computed, even where unused
    return array_ops.where(some, math_ops.divide(num, safe), array_ops.zeros_like(num), name=name)


def precision(labels, predictions, weights=None, metrics_collections=None, updates_collections=None, name=None):
    """true_positives / (true_positives + false_positives) over every batch seen (0 before any
    positive prediction); variables 'precision/true_positives/count:0', 'precision/false_positives/count:0'."""
    with variable_scope(name, "precision", (predictions, labels, weights)):
        predictions, labels, weights = _bool_inputs(labels, predictions, weights)
        true_p, true_p_update = true_positives(labels, predictions, weights)
        false_p, false_p_update = false_positives(labels, predictions, weights)
        p = _ratio_or_zero(true_p, false_p, "value")
        update_op = _ratio_or_zero(true_p_update, false_p_update, "update_op")
        _add_to(metrics_collections, p)
        _add_to(updates_collections, update_op)
        return p, update_op


def recall(labels, predictions, weights=None, metrics_collections=None, updates_collections=None, name=None):
    """true_positives / (true_positives + false_negatives) over every batch seen (0 before any
    positive label); variables 'recall/true_positives/count:0', 'recall/false_negatives/count:0'."""
    with variable_scope(name, "recall", (predictions, labels, weights)):
        predictions, labels, weights = _bool_inputs(labels, predictions, weights)
        true_p, true_p_update = true_positives(labels, predictions, weights)
        false_n, false_n_update = false_negatives(labels, predictions, weights)
        r = _ratio_or_zero(true_p, false_n, "value")
        update_op = _ratio_or_zero(true_p_update, false_n_update, "update_op")
        _add_to(metrics_collections, r)
        _add_to(updates_collections, update_op)
        return r, update_op


# =========================================================================== counts at thresholds, AUC
_CONFUSION_KEYS = ("tp", "fn", "tn", "fp")
_CONFUSION_NAMES = {"tp": "true_positives", "fn": "false_negatives", "tn": "true_negatives",
                    "fp": "false_positives"}


def _confusion_matrix_at_thresholds(labels, predictions, thresholds, weights=None, includes=None):
    """For each threshold t, the weighted counts of predictions > t (positive) or <= t (negative)
    against bool(labels): dicts {key: variable [len(thresholds)]} and {key: its update op}, keys
    from 'tp', 'fn', 'tn', 'fp'. Predictions should lie in [0, 1] (TF asserts it at run time;
    tfmini does not check)."""
    includes = _CONFUSION_KEYS if includes is None else includes
    for key in includes:
        if key not in _CONFUSION_KEYS:
            raise ValueError("Invalid key: %s." % key)
    predictions, labels, weights = _remove_squeezable_dimensions(
        math_ops.cast(predictions, dtypes.float32), math_ops.cast(labels, dtypes.bool), weights)
    num_thresholds = len(thresholds)
    # [T, 1] thresholds against [1, N] predictions: every (threshold, example) pair by broadcasting
    thresh = array_ops.reshape(array_ops.constant(list(thresholds), dtype=dtypes.float32), [num_thresholds, 1])
    pred_is_pos = math_ops.greater(array_ops.reshape(predictions, [1, -1]), thresh)
    label_is_pos = array_ops.tile(array_ops.reshape(labels, [1, -1]), [num_thresholds, 1])
    weights_2d = None
    if weights is not None:
        weights = _broadcast_weights(math_ops.cast(weights, dtypes.float32), predictions)
        weights_2d = array_ops.reshape(weights, [1, -1])
    conditions = {
        "tp": lambda: math_ops.logical_and(label_is_pos, pred_is_pos),
        "fn": lambda: math_ops.logical_and(label_is_pos, math_ops.logical_not(pred_is_pos)),
        "tn": lambda: math_ops.logical_and(math_ops.logical_not(label_is_pos), math_ops.logical_not(pred_is_pos)),
        "fp": lambda: math_ops.logical_and(math_ops.logical_not(label_is_pos), pred_is_pos),
    }
    values, update_ops = {}, {}
    for key in _CONFUSION_KEYS:
        if key not in includes:
            continue
        var = metric_variable([num_thresholds], dtypes.float32, name=_CONFUSION_NAMES[key])
        hits = math_ops.cast(conditions[key](), dtypes.float32)
        if weights_2d is not None:
            hits = math_ops.multiply(hits, weights_2d)
        update_ops[key] = state_ops.assign_add(var, math_ops.reduce_sum(hits, 1))
        values[key] = var
    return values, update_ops


def _at_thresholds(default_name, key):
    def metric(labels, predictions, thresholds, weights=None, metrics_collections=None, updates_collections=None,
               name=None):
        with variable_scope(name, default_name, (predictions, labels, weights)):
            values, update_ops = _confusion_matrix_at_thresholds(labels, predictions, thresholds, weights,
                                                                 includes=(key,))
            value = array_ops.identity(values[key])
            _add_to(metrics_collections, value)
            _add_to(updates_collections, update_ops[key])
            return value, update_ops[key]
    metric.__name__ = default_name + "_at_thresholds"
    metric.__doc__ = (
        """The weighted %s for each of `thresholds` (a prediction is positive when > the threshold):
        a float32 [len(thresholds)] value and its update op.""" % default_name.replace("_", " "))
    return metric


true_positives_at_thresholds = _at_thresholds("true_positives", "tp")
false_positives_at_thresholds = _at_thresholds("false_positives", "fp")
true_negatives_at_thresholds = _at_thresholds("true_negatives", "tn")
false_negatives_at_thresholds = _at_thresholds("false_negatives", "fn")


def precision_at_thresholds(labels, predictions, thresholds, weights=None, metrics_collections=None,
                            updates_collections=None, name=None):
    """tp / (tp + fp + 1e-7) for each threshold: a [len(thresholds)] value and its update op."""
    with variable_scope(name, "precision_at_thresholds", (predictions, labels, weights)):
        values, update_ops = _confusion_matrix_at_thresholds(labels, predictions, thresholds, weights,
                                                             includes=("tp", "fp"))

        def compute(tp, fp, suffix):
            return math_ops.divide(tp, 1e-7 + tp + fp, name="precision_" + suffix)
        prec = compute(values["tp"], values["fp"], "value")
        update_op = compute(update_ops["tp"], update_ops["fp"], "update_op")
        _add_to(metrics_collections, prec)
        _add_to(updates_collections, update_op)
        return prec, update_op


def recall_at_thresholds(labels, predictions, thresholds, weights=None, metrics_collections=None,
                         updates_collections=None, name=None):
    """tp / (tp + fn + 1e-7) for each threshold: a [len(thresholds)] value and its update op."""
    with variable_scope(name, "recall_at_thresholds", (predictions, labels, weights)):
        values, update_ops = _confusion_matrix_at_thresholds(labels, predictions, thresholds, weights,
                                                             includes=("tp", "fn"))

        def compute(tp, fn, suffix):
            return math_ops.divide(tp, 1e-7 + tp + fn, name="recall_" + suffix)
        rec = compute(values["tp"], values["fn"], "value")
        update_op = compute(update_ops["tp"], update_ops["fn"], "update_op")
        _add_to(metrics_collections, rec)
        _add_to(updates_collections, update_op)
        return rec, update_op


def auc(labels, predictions, weights=None, num_thresholds=200, metrics_collections=None, updates_collections=None,
        curve="ROC", name=None, summation_method="trapezoidal", thresholds=None):
    """The area under the ROC (or, with curve='PR', precision-recall) curve, a Riemann sum over
    `num_thresholds` evenly spaced thresholds in [0, 1] (or the given `thresholds` plus two end
    points). Variables 'auc/true_positives:0', 'auc/false_negatives:0', 'auc/true_negatives:0',
    'auc/false_positives:0', each [num_thresholds]. `summation_method`: 'trapezoidal',
    'careful_interpolation' (PR: Davis & Goadrich's interpolation), 'minoring' or 'majoring'."""
    with variable_scope(name, "auc", (labels, predictions, weights)):
        if curve not in ("ROC", "PR"):
            raise ValueError("curve must be either ROC or PR, %s unknown" % curve)
        if summation_method not in ("trapezoidal", "careful_interpolation", "minoring", "majoring"):
            raise ValueError("Invalid summation_method: %s" % summation_method)
        kepsilon = 1e-7  # end points just outside [0, 1], so that predictions of exactly 0 and 1 count
        if thresholds is not None:
            thresholds = sorted(thresholds)
            num_thresholds = len(thresholds) + 2
        else:
            thresholds = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        thresholds = [0.0 - kepsilon] + list(thresholds) + [1.0 + kepsilon]
        values, update_ops = _confusion_matrix_at_thresholds(labels, predictions, thresholds, weights)
        n = num_thresholds
        epsilon = 1.0e-6  # keeps the rates finite before any example was seen

        def interpolate_pr_auc(tp, fp, fn, name):
            # precision varies as TP/P with TP and P linear between thresholds: integrate it exactly
            dtp = tp[:n - 1] - tp[1:]
            p = tp + fp
            prec_slope = _div_no_nan(dtp, math_ops.maximum(p[:n - 1] - p[1:], 0.0), name="prec_slope")
            intercept = tp[1:] - math_ops.multiply(prec_slope, p[1:])
            safe_p_ratio = array_ops.where(
                math_ops.logical_and(p[:n - 1] > 0, p[1:] > 0),
                _div_no_nan(p[:n - 1], math_ops.maximum(p[1:], 0.0), name="recall_relative_ratio"),
                array_ops.ones_like(p[1:]))
            return math_ops.reduce_sum(
                _div_no_nan(prec_slope * (dtp + intercept * math_ops.log(safe_p_ratio)),
                            math_ops.maximum(tp[1:] + fn[1:], 0.0), name="pr_auc_increment"),
                name=name)

        def compute_auc(tp, fn, tn, fp, name):
            if curve == "PR" and summation_method == "careful_interpolation":
                return interpolate_pr_auc(tp, fp, fn, name)
            rec = math_ops.divide(tp + epsilon, tp + fn + epsilon)
            if curve == "ROC":
                x, y = math_ops.divide(fp, fp + tn + epsilon), rec
            else:
                x, y = rec, math_ops.divide(tp + epsilon, tp + fp + epsilon)
            if summation_method in ("trapezoidal", "careful_interpolation"):
                heights = (y[:n - 1] + y[1:]) / 2.0
            elif summation_method == "minoring":
                heights = math_ops.minimum(y[:n - 1], y[1:])
            else:
                heights = math_ops.maximum(y[:n - 1], y[1:])
            return math_ops.reduce_sum(math_ops.multiply(x[:n - 1] - x[1:], heights), name=name)

        auc_value = compute_auc(values["tp"], values["fn"], values["tn"], values["fp"], "value")
        update_op = compute_auc(update_ops["tp"], update_ops["fn"], update_ops["tn"], update_ops["fp"], "update_op")
        _add_to(metrics_collections, auc_value)
        _add_to(updates_collections, update_op)
        return auc_value, update_op
