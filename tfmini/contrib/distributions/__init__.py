"""tf.contrib.distributions: TF 1.x's contrib re-exports of tf.distributions' Normal and Categorical (and the
Distribution base and kl_divergence); re-exports only."""
from ...framework.api_hook import tf_module_getattr
from ...ops.distributions import (FULLY_REPARAMETERIZED, NOT_REPARAMETERIZED, Categorical,  # noqa: F401
                                  Distribution, Normal, RegisterKL, ReparameterizationType, kl_divergence)

__getattr__ = tf_module_getattr("contrib.distributions", __name__)
