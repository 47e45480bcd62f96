"""tf.compat: TensorFlow's compatibility helpers (as_bytes, as_text, ...) and `tf.compat.v1`, which is tfmini
itself, so that code written for TensorFlow 2's `import tensorflow.compat.v1 as tf` runs with
`import tfmini.compat.v1 as tf` (or `tf.compat.v1.placeholder` after `import tfmini as tf`)."""
import numbers as _numbers

import numpy as _np

from ..framework.api_hook import tf_module_getattr as _tf_module_getattr
from ..framework.tensor_shape import dimension_at_index, dimension_value  # noqa: F401
from . import v1  # noqa: F401 - the namespace tf.compat.v1

__all__ = ["as_bytes", "as_text", "as_str", "as_str_any", "path_to_str", "forward_compatible", "v1",
           "dimension_value", "dimension_at_index",
           "bytes_or_text_types", "integral_types", "real_types", "complex_types"]

bytes_or_text_types = (bytes, str)
integral_types = (_numbers.Integral, _np.integer)
real_types = (_numbers.Real, _np.integer, _np.floating)
complex_types = (_numbers.Complex, _np.number)

# forward_compatible(y, m, d) is True for dates before TF 1.15's release (October 2019), the graphs tfmini writes
_HORIZON = (2019, 10, 17)


def as_bytes(bytes_or_text, encoding="utf-8"):
    """`bytes_or_text` as bytes (str encoded with `encoding`); anything else is TF's TypeError."""
    if isinstance(bytes_or_text, bytearray):
        return bytes(bytes_or_text)
    if isinstance(bytes_or_text, str):
        return bytes_or_text.encode(encoding)
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text
    raise TypeError("Expected binary or unicode string, got %r" % (bytes_or_text,))


def as_text(bytes_or_text, encoding="utf-8"):
    """`bytes_or_text` as str (bytes decoded with `encoding`); anything else is TF's TypeError."""
    if isinstance(bytes_or_text, str):
        return bytes_or_text
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text.decode(encoding)
    raise TypeError("Expected binary or unicode string, got %r" % bytes_or_text)


as_str = as_text


def as_str_any(value):
    """str(value), with bytes decoded as text."""
    return as_str(value) if isinstance(value, bytes) else str(value)


def path_to_str(path):
    """A path-like object (pathlib.Path) as str; any other value unchanged."""
    import os
    return os.fspath(path) if hasattr(path, "__fspath__") else path


def forward_compatible(year, month, day):
    """Whether the graphs tfmini writes may use behaviour TensorFlow added after year-month-day: True only for
    dates before TF 1.15's horizon, the version whose graphs tfmini writes."""
    return (year, month, day) < _HORIZON


__getattr__ = _tf_module_getattr("compat", __name__)
