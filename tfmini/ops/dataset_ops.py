"""tf.data's ops: the dataset ops (TensorSliceDataset, BatchDatasetV2, ShuffleDataset, MapDataset, the file readers
TextLineDataset, TFRecordDataset and FixedLengthRecordDatasetV2, ...), the iterator
ops (OneShotIterator, IteratorV2, MakeIterator, IteratorGetNext, string handles), and what they compute.

A dataset op's output is a `variant` scalar whose value, in a run, is an immutable description of the pipeline (a
`DatasetValue`: its input arrays, the datasets it reads, its parameters); its kernel is pure and cheap, so a pipeline
on constants is built once, when a plan is (constant folding). An iterator op's output is a `resource`: the
session's `IteratorResource` for that op (kept in the session's state, as a variable's value is), holding a Python
iterator over a dataset value. MakeIterator (the initializer) starts it over; IteratorGetNext takes the next element,
TF's OutOfRangeError "End of sequence" at the end. Datasets and iterators run on the CPU, as in TF.

Elements are tuples of arrays, one per component of the dataset's flattened structure (the Python `Dataset` keeps the
structure). A dataset that is a row view of arrays (slices, shuffled, repeated, taken, skipped) also streams row
numbers, so that batching it gathers all the batch's rows with one indexing per component. An element whose
computation failed (a map function's error) travels down the pipeline as a `Failed` value and raises when the
iterator reaches it, so that, as in TF, the next get_next goes on with the next element.
"""
import itertools
import threading

import numpy as np

from ..framework import dtypes, errors
from ..framework.op_registry import NOT_DIFFERENTIABLE, InferenceError, register_op
from ..framework.tensor_shape import TensorShape
from ..runtime.state import SessionState
from . import philox_random

__all__ = ["DatasetValue", "Failed", "IteratorResource", "dataset_op", "END_OF_SEQUENCE", "NOT_INITIALIZED"]

END_OF_SEQUENCE = "End of sequence"
NOT_INITIALIZED = ("GetNext() failed because the iterator has not been initialized. Ensure that you have run the "
                   "initializer operation for this iterator before getting the next element.")
_SCALAR = TensorShape([])


def _invalid(msg):
    return errors.InvalidArgumentError(None, None, msg)


def _python_error(e):
    """The TF error for an exception of the user's Python code (a generator), as TF's py_func words it: the class by
    its mapping, "<Type>: <text>" and the traceback from the user's code on."""
    from .script_ops import _python_error as as_tf_error
    tb = e.__traceback__
    return as_tf_error(e, tb.tb_next if tb is not None and tb.tb_next is not None else tb)


def _shape_str(shape):
    return "[%s]" % ",".join(str(int(d)) for d in shape)


# =========================================================================== what a run computes
class Failed:
    """An element that could not be computed: `error` (a TF error) is raised when get_next reaches it. A batch or
    zip with a failed element fails."""

    __slots__ = ("error",)

    def __init__(self, error):
        self.error = error


def _first_failed(elements):
    for e in elements:
        if e.__class__ is Failed:
            return e
    return None


class _Env:
    """One start of an iterator: the session's state, the plans of the pipeline's functions that hold state of
    their own (random ops: made anew at each start, so that, as in TF, every start of an iterator draws the same
    numbers from seeded ops) and the seed generators of the pipeline's shuffles, one per shuffle and place, as TF
    keeps them. `prefix` says where in the tree of iterators a dataset is read (TF's iterator prefix): each input of
    a zip or a concatenation has its own place, while the passes of a repeat share theirs. The dataset a flat_map or
    interleave function makes for an element is a new dataset in TF, with generators of its own: `inner()`."""

    __slots__ = ("state", "rngs", "plans", "prefix")

    def __init__(self, state, rngs=None, plans=None, prefix=()):
        self.state = state
        self.rngs = {} if rngs is None else rngs
        self.plans = {} if plans is None else plans
        self.prefix = prefix

    def at(self, key):
        """This start, read at the place `key` below this one."""
        return _Env(self.state, self.rngs, self.plans, self.prefix + (key,))

    def inner(self):
        """This start, for a dataset a function made: new seed generators."""
        return _Env(self.state, None, self.plans)

    def runner(self, function):
        """`run(values) -> list of arrays`: `function` (a traced Function) run on `values` (its arguments, then its
        captured values: arrays of the dtypes and shapes it was traced for) through a CPU plan, built once per
        session (once per start for a function with stateful ops)."""
        key = ("function", function)
        run = self.plans.get(key) or self.state.resources.get(key)
        if run is None:
            if not hasattr(function, "graph"):  # a function attribute read from a GraphDef: its name only
                raise errors.UnimplementedError(None, None, "Function %s is not defined in this graph: the "
                                                "GraphDef it came from had no FunctionDef of it in its library."
                                                % function)
            stateful = any(op._op_def.stateful or op._op_def.needs_ctx for op in function.graph.get_operations())
            cache, state = (self.plans, SessionState()) if stateful else (self.state.resources, self.state)
            run = cache.setdefault(key, state.function_runner(function))
        return run


