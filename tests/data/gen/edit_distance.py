"""Writes tests/data/tf_edit_distance.json: what TF 2.21 (tf.compat.v1, graph mode) gives for tf.edit_distance
on the cases below (the TF 1.x cookbook's words, TF's docstring example, groups present on one side only, int
values, SparseTensorValues and fed sparse placeholders): each result's name, static shape and value.
Run with /tmp/tfvenv/bin/python; tests/test_sparse_ops.py builds the same graphs with tfmini (`build` below)."""
import json
import pathlib

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


def _word_sparse(tf, words):
    """The cookbook's character SparseTensor: word i's letters at [i, 0, j]."""
    indices = [[i, 0, j] for i, w in enumerate(words) for j, _ in enumerate(w)]
    return tf.SparseTensor(indices, list("".join(words)), [len(words), 1, 1])


# (id, python source of (hypothesis, truth, kwargs), feeds or None): sources are evaluated with `tf`, `np` and
# `words` (_word_sparse) in scope; a case with feeds has sparse placeholders `p`, `q` fed with those values
CASES = [
    ("bear_beers", "words(tf, ['bear']), words(tf, ['beers']), {'normalize': False}", None),
    ("bear_beers_normalized", "words(tf, ['bear']), words(tf, ['beers']), {}", None),
    ("four_words", "words(tf, ['bear', 'bar', 'tensor', 'flow']), words(tf, ['beers'] * 4), {}", None),
    ("two_sequences_per_row",
     "tf.SparseTensor([[0, 0, 0], [0, 0, 1], [0, 0, 2], [0, 0, 3], [0, 1, 0], [0, 1, 1], [0, 1, 2], [0, 1, 3]], "
     "list('bearbeer'), [1, 2, 4]), tf.SparseTensor([[0, 0, 0], [0, 0, 1], [0, 0, 2], [0, 0, 3], [0, 0, 4], "
     "[0, 1, 0], [0, 1, 1], [0, 1, 2], [0, 1, 3], [0, 1, 4]], list('beersbeers'), [1, 2, 5]), {'normalize': True}",
     None),
    ("docstring", "tf.SparseTensor([[0, 0, 0], [1, 0, 0]], ['a', 'b'], (2, 1, 1)), tf.SparseTensor([[0, 1, 0], "
                  "[1, 0, 0], [1, 0, 1], [1, 1, 0]], ['a', 'b', 'c', 'a'], (2, 2, 2)), {}", None),
    ("docstring_counts", "tf.SparseTensor([[0, 0, 0], [1, 0, 0]], ['a', 'b'], (2, 1, 1)), tf.SparseTensor([[0, 1, 0], "
                         "[1, 0, 0], [1, 0, 1], [1, 1, 0]], ['a', 'b', 'c', 'a'], (2, 2, 2)), {'normalize': False}",
     None),
    ("int_one_sided_groups", "tf.SparseTensor([[0, 0], [0, 1], [2, 0]], [1, 2, 3], [3, 2]), "
                             "tf.SparseTensor([[0, 0], [1, 0]], [1, 5], [2, 3]), {}", None),
    ("int_one_sided_counts", "tf.SparseTensor([[0, 0], [0, 1], [2, 0]], [1, 2, 3], [3, 2]), "
                             "tf.SparseTensor([[0, 0], [1, 0]], [1, 5], [2, 3]), {'normalize': False}", None),
    ("float_values_named", "tf.SparseTensor([[0, 0], [0, 1], [0, 2]], [1.5, 2.5, 3.5], [1, 3]), "
                           "tf.SparseTensor([[0, 0], [0, 1]], [2.5, 3.5], [1, 2]), {'name': 'dist'}", None),
    ("sparse_tensor_values", "tf.SparseTensorValue([[0, 0], [1, 0]], [1, 2], [2, 1]), "
                             "tf.SparseTensorValue([[0, 0], [0, 1]], [2, 2], [1, 2]), {}", None),
    ("fed", "p, q, {}", ([[[0, 0], [0, 1], [1, 0]], [7, 8, 9], [2, 2]], [[[0, 0], [1, 0], [1, 1]], [7, 9, 9], [2, 2]])),
]


def build(tf, source, feeds):
    """(result, feed_dict) of one case."""
    scope = {"tf": tf, "np": np, "words": _word_sparse}
    feed_dict = None
    if feeds is not None:
        scope["p"], scope["q"] = tf.sparse_placeholder(tf.int32), tf.sparse_placeholder(tf.int32)
        feed_dict = {scope["p"]: tf.SparseTensorValue(*feeds[0]), scope["q"]: tf.SparseTensorValue(*feeds[1])}
    hypothesis, truth, kwargs = eval(source, scope)  # noqa: S307 - the table above
    return tf.edit_distance(hypothesis, truth, **kwargs), feed_dict


if __name__ == "__main__":
    out = {}
    for case_id, source, feeds in CASES:
        tf.reset_default_graph()
        result, feed_dict = build(tf, source, feeds)
        with tf.Session() as sess:
            value = sess.run(result, feed_dict)
        out[case_id] = {"name": result.name, "shape": None if result.shape.ndims is None else result.shape.as_list(),
                        "dtype": result.dtype.name, "value": np.asarray(value).tolist()}
    path = pathlib.Path(__file__).resolve().parents[1] / "tf_edit_distance.json"
    path.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print("wrote", path, path.stat().st_size, "bytes")
