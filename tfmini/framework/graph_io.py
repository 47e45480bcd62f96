"""GraphDef: a tfmini graph as TensorFlow's GraphDef (what TensorBoard draws, what real TensorFlow's
`tf.import_graph_def` loads), `tf.import_graph_def` back into tfmini, and `tf.train.write_graph`.

A node carries TensorFlow's op name and the attributes TensorFlow's op registry declares for it,
with their AttrValue types (a function attribute, as tf.data's map functions, by name: the GraphDef's library
holds their FunctionDefs, which an import builds into functions again): tfmini keeps only the attributes its
kernels use, so the type attributes TF derives from the inputs (`T`, `Tidx`, `N`, `Tshape`, ...) are filled in here from
the inputs' and outputs' dtypes (`_TF_OPS` below holds each op's TF signature). Attributes TF's
op does not have are left out; `_output_shapes` is added when asked (TensorBoard labels edges
with it). Serializing needs numpy only (tfmini/io/proto.py); the protobuf `GraphDef` object that
`Graph.as_graph_def()` returns needs the `protobuf` package (`pip install tfmini[tensorboard]`).

>>> x = tf.placeholder(tf.float32, [None, 3], name="x")
>>> [n.op for n in tf.get_default_graph().as_graph_def().node]
['Placeholder']
"""
import os
import threading

import numpy as np

from ..io import proto
from . import dtypes, errors, messages
from .tensor_shape import TensorShape

__all__ = ["GRAPH_DEF_VERSION", "graph_def_dict", "graph_def_bytes", "as_graph_def", "import_graph_def", "write_graph",
           "shape_proto", "shape_from_proto", "tensor_proto", "ndarray_from_tensor_proto", "attr_value",
           "attr_from_proto", "graph_def_from"]

GRAPH_DEF_VERSION = 134  # TF 1.15's producer version: the op semantics tfmini follows