class DatasetValue:
    """A dataset in a run: immutable; `elements(env)` makes a new Python iterator over its elements (tuples of
    arrays the consumer owns). `indexable` ones are row views of `components` and also give `indices(env)`."""

    indexable = False
    components = ()

    def elements(self, env):
        comps = self.components
        if len(comps) == 1:
            c = comps[0]
            return ((c[i, ...].copy(),) for i in self.indices(env))
        return (tuple(c[i, ...].copy() for c in comps) for i in self.indices(env))

    def indices(self, env):
        raise NotImplementedError

    def copy(self):
        return self  # immutable: a fetched or folded dataset is itself

    def __repr__(self):
        return "<%s>" % type(self).__name__


class _Slices(DatasetValue):
    indexable = True

    def __init__(self, components):
        self.components = components
        self.n = components[0].shape[0]

    def indices(self, env):
        return iter(range(self.n))


class _Tensors(DatasetValue):
    def __init__(self, components):
        self.components = components

    def elements(self, env):
        return iter([tuple(c.copy() for c in self.components)])


class _Range(DatasetValue):
    def __init__(self, start, stop, step, dtype):
        self.start, self.stop, self.step, self.dtype = start, stop, step, dtype

    def elements(self, env):
        dt = self.dtype
        return ((np.array(i, dt),) for i in range(self.start, self.stop, self.step))


class _Zip(DatasetValue):
    def __init__(self, inputs):
        self.inputs = inputs

    def elements(self, env):
        return (_first_failed(parts) or sum(parts, ()) for parts in zip(*(d.elements(env.at(i))
                                                                         for i, d in enumerate(self.inputs))))


class _Concatenate(DatasetValue):
    def __init__(self, first, second):
        self.first, self.second = first, second

    def elements(self, env):
        return itertools.chain(self.first.elements(env.at(0)), self.second.elements(env.at(1)))


class _Unary(DatasetValue):
    """A dataset reading one input; a row view when its input is one (it then transforms the row numbers)."""

    def __init__(self, input):  # noqa: A002 - TF's name
        self.input = input
        self.indexable = input.indexable
        self.components = input.components

    def elements(self, env):
        if self.indexable:
            return DatasetValue.elements(self, env)
        return self.transform(lambda: self.input.elements(env), env)

    def indices(self, env):
        return self.transform(lambda: self.input.indices(env), env)


class _Repeat(_Unary):
    def __init__(self, input, count):  # noqa: A002
        super().__init__(input)
        self.count = count

    def transform(self, make, env):
        epochs = itertools.count() if self.count < 0 else range(self.count)
        for _ in epochs:
            empty = True
            for x in make():
                empty = False
                yield x
            if empty:  # an empty dataset repeated forever is empty (TF's rule), not an endless loop
                return


class _Take(_Unary):
    def __init__(self, input, count):  # noqa: A002
        super().__init__(input)
        self.count = count

    def transform(self, make, env):
        return make() if self.count < 0 else itertools.islice(make(), self.count)


class _Skip(_Unary):
    def __init__(self, input, count):  # noqa: A002
        super().__init__(input)
        self.count = count

    def transform(self, make, env):
        it = make()
        if self.count < 0:
            return iter(())
        return itertools.islice(it, self.count, None)


class _Prefetch(_Unary):
    def transform(self, make, env):
        return make()


