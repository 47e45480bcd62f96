"""tf.nest: nested structures of tensors (lists, tuples, namedtuples, dicts), as TF 1.x's tf.nest (re-exports)."""
from .framework.nest import assert_same_structure, flatten, map_structure, pack_sequence_as  # noqa: F401
from .framework.nest import is_sequence as is_nested  # noqa: F401

__all__ = ["assert_same_structure", "flatten", "is_nested", "map_structure", "pack_sequence_as"]
