"""GraphDef and MetaGraphDef: TF's node names and attributes, import back into tfmini,
tf.train.write_graph, export/import_meta_graph with Saver.save + restore.

Everything that writes bytes needs numpy only and runs everywhere; the protobuf objects
(`graph.as_graph_def()`, text format) are tested where protobuf is installed (the test extra)."""
import importlib
import json
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

import tfmini as tf
from tfmini.framework import graph_io, messages, meta_graph, op_registry
from tfmini.io import proto

# uint32/uint64 constants' TensorProto bytes and a GraphDef holding them, from TF (tests/data/gen/uint_dtypes.py)
UINT = json.loads((pathlib.Path(__file__).resolve().parent / "data" / "tf_uint_dtypes.json").read_text())

needs_protobuf = pytest.mark.skipif(not messages.available(), reason="needs protobuf (pip install tfmini[tensorboard])")


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def _nodes(graph=None, add_shapes=False):
    """{name: node dict} of the graph's GraphDef, read back from its bytes."""
    data = graph_io.graph_def_bytes(graph or tf.get_default_graph(), add_shapes=add_shapes)
    gd = proto.decode(proto.GRAPH_DEF, data)
    return {n["name"]: n for n in gd["node"]}


def _attrs(node):
    return {a["key"]: a["value"] for a in node.get("attr", [])}


# =========================================================================== the wire bytes
def test_placeholder_graph_def_bytes_by_hand():
    tf.placeholder(tf.float32, [None, 3], name="x")
    minus_one = b"\xff" * 9 + b"\x01"  # int64 -1 as a varint
    dtype_entry = b"\x0a\x05dtype" + b"\x12\x02" + b"\x30\x01"
    shape = b"\x12\x0b\x08" + minus_one + b"\x12\x02\x08\x03"
    shape_entry = b"\x0a\x05shape" + b"\x12\x13" + b"\x3a\x11" + shape
    node = b"\x0a\x01x" + b"\x12\x0bPlaceholder" + b"\x2a\x0b" + dtype_entry + b"\x2a\x1c" + shape_entry
    want = b"\x0a" + bytes([len(node)]) + node + b"\x22\x03\x08\x86\x01"  # versions { producer: 134 }
    assert graph_io.graph_def_bytes(tf.get_default_graph()) == want


# =========================================================================== TF's node attributes
def test_placeholder_const_variable_assign_matmul_attributes():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.Variable(tf.zeros([3, 2]), name="w")
    tf.matmul(x, w, transpose_b=False, name="mm")
    n = _nodes()
    assert n["x"]["op"] == "Placeholder"
    assert _attrs(n["x"]) == {"dtype": {"type": 1}, "shape": {"shape": {"dim": [{"size": -1}, {"size": 3}]}}}
    assert n["w"]["op"] == "VariableV2"
    assert _attrs(n["w"]) == {"dtype": {"type": 1}, "shape": {"shape": {"dim": [{"size": 3}, {"size": 2}]}},
                              "container": {"s": b""}, "shared_name": {"s": b""}}
    assert n["w/Assign"]["op"] == "Assign" and n["w/Assign"]["input"] == ["w", "zeros"]
    assert _attrs(n["w/Assign"]) == {"T": {"type": 1}, "validate_shape": {"b": True}, "use_locking": {"b": True}}
    assert n["w/read"]["op"] == "Identity" and _attrs(n["w/read"]) == {"T": {"type": 1}}
    assert n["mm"]["input"] == ["x", "w/read"]
    assert _attrs(n["mm"]) == {"T": {"type": 1}, "transpose_a": {"b": False}, "transpose_b": {"b": False}}
    zeros = _attrs(n["zeros"])
    assert zeros["dtype"] == {"type": 1}
    # a uniform constant is stored as one value, as TF's make_tensor_proto does
    assert zeros["value"]["tensor"]["float_val"].tolist() == [0.0]
    assert zeros["value"]["tensor"]["tensor_shape"] == {"dim": [{"size": 3}, {"size": 2}]}


