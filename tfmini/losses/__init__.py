"""tf.losses: loss functions (losses_impl) and the loss collections (util); re-exports only."""
from .losses_impl import *  # noqa: F401,F403
from .util import *  # noqa: F401,F403


def __getattr__(name):
    if name.startswith("__"):  # the import system's questions (__path__): not TF's names
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    from ..framework.tf_api_names import missing_attribute  # a TensorFlow name tfmini lacks: say so
    raise missing_attribute("losses", name)
