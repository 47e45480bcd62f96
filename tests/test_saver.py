"""tf.train.Saver and checkpoint management: the SaveV2/RestoreV2 op table, save/restore round trips,
the lecture's file layout, max_to_keep, the `checkpoint` state file, TensorFlow-written fixtures
(V2 and V1) restored exactly, tfmini's files byte-identical to TensorFlow's, reading helpers,
init_from_checkpoint, error messages, and a process killed mid-save."""
import atexit
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import numpy as np
import pytest

import tfmini as tf
from conftest import REPO, SHARED, load_generator
from optable import Row, rows_test
from tfmini.io import proto, tensor_bundle

FIXTURE = SHARED / "fixtures" / "tf_checkpoint"
FIXTURE_V1 = SHARED / "fixtures" / "tf_checkpoint_v1"
# uint32/uint64 variables: TF's checkpoint of them, what TF read from tfmini's (tests/data/gen/uint_dtypes.py)
UINT = json.loads((REPO / "tests" / "data" / "tf_uint_dtypes.json").read_text())
UINT_GEN = load_generator("uint_dtypes")
X = np.array([[1.5, -2.0, 3.0], [4.0, -5.5, 6.0]], np.float32)
XI = np.array([[7, -7, 3], [-8, 9, 0]], np.int64)

_ROWS_DIR = tempfile.mkdtemp(prefix="tfmini_saver_rows_")
atexit.register(shutil.rmtree, _ROWS_DIR, True)


def _expected(directory):
    with np.load(directory / "expected_values.npz", allow_pickle=False) as z:
        return {k.replace("__", "/"): z[k] for k in z.files}


# =========================================================================== op table
def _save_row(tf):
    prefix = os.path.join(_ROWS_DIR, "save_row")
    v = tf.Variable(X, name="v")
    from tfmini.ops import io_ops
    save = io_ops.save_v2(tf.constant(prefix), ["v", "c"], ["", ""], [v, tf.constant(XI)])
    return tf.with_dependencies([save], tf.constant(prefix))


def _restore_row(tf, names, arrays, dtypes, index=0):
    prefix = os.path.join(_ROWS_DIR, "restore_row_%s" % "_".join(names))
    tensor_bundle.write_bundle(prefix, list(zip(names, arrays)))
    from tfmini.ops import io_ops
    return io_ops.restore_v2(prefix, names, [""] * len(names), dtypes)[index]


def _restore_unknown_prefix(tf):
    prefix = os.path.join(_ROWS_DIR, "restore_fed")
    tensor_bundle.write_bundle(prefix, [("x", X)])
    from tfmini.ops import io_ops
    p = tf.placeholder(tf.string, [])
    return io_ops.restore_v2(p, ["x"], [""], [tf.float32])[0], {p: prefix}


CASES = [
    Row("SaveV2", _save_row, os.path.join(_ROWS_DIR, "save_row").encode()),
    Row("RestoreV2", lambda tf: _restore_row(tf, ["w"], [X], [tf.float32]), X),
    Row("RestoreV2", lambda tf: _restore_row(tf, ["a", "b"], [X, XI], [tf.float32, tf.int64], 1), XI,
        id="RestoreV2-two-outputs"),
    Row("RestoreV2", _restore_unknown_prefix, X, id="RestoreV2-fed-prefix"),
]
test_row = rows_test(CASES)


def test_save_v2_checks_shapes_at_build_time():
    from tfmini.ops import io_ops
    with pytest.raises(ValueError, match="Dimension must be 1 but is 2 for 'SaveV2'"):
        io_ops.save_v2("p", ["a", "b"], ["", ""], [tf.constant(1.0)])
    with pytest.raises(ValueError, match="Shape must be rank 0 but is rank 1"):
        io_ops.restore_v2(["p", "q"], ["a"], [""], [tf.float32])


def test_save_v2_refuses_slices():
    from tfmini.ops import io_ops
    op = io_ops.save_v2(os.path.join(_ROWS_DIR, "sl"), ["a"], ["4 0,2"], [tf.zeros([4])])
    with tf.Session() as sess:
        with pytest.raises(tf.errors.UnimplementedError, match="saves and restores whole tensors only"):
            sess.run(op)


# =========================================================================== round trips
def _model():
    with tf.variable_scope("net"):
        w = tf.get_variable("w", [2, 3], initializer=tf.constant_initializer(np.arange(6).reshape(2, 3)))
        b = tf.get_variable("b", [3], initializer=tf.zeros_initializer())
    return w, b