def test_conv2d_and_max_pool_attributes():
    x = tf.placeholder(tf.float32, [None, 8, 8, 1], name="x")
    k = tf.constant(np.ones((3, 3, 1, 4), np.float32), name="k")
    c = tf.nn.conv2d(x, k, strides=[1, 2, 2, 1], padding="SAME", name="conv")
    tf.nn.max_pool(c, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID", name="pool")
    n = _nodes()
    conv = _attrs(n["conv"])
    assert n["conv"]["op"] == "Conv2D"
    assert conv["T"] == {"type": 1} and conv["padding"] == {"s": b"SAME"} and conv["data_format"] == {"s": b"NHWC"}
    assert conv["strides"]["list"]["i"].tolist() == [1, 2, 2, 1]
    assert conv["dilations"]["list"]["i"].tolist() == [1, 1, 1, 1]
    assert conv["use_cudnn_on_gpu"] == {"b": True}
    pool = _attrs(n["pool"])
    assert n["pool"]["op"] == "MaxPool"
    assert pool["ksize"]["list"]["i"].tolist() == [1, 2, 2, 1] and pool["padding"] == {"s": b"VALID"}
    assert pool["T"] == {"type": 1}


def test_derived_type_and_count_attributes():
    a = tf.constant([1, 2], name="a")
    b = tf.constant([3, 4], name="b")
    tf.concat([a, b], axis=0, name="cat")
    tf.add_n([a, b, a], name="addn")
    tf.cast(a, tf.float32, name="cast")
    tf.reduce_sum(tf.cast(a, tf.float32), name="sum")
    tf.reduce_all(tf.constant([True, False]), name="all")
    tf.Print(a, [a, tf.constant(1.5)], name="print")
    n = _nodes()
    assert _attrs(n["cat"])["N"] == {"i": 2} and _attrs(n["cat"])["Tidx"] == {"type": 3}
    assert _attrs(n["addn"]) == {"N": {"i": 3}, "T": {"type": 3}}
    assert _attrs(n["cast"])["SrcT"] == {"type": 3} and _attrs(n["cast"])["DstT"] == {"type": 1}
    assert _attrs(n["sum"])["Tidx"] == {"type": 3} and _attrs(n["sum"])["keep_dims"] == {"b": False}
    assert "T" not in _attrs(n["all"])  # TF's All has no T: tfmini's own attribute is left out
    assert _attrs(n["print"])["U"]["list"]["type"].tolist() == [3, 1]


def test_float_attributes_are_floats_even_when_given_as_ints():
    x = tf.placeholder(tf.float32, [2], name="x")
    tf.nn.leaky_relu(x, alpha=0, name="lrelu")
    assert _attrs(_nodes()["lrelu"])["alpha"] == {"f": 0.0}


def test_control_inputs_device_and_output_shapes():
    with tf.device("/cpu:0"):
        a = tf.constant(1.0, name="a")
    with tf.control_dependencies([a]):
        b = tf.constant(2.0, name="b")
    tf.add(a, b, name="c")
    with tf.control_dependencies([b.op]):
        tf.identity(a, name="d")
    n = _nodes(add_shapes=True)
    assert n["a"]["device"] == "/device:CPU:0"
    assert n["b"]["input"] == ["^a"]
    assert n["d"]["input"] == ["a", "^b"]  # data inputs first, then '^' control inputs, as TF
    assert _attrs(n["c"])["_output_shapes"] == {"list": {"shape": [{}]}}
    assert "_output_shapes" not in _attrs(_nodes()["c"])


def test_multi_output_inputs_and_unknown_rank_shapes():
    x = tf.placeholder(tf.float32, name="x")
    parts = tf.split(tf.zeros([4, 2]), 2, name="split")
    tf.add(parts[1], 1.0, name="second")
    n = _nodes(add_shapes=True)
    assert _attrs(n["x"])["shape"] == {"shape": {"unknown_rank": True}}
    assert n["second"]["input"][0] == "split:1"
    assert _attrs(n["split"])["num_split"] == {"i": 2}
    assert len(_attrs(n["split"])["_output_shapes"]["list"]["shape"]) == 2
    assert x is not None


def test_from_version_keeps_only_newer_ops():
    tf.constant(1.0, name="old")
    v = tf.get_default_graph().version
    tf.constant(2.0, name="new")
    gd = graph_io.graph_def_dict(tf.get_default_graph(), from_version=v)
    assert [node["name"] for node in gd["node"]] == ["new"]


def test_every_registered_op_has_tensorflows_signature():
    missing = sorted(t for t in op_registry.registered_ops() if not graph_io.tf_signature_known(t))
    assert not missing, "add TF's signature of these ops to _TF_OPS in tfmini/framework/graph_io.py: %s" % missing


# =========================================================================== tensors and attr values
@pytest.mark.parametrize("value", [
    np.arange(6, dtype=np.float32).reshape(2, 3), np.float64(2.5), np.array([1, -2, 3], np.int8),
    np.array([[7, 7], [7, 7]], np.int64), np.array([True, False]), np.array([1.5, -2.0], np.float16),
    np.array([1 + 2j, 3 - 1j], np.complex64), np.zeros((0, 3), np.float32), np.array([3], np.uint16),
    np.array([b"ab", b"", b"ab"], dtype=object), np.array(b"x", dtype=object), np.array([1, 2 ** 32 - 1], np.uint32),
    np.array([[2 ** 64 - 1, 0]], np.uint64), np.uint64(2 ** 64 - 1), np.full([3], 2 ** 63, np.uint64)])
def test_tensor_proto_round_trip(value):
    d = proto.decode(proto.TENSOR_PROTO, proto.encode(proto.TENSOR_PROTO, graph_io.tensor_proto(value)))
    back = graph_io.ndarray_from_tensor_proto(d)
    assert back.shape == np.shape(value) and back.dtype == np.asarray(value).dtype
    np.testing.assert_array_equal(back, value)
    assert not back.flags.writeable


def test_tensor_proto_fills_with_the_last_value_and_checks_its_content():
    d = {"dtype": 1, "tensor_shape": {"dim": [{"size": 4}]}, "float_val": np.array([1.0, 2.0], np.float32)}
    assert graph_io.ndarray_from_tensor_proto(d).tolist() == [1.0, 2.0, 2.0, 2.0]
    d = {"dtype": 3, "tensor_shape": {"dim": [{"size": 2}]}}
    assert graph_io.ndarray_from_tensor_proto(d).tolist() == [0, 0]
    with pytest.raises(ValueError, match="12 bytes of content for 2 elements"):
        graph_io.ndarray_from_tensor_proto({"dtype": 1, "tensor_shape": {"dim": [{"size": 2}]},
                                            "tensor_content": b"\0" * 12})


@pytest.mark.parametrize("case", UINT["protos"], ids=[c["id"] for c in UINT["protos"]])
def test_uint32_uint64_constants_encode_as_tensorflow_does(case):
    """uint32_val (field 16) and uint64_val (field 17) for one value, tensor_content for several: TF's bytes."""
    c = tf.constant(eval(case["source"], {"np": np}), getattr(tf, case["dtype"]), case["shape"])  # noqa: S307
    value = c.op.get_attr("value")
    data = proto.encode(proto.TENSOR_PROTO, graph_io.tensor_proto(value, c.dtype))
    assert data.hex() == case["hex"]
    back = graph_io.ndarray_from_tensor_proto(proto.decode(proto.TENSOR_PROTO, bytes.fromhex(case["hex"])))
    assert back.dtype == value.dtype and back.tolist() == value.tolist()


def test_import_graph_def_with_uint32_uint64_that_tensorflow_wrote():
    want = UINT["graph_def"]
    tf.import_graph_def(bytes.fromhex(want["hex"]), name="")
    g = tf.get_default_graph()
    assert [g.get_tensor_by_name(n).dtype for n in want["fetch"]] == [tf.uint32, tf.uint64, tf.uint64]
    feed = {g.get_tensor_by_name(k): np.array(v, np.uint64) for k, v in want["feed"].items()}
    with tf.Session() as sess:
        got = sess.run(want["fetch"], feed)
    assert [np.asarray(v).tolist() for v in got] == want["values"]


def test_attr_values_both_ways():
    cases = [(True, "b", {"b": True}), (3, "i", {"i": 3}), (0.5, "f", {"f": 0.5}), ("SAME", "s", {"s": b"SAME"}),
             (tf.float32, "t", {"type": 1}), (tf.TensorShape([None, 2]), "shape",
                                                {"shape": {"dim": [{"size": -1}, {"size": 2}]}}),
             ([1, 2], "li", {"list": {"i": [1, 2]}}), ([], "li", {"list": {}}),
             ([tf.int32, tf.string], "lt", {"list": {"type": [3, 7]}})]
    for value, kind, want in cases:
        assert graph_io.attr_value(value, kind) == want
        back = graph_io.attr_from_proto(want)
        assert back == value if kind != "shape" else back.as_list() == [None, 2]
    assert graph_io.attr_value(object()) is None


# =========================================================================== every op table row, round trip
def _all_rows():
    rows = []
    for path in sorted(pathlib.Path(__file__).parent.glob("test_*.py")):
        if path.stem == "test_graph_def":
            continue
        mod = importlib.import_module(path.stem)
        rows += list(getattr(mod, "CASES", ()))
    return rows


def test_every_op_table_graph_round_trips_through_a_graph_def():
    """Export each row's graph, import it into a new graph: the same GraphDef comes out again."""
    done, types = 0, set()
    for row in _all_rows():
        tf.reset_default_graph()
        try:
            row.build(tf)
        except Exception:  # noqa: BLE001 - rows that expect a build error
            continue
        data = graph_io.graph_def_bytes(tf.get_default_graph(), add_shapes=True)
        types |= {op.type for op in tf.get_default_graph().get_operations()}
        tf.reset_default_graph()
        tf.import_graph_def(data, name="")
        assert graph_io.graph_def_bytes(tf.get_default_graph(), add_shapes=True) == data, row.id
        done += 1
    assert done > 100
    assert types >= set(op_registry.registered_ops()) - {"ScalarSummary", "HistogramSummary", "ImageSummary",
                                                         "AudioSummaryV2", "TensorSummaryV2", "MergeSummary"}


# =========================================================================== tf.import_graph_def
def _small_graph_bytes():
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [None, 2], name="x")
        w = tf.constant([[1.0], [2.0]], name="w")
        tf.identity(tf.matmul(x, w) + 1.0, name="y")
    return graph_io.graph_def_bytes(g)


