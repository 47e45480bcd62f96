"""tf.data.Dataset as TF 1.x graph mode has it: each method builds one dataset op (a `variant` tensor) and knows the
element structure, dtypes and static shapes (output_types, output_shapes, output_classes)."""
from ..framework import dtypes
from ..framework.func_graph import trace
from ..framework.ops import Tensor, convert_to_tensor, get_default_graph, name_scope
from ..framework.random_seed import get_seed
from ..framework.tensor_shape import TensorShape, as_shape
from ..ops import dataset_ops as _ops
from . import structure

__all__ = ["Dataset", "DatasetV1", "AUTOTUNE"]

AUTOTUNE = -1


def _int64(value, name):
    return convert_to_tensor(value, dtype=dtypes.int64, name=name)


# tf.compat.v1.data.Dataset's methods tfmini lacks: asking for one says so (as tf.<name> does, framework/api_hook.py)
_TF_METHODS = frozenset(
    "as_numpy_iterator bucket_by_sequence_length cache cardinality choose_from_datasets counter enumerate "
    "filter_with_legacy_function fingerprint from_sparse_tensor_slices get_single_element group_by_window "
    "ignore_errors list_files load map_with_legacy_function options ragged_batch random rebatch reduce "
    "rejection_resample sample_from_datasets save scan shard snapshot sparse_batch take_while unbatch unique window "
    "with_options".split())


def _missing(owner, name):
    message = "%s has no attribute %r" % (owner, name)
    if name in _TF_METHODS:
        message += (": tf.data.Dataset.%s is TensorFlow API that tfmini does not implement (tfmini covers the "
                    "TensorFlow the lecture uses). Real TensorFlow has it: import tensorflow.compat.v1 as tf" % name)
    return AttributeError(message)


class _DatasetType(type):
    def __getattr__(cls, name):  # a static method tfmini lacks (Dataset.list_files)
        raise _missing("type object %r" % cls.__name__, name)