def test_save_restore_round_trip_in_a_new_graph(tmp_path):
    w, b = _model()
    upd = tf.assign_add(b, [1.0, 2.0, 3.0])
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(upd)
        path = saver.save(sess, str(tmp_path / "model"), global_step=100)
    assert path == str(tmp_path / "model-100")
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "model-100.data-00000-of-00001", "model-100.index",
                                            "model-100.meta"]
    tf.reset_default_graph()
    w2, b2 = _model()
    saver2 = tf.train.Saver()
    with tf.Session() as sess:
        saver2.restore(sess, tf.train.latest_checkpoint(str(tmp_path)))  # no initializer run: restore fills them
        wv, bv = sess.run([w2, b2])
    np.testing.assert_array_equal(wv, np.arange(6, dtype=np.float32).reshape(2, 3))
    np.testing.assert_array_equal(bv, [1.0, 2.0, 3.0])


def test_saver_graph_matches_tensorflows():
    """The save/restore subgraph has TF's names, types and inputs (compared with the fixture's .meta)."""
    want = _expected(FIXTURE)
    for name in sorted(want):
        tf.Variable(np.zeros_like(want[name]), name=name)
    saver = tf.train.Saver()
    meta = proto.decode(proto.META_GRAPH_DEF, (FIXTURE / "model.ckpt-3.meta").read_bytes())
    theirs = {n["name"]: (n["op"], n.get("input", [])) for n in meta["graph_def"]["node"]
              if n["name"].startswith("save/")}
    ours = {op.name: (op.type, [t._as_node_def_input() for t in op.inputs] + ["^" + c.name for c in op.control_inputs])
            for op in tf.get_default_graph().get_operations() if op.name.startswith("save/")}
    assert ours == theirs
    sd = saver.saver_def
    assert (sd.filename_tensor_name, sd.save_tensor_name, sd.restore_op_name, sd.max_to_keep,
            sd.keep_checkpoint_every_n_hours, sd.version) == ("save/Const:0", "save/control_dependency:0",
                                                              "save/restore_all", 5, 10000.0, 2)
    assert proto.decode(proto.SAVER_DEF, sd.SerializeToString()) == meta["saver_def"]


def test_tfmini_checkpoint_is_byte_identical_to_tensorflows(tmp_path, monkeypatch):
    """What TF can read: the same variables saved by tfmini give the fixture's exact .index, data and
    `checkpoint` bytes (TensorFlow itself is not needed to run this test)."""
    want = _expected(FIXTURE)
    variables = [tf.Variable(want[name], name=name) for name in sorted(want)]
    saver = tf.train.Saver()
    monkeypatch.chdir(tmp_path)
    with tf.Session() as sess:
        sess.run(tf.variables_initializer(variables))
        assert saver.save(sess, "model.ckpt", global_step=3) == "model.ckpt-3"
    for name in ("model.ckpt-3.index", "model.ckpt-3.data-00000-of-00001", "checkpoint"):
        assert (tmp_path / name).read_bytes() == (FIXTURE / name).read_bytes(), name


def test_meta_file_is_a_metagraphdef(tmp_path):
    w, b = _model()
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saver.save(sess, str(tmp_path / "m"))
    meta = proto.decode(proto.META_GRAPH_DEF, (tmp_path / "m.meta").read_bytes())
    nodes = {n["name"]: n for n in meta["graph_def"]["node"]}
    assert nodes["net/w"]["op"] == "VariableV2"
    attrs = {a["key"]: a["value"] for a in nodes["net/w"]["attr"]}
    assert attrs["dtype"] == {"type": 1} and attrs["shape"] == {"shape": {"dim": [{"size": 2}, {"size": 3}]}}
    assert nodes["save/SaveV2"]["input"] == ["save/Const", "save/SaveV2/tensor_names", "save/SaveV2/shape_and_slices",
                                             "net/b", "net/w"]
    assert meta["saver_def"]["restore_op_name"] == "save/restore_all"
    colls = {c["key"]: c["value"] for c in meta["collection_def"]}
    vdefs = [proto.decode(proto.VARIABLE_DEF, v) for v in colls["trainable_variables"]["bytes_list"]["value"]]
    assert vdefs[0] == {"variable_name": "net/w:0", "initializer_name": "net/w/Assign", "snapshot_name": "net/w/read:0",
                        "initial_value_name": vdefs[0]["initial_value_name"], "trainable": True}


