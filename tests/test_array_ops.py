"""Array ops: the op table (static shape/dtype against the kernel, values against numpy), then TF's
error messages, op names and the Python-level behaviour of the wrappers (tf.Tensor.__getitem__,
list autopacking, tf.range's dtype rule)."""
import numpy as np
import pytest

import tfmini as tf
from gradcheck import GradRow, grad_rows_test
from optable import Row, rows_test
from tfmini.framework.op_def_library import make_op
from tfmini.ops.array_ops import broadcast_gradient_args, concat_offset, mirror_pad_grad, strided_slice_grad

A = np.arange(24, dtype=np.float32).reshape(2, 3, 4)  # non-square everywhere: swapped axes show
M = np.arange(6, dtype=np.float32).reshape(2, 3)
S = np.array([b"a", b"bb", b"ccc"], dtype=object)


def _concat_v1(tf, concat_dim, values):
    """TF's first Concat op (concat_dim first), which only imported GraphDefs from before TF 0.12 hold."""
    vals = [tf.convert_to_tensor(v) for v in values]
    return make_op("Concat", [tf.convert_to_tensor(concat_dim)] + vals, {"N": len(vals), "T": vals[0].dtype.base_dtype},
                   name="Concat")


def fed(tf, value, shape, fn=lambda p: p, dtype=None):
    """`fn` applied to a placeholder of static `shape` (None dims allowed), with the feed for `value`."""
    value = np.asarray(value)
    p = tf.placeholder(dtype or tf.as_dtype(value.dtype), shape)
    return fn(p), {p: value}


def _segment_sum(data, ids, n):
    """numpy's unsorted segment sum, one id at a time (negative ids dropped)."""
    data, ids = np.asarray(data), np.asarray(ids)
    out = np.zeros((n,) + data.shape[ids.ndim:], data.dtype)
    for j in np.ndindex(ids.shape):
        if ids[j] >= 0:
            out[ids[j]] += data[j]
    return out


def _mirror_pad_adjoint(g, pads, mode):
    """The gradient of np.pad(mode): pad an array of indices, then sum g by the index it shows."""
    g = np.asarray(g)
    unpadded = tuple(d - a - b for d, (a, b) in zip(g.shape, pads))
    idx = np.pad(np.arange(int(np.prod(unpadded))).reshape(unpadded), pads, mode=mode)
    flat = np.bincount(idx.ravel(), weights=g.ravel().astype(np.float64), minlength=idx.size)
    return flat[:int(np.prod(unpadded))].reshape(unpadded).astype(g.dtype)


def _strided_slice_grad_ref(shape, index, dy):
    out = np.zeros(shape, np.asarray(dy).dtype)
    out[index] = np.asarray(dy).reshape(out[index].shape)
    return out


def _one_hot(indices, depth, axis=-1, on=1.0, off=0.0, dtype=np.float32):
    indices = np.asarray(indices)
    out = np.where(indices[..., None] == np.arange(depth), on, off).astype(dtype)
    return np.moveaxis(out, -1, axis if axis != -1 else -1)


