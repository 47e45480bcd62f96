"""Functions: a Python function traced once into a graph of its own (TF's FuncGraph, a FunctionDef's body).

`trace(fn, arg_dtypes, arg_shapes, ...)` calls `fn` once on placeholders in a new `FuncGraph` and returns a
`Function`: its argument placeholders, its outputs (each an Identity, as TF's `ret`s), and the tensors of the outer
graph it reads (*captures*): a value of the outer graph used inside becomes a placeholder of the function, and the op
that runs the function passes that value in (TF's `other_arguments`). An op such as tf.data's MapDataset holds the
Function as its `f` attribute; the runtime runs its graph with an ordinary plan, once per element.

`copy_by_value(tensor, name)` makes a function with no arguments that recomputes `tensor` from copies of the ops it
needs (TF's `capture_by_value`, what `make_one_shot_iterator`'s `dataset_factory` is).
"""
import itertools

from . import dtypes
from .ops import Graph, Operation, Tensor, convert_to_tensor
from .tensor_shape import as_shape

__all__ = ["FuncGraph", "Function", "FunctionName", "trace", "copy_by_value"]

_function_ids = itertools.count(1)


class FuncGraph(Graph):
    """The graph of a function's body. An op built in it on a tensor of an enclosing graph captures that tensor: the
    op reads a placeholder standing for it, and `captures` lists (outer tensor, placeholder)."""

    def __init__(self, name, outer_graph):
        super().__init__()
        self.name = name
        self.outer_graph = outer_graph
        self.seed = outer_graph.seed  # random ops inside follow tf.set_random_seed of the graph they are for
        self.inputs = []
        self.captures = []
        self._captured = {}

    def capture(self, tensor):
        """The placeholder that stands for `tensor` of an enclosing graph (made once per tensor)."""
        if tensor._op._graph is self:
            return tensor
        inner = self._captured.get(tensor)
        if inner is not None:
            return inner
        outer = tensor
        if isinstance(self.outer_graph, FuncGraph) and tensor._op._graph is not self.outer_graph:
            outer = self.outer_graph.capture(tensor)  # a function inside a function: through each level
        elif tensor._op._graph is not self.outer_graph:
            raise ValueError("%s must be from the same graph as the function being traced (%s)." % (tensor, self.name))
        saved = self._name_stack, self._control_dependencies_stack, self._control_flow_context
        self._name_stack, self._control_dependencies_stack, self._control_flow_context = "", [], None
        try:
            op = Graph.create_op(self, "Placeholder", [], {"dtype": tensor.dtype.base_dtype, "shape": tensor.shape},
                                 name="capture")
        finally:
            self._name_stack, self._control_dependencies_stack, self._control_flow_context = saved
        inner = op._outputs[0]
        self._captured[tensor] = inner
        self.captures.append((outer, inner))
        return inner

    def create_op(self, op_type, inputs, attrs=None, name=None, dtypes=None, input_types=None):
        inputs = [self.capture(t) if isinstance(t, Tensor) and t._op._graph is not self else t for t in inputs]
        return super().create_op(op_type, inputs, attrs, name, dtypes, input_types)

    def _control_inputs_for(self, input_ops):
        ret = super()._control_inputs_for(input_ops)
        return [c for c in ret if c._graph is self]  # a control dependency on an outer op is the outer run's


class Function:
    """A traced function: `graph` (a FuncGraph), `inputs` (its argument placeholders), `outputs` (flat list of
    tensors), `captured` (the outer tensors the op running it passes after the arguments), `structured_outputs`
    (what the Python function returned, with tensors). Functions compare by identity; `name` is unique."""

    __slots__ = ("name", "graph", "inputs", "outputs", "captured", "structured_outputs", "__weakref__")

    def __init__(self, name, graph, inputs, outputs, structured_outputs):
        self.name = name
        self.graph = graph
        self.inputs = list(inputs)
        self.outputs = list(outputs)
        self.captured = [outer for outer, _ in graph.captures]
        self.structured_outputs = structured_outputs

    @property
    def feeds(self):
        """The placeholders a run feeds: the arguments, then the captured values."""
        return self.inputs + [inner for _, inner in self.graph.captures]

    @property
    def output_dtypes(self):
        return [t.dtype.base_dtype for t in self.outputs]

    @property
    def output_shapes(self):
        return [t.shape for t in self.outputs]

    def __repr__(self):
        return "<Function %s: %d args, %d outputs, %d captured>" % (self.name, len(self.inputs), len(self.outputs),
                                                                     len(self.captured))


