"""TF-Slim (`import tfmini.contrib.slim as slim`): so far its variable helpers, initializers and
regularizers; layers, arg_scope, losses and nets arrive with issue #7."""
from ..framework.variables import (get_local_variables, get_model_variables, get_trainable_variables,  # noqa: F401
                                   get_unique_variable, get_variable_full_name, get_variables,
                                   get_variables_by_name, get_variables_by_suffix)
from ..layers.initializers import (variance_scaling_initializer, xavier_initializer,  # noqa: F401
                                   xavier_initializer_conv2d)
from ..layers.regularizers import (apply_regularization, l1_l2_regularizer, l1_regularizer,  # noqa: F401
                                   l2_regularizer, sum_regularizer)
