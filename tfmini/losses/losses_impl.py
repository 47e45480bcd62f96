"""tf.losses: loss functions that weight, reduce and collect (GraphKeys.LOSSES) their per-element losses.

Every function here ends in `compute_weighted_loss`, which multiplies the per-element losses by
`weights`, reduces them as `reduction` says (TF1's default: the mean over the non-zero weights),
and adds the result to `loss_collection`. Op names are TF 1.x's ('softmax_cross_entropy_loss/value:0').
"""
from ..framework.ops import GraphKeys, control_dependencies, convert_to_tensor, name_scope
from ..ops import array_ops, control_flow_ops, math_ops, nn_ops
from ..ops.constant_op import constant_value
from .util import add_loss

__all__ = ["Reduction", "compute_weighted_loss", "absolute_difference", "cosine_distance", "hinge_loss",
           "huber_loss", "log_loss", "mean_pairwise_squared_error", "mean_squared_error", "sigmoid_cross_entropy",
           "softmax_cross_entropy", "sparse_softmax_cross_entropy"]


class Reduction:
    """How `compute_weighted_loss` reduces the weighted losses.

    NONE: the weighted losses, unreduced. SUM: their sum. MEAN: the sum over the sum of the weights.
    SUM_OVER_BATCH_SIZE: the sum over the number of elements. SUM_BY_NONZERO_WEIGHTS (TF1's
    default; also SUM_OVER_NONZERO_WEIGHTS): the sum over the number of non-zero weights.
    """
    NONE = "none"
    SUM = "weighted_sum"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    MEAN = "weighted_mean"
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"
    SUM_OVER_NONZERO_WEIGHTS = SUM_BY_NONZERO_WEIGHTS

    @classmethod
    def all(cls):
        return (cls.NONE, cls.SUM, cls.MEAN, cls.SUM_OVER_BATCH_SIZE, cls.SUM_OVER_NONZERO_WEIGHTS,
                cls.SUM_BY_NONZERO_WEIGHTS)

    @classmethod
    def validate(cls, key):
        if key not in cls.all():
            raise ValueError("Invalid Reduction Key %s." % key)


# =========================================================================== weights broadcasting
_ASSERT_BROADCASTABLE_ERROR_PREFIX = "weights can not be broadcast to values."


def _assert_broadcastable(weights, values):
    """Check that `weights` is a scalar, or has the rank of `values` with each dimension 1 or equal.

    Returns a NoOp when the shapes are known and fit; raises ValueError (TF's wording) when they
    are known and do not. Shapes unknown until run time are not checked (TF adds an Assert there).
    """
    with name_scope(None, "assert_broadcastable", (weights, values)):
        with name_scope(None, "weights", (weights,)) as weights_scope:
            weights = convert_to_tensor(weights, name=weights_scope)
            weights_shape = array_ops.shape(weights, name="shape")
            weights_rank = array_ops.rank(weights, name="rank")
        weights_rank_static = constant_value(weights_rank)
        with name_scope(None, "values", (values,)) as values_scope:
            values = convert_to_tensor(values, name=values_scope)
            values_shape = array_ops.shape(values, name="shape")
            values_rank = array_ops.rank(values, name="rank")
        values_rank_static = constant_value(values_rank)
        if weights_rank_static is None or values_rank_static is None:
            return None
        if int(weights_rank_static) == 0:
            return control_flow_ops.no_op(name="static_scalar_check_success")
        if int(weights_rank_static) != int(values_rank_static):
            raise ValueError("%s values.rank=%s. weights.rank=%s. values.shape=%s. weights.shape=%s."
                             % (_ASSERT_BROADCASTABLE_ERROR_PREFIX, int(values_rank_static),
                                int(weights_rank_static), values.shape, weights.shape))
        weights_shape_static = constant_value(weights_shape)
        values_shape_static = constant_value(values_shape)
        if weights_shape_static is None or values_shape_static is None:
            return None
        for i, (w, v) in enumerate(zip(weights_shape_static.tolist(), values_shape_static.tolist())):
            if w not in (1, v):
                raise ValueError("%s Mismatch at dim %d. values.shape=%s weights.shape=%s."
                                 % (_ASSERT_BROADCASTABLE_ERROR_PREFIX, i, values_shape_static,
                                    weights_shape_static))
        return control_flow_ops.no_op(name="static_dims_check_success")


def _control_deps(check):
    return control_dependencies([check] if check is not None else [])


def _broadcast_weights(weights, values):
    """`weights` broadcast to the shape of `values` (only the broadcasts `_assert_broadcastable` allows)."""
    with name_scope(None, "broadcast_weights", (weights, values)) as scope:
        values = convert_to_tensor(values, name="values")
        weights = convert_to_tensor(weights, dtype=values.dtype.base_dtype, name="weights")
        ws, vs = weights.shape, values.shape
        if ws.is_fully_defined() and vs.is_fully_defined() and ws.is_compatible_with(vs):
            return weights
        with _control_deps(_assert_broadcastable(weights, values)):
            return math_ops.multiply(weights, array_ops.ones_like(values), name=scope)


