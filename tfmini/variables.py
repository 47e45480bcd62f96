"""tf.Variable and the variable collections/initializers (values live in the Session)."""
from .framework import dtypes
from .framework.ops import (GraphKeys, Tensor, add_to_collections, convert_to_tensor,
                            get_collection, get_default_graph, name_scope, register_tensor_conversion_function)
from .framework.tensor_shape import TensorShape
from .ops import array_ops, control_flow_ops, math_ops, state_ops

__all__ = [
    "Variable", "global_variables", "all_variables", "trainable_variables", "local_variables",
    "model_variables", "moving_average_variables", "global_variables_initializer",
    "initialize_all_variables", "variables_initializer", "initialize_variables",
    "local_variables_initializer", "initialize_local_variables", "report_uninitialized_variables",
    "is_variable_initialized", "assert_variables_initialized", "VariableSynchronization",
    "VariableAggregation",
]


class VariableSynchronization:
    AUTO, NONE, ON_WRITE, ON_READ = 0, 1, 2, 3


class VariableAggregation:
    NONE, SUM, MEAN, ONLY_FIRST_REPLICA, ONLY_FIRST_TOWER = 0, 1, 2, 3, 3


class Variable:
    """A tensor-valued state that persists across `Session.run` calls, in each session separately.

    `tf.Variable(initial_value, name=...)` builds three ops: the storage `name` (VariableV2), its
    initializer `name/Assign`, and the snapshot `name/read` used when the variable feeds an op.

    >>> w = tf.Variable(tf.zeros((2, 2)), name="weight")
    >>> w
    <tf.Variable 'weight:0' shape=(2, 2) dtype=float32_ref>
    """

    def __init__(self, initial_value=None, trainable=True, collections=None, validate_shape=True,
                 caching_device=None, name=None, variable_def=None, dtype=None, expected_shape=None,
                 import_scope=None, constraint=None, use_resource=None, synchronization=None,
                 aggregation=None, shape=None):
        if variable_def is not None:
            if initial_value is not None:
                raise ValueError("variable_def and initial_value are mutually exclusive.")
            self._init_from_proto(variable_def, import_scope)
            return
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        init_from_fn = callable(initial_value)
        if collections is None:
            collections = [GraphKeys.GLOBAL_VARIABLES]
        if not isinstance(collections, (list, tuple, set)):
            raise ValueError("collections argument to Variable constructor must be a list, tuple, or set. "
                             "Got %s of type %s" % (collections, type(collections)))
        if constraint is not None and not callable(constraint):
            raise ValueError("The `constraint` argument must be a callable.")
        collections = list(collections)
        if trainable and GraphKeys.TRAINABLE_VARIABLES not in collections:
            collections.append(GraphKeys.TRAINABLE_VARIABLES)
        self._trainable = bool(trainable)
        self._constraint = constraint
        g = get_default_graph()
        # variables are created outside any control-dependency context (TF's init_scope)
        with g.control_dependencies(None):
            with name_scope(name, "Variable", [] if init_from_fn else [initial_value]) as scope:
                if init_from_fn:
                    with name_scope("Initializer"):
                        self._initial_value = convert_to_tensor(initial_value(), name="initial_value", dtype=dtype)
                else:
                    self._initial_value = convert_to_tensor(initial_value, name="initial_value", dtype=dtype)
                    if self._initial_value.graph is not g:
                        raise ValueError("initial_value %s must be from the same graph as the variable "
                                         "(the default graph)." % self._initial_value)
                    if self._initial_value.op._control_flow_context is not None:
                        raise ValueError("Initializer for variable %s is from inside a control-flow construct, such "
                                         "as a loop or conditional. When creating a variable inside a loop or "
                                         "conditional, use a lambda as the initializer." % scope[:-1])
                init_shape = self._initial_value.shape
                if shape is not None:
                    vshape = TensorShape(shape)
                elif validate_shape:
                    vshape = init_shape
                else:
                    vshape = TensorShape(None)
                if validate_shape and not vshape.is_fully_defined():
                    raise ValueError("initial_value must have a shape specified: %s" % self._initial_value)
                self._variable = state_ops.variable_op_v2(vshape, self._initial_value.dtype.base_dtype,
                                                          name=scope)
                self._initializer_op = state_ops.assign(self._variable, self._initial_value,
                                                        validate_shape=validate_shape).op
                self._snapshot = array_ops.identity(self._variable, name="read")
        self._caching_device = caching_device
        self._save_slice_info = None
        add_to_collections(collections, self)

    def _init_from_proto(self, variable_def, import_scope=None):
        """Wrap the ops of an imported graph that make a variable (what tf.train.import_meta_graph
        does with each VariableDef: a message, its bytes, or a dict of its fields)."""
        from .framework.meta_graph import prepend_name_scope, variable_def_fields
        fields = variable_def_fields(variable_def)
        g = get_default_graph()

        def element(key):
            return g.as_graph_element(prepend_name_scope(fields[key], import_scope))
        self._variable = element("variable_name")
        self._initializer_op = element("initializer_name")
        self._snapshot = element("snapshot_name")
        self._initial_value = element("initial_value_name") if fields.get("initial_value_name") else None
        self._trainable = bool(fields.get("trainable", False))
        self._constraint = None
        self._caching_device = None
        self._save_slice_info = None

    @staticmethod
    def from_proto(variable_def, import_scope=None):
        """A Variable over the imported ops a VariableDef names."""
        return Variable(variable_def=variable_def, import_scope=import_scope)

    # ---- identity
    @property
    def name(self):
        return self._variable.name

    @property
    def op(self):
        return self._variable.op

    @property
    def graph(self):
        return self._variable.graph

    @property
    def device(self):
        return self._variable.device

    @property
    def dtype(self):
        return self._variable.dtype

    @property
    def shape(self):
        return self._variable.shape

    def get_shape(self):
        return self._variable.shape

    @property
    def trainable(self):
        return self._trainable

    @property
    def constraint(self):
        return self._constraint

    @property
    def initializer(self):
        """The op that stores the initial value: run it (or `tf.global_variables_initializer()`) first."""
        return self._initializer_op

    @property
    def initial_value(self):
        return self._initial_value

    def initialized_value(self):
        """The variable's value if it has one in the running session, else its initial value (a tf.cond), e.g. to
        initialize another variable from this one: `w2 = tf.Variable(w.initialized_value() * 2)`."""
        with get_default_graph().control_dependencies(None):  # as TF's init_scope
            return control_flow_ops.cond(is_variable_initialized(self), self.read_value, lambda: self.initial_value)

    def _ref(self):
        return self._variable

    def _as_graph_element(self):
        return self._variable

    def value(self):
        """The snapshot tensor `name/read:0` that ops read the variable through."""
        return self._snapshot

    def read_value(self):
        """A new read of the variable's current value (an Identity op named 'read')."""
        return array_ops.identity(self._variable, name="read")

    # ---- updates
    def assign(self, value, use_locking=False, name=None, read_value=True):
        a = state_ops.assign(self._variable, value, use_locking=use_locking, name=name)
        return a if read_value else a.op

    def assign_add(self, delta, use_locking=False, name=None, read_value=True):
        a = state_ops.assign_add(self._variable, delta, use_locking=use_locking, name=name)
        return a if read_value else a.op

    def assign_sub(self, delta, use_locking=False, name=None, read_value=True):
        a = state_ops.assign_sub(self._variable, delta, use_locking=use_locking, name=name)
        return a if read_value else a.op

    # ---- evaluation
    def eval(self, session=None):
        """The variable's value in `session` (default: the default session)."""
        return self._variable.eval(session=session)

    def load(self, value, session=None):
        """Store `value` in the variable without adding ops (feeds the initializer)."""
        from .framework.ops import get_default_session
        session = session or get_default_session()
        if session is None:
            raise ValueError("Either session argument should be provided or default session should be "
                             "established")
        session.run(self._initializer_op, {self._initializer_op.inputs[1]: value})

    def set_shape(self, shape):
        self._variable.set_shape(shape)
        self._snapshot.set_shape(shape)

    def count_up_to(self, limit):
        """This variable's value, incremented once per run until it reaches `limit` (then OutOfRangeError)."""
        from .ops import state_ops
        return state_ops.count_up_to(self._variable, limit)

    # ---- printing
    def __repr__(self):
        return "<tf.Variable '%s' shape=%s dtype=%s>" % (self.name, self.shape, self.dtype.name)

    def __bool__(self):
        return Tensor.__bool__(self._snapshot)

    def __iter__(self):
        raise TypeError("'Variable' object is not iterable.")

    def __array__(self, dtype=None, copy=None):
        raise NotImplementedError("Cannot convert a symbolic tf.Variable (%s) to a numpy array; run it in a "
                                  "Session." % self.name)

    __hash__ = object.__hash__
    __array_priority__ = 100

    def __getitem__(self, key):
        return self.value()[key]