def test_import_graph_def_names_input_map_and_return_elements():
    data = _small_graph_bytes()
    assert tf.import_graph_def(data) is None
    assert tf.get_default_graph().get_tensor_by_name("import/y:0").shape.as_list() == [None, 1]
    feed = tf.constant([[1.0, 1.0]], name="feed")
    y, op = tf.import_graph_def(data, input_map={"x:0": feed}, return_elements=["y:0", "w"])
    assert y.name == "import_1/y:0" and op.name == "import_1/w"
    assert y.shape.as_list() == [1, 1]
    with tf.Session() as sess:
        assert sess.run(y).tolist() == [[4.0]]
    (top,) = tf.import_graph_def(data, name="", return_elements=["y:0"])
    assert top.name == "y:0"


def test_import_graph_def_makes_clashing_names_unique():
    tf.constant(0.0, name="w")
    tf.import_graph_def(_small_graph_bytes(), name="")
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert names.count("w") == 1 and "w_1" in names
    y = tf.get_default_graph().get_tensor_by_name("y:0")
    assert y.op.inputs[0].op.inputs[0].op.inputs[1].op.name == "w_1"


def test_import_graph_def_errors():
    data = _small_graph_bytes()
    with pytest.raises(ValueError, match=r"Attempted to map inputs that were not found in graph_def: \[nope:0\]"):
        tf.import_graph_def(data, input_map={"nope:0": tf.constant(1.0)})
    with pytest.raises(ValueError, match="Requested return tensor 'y:3' not found in graph def"):
        tf.import_graph_def(data, return_elements=["y:3"])
    with pytest.raises(TypeError, match="graph_def must be a GraphDef proto."):
        tf.import_graph_def("not a graph")
    with pytest.raises(TypeError, match="input_map must be a dictionary mapping strings to Tensor objects."):
        tf.import_graph_def(data, input_map={"x:0": 1.0})
    bad = proto.encode(proto.GRAPH_DEF, {"node": [{"name": "n", "op": "NoSuchOp"}]})
    with pytest.raises(tf.errors.NotFoundError, match="Op type not registered 'NoSuchOp'"):
        tf.import_graph_def(bad)
    dangling = proto.encode(proto.GRAPH_DEF, {"node": [{"name": "n", "op": "Identity", "input": ["ghost"]}]})
    with pytest.raises(ValueError, match="Node 'n': Unknown input node 'ghost'"):
        tf.import_graph_def(dangling)
    with pytest.raises(tf.errors.DataLossError, match="Unable to parse GraphDef"):
        tf.import_graph_def(b"\x0a\xff")


