"""Sparse ops: SparseToDense (tf.sparse_to_dense, a SparseTensor's dense form), SparseTensorDenseMatMul,
SparseReduceSum, the SparseSegment reductions, EditDistance (tf.edit_distance of two SparseTensors' sequences),
and tf.sparse_placeholder."""
import numpy as np

from ..framework import dtypes, errors
from ..framework.op_def_library import (FLOAT_TYPES, INT_TYPES, REAL_NUMBER_TYPES, check_allowed, convert_one,
                                        convert_same_dtype, make_op)
from ..framework.op_registry import NOT_DIFFERENTIABLE, InferenceError, register_op
from ..framework.ops import convert_to_tensor, name_scope
from ..framework.sparse_tensor import SparseTensor, SparseTensorValue
from ..framework.tensor_shape import TensorShape
from .constant_op import constant_shape, constant_value
from .shape_util import merge_shapes, static_dim, with_rank

__all__ = ["sparse_to_dense", "sparse_tensor_to_dense", "sparse_placeholder", "sparse_tensor_dense_matmul",
           "sparse_reduce_sum"]


def _invalid(message):
    return errors.InvalidArgumentError(None, None, message)


def _index_str(index):
    return ",".join(str(int(i)) for i in index)


def _check_sparse_indices(xp, indices, shape, validate):
    """TF's SparseTensor::IndicesValid on an [N, rank] index matrix against the dense `shape`: each index in
    bounds and (when `validate`) strictly after the one before it in row-major order. Returns the linear
    positions of the indices."""
    shape = tuple(int(d) for d in shape)
    if indices.shape[0] == 0:
        return xp.zeros(0, np.int64)
    bad = (indices < 0).any(axis=1)
    linear = xp.zeros(indices.shape[0], np.int64)
    for k, d in enumerate(shape):  # a few dimensions: one pass over the indices each
        bad |= indices[:, k] >= d
        linear = linear * d + xp.clip(indices[:, k], 0, max(d - 1, 0)).astype(np.int64)
    if validate and indices.shape[0] > 1:
        step = linear[1:] - linear[:-1]
        disorder = (step <= 0) & ~bad[1:] & ~bad[:-1]
    else:
        disorder = xp.zeros(max(indices.shape[0] - 1, 0), bool)
    first_bad = int(xp.argmax(bad)) if bool(bad.any()) else None
    first_disorder = int(xp.argmax(disorder)) + 1 if bool(disorder.any()) else None
    if first_bad is not None and (first_disorder is None or first_bad < first_disorder):
        raise _invalid("indices[%d] = [%s] is out of bounds: need 0 <= index < [%s]"
                       % (first_bad, _index_str(indices[first_bad]), _index_str(shape)))
    if first_disorder is not None:
        i = first_disorder
        if bool((indices[i] == indices[i - 1]).all()):
            raise _invalid("indices[%d] = [%s] is repeated" % (i, _index_str(indices[i])))
        raise _invalid("indices[%d] = [%s] is out of order. Many sparse ops require sorted indices.\n"
                       "    Use `tf.sparse.reorder` to create a correctly ordered copy.\n\n"
                       % (i, _index_str(indices[i])))
    return linear


# =========================================================================== SparseToDense
def _sparse_to_dense_infer(sparse_indices, output_shape, sparse_values, default_value, **_):
    with_rank(output_shape.shape, 1)
    return sparse_values.dtype.base_dtype, constant_shape(output_shape)


def _sparse_to_dense_kernel(xp, sparse_indices, output_shape, sparse_values, default_value, *,
                            validate_indices=True, **_):
    """A dense array of `output_shape` filled with `default_value`, `sparse_values` (one, or one per index) at
    `sparse_indices` (a scalar, a vector of 1-D indices, or an [N, rank] matrix); a repeated index keeps the
    last value when not validated."""
    if sparse_indices.ndim > 2:
        raise _invalid("sparse_indices should be a scalar, vector, or matrix, got shape %s"
                       % ("[%s]" % _index_str(sparse_indices.shape)))
    num_elems = sparse_indices.shape[0] if sparse_indices.ndim > 0 else 1
    num_dims = sparse_indices.shape[1] if sparse_indices.ndim > 1 else 1
    if output_shape.ndim != 1:
        raise _invalid("output_shape must be rank 1, got shape [%s]" % _index_str(output_shape.shape))
    if output_shape.shape[0] != num_dims:
        raise _invalid("output_shape has incorrect number of elements: %d should be: %d"
                       % (output_shape.shape[0], num_dims))
    if not (sparse_values.ndim == 0 or (sparse_values.ndim == 1 and sparse_values.shape[0] == num_elems)):
        raise _invalid("sparse_values has incorrect shape [%s], should be [] or [%d]"
                       % (_index_str(sparse_values.shape), num_elems))
    if default_value.ndim != 0:
        raise _invalid("default_value should be a scalar.")
    shape = tuple(int(d) for d in output_shape)
    indices = xp.asarray(sparse_indices).reshape(num_elems, num_dims)  # int32 indices may live on the host
    linear = _check_sparse_indices(xp, indices, shape, validate_indices)
    out = xp.full(int(np.prod(shape, dtype=np.int64)), default_value, dtype=sparse_values.dtype)
    if not validate_indices and sparse_values.ndim == 1 and num_elems > 1:
        # A repeated index keeps its last value. numpy's assignment does so, a GPU's scatter keeps any one of
        # them: assign each index once, from its last occurrence (the first one in reversed order).
        linear, last = xp.unique(linear[::-1], return_index=True)
        sparse_values = sparse_values[::-1][last]
    out[linear] = sparse_values
    return out.reshape(shape)