CASES = [
    # ---- placeholders, identity
    Row("Placeholder", lambda tf: fed(tf, M, [None, 3]), M),
    Row("PlaceholderWithDefault", lambda tf: tf.placeholder_with_default(M, [None, 3]), M),
    Row("PlaceholderWithDefault", lambda tf: fed(tf, M[:1], [None, 3],
                                                 lambda p: tf.placeholder_with_default(M, [None, 3]) + p),
        M + M[:1], id="PlaceholderWithDefault-beside-feed"),
    Row("Identity", lambda tf: tf.identity(tf.constant(M, tf.float16)), M.astype(np.float16)),
    Row("Identity", lambda tf: tf.identity(tf.constant(["a", "bc"])), np.array([b"a", b"bc"], object),
        id="Identity-string"),
    Row("StopGradient", lambda tf: tf.stop_gradient(tf.constant(M, tf.float64)), M.astype(np.float64)),
    # ---- shapes
    Row("Shape", lambda tf: fed(tf, A, [None, 3, None], tf.shape), np.array([2, 3, 4], np.int32)),
    Row("Shape", lambda tf: fed(tf, A, None, lambda p: tf.shape(p, out_type=tf.int64)),
        np.array([2, 3, 4], np.int64), id="Shape-unknown-rank-int64"),
    Row("Size", lambda tf: fed(tf, A, [None, 3, 4], tf.size), np.int32(24)),
    Row("Rank", lambda tf: fed(tf, A, None, tf.rank), np.int32(3)),
    # ---- filling
    Row("Fill", lambda tf: tf.fill([2, 3], 9), np.full((2, 3), 9, np.int32)),
    Row("Fill", lambda tf: fed(tf, M, [None, 3], lambda p: tf.fill(tf.shape(p), np.float64(1.5))),
        np.full((2, 3), 1.5), id="Fill-shape-of-placeholder"),
    Row("Fill", lambda tf: tf.zeros([40, 30], tf.int64), np.zeros((40, 30), np.int64), id="Fill-large-zeros"),
    Row("Fill", lambda tf: fed(tf, M, [None, 3], lambda p: tf.ones_like(p, dtype=tf.float16)),
        np.ones((2, 3), np.float16), id="Fill-ones_like"),
    Row("ZerosLike", lambda tf: fed(tf, M.astype(np.int32), [None, 3], tf.zeros_like), np.zeros((2, 3), np.int32)),
    Row("ZerosLike", lambda tf: fed(tf, S, [None], tf.zeros_like, dtype=tf.string), np.array([b""] * 3, object),
        id="ZerosLike-string"),
    # ---- reshaping
    Row("Reshape", lambda tf: tf.reshape(tf.constant(A), [4, -1]), A.reshape(4, -1)),
    Row("Reshape", lambda tf: fed(tf, A, [None, 3, 4], lambda p: tf.reshape(p, [-1, 2])), A.reshape(-1, 2),
        id="Reshape-unknown-batch"),
    Row("Reshape", lambda tf: fed(tf, A, [None, 3, 4], lambda p: tf.reshape(p, [tf.shape(p)[0], -1])),
        A.reshape(2, -1), id="Reshape-packed-shape"),
    Row("Reshape", lambda tf: tf.reshape(tf.constant([7], tf.int64), []), np.int64(7), id="Reshape-to-scalar"),
    Row("ExpandDims", lambda tf: fed(tf, M, [None, 3], lambda p: tf.expand_dims(p, -1)), M[..., None]),
    Row("ExpandDims", lambda tf: tf.expand_dims(tf.constant(M, tf.int64), dim=1), M.astype(np.int64)[:, None],
        id="ExpandDims-dim"),
    Row("Squeeze", lambda tf: tf.squeeze(tf.zeros([1, 2, 1, 3])), np.zeros((2, 3), np.float32)),
    Row("Squeeze", lambda tf: fed(tf, A[:, :1], [None, None, 4], lambda p: tf.squeeze(p, [1])), A[:, 0],
        id="Squeeze-unknown-dim"),
    Row("Transpose", lambda tf: tf.transpose(tf.constant(A)), A.T),
    Row("Transpose", lambda tf: fed(tf, A, [None, 3, 4], lambda p: tf.transpose(p, [0, 2, 1])),
        A.transpose(0, 2, 1), id="Transpose-perm"),
    Row("Transpose", lambda tf: fed(tf, A.astype(np.int32), None, tf.transpose), A.astype(np.int32).T,
        id="Transpose-unknown-rank"),
    Row("Transpose", lambda tf: tf.matrix_transpose(tf.constant(A, tf.float64)),
        A.astype(np.float64).transpose(0, 2, 1),
        id="Transpose-matrix_transpose"),
    Row("ConjugateTranspose", lambda tf: tf.transpose(tf.constant(M + 1j * M, tf.complex64), conjugate=True),
        (M - 1j * M).T.astype(np.complex64)),
    # ---- joining and splitting
    Row("ConcatV2", lambda tf: tf.concat([tf.constant(A), tf.constant(A[:, :1])], 1),
        np.concatenate([A, A[:, :1]], 1)),
    Row("ConcatV2", lambda tf: fed(tf, M.astype(np.int32), [None, 3], lambda p: tf.concat([p, p[:, :1]], -1)),
        np.concatenate([M, M[:, :1]], -1).astype(np.int32), id="ConcatV2-negative-axis-unknown"),
    Row("ConcatV2", lambda tf: tf.concat([tf.constant(M, tf.float16), [[0, 1, 2]]], 0),
        np.concatenate([M, [[0, 1, 2]]]).astype(np.float16), id="ConcatV2-python-value"),
    Row("Concat", lambda tf: _concat_v1(tf, 1, [tf.constant(A), tf.constant(A[:, :1])]),
        np.concatenate([A, A[:, :1]], 1), id="Concat-legacy-dim-first"),
    Row("Pack", lambda tf: tf.stack([tf.constant(M), tf.constant(M) + 1], axis=1), np.stack([M, M + 1], 1)),
    Row("Pack", lambda tf: tf.stack([tf.constant(2.0, tf.float64), 3.0]), np.array([2.0, 3.0]),
        id="Pack-autopacked"),
    Row("Pack", lambda tf: tf.stack([tf.constant("a"), tf.constant("bc")]), np.array([b"a", b"bc"], object),
        id="Pack-string"),
    Row("Pack", lambda tf: fed(tf, M, [None, 3], lambda p: tf.stack([p, p], -1)), np.stack([M, M], -1),
        id="Pack-unknown-dim"),
    Row("Unpack", lambda tf: tf.unstack(tf.constant(A), axis=1)[2], A[:, 2]),
    Row("Unpack", lambda tf: fed(tf, M.astype(np.float16), [None, 3], lambda p: tf.unstack(p, axis=-1)[0]),
        M[:, 0].astype(np.float16), id="Unpack-unknown-dim"),
    Row("Split", lambda tf: tf.split(tf.constant(A), 2, axis=2)[1], A[:, :, 2:]),
    Row("Split", lambda tf: fed(tf, A, [None, 3, 4], lambda p: tf.split(p, 3, 1)[2]), A[:, 2:],
        id="Split-unknown-dim"),
    Row("SplitV", lambda tf: tf.split(tf.constant(A), [1, 3], axis=2)[1], A[:, :, 1:]),
    Row("SplitV", lambda tf: fed(tf, A.astype(np.int64), [None, 3, 4], lambda p: tf.split(p, [1, -1], 1)[1]),
        A[:, 1:].astype(np.int64), id="SplitV-minus-one"),
    Row("Tile", lambda tf: tf.tile(tf.constant(M), [2, 1]), np.tile(M, [2, 1])),
    Row("Tile", lambda tf: fed(tf, M.astype(np.int32), [None, 3], lambda p: tf.tile(p, [1, 2])),
        np.tile(M, [1, 2]).astype(np.int32), id="Tile-unknown-dim"),
    # ---- padding
    Row("Pad", lambda tf: tf.pad(tf.constant(M), [[1, 0], [2, 1]]), np.pad(M, [[1, 0], [2, 1]])),
    Row("Pad", lambda tf: fed(tf, M, [None, 3], lambda p: tf.pad(p, [[0, 1], [1, 1]])), np.pad(M, [[0, 1], [1, 1]]),
        id="Pad-unknown-dim"),
    Row("Pad", lambda tf: tf.pad(tf.constant(["a", "b"]), [[1, 0]]), np.array([b"", b"a", b"b"], object),
        id="Pad-string"),
    Row("PadV2", lambda tf: tf.pad(tf.constant(M, tf.int32), [[1, 1], [0, 2]], constant_values=-1),
        np.pad(M, [[1, 1], [0, 2]], constant_values=-1).astype(np.int32)),
    Row("MirrorPad", lambda tf: tf.pad(tf.constant(M), [[1, 1], [2, 2]], "REFLECT"),
        np.pad(M, [[1, 1], [2, 2]], mode="reflect")),
    Row("MirrorPad", lambda tf: tf.pad(tf.constant(M, tf.float64), [[2, 2], [3, 3]], "symmetric"),
        np.pad(M, [[2, 2], [3, 3]], mode="symmetric").astype(np.float64), id="MirrorPad-symmetric"),
    # ---- gathering
    Row("GatherV2", lambda tf: tf.gather(tf.constant(A), [[1, 0, 1]]), A[[[1, 0, 1]]]),
    Row("GatherV2", lambda tf: fed(tf, A, [None, 3, 4], lambda p: tf.gather(p, tf.constant([3, 0], tf.int64), axis=2)),
        A[:, :, [3, 0]], id="GatherV2-axis2-unknown"),
    Row("GatherV2", lambda tf: tf.gather(tf.constant(["a", "b", "c"]), [2, 0]), np.array([b"c", b"a"], object),
        id="GatherV2-string"),
    Row("GatherV2", lambda tf: tf.boolean_mask(tf.constant(A), [[True, False, True], [False, False, True]]),
        A[np.array([[True, False, True], [False, False, True]])], id="GatherV2-boolean_mask"),
    Row("GatherV2", lambda tf: tf.boolean_mask(tf.constant(["x", "y", "z"]), [False, True, True]),
        np.array([b"y", b"z"], object), id="GatherV2-boolean_mask-string"),
    Row("GatherV2", lambda tf: fed(tf, M, [None, 3], lambda p: tf.boolean_mask(p, [True, False, True], axis=1)),
        M[:, [0, 2]], id="GatherV2-boolean_mask-axis1"),
    Row("OneHot", lambda tf: tf.one_hot([0, 2, -1, 1], 3), _one_hot([0, 2, -1, 1], 3)),
    Row("OneHot", lambda tf: fed(tf, np.array([[0, 3], [1, 2]]), [None, 2],
                                 lambda p: tf.one_hot(p, 4, on_value=5, off_value=-1, axis=0), dtype=tf.int64),
        _one_hot([[0, 3], [1, 2]], 4, axis=0, on=5, off=-1, dtype=np.int32), id="OneHot-axis0-int"),
    # ---- slicing
    Row("Slice", lambda tf: tf.slice(tf.constant(A), [1, 0, 1], [1, 2, -1]), A[1:2, 0:2, 1:]),
    Row("Slice", lambda tf: fed(tf, A, [None, 3, 4], lambda p: tf.slice(p, [0, 1, 0], [-1, 2, 2])), A[:, 1:3, :2],
        id="Slice-unknown-dim"),
    Row("StridedSlice", lambda tf: tf.constant(M)[1:, ::-1], M[1:, ::-1]),
    Row("StridedSlice", lambda tf: tf.constant(A)[::-2, 1:, :-1:3], A[::-2, 1:, :-1:3], id="StridedSlice-steps"),
    Row("StridedSlice", lambda tf: tf.constant(A)[-1, ..., 2], A[-1, ..., 2], id="StridedSlice-ellipsis"),
    Row("StridedSlice", lambda tf: tf.constant(A)[:, tf.newaxis, -1, tf.newaxis], A[:, None, -1, None],
        id="StridedSlice-newaxis"),
    Row("StridedSlice", lambda tf: tf.constant(A)[tf.constant(1), 2], A[1, 2], id="StridedSlice-tensor-index"),
    Row("StridedSlice", lambda tf: tf.constant(A.astype(np.float64))[2:-5:-1, 10:0:-2], A[2:-5:-1, 10:0:-2],
        id="StridedSlice-clamped"),
    Row("StridedSlice", lambda tf: tf.constant(A)[1:1], A[1:1], id="StridedSlice-empty"),
    Row("StridedSlice", lambda tf: fed(tf, A, [None, 3, None], lambda p: p[..., 1:3]), A[..., 1:3],
        id="StridedSlice-unknown-dims"),
    Row("StridedSlice", lambda tf: fed(tf, M.astype(np.int32), [None, 3],
                                       lambda p: p[tf.placeholder_with_default(1, [])]), M[1].astype(np.int32),
        id="StridedSlice-unknown-index"),
    Row("StridedSlice", lambda tf: tf.strided_slice(tf.constant(A), [0, 1], [2, 0], [1, 1], end_mask=2,
                                                    shrink_axis_mask=1), A[0, 1:], id="StridedSlice-masks"),
    # ---- selecting
    Row("Where", lambda tf: tf.where(tf.constant(M) > 2.0), np.argwhere(M > 2)),
    Row("Where", lambda tf: fed(tf, np.array([0, 3, 0, 1]), [None], tf.where, dtype=tf.int32),
        np.argwhere([0, 3, 0, 1]), id="Where-numeric-unknown"),
    Row("Select", lambda tf: tf.where(tf.constant(M) > 2.0, tf.constant(M), -tf.constant(M)), np.where(M > 2, M, -M)),
    Row("Select", lambda tf: fed(tf, A.astype(np.int64), [None, 3, 4],
                                 lambda p: tf.where(tf.constant([True, False]), p, 2 * p)),
        np.where(np.array([True, False])[:, None, None], A, 2 * A).astype(np.int64), id="Select-vector-condition"),
    Row("Select", lambda tf: fed(tf, False, [], lambda c: tf.where(c, tf.constant(M), -tf.constant(M)), dtype=tf.bool),
        -M, id="Select-scalar-condition-false"),
    Row("Select", lambda tf: fed(tf, True, [], lambda c: tf.where(c, tf.constant(M), -tf.constant(M)), dtype=tf.bool),
        M, id="Select-scalar-condition-true"),
    # ---- ranges
    Row("Range", lambda tf: tf.range(5), np.arange(5, dtype=np.int32)),
    Row("Range", lambda tf: tf.range(0, 5, 0.5), np.arange(0, 5, 0.5, dtype=np.float32), id="Range-float"),
    Row("Range", lambda tf: tf.range(0.0, 1.0, 0.1),  # TF adds delta step by step, rounding each time
        np.cumsum(np.array([0.0] + [0.1] * 9, np.float32), dtype=np.float32), rtol=0, atol=0, id="Range-accumulates"),
    Row("Range", lambda tf: tf.range(10, 1, -3, dtype=tf.int64), np.arange(10, 1, -3, dtype=np.int64),
        id="Range-negative-delta"),
    Row("Range", lambda tf: fed(tf, np.int32(4), [], tf.range), np.arange(4, dtype=np.int32), id="Range-unknown"),
    Row("LinSpace", lambda tf: tf.linspace(10.0, 12.0, 3), np.linspace(10, 12, 3, dtype=np.float32)),
    Row("LinSpace", lambda tf: tf.lin_space(tf.constant(-1.0, tf.float64), 1.0, 5), np.linspace(-1, 1, 5),
        id="LinSpace-float64"),
    # ---- reversing
    Row("ReverseV2", lambda tf: tf.reverse(tf.constant(A), [0, -1]), A[::-1, :, ::-1]),
    Row("ReverseV2", lambda tf: fed(tf, M.astype(np.uint8), [None, 3], lambda p: tf.reverse_v2(p, [1])),
        M[:, ::-1].astype(np.uint8), id="ReverseV2-unknown-dim"),
    # ---- ops that gradients build
    Row("BroadcastGradientArgs", lambda tf: broadcast_gradient_args([2, 3, 5], [1])[1],
        np.array([0, 1, 2], np.int32)),
    Row("BroadcastGradientArgs", lambda tf: broadcast_gradient_args([2, 3, 5], [1])[0], np.zeros([0], np.int32),
        id="BroadcastGradientArgs-nothing-to-reduce"),
    Row("BroadcastGradientArgs", lambda tf: broadcast_gradient_args(tf.constant([2, 1, 3], tf.int64), [4, 1])[0],
        np.array([1], np.int64), id="BroadcastGradientArgs-int64"),
    Row("BroadcastGradientArgs", lambda tf: broadcast_gradient_args([2, 1, 3], [4, 1])[1], np.array([0, 2], np.int32),
        id="BroadcastGradientArgs-both-broadcast"),
    Row("BroadcastGradientArgs", lambda tf: broadcast_gradient_args([1, 3], [1, 1])[0], np.array([0], np.int32),
        id="BroadcastGradientArgs-ones-in-both"),  # a dim of 1 in both is reduced for both (TF's BCast)
    Row("BroadcastGradientArgs", lambda tf: fed(tf, A, [None, 3, None], lambda p: broadcast_gradient_args(
        tf.shape(p), tf.shape(tf.reduce_sum(p, [0, 2], keepdims=True)))[1]), np.array([0, 2], np.int32),
        id="BroadcastGradientArgs-run-time-shapes"),
    Row("ShapeN", lambda tf: fed(tf, A, [None, 3, None], lambda p: tf.shape_n([p, p[0]])[0]),
        np.array([2, 3, 4], np.int32)),
    Row("ShapeN", lambda tf: fed(tf, A, None, lambda p: tf.shape_n([p[0], p], out_type=tf.int64)[0]),
        np.array([3, 4], np.int64), id="ShapeN-int64-unknown-rank"),
    Row("ConcatOffset", lambda tf: concat_offset(1, [[2, 3, 4], [2, 5, 4], [2, 1, 4]])[2],
        np.array([0, 8, 0], np.int32)),
    Row("ConcatOffset", lambda tf: fed(tf, A, [None, 3, 4], lambda p: concat_offset(-1, tf.shape_n([p, p]))[1]),
        np.array([0, 0, 4], np.int32), id="ConcatOffset-negative-axis-run-time-shapes"),
    Row("InvertPermutation", lambda tf: tf.invert_permutation([3, 0, 2, 1]), np.array([1, 3, 2, 0], np.int32)),
    Row("InvertPermutation", lambda tf: fed(tf, np.array([1, 2, 0], np.int64), [None], tf.invert_permutation),
        np.array([2, 0, 1], np.int64), id="InvertPermutation-int64-unknown"),
    Row("UnsortedSegmentSum", lambda tf: tf.unsorted_segment_sum(tf.constant(M), [2, 0], 4),
        _segment_sum(M, [2, 0], 4)),
    Row("UnsortedSegmentSum", lambda tf: tf.unsorted_segment_sum(tf.constant(A), [[1, -1, 1], [0, 1, 4]], 5),
        _segment_sum(A, [[1, -1, 1], [0, 1, 4]], 5), id="UnsortedSegmentSum-2d-ids-repeats-negative"),
    Row("UnsortedSegmentSum", lambda tf: fed(tf, A.astype(np.int64), [None, 3, 4], lambda p: tf.unsorted_segment_sum(
        p, tf.constant([1, 1], tf.int64), 2)), _segment_sum(A.astype(np.int64), [1, 1], 2),
        id="UnsortedSegmentSum-int-unknown-dim"),
    Row("StridedSliceGrad", lambda tf: strided_slice_grad([3, 4], [1, 0], [3, 4], [1, 2], tf.constant(M[:, :2])),
        _strided_slice_grad_ref((3, 4), np.s_[1:3, 0:4:2], M[:, :2])),
    Row("StridedSliceGrad", lambda tf: strided_slice_grad(
        [2, 3, 4], [-1, 0, 0, 2], [0, 0, 0, 3], [1, 1, 1, 1], tf.constant(A[-1, None, :, 2], tf.float64),
        begin_mask=0, shrink_axis_mask=9, new_axis_mask=2, ellipsis_mask=4),
        _strided_slice_grad_ref((2, 3, 4), np.s_[-1, :, 2], A[-1, None, :, 2].astype(np.float64)),
        id="StridedSliceGrad-shrink-newaxis-ellipsis"),
    Row("StridedSliceGrad", lambda tf: fed(tf, A[::-2, 1:], [None, 2, 4], lambda p: strided_slice_grad(
        tf.constant([2, 3, 4], tf.int64), tf.constant([0, 1], tf.int64), tf.constant([0, 0], tf.int64),
        tf.constant([-2, 1], tf.int64), p, begin_mask=1, end_mask=3)),
        _strided_slice_grad_ref((2, 3, 4), np.s_[::-2, 1:], A[::-2, 1:]), id="StridedSliceGrad-reversed-unknown"),
    Row("MirrorPadGrad", lambda tf: mirror_pad_grad(tf.constant(np.arange(42.0).reshape(6, 7)), [[1, 2], [2, 2]],
                                                    "REFLECT"),
        _mirror_pad_adjoint(np.arange(42.0).reshape(6, 7), [(1, 2), (2, 2)], "reflect")),
    Row("MirrorPadGrad", lambda tf: fed(tf, np.arange(40, dtype=np.float32).reshape(5, 8), [None, 8],
                                        lambda p: mirror_pad_grad(p, [[2, 0], [3, 2]], "SYMMETRIC")),
        _mirror_pad_adjoint(np.arange(40, dtype=np.float32).reshape(5, 8), [(2, 0), (3, 2)], "symmetric"),
        id="MirrorPadGrad-symmetric-unknown-dim"),
]

CASES += [
    Row("BroadcastTo", lambda tf: tf.broadcast_to(tf.constant([1.0, 2.0, 3.0]), [2, 3]),
        np.array([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]], np.float32)),
    Row("BroadcastTo", lambda tf: tf.broadcast_to(tf.constant([[1], [2]], tf.int32), [4, 2, 3]),
        np.broadcast_to(np.array([[1], [2]], np.int32), (4, 2, 3)), id="BroadcastTo-lead-and-inner"),
    Row("BroadcastTo", lambda tf: (lambda p: (tf.broadcast_to(p, tf.shape(tf.zeros([3, 2]))), {p: [[5.0, 6.0]]}))(
        tf.placeholder(tf.float32, [None, 2])), np.full((3, 2), [5.0, 6.0], np.float32), id="BroadcastTo-unknown"),
]


def _reverse_sequence_ref(x, lengths, seq_axis, batch_axis):
    """numpy: for each b along batch_axis, the first lengths[b] entries along seq_axis reversed."""
    out = np.array(x, copy=True)
    for b, n in enumerate(lengths):
        index = [slice(None)] * out.ndim
        index[batch_axis], index[seq_axis] = b, slice(0, n)
        out[tuple(index)] = np.flip(np.asarray(x)[tuple(index)], axis=seq_axis - (seq_axis > batch_axis))
    return out


CASES += [
    Row("ReverseSequence", lambda tf: tf.reverse_sequence(tf.constant(A), [2, 0], seq_axis=2),
        _reverse_sequence_ref(A, [2, 0], 2, 0)),
    Row("ReverseSequence", lambda tf: tf.reverse_sequence(tf.constant(A), tf.constant([2, 1, 0, 2], tf.int64),
                                                          seq_dim=0, batch_dim=2),
        _reverse_sequence_ref(A, [2, 1, 0, 2], 0, 2), id="ReverseSequence-int64-old-names-seq-axis-first"),
    Row("ReverseSequence", lambda tf: fed(tf, A.astype(np.int32), [None, None, 4],
                                          lambda p: tf.reverse_sequence(p, [3, 1], seq_axis=1, batch_axis=0)),
        _reverse_sequence_ref(A.astype(np.int32), [3, 1], 1, 0), id="ReverseSequence-int32-unknown-dims"),
]
# ---- gather_nd / scatter_nd / tensor_scatter_nd_* (numpy references written index by index)
def _gather_nd_ref(params, indices):
    params, indices = np.asarray(params), np.asarray(indices)
    batch = indices.shape[:-1]
    out = [params[tuple(indices[b])] for b in np.ndindex(batch)]
    return np.array(out, params.dtype).reshape(batch + params.shape[indices.shape[-1]:])


