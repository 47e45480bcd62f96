"""The fake device backend: numpy standing in for a GPU, to test placement and transfers anywhere.

Its arrays (`FakeArray`) are a type of their own that refuses to mix with numpy the way CuPy's do,
and a little stricter: a kernel that hands a host (numpy) array to a device function, calls a
numpy function on a device array, or converts one implicitly (`np.asarray(x)`) gets a TypeError
here, on any machine, instead of on the first GPU it meets. Reading a device value into Python
(`int(x)`, `x.tolist()`, `x.item()`) works, as on CuPy, but each such synchronisation is counted
in `STATS["syncs"]` (with the caller in `STATS["sync_sites"]`) so tests can require a training
step to have none. Explicit transfers (`to_device`, `to_host`) are counted too.

Device memory is simulated: each device buffer is charged to the memory pool that is current
when it is created (a session's, see runtime/memory.py) and returned when numpy frees it, against
a device of `DEVICE.total_bytes` (4 GiB unless `configure` says otherwise).

    xp = fake_backend.XP
    a = fake_backend.to_device(np.ones(3))   # FakeArray
    xp.add(a, 1.0)                           # FakeArray
    xp.add(a, np.ones(3))                    # TypeError: a host array mixed with device arrays
"""
import sys
import threading
import types
import weakref

import numpy as np

__all__ = ["FakeArray", "FakeOutOfMemoryError", "XP", "STATS", "DEVICE", "to_device", "to_host",
           "reset_stats", "configure", "is_device_array"]

STATS = {"h2d": 0, "d2h": 0, "syncs": 0, "sync_sites": []}


def reset_stats():
    STATS.update(h2d=0, d2h=0, syncs=0, sync_sites=[])


class FakeOutOfMemoryError(MemoryError):
    """The fake device ran out of memory (CuPy raises cupy.cuda.memory.OutOfMemoryError)."""

    def __init__(self, size, in_use, limit):
        super().__init__("Out of memory allocating %d bytes (allocated so far: %d bytes, limit set to: %d bytes)."
                         % (size, in_use, limit))
        self.size, self.in_use, self.limit = size, in_use, limit


# =========================================================================== simulated memory
class _Device:
    """The fake GPU: how much memory it has and how much the pools have taken from it."""

    def __init__(self, total_bytes):
        self.total_bytes = total_bytes
        self.reserved = 0  # bytes held by all pools together

    @property
    def free_bytes(self):
        return self.total_bytes - self.reserved


DEVICE = _Device(4 << 30)


def configure(total_bytes=None):
    """Set the fake device's memory size (tests use small ones to provoke out-of-memory)."""
    if total_bytes is not None:
        DEVICE.total_bytes = int(total_bytes)


