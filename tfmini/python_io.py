"""tf.python_io: TFRecord files (TFRecordWriter, tf_record_iterator, TFRecordOptions, TFRecordCompressionType),
the same names as tf.io's; defined in tfmini/io/tf_record.py."""
from .framework.api_hook import tf_module_getattr
from .io.tf_record import TFRecordCompressionType, TFRecordOptions, TFRecordWriter, tf_record_iterator  # noqa: F401

__getattr__ = tf_module_getattr("python_io", __name__)  # a TensorFlow name tfmini lacks: say so
