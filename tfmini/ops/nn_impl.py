"""Normalization in tf.nn: moments, batch_normalization, the FusedBatchNorm op and its gradient, l2_normalize."""
from ..framework import dtypes
from ..framework.op_def_library import check_allowed, convert_one, convert_same_dtype, make_op
from ..framework.op_registry import InferenceError, register_op
from ..framework.ops import convert_to_tensor, name_scope
from ..framework.tensor_shape import TensorShape
from . import array_ops, constant_op, math_ops
from .array_ops import _dbg, _deprecated_argument_lookup, _invalid, _with_rank

__all__ = ["moments", "sufficient_statistics", "normalize_moments", "weighted_moments", "batch_normalization",
           "batch_norm_with_global_normalization",
           "fused_batch_norm", "l2_normalize", "relu_layer", "swish", "weighted_cross_entropy_with_logits",
           "zero_fraction"]


# =========================================================================== moments and friends (composites)
def moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None):
    """Mean and (biased) variance of `x` over `axes`, as TF computes them:

        mean = reduce_mean(x, axes);  variance = reduce_mean(squared_difference(x, stop_gradient(mean)), axes)

    x: a float tensor; axes: a list of ints. The results drop `axes` unless `keep_dims` (then
    they keep them as 1, ready to broadcast against `x`). `shift` is accepted and unused, as in TF.

    >>> mean, var = tf.nn.moments(tf.constant([[1., 2.], [3., 6.]]), axes=[0])   # [2, 4], [1, 4]
    """
    keep_dims = _deprecated_argument_lookup("keepdims", keepdims, "keep_dims", keep_dims)
    if keep_dims is None:
        keep_dims = False
    with name_scope(name, "moments", [x, axes]):
        x = convert_to_tensor(x, name="x")
        # float16 has too little range for sums of squares: TF works in float32 and casts back
        y = math_ops.cast(x, dtypes.float32) if x.dtype.base_dtype == dtypes.float16 else x
        mean = math_ops.reduce_mean(y, axes, keepdims=True, name="mean")
        # stop_gradient changes nothing (d variance / d mean is 0) but keeps the graph small, as TF's
        variance = math_ops.reduce_mean(math_ops.squared_difference(y, array_ops.stop_gradient(mean)), axes,
                                        keepdims=True, name="variance")
        if not keep_dims:
            mean = array_ops.squeeze(mean, axes)
            variance = array_ops.squeeze(variance, axes)
        if x.dtype.base_dtype == dtypes.float16:
            return math_ops.cast(mean, dtypes.float16), math_ops.cast(variance, dtypes.float16)
        return mean, variance


def sufficient_statistics(x, axes, shift=None, keep_dims=None, name=None, keepdims=None):
    """(count, sum(x - shift), sum((x - shift)**2), shift) over `axes`: what `normalize_moments`
    turns into a mean and variance. `count` is a constant when the reduced dims are known."""
    axes = sorted(set(axes))
    keep_dims = _deprecated_argument_lookup("keepdims", keepdims, "keep_dims", keep_dims)
    if keep_dims is None:
        keep_dims = False
    with name_scope(name, "sufficient_statistics", [x, shift]):
        x = convert_to_tensor(x, name="x")
        dims = x.shape.as_tuple()
        if dims is not None and all(dims[d] is not None for d in axes):
            counts = 1
            for d in axes:
                counts *= dims[d]
            counts = constant_op.constant(counts, dtype=x.dtype.base_dtype)
        else:  # known only at run time
            x_dims = array_ops.gather(math_ops.cast(array_ops.shape(x), x.dtype.base_dtype), axes)
            counts = math_ops.reduce_prod(x_dims, name="count")
        if shift is not None:
            shift = convert_to_tensor(shift, name="shift")
            m_ss = math_ops.subtract(x, shift)
            v_ss = math_ops.squared_difference(x, shift)
        else:
            m_ss = x
            v_ss = math_ops.square(x)
        m_ss = math_ops.reduce_sum(m_ss, axes, keepdims=keep_dims, name="mean_ss")
        v_ss = math_ops.reduce_sum(v_ss, axes, keepdims=keep_dims, name="var_ss")
    return counts, m_ss, v_ss, shift


def normalize_moments(counts, mean_ss, variance_ss, shift, name=None):
    """Mean and variance from `sufficient_statistics`' outputs: mean = mean_ss / counts + shift,
    variance = variance_ss / counts - (mean_ss / counts)**2."""
    with name_scope(name, "normalize", [counts, mean_ss, variance_ss, shift]):
        divisor = math_ops.reciprocal(counts, name="divisor")
        if shift is not None:
            shifted_mean = math_ops.multiply(mean_ss, divisor, name="shifted_mean")
            mean = math_ops.add(shifted_mean, shift, name="mean")
        else:
            shifted_mean = math_ops.multiply(mean_ss, divisor, name="mean")
            mean = shifted_mean
        variance = math_ops.subtract(math_ops.multiply(variance_ss, divisor), math_ops.square(shifted_mean),
                                     name="variance")
    return mean, variance


