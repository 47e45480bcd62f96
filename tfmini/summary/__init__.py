"""tf.summary: summary ops and the FileWriter that writes them (and the graph) for TensorBoard.

The message classes (tf.summary.Summary, Event, SessionLog, ...) need protobuf
(pip install tfmini[tensorboard]); they are loaded on first use.
"""
from ..framework.api_hook import tf_module_getattr
from .summary import audio, histogram, image, merge, merge_all, scalar, tensor_summary, text  # noqa: F401
from .writer import FileWriter, FileWriterCache  # noqa: F401

_MESSAGES = ("Summary", "SummaryDescription", "SummaryMetadata", "Event", "SessionLog", "TaggedRunMetadata")


def _message_class(name):
    if name in _MESSAGES:
        from ..framework import messages
        return messages.get(name)
    return None


__getattr__ = tf_module_getattr("summary", __name__, _message_class)  # and a TensorFlow name tfmini lacks: say so
