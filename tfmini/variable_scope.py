"""Variable scopes and tf.get_variable: TF 1.x's sharing rules, names and errors.

A graph keeps one variable store (full name -> Variable, for variables made by `get_variable`)
and one scope store (the current VariableScope, and how often each scope name was opened, for
`default_name` uniqueness). `tf.Variable` never looks at either.
"""
import enum
import inspect
import sys
import traceback

from .framework import dtypes
from .framework.ops import (GraphKeys, add_to_collection, get_default_graph, name_scope, _graph_from_inputs)
from .framework.tensor_shape import TensorShape
from . import variables

__all__ = ["VariableScope", "variable_scope", "variable_op_scope", "get_variable_scope", "get_variable",
           "AUTO_REUSE", "get_local_variable", "no_regularizer"]


class _ReuseMode(enum.Enum):
    """tf.AUTO_REUSE: get the variable if it exists, create it otherwise."""
    AUTO_REUSE = 1

    def __repr__(self):
        return "tf.AUTO_REUSE"


AUTO_REUSE = _ReuseMode.AUTO_REUSE


def no_regularizer(_):
    """Use as `regularizer=` to turn off a regularizer inherited from the scope."""
    return None


# =========================================================================== per-graph stores
class _VariableStore:
    """full name -> Variable, for everything created by `get_variable` in one graph."""

    def __init__(self):
        self.vars = {}

    def get_variable(self, name, shape=None, dtype=dtypes.float32, initializer=None, regularizer=None,
                     reuse=None, trainable=None, collections=None, caching_device=None, partitioner=None,
                     validate_shape=True, use_resource=None, custom_getter=None, constraint=None,
                     synchronization=None, aggregation=None):
        """Get or create `name` (a full name). reuse True: must exist; False: must not; None or
        AUTO_REUSE: either (TF's store checks nothing by default; scopes pass True or False)."""
        if custom_getter is not None and not callable(custom_getter):
            raise ValueError("Passed a custom_getter which is not callable: %s" % custom_getter)
        dtype = getattr(dtype, "base_dtype", dtype)  # a float32_ref asks for float32
        synchronization, aggregation, trainable = _sync_aggregation_trainable(synchronization, aggregation,
                                                                              trainable)
        if custom_getter is None:
            return self._true_getter(name, shape=shape, dtype=dtype, initializer=initializer,
                                     regularizer=regularizer, reuse=reuse, trainable=trainable,
                                     collections=collections, caching_device=caching_device,
                                     partitioner=partitioner, validate_shape=validate_shape,
                                     use_resource=use_resource, constraint=constraint,
                                     synchronization=synchronization, aggregation=aggregation)
        # TF calls a custom getter with keywords only; `constraint` only when the getter accepts it
        # (it was added after people had written getters)
        kwargs = dict(getter=self._true_getter, name=name, shape=shape, dtype=dtype, initializer=initializer,
                      regularizer=regularizer, reuse=reuse, trainable=trainable, collections=collections,
                      caching_device=caching_device, partitioner=partitioner, validate_shape=validate_shape,
                      use_resource=use_resource, synchronization=synchronization, aggregation=aggregation)
        if _accepts_keyword(custom_getter, "constraint"):
            kwargs["constraint"] = constraint
        return custom_getter(**kwargs)

    def _true_getter(self, name, shape=None, dtype=dtypes.float32, initializer=None, regularizer=None,
                     reuse=None, trainable=None, collections=None, caching_device=None, partitioner=None,
                     validate_shape=True, use_resource=None, constraint=None, synchronization=None,
                     aggregation=None):
        initializing_from_value = initializer is not None and not callable(initializer)
        if shape is not None and initializing_from_value:
            raise ValueError("If initializer is a constant, do not specify shape.")
        dtype = dtypes.as_dtype(dtype if dtype is not None else dtypes.float32)
        shape = TensorShape(shape)  # None: unknown, compatible with any shape when sharing

        if name in self.vars:
            found = self.vars[name]
            if reuse is False:
                frames = list(found.op.traceback)[:5]  # the user's frames, innermost first, as TF prints them
                where = "".join(traceback.format_list([(f, n, fn, _source_line(f, n)) for f, n, fn in frames]))
                raise ValueError("Variable %s already exists, disallowed. Did you mean to set reuse=True or "
                                 "reuse=tf.AUTO_REUSE in VarScope? Originally defined at:\n\n%s%s"
                                 % (name, where, _notebook_hint()))
            if not shape.is_compatible_with(found.get_shape()):
                raise ValueError("Trying to share variable %s, but specified shape %s and found shape %s."
                                 % (name, shape, found.get_shape()))
            if not dtype.is_compatible_with(found.dtype):
                # TF names the found dtype as the variable has it: 'float32_ref'
                raise ValueError("Trying to share variable %s, but specified dtype %s and found dtype %s."
                                 % (name, dtype.name, found.dtype.name))
            return found

        if reuse is True:
            raise ValueError("Variable %s does not exist, or was not created with tf.get_variable(). Did you "
                             "mean to set reuse=tf.AUTO_REUSE in VarScope?" % name)

        if initializer is None:
            initializer, initializing_from_value = _default_initializer(name, dtype)
        if initializing_from_value:
            init_val, variable_dtype = initializer, None
        else:
            if inspect.isclass(initializer):
                initializer = initializer()
            if shape.is_fully_defined():
                dims = shape.as_list()
                init_val = lambda: initializer(dims, dtype=dtype, partition_info=None)  # noqa: E731
                variable_dtype = dtype.base_dtype
            elif _takes_no_arguments(initializer):
                init_val, variable_dtype = initializer, None
            else:
                raise ValueError("The initializer passed is not valid. It should be a callable with no arguments "
                                 "and the shape should not be provided or an instance of "
                                 "`tf.keras.initializers.*' and `shape` should be fully defined.")
        v = variables.Variable(initial_value=init_val, name=name, trainable=trainable, collections=collections,
                               caching_device=caching_device, dtype=variable_dtype,
                               validate_shape=validate_shape, constraint=constraint)
        self.vars[name] = v
        if regularizer:
            with name_scope(name + "/Regularizer/"):
                loss = regularizer(v)
            if loss is not None:
                add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)
        return v


