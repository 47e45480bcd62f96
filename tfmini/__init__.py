"""tfmini: TensorFlow 1.x's graph API for learning, on numpy (`import tfmini as tf`).

This module only re-exports; every name is defined where TensorFlow defines it.
"""
import warnings as _warnings

from .framework import dtypes as _dtypes
from .framework import errors
from .framework.api_hook import tf_module_getattr as _tf_module_getattr
from .framework.dtypes import *  # noqa: F401,F403
from .framework.dtypes import as_dtype, DType
from .framework.ops import (Graph, GraphKeys, Operation, Tensor, add_to_collection, add_to_collections,
                            colocate_with, control_dependencies, convert_to_tensor, device,
                            get_collection, get_collection_ref, get_default_graph, get_default_session,
                            name_scope, op_scope, reset_default_graph, register_tensor_conversion_function,
                            NotDifferentiable, no_gradient)
from .framework.tensor_shape import Dimension, TensorShape, dimension_at_index, dimension_value
from .framework.random_seed import set_random_seed, get_seed
from .client.session import Session, InteractiveSession
from .client.config import ConfigProto, GPUOptions, GraphOptions, OptimizerOptions, RunMetadata, RunOptions
from .ops.constant_op import constant
from .ops.array_ops import *  # noqa: F401,F403
from .ops.math_ops import *  # noqa: F401,F403
from .ops.random_ops import *  # noqa: F401,F403
from .ops.special_math_ops import einsum
from .ops.check_ops import *  # noqa: F401,F403
from .ops.numerics import add_check_numerics_ops, check_numerics, verify_tensor_all_finite
from .ops.state_ops import (assign, assign_add, assign_sub, count_up_to, scatter_add,  # noqa: F401
                             scatter_nd_add, scatter_nd_sub, scatter_nd_update, scatter_sub, scatter_update)
from .ops.control_flow_ops import Assert, case, cond, group, no_op, tuple, while_loop, with_dependencies
from .ops.functional_ops import foldl, foldr, map_fn, scan
from .ops.tensor_array_ops import TensorArray
from .ops.logging_ops import Print, print_v2 as print  # noqa: A004 - TF's tf.print
from .ops.script_ops import numpy_function, py_func
from .ops.clip_ops import *  # noqa: F401,F403
from .ops.data_flow_ops import dynamic_partition, dynamic_stitch  # noqa: F401
from .ops.data_flow_ops import FIFOQueue, PaddingFIFOQueue, QueueBase, RandomShuffleQueue  # noqa: F401
from .ops.io_ops import (FixedLengthRecordReader, ReaderBase, TFRecordReader, TextLineReader,  # noqa: F401
                         WholeFileReader, matching_files, read_file)
from .ops.parsing_ops import (FixedLenFeature, FixedLenSequenceFeature, VarLenFeature, decode_csv,  # noqa: F401
                              decode_raw, parse_example, parse_single_example)
from .framework.sparse_tensor import SparseTensor, SparseTensorValue  # noqa: F401
from .framework.indexed_slices import (IndexedSlices, IndexedSlicesValue,  # noqa: F401
                                     convert_to_tensor_or_indexed_slices)
from .ops.sparse_ops import (edit_distance, sparse_placeholder, sparse_reduce_sum, sparse_segment_mean,  # noqa: F401
                             sparse_segment_sqrt_n, sparse_segment_sum, sparse_tensor_dense_matmul,
                             sparse_tensor_to_dense, sparse_to_dense)
from .variables import *  # noqa: F401,F403
from .variable_scope import (AUTO_REUSE, VariableScope, get_local_variable, get_variable, get_variable_scope,
                             no_regularizer, variable_op_scope, variable_scope)
from .init_ops import (constant_initializer, glorot_normal_initializer, glorot_uniform_initializer,
                       identity_initializer, ones_initializer, orthogonal_initializer, random_normal_initializer,
                       random_uniform_initializer, truncated_normal_initializer, variance_scaling_initializer,
                       zeros_initializer)
from . import init_ops as initializers
from .ops.linalg_ops import *  # noqa: F401,F403
from . import linalg
from .gradients import RegisterGradient, gradients, hessians
from .framework.graph_io import import_graph_def
from . import nest  # noqa: F401
from . import compat
from .compat.v2_compat import *  # noqa: F401,F403
from . import nn, losses, train, layers, contrib, summary
from . import metrics
from . import debugging  # noqa: F401
from . import test  # noqa: F401
from . import math, random  # noqa: A004 - TF's namespaces (tf.math, tf.random)
from . import sparse  # tf.sparse
from . import data  # tf.data
from . import io  # noqa: A004 - tf.io (tf.io.gfile)
from . import python_io  # tf.python_io (TFRecord files)
from .platform import app, flags, gfile
from .platform import tf_logging as logging
from .platform.tf_logging import get_logger
from . import image  # tf.image
from .summary.summary import (audio_summary, histogram_summary, image_summary, merge_all_summaries,  # noqa: F401
                              merge_summary, scalar_summary)  # TF 0.x's names of tf.summary.*

# TensorFlow's message classes (tf.GraphDef, tf.Summary, ...) need protobuf: built on first use
_MESSAGES = ("GraphDef", "NodeDef", "AttrValue", "TensorProto", "TensorShapeProto", "VersionDef", "MetaGraphDef",
             "CollectionDef", "VariableDef", "Summary", "SummaryMetadata", "SummaryDescription", "HistogramProto",
             "Event", "SessionLog", "LogMessage", "TaggedRunMetadata")


def _message_class(name):
    if name in _MESSAGES:
        from .framework import messages
        return messages.get(name)
    return None


def _provide(name):
    if name == "distributions":  # tf.distributions (Normal, Categorical): loaded on first use, as few lessons use it
        import importlib
        return importlib.import_module(__name__ + ".distributions")
    return _message_class(name)


__getattr__ = _tf_module_getattr("tf", __name__, _provide)  # and a TensorFlow name tfmini lacks: say so

newaxis = None
__version__ = "0.1.0"

# numpy's floating-point warnings (log(0), 1/0) are silent in TensorFlow: silence them in kernels only
_warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"tfmini\.")
