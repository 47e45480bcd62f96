"""tf.DType and tf.as_dtype: TF 1.x's element types, their numpy mapping, reference types."""
import json
import pickle

import numpy as np
import pytest

import tfmini as tf
from conftest import REPO, load_generator
from tfmini.framework import dtypes

# tf.uint32 and tf.uint64 as TensorFlow gives them, and tensors of them (tests/data/gen/uint_dtypes.py wrote it)
UINT = json.loads((REPO / "tests" / "data" / "tf_uint_dtypes.json").read_text())
UINT_GEN = load_generator("uint_dtypes")

# (tf name, dtype, numpy type, TF DataType enum)
TABLE = [
    ("float16", tf.float16, np.float16, 19),
    ("float32", tf.float32, np.float32, 1),
    ("float64", tf.float64, np.float64, 2),
    ("int8", tf.int8, np.int8, 6),
    ("int16", tf.int16, np.int16, 5),
    ("int32", tf.int32, np.int32, 3),
    ("int64", tf.int64, np.int64, 9),
    ("uint8", tf.uint8, np.uint8, 4),
    ("uint32", tf.uint32, np.uint32, UINT["dtypes"]["uint32"]["enum"]),
    ("uint64", tf.uint64, np.uint64, UINT["dtypes"]["uint64"]["enum"]),
    ("bool", tf.bool, np.bool_, 10),
]
IDS = [row[0] for row in TABLE]


# =========================================================================== numpy mapping
@pytest.mark.parametrize("name,dt,npt,enum", TABLE, ids=IDS)
def test_numpy_mapping_both_ways(name, dt, npt, enum):
    assert dt.name == name
    assert dt.as_numpy_dtype is npt
    assert tf.as_dtype(npt) is dt
    assert tf.as_dtype(np.dtype(npt)) is dt
    assert tf.as_dtype(np.zeros(2, npt)) is dt  # anything with a .dtype, as TF accepts


@pytest.mark.parametrize("name,dt,npt,enum", TABLE, ids=IDS)
def test_as_dtype_from_name_and_enum(name, dt, npt, enum):
    assert tf.as_dtype(name) is dt
    assert tf.as_dtype(dt) is dt
    assert dt.as_datatype_enum == enum
    assert tf.as_dtype(enum) is dt


def test_aliases_and_python_types():
    assert tf.half is tf.float16 and tf.double is tf.float64
    assert tf.as_dtype("half") is tf.float16
    assert tf.as_dtype("float") is tf.float32
    assert tf.as_dtype("double") is tf.float64
    assert tf.as_dtype(float) is tf.float32
    assert tf.as_dtype(bool) is tf.bool
    assert tf.as_dtype(object) is tf.string


@pytest.mark.parametrize("py_type", [int, str, bytes, complex])
def test_other_python_types_are_no_dtype(py_type):
    """TF's _PYTHON_TO_TF knows float, bool and object only: `tf.cast(x, int)` fails where it is written."""
    message = r"^Cannot convert value <class '%s'> to a TensorFlow DType\.$" % py_type.__name__
    with pytest.raises(TypeError, match=message):
        tf.as_dtype(py_type)
    with pytest.raises(TypeError, match="to a TensorFlow DType"):
        tf.cast(tf.constant([1.5]), py_type)


def test_string_dtype():
    assert tf.string.name == "string"
    assert tf.as_dtype("string") is tf.string
    assert tf.as_dtype(np.object_) is tf.string
    assert tf.as_dtype(np.array([b"ab"]).dtype) is tf.string
    assert tf.as_dtype(np.array(["ab"]).dtype) is tf.string
    assert tf.string.as_datatype_enum == 7
    assert not tf.string.is_floating and not tf.string.is_integer


@pytest.mark.parametrize("bad", ["float33", "", None, [1], 1.5, 1000, np.datetime64],
                         ids=["name", "empty", "none", "list", "float", "enum", "datetime64"])
def test_as_dtype_rejects(bad):
    with pytest.raises(TypeError, match=r"Cannot convert value .* to a TensorFlow DType\."):
        tf.as_dtype(bad)


