"""Graph, Operation and Tensor: the static graph, its name scopes, collections and defaults."""
import contextlib
import os
import re
import sys
import threading

from . import dtypes
from .op_registry import INFERENCE_READS, InferenceError, get_op_def
from .tensor_shape import TensorShape, as_shape

__all__ = [
    "Graph", "Operation", "Tensor", "GraphKeys", "get_default_graph", "reset_default_graph",
    "name_scope", "control_dependencies", "device", "add_to_collection", "add_to_collections",
    "get_collection", "get_collection_ref", "convert_to_tensor", "register_tensor_conversion_function",
    "get_default_session", "op_scope", "colocate_with", "no_gradient", "NotDifferentiable",
]

_VALID_OP_NAME_REGEX = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\-/>]*$")
_VALID_SCOPE_NAME_REGEX = re.compile(r"^[A-Za-z0-9_.\-/>]*$")

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_SKIP_PREFIXES = (_PACKAGE_DIR + os.sep, os.path.dirname(contextlib.__file__) + os.sep + "contextlib.py")


def _user_frames(limit=6):
    """The innermost frames outside tfmini: where the learner's code created something.

    Returns a tuple of (filename, lineno, function) tuples, innermost first.
    """
    out = []
    f = sys._getframe(2)
    while f is not None and len(out) < limit:
        fn = f.f_code.co_filename
        if not fn.startswith(_SKIP_PREFIXES):
            out.append((fn, f.f_lineno, f.f_code.co_name))
        f = f.f_back
    return tuple(out)


def format_user_frame(frames):
    """`file.py:12` for the innermost user frame, as TF's `(defined at ...)` shows it."""
    if not frames:
        return "<unknown>"
    fn, line, _ = frames[0]
    return "%s:%d" % (fn, line)


def format_user_stack(frames, indent="  "):
    """The frames in traceback order (outermost first), with the source lines."""
    import linecache
    lines = []
    for fn, lineno, func in reversed(frames):
        lines.append('%sFile "%s", line %d, in %s' % (indent, fn, lineno, func))
        src = linecache.getline(fn, lineno).strip()
        if src:
            lines.append("%s  %s" % (indent, src))
    return "\n".join(lines)


# =========================================================================== GraphKeys
class GraphKeys:
    """Standard collection names (tf.GraphKeys)."""
    GLOBAL_VARIABLES = "variables"
    VARIABLES = GLOBAL_VARIABLES
    LOCAL_VARIABLES = "local_variables"
    METRIC_VARIABLES = "metric_variables"
    MODEL_VARIABLES = "model_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    SUMMARIES = "summaries"
    QUEUE_RUNNERS = "queue_runners"
    TABLE_INITIALIZERS = "table_initializer"
    ASSET_FILEPATHS = "asset_filepaths"
    MOVING_AVERAGE_VARIABLES = "moving_average_variables"
    REGULARIZATION_LOSSES = "regularization_losses"
    CONCATENATED_VARIABLES = "concatenated_variables"
    SAVERS = "savers"
    WEIGHTS = "weights"
    BIASES = "biases"
    ACTIVATIONS = "activations"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    SAVEABLE_OBJECTS = "saveable_objects"
    RESOURCES = "resources"
    LOCAL_RESOURCES = "local_resources"
    TRAINABLE_RESOURCE_VARIABLES = "trainable_resource_variables"
    INIT_OP = "init_op"
    LOCAL_INIT_OP = "local_init_op"
    READY_OP = "ready_op"
    READY_FOR_LOCAL_INIT_OP = "ready_for_local_init_op"
    SUMMARY_OP = "summary_op"
    GLOBAL_STEP = "global_step"
    EVAL_STEP = "eval_step"
    TRAIN_OP = "train_op"
    COND_CONTEXT = "cond_context"
    WHILE_CONTEXT = "while_context"


# =========================================================================== devices
_DEVICE_PART = re.compile(r"^(job|replica|task|device|cpu|gpu|CPU|GPU)?:?(.*)$")


def canonical_device(spec):
    """'/gpu:0' -> '/device:GPU:0'; merges nothing, keeps job/replica/task parts in TF order."""
    if not spec:
        return ""
    parts = {}
    for piece in spec.strip("/").split("/"):
        if not piece:
            continue
        key, _, rest = piece.partition(":")
        k = key.lower()
        if k in ("job", "replica", "task"):
            parts[k] = rest
        elif k in ("cpu", "gpu"):
            parts["device"] = "%s:%s" % (k.upper(), rest or "*")
        elif k == "device":
            dtype, _, idx = rest.partition(":")
            parts["device"] = "%s:%s" % (dtype.upper() if dtype.lower() in ("cpu", "gpu") else dtype, idx or "*")
        else:
            raise ValueError("Unknown attribute: '%s' in '%s'" % (key, spec))
    out = ""
    for k in ("job", "replica", "task", "device"):
        if k in parts:
            out += "/%s:%s" % (k, parts[k])
    return out


def _merge_device(outer, inner):
    """Inner fields override outer ones, as nested tf.device scopes do."""
    if not outer:
        return inner
    if not inner:
        return outer
    parts = {}
    for s in (outer, inner):
        for piece in s.strip("/").split("/"):
            k, _, v = piece.partition(":")
            parts[k] = v
    return "".join("/%s:%s" % (k, parts[k]) for k in ("job", "replica", "task", "device") if k in parts)