def weighted_moments(x, axes, frequency_weights, name=None, keep_dims=None, keepdims=None):
    """Mean and variance of `x` over `axes`, each element counted `frequency_weights` times
    (weights broadcast against `x`, e.g. [batch, 1] for per-example weights)."""
    keep_dims = _deprecated_argument_lookup("keepdims", keepdims, "keep_dims", keep_dims)
    if keep_dims is None:
        keep_dims = False
    with name_scope(name, "weighted_moments", [x, frequency_weights, axes]):
        x = convert_to_tensor(x, name="x")
        frequency_weights = convert_to_tensor(frequency_weights, name="frequency_weights")
        needs_cast = x.dtype.base_dtype == dtypes.float16
        if needs_cast:
            x = math_ops.cast(x, dtypes.float32)
        if frequency_weights.dtype.base_dtype != x.dtype.base_dtype:
            frequency_weights = math_ops.cast(frequency_weights, x.dtype.base_dtype)
        # keep the reduced dims so the mean broadcasts against x; the weights may be smaller than x,
        # so they are broadcast to x's shape before they are summed
        weighted_input_sum = math_ops.reduce_sum(frequency_weights * x, axes, name="weighted_input_sum",
                                                 keepdims=True)
        broadcasted_weights = frequency_weights + array_ops.zeros_like(x)
        sum_of_weights = math_ops.reduce_sum(broadcasted_weights, axes, name="sum_of_weights", keepdims=True)
        divisor = math_ops.reciprocal(sum_of_weights, name="inv_weight_sum")
        weighted_mean = math_ops.multiply(weighted_input_sum, divisor)
        weighted_distsq = math_ops.reduce_sum(frequency_weights * math_ops.squared_difference(x, weighted_mean),
                                              axes, name="weighted_distsq", keepdims=True)
        weighted_variance = math_ops.multiply(weighted_distsq, divisor)
        if not keep_dims:
            weighted_mean = array_ops.squeeze(weighted_mean, axis=axes)
            weighted_variance = array_ops.squeeze(weighted_variance, axis=axes)
        if needs_cast:
            weighted_mean = math_ops.cast(weighted_mean, dtypes.float16)
            weighted_variance = math_ops.cast(weighted_variance, dtypes.float16)
        return weighted_mean, weighted_variance


# =========================================================================== batch_normalization (composite)
def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """(x - mean) / sqrt(variance + variance_epsilon) * scale + offset, built as TF builds it:

        inv = rsqrt(variance + variance_epsilon) * scale;   x * inv + (offset - mean * inv)

    mean, variance, offset, scale broadcast against `x` (offset and scale may be None).

    >>> tf.nn.batch_normalization(x, mean, var, offset=beta, scale=gamma, variance_epsilon=1e-3)
    """
    with name_scope(name, "batchnorm", [x, mean, variance, scale, offset]):
        x = convert_to_tensor(x, name="x")
        inv = math_ops.rsqrt(variance + variance_epsilon)
        if scale is not None:
            inv *= scale
        xdt = x.dtype.base_dtype
        scaled = x * _cast_to(inv, xdt)  # made first, as TF's one expression does (mul_1, then mul_2 for the shift)
        shift = offset - mean * inv if offset is not None else -mean * inv
        return scaled + _cast_to(shift, xdt)


def batch_norm_with_global_normalization(t=None, m=None, v=None, beta=None, gamma=None, variance_epsilon=None,
                                         scale_after_normalization=None, name=None, input=None, mean=None,  # noqa: A002
                                         variance=None):
    """TF 1.x's older batch normalization by given (global) statistics: batch_normalization with `gamma` as the
    scale only when scale_after_normalization, built the same way (TF 1.15 builds it so too)."""
    t = input if t is None else t
    m = mean if m is None else m
    v = variance if v is None else v
    return batch_normalization(t, m, v, beta, gamma if scale_after_normalization else None, variance_epsilon, name)


# ---- BatchNormWithGlobalNormalization: the op itself, which only GraphDefs from TF's first year hold (the 2015
# Inception graph of TF's image tutorials); tf.nn.batch_norm_with_global_normalization builds the composite above
def _bn_global_infer(t, m, v, beta, gamma, *, variance_epsilon, scale_after_normalization, **_):
    shape = _with_rank(t.shape, 4)
    c = shape.as_tuple()[3]
    for p in (m, v, beta, gamma):
        d = _with_rank(p.shape, 1).as_tuple()[0]
        if c is not None and d is not None and c != d:
            raise InferenceError("Dimensions must be equal, but are %d and %d" % (c, d))
        c = c if c is not None else d
    return t.dtype.base_dtype, TensorShape(shape.as_tuple()[:3] + (c,))


def _bn_global_kernel(xp, t, m, v, beta, gamma, *, variance_epsilon, scale_after_normalization, **_):
    """TF's kernel: the per-channel factor rsqrt(v + epsilon) (times gamma) first, then (t - m) * factor + beta."""
    factor = 1 / xp.sqrt(v + t.dtype.type(variance_epsilon))
    if scale_after_normalization:
        factor = factor * gamma
    return ((t - m) * factor + beta).astype(t.dtype, copy=False)


