"""Each namespace's `__getattr__`: a TensorFlow 1.x name tfmini lacks (tf.py_func, tf.nn.nce_loss) raises an
AttributeError that says so. The list of TF's names (tf_api_names) is read only on such a miss."""

__all__ = ["tf_module_getattr"]


def tf_module_getattr(module, path, provide=None):
    """A `__getattr__` for the namespace TensorFlow calls `module` ("tf", "nn", "initializers", ...), tfmini's
    module `path`: `provide(name)` first (names made on first use, or None), then TF's teaching error for a
    TensorFlow name, Python's plain one for any other (and for the import system's dunder questions)."""
    def __getattr__(name):
        if provide is not None:
            value = provide(name)
            if value is not None:
                return value
        if name.startswith("__"):  # the import system's questions (__path__): not TF's names
            raise AttributeError("module %r has no attribute %r" % (path, name))
        from .tf_api_names import missing_attribute
        raise missing_attribute(module, name)
    return __getattr__
