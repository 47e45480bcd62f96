"""MNIST for the lessons: TF1's `read_data_sets` over the standard files, checksum-verified and cached,
with the 5,000 real digits shipped in the package as the offline fallback.

    from tfmini.datasets import mnist
    data = mnist.read_data_sets(one_hot=True)          # full MNIST if cached or downloadable, else the subset
    data = mnist.read_data_sets(source="subset")       # always the shipped 5,000 digits (what the lessons use)
    xs, ys = data.train.next_batch(128)                # xs float32 [128, 784] in [0, 1]; ys int labels or one-hot

Where the data comes from (`source`):

- "full": the four IDX files (`train-images-idx3-ubyte.gz`, ...) in `train_dir`, or Keras' `mnist.npz` there;
  missing IDX files are downloaded (only when `download` allows it) and every file is checked against its
  published md5 / sha256 before use. 60,000 training and 10,000 test digits.
- "subset": `data/mnist_5k.npz` inside this package (see `data/README.md`, CC BY-SA 3.0): 500 digits of each
  class, split per class into 400 training and 100 test digits with a fixed seed (4,000 + 1,000).
- "auto" (default): "full" when it can be had, else "subset" with an `OfflineFallbackWarning` saying so.

The cache folder is `train_dir`, by default `$TFMINI_DATA_DIR/mnist` or `~/.tfmini/datasets/mnist`.
Downloads never happen when `download=False` or the environment sets `TFMINI_OFFLINE=1`.

Differences from TF1's `tensorflow.examples.tutorials.mnist.input_data`, on purpose: each DataSet shuffles
with its own `numpy.random.RandomState(seed)` (not the global numpy state), and `validation_size` defaults
to TF's 5,000 for the full set but to 0 for the subset.
"""
import collections
import gzip
import hashlib
import os
import shutil
import tempfile
import urllib.request
import warnings

import numpy as np

__all__ = ["read_data_sets", "load_data", "load_subset", "DataSet", "Datasets", "read_idx", "dense_to_one_hot",
           "file_digest", "verify_file", "default_data_dir", "maybe_download", "OfflineFallbackWarning",
           "DownloadUnavailable", "IDX_FILES", "NPZ_FILE", "SUBSET_PATH", "SUBSET_SHA256", "DEFAULT_SOURCE_URL",
           "NPZ_URL"]

DEFAULT_SOURCE_URL = "https://storage.googleapis.com/cvdf-datasets/mnist/"
NPZ_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"

# the standard files and their published md5 sums (http://yann.lecun.com/exdb/mnist/, as mirrored by TF)
IDX_FILES = collections.OrderedDict([
    ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
    ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
    ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
    ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
])
# Keras' single-file copy: (file name, sha256)
NPZ_FILE = ("mnist.npz", "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1")

SUBSET_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "mnist_5k.npz")
SUBSET_SHA256 = "246e0c30eeea57c8d0037d3f38c8e00651ec204cc61b8022563e9aeeb9d756f4"
_SUBSET_SEED = 0  # the fixed split of the subset; changing it changes every lesson's numbers
_SUBSET_TEST_PER_CLASS = 100


class OfflineFallbackWarning(UserWarning):
    """read_data_sets(source="auto") could not get the full MNIST and uses the shipped 5,000-digit subset."""


class DownloadUnavailable(OSError):
    """A file is missing and may not be downloaded here (download=False, TFMINI_OFFLINE, or no network)."""


# =========================================================================== files: cache, checksums, download
def default_data_dir():
    """`$TFMINI_DATA_DIR/mnist` when that variable is set, else `~/.tfmini/datasets/mnist`."""
    root = os.environ.get("TFMINI_DATA_DIR") or os.path.join(os.path.expanduser("~"), ".tfmini", "datasets")
    return os.path.join(root, "mnist")


def file_digest(path, algorithm="sha256"):
    """The hex digest of a file's bytes ('md5' or 'sha256'), read in 1 MiB blocks."""
    h = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _algorithm(expected):
    return "md5" if len(expected) == 32 else "sha256"


def verify_file(path, expected):
    """Raise ValueError unless the file's md5 (32 hex digits) or sha256 (64) is `expected`."""
    got = file_digest(path, _algorithm(expected))
    if got != expected.lower():
        raise ValueError("Checksum mismatch for %s: expected %s %s, got %s. The file is damaged or not the "
                         "published one: delete it and load again." % (path, _algorithm(expected), expected, got))
    return path


def _downloads_allowed(download):
    if download is not None:
        return bool(download)
    return os.environ.get("TFMINI_OFFLINE", "").strip().lower() in ("", "0", "false", "no")


