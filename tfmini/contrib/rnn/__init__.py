"""tf.contrib.rnn: TF 1.x's RNN cells and static_rnn under their contrib names (re-exports only)."""
from ...ops.rnn import static_rnn  # noqa: F401
from ...ops.rnn_cell_impl import (BasicLSTMCell, BasicRNNCell, DropoutWrapper, GRUCell,  # noqa: F401
                                  LayerRNNCell, LSTMCell, LSTMStateTuple, MultiRNNCell, RNNCell)
