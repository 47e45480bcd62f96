"""tf.TensorShape and tf.Dimension: static shapes with unknown (`?`) dimensions and unknown rank."""
import pickle

import pytest

import tfmini as tf
from tfmini.framework.tensor_shape import as_dimension, as_shape, dimension_value, unknown_shape

TS, D = tf.TensorShape, tf.Dimension


# =========================================================================== Dimension
def test_dimension_value_and_printing():
    assert D(3).value == 3 and D(None).value is None
    assert str(D(3)) == "3" and str(D(None)) == "?"
    assert repr(D(3)) == "Dimension(3)" and repr(D(None)) == "Dimension(None)"
    assert int(D(4)) == 4 and list(range(D(2))) == [0, 1]  # __index__
    assert D(D(5)).value == 5
    assert as_dimension(7).value == 7 and as_dimension(D(7)).value == 7
    assert dimension_value(D(7)) == 7 and dimension_value(7) == 7 and dimension_value(D(None)) is None


def test_dimension_rejects_negative_and_non_integers():
    with pytest.raises(ValueError, match=r"Dimension -1 must be >= 0"):
        D(-1)
    with pytest.raises(TypeError, match=r"Dimension value must be integer or None"):
        D("3")
    with pytest.raises(TypeError, match=r"Dimension value must be integer or None"):
        D(2.5)


