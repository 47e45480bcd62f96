"""The op registry: one entry per op type with its inference, kernel and gradient slot.

Every op type is declared once, next to its public wrapper, with

- ``infer(*inputs, **attrs)``: output dtype(s) and static shape(s) from the input Tensors
  (their ``dtype`` and ``shape``; `constant_value` where TF also looks at values). It returns
  ``(dtype, shape)`` for a single output, or a list of such pairs (``[]`` for none). It raises
  `InferenceError` for shape errors; the graph adds the op's name and input shapes, as TF does.
- ``kernel(xp, *arrays, **attrs)``: a pure function of the array module ``xp`` (numpy or cupy)
  returning one array, or a tuple for several outputs. Stateful kernels (variables, random)
  take a per-session context first: ``kernel(ctx, xp, *arrays, **attrs)``.
- ``grad``: a function ``(op, *output_grads) -> [input grads]`` that builds graph ops, or
  `NOT_DIFFERENTIABLE` (gradients stop there: None), `NO_GRADIENT` (TF registers none: a gradient reaching it is
  TF's LookupError), or `GRADIENT_PENDING` for an op whose rule a later issue writes.
"""

import threading

__all__ = ["OpDef", "register_op", "get_op_def", "registered_ops", "InferenceError",
           "NOT_DIFFERENTIABLE", "GRADIENT_PENDING", "NO_GRADIENT", "debug_string", "incompatible_shapes"]


class _Marker:
    __slots__ = ("_what",)

    def __init__(self, what):
        self._what = what

    def __repr__(self):
        return self._what


NOT_DIFFERENTIABLE = _Marker("NOT_DIFFERENTIABLE")
# The gradient rule of this op is still to be written (issue #4, symbolic gradients).
GRADIENT_PENDING = _Marker("GRADIENT_PENDING")
# TensorFlow registers no gradient for this op (ResizeArea, Unique, ...): a gradient reaching it is TF's LookupError
# "No gradient defined for operation ...", where NOT_DIFFERENTIABLE ops quietly give None.
NO_GRADIENT = _Marker("NO_GRADIENT")


class InferenceError(ValueError):
    """A shape/dtype rule failed; the graph turns it into TF's ValueError with op context."""


class _InferenceReads(threading.local):
    """The input values an inference rule read while it ran (constant_value / constant_shape), so that a shape
    error can add TF's "and with computed input tensors: input[1] = <2>" context: None outside inference, else a
    list of ("tensor" or "shape", tensor, value)."""
    reads = None


INFERENCE_READS = _InferenceReads()


class OpDef:
    """Everything the system knows about one op type."""

    __slots__ = ("type", "infer", "kernel", "grad", "stateful", "ref_inputs", "needs_ctx",
                 "aliases_input", "broadcasting", "module", "cpu_only", "shape_only", "trivial",
                 "session_constant", "fused_bias", "explain", "host_only", "blas")

    def __init__(self, type, infer, kernel, grad, stateful, ref_inputs, needs_ctx, aliases_input, broadcasting,
                 module, cpu_only=False, shape_only=False, trivial=False, session_constant=False, fused_bias=None,
                 explain=None, host_only=False, blas=False):
        self.type = type
        self.infer = infer
        self.kernel = kernel
        self.grad = grad
        self.stateful = stateful
        self.ref_inputs = frozenset(ref_inputs)
        self.needs_ctx = needs_ctx
        self.aliases_input = aliases_input
        self.broadcasting = broadcasting
        self.module = module
        self.cpu_only = cpu_only
        self.shape_only = shape_only
        self.trivial = trivial
        self.session_constant = session_constant
        self.fused_bias = fused_bias
        self.explain = explain
        self.host_only = host_only
        self.blas = blas

    def __repr__(self):
        return "<OpDef %s from %s>" % (self.type, self.module)


# the largest value computed once, before a run (a plan's constant folding, shape inference's constant values): a
# folded value is kept for every run, so only small ones are worth it (TF's grappler likewise limits folding)
FOLD_MAX_BYTES = 10 * 2 ** 20

_REGISTRY = {}


