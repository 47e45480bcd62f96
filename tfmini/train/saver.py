"""tf.train.Saver and the `checkpoint` state file: variables saved and restored as TensorFlow checkpoints.

A Saver adds TF's save/restore subgraph to the default graph when it is built:

    save/filename/input (Const "model") -> save/filename -> save/Const (PlaceholderWithDefault)
    save/SaveV2(save/Const, tensor_names, shape_and_slices, <variables>) -> save/control_dependency
    save/RestoreV2(save/Const, ...) -> save/Assign, save/Assign_1, ... -> save/restore_all (NoOp)

`saver.save(sess, path)` runs `save/control_dependency:0` with `save/Const:0` fed the path, and
`saver.restore(sess, path)` runs `save/restore_all` the same way, so values move between the
session's variable storage and the files through ordinary ops. The files are TensorFlow's V2
checkpoint (tfmini/io/tensor_bundle.py); `restore` also reads V1 files (slim's model zoo).

The `checkpoint` state file (text protobuf: `model_checkpoint_path`, `all_model_checkpoint_paths`)
is replaced atomically, after the checkpoint it names is complete.
"""
import glob
import os
import random
import re
import time

import numpy as np

from ..framework import errors, ops
from ..framework.ops import GraphKeys, Tensor, get_default_graph
from ..io import proto, tensor_bundle
from ..ops import array_ops, control_flow_ops, io_ops, state_ops
from . import training_util

__all__ = ["Saver", "SaverDef", "CheckpointState", "latest_checkpoint", "get_checkpoint_state",
           "checkpoint_exists", "update_checkpoint_state", "generate_checkpoint_state_proto",
           "remove_checkpoint", "get_checkpoint_mtimes", "meta_graph_filename"]

def _log():
    import logging  # only when there is something to say: `import tfmini` stays light
    return logging.getLogger("tensorflow")  # TF's logger: tf.logging.set_verbosity shows it


# =========================================================================== protos
class SaverDef:
    """The saver_pb2.SaverDef fields: which tensors and ops save and restore, and the policy."""

    LEGACY, V1, V2 = 0, 1, 2
    _FIELDS = ("filename_tensor_name", "save_tensor_name", "restore_op_name", "max_to_keep", "sharded",
               "keep_checkpoint_every_n_hours", "version")
    _DEFAULTS = {"filename_tensor_name": "", "save_tensor_name": "", "restore_op_name": "", "max_to_keep": 0,
                 "sharded": False, "keep_checkpoint_every_n_hours": 0.0, "version": 0}

    class CheckpointFormatVersion:
        LEGACY, V1, V2 = 0, 1, 2

    def __init__(self, **fields):
        for k, v in self._DEFAULTS.items():
            setattr(self, k, fields.pop(k, v))
        if fields:
            raise ValueError("Protocol message SaverDef has no %r field." % sorted(fields)[0])

    def _as_dict(self):
        return {k: getattr(self, k) for k in self._FIELDS if getattr(self, k) != self._DEFAULTS[k]}

    def SerializeToString(self):  # noqa: N802 - protobuf's name
        return proto.encode(proto.SAVER_DEF, self._as_dict())

    @classmethod
    def FromString(cls, data):  # noqa: N802 - protobuf's name
        try:
            return cls(**proto.decode(proto.SAVER_DEF, data))
        except proto.ProtoError as e:
            raise errors.DataLossError(None, None, "Unable to parse SaverDef: %s" % e) from None

    def __eq__(self, other):
        return isinstance(other, SaverDef) and self._as_dict() == other._as_dict()

    def __repr__(self):
        text = _text_format(self._as_dict(), self._FIELDS)
        return text.replace("version: %d\n" % self.version, "version: %s\n" % ("LEGACY", "V1", "V2")[self.version]) \
            if self.version in (0, 1, 2) else text


class CheckpointState:
    """The checkpoint_state.proto message kept in a directory's `checkpoint` file."""

    _FIELDS = ("model_checkpoint_path", "all_model_checkpoint_paths", "all_model_checkpoint_timestamps",
               "last_preserved_timestamp")

    def __init__(self, model_checkpoint_path="", all_model_checkpoint_paths=None,
                 all_model_checkpoint_timestamps=None, last_preserved_timestamp=0.0):
        self.model_checkpoint_path = model_checkpoint_path
        self.all_model_checkpoint_paths = list(all_model_checkpoint_paths or [])
        self.all_model_checkpoint_timestamps = list(all_model_checkpoint_timestamps or [])
        self.last_preserved_timestamp = last_preserved_timestamp

    def _as_dict(self):
        return {k: getattr(self, k) for k in self._FIELDS if getattr(self, k)}

    def __eq__(self, other):
        return isinstance(other, CheckpointState) and self._as_dict() == other._as_dict()

    def __str__(self):
        return _text_format(self._as_dict(), self._FIELDS)

    __repr__ = __str__


