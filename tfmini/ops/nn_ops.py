"""Neural-network ops (tf.nn): activations, softmax and the cross-entropies, convolution, pooling,
bias_add, dropout, top-k and local response normalization."""
import collections
import numbers

import numpy as np

from ..framework import dtypes, errors
from ..framework.op_def_library import (FLOAT_TYPES, INT_TYPES, NUMBER_TYPES, REAL_NUMBER_TYPES, check_allowed,
                                        convert_one, convert_same_dtype, is_tensor_like, make_op,
                                        without_wide_unsigned)
from ..framework.op_registry import NO_GRADIENT, NOT_DIFFERENTIABLE, InferenceError, incompatible_shapes, register_op
from ..framework.ops import Tensor, convert_to_tensor, name_scope
from ..framework.tensor_shape import TensorShape
from ..runtime import intra_op
from . import array_ops, math_ops, random_ops
from .array_ops import _dbg, _deprecated_argument_lookup, _invalid, _with_rank, _with_rank_at_least
from .math_ops import _clipped_at_zero, bias_and_relu, half_via_float32
from .constant_op import constant_shape, constant_value
from .shape_util import broadcast_shape, merge_shapes

__all__ = ["relu", "l2_loss", "softmax", "log_softmax", "softmax_cross_entropy_with_logits",
           "softmax_cross_entropy_with_logits_v2", "sparse_softmax_cross_entropy_with_logits",
           "sigmoid_cross_entropy_with_logits",
           "conv2d", "conv2d_backprop_input", "conv2d_backprop_filter", "conv2d_transpose", "depthwise_conv2d",
           "depthwise_conv2d_native", "depthwise_conv2d_native_backprop_input",
           "depthwise_conv2d_native_backprop_filter", "separable_conv2d", "max_pool", "avg_pool", "bias_add",
           "relu6", "elu", "selu", "leaky_relu", "softplus", "softsign", "dropout", "in_top_k", "top_k", "lrn",
           "local_response_normalization", "xw_plus_b", "conv1d", "atrous_conv2d"]


# =========================================================================== Relu
def _relu_infer(features):
    return features.dtype.base_dtype, features.shape


def _relu_kernel(xp, features):
    return _clipped_at_zero(xp, features)


def _relu_grad(op, grad):
    """grad where the output is positive, else 0 (the ReluGrad op)."""
    return [_relu_grad_op(grad, op.outputs[0])]


register_op("Relu", infer=_relu_infer, kernel=_relu_kernel, grad=_relu_grad)


def relu(features, name=None):
    """max(features, 0) elementwise."""
    with name_scope(name, "Relu", [features]) as scope:
        x = convert_one("Relu", "features", features, allowed=REAL_NUMBER_TYPES)
        return make_op("Relu", [x], name=scope)


# =========================================================================== ReluGrad
def _relu_grad_infer(gradients, features):
    return gradients.dtype.base_dtype, merge_shapes(gradients.shape, features.shape)


def _relu_grad_kernel(xp, gradients, features):
    # TF's kernel: gradients * (features > 0) (a product: an infinite gradient at a negative input gives
    # nan, as in TF); numpy's `where` is ~10x slower than this product. Large batches: a block of images per
    # intra-op thread.
    if gradients.shape != features.shape or gradients.size < _BATCH_BLOCK_MIN:
        return xp.multiply(gradients, features > 0, dtype=gradients.dtype)
    out = xp.empty(gradients.shape, gradients.dtype)
    _over_image_blocks(gradients, lambda i: xp.multiply(gradients[i], features[i] > 0, dtype=gradients.dtype,
                                                        out=out[i]))
    return out


def _relu_grad_grad(op, grad):
    """ReluGrad is linear in `gradients` (masked the same way); `features` only choose the mask."""
    features = op.inputs[1]
    return [_relu_grad_op(grad, features), array_ops.zeros_like(features)]


register_op("ReluGrad", infer=_relu_grad_infer, kernel=_relu_grad_kernel, grad=_relu_grad_grad)


def _relu_grad_op(gradients, features, name=None):
    """gradients * (features > 0): the backward pass of Relu, as an op ('ReluGrad')."""
    with name_scope(name, "ReluGrad", [gradients, features]) as scope:
        g, f = convert_same_dtype("ReluGrad", [("gradients", gradients), ("features", features)],
                                  allowed=REAL_NUMBER_TYPES)
        return make_op("ReluGrad", [g, f], name=scope)


# =========================================================================== L2Loss
def _l2_loss_infer(t):
    return t.dtype.base_dtype, TensorShape([])


def _l2_loss_kernel(xp, t):
    """sum(t**2) / 2, as accurate as TF's tree-shaped sum: one BLAS dot per row of 4096 entries, the rows' sums
    added pairwise (a single float32 dot of VGG's fc6 weights, 103M entries, came out 2 % low); float16 in float32."""
    if not t.size:
        return xp.zeros((), t.dtype)
    flat = t.reshape(-1)
    if flat.dtype == np.float16:
        flat = flat.astype(np.float32)
    n = flat.size
    rows = n // _L2_ROW
    if rows < 2:
        total = xp.vdot(flat, flat)
    else:
        m = rows * _L2_ROW
        block = flat[:m].reshape(rows, _L2_ROW)
        total = xp.matmul(block[:, None, :], block[:, :, None]).sum()
        if m < n:
            total = total + xp.vdot(flat[m:], flat[m:])
    return xp.asarray(total * 0.5, dtype=t.dtype)


_L2_ROW = 4096


def _l2_loss_grad(op, grad):
    """d(sum(t**2) / 2)/dt = t, scaled by the incoming scalar gradient."""
    return [op.inputs[0] * grad]


register_op("L2Loss", infer=_l2_loss_infer, kernel=_l2_loss_kernel, grad=_l2_loss_grad)


def l2_loss(t, name=None):
    """sum(t ** 2) / 2: half the squared L2 norm, a scalar."""
    with name_scope(name, "L2Loss", [t]) as scope:
        x = convert_one("L2Loss", "t", t, allowed=FLOAT_TYPES)
        return make_op("L2Loss", [x], name=scope)


# =========================================================================== shared by the softmax family
def _is_zeros(t):
    """True when `t` is known at build time to be all zeros (what tf.gradients fills in for an
    output nobody differentiated): such a gradient adds nothing, so rules skip its terms."""
    op = t.op
    if op.type == "ZerosLike":
        return True
    if op.type == "Fill":
        v = constant_value(op.inputs[1])
        return v is not None and not np.any(v)
    v = constant_value(t)
    return v is not None and not np.any(v)


def _broadcast_mul(vec, mat):
    """vec[..., None] * mat: scales each row of `mat` by the matching entry of `vec`."""
    return array_ops.expand_dims(vec, -1) * mat


def _shifted_logits(xp, logits):
    """logits minus each row's max (the last axis): exp never overflows, and one row holds a 0."""
    return logits - logits.max(axis=-1, keepdims=True)


def _softmax_infer(logits):
    if logits.shape.ndims == 0:
        raise InferenceError("Shape must be at least rank 1 but is rank 0")
    return logits.dtype.base_dtype, logits.shape


# =========================================================================== Softmax
def _softmax_kernel(xp, logits):
    if logits.size == 0:
        return xp.empty_like(logits)
    e = _shifted_logits(xp, logits)  # a fresh array: the steps below may work in place
    xp.exp(e, out=e)
    e /= e.sum(axis=-1, keepdims=True)
    return e


def _softmax_grad(op, grad):
    """(grad - sum(grad * softmax)) * softmax, the sums taken over the last axis."""
    sm = op.outputs[0]
    sum_channels = math_ops.reduce_sum(grad * sm, -1, keepdims=True)
    return [(grad - sum_channels) * sm]


register_op("Softmax", infer=_softmax_infer, kernel=_softmax_kernel, grad=_softmax_grad)


def _swap_axis(logits, dim_index, last_index, name=None):
    """`logits` with axes `dim_index` and `last_index` exchanged (a permutation that is its own inverse)."""
    perm = list(range(last_index + 1))
    perm[dim_index], perm[last_index] = last_index, dim_index
    return array_ops.transpose(logits, perm, name=name if name is not None else "transpose")


def _softmax(logits, op_type, axis, name):
    """Apply `op_type` (which works on the last axis) along `axis`, moving that axis last and back as TF does."""
    logits = convert_to_tensor(logits)
    check_allowed(op_type, "logits", logits.dtype, FLOAT_TYPES)
    shape = logits.shape
    ndims = shape.ndims
    axis = _static_axis(axis, "softmax")
    if axis == -1 or (ndims is not None and axis == ndims - 1):
        with name_scope(name, op_type, [logits]) as scope:
            return make_op(op_type, [logits], name=scope)
    dim_axis = _check_axis(axis, shape)
    swapped = _swap_axis(logits, dim_axis, ndims - 1)
    with name_scope(None, op_type, [swapped]) as scope:
        out = make_op(op_type, [swapped], name=scope)
    out = _swap_axis(out, dim_axis, ndims - 1, name=name)
    out.set_shape(shape)
    return out


def _static_axis(axis, what):
    """`axis` as a Python int (None: -1); a tensor axis must be a constant."""
    if axis is None:
        return -1
    if isinstance(axis, Tensor):
        v = constant_value(axis)
        if v is None:
            raise ValueError("%s: `axis` must be known when the graph is built, got %s" % (what, axis))
        axis = v
    return int(axis)


def _check_axis(axis, shape):
    """`axis` made non-negative; it must name a dimension of a tensor of known rank."""
    ndims = shape.ndims
    if ndims is None:
        raise ValueError("axis %d needs logits of known rank, got shape %s" % (axis, shape))
    if not -ndims <= axis < ndims:
        raise errors.InvalidArgumentError(
            None, None, "Dimension (%d) must be in the range [%d, %d) where %d is the number of dimensions in "
                        "the input." % (axis, -ndims, ndims, ndims))
    return axis % ndims


def softmax(logits, axis=None, name=None, dim=None):
    """exp(logits) / sum(exp(logits)) along `axis` (default: the last), computed without overflow.

    `logits`: a float tensor of rank >= 1; the result has its shape and dtype. `dim` is TF1's old
    name for `axis`.

    >>> tf.nn.softmax([[0.3, 0.9, 0.1]])   # [[0.2747, 0.5005, 0.2249]]
    """
    axis = _deprecated_argument_lookup("axis", axis, "dim", dim)
    return _softmax(logits, "Softmax", axis, name)


# =========================================================================== LogSoftmax
def _log_softmax_kernel(xp, logits):
    if logits.size == 0:
        return xp.empty_like(logits)
    shifted = _shifted_logits(xp, logits)
    shifted -= xp.log(xp.exp(shifted).sum(axis=-1, keepdims=True))
    return shifted


def _log_softmax_grad(op, grad):
    """grad - sum(grad) * softmax, the sum over the last axis."""
    sm = math_ops.exp(op.outputs[0])
    return [grad - math_ops.reduce_sum(grad, -1, keepdims=True) * sm]


register_op("LogSoftmax", infer=_softmax_infer, kernel=_log_softmax_kernel, grad=_log_softmax_grad)


def log_softmax(logits, axis=None, name=None, dim=None):
    """logits - log(sum(exp(logits))) along `axis` (default: the last), without overflow or log(0).

    >>> tf.nn.log_softmax([[1e4, 0.0]])   # [[0., -1e4]]
    """
    axis = _deprecated_argument_lookup("axis", axis, "dim", dim)
    return _softmax(logits, "LogSoftmax", axis, name)


# =========================================================================== SoftmaxCrossEntropyWithLogits
def _xent_infer(features, labels):
    """loss [batch] and backprop [batch, classes]: rank 2 after broadcasting features with labels."""
    dt = features.dtype.base_dtype
    if features.shape.ndims in (None, 2):
        try:
            m = merge_shapes(_with_rank(features.shape, 2), labels.shape)
            return [(dt, TensorShape([m.as_tuple()[0]])), (dt, m)]
        except InferenceError:
            pass
    out = broadcast_shape(features.shape, labels.shape)
    if out.ndims is None:
        raise InferenceError("Shape must be broadcasted with rank 2, but is rank is unknown.")
    if out.ndims != 2:
        raise InferenceError("Shape must be broadcasted with rank 2, but is rank %d" % out.ndims)
    return [(dt, TensorShape([out.as_tuple()[0]])), (dt, out)]


def _xent_kernel(xp, features, labels):
    if features.ndim != 2 or labels.ndim != 2:
        raise _invalid("logits and labels must be either 2-dimensional, or broadcasted to be 2-dimensional")
    try:
        shape = np.broadcast_shapes(features.shape, labels.shape)
    except ValueError:
        raise _invalid("logits and labels must be broadcastable: logits_size=%s labels_size=%s"
                       % (_dbg(features.shape), _dbg(labels.shape))) from None
    if shape[1] == 0:
        return xp.zeros(shape[:1], features.dtype), xp.zeros(shape, features.dtype)
    log_p = _shifted_logits(xp, features)
    e = xp.exp(log_p)
    sums = e.sum(axis=1, keepdims=True)
    # log-probabilities straight from the shifted logits: never log(0), even where exp underflows
    log_p -= xp.log(sums)
    loss = -(labels * log_p).sum(axis=1)
    e /= sums
    return loss, e - labels


def _xent_grad(op, grad_loss, grad_grad):
    """d/dlogits = grad_loss * (softmax - labels), plus the term from a gradient on the backprop output;
    d/dlabels = grad_loss * -log_softmax(logits) (as TF, the backprop output's gradient adds nothing
    to the labels' gradient)."""
    logits = op.inputs[0]
    grad = _broadcast_mul(grad_loss, op.outputs[1])
    if grad_grad is not None and not _is_zeros(grad_grad):
        sm = softmax(logits)
        grad += (grad_grad - math_ops.reduce_sum(grad_grad * sm, -1, keepdims=True)) * sm
    grads = [grad, _broadcast_mul(grad_loss, -log_softmax(logits))]
    # TF sums nothing back; tfmini does where the static shapes show that labels or logits were broadcast
    from ..gradients import _sum_to_input
    return [g if g.shape.as_tuple() == t.shape.as_tuple() else _sum_to_input(g, t, [o for o in op.inputs if o is not t])
            for g, t in zip(grads, op.inputs)]


register_op("SoftmaxCrossEntropyWithLogits", infer=_xent_infer, kernel=_xent_kernel, grad=_xent_grad,
            explain=incompatible_shapes)


def _ensure_xent_args(name, sentinel, labels, logits):
    """TF1's cross-entropies take keywords only: a positional call would swap labels and logits silently."""
    if sentinel is not None:
        raise ValueError("Only call `%s` with named arguments (labels=..., logits=..., ...)" % name)
    if labels is None or logits is None:
        raise ValueError("Both labels and logits must be provided.")


def _flatten_outer_dims(logits):
    """`logits` as a matrix [prod(all but last dim), last dim], static shape kept where known."""
    rank = array_ops.rank(logits)
    last_dim_size = array_ops.slice(array_ops.shape(logits), [math_ops.subtract(rank, 1)], [1])
    output = array_ops.reshape(logits, array_ops.concat([[-1], last_dim_size], 0))
    dims = logits.shape.as_tuple()
    if dims is not None and all(d is not None for d in dims[:-1]):
        output.set_shape([int(np.prod(dims[:-1], dtype=np.int64)), dims[-1]])
    return output


def softmax_cross_entropy_with_logits_v2(labels, logits, axis=None, name=None, dim=None):
    """Cross-entropy between the softmax of `logits` and the distribution `labels`, along `axis`
    (default: the last); gradients flow into both `logits` and `labels`.

    labels, logits: the same shape [..., classes] (labels broadcast to logits); each row of labels
    a probability distribution. Returns the loss with the class axis removed, e.g. [batch].

    >>> tf.nn.softmax_cross_entropy_with_logits_v2(labels=[[0., 1., 0.]], logits=[[0.3, 0.9, 0.1]])  # [0.6922]
    """
    axis = _static_axis(_deprecated_argument_lookup("axis", axis, "dim", dim), "softmax_cross_entropy_with_logits")
    with name_scope(name, "softmax_cross_entropy_with_logits", [logits, labels]) as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = convert_to_tensor(labels, name="labels")
        check_allowed("SoftmaxCrossEntropyWithLogits", "features", logits.dtype, FLOAT_TYPES)
        precise_logits = logits
        labels = math_ops.cast(labels, precise_logits.dtype)
        input_rank = array_ops.rank(precise_logits)
        shape = logits.shape
        if axis != -1 and not (shape.ndims is not None and axis == shape.ndims - 1):
            # move the class axis last (TF builds this permutation from Range ops; it is static here)
            a = _check_axis(axis, shape)
            perm = [i for i in range(shape.ndims) if i != a] + [a]
            precise_logits = array_ops.transpose(precise_logits, perm)
            labels = array_ops.transpose(labels, perm)
        input_shape = array_ops.shape(precise_logits)
        precise_logits = _flatten_outer_dims(precise_logits)
        labels = _flatten_outer_dims(labels)
        cost, _ = make_op("SoftmaxCrossEntropyWithLogits", [precise_logits, labels], name=scope)
        output_shape = array_ops.slice(input_shape, [0], [math_ops.subtract(input_rank, 1)])
        cost = array_ops.reshape(cost, output_shape)
        if shape.ndims is not None:
            dims = shape.as_list()
            del dims[axis]
            cost.set_shape(dims)
        return cost


def softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, dim=-1, name=None, axis=None):
    """TF1's softmax cross-entropy: as `softmax_cross_entropy_with_logits_v2`, but no gradient flows
    into `labels` (they pass through stop_gradient). Named arguments only.

    >>> tf.nn.softmax_cross_entropy_with_logits(labels=[[0., 1., 0.]], logits=[[0.3, 0.9, 0.1]])  # [0.6922]
    """
    _ensure_xent_args("softmax_cross_entropy_with_logits", _sentinel, labels, logits)
    if axis is not None:
        dim = axis
    with name_scope(name, "softmax_cross_entropy_with_logits_sg", [logits, labels]) as scope:
        labels = array_ops.stop_gradient(labels, name="labels_stop_gradient")
    return softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits, axis=dim, name=scope)


# =========================================================================== SparseSoftmaxCrossEntropyWithLogits
def _sparse_xent_infer(features, labels):
    f = _with_rank(features.shape, 2).as_tuple()
    lab = _with_rank(labels.shape, 1).as_tuple()
    if f[0] is not None and lab[0] is not None and f[0] != lab[0]:
        raise InferenceError("Dimensions must be equal, but are %d and %d" % (f[0], lab[0]))
    batch = f[0] if f[0] is not None else lab[0]
    dt = features.dtype.base_dtype
    return [(dt, TensorShape([batch])), (dt, TensorShape([batch, f[1]]))]


def _check_sparse_xent_ranks(features, labels):
    """TF's run-time checks of the ranks (shapes fed to placeholders of unknown rank get this far)."""
    if features.ndim != 2:
        raise _invalid("logits must be 2-D, but got shape %s" % _dbg(features.shape))
    if labels.ndim != 1:
        raise _invalid("labels must be 1-D, but got shape %s" % _dbg(labels.shape))


def _sparse_xent_kernel(xp, features, labels):
    labels = xp.asarray(labels)  # int32 labels reach a GPU kernel in host memory
    _check_sparse_xent_ranks(features, labels)
    n, c = features.shape
    if labels.shape[0] != n:
        raise _invalid("logits and labels must have the same first dimension, got logits shape %s and labels "
                       "shape %s" % (_dbg(features.shape), _dbg(labels.shape)))
    if c == 0:
        raise _invalid("Must have at least one class, but got logits shape %s" % _dbg(features.shape))
    if n:
        # a short batch is checked in Python (one numpy reduction costs more than the whole list)
        if n <= 64:
            listed = labels.tolist()
            bad = min(listed) < 0 or max(listed) >= c
        else:
            bad = int(labels.min()) < 0 or int(labels.max()) >= c
        if bad:
            # TF's CPU kernel refuses such labels (its GPU kernel gives NaN rows instead)
            listed = labels.tolist()
            first = next(v for v in listed if not 0 <= v < c)
            raise _invalid("Received a label value of %d which is outside the valid range of [0, %d).  Label "
                           "values: %s" % (first, c, " ".join(str(int(v)) for v in listed)))
    shifted = features - features.max(axis=1, keepdims=True)
    e = xp.exp(shifted)
    sums = xp.add.reduce(e, axis=1)
    picked = xp.arange(0, n * c, c)  # flat index of each row's label
    picked += labels
    loss = xp.log(sums)
    loss -= shifted.reshape(-1).take(picked)
    e /= sums[:, None]  # e becomes the softmax, then the gradient softmax - onehot
    flat = e.reshape(-1)
    flat[picked] -= 1
    return loss, e


def _sparse_xent_grad(op, grad_loss, grad_grad):
    """d/dlogits = grad_loss * (softmax - onehot(labels)); labels are indices and get none."""
    if grad_grad is not None and not _is_zeros(grad_grad):
        raise LookupError("Currently there is no way to take the second derivative of "
                          "sparse_softmax_cross_entropy_with_logits due to the fused implementation's interaction "
                          "with tf.gradients()")
    return [_broadcast_mul(grad_loss, op.outputs[1]), None]


register_op("SparseSoftmaxCrossEntropyWithLogits", infer=_sparse_xent_infer, kernel=_sparse_xent_kernel,
            grad=_sparse_xent_grad)


def sparse_softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None):
    """Cross-entropy between the softmax of `logits` and the class indices `labels`. Named arguments only.

    labels: int32/int64 of shape [d0, ..., dk], each in [0, classes); logits: float [d0, ..., dk, classes].
    Returns the loss, shaped like `labels`. A label out of range fails at run time (InvalidArgumentError).

    >>> tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[1], logits=[[0.3, 0.9, 0.1]])  # [0.6922]
    """
    _ensure_xent_args("sparse_softmax_cross_entropy_with_logits", _sentinel, labels, logits)
    with name_scope(name, "SparseSoftmaxCrossEntropyWithLogits", [labels, logits]):
        labels = convert_to_tensor(labels)
        logits = convert_to_tensor(logits)
        labels_static_shape = labels.shape
        labels_shape = array_ops.shape(labels)
        logits_shape = logits.shape
        logits_ndims = logits_shape.ndims
        outer = None if logits_ndims is None or logits_ndims == 0 else TensorShape(logits_shape.as_tuple()[:-1])
        static_shapes_fully_defined = (labels_static_shape.is_fully_defined() and outer is not None
                                       and outer.is_fully_defined())
        if logits_ndims == 0:
            raise ValueError("Logits cannot be scalars - received shape %s." % logits_shape)
        if logits_ndims is not None and labels_static_shape.ndims is not None \
                and labels_static_shape.ndims != logits_ndims - 1:
            raise ValueError("Rank mismatch: Rank of labels (received %s) should equal rank of logits minus 1 "
                             "(received %s)." % (labels_static_shape.ndims, logits_ndims))
        if static_shapes_fully_defined and labels_static_shape.as_tuple() != outer.as_tuple():
            raise ValueError("Shape mismatch: The shape of labels (received %s) should equal the shape of logits "
                             "except for the last dimension (received %s)." % (labels_static_shape, logits_shape))
        # the op's dtype checks come after TF's shape checks: one-hot float labels are a rank mismatch first
        check_allowed("SparseSoftmaxCrossEntropyWithLogits", "features", logits.dtype, FLOAT_TYPES)
        check_allowed("SparseSoftmaxCrossEntropyWithLogits", "labels", labels.dtype, INT_TYPES)
        if logits_ndims == 2:
            cost, _ = make_op("SparseSoftmaxCrossEntropyWithLogits", [logits, labels], name=name)
            return cost
        num_classes = array_ops.shape(logits)[array_ops.rank(logits) - 1]
        flat_logits = array_ops.reshape(logits, [-1, num_classes])
        flat_labels = array_ops.reshape(labels, [-1])
        cost, _ = make_op("SparseSoftmaxCrossEntropyWithLogits", [flat_logits, flat_labels], name=name)
        cost = array_ops.reshape(cost, labels_shape)
        cost.set_shape(labels_static_shape)
        return cost


# =========================================================================== sigmoid_cross_entropy_with_logits
def sigmoid_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None):
    """Elementwise logistic loss of `logits` against targets `labels` in [0, 1] (same shape and dtype):

        max(x, 0) - x * z + log(1 + exp(-|x|))

    which never overflows, whatever the size of x. Named arguments only.

    >>> tf.nn.sigmoid_cross_entropy_with_logits(labels=[1., 0.], logits=[1e4, 1e4])   # [0., 1e4]
    """
    _ensure_xent_args("sigmoid_cross_entropy_with_logits", _sentinel, labels, logits)
    with name_scope(name, "logistic_loss", [logits, labels]) as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = convert_to_tensor(labels, name="labels")
        try:
            labels.shape.merge_with(logits.shape)
        except ValueError:
            raise ValueError("logits and labels must have the same shape (%s vs %s)"
                             % (logits.shape, labels.shape)) from None
        zeros = array_ops.zeros_like(logits, dtype=logits.dtype)
        cond = logits >= zeros
        relu_logits = array_ops.where(cond, logits, zeros)
        neg_abs_logits = array_ops.where(cond, -logits, logits)
        return math_ops.add(relu_logits - logits * labels, math_ops.log1p(math_ops.exp(neg_abs_logits)), name=scope)


# =========================================================================== shared by convolution and pooling
# Window arithmetic is TF's (core/framework/common_shape_fns.cc, core/framework/kernel_shape_util.cc). Along one
# spatial dimension of size `in`, a window of k taps spaced by the dilation d spans eff = (k - 1) * d + 1 entries:
#   VALID:    out = ceil((in - eff + 1) / stride), no padding;
#   SAME:     out = ceil(in / stride), padded with max((out - 1) * stride + eff - in, 0) zeros, half before and
#             the odd one after (so a 2x2 stride-2 window on 5 rows pads one row at the bottom);
#   EXPLICIT: the given padding before and after, then as VALID.
# Kernels never build a padded copy for pooling: for each window tap they compute which output positions see a
# real input entry (`_tap_ranges`) and work on those strided slices only.

_SAME_VALID = ("SAME", "VALID")
_CONV_PADDINGS = ("SAME", "VALID", "EXPLICIT")
_FORMATS = ("NHWC", "NCHW")
_NHWC_HINT = (" tfmini runs this op on the CPU, where TensorFlow supports only NHWC: build the graph with "
              "data_format='NHWC' (channels last), converting NCHW tensors with tf.transpose(x, [0, 2, 3, 1]).")


def _merge_dim(a, b):
    """TF's InferenceContext::Merge of two dimensions (None: unknown)."""
    if a is not None and b is not None and a != b:
        raise InferenceError("Dimensions must be equal, but are %d and %d" % (a, b))
    return a if a is not None else b


def _hwc(data_format):
    """Axes of height, width and channels in a 4-D tensor of `data_format`."""
    return (2, 3, 1) if data_format == "NCHW" else (1, 2, 3)


def _attr_string(op_type, attr, value, allowed):
    """A string attr checked as TF's op builder checks it."""
    if not isinstance(value, str):
        raise TypeError("Expected string for argument '%s' not %r." % (attr, value))
    if value not in allowed:
        raise ValueError("Attr '%s' of '%s' Op passed string '%s' not in: \"%s\"."
                         % (attr, op_type, value, '", "'.join(allowed)))
    return value


def _attr_ints(fn_name, attr, value):
    """A list-of-ints attr (strides, ksize, dilations) as TF's generated wrappers check it."""
    if not isinstance(value, (list, tuple)):
        raise TypeError("Expected list for '%s' argument to '%s' Op, not %r." % (attr, fn_name, value))
    out = []
    for v in value:
        if isinstance(v, bool) or not isinstance(v, (numbers.Integral, np.integer)):
            raise TypeError("Expected int for argument '%s' not %r." % (attr, v))
        out.append(int(v))
    return out


def _get_sequence(value, n, channel_index, name):
    """TF's nn_ops._get_sequence: an int or a list of 1, n or n + 2 values as the n + 2 values of a 4-D attr."""
    if value is None:
        return [1] * (n + 2)
    if isinstance(value, (numbers.Integral, np.integer)) and not isinstance(value, bool):
        value = [value]
    elif not isinstance(value, (list, tuple)):
        value = list(value) if hasattr(value, "__len__") else [value]
    value = list(value)
    if len(value) == n + 2:
        return value
    if len(value) == 1:
        value = value * n
    elif len(value) != n:
        raise ValueError("%s should be of length 1, %d or %d but was %d" % (name, n, n + 2, len(value)))
    return [1, 1] + value if channel_index == 1 else [1] + value + [1]


def _convert_padding(padding):
    """TF's nn_ops.convert_padding: 'SAME'/'VALID', or a list of four [before, after] pairs -> 'EXPLICIT'."""
    if padding == "EXPLICIT":
        raise ValueError('"EXPLICIT" is not a valid value for the padding parameter. To use explicit padding, the '
                         "padding parameter must be a list.")
    if isinstance(padding, (list, tuple)):
        explicit = []
        for i, pair in enumerate(padding):
            if not isinstance(pair, (list, tuple)):
                raise ValueError("When padding is a list, each element of padding must be a list/tuple of size 2. "
                                 "Element with index %d of padding is not a list/tuple" % i)
            if len(pair) != 2:
                raise ValueError("When padding is a list, each element of padding must be a list/tuple of size 2. "
                                 "Element with index %d of padding has size %d" % (i, len(pair)))
            explicit.extend(int(p) for p in pair)
        if len(padding) != 4:
            raise ValueError("When padding is a list, it must be of size 4. Got padding of size: %d" % len(padding))
        return "EXPLICIT", explicit
    return padding, []


def _check_explicit_paddings(padding, explicit_paddings, data_format):
    """TF's CheckValidPadding (shape inference)."""
    if padding != "EXPLICIT":
        if explicit_paddings:
            raise InferenceError("explicit_paddings attribute must be empty if the padding attribute is not EXPLICIT")
        return
    if len(explicit_paddings) != 8:
        raise InferenceError("explicit_paddings attribute must contain 8 values, but got: %d" % len(explicit_paddings))
    if any(p < 0 for p in explicit_paddings):
        raise InferenceError("All elements of explicit_paddings must be nonnegative")
    c = _hwc(data_format)[2]
    if explicit_paddings[0] or explicit_paddings[1] or explicit_paddings[2 * c] or explicit_paddings[2 * c + 1]:
        raise InferenceError("Nonzero explicit padding in the batch or depth dimensions is not supported")


def _explicit_pair(padding, explicit_paddings, axis):
    if padding != "EXPLICIT":
        return 0, 0
    return explicit_paddings[2 * axis], explicit_paddings[2 * axis + 1]


def _windowed_dim(size, k, d, stride, padding, before=0, after=0):
    """The static output length along one spatial dimension (None when unknown), with TF's messages."""
    if stride <= 0:
        raise InferenceError("Stride must be > 0, but got %d" % stride)
    if d < 1:
        raise InferenceError("Dilation rate must be >= 1, but got %d" % d)
    if size is None:
        return None
    if padding == "SAME":
        return (size + stride - 1) // stride
    if k is None:
        return None
    size += before + after
    eff = (k - 1) * d + 1
    if size < eff:
        raise InferenceError("Negative dimension size caused by subtracting %d from %d" % (eff, size))
    return (size - eff + stride) // stride


def _window(size, k, d, stride, padding, before=0, after=0):
    """(out, pad_before, pad_after) along one spatial dimension at run time."""
    eff = (k - 1) * d + 1
    if padding == "SAME":
        out = (size + stride - 1) // stride
        total = max((out - 1) * stride + eff - size, 0)
        before, after = total // 2, total - total // 2
    else:
        if padding == "VALID":
            before = after = 0
        num = size + before + after - eff + stride
        out = num // stride if num >= 0 else -(-num // stride)  # C++ division truncates toward zero
    if out < 0:
        raise _invalid("Computed output size would be negative: %d [input_size: %d, effective_filter_size: %d, "
                       "stride: %d]" % (out, size, eff, stride))
    return out, before, after


