"""tf.IndexedSlices (the sparse gradient of tf.gather: some rows of a dense tensor) and tf.IndexedSlicesValue, its
fetched form; converting one to a dense Tensor (with TF's warning when that may be large)."""
import collections
import warnings

import numpy as np

from . import dtypes
from .ops import convert_to_tensor, register_tensor_conversion_function
from .tensor_shape import TensorShape

__all__ = ["IndexedSlices", "IndexedSlicesValue", "convert_to_tensor_or_indexed_slices",
           "convert_n_to_tensor_or_indexed_slices", "indexed_slices_to_tensor_no_warning"]

# What a session returns for a fetched IndexedSlices (TF 1.x: a namedtuple of three arrays).
IndexedSlicesValue = collections.namedtuple("IndexedSlicesValue", ["values", "indices", "dense_shape"])

# dense tensors at least this large draw TF's "may consume a large amount of memory" warning when densified
_LARGE_SPARSE_NUM_ELEMENTS = 100000000


class IndexedSlices:
    """Some slices of a dense tensor: `dense[indices[i], ...] = values[i, ...]` (rows not listed are 0; a row listed
    twice is the sum of its slices). The gradient of tf.gather / tf.nn.embedding_lookup with respect to the table.

    values: [N, D1, ..., Dn] of any dtype; indices: int32/int64 [N]; dense_shape: int [n + 1], or None.

    >>> g = tf.gradients(tf.reduce_sum(tf.gather(table, [1, 1, 4])), table)[0]   # IndexedSlices
    >>> sess.run(g)   # IndexedSlicesValue(values=<3 rows of ones>, indices=[1, 1, 4], dense_shape=[10, 3])

    Anything that wants a Tensor (tf.convert_to_tensor, tf.multiply, ...) densifies it with an UnsortedSegmentSum.
    """

    def __init__(self, values, indices, dense_shape=None):
        self._values = values
        self._indices = indices
        self._dense_shape = dense_shape

    @property
    def values(self):
        """A `Tensor` containing the values of the slices."""
        return self._values

    @property
    def indices(self):
        """A 1-D `Tensor` containing the indices of the slices."""
        return self._indices

    @property
    def dense_shape(self):
        """A 1-D `Tensor` containing the shape of the corresponding dense tensor (or None)."""
        return self._dense_shape

    @property
    def shape(self):
        """The static `TensorShape` of the dense tensor: dense_shape's constant value where known."""
        if self._dense_shape is None:
            return TensorShape(None)
        if self._dense_shape.op.type == "Shape":  # the shape of a tensor: its static shape, partly known or not
            return self._dense_shape.op.inputs[0].shape
        from .sparse_tensor import _static_dense_shape
        return _static_dense_shape(self._dense_shape)

    def get_shape(self):
        return self.shape

    @property
    def name(self):
        """The name of `values`."""
        return self._values.name

    @property
    def device(self):
        """The device on which `values` will be produced."""
        return self._values.device

    @property
    def op(self):
        """The `Operation` that produces `values`."""
        return self._values.op

    @property
    def dtype(self):
        """The `DType` of the elements."""
        return self._values.dtype

    @property
    def graph(self):
        """The `Graph` that holds values, indices and dense_shape."""
        return self._values.graph

    def __str__(self):
        return "IndexedSlices(indices=%s, values=%s%s)" % (
            self._indices, self._values,
            (", dense_shape=%s" % (self._dense_shape,)) if self._dense_shape is not None else "")

    def __neg__(self):
        from ..ops import math_ops
        return IndexedSlices(math_ops.negative(self._values), self._indices, self._dense_shape)


def _indexed_slices_to_tensor(value, dtype=None, name=None, as_ref=False):
    """The dense Tensor an IndexedSlices stands for: UnsortedSegmentSum(values, indices, dense_shape[0]). Warns, as
    TF 1.x does, when the dense tensor has 100M entries or more, or a size known only at run time."""
    del as_ref
    if dtype is not None and not dtype.is_compatible_with(value.dtype):
        raise ValueError("Tensor conversion requested dtype %s for Tensor with dtype %s: %r"
                         % (dtype.name, value.dtype.name, str(value)))
    if value.dense_shape is None:
        raise ValueError("Tensor conversion requested for IndexedSlices without dense_shape: %s" % str(value))
    from ..ops.constant_op import constant_value
    dense_shape_value = constant_value(value.dense_shape)
    if dense_shape_value is not None:
        num_elements = int(np.prod(dense_shape_value))
        if num_elements >= _LARGE_SPARSE_NUM_ELEMENTS:
            warnings.warn("Converting sparse IndexedSlices to a dense Tensor with %d elements. This may consume a "
                          "large amount of memory." % num_elements, stacklevel=3)
    else:
        warnings.warn("Converting sparse IndexedSlices to a dense Tensor of unknown shape. This may consume a "
                      "large amount of memory.", stacklevel=3)
    return _densify(value, name)


def _densify(value, name=None):
    from ..ops import array_ops
    return array_ops.unsorted_segment_sum(value.values, value.indices, value.dense_shape[0], name=name)


def indexed_slices_to_tensor_no_warning(value):
    """TF's _IndexedSlicesToTensorNoWarning: a Tensor passes; an IndexedSlices is densified without a warning (the
    gradient rules that must densify one: tf.gather's own)."""
    if not isinstance(value, IndexedSlices):
        return value
    if value.dense_shape is None:
        raise ValueError("Tensor conversion requested for IndexedSlices without dense_shape: %s" % str(value))
    return _densify(value)


register_tensor_conversion_function(IndexedSlices, _indexed_slices_to_tensor)


def convert_to_tensor_or_indexed_slices(value, dtype=None, name=None):
    """`value` if it is an IndexedSlices (or a SparseTensor) of a compatible dtype, else convert_to_tensor(value)."""
    from .sparse_tensor import SparseTensor
    if isinstance(value, (IndexedSlices, SparseTensor)):
        if dtype is not None and not dtypes.as_dtype(dtype).is_compatible_with(value.dtype):
            raise ValueError("Tensor conversion requested dtype %s for Tensor with dtype %s: %r"
                             % (dtypes.as_dtype(dtype).name, value.dtype.name, str(value)))
        return value
    return convert_to_tensor(value, dtype=dtype, name=name)


def convert_n_to_tensor_or_indexed_slices(values, dtype=None, name=None):
    """convert_to_tensor_or_indexed_slices of each entry (None stays None); new tensors named `name_<i>`."""
    if not isinstance(values, (list, tuple)) and not hasattr(values, "__iter__"):
        raise TypeError("values must be a list.")
    return [None if v is None else
            convert_to_tensor_or_indexed_slices(v, dtype=dtype, name=None if name is None else "%s_%d" % (name, i))
            for i, v in enumerate(values)]
