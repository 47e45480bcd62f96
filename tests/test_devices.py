"""Devices: placement, transfers between host and device, GPU memory, and the backends themselves.

Everything runs on the fake GPU (numpy standing in for a device, tfmini/runtime/fake_backend.py),
so it is checked on every machine; the tests at the end need a real GPU (CuPy) and are skipped
without one. The op, gradient and conformance tables run on every backend through the `backend`
fixture (tests/conftest.py).
"""
import importlib.util
import os
import subprocess
import sys

import numpy as np
import pytest

import tfmini as tf
from conftest import GPU_PROBLEM
from tfmini.runtime import device, fake_backend
from tfmini.runtime.executor import DevicePlan

GPU = "/job:localhost/replica:0/task:0/device:GPU:0"
CPU = "/job:localhost/replica:0/task:0/device:CPU:0"
needs_gpu = pytest.mark.skipif(GPU_PROBLEM is not None, reason=str(GPU_PROBLEM))


@pytest.fixture
def fake():
    """Sessions made inside use the fake GPU; transfer and sync counters start at zero."""
    with device.use_backend("fake"):
        fake_backend.reset_stats()
        yield fake_backend.STATS


@pytest.fixture
def small_fake_gpu(monkeypatch, fake):
    """A 64 MiB fake GPU whose sessions follow their ConfigProto (no forced growth)."""
    monkeypatch.delenv("TF_FORCE_GPU_ALLOW_GROWTH", raising=False)
    saved = fake_backend.DEVICE.total_bytes
    fake_backend.configure(total_bytes=64 << 20)
    yield fake_backend.DEVICE
    fake_backend.configure(total_bytes=saved)


def _plan(sess):
    plans = list(sess._plans.values())
    assert plans
    return plans[-1]


# =========================================================================== the fake backend itself
def test_fake_arrays_refuse_numpy():
    xp = fake_backend.XP
    a = fake_backend.to_device(np.arange(6.0).reshape(2, 3))
    assert isinstance(xp.add(a, 1.0), fake_backend.FakeArray)
    with pytest.raises(TypeError, match=r"Unsupported type <class 'numpy\.ndarray'>: xp\.add got a host \(numpy\) "
                                        r"array where a device array is needed"):
        xp.add(a, np.ones(3))
    with pytest.raises(TypeError, match=r"Unsupported type <class 'numpy\.ndarray'>: the operator __add__"):
        a + np.ones(3)
    with pytest.raises(TypeError, match=r"Unsupported type <class 'numpy\.ndarray'>"):
        np.ones(3) + a
    with pytest.raises(TypeError, match=r"^Implicit conversion to a NumPy array is not allowed"):
        np.asarray(a)
    with pytest.raises(TypeError, match=r"^numpy\.concatenate was called on a device array: kernels must call "
                                        r"xp\.concatenate$"):
        np.concatenate([a, a])
    with pytest.raises(NotImplementedError, match=r"`maximum\.reduce` is not supported yet"):
        xp.maximum.reduce(a, axis=0)
    with pytest.raises(AttributeError, match=r"module 'cupy' has no attribute 'errstate'"):
        xp.errstate
    with pytest.raises(AttributeError, match=r"module 'cupy\.linalg' has no attribute 'multi_dot'"):
        xp.linalg.multi_dot
    with pytest.raises(AttributeError, match=r"^xp\.vectorize is not for kernels"):
        xp.vectorize
    with pytest.raises(AttributeError, match=r"'cupy\.ndarray' object has no attribute 'resize'"):
        a.resize
    with pytest.raises(NotImplementedError, match=r"`multiply\.at` is not supported yet"):
        xp.multiply.at(a, 0, 2.0)
    xp.subtract.at(a, 0, 1.0)  # CuPy scatters add, subtract, maximum, minimum and the bitwise ops
    a[0] += 1.0
    with pytest.raises(TypeError, match=r"^Unsupported dtype object"):
        fake_backend.to_device(np.array([b"a"], dtype=object))
    np.testing.assert_array_equal(a.get(), np.arange(6.0).reshape(2, 3))
    assert (np.float32(2) * a).get()[1, 2] == 10.0  # numpy scalars mix, as on CuPy


@pytest.mark.skipif(importlib.util.find_spec("cupy") is None, reason="CuPy is not installed (no GPU needed)")
def test_the_stand_in_device_refuses_what_cupy_lacks():
    """The fake device's list of numpy names that CuPy lacks is complete for the CuPy installed here
    (the list was made with CuPy 14.2; importing CuPy needs no GPU)."""
    import cupy
    pairs = {"xp": (np, cupy), "xp.linalg": (np.linalg, cupy.linalg), "xp.random": (np.random, cupy.random),
             "xp.fft": (np.fft, cupy.fft), "xp.lib": (np.lib, cupy.lib), "ndarray": (np.ndarray, cupy.ndarray)}
    for path, (host, dev) in pairs.items():
        lacking = {n for n in dir(host) if not n.startswith("_")} - set(dir(dev))
        assert lacking <= fake_backend._NOT_IN_CUPY[path] | fake_backend._HOST_ONLY, (path, sorted(lacking))
        refused_but_there = fake_backend._NOT_IN_CUPY[path] & set(dir(dev))
        assert not refused_but_there, (path, sorted(refused_but_there))  # a newer CuPy has them: refuse less


def test_fake_arrays_count_reads_into_python():
    fake_backend.reset_stats()
    a = fake_backend.to_device(np.array([3, 1, 2]))
    assert int(a.max()) == 3 and a.tolist() == [3, 1, 2]
    assert fake_backend.STATS["syncs"] == 2
    assert "int()" in fake_backend.STATS["sync_sites"][0]
    assert fake_backend.STATS["h2d"] == 1
    assert isinstance(fake_backend.XP.sum(a), fake_backend.FakeArray)  # reductions stay on the device, 0-d


# =========================================================================== placement
def test_ops_go_to_the_gpu_by_default_and_log_as_tf(fake, capsys):
    a = tf.constant([1.0, 2.0], name="a")
    b = tf.square(a, name="b")
    with tf.Session(config=tf.ConfigProto(log_device_placement=True)) as sess:
        np.testing.assert_array_equal(sess.run(b), [1.0, 4.0])
    err = capsys.readouterr().err
    assert err.startswith("Device mapping:\n%s -> device: 0, name: tfmini fake GPU (numpy)" % GPU)
    assert "b: (Square): %s\n" % GPU in err
    assert "a: (Const): %s\n" % GPU in err


