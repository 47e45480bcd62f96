"""The checkpoint file formats without TensorFlow: CRC32C, the protobuf wire format, TF's table
(SSTable), the V2 tensor bundle (byte-for-byte against files real TensorFlow wrote) and V1 files;
and a fuzz test: 1,000+ damaged index/data files all end in a TF error class."""
import json
import os
import shutil
import signal
import time
import tracemalloc

import numpy as np
import pytest

import tfmini as tf
from conftest import REPO, SHARED
from tfmini.io import crc32c, proto, table, tensor_bundle
from tfmini.io.table import Table, TableBuilder, TableError

FIXTURE = SHARED / "fixtures" / "tf_checkpoint"
UINT_CKPT = REPO / "tests" / "data" / "tf_uint_ckpt"
UINT = json.loads((REPO / "tests" / "data" / "tf_uint_dtypes.json").read_text())
FIXTURE_V1 = SHARED / "fixtures" / "tf_checkpoint_v1"
PREFIX = str(FIXTURE / "model.ckpt-3")
V1_FILE = str(FIXTURE_V1 / "model_v1.ckpt")


def _expected(directory):
    with np.load(directory / "expected_values.npz", allow_pickle=False) as z:
        return {k.replace("__", "/"): z[k] for k in z.files}


# =========================================================================== CRC32C
def test_crc32c_known_values():
    assert crc32c.value(b"123456789") == 0xE3069283  # the CRC-32C check value
    assert crc32c.value(b"") == 0
    assert crc32c.value(bytes(32)) == 0x8A9136AA  # RFC 3720 B.4: 32 bytes of zeros
    assert crc32c.value(bytes(range(32))) == 0x46DD794E  # RFC 3720 B.4: 0x00..0x1f


def test_crc32c_mask_round_trips():
    for crc in (0, 1, 0xE3069283, 0xFFFFFFFF):
        assert crc32c.unmask(crc32c.mask(crc)) == crc
    assert crc32c.mask(0) == 0xA282EAD8


@pytest.mark.parametrize("n", [1, 3, 4095, 4096, 4099, 70001, 1 << 20])
def test_crc32c_numpy_fallback_matches_bytewise(n):
    data = np.random.default_rng(n).integers(0, 256, n, dtype=np.uint8)
    want = crc32c._extend_bytes(0xFFFFFFFF, data.tobytes()) ^ 0xFFFFFFFF
    assert crc32c._extend_fallback(0, data) == want
    assert crc32c.value(data) == want  # whichever backend is installed
    k = n // 3
    assert crc32c._extend_fallback(crc32c._extend_fallback(0, data[:k]), data[k:]) == want


# =========================================================================== protobuf wire format
def test_varints_and_fields_round_trip():
    entry = {"dtype": 1, "shape": {"dim": [{"size": 3}, {}, {"size": 4}]}, "offset": 1 << 40, "size": 48,
             "crc32c": 0xDEADBEEF, "slices": [{"extent": [{"start": 1, "length": 2}, {}]}]}
    assert proto.decode(proto.BUNDLE_ENTRY, proto.encode(proto.BUNDLE_ENTRY, entry)) == entry
    assert proto.encode_varint(300) == b"\xac\x02"
    assert proto.encode_varint(-1) == b"\xff" * 9 + b"\x01"
    assert proto.decode(proto.VERSION_DEF, proto.encode(proto.VERSION_DEF, {"producer": -5}))["producer"] == -5


def test_packed_repeated_fields_decode_as_arrays():
    tp = {"dtype": 3, "int_val": [1, -2, 300, 2 ** 31 - 1], "float_val": [0.5, -1.25], "bool_val": [True, False]}
    got = proto.decode(proto.TENSOR_PROTO, proto.encode(proto.TENSOR_PROTO, tp))
    np.testing.assert_array_equal(got["int_val"], np.array([1, -2, 300, 2 ** 31 - 1], np.int32))
    np.testing.assert_array_equal(got["float_val"], np.array([0.5, -1.25], np.float32))
    np.testing.assert_array_equal(got["bool_val"], [True, False])
    # an unpacked occurrence of a packed field is accepted too, as protobuf does
    unpacked = b"\x38\x05\x38\x07"  # int_val: 5, int_val: 7
    np.testing.assert_array_equal(proto.decode(proto.TENSOR_PROTO, unpacked)["int_val"], [5, 7])


