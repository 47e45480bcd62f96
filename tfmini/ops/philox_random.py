"""TensorFlow's random numbers: the Philox4x32-10 counter-based generator and the conversions its random kernels
make of its output (TF's core/lib/random/philox_random.h and random_distributions.h).

With the same (seed, seed2) an op draws what TensorFlow's op draws, so a seeded TF 1.x program prints the numbers
it prints under TensorFlow: uniform, integer, shuffle and multinomial draws bit for bit; normals too, but for
the last bit of about 1.5% of them (TF's float32 Box-Muller calls the C library's logf and sincosf, whose last
bit varies between platforms; here each is computed in float64 and rounded). All of it is `xp` arithmetic on
uint32/uint64 arrays: the numbers are made where the op runs, on the CPU or the GPU.

How TF lays the numbers out (what makes them the same):

- A generator is a 128-bit counter and a 64-bit key: key = seed, counter = seed2 << 64. One call encrypts the
  counter (10 rounds) into four uint32 and adds 1 to it.
- Each run of an op reserves `256 * n` calls for its n outputs (GuardedPhiloxRandom::ReserveRandomOutputs), so
  the next run starts there: `PhiloxStream` keeps that position for one op in one session.
- Outputs come in groups (4 float32, 2 float64, ...), group g from call g. Truncated normal's groups need a
  varying number of calls: group g starts at call 256 * g (128 * g for float64) and takes calls until it has
  its values.
"""
import threading

import numpy as np

from ..runtime import intra_op

__all__ = ["PhiloxStream", "Uint32Reader", "uniform", "normal", "truncated_normal", "uniform_int", "uint32s",
           "uniform_doubles", "register_device_calls", "RESERVED_PER_OUTPUT"]

RESERVED_PER_OUTPUT = 256  # calls a run reserves per output (TF's kReservedSamplesPerOutput)

_M_A, _M_B = 0xD2511F53, 0xCD9E8D57  # the round multipliers
_W_A, _W_B = 0x9E3779B9, 0xBB67AE85  # the key schedule's increments (golden ratio, sqrt(3) - 1)
_MASK32, _MASK64, _MASK128 = (1 << 32) - 1, (1 << 64) - 1, (1 << 128) - 1
_BLOCK = 1 << 16  # calls computed at once on the CPU: the temporaries (a few MB) stay in cache
_DEVICE_BLOCK = 1 << 22  # on a GPU: fewer, larger launches (temporaries of about 200 MB at most)


class PhiloxStream:
    """One op's generator in one session: its key and where its next run starts (a 128-bit counter).

    >>> s = PhiloxStream(87654321, 1); s.reserve(5 * 256)   # a first run of 5 outputs
    (87654321, 18446744073709551616)
    """

    __slots__ = ("key", "counter", "lock")

    def __init__(self, seed, seed2):
        if seed == 0 and seed2 == 0:  # TF: two random 64-bit seeds, a different sequence each session
            seed, seed2 = (int(v) for v in np.random.SeedSequence().generate_state(2, np.uint64))
        self.key = seed & _MASK64
        self.counter = (seed2 & _MASK64) << 64
        self.lock = threading.Lock()  # runs of one op in two threads reserve two different stretches

    def reserve(self, calls):
        """(key, counter) for a run that may use `calls` calls; the next run starts after them."""
        with self.lock:
            start = self.counter
            self.counter = (start + calls) & _MASK128
        return self.key, start