def test_lecture_layout_and_quirk(tmp_path):
    """save(sess, dirname, global_step=n) writes dirname-n.* beside the folder dirname."""
    v = tf.Variable(tf.constant([1.0, 2.0]), name="v")
    inc = tf.assign_add(v, [1.0, 1.0])
    saver = tf.train.Saver(max_to_keep=30)
    dirname = tmp_path / "run1"
    dirname.mkdir()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(3):
            sess.run(inc)
            saver.save(sess, str(dirname), global_step=step + 1)
        assert os.listdir(dirname) == []
        assert tf.train.latest_checkpoint(str(dirname)) is None
        assert tf.train.latest_checkpoint(str(tmp_path)) == str(tmp_path / "run1-3")
        assert saver.last_checkpoints == [str(tmp_path / ("run1-%d" % i)) for i in (1, 2, 3)]
        saver.restore(sess, str(tmp_path / "run1-1"))
        np.testing.assert_array_equal(sess.run(v), [2.0, 3.0])


def test_max_to_keep_deletes_old_checkpoints(tmp_path):
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver(max_to_keep=2)
    with tf.Session() as sess:
        sess.run(v.initializer)
        for step in range(1, 5):
            saver.save(sess, str(tmp_path / "m"), global_step=step)
    assert sorted(os.listdir(tmp_path)) == ["checkpoint"] + ["m-%d.%s" % (s, ext) for s in (3, 4)
                                                             for ext in ("data-00000-of-00001", "index", "meta")]
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state.model_checkpoint_path == str(tmp_path / "m-4")
    assert state.all_model_checkpoint_paths == [str(tmp_path / "m-3"), str(tmp_path / "m-4")]


def test_max_to_keep_none_keeps_everything(tmp_path):
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver(max_to_keep=None)
    with tf.Session() as sess:
        sess.run(v.initializer)
        for step in range(3):
            saver.save(sess, str(tmp_path / "m"), global_step=step, write_meta_graph=False)
    assert len([f for f in os.listdir(tmp_path) if f.endswith(".index")]) == 3
    assert saver.last_checkpoints == []
    assert tf.train.get_checkpoint_state(str(tmp_path)).all_model_checkpoint_paths == [str(tmp_path / "m-2")]


def test_keep_checkpoint_every_n_hours(tmp_path):
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver(max_to_keep=1, keep_checkpoint_every_n_hours=1e-7)  # a period of 0.36 ms
    with tf.Session() as sess:
        sess.run(v.initializer)
        for step in range(3):
            time.sleep(0.01)
            saver.save(sess, str(tmp_path / "m"), global_step=step, write_meta_graph=False)
    assert len([f for f in os.listdir(tmp_path) if f.endswith(".index")]) == 3  # older ones kept by the period


def test_global_step_from_a_variable_and_padding(tmp_path):
    gs = tf.train.get_or_create_global_step()
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver(pad_step_number=True)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(tf.assign(gs, 42))
        path = saver.save(sess, str(tmp_path / "m"), global_step=gs, write_meta_graph=False)
        assert path == str(tmp_path / "m-00000042")
        path = saver.save(sess, str(tmp_path / "m"), global_step=np.int64(7), write_meta_graph=False)
        assert path.endswith("m-00000007")
    assert tf.train.load_variable(path, "global_step:0") == 42
    assert v is not None


def test_var_list_dict_renames_and_subsets(tmp_path):
    a = tf.Variable(X, name="a")
    b = tf.Variable(XI, name="b")
    saver = tf.train.Saver({"renamed/a": a})
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saver.save(sess, str(tmp_path / "m"))
        assert tf.train.list_variables(str(tmp_path)) == [("renamed/a", [2, 3])]
        only_b = tf.train.Saver([b])
        only_b.save(sess, str(tmp_path / "b"))
    assert tf.train.list_variables(str(tmp_path / "b")) == [("b", [2, 3])]
    names = {op.name for op in tf.get_default_graph().get_operations()}
    assert "save_1/SaveV2" in names and "save_1/restore_all" in names  # a second Saver gets its own scope


