"""`from tensorflow.python.client import device_lib` (tensorflow spelled tfmini): the one module of TF's internal
package that TF 1.x notebooks import, to list their devices."""
import pytest

from tfmini.runtime import device

pytest.importorskip("google.protobuf", reason="DeviceAttributes is a protobuf message (pip install tfmini[test])")


def test_list_local_devices_names_the_cpu_and_the_gpu_a_session_would_use():
    from tfmini.python.client import device_lib
    with device.use_backend("numpy"):
        cpu, = device_lib.list_local_devices()
    assert (cpu.name, cpu.device_type, cpu.memory_limit) == ("/device:CPU:0", "CPU", 268435456)
    assert str(cpu).startswith('name: "/device:CPU:0"\ndevice_type: "CPU"\nmemory_limit: 268435456\nlocality {\n}\n')
    with device.use_backend("fake"):
        cpu, gpu = device_lib.list_local_devices()
        import tfmini as tf
        assert len(device_lib.list_local_devices(tf.ConfigProto(device_count={"GPU": 0}))) == 1
    assert (gpu.name, gpu.device_type) == ("/device:GPU:0", "GPU") and gpu.memory_limit > 0
    assert gpu.physical_device_desc.startswith("device: 0, name: tfmini fake GPU (numpy), pci bus id: ")


def test_the_rest_of_tensorflow_python_still_says_what_it_is():
    with pytest.raises(ModuleNotFoundError, match=r"^No module named 'tfmini\.python\.training': "
                                                  r"tensorflow\.python\.training is TensorFlow's internal code"):
        from tfmini.python.training import saver  # noqa: F401
    # a module of tensorflow.python.framework other than ops: the same message, from `from ... import` too
    for statement in ["from tfmini.python.framework import tensor_util", "import tfmini.python.framework.tensor_util"]:
        with pytest.raises(ModuleNotFoundError, match=r"^No module named 'tfmini\.python\.framework\.tensor_util': "
                                                      r"tensorflow\.python\.framework\.tensor_util is TensorFlow's "
                                                      r"internal code, which tfmini does not copy"):
            exec(statement, {})


def test_framework_ops_is_the_tf_namespace_graph_api():
    """`from tensorflow.python.framework import ops; ops.reset_default_graph()` opens most TF 1.x cookbook
    recipes: ops gives the objects tf. gives; a name of TF's ops.py beyond those says what it is."""
    import tfmini as tf
    from tfmini.python.framework import ops
    assert ops.reset_default_graph is tf.reset_default_graph and ops.get_default_graph is tf.get_default_graph
    assert (ops.Graph, ops.Tensor, ops.Operation, ops.GraphKeys) == (tf.Graph, tf.Tensor, tf.Operation, tf.GraphKeys)
    assert ops.convert_to_tensor is tf.convert_to_tensor and ops.RegisterGradient is tf.RegisterGradient
    assert ops.name_scope is tf.name_scope and ops.get_collection is tf.get_collection
    tf.constant(1.0, name="before")
    ops.reset_default_graph()
    assert tf.get_default_graph().get_operations() == [] and tf.constant(1.0).name == "Const:0"
    with tf.name_scope("outer"):
        with ops.name_scope("inner"):
            assert ops.get_name_scope() == "outer/inner"
    assert ops.get_name_scope() == ""
    assert not hasattr(ops, "tensor_id")
    with pytest.raises(AttributeError, match=r"^module 'tfmini\.python\.framework\.ops' has no attribute 'tensor_id': "
                                             r"tensorflow\.python\.framework\.ops\.tensor_id is TensorFlow's internal "
                                             r"code, which tfmini does not copy beyond the graph names TF 1\.x "
                                             r"tutorials use \(Graph, "):
        ops.tensor_id  # noqa: B018