def _fetch(url, path, timeout=30):
    """Copy `url` to `path`; the only function here that touches the network."""
    with urllib.request.urlopen(url, timeout=timeout) as response, open(path, "wb") as out:  # noqa: S310
        shutil.copyfileobj(response, out)


def maybe_download(filename, work_directory, source_url, expected, download=None):
    """The path of `filename` in `work_directory`, downloaded from `source_url` first if missing.

    A cached file is verified against `expected` (md5 or sha256); a download is written to a temporary
    file, verified, then renamed into place, so an interrupted download never leaves a half file behind.
    Raises DownloadUnavailable when the file is missing and downloads are off or fail.
    """
    path = os.path.join(work_directory, filename)
    if os.path.exists(path):
        return verify_file(path, expected)
    if not _downloads_allowed(download):
        raise DownloadUnavailable("%s is not in %s and downloads are off (download=False or TFMINI_OFFLINE)"
                                  % (filename, work_directory))
    os.makedirs(work_directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=filename + ".", suffix=".part", dir=work_directory)
    os.close(fd)
    try:
        try:
            _fetch(source_url, tmp)
        except OSError as e:  # URLError, timeouts, DNS: all OSError
            raise DownloadUnavailable("could not download %s: %s" % (source_url, e)) from e
        verify_file(tmp, expected)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


# =========================================================================== IDX format
# the third byte of an IDX file's magic number names the element type
_IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: np.dtype(">i2"), 0x0C: np.dtype(">i4"),
              0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}


def read_idx(path):
    """An IDX file (gzip-compressed or not) as a numpy array of its declared type and shape.

    IDX: two zero bytes, a type byte (0x08 ubyte, 0x09 byte, 0x0B short, 0x0C int, 0x0D float,
    0x0E double), a byte giving the number of dimensions, then each dimension as a big-endian int32,
    then the data, row-major. MNIST images are [n, 28, 28] ubyte (magic 2051), labels [n] (magic 2049).
    """
    with open(path, "rb") as f:
        gz = f.read(2) == b"\x1f\x8b"
    with (gzip.open(path, "rb") if gz else open(path, "rb")) as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in _IDX_TYPES:
        raise ValueError("Invalid magic number %d in IDX file: %s"
                         % (int.from_bytes(data[:4].ljust(4, b"\0"), "big"), path))
    dtype, ndim = np.dtype(_IDX_TYPES[data[2]]), data[3]
    header = 4 + 4 * ndim
    if len(data) < header:
        raise ValueError("Truncated IDX header in %s" % path)
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    count = int(np.prod(shape, dtype=np.int64))
    if len(data) - header != count * dtype.itemsize:
        raise ValueError("IDX file %s declares shape %s (%d bytes of data) but holds %d bytes"
                         % (path, list(shape), count * dtype.itemsize, len(data) - header))
    return np.frombuffer(data, dtype, count, header).reshape(shape).astype(dtype.newbyteorder("="))


def _extract_images(path):
    """[n, rows, cols, 1] uint8, as TF's extract_images returns them."""
    images = read_idx(path)
    if images.ndim != 3 or images.dtype != np.uint8:
        raise ValueError("Invalid magic number in MNIST image file: %s (expected 2051: ubyte, 3 dimensions)" % path)
    return images[..., np.newaxis]


def _extract_labels(path):
    labels = read_idx(path)
    if labels.ndim != 1 or labels.dtype != np.uint8:
        raise ValueError("Invalid magic number in MNIST label file: %s (expected 2049: ubyte, 1 dimension)" % path)
    return labels


def dense_to_one_hot(labels_dense, num_classes=10):
    """[n] class ids -> [n, num_classes] float64 one-hot rows (TF1's helper, same dtype)."""
    labels_dense = np.asarray(labels_dense)
    one_hot = np.zeros((labels_dense.shape[0], num_classes))
    one_hot[np.arange(labels_dense.shape[0]), labels_dense.astype(np.int64)] = 1
    return one_hot


# =========================================================================== the data
def _load_full(train_dir, source_url, download):
    """(train_images [n,28,28,1], train_labels [n], test_images, test_labels), uint8, from the IDX files in
    train_dir, else mnist.npz there, else the IDX files downloaded."""
    idx_here = all(os.path.exists(os.path.join(train_dir, name)) for name in IDX_FILES)
    npz_here = os.path.exists(os.path.join(train_dir, NPZ_FILE[0]))
    if npz_here and not idx_here:
        path = verify_file(os.path.join(train_dir, NPZ_FILE[0]), NPZ_FILE[1])
        with np.load(path, allow_pickle=False) as d:
            return (d["x_train"][..., np.newaxis], d["y_train"], d["x_test"][..., np.newaxis], d["y_test"])
    paths = [maybe_download(name, train_dir, source_url + name, md5, download) for name, md5 in IDX_FILES.items()]
    return (_extract_images(paths[0]), _extract_labels(paths[1]), _extract_images(paths[2]),
            _extract_labels(paths[3]))


