"""tf.nn: neural-network ops (re-exports only)."""
from ..ops.nn_ops import *  # noqa: F401,F403
from ..ops.nn_impl import *  # noqa: F401,F403
from ..ops.embedding_ops import *  # noqa: F401,F403
from ..ops.math_ops import sigmoid, tanh  # noqa: F401


def __getattr__(name):
    if name.startswith("__"):  # the import system's questions (__path__): not TF's names
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    from ..framework.tf_api_names import missing_attribute  # a TensorFlow name tfmini lacks: say so
    raise missing_attribute("nn", name)
