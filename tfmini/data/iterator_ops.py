"""tf.data.Iterator as TF 1.x graph mode has it: one-shot, initializable, reinitializable (from_structure) and
feedable (from_string_handle) iterators. The iterator's position lives in the Session, as a variable's value does:
two sessions iterate independently, and running the initializer again starts over."""
from ..framework import dtypes, nest
from ..framework.func_graph import copy_by_value
from ..framework.ops import _encloses, convert_to_tensor, get_default_graph
from ..framework.tensor_shape import TensorShape, as_shape
from ..ops import dataset_ops as _ops
from . import structure

__all__ = ["Iterator", "make_one_shot_iterator", "make_initializable_iterator", "get_output_types",
           "get_output_shapes", "get_output_classes"]

# TF's guard against the classic slowdown: get_next() called inside the training loop makes a new op each step
GET_NEXT_CALL_WARNING_THRESHOLD = 32
GET_NEXT_CALL_WARNING_MESSAGE = (
    "An unusually high number of `Iterator.get_next()` calls was detected. This often indicates that "
    "`Iterator.get_next()` is being called inside a training loop, which will cause gradual slowdown and eventual "
    "resource exhaustion. If this is the case, restructure your code to call `next_element = iterator.get_next()` "
    "once outside the loop, and use `next_element` as the input to some computation that is invoked inside the loop.")

_STATEFUL_NOTE = (": A likely cause of this error is that the dataset for which you are calling "
                  "`make_one_shot_iterator()` captures a stateful object, such as a `tf.Variable` or "
                  "`tf.lookup.StaticHashTable`, which is not supported. Use `make_initializable_iterator()` instead.")


class Iterator(structure.Structured):
    """Takes elements of a dataset: `get_next()` is a structure of tensors; each run that computes them moves the
    iterator on by one element (TF's OutOfRangeError "End of sequence" at the end)."""

    def __init__(self, iterator_resource, initializer, output_types, output_shapes, output_classes=None):
        self._iterator_resource = iterator_resource
        self._initializer = initializer
        self._types = output_types
        self._shapes = output_shapes
        self._string_handle = _ops.dataset_op("IteratorToStringHandle", [iterator_resource], {})
        self._get_next_call_count = 0

    @staticmethod
    def from_structure(output_types, output_shapes=None, shared_name=None, output_classes=None):
        """An iterator of elements of this structure, not bound to a dataset: `make_initializer(ds)` makes the op
        that (re)starts it on `ds` (a reinitializable iterator)."""
        output_types = structure.map_structure(dtypes.as_dtype, output_types)
        if output_shapes is None:
            output_shapes = structure.map_structure(lambda _: TensorShape(None), output_types)
        else:
            output_shapes = structure.pack(output_types, structure.flatten_up_to(output_types, output_shapes))
            output_shapes = structure.map_structure(as_shape, output_shapes)
        resource = _ops.dataset_op("IteratorV2", [], _iterator_attrs(output_types, output_shapes, shared_name))
        return Iterator(resource, None, output_types, output_shapes)

    @staticmethod
    def from_string_handle(string_handle, output_types, output_shapes=None, output_classes=None):
        """An iterator that, in each run, is the one whose `string_handle()` value `string_handle` (a string
        tensor, usually a placeholder) has (a feedable iterator)."""
        output_types = structure.map_structure(dtypes.as_dtype, output_types)
        if output_shapes is None:
            output_shapes = structure.map_structure(lambda _: TensorShape(None), output_types)
        else:
            output_shapes = structure.map_structure(
                as_shape, structure.pack(output_types, structure.flatten_up_to(output_types, output_shapes)))
        handle = convert_to_tensor(string_handle, dtype=dtypes.string)
        attrs = {"output_types": structure.flatten(output_types), "output_shapes": structure.flatten(output_shapes)}
        resource = _ops.dataset_op("IteratorFromStringHandleV2", [handle], attrs)
        return Iterator(resource, None, output_types, output_shapes)

    # ---- ops (the structure's properties: structure.Structured)
    @property
    def initializer(self):
        """The op that starts (restarts) this iterator on its dataset."""
        if self._initializer is None:
            raise ValueError("The iterator does not have an initializer. This means it was likely created using "
                             "`tf.data.Dataset.make_one_shot_iterator()`. For an initializable iterator, use "
                             "`tf.data.Dataset.make_initializable_iterator()` instead.")
        return self._initializer

    def make_initializer(self, dataset, name=None):
        """The op that starts this iterator on `dataset`, whose structure, dtypes and shapes must fit the
        iterator's (TypeError/ValueError, TF's wording)."""
        nest.assert_same_structure(self._types, dataset.output_types)
        if structure.flatten(self._types) != structure.flatten(dataset.output_types):
            raise TypeError("Expected output types %r but got dataset with output types %r."
                            % (self._types, dataset.output_types))
        if not all(a.is_compatible_with(b) for a, b in zip(structure.flatten(self._shapes),
                                                          structure.flatten(dataset.output_shapes))):
            raise TypeError("Expected output shapes compatible with %r but got dataset with output shapes %r."
                            % (self._shapes, dataset.output_shapes))
        return _ops.dataset_op("MakeIterator", [dataset._variant_tensor, self._iterator_resource], {},
                               name=name or "MakeIterator")

    def get_next(self, name=None):
        """The next element, as a structure of tensors (dtypes and static shapes of the iterator's). Call it once,
        outside the training loop (TF's warning after 32 calls)."""
        self._get_next_call_count += 1
        if self._get_next_call_count > GET_NEXT_CALL_WARNING_THRESHOLD:
            import warnings
            warnings.warn(GET_NEXT_CALL_WARNING_MESSAGE, stacklevel=2)
        attrs = {"output_types": structure.flatten(self._types), "output_shapes": structure.flatten(self._shapes)}
        out = _ops.dataset_op("IteratorGetNext", [self._iterator_resource], attrs, name=name or "IteratorGetNext")
        return structure.pack(self._types, out if isinstance(out, list) else [out])

    def string_handle(self, name=None):
        """A string tensor naming this iterator in a run, for `Iterator.from_string_handle`."""
        if name is None:
            return self._string_handle
        return _ops.dataset_op("IteratorToStringHandle", [self._iterator_resource], {}, name=name)


