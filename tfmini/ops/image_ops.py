"""Image ops and TF 1.x's tf.image functions: resizing, flips, crops and pads, colour and value adjustments, PNG/JPEG.

The resize kernels follow TensorFlow's CPU kernels (core/kernels/image/resize_*_op.cc) step by step in float32, so
their values agree with TF's to float32 precision: the source coordinate of an output pixel is `x * scale`
(legacy) or `(x + 0.5) * scale - 0.5` (half_pixel_centers), with `scale = in / out`, or `(in - 1) / (out - 1)` when
align_corners. Bilinear and bicubic forward passes gather their taps; area resizing and every gradient apply a small
per-axis weight matrix (one GEMM per axis, no scatter). The Python functions follow TF 1.15's
python/ops/image_ops_impl.py: the same ops, names and build-time ValueErrors.
"""
import numpy as np

from ..framework import dtypes, errors
from ..framework.op_def_library import check_allowed, convert_one, make_op
from ..framework.op_registry import NO_GRADIENT, NOT_DIFFERENTIABLE, InferenceError, register_op
from ..framework.op_registry import debug_string as _dbg  # a run-time shape as TF prints it: [2,3]
from ..framework.ops import Tensor, convert_to_tensor, name_scope
from ..framework.tensor_shape import TensorShape
from .constant_op import constant_shape, constant_value
from .shape_util import with_rank as _with_rank
from .shape_util import with_rank_at_least as _with_rank_at_least

__all__ = [
    "ResizeMethod", "adjust_brightness", "adjust_contrast", "adjust_gamma", "adjust_hue", "adjust_saturation",
    "central_crop", "convert_image_dtype", "crop_to_bounding_box", "decode_image", "decode_jpeg", "decode_png",
    "encode_png", "flip_left_right", "flip_up_down", "grayscale_to_rgb", "hsv_to_rgb", "image_gradients",
    "pad_to_bounding_box", "per_image_standardization", "random_brightness", "random_contrast",
    "random_flip_left_right", "random_flip_up_down", "random_hue", "random_saturation", "resize", "resize_area",
    "resize_bicubic", "resize_bilinear", "resize_image_with_crop_or_pad", "resize_image_with_pad", "resize_images",
    "resize_nearest_neighbor", "resize_with_crop_or_pad", "rgb_to_grayscale", "rgb_to_hsv", "rot90",
    "total_variation", "transpose", "transpose_image",
]

# TF 1.15's `T` lists of the resize ops (TF's bfloat16 aside: tfmini has no bfloat16)
_RESIZE_TYPES = (dtypes.int8, dtypes.uint8, dtypes.int16, dtypes.uint16, dtypes.int32, dtypes.int64,
                 dtypes.float16, dtypes.float32, dtypes.float64)
_BILINEAR_GRAD_TYPES = (dtypes.float32, dtypes.float16, dtypes.float64)
_NEAREST_GRAD_TYPES = (dtypes.uint8, dtypes.int8, dtypes.int32, dtypes.float16, dtypes.float32, dtypes.float64)
_BICUBIC_GRAD_TYPES = (dtypes.float32, dtypes.float64)


def _invalid(message):
    """The error a kernel raises for bad runtime input; the executor adds the op and the user's line."""
    return errors.InvalidArgumentError(None, None, message)


def _math_ops():
    from . import math_ops  # math_ops imports array ops; import on use keeps module loading one-way
    return math_ops


def _array_ops():
    from . import array_ops
    return array_ops


# =========================================================================== resize: sampling helpers
# One axis at a time: `in_size` source pixels, `out_size` output pixels. The weights are computed in float32 with
# TF's operation order (its CalculateResizeScale, LegacyScaler and HalfPixelScaler).
def _resize_scale(xp, in_size, out_size, align_corners):
    # a single source pixel keeps in / out (TF 1.15's scale 0 made area resizing 0 * inf; TF 2 fixed that)
    if align_corners and in_size > 1 and out_size > 1:
        return xp.float32(in_size - 1) / xp.float32(out_size - 1)
    return xp.float32(in_size) / xp.float32(out_size)


def _source_coords(xp, out_size, scale, half_pixel_centers):
    i = xp.arange(out_size, dtype=xp.float32)
    return (i + xp.float32(0.5)) * scale - xp.float32(0.5) if half_pixel_centers else i * scale


def _linear_taps(xp, in_size, out_size, scale, half_pixel_centers):
    """Bilinear: (lower index, upper index, lerp) per output pixel, as TF's compute_interpolation_weights."""
    src = _source_coords(xp, out_size, scale, half_pixel_centers)
    f = xp.floor(src)
    lower = xp.maximum(f, 0).astype(xp.int64)
    upper = xp.minimum(xp.ceil(src), in_size - 1).astype(xp.int64)
    return lower, upper, src - f


def _nearest_index(xp, in_size, out_size, scale, align_corners, half_pixel_centers):
    """Nearest neighbour: the source index of each output pixel (roundf when align_corners, else floorf)."""
    i = xp.arange(out_size, dtype=xp.float32)
    src = (i + xp.float32(0.5)) * scale if half_pixel_centers else i * scale
    # roundf rounds halves away from zero; src >= 0, and in float64 `src + 0.5` is exact
    idx = xp.floor(src.astype(xp.float64) + 0.5) if align_corners else xp.floor(src)
    idx = xp.minimum(idx, in_size - 1)
    if half_pixel_centers:
        idx = xp.maximum(idx, 0)
    return idx.astype(xp.int64)


_CUBIC_TABLE_SIZE = 1024


def _cubic_table(xp, a):
    """TF's coefficient table: the cubic kernel sampled at 1025 points of [0, 1] (computed in double, kept in float)."""
    x = (xp.arange(_CUBIC_TABLE_SIZE + 1, dtype=xp.float64) / _CUBIC_TABLE_SIZE).astype(xp.float32).astype(xp.float64)
    near = (((a + 2) * x - (a + 3)) * x * x + 1).astype(xp.float32)
    x1 = (x + 1.0).astype(xp.float32).astype(xp.float64)
    far = (((a * x1 - 5 * a) * x1 + 8 * a) * x1 - 4 * a).astype(xp.float32)
    return near, far


def _cubic_taps(xp, in_size, out_size, scale, half_pixel_centers):
    """Bicubic: four (index, weight) pairs per output pixel, as TF's GetWeightsAndIndices.

    Legacy mode (Keys' a = -0.75) clamps the taps at the border; half_pixel_centers (a = -0.5) gives outside taps
    no weight and renormalizes the rest."""
    near, far = _cubic_table(xp, -0.5 if half_pixel_centers else -0.75)
    src = _source_coords(xp, out_size, scale, half_pixel_centers)
    loc = xp.floor(src)
    offset = xp.rint((src - loc) * xp.float32(_CUBIC_TABLE_SIZE)).astype(xp.int64)  # lrintf: halves to even
    loc = loc.astype(xp.int64)
    weights = [far[offset], near[offset], near[_CUBIC_TABLE_SIZE - offset], far[_CUBIC_TABLE_SIZE - offset]]
    indices = [xp.clip(loc + k - 1, 0, in_size - 1) for k in range(4)]
    if half_pixel_centers:
        weights = [xp.where(idx == loc + k - 1, w, xp.float32(0)) for k, (idx, w) in enumerate(zip(indices, weights))]
        total = weights[0] + weights[1] + weights[2] + weights[3]
        ok = xp.abs(total) >= xp.float32(1000 * np.finfo(np.float32).tiny)
        inv = xp.float32(1) / xp.where(ok, total, xp.float32(1))
        weights = [xp.where(ok, w * inv, w) for w in weights]
    return indices, weights


def _area_matrix(xp, in_size, out_size, scale):
    """Area: [out_size, in_size] weights, the part of each source cell that an output cell covers (in source units),
    as TF's ResizeAreaOp (cells past the border count as the border cell)."""
    o = xp.arange(out_size, dtype=xp.float32)
    lo, hi = o * scale, (o + 1) * scale
    start, end = xp.floor(lo), xp.ceil(hi)
    span = int((end - start).max())
    cells = start[:, None] + xp.arange(span, dtype=xp.float32)[None, :]
    lo, hi = lo[:, None], hi[:, None]
    w = xp.where(cells < lo, xp.where(cells + 1 > hi, scale, cells + 1 - lo),
                 xp.where(cells + 1 > hi, hi - cells, xp.float32(1)))
    w = xp.where(cells < end[:, None], w, xp.float32(0)).astype(xp.float32)
    idx = xp.clip(cells, 0, in_size - 1).astype(xp.int64)
    return _tap_matrix(xp, in_size, list(idx.T), list(w.T), xp.float32)


def _tap_matrix(xp, in_size, indices, weights, dtype):
    """[out_size, in_size] weights from per-output taps (a list of index arrays and one of weight arrays, one pair
    per tap): entry (o, i) sums the weights of o's taps at index i (taps clamped to the border add up)."""
    rows = xp.arange(indices[0].shape[0])
    m = xp.zeros((indices[0].shape[0], in_size), dtype=dtype)
    for idx, w in zip(indices, weights):  # one pass per tap (each row once per pass: no scatter collisions)
        m[rows, idx] += w.astype(dtype, copy=False)
    return m


def _separable(xp, x, mh, mw):
    """out[b, o, p, c] = sum_{h, w} mh[o, h] mw[p, w] x[b, h, w, c]: along the width, then the height.

    x: [B, H, W, C]; mh: [O, H]; mw: [P, W]. Laid out as [H, B, C, W] (one copy in, one out), each step is one
    large matrix multiply."""
    b, h, w, c = x.shape
    o, p = mh.shape[0], mw.shape[0]
    t = xp.ascontiguousarray(x.transpose(1, 0, 3, 2)).reshape(h * b * c, w) @ mw.T.astype(x.dtype, copy=False)
    t = mh.astype(x.dtype, copy=False) @ t.reshape(h, b * c * p)
    return xp.ascontiguousarray(t.reshape(o, b, c, p).transpose(1, 0, 3, 2))


# =========================================================================== resize: checks, shape rule
def _check_resize(images, size, align_corners, half_pixel_centers):
    """TF's ImageResizerState::ValidateAndCalculateOutputSize; returns (out_height, out_width)."""
    if half_pixel_centers and align_corners:
        raise _invalid("If half_pixel_centers is True, align_corners must be False.")
    if images.ndim != 4:
        raise _invalid("input must be 4-dimensional%s" % _dbg(images.shape))
    if images.shape[3] <= 0:
        raise _invalid("image must have at least one channel")
    if images.shape[1] <= 0 or images.shape[2] <= 0:
        raise _invalid("input image must be of non-zero size")
    if size.ndim != 1:
        raise _invalid("shape_t must be 1-dimensional%s" % _dbg(size.shape))
    if size.size != 2:
        raise _invalid("shape_t must have two elements%s" % _dbg(size.shape))
    out_h, out_w = (int(v) for v in size.tolist())
    if out_h <= 0 or out_w <= 0:
        raise _invalid("output dimensions must be positive")
    return out_h, out_w


