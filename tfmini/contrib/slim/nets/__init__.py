"""slim.nets: network definitions with TF-Slim's names (`from tfmini.contrib.slim.nets import vgg`):
vgg (vgg_a, vgg_16, vgg_19), alexnet (alexnet_v2), lenet, cifarnet."""
from . import alexnet, cifarnet, lenet, vgg  # noqa: F401