class FakePool:
    """A memory pool on the fake device, the counterpart of a CuPy MemoryPool with a limit.

    `reserve` bytes are taken from the device at once (TF's default: most of the memory, up front);
    beyond that the pool grows on demand, in 2 MiB steps, up to `limit` (0: the whole device).
    """

    _STEP = 2 << 20

    def __init__(self, limit=0, reserve=0, takes_device_memory=True):
        self.limit = int(limit)
        self.in_use = 0
        self.held = 0
        self.closed = False
        self._takes = takes_device_memory
        self._buffers = {}  # id(root ndarray) -> bytes, for buffers alive in this pool
        if reserve:
            self._take(int(reserve), int(reserve))

    def _take(self, nbytes, needed):
        if not self._takes:
            return
        if DEVICE.free_bytes < nbytes:
            raise FakeOutOfMemoryError(needed, self.in_use, self.limit or DEVICE.total_bytes)
        DEVICE.reserved += nbytes
        self.held += nbytes

    def allocate(self, nbytes):
        if self.closed:  # a value made after close (a finalizer's stray work): charge nothing
            return
        want = self.in_use + nbytes
        if self.limit and want > self.limit:
            raise FakeOutOfMemoryError(nbytes, self.in_use, self.limit)
        if want > self.held:
            grow = -(-(want - self.held) // self._STEP) * self._STEP
            if self.limit:
                grow = min(grow, self.limit - self.held)
            self._take(max(grow, want - self.held), nbytes)
        self.in_use = want

    def release(self, nbytes):
        if not self.closed:
            self.in_use -= nbytes

    def close(self):
        """Give everything back to the device (the session closed)."""
        if not self.closed:
            if self._takes:
                DEVICE.reserved -= self.held
            self.held = 0
            self.in_use = 0
            self.closed = True
            self._buffers.clear()


# buffers made outside any session (tests that call the backend directly): not charged to the device
_DEFAULT_POOL = FakePool(takes_device_memory=False)
_current = threading.local()


def current_pool():
    return getattr(_current, "pool", None) or _DEFAULT_POOL


class using_pool:
    """Charge the device buffers made inside the block to `pool` (cupy.cuda.using_allocator)."""

    __slots__ = ("pool", "saved")

    def __init__(self, pool):
        self.pool = pool

    def __enter__(self):
        self.saved = getattr(_current, "pool", None)
        _current.pool = self.pool

    def __exit__(self, *exc):
        _current.pool = self.saved


def _root(a):
    """The array that owns `a`'s memory (views and as_strided windows charge nothing new)."""
    seen = 0
    while True:
        b = getattr(a, "base", None)
        if b is None or seen > 64:
            return a
        a = b
        seen += 1


def _charge(arr):
    root = _root(arr)
    pool = current_pool()
    key = id(root)
    for p in (pool, _DEFAULT_POOL):
        if key in p._buffers:
            return
    if not isinstance(root, np.ndarray):
        return
    n = int(root.nbytes)
    pool.allocate(n)
    pool._buffers[key] = n
    try:
        weakref.finalize(root, _uncharge, pool, key, n)
    except TypeError:
        pass


def _uncharge(pool, key, n):
    if pool._buffers.pop(key, None) is not None:
        pool.release(n)


# =========================================================================== the array type
_UNSUPPORTED_KINDS = "OUSVMm"  # object, strings, void, datetimes: CuPy has no such arrays


def _check_dtype(a):
    if a.dtype.kind in _UNSUPPORTED_KINDS:
        raise TypeError("Unsupported dtype %s: a GPU array holds numbers and booleans only" % a.dtype)


def _wrap(a):
    """numpy results -> device values (0-d arrays for scalars, as CuPy returns)."""
    if isinstance(a, np.ndarray):
        _check_dtype(a)
        _charge(a)
        return FakeArray(a)
    if isinstance(a, np.generic):
        a = np.asarray(a)
        _check_dtype(a)
        _charge(a)
        return FakeArray(a)
    if isinstance(a, tuple):
        return tuple(_wrap(v) for v in a)
    if isinstance(a, list):
        return [_wrap(v) for v in a]
    return a


def _host_array_error(where):
    return TypeError("Unsupported type <class 'numpy.ndarray'>: %s got a host (numpy) array where a device array "
                     "is needed; move it with xp.asarray(...) first (CuPy refuses implicit transfers)" % where)


def _unwrap(v, where, allow_host):
    if v.__class__ is FakeArray:
        return v._a
    if isinstance(v, np.ndarray):
        if not allow_host:
            raise _host_array_error(where)
        return v
    if isinstance(v, (list, tuple)):
        items = [_unwrap(x, where, allow_host) for x in v]
        return items if isinstance(v, list) else tuple(items)
    if isinstance(v, dict):
        return {k: _unwrap(x, where, allow_host) for k, x in v.items()}
    return v


def _sync(what):
    STATS["syncs"] += 1
    f = sys._getframe(2)
    site = "%s at %s:%d" % (what, f.f_code.co_filename, f.f_lineno)
    while f is not None:  # the plan line that called the kernel: tests map it to the op
        if f.f_code.co_filename.startswith("<tfmini plan"):
            site += " (%s line %d)" % (f.f_code.co_filename, f.f_lineno)
            break
        f = f.f_back
    STATS["sync_sites"].append(site)


def _binary(name):
    op = getattr(np.ndarray, name)

    def method(self, other):
        if other.__class__ is FakeArray:
            other = other._a
        elif isinstance(other, np.ndarray):
            raise _host_array_error("the operator %s" % name)
        elif isinstance(other, (list, tuple)):
            raise TypeError("Unsupported type %s: the operator %s takes device arrays and scalars"
                            % (type(other), name))
        return _wrap(op(self._a, other))
    method.__name__ = name
    return method


def _inplace(name):
    op = getattr(np.ndarray, name)

    def method(self, other):
        if other.__class__ is FakeArray:
            other = other._a
        elif isinstance(other, np.ndarray):
            raise _host_array_error("the operator %s" % name)
        op(self._a, other)
        return self
    method.__name__ = name
    return method


def _unary(name):
    op = getattr(np.ndarray, name)

    def method(self):
        return _wrap(op(self._a))
    method.__name__ = name
    return method


_SYNC_METHODS = {"tolist", "item", "tobytes"}
_HOST_METHODS = {"tofile", "dump", "dumps"}


class FakeArray:
    """A device array of the fake backend: a numpy array that only device functions may touch."""

    __slots__ = ("_a", "__weakref__")
    __array_priority__ = 100

    def __init__(self, a):
        self._a = a

    # ---- what CuPy refuses
    def __array__(self, dtype=None, copy=None):
        raise TypeError("Implicit conversion to a NumPy array is not allowed. Please use `.get()` to construct a "
                        "NumPy array explicitly. (a device array reached numpy: a kernel must use xp, and the "
                        "executor moves values between host and device)")

    def __array_function__(self, func, types_, args, kwargs):
        raise TypeError("numpy.%s was called on a device array: kernels must call xp.%s"
                        % (func.__name__, func.__name__))

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        # numpy scalars meet device arrays as CuPy allows (np.float32(2) * x); numpy arrays do not
        if method != "__call__":
            raise TypeError("numpy.%s.%s was called on a device array: kernels must call xp.%s.%s"
                            % (ufunc.__name__, method, ufunc.__name__, method))
        args = [_unwrap(v, "numpy.%s" % ufunc.__name__, False) for v in inputs]
        if "out" in kwargs:
            kwargs["out"] = tuple(_unwrap(v, "numpy.%s" % ufunc.__name__, False) for v in kwargs["out"])
        return _wrap(getattr(ufunc, method)(*args, **kwargs))

    # ---- explicit transfer, as cupy.ndarray.get
    def get(self):
        STATS["d2h"] += 1
        return self._a.copy()

    # ---- reading into Python: allowed (CuPy syncs too), counted
    def __bool__(self):
        _sync("bool()")
        return bool(self._a)

    def __int__(self):
        _sync("int()")
        return int(self._a)

    def __float__(self):
        _sync("float()")
        return float(self._a)

    def __complex__(self):
        _sync("complex()")
        return complex(self._a)

    def __index__(self):
        _sync("operator.index()")
        return self._a.__index__()

    def __len__(self):
        return len(self._a)

    def __iter__(self):
        for i in range(len(self._a)):
            yield self[i]

    def __repr__(self):
        return "fake_device_array(%r)" % (self._a,)

    __str__ = __repr__

    def __hash__(self):
        raise TypeError("unhashable type: 'FakeArray'")

    # ---- attributes
    shape = property(lambda self: self._a.shape)
    dtype = property(lambda self: self._a.dtype)
    ndim = property(lambda self: self._a.ndim)
    size = property(lambda self: self._a.size)
    nbytes = property(lambda self: self._a.nbytes)
    itemsize = property(lambda self: self._a.itemsize)
    strides = property(lambda self: self._a.strides)
    flags = property(lambda self: self._a.flags)
    T = property(lambda self: FakeArray(self._a.T))
    real = property(lambda self: _wrap(self._a.real))
    imag = property(lambda self: _wrap(self._a.imag))

    @property
    def base(self):
        b = self._a.base
        return FakeArray(b) if isinstance(b, np.ndarray) else None

    def __getattr__(self, name):
        if name.startswith("__"):  # never __array_interface__ or __array_struct__: numpy would read the host data
            raise AttributeError("'FakeArray' object has no attribute '%s'" % name)
        if name in _NOT_IN_CUPY["ndarray"]:
            raise AttributeError("'cupy.ndarray' object has no attribute '%s' (numpy's has; CuPy's does not)" % name)
        attr = getattr(self._a, name)
        if name in _HOST_METHODS:
            raise TypeError("cupy.ndarray has no %s: read it to the host with .get() first" % name)
        if callable(attr):
            def method(*args, **kwargs):
                if name in _SYNC_METHODS:
                    _sync(".%s()" % name)
                args, kwargs = _unwrap(args, ".%s()" % name, False), _unwrap(kwargs, ".%s()" % name, False)
                out = attr(*args, **kwargs)
                if name in _SYNC_METHODS:
                    return out
                return _wrap(out)
            return method
        return _wrap(attr)

    # ---- indexing
    def __getitem__(self, key):
        key = _unwrap(key, "indexing", True)  # CuPy takes numpy index arrays
        return _wrap(self._a[key])

    def __setitem__(self, key, value):
        key = _unwrap(key, "indexing", True)
        if isinstance(value, (list, tuple)):
            raise TypeError("Unsupported type %s: assign a device array or a scalar" % type(value))
        self._a[key] = _unwrap(value, "item assignment", False)

    # ---- operators
    for _n in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__",
               "__rtruediv__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__", "__rpow__",
               "__matmul__", "__rmatmul__", "__and__", "__rand__", "__or__", "__ror__", "__xor__", "__rxor__",
               "__lshift__", "__rlshift__", "__rshift__", "__rrshift__", "__lt__", "__le__", "__gt__", "__ge__",
               "__eq__", "__ne__", "__divmod__"):
        locals()[_n] = _binary(_n)
    for _n in ("__iadd__", "__isub__", "__imul__", "__itruediv__", "__ifloordiv__", "__imod__", "__ipow__",
               "__iand__", "__ior__", "__ixor__", "__ilshift__", "__irshift__"):
        locals()[_n] = _inplace(_n)
    for _n in ("__neg__", "__pos__", "__abs__", "__invert__"):
        locals()[_n] = _unary(_n)
    del _n