def test_cpu_device_forces_the_cpu(fake, capsys):
    x = tf.placeholder(tf.float32, [2], name="x")
    with tf.device("/cpu:0"):
        c = tf.multiply(x, 2.0, name="on_cpu")
    g = tf.add(c, 1.0, name="on_gpu")
    with tf.Session(config=tf.ConfigProto(log_device_placement=True)) as sess:
        np.testing.assert_array_equal(sess.run(g, {x: [1.0, 2.0]}), [3.0, 5.0])
        src = _plan(sess).source
    err = capsys.readouterr().err
    assert "on_cpu: (Mul): %s" % CPU in err and "on_gpu: (Add): %s" % GPU in err
    # one transfer up, for the GPU op, and one down for the fetch
    assert src.count("todev(") == 1 and src.count("tohost(") == 1
    assert fake["h2d"] >= 1 and fake["d2h"] == 1


def test_random_ops_draw_on_the_gpu_from_a_shape_in_host_memory(fake):
    """A random op's only input, its shape, is int32 in host memory; the op still runs on the device (as TF's
    GPU kernels): made on the host, a dropout's numbers were copied up on every run."""
    x = tf.placeholder(tf.float32, [None, 8], name="x")
    y = tf.nn.dropout(x, 0.5, seed=3)
    with tf.Session() as sess:
        sess.run(y, {x: np.ones((4, 8), np.float32)})
        fake_backend.reset_stats()  # (building the plan moved its folded constants)
        sess.run(y, {x: np.ones((4, 8), np.float32)})
        src = _plan(sess).source
    # one copy up (the feed) and one down (the fetch): nothing else crosses
    assert src.count("todev(") == 1 and src.count("tohost(") == 1, src
    assert fake["h2d"] == 1 and fake["d2h"] == 1


def test_ops_without_a_gpu_kernel_run_on_the_cpu(fake, capsys):
    x = tf.constant([1.0, 2.0], name="x")
    p = tf.Print(x, [x], message="x=", name="p")
    s = tf.constant("text", name="s")
    with tf.Session(config=tf.ConfigProto(log_device_placement=True)) as sess:
        out, text = sess.run([p * 2.0, s])
    captured = capsys.readouterr().err
    assert "p: (Print): %s" % CPU in captured and "s: (Const): %s" % CPU in captured
    assert "x=[1 2]" in captured
    np.testing.assert_array_equal(out, [2.0, 4.0])
    assert text == b"text"


def test_explicit_gpu_without_a_gpu_kernel(fake):
    with tf.device("/gpu:0"):
        x = tf.constant([1.0], name="x")
        p = tf.Print(x, [x], name="p")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"^Cannot assign a device for operation p: Could not satisfy explicit device "
                                 r"specification '/device:GPU:0' because no supported kernel for GPU devices is "
                                 r"available\.\n\t \[\[node p \(defined at .*test_devices\.py:\d+\) \]\]$"):
            sess.run(p)
    with tf.Session(config=tf.ConfigProto(allow_soft_placement=True, log_device_placement=True)) as sess:
        np.testing.assert_array_equal(sess.run(p), [1.0])
        assert sess._devices.place(p.op) == device.CPU


def test_a_device_this_machine_lacks(fake):
    x = tf.constant(1.0)
    with tf.device("/gpu:1"):
        y = tf.add(x, x, name="y")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"^Cannot assign a device for operation y: node y \(defined at .*\) was explicitly "
                                 r"assigned to /device:GPU:1 but available devices are \[ %s, %s \]\. Make sure the "
                                 r"device specification refers to a valid device\." % (CPU, GPU)):
            sess.run(y)
    with tf.Session(config=tf.ConfigProto(allow_soft_placement=True)) as sess:
        assert sess.run(y) == 2.0
        assert sess._devices.place(y.op) == device.GPU


def test_variable_updates_run_where_the_variable_is(fake):
    with tf.device("/cpu:0"):
        w = tf.Variable([1.0, 2.0], name="w")
    loss = tf.reduce_sum(tf.square(w))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    with tf.Session() as sess:
        sess.run(w.initializer)
        sess.run(train)
        np.testing.assert_allclose(sess.run(w), [0.0, 0.0])
        update = [op for op in tf.get_default_graph().get_operations() if op.type == "ApplyGradientDescent"][0]
        assert sess._devices.place(update) == device.CPU
        assert sess._devices.place(w.initializer) == device.CPU
        assert sess._devices.place(loss.op) == device.GPU
        assert isinstance(sess._state.slot_for(w.op).value, np.ndarray)  # in host memory


def test_no_gpu_runs_on_the_cpu_with_one_note(capsys):
    device.reset_note()
    with tf.device("/gpu:0"):
        y = tf.add(tf.constant(1.0), 2.0, name="y")
    with device.use_backend("numpy"):
        with tf.Session(config=tf.ConfigProto(log_device_placement=True)) as sess:
            assert sess.run(y) == 3.0
        with tf.Session() as sess:
            assert sess.run(y) == 3.0
    err = capsys.readouterr().err
    assert err.count("tfmini: no GPU here (the numpy backend was chosen); ops placed on /device:GPU:0 run on "
                     "the CPU.\n") == 1
    assert "Device mapping: no known devices." in err
    assert "y: (Add): %s" % CPU in err


def test_device_count_gpu_0_means_cpu_only(fake):
    y = tf.add(tf.constant(1.0), 2.0)
    with tf.Session(config=tf.ConfigProto(device_count={"GPU": 0})) as sess:
        assert sess.run(y) == 3.0
        assert sess._devices.gpu is None and not isinstance(_plan(sess), DevicePlan)
        assert [d.device_type for d in sess.list_devices()] == ["CPU"]


def test_list_devices_shows_the_gpu(fake):
    with tf.Session() as sess:
        devs = sess.list_devices()
    assert [d.name for d in devs] == [CPU, GPU]
    assert devs[1].device_type == "GPU" and devs[1].memory_limit_bytes > 0


# =========================================================================== values and transfers
def _perceptron(tf, labels_dtype):
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], np.float32)
    y = np.array([0, 0, 0, 1])
    inputs = tf.placeholder(tf.float32, [None, 2])
    label = tf.placeholder(labels_dtype, [None])
    weight = tf.Variable(tf.random_normal([2, 2], seed=1))
    bias = tf.Variable(tf.zeros([2]))
    logit = tf.matmul(inputs, weight) + bias
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=label, logits=logit))
    opt = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    return [opt, loss], {inputs: x, label: y}


