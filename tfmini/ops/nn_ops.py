"""Neural-network ops (tf.nn): activations, softmax, the cross-entropies; convolution and pooling come with issue #5."""
import numpy as np

from ..framework import errors
from ..framework.op_def_library import (FLOAT_TYPES, INT_TYPES, REAL_NUMBER_TYPES, check_allowed, convert_one,
                                        convert_same_dtype, make_op)
from ..framework.op_registry import InferenceError, register_op
from ..framework.ops import Tensor, convert_to_tensor, name_scope
from ..framework.tensor_shape import TensorShape
from . import array_ops, math_ops
from .array_ops import _dbg, _deprecated_argument_lookup, _invalid, _with_rank
from .constant_op import constant_value
from .shape_util import broadcast_shape, merge_shapes

__all__ = ["relu", "l2_loss", "softmax", "log_softmax", "softmax_cross_entropy_with_logits",
           "softmax_cross_entropy_with_logits_v2", "sparse_softmax_cross_entropy_with_logits",
           "sigmoid_cross_entropy_with_logits"]


def _relu_infer(features):
    return features.dtype.base_dtype, features.shape


def _relu_kernel(xp, features):
    return xp.maximum(features, features.dtype.type(0))


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
    return xp.where(features > 0, gradients, gradients.dtype.type(0))


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
    return xp.asarray(xp.vdot(t, t) * 0.5, dtype=t.dtype) if t.size else xp.zeros((), t.dtype)


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
    return [grad, _broadcast_mul(grad_loss, -log_softmax(logits))]


register_op("SoftmaxCrossEntropyWithLogits", infer=_xent_infer, kernel=_xent_kernel, grad=_xent_grad,
            broadcasting=True)


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


def _sparse_xent_kernel(xp, features, labels):
    n, c = features.shape
    if labels.shape[0] != n:
        raise _invalid("logits and labels must have the same first dimension, got logits shape %s and labels "
                       "shape %s" % (_dbg(features.shape), _dbg(labels.shape)))
    if c == 0:
        raise _invalid("Must have at least one class, but got logits shape %s" % _dbg(features.shape))
    if n and (int(labels.min()) < 0 or int(labels.max()) >= c):
        # TF's CPU kernel refuses such labels (its GPU kernel gives NaN rows instead)
        bad = (labels < 0) | (labels >= c)
        first = int(labels[int(bad.argmax())])
        raise _invalid("Received a label value of %d which is outside the valid range of [0, %d).  Label values: %s"
                       % (first, c, " ".join(str(int(v)) for v in labels.tolist())))
    shifted = features - xp.maximum.reduce(features, axis=1, keepdims=True)
    e = xp.exp(shifted)
    sums = xp.add.reduce(e, axis=1)
    rows = xp.arange(n)
    loss = xp.log(sums)
    loss -= shifted[rows, labels]
    xp.divide(e, sums[:, None], out=e)  # e becomes the softmax, then the gradient softmax - onehot
    e[rows, labels] -= 1
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
        check_allowed("SparseSoftmaxCrossEntropyWithLogits", "features", logits.dtype, FLOAT_TYPES)
        check_allowed("SparseSoftmaxCrossEntropyWithLogits", "labels", labels.dtype, INT_TYPES)
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
