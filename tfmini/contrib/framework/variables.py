"""Variable helpers of tf.contrib.framework (re-exported by slim): creating model variables, finding
variables by scope, name and suffix, choosing what to restore, and loading them from a checkpoint."""
import functools
import logging
import re

from ...framework import dtypes
from ...framework.ops import GraphKeys, add_to_collection, get_collection
from ...framework.ops import device as _device
from ...ops import array_ops, control_flow_ops
from ...train.training_util import (assert_global_step, create_global_step, get_global_step,  # noqa: F401
                                    get_or_create_global_step)
from ...variable_scope import get_variable, get_variable_scope
from ...variables import Variable
from .arg_scope import add_arg_scope

__all__ = ["variable", "model_variable", "add_model_variable", "local_variable", "global_variable",
           "get_variables", "get_variables_by_name", "get_variables_by_suffix", "get_model_variables",
           "get_local_variables", "get_trainable_variables", "get_unique_variable", "get_variable_full_name",
           "get_variables_to_restore", "filter_variables", "assign_from_values", "assign_from_values_fn",
           "assign_from_checkpoint", "assign_from_checkpoint_fn", "assert_global_step",
           "assert_or_get_global_step", "create_global_step", "get_global_step", "get_or_create_global_step"]

_logger = logging.getLogger("tensorflow")


# =========================================================================== creating variables
def local_variable(initial_value, validate_shape=True, name=None, use_resource=None):
    """A non-trainable variable in GraphKeys.LOCAL_VARIABLES only (not saved, not in global_variables())."""
    return Variable(initial_value, trainable=False, collections=[GraphKeys.LOCAL_VARIABLES],
                    validate_shape=validate_shape, name=name)


def global_variable(initial_value, validate_shape=True, name=None, use_resource=None):
    """A non-trainable variable in GraphKeys.GLOBAL_VARIABLES."""
    return Variable(initial_value, trainable=False, collections=[GraphKeys.GLOBAL_VARIABLES],
                    validate_shape=validate_shape, name=name)


@add_arg_scope
def variable(name, shape=None, dtype=None, initializer=None, regularizer=None, trainable=True, collections=None,
             caching_device=None, device=None, partitioner=None, custom_getter=None, use_resource=None,
             synchronization=None, aggregation=None):
    """get_variable with a `device` and `collections` (default [GLOBAL_VARIABLES]); arg_scope-able.

    >>> with tf.variable_scope("conv1"):
    ...     slim.variable("weights", [3, 3, 1, 8]).name
    'conv1/weights:0'
    """
    collections = list(collections if collections is not None else [GraphKeys.GLOBAL_VARIABLES])
    collections = list(dict.fromkeys(collections))  # without duplicates
    getter = get_variable
    if custom_getter is not None:
        getter = functools.partial(custom_getter, reuse=get_variable_scope().reuse)
    with _device(device or ""):
        return getter(name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
                      trainable=trainable, collections=collections, caching_device=caching_device,
                      partitioner=partitioner, use_resource=use_resource, synchronization=synchronization,
                      aggregation=aggregation)



@add_arg_scope
def model_variable(name, shape=None, dtype=dtypes.float32, initializer=None, regularizer=None, trainable=True,
                   collections=None, caching_device=None, device=None, partitioner=None, custom_getter=None,
                   use_resource=None, synchronization=None, aggregation=None):
    """`variable` that is also in GraphKeys.MODEL_VARIABLES (what slim's layers create: weights,
    biases, moving averages), so get_model_variables() and checkpoints of models find it."""
    collections = list(collections or [])
    collections += [GraphKeys.GLOBAL_VARIABLES, GraphKeys.MODEL_VARIABLES]
    return variable(name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
                    trainable=trainable, collections=collections, caching_device=caching_device, device=device,
                    partitioner=partitioner, custom_getter=custom_getter, use_resource=use_resource,
                    synchronization=synchronization, aggregation=aggregation)


def add_model_variable(var):
    """Add `var` to GraphKeys.MODEL_VARIABLES (once)."""
    if var not in get_collection(GraphKeys.MODEL_VARIABLES):
        add_to_collection(GraphKeys.MODEL_VARIABLES, var)


def assert_or_get_global_step(graph=None, global_step_tensor=None):
    """`global_step_tensor` checked to be a scalar integer, or the graph's global step when None."""
    if global_step_tensor is None:
        return get_global_step(graph)
    assert_global_step(global_step_tensor)
    return global_step_tensor


# =========================================================================== finding variables
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


def filter_variables(var_list, include_patterns=None, exclude_patterns=None, reg_search=True):
    """The variables of `var_list` whose name matches one of `include_patterns` (default: all) and
    none of `exclude_patterns` (regexes; re.search anywhere, or re.match from the start when
    `reg_search` is False)."""
    find = re.search if reg_search else re.match
    included = list(var_list) if include_patterns is None else [
        v for v in var_list if any(find(p, v.name) for p in include_patterns)]
    if exclude_patterns is None:
        return included
    return [v for v in included if not any(find(p, v.name) for p in exclude_patterns)]