def _size_dims(size):
    """TF's SetOutputToSizedImage: `size` is [2]; its values, when known at build time, are the new height/width."""
    s = _with_rank(size.shape, 1)
    n = s.as_tuple()[0]
    if n is not None and n != 2:
        raise InferenceError("Dimension must be 2 but is %d" % n)
    v = constant_value(size)
    if v is None:
        return None, None
    return tuple(int(d) if d >= 0 else None for d in np.reshape(v, -1).tolist())


def _resize_shape(images, size):
    s = _with_rank(images.shape, 4).as_tuple()
    h, w = _size_dims(size)
    return TensorShape([s[0], h, w, s[3]])


def _resize_float_infer(images, size, **_):
    return dtypes.float32, _resize_shape(images, size)


def _resize_same_infer(images, size, **_):
    return images.dtype.base_dtype, _resize_shape(images, size)


def _resize_op(op_type, images, size, name, align_corners, half_pixel_centers=None):
    """Build one resize op: images [B, H, W, C] of `_RESIZE_TYPES`, size an int32 [2]."""
    with name_scope(name, op_type, [images, size]) as scope:
        x = convert_one(op_type, "images", images, allowed=_RESIZE_TYPES)
        s = convert_one(op_type, "size", size, dtype=dtypes.int32)
        attrs = {"T": x.dtype.base_dtype, "align_corners": bool(align_corners)}
        if half_pixel_centers is not None:
            attrs["half_pixel_centers"] = bool(half_pixel_centers)
        return make_op(op_type, [x, s], attrs, name=scope)


# =========================================================================== ResizeBilinear
def _resize_bilinear_kernel(xp, images, size, *, align_corners=False, half_pixel_centers=False, **_):
    out_h, out_w = _check_resize(images, size, align_corners, half_pixel_centers)
    x = images.astype(xp.float32, copy=False)
    _, in_h, in_w, _ = x.shape
    top, bottom, y_lerp = _linear_taps(xp, in_h, out_h, _resize_scale(xp, in_h, out_h, align_corners),
                                       half_pixel_centers)
    left, right, x_lerp = _linear_taps(xp, in_w, out_w, _resize_scale(xp, in_w, out_w, align_corners),
                                       half_pixel_centers)
    # TF's order: across (top and bottom rows), then down; lerping every source row across first is the same
    # arithmetic with half the gathers
    x_lerp = x_lerp[:, None]
    lft, rgt = xp.take(x, left, axis=2), xp.take(x, right, axis=2)
    across = lft + (rgt - lft) * x_lerp
    t, b = xp.take(across, top, axis=1), xp.take(across, bottom, axis=1)
    return t + (b - t) * y_lerp[:, None, None]


def _resize_bilinear_grad(op, grad):
    return [resize_bilinear_grad(grad, op.inputs[0], align_corners=op.get_attr("align_corners"),
                                 half_pixel_centers=op.get_attr("half_pixel_centers")), None]


register_op("ResizeBilinear", infer=_resize_float_infer, kernel=_resize_bilinear_kernel, grad=_resize_bilinear_grad)


def resize_bilinear(images, size, align_corners=False, name=None, half_pixel_centers=False):
    """Resize `images` [batch, height, width, channels] to `size` = [new_height, new_width] by bilinear
    interpolation; the result is float32 [batch, new_height, new_width, channels] whatever the input type.

    align_corners: the corner pixels of input and output line up (scale (in - 1) / (out - 1));
    half_pixel_centers: pixel centres at +0.5 (the corrected sampling; TF 1.x's default is False for both).

    >>> tf.image.resize_bilinear(tf.zeros([1, 4, 6, 3]), [8, 9]).shape
    TensorShape([Dimension(1), Dimension(8), Dimension(9), Dimension(3)])
    """
    return _resize_op("ResizeBilinear", images, size, name, align_corners, half_pixel_centers)


# =========================================================================== ResizeBilinearGrad
def _bilinear_grad_infer(grads, original_image, **_):
    _with_rank(grads.shape, 4)
    return original_image.dtype.base_dtype, original_image.shape


def _check_resize_grad(grads, original, align_corners, half_pixel_centers, xp):
    """TF's ImageResizerGradientState checks."""
    if half_pixel_centers and align_corners:
        raise _invalid("If half_pixel_centers is True, align_corners must be False.")
    if grads.ndim != 4:
        raise _invalid("input_grad must be 4-dimensional%s" % _dbg(grads.shape))
    if grads.shape[1] <= 0 or grads.shape[2] <= 0:
        raise _invalid("resized dimensions must be positive")
    if original.ndim != 4:
        raise _invalid("original_image must be 4-dimensional%s" % _dbg(original.shape))
    if original.shape[1] <= 0 or original.shape[2] <= 0:
        raise _invalid("original dimensions must be positive")


def _resize_bilinear_grad_kernel(xp, grads, original_image, *, align_corners=False, half_pixel_centers=False, **_):
    _check_resize_grad(grads, original_image, align_corners, half_pixel_centers, xp)
    _, out_h, out_w, _ = grads.shape
    _, in_h, in_w, _ = original_image.shape
    mats = []
    for in_size, out_size in ((in_h, out_h), (in_w, out_w)):
        lo, hi, lerp = _linear_taps(xp, in_size, out_size, _resize_scale(xp, in_size, out_size, align_corners),
                                    half_pixel_centers)
        mats.append(_tap_matrix(xp, in_size, [lo, hi], [xp.float32(1) - lerp, lerp], xp.float32))
    g = _separable(xp, grads.astype(xp.float32, copy=False), mats[0].T, mats[1].T)
    return g.astype(original_image.dtype, copy=False)


register_op("ResizeBilinearGrad", infer=_bilinear_grad_infer, kernel=_resize_bilinear_grad_kernel,
            grad=NOT_DIFFERENTIABLE)


def resize_bilinear_grad(grads, original_image, align_corners=False, half_pixel_centers=False, name=None):
    """The gradient of ResizeBilinear: `grads` [B, h, w, C] (float32) spread back onto `original_image`'s
    [B, H, W, C] grid, in `original_image`'s dtype (float16/32/64)."""
    with name_scope(name, "ResizeBilinearGrad", [grads, original_image]) as scope:
        g = convert_one("ResizeBilinearGrad", "grads", grads, dtype=dtypes.float32)
        orig = convert_one("ResizeBilinearGrad", "original_image", original_image, allowed=_BILINEAR_GRAD_TYPES)
        attrs = {"T": orig.dtype.base_dtype, "align_corners": bool(align_corners),
                 "half_pixel_centers": bool(half_pixel_centers)}
        return make_op("ResizeBilinearGrad", [g, orig], attrs, name=scope)


# =========================================================================== ResizeNearestNeighbor
def _resize_nearest_kernel(xp, images, size, *, align_corners=False, half_pixel_centers=False, **_):
    out_h, out_w = _check_resize(images, size, align_corners, half_pixel_centers)
    _, in_h, in_w, _ = images.shape
    rows = _nearest_index(xp, in_h, out_h, _resize_scale(xp, in_h, out_h, align_corners), align_corners,
                          half_pixel_centers)
    cols = _nearest_index(xp, in_w, out_w, _resize_scale(xp, in_w, out_w, align_corners), align_corners,
                          half_pixel_centers)
    return images[:, rows][:, :, cols]


def _resize_nearest_grad(op, grad):
    image = op.inputs[0]
    hw = image.shape[1:3]
    size = hw.as_list() if hw.is_fully_defined() else _array_ops().shape(image)[1:3]
    return [resize_nearest_neighbor_grad(grad, size, align_corners=op.get_attr("align_corners"),
                                         half_pixel_centers=op.get_attr("half_pixel_centers")), None]


register_op("ResizeNearestNeighbor", infer=_resize_same_infer, kernel=_resize_nearest_kernel,
            grad=_resize_nearest_grad)


def resize_nearest_neighbor(images, size, align_corners=False, name=None, half_pixel_centers=False):
    """Resize `images` [batch, height, width, channels] to `size` = [new_height, new_width] by copying the nearest
    source pixel; the result keeps the input's dtype.

    >>> tf.image.resize_nearest_neighbor(tf.zeros([1, 4, 6, 3], tf.uint8), [8, 9]).dtype
    tf.uint8
    """
    return _resize_op("ResizeNearestNeighbor", images, size, name, align_corners, half_pixel_centers)


# =========================================================================== ResizeNearestNeighborGrad
def _nearest_grad_infer(grads, size, **_):
    s = _with_rank(grads.shape, 4).as_tuple()
    h, w = _size_dims(size)
    return grads.dtype.base_dtype, TensorShape([s[0], h, w, s[3]])


def _resize_nearest_grad_kernel(xp, grads, size, *, align_corners=False, half_pixel_centers=False, **_):
    if grads.ndim != 4:
        raise _invalid("input must be 4-dimensional%s" % _dbg(grads.shape))
    if size.ndim != 1:
        raise _invalid("shape_t must be 1-dimensional%s" % _dbg(size.shape))
    if size.size != 2:
        raise _invalid("shape_t must have two elements%s" % _dbg(size.shape))
    out_h, out_w = (int(v) for v in size.tolist())
    if out_h <= 0 or out_w <= 0:
        raise _invalid("shape_t's elements must be positive")
    _, in_h, in_w, _ = grads.shape
    mats = []
    for out_size, in_size in ((out_h, in_h), (out_w, in_w)):  # the forward map: resized pixel -> original pixel
        idx = _nearest_index(xp, out_size, in_size, _resize_scale(xp, out_size, in_size, align_corners),
                             align_corners, half_pixel_centers)
        m = xp.zeros((out_size, in_size), dtype=grads.dtype)
        m[idx, xp.arange(in_size)] = 1
        mats.append(m)
    return _separable(xp, grads, mats[0], mats[1])


register_op("ResizeNearestNeighborGrad", infer=_nearest_grad_infer, kernel=_resize_nearest_grad_kernel,
            grad=NO_GRADIENT)


