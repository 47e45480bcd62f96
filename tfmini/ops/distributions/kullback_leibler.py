"""kl_divergence(a, b) and the registry of KL rules per pair of distribution classes (RegisterKL)."""
from ...framework import ops

__all__ = ["RegisterKL", "kl_divergence"]

_DIVERGENCES = {}


def _registered_kl(type_a, type_b):
    """The rule for the closest registered pair of parent classes (TF's walk over both MROs), or None."""
    for parent_a in type_a.__mro__:
        for parent_b in type_b.__mro__:
            rule = _DIVERGENCES.get((parent_a, parent_b))
            if rule is not None:
                return rule
    return None


def kl_divergence(distribution_a, distribution_b, allow_nan_stats=True, name=None):
    """KL(distribution_a || distribution_b), batchwise, from the rule registered for the two classes.

    Raises NotImplementedError (TF's words) where no rule is registered."""
    kl_fn = _registered_kl(type(distribution_a), type(distribution_b))
    if kl_fn is None:
        raise NotImplementedError("No KL(distribution_a || distribution_b) registered for distribution_a type %s "
                                  "and distribution_b type %s" % (type(distribution_a).__name__,
                                                                  type(distribution_b).__name__))
    with ops.name_scope("KullbackLeibler"):
        return kl_fn(distribution_a, distribution_b, name=name)


class RegisterKL(object):
    """Decorator registering a KL rule: @RegisterKL(Normal, Normal) def _kl(a, b, name=None): ..."""

    def __init__(self, dist_cls_a, dist_cls_b):
        self._key = (dist_cls_a, dist_cls_b)

    def __call__(self, kl_fn):
        if not callable(kl_fn):
            raise TypeError("kl_fn must be callable, received: %s" % kl_fn)
        if self._key in _DIVERGENCES:
            raise ValueError("KL(%s || %s) has already been registered to: %s"
                             % (self._key[0].__name__, self._key[1].__name__, _DIVERGENCES[self._key]))
        _DIVERGENCES[self._key] = kl_fn
        return kl_fn
