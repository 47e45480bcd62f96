"""tf.losses: loss functions (losses_impl) and the loss collections (util); re-exports only."""
from .losses_impl import *  # noqa: F401,F403
from .util import *  # noqa: F401,F403
