"""tf.flags / tf.app.flags and tf.app.run: absl's DEFINE_* and parsing rules, error classes and messages
(checked against TensorFlow 2.21's absl), and a notebook kernel's '-f kernel.json' left alone."""
import subprocess
import sys

import pytest

import tfmini as tf
from tfmini.platform.flags import FlagValues


@pytest.fixture
def F():  # noqa: N802 - a fresh registry for each test (FLAGS is global)
    return FlagValues()


def _define(F):
    f = tf.flags
    f.DEFINE_string("name", "abc", "a name", flag_values=F)
    f.DEFINE_float("lr", 0.1, "learning rate", flag_values=F)
    f.DEFINE_integer("steps", 3, "steps", flag_values=F)
    f.DEFINE_boolean("debug", True, "debug", flag_values=F)
    f.DEFINE_bool("verbose", False, "v", flag_values=F)
    f.DEFINE_list("names", ["x"], "names", flag_values=F)
    f.DEFINE_enum("mode", "train", ["train", "eval"], "mode", flag_values=F)


def test_namespaces():
    assert tf.app.flags is tf.flags and tf.flags.FLAGS is tf.app.flags.FLAGS


def test_defaults_and_parsing(F):
    _define(F)
    assert F.flag_values_dict() == {"name": "abc", "lr": 0.1, "steps": 3, "debug": True, "verbose": False,
                                    "names": ["x"], "mode": "train"}
    rest = F(["prog", "--lr=0.5", "--steps", "7", "--nodebug", "--names=a,b", "extra", "-mode=eval", "--verbose"])
    assert rest == ["prog", "extra"]
    assert (F.lr, F.steps, F.debug, F.names, F.mode, F.verbose, F.name) == (0.5, 7, False, ["a", "b"], "eval", True,
                                                                            "abc")
    assert F(["p", "--debug=false"]) == ["p"] and F.debug is False
    F(["p", "--debug"])
    assert F.debug is True
    F(["p", "--debug=0"])
    assert F.debug is False
    assert F(["p", "--", "--steps=1"]) == ["p", "--steps=1"] and F.steps == 7
    F.steps = 9
    assert F.steps == 9 and F["steps"].value == 9 and F["steps"].default == 3 and F["steps"].help == "steps"
    assert "steps" in F and isinstance(F.__flags, dict)  # TF 1.x notebooks print FLAGS.__flags
    del F.steps
    assert "steps" not in F


def test_define_returns_a_holder(F):
    holder = tf.flags.DEFINE_float("ff", 3, "h", flag_values=F)
    assert holder.value == 3.0 and isinstance(holder.value, float)
    with pytest.raises(TypeError, match=r"bool\(\) not supported for instances of type 'FlagHolder'"):
        bool(holder)


def test_errors_as_absl_words_them(F):
    _define(F)
    fl = tf.flags
    with pytest.raises(fl.DuplicateFlagError, match="^The flag 'name' is defined twice. First from .*, second from "
                                                   ".*. Description from first occurrence: a name$"):
        fl.DEFINE_string("name", "x", "again", flag_values=F)
    with pytest.raises(fl.UnrecognizedFlagError, match="^Unknown command line flag 'zz'$"):
        F(["p", "--zz=5"])
    with pytest.raises(fl.UnrecognizedFlagError, match=r"^Unknown command line flag 'step'. Did you mean: steps \?$"):
        F(["p", "--step=5"])
    for arg, msg in [("--steps=x", "flag --steps=x: invalid literal for int() with base 10: 'x'"),
                     ("--lr=x", "flag --lr=x: could not convert string to float: 'x'"),
                     ("--debug=maybe", "flag --debug=maybe: ('Non-boolean argument to boolean flag', 'maybe')"),
                     ("--mode=maybe", "flag --mode=maybe: value should be one of <train|eval>")]:
        with pytest.raises(fl.IllegalFlagValueError) as e:
            F(["p", arg])
        assert str(e.value) == msg
    with pytest.raises(fl.Error, match="^Missing value for flag --steps$"):
        F(["p", "--steps"])
    with pytest.raises(AttributeError, match="^nothere$"):
        F.nothere  # noqa: B018


