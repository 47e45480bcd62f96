"""slim.losses (tf.contrib.losses in TF 1.x): the deprecated loss functions the lecture uses, with their
argument order — predictions or logits FIRST, labels second (tf.losses takes labels first).

Each returns the mean loss (a scalar) and adds it to GraphKeys.LOSSES, so that

    loss1 = slim.losses.softmax_cross_entropy(logits, onehot_labels)
    loss2 = slim.losses.mean_squared_error(predictions, targets)
    total = slim.losses.get_total_loss()      # loss1 + loss2 + the regularization losses

`weights` scales the loss: a scalar, a [batch] vector (one weight per example), or the shape of
the per-element losses; the mean is over the elements with a non-zero weight.
"""
from ...losses import util as _util
from ...framework import dtypes
from ...framework.ops import convert_to_tensor, name_scope
from ...ops import array_ops, math_ops, nn_ops
from ..framework.arg_scope import add_arg_scope

__all__ = ["absolute_difference", "add_loss", "cosine_distance", "compute_weighted_loss", "get_losses",
           "get_regularization_losses", "get_total_loss", "hinge_loss", "log_loss", "mean_pairwise_squared_error",
           "mean_squared_error", "sigmoid_cross_entropy", "softmax_cross_entropy", "sparse_softmax_cross_entropy"]


# =========================================================================== weighting and reducing
def _scale_losses(losses, weights):
    """sum(losses * weights), `weights` broadcast over the trailing axes of `losses`."""
    start_index = max(0, weights.get_shape().ndims)
    axis = list(range(start_index, losses.get_shape().ndims))
    reduced = math_ops.reduce_sum(losses, axis=axis)
    reduced = math_ops.multiply(reduced, weights)
    return math_ops.reduce_sum(reduced)


def _div_no_nan(numerator, denominator, name):
    """numerator / denominator, 0 where the denominator is 0 (TF's div_no_nan)."""
    safe = array_ops.where(math_ops.equal(denominator, 0.0), array_ops.ones_like(denominator), denominator)
    return array_ops.where(math_ops.equal(denominator, 0.0), array_ops.zeros_like(numerator),
                           math_ops.div(numerator, safe), name=name)


def _safe_mean(losses, num_present):
    return _div_no_nan(math_ops.reduce_sum(losses), num_present, name="value")


def _num_present(losses, weights, per_batch=False):
    """How many elements of `losses` have a non-zero weight: a scalar, or [batch] when `per_batch`."""
    if weights.get_shape().ndims == 0:
        batch_size = array_ops.reshape(array_ops.slice(array_ops.shape(losses), [0], [1]), [])
        num_per_batch = math_ops.div(math_ops.cast(array_ops.size(losses), dtypes.float32),
                                     math_ops.cast(batch_size, dtypes.float32))
        num_per_batch = array_ops.where(math_ops.equal(weights, 0), 0.0, num_per_batch)
        num_per_batch = math_ops.multiply(array_ops.ones(array_ops.reshape(batch_size, [1])), num_per_batch)
        return num_per_batch if per_batch else math_ops.reduce_sum(num_per_batch)
    axis = list(range(1, weights.get_shape().ndims))
    num_nonzero_per_batch = math_ops.reduce_sum(math_ops.cast(math_ops.not_equal(weights, 0), dtypes.float32),
                                                axis=axis)
    broadcast_dims = array_ops.slice(array_ops.shape(losses), [weights.get_shape().ndims], [-1])
    num_to_broadcast = math_ops.cast(math_ops.reduce_prod(broadcast_dims), dtypes.float32)
    num_per_batch = math_ops.multiply(num_nonzero_per_batch, num_to_broadcast)
    return num_per_batch if per_batch else math_ops.reduce_sum(num_per_batch)


def compute_weighted_loss(losses, weights=1.0, scope=None):
    """The weighted mean of `losses` (see the module docstring), added to GraphKeys.LOSSES."""
    with name_scope(scope, "weighted_loss", [losses, weights]):
        losses = convert_to_tensor(losses)
        input_dtype = losses.dtype
        losses = math_ops.cast(losses, dtypes.float32)
        weights = math_ops.cast(convert_to_tensor(weights), dtypes.float32)
        if losses.get_shape().ndims is None:
            raise ValueError("losses.get_shape().ndims cannot be None")
        weights_shape = weights.get_shape()
        if weights_shape.ndims is None:
            raise ValueError("weights.get_shape().ndims cannot be None")
        if weights_shape.ndims > 1 and weights_shape.dims[-1].is_compatible_with(1):
            weights = array_ops.squeeze(weights, [-1])
        total_loss = _scale_losses(losses, weights)
        num_present = _num_present(losses, weights)
        mean_loss = _safe_mean(total_loss, num_present)
        mean_loss = math_ops.cast(mean_loss, input_dtype)
        add_loss(mean_loss)
        return mean_loss