def test_restore_reads_v1_files(tmp_path):
    want = _expected(FIXTURE_V1)
    variables = {n: tf.Variable(np.zeros_like(v), name=n) for n, v in want.items()}
    saver = tf.train.Saver()
    with tf.Session() as sess:
        saver.restore(sess, str(FIXTURE_V1 / "model_v1.ckpt"))
        got = sess.run(variables)
    for n, v in want.items():
        assert got[n].dtype == v.dtype
        np.testing.assert_array_equal(got[n], v, err_msg=n)


def test_tensorflow_v2_fixture_restores_exactly():
    """float16/32/64, int32/64 and bool, as real TensorFlow wrote them."""
    want = _expected(FIXTURE)
    variables = {n: tf.Variable(np.zeros_like(v), name=n) for n, v in want.items()}
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saver.restore(sess, tf.train.latest_checkpoint(str(FIXTURE)))
        got = sess.run(variables)
    assert {v.dtype.name for v in want.values()} >= {"float16", "float32", "float64", "int32", "int64", "bool"}
    for n, v in want.items():
        assert got[n].dtype == v.dtype and np.shape(got[n]) == v.shape, n
        np.testing.assert_array_equal(got[n], v, err_msg=n)


def _uint_values():
    return {k: np.array(v["value"], np.dtype(v["dtype"])) for k, v in UINT["checkpoint"].items()}


def test_tensorflow_uint32_uint64_checkpoint_restores_exactly():
    """uint32/uint64 variables (DT_UINT32/DT_UINT64 in the index) as real TensorFlow wrote them
    (tests/data/gen/uint_dtypes.py)."""
    want = _uint_values()
    variables = {n: tf.Variable(np.zeros_like(v), name=n) for n, v in want.items()}
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saver.restore(sess, str(REPO / "tests" / "data" / "tf_uint_ckpt" / "model.ckpt"))
        got = sess.run(variables)
    for n, v in want.items():
        assert got[n].dtype == v.dtype and got[n].tolist() == v.tolist(), n
    reader = tf.train.load_checkpoint(str(REPO / "tests" / "data" / "tf_uint_ckpt" / "model.ckpt"))
    assert reader.get_variable_to_dtype_map() == {n: tf.as_dtype(v.dtype) for n, v in want.items()}


def test_uint32_uint64_checkpoint_tensorflow_reads_back(tmp_path):
    """The bytes tfmini's Saver writes for uint32/uint64 variables are those TF's tf.train.load_checkpoint read
    (as the generator recorded), and TF read back the values and dtypes that were saved; restoring
    into a variable of another dtype names both, as TF's RestoreV2 does."""
    prefix = UINT_GEN._tfmini_checkpoint(str(tmp_path))
    for suffix, data in UINT["tfmini_files_hex"].items():
        assert open(prefix + suffix, "rb").read().hex() == data, suffix
    assert UINT["tf_reads_tfmini"] == UINT["checkpoint"]
    tf.reset_default_graph()
    tf.Variable(np.zeros([3], np.int64), name="u64")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="tensor_name = u64; expected dtype int64 does not equal restored dtype uint64"):
            saver.restore(sess, prefix)


def test_reshape_restores_into_another_shape(tmp_path):
    v = tf.Variable(X, name="v")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(v.initializer)
        saver.save(sess, str(tmp_path / "m"))
    tf.reset_default_graph()
    v = tf.Variable(np.zeros((3, 2), np.float32), name="v")
    saver = tf.train.Saver(reshape=True)
    with tf.Session() as sess:
        sess.run(v.initializer)
        saver.restore(sess, str(tmp_path / "m"))
        np.testing.assert_array_equal(sess.run(v), X.reshape(3, 2))


def test_empty_saver(tmp_path):
    with pytest.raises(ValueError, match="No variables to save"):
        tf.train.Saver()
    saver = tf.train.Saver(allow_empty=True)
    with tf.Session() as sess:
        assert saver.save(sess, str(tmp_path / "m"), write_meta_graph=False) is None
        assert saver.restore(sess, str(tmp_path / "m")) is None