def _delegate(op_name):
    def method(self, *args):
        return getattr(self.value(), op_name)(*args)
    method.__name__ = op_name
    return method


for _op in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__", "__rtruediv__",
            "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__", "__rpow__", "__matmul__",
            "__rmatmul__", "__and__", "__rand__", "__or__", "__ror__", "__xor__", "__rxor__", "__neg__",
            "__abs__", "__invert__", "__lt__", "__le__", "__gt__", "__ge__"):
    setattr(Variable, _op, _delegate(_op))


def _variable_to_tensor(v, dtype=None, name=None, as_ref=False):
    return v._ref() if as_ref else v.value()


register_tensor_conversion_function(Variable, _variable_to_tensor)


# =========================================================================== collections
def global_variables(scope=None):
    """Variables in GraphKeys.GLOBAL_VARIABLES (those a Saver saves), optionally filtered by scope regex."""
    return get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


def all_variables():
    return global_variables()


def trainable_variables(scope=None):
    """Variables created with trainable=True: what optimizers update by default."""
    return get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope=None):
    return get_collection(GraphKeys.LOCAL_VARIABLES, scope)


def model_variables(scope=None):
    return get_collection(GraphKeys.MODEL_VARIABLES, scope)


def moving_average_variables(scope=None):
    return get_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, scope)


