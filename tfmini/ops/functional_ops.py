"""tf.map_fn, tf.scan, tf.foldl and tf.foldr as TF 1.x builds them: a tf.while_loop over the first axis of `elems`,
reading the elements from TensorArrays and writing the results into others. Their gradients are the loop's."""
from ..framework import nest
from ..framework.ops import convert_to_tensor, name_scope
from ..framework.tensor_shape import TensorShape
from . import array_ops
from .constant_op import constant
from .control_flow_ops import while_loop
from .tensor_array_ops import TensorArray

__all__ = ["map_fn", "scan", "foldl", "foldr"]


def _check_callable(fn):
    if not callable(fn):
        raise TypeError("fn must be callable.")


def _leading_size(elems_flat):
    """The number of elements: the first axis of the first of `elems_flat`, static when known."""
    shape = elems_flat[0].shape
    if shape.ndims is not None and shape.ndims < 1:
        if len(elems_flat) == 1:
            raise ValueError("elems must be a 1+ dimensional Tensor, not a scalar")
        raise ValueError("elements in elems must be 1+ dimensional Tensors, not scalars")
    n = shape.as_tuple()[0] if shape.ndims is not None else None
    return n if n is not None else array_ops.shape(elems_flat[0])[0]


def _set_leading(results_flat, elems_flat):
    """Give the stacked results the static number of elements of `elems` (TF's n_static)."""
    n_static = None
    for elem in elems_flat:
        dims = elem.shape.as_tuple()
        d = dims[0] if dims else None
        if d is not None and n_static is not None and d != n_static:
            raise ValueError("Dimensions %d and %d are not compatible" % (n_static, d))
        n_static = d if d is not None else n_static
    for r in results_flat:
        rest = r.shape.as_tuple()
        r.set_shape(TensorShape([n_static] + list(rest[1:])) if rest is not None else TensorShape(None))


def _packers(structure):
    is_seq = nest.is_sequence(structure)

    def flatten(x):
        return nest.flatten(x) if is_seq else [x]

    def pack(x):
        return nest.pack_sequence_as(structure, x) if is_seq else x[0]
    return flatten, pack


def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True, swap_memory=False, infer_shape=True,
           name=None):
    """`fn` applied to each element of `elems` (its slices along the first axis), the results stacked: a
    tf.while_loop over TensorArrays. `elems` may be a nested structure of tensors with the same first dimension;
    `dtype` gives the structure and dtypes of fn's result when they differ from `elems`'.

    >>> squares = tf.map_fn(lambda x: x * x, tf.constant([1, 2, 3]))   # [1, 4, 9]
    """
    _check_callable(fn)
    if not parallel_iterations:
        parallel_iterations = 10
    input_flatten, input_pack = _packers(elems)
    if dtype is None:
        output_flatten, output_pack = input_flatten, input_pack
    else:
        output_flatten, output_pack = _packers(dtype)
    elems_flat = input_flatten(elems)
    structure_of = "dtype" if dtype is not None else "elems"
    with name_scope(name, "map", elems_flat):
        elems_flat = [convert_to_tensor(elem, name="elem") for elem in elems_flat]
        dtype = dtype or input_pack([elem.dtype for elem in elems_flat])
        dtype_flat = output_flatten(dtype)
        n = _leading_size(elems_flat)
        elems_ta = [TensorArray(dtype=elem.dtype, size=n, dynamic_size=False, infer_shape=True)
                    for elem in elems_flat]
        elems_ta = [ta.unstack(elem) for ta, elem in zip(elems_ta, elems_flat)]
        i = constant(0)
        accs_ta = [TensorArray(dtype=dt, size=n, dynamic_size=False, infer_shape=infer_shape) for dt in dtype_flat]

        def compute(i, tas):
            packed_values = input_pack([ta.read(i) for ta in elems_ta])
            packed_fn_values = fn(packed_values)
            try:
                nest.assert_same_structure(dtype or elems, packed_fn_values)
            except (TypeError, ValueError) as e:
                raise ValueError("fn's result must have the structure of %s: %s" % (structure_of, e)) from None
            flat_fn_values = output_flatten(packed_fn_values)
            return (i + 1, [ta.write(i, value) for ta, value in zip(tas, flat_fn_values)])
        _, r_a = while_loop(lambda i, _: i < n, compute, (i, accs_ta), parallel_iterations=parallel_iterations,
                            back_prop=back_prop, swap_memory=swap_memory, maximum_iterations=n)
        results_flat = [r.stack() for r in r_a]
        _set_leading(results_flat, elems_flat)
        return output_pack(results_flat)


