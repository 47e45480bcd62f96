"""Nested structures of values (lists, tuples, namedtuples, dicts), as TF's util/nest: flatten, pack, compare."""

import collections

__all__ = ["is_sequence", "flatten", "pack_sequence_as", "assert_same_structure", "map_structure"]


def is_sequence(x):
    """Whether `x` is a structure nest walks into: a list, tuple (namedtuples too) or dict; strings are values."""
    return isinstance(x, (list, tuple, dict))


def _children(x):
    if isinstance(x, dict):
        return [x[k] for k in sorted(x)]  # TF's order: by key
    return list(x)


def flatten(structure):
    """The values of `structure`, depth first; a single value gives a one-entry list.

    >>> flatten({"b": 2, "a": (1, [3])})
    [1, 3, 2]
    """
    return _flatten(structure, is_sequence)


def _flatten(structure, is_seq):
    """`flatten` where `is_seq` says what nests (tf.data's structures, data/structure.py, leave lists whole)."""
    if not is_seq(structure):
        return [structure]
    out = []
    for child in _children(structure):
        out.extend(_flatten(child, is_seq))
    return out


def _rebuild(like, items):
    if isinstance(like, dict):
        # values come in sorted-key order; the new dict keeps `like`'s own key order (and a defaultdict's factory)
        by_key = dict(zip(sorted(like), items))
        out = type(like)(like.default_factory) if isinstance(like, collections.defaultdict) else type(like)()
        for k in like:
            out[k] = by_key[k]
        return out
    if isinstance(like, tuple) and hasattr(like, "_fields"):  # a namedtuple
        return type(like)(*items)
    return type(like)(items)


def pack_sequence_as(structure, flat_sequence):
    """`flat_sequence` (as `flatten` lists them) put back into the shape of `structure`."""
    return _pack(structure, flat_sequence, is_sequence)


def _pack(structure, flat_sequence, is_seq):
    """`pack_sequence_as` where `is_seq` says what nests."""
    flat = list(flat_sequence)
    if not is_seq(structure):
        if len(flat) != 1:
            raise ValueError("Structure is a scalar but len(flat_sequence) == %d > 1" % len(flat))
        return flat[0]
    n = len(_flatten(structure, is_seq))
    if n != len(flat):
        raise ValueError("Could not pack sequence. Structure had %d elements, but flat_sequence had %d elements."
                         % (n, len(flat)))
    pos = [0]

    def build(s):
        if not is_seq(s):
            pos[0] += 1
            return flat[pos[0] - 1]
        return _rebuild(s, [build(c) for c in _children(s)])
    return build(structure)


def _describe(x):
    return "type=%s str=%s" % (type(x).__name__, x)


def assert_same_structure(nest1, nest2):
    """ValueError (TF's wording) unless the two structures nest the same way (the values may differ)."""
    def check(a, b):
        if is_sequence(a) != is_sequence(b):
            seq, other = (a, b) if is_sequence(a) else (b, a)
            raise ValueError("The two structures don't have the same nested structure.\n\nFirst structure: %s\n\n"
                             "Second structure: %s\n\nMore specifically: Substructure \"%s\" is a sequence, while "
                             "substructure \"%s\" is not" % (_describe(nest1), _describe(nest2), _describe(seq),
                                                            _describe(other)))
        if not is_sequence(a):
            return
        same_kind = (isinstance(a, list) and isinstance(b, list)) or (isinstance(a, dict) and isinstance(b, dict))
        if type(a) is not type(b) and not same_kind:  # any two mappings (dict, OrderedDict) match, as in TF
            raise TypeError("The two structures don't have the same sequence type. Input structure has type %s, "
                            "while shallow structure has type %s." % (type(a), type(b)))
        if isinstance(a, dict) and sorted(a) != sorted(b):
            raise ValueError("The two dictionaries don't have the same set of keys. First structure has keys %s, "
                             "while second structure has keys %s." % (sorted(a), sorted(b)))
        ca, cb = _children(a), _children(b)
        if len(ca) != len(cb):
            raise ValueError("The two structures don't have the same nested structure.\n\nFirst structure: %s\n\n"
                             "Second structure: %s\n\nMore specifically: the number of elements does not match: "
                             "%d vs. %d" % (_describe(nest1), _describe(nest2), len(ca), len(cb)))
        for x, y in zip(ca, cb):
            check(x, y)
    check(nest1, nest2)


def map_structure(func, structure, *more):
    """`func` applied to each value of `structure` (with the values at the same places of `more`, structures of the
    same shape), in a structure of that shape."""
    for other in more:
        assert_same_structure(structure, other)
    return pack_sequence_as(structure, [func(*xs) for xs in zip(flatten(structure), *map(flatten, more))])