def _mlp(tf, labels_dtype):
    rng = np.random.RandomState(0)
    x = tf.placeholder(tf.float32, [None, 20])
    y = tf.placeholder(labels_dtype, [None])
    h = tf.layers.dense(x, 16, activation=tf.nn.relu, kernel_initializer=tf.glorot_uniform_initializer(seed=2))
    h = tf.layers.dense(h, 16, activation=tf.nn.sigmoid, kernel_initializer=tf.glorot_uniform_initializer(seed=3))
    logits = tf.layers.dense(h, 5, kernel_initializer=tf.glorot_uniform_initializer(seed=4))
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=tf.one_hot(y, 5), logits=logits))
    acc = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), tf.cast(y, tf.int64)), tf.float32))
    train = tf.train.AdamOptimizer(0.01).minimize(loss)
    return [train, loss, acc], {x: rng.rand(8, 20).astype(np.float32), y: rng.randint(0, 5, 8)}


def _cnn(tf, labels_dtype):
    rng = np.random.RandomState(0)
    x = tf.placeholder(tf.float32, [None, 12, 12, 1])
    y = tf.placeholder(labels_dtype, [None])
    init = tf.truncated_normal_initializer(stddev=0.1, seed=5)
    h = tf.layers.conv2d(x, 4, 3, padding="same", activation=tf.nn.relu, kernel_initializer=init)
    h = tf.layers.max_pooling2d(h, 2, 2)
    h = tf.layers.conv2d(h, 8, 3, padding="valid", activation=tf.nn.relu, kernel_initializer=init)
    h = tf.reshape(h, [-1, 4 * 4 * 8])
    logits = tf.layers.dense(h, 3, kernel_initializer=init)
    loss = tf.losses.sparse_softmax_cross_entropy(labels=y, logits=logits)
    train = tf.train.MomentumOptimizer(0.05, 0.9).minimize(loss)
    return [train, loss], {x: rng.rand(6, 12, 12, 1).astype(np.float32), y: rng.randint(0, 3, 6)}


def _losses(build, labels_dtype, backend, steps=4):
    tf.reset_default_graph()
    with device.use_backend(backend):
        fetches, feed = build(tf, labels_dtype)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            out = [sess.run(fetches, feed)[1:] for _ in range(steps)]
            fake_backend.reset_stats()
            sess.run(fetches, feed)
            stats = dict(fake_backend.STATS)
            is_device = isinstance(_plan(sess), DevicePlan)
    return np.array(out, np.float64), stats, is_device


@pytest.mark.parametrize("build", [_perceptron, _mlp, _cnn], ids=["perceptron", "mlp", "cnn"])
@pytest.mark.parametrize("labels_dtype", ["int32", "int64"])
def test_training_steps_agree_and_never_sync(build, labels_dtype):
    """The lecture's workloads train the same on the fake GPU as on the CPU (same seeds, same numbers),
    and a step reads nothing back from the device but its fetches: no int(), .tolist() in a kernel."""
    cpu, _, on_device = _losses(build, labels_dtype, "numpy")
    assert not on_device
    gpu, stats, on_device = _losses(build, labels_dtype, "fake")
    assert on_device
    np.testing.assert_allclose(gpu, cpu, rtol=1e-5, atol=1e-6)
    assert stats["syncs"] == 0, stats["sync_sites"]
    assert stats["d2h"] == len(gpu[0])  # only the fetched values come back


def test_fetched_values_are_numpy_and_owned(fake):
    w = tf.Variable([1.0, 2.0])
    s = tf.reduce_sum(w)
    with tf.Session() as sess:
        sess.run(w.initializer)
        got_w, got_s = sess.run([w, s])
        assert type(got_w) is np.ndarray and isinstance(got_s, np.float32)
        got_w[0] = 100.0  # the caller's copy: the variable keeps its value
        np.testing.assert_array_equal(sess.run(w), [1.0, 2.0])
        assert isinstance(sess._state.slot_for(w.op).value, fake_backend.FakeArray)


def test_shape_arithmetic_stays_on_the_host(fake):
    x = tf.placeholder(tf.float32, [None, None])
    flat = tf.reshape(x, [tf.shape(x)[0] * tf.shape(x)[1]])
    tiled = tf.tile(x, tf.stack([1, tf.size(x) // tf.shape(x)[1]]))
    with tf.Session() as sess:
        a = np.arange(6, dtype=np.float32).reshape(2, 3)
        f, t = sess.run([flat, tiled], {x: a})
        src = _plan(sess).source
    np.testing.assert_array_equal(f, a.reshape(-1))
    np.testing.assert_array_equal(t, np.tile(a, (1, 2)))
    assert fake["syncs"] == 0, fake["sync_sites"]
    assert src.count("todev(") == 1  # the feed; shapes never go up


def test_checkpoints_move_between_devices(fake, tmp_path):
    w = tf.Variable(np.arange(6, dtype=np.float32).reshape(2, 3), name="w")
    saver = tf.train.Saver()
    path = str(tmp_path / "m")
    with tf.Session() as sess:  # on the fake GPU
        sess.run(w.initializer)
        sess.run(w.assign_add(tf.ones([2, 3])))
        saver.save(sess, path)
    with device.use_backend("numpy"), tf.Session() as sess:  # back on the CPU
        saver.restore(sess, path)
        np.testing.assert_array_equal(sess.run(w), np.arange(6).reshape(2, 3) + 1)
        sess.run(w.assign(w * 2))
        saver.save(sess, path)
    with tf.Session() as sess:  # and on the fake GPU again
        saver.restore(sess, path)
        assert isinstance(sess._state.slot_for(w.op).value, fake_backend.FakeArray)
        np.testing.assert_array_equal(sess.run(w), (np.arange(6).reshape(2, 3) + 1) * 2)


def test_gpu_kernels_follow_tf_gpu_semantics(fake):
    """A backend's own kernel replaces the shared one on its device: TF's GPU cross-entropy kernel does
    not check labels (a round trip to the host); a bad label gives a NaN row, as on TF's GPU."""
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.placeholder(tf.int32, [None])
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=x)
    with tf.Session() as sess:
        out = sess.run(loss, {x: np.zeros((2, 3)), y: [1, 5]})
    np.testing.assert_allclose(out[0], np.log(3.0), rtol=1e-6)
    assert np.isnan(out[1])
    with device.use_backend("numpy"), tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"Received a label value of 5"):
            sess.run(loss, {x: np.zeros((2, 3)), y: [1, 5]})


def test_errors_name_the_op_on_the_gpu(fake):
    a = tf.placeholder(tf.float32, [None, None])
    b = tf.placeholder(tf.float32, [None, None])
    c = tf.matmul(a, b, name="mm")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"^Matrix size-incompatible: In\[0\]: \[2,3\], "
                                                                 r"In\[1\]: \[2,3\]\n\t \[\[node mm \(defined at "):
            sess.run(c, {a: np.ones((2, 3)), b: np.ones((2, 3))})
        w = tf.Variable(1.0, name="weight")
        with pytest.raises(tf.errors.FailedPreconditionError, match=r"^Attempting to use uninitialized value weight"):
            sess.run(w + 1.0)