# =========================================================================== write_graph
def test_write_graph_binary(tmp_path):
    tf.constant(1.0, name="c")
    path = tf.train.write_graph(tf.get_default_graph(), str(tmp_path / "sub"), "g.pb", as_text=False)
    assert path == str(tmp_path / "sub" / "g.pb")
    assert open(path, "rb").read() == graph_io.graph_def_bytes(tf.get_default_graph())


@needs_protobuf
def test_write_graph_text_and_as_graph_def(tmp_path):
    tf.placeholder(tf.float32, [None, 3], name="x")
    gd = tf.get_default_graph().as_graph_def(add_shapes=True)
    assert isinstance(gd, tf.GraphDef)
    assert [(n.name, n.op) for n in gd.node] == [("x", "Placeholder")]
    assert gd.node[0].attr["dtype"].type == tf.float32.as_datatype_enum
    assert gd.node[0].attr["_output_shapes"].list.shape[0].dim[0].size == -1
    path = tf.train.write_graph(gd, str(tmp_path), "g.pbtxt")
    text = open(path).read()
    assert 'name: "x"' in text and "type: DT_FLOAT" in text
    assert messages.parse_text("GraphDef", text) == gd
    with tf.Session() as sess:
        assert len(sess.graph_def.node) == 1


def test_without_protobuf_the_error_names_the_extra():
    code = ("import sys; sys.modules['google'] = None; sys.modules['google.protobuf'] = None\n"
            "import tfmini as tf\n"
            "tf.constant(1.0)\n"
            "data = tf.get_default_graph()\n"
            "try:\n    data.as_graph_def()\nexcept ImportError as e:\n    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=dict(os.environ, PYTHONPATH=str(pathlib.Path(tf.__file__).parent.parent)))
    assert "Graph.as_graph_def() needs the protobuf package" in out.stdout
    assert "pip install tfmini[tensorboard]" in out.stdout


def test_import_tfmini_does_not_import_protobuf_or_tensorboard():
    code = "import sys, tfmini; print([m for m in ('google.protobuf', 'tensorboard') if m in sys.modules])"
    path = os.pathsep.join([str(pathlib.Path(tf.__file__).parent.parent)] + sys.path)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=dict(os.environ, PYTHONPATH=path))
    assert out.stdout.strip() == "[]"


