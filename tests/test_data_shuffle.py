"""Dataset.shuffle gives TensorFlow's order: the case texts of tests/data/gen/data_shuffle.py run on tfmini, their
element orders compared exactly with what TensorFlow 2.21 (tf.compat.v1) gave (tests/data/tf_data_shuffle.json)."""
import json
import pathlib

import pytest

import tfmini as tf
from conftest import load_generator

GEN = load_generator("data_shuffle")
GOLDEN = json.loads((pathlib.Path(__file__).parent / "data" / "tf_data_shuffle.json").read_text())


def test_every_case_has_a_golden():
    assert sorted(GOLDEN) == sorted(list(GEN.CASES) + list(GEN.GRAPH_SEED_CASES))


@pytest.mark.parametrize("name", sorted(GEN.CASES))
def test_shuffle_order_is_tensorflows(name):
    assert GEN.run_case(tf, GEN.CASES[name]) == GOLDEN[name]


@pytest.mark.parametrize("name", sorted(GEN.GRAPH_SEED_CASES))
def test_graph_seed_only_takes_tf1s_op_seed(name):
    """Only a graph seed: the op seed is TF 1.x's (the graph's last op id when the shuffle is made), and the order
    is what TensorFlow gives for it ("tf1"; TF 2.x counts seeds instead and gives "tf2")."""
    assert GEN.run_case(tf, GEN.GRAPH_SEED_CASES[name]) == GOLDEN[name]["tf1"]


def test_unseeded_shuffle_is_a_new_permutation_each_start():
    tf.reset_default_graph()
    it = tf.data.Dataset.range(50).shuffle(20).repeat(2).make_initializable_iterator()
    nxt = it.get_next()
    orders = []
    with tf.Session() as sess:
        for _ in range(2):
            sess.run(it.initializer)
            order = GEN.drain(sess, nxt)
            assert sorted(order[:50]) == list(range(50)) == sorted(order[50:])
            assert order[:50] != order[50:]  # reshuffled in the second epoch
            orders.append(order)
    assert orders[0] != orders[1]
