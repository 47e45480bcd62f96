"""Checkpoint file formats, read and written without TensorFlow: the protobuf wire format, TF's
table (SSTable) format, the V2 tensor bundle and the V1 slice files, and CRC32C; and the tf.io namespace
(tf.io.gfile)."""
import os as _os

from ..framework.api_hook import tf_module_getattr
from . import gfile  # noqa: F401 - tf.io.gfile


def _submodule(name):
    # `from ..io import proto` asks for the attribute before it imports the submodule: import it, so that the
    # miss never reads TF's name list
    if _os.path.exists(_os.path.join(_os.path.dirname(__file__), name + ".py")):
        import importlib
        return importlib.import_module("." + name, __name__)
    return None


__getattr__ = tf_module_getattr("io", __name__, _submodule)  # a TensorFlow name tfmini lacks: say so
