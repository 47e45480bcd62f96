"""tf.contrib.rnn's stacked bidirectional RNNs: layers of bidirectional RNNs, each layer's forward and backward
outputs concatenated as the next layer's input (Graves et al. 2013), with TF 1.x contrib's scopes and errors."""
from ...ops import array_ops, rnn
from ...variable_scope import variable_scope

__all__ = ["stack_bidirectional_rnn", "stack_bidirectional_dynamic_rnn"]


def _check_layers(cells_fw, cells_bw, initial_states_fw, initial_states_bw):
    if not cells_fw:
        raise ValueError("Must specify at least one fw cell for BidirectionalRNN.")
    if not cells_bw:
        raise ValueError("Must specify at least one bw cell for BidirectionalRNN.")
    if not isinstance(cells_fw, list):
        raise ValueError("cells_fw must be a list of RNNCells (one per layer).")
    if not isinstance(cells_bw, list):
        raise ValueError("cells_bw must be a list of RNNCells (one per layer).")
    if len(cells_fw) != len(cells_bw):
        raise ValueError("Forward and Backward cells must have the same depth.")
    for states, cells, what in [(initial_states_fw, cells_fw, "fw"), (initial_states_bw, cells_bw, "bw")]:
        if states is not None and (not isinstance(states, list) or len(states) != len(cells)):
            raise ValueError("initial_states_%s must be a list of state tensors (one per layer)." % what)


def _layer_state(states, i):
    return states[i] if states else None


def stack_bidirectional_rnn(cells_fw, cells_bw, inputs, initial_states_fw=None, initial_states_bw=None, dtype=None,
                            sequence_length=None, scope=None):
    """Layers of tf.nn.static_bidirectional_rnn over the list `inputs` (one [batch, depth] tensor per step): (the
    last layer's outputs, a list of [batch, fw + bw size], the tuple of each layer's forward final state, the tuple
    of the backward ones). `cells_fw` and `cells_bw`: lists of cells, one per layer; layer i's variables under
    `stack_bidirectional_rnn/cell_i/fw/...` and `.../bw/...`."""
    _check_layers(cells_fw, cells_bw, initial_states_fw, initial_states_bw)
    states_fw, states_bw = [], []
    prev_layer = inputs
    with variable_scope(scope or "stack_bidirectional_rnn"):
        for i, (cell_fw, cell_bw) in enumerate(zip(cells_fw, cells_bw)):
            with variable_scope("cell_%d" % i) as cell_scope:
                prev_layer, state_fw, state_bw = rnn.static_bidirectional_rnn(
                    cell_fw, cell_bw, prev_layer, initial_state_fw=_layer_state(initial_states_fw, i),
                    initial_state_bw=_layer_state(initial_states_bw, i), sequence_length=sequence_length,
                    dtype=dtype, scope=cell_scope)
            states_fw.append(state_fw)
            states_bw.append(state_bw)
    return prev_layer, tuple(states_fw), tuple(states_bw)


def stack_bidirectional_dynamic_rnn(cells_fw, cells_bw, inputs, initial_states_fw=None, initial_states_bw=None,
                                    dtype=None, sequence_length=None, parallel_iterations=None, time_major=False,
                                    scope=None, swap_memory=False):
    """Layers of tf.nn.bidirectional_dynamic_rnn, each layer's two outputs concatenated (tf.concat(outputs, 2)) as
    the next one's input: (the last layer's outputs [batch, time, fw + bw size], the tuple of each layer's forward
    final state, the tuple of the backward ones). Layer i's variables under
    `stack_bidirectional_rnn/cell_i/bidirectional_rnn/fw/...` and `.../bw/...`.

    >>> cells_fw = [tf.nn.rnn_cell.GRUCell(32) for _ in range(2)]
    >>> cells_bw = [tf.nn.rnn_cell.GRUCell(32) for _ in range(2)]
    >>> outputs, states_fw, states_bw = tf.contrib.rnn.stack_bidirectional_dynamic_rnn(cells_fw, cells_bw, x,
    ...                                                                                 dtype=tf.float32)
    """
    _check_layers(cells_fw, cells_bw, initial_states_fw, initial_states_bw)
    states_fw, states_bw = [], []
    prev_layer = inputs
    with variable_scope(scope or "stack_bidirectional_rnn"):
        for i, (cell_fw, cell_bw) in enumerate(zip(cells_fw, cells_bw)):
            with variable_scope("cell_%d" % i):
                outputs, (state_fw, state_bw) = rnn.bidirectional_dynamic_rnn(
                    cell_fw, cell_bw, prev_layer, initial_state_fw=_layer_state(initial_states_fw, i),
                    initial_state_bw=_layer_state(initial_states_bw, i), sequence_length=sequence_length,
                    parallel_iterations=parallel_iterations, dtype=dtype, swap_memory=swap_memory,
                    time_major=time_major)
                prev_layer = array_ops.concat(outputs, 2)
            states_fw.append(state_fw)
            states_bw.append(state_bw)
    return prev_layer, tuple(states_fw), tuple(states_bw)
