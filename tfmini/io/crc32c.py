"""CRC32C (Castagnoli), the checksum of TensorFlow's checkpoint blocks and tensors, and its LevelDB mask.

`value(data)` is what TensorFlow's `crc32c::Value` computes; `extend(crc, data)` continues a
checksum over more bytes; `mask`/`unmask` are the rotation-plus-constant that tables store so a
CRC of data that itself holds CRCs stays strong.

The `google-crc32c` package (the `ckpt` extra) is used when it is importable with its C
implementation. Otherwise a numpy version runs: the data is cut into equal chunks, all chunks
advance one 32-bit word per step as one vector (slicing-by-4, with the four byte tables paired
into two 64K-entry tables), and the chunk CRCs are joined with the GF(2) operator that appends
L zero bytes (as zlib's crc32_combine does).
"""
import numpy as np

__all__ = ["value", "extend", "mask", "unmask", "BACKEND"]

_POLY = 0x82F63B78  # CRC32C, reflected
_MASK_DELTA = 0xA282EAD8


def _byte_table():
    t = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ (_POLY if c & 1 else 0)
        t.append(c)
    return t


_T0 = _byte_table()  # a Python list: fastest for the byte-at-a-time loop


def _word_tables():
    """Two 65536-entry tables: the register after one little-endian 32-bit word is
    lo[w & 0xffff] ^ hi[w >> 16] (slicing-by-4, with the four byte tables paired up)."""
    t = [np.array(_T0, dtype=np.uint32)]
    for _ in range(3):  # t[k][i]: the register after byte i followed by k zero bytes
        prev = t[-1]
        t.append((prev >> np.uint32(8)) ^ t[0][prev & np.uint32(0xFF)])
    idx = np.arange(65536, dtype=np.uint32)
    lo = t[3][idx & np.uint32(0xFF)] ^ t[2][idx >> np.uint32(8)]
    hi = t[1][idx & np.uint32(0xFF)] ^ t[0][idx >> np.uint32(8)]
    return lo, hi


_WORD_TABLES = None


def _extend_bytes(reg, data):
    """Advance the raw register over `data` one byte at a time (small inputs)."""
    t = _T0
    for b in data:
        reg = t[(reg ^ b) & 0xFF] ^ (reg >> 8)
    return reg


# ---- appending zero bytes: a 32x32 matrix over GF(2), kept as 32 column words
def _gf2_times(cols, vec):
    out = 0
    i = 0
    while vec:
        if vec & 1:
            out ^= cols[i]
        vec >>= 1
        i += 1
    return out


def _gf2_square(cols):
    return [_gf2_times(cols, c) for c in cols]


def _zeros_operator(nbytes):
    """Columns of the operator that advances a register over `nbytes` zero bytes."""
    one = [_extend_bytes(1 << i, b"\x00") for i in range(32)]
    result = None
    power = one
    while nbytes:
        if nbytes & 1:
            result = power if result is None else [_gf2_times(power, c) for c in result]
        nbytes >>= 1
        if nbytes:
            power = _gf2_square(power)
    return result if result is not None else [1 << i for i in range(32)]


def _byte_tables(cols):
    """Four 256-entry tables so applying the operator costs four lookups."""
    tables = []
    for k in range(4):
        t = [0] * 256
        for b in range(1, 256):
            low = b & -b
            t[b] = t[b ^ low] ^ cols[8 * k + low.bit_length() - 1]
        tables.append(t)
    return tables


_OPERATOR_CACHE = {}


def _extend_numpy(reg, buf):
    """Advance the raw register over a large buffer (a uint8 numpy array)."""
    global _WORD_TABLES
    if _WORD_TABLES is None:
        _WORD_TABLES = _word_tables()
    lo, hi = _WORD_TABLES
    n = buf.size
    count = max(1, min(16384, n // 4096))  # chunks advanced together: one vector that stays in cache
    chunk = n // count // 4 * 4
    words = buf[:count * chunk].view("<u4").reshape(count, chunk // 4)
    regs = np.zeros(count, dtype=np.uint32)
    regs[0] = reg
    x = np.empty(count, dtype=np.uint32)
    t = np.empty(count, dtype=np.uint32)
    low16, s16 = np.uint32(0xFFFF), np.uint32(16)
    for j0 in range(0, chunk // 4, 64):
        block = np.ascontiguousarray(words[:, j0:j0 + 64].T)  # the next 64 words of every chunk, row by row
        for row in block:
            np.bitwise_xor(regs, row, out=x)
            np.bitwise_and(x, low16, out=t)
            np.take(lo, t, out=regs)
            np.right_shift(x, s16, out=t)
            np.take(hi, t, out=t)
            np.bitwise_xor(regs, t, out=regs)
    tables = _OPERATOR_CACHE.get(chunk)
    if tables is None:
        tables = _OPERATOR_CACHE[chunk] = _byte_tables(_zeros_operator(chunk))
    a, b, c, d = tables
    out = 0
    for r in regs.tolist():  # join the chunks: shift the running CRC over one chunk of zeros, add the next
        out = a[out & 0xFF] ^ b[(out >> 8) & 0xFF] ^ c[(out >> 16) & 0xFF] ^ d[out >> 24] ^ r
    tail = buf[count * chunk:]
    if tail.size > 4096:
        return _extend_numpy(out, tail)
    return _extend_bytes(out, tail.tobytes())


def _as_uint8(data):
    if isinstance(data, np.ndarray):
        return np.ascontiguousarray(data).reshape(-1).view(np.uint8)
    return np.frombuffer(data, dtype=np.uint8)


def _extend_fallback(crc, data):
    reg = (crc ^ 0xFFFFFFFF) & 0xFFFFFFFF
    buf = _as_uint8(data)
    if buf.size < 4096:
        reg = _extend_bytes(reg, buf.tobytes())
    else:
        reg = _extend_numpy(reg, buf)
    return reg ^ 0xFFFFFFFF


try:  # the C library when it is there (pip install tfmini[ckpt])
    import google_crc32c as _g
    if getattr(_g, "implementation", "python") != "c":
        raise ImportError("google_crc32c without its C extension is slower than numpy")

    def extend(crc, data):
        """The CRC32C of the bytes checksummed by `crc` followed by `data` (bytes-like or array)."""
        if isinstance(data, np.ndarray):
            data = np.ascontiguousarray(data).reshape(-1).view(np.uint8)
        return _g.extend(crc, memoryview(data))

    BACKEND = "google-crc32c"
except ImportError:
    def extend(crc, data):
        """The CRC32C of the bytes checksummed by `crc` followed by `data` (bytes-like or array)."""
        return _extend_fallback(crc, data)

    BACKEND = "numpy"


def value(data):
    """TensorFlow's crc32c::Value: the CRC32C of `data`. value(b"123456789") == 0xE3069283."""
    return extend(0, data)


def mask(crc):
    """The stored form of a CRC (rotate right by 15, add a constant), as LevelDB and TF store it."""
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + _MASK_DELTA) & 0xFFFFFFFF


def unmask(masked):
    """The CRC that `mask` turned into `masked`."""
    rot = (masked - _MASK_DELTA) & 0xFFFFFFFF
    return ((rot >> 17) | (rot << 15)) & 0xFFFFFFFF
