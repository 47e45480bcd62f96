"""tf.contrib.tensorboard.plugins.projector: the embedding projector's config, as TF 1.x's word2vec tutorials write
it (the text below is what TensorBoard 2.21's own ProjectorConfig prints for the same fields)."""
import os

import numpy as np
import pytest

import tfmini as tf
from tfmini.contrib.tensorboard.plugins import projector

pytest.importorskip("google.protobuf", reason="the projector's messages need protobuf (pip install tfmini[test])")

TENSORBOARDS_TEXT = '''embeddings {
  tensor_name: "embed:0"
  metadata_path: "metadata.tsv"
  sprite {
    image_path: "sprite.png"
    single_image_dim: 28
    single_image_dim: 28
  }
}
'''


def test_visualize_embeddings_writes_tensorboards_projector_config(tmp_path):
    embed = tf.Variable(np.ones([5, 3], np.float32), name="embed")
    writer = tf.summary.FileWriter(str(tmp_path / "log"))
    config = projector.ProjectorConfig()
    embedding = config.embeddings.add()
    embedding.tensor_name = embed.name
    embedding.metadata_path = "metadata.tsv"
    embedding.sprite.image_path = "sprite.png"
    embedding.sprite.single_image_dim.extend([28, 28])
    projector.visualize_embeddings(writer, config)
    writer.close()
    path = tmp_path / "log" / projector.PROJECTOR_FILENAME
    assert path.read_text() == TENSORBOARDS_TEXT
    assert [p for p in os.listdir(tmp_path / "log") if ".tmp" in p] == []  # written through a rename
    assert tf.contrib.tensorboard.plugins.projector.ProjectorConfig is projector.ProjectorConfig


def test_visualize_embeddings_wants_a_projector_config(tmp_path):
    writer = tf.summary.FileWriter(str(tmp_path))
    with pytest.raises(TypeError, match="config must be a projector.ProjectorConfig, got dict"):
        projector.visualize_embeddings(writer, {"embeddings": []})
    writer.close()
