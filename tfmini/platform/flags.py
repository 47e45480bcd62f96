"""tf.flags and tf.app.flags: absl's command-line flags as TensorFlow 1.x re-exports them (DEFINE_*, FLAGS), with
absl's parsing rules and error classes, on the standard library alone (absl is not a dependency)."""
import sys as _sys

from ..framework.api_hook import tf_module_getattr

__all__ = ["FLAGS", "FlagValues", "Flag", "FlagHolder", "DEFINE_string", "DEFINE_integer", "DEFINE_float",
           "DEFINE_boolean", "DEFINE_bool", "DEFINE_enum", "DEFINE_list", "Error", "DuplicateFlagError",
           "IllegalFlagValueError", "UnrecognizedFlagError", "mark_flag_as_required", "mark_flags_as_required"]


class Error(Exception):
    """The base class of the flag errors (absl.flags.Error)."""


class DuplicateFlagError(Error):
    """A flag name was defined twice (in a notebook: a cell with DEFINE_* run again)."""


class IllegalFlagValueError(Error):
    """A flag's value (its default, or the command line's) does not parse."""


class UnrecognizedFlagError(Error):
    """A command-line flag that no DEFINE_* declared."""


# ============================================================================ parsers: text -> value
def _bound_help(kind, lower, upper):
    """absl's words for a bounded number: "a non-negative integer", "a number in the range [0, 1]"..."""
    article = "an " if kind == "integer" else "a "
    if lower is not None and upper is not None:
        return "%s%s in the range [%s, %s]" % (article, kind, lower, upper)
    if lower == 0:
        return "a non-negative " + kind
    if upper == 0:
        return "a non-positive " + kind
    if lower == 1 and kind == "integer":
        return "a positive integer"
    if upper == -1 and kind == "integer":
        return "a negative integer"
    return "%s %s %s" % (kind, ">=" if lower is not None else "<=", upper if lower is None else lower)


def _parse_number(convert, kind, lower, upper, types):
    """A parser for an int or float flag: text (or a number of `types`) -> value within the bounds."""
    def parse(text):
        if isinstance(text, str):
            value = convert(text.strip())
        elif isinstance(text, types) and not isinstance(text, bool):
            value = convert(text)
        else:
            raise TypeError("Expect argument to be a string or int, found %s" % type(text) if kind == "integer"
                            else "Expect argument to be a string, int, or float, found %s" % type(text))
        if (lower is not None and value < lower) or (upper is not None and value > upper):
            raise ValueError("%s is not %s" % (value, _bound_help(kind, lower, upper)))
        return value
    return parse


def _int(text):
    if isinstance(text, int):
        return int(text)
    base = 16 if text.lower().lstrip("+-").startswith("0x") else 10
    return int(text, base)


_TRUE, _FALSE = ("true", "t", "1"), ("false", "f", "0")


def _parse_bool(text):
    if isinstance(text, str):
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise ValueError("Non-boolean argument to boolean flag", text)
    if isinstance(text, int):  # bool, and 0/1 as absl takes them
        if text in (0, 1):
            return bool(text)
    raise TypeError("Non-boolean argument to boolean flag", text)


def _parse_list(text):
    if isinstance(text, list):
        return [str(v) for v in text]
    if not text:
        return []
    import csv  # noqa: PLC0415 - absl splits lists as CSV ("a,'b,c'"); not needed by `import tfmini`
    return [s.strip() for s in next(csv.reader([text], strict=True))]


def _parse_enum(values, case_sensitive):
    def parse(text):
        if case_sensitive:
            if text in values:
                return text
        else:
            for v in values:
                if isinstance(text, str) and v.upper() == text.upper():
                    return v
        raise ValueError("value should be one of <%s>" % "|".join(values))
    return parse


# ============================================================================ flags and the registry
class Flag:
    """One flag: `name`, `default`, `value`, `help`, `present` (how many times the command line set it)."""

    def __init__(self, parse, name, default, help, boolean=False, flag_type="string", short_name=None):
        self.name = name
        self.help = help
        self.short_name = short_name
        self.boolean = boolean
        self.flag_type = flag_type
        self._parse = parse
        self.present = 0
        self.using_default_value = True
        self.default = None if default is None else self._parse_value(default)
        self.value = self.default

    def _parse_value(self, text):
        try:
            return self._parse(text)
        except (TypeError, ValueError) as e:
            shown = text if isinstance(text, str) else (",".join(text) if isinstance(text, list) else text)
            message = e.args[0] if len(e.args) == 1 else str(e)
            raise IllegalFlagValueError("flag --%s=%s: %s" % (self.name, shown, message)) from None

    def parse(self, text):
        """Set the value from command-line text (IllegalFlagValueError when it does not parse)."""
        self.value = self._parse_value(text)
        self.present += 1
        self.using_default_value = False

    def __repr__(self):
        return "<%s:%s %s=%r>" % (type(self).__name__, self.flag_type, self.name, self.value)


