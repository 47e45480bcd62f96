"""tf.image: the resize ops against the values (and gradients) TensorFlow computed for every method, both
align_corners settings and half_pixel_centers, up- and down-sampling and non-square sizes
(tests/data/tf_image_ops.json, written by tests/data/gen/image_ops.py with TF 2.21's tf.compat.v1); tf.image's
functions against TF's results for the same calls; the op table, the gradient table, TF's build-time errors and
the kernels' run-time errors; seeded random flips; PNG/JPEG through Pillow."""
import base64
import colorsys
import io
import json
import pathlib
import re
import sys

import numpy as np
import pytest
from gradcheck import GradRow, grad_rows_test
from optable import Row, rows_test

import tfmini as tf
from tfmini.framework import graph_io
from tfmini.ops import image_ops

GOLDEN = json.loads((pathlib.Path(__file__).parent / "data" / "tf_image_ops.json").read_text())
RESIZE_OPS = {"bilinear": "ResizeBilinear", "nearest": "ResizeNearestNeighbor", "bicubic": "ResizeBicubic",
              "area": "ResizeArea"}
GRAD_OPS = {"bilinear": (image_ops.resize_bilinear_grad, "ResizeBilinearGrad"),
            "bicubic": (image_ops.resize_bicubic_grad, "ResizeBicubicGrad")}


def _arr(d):
    return np.array(d["values"], dtype=d["dtype"]).reshape(d["shape"])


def _weights(shape):
    """The loss weights of the golden gradients (tests/data/gen/image_ops.py makes the same)."""
    n = int(np.prod(shape))
    return (0.5 + (np.arange(n) * 7 % 11) / 10.0).astype(np.float32).reshape(shape)


def _case_id(c):
    flags = "".join(["_align" if c["align_corners"] else "", "_half" if c["half_pixel_centers"] else ""])
    return "%s%s_%dx%d_%s" % (c["method"], flags, c["size"][0], c["size"][1], c["image"]["dtype"])


def _resize_kw(c):
    kw = {"align_corners": c["align_corners"]}
    if c["method"] != "area":
        kw["half_pixel_centers"] = c["half_pixel_centers"]
    return kw


def _resize_fn(method):
    return {"bilinear": tf.image.resize_bilinear, "nearest": tf.image.resize_nearest_neighbor,
            "bicubic": tf.image.resize_bicubic, "area": tf.image.resize_area}[method]


# =========================================================================== numpy references
def _np_nearest(x, out_h, out_w):
    """Legacy nearest neighbour: source index floor(i * in / out)."""
    rows = np.floor(np.arange(out_h) * (x.shape[1] / out_h)).astype(int)
    cols = np.floor(np.arange(out_w) * (x.shape[2] / out_w)).astype(int)
    return x[:, rows][:, :, cols]


def _np_bilinear(x, out_h, out_w, align=False, half=False):
    """Bilinear resizing in float64 with TF's sampling conventions: (1 - t) * a + t * b down, then across."""
    def coords(n_in, n_out):
        scale = (n_in - 1) / (n_out - 1) if align and n_out > 1 else n_in / n_out
        src = (np.arange(n_out) + 0.5) * scale - 0.5 if half else np.arange(n_out) * scale
        lo = np.floor(src)
        return np.maximum(lo, 0).astype(int), np.minimum(np.ceil(src), n_in - 1).astype(int), src - lo
    x = x.astype(np.float64)
    t, b, yl = coords(x.shape[1], out_h)
    lft, r, xl = coords(x.shape[2], out_w)
    yl, xl = yl[None, :, None, None], xl[None, None, :, None]
    rows = x[:, t] * (1 - yl) + x[:, b] * yl
    return (rows[:, :, lft] * (1 - xl) + rows[:, :, r] * xl).astype(np.float32)


_X = np.arange(2 * 4 * 6 * 3, dtype=np.float32).reshape(2, 4, 6, 3) % 17 / 4.0
_G = (np.arange(2 * 4 * 6 * 3, dtype=np.int32).reshape(2, 4, 6, 3) * 7 % 100)  # sums of four pass 255
_U8 = (np.arange(3 * 4 * 3) * 37 % 256).astype(np.uint8).reshape(3, 4, 3)
_RGB = np.array([[[0.9, 0.2, 0.1], [0.1, 0.8, 0.3], [0.2, 0.3, 0.7]],
                 [[0.5, 0.5, 0.5], [0.0, 0.0, 0.0], [0.6, 0.6, 0.2]]], dtype=np.float32)  # [2, 3, 3]


def _png_bytes(arr):
    from PIL import Image
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="PNG")
    return buf.getvalue()


def _jpeg_bytes(arr):
    from PIL import Image
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="JPEG", quality=95)
    return buf.getvalue()


def _pil_decode(data):
    from PIL import Image
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