def _sparse_to_dense_grad(op, grad):
    """The values' gradient is the incoming gradient at the indices (summed, for one broadcast value); the
    default value's is the rest of it."""
    from . import array_ops, math_ops
    indices, _, values, _ = op.inputs
    if indices.shape.ndims is not None and indices.shape.ndims < 2:
        indices = array_ops.reshape(indices, [-1, 1])
    values_grad = array_ops.gather_nd(grad, indices)
    default_grad = math_ops.reduce_sum(grad) - math_ops.reduce_sum(values_grad)
    if values.shape.ndims == 0:
        values_grad = math_ops.reduce_sum(values_grad)
    return [None, None, values_grad, default_grad]


register_op("SparseToDense", infer=_sparse_to_dense_infer, kernel=_sparse_to_dense_kernel,
            grad=_sparse_to_dense_grad)


def sparse_to_dense(sparse_indices, output_shape, sparse_values, default_value=0, validate_indices=True, name=None):
    """A dense tensor of shape `output_shape` holding `sparse_values` at `sparse_indices`, `default_value`
    elsewhere (TF 1's tf.sparse_to_dense; a SparseTensor's is tf.sparse.to_dense).

    sparse_indices: int32/int64, a scalar, a vector (indices into a 1-D result) or [N, rank];
    sparse_values: a scalar (used for every index) or [N]. With `validate_indices`, the indices must be
    in row-major order without repeats (checked when it runs).

    >>> tf.sparse_to_dense([[0, 1], [2, 0]], [3, 2], [5., 6.])   # [[0, 5], [0, 0], [6, 0]]
    """
    with name_scope(name, "SparseToDense", [sparse_indices, output_shape, sparse_values, default_value]) as scope:
        i, s = convert_same_dtype("SparseToDense", [("sparse_indices", sparse_indices), ("output_shape", output_shape)],
                                  allowed=INT_TYPES)
        v, d = convert_same_dtype("SparseToDense", [("sparse_values", sparse_values), ("default_value", default_value)])
        attrs = {"validate_indices": bool(validate_indices), "T": v.dtype.base_dtype, "Tindices": i.dtype.base_dtype}
        return make_op("SparseToDense", [i, s, v, d], attrs, name=scope)


def _sparse_input(sp_input, what="sp_input"):
    """A SparseTensor (a SparseTensorValue becomes one); anything else is TF's TypeError."""
    if isinstance(sp_input, SparseTensorValue):
        return SparseTensor.from_value(sp_input)
    if not isinstance(sp_input, SparseTensor):
        raise TypeError("Input must be a SparseTensor.")
    return sp_input


def sparse_tensor_to_dense(sp_input, default_value=None, validate_indices=True, name=None):
    """The dense tensor a SparseTensor stands for, `default_value` (0) where it has no value; a SparseToDense op.

    >>> tf.sparse.to_dense(tf.SparseTensor([[0, 1]], [7], [2, 2]))   # [[0, 7], [0, 0]]
    """
    from .array_ops import zeros
    sp_input = _sparse_input(sp_input)
    if default_value is None:  # a Const named 'zeros', outside the op's scope, as TF makes it
        default_value = zeros([], dtype=sp_input.dtype.base_dtype)
    return sparse_to_dense(sp_input.indices, sp_input.dense_shape, sp_input.values, default_value=default_value,
                           validate_indices=validate_indices, name=name)