# =========================================================================== meta graphs
def _train_and_save(tmp_path):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.get_variable("w", [3, 2], initializer=tf.constant_initializer(0.5))
    b = tf.Variable(tf.zeros([2]), name="b", trainable=False)
    logits = tf.add(tf.matmul(x, w), b, name="logits")
    loss = tf.reduce_mean(tf.square(logits), name="loss")
    step = tf.train.get_or_create_global_step()
    tf.train.AdamOptimizer(0.1).minimize(loss, global_step=step)
    tf.add_to_collection("my_ints", 7)
    tf.add_to_collection("my_names", "hello")
    tf.add_to_collection("my_tensors", logits)
    saver = tf.train.Saver()
    xv = np.arange(12, dtype=np.float32).reshape(4, 3)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(2):
            sess.run(tf.get_collection(tf.GraphKeys.TRAIN_OP)[0], {x: xv})
        path = saver.save(sess, str(tmp_path / "model"), global_step=step)
        want = sess.run(logits, {x: xv})
        sess.run(tf.get_collection(tf.GraphKeys.TRAIN_OP)[0], {x: xv})
        after = sess.run(loss, {x: xv})
    return path, xv, want, after


def test_saver_meta_graph_import_and_restore(tmp_path):
    path, xv, want, after = _train_and_save(tmp_path)
    assert os.path.exists(path + ".meta")
    tf.reset_default_graph()
    saver = tf.train.import_meta_graph(path + ".meta")
    g = tf.get_default_graph()
    assert [v.name for v in tf.trainable_variables()] == ["w:0"]
    assert {v.name for v in tf.global_variables()} >= {"w:0", "b:0", "global_step:0", "w/Adam:0", "w/Adam_1:0"}
    w = tf.trainable_variables()[0]
    assert isinstance(w, tf.Variable) and w.initializer.name == "w/Assign" and w.value().name == "w/read:0"
    assert tf.train.get_global_step().name == "global_step:0"
    assert tf.get_collection("my_ints") == [7] and tf.get_collection("my_names") == [b"hello"]
    assert tf.get_collection("my_tensors") == [g.get_tensor_by_name("logits:0")]
    assert g.get_tensor_by_name("logits:0").shape.as_list() == [None, 2]
    with tf.Session() as sess:
        saver.restore(sess, path)
        np.testing.assert_allclose(sess.run("logits:0", {"x:0": xv}), want, rtol=1e-6)
        assert sess.run(tf.train.get_global_step()) == 2
        sess.run(tf.get_collection(tf.GraphKeys.TRAIN_OP)[0], {"x:0": xv})
        assert sess.run(tf.train.get_global_step()) == 3
        np.testing.assert_allclose(sess.run("loss:0", {"x:0": xv}), after, rtol=1e-6)