def register_op(type, *, infer, kernel, grad, stateful=False, ref_inputs=(), needs_ctx=False,
                aliases_input=False, broadcasting=False, cpu_only=False, shape_only=False, trivial=False,
                session_constant=False, fused_bias=None, explain=None, host_only=False, blas=False):
    """Declare op `type`. Raises KeyError if it is declared twice (one op, one place).

    stateful:      the op has side effects or draws random numbers (never pruned as pure).
    ref_inputs:    input positions that receive a variable's storage slot instead of its value.
    needs_ctx:     the kernel takes the per-session context as its first argument.
    aliases_input: the kernel may return (a view of) an input array; fetches copy such values.
    broadcasting:  inputs broadcast against each other; tf.gradients sums each input's gradient
                   back to that input's shape, so the rule returns output-shaped gradients.
    cpu_only:      the op has no GPU kernel (as TF's Print): it runs on the CPU wherever it is placed.
    host_only:     TF's GPU kernel keeps all of the op's values in host memory (tf.data's datasets and
                   iterators): it runs on the CPU, an explicit GPU request included, which it meets.
    shape_only:    the kernel reads only its inputs' shapes (Shape, Size, Rank): on a GPU it still runs
                   on the host and never moves its inputs.
    trivial:       the kernel does no work: it returns its first input as it is (Identity) or nothing
                   (NoOp); a CPU plan writes the input's name instead of calling it.
    session_constant: the kernel's result is fixed for the life of a session (a variable's storage
                   slot): a CPU plan calls it once, when it is built.
    fused_bias:    a kernel `k(xp, *inputs, bias, *, activation, **attrs)` computing the op, then BiasAdd
                   of `bias` on the last axis, then `activation` ("Relu" or None) in one pass: plans
                   use it where nothing else reads the intermediate values (TF's grappler remapper
                   makes _FusedConv2D and _FusedMatMul the same way); a device plan where the ops
                   all run on the GPU.
    blas:          the CPU kernel calls BLAS or LAPACK (a matrix product, a convolution as GEMM): a plan
                   with such an op runs with numpy's BLAS at one thread (runtime/intra_op.py says why).
    explain:       `explain(shapes, **attrs)`: given the run-time shapes (tuples) of the inputs of a kernel
                   that failed with an error of its array library (numpy's "operands could not be broadcast"),
                   TF's message for them, or None. Broadcasting ops get `incompatible_shapes` unless they
                   give their own; a kernel's own checks (raising TF's errors) are better where they are cheap.
    """
    if type in _REGISTRY:
        raise KeyError("Op type %r is already registered in %s" % (type, _REGISTRY[type].module))
    if trivial and (stateful or needs_ctx):
        raise TypeError("Op %r: a trivial op has no state" % type)
    if not callable(infer) or not callable(kernel) or not all(f is None or callable(f) for f in (fused_bias, explain)):
        raise TypeError("Op %r needs callable infer and kernel (and fused_bias and explain, if given)" % type)
    if explain is None and broadcasting:
        explain = incompatible_shapes
    if not (callable(grad) or grad is NOT_DIFFERENTIABLE or grad is GRADIENT_PENDING or grad is NO_GRADIENT):
        raise TypeError("Op %r: grad must be a function, NOT_DIFFERENTIABLE, NO_GRADIENT or GRADIENT_PENDING" % type)
    d = OpDef(type, infer, kernel, grad, stateful, ref_inputs, needs_ctx, aliases_input, broadcasting,
              getattr(kernel, "__module__", "?"), cpu_only, shape_only, trivial, session_constant,
              fused_bias, explain, host_only, blas)
    _REGISTRY[type] = d
    return d


def debug_string(shape):
    """A run-time shape as TF's TensorShape::DebugString prints it: [2,3]."""
    return "[%s]" % ",".join(str(int(d)) for d in shape)


def incompatible_shapes(shapes, **attrs):
    """TF's message for the inputs of a broadcasting op whose shapes do not broadcast (BCast), else None."""
    if len(shapes) < 2:
        return None
    x, y = shapes[0], shapes[1]
    for dx, dy in zip(reversed(x), reversed(y)):
        if dx != dy and dx != 1 and dy != 1:
            return "Incompatible shapes: %s vs. %s" % (debug_string(x), debug_string(y))
    return None


def set_gradient(type, grad):
    """Install the gradient rule of an already registered op (used by `RegisterGradient`)."""
    _REGISTRY[type].grad = grad


def get_op_def(type):
    try:
        return _REGISTRY[type]
    except KeyError:
        raise KeyError("Op type not registered '%s'" % type) from None


def registered_ops():
    """A copy of the registry: {type: OpDef}."""
    return dict(_REGISTRY)