def _sync_aggregation_trainable(synchronization, aggregation, trainable):
    """TF's defaults: AUTO, NONE, and trainable unless the variable is synchronized ON_READ."""
    if synchronization is None:
        synchronization = variables.VariableSynchronization.AUTO
    if aggregation is None:
        aggregation = variables.VariableAggregation.NONE
    if trainable is None:
        trainable = synchronization != variables.VariableSynchronization.ON_READ
    return synchronization, aggregation, trainable


def _accepts_keyword(fn, keyword):
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.name == keyword or p.kind == p.VAR_KEYWORD for p in params)


def _in_notebook():
    """True inside a Jupyter kernel (checked without importing IPython)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def _notebook_hint():
    # re-running a notebook cell is how learners meet "already exists"; say what fixes it
    if not _in_notebook():
        return ""
    return ("In a notebook: reset the graph before re-running this cell (`%load_ext tfmini.widgets`, then "
            "`%tfmini_reset`, or the button of `tfmini.widgets.ResetButton()`), or start the cell with "
            "`%%tfmini_graph`.")


def _source_line(filename, lineno):
    import linecache
    return linecache.getline(filename, lineno).strip() or None


def _takes_no_arguments(fn):
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return False
    return all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
               for p in sig.parameters.values())


def _default_initializer(name, dtype):
    """TF's default: glorot_uniform for floats, zeros for ints, bools and strings ('')."""
    from . import init_ops
    if dtype.is_floating:
        return init_ops.glorot_uniform_initializer(), False
    if dtype.is_integer or dtype.is_unsigned or dtype.is_bool or dtype.base_dtype == dtypes.string:
        return init_ops.zeros_initializer(), False
    raise ValueError("An initializer for variable %s of %s is required" % (name, dtype.base_dtype))


class _VariableScopeStore:
    """The current VariableScope of one graph, and how often each scope name was opened."""

    def __init__(self):
        self.current_scope = VariableScope(False)
        self.variable_scopes_count = {}

    def open_variable_scope(self, scope_name):
        self.variable_scopes_count[scope_name] = self.variable_scopes_count.get(scope_name, 0) + 1

    def close_variable_subscopes(self, scope_name):
        for k in list(self.variable_scopes_count):
            if scope_name is None or k.startswith(scope_name + "/"):
                self.variable_scopes_count[k] = 0

    def variable_scope_count(self, scope_name):
        return self.variable_scopes_count.get(scope_name, 0)


