"""The element structures of tf.data: tuples (namedtuples too) and dicts nest; a list is one value (as in TF's
tf.data, where `from_tensor_slices([1, 2, 3])` has one component)."""

__all__ = ["flatten", "pack", "map_structure", "flatten_up_to"]


def _is_seq(x):
    return isinstance(x, (tuple, dict))


def _children(x):
    return [x[k] for k in sorted(x)] if isinstance(x, dict) else list(x)


def flatten(s):
    """The values of `s`, depth first (dicts by sorted key)."""
    if not _is_seq(s):
        return [s]
    out = []
    for c in _children(s):
        out.extend(flatten(c))
    return out


def _rebuild(like, items):
    if isinstance(like, dict):
        by_key = dict(zip(sorted(like), items))
        return type(like)((k, by_key[k]) for k in like)
    if hasattr(like, "_fields"):
        return type(like)(*items)
    return tuple(items)


def pack(s, flat):
    """`flat` (as `flatten` lists them) in the structure of `s`."""
    flat = list(flat)
    pos = [0]

    def build(x):
        if not _is_seq(x):
            pos[0] += 1
            return flat[pos[0] - 1]
        return _rebuild(x, [build(c) for c in _children(x)])
    out = build(s)
    if pos[0] != len(flat):
        raise ValueError("Could not pack sequence. Structure had %d elements, but flat_sequence had %d elements."
                         % (pos[0], len(flat)))
    return out


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
