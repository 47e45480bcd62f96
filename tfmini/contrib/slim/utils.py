"""slim.utils: helpers of the layers (end-point collections, constant predicates, argument shapes)."""
from ..layers.utils import *  # noqa: F401,F403
from ..layers.utils import __all__  # noqa: F401