# =========================================================================== reference dtypes
def test_ref_dtypes():
    ref = tf.float32._as_ref
    assert ref is dtypes.float32_ref and ref is tf.as_dtype("float32_ref")
    assert ref.name == "float32_ref" and repr(ref) == "tf.float32_ref"
    assert str(ref) == "<dtype: 'float32_ref'>"
    assert ref.is_ref_dtype and not tf.float32.is_ref_dtype
    assert ref.base_dtype is tf.float32 and tf.float32.base_dtype is tf.float32
    assert ref._as_ref is ref
    assert ref.as_datatype_enum == 101 and tf.as_dtype(101) is ref
    assert ref.as_numpy_dtype is np.float32
    assert ref != tf.float32
    assert tf.as_dtype("float_ref") is ref
    assert tf.as_dtype("double_ref") is dtypes.float64_ref is dtypes.double_ref
    assert tf.as_dtype("half_ref") is dtypes.float16_ref
    assert dtypes.int32_ref.base_dtype is tf.int32


def test_is_compatible_with_both_directions():
    ref = tf.float32._as_ref
    # a float32_ref tensor may be used where float32 is expected, not the other way round
    assert tf.float32.is_compatible_with(ref)
    assert not ref.is_compatible_with(tf.float32)
    assert ref.is_compatible_with(ref)
    assert tf.float32.is_compatible_with(tf.float32)
    assert tf.float32.is_compatible_with("float32")
    assert tf.float32.is_compatible_with(np.float32)
    assert not tf.float32.is_compatible_with(tf.float64)
    assert not tf.float32.is_compatible_with(tf.int32._as_ref)


# =========================================================================== classification and limits
@pytest.mark.parametrize("name,dt,npt,enum", TABLE, ids=IDS)
def test_is_floating_is_integer(name, dt, npt, enum):
    assert dt.is_floating == name.startswith("float")
    assert dt.is_integer == ("int" in name)
    assert dt.is_unsigned == name.startswith("uint")
    assert dt.is_bool == (name == "bool")
    assert dt._as_ref.is_floating == dt.is_floating  # refs classify like their base


@pytest.mark.parametrize("name,dt,npt,enum", [r for r in TABLE if r[0] != "bool"], ids=IDS[:-1])
def test_min_max(name, dt, npt, enum):
    info = np.finfo(npt) if dt.is_floating else np.iinfo(npt)
    assert dt.min == info.min and dt.max == info.max
    assert dt.size == np.dtype(npt).itemsize


def test_min_max_exact_values():
    assert tf.int8.min == -128 and tf.int8.max == 127
    assert tf.uint8.min == 0 and tf.uint8.max == 255
    assert tf.int32.min == -2 ** 31 and tf.int64.max == 2 ** 63 - 1
    assert tf.float32.max == np.finfo(np.float32).max


@pytest.mark.parametrize("dt", [tf.bool, tf.string, tf.complex64], ids=["bool", "string", "complex64"])
def test_min_max_undefined(dt):
    with pytest.raises(TypeError, match=r"Cannot find minimum value of <dtype: '%s'>\." % dt.name):
        dt.min
    with pytest.raises(TypeError, match=r"Cannot find maximum value of <dtype: '%s'>\." % dt.name):
        dt.max


# =========================================================================== identity and printing
def test_repr_and_str():
    assert repr(tf.float32) == "tf.float32"
    assert str(tf.float32) == "<dtype: 'float32'>"
    assert repr(tf.int64) == "tf.int64"
    assert str(tf.bool) == "<dtype: 'bool'>"
    assert "%s" % tf.uint8 == "<dtype: 'uint8'>"


def test_equality_and_hash():
    assert tf.float32 == tf.float32
    assert tf.float32 == "float32" and tf.float32 == np.float32 and tf.float32 == np.dtype("float32")
    assert tf.float32 != tf.float64
    assert tf.float32 != "not a type"
    assert not (tf.float32 == None)  # noqa: E711 - TF's __eq__ special-cases None
    assert tf.float32 != None  # noqa: E711
    assert len({tf.float32, tf.as_dtype("float32"), tf.as_dtype(np.float32)}) == 1
    assert {tf.float32: 1}[tf.as_dtype(1)] == 1


