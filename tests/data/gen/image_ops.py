"""Writes tests/data/tf_image_ops.json: what TensorFlow computes for tf.image's resize ops (every method, both
align_corners settings and half_pixel_centers, up- and down-sampling, non-square sizes), their gradients, and
tf.image's functions (each case a lambda source that tests/test_image_ops.py runs on tfmini too).

Run with a TensorFlow install: /tmp/tfvenv/bin/python tests/data/gen/image_ops.py
"""
import base64
import io
import json
import pathlib

import numpy as np
import tensorflow.compat.v1 as tf

from golden_values import arr  # tests/data/gen/golden_values.py

tf.disable_v2_behavior()
OUT = pathlib.Path(__file__).resolve().parent.parent / "tf_image_ops.json"
rng = np.random.RandomState(7)


def weights(shape):
    """The loss weights of the gradient cases (the test makes the same ones)."""
    n = int(np.prod(shape))
    return (0.5 + (np.arange(n) * 7 % 11) / 10.0).astype(np.float32).reshape(shape)


OPS = {"bilinear": tf.image.resize_bilinear, "nearest": tf.image.resize_nearest_neighbor,
       "bicubic": tf.image.resize_bicubic, "area": tf.image.resize_area}
SIZES = [(7, 9), (3, 4), (2, 10), (4, 6)]  # up, down, mixed non-square, same
image = rng.uniform(0, 1, size=(1, 4, 6, 2)).astype(np.float32)
image_u8 = rng.randint(0, 256, size=(1, 5, 3, 1)).astype(np.uint8)

resize = []
for method, fn in OPS.items():
    settings = [(False, False), (True, False)] + ([] if method == "area" else [(False, True)])
    for align, half in settings:
        for size in [sz for sz in SIZES if not (half and sz == (4, 6))]:  # same size: once per method is enough
            for img in (image, image_u8) if size == (7, 9) else (image,):
                tf.reset_default_graph()
                x = tf.constant(img)
                kw = {"align_corners": align}
                if method != "area":
                    kw["half_pixel_centers"] = half
                y = fn(x, list(size), **kw)
                case = {"method": method, "align_corners": align, "half_pixel_centers": half, "size": list(size),
                        "image": arr(img)}
                w = weights(y.shape.as_list())
                grads = [] if method == "area" or img.dtype != np.float32 else tf.gradients(tf.reduce_sum(y * w), x)
                with tf.Session() as sess:
                    out = sess.run([y] + grads)
                case["out"] = arr(out[0])
                if grads:
                    case["grad"] = arr(out[1])
                resize.append(case)

