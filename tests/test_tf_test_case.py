"""tf.test.TestCase, as the tests of TF 1.x models and tutorials (tensorflow/models' cifar10_input_test.py,
ptb/reader_test.py) use it: run here through unittest, as tf.test.main() would."""
import os
import unittest

import numpy as np
import pytest

import tfmini as tf


class _Example(tf.test.TestCase):
    __test__ = False  # run by unittest in the test below, as tf.test.main() would

    def testSessionsEvaluateAndAssertions(self):  # noqa: N802 - TF's style
        x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
        with self.cached_session() as sess:
            assert tf.get_default_session() is sess
            self.assertAllClose(tf.square(x).eval(), [[1, 4], [9, 16]])
            self.assertAllEqual(self.evaluate({"a": x, "b": [x, x]}), {"a": x.eval(), "b": [x.eval(), x.eval()]})
        with self.test_session() as again:
            assert again is sess  # the same cached session for the whole test
        with self.session() as other:
            assert other is not sess
        self.assertShapeEqual(np.zeros((2, 2)), x)
        self.assertAllInRange([1, 2, 3], 1, 3)
        self.assertNear(1.0, 1.05, 0.1)
        self.assertArrayNear([1.0, 2.0], [1.0, 2.01], 0.1)
        self.assertNotAllClose([1.0], [2.0])
        self.assertTrue(os.path.isdir(self.get_temp_dir()))
        with self.assertRaisesOpError("Integer division by zero"):
            with self.session():
                tf.floordiv(1, 0).eval()

    def testAFreshGraphAndSeedsForEachTest(self):  # noqa: N802
        assert tf.get_default_graph().get_operations() == []
        assert tf.get_default_graph().seed == 87654321

    def testFailuresSayWhere(self):  # noqa: N802
        with pytest.raises(AssertionError, match=r"at \['w'\]"):
            self.assertAllClose({"w": [1.0, 2.0]}, {"w": [1.0, 2.5]})
        with pytest.raises(AssertionError, match="shape mismatch"):
            self.assertAllEqual([1, 2], [[1, 2]])


def test_tf_test_case_runs_under_unittest():
    result = unittest.TextTestRunner(stream=open(os.devnull, "w")).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(_Example))
    assert result.testsRun == 3 and result.wasSuccessful(), result.failures + result.errors


def test_device_helpers():
    from tfmini.runtime import device
    with device.use_backend("numpy"):
        assert not tf.test.is_gpu_available() and tf.test.gpu_device_name() == ""
    with device.use_backend("fake"):
        assert tf.test.is_gpu_available() and not tf.test.is_gpu_available(cuda_only=True)
        assert tf.test.gpu_device_name() == "/device:GPU:0"
    assert os.path.isdir(tf.test.get_temp_dir()) and callable(tf.test.main)