def is_device_array(v):
    return v.__class__ is FakeArray


# =========================================================================== the xp module
# What numpy has and CuPy does not, per namespace (numpy 2.4 against CuPy 14.2: `dir()` of each, compared by
# tests/test_devices.py::test_the_stand_in_device_refuses_what_cupy_lacks wherever CuPy imports): a kernel using one
# of these fails on the GPU, so the fake device refuses it too.
_NOT_IN_CUPY = {
    "xp": frozenset((
        "False_", "ScalarType", "True_", "asmatrix", "block", "bmat", "busday_count", "busday_offset",
        "busdaycalendar", "bytes_", "char", "character", "clongdouble", "complex256", "core", "ctypeslib",
        "datetime64", "datetime_as_string", "datetime_data", "dtypes", "einsum_path", "emath", "errstate", "f2py",
        "flexible", "float128", "frompyfunc", "fromregex", "geomspace", "get_include", "getbufsize", "geterr",
        "geterrcall", "histogram_bin_edges", "info", "insert", "is_busday", "isnat", "little_endian",
        "longdouble", "ma", "matrix", "matvec", "memmap", "nanpercentile", "nanquantile", "ndenumerate", "nditer",
        "nested_iters", "object_", "polyder", "polydiv", "polyint", "rec", "recarray", "record", "sctypeDict",
        "setbufsize", "seterr", "seterrcall", "show_runtime", "spacing", "str_", "strings", "test", "timedelta64",
        "typecodes", "unstack", "vecdot", "vecmat", "void")),
    "xp.linalg": frozenset(("diagonal", "matrix_norm", "multi_dot", "outer", "svdvals", "tensordot", "test", "trace",
                            "vecdot", "vector_norm")),
    "xp.random": frozenset(("Generator", "MT19937", "PCG64", "PCG64DXSM", "Philox", "SFC64", "SeedSequence",
                            "bit_generator", "get_bit_generator", "get_state", "mtrand", "set_bit_generator",
                            "set_state", "test")),
    "xp.fft": frozenset(("test",)),
    "xp.lib": frozenset(("Arrayterator", "NumpyVersion", "add_docstring", "add_newdoc", "array_utils", "format",
                         "introspect", "mixins", "npyio", "scimath", "test", "tracemalloc_domain")),
    "ndarray": frozenset(("ctypes", "getfield", "resize", "setfield", "setflags", "to_device")),
}
# What CuPy has but runs on the host, loops in Python or compiles per call: never right inside a kernel
_HOST_ONLY = frozenset(("ndindex", "vectorize", "piecewise", "apply_along_axis", "apply_over_axes", "fromiter",
                        "genfromtxt", "loadtxt", "savetxt", "set_printoptions"))