# =========================================================================== Tensor
class Tensor:
    """A symbolic handle to one output of an Operation; its value exists only inside `Session.run`.

    >>> tf.zeros((2, 2))
    <tf.Tensor 'zeros:0' shape=(2, 2) dtype=float32>
    """

    __slots__ = ("_op", "_value_index", "_dtype", "_shape", "_name", "__weakref__")

    # make numpy defer to our operators (`np.float32(2) * t` builds an op)
    __array_priority__ = 100

    def __init__(self, op, value_index, dtype, shape):
        self._op = op
        self._value_index = value_index
        self._dtype = dtype
        self._shape = shape
        self._name = None

    @property
    def op(self):
        return self._op

    @property
    def value_index(self):
        return self._value_index

    @property
    def dtype(self):
        return self._dtype

    @property
    def graph(self):
        return self._op._graph

    @property
    def name(self):
        n = self._name
        if n is None:
            n = self._name = "%s:%d" % (self._op._name, self._value_index)
        return n

    @property
    def device(self):
        return self._op.device

    @property
    def shape(self):
        return self._shape

    def get_shape(self):
        return self._shape

    def set_shape(self, shape):
        """Refine the static shape; raises ValueError (TF's shape-merge wording) if `shape` is incompatible."""
        shape = as_shape(shape)
        old, new = self._shape.as_tuple(), shape.as_tuple()
        if old is not None and new is not None:
            if len(old) != len(new):
                raise ValueError("Shapes must be equal rank, but are %d and %d" % (len(old), len(new)))
            for i, (a, b) in enumerate(zip(old, new)):
                if a is not None and b is not None and a != b:
                    raise ValueError("Dimension %d in both shapes must be equal, but are %d and %d. Shapes are "
                                     "%s and %s." % (i, a, b, _shape_for_msg(self._shape), _shape_for_msg(shape)))
        self._shape = self._shape.merge_with(shape)

    def consumers(self):
        return [op for op in self._op._graph._ops
                if any(t is self for t in op._inputs)]

    def eval(self, feed_dict=None, session=None):
        """The value of this tensor in `session` (default: the default session)."""
        return _eval_using_default_session(self, feed_dict, self.graph, session)

    def _as_node_def_input(self):
        return self._op._name if self._value_index == 0 else self.name

    # ---- printing
    def __str__(self):
        shape = "" if self._shape.ndims is None else ", shape=%s" % self._shape
        device = ", device=%s" % self.device if self.device else ""
        return 'Tensor("%s"%s, dtype=%s%s)' % (self.name, shape, self._dtype.name, device)

    def __repr__(self):
        return "<tf.Tensor '%s' shape=%s dtype=%s>" % (self.name, self._shape, self._dtype.name)

    # ---- Python protocols TF forbids on symbolic tensors
    def __bool__(self):
        raise TypeError("Using a `tf.Tensor` as a Python `bool` is not allowed. Use `if t is not None:` "
                        "instead of `if t:` to test if a tensor is defined, and use TensorFlow ops such "
                        "as tf.cond to execute subgraphs conditioned on the value of a tensor.")

    def __iter__(self):
        raise TypeError("Tensor objects are only iterable when eager execution is enabled. To iterate "
                        "over this tensor use tf.map_fn.")

    def __len__(self):
        raise TypeError("len is not well defined for symbolic Tensors. (%s) Please call `x.shape` rather "
                        "than `len(x)` for shape information." % self.name)

    def __array__(self, dtype=None, copy=None):
        raise NotImplementedError("Cannot convert a symbolic Tensor (%s) to a numpy array. (Run it in a "
                                  "Session: `sess.run(t)` returns a numpy array.)" % self.name)

    def __index__(self):
        raise TypeError("Tensor %s cannot be used as a Python index; run it in a Session first." % self.name)

    __hash__ = object.__hash__
    # __eq__ stays identity, as in TF1 (tf.equal compares values).

    @staticmethod
    def _override_operator(operator, func):
        setattr(Tensor, operator, func)


# =========================================================================== loops' values
def _output_context(op):
    ctx = op._control_flow_context
    return ctx._outer_context if ctx is not None and op._type == "Exit" else ctx


def _is_containing_context(ctx, maybe_containing):
    """Whether `maybe_containing` is or contains `ctx` (TF's IsContainingContext)."""
    while ctx is not maybe_containing:
        if ctx is None:
            return False
        ctx = ctx._outer_context
    return True


