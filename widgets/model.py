"""The widgets' view model: plain data about a graph, built only from the public Graph API.

`GraphModel.from_graph(g)` reads names, types, inputs, outputs (shapes, dtypes), devices,
attributes, the user's line that created each op, collections and variables, and sorts every
op into a lane: the model itself ("main"), or the side lanes "init", "save", "summary" and
"gradients". `run_set(model, fetches, feeds)` says which ops a `sess.run` would execute, with
the same walk as the session's plan (tfmini/runtime/executor.py: build_plan), without running.

    >>> m = GraphModel.from_graph(tf.get_default_graph())
    >>> m.ops["MatMul"].outputs[0].shape_text
    '?x512'
"""
import linecache
import re
import sys
from dataclasses import dataclass, field

__all__ = ["TensorInfo", "OpInfo", "VariableInfo", "GraphModel", "RunSet", "run_set", "resolve_run",
           "shape_text", "describe_frame", "attr_text", "LANES"]

LANES = ("main", "init", "save", "summary", "gradients")

_SAVE_TYPES = {"SaveV2", "RestoreV2", "Save", "SaveSlices", "Restore", "RestoreSlice", "MergeV2Checkpoints",
               "ShardedFilename", "ShardedFilespec"}
_SUMMARY_TYPES = {"ScalarSummary", "HistogramSummary", "ImageSummary", "AudioSummary", "AudioSummaryV2",
                  "MergeSummary", "TensorSummary", "TensorSummaryV2", "WriteSummary"}
_GRADIENT_SCOPE = re.compile(r"^gradients(_\d+)?$")
_SWITCH_TYPES = ("Switch", "RefSwitch")
_MERGE_TYPES = ("Merge", "RefMerge")
_SOURCE_KINDS = {"Placeholder": "placeholder", "PlaceholderWithDefault": "placeholder",
                 "VariableV2": "variable", "Variable": "variable", "VarHandleOp": "variable",
                 "Const": "constant"}


def shape_text(shape):
    """A static shape as the graph view writes it: (None, 784) -> '?x784', () -> 'scalar',
    None (unknown rank) -> '(unknown)'."""
    if shape is None:
        return "(unknown)"
    if len(shape) == 0:
        return "scalar"
    return "x".join("?" if d is None else str(d) for d in shape)


def attr_text(value, limit=80):
    """A short, plain-text rendering of an attribute value (DType, TensorShape, arrays, lists)."""
    name = getattr(value, "name", None)
    if type(value).__name__ == "DType" and isinstance(name, str):
        return name
    if type(value).__name__ == "TensorShape":
        dims = value.as_tuple() if hasattr(value, "as_tuple") else None
        return "<unknown>" if dims is None else "(%s)" % ", ".join("?" if d is None else str(d) for d in dims)
    shape = getattr(value, "shape", None)
    if shape is not None and hasattr(value, "dtype") and hasattr(value, "ravel"):
        flat = value.ravel()
        if flat.size <= 6:
            text = "%s %s" % (value.dtype, flat.tolist() if value.ndim else value.tolist())
        else:
            text = "%s %s [%s, ...]" % (value.dtype, tuple(shape), ", ".join(repr(v) for v in flat[:4].tolist()))
    elif isinstance(value, bytes):
        text = repr(value)
    else:
        text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


def describe_frame(frame):
    """'In[3], line 2: y = x * 2' inside a notebook, 'model.py:12: y = x * 2' elsewhere."""
    filename, lineno, _func = frame
    where = "%s:%d" % (filename, lineno)
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    fmt = getattr(getattr(shell, "compile", None), "format_code_name", None)
    if fmt is not None:
        try:
            named = fmt(filename)
        except Exception:  # noqa: BLE001 - an older IPython: fall back to the file name
            named = None
        if named:
            where = "%s, line %d" % (named[1], lineno)
    src = linecache.getline(filename, lineno).strip()
    return "%s: %s" % (where, src) if src else where


@dataclass(frozen=True)
class TensorInfo:
    """One op output: 'dense/MatMul:0', dtype name, static shape as a tuple (None when unknown)."""
    name: str
    op: str
    index: int
    dtype: str
    shape: tuple | None

    @property
    def shape_text(self):
        return shape_text(self.shape)


@dataclass
class OpInfo:
    """One operation, as plain data."""
    name: str
    type: str
    inputs: tuple           # tensor names
    control_inputs: tuple   # op names
    outputs: tuple          # TensorInfo
    device: str
    attrs: dict             # attr name -> short text
    frames: tuple           # (filename, lineno, function), innermost first: where the user created it
    index: int              # creation order
    kind: str = "op"        # placeholder | variable | constant | op
    lane: str = "main"      # one of LANES

    @property
    def where(self):
        """The user's line that created this op ('In[3], line 2: ...' in a notebook), or ''."""
        return describe_frame(self.frames[0]) if self.frames else ""


