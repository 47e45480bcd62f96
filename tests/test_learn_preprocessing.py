"""tf.contrib.learn.preprocessing: VocabularyProcessor, CategoricalVocabulary, ByteProcessor and tokenizer, as
TF 1.x's contrib.learn defines them (TensorFlow 2.x has no contrib to run, so the cases state TF 1.15's
documented rules: ids in first-seen order, 0 for unknown words and padding, trim by frequency), and a save that
never writes or reads a pickle."""
import pickle

import numpy as np
import pytest

import tfmini as tf

P = tf.contrib.learn.preprocessing

TOKENIZER_CASES = [  # (document, tokens)
    ("a masterpiece four years in the making", ["a", "masterpiece", "four", "years", "in", "the", "making"]),
    ("everything is off.", ["everything", "is", "off"]),
    ("it's well-made , isn't it ?", ["it's", "well-made", "isn't", "it"]),
    ("camelCase CamelCase HTTPServer", ["camelCase", "Camel", "Case", "HTTP", "Server"]),
    ("", []),
]


@pytest.mark.parametrize("document,tokens", TOKENIZER_CASES)
def test_tokenizer(document, tokens):
    assert list(P.tokenizer([document])) == [tokens]


def test_namespaces():
    from tfmini.contrib import learn
    from tfmini.contrib.learn.preprocessing import VocabularyProcessor
    assert learn is tf.contrib.learn and VocabularyProcessor is P.VocabularyProcessor


def test_fit_transform_ids_in_first_seen_order_padded_and_cut():
    vp = P.VocabularyProcessor(4)
    x = np.array(list(vp.fit_transform(["a b c", "b d a e f", "c"])))
    assert x.dtype == np.int64 and x.shape == (3, 4)
    np.testing.assert_array_equal(x, [[1, 2, 3, 0], [2, 4, 1, 5], [3, 0, 0, 0]])
    assert len(vp.vocabulary_) == 7  # <UNK> a b c d e f: words past max_document_length are still learned
    assert [vp.vocabulary_.reverse(i) for i in range(7)] == ["<UNK>", "a", "b", "c", "d", "e", "f"]


def test_transform_after_fit_unknown_words_are_zero():
    vp = P.VocabularyProcessor(3).fit(["good film", "bad film"])
    np.testing.assert_array_equal(list(vp.transform(["good new film"])), [[1, 0, 2]])
    assert len(vp.vocabulary_) == 4  # frozen: 'new' was not added


def test_min_frequency_trims_and_renumbers_by_frequency():
    vp = P.VocabularyProcessor(5, min_frequency=1)
    x = list(vp.fit_transform(["z y x", "y x", "x w"]))
    # counts: x 3, y 2, z 1, w 1; kept: count > 1, numbered from the most frequent
    assert len(vp.vocabulary_) == 3
    np.testing.assert_array_equal(x, [[0, 2, 1, 0, 0], [2, 1, 0, 0, 0], [1, 0, 0, 0, 0]])


def test_trim_ties_sorted_and_max_frequency():
    v = P.CategoricalVocabulary()
    for word, n in [("b", 2), ("a", 2), ("stop", 5), ("c", 1)]:
        v.add(word, n)
    v.trim(0, max_frequency=5)
    assert [v.reverse(i) for i in range(len(v))] == ["<UNK>", "a", "b", "c"]


def test_categorical_vocabulary_freeze_and_reverse_error():
    v = P.CategoricalVocabulary(support_reverse=False)
    assert (v.get("a"), v.get("b"), v.get("a")) == (1, 2, 1)
    v.freeze()
    assert v.get("c") == 0 and len(v) == 3
    with pytest.raises(ValueError, match="wasn't initalized with support_reverse"):
        v.reverse(1)


def test_reverse():
    vp = P.VocabularyProcessor(4)
    ids = list(vp.fit_transform(["the cat sat"]))
    assert list(vp.reverse(ids)) == ["the cat sat <UNK>"]


def test_save_restore_round_trip(tmp_path):
    vp = P.VocabularyProcessor(6, min_frequency=0)
    docs = ["a masterpiece four years in the making", "everything is off ."]
    before = np.array(list(vp.fit_transform(docs)))
    path = str(tmp_path / "vocab")
    vp.save(path)
    with open(path, "rb") as f:
        assert f.read(1) == b"{"  # JSON, not a pickle
    back = P.VocabularyProcessor.restore(path)
    assert back.max_document_length == 6 and len(back.vocabulary_) == len(vp.vocabulary_)
    np.testing.assert_array_equal(np.array(list(back.transform(docs))), before)
    np.testing.assert_array_equal(list(back.transform(["making a new film"])), [[7, 1, 0, 0, 0, 0]])


def test_restore_refuses_a_pickle(tmp_path):
    path = tmp_path / "vocab"
    path.write_bytes(pickle.dumps({"max_document_length": 3}))
    with pytest.raises(ValueError, match="looks like a pickle.*tfmini never loads pickles"):
        P.VocabularyProcessor.restore(str(path))


def test_custom_tokenizer_must_be_passed_again(tmp_path):
    chars = lambda docs: (list(d) for d in docs)  # noqa: E731
    vp = P.VocabularyProcessor(3, tokenizer_fn=chars)
    list(vp.fit_transform(["abc"]))
    path = str(tmp_path / "vocab")
    vp.save(path)
    with pytest.raises(ValueError, match="custom tokenizer_fn.*tokenizer_fn=..."):
        P.VocabularyProcessor.restore(path)
    back = P.VocabularyProcessor.restore(path, tokenizer_fn=chars)
    np.testing.assert_array_equal(list(back.transform(["cab"])), [[3, 1, 2]])


def test_byte_processor():
    bp = P.ByteProcessor(4)
    rows = list(bp.fit_transform(["ab", "abcdef", b"\xc3\xa9"]))
    np.testing.assert_array_equal(rows, [[97, 98, 0, 0], [97, 98, 99, 100], [195, 169, 0, 0]])
    assert rows[0].dtype == np.uint8
    assert list(bp.reverse(rows)) == ["ab", "abcd", "\u00e9"]


def test_missing_learn_name_is_a_teaching_error():
    with pytest.raises(AttributeError, match="tfmini.contrib.learn"):
        tf.contrib.learn.DNNClassifier
