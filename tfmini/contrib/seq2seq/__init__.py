"""tf.contrib.seq2seq: the weighted sequence loss of TF 1.x's contrib (re-exports only)."""
from .loss import sequence_loss  # noqa: F401
