"""tf.contrib.layers: TF-Slim's layers (conv2d, fully_connected, ...), initializers, regularizers,
summary helpers and optimize_loss."""
from .initializers import variance_scaling_initializer, xavier_initializer, xavier_initializer_conv2d  # noqa: F401
from .regularizers import (apply_regularization, l1_l2_regularizer, l1_regularizer,  # noqa: F401
                           l2_regularizer, sum_regularizer)
from .layers import (avg_pool2d, bias_add, conv2d, conv2d_in_plane, conv2d_transpose, convolution,  # noqa: F401
                     convolution2d, convolution2d_in_plane, convolution2d_transpose, dropout, elu, flatten,
                     fully_connected, layer_norm, linear, max_pool2d, one_hot_encoding, relu, relu6, repeat,
                     separable_conv2d, separable_convolution2d, softmax, stack, unit_norm)
from .normalization import batch_norm  # noqa: F401
from . import optimizers  # noqa: F401
from .optimizers import OPTIMIZER_CLS_NAMES, OPTIMIZER_SUMMARIES, optimize_loss  # noqa: F401
from .summaries import (summarize_activation, summarize_activations, summarize_biases,  # noqa: F401
                        summarize_collection, summarize_tensor, summarize_tensors, summarize_variables,
                        summarize_weights)
from . import utils  # noqa: F401