# =========================================================================== the op table
def _golden_row(c):
    img = _arr(c["image"])
    return Row(RESIZE_OPS[c["method"]],
               lambda tf, c=c, img=img: _resize_fn(c["method"])(img, c["size"], **_resize_kw(c)),
               expect=_arr(c["out"]), id="golden_" + _case_id(c), rtol=1e-6,
               atol=4e-5 if c["method"] == "area" else 1e-6)


def _golden_grad_row(c):
    fn, op_type = GRAD_OPS.get(c["method"], (None, None))
    img, out = _arr(c["image"]), _arr(c["out"])
    if fn is None:  # nearest: the gradient op takes the original size
        return Row("ResizeNearestNeighborGrad",
                   lambda tf, c=c: image_ops.resize_nearest_neighbor_grad(_weights(out.shape), img.shape[1:3],
                                                                          **_resize_kw(c)),
                   expect=_arr(c["grad"]), id="golden_grad_" + _case_id(c), atol=1e-6)
    return Row(op_type, lambda tf, c=c: fn(_weights(out.shape), img, **_resize_kw(c)), expect=_arr(c["grad"]),
               id="golden_grad_" + _case_id(c), atol=2e-6)


def _unknown_size_resize(tf):
    x = tf.placeholder(tf.float32, [None, None, None, 3])
    s = tf.placeholder(tf.int32, [2])
    y = tf.image.resize_bilinear(x, s)
    assert y.shape.as_list() == [None, None, None, 3]
    return y, {x: _X, s: [3, 5]}


def _decode_png(tf, channels=0, dtype=None):
    p = tf.placeholder(tf.string, [])
    kw = {} if dtype is None else {"dtype": dtype}
    return tf.image.decode_png(p, channels=channels, **kw), {p: _png_bytes(_U8)}


CASES = [_golden_row(c) for c in GOLDEN["resize"]] + \
    [_golden_grad_row(c) for c in GOLDEN["resize"] if "grad" in c] + [
    Row("ResizeNearestNeighbor", lambda tf: tf.image.resize_nearest_neighbor(_X, [8, 12]),
        expect=np.repeat(np.repeat(_X, 2, axis=1), 2, axis=2), id="nearest_double"),
    Row("ResizeNearestNeighbor", lambda tf: tf.image.resize_nearest_neighbor(_X.astype(np.int32), [3, 4]),
        expect=_np_nearest(_X.astype(np.int32), 3, 4), id="nearest_int32_down"),
    Row("ResizeBilinear", lambda tf: tf.image.resize_bilinear(_X, [7, 5]), expect=_np_bilinear(_X, 7, 5),
        id="bilinear_numpy"),
    Row("ResizeBilinear", lambda tf: tf.image.resize_bilinear(_X.astype(np.float64), [3, 11], align_corners=True),
        expect=_np_bilinear(_X, 3, 11, align=True), id="bilinear_numpy_align_f64"),
    Row("ResizeBilinear", lambda tf: tf.image.resize_bilinear(_X.astype(np.int16), [5, 4], half_pixel_centers=True),
        expect=_np_bilinear(_X.astype(np.int16), 5, 4, half=True), id="bilinear_numpy_half_int16"),
    Row("ResizeBilinear", _unknown_size_resize, expect=_np_bilinear(_X, 3, 5), id="bilinear_unknown_size"),
    Row("ResizeNearestNeighborGrad", lambda tf: image_ops.resize_nearest_neighbor_grad(_G, [2, 3]),
        expect=_G.reshape(2, 2, 2, 3, 2, 3).sum(axis=(2, 4)), id="nearest_grad_int32_block_sums"),
    Row("ResizeNearestNeighborGrad", lambda tf: image_ops.resize_nearest_neighbor_grad(_G.astype(np.uint8), [2, 3]),
        expect=_G.reshape(2, 2, 2, 3, 2, 3).sum(axis=(2, 4)).astype(np.uint8), id="nearest_grad_uint8_wraps"),
    Row("ResizeArea", lambda tf: tf.image.resize_area(_X, [2, 3]),
        expect=_X.reshape(2, 2, 2, 3, 2, 3).mean(axis=(2, 4)), id="area_block_mean"),
    Row("ResizeBicubic", lambda tf: tf.image.resize_bicubic(_X, [4, 6]), expect=_X, id="bicubic_same_size"),
    Row("AdjustContrastv2", lambda tf: tf.image.adjust_contrast(_X, 1.5),
        expect=(_X - _X.mean(axis=(1, 2), keepdims=True)) * 1.5 + _X.mean(axis=(1, 2), keepdims=True), rtol=1e-5,
        id="adjust_contrast"),
    Row("RGBToHSV", lambda tf: tf.image.rgb_to_hsv(_RGB),
        expect=np.array([[colorsys.rgb_to_hsv(*p) for p in row] for row in _RGB.tolist()], np.float32), rtol=1e-5,
        id="rgb_to_hsv"),
    Row("HSVToRGB", lambda tf: tf.image.hsv_to_rgb(tf.image.rgb_to_hsv(_RGB.astype(np.float64))),
        expect=_RGB.astype(np.float64), rtol=1e-6, id="hsv_round_trip_f64"),
    Row("AdjustHue", lambda tf: tf.image.adjust_hue(_RGB, 1 / 3), rtol=1e-5,
        expect=_RGB[..., [2, 0, 1]], id="adjust_hue_third_turn"),
    Row("AdjustSaturation", lambda tf: tf.image.adjust_saturation(_RGB, 0.0),
        expect=np.repeat(_RGB.max(axis=-1, keepdims=True), 3, axis=-1), id="adjust_saturation_zero"),
    Row("EncodePng", lambda tf: tf.image.encode_png(_U8), id="encode_png"),
    Row("DecodePng", lambda tf: tf.image.decode_png(tf.image.encode_png(_U8)), expect=_U8, id="png_round_trip"),
    Row("DecodePng", _decode_png, expect=_U8, id="decode_png"),
    Row("DecodePng", lambda tf: _decode_png(tf, channels=4),
        expect=np.concatenate([_U8, np.full_like(_U8[..., :1], 255)], -1), id="decode_png_rgba"),
    Row("DecodePng", lambda tf: _decode_png(tf, dtype=tf.uint16), expect=_U8.astype(np.uint16) * 257,
        id="decode_png_uint16"),
    Row("DecodeJpeg", lambda tf: tf.image.decode_jpeg(_jpeg_bytes(_U8)),
        expect=lambda np: _pil_decode(_jpeg_bytes(_U8)), id="decode_jpeg"),
    Row("DecodeImage", lambda tf: tf.image.decode_image(_png_bytes(_U8), dtype=tf.float32),
        expect=_U8 / np.float32(255), id="decode_image_float"),
]
test_row = rows_test(CASES)


