"""tf.train: optimizers, the global step, learning-rate schedules, Saver and checkpoint reading, meta graphs; the
queue-based input pipelines (producers, batch, QueueRunner, Coordinator); MonitoredSession with its SessionRunHooks,
and Supervisor."""
from ..framework.api_hook import tf_module_getattr
from .adadelta import AdadeltaOptimizer  # noqa: F401
from .adagrad import AdagradOptimizer  # noqa: F401
from .adam import AdamOptimizer  # noqa: F401
from .ftrl import FtrlOptimizer  # noqa: F401
from .checkpoint_utils import (NewCheckpointReader, init_from_checkpoint, list_variables,  # noqa: F401
                               load_checkpoint, load_variable)
from .gradient_descent import GradientDescentOptimizer  # noqa: F401
from .learning_rate_decay import (cosine_decay, exponential_decay, inverse_time_decay,  # noqa: F401
                                  natural_exp_decay, piecewise_constant, polynomial_decay)
from .momentum import MomentumOptimizer  # noqa: F401
from .moving_averages import ExponentialMovingAverage  # noqa: F401
from .optimizer import Optimizer  # noqa: F401
from .proximal_adagrad import ProximalAdagradOptimizer  # noqa: F401
from .proximal_gradient_descent import ProximalGradientDescentOptimizer  # noqa: F401
from .rmsprop import RMSPropOptimizer  # noqa: F401
from .saver import (CheckpointState, Saver, SaverDef, checkpoint_exists, generate_checkpoint_state_proto,  # noqa: F401
                    get_checkpoint_mtimes, get_checkpoint_state, latest_checkpoint, remove_checkpoint,
                    update_checkpoint_state)
from .training_util import (assert_global_step, create_global_step, get_global_step,  # noqa: F401
                            get_or_create_global_step, global_step)
from ..framework.graph_io import write_graph  # noqa: F401
from ..framework.meta_graph import export_meta_graph  # noqa: F401
from .meta_graph_io import import_meta_graph  # noqa: F401
from ..summary.summary_iterator import summary_iterator  # noqa: F401
from ..summary.writer import SummaryWriter  # noqa: F401 - TF 0.x's name of tf.summary.FileWriter
from .coordinator import Coordinator  # noqa: F401
from .queue_runner import QueueRunner, add_queue_runner, start_queue_runners  # noqa: F401
from .session_run_hook import SessionRunArgs, SessionRunContext, SessionRunHook, SessionRunValues  # noqa: F401
from .basic_session_run_hooks import (CheckpointSaverHook, CheckpointSaverListener, FeedFnHook,  # noqa: F401
                                      FinalOpsHook, GlobalStepWaiterHook, LoggingTensorHook,
                                      NanLossDuringTrainingError, NanTensorHook, SecondOrStepTimer, StepCounterHook,
                                      StopAtStepHook, SummarySaverHook)
from .monitored_session import (ChiefSessionCreator, MonitoredSession, MonitoredTrainingSession,  # noqa: F401
                                Scaffold, SessionCreator, SessionManager, SingularMonitoredSession,
                                WorkerSessionCreator)
from .supervisor import Supervisor  # noqa: F401
from .input import (batch, batch_join, input_producer, limit_epochs, match_filenames_once,  # noqa: F401
                    range_input_producer, shuffle_batch, shuffle_batch_join, slice_input_producer,
                    string_input_producer)

_MESSAGES = ("Example", "SequenceExample", "Features", "Feature", "FeatureList", "FeatureLists", "BytesList",
             "FloatList", "Int64List")


def _message_class(name):  # tf.train.Example and its parts need protobuf: built on first use
    if name in _MESSAGES:
        from ..framework import messages
        return messages.get(name)
    return None


__getattr__ = tf_module_getattr("train", __name__, _message_class)  # and a TensorFlow name tfmini lacks: say so
