"""tf.contrib.learn.preprocessing: words to ids for text models (VocabularyProcessor, CategoricalVocabulary,
ByteProcessor, tokenizer), re-exports only."""
from ....framework.api_hook import tf_module_getattr
from .categorical_vocabulary import CategoricalVocabulary  # noqa: F401
from .text import ByteProcessor, VocabularyProcessor, tokenizer  # noqa: F401

__getattr__ = tf_module_getattr("contrib.learn.preprocessing", __name__)
