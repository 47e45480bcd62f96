"""The element structures of tf.data: tuples (namedtuples too) and dicts nest; a list is one value (as in TF's
tf.data, where `from_tensor_slices([1, 2, 3])` has one component)."""

from ..framework import nest as _nest
from ..framework.nest import _children

__all__ = ["flatten", "pack", "map_structure", "flatten_up_to", "Structured", "spec"]


def _is_seq(x):
    return isinstance(x, (tuple, dict))


def flatten(s):
    """The values of `s`, depth first (dicts by sorted key)."""
    return _nest._flatten(s, _is_seq)


def pack(s, flat):
    """`flat` (as `flatten` lists them) in the structure of `s`."""
    return _nest._pack(s, flat, _is_seq)


def map_structure(fn, s, *more):
    return pack(s, [fn(*xs) for xs in zip(flatten(s), *map(flatten, more))])


def flatten_up_to(shallow, s):
    """`s` flattened as deep as `shallow` nests (a list in `s` is a value when `shallow` has a value there)."""
    if not _is_seq(shallow):
        return [s]
    # (TF's tf.data nest: its classes and wording)
    if not _is_seq(s):
        raise TypeError("If shallow structure is a sequence, input must also be a sequence. Input has type: '%s'."
                        % type(s).__name__)
    if not isinstance(s, type(shallow)):
        raise TypeError("The two structures don't have the same sequence type. Input structure has type '%s', while "
                        "shallow structure has type '%s'." % (type(s).__name__, type(shallow).__name__))
    if len(s) != len(shallow):
        raise ValueError("The two structures don't have the same sequence length. Input structure has length %d, "
                         "while shallow structure has length %d." % (len(s), len(shallow)))
    if isinstance(shallow, dict) and set(s) != set(shallow):
        raise ValueError("The two structures don't have the same keys. Input structure has keys %s, while shallow "
                         "structure has keys %s." % (list(s), list(shallow)))
    out = []
    for a, b in zip(_children(shallow), _children(s)):
        out.extend(flatten_up_to(a, b))
    return out


def spec(shape, dtype):
    """TF 2's TensorSpec text for one component."""
    return "TensorSpec(shape=%s, dtype=%r, name=None)" % (shape, dtype)


class _SpecStr(str):
    def __repr__(self):
        return str(self)


class Structured:
    """The element structure a Dataset and an Iterator share: `_types` and `_shapes` nest alike."""

    @property
    def output_types(self):
        return self._types

    @property
    def output_shapes(self):
        return self._shapes

    @property
    def output_classes(self):
        from ..framework.ops import Tensor
        return map_structure(lambda _: Tensor, self._types)

    @property
    def element_spec(self):
        return map_structure(lambda t, s: _SpecStr(spec(s, t)), self._types, self._shapes)
