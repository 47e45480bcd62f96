"""The lecture's workloads timed under tfmini and, when installed, real TensorFlow (tf.compat.v1)
and PyTorch, in one invocation, with ratios.

    python benchmarks/run.py                 # every workload
    python benchmarks/run.py --only overhead # some workloads
    python benchmarks/run.py --json out.json # also write the figures

Each (workload, framework) pair runs in a fresh Python process, so its peak resident memory is
its own and frameworks never share a process. The machine is shared and noisy: each figure is
the median of several repeats, and ratios compare figures taken in the same invocation.
"""
import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


# =========================================================================== frameworks
def load(framework):
    if framework == "tfmini":
        sys.path.insert(0, os.path.dirname(HERE))
        import tfmini
        return tfmini
    if framework == "tensorflow":
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
        tf.get_logger().setLevel("ERROR")
        return tf
    if framework == "torch":
        import torch
        torch.set_num_threads(os.cpu_count() or 1)
        return torch
    raise ValueError(framework)


def available(framework):
    code = {"tfmini": "import tfmini", "tensorflow": "import tensorflow", "torch": "import torch"}[framework]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.path.dirname(HERE), os.environ.get("PYTHONPATH", "")]))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, env=env).returncode == 0


# =========================================================================== timing
def time_per_call(fn, min_time=0.2, repeats=7):
    """Median seconds per call of `fn` over `repeats` batches of at least `min_time` seconds each."""
    fn()  # warm-up: plan building, allocation
    n = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        dt = time.perf_counter() - t0
        if dt >= min_time / 4:
            break
        n *= 4
    n = max(1, int(n * (min_time / max(dt, 1e-9))))
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        samples.append((time.perf_counter() - t0) / n)
    return statistics.median(samples)


# =========================================================================== workloads, TF1 API (the same code runs on tfmini and TF)
def _rand(*shape, seed=0):
    return np.random.RandomState(seed).rand(*shape).astype(np.float32)


def overhead_graph(tf):
    """The per-run cost of a cached `sess.run`: a ten-op graph on two fed [4, 2] tensors."""
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    y = tf.placeholder(tf.float32, [None, 2], name="y")
    w = tf.constant([[0.5, -1.0], [1.5, 2.0]])
    b = tf.constant([0.1, -0.2])
    h = tf.nn.relu(tf.matmul(x, w) + b)                       # 1-3
    m = tf.reduce_mean(tf.reduce_sum(tf.square(h - y), 1))    # 4-7
    out = tf.reduce_max(tf.multiply(tf.sigmoid(h), y))        # 8-10
    sess = tf.Session()
    feed = {x: _rand(4, 2), y: _rand(4, 2, seed=1)}
    fetches = [m, out]
    return lambda: sess.run(fetches, feed_dict=feed)


def numpy_overhead(_):
    """The same ten computations in plain numpy: what the kernels alone cost."""
    xv, yv = _rand(4, 2), _rand(4, 2, seed=1)
    w = np.array([[0.5, -1.0], [1.5, 2.0]], np.float32)
    b = np.array([0.1, -0.2], np.float32)

    def step():
        h = np.maximum(xv @ w + b, 0)
        m = np.add.reduce(np.add.reduce(np.square(h - yv), axis=1)) / 4
        t = (np.tanh(h * 0.5) + 1) * 0.5 * yv
        return m, np.maximum.reduce(t, axis=None)
    return step


def _perceptron(tf):
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], np.float32)
    inputs = tf.placeholder(tf.float32, [None, 2])
    label = tf.placeholder(tf.int64, [None])
    weight = tf.Variable(tf.random_normal([2, 2]))
    bias = tf.Variable(tf.zeros([2]))
    logit = tf.matmul(inputs, weight) + bias
    return x, inputs, label, logit


def perceptron_forward(tf):
    """The lecture's AND perceptron: one forward run (softmax) on its four examples."""
    x, inputs, _, logit = _perceptron(tf)
    pred = tf.nn.softmax(logit)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    return lambda: sess.run(pred, feed_dict={inputs: x})


def perceptron_step(tf):
    """The lecture's AND perceptron: one `sess.run([opt, loss_op], feed_dict=...)` SGD step."""
    x, inputs, label, logit = _perceptron(tf)
    y = np.array([0, 0, 0, 1])
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=label, logits=logit))
    opt = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    return lambda: sess.run([opt, loss], feed_dict={inputs: x, label: y})


