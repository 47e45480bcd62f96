"""tensorflow.python.framework: only `ops`, which TF 1.x tutorials import for `ops.reset_default_graph()`
(`from tensorflow.python.framework import ops`). Its other modules fail as the rest of tensorflow.python does."""


def __getattr__(name):
    # `from tfmini.python.framework import tensor_util` asks the package for the attribute first: answer with the
    # message a plain import gets (tfmini/framework/tf_api_names.missing_module), not "cannot import name"
    if name.startswith("__"):
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    if name == "ops":  # not yet imported (`from . import ops` here would ask this function again)
        import importlib
        return importlib.import_module(__name__ + ".ops")
    from ...framework.tf_api_names import missing_module
    raise missing_module("%s.%s" % (__name__, name))
