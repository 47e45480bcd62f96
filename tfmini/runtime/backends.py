"""Array backends: the `xp` module each kernel receives (numpy on the CPU; CuPy arrives with the GPU issue)."""

__all__ = ["numpy_backend"]


def numpy_backend():
    import numpy
    return numpy