class Uint32Reader:
    """The uint32 of the calls from `counter` on, one after another (TF's SingleSampleAdapter and SimplePhilox),
    for kernels that draw as they go: a candidate sampler's rejection loop, a RandomShuffleQueue's dequeues.
    `take(n)` the next n (an array), `next()` the next one. Computed at least 1,024 calls at a time; the numbers
    do not depend on that."""

    __slots__ = ("key", "counter", "_buffer")

    def __init__(self, key, counter):
        self.key, self.counter, self._buffer = key, counter, np.zeros(0, np.uint32)

    def take(self, n):
        while self._buffer.size < n:
            calls = max(1024, -(-(n - self._buffer.size) // 4))
            more = uint32s(np, self.key, self.counter, 4 * calls)
            self.counter = (self.counter + calls) & _MASK128
            self._buffer = np.concatenate([self._buffer, more])
        out, self._buffer = self._buffer[:n], self._buffer[n:]
        return out

    def next(self):
        return int(self.take(1)[0])


# A device's own Philox (one kernel instead of ~100 elementwise launches), by array module: `fn(key, counter,
# offsets)` gives the calls at `counter + offsets` as an [n, 4] uint32 array (runtime/cupy_backend.py).
_DEVICE_CALLS = {}


def register_device_calls(xp, fn):
    """Make `_calls` on `xp`'s arrays use `fn(key, counter, offsets)` -> [len(offsets), 4] uint32."""
    _DEVICE_CALLS[xp] = fn


def _calls(xp, key, counter, offsets):
    """Philox4x32-10 at `counter + offsets` (offsets: a uint64 array): four uint32 arrays shaped like offsets."""
    device = _DEVICE_CALLS.get(xp)
    if device is not None:
        words = device(key, counter, offsets)
        return words[:, 0], words[:, 1], words[:, 2], words[:, 3]
    u64 = xp.uint64
    low = u64(counter & _MASK64) + offsets  # 128-bit addition: the low 64 bits wrap and carry into the high ones
    high = u64((counter >> 64) & _MASK64) + (low < offsets).astype(u64)
    # the four words as uint64 arrays holding 32-bit values, so that a word times a multiplier is exact and its
    # high half a shift away; each round writes into the arrays it no longer needs
    m32, shift = u64(_MASK32), u64(32)
    c0, c1, c2, c3 = low & m32, low >> shift, high & m32, high >> shift
    spare = xp.empty_like(c0)
    k0, k1 = key & _MASK32, key >> 32
    m_a, m_b = u64(_M_A), u64(_M_B)
    for _ in range(10):
        xp.multiply(c0, m_a, out=c0)                         # c0 = M_A * c0   (low, high halves: round's c3, c2)
        xp.multiply(c2, m_b, out=c2)                         # c2 = M_B * c2   (low, high halves: round's c1, c0)
        xp.right_shift(c2, shift, out=spare)
        xp.bitwise_xor(spare, c1, out=spare)
        xp.bitwise_xor(spare, u64(k0), out=spare)            # new c0 = hi(M_B * c2) ^ c1 ^ k0
        xp.right_shift(c0, shift, out=c1)
        xp.bitwise_xor(c1, c3, out=c1)
        xp.bitwise_xor(c1, u64(k1), out=c1)                  # new c2 = hi(M_A * c0) ^ c3 ^ k1
        xp.bitwise_and(c2, m32, out=c2)                      # new c1 = lo(M_B * c2)
        xp.bitwise_and(c0, m32, out=c0)                      # new c3 = lo(M_A * c0)
        c0, c1, c2, c3, spare = spare, c2, c1, c0, c3
        k0, k1 = (k0 + _W_A) & _MASK32, (k1 + _W_B) & _MASK32
    u32 = xp.uint32
    return c0.astype(u32), c1.astype(u32), c2.astype(u32), c3.astype(u32)


def _in_blocks(xp, n_groups, fill):
    """fill(start, stop) for blocks of groups covering range(n_groups): on the CPU the intra-op pool's threads
    take the blocks (runtime/intra_op.py); the numbers do not depend on who computes which block."""
    size = _BLOCK if xp is np else _DEVICE_BLOCK
    count = -(-n_groups // size)

    def block(i):
        fill(i * size, min(n_groups, (i + 1) * size))
    if xp is np and count > 1:
        intra_op.parallel_for(block, count)
    else:
        for i in range(count):
            block(i)


def _groups(xp, key, counter, n_groups, per_group, convert, dtype):
    """`n_groups * per_group` values: group g is `convert(xp, *call g)` (per_group values from one call)."""
    out = xp.empty((n_groups, per_group), dtype)

    def fill(start, stop):
        out[start:stop] = convert(xp, *_calls(xp, key, counter, xp.arange(start, stop, dtype=xp.uint64)))
    _in_blocks(xp, n_groups, fill)
    return out.reshape(-1)


# ---------------------------------------------------------------------------------------- bits -> values
def _float32_of(xp, x):
    """Uint32ToFloat: 23 random mantissa bits as a float32 in [0, 1)."""
    return ((x & xp.uint32(0x7FFFFF)) | xp.uint32(127 << 23)).view(xp.float32) - xp.float32(1.0)


def _float64_of(xp, hi, lo):
    """Uint64ToDouble: 20 bits of `hi` and the 32 of `lo` as a float64 in [0, 1)."""
    man = ((hi & xp.uint32(0xFFFFF)).astype(xp.uint64) << xp.uint64(32)) | lo.astype(xp.uint64)
    return (man | xp.uint64(1023 << 52)).view(xp.float64) - 1.0


def _half_of(xp, x):
    """Uint16ToHalf: the low 10 bits of `x` as a float16 in [0, 1)."""
    return ((x & xp.uint32(0x3FF)) | xp.uint32(15 << 10)).astype(xp.uint16).view(xp.float16) - xp.float16(1.0)


def _box_muller32(xp, x0, x1):
    """BoxMullerFloat: two float32 normals from two uint32. TF computes in float32 with the C library's logf and
    sincosf; here each of those is done in float64 and rounded, which gives the same float32 (both round well)."""
    u1 = xp.maximum(_float32_of(xp, x0), xp.float32(1.0e-7))  # never log(0)
    v1 = (2.0 * np.pi * _float32_of(xp, x1).astype(xp.float64)).astype(xp.float32)  # (2.0f * M_PI is a double)
    u2 = xp.sqrt(xp.float32(-2.0) * xp.log(u1.astype(xp.float64)).astype(xp.float32))
    v1 = v1.astype(xp.float64)
    return xp.sin(v1).astype(xp.float32) * u2, xp.cos(v1).astype(xp.float32) * u2


def _box_muller64(xp, x0, x1, x2, x3):
    """BoxMullerDouble: two float64 normals from four uint32."""
    u1 = xp.maximum(_float64_of(xp, x0, x1), 1.0e-7)
    v1 = 2.0 * np.pi * _float64_of(xp, x2, x3)
    u2 = xp.sqrt(-2.0 * xp.log(u1))
    return xp.sin(v1) * u2, xp.cos(v1) * u2


def _stack(xp, *columns):
    return xp.stack(columns, axis=-1)


def _uniform32(xp, *c):
    return _float32_of(xp, _stack(xp, *c))  # one pass over all four words


def _uniform64(xp, c0, c1, c2, c3):
    return _stack(xp, _float64_of(xp, c0, c1), _float64_of(xp, c2, c3))


def _uniform16(xp, *c):
    return _half_of(xp, _stack(xp, *c))


def _normal32(xp, c0, c1, c2, c3):
    return _stack(xp, *_box_muller32(xp, c0, c1), *_box_muller32(xp, c2, c3))


def _normal64(xp, *c):
    return _stack(xp, *_box_muller64(xp, *c))


# ---------------------------------------------------------------------------------------- distributions
def _check(dtype, table, what):
    if np.dtype(dtype) not in table:
        raise TypeError("%s of %s is not one of TensorFlow's kernels" % (what, np.dtype(dtype).name))


_UNIFORM = {np.dtype(np.float32): (4, _uniform32), np.dtype(np.float64): (2, _uniform64),
            np.dtype(np.float16): (4, _uniform16)}
_NORMAL = {np.dtype(np.float32): (4, _normal32), np.dtype(np.float64): (2, _normal64),
           np.dtype(np.float16): (4, _normal32)}  # half: float32's numbers, rounded


def uniform(xp, key, counter, n, dtype):
    """RandomUniform's n values in [0, 1) (float16, float32 or float64)."""
    _check(dtype, _UNIFORM, "A uniform sample")
    per, convert = _UNIFORM[np.dtype(dtype)]
    work = xp.float16 if np.dtype(dtype) == np.float16 else dtype
    return _groups(xp, key, counter, -(-n // per), per, convert, work)[:n]


def normal(xp, key, counter, n, dtype):
    """RandomStandardNormal's n values (Box-Muller; float16 rounds float32's)."""
    _check(dtype, _NORMAL, "A normal sample")
    per, convert = _NORMAL[np.dtype(dtype)]
    work = xp.float64 if np.dtype(dtype) == np.float64 else xp.float32
    return _groups(xp, key, counter, -(-n // per), per, convert, work)[:n].astype(dtype, copy=False)


def truncated_normal(xp, key, counter, n, dtype):
    """TruncatedNormal's n values: normals with |x| < 2, each group of outputs from its own run of calls.

    Group g (4 values; 2 for float64) reads the calls from `g * 4 * 256 / 4` on, one uint32 at a time: each pair
    (float64: each four) gives two candidates, kept in order while |x| < 2. Most groups finish with their first
    call; the others take more calls, computed only for them.
    """
    _check(dtype, _NORMAL, "A truncated normal sample")
    wide = np.dtype(dtype) == np.float64
    per = 2 if wide else 4
    stride = per * RESERVED_PER_OUTPUT // 4
    n_groups = -(-n // per)
    work = xp.float64 if wide else xp.float32
    out = xp.empty((n_groups, per), work)

    def fill(start, stop):
        out[start:stop] = _truncated_block(xp, key, counter, start, stop, stride, per, wide, work)
    _in_blocks(xp, n_groups, fill)
    return out.reshape(-1)[:n].astype(dtype, copy=False)


def _candidates(xp, c, wide):
    """The normals one call gives: 2 for float64 (from four uint32), else 4 (from two pairs)."""
    if wide:
        return _stack(xp, *_box_muller64(xp, *c))
    return _stack(xp, *_box_muller32(xp, c[0], c[1]), *_box_muller32(xp, c[2], c[3]))


def _truncated_block(xp, key, counter, start, stop, stride, per, wide, work):
    """Groups start..stop-1: the candidates of call 0, 1, ... of each group, kept while |x| < 2, until each
    group has `per`. Most groups keep all of their first call's; the calls after it are made only for the
    others, whose candidates so far are kept in order of drawing until they have enough."""
    groups = xp.arange(start, stop, dtype=xp.uint64) * xp.uint64(stride)
    out = _candidates(xp, _calls(xp, key, counter, groups), wide)
    keep = xp.abs(out) < 2.0
    short = ~keep.all(axis=1)
    if not bool(short.any()):
        return out
    todo = xp.nonzero(short)[0]
    pool, kept = out[todo], keep[todo]
    call = 0
    while len(todo):
        call += 1
        more = _candidates(xp, _calls(xp, key, counter, groups[todo] + xp.uint64(call)), wide)
        pool, kept = xp.concatenate([pool, more], axis=1), xp.concatenate([kept, xp.abs(more) < 2.0], axis=1)
        done = kept.sum(axis=1) >= per
        if bool(done.any()):
            # the first `per` kept candidates of each finished group, in the order they were drawn: the j-th is
            # where the running count of kept ones first reaches j + 1
            count = xp.cumsum(kept[done], axis=1)
            first = xp.stack([xp.argmax(count == j + 1, axis=1) for j in range(per)], axis=1)
            out[todo[done]] = xp.take_along_axis(pool[done], first, axis=1)
        todo, pool, kept = todo[~done], pool[~done], kept[~done]
    return out


def uint32s(xp, key, counter, n):
    """The first n uint32 of the calls from `counter` on, in order (TF's SingleSampleAdapter)."""
    return _groups(xp, key, counter, -(-n // 4), 4, _stack, xp.uint32)[:n]


def uniform_doubles(xp, key, counter, n):
    """n float64 in [0, 1), each from two uint32 of the calls in order (TF's SimplePhilox::RandDouble)."""
    u = uint32s(xp, key, counter, 2 * n).reshape(n, 2)
    return _float64_of(xp, u[:, 0], u[:, 1])


def uniform_int(xp, key, counter, n, lo, hi, dtype):
    """RandomUniformInt's n integers in [lo, hi): lo + (bits % (hi - lo)), 32 bits each for int32 (4 a call),
    64 for int64 (2 a call)."""
    if np.dtype(dtype) == np.int32:
        span = xp.uint32((hi - lo) & _MASK32)
        bits = _groups(xp, key, counter, -(-n // 4), 4, _stack, xp.uint32)[:n]
        return (xp.int64(lo) + (bits % span).astype(xp.int64)).astype(xp.int32)
    if np.dtype(dtype) == np.int64:
        span = xp.uint64((hi - lo) & _MASK64)

        def bits64(xp, c0, c1, c2, c3):
            return _stack(xp, c0.astype(xp.uint64) | (c1.astype(xp.uint64) << xp.uint64(32)),
                          c2.astype(xp.uint64) | (c3.astype(xp.uint64) << xp.uint64(32)))
        bits = _groups(xp, key, counter, -(-n // 2), 2, bits64, xp.uint64)[:n]
        return ((bits % span) + xp.uint64(lo & _MASK64)).view(xp.int64)  # (TF's SignedAdd: modulo 2**64)
    raise TypeError("A uniform integer sample of %s is not one of TensorFlow's kernels" % np.dtype(dtype).name)