def _scatter_nd_ref(indices, updates, shape, into=None, sign=1, replace=False):
    indices, updates = np.asarray(indices), np.asarray(updates)
    out = np.zeros(shape, updates.dtype) if into is None else np.array(into, copy=True)
    for b in np.ndindex(indices.shape[:-1]):
        if replace:
            out[tuple(indices[b])] = updates[b]
        else:
            out[tuple(indices[b])] += sign * updates[b]
    return out


ND_IDX = np.array([[[1, 2], [0, 0]], [[1, 0], [0, 2]], [[1, 2], [1, 1]]], np.int32)  # [3,2,2], one repeat
CASES += [
    Row("GatherNd", lambda tf: tf.gather_nd(tf.constant(A), ND_IDX), _gather_nd_ref(A, ND_IDX)),
    Row("GatherNd", lambda tf: fed(tf, A, [None, 3, None], lambda p: tf.gather_nd(p, tf.constant([[1], [0]],
                                                                                                   tf.int64))),
        _gather_nd_ref(A, [[1], [0]]), id="GatherNd-slices-int64-unknown"),
    Row("GatherNd", lambda tf: tf.gather_nd(tf.constant(M.astype(np.int32)), tf.zeros([2, 0], tf.int32)),
        np.stack([M, M]).astype(np.int32), id="GatherNd-empty-index-vectors"),
    Row("GatherNd", lambda tf: tf.gather_nd(tf.constant(["a", "b"]), [[1], [1], [0]]),
        np.array([b"b", b"b", b"a"], object), id="GatherNd-string"),
    Row("ScatterNd", lambda tf: tf.scatter_nd(ND_IDX, tf.constant(M.reshape(3, 2)), [2, 3]),
        _scatter_nd_ref(ND_IDX, M.reshape(3, 2), [2, 3])),
    Row("ScatterNd", lambda tf: fed(tf, np.arange(6, dtype=np.int64).reshape(2, 3), [None, 3],
                                    lambda p: tf.scatter_nd([[3], [1]], p, tf.constant([4, 3]))),
        _scatter_nd_ref([[3], [1]], np.arange(6, dtype=np.int64).reshape(2, 3), [4, 3]), id="ScatterNd-rows-int64"),
    Row("ScatterNd", lambda tf: fed(tf, np.array([[0], [2], [0]], np.int64), None, lambda p: tf.scatter_nd(
        p, [1.5, 2.0, 3.0], tf.constant([3], tf.int64))), np.array([4.5, 0, 2.0], np.float32),
        id="ScatterNd-unknown-rank-indices-repeat"),
    Row("TensorScatterUpdate", lambda tf: tf.tensor_scatter_nd_update(tf.constant(A), [[1, 2], [0, 0]],
                                                                      tf.ones([2, 4])),
        _scatter_nd_ref([[1, 2], [0, 0]], np.ones((2, 4), np.float32), None, into=A, replace=True)),
    Row("TensorScatterUpdate", lambda tf: fed(tf, M.astype(np.int32), [None, 3], lambda p: tf.tensor_scatter_update(
        p, [[1, 0]], [7])), _scatter_nd_ref([[1, 0]], [7], None, into=M.astype(np.int32), replace=True),
        id="TensorScatterUpdate-tf1-alias-unknown"),
    Row("TensorScatterAdd", lambda tf: tf.tensor_scatter_nd_add(tf.constant(M, tf.float64), ND_IDX, tf.constant(
        M.reshape(3, 2), tf.float64)), _scatter_nd_ref(ND_IDX, M.reshape(3, 2), None, into=M.astype(np.float64))),
    Row("TensorScatterSub", lambda tf: fed(tf, M, [2, None],
                                           lambda p: tf.tensor_scatter_nd_sub(p, ND_IDX, M.reshape(3, 2))),
        _scatter_nd_ref(ND_IDX, M.reshape(3, 2), None, into=M, sign=-1)),
]
# ---- unique, where_v2, identity_n
V = np.array([3, 1, 3, 2, 1, 7], np.int64)
CASES += [
    Row("Unique", lambda tf: tf.unique(tf.constant(V)).y, np.array([3, 1, 2, 7], np.int64)),
    Row("Unique", lambda tf: fed(tf, V.astype(np.float32), [None], lambda p: tf.unique(p, out_idx=tf.int64).idx),
        np.array([0, 1, 0, 2, 1, 3], np.int64), id="Unique-idx-int64-unknown"),
    Row("Unique", lambda tf: tf.unique(["b", "a", "b"]).idx, np.array([0, 1, 0], np.int32), id="Unique-string"),
    Row("UniqueWithCounts", lambda tf: tf.unique_with_counts(tf.constant(V)).count, np.array([2, 2, 1, 1], np.int32)),
    Row("UniqueWithCounts", lambda tf: fed(tf, V, None, lambda p: tf.unique_with_counts(p, tf.int64).y),
        np.array([3, 1, 2, 7], np.int64), id="UniqueWithCounts-unknown-rank"),
    Row("SelectV2", lambda tf: tf.where_v2([[True], [False]], tf.constant(M), tf.constant([10., 20., 30.])),
        np.where([[True], [False]], M, [10., 20., 30.]).astype(np.float32)),
    Row("SelectV2", lambda tf: fed(tf, np.array([True, False, True]), [None], lambda p: tf.where_v2(
        p, tf.constant(M.astype(np.int32)), 0)), np.where([True, False, True], M, 0).astype(np.int32),
        id="SelectV2-unknown-scalar-else"),
    Row("IdentityN", lambda tf: tf.identity_n([tf.constant(M), tf.constant([1, 2])])[0], M),
    Row("IdentityN", lambda tf: fed(tf, V, [None], lambda p: tf.identity_n([1.5, p])[1]), V, id="IdentityN-second"),
]
# ---- segment reductions (numpy references one segment at a time)
SEG = np.array([0, 0, 2, 3, 3, 3], np.int32)
D6 = np.array([[1, -2], [3, 4], [-5, 6], [7, 0.5], [2, -1], [3, 3]], np.float32)


def _segment_ref(data, ids, fn, n=None, empty=0):
    data, ids = np.asarray(data), np.asarray(ids)
    n = int(ids.max()) + 1 if n is None else n
    out = np.full((n,) + data.shape[ids.ndim:], empty, data.dtype)
    for i in range(n):
        if (ids == i).any():
            out[i] = fn(data[ids == i], axis=0)
    return out


CASES += [
    Row("SegmentSum", lambda tf: tf.segment_sum(tf.constant(D6), SEG), _segment_ref(D6, SEG, np.sum)),
    Row("SegmentSum", lambda tf: fed(tf, A, [None, 3, 4], lambda p: tf.segment_sum(p, tf.constant([1, 1], tf.int64))),
        _segment_ref(A, [1, 1], np.sum), id="SegmentSum-int64-unknown"),
    Row("SegmentMean", lambda tf: tf.segment_mean(tf.constant(D6, tf.float64), SEG),
        _segment_ref(D6.astype(np.float64), SEG, np.mean)),
    Row("SegmentMean", lambda tf: tf.segment_mean([-1, -2, -3, -4, 5], [0, 0, 2, 2, 2]), np.array([-1, 0, 0], np.int32),
        id="SegmentMean-int-truncates"),
    Row("SegmentMax", lambda tf: fed(tf, D6, [None, 2], lambda p: tf.segment_max(p, SEG)),
        _segment_ref(D6, SEG, np.max)),
    Row("SegmentMin", lambda tf: tf.math.segment_min(tf.constant(D6.astype(np.int32)), SEG),
        _segment_ref(D6.astype(np.int32), SEG, np.min)),
    Row("SegmentProd", lambda tf: tf.segment_prod(tf.constant(D6), SEG), _segment_ref(D6, SEG, np.prod, empty=1)),
    Row("UnsortedSegmentMax", lambda tf: tf.unsorted_segment_max(tf.constant(A), [[1, -1, 1], [0, 1, 4]], 6),
        _segment_ref(A, [[1, -1, 1], [0, 1, 4]], np.max, 6, np.finfo(np.float32).min)),
    Row("UnsortedSegmentMin", lambda tf: fed(tf, D6.astype(np.int64), [None, 2], lambda p: tf.math.unsorted_segment_min(
        p, SEG[::-1].copy(), 5)), _segment_ref(D6.astype(np.int64), SEG[::-1], np.min, 5, np.iinfo(np.int64).max)),
    Row("UnsortedSegmentProd", lambda tf: tf.unsorted_segment_prod(tf.constant(D6), [2, 0, 2, -1, 0, 2], 4),
        _segment_ref(D6, [2, 0, 2, -1, 0, 2], np.prod, 4, 1)),
    Row("RealDiv", lambda tf: tf.unsorted_segment_mean(tf.constant(A), [[1, -1, 1], [0, 1, 4]], 5),
        _segment_ref(A, [[1, -1, 1], [0, 1, 4]], np.mean, 5), id="unsorted_segment_mean"),
    Row("RealDiv", lambda tf: fed(tf, D6, [None, 2], lambda p: tf.math.unsorted_segment_sqrt_n(p, SEG, 4)),
        _segment_ref(D6, SEG, lambda v, axis: v.sum(axis) / np.sqrt(len(v)), 4), id="unsorted_segment_sqrt_n"),
]
test_row = rows_test(CASES)


# =========================================================================== errors at graph build
def test_reshape_element_count_mismatch():
    with pytest.raises(ValueError, match=r"Cannot reshape a tensor with 6 elements to shape \[4\] \(4 elements\) "
                                         r"for 'Reshape' \(op: 'Reshape'\) with input shapes: \[6\], \[1\] and with "
                                         r"input tensors computed as partial shapes: input\[1\] = \[4\]\.$"):
        tf.reshape(tf.zeros([6]), [4])


def test_reshape_not_divisible():
    with pytest.raises(ValueError, match="Dimension size must be evenly divisible by 4 but is 6"):
        tf.reshape(tf.zeros([6]), [-1, 4])


def test_reshape_of_a_partly_known_shape_to_a_known_one_checks_divisibility_when_building():
    """TF 2.21's message (its TF 1 form): the input's known dimensions (3) must divide the output's count (8)."""
    with pytest.raises(ValueError, match=r"^Dimension size must be evenly divisible by 3 but is 8 for 'Reshape' "
                                         r"\(op: 'Reshape'\) with input shapes: \[\?,3\], \[2\] and with input "
                                         r"tensors computed as partial shapes: input\[1\] = \[4,2\]\.$"):
        tf.reshape(tf.placeholder(tf.float32, [None, 3]), [4, 2])
    assert tf.reshape(tf.placeholder(tf.float32, [None, 3]), [2, 6]).shape.as_list() == [2, 6]  # 12 = 4 x 3: fine


def test_reshape_infers_the_minus_one():
    assert tf.reshape(tf.zeros([2, 3, 4]), [-1, 6]).shape.as_list() == [4, 6]
    p = tf.placeholder(tf.float32, [None, 3, 4])
    assert tf.reshape(p, [-1, 12]).shape.as_list() == [None, 12]


def test_squeeze_non_one_dimension():
    with pytest.raises(ValueError, match=r"Can not squeeze dim\[1\], expected a dimension of 1, got 3"):
        tf.squeeze(tf.zeros([2, 3]), [1])


def test_squeeze_both_axis_and_squeeze_dims():
    with pytest.raises(ValueError, match="Cannot specify both 'squeeze_dims' and 'axis'"):
        tf.squeeze(tf.zeros([1, 3]), axis=[0], squeeze_dims=[0])


def test_expand_dims_needs_an_axis_and_checks_it():
    with pytest.raises(ValueError, match=r"Must specify an axis argument to tf.expand_dims\(\)"):
        tf.expand_dims(tf.zeros([2]))
    with pytest.raises(ValueError, match=r"dim 3 not in the interval \[-3, 2\]\."):
        tf.expand_dims(tf.zeros([2, 3]), 3)


def test_concat_dimension_mismatch():
    with pytest.raises(ValueError, match=r"Dimension 0 in both shapes must be equal, but are 3 and 4\. "
                                         r"Shapes are \[3\] and \[4\]\. for 'concat' \(op: 'ConcatV2'\)"):
        tf.concat([tf.zeros([2, 3]), tf.zeros([2, 4])], 0)


def test_concat_mixed_types():
    with pytest.raises(TypeError, match=r"Tensors in list passed to 'values' of 'ConcatV2' Op have types "
                                        r"\[float32, int32\] that don't all match\."):
        tf.concat([tf.zeros([2]), tf.zeros([2], tf.int32)], 0)


def test_concat_scalars():
    with pytest.raises(ValueError, match=r"Can't concatenate scalars \(use tf.stack instead\)"):
        tf.concat([tf.constant(1.0), tf.constant(2.0)], tf.placeholder(tf.int32))


def test_stack_shape_mismatch():
    with pytest.raises(ValueError, match="Shapes must be equal rank, but are 2 and 1\n\tFrom merging shape 0 "
                                         "with other shapes. for 'stack' \\(op: 'Pack'\\)"):
        tf.stack([tf.zeros([2, 3]), tf.zeros([3])], axis=1)
    with pytest.raises(ValueError, match=r"axis = 3 not in \[-3, 3\)"):
        tf.stack([tf.zeros([2, 3])], axis=3)


def test_unstack_needs_a_known_dimension():
    with pytest.raises(ValueError, match=r"Cannot infer num from shape \(\?, 3\)"):
        tf.unstack(tf.placeholder(tf.float32, [None, 3]))
    assert len(tf.unstack(tf.placeholder(tf.float32, [None, 3]), axis=1)) == 3


def test_split_not_divisible():
    with pytest.raises(ValueError, match="Dimension size must be evenly divisible by 2 but is 3\n\tNumber of ways "
                                         "to split should evenly divide the split dimension"):
        tf.split(tf.zeros([2, 3]), 2, axis=1)
    with pytest.raises(ValueError, match=r"can't split axis of size 3 into pieces of size \[1,1\]"):
        tf.split(tf.zeros([2, 3]), [1, 1], axis=1)