class _Shuffle(_Unary):
    """TF's shuffle (ShuffleDataset), the same order as TensorFlow for the same seeds. A buffer of the next
    `buffer_size` elements, in the order they came: each output is the element at `u % size` in it (u the next
    uint32 of the pass's Philox stream, size the elements buffered), whose place the first buffered element takes;
    then the next input element joins at the end. Each pass (an iterator start, or an epoch of a repeat after the
    shuffle) has its own stream, keyed by two seeds: with `reshuffle`, the next two uint32 of a seed generator, a
    Philox stream of (seed, seed2) made at each iterator start for each place the shuffle is read at (_Env); without,
    (seed, seed2) themselves. Seeds (0, 0) are drawn at random, once per start."""

    def __init__(self, input, buffer_size, seed, seed2, reshuffle):  # noqa: A002
        super().__init__(input)
        self.buffer_size, self.seed, self.seed2, self.reshuffle = buffer_size, seed, seed2, reshuffle

    def _pass_seeds(self, env):
        seeds = (self.seed, self.seed2)
        if seeds == (0, 0):
            seeds = env.rngs.setdefault((self, "seeds"), tuple(int(v) for v in
                                                               np.random.SeedSequence().generate_state(2, np.uint64)))
        if not self.reshuffle:
            return seeds
        generator = env.rngs.get((self, env.prefix))
        if generator is None:
            stream = philox_random.PhiloxStream(*seeds)
            generator = env.rngs[self, env.prefix] = philox_random.Uint32Reader(*stream.reserve(0))
        return generator.next(), generator.next()

    def transform(self, make, env):
        seed, seed2 = self._pass_seeds(env)
        # (TF's generator takes these two as they are: no drawing at random where both are 0)
        mask = (1 << 64) - 1
        rng = philox_random.Uint32Reader(seed & mask, (seed2 & mask) << 64)
        n = self.buffer_size
        it = make()
        buf = list(itertools.islice(it, n))
        first = 0  # buf is a ring: the buffered elements in their order are buf[first], buf[first + 1], ... (mod n)
        draws, k = [], 0
        if len(buf) == n:
            for x in it:
                if k == len(draws):
                    draws, k = rng.take(1024).tolist(), 0
                j = (first + draws[k] % n) % n
                k += 1
                yield buf[j]
                buf[j] = buf[first]
                buf[first] = x  # the new element is the last buffered one
                first = first + 1 if first + 1 < n else 0
            buf, first = buf[first:] + buf[:first], 0
        # the input has ended: the buffer empties by the same rule, its first element now buf[first]
        for size in range(len(buf), 0, -1):
            if k == len(draws):
                draws, k = rng.take(1024).tolist(), 0
            j = first + draws[k] % size
            k += 1
            yield buf[j]
            buf[j] = buf[first]
            buf[first] = None
            first += 1


def _stack(parts, component, first_shape, after_map):
    try:
        return np.stack(parts)
    except ValueError:
        for i, p in enumerate(parts):
            if p.shape != first_shape:
                if after_map:  # TF fuses map + batch (MapAndBatchDataset), which words it so
                    raise _invalid("Cannot add tensor to the batch: number of elements does not match. Shapes are: "
                                   "[tensor]: %s, [batch]: %s" % (_shape_str(p.shape), _shape_str(first_shape)))
                raise _invalid("Cannot batch tensors with different shapes in component %d. First element had shape "
                               "%s and element %d had shape %s." % (component, _shape_str(first_shape), i,
                                                                     _shape_str(p.shape))) from None
        raise


class _Batch(DatasetValue):
    def __init__(self, input, batch_size, drop_remainder):  # noqa: A002
        self.input, self.batch_size, self.drop_remainder = input, batch_size, drop_remainder

    def elements(self, env):
        n, drop = self.batch_size, self.drop_remainder
        if self.input.indexable:  # a row view: one gather per component
            comps = self.input.components
            idx = self.input.indices(env)
            while True:
                rows = np.fromiter(itertools.islice(idx, n), np.int64)
                if not len(rows) or (drop and len(rows) < n):
                    return
                yield tuple(c[rows] for c in comps)
        it = self.input.elements(env)
        after_map = type(self.input) is _Map
        while True:
            batch = list(itertools.islice(it, n))
            if not batch or (drop and len(batch) < n):
                return
            failed = _first_failed(batch)
            if failed is not None:
                yield failed
                continue
            try:
                yield tuple(_stack([e[k] for e in batch], k, batch[0][k].shape, after_map)
                            for k in range(len(batch[0])))
            except errors.OpError as e:
                yield Failed(e)


