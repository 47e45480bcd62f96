"""Categorical(logits= or probs=): a batch of distributions over the classes 0..K-1 of the last axis; sampling
through tf.multinomial, log_prob as minus the sparse softmax cross entropy, entropy, mode and the KL."""
from ...framework import dtypes, ops
from ...framework.tensor_shape import TensorShape
from .. import array_ops, math_ops, nn_ops, random_ops
from .distribution import NOT_REPARAMETERIZED, Distribution
from .kullback_leibler import RegisterKL

__all__ = ["Categorical"]


class Categorical(Distribution):
    """Distributions over the K classes of the last axis of `logits` (or of `probs`, which TF takes as given:
    logits = log(probs)); the other axes are the batch. Samples and modes have dtype `dtype` (int32).

        pi = tf.distributions.Categorical(logits=scores)   # scores [batch, num_actions]
        action = pi.sample()                               # [batch] int32
        loss = -pi.log_prob(action) * advantage
    """

    def __init__(self, logits=None, probs=None, dtype=dtypes.int32, validate_args=False, allow_nan_stats=True,
                 name="Categorical"):
        parameters = dict(locals())
        with ops.name_scope(name, values=[logits, probs]) as name:
            self._logits, self._probs = _logits_and_probs(logits, probs)
            static = self._logits.shape
            if static.ndims == 0:
                raise ValueError("Shape must be at least rank 1 but is rank 0")
            self._batch_rank = (ops.convert_to_tensor(static.ndims - 1, dtype=dtypes.int32, name="batch_rank")
                                if static.ndims is not None else array_ops.rank(self._logits) - 1)
            logits_shape = array_ops.shape(self._logits, name="logits_shape")
            if static.ndims is not None and static.as_list()[-1] is not None:
                self._event_size = ops.convert_to_tensor(static.as_list()[-1], dtype=dtypes.int32,
                                                         name="event_size")
            else:
                with ops.name_scope("event_size"):
                    self._event_size = logits_shape[self._batch_rank]
            if static.ndims is not None and TensorShape(static.as_list()[:-1]).is_fully_defined():
                self._batch_shape_val = ops.convert_to_tensor(static.as_list()[:-1], dtype=dtypes.int32,
                                                              name="batch_shape")
            else:
                with ops.name_scope("batch_shape"):
                    self._batch_shape_val = logits_shape[:-1]
        super(Categorical, self).__init__(dtype=dtypes.as_dtype(dtype), reparameterization_type=NOT_REPARAMETERIZED,
                                          validate_args=validate_args, allow_nan_stats=allow_nan_stats,
                                          parameters=parameters, graph_parents=[self._logits, self._probs],
                                          name=name)

    @property
    def event_size(self):
        """The number of classes K, a scalar int32 tensor."""
        return self._event_size

    @property
    def logits(self):
        return self._logits

    @property
    def probs(self):
        return self._probs

    def _batch_shape_tensor(self):
        return array_ops.identity(self._batch_shape_val)

    def _batch_shape(self):
        shape = self._logits.shape
        return TensorShape(None) if shape.ndims is None else TensorShape(shape.as_list()[:-1])

    def _event_shape(self):
        return []

    def _sample_n(self, n, seed=None):
        logits_2d = (self._logits if self._logits.shape.ndims == 2
                     else array_ops.reshape(self._logits, [-1, self._event_size]))
        sample_dtype = dtypes.int64 if self.dtype.size > 4 else dtypes.int32
        draws = random_ops.multinomial(logits_2d, n, seed=seed, output_dtype=sample_dtype)
        draws = array_ops.reshape(array_ops.transpose(draws), array_ops.concat([[n], self.batch_shape_tensor()], 0))
        return math_ops.cast(draws, self.dtype)

    def _log_prob(self, k):
        k = ops.convert_to_tensor(k, name="k")
        k, logits = _broadcast_event_and_params(k, self._logits, self.dtype)
        return -nn_ops.sparse_softmax_cross_entropy_with_logits(labels=k, logits=logits)

    def _cdf(self, k):
        k = ops.convert_to_tensor(k, name="k")
        k, probs = _broadcast_event_and_params(k, self._probs, self.dtype)
        flat_probs = array_ops.reshape(probs, (-1, self._event_size))
        flat_k = array_ops.reshape(k, [-1])
        below_k = math_ops.less(array_ops.range(self._event_size), array_ops.expand_dims(flat_k, -1))  # a mask
        to_sum = array_ops.where(below_k, flat_probs, array_ops.zeros_like(flat_probs))
        return array_ops.reshape(math_ops.reduce_sum(to_sum, axis=-1), array_ops.shape(k))

    def _entropy(self):
        return -math_ops.reduce_sum(nn_ops.log_softmax(self._logits) * self._probs, axis=-1)

    def _mode(self):
        ret = math_ops.cast(math_ops.argmax(self._logits, axis=self._batch_rank), self.dtype)
        ret.set_shape(self.batch_shape)
        return ret


def _logits_and_probs(logits, probs):
    """(logits, probs) from the one given: probs = softmax(logits), or logits = log(probs) (in the
    distribution's own name scope, as TF builds them)."""
    if (probs is None) == (logits is None):
        raise ValueError("Must pass probs or logits, but not both.")
    if probs is None:
        logits = ops.convert_to_tensor(logits, name="logits")
        if not logits.dtype.is_floating:
            raise TypeError("logits must having floating type.")
        return logits, nn_ops.softmax(logits, name="probs")
    probs = ops.convert_to_tensor(probs, name="probs")
    if not probs.dtype.is_floating:
        raise TypeError("probs must having floating type.")
    with ops.name_scope("logits"):
        return math_ops.log(probs), probs


def _broadcast_event_and_params(event, params, base_dtype):
    """Broadcast the class ids `event` against params' batch axes (params [..., K], event [...])."""
    if event.dtype.is_integer:
        pass
    elif event.dtype.is_floating:
        event = math_ops.cast(event, dtype=dtypes.int32)  # float ids: the classes were drawn as floats
    else:
        raise TypeError("`value` should have integer `dtype` or `self.dtype` (%s)" % base_dtype)
    pshape, eshape = params.shape, event.shape
    known = (pshape.ndims is not None and TensorShape(pshape.as_list()[:-1]).is_fully_defined()
             and eshape.is_fully_defined())
    if not known or pshape.as_list()[:-1] != eshape.as_list():
        params = params * array_ops.ones_like(array_ops.expand_dims(event, -1), dtype=params.dtype)
        event = event * array_ops.ones(array_ops.shape(params)[:-1], dtype=event.dtype)
        if params.shape.ndims is not None:
            event.set_shape(TensorShape(params.shape.as_list()[:-1]))
    return event, params


@RegisterKL(Categorical, Categorical)
def _kl_categorical_categorical(a, b, name=None):
    """KL(a || b) = sum_k p_a(k) (log p_a(k) - log p_b(k))."""
    with ops.name_scope(name, "kl_categorical_categorical", values=[a.logits, b.logits]):
        delta_log_probs = nn_ops.log_softmax(a.logits) - nn_ops.log_softmax(b.logits)
        return math_ops.reduce_sum(nn_ops.softmax(a.logits) * delta_log_probs, axis=-1)