# =========================================================================== the gradient table
def _as_f64(y):
    return tf.cast(y, tf.float64)


# The float resizers compute in float32 (as TF): finite differences take a large step (they are linear in the image)
GRAD_CASES = [
    GradRow("ResizeBilinear", lambda tf, x: _as_f64(tf.image.resize_bilinear(x, [5, 4])), [(2, 3, 6, 2)],
            delta=1e-2, rtol=1e-3, atol=1e-3, id="bilinear"),
    GradRow("ResizeBilinear", lambda tf, x: _as_f64(tf.image.resize_bilinear(x, [2, 7], align_corners=True)),
            [(1, 4, 3, 2)], delta=1e-2, rtol=1e-3, atol=1e-3, id="bilinear_align"),
    GradRow("ResizeBilinear", lambda tf, x: _as_f64(tf.image.resize_bilinear(x, [5, 2], half_pixel_centers=True)),
            [(1, 3, 4, 1)], delta=1e-2, rtol=1e-3, atol=1e-3, unknown_dims=True, id="bilinear_half_unknown"),
    GradRow("ResizeNearestNeighbor", lambda tf, x: tf.image.resize_nearest_neighbor(x, [5, 3]), [(2, 3, 5, 2)],
            id="nearest"),
    GradRow("ResizeNearestNeighbor", lambda tf, x: tf.image.resize_nearest_neighbor(x, [2, 7], align_corners=True),
            [(1, 3, 4, 2)], unknown_dims=True, id="nearest_align_unknown"),
    GradRow("ResizeBicubic", lambda tf, x: _as_f64(tf.image.resize_bicubic(x, [6, 4])), [(1, 4, 5, 2)],
            delta=1e-2, rtol=1e-3, atol=1e-3, id="bicubic"),
    GradRow("ResizeBicubic", lambda tf, x: _as_f64(tf.image.resize_bicubic(x, [3, 7], half_pixel_centers=True)),
            [(1, 5, 4, 1)], delta=1e-2, rtol=1e-3, atol=1e-3, id="bicubic_half"),
]
test_grad_row = grad_rows_test(GRAD_CASES)


# =========================================================================== TF's values for tf.image's functions
@pytest.mark.parametrize("case", GOLDEN["functions"], ids=[c["id"] for c in GOLDEN["functions"]])
def test_functions_match_tensorflow(case, backend):
    y = eval(case["src"])(tf, *[tf.constant(_arr(a)) for a in case["inputs"]])
    assert y.shape.as_list() == case["static_shape"]
    with tf.Session() as sess:
        got = sess.run(y)
    want = _arr(case["out"])
    assert got.dtype == want.dtype and got.shape == want.shape
    if want.dtype.kind == "f":
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=3e-7)
    else:
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("case", GOLDEN["decode"],
                         ids=lambda c: "%s_%s_%d_%s" % (c["fn"], c["file"], c["channels"], c["out"]["dtype"]))