class _PaddedBatch(DatasetValue):
    def __init__(self, input, batch_size, padded_shapes, padding_values, drop_remainder):  # noqa: A002
        self.input, self.batch_size, self.drop_remainder = input, batch_size, drop_remainder
        self.padded_shapes, self.padding_values = padded_shapes, padding_values

    def elements(self, env):
        it = self.input.elements(env)
        n = self.batch_size
        while True:
            batch = list(itertools.islice(it, n))
            if not batch or (self.drop_remainder and len(batch) < n):
                return
            failed = _first_failed(batch)
            if failed is not None:
                yield failed
                continue
            try:
                yield tuple(self._pad([e[k] for e in batch], shape, pad, k)
                            for k, (shape, pad) in enumerate(zip(self.padded_shapes, self.padding_values)))
            except errors.OpError as e:
                yield Failed(e)

    @staticmethod
    def _pad(parts, shape, pad, component):
        """The parts of component `component` stacked, each padded with `pad` to `shape` (-1: the batch's longest)."""
        for p in parts:
            if p.ndim != len(shape):  # (only elements of unknown static rank, from_generator's, get here)
                raise _invalid("All elements in a batch must have the same rank as the padded shape for component%d: "
                               "expected rank %d but got element with rank %d"
                               % (component, len(shape), p.ndim))
        target = []
        for axis, d in enumerate(shape):
            longest = max(p.shape[axis] for p in parts)
            if d >= 0 and longest > d:
                raise errors.DataLossError(None, None, "Attempted to pad to a smaller size than the input element.")
            target.append(longest if d < 0 else int(d))
        out = np.full([len(parts)] + target, pad, dtype=pad.dtype)
        for i, p in enumerate(parts):
            out[(i,) + tuple(slice(0, s) for s in p.shape)] = p
        return out


class _Map(DatasetValue):
    def __init__(self, input, function, captured):  # noqa: A002
        # the captured values as they are now (a variable's value may change after the initializer ran)
        self.input, self.function = input, function
        self.captured = [c.copy() if isinstance(c, np.ndarray) else c for c in captured]

    def elements(self, env):
        run = env.runner(self.function)
        captured = self.captured
        for e in self.input.elements(env):
            if e.__class__ is Failed:
                yield e
                continue
            try:
                yield tuple(run(list(e) + captured))
            except errors.OpError as error:
                yield Failed(error)


class _Filter(_Map):
    def elements(self, env):
        run = env.runner(self.function)
        captured = self.captured
        for e in self.input.elements(env):
            if e.__class__ is Failed:
                yield e
                continue
            try:
                keep = run(list(e) + captured)[0]
            except errors.OpError as error:
                yield Failed(error)
                continue
            if keep:
                yield e


class _FlatMap(_Map):
    def elements(self, env):
        run = env.runner(self.function)
        for e in self.input.elements(env):
            if e.__class__ is Failed:
                yield e
                continue
            try:
                inner = run(list(e) + self.captured)[0]
            except errors.OpError as error:
                yield Failed(error)
                continue
            yield from inner.elements(env.inner())


class _Interleave(_Map):
    def __init__(self, input, function, captured, cycle_length, block_length):  # noqa: A002
        super().__init__(input, function, captured)
        self.cycle_length, self.block_length = cycle_length, block_length

    def elements(self, env):
        """TF's order: `cycle_length` slots visited in turn, `block_length` elements from each; a slot whose
        dataset ends is refilled, in its place, with the next input's dataset when the cycle comes back to it."""
        run = env.runner(self.function)
        inputs = self.input.elements(env)
        slots, exhausted, i = [None] * self.cycle_length, False, 0
        while not exhausted or any(s is not None for s in slots):
            if slots[i] is None:
                e = None if exhausted else next(inputs, None)
                if e is None:
                    exhausted = True
                    i = (i + 1) % self.cycle_length
                    continue
                if e.__class__ is Failed:
                    yield e
                    continue
                try:
                    slots[i] = run(list(e) + self.captured)[0].elements(env.inner())
                except errors.OpError as error:
                    yield Failed(error)
                    continue
            block = list(itertools.islice(slots[i], self.block_length))
            yield from block
            if len(block) < self.block_length:
                slots[i] = None
            i = (i + 1) % self.cycle_length