@pytest.mark.parametrize("bad, what", [
    (b"\x0a\x05ab", "claims 5 bytes"),
    (b"\x08", "truncated varint"),
    (b"\x08" + b"\xff" * 11, "longer than 10 bytes"),
    (b"\x00\x01", "field number 0"),
    (b"\x0b\x00", "unsupported wire type 3"),
    (b"\x6a\x03\x80\x80\x80", "truncated packed varint"),  # half_val
])
def test_malformed_protobuf_is_a_proto_error(bad, what):
    with pytest.raises(proto.ProtoError, match=what):
        proto.decode(proto.TENSOR_PROTO, bad)


def test_unknown_fields_are_skipped():
    msg = proto.encode(proto.VERSION_DEF, {"producer": 7}) + b"\xf8\x01\x05"  # field 31, varint
    assert proto.decode(proto.VERSION_DEF, msg) == {"producer": 7}


# =========================================================================== tables
def test_table_rebuilds_tensorflows_files_byte_for_byte():
    for path in (PREFIX + ".index", V1_FILE):
        data = open(path, "rb").read()
        builder = TableBuilder()
        for k, v in Table(data).items():
            builder.add(k, v)
        assert builder.finish() == data, path


def test_table_with_many_blocks_and_restarts():
    builder = TableBuilder(block_size=256)
    items = [(b"key%05d/%s" % (i, b"x" * (i % 7)), b"value-%d" % i * (1 + i % 3)) for i in range(0, 3000, 3)]
    for k, v in items:
        builder.add(k, v)
    t = Table(builder.finish())
    assert len(t._handles) > 10
    assert [(k, bytes(v)) for k, v in t.items()] == items
    for k, v in items[::97]:
        assert bytes(t.get(k)) == v
    assert t.get(b"key00001/") is None and t.get(b"zzz") is None and t.get(b"") is None


def test_table_rejects_unsorted_keys():
    builder = TableBuilder()
    builder.add(b"b", b"1")
    with pytest.raises(ValueError, match="increasing order"):
        builder.add(b"a", b"2")


@pytest.mark.parametrize("data, what", [
    (b"short", "file too short"),
    (b"\x00" * 48, "bad magic number"),
    (b"\x00\x00" + b"\xff" * 38 + table.MAGIC.to_bytes(8, "little"), "bad block handle"),
    (b"\x00\x10" + b"\x00" * 38 + table.MAGIC.to_bytes(8, "little"), "truncated block read"),
])
def test_table_errors(data, what):
    with pytest.raises(TableError, match=what):
        Table(data)


def test_table_block_checksum_is_checked():
    data = bytearray(open(PREFIX + ".index", "rb").read())
    data[100] ^= 1
    with pytest.raises(TableError, match="block checksum mismatch"):
        list(Table(bytes(data)).items())


def test_snappy_blocks_are_read():
    raw = b"abcabcabcabcXYZ" * 3
    # literal 'abc', then a copy of length 9 at offset 3, then literal 'XYZ' ... written by hand
    comp = bytes([len(raw)]) + bytes([(3 - 1) << 2]) + b"abc" + bytes([1 | ((9 - 4) << 2)]) + b"\x03" \
        + bytes([(3 - 1) << 2]) + b"XYZ" + bytes([2 | ((30 - 1) << 2)]) + (15).to_bytes(2, "little")
    assert table.snappy_uncompress(comp) == raw
    for bad in (b"\x80", b"\xff\xff\xff\x7f", bytes([5, 1 | (1 << 2), 9])):
        with pytest.raises(TableError, match="corrupted compressed block"):
            table.snappy_uncompress(bad)


# =========================================================================== V2 bundle against TF's files
def test_v2_fixture_reads_exactly():
    r = tensor_bundle.open_checkpoint(PREFIX)
    want = _expected(FIXTURE)
    assert r.keys() == sorted(want)
    for name, value in want.items():
        got = r.read(name)
        assert got.dtype == value.dtype and got.shape == value.shape, name
        np.testing.assert_array_equal(got, value, err_msg=name)