def _check_input_context(name, op_type, op_ctx, input_op):
    """TF's ValueError for an op made outside a loop (or in another loop) on a value made inside it, which exists
    once per iteration (TF's CheckInputFromValidContext; a loop's gradient reads its forward loop's values)."""
    input_ctx = _output_context(input_op)
    if input_ctx is None or input_ctx is op_ctx:
        return
    while_ctx = op_ctx.GetWhileContext() if op_ctx is not None else None
    input_while = input_ctx.GetWhileContext()
    if while_ctx is None:
        if input_while is None or op_type in ("Enter", "RefEnter", "Switch", "RefSwitch"):
            return
        raise ValueError("Cannot use '%s' as input to '%s' because '%s' is in a while loop. (A value made in a "
                         "tf.while_loop's body exists once per iteration: return it from the body as a loop variable "
                         "and use the loop's result.)" % (input_op.name, name, input_op.name))
    grad = while_ctx.grad_state
    input_grad = input_while.grad_state if input_while is not None else None
    if (_is_containing_context(while_ctx, input_while)
            or (grad is not None and (_is_containing_context(grad.forward_context, input_while)
                                      or (input_while is not None
                                          and grad.forward_context is input_while._outer_context)))
            or (input_grad is not None and (input_grad.forward_context is while_ctx
                                            or (input_grad.forward_context.grad_state is not None and
                                                input_grad.forward_context.grad_state.forward_context
                                                is while_ctx)))):
        return
    raise ValueError("Cannot use '%s' as input to '%s' because they are in different while loops. (A value made in "
                     "a tf.while_loop's body exists once per iteration: return it from the body as a loop variable "
                     "and use the loop's result.)" % (input_op.name, name))


# =========================================================================== Operation
class Operation:
    """A node of the graph: an op type applied to input Tensors, with attributes and outputs."""

    __slots__ = ("_graph", "_name", "_type", "_inputs", "_outputs", "_control_inputs", "_attrs",
                 "_device", "_id", "_traceback", "_op_def", "_gradient_override", "_control_flow_context",
                 "__weakref__")

    def __init__(self, graph, name, op_type, inputs, attrs, control_inputs, device, traceback):
        self._graph = graph
        self._name = name
        self._type = op_type
        self._inputs = tuple(inputs)
        self._attrs = dict(attrs)
        self._control_inputs = list(control_inputs)
        self._device = device
        self._traceback = traceback
        self._outputs = ()
        self._id = None
        self._op_def = get_op_def(op_type)
        self._gradient_override = None  # a RegisterGradient name from gradient_override_map
        self._control_flow_context = None  # the tf.cond branch (CondContext) the op was built in

    def _get_control_flow_context(self):
        return self._control_flow_context

    def _set_control_flow_context(self, ctx):
        self._control_flow_context = ctx

    @property
    def name(self):
        return self._name

    @property
    def type(self):
        return self._type

    @property
    def graph(self):
        return self._graph

    @property
    def inputs(self):
        return self._inputs

    @property
    def outputs(self):
        return list(self._outputs)

    @property
    def control_inputs(self):
        return list(self._control_inputs)

    @property
    def device(self):
        return self._device

    @property
    def attrs(self):
        return dict(self._attrs)

    @property
    def traceback(self):
        """(filename, lineno, function) frames of the user's code that created this op, innermost first."""
        return self._traceback

    @property
    def node_def(self):
        """This op as TF's NodeDef message (`.name`, `.op`, `.input`, `.attr["dtype"].type`) when protobuf is
        installed (tfmini[tensorboard], part of the lab), else the same fields in the dict form of tfmini/io/proto."""
        from . import graph_io, messages
        node = graph_io._node_def(self, False, False)
        if not messages.available():
            return node
        from ..io import proto
        return messages.from_bytes("NodeDef", proto.encode(proto.NODE_DEF, node))

    def get_attr(self, name):
        try:
            return self._attrs[name]
        except KeyError:
            raise ValueError("Operation '%s' has no attr named '%s'." % (self._name, name)) from None

    def values(self):
        return tuple(self._outputs)

    def _add_control_input(self, op):
        self._graph._check_not_finalized()
        if op not in self._control_inputs:
            self._control_inputs.append(op)
            self._graph._version += 1

    def _add_control_inputs(self, ops):
        for op in ops:
            self._add_control_input(op)

    def _update_input(self, index, tensor):
        """Make input `index` read `tensor` instead (a loop's Merge gets its NextIteration this way, after the body
        that computes it); the dtypes must agree."""
        self._graph._check_not_finalized()
        old = self._inputs[index]
        if tensor._dtype != old._dtype:
            raise TypeError("Input %d of node %s was passed %s from %s incompatible with expected %s."
                            % (index, self._name, tensor._dtype.name, tensor.name, old._dtype.name))
        inputs = list(self._inputs)
        inputs[index] = tensor
        self._inputs = tuple(inputs)
        self._graph._version += 1

    def run(self, feed_dict=None, session=None):
        """Run this op in `session` (default: the default session)."""
        _eval_using_default_session(self, feed_dict, self._graph, session)

    def __repr__(self):
        return "<tf.Operation '%s' type=%s>" % (self._name, self._type)

    def __str__(self):
        """The NodeDef in protobuf's text format, as TF prints an op (a plainer listing without protobuf)."""
        from . import messages
        if messages.available():
            from google.protobuf import text_format
            return text_format.MessageToString(self.node_def)
        lines = ['name: "%s"' % self._name, 'op: "%s"' % self._type]
        lines += ['input: "%s"' % t._as_node_def_input() for t in self._inputs]
        lines += ['input: "^%s"' % c._name for c in self._control_inputs]
        if self._device:
            lines.append('device: "%s"' % self._device)
        for k in sorted(self._attrs):
            lines.append("attr { key: %r value: %r }" % (k, self._attrs[k]))
        return "\n".join(lines)


