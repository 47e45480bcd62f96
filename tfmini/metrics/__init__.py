"""tf.metrics: streaming evaluation metrics, each a (value, update_op) pair over local variables."""
from .metrics_impl import *  # noqa: F401,F403


def __getattr__(name):
    if name.startswith("__"):  # the import system's questions (__path__): not TF's names
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    from ..framework.tf_api_names import missing_attribute  # a TensorFlow name tfmini lacks: say so
    raise missing_attribute("metrics", name)
