"""tf.io.gfile: TensorFlow's file API on the local file system, with TF's error classes and messages."""
import errno as _errno
import os as _os

from ..framework import errors as _errors
from ..framework.api_hook import tf_module_getattr

__all__ = ["GFile", "exists", "makedirs", "mkdir", "glob", "listdir", "isdir", "remove", "rename", "copy",
           "rmtree", "stat", "walk", "join", "FileStatistics"]

# errno -> TF's error class (TensorFlow's ErrnoToCode, for the errors a local file system gives)
_ERRNO_CLASSES = {
    _errno.ENOENT: _errors.NotFoundError, _errno.ENODEV: _errors.NotFoundError, _errno.ENXIO: _errors.NotFoundError,
    _errno.EEXIST: _errors.AlreadyExistsError,
    _errno.EPERM: _errors.PermissionDeniedError, _errno.EACCES: _errors.PermissionDeniedError,
    _errno.EROFS: _errors.PermissionDeniedError,
    _errno.EISDIR: _errors.FailedPreconditionError, _errno.ENOTDIR: _errors.FailedPreconditionError,
    _errno.ENOTEMPTY: _errors.FailedPreconditionError, _errno.EBUSY: _errors.FailedPreconditionError,
    _errno.EBADF: _errors.FailedPreconditionError,
    _errno.ENOSPC: _errors.ResourceExhaustedError, _errno.EMFILE: _errors.ResourceExhaustedError,
    _errno.ENFILE: _errors.ResourceExhaustedError, _errno.ENOMEM: _errors.ResourceExhaustedError,
    _errno.EINVAL: _errors.InvalidArgumentError, _errno.ENAMETOOLONG: _errors.InvalidArgumentError,
    _errno.EFBIG: _errors.OutOfRangeError, _errno.EXDEV: _errors.UnimplementedError,
}


def _path(p):
    """A path argument as str (bytes and os.PathLike as TF's compat.path_to_str)."""
    p = _os.fspath(p)
    return p.decode("utf-8") if isinstance(p, bytes) else p


def _os_error(e, path):
    """An OSError as TF reports it: the class its errno maps to, and "<path>; <strerror>"."""
    cls = _ERRNO_CLASSES.get(e.errno, _errors.UnknownError)
    return cls(None, None, "%s; %s" % (path, _os.strerror(e.errno) if e.errno else e))


class FileStatistics:
    """What `stat` returns: `length` (bytes), `mtime_nsec` (int), `is_directory`."""

    def __init__(self, length=None, mtime_nsec=None, is_directory=None):
        self.length = length
        self.mtime_nsec = mtime_nsec
        self.is_directory = is_directory

    def __repr__(self):
        return "FileStatistics(length=%r, mtime_nsec=%r, is_directory=%r)" % (
            self.length, self.mtime_nsec, self.is_directory)


_MODES = {"r": "rb", "w": "wb", "a": "ab", "r+": "r+b", "w+": "w+b", "a+": "a+b"}