# =========================================================================== Graph
class _ControlDependenciesController:
    """One `control_dependencies` level: its control inputs and the ops created inside it."""

    def __init__(self, graph, control_inputs):
        self._graph = graph
        self.control_inputs = control_inputs  # None clears the stack
        self._seen = set()
        self._old_stack = None
        self._old_context = None

    def __enter__(self):
        if self.control_inputs is None:
            # as TF: `control_dependencies(None)` also leaves any tf.cond branch (variables are made outside)
            self._old_stack = self._graph._control_dependencies_stack
            self._graph._control_dependencies_stack = []
            self._old_context = self._graph._control_flow_context
            self._graph._control_flow_context = None
        self._graph._control_dependencies_stack.append(self)
        return None

    def __exit__(self, *exc):
        self._graph._control_dependencies_stack.pop()
        if self._old_stack is not None:
            self._graph._control_dependencies_stack = self._old_stack
            self._graph._control_flow_context = self._old_context
        return False


class Graph:
    """A TensorFlow computation: operations in creation order, name scopes, collections.

    A Graph only describes a computation; values live in a `Session`.
    """

    def __init__(self):
        self._ops = []
        self._nodes_by_name = {}
        self._names_in_use = {}
        self._name_stack = ""
        self._collections = {}
        self._control_dependencies_stack = []
        self._reduced_shape_cache = {}  # (shape, axes) -> the Sum gradient's kept shape and tiling (math_ops)
        self._gate_skippable = {}  # tf.gradients' gate NoOp -> its control inputs a plan may skip (control_flow_ops)
        self._device_stack = []
        self._finalized = False
        self._version = 0  # bumped whenever existing ops change (plans depend on it)
        self._seed = None
        self._last_id = 0
        self._variable_store = None  # used by variable_scope.get_variable
        self._variable_scope_stack = None
        self._colocation_stack = []
        self._gradient_override_map = {}
        self._lock = threading.RLock()
        self._reset_message = None  # set by mark_reset (tfmini.widgets' notebook reset)
        self._control_flow_context = None  # the tf.cond branch or tf.while_loop being built (ops/control_flow_ops)
        self._unfetchable_ops = set()  # ops inside a cond's branches or a loop: they may not run (prevent_fetching)
        self._unfeedable_tensors = set()  # a loop's values: each iteration makes its own (prevent_feeding)

    # ---- ops
    def create_op(self, op_type, inputs, attrs=None, name=None, dtypes=None, input_types=None):
        """Create an Operation of `op_type` (registered) on `inputs`; returns the Operation.

        The name is made unique in the current name scope; a name ending in '/' is used as is.
        Output dtypes and static shapes come from the op's inference rule.
        """
        self._check_not_finalized()
        if self._reset_message is not None:
            raise ValueError(self.reset_note(inputs[0] if inputs else None))
        for t in inputs:
            if not isinstance(t, Tensor):
                raise TypeError("Input #%d is not a tensor: %r" % (list(inputs).index(t), t))
            if t._op._graph is not self:
                raise ValueError(t._op._graph.reset_note(t) or "%s must be from the same graph as the op being "
                                 "created in %s." % (t, self._describe()))
        if name is None:
            name = op_type
        if name and name[-1] == "/":
            name = name[:-1]
        else:
            self._check_op_name(name)
            name = self.unique_name(name)
        attrs = attrs or {}
        control = self._control_inputs_for([t._op for t in inputs])
        ctx = self._control_flow_context
        if ctx is not None:
            ctx = ctx._context_for(op_type, inputs)
        for t in inputs:  # (before a branch or loop brings its inputs in: TF checks the inputs as given)
            if t._op._control_flow_context is not None:
                _check_input_context(name, op_type, ctx, t._op)
        if ctx is not None:  # inside a tf.cond branch or a loop: values from outside come in through a Switch/Enter
            inputs, control = ctx._inputs_for(name, inputs, control)
        device = self._device_stack[-1] if self._device_stack else ""
        op = Operation(self, name, op_type, inputs, attrs, control, device, _user_frames())
        if self._gradient_override_map:
            op._gradient_override = self._gradient_override_map.get(op_type)
        op._outputs = tuple(self._infer(op))
        with self._lock:
            self._last_id += 1
            op._id = self._last_id
            self._ops.append(op)
            self._nodes_by_name[name] = op
        for c in self._control_dependencies_stack:
            c._seen.add(op)
        if ctx is not None:
            ctx._add_op(op)
        return op

    def _infer(self, op):
        d = op._op_def
        saved = INFERENCE_READS.reads
        INFERENCE_READS.reads = reads = []
        try:
            spec = d.infer(*op._inputs, **op._attrs)
        except InferenceError as e:
            shapes = ", ".join(_shape_for_msg(t._shape) for t in op._inputs)
            raise ValueError("%s for '%s' (op: '%s') with input shapes: %s%s." % (e, op._name, op._type, shapes,
                                                                                _inputs_read(op, reads))) from None
        finally:
            INFERENCE_READS.reads = saved
        if isinstance(spec, tuple):
            spec = [spec]
        return [Tensor(op, i, dt, s if isinstance(s, TensorShape) else TensorShape(s))
                for i, (dt, s) in enumerate(spec)]

    def _control_inputs_for(self, input_ops):
        ret = []
        for controller in self._control_dependencies_stack:
            if controller.control_inputs is None:
                continue
            if any(op in controller._seen for op in input_ops):
                continue
            for c in controller.control_inputs:
                if c not in input_ops and c not in ret:
                    ret.append(c)
        return ret

    def _check_op_name(self, name):
        full = self._name_stack + "/" + name if self._name_stack else name
        if not name or not _VALID_OP_NAME_REGEX.match(full):
            raise ValueError("'%s' is not a valid node name" % full)

    def get_operations(self):
        return list(self._ops)

    def as_graph_def(self, from_version=None, add_shapes=False):
        """This graph as a GraphDef protocol buffer with TF's op names and attributes (what
        TensorBoard draws); needs protobuf (pip install tfmini[tensorboard]). See framework/graph_io.py."""
        from .graph_io import as_graph_def
        return as_graph_def(self, from_version, add_shapes)

    def get_operation_by_name(self, name):
        if not isinstance(name, str):
            raise TypeError("Operation names are strings (or similar), not %s." % type(name).__name__)
        return self.as_graph_element(name, allow_tensor=False, allow_operation=True)

    def get_tensor_by_name(self, name):
        if not isinstance(name, str):
            raise TypeError("Tensor names are strings (or similar), not %s." % type(name).__name__)
        return self.as_graph_element(name, allow_tensor=True, allow_operation=False)

    def as_graph_element(self, obj, allow_tensor=True, allow_operation=True):
        """Resolve a Tensor, Operation, or their names ('op', 'op:0') to an element of this graph."""
        if allow_tensor and allow_operation:
            types_str = "Tensor or Operation"
        elif allow_tensor:
            types_str = "Tensor"
        else:
            types_str = "Operation"
        conv = getattr(obj, "_as_graph_element", None)
        if conv is not None and not isinstance(obj, (Tensor, Operation)):
            obj = conv()
        if isinstance(obj, str):
            name = obj
            if ":" in name and allow_tensor:
                try:
                    op_name, out_n = name.split(":")
                    out_n = int(out_n)
                except ValueError:
                    raise ValueError("The name %s looks a like a Tensor name, but is not a valid one. "
                                     "Tensor names must be of the form \"<op_name>:<output_index>\"." % repr(name)) from None
                op = self._nodes_by_name.get(op_name)
                if op is None:
                    raise KeyError("The name %s refers to a Tensor which does not exist. The operation, %s, "
                                   "does not exist in the graph." % (repr(name), repr(op_name)))
                if out_n >= len(op._outputs):
                    raise KeyError("The name %s refers to a Tensor which does not exist. The operation, %s, "
                                   "exists but only has %s outputs." % (repr(name), repr(op_name), len(op._outputs)))
                return op._outputs[out_n]
            if ":" in name and not allow_tensor:
                raise ValueError("Name %s appears to refer to a Tensor, not a %s." % (repr(name), types_str))
            if ":" not in name and allow_operation:
                op = self._nodes_by_name.get(name)
                if op is None:
                    raise KeyError("The name %s refers to an Operation not in the graph." % repr(name))
                return op
            if ":" not in name and not allow_operation:
                if name in self._nodes_by_name:
                    raise ValueError("The name %s refers to an Operation, not a %s. Tensor names must be of "
                                     "the form \"<op_name>:<output_index>\"." % (repr(name), types_str))
                raise ValueError("The name %s looks like an (invalid) Operation name, not a %s. Tensor names "
                                 "must be of the form \"<op_name>:<output_index>\"." % (repr(name), types_str))
        if isinstance(obj, Tensor) and allow_tensor:
            if obj.graph is not self:
                raise ValueError(obj.graph.reset_note(obj) or "Tensor %s is not an element of this graph." % obj)
            return obj
        if isinstance(obj, Operation) and allow_operation:
            if obj.graph is not self:
                raise ValueError(obj.graph.reset_note(obj) or "Operation %s is not an element of this graph." % obj)
            return obj
        raise TypeError("Can not convert a %s into a %s." % (type(obj).__name__, types_str))

    def is_feedable(self, tensor):
        """False for the values inside a tf.while_loop (and its Enters): each iteration makes its own."""
        return tensor not in self._unfeedable_tensors

    def prevent_feeding(self, tensor):
        """Mark `tensor` as not feedable (TF's rule for the values of a tf.while_loop)."""
        self._unfeedable_tensors.add(tensor)

    def is_fetchable(self, tensor_or_op):
        """False for the ops inside a tf.cond's branches (and its Switches), which run only when their branch is
        taken, and inside a tf.while_loop, which run once an iteration: a run fetches the cond's or loop's result."""
        op = tensor_or_op._op if isinstance(tensor_or_op, Tensor) else tensor_or_op
        return op not in self._unfetchable_ops

    def prevent_fetching(self, op):
        """Mark `op` as not fetchable (TF's rule for the ops a tf.cond builds inside its branches)."""
        self._unfetchable_ops.add(op)

    @property
    def version(self):
        return self._last_id

    @property
    def seed(self):
        return self._seed

    @seed.setter
    def seed(self, seed):
        self._seed = seed

    @property
    def finalized(self):
        return self._finalized

    def finalize(self):
        """Make this graph read-only: adding an op afterwards raises RuntimeError."""
        self._finalized = True

    def _unsafe_unfinalize(self):
        self._finalized = False

    def _check_not_finalized(self):
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")

    def _describe(self):
        return "this graph" if self is get_default_graph() else "another graph"

    # ---- reset by a notebook
    def mark_reset(self, message):
        """Record that a notebook reset replaced this graph (tfmini.widgets' reset calls this).

        Afterwards, adding ops to this graph, or using one of its tensors or operations with
        another graph or session, raises an error that says so, instead of TF's bare "is not an
        element of this graph". `message` is a string, or a function of the element used (Tensor,
        Operation, Variable or None) that returns the whole explanation.
        """
        self._reset_message = message

    @property
    def is_reset(self):
        """True after `mark_reset`: this graph was replaced by a notebook reset."""
        return self._reset_message is not None

    def reset_note(self, element=None):
        """Why `element` (of this graph) can no longer be used, if this graph was reset; else None."""
        msg = self._reset_message
        if msg is None:
            return None
        if callable(msg):
            return msg(element)
        if element is None:
            return "This graph was reset: %s" % msg
        return "%s '%s' belongs to a graph that was reset: %s" % (type(element).__name__, element.name, msg)

    # ---- names
    def get_name_scope(self):
        return self._name_stack

    def unique_name(self, name, mark_as_used=True):
        """`name` prefixed with the current name scope and made unique, case-insensitively, as TF does."""
        if self._name_stack:
            name = self._name_stack + "/" + name
        name_key = name.lower()
        i = self._names_in_use.get(name_key, 0)
        if mark_as_used:
            self._names_in_use[name_key] = i + 1
        if i > 0:
            base_name_key = name_key
            while name_key in self._names_in_use:
                name_key = "%s_%d" % (base_name_key, i)
                i += 1
            if mark_as_used:
                self._names_in_use[name_key] = 1
            name = "%s_%d" % (name, i - 1)
        return name

    @contextlib.contextmanager
    def name_scope(self, name):
        """Open a name scope; yields its name with a trailing '/'.

        None or '' returns to the top level; a name ending in '/' re-enters that exact scope.
        """
        if name:
            if not isinstance(name, str):
                raise TypeError("name for name_scope must be a string, got %r" % (name,))
            if self._name_stack:
                if not _VALID_SCOPE_NAME_REGEX.match(name):
                    raise ValueError("'%s' is not a valid scope name" % name)
            elif not _VALID_OP_NAME_REGEX.match(name):
                raise ValueError("'%s' is not a valid scope name" % name)
        old_stack = self._name_stack
        try:
            if not name:
                new_stack = ""
                returned = ""
            elif name[-1] == "/":
                new_stack = name[:-1]
                returned = name
            else:
                new_stack = self.unique_name(name)
                returned = new_stack + "/"
            self._name_stack = new_stack
            yield returned
        finally:
            self._name_stack = old_stack

    # ---- collections
    def add_to_collection(self, name, value):
        self._check_not_finalized()
        self._collections.setdefault(name, []).append(value)

    def add_to_collections(self, names, value):
        names = (names,) if isinstance(names, str) else set(names)
        for n in names:
            self.add_to_collection(n, value)

    def get_collection_ref(self, name):
        return self._collections.setdefault(name, [])

    def get_collection(self, name, scope=None):
        """A copy of collection `name`; with `scope`, items whose name matches it as a regex from the start."""
        coll = self._collections.get(name)
        if coll is None:
            return []
        if scope is None:
            return list(coll)
        c = []
        regex = re.compile(scope)
        for item in coll:
            try:
                if regex.match(item.name):
                    c.append(item)
            except AttributeError:
                pass
        return c

    def get_all_collection_keys(self):
        return [k for k, v in self._collections.items() if v]

    def clear_collection(self, name):
        self._check_not_finalized()
        self._collections.pop(name, None)

    @property
    def collections(self):
        return list(self._collections)

    # ---- context managers
    def as_default(self):
        return _default_graph_stack.get_controller(self)

    def control_dependencies(self, control_inputs):
        """Ops created inside run only after `control_inputs` (ops or tensors); None clears."""
        if control_inputs is None:
            return _ControlDependenciesController(self, None)
        ops = []
        # an op already a control input of an enclosing block is not added again (TF's rule)
        current = {c for ctl in self._control_dependencies_stack for c in (ctl.control_inputs or ())}
        for c in control_inputs:
            if not isinstance(c, (Tensor, Operation)):
                try:  # names ('init', 'x:0') and Variables resolve as TF's as_graph_element does
                    c = self.as_graph_element(c)
                except TypeError:
                    raise TypeError("Control input must be Operation or Tensor: %s" % (c,)) from None
            elif c.graph is not self:
                self.as_graph_element(c)  # TF's ValueError: '... is not an element of this graph.'
            if isinstance(c, Tensor):
                c = c.op
            if c not in current:
                ops.append(c)
                current.add(c)
        return _ControlDependenciesController(self, ops)

    @contextlib.contextmanager
    def device(self, device_name_or_function):
        if callable(device_name_or_function):
            raise NotImplementedError("device functions are not supported by tfmini; use a device string")
        spec = canonical_device(device_name_or_function) if device_name_or_function else ""
        outer = self._device_stack[-1] if self._device_stack else ""
        self._device_stack.append(_merge_device(outer, spec) if device_name_or_function is not None else "")
        try:
            yield
        finally:
            self._device_stack.pop()

    @contextlib.contextmanager
    def colocate_with(self, op, ignore_existing=False):
        yield

    @contextlib.contextmanager
    def gradient_override_map(self, op_type_map):
        old = dict(self._gradient_override_map)
        self._gradient_override_map.update(op_type_map)
        try:
            yield
        finally:
            self._gradient_override_map = old

    def __repr__(self):
        return "<tfmini.Graph with %d ops at 0x%x>" % (len(self._ops), id(self))