def test_v2_writer_reproduces_tensorflows_bytes(tmp_path):
    want = _expected(FIXTURE)
    tensor_bundle.write_bundle(str(tmp_path / "m"), [(n, want[n]) for n in sorted(want)])
    for suffix in (".index", ".data-00000-of-00001"):
        assert (tmp_path / ("m" + suffix)).read_bytes() == open(PREFIX + suffix, "rb").read(), suffix
    assert sorted(os.listdir(tmp_path)) == ["m.data-00000-of-00001", "m.index"]  # no temporary files left


def test_v2_all_dtypes_and_strings_round_trip(tmp_path):
    values = {
        "f16": np.array([1.5, -2.0], np.float16), "f32": np.arange(6, dtype=np.float32).reshape(2, 3),
        "f64": np.array([[1e300]]), "i8": np.array([-128, 127], np.int8), "i16": np.array([-3], np.int16),
        "i32": np.array(7, np.int32), "i64": np.array([2 ** 40], np.int64), "u8": np.array([255], np.uint8),
        "u16": np.array([65535], np.uint16), "u32": np.array([0, 2 ** 32 - 1], np.uint32),
        "u64": np.array([[2 ** 64 - 1], [2 ** 63]], np.uint64), "b": np.array([True, False, True]),
        "c64": np.array([1 + 2j], np.complex64), "c128": np.array([[3 - 4j]], np.complex128),
        "empty": np.zeros((0, 4), np.float32), "s": np.array([b"abc", b"", "\u00e9t\u00e9".encode()], object),
        "s0": np.array(b"scalar", object), "big_endian": np.array([1.0, 2.0], ">f4"),
    }
    prefix = str(tmp_path / "all")
    tensor_bundle.write_bundle(prefix, list(values.items()))
    r = tensor_bundle.open_checkpoint(prefix)
    for name, v in values.items():
        got = r.read(name)
        assert got.shape == v.shape, name
        np.testing.assert_array_equal(got, v, err_msg=name)
        assert got.dtype == v.dtype.newbyteorder("="), name
        assert r.dtype(name) == (tf.string if v.dtype == object else tf.as_dtype(v.dtype.newbyteorder("=")))


def test_v2_uint32_uint64_checkpoint_of_tensorflow_reads_and_rewrites_byte_for_byte(tmp_path):
    """DT_UINT32/DT_UINT64 (22/23) in the index, their little-endian bytes in the data file: tfmini reads what TF
    wrote and writes the same bytes (tests/data/gen/uint_dtypes.py)."""
    prefix = str(UINT_CKPT / "model.ckpt")
    want = {k: np.array(v["value"], np.dtype(v["dtype"])) for k, v in UINT["checkpoint"].items()}
    r = tensor_bundle.open_checkpoint(prefix)
    assert r.keys() == sorted(want)
    for name, value in want.items():
        got = r.read(name)
        assert r.dtype(name) == tf.as_dtype(value.dtype)
        assert got.dtype == value.dtype and got.shape == value.shape and got.tolist() == value.tolist(), name
    tensor_bundle.write_bundle(str(tmp_path / "m"), [(n, want[n]) for n in sorted(want)])
    for suffix in (".index", ".data-00000-of-00001"):
        assert (tmp_path / ("m" + suffix)).read_bytes() == open(prefix + suffix, "rb").read(), suffix


def test_v1_reader_decodes_uint32_uint64_values(tmp_path):
    """TF's V1 writer has no uint32/uint64 ("Tensor slice serialization not implemented for dtype 22"), but a
    TensorProto with uint32_val/uint64_val decodes by its dtype, never as zeros."""
    assert UINT["v1_save"] == "Tensor slice serialization not implemented for dtype 22"
    for dt, field, vals in ((tf.uint32, "uint32_val", [7, 2 ** 32 - 1]), (tf.uint64, "uint64_val", [2 ** 64 - 1, 1])):
        tp = {"dtype": dt.as_datatype_enum, field: np.array(vals, dt.as_numpy_dtype)}
        got = tensor_bundle._proto_values(proto.decode(proto.TENSOR_PROTO, proto.encode(proto.TENSOR_PROTO, tp)),
                                          dt, 2, "t")
        assert got.dtype == dt.as_numpy_dtype and got.tolist() == vals


