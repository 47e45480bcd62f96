"""tf.SparseTensor (three dense tensors: indices, values, dense_shape) and tf.SparseTensorValue, its fetched form."""
import collections

from . import dtypes
from .ops import convert_to_tensor, name_scope
from .tensor_shape import TensorShape

__all__ = ["SparseTensor", "SparseTensorValue", "is_sparse", "convert_to_tensor_or_sparse_tensor"]

# What a session returns for a fetched SparseTensor, and accepts as the value fed to one.
SparseTensorValue = collections.namedtuple("SparseTensorValue", ["indices", "values", "dense_shape"])


def _static_dense_shape(dense_shape):
    """The static shape a dense_shape tensor describes: its constant value where known, else its rank."""
    from ..ops.constant_op import constant_value
    value = constant_value(dense_shape)
    if value is not None:
        return TensorShape([int(d) for d in value.reshape(-1)])
    n = dense_shape.shape.as_tuple()[0] if dense_shape.shape.ndims == 1 else None
    return TensorShape(None if n is None else [None] * n)


class SparseTensor:
    """A sparse tensor: `values[i]` sits at `indices[i]` of a dense tensor of shape `dense_shape`; the rest is 0.

    indices: int64 [N, rank], in row-major order; values: [N] of any dtype; dense_shape: int64 [rank].

    >>> st = tf.SparseTensor(indices=[[0, 0], [1, 2]], values=[1.0, 2.0], dense_shape=[3, 4])
    >>> tf.sparse.to_dense(st)   # [[1, 0, 0, 0], [0, 0, 2, 0], [0, 0, 0, 0]]
    """

    @classmethod
    def from_value(cls, sparse_tensor_value):
        """A SparseTensor from a SparseTensorValue (or a SparseTensor, returned as it is)."""
        if isinstance(sparse_tensor_value, SparseTensor):
            return sparse_tensor_value
        return SparseTensor(indices=sparse_tensor_value.indices, values=sparse_tensor_value.values,
                            dense_shape=sparse_tensor_value.dense_shape)

    def __init__(self, indices, values, dense_shape):
        with name_scope(None, "SparseTensor", [indices, values, dense_shape]):
            indices = convert_to_tensor(indices, name="indices", dtype=dtypes.int64)
            # values may be of any type: TF converts them as they come, keeping a Tensor's own dtype
            values = convert_to_tensor(values, name="values")
            dense_shape = convert_to_tensor(dense_shape, name="dense_shape", dtype=dtypes.int64)
        self._indices, self._values, self._dense_shape = indices, values, dense_shape
        self._dense_shape_default = _static_dense_shape(dense_shape)
        indices_shape = indices.shape.with_rank(2)
        values_shape = values.shape.with_rank(1)
        dense_shape_shape = dense_shape.shape.with_rank(1)
        # one index row per value; as many index columns as dense dimensions
        indices_shape[0].assert_is_compatible_with(values_shape[0])
        indices_shape[1].assert_is_compatible_with(dense_shape_shape[0])

    @property
    def indices(self):
        """The int64 [N, rank] positions of the values."""
        return self._indices

    @property
    def values(self):
        """The [N] values."""
        return self._values

    @property
    def dense_shape(self):
        """The int64 [rank] shape of the dense tensor this represents."""
        return self._dense_shape

    @property
    def dtype(self):
        return self._values.dtype

    @property
    def op(self):
        """The op that produces the values (as TF's)."""
        return self._values.op

    @property
    def graph(self):
        return self._indices.graph

    @property
    def shape(self):
        """The static shape of the dense tensor: known where dense_shape is a constant."""
        return self._dense_shape_default

    def get_shape(self):
        return self._dense_shape_default

    def eval(self, feed_dict=None, session=None):
        """The SparseTensorValue in `session` (default: the default session)."""
        from .ops import get_default_session
        session = session or get_default_session()
        if session is None:
            raise ValueError("Cannot evaluate tensor using `eval()`: No default session is registered. Use `with "
                             "sess.as_default()` or pass an explicit session to `eval(session=sess)`")
        return session.run(self, feed_dict)

    def consumers(self):
        return sorted(set(self._indices.consumers() + self._values.consumers() + self._dense_shape.consumers()),
                      key=lambda op: op.name)

    def __str__(self):
        return "SparseTensor(indices=%s, values=%s, dense_shape=%s)" % (self._indices, self._values, self._dense_shape)

    __repr__ = __str__


def is_sparse(x):
    """Whether `x` is a SparseTensor or a SparseTensorValue."""
    return isinstance(x, (SparseTensor, SparseTensorValue))


def convert_to_tensor_or_sparse_tensor(value, dtype=None, name=None):
    """A SparseTensor stays one (a SparseTensorValue becomes one); anything else converts to a Tensor."""
    if isinstance(value, SparseTensorValue):
        value = SparseTensor.from_value(value)
    if isinstance(value, SparseTensor):
        if dtype is not None and not dtypes.as_dtype(dtype).is_compatible_with(value.dtype):
            raise RuntimeError("Sparse dtype: requested = %s, actual = %s" % (dtypes.as_dtype(dtype).name,
                                                                             value.dtype.name))
        return value
    return convert_to_tensor(value, dtype=dtype, name=name)