def test_import_meta_graph_under_a_scope_and_twice(tmp_path):
    path, xv, want, _ = _train_and_save(tmp_path)
    tf.reset_default_graph()
    saver = tf.train.import_meta_graph(path + ".meta", import_scope="model")
    assert saver.saver_def.restore_op_name == "model/save/restore_all"
    assert "model/w:0" in [v.name for v in tf.global_variables()]
    with tf.Session() as sess:
        saver.restore(sess, path)
        np.testing.assert_allclose(sess.run("model/logits:0", {"model/x:0": xv}), want, rtol=1e-6)
    again = tf.train.import_meta_graph(path + ".meta")  # no scope: clashing names are made unique
    with tf.Session() as sess:
        again.restore(sess, path)
        np.testing.assert_allclose(sess.run("logits:0", {"x:0": xv}), want, rtol=1e-6)


def test_export_meta_graph_without_saver_and_clear_devices(tmp_path):
    with tf.device("/cpu:0"):
        tf.constant(3.0, name="c")
    out = tf.train.export_meta_graph(str(tmp_path / "m.meta"), clear_devices=True)
    meta = meta_graph.read_meta_graph_file(str(tmp_path / "m.meta"))
    assert [n.get("device", "") for n in meta["graph_def"]["node"]] == [""]
    assert "saver_def" not in meta
    assert out is not None
    tf.reset_default_graph()
    assert tf.train.import_meta_graph(str(tmp_path / "m.meta")) is None  # no variables: no Saver
    assert tf.get_default_graph().get_operation_by_name("c").type == "Const"