def test_v2_writer_refuses_duplicate_and_empty_names(tmp_path):
    with pytest.raises(tf.errors.InvalidArgumentError, match="Adding duplicate key: a"):
        tensor_bundle.write_bundle(str(tmp_path / "x"), [("a", np.zeros(1)), ("a", np.zeros(1))])
    with pytest.raises(tf.errors.InvalidArgumentError, match="empty name"):
        tensor_bundle.write_bundle(str(tmp_path / "x"), [("", np.zeros(1))])
    assert os.listdir(tmp_path) == []


def test_v2_writer_needs_the_parent_directory(tmp_path):
    with pytest.raises(tf.errors.NotFoundError, match="No such file or directory"):
        tensor_bundle.write_bundle(str(tmp_path / "no" / "such" / "m"), [("a", np.zeros(1))])


def test_v2_partitioned_tensor_is_assembled(tmp_path):
    """A tensor saved in slices (TF's partitioned variables): the full entry lists the slices,
    each slice is stored under its OrderedCode key."""
    full = np.arange(12, dtype=np.float32).reshape(4, 3)
    prefix = str(tmp_path / "p")
    tensor_bundle.write_bundle(prefix, [("x", np.zeros(1))])  # a placeholder bundle we then rewrite
    parts = [((0, 2), full[:2]), ((2, 2), full[2:])]
    slice_keys = [tensor_bundle.encode_tensor_name_slice("w", [(s, n), (0, -1)]) for (s, n), _ in parts]
    data = b"".join(p.tobytes() for _, p in parts)
    builder = TableBuilder()
    builder.add(b"", proto.encode(proto.BUNDLE_HEADER, {"num_shards": 1, "version": {"producer": 1}}))
    entries = {b"w": {"dtype": 1, "shape": {"dim": [{"size": 4}, {"size": 3}]},
                      "slices": [{"extent": [{"length": 2}, {}]}, {"extent": [{"start": 2, "length": 2}, {}]}]}}
    for k, ((_, _), p), off in zip(slice_keys, parts, (0, 24)):
        entries[k] = {"dtype": 1, "shape": {"dim": [{"size": 2}, {"size": 3}]}, "offset": off, "size": 24,
                      "crc32c": crc32c.mask(crc32c.value(p.tobytes()))}
    for k in sorted(entries):
        builder.add(k, proto.encode(proto.BUNDLE_ENTRY, entries[k]))
    (tmp_path / "p.index").write_bytes(builder.finish())
    (tmp_path / "p.data-00000-of-00001").write_bytes(data)
    r = tensor_bundle.open_checkpoint(prefix)
    assert r.keys() == ["w"]
    np.testing.assert_array_equal(r.read("w"), full)


def test_ordered_code_keys_match_tensorflows():
    assert tensor_bundle.encode_tensor_name_slice("global_step", []) == b"\x00global_step\x00\x01\x00"
    assert tensor_bundle.encode_tensor_name_slice("b", [(0, -1)]) == b"\x00b\x00\x01\x01\x01\x80\x7f"
    enc = tensor_bundle._write_signed_num_increasing
    assert enc(0x424242) == bytes.fromhex("f0424242") and enc(-0x800) == bytes.fromhex("3800")
    assert enc(63) == b"\xbf" and enc(64) == b"\xc0\x40" and enc(-64) == b"\x40"
    assert tensor_bundle._escape_ordered(b"a\x00b\xff") == b"a\x00\xffb\xff\x00"


# =========================================================================== V1 files
def test_v1_fixture_reads_exactly():
    r = tensor_bundle.open_checkpoint(V1_FILE)
    want = _expected(FIXTURE_V1)
    assert r.keys() == sorted(want)
    for name, value in want.items():
        got = r.read(name)
        assert got.dtype == value.dtype and got.shape == value.shape
        np.testing.assert_array_equal(got, value, err_msg=name)


