"""tf.test.TestCase and its companions (tf.test.main, get_temp_dir, is_gpu_available, gpu_device_name), as TF 1.x
tests of models and tutorials use them:

    class SquareTest(tf.test.TestCase):
        def testSquare(self):
            with self.cached_session():
                self.assertAllEqual(tf.square([2, 3]).eval(), [4, 9])

    if __name__ == "__main__":
        tf.test.main()

Each test starts on a new default graph with fixed seeds (tf.set_random_seed(87654321), numpy's 87654321), as
TF's TensorFlowTestCase does.
"""
import contextlib
import importlib.util
import random
import re
import tempfile
import unittest

import numpy as np

__all__ = ["TestCase", "main", "get_temp_dir", "is_gpu_available", "gpu_device_name", "is_built_with_cuda"]

_TEMP_DIR = []


def get_temp_dir():
    """A temporary folder for this process's tests (made once, removed at exit by the system's temp cleaning)."""
    if not _TEMP_DIR:
        _TEMP_DIR.append(tempfile.mkdtemp(prefix="tfmini_test_"))
    return _TEMP_DIR[0]


def main(argv=None):
    """Run the tests of the calling module (unittest's runner; TF's absltest takes the same command line)."""
    return unittest.main(argv=argv)


def _gpu():
    from ..runtime import device
    return device.gpu_for_config(None)


def is_gpu_available(cuda_only=False, min_cuda_compute_capability=None):
    """Whether sessions here place ops on a GPU (CuPy found one, or TFMINI_BACKEND=fake's stand-in unless
    cuda_only)."""
    gpu = _gpu()
    if gpu is None or (cuda_only and gpu.name != "cupy"):
        return False
    if min_cuda_compute_capability is not None and gpu.name == "cupy":
        match = re.search(r"compute capability: (\d+)\.(\d+)", gpu.device_description())
        return bool(match) and (int(match.group(1)), int(match.group(2))) >= tuple(min_cuda_compute_capability)
    return True


def gpu_device_name():
    """'/device:GPU:0' when there is a GPU (is_gpu_available), else ''."""
    return "/device:GPU:0" if _gpu() is not None else ""


def is_built_with_cuda():
    """Whether tfmini can use CUDA here: CuPy is installed (TF: whether its build has CUDA)."""
    return importlib.util.find_spec("cupy") is not None


