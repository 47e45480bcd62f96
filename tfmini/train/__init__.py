"""tf.train: optimizers, the global step, learning-rate schedules (Saver arrives with issue #6)."""
from .adadelta import AdadeltaOptimizer  # noqa: F401
from .adagrad import AdagradOptimizer  # noqa: F401
from .adam import AdamOptimizer  # noqa: F401
from .gradient_descent import GradientDescentOptimizer  # noqa: F401
from .learning_rate_decay import (cosine_decay, exponential_decay, inverse_time_decay,  # noqa: F401
                                  natural_exp_decay, piecewise_constant, polynomial_decay)
from .momentum import MomentumOptimizer  # noqa: F401
from .optimizer import Optimizer  # noqa: F401
from .rmsprop import RMSPropOptimizer  # noqa: F401
from .training_util import (assert_global_step, create_global_step, get_global_step,  # noqa: F401
                            get_or_create_global_step, global_step)
