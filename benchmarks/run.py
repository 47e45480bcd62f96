"""The lecture's workloads timed under tfmini and, when installed, real TensorFlow (tf.compat.v1)
and PyTorch, in one invocation, with ratios.

    python benchmarks/run.py                 # every workload
    python benchmarks/run.py --only overhead # one workload
    python benchmarks/run.py --json out.json # also write the figures

The machine is shared and noisy: each figure is the median of several repeats, and ratios compare
figures taken in the same invocation.
"""
import argparse
import importlib
import json
import platform
import statistics
import sys
import time

import numpy as np


# =========================================================================== frameworks
def load_tfmini():
    import tfmini
    return tfmini


def load_tensorflow():
    """Real TensorFlow in TF1 graph mode, or None when it is not installed."""
    try:
        import os
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        tf = importlib.import_module("tensorflow.compat.v1")
        tf.disable_v2_behavior()
        return tf
    except ImportError:
        return None


def load_torch():
    try:
        import torch
        torch.set_num_threads(2)
        return torch
    except ImportError:
        return None


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


# =========================================================================== workloads (TF1 API: same code for tfmini and TF)
def overhead_graph(tf):
    """The per-run cost of a cached `sess.run`: a ten-op graph on two fed [4, 2] tensors."""
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    y = tf.placeholder(tf.float32, [None, 2], name="y")
    w = tf.constant([[0.5, -1.0], [1.5, 2.0]])
    b = tf.constant([0.1, -0.2])
    h = tf.matmul(x, w)                    # 1
    h = h + b                              # 2
    h = tf.nn.relu(h)                      # 3
    d = h - y                              # 4
    sq = tf.square(d)                      # 5
    s = tf.reduce_sum(sq, axis=1)          # 6
    m = tf.reduce_mean(s)                  # 7
    g = tf.sigmoid(h)                      # 8
    t = tf.multiply(g, y)                  # 9
    out = tf.reduce_max(t)                 # 10
    sess = tf.Session()
    xv = np.random.RandomState(0).rand(4, 2).astype(np.float32)
    yv = np.random.RandomState(1).rand(4, 2).astype(np.float32)
    feed = {x: xv, y: yv}
    fetches = [m, out]
    return lambda: sess.run(fetches, feed_dict=feed), sess


def numpy_overhead():
    """The same ten computations in plain numpy: what the kernels alone cost."""
    xv = np.random.RandomState(0).rand(4, 2).astype(np.float32)
    yv = np.random.RandomState(1).rand(4, 2).astype(np.float32)
    w = np.array([[0.5, -1.0], [1.5, 2.0]], np.float32)
    b = np.array([0.1, -0.2], np.float32)

    def step():
        h = np.maximum(xv @ w + b, 0)
        m = np.add.reduce(np.add.reduce(np.square(h - yv), axis=1)) / 4
        t = (np.tanh(h * 0.5) + 1) * 0.5 * yv
        return m, np.maximum.reduce(t, axis=None)
    return step


def perceptron_forward(tf):
    """The lecture's AND perceptron: one forward run (softmax of x @ W + b) on the 4 examples."""
    tf.reset_default_graph()
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], np.float32)
    inputs = tf.placeholder(tf.float32, [None, 2])
    weight = tf.Variable(tf.random_normal([2, 2]))
    bias = tf.Variable(tf.zeros([2]))
    logit = tf.matmul(inputs, weight) + bias
    pred = tf.nn.softmax(logit) if hasattr(tf.nn, "softmax") else tf.sigmoid(logit)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    return lambda: sess.run(pred, feed_dict={inputs: x}), sess


def perceptron_step(tf):
    """The lecture's AND perceptron: one SGD training step (needs gradients and an optimizer)."""
    tf.reset_default_graph()
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], np.float32)
    y = np.array([0, 0, 0, 1])
    inputs = tf.placeholder(tf.float32, [None, 2])
    label = tf.placeholder(tf.int64, [None])
    weight = tf.Variable(tf.random_normal([2, 2]))
    bias = tf.Variable(tf.zeros([2]))
    logit = tf.matmul(inputs, weight) + bias
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=label, logits=logit))
    opt = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    return lambda: sess.run([opt, loss], feed_dict={inputs: x, label: y}), sess


def torch_overhead(torch):
    x = torch.rand(4, 2)
    y = torch.rand(4, 2)
    w = torch.tensor([[0.5, -1.0], [1.5, 2.0]])
    b = torch.tensor([0.1, -0.2])

    def step():
        with torch.no_grad():
            h = torch.relu(x @ w + b)
            m = ((h - y) ** 2).sum(1).mean()
            out = (torch.sigmoid(h) * y).max()
            return m.item(), out.item()
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


WORKLOADS = {
    # name: (TF1-API builder, torch builder or None, what the figure means)
    "overhead": (overhead_graph, torch_overhead, "cached sess.run of a 10-op graph with 2 feeds"),
    "perceptron_forward": (perceptron_forward, None, "AND perceptron forward run"),
    "perceptron_step": (perceptron_step, torch_perceptron_step, "AND perceptron SGD step"),
}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", action="append", default=[], help="run only these workloads")
    ap.add_argument("--json", help="write the results to this file")
    ap.add_argument("--min-time", type=float, default=0.2, help="seconds per timing batch")
    args = ap.parse_args(argv)

    impls = {"tfmini": load_tfmini(), "tensorflow": load_tensorflow(), "torch": load_torch()}
    print("python %s, numpy %s, %s" % (platform.python_version(), np.__version__, platform.machine()))
    print("frameworks: " + ", ".join("%s=%s" % (k, "yes" if v is not None else "not installed")
                                     for k, v in impls.items()))
    results = {}
    names = args.only or list(WORKLOADS)
    print("%-20s %14s %14s %14s %9s %9s" % ("workload", "tfmini", "tensorflow", "torch", "tf/mini", "torch/mini"))
    for name in names:
        graph_builder, torch_builder, what = WORKLOADS[name]
        row = {"what": what}
        for impl in ("tfmini", "tensorflow"):
            tf = impls[impl]
            if tf is None:
                continue
            try:
                fn, sess = graph_builder(tf)
            except (AttributeError, NotImplementedError) as e:
                row[impl] = None
                row[impl + "_missing"] = "%s: %s" % (type(e).__name__, e)
                continue
            row[impl] = time_per_call(fn, args.min_time)
            sess.close()
        if impls["torch"] is not None and torch_builder is not None:
            row["torch"] = time_per_call(torch_builder(impls["torch"]), args.min_time)
        if name == "overhead":
            row["numpy"] = time_per_call(numpy_overhead(), args.min_time)
        results[name] = row

        def fmt(k):
            v = row.get(k)
            return "%12.1fus" % (v * 1e6) if v else "%14s" % ("missing" if (k + "_missing") in row else "-")

        def ratio(k):
            a, b = row.get(k), row.get("tfmini")
            return "%9.2f" % (a / b) if a and b else "%9s" % "-"
        print("%-20s %s %s %s %s %s" % (name, fmt("tfmini"), fmt("tensorflow"), fmt("torch"),
                                        ratio("tensorflow"), ratio("torch")))
        if row.get("numpy") and row.get("tfmini"):
            print("    the same ten computations in plain numpy: %.1fus; tfmini's per-run overhead: %.1fus"
                  % (row["numpy"] * 1e6, (row["tfmini"] - row["numpy"]) * 1e6))
        if "tfmini_missing" in row:
            print("    tfmini cannot run it yet: %s" % row["tfmini_missing"])
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
