"""How the generators under tests/data/gen record an array in their JSON goldens (no TensorFlow needed here)."""
import numpy as np


def arr(a):
    """{"dtype", "shape", "values"} of an array: float32 values in 9 significant digits (enough to give back the
    same float32), float64 and the other types in full."""
    a = np.asarray(a)
    if a.dtype.kind == "f":
        values = [float("%.9g" % v) for v in a.reshape(-1)] if a.dtype == np.float32 else a.reshape(-1).tolist()
    else:
        values = a.reshape(-1).tolist()
    return {"dtype": a.dtype.name, "shape": list(a.shape), "values": values}
