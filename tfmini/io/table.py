"""TensorFlow's immutable table (LevelDB's SSTable), written and read without TensorFlow.

A table file is a run of blocks, then a 48-byte footer:

    [data block 0][trailer] ... [data block n][trailer] [metaindex block][trailer] [index block][trailer] [footer]

- a block holds sorted entries `varint32 shared, varint32 non_shared, varint32 value_len,
  key[shared:], value`: each key drops the prefix it shares with the previous key, except at a
  *restart point* (every 16th entry) where the key is stored whole; the block ends with the
  uint32 offsets of its restart points and their count;
- a trailer is 1 byte of compression type (0 none, 1 snappy) and the masked CRC32C of the block
  bytes plus that type byte;
- the index block maps, for each data block, a key >= every key in it and < every key of the next
  block, to the block's handle (varint64 offset, varint64 size);
- the footer holds the handles of the metaindex and index blocks, zero padding to 40 bytes, and
  the magic number 0xdb4775248b80fb57 (little-endian).

`TableBuilder` writes exactly the bytes TensorFlow's table_builder.cc writes (no compression,
block size 256 KiB, restart interval 16, 1 in the index). `Table` reads a table from any
bytes-like object (a memory map works); anything malformed raises `TableError`, never an
IndexError or a huge allocation.
"""
import bisect

from . import crc32c
from .proto import ProtoError, encode_varint, read_varint

__all__ = ["TableBuilder", "Table", "TableError", "MAGIC", "snappy_uncompress"]

MAGIC = 0xDB4775248B80FB57
FOOTER_SIZE = 48
BLOCK_TRAILER_SIZE = 5
BLOCK_SIZE = 262144
RESTART_INTERVAL = 16
_MAX_HANDLE_LENGTH = 20  # two varint64s


class TableError(ValueError):
    """The bytes are not a well-formed table (TensorFlow reports these as DataLossError)."""


def _u32(buf, pos):
    return int.from_bytes(buf[pos:pos + 4], "little")


# =========================================================================== writing
class _BlockBuilder:
    def __init__(self, restart_interval):
        self.restart_interval = restart_interval
        self.reset()

    def reset(self):
        self.buffer = bytearray()
        self.restarts = [0]
        self.counter = 0
        self.last_key = b""

    def empty(self):
        return not self.buffer

    def size_estimate(self):
        return len(self.buffer) + 4 * len(self.restarts) + 4

    def add(self, key, value):
        shared = 0
        if self.counter < self.restart_interval:
            limit = min(len(key), len(self.last_key))
            while shared < limit and key[shared] == self.last_key[shared]:
                shared += 1
        else:
            self.restarts.append(len(self.buffer))
            self.counter = 0
        self.buffer += encode_varint(shared) + encode_varint(len(key) - shared) + encode_varint(len(value))
        self.buffer += key[shared:]
        self.buffer += value
        self.last_key = key
        self.counter += 1

    def finish(self):
        out = bytes(self.buffer) + b"".join(r.to_bytes(4, "little") for r in self.restarts)
        return out + len(self.restarts).to_bytes(4, "little")


def _shortest_separator(start, limit):
    """A short key k with start <= k < limit (table_builder.cc's FindShortestSeparator)."""
    n = min(len(start), len(limit))
    i = 0
    while i < n and start[i] == limit[i]:
        i += 1
    if i < n:
        b = start[i]
        if b < 0xFF and b + 1 < limit[i]:
            return start[:i] + bytes([b + 1])
    return start


def _short_successor(key):
    """A short key >= `key` (FindShortSuccessor): the first byte that is not 0xff, incremented."""
    for i, b in enumerate(key):
        if b != 0xFF:
            return key[:i] + bytes([b + 1])
    return key


def _handle(offset, size):
    return encode_varint(offset) + encode_varint(size)