def test_v1_pattern_and_missing_file(tmp_path):
    shutil.copy(V1_FILE, tmp_path / "model.ckpt-00000-of-00001")
    r = tensor_bundle.open_checkpoint(str(tmp_path / "model.ckpt-?????-of-00001"))
    assert "vgg_16/fc8/weights" in r.keys()
    with pytest.raises(tf.errors.NotFoundError, match="Failed to find any matching files for .*nothing"):
        tensor_bundle.open_checkpoint(str(tmp_path / "nothing"))


def test_a_foreign_file_is_data_loss(tmp_path):
    (tmp_path / "notes.txt").write_text("not a checkpoint\n" * 10)
    with pytest.raises(tf.errors.DataLossError, match="Unable to open table file .*notes.txt.*bad magic number"):
        tensor_bundle.open_checkpoint(str(tmp_path / "notes.txt"))
    with pytest.raises(tf.errors.DataLossError, match="is a directory"):
        tensor_bundle.open_checkpoint(str(tmp_path))


# =========================================================================== errors name path and key
def _copy_fixture(tmp_path):
    for suffix in (".index", ".data-00000-of-00001"):
        shutil.copy(PREFIX + suffix, tmp_path / ("m" + suffix))
    return str(tmp_path / "m")


def test_damaged_tensor_bytes_name_the_key_and_path(tmp_path):
    prefix = _copy_fixture(tmp_path)
    data = bytearray(open(prefix + ".data-00000-of-00001", "rb").read())
    data[200] ^= 0x40  # inside fc/bias (bytes 176..216)
    open(prefix + ".data-00000-of-00001", "wb").write(bytes(data))
    r = tensor_bundle.open_checkpoint(prefix)
    r.read("fc/kernel")
    with pytest.raises(tf.errors.DataLossError, match="TensorBundle at .*/m shard 0 \\(40 bytes\\): Checksum does not "
                                                      "match for key fc/bias: stored"):
        r.read("fc/bias")


def test_truncated_data_file_names_the_key(tmp_path):
    prefix = _copy_fixture(tmp_path)
    with open(prefix + ".data-00000-of-00001", "r+b") as f:
        f.truncate(1000)
    r = tensor_bundle.open_checkpoint(prefix)
    with pytest.raises(tf.errors.DataLossError, match="data-00000-of-00001 is truncated: key fc/kernel needs bytes "
                                                      "\\[216, 1656\\) but the file has 1000"):
        r.read("fc/kernel")


def test_missing_data_file_and_key(tmp_path):
    prefix = _copy_fixture(tmp_path)
    os.remove(prefix + ".data-00000-of-00001")
    r = tensor_bundle.open_checkpoint(prefix)
    with pytest.raises(tf.errors.NotFoundError, match="data-00000-of-00001"):
        r.read("scalar")
    with pytest.raises(tf.errors.NotFoundError, match="Key nope not found in checkpoint"):
        r.read("nope")


def test_damaged_index_is_data_loss_with_the_path(tmp_path):
    prefix = _copy_fixture(tmp_path)
    data = bytearray(open(prefix + ".index", "rb").read())
    data[-3] ^= 0xFF
    open(prefix + ".index", "wb").write(bytes(data))
    with pytest.raises(tf.errors.DataLossError, match="Unable to read checkpoint index .*m.index: not an sstable"):
        tensor_bundle.open_checkpoint(prefix)


def test_future_bundle_version_is_refused(tmp_path):
    builder = TableBuilder()
    builder.add(b"", proto.encode(proto.BUNDLE_HEADER, {"num_shards": 1, "version": {"producer": 9,
                                                                                      "min_consumer": 5}}))
    (tmp_path / "f.index").write_bytes(builder.finish())
    with pytest.raises(tf.errors.InvalidArgumentError, match="min consumer version 5 above current version 1"):
        tensor_bundle.open_checkpoint(str(tmp_path / "f"))