def test_interned_and_picklable():
    assert tf.as_dtype("int16") is tf.int16
    assert pickle.loads(pickle.dumps(tf.float32)) is tf.float32
    assert pickle.loads(pickle.dumps(tf.float32._as_ref)) is tf.float32._as_ref


def test_tensor_dtypes_follow_values():
    assert tf.constant(1.0).dtype is tf.float32
    assert tf.constant(1).dtype is tf.int32
    assert tf.constant(True).dtype is tf.bool
    assert tf.constant(np.float64(1.0)).dtype is tf.float64
    assert tf.constant(np.zeros(2, np.uint8)).dtype is tf.uint8
    assert tf.constant(1, dtype=tf.int8).dtype is tf.int8
    assert tf.constant(b"abc").dtype is tf.string
    assert tf.Variable(1.0).dtype is tf.float32._as_ref


@pytest.mark.parametrize("dtype, text", [(tf.float32, "float"), (tf.float64, "double"), (tf.float16, "half"),
                                         (tf.int64, "int64"), (tf.bool, "bool"), (tf.string, "string"),
                                         (tf.float32._as_ref, "float_ref"), (tf.int32._as_ref, "int32_ref"),
                                         ("float64", "double")])
def test_type_string_is_tensorflows_data_type_string(dtype, text):
    """The names TF's run-time messages use (DataTypeString), in one place for every message that prints one."""
    from tfmini.framework.dtypes import type_string
    assert type_string(dtype) == text


# =========================================================================== uint32 and uint64, against TensorFlow
@pytest.mark.parametrize("name", sorted(UINT["dtypes"]))
def test_uint32_uint64_as_tensorflow_gives_them(name):
    want = UINT["dtypes"][name]
    d = getattr(tf, name)
    ref = d._as_ref
    assert ref is getattr(dtypes, name + "_ref")
    got = {"enum": d.as_datatype_enum, "ref_name": ref.name, "ref_enum": ref.as_datatype_enum, "min": int(d.min),
           "max": int(d.max), "is_unsigned": d.is_unsigned, "is_integer": d.is_integer, "is_floating": d.is_floating,
           "is_complex": d.is_complex, "is_bool": d.is_bool, "size": d.size, "numpy": np.dtype(d.as_numpy_dtype).name,
           "str": str(d), "repr": repr(d), "from_numpy": tf.as_dtype(np.dtype(name)).name,
           "from_enum": tf.as_dtype(d.as_datatype_enum).name,
           "from_ref_enum": tf.as_dtype(d.as_datatype_enum + 100).name,
           "from_ref_name": tf.as_dtype(name + "_ref").name, "real_dtype": d.real_dtype.name}
    assert got == want
    assert type(d.max) is type(np.iinfo(d.as_numpy_dtype).max)  # exact: 2 ** 64 - 1 is no float


@pytest.mark.parametrize("case", UINT["values"], ids=[c["id"] for c in UINT["values"]])
def test_uint32_uint64_tensors_match_tensorflow(case):
    """Constants, casts, fills, the ops whose type lists hold uint32/uint64, tf.Print and summaries: the dtype, the
    op type and the value TensorFlow gives."""
    tf.reset_default_graph()
    got = UINT_GEN.run_case(tf, np, case["source"])
    want = {k: v for k, v in case.items() if k not in ("id", "source")}
    assert got == want


def _allowed(message):
    head, _, names = message.partition("not in list of allowed values: ")
    return head, set(names.split(", ")) if names else set()


@pytest.mark.parametrize("case", UINT["refused"], ids=[c["id"] for c in UINT["refused"]])
def test_ops_whose_type_lists_leave_out_uint32_uint64_refuse_them(case):
    """TF's error class and words; the list of allowed types is TF's, less the types tfmini lacks (bfloat16, qint8)."""
    tf.reset_default_graph()
    got = UINT_GEN.run_case(tf, np, case["source"])
    assert got["error"] == case["error"]
    head, names = _allowed(got["message"])
    want_head, want_names = _allowed(case["message"])
    assert head == want_head
    assert names == {n for n in want_names if isinstance(getattr(tf, n, None), tf.DType)}
