"""tf.contrib: the parts of TF 1.x's contrib the lecture uses (layers initializers and regularizers,
framework variable helpers, and the start of slim)."""
from . import framework, layers, slim  # noqa: F401