def _inputs_read(op, reads):
    """TF's InferenceContext error context: the input values the shape function read, by input index."""
    values, shapes = {}, {}
    for kind, t, v in reads:
        for i, x in enumerate(op._inputs):
            if x is t:
                if kind == "shape":
                    if v.ndims is not None:
                        shapes[i] = _shape_for_msg(v)
                else:
                    values.setdefault(i, _summarize(v))
                break
    out = ""
    tensors = ["input[%d] = <%s>" % (i, values[i]) for i in sorted(values) if i not in shapes]
    if tensors:
        out += " and with computed input tensors: " + ", ".join(tensors)
    if shapes:
        out += " and with input tensors computed as partial shapes: " + ",".join(
            "input[%d] = %s" % (i, shapes[i]) for i in sorted(shapes))
    return out


def _summarize(value, max_entries=256):
    """Tensor::SummarizeValue: the entries, space-separated, each row of a matrix (or deeper) in brackets
    ([[0, 1], [2, 3]] reads '[0 1][2 3]'), '...' past `max_entries`."""
    import numpy as np
    arr = np.asarray(value)

    def one(x):
        return x.decode(errors="replace") if isinstance(x, bytes) else str(x)

    if arr.ndim <= 1 or arr.size > max_entries:
        flat = arr.reshape(-1)
        return " ".join(one(x) for x in flat[:max_entries].tolist()) + ("..." if flat.size > max_entries else "")

    def rows(a):
        return " ".join(one(x) for x in a.tolist()) if a.ndim == 1 else "".join("[%s]" % rows(r) for r in a)
    return rows(arr)