# =========================================================================== TensorFlow's op signatures
# "<input args> > <output args> | <other attrs>: <op types>". An arg is a type attr (`T`), `N*T`
# (N tensors of type T), `[U]` (a list of types) or `-` (a fixed type). Other attrs are `name:kind`
# with kind b(ool), i(nt), f(loat), s(tring), t(ype), shape, tensor or l<kind> (a list).
_TF_OPS = """
T > T | : Abs Ceil Cos Elu Erf Exp Expm1 Floor Identity InvertPermutation L2Loss Log Log1p LogSoftmax
    MatrixDeterminant MatrixDiag MatrixDiagPart Neg Reciprocal Relu Relu6 Rint Round Rsqrt Selu Sigmoid Sign Sin
    Softmax Softplus Softsign Sqrt Square StopGradient Tan Tanh ZerosLike
T,T > T | : Add AddV2 EluGrad FloorDiv FloorMod MatrixSetDiag Maximum Minimum Mul Pow RealDiv Relu6Grad ReluGrad
    SeluGrad SoftplusGrad SoftsignGrad SquaredDifference Sub TruncateDiv
    ReciprocalGrad RsqrtGrad SigmoidGrad SqrtGrad TanhGrad
T,T > - | : Greater GreaterEqual Less LessEqual
T,T > - | incompatible_shape_error:b : Equal NotEqual
T > - | : IsFinite IsInf IsNan Rank Where
-,- > - | : LogicalAnd LogicalOr
- > - | : LogicalNot
> | : NoOp
> dtype | shape:shape : Placeholder
> dtype | value:tensor : Const
> dtype | shape:shape container:s shared_name:s : VariableV2
dtype > dtype | shape:shape : PlaceholderWithDefault
dtype > - | : IsVariableInitialized
T,T > T | validate_shape:b use_locking:b : Assign
T,T > T | use_locking:b : AssignAdd AssignSub
T,T > T | transpose_a:b transpose_b:b : MatMul
T,T > T | adj_x:b adj_y:b : BatchMatMulV2
T,T > T | data_format:s : BiasAdd
T > T | data_format:s : BiasAddGrad
T,T > T | strides:li use_cudnn_on_gpu:b padding:s explicit_paddings:li data_format:s dilations:li : Conv2D
T,-,T > T | strides:li use_cudnn_on_gpu:b padding:s explicit_paddings:li data_format:s dilations:li
    : Conv2DBackpropFilter
-,T,T > T | strides:li use_cudnn_on_gpu:b padding:s explicit_paddings:li data_format:s dilations:li
    : Conv2DBackpropInput
T,T > T | strides:li padding:s explicit_paddings:li data_format:s dilations:li : DepthwiseConv2dNative
T,-,T > T | strides:li padding:s explicit_paddings:li data_format:s dilations:li : DepthwiseConv2dNativeBackpropFilter
-,T,T > T | strides:li padding:s explicit_paddings:li data_format:s dilations:li : DepthwiseConv2dNativeBackpropInput
T > T | ksize:li strides:li padding:s explicit_paddings:li data_format:s : MaxPool
T,T,T > T | ksize:li strides:li padding:s explicit_paddings:li data_format:s : MaxPoolGrad
T,T,T > T | ksize:li strides:li padding:s data_format:s : MaxPoolGradGrad
T > T | ksize:li strides:li padding:s data_format:s : AvgPool
-,T > T | ksize:li strides:li padding:s data_format:s : AvgPoolGrad
T > T | depth_radius:i bias:f alpha:f beta:f : LRN
T,T,T > T | depth_radius:i bias:f alpha:f beta:f : LRNGrad
T > T | alpha:f : LeakyRelu
T,T > T | alpha:f : LeakyReluGrad
T > T | adjoint:b : MatrixInverse
T,T > T | lower:b adjoint:b : MatrixTriangularSolve
T,T > T | adjoint:b : MatrixSolve
-,T,-,-,T,- > - | normalize:b : EditDistance
T > T,T | compute_v:b : SelfAdjointEigV2
T > T | : Cholesky Diag DiagPart
T,T > T | : Cross
T > T,T | full_matrices:b : Qr
T,Tindex,Tindex > T | : MatrixBandPart
T,T > T,T | : BroadcastGradientArgs SoftmaxCrossEntropyWithLogits
T,Tlabels > T,T | : SparseSoftmaxCrossEntropyWithLogits
T,T,T,T,T > T,T,T,T,T | epsilon:f exponential_avg_factor:f data_format:s is_training:b : FusedBatchNorm
T,T,T,T,T > T,T,T,T,T | epsilon:f data_format:s is_training:b : FusedBatchNormGrad
T,Tidx > T | : BroadcastTo ReverseV2
T,Tidx > T | keep_dims:b : Max Mean Min Prod Sum
-,Tidx > - | keep_dims:b : All Any
T,Tidx > T | exclusive:b reverse:b : Cumprod Cumsum
T,Tidx > output_type | : ArgMax ArgMin
T,T,Tidx > T | : LinSpace
Tidx,Tidx,Tidx > Tidx | : Range
SrcT > DstT | Truncate:b : Cast
N*T > T | : AddN
N*T > T,- | : Merge RefMerge
T,- > T,T | : RefSwitch Switch
T > T | frame_name:s is_constant:b parallel_iterations:i : Enter RefEnter
T > T | : Exit NextIteration
- > - | : LoopCond
> | : ControlTrigger
- > - | elem_type:t stack_name:s : StackV2
-,T > T | swap_memory:b : StackPushV2
- > elem_type | : StackPopV2
- > -,- | dtype:t element_shape:shape dynamic_size:b clear_after_read:b identical_element_shapes:b
    tensor_array_name:s : TensorArrayV3
-,-,T,- > - | : TensorArrayWriteV3
-,-,- > dtype | : TensorArrayReadV3
-,-,- > dtype | element_shape:shape : TensorArrayGatherV3
-,-,T,- > - | : TensorArrayScatterV3
-,- > dtype,- | element_shape_except0:shape : TensorArrayConcatV3
-,T,-,- > - | : TensorArraySplitV3
-,- > - | : TensorArraySizeV3
-,- > -,- | source:s : TensorArrayGradV3
- > | : TensorArrayCloseV3
N*T > T | axis:i : Pack
T > num*T | axis:i : Unpack
N*T,Tidx > T | : ConcatV2
-,N*T > T | : Concat
T,T,T,T,T > T | variance_epsilon:f scale_after_normalization:b : BatchNormWithGlobalNormalization
-,N*shape_type > N*shape_type | : ConcatOffset
-,T > num_split*T | : Split
T,Tlen,- > num_split*T | : SplitV
T,- > num_partitions*T | : DynamicPartition
N*-,N*T > T | : DynamicStitch ParallelDynamicStitch
T,Tdim > T | : ExpandDims
index_type,T > T | : Fill
Tparams,Tindices,Taxis > Tparams | batch_dims:i : GatherV2
-,T,T > - | : InTopKV2
TI,-,T,T > T | axis:i : OneHot
T,Tpaddings > T | : Pad
T,Tpaddings,T > T | : PadV2
T,Tpaddings > T | mode:s : MirrorPad MirrorPadGrad
T,Tperm > T | : ConjugateTranspose Transpose
T,Tshape > T | : Reshape
T,Tmultiples > T | : Tile
T,Index,Index > T | : Slice
T,Index,Index,Index > T | begin_mask:i end_mask:i ellipsis_mask:i new_axis_mask:i shrink_axis_mask:i : StridedSlice
Index,Index,Index,Index,T > T | begin_mask:i end_mask:i ellipsis_mask:i new_axis_mask:i shrink_axis_mask:i
    : StridedSliceGrad
T > T | squeeze_dims:li : Squeeze
-,T,T > T | : Select
T > out_type | : Shape Size
N*T > N*out_type | : ShapeN
T,Tk > T,index_type | sorted:b : TopKV2
T,Tindices,Tnumsegments > T | : UnsortedSegmentSum UnsortedSegmentMax UnsortedSegmentMin UnsortedSegmentProd
T > T | : Acos Acosh Asin Asinh Atan Atanh Cosh Digamma Erfc Lgamma Sinh
T,T > T | : Atan2 DivNoNan Polygamma Xdivy Xlogy
T,Tblock_shape,Tcrops > T | : BatchToSpaceND
T,Tblock_shape,Tpaddings > T | : SpaceToBatchND
T > T | message:s : CheckNumerics
N*T > T | equation:s : Einsum
Tparams,Tindices > Tparams | : GatherNd
[T] > [T] | : IdentityN
T,- > output_dtype | seed:i seed2:i : Multinomial
T,Tlen > T | seq_dim:i batch_dim:i : ReverseSequence
T,Tindices,T > T | use_locking:b : ScatterAdd ScatterSub ScatterUpdate ScatterNdAdd ScatterNdSub ScatterNdUpdate
Tindices,T,Tindices > T | : ScatterNd
T,Tindices > T | : SegmentMax SegmentMean SegmentMin SegmentProd SegmentSum
-,T,T > T | : SelectV2
T,Tindices,T > T | : TensorScatterAdd TensorScatterSub TensorScatterUpdate
T > T,out_idx | : Unique
T > T,out_idx,out_idx | : UniqueWithCounts
T,[U] > T | message:s first_n:i summarize:i : Print
-,[T] > | summarize:i : Assert
[Tin] > [Tout] | token:s : PyFunc PyFuncStateless
[T] > - | template:s placeholder:s summarize:i : StringFormat
- > | output_stream:s end:s : PrintV2
T > T | seed:i seed2:i : RandomShuffle
T > dtype | seed:i seed2:i : RandomStandardNormal RandomUniform TruncatedNormal
T,Tout,Tout > Tout | seed:i seed2:i : RandomUniformInt
-,-,-,[dtypes] > | : SaveV2
-,-,- > [dtypes] | : RestoreV2
T,T,T > T | use_locking:b : ApplyGradientDescent
T,T,T,T > T | use_locking:b update_slots:b : ApplyAdagrad
T,T,T,T,T > T | use_locking:b use_nesterov:b : ApplyMomentum
T,T,T,T,T,T,T > T | use_locking:b : ApplyAdadelta
T,T,T,T,T,T,T,T > T | use_locking:b : ApplyRMSProp
T,T,T,T,T,T,T,T,T > T | use_locking:b : ApplyCenteredRMSProp
T,T,T,T,T,T,T,T,T,T > T | use_locking:b use_nesterov:b : ApplyAdam
T,T,T,T,Tindices,T > T | use_locking:b use_nesterov:b : SparseApplyMomentum
T,T,T,T,Tindices > T | use_locking:b update_slots:b : SparseApplyAdagrad
T,T,T,T,T,T,T,T > T | use_locking:b multiply_linear_by_lr:b : ApplyFtrl
T,T,T,T,T,T,T,T,T > T | use_locking:b multiply_linear_by_lr:b : ApplyFtrlV2
T,T,T,T,T > T | use_locking:b : ApplyProximalGradientDescent
T,T,T,T,T,T > T | use_locking:b : ApplyProximalAdagrad
T,T,T,T,Tindices,T,T,T,T > T | use_locking:b multiply_linear_by_lr:b : SparseApplyFtrl
T,T,T,T,Tindices,T,T,T,T,T > T | use_locking:b multiply_linear_by_lr:b : SparseApplyFtrlV2
T,T,T,T,T,Tindices > T | use_locking:b : SparseApplyProximalGradientDescent
T,T,T,T,T,T,Tindices > T | use_locking:b : SparseApplyProximalAdagrad
T,T,T,T,T,T,T,T,Tindices > T | use_locking:b : SparseApplyRMSProp
T,T,T,T,T,T,T,T,T,Tindices > T | use_locking:b : SparseApplyCenteredRMSProp
T,T,T,T,T,T,T,Tindices > T | use_locking:b : SparseApplyAdadelta
-,T > - | : ScalarSummary HistogramSummary
-,T > - | max_images:i bad_color:tensor : ImageSummary
-,-,- > - | max_outputs:i : AudioSummaryV2
-,T,- > - | : TensorSummaryV2
N*- > - | : MergeSummary
T,- > - | align_corners:b half_pixel_centers:b : ResizeBilinear ResizeBicubic
T,- > T | align_corners:b half_pixel_centers:b : ResizeNearestNeighbor ResizeNearestNeighborGrad
T,- > - | align_corners:b : ResizeArea
-,T > T | align_corners:b half_pixel_centers:b : ResizeBilinearGrad ResizeBicubicGrad
T,- > T | : AdjustContrastv2 AdjustHue AdjustSaturation
T > T | : RGBToHSV HSVToRGB
- > dtype | channels:i : DecodePng
- > - | channels:i ratio:i fancy_upscaling:b try_recover_truncated:b acceptable_fraction:f dct_method:s : DecodeJpeg
- > dtype | channels:i expand_animations:b : DecodeImage
T > - | compression:i : EncodePng
[Toutput_types] > - | output_shapes:lshape metadata:s : TensorDataset
[Toutput_types] > - | output_shapes:lshape is_files:b metadata:s replicate_on_split:b : TensorSliceDataset
-,-,- > - | output_types:lt output_shapes:lshape metadata:s replicate_on_split:b : RangeDataset
N*- > - | output_types:lt output_shapes:lshape metadata:s : ZipDataset
-,- > - | output_types:lt output_shapes:lshape metadata:s : ConcatenateDataset RepeatDataset TakeDataset SkipDataset
-,-,- > - | parallel_copy:b output_types:lt output_shapes:lshape metadata:s : BatchDatasetV2
-,-,N*-,[Toutput_types],- > - | parallel_copy:b output_shapes:lshape metadata:s : PaddedBatchDatasetV2
-,-,-,- > - | reshuffle_each_iteration:b output_types:lt output_shapes:lshape metadata:s : ShuffleDataset
-,- > - | output_types:lt output_shapes:lshape slack_period:i legacy_autotune:b buffer_size_min:i metadata:s
    : PrefetchDataset
-,[Targuments] > - | f:func output_types:lt output_shapes:lshape use_inter_op_parallelism:b preserve_cardinality:b
    force_synchronous:b metadata:s : MapDataset
-,[Targuments],- > - | f:func output_types:lt output_shapes:lshape use_inter_op_parallelism:b deterministic:s
    preserve_cardinality:b use_unbounded_threadpool:b metadata:s : ParallelMapDatasetV2
[Tinit_func_args] > - | output_types:lt output_shapes:lshape metadata:s : GeneratorDataset
-,[Targuments] > - | predicate:func output_types:lt output_shapes:lshape metadata:s : FilterDataset
-,[Targuments] > - | f:func output_types:lt output_shapes:lshape metadata:s : FlatMapDataset
-,[Targuments],-,- > - | f:func output_types:lt output_shapes:lshape metadata:s : InterleaveDataset
-,[Targuments],-,-,-,- > - | f:func deterministic:s output_types:lt output_shapes:lshape metadata:s
    : LegacyParallelInterleaveDatasetV2
-,-,- > - | metadata:s : TFRecordDataset TextLineDataset
-,-,-,-,-,- > - | metadata:s : FixedLengthRecordDatasetV2
> - | dataset_factory:func output_types:lt output_shapes:lshape container:s shared_name:s : OneShotIterator
> - | shared_name:s container:s output_types:lt output_shapes:lshape : IteratorV2
-,- > | : MakeIterator
- > [output_types] | output_shapes:lshape : IteratorGetNext
- > - | : IteratorToStringHandle
- > - | output_types:lt output_shapes:lshape : IteratorFromStringHandleV2
- > -,-,- | num_true:i num_sampled:i unique:b range_max:i seed:i seed2:i : UniformCandidateSampler
    LogUniformCandidateSampler LearnedUnigramCandidateSampler
- > -,-,- | num_true:i num_sampled:i unique:b range_max:i vocab_file:s distortion:f num_reserved_ids:i num_shards:i
    shard:i unigrams:lf seed:i seed2:i : FixedUnigramCandidateSampler
- > -,-,- | num_true:i num_sampled:i unique:b seed:i seed2:i : AllCandidateSampler
-,- > -,-,- | num_true:i seed:i seed2:i : ComputeAccidentalHits
Tindices,Tindices,T,T > T | validate_indices:b : SparseToDense
Tindices,T,-,T > T | adjoint_a:b adjoint_b:b : SparseTensorDenseMatMul
-,T,-,- > T | keep_dims:b : SparseReduceSum
T,Tidx,Tsegmentids > T | sparse_gradient:b : SparseSegmentSum SparseSegmentMean SparseSegmentSqrtN
> - | component_types:lt shapes:lshape capacity:i container:s shared_name:s : FIFOQueueV2 PaddingFIFOQueueV2
> - | component_types:lt shapes:lshape capacity:i min_after_dequeue:i seed:i seed2:i container:s shared_name:s
    : RandomShuffleQueueV2
-,[Tcomponents] > | timeout_ms:i : QueueEnqueueV2 QueueEnqueueManyV2
- > [component_types] | timeout_ms:i : QueueDequeueV2
-,- > [component_types] | timeout_ms:i : QueueDequeueManyV2 QueueDequeueUpToV2
- > | cancel_pending_enqueues:b : QueueCloseV2
- > - | : QueueSizeV2 QueueIsClosedV2 ReaderNumRecordsProducedV2 ReadFile MatchingFiles
> - | skip_header_lines:i container:s shared_name:s : TextLineReaderV2
> - | container:s shared_name:s : WholeFileReaderV2
> - | header_bytes:i record_bytes:i footer_bytes:i hop_bytes:i container:s shared_name:s encoding:s
    : FixedLengthRecordReaderV2
> - | container:s shared_name:s compression_type:s : TFRecordReaderV2
-,- > -,- | : ReaderReadV2
-,-,- > -,- | : ReaderReadUpToV2
- > | : ReaderResetV2
-,[OUT_TYPE] > [OUT_TYPE] | field_delim:s use_quote_delim:b na_value:s select_cols:li : DecodeCSV
- > - | out_type:t little_endian:b : DecodeRaw
-,-,-,-,-,[Tdense] > | num_sparse:i sparse_types:lt ragged_value_types:lt ragged_split_types:lt dense_shapes:lshape :
    ParseExampleV2
T > T | limit:i : CountUpTo
"""


