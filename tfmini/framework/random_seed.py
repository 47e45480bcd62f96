"""Graph-level and op-level random seeds (tf.set_random_seed), with TF's rules for combining them."""
from .ops import get_default_graph

__all__ = ["set_random_seed", "get_seed", "DEFAULT_GRAPH_SEED"]

DEFAULT_GRAPH_SEED = 87654321
_MAXINT32 = 2 ** 31 - 1


def set_random_seed(seed):
    """Make random ops in the default graph repeatable: the same values in every new session."""
    get_default_graph().seed = seed


def get_seed(op_seed):
    """The (seed, seed2) pair a random op uses, as TF derives it.

    graph seed set: (graph seed, op seed or a per-op counter); only op seed: (DEFAULT_GRAPH_SEED, op seed);
    neither: (None, None), i.e. different values in every session.
    """
    g = get_default_graph()
    global_seed = g.seed
    if global_seed is not None:
        if op_seed is None:
            op_seed = g._last_id  # TF1: the id of the last op created, so each op gets its own sequence
        seeds = (_truncate_seed(global_seed), _truncate_seed(op_seed))
    elif op_seed is not None:
        seeds = (DEFAULT_GRAPH_SEED, _truncate_seed(op_seed))
    else:
        seeds = (None, None)
    # (0, 0) would mean "non-deterministic" to the kernels, unlike what the user asked for
    if seeds == (0, 0):
        return (0, _MAXINT32)
    return seeds


def _truncate_seed(seed):
    return int(seed) % _MAXINT32  # fit into a 32-bit integer, as TF does