def _bn_global_grad(op, grad):
    """d/dt = grad * factor; d/dm = -(its sum over N, H, W); d/dv from factor's -1/2 power; d/dbeta = the sum of
    grad; d/dgamma = the sum of grad * normalized t (zeros without scale_after_normalization), as TF's
    BatchNormWithGlobalNormalizationGrad."""
    t, m, v, _, gamma = op.inputs
    scaled = op.get_attr("scale_after_normalization")
    inv = math_ops.rsqrt(v + op.get_attr("variance_epsilon"))
    factor = inv * gamma if scaled else inv
    axes = [0, 1, 2]
    centered_grad = math_ops.reduce_sum(grad * (t - m), axes)
    dt = grad * factor
    dm = -math_ops.reduce_sum(dt, axes)
    dv = centered_grad * (-0.5 * inv * inv * factor)
    db = math_ops.reduce_sum(grad, axes)
    dg = centered_grad * inv if scaled else array_ops.zeros_like(gamma)
    return [dt, dm, dv, db, dg]


register_op("BatchNormWithGlobalNormalization", infer=_bn_global_infer, kernel=_bn_global_kernel,
            grad=_bn_global_grad)


def _cast_to(t, dtype):
    t = convert_to_tensor(t)
    return t if t.dtype.base_dtype == dtype else math_ops.cast(t, dtype)