class GFile:
    """A file, as TF's tf.io.gfile.GFile / tf.gfile.GFile: opened at the first read or write (so a missing file
    raises NotFoundError there, not in the constructor); text mode reads str (utf-8), "b" modes bytes; write
    takes either. Mode: 'r', 'w', 'a', 'r+', 'w+' or 'a+', with or without 'b'."""

    def __init__(self, name, mode="r"):
        self._name = name
        self._mode = mode
        self._binary = "b" in mode
        plain = mode.replace("b", "")
        if plain not in _MODES:
            raise _errors.InvalidArgumentError(None, None, "mode is not 'r' or 'w' or 'a' or 'r+' or 'w+' or 'a+'")
        self._open_mode = _MODES[plain]
        self._readable = plain in ("r", "r+", "a+", "w+")
        self._writable = plain in ("w", "a", "r+", "a+", "w+")
        self._f = None

    name = property(lambda self: self._name, doc="The file name.")
    mode = property(lambda self: self._mode, doc="The mode it was opened with.")

    def _file(self):
        if self._f is None:
            path = _path(self._name)
            try:
                self._f = open(path, self._open_mode)
            except OSError as e:
                raise _os_error(e, path) from None
        return self._f

    def _check_read(self):
        if not self._readable:
            raise _errors.PermissionDeniedError(None, None, "File isn't open for reading")
        return self._file()

    def _check_write(self):
        if not self._writable:
            raise _errors.PermissionDeniedError(None, None, "File isn't open for writing")
        return self._file()

    def _value(self, b):
        return b if self._binary else b.decode("utf-8")

    def size(self):
        """The size of the file in bytes."""
        return stat(self._name).length

    def write(self, file_content):
        """Write `file_content` (str or bytes) at the end of what this GFile wrote."""
        f = self._check_write()
        f.write(file_content.encode("utf-8") if isinstance(file_content, str) else bytes(file_content))

    def read(self, n=-1):
        """The next `n` bytes (all that is left when n is -1): str in text mode, bytes in binary mode."""
        f = self._check_read()
        return self._value(f.read() if n == -1 else f.read(n))

    def readline(self):
        """The next line with its '\\n'; '' (b'') at the end of the file."""
        return self._value(self._check_read().readline())

    def readlines(self):
        """All the lines left, as a list."""
        return [self._value(line) for line in self._check_read().readlines()]

    def seek(self, offset=None, whence=0, position=None):
        """Go to byte `offset`, from the start (whence 0), the current position (1) or the end (2)."""
        f = self._check_read()
        if offset is None and position is None:
            raise TypeError("seek(): offset argument required")
        if offset is not None and position is not None:
            raise TypeError("seek(): offset and position may not be set simultaneously.")
        if whence not in (0, 1, 2):
            raise _errors.InvalidArgumentError(
                None, None, "Invalid whence argument: {}. Valid values are 0, 1, or 2.".format(whence))
        f.seek(position if offset is None else offset, whence)

    def seekable(self):
        return True

    def tell(self):
        """The current byte position."""
        return (self._check_read() if self._readable else self._check_write()).tell()

    def flush(self):
        if self._f is not None and self._writable:
            self._f.flush()

    def close(self):
        """Flush and close (what was written is in the file only after this, or `flush`)."""
        if self._f is not None:
            self._f.close()
            self._f = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration()
        return line

    next = __next__

    def __del__(self):
        f = self.__dict__.get("_f")
        if f is not None:
            f.close()


def exists(path):
    """True if `path` (a file or a directory) exists."""
    return _os.path.exists(_path(path))


def isdir(path):
    """True if `path` is a directory."""
    return _os.path.isdir(_path(path))


def mkdir(path):
    """Create the directory `path`; its parent must exist (NotFoundError otherwise). An existing directory is
    left as it is."""
    path = _path(path)
    try:
        _os.mkdir(path)
    except FileExistsError:
        if not _os.path.isdir(path):
            raise _os_error(FileExistsError(_errno.EEXIST, ""), path) from None
    except OSError as e:
        raise _os_error(e, path) from None


def makedirs(path):
    """Create `path` and every missing parent; FailedPreconditionError "<p> is not a directory" where a part of
    the path is a file."""
    path = _path(path)
    if _os.path.isdir(path):
        return
    parts = []
    head = path
    while head and not _os.path.exists(head):
        parts.append(head)
        head, tail = _os.path.split(head)
        if not tail:
            break
    if head and _os.path.exists(head) and not _os.path.isdir(head):
        raise _errors.FailedPreconditionError(None, None, "%s is not a directory" % head)
    for p in reversed(parts):
        mkdir(p)


def listdir(path):
    """The names (not paths) in directory `path`, in the file system's order, without '.' and '..';
    NotFoundError "Could not find directory <path>" when it is not a directory."""
    path = _path(path)
    if not _os.path.isdir(path):
        raise _errors.NotFoundError(None, None, "Could not find directory {}".format(path))
    try:
        return _os.listdir(path)
    except OSError as e:
        raise _os_error(e, path) from None


