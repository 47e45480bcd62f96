"""tf.summary: summary ops and the FileWriter that writes them (and the graph) for TensorBoard.

The message classes (tf.summary.Summary, Event, SessionLog, ...) need protobuf
(pip install tfmini[tensorboard]); they are loaded on first use.
"""
from .summary import audio, histogram, image, merge, merge_all, scalar, tensor_summary, text  # noqa: F401
from .writer import FileWriter, FileWriterCache  # noqa: F401

_MESSAGES = ("Summary", "SummaryDescription", "SummaryMetadata", "Event", "SessionLog", "TaggedRunMetadata")


def __getattr__(name):
    if name in _MESSAGES:
        from ..framework import messages
        return messages.get(name)
    if name.startswith("__"):  # the import system's questions (__path__): not TF's names
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    from ..framework.tf_api_names import missing_attribute
    raise missing_attribute("summary", name)