class _Generator(DatasetValue):
    """The elements a Python generator yields (Dataset.from_generator): each pass calls `generator(*args)` anew."""

    def __init__(self, generator, args, types, shapes, flatten):
        self.generator, self.args = generator, args
        self.types, self.shapes, self.flatten = types, shapes, flatten

    def elements(self, env):
        try:
            values = iter(self.generator(*self.args))
        except Exception as e:  # noqa: BLE001 - the user's error, as TF's py_func reports it
            yield Failed(_python_error(e))
            return
        while True:
            try:
                value = next(values)
            except StopIteration:
                return
            except Exception as e:  # noqa: BLE001 - the generator is over: its error, then the end (as TF)
                yield Failed(_python_error(e))
                return
            try:
                flat = self.flatten(value)
                arrays = [np.array(v, dtype=dt.as_numpy_dtype) for v, dt in zip(flat, self.types)]  # (copies)
            except (TypeError, ValueError):
                yield Failed(_invalid("TypeError: `generator` yielded an element that did not match the expected "
                                      "structure. The expected structure was %s, but the yielded element was %s."
                                      % (self.spec(), value)))
                continue
            for a, shape in zip(arrays, self.shapes):
                if not shape.is_compatible_with(TensorShape(a.shape)):
                    yield Failed(_invalid("TypeError: `generator` yielded an element of shape %s where an element of "
                                          "shape %s was expected." % (TensorShape(a.shape), shape)))
                    break
            else:
                yield tuple(arrays)

    def spec(self):
        specs = ["TensorSpec(shape=%s, dtype=%r, name=None)" % (s, t) for t, s in zip(self.types, self.shapes)]
        return specs[0] if len(specs) == 1 else "(%s)" % ", ".join(specs)


class _FileRecords(DatasetValue):
    """The records of files, file after file (TextLineDataset, TFRecordDataset, FixedLengthRecordDatasetV2 each read
    one file: tf.data's readers flat_map a dataset of file names). `read(name)` gives a file's records and maybe, at
    the end, the error that stopped the reading (a corrupted TFRecord: the next file is read after it, as in TF).
    A file that cannot be opened (missing; a body that is not whole records) fails every get_next, as TF's iterator
    retries the same file."""

    def __init__(self, filenames, read):
        self.filenames, self.read = filenames, read

    def elements(self, env):
        from .io_ops import _as_text
        for name in self.filenames.reshape(-1):
            try:
                records = self.read(_as_text(name))
            except errors.OpError as e:
                while True:
                    yield Failed(e)
            for r in records:
                if isinstance(r, errors.OpError):
                    yield Failed(r)
                    break
                yield (np.array(r, dtype=object),)


# =========================================================================== iterators
class IteratorResource:
    """A session's iterator for one iterator op: `start(dataset)` begins a new pass (MakeIterator); `get_next()` the
    next element; a one-shot iterator starts itself from its `factory` function at its first get_next. One thread at
    a time moves it (sessions may run in threads, as TF's)."""

    __slots__ = ("state", "op", "it", "factory", "handle", "lock")

    def __init__(self, state, op, factory=None):
        self.state, self.op, self.it, self.factory, self.handle = state, op, None, factory, None
        self.lock = threading.Lock()

    def start(self, dataset):
        with self.lock:
            self.it = dataset.elements(_Env(self.state))

    def get_next(self):
        with self.lock:
            if self.it is None:
                if self.factory is None:
                    raise errors.FailedPreconditionError(None, None, NOT_INITIALIZED)
                dataset = _Env(self.state).runner(self.factory)([])[0]
                self.factory = None
                self.it = dataset.elements(_Env(self.state))
            try:
                value = next(self.it)
            except StopIteration:
                self.it = iter(())
                raise errors.OutOfRangeError(None, None, END_OF_SEQUENCE) from None
            except BaseException as e:
                # a pipeline of Python generators stopped in the middle (KeyboardInterrupt, a bug) cannot go on:
                # say so at each later get_next rather than end the sequence early
                if self.it.__class__ is not _Lost:
                    self.it = _Lost(self.op.name, e)
                raise
        if value.__class__ is Failed:
            raise value.error
        return value

    def __repr__(self):
        return "<iterator %s: %s>" % (self.op.name, "not started" if self.it is None else "started")


class _Lost:
    """The position of an interrupted pipeline: each get_next raises FailedPreconditionError (or the TF error that
    stopped it, again)."""

    __slots__ = ("error",)

    def __init__(self, name, e):
        self.error = e if isinstance(e, errors.OpError) else errors.FailedPreconditionError(
            None, None, "The iterator %s was interrupted (%s) while it computed an element and cannot go on from "
            "there: run its initializer again (or make a new one-shot iterator) to start over."
            % (name, type(e).__name__))

    def __next__(self):
        raise self.error.with_traceback(None)


def _resource(ctx, factory=None):
    return ctx.state.resource(("iterator", ctx.op), lambda: IteratorResource(ctx.state, ctx.op, factory))


