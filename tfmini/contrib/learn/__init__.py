"""tf.contrib.learn: the part of TF 1.x's contrib.learn that lecture code still uses, its text preprocessing
(VocabularyProcessor); the Estimator API of contrib.learn is not here."""
from ...framework.api_hook import tf_module_getattr
from . import preprocessing  # noqa: F401

__getattr__ = tf_module_getattr("contrib.learn", __name__)
