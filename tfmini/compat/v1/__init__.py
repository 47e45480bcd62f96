"""tf.compat.v1: TensorFlow 1.x's API, which is tfmini's own namespace. `import tfmini.compat.v1 as tf` gives
the names of `import tfmini as tf`; each is looked up in tfmini when first used."""
import tfmini as _tfmini


def __getattr__(name):
    return getattr(_tfmini, name)


def __dir__():
    return dir(_tfmini)