def test_recover_and_remove_checkpoints(tmp_path):
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver(max_to_keep=2)
    with tf.Session() as sess:
        sess.run(v.initializer)
        for step in (1, 2):
            saver.save(sess, str(tmp_path / "m"), global_step=step)
        state = tf.train.get_checkpoint_state(str(tmp_path))
        again = tf.train.Saver(max_to_keep=2)  # a new run takes up the kept checkpoints
        again.recover_last_checkpoints(state.all_model_checkpoint_paths)
        assert again.last_checkpoints == [str(tmp_path / "m-1"), str(tmp_path / "m-2")]
        assert len(tf.train.get_checkpoint_mtimes(again.last_checkpoints)) == 2
        again.save(sess, str(tmp_path / "m"), global_step=3)  # so m-1 is now deleted
    assert not tf.train.checkpoint_exists(str(tmp_path / "m-1"))
    tf.train.remove_checkpoint(str(tmp_path / "m-2"))
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "m-3.data-00000-of-00001", "m-3.index", "m-3.meta"]


def test_saver_from_a_saver_def():
    v = tf.Variable(1.0, name="v")
    first = tf.train.Saver()
    sd = tf.train.SaverDef.FromString(first.saver_def.SerializeToString())
    assert sd == first.saver_def and "version: V2" in repr(sd)
    second = tf.train.Saver(saver_def=sd)
    assert second.as_saver_def() is sd
    assert second.export_meta_graph(as_text=True) is not None  # text files: tests/test_graph_def.py
    assert v is not None


# =========================================================================== errors
def _saved(tmp_path, **variables):
    vs = [tf.Variable(v, name=n) for n, v in variables.items()]
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saver.save(sess, str(tmp_path / "m"), write_meta_graph=False)
    tf.reset_default_graph()
    return vs


def test_restore_into_another_shape_names_both(tmp_path):
    _saved(tmp_path, w=X)
    tf.Variable(np.zeros((3, 2), np.float32), name="w")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="(?s)mismatch between the current graph and the graph from the checkpoint.*"
                                 "Assign requires shapes of both tensors to match. lhs shape= \\[3,2\\] "
                                 "rhs shape= \\[2,3\\].*save/Assign"):
            saver.restore(sess, str(tmp_path / "m"))


def test_restore_missing_key(tmp_path):
    _saved(tmp_path, w=X)
    tf.Variable(X, name="w")
    tf.Variable(1.0, name="extra")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.NotFoundError, match="(?s)a Variable name or other graph key that is missing.*"
                           "Key extra not found in checkpoint.*node save/RestoreV2"):
            saver.restore(sess, str(tmp_path / "m"))


def test_restore_other_dtype(tmp_path):
    _saved(tmp_path, w=X)
    tf.Variable(X.astype(np.float64), name="w")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="tensor_name = w; expected dtype double does not equal restored dtype float"):
            saver.restore(sess, str(tmp_path / "m"))


def test_restore_bad_paths(tmp_path):
    tf.Variable(1.0, name="w")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        with pytest.raises(ValueError, match="Can't load save_path when it is None."):
            saver.restore(sess, None)
        with pytest.raises(ValueError, match="The passed save_path is not a valid checkpoint: .*nothing"):
            saver.restore(sess, str(tmp_path / "nothing"))


def test_restore_damaged_checkpoint_is_data_loss(tmp_path):
    _saved(tmp_path, w=X)
    path = tmp_path / "m.data-00000-of-00001"
    data = bytearray(path.read_bytes())
    data[5] ^= 1
    path.write_bytes(bytes(data))
    tf.Variable(X, name="w")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.DataLossError, match="Checksum does not match for key w"):
            saver.restore(sess, str(tmp_path / "m"))


def test_saving_an_uninitialized_variable(tmp_path):
    tf.Variable(X, name="w")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="Attempting to use uninitialized value w"):
            saver.save(sess, str(tmp_path / "m"))
    assert os.listdir(tmp_path) == []


def test_save_argument_errors(tmp_path):
    tf.Variable(1.0, name="w")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(ValueError, match="Parent directory of .*no/dir/m doesn't exist, can't save."):
            saver.save(sess, str(tmp_path / "no" / "dir" / "m"))
        with pytest.raises(ValueError, match="'latest_filename' must not contain path components"):
            saver.save(sess, str(tmp_path / "m"), latest_filename="a/b")
        with pytest.raises(ValueError, match="'latest_filename' collides with 'save_path'"):
            saver.save(sess, str(tmp_path / "checkpoint"))
        with pytest.raises(TypeError, match="'sess' must be a Session"):
            saver.save(object(), str(tmp_path / "m"))