def mlp_step(tf):
    """A 784-512-512-10 ReLU MLP, one Adam step on a batch of 128."""
    x = tf.placeholder(tf.float32, [None, 784])
    y = tf.placeholder(tf.int64, [None])
    h = x
    for i, n in enumerate((512, 512)):
        w = tf.get_variable("w%d" % i, [h.get_shape().as_list()[1], n])
        b = tf.get_variable("b%d" % i, [n], initializer=tf.zeros_initializer())
        h = tf.nn.relu(tf.matmul(h, w) + b)
    w = tf.get_variable("wo", [512, 10])
    logits = tf.matmul(h, w)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    opt = tf.train.AdamOptimizer(1e-3).minimize(loss)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    feed = {x: _rand(128, 784), y: np.random.RandomState(2).randint(0, 10, 128)}
    return lambda: sess.run([opt, loss], feed_dict=feed)


def input_pipeline(tf):
    """tf.data over 5,000 MNIST-sized rows: from_tensor_slices, shuffle(5000), batch(128), repeat; one get_next."""
    x, y = _rand(5000, 784), np.random.RandomState(3).randint(0, 10, 5000).astype(np.int64)
    ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(5000).batch(128).repeat()
    batch = list(tf.data.make_one_shot_iterator(ds).get_next())
    sess = tf.Session()
    return lambda: sess.run(batch)


def torch_input_pipeline(torch):
    x = torch.from_numpy(_rand(5000, 784))
    y = torch.from_numpy(np.random.RandomState(3).randint(0, 10, 5000))
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=128, shuffle=True)
    it = [iter(loader)]

    def step():
        try:
            return next(it[0])
        except StopIteration:
            it[0] = iter(loader)
            return next(it[0])
    return step


