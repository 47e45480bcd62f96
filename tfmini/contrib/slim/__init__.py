"""TF-Slim (`import tfmini.contrib.slim as slim`, or `slim = tf.contrib.slim`): layers with TF-Slim's names,
arg_scope, repeat/stack, variable helpers, initializers and regularizers, and the submodules evaluation,
losses, layers (tf.contrib.layers), learning, metrics, model_analyzer, nets (`from tfmini.contrib.slim.nets
import vgg`), utils and variables."""
from ..framework.arg_scope import *  # noqa: F401,F403
from ..framework.variables import *  # noqa: F401,F403
from ..layers.layers import *  # noqa: F401,F403
from ..layers.normalization import batch_norm  # noqa: F401
from ..layers.initializers import *  # noqa: F401,F403
from ..layers.regularizers import *  # noqa: F401,F403
from ..layers.summaries import *  # noqa: F401,F403
from .. import layers  # noqa: F401 - slim.layers.conv2d, as in TF-Slim
from . import evaluation, learning, losses, metrics, model_analyzer, nets, utils, variables  # noqa: F401