@pytest.mark.parametrize("define, msg", [
    (lambda F: tf.flags.DEFINE_integer("a", "x", "h", flag_values=F),
     "flag --a=x: invalid literal for int() with base 10: 'x'"),
    (lambda F: tf.flags.DEFINE_integer("a", 3.0, "h", flag_values=F),
     "flag --a=3.0: Expect argument to be a string or int, found <class 'float'>"),
    (lambda F: tf.flags.DEFINE_float("a", True, "h", flag_values=F),
     "flag --a=True: Expect argument to be a string, int, or float, found <class 'bool'>"),
    (lambda F: tf.flags.DEFINE_bool("a", 2, "h", flag_values=F),
     "flag --a=2: ('Non-boolean argument to boolean flag', 2)"),
    (lambda F: tf.flags.DEFINE_enum("a", "q", ["a"], "h", flag_values=F), "flag --a=q: value should be one of <a>"),
    (lambda F: tf.flags.DEFINE_integer("a", -1, "h", lower_bound=0, flag_values=F),
     "flag --a=-1: -1 is not a non-negative integer"),
    (lambda F: tf.flags.DEFINE_integer("a", 9, "h", lower_bound=0, upper_bound=5, flag_values=F),
     "flag --a=9: 9 is not an integer in the range [0, 5]"),
    (lambda F: tf.flags.DEFINE_float("a", -1.0, "h", lower_bound=0.5, flag_values=F),
     "flag --a=-1.0: -1.0 is not number >= 0.5"),
])
def test_bad_defaults(F, define, msg):
    with pytest.raises(tf.flags.IllegalFlagValueError) as e:
        define(F)
    assert str(e.value) == msg


def test_required_flag(F):
    tf.flags.DEFINE_string("req", None, "h", flag_values=F)
    tf.flags.mark_flag_as_required("req", flag_values=F)
    with pytest.raises(tf.flags.IllegalFlagValueError, match="^flag --req=None: Flag --req must have a value other "
                                                             "than None.$"):
        F(["p"])
    assert F(["p", "--req=x"]) == ["p"] and F.req == "x"


def test_list_flags_split_as_csv(F):
    assert tf.flags.DEFINE_list("l", "a, b,'c,d'", "h", flag_values=F).value == ["a", "b", "'c", "d'"]


_SCRIPT = """
import sys
sys.argv = %r
import tfmini as tf
tf.app.flags.DEFINE_integer("steps", 3, "steps")
FLAGS = tf.app.flags.FLAGS
print(FLAGS.steps)
def main(argv):
    print(argv)
    return 3
tf.app.run()
"""


def _run(argv):
    return subprocess.run([sys.executable, "-c", _SCRIPT % (argv,)], capture_output=True, text=True)


def test_first_read_parses_argv_and_a_kernels_arguments_are_left_alone():
    # a Jupyter kernel's argv: TensorFlow's absl would raise "Unknown command line flag 'f'" here
    out = _run(["/x/ipykernel_launcher.py", "-f", "/root/kernel.json", "--steps=5"])
    assert out.returncode == 3, out.stderr
    assert out.stdout.splitlines() == ["5", "['/x/ipykernel_launcher.py', '-f', '/root/kernel.json']"]


def test_app_run_passes_the_rest_to_main_and_exits_with_its_result(F):
    seen = []
    with pytest.raises(SystemExit) as e:
        tf.app.run(lambda argv: seen.append(argv) or 0, argv=["prog", "--nosuchflag=1", "pos"])
    assert e.value.code == 0 and seen == [["prog", "--nosuchflag=1", "pos"]]


def test_names_tfmini_lacks_say_so():
    with pytest.raises(AttributeError, match="tf.flags.DEFINE_multi_string is TensorFlow 1.x API"):
        tf.flags.DEFINE_multi_string  # noqa: B018