# tf.image functions: (id, lambda source, inputs); the test evaluates the same source with tfmini
img3 = rng.uniform(0, 1, size=(4, 5, 3)).astype(np.float32)
img4 = rng.uniform(0, 1, size=(2, 4, 5, 3)).astype(np.float32)
u8 = rng.randint(0, 256, size=(4, 5, 3)).astype(np.uint8)
i32 = rng.randint(-2 ** 31, 2 ** 31 - 1, size=(2, 3, 3)).astype(np.int32)
f64 = rng.uniform(-0.2, 1.2, size=(2, 3, 3)).astype(np.float64)
gray = rng.uniform(0, 1, size=(2, 3, 4, 1)).astype(np.float32)
FUNCS = [
    ("resize_images_3d_u8_bilinear", "lambda tf, x: tf.image.resize_images(x, [6, 4])", [u8]),
    ("resize_images_3d_u8_nearest", "lambda tf, x: tf.image.resize_images(x, [6, 4], method=1)", [u8]),
    ("resize_images_3d_u8_bicubic_align",
     "lambda tf, x: tf.image.resize_images(x, [7, 3], method=2, align_corners=True)", [u8]),
    ("resize_images_area", "lambda tf, x: tf.image.resize_images(x, [3, 2], tf.image.ResizeMethod.AREA)", [img4]),
    ("resize_images_same_size", "lambda tf, x: tf.image.resize_images(x, [4, 5])", [u8]),
    ("resize_images_aspect", "lambda tf, x: tf.image.resize_images(x, [8, 20], preserve_aspect_ratio=True)", [img3]),
    ("resize_v1", "lambda tf, x: tf.image.resize(x, [3, 7], method=tf.image.ResizeMethod.BICUBIC)", [img4]),
    ("resize_area_one_pixel_align", "lambda tf, x: tf.image.resize_area(x, [3, 2], align_corners=True)",
     [np.float32([[[[0.7]]]])]),
    ("resize_bicubic_one_pixel_align", "lambda tf, x: tf.image.resize_bicubic(x, [3, 2], align_corners=True)",
     [np.float32([[[[0.7]]]])]),
    ("resize_to_one_pixel_align",
     "lambda tf, x: tf.stack([tf.image.resize_images(x, [1, 1], m, align_corners=True) for m in range(4)])", [img4]),
    ("flip_left_right", "lambda tf, x: tf.image.flip_left_right(x)", [img3]),
    ("flip_up_down_4d", "lambda tf, x: tf.image.flip_up_down(x)", [img4]),
    ("transpose_image", "lambda tf, x: tf.image.transpose_image(x)", [img4]),
    ("rot90_3d", "lambda tf, x: tf.image.rot90(x)", [img3]),
    ("rot90_4d_k3", "lambda tf, x: tf.image.rot90(x, k=3)", [img4]),
    ("rot90_k_minus2", "lambda tf, x: tf.image.rot90(x, -2)", [img3]),
    ("crop_to_bounding_box", "lambda tf, x: tf.image.crop_to_bounding_box(x, 1, 2, 2, 3)", [img3]),
    ("pad_to_bounding_box", "lambda tf, x: tf.image.pad_to_bounding_box(x, 1, 2, 7, 8)", [img4]),
    ("crop_or_pad_crop", "lambda tf, x: tf.image.resize_image_with_crop_or_pad(x, 2, 3)", [img3]),
    ("crop_or_pad_pad", "lambda tf, x: tf.image.resize_image_with_crop_or_pad(x, 7, 8)", [img4]),
    ("crop_or_pad_mixed", "lambda tf, x: tf.image.resize_image_with_crop_or_pad(x, 2, 9)", [u8]),
    ("resize_image_with_pad", "lambda tf, x: tf.image.resize_image_with_pad(x, 6, 9)", [img3]),
    ("resize_image_with_pad_nearest", "lambda tf, x: tf.image.resize_image_with_pad(x, 7, 3, method=1)", [img4]),
    ("adjust_gamma", "lambda tf, x: tf.image.adjust_gamma(x, 0.6, 1.3)", [img3]),
    ("adjust_gamma_u8", "lambda tf, x: tf.image.adjust_gamma(x, 2.2)", [u8]),
    ("central_crop", "lambda tf, x: tf.image.central_crop(x, 0.5)", [img3]),
    ("central_crop_4d", "lambda tf, x: tf.image.central_crop(x, 0.7)", [img4]),
    ("convert_u8_f32", "lambda tf, x: tf.image.convert_image_dtype(x, tf.float32)", [u8]),
    ("convert_f32_u8", "lambda tf, x: tf.image.convert_image_dtype(x, tf.uint8)", [img3]),
    ("convert_f64_u8_saturate", "lambda tf, x: tf.image.convert_image_dtype(x, tf.uint8, saturate=True)", [f64]),
    ("convert_i32_u8", "lambda tf, x: tf.image.convert_image_dtype(x, tf.uint8)", [i32]),
    ("convert_u8_i32", "lambda tf, x: tf.image.convert_image_dtype(x, tf.int32)", [u8]),
    ("convert_i32_f32", "lambda tf, x: tf.image.convert_image_dtype(x, tf.float32)", [i32]),
    ("convert_f32_i16", "lambda tf, x: tf.image.convert_image_dtype(x, tf.int16)", [img3]),
    ("convert_f32_f64", "lambda tf, x: tf.image.convert_image_dtype(x, tf.float64)", [img3]),
    ("adjust_brightness", "lambda tf, x: tf.image.adjust_brightness(x, 0.3)", [img3]),
    ("adjust_brightness_u8", "lambda tf, x: tf.image.adjust_brightness(x, -0.2)", [u8]),
    ("adjust_contrast", "lambda tf, x: tf.image.adjust_contrast(x, 1.7)", [img4]),
    ("adjust_contrast_u8", "lambda tf, x: tf.image.adjust_contrast(x, 0.4)", [u8]),
    ("per_image_standardization", "lambda tf, x: tf.image.per_image_standardization(x)", [img4]),
    ("per_image_standardization_u8", "lambda tf, x: tf.image.per_image_standardization(x)", [u8]),
    ("rgb_to_grayscale", "lambda tf, x: tf.image.rgb_to_grayscale(x)", [img4]),
    ("rgb_to_grayscale_u8", "lambda tf, x: tf.image.rgb_to_grayscale(x)", [u8]),
    ("grayscale_to_rgb", "lambda tf, x: tf.image.grayscale_to_rgb(x)", [gray]),
    ("rgb_to_hsv", "lambda tf, x: tf.image.rgb_to_hsv(x)", [img4]),
    ("hsv_to_rgb", "lambda tf, x: tf.image.hsv_to_rgb(x)", [img4]),
    ("adjust_saturation", "lambda tf, x: tf.image.adjust_saturation(x, 1.6)", [img3]),
    ("adjust_saturation_u8", "lambda tf, x: tf.image.adjust_saturation(x, 0.3)", [u8]),
    ("adjust_hue", "lambda tf, x: tf.image.adjust_hue(x, 0.2)", [img4]),
    ("adjust_hue_neg", "lambda tf, x: tf.image.adjust_hue(x, -0.45)", [img3]),
    ("total_variation_3d", "lambda tf, x: tf.image.total_variation(x)", [img3]),
    ("total_variation_4d", "lambda tf, x: tf.image.total_variation(x)", [img4]),
    ("image_gradients", "lambda tf, x: tf.stack(tf.image.image_gradients(x))", [img4]),
]
funcs = []
for fid, src, inputs in FUNCS:
    tf.reset_default_graph()
    y = eval(src)(tf, *[tf.constant(a) for a in inputs])
    with tf.Session() as sess:
        out = sess.run(y)
    funcs.append({"id": fid, "src": src, "inputs": [arr(a) for a in inputs], "out": arr(out),
                  "static_shape": [None if d is None else int(d) for d in y.shape.as_list()]})