def _iterator_attrs(types, shapes, shared_name=None):
    return {"shared_name": shared_name or "", "container": "", "output_types": structure.flatten(types),
            "output_shapes": structure.flatten(shapes)}


def _check_same_graph(dataset):
    """TF's ValueError for a dataset of another graph than the default one (typically one made before
    tf.reset_default_graph(), in a notebook cell that was not run again)."""
    graph, dataset_graph = get_default_graph(), dataset._variant_tensor.graph
    if dataset_graph is not graph and not _encloses(dataset_graph, graph):
        raise ValueError("The graph %r of the iterator is different from the graph %r the dataset: %s was created in. "
                         "Make sure that the dataset is created in the same graph as the iterator."
                         % (graph, dataset_graph, dataset._variant_tensor))


def make_one_shot_iterator(dataset):
    """An iterator over `dataset` that starts by itself (tf.compat.v1.data.make_one_shot_iterator). Its op,
    OneShotIterator, holds a copy of the ops that make the dataset (its `dataset_factory` function)."""
    _check_same_graph(dataset)
    try:
        factory = copy_by_value(dataset._variant_tensor, "_make_dataset")
    except ValueError as e:
        note = _STATEFUL_NOTE if "stateful" in str(e) else ""
        raise ValueError(str(e) + note) from None
    attrs = {"dataset_factory": factory, "output_types": dataset._flat_types(),
             "output_shapes": dataset._flat_shapes(), "container": "", "shared_name": ""}
    resource = _ops.dataset_op("OneShotIterator", [], attrs)
    return Iterator(resource, None, dataset.output_types, dataset.output_shapes)


def make_initializable_iterator(dataset, shared_name=None):
    """An iterator over `dataset` to start by running its `initializer` (tf.compat.v1.data.make_initializable_iterator);
    the dataset may read placeholders (fed to the initializer) and variables."""
    _check_same_graph(dataset)
    resource = _ops.dataset_op("IteratorV2", [], _iterator_attrs(dataset.output_types, dataset.output_shapes,
                                                                 shared_name))
    init = _ops.dataset_op("MakeIterator", [dataset._variant_tensor, resource], {})
    return Iterator(resource, init, dataset.output_types, dataset.output_shapes)


def get_output_types(dataset_or_iterator):
    return dataset_or_iterator.output_types


def get_output_shapes(dataset_or_iterator):
    return dataset_or_iterator.output_shapes


def get_output_classes(dataset_or_iterator):
    return dataset_or_iterator.output_classes