# =========================================================================== op definitions
def _check_scalar(t):
    if t.shape.ndims not in (None, 0):
        raise InferenceError("Shape must be rank 0 but is rank %d" % t.shape.ndims)


def _dataset_infer(*inputs, **attrs):
    return dtypes.variant, _SCALAR


def _scalars_infer(input_dataset, *scalars, **attrs):
    for t in scalars:
        _check_scalar(t)
    return dtypes.variant, _SCALAR


def _tensor_slice_kernel(xp, *components, **attrs):
    for c in components:
        if c.ndim == 0:
            raise _invalid("All components must be at least 1-dimensional")
    n = components[0].shape[0]
    for c in components[1:]:
        if c.shape[0] != n:
            raise _invalid("All components must have the same size in the 0th dimension")
    return _Slices(_owned(components))


def _owned(arrays):
    """The arrays a dataset keeps between runs: a constant's (read-only) as it is, any other (a fed array, which its
    owner may change later) copied."""
    return tuple(a if isinstance(a, np.ndarray) and not a.flags.writeable else np.array(a) for a in arrays)


def _tensor_kernel(xp, *components, **attrs):
    return _Tensors(_owned(components))


def _range_kernel(xp, start, stop, step, *, output_types, **attrs):
    if int(step) == 0:
        raise _invalid("step must be a non-zero integer.")
    return _Range(int(start), int(stop), int(step), output_types[0].as_numpy_dtype)


def _zip_kernel(xp, *inputs, **attrs):
    return _Zip(inputs)


def _concatenate_kernel(xp, first, second, **attrs):
    return _Concatenate(first, second)


def _batch_kernel(xp, input_dataset, batch_size, drop_remainder, **attrs):
    if int(batch_size) <= 0:
        raise _invalid("Batch size must be greater than zero.")
    return _Batch(input_dataset, int(batch_size), bool(drop_remainder))


def _padded_batch_kernel(xp, input_dataset, batch_size, *rest, N, **attrs):
    shapes, values, drop = rest[:N], rest[N:-1], rest[-1]
    if int(batch_size) <= 0:
        raise _invalid("Batch size must be greater than zero.")
    return _PaddedBatch(input_dataset, int(batch_size), [np.asarray(s).tolist() for s in shapes],
                        [np.asarray(v) for v in values], bool(drop))


def _shuffle_kernel(xp, input_dataset, buffer_size, seed, seed2, *, reshuffle_each_iteration=True, **attrs):
    if int(buffer_size) <= 0:
        raise _invalid("buffer_size must be greater than zero or UNKNOWN_CARDINALITY")
    return _Shuffle(input_dataset, int(buffer_size), int(seed), int(seed2), bool(reshuffle_each_iteration))


def _repeat_kernel(xp, input_dataset, count, **attrs):
    return _Repeat(input_dataset, int(count))


def _take_kernel(xp, input_dataset, count, **attrs):
    return _Take(input_dataset, int(count))


def _skip_kernel(xp, input_dataset, count, **attrs):
    return _Skip(input_dataset, int(count))


def _prefetch_kernel(xp, input_dataset, buffer_size, **attrs):
    return _Prefetch(input_dataset)


def _map_kernel(xp, input_dataset, *other_arguments, f, **attrs):
    return _Map(input_dataset, f, other_arguments)


def _parallel_map_kernel(xp, input_dataset, *rest, f, **attrs):
    return _Map(input_dataset, f, rest[:-1])  # (num_parallel_calls: one at a time here, in order)


def _filter_kernel(xp, input_dataset, *other_arguments, predicate, **attrs):
    return _Filter(input_dataset, predicate, other_arguments)


def _flat_map_kernel(xp, input_dataset, *other_arguments, f, **attrs):
    return _FlatMap(input_dataset, f, other_arguments)


def _interleave_kernel(xp, input_dataset, *rest, f, **attrs):
    other, cycle_length, block_length = rest[:-2], int(rest[-2]), int(rest[-1])
    if cycle_length <= 0:
        raise _invalid("cycle_length must be greater than zero.")
    if block_length <= 0:
        raise _invalid("block_length must be greater than zero.")
    return _Interleave(input_dataset, f, other, cycle_length, block_length)