def _conv_net(tf, x, keep_prob):
    """The slide's conv_net: conv5x5x32, pool, conv5x5x64, pool, fc1024, dropout, fc10 (the lecture's wrappers)."""
    he = tf.variance_scaling_initializer(scale=2.0)

    def conv(bottom, n, k, scope):
        with tf.variable_scope(scope):
            w = tf.get_variable("W", [k, k, bottom.get_shape().as_list()[3], n], initializer=he)
            b = tf.get_variable("b", [n], initializer=tf.constant_initializer(0))
            return tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(bottom, w, [1, 1, 1, 1], "SAME"), b))

    def maxpool(bottom, scope):
        with tf.variable_scope(scope):
            return tf.nn.max_pool(bottom, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")

    def fc(bottom, n, scope):
        shape = bottom.get_shape().as_list()
        if len(shape) > 2:
            bottom = tf.reshape(bottom, [-1, int(np.prod(shape[1:]))])
        with tf.variable_scope(scope):
            w = tf.get_variable("W", [bottom.get_shape().as_list()[1], n], initializer=he)
            b = tf.get_variable("b", [n], initializer=tf.constant_initializer(0))
            return tf.nn.bias_add(tf.matmul(bottom, w), b)

    x = tf.reshape(x, [-1, 28, 28, 1])
    h = maxpool(conv(x, 32, 5, "conv_1"), "maxpool_1")
    h = maxpool(conv(h, 64, 5, "conv_2"), "maxpool_2")
    h = tf.nn.dropout(tf.nn.relu(fc(h, 1024, "fc_1")), keep_prob)
    return fc(h, 10, "out")


def _cnn(tf, train):
    x = tf.placeholder(tf.float32, [None, 784])
    y = tf.placeholder(tf.int64, [None])
    keep_prob = tf.placeholder(tf.float32)
    logits = _conv_net(tf, x, keep_prob)
    sess = tf.Session()
    batch = _rand(64, 784)
    if train:
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
        opt = tf.train.AdamOptimizer(1e-3).minimize(loss)
        sess.run(tf.global_variables_initializer())
        feed = {x: batch, y: np.random.RandomState(2).randint(0, 10, 64), keep_prob: 0.5}
        return lambda: sess.run([opt, loss], feed_dict=feed)
    sess.run(tf.global_variables_initializer())
    pred = tf.argmax(logits, 1)
    return lambda: sess.run(pred, feed_dict={x: batch, keep_prob: 1.0})


def cnn_step(tf):
    """The slide's conv_net, one Adam training step at batch 64 (keep_prob 0.5)."""
    return _cnn(tf, True)


def cnn_inference(tf):
    """The slide's conv_net, one prediction run at batch 64."""
    return _cnn(tf, False)


def vgg16_forward(tf):
    """Slim-style VGG-16 forward at 224x224, batch 1 (tfmini.contrib.slim / tf_slim, whichever applies)."""
    if tf.__name__.startswith("tensorflow"):
        import tf_slim as slim
        from tf_slim.nets import vgg
    else:
        from tfmini.contrib import slim
        from tfmini.contrib.slim.nets import vgg
    x = tf.placeholder(tf.float32, [None, 224, 224, 3])
    with slim.arg_scope(vgg.vgg_arg_scope()):
        net, _ = vgg.vgg_16(x, num_classes=1000, is_training=False)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    batch = _rand(1, 224, 224, 3)
    return lambda: sess.run(net, feed_dict={x: batch})


# =========================================================================== the same workloads in PyTorch
def torch_overhead(torch):
    x, y = torch.from_numpy(_rand(4, 2)), torch.from_numpy(_rand(4, 2, seed=1))
    w = torch.tensor([[0.5, -1.0], [1.5, 2.0]])
    b = torch.tensor([0.1, -0.2])

    def step():
        with torch.no_grad():
            h = torch.relu(x @ w + b)
            return ((h - y) ** 2).sum(1).mean().item(), (torch.sigmoid(h) * y).max().item()
    return step


def torch_perceptron_step(torch):
    x = torch.tensor([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=torch.float32)
    y = torch.tensor([0, 0, 0, 1])
    w = torch.randn(2, 2, requires_grad=True)
    b = torch.zeros(2, requires_grad=True)
    opt = torch.optim.SGD([w, b], lr=0.1)

    def step():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(x @ w + b, y)
        loss.backward()
        opt.step()
        return loss.item()
    return step


def torch_mlp_step(torch):
    nn = torch.nn
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    x = torch.from_numpy(_rand(128, 784))
    y = torch.from_numpy(np.random.RandomState(2).randint(0, 10, 128))

    def step():
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()
    return step


def _torch_conv_net(torch):
    nn = torch.nn
    return nn.Sequential(nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 5, padding=2),
                         nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(3136, 1024), nn.ReLU(), nn.Dropout(0.5),
                         nn.Linear(1024, 10))


def torch_cnn_step(torch):
    model = _torch_conv_net(torch)
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    x = torch.from_numpy(_rand(64, 784)).reshape(64, 1, 28, 28)
    y = torch.from_numpy(np.random.RandomState(2).randint(0, 10, 64))

    def step():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()
    return step


def torch_cnn_inference(torch):
    model = _torch_conv_net(torch).eval()
    x = torch.from_numpy(_rand(64, 784)).reshape(64, 1, 28, 28)

    def step():
        with torch.no_grad():
            return model(x).argmax(1).numpy()
    return step


WORKLOADS = {
    # name: (TF1-API builder, torch builder or None, what one step is)
    "overhead": (overhead_graph, torch_overhead, "cached sess.run of a 10-op graph with 2 feeds"),
    "perceptron_forward": (perceptron_forward, None, "AND perceptron forward run"),
    "perceptron_step": (perceptron_step, torch_perceptron_step, "AND perceptron SGD step"),
    "mlp_step": (mlp_step, torch_mlp_step, "784-512-512-10 MLP, Adam step, batch 128"),
    "cnn_step": (cnn_step, torch_cnn_step, "the slide's conv_net, Adam step, batch 64"),
    "cnn_inference": (cnn_inference, torch_cnn_inference, "the slide's conv_net, inference, batch 64"),
    "vgg16_forward": (vgg16_forward, None, "slim VGG-16 forward, 224x224, batch 1"),
    "input_pipeline": (input_pipeline, torch_input_pipeline, "tf.data shuffle+batch(128) of 5,000 rows, one batch"),
}


# =========================================================================== one measurement per process
def worker(workload, framework, min_time):
    graph_builder, torch_builder, _ = WORKLOADS[workload]
    if framework == "numpy":
        fn = numpy_overhead(None)
    else:
        mod = load(framework)
        if framework == "torch":
            if torch_builder is None:
                return {"missing": "no PyTorch version of this workload"}
            fn = torch_builder(mod)
        else:
            mod.reset_default_graph()
            try:
                fn = graph_builder(mod)
            except (AttributeError, NotImplementedError, ImportError) as e:
                return {"missing": "%s: %s" % (type(e).__name__, e)}
    out = {}
    if workload == "overhead" and framework == "tfmini":
        # tfmini and the same ten computations in plain numpy, interleaved in one process, so that the
        # difference (the per-run overhead) is not drowned by the machine's noise between processes
        ref = numpy_overhead(None)
        pairs = [(time_per_call(fn, min_time / 4, 3), time_per_call(ref, min_time / 4, 3)) for _ in range(7)]
        out["numpy_seconds"] = statistics.median(r for _, r in pairs)
        out["overhead_seconds"] = statistics.median(t - r for t, r in pairs)
        seconds = statistics.median(t for t, _ in pairs)
    else:
        seconds = time_per_call(fn, min_time)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out.update(seconds=seconds, peak_mb=peak_kb / 1024.0)
    return out


def measure(workload, framework, min_time):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.path.dirname(HERE), os.environ.get("PYTHONPATH", "")]))
    p = subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", workload, framework,
                        "--min-time", str(min_time)], capture_output=True, text=True, env=env)
    lines = [ln for ln in p.stdout.splitlines() if ln.startswith("{")]
    if p.returncode != 0 or not lines:
        return {"missing": "worker failed: " + (p.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(lines[-1])


def combine(runs):
    """One figure from several processes' results: the median of their seconds, the highest peak memory."""
    ok = [r for r in runs if "seconds" in r]
    if not ok:
        return runs[0]
    out = dict(ok[0])
    for key in ("seconds", "numpy_seconds", "overhead_seconds"):
        if key in out:
            out[key] = statistics.median(r[key] for r in ok)
    out["peak_mb"] = max(r["peak_mb"] for r in ok)
    out["rounds"] = [r["seconds"] for r in ok]
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", action="append", default=[],
                    help="run only these workloads (repeat it, or separate names with commas)")
    ap.add_argument("--json", help="write the results to this file")
    ap.add_argument("--min-time", type=float, default=0.2, help="seconds per timing batch")
    ap.add_argument("--rounds", type=int, default=3,
                    help="fresh processes per (workload, framework), the frameworks taking turns; the median counts")
    ap.add_argument("--worker", nargs=2, metavar=("WORKLOAD", "FRAMEWORK"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    args.only = [n for names in args.only for n in names.split(",") if n]
    unknown = [n for n in args.only if n not in WORKLOADS]
    if unknown:
        ap.error("unknown workload(s) %s; the workloads are %s" % (", ".join(unknown), ", ".join(WORKLOADS)))
    if args.worker:
        print(json.dumps(worker(args.worker[0], args.worker[1], args.min_time)))
        return 0

    frameworks = [f for f in ("tfmini", "tensorflow", "torch") if available(f)]
    print("python %s, numpy %s, %s, %d CPUs" % (platform.python_version(), np.__version__, platform.machine(),
                                                os.cpu_count()))
    print("frameworks: " + ", ".join(frameworks))
    print("%-20s %12s %12s %12s %8s %8s   %s" % ("workload", "tfmini", "tensorflow", "torch", "mini/tf",
                                                  "mini/pt", "peak MB (mini / tf / pt)"))
    results = {}
    for name in args.only or list(WORKLOADS):
        row = {"what": WORKLOADS[name][2]}
        # the frameworks take turns, so that a burst of load on this shared machine does not land on one only
        runs = {f: [] for f in frameworks}
        for _ in range(max(1, args.rounds)):
            for f in frameworks:
                runs[f].append(measure(name, f, args.min_time))
        for f in frameworks:
            row[f] = combine(runs[f])
        results[name] = row

        def sec(f):
            return (row.get(f) or {}).get("seconds")

        def fmt(f):
            s = sec(f)
            if s is None:
                return "%12s" % ("missing" if f in row else "-")
            return "%10.1fus" % (s * 1e6) if s < 1e-2 else "%10.2fms" % (s * 1e3)

        def ratio(f):
            a, b = sec("tfmini"), sec(f)
            return "%8.2f" % (a / b) if a and b else "%8s" % "-"

        def mem(f):
            m = (row.get(f) or {}).get("peak_mb")
            return "%.0f" % m if m else "-"
        print("%-20s %s %s %s %s %s   %s / %s / %s" % (name, fmt("tfmini"), fmt("tensorflow"), fmt("torch"),
                                                       ratio("tensorflow"), ratio("torch"), mem("tfmini"),
                                                       mem("tensorflow"), mem("torch")))
        for f in frameworks:
            if "missing" in (row.get(f) or {}):
                print("    %s cannot run it: %s" % (f, row[f]["missing"]))
        mini = row.get("tfmini") or {}
        if "overhead_seconds" in mini:
            print("    the same ten computations in plain numpy, in the same process: %.1fus; tfmini's per-run "
                  "overhead (median of 7 interleaved pairs): %.1fus"
                  % (mini["numpy_seconds"] * 1e6, mini["overhead_seconds"] * 1e6))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