def sparse_placeholder(dtype, shape=None, name=None):
    """A SparseTensor to feed: its values, indices and dense_shape are placeholders (`name`/values, /indices,
    /shape); feed it a SparseTensorValue or an (indices, values, dense_shape) tuple.

    shape: the dense shape (None dims unknown), or None; a known shape gives dense_shape a default.

    >>> sp = tf.sparse_placeholder(tf.float32)
    >>> sess.run(tf.sparse.to_dense(sp), {sp: ([[0, 1]], [5.0], [2, 2])})   # [[0, 5], [0, 0]]
    """
    from .array_ops import placeholder, placeholder_with_default
    shape_name = (name + "/shape") if name is not None else None
    default_shape_name = (name + "/shape_default") if name is not None else None
    if shape is None:
        rank = None
        dense_shape = placeholder(dtypes.int64, shape=[rank], name=shape_name)
        dense_shape_default = TensorShape(None)
    else:
        if hasattr(shape, "op"):  # a Tensor
            rank = static_dim(shape.shape, 0)
            dense_shape_default = constant_shape(shape)
        else:
            shape = TensorShape(shape).as_list() if isinstance(shape, TensorShape) else list(shape)
            rank = len(shape)
            dense_shape_default = TensorShape([None if d is None or d == -1 else int(d) for d in shape])
            shape = convert_to_tensor([-1 if d is None else int(d) for d in shape], dtype=dtypes.int64,
                                      name=default_shape_name)
        dense_shape = placeholder_with_default(shape, shape=shape.shape, name=shape_name)
    result = SparseTensor(values=placeholder(dtype, shape=[None], name=(name + "/values") if name else None),
                          indices=placeholder(dtypes.int64, shape=[None, rank],
                                              name=(name + "/indices") if name else None),
                          dense_shape=dense_shape)
    result._dense_shape_default = dense_shape_default
    return result


# =========================================================================== SparseTensorDenseMatMul
def _sparse_matmul_infer(a_indices, a_values, a_shape, b, *, adjoint_a=False, adjoint_b=False, **_):
    """TF's shape rule: a's dims from the value of a_shape where known; b a matrix; inner dims equal."""
    with_rank(a_indices.shape, 2)
    with_rank(a_values.shape, 1)
    with_rank(a_shape.shape, 1)
    tb = with_rank(b.shape, 2).as_tuple()
    shape = constant_shape(a_shape)
    if shape.ndims is not None and shape.ndims != 2:
        raise InferenceError("Shape must be rank 2 but is rank %d" % shape.ndims)
    ta = shape.as_tuple() if shape.ndims is not None else (None, None)
    m, k = (ta[1], ta[0]) if adjoint_a else ta
    kb, n = (tb[1], tb[0]) if adjoint_b else tb
    if k is not None and kb is not None and k != kb:
        raise InferenceError("Dimensions must be equal, but are %d and %d" % (k, kb))
    return b.dtype.base_dtype, TensorShape([m, n])


def _sparse_matmul_kernel(xp, a_indices, a_values, a_shape, b, *, adjoint_a=False, adjoint_b=False, **_):
    """(sparse a) @ b: the non-zeros' products with their rows of b, summed per output row (repeated indices
    add up, as in TF's kernel)."""
    if a_shape.shape != (2,):
        raise _invalid("Tensor 'a_shape' is not a vector")  # TF checks it before the indices
    rows, cols = int(a_shape[0]), int(a_shape[1])
    if a_indices.shape[0] != a_values.shape[0]:
        raise _invalid("Number of rows of a_indices does not match number of entries in a_values")
    if b.ndim != 2:
        raise _invalid("Tensor 'b' is not a matrix")
    if adjoint_b:
        b = b.T.conj()
    m, k = (cols, rows) if adjoint_a else (rows, cols)
    if b.shape[0] != k:
        raise _invalid("Cannot multiply A and B because inner dimension does not match: %d vs. %d.  Did you "
                       "forget a transpose?  Dimensions of A: [%d, %d).  Dimensions of B: [%d,%d]"
                       % (k, b.shape[0], m, k, b.shape[0], b.shape[1]))
    a_indices = xp.asarray(a_indices)  # int32 indices may live on the host
    r, c = a_indices[:, 0].astype(np.int64), a_indices[:, 1].astype(np.int64)
    out_of_range = (r < 0) | (r >= rows) | (c < 0) | (c >= cols)
    if bool(out_of_range.any()):
        i = int(xp.argmax(out_of_range))
        bad_r = int(r[i]) < 0 or int(r[i]) >= rows
        raise _invalid("%s (%d) from index[%d,%d] out of bounds (>=%d)"
                       % ("k" if bad_r == adjoint_a else "m", int(a_indices[i, 0 if bad_r else 1]), i,
                          0 if bad_r else 1, rows if bad_r else cols))
    values = a_values.conj() if adjoint_a else a_values
    out_rows, b_rows = (c, r) if adjoint_a else (r, c)
    out = xp.zeros((m, b.shape[1]), dtype=b.dtype)
    if out_rows.shape[0] == 0:
        return out
    # each value times its row of b, summed per output row: memory for the non-zeros only, never a dense a
    order = xp.argsort(out_rows)
    keys, starts = xp.unique(out_rows[order], return_index=True)
    products = values[order].astype(b.dtype, copy=False)[:, None] * b[b_rows[order]]
    out[keys] = xp.add.reduceat(products, starts, axis=0)
    return out