# functions that take host data to make a device array
_CREATION = {"asarray", "array", "asanyarray", "ascontiguousarray", "asfortranarray"}
# CuPy's ufunc methods exist for a few ufuncs only (CuPy 14.2; each other ufunc raises NotImplementedError)
_UFUNC_METHODS = {"reduce": {"add", "multiply"}, "accumulate": {"add", "multiply"}, "reduceat": {"add"},
                  "at": {"add", "subtract", "maximum", "minimum", "bitwise_and", "bitwise_or", "bitwise_xor"},
                  "outer": None}


class _Ufunc:
    """A numpy ufunc seen from the device: operands must be device arrays or scalars."""

    def __init__(self, uf):
        self._uf = uf
        self.__name__ = uf.__name__
        self.nin, self.nout, self.identity = uf.nin, uf.nout, uf.identity

    def _args(self, what, args, kwargs):
        for v in args:
            if isinstance(v, (list, tuple)):
                raise TypeError("Unsupported type %s: xp.%s takes device arrays and scalars" % (type(v), what))
        return _unwrap(args, "xp.%s" % what, False), _unwrap(kwargs, "xp.%s" % what, False)

    def __call__(self, *args, **kwargs):
        args, kwargs = self._args(self.__name__, args, kwargs)
        return _wrap(self._uf(*args, **kwargs))

    def __getattr__(self, method):
        allowed = _UFUNC_METHODS.get(method, ())
        if allowed == ():
            return getattr(self._uf, method)
        if allowed is not None and self.__name__ not in allowed:
            raise NotImplementedError("`%s.%s` is not supported yet (CuPy has %s.%s only for %s)"
                                      % (self.__name__, method, "ufunc", method, ", ".join(sorted(allowed))))
        fn = getattr(self._uf, method)
        what = "%s.%s" % (self.__name__, method)

        def call(*args, **kwargs):
            if method == "reduce" and ({"initial", "where"} & set(kwargs)):
                raise TypeError("CuPy's ufunc.reduce takes no initial= or where=")
            if method in ("reduce", "accumulate", "reduceat") and args and args[0].__class__ is not FakeArray:
                raise TypeError("xp.%s needs a device array (CuPy calls its .sum/.prod method)" % what)
            a, k = self._args(what, args, kwargs)
            return _wrap(fn(*a, **k))
        return call