def resize_nearest_neighbor_grad(grads, size, align_corners=False, half_pixel_centers=False, name=None):
    """The gradient of ResizeNearestNeighbor: each value of `grads` [B, h, w, C] summed into the pixel of the
    original [B, size[0], size[1], C] image it was copied from."""
    with name_scope(name, "ResizeNearestNeighborGrad", [grads, size]) as scope:
        g = convert_one("ResizeNearestNeighborGrad", "grads", grads, allowed=_NEAREST_GRAD_TYPES)
        s = convert_one("ResizeNearestNeighborGrad", "size", size, dtype=dtypes.int32)
        return make_op("ResizeNearestNeighborGrad", [g, s],
                       {"T": g.dtype.base_dtype, "align_corners": bool(align_corners),
                        "half_pixel_centers": bool(half_pixel_centers)}, name=scope)


# =========================================================================== ResizeBicubic
def _resize_bicubic_kernel(xp, images, size, *, align_corners=False, half_pixel_centers=False, **_):
    out_h, out_w = _check_resize(images, size, align_corners, half_pixel_centers)
    x = images.astype(xp.float32, copy=False)
    _, in_h, in_w, _ = x.shape
    ys, yw = _cubic_taps(xp, in_h, out_h, _resize_scale(xp, in_h, out_h, align_corners), half_pixel_centers)
    xs, xw = _cubic_taps(xp, in_w, out_w, _resize_scale(xp, in_w, out_w, align_corners), half_pixel_centers)
    # as TF: interpolate down the columns first (4 rows), then along each row (4 columns), in float32
    rows = _taps_sum(xp, x, ys, [w[:, None, None] for w in yw], axis=1)
    return _taps_sum(xp, rows, xs, [w[:, None] for w in xw], axis=2)


def _taps_sum(xp, x, indices, weights, axis):
    """value_0 * weight_0 + ... + value_3 * weight_3 (TF's Interpolate1D, left to right), the values gathered along
    `axis`."""
    out = xp.take(x, indices[0], axis=axis) * weights[0]
    for idx, w in zip(indices[1:], weights[1:]):
        out += xp.take(x, idx, axis=axis) * w
    return out


def _resize_bicubic_grad(op, grad):
    """TF differentiates bicubic resizing for float32 and float64 images only."""
    if op.inputs[0].dtype.base_dtype not in _BICUBIC_GRAD_TYPES:
        return [None, None]
    return [resize_bicubic_grad(grad, op.inputs[0], align_corners=op.get_attr("align_corners"),
                                half_pixel_centers=op.get_attr("half_pixel_centers")), None]


register_op("ResizeBicubic", infer=_resize_float_infer, kernel=_resize_bicubic_kernel, grad=_resize_bicubic_grad)


def resize_bicubic(images, size, align_corners=False, name=None, half_pixel_centers=False):
    """Resize `images` [batch, height, width, channels] to `size` = [new_height, new_width] by bicubic (Keys)
    interpolation; the result is float32.

    >>> tf.image.resize_bicubic(tf.zeros([1, 4, 6, 3]), [8, 9]).shape
    TensorShape([Dimension(1), Dimension(8), Dimension(9), Dimension(3)])
    """
    return _resize_op("ResizeBicubic", images, size, name, align_corners, half_pixel_centers)


# =========================================================================== ResizeBicubicGrad
def _resize_bicubic_grad_kernel(xp, grads, original_image, *, align_corners=False, half_pixel_centers=False, **_):
    _check_resize_grad(grads, original_image, align_corners, half_pixel_centers, xp)
    _, out_h, out_w, _ = grads.shape
    _, in_h, in_w, _ = original_image.shape
    mats = []
    for in_size, out_size in ((in_h, out_h), (in_w, out_w)):
        idx, w = _cubic_taps(xp, in_size, out_size, _resize_scale(xp, in_size, out_size, align_corners),
                             half_pixel_centers)
        mats.append(_tap_matrix(xp, in_size, idx, w, xp.float32))
    g = _separable(xp, grads.astype(xp.float32, copy=False), mats[0].T, mats[1].T)
    return g.astype(original_image.dtype, copy=False)


register_op("ResizeBicubicGrad", infer=_bilinear_grad_infer, kernel=_resize_bicubic_grad_kernel,
            grad=NO_GRADIENT)


def resize_bicubic_grad(grads, original_image, align_corners=False, half_pixel_centers=False, name=None):
    """The gradient of ResizeBicubic: `grads` [B, h, w, C] (float32) spread back onto `original_image`'s grid."""
    with name_scope(name, "ResizeBicubicGrad", [grads, original_image]) as scope:
        g = convert_one("ResizeBicubicGrad", "grads", grads, dtype=dtypes.float32)
        orig = convert_one("ResizeBicubicGrad", "original_image", original_image, allowed=_BICUBIC_GRAD_TYPES)
        attrs = {"T": orig.dtype.base_dtype, "align_corners": bool(align_corners),
                 "half_pixel_centers": bool(half_pixel_centers)}
        return make_op("ResizeBicubicGrad", [g, orig], attrs, name=scope)


# =========================================================================== ResizeArea
def _resize_area_kernel(xp, images, size, *, align_corners=False, **_):
    out_h, out_w = _check_resize(images, size, align_corners, False)
    x = images.astype(xp.float32, copy=False)
    _, in_h, in_w, _ = x.shape
    hs, ws = _resize_scale(xp, in_h, out_h, align_corners), _resize_scale(xp, in_w, out_w, align_corners)
    out = _separable(xp, x, _area_matrix(xp, in_h, out_h, hs), _area_matrix(xp, in_w, out_w, ws))
    # TF's normalization: 1.0 (double) / (height_scale * width_scale) (float), kept in float
    return out * xp.float32(1.0 / float(hs * ws))


# TF registers no gradient for ResizeArea
register_op("ResizeArea", infer=_resize_float_infer, kernel=_resize_area_kernel, grad=NO_GRADIENT)


def resize_area(images, size, align_corners=False, name=None):
    """Resize `images` [batch, height, width, channels] to `size` = [new_height, new_width] by area averaging
    (each output pixel is the mean of the source area it covers); the result is float32. Not differentiable.

    >>> tf.image.resize_area(tf.zeros([1, 4, 6, 3]), [2, 3]).shape
    TensorShape([Dimension(1), Dimension(2), Dimension(3), Dimension(3)])
    """
    return _resize_op("ResizeArea", images, size, name, align_corners)


# =========================================================================== resize_images (tf.image.resize)
class ResizeMethod:
    """TF 1.x's resize methods (tf.image.ResizeMethod)."""
    BILINEAR = 0
    NEAREST_NEIGHBOR = 1
    BICUBIC = 2
    AREA = 3


_RESIZERS = {ResizeMethod.BILINEAR: resize_bilinear, ResizeMethod.NEAREST_NEIGHBOR: resize_nearest_neighbor,
             ResizeMethod.BICUBIC: resize_bicubic, ResizeMethod.AREA: resize_area}
# TF 2's names for the methods, which TF 1.15's resize_images accepts too
_RESIZERS.update({"bilinear": resize_bilinear, "nearest": resize_nearest_neighbor, "bicubic": resize_bicubic,
                  "area": resize_area})


def resize_images(images, size, method=ResizeMethod.BILINEAR, align_corners=False, preserve_aspect_ratio=False,
                  name=None):
    """Resize `images` ([batch, height, width, channels] or [height, width, channels]) to `size` =
    [new_height, new_width] with `method` (a tf.image.ResizeMethod). Also tf.image.resize.

    The result is float32, except with NEAREST_NEIGHBOR (the input's dtype) and when the size is already
    the image's (TF 1.x then builds no resize op: the input's values, in its dtype). preserve_aspect_ratio:
    scale both sides by the same factor, the largest that fits `size` (always a resize op, as in TF).

    >>> tf.image.resize_images(tf.zeros([4, 6, 3]), [8, 9]).shape
    TensorShape([Dimension(8), Dimension(9), Dimension(3)])
    """
    try:
        resizer = _RESIZERS[method]
    except (KeyError, TypeError):
        resizer = None

    with name_scope(name, "resize", [images, size]):
        images = convert_to_tensor(images, name="images")
        if images.shape.ndims is None:
            raise ValueError("'images' contains no shape.")
        is_batch = images.shape.ndims == 4
        if images.shape.ndims == 3:
            images = _array_ops().expand_dims(images, 0)
        elif not is_batch:
            raise ValueError("'images' must have either 3 or 4 dimensions.")
        _, height, width, _ = images.shape.as_tuple()
        try:
            size = convert_to_tensor(size, dtypes.int32, name="size")
        except (TypeError, ValueError):
            raise ValueError("'size' must be a 1-D int32 Tensor") from None
        if not size.shape.is_compatible_with([2]):
            raise ValueError("'size' must be a 1-D Tensor of 2 elements: new_height, new_width")
        if preserve_aspect_ratio:
            size, static = _aspect_preserving_size(images, size)
            new_height, new_width = static
            # TF's Python sees no constant in the computed size (only its C++ shape inference does): it always resizes
            same = False
        else:
            new_height, new_width = constant_shape(size).as_tuple()
            same = None not in (new_height, new_width, height, width) and (new_height, new_width) == (height, width)
        if same:
            return images if is_batch else _array_ops().squeeze(images, axis=[0])
        if resizer is None:
            raise ValueError("Resize method is not implemented.")
        out = resizer(images, size, align_corners=align_corners)
        out.set_shape([None, new_height, new_width, None])
        return out if is_batch else _array_ops().squeeze(out, axis=[0])


resize = resize_images


def _aspect_preserving_size(images, size):
    """TF's preserve_aspect_ratio: the size scaled by min(new_h / h, new_w / w), rounded, as a new int32 'size';
    and its value where known now (TF's constant folding finds it), else (None, None)."""
    m = _math_ops()
    _, h, w, _ = _image_dimensions(images, 4)
    f32 = dtypes.float32
    factor = m.minimum(m.cast(size[0], f32) / m.cast(h, f32), m.cast(size[1], f32) / m.cast(w, f32))
    new_h = m.cast(m.round(factor * m.cast(h, f32)), dtypes.int32)
    new_w = m.cast(m.round(factor * m.cast(w, f32)), dtypes.int32)
    static = (None, None)
    wanted = constant_value(size)
    if wanted is not None and isinstance(h, int) and isinstance(w, int):  # the same float32 steps, now
        f = min(np.float32(wanted[0]) / np.float32(h), np.float32(wanted[1]) / np.float32(w))
        static = (int(np.rint(f * np.float32(h))), int(np.rint(f * np.float32(w))))
    return convert_to_tensor([new_h, new_w], dtypes.int32, name="size"), static


