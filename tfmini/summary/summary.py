"""tf.summary's ops: scalar, histogram, image, audio, text/tensor summaries and merge.

Each summary op outputs a scalar string tensor holding a serialized `Summary` protocol buffer, as
in TensorFlow: `sess.run(tf.summary.scalar("loss", loss))` is bytes that a `FileWriter` writes to
an event file (or `tf.Summary.FromString` reads). The op types, inputs and attributes are TF's
(ScalarSummary, HistogramSummary, ImageSummary, AudioSummaryV2, TensorSummaryV2, MergeSummary),
so the graph TensorBoard shows is TF's too. The kernels build the bytes with the wire-format
encoder of tfmini/io/proto.py, PNG and WAV with the standard library: no protobuf needed.

>>> loss_summary = tf.summary.scalar("loss", loss)        # op 'loss', tag 'loss'
>>> merged = tf.summary.merge_all()                       # op 'Merge/MergeSummary'
>>> writer.add_summary(sess.run(merged, feed), step)
"""
import re
import struct
import sys
import zlib

import numpy as np

from ..framework import dtypes, errors, messages
from ..framework.op_def_library import convert_one, make_op
from ..framework.op_registry import NOT_DIFFERENTIABLE, register_op
from ..framework.ops import GraphKeys, add_to_collection, convert_to_tensor, get_collection, name_scope
from ..framework.tensor_shape import TensorShape
from ..io import proto

__all__ = ["scalar", "histogram", "image", "audio", "text", "tensor_summary", "merge", "merge_all"]
__all__ += ["scalar_summary", "histogram_summary", "image_summary", "audio_summary", "merge_summary",
            "merge_all_summaries"]  # TF 0.x's names, exported as tf.scalar_summary, ...


def _log():
    import logging  # only when there is something to say: `import tfmini` stays light
    return logging.getLogger("tensorflow")  # TF's logger: tf.logging.set_verbosity shows it


# TF's realnumbertypes, in the order its messages list them (those tfmini has)
_REAL = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.uint8, dtypes.int16, dtypes.int8, dtypes.int64,
         dtypes.uint16, dtypes.float16, dtypes.uint32, dtypes.uint64)
_IMAGE_TYPES = (dtypes.uint8, dtypes.float32, dtypes.float16, dtypes.float64)


# =========================================================================== shared helpers
def _host(a):
    """A host numpy array of a kernel input (summaries are built in host memory)."""
    get = getattr(a, "get", None)
    return np.asarray(get() if get is not None and not isinstance(a, np.ndarray) else a)


def _string_scalar(data):
    """A 0-d object array holding `data` (how tfmini stores a scalar string)."""
    out = np.empty((), dtype=object)
    out[()] = data
    return out


def _text(v):
    v = v.item() if isinstance(v, np.ndarray) else v
    return v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)


def _shape_string(shape):
    """TensorShape::DebugString: '[]', '[2,3]'."""
    return "[%s]" % ",".join(str(d) for d in shape)


def _scalar_tag(tag, what="Tags must be a scalar"):
    t = _host(tag)
    if t.size != 1:  # TF's IsLegacyScalar: a scalar or a one-element vector
        raise errors.InvalidArgumentError(None, None, what)
    return _text(t.reshape(-1)[0])


def _summary_bytes(values):
    """A serialized Summary of value dicts (io/proto form)."""
    return proto.encode(messages.SUMMARY, {"value": values})


def _scalar_string_infer(*inputs, **attrs):
    return dtypes.string, TensorShape([])


_INVALID_TAG_CHARACTERS = re.compile(r"[^-/\w\.]")


def clean_tag(name):
    """A summary name with characters TF does not allow in tags replaced by '_' (leading '/' dropped)."""
    if name is not None:
        new_name = _INVALID_TAG_CHARACTERS.sub("_", name).lstrip("/")
        if new_name != name:
            _log().info("Summary name %s is illegal; using %s instead.", name, new_name)
            name = new_name
    return name


class _SummaryScope:
    """TF's summary_scope: a name scope for the op, and the tag ('<family>/<scope>' with a family)."""

    def __init__(self, name, family=None, default_name=None, values=None):
        name, family = clean_tag(name), clean_tag(family)
        base = name if family is None else "%s/%s" % (family, name)
        self._scope = name_scope(base, default_name, values)
        self._family = family

    def __enter__(self):
        scope = self._scope.__enter__()
        tag = scope.rstrip("/") if self._family is None else "%s/%s" % (self._family, scope.rstrip("/"))
        return tag, scope

    def __exit__(self, *exc):
        return self._scope.__exit__(*exc)


