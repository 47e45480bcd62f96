"""arg_scope: default keyword arguments for the layers (slim.conv2d, ...) called inside a `with` block.

    with slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn=tf.nn.relu):
        with slim.arg_scope([slim.conv2d], stride=1, padding="SAME"):
            net = slim.conv2d(inputs, 64, [11, 11], scope="conv1")  # relu, stride 1, SAME

An argument given at the call overrides the scope's; one the scope gives as a keyword and the
call gives by position is given twice, so Python raises TypeError ("convolution2d() got
multiple values for argument 'stride'"), exactly as TF-Slim does. Only functions decorated
with `@add_arg_scope` can be named in an arg_scope.
"""
import contextlib
import functools

__all__ = ["arg_scope", "add_arg_scope", "current_arg_scope", "has_arg_scope", "arg_scoped_arguments",
           "arg_scope_func_key"]

# one stack for the whole process, as in TF-Slim: each entry maps a function key to its defaults
_ARGSTACK = [{}]

# function key -> the names of its keyword arguments (those with defaults)
_DECORATED_OPS = {}


def _get_arg_stack():
    if not _ARGSTACK:
        _ARGSTACK.append({})
    return _ARGSTACK


def current_arg_scope():
    """The innermost arg_scope: a dict {function key: {argument: value}}."""
    return _get_arg_stack()[-1]


def arg_scope_func_key(op):
    """The key a function's defaults are stored under (shared by a function and its decorated form)."""
    return getattr(op, "_key_op", str(op))


def _name_op(op):
    return "%s.%s" % (getattr(op, "__module__", "?"), getattr(op, "__name__", op))


def _kwarg_names(func):
    """The names of `func`'s positional-or-keyword parameters that have defaults (TF-Slim's rule)."""
    n_defaults = len(func.__defaults__) if func.__defaults__ else 0
    code = func.__code__
    return code.co_varnames[code.co_argcount - n_defaults:code.co_argcount]


@contextlib.contextmanager
def arg_scope(list_ops_or_scope, **kwargs):
    """Set default keyword arguments `kwargs` for every function in `list_ops_or_scope`.

    `list_ops_or_scope` is a list or tuple of `@add_arg_scope` functions, or a scope dict yielded
    by an earlier arg_scope (to enter it again; then `kwargs` must be empty). Nested scopes add
    to and override the outer ones. Yields the new scope dict.
    """
    if isinstance(list_ops_or_scope, dict):
        if kwargs:
            raise ValueError("When attempting to re-use a scope by suppling a dictionary, kwargs must be empty.")
        current_scope = list_ops_or_scope.copy()
    else:
        if not isinstance(list_ops_or_scope, (list, tuple)):
            raise TypeError("list_ops_or_scope must either be a list/tuple or reused scope (i.e. dict)")
        current_scope = current_arg_scope().copy()
        for op in list_ops_or_scope:
            key = arg_scope_func_key(op)
            if not has_arg_scope(op):
                raise ValueError("%s is not decorated with @add_arg_scope" % _name_op(op))
            if key in current_scope:
                merged = current_scope[key].copy()
                merged.update(kwargs)
                current_scope[key] = merged
            else:
                current_scope[key] = kwargs.copy()
    stack = _get_arg_stack()
    stack.append(current_scope)
    try:
        yield current_scope
    finally:
        stack.pop()


def add_arg_scope(func):
    """Decorate `func` so that an enclosing `arg_scope([func], ...)` supplies its keyword defaults.

    Keywords given at the call win over the scope's; the merged keywords go to `func` as keywords.
    """
    key = arg_scope_func_key(func)

    @functools.wraps(func)
    def func_with_args(*args, **kwargs):
        current_scope = current_arg_scope()
        current_args = kwargs
        if key in current_scope:
            current_args = current_scope[key].copy()
            current_args.update(kwargs)
        return func(*args, **current_args)

    _DECORATED_OPS[key] = _kwarg_names(func)
    func_with_args._key_op = key
    return func_with_args


def has_arg_scope(func):
    """True when `func` was decorated with `@add_arg_scope`."""
    return arg_scope_func_key(func) in _DECORATED_OPS


def arg_scoped_arguments(func):
    """The keyword arguments an arg_scope can set for `func` (a tuple of names)."""
    if not has_arg_scope(func):
        raise ValueError("%s is not decorated with @add_arg_scope" % _name_op(func))
    return _DECORATED_OPS[arg_scope_func_key(func)]
