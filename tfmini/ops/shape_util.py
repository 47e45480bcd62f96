"""Static-shape helpers shared by op inference rules: broadcasting, axes, reductions."""
from ..framework.op_registry import InferenceError
from ..framework.tensor_shape import Dimension, TensorShape

__all__ = ["broadcast_shape", "merge_shapes", "normalize_axis", "reduced_shape", "shape_str"]


def shape_str(shape):
    if shape.ndims is None:
        return "?"
    return "[%s]" % ",".join("?" if d is None else str(d) for d in shape.as_tuple())


def broadcast_shape(a, b):
    """The static shape of broadcasting `a` with `b` (TF/numpy rules); unknown dims stay unknown.

    Raises InferenceError("Dimensions must be equal, but are 2 and 3") as TF's shape function does.
    """
    if a.ndims is None or b.ndims is None:
        return TensorShape(None)
    x, y = a.as_tuple(), b.as_tuple()
    n = max(len(x), len(y))
    x = (1,) * (n - len(x)) + x
    y = (1,) * (n - len(y)) + y
    out = []
    for dx, dy in zip(x, y):
        if dx == 1:
            out.append(dy)
        elif dy == 1:
            out.append(dx)
        elif dx is None:  # TF keeps a known size only when it is above 1 (an unknown with 0 may be 1 or 0)
            out.append(dy if dy is not None and dy > 1 else None)
        elif dy is None:
            out.append(dx if dx > 1 else None)
        elif dx == dy:
            out.append(dx)
        else:
            raise InferenceError("Dimensions must be equal, but are %d and %d" % (dx, dy))
    return TensorShape(out)


def merge_shapes(a, b):
    """The most specific shape compatible with both `a` and `b` (TF's InferenceContext::Merge).

    Raises InferenceError("Shapes must be equal rank, but are 1 and 2") or
    InferenceError("Dimension 0 in both shapes must be equal, but are 2 and 3. Shapes are [2] and [3].").
    """
    if a.ndims is None:
        return b
    if b.ndims is None:
        return a
    if a.ndims != b.ndims:
        raise InferenceError("Shapes must be equal rank, but are %d and %d" % (a.ndims, b.ndims))
    dims = []
    for i, (da, db) in enumerate(zip(a.as_tuple(), b.as_tuple())):
        if da is not None and db is not None and da != db:
            raise InferenceError("Dimension %d in both shapes must be equal, but are %d and %d. Shapes are %s and %s."
                                 % (i, da, db, shape_str(a), shape_str(b)))
        dims.append(da if da is not None else db)
    return TensorShape(dims)


def normalize_axis(axis, ndims, what="axis"):
    """Turn a possibly negative axis into a non-negative one, checking its range when `ndims` is known."""
    axis = int(axis)
    if ndims is None:
        return axis
    if not -ndims <= axis < ndims:
        raise InferenceError("Invalid reduction dimension %d for input with %d dimensions." % (axis, ndims)
                             if what == "reduction" else
                             "%s %d is out of range for a tensor of rank %d" % (what, axis, ndims))
    return axis % ndims


def reduced_shape(shape, axes, keepdims):
    """Static shape after reducing `axes` (None = all axes; a known list of ints, or unknown)."""
    if shape.ndims is None:
        return TensorShape(None)
    nd = shape.ndims
    if axes is None:
        axes = list(range(nd))
    axes = {normalize_axis(a, nd, "reduction") for a in axes}
    dims = []
    for i, d in enumerate(shape.as_tuple()):
        if i in axes:
            if keepdims:
                dims.append(1)
        else:
            dims.append(d)
    return TensorShape(dims)


def dim(v):
    return v.value if isinstance(v, Dimension) else v


# ---- the pieces of TF's InferenceContext shape rules need, with its messages
def static_dim(shape, i):
    """Dimension `i` of a static shape (negative counts from the end); None if unknown."""
    return None if shape.ndims is None else shape.as_tuple()[i]


def with_rank(shape, rank):
    if shape.ndims is None:
        return TensorShape([None] * rank)
    if shape.ndims != rank:
        raise InferenceError("Shape must be rank %d but is rank %d" % (rank, shape.ndims))
    return shape


def with_rank_at_least(shape, rank):
    if shape.ndims is not None and shape.ndims < rank:
        raise InferenceError("Shape must be at least rank %d but is rank %d" % (rank, shape.ndims))
    return shape