def _collect(val, collections, default_collections):
    for key in (default_collections if collections is None else collections):
        add_to_collection(key, val)


# =========================================================================== ScalarSummary
def _scalar_kernel(xp, tags, values):
    tags, values = _host(tags), _host(values)
    if not (tags.shape == values.shape or (tags.ndim == 0 and values.ndim == 0)):
        single = " (tag '%s')" % _text(tags.reshape(-1)[0]) if tags.size == 1 else ""
        raise errors.InvalidArgumentError(None, None, "tags and values not the same shape: %s != %s%s"
                                          % (_shape_string(tags.shape), _shape_string(values.shape), single))
    return _string_scalar(_summary_bytes([{"tag": _text(t), "simple_value": float(v)}
                                          for t, v in zip(tags.reshape(-1), values.reshape(-1).tolist())]))


register_op("ScalarSummary", infer=_scalar_string_infer, kernel=_scalar_kernel, grad=NOT_DIFFERENTIABLE)


def scalar(name, tensor, collections=None, family=None):
    """A summary of one number, shown as a curve in TensorBoard's Scalars tab.

    name: the op's name and the tag (with enclosing name scopes: 'train/loss').
    tensor: a real-number scalar. Returns a scalar string tensor (a serialized Summary), added
    to `collections` (default [GraphKeys.SUMMARIES], what `merge_all` merges).
    """
    with _SummaryScope(name, family, values=[tensor]) as (tag, scope):
        return _tagged_summary_op("ScalarSummary", "tags", tag, tensor, collections, scope)


def _tagged_summary_op(op_type, tag_param, tag, values, collections, scope):
    """The ScalarSummary or HistogramSummary op named `scope` of real `values` under `tag`, in SUMMARIES."""
    tag_t = convert_one(op_type, tag_param, tag, dtypes.string)
    values_t = convert_one(op_type, "values", values, allowed=_REAL)
    val = make_op(op_type, [tag_t, values_t], {}, name=scope)
    _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


# =========================================================================== HistogramSummary
def _default_bucket_limits():
    """TF's histogram buckets: +-1e-12 growing by 10% up to 1e20, zero, and +-DBL_MAX at the ends."""
    pos = []
    v = 1.0e-12
    while v < 1.0e20:
        pos.append(v)
        v *= 1.1
    pos.append(sys.float_info.max)
    return np.array([-x for x in reversed(pos)] + [0.0] + pos)


_BUCKET_LIMITS = None


def _sequential_sum(x):
    """The sum added up in order, as TF's Histogram::Add does (bit for bit)."""
    return float(np.add.accumulate(x)[-1]) if x.size else 0.0


def histogram_proto(values):
    """The HistogramProto (dict) of an array, as TF's histogram::Histogram encodes it: runs of
    empty buckets collapse into one."""
    global _BUCKET_LIMITS
    if _BUCKET_LIMITS is None:
        _BUCKET_LIMITS = _default_bucket_limits()
    limits = _BUCKET_LIMITS
    x = np.asarray(values, dtype=np.float64).reshape(-1)
    idx = np.minimum(np.searchsorted(limits, x, side="right"), limits.size - 1)
    counts = np.bincount(idx, minlength=limits.size).astype(np.float64)
    full = counts > 0
    nxt = np.append(full[1:], True)
    keep = full | nxt  # a bucket with values, or the last of a run of empty ones
    out = {"min": float(x.min()) if x.size else float(limits[-1]),
           "max": float(x.max()) if x.size else -float(limits[-1]),
           "num": float(x.size), "sum": _sequential_sum(x), "sum_squares": _sequential_sum(x * x),
           "bucket_limit": limits[keep], "bucket": counts[keep]}
    return out


def _histogram_kernel(xp, tag, values):
    tag = _scalar_tag(tag, "tags must be scalar")
    v = _host(values)
    if v.dtype.kind == "f":
        flat = v.reshape(-1)
        bad = np.flatnonzero(~np.isfinite(flat))
        if bad.size:  # TF stops at the first one
            what = "Nan" if np.isnan(flat[bad[0]]) else "Infinity"
            raise errors.InvalidArgumentError(None, None, "%s in summary histogram for: %s" % (what, tag))
    return _string_scalar(_summary_bytes([{"tag": tag, "histo": histogram_proto(v)}]))


