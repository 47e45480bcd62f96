"""Session and InteractiveSession: run fetches of any nesting with feeds, through cached plans."""
import collections
import sys
import weakref

import numpy as np

from ..framework import errors, ops
from ..framework.ops import Operation, Tensor
from ..framework.indexed_slices import IndexedSlices, IndexedSlicesValue
from ..framework.sparse_tensor import SparseTensor, SparseTensorValue
from ..runtime import backends, device, host_memory, intra_op
from ..runtime.executor import DevicePlan, build_plan
from ..runtime.state import SessionState
from .config import ConfigProto

__all__ = ["Session", "InteractiveSession", "BaseSession"]


# =========================================================================== fetch structures
class _Leaf:
    __slots__ = ("index",)

    def __init__(self, index):
        self.index = index


def _fetch_type_error(fetch, extra=""):
    return TypeError("Fetch argument %r has invalid type %r%s" % (fetch, type(fetch), extra))


def _check_fetchable(graph, elements):
    """TF's ValueError for a fetch inside a tf.cond branch or a tf.while_loop (checked when a run's plan is made)."""
    for el in elements:
        if not graph.is_fetchable(el):
            op = el if isinstance(el, Operation) else el.op
            if _in_loop(op):
                why = ("It is inside a tf.while_loop, which computes it once per iteration: fetch the loop's result, "
                       "or carry the value out as a loop variable.")
            else:
                why = "It is inside a tf.cond branch, which runs only when its predicate selects it: fetch the " \
                      "tf.cond's result instead."
            raise ValueError("Operation %r has been marked as not fetchable. (%s)" % (op.name, why))


def _in_loop(op):
    ctx = op._control_flow_context
    return ctx is not None and ctx.GetWhileContext() is not None


class _FetchMapper:
    """Flattens a fetch structure (nested lists, tuples, namedtuples, dicts of graph elements)
    into unique tensors and target ops, and rebuilds the same structure from their values."""

    def __init__(self, graph, fetches):
        self.tensors = []      # unique Tensors to fetch
        self.targets = []      # unique Operations to run
        self._index = {}       # element -> index into tensors, or -1 - index into targets
        self.structure = self._map(graph, fetches)

    def _element(self, graph, fetch):
        if fetch is None:
            raise _fetch_type_error(fetch)
        try:
            el = graph.as_graph_element(fetch, allow_tensor=True, allow_operation=True)
        except TypeError as e:
            raise TypeError("Fetch argument %r has invalid type %r, must be a string or Tensor. (%s)"
                            % (fetch, type(fetch), e)) from None
        except ValueError as e:
            raise ValueError("Fetch argument %r cannot be interpreted as a Tensor. (%s)" % (fetch, e)) from None
        except KeyError as e:  # str(e) quotes the message, as TF's does
            raise ValueError("Fetch argument %r cannot be interpreted as a Tensor. (%s)" % (fetch, str(e))) from None
        idx = self._index.get(el)
        if idx is None:
            if isinstance(el, Operation):
                idx = -1 - len(self.targets)
                self.targets.append(el)
            else:
                idx = len(self.tensors)
                self.tensors.append(el)
            self._index[el] = idx
        return _Leaf(idx)

    def _map(self, graph, fetch):
        if isinstance(fetch, (Tensor, Operation, str)) or hasattr(fetch, "_as_graph_element"):
            return self._element(graph, fetch)
        if isinstance(fetch, SparseTensor):  # fetched as a SparseTensorValue of its three tensors, as TF's
            return ("namedtuple", SparseTensorValue, [self._element(graph, t)
                                                      for t in (fetch.indices, fetch.values, fetch.dense_shape)])
        if isinstance(fetch, IndexedSlices):  # an IndexedSlicesValue of its tensors (dense_shape None without one)
            parts = [fetch.values, fetch.indices] + ([] if fetch.dense_shape is None else [fetch.dense_shape])
            return ("namedtuple", _indexed_slices_value, [self._element(graph, t) for t in parts])
        if isinstance(fetch, tuple) and hasattr(fetch, "_fields"):
            return ("namedtuple", type(fetch), [self._map(graph, f) for f in fetch])
        if isinstance(fetch, (list, tuple)):
            return (type(fetch), None, [self._map(graph, f) for f in fetch])
        if isinstance(fetch, dict):
            keys = list(fetch.keys())
            return ("dict", (type(fetch), keys, getattr(fetch, "default_factory", None)),
                    [self._map(graph, fetch[k]) for k in keys])
        if fetch is None:
            raise _fetch_type_error(fetch)
        raise TypeError("Fetch argument %r has invalid type %r, must be a string or Tensor. (Can not convert "
                        "a %s into a Tensor or Operation.)" % (fetch, type(fetch), type(fetch).__name__))

    def build(self, values):
        return _rebuild(self.structure, values)