def test_transpose_bad_perm():
    with pytest.raises(ValueError, match="perm dim 3 is out of range of input rank 2"):
        tf.transpose(tf.zeros([2, 3]), [0, 3])
    with pytest.raises(ValueError, match=r"Argument 'a' should be a \(batch\) matrix, with rank >= 2\.  Found: \(3,\)"):
        tf.matrix_transpose(tf.zeros([3]))


def test_strided_slice_build_time_errors():
    x = tf.zeros([2, 3])
    with pytest.raises(ValueError, match="slice index 5 of dimension 0 out of bounds."):
        x[5]
    with pytest.raises(ValueError, match="Index out of range using input dim 2; input has only 2 dims"):
        x[1, 1, 1]
    with pytest.raises(ValueError, match="Multiple ellipses in slice spec not allowed"):
        x[..., ...]
    with pytest.raises(ValueError, match=r"strides\[0\] must be non-zero"):
        x[::0]


@pytest.mark.parametrize("index", [1.5, "a", [1.0], tf.constant(1.0)])
def test_getitem_rejects_non_int_indices(index):
    x = tf.zeros([3, 4])
    with pytest.raises(TypeError, match=r"Only integers, slices \(`:`\), ellipsis \(`\.\.\.`\), tf.newaxis \(`None`\) "
                                        r"and scalar tf.int32/tf.int64 tensors are valid indices, got "):
        x[index]


def test_getitem_rejects_vector_tensor_index():
    with pytest.raises(TypeError, match=r"valid indices, got <tf.Tensor 'Const:0' shape=\(2,\) dtype=int32>"):
        tf.zeros([3])[tf.constant([0, 1])]


def test_where_needs_both_or_neither():
    with pytest.raises(ValueError, match="x and y must both be non-None or both be None."):
        tf.where(tf.constant([True]), tf.constant([1.0]))


def test_select_vector_condition_length():
    with pytest.raises(ValueError, match=r"Dimension 0 in both shapes must be equal, but are 3 and 2"):
        tf.where(tf.constant([True, False, True]), tf.zeros([2, 3]), tf.ones([2, 3]))


def test_one_hot_dtype_checks():
    with pytest.raises(TypeError, match="dtype <dtype: 'int32'> of on_value does not match dtype parameter "
                                        "<dtype: 'float32'>"):
        tf.one_hot([1], 3, on_value=1, dtype=tf.float32)
    with pytest.raises(TypeError, match="dtype <dtype: 'float32'> of on_value does not match dtype "
                                        "<dtype: 'int32'> of off_value"):
        tf.one_hot([1], 3, on_value=1.0, off_value=0)
    assert tf.one_hot([1], 3, on_value=True, off_value=False).dtype == tf.bool


def test_pad_errors():
    with pytest.raises(ValueError, match="Unknown padding mode: FOO"):
        tf.pad(tf.zeros([2]), [[1, 1]], "foo")
    with pytest.raises(ValueError, match="Paddings must be non-negative"):
        tf.pad(tf.zeros([2]), [[-1, 1]])


def test_range_errors_and_dtypes():
    r = tf.range(0, 5, 0.5)
    assert [i.op.name for i in r.op.inputs] == ["range/Cast", "range/Cast_1", "range/delta"]
    with pytest.raises(ValueError, match="Requires start <= limit when delta > 0: 5/1"):
        tf.range(5, 1)
    with pytest.raises(ValueError, match="Requires delta != 0"):
        tf.range(0, 5, 0)
    assert tf.range(5).dtype == tf.int32
    assert tf.range(0, 5, 0.5).dtype == tf.float32
    assert tf.range(tf.constant(3, tf.int64)).dtype == tf.int64
    assert tf.range(1.0, 2.0, dtype=tf.float64).dtype == tf.float64


def test_gather_and_tile_shape_errors():
    with pytest.raises(ValueError, match="Shape must be at least rank 3 but is rank 2"):
        tf.gather(tf.zeros([2, 3]), [0], axis=2)
    with pytest.raises(ValueError, match="Shape must be rank 2 but is rank 3"):
        tf.tile(tf.zeros([2, 3]), [1, 2, 3])


def test_boolean_mask_errors():
    with pytest.raises(ValueError, match="mask cannot be scalar."):
        tf.boolean_mask(tf.zeros([2]), True)
    with pytest.raises(ValueError, match=r"Number of mask dimensions must be specified"):
        tf.boolean_mask(tf.zeros([2]), tf.placeholder(tf.bool))
    with pytest.raises(ValueError, match=r"Shapes \(2,\) and \(3,\) are incompatible"):
        tf.boolean_mask(tf.zeros([2, 3]), [True, False, True])


def test_placeholder_with_default_shape_must_fit():
    with pytest.raises(ValueError, match=r"Dimension 0 in both shapes must be equal, but are 2 and 3"):
        tf.placeholder_with_default([1.0, 2.0], [3])


def test_fill_negative_dims():
    with pytest.raises(ValueError, match="Fill dimensions must be >= 0"):
        tf.fill([-1, 2], 1.0)


# =========================================================================== errors at run time
def _run_error(t, feed=None):
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            sess.run(t, feed)
    return str(info.value)


def test_gather_index_out_of_range_at_run_time():
    msg = _run_error(tf.gather(tf.zeros([5, 2]), [0, 7]))
    assert msg.startswith("indices[1] = 7 is not in [0, 5)")
    p = tf.placeholder(tf.int32, [None, None])
    msg = _run_error(tf.gather(tf.zeros([5]), p), {p: [[0, 1], [-1, 2]]})
    assert msg.startswith("indices[1,0] = -1 is not in [0, 5)")


def test_run_time_shape_errors():
    p = tf.placeholder(tf.float32, [None, None])
    feed = {p: np.zeros((2, 3), np.float32)}
    assert _run_error(tf.squeeze(p, [1]), feed).startswith("Can not squeeze dim[1], expected a dimension of 1, got 3")
    assert _run_error(tf.reshape(p, [4]), feed).startswith(
        "Input to reshape is a tensor with 6 values, but the requested shape has 4")
    assert _run_error(p[5], feed).startswith("slice index 5 of dimension 0 out of bounds.")
    assert _run_error(tf.concat([p, p[:1]], 1), feed).startswith(
        "ConcatOp : Dimensions of inputs should match: shape[0] = [2,3] vs. shape[1] = [1,3]")
    assert _run_error(tf.slice(p, [0, 2], [1, 2]), feed).startswith("Expected size[1] in [0, 1], but got 2")


# =========================================================================== names
def test_getitem_op_names():
    x = tf.constant(M)
    y = x[1:, ::-1]
    assert y.op.name == "strided_slice" and y.op.type == "StridedSlice"
    assert [t.op.name for t in y.op.inputs] == ["Const", "strided_slice/stack", "strided_slice/stack_1",
                                                "strided_slice/stack_2"]
    assert y.op.get_attr("begin_mask") == 2 and y.op.get_attr("end_mask") == 3
    assert x[0].op.name == "strided_slice_1"
    with tf.name_scope("net"):
        assert x[0].op.name == "net/strided_slice"


def test_getitem_with_a_tensor_index_adds_outside_the_scope():
    x = tf.constant(M)
    i = tf.constant(1)
    y = x[i]
    assert y.shape.as_list() == [3]
    end = y.op.inputs[2]
    assert end.op.type == "Pack" and end.op.inputs[0].op.name == "add"


def test_concat_and_stack_names():
    a, b = tf.constant(M), tf.constant(M)
    c = tf.concat([a, b], 0)
    assert c.op.name == "concat" and c.op.inputs[2].op.name == "concat/axis"
    one = tf.concat([a], 0)
    assert one.op.type == "Identity" and one.op.name == "concat_1/concat"
    assert tf.stack([a, b]).op.name == "stack"
    assert tf.stack([1, 2]).op.type == "Const"


def test_default_op_names():
    x = tf.zeros([2, 3])
    assert tf.transpose(x).op.name == "transpose"
    assert tf.expand_dims(x, 0).op.name == "ExpandDims"
    assert tf.squeeze(x).op.name == "Squeeze"
    assert tf.gather(x, [0]).op.name == "GatherV2"
    assert tf.one_hot([0], 2).op.name == "one_hot"
    assert tf.range(3).op.name == "range"
    assert tf.reverse(x, [0]).op.name == "ReverseV2"
    assert tf.pad(x, [[0, 0], [1, 1]]).op.name == "Pad"
    assert tf.tile(x, [1, 1]).op.name == "Tile"
    assert tf.where(tf.constant([True])).op.name == "Where"
    assert tf.unstack(x)[1].name == "unstack:1"
    assert tf.boolean_mask(x, [True, False]).op.name == "boolean_mask/GatherV2"


def test_split_converts_its_argument_first_as_tf_does():
    parts = tf.split(tf.zeros([4, 2]), 2)
    g = tf.get_default_graph()
    assert [op.name for op in g.get_operations()][-3:] == ["Const", "split/split_dim", "split"]
    assert [p.name for p in parts] == ["split:0", "split:1"]


def test_shape_size_rank_are_consts_when_static():
    x = tf.zeros([2, 3])
    assert tf.shape(x).op.type == "Const" and tf.size(x).op.type == "Const" and tf.rank(x).op.type == "Const"
    p = tf.placeholder(tf.float32, [None, 3])
    assert tf.shape(p).op.type == "Shape" and tf.size(p).op.type == "Size"
    assert tf.rank(tf.placeholder(tf.float32)).op.type == "Rank"


# =========================================================================== autopacking, dtypes, variables
def test_lists_holding_tensors_are_packed():
    t = tf.constant(2.0)
    packed = tf.convert_to_tensor([[t, 1.0], [3.0, t]])
    assert packed.op.type == "Pack" and packed.op.name == "packed" and packed.shape.as_list() == [2, 2]
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(packed), [[2, 1], [3, 2]])
    with pytest.raises(TypeError, match="Cannot convert a list containing a tensor of dtype"):
        tf.convert_to_tensor([tf.constant(1), tf.constant(2.0)])


def test_python_lists_beside_tensors_take_their_dtype():
    x = tf.constant([1.0, 2.0], tf.float64)
    assert (x + [1, 2]).dtype == tf.float64
    p = tf.placeholder(tf.int32, [])
    z = tf.zeros([p, 2])
    assert z.shape.as_list() == [None, 2]
    with tf.Session() as sess:
        assert sess.run(z, {p: 3}).shape == (3, 2)


def test_slicing_a_variable():
    v = tf.Variable(M)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(v[1, ::-1]), M[1, ::-1])
        np.testing.assert_array_equal(sess.run(v[tf.constant(0)]), M[0])


def test_report_uninitialized_variables_uses_string_boolean_mask():
    a = tf.Variable(1.0, name="a")
    tf.Variable(2.0, name="b")
    report = tf.report_uninitialized_variables()
    with tf.Session() as sess:
        assert list(sess.run(report)) == [b"a", b"b"]
        sess.run(a.initializer)
        assert list(sess.run(report)) == [b"b"]


@pytest.mark.parametrize("dtype", [tf.float16, tf.float32, tf.float64, tf.int32, tf.int64])
def test_index_and_join_ops_keep_the_dtype(dtype):
    x = tf.constant(M, dtype)
    outs = [x[1:, ::-1], tf.concat([x, x], 0), tf.stack([x, x]), tf.transpose(x), tf.tile(x, [2, 1]),
            tf.gather(x, [1]), tf.reverse(x, [0]), tf.pad(x, [[1, 1], [0, 0]]), tf.reshape(x, [-1]),
            tf.boolean_mask(x, [True, False])]
    with tf.Session() as sess:
        for t, v in zip(outs, sess.run(outs)):
            assert t.dtype == dtype and v.dtype == dtype.as_numpy_dtype, t.op.name


def test_fetched_slices_do_not_alias_constants():
    x = tf.constant(M)
    with tf.Session() as sess:
        v = sess.run(x[0])
        v[:] = -1
        np.testing.assert_array_equal(sess.run(x[0]), M[0])


def test_fetched_views_of_a_feed_do_not_alias_it():
    p = tf.placeholder(tf.float32, [None, 4])
    axis = tf.placeholder_with_default(1, [])  # Split's aliased input is its second: the walk must find it
    fetches = [p[1:], tf.reshape(p, [-1]), tf.transpose(p), tf.split(p, 2, axis=axis)[0], tf.unstack(p, 2)[1],
               tf.squeeze(tf.expand_dims(p, 0), [0]), tf.identity(p)]
    fed_value = np.arange(8, dtype=np.float32).reshape(2, 4)
    with tf.Session() as sess:
        for t, v in zip(fetches, sess.run(fetches, {p: fed_value})):
            assert not np.shares_memory(v, fed_value), t.op.type


# =========================================================================== ops that gradients build: errors
def test_broadcast_gradient_args_incompatible_shapes():
    assert _run_error(broadcast_gradient_args([2, 3], [4])[0]).startswith("Incompatible shapes: [2,3] vs. [4]")
    with pytest.raises(ValueError, match="Shape must be rank 1 but is rank 0"):
        broadcast_gradient_args(2, [4])
    with pytest.raises(TypeError, match="Value passed to parameter 's0' has DataType float32 not in list of "
                                        "allowed values: int32, int64"):
        broadcast_gradient_args([2.0], [4.0])


def test_concat_offset_errors():
    assert _run_error(concat_offset(2, [[2, 3], [2, 5]])[0]).startswith("Concat dim is out of range: 2 vs. 2")
    assert _run_error(concat_offset(1, [[2, 3], [2, 5, 1]])[0]).startswith(
        "input 1 should contain 2 elements, but got 3")
    assert _run_error(concat_offset(1, [[2, 3], [4, 5]])[0]).startswith(
        "All dimensions except 1 must match. Input 1 has shape [4 5] and doesn't match input 0 with shape [2 3].")


