"""Checkpoint file formats, read and written without TensorFlow: the protobuf wire format, TF's
table (SSTable) format, the V2 tensor bundle and the V1 slice files, and CRC32C; and the tf.io namespace
(tf.io.gfile)."""
import os as _os

from ..framework.api_hook import tf_module_getattr
from . import gfile  # noqa: F401 - tf.io.gfile


def _queue_api(name):
    # tf.io's names of the input-pipeline API (the ops import this package: bound on first use)
    if name in ("decode_csv", "decode_raw", "parse_example", "parse_single_example", "FixedLenFeature",
                "FixedLenSequenceFeature", "VarLenFeature"):
        from ..ops import parsing_ops
        return getattr(parsing_ops, name)
    if name in ("read_file", "matching_files"):
        from ..ops import io_ops
        return getattr(io_ops, name)
    if name in ("FIFOQueue", "PaddingFIFOQueue", "RandomShuffleQueue", "QueueBase"):
        from ..ops import data_flow_ops
        return getattr(data_flow_ops, name)
    if name in ("TFRecordWriter", "TFRecordOptions", "TFRecordCompressionType", "tf_record_iterator"):
        from . import tf_record
        return getattr(tf_record, name)
    if name == "match_filenames_once":
        from ..train.input import match_filenames_once
        return match_filenames_once
    return None


def _submodule(name):
    # `from ..io import proto` asks for the attribute before it imports the submodule: import it, so that the
    # miss never reads TF's name list
    if _os.path.exists(_os.path.join(_os.path.dirname(__file__), name + ".py")):
        import importlib
        return importlib.import_module("." + name, __name__)
    return None


# the input-pipeline names, the submodules, then a TensorFlow name tfmini lacks: say so
__getattr__ = tf_module_getattr("io", __name__, lambda name: _queue_api(name) or _submodule(name))