class TableBuilder:
    """Collects sorted (key, value) byte pairs; `finish()` returns the table file's bytes."""

    def __init__(self, block_size=BLOCK_SIZE, restart_interval=RESTART_INTERVAL):
        self.block_size = block_size
        self._data = _BlockBuilder(restart_interval)
        self._index = _BlockBuilder(1)
        self._out = []
        self._offset = 0
        self._last_key = None
        self._pending_handle = None

    def add(self, key, value):
        key, value = bytes(key), bytes(value)
        if self._last_key is not None:
            if key <= self._last_key:
                raise ValueError("table keys must be added in increasing order: %r after %r" % (key, self._last_key))
            if len(key) + len(value) >= 2 * self.block_size:  # an overly large entry gets a block of its own
                self._flush()
        if self._pending_handle is not None:
            self._index.add(_shortest_separator(self._last_key, key), self._pending_handle)
            self._pending_handle = None
        self._last_key = key
        self._data.add(key, value)
        if self._data.size_estimate() >= self.block_size:
            self._flush()

    def _flush(self):
        if self._data.empty():
            return
        self._pending_handle = self._write_block(self._data)

    def _write_block(self, block):
        contents = block.finish()
        block.reset()
        handle = _handle(self._offset, len(contents))
        crc = crc32c.extend(crc32c.value(contents), b"\x00")  # the CRC covers the type byte too
        self._out.append(contents)
        self._out.append(b"\x00" + crc32c.mask(crc).to_bytes(4, "little"))
        self._offset += len(contents) + BLOCK_TRAILER_SIZE
        return handle

    def finish(self):
        self._flush()
        metaindex = self._write_block(_BlockBuilder(RESTART_INTERVAL))
        if self._pending_handle is not None:
            self._index.add(_short_successor(self._last_key), self._pending_handle)
            self._pending_handle = None
        index = self._write_block(self._index)
        footer = (metaindex + index).ljust(2 * _MAX_HANDLE_LENGTH, b"\x00") + MAGIC.to_bytes(8, "little")
        self._out.append(footer)
        return b"".join(self._out)


# =========================================================================== reading
def _decode_handle(buf, pos):
    try:
        offset, pos = read_varint(buf, pos)
        size, pos = read_varint(buf, pos)
    except ProtoError:
        raise TableError("bad block handle") from None
    return (offset, size), pos


def _decode_block(raw):
    """[(key bytes, value memoryview)] of a block's entries, checking every length against the block."""
    raw = memoryview(raw)
    n = len(raw)
    if n < 4:
        raise TableError("bad block contents (%d bytes)" % n)
    num_restarts = _u32(raw, n - 4)
    if num_restarts > (n - 4) // 4:
        raise TableError("bad block contents (%d restart points in %d bytes)" % (num_restarts, n))
    data_end = n - 4 - 4 * num_restarts
    entries = []
    pos = 0
    last = b""
    try:
        while pos < data_end:
            shared, pos = read_varint(raw, pos)
            non_shared, pos = read_varint(raw, pos)
            value_len, pos = read_varint(raw, pos)
            if shared > len(last) or non_shared > data_end - pos:
                raise TableError("bad entry in block")
            key = last[:shared] + bytes(raw[pos:pos + non_shared])
            pos += non_shared
            if value_len > data_end - pos:
                raise TableError("bad entry in block")
            if entries and key <= last:
                raise TableError("keys out of order in block")
            entries.append((key, raw[pos:pos + value_len]))
            pos += value_len
            last = key
    except ProtoError:
        raise TableError("bad entry in block") from None
    return entries


