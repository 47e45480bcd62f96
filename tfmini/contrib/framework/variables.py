"""Variable lookup helpers (tf.contrib.framework, re-exported by slim): by scope, name, suffix."""
from ...framework.ops import GraphKeys, get_collection

__all__ = ["get_variables", "get_variables_by_name", "get_variables_by_suffix", "get_model_variables",
           "get_local_variables", "get_trainable_variables", "get_unique_variable", "get_variable_full_name",
           "get_variables_to_restore"]


def get_variables(scope=None, suffix=None, collection=GraphKeys.GLOBAL_VARIABLES):
    """Variables in `collection` whose name matches `scope` (a regex from the start, or a
    VariableScope) and ends in `suffix`."""
    if hasattr(scope, "original_name_scope"):
        scope = scope.name
    if suffix is not None:
        if ":" not in suffix:
            suffix += ":"
        scope = (scope or "") + ".*" + suffix
    return get_collection(collection, scope)


def get_model_variables(scope=None, suffix=None):
    """Variables in GraphKeys.MODEL_VARIABLES (what slim's layers create), filtered like get_variables."""
    return get_variables(scope, suffix, GraphKeys.MODEL_VARIABLES)


def get_local_variables(scope=None, suffix=None):
    return get_variables(scope, suffix, GraphKeys.LOCAL_VARIABLES)


def get_trainable_variables(scope=None, suffix=None):
    return get_variables(scope, suffix, GraphKeys.TRAINABLE_VARIABLES)


def get_variables_by_suffix(suffix, scope=None):
    """Variables whose name (before ':0') ends with `suffix`."""
    return get_variables(scope=scope, suffix=suffix)


def get_variables_by_name(given_name, scope=None):
    """Variables whose last name component is `given_name` (e.g. 'weights' finds 'conv1/weights')."""
    suffix = "/" + given_name + ":|^" + given_name + ":"
    return get_variables(scope=scope, suffix=suffix)


def get_unique_variable(var_op_name):
    """The one global variable whose op is named `var_op_name`."""
    candidates = get_variables(scope=var_op_name)
    if not candidates:
        raise ValueError("Couldn't find variable %s" % var_op_name)
    for candidate in candidates:
        if candidate.op.name == var_op_name:
            return candidate
    raise ValueError("Variable %s does not uniquely identify a variable" % var_op_name)


def get_variable_full_name(var):
    return var.op.name


def get_variables_to_restore(include=None, exclude=None):
    """Global variables under the scopes in `include` (default: all) and under none in `exclude`,
    e.g. exclude=["vgg_16/fc8"] to fine-tune a new last layer."""
    if include is None:
        vars_to_include = get_variables()
    else:
        if not isinstance(include, (list, tuple)):
            raise TypeError("include is provided but is not a list or a tuple.")
        vars_to_include = []
        for scope in include:
            vars_to_include += get_variables(scope)
    vars_to_exclude = set()
    if exclude is not None:
        if not isinstance(exclude, (list, tuple)):
            raise TypeError("exclude is provided but is not a list or a tuple.")
        for scope in exclude:
            vars_to_exclude |= set(get_variables(scope))
    return [v for v in vars_to_include if v not in vars_to_exclude]