def load_subset():
    """The shipped 5,000 digits as (images uint8 [5000, 28, 28], labels uint8 [5000]), sorted by label,
    after checking the file's sha256."""
    with np.load(verify_file(SUBSET_PATH, SUBSET_SHA256), allow_pickle=False) as d:
        return d["images"], d["labels"]


def _split_subset():
    """The subset split per class, 400 training and 100 test digits of each, both shuffled (fixed seed)."""
    images, labels = load_subset()
    rng = np.random.RandomState(_SUBSET_SEED)
    train, test = [], []
    for c in range(10):
        idx = rng.permutation(np.flatnonzero(labels == c))
        test.append(idx[:_SUBSET_TEST_PER_CLASS])
        train.append(idx[_SUBSET_TEST_PER_CLASS:])
    train, test = rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))
    return images[train], labels[train], images[test], labels[test]


def _arrays(train_dir, source, source_url, download, stacklevel, split="4,000 training, 1,000 test"):
    """(source actually used, train images [n,28,28], train labels, test images, test labels). `split`: how the
    fallback warning describes the subset's parts."""
    if source not in ("auto", "full", "subset"):
        raise ValueError("source must be 'auto', 'full' or 'subset', got %r" % (source,))
    if source != "subset":
        try:
            tr_x, tr_y, te_x, te_y = _load_full(train_dir, source_url, download)
            return "full", tr_x[..., 0], tr_y, te_x[..., 0], te_y
        except DownloadUnavailable as e:
            if source == "full":
                raise
            warnings.warn("MNIST: the full data set is not available here (%s); using the 5,000 digits shipped "
                          "with tfmini instead (%s). Results differ from full-MNIST ones."
                          % (e, split), OfflineFallbackWarning, stacklevel=stacklevel + 1)
    return ("subset",) + _split_subset()


def load_data(path=None, source="auto", download=None):
    """Keras-style: ((x_train, y_train), (x_test, y_test)), uint8 images [n, 28, 28] and labels [n].

    `path` is the cache folder (default: default_data_dir()); `source` and `download` as in read_data_sets.
    """
    _, tr_x, tr_y, te_x, te_y = _arrays(path or default_data_dir(), source, DEFAULT_SOURCE_URL, download, 2)
    return (tr_x, tr_y), (te_x, te_y)


