"""Gradient rows: each checks an op's symbolic gradient (tf.gradients) against central finite
differences in float64.

    GradRow("MatMul", lambda tf, a, b: tf.matmul(a, b), [(2, 3), (3, 4)])

`build(tf, *xs)` receives float64 placeholders of the given shapes (or `None` dims as placeholders
of unknown size, fed with the concrete `shapes`) and returns the op's output. The check compares
d(sum(w * y))/dx for a random weight w with (f(x + h) - f(x - h)) / 2h, element by element.
Every test module may define `GRAD_CASES`; tests/test_registry.py fails when an op with a gradient
rule has no GradRow.
"""
import numpy as np
import pytest

import tfmini as tf


class GradRow:
    def __init__(self, op_type, build, shapes, id=None, positive=False, low=-1.0, high=1.0, inputs=None,
                 unknown_dims=False, rtol=1e-5, atol=1e-6, wrt=None, delta=1e-6, variables=False):
        self.op_type = op_type
        self.build = build
        self.shapes = shapes
        self.id = id or op_type
        self.low, self.high = (0.5, 2.0) if positive else (low, high)
        self.inputs = inputs          # explicit input arrays instead of random ones
        self.unknown_dims = unknown_dims
        self.rtol, self.atol = rtol, atol
        self.wrt = wrt                # indices of the inputs to differentiate (default: all)
        self.delta = delta            # finite-difference step
        self.variables = variables    # inputs are variables (their references, loaded), not placeholders

    def run(self):
        tf.reset_default_graph()
        rng = np.random.RandomState(1234)
        values = self.inputs or [rng.uniform(self.low, self.high, size=s) for s in self.shapes]
        values = [np.asarray(v, dtype=np.float64) for v in values]
        if self.variables:
            variables = [tf.Variable(np.zeros_like(v), name="var") for v in values]
            xs = [v._ref() for v in variables]
        else:
            xs = [tf.placeholder(tf.float64, [None] * v.ndim if self.unknown_dims else v.shape) for v in values]
        y = self.build(tf, *xs)
        types = {op.type for op in tf.get_default_graph().get_operations()}
        assert self.op_type in types, "row %s built no %s op (built: %s)" % (self.id, self.op_type, sorted(types))
        with tf.Session() as sess:
            def run(fetches, vals):
                if not self.variables:
                    return sess.run(fetches, dict(zip(xs, vals)))
                for var, val in zip(variables, vals):  # a variable read through a reference is loaded, not fed
                    var.load(val, sess)
                return sess.run(fetches)

            y_val = run(y, values)
            w = rng.uniform(0.5, 1.5, size=np.shape(y_val))
            loss = tf.reduce_sum(y * tf.constant(w))
            wrt = self.wrt if self.wrt is not None else range(len(xs))
            grads = tf.gradients(loss, [xs[i] for i in wrt])
            assert all(g is not None for g in grads), "%s: a gradient is None" % self.id
            symbolic = [_dense(g) for g in run(grads, values)]
            for k, i in enumerate(wrt):
                assert symbolic[k].shape == values[i].shape, \
                    "%s: gradient shape %s for input shape %s" % (self.id, symbolic[k].shape, values[i].shape)
                numeric = np.zeros_like(values[i])
                h = self.delta
                for idx in np.ndindex(values[i].shape):
                    plus = [v.copy() for v in values]
                    minus = [v.copy() for v in values]
                    plus[i][idx] += h
                    minus[i][idx] -= h
                    fp = float(np.sum(w * run(y, plus)))
                    fm = float(np.sum(w * run(y, minus)))
                    numeric[idx] = (fp - fm) / (2 * h)
                np.testing.assert_allclose(symbolic[k], numeric, rtol=self.rtol, atol=self.atol,
                                           err_msg="%s: d/d input %d" % (self.id, i))


def grad_rows_test(cases):
    ids = [c.id for c in cases]
    dup = {i for i in ids if ids.count(i) > 1}
    assert not dup, "duplicate grad row ids: %s" % sorted(dup)

    @pytest.mark.parametrize("row", cases, ids=ids)
    def test_grad_row(row, backend):  # every row on every backend (conftest.BACKENDS)
        row.run()
    return test_grad_row


def _dense(value):
    """A fetched gradient as a dense array: an IndexedSlicesValue (tf.gather's sparse gradient) summed into its
    dense shape, as TF's gradient_checker does."""
    if not isinstance(value, tf.IndexedSlicesValue):
        return value
    out = np.zeros(value.dense_shape, value.values.dtype)
    np.add.at(out, value.indices, value.values)
    return out
