"""tf.contrib.framework: finding variables by scope, name and suffix."""
from .variables import (get_local_variables, get_model_variables, get_trainable_variables,  # noqa: F401
                        get_unique_variable, get_variable_full_name, get_variables, get_variables_by_name,
                        get_variables_by_suffix, get_variables_to_restore)