class FlagHolder:
    """What a DEFINE_* returns: `.value` reads the flag (absl's FlagHolder)."""

    def __init__(self, flag_values, flag):
        self._flag_values = flag_values
        self._name = flag.name

    name = property(lambda self: self._name)
    value = property(lambda self: getattr(self._flag_values, self._name))
    default = property(lambda self: self._flag_values[self._name].default)

    def __bool__(self):
        raise TypeError("bool() not supported for instances of type 'FlagHolder' "
                        "(did you mean to use 'FlagHolder.value' instead?)")


def _suggest(name, flags):
    """absl's hint for a misspelt flag: ". Did you mean: steps ?" (close names), or ""."""
    import difflib  # noqa: PLC0415 - only on an unknown flag
    close = difflib.get_close_matches(name, list(flags), n=3, cutoff=0.75)
    return ". Did you mean: %s ?" % ", ".join(close) if close else ""


def _calling_module():
    """The module (by name) whose code called DEFINE_*: sys.argv[0] for __main__, as absl names it."""
    f = _sys._getframe(1)
    while f is not None and f.f_globals.get("__name__") == __name__:
        f = f.f_back
    name = f.f_globals.get("__name__", "") if f is not None else ""
    if name == "__main__" and _sys.argv and _sys.argv[0]:
        return name, _sys.argv[0]
    return name, name


class FlagValues:
    """The registry of flags (tf.flags.FLAGS): `FLAGS.name` reads a value, `FLAGS.name = v` sets it,
    `FLAGS(argv)` parses a command line and returns [argv[0]] + the arguments that are not flags.

    As TensorFlow's wrapper does, the first read of a flag parses sys.argv; tfmini does so with
    known_only=True, so that a notebook kernel's own arguments ('-f kernel.json') are left alone (TensorFlow's
    absl raises UnrecognizedFlagError "Unknown command line flag 'f'" there)."""

    def __init__(self):
        self.__dict__["_FlagValues__flags"] = {}
        self.__dict__["_defined_in"] = {}
        self.__dict__["_parsed"] = False
        self.__dict__["_required"] = set()

    # ------------------------------------------------------------------ registry
    def _flags(self):
        """{name: Flag}, short names included."""
        return self.__dict__["_FlagValues__flags"]

    def __getattr__(self, name):
        if name == "__flags":  # TF 1.4's `FLAGS.__flags` (in TF 1.5+: name -> Flag)
            return self._flags()
        flags = self._flags()
        if name not in flags:
            raise AttributeError(name)
        if not self.__dict__["_parsed"]:
            self(_sys.argv, known_only=True)
        return flags[name].value

    def __setattr__(self, name, value):
        flags = self._flags()
        if name not in flags:
            raise AttributeError(name)
        flags[name].value = value
        flags[name].using_default_value = False

    def __delattr__(self, name):
        flags = self._flags()
        if name not in flags:
            raise AttributeError(name)
        flag = flags.pop(name)
        other = flag.short_name if name == flag.name else flag.name
        if other is not None:
            flags.pop(other, None)
        self.__dict__["_defined_in"].pop(flag.name, None)

    def __contains__(self, name):
        return name in self._flags()

    def __getitem__(self, name):
        return self._flags()[name]

    def __iter__(self):
        return iter(self._flags())

    def __len__(self):
        return len(self._flags())

    def __dir__(self):
        return sorted(self._flags())

    def _register(self, flag):
        flags = self._flags()
        module, module_name = _calling_module()
        for key in (flag.name, flag.short_name):
            if key is None:
                continue
            if key in flags:
                first = self.__dict__["_defined_in"].get(flags[key].name, "<unknown>")
                raise DuplicateFlagError("The flag '%s' is defined twice. First from %s, second from %s. "
                                         "Description from first occurrence: %s"
                                         % (key, first, module_name, flags[key].help))
        flags[flag.name] = flag
        if flag.short_name:
            flags[flag.short_name] = flag
        self.__dict__["_defined_in"][flag.name] = module_name
        return FlagHolder(self, flag)

    # ------------------------------------------------------------------ parsing
    def is_parsed(self):
        return self.__dict__["_parsed"]

    def mark_as_parsed(self):
        self.__dict__["_parsed"] = True

    def unparse_flags(self):
        """Every flag back to its default, and the next read parses sys.argv again."""
        for flag in self._flags().values():
            flag.value, flag.present, flag.using_default_value = flag.default, 0, True
        self.__dict__["_parsed"] = False

    def flag_values_dict(self):
        """{name: value} of every flag."""
        return {f.name: f.value for f in self._flags().values()}

    def __call__(self, argv, known_only=False):
        """Parse `argv` (argv[0] is the program): '--name=value', '--name value', '-name=value', '--bool',
        '--nobool', '--' ends the flags. Returns [argv[0]] + the other arguments. An undefined flag raises
        UnrecognizedFlagError unless `known_only`, which keeps it among the arguments returned."""
        if isinstance(argv, (str, bytes)):
            raise TypeError("argv should be a tuple/list of strings, not bytes or string.")
        argv = list(argv)
        if not argv:
            raise ValueError("argv cannot be an empty list, and must contain the program name as the first "
                             "element.")
        flags = self._flags()
        rest = []
        args = argv[1:]
        i = 0
        while i < len(args):
            arg = args[i]
            i += 1
            if arg == "--":
                rest.extend(args[i:])
                break
            if not arg.startswith("-") or arg == "-":
                rest.append(arg)
                continue
            name, eq, value = arg.lstrip("-").partition("=")
            flag = flags.get(name)
            if flag is None and not eq and name.startswith("no") and name[2:] in flags and flags[name[2:]].boolean:
                flags[name[2:]].parse("false")
                continue
            if flag is None:
                if known_only:
                    rest.append(arg)
                    continue
                raise UnrecognizedFlagError("Unknown command line flag '%s'%s" % (name, _suggest(name, flags)))
            if not eq:
                if flag.boolean:
                    value = "true"
                elif i < len(args):
                    value = args[i]
                    i += 1
                else:
                    raise Error("Missing value for flag " + arg)
            flag.parse(value)
        self.__dict__["_parsed"] = True
        for name in sorted(self.__dict__["_required"]):
            if name in flags and flags[name].value is None:
                raise IllegalFlagValueError("flag --%s=None: Flag --%s must have a value other than None."
                                            % (name, name))
        return argv[:1] + rest