@dataclass
class VariableInfo:
    """One variable: its name ('dense/kernel'), shape, dtype, trainable flag, collections."""
    name: str
    shape: tuple | None
    dtype: str
    trainable: bool
    collections: tuple
    op: str
    initializer: str | None
    itemsize: int = 4

    @property
    def size(self):
        """The number of parameters (0 when the shape is not fully known)."""
        if self.shape is None or any(d is None for d in self.shape):
            return 0
        n = 1
        for d in self.shape:
            n *= d
        return n

    @property
    def nbytes(self):
        return self.size * self.itemsize


def _dims(shape):
    dims = shape.as_tuple() if hasattr(shape, "as_tuple") else None
    return None if dims is None else tuple(dims)


def _dtype_name(dtype):
    return getattr(dtype, "name", str(dtype))


def _itemsize(dtype):
    try:
        return int(dtype.base_dtype.size)
    except (AttributeError, TypeError, ValueError):
        return 4


@dataclass
class GraphModel:
    """A snapshot of a graph: ops in creation order, tensors, consumers, variables, collections."""
    ops: dict = field(default_factory=dict)          # name -> OpInfo, in creation order
    tensors: dict = field(default_factory=dict)      # name -> TensorInfo
    consumers: dict = field(default_factory=dict)    # op name -> [op names using its outputs or it as control]
    variables: list = field(default_factory=list)    # VariableInfo, in creation order
    collections: dict = field(default_factory=dict)  # key -> [item names]
    conditional: set = field(default_factory=set)    # op names that run only when their tf.cond branch is taken
    looped: set = field(default_factory=set)         # op names inside a tf.while_loop (they run once an iteration)
    skippable: dict = field(default_factory=dict)    # op name -> control inputs a run skips unless needed otherwise
    version: int = 0

    @classmethod
    def from_graph(cls, graph):
        """Read `graph` through its public API (get_operations, op.inputs, get_collection, ...)."""
        m = cls()
        ops = graph.get_operations()
        for i, op in enumerate(ops):
            outs = tuple(TensorInfo(t.name, op.name, t.value_index, _dtype_name(t.dtype), _dims(t.shape))
                         for t in op.outputs)
            info = OpInfo(name=op.name, type=op.type, inputs=tuple(t.name for t in op.inputs),
                          control_inputs=tuple(c.name for c in op.control_inputs), outputs=outs,
                          device=op.device or "", attrs={k: attr_text(v) for k, v in sorted(op.attrs.items())},
                          frames=tuple(op.traceback or ()), index=i, kind=_SOURCE_KINDS.get(op.type, "op"))
            m.ops[op.name] = info
            for t in outs:
                m.tensors[t.name] = t
            m.consumers.setdefault(op.name, [])
        for op in m.ops.values():
            for src in {m.tensors[t].op for t in op.inputs} | set(op.control_inputs):
                m.consumers.setdefault(src, []).append(op.name)
        m._read_collections(graph)
        m._find_looped(graph)
        m._find_skippable(graph)
        m._find_conditional()
        m._assign_lanes()
        m.version = graph.version
        return m

    # ---- collections and variables
    def _read_collections(self, graph):
        var_items = []
        for key in graph.get_all_collection_keys():
            items = graph.get_collection(key)
            names = []
            for item in items:
                name = getattr(item, "name", None)
                names.append(name if isinstance(name, str) else type(item).__name__)
            self.collections[str(key)] = names
        trainable = {id(v) for v in graph.get_collection("trainable_variables")}
        seen = set()
        for key in ("variables", "local_variables"):
            for v in graph.get_collection(key):
                if id(v) in seen or not hasattr(v, "initializer"):
                    continue
                seen.add(id(v))
                var_items.append(v)
        for v in sorted(var_items, key=lambda v: self.ops[v.op.name].index if v.op.name in self.ops else 0):
            colls = tuple(str(k) for k in graph.get_all_collection_keys()
                          if any(item is v for item in graph.get_collection(k)))
            init = getattr(v, "initializer", None)
            self.variables.append(VariableInfo(
                name=v.op.name, shape=_dims(v.shape), dtype=_dtype_name(v.dtype.base_dtype),
                trainable=id(v) in trainable, collections=colls, op=v.op.name,
                initializer=init.name if init is not None else None, itemsize=_itemsize(v.dtype)))

    # ---- tf.while_loop
    def _find_looped(self, graph):
        """The ops inside a loop's frame, found as the plans find them (tfmini/runtime/frames.py)."""
        from tfmini.runtime import frames
        self.looped = {op.name for op in graph.get_operations() if frames.in_loop(op)}

    def _find_skippable(self, graph):
        """Control inputs a run skips unless something else needs them, as the plans do (runtime/executor.py)."""
        from tfmini.runtime.executor import skippable_control_inputs
        for op in graph.get_operations():
            skip = skippable_control_inputs(op)
            if skip:
                self.skippable[op.name] = {c.name for c in skip}

    # ---- tf.cond
    def _find_conditional(self):
        """The ops downstream of a tf.cond's Switch (the ops of its branches and their gradients) up to the Merge
        that ends the cond: whether they run depends on the predicate, so a run may leave them without a value. (A
        loop's Switches, on its LoopCond, are not conds: its ops are `looped`.)"""
        switches = [name for name, op in self.ops.items() if op.type in _SWITCH_TYPES
                    and self.ops[self.tensors[op.inputs[1]].op].type != "LoopCond"]
        stack = [c for name in switches for c in self.consumers[name]]
        while stack:
            name = stack.pop()
            if name in self.conditional or self.ops[name].type in _MERGE_TYPES + ("Exit",):
                continue
            self.conditional.add(name)
            stack.extend(self.consumers[name])
        self.conditional |= set(switches)

    # ---- lanes
    def _assign_lanes(self):
        """Sort ops into lanes: what initializes, saves, summarizes or differentiates goes aside.

        An op joins a side lane when it is one of that lane's roots (a variable's initializer, a
        NoOp grouping initializers, a Save/Restore op's scope, a summary op, an op under
        `gradients/`), or when everything that uses it is in that lane.
        """
        ops = self.ops
        init_roots = {v.initializer for v in self.variables if v.initializer in ops}
        save_scopes = {op.name.split("/")[0] for op in ops.values() if op.type in _SAVE_TYPES}
        for op in ops.values():
            top = op.name.split("/")[0]
            if op.name in init_roots or op.type == "IsVariableInitialized":
                op.lane = "init"
            elif top in save_scopes:
                op.lane = "save"
            elif op.type in _SUMMARY_TYPES:
                op.lane = "summary"
            elif _GRADIENT_SCOPE.match(top):
                op.lane = "gradients"
            elif top.startswith("report_uninitialized_variables"):
                op.lane = "init"
        # a NoOp whose control inputs are all initializers is `init` (tf.global_variables_initializer)
        for op in ops.values():
            if op.type == "NoOp" and op.control_inputs and not op.inputs and \
                    all(ops[c].lane == "init" for c in op.control_inputs):
                op.lane = "init"
        # consumers come after their inputs: one pass backwards settles "only used by lane X"
        for op in reversed(list(ops.values())):
            if op.lane != "main" or op.kind in ("placeholder", "variable"):
                continue
            users = self.consumers.get(op.name, ())
            lanes = {ops[u].lane for u in users}
            if len(lanes) == 1 and "main" not in lanes:
                op.lane = lanes.pop()

    # ---- queries
    def producer(self, tensor_name):
        return self.ops[self.tensors[tensor_name].op]