# decoding: small PNGs (every channel conversion) and a JPEG, as bytes (base64) with what TF decodes
def encoded(a, fmt, **kw):
    from PIL import Image
    buf = io.BytesIO()
    Image.fromarray(a).save(buf, format=fmt, **kw)
    return buf.getvalue()


px = rng.randint(0, 256, size=(6, 7, 4)).astype(np.uint8)
smooth = (np.add.outer(np.arange(16), np.arange(16))[..., None] * [3, 2, 1] % 256).astype(np.uint8)
files = {"png_rgba": encoded(px, "PNG"), "png_rgb": encoded(px[..., :3], "PNG"), "png_gray": encoded(px[..., 0], "PNG"),
         "jpeg": encoded(smooth, "JPEG", quality=90)}
DECODES = [("png_rgba", "decode_png", 0), ("png_rgba", "decode_png", 1), ("png_rgba", "decode_png", 3),
           ("png_rgb", "decode_png", 1), ("png_rgb", "decode_png", 4), ("png_gray", "decode_png", 3),
           ("png_gray", "decode_png", 4), ("png_rgb", "decode_image", 0), ("jpeg", "decode_jpeg", 0),
           ("jpeg", "decode_jpeg", 1), ("jpeg", "decode_image", 3)]
DECODES += [("png_rgb", "decode_image", 0, "float32"), ("png_gray", "decode_png", 0, "uint16")]
decodes = []
for key, fn, channels, *dtype in DECODES:
    tf.reset_default_graph()
    kw = {"dtype": dtype[0]} if dtype else {}
    with tf.Session() as sess:
        out = sess.run(getattr(tf.image, fn)(files[key], channels=channels, **kw))
    decodes.append(dict(file=key, fn=fn, channels=channels, out=arr(out), **kw))

OUT.write_text(json.dumps({"tensorflow": tf.__version__, "resize": resize, "functions": funcs, "decode": decodes,
                           "files": {k: base64.b64encode(v).decode() for k, v in files.items()}},
                          separators=(",", ":")))
print("wrote %s (%d bytes)" % (OUT, OUT.stat().st_size))
