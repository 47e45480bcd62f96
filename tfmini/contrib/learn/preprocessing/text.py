"""Text to id matrices: tokenizer, VocabularyProcessor (words -> ids, padded or cut to a fixed length) and
ByteProcessor (utf-8 bytes), as TF 1.x's tf.contrib.learn.preprocessing has them. save() writes JSON, never a
pickle, so restore() runs no code from the file."""
import os
import re

import numpy as np

from .categorical_vocabulary import CategoricalVocabulary

__all__ = ["TOKENIZER_RE", "tokenizer", "ByteProcessor", "VocabularyProcessor"]

# TF's word pattern: runs of capitals, capitalised words inside camelCase, and runs of word characters, ' and -
TOKENIZER_RE = re.compile(r"[A-Z]{2,}(?![a-z])|[A-Z][a-z]+(?=[A-Z])|[\'\w\-]+", re.UNICODE)

_FORMAT = "tfmini.VocabularyProcessor/1"


def tokenizer(iterator):
    """Yield each document's list of word tokens (TOKENIZER_RE's matches): "it's CamelCase, HTTPServer!" ->
    ["it's", "Camel", "Case", "HTTP", "Server"]."""
    for value in iterator:
        yield TOKENIZER_RE.findall(value)


class ByteProcessor(object):
    """Documents to fixed-length rows of utf-8 byte values (uint8), cut or zero-padded to max_document_length."""

    def __init__(self, max_document_length):
        self.max_document_length = max_document_length

    def fit(self, x):
        """Nothing to learn."""

    def fit_transform(self, x):
        return self.transform(x)

    def reverse(self, x):
        """Yield each row of byte ids back as text (trailing zeros dropped; '' where it is not utf-8)."""
        for data in x:
            document = np.trim_zeros(np.asarray(data).astype(np.int8), trim="b").tobytes()
            try:
                yield document.decode("utf-8")
            except UnicodeDecodeError:
                yield ""

    def transform(self, x):
        """Yield each document (str or bytes) as max_document_length uint8 byte values."""
        for document in x:
            if isinstance(document, str):
                document = document.encode("utf-8")
            buff = np.frombuffer(memoryview(document)[:self.max_document_length], dtype=np.uint8)
            yield np.pad(buff, (0, self.max_document_length - len(buff)), "constant")


class VocabularyProcessor(object):
    """Maps documents to rows of word ids, max_document_length long (cut, or padded with 0).

    fit() learns the vocabulary (ids 1, 2, ... in the order words are first seen; with min_frequency > 0, only
    words seen more often than that, renumbered by frequency) and freezes it; transform() then gives unseen
    words id 0. The text-CNN tutorial's use:

        vp = tf.contrib.learn.preprocessing.VocabularyProcessor(max_document_length)
        x = np.array(list(vp.fit_transform(x_text)))    # int64 [n_documents, max_document_length]
        len(vp.vocabulary_)                               # the vocabulary size, <UNK> included
    """

    def __init__(self, max_document_length, min_frequency=0, vocabulary=None, tokenizer_fn=None):
        self.max_document_length = max_document_length
        self.min_frequency = min_frequency
        self.vocabulary_ = vocabulary if vocabulary else CategoricalVocabulary()
        self._tokenizer = tokenizer_fn if tokenizer_fn else tokenizer

    def fit(self, raw_documents, unused_y=None):
        """Learn the vocabulary of `raw_documents` (an iterable of strings), then freeze it. Returns self."""
        for tokens in self._tokenizer(raw_documents):
            for token in tokens:
                self.vocabulary_.add(token)
        if self.min_frequency > 0:
            self.vocabulary_.trim(self.min_frequency)
        self.vocabulary_.freeze()
        return self

    def fit_transform(self, raw_documents, unused_y=None):
        """fit, then transform the same documents (so pass a list, not a one-shot generator, as in TF)."""
        self.fit(raw_documents)
        return self.transform(raw_documents)

    def transform(self, raw_documents):
        """Yield each document as an int64 row of max_document_length word ids."""
        for tokens in self._tokenizer(raw_documents):
            word_ids = np.zeros(self.max_document_length, np.int64)
            for idx, token in enumerate(tokens):
                if idx >= self.max_document_length:
                    break
                word_ids[idx] = self.vocabulary_.get(token)
            yield word_ids

    def reverse(self, documents):
        """Yield each row of ids back as space-joined words (padding shows as '<UNK>')."""
        for item in documents:
            yield " ".join(self.vocabulary_.reverse(class_id) for class_id in item)

    def save(self, filename):
        """Write the processor to `filename` (JSON; TensorFlow writes a pickle, which tfmini never reads). A
        custom tokenizer_fn is code and is not stored: pass it to restore() again."""
        import json  # here, not at import: `import tfmini` stays light
        custom = self._tokenizer is not tokenizer
        data = {"format": _FORMAT, "max_document_length": self.max_document_length,
                "min_frequency": self.min_frequency, "custom_tokenizer": custom,
                "vocabulary": self.vocabulary_._to_json()}
        tmp = "%s.tmp%d" % (filename, os.getpid())
        with open(tmp, "w", encoding="utf-8") as f:  # written whole, then renamed: a crash leaves the old file
            json.dump(data, f)
        os.replace(tmp, filename)

    @classmethod
    def restore(cls, filename, tokenizer_fn=None):
        """The processor saved in `filename` by save(). `tokenizer_fn` (tfmini's addition) gives back a custom
        tokenizer, which a file cannot hold."""
        import json
        with open(filename, "rb") as f:
            raw = f.read()
        try:
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict) or data.get("format") != _FORMAT:
                raise ValueError
        except ValueError:
            pickled = raw[:1] == b"\x80"
            raise ValueError(
                "%s is not a vocabulary file written by tfmini's VocabularyProcessor.save%s" % (
                    filename, " (it looks like a pickle, which TensorFlow's save writes: tfmini never loads "
                              "pickles, since loading one can run code; fit the processor again with tfmini and "
                              "save it)" if pickled else "")) from None
        if data["custom_tokenizer"] and tokenizer_fn is None:
            raise ValueError("%s was saved with a custom tokenizer_fn, which a file cannot hold: pass it again, "
                             "VocabularyProcessor.restore(filename, tokenizer_fn=...)" % filename)
        return cls(data["max_document_length"], data["min_frequency"],
                   CategoricalVocabulary._from_json(data["vocabulary"]), tokenizer_fn)