class _Signature:
    __slots__ = ("inputs", "outputs", "attrs")

    def __init__(self, inputs, outputs, attrs):
        self.inputs = inputs    # tuples (count attr or None, type attr or None, is_list)
        self.outputs = outputs
        self.attrs = attrs      # {name: kind} of the attrs that are not derived from the args


def _parse_args(text):
    out = []
    for tok in (t.strip() for t in text.split(",")):
        if not tok:
            continue
        if tok.startswith("["):
            out.append((None, tok[1:-1], True))
        elif "*" in tok:
            n, t = tok.split("*")
            out.append((n, None if t == "-" else t, False))
        else:
            out.append((None, None if tok == "-" else tok, False))
    return tuple(out)


def _parse_table(text):
    table = {}
    for entry in text.replace("\n    ", " ").strip().splitlines():
        sig, _, types = entry.rpartition(":")
        args, _, attrs = sig.partition("|")
        ins, _, outs = args.partition(">")
        kinds = dict(a.split(":") for a in attrs.split())
        s = _Signature(_parse_args(ins), _parse_args(outs), kinds)
        for t in types.split():
            table[t] = s
    return table


_TABLE = {}


def _signature(op_type):
    """TensorFlow's signature of `op_type`, or None (the table is parsed on first use)."""
    if not _TABLE:
        _TABLE.update(_parse_table(_TF_OPS))
    return _TABLE.get(op_type)