def _indexed_slices_value(values, indices, dense_shape=None):
    return IndexedSlicesValue(values, indices, dense_shape)


def _rebuild(s, values):
    if s.__class__ is _Leaf:
        return values[s.index] if s.index >= 0 else None
    kind, extra, children = s
    items = [_rebuild(c, values) for c in children]
    if kind == "namedtuple":
        return extra(*items)
    if kind == "dict":
        cls, keys, factory = extra
        if cls is dict:
            return dict(zip(keys, items))
        # the fetch's own mapping type (OrderedDict, defaultdict with its factory), as TF returns
        d = cls(factory) if issubclass(cls, collections.defaultdict) else cls()
        d.update(zip(keys, items))
        return d
    return items if kind is list else tuple(items) if kind is tuple else kind(items)


def _split_sparse_feeds(feed_dict):
    """`feed_dict` with each SparseTensor key replaced by its indices, values and dense_shape, fed the parts of
    its value (a SparseTensorValue or an (indices, values, dense_shape) tuple), as TF's session does; an
    IndexedSlices key likewise by its values, indices (and dense_shape), from an IndexedSlicesValue or a tuple."""
    out = {}
    for k, v in feed_dict.items():
        if k.__class__ is IndexedSlices:
            parts = [k.values, k.indices] + ([] if k.dense_shape is None else [k.dense_shape])
            if isinstance(v, IndexedSlicesValue) and k.dense_shape is None:
                v = v[:2]
            if not (isinstance(v, (tuple, list)) and len(v) == len(parts)):
                raise TypeError("The value of an IndexedSlices %s must be an IndexedSlicesValue or a tuple "
                                "(values, indices%s), got %r" % (k, "" if k.dense_shape is None else ", dense_shape",
                                                                 v))
            out.update(zip(parts, v))
            continue
        if k.__class__ is not SparseTensor:
            out[k] = v
            continue
        if not (isinstance(v, (tuple, list)) and len(v) == 3):
            raise TypeError("The value of a SparseTensor %s must be a SparseTensorValue or a tuple "
                            "(indices, values, dense_shape), got %r" % (k, v))
        out[k.indices], out[k.values], out[k.dense_shape] = v
    return out


# =========================================================================== Session
_live_sessions = weakref.WeakSet()  # every session not yet garbage-collected, for open_sessions


def open_sessions(graph=None):
    """The sessions that are not closed yet (those on `graph`, if given), oldest first.

    tfmini.widgets' reset closes the sessions of the graph it replaces through this.
    """
    found = [s for s in list(_live_sessions) if not s._closed and (graph is None or s._graph is graph)]
    return sorted(found, key=lambda s: s._serial)


_session_serials = iter(range(1, 1 << 62))


def _free_gpu_memory_of(graph):
    """tf.reset_default_graph(): the GPU sessions of the replaced graph are closed, so that their
    device memory (most of the GPU, without allow_growth) is free for the next graph's session."""
    for s in open_sessions(graph):
        if s._devices is not None and s._devices.gpu is not None:
            s._closed_by_reset = True
            s.close()


ops._reset_hooks.append(_free_gpu_memory_of)