# =========================================================================== assigning values
def _find_variable(var_name):
    found = get_collection(GraphKeys.GLOBAL_VARIABLES, var_name)
    if not found:
        raise ValueError("Variable %s wasn't found" % var_name)
    if len(found) > 1:
        # get_collection matches a prefix: look for the exact name
        for v in found:
            if v.op.name == var_name:
                return v
        raise ValueError("Variable %s doesn't uniquely identify a variable" % var_name)
    return found[0]


def assign_from_values(var_names_to_values):
    """(assign_op, feed_dict) that set the named variables to the given numpy values.

    The values travel through placeholders named `placeholder/<variable name>`, so they never
    become constants in the graph.
    """
    feed_dict = {}
    assign_ops = []
    for var_name, value in var_names_to_values.items():
        var = _find_variable(var_name)
        ph = array_ops.placeholder(dtype=var.dtype.base_dtype, shape=var.get_shape(),
                                   name="placeholder/" + var.op.name)
        assign_ops.append(var.assign(ph))
        feed_dict[ph] = value.reshape(var.get_shape().as_list())
    return control_flow_ops.group(*assign_ops), feed_dict


def assign_from_values_fn(var_names_to_values):
    """A function `fn(session)` that runs `assign_from_values(var_names_to_values)`."""
    assign_op, feed_dict = assign_from_values(var_names_to_values)

    def callback(session):
        return session.run(assign_op, feed_dict)
    return callback


def _checkpoint_reader(model_path):
    from ... import train  # the Saver's checkpoint reader (tf.train.NewCheckpointReader)
    return train.NewCheckpointReader(model_path)


def _group_by_checkpoint_name(var_list):
    grouped = {}
    if isinstance(var_list, (tuple, list)):
        for var in var_list:
            grouped.setdefault(get_variable_full_name(var), []).append(var)
    else:
        for ckpt_name, value in var_list.items():
            grouped[ckpt_name] = list(value) if isinstance(value, (tuple, list)) else [value]
    return grouped


def assign_from_checkpoint(model_path, var_list, ignore_missing_vars=False):
    """(assign_op, feed_dict) that load `var_list` from the checkpoint `model_path`.

    `var_list` is a list of variables (looked up by their op name) or a dict {checkpoint name:
    variable or list of variables}. A name missing from the checkpoint is a ValueError
    ("Checkpoint is missing variable [name]") unless `ignore_missing_vars`, which skips it
    with a warning. A shape that differs from the checkpoint's is a ValueError.
    """
    grouped = _group_by_checkpoint_name(var_list)
    reader = _checkpoint_reader(model_path)
    feed_dict = {}
    assign_ops = []
    for ckpt_name, variables in grouped.items():
        if not reader.has_tensor(ckpt_name):
            msg = "Checkpoint is missing variable [%s]" % ckpt_name
            if ignore_missing_vars:
                _logger.warning(msg)
                continue
            raise ValueError(msg)
        value = reader.get_tensor(ckpt_name)
        for var in variables:
            ph = array_ops.placeholder(dtype=var.dtype.base_dtype, shape=var.get_shape(),
                                       name="placeholder/" + var.op.name)
            assign_ops.append(var.assign(ph))
            if var.get_shape().as_list() != list(value.shape):
                raise ValueError("Total size of new array must be unchanged for %s lh_shape: [%s], rh_shape: [%s]"
                                 % (ckpt_name, str(value.shape), str(var.get_shape())))
            feed_dict[ph] = value
    return control_flow_ops.group(*assign_ops), feed_dict


def assign_from_checkpoint_fn(model_path, var_list, ignore_missing_vars=False, reshape_variables=False):
    """A function `init_fn(session)` that restores `var_list` from the checkpoint `model_path`.

    The lecture's fine-tuning recipe: restore everything but the new last layer,

        init_fn = slim.assign_from_checkpoint_fn(path, slim.get_variables_to_restore(exclude=["vgg_16/fc8"]),
                                                 ignore_missing_vars=True)
        init_fn(sess)   # after sess.run(tf.global_variables_initializer())

    With `ignore_missing_vars`, variables the checkpoint lacks are skipped (with a warning) and
    None is returned when none is left; without it, restoring raises NotFoundError for a
    missing one. `var_list` is a list of variables or a dict {checkpoint name: variable}; an
    empty one is a ValueError.
    """
    if not var_list:
        raise ValueError("var_list cannot be empty")
    if ignore_missing_vars:
        reader = _checkpoint_reader(model_path)
        var_dict = var_list if isinstance(var_list, dict) else {v.op.name: v for v in var_list}
        available = {}
        for name, var in var_dict.items():
            if reader.has_tensor(name):
                available[name] = var
            else:
                _logger.warning("Variable %s missing in checkpoint %s", name, model_path)
        var_list = available
    if not var_list:
        _logger.warning("No Variables to restore")
        return None
    from ...train import Saver
    saver = Saver(var_list, reshape=reshape_variables)

    def callback(session):
        saver.restore(session, model_path)
    return callback