def _image_dimensions(image, rank):
    """TF's _ImageDimensions: the static dimensions where known, else scalar tensors from tf.shape."""
    if image.shape.is_fully_defined():
        return list(image.shape.as_tuple())
    static = image.shape.with_rank(rank).as_tuple()
    dynamic = _array_ops().unstack(_array_ops().shape(image), rank)
    return [s if s is not None else d for s, d in zip(static, dynamic)]


# =========================================================================== shape checks (TF's _Check* helpers)
def _assert(cond, ex_type, msg):
    """A Python condition raises `ex_type(msg)` now; a tensor one becomes an Assert op (a list of at most one)."""
    if isinstance(cond, Tensor):
        from .control_flow_ops import Assert
        return [Assert(cond, [msg])]
    if not cond:
        raise ex_type(msg)
    return []


def _with_dependencies(deps, t):
    """TF's control_flow_ops.with_dependencies: an Identity of `t` ('control_dependency'), even with no deps."""
    from .control_flow_ops import with_dependencies
    return with_dependencies(deps, t)


def _check_at_least_3d(image, require_static=True):
    """TF's _CheckAtLeast3DImage: rank >= 3 and non-zero inner dimensions, checked now where the shape is known
    (else Assert ops to run with the image)."""
    shape = image.shape
    try:
        s = shape.with_rank(3) if shape.ndims is None else shape.with_rank_at_least(3)
    except ValueError:
        raise ValueError("'image' (shape %s) must be at least three-dimensional." % shape) from None
    if require_static and not s.is_fully_defined():
        raise ValueError("'image' must be fully defined.")
    inner = s[-3:]
    if any(d == 0 for d in inner.as_tuple()):
        raise ValueError("inner 3 dims of 'image.shape' must be > 0: %s" % s)
    if inner.is_fully_defined():
        return []
    a, m = _array_ops(), _math_ops()
    return _assert(m.reduce_all(m.greater(a.shape(image)[-3:], 0)), ValueError,
                   "inner 3 dims of 'image.shape' must be > 0.") + \
        _assert(m.greater_equal(a.rank(image), 3), ValueError, "'image' must be at least three-dimensional.")


def _assert_at_least_3d(image):
    return _with_dependencies(_check_at_least_3d(image, require_static=False), image)


def _fix_flip_shape(image, result):
    """A flipped image keeps the input's static shape (at least [?, ?, ?])."""
    result.set_shape([None, None, None] if image.shape.ndims is None else image.shape)
    return result


def _batched(image):
    """TF's 3-D-or-4-D prologue: (the image as a batch, whether it was one); a 3-D image gains a batch of 1."""
    shape = image.shape
    if shape.ndims == 4:
        return image, True
    if shape.ndims == 3:
        return _array_ops().expand_dims(image, 0), False
    if shape.ndims is None:
        image = _array_ops().expand_dims(image, 0)
        image.set_shape([None] * 4)
        return image, False
    raise ValueError("'image' (shape %s) must have either 3 or 4 dimensions." % shape)


# =========================================================================== flips, transpose, rot90
def _flip(image, flip_index, scope_name):
    with name_scope(None, scope_name, [image]):
        image = _assert_at_least_3d(convert_to_tensor(image, name="image"))
        rank = image.shape.ndims
        reverse = _array_ops().reverse
        if rank is None:
            from .control_flow_ops import cond
            return cond(_math_ops().equal(_array_ops().rank(image), 3),
                        lambda: _fix_flip_shape(image, reverse(image, [flip_index])),
                        lambda: reverse(image, [flip_index + 1]))
        if rank == 3:
            return _fix_flip_shape(image, reverse(image, [flip_index]))
        if rank == 4:
            return reverse(image, [flip_index + 1])
        raise ValueError("'image' (shape %s)must have either 3 or 4 dimensions." % image.shape)  # sic: TF's text


def flip_left_right(image):
    """Mirror `image` ([height, width, channels] or a batch of them) along its width (ReverseV2).

    >>> tf.image.flip_left_right(tf.zeros([4, 6, 3])).shape
    TensorShape([Dimension(4), Dimension(6), Dimension(3)])
    """
    return _flip(image, 1, "flip_left_right")


def flip_up_down(image):
    """Mirror `image` ([height, width, channels] or a batch of them) along its height (ReverseV2)."""
    return _flip(image, 0, "flip_up_down")


def _random_flip(image, flip_index, seed, scope_name):
    """TF's _random_flip: one coin for a 3-D image (a tf.cond), one per image for a batch (a blend by 0/1)."""
    from .random_ops import random_uniform
    a, m = _array_ops(), _math_ops()
    with name_scope(None, scope_name, [image]) as scope:
        image = _assert_at_least_3d(convert_to_tensor(image, name="image"))
        shape = image.shape

        def rank3():
            from .control_flow_ops import cond
            mirror = m.less(random_uniform([], 0, 1.0, seed=seed), .5)
            result = cond(mirror, lambda: a.reverse(image, [flip_index]), lambda: image, name=scope)
            return _fix_flip_shape(image, result)

        def rank4():
            batch_size = a.shape(image)[0]
            flips = m.round(a.reshape(random_uniform([batch_size], 0, 1.0, seed=seed), [batch_size, 1, 1, 1]))
            flips = m.cast(flips, image.dtype)
            result = flips * a.reverse(image, [flip_index + 1]) + (1 - flips) * image
            result.set_shape(image.shape)
            return result

        if shape.ndims is None:
            from .control_flow_ops import cond
            return cond(m.equal(a.rank(image), 3), rank3, rank4)
        if shape.ndims == 3:
            return rank3()
        if shape.ndims == 4:
            return rank4()
        raise ValueError("'image' (shape %s) must have either 3 or 4 dimensions." % shape)


def random_flip_left_right(image, seed=None):
    """`image` mirrored left-right with probability 1/2 (each image of a batch on its own coin).
    `seed` as for tf.random_uniform: with a graph or op seed each new session repeats the same flips."""
    return _random_flip(image, 1, seed, "random_flip_left_right")


def random_flip_up_down(image, seed=None):
    """`image` mirrored upside down with probability 1/2 (each image of a batch on its own coin)."""
    return _random_flip(image, 0, seed, "random_flip_up_down")


def transpose_image(image, name=None):
    """Swap the height and width of `image`: [H, W, C] -> [W, H, C] (or [B, H, W, C] -> [B, W, H, C]).
    Also tf.image.transpose."""
    a = _array_ops()
    with name_scope(name, "transpose", [image]):
        image = _assert_at_least_3d(convert_to_tensor(image, name="image"))
        rank = image.shape.ndims
        if rank is None:
            from .control_flow_ops import cond
            return cond(_math_ops().equal(a.rank(image), 3), lambda: a.transpose(image, [1, 0, 2], name=name),
                        lambda: a.transpose(image, [0, 2, 1, 3], name=name))
        if rank == 3:
            return a.transpose(image, [1, 0, 2], name=name)
        if rank == 4:
            return a.transpose(image, [0, 2, 1, 3], name=name)
        raise ValueError("'image' (shape %s) must have either 3 or 4 dimensions." % image.shape)


transpose = transpose_image


def rot90(image, k=1, name=None):
    """Rotate `image` ([H, W, C] or [B, H, W, C]) counter-clockwise by `k` quarter turns (k a scalar int,
    possibly a tensor; negative turns clockwise).

    >>> tf.image.rot90(tf.zeros([4, 6, 3])).shape
    TensorShape([Dimension(None), Dimension(None), Dimension(3)])
    """
    a, m = _array_ops(), _math_ops()
    with name_scope(name, "rot90", [image, k]) as scope:
        image = _assert_at_least_3d(convert_to_tensor(image, name="image"))
        k = convert_to_tensor(k, dtype=dtypes.int32, name="k")
        k.shape.assert_has_rank(0)
        k = m.mod(k, 4, name="mod")
        rank = image.shape.ndims
        if rank is None:
            from .control_flow_ops import cond
            return cond(m.equal(a.rank(image), 3), lambda: _rot90(image, k, scope, 0),
                        lambda: _rot90(image, k, scope, 1))
        if rank in (3, 4):
            return _rot90(image, k, scope, rank - 3)
        raise ValueError("'image' (shape %s) must have either 3 or 4 dimensions." % image.shape)


def _rot90(image, k, scope, batch):
    """TF's _rot90_3D / _rot90_4D: a tf.case over k in {1, 2, 3}; k = 0 returns the image."""
    from .control_flow_ops import case
    a, m = _array_ops(), _math_ops()
    h, w = batch, batch + 1
    perm = [0, 2, 1, 3] if batch else [1, 0, 2]
    cases = [(m.equal(k, 1), lambda: a.transpose(a.reverse(image, [w]), perm)),
             (m.equal(k, 2), lambda: a.reverse(image, [h, w])),
             (m.equal(k, 3), lambda: a.reverse(a.transpose(image, perm), [w]))]
    result = case(cases, default=lambda: image, exclusive=True, name=scope)
    s = result.shape
    if batch:
        result.set_shape([s[0], None, None, s[3]])
    else:
        result.set_shape([None, None, image.shape[2]])
    return result


# =========================================================================== crops and pads
def central_crop(image, central_fraction):
    """The central `central_fraction` (in (0, 1]) of `image` [H, W, C] or [B, H, W, C] along height and width:
    the border removed is int((size - size * fraction) / 2) on each side (a Slice).

    >>> tf.image.central_crop(tf.zeros([4, 4, 3]), 0.5).shape
    TensorShape([Dimension(2), Dimension(2), Dimension(3)])
    """
    a, m = _array_ops(), _math_ops()
    with name_scope(None, "central_crop", [image]):
        image = convert_to_tensor(image, name="image")
        fraction = constant_value(central_fraction) if isinstance(central_fraction, Tensor) else central_fraction
        if fraction is not None:
            fraction = float(fraction)
            if fraction <= 0.0 or fraction > 1.0:
                raise ValueError("central_fraction must be within (0, 1]")
            if fraction == 1.0:
                return image
        else:
            image = _with_dependencies(_assert(m.logical_or(central_fraction > 0.0, central_fraction <= 1.0),
                                               ValueError, "central_fraction must be within (0, 1]"), image)
        _assert_at_least_3d(image)
        rank = image.shape.ndims
        if rank not in (3, 4):
            raise ValueError(f"`image` should either be a Tensor with rank = 3 or rank = 4. Had rank = {rank}."
                             )
        off = rank - 3
        dims = image.shape.as_tuple()
        starts, sizes, static = [], [], []
        for idx in (off, off + 1):
            size = dims[idx]
            if size is None or fraction is None:
                sz = a.shape(image)[idx] if size is None else size
                fsz = m.cast(sz, dtypes.float64)
                start = m.cast((fsz - fsz * m.cast(central_fraction, dtypes.float64)) / 2, dtypes.int32)
                static.append(None)
            else:
                sz = size
                start = int((float(size) - float(size) * fraction) / 2)
                static.append(size - start * 2)
            starts.append(start)
            sizes.append(sz - start * 2)
        begin = a.stack(([0] if off else []) + starts + [0])
        size = a.stack(([-1] if off else []) + sizes + [-1])
        image = a.slice(image, begin, size)
        image.set_shape(list(dims[:off]) + static + [dims[-1]])
        return image


