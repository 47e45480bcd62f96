"""tf.layers.Layer: TF 1.x's layer base — a variable scope made unique per layer (`dense`, `dense_1`),
variables through get_variable, ops in the scope's original name scope."""
import re
import weakref

import numpy as np

from ..variable_scope import VariableScope, get_variable, variable_scope
from ..framework.ops import GraphKeys, add_to_collection, convert_to_tensor, get_default_graph, name_scope

__all__ = ["Layer", "InputSpec", "get_activation"]


def _to_snake_case(name):
    s = re.sub(r"(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", s).lower()


_LAYER_NAMES = weakref.WeakKeyDictionary()  # graph -> {base name: layers so named}


def _unique_layer_name(base_name):
    """An unnamed layer's name, unique in the default graph as Keras makes it: dense, dense_1, dense_2."""
    used = _LAYER_NAMES.setdefault(get_default_graph(), {})
    n = used.get(base_name, 0)
    used[base_name] = n + 1
    return base_name if n == 0 else "%s_%d" % (base_name, n)


def get_activation(identifier):
    """A layer's `activation`: None, a function, or the name of one as Keras knows it (`activation='relu'`)."""
    if identifier is None or callable(identifier):
        return identifier
    if isinstance(identifier, str):
        from ..ops import math_ops, nn_ops
        known = {"relu": nn_ops.relu, "sigmoid": math_ops.sigmoid, "tanh": math_ops.tanh, "softmax": nn_ops.softmax,
                 "elu": nn_ops.elu, "selu": nn_ops.selu, "softplus": nn_ops.softplus, "softsign": nn_ops.softsign,
                 "exponential": math_ops.exp, "linear": lambda x: x,
                 "hard_sigmoid": lambda x: math_ops.clip_by_value(0.2 * x + 0.5, 0.0, 1.0)}
        if identifier not in known:
            raise ValueError("Unknown activation function:" + identifier)
        return known[identifier]
    raise ValueError("Could not interpret activation function identifier:", identifier)


def _convert_non_tensor(x):
    if isinstance(x, (list, tuple)):
        return type(x)(_convert_non_tensor(v) for v in x)
    return convert_to_tensor(x) if isinstance(x, (np.ndarray, float, int)) else x


def _flatten(inputs):
    if isinstance(inputs, (list, tuple)):
        return [leaf for x in inputs for leaf in _flatten(x)]
    return [inputs]


class InputSpec:
    """What a layer accepts: rank bounds and known axis sizes (checked when it is called)."""

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None, axes=None):
        self.dtype, self.shape, self.ndim = dtype, shape, ndim
        self.max_ndim, self.min_ndim, self.axes = max_ndim, min_ndim, axes or {}

    def check(self, x, layer_name, index=0):
        """Keras's assert_input_compatibility: ValueError when tensor `x` does not fit."""
        shape = x.shape
        ndim = shape.ndims
        where = "Input %d of layer %s is incompatible with the layer: " % (index, layer_name)
        if ndim is None and (self.ndim is not None or self.min_ndim is not None or self.max_ndim is not None):
            raise ValueError(where + "its rank is undefined, but the layer requires a defined rank.")
        received = ". Full shape received: %s" % (shape.as_list() if ndim is not None else None,)
        if self.ndim is not None and ndim != self.ndim:
            raise ValueError(where + "expected ndim=%d, found ndim=%s%s" % (self.ndim, ndim, received))
        if self.max_ndim is not None and ndim is not None and ndim > self.max_ndim:
            raise ValueError(where + "expected max_ndim=%d, found ndim=%d" % (self.max_ndim, ndim))
        if self.min_ndim is not None and ndim is not None and ndim < self.min_ndim:
            raise ValueError(where + ": expected min_ndim=%d, found ndim=%d%s" % (self.min_ndim, ndim, received))
        if ndim is not None:
            dims = shape.as_list()
            for axis, value in self.axes.items():
                if value is not None and dims[axis] not in (value, None):
                    raise ValueError(where + "expected axis %d of input shape to have value %d but received input "
                                     "with shape %s" % (axis, value, dims))


