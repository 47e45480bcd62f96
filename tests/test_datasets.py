"""tfmini.datasets.mnist: IDX parsing, checksums, the cache, downloads (faked: no test touches the network),
the offline fallback to the shipped subset, and TF1's DataSet.next_batch."""
import gzip
import hashlib
import os
import shutil
import struct

import numpy as np
import pytest

from tfmini.datasets import mnist


@pytest.fixture(autouse=True)
def _no_network(monkeypatch, tmp_path):
    """No test may reach the network, and none may touch the real cache folder."""
    def refuse(url, path, timeout=30):
        raise AssertionError("a test tried to download %s" % url)
    monkeypatch.setattr(mnist, "_fetch", refuse)
    monkeypatch.setenv("TFMINI_DATA_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TFMINI_OFFLINE", raising=False)


# ---------------------------------------------------------------------------- tiny IDX files
def idx_bytes(array, type_code=0x08):
    array = np.asarray(array)
    header = bytes([0, 0, type_code, array.ndim]) + b"".join(struct.pack(">i", d) for d in array.shape)
    big = {0x08: "u1", 0x09: "i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}[type_code]
    return header + array.astype(big).tobytes()


def write(path, data, gz=True):
    if gz:
        with gzip.open(path, "wb") as f:
            f.write(data)
    else:
        path.write_bytes(data)
    return path


def md5(path):
    return hashlib.md5(path.read_bytes()).hexdigest()


@pytest.fixture
def tiny_mnist(tmp_path, monkeypatch):
    """A train_dir with 7 training and 3 test digits (3 x 2 pixels) as the four IDX .gz files, and the
    checksum table pointed at them. Pixel values encode the example index so order can be followed."""
    d = tmp_path / "MNIST_data"
    d.mkdir()
    train_x = np.arange(7 * 6, dtype=np.uint8).reshape(7, 3, 2) * 6
    train_y = np.array([3, 1, 4, 1, 5, 9, 2], np.uint8)
    test_x = 255 - np.arange(3 * 6, dtype=np.uint8).reshape(3, 3, 2)
    test_y = np.array([6, 5, 3], np.uint8)
    arrays = [train_x, train_y, test_x, test_y]
    for (name, _), a in zip(list(mnist.IDX_FILES.items()), arrays):
        write(d / name, idx_bytes(a))
        monkeypatch.setitem(mnist.IDX_FILES, name, md5(d / name))
    return d, arrays


# ---------------------------------------------------------------------------- read_idx
@pytest.mark.parametrize("gz", [True, False])
def test_read_idx_ubyte_images_and_labels(tmp_path, gz):
    images = np.random.RandomState(0).randint(0, 256, (4, 5, 3)).astype(np.uint8)
    labels = np.array([0, 9, 2, 7], np.uint8)
    got_x = mnist.read_idx(write(tmp_path / "x", idx_bytes(images), gz))
    got_y = mnist.read_idx(write(tmp_path / "y", idx_bytes(labels), gz))
    assert got_x.dtype == np.uint8 and got_x.shape == (4, 5, 3)
    np.testing.assert_array_equal(got_x, images)
    np.testing.assert_array_equal(got_y, labels)


@pytest.mark.parametrize("code,dtype", [(0x09, np.int8), (0x0B, np.int16), (0x0C, np.int32), (0x0D, np.float32),
                                        (0x0E, np.float64)])
def test_read_idx_other_types_big_endian(tmp_path, code, dtype):
    a = np.array([[-3, 2, 1], [100, -7, 0]]).astype(dtype)
    got = mnist.read_idx(write(tmp_path / "a.idx", idx_bytes(a, code), gz=False))
    assert got.dtype == np.dtype(dtype) and got.dtype.isnative
    np.testing.assert_array_equal(got, a)


def test_read_idx_bad_magic(tmp_path):
    p = write(tmp_path / "bad", b"\x00\x00\x42\x01\x00\x00\x00\x01\x05", gz=False)
    with pytest.raises(ValueError, match=r"Invalid magic number 16897 in IDX file: .*bad"):
        mnist.read_idx(p)


def test_read_idx_wrong_size(tmp_path):
    data = idx_bytes(np.zeros((2, 2), np.uint8))[:-1]
    with pytest.raises(ValueError, match=r"declares shape \[2, 2\] \(4 bytes of data\) but holds 3 bytes"):
        mnist.read_idx(write(tmp_path / "short", data))


def test_labels_file_given_as_images_is_refused(tiny_mnist):
    d, _ = tiny_mnist
    with pytest.raises(ValueError, match="Invalid magic number in MNIST image file: .*train-labels"):
        mnist._extract_images(str(d / "train-labels-idx1-ubyte.gz"))


# ---------------------------------------------------------------------------- read_data_sets on the full files
def test_read_data_sets_from_idx_files(tiny_mnist):
    d, (train_x, train_y, test_x, test_y) = tiny_mnist
    data = mnist.read_data_sets(str(d), validation_size=2, download=False)
    assert isinstance(data, mnist.Datasets)
    assert (data.train.num_examples, data.validation.num_examples, data.test.num_examples) == (5, 2, 3)
    assert data.train.images.shape == (5, 6) and data.train.images.dtype == np.float32
    np.testing.assert_allclose(data.validation.images, train_x[:2].reshape(2, 6) / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(data.train.labels, train_y[2:])
    assert data.train.labels.dtype == np.uint8
    np.testing.assert_array_equal(data.test.labels, test_y)
    assert float(data.test.images.max()) == 1.0


def test_read_data_sets_one_hot_uint8_no_reshape(tiny_mnist):
    d, (train_x, train_y, _, test_y) = tiny_mnist
    data = mnist.read_data_sets(str(d), one_hot=True, dtype=np.uint8, reshape=False, validation_size=0,
                                download=False)
    assert data.train.images.shape == (7, 3, 2, 1) and data.train.images.dtype == np.uint8
    np.testing.assert_array_equal(data.train.images[..., 0], train_x)
    assert data.test.labels.shape == (3, 10) and data.test.labels.dtype == np.float64
    np.testing.assert_array_equal(data.test.labels.argmax(1), test_y)


def test_validation_size_out_of_range(tiny_mnist):
    d, _ = tiny_mnist
    with pytest.raises(ValueError, match=r"Validation size should be between 0 and 7. Received: 8."):
        mnist.read_data_sets(str(d), validation_size=8, download=False)


def test_invalid_image_dtype(tiny_mnist):
    import tfmini as tf
    d, _ = tiny_mnist
    with pytest.raises(TypeError, match="Invalid image dtype .*int32.*, expected uint8 or float32"):
        mnist.read_data_sets(str(d), dtype=tf.int32, validation_size=0, download=False)


def test_checksum_mismatch_is_an_error(tiny_mnist, monkeypatch):
    d, _ = tiny_mnist
    monkeypatch.setitem(mnist.IDX_FILES, "t10k-labels-idx1-ubyte.gz", "0" * 32)
    with pytest.raises(ValueError, match=r"Checksum mismatch for .*t10k-labels-idx1-ubyte.gz: expected md5 0{32}, got"):
        mnist.read_data_sets(str(d), download=False)


def test_verify_file_sha256(tmp_path):
    p = tmp_path / "f"
    p.write_bytes(b"abc")
    good = hashlib.sha256(b"abc").hexdigest()
    assert mnist.verify_file(str(p), good) == str(p)
    assert mnist.file_digest(str(p), "md5") == hashlib.md5(b"abc").hexdigest()
    with pytest.raises(ValueError, match="expected sha256 " + "f" * 64):
        mnist.verify_file(str(p), "f" * 64)


def test_mnist_npz_in_the_cache_folder(tmp_path, monkeypatch):
    d = tmp_path / "npz"
    d.mkdir()
    x_train = np.full((4, 28, 28), 7, np.uint8)
    y_train = np.array([1, 2, 3, 4], np.uint8)
    np.savez(d / "mnist.npz", x_train=x_train, y_train=y_train, x_test=x_train[:2], y_test=y_train[:2])
    monkeypatch.setattr(mnist, "NPZ_FILE", ("mnist.npz", hashlib.sha256((d / "mnist.npz").read_bytes()).hexdigest()))
    (xtr, ytr), (xte, yte) = mnist.load_data(str(d), download=False)
    assert xtr.shape == (4, 28, 28) and xte.shape == (2, 28, 28)
    np.testing.assert_array_equal(ytr, y_train)
    data = mnist.read_data_sets(str(d), validation_size=1, download=False)
    assert data.train.images.shape == (3, 784)


# ---------------------------------------------------------------------------- downloads (faked) and the cache
def test_missing_files_are_downloaded_verified_and_cached(tiny_mnist, tmp_path, monkeypatch):
    src, (train_x, *_rest) = tiny_mnist
    cache = tmp_path / "cache_dir"
    fetched = []

    def fake_fetch(url, path, timeout=30):
        fetched.append(url)
        shutil.copy(src / url.rsplit("/", 1)[1], path)
    monkeypatch.setattr(mnist, "_fetch", fake_fetch)
    data = mnist.read_data_sets(str(cache), validation_size=0, source_url="https://example.invalid/mnist/")
    assert fetched == ["https://example.invalid/mnist/" + n for n in mnist.IDX_FILES]
    assert sorted(os.listdir(cache)) == sorted(mnist.IDX_FILES)  # no .part file left behind
    np.testing.assert_allclose(data.train.images, train_x.reshape(7, 6) / 255.0, rtol=1e-6)
    fetched.clear()
    mnist.read_data_sets(str(cache), validation_size=0)  # cached: nothing fetched again
    assert fetched == []


def test_damaged_download_is_refused_and_removed(tiny_mnist, tmp_path, monkeypatch):
    cache = tmp_path / "cache_dir"

    def bad_fetch(url, path, timeout=30):
        with open(path, "wb") as f:
            f.write(b"not mnist")
    monkeypatch.setattr(mnist, "_fetch", bad_fetch)
    with pytest.raises(ValueError, match="Checksum mismatch"):
        mnist.read_data_sets(str(cache), source="full")
    assert os.listdir(cache) == []


def test_failed_download_falls_back_to_the_subset_with_a_notice(tmp_path, monkeypatch):
    def no_network(url, path, timeout=30):
        raise OSError("Name or service not known")
    monkeypatch.setattr(mnist, "_fetch", no_network)
    with pytest.warns(mnist.OfflineFallbackWarning, match="could not download .*Name or service not known.*"
                                                          "using the 5,000 digits shipped with tfmini"):
        data = mnist.read_data_sets(str(tmp_path / "empty"))
    assert (data.train.num_examples, data.validation.num_examples, data.test.num_examples) == (4000, 0, 1000)
    assert [n for n in os.listdir(tmp_path / "empty")] == []


def test_offline_environment_never_downloads(tmp_path, monkeypatch):
    monkeypatch.setenv("TFMINI_OFFLINE", "1")  # _fetch still refuses (autouse fixture): it must not be called
    with pytest.warns(mnist.OfflineFallbackWarning, match=r"downloads are off.*\(4,000 training, 0 validation "
                                                          r"\(validation_size=500 would set 500 of them aside\)"):
        data = mnist.read_data_sets(str(tmp_path / "x"), one_hot=True)
    assert data.train.labels.shape == (4000, 10) and data.validation.num_examples == 0
    with pytest.warns(mnist.OfflineFallbackWarning, match=r"4,000 training, of them 500 for validation"):
        data = mnist.read_data_sets(str(tmp_path / "x"), validation_size=500)
    assert (data.train.num_examples, data.validation.num_examples) == (3500, 500)
    with pytest.raises(mnist.DownloadUnavailable, match="train-images-idx3-ubyte.gz is not in"):
        mnist.read_data_sets(str(tmp_path / "x"), source="full")


def test_tf1_tutorials_import_line_reads_the_same_data(tiny_mnist):
    """`from tensorflow.examples.tutorials.mnist import input_data` with tensorflow spelled tfmini: the same
    read_data_sets (files in the folder named, offline fallback and all)."""
    from tfmini.examples.tutorials.mnist import input_data
    assert input_data.read_data_sets is mnist.read_data_sets and input_data.DataSet is mnist.DataSet
    data = input_data.read_data_sets(str(tiny_mnist[0]), one_hot=True, validation_size=0)
    assert data.train.labels.shape == (7, 10) and data.test.num_examples == 3


def test_default_cache_folder_follows_the_environment(tmp_path):
    assert mnist.default_data_dir() == os.path.join(str(tmp_path / "cache"), "mnist")


def test_bad_source():
    with pytest.raises(ValueError, match="source must be 'auto', 'full' or 'subset', got 'web'"):
        mnist.read_data_sets(source="web")


# ---------------------------------------------------------------------------- the shipped subset
def test_subset_is_verified_and_split_per_class():
    assert mnist.file_digest(mnist.SUBSET_PATH) == mnist.SUBSET_SHA256
    images, labels = mnist.load_subset()
    assert images.shape == (5000, 28, 28) and images.dtype == np.uint8
    data = mnist.read_data_sets(source="subset", dtype=np.uint8)
    assert np.bincount(data.train.labels, minlength=10).tolist() == [400] * 10
    assert np.bincount(data.test.labels, minlength=10).tolist() == [100] * 10
    train = {x.tobytes() for x in data.train.images}
    test = {x.tobytes() for x in data.test.images}
    assert not train & test
    assert len(train | test) == len({x.tobytes() for x in images})
    assert data.train.labels[:10].tolist() != sorted(data.train.labels[:10].tolist())  # shuffled


def test_subset_split_is_fixed():
    a = mnist.read_data_sets(source="subset", seed=1)
    b = mnist.read_data_sets(source="subset", seed=2)
    np.testing.assert_array_equal(a.test.labels, b.test.labels)
    np.testing.assert_array_equal(a.train.images, b.train.images)


def test_readme_with_the_licence_ships_beside_the_subset():
    notice = open(os.path.join(os.path.dirname(mnist.SUBSET_PATH), "README.md")).read()
    assert "CC BY-SA 3.0" in notice and "LeCun" in notice


# ---------------------------------------------------------------------------- DataSet.next_batch
def test_next_batch_covers_each_epoch_once_and_wraps():
    xs = np.arange(10, dtype=np.uint8).reshape(10, 1, 1, 1)
    ds = mnist.DataSet(xs, np.arange(10), dtype=np.uint8, seed=3)
    seen = []
    for _ in range(3):
        x, y = ds.next_batch(3)
        np.testing.assert_array_equal(x[:, 0], y)
        seen += y.tolist()
    assert ds.epochs_completed == 0 and len(set(seen)) == 9
    x, y = ds.next_batch(3)  # 1 left in epoch 0, then 2 of epoch 1
    assert ds.epochs_completed == 1 and len(y) == 3
    assert sorted(seen + [int(y[0])]) == list(range(10))
    assert x.shape == (3, 1)


def test_next_batch_is_reproducible_with_a_seed_and_in_order_without_shuffle():
    def batches(seed, shuffle=True):
        ds = mnist.DataSet(np.zeros((8, 2, 2, 1), np.uint8), np.arange(8), seed=seed)
        return [ds.next_batch(3, shuffle=shuffle)[1].tolist() for _ in range(4)]
    assert batches(5) == batches(5)
    assert batches(5) != batches(6)
    assert batches(None, shuffle=False) == [[0, 1, 2], [3, 4, 5], [6, 7, 0], [1, 2, 3]]


def test_fake_data():
    data = mnist.read_data_sets(fake_data=True, one_hot=True)
    x, y = data.train.next_batch(2, fake_data=True)
    assert len(x) == 2 and len(x[0]) == 784 and y[0] == [1] + [0] * 9


def test_images_and_labels_must_match():
    with pytest.raises(ValueError, match=r"images.shape: \(3, 2, 2, 1\) labels.shape: \(2,\)"):
        mnist.DataSet(np.zeros((3, 2, 2, 1), np.uint8), np.zeros(2))


def test_next_batch_feeds_a_placeholder():
    import tfmini as tf
    data = mnist.read_data_sets(source="subset", seed=0)
    x = tf.placeholder(tf.float32, [None, 784])
    y = tf.placeholder(tf.int64, [None])
    xs, ys = data.train.next_batch(4)
    with tf.Session() as sess:
        got_x, got_y = sess.run([tf.reduce_sum(x, 1), y], {x: xs, y: ys})
    assert got_x.shape == (4,) and got_y.dtype == np.int64