# =========================================================================== reductions
def _safe_div(numerator, denominator, name="value"):
    """numerator / denominator, and 0 where the denominator is 0 (no NaN in the value or its gradient)."""
    return array_ops.where(
        math_ops.greater(denominator, 0),
        math_ops.div(numerator, array_ops.where(math_ops.equal(denominator, 0),
                                                array_ops.ones_like(denominator), denominator)),
        array_ops.zeros_like(numerator),
        name=name)


def _safe_mean(losses, num_present):
    """sum(losses) / num_present, or 0 when nothing is present."""
    return _safe_div(math_ops.reduce_sum(losses), num_present)


def _num_elements(losses):
    """The number of elements of `losses`, as a scalar of its dtype."""
    with name_scope(None, "num_elements", [losses]) as scope:
        return math_ops.cast(array_ops.size(losses, name=scope), dtype=losses.dtype)


def _num_present(losses, weights, per_batch=False):
    """How many elements of `losses` have a non-zero weight (weights broadcast over `losses`);
    per batch entry ([batch, 1, ...]) when `per_batch`, else a scalar."""
    if isinstance(weights, float) and weights != 0.0:
        return _num_elements(losses)
    with name_scope(None, "num_present", (losses, weights)) as scope:
        weights = math_ops.to_float(weights)
        present = array_ops.where(math_ops.equal(weights, 0.0), array_ops.zeros_like(weights),
                                  array_ops.ones_like(weights))
        present = _broadcast_weights(present, losses)
        if per_batch:
            return math_ops.reduce_sum(present, axis=array_ops.range(1, array_ops.rank(present)), keepdims=True,
                                       name=scope)
        return math_ops.reduce_sum(present, name=scope)