def test_import_meta_graph_errors(tmp_path):
    with pytest.raises(IOError, match="does not exist"):
        tf.train.import_meta_graph(str(tmp_path / "nope.meta"))
    (tmp_path / "bad.meta").write_bytes(b"\x0a\xff\x01")
    with pytest.raises(tf.errors.DataLossError, match="Unable to parse"):
        tf.train.import_meta_graph(str(tmp_path / "bad.meta"))


def test_variable_from_a_variable_def():
    v = tf.Variable([1.0, 2.0], name="v")
    fields = {"variable_name": "v:0", "initializer_name": "v/Assign", "snapshot_name": "v/read:0",
              "initial_value_name": "v/initial_value:0", "trainable": True}
    again = tf.Variable.from_proto(fields)
    assert again.name == v.name and again.initializer is v.initializer and again.trainable
    with pytest.raises(ValueError, match="mutually exclusive"):
        tf.Variable([1.0], variable_def=fields)
    with tf.Session() as sess:
        sess.run(again.initializer)
        assert sess.run(again).tolist() == [1.0, 2.0]


@needs_protobuf
def test_meta_graph_as_text_round_trips(tmp_path):
    path, xv, want, _ = _train_and_save(tmp_path)
    text_path = str(tmp_path / "model.meta.txt")
    tf.train.export_meta_graph(text_path, as_text=True, saver_def=tf.train.Saver().saver_def)
    assert "meta_info_def" in open(text_path).read()
    mg = tf.train.export_meta_graph()
    assert isinstance(mg, tf.MetaGraphDef) and "variables" in mg.collection_def
    tf.reset_default_graph()
    saver = tf.train.import_meta_graph(text_path)
    with tf.Session() as sess:
        saver.restore(sess, path)
        np.testing.assert_allclose(sess.run("logits:0", {"x:0": xv}), want, rtol=1e-6)


def test_the_table_of_tensorflows_output_names_covers_every_registered_op():
    """tfmini/framework/tf_op_outputs.py names TF's output arguments (a FunctionDef's "mul:z:0") of the op types
    tfmini registered when it was generated; a new op type needs the generator run again, else its outputs would
    be written as "output" in exported functions."""
    import importlib
    import pkgutil

    import tfmini.ops
    import tfmini.summary.summary  # noqa: F401
    from tfmini.framework import op_registry, tf_attr_defaults, tf_op_outputs
    for m in pkgutil.iter_modules(tfmini.ops.__path__):
        importlib.import_module("tfmini.ops." + m.name)
    for table in (tf_op_outputs, tf_attr_defaults):
        missing = sorted(set(op_registry.registered_ops()) - table.CHECKED)
        assert not missing, "run tests/data/gen/%s.py (with TensorFlow) for: %s" % (table.__name__.rpartition(".")[2],
                                                                                    ", ".join(missing))


def test_import_fills_in_tensorflows_default_attributes():
    """A GraphDef that leaves out attributes with defaults (a hand-made or older one: here a Placeholder without
    `shape`, as the 2015 Inception graph has them) imports as in TF, the defaults filled in."""
    gd = {"node": [{"name": "x", "op": "Placeholder", "attr": [{"key": "dtype", "value": {"type": 1}}]},
                   {"name": "r", "op": "Relu", "input": ["x"], "attr": [{"key": "T", "value": {"type": 1}}]}]}
    r, = tf.import_graph_def(proto.encode(proto.GRAPH_DEF, gd), return_elements=["r:0"], name="")
    assert tf.get_default_graph().get_operation_by_name("x").get_attr("shape").ndims is None
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(r, {"x:0": [[-1.0, 2.0]]}), [[0.0, 2.0]])
