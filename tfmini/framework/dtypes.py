"""DType: TensorFlow's element types, their numpy mapping, and `tf.as_dtype`."""
import numpy as np

__all__ = [
    "DType", "as_dtype", "float16", "half", "float32", "float64", "double", "int8", "int16",
    "int32", "int64", "uint8", "uint16", "uint32", "uint64", "bool", "string", "complex64", "complex128", "resource",
    "variant", "type_string",
]

_builtin_bool = bool


class DType:
    """An element type of a Tensor (`tf.float32`, ...), possibly a reference type (`float32_ref`).

    DTypes are interned: there is exactly one object per type, so `is` and `==` agree.
    """

    __slots__ = ("_name", "_np", "_is_ref", "_enum")

    def __init__(self, name, np_type, enum, is_ref=False):
        self._name = name
        self._np = np_type
        self._enum = enum
        self._is_ref = is_ref

    # ---- identity
    @property
    def name(self):
        return self._name + ("_ref" if self._is_ref else "")

    @property
    def as_datatype_enum(self):
        return self._enum + (100 if self._is_ref else 0)

    @property
    def base_dtype(self):
        return _BASE[self._name] if self._is_ref else self

    @property
    def real_dtype(self):
        b = self.base_dtype
        return {"complex64": float32, "complex128": float64}.get(b._name, b)

    @property
    def _as_ref(self):
        return self if self._is_ref else _REF[self._name]

    @property
    def is_ref_dtype(self):
        return self._is_ref

    @property
    def as_numpy_dtype(self):
        return self._np

    # ---- classification
    @property
    def is_floating(self):
        return self._name in ("float16", "float32", "float64")

    @property
    def is_integer(self):
        return self._name in ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")

    @property
    def is_unsigned(self):
        return self._name in ("uint8", "uint16", "uint32", "uint64")

    @property
    def is_bool(self):
        return self._name == "bool"

    @property
    def is_complex(self):
        return self._name in ("complex64", "complex128")

    @property
    def is_numpy_compatible(self):
        return True

    @property
    def min(self):
        """The smallest value of a numeric type; TypeError for bool, string and complex (as in TF)."""
        if self.is_floating:
            return np.finfo(self._np).min
        if self.is_integer:
            return np.iinfo(self._np).min
        raise TypeError("Cannot find minimum value of %s." % self)

    @property
    def max(self):
        """The largest value of a numeric type; TypeError for bool, string and complex (as in TF)."""
        if self.is_floating:
            return np.finfo(self._np).max
        if self.is_integer:
            return np.iinfo(self._np).max
        raise TypeError("Cannot find maximum value of %s." % self)

    @property
    def size(self):
        return np.dtype(self._np).itemsize

    def is_compatible_with(self, other):
        other = as_dtype(other)
        return self._name == other._name and (other._is_ref or not self._is_ref)

    # ---- python protocol
    def __eq__(self, other):
        if other is None:
            return False
        if not isinstance(other, DType):
            try:
                other = as_dtype(other)
            except TypeError:
                return False
        return self is other

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(self.name)

    def __repr__(self):
        return "tf." + self.name

    def __str__(self):
        return "<dtype: %r>" % self.name

    def __reduce__(self):
        return as_dtype, (self.name,)


# name, numpy type, TF DataType enum value
_TABLE = [
    ("float32", np.float32, 1), ("float64", np.float64, 2), ("int32", np.int32, 3),
    ("uint8", np.uint8, 4), ("int16", np.int16, 5), ("int8", np.int8, 6),
    ("string", np.object_, 7), ("complex64", np.complex64, 8), ("int64", np.int64, 9),
    ("bool", np.bool_, 10), ("uint16", np.uint16, 17), ("complex128", np.complex128, 18),
    ("float16", np.float16, 19), ("uint32", np.uint32, 22), ("uint64", np.uint64, 23),
]
_BASE = {n: DType(n, t, e) for n, t, e in _TABLE}
_REF = {n: DType(n, t, e, is_ref=True) for n, t, e in _TABLE}