# ---- protobuf text format (the `checkpoint` file is one), with TF's C-style escapes
def _c_escape(s):
    out = []
    for b in s.encode("utf-8"):
        c = {0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t", 0x22: '\\"', 0x27: "\\'", 0x5C: "\\\\"}.get(b)
        if c is None:
            c = chr(b) if 0x20 <= b < 0x7F else "\\%03o" % b
        out.append(c)
    return "".join(out)


def _format_scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return '"%s"' % _c_escape(v)
    if isinstance(v, float):
        return repr(v)  # 1500000000.0, inf, nan: what protobuf's Python text format writes
    return str(v)


def _text_format(values, order):
    lines = []
    for k in order:
        if k not in values:
            continue
        v = values[k]
        for item in (v if isinstance(v, list) else [v]):
            lines.append("%s: %s" % (k, _format_scalar(item)))
    return "".join(line + "\n" for line in lines)


class _ParseError(ValueError):
    pass


_TOKEN = re.compile(r"""\s*(?:\#[^\n]*(?:\n|$)\s*)*(?:
    (?P<ident>[A-Za-z_][A-Za-z0-9_]*) |
    (?P<colon>:) |
    (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*') |
    (?P<number>[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|inf|nan)[fF]?)
    )""", re.VERBOSE)
_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]{1,2})|(.))", re.DOTALL)


def _c_unescape(body):
    raw = bytearray()
    pos = 0
    for m in _ESCAPE.finditer(body):
        raw += body[pos:m.start()].encode("utf-8")
        if m.group(1):
            raw.append(int(m.group(1), 8) & 0xFF)
        elif m.group(2):
            raw.append(int(m.group(2), 16))
        else:
            c = m.group(3)
            simple = {"n": 10, "r": 13, "t": 9, "a": 7, "b": 8, "f": 12, "v": 11, "?": 63}
            raw += bytes([simple[c]]) if c in simple else c.encode("utf-8")
        pos = m.end()
    raw += body[pos:].encode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _ParseError("string is not valid UTF-8") from None


def _parse_checkpoint_state(text):
    """A CheckpointState from its text format; _ParseError on anything else."""
    kinds = {"model_checkpoint_path": "string", "all_model_checkpoint_paths": "strings",
             "all_model_checkpoint_timestamps": "numbers", "last_preserved_timestamp": "number"}
    values = {"all_model_checkpoint_paths": [], "all_model_checkpoint_timestamps": []}
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or not m.group("ident"):
            raise _ParseError("Expected identifier at offset %d" % pos)
        field = m.group("ident")
        if field not in kinds:
            raise _ParseError('Message type "tensorflow.CheckpointState" has no field named "%s".' % field)
        pos = m.end()
        m = _TOKEN.match(text, pos)
        if not m or not m.group("colon"):
            raise _ParseError('Expected ":" after %s' % field)
        pos = m.end()
        m = _TOKEN.match(text, pos)
        kind = kinds[field]
        if kind in ("string", "strings"):
            if not m or not m.group("string"):
                raise _ParseError("Expected string for %s" % field)
            value = ""
            while m and m.group("string"):  # adjacent strings concatenate
                value += _c_unescape(m.group("string")[1:-1])
                pos = m.end()
                m = _TOKEN.match(text, pos)
        else:
            if not m or not m.group("number"):
                raise _ParseError("Expected number for %s" % field)
            value = float(m.group("number").rstrip("fF"))
            pos = m.end()
        if kind in ("strings", "numbers"):
            values[field].append(value)
        else:
            values[field] = value
    return CheckpointState(**values)


# =========================================================================== checkpoint management
def _checkpoint_filename(save_dir, latest_filename):
    return os.path.join(save_dir, latest_filename or "checkpoint")