def tf_signature_known(op_type):
    """Whether graph_io knows TensorFlow's signature of `op_type` (tests check every registered op)."""
    return _signature(op_type) is not None


def _derive(args, tensors, out):
    """Fill `out` with the type/number/list attrs that `args` take from `tensors`' dtypes."""
    var = [a for a in args if a[0] is not None or a[2]]
    fixed = len(args) - len(var)
    count = (len(tensors) - fixed) // len(var) if var else 0
    pos = 0
    for n_attr, t_attr, is_list in args:
        if is_list:
            out[t_attr] = [t.dtype.base_dtype for t in tensors[pos:pos + count]]
            pos += count
        elif n_attr is not None:
            out[n_attr] = count
            if t_attr is not None and count:
                out[t_attr] = tensors[pos].dtype.base_dtype
            pos += count
        else:
            if t_attr is not None and pos < len(tensors):
                out[t_attr] = tensors[pos].dtype.base_dtype
            pos += 1


# =========================================================================== shapes, tensors, attr values
def shape_proto(shape):
    """The TensorShapeProto (dict) of a shape: unknown rank, or dims with -1 where unknown."""
    shape = shape if isinstance(shape, TensorShape) else TensorShape(shape)
    dims = shape.as_tuple()
    if dims is None:
        return {"unknown_rank": True}
    return {"dim": [{"size": -1 if d is None else int(d)} if d != 0 else {} for d in dims]}


def shape_from_proto(d):
    """The TensorShape of a TensorShapeProto dict."""
    if d.get("unknown_rank"):
        return TensorShape(None)
    return TensorShape([None if dim.get("size", 0) < 0 else dim.get("size", 0) for dim in d.get("dim", [])])


# the TensorProto field that holds one value of each type, as TF's make_tensor_proto writes it
_VALUE_FIELD = {"float32": "float_val", "float64": "double_val", "int32": "int_val", "int16": "int_val",
                "int8": "int_val", "uint8": "int_val", "uint16": "int_val", "int64": "int64_val",
                "uint32": "uint32_val", "uint64": "uint64_val", "bool": "bool_val", "float16": "half_val",
                "complex64": "scomplex_val", "complex128": "dcomplex_val", "string": "string_val"}


def _as_bytes(x):
    return x.encode("utf-8") if isinstance(x, str) else bytes(x)


def tensor_proto(value, dtype=None):
    """The TensorProto (dict) of a numpy value, as TF's make_tensor_proto writes it: one value when
    every element is the same (TF fills the rest with it), else the raw little-endian bytes."""
    arr = np.asarray(value)
    dt = dtypes.as_dtype(dtype if dtype is not None else (arr.dtype if arr.dtype != object else dtypes.string))
    dt = dt.base_dtype
    out = {"dtype": dt.as_datatype_enum, "tensor_shape": shape_proto(arr.shape)}
    if arr.size == 0:
        return out
    flat = arr.reshape(-1)
    if dt == dtypes.string:
        same = all(x == flat[0] for x in flat[1:].tolist()) if flat.size > 1 else True
        out["string_val"] = [_as_bytes(x) for x in (flat[:1] if same else flat).tolist()]
        return out
    flat = flat.astype(dt.as_numpy_dtype, copy=False)
    if flat.size > 1 and not bool(np.all(flat == flat[0])):
        out["tensor_content"] = np.ascontiguousarray(flat, flat.dtype.newbyteorder("<")).tobytes()
        return out
    v = flat[:1]
    field = _VALUE_FIELD[dt.name]
    if dt == dtypes.float16:
        v = v.view(np.uint16).astype(np.int32)
    elif dt.is_complex:
        v = np.stack([v.real, v.imag], axis=-1).reshape(-1)
    out[field] = v
    return out