def test_decoding_matches_tensorflow(case):
    """PNG exactly (libpng's grey weights, alpha added or dropped, 8 to 16 bits); JPEG within a few levels (Pillow's
    IDCT is not the one TF's libjpeg-turbo runs)."""
    kw = {"dtype": case["dtype"]} if "dtype" in case else {}
    y = getattr(tf.image, case["fn"])(base64.b64decode(GOLDEN["files"][case["file"]]), channels=case["channels"], **kw)
    with tf.Session() as sess:
        got = sess.run(y)
    want = _arr(case["out"])
    assert got.dtype == want.dtype and got.shape == want.shape
    if "jpeg" in case["file"]:
        assert np.abs(got.astype(int) - want).max() <= 4
    else:
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("case", [c for c in GOLDEN["resize"] if "grad" in c], ids=_case_id)
def test_resize_gradients_match_tensorflow(case):
    x = tf.constant(_arr(case["image"]))
    y = _resize_fn(case["method"])(x, case["size"], **_resize_kw(case))
    g, = tf.gradients(tf.reduce_sum(y * _weights(y.shape.as_list())), x)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(g), _arr(case["grad"]), rtol=1e-6, atol=2e-6)


# =========================================================================== shapes, dtypes, graphs
def test_resize_images_dtypes_shapes_and_the_same_size_shortcut():
    u8 = tf.placeholder(tf.uint8, [4, 6, 3])
    assert tf.image.resize_images(u8, [8, 9]).dtype == tf.float32
    assert tf.image.resize_images(u8, [8, 9], method=tf.image.ResizeMethod.NEAREST_NEIGHBOR).dtype == tf.uint8
    same = tf.image.resize_images(u8, [4, 6])  # TF 1.x skips the resize: the input, in its dtype
    assert same.dtype == tf.uint8 and same.op.type == "Squeeze" and same.op.inputs[0].op.inputs[0] is u8
    # with preserve_aspect_ratio TF's Python sees no constant size: it resizes even to the same size (fuzzing found it)
    kept = tf.image.resize_images(u8, [8, 6], preserve_aspect_ratio=True)
    assert kept.dtype == tf.float32 and kept.shape.as_list() == [4, 6, 3]
    # the colour-space ops know their last dimension is 3 (TF's WithValue)
    assert tf.image.hsv_to_rgb(tf.placeholder(tf.float32, [1, 3, None])).shape.as_list() == [1, 3, 3]
    assert tf.image.rgb_to_hsv(tf.placeholder(tf.float32, [None, None])).shape.as_list() == [None, 3]
    assert tf.image.resize(u8, [2, 3], method=tf.image.ResizeMethod.AREA).shape.as_list() == [2, 3, 3]
    batch = tf.placeholder(tf.float32, [None, None, None, 3])
    assert tf.image.resize_images(batch, [5, 7]).shape.as_list() == [None, 5, 7, 3]
    assert tf.image.resize_images(batch, tf.placeholder(tf.int32, [2])).shape.as_list() == [None, None, None, 3]
    types = [op.type for op in tf.get_default_graph().get_operations()]
    assert types.count("ResizeArea") == 1 and "ExpandDims" in types and "Squeeze" in types


def test_resize_ops_static_shapes_and_graph_names():
    y = tf.image.resize_bilinear(tf.zeros([2, 4, 6, 3]), [-1, 5])
    assert y.shape.as_list() == [2, None, 5, 3]  # a negative size is unknown until the kernel refuses it
    assert y.op.name == "ResizeBilinear" and y.op.inputs[1].op.name == "ResizeBilinear/size"
    assert y.op.get_attr("align_corners") is False and y.op.get_attr("half_pixel_centers") is False
    z = tf.image.resize_images(tf.zeros([4, 6, 3]), [8, 9], method=tf.image.ResizeMethod.BICUBIC)
    assert z.name == "resize/Squeeze:0" and z.op.inputs[0].op.type == "ResizeBicubic"
    area = tf.image.resize_area(tf.zeros([1, 4, 6, 3]), [2, 2]).op  # TF's ResizeArea has no half_pixel_centers
    assert area.get_attr("align_corners") is False
    with pytest.raises(ValueError, match="Operation 'ResizeArea' has no attr named 'half_pixel_centers'."):
        area.get_attr("half_pixel_centers")
    nodes = {n["name"]: n for n in graph_io.graph_def_dict(tf.get_default_graph())["node"]}
    assert [a["key"] for a in nodes["ResizeBilinear"]["attr"]] == ["T", "align_corners", "half_pixel_centers"]
    assert [a["key"] for a in nodes["ResizeArea"]["attr"]] == ["T", "align_corners"]


def test_resize_bilinear_runs_a_large_image_without_pixel_loops():
    x = np.random.RandomState(0).rand(2, 96, 128, 3).astype(np.float32)
    with tf.Session() as sess:
        y, yy = sess.run([tf.image.resize_bilinear(x, [224, 224]), tf.image.resize_area(x, [31, 45])])
    assert y.shape == (2, 224, 224, 3) and yy.shape == (2, 31, 45, 3)
    # float32 source coordinates (TF's) against float64 ones: a few 1e-6 apart
    np.testing.assert_allclose(y[:, ::7, ::7], _np_bilinear(x, 224, 224)[:, ::7, ::7], atol=3e-5)


