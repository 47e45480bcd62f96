"""tf.contrib.layers: initializers and regularizers in TF 1.x's contrib spellings."""
from .initializers import variance_scaling_initializer, xavier_initializer, xavier_initializer_conv2d  # noqa: F401
from .regularizers import (apply_regularization, l1_l2_regularizer, l1_regularizer,  # noqa: F401
                           l2_regularizer, sum_regularizer)