def _sparse_matmul_grad(op, grad):
    """TF's rule: d b = sparse_matmul(a, grad, adjoint_a=not adjoint_a) (transposed if adjoint_b); d a_values =
    at each index (r, c), grad[r, :] . b[c, :] (rows and columns swapped by the adjoints)."""
    from . import array_ops, math_ops
    a_indices, a_values, a_shape, b = op.inputs
    adj_a, adj_b = op.get_attr("adjoint_a"), op.get_attr("adjoint_b")
    b_grad = make_op("SparseTensorDenseMatMul", [a_indices, a_values, a_shape, grad],
                     {"T": grad.dtype.base_dtype, "Tindices": a_indices.dtype.base_dtype, "adjoint_a": not adj_a,
                      "adjoint_b": False})
    if adj_b:
        b_grad = array_ops.transpose(b_grad)
    rows, cols = a_indices[:, 0], a_indices[:, 1]
    parts_a = array_ops.gather(grad, cols if adj_a else rows)
    parts_b = array_ops.gather(array_ops.transpose(b) if adj_b else b, rows if adj_a else cols)
    a_values_grad = math_ops.reduce_sum(parts_a * parts_b, axis=1)
    return [None, a_values_grad, None, b_grad]


register_op("SparseTensorDenseMatMul", infer=_sparse_matmul_infer, kernel=_sparse_matmul_kernel,
            grad=_sparse_matmul_grad, blas=True)


def sparse_tensor_dense_matmul(sp_a, b, adjoint_a=False, adjoint_b=False, name=None):
    """The matrix product of SparseTensor `sp_a` (rank 2) and dense matrix `b`: [m, n] (adjoint_a/_b transpose).

    >>> tf.sparse_tensor_dense_matmul(tf.SparseTensor([[0, 1]], [2.0], [2, 3]), tf.ones([3, 4]))   # row 0 all 2
    """
    sp_a = _sparse_input(sp_a, "sp_a")
    with name_scope(name, "SparseTensorDenseMatMul", [sp_a.indices, sp_a.values, b]):
        b = convert_to_tensor(b, name="b")
        values = convert_one("SparseTensorDenseMatMul", "a_values", sp_a.values, dtype=b.dtype.base_dtype)
        attrs = {"T": b.dtype.base_dtype, "Tindices": sp_a.indices.dtype.base_dtype,
                 "adjoint_a": bool(adjoint_a), "adjoint_b": bool(adjoint_b)}
        # the op inside the scope, as TF names it: SparseTensorDenseMatMul/SparseTensorDenseMatMul
        return make_op("SparseTensorDenseMatMul", [sp_a.indices, values, sp_a.dense_shape, b], attrs)


# =========================================================================== SparseReduceSum
def _sparse_reduce_infer(input_indices, input_values, input_shape, reduction_axes, *, keep_dims=False, **_):
    """TF's SparseReduceShapeFn: the reduced shape where the dense shape and the axes are constants, else unknown."""
    with_rank(input_indices.shape, 2)
    with_rank(input_values.shape, 1)
    with_rank(input_shape.shape, 1)
    dense, axes = constant_value(input_shape), constant_value(reduction_axes)
    if dense is None or axes is None:
        return input_values.dtype.base_dtype, TensorShape(None)
    dims, axes = [int(d) for d in dense.reshape(-1)], [int(a) for a in np.reshape(axes, -1)]
    # TF wraps an axis with C's remainder and leaves the range check to the kernel: axis 3 of 2 dimensions reduces
    # axis 1 here, and axis -3 none (the run reports "Invalid reduction dimension")
    if not dims:
        raise InferenceError("Number of dims in shape tensor must not be 0")
    axes = {int(np.fmod(a + len(dims), len(dims))) for a in axes}
    out = [1 if i in axes else d for i, d in enumerate(dims) if keep_dims or i not in axes]
    return input_values.dtype.base_dtype, TensorShape(out)