def test_saver_var_list_errors():
    v = tf.Variable(1.0, name="v")
    with pytest.raises(TypeError, match="Variable to save is not a Variable: "):
        tf.train.Saver([tf.constant(1.0)])
    with pytest.raises(TypeError, match="Not a variable: "):
        tf.train.Saver({"c": tf.constant(1.0)})
    with pytest.raises(ValueError, match="The same saveable will be restored with two names: b"):
        tf.train.Saver({"a": v, "b": v})
    with pytest.raises(ValueError, match="At least two variables have the same name: v"):
        tf.train.Saver([v, v.op.outputs[0]])
    with pytest.raises(TypeError, match="Name is not a string: 3"):
        tf.train.Saver({3: v})
    with pytest.raises(NotImplementedError, match="writes V2 checkpoints"):
        tf.train.Saver(write_version=tf.train.SaverDef.V1)


def test_disk_full_mid_save_leaves_the_previous_checkpoint(tmp_path, monkeypatch):
    v = tf.Variable(X, name="v")
    tf.Variable(XI, name="w")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saver.save(sess, str(tmp_path / "m"), global_step=1, write_meta_graph=False)
        before = {f: (tmp_path / f).read_bytes() for f in os.listdir(tmp_path)}
        sess.run(tf.assign(v, X * 10))
        calls = []

        def full_disk(arr):
            calls.append(1)
            if len(calls) == 2:
                raise OSError(28, "No space left on device")
            return real(arr)
        real = tensor_bundle._tensor_bytes
        monkeypatch.setattr(tensor_bundle, "_tensor_bytes", full_disk)
        with pytest.raises(tf.errors.ResourceExhaustedError, match="No space left on device"):
            saver.save(sess, str(tmp_path / "m"), global_step=1, write_meta_graph=False)
        monkeypatch.undo()
        assert {f: (tmp_path / f).read_bytes() for f in os.listdir(tmp_path)} == before  # no temp files either
        saver.restore(sess, tf.train.latest_checkpoint(str(tmp_path)))
        np.testing.assert_array_equal(sess.run(v), X)


# =========================================================================== the checkpoint state file
def test_state_file_round_trip_and_escapes(tmp_path):
    odd = str(tmp_path / 'we"ird\n\u00e9')
    tf.train.update_checkpoint_state(str(tmp_path), odd, [odd])
    text = (tmp_path / "checkpoint").read_text()
    assert '\\"' in text and "\\n" in text and "\\303\\251" in text  # TF's C escapes, octal for UTF-8 bytes
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state.model_checkpoint_path == odd and state.all_model_checkpoint_paths == [odd]
    assert str(state) == text


def test_state_file_relative_paths(tmp_path):
    tf.train.update_checkpoint_state(str(tmp_path), str(tmp_path / "m-1"),
                                     [str(tmp_path / "m-0"), str(tmp_path / "m-1")], save_relative_paths=True)
    assert (tmp_path / "checkpoint").read_text() == ('model_checkpoint_path: "m-1"\n'
                                                     'all_model_checkpoint_paths: "m-0"\n'
                                                     'all_model_checkpoint_paths: "m-1"\n')
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state.model_checkpoint_path == str(tmp_path / "m-1")


def test_saver_with_save_relative_paths(tmp_path):
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver(save_relative_paths=True)
    with tf.Session() as sess:
        sess.run(v.initializer)
        saver.save(sess, str(tmp_path / "m"), global_step=5, write_meta_graph=False)
    assert (tmp_path / "checkpoint").read_text().startswith('model_checkpoint_path: "m-5"\n')
    moved = tmp_path.parent / (tmp_path.name + "_moved")
    shutil.move(str(tmp_path), str(moved))  # a directory of relative paths can be moved
    assert tf.train.latest_checkpoint(str(moved)) == str(moved / "m-5")


