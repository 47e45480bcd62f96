"""slim.variables: creating, finding and restoring variables (tf.contrib.framework's helpers)."""
from ..framework.variables import *  # noqa: F401,F403
from ..framework.variables import __all__  # noqa: F401