def _sparse_reduce_sum_kernel(xp, input_indices, input_values, input_shape, reduction_axes, *, keep_dims=False, **_):
    """The sum of the dense tensor (`input_values` at `input_indices`, repeated indices added) over the listed
    `reduction_axes` (none listed: nothing reduced, as TF's kernel)."""
    shape = tuple(int(d) for d in input_shape)
    axes = [int(a) for a in np.reshape(np.asarray(reduction_axes.get() if hasattr(reduction_axes, "get")
                                                  else reduction_axes), -1)]
    for a in axes:
        if not -len(shape) <= a < len(shape):
            raise _invalid("Invalid reduction dimension %d, for input with %d dimensions." % (a, len(shape)))
    indices = xp.asarray(input_indices)
    if indices.ndim != 2 or indices.shape[1] != len(shape) or indices.shape[0] != input_values.shape[0]:
        raise _invalid("Input indices should be a matrix, one row of rank(input_shape) entries per value")
    _check_sparse_indices(xp, indices, shape, False)
    axes = {a % len(shape) for a in axes}
    kept = [k for k in range(len(shape)) if k not in axes]
    # each value's position in the output (the kept dimensions only): the dense input is never built
    position = xp.zeros(indices.shape[0], np.int64)
    for k in kept:
        position = position * shape[k] + indices[:, k].astype(np.int64)
    out = xp.zeros(int(np.prod([shape[k] for k in kept], dtype=np.int64)), dtype=input_values.dtype)
    if position.shape[0]:
        order = xp.argsort(position)
        keys, starts = xp.unique(position[order], return_index=True)
        out[keys] = xp.add.reduceat(input_values[order], starts)
    out_shape = [1 if k in axes else d for k, d in enumerate(shape)] if keep_dims else [shape[k] for k in kept]
    return out.reshape(out_shape)