class _Namespace(types.ModuleType):
    """numpy (or one of its submodules) as the device sees it."""

    def __init__(self, mod, path):
        super().__init__(path)
        self._mod = mod
        self._path = path

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name in _NOT_IN_CUPY.get(self._path, ()):
            raise AttributeError("module '%s' has no attribute '%s' (numpy has it; the GPU does not)"
                                 % (self._path.replace("xp", "cupy", 1), name))
        if name in _HOST_ONLY:
            raise AttributeError("xp.%s is not for kernels: CuPy's runs on the host or compiles Python per call"
                                 % name)
        if name == "ndarray":
            return FakeArray
        attr = getattr(self._mod, name)
        if isinstance(attr, types.ModuleType):
            out = _Namespace(attr, "%s.%s" % (self._path, name))
        elif isinstance(attr, np.ufunc):
            out = _Ufunc(attr)
        elif isinstance(attr, type) or not callable(attr):
            out = attr  # dtypes and constants: the same objects CuPy re-exports
        else:
            out = _function(attr, "%s.%s" % (self._path, name), name in _CREATION)
        object.__setattr__(self, name, out)
        return out


def _function(fn, what, creation):
    def call(*args, **kwargs):
        if creation:
            if args and args[0].__class__ is not FakeArray and isinstance(args[0], (np.ndarray, np.generic, list,
                                                                                 tuple, int, float, complex, bool)):
                STATS["h2d"] += 1
            a, k = _unwrap(args, what, True), _unwrap(kwargs, what, True)
            out = fn(*a, **k)
            if isinstance(out, np.ndarray) and args and isinstance(args[0], np.ndarray) and out is args[0]:
                out = out.copy()  # host memory never becomes device memory in place
            return _wrap(np.asarray(out) if not isinstance(out, np.ndarray) else out)
        a, k = _unwrap(args, what, False), _unwrap(kwargs, what, False)
        return _wrap(fn(*a, **k))
    call.__name__ = fn.__name__ if hasattr(fn, "__name__") else what
    return call


