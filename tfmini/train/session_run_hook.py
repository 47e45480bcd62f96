"""tf.train.SessionRunHook and the values it trades with a MonitoredSession: SessionRunArgs (what a hook adds to a
run), SessionRunContext (the run being made; where a hook asks to stop) and SessionRunValues (what came back)."""
import collections

__all__ = ["SessionRunHook", "SessionRunArgs", "SessionRunContext", "SessionRunValues"]


class SessionRunHook:
    """Code run around `MonitoredSession.run` calls. Subclass it and override what you need:

    - `begin()`: once, before the session exists; the graph may still be changed (it is finalized after);
    - `after_create_session(session, coord)`: once the session exists and variables are initialized or restored;
    - `before_run(run_context)`: before each run; return a `SessionRunArgs` to add fetches/feeds to it, or None;
    - `after_run(run_context, run_values)`: after each run; `run_values.results` holds what `before_run` asked for;
      call `run_context.request_stop()` to end the training loop;
    - `end(session)`: once, when the MonitoredSession closes without an error (an input's end counts as none).

    >>> class LossPrinter(tf.train.SessionRunHook):
    ...     def before_run(self, run_context): return tf.train.SessionRunArgs(loss)
    ...     def after_run(self, run_context, run_values): print(run_values.results)
    """

    def begin(self):
        pass

    def after_create_session(self, session, coord):  # pylint: disable=unused-argument
        pass

    def before_run(self, run_context):  # pylint: disable=unused-argument
        return None

    def after_run(self, run_context, run_values):  # pylint: disable=unused-argument
        pass

    def end(self, session):  # pylint: disable=unused-argument
        pass


class SessionRunArgs(collections.namedtuple("SessionRunArgs", ["fetches", "feed_dict", "options"])):
    """What a hook's `before_run` adds to a run: `fetches` (any structure `Session.run` takes; its values come back as
    `run_values.results`), `feed_dict` (merged with the caller's; feeding one tensor twice is a RuntimeError) and
    `options` (a RunOptions, merged into the run's)."""

    def __new__(cls, fetches, feed_dict=None, options=None):
        return super().__new__(cls, fetches, feed_dict, options)


class SessionRunContext:
    """The run being made: `original_args` (the caller's fetches and feed_dict as a SessionRunArgs), `session` (the
    raw tf.Session, to run things of the hook's own) and `request_stop()` (end the loop after this run)."""

    def __init__(self, original_args, session):
        self._original_args = original_args
        self._session = session
        self._stop_requested = False

    @property
    def original_args(self):
        return self._original_args

    @property
    def session(self):
        return self._session

    @property
    def stop_requested(self):
        return self._stop_requested

    def request_stop(self):
        """Ask the MonitoredSession to stop: `should_stop()` is True after this run."""
        self._stop_requested = True


class SessionRunValues(collections.namedtuple("SessionRunValues", ["results", "options", "run_metadata"])):
    """What a run gave a hook: `results` (the values of its SessionRunArgs' fetches, None if it asked for none),
    `options` (the RunOptions used) and `run_metadata` (the RunMetadata filled)."""