def _generator_kernel(xp, *args, generator=None, flatten=None, output_types, output_shapes, **attrs):
    if generator is None:  # read from a GraphDef, which cannot hold a Python generator
        raise errors.UnimplementedError(None, None, "This GeneratorDataset has no Python generator: it came from a "
                                        "GraphDef. Call Dataset.from_generator in Python instead.")
    return _Generator(generator, args, output_types, output_shapes, flatten)


def _compression(compression_type):
    from .io_ops import _as_text
    return _as_text(compression_type)


def _text_line_dataset_kernel(xp, filenames, compression_type, buffer_size, **attrs):
    from ..io.tf_record import decompress, file_bytes
    from .io_ops import text_lines
    kind = _compression(compression_type)
    return _FileRecords(np.array(filenames, dtype=object), lambda name: text_lines(decompress(file_bytes(name), kind)))


def _tf_record_dataset_kernel(xp, filenames, compression_type, buffer_size, **attrs):
    from .io_ops import tf_record_file
    kind = _compression(compression_type)

    def read(name):
        return [r if isinstance(r, errors.OpError) else r[1] for r in tf_record_file(name, kind)]
    return _FileRecords(np.array(filenames, dtype=object), read)


def _fixed_length_record_dataset_kernel(xp, filenames, header_bytes, record_bytes, footer_bytes, buffer_size,
                                        compression_type, **attrs):
    from ..io.tf_record import decompress, file_bytes
    from .io_ops import fixed_length_records
    header, record, footer, kind = int(header_bytes), int(record_bytes), int(footer_bytes), \
        _compression(compression_type)
    if header < 0:
        raise _invalid("header_bytes must be >= 0 not %d" % header)
    if record <= 0:
        raise _invalid("record_bytes must be > 0 not %d" % record)
    if footer < 0:
        raise _invalid("footer_bytes must be >= 0 not %d" % footer)

    def read(name):
        data = decompress(file_bytes(name), kind)
        body = len(data) - header - footer
        if not kind and (body < 0 or body % record):  # (TF checks the size of an uncompressed file when it opens it)
            raise _invalid("Excluding the header (%d bytes) and footer (%d bytes), input file \"%s\" has body length "
                           "%d bytes, which is not an exact multiple of the record length (%d bytes)."
                           % (header, footer, name, body, record))
        return fixed_length_records(data, record, header, footer)
    return _FileRecords(np.array(filenames, dtype=object), read)


def _legacy_parallel_interleave_kernel(xp, input_dataset, *rest, f, **attrs):
    other, cycle_length, block_length = rest[:-4], int(rest[-4]), int(rest[-3])
    if cycle_length <= 0:
        raise _invalid("cycle_length must be greater than zero.")
    if block_length <= 0:
        raise _invalid("block_length must be greater than zero.")
    # deterministic: the order of InterleaveDataset (tfmini reads the files one after another)
    return _Interleave(input_dataset, f, other, cycle_length, block_length)


_DATASET_OPS = {
    "GeneratorDataset": (_dataset_infer, _generator_kernel),
    "TensorSliceDataset": (_dataset_infer, _tensor_slice_kernel),
    "TensorDataset": (_dataset_infer, _tensor_kernel),
    "RangeDataset": (_dataset_infer, _range_kernel),
    "ZipDataset": (_dataset_infer, _zip_kernel),
    "ConcatenateDataset": (_dataset_infer, _concatenate_kernel),
    "BatchDatasetV2": (_scalars_infer, _batch_kernel),
    "PaddedBatchDatasetV2": (_dataset_infer, _padded_batch_kernel),
    "ShuffleDataset": (_scalars_infer, _shuffle_kernel),
    "RepeatDataset": (_scalars_infer, _repeat_kernel),
    "TakeDataset": (_scalars_infer, _take_kernel),
    "SkipDataset": (_scalars_infer, _skip_kernel),
    "PrefetchDataset": (_scalars_infer, _prefetch_kernel),
    "MapDataset": (_dataset_infer, _map_kernel),
    "ParallelMapDatasetV2": (_dataset_infer, _parallel_map_kernel),
    "FilterDataset": (_dataset_infer, _filter_kernel),
    "FlatMapDataset": (_dataset_infer, _flat_map_kernel),
    "InterleaveDataset": (_dataset_infer, _interleave_kernel),
    "LegacyParallelInterleaveDatasetV2": (_dataset_infer, _legacy_parallel_interleave_kernel),
    "TextLineDataset": (_dataset_infer, _text_line_dataset_kernel),
    "TFRecordDataset": (_dataset_infer, _tf_record_dataset_kernel),
    "FixedLengthRecordDatasetV2": (_dataset_infer, _fixed_length_record_dataset_kernel),
}
for _type, (_infer, _kernel) in _DATASET_OPS.items():
    # pure: a pipeline on constants is described once, when a plan is built; on the host, as in TF
    register_op(_type, infer=_infer, kernel=_kernel, grad=NOT_DIFFERENTIABLE, host_only=True)