# =========================================================================== the loss collection
# the collection helpers are tf.losses' own (tfmini/losses/util.py); slim's add_loss is also arg-scoped
add_loss = add_arg_scope(_util.add_loss)
get_losses = _util.get_losses
get_regularization_losses = _util.get_regularization_losses
get_total_loss = _util.get_total_loss


# =========================================================================== the losses
def _as_tensor(x, what):
    if x is None:
        raise ValueError("%s must not be None." % what)
    return convert_to_tensor(x)


def absolute_difference(predictions, labels=None, weights=1.0, scope=None):
    """mean(|predictions - labels|)."""
    with name_scope(scope, "absolute_difference", [predictions, labels, weights]) as scope:
        predictions, labels = _as_tensor(predictions, "predictions"), _as_tensor(labels, "labels")
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        predictions = math_ops.cast(predictions, dtypes.float32)
        labels = math_ops.cast(labels, dtypes.float32)
        losses = math_ops.abs(math_ops.subtract(predictions, labels))
        return compute_weighted_loss(losses, weights, scope=scope)


def sigmoid_cross_entropy(logits, multi_class_labels, weights=1.0, label_smoothing=0, scope=None):
    """mean of tf.nn.sigmoid_cross_entropy_with_logits (labels in [0, 1]; smoothed towards 1/2)."""
    with name_scope(scope, "sigmoid_cross_entropy_loss", [logits, multi_class_labels, weights]) as scope:
        logits = _as_tensor(logits, "logits")
        multi_class_labels = _as_tensor(multi_class_labels, "multi_class_labels")
        logits.get_shape().assert_is_compatible_with(multi_class_labels.get_shape())
        multi_class_labels = math_ops.cast(multi_class_labels, logits.dtype)
        if label_smoothing > 0:
            multi_class_labels = multi_class_labels * (1 - label_smoothing) + 0.5 * label_smoothing
        losses = nn_ops.sigmoid_cross_entropy_with_logits(labels=multi_class_labels, logits=logits,
                                                          name="xentropy")
        return compute_weighted_loss(losses, weights, scope=scope)


def softmax_cross_entropy(logits, onehot_labels, weights=1.0, label_smoothing=0, scope=None):
    """mean of tf.nn.softmax_cross_entropy_with_logits: logits [batch, classes] FIRST, then one-hot
    labels of the same shape (smoothed towards 1/classes with `label_smoothing`).

    >>> loss = slim.losses.softmax_cross_entropy(logits, onehot_labels)   # scalar, in GraphKeys.LOSSES
    """
    with name_scope(scope, "softmax_cross_entropy_loss", [logits, onehot_labels, weights]) as scope:
        logits = _as_tensor(logits, "logits")
        onehot_labels = _as_tensor(onehot_labels, "onehot_labels")
        logits.get_shape().assert_is_compatible_with(onehot_labels.get_shape())
        onehot_labels = math_ops.cast(onehot_labels, logits.dtype)
        if label_smoothing > 0:
            num_classes = math_ops.cast(array_ops.shape(onehot_labels)[1], logits.dtype)
            smooth_positives = 1.0 - label_smoothing
            smooth_negatives = label_smoothing / num_classes
            onehot_labels = onehot_labels * smooth_positives + smooth_negatives
        losses = nn_ops.softmax_cross_entropy_with_logits(labels=onehot_labels, logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, scope=scope)


def sparse_softmax_cross_entropy(logits, labels, weights=1.0, scope=None):
    """mean of tf.nn.sparse_softmax_cross_entropy_with_logits: logits [batch, classes] FIRST, then
    integer class ids [batch] (or [batch, 1])."""
    with name_scope(scope, "sparse_softmax_cross_entropy_loss", [logits, labels, weights]) as scope:
        labels = _as_tensor(labels, "labels")
        labels = array_ops.reshape(labels, shape=[array_ops.shape(labels)[0]])
        losses = nn_ops.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, scope=scope)


