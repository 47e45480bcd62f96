"""`device_lib.list_local_devices()`: the devices a session here would use, as TF's DeviceAttributes protos
(they print as TF's do; the classes need the `protobuf` package, pip install tfmini[tensorboard]).

>>> from tfmini.python.client import device_lib
>>> [d.name for d in device_lib.list_local_devices()]      # ['/device:CPU:0'] or, with a GPU, also '/device:GPU:0'
"""
import random

from ...framework import messages
from ...runtime import device

__all__ = ["list_local_devices"]

_CPU_MEMORY_LIMIT = 268435456  # what TF reports for its CPU device (256 MiB: a nominal figure, not a limit)


def list_local_devices(session_config=None):
    """The CPU, then the GPU a session with `session_config` would place ops on (none when there is no GPU, the
    numpy backend is chosen, or the config's device_count has 'GPU': 0): DeviceAttributes with TF's names,
    device types, memory limits (a GPU's: its free memory) and descriptions."""
    attrs = messages.get("DeviceAttributes")
    out = [attrs(name="/device:CPU:0", device_type="CPU", memory_limit=_CPU_MEMORY_LIMIT,
                 locality=messages.get("DeviceLocality")(), incarnation=random.getrandbits(63))]
    gpu = device.gpu_for_config(session_config)
    if gpu is not None:
        free, _total = gpu.memory_info()
        out.append(attrs(name="/device:GPU:0", device_type="GPU", memory_limit=int(free),
                         locality=messages.get("DeviceLocality")(bus_id=1), incarnation=random.getrandbits(63),
                         physical_device_desc="device: 0, " + gpu.device_description()))
    return out
