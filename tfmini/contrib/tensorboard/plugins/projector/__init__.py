"""TensorBoard's embedding projector, as TF 1.x tutorials set it up (word2vec):

    config = projector.ProjectorConfig()
    embedding = config.embeddings.add()
    embedding.tensor_name = embeddings.name          # a variable saved in the log directory's checkpoints
    embedding.metadata_path = "metadata.tsv"         # one label a row
    projector.visualize_embeddings(writer, config)   # writes <logdir>/projector_config.pbtxt

ProjectorConfig, EmbeddingInfo and SpriteMetadata are protobuf messages (they need the `protobuf` package:
pip install tfmini[tensorboard]); TensorBoard's projector tab reads the file and the checkpoints beside it.
"""
import os

from .....framework import messages
from .....framework.graph_io import atomic_write

__all__ = ["ProjectorConfig", "EmbeddingInfo", "SpriteMetadata", "visualize_embeddings", "PROJECTOR_FILENAME"]

PROJECTOR_FILENAME = "projector_config.pbtxt"  # what TensorBoard's projector plugin looks for


def __getattr__(name):  # the message classes, built at first use (import tfmini never loads protobuf)
    if name in ("ProjectorConfig", "EmbeddingInfo", "SpriteMetadata"):
        return messages.get(name)
    raise AttributeError("module %r has no attribute %r" % (__name__, name))


def visualize_embeddings(summary_writer, config):
    """Write `config` (a ProjectorConfig) in text format to `projector_config.pbtxt` in the log directory of
    `summary_writer` (a tf.summary.FileWriter), for TensorBoard's projector; the embeddings themselves come from
    the checkpoints saved there (tf.train.Saver), found by their `tensor_name`."""
    logdir = summary_writer.get_logdir()
    if logdir is None:
        raise ValueError("Summary writer must have a logdir")
    if not messages.is_message(config, "ProjectorConfig"):
        raise TypeError("config must be a projector.ProjectorConfig, got %s" % type(config).__name__)
    os.makedirs(logdir, exist_ok=True)
    atomic_write(os.path.join(logdir, PROJECTOR_FILENAME), messages.text_format(config).encode("utf-8"))