_NUMPY_OF_FIELD = {"float_val": np.float32, "double_val": np.float64, "int_val": np.int32, "int64_val": np.int64,
                   "bool_val": np.bool_, "half_val": np.int32, "scomplex_val": np.float32,
                   "dcomplex_val": np.float64, "uint32_val": np.uint32, "uint64_val": np.uint64}


def ndarray_from_tensor_proto(d):
    """The numpy value (read-only) of a TensorProto dict; ValueError for an unsupported dtype."""
    try:
        dt = dtypes.as_dtype(int(d.get("dtype", 0))).base_dtype
    except TypeError:
        raise ValueError("Unsupported tensor DataType %s in a TensorProto" % d.get("dtype", 0)) from None
    shape = shape_from_proto(d.get("tensor_shape", {}))
    if not shape.is_fully_defined():
        raise ValueError("A TensorProto needs a fully defined shape, got %s" % shape)
    dims = shape.as_tuple()
    n = int(np.prod(dims, dtype=np.int64))
    if dt == dtypes.string:
        vals = [bytes(x) for x in d.get("string_val", [])]
        arr = np.empty(n, dtype=object)
        if vals:
            arr[:len(vals)] = vals[:n]
            arr[len(vals):] = vals[-1]
        else:
            arr[:] = b""
        arr = arr.reshape(dims)
    elif "tensor_content" in d:
        npt = np.dtype(dt.as_numpy_dtype).newbyteorder("<")
        raw = d["tensor_content"]
        if len(raw) != n * npt.itemsize:
            raise ValueError("TensorProto has %d bytes of content for %d elements of %s"
                             % (len(raw), n, dt.name))
        arr = np.frombuffer(raw, dtype=npt).astype(dt.as_numpy_dtype).reshape(dims)
    else:
        field = _VALUE_FIELD.get(dt.name)
        vals = np.asarray(d.get(field, []), dtype=_NUMPY_OF_FIELD.get(field, np.float64))
        if dt == dtypes.float16:
            vals = vals.astype(np.uint16).view(np.float16)
        elif dt.is_complex:
            vals = vals[0::2] + 1j * vals[1::2]
        if vals.size > n:
            raise ValueError("TensorProto holds %d values for a tensor of %d elements" % (vals.size, n))
        arr = np.empty(n, dtype=dt.as_numpy_dtype)
        if vals.size:
            arr[:vals.size] = vals
            arr[vals.size:] = vals[-1]
        else:
            arr[:] = 0
        arr = arr.reshape(dims)
    arr.flags.writeable = False
    return arr


_LIST_FIELD = {"b": "b", "i": "i", "f": "f", "s": "s", "t": "type", "shape": "shape", "tensor": "tensor",
               "func": "func"}


def _scalar_attr(kind, v):
    if kind == "b":
        return bool(v)
    if kind == "i":
        return int(v)
    if kind == "f":
        return float(v)
    if kind == "s":
        return _as_bytes(v)
    if kind == "t":
        return dtypes.as_dtype(v).base_dtype.as_datatype_enum
    if kind == "shape":
        return shape_proto(v)
    if kind == "tensor":
        return tensor_proto(v)
    if kind == "func":  # a traced function (framework/func_graph.py), by name (its FunctionDef is in the library)
        return {"name": v.name}
    raise TypeError(kind)


def _guess_kind(v):
    if isinstance(v, (bool, np.bool_)):
        return "b"
    if isinstance(v, (int, np.integer)):
        return "i"
    if isinstance(v, (float, np.floating)):
        return "f"
    if isinstance(v, (str, bytes)):
        return "s"
    if isinstance(v, dtypes.DType):
        return "t"
    if isinstance(v, TensorShape):
        return "shape"
    if isinstance(v, np.ndarray):
        return "tensor"
    if isinstance(v, (list, tuple)):
        kinds = {_guess_kind(x) for x in v}
        if kinds == {"i", "f"}:
            kinds = {"f"}
        if len(kinds) == 1 and None not in kinds and not next(iter(kinds)).startswith("l"):
            return "l" + next(iter(kinds))
        if not kinds:
            return "li"
    return None


def attr_value(v, kind=None):
    """The AttrValue (dict) of a Python attribute value; `kind` is TF's attr type (see `_TF_OPS`),
    guessed from the value when None. None when the value has no AttrValue form."""
    kind = kind or _guess_kind(v)
    if kind is None:
        return None
    try:
        if kind.startswith("l") and kind != "l":
            items = list(v) if isinstance(v, (list, tuple)) else [v]
            sub = kind[1:]
            return {"list": {_LIST_FIELD[sub]: [_scalar_attr(sub, x) for x in items]} if items else {}}
        return {_LIST_FIELD[kind]: _scalar_attr(kind, v)}
    except (TypeError, ValueError):
        return None


def _text(b):
    try:
        return bytes(b).decode("utf-8")
    except UnicodeDecodeError:
        return bytes(b)


def attr_from_proto(d):
    """The Python value of an AttrValue dict: DType, TensorShape, numpy array, str, int, float, bool or a list."""
    if "list" in d:
        lst = d["list"]
        for field, conv in (("s", _text), ("i", int), ("f", float), ("b", bool), ("type", dtypes.as_dtype),
                            ("shape", shape_from_proto), ("tensor", ndarray_from_tensor_proto)):
            if field in lst:
                return [conv(x if not isinstance(x, np.generic) else x.item()) for x in lst[field]]
        return []
    if "s" in d:
        return _text(d["s"])
    if "i" in d:
        return int(d["i"])
    if "f" in d:
        return float(d["f"])
    if "b" in d:
        return bool(d["b"])
    if "type" in d:
        return dtypes.as_dtype(int(d["type"]))
    if "shape" in d:
        return shape_from_proto(d["shape"])
    if "tensor" in d:
        return ndarray_from_tensor_proto(d["tensor"])
    if "func" in d:
        from .func_graph import FunctionName
        name = d["func"].get("name", "")
        return FunctionName(name.decode() if isinstance(name, bytes) else name)
    return None


# =========================================================================== Graph -> GraphDef
def _tf_attrs(op):
    """{name: AttrValue dict} of `op` as TensorFlow declares its attributes."""
    sig = _signature(op.type)
    if sig is None:  # not a TF op: tfmini's attributes, types guessed
        pairs = [(k, attr_value(v)) for k, v in op._attrs.items()]
        return {k: v for k, v in pairs if v is not None}
    derived = {}
    _derive(sig.inputs, op._inputs, derived)
    _derive(sig.outputs, op._outputs, derived)
    out = {}
    for k, v in op._attrs.items():
        kind = sig.attrs.get(k)
        if kind is not None:
            av = attr_value(v, kind)
            if av is not None:
                out[k] = av
    for k, v in derived.items():
        out[k] = attr_value(v, "lt" if isinstance(v, list) else ("i" if isinstance(v, int) else "t"))
    return out


