"""Reading checkpoints directly: tf.train.list_variables, load_variable, NewCheckpointReader, and
tf.train.init_from_checkpoint (variables whose initializers load from a checkpoint)."""
import os

from ..framework import dtypes
from ..framework.ops import get_default_graph
from ..io import tensor_bundle
from ..ops import io_ops, state_ops
from . import saver as saver_mod

__all__ = ["CheckpointReader", "NewCheckpointReader", "load_checkpoint", "load_variable", "list_variables",
           "init_from_checkpoint"]


class CheckpointReader:
    """The tensors of one checkpoint (V2 prefix, or V1 file/pattern), as TF's pywrap CheckpointReader.

    >>> reader = tf.train.NewCheckpointReader("/tmp/run/model-100")
    >>> reader.get_variable_to_shape_map()
    {'net/w': [2, 3], 'net/b': [3]}
    """

    def __init__(self, filepattern):
        filepattern = os.fspath(filepattern)
        if isinstance(filepattern, bytes):
            filepattern = filepattern.decode("utf-8")
        self._reader = tensor_bundle.open_checkpoint(filepattern)

    def has_tensor(self, tensor_str):
        return self._reader.has(tensor_str)

    def get_tensor(self, tensor_str):
        """The value stored under `tensor_str` (a new numpy array); NotFoundError if there is none."""
        value = self._reader.read(tensor_str)
        return value[()] if value.ndim == 0 and value.dtype != object else value

    def get_variable_to_shape_map(self):
        """{name: shape as a list of ints} for every tensor in the checkpoint."""
        return {k: self._reader.shape(k) for k in self._reader.keys()}

    def get_variable_to_dtype_map(self):
        """{name: tf.DType} for every tensor in the checkpoint."""
        return {k: self._reader.dtype(k) for k in self._reader.keys()}

    def debug_string(self):
        """'name (DT_FLOAT) [2,3]' lines, as bytes (TF's DebugString)."""
        lines = []
        for k in self._reader.keys():
            dt = self._reader.dtype(k)
            lines.append("%s (DT_%s) [%s]\n" % (k, _DT_NAMES.get(dt.name, dt.name.upper()),
                                                ",".join(str(d) for d in self._reader.shape(k))))
        return "".join(lines).encode("utf-8")


_DT_NAMES = {"float32": "FLOAT", "float64": "DOUBLE", "float16": "HALF"}


def NewCheckpointReader(filepattern):  # noqa: N802 - TF's name
    """A CheckpointReader for `filepattern` (a V2 checkpoint prefix, or a V1 file or pattern)."""
    return CheckpointReader(filepattern)


def _get_checkpoint_filename(ckpt_dir_or_file):
    ckpt_dir_or_file = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(ckpt_dir_or_file):
        return saver_mod.latest_checkpoint(ckpt_dir_or_file)
    return ckpt_dir_or_file


def load_checkpoint(ckpt_dir_or_file):
    """A CheckpointReader for the checkpoint `ckpt_dir_or_file` names, or the latest in that directory."""
    filename = _get_checkpoint_filename(ckpt_dir_or_file)
    if filename is None:
        raise ValueError("Couldn't find 'checkpoint' file or checkpoints in given directory %s" % ckpt_dir_or_file)
    return NewCheckpointReader(filename)


def load_variable(ckpt_dir_or_file, name):
    """The value of `name` ('net/w' or 'net/w:0') in the checkpoint, as a numpy array."""
    if name.endswith(":0"):
        name = name[:-2]
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)


def list_variables(ckpt_dir_or_file):
    """[(name, shape)] of every tensor in the checkpoint, sorted by name.

    >>> tf.train.list_variables("/tmp/run")
    [('global_step', []), ('net/b', [3]), ('net/w', [2, 3])]
    """
    shapes = load_checkpoint(ckpt_dir_or_file).get_variable_to_shape_map()
    return [(name, shapes[name]) for name in sorted(shapes)]


# =========================================================================== init_from_checkpoint
def _is_variable(x):
    return hasattr(x, "_ref") and hasattr(x, "_initializer_op")


