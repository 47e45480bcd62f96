"""tf.nn: neural-network ops (re-exports only)."""
from ..framework.api_hook import tf_module_getattr
from ..ops.nn_ops import *  # noqa: F401,F403
from ..ops.nn_impl import *  # noqa: F401,F403
from ..ops.embedding_ops import *  # noqa: F401,F403
from ..ops.candidate_sampling_ops import *  # noqa: F401,F403
from ..ops.math_ops import sigmoid, tanh  # noqa: F401
from ..ops.rnn import (bidirectional_dynamic_rnn, dynamic_rnn, raw_rnn, static_bidirectional_rnn,  # noqa: F401
                       static_rnn)
from . import rnn_cell  # noqa: F401

__getattr__ = tf_module_getattr("nn", __name__)  # a TensorFlow name tfmini lacks: say so