# =========================================================================== FusedBatchNorm
class _Layout:
    """A 4-D batch seen so that per-channel work runs in long contiguous loops, without a transpose.

    NCHW is viewed as [N, C, H*W]. NHWC is viewed as a matrix [rows / k, k * C] (k the largest
    divisor of rows = N*H*W up to 64), each row holding k pixels: a per-channel vector tiled k
    times broadcasts along it, and a channel sum is a column sum folded k ways. numpy's reduction
    over the first axis of [rows, C] with few channels is slow and adds float32 naively over all
    rows; the folded one adds rows / k terms per column and runs several times faster.
    """

    __slots__ = ("c", "n", "k", "nchw")

    def __init__(self, shape, data_format):
        self.nchw = data_format == "NCHW"
        self.c = shape[1] if self.nchw else shape[3]
        self.n = shape[0] * shape[2] * shape[3] if self.nchw else shape[0] * shape[1] * shape[2]
        self.k = 1 if self.nchw else next((k for k in range(64, 0, -1) if self.n % k == 0), 1)

    def view(self, a):
        if self.nchw:
            return a.reshape(a.shape[0], self.c, -1)
        return a.reshape(self.n // self.k, self.k * self.c)

    def expand(self, xp, v):
        """A per-channel vector [C] that broadcasts against `view`."""
        return v.reshape(1, self.c, 1) if self.nchw else xp.tile(v, self.k)

    def channel_sum(self, a):
        """[C] sums of a `view`-shaped array, in its dtype."""
        if self.nchw:
            return a.sum(axis=2).sum(axis=0)
        return a.sum(axis=0).reshape(self.k, self.c).sum(axis=0)

    def channel_dot(self, xp, a, b):
        """[C] sums of a * b (two `view`-shaped arrays) without the product array."""
        if self.nchw:
            return xp.einsum("ncl,ncl->c", a, b)
        return xp.einsum("ij,ij->j", a, b).reshape(self.k, self.c).sum(axis=0)


def _channel_dim(data_format):
    return 1 if data_format == "NCHW" else 3


def _merge_dim(a, b):
    if a is not None and b is not None and a != b:
        raise InferenceError("Dimensions must be equal, but are %d and %d" % (a, b))
    return a if a is not None else b


def _check_data_format(data_format):
    if data_format not in ("NHWC", "NCHW"):
        raise ValueError("Invalid data format: %s" % data_format)


def _fused_batch_norm_infer(x, scale, offset, mean, variance, *, epsilon, data_format, is_training, **_):
    """TF's FusedBatchNormShape: x of rank 4; scale, offset (and mean, variance when not training)
    vectors of the channel size; y like x, the four statistics [C]."""
    xs = _with_rank(x.shape, 4)
    ci = _channel_dim(data_format)
    c = xs.as_tuple()[ci]
    for t in (scale, offset) if is_training else (scale, offset, mean, variance):
        c = _merge_dim(c, _with_rank(t.shape, 1).as_tuple()[0])
    dims = list(xs.as_tuple())
    dims[ci] = c
    u = scale.dtype.base_dtype
    return [(x.dtype.base_dtype, TensorShape(dims))] + [(u, TensorShape([c]))] * 4


def _check_fused_inputs(x, vectors):
    if x.ndim != 4:
        raise _invalid("input must be 4-dimensional%s" % _dbg(x.shape))
    for what, v in vectors:
        if v.ndim != 1:
            raise _invalid("%s must be 1-dimensional%s" % (what, _dbg(v.shape)))


def _fused_batch_norm_kernel(xp, x, scale, offset, mean, variance, *, epsilon, data_format, is_training, **_):
    vectors = [("scale", scale), ("offset", offset)]
    if not is_training:
        vectors += [("estimated_mean", mean), ("estimated_variance", variance)]
    _check_fused_inputs(x, vectors)
    lay = _Layout(x.shape, data_format)
    for what, v in vectors:
        if v.shape[0] != lay.c:
            raise _invalid("%s must have the same number of elements as the channels of x, got %d and %d"
                           % (what, v.shape[0], lay.c))
    u = scale.dtype
    xv = lay.view(x)
    if not is_training:
        f = scale / xp.sqrt(variance + u.type(epsilon))
        y = xv * lay.expand(xp, f.astype(x.dtype)) + lay.expand(xp, (offset - mean * f).astype(x.dtype))
        return y.reshape(x.shape), mean.copy(), variance.copy(), mean.copy(), variance.copy()
    n = lay.n
    if n == 0 or lay.c == 0:  # TF: an empty batch gives NaN statistics
        nan = xp.full((lay.c,), xp.nan, u)
        return xp.empty_like(x), nan, nan.copy(), nan.copy(), nan.copy()
    xu = xv if xv.dtype == u else xv.astype(u)  # float16 input: statistics in float32
    m = lay.channel_sum(xu) / u.type(n)
    xc = xu - lay.expand(xp, m)
    v = lay.channel_dot(xp, xc, xc) / u.type(n)
    xc *= lay.expand(xp, scale / xp.sqrt(v + u.type(epsilon)))
    xc += lay.expand(xp, offset)
    y = xc.astype(x.dtype, copy=False).reshape(x.shape)
    # the variance output is Bessel-corrected (what the moving average wants); the reserve space keeps
    # the biased one the normalization used, for the gradient
    corrected = v * u.type(n / max(n - 1, 1))
    return y, m, corrected, m.copy(), v


def _fused_batch_norm_grad(op, grad_y, *_unused_stat_grads):
    """TF's rule: FusedBatchNormGrad on the saved batch statistics (training) or on the given
    population ones (inference). The statistics outputs pass no gradient back, and in inference the
    mean and variance inputs get none."""
    x, scale = op.inputs[0], op.inputs[1]
    attrs = {k: op.get_attr(k) for k in ("epsilon", "data_format", "is_training")}
    if attrs["is_training"]:
        r1, r2 = op.outputs[3], op.outputs[4]
    else:
        r1, r2 = op.inputs[3], op.inputs[4]
    dx, dscale, doffset, _, _ = _fused_batch_norm_grad_op(grad_y, x, scale, r1, r2, **attrs)
    return [dx, dscale, doffset, None, None]


register_op("FusedBatchNorm", infer=_fused_batch_norm_infer, kernel=_fused_batch_norm_kernel,
            grad=_fused_batch_norm_grad)


def fused_batch_norm(x, scale, offset, mean=None, variance=None, epsilon=0.001, data_format="NHWC",
                     is_training=True, name=None):
    """Batch normalization of a 4-D `x` over all but its channel axis, as one op (FusedBatchNorm).

    x: [N, H, W, C] (data_format "NHWC") or [N, C, H, W] ("NCHW"), float32 (or float16);
    scale, offset: [C] float32. Training (is_training=True, mean and variance None) normalizes with
    the batch's own statistics; otherwise with the given `mean` and `variance` ([C]).

    Returns (y, batch_mean, batch_variance): y shaped like x; when training, batch_variance is the
    unbiased (n / (n - 1)) variance, the one to feed a moving average (y itself uses the biased one).
    Otherwise batch_mean and batch_variance are `mean` and `variance`.

    >>> y, m, v = tf.nn.fused_batch_norm(images, gamma, beta)   # images [N, H, W, C]
    """
    _check_data_format(data_format)
    x = convert_to_tensor(x, name="input")
    if x.dtype.base_dtype == dtypes.float16:
        check_allowed("FusedBatchNorm", "x", x.dtype, (dtypes.float16, dtypes.float32))
        scale = convert_one("FusedBatchNorm", "scale", scale, dtype=dtypes.float32)
        offset = convert_one("FusedBatchNorm", "offset", offset, dtype=dtypes.float32)
    else:
        x, scale, offset = convert_same_dtype("FusedBatchNorm", [("x", x), ("scale", scale), ("offset", offset)],
                                              allowed=(dtypes.float32,))
    if is_training and (mean is not None or variance is not None):
        raise ValueError("Both 'mean' and 'variance' must be None if is_training is True.")
    u = scale.dtype.base_dtype
    mean = constant_op.constant([], dtype=u) if mean is None else \
        convert_one("FusedBatchNorm", "mean", mean, dtype=u)
    variance = constant_op.constant([], dtype=u) if variance is None else \
        convert_one("FusedBatchNorm", "variance", variance, dtype=u)
    # cuDNN's lower bound on epsilon, which TF applies on every device
    epsilon = epsilon if epsilon > 1.001e-5 else 1.001e-5
    y, batch_mean, batch_var, _, _ = make_op(
        "FusedBatchNorm", [x, scale, offset, mean, variance],
        {"T": x.dtype.base_dtype, "U": u, "epsilon": float(epsilon), "data_format": data_format,
         "is_training": bool(is_training)}, name=name)
    return y, batch_mean, batch_var


# =========================================================================== FusedBatchNormGrad
def _fused_batch_norm_grad_infer(y_backprop, x, scale, reserve_space_1, reserve_space_2, *, epsilon, data_format,
                                 is_training, **_):
    """TF's FusedBatchNormGradShape: dx like x; dscale, doffset [C]; the two reserve outputs [0]
    when training, else [C]."""
    dys = _with_rank(y_backprop.shape, 4)
    xs = _with_rank(x.shape, 4)
    ci = _channel_dim(data_format)
    c = _merge_dim(dys.as_tuple()[ci], xs.as_tuple()[ci])
    for t in (scale, reserve_space_1, reserve_space_2):
        c = _merge_dim(c, _with_rank(t.shape, 1).as_tuple()[0])
    dims = list(dys.as_tuple())
    dims[ci] = c
    u = scale.dtype.base_dtype
    reserve = TensorShape([0]) if is_training else TensorShape([c])
    return [(y_backprop.dtype.base_dtype, TensorShape(dims)), (u, TensorShape([c])), (u, TensorShape([c])),
            (u, reserve), (u, reserve)]


def _fused_batch_norm_grad_kernel(xp, y_backprop, x, scale, reserve_space_1, reserve_space_2, *, epsilon,
                                  data_format, is_training, **_):
    _check_fused_inputs(x, [("scale", scale), ("reserve_space_1", reserve_space_1),
                            ("reserve_space_2", reserve_space_2)])
    if y_backprop.shape != x.shape:
        raise _invalid("x and y_backprop must have same shape, but x has shape %s and y_backprop has shape %s"
                       % (_dbg(x.shape), _dbg(y_backprop.shape)))
    lay = _Layout(x.shape, data_format)
    for what, v in (("scale", scale), ("reserve_space_1", reserve_space_1), ("reserve_space_2", reserve_space_2)):
        if v.shape[0] != lay.c:
            raise _invalid("%s must have the same number of elements as the channels of x, got %d and %d"
                           % (what, v.shape[0], lay.c))
    u = scale.dtype
    dy, xv = lay.view(y_backprop), lay.view(x)
    if dy.dtype != u:
        dy, xv = dy.astype(u), xv.astype(u)
    n = u.type(max(lay.n, 1))
    inv = 1 / xp.sqrt(reserve_space_2 + u.type(epsilon))
    xc = xv - lay.expand(xp, reserve_space_1)
    sum_dy = lay.channel_sum(dy)
    sum_dy_xc = lay.channel_dot(xp, dy, xc)
    dscale = sum_dy_xc * inv
    if is_training:
        # dx = scale * inv * (dy - mean(dy) - xc * mean(dy * xc) * inv**2), built in place in xc
        xc *= lay.expand(xp, sum_dy_xc * inv * inv / n)
        xc += lay.expand(xp, sum_dy / n)
        dx = xp.subtract(dy, xc, out=xc)
        dx *= lay.expand(xp, scale * inv)
        r3, r4 = xp.zeros((0,), u), xp.zeros((0,), u)
    else:
        dx = dy * lay.expand(xp, scale * inv)
        r3, r4 = xp.zeros((lay.c,), u), xp.zeros((lay.c,), u)
    return dx.astype(y_backprop.dtype, copy=False).reshape(x.shape), dscale, sum_dy, r3, r4


def _batch_norm_grad_composite(grad_y, x, scale, pop_mean, pop_var, epsilon, data_format, is_training):
    """FusedBatchNormGrad's outputs (dx, dscale, doffset) from ordinary ops, so that they can be
    differentiated again (TF's _BatchNormGrad). In training the statistics are recomputed from x."""
    if data_format == "NHWC":
        reduce_axis, keepdims = [0, 1, 2], False
    else:
        reduce_axis, keepdims = [0, 2, 3], True
    if is_training:
        if data_format == "NCHW":
            scale = array_ops.reshape(scale, [1, -1, 1, 1])
        mean_grad_y = math_ops.reduce_mean(grad_y, reduce_axis, keepdims=keepdims)
        mean_x = math_ops.reduce_mean(x, reduce_axis, keepdims=keepdims)
        var_x = math_ops.reduce_mean(math_ops.squared_difference(x, array_ops.stop_gradient(mean_x)), reduce_axis,
                                     keepdims=keepdims)
        grad_y_offset = grad_y - mean_grad_y
        x_offset = x - mean_x
        mean = math_ops.reduce_mean(grad_y * x_offset, axis=reduce_axis, keepdims=keepdims)
        grad_x = scale * math_ops.rsqrt(var_x + epsilon) * (
            grad_y_offset - math_ops.reciprocal(var_x + epsilon) * mean * x_offset)
        grad_scale = math_ops.rsqrt(var_x + epsilon) * math_ops.reduce_sum(grad_y * x_offset, axis=reduce_axis,
                                                                           keepdims=keepdims)
        if data_format == "NCHW":
            grad_scale = array_ops.reshape(grad_scale, [-1])
        grad_offset = math_ops.reduce_sum(grad_y, axis=reduce_axis)
        return grad_x, grad_scale, grad_offset
    if data_format == "NCHW":
        pop_mean = array_ops.reshape(pop_mean, [1, -1, 1, 1])
        pop_var = array_ops.reshape(pop_var, [1, -1, 1, 1])
        scale = array_ops.reshape(scale, [1, -1, 1, 1])
    grad_offset = math_ops.reduce_sum(grad_y, axis=reduce_axis)
    var_rsqrt = math_ops.rsqrt(pop_var + epsilon)
    grad_scale = math_ops.reduce_sum(grad_y * (x - pop_mean) * var_rsqrt, axis=reduce_axis)
    grad_x = grad_y * scale * var_rsqrt
    return grad_x, grad_scale, grad_offset


def _fused_batch_norm_grad_grad(op, grad_grad_x, grad_grad_scale, grad_grad_offset, *_unused):
    """TF's second-order rule: differentiate the composite form of the first-order gradient with
    respect to y_backprop, x and scale; the reserve spaces get none."""
    from ..gradients import gradients
    grad_y, x, scale, pop_mean, pop_var = op.inputs
    grads = _batch_norm_grad_composite(grad_y, x, scale, pop_mean, pop_var, op.get_attr("epsilon"),
                                       op.get_attr("data_format"), op.get_attr("is_training"))
    dgrad_y, dx, dscale = gradients(list(grads), [grad_y, x, scale],
                                    grad_ys=[grad_grad_x, grad_grad_scale, grad_grad_offset])
    return [dgrad_y, dx, dscale, None, None]


register_op("FusedBatchNormGrad", infer=_fused_batch_norm_grad_infer, kernel=_fused_batch_norm_grad_kernel,
            grad=_fused_batch_norm_grad_grad)


def _fused_batch_norm_grad_op(y_backprop, x, scale, reserve_space_1, reserve_space_2, epsilon=0.0001,
                              data_format="NHWC", is_training=True, name=None):
    """The backward pass of FusedBatchNorm as an op: [dx, dscale, doffset, reserve_space_3, reserve_space_4]."""
    return make_op("FusedBatchNormGrad", [y_backprop, x, scale, reserve_space_1, reserve_space_2],
                   {"T": y_backprop.dtype.base_dtype, "U": scale.dtype.base_dtype, "epsilon": float(epsilon),
                    "data_format": data_format, "is_training": bool(is_training)}, name=name)


# =========================================================================== l2_normalize (composite)
def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """x / sqrt(max(sum(x**2, axis), epsilon)): unit L2 norm along `axis` (an int or a list; None = all).

    >>> tf.nn.l2_normalize([3., 4.], 0)   # [0.6, 0.8]
    """
    axis = _deprecated_argument_lookup("axis", axis, "dim", dim)
    with name_scope(name, "l2_normalize", [x]) as name:
        x = convert_to_tensor(x, name="x")
        square_sum = math_ops.reduce_sum(math_ops.square(x), axis, keepdims=True)
        x_inv_norm = math_ops.rsqrt(math_ops.maximum(square_sum, epsilon))
        return math_ops.multiply(x, x_inv_norm, name=name)


# =========================================================================== activations and losses (composites)
def relu_layer(x, weights, biases, name=None):
    """relu(matmul(x, weights) + biases), as TF builds it: MatMul, BiasAdd, and a Relu named 'relu_layer'."""
    from .nn_ops import bias_add, relu
    with name_scope(name, "relu_layer", [x, weights, biases]) as scope:
        x = convert_to_tensor(x, name="x")
        weights = convert_to_tensor(weights, name="weights")
        biases = convert_to_tensor(biases, name="biases")
        return relu(bias_add(math_ops.matmul(x, weights), biases), name=scope)


def swish(features, beta=1.0):
    """features * sigmoid(beta * features) (SiLU, for beta = 1), elementwise; no name scope, as TF's.

    >>> tf.nn.swish(tf.constant([0.0, 2.0]))   # [0, 1.7616]
    """
    features = convert_to_tensor(features, name="features")
    beta = math_ops.cast(convert_to_tensor(beta, name="beta"), features.dtype.base_dtype)
    return features * math_ops.sigmoid(beta * features)


def weighted_cross_entropy_with_logits(labels=None, logits=None, pos_weight=None, name=None, targets=None):
    """The logistic loss of `logits` against `labels` (TF1's `targets`) with the positive term weighted by
    `pos_weight`: (1 - z) x + (1 + (q - 1) z) (log(1 + exp(-|x|)) + max(-x, 0)), which never overflows.

    >>> tf.nn.weighted_cross_entropy_with_logits(labels=[1.0], logits=[0.0], pos_weight=2.0)   # [2 log 2]
    """
    from .nn_ops import relu
    labels = _deprecated_argument_lookup("labels", labels, "targets", targets)
    with name_scope(name, "logistic_loss", [logits, labels]) as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = convert_to_tensor(labels, name="labels")
        if not labels.shape.is_compatible_with(logits.shape):
            raise ValueError("`logits` and `labels` must have the same shape, received (%s vs %s)."
                             % (logits.shape, labels.shape))
        log_weight = 1 + (pos_weight - 1) * labels
        return math_ops.add((1 - labels) * logits,
                            log_weight * (math_ops.log1p(math_ops.exp(-math_ops.abs(logits))) + relu(-logits)),
                            name=scope)


def _count_nonzero(value, dtype):
    with name_scope("count_nonzero", values=[value]):
        zero = array_ops.zeros([], dtype=value.dtype.base_dtype)
        return math_ops.reduce_sum(math_ops.cast(math_ops.not_equal(value, zero), dtype=dtype),
                                   name="nonzero_count")


def zero_fraction(value, name=None):
    """The fraction of entries of `value` that are zero, as a float32 scalar (nan for an empty tensor); built as
    TF builds it, counting in int32 (a cond on the size) where the count fits.

    >>> tf.nn.zero_fraction(tf.nn.relu(x))   # the sparsity of a ReLU layer, for a summary
    """
    from .control_flow_ops import cond
    with name_scope(name, "zero_fraction", [value]):
        value = convert_to_tensor(value, name="value")
        size = array_ops.size(value, out_type=dtypes.int64)
        num_nonzero = cond(size <= dtypes.int32.max,
                           true_fn=lambda: math_ops.cast(_count_nonzero(value, dtype=dtypes.int32), dtype=dtypes.int64),
                           false_fn=lambda: _count_nonzero(value, dtype=dtypes.int64))
        with name_scope("counts_to_fraction"):
            num_zero = size - num_nonzero
            fraction = math_ops.cast(num_zero, dtype=dtypes.float32) / math_ops.cast(size, dtype=dtypes.float32)
        return array_ops.identity(fraction, "fraction")


# =========================================================================== sampled losses (nce, sampled softmax)
def _sum_rows(x):
    """The sum of each row of matrix `x`, as TF builds it: a MatMul by a column of ones (whose gradient is
    cheaper than reduce_sum's), reshaped to a vector."""
    cols = array_ops.shape(x)[1]
    ones = array_ops.ones(array_ops.stack([cols, 1]), x.dtype.base_dtype)
    return array_ops.reshape(math_ops.matmul(x, ones), [-1])


def _compute_sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1,
                            sampled_values=None, subtract_log_q=True, remove_accidental_hits=False,
                            partition_strategy="mod", name=None, seed=None):
    """The logits of each example's true classes and of the batch's sampled classes, and their labels, as TF
    1.x's nn_impl builds them: ([batch, num_true + num_sampled] logits, labels 1/num_true for the true
    columns and 0 for the sampled ones).

    The class rows of `weights` (one tensor [num_classes, dim] or a list of partitions, `partition_strategy`
    as in embedding_lookup) and `biases` are looked up for the true and sampled ids together; with
    `remove_accidental_hits` a sampled class that is also a true class of a row gets -FLT_MAX added to its
    logit there; with `subtract_log_q` each logit loses log Q(class), the log of its expected count.
    `sampled_values` is a candidate sampler's (sampled, true_expected_count, sampled_expected_count);
    None samples log-uniformly without replacement.
    """
    from . import candidate_sampling_ops, embedding_ops, sparse_ops
    if not isinstance(weights, (list, tuple)):
        weights = [weights]
    weights = list(weights)
    with name_scope(name, "compute_sampled_logits", weights + [biases, inputs, labels]):
        labels = convert_to_tensor(labels, name="labels")
        inputs = convert_to_tensor(inputs, name="inputs")
        if labels.dtype.base_dtype != dtypes.int64:
            labels = math_ops.cast(labels, dtypes.int64)
        labels_flat = array_ops.reshape(labels, [-1])
        if sampled_values is None:
            sampled_values = candidate_sampling_ops.log_uniform_candidate_sampler(
                true_classes=labels, num_true=num_true, num_sampled=num_sampled, unique=True,
                range_max=num_classes, seed=seed)
        sampled, true_expected_count, sampled_expected_count = (array_ops.stop_gradient(s) for s in sampled_values)
        sampled = math_ops.cast(sampled, dtypes.int64)
        all_ids = array_ops.concat([labels_flat, sampled], 0)
        # the true and the sampled classes' weight rows: [batch * num_true + num_sampled, dim]
        all_w = embedding_ops.embedding_lookup(weights, all_ids, partition_strategy=partition_strategy)
        if all_w.dtype.base_dtype != inputs.dtype.base_dtype:
            all_w = math_ops.cast(all_w, inputs.dtype.base_dtype)
        true_w = array_ops.slice(all_w, [0, 0], array_ops.stack([array_ops.shape(labels_flat)[0], -1]))
        sampled_w = array_ops.slice(all_w, array_ops.stack([array_ops.shape(labels_flat)[0], 0]), [-1, -1])
        sampled_logits = math_ops.matmul(inputs, sampled_w, transpose_b=True)  # [batch, num_sampled]
        all_b = embedding_ops.embedding_lookup(biases, all_ids, partition_strategy=partition_strategy)
        if all_b.dtype.base_dtype != inputs.dtype.base_dtype:
            all_b = math_ops.cast(all_b, inputs.dtype.base_dtype)
        true_b = array_ops.slice(all_b, [0], array_ops.shape(labels_flat))
        sampled_b = array_ops.slice(all_b, array_ops.shape(labels_flat), [-1])
        # each example's dot products with its own true classes' rows: [batch, num_true]
        dim = array_ops.shape(true_w)[1:2]
        new_true_w_shape = array_ops.concat([[-1, num_true], dim], 0)
        row_wise_dots = math_ops.multiply(array_ops.expand_dims(inputs, 1),
                                          array_ops.reshape(true_w, new_true_w_shape))
        dots_as_matrix = array_ops.reshape(row_wise_dots, array_ops.concat([[-1], dim], 0))
        true_logits = array_ops.reshape(_sum_rows(dots_as_matrix), [-1, num_true])
        true_b = array_ops.reshape(true_b, [-1, num_true])
        true_logits += true_b
        sampled_logits += sampled_b
        if remove_accidental_hits:
            acc_indices, acc_ids, acc_weights = candidate_sampling_ops.compute_accidental_hits(
                labels, sampled, num_true=num_true)
            acc_indices_2d = array_ops.reshape(acc_indices, [-1, 1])
            acc_ids_2d_int32 = array_ops.reshape(math_ops.cast(acc_ids, dtypes.int32), [-1, 1])
            sparse_indices = array_ops.concat([acc_indices_2d, acc_ids_2d_int32], 1, "sparse_indices")
            sampled_logits_shape = array_ops.concat(
                [array_ops.shape(labels)[:1], array_ops.expand_dims(num_sampled, 0)], 0)
            if sampled_logits.dtype.base_dtype != acc_weights.dtype.base_dtype:
                acc_weights = math_ops.cast(acc_weights, sampled_logits.dtype.base_dtype)
            sampled_logits += sparse_ops.sparse_to_dense(sparse_indices, sampled_logits_shape, acc_weights,
                                                         default_value=0.0, validate_indices=False)
        if subtract_log_q:  # the logits of log(P / Q): subtract each class's log expected count
            true_logits -= math_ops.log(true_expected_count)
            sampled_logits -= math_ops.log(sampled_expected_count)
        out_logits = array_ops.concat([true_logits, sampled_logits], 1)
        # the true columns share one unit of probability
        out_labels = array_ops.concat([array_ops.ones_like(true_logits) / num_true,
                                       array_ops.zeros_like(sampled_logits)], 1)
        return out_logits, out_labels