def _var_store(graph=None):
    g = graph or get_default_graph()
    if g._variable_store is None:
        g._variable_store = _VariableStore()
    return g._variable_store


def _scope_store(graph=None):
    g = graph or get_default_graph()
    if g._variable_scope_stack is None:
        g._variable_scope_stack = _VariableScopeStore()
    return g._variable_scope_stack


# =========================================================================== VariableScope
class VariableScope:
    """What `get_variable` inside a `variable_scope` uses: a name prefix, a reuse mode, and default
    initializer, regularizer, dtype and custom getter."""

    def __init__(self, reuse, name="", initializer=None, regularizer=None, caching_device=None,
                 partitioner=None, custom_getter=None, name_scope="", dtype=dtypes.float32,
                 use_resource=None, constraint=None):
        self._name = name
        self._initializer = initializer
        self._regularizer = regularizer
        self._reuse = reuse
        self._caching_device = caching_device
        self._partitioner = partitioner
        self._custom_getter = custom_getter
        self._name_scope = name_scope
        self._dtype = dtypes.as_dtype(dtype)
        self._use_resource = use_resource
        self._constraint = constraint

    @property
    def name(self):
        return self._name

    @property
    def original_name_scope(self):
        """The name scope (with a trailing '/') opened when this scope was first entered."""
        return self._name_scope

    @property
    def reuse(self):
        return self._reuse

    @property
    def initializer(self):
        return self._initializer

    @property
    def dtype(self):
        return self._dtype

    @property
    def regularizer(self):
        return self._regularizer

    @property
    def custom_getter(self):
        return self._custom_getter

    @property
    def caching_device(self):
        return self._caching_device

    @property
    def partitioner(self):
        return self._partitioner

    @property
    def use_resource(self):
        return self._use_resource

    @property
    def constraint(self):
        return self._constraint

    def reuse_variables(self):
        """From now on in this scope, `get_variable` returns existing variables instead of creating them."""
        self._reuse = True

    def set_initializer(self, initializer):
        self._initializer = initializer

    def set_dtype(self, dtype):
        self._dtype = dtypes.as_dtype(dtype)

    def set_regularizer(self, regularizer):
        self._regularizer = regularizer

    def set_custom_getter(self, custom_getter):
        self._custom_getter = custom_getter

    def set_caching_device(self, caching_device):
        self._caching_device = caching_device

    def set_partitioner(self, partitioner):
        self._partitioner = partitioner

    def set_use_resource(self, use_resource):
        self._use_resource = use_resource

    def get_collection(self, name):
        scope = self._name + "/" if self._name else ""
        return get_default_graph().get_collection(name, scope)

    def trainable_variables(self):
        return self.get_collection(GraphKeys.TRAINABLE_VARIABLES)

    def global_variables(self):
        return self.get_collection(GraphKeys.GLOBAL_VARIABLES)

    def local_variables(self):
        return self.get_collection(GraphKeys.LOCAL_VARIABLES)

    def get_variable(self, var_store, name, shape=None, dtype=None, initializer=None, regularizer=None,
                     reuse=None, trainable=None, collections=None, caching_device=None, partitioner=None,
                     validate_shape=True, use_resource=None, custom_getter=None, constraint=None,
                     synchronization=None, aggregation=None):
        """Get or create `name` inside this scope (see `tf.get_variable`): arguments left None take
        this scope's defaults."""
        if regularizer is None:
            regularizer = self._regularizer
        if caching_device is None:
            caching_device = self._caching_device
        if partitioner is None:
            partitioner = self._partitioner
        if custom_getter is None:
            custom_getter = self._custom_getter
        if reuse is None:
            reuse = self._reuse
        if use_resource is None:
            use_resource = self._use_resource
        full_name = self._name + "/" + name if self._name else name
        # variable names depend on the variable scope only: create them outside any name scope
        with name_scope(None):
            # an explicit dtype must match a constant initializer's, checked before the scope's defaults apply
            if dtype is not None and initializer is not None and not callable(initializer):
                from .framework.ops import convert_to_tensor
                init_dtype = convert_to_tensor(initializer).dtype.base_dtype
                if init_dtype != dtypes.as_dtype(dtype):
                    raise ValueError("Initializer type '%s' and explicit dtype '%s' don't match."
                                     % (init_dtype, dtypes.as_dtype(dtype)))
            if initializer is None:
                initializer = self._initializer
            if constraint is None:
                constraint = self._constraint
            if dtype is None:
                dtype = self._dtype
            return var_store.get_variable(full_name, shape=shape, dtype=dtype, initializer=initializer,
                                          regularizer=regularizer, reuse=reuse, trainable=trainable,
                                          collections=collections, caching_device=caching_device,
                                          partitioner=partitioner, validate_shape=validate_shape,
                                          use_resource=use_resource, custom_getter=custom_getter,
                                          constraint=constraint, synchronization=synchronization,
                                          aggregation=aggregation)

    def __repr__(self):
        return "<tf.VariableScope '%s' reuse=%r>" % (self._name, self._reuse)


