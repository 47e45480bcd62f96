"""Checkpoint file formats, read and written without TensorFlow: the protobuf wire format, TF's
table (SSTable) format, the V2 tensor bundle and the V1 slice files, and CRC32C."""
