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
    with pytest.raises(ModuleNotFoundError, match=r"^No module named 'tfmini\.python\.framework': "
                                                  r"tensorflow\.python\.framework is TensorFlow's internal code"):
        from tfmini.python.framework import ops  # noqa: F401