def test_invert_permutation_errors():
    assert _run_error(tf.invert_permutation([0, 0, 1])).startswith("0 is duplicated in the input.")
    assert _run_error(tf.invert_permutation([0, 3, 1])).startswith("3 is not between 0 and 3")
    with pytest.raises(ValueError, match="Shape must be rank 1 but is rank 2"):
        tf.invert_permutation([[0, 1]])


def test_unsorted_segment_sum_errors():
    assert _run_error(tf.unsorted_segment_sum(tf.zeros([3, 2]), [0, 5, 1], 3)).startswith(
        "segment_ids[1] = 5 is out of range [0, 3)")
    ids = tf.placeholder(tf.int32, [None])
    assert _run_error(tf.unsorted_segment_sum(tf.zeros([3, 2]), ids, 3), {ids: [0, 1]}).startswith(
        "data.shape = [3,2] does not start with segment_ids.shape = [2]")
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 3 and 2 for 'UnsortedSegmentSum"):
        tf.unsorted_segment_sum(tf.zeros([3, 2]), [0, 1], 2)  # TF 2.21's wording
    assert tf.unsorted_segment_sum(tf.zeros([3, 2]), ids, tf.placeholder(tf.int32, [])).shape.as_list() == [None, 2]


def test_strided_slice_grad_checks_dy():
    g = strided_slice_grad([3, 4], [1, 0], [3, 4], [1, 2], tf.placeholder(tf.float32, [None, None]))
    assert g.shape.as_list() == [3, 4]
    assert _run_error(g, {g.op.inputs[4]: np.zeros((2, 3), np.float32)}).startswith(
        "shape of dy was [2,3] instead of [2,2]")


def test_mirror_pad_grad_shapes_and_errors():
    assert mirror_pad_grad(tf.zeros([5, 7]), [[1, 2], [2, 2]], "REFLECT").shape.as_list() == [2, 3]
    with pytest.raises(ValueError, match="Negative dimension size caused by subtracting 4 from 3"):
        mirror_pad_grad(tf.zeros([3, 7]), [[2, 2], [0, 0]], "REFLECT")
    p = tf.placeholder(tf.float32, [None, 7])
    assert _run_error(mirror_pad_grad(p, [[2, 2], [0, 0]], "REFLECT"), {p: np.zeros((6, 7))}).startswith(
        "paddings must be less than the output dimension size: 2, 2 not less than 2")


# =========================================================================== gradients
def test_gradient_op_names_and_static_shapes():
    x = tf.placeholder(tf.float32, [None, 3, 4])
    (g,) = tf.gradients(tf.reshape(x, [-1, 4]), x)
    assert g.op.type == "Reshape" and g.op.name == "gradients/Reshape_grad/Reshape"
    assert g.shape.as_list() == [None, 3, 4]
    assert g.op.inputs[1].op.type == "Const"  # one unknown dim: a -1, no run-time Shape op
    (g,) = tf.gradients(x[:, 1], x)
    assert g.op.type == "StridedSliceGrad" and g.shape.as_list() == [None, 3, 4]
    (g,) = tf.gradients(tf.gather(x, [0, 0], axis=2), x)
    assert g.shape.as_list() == [None, 3, 4]


def test_concat_gradient_slices_at_concat_offsets_as_tf():
    x = tf.placeholder(tf.float32, [None, 3, 4])
    (g,) = tf.gradients(tf.concat([x, x], 1), x)
    assert g.op.type == "AddN" and [t.op.name for t in g.op.inputs] == ["gradients/concat_grad/Slice",
                                                                        "gradients/concat_grad/Slice_1"]
    assert g.op.inputs[0].op.inputs[1].op.type == "ConcatOffset"
    assert g.op.inputs[0].op.inputs[2].op.type == "ShapeN"  # x's shape is only known at run time


def test_gradients_through_integer_inputs_are_none():
    x = tf.constant(M)
    axis = tf.constant(1)
    begin = tf.constant([0, 1])
    ys = [tf.concat([x, x], axis), tf.slice(x, begin, [2, 1]), tf.gather(x, [1], axis=axis)]
    for y in ys:
        assert tf.gradients(y, [axis, begin]) == [None, None]


def test_gather_gradient_sums_repeated_indices():
    x = tf.constant(np.arange(12.0).reshape(4, 3))
    (g,) = tf.gradients(tf.gather(x, [3, 1, 3, 3]), x)
    assert isinstance(g, tf.IndexedSlices)  # sparse, as TF's: the repeated rows sum when densified
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(tf.convert_to_tensor(g)), [[0, 0, 0], [1, 1, 1], [0, 0, 0], [3, 3, 3]])


def test_concat_gradient_with_unknown_axis_lengths_reads_run_time_shapes():
    a = tf.placeholder(tf.float64, [2, None])
    b = tf.placeholder(tf.float64, [2, None])
    y = tf.concat([a, b], -1) * tf.constant(np.arange(10.0).reshape(2, 5))
    ga, gb = tf.gradients(y, [a, b])
    with tf.Session() as sess:
        va, vb = sess.run([ga, gb], {a: np.ones((2, 2)), b: np.ones((2, 3))})
    np.testing.assert_array_equal(va, [[0, 1], [5, 6]])
    np.testing.assert_array_equal(vb, [[2, 3, 4], [7, 8, 9]])


def _cplx_transpose(tf, x):
    """A ConjugateTranspose on real input (TF's op takes any T; tf.transpose only builds it for complex)."""
    return make_op("ConjugateTranspose", [x, tf.constant([1, 0])], {"T": x.dtype.base_dtype, "Tperm": tf.int32})


def _dynamic_axis(tf, value):
    """An int32 scalar known only at run time."""
    return tf.placeholder_with_default(value, [])


GRAD_CASES = [
    GradRow("PlaceholderWithDefault", lambda tf, x: tf.placeholder_with_default(x, [None, 3]), [(2, 3)]),
    GradRow("Identity", lambda tf, x: tf.identity(x), [(2, 3)]),
    GradRow("Fill", lambda tf, x: tf.fill([2, 3], x), [()]),
    GradRow("Fill", lambda tf, x: tf.fill(tf.shape(x)[:1], x[0, 0]), [(3, 2)], unknown_dims=True,
            id="Fill-unknown-dims"),
    GradRow("Reshape", lambda tf, x: tf.reshape(x, [4, -1]), [(2, 3, 4)]),
    GradRow("Reshape", lambda tf, x: tf.reshape(x, [-1, 2]), [(2, 3, 4)], unknown_dims=True,
            id="Reshape-unknown-dims"),
    GradRow("Reshape", lambda tf, x: tf.reshape(tf.placeholder_with_default(x, [None, 3, 4]), [6, -1]),
            [(2, 3, 4)], id="Reshape-one-unknown-dim"),
    GradRow("ExpandDims", lambda tf, x: tf.expand_dims(x, -1), [(2, 3)]),
    GradRow("ExpandDims", lambda tf, x: tf.expand_dims(x, 1), [(2, 3)], unknown_dims=True,
            id="ExpandDims-unknown-dims"),
    GradRow("Squeeze", lambda tf, x: tf.squeeze(x, [1]), [(2, 1, 3)]),
    GradRow("Squeeze", lambda tf, x: tf.squeeze(x, [0, 2]), [(1, 3, 1)], unknown_dims=True,
            id="Squeeze-unknown-dims"),
    GradRow("Transpose", lambda tf, x: tf.transpose(x, [1, 2, 0]), [(2, 3, 4)]),
    GradRow("Transpose", lambda tf, x: tf.transpose(x), [(2, 3)], unknown_dims=True, id="Transpose-unknown-dims"),
    GradRow("ConjugateTranspose", _cplx_transpose, [(2, 3)]),
    GradRow("ConcatV2", lambda tf, x, y: tf.concat([x, y, x], 1), [(2, 3), (2, 1)]),
    GradRow("Concat", lambda tf, x, y: _concat_v1(tf, 1, [x, y, x]), [(2, 3), (2, 1)]),
    GradRow("ConcatV2", lambda tf, x, y: tf.concat([x, y], -1), [(2, 3), (2, 1)], unknown_dims=True,
            id="ConcatV2-unknown-dims"),
    GradRow("ConcatV2", lambda tf, x, y: tf.concat([x, y], _dynamic_axis(tf, 0)), [(2, 3), (4, 3)],
            id="ConcatV2-run-time-axis"),
    GradRow("ConcatV2", lambda tf, x, y: tf.concat([x, y] * 9, 0), [(1, 2), (2, 2)], id="ConcatV2-18-inputs"),
    GradRow("ConcatV2", lambda tf, x, y: tf.concat([x, y] * 9, 1), [(2, 1), (2, 3)], unknown_dims=True,
            id="ConcatV2-18-inputs-unknown-dims"),
    GradRow("Pack", lambda tf, x, y: tf.stack([x, y], axis=1), [(2, 3), (2, 3)]),
    GradRow("Pack", lambda tf, x, y: tf.stack([x, y, x], axis=-1), [(2, 3), (2, 3)], unknown_dims=True,
            id="Pack-unknown-dims"),
    GradRow("Unpack", lambda tf, x: tf.concat(tf.unstack(x, axis=1)[::-2], 0), [(2, 3, 4)]),  # one output unused
    GradRow("Split", lambda tf, x: tf.concat(tf.split(x, 2, axis=2)[::-1], 0), [(2, 3, 4)]),
    GradRow("Split", lambda tf, x: tf.split(x, 3, axis=1)[1], [(2, 3, 4)], unknown_dims=True,
            id="Split-one-piece-unknown-dims"),
    GradRow("SplitV", lambda tf, x: tf.concat(tf.split(x, [1, 3], axis=2)[::-1], 2), [(2, 3, 4)]),
    GradRow("SplitV", lambda tf, x: tf.split(x, [1, -1], axis=-1)[1], [(2, 3, 4)], unknown_dims=True,
            id="SplitV-one-piece-unknown-dims"),
    GradRow("Tile", lambda tf, x: tf.tile(x, [2, 3]), [(2, 3)]),
    GradRow("Tile", lambda tf, x: tf.tile(x, [1, 2, 3]), [(2, 3, 1)], unknown_dims=True, id="Tile-unknown-dims"),
    GradRow("Pad", lambda tf, x: tf.pad(x, [[1, 0], [2, 1]]), [(2, 3)]),
    GradRow("Pad", lambda tf, x: tf.pad(x, tf.constant([[0, 1], [1, 1], [2, 0]], tf.int64)), [(2, 3, 1)],
            unknown_dims=True, id="Pad-int64-unknown-dims"),
    GradRow("PadV2", lambda tf, x: tf.pad(x, [[1, 1], [0, 2]], constant_values=3.0), [(2, 3)]),
    GradRow("MirrorPad", lambda tf, x: tf.pad(x, [[1, 1], [2, 2]], "REFLECT"), [(3, 4)]),
    GradRow("MirrorPad", lambda tf, x: tf.pad(x, [[2, 0], [3, 3]], "SYMMETRIC"), [(2, 3)], unknown_dims=True,
            id="MirrorPad-symmetric-unknown-dims"),
    GradRow("MirrorPadGrad", lambda tf, x: mirror_pad_grad(x, [[1, 2], [2, 2]], "REFLECT"), [(6, 7)]),
    GradRow("MirrorPadGrad", lambda tf, x: mirror_pad_grad(x, [[2, 0], [1, 3]], "SYMMETRIC"), [(4, 7)],
            unknown_dims=True, id="MirrorPadGrad-symmetric-unknown-dims"),
    GradRow("GatherV2", lambda tf, x: tf.gather(x, [3, 0, 3]), [(4, 3)]),
    GradRow("GatherV2", lambda tf, x: tf.gather(x, [[2, 2], [0, 1]], axis=1), [(2, 3, 4)], id="GatherV2-axis1"),
    GradRow("GatherV2", lambda tf, x: tf.gather(x, tf.constant([1, 1, 0], tf.int64), axis=-1), [(2, 3, 2)],
            unknown_dims=True, id="GatherV2-last-axis-unknown-dims"),
    GradRow("GatherV2", lambda tf, x: tf.gather(x, [[0], [2]], axis=_dynamic_axis(tf, 1)), [(2, 3, 4)],
            id="GatherV2-run-time-axis"),
    GradRow("UnsortedSegmentSum", lambda tf, x: tf.unsorted_segment_sum(x, [1, -1, 1, 0], 3), [(4, 3)]),
    GradRow("UnsortedSegmentSum", lambda tf, x: tf.unsorted_segment_sum(x, [[2, 0], [2, -1]], 4), [(2, 2, 3)],
            unknown_dims=True, id="UnsortedSegmentSum-2d-ids-unknown-dims"),
    GradRow("Slice", lambda tf, x: tf.slice(x, [1, 0, 1], [2, -1, 2]), [(3, 2, 4)]),
    GradRow("Slice", lambda tf, x: tf.slice(x, tf.constant([0, 1], tf.int64), tf.constant([-1, 2], tf.int64)),
            [(3, 4)], unknown_dims=True, id="Slice-int64-unknown-dims"),
    GradRow("StridedSlice", lambda tf, x: x[::-2, 1:, :-1:3], [(3, 4, 5)]),
    GradRow("StridedSlice", lambda tf, x: x[-1, tf.newaxis, ..., 2], [(2, 3, 4)], id="StridedSlice-shrink-newaxis"),
    GradRow("StridedSlice", lambda tf, x: x[:, 1:, ::-1], [(2, 3, 4)], unknown_dims=True,
            id="StridedSlice-unknown-dims"),
    GradRow("StridedSlice", lambda tf, x: x[_dynamic_axis(tf, 1)], [(3, 2)], id="StridedSlice-run-time-index"),
    GradRow("StridedSliceGrad", lambda tf, x: strided_slice_grad([3, 4], [1, 0], [3, 4], [1, 2], x), [(2, 2)]),
    GradRow("Select", lambda tf, x, y: tf.where(tf.constant([[True, False, True], [False, False, True]]), x, y),
            [(2, 3), (2, 3)]),
    GradRow("Select", lambda tf, x, y: tf.where(tf.constant([True, False, True]), x, y), [(3, 2, 4), (3, 2, 4)],
            unknown_dims=True, id="Select-row-condition-broadcast-unknown-dims"),
    GradRow("Select", lambda tf, x, y: tf.where(tf.constant(False), x, y), [(2, 3), (2, 3)],
            id="Select-scalar-condition"),
    GradRow("ReverseV2", lambda tf, x: tf.reverse(x, [0, -1]), [(2, 3, 4)]),
    GradRow("ReverseV2", lambda tf, x: tf.reverse(x, [1]), [(2, 3)], unknown_dims=True, id="ReverseV2-unknown-dims"),
]

