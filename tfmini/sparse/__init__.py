"""tf.sparse: TensorFlow 1.x's sparse namespace (re-exports only; the ops live in tfmini/ops/sparse_ops.py)."""
from ..framework.api_hook import tf_module_getattr
from ..framework.sparse_tensor import SparseTensor
from ..ops.sparse_ops import sparse_placeholder as placeholder
from ..ops.sparse_ops import sparse_reduce_sum as reduce_sum
from ..ops.sparse_ops import sparse_segment_mean as segment_mean
from ..ops.sparse_ops import sparse_segment_sqrt_n as segment_sqrt_n
from ..ops.sparse_ops import sparse_segment_sum as segment_sum
from ..ops.sparse_ops import sparse_tensor_dense_matmul as matmul
from ..ops.sparse_ops import sparse_tensor_dense_matmul as sparse_dense_matmul
from ..ops.sparse_ops import sparse_tensor_to_dense as to_dense

__all__ = ["SparseTensor", "matmul", "placeholder", "reduce_sum", "segment_mean", "segment_sqrt_n", "segment_sum",
           "sparse_dense_matmul", "to_dense"]

__getattr__ = tf_module_getattr("sparse", __name__)  # a TensorFlow name tfmini lacks: say so