class TestCase(unittest.TestCase):
    """unittest.TestCase with TensorFlow's helpers: sessions on the test's graph, evaluate, and array assertions
    that say where two arrays differ."""

    def __init__(self, methodName="runTest"):  # noqa: N803 - unittest's name
        super().__init__(methodName)
        self._cached_session = None
        self._temp_dir = None

    def setUp(self):
        from ..framework import random_seed
        from ..framework.ops import reset_default_graph
        self._clear_cached_session()
        reset_default_graph()
        random.seed(87654321)
        np.random.seed(87654321)
        random_seed.set_random_seed(87654321)

    def tearDown(self):
        self._clear_cached_session()

    def _clear_cached_session(self):
        if self._cached_session is not None:
            self._cached_session.close()
            self._cached_session = None

    def get_temp_dir(self):
        """A temporary folder of this test's own (under the process's get_temp_dir())."""
        if self._temp_dir is None:
            self._temp_dir = tempfile.mkdtemp(dir=get_temp_dir(), prefix=self._testMethodName + "_")
        return self._temp_dir

    # ---- sessions
    @contextlib.contextmanager
    def session(self, graph=None, config=None, use_gpu=True, force_gpu=False):
        """A new Session on `graph` (the default graph), made the default session (and graph) inside the block.
        use_gpu=False keeps every op on the CPU; force_gpu fails where there is no GPU."""
        from ..client.session import Session
        from ..framework.ops import device, get_default_graph
        if force_gpu and not is_gpu_available():
            self.fail("force_gpu=True, but there is no GPU here")
        graph = get_default_graph() if graph is None else graph
        with Session(graph=graph, config=config) as sess, graph.as_default(), sess.as_default():
            if use_gpu:
                yield sess
            else:
                with device("/cpu:0"):
                    yield sess

    @contextlib.contextmanager
    def cached_session(self, graph=None, config=None, use_gpu=True, force_gpu=False):
        """As session(), but one Session for the whole test, made at the first call (on its graph)."""
        from ..client.session import Session
        from ..framework.ops import device, get_default_graph
        if force_gpu and not is_gpu_available():
            self.fail("force_gpu=True, but there is no GPU here")
        if self._cached_session is None:
            self._cached_session = Session(graph=get_default_graph() if graph is None else graph, config=config)
        sess = self._cached_session
        with sess.graph.as_default(), sess.as_default():
            if use_gpu:
                yield sess
            else:
                with device("/cpu:0"):
                    yield sess

    test_session = property(lambda self: self.cached_session, doc="TF 1.x's older name for cached_session() "
                            "(a property: unittest's loader takes callable test* attributes of the class for tests)")

    def evaluate(self, tensors):
        """The values of `tensors` (a nested structure) in the default session, or in this test's cached one."""
        from ..framework.ops import get_default_session
        sess = get_default_session()
        if sess is not None:
            return sess.run(tensors)
        with self.cached_session() as sess:
            return sess.run(tensors)

    # ---- assertions
    def _compare(self, a, b, compare, path, msg):
        if isinstance(a, dict) or isinstance(b, dict):
            self.assertIsInstance(a, dict, msg)
            self.assertIsInstance(b, dict, msg)
            self.assertEqual(sorted(a), sorted(b), "%s: the keys differ%s" % (path or "dicts", _more(msg)))
            for k in a:
                self._compare(a[k], b[k], compare, "%s[%r]" % (path, k), msg)
            return
        if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) and not (_array(a) and _array(b)):
            self.assertEqual(len(a), len(b), "%s: lengths %d and %d%s" % (path or "sequences", len(a), len(b),
                                                                          _more(msg)))
            for i, (x, y) in enumerate(zip(a, b)):
                self._compare(x, y, compare, "%s[%d]" % (path, i), msg)
            return
        compare(_value(a), _value(b), path, msg)

    def assertAllClose(self, a, b, rtol=1e-6, atol=1e-6, msg=None):  # noqa: N802 - TF's names
        """Each value of `a` within atol + rtol * |b| of `b` (arrays, nested lists / tuples / dicts of them, tensors
        in the default session); NaN equals NaN."""
        def compare(x, y, path, msg):
            self.assertEqual(x.shape, y.shape, "%sshape mismatch: %s vs %s%s" % (_at(path), x.shape, y.shape,
                                                                                 _more(msg)))
            np.testing.assert_allclose(x, y, rtol=rtol, atol=atol, equal_nan=True,
                                       err_msg="%s%s" % (_at(path), msg or ""))
        self._compare(a, b, compare, "", msg)

    def assertAllCloseAccordingToType(self, a, b, rtol=1e-6, atol=1e-6, float_rtol=1e-6, float_atol=1e-6,  # noqa: N802
                                      half_rtol=1e-3, half_atol=1e-3, msg=None):
        """assertAllClose with tolerances by dtype: float16's, float32's, else the given ones."""
        a, b = _value(a), _value(b)
        if a.dtype == np.float16 or b.dtype == np.float16:
            rtol, atol = max(rtol, half_rtol), max(atol, half_atol)
        elif a.dtype == np.float32 or b.dtype == np.float32:
            rtol, atol = max(rtol, float_rtol), max(atol, float_atol)
        self.assertAllClose(a, b, rtol=rtol, atol=atol, msg=msg)

    def assertNotAllClose(self, a, b, **kwargs):  # noqa: N802
        try:
            self.assertAllClose(a, b, **kwargs)
        except AssertionError:
            return
        raise AssertionError("The two values are close at all elements")

    def assertAllEqual(self, a, b, msg=None):  # noqa: N802
        """The same shape and the same values (strings compared as bytes or str alike)."""
        def compare(x, y, path, msg):
            self.assertEqual(x.shape, y.shape, "%sshape mismatch: %s vs %s%s" % (_at(path), x.shape, y.shape,
                                                                                 _more(msg)))
            np.testing.assert_array_equal(x, y, err_msg="%s%s" % (_at(path), msg or ""))
        self._compare(a, b, compare, "", msg)

    def assertNear(self, f1, f2, err, msg=None):  # noqa: N802
        self.assertTrue(abs(f1 - f2) <= err, "%f != %f +/- %f%s" % (f1, f2, err, _more(msg)))

    def assertArrayNear(self, farray1, farray2, err, msg=None):  # noqa: N802
        self.assertEqual(len(farray1), len(farray2), msg)
        for f1, f2 in zip(farray1, farray2):
            self.assertNear(float(f1), float(f2), err, msg)

    def assertShapeEqual(self, np_array, tf_tensor, msg=None):  # noqa: N802
        """np_array's shape is tf_tensor's static shape."""
        self.assertEqual(list(np.shape(np_array)), tf_tensor.get_shape().as_list(), msg)

    def assertAllInRange(self, target, lower_bound, upper_bound, open_lower_bound=False,  # noqa: N802
                         open_upper_bound=False):
        t = _value(target)
        low = t > lower_bound if open_lower_bound else t >= lower_bound
        high = t < upper_bound if open_upper_bound else t <= upper_bound
        if not (low & high).all():
            raise AssertionError("%d of the %d values are not in %s%s, %s%s" % (
                int((~(low & high)).sum()), t.size, "(" if open_lower_bound else "[", lower_bound, upper_bound,
                ")" if open_upper_bound else "]"))

    def assertAllGreater(self, a, comparison_target):  # noqa: N802
        self.assertGreater(np.min(_value(a)), comparison_target)

    def assertAllLess(self, a, comparison_target):  # noqa: N802
        self.assertLess(np.max(_value(a)), comparison_target)

    def assertAllGreaterEqual(self, a, comparison_target):  # noqa: N802
        self.assertGreaterEqual(np.min(_value(a)), comparison_target)

    def assertAllLessEqual(self, a, comparison_target):  # noqa: N802
        self.assertLessEqual(np.max(_value(a)), comparison_target)

    @contextlib.contextmanager
    def assertRaisesWithPredicateMatch(self, exception_type, expected_err_re_or_predicate):  # noqa: N802
        """The block raises `exception_type` whose message matches the regular expression (re.search), or for which
        the predicate is true."""
        if callable(expected_err_re_or_predicate):
            predicate = expected_err_re_or_predicate
        else:
            def predicate(e):
                return re.search(expected_err_re_or_predicate, str(e)) is not None
        try:
            yield
        except exception_type as e:
            if not predicate(e):
                raise AssertionError("Exception of type %s: %s does not match %r" % (
                    type(e).__name__, e, expected_err_re_or_predicate)) from e
        else:
            raise AssertionError("Exception of type %s not raised" % exception_type.__name__)

    def assertRaisesOpError(self, expected_err_re_or_predicate):  # noqa: N802
        """The block raises a tf.errors.OpError matching the regular expression or predicate."""
        from ..framework import errors
        return self.assertRaisesWithPredicateMatch(errors.OpError, expected_err_re_or_predicate)


def _array(seq):
    """Whether a list makes one array of numbers or strings (compared as a whole, as TF tries first); else its
    items (tensors, dicts, ragged lists) are compared one by one."""
    try:
        return np.asarray(seq).dtype != object
    except (ValueError, TypeError):
        return False


def _value(x):
    """An array of `x`: a tensor's value in the default session, else np.asarray."""
    if hasattr(x, "eval") and hasattr(x, "graph"):
        x = x.eval()
    return np.asarray(x)


def _at(path):
    return "at %s: " % path if path else ""


def _more(msg):
    return ": %s" % msg if msg else ""