def _tap_ranges(out, size, stride, d, before, k):
    """For each of the k taps of a window along one dimension: (output slice, input slice) for the output
    positions whose tap reads a real (unpadded) entry, and the entries it reads; None where it reads padding only.

    Output position o's tap i reads input o * stride - before + i * d.
    """
    taps = []
    for i in range(k):
        off = i * d - before
        lo = max(0, -(off // stride))
        hi = min(out, (size - 1 - off) // stride + 1)
        if hi <= lo:
            taps.append(None)
            continue
        start = lo * stride + off
        taps.append((slice(lo, hi), slice(start, start + (hi - lo - 1) * stride + 1, stride)))
    return taps


def _taps_2d(rows, cols):
    """(i, j, out_rows, out_cols, in_rows, in_cols) for every window tap that reads real entries, row-major."""
    for i, r in enumerate(rows):
        if r is None:
            continue
        for j, c in enumerate(cols):
            if c is not None:
                yield i, j, r[0], c[0], r[1], c[1]


def _patches(xp, x, kh, kw, sh, sw, dh, dw, oh, ow, pads):
    """The windows of `x` [n, h, w, c] as a strided view [n, oh, ow, kh, kw, c] (no copy unless padding is
    needed, then one zero-padded copy). Reshaping the view to [n*oh*ow, kh*kw*c] makes the im2col matrix.

    xp.lib.stride_tricks.as_strided exists in numpy and in CuPy (cupy.lib.stride_tricks.as_strided).
    """
    x = _padded(xp, x, pads)
    n, _, _, c = x.shape
    s0, s1, s2, s3 = x.strides
    return xp.lib.stride_tricks.as_strided(x, (n, oh, ow, kh, kw, c), (s0, s1 * sh, s2 * sw, s1 * dh, s2 * dw, s3))


def _padded(xp, x, pads):
    """`x` [n, h, w, c] with (top, bottom, left, right) rows and columns of zeros around it (itself if none)."""
    top, bottom, left, right = pads
    if not (top or bottom or left or right):
        return x
    n, h, w, c = x.shape
    padded = xp.zeros((n, h + top + bottom, w + left + right, c), x.dtype)
    padded[:, top:top + h, left:left + w, :] = x
    return padded


# inputs with fewer channels than this (grayscale, RGB) are unfolded tap by tap: a window row of 1-3 floats
# makes the row-major im2col copy crawl (the lecture's first conv: 5.2 ms; tap by tap, 3.4 ms)
_TAP_MAJOR_DEPTH = 4


# A device's own im2col and input gradient (a fused kernel or two each), by the class of its arrays: a GPU
# backend registers them (runtime/cupy_backend.py; the fake GPU a numpy reference, runtime/fake_backend.py), and
# the convolutions below use them for that device's arrays. Each returns None where it does not apply (sizes,
# dtypes): the shared code then runs, with its checks made already.
_DEVICE_IM2COL = {}


def register_device_im2col(array_class, im2col, col2im):
    """For convolutions on arrays of `array_class` (NHWC; pads (top, bottom, left, right)):
    im2col(x, kh, kw, sh, sw, dh, dw, oh, ow, pads) -> the im2col matrix [n*oh*ow, kh*kw*c], as `_patches`
    reshaped, or None;
    col2im(out_backprop, filter, in_shape, sh, sw, dh, dw, oh, ow, pads) -> the input gradient [n, h, w, c]:
    out_backprop [n, oh, ow, out_c] times the filter [kh*kw*c, out_c] transposed (the im2col matrix's
    gradient), each entry added into the input entry it was copied from; or None, before any work."""
    _DEVICE_IM2COL[array_class] = (im2col, col2im)


# A device's own direct convolution for shallow filters (a grayscale or RGB input: an im2col matrix of 25 or 27
# columns is a poor GEMM and 25x the input's memory), by the class of its arrays, as above
_DEVICE_DIRECT_CONV = {}


# a filter over a shallow input (fewer than _TAP_MAJOR_DEPTH channels: grayscale, RGB) with at most this many taps
# (kh * kw * in_c: the lecture's first conv 25, VGG's 27) is applied directly on a GPU
_DIRECT_CONV_MAX_TAPS = 64


def direct_conv_applies(x, filter, bias, sh, sw, dh, dw, oh, ow, pads):  # noqa: A002
    """Whether a device's direct convolution takes these arrays: float32/64 throughout, a shallow input and filter
    (_TAP_MAJOR_DEPTH, _DIRECT_CONV_MAX_TAPS), a bias of out_c entries if any, and indices and coordinates within
    32 bits."""
    kh, kw, c, out_c = filter.shape
    n, h, w, xc = x.shape
    floats = (np.float32, np.float64)
    small = 1 << 31
    return (x.dtype in floats and filter.dtype == x.dtype and xc == c and c < _TAP_MAJOR_DEPTH
            and 0 < kh * kw * c <= _DIRECT_CONV_MAX_TAPS and 0 < filter.size < small
            and (bias is None or (bias.dtype == x.dtype and bias.shape == (out_c,)))
            and 0 < x.size < small and 0 < n * oh * ow * out_c < small
            and max(oh * sh, ow * sw) + max(kh * dh, kw * dw) + max(pads) + max(h, w) < small)


def register_device_direct_conv(array_class, conv):
    """conv(x, filter, sh, sw, dh, dw, oh, ow, pads, bias, relu) -> the NHWC convolution of `x` [n, h, w, c] with
    `filter` [kh, kw, c, out_c], plus `bias` (out_c, or None), clipped at 0 if `relu`, made in one pass for
    arrays of `array_class`; or None where it does not apply (depth, dtypes, sizes), before any work."""
    _DEVICE_DIRECT_CONV[array_class] = conv


def _im2col(xp, x, kh, kw, sh, sw, dh, dw, oh, ow, pads, ones=False):
    """The im2col matrix of a NHWC convolution in blocks (see `_image_blocks`): returns (blocks, matrix) where
    blocks[b] is (images, output rows) and matrix(b) makes that block's matrix [its output positions,
    kh*kw*c], columns in the filter's (kh, kw, c) order. Each call makes a new matrix, so threads can make
    blocks at once. With `ones`, each matrix has one more column, of ones: times a filter matrix with the
    bias as its last row, the GEMM adds the bias as it goes."""
    n, _, _, c = x.shape
    device = _DEVICE_IM2COL.get(x.__class__)
    if device is not None and not ones:
        m = device[0](x, kh, kw, sh, sw, dh, dw, oh, ow, pads)
        if m is not None:
            return [(slice(None), slice(None))], lambda b: m
    k = kh * kw * c
    width = k + 1 if ones else k
    blocks = _image_blocks(x, oh, ow, width * x.itemsize)
    tap_major = c < _TAP_MAJOR_DEPTH and x.__class__ is np.ndarray
    if not tap_major:
        cols = _patches(xp, x, kh, kw, sh, sw, dh, dw, oh, ow, pads)
    else:
        channels_first = _padded(xp, x, pads).transpose(3, 0, 1, 2)  # [c, n, H, W]: a tap copies rows of ow floats

    def matrix(b):
        images, rows = blocks[b]
        r0, r1, _ = rows.indices(oh)
        i0, i1, _ = images.indices(n)
        count = (i1 - i0) * (r1 - r0) * ow
        if not tap_major:
            if not ones:
                return cols[images, rows].reshape(count, k)
            m = xp.empty((count, width), x.dtype)
            m[:, k] = 1
            m[:, :k].reshape(i1 - i0, r1 - r0, ow, kh, kw, c, copy=False)[...] = cols[images, rows]
            return m
        m = xp.empty((width, count), x.dtype)
        taps = m[:k].reshape(kh, kw, c, i1 - i0, r1 - r0, ow)
        for i in range(kh):
            top = r0 * sh + i * dh
            for j in range(kw):
                taps[i, j] = channels_first[:, i0:i1, top:top + (r1 - r0 - 1) * sh + 1:sh, j * dw:j * dw + (ow - 1) * sw + 1:sw]
        if ones:
            m[k] = 1
        return m.T  # a transposed view: BLAS reads it as it is

    return blocks, matrix


def _conv_geometry(x_shape, kh, kw, strides, dilations, padding, explicit_paddings):
    """(oh, ow, (top, bottom, left, right)) of a NHWC convolution at run time."""
    _, h, w, _ = x_shape
    oh, top, bottom = _window(h, kh, dilations[1], strides[1], padding, *_explicit_pair(padding, explicit_paddings, 1))
    ow, left, right = _window(w, kw, dilations[2], strides[2], padding, *_explicit_pair(padding, explicit_paddings, 2))
    return oh, ow, (top, bottom, left, right)


def _check_conv_attrs(strides, dilations, data_format, nchw_error):
    """The checks TF's CPU conv kernels make when they are created (at the first run); `nchw_error()` is the
    error the op's CPU kernel gives for NCHW."""
    h, w, c = _hwc(data_format)
    if strides[0] != 1 or strides[c] != 1:
        raise _invalid("Current implementation does not yet support strides in the batch and depth dimensions.")
    if dilations[0] != 1 or dilations[c] != 1:
        raise _invalid("Current implementation does not yet support dilations in the batch and depth dimensions.")
    if strides[h] <= 0 or strides[w] <= 0:
        raise _invalid("Row and column strides should be larger than 0.")
    if dilations[h] <= 0 or dilations[w] <= 0:
        raise _invalid("Dilated rates should be larger than 0.")
    if data_format != "NHWC":
        raise nchw_error()


def _conv_infer_common(op_type, input, filter, strides, padding, explicit_paddings, data_format, dilations):
    """Static [batch, out_h, out_w] (in the data format's order) and the merged input depth of a 2-D convolution."""
    x = _with_rank(input.shape, 4).as_tuple()
    f = _with_rank(filter.shape, 4).as_tuple()
    label = "DepthwiseConv2D" if op_type == "DepthwiseConv2dNative" else op_type
    if len(strides) != 4:
        raise InferenceError("%s requires the stride attribute to contain 4 values, but got: %d"
                             % (label, len(strides)))
    if len(dilations) != 4:
        raise InferenceError("%s requires the dilation attribute to contain 4 values, but got: %d"
                             % (label, len(dilations)))
    _check_explicit_paddings(padding, explicit_paddings, data_format)
    h, w, c = _hwc(data_format)
    depth = _merge_dim(x[c], f[2])
    oh = _windowed_dim(x[h], f[0], dilations[h], strides[h], padding,
                       *_explicit_pair(padding, explicit_paddings, h))
    ow = _windowed_dim(x[w], f[1], dilations[w], strides[w], padding,
                       *_explicit_pair(padding, explicit_paddings, w))
    return x[0], oh, ow, depth, f


def _shape_of_format(data_format, n, h, w, c):
    return TensorShape([n, c, h, w] if data_format == "NCHW" else [n, h, w, c])


def _sizes_infer(sizes):
    """The static shape a 1-D int32 sizes input (input_sizes, filter_sizes, orig_input_shape) describes."""
    if sizes.shape.ndims not in (None, 1):
        raise InferenceError("Shape must be rank 1 but is rank %d" % sizes.shape.ndims)
    s = constant_shape(sizes)
    return TensorShape([None] * 4) if s.ndims is None else _with_rank(s, 4)


def _sizes_value(op_label, sizes, what):
    if sizes.ndim != 1 or sizes.shape[0] != 4:
        raise _invalid("%s: %s input must be 1-dim, not %d" % (op_label, what, sizes.ndim) if sizes.ndim != 1
                       else "%s: %s must have 4 elements, got %d" % (op_label, what, sizes.shape[0]))
    return tuple(int(v) for v in sizes)


def _backprop_dims(label, in_shape, filter_shape, dy_shape, strides, dilations, padding, explicit_paddings,
                   depthwise=False):
    """TF's ConvBackpropComputeDimensionsV2: checks that input, filter and out_backprop (NHWC) fit together;
    returns (oh, ow, pads)."""
    for what, s in (("input", in_shape), ("filter", filter_shape), ("out_backprop", dy_shape)):
        if len(s) != 4:
            raise _invalid("%s: %s must be 4-dimensional" % (label, what))
    if in_shape[0] != dy_shape[0]:
        raise _invalid("%s: input and out_backprop must have the same batch size, input batch: %d, outbackprop "
                       "batch: %d" % (label, in_shape[0], dy_shape[0]))
    if in_shape[3] != filter_shape[2]:
        raise _invalid("%s: input and filter must have the same depth: %d vs %d" % (label, in_shape[3], filter_shape[2]))
    out_depth = filter_shape[2] * filter_shape[3] if depthwise else filter_shape[3]
    if out_depth != dy_shape[3]:
        raise _invalid("%s: filter and out_backprop must have the same out_depth: %d vs %d"
                       % (label, out_depth, dy_shape[3]))
    oh, ow, pads = _conv_geometry(in_shape, filter_shape[0], filter_shape[1], strides, dilations, padding,
                                  explicit_paddings)
    for dim, got, want, k in ((1, dy_shape[1], oh, filter_shape[0]), (2, dy_shape[2], ow, filter_shape[1])):
        if got != want:
            raise _invalid("%s: Size of out_backprop doesn't match computed: actual = %d, computed = %d spatial_dim: "
                           "%d input: %d filter: %d output: %d stride: %d dilation: %d"
                           % (label, got, want, dim, in_shape[dim], k, got, strides[dim], dilations[dim]))
    return oh, ow, pads


def _conv_attrs(op_type, fn_name, strides, padding, data_format, dilations, explicit_paddings=None,
                use_cudnn_on_gpu=None):
    """The attrs of a convolution op, checked as TF's op builder checks them."""
    attrs = {"strides": _attr_ints(fn_name, "strides", strides)}
    if use_cudnn_on_gpu is not None:
        attrs["use_cudnn_on_gpu"] = bool(use_cudnn_on_gpu)
    allowed = _CONV_PADDINGS if explicit_paddings is not None else _SAME_VALID
    attrs["padding"] = _attr_string(op_type, "padding", padding, allowed)
    if explicit_paddings is not None:
        attrs["explicit_paddings"] = _attr_ints(fn_name, "explicit_paddings", explicit_paddings)
    attrs["data_format"] = _attr_string(op_type, "data_format", data_format, _FORMATS)
    attrs["dilations"] = _attr_ints(fn_name, "dilations", dilations)
    return attrs


def _nchw_unimplemented():
    return errors.UnimplementedError(None, None, "Generic conv implementation only supports NHWC tensor format "
                                                 "for now." + _NHWC_HINT)


def _nchw_backprop_input():
    return _invalid("Conv2DCustomBackpropInputOp only supports NHWC." + _NHWC_HINT)


def _nchw_backprop_filter():
    return _invalid("Conv2DCustomBackpropFilterOp only supports NHWC." + _NHWC_HINT)


# =========================================================================== Conv2D
def _conv2d_infer(input, filter, *, strides, padding, explicit_paddings=(), data_format="NHWC",
                  dilations=(1, 1, 1, 1), use_cudnn_on_gpu=True):
    n, oh, ow, _, f = _conv_infer_common("Conv2D", input, filter, strides, padding, explicit_paddings, data_format,
                                         dilations)
    return input.dtype.base_dtype, _shape_of_format(data_format, n, oh, ow, f[3])


def _conv2d_kernel(xp, input, filter, *, strides, padding, explicit_paddings=(), data_format="NHWC",
                   dilations=(1, 1, 1, 1), use_cudnn_on_gpu=True, bias=None, activation=None):
    """im2col: the windows as a [n*oh*ow, kh*kw*c] matrix times the filter as [kh*kw*c, out_c] (BLAS GEMMs,
    a block of windows at a time)."""
    _check_conv_attrs(strides, dilations, data_format, _nchw_unimplemented)
    if input.ndim != 4:
        raise _invalid("input must be 4-dimensional%s" % _dbg(input.shape))
    if filter.ndim != 4:
        raise _invalid("filter must be 4-dimensional: %s" % _dbg(filter.shape))
    n, _, _, c = input.shape
    kh, kw, fc, out_c = filter.shape
    if fc == 0 or c % fc:
        raise _invalid("input depth must be evenly divisible by filter depth: %d vs %d" % (c, fc))
    if c != fc:
        raise errors.UnimplementedError(None, None, "Generic conv implementation does not support grouped "
                                                    "convolutions for now.")
    oh, ow, pads = _conv_geometry(input.shape, kh, kw, strides, dilations, padding, explicit_paddings)
    return _conv_gemm(xp, input, filter, strides[1], strides[2], dilations[1], dilations[2], oh, ow, pads,
                      bias=bias, relu=activation == "Relu")


def _fused_conv2d_kernel(xp, input, filter, bias, *, activation, **attrs):
    """Conv2D, then BiasAdd, then `activation` ("Relu" or None), in one pass (TF's _FusedConv2D). A plan uses
    it only where BiasAdd's checks hold statically: `bias` has the filter's out_channels entries."""
    if bias.shape != filter.shape[-1:]:  # a variable assigned with validate_shape=False changed its shape
        return fused_bias_error(xp, _conv2d_kernel(xp, input, filter, **attrs), bias)
    return _conv2d_kernel(xp, input, filter, bias=bias, activation=activation, **attrs)


def fused_bias_error(xp, value, bias):
    """Raise BiasAdd's error for the bias of a fused chain (its check failed at run time), marked as the chain's
    BiasAdd's (`fused_part`): the plan names that op, as the unfused graph would."""
    try:
        _bias_add_kernel(xp, value, bias)
    except errors.InvalidArgumentError as e:
        e.fused_part = 1
        raise
    raise AssertionError("a fused chain's bias failed its check but BiasAdd takes it")  # never: the checks agree


# An im2col matrix is copied and multiplied a block of images at a time, each block's matrix about this
# many bytes: it is still in the CPU's cache when the GEMM reads it. The lecture's second conv at batch 64
# (a [12544, 800] matrix, 40 MB, in one piece) took 24 ms; in blocks of two images, 14 ms. A block has at
# least _IM2COL_MIN_ROWS rows, though: the GEMM packs the whole filter for every block, and VGG's 3x3x512
# filters (9 MB) over blocks of 83 rows took 34 ms where blocks of 192 rows or more take 25-27 ms.
_IM2COL_BLOCK_BYTES = 3 << 19
_IM2COL_MIN_ROWS = 192


def _image_blocks(x, oh, ow, row_bytes):
    """(image slice, output-row slice) pairs covering the output for blockwise im2col: several whole images
    per block, or, when one image's matrix is larger than a block (VGG at 224x224), a few output rows of one
    image. One block on a GPU (its GEMMs want the whole batch)."""
    n = x.shape[0]
    everything = slice(None)
    if x.__class__ is not np.ndarray or n == 0 or oh * ow == 0:
        return [(everything, everything)]
    rows = max(_IM2COL_BLOCK_BYTES // max(1, row_bytes), _IM2COL_MIN_ROWS, 1)
    if oh * ow <= rows:
        per = rows // (oh * ow)
        return [(slice(i, min(n, i + per)), everything) for i in range(0, n, per)]
    lines = -(-rows // ow)
    return [(slice(i, i + 1), slice(r, min(oh, r + lines))) for i in range(n) for r in range(0, oh, lines)]


# Winograd's F(2x2, 3x3) (Lavin & Gray 2015, what cuDNN and oneDNN use for 3x3 convolutions): each 2x2 output
# tile from a 4x4 input tile in 16 products instead of 36. The transforms are additions done by numpy, so it
# pays only where the GEMMs dominate: at least this many channels in and out (VGG-16 at 224x224, measured
# here: conv3 48 -> 28 ms, conv4 38 -> 22 ms; conv1/conv2's 64 channels and conv5's 7x7 tiles gain
# nothing), and enough tiles for the GEMMs.
_WINOGRAD_MIN_DEPTH = 128
_WINOGRAD_MIN_TILES = 128
_WINOGRAD_BLOCK_BYTES = 1 << 20  # a block's 16 transformed tiles, about this many bytes
_WINOGRAD_MIN_ROWS = 256  # tiles per block, at least
_WINOGRAD_G = np.array([[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]])  # the filter transform


def _winograd_applies(x, filter, sh, sw, dh, dw, oh, ow):
    """Whether `_winograd_conv` computes this convolution (numpy, 3x3, stride and dilation 1, deep enough)."""
    kh, kw, c, k = filter.shape
    return (x.__class__ is np.ndarray and (kh, kw, sh, sw, dh, dw) == (3, 3, 1, 1, 1, 1)
            and min(c, k) >= _WINOGRAD_MIN_DEPTH and x.dtype in (np.float32, np.float64) and x.dtype == filter.dtype
            and x.shape[0] * -(-oh // 2) * -(-ow // 2) >= _WINOGRAD_MIN_TILES)


def _winograd_conv(x, filter, oh, ow, pads, bias=None, relu=False):
    """A 3x3, stride-1 NHWC convolution by Winograd's F(2x2, 3x3), in blocks of tile rows: the input tiles
    d (4x4) become V = B^T d B, the filter g (3x3) U = G g G^T, each of the 16 positions one GEMM
    [tiles, c] x [c, k], and the output tiles A^T M A (2x2). `bias` joins M at position (1, 1), which A^T M A
    adds to all four outputs; `relu` clips each block as it is written."""
    n, h, w, c = x.shape
    k = filter.shape[3]
    dt = x.dtype
    th, tw = -(-oh // 2), -(-ow // 2)
    top, _, left, _ = pads
    # the zero-padded input, its columns split by parity: p[image, row, column % 2, column // 2, channel]
    # (a tile's columns 2t..2t+3 are then whole runs of channels, not every other one)
    p = np.zeros((n, 2 * th + 2, 2, tw + 1, c), dt)
    rows = min(h, 2 * th + 2 - top)
    for parity in range(2):
        first = (parity - left) % 2  # the first input column that lands on this parity
        t0 = (first + left) // 2
        cols = x[:, :rows, first::2][:, :, :tw + 1 - t0]
        p[:, top:top + rows, parity, t0:t0 + cols.shape[2]] = cols
    u = np.matmul(np.kron(_WINOGRAD_G, _WINOGRAD_G).astype(dt), filter.reshape(9, c * k)).reshape(16, c, k)
    out = np.empty((n, 2 * th, 2 * tw, k), dt)
    per_row = tw * 16 * max(c, k) * dt.itemsize
    step = max(1, min(th, _WINOGRAD_BLOCK_BYTES // per_row), -(-_WINOGRAD_MIN_ROWS // tw))
    jobs = [(i, r0) for i in range(n) for r0 in range(0, th, step)]

    def block(b):  # one block of tile rows, start to finish, in one thread
        i, r0 = jobs[b]
        r1 = min(th, r0 + step)
        r = r1 - r0
        q = p[i, 2 * r0:2 * r1 + 2]
        d0, d1, d2, d3 = (q[j:j + 2 * r:2] for j in range(4))
        rows_t = (d0 - d2, d1 + d2, d2 - d1, d1 - d3)  # B^T d: along the rows
        v = np.empty((4, 4, r, tw, c), dt)
        for a, t in enumerate(rows_t):  # then along the columns
            e0, e1, e2, e3 = t[:, 0, :tw], t[:, 1, :tw], t[:, 0, 1:], t[:, 1, 1:]
            np.subtract(e0, e2, out=v[a, 0])
            np.add(e1, e2, out=v[a, 1])
            np.subtract(e2, e1, out=v[a, 2])
            np.subtract(e1, e3, out=v[a, 3])
        m = np.matmul(v.reshape(16, r * tw, c), u).reshape(4, 4, r, tw, k)
        if bias is not None:
            m[1, 1] += bias
        s = np.empty((2, 4, r, tw, k), dt)  # A^T M: along the rows
        for col in range(4):
            np.add(m[0, col], m[1, col], out=s[0, col])
            s[0, col] += m[2, col]
            np.subtract(m[1, col], m[2, col], out=s[1, col])
            s[1, col] -= m[3, col]
        y = np.empty((r, 2, tw, 2, k), dt)  # then along the columns: output rows 2r+p, columns 2t+q
        for pp in range(2):
            y0, y1 = y[:, pp, :, 0], y[:, pp, :, 1]
            np.add(s[pp, 0], s[pp, 1], out=y0)
            y0 += s[pp, 2]
            np.subtract(s[pp, 1], s[pp, 2], out=y1)
            y1 -= s[pp, 3]
        o = out[i, 2 * r0:2 * r1].reshape(r, 2, tw, 2, k)
        if relu:
            _clipped_at_zero(np, y, out=o)
        else:
            o[...] = y

    intra_op.parallel_for(block, len(jobs))
    if (2 * th, 2 * tw) != (oh, ow):  # odd output sizes: the last tile row or column was padding
        out = np.ascontiguousarray(out[:, :oh, :ow])
    return out


def _conv_gemm(xp, x, filter, sh, sw, dh, dw, oh, ow, pads, bias=None, relu=False):
    """A NHWC convolution as im2col + GEMM: the windows of each block of images as a [rows, kh*kw*c] matrix
    times the filter as [kh*kw*c, out_c]. With `bias` (out_c), the bias rides in the GEMM (a column of ones
    in the matrix, the bias as the filter's last row); with `relu`, each block's result is clipped at 0
    while it is still in the cache (the fused kernel TF's remapper uses, _FusedConv2D). A device's direct
    convolution, where it registered one and it applies, instead."""
    direct = _DEVICE_DIRECT_CONV.get(x.__class__)
    if direct is not None:
        out = direct(x, filter, sh, sw, dh, dw, oh, ow, pads, bias, relu)
        if out is not None:
            return out
    if _winograd_applies(x, filter, sh, sw, dh, dw, oh, ow):
        return _winograd_conv(x, filter, oh, ow, pads, bias, relu)
    n, _, _, c = x.shape
    kh, kw, _, out_c = filter.shape
    fm = filter.reshape(kh * kw * c, out_c)
    # the bias rides in the GEMM where the filter matrix is small next to the output (copying VGG's 400 MB
    # fc6 filter to append a row would cost more than adding the bias to its 4096 outputs); not on a GPU,
    # where the whole batch is one GEMM
    fold = bias is not None and x.__class__ is np.ndarray and n * oh * ow >= 4 * fm.shape[0]
    if fold:
        fm = np.concatenate([fm, bias.reshape(1, out_c)])
    add = None if fold else bias

    def finish(o):  # the bias (when not in the GEMM) and ReLU on a block of the result, in place
        return bias_and_relu(xp, o, add, relu)

    blocks, matrix = _im2col(xp, x, kh, kw, sh, sw, dh, dw, oh, ow, pads, ones=fold)
    if len(blocks) == 1:  # one matrix (a GPU's batch, VGG's fc6 as a 7x7 conv on 7x7): the product in blocks
        return finish(math_ops.blocked_matmul(xp, matrix(0), fm)).reshape(n, oh, ow, out_c)
    out = xp.empty((n, oh, ow, out_c), xp.result_type(x, filter))

    def block(b):  # one block's copy, then its GEMM, bias and ReLU, in one thread while they are in its cache
        m = matrix(b)
        images, rows = blocks[b]
        finish(xp.matmul(m, fm, out=out[images, rows].reshape(m.shape[0], out_c)))

    intra_op.parallel_for(block, len(blocks))
    return out


def _conv2d_grad(op, grad):
    """d/dinput is Conv2DBackpropInput(shape(input), filter, grad); d/dfilter is Conv2DBackpropFilter(input,
    shape(filter), grad), with the forward op's attrs."""
    attrs = dict(op._attrs)
    shape_0, shape_1 = array_ops.shape_n([op.inputs[0], op.inputs[1]])
    return [_conv_op("Conv2DBackpropInput", [shape_0, op.inputs[1], grad], attrs),
            _conv_op("Conv2DBackpropFilter", [op.inputs[0], shape_1, grad], attrs)]


register_op("Conv2D", infer=_conv2d_infer, kernel=half_via_float32(_conv2d_kernel), grad=_conv2d_grad,
            fused_bias=half_via_float32(_fused_conv2d_kernel), blas=True)

# the inputs of each convolution op: (parameter name, True for the float input T, else int32 sizes)
_CONV_PARAMS = {
    "Conv2D": (("input", True), ("filter", True)),
    "Conv2DBackpropInput": (("input_sizes", False), ("filter", True), ("out_backprop", True)),
    "Conv2DBackpropFilter": (("input", True), ("filter_sizes", False), ("out_backprop", True)),
    "DepthwiseConv2dNative": (("input", True), ("filter", True)),
    "DepthwiseConv2dNativeBackpropInput": (("input_sizes", False), ("filter", True), ("out_backprop", True)),
    "DepthwiseConv2dNativeBackpropFilter": (("input", True), ("filter_sizes", False), ("out_backprop", True)),
}


def _conv_op(op_type, inputs, attrs, name=None):
    """Build one convolution op (TF's generated wrapper): inputs converted in the op's scope, T shared."""
    params = _CONV_PARAMS[op_type]
    with name_scope(name, op_type, inputs) as scope:
        floats = convert_same_dtype(op_type, [(p, v) for (p, is_t), v in zip(params, inputs) if is_t],
                                    allowed=FLOAT_TYPES)
        converted, k = [], 0
        for (param, is_t), v in zip(params, inputs):
            if is_t:
                converted.append(floats[k])
                k += 1
            else:
                converted.append(convert_one(op_type, param, v, dtype=dtypes.int32))
        return make_op(op_type, converted, dict(attrs), name=scope)


def conv2d(input, filter=None, strides=None, padding=None, use_cudnn_on_gpu=True, data_format="NHWC",  # noqa: A002
           dilations=[1, 1, 1, 1], name=None, filters=None):  # noqa: B006 - TF's signature
    """2-D convolution (cross-correlation, as in all of deep learning) of `input` with `filter`.

    input: [batch, in_height, in_width, in_channels] (NHWC); filter: [filter_height, filter_width,
    in_channels, out_channels]; strides and dilations: 4 ints [1, h, w, 1] (or 1 or 2 ints for h and w);
    padding: "SAME" (output ceil(in / stride)), "VALID" (only whole windows) or a list of 4 [before, after]
    pairs. Returns [batch, out_height, out_width, out_channels]. TF's CPU kernels support NHWC only: an NCHW
    graph builds (shapes are inferred) but fails when run, with UnimplementedError.

    >>> tf.nn.conv2d(tf.ones([1, 5, 5, 1]), tf.ones([3, 3, 1, 2]), strides=[1, 2, 2, 1], padding="SAME").shape
    TensorShape([Dimension(1), Dimension(3), Dimension(3), Dimension(2)])
    """
    filter = _deprecated_argument_lookup("filters", filters, "filter", filter)
    padding, explicit = _convert_padding(padding)
    data_format = "NHWC" if data_format is None else data_format
    channel_index = 1 if isinstance(data_format, str) and data_format.startswith("NC") else 3
    strides = _get_sequence(strides, 2, channel_index, "strides")
    dilations = _get_sequence(dilations, 2, channel_index, "dilations")
    attrs = _conv_attrs("Conv2D", "conv2d", strides, padding, data_format, dilations, explicit, use_cudnn_on_gpu)
    return _conv_op("Conv2D", [input, filter], attrs, name)


# =========================================================================== Conv2DBackpropInput
def _conv2d_backprop_input_infer(input_sizes, filter, out_backprop, **_):
    return filter.dtype.base_dtype, _sizes_infer(input_sizes)


def _conv2d_backprop_input_kernel(xp, input_sizes, filter, out_backprop, *, strides, padding, explicit_paddings=(),
                                  data_format="NHWC", dilations=(1, 1, 1, 1), use_cudnn_on_gpu=True):
    """col2im: the gradient of the im2col matrix, one filter tap at a time, added into the input entries each
    tap read (overlapping windows accumulate)."""
    _check_conv_attrs(strides, dilations, data_format, _nchw_backprop_input)
    label = "Conv2DCustomBackpropInput"
    in_shape = _sizes_value("Conv2DBackpropInput", input_sizes, "input_sizes")
    oh, ow, pads = _backprop_dims(label, in_shape, filter.shape, out_backprop.shape, strides, dilations, padding,
                                  explicit_paddings)
    device = _DEVICE_IM2COL.get(out_backprop.__class__)
    if device is not None and out_backprop.size and filter.size:
        # the im2col matrix's gradient folded back onto the input entries (one GEMM, one gather on a GPU)
        dx = device[1](out_backprop, filter, in_shape, strides[1], strides[2], dilations[1], dilations[2], oh, ow,
                       pads)
        if dx is not None:
            return dx
    full = _full_correlation_pads(in_shape, filter.shape, oh, ow, pads, strides, dilations)
    if full is not None and out_backprop.size and filter.size:
        # stride 1: the input gradient is itself a convolution, of out_backprop with the filter turned by 180
        # degrees and its in/out channels swapped, padded to the "full" size (faster than col2im's scatter)
        turned = xp.ascontiguousarray(filter[::-1, ::-1].transpose(0, 1, 3, 2))
        return _conv_gemm(xp, out_backprop, turned, 1, 1, dilations[1], dilations[2], in_shape[1], in_shape[2],
                          full)
    return _col2im(xp, out_backprop, filter, in_shape, oh, ow, pads, strides, dilations)


def _full_correlation_pads(in_shape, filter_shape, oh, ow, pads, strides, dilations):
    """For a stride-1 convolution: the padding of out_backprop that makes the input gradient a correlation with
    the turned filter, (top, bottom, left, right); None when strides are not 1 or a padding would be negative."""
    if strides[1] != 1 or strides[2] != 1:
        return None
    out = []
    for size, o, k, d, before in ((in_shape[1], oh, filter_shape[0], dilations[1], pads[0]),
                                  (in_shape[2], ow, filter_shape[1], dilations[2], pads[2])):
        eff = (k - 1) * d + 1
        top = eff - 1 - before
        bottom = size + eff - 1 - o - top
        if top < 0 or bottom < 0:
            return None
        out += [top, bottom]
    return tuple(out)


def _col2im(xp, out_backprop, filter, in_shape, oh, ow, pads, strides, dilations):
    """The input gradient of a NHWC convolution: for each filter tap (i, j), its columns of the im2col matrix's
    gradient, out_backprop [n*oh*ow, out_c] times filter[i, j] transposed [out_c, c] (a GEMM), added into the
    strided input entries that tap read. Per tap rather than one [n*oh*ow, kh*kw*c] product: each tap's block
    is added while still in cache, and the big matrix is never held (measured ~2x faster on 2 cores)."""
    n, h, w, c = in_shape
    kh, kw, _, out_c = filter.shape
    dy = out_backprop.reshape(n * oh * ow, out_c)
    dx = xp.zeros(in_shape, out_backprop.dtype)
    rows = _tap_ranges(oh, h, strides[1], dilations[1], pads[0], kh)
    cols = _tap_ranges(ow, w, strides[2], dilations[2], pads[2], kw)
    for i, j, ro, co, ri, ci in _taps_2d(rows, cols):
        tap = xp.matmul(dy, filter[i, j].T).reshape(n, oh, ow, c)
        dx[:, ri, ci, :] += tap[:, ro, co, :]
    return dx


def _conv2d_backprop_input_grad(op, grad):
    """Linear in filter and out_backprop: d/dfilter = Conv2DBackpropFilter(grad, shape(filter), out_backprop),
    d/dout_backprop = Conv2D(grad, filter); input_sizes is an int shape and gets none."""
    attrs = dict(op._attrs)
    return [None,
            _conv_op("Conv2DBackpropFilter", [grad, array_ops.shape(op.inputs[1]), op.inputs[2]], attrs),
            _conv_op("Conv2D", [grad, op.inputs[1]], attrs)]


register_op("Conv2DBackpropInput", infer=_conv2d_backprop_input_infer, kernel=half_via_float32(_conv2d_backprop_input_kernel, first=1),
            grad=_conv2d_backprop_input_grad, blas=True)


def conv2d_backprop_input(input_sizes, filter=None, out_backprop=None, strides=None, padding=None,  # noqa: A002
                          use_cudnn_on_gpu=True, data_format="NHWC", dilations=[1, 1, 1, 1], name=None,  # noqa: B006
                          filters=None):
    """The gradient of conv2d with respect to its input: input_sizes [4] (int32), filter [kh, kw, in_c, out_c],
    out_backprop [batch, out_h, out_w, out_c] -> a tensor of shape input_sizes."""
    filter = _deprecated_argument_lookup("filters", filters, "filter", filter)
    padding, explicit = _convert_padding(padding)
    attrs = _conv_attrs("Conv2DBackpropInput", "conv2d_backprop_input", strides, padding, data_format, dilations,
                        explicit, use_cudnn_on_gpu)
    return _conv_op("Conv2DBackpropInput", [input_sizes, filter, out_backprop], attrs, name)


# =========================================================================== Conv2DBackpropFilter
def _conv2d_backprop_filter_infer(input, filter_sizes, out_backprop, **_):
    return input.dtype.base_dtype, _sizes_infer(filter_sizes)


def _conv2d_backprop_filter_kernel(xp, input, filter_sizes, out_backprop, *, strides, padding, explicit_paddings=(),
                                   data_format="NHWC", dilations=(1, 1, 1, 1), use_cudnn_on_gpu=True):
    """im2col again: the windows [n*oh*ow, kh*kw*c] transposed times out_backprop [n*oh*ow, out_c] (one GEMM)."""
    _check_conv_attrs(strides, dilations, data_format, _nchw_backprop_filter)
    f_shape = _sizes_value("Conv2DBackpropFilter", filter_sizes, "filter_sizes")
    oh, ow, pads = _backprop_dims("Conv2DCustomBackpropFilter", input.shape, f_shape, out_backprop.shape, strides,
                                  dilations, padding, explicit_paddings)
    kh, kw, c, out_c = f_shape
    blocks, matrix = _im2col(xp, input, kh, kw, strides[1], strides[2], dilations[1], dilations[2], oh, ow, pads)

    def block(b):  # the sum over the batch, a block at a time (see _conv_gemm)
        m = matrix(b)
        images, rows = blocks[b]
        return xp.matmul(m.T, out_backprop[images, rows].reshape(m.shape[0], out_c))

    return intra_op.parallel_sum(block, len(blocks)).reshape(f_shape)


def _conv2d_backprop_filter_grad(op, grad):
    """Linear in input and out_backprop: d/dinput = Conv2DBackpropInput(shape(input), grad, out_backprop),
    d/dout_backprop = Conv2D(input, grad)."""
    attrs = dict(op._attrs)
    return [_conv_op("Conv2DBackpropInput", [array_ops.shape(op.inputs[0]), grad, op.inputs[2]], attrs),
            None,
            _conv_op("Conv2D", [op.inputs[0], grad], attrs)]


register_op("Conv2DBackpropFilter", infer=_conv2d_backprop_filter_infer, kernel=half_via_float32(_conv2d_backprop_filter_kernel),
            grad=_conv2d_backprop_filter_grad, blas=True)


def conv2d_backprop_filter(input, filter_sizes, out_backprop, strides, padding, use_cudnn_on_gpu=True,  # noqa: A002
                           data_format="NHWC", dilations=[1, 1, 1, 1], name=None):  # noqa: B006
    """The gradient of conv2d with respect to its filter: input [batch, h, w, in_c], filter_sizes [4] (int32),
    out_backprop [batch, out_h, out_w, out_c] -> a tensor of shape filter_sizes."""
    padding, explicit = _convert_padding(padding)
    attrs = _conv_attrs("Conv2DBackpropFilter", "conv2d_backprop_filter", strides, padding, data_format, dilations,
                        explicit, use_cudnn_on_gpu)
    return _conv_op("Conv2DBackpropFilter", [input, filter_sizes, out_backprop], attrs, name)


# =========================================================================== conv2d_transpose
def conv2d_transpose(value=None, filter=None, output_shape=None, strides=None, padding="SAME",  # noqa: A002
                     data_format="NHWC", name=None, input=None, filters=None, dilations=None):  # noqa: A002
    """The transpose of conv2d (often called deconvolution): the gradient of conv2d with respect to its input,
    applied to `value`.

    value: [batch, h, w, in_channels]; filter: [kh, kw, output_channels, in_channels] (note the order: the
    filter of the conv2d this transposes); output_shape: the 4 ints [batch, out_h, out_w, output_channels] of
    the result, which conv2d with the same strides and padding would map back to value's shape.

    >>> x = tf.ones([1, 3, 3, 2])
    >>> tf.nn.conv2d_transpose(x, tf.ones([3, 3, 5, 2]), [1, 6, 6, 5], [1, 2, 2, 1]).shape
    TensorShape([Dimension(1), Dimension(6), Dimension(6), Dimension(5)])
    """
    value = _deprecated_argument_lookup("input", input, "value", value)
    filter = _deprecated_argument_lookup("filters", filters, "filter", filter)
    with name_scope(name, "conv2d_transpose", [value, filter, output_shape]) as scope:
        if data_format not in ("NCHW", "NHWC"):
            raise ValueError("data_format has to be either NCHW or NHWC.")
        value = convert_to_tensor(value, name="value")
        filter = convert_to_tensor(filter, name="filter")
        axis = 3 if data_format == "NHWC" else 1
        if not value.shape[axis].is_compatible_with(filter.shape[3]):
            raise ValueError("input channels does not match filter's input channels, {} != {}"
                             .format(value.shape[axis], filter.shape[3]))
        output_shape_ = convert_to_tensor(output_shape, name="output_shape")
        if not output_shape_.shape.is_compatible_with(TensorShape([4])):
            raise ValueError("output_shape must have shape (4,), got {}".format(output_shape_.shape))
        if isinstance(output_shape, (list, np.ndarray)):
            if not filter.shape[2].is_compatible_with(output_shape[axis]):
                raise ValueError("output_shape does not match filter's output channels, {} != {}"
                                 .format(output_shape[axis], filter.shape[2]))
        if padding != "VALID" and padding != "SAME":
            raise ValueError("padding must be either VALID or SAME: {}".format(padding))
        if dilations is None:
            dilations = [1, 1, 1, 1]
        attrs = _conv_attrs("Conv2DBackpropInput", "conv2d_backprop_input", strides, padding, data_format,
                            _get_sequence(dilations, 2, axis, "dilations"), [], True)
        return _conv_op("Conv2DBackpropInput", [output_shape_, filter, value], attrs, name=scope)


# =========================================================================== DepthwiseConv2dNative
def _depthwise_infer(input, filter, *, strides, padding, data_format="NHWC", dilations=(1, 1, 1, 1)):
    h = _hwc(data_format)[0]
    if len(strides) == 4 and strides[h] != strides[h + 1]:
        raise InferenceError("Current implementation only supports equal length strides in the row and column "
                             "dimensions.")
    n, oh, ow, depth, f = _conv_infer_common("DepthwiseConv2dNative", input, filter, strides, padding, (),
                                             data_format, dilations)
    out_c = depth * f[3] if depth is not None and f[3] is not None else None
    return input.dtype.base_dtype, _shape_of_format(data_format, n, oh, ow, out_c)


def _depthwise_nchw():
    return errors.UnimplementedError(None, None, "Depthwise convolution on CPU is only supported for NHWC format"
                                     + "." + _NHWC_HINT)


def _depthwise_kernel(xp, input, filter, *, strides, padding, data_format="NHWC", dilations=(1, 1, 1, 1)):
    """out[n, y, x, c * m + q] = sum over taps (i, j) of input[n, y*s + i*d, x*s + j*d, c] * filter[i, j, c, q]:
    one broadcast multiply-add per tap on the strided slices that see real entries (no padded copy)."""
    _check_conv_attrs(strides, dilations, data_format, _depthwise_nchw)
    if input.ndim != 4:
        raise _invalid("input must be 4-dimensional%s" % _dbg(input.shape))
    if filter.ndim != 4:
        raise _invalid("filter must be 4-dimensional: %s" % _dbg(filter.shape))
    n, h, w, c = input.shape
    kh, kw, fc, m = filter.shape
    if c != fc:
        raise _invalid("input and filter must have the same depth: %d vs %d" % (c, fc))
    oh, ow, pads = _conv_geometry(input.shape, kh, kw, strides, dilations, padding, ())
    out = xp.zeros((n, oh, ow, c, m), input.dtype)
    rows = _tap_ranges(oh, h, strides[1], dilations[1], pads[0], kh)
    cols = _tap_ranges(ow, w, strides[2], dilations[2], pads[2], kw)
    for i, j, ro, co, ri, ci in _taps_2d(rows, cols):
        out[:, ro, co] += input[:, ri, ci, :, None] * filter[i, j]
    return out.reshape(n, oh, ow, c * m)


def _depthwise_grad(op, grad):
    attrs = dict(op._attrs)
    return [_conv_op("DepthwiseConv2dNativeBackpropInput", [array_ops.shape(op.inputs[0]), op.inputs[1], grad], attrs),
            _conv_op("DepthwiseConv2dNativeBackpropFilter", [op.inputs[0], array_ops.shape(op.inputs[1]), grad],
                     attrs)]


register_op("DepthwiseConv2dNative", infer=_depthwise_infer, kernel=half_via_float32(_depthwise_kernel), grad=_depthwise_grad,
            blas=True)


def _depthwise_attrs(fn_name, strides, padding, data_format, dilations):
    data_format = "NHWC" if data_format is None else data_format
    dilations = [1, 1, 1, 1] if dilations is None else dilations
    return _conv_attrs("DepthwiseConv2dNative", fn_name, strides, padding, data_format, dilations)


def depthwise_conv2d_native(input, filter, strides, padding, data_format="NHWC", dilations=[1, 1, 1, 1],  # noqa
                            name=None):
    """Each input channel convolved with its own `channel_multiplier` filters.

    input [batch, h, w, in_channels], filter [kh, kw, in_channels, channel_multiplier] ->
    [batch, out_h, out_w, in_channels * channel_multiplier]; strides must be equal in h and w.
    """
    attrs = _depthwise_attrs("depthwise_conv2d_native", strides, padding, data_format, dilations)
    return _conv_op("DepthwiseConv2dNative", [input, filter], attrs, name)


def depthwise_conv2d(input, filter, strides, padding, rate=None, name=None, data_format=None,  # noqa: A002
                     dilations=None):
    """Depthwise 2-D convolution (tf.nn.depthwise_conv2d): as depthwise_conv2d_native, with an optional
    atrous `rate` [rh, rw] (strides must then be 1). The op is named `depthwise`.

    >>> tf.nn.depthwise_conv2d(tf.ones([1, 4, 4, 2]), tf.ones([3, 3, 2, 3]), [1, 1, 1, 1], "SAME").shape
    TensorShape([Dimension(1), Dimension(4), Dimension(4), Dimension(6)])
    """
    rate = _deprecated_argument_lookup("dilations", dilations, "rate", rate)
    with name_scope(name, "depthwise", [input, filter]) as scope:
        input = convert_to_tensor(input, name="tensor_in")
        filter = convert_to_tensor(filter, name="filter_in")
        return _depthwise_native(input, filter, strides, padding, rate, data_format, scope)


def _depthwise_native(input, filter, strides, padding, rate, data_format, name):
    """The DepthwiseConv2dNative op of tf.nn.depthwise_conv2d; an atrous rate becomes its dilations (TF reaches
    the same values through space_to_batch)."""
    rate = [1, 1] if rate is None else list(rate)
    if len(rate) != 2:
        raise ValueError("rate must be of length 2, got %d" % len(rate))
    if any(r < 1 for r in rate):
        raise ValueError("dilation_rate must be positive")
    data_format = "NHWC" if data_format is None else data_format
    strides4 = _get_sequence(strides, 2, 1 if data_format.startswith("NC") else 3, "strides")
    if any(r > 1 for r in rate) and any(s > 1 for s in strides4):
        raise ValueError("strides > 1 not supported in conjunction with dilation_rate > 1")
    dilations = [1, 1] + rate if data_format == "NCHW" else [1] + rate + [1]
    attrs = _depthwise_attrs("depthwise_conv2d_native", strides4, padding, data_format, dilations)
    return _conv_op("DepthwiseConv2dNative", [input, filter], attrs, name)


# =========================================================================== DepthwiseConv2dNativeBackpropInput
def _depthwise_backprop_input_kernel(xp, input_sizes, filter, out_backprop, *, strides, padding, data_format="NHWC",
                                     dilations=(1, 1, 1, 1)):
    _check_conv_attrs(strides, dilations, data_format, _depthwise_nchw)
    in_shape = _sizes_value("DepthwiseConv2DBackpropInput", input_sizes, "input_sizes")
    oh, ow, pads = _backprop_dims("DepthwiseConv2DBackpropInput", in_shape, filter.shape, out_backprop.shape, strides,
                                  dilations, padding, (), depthwise=True)
    n, h, w, c = in_shape
    kh, kw, _, m = filter.shape
    dy = out_backprop.reshape(n, oh, ow, c, m)
    dx = xp.zeros(in_shape, out_backprop.dtype)
    rows = _tap_ranges(oh, h, strides[1], dilations[1], pads[0], kh)
    cols = _tap_ranges(ow, w, strides[2], dilations[2], pads[2], kw)
    for i, j, ro, co, ri, ci in _taps_2d(rows, cols):
        dx[:, ri, ci, :] += (dy[:, ro, co] * filter[i, j]).sum(axis=-1)
    return dx


def _depthwise_backprop_input_grad(op, grad):
    attrs = dict(op._attrs)
    return [None,
            _conv_op("DepthwiseConv2dNativeBackpropFilter", [grad, array_ops.shape(op.inputs[1]), op.inputs[2]],
                     attrs),
            _conv_op("DepthwiseConv2dNative", [grad, op.inputs[1]], attrs)]


register_op("DepthwiseConv2dNativeBackpropInput", infer=_conv2d_backprop_input_infer,
            kernel=half_via_float32(_depthwise_backprop_input_kernel, first=1), grad=_depthwise_backprop_input_grad, blas=True)


def depthwise_conv2d_native_backprop_input(input_sizes, filter, out_backprop, strides, padding,  # noqa: A002
                                           data_format="NHWC", dilations=[1, 1, 1, 1], name=None):  # noqa: B006
    """The gradient of depthwise_conv2d_native with respect to its input (a tensor of shape input_sizes)."""
    attrs = _depthwise_attrs("depthwise_conv2d_native_backprop_input", strides, padding, data_format, dilations)
    return _conv_op("DepthwiseConv2dNativeBackpropInput", [input_sizes, filter, out_backprop], attrs, name)


# =========================================================================== DepthwiseConv2dNativeBackpropFilter
def _depthwise_backprop_filter_kernel(xp, input, filter_sizes, out_backprop, *, strides, padding, data_format="NHWC",
                                      dilations=(1, 1, 1, 1)):
    _check_conv_attrs(strides, dilations, data_format, _depthwise_nchw)
    f_shape = _sizes_value("DepthwiseConv2DBackpropFilter", filter_sizes, "filter_sizes")
    oh, ow, pads = _backprop_dims("DepthwiseConv2DBackpropFilter", input.shape, f_shape, out_backprop.shape, strides,
                                  dilations, padding, (), depthwise=True)
    n, h, w, c = input.shape
    kh, kw, _, m = f_shape
    dy = out_backprop.reshape(n, oh, ow, c, m)
    df = xp.zeros(f_shape, out_backprop.dtype)
    rows = _tap_ranges(oh, h, strides[1], dilations[1], pads[0], kh)
    cols = _tap_ranges(ow, w, strides[2], dilations[2], pads[2], kw)
    for i, j, ro, co, ri, ci in _taps_2d(rows, cols):
        df[i, j] = (input[:, ri, ci, :, None] * dy[:, ro, co]).sum(axis=(0, 1, 2))
    return df


def _depthwise_backprop_filter_grad(op, grad):
    attrs = dict(op._attrs)
    return [_conv_op("DepthwiseConv2dNativeBackpropInput", [array_ops.shape(op.inputs[0]), grad, op.inputs[2]],
                     attrs),
            None,
            _conv_op("DepthwiseConv2dNative", [op.inputs[0], grad], attrs)]


register_op("DepthwiseConv2dNativeBackpropFilter", infer=_conv2d_backprop_filter_infer,
            kernel=half_via_float32(_depthwise_backprop_filter_kernel), grad=_depthwise_backprop_filter_grad, blas=True)


def depthwise_conv2d_native_backprop_filter(input, filter_sizes, out_backprop, strides, padding,  # noqa: A002
                                            data_format="NHWC", dilations=[1, 1, 1, 1], name=None):  # noqa: B006
    """The gradient of depthwise_conv2d_native with respect to its filter (a tensor of shape filter_sizes)."""
    attrs = _depthwise_attrs("depthwise_conv2d_native_backprop_filter", strides, padding, data_format, dilations)
    return _conv_op("DepthwiseConv2dNativeBackpropFilter", [input, filter_sizes, out_backprop], attrs, name)


# =========================================================================== separable_conv2d
def separable_conv2d(input, depthwise_filter, pointwise_filter, strides, padding, rate=None, name=None,  # noqa: A002
                     data_format=None, dilations=None):
    """A depthwise convolution, then a 1x1 convolution mixing the channels.

    depthwise_filter [kh, kw, in_channels, channel_multiplier]; pointwise_filter
    [1, 1, in_channels * channel_multiplier, out_channels]. The depthwise op is `<name>/depthwise`, the 1x1
    Conv2D is the scope's name (default `separable_conv2d`).
    """
    rate = _deprecated_argument_lookup("dilations", dilations, "rate", rate)
    with name_scope(name, "separable_conv2d", [input, depthwise_filter, pointwise_filter]) as scope:
        input = convert_to_tensor(input, name="tensor_in")
        depthwise_filter = convert_to_tensor(depthwise_filter, name="depthwise_filter")
        pointwise_filter = convert_to_tensor(pointwise_filter, name="pointwise_filter")
        pw = pointwise_filter.shape.with_rank(4)
        pw[0].assert_is_compatible_with(1)
        pw[1].assert_is_compatible_with(1)
        depthwise = _depthwise_native(input, depthwise_filter, strides, padding, rate, data_format, "depthwise")
        return conv2d(depthwise, pointwise_filter, [1, 1, 1, 1], padding="VALID",
                      data_format="NHWC" if data_format is None else data_format, name=scope)


# =========================================================================== shared by pooling
def _pool_infer_common(op_type, value, ksize, strides, padding, data_format):
    x = _with_rank(value.shape, 4).as_tuple()
    if len(strides) != 4:
        raise InferenceError("%s requires the stride attribute to contain 4 values, but got: %d"
                             % (op_type, len(strides)))
    if len(ksize) != 4:
        raise InferenceError("%s requires the ksize attribute to contain 4 values, but got: %d" % (op_type, len(ksize)))
    h, w, c = _hwc(data_format)
    oh = _windowed_dim(x[h], ksize[h], 1, strides[h], padding)
    ow = _windowed_dim(x[w], ksize[w], 1, strides[w], padding)
    depth = x[c] if ksize[c] == 1 else None
    return _shape_of_format(data_format, x[0], oh, ow, depth)


def _pool_geometry(kernel_name, in_shape, ksize, strides, padding, data_format):
    """The checks TF's CPU pooling kernels make, then the taps of the window: (oh, ow, rows, cols)."""
    if data_format != "NHWC":
        raise _invalid("Default %s only supports NHWC on device type CPU." % kernel_name + _NHWC_HINT)
    if ksize[0] != 1 or strides[0] != 1:
        raise errors.UnimplementedError(None, None, "Pooling is not yet supported on the batch dimension.")
    if ksize[3] != 1 or strides[3] != 1:
        raise errors.UnimplementedError(None, None, "Non-spatial pooling is not yet supported. Volunteers? :)")
    if any(k <= 0 for k in ksize):
        raise _invalid("Sliding window ksize for dimension %d was zero." % min(i for i, k in enumerate(ksize) if k <= 0))
    if len(in_shape) != 4:
        raise _invalid("tensor_in must be 4-dimensional")
    _, h, w, _ = in_shape
    oh, top, _ = _window(h, ksize[1], 1, strides[1], padding)
    ow, left, _ = _window(w, ksize[2], 1, strides[2], padding)
    return oh, ow, _tap_ranges(oh, h, strides[1], 1, top, ksize[1]), _tap_ranges(ow, w, strides[2], 1, left, ksize[2])


def _pool_attrs(op_type, fn_name, ksize, strides, padding, data_format):
    return {"ksize": _attr_ints(fn_name, "ksize", ksize), "strides": _attr_ints(fn_name, "strides", strides),
            "padding": _attr_string(op_type, "padding", padding, _SAME_VALID),
            "data_format": _attr_string(op_type, "data_format", data_format, _FORMATS)}


def _pool_args(ksize, strides, data_format):
    """TF's max_pool/avg_pool argument handling: ints or lists of 1, 2 or 4 for ksize and strides."""
    data_format = "NHWC" if data_format is None else data_format
    channel_index = 1 if isinstance(data_format, str) and data_format.startswith("NC") else 3
    ksize = _get_sequence(ksize, 2, channel_index, "ksize")
    strides = _get_sequence(strides, 2, channel_index, "strides")
    if any(v == 0 for v in ksize):
        raise ValueError("ksize cannot be zero.")
    return ksize, strides, data_format


def _first_max_hits(xp, x, out, rows, cols):
    """For each window tap, row-major: (out rows, out cols, in rows, in cols, hit), hit marking the output
    positions whose window has its first maximum at this tap (TF's CPU rule: ties go to the earliest entry)."""
    taken = xp.zeros(out.shape, dtype=bool)
    for _, _, ro, co, ri, ci in _taps_2d(rows, cols):
        t = taken[:, ro, co, :]
        hit = xp.logical_and(x[:, ri, ci, :] == out[:, ro, co, :], xp.logical_not(t))
        t |= hit  # a view: marks `taken`
        yield ro, co, ri, ci, hit


# =========================================================================== MaxPool
def _max_pool_infer(input, *, ksize, strides, padding, data_format="NHWC"):
    return input.dtype.base_dtype, _pool_infer_common("MaxPool", input, ksize, strides, padding, data_format)


def _max_pool_kernel(xp, input, *, ksize, strides, padding, data_format="NHWC"):
    """The running maximum over the window taps, each tap one strided slice of the input (padding never wins);
    large batches a block of images per intra-op thread."""
    oh, ow, rows, cols = _pool_geometry("MaxPoolingOp", input.shape, ksize, strides, padding, data_format)
    n, _, _, c = input.shape
    taps = list(_taps_2d(rows, cols))
    full = [t for t in taps if t[2] == slice(0, oh) and t[3] == slice(0, ow)]
    if full:  # a tap every window has: start from a copy of it
        taps.remove(full[0])
        out = xp.empty((n, oh, ow, c), input.dtype)
    else:
        lowest = -np.inf if input.dtype.kind == "f" else np.iinfo(input.dtype).min
        out = xp.full((n, oh, ow, c), lowest, input.dtype)

    def images(i):
        if full:
            out[i] = input[i, full[0][4], full[0][5], :]
        for _, _, ro, co, ri, ci in taps:
            view = out[i, ro, co, :]
            xp.maximum(view, input[i, ri, ci, :], out=view)

    _over_image_blocks(input, images)
    return out


# elementwise kernels over a batch (pooling and its gradient) split it in blocks of images for the intra-op
# threads when the input has at least this many entries
_BATCH_BLOCK_MIN = 1 << 18


def _batch_blocks(x):
    """Edges of the image blocks [edges[b], edges[b + 1]) for the intra-op threads (one block: all of x)."""
    n = x.shape[0]
    if x.__class__ is not np.ndarray or x.size < _BATCH_BLOCK_MIN or n < 2:
        return [0, n]
    count = min(n, 2 * intra_op.threads())
    return [n * b // count for b in range(count + 1)]


def _over_image_blocks(x, work):
    """work(images) for slices of x's batch that together cover it, on the intra-op threads."""
    edges = _batch_blocks(x)
    intra_op.parallel_for(lambda b: work(slice(edges[b], edges[b + 1])), len(edges) - 1)


def _max_pool_grad(op, grad):
    """MaxPoolGrad: each output's gradient goes to its window's (first) maximum."""
    return [_pool_op("MaxPoolGrad", [op.inputs[0], op.outputs[0], grad], dict(op._attrs))]


register_op("MaxPool", infer=_max_pool_infer, kernel=_max_pool_kernel, grad=_max_pool_grad)

_POOL_PARAMS = {
    "MaxPool": (("input", True),),
    "AvgPool": (("value", True),),
    "MaxPoolGrad": (("orig_input", True), ("orig_output", True), ("grad", True)),
    "MaxPoolGradGrad": (("orig_input", True), ("orig_output", True), ("grad", True)),
    "AvgPoolGrad": (("orig_input_shape", False), ("grad", True)),
}
_POOL_TYPES = {"MaxPool": without_wide_unsigned(REAL_NUMBER_TYPES), "MaxPoolGrad": REAL_NUMBER_TYPES,
               "MaxPoolGradGrad": REAL_NUMBER_TYPES, "AvgPool": FLOAT_TYPES, "AvgPoolGrad": FLOAT_TYPES}


def _pool_op(op_type, inputs, attrs, name=None):
    """Build one pooling op (TF's generated wrapper): inputs converted in the op's scope, T shared."""
    params = _POOL_PARAMS[op_type]
    with name_scope(name, op_type, inputs) as scope:
        floats = convert_same_dtype(op_type, [(p, v) for (p, is_t), v in zip(params, inputs) if is_t],
                                    allowed=_POOL_TYPES[op_type])
        converted = ([convert_one(op_type, params[0][0], inputs[0], dtype=dtypes.int32)] if not params[0][1] else [])
        return make_op(op_type, converted + floats, dict(attrs), name=scope)


def max_pool(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):  # noqa: A002
    """The maximum of each window of `value` [batch, height, width, channels].

    ksize and strides: 4 ints [1, h, w, 1] (or 1 or 2 ints); padding "SAME" (output ceil(in / stride), the
    maximum over the real entries of each window) or "VALID" (whole windows only).

    >>> tf.nn.max_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")  # [n, 28, 28, c] -> [n, 14, 14, c]
    """
    value = _deprecated_argument_lookup("input", input, "value", value)
    with name_scope(name, "MaxPool", [value]) as scope:
        ksize, strides, data_format = _pool_args(ksize, strides, data_format)
        value = convert_to_tensor(value, name="input")
        return _pool_op("MaxPool", [value], _pool_attrs("MaxPool", "max_pool", ksize, strides, padding, data_format),
                        name=scope)


# =========================================================================== MaxPoolGrad
def _max_pool_grad_infer(orig_input, orig_output, grad, **_):
    return orig_input.dtype.base_dtype, _with_rank(orig_input.shape, 4)


def _check_pool_grad_inputs(orig_input, orig_output, grad):
    for what, a in (("tensor_in", orig_input), ("tensor_out", orig_output), ("out_backprop", grad)):
        if a.ndim != 4:
            raise _invalid("%s must be 4-dimensional" % what)


def _max_pool_grad_kernel(xp, orig_input, orig_output, grad, *, ksize, strides, padding, data_format="NHWC"):
    """For each tap, the gradients of the windows whose first maximum it holds, added into a zero array at the
    entries the tap reads (overlapping windows accumulate)."""
    _check_pool_grad_inputs(orig_input, orig_output, grad)
    oh, ow, rows, cols = _pool_geometry("MaxPoolingGradOp", orig_input.shape, ksize, strides, padding, data_format)
    if orig_output.shape != grad.shape or orig_output.shape[1:3] != (oh, ow):
        raise _invalid("Expected orig_output shape to be %s, but got %s (out_backprop %s)"
                       % (_dbg((orig_input.shape[0], oh, ow, orig_input.shape[3])), _dbg(orig_output.shape),
                          _dbg(grad.shape)))
    n, h, w, c = orig_input.shape
    kh, kw = ksize[1], ksize[2]
    if (kh, kw) == (strides[1], strides[2]) and (oh * kh, ow * kw) == (h, w):
        return _tiled_max_pool_grad(xp, orig_input, orig_output, grad, kh, kw)
    dx = xp.zeros(orig_input.shape, grad.dtype)
    for ro, co, ri, ci, hit in _first_max_hits(xp, orig_input, orig_output, rows, cols):
        dx[:, ri, ci, :] += _masked(xp, grad[:, ro, co, :], hit)
    return dx


def _tiled_max_pool_grad(xp, x, out, grad, kh, kw):
    """MaxPoolGrad when the windows tile the input exactly (ksize == strides, no padding: the lecture's 2x2
    pools): the input viewed as [n, oh, kh, ow, kw, c], each entry compared with its window's maximum, ties
    left to the window's first maximum (TF's CPU rule), times the window's gradient. No zero-filled array and
    no scatter: every input entry belongs to exactly one window. Large batches a block of images per thread."""
    n, h, w, c = x.shape
    oh, ow = h // kh, w // kw
    dx = xp.empty(x.shape, grad.dtype)

    def images(i):
        m = i.stop - i.start
        hits = x[i].reshape(m, oh, kh, ow, kw, c) == out[i].reshape(m, oh, 1, ow, 1, c)
        taken = None
        for r in range(kh):
            for q in range(kw):
                tap = hits[:, :, r, :, q, :]
                if taken is None:
                    taken = tap.copy()
                    continue
                tie = tap & taken  # an earlier tap of the window holds the maximum too
                taken |= tap
                tap ^= tie
        _masked(xp, grad[i].reshape(m, oh, 1, ow, 1, c), hits, out=dx[i].reshape(hits.shape))

    _over_image_blocks(x, images)
    return dx


def _masked(xp, values, mask, out=None):
    """`values` where `mask` holds, else 0 (broadcasting; into `out` if given). A product is ~10x faster than
    numpy's `where`; it is exact unless a value is inf or nan (times 0 gives nan), so those go through `where`,
    as TF routes a pooling gradient only to the maxima. On a GPU `where` is fast, and the check would wait for
    the device."""
    if values.__class__ is not np.ndarray or (values.dtype.kind == "f" and not np.isfinite(values).all()):
        result = xp.where(mask, values, values.dtype.type(0))
        if out is None:
            return result
        out[...] = result
        return out
    return np.multiply(values, mask, dtype=values.dtype, out=out)


def _max_pool_grad_grad(op, grad):
    """Linear in `grad`: MaxPoolGradGrad picks, for each window, the incoming gradient at its maximum."""
    return [array_ops.zeros_like(op.inputs[0]), array_ops.zeros_like(op.inputs[1]),
            _pool_op("MaxPoolGradGrad", [op.inputs[0], op.inputs[1], grad], dict(op._attrs))]


register_op("MaxPoolGrad", infer=_max_pool_grad_infer, kernel=_max_pool_grad_kernel, grad=_max_pool_grad_grad)


# =========================================================================== MaxPoolGradGrad
def _max_pool_grad_grad_infer(orig_input, orig_output, grad, **_):
    return orig_input.dtype.base_dtype, _with_rank(orig_output.shape, 4)


def _max_pool_grad_grad_kernel(xp, orig_input, orig_output, grad, *, ksize, strides, padding, data_format="NHWC"):
    """out[window] = grad at the window's first maximum (`grad` is shaped like orig_input)."""
    _check_pool_grad_inputs(orig_input, orig_output, grad)
    oh, ow, rows, cols = _pool_geometry("MaxPoolingGradGradOp", orig_input.shape, ksize, strides, padding,
                                        data_format)
    if grad.shape != orig_input.shape:
        raise _invalid("Expected grad shape to be %s, but got %s" % (_dbg(orig_input.shape), _dbg(grad.shape)))
    out = xp.zeros(orig_output.shape, grad.dtype)
    for ro, co, ri, ci, hit in _first_max_hits(xp, orig_input, orig_output, rows, cols):
        out[:, ro, co, :] += _masked(xp, grad[:, ri, ci, :], hit)
    return out


def _max_pool_grad_grad_grad(op, grad):
    return [array_ops.zeros_like(op.inputs[0]), array_ops.zeros_like(op.inputs[1]),
            _pool_op("MaxPoolGrad", [op.inputs[0], op.inputs[1], grad], dict(op._attrs))]


register_op("MaxPoolGradGrad", infer=_max_pool_grad_grad_infer, kernel=_max_pool_grad_grad_kernel,
            grad=_max_pool_grad_grad_grad)


# =========================================================================== AvgPool
def _avg_pool_infer(value, *, ksize, strides, padding, data_format="NHWC"):
    return value.dtype.base_dtype, _pool_infer_common("AvgPool", value, ksize, strides, padding, data_format)


def _window_counts(xp, oh, ow, in_shape, ksize, strides, padding, dtype):
    """[oh, ow, 1]: how many real (unpadded) entries each window holds: SAME averages over those only."""
    counts = []
    for out, size, k, s in ((oh, in_shape[1], ksize[1], strides[1]), (ow, in_shape[2], ksize[2], strides[2])):
        _, before, _ = _window(size, k, 1, s, padding)
        start = xp.arange(out) * s - before
        counts.append(xp.minimum(start + k, size) - xp.maximum(start, 0))
    return (counts[0][:, None] * counts[1][None, :]).astype(dtype)[:, :, None]


def _avg_pool_kernel(xp, value, *, ksize, strides, padding, data_format="NHWC"):
    """The sum over the window taps (strided slices of real entries), divided by each window's count of them."""
    oh, ow, rows, cols = _pool_geometry("AvgPoolingOp", value.shape, ksize, strides, padding, data_format)
    n, _, _, c = value.shape
    out = xp.zeros((n, oh, ow, c), value.dtype)
    for _, _, ro, co, ri, ci in _taps_2d(rows, cols):
        out[:, ro, co, :] += value[:, ri, ci, :]
    out /= _window_counts(xp, oh, ow, value.shape, ksize, strides, padding, value.dtype)
    return out


def _avg_pool_grad(op, grad):
    """AvgPoolGrad: each output's gradient shared equally by the real entries of its window."""
    return [_pool_op("AvgPoolGrad", [array_ops.shape(op.inputs[0]), grad], dict(op._attrs))]


register_op("AvgPool", infer=_avg_pool_infer, kernel=_avg_pool_kernel, grad=_avg_pool_grad)


def avg_pool(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):  # noqa: A002
    """The mean of each window of `value` [batch, height, width, channels]; with SAME padding each window
    averages its real entries only (a corner window of a 3x3 pool divides by 4, not 9).

    >>> tf.nn.avg_pool(x, ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding="SAME")
    """
    value = _deprecated_argument_lookup("input", input, "value", value)
    with name_scope(name, "AvgPool", [value]) as scope:
        ksize, strides, data_format = _pool_args(ksize, strides, data_format)
        value = convert_to_tensor(value, name="input")
        return _pool_op("AvgPool", [value], _pool_attrs("AvgPool", "avg_pool", ksize, strides, padding, data_format),
                        name=scope)


# =========================================================================== AvgPoolGrad
def _avg_pool_grad_infer(orig_input_shape, grad, **_):
    return grad.dtype.base_dtype, _sizes_infer(orig_input_shape)


def _avg_pool_grad_kernel(xp, orig_input_shape, grad, *, ksize, strides, padding, data_format="NHWC"):
    if orig_input_shape.ndim != 1 or orig_input_shape.shape[0] != 4:
        raise _invalid("orig_input_shape must be 1-dimensional and 4 elements")
    if grad.ndim != 4:
        raise _invalid("out_backprop must be 4-dimensional")
    in_shape = tuple(int(v) for v in orig_input_shape)
    oh, ow, rows, cols = _pool_geometry("AvgPoolingGradOp", in_shape, ksize, strides, padding, data_format)
    if grad.shape != (in_shape[0], oh, ow, in_shape[3]):
        raise _invalid("out_backprop has shape %s, but the windows of an input of shape %s make %s"
                       % (_dbg(grad.shape), _dbg(in_shape), _dbg((in_shape[0], oh, ow, in_shape[3]))))
    share = grad / _window_counts(xp, oh, ow, in_shape, ksize, strides, padding, grad.dtype)
    dx = xp.zeros(in_shape, grad.dtype)
    for _, _, ro, co, ri, ci in _taps_2d(rows, cols):
        dx[:, ri, ci, :] += share[:, ro, co, :]
    return dx


def _avg_pool_grad_grad(op, grad):
    """Linear in `grad`: its gradient is the average pool of the incoming gradient."""
    return [None, _pool_op("AvgPool", [grad], dict(op._attrs))]


register_op("AvgPoolGrad", infer=_avg_pool_grad_infer, kernel=_avg_pool_grad_kernel, grad=_avg_pool_grad_grad)


# =========================================================================== BiasAdd
def _bias_axis(data_format, ndim):
    return 1 if data_format == "NCHW" and ndim > 2 else ndim - 1


def _bias_add_infer(value, bias, *, data_format="NHWC"):
    x = _with_rank_at_least(value.shape, 2)
    b = _with_rank(bias.shape, 1)
    if x.ndims is None:
        return value.dtype.base_dtype, x
    dims = list(x.as_tuple())
    axis = _bias_axis(data_format, len(dims))
    dims[axis] = _merge_dim(dims[axis], b.as_tuple()[0])
    return value.dtype.base_dtype, TensorShape(dims)


def _bias_add_kernel(xp, value, bias, *, data_format="NHWC"):
    if value.ndim < 2:
        raise _invalid("Input tensor must be at least 2D: %s" % _dbg(value.shape))
    if bias.ndim != 1:
        raise _invalid("Biases must be 1D: %s" % _dbg(bias.shape))
    axis = _bias_axis(data_format, value.ndim)
    if bias.shape[0] != value.shape[axis]:
        raise _invalid("Must provide as many biases as the %s dimension of the input tensor: %s vs. %s"
                       % ("last" if axis == value.ndim - 1 else "channel", _dbg(bias.shape), _dbg(value.shape)))
    if axis != value.ndim - 1:
        bias = bias.reshape((-1,) + (1,) * (value.ndim - 2))
    return value + bias


def _bias_add_grad(op, grad):
    """The value's gradient is grad; the bias's is grad summed over all but the channel axis (BiasAddGrad)."""
    return [grad, _bias_add_grad_op(grad, op.get_attr("data_format"))]


register_op("BiasAdd", infer=_bias_add_infer, kernel=_bias_add_kernel, grad=_bias_add_grad)


def bias_add(value, bias, data_format=None, name=None):
    """value + bias, the 1-D `bias` added along the channel axis of `value` (the last, or axis 1 for NC...).

    >>> tf.nn.bias_add(tf.zeros([2, 3]), [1., 2., 3.])   # [[1, 2, 3], [1, 2, 3]]
    """
    with name_scope(name, "BiasAdd", [value, bias]) as scope:
        if data_format is not None:
            if data_format.startswith("NC"):
                data_format = "NCHW"
            elif data_format.startswith("N") and data_format.endswith("C"):
                data_format = "NHWC"
            else:
                raise ValueError("data_format must be of the form `N...C` or `NC...`")
        value = convert_to_tensor(value, name="input")
        check_allowed("BiasAdd", "value", value.dtype, NUMBER_TYPES)
        bias = convert_to_tensor(bias, dtype=value.dtype.base_dtype, name="bias")
        return make_op("BiasAdd", [value, bias], {"data_format": data_format or "NHWC"}, name=scope)


# =========================================================================== BiasAddGrad
def _bias_add_grad_infer(out_backprop, *, data_format="NHWC"):
    x = _with_rank_at_least(out_backprop.shape, 2)
    if x.ndims is None:
        return out_backprop.dtype.base_dtype, TensorShape([None])
    return out_backprop.dtype.base_dtype, TensorShape([x.as_tuple()[_bias_axis(data_format, x.ndims)]])


def _bias_add_grad_kernel(xp, out_backprop, *, data_format="NHWC"):
    if out_backprop.ndim < 2:
        raise _invalid("Input tensor must be at least 2D: %s" % _dbg(out_backprop.shape))
    axis = _bias_axis(data_format, out_backprop.ndim)
    if axis == out_backprop.ndim - 1:
        return math_ops.column_sums(xp, out_backprop.reshape(-1, out_backprop.shape[-1]))
    return out_backprop.sum(axis=tuple(a for a in range(out_backprop.ndim) if a != axis))


def _bias_add_grad_grad(op, grad):
    """BiasAddGrad is linear: its gradient is `grad` broadcast back along the channel axis."""
    x = op.inputs[0]
    return [bias_add(array_ops.zeros_like(x), grad, data_format=op.get_attr("data_format"))]


register_op("BiasAddGrad", infer=_bias_add_grad_infer, kernel=_bias_add_grad_kernel, grad=_bias_add_grad_grad)


def _bias_add_grad_op(out_backprop, data_format="NHWC", name=None):
    with name_scope(name, "BiasAddGrad", [out_backprop]) as scope:
        g = convert_one("BiasAddGrad", "out_backprop", out_backprop, allowed=NUMBER_TYPES)
        return make_op("BiasAddGrad", [g], {"data_format": data_format}, name=scope)


# =========================================================================== shared by the activations
def _activation(op_type, features, name, allowed=FLOAT_TYPES, attrs=None):
    """TF's generated activation wrapper: `features` converted in the op's scope."""
    with name_scope(name, op_type, [features]) as scope:
        x = convert_one(op_type, "features", features, allowed=allowed)
        return make_op(op_type, [x], attrs, name=scope)


def _activation_grad_op(op_type, gradients, second, second_param, attrs=None):
    """An activation's backward op (ReluGrad's kin): (gradients, features or outputs) -> input gradient."""
    with name_scope(None, op_type, [gradients, second]) as scope:
        g, x = convert_same_dtype(op_type, [("gradients", gradients), (second_param, second)], allowed=FLOAT_TYPES
                                  if op_type != "Relu6Grad" else REAL_NUMBER_TYPES)
        return make_op(op_type, [g, x], attrs, name=scope)


def _activation_grad_infer(gradients, features, **_):
    return _relu_grad_infer(gradients, features)


def _same_infer(features, **_):
    return features.dtype.base_dtype, features.shape


# =========================================================================== Relu6
def _relu6_kernel(xp, features):
    return xp.minimum(xp.maximum(features, features.dtype.type(0)), features.dtype.type(6))


def _relu6_grad(op, grad):
    # from the output, as TF 2's rule (y in (0, 6) exactly where x is)
    return [_activation_grad_op("Relu6Grad", grad, op.outputs[0], "features")]


register_op("Relu6", infer=_same_infer, kernel=_relu6_kernel, grad=_relu6_grad)


def relu6(features, name=None):
    """min(max(features, 0), 6) elementwise.

    >>> tf.nn.relu6([-1., 3., 8.])   # [0., 3., 6.]
    """
    with name_scope(name, "Relu6", [features]) as scope:
        features = convert_to_tensor(features, name="features")
        return _activation("Relu6", features, scope, allowed=REAL_NUMBER_TYPES)


# =========================================================================== Relu6Grad
def _relu6_grad_kernel(xp, gradients, features):
    inside = xp.logical_and(features > 0, features < 6)
    return xp.multiply(gradients, inside, dtype=gradients.dtype)  # TF: gradients * ((f > 0) & (f < 6))


def _relu6_grad_grad(op, grad):
    """Linear in `gradients` (the same mask); `features` only choose the mask."""
    x = op.inputs[1]
    return [_activation_grad_op("Relu6Grad", grad, x, "features"), array_ops.zeros_like(x)]


register_op("Relu6Grad", infer=_relu_grad_infer, kernel=_relu6_grad_kernel, grad=_relu6_grad_grad)


# =========================================================================== Elu
def _elu_kernel(xp, features):
    # expm1 of min(x, 0): the branch not taken never overflows
    return xp.where(features > 0, features, xp.expm1(xp.minimum(features, features.dtype.type(0))))


def _elu_grad(op, grad):
    """EluGrad from the output: 1 where x > 0, else exp(x) = output + 1."""
    return [_activation_grad_op("EluGrad", grad, op.outputs[0], "outputs")]


register_op("Elu", infer=_same_infer, kernel=_elu_kernel, grad=_elu_grad)


def elu(features, name=None):
    """x where x > 0, else exp(x) - 1 (the exponential linear unit)."""
    return _activation("Elu", features, name)


# =========================================================================== EluGrad
def _elu_grad_kernel(xp, gradients, outputs):
    return xp.where(outputs < 0, gradients * (outputs + outputs.dtype.type(1)), gradients)


def _elu_grad_grad(op, grad):
    y = op.inputs[1]
    return [_activation_grad_op("EluGrad", grad, y, "outputs"),
            array_ops.where(y < 0, grad * op.inputs[0], array_ops.zeros_like(y))]


register_op("EluGrad", infer=_relu_grad_infer, kernel=_elu_grad_kernel, grad=_elu_grad_grad)


# =========================================================================== Selu
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _selu_kernel(xp, features):
    t = features.dtype.type
    neg = t(_SELU_ALPHA) * xp.expm1(xp.minimum(features, t(0)))
    return t(_SELU_SCALE) * xp.where(features > 0, features, neg)


def _selu_grad(op, grad):
    return [_activation_grad_op("SeluGrad", grad, op.outputs[0], "outputs")]


register_op("Selu", infer=_same_infer, kernel=_selu_kernel, grad=_selu_grad)


def selu(features, name=None):
    """scale * (x where x > 0, else alpha * (exp(x) - 1)), with the self-normalizing constants
    alpha = 1.6733, scale = 1.0507."""
    return _activation("Selu", features, name)


# =========================================================================== SeluGrad
def _selu_grad_kernel(xp, gradients, outputs):
    t = outputs.dtype.type
    return xp.where(outputs < 0, gradients * (outputs + t(_SELU_SCALE * _SELU_ALPHA)), gradients * t(_SELU_SCALE))


def _selu_grad_grad(op, grad):
    y = op.inputs[1]
    return [_activation_grad_op("SeluGrad", grad, y, "outputs"),
            array_ops.where(y < 0, grad * op.inputs[0], array_ops.zeros_like(y))]


register_op("SeluGrad", infer=_relu_grad_infer, kernel=_selu_grad_kernel, grad=_selu_grad_grad)


# =========================================================================== LeakyRelu
def _leaky_relu_kernel(xp, features, *, alpha=0.2):
    return xp.where(features > 0, features, features * features.dtype.type(alpha))


def _leaky_relu_grad(op, grad):
    return [_activation_grad_op("LeakyReluGrad", grad, op.inputs[0], "features", {"alpha": op.get_attr("alpha")})]


register_op("LeakyRelu", infer=_same_infer, kernel=_leaky_relu_kernel, grad=_leaky_relu_grad)


def leaky_relu(features, alpha=0.2, name=None):
    """x where x > 0, else alpha * x. Integer features are cast to float32 first.

    >>> tf.nn.leaky_relu([-1., 2.])   # [-0.2, 2.]
    """
    with name_scope(name, "LeakyRelu", [features, alpha]) as scope:
        features = convert_to_tensor(features, name="features")
        if features.dtype.is_integer:
            features = math_ops.cast(features, dtypes.float32)
        if isinstance(alpha, np.ndarray):
            alpha = alpha.item()
        return _activation("LeakyRelu", features, scope, attrs={"alpha": float(alpha)})


# =========================================================================== LeakyReluGrad
def _leaky_relu_grad_kernel(xp, gradients, features, *, alpha=0.2):
    return xp.where(features > 0, gradients, gradients * gradients.dtype.type(alpha))


def _leaky_relu_grad_grad(op, grad):
    x = op.inputs[1]
    return [_activation_grad_op("LeakyReluGrad", grad, x, "features", {"alpha": op.get_attr("alpha")}),
            array_ops.zeros_like(x)]


register_op("LeakyReluGrad", infer=_activation_grad_infer, kernel=_leaky_relu_grad_kernel, grad=_leaky_relu_grad_grad)


# =========================================================================== Softplus
def _softplus_kernel(xp, features):
    return xp.logaddexp(features, features.dtype.type(0))  # log(1 + exp(x)) without overflow


def _softplus_grad(op, grad):
    return [grad * math_ops.sigmoid(op.inputs[0])]  # TF 2's rule (TF 1 built a SoftplusGrad op)


register_op("Softplus", infer=_same_infer, kernel=_softplus_kernel, grad=_softplus_grad)


def softplus(features, name=None):
    """log(exp(features) + 1), computed without overflow."""
    return _activation("Softplus", features, name)


# =========================================================================== SoftplusGrad
def _softplus_grad_kernel(xp, gradients, features):
    e = xp.exp(-xp.abs(features))  # sigmoid(x) from exp(-|x|): never overflows
    return gradients * xp.where(features >= 0, 1 / (1 + e), e / (1 + e))


def _softplus_grad_grad(op, grad):
    """d/dgradients = sigmoid(x); d/dx = gradients * sigmoid'(x) = gradients / (exp(-x) + 2 + exp(x))."""
    dy, x = op.inputs
    d2x = grad * dy / (math_ops.exp(-x) + 2.0 + math_ops.exp(x))
    return [_activation_grad_op("SoftplusGrad", grad, x, "features"), d2x]


register_op("SoftplusGrad", infer=_relu_grad_infer, kernel=_softplus_grad_kernel, grad=_softplus_grad_grad)


# =========================================================================== Softsign
def _softsign_kernel(xp, features):
    return features / (1 + xp.abs(features))


def _softsign_grad(op, grad):
    return [_activation_grad_op("SoftsignGrad", grad, op.inputs[0], "features")]


register_op("Softsign", infer=_same_infer, kernel=_softsign_kernel, grad=_softsign_grad)


def softsign(features, name=None):
    """features / (abs(features) + 1)."""
    return _activation("Softsign", features, name)


# =========================================================================== SoftsignGrad
def _softsign_grad_kernel(xp, gradients, features):
    d = 1 + xp.abs(features)
    return gradients / (d * d)


def _softsign_grad_grad(op, grad):
    """d/dgradients = 1 / (1 + |x|)^2; d/dx = gradients * -2 sign(x) / (1 + |x|)^3."""
    dy, x = op.inputs
    d = 1.0 + math_ops.abs(x)
    return [_activation_grad_op("SoftsignGrad", grad, x, "features"),
            -2.0 * grad * dy * math_ops.sign(x) / (d * d * d)]


register_op("SoftsignGrad", infer=_relu_grad_infer, kernel=_softsign_grad_kernel, grad=_softsign_grad_grad)


# =========================================================================== dropout
def _get_noise_shape(x, noise_shape):
    """TF's: noise_shape with its unknown (None) dims taken from x's static shape; where that is unknown too,
    from tf.shape(x) at run time (where TF would fail to convert the partial shape)."""
    if noise_shape is None:
        return array_ops.shape(x)
    if isinstance(noise_shape, Tensor):
        return noise_shape
    try:
        ns = TensorShape(noise_shape)
    except (TypeError, ValueError):
        return noise_shape
    if x.shape.ndims is None or ns.ndims != x.shape.ndims:
        return noise_shape
    dims = [n if n is not None else d for d, n in zip(x.shape.as_tuple(), ns.as_tuple())]
    if all(d is not None for d in dims):
        return dims
    dynamic = array_ops.shape(x)
    return array_ops.stack([dynamic[i] if d is None else d for i, d in enumerate(dims)])


def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):  # noqa: C901 - TF's checks
    """Each entry of `x` zeroed with probability 1 - keep_prob, the survivors scaled by 1 / keep_prob, so the
    expected sum is unchanged. Give `keep_prob` (a float in (0, 1] or a scalar tensor, e.g. a placeholder fed
    0.5 when training and 1.0 when testing, where the result is exactly x) or `rate` = 1 - keep_prob.

    noise_shape: the shape of the random keep/drop pattern, broadcast against x ([k, 1, 1, n] drops whole
    feature maps of a [k, h, w, n] x). Built as TF builds it, under `dropout/`: keep_prob + a RandomUniform
    sample in [0, 1), floored to 0 or 1, times x / keep_prob.

    >>> keep_prob = tf.placeholder(tf.float32)
    >>> h = tf.nn.dropout(h, keep_prob)   # feed {keep_prob: 0.5} to train, {keep_prob: 1.0} to test
    """
    if keep_prob is not None and rate is not None:
        raise ValueError("Cannot specify both 'keep_prob' and 'rate'")
    if keep_prob is None and rate is None:
        raise ValueError("You must provide a rate to dropout.")
    if keep_prob is not None:
        if not (isinstance(keep_prob, numbers.Real) or is_tensor_like(keep_prob)):
            raise ValueError("keep_prob must be a floating point number or Tensor (got %r)" % (keep_prob,))
        if isinstance(keep_prob, numbers.Real) and not 0 < keep_prob <= 1:
            raise ValueError("keep_prob must be a scalar tensor or a float in the range (0, 1], got %g" % keep_prob)
    elif isinstance(rate, numbers.Real) and not 0 <= rate < 1:
        raise ValueError("rate must be a scalar tensor or a float in the range [0, 1), got %g" % rate)
    with name_scope(name, "dropout", [x]):
        x = convert_to_tensor(x, name="x")
        if not x.dtype.is_floating:
            raise ValueError("x has to be a floating point tensor since it's going to be scaled. Got a %s tensor "
                             "instead." % x.dtype)
        if keep_prob is None:
            if isinstance(rate, numbers.Real):
                keep_prob = 1.0 - float(rate)
            else:
                rate = convert_to_tensor(rate, dtype=x.dtype.base_dtype, name="rate")
                rate.shape.assert_is_compatible_with(TensorShape([]))
                keep_prob = 1 - rate
        keep_prob = convert_to_tensor(keep_prob, dtype=x.dtype.base_dtype, name="keep_prob")
        keep_prob.shape.assert_is_compatible_with(TensorShape([]))
        kv = constant_value(keep_prob)
        if kv is not None and np.ndim(kv) == 0 and kv == 1:
            return x
        # uniform in [keep_prob, 1 + keep_prob): floor is 1 with probability keep_prob, else 0
        random_tensor = keep_prob + random_ops.random_uniform(_get_noise_shape(x, noise_shape), seed=seed,
                                                              dtype=x.dtype.base_dtype)
        binary_tensor = math_ops.floor(random_tensor)
        ret = math_ops.divide(x, keep_prob) * binary_tensor
        ret.set_shape(x.shape)
        return ret


# =========================================================================== InTopKV2
def _in_top_k_infer(predictions, targets, k, **_):
    p = _with_rank(predictions.shape, 2).as_tuple()
    t = _with_rank(targets.shape, 1)
    if k.shape.ndims not in (None, 0):
        raise InferenceError("Shape must be rank 0 but is rank %d" % k.shape.ndims)
    return dtypes.bool, TensorShape([_merge_dim(p[0], t.as_tuple()[0])])


def _in_top_k_kernel(xp, predictions, targets, k, **_):
    if predictions.ndim != 2:
        raise _invalid("predictions must be 2-dimensional")
    if targets.ndim != 1:
        raise _invalid("targets must be 1-dimensional")
    if k.ndim != 0:
        raise _invalid("k must be 0-D, got shape %s" % _dbg(k.shape))
    n, classes = predictions.shape
    if targets.shape[0] != n:
        raise _invalid("First dimension of predictions %d must match length of targets %d" % (n, targets.shape[0]))
    targets = xp.asarray(targets)  # int32 targets reach a GPU kernel in host memory
    valid = xp.logical_and(targets >= 0, targets < classes)
    target_pred = predictions[xp.arange(n), xp.where(valid, targets, 0)]
    more = (predictions > target_pred[:, None]).sum(axis=1)
    # TF's rule: a target out of range, or a row holding a non-finite prediction, is never in the top k
    ok = xp.logical_and(valid, xp.isfinite(predictions).all(axis=1))
    return xp.logical_and(ok, more < int(k))


register_op("InTopKV2", infer=_in_top_k_infer, kernel=_in_top_k_kernel, grad=NOT_DIFFERENTIABLE)


def in_top_k(predictions, targets, k, name=None):
    """out[i] = whether targets[i] is among the k largest of predictions[i] (ties at the boundary count as in).

    predictions: float32 [batch, classes]; targets: int32/int64 [batch]; returns bool [batch].

    >>> tf.nn.in_top_k([[0.1, 0.8, 0.1], [0.6, 0.3, 0.1]], [1, 2], 1)   # [True, False]
    """
    with name_scope(name, "in_top_k"):
        p = convert_one("InTopKV2", "predictions", predictions, dtype=dtypes.float32)
        t = convert_one("InTopKV2", "targets", targets, allowed=INT_TYPES)
        kt = convert_one("InTopKV2", "k", k, dtype=t.dtype.base_dtype)
        return make_op("InTopKV2", [p, t, kt], {"T": t.dtype.base_dtype})


# =========================================================================== TopKV2
TopKV2 = collections.namedtuple("TopKV2", ["values", "indices"])


def _top_k_infer(input, k, *, sorted=True):
    x = _with_rank_at_least(input.shape, 1)
    if k.shape.ndims not in (None, 0):
        raise InferenceError("Shape must be rank 0 but is rank %d" % k.shape.ndims)
    kv = constant_value(k)
    if kv is not None:
        kv = int(kv)
        if kv < 0:
            raise InferenceError("Dimension size, given by scalar input 1, must be non-negative but is %d" % kv)
    if x.ndims is None:
        out = TensorShape(None)
    else:
        dims = x.as_tuple()
        if kv is not None and dims[-1] is not None and dims[-1] < kv:
            raise InferenceError("input must have last dimension >= k = %d but is %d" % (kv, dims[-1]))
        out = TensorShape(list(dims[:-1]) + [kv])
    return [(input.dtype.base_dtype, out), (dtypes.int32, out)]


def _top_k_kernel(xp, input, k, *, sorted=True):
    k = int(k)
    if k < 0:
        raise _invalid("Need k >= 0, got %d" % k)
    if input.ndim < 1:
        raise _invalid("input must be >= 1-D, got shape %s" % _dbg(input.shape))
    if input.shape[-1] < k:
        raise _invalid("input must have at least k columns. Had %d, needed %d" % (input.shape[-1], k))
    keys = input.astype(np.int64) if input.dtype.kind in "iu" else input  # -x never overflows in int64
    # a stable sort of the negated values: the largest first, equal values in index order (TF's tie rule)
    idx = xp.argsort(-keys, axis=-1, kind="stable")[..., :k]
    return xp.take_along_axis(input, idx, axis=-1), idx.astype(np.int32)


def _top_k_grad(op, grad, _):
    """The values' gradient scattered back to the positions the indices name (TF's rule, with
    unsorted_segment_sum over the flattened input in place of scatter_nd)."""
    x, indices = op.inputs[0], op.outputs[1]
    in_shape = array_ops.shape(x)
    in_lastdim = in_shape[-1]
    ind_2d = array_ops.reshape(indices, array_ops.stack([-1, array_ops.shape(indices)[-1]]))
    outerdim = array_ops.shape(ind_2d)[0]
    offsets = array_ops.expand_dims(array_ops.range(0, outerdim * in_lastdim, in_lastdim), -1)
    flat_ind = array_ops.reshape(ind_2d + offsets, [-1])
    flat = array_ops.unsorted_segment_sum(array_ops.reshape(grad, [-1]), flat_ind, math_ops.reduce_prod(in_shape))
    return [array_ops.reshape(flat, in_shape), None]


register_op("TopKV2", infer=_top_k_infer, kernel=_top_k_kernel, grad=_top_k_grad)


def top_k(input, k=1, sorted=True, name=None):  # noqa: A002 - TF's names
    """The k largest entries along the last axis of `input`, largest first, and their indices (int32).

    Returns (values, indices), each shaped input.shape[:-1] + [k]; equal values keep index order.

    >>> values, indices = tf.nn.top_k([[1., 3., 2.]], k=2)   # [[3., 2.]], [[1, 2]]
    """
    with name_scope(name, "TopKV2", [input, k]) as scope:
        x = convert_one("TopKV2", "input", input, allowed=REAL_NUMBER_TYPES)
        kt = convert_one("TopKV2", "k", k, dtype=dtypes.int32)
        return TopKV2(*make_op("TopKV2", [x, kt], {"sorted": bool(sorted)}, name=scope))


# =========================================================================== LRN
_LRN_TYPES = (dtypes.float16, dtypes.float32)


def _lrn_infer(input, **_):
    return input.dtype.base_dtype, _with_rank(input.shape, 4)


def _window_sum(xp, a, radius):
    """sum(a[..., d - radius : d + radius + 1]) over the last axis, for each d (zeros beyond the ends)."""
    s = a.copy()
    for r in range(1, min(radius, a.shape[-1] - 1) + 1):
        s[..., r:] += a[..., :-r]
        s[..., :-r] += a[..., r:]
    return s


def _lrn_kernel(xp, input, *, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5):
    if input.ndim != 4:
        raise _invalid("in must be 4-dimensional")
    t = input.dtype.type
    norm = t(bias) + t(alpha) * _window_sum(xp, input * input, depth_radius)
    return input * norm ** t(-beta)


def _lrn_grad(op, grad):
    attrs = dict(op._attrs)
    with name_scope(None, "LRNGrad", [grad, op.inputs[0], op.outputs[0]]) as scope:
        return [make_op("LRNGrad", [grad, op.inputs[0], op.outputs[0]], attrs, name=scope)]


register_op("LRN", infer=_lrn_infer, kernel=_lrn_kernel, grad=_lrn_grad)


def lrn(input, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5, name=None):  # noqa: A002
    """Local response normalization across channels of a 4-D `input` (float32 or float16):

        out[..., d] = input[..., d] / (bias + alpha * sum(input[..., d-r : d+r+1] ** 2)) ** beta
    """
    with name_scope(name, "LRN", [input]) as scope:
        x = convert_one("LRN", "input", input, allowed=_LRN_TYPES)
        attrs = {"depth_radius": int(depth_radius), "bias": float(bias), "alpha": float(alpha), "beta": float(beta)}
        return make_op("LRN", [x], attrs, name=scope)


local_response_normalization = lrn


# =========================================================================== LRNGrad
def _lrn_grad_infer(input_grads, input_image, output_image, **_):
    s = merge_shapes(_with_rank(input_grads.shape, 4), merge_shapes(input_image.shape, output_image.shape))
    return input_grads.dtype.base_dtype, s


def _lrn_grad_kernel(xp, input_grads, input_image, output_image, *, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5):
    """With N = bias + alpha * window_sum(x^2): dx_j = g_j N_j^-beta - 2 alpha beta x_j window_sum(g y / N)_j."""
    if not (input_grads.ndim == input_image.ndim == output_image.ndim == 4):
        raise _invalid("inputs must be 4-dimensional")
    if not (input_grads.shape == input_image.shape == output_image.shape):
        raise _invalid("input_grads, input_image, and out_image should have the same shape")
    t = input_image.dtype.type
    x = input_image
    norm = t(bias) + t(alpha) * _window_sum(xp, x * x, depth_radius)
    inner = _window_sum(xp, input_grads * output_image / norm, depth_radius)
    return input_grads * norm ** t(-beta) - t(2 * alpha * beta) * x * inner


register_op("LRNGrad", infer=_lrn_grad_infer, kernel=_lrn_grad_kernel, grad=NO_GRADIENT)


# =========================================================================== xw_plus_b, conv1d, atrous_conv2d
def xw_plus_b(x, weights, biases, name=None):
    """matmul(x, weights) + biases: x [batch, in], weights [in, out], biases [out]; a MatMul then a BiasAdd named
    'xw_plus_b', as TF builds it."""
    with name_scope(name, "xw_plus_b", [x, weights, biases]) as scope:
        x = convert_to_tensor(x, name="x")
        weights = convert_to_tensor(weights, name="weights")
        biases = convert_to_tensor(biases, name="biases")
        return bias_add(math_ops.matmul(x, weights), biases, name=scope)


def conv1d(value=None, filters=None, stride=None, padding=None, use_cudnn_on_gpu=None, data_format=None,
           name=None, input=None, dilations=None):  # noqa: A002 - TF's names
    """1-D convolution of `value` [batch, in_width, in_channels] (NWC; NCW puts channels first) with `filters`
    [filter_width, in_channels, out_channels], built as TF builds it: ExpandDims of both to 2-D, a Conv2D named
    'conv1d', and a Squeeze of the added axis. `stride` and `dilations`: an int (or 1 or 3 ints).

    >>> tf.nn.conv1d(tf.ones([2, 10, 3]), tf.ones([3, 3, 5]), 2, "SAME").shape   # (2, 5, 5)
    """
    value = _deprecated_argument_lookup("input", input, "value", value)
    with name_scope(name, "conv1d", [value, filters]) as scope:
        if data_format is None or data_format in ("NHWC", "NWC"):
            data_format, spatial_start_dim, channel_index = "NHWC", -3, 2
        elif data_format in ("NCHW", "NCW"):
            data_format, spatial_start_dim, channel_index = "NCHW", -2, 1
        else:
            raise ValueError("`data_format` must be 'NWC' or 'NCW'. Received: data_format=%s" % data_format)
        strides = [1] + _get_sequence(stride, 1, channel_index, "stride")
        dilations = [1] + _get_sequence(dilations, 1, channel_index, "dilations")
        value = array_ops.expand_dims(value, spatial_start_dim)
        filters = array_ops.expand_dims(filters, 0)
        if value.shape.ndims is not None and value.shape.ndims > 4:
            raise NotImplementedError("tfmini's conv1d takes inputs of rank 3 (TF folds more batch dimensions)")
        result = conv2d(value, filters, strides, padding, use_cudnn_on_gpu=True if use_cudnn_on_gpu is None
                        else use_cudnn_on_gpu, data_format=data_format, dilations=dilations, name=scope)
        return array_ops.squeeze(result, [spatial_start_dim])


def atrous_conv2d(value, filters, rate, padding, name=None):
    """Dilated ("atrous") 2-D convolution: `filters` [h, w, in, out] with `rate - 1` zeros between its taps, over
    `value` [batch, height, width, in] (NHWC), stride 1; padding "SAME" or "VALID". Built as TF builds it: for
    rate > 1, SpaceToBatchND (the image split into rate x rate interleaved images, padded), a plain VALID Conv2D
    named 'convolution', and BatchToSpaceND putting the pieces back; for rate 1, the Conv2D alone. (Where the
    height or width is unknown when the graph is built, one Conv2D with dilations [1, rate, rate, 1].)

    >>> tf.nn.atrous_conv2d(tf.ones([2, 9, 9, 3]), tf.ones([3, 3, 3, 4]), 2, "VALID").shape   # (2, 5, 5, 4)
    """
    rates = np.broadcast_to(rate, (2,))
    if not (rates > 0).all():
        raise ValueError("all values of `dilation_rate` must be positive. Received: dilation_rate=%s" % rates)
    if padding not in ("SAME", "VALID"):
        raise ValueError("`padding` must be one of 'SAME' or 'VALID'. Received: padding=%s" % (padding,))
    rates = [int(r) for r in rates]
    with name_scope(name, "convolution", [value, filters]) as scope:
        value = convert_to_tensor(value, name="input")
        filters = convert_to_tensor(filters, name="filter")
        if rates == [1, 1]:
            return conv2d(value, filters, [1, 1, 1, 1], padding, name=scope)
        if padding == "SAME" and not filters.shape.is_fully_defined():
            # TF's _WithSpaceToBatch makes a tensor of the filter's static shape for SAME's paddings
            raise ValueError("Cannot convert a partially known TensorShape %s to a Tensor." % filters.shape)
        spatial = value.shape.as_tuple()[1:3] if value.shape.ndims == 4 else None
        taps = filters.shape.as_tuple()[:2] if filters.shape.ndims == 4 else None
        if spatial is None or None in spatial or taps is None or None in taps:
            return conv2d(value, filters, [1, 1, 1, 1], padding, dilations=[1] + rates + [1], name=scope)
        paddings, crops = [], []
        for size, k, r in zip(spatial, taps, rates):
            extra = (k - 1) * r if padding == "SAME" else 0  # the dilated filter's reach, split as SAME splits it
            start, end = extra // 2, extra - extra // 2
            end_extra = (r - (size + start + end) % r) % r  # pad to a multiple of the rate, cropped off again
            paddings.append([start, end + end_extra])
            crops.append([0, end_extra])
        pieces = array_ops.space_to_batch_nd(value, rates, paddings)
        out = conv2d(pieces, filters, [1, 1, 1, 1], "VALID", name=scope)
        return array_ops.batch_to_space_nd(out, rates, crops)