def pad_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """Zero-pad `image` ([H, W, C] or [B, H, W, C]) to target_height x target_width, with `offset_height` rows
    above and `offset_width` columns to the left (a Pad).

    >>> tf.image.pad_to_bounding_box(tf.zeros([4, 4, 3]), 1, 2, 6, 7).shape
    TensorShape([Dimension(6), Dimension(7), Dimension(3)])
    """
    a = _array_ops()
    with name_scope(None, "pad_to_bounding_box", [image]):
        image, is_batch = _batched(convert_to_tensor(image, name="image"))
        batch, height, width, depth = _image_dimensions(image, 4)
        after_width = target_width - offset_width - width
        after_height = target_height - offset_height - height
        checks = _check_at_least_3d(image, require_static=False)
        checks += _assert(offset_height >= 0, ValueError, "offset_height must be >= 0")
        checks += _assert(offset_width >= 0, ValueError, "offset_width must be >= 0")
        checks += _assert(after_width >= 0, ValueError, "width must be <= target - offset")
        checks += _assert(after_height >= 0, ValueError, "height must be <= target - offset")
        image = _with_dependencies(checks, image)
        paddings = a.reshape(a.stack([0, 0, offset_height, after_height, offset_width, after_width, 0, 0]), [4, 2])
        padded = a.pad(image, paddings)
        padded.set_shape([None if isinstance(d, Tensor) else d for d in (batch, target_height, target_width, depth)])
        return padded if is_batch else a.squeeze(padded, axis=[0])


def crop_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """The target_height x target_width window of `image` ([H, W, C] or [B, H, W, C]) whose top-left pixel is
    (offset_height, offset_width) (a Slice).

    >>> tf.image.crop_to_bounding_box(tf.zeros([4, 6, 3]), 1, 2, 2, 3).shape
    TensorShape([Dimension(2), Dimension(3), Dimension(3)])
    """
    a = _array_ops()
    with name_scope(None, "crop_to_bounding_box", [image]):
        image, is_batch = _batched(convert_to_tensor(image, name="image"))
        checks = _check_at_least_3d(image, require_static=False)
        batch, height, width, depth = _image_dimensions(image, 4)
        checks += _assert(offset_width >= 0, ValueError, "offset_width must be >= 0.")
        checks += _assert(offset_height >= 0, ValueError, "offset_height must be >= 0.")
        checks += _assert(target_width > 0, ValueError, "target_width must be > 0.")
        checks += _assert(target_height > 0, ValueError, "target_height must be > 0.")
        checks += _assert(width >= (target_width + offset_width), ValueError, "width must be >= target + offset.")
        checks += _assert(height >= (target_height + offset_height), ValueError,
                          "height must be >= target + offset.")
        image = _with_dependencies(checks, image)
        cropped = a.slice(image, a.stack([0, offset_height, offset_width, 0]),
                          a.stack([a.shape(image)[0], target_height, target_width, a.shape(image)[3]]))
        cropped.set_shape([None if isinstance(d, Tensor) else d for d in (batch, target_height, target_width, depth)])
        return cropped if is_batch else a.squeeze(cropped, axis=[0])