def get_variable_scope():
    """The current VariableScope (the root scope, named '', outside any `variable_scope`)."""
    return _scope_store().current_scope


def _get_unique_variable_scope(prefix):
    store = _scope_store()
    current = store.current_scope
    name = current.name + "/" + prefix if current.name else prefix
    if store.variable_scope_count(name) == 0:
        return prefix
    idx = 1
    while store.variable_scope_count(name + ("_%d" % idx)) > 0:
        idx += 1
    return prefix + ("_%d" % idx)


def _wrap_custom_getter(custom_getter, old_getter):
    """A nested custom getter calls the outer one as its `getter`."""
    if old_getter is None:
        return custom_getter

    def wrapped(getter, *args, **kwargs):
        return custom_getter(lambda *a, **k: old_getter(getter, *a, **k), *args, **kwargs)
    return wrapped


class _pure_variable_scope:  # noqa: N801 - TF's name
    """Enter a variable scope without touching name scopes (variable_scope does that part)."""

    def __init__(self, name_or_scope, reuse=None, initializer=None, regularizer=None, caching_device=None,
                 partitioner=None, custom_getter=None, old_name_scope=None, dtype=dtypes.float32,
                 use_resource=None, constraint=None):
        self._name_or_scope = name_or_scope
        self._reuse = reuse
        self._initializer = initializer
        self._regularizer = regularizer
        self._caching_device = caching_device
        self._partitioner = partitioner
        self._custom_getter = custom_getter
        self._old_name_scope = old_name_scope
        self._dtype = dtype
        self._use_resource = use_resource
        self._constraint = constraint
        self._store = _scope_store()
        self._last_scope = None

    def __enter__(self):
        store = self._store
        self._old = store.current_scope
        if isinstance(self._name_or_scope, VariableScope):
            s = self._name_or_scope
            self._new_name = s.name
            store.open_variable_scope(self._new_name)
            self._old_subscopes = dict(store.variable_scopes_count)
            scope = VariableScope(s.reuse if not self._reuse else self._reuse, name=self._new_name,
                                  initializer=s.initializer, regularizer=s.regularizer,
                                  caching_device=s.caching_device, partitioner=s.partitioner, dtype=s.dtype,
                                  custom_getter=s.custom_getter, name_scope=s.original_name_scope,
                                  use_resource=s.use_resource, constraint=self._constraint)
        else:
            self._new_name = (self._old.name + "/" + self._name_or_scope if self._old.name
                              else self._name_or_scope)
            reuse = self._reuse or self._old.reuse  # reuse is inherited by sub-scopes
            name_scope_str = self._name_or_scope if self._old_name_scope is None else self._old_name_scope
            # TF 1.x passes on everything but the constraint, which only the scope given it has
            # (in both branches: re-entering a scope object does not bring its constraint back either)
            scope = VariableScope(reuse, name=self._new_name, initializer=self._old.initializer,
                                  regularizer=self._old.regularizer, caching_device=self._old.caching_device,
                                  partitioner=self._old.partitioner, dtype=self._old.dtype,
                                  use_resource=self._old.use_resource, custom_getter=self._old.custom_getter,
                                  name_scope=name_scope_str, constraint=self._constraint)
            store.open_variable_scope(self._new_name)
        if self._initializer is not None:
            scope.set_initializer(self._initializer)
        if self._regularizer is not None:
            scope.set_regularizer(self._regularizer)
        if self._caching_device is not None:
            scope.set_caching_device(self._caching_device)
        if self._partitioner is not None:
            scope.set_partitioner(self._partitioner)
        if self._custom_getter is not None:
            scope.set_custom_getter(_wrap_custom_getter(self._custom_getter, scope.custom_getter
                                                        if isinstance(self._name_or_scope, VariableScope)
                                                        else self._old.custom_getter))
        if self._dtype is not None:
            scope.set_dtype(self._dtype)
        if self._use_resource is not None:
            scope.set_use_resource(self._use_resource)
        store.current_scope = scope
        self._last_scope = scope
        return scope

    def __exit__(self, *exc):
        store = self._store
        if store.current_scope is not self._last_scope:
            raise RuntimeError("Improper nesting of variable_scope.")
        if isinstance(self._name_or_scope, VariableScope):
            store.variable_scopes_count = self._old_subscopes
        else:
            store.close_variable_subscopes(self._new_name)
        store.current_scope = self._old
        return False