def _shape_for_msg(shape):
    if shape.ndims is None:
        return "?"
    return "[%s]" % ",".join("?" if d is None else str(d) for d in shape.as_tuple())


# =========================================================================== default graph / session stacks
class _DefaultStack(threading.local):
    def __init__(self):
        super().__init__()
        self.stack = []

    def get_default(self):
        return self.stack[-1] if self.stack else None

    def reset(self):
        self.stack = []

    def is_cleared(self):
        return not self.stack

    @contextlib.contextmanager
    def get_controller(self, default):
        self.stack.append(default)
        try:
            yield default
        finally:
            # the stack may have been changed by reset_default_graph inside the block
            if self.stack and self.stack[-1] is default:
                self.stack.pop()
            elif default in self.stack:
                self.stack.remove(default)


class _DefaultGraphStack(_DefaultStack):
    def __init__(self):
        super().__init__()
        self._global_default_graph = None

    def get_default(self):
        if self.stack:
            return self.stack[-1]
        if self._global_default_graph is None:
            self._global_default_graph = Graph()
        return self._global_default_graph

    def reset(self):
        super().reset()
        self._global_default_graph = None


_default_graph_stack = _DefaultGraphStack()
_default_session_stack = _DefaultStack()


def get_default_graph():
    """The graph new ops go to: the innermost `with g.as_default()`, else the global default graph."""
    return _default_graph_stack.get_default()


