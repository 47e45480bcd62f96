"""tf.py_func and tf.numpy_function: the PyFunc op, which runs a Python function on numpy arrays when the session
runs it, with TF's dtype checks and its mapping of Python exceptions to tf.errors."""
import itertools
import traceback
import weakref

from ..framework import dtypes, errors
from ..framework.op_def_library import make_op
from ..framework.op_registry import NOT_DIFFERENTIABLE, register_op
from ..framework.ops import convert_to_tensor, get_default_graph, name_scope

__all__ = ["py_func", "numpy_function"]


# =========================================================================== the function registry
class _Callback:
    """A registered function (weakly held by the registry; its graph holds it strongly)."""
    __slots__ = ("func", "__weakref__")

    def __init__(self, func):
        self.func = func


_REGISTRY = weakref.WeakValueDictionary()   # token -> _Callback: a function lives as long as its graph
_GRAPH_CALLBACKS = weakref.WeakKeyDictionary()  # graph -> [_Callback]
_TOKENS = itertools.count()  # tokens are unique in the process, as TF's "pyfunc_<n>"


def _register(graph, func):
    token = "pyfunc_%d" % next(_TOKENS)
    cb = _Callback(func)
    _REGISTRY[token] = cb
    _GRAPH_CALLBACKS.setdefault(graph, []).append(cb)
    return token


# Python exception -> TF error class, as TF's PyFunc kernel maps them (anything else: UnknownError)
_ERROR_CLASSES = ((ValueError, errors.InvalidArgumentError), (TypeError, errors.InvalidArgumentError),
                  (StopIteration, errors.OutOfRangeError), (MemoryError, errors.ResourceExhaustedError),
                  (NotImplementedError, errors.UnimplementedError))


def _python_error(e, tb):
    """The TF error for exception `e` raised by the user's function: its class by TF's mapping, the message
    "<Type>: <text>" followed by the Python traceback from the user's function on."""
    cls = next((c for exc, c in _ERROR_CLASSES if isinstance(e, exc)), errors.UnknownError)
    text = "\n".join(traceback.format_exception(type(e), e, tb))
    return cls(None, None, "%s: %s\n%s\n" % (type(e).__name__, e, text))


# =========================================================================== the op
def _py_func_infer(*inputs, token, Tout):
    # TF knows nothing of what the function returns but its dtypes: every shape is unknown
    return [(dtypes.as_dtype(t), None) for t in Tout]


def _as_numpy_value(xp, value):
    """A returned value as TF's PyFunc converts it: numpy's own dtype (no casting), str -> utf-8 bytes."""
    arr = xp.asarray(value)
    if arr.dtype.kind in "SU":
        flat = [v.encode("utf-8") if isinstance(v, str) else bytes(v) for v in arr.reshape(-1).tolist()]
        out = xp.empty(len(flat), dtype=object)
        out[:] = flat
        arr = out.reshape(arr.shape)
    return arr


def _py_func_kernel(xp, *arrays, token, Tout):
    cb = _REGISTRY.get(token)
    args = [a[()] if a.ndim == 0 else xp.array(a) for a in arrays]  # scalars as numpy scalars, as TF passes them
    try:
        if cb is None:
            raise ValueError("Could not find callback with key=%s in the registry." % token)
        result = cb.func(*args)
    except Exception as e:  # noqa: BLE001 - every Python error becomes TF's, with the traceback in its message
        tb = e.__traceback__.tb_next if cb is not None else e.__traceback__  # from the user's function on
        raise _python_error(e, tb) from None
    values = [] if result is None else (list(result) if isinstance(result, (list, tuple)) else [result])
    if len(values) != len(Tout):
        raise errors.InvalidArgumentError(None, None, "%s returns %d values, but expects to see %d values."
                                          % (token, len(values), len(Tout)))
    out = []
    for i, (v, want) in enumerate(zip(values, Tout)):
        want = dtypes.as_dtype(want)
        arr = _as_numpy_value(xp, v)
        try:
            got = dtypes.as_dtype(arr.dtype) if arr.dtype != object else dtypes.string
        except TypeError:  # a numpy type TF has no DataType for (datetime64, float128)
            got = None
        if got != want:
            got = str(arr.dtype) if got is None else dtypes.type_string(got)
            raise errors.InvalidArgumentError(None, None, "%d-th value returned by %s is %s, but expects %s"
                                              % (i, token, got, dtypes.type_string(want)))
        out.append(arr)
    return tuple(out) if len(out) != 1 else out[0]


# TF registers no gradient for either op (tf.gradients gives None; gradient_override_map can give one). The
# function runs on the host: on a GPU the inputs are copied to numpy arrays, as TF's PyFunc has CPU kernels only.
# Stateless calls are never folded into a plan either: tfmini calls the function each run, as TF's session does.
for _type in ("PyFunc", "PyFuncStateless"):
    register_op(_type, infer=_py_func_infer, kernel=_py_func_kernel, grad=NOT_DIFFERENTIABLE, stateful=True,
                aliases_input=True, cpu_only=True)


def py_func(func, inp, Tout, stateful=True, name=None):  # noqa: N803 - TF's argument name
    """A graph op that calls `func(*arrays)` with the numpy values of the tensors `inp` each time it runs.

    `Tout` is a dtype (one output, returned as a Tensor) or a list of dtypes (a list of Tensors; [] gives the
    Operation). The outputs' static shapes are unknown: use `set_shape` where you know them. `func` must
    return numpy values of exactly those dtypes (InvalidArgumentError "0-th value returned by pyfunc_0 is
    double, but expects float" otherwise); an exception inside it becomes TF's error (ValueError and TypeError:
    InvalidArgumentError, others mostly UnknownError) with its traceback. Not differentiable.
    `stateful=False` makes a PyFuncStateless op.

    >>> y = tf.py_func(lambda a: np.sort(a), [x], tf.float32)
    """
    g = get_default_graph()
    is_list = isinstance(Tout, (list, tuple))
    types = [dtypes.as_dtype(t).base_dtype for t in (Tout if is_list else [Tout])]
    token = _register(g, func)
    op_type = "PyFunc" if stateful else "PyFuncStateless"
    with name_scope(name, op_type, list(inp)) as scope:
        # as TF's op builder: Python values become constants named input_<i> inside the op's scope
        tensors = [convert_to_tensor(x, name="input_%d" % i) for i, x in enumerate(inp)]
        out = make_op(op_type, tensors, {"token": token, "Tout": types}, name=scope)
    if not is_list:
        return out
    if not types:
        return out
    return out if isinstance(out, list) else [out]


def numpy_function(func, inp, Tout, stateful=True, name=None):  # noqa: N803 - TF's argument name
    """tf.numpy_function: the same op as tf.py_func (a function of numpy arrays)."""
    return py_func(func, inp, Tout, stateful=stateful, name=name)
