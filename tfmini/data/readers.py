"""tf.data's file readers: TextLineDataset, TFRecordDataset and FixedLengthRecordDataset, built as TF 2.21 builds them
in a TF 1.x graph: the file names become a TensorSliceDataset (`flat_filenames`), which a FlatMapDataset maps, file
by file, through a traced function `read_one_file` holding the reader op of one file (TextLineDataset,
TFRecordDataset, FixedLengthRecordDatasetV2). With `num_parallel_reads`, files are interleaved instead
(LegacyParallelInterleaveDatasetV2, `block_length` 1)."""
import os

from ..framework import dtypes
from ..framework.ops import Tensor, convert_to_tensor
from ..framework.tensor_shape import TensorShape
from ..ops import array_ops
from ..ops import dataset_ops as _ops
from . import structure
from .dataset_ops import AUTOTUNE, Dataset

__all__ = ["TextLineDataset", "TFRecordDataset", "FixedLengthRecordDataset"]

_DEFAULT_READER_BUFFER_SIZE_BYTES = 256 * 1024  # TF's default buffer of the text and fixed-length readers
_DEFAULT_TF_RECORD_BUFFER_SIZE_BYTES = -1  # (TF's kernel chooses)


def _filenames_dataset(filenames):
    """A dataset of file names (string scalars): `filenames` itself when it is one (TypeError, TF's wording,
    otherwise), else a TensorSliceDataset of `filenames` (a string, a list of them or a string tensor) flattened."""
    if isinstance(filenames, Dataset):
        if filenames.output_types != dtypes.string:
            raise TypeError("The `filenames` argument must contain `tf.string` elements. Got a dataset of `%r` "
                            "elements." % (filenames.output_types,))
        if not filenames.output_shapes.is_compatible_with(TensorShape([])):
            raise TypeError("The `filenames` argument must contain `tf.string` elements of shape [] (i.e. scalars). "
                            "Got a dataset of element shape %r." % (filenames.output_shapes,))
        return filenames
    filenames = structure.map_structure(lambda p: os.fspath(p) if isinstance(p, os.PathLike) else p, filenames)
    filenames = convert_to_tensor(filenames, preferred_dtype=dtypes.string)
    if filenames.dtype.base_dtype != dtypes.string:
        raise TypeError("The `filenames` argument must contain `tf.string` elements. Got `%r` elements."
                        % (filenames.dtype.base_dtype,))
    filenames = array_ops.reshape(filenames, [-1], name="flat_filenames")
    attrs = {"Toutput_types": [dtypes.string], "output_shapes": [TensorShape([])], "is_files": True, "metadata": "",
             "replicate_on_split": False}
    return Dataset(_ops.dataset_op("TensorSliceDataset", [filenames], attrs), dtypes.string, TensorShape([]),
                   "TensorSlice")


def _param(name, value, default, dtype=dtypes.int64):
    """TF's optional_param_to_tensor: `value` (or `default` where it is None) as a tensor named `name`."""
    if isinstance(value, Tensor):
        return value
    return convert_to_tensor(default if value is None else value, dtype=dtype, name=name)


class _FileDataset(Dataset):
    """A dataset of the records of files (string scalars): `make_reader(filename)` builds the reader op of one
    file, inside the traced `read_one_file`."""

    _TF_CLASS = None  # the name TF's repr shows

    def __init__(self, filenames, make_reader, num_parallel_reads=None):
        files = _filenames_dataset(filenames)

        def read_one_file(filename):
            filename = convert_to_tensor(filename, dtype=dtypes.string, name="filename")
            return Dataset(make_reader(filename), dtypes.string, TensorShape([]), "Source")

        if num_parallel_reads is None:
            fn, _ = files._trace_dataset_fn(read_one_file, "Dataset_flat_map_read_one_file")
            inner = files._derived("FlatMapDataset", [files._variant_tensor] + fn.captured,
                                   {"f": fn, "Targuments": [t.dtype.base_dtype for t in fn.captured]},
                                   dtypes.string, TensorShape([]), kind="FlatMap")
        elif not isinstance(num_parallel_reads, Tensor) and num_parallel_reads == AUTOTUNE:
            inner = files.interleave(read_one_file, num_parallel_calls=num_parallel_reads)
        else:
            fn, _ = files._trace_dataset_fn(read_one_file, "tf_data_experimental_parallel_interleave_read_one_file")
            cycle_length = convert_to_tensor(num_parallel_reads, dtype=dtypes.int64, name="cycle_length")
            block_length = convert_to_tensor(1, dtype=dtypes.int64, name="block_length")
            buffer_output = convert_to_tensor(2, dtype=dtypes.int64, name="buffer_output_elements")
            prefetch_input = 2 * num_parallel_reads if not isinstance(num_parallel_reads, Tensor) else \
                2 * cycle_length
            prefetch_input = convert_to_tensor(prefetch_input, dtype=dtypes.int64, name="prefetch_input_elements")
            inputs = [files._variant_tensor] + fn.captured + [cycle_length, block_length, buffer_output,
                                                              prefetch_input]
            inner = files._derived("LegacyParallelInterleaveDatasetV2", inputs,
                                   {"f": fn, "Targuments": [t.dtype.base_dtype for t in fn.captured],
                                    "deterministic": "true"}, dtypes.string, TensorShape([]),
                                   kind="LegacyParallelInterleave")
        super().__init__(inner._variant_tensor, dtypes.string, TensorShape([]), self._TF_CLASS)

    def __repr__(self):
        return "<%s element_spec=%s>" % (self._TF_CLASS, self.element_spec)