class variable_scope:  # noqa: N801 - TF's name
    """A context manager for defining ops that create variables (layers).

    `variable_scope("foo")` prefixes the names `get_variable` creates with `foo/` and opens the name
    scope `foo/` (or `foo_1/` when `foo` was opened before: ops get a fresh name scope, variables
    keep `foo/...`). `reuse=True` makes `get_variable` return existing variables (inherited by
    nested scopes); `reuse=tf.AUTO_REUSE` creates or reuses. With `name_or_scope=None`,
    `default_name` is made unique (`dense`, `dense_1`, ...).

    >>> with tf.variable_scope("foo"):
    ...     v = tf.get_variable("v", [1])
    >>> v.name
    'foo/v:0'
    """

    def __init__(self, name_or_scope, default_name=None, values=None, initializer=None, regularizer=None,
                 caching_device=None, partitioner=None, custom_getter=None, reuse=None, dtype=None,
                 use_resource=None, constraint=None, auxiliary_name_scope=True):
        self._name_or_scope = name_or_scope
        self._default_name = default_name
        self._values = values
        self._initializer = initializer
        self._regularizer = regularizer
        self._caching_device = caching_device
        self._partitioner = partitioner
        self._custom_getter = custom_getter
        self._reuse = reuse
        self._dtype = dtype
        self._use_resource = use_resource
        self._constraint = constraint
        if self._default_name is None and self._name_or_scope is None:
            raise TypeError("If default_name is None then name_or_scope is required")
        if self._reuse is False:
            self._reuse = None  # TF does not allow turning reuse off again: False means "inherit"
        if not (self._reuse is True or self._reuse is None or self._reuse is AUTO_REUSE):
            raise ValueError("The reuse parameter must be True or False or None.")
        if self._values is None:
            self._values = []
        if name_or_scope is not None and not isinstance(name_or_scope, (str, VariableScope)):
            raise TypeError("VariableScope: name_or_scope must be a string or VariableScope.")
        if not isinstance(auxiliary_name_scope, bool):
            raise TypeError("The auxiliary_name_scope must be `True` or `False`, while get {}"
                            .format(auxiliary_name_scope))
        self._auxiliary_name_scope = auxiliary_name_scope
        self._stack = []

    def __enter__(self):
        g = _graph_from_inputs(self._values)
        graph_ctx = g.as_default()
        graph_ctx.__enter__()
        self._stack.append(graph_ctx)
        try:
            return self._enter_scope_uncached()
        except Exception:
            graph_ctx.__exit__(None, None, None)
            self._stack.pop()
            raise

    def _enter_scope_uncached(self):
        if self._auxiliary_name_scope:
            ns_ctx = None  # a new name scope is opened below
        else:
            current = get_default_graph().get_name_scope()
            ns_ctx = name_scope(current + "/" if current else None)  # re-enter the current name scope
        kwargs = dict(initializer=self._initializer, regularizer=self._regularizer,
                      caching_device=self._caching_device, partitioner=self._partitioner,
                      custom_getter=self._custom_getter, dtype=self._dtype, use_resource=self._use_resource,
                      constraint=self._constraint)
        if self._name_or_scope is not None:
            if isinstance(self._name_or_scope, str):
                ns_name = self._name_or_scope
            else:
                ns_name = self._name_or_scope.name.split("/")[-1]
            if ns_name or ns_ctx is not None:
                # a string opens a new (made unique) name scope; so does re-entering a scope object,
                # whose variables keep its name while its ops go to e.g. 'foo_1/'
                ns_ctx = ns_ctx or name_scope(ns_name)
                entered = ns_ctx.__enter__()
                if isinstance(self._name_or_scope, str):
                    old_name_scope = entered
                else:
                    old_name_scope = self._name_or_scope.original_name_scope
                pure = _pure_variable_scope(self._name_or_scope, reuse=self._reuse,
                                            old_name_scope=old_name_scope, **kwargs)
            else:
                ns_ctx = None  # entering the root scope
                pure = _pure_variable_scope(self._name_or_scope, reuse=self._reuse, **kwargs)
        else:
            if self._reuse:
                raise ValueError("reuse=True cannot be used without a name_or_scope")
            ns_ctx = ns_ctx or name_scope(self._default_name)
            entered = ns_ctx.__enter__()
            unique_default_name = _get_unique_variable_scope(self._default_name)
            pure = _pure_variable_scope(unique_default_name, old_name_scope=entered, **kwargs)
        try:
            scope = pure.__enter__()
        except Exception:
            if ns_ctx is not None:
                ns_ctx.__exit__(None, None, None)
            raise
        self._stack.append((ns_ctx, pure))
        return scope

    def __exit__(self, exc_type, exc, tb):
        ns_ctx, pure = self._stack[-1]
        if pure._store.current_scope is not pure._last_scope:
            # checked before anything is undone, so the proper exit still works afterwards
            raise RuntimeError("Improper nesting of variable_scope.")
        self._stack.pop()
        try:
            pure.__exit__(exc_type, exc, tb)
        finally:
            if ns_ctx is not None:
                ns_ctx.__exit__(exc_type, exc, tb)
            self._stack.pop().__exit__(exc_type, exc, tb)
        return False