class DataSet:
    """TF1's MNIST DataSet: `images`, `labels`, `num_examples`, `epochs_completed`, `next_batch(n)`.

    images: uint8 [n, rows, cols, 1] (or [n, rows, cols]); with reshape=True they become [n, rows*cols];
    with dtype float32 (the default) they are rescaled from 0..255 to [0.0, 1.0]. labels: [n] class ids, or
    [n, 10] float64 one-hot rows when the caller made them so. next_batch shuffles each epoch with the
    DataSet's own RandomState(seed).
    """

    def __init__(self, images, labels, fake_data=False, one_hot=False, dtype=None, reshape=True, seed=None):
        from ..framework import dtypes
        dtype = dtypes.as_dtype(dtypes.float32 if dtype is None else dtype).base_dtype
        if dtype not in (dtypes.uint8, dtypes.float32):
            raise TypeError("Invalid image dtype %r, expected uint8 or float32" % dtype)
        self._rng = np.random.RandomState(seed)
        if fake_data:
            self._num_examples = 10000
            self.one_hot = one_hot
        else:
            images, labels = np.asarray(images), np.asarray(labels)
            if images.shape[0] != labels.shape[0]:
                raise ValueError("images.shape: %s labels.shape: %s" % (images.shape, labels.shape))
            self._num_examples = images.shape[0]
            if reshape:
                if images.ndim == 4 and images.shape[3] != 1:
                    raise ValueError("reshape=True needs one channel, got images of shape %s" % (images.shape,))
                images = images.reshape(images.shape[0], int(np.prod(images.shape[1:])))
            if dtype == dtypes.float32:
                images = images.astype(np.float32) * np.float32(1.0 / 255.0)
        self._images = images
        self._labels = labels
        self._epochs_completed = 0
        self._index_in_epoch = 0

    @property
    def images(self):
        return self._images

    @property
    def labels(self):
        return self._labels

    @property
    def num_examples(self):
        return self._num_examples

    @property
    def epochs_completed(self):
        return self._epochs_completed

    def next_batch(self, batch_size, fake_data=False, shuffle=True):
        """The next `batch_size` examples (images, labels). Reshuffles at each epoch's start when `shuffle`;
        a batch that crosses the end of an epoch takes the rest of this epoch and the start of the next."""
        if fake_data:
            fake_image = [1] * 784
            fake_label = [1] + [0] * 9 if self.one_hot else 0
            return [fake_image for _ in range(batch_size)], [fake_label for _ in range(batch_size)]
        start = self._index_in_epoch
        if self._epochs_completed == 0 and start == 0 and shuffle:
            self._shuffle()
        if start + batch_size > self._num_examples:
            self._epochs_completed += 1
            images_rest = self._images[start:self._num_examples]
            labels_rest = self._labels[start:self._num_examples]
            if shuffle:
                self._shuffle()
            self._index_in_epoch = end = batch_size - (self._num_examples - start)
            return (np.concatenate((images_rest, self._images[:end]), axis=0),
                    np.concatenate((labels_rest, self._labels[:end]), axis=0))
        self._index_in_epoch += batch_size
        return self._images[start:self._index_in_epoch], self._labels[start:self._index_in_epoch]

    def _shuffle(self):
        perm = self._rng.permutation(self._num_examples)
        self._images = self._images[perm]
        self._labels = self._labels[perm]

    def __repr__(self):
        return "<DataSet: %d examples, images %s %s, labels %s %s>" % (
            self._num_examples, getattr(self._images, "shape", "?"), getattr(self._images, "dtype", ""),
            getattr(self._labels, "shape", "?"), getattr(self._labels, "dtype", ""))


Datasets = collections.namedtuple("Datasets", ["train", "validation", "test"])


def read_data_sets(train_dir=None, fake_data=False, one_hot=False, dtype=None, reshape=True, validation_size=None,
                   seed=None, source_url=DEFAULT_SOURCE_URL, source="auto", download=None):
    """MNIST as Datasets(train, validation, test), each a DataSet (TF1's `input_data.read_data_sets`).

    train_dir: the cache folder (default: default_data_dir()). one_hot: labels as [n, 10] float64 rows
    instead of [n] uint8 ids. dtype: float32 (images in [0, 1], default) or uint8 (0..255). reshape: images
    [n, 784] instead of [n, 28, 28, 1]. validation_size: how many of the first training digits to set aside
    (default 5000 for the full set, 0 for the subset). seed: the DataSets' shuffling seed (each of the three
    gets its own RandomState(seed)). source: "auto", "full" or "subset" (see the module doc); download:
    True, False or None (allowed unless TFMINI_OFFLINE is set).

    >>> data = read_data_sets(source="subset", one_hot=True, seed=0)
    >>> data.train.images.shape, data.train.labels.shape, data.test.num_examples
    ((4000, 784), (4000, 10), 1000)
    """
    if fake_data:
        def fake():
            return DataSet([], [], fake_data=True, one_hot=one_hot, dtype=dtype, seed=seed)
        return Datasets(train=fake(), validation=fake(), test=fake())
    # (TF programs that read `mnist.validation` find it empty unless they ask for some: the warning says so)
    split = ("4,000 training, 0 validation (validation_size=500 would set 500 of them aside), 1,000 test"
             if validation_size is None else "4,000 training, of them %s for validation, 1,000 test" % validation_size)
    used, tr_x, tr_y, te_x, te_y = _arrays(train_dir or default_data_dir(), source, source_url, download, 2, split)
    if validation_size is None:
        validation_size = 5000 if used == "full" else 0
    if not 0 <= validation_size <= len(tr_x):
        raise ValueError("Validation size should be between 0 and {}. Received: {}.".format(len(tr_x),
                                                                                       validation_size))
    if one_hot:
        tr_y, te_y = dense_to_one_hot(tr_y), dense_to_one_hot(te_y)
    tr_x, te_x = tr_x[..., np.newaxis], te_x[..., np.newaxis]
    options = dict(dtype=dtype, reshape=reshape, seed=seed)
    validation = DataSet(tr_x[:validation_size], tr_y[:validation_size], **options)
    train = DataSet(tr_x[validation_size:], tr_y[validation_size:], **options)
    test = DataSet(te_x, te_y, **options)
    return Datasets(train=train, validation=validation, test=test)
