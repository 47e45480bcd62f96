"""tf.logging: the "tensorflow" logger, TF's levels and output format, log_every_n / log_first_n per call site."""
import logging
import subprocess
import sys

import pytest

import tfmini as tf


@pytest.fixture
def records():
    """The records the "tensorflow" logger emits, at verbosity INFO (restored afterwards)."""
    logger = tf.get_logger()
    got = []

    class _Keep(logging.Handler):
        def emit(self, record):
            got.append(record)

    handler = _Keep()
    logger.addHandler(handler)
    old = logger.level
    yield got
    logger.removeHandler(handler)
    logger.setLevel(old)


def test_levels_are_tensorflows_numbers():
    assert (tf.logging.DEBUG, tf.logging.INFO, tf.logging.WARN, tf.logging.ERROR, tf.logging.FATAL) == \
        (10, 20, 30, 40, 50)
    assert tf.get_logger() is logging.getLogger("tensorflow")


def test_verbosity_filters_and_formats(records):
    tf.logging.set_verbosity(tf.logging.WARN)
    assert tf.logging.get_verbosity() == 30
    tf.logging.info("hidden")
    tf.logging.warning("w %d", 3)
    tf.logging.set_verbosity(tf.logging.INFO)
    assert tf.logging.get_verbosity() == 20
    tf.logging.info("shown %s", "x")
    tf.logging.warn("warned")
    tf.logging.error("err")
    tf.logging.fatal("fat")
    tf.logging.log(tf.logging.INFO, "via log")
    tf.logging.vlog(20, "via vlog")
    tf.logging.log_if(tf.logging.INFO, "if %s", False, 1)
    tf.logging.debug("dbg hidden")
    assert [(r.levelname, r.getMessage()) for r in records] == [
        ("WARNING", "w 3"), ("INFO", "shown x"), ("WARNING", "warned"), ("ERROR", "err"), ("CRITICAL", "fat"),
        ("INFO", "via log"), ("INFO", "via vlog")]
    # the record names the user's line, not tfmini's wrapper
    assert records[0].pathname == __file__ and records[0].funcName == "test_verbosity_filters_and_formats"


def test_every_n_and_first_n_count_per_call_site(records):
    tf.logging.set_verbosity(tf.logging.INFO)
    for i in range(5):
        tf.logging.log_every_n(tf.logging.INFO, "every %d", 2, i)
        tf.logging.log_first_n(tf.logging.INFO, "first %d", 2, i)
    assert [r.getMessage() for r in records] == ["every 0", "first 0", "first 1", "every 2", "every 4"]


def test_flush_is_not_implemented_as_in_tf():
    with pytest.raises(NotImplementedError):
        tf.logging.flush()


def test_default_handler_writes_tensorflows_format_to_stderr():
    code = ("import tfmini as tf; tf.logging.info('no'); tf.logging.warning('careful %d', 1); "
            "tf.logging.set_verbosity(tf.logging.INFO); tf.logging.info('now'); print(tf.logging.get_verbosity())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr == "WARNING:tensorflow:careful 1\nINFO:tensorflow:now\n"
    assert out.stdout == "20\n"


def test_a_name_tf_logging_lacks_says_so():
    with pytest.raises(AttributeError, match="module 'tfmini.logging' has no attribute 'WARNING'$"):
        tf.logging.WARNING  # noqa: B018 - TF's tf.logging has WARN only