class BaseSession:
    """The common part of Session and InteractiveSession."""

    def __init__(self, target="", graph=None, config=None):
        if graph is None:
            graph = ops.get_default_graph()
        elif not isinstance(graph, ops.Graph):
            raise TypeError("graph must be a tf.Graph, but got %s" % type(graph))
        if config is not None and not isinstance(config, ConfigProto):
            raise TypeError("config must be a tf.ConfigProto, but got %s" % type(config))
        if target not in ("", None, "local") and not isinstance(target, str):
            if isinstance(target, ConfigProto):
                raise TypeError('target must be a string, but got %s. Did you do "Session(config)" instead of '
                                '"Session(config=config)"?' % type(target))
            raise TypeError("target must be a string, but got %s" % type(target))
        if target not in ("", None, "local"):
            raise errors.UnimplementedError(None, None, "tfmini runs graphs in this process only: "
                                            "Session(target=%r) is not supported; use Session()." % target)
        self._graph = graph
        self._config = config if config is not None else ConfigProto()
        self._target = target or ""
        self._closed = False
        self._closed_by_reset = False
        self._state = SessionState()
        self._plans = {}
        self._plans_version = graph._version
        self._xp = backends.numpy_backend()
        host_memory.tune_malloc()
        if self._config.intra_op_parallelism_threads:  # TF's knob; here the process's pool (runtime/intra_op.py)
            intra_op.set_threads(self._config.intra_op_parallelism_threads)
        self._devices = None  # set first: close() must work even if finding the devices fails
        self._devices = device.Devices(self._config, device.gpu_for_config(self._config))
        self._default_ctx = None
        self._logged_ops = set()
        self._serial = next(_session_serials)
        _live_sessions.add(self)
        if self._config.log_device_placement:
            self._log_device_mapping()

    # ---- properties
    @property
    def graph(self):
        return self._graph

    @property
    def graph_def(self):
        return self._graph.as_graph_def() if hasattr(self._graph, "as_graph_def") else None

    @property
    def sess_str(self):
        return self._target

    def list_devices(self):
        out = [_DeviceAttributes("/job:localhost/replica:0/task:0/device:CPU:0", "CPU")]
        if self._devices is not None and self._devices.gpu is not None:
            mem = self._devices.memory
            out.append(_DeviceAttributes(device.DEVICE_NAMES[device.GPU], "GPU", mem.limit or mem.total))
        return out

    # ---- lifecycle
    def close(self):
        """Free this session's variable values; running it afterwards raises RuntimeError."""
        if not self._closed:
            self._closed = True
            self._state.clear()
            if self._devices is not None and self._devices.gpu is not None:
                for plan in self._plans.values():
                    if isinstance(plan, DevicePlan):
                        plan.release()
            self._plans.clear()
            if self._devices is not None:
                self._devices.close()  # the GPU memory goes back to the device
            host_memory.release_free_memory()

    def as_default(self):
        """A context manager that makes this the default session (for `eval()`/`run()`)."""
        return ops._default_session_stack.get_controller(self)

    def __enter__(self):
        if self._default_ctx is not None:
            raise RuntimeError("Session context managers are not re-entrant. Use `Session.as_default()` if you "
                               "want to enter a session multiple times.")
        self._default_ctx = [self._graph.as_default(), self.as_default()]
        for c in self._default_ctx:
            c.__enter__()
        return self

    def __exit__(self, exc_type, exc, tb):
        ctxs, self._default_ctx = self._default_ctx or [], None
        for c in reversed(ctxs):
            c.__exit__(exc_type, exc, tb)
        self.close()
        return False

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001 - never raise from a finalizer
            pass

    # ---- running
    @staticmethod
    def _empty_graph(fetches):
        first = fetches[0] if isinstance(fetches, (list, tuple)) and fetches else fetches
        g = getattr(first, "graph", None)
        note = g.reset_note(first) if isinstance(first, (Tensor, Operation)) and g is not None else None
        raise RuntimeError("The Session graph is empty.  Add operations to the graph before calling run()."
                           + (" (%s)" % note if note else ""))

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Compute `fetches` (a graph element or any nesting of lists, tuples, namedtuples and dicts
        of them) with `feed_dict` values substituted; returns values in the same structure.

        Operations fetch as None; Tensors as numpy arrays (0-d as numpy scalars).
        """
        if self._closed:
            note = self._graph.reset_note(None) if self._graph.is_reset else None
            if note is None and self._closed_by_reset:
                note = ("tf.reset_default_graph() closed it, to give its GPU memory back: make a new Session "
                        "for the new graph.")
            raise RuntimeError("Attempted to use a closed Session." + (" " + note if note else ""))
        graph = self._graph
        if not graph._last_id:  # fetching a tensor of the graph tf.reset_default_graph() replaced, say
            self._empty_graph(fetches)
        cls = fetches.__class__
        if cls is Tensor and fetches._op._graph is graph:  # fast path: one Tensor
            flat, targets, mapper = (fetches,), (), None
        elif cls is list and all((f.__class__ is Tensor and f._op._graph is graph) or
                                 (f.__class__ is Operation and f._graph is graph) for f in fetches):
            # fast path: a flat list of Tensors and Operations ([train_op, loss])
            flat = tuple(f for f in fetches if f.__class__ is Tensor)
            targets = tuple(f for f in fetches if f.__class__ is Operation)
            mapper = list if not targets else [f.__class__ is Tensor for f in fetches]
        else:
            m = _FetchMapper(graph, fetches)
            flat, targets, mapper = tuple(m.tensors), tuple(m.targets), m
        if graph._version != self._plans_version:
            self._plans.clear()
            self._plans_version = graph._version
        if feed_dict and any(k.__class__ is SparseTensor or k.__class__ is IndexedSlices for k in feed_dict):
            feed_dict = _split_sparse_feeds(feed_dict)
        feed_keys = tuple(feed_dict) if feed_dict else ()
        key = (flat, targets, feed_keys)
        plan = self._plans.get(key)
        if plan is None:
            _check_fetchable(graph, flat + targets)
            feed_tensors = self._resolve_feed_keys(feed_keys)
            log = self._log_placement if self._config.log_device_placement else None
            plan = build_plan(self._state, flat, targets, feed_tensors, self._xp, log, self._devices)
            self._plans[key] = plan
        values = plan.run(feed_dict.values() if feed_keys else ())
        for i, v in enumerate(values):
            if v.__class__ is np.ndarray and v.ndim == 0:
                values[i] = v[()]  # TF returns numpy scalars for 0-d results
        if mapper is None:
            return values[0]
        if mapper is list:
            return values
        if mapper.__class__ is list:
            it = iter(values)
            return [next(it) if is_tensor else None for is_tensor in mapper]
        return mapper.build(values)

    def _resolve_feed_keys(self, keys):
        graph = self._graph
        tensors = []
        for key in keys:
            try:
                t = graph.as_graph_element(key, allow_tensor=True, allow_operation=False)
            except Exception as e:  # noqa: BLE001 - TF reports any failure the same way
                raise TypeError("Cannot interpret feed_dict key as Tensor: " + str(e.args[0])) from None
            if t in tensors:
                raise ValueError("Tensor %s is fed twice in one feed_dict (as %r)." % (t.name, key))
            if not graph.is_feedable(t):
                raise ValueError("Tensor %s may not be fed. (It is a value of a tf.while_loop, which each iteration "
                                 "computes anew: feed a value the loop reads instead.)" % t.name)
            tensors.append(t)
        return tensors

    def _log_placement(self, op):
        if op in self._logged_ops:
            return
        self._logged_ops.add(op)
        sys.stderr.write("%s: (%s): %s\n" % (op.name, op.type, device.DEVICE_NAMES[self._devices.place(op)]))

    def _log_device_mapping(self):
        """TF's first log_device_placement lines: the GPUs this session uses."""
        gpu = self._devices.gpu
        if gpu is None:
            sys.stderr.write("Device mapping: no known devices.\n")
        else:
            sys.stderr.write("Device mapping:\n%s -> device: 0, %s\n"
                             % (device.DEVICE_NAMES[device.GPU], gpu.device_description()))

    def make_callable(self, fetches, feed_list=None, accept_options=False):
        """A Python function that runs `fetches` with positional feeds for `feed_list`."""
        feed_list = list(feed_list or [])

        def _callable(*args, **kwargs):
            if len(args) != len(feed_list):
                raise ValueError("Expected %d feed values, got %d." % (len(feed_list), len(args)))
            return self.run(fetches, dict(zip(feed_list, args)))
        return _callable

    def partial_run_setup(self, *args, **kwargs):
        raise errors.UnimplementedError(None, None, "partial_run is not supported by tfmini")