def test_flips_rotations_and_crops_follow_numpy_on_unknown_shapes(sess):
    x = tf.placeholder(tf.float32, [None, None, 3])
    b = tf.placeholder(tf.float32, None)
    img = _X[0]
    ops = {"lr": tf.image.flip_left_right(x), "ud": tf.image.flip_up_down(x), "t": tf.image.transpose(x),
           "r1": tf.image.rot90(x), "r2": tf.image.rot90(x, k=tf.constant(2)),
           "crop": tf.image.crop_to_bounding_box(x, 1, 2, 2, 3), "pad": tf.image.pad_to_bounding_box(x, 1, 0, 6, 7),
           "cp": tf.image.resize_with_crop_or_pad(x, 2, 9), "cc": tf.image.central_crop(x, 0.5),
           "b_lr": tf.image.flip_left_right(b)}
    assert ops["lr"].shape.as_list() == [None, None, 3] and ops["pad"].shape.as_list() == [6, 7, 3]
    got = sess.run(ops, {x: img, b: _X})
    np.testing.assert_array_equal(got["lr"], img[:, ::-1])
    np.testing.assert_array_equal(got["ud"], img[::-1])
    np.testing.assert_array_equal(got["t"], img.transpose(1, 0, 2))
    np.testing.assert_array_equal(got["r1"], np.rot90(img))
    np.testing.assert_array_equal(got["r2"], np.rot90(img, 2))
    np.testing.assert_array_equal(got["crop"], img[1:3, 2:5])
    np.testing.assert_array_equal(got["pad"], np.pad(img, [(1, 1), (0, 1), (0, 0)]))
    np.testing.assert_array_equal(got["cp"], np.pad(img[1:3], [(0, 0), (1, 2), (0, 0)]))
    np.testing.assert_array_equal(got["cc"], img[1:3, 1:5])  # int((6 - 6 * 0.5) / 2) = 1 off each side
    np.testing.assert_array_equal(got["b_lr"], _X[:, :, ::-1])


def test_unknown_inner_dims_are_checked_when_the_graph_runs(sess):
    x = tf.placeholder(tf.float32, [None, None, 3])
    y = tf.image.flip_left_right(x)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"assertion failed: \[inner 3 dims of .*image.shape.* must be > 0\.\]"):
        sess.run(y, {x: np.zeros((0, 2, 3), np.float32)})
    off = tf.placeholder(tf.int32, [])
    with pytest.raises(tf.errors.InvalidArgumentError, match="offset_height must be >= 0."):
        sess.run(tf.image.crop_to_bounding_box(_X[0], off, 0, 2, 2), {off: -1})


def test_random_flips_are_seeded_and_flip_each_image_of_a_batch_on_its_own():
    def draws():
        tf.reset_default_graph()
        tf.set_random_seed(3)
        one = tf.image.random_flip_left_right(_X[0])
        many = tf.image.random_flip_up_down(np.stack([_X[0]] * 16))
        with tf.Session() as sess:
            return [sess.run([one, many]) for _ in range(6)]
    first, second = draws(), draws()
    for (a, m), (a2, m2) in zip(first, second):  # a graph seed repeats the same flips in a new session
        np.testing.assert_array_equal(a, a2)
        np.testing.assert_array_equal(m, m2)
    singles = {bool((a == _X[0][:, ::-1]).all()) for a, _ in first}
    assert singles == {True, False}  # both outcomes within six runs (fixed by the seed)
    for a, _ in first:
        assert (a == _X[0]).all() or (a == _X[0][:, ::-1]).all()
    flipped = [bool((img == _X[0][::-1]).all()) for img in first[0][1]]
    assert all(f or (img == _X[0]).all() for f, img in zip(flipped, first[0][1]))
    assert 0 < sum(flipped) < 16


def test_random_brightness_and_contrast_draw_within_their_range(sess):
    x = np.full((4, 4, 3), 0.5, np.float32)
    x[0, 0] = 0.0
    b = tf.image.random_brightness(x, 0.2, seed=1)
    c = tf.image.random_contrast(x, 0.5, 0.8, seed=2)
    for _ in range(4):
        bv, cv = sess.run([b, c])
        delta = bv - x
        assert np.allclose(delta, delta.flat[0]) and -0.2 <= delta.flat[0] <= 0.2
        mean = x.mean(axis=(0, 1))
        factor = (cv[0, 0] - mean) / (x[0, 0] - mean)
        assert np.all((0.5 <= factor) & (factor <= 0.8))
    h = tf.image.random_hue(_RGB, 0.1, seed=3)
    s = tf.image.random_saturation(_RGB, 0.5, 1.5, seed=4)
    assert sess.run(h).shape == sess.run(s).shape == _RGB.shape