def _node_def(op, add_shapes, clear_devices):
    node = {"name": op.name, "op": op.type}
    inputs = [t._as_node_def_input() for t in op._inputs] + ["^" + c.name for c in op._control_inputs]
    if inputs:
        node["input"] = inputs
    if op.device and not clear_devices:
        node["device"] = op.device
    attrs = _tf_attrs(op)
    if add_shapes and op._outputs:
        attrs["_output_shapes"] = {"list": {"shape": [shape_proto(t.shape) for t in op._outputs]}}
    if attrs:
        node["attr"] = [{"key": k, "value": attrs[k]} for k in sorted(attrs)]
    return node


def graph_def_dict(graph, from_version=None, add_shapes=False, clear_devices=False):
    """The GraphDef of `graph` as a dict in the tfmini/io/proto form (no protobuf needed); the functions its ops hold
    (tf.data's map functions) as its library of FunctionDefs."""
    ops = graph.get_operations()
    if from_version is not None:
        ops = [op for op in ops if op._id > from_version]
    out = {"node": [_node_def(op, add_shapes, clear_devices) for op in ops]}
    functions = _function_defs(graph, ops, clear_devices)
    if functions:
        out["library"] = {"function": functions}
    out["versions"] = {"producer": GRAPH_DEF_VERSION}
    return out


# =========================================================================== functions -> FunctionDefs
def _function_defs(graph, ops, clear_devices):
    """The FunctionDefs of the functions `ops` hold as attributes, and of those their bodies hold, each once. A
    function read from a GraphDef (only its name, framework/func_graph.FunctionName) writes the FunctionDef it came
    with."""
    imported = getattr(graph, "_imported_functions", {})
    done, out, stack = set(), [], [list(ops)]
    while stack:
        for op in stack.pop():
            for value in op._attrs.values():
                name = getattr(value, "name", None)
                if not isinstance(name, str) or name in done or not (hasattr(value, "graph") or name in imported):
                    continue
                done.add(name)
                if hasattr(value, "graph"):
                    out.append(_function_def(value, clear_devices))
                    stack.append(value.graph.get_operations())
                else:
                    out.append(imported[name])
    return out


def _function_def(fn, clear_devices):
    """A traced function (framework/func_graph.Function) as TF's FunctionDef: its arguments and captured values are
    the input args, each Identity it returns a `ret`, and node inputs name outputs by TF's argument names."""
    from .tf_op_outputs import output_args
    args = {t: t._op._name for t in fn.feeds}

    def ref(t):
        if t in args:
            return args[t]
        names = output_args(t._op._type)
        sizes = [1] * len(names)
        lists = [i for i, (_, is_list) in enumerate(names) if is_list]
        if len(lists) == 1:
            sizes[lists[0]] = len(t._op._outputs) - (len(names) - 1)
        k = t._value_index
        for (name, _), size in zip(names, sizes):
            if k < size:
                return "%s:%s:%d" % (t._op._name, name, k)
            k -= size
        return "%s:output:%d" % (t._op._name, t._value_index)

    nodes = []
    for op in fn.graph.get_operations():
        if op._outputs and op._outputs[0] in args:
            continue  # an argument: an input arg of the signature
        node = _node_def(op, False, clear_devices)
        inputs = [ref(t) for t in op._inputs] + ["^" + c._name for c in op._control_inputs]
        node.pop("input", None)
        if inputs:
            node = dict(list(node.items())[:2] + [("input", inputs)] + list(node.items())[2:])
        nodes.append(node)
    rets = ["identity" if i == 0 else "identity_%d" % i for i in range(len(fn.outputs))]
    signature = {"name": fn.name,
                 "input_arg": [{"name": args[t], "type": t.dtype.base_dtype.as_datatype_enum} for t in fn.feeds],
                 "output_arg": [{"name": r, "type": t.dtype.base_dtype.as_datatype_enum}
                                for r, t in zip(rets, fn.outputs)]}
    return {"signature": signature, "node_def": nodes,
            "ret": [{"key": r, "value": ref(t)} for r, t in zip(rets, fn.outputs)]}


def graph_def_bytes(graph, from_version=None, add_shapes=False, clear_devices=False):
    """The serialized GraphDef of `graph` (what a FileWriter writes; numpy only)."""
    return proto.encode(proto.GRAPH_DEF, graph_def_dict(graph, from_version, add_shapes, clear_devices))


def as_graph_def(graph, from_version=None, add_shapes=False):
    """`graph` as a `GraphDef` protocol buffer (needs protobuf: pip install tfmini[tensorboard]).

    from_version: only the ops added after `graph.version` had this value.
    add_shapes: give every node an `_output_shapes` attribute.
    """
    messages.require_protobuf("Graph.as_graph_def()")
    return messages.from_bytes("GraphDef", graph_def_bytes(graph, from_version, add_shapes))


def graph_def_from(graph_def):
    """The dict form of a GraphDef given as a protobuf message, its bytes, or a dict."""
    if isinstance(graph_def, dict):
        return graph_def
    if isinstance(graph_def, (bytes, bytearray, memoryview)) or messages.is_message(graph_def, "GraphDef"):
        data = messages.to_bytes(graph_def, "GraphDef", proto.GRAPH_DEF)
        try:
            return proto.decode(proto.GRAPH_DEF, data)
        except proto.ProtoError as e:
            raise errors.DataLossError(None, None, "Unable to parse GraphDef: %s" % e) from None
    raise TypeError("graph_def must be a GraphDef proto.")


# =========================================================================== GraphDef -> Graph
_ACCEPTED = {}


def _accepted_names(fn, skip, n_inputs):
    """The keyword names `fn` takes after its `skip` leading arguments and `n_inputs` tensors, and
    whether it takes **kwargs."""
    import inspect
    params = list(inspect.signature(fn).parameters.values())[skip:]
    var_pos = any(p.kind == p.VAR_POSITIONAL for p in params)
    var_kw = any(p.kind == p.VAR_KEYWORD for p in params)
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    taken = len(positional) if var_pos else min(n_inputs, len(positional))
    names = {p.name for p in positional[taken:]} | {p.name for p in params if p.kind == p.KEYWORD_ONLY}
    return names, var_kw


