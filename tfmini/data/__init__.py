"""tf.data: input pipelines (Dataset) and their iterators, as TF 1.x graph mode has them."""
from ..framework.api_hook import tf_module_getattr
from . import experimental
from .dataset_ops import AUTOTUNE, Dataset, DatasetV1
from .iterator_ops import (Iterator, get_output_classes, get_output_shapes, get_output_types,
                           make_initializable_iterator, make_one_shot_iterator)
from .readers import FixedLengthRecordDataset, TextLineDataset, TFRecordDataset

__all__ = ["AUTOTUNE", "Dataset", "DatasetV1", "FixedLengthRecordDataset", "Iterator", "TFRecordDataset",
           "TextLineDataset", "experimental", "get_output_classes", "get_output_shapes", "get_output_types",
           "make_initializable_iterator", "make_one_shot_iterator"]

__getattr__ = tf_module_getattr("data", __name__)  # a TensorFlow name tfmini lacks (Options): say so
