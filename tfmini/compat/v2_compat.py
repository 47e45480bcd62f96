"""The switches between TensorFlow 1.x and 2.x behaviour (tf.disable_v2_behavior, tf.enable_eager_execution, ...):
tfmini is TensorFlow 1.x's graph mode, so every "disable" is already true and every "enable" explains that."""

__all__ = ["disable_v2_behavior", "enable_v2_behavior", "disable_eager_execution", "enable_eager_execution",
           "executing_eagerly", "disable_control_flow_v2", "enable_control_flow_v2", "disable_resource_variables",
           "enable_resource_variables", "disable_tensor_equality", "enable_tensor_equality",
           "disable_v2_tensorshape", "enable_v2_tensorshape", "resource_variables_enabled",
           "control_flow_v2_enabled"]


def _v1_already():
    """What every disable_* does: nothing, tfmini behaves as TensorFlow 1.x always."""


def _no_v2(what, how):
    def enable(*args, **kwargs):
        raise NotImplementedError(
            "%s is TensorFlow 2.x behaviour, and tfmini is TensorFlow 1.x's graph mode only: %s. Keep the TF 1.x "
            "style (tf.Session, tf.placeholder) here; real TensorFlow 2 has it (pip install tensorflow)." % (what, how))
    enable.__doc__ = "Not in tfmini: %s is TensorFlow 2.x behaviour (raises NotImplementedError)." % what
    return enable


def disable_v2_behavior():
    """tf.compat.v1.disable_v2_behavior(): TF 2.x's switch to TF 1.x behaviour. tfmini is TF 1.x: nothing to do,
    so code written for TensorFlow 2's `import tensorflow.compat.v1 as tf; tf.disable_v2_behavior()` runs as is."""
    _v1_already()


def disable_eager_execution():
    """tf.compat.v1.disable_eager_execution(): tfmini always builds graphs (TF 1.x's graph mode); nothing to do."""
    _v1_already()


def disable_control_flow_v2():
    """tfmini builds TF 1.x's control flow (Switch/Merge, Enter/Exit) always; nothing to do."""
    _v1_already()


def disable_resource_variables():
    """tfmini's variables are TF 1.x's (VariableV2, reference-typed) always; nothing to do."""
    _v1_already()


def disable_tensor_equality():
    """`t1 == t2` compares the Tensor objects (TF 1.x's rule) always in tfmini; nothing to do."""
    _v1_already()


def disable_v2_tensorshape():
    """A TensorShape's dimensions are TF 1.x's Dimension objects always in tfmini; nothing to do."""
    _v1_already()


def executing_eagerly():
    """False: tfmini runs TF 1.x's graph mode, where ops build a graph and tf.Session runs it."""
    return False


def resource_variables_enabled():
    """False: tfmini's variables are TF 1.x's reference variables."""
    return False


def control_flow_v2_enabled():
    """False: tfmini builds TF 1.x's control flow (Switch/Merge, Enter/Exit)."""
    return False


enable_v2_behavior = _no_v2("tf.enable_v2_behavior()", "it would turn on eager execution, resource variables and "
                            "control flow v2")
enable_eager_execution = _no_v2("Eager execution", "ops compute when a tf.Session runs them, never when they are "
                                "built")
enable_control_flow_v2 = _no_v2("Control flow v2", "tf.cond and tf.while_loop build TF 1.x's Switch/Merge and "
                                "Enter/Exit ops")
enable_resource_variables = _no_v2("Resource variables", "tf.Variable and tf.get_variable make TF 1.x's "
                                   "VariableV2")
enable_tensor_equality = _no_v2("Tensor equality", "`t1 == t2` compares the Tensor objects; use tf.equal(t1, t2) "
                                "for an elementwise comparison")
enable_v2_tensorshape = _no_v2("The v2 TensorShape", "a shape's entries are tf.Dimension objects (`.value` gives "
                               "the int)")