class FunctionName(str):
    """A function attribute as a GraphDef names it; the import replaces it by the function its library defines
    (graph_io), and one the library lacks stays a name: the op exports as it came but cannot run."""

    @property
    def name(self):
        return str(self)


def _unique_name(base):
    return "__inference_%s_%d" % (base, next(_function_ids))


def trace(fn, arg_dtypes, arg_shapes, call, flatten, name, outer_graph=None):
    """Trace `fn` once: `call(fn, args)` calls it on the argument placeholders (one per dtype/shape, named args_0,
    args_1, ...); `flatten(result)` lists the tensors (or values convertible to tensors) it returned, each of which
    becomes an output through an Identity. Returns (Function, the result with each value replaced by its output)."""
    from .ops import get_default_graph
    outer_graph = outer_graph if outer_graph is not None else get_default_graph()
    g = FuncGraph(_unique_name(name), outer_graph)
    with g.as_default():
        for i, (dt, shape) in enumerate(zip(arg_dtypes, arg_shapes)):
            op = Graph.create_op(g, "Placeholder", [], {"dtype": dtypes.as_dtype(dt), "shape": as_shape(shape)},
                                 name="args_%d" % i)
            g.inputs.append(op._outputs[0])
        result = call(fn, list(g.inputs))
        flat, pack = flatten(result)
        outputs = []
        for i, v in enumerate(flat):
            if isinstance(v, Operation):
                raise TypeError("The function %s returned an Operation (%s); return tensors." % (name, v.name))
            t = convert_to_tensor(v)
            if t._op._graph is not g:
                t = g.capture(t)
            out = g.create_op("Identity", [t], {"T": t.dtype.base_dtype}, name="Identity")._outputs[0]
            outputs.append(out)
    return Function(g.name, g, g.inputs, outputs, pack(outputs)), pack(outputs)


# ops that hold state or need a value from outside, which a function made by copying cannot have (TF's rule)
_NOT_COPYABLE = {"Placeholder": "a placeholder", "PlaceholderWithDefault": "a placeholder"}


def copy_by_value(tensor, name):
    """A Function of no arguments that computes `tensor` from copies of the ops it depends on (TF's capture by
    value). ValueError, TF's wording, when one of them is a placeholder or holds state (a variable)."""
    from .op_registry import get_op_def
    needed, stack = set(), [tensor._op]
    while stack:
        op = stack.pop()
        if op in needed:
            continue
        needed.add(op)
        stack.extend(t._op for t in op._inputs)
    for op in sorted(needed, key=lambda o: o._id):
        if op._type in _NOT_COPYABLE:
            raise ValueError("Cannot capture a placeholder (name:%s, type:%s) by value." % (op.name, op.type))
        d = get_op_def(op._type)
        if d.stateful and not op._type.endswith("Dataset"):
            raise ValueError("Cannot capture a stateful node (name:%s, type:%s) by value." % (op.name, op.type))
    g = FuncGraph(_unique_name(name), tensor.graph)
    copies = {}
    with g.as_default():
        for op in sorted(needed, key=lambda o: o._id):
            new = Graph.create_op(g, op._type, [copies[t] for t in op._inputs], op._attrs,
                                  name=g.unique_name(op._name) + "/")
            for t, nt in zip(op._outputs, new._outputs):
                nt._shape = t._shape  # (what set_shape taught the original)
                copies[t] = nt
        out = g.create_op("Identity", [copies[tensor]], {"T": tensor.dtype.base_dtype}, name="Identity")._outputs[0]
    return Function(g.name, g, [], [out], out)
