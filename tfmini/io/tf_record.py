"""TFRecord files: tf.python_io.TFRecordWriter, tf.python_io.tf_record_iterator, TFRecordOptions and
TFRecordCompressionType (also under tf.io), as TensorFlow's python/lib/io/tf_record.py has them.

A TFRecord file is a sequence of framed records (tfmini/io/records.py), optionally compressed as a whole with
zlib: "ZLIB" (a zlib stream) or "GZIP" (a gzip stream). Compression uses the standard library's zlib with
TensorFlow's defaults (level -1, memLevel 9, window 15 bits, +16 for gzip), so the bytes equal TF's.

>>> with tf.python_io.TFRecordWriter("data.tfrecord") as w:
...     w.write(example.SerializeToString())
>>> for record in tf.python_io.tf_record_iterator("data.tfrecord"):
...     ex = tf.train.Example.FromString(record)
"""
import os
import zlib

from ..framework import errors
from . import records

__all__ = ["TFRecordCompressionType", "TFRecordOptions", "TFRecordWriter", "tf_record_iterator", "open_file",
           "file_bytes", "decompress", "compression_type_string"]


class TFRecordCompressionType:
    """The type of compression of a TFRecord file: NONE, ZLIB or GZIP."""
    NONE = 0
    ZLIB = 1
    GZIP = 2


# TensorFlow's ZlibCompressionOptions defaults (core/lib/io/zlib_compression_options.h)
_ZLIB_DEFAULTS = {"flush_mode": zlib.Z_NO_FLUSH, "input_buffer_size": 256 << 10, "output_buffer_size": 256 << 10,
                  "window_bits": zlib.MAX_WBITS, "compression_level": zlib.Z_DEFAULT_COMPRESSION,
                  "compression_method": zlib.DEFLATED, "mem_level": 9, "compression_strategy": zlib.Z_DEFAULT_STRATEGY}


class TFRecordOptions:
    """How a TFRecord file is compressed: compression_type "GZIP", "ZLIB" or "" (none; also None or a
    TFRecordCompressionType), and zlib's settings (None: TensorFlow's defaults).

    >>> tf.python_io.TFRecordWriter(path, tf.python_io.TFRecordOptions("GZIP"))
    """

    compression_type_map = {TFRecordCompressionType.ZLIB: "ZLIB", TFRecordCompressionType.GZIP: "GZIP",
                            TFRecordCompressionType.NONE: ""}

    def __init__(self, compression_type=None, flush_mode=None, input_buffer_size=None, output_buffer_size=None,
                 window_bits=None, compression_level=None, compression_method=None, mem_level=None,
                 compression_strategy=None):
        self.get_compression_type_string(compression_type)  # ValueError for an unknown type, now
        self.compression_type = compression_type
        self.flush_mode = flush_mode
        self.input_buffer_size = input_buffer_size
        self.output_buffer_size = output_buffer_size
        self.window_bits = window_bits
        self.compression_level = compression_level
        self.compression_method = compression_method
        self.mem_level = mem_level
        self.compression_strategy = compression_strategy

    @classmethod
    def get_compression_type_string(cls, options):
        """"ZLIB", "GZIP" or "" for a TFRecordOptions (or any object with a `compression_type`), a
        TFRecordCompressionType value, a string or None; ValueError for anything else."""
        if not options:
            return ""
        if hasattr(options, "compression_type"):
            return cls.get_compression_type_string(options.compression_type)
        if isinstance(options, int) and options in cls.compression_type_map:
            return cls.compression_type_map[options]
        if isinstance(options, str) and options in cls.compression_type_map.values():
            return options
        raise ValueError('Not a valid compression_type: "{}"'.format(options))

    def _zlib_setting(self, name):
        value = getattr(self, name)
        return _ZLIB_DEFAULTS[name] if value is None else value


def _as_options(options):
    return options if isinstance(options, TFRecordOptions) else TFRecordOptions(compression_type=options)


def _window_bits(options, kind):
    bits = options._zlib_setting("window_bits")
    return bits + 16 if kind == "GZIP" else bits  # zlib's +16: a gzip header and trailer instead of zlib's


def compression_type_string(options):
    """The compression type that readers and datasets take (TFRecordOptions.get_compression_type_string)."""
    return TFRecordOptions.get_compression_type_string(options)


