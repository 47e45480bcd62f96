"""tf.gfile (tf.compat.v1.gfile): TensorFlow 1.x's CamelCase names for tf.io.gfile's local file functions."""
from ..framework.api_hook import tf_module_getattr
from ..io import gfile as _io_gfile
from ..io.gfile import GFile

__all__ = ["GFile", "Open", "FastGFile", "Exists", "IsDirectory", "MkDir", "MakeDirs", "Glob", "ListDirectory",
           "Remove", "Rename", "Copy", "DeleteRecursively", "Stat", "Walk"]

Open = GFile


class FastGFile(GFile):
    """A GFile (TF 1.x's "without thread locking" variant, deprecated there for tf.gfile.GFile)."""

    def __init__(self, name, mode="r"):
        super().__init__(name, mode)


Exists = _io_gfile.exists
IsDirectory = _io_gfile.isdir
MkDir = _io_gfile.mkdir
MakeDirs = _io_gfile.makedirs
Glob = _io_gfile.glob
ListDirectory = _io_gfile.listdir
Remove = _io_gfile.remove
Rename = _io_gfile.rename
Copy = _io_gfile.copy
DeleteRecursively = _io_gfile.rmtree
Stat = _io_gfile.stat


def Walk(top, in_order=True):  # noqa: N802 - TF's name
    """tf.io.gfile.walk with TF 1.x's argument name: parents before children when `in_order`."""
    return _io_gfile.walk(top, topdown=in_order)


__getattr__ = tf_module_getattr("gfile", __name__)  # a TensorFlow name tfmini lacks: say so
