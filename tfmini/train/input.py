"""TF1's queue-based input pipelines: the producers (string_, range_, slice_, input_producer, limit_epochs) that fill a
queue with a QueueRunner, and batch / shuffle_batch (and their _join forms) that batch a pipeline's tensors through
another queue. The threads run once tf.train.start_queue_runners starts them."""
from ..framework import dtypes
from ..framework.ops import GraphKeys, Tensor, control_dependencies, convert_to_tensor, name_scope
from ..framework.tensor_shape import TensorShape, as_shape
from ..ops import array_ops, data_flow_ops, math_ops
from .queue_runner import QueueRunner, add_queue_runner

__all__ = ["limit_epochs", "input_producer", "string_input_producer", "range_input_producer", "slice_input_producer",
           "batch", "batch_join", "shuffle_batch", "shuffle_batch_join", "match_filenames_once"]


def _summary_scalar(name, tensor):
    from ..summary import summary
    summary.scalar(name, tensor)


# =========================================================================== producers
def limit_epochs(tensor, num_epochs=None, name=None):
    """`tensor`, `num_epochs` times, then OutOfRangeError; counts in a local variable `epochs`
    (initialize it with tf.local_variables_initializer())."""
    if num_epochs is None:
        return tensor
    if num_epochs <= 0:
        raise ValueError("num_epochs must be > 0 not %d." % num_epochs)
    from ..ops.constant_op import constant
    from ..variables import Variable
    with name_scope(name, "limit_epochs", [tensor]) as name:
        zero64 = constant(0, dtype=dtypes.int64)
        epochs = Variable(zero64, name="epochs", trainable=False, collections=[GraphKeys.LOCAL_VARIABLES])
        counter = epochs.count_up_to(num_epochs)
        with control_dependencies([counter]):
            return array_ops.identity(tensor, name=name)


def input_producer(input_tensor, element_shape=None, num_epochs=None, shuffle=True, seed=None, capacity=32,
                   shared_name=None, summary_name=None, name=None, cancel_op=None):
    """A FIFOQueue fed with the rows of `input_tensor` (shuffled in each epoch when `shuffle`), by a QueueRunner
    added to the graph's QUEUE_RUNNERS; `num_epochs` epochs, or forever."""
    with name_scope(name, "input_producer", [input_tensor]):
        input_tensor = convert_to_tensor(input_tensor, name="input_tensor")
        element_shape = input_tensor.shape[1:].merge_with(as_shape(element_shape) if element_shape is not None
                                                          else TensorShape(None))
        if not element_shape.is_fully_defined():
            raise ValueError("Either `input_tensor` must have a fully defined shape or `element_shape` must be "
                             "specified")
        if shuffle:
            from ..ops import random_ops
            input_tensor = random_ops.random_shuffle(input_tensor, seed=seed)
        input_tensor = limit_epochs(input_tensor, num_epochs)
        q = data_flow_ops.FIFOQueue(capacity=capacity, dtypes=[input_tensor.dtype.base_dtype],
                                    shapes=[element_shape], shared_name=shared_name, name=name)
        enq = q.enqueue_many([input_tensor])
        add_queue_runner(QueueRunner(q, [enq], cancel_op=cancel_op))
        if summary_name is not None:
            _summary_scalar(summary_name, math_ops.cast(q.size(), dtypes.float32) * (1. / capacity))
        return q


def string_input_producer(string_tensor, num_epochs=None, shuffle=True, seed=None, capacity=32, shared_name=None,
                          name=None, cancel_op=None):
    """A queue of the strings of `string_tensor` (file names, say), for a reader's `read(queue)`.

    >>> q = tf.train.string_input_producer(['data.csv'], shuffle=False); key, value = tf.TextLineReader().read(q)
    """
    not_null_err = "string_input_producer requires a non-null input tensor"
    if not isinstance(string_tensor, Tensor) and not string_tensor:
        raise ValueError(not_null_err)
    from ..ops.control_flow_ops import Assert
    with name_scope(name, "input_producer", [string_tensor]) as name:
        string_tensor = convert_to_tensor(string_tensor, dtype=dtypes.string)
        with control_dependencies([Assert(math_ops.greater(array_ops.size(string_tensor), 0), [not_null_err])]):
            string_tensor = array_ops.identity(string_tensor)
        return input_producer(input_tensor=string_tensor, element_shape=[], num_epochs=num_epochs, shuffle=shuffle,
                              seed=seed, capacity=capacity, shared_name=shared_name, name=name,
                              summary_name="fraction_of_%d_full" % capacity, cancel_op=cancel_op)


def range_input_producer(limit, num_epochs=None, shuffle=True, seed=None, capacity=32, shared_name=None, name=None):
    """A queue of the integers 0 .. limit-1 (int32)."""
    with name_scope(name, "input_producer", [limit]) as name:
        range_tensor = array_ops.range(limit)
        return input_producer(range_tensor, [], num_epochs, shuffle, seed, capacity, shared_name,
                              "fraction_of_%d_full" % capacity, name)