def open_file(path, mode):
    """`open(path, mode)` with TensorFlow's errors: NotFoundError "<path>; No such file or directory", ..."""
    path = os.fspath(path)
    path = path.decode() if isinstance(path, bytes) else path
    try:
        return open(path, mode)
    except FileNotFoundError:
        raise errors.NotFoundError(None, None, "%s; No such file or directory" % path) from None
    except IsADirectoryError:
        raise errors.FailedPreconditionError(None, None, "%s; Is a directory" % path) from None
    except PermissionError:
        raise errors.PermissionDeniedError(None, None, "%s; Permission denied" % path) from None


class TFRecordWriter:
    """Writes records (bytes, such as `tf.train.Example(...).SerializeToString()`) to a TFRecord file.

    >>> with tf.python_io.TFRecordWriter("train.tfrecord") as w:
    ...     w.write(example.SerializeToString())

    path: the file (made, or emptied); options: TFRecordOptions, a TFRecordCompressionType or "GZIP"/"ZLIB"/"".
    """

    def __init__(self, path, options=None):
        options = _as_options(options)
        self._kind = TFRecordOptions.get_compression_type_string(options)
        self._options = options
        self._file = open_file(path, "wb")
        self._zip = None
        if self._kind:
            self._zip = zlib.compressobj(options._zlib_setting("compression_level"),
                                         options._zlib_setting("compression_method"),
                                         _window_bits(options, self._kind), options._zlib_setting("mem_level"),
                                         options._zlib_setting("compression_strategy"))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _check_open(self):
        if self._file is None:
            raise errors.FailedPreconditionError(None, None, "Writer is closed.")

    def write(self, record):
        """Write one record (bytes; a str is written as its UTF-8 bytes)."""
        self._check_open()
        data = records.frame(record.encode("utf-8") if isinstance(record, str) else record)
        self._file.write(self._zip.compress(data) if self._zip is not None else data)

    def flush(self):
        """Write what is buffered to the file (compressed output as far as the flush_mode lets it: TF's default,
        Z_NO_FLUSH, keeps the compressor's pending bytes until close)."""
        self._check_open()
        if self._zip is not None and self._options._zlib_setting("flush_mode") != zlib.Z_NO_FLUSH:
            self._file.write(self._zip.flush(self._options._zlib_setting("flush_mode")))
        self._file.flush()

    def close(self):
        """Finish the compressed stream, if any, and close the file (a second close does nothing)."""
        if self._file is None:
            return
        if self._zip is not None:
            self._file.write(self._zip.flush(zlib.Z_FINISH))
        self._file.close()
        self._file = None


def file_bytes(path):
    """The whole contents of the file `path`, with open_file's TensorFlow errors."""
    with open_file(path, "rb") as f:
        return f.read()


def _inflate_error(e):
    """zlib's error as TensorFlow's: DataLossError "inflate() failed with error -3: incorrect header check"."""
    code, _, why = str(e).partition(" while decompressing data: ")
    return errors.DataLossError(None, None, "inflate() failed with error %s: %s" % (code.replace("Error ", ""), why))


def decompress(data, compression_type):
    """A whole file's bytes, inflated when `compression_type` is "GZIP" or "ZLIB" (else as they are: TF's readers
    take any other name as no compression, after a logged error)."""
    if compression_type not in ("GZIP", "ZLIB"):
        return data
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS if compression_type == "GZIP" else zlib.MAX_WBITS)
    try:
        return inflate.decompress(data) + inflate.flush()
    except zlib.error as e:
        raise _inflate_error(e) from None


class _Inflating:
    """A read-only binary file object of the decompressed bytes of a zlib or gzip stream."""

    def __init__(self, f, wbits, chunk=256 << 10):
        self._f, self._chunk = f, chunk
        self._zip = zlib.decompressobj(wbits)
        self._buf = b""

    def read(self, n):
        while len(self._buf) < n and not self._zip.eof:
            raw = self._f.read(self._chunk)
            if not raw:
                break
            try:
                self._buf += self._zip.decompress(raw)
            except zlib.error as e:
                raise _inflate_error(e) from None
        out, self._buf = self._buf[:n], self._buf[n:]
        return out


def tf_record_iterator(path, options=None):
    """The records of the TFRecord file `path`, in order (bytes), their CRCs checked.

    options: TFRecordOptions, a TFRecordCompressionType or "GZIP"/"ZLIB"/"" (how the file was written).
    NotFoundError for a missing file; DataLossError ("corrupted record at 12") for damaged data.
    """
    kind = TFRecordOptions.get_compression_type_string(options)
    wbits = _window_bits(_as_options(options), kind) if kind else None
    f = open_file(path, "rb")  # opened now, as TF does: a missing file fails at the call, not at the first record

    def records_of_file():
        with f:
            yield from records.iter_records(_Inflating(f, wbits) if kind else f)
    return records_of_file()