_reset_hooks = []  # called with the replaced graph; client/session.py frees its GPU sessions' memory


def reset_default_graph():
    """Clear the default graph stack and start a new, empty global default graph."""
    if not _default_graph_stack.is_cleared():
        raise AssertionError("Do not use tf.reset_default_graph() to clear nested graphs. If you need a "
                             "cleared graph, exit the nesting and create a new graph.")
    old = _default_graph_stack._global_default_graph
    _default_graph_stack.reset()
    if old is not None:
        for hook in _reset_hooks:
            hook(old)


def get_default_session():
    """The innermost session made default by `with sess:` / `sess.as_default()`, or None."""
    return _default_session_stack.get_default()


def _eval_using_default_session(fetches, feed_dict, graph, session=None):
    if session is None:
        session = get_default_session()
        what = "tensor" if isinstance(fetches, Tensor) else "operation"
        if session is None:
            if what == "tensor":
                raise ValueError("Cannot evaluate tensor using `eval()`: No default session is registered. "
                                 "Use `with sess.as_default()` or pass an explicit session to `eval(session=sess)`")
            raise ValueError("Cannot execute operation using `run()`: No default session is registered. "
                             "Use `with sess.as_default():` or pass an explicit session to `run(session=sess)`")
        if session.graph is not graph:
            if graph.is_reset:
                raise ValueError(graph.reset_note(fetches))
            if what == "tensor":
                raise ValueError("Cannot use the default session to evaluate tensor: the tensor's graph is "
                                 "different from the session's graph. Pass an explicit session to "
                                 "`eval(session=sess)`.")
            raise ValueError("Cannot use the default session to execute operation: the operation's graph is "
                             "different from the session's graph. Pass an explicit session to "
                             "run(session=sess).")
    elif session.graph is not graph:
        what = "tensor" if isinstance(fetches, Tensor) else "operation"
        raise ValueError("Cannot use the given session to %s: the %s's graph is different from the session's "
                         "graph." % ("evaluate tensor" if what == "tensor" else "execute operation", what))
    return session.run(fetches, feed_dict)