# =========================================================================== GPU memory
def test_a_session_reserves_most_memory_up_front(small_fake_gpu):
    y = tf.add(tf.constant(1.0), 2.0)
    sess = tf.Session()
    held = sess._devices.memory.held
    assert held == int((64 << 20) * (1 - 0.05))
    assert small_fake_gpu.reserved == held
    assert sess.run(y) == 3.0
    other = tf.Session()  # the lecture's warning: what is left for a second session is little
    assert other._devices.memory.held <= small_fake_gpu.total_bytes - held
    other.close()
    sess.close()
    assert small_fake_gpu.reserved == 0


def test_allow_growth_grows_on_demand(small_fake_gpu):
    x = tf.placeholder(tf.float32, [None])
    y = x * 2.0
    cfg = tf.ConfigProto(gpu_options=tf.GPUOptions(allow_growth=True))
    with tf.Session(config=cfg) as sess:
        mem = sess._devices.memory
        assert mem.held == 0 and small_fake_gpu.reserved == 0
        sess.run(y, {x: np.ones(1 << 20, np.float32)})  # 4 MiB in, 4 MiB out
        assert 4 << 20 <= mem.held <= 16 << 20
        assert mem.stats()["allow_growth"] is True
    assert small_fake_gpu.reserved == 0


def test_tf_force_gpu_allow_growth(small_fake_gpu, monkeypatch):
    monkeypatch.setenv("TF_FORCE_GPU_ALLOW_GROWTH", "true")
    with tf.Session() as sess:
        assert sess._devices.memory.held == 0 and sess._devices.memory.allow_growth


def test_memory_fraction_caps_and_oom_names_the_op(small_fake_gpu):
    x = tf.placeholder(tf.float32, [None, None])
    big = tf.matmul(x, x, name="big")
    cfg = tf.ConfigProto(gpu_options=tf.GPUOptions(per_process_gpu_memory_fraction=0.25, allow_growth=True))
    with tf.Session(config=cfg) as sess:
        assert sess._devices.memory.limit == 16 << 20
        small = np.ones((64, 64), np.float32)
        np.testing.assert_allclose(sess.run(big, {x: small}), small @ small)
        with pytest.raises(tf.errors.ResourceExhaustedError,
                           match=r"^OOM when allocating \d+ bytes for big \(op: 'MatMul'\) with input shapes: "
                                 r"\[1500,1500\], \[1500,1500\] on %s by allocator GPU_0_bfc: the session's GPU memory "
                                 r"has \d+ bytes in use of a limit of 16777216 bytes \(device total 67108864 bytes\)"
                                 r".*\n\t \[\[node big \(defined at .*\) \]\]\nHint: " % GPU):
            sess.run(big, {x: np.ones((1500, 1500), np.float32)})
        assert sess._devices.memory.held <= 16 << 20
    cfg = tf.ConfigProto(gpu_options=tf.GPUOptions(per_process_gpu_memory_fraction=0.25))
    with tf.Session(config=cfg) as sess:  # without growth the capped amount is taken at once
        assert sess._devices.memory.held == 16 << 20


def test_resetting_the_graph_returns_the_memory(small_fake_gpu):
    y = tf.add(tf.constant(1.0), 2.0)
    sess = tf.Session()
    sess.run(y)
    assert small_fake_gpu.reserved > 0
    tf.reset_default_graph()
    assert small_fake_gpu.reserved == 0
    with pytest.raises(RuntimeError, match=r"^Attempted to use a closed Session\. tf\.reset_default_graph\(\) closed "
                                           r"it, to give its GPU memory back"):
        sess.run(y)


def test_cpu_sessions_are_left_open_by_a_reset():
    y = tf.add(tf.constant(1.0), 2.0)
    with device.use_backend("numpy"):
        sess = tf.Session()
    tf.reset_default_graph()
    assert sess.run(y) == 3.0  # TF's behaviour: the old graph's session still runs
    sess.close()


# =========================================================================== import, CuPy optional
def test_a_cpu_session_never_imports_the_gpu_library():
    code = ("import sys, tfmini as tf; s = tf.Session(); s.run(tf.constant(1.0)); "
            "import importlib.util; print(importlib.util.find_spec('cupy') is None, 'cupy' in sys.modules)")
    env = dict(os.environ, TFMINI_BACKEND="auto")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    no_cupy, imported = out.split()
    if no_cupy == "True":
        assert imported == "False"


def test_unknown_backend_name():
    with pytest.raises(ValueError, match=r"^Unknown backend 'tpu': expected 'numpy', 'fake', 'cupy' or 'auto'$"):
        with device.use_backend("tpu"):
            pass


@pytest.mark.skipif(GPU_PROBLEM is None, reason="a GPU is present")
def test_asking_for_the_gpu_backend_without_a_gpu_says_why(monkeypatch):
    monkeypatch.setenv("TFMINI_BACKEND", "cupy")
    with pytest.raises(RuntimeError, match=r"^TFMINI_BACKEND=cupy, but (CuPy is not installed|CuPy finds no CUDA "
                                           r"device|CuPy failed)"):
        tf.Session()


# =========================================================================== a real GPU (skipped without one)
@needs_gpu
def test_cupy_placement_and_values():
    with device.use_backend("cupy"):
        fetches, feed = _mlp(tf, "int32")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            _, loss, acc = sess.run(fetches, feed)
            assert isinstance(_plan(sess), DevicePlan) and type(loss) is np.float32
            import cupy
            assert isinstance(sess._state.slot_for(
                [op for op in tf.get_default_graph().get_operations() if op.type == "VariableV2"][0]).value,
                cupy.ndarray)