def test_state_file_edge_cases(tmp_path):
    assert tf.train.get_checkpoint_state(str(tmp_path)) is None
    assert tf.train.latest_checkpoint(str(tmp_path)) is None
    (tmp_path / "checkpoint").write_text("garbage {{{")
    assert tf.train.get_checkpoint_state(str(tmp_path)) is None
    (tmp_path / "checkpoint").write_text('all_model_checkpoint_paths: "x"\n')
    with pytest.raises(ValueError, match="Invalid checkpoint state loaded from"):
        tf.train.get_checkpoint_state(str(tmp_path))
    (tmp_path / "checkpoint").write_text('model_checkpoint_path: "gone"\n')
    assert tf.train.latest_checkpoint(str(tmp_path)) is None  # its files are not there
    (tmp_path / "checkpoint").write_text('# a comment\nmodel_checkpoint_path: "a" "b"\n'
                                         'all_model_checkpoint_timestamps: 1.5e9\nlast_preserved_timestamp: 3\n')
    state = tf.train.get_checkpoint_state(str(tmp_path), latest_filename="checkpoint")
    assert state.model_checkpoint_path == str(tmp_path / "ab") and state.all_model_checkpoint_timestamps == [1.5e9]
    with pytest.raises(RuntimeError, match="conflicts with path used for checkpoint state"):
        tf.train.update_checkpoint_state(str(tmp_path), str(tmp_path / "checkpoint"))


def test_checkpoint_exists(tmp_path):
    assert tf.train.checkpoint_exists(str(FIXTURE / "model.ckpt-3"))
    assert tf.train.checkpoint_exists(str(FIXTURE_V1 / "model_v1.ckpt"))
    assert not tf.train.checkpoint_exists(str(tmp_path / "nothing"))


# =========================================================================== reading checkpoints
def test_list_variables_of_the_fixtures():
    assert tf.train.list_variables(str(FIXTURE)) == [
        ("conv1/biases", [4]), ("conv1/weights", [3, 3, 1, 4]), ("counts/int32", [2, 2]), ("fc/bias", [10]),
        ("fc/kernel", [36, 10]), ("flags/mask", [3]), ("global_step", []), ("half/h", [3]), ("scalar", []),
        ("stats/mean64", [4])]
    assert tf.train.list_variables(str(FIXTURE_V1)) == [
        ("global_step", []), ("vgg_16/conv1/conv1_1/biases", [8]), ("vgg_16/conv1/conv1_1/weights", [3, 3, 3, 8]),
        ("vgg_16/fc8/biases", [5]), ("vgg_16/fc8/weights", [1, 1, 8, 5])]


def test_checkpoint_reader():
    reader = tf.train.NewCheckpointReader(str(FIXTURE / "model.ckpt-3"))
    want = _expected(FIXTURE)
    assert reader.has_tensor("fc/kernel") and not reader.has_tensor("fc")
    np.testing.assert_array_equal(reader.get_tensor("fc/kernel"), want["fc/kernel"])
    assert reader.get_variable_to_dtype_map()["half/h"] == tf.float16
    assert reader.get_variable_to_shape_map()["conv1/weights"] == [3, 3, 1, 4]
    assert reader.get_tensor("global_step") == want["global_step"]
    assert b"fc/kernel (DT_FLOAT) [36,10]\n" in reader.debug_string()
    with pytest.raises(tf.errors.NotFoundError, match="Key fc not found in checkpoint"):
        reader.get_tensor("fc")
    np.testing.assert_array_equal(tf.train.load_variable(str(FIXTURE), "conv1/biases:0"), want["conv1/biases"])
    assert tf.train.load_checkpoint(str(FIXTURE)).has_tensor("scalar")


def test_reader_errors(tmp_path):
    with pytest.raises(tf.errors.NotFoundError, match="Unsuccessful TensorSliceReader constructor: Failed to find any "
                                                      "matching files for .*nothing"):
        tf.train.NewCheckpointReader(str(tmp_path / "nothing"))
    with pytest.raises(ValueError, match="Couldn't find 'checkpoint' file or checkpoints in given directory"):
        tf.train.list_variables(str(tmp_path))