def log_loss(predictions, labels=None, weights=1.0, epsilon=1e-7, scope=None):
    """mean(-labels * log(p + eps) - (1 - labels) * log(1 - p + eps)) for probabilities `predictions`."""
    with name_scope(scope, "log_loss", [predictions, labels, weights]) as scope:
        predictions, labels = _as_tensor(predictions, "predictions"), _as_tensor(labels, "labels")
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        predictions = math_ops.cast(predictions, dtypes.float32)
        labels = math_ops.cast(labels, dtypes.float32)
        losses = (-math_ops.multiply(labels, math_ops.log(predictions + epsilon))
                  - math_ops.multiply((1 - labels), math_ops.log(1 - predictions + epsilon)))
        return compute_weighted_loss(losses, weights, scope=scope)


def hinge_loss(logits, labels=None, scope=None):
    """relu(1 - y * logits) with labels {0, 1} mapped to y in {-1, 1}: unreduced, not collected."""
    with name_scope(scope, "hinge_loss", [logits, labels]) as scope:
        logits, labels = _as_tensor(logits, "logits"), _as_tensor(labels, "labels")
        logits.get_shape().assert_is_compatible_with(labels.get_shape())
        labels = math_ops.cast(labels, dtypes.float32)
        all_ones = array_ops.ones_like(labels)
        labels = math_ops.subtract(2 * labels, all_ones)
        return nn_ops.relu(math_ops.subtract(all_ones, math_ops.multiply(labels, logits)))


def mean_squared_error(predictions, labels=None, weights=1.0, scope=None):
    """mean((predictions - labels) ** 2): predictions FIRST."""
    with name_scope(scope, "mean_squared_error", [predictions, labels, weights]) as scope:
        predictions, labels = _as_tensor(predictions, "predictions"), _as_tensor(labels, "labels")
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        predictions = math_ops.cast(predictions, dtypes.float32)
        labels = math_ops.cast(labels, dtypes.float32)
        losses = math_ops.squared_difference(predictions, labels)
        return compute_weighted_loss(losses, weights, scope=scope)


def mean_pairwise_squared_error(predictions, labels=None, weights=1.0, scope=None):
    """The mean over pairs (i, j) within each example of ((p_i - p_j) - (l_i - l_j)) ** 2."""
    with name_scope(scope, "mean_pairwise_squared_error", [predictions, labels, weights]) as scope:
        predictions, labels = _as_tensor(predictions, "predictions"), _as_tensor(labels, "labels")
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        predictions = math_ops.cast(predictions, dtypes.float32)
        labels = math_ops.cast(labels, dtypes.float32)
        weights = math_ops.cast(convert_to_tensor(weights), dtypes.float32)
        diffs = math_ops.subtract(predictions, labels)
        if diffs.get_shape().ndims is None:
            raise ValueError("diffs.get_shape().ndims cannot be None")
        if weights.get_shape().ndims is None:
            raise ValueError("weights.get_shape().ndims cannot be None")
        axis = list(range(1, diffs.get_shape().ndims))
        sum_squares_diff_per_batch = math_ops.reduce_sum(math_ops.square(diffs), axis=axis)
        num_present_per_batch = _num_present(diffs, weights, per_batch=True)
        term1 = 2.0 * _div_no_nan(sum_squares_diff_per_batch, num_present_per_batch, name="value")
        sum_diff = math_ops.reduce_sum(diffs, axis=axis)
        term2 = 2.0 * _div_no_nan(math_ops.square(sum_diff), math_ops.square(num_present_per_batch), name="value")
        loss = _scale_losses(term1 - term2, weights)
        mean_loss = array_ops.where(math_ops.reduce_sum(num_present_per_batch) > 0, loss,
                                    array_ops.zeros_like(loss), name="value")
        add_loss(mean_loss)
        return mean_loss


def cosine_distance(predictions, labels=None, axis=None, weights=1.0, scope=None, dim=None):
    """mean(1 - sum(predictions * labels, axis)) for unit-normalized inputs (`dim`: old name of `axis`)."""
    if dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dim'")
        axis = dim
    if axis is None:
        raise ValueError("You must specify 'axis'.")
    with name_scope(scope, "cosine_distance_loss", [predictions, labels, weights]) as scope:
        predictions, labels = _as_tensor(predictions, "predictions"), _as_tensor(labels, "labels")
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        predictions = math_ops.cast(predictions, dtypes.float32)
        labels = math_ops.cast(labels, dtypes.float32)
        radial_diffs = math_ops.multiply(predictions, labels)
        losses = 1 - math_ops.reduce_sum(radial_diffs, axis=[axis])
        return compute_weighted_loss(losses, weights, scope=scope)