def _accepted_attrs(op_def, n_inputs):
    """The attribute names tfmini's op takes (None: any), from its infer and kernel signatures."""
    key = (op_def.type, n_inputs)
    if key not in _ACCEPTED:
        sets = []
        for fn, skip in ((op_def.infer, 0), (op_def.kernel, 2 if op_def.needs_ctx else 1)):
            try:
                names, any_kw = _accepted_names(fn, skip, n_inputs)
            except (TypeError, ValueError):
                names, any_kw = set(), True
            sets.append(None if any_kw else names)
        known = [s for s in sets if s is not None]
        _ACCEPTED[key] = set.intersection(*known) if known else None
    return _ACCEPTED[key]


def _split_input(name):
    """('op', index, is_control) of a NodeDef input string."""
    if name.startswith("^"):
        return name[1:], -1, True
    op_name, sep, idx = name.rpartition(":")
    if sep and idx.isdigit():
        return op_name, int(idx), False
    return name, 0, False


_MERGE_TYPES = ("Merge", "RefMerge")
_NEXT_ITERATION_TYPES = ("NextIteration",)


def _back_edge(node, src_node):
    """Whether `node` reads `src_node` around a loop: a Merge's input from a NextIteration (made after the Merge)."""
    return node.get("op") in _MERGE_TYPES and src_node.get("op") in _NEXT_ITERATION_TYPES


def _topological(nodes):
    """The nodes in an order where every input comes first (creation order where it already is), a loop's back
    edges (a Merge's NextIteration input) aside."""
    by_name = {n["name"]: n for n in nodes}
    state = {}
    order = []
    for root in nodes:
        if root["name"] in state:
            continue
        stack = [(root, iter(root.get("input", [])))]
        state[root["name"]] = 1
        while stack:
            node, it = stack[-1]
            for inp in it:
                src = _split_input(inp)[0]
                if src in by_name and _back_edge(node, by_name[src]):
                    continue
                if src in by_name and state.get(src) is None:
                    state[src] = 1
                    stack.append((by_name[src], iter(by_name[src].get("input", []))))
                    break
                if src in by_name and state.get(src) == 1:
                    raise ValueError("GraphDef has a cycle through node '%s'" % src)
            else:
                stack.pop()
                state[node["name"]] = 2
                order.append(node)
    return order


def import_graph_def(graph_def, input_map=None, return_elements=None, name=None, op_dict=None,
                     producer_op_list=None):
    """Import a GraphDef into the default graph, as `tf.import_graph_def` does; returns the
    elements named in `return_elements` (ops, or 'op:i' tensors), else None.

    name: the prefix of the imported names (default 'import', made unique; '' for none); a name
    already in the graph is made unique. input_map: {'op:i' of graph_def: Tensor} feeds those
    inputs from the graph instead. `graph_def` is a GraphDef message, its bytes, or its dict form.
    Shapes recorded in `_output_shapes` refine the shapes tfmini infers.
    """
    created = import_nodes(graph_def, input_map, name)
    if return_elements is None:
        return None
    out = []
    for el in return_elements:
        op_name, idx, _ = _split_input(el)
        op = created.get(op_name)
        if op is None or (":" in el and idx >= len(op._outputs)):
            kind = "tensor" if ":" in el else "operation"
            raise ValueError("Requested return %s '%s' not found in graph def" % (kind, el))
        out.append(op._outputs[idx] if ":" in el else op)
    return out


def import_nodes(graph_def, input_map=None, name=None, clear_devices=False):
    """Import the nodes of `graph_def` into the default graph; returns {node name: new Operation}."""
    from .ops import Tensor, get_default_graph, name_scope, canonical_device
    from .op_registry import get_op_def
    gd = graph_def_from(graph_def)
    g = get_default_graph()
    input_map = dict(input_map or {})
    for k, v in input_map.items():
        if not isinstance(k, str) or not isinstance(v, Tensor):
            raise TypeError("input_map must be a dictionary mapping strings to Tensor objects.")
    wanted = {_split_input(k)[:2]: v for k, v in input_map.items()}
    nodes = gd.get("node", [])
    node_names = {n["name"] for n in nodes}
    missing = sorted(k for k in input_map if _split_input(k)[0] not in node_names)
    if missing:
        raise ValueError("Attempted to map inputs that were not found in graph_def: [%s]" % ", ".join(missing))
    created = {}
    # the functions of the library are kept as they came (tfmini runs no FunctionDef): an op that holds one by name
    # exports it again
    functions = gd.get("library", {}).get("function", [])
    if functions:
        if not hasattr(g, "_imported_functions"):
            g._imported_functions = {}
        for f in functions:
            g._imported_functions.setdefault(f.get("signature", {}).get("name", ""), f)
    back_edges = []  # (Merge, input index, source name, output index): the loops' NextIterations, made later
    # TF's importer: a name scope named `name` (default "import", made unique), "" for the top level
    with name_scope(name, "import", list(input_map.values())) as scope:
        with g.name_scope(None):
            for node in _topological(nodes):
                created[node["name"]] = _import_node(g, node, scope, created, wanted, clear_devices,
                                                     get_op_def, canonical_device, back_edges)
    for op, i, src, idx in back_edges:
        op._update_input(i, created[src]._outputs[idx])
    if functions:
        _resolve_functions(g, list(created.values()))
    return created


# =========================================================================== FunctionDefs -> functions
def _resolve_functions(graph, ops):
    """Replace each function attribute of `ops` (a name, as read) by the function the graph's library defines, built
    into a graph of its own (framework/func_graph.py) the first time; names the library lacks stay names (the op
    cannot run). The ops were just made by the import: nothing has used them yet."""
    from .func_graph import FunctionName
    library = getattr(graph, "_imported_functions", {})
    built = graph.__dict__.setdefault("_built_functions", {})
    for op in ops:
        for key, value in list(op._attrs.items()):
            if isinstance(value, FunctionName) and value in library:
                fn = built.get(value)
                if fn is None:
                    fn = _function_from_def(library[value], graph)
                    built[str(value)] = fn
                    _resolve_functions(graph, fn.graph.get_operations())
                op._attrs[key] = fn