def test_init_from_checkpoint_by_scope_and_by_name(tmp_path):
    with tf.variable_scope("old"):
        a = tf.get_variable("a", [2, 3], initializer=tf.constant_initializer(X))
        b = tf.get_variable("b", [], initializer=tf.constant_initializer(5.0))
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saver.save(sess, str(tmp_path / "m"), write_meta_graph=False)
    tf.reset_default_graph()
    with tf.variable_scope("new"):
        a2 = tf.get_variable("a", [2, 3], initializer=tf.zeros_initializer())
        b2 = tf.get_variable("b", [], initializer=tf.zeros_initializer())
    other = tf.get_variable("other", [], initializer=tf.zeros_initializer())
    tf.train.init_from_checkpoint(str(tmp_path), {"old/": "new/"})
    tf.train.init_from_checkpoint(str(tmp_path), {"old/b": other})
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(a2), X)
        assert sess.run(b2) == 5.0 and sess.run(other) == 5.0
    restore = a2.initializer.inputs[1].op
    assert a2.initializer.type == "Assign" and restore.type == "RestoreV2"
    assert restore.name.startswith("checkpoint_initializer") and a2.initial_value is restore.outputs[0]
    with pytest.raises(ValueError, match="Tensor old/zzz is not found in"):
        tf.train.init_from_checkpoint(str(tmp_path), {"old/zzz": other})
    with pytest.raises(ValueError, match="Shape of variable new/a:0 \\(\\(2, 3\\)\\) doesn't match with shape of "
                                         "tensor old/b \\(\\[\\]\\) from checkpoint reader."):
        tf.train.init_from_checkpoint(str(tmp_path), {"old/b": a2})
    with pytest.raises(ValueError, match="should map to scope only"):
        tf.train.init_from_checkpoint(str(tmp_path), {"old/a": "new/"})
    assert a is not None and b is not None


# =========================================================================== a process killed mid-save
_CHILD = r"""
import os, sys, time
import numpy as np
import tfmini as tf
d, mode = sys.argv[1], sys.argv[2]
if mode == "pause":  # stop for good inside the third save, after its data file is renamed into place
    real = os.replace
    def replace(a, b):
        real(a, b)
        if b.endswith("m-3.data-00000-of-00001"):
            print("MIDSAVE", flush=True)
            time.sleep(600)
    os.replace = replace
v = tf.Variable(np.zeros(300000, np.float32), name="v")
step = tf.Variable(0, dtype=tf.int64, name="step")
saver = tf.train.Saver(max_to_keep=2)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(1, 100000):
        v.load(np.full(300000, i, np.float32), sess)
        step.load(i, sess)
        saver.save(sess, os.path.join(d, "m"), global_step=i, write_meta_graph=False)
        print("SAVED", i, flush=True)
"""


def _run_child(tmp_path, mode):
    script = tmp_path / "child.py"
    script.write_text(_CHILD)
    d = tmp_path / "ckpt"
    d.mkdir()
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return d, subprocess.Popen([sys.executable, str(script), str(d), mode], stdout=subprocess.PIPE, text=True, env=env)


def _restore_latest(d):
    tf.reset_default_graph()
    v = tf.Variable(np.zeros(300000, np.float32), name="v")
    step = tf.Variable(0, dtype=tf.int64, name="step")
    saver = tf.train.Saver()
    latest = tf.train.latest_checkpoint(str(d))
    with tf.Session() as sess:
        saver.restore(sess, latest)
        values, s = sess.run([v, step])
    assert latest.endswith("m-%d" % s)
    assert (values == s).all(), "the restored checkpoint mixes two saves"
    return int(s)


def test_kill_inside_save_keeps_the_previous_checkpoint(tmp_path):
    """SIGKILL after the new data file is in place but before its index and the state file: the
    state file still names checkpoint 2, which restores whole."""
    d, proc = _run_child(tmp_path, "pause")
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line.strip())
            if line.startswith("MIDSAVE"):
                break
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert lines[-1] == "MIDSAVE" and "SAVED 2" in lines
    assert (d / "m-3.data-00000-of-00001").exists() and not (d / "m-3.index").exists()
    assert _restore_latest(d) == 2


def test_kill_at_random_moments_of_a_save_loop(tmp_path):
    """Killed at an arbitrary moment of a save loop, several times over the same directory's life:
    the latest checkpoint always restores whole."""
    rng = np.random.default_rng(3)
    d, proc = _run_child(tmp_path, "loop")
    try:
        for line in proc.stdout:
            if line.startswith("SAVED 3"):
                break
        time.sleep(rng.uniform(0.0, 0.05))
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert _restore_latest(d) >= 3


def test_restoring_logs_tensorflows_info_line(tmp_path, caplog):
    """tf.logging.set_verbosity(tf.logging.INFO) shows "INFO:tensorflow:Restoring parameters from <path>", as in TF:
    tfmini's own messages go to TF's logger, "tensorflow"."""
    v = tf.Variable(1.0)
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(v.initializer)
        path = saver.save(sess, str(tmp_path / "model.ckpt"))
        with caplog.at_level("INFO", logger="tensorflow"):
            saver.restore(sess, path)
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
        ("tensorflow", "INFO", "Restoring parameters from %s" % path)]