def _iterator_infer(**attrs):
    return dtypes.resource, _SCALAR


def _one_shot_iterator_kernel(ctx, xp, *, dataset_factory, **attrs):
    return _resource(ctx, dataset_factory)


def _iterator_v2_kernel(ctx, xp, **attrs):
    return _resource(ctx)


def _make_iterator_infer(dataset, iterator):
    return []


def _make_iterator_kernel(xp, dataset, iterator):
    iterator.start(dataset)


def _get_next_infer(iterator, *, output_types, output_shapes):
    return [(dt, shape) for dt, shape in zip(output_types, output_shapes)]


def _get_next_kernel(xp, iterator, *, output_types, output_shapes):
    values = iterator.get_next()
    return values[0] if len(values) == 1 else values


def _to_string_handle_infer(resource_handle):
    return dtypes.string, _SCALAR


def _to_string_handle_kernel(ctx, xp, resource_handle):
    with resource_handle.lock:  # (threads may ask at once: one name)
        if resource_handle.handle is None:  # a name unique in the session, for IteratorFromStringHandleV2
            resource_handle.handle = "%s_%d" % (resource_handle.op.name, len(ctx.state.resources))
            ctx.state.resources[("handle", resource_handle.handle)] = resource_handle
    return np.array(resource_handle.handle.encode(), dtype=object)


def _from_string_handle_infer(string_handle, *, output_types=(), output_shapes=()):
    _check_scalar(string_handle)
    return dtypes.resource, _SCALAR


def _from_string_handle_kernel(ctx, xp, string_handle, *, output_types=(), output_shapes=()):
    h = string_handle.item() if hasattr(string_handle, "item") else string_handle
    h = h.decode() if isinstance(h, bytes) else str(h)
    r = ctx.state.resources.get(("handle", h))
    if r is None:
        raise _invalid("Could not parse string_handle as a valid ResourceHandle (%r is not the value of an "
                       "`iterator.string_handle()` run in this session)" % h)
    have = r.op._attrs.get("output_types", output_types)
    for i, (want, got) in enumerate(zip(output_types, have)):
        if want != got:  # (TF's wording, its names of dtypes)
            raise _invalid("Data type mismatch at component %d: expected %s but got %s."
                           % (i, dtypes.type_string(want), dtypes.type_string(got)))
    if len(have) != len(output_types):
        raise _invalid("Number of components does not match: expected %d types but got %d."
                       % (len(output_types), len(have)))
    return r


# (host_only: a GPU request for them is met on the host, as TF's iterator kernels keep their values in host memory)
_ITERATOR_KW = dict(grad=NOT_DIFFERENTIABLE, host_only=True, stateful=True)
register_op("OneShotIterator", infer=_iterator_infer, kernel=_one_shot_iterator_kernel, needs_ctx=True,
            session_constant=True, **_ITERATOR_KW)
register_op("IteratorV2", infer=_iterator_infer, kernel=_iterator_v2_kernel, needs_ctx=True, session_constant=True,
            **_ITERATOR_KW)
register_op("MakeIterator", infer=_make_iterator_infer, kernel=_make_iterator_kernel, **_ITERATOR_KW)
register_op("IteratorGetNext", infer=_get_next_infer, kernel=_get_next_kernel, **_ITERATOR_KW)
register_op("IteratorToStringHandle", infer=_to_string_handle_infer, kernel=_to_string_handle_kernel,
            needs_ctx=True, **_ITERATOR_KW)
register_op("IteratorFromStringHandleV2", infer=_from_string_handle_infer, kernel=_from_string_handle_kernel,
            needs_ctx=True, **_ITERATOR_KW)



def dataset_op(op_type, inputs, attrs, name=None):
    """Build a dataset or iterator op named as TF names it (no scope of its own): its output, or the Operation."""
    from ..framework.op_def_library import op_graph
    op = op_graph(list(inputs)).create_op(op_type, list(inputs), attrs, name=name or op_type)
    outs = op._outputs
    if not outs:
        return op
    return outs[0] if len(outs) == 1 else list(outs)