def slice_input_producer(tensor_list, num_epochs=None, shuffle=True, seed=None, capacity=32, shared_name=None,
                         name=None):
    """One row of each tensor of `tensor_list` (all with the same number of rows), the same row of each, row after
    row (shuffled when `shuffle`). Returns the list of row tensors.

    >>> x, y = tf.train.slice_input_producer([tf.range(10), tf.range(10) * 2], shuffle=False)
    """
    with name_scope(name, "input_producer", list(tensor_list)):
        tensor_list = [convert_to_tensor(t) for t in tensor_list]
        if not tensor_list:
            raise ValueError("Expected at least one tensor in slice_input_producer().")
        range_size = array_ops.shape(tensor_list[0])[0]
        queue = range_input_producer(range_size, num_epochs=num_epochs, shuffle=shuffle, seed=seed,
                                     capacity=capacity, shared_name=shared_name)
        index = queue.dequeue()
        return [array_ops.gather(t, index) for t in tensor_list]


def match_filenames_once(pattern, name=None):
    """A local variable holding the (sorted) file names that match the glob `pattern` (or a list of them), found
    when it is initialized (tf.local_variables_initializer())."""
    from ..ops import io_ops
    from ..variables import Variable
    with name_scope(name, "matching_filenames", [pattern]) as name:
        return Variable(io_ops.matching_files(pattern), name=name, trainable=False, validate_shape=False,
                        collections=[GraphKeys.LOCAL_VARIABLES])


# =========================================================================== batching
def _as_tensor_list(tensors):
    if isinstance(tensors, dict):
        return [tensors[k] for k in sorted(tensors, key=str)]
    return tensors


def _as_tensor_list_list(tensors_list):
    if not tensors_list:
        raise ValueError("Expected at least one set of tensors")
    if isinstance(tensors_list[0], dict):
        expected_keys = set(tensors_list[0].keys())
        for tensors in tensors_list[1:]:
            if set(tensors.keys()) != expected_keys:
                raise ValueError("All dictionaries in tensors_list must have the same keys")
        return [_as_tensor_list(tensors) for tensors in tensors_list]
    return tensors_list


def _as_original_type(original_tensors, tensor_list):
    if isinstance(original_tensors, dict):
        if len(original_tensors) == 1:
            tensor_list = [tensor_list]
        return {k: tensor_list[i] for i, k in enumerate(sorted(original_tensors, key=str))}
    return tensor_list


def _validate(tensor_list, what="batch()"):
    from ..framework.sparse_tensor import SparseTensor
    if any(isinstance(t, SparseTensor) for t in tensor_list):
        raise NotImplementedError("tfmini's %s takes dense tensors only: batch a SparseTensor's parts, or use "
                                  "tf.data's Dataset.batch" % what)
    tensor_list = [convert_to_tensor(t) for t in tensor_list]
    if not tensor_list:
        raise ValueError("Expected at least one tensor in %s." % what)
    return tensor_list


def _validate_keep_input(keep_input):
    keep_input = convert_to_tensor(keep_input)
    if keep_input.shape.ndims != 0:
        raise NotImplementedError("tfmini's batch takes keep_input=True only (a scalar)")
    return keep_input


def _dtypes(tensor_list_list):
    all_types = [[t.dtype for t in tl] for tl in tensor_list_list]
    types = all_types[0]
    for other in all_types[1:]:
        if other != types:
            raise TypeError("Expected types to be consistent: %s vs. %s." % (", ".join(x.name for x in types),
                                                                             ", ".join(x.name for x in other)))
    return types


def _shapes(tensor_list_list, shapes, enqueue_many):
    if shapes is not None:
        return shapes
    len0 = len(tensor_list_list[0])
    for tl in tensor_list_list:
        for i in range(len0):
            if tl[i].shape.ndims is None:
                raise ValueError("Cannot infer Tensor's rank: %s" % tl[i])
    out = []
    for i in range(len0):
        s = as_shape(tensor_list_list[0][i].shape)
        if enqueue_many:
            s = s.with_rank_at_least(1)[1:]
        out.append(s.as_list())  # (TF merges the other lists' shapes into a copy it drops: the first one counts)
    return out


def _enqueue(queue, tensor_lists, enqueue_many, threads):
    """One enqueue op per list (batch_join), or one op that `threads` threads run (batch), as TF."""
    fn = queue.enqueue_many if enqueue_many else queue.enqueue
    ops = [fn(tl) for tl in tensor_lists] if len(tensor_lists) > 1 else [fn(tensor_lists[0])] * threads
    add_queue_runner(QueueRunner(queue, ops))