def test_image_namespace_and_missing_names():
    assert tf.image.resize is tf.image.resize_images and tf.image.transpose is tf.image.transpose_image
    assert tf.image.resize_with_crop_or_pad is tf.image.resize_image_with_crop_or_pad
    assert (tf.image.ResizeMethod.BILINEAR, tf.image.ResizeMethod.AREA) == (0, 3)
    with pytest.raises(AttributeError, match="sample_distorted_bounding_box"):
        tf.image.sample_distorted_bounding_box  # noqa: B018 - a TF name tfmini lacks says so


def test_import_tfmini_does_not_import_pillow():
    import subprocess
    code = "import sys, tfmini; print('PIL' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_decoding_without_pillow_says_how_to_install_it(monkeypatch):
    data = _png_bytes(_U8)
    ready = tf.image.decode_png(data)  # built while Pillow is there, run without it
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(ImportError, match=re.escape("tf.image.decode_png needs the Pillow package to read and "
                                                    "write images: pip install pillow")):
        tf.image.decode_png(data)
    with pytest.raises(ImportError, match="pip install pillow"):
        tf.image.encode_png(_U8)
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError, match="pip install pillow"):
        sess.run(ready)  # the kernel's ImportError, with the op that needed Pillow


# =========================================================================== TF's build-time errors
_Z3 = np.zeros((4, 4, 3), np.float32)


