"""tf.gfile and tf.io.gfile on the local file system: TF's results, error classes and messages (checked against
TensorFlow 2.21, whose messages are quoted here)."""
import os

import pytest

import tfmini as tf

gf = tf.gfile


@pytest.fixture
def d(tmp_path):
    return str(tmp_path)


def test_gfile_reads_and_writes_text_and_bytes(d):
    p = os.path.join(d, "a.txt")
    assert not gf.Exists(p)
    with gf.GFile(p, "w") as f:
        f.write("hello\nworld\n")
    f = gf.GFile(p)
    assert (f.name, f.mode, f.size()) == (p, "r", 12)
    assert gf.GFile(p).read() == "hello\nworld\n"
    assert gf.GFile(p, "rb").read() == b"hello\nworld\n"
    assert gf.GFile(p).readlines() == ["hello\n", "world\n"]
    assert list(gf.GFile(p)) == ["hello\n", "world\n"]
    assert gf.GFile(p).read(3) == "hel"
    f = gf.GFile(p)
    f.seek(2)
    assert (f.tell(), f.read(2), f.tell()) == (2, "ll", 4)
    with gf.Open(p, "a") as f:
        f.write(b"more")
    assert tf.io.gfile.GFile(p).read() == "hello\nworld\nmore"
    assert gf.Open is gf.GFile and isinstance(gf.FastGFile(p), gf.GFile)


def test_gfile_errors(d):
    p = os.path.join(d, "a.txt")
    f = gf.GFile(p)  # as TF: opening is lazy, the read fails
    with pytest.raises(tf.errors.NotFoundError, match="^%s; No such file or directory$" % p):
        f.read()
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"^mode is not 'r' or 'w' or 'a' or 'r\+' or 'w\+' or "
                                                            r"'a\+'$"):
        gf.GFile(p, "x")
    with pytest.raises(tf.errors.PermissionDeniedError, match="^File isn't open for writing$"):
        gf.GFile(p, "r").write("x")
    with pytest.raises(tf.errors.PermissionDeniedError, match="^File isn't open for reading$"):
        gf.GFile(p, "w").read()
    with pytest.raises(tf.errors.NotFoundError, match="nope/x; No such file or directory$"):
        gf.GFile(os.path.join(d, "nope/x"), "w").write("x")
    with pytest.raises(tf.errors.FailedPreconditionError, match="^%s; Is a directory$" % d):
        gf.GFile(d).read()
    with pytest.raises(tf.errors.InvalidArgumentError, match="^Invalid whence argument: 5. Valid values are 0, 1, "
                                                             "or 2.$"):
        with gf.GFile(p, "w") as f:
            f.write("x")
        gf.GFile(p).seek(0, 5)


