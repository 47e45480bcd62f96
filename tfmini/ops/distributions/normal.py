"""Normal(loc, scale): the Gaussian, batched by broadcasting loc with scale; reparameterized sampling
(loc + scale * a standard normal draw), log_prob, cdf through ndtr, entropy and the Normal-Normal KL."""
import math

from ...framework import ops
from .. import array_ops, math_ops, random_ops
from ..check_ops import assert_positive
from ..shape_util import broadcast_shape
from . import special_math
from .distribution import FULLY_REPARAMETERIZED, Distribution
from .kullback_leibler import RegisterKL

__all__ = ["Normal"]


class Normal(Distribution):
    """The normal distribution with mean `loc` and standard deviation `scale` (float tensors that broadcast).

        dist = tf.distributions.Normal(loc=0., scale=[1., 2.])   # a batch of two, batch_shape (2,)
        dist.sample(3)                                            # shape [3, 2]
        dist.log_prob(1.5)                                        # shape [2]
    """

    def __init__(self, loc, scale, validate_args=False, allow_nan_stats=True, name="Normal"):
        parameters = dict(locals())
        with ops.name_scope(name, values=[loc, scale]) as name:
            with ops.control_dependencies([assert_positive(scale)] if validate_args else []):
                self._loc = array_ops.identity(loc, name="loc")
                self._scale = array_ops.identity(scale, name="scale")
            _assert_same_float_dtype(self._loc, self._scale)
        super(Normal, self).__init__(dtype=self._scale.dtype, reparameterization_type=FULLY_REPARAMETERIZED,
                                     validate_args=validate_args, allow_nan_stats=allow_nan_stats,
                                     parameters=parameters, graph_parents=[self._loc, self._scale], name=name)

    @property
    def loc(self):
        """The means."""
        return self._loc

    @property
    def scale(self):
        """The standard deviations."""
        return self._scale

    def _batch_shape_tensor(self):
        return array_ops.shape(self._loc + self._scale)

    def _batch_shape(self):
        return broadcast_shape(self._loc.shape, self._scale.shape)

    def _event_shape(self):
        return []

    def _sample_n(self, n, seed=None):
        shape = array_ops.concat([[n], self.batch_shape_tensor()], 0)
        sampled = random_ops.random_normal(shape=shape, mean=0., stddev=1., dtype=self._loc.dtype, seed=seed)
        return sampled * self._scale + self._loc

    def _log_prob(self, x):
        return -0.5 * math_ops.square(self._z(x)) - (0.5 * math.log(2. * math.pi) + math_ops.log(self._scale))

    def _cdf(self, x):
        return special_math.ndtr(self._z(x))

    def _log_cdf(self, x):
        return special_math.log_ndtr(self._z(x))

    def _survival_function(self, x):
        return special_math.ndtr(-self._z(x))

    def _log_survival_function(self, x):
        return special_math.log_ndtr(-self._z(x))

    def _entropy(self):
        scale = self._scale * array_ops.ones_like(self._loc)
        return 0.5 * math.log(2. * math.pi * math.e) + math_ops.log(scale)

    def _mean(self):
        return self._loc * array_ops.ones_like(self._scale)

    def _stddev(self):
        return self._scale * array_ops.ones_like(self._loc)

    def _mode(self):
        return self._mean()

    def _z(self, x):
        """(x - loc) / scale."""
        with ops.name_scope("standardize", values=[x]):
            return (x - self._loc) / self._scale


def _assert_same_float_dtype(loc, scale):
    """TF's check (check_ops.assert_same_float_dtype) that loc and scale are floats of one dtype, with its words,
    when the distribution is built: Normal(0, 1) has int32 parameters, Normal(float64 loc, 1.) mixed ones."""
    if loc.dtype.base_dtype != scale.dtype.base_dtype:
        raise ValueError("%s, type=%s, must be of the same type (%s) as %s." % (
            scale.name, scale.dtype.base_dtype, loc.dtype.base_dtype, loc.name))
    if not loc.dtype.is_floating:
        raise ValueError("Expected floating point type, got %s." % loc.dtype.base_dtype)


@RegisterKL(Normal, Normal)
def _kl_normal_normal(n_a, n_b, name=None):
    """KL(n_a || n_b) = (mu_a - mu_b)^2 / (2 s_b^2) + (s_a^2/s_b^2 - 1 - log(s_a^2/s_b^2)) / 2."""
    with ops.name_scope(name, "kl_normal_normal", [n_a.loc, n_b.loc]):
        s_a_squared = math_ops.square(n_a.scale)
        s_b_squared = math_ops.square(n_b.scale)
        ratio = s_a_squared / s_b_squared
        return (math_ops.squared_difference(n_a.loc, n_b.loc) / (2. * s_b_squared)
                + 0.5 * (ratio - 1. - math_ops.log(ratio)))