def _dequeue(queue, batch_size, allow_smaller_final_batch, name):
    if allow_smaller_final_batch:
        return queue.dequeue_up_to(batch_size, name=name)
    return queue.dequeue_many(batch_size, name=name)


def _batch(tensors_list, batch_size, capacity, enqueue_many, shapes, dynamic_pad, allow_smaller_final_batch,
           shared_name, name, default_name, num_threads=1, shuffle=None):
    """The batch queue of `tensors_list` (one list or dict of tensors per enqueue op): batch, batch_join,
    shuffle_batch and shuffle_batch_join. `shuffle` = (min_after_dequeue, seed) for a RandomShuffleQueue."""
    lists = _as_tensor_list_list(tensors_list)
    flat = [t for tl in lists for t in tl]
    with name_scope(name, default_name, flat) as name:
        if shuffle is not None and capacity <= shuffle[0]:
            raise ValueError("capacity %d must be bigger than min_after_dequeue %d." % (capacity, shuffle[0]))
        lists = [_validate(tl, "batch_join()" if default_name.endswith("join") else "batch()") for tl in lists]
        _validate_keep_input(True)
        types = _dtypes(lists)
        shapes = _shapes(lists, shapes, enqueue_many)
        if shuffle is not None:
            queue = data_flow_ops.RandomShuffleQueue(capacity=capacity, min_after_dequeue=shuffle[0], seed=shuffle[1],
                                                     dtypes=types, shapes=shapes, shared_name=shared_name)
        elif dynamic_pad:
            queue = data_flow_ops.PaddingFIFOQueue(capacity=capacity, dtypes=types, shapes=shapes,
                                                   shared_name=shared_name)
        else:
            queue = data_flow_ops.FIFOQueue(capacity=capacity, dtypes=types, shapes=shapes, shared_name=shared_name)
        _enqueue(queue, lists, enqueue_many, num_threads)
        if shuffle is None:
            _summary_scalar("fraction_of_%d_full" % capacity,
                            math_ops.cast(queue.size(), dtypes.float32) * (1. / capacity))
        else:
            min_after = shuffle[0]
            full = math_ops.cast(math_ops.maximum(0, queue.size() - min_after), dtypes.float32) * (
                1. / (capacity - min_after))
            _summary_scalar("fraction_over_%d_of_%d_full" % (min_after, capacity - min_after), full)
        dequeued = _dequeue(queue, batch_size, allow_smaller_final_batch, name)  # one tensor for one component
        return _as_original_type(tensors_list[0], dequeued)


def batch(tensors, batch_size, num_threads=1, capacity=32, enqueue_many=False, shapes=None, dynamic_pad=False,
          allow_smaller_final_batch=False, shared_name=None, name=None):
    """Batches of `batch_size` of `tensors` (a list or dict of tensors of one element each; with `enqueue_many`,
    of rows), through a FIFOQueue of `capacity` that a QueueRunner of `num_threads` threads fills. Each result has
    shape [batch_size] + the tensor's shape ([?] + ... with allow_smaller_final_batch, whose last batch may be
    short).

    >>> bx, by = tf.train.batch([x, y], batch_size=10)   # bx: [10] + x.shape
    """
    return _batch([tensors], batch_size, capacity, enqueue_many, shapes, dynamic_pad, allow_smaller_final_batch,
                  shared_name, name, "batch", num_threads=num_threads)


def batch_join(tensors_list, batch_size, capacity=32, enqueue_many=False, shapes=None, dynamic_pad=False,
               allow_smaller_final_batch=False, shared_name=None, name=None):
    """As batch, from several lists of tensors (one enqueue thread each), mixed in one queue."""
    return _batch(tensors_list, batch_size, capacity, enqueue_many, shapes, dynamic_pad, allow_smaller_final_batch,
                  shared_name, name, "batch_join")


def shuffle_batch(tensors, batch_size, capacity, min_after_dequeue, num_threads=1, seed=None, enqueue_many=False,
                  shapes=None, allow_smaller_final_batch=False, shared_name=None, name=None):
    """As batch, through a RandomShuffleQueue: each batch is drawn at random from the elements in the queue, which
    keeps at least `min_after_dequeue` of them (capacity must be larger)."""
    return _batch([tensors], batch_size, capacity, enqueue_many, shapes, False, allow_smaller_final_batch,
                  shared_name, name, "shuffle_batch", num_threads=num_threads, shuffle=(min_after_dequeue, seed))


def shuffle_batch_join(tensors_list, batch_size, capacity, min_after_dequeue, seed=None, enqueue_many=False,
                       shapes=None, allow_smaller_final_batch=False, shared_name=None, name=None):
    """As shuffle_batch, from several lists of tensors (one enqueue thread each)."""
    return _batch(tensors_list, batch_size, capacity, enqueue_many, shapes, False, allow_smaller_final_batch,
                  shared_name, name, "shuffle_batch_join", shuffle=(min_after_dequeue, seed))
