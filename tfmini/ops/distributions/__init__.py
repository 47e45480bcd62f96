"""TF 1.x's tf.distributions, built from ordinary graph ops (so sampling, densities and entropies differentiate
like any other graph): the Distribution base, Normal, Categorical and the KL registry."""
from .categorical import Categorical  # noqa: F401
from .distribution import (FULLY_REPARAMETERIZED, NOT_REPARAMETERIZED, Distribution,  # noqa: F401
                           ReparameterizationType)
from .kullback_leibler import RegisterKL, kl_divergence  # noqa: F401
from .normal import Normal  # noqa: F401