register_op("HistogramSummary", infer=_scalar_string_infer, kernel=_histogram_kernel, grad=NOT_DIFFERENTIABLE)


def histogram(name, values, collections=None, family=None):
    """A summary of the distribution of `values` (any shape, real numbers), shown in TensorBoard's
    Histograms and Distributions tabs. Running it fails on NaN or Inf ('Nan in summary histogram for: ...')."""
    with _SummaryScope(name, family, default_name="HistogramSummary", values=[values]) as (tag, scope):
        return _tagged_summary_op("HistogramSummary", "tag", tag, values, collections, scope)


# =========================================================================== ImageSummary
def encode_png(image):
    """PNG bytes of a uint8 array [height, width, channels] with 1 (gray), 3 (RGB) or 4 (RGBA) channels."""
    h, w, c = image.shape
    color = {1: 0, 2: 4, 3: 2, 4: 6}[c]

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = np.zeros((h, 1 + w * c), dtype=np.uint8)  # each row starts with filter type 0 (none)
    rows[:, 1:] = image.reshape(h, w * c)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, color, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows.tobytes(), 6)) + chunk(b"IEND", b""))


def _normalize_image(img, bad_color):
    """TF's float-image scaling: all >= 0 -> largest becomes 255; any negative -> 0 at 128, largest
    magnitude at 127 away. Pixels with a non-finite channel get `bad_color`."""
    depth = img.shape[-1]
    flat = img.reshape(-1, depth)
    finite = np.all(np.isfinite(flat), axis=1)
    good = flat[finite].astype(np.float32)
    lo = float(good.min()) if good.size else np.inf
    hi = float(good.max()) if good.size else -np.inf
    if lo < 0:
        m = max(abs(lo), abs(hi))
        scale, offset = (0.0 if m < 1e-6 else 127.0 / m), 128.0
    else:
        scale, offset = (0.0 if hi < 1e-6 else 255.0 / hi), 0.0
    out = np.empty(flat.shape, dtype=np.uint8)
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = flat.astype(img.dtype) * img.dtype.type(scale) + img.dtype.type(offset)
    out[finite] = scaled[finite].astype(np.uint8)  # truncation, as TF's cast
    out[~finite] = bad_color[:depth]
    return out.reshape(img.shape)


def _image_kernel(xp, tag, tensor, max_images=3, bad_color=None):
    tag = _scalar_tag(tag)
    t = _host(tensor)
    if t.ndim != 4 or t.shape[3] not in (1, 3, 4):
        raise errors.InvalidArgumentError(None, None, "Tensor must be 4-D with last dim 1, 3, or 4, not %s"
                                          % _shape_string(t.shape))
    bad = np.asarray(bad_color if bad_color is not None else [255, 0, 0, 255], dtype=np.uint8).reshape(-1)
    if t.dtype != np.uint8 and bad.size < t.shape[3]:
        raise errors.InvalidArgumentError(None, None, "expected depth <= bad_color.size, got depth = %d, "
                                          "bad_color.size = %d" % (t.shape[3], bad.size))
    values = []
    for i in range(min(max_images, t.shape[0])):
        img = t[i] if t.dtype == np.uint8 else _normalize_image(t[i], bad)
        values.append({"tag": "%s/image/%d" % (tag, i) if max_images > 1 else "%s/image" % tag,
                       "image": {"height": t.shape[1], "width": t.shape[2], "colorspace": t.shape[3],
                                 "encoded_image_string": encode_png(np.ascontiguousarray(img))}})
    return _string_scalar(_summary_bytes(values))


register_op("ImageSummary", infer=_scalar_string_infer, kernel=_image_kernel, grad=NOT_DIFFERENTIABLE)


def _check_min(op_type, attr, value, minimum):
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
        raise TypeError("Expected int for argument '%s' not %r." % (attr, value))
    if value < minimum:
        raise ValueError("Attr '%s' of '%s' Op passed %d less than minimum %d." % (attr, op_type, value, minimum))
    return int(value)


def image(name, tensor, max_outputs=3, collections=None, family=None):
    """A summary of up to `max_outputs` images of a batch [batch, height, width, channels]
    (channels 1, 3 or 4; uint8 as is, floats scaled per image into [0, 255]), shown in
    TensorBoard's Images tab with tags 'name/image/0', ... ('name/image' when max_outputs is 1)."""
    max_outputs = _check_min("ImageSummary", "max_images", max_outputs, 1)
    with _SummaryScope(name, family, values=[tensor]) as (tag, scope):
        return _image_summary_op(tag, tensor, max_outputs, collections, scope)