class Table:
    """A table read from `data` (bytes, or a memory map): `get(key)`, `items()`, `first()`.

    Only the footer and the index block are read on opening; data blocks are read, checked
    against their CRC, and decoded when first needed.
    """

    def __init__(self, data):
        self._buf = memoryview(data)
        n = len(self._buf)
        if n < FOOTER_SIZE:
            raise TableError("not an sstable (file too short: %d bytes)" % n)
        footer = self._buf[n - FOOTER_SIZE:]
        if int.from_bytes(footer[40:48], "little") != MAGIC:
            raise TableError("not an sstable (bad magic number)")
        _, pos = _decode_handle(footer, 0)  # the metaindex block: TF writes it empty and never reads it
        index_handle, pos = _decode_handle(footer, pos)
        if pos > 40:
            raise TableError("bad block handle")
        index = self._read_block(index_handle, n - FOOTER_SIZE)
        self._index_keys = [k for k, _ in index]
        self._handles = []
        for _, v in index:
            handle, end = _decode_handle(v, 0)
            if end != len(v):
                raise TableError("bad block handle")
            self._handles.append(handle)
        self._blocks = {}

    def _read_block(self, handle, limit):
        offset, size = handle
        if offset > limit or size > limit - offset or limit - offset - size < BLOCK_TRAILER_SIZE:
            raise TableError("truncated block read (block at %d of %d bytes past the end)" % (offset, size))
        body = self._buf[offset:offset + size + 1]
        stored = _u32(self._buf, offset + size + 1)
        if crc32c.unmask(stored) != crc32c.value(body):
            raise TableError("block checksum mismatch")
        kind = body[size]
        if kind == 0:
            contents = body[:size]
        elif kind == 1:
            contents = snappy_uncompress(body[:size])
        else:
            raise TableError("bad block type %d" % kind)
        return _decode_block(contents)

    def _block(self, i):
        b = self._blocks.get(i)
        if b is None:
            b = self._blocks[i] = self._read_block(self._handles[i], len(self._buf) - FOOTER_SIZE)
            if b and (b[-1][0] > self._index_keys[i] or (i and b[0][0] <= self._index_keys[i - 1])):
                raise TableError("block %d holds keys outside its index range" % i)
        return b

    def get(self, key):
        """The value stored under `key` (a memoryview), or None."""
        i = bisect.bisect_left(self._index_keys, key)
        if i == len(self._index_keys):
            return None
        entries = self._block(i)
        lo, hi = 0, len(entries)
        while lo < hi:
            mid = (lo + hi) // 2
            if entries[mid][0] < key:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(entries) and entries[lo][0] == key:
            return entries[lo][1]
        return None

    def items(self):
        """Every (key, value) in key order."""
        for i in range(len(self._handles)):
            yield from self._block(i)

    def first(self):
        """The first (key, value), or None for an empty table."""
        for kv in self.items():
            return kv
        return None


# =========================================================================== snappy
def snappy_uncompress(src):
    """Snappy-decompress a block (tables may be written compressed; TF's checkpoints are not).

    The declared length is checked against what `src` could possibly expand to before anything
    is allocated.
    """
    src = memoryview(src)
    n = len(src)
    try:
        ulen, pos = read_varint(src, 0)
    except ProtoError:
        raise TableError("corrupted compressed block contents") from None
    if ulen > 22 * n + 64:  # a 3-byte copy yields at most 64 bytes
        raise TableError("corrupted compressed block contents")
    out = bytearray(ulen)
    op = 0
    while pos < n:
        tag = src[pos]
        pos += 1
        kind = tag & 3
        if kind == 0:
            length = (tag >> 2) + 1
            if length > 60:
                extra = length - 60
                if pos + extra > n:
                    raise TableError("corrupted compressed block contents")
                length = int.from_bytes(src[pos:pos + extra], "little") + 1
                pos += extra
            if length > n - pos or length > ulen - op:
                raise TableError("corrupted compressed block contents")
            out[op:op + length] = src[pos:pos + length]
            op += length
            pos += length
            continue
        if kind == 1:
            if pos + 1 > n:
                raise TableError("corrupted compressed block contents")
            length = ((tag >> 2) & 7) + 4
            offset = ((tag >> 5) << 8) | src[pos]
            pos += 1
        else:
            width = 2 if kind == 2 else 4
            if pos + width > n:
                raise TableError("corrupted compressed block contents")
            length = (tag >> 2) + 1
            offset = int.from_bytes(src[pos:pos + width], "little")
            pos += width
        if offset == 0 or offset > op or length > ulen - op:
            raise TableError("corrupted compressed block contents")
        while length:
            chunk = min(length, offset)
            out[op:op + chunk] = out[op - offset:op - offset + chunk]
            op += chunk
            length -= chunk
    if op != ulen:
        raise TableError("corrupted compressed block contents")
    return bytes(out)