float16 = half = _BASE["float16"]
float32 = _BASE["float32"]
float64 = double = _BASE["float64"]
int8 = _BASE["int8"]
int16 = _BASE["int16"]
int32 = _BASE["int32"]
int64 = _BASE["int64"]
uint8 = _BASE["uint8"]
uint16 = _BASE["uint16"]
uint32 = _BASE["uint32"]
uint64 = _BASE["uint64"]
bool = _BASE["bool"]  # noqa: A001 - TF's public name
string = _BASE["string"]
complex64 = _BASE["complex64"]
complex128 = _BASE["complex128"]

# a handle to a resource that ops share in a run (a stack, the accumulator of a tf.while_loop's gradient)
resource = DType("resource", np.object_, 20)
# a value of any kind held as one scalar: a tf.data dataset (TF's DT_VARIANT)
variant = DType("variant", np.object_, 21)

_BY_NAME = dict(_BASE)
_BY_NAME["resource"] = resource
_BY_NAME["variant"] = variant
_BY_NAME.update({d.name: d for d in _REF.values()})
# TF's module-level reference types (tf.float32._as_ref is float32_ref)
for _n, _d in _REF.items():
    globals()[_n + "_ref"] = _d
half_ref, double_ref = _REF["float16"], _REF["float64"]

_BY_NAME.update({"half": float16, "double": float64, "float": float32,
                 "half_ref": half_ref, "double_ref": double_ref, "float_ref": _REF["float32"]})
_BY_ENUM = {d.as_datatype_enum: d for d in list(_BASE.values()) + list(_REF.values()) + [resource, variant]}
_BY_NP = {np.dtype(t): _BASE[n] for n, t, _ in _TABLE if t is not np.object_}
# TF's _PYTHON_TO_TF: other Python types (int, str) are no dtype (`tf.cast(x, int)` is a TypeError, as in TF)
_BY_PY = {float: float32, _builtin_bool: bool, object: string}


# the three types whose C++ names differ from their Python ones
_TYPE_STRINGS = {"float32": "float", "float64": "double", "float16": "half"}


def type_string(dtype):
    """TF's DataTypeString: a dtype as TF's run-time messages print it ("float" for float32, "double", "half";
    "float_ref" for a variable's float32 reference; other types by their name).

    >>> type_string(tf.float32), type_string(tf.int64)
    ('float', 'int64')
    """
    dtype = as_dtype(dtype)
    base = dtype.base_dtype.name
    return _TYPE_STRINGS.get(base, base) + ("_ref" if dtype._is_ref else "")


def as_dtype(type_value):
    """Convert a DType, numpy dtype/type, Python type, enum or name to a `DType`.

    >>> as_dtype("float32") is tf.float32
    True
    """
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, str):
        d = _BY_NAME.get(type_value)
        if d is not None:
            return d
    elif isinstance(type_value, int) and not isinstance(type_value, _builtin_bool):
        d = _BY_ENUM.get(type_value)
        if d is not None:
            return d
    elif isinstance(type_value, type) and type_value in _BY_PY:
        return _BY_PY[type_value]
    elif type_value is not None and (not isinstance(type_value, type) or issubclass(type_value, np.generic)):
        # not None (np.dtype(None) would be float64) nor another Python type (np.dtype(int) would be int64)
        try:
            # numpy dtypes and scalar types, and objects with a `.dtype` (arrays), as TF accepts
            has_dtype = hasattr(type_value, "dtype") and not isinstance(type_value, type)
            npd = np.dtype(type_value.dtype if has_dtype else type_value)
        except (TypeError, ValueError):
            npd = None
        if npd is not None:
            if npd.kind in "OSU":
                return string
            d = _BY_NP.get(npd)
            if d is not None:
                return d
    raise TypeError("Cannot convert value %r to a TensorFlow DType." % (type_value,))