# =========================================================================== module-level helpers
def _graph_from_inputs(values):
    """The graph of the first graph element in `values`; all must share it (TF's rule)."""
    graph = None
    first = None
    current = get_default_graph()
    outer = getattr(current, "outer_graph", None)  # a function's graph (func_graph.py) captures its outer graphs'
    for v in values:
        g = None
        if isinstance(v, (Tensor, Operation)):
            g = v.graph
        elif hasattr(v, "_as_graph_element") and not isinstance(v, type):
            el = v._as_graph_element()
            g = el.graph if el is not None else None
        if g is None:
            continue
        if outer is not None and g is not current and _encloses(g, current):
            g = current
        if graph is None:
            graph, first = g, v
        elif g is not graph:
            note = graph.reset_note(first) or g.reset_note(v)
            raise ValueError(note or "%s must be from the same graph as %s." % (v, first))
    return graph if graph is not None else get_default_graph()


def _encloses(g, func_graph):
    """Whether `g` is a graph that `func_graph` (a function's) is built inside of."""
    while func_graph is not None:
        func_graph = getattr(func_graph, "outer_graph", None)
        if func_graph is g:
            return True
    return False


@contextlib.contextmanager
def name_scope(name, default_name=None, values=None):
    """tf.name_scope(name, default_name=None, values=None): open a name scope in the inputs' graph.

    `name` None uses `default_name` (made unique); both None returns to the top level.
    """
    n = default_name if name is None else name
    if n is None and values is not None:
        # tf.name_scope(None) alone is the idiom for "back to the top level"; with values it is a mistake
        raise ValueError("At least one of name (%s) and default_name (%s) must be provided."
                         % (name, default_name))
    if values is None:
        values = []
    g = _graph_from_inputs(values)
    with g.as_default(), g.name_scope(n) as scope:
        yield scope


def op_scope(values, name, default_name=None):
    return name_scope(name, default_name, values)


def control_dependencies(control_inputs):
    return get_default_graph().control_dependencies(control_inputs)


def device(device_name_or_function):
    return get_default_graph().device(device_name_or_function)


def colocate_with(op, ignore_existing=False):
    return get_default_graph().colocate_with(op, ignore_existing)


def add_to_collection(name, value):
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names, value):
    get_default_graph().add_to_collections(names, value)


def get_collection(key, scope=None):
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key):
    return get_default_graph().get_collection_ref(key)


# =========================================================================== tensor conversion
_conversion_funcs = []  # (base_type, fn(value, dtype, name, as_ref))


def register_tensor_conversion_function(base_type, conversion_func, priority=100):
    _conversion_funcs.append((base_type, conversion_func))


def convert_to_tensor(value, dtype=None, name=None, preferred_dtype=None, as_ref=False, dtype_hint=None):
    """Turn `value` (Tensor, Variable, numpy array, Python number or list) into a Tensor.

    A Tensor of another dtype than `dtype` raises ValueError, as in TF.
    """
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    preferred_dtype = preferred_dtype or dtype_hint
    if isinstance(value, Tensor):
        if dtype is not None and not dtype.is_compatible_with(value.dtype):
            raise ValueError("Tensor conversion requested dtype %s for Tensor with dtype %s: %r"
                             % (dtype.name, value.dtype.name, value))
        return value
    for base_type, fn in _conversion_funcs:
        if isinstance(value, base_type):
            ret = fn(value, dtype=dtype, name=name, as_ref=as_ref)
            if ret is NotImplemented:
                continue
            if dtype is not None and not dtype.is_compatible_with(ret.dtype):
                raise ValueError("Tensor conversion requested dtype %s for Tensor with dtype %s: %r"
                                 % (dtype.name, ret.dtype.name, ret))
            return ret
    if isinstance(value, Operation):
        raise TypeError("Can't convert Operation '%s' to Tensor (target dtype=%s, name=%s, as_ref=%s)"
                        % (value.name, dtype, name, as_ref))
    from ..ops import constant_op  # the one conversion every value falls back to
    if dtype is None and preferred_dtype is not None:
        try:
            return constant_op.constant(value, dtype=preferred_dtype, name=name or "Const")
        except (TypeError, ValueError):
            pass
    return constant_op.constant(value, dtype=dtype, name=name or "Const")


class _GradientRegistry:
    pass


# collection key -> (to_proto(value, export_scope) -> bytes or None, from_proto(bytes, rename) -> value, `rename`
# mapping a name in the file to the imported graph's): how
# MetaGraphDef export and import write the values of a collection that are neither names nor numbers
_PROTO_FUNCTIONS = {}


def register_proto_function(collection_name, to_proto=None, from_proto=None):
    """Declare how the values of `collection_name` are written to a MetaGraphDef and read back (TF's function)."""
    _PROTO_FUNCTIONS[collection_name] = (to_proto, from_proto)


def get_to_proto_function(collection_name):
    return _PROTO_FUNCTIONS.get(collection_name, (None, None))[0]


def get_from_proto_function(collection_name):
    return _PROTO_FUNCTIONS.get(collection_name, (None, None))[1]


def NotDifferentiable(op_type):  # noqa: N802 - TF's name
    from .op_registry import NOT_DIFFERENTIABLE, set_gradient
    set_gradient(op_type, NOT_DIFFERENTIABLE)


no_gradient = NotDifferentiable