def meta_graph_filename(checkpoint_filename, meta_graph_suffix="meta"):
    """'model-100.meta' for 'model-100' (a sharded 'model-100-?????-of-00002' loses its pattern)."""
    basename = re.sub(r"-[\d\?]+-of-\d+$", "", checkpoint_filename)
    return ".".join([basename, meta_graph_suffix])


def _atomic_write(path, data):
    """Write `data` to `path` via a temporary file and a rename: readers see the old or the new file."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    tmp = "%s.tmp%d" % (path, random.getrandbits(63))
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.remove(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise tensor_bundle._os_error(e, path, "Failed to write") from None
        raise


def generate_checkpoint_state_proto(save_dir, model_checkpoint_path, all_model_checkpoint_paths=None,
                                    all_model_checkpoint_timestamps=None, last_preserved_timestamp=None):
    """The CheckpointState for `save_dir`; with a relative `save_dir`, relative paths are made
    relative to it (TF's rule)."""
    if all_model_checkpoint_timestamps is None:
        all_model_checkpoint_timestamps = []
    if all_model_checkpoint_paths is None:
        all_model_checkpoint_paths = []
    all_model_checkpoint_paths = list(all_model_checkpoint_paths)
    if not all_model_checkpoint_paths or all_model_checkpoint_paths[-1] != model_checkpoint_path:
        all_model_checkpoint_paths.append(model_checkpoint_path)
    if all_model_checkpoint_timestamps and len(all_model_checkpoint_timestamps) != len(all_model_checkpoint_paths):
        raise ValueError("Checkpoint timestamps, if provided, must match checkpoint paths (got paths %s and "
                         "timestamps %s)" % (all_model_checkpoint_paths, all_model_checkpoint_timestamps))
    if not os.path.isabs(save_dir):
        if not os.path.isabs(model_checkpoint_path):
            model_checkpoint_path = os.path.relpath(model_checkpoint_path, save_dir)
        all_model_checkpoint_paths = [p if os.path.isabs(p) else os.path.relpath(p, save_dir)
                                      for p in all_model_checkpoint_paths]
    return CheckpointState(model_checkpoint_path, all_model_checkpoint_paths, all_model_checkpoint_timestamps,
                           last_preserved_timestamp or 0.0)


def update_checkpoint_state(save_dir, model_checkpoint_path, all_model_checkpoint_paths=None,
                            latest_filename=None, all_model_checkpoint_timestamps=None,
                            last_preserved_timestamp=None, save_relative_paths=False):
    """Write the `checkpoint` state file of `save_dir` (atomically): the latest checkpoint and the
    list of kept ones. With save_relative_paths, absolute paths are stored relative to save_dir."""
    if save_relative_paths:
        def rel(p):
            return os.path.relpath(p, save_dir) if os.path.isabs(p) else p
        model_checkpoint_path = rel(model_checkpoint_path)
        all_model_checkpoint_paths = [rel(p) for p in (all_model_checkpoint_paths or [])]
    ckpt = generate_checkpoint_state_proto(save_dir, model_checkpoint_path, all_model_checkpoint_paths,
                                           all_model_checkpoint_timestamps, last_preserved_timestamp)
    coord = _checkpoint_filename(save_dir, latest_filename)
    if coord == ckpt.model_checkpoint_path:
        raise RuntimeError("Save path '%s' conflicts with path used for checkpoint state.  Please use a different "
                           "save path." % model_checkpoint_path)
    _atomic_write(coord, str(ckpt))


def get_checkpoint_state(checkpoint_dir, latest_filename=None):
    """The CheckpointState in `checkpoint_dir`'s `checkpoint` file (paths joined to the directory),
    or None when there is no readable one."""
    checkpoint_dir = os.fspath(checkpoint_dir)
    path = _checkpoint_filename(checkpoint_dir, latest_filename)
    if not os.path.isfile(path):
        return None
    try:
        with open(path, "rb") as f:
            text = f.read(1 << 24).decode("utf-8")
        ckpt = _parse_checkpoint_state(text)
    except (OSError, UnicodeDecodeError, _ParseError) as e:
        _log().warning("%s: %s", type(e).__name__, e)
        _log().warning("%s: Checkpoint ignored", path)
        return None
    if not ckpt.model_checkpoint_path:
        raise ValueError("Invalid checkpoint state loaded from " + checkpoint_dir)
    if not os.path.isabs(ckpt.model_checkpoint_path):
        ckpt.model_checkpoint_path = os.path.join(checkpoint_dir, ckpt.model_checkpoint_path)
    ckpt.all_model_checkpoint_paths = [p if os.path.isabs(p) else os.path.join(checkpoint_dir, p)
                                       for p in ckpt.all_model_checkpoint_paths]
    return ckpt


def _matching(pattern):
    return tensor_bundle._matching_files(pattern)


def checkpoint_exists(checkpoint_prefix):
    """Whether a V2 (`<prefix>.index`) or V1 (a file matching `prefix`) checkpoint is there."""
    checkpoint_prefix = os.fspath(checkpoint_prefix)
    if isinstance(checkpoint_prefix, bytes):
        checkpoint_prefix = checkpoint_prefix.decode("utf-8")
    return bool(_matching(checkpoint_prefix + ".index") or _matching(checkpoint_prefix))


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """The prefix of the newest checkpoint recorded in `checkpoint_dir` (e.g. '/tmp/run/model-300'),
    or None when there is no state file or its checkpoint's files are gone."""
    ckpt = get_checkpoint_state(checkpoint_dir, latest_filename)
    if ckpt and ckpt.model_checkpoint_path:
        if checkpoint_exists(ckpt.model_checkpoint_path):
            return ckpt.model_checkpoint_path
        _log().error("Couldn't match files for checkpoint %s", ckpt.model_checkpoint_path)
    return None


def get_checkpoint_mtimes(checkpoint_prefixes):
    """The modification times of the checkpoints' index (or V1) files, for those that exist."""
    times = []
    for prefix in checkpoint_prefixes:
        for pattern in (prefix + ".index", prefix):
            found = _matching(pattern)
            if found:
                times.append(os.path.getmtime(found[0]))
                break
    return times


def remove_checkpoint(checkpoint_prefix, checkpoint_format_version=SaverDef.V2, meta_graph_suffix="meta"):
    """Delete a checkpoint's files (index, data shards, meta graph); missing files are fine."""
    paths = [meta_graph_filename(checkpoint_prefix, meta_graph_suffix)]
    if checkpoint_format_version == SaverDef.V2:
        paths.append(checkpoint_prefix + ".index")
        paths += glob.glob(glob.escape(checkpoint_prefix) + ".data-?????-of-?????")
    else:
        paths.append(checkpoint_prefix)
    for p in paths:
        try:
            os.remove(p)
        except FileNotFoundError:
            pass


# =========================================================================== Saver
def _is_variable(x):
    return hasattr(x, "_ref") and hasattr(x, "_initializer_op")


def _ref_tensor(x):
    """The variable storage (ref) tensor of a Variable or of a variable's ref tensor; None otherwise."""
    t = x._ref() if _is_variable(x) else x
    if isinstance(t, Tensor) and t.dtype.is_ref_dtype and t.op.type in ("VariableV2", "Variable"):
        return t
    return None


def _op_list_to_dict(var_list):
    """name -> variable for a list of variables (TF's op_list_to_dict), sorted by name."""
    if not isinstance(var_list, (list, tuple, set)):
        raise TypeError("Variables to save should be passed in a dict or a list: %s" % (var_list,))
    out = {}
    for var in sorted(var_list, key=lambda v: str(getattr(v, "name", v))):
        ref = _ref_tensor(var)
        if ref is None:
            raise TypeError("Variable to save is not a Variable: %s" % (var,))
        name = ref.op.name
        if name in out:
            raise ValueError("At least two variables have the same name: %s" % name)
        out[name] = var
    return out


def _saveables(names_to_variables):
    """[(checkpoint name, ref tensor)] sorted by name; TF's checks on names and duplicates."""
    out = []
    seen = set()
    for name in sorted(names_to_variables, key=str):
        var = names_to_variables[name]
        if not isinstance(name, str):
            raise TypeError("names_to_saveables must be a dict mapping string names to checkpointable "
                            "operations. Name is not a string: %s" % (name,))
        ref = _ref_tensor(var)
        if ref is None:
            raise TypeError("names_to_saveables must be a dict mapping string names to Tensors/Variables. Not a "
                            "variable: %s" % (var,))
        if ref.op in seen:
            raise ValueError("The same saveable will be restored with two names: %s" % name)
        seen.add(ref.op)
        out.append((name, ref))
    return out


def _wrap_restore_error(err, extra):
    msg = ("Restoring from checkpoint failed. This is most likely due to %s from the checkpoint. Please ensure that "
           "you have not altered the graph expected based on the checkpoint. Original error:\n\n%s"
           % (extra, err.message))
    return type(err)(err.node_def, err.op, msg)


class Saver:
    """Saves and restores variables as TensorFlow checkpoints.

    >>> saver = tf.train.Saver(max_to_keep=3)
    >>> path = saver.save(sess, "/tmp/run/model", global_step=100)   # '/tmp/run/model-100'
    >>> saver.restore(sess, tf.train.latest_checkpoint("/tmp/run"))

    var_list: None (all global variables), a list of variables, or a dict {checkpoint name: variable}.
    `save` writes `<path>.index`, `<path>.data-00000-of-00001` and `<path>.meta`, records the
    checkpoint in the directory's `checkpoint` file and deletes checkpoints beyond `max_to_keep`
    (those older than `keep_checkpoint_every_n_hours` hours are kept, one per period).
    """

    def __init__(self, var_list=None, reshape=False, sharded=False, max_to_keep=5,
                 keep_checkpoint_every_n_hours=10000.0, name=None, restore_sequentially=False, saver_def=None,
                 builder=None, defer_build=False, allow_empty=False, write_version=SaverDef.V2,
                 pad_step_number=False, save_relative_paths=False, filename=None):
        if defer_build and var_list:
            raise ValueError("If `var_list` is provided then build cannot be deferred. Either set defer_build=False "
                             "or var_list=None.")
        if write_version not in (SaverDef.V1, SaverDef.V2):
            raise ValueError("Unknown checkpoint format version %s; use tf.train.SaverDef.V2" % (write_version,))
        if write_version == SaverDef.V1 and saver_def is None:
            raise NotImplementedError("tfmini writes V2 checkpoints (TensorFlow's default since 1.0); it reads V1 "
                                      "files but does not write them. Leave write_version at tf.train.SaverDef.V2.")
        self._var_list = var_list
        self._reshape = reshape
        self._sharded = sharded
        self._max_to_keep = max_to_keep
        self._keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self._name = name
        self._restore_sequentially = restore_sequentially
        self.saver_def = saver_def
        self._builder = builder
        self._is_built = False
        self._allow_empty = allow_empty
        self._is_empty = None
        self._write_version = write_version
        self._pad_step_number = pad_step_number
        self._filename = filename
        self._last_checkpoints = []
        self._checkpoints_to_be_deleted = []
        self._save_relative_paths = save_relative_paths
        self._graph = get_default_graph()
        if not defer_build:
            self.build()
        if self.saver_def:
            self._check_saver_def()
            self._write_version = self.saver_def.version

    # ---- building the graph
    def build(self):
        """Add the save/restore ops to the default graph (called by __init__ unless defer_build)."""
        self._graph = get_default_graph()
        self._build(self._filename, build_save=True, build_restore=True)

    def _build(self, checkpoint_path, build_save, build_restore):
        if self._is_built:
            return
        self._is_built = True
        if not self.saver_def:
            if self._var_list is None:
                self._var_list = (self._graph.get_collection(GraphKeys.GLOBAL_VARIABLES)
                                  + self._graph.get_collection(GraphKeys.SAVEABLE_OBJECTS))
            if not self._var_list:
                if self._allow_empty:
                    self._is_empty = True
                    return
                raise ValueError("No variables to save")
            self._is_empty = False
            self.saver_def = self._build_internal(checkpoint_path, build_save, build_restore)
        self._check_saver_def()
        self._next_checkpoint_time = time.time() + self.saver_def.keep_checkpoint_every_n_hours * 3600

    def _build_internal(self, filename, build_save, build_restore):
        var_list = self._var_list
        names = var_list if isinstance(var_list, dict) else _op_list_to_dict(var_list)
        saveables = _saveables(names)
        max_to_keep = self._max_to_keep or 0
        with self._graph.as_default(), ops.name_scope(self._name, "save", [ref for _, ref in saveables]):
            filename_tensor = array_ops.placeholder_with_default(filename or "model", shape=(), name="filename")
            # the name "Const" is TF's, kept for checkpoints' sake
            filename_tensor = array_ops.placeholder_with_default(filename_tensor, shape=(), name="Const")
            save_tensor = restore_op = None
            if build_save:
                save = io_ops.save_v2(filename_tensor, [n for n, _ in saveables], [""] * len(saveables),
                                      [ref for _, ref in saveables])
                save_tensor = control_flow_ops.with_dependencies([save], filename_tensor)
            if build_restore:
                with ops.device("/device:CPU:0"):
                    restored = io_ops.restore_v2(filename_tensor, [n for n, _ in saveables],
                                                 [""] * len(saveables), [ref.dtype.base_dtype for _, ref in saveables])
                assigns = []
                for (_, ref), value in zip(saveables, restored):
                    if self._reshape:
                        value = array_ops.reshape(value, array_ops.shape(ref))
                        assigns.append(state_ops.assign(ref, value, validate_shape=False))
                    else:
                        assigns.append(state_ops.assign(ref, value, validate_shape=ref.shape.is_fully_defined()))
                restore_op = control_flow_ops.group(*assigns, name="restore_all")
        return SaverDef(filename_tensor_name=filename_tensor.name,
                        save_tensor_name=save_tensor.name if save_tensor is not None else "",
                        restore_op_name=restore_op.name if restore_op is not None else "",
                        max_to_keep=max_to_keep, sharded=bool(self._sharded),
                        keep_checkpoint_every_n_hours=float(self._keep_checkpoint_every_n_hours),
                        version=self._write_version)

    def _check_saver_def(self):
        if not isinstance(self.saver_def, SaverDef):
            raise ValueError("saver_def must be a saver_pb2.SaverDef: %s" % (self.saver_def,))
        if not self.saver_def.save_tensor_name and not self.saver_def.restore_op_name:
            raise ValueError("saver_def must specify the save_tensor_name: %s" % (self.saver_def,))

    # ---- bookkeeping of kept checkpoints
    def _checkpoint_filename(self, p):
        name, _ = p
        return name

    def _record_last_checkpoint(self, latest_save_path):
        if not self.saver_def.max_to_keep:
            return
        self._last_checkpoints = [p for p in self._last_checkpoints if p[0] != latest_save_path]
        self._last_checkpoints.append((latest_save_path, time.time()))
        if len(self._last_checkpoints) > self.saver_def.max_to_keep:
            self._checkpoints_to_be_deleted.append(self._last_checkpoints.pop(0))

    def _maybe_delete_old_checkpoints(self, meta_graph_suffix="meta"):
        if not self._checkpoints_to_be_deleted:
            return
        p = self._checkpoints_to_be_deleted.pop(0)
        if p[1] > self._next_checkpoint_time:  # keep one checkpoint per keep_checkpoint_every_n_hours
            self._next_checkpoint_time += self.saver_def.keep_checkpoint_every_n_hours * 3600
            return
        try:
            remove_checkpoint(p[0], self.saver_def.version, meta_graph_suffix)
        except Exception as e:  # noqa: BLE001 - as TF: a failed cleanup never fails a save
            _log().warning("Ignoring: %s", e)

    @property
    def last_checkpoints(self):
        """The kept checkpoints, oldest first (the ones `max_to_keep` has not deleted)."""
        return [p[0] for p in self._last_checkpoints]

    def set_last_checkpoints(self, last_checkpoints):
        if not isinstance(last_checkpoints, list):
            raise TypeError("last_checkpoints must be a list: %r" % (last_checkpoints,))
        self._last_checkpoints = [(s, float("inf")) for s in last_checkpoints]

    def set_last_checkpoints_with_time(self, last_checkpoints_with_time):
        if not isinstance(last_checkpoints_with_time, list):
            raise TypeError("last_checkpoints_with_time must be a list: %r" % (last_checkpoints_with_time,))
        self._last_checkpoints = list(last_checkpoints_with_time)

    def recover_last_checkpoints(self, checkpoint_paths):
        """Take up checkpoints a previous run kept (e.g. get_checkpoint_state(d).all_model_checkpoint_paths)."""
        with_times = []
        for path in checkpoint_paths:
            mtime = get_checkpoint_mtimes([path])
            if mtime:
                with_times.append((path, mtime[0]))
        self.set_last_checkpoints_with_time(with_times)

    def as_saver_def(self):
        return self.saver_def

    def to_proto(self, export_scope=None):
        return self.saver_def

    # ---- save / restore
    def save(self, sess, save_path, global_step=None, latest_filename=None, meta_graph_suffix="meta",
             write_meta_graph=True, write_state=True, strip_default_attrs=False, save_debug_info=False):
        """Save the variables' values in `sess` under `save_path` (with `-<global_step>` appended when
        given); returns the checkpoint prefix written, or None for an empty Saver.

        The state file goes in the directory of `save_path` (so `save(sess, 'run1', global_step=100)`
        writes `run1-100.*` beside a folder `run1`, as in TF).
        """
        if not self._is_built:
            raise RuntimeError("`build()` should be called before save if defer_build==True")
        if latest_filename is None:
            latest_filename = "checkpoint"
        if os.path.split(latest_filename)[0]:
            raise ValueError("'latest_filename' must not contain path components")
        save_path = os.fspath(save_path)
        if isinstance(save_path, bytes):
            save_path = save_path.decode("utf-8")
        if global_step is not None:
            if isinstance(global_step, (int, np.integer)):
                global_step = int(global_step)
            else:  # a tensor or variable: its value in `sess`
                global_step = training_util.global_step(sess, global_step)
            if self._pad_step_number:
                checkpoint_file = "%s-%s" % (save_path, "{:08d}".format(global_step))
            else:
                checkpoint_file = "%s-%d" % (save_path, global_step)
        else:
            checkpoint_file = save_path
            if os.path.basename(save_path) == latest_filename and not self._sharded:
                raise ValueError("'latest_filename' collides with 'save_path': '%s' and '%s'"
                                 % (latest_filename, save_path))
        if not hasattr(sess, "run") or not hasattr(sess, "graph"):
            raise TypeError("'sess' must be a Session; %s" % (sess,))
        save_path_parent = os.path.dirname(save_path)
        model_checkpoint_path = None
        if not self._is_empty:
            try:
                model_checkpoint_path = sess.run(self.saver_def.save_tensor_name,
                                                 {self.saver_def.filename_tensor_name: checkpoint_file})
                if isinstance(model_checkpoint_path, bytes):
                    model_checkpoint_path = model_checkpoint_path.decode("utf-8")
                model_checkpoint_path = str(model_checkpoint_path)
                if write_state:
                    self._record_last_checkpoint(model_checkpoint_path)
                    update_checkpoint_state(save_path_parent, model_checkpoint_path, self.last_checkpoints,
                                            latest_filename, save_relative_paths=self._save_relative_paths)
                    self._maybe_delete_old_checkpoints(meta_graph_suffix)
            except (errors.FailedPreconditionError, errors.NotFoundError) as exc:
                if not os.path.isdir(save_path_parent or "."):
                    raise ValueError("Parent directory of {} doesn't exist, can't save.".format(save_path)) from None
                raise exc
        if write_meta_graph:
            meta_path = meta_graph_filename(checkpoint_file, meta_graph_suffix)
            self.export_meta_graph(meta_path, graph=sess.graph)
        return model_checkpoint_path

    def restore(self, sess, save_path):
        """Load the variables' values from the checkpoint `save_path` (a prefix: V2, or a V1 file).

        ValueError when nothing is there; NotFoundError when a variable is missing from the
        checkpoint; InvalidArgumentError when a shape or dtype differs (both are named).
        """
        if self._is_empty:
            return
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        save_path = os.fspath(save_path)
        if isinstance(save_path, bytes):
            save_path = save_path.decode("utf-8")
        if not checkpoint_exists(save_path):
            raise ValueError("The passed save_path is not a valid checkpoint: " + save_path)
        _log().info("Restoring parameters from %s", save_path)
        try:
            sess.run(self.saver_def.restore_op_name, {self.saver_def.filename_tensor_name: save_path})
        except errors.NotFoundError as err:
            raise _wrap_restore_error(err, "a Variable name or other graph key that is missing") from None
        except errors.InvalidArgumentError as err:
            raise _wrap_restore_error(err, "a mismatch between the current graph and the graph") from None

    def export_meta_graph(self, filename=None, collection_list=None, as_text=False, export_scope=None,
                          clear_devices=False, clear_extraneous_savers=False, strip_default_attrs=False,
                          save_debug_info=False, graph=None):
        """Write the graph, this Saver's SaverDef and the collections as a MetaGraphDef (text format
        with as_text=True, which needs protobuf); returns the MetaGraphDef (its bytes without
        protobuf). See tfmini/framework/meta_graph.py."""
        from ..framework.meta_graph import export_meta_graph
        return export_meta_graph(filename, saver_def=self.saver_def, collection_list=collection_list,
                                 as_text=as_text, graph=graph if graph is not None else self._graph,
                                 export_scope=export_scope, clear_devices=clear_devices)