GRAD_CASES += [
    GradRow("BroadcastTo", lambda tf, a: tf.broadcast_to(a, [4, 2, 3]), [(2, 1)]),
    GradRow("BroadcastTo", lambda tf, a: tf.broadcast_to(a, [2, 3]), [(1, 3)], id="BroadcastTo-unknown",
            unknown_dims=True),
]

GRAD_CASES += [
    GradRow("ReverseSequence", lambda tf, x: tf.reverse_sequence(x, [4, 0, 2], seq_axis=2, batch_axis=1),
            [(2, 3, 4)]),
    GradRow("ReverseSequence", lambda tf, x: tf.reverse_sequence(x, tf.constant([1, 3], tf.int64), seq_axis=0,
                                                                 batch_axis=1),
            [(3, 2)], unknown_dims=True, id="ReverseSequence-int64-unknown-dims"),
]
_ND_UNIQUE = np.array([[[1, 2], [0, 0]], [[1, 0], [0, 2]]], np.int32)  # no repeats: TensorScatterUpdate's rule
GRAD_CASES += [
    GradRow("GatherNd", lambda tf, p: tf.gather_nd(p, ND_IDX), [(2, 3, 4)]),
    GradRow("GatherNd", lambda tf, p: tf.gather_nd(p, [[1], [1], [0]]), [(2, 3)], unknown_dims=True,
            id="GatherNd-slices-unknown"),
    GradRow("ScatterNd", lambda tf, u: tf.scatter_nd(ND_IDX, u, [2, 3]), [(3, 2)]),
    GradRow("TensorScatterUpdate", lambda tf, t, u: tf.tensor_scatter_nd_update(t, _ND_UNIQUE, u), [(2, 3), (2, 2)]),
    GradRow("TensorScatterAdd", lambda tf, t, u: tf.tensor_scatter_nd_add(t, ND_IDX, u), [(2, 3), (3, 2)]),
    GradRow("TensorScatterSub", lambda tf, t, u: tf.tensor_scatter_nd_sub(t, [[1], [0]], u), [(2, 3), (2, 3)],
            unknown_dims=True),
]
GRAD_CASES += [
    GradRow("SelectV2", lambda tf, x, y: tf.where_v2([[True], [False]], x, y), [(2, 3), (3,)]),
    GradRow("SelectV2", lambda tf, x, y: tf.where_v2([True, False, True], x, y), [(2, 3), ()], unknown_dims=True,
            id="SelectV2-unknown-scalar"),
    GradRow("IdentityN", lambda tf, x, y: tf.add_n([tf.identity_n([x, y])[0], 2 * tf.identity_n([x, y])[1]]),
            [(2, 3), (2, 3)]),
]
GRAD_CASES += [
    GradRow("SegmentSum", lambda tf, x: tf.segment_sum(x, SEG), [(6, 2)]),
    GradRow("SegmentMean", lambda tf, x: tf.segment_mean(x, SEG), [(6, 2)], unknown_dims=True),
    GradRow("SegmentMax", lambda tf, x: tf.segment_max(x, SEG), [(6, 3)]),
    GradRow("SegmentMin", lambda tf, x: tf.segment_min(x, [0, 1, 1, 1]), [(4,)], unknown_dims=True),
    GradRow("SegmentProd", lambda tf, x: tf.segment_prod(x, SEG), [(6, 2)]),
    GradRow("SegmentProd", lambda tf, x: tf.segment_prod(x, SEG), None, id="SegmentProd-zeros",
            inputs=[[[1, 0], [3, 0], [-5, 6], [0, 0.5], [2, -1], [3, 3]]]),
    # (every segment has a row: an empty one holds the dtype's lowest value, which overflows the weighted sum)
    GradRow("UnsortedSegmentMax", lambda tf, x: tf.unsorted_segment_max(x, [[1, -1, 1], [0, 1, 2]], 3), [(2, 3, 2)]),
    GradRow("UnsortedSegmentMin", lambda tf, x: tf.unsorted_segment_min(x, [3, 3, 1, 2, 0, 0], 4), [(6, 2)],
            unknown_dims=True),
    GradRow("UnsortedSegmentProd", lambda tf, x: tf.unsorted_segment_prod(x, [2, 0, 2, -1, 0, 2], 4), [(6, 2)]),
    GradRow("UnsortedSegmentProd", lambda tf, x: tf.unsorted_segment_prod(x, [2, 0, 2, -1, 0, 2], 4), None,
            id="UnsortedSegmentProd-zeros", inputs=[[[1, 0], [3, 0], [0, 6], [0, 0.5], [2, -1], [0, 3]]]),
]
test_grad_row = grad_rows_test(GRAD_CASES)


def test_reverse_sequence_errors_are_tensorflows():
    """TF 2.21's shape function at graph build, its kernel's checks when the graph runs; TF 1.x's old names."""
    x = tf.placeholder(tf.float32, [2, 5, 3])
    with pytest.raises(ValueError, match=r"Dimensions must be equal, but are 2 and 3 for 'ReverseSequence' .*"
                                         r"with input shapes: \[2,5,3\], \[3\]"):
        tf.reverse_sequence(x, [2, 3, 4], seq_axis=1)
    with pytest.raises(ValueError, match="Shape must be rank 1 but is rank 2"):
        tf.reverse_sequence(x, [[2, 3]], seq_axis=1)
    with pytest.raises(ValueError, match="seq_dim must be < input rank: 3 vs. 3"):
        tf.reverse_sequence(x, [2, 3], seq_axis=3)
    with pytest.raises(ValueError, match="batch_dim must be < input rank: 3 vs. 3"):
        tf.reverse_sequence(x, [2, 3], seq_axis=1, batch_axis=3)
    with pytest.raises(ValueError, match="batch_dim must be >=0, got -1"):
        tf.reverse_sequence(x, [2, 3], seq_axis=1, batch_axis=-1)
    with pytest.raises(TypeError, match="Value passed to parameter 'seq_lengths' has DataType float32 not in list "
                                        "of allowed values: int32, int64"):
        tf.reverse_sequence(x, [2.0, 3.0], seq_axis=1)
    with pytest.raises(ValueError, match="Cannot specify both 'seq_dim' and 'seq_axis'"):
        tf.reverse_sequence(x, [2, 3], seq_axis=1, seq_dim=1)
    with pytest.raises(TypeError, match="Expected int for argument 'seq_dim' not None."):
        tf.reverse_sequence(x, [2, 3])
    assert tf.reverse_sequence(tf.placeholder(tf.float32), [2, 3], seq_axis=1).shape.ndims is None
    assert tf.reverse_sequence(tf.placeholder(tf.float32, [None, None, 3]), tf.placeholder(tf.int32, [2]),
                               seq_axis=1).shape.as_list() == [2, None, 3]
    n = tf.placeholder(tf.int32, None)
    fed = tf.reverse_sequence(x, n, seq_axis=1)
    wrong = [(tf.reverse_sequence(x, [2, 3], seq_axis=-1), [1, 2], "Invalid seq_dim -1"),
             (tf.reverse_sequence(x, [2, 2], seq_axis=0), [1, 2], "batch_dim == seq_dim == 0"),
             (fed, [[1, 2]], "seq_lengths must be 1-dim, not 2"),
             (fed, [1, 2, 3], r"Length of seq_lengths != input.dims\(0\), \(3 vs. 2\)"),
             (fed, [2, -1], r"seq_lens\(1\) < 0"),
             (fed, [6, 2], r"seq_lens\(0\) > input.dims\(1\)")]
    with tf.Session() as sess:
        for t, lengths, message in wrong:
            with pytest.raises(tf.errors.InvalidArgumentError, match=message):
                sess.run(t, {x: np.zeros([2, 5, 3], np.float32), n: lengths})


def test_shape_tensors_read_partly_for_static_shapes():
    """A shape given as a tensor is read as far as it is known, as TF's constant_value_as_shape reads it: a
    ConcatV2 of known and unknown parts, a slice of tf.shape(x) (begin and end masks, positive steps, negative
    bounds), an integer Cast; an input of unknown rank leaves all unknown. (Each known shape below is TF 2.21
    compat.v1's.)"""
    tf.reset_default_graph()
    n = tf.placeholder(tf.int32, [])
    x = tf.placeholder(tf.float32, [None, 5, 7])
    u = tf.placeholder(tf.float32, None)
    cases = [(tf.eye(2, n), [2, None]),
             (tf.fill(tf.concat([[3], [n], tf.shape(x)[1:]], 0), 1.0), [3, None, 5, 7]),
             (tf.reshape(x, tf.concat([[-1], [35]], 0)), [None, 35]),
             (tf.zeros(tf.shape(x)[1:]), [5, 7]),
             (tf.zeros(tf.shape(x)[:2]), [None, 5]),
             (tf.zeros(tf.shape(x)[::2]), [None, 7]),
             (tf.zeros(tf.shape(x)[-1:]), [7])]
    for t, want in cases:
        assert t.shape.as_list() == want, (t.name, t.shape)
    assert tf.zeros(tf.concat([tf.shape(u), [2]], 0)).shape.ndims is None
    assert tf.zeros(tf.cast(tf.shape(x), tf.int64)[1:]).shape.as_list() == [5, 7]  # through an integer Cast
    # a negative step from the start, or a bound before it: TF's shape errors (InferenceContext::Subshape)
    with pytest.raises(ValueError, match=r"^Subshape must have computed start >= end since stride is negative, but "
                                         r"is 0 and 3 \(computed from start 0 and end 9223372036854775807 over shape "
                                         r"with rank 3 and stride-1\) for 'zeros_6'"):
        tf.zeros(tf.shape(x)[::-1])
    with pytest.raises(ValueError, match=r"^Subshape start out of bounds: -5, for shape with rank 3 for 'zeros_7'"):
        tf.zeros(tf.shape(x)[-5:])
    with tf.Session() as sess:
        got = sess.run([t for t, _ in cases], {n: 4, x: np.ones((2, 5, 7), np.float32)})
    assert [g.shape for g in got] == [(2, 4), (3, 4, 5, 7), (2, 35), (5, 7), (2, 5), (2, 7), (7,)]


# =========================================================================== gather_nd / scatter_nd (TF's messages)
def test_gather_nd_and_scatter_nd_build_time_errors():
    with pytest.raises(ValueError, match=r"indices.shape\[-1\] must be <= params.rank, but saw indices shape: \[1,4\] "
                                         r"and params shape: \[\?,3,4\] for 'GatherNd' \(op: 'GatherNd'\)"):
        tf.gather_nd(tf.placeholder(tf.float32, [None, 3, 4]), [[1, 2, 3, 4]])
    with pytest.raises(TypeError, match="Value passed to parameter 'indices' has DataType float32 not in list of "
                                        "allowed values: int16, int32, int64"):
        tf.gather_nd(tf.zeros([2, 3]), [[1.0]])
    with pytest.raises(ValueError, match=r"Dimensions \[0,1\) of indices\[shape=\[2,1\]\] = \[2\] must match "
                                         r"dimensions \[0,1\) of updates\[shape=\[3\]\] = \[3\]: Dimension 0 in both"):
        tf.scatter_nd([[1], [3]], [1., 2., 3.], [5])
    # TF checks with the shape's length first (input[shape=[?,?]]), then with its value
    with pytest.raises(ValueError, match=r"Dimensions \[1,2\) of input\[shape=\[\?,\?\]\] = \[\?\] must match "
                                         r"dimensions \[1,1\) of updates\[shape=\[2\]\] = \[\]: Shapes must be equal"):
        tf.scatter_nd([[1], [3]], [1., 2.], [5, 2])
    with pytest.raises(ValueError, match=r"of updates\[shape=\[2,1\]\] = \[1\]: Dimension 0 in both shapes must be "
                                         r"equal.* and with input tensors computed as partial shapes: input\[2\] = "
                                         r"\[5,2\]\."):
        tf.scatter_nd([[1], [3]], [[1.], [2.]], [5, 2])
    with pytest.raises(ValueError, match="Indices and updates specified for empty input"):
        tf.scatter_nd([[0]], [1.], [0])
    with pytest.raises(TypeError, match="Input 'shape' of 'ScatterNd' Op has type int64 that does not match type "
                                        "int32 of argument 'indices'."):
        tf.scatter_nd(tf.placeholder(tf.int32, [None, 1]), [1.], tf.placeholder(tf.int64, [2]))
    with pytest.raises(ValueError, match=r"Dimensions \[1,2\) of input\[shape=\[5,3\]\] = \[3\] must match dimensions "
                                         r"\[1,2\) of updates\[shape=\[2,4\]\] = \[4\]"):
        tf.tensor_scatter_nd_update(tf.zeros([5, 3]), [[1], [3]], tf.ones([2, 4]))
    with pytest.raises(TypeError, match="Input 'updates' of 'TensorScatterUpdate' Op has type int32 that does not "
                                        "match type float32 of argument 'tensor'."):
        tf.tensor_scatter_nd_update(tf.zeros([5, 3]), [[1], [3]], tf.ones([2, 3], tf.int32))
    with pytest.raises(ValueError, match="Shape must be at least rank 1 but is rank 0"):
        tf.tensor_scatter_nd_add(tf.zeros([]), [[0]], [1.])