class Dataset(structure.Structured, metaclass=_DatasetType):
    """A pipeline of elements (tf.data.Dataset in TF 1.x graph mode). Its value exists only in a run: iterate it with
    `make_one_shot_iterator()` or `make_initializable_iterator()` and fetch `get_next()`.

    >>> ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(1000).batch(32).repeat()
    >>> xb, yb = ds.make_one_shot_iterator().get_next()     # each sess.run takes the next batch
    """

    def __init__(self, variant_tensor, output_types, output_shapes, kind="Dataset"):
        self._variant_tensor = variant_tensor
        self._types = output_types
        self._shapes = output_shapes
        self._kind = kind

    # ---- structure (output_types, output_shapes, output_classes, element_spec: structure.Structured)
    def _flat_types(self):
        return structure.flatten(self._types)

    def _flat_shapes(self):
        return structure.flatten(self._shapes)

    def _derived(self, op_type, inputs, extra_attrs=None, types=None, shapes=None, kind=None, name=None):
        types = self._types if types is None else types
        shapes = self._shapes if shapes is None else shapes
        attrs = {"output_types": structure.flatten(types), "output_shapes": structure.flatten(shapes)}
        attrs.update(extra_attrs or {})
        attrs["metadata"] = ""
        return Dataset(_ops.dataset_op(op_type, inputs, attrs, name), types, shapes, kind or op_type[:-7])

    def __repr__(self):
        spec = self.element_spec
        text = str(spec) if not isinstance(spec, (tuple, dict)) else repr(spec)
        return "<_%sDataset element_spec=%s>" % (self._kind, text)

    def __getattr__(self, name):  # (only for names the class lacks)
        raise _missing("%r object" % type(self).__name__, name)

    def __iter__(self):
        raise RuntimeError("`tf.data.Dataset` only supports Python-style iteration in eager mode or within "
                           "tf.function. (In TF 1.x graph mode: `it = ds.make_one_shot_iterator()`, then fetch "
                           "`it.get_next()` with `sess.run`.)")

    # ---- sources
    @staticmethod
    def from_tensor_slices(tensors, name=None):
        """Elements are the slices of `tensors` (a structure of tuples/dicts; a list is one tensor) along their first
        dimension, which all must share. ValueError for a scalar or mismatched first dimensions."""
        comps, struct = _normalize(tensors)
        first = TensorShape(None) if not comps else comps[0].shape[:1] if comps[0].shape.ndims else None
        for c in comps:
            if c.shape.ndims == 0:
                raise ValueError("Unbatching a tensor is only supported for rank >= 1")
            if c.shape.ndims is not None:
                first = c.shape[:1] if first is None or first.ndims is None else _merge_dims(first, c.shape[:1])
        shapes = [c.shape[1:] if c.shape.ndims is not None else TensorShape(None) for c in comps]
        types = [c.dtype.base_dtype for c in comps]
        attrs = {"Toutput_types": types, "output_shapes": shapes, "is_files": False, "metadata": "",
                 "replicate_on_split": False}
        t = _ops.dataset_op("TensorSliceDataset", comps, attrs)
        return Dataset(t, structure.pack(struct, types), structure.pack(struct, shapes), "TensorSlice")

    @staticmethod
    def from_tensors(tensors, name=None):
        """One element: `tensors` itself."""
        comps, struct = _normalize(tensors)
        types = [c.dtype.base_dtype for c in comps]
        shapes = [c.shape for c in comps]
        t = _ops.dataset_op("TensorDataset", comps, {"Toutput_types": types, "output_shapes": shapes, "metadata": ""})
        return Dataset(t, structure.pack(struct, types), structure.pack(struct, shapes), "Tensor")

    @staticmethod
    def range(*args, **kwargs):
        """range(stop), range(start, stop[, step]): int64 scalars, as Python's range."""
        output_type = dtypes.as_dtype(kwargs.pop("output_type", dtypes.int64))
        if kwargs:
            raise TypeError("range() got an unexpected keyword argument %r" % next(iter(kwargs)))
        if len(args) == 1:
            start, stop, step = 0, args[0], 1
        elif len(args) == 2:
            (start, stop), step = args, 1
        elif len(args) == 3:
            start, stop, step = args
        else:
            raise ValueError("Invalid arguments to RangeDataset: %s" % (args,))
        inputs = [_int64(start, "start"), _int64(stop, "stop"), _int64(step, "step")]
        t = _ops.dataset_op("RangeDataset", inputs, {"output_types": [output_type], "output_shapes": [TensorShape([])],
                                                     "metadata": "", "replicate_on_split": False})
        return Dataset(t, output_type, TensorShape([]), "Range")

    @staticmethod
    def zip(datasets, name=None):
        """Elements are tuples (or dicts: the structure of `datasets`) of the datasets' elements, as Python's zip."""
        flat = structure.flatten(datasets)
        for d in flat:
            if not isinstance(d, Dataset):
                raise TypeError("Invalid input to `zip`. Inputs are expected to be (nested) structures of "
                                "`tf.data.Dataset` objects. Python `list` is not supported and you should use "
                                "`tuple` instead.")
        types = structure.pack(datasets, [d._types for d in flat])
        shapes = structure.pack(datasets, [d._shapes for d in flat])
        attrs = {"output_types": structure.flatten(types), "output_shapes": structure.flatten(shapes), "N": len(flat),
                 "metadata": ""}
        return Dataset(_ops.dataset_op("ZipDataset", [d._variant_tensor for d in flat], attrs), types, shapes, "Zip")

    @staticmethod
    def from_generator(generator, output_types, output_shapes=None, args=None, output_signature=None, name=None):
        """The elements `generator(*args)` yields (a new generator for each pass), each converted to `output_types`
        and checked against `output_shapes` (default: unknown) when the iterator takes it. tfmini builds one
        GeneratorDataset op holding the Python function (TF wraps it in a FlatMapDataset of py_funcs), so its
        GraphDef cannot run elsewhere."""
        if not callable(generator):
            raise TypeError("`generator` must be a Python callable.")
        types = structure.map_structure(dtypes.as_dtype, output_types)
        if output_shapes is None:
            shapes = structure.map_structure(lambda _: TensorShape(None), types)
        else:
            shapes = structure.map_structure(as_shape, structure.pack(types, structure.flatten_up_to(types,
                                                                                                   output_shapes)))
        arg_tensors = [convert_to_tensor(a, name="args_%d" % i) for i, a in enumerate(args or ())]
        shallow = structure.map_structure(lambda _: 0, types)
        attrs = {"generator": generator, "flatten": lambda value: structure.flatten_up_to(shallow, value),
                 "Tinit_func_args":
                 [t.dtype.base_dtype for t in arg_tensors], "output_types": structure.flatten(types),
                 "output_shapes": structure.flatten(shapes), "metadata": ""}
        t = _ops.dataset_op("GeneratorDataset", arg_tensors, attrs)
        return Dataset(t, types, shapes, "Generator")

    # ---- transformations
    def concatenate(self, dataset):
        """This dataset's elements, then `dataset`'s (the same structure and dtypes)."""
        if self._types != dataset._types:
            raise TypeError("Incompatible dataset elements:\n  %s vs.   %s" % (self.element_spec, dataset.element_spec))
        shapes = structure.map_structure(_most_specific_compatible, self._shapes, dataset._shapes)
        return self._derived("ConcatenateDataset", [self._variant_tensor, dataset._variant_tensor], shapes=shapes)

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None, deterministic=None, name=None):
        """Elements stacked `batch_size` at a time; the last batch may be smaller unless `drop_remainder`. The shapes
        get a leading dimension: `batch_size` with drop_remainder (a constant), else None."""
        bs = _int64(batch_size, "batch_size")
        drop = convert_to_tensor(drop_remainder, dtype=dtypes.bool, name="drop_remainder")
        size = _const_int(bs) if _const_bool(drop) else None
        shapes = structure.map_structure(lambda s: TensorShape([size]).concatenate(s), self._shapes)
        return self._derived("BatchDatasetV2", [self._variant_tensor, bs, drop], {"parallel_copy": False},
                             shapes=shapes, kind="Batch")

    def padded_batch(self, batch_size, padded_shapes=None, padding_values=None, drop_remainder=False, name=None):
        """Batches whose components are padded (with `padding_values`, default 0) to `padded_shapes` (None or -1
        dimensions: to the longest in the batch; default: every dimension)."""
        flat_shapes = self._flat_shapes()
        if padded_shapes is None:  # each component's own shape: its unknown dimensions pad to the batch's longest
            for i, s in enumerate(flat_shapes):
                if s.ndims is None:
                    raise ValueError("You must provide `padded_shapes` argument because component %d has unknown "
                                     "rank." % i)
            padded = list(flat_shapes)
        else:
            padded = structure.flatten_up_to(self._shapes, padded_shapes)
        pairs = [_padded_shape(p) for p in padded]
        padded, shape_ts = [p for p, _ in pairs], [t for _, t in pairs]
        for p, s in zip(padded, flat_shapes):
            if not _padded_shape_fits(p, s):
                raise ValueError("The padded shape %s is not compatible with the shape %s of the corresponding input "
                                 "component." % (p, s))
        types = self._flat_types()
        if padding_values is None:
            values = [None] * len(types)
        elif not isinstance(padding_values, (tuple, dict)):  # one value for every component (TF's broadcast)
            values = [padding_values] * len(types)
        else:
            values = structure.flatten_up_to(self._types, padding_values)
        bs = _int64(batch_size, "batch_size")
        value_ts = [_padding_value(v, dt) for v, dt in zip(values, types)]
        drop = convert_to_tensor(drop_remainder, dtype=dtypes.bool, name="drop_remainder")
        size = _const_int(bs) if _const_bool(drop) else None
        out_shapes = [TensorShape([size]).concatenate(p) for p in padded]
        attrs = {"parallel_copy": False, "Toutput_types": types, "output_shapes": out_shapes, "N": len(padded),
                 "metadata": ""}
        t = _ops.dataset_op("PaddedBatchDatasetV2", [self._variant_tensor, bs] + shape_ts + value_ts + [drop], attrs)
        return Dataset(t, self._types, structure.pack(self._shapes, out_shapes), "PaddedBatch")

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=None, name=None):
        """Elements in a random order: each is drawn from a buffer of the next `buffer_size` elements. With
        `reshuffle_each_iteration` (default) every pass (each epoch of a later repeat) has a new order. Seeded, the
        order is TensorFlow's (the same Philox draws, ops/dataset_ops.py's _Shuffle)."""
        buffer_size = _int64(buffer_size, "buffer_size")  # (made before the seeds: it counts in the op seed's rule)
        seed, seed2 = _seed_tensors(seed)
        inputs = [self._variant_tensor, buffer_size, seed, seed2]
        reshuffle = True if reshuffle_each_iteration is None else bool(reshuffle_each_iteration)
        return self._derived("ShuffleDataset", inputs, {"reshuffle_each_iteration": reshuffle})

    def repeat(self, count=None, name=None):
        """The elements `count` times (None or -1: forever)."""
        return self._derived("RepeatDataset", [self._variant_tensor, _int64(-1 if count is None else count, "count")])

    def take(self, count, name=None):
        """The first `count` elements (-1: all)."""
        return self._derived("TakeDataset", [self._variant_tensor, _int64(count, "count")])

    def skip(self, count, name=None):
        """All but the first `count` elements (-1: none)."""
        return self._derived("SkipDataset", [self._variant_tensor, _int64(count, "count")])

    def prefetch(self, buffer_size, name=None):
        """The same elements (tfmini computes each when it is asked for)."""
        return self._derived("PrefetchDataset", [self._variant_tensor, _int64(buffer_size, "buffer_size")],
                             {"slack_period": 0, "legacy_autotune": False, "buffer_size_min": 0})

    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        """`map_func` applied to each element (a tuple element is passed as positional arguments). The function is
        traced once into a function graph; tensors of the outer graph it uses are read when the dataset is made
        (the iterator's initializer runs)."""
        fn, out = self._trace(map_func, "Dataset_map")
        types = structure.map_structure(lambda t: t.dtype.base_dtype, out)
        shapes = structure.map_structure(lambda t: t.shape, out)
        inputs = [self._variant_tensor] + fn.captured
        attrs = {"f": fn, "Targuments": [t.dtype.base_dtype for t in fn.captured]}
        if num_parallel_calls is None:
            attrs.update(use_inter_op_parallelism=True, preserve_cardinality=False, force_synchronous=False)
            return self._derived("MapDataset", inputs, attrs, types, shapes, kind="Map")
        inputs.append(_int64(num_parallel_calls, "num_parallel_calls"))
        attrs.update(use_inter_op_parallelism=True, deterministic="default", preserve_cardinality=False,
                     use_unbounded_threadpool=False)
        return self._derived("ParallelMapDatasetV2", inputs, attrs, types, shapes, kind="ParallelMap")

    def filter(self, predicate, name=None):
        """The elements for which `predicate` (returning a scalar tf.bool) is True."""
        fn, out = self._trace(predicate, "Dataset_filter")
        if not isinstance(out, Tensor) or out.dtype.base_dtype != dtypes.bool or \
                not out.shape.is_compatible_with(TensorShape([])):
            what = out if isinstance(out, Tensor) else None
            spec = structure.spec(what.shape, what.dtype.base_dtype) if what is not None else repr(out)
            raise ValueError("Invalid `predicate`. `predicate` must return a `tf.bool` scalar tensor, but its return "
                             "type is %s." % spec)
        return self._derived("FilterDataset", [self._variant_tensor] + fn.captured,
                             {"predicate": fn, "Targuments": [t.dtype.base_dtype for t in fn.captured]}, kind="Filter")

    def flat_map(self, map_func, name=None):
        """The elements of the datasets `map_func` returns for each element, one dataset after another."""
        fn, inner = self._trace_dataset_fn(map_func, "Dataset_flat_map")
        return self._derived("FlatMapDataset", [self._variant_tensor] + fn.captured,
                             {"f": fn, "Targuments": [t.dtype.base_dtype for t in fn.captured]},
                             inner._types, inner._shapes, kind="FlatMap")

    def interleave(self, map_func, cycle_length=None, block_length=None, num_parallel_calls=None, deterministic=None,
                   name=None):
        """Elements of `cycle_length` of the datasets `map_func` returns, `block_length` from each in turn."""
        fn, inner = self._trace_dataset_fn(map_func, "Dataset_interleave")
        inputs = [self._variant_tensor] + fn.captured + [_int64(1 if cycle_length is None else cycle_length,
                                                                "cycle_length"),
                                                         _int64(1 if block_length is None else block_length,
                                                                "block_length")]
        return self._derived("InterleaveDataset", inputs,
                             {"f": fn, "Targuments": [t.dtype.base_dtype for t in fn.captured]},
                             inner._types, inner._shapes, kind="Interleave")

    def _trace(self, func, name):
        """Trace `func` on this dataset's element: (Function, its result with tensors)."""
        struct = self._types

        def call(fn, args):
            element = structure.pack(struct, args)
            return fn(*element) if type(element) is tuple else fn(element)

        def flatten(result):
            if isinstance(result, list):
                result = tuple(result)  # as TF: a list returned is a tuple of tensors
            if isinstance(result, Dataset):
                return [result._variant_tensor], lambda flat: result
            return structure.flatten(result), lambda flat: structure.pack(result, flat)
        return trace(func, self._flat_types(), self._flat_shapes(), call, flatten, name, get_default_graph())

    def _trace_dataset_fn(self, func, name):
        holder = []

        def wrapped(*args):
            ds = func(*args)
            if not isinstance(ds, Dataset):
                raise TypeError("`map_func` must return a `Dataset` object. Got %s" % type(ds))
            holder.append(ds)
            return ds
        fn, _ = self._trace(wrapped, name)
        return fn, holder[0]

    def apply(self, transformation_func):
        """`transformation_func(self)`, which must return a Dataset."""
        ds = transformation_func(self)
        if not isinstance(ds, Dataset):
            raise TypeError("`transformation_func` must return a `tf.data.Dataset` object. Got %s." % type(ds))
        return ds

    # ---- iterators
    def make_one_shot_iterator(self):
        """An iterator that starts itself at its first get_next (no initializer). The dataset may not read
        placeholders or variables (ValueError): use make_initializable_iterator for those."""
        from .iterator_ops import make_one_shot_iterator
        return make_one_shot_iterator(self)

    def make_initializable_iterator(self, shared_name=None):
        """An iterator to start (and restart) by running its `initializer` (which may need feeds)."""
        from .iterator_ops import make_initializable_iterator
        return make_initializable_iterator(self, shared_name)


