"""Building ops from Python values: TF's input-conversion and dtype-matching rules, in one place."""
from . import dtypes
from .ops import Tensor, _conversion_funcs, _encloses, convert_to_tensor, get_default_graph

__all__ = ["is_tensor_like", "convert_same_dtype", "make_op", "check_allowed"]

# The type lists TF's op definitions allow, by family
NUMBER_TYPES = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int8, dtypes.int16, dtypes.int32,
                dtypes.int64, dtypes.uint8, dtypes.uint16, dtypes.uint32, dtypes.uint64, dtypes.complex64,
                dtypes.complex128)
REAL_NUMBER_TYPES = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int8, dtypes.int16, dtypes.int32,
                     dtypes.int64, dtypes.uint8, dtypes.uint16, dtypes.uint32, dtypes.uint64)
# uint32 and uint64 joined TF's numbertype/realnumbertype late; some ops' lists still leave them out (MaxPool's is
# `without_wide_unsigned(REAL_NUMBER_TYPES)`)
WIDE_UNSIGNED_TYPES = (dtypes.uint32, dtypes.uint64)
FLOAT_TYPES = (dtypes.float16, dtypes.float32, dtypes.float64)
FLOAT_COMPLEX_TYPES = FLOAT_TYPES + (dtypes.complex64, dtypes.complex128)
INT_TYPES = (dtypes.int32, dtypes.int64)


def without_wide_unsigned(types):
    """`types` less uint32 and uint64."""
    return tuple(t for t in types if t not in WIDE_UNSIGNED_TYPES)


def is_tensor_like(v):
    """A Tensor, or something TF converts to one by registration (a Variable).

    A list never is: it converts with its siblings' dtype (array_ops packs the tensors it holds)."""
    if isinstance(v, Tensor):
        return True
    if isinstance(v, (list, tuple)):
        return False
    return any(isinstance(v, bt) for bt, _ in _conversion_funcs)


def check_allowed(op_type, param, dtype, allowed):
    if allowed is not None and dtype.base_dtype not in allowed:
        raise TypeError("Value passed to parameter '%s' has DataType %s not in list of allowed values: %s"
                        % (param, dtype.base_dtype.name, ", ".join(d.name for d in allowed)))


def _convert_python(op_type, param, value, dtype, known_param=None):
    """A Python value as a tensor of `dtype` (None: its own type), with TF's op-building messages;
    `known_param` names the argument `dtype` was inferred from."""
    try:
        return convert_to_tensor(value, dtype=dtype, name=param)
    except TypeError as e:
        if dtype is None:
            raise
        raise TypeError("Expected %s passed to parameter '%s' of op '%s', got %r of type '%s' instead. "
                        "Error: %s" % (dtype.name, param, op_type, value, type(value).__name__, e)) from None
    except ValueError as e:
        # as TF's op builder: what type does the value have on its own? (a list of tensors of another dtype)
        try:
            observed = convert_to_tensor(value, name=param).dtype.base_dtype.name if dtype is not None else None
        except ValueError:
            observed = None
        if observed is None:  # a ragged list, None
            raise ValueError("Tried to convert '%s' to a tensor and failed. Error: %s" % (param, e)) from None
        prefix = "Input '%s' of '%s' Op has type %s that does not match" % (param, op_type, observed)
        if known_param is None:
            raise TypeError("%s expected type of %s." % (prefix, dtype.name)) from None
        raise TypeError("%s type %s of argument '%s'." % (prefix, dtype.name, known_param)) from None


def convert_same_dtype(op_type, args, dtype=None, allowed=None):
    """Convert [(param, value), ...] that share one type attr `T`, as TF's op builder does.

    The first Tensor-like argument fixes T (else `dtype`, else the first Python value's own
    type); Python values are converted to T; a Tensor of another type raises TF's TypeError
    ("Input 'y' of 'AddV2' Op has type float32 that does not match type int32 of argument 'x'.").
    """
    known = None
    known_param = None
    converted = {}  # each argument converted once: an IndexedSlices' conversion builds ops (named as its param)

    def convert(i, param, v):
        if i not in converted:
            converted[i] = convert_to_tensor(v, name=param if v.__class__.__name__ == "IndexedSlices" else None)
        return converted[i]

    for i, (param, v) in enumerate(args):
        if is_tensor_like(v):
            t = convert(i, param, v)
            known, known_param = t.dtype.base_dtype, param
            break
    if known is None and dtype is not None:
        known = dtypes.as_dtype(dtype)
    out = []
    for i, (param, v) in enumerate(args):
        if is_tensor_like(v):
            t = convert(i, param, v)
            if t.dtype.base_dtype != known:
                if known_param is None:
                    raise TypeError("Input '%s' of '%s' Op has type %s that does not match expected type of %s."
                                    % (param, op_type, t.dtype.base_dtype.name, known.name))
                raise TypeError("Input '%s' of '%s' Op has type %s that does not match type %s of argument '%s'."
                                % (param, op_type, t.dtype.base_dtype.name, known.name, known_param))
        elif known is None:
            t = _convert_python(op_type, param, v, None)
            known, known_param = t.dtype.base_dtype, param
        else:
            t = _convert_python(op_type, param, v, known, known_param)
        check_allowed(op_type, param, t.dtype, allowed)
        out.append(t)
    return out


def convert_one(op_type, param, value, dtype=None, allowed=None):
    """Convert one input that has its own type attr (or a fixed `dtype`)."""
    if is_tensor_like(value):
        t = convert_to_tensor(value)
        if dtype is not None and t.dtype.base_dtype != dtypes.as_dtype(dtype):
            raise TypeError("Input '%s' of '%s' Op has type %s that does not match expected type of %s."
                            % (param, op_type, t.dtype.base_dtype.name, dtypes.as_dtype(dtype).name))
    elif dtype is not None:
        t = _convert_python(op_type, param, value, dtypes.as_dtype(dtype))
    else:
        t = _convert_python(op_type, param, value, None)
    check_allowed(op_type, param, t.dtype, allowed)
    return t


def op_graph(inputs):
    """The graph an op on `inputs` goes to: theirs, or the function being traced inside it (which captures them)."""
    if not inputs:
        return get_default_graph()
    g = inputs[0].graph
    current = get_default_graph()
    if current is not g and getattr(current, "outer_graph", None) is not None and _encloses(g, current):
        return current
    return g


def make_op(op_type, inputs, attrs=None, name=None):
    """Create an op in the inputs' graph; returns its single output, a list of outputs, or the
    Operation when it has none. `name` is usually the scope opened by the wrapper (ends in '/')."""
    g = op_graph(inputs)
    op = g.create_op(op_type, inputs, attrs or {}, name=name)
    outs = op._outputs
    if len(outs) == 1:
        return outs[0]
    if not outs:
        return op
    return list(outs)