class Layer:
    """Base class: subclasses define `build(input_shape)` (creating variables with `add_weight`) and
    `call(inputs, **kwargs)` (building ops). Calling the layer a second time reuses its variables."""

    def __init__(self, trainable=True, name=None, dtype=None, _scope=None, _reuse=None, **kwargs):
        if kwargs:
            raise TypeError("Keyword argument not understood: %s" % ", ".join(sorted(kwargs)))
        self.trainable = trainable
        self.built = False
        self.dtype = dtype
        self._reuse = _reuse
        self._trainable_weights = []
        self._non_trainable_weights = []
        self._updates = []
        self._losses = []
        self.input_spec = None
        if isinstance(name, VariableScope):
            base_name = name.name
        else:
            base_name = name
        if not name:
            base_name = _to_snake_case(type(self).__name__)
        self._name = name if isinstance(name, str) and name else _unique_layer_name(base_name)
        self._base_name = base_name
        self._scope = None
        self._current_scope = None
        if _scope is not None:
            with variable_scope(_scope) as captured:
                self._scope = captured

    @property
    def name(self):
        return self._name

    @property
    def scope_name(self):
        if not self._scope:
            raise ValueError("No name available for layer scope because the layer \"" + self._name +
                             "\" has not been used yet. The scope name  is determined the first time the layer "
                             "instance is called. You must therefore call the layer before querying `scope_name`.")
        return self._scope.name

    @property
    def trainable_weights(self):
        return list(self._trainable_weights) if self.trainable else []

    @property
    def non_trainable_weights(self):
        if self.trainable:
            return list(self._non_trainable_weights)
        return self._trainable_weights + self._non_trainable_weights

    @property
    def weights(self):
        return self.trainable_weights + self.non_trainable_weights

    variables = weights
    trainable_variables = trainable_weights

    @property
    def updates(self):
        return list(self._updates)

    @property
    def losses(self):
        return list(self._losses)

    def add_update(self, updates, inputs=None):
        updates = updates if isinstance(updates, (list, tuple)) else [updates]
        # as TF's layers: an update given as a tensor is kept (and collected) as its op
        updates = [u.op if hasattr(u, "op") and hasattr(u, "value_index") else u for u in updates]
        self._updates.extend(updates)
        for u in updates:
            add_to_collection(GraphKeys.UPDATE_OPS, u)

    def add_loss(self, losses, inputs=None):
        losses = losses if isinstance(losses, (list, tuple)) else [losses]
        self._losses.extend(losses)

    def add_weight(self, name, shape, dtype=None, initializer=None, regularizer=None, trainable=True,
                   constraint=None, **kwargs):
        """A variable of this layer: get_variable(name) inside the layer's variable scope."""
        if dtype is None:
            dtype = self.dtype or "float32"
        v = get_variable(name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
                            trainable=trainable and self.trainable, constraint=constraint,
                            collections=kwargs.get("collections"))
        if trainable and self.trainable:
            if v not in self._trainable_weights:
                self._trainable_weights.append(v)
        elif v not in self._non_trainable_weights:
            self._non_trainable_weights.append(v)
        return v

    def build(self, input_shape):
        self.built = True

    def call(self, inputs, **kwargs):
        return inputs

    def _set_scope(self, scope=None):
        if self._scope is None:
            if self._reuse:
                with variable_scope(scope if scope is not None else self._base_name) as captured:
                    self._scope = captured
            else:
                with variable_scope(scope, default_name=self._base_name) as captured:
                    self._scope = captured

    def __call__(self, inputs, *args, **kwargs):
        scope = kwargs.pop("scope", None)
        # numpy arrays and numbers become tensors once, in the caller's name scope (Keras's _convert_non_tensor)
        inputs = _convert_non_tensor(inputs) if isinstance(inputs, (list, tuple)) else convert_to_tensor(inputs)
        if self.input_spec is not None:
            flat = _flatten(inputs)
            if len(flat) != 1:
                raise ValueError("Layer %s expects 1 inputs, but it received %d input tensors. Inputs received: %s"
                                 % (self.name, len(flat), flat))
            self.input_spec.check(convert_to_tensor(flat[0]), self.name, 0)
        self._set_scope(scope)
        reuse = True if self.built else self._reuse
        with variable_scope(self._scope, reuse=reuse, auxiliary_name_scope=False) as scope_obj:
            self._current_scope = scope_obj
            with name_scope(self._scope.original_name_scope):
                if not self.built:
                    first = inputs[0] if isinstance(inputs, (list, tuple)) else inputs
                    first = convert_to_tensor(first)
                    if self.dtype is None:
                        self.dtype = first.dtype.base_dtype.name
                    self.build(first.shape)
                    self.built = True
                return self.call(inputs, *args, **kwargs)

    apply = __call__