# =========================================================================== fuzz
def _reseal(buf, offset, size):
    """Recompute the trailer CRC of the block at [offset, offset+size) after a mutation inside it."""
    crc = crc32c.value(bytes(buf[offset:offset + size + 1]))
    buf[offset + size + 1:offset + size + 5] = crc32c.mask(crc).to_bytes(4, "little")


def _mutate(rng, data, blocks):
    buf = bytearray(data)
    kind = rng.integers(0, 8)
    if kind == 0:  # flip bits
        for _ in range(rng.integers(1, 4)):
            i = rng.integers(0, len(buf))
            buf[i] ^= 1 << rng.integers(0, 8)
    elif kind == 1:  # truncate
        del buf[rng.integers(0, len(buf)):]
    elif kind == 2:  # random bytes overwrite
        i = rng.integers(0, len(buf))
        n = rng.integers(1, 16)
        buf[i:i + n] = rng.integers(0, 256, n, dtype=np.uint8).tobytes()
    elif kind == 3:  # insert garbage
        i = rng.integers(0, len(buf) + 1)
        buf[i:i] = rng.integers(0, 256, rng.integers(1, 64), dtype=np.uint8).tobytes()
    elif kind == 4:  # delete a range
        i = rng.integers(0, len(buf))
        del buf[i:i + rng.integers(1, 32)]
    else:  # damage inside a block and fix its checksum, so the block parser itself meets the damage
        offset, size = blocks[rng.integers(0, len(blocks))]
        for _ in range(rng.integers(1, 4)):
            i = offset + rng.integers(0, size)
            buf[i] = rng.choice([0, 0x7F, 0x80, 0xFF, rng.integers(0, 256)])
        _reseal(buf, offset, size)
    return bytes(buf)


def _block_layout(data):
    t = Table(data)
    blocks = list(t._handles)
    footer = data[-48:]
    (meta, pos) = table._decode_handle(footer, 0)
    (index, _) = table._decode_handle(footer, pos)
    return blocks + [meta, index]


_ALLOWED = (tf.errors.DataLossError, tf.errors.NotFoundError, tf.errors.InvalidArgumentError,
            tf.errors.OutOfRangeError, tf.errors.UnimplementedError)


def _read_everything(prefix):
    r = tensor_bundle.open_checkpoint(prefix)
    for k in r.keys():
        r.dtype(k), r.shape(k)
        r.read(k)


class _Hang(Exception):
    pass


def _on_alarm(signum, frame):
    raise _Hang()


@pytest.fixture
def fast_dir(tmp_path):
    """A directory in memory (tmpfs) when there is one: the fuzz test writes 1,600 small files."""
    import tempfile
    if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
        d = tempfile.mkdtemp(prefix="tfmini_fuzz_", dir="/dev/shm")
        yield d
        shutil.rmtree(d, ignore_errors=True)
    else:
        yield str(tmp_path)