@pytest.mark.parametrize("build, error, message", [
    (lambda: tf.image.resize_bilinear(tf.zeros([2, 3, 4]), [2, 2]), ValueError,
     ("Shape must be rank 4 but is rank 3 for 'ResizeBilinear' (op: 'ResizeBilinear') with input shapes: "
      "[2,3,4], [2].")),
    (lambda: tf.image.resize_bilinear(tf.zeros([1, 2, 3, 4]), [2, 2, 2]), ValueError, "Dimension must be 2 but is 3"),
    (lambda: tf.image.resize_nearest_neighbor(tf.zeros([1, 2, 3, 4]), [[2, 2]]), ValueError,
     "Shape must be rank 1 but is rank 2"),
    (lambda: tf.image.resize_bicubic(tf.zeros([1, 2, 3, 4]), [2.0, 2.0]), TypeError,
     "Expected int32 passed to parameter 'size' of op 'ResizeBicubic', got [2.0, 2.0] of type 'list' instead."),
    (lambda: tf.image.resize_area(tf.zeros([1, 2, 3, 4], tf.bool), [2, 2]), TypeError,
     "Value passed to parameter 'images' has DataType bool not in list of allowed values: int8, uint8"),
    (lambda: tf.image.resize_images(tf.zeros([2, 3]), [2, 2]), ValueError,
     "'images' must have either 3 or 4 dimensions."),
    (lambda: tf.image.resize_images(tf.placeholder(tf.float32), [2, 2]), ValueError, "'images' contains no shape."),
    (lambda: tf.image.resize_images(_Z3, [2, 2, 2]), ValueError,
     "'size' must be a 1-D Tensor of 2 elements: new_height, new_width"),
    (lambda: tf.image.resize_images(_Z3, [2.5, 2]), ValueError, "'size' must be a 1-D int32 Tensor"),
    (lambda: tf.image.resize_images(_Z3, [2, 2], method=7), ValueError, "Resize method is not implemented."),
    (lambda: tf.image.flip_left_right(tf.zeros([2, 3])), ValueError,
     "'image' (shape (2, 3)) must be at least three-dimensional."),
    (lambda: tf.image.flip_up_down(tf.zeros([1, 2, 2, 3, 3])), ValueError,
     "'image' (shape (1, 2, 2, 3, 3))must have either 3 or 4 dimensions."),
    (lambda: tf.image.flip_left_right(tf.zeros([0, 2, 3])), ValueError,
     "inner 3 dims of 'image.shape' must be > 0: (0, 2, 3)"),
    (lambda: tf.image.random_flip_left_right(tf.zeros([1, 2, 2, 3, 3])), ValueError,
     "'image' (shape (1, 2, 2, 3, 3)) must have either 3 or 4 dimensions."),
    (lambda: tf.image.rot90(tf.zeros([2, 3])), ValueError,
     "'image' (shape (2, 3)) must be at least three-dimensional."),
    (lambda: tf.image.rot90(_Z3, k=[1, 2]), ValueError, "Shape (2,) must have rank 0"),
    (lambda: tf.image.transpose_image(tf.zeros([2, 3, 3, 4, 5])), ValueError,
     "'image' (shape (2, 3, 3, 4, 5)) must have either 3 or 4 dimensions."),
    (lambda: tf.image.central_crop(_Z3, 0.0), ValueError, "central_fraction must be within (0, 1]"),
    (lambda: tf.image.central_crop(tf.zeros([4, 4, 4, 4, 3]), 0.5), ValueError,
     "`image` should either be a Tensor with rank = 3 or rank = 4. Had rank = 5."),
    (lambda: tf.image.crop_to_bounding_box(_Z3, -1, 0, 2, 2), ValueError, "offset_height must be >= 0."),
    (lambda: tf.image.crop_to_bounding_box(_Z3, 0, -1, 2, 2), ValueError, "offset_width must be >= 0."),
    (lambda: tf.image.crop_to_bounding_box(_Z3, 0, 0, 0, 2), ValueError, "target_height must be > 0."),
    (lambda: tf.image.crop_to_bounding_box(_Z3, 0, 0, 2, 0), ValueError, "target_width must be > 0."),
    (lambda: tf.image.crop_to_bounding_box(_Z3, 3, 0, 2, 2), ValueError, "height must be >= target + offset."),
    (lambda: tf.image.crop_to_bounding_box(_Z3, 0, 3, 2, 2), ValueError, "width must be >= target + offset."),
    (lambda: tf.image.crop_to_bounding_box(tf.zeros([4, 4]), 0, 0, 2, 2), ValueError,
     "'image' (shape (4, 4)) must have either 3 or 4 dimensions."),
    (lambda: tf.image.crop_to_bounding_box(tf.zeros([0, 4, 3]), 0, 0, 2, 2), ValueError,
     "inner 3 dims of 'image.shape' must be > 0: (1, 0, 4, 3)"),
    (lambda: tf.image.pad_to_bounding_box(_Z3, -1, 0, 6, 6), ValueError, "offset_height must be >= 0"),
    (lambda: tf.image.pad_to_bounding_box(_Z3, 0, -1, 6, 6), ValueError, "offset_width must be >= 0"),
    (lambda: tf.image.pad_to_bounding_box(_Z3, 3, 0, 6, 6), ValueError, "height must be <= target - offset"),
    (lambda: tf.image.pad_to_bounding_box(_Z3, 0, 3, 6, 6), ValueError, "width must be <= target - offset"),
    (lambda: tf.image.resize_image_with_crop_or_pad(_Z3, 0, 3), ValueError, "target_height must be > 0."),
    (lambda: tf.image.resize_image_with_crop_or_pad(_Z3, 3, 0), ValueError, "target_width must be > 0."),
    (lambda: tf.image.resize_image_with_pad(_Z3, 0, 3), ValueError, "target_height must be > 0."),
    (lambda: tf.image.resize_image_with_pad(tf.zeros([4, 4]), 3, 3), ValueError,
     "'image' (shape (4, 4)) must have either 3 or 4 dimensions."),
    (lambda: tf.image.adjust_gamma(_Z3, -1.0), ValueError, "Gamma should be a non-negative real number."),
    (lambda: tf.image.convert_image_dtype(_Z3, tf.bool), AttributeError,
     "dtype must be either floating point or integer"),
    (lambda: tf.image.convert_image_dtype(tf.zeros([4, 4], tf.bool), tf.float32), AttributeError,
     "image dtype must be either floating point or integer"),
    (lambda: tf.image.random_brightness(_Z3, -1.), ValueError, "max_delta must be non-negative."),
    (lambda: tf.image.random_contrast(_Z3, 1., 0.5), ValueError, "upper must be > lower."),
    (lambda: tf.image.random_contrast(_Z3, -1., 0.5), ValueError, "lower must be non-negative."),
    (lambda: tf.image.random_hue(_Z3, 0.6), ValueError, "max_delta must be <= 0.5."),
    (lambda: tf.image.random_saturation(_Z3, 2., 1.), ValueError, "upper must be > lower."),
    (lambda: tf.image.adjust_contrast(tf.zeros([4, 4]), 2.), ValueError,
     "Shape must be at least rank 3 but is rank 2 for 'adjust_contrast' (op: 'AdjustContrastv2')"),
    (lambda: tf.image.per_image_standardization(tf.zeros([4, 4])), ValueError,
     "'image' (shape (4, 4)) must be at least three-dimensional."),
    (lambda: tf.image.grayscale_to_rgb(_Z3), ValueError, "Last dimension of a grayscale image should be size 1."),
    (lambda: tf.image.grayscale_to_rgb(tf.zeros([4])), ValueError,
     "A grayscale image (shape (4,)) must be at least two-dimensional."),
    (lambda: tf.image.total_variation(tf.zeros([4, 4])), ValueError, "'images' must be either 3 or 4-dimensional."),
    (lambda: tf.image.image_gradients(tf.zeros([4, 4, 3])), ValueError,
     "image_gradients expects a 4D tensor [batch_size, h, w, d], not (4, 4, 3)."),
    (lambda: tf.image.rgb_to_hsv(tf.zeros([4, 4, 4])), ValueError, "Dimension must be 3 but is 4"),
    (lambda: tf.image.rgb_to_hsv(tf.zeros([4, 4, 3], tf.int32)), TypeError,
     "Value passed to parameter 'images' has DataType int32 not in list of allowed values: float16"),
    (lambda: tf.image.adjust_hue(tf.zeros([4, 4]), 0.2), ValueError,
     "Shape must be at least rank 3 but is rank 2 for 'adjust_hue/AdjustHue' (op: 'AdjustHue')"),
    (lambda: tf.image.encode_png(_Z3), TypeError,
     "Value passed to parameter 'image' has DataType float32 not in list of allowed values: uint8, uint16"),
    (lambda: tf.image.decode_png(tf.zeros([2], tf.string)), ValueError, "Shape must be rank 0 but is rank 1"),
    # TF's shape inference evaluates the computed size: a 2x6 image fitted into 1x2 shrinks to height 0 (fuzzing)
    (lambda: tf.image.resize_image_with_pad(tf.zeros([2, 6, 2], tf.int32), 1, 2), ValueError,
     "inner 3 dims of 'image.shape' must be > 0: (1, 0, 2, 2)"),
])
def test_build_time_errors(build, error, message):
    with pytest.raises(error, match=re.escape(message)):
        build()