def compute_weighted_loss(losses, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """`losses * weights`, reduced as `reduction` says, added to `loss_collection`.

    losses: a float tensor [batch, d1, ...]; weights: a scalar, or a tensor of the rank of `losses`
    whose dimensions are 1 or equal to those of `losses`. Returns a scalar (or, for
    Reduction.NONE, the weighted losses) of the dtype of `losses`.

    >>> tf.losses.compute_weighted_loss([1.0, 3.0], weights=[1.0, 0.0])   # 1.0: mean over non-zero weights
    """
    Reduction.validate(reduction)
    with name_scope(scope, "weighted_loss", (losses, weights)):
        with _control_deps(_assert_broadcastable(weights, losses)):
            losses = convert_to_tensor(losses)
            input_dtype = losses.dtype.base_dtype
            losses = math_ops.to_float(losses)
            weights = math_ops.to_float(weights)
            weighted_losses = math_ops.multiply(losses, weights)
            if reduction == Reduction.NONE:
                loss = weighted_losses
            else:
                loss = math_ops.reduce_sum(weighted_losses)
                if reduction == Reduction.MEAN:
                    loss = _safe_mean(loss, math_ops.reduce_sum(array_ops.ones_like(losses) * weights))
                elif reduction == Reduction.SUM_BY_NONZERO_WEIGHTS:
                    loss = _safe_mean(loss, _num_present(losses, weights))
                elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
                    loss = _safe_mean(loss, _num_elements(losses))
            loss = math_ops.cast(loss, input_dtype)
            add_loss(loss, loss_collection)
            return loss


# =========================================================================== the losses
def _check_not_none(**args):
    for k, v in args.items():
        if v is None:
            raise ValueError("%s must not be None." % k)


def _floats_of_one_shape(predictions, labels):
    """Both as float32 (TF1's losses compute in float32), with compatible static shapes."""
    predictions = math_ops.to_float(predictions)
    labels = math_ops.to_float(labels)
    predictions.shape.assert_is_compatible_with(labels.shape)
    return predictions, labels


def absolute_difference(labels, predictions, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                        reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """|predictions - labels|, weighted and reduced (see `compute_weighted_loss`)."""
    _check_not_none(labels=labels, predictions=predictions)
    with name_scope(scope, "absolute_difference", (predictions, labels, weights)) as scope:
        predictions, labels = _floats_of_one_shape(predictions, labels)
        losses = math_ops.abs(math_ops.subtract(predictions, labels))
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def cosine_distance(labels, predictions, axis=None, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                    reduction=Reduction.SUM_BY_NONZERO_WEIGHTS, dim=None):
    """1 - sum(labels * predictions) along `axis` (both assumed unit-normalized), kept as a dimension of 1."""
    axis = array_ops._deprecated_argument_lookup("axis", axis, "dim", dim)
    if axis is None:
        raise ValueError("You must specify 'axis'.")
    _check_not_none(labels=labels, predictions=predictions)
    with name_scope(scope, "cosine_distance_loss", (predictions, labels, weights)) as scope:
        predictions, labels = _floats_of_one_shape(predictions, labels)
        radial_diffs = math_ops.multiply(predictions, labels)
        losses = 1 - math_ops.reduce_sum(radial_diffs, axis=(axis,), keepdims=True)
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def hinge_loss(labels, logits, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
               reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """max(0, 1 - y * logits) with labels in {0, 1} taken as y in {-1, 1}."""
    _check_not_none(labels=labels, logits=logits)
    with name_scope(scope, "hinge_loss", (logits, labels, weights)) as scope:
        logits, labels = _floats_of_one_shape(logits, labels)
        all_ones = array_ops.ones_like(labels)
        labels = math_ops.subtract(2 * labels, all_ones)
        losses = nn_ops.relu(math_ops.subtract(all_ones, math_ops.multiply(labels, logits)))
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def huber_loss(labels, predictions, weights=1.0, delta=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
               reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """0.5 * x**2 where |x| <= delta, else 0.5 * delta**2 + delta * (|x| - delta); x = labels - predictions."""
    _check_not_none(labels=labels, predictions=predictions)
    with name_scope(scope, "huber_loss", (predictions, labels, weights)) as scope:
        predictions, labels = _floats_of_one_shape(predictions, labels)
        error = math_ops.subtract(predictions, labels)
        abs_error = math_ops.abs(error)
        quadratic = math_ops.minimum(abs_error, delta)
        # equals max(|x| - delta, 0), but its gradient at |x| == delta is 0, which the quadratic part already has
        linear = math_ops.subtract(abs_error, quadratic)
        losses = math_ops.add(
            math_ops.multiply(convert_to_tensor(0.5, dtype=quadratic.dtype), math_ops.multiply(quadratic, quadratic)),
            math_ops.multiply(delta, linear))
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def log_loss(labels, predictions, weights=1.0, epsilon=1e-7, scope=None, loss_collection=GraphKeys.LOSSES,
             reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """-labels * log(predictions + epsilon) - (1 - labels) * log(1 - predictions + epsilon)."""
    _check_not_none(labels=labels, predictions=predictions)
    with name_scope(scope, "log_loss", (predictions, labels, weights)) as scope:
        predictions, labels = _floats_of_one_shape(predictions, labels)
        losses = -math_ops.multiply(labels, math_ops.log(predictions + epsilon)) - math_ops.multiply(
            (1 - labels), math_ops.log(1 - predictions + epsilon))
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def mean_pairwise_squared_error(labels, predictions, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES):
    """For each batch entry, the mean over pairs (i, j) of ((labels_i - labels_j) - (pred_i - pred_j))**2;
    weighted per batch entry and summed (a scalar)."""
    _check_not_none(labels=labels, predictions=predictions)
    with name_scope(scope, "mean_pairwise_squared_error", (predictions, labels, weights)) as scope:
        weights = math_ops.to_float(weights)
        labels = math_ops.to_float(labels)
        with _control_deps(_assert_broadcastable(weights, labels)):
            predictions = math_ops.to_float(predictions)
            predictions.shape.assert_is_compatible_with(labels.shape)
            diffs = math_ops.subtract(predictions, labels)
            axis = array_ops.range(1, array_ops.rank(diffs))
            sum_squares_diff_per_batch = math_ops.reduce_sum(math_ops.square(diffs), axis=axis, keepdims=True)
            num_present_per_batch = _num_present(diffs, weights, per_batch=True)
            term1 = 2.0 * _safe_div(sum_squares_diff_per_batch, math_ops.maximum(num_present_per_batch - 1, 0))
            sum_diff = math_ops.reduce_sum(diffs, axis=axis, keepdims=True)
            term2 = 2.0 * _safe_div(math_ops.square(sum_diff),
                                    math_ops.maximum(math_ops.multiply(num_present_per_batch,
                                                                       num_present_per_batch - 1), 0))
            weighted_losses = math_ops.multiply(term1 - term2, weights)
            loss = math_ops.reduce_sum(weighted_losses)
            mean_loss = array_ops.where(math_ops.reduce_sum(num_present_per_batch) > 0, loss,
                                        array_ops.zeros_like(loss), name="value")
            add_loss(mean_loss, loss_collection)
            return mean_loss


def mean_squared_error(labels, predictions, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                       reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """(predictions - labels)**2, weighted and reduced (default: the mean).

    >>> tf.losses.mean_squared_error([[1.0, 1.0]], [[3.0, 1.0]])   # 2.0; name 'mean_squared_error/value:0'
    """
    _check_not_none(labels=labels, predictions=predictions)
    with name_scope(scope, "mean_squared_error", (predictions, labels, weights)) as scope:
        predictions, labels = _floats_of_one_shape(predictions, labels)
        losses = math_ops.squared_difference(predictions, labels)
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def sigmoid_cross_entropy(multi_class_labels, logits, weights=1.0, label_smoothing=0, scope=None,
                          loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """tf.nn.sigmoid_cross_entropy_with_logits, weighted and reduced. `label_smoothing` moves the
    labels towards 1/2: labels * (1 - label_smoothing) + 0.5 * label_smoothing."""
    _check_not_none(multi_class_labels=multi_class_labels, logits=logits)
    with name_scope(scope, "sigmoid_cross_entropy_loss", (logits, multi_class_labels, weights)) as scope:
        logits = convert_to_tensor(logits)
        multi_class_labels = math_ops.cast(multi_class_labels, logits.dtype)
        logits.shape.assert_is_compatible_with(multi_class_labels.shape)
        if label_smoothing > 0:
            multi_class_labels = multi_class_labels * (1 - label_smoothing) + 0.5 * label_smoothing
        losses = nn_ops.sigmoid_cross_entropy_with_logits(labels=multi_class_labels, logits=logits,
                                                          name="xentropy")
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def softmax_cross_entropy(onehot_labels, logits, weights=1.0, label_smoothing=0, scope=None,
                          loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Softmax cross-entropy of `logits` [batch, classes] against `onehot_labels` of the same shape,
    weighted per batch entry and reduced (default: the mean). `label_smoothing` moves the labels
    towards 1/classes. No gradient flows into the labels.

    >>> tf.losses.softmax_cross_entropy([[0., 1., 0.]], [[0.3, 0.9, 0.1]])   # 0.6922
    <tf.Tensor 'softmax_cross_entropy_loss/value:0' shape=() dtype=float32>
    """
    _check_not_none(onehot_labels=onehot_labels, logits=logits)
    with name_scope(scope, "softmax_cross_entropy_loss", (logits, onehot_labels, weights)) as scope:
        logits = convert_to_tensor(logits)
        onehot_labels = math_ops.cast(onehot_labels, logits.dtype)
        logits.shape.assert_is_compatible_with(onehot_labels.shape)
        if label_smoothing > 0:
            num_classes = math_ops.cast(array_ops.shape(onehot_labels)[1], logits.dtype)
            smooth_positives = 1.0 - label_smoothing
            smooth_negatives = label_smoothing / num_classes
            onehot_labels = onehot_labels * smooth_positives + smooth_negatives
        onehot_labels = array_ops.stop_gradient(onehot_labels, name="labels_stop_gradient")
        losses = nn_ops.softmax_cross_entropy_with_logits_v2(labels=onehot_labels, logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def _remove_squeezable_dimensions(labels, predictions, weights=None, expected_rank_diff=0):
    """Drop a trailing dimension of 1 from `predictions` or `labels` when their ranks differ by one
    more (or less) than `expected_rank_diff`, and from `weights` when it has one more dimension than
    `labels`. Static ranks only: with an unknown rank nothing is squeezed."""
    with name_scope(None, "remove_squeezable_dimensions", [labels, predictions]):
        predictions = convert_to_tensor(predictions)
        labels = convert_to_tensor(labels)
        p_shape, l_shape = predictions.shape, labels.shape
        if p_shape.ndims is not None and l_shape.ndims is not None:
            rank_diff = p_shape.ndims - l_shape.ndims
            if rank_diff == expected_rank_diff + 1 and p_shape.as_tuple()[-1] in (None, 1):
                predictions = array_ops.squeeze(predictions, [-1])
            elif rank_diff == expected_rank_diff - 1 and l_shape.as_tuple()[-1] in (None, 1):
                labels = array_ops.squeeze(labels, [-1])
    if weights is not None:
        weights = convert_to_tensor(weights)
        labels_rank = labels.shape.ndims
        weights_rank = weights.shape.ndims
        if labels_rank is not None and weights_rank is not None and weights_rank - labels_rank == 1:
            weights = array_ops.squeeze(weights, [-1])
    return labels, predictions, weights


def sparse_softmax_cross_entropy(labels, logits, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                                 reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Softmax cross-entropy of `logits` [d0, ..., classes] against class indices `labels` [d0, ...]
    (int32/int64), weighted and reduced (default: the mean)."""
    _check_not_none(labels=labels, logits=logits)
    with name_scope(scope, "sparse_softmax_cross_entropy_loss", (logits, labels, weights)) as scope:
        labels, logits, weights = _remove_squeezable_dimensions(labels, logits, weights, expected_rank_diff=1)
        losses = nn_ops.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)

