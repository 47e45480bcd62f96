"""tf.app: `run` (parse the command-line flags, call main, exit with its result) and `flags`."""
import sys as _sys

from ..framework.api_hook import tf_module_getattr
from . import flags  # noqa: F401 - tf.app.flags

__all__ = ["run", "flags"]


def run(main=None, argv=None):
    """Parse `argv` (default sys.argv) into tf.flags.FLAGS, leaving arguments that are not defined flags (a notebook
    kernel's '-f kernel.json') to `main`, then `sys.exit(main(remaining_argv))`, as TF 1.x's tf.app.run does.
    `main` defaults to the `main` function of the __main__ module. In a notebook the SystemExit it raises ends
    the cell (IPython prints "An exception has occurred, use %tb to see the full traceback")."""
    main = main or _sys.modules["__main__"].main
    args = flags.FLAGS(_sys.argv if argv is None else argv, known_only=True)
    _sys.exit(main(args))


__getattr__ = tf_module_getattr("app", __name__)  # a TensorFlow name tfmini lacks: say so
