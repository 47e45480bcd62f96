"""tf.train.Coordinator: threads that stop together, and the first error one of them reported."""
import contextlib
import sys
import threading
import time

from ..framework import errors

__all__ = ["Coordinator"]


class Coordinator:
    """Coordinates the termination of a set of threads (the queue runners' ones, say).

    A thread loops `while not coord.should_stop(): ...`; any of them (or the main thread) calls
    `coord.request_stop()` to end them all, with the exception that made it stop, if any; `coord.join(threads)`
    waits for them and raises that exception. OutOfRangeError (an input's end) is a clean stop, not an error.

    >>> coord = tf.train.Coordinator(); threads = tf.train.start_queue_runners(sess, coord)
    >>> ...; coord.request_stop(); coord.join(threads)
    """

    def __init__(self, clean_stop_exception_types=None):
        if clean_stop_exception_types is None:
            clean_stop_exception_types = (errors.OutOfRangeError,)
        self._clean_stop_exception_types = tuple(clean_stop_exception_types)
        self._lock = threading.Lock()
        self._stop_event = threading.Event()
        self._exc_info_to_raise = None
        self._joined = False
        self._registered_threads = set()

    def _filter_exception(self, ex):
        if isinstance(ex, tuple):
            ex2 = ex[1]
        else:
            ex2 = ex
        if isinstance(ex2, self._clean_stop_exception_types):
            ex = None  # the end of the input: a clean stop
        return ex

    def request_stop(self, ex=None):
        """Ask the threads to stop; `ex` (an exception or an exc_info tuple) is the reason, raised by join()."""
        with self._lock:
            ex = self._filter_exception(ex)
            if self._joined:  # join() has run: nobody would see the error, so raise it here
                if isinstance(ex, tuple):
                    raise ex[1]
                if ex is not None:
                    raise ex
            if not self._stop_event.is_set():
                if ex is not None and self._exc_info_to_raise is None:
                    if isinstance(ex, tuple):
                        self._exc_info_to_raise = ex
                    else:
                        self._exc_info_to_raise = (type(ex), ex, ex.__traceback__)
                self._stop_event.set()

    def clear_stop(self):
        """Forget the stop request and the error (to start the threads again)."""
        with self._lock:
            self._joined = False
            self._exc_info_to_raise = None
            if self._stop_event.is_set():
                self._stop_event.clear()

    def should_stop(self):
        """True once a stop was requested."""
        return self._stop_event.is_set()

    @contextlib.contextmanager
    def stop_on_exception(self):
        """A context in which an exception requests a stop (with it) instead of propagating."""
        try:
            yield
        except:  # noqa: E722 - every exception stops the threads, as TF's
            self.request_stop(ex=sys.exc_info())

    def wait_for_stop(self, timeout=None):
        """Wait until a stop is requested (at most `timeout` seconds); True if it was."""
        return self._stop_event.wait(timeout)

    def register_thread(self, thread):
        with self._lock:
            self._registered_threads.add(thread)

    def join(self, threads=None, stop_grace_period_secs=120, ignore_live_threads=False):
        """Wait for `threads` (and the registered ones) to end once a stop is requested; then raise the error
        reported with request_stop, if any. Threads still running `stop_grace_period_secs` after the stop request:
        RuntimeError (unless `ignore_live_threads`)."""
        with self._lock:
            threads = set(self._registered_threads if threads is None else
                          list(threads) + list(self._registered_threads))
        while any(t.is_alive() for t in threads) and not self.wait_for_stop(1.0):
            pass
        deadline = time.time() + stop_grace_period_secs
        for t in threads:
            t.join(max(0.0, deadline - time.time()))
        stragglers = [t.name for t in threads if t.is_alive()]
        with self._lock:
            self._joined = True
            self._registered_threads = set()
            if self._exc_info_to_raise:
                raise self._exc_info_to_raise[1].with_traceback(self._exc_info_to_raise[2])
            if stragglers:
                if ignore_live_threads:
                    return
                raise RuntimeError("Coordinator stopped with threads still running: %s" % " ".join(stragglers))

    @property
    def joined(self):
        return self._joined

    def raise_requested_exception(self):
        """Raise the exception reported with request_stop, if any."""
        with self._lock:
            if self._exc_info_to_raise:
                raise self._exc_info_to_raise[1].with_traceback(self._exc_info_to_raise[2])