def glob(pattern):
    """The paths matching `pattern` (a str, or a list of them): '*', '?', '[...]' as in TF's
    get_matching_files; [] when nothing matches."""
    import glob as _glob  # noqa: PLC0415 - only where a pattern is matched
    patterns = [pattern] if isinstance(pattern, (str, bytes, _os.PathLike)) else list(pattern)
    out = []
    for p in patterns:
        out.extend(_glob.glob(_path(p)))
    return out


def remove(path):
    """Delete the file `path` (FailedPreconditionError for a directory, NotFoundError when missing)."""
    path = _path(path)
    try:
        _os.remove(path)
    except OSError as e:
        raise _os_error(e, path) from None


def rmtree(path):
    """Delete `path` and everything under it (a file too); NotFoundError "<path> not found" when missing."""
    path = _path(path)
    if not _os.path.lexists(path):
        raise _errors.NotFoundError(None, None, "%s not found" % path)
    if not _os.path.isdir(path) or _os.path.islink(path):
        remove(path)
        return
    import shutil  # noqa: PLC0415 - not needed by `import tfmini`
    try:
        shutil.rmtree(path)
    except OSError as e:
        raise _os_error(e, getattr(e, "filename", None) or path) from None


def _check_target(src, dst, overwrite):
    if not _os.path.exists(src):
        raise _errors.NotFoundError(None, None, "%s; %s" % (src, _os.strerror(_errno.ENOENT)))
    if not overwrite and _os.path.exists(dst):
        raise _errors.AlreadyExistsError(None, None, "file already exists")


def copy(src, dst, overwrite=False):
    """Copy the file `src` to `dst`; AlreadyExistsError "file already exists" if `dst` exists and not
    `overwrite`."""
    src, dst = _path(src), _path(dst)
    _check_target(src, dst, overwrite)
    import shutil  # noqa: PLC0415 - not needed by `import tfmini`
    try:
        shutil.copyfile(src, dst)
    except OSError as e:
        raise _os_error(e, getattr(e, "filename", None) or src) from None


def rename(src, dst, overwrite=False):
    """Move `src` to `dst`; AlreadyExistsError "file already exists" if `dst` exists and not `overwrite`."""
    src, dst = _path(src), _path(dst)
    _check_target(src, dst, overwrite)
    try:
        _os.replace(src, dst)
    except OSError as e:
        raise _os_error(e, src) from None


def stat(path):
    """FileStatistics(length, mtime_nsec, is_directory) of `path`; NotFoundError when missing."""
    path = _path(path)
    try:
        st = _os.stat(path)
    except OSError as e:
        raise _os_error(e, path) from None
    return FileStatistics(st.st_size, st.st_mtime_ns, _os.path.isdir(path))


def join(path, *paths):
    """`os.path.join` (TF's join also keeps URL schemes, which tfmini does not read)."""
    return _os.path.join(_path(path), *[_path(p) for p in paths])


def _full(parent, item):
    # as TF: an item starting with the separator is appended, not treated as an absolute path
    return join(parent, "") + item if item.startswith(_os.sep) else join(parent, item)


def walk(top, topdown=True, onerror=None):
    """Yield (dirname, [subdirnames], [filenames]) for `top` and each directory under it: a directory before
    its subdirectories when `topdown`, after them otherwise. A missing `top` yields nothing (or calls
    `onerror(NotFoundError)`)."""
    top = _path(top)
    try:
        listing = listdir(top)
    except _errors.NotFoundError as e:
        if onerror:
            onerror(e)
        return
    subdirs, files = [], []
    for item in listing:
        (subdirs if isdir(_full(top, item)) else files).append(item)
    here = (top, subdirs, files)
    if topdown:
        yield here
    for sub in subdirs:
        yield from walk(_full(top, sub), topdown, onerror)
    if not topdown:
        yield here


__getattr__ = tf_module_getattr("io.gfile", __name__)  # a TensorFlow name tfmini lacks: say so