@pytest.mark.parametrize("expr,want", [
    (lambda: D(3) + D(4), 7), (lambda: D(3) + 4, 7), (lambda: 4 + D(3), 7),
    (lambda: D(3) + D(None), None), (lambda: D(None) + 1, None), (lambda: 1 + D(None), None),
    (lambda: D(5) - 2, 3), (lambda: 7 - D(5), 2), (lambda: D(None) - 2, None), (lambda: 2 - D(None), None),
    (lambda: D(3) * D(4), 12), (lambda: 3 * D(4), 12), (lambda: D(None) * 4, None), (lambda: 0 * D(None), None),
    (lambda: D(7) // 2, 3), (lambda: 7 // D(2), 3), (lambda: D(None) // 2, None), (lambda: 7 // D(None), None),
    (lambda: D(7) % 3, 1), (lambda: 7 % D(3), 1), (lambda: D(7) % D(None), None), (lambda: 7 % D(None), None),
], ids=lambda x: "" if callable(x) else str(x))
def test_dimension_arithmetic(expr, want):
    got = expr()
    assert isinstance(got, D)
    assert got.value == want


def test_dimension_subtraction_below_zero():
    with pytest.raises(ValueError, match=r"Dimension -2 must be >= 0"):
        D(3) - 5


def test_dimension_true_division_is_not_defined():
    with pytest.raises(TypeError):
        D(4) / 2


def test_dimension_comparisons_with_unknown_are_none():
    assert (D(3) == D(3)) is True and (D(3) == 3) is True and (D(3) == D(4)) is False
    assert (D(3) == D(None)) is None and (D(None) == D(None)) is None
    assert (D(3) != D(4)) is True and (D(3) != D(None)) is None
    assert (D(3) < D(4)) is True and (D(4) <= 3) is False and (D(4) > 3) is True and (D(4) >= 4) is True
    assert (D(3) < D(None)) is None and (D(None) >= 1) is None


def test_dimension_compatibility_and_merge():
    assert D(3).is_compatible_with(3) and D(3).is_compatible_with(None) and D(None).is_compatible_with(D(5))
    assert not D(3).is_compatible_with(4)
    assert D(3).merge_with(None).value == 3
    assert D(None).merge_with(5).value == 5
    assert D(None).merge_with(None).value is None
    with pytest.raises(ValueError, match=r"^Dimensions 3 and 4 are not compatible$"):
        D(3).merge_with(4)
    with pytest.raises(ValueError, match=r"^Dimensions 3 and 4 are not compatible$"):
        D(3).assert_is_compatible_with(D(4))


# =========================================================================== TensorShape basics
@pytest.mark.parametrize("dims,text", [
    ([None, 2], "(?, 2)"), ([3], "(3,)"), ([None], "(?,)"), ([], "()"), (None, "<unknown>"),
    ([2, 3, 4], "(2, 3, 4)"), ([None, None], "(?, ?)"),
], ids=["partial", "vector", "unknown-vector", "scalar", "unknown-rank", "rank3", "all-unknown"])
def test_printing(dims, text):
    assert str(TS(dims)) == text


def test_repr():
    assert repr(TS([None, 2])) == "TensorShape([Dimension(None), Dimension(2)])"
    assert repr(TS([])) == "TensorShape([])"
    assert repr(TS(None)) == "TensorShape(None)"


def test_ndims_rank_dims_as_list():
    s = TS([None, 2])
    assert s.ndims == 2 and s.rank == 2 and len(s) == 2
    assert s.as_list() == [None, 2]
    assert [d.value for d in s.dims] == [None, 2]
    assert [d.value for d in s] == [None, 2]
    assert TS([]).ndims == 0 and TS([]).as_list() == []
    assert TS(5).as_list() == [5]  # a single int is a singleton list (TF's deprecated form)
    assert TS((4, D(3))).as_list() == [4, 3]
    assert TS(TS([1, 2])).as_list() == [1, 2]


def test_unknown_rank():
    s = TS(None)
    assert s.ndims is None and s.dims is None and s.rank is None
    assert not s and TS([])  # TF: a shape is truthy iff its rank is known
    with pytest.raises(ValueError, match=r"^as_list\(\) is not defined on an unknown TensorShape\.$"):
        s.as_list()
    with pytest.raises(ValueError, match=r"Cannot take the length of Shape with unknown rank\."):
        len(s)
    with pytest.raises(ValueError, match=r"Cannot iterate over a shape with unknown rank\."):
        iter(s)
    assert s[0].value is None
    assert s[1:3].ndims == 2 and s[1:].ndims is None
    assert unknown_shape().ndims is None and unknown_shape(ndims=3).as_list() == [None, None, None]
    assert unknown_shape(rank=2).as_list() == [None, None]


def test_getitem():
    s = TS([4, None, 6])
    assert s[0].value == 4 and s[-1].value == 6 and s[1].value is None
    assert isinstance(s[1:], TS) and s[1:].as_list() == [None, 6]
    assert s[::2].as_list() == [4, 6]


def test_string_dims_rejected():
    with pytest.raises(TypeError, match=r"A string has ambiguous TensorShape"):
        TS("12")


def test_fully_defined_and_num_elements():
    assert TS([2, 3]).is_fully_defined() and TS([2, 3]).num_elements() == 6
    assert TS([]).is_fully_defined() and TS([]).num_elements() == 1
    assert TS([0, 3]).num_elements() == 0
    assert not TS([None, 3]).is_fully_defined() and TS([None, 3]).num_elements() is None
    assert not TS(None).is_fully_defined() and TS(None).num_elements() is None
    with pytest.raises(ValueError, match=r"^Shape \(\?, 3\) is not fully defined$"):
        TS([None, 3]).assert_is_fully_defined()


# =========================================================================== compatibility and merging
@pytest.mark.parametrize("a,b,ok", [
    ([None, 2], [5, 2], True), ([None, 2], [5, 3], False), ([None, 2], [None, 2, 1], False),
    (None, [1, 2, 3], True), ([1, 2], None, True), (None, None, True), ([], [], True), ([], [1], False),
    ([32, 784], [32, None], True), ([32, 784], [None, 784], True), ([32, 784], [4, 4], False),
], ids=lambda x: str(x))
def test_is_compatible_with(a, b, ok):
    assert TS(a).is_compatible_with(TS(b)) is ok
    assert TS(b).is_compatible_with(a) is ok  # symmetric, and plain lists are accepted


def test_merge_with():
    assert TS([None, 2]).merge_with([5, None]).as_list() == [5, 2]
    assert TS(None).merge_with([1, 2]).as_list() == [1, 2]
    assert TS([1, 2]).merge_with(None).as_list() == [1, 2]
    assert TS(None).merge_with(None).ndims is None
    with pytest.raises(ValueError, match=r"^Shapes \(1, 2\) and \(1, 3\) are not compatible$"):
        TS([1, 2]).merge_with([1, 3])
    with pytest.raises(ValueError, match=r"^Shapes \(1, 2\) and \(1,\) are not compatible$"):
        TS([1, 2]).merge_with([1])


def test_rank_assertions():
    assert TS(None).with_rank(2).as_list() == [None, None]
    assert TS([1, None]).with_rank(2).as_list() == [1, None]
    with pytest.raises(ValueError, match=r"^Shape \(1, 2\) must have rank 3$"):
        TS([1, 2]).with_rank(3)
    with pytest.raises(ValueError, match=r"^Shape \(1, 2\) must have rank at least 3$"):
        TS([1, 2]).with_rank_at_least(3)
    with pytest.raises(ValueError, match=r"^Shape \(1, 2\) must have rank at most 1$"):
        TS([1, 2]).with_rank_at_most(1)
    with pytest.raises(ValueError, match=r"^Shapes \(1, 2\) and \(1,\) must have the same rank$"):
        TS([1, 2]).assert_same_rank([1])
    with pytest.raises(ValueError, match=r"^Shapes \(1, 2\) and \(3, 2\) are incompatible$"):
        TS([1, 2]).assert_is_compatible_with(TS([3, 2]))
    TS(None).assert_has_rank(4)
    with pytest.raises(ValueError, match=r"^Shape \(1,\) must have rank 2$"):
        TS([1]).assert_has_rank(2)


def test_concatenate():
    assert TS([1, None]).concatenate([3]).as_list() == [1, None, 3]
    assert TS([]).concatenate(TS([2])).as_list() == [2]
    assert TS([1]).concatenate(None).ndims is None
    assert TS(None).concatenate([1]).ndims is None


# =========================================================================== equality
def test_equality():
    assert TS([2, 3]) == TS([2, 3])
    assert TS([2, 3]) == [2, 3] and TS([2, 3]) == (2, 3)
    assert TS([2, 3]) != TS([3, 2])
    assert TS([2, 3]) != TS([2, 3, 1])
    assert TS([]) == TS([]) and TS([]) != TS([1])
    assert TS(None) == TS(None)
    assert TS(None) != TS([1])
    assert hash(TS([2, 3])) == hash(TS((2, 3)))
    assert (TS([2]) == "ab") is False  # a string never converts to a shape


def test_shape_pickles():
    s = TS([None, 2])
    assert pickle.loads(pickle.dumps(s)).as_list() == [None, 2]
    assert pickle.loads(pickle.dumps(TS(None))).ndims is None


def test_as_shape():
    s = TS([1])
    assert as_shape(s) is s
    assert as_shape([1, None]).as_list() == [1, None]


# =========================================================================== shapes on tensors
def test_tensor_shapes_and_get_shape():
    x = tf.placeholder(tf.float32, [None, 2])
    assert x.shape is x.get_shape()
    assert str(x.shape) == "(?, 2)" and x.shape.as_list() == [None, 2]
    assert str(tf.placeholder(tf.float32).shape) == "<unknown>"
    assert str(tf.constant(1.0).shape) == "()"
    assert str(tf.zeros([3]).shape) == "(3,)"