DatasetV1 = Dataset


def _normalize(tensors):
    """The components of an element given as Python values or tensors, as tensors (TF's normalize_element)."""
    flat = structure.flatten(tensors)
    with name_scope("normalize_element"):
        comps = [v if isinstance(v, Tensor) else convert_to_tensor(v, name="component_%d" % i)
                 for i, v in enumerate(flat)]
    return comps, tensors


def _seed_tensors(op_seed):
    """The (seed, seed2) int64 tensors of a random dataset op, as TF's tf.data builds them: seed2 is 2**31 - 1 where
    both would be 0 (which the kernel would read as "no seed")."""
    from ..ops import array_ops, math_ops
    seed, seed2 = get_seed(op_seed)
    seed = _int64(0 if seed is None else seed, "seed")
    if seed2 is None:
        return seed, _int64(0, "seed2")
    with name_scope("seed2") as scope:
        seed2 = convert_to_tensor(seed2, dtype=dtypes.int64)
        both_zero = math_ops.logical_and(math_ops.equal(seed, 0), math_ops.equal(seed2, 0))
        seed2 = array_ops.where_v2(both_zero, convert_to_tensor(2 ** 31 - 1, dtype=dtypes.int64), seed2, name=scope)
    return seed, seed2


def _padded_shape(padded_shape):
    """(TensorShape, int64 shape tensor) of a padded shape given as a shape (None or -1: the batch's longest) or as a
    1-D int64 tensor (TF's _padded_shape_to_tensor)."""
    if not isinstance(padded_shape, Tensor):
        try:
            shape = as_shape([None if isinstance(d, int) and d == -1 else d for d in padded_shape]
                             if isinstance(padded_shape, (list, tuple)) else padded_shape)
            return shape, _int64([-1 if d is None else d for d in shape.as_tuple()], "Const")
        except (TypeError, ValueError):
            pass  # (as TF: then as a tensor)
    t = convert_to_tensor(padded_shape, preferred_dtype=dtypes.int64)
    if t.shape.ndims is not None and t.shape.ndims != 1:
        raise ValueError("Padded shape %s must be a `tf.int64` vector tensor, but its shape was %s."
                         % (padded_shape, t.shape))
    if t.dtype.base_dtype != dtypes.int64:
        raise TypeError("Padded shape %s must be a `tf.int64` vector tensor, but its element type was %s."
                        % (padded_shape, t.dtype.base_dtype.name))
    from ..ops.constant_op import constant_shape
    return constant_shape(t), t


