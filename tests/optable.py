"""Op test tables: each row builds a small graph, runs it, and checks the result against

- the op's static shape and dtype (inference must agree with the kernel), and
- a numpy reference value, where the row gives one.

Every op family's test module defines `CASES = [Row(...), ...]` and `test_row = rows_test(CASES)`;
tests/test_registry.py fails when a registered op type has no row anywhere.
"""
import numpy as np
import pytest

import tfmini as tf


class Row:
    """One case: `build(tf)` returns a Tensor, or (Tensor, feed_dict); `expect` is the value numpy gives."""

    def __init__(self, op_type, build, expect=None, id=None, rtol=1e-6, atol=1e-6, dtype=None):
        self.op_type = op_type
        self.build = build
        self.expect = expect
        self.id = id or op_type
        self.rtol, self.atol = rtol, atol
        self.dtype = dtype

    def run(self):
        tf.reset_default_graph()
        built = self.build(tf)
        t, feeds = built if isinstance(built, tuple) else (built, None)
        types = {op.type for op in tf.get_default_graph().get_operations()}
        assert self.op_type in types, "row %s built no %s op (built: %s)" % (self.id, self.op_type, sorted(types))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = sess.run(t, feeds)
        got_arr = np.asarray(got)
        assert t.shape.is_compatible_with(got_arr.shape), \
            "%s: static shape %s but kernel gave %s" % (self.id, t.shape, got_arr.shape)
        want_dtype = t.dtype.base_dtype.as_numpy_dtype
        if t.dtype.base_dtype != tf.string:
            assert got_arr.dtype == want_dtype, "%s: dtype %s, inferred %s" % (self.id, got_arr.dtype, t.dtype)
        if self.expect is not None:
            want = self.expect(np) if callable(self.expect) else self.expect
            want = np.asarray(want)
            assert got_arr.shape == want.shape, "%s: shape %s, numpy gives %s" % (self.id, got_arr.shape, want.shape)
            if want.dtype.kind in "fc":
                np.testing.assert_allclose(got_arr, want, rtol=self.rtol, atol=self.atol, err_msg=self.id)
            else:
                np.testing.assert_array_equal(got_arr, want, err_msg=self.id)
            if self.dtype is not None:
                assert got_arr.dtype == np.dtype(self.dtype), "%s: dtype %s != %s" % (self.id, got_arr.dtype, self.dtype)
        return got


def rows_test(cases):
    ids = [c.id for c in cases]
    dup = {i for i in ids if ids.count(i) > 1}
    assert not dup, "duplicate row ids: %s" % sorted(dup)

    @pytest.mark.parametrize("row", cases, ids=ids)
    def test_row(row, backend):  # every row on every backend (conftest.BACKENDS)
        row.run()
    return test_row
