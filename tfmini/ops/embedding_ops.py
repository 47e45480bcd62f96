"""tf.nn.embedding_lookup: rows of an embedding table (or of a table split into partitions) by id."""
from ..framework import dtypes
from ..framework.ops import convert_to_tensor, name_scope
from ..framework.tensor_shape import TensorShape
from . import array_ops, clip_ops, constant_op, data_flow_ops, math_ops

__all__ = ["embedding_lookup"]


def _clip(params, ids, max_norm):
    """Rows of `params` (gathered by `ids`) scaled down to L2 norm at most `max_norm`."""
    if max_norm is None:
        return params
    ids_rank, params_rank = ids.shape.ndims, params.shape.ndims
    if ids_rank and params_rank:
        axes = list(range(ids_rank, params_rank))
    else:
        axes = array_ops.range(array_ops.rank(ids), array_ops.rank(params))
    return clip_ops.clip_by_norm(params, max_norm, axes=axes)


def embedding_lookup(params, ids, partition_strategy="mod", name=None, validate_indices=True, max_norm=None):
    """The rows of `params` at `ids`: shape ids.shape + params.shape[1:].

    params: one tensor (or Variable) [vocab, dim...], or a list of them, the table split by rows into
    partitions. With "mod", id i lives in partition i % n at row i // n; with "div", the ids are cut
    into n contiguous ranges (the first vocab % n partitions one row longer).
    ids: int32/int64 of any shape. max_norm: if given, each looked-up row is scaled down to that L2 norm.

    >>> tf.nn.embedding_lookup(tf.eye(4), [[1, 3]])   # [[[0,1,0,0], [0,0,0,1]]]
    """
    del validate_indices  # TF ignores it as well
    if params is None:
        raise ValueError("params must be specified")
    if isinstance(params, (list, tuple)) and not params:
        raise ValueError("Need at least one param")
    if not isinstance(params, (list, tuple)):
        params = [params]
    params = list(params)
    with name_scope(name, "embedding_lookup", params + [ids]) as name:
        n = len(params)
        params = [convert_to_tensor(p, name="params") for p in params]
        ids = convert_to_tensor(ids, name="ids")
        if n == 1:
            result = _clip(array_ops.gather(params[0], ids, name=name), ids, max_norm)
            return array_ops.identity(result)
        flat_ids = array_ops.reshape(ids, [-1])
        original_indices = array_ops.range(array_ops.size(flat_ids))
        if partition_strategy == "mod":
            p_assignments = flat_ids % n
            new_ids = flat_ids // n
        elif partition_strategy == "div":
            sizes = [p.shape.as_tuple()[0] if p.shape.ndims else None for p in params]
            if all(s is not None for s in sizes):
                num_total_ids = constant_op.constant(sum(sizes), flat_ids.dtype.base_dtype)
            else:
                dim_0_sizes = [s if s is not None else array_ops.shape(p)[0] for s, p in zip(sizes, params)]
                num_total_ids = math_ops.reduce_sum(
                    math_ops.cast(array_ops.stack(dim_0_sizes), flat_ids.dtype.base_dtype))
            ids_per_partition = num_total_ids // n
            extras = num_total_ids % n
            p_assignments = math_ops.maximum(flat_ids // (ids_per_partition + 1),
                                             (flat_ids - extras) // ids_per_partition)
            new_ids = array_ops.where(p_assignments < extras, flat_ids % (ids_per_partition + 1),
                                      (flat_ids - extras) % ids_per_partition)
        else:
            raise ValueError("Unrecognized partition strategy: " + partition_strategy)
        p_assignments = math_ops.cast(p_assignments, dtypes.int32)
        gather_ids = data_flow_ops.dynamic_partition(new_ids, p_assignments, n)
        pindices = data_flow_ops.dynamic_partition(original_indices, p_assignments, n)
        partitioned_result = [array_ops.gather(params[p], gather_ids[p]) for p in range(n)]
        ret = data_flow_ops.parallel_dynamic_stitch(pindices, partitioned_result, name=name)
        element_shape_s = TensorShape(params[0].shape.as_tuple()[1:]) if params[0].shape.ndims is not None \
            else TensorShape(None)
        for p in params[1:]:
            element_shape_s = element_shape_s.merge_with(
                TensorShape(p.shape.as_tuple()[1:]) if p.shape.ndims is not None else TensorShape(None))
        if element_shape_s.is_fully_defined():
            element_shape_d = element_shape_s.as_list()
        else:
            element_shape_d = array_ops.shape(params[0])[1:]
        ret = array_ops.reshape(ret, array_ops.concat([array_ops.shape(ids), element_shape_d], 0))
        ret.set_shape(ids.shape.concatenate(element_shape_s))
        return _clip(ret, ids, max_norm)


def embedding_lookup_sparse(params, sp_ids, sp_weights, partition_strategy="mod", name=None, combiner=None,
                            max_norm=None):
    """Each row of SparseTensor `sp_ids` (ids [batch, ?]) combined into one embedding: [batch] + params.shape[1:].

    The rows of `params` at the row's ids are weighted by `sp_weights`' values (None: all 1) and combined by
    `combiner`: "sum", "mean" (the default; sum over the weights' sum) or "sqrtn" (sum over the square root
    of the sum of squared weights). Built as TF 1.x builds it: the distinct ids are looked up once (Unique,
    embedding_lookup), then SparseSegmentSum/Mean/SqrtN (no weights) or a weighted SegmentSum.
    The indices of sp_ids must be in row-major order and every row must have an id.

    >>> ids = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], tf.constant([1, 3, 0], tf.int64), [2, 2])
    >>> tf.nn.embedding_lookup_sparse(tf.eye(4), ids, None, combiner="sum")   # [[0,1,0,1], [1,0,0,0]]
    """
    from ..framework.sparse_tensor import SparseTensor
    from . import sparse_ops
    if combiner is None:
        combiner = "mean"
    if combiner not in ("mean", "sqrtn", "sum"):
        raise ValueError("combiner must be one of 'mean', 'sqrtn' or 'sum'")
    if not isinstance(params, (list, tuple)):
        params = [params]
    params = list(params)
    if not isinstance(sp_ids, SparseTensor):
        raise TypeError("sp_ids must be SparseTensor")
    ignore_weights = sp_weights is None
    if not ignore_weights:
        if not isinstance(sp_weights, SparseTensor):
            raise TypeError("sp_weights must be either None or SparseTensor")
        sp_ids.values.shape.assert_is_compatible_with(sp_weights.values.shape)
        sp_ids.indices.shape.assert_is_compatible_with(sp_weights.indices.shape)
        sp_ids.dense_shape.shape.assert_is_compatible_with(sp_weights.dense_shape.shape)
    with name_scope(name, "embedding_lookup_sparse", params + [sp_ids]) as name:
        segment_ids = sp_ids.indices[:, 0]
        if segment_ids.dtype.base_dtype != dtypes.int32:
            segment_ids = math_ops.cast(segment_ids, dtypes.int32)
        ids, idx = array_ops.unique(sp_ids.values)
        embeddings = embedding_lookup(params, ids, partition_strategy=partition_strategy, max_norm=max_norm)
        original_dtype = embeddings.dtype.base_dtype
        if original_dtype == dtypes.float16:  # sums in float32, as TF
            embeddings = math_ops.cast(embeddings, dtypes.float32)
        if not ignore_weights:
            weights = sp_weights.values
            if weights.dtype.base_dtype != embeddings.dtype.base_dtype:
                weights = math_ops.cast(weights, embeddings.dtype.base_dtype)
            embeddings = array_ops.gather(embeddings, idx)
            # the weights reshaped to [n, 1, ...] to scale whole embedding rows
            ones = array_ops.fill(array_ops.expand_dims(array_ops.rank(embeddings) - 1, 0), 1)
            bcast_weights_shape = array_ops.concat([array_ops.shape(weights), ones], 0)
            orig_weights_shape = weights.shape
            weights = array_ops.reshape(weights, bcast_weights_shape)
            if embeddings.shape.ndims is not None:
                weights.set_shape(orig_weights_shape.concatenate([1] * (embeddings.shape.ndims - 1)))
            embeddings *= weights
            if combiner == "sum":
                embeddings = array_ops.segment_sum(embeddings, segment_ids, name=name)
            elif combiner == "mean":
                embeddings = array_ops.segment_sum(embeddings, segment_ids)
                weight_sum = array_ops.segment_sum(weights, segment_ids)
                embeddings = math_ops.divide(embeddings, weight_sum, name=name)
            else:
                embeddings = array_ops.segment_sum(embeddings, segment_ids)
                weight_sum = array_ops.segment_sum(math_ops.pow(weights, 2), segment_ids)
                embeddings = math_ops.divide(embeddings, math_ops.sqrt(weight_sum), name=name)
        else:
            reduce = {"sum": sparse_ops.sparse_segment_sum, "mean": sparse_ops.sparse_segment_mean,
                      "sqrtn": sparse_ops.sparse_segment_sqrt_n}[combiner]
            embeddings = reduce(embeddings, idx, segment_ids, name=name)
        if embeddings.dtype.base_dtype != original_dtype:
            embeddings = math_ops.cast(embeddings, original_dtype)
        return embeddings


__all__ += ["embedding_lookup_sparse"]