def _padding_value(value, dtype):
    """A component's padding value as a scalar tensor of its dtype (default: 0 or ""); TF's errors for one of
    another dtype (a Python int is int32) or not a scalar."""
    if value is None:
        value = "" if dtype == dtypes.string else dtype.as_numpy_dtype(0)
    t = convert_to_tensor(value, name="padding_value")
    if not t.shape.is_compatible_with(TensorShape([])):
        raise ValueError("Invalid `padding_values`. `padding_values` values should be scalars, but got %s." % t.shape)
    if t.dtype.base_dtype != dtype:
        raise TypeError("Invalid `padding_values`. `padding_values` values type %s does not match type %s of the "
                        "corresponding input component." % (t.dtype.base_dtype, dtype))
    return t


def _padded_shape_fits(padded, shape):
    """Whether elements of `shape` can be padded to `padded`: the same rank, and no known dimension longer."""
    if padded.ndims is None:
        return False
    if shape.ndims is None:
        return True
    return padded.ndims == shape.ndims and all(p is None or d is None or p >= d
                                               for p, d in zip(padded.as_tuple(), shape.as_tuple()))


def _merge_dims(a, b):
    x, y = a.as_tuple()[0], b.as_tuple()[0]
    if x is not None and y is not None and x != y:
        raise ValueError("Dimensions %d and %d are not compatible" % (x, y))
    return a if x is not None else b


def _most_specific_compatible(a, b):
    if a.ndims is None or b.ndims is None or a.ndims != b.ndims:
        return TensorShape(None)
    return TensorShape([x if x == y else None for x, y in zip(a.as_tuple(), b.as_tuple())])


def _const_int(t):
    from ..ops.constant_op import constant_value
    v = constant_value(t)
    return None if v is None else int(v)


def _const_bool(t):
    from ..ops.constant_op import constant_value
    v = constant_value(t)
    return v is not None and bool(v)