def test_gather_nd_and_scatter_nd_run_time_errors():
    assert _run_error(tf.gather_nd(tf.zeros([3, 2]), [[1, 0], [0, 2]])).startswith(
        "indices[1] = [0, 2] does not index into param shape [3,2]")
    p, i = tf.placeholder(tf.float32), tf.placeholder(tf.int32)
    assert _run_error(tf.gather_nd(p, i), {p: np.zeros((2, 2)), i: [[[0], [5]]]}).startswith(
        "indices[0,1] = [5] does not index into param shape [2,2]")
    assert _run_error(tf.gather_nd(p, i), {p: np.zeros((2, 2)), i: [[1, 1, 1]]}).startswith(
        "index innermost dimension length must be <= params rank; saw: 3 vs. 2")
    assert _run_error(tf.scatter_nd([[1], [5]], [1., 2.], [3])).startswith(
        "indices[1] = [5] does not index into shape [3]")
    assert _run_error(tf.tensor_scatter_nd_add(tf.zeros([3, 2]), [[1, 0], [-1, 2]], [1., 2.])).startswith(
        "indices[1] = [-1, 2] does not index into shape [3,2]")
    u, s = tf.placeholder(tf.float32), tf.placeholder(tf.int32)
    assert _run_error(tf.scatter_nd(i, u, s), {i: [[1], [2]], u: [1., 2., 3.], s: [5]}).startswith(
        "Dimensions [0,1) of indices[shape=[2,1]] must match dimensions [0,1) of updates[shape=[3]]")
    assert _run_error(tf.scatter_nd(i, u, s), {i: [[1, 1, 1]], u: [1.], s: [5, 3]}).startswith(
        "Dimensions [3,2) of input[shape=[5,3]] must match dimensions [1,1) of updates[shape=[1]]")
    assert _run_error(tf.tensor_scatter_nd_update(p, i, u), {p: np.zeros(5), i: [[1], [2]], u: [1., 2., 3.]}) \
        .startswith("Outer dimensions of indices and update must match. Indices shape: [2,1], updates shape:[3]")


def test_scatter_nd_run_time_checks_in_tf_order():
    """Found by differential fuzzing against TF 2.21: the kernels' checks, in TF's order (the op's own, then
    DoScatterNd's, which reads 1-D indices as a batch of scalar indices), and their messages."""
    i, u, s = tf.placeholder(tf.int32), tf.placeholder(tf.float32), tf.placeholder(tf.int32)
    assert _run_error(tf.scatter_nd(i, u, [3, 2]), {i: [1], u: [5., 6.]}).startswith(
        "Dimensions [0,1) of indices[shape=[1]] = 1 must match dimensions [0,1) of updates[shape=[2]] = 2")
    assert _run_error(tf.tensor_scatter_nd_update(tf.zeros([3, 2]), i, u), {i: [1], u: [5., 6.]}).startswith(
        "Dimensions [0,1) of indices[shape=[1]] = 1 must match dimensions [0,1) of updates[shape=[2]] = 2")
    assert _run_error(tf.tensor_scatter_nd_add(tf.zeros([1, 1, 4]), i, tf.ones([1, 4])), {i: [0]}).startswith(
        "Dimensions [1,3) of input[shape=[1,1,4]] must match dimensions [1,2) of updates[shape=[1,4]]")
    assert _run_error(tf.scatter_nd(i, u, [3, 2]), {i: [1], u: 5.}).startswith(
        "Updates shape must have rank at least one. Found:[]")
    assert _run_error(tf.tensor_scatter_nd_add(tf.zeros([3, 2]), i, u), {i: [[1]], u: [[5., 6., 7.]]}).startswith(
        "The inner 1 dimensions of output.shape=[3,2] must match the inner 1 dimensions of updates.shape=[1,3]")
    assert _run_error(tf.scatter_nd(i, tf.zeros([2, 3]), [4, 3]), {i: np.zeros([2, 0], np.int32)}).startswith(
        "Indices and updates specified for empty output shape")
    # where a bad index vector sits: nothing for 1-D indices, [i,j] for a 2-D batch of them
    assert _run_error(tf.gather_nd(tf.zeros([2, 3]), i), {i: [5, 0]}).startswith(
        "indices = [5, 0] does not index into param shape [2,3]")
    assert _run_error(tf.scatter_nd(i, u, s), {i: [[[0], [7]]], u: [[1., 2.]], s: [5]}).startswith(
        "indices[0,1] = [7] does not index into shape [5]")
    # a scalar `updates` passes TensorScatter*'s shape function (the kernel rejects it)
    t = tf.tensor_scatter_nd_add(tf.zeros([3, 3]), [0, 1], 5.)
    assert t.shape.as_list() == [3, 3]
    assert _run_error(t).startswith("Updates shape must have rank at least one. Found:[]")
    # a 0 dimension makes the input empty even beside an unknown one
    with pytest.raises(ValueError, match="Indices and updates specified for empty input"):
        tf.tensor_scatter_nd_update(tf.placeholder(tf.float32, [None, 0, 4]), [[0]], tf.zeros([1, 4]))
    # no updates into an empty tensor
    with tf.Session() as sess:
        out = sess.run(tf.tensor_scatter_nd_update(tf.zeros([1, 1, 0]), tf.zeros([0, 1], tf.int32),
                                                   tf.zeros([0, 1, 0])))
    assert out.shape == (1, 1, 0)


def test_gather_nd_and_scatter_nd_names_and_static_shapes():
    g = tf.gather_nd(tf.placeholder(tf.float32, [None, 3, 4]), tf.placeholder(tf.int32, [5, None, 2]))
    assert g.name == "GatherNd:0" and g.shape.as_list() == [5, None, 4]
    assert tf.gather_nd(tf.zeros([2, 3]), tf.placeholder(tf.int32, [5, None])).shape.ndims is None
    s = tf.scatter_nd([[1], [3]], [1., 2.], [5])
    assert s.name == "ScatterNd:0" and s.shape.as_list() == [5]
    assert [o.name for o in s.graph.get_operations()][-4:] == ["ScatterNd/indices", "ScatterNd/updates",
                                                               "ScatterNd/shape", "ScatterNd"]
    assert tf.scatter_nd(tf.placeholder(tf.int32, [None, 1]), tf.placeholder(tf.float32, [None, 3]),
                         tf.placeholder(tf.int32, [2])).shape.as_list() == [None, None]
    assert tf.tensor_scatter_update is tf.tensor_scatter_nd_update
    assert tf.tensor_scatter_nd_sub(tf.zeros([5, 3]), [[1]], tf.ones([1, 3])).name == "TensorScatterSub:0"


# =========================================================================== unique, where_v2, identity_n, meshgrid
def test_unique_shapes_names_and_errors():
    y, idx = tf.unique([3, 1, 3, 2, 1])
    assert (y.name, idx.name, y.shape.as_list(), idx.shape.as_list()) == ("Unique:0", "Unique:1", [None], [5])
    assert tf.unique(tf.placeholder(tf.float32, None)).idx.shape.ndims is None
    assert tf.unique_with_counts([3, 1]).count.shape.as_list() == [None]
    with pytest.raises(ValueError, match=r"Shape must be rank 1 but is rank 2 for 'Unique_\d+' \(op: 'Unique'\)"):
        tf.unique([[1, 2]])
    with pytest.raises(TypeError, match="Value passed to parameter 'out_idx' has DataType float32 not in list of "
                                        "allowed values: int32, int64"):
        tf.unique([1, 2], out_idx=tf.float32)
    p = tf.placeholder(tf.float32)
    assert _run_error(tf.unique(p), {p: np.zeros((2, 2))}).startswith("unique expects a 1D vector.")


def test_where_v2_broadcasts_and_checks():
    assert tf.where_v2([True, False], [[1.], [2.]], 3.).shape.as_list() == [2, 2]
    assert tf.where_v2(tf.placeholder(tf.bool, [None, 1]), tf.placeholder(tf.float32, [3]), 0.).shape.as_list() \
        == [None, 3]
    assert tf.where_v2([True, False]).op.type == "Where"
    with pytest.raises(ValueError, match=r"Dimensions must be equal, but are 3 and 2 for 'SelectV2_\d+' "
                                         r"\(op: 'SelectV2'\) with input shapes: \[3\], \[2\], \[\]"):
        tf.where_v2([True, False, True], [1., 2.], 3.)
    p = tf.placeholder(tf.bool)
    assert _run_error(tf.where_v2(p, [1., 2., 3.], [[10.], [11.]]), {p: [True, False]}).startswith(
        "condition [2], then [3], and else [2,1] must be broadcastable")


def test_identity_n_names():
    a, b = tf.identity_n([1., [1, 2]])
    assert (a.name, b.name, b.dtype) == ("IdentityN:0", "IdentityN:1", tf.int32)
    assert [o.name for o in a.graph.get_operations()] == ["IdentityN/input_0", "IdentityN/input_1", "IdentityN"]


def test_meshgrid_as_tf_builds_it():
    x, y = tf.meshgrid([1, 2, 3], [4, 5])
    assert (x.name, y.name, x.shape.as_list()) == ("meshgrid/mul:0", "meshgrid/mul_1:0", [2, 3])
    assert [o.type for o in x.graph.get_operations()][-5:] == ["Pack", "Const", "Fill", "Mul", "Mul"]
    with tf.Session() as sess:
        got = sess.run([x, y])
    want = np.meshgrid([1, 2, 3], [4, 5])
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1], want[1])
    g = tf.meshgrid(tf.placeholder(tf.float32, [None]), tf.placeholder(tf.float32, [2]), tf.zeros([4]), indexing="ij")
    assert [t.shape.as_list() for t in g] == [[None, 2, 4]] * 3
    assert tf.meshgrid() == []
    with pytest.raises(ValueError, match="Argument `indexing` parameter must be either 'xy' or 'ij', got 'xx'"):
        tf.meshgrid([1, 2], [3, 4], indexing="xx")
    with pytest.raises(TypeError, match="'foo' is an invalid keyword argument for this function"):
        tf.meshgrid([1, 2], [3, 4], foo=1)
    with pytest.raises(TypeError, match="Input 'y' of 'Mul' Op has type int32 that does not match type float32"):
        tf.meshgrid([1, 2, 3], [4., 5.])


# =========================================================================== segment reductions (TF's messages)
def test_segment_reductions_shapes_and_errors():
    d, ids = tf.placeholder(tf.float32, [None, 3]), tf.placeholder(tf.int32, [None])
    assert tf.segment_max(d, ids).shape.as_list() == [None, 3]
    assert tf.segment_sum(tf.zeros([4, 3]), [0, 0, 1]).shape.as_list() == [None, 3]  # TF leaves the lengths to run time
    assert tf.unsorted_segment_prod(d, ids, 4).shape.as_list() == [4, 3]
    assert tf.unsorted_segment_mean(d, ids, 4).shape.as_list() == [4, 3]
    assert tf.math.segment_prod is tf.segment_prod and tf.math.unsorted_segment_sqrt_n is tf.unsorted_segment_sqrt_n
    with pytest.raises(ValueError, match=r"Shape must be rank 1 but is rank 2 for 'SegmentSum_\d+' "
                                         r"\(op: 'SegmentSum'\) "
                                         r"with input shapes: \[4,3\], \[1,4\]"):
        tf.segment_sum(tf.zeros([4, 3]), [[0, 0, 1, 1]])
    with pytest.raises(TypeError, match="Value passed to parameter 'data' has DataType complex64 not in list"):
        tf.segment_max(tf.zeros([4, 3], tf.complex64), [0, 0, 1, 1])
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 4 and 3 for 'UnsortedSegmentMax"):
        tf.unsorted_segment_max(tf.zeros([4, 3]), [0, 0, 1], 4)
    with pytest.raises(ValueError, match="Dimension size, given by scalar input 2, must be non-negative but is -1"):
        tf.unsorted_segment_min(tf.zeros([4, 3]), [0, 0, 1, 1], -1)
    assert _run_error(tf.segment_sum([1., 2., 3., 4.], [0, 2, 1, 1])).startswith("segment ids are not increasing")
    assert _run_error(tf.segment_sum([1., 2., 3., 4.], [-1, 1, 2, 2])).startswith(
        "Segment id -1 out of range [0, 3), possibly because 'segment_ids' input is not sorted.")
    assert _run_error(tf.segment_mean([1., 2., 3., 4.], [0, 0, 1])).startswith(
        "segment_ids should be the same size as dimension 0 of input.")
    p = tf.placeholder(tf.int32)
    assert _run_error(tf.segment_min([1., 2., 3.], p), {p: [[0, 0, 1]]}).startswith("segment_ids should be a vector.")
    assert _run_error(tf.unsorted_segment_max([1., 2., 3., 4.], [0, 0, 2, 7], 4)).startswith(
        "segment_ids[3] = 7 is out of range [0, 4)")