class _DeviceAttributes:
    def __init__(self, name, device_type, memory_limit_bytes=0):
        self.name = name
        self.device_type = device_type
        self.memory_limit_bytes = memory_limit_bytes

    def __repr__(self):
        return "_DeviceAttributes(%s, %s, %d)" % (self.name, self.device_type, self.memory_limit_bytes)


class Session(BaseSession):
    """A session runs a graph: `sess.run(fetches, feed_dict)`. Use it as a context manager.

    >>> with tf.Session() as sess:
    ...     sess.run(tf.constant(5.0) * tf.constant(6.0))
    30.0
    """


class InteractiveSession(BaseSession):
    """A Session that makes itself the default on creation, for notebooks and shells."""

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
        self._default_session = self.as_default()
        self._default_session.__enter__()
        self._explicitly_closed = False
        # TF: a graph passed explicitly also becomes the default graph until close()
        self._default_graph = graph.as_default() if graph is not None else None
        if self._default_graph is not None:
            self._default_graph.__enter__()

    def close(self):
        super().close()
        if getattr(self, "_default_graph", None) is not None:
            self._default_graph.__exit__(None, None, None)
            self._default_graph = None
        if getattr(self, "_default_session", None) is not None:
            self._default_session.__exit__(None, None, None)
            self._default_session = None