def scan(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False, infer_shape=True,
         reverse=False, name=None):
    """The running results of `fn(accumulated, element)` over the elements of `elems` (first axis), stacked; the
    first element starts the accumulation unless `initializer` does. `reverse=True` goes from the last.

    >>> tf.scan(lambda a, x: a + x, tf.constant([1, 2, 3, 4]))   # [1, 3, 6, 10]
    """
    _check_callable(fn)
    input_flatten, input_pack = _packers(elems)
    if initializer is None:
        output_flatten, output_pack = input_flatten, input_pack
    else:
        output_flatten, output_pack = _packers(initializer)
    elems_flat = input_flatten(elems)
    with name_scope(name, "scan", elems_flat):
        elems_flat = [convert_to_tensor(elem, name="elem") for elem in elems_flat]
        n = _leading_size(elems_flat)
        elems_ta = [TensorArray(dtype=elem.dtype, size=n, dynamic_size=False,
                                element_shape=TensorShape(elem.shape.as_tuple()[1:]) if elem.shape.ndims else None,
                                infer_shape=True) for elem in elems_flat]
        elems_ta = [ta.unstack(elem) for ta, elem in zip(elems_ta, elems_flat)]
        if initializer is None:
            a_flat = [ta.read(n - 1 if reverse else 0) for ta in elems_ta]
            i = 1
        else:
            a_flat = [convert_to_tensor(init) for init in output_flatten(initializer)]
            i = 0
        accs_ta = [TensorArray(dtype=a.dtype, size=n, element_shape=a.shape if infer_shape else None,
                               dynamic_size=False, infer_shape=infer_shape) for a in a_flat]
        if initializer is None:
            accs_ta = [ta.write(n - 1 if reverse else 0, a) for ta, a in zip(accs_ta, a_flat)]

        def compute(i, a_flat, tas):
            packed_elems = input_pack([ta.read(i) for ta in elems_ta])
            a_out = fn(output_pack(a_flat), packed_elems)
            try:
                nest.assert_same_structure(elems if initializer is None else initializer, a_out)
            except (TypeError, ValueError) as e:
                raise ValueError("fn's result must have the structure of %s: %s"
                                 % ("elems" if initializer is None else "initializer", e)) from None
            flat_a_out = output_flatten(a_out)
            tas = [ta.write(i, value) for ta, value in zip(tas, flat_a_out)]
            return (i - 1 if reverse else i + 1, flat_a_out, tas)
        if reverse:
            initial_i = n - 1 - i

            def condition(i, _1, _2):
                return i >= 0
        else:
            initial_i = i

            def condition(i, _1, _2):
                return i < n
        _, _, r_a = while_loop(condition, compute, (initial_i, a_flat, accs_ta),
                               parallel_iterations=parallel_iterations, back_prop=back_prop, swap_memory=swap_memory,
                               maximum_iterations=n)
        results_flat = [r.stack() for r in r_a]
        _set_leading(results_flat, elems_flat)
        return output_pack(results_flat)


def _fold(fn, elems, initializer, parallel_iterations, back_prop, swap_memory, name, default_name, reverse):
    _check_callable(fn)
    with name_scope(name, default_name, [elems]):
        elems_flat = [convert_to_tensor(elem, name="elem") for elem in nest.flatten(elems)]
        n = _leading_size(elems_flat)

        def create_ta(elem):
            elem = convert_to_tensor(elem, name="elem")
            return TensorArray(dtype=elem.dtype, size=n, dynamic_size=False, infer_shape=True).unstack(elem)
        elems_ta = nest.map_structure(create_ta, elems)
        if initializer is None:
            if reverse:
                i = n - 1
                a = nest.map_structure(lambda elem: elem.read(i), elems_ta)
            else:
                a = nest.map_structure(lambda elem: elem.read(0), elems_ta)
                i = constant(1)
        else:
            a = initializer
            i = n if reverse else constant(0)
        if reverse:
            def compute(i, a):
                i -= 1
                elem = nest.map_structure(lambda e: e.read(i), elems_ta)
                return [i, fn(a, elem)]
            _, r_a = while_loop(lambda i, a: i > 0, compute, [i, a], parallel_iterations=parallel_iterations,
                                back_prop=back_prop, swap_memory=swap_memory, maximum_iterations=n)
        else:
            def compute(i, a):
                elem = nest.map_structure(lambda e: e.read(i), elems_ta)
                a = fn(a, elem)
                return [i + 1, a]
            _, r_a = while_loop(lambda i, a: i < n, compute, [i, a], parallel_iterations=parallel_iterations,
                                back_prop=back_prop, swap_memory=swap_memory, maximum_iterations=n)
        return r_a


def foldl(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False, name=None):
    """`fn(accumulated, element)` over the elements of `elems` (first axis), left to right; the final value.

    >>> tf.foldl(lambda a, x: a + x, tf.constant([1, 2, 3]))   # 6
    """
    return _fold(fn, elems, initializer, parallel_iterations, back_prop, swap_memory, name, "foldl", False)


def foldr(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False, name=None):
    """`fn(accumulated, element)` over the elements of `elems` (first axis), right to left; the final value."""
    return _fold(fn, elems, initializer, parallel_iterations, back_prop, swap_memory, name, "foldr", True)