# =========================================================================== what one sess.run executes
@dataclass
class RunSet:
    """What `sess.run(fetches, feed_dict)` would do: the ops it executes, the tensors fed, and the
    placeholders it needs that are not fed (the run would fail with 'You must feed a value')."""
    executed: set = field(default_factory=set)   # op names
    fed: set = field(default_factory=set)        # tensor names
    missing: list = field(default_factory=list)  # placeholder op names, in creation order
    fetched: set = field(default_factory=set)    # tensor and op names asked for


def run_set(model, fetch_names, feed_names=()):
    """The ops a run of `fetch_names` (tensor names 'x:0' or op names) executes given `feed_names`.

    The same walk as the session's plan: from the fetched tensors' producers and the target ops,
    through data inputs that are not fed and through control inputs (but a gradient gate's skippable ones).
    """
    feeds = set(feed_names)
    needed = set()
    stack = []
    for name in fetch_names:
        if name in model.tensors:
            if name not in feeds:
                stack.append(model.tensors[name].op)
        else:
            stack.append(name)
    while stack:
        name = stack.pop()
        if name in needed:
            continue
        needed.add(name)
        op = model.ops[name]
        for t in op.inputs:
            if t not in feeds and model.tensors[t].op not in needed:
                stack.append(model.tensors[t].op)
        skip = model.skippable.get(name, ())
        for c in op.control_inputs:
            if c not in needed and c not in skip:
                stack.append(c)
    missing = sorted((n for n in needed if model.ops[n].type == "Placeholder"), key=lambda n: model.ops[n].index)
    return RunSet(executed=needed, fed=feeds, missing=missing, fetched=set(fetch_names))


def _flatten(fetches):
    if isinstance(fetches, dict):
        for v in fetches.values():
            yield from _flatten(v)
    elif isinstance(fetches, (list, tuple)):
        for v in fetches:
            yield from _flatten(v)
    elif fetches is not None:
        yield fetches


def resolve_run(graph, fetches=None, feed_dict=None):
    """Names of the fetched elements and fed tensors of a would-be `sess.run(fetches, feed_dict)`.

    Fetches may nest lists, tuples, namedtuples and dicts of Tensors, Operations, Variables and
    names; resolution goes through `graph.as_graph_element`, so a foreign element raises its error.
    """
    fetch_names = []
    for f in _flatten(fetches):
        el = graph.as_graph_element(f, allow_tensor=True, allow_operation=True)
        fetch_names.append(el.name)
    feed_names = []
    for k in (feed_dict or {}):
        el = graph.as_graph_element(k, allow_tensor=True, allow_operation=False)
        feed_names.append(el.name)
    return fetch_names, feed_names