def resize_image_with_crop_or_pad(image, target_height, target_width):
    """Centre-crop and/or zero-pad `image` ([H, W, C] or [B, H, W, C]) to target_height x target_width.
    Also tf.image.resize_with_crop_or_pad.

    >>> tf.image.resize_image_with_crop_or_pad(tf.zeros([4, 6, 3]), 6, 2).shape
    TensorShape([Dimension(6), Dimension(2), Dimension(3)])
    """
    a, m = _array_ops(), _math_ops()
    with name_scope(None, "resize_image_with_crop_or_pad", [image]):
        image, is_batch = _batched(convert_to_tensor(image, name="image"))
        checks = _check_at_least_3d(image, require_static=False)
        checks += _assert(target_width > 0, ValueError, "target_width must be > 0.")
        checks += _assert(target_height > 0, ValueError, "target_height must be > 0.")
        image = _with_dependencies(checks, image)
        if isinstance(target_height, Tensor):
            target_height = _with_dependencies(checks, target_height)
        if isinstance(target_width, Tensor):
            target_width = _with_dependencies(checks, target_width)

        def max_(x, y):
            return m.maximum(x, y) if isinstance(x, Tensor) or isinstance(y, Tensor) else max(x, y)

        def min_(x, y):
            return m.minimum(x, y) if isinstance(x, Tensor) or isinstance(y, Tensor) else min(x, y)

        _, height, width, _ = _image_dimensions(image, 4)
        width_diff = target_width - width
        height_diff = target_height - height
        cropped = crop_to_bounding_box(image, max_(-height_diff // 2, 0), max_(-width_diff // 2, 0),
                                       min_(target_height, height), min_(target_width, width))
        resized = pad_to_bounding_box(cropped, max_(height_diff // 2, 0), max_(width_diff // 2, 0),
                                      target_height, target_width)
        if resized.shape.ndims is None:
            raise ValueError("resized contains no shape.")
        resized = _with_dependencies([], resized)  # TF's checks of the result's size: all static here
        return resized if is_batch else a.squeeze(resized, axis=[0])


resize_with_crop_or_pad = resize_image_with_crop_or_pad


# =========================================================================== convert_image_dtype
def convert_image_dtype(image, dtype, saturate=False, name=None):
    """`image` in another dtype, rescaled as TF does: floats span [0, 1), integers [0, MAX]. Integer to integer
    shifts by the ratio of the maxima (floordiv, or multiply); integer to float multiplies by 1 / MAX; float to
    integer multiplies by MAX + 0.5 and casts (truncates). saturate=True clamps before casting.

    >>> tf.image.convert_image_dtype(tf.zeros([2, 2, 3], tf.uint8), tf.float32).dtype
    tf.float32
    """
    m, a = _math_ops(), _array_ops()
    image = convert_to_tensor(image, name="image")
    dtype = dtypes.as_dtype(dtype)
    if not dtype.is_floating and not dtype.is_integer:
        raise AttributeError("dtype must be either floating point or integer")
    src = image.dtype.base_dtype
    if not src.is_floating and not src.is_integer:
        raise AttributeError("image dtype must be either floating point or integer")
    if dtype == src:
        return a.identity(image, name=name)
    with name_scope(name, "convert_image", [image]) as scope:
        if src.is_integer and dtype.is_integer:
            scale_in, scale_out = src.max, dtype.max
            if scale_in > scale_out:
                scaled = m.floordiv(image, (scale_in + 1) // (scale_out + 1))
                return (m.saturate_cast if saturate else m.cast)(scaled, dtype, name=scope)
            cast = m.saturate_cast(image, dtype) if saturate else m.cast(image, dtype)
            return m.multiply(cast, (scale_out + 1) // (scale_in + 1), name=scope)
        if src.is_floating and dtype.is_floating:
            return m.cast(image, dtype, name=scope)
        if src.is_integer:
            return m.multiply(m.cast(image, dtype), 1. / src.max, name=scope)
        scaled = m.multiply(image, dtype.max + 0.5)  # + 0.5: the largest float below 1 still reaches MAX
        return (m.saturate_cast if saturate else m.cast)(scaled, dtype, name=scope)


# =========================================================================== brightness, contrast, standardization
def adjust_brightness(image, delta):
    """`image` + `delta`, computed in float (integer images converted to [0, 1) and back, saturating).

    >>> tf.image.adjust_brightness(tf.zeros([2, 2, 3]), 0.1).dtype
    tf.float32
    """
    with name_scope(None, "adjust_brightness", [image, delta]) as name:
        image = convert_to_tensor(image, name="image")
        orig = image.dtype.base_dtype
        flt = image if orig in (dtypes.float16, dtypes.float32) else convert_image_dtype(image, dtypes.float32)
        adjusted = _math_ops().add(flt, _math_ops().cast(delta, flt.dtype.base_dtype), name=name)
        return convert_image_dtype(adjusted, orig, saturate=True)


def random_brightness(image, max_delta, seed=None):
    """adjust_brightness by a delta drawn uniformly from [-max_delta, max_delta) (one per run)."""
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    from .random_ops import random_uniform
    return adjust_brightness(image, random_uniform([], -max_delta, max_delta, seed=seed))


def _adjust_contrast_infer(images, contrast_factor, **_):
    _with_rank_at_least(images.shape, 3)
    _with_rank(contrast_factor.shape, 0)
    return images.dtype.base_dtype, images.shape


def _adjust_contrast_kernel(xp, images, contrast_factor, **_):
    if images.ndim < 3:
        raise _invalid("input must be at least 3-D, got shape%s" % _dbg(images.shape))
    if contrast_factor.ndim != 0:
        raise _invalid("contrast_factor must be scalar: %s" % _dbg(contrast_factor.shape))
    x = images.astype(xp.float32, copy=False)
    mean = xp.mean(x, axis=(-3, -2), keepdims=True, dtype=xp.float32)
    return ((x - mean) * contrast_factor.astype(xp.float32) + mean).astype(images.dtype, copy=False)


# TF registers no gradient for AdjustContrastv2
register_op("AdjustContrastv2", infer=_adjust_contrast_infer, kernel=_adjust_contrast_kernel, grad=NO_GRADIENT)


def adjust_contrast(images, contrast_factor):
    """Each channel of each image moved away from (factor > 1) or towards (factor < 1) its mean over height and
    width: (x - mean) * contrast_factor + mean (the AdjustContrastv2 op, in float; integer images converted to
    [0, 1) and back, saturating). `images` is [..., height, width, channels].

    >>> tf.image.adjust_contrast(tf.zeros([2, 4, 4, 3]), 2.0).shape
    TensorShape([Dimension(2), Dimension(4), Dimension(4), Dimension(3)])
    """
    with name_scope(None, "adjust_contrast", [images, contrast_factor]) as name:
        images = convert_to_tensor(images, name="images")
        orig = images.dtype.base_dtype
        flt = images if orig in (dtypes.float16, dtypes.float32) else convert_image_dtype(images, dtypes.float32)
        with name_scope(name):  # the op takes the scope's name, its factor const is named inside it
            factor = convert_one("AdjustContrastv2", "contrast_factor", contrast_factor, dtype=dtypes.float32)
        adjusted = make_op("AdjustContrastv2", [flt, factor], {"T": flt.dtype.base_dtype}, name=name)
        return convert_image_dtype(adjusted, orig, saturate=True)


def random_contrast(image, lower, upper, seed=None):
    """adjust_contrast by a factor drawn uniformly from [lower, upper) (one per run)."""
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")
    from .random_ops import random_uniform
    return adjust_contrast(image, random_uniform([], lower, upper, seed=seed))


def per_image_standardization(image):
    """Each image scaled to mean 0 and variance 1 over its height, width and channels: (x - mean) /
    max(stddev, 1 / sqrt(num_pixels)); the result is float32. `image` is [..., height, width, channels].

    >>> tf.image.per_image_standardization(tf.zeros([4, 4, 3], tf.uint8)).dtype
    tf.float32
    """
    m, a = _math_ops(), _array_ops()
    with name_scope(None, "per_image_standardization", [image]) as scope:
        image = _assert_at_least_3d(convert_to_tensor(image, name="image"))
        image = m.cast(image, dtype=dtypes.float32)
        num_pixels = m.reduce_prod(a.shape(image)[-3:])
        mean = m.reduce_mean(image, axis=[-1, -2, -3], keepdims=True)
        with name_scope("reduce_std"):  # TF's reduce_std: the square root of the mean squared deviation
            with name_scope("reduce_variance"):
                deviations = m.square(image - m.reduce_mean(image, axis=[-1, -2, -3], keepdims=True))
                variance = m.reduce_mean(deviations, axis=[-1, -2, -3], keepdims=True)
            stddev = m.sqrt(variance)
        adjusted = m.maximum(stddev, m.rsqrt(m.cast(num_pixels, dtypes.float32)))
        image -= mean
        return m.divide(image, adjusted, name=scope)


# =========================================================================== grayscale
def rgb_to_grayscale(images, name=None):
    """[..., 3] RGB images to [..., 1] luma (0.2989 R + 0.5870 G + 0.1140 B), in the input's dtype.

    >>> tf.image.rgb_to_grayscale(tf.zeros([4, 4, 3])).shape
    TensorShape([Dimension(4), Dimension(4), Dimension(1)])
    """
    m, a = _math_ops(), _array_ops()
    with name_scope(name, "rgb_to_grayscale", [images]) as scope:
        images = convert_to_tensor(images, name="images")
        orig = images.dtype.base_dtype
        flt = convert_image_dtype(images, dtypes.float32)
        gray = m.tensordot(flt, [0.2989, 0.5870, 0.1140], [-1, -1])
        return convert_image_dtype(a.expand_dims(gray, -1), orig, name=scope)


def grayscale_to_rgb(images, name=None):
    """[..., 1] grayscale images to [..., 3] (the channel repeated, a Tile)."""
    a = _array_ops()
    with name_scope(name, "grayscale_to_rgb", [images]) as scope:
        images = convert_to_tensor(images, name="images")
        shape = images.shape
        try:
            s = shape.with_rank(2) if shape.ndims is None else shape.with_rank_at_least(2)
        except ValueError:
            raise ValueError("A grayscale image (shape %s) must be at least two-dimensional." % shape) from None
        checks = []
        if s.is_fully_defined():
            if s.as_tuple()[-1] != 1:
                raise ValueError("Last dimension of a grayscale image should be size 1.")
        else:
            from . import check_ops  # TF's checks here are assert_equal/assert_greater_equal (their messages)
            checks = [check_ops.assert_equal(a.shape(images)[-1], 1,
                                             message="Last dimension of a grayscale image should be size 1."),
                      check_ops.assert_greater_equal(a.rank(images), 3,
                                                     message="A grayscale image must be at least two-dimensional.")]
        images = _with_dependencies(checks, images)
        rank_1 = a.expand_dims(a.rank(images) - 1, 0)
        multiples = a.concat([a.ones(rank_1, dtype=dtypes.int32), a.expand_dims(3, 0)], 0)
        rgb = a.tile(images, multiples, name=scope)
        if images.shape.ndims is not None:
            rgb.set_shape(images.shape[:-1].concatenate([3]))
        return rgb


# =========================================================================== HSV: RGBToHSV, HSVToRGB
_HSV_TYPES = (dtypes.float16, dtypes.float32, dtypes.float64)


def _hsv_infer(images, **_):
    s = _with_rank_at_least(images.shape, 1)
    if s.ndims is not None and s.as_tuple()[-1] not in (None, 3):
        raise InferenceError("Dimension must be 3 but is %d" % s.as_tuple()[-1])
    if s.ndims is None:
        return images.dtype.base_dtype, s
    return images.dtype.base_dtype, TensorShape(s.as_tuple()[:-1] + (3,))  # TF's WithValue: an unknown last dim is 3


def _check_rgb(images, op):
    if images.ndim < 1:
        raise _invalid("input must be at least 1D%s" % _dbg(images.shape))
    if images.shape[-1] != 3:  # TF's colour-space kernels make this one a FailedPrecondition
        raise errors.FailedPreconditionError(
            None, None, "input must have 3 channels but input only has %d channels." % images.shape[-1])


def _rgb_to_hsv_kernel(xp, images, **_):
    _check_rgb(images, "RGBToHSV")
    r, g, b = images[..., 0], images[..., 1], images[..., 2]
    v = xp.maximum(xp.maximum(r, g), b)
    rng = v - xp.minimum(xp.minimum(r, g), b)
    zero = xp.zeros((), dtype=images.dtype)
    s = xp.where(v > 0, rng / xp.where(v > 0, v, 1), zero)
    norm = (1 / xp.where(rng > 0, rng, 1)).astype(images.dtype) * images.dtype.type(1 / 6)
    h = xp.where(r == v, norm * (g - b), xp.where(g == v, norm * (b - r) + images.dtype.type(2 / 6),
                                                  norm * (r - g) + images.dtype.type(4 / 6)))
    h = xp.where(rng > 0, h, zero)
    h = xp.where(h < 0, h + 1, h)
    return xp.stack([h, s, v], axis=-1).astype(images.dtype, copy=False)


def _hsv_to_rgb_kernel(xp, images, **_):
    _check_rgb(images, "HSVToRGB")
    h, s, v = images[..., 0], images[..., 1], images[..., 2]
    dh = h * 6
    channels = [xp.clip(xp.abs(dh - 3) - 1, 0, 1), xp.clip(2 - xp.abs(dh - 2), 0, 1),
                xp.clip(2 - xp.abs(dh - 4), 0, 1)]
    one_s = 1 - s
    return xp.stack([(one_s + s * d) * v for d in channels], axis=-1).astype(images.dtype, copy=False)


register_op("RGBToHSV", infer=_hsv_infer, kernel=_rgb_to_hsv_kernel, grad=NO_GRADIENT)  # TF 1.15: none
register_op("HSVToRGB", infer=_hsv_infer, kernel=_hsv_to_rgb_kernel, grad=NOT_DIFFERENTIABLE)


def rgb_to_hsv(images, name=None):
    """[..., 3] RGB (float, in [0, 1]) to [..., 3] hue, saturation, value, each in [0, 1]."""
    with name_scope(name, "RGBToHSV", [images]) as scope:
        x = convert_one("RGBToHSV", "images", images, allowed=_HSV_TYPES)
        return make_op("RGBToHSV", [x], {"T": x.dtype.base_dtype}, name=scope)


def hsv_to_rgb(images, name=None):
    """[..., 3] hue, saturation, value (float, in [0, 1]) to [..., 3] RGB."""
    with name_scope(name, "HSVToRGB", [images]) as scope:
        x = convert_one("HSVToRGB", "images", images, allowed=_HSV_TYPES)
        return make_op("HSVToRGB", [x], {"T": x.dtype.base_dtype}, name=scope)


# =========================================================================== AdjustHue, AdjustSaturation
def _adjust_hsv_infer(images, delta, **_):
    _with_rank_at_least(images.shape, 3)
    return images.dtype.base_dtype, images.shape


def _check_adjust_hsv(images, factor, what):
    if images.ndim < 3:
        raise _invalid("input must be at least 3-D, got shape%s" % _dbg(images.shape))
    if factor.ndim != 0:
        raise _invalid("%s must be scalar: %s" % (what, _dbg(factor.shape)))
    if images.shape[-1] != 3:
        raise _invalid("input must have 3 channels but instead has %d channels." % images.shape[-1])


def _select(xp, category, choices):
    """choices[category] elementwise (category an integer array in [0, len(choices)))."""
    out = choices[-1]
    for k in range(len(choices) - 2, -1, -1):
        out = xp.where(category == k, choices[k], out)
    return out


def _adjust_hue_kernel(xp, images, delta, **_):
    _check_adjust_hsv(images, delta, "delta")
    x = images.astype(xp.float32, copy=False)
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    # TF's rgb_to_hv_range: the sextant of the hue, and where the middle channel sits between min and max
    r_lt_g = r < g
    cat = xp.where(r_lt_g, xp.where(b < r, 1, xp.where(b > g, 3, 2)), xp.where(b < g, 0, xp.where(b > r, 4, 5)))
    v_max = _select(xp, cat, [r, g, g, b, b, r])
    v_mid = _select(xp, cat, [g, r, b, g, r, b])
    v_min = _select(xp, cat, [b, b, r, r, g, g])
    flat = v_max == v_min
    ratio = (v_mid - v_min) / xp.where(flat, xp.float32(1), v_max - v_min)
    h = xp.where(flat, xp.float32(0), cat.astype(xp.float32) + xp.where(cat % 2 == 0, ratio, 1 - ratio))
    h = h + delta.astype(xp.float32) * xp.float32(6)
    for _ in range(2):  # TF's `while (h < 0) h += 6; while (h >= 6) h -= 6;` (|delta| <= 1: twice at most)
        h = xp.where(h < 0, h + xp.float32(6), h)
    for _ in range(2):
        h = xp.where(h >= 6, h - xp.float32(6), h)
    cat = h.astype(xp.int64)
    ratio = h - cat
    ratio = xp.where(cat % 2 == 0, ratio, 1 - ratio)
    v_mid = v_min + ratio * (v_max - v_min)
    out = [_select(xp, cat, [v_max, v_mid, v_min, v_min, v_mid, v_max]),
           _select(xp, cat, [v_mid, v_max, v_max, v_mid, v_min, v_min]),
           _select(xp, cat, [v_min, v_min, v_mid, v_max, v_max, v_mid])]
    return xp.stack(out, axis=-1).astype(images.dtype, copy=False)


def _adjust_saturation_kernel(xp, images, scale, **_):
    _check_adjust_hsv(images, scale, "scale")
    x = images.astype(xp.float32, copy=False)
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    # TF's rgb_to_hsv helper of this kernel (its own, not RGBToHSV's): norm = 1 / (6 * range)
    vv = xp.maximum(r, xp.maximum(g, b))
    rng = vv - xp.minimum(r, xp.minimum(g, b))
    s = xp.where(vv > 0, rng / xp.where(vv > 0, vv, xp.float32(1)), xp.float32(0))
    norm = xp.float32(1) / (xp.float32(6) * xp.where(rng > 0, rng, xp.float32(1)))
    h = xp.where(r == vv, norm * (g - b), xp.where(g == vv, norm * (b - r) + xp.float32(2.0 / 6.0),
                                                   norm * (r - g) + xp.float32(4.0 / 6.0)))
    h = xp.where(rng <= 0, xp.float32(0), h)
    h = xp.where(h < 0, h + 1, h)
    s = xp.minimum(xp.float32(1), xp.maximum(xp.float32(0), s * scale.astype(xp.float32)))
    # TF's hsv_to_rgb helper (the sextant formula)
    c = s * vv
    mm = vv - c
    dh = h * 6
    cat = dh.astype(xp.int64)
    fmodu = dh
    fmodu = xp.where(fmodu <= 0, fmodu + xp.float32(2), fmodu)
    for _ in range(3):  # dh < 6: at most three steps of 2
        fmodu = xp.where(fmodu >= 2, fmodu - xp.float32(2), fmodu)
    xx = c * (1 - xp.abs(fmodu - 1))
    zero = xp.zeros_like(c)
    out = [_select(xp, cat, [c, xx, zero, zero, xx, c, zero]),
           _select(xp, cat, [xx, c, c, xx, zero, zero, zero]),
           _select(xp, cat, [zero, zero, xx, c, c, xx, zero])]
    return xp.stack([o + mm for o in out], axis=-1).astype(images.dtype, copy=False)


# TF registers no gradients for AdjustHue and AdjustSaturation
register_op("AdjustHue", infer=_adjust_hsv_infer, kernel=_adjust_hue_kernel, grad=NO_GRADIENT)
register_op("AdjustSaturation", infer=_adjust_hsv_infer, kernel=_adjust_saturation_kernel, grad=NO_GRADIENT)


def _adjust_hsv(op_type, param, image, factor, name, default_name):
    with name_scope(name, default_name, [image]):
        image = convert_to_tensor(image, name="image")
        orig = image.dtype.base_dtype
        flt = image if orig in (dtypes.float16, dtypes.float32) else convert_image_dtype(image, dtypes.float32)
        with name_scope(None, op_type, [flt, factor]) as scope:
            f = convert_one(op_type, param, factor, dtype=dtypes.float32)
            adjusted = make_op(op_type, [flt, f], {"T": flt.dtype.base_dtype}, name=scope)
        return convert_image_dtype(adjusted, orig)


def adjust_hue(image, delta, name=None):
    """Rotate the hue of RGB `image` [..., 3] by `delta` (in [-1, 1], a fraction of the colour circle)."""
    return _adjust_hsv("AdjustHue", "delta", image, delta, name, "adjust_hue")


def adjust_saturation(image, saturation_factor, name=None):
    """Scale the saturation of RGB `image` [..., 3] by `saturation_factor` (clipped to [0, 1] in HSV)."""
    return _adjust_hsv("AdjustSaturation", "scale", image, saturation_factor, name, "adjust_saturation")


def random_hue(image, max_delta, seed=None):
    """adjust_hue by a delta drawn uniformly from [-max_delta, max_delta) (max_delta in [0, 0.5])."""
    if max_delta > 0.5:
        raise ValueError("max_delta must be <= 0.5.")
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    from .random_ops import random_uniform
    return adjust_hue(image, random_uniform([], -max_delta, max_delta, seed=seed))


def random_saturation(image, lower, upper, seed=None):
    """adjust_saturation by a factor drawn uniformly from [lower, upper)."""
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")
    from .random_ops import random_uniform
    return adjust_saturation(image, random_uniform([], lower, upper, seed=seed))


# =========================================================================== total_variation, image_gradients
def total_variation(images, name=None):
    """The sum of absolute differences between neighbouring pixels (down and across): a scalar for one image
    [H, W, C], a [batch] vector for [B, H, W, C].

    >>> tf.image.total_variation(tf.zeros([2, 4, 4, 3])).shape
    TensorShape([Dimension(2)])
    """
    m = _math_ops()
    with name_scope(name, "total_variation"):
        ndims = images.shape.ndims
        if ndims == 3:
            dif1 = images[1:, :, :] - images[:-1, :, :]
            dif2 = images[:, 1:, :] - images[:, :-1, :]
            axis = None
        elif ndims == 4:
            dif1 = images[:, 1:, :, :] - images[:, :-1, :, :]
            dif2 = images[:, :, 1:, :] - images[:, :, :-1, :]
            axis = [1, 2, 3]
        else:
            raise ValueError("'images' must be either 3 or 4-dimensional.")
        return m.reduce_sum(m.abs(dif1), axis=axis) + m.reduce_sum(m.abs(dif2), axis=axis)


def image_gradients(image):
    """(dy, dx): the forward differences of `image` [B, H, W, C] down and across, each [B, H, W, C] with a zero
    last row (dy) or column (dx)."""
    a = _array_ops()
    if image.shape.ndims != 4:
        raise ValueError(f"image_gradients expects a 4D tensor [batch_size, h, w, d], not {image.shape}.")
    image_shape = a.shape(image)
    batch_size, height, width, depth = a.unstack(image_shape)
    dy = image[:, 1:, :, :] - image[:, :-1, :, :]
    dx = image[:, :, 1:, :] - image[:, :, :-1, :]
    dy = a.reshape(a.concat([dy, a.zeros(a.stack([batch_size, 1, width, depth]), image.dtype)], 1), image_shape)
    dx = a.reshape(a.concat([dx, a.zeros(a.stack([batch_size, height, 1, depth]), image.dtype)], 2), image_shape)
    return dy, dx


# =========================================================================== decoding and encoding (Pillow)
# TF decodes with libpng/libjpeg; tfmini asks Pillow, imported only when an image is decoded (tfmini does not
# depend on it). Decoding runs on the host, as TF's decode kernels do.
_NO_PILLOW = "%s needs the Pillow package to read and write images: pip install pillow"


def _pillow(what):
    try:
        from PIL import Image
    except ImportError:
        raise ImportError(_NO_PILLOW % what) from None
    return Image


def _require_pillow(what):
    """At graph build: the same message before any op exists, so the learner sees it on the line that asked."""
    import importlib.util
    if importlib.util.find_spec("PIL") is None:
        raise ImportError(_NO_PILLOW % what)


def _as_bytes(contents):
    v = contents.item() if hasattr(contents, "item") else contents
    return v.encode("latin-1") if isinstance(v, str) else bytes(v)


_PIL_MODES = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}
# libpng's rgb_to_gray as TF sets it up (0.299, 0.587 in fixed point): (9797 R + 19234 G + 3737 B) >> 15
_GRAY_WEIGHTS = (9797, 19234, 3737)


def _file_pixels(img, dtype):
    """A PIL image's pixels as they are in the file: [H, W, 1 to 4] uint8 (uint16 for 16-bit grey)."""
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(img).astype(np.uint16)
        if dtype == dtypes.uint8:
            arr = (arr >> 8).astype(np.uint8)
        return arr[..., None]
    if img.mode == "P":
        img = img.convert("RGBA" if "transparency" in img.info else "RGB")
    elif img.mode not in ("L", "LA", "RGB", "RGBA"):
        img = img.convert("RGB")
    arr = np.asarray(img)
    return arr[..., None] if arr.ndim == 2 else arr


def _pixels(xp, img, channels, dtype):
    """A PIL image as [height, width, channels] of `dtype` (uint8 or uint16; 8-bit sources scale by 257), converted
    as TF's decoders convert: grey from colour by libpng's weights, colour from grey by repetition, alpha dropped or
    added opaque."""
    if channels not in (0, 1, 2, 3, 4):
        raise _invalid("channels must be 0, 1, 3 or 4, got %d" % channels)
    arr = _file_pixels(img, dtype)
    have = arr.shape[-1]
    if channels and channels != have:
        color = arr[..., :3] if have >= 3 else np.repeat(arr[..., :1], 3, axis=-1)
        alpha = arr[..., -1:] if have in (2, 4) else np.full_like(arr[..., :1], np.iinfo(arr.dtype).max)
        if channels in (1, 2):
            c = color.astype(np.int64)
            gray = ((c[..., 0] * _GRAY_WEIGHTS[0] + c[..., 1] * _GRAY_WEIGHTS[1] + c[..., 2] * _GRAY_WEIGHTS[2]) >> 15)
            color = gray.astype(arr.dtype)[..., None] if have >= 3 else arr[..., :1]
        arr = np.concatenate([color, alpha], axis=-1) if channels in (2, 4) else color
    if dtype == dtypes.uint16 and arr.dtype == np.uint8:
        arr = arr.astype(np.uint16) * 257
    return xp.asarray(np.ascontiguousarray(arr))


def _open(contents, what, message, prepare=None):
    """The decoded PIL image (`prepare(img)` may set up the decoder first); bad data raises TF's message."""
    import io
    Image = _pillow(what)
    data = _as_bytes(contents)
    try:
        img = Image.open(io.BytesIO(data))
        if prepare is not None:
            prepare(img)
        img.load()
    except Exception:  # noqa: BLE001 - Pillow's many error types for bad data: TF's one message
        raise _invalid(message % len(data)) from None
    return img


def _decoded_infer(contents, *, channels=0, **_):
    _with_rank(contents.shape, 0)
    return TensorShape([None, None, channels or None])


def _decode_png_infer(contents, *, channels=0, dtype=dtypes.uint8, **_):
    return dtypes.as_dtype(dtype), _decoded_infer(contents, channels=channels)


def _decode_png_kernel(xp, contents, *, channels=0, dtype=dtypes.uint8, **_):
    img = _open(contents, "tf.image.decode_png", "Invalid PNG data, size %d")
    return _pixels(xp, img, channels, dtypes.as_dtype(dtype))


def _decode_jpeg_infer(contents, *, channels=0, **_):
    return dtypes.uint8, _decoded_infer(contents, channels=channels)


def _decode_jpeg_kernel(xp, contents, *, channels=0, ratio=1, **_):
    if ratio not in (1, 2, 4, 8):
        raise _invalid("ratio must be 1, 2, 4, or 8, got %d" % ratio)

    def prepare(img):  # as TF asks libjpeg: grey straight from the luma channel, scaled by 1/ratio while decoding
        if channels == 1 or ratio > 1:
            img.draft("L" if channels == 1 else img.mode, (max(1, img.size[0] // ratio), max(1, img.size[1] // ratio)))
    img = _open(contents, "tf.image.decode_jpeg", "Invalid JPEG data or crop window, data size %d", prepare)
    return _pixels(xp, img, channels, dtypes.uint8)


def _decode_image_infer(contents, *, channels=0, dtype=dtypes.uint8, expand_animations=True, **_):
    _with_rank(contents.shape, 0)
    shape = TensorShape(None) if expand_animations else TensorShape([None, None, channels or None])
    return dtypes.as_dtype(dtype), shape


def _decode_image_kernel(xp, contents, *, channels=0, dtype=dtypes.uint8, expand_animations=True, **_):
    img = _open(contents, "tf.image.decode_image",
                "Unknown image file format. One of JPEG, PNG, GIF, BMP required.%.0s")
    dtype = dtypes.as_dtype(dtype)
    frames = getattr(img, "n_frames", 1)
    if img.format == "GIF" and expand_animations:  # TF: an animated or not GIF is [frames, H, W, 3]
        out = []
        for i in range(frames):
            img.seek(i)
            out.append(_pixels(xp, img, 3, dtypes.uint8))
        return xp.stack(out)
    arr = _pixels(xp, img, channels, dtypes.uint8 if dtype == dtypes.uint8 else dtypes.uint16)
    if dtype == dtypes.float32:  # as TF's kernel: decoded as uint16, times float32(1 / 65535)
        arr = arr.astype(xp.float32) * xp.float32(1.0 / 65535)
    return arr


# TF's decode and encode ops run on the CPU only, and have no gradients
register_op("DecodePng", infer=_decode_png_infer, kernel=_decode_png_kernel, grad=NOT_DIFFERENTIABLE, cpu_only=True)
register_op("DecodeJpeg", infer=_decode_jpeg_infer, kernel=_decode_jpeg_kernel, grad=NOT_DIFFERENTIABLE,
            cpu_only=True)
register_op("DecodeImage", infer=_decode_image_infer, kernel=_decode_image_kernel, grad=NOT_DIFFERENTIABLE,
            cpu_only=True)


def _contents(op_type, contents):
    return convert_one(op_type, "contents", contents, dtype=dtypes.string)


def decode_png(contents, channels=0, dtype=dtypes.uint8, name=None):
    """A PNG file's bytes (a scalar string, e.g. from tf.read_file) as a [height, width, channels] uint8 (or
    uint16) image; channels 0 keeps the file's, 1/3/4 convert to gray/RGB/RGBA. Needs Pillow."""
    _require_pillow("tf.image.decode_png")
    dtype = dtypes.as_dtype(dtype)
    check_allowed("DecodePng", "dtype", dtype, (dtypes.uint8, dtypes.uint16))
    with name_scope(name, "DecodePng", [contents]) as scope:
        return make_op("DecodePng", [_contents("DecodePng", contents)], {"channels": int(channels), "dtype": dtype},
                       name=scope)


def decode_jpeg(contents, channels=0, ratio=1, fancy_upscaling=True, try_recover_truncated=False,
                acceptable_fraction=1, dct_method="", name=None):
    """A JPEG file's bytes as a [height, width, channels] uint8 image (`ratio` 1/2/4/8 downscales). Needs Pillow,
    whose libjpeg decodes with the accurate integer DCT: TF's dct_method "INTEGER_ACCURATE". TF's default ("",
    libjpeg's INTEGER_FAST) gives pixels that differ from these by up to a few grey levels."""
    _require_pillow("tf.image.decode_jpeg")
    with name_scope(name, "DecodeJpeg", [contents]) as scope:
        attrs = {"channels": int(channels), "ratio": int(ratio), "fancy_upscaling": bool(fancy_upscaling),
                 "try_recover_truncated": bool(try_recover_truncated),
                 "acceptable_fraction": float(acceptable_fraction), "dct_method": dct_method}
        return make_op("DecodeJpeg", [_contents("DecodeJpeg", contents)], attrs, name=scope)


def decode_image(contents, channels=None, dtype=dtypes.uint8, name=None, expand_animations=True):
    """Any of PNG, JPEG, GIF, BMP bytes as an image: [height, width, channels] (a GIF, when expand_animations,
    [frames, height, width, 3]); dtype uint8, uint16 or float32 (in [0, 1]). Needs Pillow."""
    _require_pillow("tf.image.decode_image")
    dtype = dtypes.as_dtype(dtype)
    with name_scope(name, "decode_image") as scope:
        decode_dtype = dtype if dtype in (dtypes.float32, dtypes.uint8, dtypes.uint16) else dtypes.uint16
        image = make_op("DecodeImage", [_contents("DecodeImage", contents)],
                        {"channels": int(channels or 0), "dtype": decode_dtype,
                         "expand_animations": bool(expand_animations)}, name=scope + "DecodeImage")
        if decode_dtype != dtype:
            image = convert_image_dtype(image, dtype)
        return image


def _encode_png_infer(image, *, compression=-1, **_):
    _with_rank(image.shape, 3)
    return dtypes.string, TensorShape([])


def _encode_png_kernel(xp, image, *, compression=-1, **_):
    import io
    Image = _pillow("tf.image.encode_png")
    if image.ndim != 3:
        raise _invalid("image must be 3-dimensional%s" % _dbg(image.shape))
    channels = image.shape[2]
    if channels not in (1, 2, 3, 4):
        raise _invalid("image must have 1, 2, 3, or 4 channels, got %d" % channels)
    arr = np.asarray(image)
    if arr.dtype == np.uint16:
        if channels != 1:
            raise _invalid("tfmini encodes 16-bit PNGs with one channel only (Pillow's limit), got %d" % channels)
        img = Image.fromarray(arr[..., 0].astype("<u2"), mode="I;16")
    else:
        img = Image.fromarray(arr[..., 0] if channels == 1 else arr, mode=_PIL_MODES[channels])
    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=6 if compression == -1 else int(compression))
    return np.asarray(buf.getvalue(), dtype=object)


register_op("EncodePng", infer=_encode_png_infer, kernel=_encode_png_kernel, grad=NOT_DIFFERENTIABLE, cpu_only=True)


def encode_png(image, compression=-1, name=None):
    """A [height, width, channels] uint8 (or uint16) image as PNG bytes (a scalar string); compression -1
    (default) or 0-9. Needs Pillow."""
    _require_pillow("tf.image.encode_png")
    with name_scope(name, "EncodePng", [image]) as scope:
        x = convert_one("EncodePng", "image", image, allowed=(dtypes.uint8, dtypes.uint16))
        return make_op("EncodePng", [x], {"compression": int(compression), "T": x.dtype.base_dtype}, name=scope)


# =========================================================================== resize_image_with_pad, adjust_gamma
def resize_image_with_pad(image, target_height, target_width, method=ResizeMethod.BILINEAR, align_corners=False):
    """Resize `image` ([H, W, C] or [B, H, W, C]) to fit target_height x target_width keeping its aspect ratio
    (resize_images with `method`), then zero-pad it to exactly that size, centred.

    >>> tf.image.resize_image_with_pad(tf.zeros([4, 8, 3]), 6, 6).shape
    TensorShape([Dimension(6), Dimension(6), Dimension(3)])
    """
    m, a = _math_ops(), _array_ops()
    with name_scope(None, "resize_image_with_pad", [image]):
        image, is_batch = _batched(convert_to_tensor(image, name="image"))
        checks = _check_at_least_3d(image, require_static=False)
        checks += _assert(target_width > 0, ValueError, "target_width must be > 0.")
        checks += _assert(target_height > 0, ValueError, "target_height must be > 0.")
        image = _with_dependencies(checks, image)

        def max_(x, y):
            return m.maximum(x, y) if isinstance(x, Tensor) or isinstance(y, Tensor) else max(x, y)

        _, height, width, _ = _image_dimensions(image, 4)
        f32 = dtypes.float32
        f_height, f_width = m.cast(height, dtype=f32), m.cast(width, dtype=f32)
        f_target_height, f_target_width = m.cast(target_height, dtype=f32), m.cast(target_width, dtype=f32)
        ratio = max_(f_width / f_target_width, f_height / f_target_height)
        resized_height_float, resized_width_float = f_height / ratio, f_width / ratio
        resized_height = m.cast(m.floor(resized_height_float), dtype=dtypes.int32)
        resized_width = m.cast(m.floor(resized_width_float), dtype=dtypes.int32)
        f_padding_height = m.floor((f_target_height - resized_height_float) / 2)
        f_padding_width = m.floor((f_target_width - resized_width_float) / 2)
        p_height = max_(0, m.cast(f_padding_height, dtype=dtypes.int32))
        p_width = max_(0, m.cast(f_padding_width, dtype=dtypes.int32))
        resized = resize_images(image, [resized_height, resized_width], method, align_corners=align_corners)
        if all(isinstance(v, int) for v in (height, width, target_height, target_width)):
            # TF's C++ shape inference evaluates the size computed above: the same float32 steps give the
            # static size (so an image that would shrink to nothing fails here, as in TF)
            f32 = np.float32
            r = max(f32(width) / f32(target_width), f32(height) / f32(target_height))
            resized.set_shape([None, int(np.floor(f32(height) / r)), int(np.floor(f32(width) / r)), None])
        padded = pad_to_bounding_box(resized, p_height, p_width, target_height, target_width)
        if padded.shape.ndims is None:
            raise ValueError("padded contains no shape.")
        return padded if is_batch else a.squeeze(padded, axis=[0])


def adjust_gamma(image, gamma=1, gain=1):
    """Gamma correction: gain * image ** gamma, in float (integer images converted to [0, 1) and back,
    saturating); gamma must be non-negative."""
    with name_scope(None, "adjust_gamma", [image, gamma, gain]):
        image = convert_to_tensor(image, name="image")
        orig = image.dtype.base_dtype
        flt = image if orig in (dtypes.float16, dtypes.float32) else convert_image_dtype(image, dtypes.float32)
        checks = _assert(gamma >= 0, ValueError, "Gamma should be a non-negative real number.")
        if checks:
            gamma = _with_dependencies(checks, gamma)
        return convert_image_dtype(gain * flt ** gamma, orig, saturate=True)