@needs_gpu
def test_cupy_memory_is_reserved_and_returned(monkeypatch):
    import cupy
    monkeypatch.delenv("TF_FORCE_GPU_ALLOW_GROWTH", raising=False)
    free0, total = cupy.cuda.runtime.memGetInfo()
    with device.use_backend("cupy"):
        cfg = tf.ConfigProto(gpu_options=tf.GPUOptions(per_process_gpu_memory_fraction=0.2))
        sess = tf.Session(config=cfg)
        held = sess._devices.memory.held
        assert held >= int(total * 0.2) - (2 << 20)
        free1, _ = cupy.cuda.runtime.memGetInfo()
        assert free0 - free1 >= held - (64 << 20)
        sess.run(tf.constant(1.0) + 1.0)
        sess.close()
        free2, _ = cupy.cuda.runtime.memGetInfo()
        assert free2 >= free0 - (64 << 20)


@needs_gpu
def test_cupy_oom_is_resource_exhausted(monkeypatch):
    monkeypatch.delenv("TF_FORCE_GPU_ALLOW_GROWTH", raising=False)
    with device.use_backend("cupy"):
        x = tf.placeholder(tf.float32, [None, None])
        big = tf.matmul(x, x, name="big")
        cfg = tf.ConfigProto(gpu_options=tf.GPUOptions(per_process_gpu_memory_fraction=0.01, allow_growth=True))
        with tf.Session(config=cfg) as sess:
            n = int((sess._devices.memory.limit // 4) ** 0.5) + 64
            with pytest.raises(tf.errors.ResourceExhaustedError, match=r"^OOM when allocating .* for big \(op: "
                                                                       r"'MatMul'\)"):
                sess.run(big, {x: np.ones((n, n), np.float32)})


@needs_gpu
@pytest.mark.parametrize("op_type", ["Sigmoid", "ReluGrad", "TanhGrad", "SigmoidGrad", "ApplyGradientDescent",
                                     "ApplyMomentum", "ApplyAdam",
                                     "SparseSoftmaxCrossEntropyWithLogits"])
def test_cupy_fast_paths_match_the_shared_kernels(op_type):
    import cupy
    from tfmini.framework.op_registry import get_op_def
    from tfmini.runtime import backends
    from tfmini.runtime.state import VariableSlot
    fast = backends.gpu_backend("cupy").kernels[op_type]
    shared = get_op_def(op_type).kernel
    rng = np.random.RandomState(0)
    for dt in (np.float32, np.float64):
        x = rng.randn(37, 11).astype(dt) * 8
        g = rng.randn(37, 11).astype(dt)
        if op_type == "Sigmoid":
            args = [x]
        elif op_type == "ReluGrad":
            args = [g, x]
        elif op_type in ("TanhGrad", "SigmoidGrad"):
            args = [np.tanh(x), g]
        elif op_type == "SparseSoftmaxCrossEntropyWithLogits":
            args = [x, rng.randint(0, 11, 37)]
        else:
            n_slots = {"ApplyGradientDescent": 1, "ApplyMomentum": 2, "ApplyAdam": 3}[op_type]
            scalars = {"ApplyGradientDescent": [0.1], "ApplyMomentum": [0.1, None, 0.9],
                       "ApplyAdam": [0.9, 0.99, 0.01, 0.9, 0.999, 1e-7]}[op_type]

            def make(xp):
                slots = []
                for k in range(n_slots):
                    s = VariableSlot(None)
                    s.value = xp.asarray(np.abs(x) + k if k else x.copy())
                    slots.append(s)
                sc = [xp.asarray(dt(v)) if v is not None else xp.asarray(g) for v in scalars]
                return slots, ([*slots, *sc] if op_type != "ApplyGradientDescent" else [*slots, sc[0], xp.asarray(g)])
            slots_c, args_c = make(cupy)
            slots_n, args_n = make(np)
            if op_type == "ApplyAdam":
                args_c.append(cupy.asarray(g))
                args_n.append(g)
            fast(cupy, *args_c)
            shared(np, *args_n)
            for sc_, sn in zip(slots_c, slots_n):
                np.testing.assert_allclose(cupy.asnumpy(sc_.value), sn.value, rtol=1e-5, atol=1e-6, err_msg=op_type)
            continue
        got = fast(cupy, *[cupy.asarray(a) for a in args])
        want = shared(np, *args)
        got = got if isinstance(got, tuple) else (got,)
        want = want if isinstance(want, tuple) else (want,)
        for a, b in zip(got, want):
            np.testing.assert_allclose(cupy.asnumpy(a), b, rtol=1e-5, atol=1e-6, err_msg=op_type)


@needs_gpu
@pytest.mark.parametrize("dt", [np.float32, np.float64])
def test_cupy_pooling_xent_and_l2_fast_paths_match_the_shared_kernels(dt):
    """The fused kernels of cupy_backend against the shared ones on numpy: pooling over windows that overlap,
    pad and tie (ties go to the window's first maximum), the sparse cross-entropy with labels out of range
    (NaN rows, TF's GPU rule), and L2Loss over 4M entries (exact to float32)."""
    import cupy
    from tfmini.framework.op_registry import get_op_def
    from tfmini.ops import nn_ops
    from tfmini.runtime import backends
    fast = backends.gpu_backend("cupy").kernels
    rng = np.random.RandomState(1)
    for h, w, k, s, padding in [(28, 28, 2, 2, "SAME"), (7, 9, 3, 2, "SAME"), (8, 5, 3, 1, "SAME"),
                                (9, 7, 2, 1, "VALID"), (5, 5, 3, 3, "SAME"), (6, 6, 1, 2, "VALID")]:
        full = rng.randint(0, 4, (2, h, w + 1, 3)).astype(dt)  # small integers: many ties
        full[0, 1, 2, 0] = np.nan  # NaN wins its windows in both
        x = full[:, :, ::-1][:, :, :w]  # not contiguous (on the device too): the fast kernels copy it first
        x_dev = cupy.asarray(full)[:, :, ::-1][:, :, :w]
        assert not x_dev.flags.c_contiguous
        attrs = dict(ksize=[1, k, k, 1], strides=[1, s, s, 1], padding=padding)
        got = fast["MaxPool"](cupy, x_dev, **attrs)
        want = get_op_def("MaxPool").kernel(np, x, **attrs)
        np.testing.assert_array_equal(cupy.asnumpy(got), want, err_msg=str(attrs))
        g = rng.randn(*want.shape).astype(dt)
        got = fast["MaxPoolGrad"](cupy, x_dev, cupy.asarray(want), cupy.asarray(g), **attrs)
        want = get_op_def("MaxPoolGrad").kernel(np, x, want, g, **attrs)
        np.testing.assert_allclose(cupy.asnumpy(got), want, rtol=1e-6, atol=1e-6, err_msg=str(attrs))
    for n, c in [(64, 10), (3, 1000), (5, 1)]:
        x = (rng.randn(n, c) * 8).astype(dt)
        labels = rng.randint(0, c, n)
        loss, grad = fast["SparseSoftmaxCrossEntropyWithLogits"](cupy, cupy.asarray(x), cupy.asarray(labels))
        want_loss, want_grad = nn_ops._sparse_xent_kernel(np, x, labels)
        np.testing.assert_allclose(cupy.asnumpy(loss), want_loss, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(cupy.asnumpy(grad), want_grad, rtol=1e-5, atol=1e-6)
        labels[0], labels[-1] = c, -1
        loss, grad = fast["SparseSoftmaxCrossEntropyWithLogits"](cupy, cupy.asarray(x), labels.astype(np.int32))
        loss, grad = cupy.asnumpy(loss), cupy.asnumpy(grad)
        assert np.isnan(loss[[0, -1]]).all() and np.isnan(grad[[0, -1]]).all()
        if n > 2:
            assert not np.isnan(loss[1:-1]).any()
    big = np.full(4 * 2 ** 20 + 3, 0.1, dt)
    got = fast["L2Loss"](cupy, cupy.asarray(big))
    assert got.shape == () and got.dtype == dt
    # float32: the exact sum rounded once; float64: sums in other orders agree to rounding
    want = dt((big.astype(np.float64) ** 2).sum() / 2)
    np.testing.assert_allclose(cupy.asnumpy(got), want, rtol=1e-12 if dt == np.float64 else 0)


@pytest.mark.parametrize("strides,padding,dilations", [(1, "SAME", 1), (2, "SAME", 1), (2, "VALID", 1),
                                                       (1, "VALID", 2), (3, [[0, 0], [1, 2], [0, 1], [0, 0]], 1)])
def test_fake_gpu_convolutions_use_the_device_im2col(fake, monkeypatch, strides, padding, dilations):
    """On a GPU the convolutions make their im2col matrix and their input gradient with the backend's own
    kernels (nn_ops.register_device_im2col); the fake GPU registers numpy references of them, so those
    branches run here: a conv's value and both gradients equal the CPU's."""
    from tfmini.runtime.cupy_backend import fused_kernels_enabled
    if not fused_kernels_enabled():
        pytest.skip("TFMINI_CUPY_FAST=0: no fused kernels registered")
    from tfmini.ops import nn_ops
    from tfmini.runtime import backends
    backends.gpu_backend("fake")  # registers the fake GPU's pair
    calls = {"im2col": 0, "col2im": 0}

    def counted(name, fn):
        def run(*args):
            calls[name] += 1
            return fn(*args)
        return run
    im2col, col2im = nn_ops._DEVICE_IM2COL[fake_backend.FakeArray]
    monkeypatch.setitem(nn_ops._DEVICE_IM2COL, fake_backend.FakeArray,
                        (counted("im2col", im2col), counted("col2im", col2im)))
    rng = np.random.RandomState(3)
    x_val = rng.randn(2, 9, 8, 8).astype(np.float32)  # 72 taps: too deep for the direct convolution
    w_val = rng.randn(3, 3, 8, 4).astype(np.float32)
    results = []
    for name in ("numpy", "fake"):
        tf.reset_default_graph()
        with device.use_backend(name):
            x = tf.placeholder(tf.float32, x_val.shape)
            w = tf.Variable(w_val)
            y = tf.nn.conv2d(x, w, [1, strides, strides, 1], padding, dilations=[1, dilations, dilations, 1])
            gx, gw = tf.gradients(tf.reduce_sum(tf.square(y)), [x, w])
            with tf.Session() as sess:
                sess.run(w.initializer)
                results.append(sess.run([y, gx, gw], {x: x_val}))
    for got, want in zip(results[1], results[0]):
        # two float32 summation orders (the CPU's 3x3 forward is Winograd's, the device's a GEMM): an output near 0
        # made of terms near the largest differs by a few ulp of those terms, which depend on the BLAS kernels of
        # the machine (1.5e-5 at 0.21 among outputs up to 76, on an AVX-512 Xeon): an absolute tolerance scaled to
        # the largest output; a wrong tap or index would be off by whole terms
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=2e-6 * np.abs(want).max())
    assert calls["im2col"] >= 2 and calls["col2im"] == 1  # forward and filter gradient; input gradient


@pytest.mark.parametrize("backend", ["fake", pytest.param("cupy", marks=needs_gpu)])
@pytest.mark.parametrize("dt", [np.float32, np.float64])
def test_device_direct_conv_kernel_matches_numpy(backend, dt):
    """The backend's direct convolution (CuPy's kernel on a GPU, its numpy reference on the fake GPU) against
    numpy's windows times the filter, over strides, dilations, paddings on any side, depths 1-3, with and
    without bias and ReLU, and a NaN and an inf weight that padding meets (0 * them is NaN, as im2col's zeros
    give); it declines 4 channels or more, 65 taps or more, half precision and a bias of another length."""
    import itertools
    from tfmini.ops import nn_ops
    from tfmini.runtime import backends
    from tfmini.runtime.cupy_backend import fused_kernels_enabled
    gpu = backends.gpu_backend(backend)
    if not fused_kernels_enabled():
        pytest.skip("TFMINI_CUPY_FAST=0: no fused kernels registered")
    conv = nn_ops._DEVICE_DIRECT_CONV[type(gpu.to_device(np.zeros(1)))]
    rng = np.random.RandomState(5)
    checked = 0
    for (h, w), c, k, s, d, pads in itertools.product([(7, 6), (1, 9)], [1, 2, 3], [1, 2, 3, 5], [1, 2, 3], [1, 2],
                                                      [(0, 0, 0, 0), (1, 1, 1, 1), (2, 0, 1, 3)]):
        eff = (k - 1) * d + 1
        oh, ow = (h + pads[0] + pads[1] - eff) // s + 1, (w + pads[2] + pads[3] - eff) // s + 1
        if oh <= 0 or ow <= 0 or k * k * c > 64:
            continue
        x = rng.randn(2, h, w, c).astype(dt)
        f = rng.randn(k, k, c, 3).astype(dt)
        if k > 1 and checked % 5 == 0:  # a corner tap that padding meets
            f[0, 0, 0, 0], f[-1, -1, 0, 1] = np.nan, np.inf
        b = rng.randn(3).astype(dt)
        with np.errstate(invalid="ignore"):
            want = np.tensordot(nn_ops._patches(np, x.astype(np.float64), k, k, s, s, d, d, oh, ow, pads),
                                f.astype(np.float64), axes=3)
        for bias, relu in [(None, False), (b, True), (b, False)]:
            got = conv(gpu.to_device(x), gpu.to_device(f), s, s, d, d, oh, ow, pads,
                       None if bias is None else gpu.to_device(bias), relu)
            expect = want + (0 if bias is None else bias)
            expect = np.maximum(expect, 0) if relu else expect
            np.testing.assert_allclose(gpu.to_host(got), expect, rtol=1e-5 if dt == np.float32 else 1e-12,
                                       atol=1e-5 if dt == np.float32 else 1e-12, err_msg=str((h, w, c, k, s, d, pads)))
            assert gpu.to_host(got).dtype == dt
            checked += 1
    assert checked > 300
    x, f = gpu.to_device(np.ones((1, 4, 4, 4), dt)), gpu.to_device(np.ones((1, 1, 4, 2), dt))
    assert conv(x, f, 1, 1, 1, 1, 4, 4, (0, 0, 0, 0), None, False) is None  # 4 channels: im2col + GEMM
    x, f = gpu.to_device(np.ones((1, 9, 9, 3), dt)), gpu.to_device(np.ones((5, 5, 3, 2), dt))
    assert conv(x, f, 1, 1, 1, 1, 5, 5, (0, 0, 0, 0), None, False) is None  # 75 taps
    x, f = gpu.to_device(np.ones((1, 4, 4, 1), np.float16)), gpu.to_device(np.ones((3, 3, 1, 2), np.float16))
    assert conv(x, f, 1, 1, 1, 1, 2, 2, (0, 0, 0, 0), None, False) is None
    x, f = gpu.to_device(np.ones((1, 4, 4, 1), dt)), gpu.to_device(np.ones((3, 3, 1, 2), dt))
    assert conv(x, f, 1, 1, 1, 1, 2, 2, (0, 0, 0, 0), gpu.to_device(np.ones(3, dt)), False) is None


def _spy_on_fake_kernel(monkeypatch, registry, note):
    """The fake GPU's kernels registered (the test skipped without them), and its kernel in `registry` wrapped:
    each call appends note(*its arguments) to the list returned, then runs."""
    from tfmini.runtime import backends
    from tfmini.runtime.cupy_backend import fused_kernels_enabled
    if not fused_kernels_enabled():
        pytest.skip("TFMINI_CUPY_FAST=0: no fused kernels registered")
    backends.gpu_backend("fake")
    calls, kernel = [], registry[fake_backend.FakeArray]

    def spy(*args):
        calls.append(note(*args))
        return kernel(*args)
    monkeypatch.setitem(registry, fake_backend.FakeArray, spy)
    return calls


@pytest.mark.parametrize("depth, k, strides, padding, dilations", [
    (1, 5, 1, "SAME", 1), (3, 3, 1, "SAME", 1), (3, 3, 2, "VALID", 1), (2, 3, 3, "SAME", 2), (1, 1, 2, "SAME", 1),
    (3, 4, 1, [[0, 0], [2, 1], [0, 3], [0, 0]], 1), (1, 8, 2, "SAME", 1)])
def test_fake_gpu_shallow_convolutions_run_direct(fake, monkeypatch, depth, k, strides, padding, dilations):
    """A filter of at most 64 taps over 1-3 channels (the lecture's first conv, VGG's first) runs as one direct
    kernel on a GPU (nn_ops.register_device_direct_conv), its bias and ReLU included when a plan fused them; the
    fake GPU's numpy reference runs that branch here: the values and gradients are the CPU's."""
    from tfmini.ops import nn_ops
    calls = _spy_on_fake_kernel(monkeypatch, nn_ops._DEVICE_DIRECT_CONV, lambda *args: args[-2] is not None)
    rng = np.random.RandomState(depth * 10 + k)
    x_val = rng.randn(2, 10, 9, depth).astype(np.float32)
    w_val = rng.randn(k, k, depth, 5).astype(np.float32)
    results = []
    for name in ("numpy", "fake"):
        tf.reset_default_graph()
        with device.use_backend(name):
            x = tf.placeholder(tf.float32, x_val.shape)
            w = tf.Variable(w_val)
            b = tf.Variable(rng.randn(5).astype(np.float32) if name == "numpy" else results[0][-1])
            conv = tf.nn.conv2d(x, w, [1, strides, strides, 1], padding, dilations=[1, dilations, dilations, 1])
            y = tf.nn.relu(tf.nn.bias_add(conv, b))
            gx, gw, gb = tf.gradients(tf.reduce_sum(tf.square(y)), [x, w, b])
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                results.append(sess.run([y, gx, gw, gb, conv, b], {x: x_val}) if name == "numpy" else
                               sess.run([y, gx, gw, gb], {x: x_val}) + sess.run([conv], {x: x_val}))
    for got, want in zip(results[1], results[0]):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)
    assert (results[1][0] == 0).any() and (results[1][0] > 0).any()
    # the fused forward (its bias and ReLU in the kernel), the input gradient's stride-1 conv where it is shallow,
    # then the conv fetched alone (no bias)
    assert calls[0] is True and calls[-1] is False


@pytest.mark.parametrize("backend", ["fake", pytest.param("cupy", marks=needs_gpu)])
@pytest.mark.parametrize("dt", [np.float32, np.float64])
def test_device_bias_relu_kernel_is_numpys_add_then_maximum(backend, dt):
    """The backend's bias + ReLU kernel (the CuPy one on a GPU, its numpy reference on the fake GPU) gives numpy's
    values bit for bit, NaN and -0.0 included, in place; it declines half precision, a strided product and a
    bias of another length (bias_and_relu then runs the two xp calls)."""
    from tfmini.ops import math_ops
    from tfmini.runtime import backends
    from tfmini.runtime.cupy_backend import fused_kernels_enabled
    gpu = backends.gpu_backend(backend)
    if not fused_kernels_enabled():
        pytest.skip("TFMINI_CUPY_FAST=0: no fused kernels registered")
    fn = math_ops._DEVICE_BIAS_RELU[type(gpu.to_device(np.zeros(1)))]
    rng = np.random.RandomState(2)
    out = rng.randn(37, 5).astype(dt)
    out[3, 2], out[4, 1] = np.nan, -0.0
    bias = rng.randn(5).astype(dt)
    bias[1] = -0.0  # -0.0 + -0.0 is -0.0
    for relu in (False, True):
        d = gpu.to_device(out)
        assert fn(d, gpu.to_device(bias), relu)
        want = out + bias
        want = np.maximum(want, dt(0)) if relu else want
        got = gpu.to_host(d)
        np.testing.assert_array_equal(got, want)
        np.testing.assert_array_equal(np.signbit(got), np.signbit(want))
    assert not fn(gpu.to_device(out.astype(np.float16)), gpu.to_device(bias.astype(np.float16)), True)
    assert not fn(gpu.to_device(out)[:, ::2], gpu.to_device(bias[:3]), True)
    assert not fn(gpu.to_device(out), gpu.to_device(bias[:4]), True)
    d = gpu.to_device(out.astype(np.float16))
    assert math_ops.bias_and_relu(gpu.xp, d, gpu.to_device(bias.astype(np.float16)), True) is d


def test_device_plans_fuse_conv_and_matmul_with_bias_and_relu(fake, monkeypatch, capsys):
    """A device plan runs Conv2D/MatMul -> BiasAdd [-> Relu] as one call, as CPU plans do, the bias and ReLU by
    the backend's one kernel (math_ops.register_device_bias_relu): a small CNN's Adam step gives the CPU's
    values, and log_device_placement still lists every op of a fused chain."""
    from tfmini.ops import math_ops
    calls = _spy_on_fake_kernel(monkeypatch, math_ops._DEVICE_BIAS_RELU, lambda out, bias, relu: relu)
    rng = np.random.RandomState(4)
    xv = rng.randn(3, 6, 6, 2).astype(np.float32)
    labels = np.array([0, 2, 1])
    results = []
    for name in ("numpy", "fake"):
        tf.reset_default_graph()
        tf.set_random_seed(1)
        with device.use_backend(name):
            x = tf.placeholder(tf.float32, [None, 6, 6, 2])
            h = tf.layers.conv2d(x, 4, 3, padding="same", activation=tf.nn.relu, name="conv")
            h = tf.layers.dense(tf.layers.flatten(h), 5, activation=tf.nn.relu, name="fc")
            logits = tf.layers.dense(h, 3, name="out")
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
            step = tf.train.AdamOptimizer(0.1).minimize(loss)
            with tf.Session(config=tf.ConfigProto(log_device_placement=True)) as sess:
                sess.run(tf.global_variables_initializer())
                capsys.readouterr()
                results.append([sess.run([loss, step], {x: xv})[0] for _ in range(3)] +
                               sess.run(tf.trainable_variables()))
                if name == "fake":
                    src = list(sess._plans.values())[1].source  # the training step's
                    err = capsys.readouterr().err
    fused_lines = [line for line in src.splitlines() if "_fused(" in line]
    assert len(fused_lines) == 3, src
    assert sum("activation='Relu'" in line for line in fused_lines) == 2
    assert calls == [True, False] * 3  # fc, out: one kernel each, a step (the conv's direct kernel adds its own)
    for op in ("conv/Conv2D", "conv/BiasAdd", "conv/Relu", "fc/MatMul", "fc/BiasAdd", "fc/Relu", "out/BiasAdd"):
        assert "%s: (%s): %s\n" % (op, op.split("/")[1], GPU) in err
    for got, want in zip(results[1], results[0]):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_a_chain_split_between_devices_fuses_its_gpu_part(fake):
    """A Relu pinned to the CPU runs there, on the fused MatMul + BiasAdd's value copied to the host."""
    x = tf.placeholder(tf.float32, [None, 3])
    z = tf.nn.bias_add(tf.matmul(x, tf.ones([3, 2])), tf.constant([1.0, -9.0]))
    with tf.device("/cpu:0"):
        y = tf.nn.relu(z)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y, {x: np.ones((2, 3))}), [[4.0, 0.0], [4.0, 0.0]])
        src = _plan(sess).source
    assert "activation=None" in src and "_fused(" in src  # MatMul and BiasAdd on the GPU, the Relu on the CPU
    assert "tohost" in src.split("activation=None")[1]


