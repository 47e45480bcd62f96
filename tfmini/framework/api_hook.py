"""Each namespace's `__getattr__`: a TensorFlow 1.x name tfmini lacks (tf.py_func, tf.nn.nce_loss) raises an
AttributeError that says so; and `install_import_hook`: importing a TensorFlow module tfmini lacks
(`from tfmini.contrib.factorization import KMeans`) says so too. The list of TF's names (tf_api_names) is read
only on such a miss."""
import sys

__all__ = ["tf_module_getattr", "install_import_hook"]


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


class _MissingTensorFlowModules:
    """A finder after all others on sys.meta_path: asked only for a tfmini module no other finder found, it
    raises the teaching ModuleNotFoundError where TensorFlow 1.x has such a module (else it lets Python's own
    error stand)."""

    @staticmethod
    def find_spec(fullname, path=None, target=None):
        if not fullname.startswith("tfmini."):
            return None
        from .tf_api_names import missing_module
        error = missing_module(fullname)
        if error is not None:
            raise error
        return None

    @staticmethod
    def invalidate_caches():
        pass


def install_import_hook():
    """Put the finder at the end of sys.meta_path, once."""
    if not any(f is _MissingTensorFlowModules for f in sys.meta_path):
        sys.meta_path.append(_MissingTensorFlowModules)
