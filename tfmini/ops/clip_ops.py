"""Clipping tensors by norm (tf.clip_by_norm, tf.global_norm, tf.clip_by_global_norm, tf.clip_by_average_norm),
built from existing ops, so their gradients come from those ops' rules. (clip_by_value lives in math_ops.)"""
import collections.abc

from ..framework import dtypes
from ..framework.indexed_slices import IndexedSlices
from ..framework.ops import colocate_with, convert_to_tensor, name_scope
from . import array_ops, math_ops, nn_ops
from .constant_op import constant

__all__ = ["clip_by_norm", "global_norm", "clip_by_global_norm", "clip_by_average_norm"]


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """`t * clip_norm / max(l2norm(t), clip_norm)`: unchanged when its L2 norm (over `axes`, default
    all) is at most `clip_norm`, else scaled down to that norm. Same shape as `t`.

    >>> tf.clip_by_norm([3.0, 4.0], 1.0)   # [0.6, 0.8]

    An IndexedSlices gives an IndexedSlices: its values clipped by their own norm (as TF).
    """
    with name_scope(name, "clip_by_norm", [t, clip_norm]) as scope:
        sparse = t if isinstance(t, IndexedSlices) else None
        t = convert_to_tensor(t.values if sparse is not None else t, name="t")
        l2sum = math_ops.reduce_sum(t * t, axes, keepdims=True)
        pred = l2sum > 0
        # sqrt only where the sum is positive: sqrt's gradient at 0 is inf, and 0 * inf would be NaN
        l2sum_safe = array_ops.where(pred, l2sum, array_ops.ones_like(l2sum))
        l2norm = array_ops.where(pred, math_ops.sqrt(l2sum_safe), l2sum)
        intermediate = t * clip_norm
        # a clip_norm that broadcasts `t` to a bigger shape is a mistake, not a clip
        t.shape.merge_with(intermediate.shape)
        clipped = array_ops.identity(intermediate / math_ops.maximum(l2norm, clip_norm), name=scope)
        return clipped if sparse is None else IndexedSlices(clipped, sparse.indices, sparse.dense_shape)


def _values_of(t):
    """The tensor whose entries count towards a norm: an IndexedSlices' values, else `t`."""
    return t.values if isinstance(t, IndexedSlices) else t


def _as_sequence(t_list):
    if not isinstance(t_list, collections.abc.Sequence) or isinstance(t_list, str):
        raise TypeError("t_list should be a sequence")
    return list(t_list)


def global_norm(t_list, name=None):
    """sqrt(sum of the squares of every element of every tensor in `t_list`) (None entries skipped).

    >>> tf.global_norm([[3.0], [4.0]])   # 5.0

    An IndexedSlices counts by its values (a repeated row counts once per slice), as in TF.
    """
    t_list = _as_sequence(t_list)
    with name_scope(name, "global_norm", [t for t in t_list if t is not None]):
        values = [convert_to_tensor(_values_of(t), name="t_%d" % i) if t is not None else None
                  for i, t in enumerate(t_list)]
        half_squared_norms = []
        for v in values:
            if v is not None:
                with colocate_with(v.op):
                    half_squared_norms.append(nn_ops.l2_loss(v))
        half_squared_norm = math_ops.reduce_sum(array_ops.stack(half_squared_norms))
        return math_ops.sqrt(half_squared_norm * constant(2.0, dtype=half_squared_norm.dtype), name="global_norm")


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """Scale every tensor of `t_list` by clip_norm / max(global_norm, clip_norm), so that together
    their norm is at most `clip_norm`. Returns (list_clipped, global_norm); None entries stay None.
    A global norm of inf or NaN makes every clipped value NaN.

    >>> clipped, norm = tf.clip_by_global_norm([[3.0], [4.0]], 1.0)   # [[0.6], [0.8]], 5.0
    """
    t_list = _as_sequence(t_list)
    if use_norm is None:
        use_norm = global_norm(t_list, name)
    present = [t for t in t_list if t is not None]
    with name_scope(name, "clip_by_global_norm", present + [clip_norm]) as scope:
        scale_for_finite = clip_norm * math_ops.minimum(1.0 / use_norm,
                                                        constant(1.0, dtype=use_norm.dtype) / clip_norm)
        # use_norm - use_norm is 0 for a finite norm and NaN otherwise
        scale = scale_for_finite + (use_norm - use_norm)
        values = [convert_to_tensor(_values_of(t), name="t_%d" % i) if t is not None else None
                  for i, t in enumerate(t_list)]
        list_clipped = []
        for i, v in enumerate(values):
            if v is None:
                list_clipped.append(None)
            else:
                with colocate_with(v.op):
                    # TF's name: the scope plus "_i", so 'clip_by_global_norm/clip_by_global_norm/_0'
                    list_clipped.append(array_ops.identity(v * scale, name="%s_%d" % (scope, i)))
        # an IndexedSlices stays sparse: its values scaled, its indices and dense_shape as they were
        list_clipped = [IndexedSlices(c, t.indices, t.dense_shape) if isinstance(t, IndexedSlices) else c
                        for c, t in zip(list_clipped, t_list)]
    return list_clipped, use_norm


def clip_by_average_norm(t, clip_norm, name=None):
    """`t * clip_norm / max(l2norm(t) / size(t), clip_norm)`: scaled down when its average L2 norm
    per element exceeds `clip_norm` (float32 `t`)."""
    with name_scope(name, "clip_by_average_norm", [t, clip_norm]) as scope:
        t = convert_to_tensor(t, name="t")
        n_element = math_ops.cast(array_ops.size(t), dtypes.float32)
        l2norm_inv = math_ops.rsqrt(math_ops.reduce_sum(t * t, array_ops.range(array_ops.rank(t))))
        tclip = array_ops.identity(t * clip_norm * math_ops.minimum(l2norm_inv * n_element,
                                                                    constant(1.0) / clip_norm), name=scope)
        tclip.set_shape(t.shape)  # the norm is a scalar; TF's shape inference sees through the Range axes
        return tclip
