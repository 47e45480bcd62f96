"""Writes tests/data/tf_sparse_ops.json: what TF 2.21 (tf.compat.v1, graph mode) gives for
tf.nn.embedding_lookup_sparse (each combiner, with and without weights), tf.sparse_reduce_sum and
tf.sparse_tensor_dense_matmul on small fixed inputs: result names, static shapes, values and gradients.
Run with /tmp/tfvenv/bin/python; tests/test_sparse_ops.py builds the same graph with tfmini (build below)."""
import json
import pathlib

import numpy as np

PARAMS = np.arange(15.0, dtype=np.float32).reshape(5, 3)
IDS_INDICES = [[0, 0], [0, 1], [1, 0], [2, 0], [2, 1], [2, 2]]
IDS_VALUES = [1, 3, 0, 4, 4, 2]
WEIGHTS = [1.0, 2.0, 0.5, 1.0, 3.0, 2.0]
ST_INDICES, ST_VALUES, ST_SHAPE = [[0, 0], [1, 2], [1, 3]], [1.0, 2.0, 4.0], [2, 4]
B = np.arange(8.0, dtype=np.float32).reshape(4, 2)


def build(tf):
    """The graph both libraries build: (named results, gradients)."""
    params = tf.constant(PARAMS)
    ids = tf.SparseTensor(IDS_INDICES, tf.constant(IDS_VALUES, tf.int64), [3, 3])
    w = tf.SparseTensor(ids.indices, tf.constant(WEIGHTS), ids.dense_shape)
    outs = []
    for comb in ["sum", "mean", "sqrtn"]:
        outs.append(tf.nn.embedding_lookup_sparse(params, ids, None, combiner=comb))
        outs.append(tf.nn.embedding_lookup_sparse(params, ids, w, combiner=comb))
    st = tf.SparseTensor(ST_INDICES, ST_VALUES, ST_SHAPE)
    outs += [tf.sparse_reduce_sum(st), tf.sparse_reduce_sum(st, 1), tf.sparse.reduce_sum(st, -1, keepdims=True),
             tf.sparse_reduce_sum(st, [0, 1])]
    outs.append(tf.sparse_tensor_dense_matmul(st, tf.constant(B)))
    outs.append(tf.sparse_tensor_dense_matmul(st, tf.constant(B.T.copy()), adjoint_b=True))
    loss = tf.add_n([tf.reduce_sum(o * (i + 1)) for i, o in enumerate(outs)])
    grads = [tf.convert_to_tensor(g) for g in tf.gradients(loss, [params, w.values, st.values])]
    return outs, grads


if __name__ == "__main__":
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    outs, grads = build(tf)
    with tf.Session() as sess:
        vals = sess.run(outs + grads)
    data = {"names": [o.name for o in outs], "shapes": [o.shape.as_list() if o.shape.ndims is not None else None
                                                        for o in outs],
            "values": [np.asarray(v).tolist() for v in vals[:len(outs)]],
            "grads": [np.asarray(v).tolist() for v in vals[len(outs):]]}
    path = pathlib.Path(__file__).resolve().parents[1] / "tf_sparse_ops.json"
    path.write_text(json.dumps(data))
    print("wrote", path, path.stat().st_size, "bytes")