def test_segment_ids_checks_as_tf_kernels_make_them():
    """Found by differential fuzzing against TF 2.21: a negative last id is TF's first complaint; with no data the
    unsorted ops check no ids; UniqueWithCounts leaves the rank to its kernel; an unknown size broadcast with 0
    stays unknown."""
    assert _run_error(tf.segment_sum([1., 2.], [0, -1])).startswith("segment ids must be >= 0")
    assert _run_error(tf.segment_max(tf.zeros([3, 0]), [0, -1, -1])).startswith("segment ids must be >= 0")
    # the runs of ids in order: 3 is out of [0, 3) before 5 -> 0 is seen to fall
    assert _run_error(tf.segment_mean([1., 2., 3., 4.], [3, 5, 0, 2])).startswith(
        "Segment id 3 out of range [0, 3), possibly because 'segment_ids' input is not sorted.")
    with tf.Session() as sess:
        for fn in (tf.unsorted_segment_sum, tf.unsorted_segment_max, tf.unsorted_segment_prod):
            assert sess.run(fn(tf.zeros([2, 0]), [0, 7], 3)).shape == (3, 0)
    y, idx, count = tf.unique_with_counts(tf.zeros([2, 2]))
    assert idx.shape.as_list() == [2, 2] and count.shape.as_list() == [None]
    assert _run_error(y).startswith("unique expects a 1D vector.")
    a, b = tf.placeholder(tf.float32, [None, 3]), tf.placeholder(tf.float32, [0, None])
    assert (a + b).shape.as_list() == [None, 3]
    # Unique hashes: each NaN stands alone, -0.0 and 0.0 are one value, shown as the first seen (TF 2.21's output)
    with tf.Session() as sess:
        y, idx, count = sess.run(tf.unique_with_counts(tf.constant([np.nan, 1., np.nan, -0., 0., 1.])))
    np.testing.assert_array_equal(y, np.array([np.nan, 1., np.nan, -0.], np.float32))
    assert np.signbit(y[3]) and idx.tolist() == [0, 1, 2, 3, 3, 1] and count.tolist() == [1, 2, 1, 2]
    assert tf.where_v2(tf.placeholder(tf.bool, [None]), 1., tf.zeros([0])).shape.as_list() == [None]
    # the segment gradients pick with SelectV2, as TF 2's rules do (so their static shapes are TF's too)
    for fn, static in ((lambda x: tf.segment_max(x, tf.zeros([0], tf.int64)), [None, 2]),
                       (lambda x: tf.unsorted_segment_min(x, [0, 1], 2), [2, 2]),
                       (lambda x: tf.unsorted_segment_sum(x, [0, -1], 2), [2, 2]),
                       (lambda x: tf.unsorted_segment_prod(x, [0, 0], 1), [2, 2])):
        tf.reset_default_graph()
        x = tf.placeholder(tf.float64, [None, 2])
        g = tf.gradients(fn(x), x)[0]
        picks = {o.type for o in g.graph.get_operations() if o.name.startswith("gradients")} & {"Select", "SelectV2"}
        assert g.shape.as_list() == static and picks == {"SelectV2"}
    # ... while a 0 dimension makes the element count known: Reshape infers its -1 from it (so meshgrid keeps the 0)
    e = tf.placeholder(tf.float32, [None, 0])
    assert tf.reshape(e, [3, -1]).shape.as_list() == [3, 0]
    assert tf.meshgrid(e, [1.])[0].shape.as_list() == [1, 0]
    with pytest.raises(ValueError, match=r"Cannot reshape a tensor with 0 elements to shape \[2,3\] \(6 elements\)"):
        tf.reshape(e, [2, 3])


def test_unsorted_segment_mean_is_tf_composite():
    out = tf.unsorted_segment_mean([1, 2, 3, 4], [0, 0, 2, 2], 4)
    names = [o.name for o in out.graph.get_operations()]
    assert names[:4] == ["UnsortedSegmentMean/Const", "UnsortedSegmentMean/Const_1", "UnsortedSegmentMean/Const_2",
                         "UnsortedSegmentMean/Shape/shape_as_tensor"]
    assert out.name == "UnsortedSegmentMean/truediv:0" and out.dtype == tf.float64  # int data: truediv's float64
    assert tf.unsorted_segment_sqrt_n([1.], [0], 1).op.inputs[1].op.type == "Sqrt"
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(out), [1.5, 0, 3.5, 0])


# =========================================================================== goldens from TensorFlow 2.21
# tests/data/gen/indexing_ops.py ran each case's text with TensorFlow; here it runs with tfmini
import json  # noqa: E402
import pathlib  # noqa: E402

_INDEXING = json.loads((pathlib.Path(__file__).parent / "data" / "tf_indexing_ops.json").read_text())


def _tf_message_parts(message):
    """(what went wrong, the input shapes and values TF adds) of a build-time message, without TF's node text."""
    head = message.split(" for '")[0]
    tail = message.split("with input shapes: ")[1] if "with input shapes: " in message else ""
    return head, tail


@pytest.mark.parametrize("name", sorted(_INDEXING))
def test_indexing_ops_match_tensorflow(name):
    case = _INDEXING[name]
    env = {"tf": tf, "np": np}
    if "build_error" in case:
        cls, message = case["build_error"]
        with pytest.raises({"ValueError": ValueError, "TypeError": TypeError, "AttributeError": AttributeError}[cls]) \
                as info:
            exec(case["src"], env)  # noqa: S102 - the golden's own case text
        assert _tf_message_parts(str(info.value)) == _tf_message_parts(message)
        return
    exec(case["src"], env)  # noqa: S102
    ts = list(env["out"]) if isinstance(env["out"], (list, tuple)) else [env["out"]]
    assert [{"name": t.name, "dtype": t.dtype.name, "shape": None if t.shape.ndims is None else t.shape.as_list()}
            for t in ts] == case["tensors"]
    assert [[o.name, o.type] for o in tf.get_default_graph().get_operations()] == case["nodes"]
    if "values" not in case and "run_error" not in case:
        return
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        if "run_error" in case:
            with pytest.raises(getattr(tf.errors, case["run_error"][0])) as info:
                sess.run(ts)
            assert str(info.value).split("\n")[0] == case["run_error"][1]
            return
        got = sess.run(ts)
    for g, want in zip(got, case["values"]):
        g = np.asarray(g)
        if want["dtype"] == "string":
            assert [x.decode() for x in g.reshape(-1)] == want["values"] and list(g.shape) == want["shape"]
            continue
        assert (g.dtype.name, list(g.shape)) == (want["dtype"], want["shape"])
        np.testing.assert_allclose(g.reshape(-1), np.array(want["values"], g.dtype), rtol=1e-6)


# =========================================================================== SpaceToBatchND / BatchToSpaceND
_S2B = np.arange(2 * 4 * 6 * 2, dtype=np.float32).reshape(2, 4, 6, 2)


def _s2b_ref(x, block, pads):
    """The definition, entry by entry: output[(i0 * b1 + i1) * batch + n, h, w] = padded[n, h * b0 + i0,
    w * b1 + i1]."""
    padded = np.pad(x, [(0, 0)] + pads + [(0, 0)])
    b0, b1 = block
    n, hp, wp = padded.shape[:3]
    out = np.zeros((b0 * b1 * n, hp // b0, wp // b1) + x.shape[3:], x.dtype)
    for i0 in range(b0):
        for i1 in range(b1):
            out[(i0 * b1 + i1) * n:(i0 * b1 + i1 + 1) * n] = padded[:, i0::b0, i1::b1]
    return out


def _s2b_unknown(tf):
    p = tf.placeholder(tf.float32)
    return tf.space_to_batch_nd(p, [2, 3], [[1, 1], [0, 0]]), {p: _S2B[:, :2]}


CASES += [
    Row("SpaceToBatchND", lambda tf: tf.space_to_batch_nd(tf.constant(_S2B), [2, 3], [[0, 0], [0, 0]]),
        lambda np: _s2b_ref(_S2B, (2, 3), [(0, 0), (0, 0)])),
    Row("SpaceToBatchND", lambda tf: tf.space_to_batch_nd(tf.constant(_S2B), tf.constant([2, 2], tf.int64),
                                                          [[1, 1], [2, 0]]),
        lambda np: _s2b_ref(_S2B, (2, 2), [(1, 1), (2, 0)]), id="SpaceToBatchND-padded-int64"),
    Row("SpaceToBatchND", _s2b_unknown, lambda np: _s2b_ref(_S2B[:, :2], (2, 3), [(1, 1), (0, 0)]),
        id="SpaceToBatchND-unknown-rank"),
    Row("BatchToSpaceND", lambda tf: tf.batch_to_space_nd(tf.constant(_s2b_ref(_S2B, (2, 3), [(0, 0), (0, 0)])),
                                                          [2, 3], [[0, 0], [0, 0]]), _S2B),
    Row("BatchToSpaceND", lambda tf: tf.batch_to_space_nd(tf.constant(_s2b_ref(_S2B, (2, 2), [(1, 1), (2, 0)])),
                                                          [2, 2], [[1, 1], [2, 0]]), _S2B, id="BatchToSpaceND-cropped"),
    Row("BatchToSpaceND", lambda tf: tf.batch_to_space_nd(tf.constant(np.arange(8.0).reshape(4, 2)), [2], [[0, 1]]),
        np.array([[0.0, 4.0, 1.0]] + [[2.0, 6.0, 3.0]]), id="BatchToSpaceND-one-spatial-dim"),
]
test_row = rows_test(CASES)

GRAD_CASES += [
    GradRow("SpaceToBatchND", lambda tf, a: tf.space_to_batch_nd(a, [2, 2], [[1, 0], [0, 1]]), [(2, 3, 3, 2)]),
    GradRow("BatchToSpaceND", lambda tf, a: tf.batch_to_space_nd(a, [2, 2], [[1, 0], [0, 1]]), [(8, 2, 2, 1)]),
]
test_grad_row = grad_rows_test(GRAD_CASES)


@pytest.mark.parametrize("build, message", [
    (lambda tf, x: tf.space_to_batch_nd(x, [2, 4], [[1, 0], [0, 0]]),
     r"^Dimension size must be evenly divisible by 4 but is 6 for 'SpaceToBatchND' \(op: 'SpaceToBatchND'\) with "
     r"input shapes: \[2,5,6,3\], \[2\], \[2,2\] and with computed input tensors: input\[1\] = <2 4>, "
     r"input\[2\] = <\[1 0\]\[0 0\]>\.$"),  # a matrix's rows in brackets, as TF 2.21 prints it
    (lambda tf, x: tf.space_to_batch_nd(x, [2, 3], [[-1, 0], [0, 0]]), r"^paddings cannot be negative for"),
    (lambda tf, x: tf.space_to_batch_nd(x, [0, 3], [[1, 0], [0, 0]]), r"^block_shape must be positive for"),
    (lambda tf, x: tf.space_to_batch_nd(x, [2, 3], [[1, 0, 0], [0, 0, 0]]),
     r"^Dimension 1 in both shapes must be equal, but are 3 and 2\. Shapes are \[2,3\] and \[2,2\]\. for"),
    (lambda tf, x: tf.space_to_batch_nd(tf.zeros([2]), [2, 3], [[1, 0], [0, 0]]),
     r"^Shape must be at least rank 3 but is rank 1 for"),
    (lambda tf, x: tf.batch_to_space_nd(tf.zeros([10, 3, 2, 3]), [2, 3], [[1, 0], [0, 0]]),
     r"^Dimension size must be evenly divisible by 3 but is 5 for 'BatchToSpaceND'"),
    (lambda tf, x: tf.batch_to_space_nd(tf.zeros([12, 3, 2, 3]), [2, 3], [[4, 3], [0, 0]]),
     r"^Negative dimension size caused by subtracting 3 from 2 for"),
    (lambda tf, x: tf.batch_to_space_nd(tf.zeros([12, 3, 2, 3]), [2, 3], [[-1, 0], [0, 0]]),
     r"^crops cannot be negative for"),
])
def test_space_to_batch_build_errors(build, message):
    tf.reset_default_graph()
    with pytest.raises(ValueError, match=message):
        build(tf, tf.placeholder(tf.float32, [2, 5, 6, 3]))


@pytest.mark.parametrize("build, value, message", [
    (lambda tf, p: tf.space_to_batch_nd(p, [2, 4], [[1, 0], [0, 0]]), np.ones((2, 5, 6, 3)),
     r"^padded_shape\[1\]=6 is not divisible by block_shape\[1\]=4"),
    (lambda tf, p: tf.batch_to_space_nd(p, [2, 3], [[1, 0], [0, 0]]), np.ones((10, 3, 2, 3)),
     r"^Input batch dimension \(10\) is not divisible by product of block sizes \(6\)"),
    (lambda tf, p: tf.batch_to_space_nd(p, [2, 3], [[4, 3], [0, 0]]), np.ones((12, 3, 2, 3)),
     r"^cropped_shape\[0\]=-1 must be non-negative"),
    (lambda tf, p: tf.space_to_batch_nd(p, [2, 3], [[1, 0], [0, 0]]), np.ones(2),
     r"^input rank should be >= 3 instead of 1"),
    (lambda tf, p: tf.batch_to_space_nd(p, [2, 3], [[1, 0], [0, 0]]), np.ones(2),
     r"^input rank should be >= 3 instead of 1"),
])
def test_space_to_batch_run_time_errors(build, value, message, backend):
    tf.reset_default_graph()
    p = tf.placeholder(tf.float32)
    out = build(tf, p)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            sess.run(out, {p: value})


def test_space_to_batch_static_shapes():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [2, 5, 6, 3])
    assert tf.space_to_batch_nd(x, [2, 3], [[1, 0], [0, 0]]).shape.as_list() == [12, 3, 2, 3]
    u = tf.placeholder(tf.float32, [None, None, 6, 3])
    assert tf.space_to_batch_nd(u, [2, 3], [[1, 0], [0, 0]]).shape.as_list() == [None, None, 2, 3]
    y = tf.placeholder(tf.float32, [12, 3, 2, 3])
    assert tf.batch_to_space_nd(y, [2, 3], [[1, 0], [0, 0]]).shape.as_list() == [2, 5, 6, 3]
    assert tf.space_to_batch_nd(x, tf.placeholder(tf.int32, [2]), [[1, 0], [0, 0]]).shape.as_list() == \
        [None, None, None, 3]