def nce_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1, sampled_values=None,
             remove_accidental_hits=False, partition_strategy="mod", name="nce_loss"):
    """The noise-contrastive estimation loss of each example: a [batch_size] vector.

    weights: [num_classes, dim] (or a list of row partitions); biases: [num_classes]; labels: int64
    [batch_size, num_true]; inputs: [batch_size, dim]. Each example scores its true classes and
    `num_sampled` classes drawn for the whole batch (log-uniformly unless `sampled_values` is given), and
    the loss is the sigmoid cross-entropy of telling them apart (true: label 1/num_true, sampled: 0),
    summed per example. For training only; evaluate with the full softmax or sigmoid.

    >>> loss = tf.reduce_mean(tf.nn.nce_loss(nce_w, nce_b, labels, embed, num_sampled=64, num_classes=50000))
    """
    from .nn_ops import sigmoid_cross_entropy_with_logits
    logits, labels = _compute_sampled_logits(
        weights=weights, biases=biases, labels=labels, inputs=inputs, num_sampled=num_sampled,
        num_classes=num_classes, num_true=num_true, sampled_values=sampled_values, subtract_log_q=True,
        remove_accidental_hits=remove_accidental_hits, partition_strategy=partition_strategy, name=name)
    sampled_losses = sigmoid_cross_entropy_with_logits(labels=labels, logits=logits, name="sampled_losses")
    return _sum_rows(sampled_losses)  # each example's true and sampled losses together


def sampled_softmax_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1,
                         sampled_values=None, remove_accidental_hits=True, partition_strategy="mod",
                         name="sampled_softmax_loss", seed=None):
    """The sampled softmax loss of each example: a [batch_size] vector, the softmax cross-entropy over
    the example's true classes and `num_sampled` classes drawn for the batch (log-uniformly unless
    `sampled_values` is given), each logit corrected by -log Q(class); sampled classes that are true
    classes of a row are left out there (`remove_accidental_hits`). Arguments as `nce_loss`.

    >>> loss = tf.reduce_mean(tf.nn.sampled_softmax_loss(w, b, labels, outputs, 512, vocab_size))
    """
    from .nn_ops import softmax_cross_entropy_with_logits_v2
    logits, labels = _compute_sampled_logits(
        weights=weights, biases=biases, labels=labels, inputs=inputs, num_sampled=num_sampled,
        num_classes=num_classes, num_true=num_true, sampled_values=sampled_values, subtract_log_q=True,
        remove_accidental_hits=remove_accidental_hits, partition_strategy=partition_strategy, name=name, seed=seed)
    labels = array_ops.stop_gradient(labels, name="labels_stop_gradient")
    return softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)


__all__ += ["nce_loss", "sampled_softmax_loss"]