def variable_op_scope(values, name_or_scope, default_name=None, initializer=None, regularizer=None,
                      caching_device=None, partitioner=None, custom_getter=None, reuse=None, dtype=None,
                      use_resource=None, constraint=None):
    """Deprecated TF spelling of variable_scope(name_or_scope, default_name, values, ...)."""
    return variable_scope(name_or_scope, default_name=default_name, values=values, initializer=initializer,
                          regularizer=regularizer, caching_device=caching_device, partitioner=partitioner,
                          custom_getter=custom_getter, reuse=reuse, dtype=dtype, use_resource=use_resource,
                          constraint=constraint)


def get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None, trainable=None,
                 collections=None, caching_device=None, partitioner=None, validate_shape=True,
                 use_resource=None, custom_getter=None, constraint=None, synchronization=None,
                 aggregation=None):
    """Get an existing variable made by `get_variable` in the current scope, or create a new one.

    Creating needs reuse off (else ValueError "Variable ... does not exist"); getting needs reuse on
    (else ValueError "Variable ... already exists, disallowed"). The default initializer is
    glorot_uniform for floats. `name_scope` does not affect the name; `variable_scope` does.

    >>> with tf.variable_scope("foo"):
    ...     tf.get_variable("v", [1]).name
    'foo/v:0'
    """
    return get_variable_scope().get_variable(
        _var_store(), name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
        trainable=trainable, collections=collections, caching_device=caching_device,
        partitioner=partitioner, validate_shape=validate_shape, use_resource=use_resource,
        custom_getter=custom_getter, constraint=constraint, synchronization=synchronization,
        aggregation=aggregation)


def get_local_variable(name, shape=None, dtype=None, initializer=None, regularizer=None, trainable=False,
                       collections=None, caching_device=None, partitioner=None, validate_shape=True,
                       use_resource=None, custom_getter=None, constraint=None, synchronization=None,
                       aggregation=None):
    """get_variable for a local (not saved, not trained) variable."""
    collections = list(collections or []) + [GraphKeys.LOCAL_VARIABLES]
    return get_variable(name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
                        trainable=False, collections=collections, caching_device=caching_device,
                        partitioner=partitioner, validate_shape=validate_shape, use_resource=use_resource,
                        custom_getter=custom_getter, constraint=constraint, synchronization=synchronization,
                        aggregation=aggregation)
