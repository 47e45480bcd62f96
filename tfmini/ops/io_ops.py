"""Checkpoint ops: SaveV2 writes tensors to a V2 checkpoint, RestoreV2 reads them back (V2 or V1).

These are what `tf.train.Saver` puts in the graph (`save/SaveV2`, `save/RestoreV2`), so saving is
`sess.run(saver_def.save_tensor_name, {filename: path})`, as in TensorFlow. The file formats live
in tfmini/io/.
"""
import numpy as np

from ..framework import dtypes as _dtypes
from ..framework import errors
from ..framework.op_def_library import convert_one, make_op
from ..framework.op_registry import NOT_DIFFERENTIABLE, InferenceError, register_op
from ..framework.ops import convert_to_tensor, name_scope
from ..framework.tensor_shape import TensorShape
from ..io import tensor_bundle

__all__ = ["save_v2", "restore_v2"]

def _check_rank(t, rank, op_type, what):
    ndims = t.shape.ndims
    if ndims is not None and ndims != rank:
        raise InferenceError("Shape must be rank %d but is rank %d for %s of %s" % (rank, ndims, what, op_type))


def _check_count(t, n):
    dims = t.shape.as_tuple()
    if dims and dims[0] is not None and dims[0] != n:
        raise InferenceError("Dimension must be %d but is %d" % (n, dims[0]))


def _host(a):
    """A host numpy array of a kernel input (files are written from host memory)."""
    get = getattr(a, "get", None)
    return np.asarray(get() if get is not None and not isinstance(a, np.ndarray) else a)


def _as_text(v):
    v = v.item() if isinstance(v, np.ndarray) else v
    return v.decode("utf-8", "surrogateescape") if isinstance(v, bytes) else str(v)


def _scalar_prefix(prefix, op_type):
    p = _host(prefix)
    if p.size != 1:
        raise errors.InvalidArgumentError(None, None, "Input prefix should have a single element, got %d." % p.size)
    return _as_text(p.reshape(-1)[0])


def _check_inputs(op_type, names, slices):
    names, slices = _host(names).reshape(-1), _host(slices).reshape(-1)
    if names.size != slices.size:
        raise errors.InvalidArgumentError(None, None, "tensor_names and shape_and_slices must have the same number of "
                                          "elements: %d vs. %d" % (names.size, slices.size))
    for s in slices:
        if _as_text(s):
            raise errors.UnimplementedError(None, None, "%s with a non-empty shape_and_slices (%r): tfmini saves and "
                                            "restores whole tensors only" % (op_type, _as_text(s)))
    return [_as_text(n) for n in names]


# =========================================================================== SaveV2
def _save_v2_infer(prefix, tensor_names, shape_and_slices, *tensors, dtypes):
    _check_rank(prefix, 0, "SaveV2", "'prefix'")
    for t, what in ((tensor_names, "'tensor_names'"), (shape_and_slices, "'shape_and_slices'")):
        _check_rank(t, 1, "SaveV2", what)
        _check_count(t, len(tensors))
    return []


def _save_v2_kernel(xp, prefix, tensor_names, shape_and_slices, *tensors, dtypes):
    path = _scalar_prefix(prefix, "SaveV2")
    names = _check_inputs("SaveV2", tensor_names, shape_and_slices)
    if len(names) != len(tensors):
        raise errors.InvalidArgumentError(None, None, "Got %d tensor names but %d tensors."
                                          % (len(names), len(tensors)))
    tensor_bundle.write_bundle(path, [(n, _host(t)) for n, t in zip(names, tensors)])


register_op("SaveV2", infer=_save_v2_infer, kernel=_save_v2_kernel, grad=NOT_DIFFERENTIABLE, stateful=True)


def _string_input(param, value):
    return convert_one("SaveV2", param, value, dtype=_dtypes.string)


def save_v2(prefix, tensor_names, shape_and_slices, tensors, name=None):
    """The op that writes `tensors` under `tensor_names` to the V2 checkpoint at `prefix`.

    prefix: a string scalar; tensor_names, shape_and_slices: N strings (slices must be "");
    tensors: N tensors (a variable's ref tensor is read when the op runs). Returns the Operation.
    """
    tensors = list(tensors)
    with name_scope(name, "SaveV2", [prefix] + tensors) as scope:
        prefix = _string_input("prefix", prefix)
        tensor_names = _string_input("tensor_names", list(tensor_names))
        shape_and_slices = _string_input("shape_and_slices", list(shape_and_slices))
        tensors = [convert_to_tensor(t, as_ref=True) for t in tensors]  # a variable is read when SaveV2 runs
        return make_op("SaveV2", [prefix, tensor_names, shape_and_slices] + tensors,
                       {"dtypes": [t.dtype.base_dtype for t in tensors]}, name=scope)


# =========================================================================== RestoreV2
def _restore_v2_infer(prefix, tensor_names, shape_and_slices, *, dtypes):
    _check_rank(prefix, 0, "RestoreV2", "'prefix'")
    for t, what in ((tensor_names, "'tensor_names'"), (shape_and_slices, "'shape_and_slices'")):
        _check_rank(t, 1, "RestoreV2", what)
        _check_count(t, len(dtypes))
    return [(dt, TensorShape(None)) for dt in dtypes]


def _restore_v2_kernel(xp, prefix, tensor_names, shape_and_slices, *, dtypes):
    path = _scalar_prefix(prefix, "RestoreV2")
    names = _check_inputs("RestoreV2", tensor_names, shape_and_slices)
    if len(names) != len(dtypes):
        raise errors.InvalidArgumentError(None, None, "Got %d tensor names but %d dtypes." % (len(names), len(dtypes)))
    reader = tensor_bundle.open_checkpoint(path)
    out = []
    for name, want in zip(names, dtypes):
        if not reader.has(name):
            raise errors.NotFoundError(None, None, "Key %s not found in checkpoint" % name)
        got = reader.dtype(name)
        if got != want:
            raise errors.InvalidArgumentError(None, None, "tensor_name = %s; expected dtype %s does not equal "
                                              "restored dtype %s" % (name, _dtypes.type_string(want),
                                                                     _dtypes.type_string(got)))
        out.append(xp.asarray(reader.read(name)))
    return out[0] if len(out) == 1 else tuple(out)


register_op("RestoreV2", infer=_restore_v2_infer, kernel=_restore_v2_kernel, grad=NOT_DIFFERENTIABLE, stateful=True)


def restore_v2(prefix, tensor_names, shape_and_slices, dtypes, name=None):
    """The op that reads `tensor_names` from the checkpoint at `prefix` (V2, or a V1 file).

    Returns one tensor per name, of the given `dtypes`, with unknown static shape (the shape is
    the file's). NotFoundError when a name is missing; InvalidArgumentError for a dtype mismatch.
    """
    dtype_list = [_dtypes.as_dtype(d).base_dtype for d in dtypes]
    with name_scope(name, "RestoreV2", [prefix]) as scope:
        prefix = _string_input("prefix", prefix)
        tensor_names = _string_input("tensor_names", list(tensor_names))
        shape_and_slices = _string_input("shape_and_slices", list(shape_and_slices))
        out = make_op("RestoreV2", [prefix, tensor_names, shape_and_slices], {"dtypes": dtype_list}, name=scope)
        return out if isinstance(out, list) else [out]