def test_directories(d):
    p = os.path.join(d, "a.txt")
    with gf.GFile(p, "w") as f:
        f.write("12345")
    gf.MkDir(os.path.join(d, "sub"))
    gf.MkDir(os.path.join(d, "sub"))  # an existing directory is fine, as in TF
    with pytest.raises(tf.errors.NotFoundError, match="x/y; No such file or directory$"):
        gf.MkDir(os.path.join(d, "x/y"))
    gf.MakeDirs(os.path.join(d, "m/n/o"))
    tf.io.gfile.makedirs(os.path.join(d, "m/n/o"))
    with pytest.raises(tf.errors.FailedPreconditionError, match="^%s is not a directory$" % p):
        gf.MakeDirs(os.path.join(p, "q"))
    assert (gf.IsDirectory(d), gf.IsDirectory(p), tf.io.gfile.isdir(p + "x")) == (True, False, False)
    assert sorted(gf.ListDirectory(d)) == ["a.txt", "m", "sub"]
    for bad in (d + "/zz", p):
        with pytest.raises(tf.errors.NotFoundError, match="^Could not find directory %s$" % bad):
            tf.io.gfile.listdir(bad)
    assert sorted(gf.Glob(os.path.join(d, "*"))) == [p, os.path.join(d, "m"), os.path.join(d, "sub")]
    assert tf.io.gfile.glob([os.path.join(d, "*.txt"), os.path.join(d, "s*")]) == [p, os.path.join(d, "sub")]
    assert gf.Glob(os.path.join(d, "nope/*")) == []
    walked = [(r.replace(d, "D"), sorted(ds), sorted(fs)) for r, ds, fs in gf.Walk(d)]
    assert sorted(walked) == [("D", ["m", "sub"], ["a.txt"]), ("D/m", ["n"], []), ("D/m/n", ["o"], []),
                              ("D/m/n/o", [], []), ("D/sub", [], [])]
    assert walked[0][0] == "D"
    bottom_up = [r.replace(d, "D") for r, _, _ in tf.io.gfile.walk(d, topdown=False)]
    assert bottom_up[-1] == "D" and bottom_up.index("D/m/n/o") < bottom_up.index("D/m/n") < bottom_up.index("D/m")
    assert list(gf.Walk(d + "/zz")) == []
    seen = []
    assert list(tf.io.gfile.walk(d + "/zz", onerror=seen.append)) == [] and isinstance(seen[0], tf.errors.NotFoundError)
    st = gf.Stat(p)
    assert (st.length, st.is_directory, isinstance(st.mtime_nsec, int)) == (5, False, True)
    assert tf.io.gfile.stat(d).is_directory
    with pytest.raises(tf.errors.NotFoundError, match="^%sx; No such file or directory$" % p):
        gf.Stat(p + "x")
    gf.DeleteRecursively(os.path.join(d, "m"))
    assert not gf.Exists(os.path.join(d, "m"))
    with pytest.raises(tf.errors.NotFoundError, match="^%s not found$" % os.path.join(d, "m")):
        tf.io.gfile.rmtree(os.path.join(d, "m"))
    assert tf.io.gfile.join("a", "b", "c") == os.path.join("a", "b", "c")


def test_copy_rename_remove(d):
    p, b, c = (os.path.join(d, n) for n in ("a.txt", "b.txt", "c.txt"))
    with gf.GFile(p, "w") as f:
        f.write("abc")
    gf.Copy(p, b)
    with pytest.raises(tf.errors.AlreadyExistsError, match="^file already exists$"):
        gf.Copy(p, b)
    with gf.GFile(p, "w") as f:
        f.write("new")
    tf.io.gfile.copy(p, b, overwrite=True)
    assert gf.GFile(b).read() == "new"
    with pytest.raises(tf.errors.NotFoundError, match="^%sx; No such file or directory$" % p):
        gf.Copy(p + "x", c)
    gf.Rename(b, c)
    assert not gf.Exists(b) and gf.GFile(c).read() == "new"
    with pytest.raises(tf.errors.AlreadyExistsError, match="^file already exists$"):
        gf.Rename(p, c)
    tf.io.gfile.rename(p, c, overwrite=True)
    assert not gf.Exists(p)
    with pytest.raises(tf.errors.NotFoundError, match="^%s; No such file or directory$" % p):
        gf.Rename(p, b)
    gf.Remove(c)
    with pytest.raises(tf.errors.NotFoundError, match="^%s; No such file or directory$" % c):
        tf.io.gfile.remove(c)
    gf.MkDir(os.path.join(d, "sub"))
    with pytest.raises(tf.errors.FailedPreconditionError, match="sub; Is a directory$"):
        gf.Remove(os.path.join(d, "sub"))
    with gf.GFile(b, "w") as f:
        f.write("x")
    gf.DeleteRecursively(b)  # a file too, as in TF
    assert not gf.Exists(b)


def test_names_tfmini_lacks_say_so():
    with pytest.raises(AttributeError, match="tf.io.gfile.get_registered_schemes is TensorFlow 1.x API"):
        tf.io.gfile.get_registered_schemes  # noqa: B018
    with pytest.raises(AttributeError, match="tf.io.decode_proto is TensorFlow 1.x API"):
        tf.io.decode_proto  # noqa: B018
    with pytest.raises(AttributeError, match="module 'tfmini.gfile' has no attribute 'exists'$"):
        tf.gfile.exists  # noqa: B018 - TF 1.x's tf.gfile has the CamelCase names only