def _function_from_def(fdef, graph):
    """A FunctionDef (dict) as a traced function: its input args become placeholders (the element's components, then
    the captured values), its nodes ops of a FuncGraph, its rets the outputs."""
    from .func_graph import FuncGraph, Function
    from .op_registry import get_op_def
    from .ops import Graph, canonical_device
    from .tf_op_outputs import output_args
    sig = fdef.get("signature", {})
    nodes = fdef.get("node_def", [])
    types = {n["name"]: n.get("op", "") for n in nodes}

    def plain(ref):
        """'mul:z:0' -> 'mul:0' (an output by TF's argument name, as a node input or a ret names it)."""
        if ref.startswith("^") or ref.count(":") != 2:
            return ref
        node, arg, k = ref.split(":")
        offset = 0
        for name, _ in output_args(types.get(node, "")):
            if name == arg:
                return "%s:%d" % (node, offset + int(k))
            offset += 1
        return "%s:%s" % (node, k)

    g = FuncGraph(str(sig.get("name", "")), graph)
    created = {}
    with g.as_default():
        for arg in sig.get("input_arg", []):
            op = Graph.create_op(g, "Placeholder", [], {"dtype": dtypes.as_dtype(int(arg.get("type", 0))),
                                                        "shape": TensorShape(None)}, name=arg["name"])
            g.inputs.append(op._outputs[0])
            created[arg["name"]] = op
        converted = [dict(n, input=[plain(i) for i in n.get("input", [])]) for n in nodes]
        for node in _topological(converted):
            created[node["name"]] = _import_node(g, node, "", created, {}, False, get_op_def, canonical_device, [])
    rets = {r["key"]: r["value"] for r in fdef.get("ret", [])}
    outputs = []
    for arg in sig.get("output_arg", []):
        src, idx, _ = _split_input(plain(rets[arg["name"]]))
        outputs.append(created[src]._outputs[idx])
    return Function(g.name, g, g.inputs, outputs, outputs)


def _add_default_attrs(op_type, attrs, accepted):
    """Fill in the attributes that tfmini's op takes and a node leaves out with TensorFlow's defaults (an older or
    hand-made GraphDef: a Placeholder without `shape` is one of unknown shape), as TF's importer does
    (AddDefaultAttrsToNodeDef)."""
    from .tf_attr_defaults import defaults
    if accepted is None:
        return  # an op that takes any attributes reads the ones it needs with defaults of its own
    for key, value in defaults(op_type).items():
        if key not in attrs and key in accepted:
            attrs[key] = attr_from_proto(proto.decode(proto.ATTR_VALUE, value))


def _import_node(g, node, scope, created, wanted, clear_devices, get_op_def, canonical_device, back_edges):
    op_type = node.get("op", "")
    try:
        op_def = get_op_def(op_type)
    except KeyError:
        import socket
        raise errors.NotFoundError(None, None, "Op type not registered '%s' in binary running on %s. Make sure the "
                                   "Op and Kernel are registered in the binary running in this process. (tfmini "
                                   "has no op '%s'.)" % (op_type, socket.gethostname(), op_type)) from None
    inputs, controls = [], []
    first_edge = len(back_edges)
    for inp in node.get("input", []):
        src, idx, is_control = _split_input(inp)
        if not is_control and (src, idx) in wanted:
            inputs.append(wanted[(src, idx)])
            continue
        op = created.get(src)
        if op is None and op_type in _MERGE_TYPES and not is_control and inputs:
            back_edges.append((len(inputs), src, idx))  # a loop's back edge: the first input stands in for now
            inputs.append(inputs[0])
            continue
        if op is None:
            raise ValueError("Node '%s': Unknown input node '%s'" % (node["name"], inp))
        if is_control:
            controls.append(op)
        elif idx >= len(op._outputs):
            raise ValueError("Node '%s': Connecting to invalid output %d of source node %s which has %d outputs"
                             % (node["name"], idx, src, len(op._outputs)))
        else:
            inputs.append(op._outputs[idx])
    accepted = _accepted_attrs(op_def, len(inputs))
    attrs = {}
    shapes = None
    for entry in node.get("attr", []):
        key = entry.get("key", "")
        if key == "_output_shapes":
            shapes = attr_from_proto(entry.get("value", {}))
        if key.startswith("_") or (accepted is not None and key not in accepted):
            continue
        attrs[key] = attr_from_proto(entry.get("value", {}))
    _add_default_attrs(op_type, attrs, accepted)
    full = scope + node["name"]
    if scope and op_type in ("Enter", "RefEnter") and "frame_name" in attrs:
        attrs["frame_name"] = scope + attrs["frame_name"]  # each import's loops are frames of their own (as TF's)
    op = g.create_op(op_type, inputs, attrs, name=full)
    back_edges[first_edge:] = [(op,) + edge for edge in back_edges[first_edge:]]
    for c in controls:
        op._add_control_input(c)
    # shapes the exporter knew (a wrapper's set_shape) refine what inference finds again
    for t, shape in zip(op._outputs, shapes or ()):
        if isinstance(shape, TensorShape):
            try:
                t.set_shape(shape)
            except ValueError:
                pass
    device = node.get("device", "")
    if device and not clear_devices:
        try:
            op._device = canonical_device(device)
        except ValueError:
            op._device = device
    elif clear_devices:
        op._device = ""
    return op


# =========================================================================== tf.train.write_graph
def write_graph(graph_or_graph_def, logdir, name, as_text=True):
    """Write a graph (or GraphDef) to `logdir/name`, in protobuf text format (as_text) or binary;
    returns the path. The text format needs protobuf (pip install tfmini[tensorboard])."""
    from .ops import Graph
    if isinstance(graph_or_graph_def, Graph):
        data = graph_def_bytes(graph_or_graph_def)
    else:
        data = messages.to_bytes(graph_or_graph_def, "GraphDef", proto.GRAPH_DEF)
    if as_text:
        messages.require_protobuf("tf.train.write_graph(..., as_text=True)")
        data = messages.text_format(messages.from_bytes("GraphDef", data)).encode("utf-8")
    logdir = os.fspath(logdir)
    if not os.path.isdir(logdir):
        os.makedirs(logdir, exist_ok=True)
    path = os.path.join(logdir, os.fspath(name))
    atomic_write(path, data)
    return path


def atomic_write(path, data):
    """Write `data` to `path` through a temporary file and a rename: readers see the old file or the new one."""
    tmp = "%s.tmp%d.%d" % (path, os.getpid(), threading.get_ident())
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