def test_a_fetched_host_value_made_once_is_a_copy_in_device_plans(fake):
    """A value folded when a device plan was built, forwarded by an op on the CPU (Sum over no axes), is copied
    out: changing what a run returned changes nothing the next run returns."""
    a = tf.constant([1.0, 2.0]) + tf.constant([3.0, 4.0])
    with tf.device("/cpu:0"), tf.control_dependencies([tf.no_op()]):
        s = tf.reduce_sum(a, axis=[])
    with tf.Session() as sess:
        r = sess.run(s)
        r[0] = 100.0
        np.testing.assert_array_equal(sess.run(s), [4.0, 6.0])


def test_device_plans_find_variable_slots_once(fake):
    """A variable's storage slot is the same object for the life of a session: a device plan finds it when it is
    built, as a CPU plan does, and no line of a training step calls VariableV2's kernel."""
    results = []
    for name in ("numpy", "fake"):
        tf.reset_default_graph()
        with device.use_backend(name):
            x = tf.placeholder(tf.float32, [None, 2])
            w = tf.Variable([[1.0], [-1.0]])
            b = tf.Variable([0.5])
            step = tf.train.AdamOptimizer(0.1).minimize(tf.reduce_sum(tf.square(tf.matmul(x, w) + b)))
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                for _ in range(3):
                    sess.run(step, {x: [[1.0, 2.0]]})
                plan = _plan(sess)
                assert not [op for op in plan._line_ops.values() if op.type == "VariableV2"]
                assert "deref(s" in plan.source
                results.append(sess.run([w, b]))
    assert abs(results[0][1][0] - 0.5) > 0.1  # the variables moved
    for got, want in zip(results[1], results[0]):
        np.testing.assert_allclose(got, want, rtol=1e-6)


def test_device_plans_call_no_kernel_for_identity_or_noop(fake):
    """As CPU plans: an Identity (a variable's read, GATE_OP's control_dependency) is its input, a NoOp (a group,
    GATE_OP's group_deps) is nothing; the training step's values are the same."""
    x = tf.placeholder(tf.float32, [None, 2])
    w = tf.Variable([[1.0], [-1.0]])
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w)))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    feed = {x: np.array([[1.0, 2.0], [3.0, 1.0]], np.float32)}
    with tf.Session() as sess:
        sess.run(w.initializer)
        sess.run(train, feed)
        plan = list(sess._plans.values())[-1]
        got = sess.run(w)
    trivial = {op._id for op in tf.get_default_graph().get_operations() if op.type in ("Identity", "NoOp")}
    assert trivial and not any("k%d(" % i in plan.source for i in trivial)
    # w - 0.1 * x^T (2 (x w) / 2): x w = [-1, 2]
    np.testing.assert_allclose(got, [[1.0 - 0.1 * (1 * -1 + 3 * 2)], [-1.0 - 0.1 * (2 * -1 + 1 * 2)]], rtol=1e-6)