# =========================================================================== initializers
def variables_initializer(var_list, name="init"):
    """One op that initializes every variable in `var_list`."""
    if var_list:
        return control_flow_ops.group(*[v.initializer for v in var_list], name=name)
    return control_flow_ops.no_op(name=name)


def initialize_variables(var_list, name="init"):
    return variables_initializer(var_list, name=name)


def global_variables_initializer():
    """The op that initializes all global variables (run it once per session, before anything else)."""
    return variables_initializer(global_variables())


def initialize_all_variables():
    """The lecture's TF 0.x name for `global_variables_initializer()`."""
    return global_variables_initializer()


def local_variables_initializer():
    return variables_initializer(local_variables())


def initialize_local_variables():
    return local_variables_initializer()


def is_variable_initialized(variable):
    return state_ops.is_variable_initialized(variable)


def report_uninitialized_variables(var_list=None, name="report_uninitialized_variables"):
    """A 1-D string tensor with the names of the variables in `var_list` that have no value yet."""
    if var_list is None:
        var_list = global_variables() + local_variables()
    with name_scope(name):
        if not var_list:
            return array_ops.constant([], dtype=dtypes.string)
        mask = math_ops.logical_not(array_ops.stack([state_ops.is_variable_initialized(v) for v in var_list]))
        names = array_ops.constant([v.op.name.encode() for v in var_list])  # TF strings are bytes
        return array_ops.boolean_mask(names, mask)


def assert_variables_initialized(var_list=None):
    raise NotImplementedError("assert_variables_initialized: use report_uninitialized_variables")