def _sparse_reduce_sum_grad(op, grad):
    """TF's rule: each value gets the gradient of the output element it was summed into, read with gather_nd at
    its index scaled down to the kept shape (the reduced axes divided out)."""
    from . import array_ops, math_ops
    indices, _, dense_shape, axes = op.inputs
    kept = math_ops._reduced_shape(dense_shape, axes)
    kept = convert_to_tensor(kept.astype(np.int64)) if isinstance(kept, np.ndarray) else \
        math_ops.cast(kept, dtypes.int64)
    grad = array_ops.reshape(grad, kept)
    scale = dense_shape // kept
    return [None, array_ops.gather_nd(grad, indices // scale), None, None]


register_op("SparseReduceSum", infer=_sparse_reduce_infer, kernel=_sparse_reduce_sum_kernel,
            grad=_sparse_reduce_sum_grad)


def sparse_reduce_sum(sp_input, axis=None, keepdims=None, reduction_axes=None, keep_dims=None, name=None):
    """The sum of a SparseTensor's dense form over `axis` (None: all axes), a dense tensor (the SparseReduceSum op).

    >>> tf.sparse_reduce_sum(tf.SparseTensor([[0, 0], [1, 2]], [1.0, 2.0], [2, 3]), axis=1)   # [1, 2]
    """
    from .array_ops import _deprecated_argument_lookup, range as range_op, size
    keepdims = _deprecated_argument_lookup("keepdims", keepdims, "keep_dims", keep_dims)
    axis = _deprecated_argument_lookup("axis", axis, "reduction_axes", reduction_axes)
    sp_input = _sparse_input(sp_input)
    if axis is None:  # every axis (TF's _ReductionDims): a constant where the rank is known
        n = static_dim(sp_input.dense_shape.shape, 0)
        axis = convert_to_tensor(np.arange(n, dtype=np.int32)) if n is not None else \
            range_op(0, size(sp_input.dense_shape))
    with name_scope(name, "SparseReduceSum", [sp_input.indices, sp_input.values, sp_input.dense_shape]) as scope:
        axes = convert_one("SparseReduceSum", "reduction_axes", axis, dtype=dtypes.int32)
        attrs = {"T": sp_input.dtype.base_dtype, "keep_dims": bool(keepdims)}
        return make_op("SparseReduceSum", [sp_input.indices, sp_input.values, sp_input.dense_shape, axes], attrs,
                       name=scope)


# =========================================================================== SparseSegmentSum, -Mean, -SqrtN
# (TF defines them in math_ops; they live here with the other ops on index lists)
def _sparse_segment_infer(data, indices, segment_ids, **_):
    """TF's SparseSegmentReductionShapeFn: indices and segment_ids vectors of one length; [?] + data.shape[1:]."""
    d = data.shape
    if d.ndims is not None and d.ndims < 1:
        raise InferenceError("Shape must be at least rank 1 but is rank 0")
    merge_shapes(with_rank(indices.shape, 1), with_rank(segment_ids.shape, 1))
    if d.ndims is None:
        return data.dtype.base_dtype, TensorShape(None)
    return data.dtype.base_dtype, TensorShape((None,) + d.as_tuple()[1:])


def _make_sparse_segment_kernel(kind):
    def kernel(xp, data, indices, segment_ids, **_):
        """Rows data[indices[j]] summed into segment segment_ids[j] (sorted); Mean divides each segment by its
        size, SqrtN by the square root of its size; segments no row has are 0."""
        indices, ids = xp.asarray(indices), xp.asarray(segment_ids)  # int32 lists may live on the host
        if indices.shape != ids.shape:
            raise _invalid("segment_ids and indices should have same size.")
        rows = data.shape[0]
        bad = (indices < 0) | (indices >= rows)
        if bool(bad.any()):
            j = int(xp.argmax(bad))
            raise _invalid("Bad: indices[%d] == %d out of range [0, %d)" % (j, int(indices[j]), rows))
        if ids.size and bool((ids[1:] < ids[:-1]).any()):
            raise _invalid("segment ids are not increasing")
        if ids.size and int(ids[0]) < 0:
            raise _invalid("segment ids must be >= 0")
        n = int(ids[-1]) + 1 if ids.size else 0
        out = xp.zeros((n,) + data.shape[1:], dtype=data.dtype)
        if not ids.size:
            return out
        gathered = data[indices]
        keys, starts, counts = xp.unique(ids, return_index=True, return_counts=True)
        sums = xp.add.reduceat(gathered, starts, axis=0)
        if kind != "Sum":
            counts = counts.astype(data.dtype).reshape((-1,) + (1,) * (data.ndim - 1))
            sums = sums / (counts if kind == "Mean" else xp.sqrt(counts))
        out[keys] = sums
        return out
    return kernel


def _make_sparse_segment_grad(kind):
    def grad_fn(op, grad):
        """Each listed row gets its segment's gradient (over the segment's size, or its square root), added
        up where a row is listed more than once."""
        from . import array_ops, math_ops
        data, indices, ids = op.inputs
        if kind != "Sum":
            ones_shape = array_ops.concat([array_ops.shape(ids), array_ops.ones(
                array_ops.expand_dims(array_ops.rank(data) - 1, 0), dtype=dtypes.int32)], 0)
            counts = array_ops.segment_sum(array_ops.ones(ones_shape, dtype=grad.dtype.base_dtype), ids)
            counts = math_ops.maximum(counts, 1)  # a segment no row has passes no gradient anyway
            grad = math_ops.divide(grad, counts if kind == "Mean" else math_ops.sqrt(counts))
        rows = array_ops.gather(grad, ids)
        return [array_ops.unsorted_segment_sum(rows, indices, array_ops.shape(data)[0]), None, None]
    return grad_fn


for _kind in ("Sum", "Mean", "SqrtN"):
    register_op("SparseSegment" + _kind, infer=_sparse_segment_infer, kernel=_make_sparse_segment_kernel(_kind),
                grad=_make_sparse_segment_grad(_kind))


def _sparse_segment_op(op_type, data, indices, segment_ids, name, allowed):
    from .array_ops import _index_input
    with name_scope(name, op_type, [data, indices, segment_ids]) as scope:
        d = convert_to_tensor(data, name="data")
        check_allowed(op_type, "data", d.dtype, allowed)
        i = _index_input(op_type, "indices", indices)
        ids = _index_input(op_type, "segment_ids", segment_ids)
        attrs = {"T": d.dtype.base_dtype, "Tidx": i.dtype.base_dtype, "Tsegmentids": ids.dtype.base_dtype,
                 "sparse_gradient": False}
        return make_op(op_type, [d, i, ids], attrs, name=scope)


def sparse_segment_sum(data, indices, segment_ids, name=None, num_segments=None):
    """output[s] = the sum of data[indices[j]] over the j with segment_ids[j] == s (segment_ids sorted):
    a segment_sum of the rows `indices` picks, without gathering them first.

    >>> tf.sparse_segment_sum([[1., 2.], [3., 4.], [5., 6.]], [0, 2, 1], [0, 0, 1])   # [[6, 8], [3, 4]]
    """
    _no_num_segments(num_segments)
    return _sparse_segment_op("SparseSegmentSum", data, indices, segment_ids, name, REAL_NUMBER_TYPES)


def sparse_segment_mean(data, indices, segment_ids, name=None, num_segments=None):
    """As sparse_segment_sum, each segment's mean."""
    _no_num_segments(num_segments)
    return _sparse_segment_op("SparseSegmentMean", data, indices, segment_ids, name, FLOAT_TYPES)


def sparse_segment_sqrt_n(data, indices, segment_ids, name=None, num_segments=None):
    """As sparse_segment_sum, each segment's sum over the square root of its size."""
    _no_num_segments(num_segments)
    return _sparse_segment_op("SparseSegmentSqrtN", data, indices, segment_ids, name, FLOAT_TYPES)


def _no_num_segments(num_segments):
    if num_segments is not None:
        raise NotImplementedError("tfmini's sparse segment ops take no num_segments (TF's *WithNumSegments ops); "
                                  "the number of segments is the last segment id + 1")


__all__ += ["sparse_segment_sum", "sparse_segment_mean", "sparse_segment_sqrt_n"]


# =========================================================================== EditDistance
def _validate_sparse_inference(indices, values, shape):
    """TF's shape_inference::ValidateSparseTensor: [N, rank] indices, [N] values, [rank] dense shape."""
    indices_shape = with_rank(indices.shape, 2)
    values_shape = with_rank(values.shape, 1)
    shape_shape = with_rank(shape.shape, 1)
    n, m = static_dim(indices_shape, 0), static_dim(values_shape, 0)
    if n is not None and m is not None and n != m:
        raise InferenceError("Number of elements in index (%d) and values (%d) do not match." % (n, m))
    rank, shape_rank = static_dim(indices_shape, 1), static_dim(shape_shape, 0)
    if rank is not None and shape_rank is not None and rank != shape_rank:
        raise InferenceError("Index rank (%d) and shape rank (%d) do not match." % (rank, shape_rank))


def _edit_distance_infer(hypothesis_indices, hypothesis_values, hypothesis_shape, truth_indices, truth_values,
                         truth_shape, **_):
    """[max(h_i, t_i) for every dimension but the last] when both dense shapes are known, else unknown."""
    _validate_sparse_inference(hypothesis_indices, hypothesis_values, hypothesis_shape)
    _validate_sparse_inference(truth_indices, truth_values, truth_shape)
    h, t = constant_value(hypothesis_shape), constant_value(truth_shape)
    if h is None or t is None:
        return dtypes.float32, TensorShape(None)
    h, t = np.asarray(h).reshape(-1), np.asarray(t).reshape(-1)
    if h.size != t.size:
        raise InferenceError("Num elements of hypothesis_shape does not match truth_shape: %d vs. %d"
                             % (h.size, t.size))
    return dtypes.float32, TensorShape([max(int(a), int(b)) for a, b in zip(h[:-1], t[:-1])])


def _shape_str(a):
    return "[%s]" % _index_str(a.shape)


def _check_edit_distance_inputs(hi, hv, hs, ti, tv, ts):
    """TF's EditDistanceOp ValidateShapes, in its order and words."""
    for name, a, rank, kind in [("hypothesis_indices", hi, 2, "a matrix"), ("truth_indices", ti, 2, "a matrix"),
                                ("hypothesis_values", hv, 1, "a vector"), ("truth_values", tv, 1, "a vector"),
                                ("hypothesis_shape", hs, 1, "a vector"), ("truth_shape", ts, 1, "a vector")]:
        if a.ndim != rank:
            raise _invalid("%s should be %s, but got shape: %s" % (name, kind, _shape_str(a)))
    if hv.shape[0] != hi.shape[0]:
        raise _invalid("Expected hypothesis_values.NumElements == #rows(hypothesis_indices), their shapes are: %s "
                       "and %s" % (_shape_str(hv), _shape_str(hi)))
    if hs.shape[0] != hi.shape[1]:
        raise _invalid("Expected hypothesis_shape.NumElements == #cols(hypothesis_indices), their shapes are: %s "
                       "and %s" % (_shape_str(hs), _shape_str(hi)))
    if ts.shape[0] < 2:
        raise _invalid("Input SparseTensors must have rank at least 2, but truth_shape rank is: %d" % ts.shape[0])
    if tv.shape[0] != ti.shape[0]:
        raise _invalid("Expected truth_values.NumElements == #rows(truth_indices), their shapes are: %s and %s"
                       % (_shape_str(tv), _shape_str(ti)))
    if ts.shape[0] != ti.shape[1]:
        raise _invalid("Expected truth_shape.NumElements == #cols(truth_indices), their shapes are: %s and %s"
                       % (_shape_str(ts), _shape_str(ti)))
    if ts.shape[0] != hs.shape[0]:
        raise _invalid("Expected truth and hypothesis to have matching ranks, but their shapes are: %s and %s"
                       % (_shape_str(ts), _shape_str(hs)))


def _sequences(indices, values):
    """[(group, [values...])]: runs of entries whose indices agree but for the last one (indices in row-major
    order, as TF assumes), each run one sequence."""
    out = []
    for key, value in zip(map(tuple, indices[:, :-1].tolist()), values.tolist()):
        if out and out[-1][0] == key:
            out[-1][1].append(value)
        else:
            out.append((key, [value]))
    return out


def _levenshtein(a, b):
    """The number of insertions, deletions and substitutions that turn sequence a into b."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
    return row[-1]


def _edit_distance_kernel(xp, hi, hv, hs, ti, tv, ts, *, normalize=True, **_):
    _check_edit_distance_inputs(hi, hv, hs, ti, tv, ts)
    out_shape = tuple(max(int(a), int(b)) for a, b in zip(hs.tolist()[:-1], ts.tolist()[:-1]))
    size = int(np.prod(out_shape, dtype=np.int64))
    if size <= 0:
        raise _invalid("Got output shape %s which has 0 elements" % ("[%s]" % _index_str(out_shape)))
    out = np.zeros(size, np.float32)
    strides = np.cumprod((out_shape + (1,))[:0:-1])[::-1]

    def put(group, value):
        loc = int(np.dot(group, strides))
        if not 0 <= loc < size:
            raise errors.InternalError(None, None, "Got an inner product %d which would require writing to "
                                                   "outside of the buffer for the output tensor (max elements %d)"
                                       % (loc, size))
        out[loc] = value

    hyp, truth = _sequences(hi, hv), _sequences(ti, tv)
    i = j = 0
    while i < len(hyp) or j < len(truth):  # the two sorted lists of groups, merged
        if i < len(hyp) and j < len(truth) and hyp[i][0] == truth[j][0]:
            d = _levenshtein(truth[j][1], hyp[i][1])
            put(hyp[i][0], d / len(truth[j][1]) if normalize else d)
            i, j = i + 1, j + 1
        elif j == len(truth) or (i < len(hyp) and hyp[i][0] < truth[j][0]):  # no truth: inf when normalized
            n = len(hyp[i][1])
            put(hyp[i][0], np.inf if normalize and n else n)
            i += 1
        else:  # no hypothesis: every truth element is inserted
            put(truth[j][0], 1.0 if normalize else len(truth[j][1]))
            j += 1
    return xp.asarray(out.reshape(out_shape))


register_op("EditDistance", infer=_edit_distance_infer, kernel=_edit_distance_kernel, grad=NOT_DIFFERENTIABLE,
            cpu_only=True)  # TF has a CPU kernel only (its values may be strings)


def edit_distance(hypothesis, truth, normalize=True, name="edit_distance"):
    """The Levenshtein distances between the sequences of two SparseTensors (or SparseTensorValues) of one
    values dtype: a sequence is the values sharing all indices but the last. The result, float32, has the dense
    shapes' larger size in every dimension but the last; with `normalize`, each distance is divided by the
    truth's length (inf where the truth is empty and the hypothesis is not).

    >>> h = tf.SparseTensor([[0, 0, 0], [0, 0, 1]], ["a", "b"], [1, 1, 2])
    >>> t = tf.SparseTensor([[0, 0, 0]], ["a"], [1, 1, 1])
    >>> tf.edit_distance(h, t, normalize=False)       # [[1.]]
    """
    if not isinstance(hypothesis, (SparseTensor, SparseTensorValue)):
        raise TypeError("Hypothesis must be a SparseTensor.")
    if not isinstance(truth, (SparseTensor, SparseTensorValue)):
        raise TypeError("Truth must be a SparseTensor.")
    hypothesis, truth = _sparse_input(hypothesis), _sparse_input(truth)
    with name_scope(name, "EditDistance", [hypothesis.values, truth.values]) as scope:
        hv, tv = convert_same_dtype("EditDistance", [("hypothesis_values", hypothesis.values),
                                                     ("truth_values", truth.values)])
        inputs = [hypothesis.indices, hv, hypothesis.dense_shape, truth.indices, tv, truth.dense_shape]
        return make_op("EditDistance", inputs, {"normalize": bool(normalize), "T": hv.dtype.base_dtype}, name=scope)


__all__ += ["edit_distance"]