def _set_checkpoint_initializer(variable, ckpt_file, tensor_name, name="checkpoint_initializer"):
    """Make `variable`'s initializer an Assign from RestoreV2 of `tensor_name` in `ckpt_file`."""
    base_type = variable.dtype.base_dtype
    ref = variable._ref()
    g = ref.graph
    with g.as_default(), g.control_dependencies(None), g.device("/device:CPU:0"):
        restore = io_ops.restore_v2(ckpt_file, [tensor_name], [""], [base_type], name=name)[0]
    with g.as_default(), g.control_dependencies(None):
        init_op = state_ops.assign(ref, restore, validate_shape=ref.shape.is_fully_defined()).op
    restore.set_shape(variable.shape)
    variable._initializer_op = init_op
    variable._initial_value = restore


def init_from_checkpoint(ckpt_dir_or_file, assignment_map):
    """Replace the initializers of variables so they load values from a checkpoint.

    `assignment_map` maps checkpoint names to current variables: `'ckpt/scope/': 'scope/'` (all
    variables under a scope), `'ckpt/var': 'scope/var'`, `'ckpt/var': variable`, or `'/': 'scope/'`
    (the checkpoint's root). Values load when the initializers run (global_variables_initializer
    built afterwards). ValueError for a tensor missing from the checkpoint or a shape mismatch.
    """
    from ..variable_scope import _var_store
    ckpt_file = _get_checkpoint_filename(ckpt_dir_or_file)
    reader = load_checkpoint(ckpt_dir_or_file)
    variable_map = reader.get_variable_to_shape_map()
    store_vars = _var_store(get_default_graph()).vars
    for tensor_name_in_ckpt, current in sorted(assignment_map.items(), key=lambda kv: kv[0]):
        if _is_variable(current):
            var = current
        elif isinstance(current, (list, tuple)) and current and all(_is_variable(v) for v in current):
            raise NotImplementedError("init_from_checkpoint into partitioned variables: tfmini has none")
        else:
            var = store_vars.get(current)
        if var is not None:
            if tensor_name_in_ckpt not in variable_map:
                raise ValueError("Tensor %s is not found in %s checkpoint %s"
                                 % (tensor_name_in_ckpt, ckpt_dir_or_file, variable_map))
            if not var.shape.is_compatible_with(variable_map[tensor_name_in_ckpt]):
                raise ValueError("Shape of variable %s (%s) doesn't match with shape of tensor %s (%s) from "
                                 "checkpoint reader." % (var.name, str(var.shape), tensor_name_in_ckpt,
                                                         str(variable_map[tensor_name_in_ckpt])))
            _check_dtype(var, tensor_name_in_ckpt, reader)
            _set_checkpoint_initializer(var, ckpt_file, tensor_name_in_ckpt)
            continue
        if not isinstance(current, str):
            raise TypeError("assignment_map values must be variables or names of variables, got %r" % (current,))
        scopes = current[:current.rindex("/")] if "/" in current else ""
        if not tensor_name_in_ckpt.endswith("/"):
            raise ValueError("Assignment map with scope only name {} should map to scope only {}. Should be "
                             "'scope/': 'other_scope/'.".format(scopes, tensor_name_in_ckpt))
        for var_name in sorted(store_vars):
            if scopes and not var_name.startswith(scopes + "/"):
                continue
            var = store_vars[var_name]
            full_tensor_name = var_name[len(scopes):]
            if current != "/":
                full_tensor_name = full_tensor_name[1:]
            if tensor_name_in_ckpt != "/":
                full_tensor_name = tensor_name_in_ckpt + full_tensor_name
            if full_tensor_name.endswith("/"):
                full_tensor_name = full_tensor_name[:-1]
            if full_tensor_name not in variable_map:
                raise ValueError("Tensor %s (%s in %s) is not found in %s checkpoint"
                                 % (full_tensor_name, var_name[len(scopes) + 1:], tensor_name_in_ckpt,
                                    ckpt_dir_or_file))
            _check_dtype(var, full_tensor_name, reader)
            _set_checkpoint_initializer(var, ckpt_file, full_tensor_name)


def _check_dtype(var, tensor_name, reader):
    got = reader.get_variable_to_dtype_map()[tensor_name]
    want = var.dtype.base_dtype
    if got != want:
        raise ValueError("Variable %s has dtype %s but tensor %s in the checkpoint has dtype %s"
                         % (var.name, want.name, tensor_name, dtypes.as_dtype(got).name))

