"""tf.metrics: streaming evaluation metrics, each a (value, update_op) pair over local variables."""
from .metrics_impl import *  # noqa: F401,F403