def _image_summary_op(tag, tensor, max_images, collections, scope):
    """The ImageSummary op named `scope` (TF's bad_color: opaque red for non-finite pixels), in SUMMARIES."""
    tag_t = convert_one("ImageSummary", "tag", tag, dtypes.string)
    tensor_t = convert_one("ImageSummary", "tensor", tensor, allowed=_IMAGE_TYPES)
    bad_color = np.array([255, 0, 0, 255], dtype=np.uint8)
    bad_color.flags.writeable = False
    val = make_op("ImageSummary", [tag_t, tensor_t], {"max_images": max_images, "bad_color": bad_color}, name=scope)
    _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


# =========================================================================== AudioSummaryV2
def encode_wav(samples, sample_rate):
    """16-bit PCM WAV bytes of float samples [frames, channels] in [-1, 1] (TF's EncodeAudioAsS16LEWav)."""
    frames, channels = samples.shape
    x = np.clip(samples.astype(np.float32) * np.float32(32768.0), -32768.0, 32767.0)
    pcm = (np.sign(x) * np.floor(np.abs(x) + 0.5)).astype("<i2").tobytes()  # roundf: halves away from zero
    fmt = struct.pack("<4sIHHIIHH", b"fmt ", 16, 1, channels, sample_rate, sample_rate * channels * 2,
                      channels * 2, 16)
    return (struct.pack("<4sI4s", b"RIFF", 4 + len(fmt) + 8 + len(pcm), b"WAVE") + fmt
            + struct.pack("<4sI", b"data", len(pcm)) + pcm)


def _audio_kernel(xp, tag, tensor, sample_rate, max_outputs=3):
    tag = _scalar_tag(tag, "Tag must be a scalar")
    t = _host(tensor)
    if not 2 <= t.ndim <= 3:
        raise errors.InvalidArgumentError(None, None, "Tensor must be 3-D or 2-D, got: %s" % _shape_string(t.shape))
    rate = float(_host(sample_rate).reshape(-1)[0])
    if not rate > 0.0:
        raise errors.InvalidArgumentError(None, None, "sample_rate must be > 0")
    batch, frames = t.shape[0], t.shape[1]
    channels = 1 if t.ndim == 2 else t.shape[2]
    t = t.reshape(batch, frames, channels)
    rounded = max(int(np.rint(rate)), 1)
    values = []
    for i in range(min(max_outputs, batch)):
        values.append({"tag": "%s/audio/%d" % (tag, i) if max_outputs > 1 else "%s/audio" % tag,
                       "audio": {"sample_rate": rate, "num_channels": channels, "length_frames": frames,
                                 "encoded_audio_string": encode_wav(t[i], rounded), "content_type": "audio/wav"}})
    return _string_scalar(_summary_bytes(values))


register_op("AudioSummaryV2", infer=_scalar_string_infer, kernel=_audio_kernel, grad=NOT_DIFFERENTIABLE)