# =========================================================================== the kernels' run-time errors
@pytest.mark.parametrize("build, feed, message", [
    (lambda x: tf.image.resize_bilinear(x, [2, 2]), np.zeros((2, 3, 4), np.float32),
     "input must be 4-dimensional[2,3,4]"),
    (lambda x: tf.image.resize_bicubic(x, [2, 2]), np.zeros((1, 0, 4, 1), np.float32),
     "input image must be of non-zero size"),
    (lambda x: tf.image.resize_area(x, [2, 2]), np.zeros((1, 2, 4, 0), np.float32),
     "image must have at least one channel"),
    (lambda x: tf.image.resize_nearest_neighbor(x, [0, 2]), np.zeros((1, 2, 4, 1), np.float32),
     "output dimensions must be positive"),
    (lambda x: tf.image.resize_bilinear(x, [3, 2], align_corners=True, half_pixel_centers=True),
     np.zeros((1, 2, 4, 1), np.float32), "If half_pixel_centers is True, align_corners must be False."),
    (lambda x: image_ops.resize_nearest_neighbor_grad(x, [0, 3]), np.zeros((1, 2, 4, 1), np.float32),
     "shape_t's elements must be positive"),
    (lambda x: image_ops.resize_bilinear_grad(x, tf.zeros([1, 2, 3])), np.zeros((1, 2, 4, 1), np.float32),
     "original_image must be 4-dimensional[1,2,3]"),
    (lambda x: tf.image.adjust_hue(x, 0.1), np.zeros((2, 2, 4), np.float32),
     "input must have 3 channels but instead has 4 channels."),
    (lambda x: tf.image.adjust_contrast(x, 2.0), np.zeros((2, 2), np.float32), "input must be at least 3-D"),
    (lambda x: tf.image.grayscale_to_rgb(x), np.zeros((2, 3, 2), np.float32),
     "assertion failed: [Last dimension of a grayscale image should be size 1.] [Condition x == y did not hold "
     "element-wise:] [x (grayscale_to_rgb/strided_slice:0) = ] [2] [y (grayscale_to_rgb/assert_equal_1/y:0) = ] [1]"),
    (lambda x: tf.image.decode_png(x), b"not a png", "Invalid PNG data, size 9"),
    (lambda x: tf.image.decode_jpeg(x), b"nope", "Invalid JPEG data or crop window, data size 4"),
    (lambda x: tf.image.decode_image(x), b"nope", "Unknown image file format. One of JPEG, PNG, GIF, BMP required."),
], ids=["resize_rank", "resize_empty", "resize_channels", "resize_size", "resize_align_half", "nearest_grad_size",
        "bilinear_grad_rank", "hue_channels", "contrast_rank", "grayscale_channels", "png", "jpeg",
        "image"])
def test_run_time_errors(build, feed, message):
    dtype = tf.string if isinstance(feed, bytes) else tf.float32
    x = tf.placeholder(dtype, None)
    y = build(x)
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError, match=re.escape(message)):
        sess.run(y, {x: feed})


def test_colour_space_channel_count_is_a_failed_precondition():
    """TF's RGBToHSV/HSVToRGB kernels raise FailedPreconditionError for a wrong channel count (found by fuzzing)."""
    x = tf.placeholder(tf.float32, None)
    for op, channels in ((tf.image.hsv_to_rgb, 2), (tf.image.rgb_to_hsv, 4)):
        with tf.Session() as sess, pytest.raises(tf.errors.FailedPreconditionError, match=re.escape(
                "input must have 3 channels but input only has %d channels." % channels)):
            sess.run(op(x), {x: np.zeros((2, 2, channels), np.float32)})
