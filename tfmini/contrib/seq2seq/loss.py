"""tf.contrib.seq2seq.sequence_loss: the cross-entropy of each step of a sequence of logits, weighted (0 for padding),
averaged or summed over the time steps and the batch, as TF 1.x's contrib computes it."""
from ...framework.ops import convert_to_tensor, name_scope
from ...ops import array_ops, math_ops, nn_ops

__all__ = ["sequence_loss"]


def _div_no_nan(x, y):
    """x / y, and 0 where y is 0 (TF's div_no_nan; the gradient there is 0 too)."""
    zero = math_ops.equal(y, 0.0)
    safe = array_ops.where(zero, array_ops.ones_like(y), y)
    return array_ops.where(zero, array_ops.zeros_like(x), math_ops.div(x, safe), name="div_no_nan")


def sequence_loss(logits, targets, weights, average_across_timesteps=True, average_across_batch=True,
                  sum_over_timesteps=False, sum_over_batch=False, softmax_loss_function=None, name=None):
    """The weighted cross-entropy of `logits` [batch, time, classes] against `targets` [batch, time] (int class
    ids), each step's weighted by `weights` [batch, time] (a mask such as 1 for real steps and 0 for padding).

    By default a scalar: the weighted sum divided by the sum of the weights (the log-perplexity per symbol).
    `average_across_timesteps=False` keeps the time axis ([time]), `average_across_batch=False` the batch axis
    ([batch]), both False neither ([batch, time]). `sum_over_timesteps` / `sum_over_batch` (with the averaging off
    on that axis) divide the sum by the number of nonzero weights instead. `softmax_loss_function(labels=...,
    logits=...)` replaces the sparse softmax cross-entropy (it gets the flattened [batch * time] labels and
    [batch * time, classes] logits).

    >>> loss = tf.contrib.seq2seq.sequence_loss(logits, targets, tf.ones_like(targets, tf.float32))
    """
    logits, targets, weights = convert_to_tensor(logits), convert_to_tensor(targets), convert_to_tensor(weights)
    if logits.shape.ndims != 3:
        raise ValueError("Logits must be a [batch_size x sequence_length x logits] tensor")
    if targets.shape.ndims != 2:
        raise ValueError("Targets must be a [batch_size x sequence_length] tensor")
    if weights.shape.ndims != 2:
        raise ValueError("Weights must be a [batch_size x sequence_length] tensor")
    if average_across_timesteps and sum_over_timesteps:
        raise ValueError("average_across_timesteps and sum_over_timesteps cannot be set to True at same time.")
    if average_across_batch and sum_over_batch:
        raise ValueError("average_across_batch and sum_over_batch cannot be set to True at same time.")
    with name_scope(name, "sequence_loss", [logits, targets, weights]):
        num_classes = array_ops.shape(logits)[2]
        logits_flat = array_ops.reshape(logits, [-1, num_classes])
        targets = array_ops.reshape(targets, [-1])
        if softmax_loss_function is None:
            crossent = nn_ops.sparse_softmax_cross_entropy_with_logits(labels=targets, logits=logits_flat)
        else:
            crossent = softmax_loss_function(labels=targets, logits=logits_flat)
        crossent *= array_ops.reshape(weights, [-1])
        if average_across_timesteps and average_across_batch:
            return _div_no_nan(math_ops.reduce_sum(crossent), math_ops.reduce_sum(weights))
        if sum_over_timesteps and sum_over_batch:
            return _div_no_nan(math_ops.reduce_sum(crossent),
                               math_ops.cast(math_ops.count_nonzero(weights), crossent.dtype))
        crossent = array_ops.reshape(crossent, array_ops.shape(logits)[0:2])
        if average_across_timesteps or average_across_batch:
            axis = [0] if average_across_batch else [1]
            return _div_no_nan(math_ops.reduce_sum(crossent, axis=axis), math_ops.reduce_sum(weights, axis=axis))
        if sum_over_timesteps or sum_over_batch:
            axis = [0] if sum_over_batch else [1]
            return _div_no_nan(math_ops.reduce_sum(crossent, axis=axis),
                               math_ops.cast(math_ops.count_nonzero(weights, axis=axis), crossent.dtype))
        return crossent
