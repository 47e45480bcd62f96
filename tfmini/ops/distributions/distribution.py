"""The Distribution base class: TF's public methods (sample, log_prob, prob, cdf, entropy, mean, ...) that open
the distribution's name scope and call the subclass's _sample_n, _log_prob, ...; static and dynamic batch and
event shapes; the reparameterization types."""
import contextlib

import numpy as np

from ...framework import dtypes, ops
from ...framework.tensor_shape import TensorShape
from .. import array_ops, math_ops
from ..constant_op import constant_value

__all__ = ["Distribution", "ReparameterizationType", "FULLY_REPARAMETERIZED", "NOT_REPARAMETERIZED"]


class ReparameterizationType(object):
    """Whether samples are a differentiable function of the parameters (FULLY_REPARAMETERIZED, Normal) or not
    (NOT_REPARAMETERIZED, Categorical)."""

    def __init__(self, rep_type):
        self._rep_type = rep_type

    def __repr__(self):
        return "<Reparameteriation Type: %s>" % self._rep_type

    def __eq__(self, other):
        return self is other


FULLY_REPARAMETERIZED = ReparameterizationType("FULLY_REPARAMETERIZED")
NOT_REPARAMETERIZED = ReparameterizationType("NOT_REPARAMETERIZED")


class Distribution(object):
    """A batch of distributions. Subclasses implement some of _sample_n(n, seed), _log_prob(x), _prob(x),
    _cdf(x), _log_cdf(x), _entropy(), _mean(), _stddev(), _variance(), _mode(), and the shapes
    _batch_shape()/_batch_shape_tensor(), _event_shape()/_event_shape_tensor().

    Every public method builds its ops under "<distribution name>/<method name>/", as TF does."""

    def __init__(self, dtype, reparameterization_type, validate_args, allow_nan_stats, parameters=None,
                 graph_parents=None, name=None):
        graph_parents = [] if graph_parents is None else graph_parents
        for i, t in enumerate(graph_parents):
            if t is None or not isinstance(t, ops.Tensor):
                raise ValueError("Graph parent item %d is not a Tensor; %s." % (i, t))
        if not name or name[-1] != "/":  # not a name scope yet: make one (unique, as TF does)
            with ops.name_scope(name or type(self).__name__) as name:
                pass
        self._dtype = dtype
        self._reparameterization_type = reparameterization_type
        self._allow_nan_stats = allow_nan_stats
        self._validate_args = validate_args
        self._parameters = parameters or {}
        self._graph_parents = graph_parents
        self._name = name

    # ------------------------------------------------------------------------------------------- properties
    @property
    def name(self):
        return self._name

    @property
    def dtype(self):
        return self._dtype

    @property
    def parameters(self):
        return {k: v for k, v in self._parameters.items() if not k.startswith("__") and k != "self"}

    @property
    def reparameterization_type(self):
        return self._reparameterization_type

    @property
    def allow_nan_stats(self):
        return self._allow_nan_stats

    @property
    def validate_args(self):
        return self._validate_args

    @property
    def batch_shape(self):
        """The static batch shape (a TensorShape): the shape of one draw's independent distributions."""
        return TensorShape(self._batch_shape())

    def batch_shape_tensor(self, name="batch_shape_tensor"):
        with self._name_scope(name):
            if self.batch_shape.is_fully_defined():
                return ops.convert_to_tensor(self.batch_shape.as_list(), dtype=dtypes.int32, name="batch_shape")
            return self._batch_shape_tensor()

    @property
    def event_shape(self):
        """The static event shape (a TensorShape): [] for a scalar distribution."""
        return TensorShape(self._event_shape())

    def event_shape_tensor(self, name="event_shape_tensor"):
        with self._name_scope(name):
            if self.event_shape.is_fully_defined():
                return ops.convert_to_tensor(self.event_shape.as_list(), dtype=dtypes.int32, name="event_shape")
            return self._event_shape_tensor()

    def is_scalar_event(self, name="is_scalar_event"):
        with self._name_scope(name):
            return ops.convert_to_tensor(self.event_shape.ndims == 0, name="is_scalar_event")

    def is_scalar_batch(self, name="is_scalar_batch"):
        with self._name_scope(name):
            return ops.convert_to_tensor(self.batch_shape.ndims == 0, name="is_scalar_batch")

    # ------------------------------------------------------------------------------------------- sampling
    def sample(self, sample_shape=(), seed=None, name="sample"):
        """Draws of shape sample_shape + batch_shape + event_shape (one draw, batch_shape, by default)."""
        with self._name_scope(name, values=[sample_shape]):
            sample_shape = ops.convert_to_tensor(sample_shape, dtype=dtypes.int32, name="sample_shape")
            sample_shape, n = self._expand_sample_shape_to_vector(sample_shape, "sample_shape")
            samples = self._sample_n(n, seed)
            batch_event_shape = array_ops.shape(samples)[1:]
            final_shape = array_ops.concat([sample_shape, batch_event_shape], 0)
            samples = array_ops.reshape(samples, final_shape)
            return self._set_sample_static_shape(samples, sample_shape)

    def sample_n(self, n, seed=None, name="sample_n"):
        """TF 0.x's spelling of sample([n]) (removed in TF 1.0, kept for old lecture code)."""
        return self.sample([n], seed=seed, name=name)

    def _expand_sample_shape_to_vector(self, x, name):
        """sample_shape as a vector, and the number of draws it asks for."""
        static = constant_value(x)
        prod = math_ops.reduce_prod(x) if static is None else np.prod(static, dtype=np.int32)
        ndims = x.shape.ndims
        if ndims == 0:
            x = (ops.convert_to_tensor(np.array([static], dtype=np.int32), name=name) if static is not None
                 else array_ops.reshape(x, [1]))
        elif ndims is not None and ndims != 1:
            raise ValueError("Input is neither scalar nor vector.")
        return x, prod

    def _set_sample_static_shape(self, x, sample_shape):
        """The static shape sample_shape + batch_shape + event_shape, as far as each is known."""
        static = constant_value(sample_shape)
        sample = TensorShape(None) if static is None else TensorShape([int(d) for d in static])
        if sample.ndims is None or self.batch_shape.ndims is None or self.event_shape.ndims is None:
            return x
        x.set_shape(sample.concatenate(self.batch_shape).concatenate(self.event_shape))
        return x

    # ------------------------------------------------------------------------------------------- densities
    def log_prob(self, value, name="log_prob"):
        """log p(value), batchwise: shape sample_shape(value) + batch_shape."""
        with self._name_scope(name, values=[value]):
            value = ops.convert_to_tensor(value, name="value", preferred_dtype=self.dtype)
            try:
                return self._log_prob(value)
            except NotImplementedError as original:
                try:
                    return math_ops.log(self._prob(value))
                except NotImplementedError:
                    raise original from None

    def prob(self, value, name="prob"):
        """p(value), batchwise."""
        with self._name_scope(name, values=[value]):
            value = ops.convert_to_tensor(value, name="value", preferred_dtype=self.dtype)
            try:
                return self._prob(value)
            except NotImplementedError as original:
                try:
                    return math_ops.exp(self._log_prob(value))
                except NotImplementedError:
                    raise original from None

    def cdf(self, value, name="cdf"):
        """P(X <= value), batchwise."""
        with self._name_scope(name, values=[value]):
            value = ops.convert_to_tensor(value, name="value", preferred_dtype=self.dtype)
            try:
                return self._cdf(value)
            except NotImplementedError as original:
                try:
                    return math_ops.exp(self._log_cdf(value))
                except NotImplementedError:
                    raise original from None

    def log_cdf(self, value, name="log_cdf"):
        """log P(X <= value), accurate far in the lower tail."""
        with self._name_scope(name, values=[value]):
            value = ops.convert_to_tensor(value, name="value", preferred_dtype=self.dtype)
            try:
                return self._log_cdf(value)
            except NotImplementedError as original:
                try:
                    return math_ops.log(self._cdf(value))
                except NotImplementedError:
                    raise original from None

    def survival_function(self, value, name="survival_function"):
        """P(X > value) = 1 - cdf(value)."""
        with self._name_scope(name, values=[value]):
            value = ops.convert_to_tensor(value, name="value", preferred_dtype=self.dtype)
            try:
                return self._survival_function(value)
            except NotImplementedError as original:
                try:
                    return 1.0 - self.cdf(value)
                except NotImplementedError:
                    raise original from None

    def log_survival_function(self, value, name="log_survival_function"):
        """log P(X > value)."""
        with self._name_scope(name, values=[value]):
            value = ops.convert_to_tensor(value, name="value", preferred_dtype=self.dtype)
            try:
                return self._log_survival_function(value)
            except NotImplementedError as original:
                try:
                    return math_ops.log1p(-self.cdf(value))
                except NotImplementedError:
                    raise original from None

    # ------------------------------------------------------------------------------------------- statistics
    def _statistic(self, method, name):
        with self._name_scope(name):
            return getattr(self, method)()

    def entropy(self, name="entropy"):
        """Shannon entropy in nats, batchwise."""
        return self._statistic("_entropy", name)

    def mean(self, name="mean"):
        return self._statistic("_mean", name)

    def mode(self, name="mode"):
        return self._statistic("_mode", name)

    def quantile(self, value, name="quantile"):
        with self._name_scope(name, values=[value]):
            value = ops.convert_to_tensor(value, name="value", preferred_dtype=self.dtype)
            return self._quantile(value)

    def variance(self, name="variance"):
        with self._name_scope(name):
            try:
                return self._variance()
            except NotImplementedError as original:
                try:
                    return math_ops.square(self._stddev())
                except NotImplementedError:
                    raise original from None

    def stddev(self, name="stddev"):
        with self._name_scope(name):
            try:
                return self._stddev()
            except NotImplementedError as original:
                try:
                    return math_ops.sqrt(self._variance())
                except NotImplementedError:
                    raise original from None

    def kl_divergence(self, other, name="kl_divergence"):
        """KL(self || other), batchwise."""
        from .kullback_leibler import kl_divergence
        with self._name_scope(name):
            return kl_divergence(self, other)

    def cross_entropy(self, other, name="cross_entropy"):
        """H[self, other] = entropy(self) + KL(self || other)."""
        with self._name_scope(name):
            with ops.name_scope("cross_entropy"):  # TF's kullback_leibler.cross_entropy opens its own scope
                return self.entropy() + self.kl_divergence(other)

    # ------------------------------------------------------------------------------------------- subclass hooks
    def _missing(self, what):
        raise NotImplementedError("%s is not implemented: %s" % (what, type(self).__name__))

    def _batch_shape(self):
        return TensorShape(None)

    def _event_shape(self):
        return TensorShape(None)

    def _sample_n(self, n, seed=None):
        self._missing("sample_n")

    def _log_prob(self, value):
        self._missing("log_prob")

    def _prob(self, value):
        self._missing("prob")

    def _cdf(self, value):
        self._missing("cdf")

    def _log_cdf(self, value):
        self._missing("log_cdf")

    def _survival_function(self, value):
        self._missing("survival_function")

    def _log_survival_function(self, value):
        self._missing("log_survival_function")

    def _entropy(self):
        self._missing("entropy")

    def _mean(self):
        self._missing("mean")

    def _mode(self):
        self._missing("mode")

    def _quantile(self, value):
        self._missing("quantile")

    def _variance(self):
        self._missing("variance")

    def _stddev(self):
        self._missing("stddev")

    @contextlib.contextmanager
    def _name_scope(self, name=None, values=None):
        """Ops under "<distribution's scope>/<name>/" (TF's layout: Normal/log_prob/...)."""
        with ops.name_scope(self.name):
            with ops.name_scope(name, values=([] if values is None else values) + self._graph_parents) as scope:
                yield scope

    def __str__(self):
        return ("tf.distributions.%s(\"%s\", batch_shape=%s, event_shape=%s, dtype=%s)"
                % (type(self).__name__, self.name[:-1], _shape_text(self.batch_shape),
                   _shape_text(self.event_shape), self.dtype.name))

    def __repr__(self):
        return ("<tf.distributions.%s '%s' batch_shape=%s event_shape=%s dtype=%s>"
                % (type(self).__name__, self.name[:-1], _shape_text(self.batch_shape),
                   _shape_text(self.event_shape), self.dtype.name))


def _shape_text(shape):
    if shape.ndims is None:
        return "<unknown>"
    dims = ["?" if d is None else str(d) for d in shape.as_list()]
    return "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"