def audio(name, tensor, sample_rate, max_outputs=3, collections=None, family=None):
    """A summary of up to `max_outputs` sounds of a batch [batch, frames, channels] or
    [batch, frames] (floats in [-1, 1]) at `sample_rate` Hz, written as WAV, played in TensorBoard's
    Audio tab with tags 'name/audio/0', ..."""
    max_outputs = _check_min("AudioSummaryV2", "max_outputs", max_outputs, 1)
    with _SummaryScope(name, family=family, values=[tensor]) as (tag, scope):
        rate = convert_to_tensor(sample_rate, dtype=dtypes.float32, name="sample_rate")
        tag_t = convert_one("AudioSummaryV2", "tag", tag, dtypes.string)
        tensor_t = convert_one("AudioSummaryV2", "tensor", tensor, dtypes.float32)
        val = make_op("AudioSummaryV2", [tag_t, tensor_t, rate], {"max_outputs": max_outputs}, name=scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


# =========================================================================== TensorSummaryV2 (and text)
def _tensor_content_proto(arr):
    """TF's Tensor::AsProtoTensorContent (raw bytes), or AsProtoField for strings (every value)."""
    dt = dtypes.string if arr.dtype == object or arr.dtype.kind in "SU" else dtypes.as_dtype(arr.dtype)
    out = {"dtype": dt.as_datatype_enum,
           "tensor_shape": {"dim": [{"size": int(d)} if d else {} for d in arr.shape]}}
    if dt == dtypes.string:
        out["string_val"] = [x if isinstance(x, bytes) else str(x).encode("utf-8") for x in arr.reshape(-1).tolist()]
    elif arr.size:
        out["tensor_content"] = np.ascontiguousarray(arr, arr.dtype.newbyteorder("<")).tobytes()
    return out


def _tensor_summary_kernel(xp, tag, tensor, serialized_summary_metadata):
    tag = _scalar_tag(tag, "tag must be scalar")
    meta = _host(serialized_summary_metadata).reshape(-1)[0]
    meta = meta if isinstance(meta, bytes) else str(meta).encode("utf-8")
    try:
        proto.decode(messages.SUMMARY_METADATA, meta)
    except proto.ProtoError:
        raise errors.InvalidArgumentError(None, None, "Could not parse the summary metadata") from None
    value = {"tag": tag, "metadata": meta, "tensor": _tensor_content_proto(_host(tensor))}  # metadata, even empty
    return _string_scalar(_summary_bytes([value]))


register_op("TensorSummaryV2", infer=_scalar_string_infer, kernel=_tensor_summary_kernel, grad=NOT_DIFFERENTIABLE)


def _metadata_bytes(summary_metadata, summary_description=None, display_name=None):
    if summary_metadata is None:
        meta = {}
    elif isinstance(summary_metadata, dict):
        meta = dict(summary_metadata)
    else:
        meta = proto.decode(messages.SUMMARY_METADATA,
                            messages.to_bytes(summary_metadata, "SummaryMetadata", messages.SUMMARY_METADATA))
    if summary_description is not None:
        meta["summary_description"] = summary_description
    if display_name is not None:
        meta["display_name"] = display_name
    return proto.encode(messages.SUMMARY_METADATA, meta)


def tensor_summary(name, tensor, summary_description=None, collections=None, summary_metadata=None, family=None,
                   display_name=None):
    """A summary holding a whole tensor (any dtype and shape), for TensorBoard plugins that read tensors.

    summary_metadata: a SummaryMetadata (message, its bytes, or a dict like
    {"plugin_data": {"plugin_name": "text"}}) saying which plugin shows it.
    """
    meta = _metadata_bytes(summary_metadata, summary_description, display_name)
    with _SummaryScope(name, family, values=[tensor]) as (tag, scope):
        tag_t = convert_one("TensorSummaryV2", "tag", tag, dtypes.string)
        tensor_t = convert_to_tensor(tensor, name="tensor")
        meta_t = convert_one("TensorSummaryV2", "serialized_summary_metadata", meta, dtypes.string)
        val = make_op("TensorSummaryV2", [tag_t, tensor_t, meta_t], {}, name=scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def text(name, tensor, collections=None):
    """A summary of a string tensor (Markdown), shown in TensorBoard's Text tab.

    ValueError when `tensor` is not a string tensor.
    """
    t = convert_to_tensor(tensor) if not hasattr(tensor, "dtype") else tensor
    if t.dtype.base_dtype != dtypes.string:
        raise ValueError("Expected tensor %s to have dtype string, got %s" % (t.name, t.dtype.name))
    return tensor_summary(name=name, tensor=t, summary_metadata={"plugin_data": {"plugin_name": "text"}},
                          collections=collections)


# =========================================================================== MergeSummary
def _merge_kernel(xp, *inputs, N=None):
    parts = []
    tags = set()
    for arr in inputs:
        for s in _host(arr).reshape(-1).tolist():
            s = s if isinstance(s, bytes) else str(s).encode("utf-8")
            try:
                for num, wire, value in proto.iter_fields(s):
                    if num != 1 or wire != 2:
                        continue
                    tag = proto.decode({1: ("tag", "bytes")}, value).get("tag", b"")
                    if tag and tag in tags:
                        raise errors.InvalidArgumentError(None, None, "Duplicate tag %s found in summary inputs"
                                                          % tag.decode("utf-8", "replace"))
                    tags.add(tag)
                    parts.append(proto.encode({1: ("value", "bytes")}, {"value": bytes(value)}))
            except proto.ProtoError:
                raise errors.InvalidArgumentError(None, None, "Could not parse one of the summary inputs") from None
    return _string_scalar(b"".join(parts))


register_op("MergeSummary", infer=_scalar_string_infer, kernel=_merge_kernel, grad=NOT_DIFFERENTIABLE)


def merge(inputs, collections=None, name=None):
    """One summary with the values of all `inputs` (string tensors of serialized Summaries).
    Running it fails when two inputs have the same tag ('Duplicate tag loss found in summary inputs')."""
    name = clean_tag(name)
    inputs = list(inputs)
    with name_scope(name, "Merge", inputs):
        try:
            tensors = [convert_to_tensor(x, dtype=dtypes.string, name="inputs") for x in inputs]
        except (TypeError, ValueError):
            observed = []
            for x in inputs:
                try:
                    observed.append(convert_to_tensor(x).dtype.base_dtype.name)
                except (TypeError, ValueError):
                    observed.append("<NOT CONVERTIBLE TO TENSOR>")
            raise TypeError("Tensors in list passed to 'inputs' of 'MergeSummary' Op have types [%s] that do not "
                            "match expected type string." % ", ".join(observed)) from None
        val = make_op("MergeSummary", tensors, {"N": len(tensors)}, name=name)
        _collect(val, collections, [])
    return val


def merge_all(key=GraphKeys.SUMMARIES, scope=None, name=None):
    """merge() of every summary in collection `key` (those tf.summary.* made), or None when there is none.

    scope: keep only summaries whose name matches this regex from the start.
    """
    summary_ops = get_collection(key, scope=scope)
    if not summary_ops:
        return None
    return merge(summary_ops, name=name)


# =========================================================================== TF 0.x names (tf.scalar_summary, ...)
# The lecture-era spellings TF 1.0 replaced by tf.summary.*: the same ops, but the tag is used exactly as given
# (no enclosing name scope added), scalar_summary takes a tensor of tags matching the values' shape, and the ops
# are named after their type by default ('ScalarSummary', 'HistogramSummary', 'MergeSummary/MergeSummary').
def _tagged_summary(op_type, tag_param, tag, values, collections, name):
    """TF 0.x's ScalarSummary or HistogramSummary: `tag` as given, the op in a name scope of its type's name."""
    with name_scope(name, op_type, [tag, values]) as scope:
        return _tagged_summary_op(op_type, tag_param, tag, values, collections, scope)


def scalar_summary(tags, values, collections=None, name=None):
    """TF 0.x's tf.scalar_summary: one value per tag, `tags` a string (or string tensor) shaped like `values`."""
    return _tagged_summary("ScalarSummary", "tags", tags, values, collections, name)


def histogram_summary(tag, values, collections=None, name=None):
    """TF 0.x's tf.histogram_summary: tf.summary.histogram with `tag` used as given."""
    return _tagged_summary("HistogramSummary", "tag", tag, values, collections, name)


def image_summary(tag, tensor, max_images=3, collections=None, name=None):
    """TF 0.x's tf.image_summary: tf.summary.image with `tag` used as given (tags 'tag/image/0', ...)."""
    max_images = _check_min("ImageSummary", "max_images", max_images, 1)
    with name_scope(name, "ImageSummary", [tag, tensor]) as scope:
        return _image_summary_op(tag, tensor, max_images, collections, scope)


def audio_summary(tag, tensor, sample_rate, max_outputs=3, collections=None, name=None):
    """TF 0.x's tf.audio_summary: tf.summary.audio with `tag` used as given."""
    max_outputs = _check_min("AudioSummaryV2", "max_outputs", max_outputs, 1)
    with name_scope(name, "AudioSummary", [tag, tensor]) as scope:
        rate = convert_to_tensor(sample_rate, dtype=dtypes.float32, name="sample_rate")
        tag_t = convert_one("AudioSummaryV2", "tag", tag, dtypes.string)
        tensor_t = convert_one("AudioSummaryV2", "tensor", tensor, dtypes.float32)
        val = make_op("AudioSummaryV2", [tag_t, tensor_t, rate], {"max_outputs": max_outputs}, name=scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def merge_summary(inputs, collections=None, name=None):
    """TF 0.x's tf.merge_summary: tf.summary.merge, its op 'MergeSummary/MergeSummary' by default."""
    inputs = list(inputs)
    with name_scope(name, "MergeSummary", inputs):
        tensors = [convert_to_tensor(x, dtype=dtypes.string, name="inputs") for x in inputs]
        val = make_op("MergeSummary", tensors, {"N": len(tensors)}, name=name)
        _collect(val, collections, [])
    return val


def merge_all_summaries(key=GraphKeys.SUMMARIES):
    """TF 0.x's tf.merge_all_summaries: merge_summary of collection `key`, or None when it is empty."""
    summary_ops = get_collection(key)
    if not summary_ops:
        return None
    return merge_summary(summary_ops)
