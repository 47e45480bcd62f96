"""tf.contrib.rnn: TF 1.x's RNN cells, static_rnn and the bidirectional RNNs under their contrib names, and the
stacked bidirectional RNNs (re-exports only)."""
from ...ops.rnn import static_bidirectional_rnn, static_rnn  # noqa: F401
from ...ops.rnn_cell_impl import (BasicLSTMCell, BasicRNNCell, DeviceWrapper, DropoutWrapper, GRUCell,  # noqa: F401
                                  LayerRNNCell, LSTMCell, LSTMStateTuple, MultiRNNCell, ResidualWrapper, RNNCell)
from .rnn import stack_bidirectional_dynamic_rnn, stack_bidirectional_rnn  # noqa: F401
from ...framework.api_hook import tf_module_getattr  # noqa: E402

__getattr__ = tf_module_getattr("contrib.rnn", __name__)  # TF 1.15's other cells (LSTMBlockCell, ...): say so
