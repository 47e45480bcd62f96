"""tf.compat: `import tfmini.compat.v1 as tf` (TensorFlow 2's way to write TF 1.x code) runs TF 1.x code; the
v1/v2 switches; the string helpers."""
import subprocess
import sys

import pytest

import tfmini as tf


def test_compat_v1_is_tfmini_itself():
    assert tf.compat.v1.placeholder is tf.placeholder
    assert tf.compat.v1.nn is tf.nn and tf.compat.v1.train.AdamOptimizer is tf.train.AdamOptimizer
    assert "placeholder" in dir(tf.compat.v1)
    with pytest.raises(AttributeError, match="tf.py_function is TensorFlow 1.x API that tfmini does not implement"):
        tf.compat.v1.py_function


def test_tensorflow2_style_header_runs_a_model():
    # what a learner copies from a TF 2 era tutorial: a fresh interpreter, nothing imported before
    code = ("import numpy as np\n"
            "import tfmini.compat.v1 as tf\n"
            "tf.disable_v2_behavior()\n"
            "tf.disable_eager_execution()\n"
            "x = tf.placeholder(tf.float32, [None, 2])\n"
            "y = tf.layers.dense(x, 1, kernel_initializer=tf.ones_initializer())\n"
            "it = tf.compat.v1.data.make_one_shot_iterator(tf.data.Dataset.from_tensor_slices([1.0, 2.0]))\n"
            "with tf.Session() as sess:\n"
            "    sess.run(tf.global_variables_initializer())\n"
            "    print(sess.run(y, {x: np.ones((1, 2))}).item(), sess.run(it.get_next()), tf.executing_eagerly())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["2.0", "1.0", "False"]


@pytest.mark.parametrize("switch", ["disable_v2_behavior", "disable_eager_execution", "disable_control_flow_v2",
                                    "disable_resource_variables", "disable_tensor_equality",
                                    "disable_v2_tensorshape"])
def test_switches_to_tf1_behaviour_are_already_on(switch):
    assert getattr(tf, switch)() is None
    assert getattr(tf.compat.v1, switch) is getattr(tf, switch)
    assert not tf.executing_eagerly() and not tf.resource_variables_enabled()


@pytest.mark.parametrize("switch, what", [("enable_eager_execution", "Eager execution"),
                                          ("enable_v2_behavior", "enable_v2_behavior"),
                                          ("enable_control_flow_v2", "Control flow v2"),
                                          ("enable_resource_variables", "Resource variables"),
                                          ("enable_tensor_equality", "Tensor equality"),
                                          ("enable_v2_tensorshape", "v2 TensorShape")])
def test_switches_to_tf2_behaviour_explain_that_tfmini_is_tf1(switch, what):
    with pytest.raises(NotImplementedError, match=r"%s.*TensorFlow 2.x behaviour.*graph mode only" % what):
        getattr(tf, switch)()


def test_string_helpers_and_dimensions():
    assert tf.compat.as_bytes("é") == b"\xc3\xa9" and tf.compat.as_text(b"\xc3\xa9") == "é"
    assert tf.compat.as_str_any(b"a") == "a" and tf.compat.as_str_any(3) == "3"
    with pytest.raises(TypeError, match="Expected binary or unicode string, got 3"):
        tf.compat.as_bytes(3)
    assert tf.compat.forward_compatible(2019, 1, 1) and not tf.compat.forward_compatible(2020, 1, 1)
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 3])
    assert tf.dimension_value(x.shape[0]) is None and tf.dimension_value(x.shape[1]) == 3
    assert tf.compat.dimension_at_index(x.shape, 1).value == 3
    assert tf.dimension_at_index(tf.TensorShape(None), 0).value is None
    with pytest.raises(AttributeError, match="tf.compat.v2 is TensorFlow"):
        tf.compat.v2
