"""CRC32C (Castagnoli), the checksum of TensorFlow's checkpoint blocks and tensors, and its LevelDB mask.

`value(data)` is what TensorFlow's `crc32c::Value` computes; `extend(crc, data)` continues a
checksum over more bytes; `mask`/`unmask` are the rotation-plus-constant that tables store so a
CRC of data that itself holds CRCs stays strong.

The `google-crc32c` package (the `ckpt` extra) is used when it is importable with its C
implementation. Otherwise a numpy version runs (about 4 s per GB): the buffer's 32-bit words are
dealt to interleaved lanes that advance together as one vector, and a Horner pass joins the lanes
(see `_extend_numpy`); small buffers go byte by byte.
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
    """Four 256-entry tables so applying the operator to a register costs four lookups."""
    tables = []
    for k in range(4):
        t = [0] * 256
        for b in range(1, 256):
            low = b & -b
            t[b] = t[b ^ low] ^ cols[8 * k + low.bit_length() - 1]
        tables.append(t)
    return tables


def _half_tables(cols):
    """Two 65536-entry numpy tables: the operator applied to x is lo[x & 0xffff] ^ hi[x >> 16]."""
    idx = np.arange(65536, dtype=np.uint32)
    lo = np.zeros(65536, dtype=np.uint32)
    hi = np.zeros(65536, dtype=np.uint32)
    for b in range(16):
        bit = ((idx >> np.uint32(b)) & np.uint32(1)).astype(bool)
        lo[bit] ^= np.uint32(cols[b])
        hi[bit] ^= np.uint32(cols[16 + b])
    return lo, hi


_LANE_CACHE = {}


def _lane_tables(lanes):
    t = _LANE_CACHE.get(lanes)
    if t is None:
        t = _LANE_CACHE[lanes] = _half_tables(_zeros_operator(4 * lanes))
    return t


_WORD_SHIFT = None


def _extend_numpy(reg, buf):
    """Advance the raw register over a large buffer (a uint8 numpy array), vectorized.

    The words are dealt to `lanes` interleaved lanes: row s of the (steps, lanes) view holds word
    s*lanes + l of lane l. CRC is linear, so every lane runs R <- Z(R) ^ w, with Z the operator
    "append 4*lanes zero bytes"; lane l's result then lacks the shift over the lanes - l words
    that follow its last word, which a Horner pass over the lanes supplies (acc <- Z4(acc) ^ R_l).
    """
    global _WORD_SHIFT
    n = buf.size
    lanes = 1 << max(6, min(16, int(np.log2(2.5 * n ** 0.5))))
    steps = n // (4 * lanes)
    words = buf[:steps * 4 * lanes].view("<u4").reshape(steps, lanes)  # contiguous rows: no transposing
    lo, hi = _lane_tables(lanes)
    regs = words[0].astype(np.uint32)
    regs[0] ^= np.uint32(reg)  # the incoming register enters like data xored into the first word
    i_lo = np.empty(lanes, dtype=np.intp)  # table indices, already of the type `take` wants
    i_hi = np.empty(lanes, dtype=np.intp)
    u = np.empty(lanes, dtype=np.uint32)
    low16, s16 = np.uint32(0xFFFF), np.uint32(16)
    for row in words[1:]:
        np.bitwise_and(regs, low16, out=i_lo, casting="unsafe")
        np.right_shift(regs, s16, out=i_hi, casting="unsafe")
        np.take(lo, i_lo, out=regs)
        np.bitwise_xor(regs, row, out=regs)
        np.take(hi, i_hi, out=u)
        np.bitwise_xor(regs, u, out=regs)
    if _WORD_SHIFT is None:
        _WORD_SHIFT = _byte_tables(_zeros_operator(4))
    a, b, c, d = _WORD_SHIFT
    acc = 0
    for r in regs.tolist():
        acc = a[acc & 0xFF] ^ b[(acc >> 8) & 0xFF] ^ c[(acc >> 16) & 0xFF] ^ d[acc >> 24] ^ r
    acc = a[acc & 0xFF] ^ b[(acc >> 8) & 0xFF] ^ c[(acc >> 16) & 0xFF] ^ d[acc >> 24]
    tail = buf[steps * 4 * lanes:]
    if tail.size > 4096:
        return _extend_numpy(acc, tail)
    return _extend_bytes(acc, tail.tobytes())


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


_PIECE = 1 << 23

try:  # the C library when it is there (pip install tfmini[ckpt])
    import google_crc32c as _g
    if getattr(_g, "implementation", "python") not in ("c", "cffi"):
        raise ImportError("google_crc32c without its C extension is slower than numpy")

    def extend(crc, data):
        """The CRC32C of the bytes checksummed by `crc` followed by `data` (bytes-like or array)."""
        if isinstance(data, bytes):
            return _g.extend(crc, data)
        view = memoryview(_as_uint8(data))
        for i in range(0, len(view), _PIECE):  # its C entry point takes bytes only: copy 8 MiB at a time
            crc = _g.extend(crc, view[i:i + _PIECE].tobytes())
        return crc

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
