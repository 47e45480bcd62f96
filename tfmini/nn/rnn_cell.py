"""tf.nn.rnn_cell: TF 1.x's RNN cells (re-exports only)."""
from ..ops.rnn_cell_impl import (BasicLSTMCell, BasicRNNCell, DeviceWrapper, DropoutWrapper, GRUCell,  # noqa: F401
                                 LayerRNNCell, LSTMCell, LSTMStateTuple, MultiRNNCell, ResidualWrapper, RNNCell)
from ..framework.api_hook import tf_module_getattr

__getattr__ = tf_module_getattr("nn.rnn_cell", __name__)  # a TensorFlow name tfmini lacks: say so