def test_fuzzed_checkpoints_end_in_tf_errors(fast_dir):
    """1,200 mutations of a V2 index or data file and 400 of a V1 file: every one reads fine or
    raises a tf.errors class, within a second; every fourth case is traced to show it allocates
    at most a few times the files' size (a bogus size field never becomes a huge allocation)."""
    rng = np.random.default_rng(20240601)
    index = open(PREFIX + ".index", "rb").read()
    data = open(PREFIX + ".data-00000-of-00001", "rb").read()
    v1 = open(V1_FILE, "rb").read()
    layouts = {"index": _block_layout(index), "v1": _block_layout(v1)}
    data_blocks = [(0, 100), (500, 100), (1600, 100)]  # no trailers to fix in a data file: plain damage
    prefix = os.path.join(fast_dir, "m")
    outcomes = {}
    old = signal.signal(signal.SIGALRM, _on_alarm)
    try:
        for case in range(1600):
            which = "index" if case < 800 else "data" if case < 1200 else "v1"
            if case in (0, 800, 1200):  # the file this group leaves intact, written once
                for suffix in (".index", ".data-00000-of-00001", ""):
                    if os.path.exists(prefix + suffix):
                        os.remove(prefix + suffix)
                keep = {0: (".data-00000-of-00001", data), 800: (".index", index)}.get(case)
                if keep:
                    with open(prefix + keep[0], "wb") as f:
                        f.write(keep[1])
            if which == "index":
                files = {".index": _mutate(rng, index, layouts["index"])}
            elif which == "data":
                files = {".data-00000-of-00001": _mutate(rng, data, data_blocks)}
            else:
                files = {"": _mutate(rng, v1, layouts["v1"])}
            for suffix, content in files.items():
                with open(prefix + suffix, "wb") as f:
                    f.write(content)
            size = len(index) + len(data) if which != "v1" else len(files[""])
            traced = case % 4 == 0
            if traced:
                tracemalloc.start()
                base = tracemalloc.get_traced_memory()[0]
            signal.setitimer(signal.ITIMER_REAL, 2.0)
            t0 = time.perf_counter()
            try:
                _read_everything(prefix)
                outcome = "ok"
            except _ALLOWED as e:
                outcome = type(e).__name__
            except _Hang:
                pytest.fail("case %d (%s) hung" % (case, which))
            except Exception as e:  # noqa: BLE001 - the point of the test
                pytest.fail("case %d (%s) raised %s: %s" % (case, which, type(e).__name__, e))
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                if traced:
                    peak = tracemalloc.get_traced_memory()[1] - base
                    tracemalloc.stop()
            assert time.perf_counter() - t0 < 1.0, "case %d took too long" % case
            if traced:
                assert peak < 64 * size + (256 << 10), "case %d allocated %d bytes for %d bytes of files" % (
                    case, peak, size)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    finally:
        tracemalloc.stop()
        signal.signal(signal.SIGALRM, old)
    assert sum(outcomes.values()) == 1600
    assert outcomes.get("DataLossError", 0) > 800, outcomes  # most damage is caught by a checksum or a check


def test_fuzzed_state_files_never_crash(fast_dir):
    rng = np.random.default_rng(7)
    good = b'model_checkpoint_path: "m-3"\nall_model_checkpoint_paths: "m-2"\nall_model_checkpoint_paths: "m-3"\n'
    for _ in range(300):
        with open(os.path.join(fast_dir, "checkpoint"), "wb") as f:
            f.write(_mutate(rng, good, [(0, 10)]))
        try:
            ckpt = tf.train.get_checkpoint_state(fast_dir)
        except ValueError as e:
            assert "Invalid checkpoint state" in str(e)
            continue
        assert ckpt is None or isinstance(ckpt.model_checkpoint_path, str)


def test_readers_never_unpickle_or_eval():
    import tfmini
    root = os.path.dirname(tfmini.__file__)
    files = [os.path.join(root, "io", f) for f in os.listdir(os.path.join(root, "io")) if f.endswith(".py")]
    files += [os.path.join(root, "train", f) for f in ("saver.py", "checkpoint_utils.py")]
    files.append(os.path.join(root, "ops", "io_ops.py"))
    for path in files:
        src = open(path).read()
        for bad in ("pickle", "allow_pickle=True", "eval(", "exec(", "marshal", "shelve"):
            assert bad not in src, "%s uses %s" % (path, bad)


def test_google_crc32c_backend_is_used_when_present(monkeypatch):
    """With the `ckpt` extra installed, google_crc32c computes the checksums (fed bytes, as its C
    entry point requires); checked here with a stand-in module, since the extra is optional."""
    import importlib.util
    import sys
    import types
    calls = []

    def fake_extend(crc, chunk):
        assert type(chunk) is bytes
        calls.append(len(chunk))
        return crc32c._extend_fallback(crc, chunk)
    fake = types.ModuleType("google_crc32c")
    fake.implementation = "c"
    fake.extend = fake_extend
    monkeypatch.setitem(sys.modules, "google_crc32c", fake)
    spec = importlib.util.spec_from_file_location("crc32c_with_c", crc32c.__file__)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.BACKEND == "google-crc32c"
    data = np.random.default_rng(0).integers(0, 256, (1 << 23) + 5, dtype=np.uint8)
    assert mod.value(data) == crc32c._extend_fallback(0, data)
    assert calls == [1 << 23, 5]
    assert mod.value(b"123456789") == 0xE3069283
