"""tf.logging (tf.compat.v1.logging) and tf.get_logger: TensorFlow's log calls on the standard library's logger
named "tensorflow", with TF's levels, handler and once-per-call-site counters."""
import logging as _logging
import sys as _sys
import threading as _threading
from logging import DEBUG, ERROR, FATAL, INFO, WARN

from ..framework.api_hook import tf_module_getattr

__all__ = ["DEBUG", "INFO", "WARN", "ERROR", "FATAL", "get_logger", "log", "debug", "info", "warn", "warning",
           "error", "fatal", "vlog", "log_if", "log_every_n", "log_first_n", "flush", "get_verbosity",
           "set_verbosity", "TaskLevelStatusMessage"]

_logger = None
_lock = _threading.Lock()
_counts = {}  # (file, line) of a log_every_n / log_first_n call -> how many times it was reached, less one


def _user_frame(skip=()):
    """The innermost frame outside this module (and the `skip` files): the user's line that logged."""
    f = _sys._getframe(1)
    while f is not None and (f.f_code.co_filename == __file__ or f.f_code.co_filename in skip):
        f = f.f_back
    return f


def _find_caller(stack_info=False, stacklevel=1):
    # records name the user's line, not this module's wrappers (as TF's logger does)
    f = _user_frame((_logging.__file__,))
    if f is None:
        return "(unknown file)", 0, "(unknown function)", None
    return f.f_code.co_filename, f.f_lineno, f.f_code.co_name, None


def get_logger():
    """The `logging.Logger` named "tensorflow". As TF does, when the root logger has no handlers it gets its own
    handler writing "LEVEL:tensorflow:message" (logging.BASIC_FORMAT) to stderr, or to stdout at level INFO
    in an interactive interpreter."""
    global _logger
    if _logger is not None:
        return _logger
    with _lock:
        if _logger is None:
            logger = _logging.getLogger("tensorflow")
            logger.findCaller = _find_caller
            if not _logging.getLogger().handlers:
                interactive = hasattr(_sys, "ps1") or bool(_sys.flags.interactive)
                if interactive:
                    logger.setLevel(INFO)
                handler = _logging.StreamHandler(_sys.stdout if interactive else _sys.stderr)
                handler.setFormatter(_logging.Formatter(_logging.BASIC_FORMAT, None))
                logger.addHandler(handler)
            _logger = logger
    return _logger


def log(level, msg, *args, **kwargs):
    """Log `msg % args` at `level` (tf.logging.INFO, ...)."""
    get_logger().log(level, msg, *args, **kwargs)


def debug(msg, *args, **kwargs):
    get_logger().debug(msg, *args, **kwargs)


def info(msg, *args, **kwargs):
    get_logger().info(msg, *args, **kwargs)


def warning(msg, *args, **kwargs):
    get_logger().warning(msg, *args, **kwargs)


def warn(msg, *args, **kwargs):
    """The same as `warning` (TF 1.x's spelling)."""
    get_logger().warning(msg, *args, **kwargs)


def error(msg, *args, **kwargs):
    get_logger().error(msg, *args, **kwargs)


def fatal(msg, *args, **kwargs):
    """Log at FATAL (logging.CRITICAL); as in TF it does not exit."""
    get_logger().fatal(msg, *args, **kwargs)


def vlog(level, msg, *args, **kwargs):
    """Log at numeric `level` (TF's vlog is `log`)."""
    get_logger().log(level, msg, *args, **kwargs)


def log_if(level, msg, condition, *args):
    """Log `msg % args` at `level` when `condition` holds."""
    if condition:
        vlog(level, msg, *args)


def _next_count():
    f = _user_frame()
    key = (f.f_code.co_filename, f.f_lineno) if f is not None else ("<unknown>", 0)
    _counts[key] = _counts.get(key, -1) + 1
    return _counts[key]


def log_every_n(level, msg, n, *args):
    """Log `msg % args` at `level` on the 1st, (n+1)th, (2n+1)th... time this line runs."""
    log_if(level, msg, not _next_count() % n, *args)


def log_first_n(level, msg, n, *args):
    """Log `msg % args` at `level` the first `n` times this line runs."""
    log_if(level, msg, _next_count() < n, *args)


def TaskLevelStatusMessage(msg):  # noqa: N802 - TF's name
    error(msg)


def flush():
    """Not implemented, as in TensorFlow (NotImplementedError)."""
    raise NotImplementedError()


def get_verbosity():
    """The threshold below which messages are dropped: the logger's effective level (WARN=30 by default)."""
    return get_logger().getEffectiveLevel()


def set_verbosity(v):
    """Log messages at `v` (tf.logging.INFO, ...) and above."""
    get_logger().setLevel(v)


__getattr__ = tf_module_getattr("logging", __name__)  # a TensorFlow name tfmini lacks: say so