class TextLineDataset(_FileDataset):
    """The lines of text files (without their line ends), file after file.

    filenames: a file name, a list of them, a string tensor, or a dataset of them; compression_type: "", "GZIP" or
    "ZLIB"; buffer_size: bytes to buffer (tfmini reads each file whole); num_parallel_reads: files read at once, their
    lines interleaved.

    >>> ds = tf.data.TextLineDataset('data.csv').skip(1)          # the lines after a header line
    """

    _TF_CLASS = "TextLineDatasetV2"

    def __init__(self, filenames, compression_type=None, buffer_size=None, num_parallel_reads=None, name=None):
        def make_reader(filename):
            kind = _param("compression_type", compression_type, "", dtypes.string)
            size = _param("buffer_size", buffer_size, _DEFAULT_READER_BUFFER_SIZE_BYTES)
            return _ops.dataset_op("TextLineDataset", [filename, kind, size], {"metadata": ""})
        super().__init__(filenames, make_reader, num_parallel_reads)


class TFRecordDataset(_FileDataset):
    """The records of TFRecord files (what tf.io.TFRecordWriter writes), file after file, as string scalars. A record
    whose CRC does not match fails get_next with DataLossError; the next get_next goes on with the next file.

    filenames: a file name, a list of them, a string tensor, or a dataset of them; compression_type: "", "GZIP" or
    "ZLIB"; num_parallel_reads: files read at once, their records interleaved one by one.

    >>> ds = tf.data.TFRecordDataset(['train.tfrecord']).map(parse_fn).batch(32)
    """

    _TF_CLASS = "TFRecordDatasetV2"

    def __init__(self, filenames, compression_type=None, buffer_size=None, num_parallel_reads=None, name=None):
        def make_reader(filename):
            kind = _param("compression_type", compression_type, "", dtypes.string)
            size = _param("buffer_size", buffer_size, _DEFAULT_TF_RECORD_BUFFER_SIZE_BYTES)
            return _ops.dataset_op("TFRecordDataset", [filename, kind, size], {"metadata": ""})
        super().__init__(filenames, make_reader, num_parallel_reads)


class FixedLengthRecordDataset(_FileDataset):
    """The fixed-length records of binary files (CIFAR-10's), file after file: `record_bytes` each, after
    `header_bytes` and before `footer_bytes` of each file. A file whose body is not a whole number of records fails
    every get_next with InvalidArgumentError (TF's reader keeps retrying it).

    >>> ds = tf.data.FixedLengthRecordDataset(files, record_bytes=1 + 32 * 32 * 3)
    >>> ds = ds.map(lambda r: tf.decode_raw(r, tf.uint8))
    """

    _TF_CLASS = "FixedLengthRecordDatasetV2"

    def __init__(self, filenames, record_bytes, header_bytes=None, footer_bytes=None, buffer_size=None,
                 compression_type=None, num_parallel_reads=None, name=None):
        def make_reader(filename):
            record = _param("record_bytes", record_bytes, None)
            header = _param("header_bytes", header_bytes, 0)
            footer = _param("footer_bytes", footer_bytes, 0)
            size = _param("buffer_size", buffer_size, _DEFAULT_READER_BUFFER_SIZE_BYTES)
            kind = _param("compression_type", compression_type, "", dtypes.string)
            return _ops.dataset_op("FixedLengthRecordDatasetV2", [filename, header, record, footer, size, kind],
                                   {"metadata": ""})
        super().__init__(filenames, make_reader, num_parallel_reads)