XP = _Namespace(np, "xp")


# =========================================================================== transfers
def to_device(a):
    """A host value as a device array (a copy, as a host-to-device transfer is)."""
    STATS["h2d"] += 1
    a = np.array(a, copy=True)
    _check_dtype(a)
    _charge(a)
    return FakeArray(a)


def to_host(a):
    """A device array as a new numpy array."""
    STATS["d2h"] += 1
    return a._a.copy()


# =========================================================================== convolutions, bias and ReLU
# nn_ops.register_device_im2col's pair, nn_ops.register_device_direct_conv's and
# math_ops.register_device_bias_relu's kernels for fake arrays (runtime/backends.py registers them unless
# TFMINI_CUPY_FAST=0): numpy references of what the CuPy backend's fused kernels compute, so that the device
# branches of the convolutions and fused ops run on every machine.
_CONV_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def im2col(x, kh, kw, sh, sw, dh, dw, oh, ow, pads):
    from ..ops import nn_ops
    a = x._a
    n, _, _, c = a.shape
    if not a.size or not oh * ow or not kh * kw * c:
        return None
    windows = nn_ops._patches(np, a, kh, kw, sh, sw, dh, dw, oh, ow, pads)
    return _wrap(np.ascontiguousarray(windows.reshape(n * oh * ow, kh * kw * c)))


def col2im(out_backprop, filter, in_shape, sh, sw, dh, dw, oh, ow, pads):  # noqa: A002
    from ..ops import nn_ops
    dy, f = out_backprop._a, filter._a
    if dy.dtype not in _CONV_FLOATS or f.dtype != dy.dtype:
        return None
    return _wrap(nn_ops._col2im(np, dy, f, tuple(in_shape), oh, ow, pads, (1, sh, sw, 1), (1, dh, dw, 1)))


def bias_relu(out, bias, relu):
    """math_ops.register_device_bias_relu's numpy reference of the CuPy backend's fused kernel."""
    from ..ops import math_ops
    o, b = out._a, bias._a
    if not math_ops.bias_relu_applies(o, b):
        return False
    np.add(o, b, out=o)
    if relu:
        np.maximum(o, o.dtype.type(0), out=o)
    return True


def direct_conv(x, filter, sh, sw, dh, dw, oh, ow, pads, bias, relu):  # noqa: A002
    """nn_ops.register_device_direct_conv's numpy reference of the CuPy backend's direct convolution."""
    from ..ops import nn_ops
    a, f, b = x._a, filter._a, None if bias is None else bias._a
    if not nn_ops.direct_conv_applies(a, f, b, sh, sw, dh, dw, oh, ow, pads):
        return None
    kh, kw = f.shape[:2]
    with np.errstate(invalid="ignore", over="ignore"):  # 0 * inf in the padding: NaN, silently, as TF's kernels
        out = np.tensordot(nn_ops._patches(np, a, kh, kw, sh, sw, dh, dw, oh, ow, pads), f, axes=3)
    if b is not None:
        out += b
    if relu:
        np.maximum(out, out.dtype.type(0), out=out)
    return _wrap(np.ascontiguousarray(out, a.dtype))