FLAGS = FlagValues()


# ============================================================================ DEFINE_*
def DEFINE_string(name, default, help, flag_values=FLAGS, short_name=None, **unused):  # noqa: N802 - TF's names
    """A string flag: `FLAGS.<name>` is `default` until the command line sets '--<name>=text'."""
    return flag_values._register(Flag(str, name, default, help, flag_type="string", short_name=short_name))


def DEFINE_integer(name, default, help, lower_bound=None, upper_bound=None, flag_values=FLAGS,  # noqa: N802
                   short_name=None, **unused):
    """An int flag; IllegalFlagValueError for text that is not an integer, or outside the bounds."""
    parse = _parse_number(_int, "integer", lower_bound, upper_bound, (int,))
    return flag_values._register(Flag(parse, name, default, help, flag_type="int", short_name=short_name))


def DEFINE_float(name, default, help, lower_bound=None, upper_bound=None, flag_values=FLAGS,  # noqa: N802
                 short_name=None, **unused):
    """A float flag; IllegalFlagValueError for text that is not a number, or outside the bounds."""
    parse = _parse_number(float, "number", lower_bound, upper_bound, (int, float))
    return flag_values._register(Flag(parse, name, default, help, flag_type="float", short_name=short_name))


def DEFINE_boolean(name, default, help, flag_values=FLAGS, short_name=None, **unused):  # noqa: N802
    """A bool flag: '--name' or '--name=true|t|1' sets it, '--noname' or '--name=false|f|0' clears it."""
    return flag_values._register(Flag(_parse_bool, name, default, help, boolean=True, flag_type="bool",
                                      short_name=short_name))


DEFINE_bool = DEFINE_boolean


def DEFINE_enum(name, default, enum_values, help, flag_values=FLAGS, case_sensitive=True,  # noqa: N802
                short_name=None, **unused):
    """A string flag restricted to `enum_values` (IllegalFlagValueError "value should be one of <a|b>")."""
    if not enum_values:
        raise ValueError("enum_values cannot be empty, found '%s'" % enum_values)
    parse = _parse_enum(list(enum_values), case_sensitive)
    return flag_values._register(Flag(parse, name, default, help, flag_type="string enum", short_name=short_name))


def DEFINE_list(name, default, help, flag_values=FLAGS, short_name=None, **unused):  # noqa: N802
    """A comma-separated list flag: '--name=a,b' gives ['a', 'b']."""
    return flag_values._register(Flag(_parse_list, name, default, help, flag_type="list", short_name=short_name))


def mark_flag_as_required(flag_name, flag_values=FLAGS):
    """Parsing a command line (FLAGS(argv), tf.app.run) then raises IllegalFlagValueError while the flag is None."""
    flag_values.__dict__["_required"].add(flag_name)


def mark_flags_as_required(flag_names, flag_values=FLAGS):
    for name in flag_names:
        mark_flag_as_required(name, flag_values)


__getattr__ = tf_module_getattr("flags", __name__)  # a TensorFlow name tfmini lacks: say so
