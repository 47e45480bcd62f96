"""Random programs of nested tf.conds, written as a student would write TF 1.x code, run as graphs (CPU plans and the
fake GPU's device plans) and checked against the same code run eagerly on numpy, where tf.cond simply calls the branch
its predicate picks. Predicates come from placeholders, from values, from shapes and from other conds; branches read
values from outside, from enclosing branches and a variable; gradients of both plans must agree.

(Against real TensorFlow 2.21's tf.compat.v1, 900 programs of this kind gave the same values and gradients.)"""
import random
import types

import numpy as np
import pytest

import tfmini as tf
from tfmini.runtime import device


def _program(seed):
    """TF 1.x source computing `outs` (a list of vectors) from x (a vector), p0..p2 (bools), w (a variable) and m."""
    rng = random.Random(seed)
    lines, count = [], [0]

    def new():
        count[0] += 1
        return "t%d" % count[0]

    def expr(scope, depth, indent):
        k, a, name = rng.random(), rng.choice(scope), new()
        if depth < 3 and k < 0.25:
            pick = rng.random()
            if pick < 0.45:
                pred = rng.choice(["p0", "p1", "p2"])
            elif pick < 0.65:
                pred = "(tf.reduce_sum(%s) > %.1f)" % (rng.choice(scope), rng.uniform(-2, 2))
            elif pick < 0.85:
                pred = "(tf.shape(%s)[0] > 2)" % rng.choice(scope)
            else:
                pred = "tf.logical_not(%s)" % rng.choice(["p0", "p1", "p2"])
            fns = [new() + "f", new() + "f"]
            for fn in fns:
                lines.append("%sdef %s():" % (indent, fn))
                inner = list(scope)
                for _ in range(rng.randint(0, 3)):
                    inner.append(expr(inner, depth + 1, indent + "    "))
                ret = rng.choice(inner)
                if rng.random() < 0.15:
                    ret = "tf.ones_like(%s) * %.1f" % (rng.choice(inner), rng.uniform(-1, 1))
                lines.append("%s    return %s" % (indent, ret))
            lines.append("%s%s = tf.cond(%s, %s, %s)" % (indent, name, pred, fns[0], fns[1]))
        elif k < 0.35:
            lines.append("%s%s = %s * %s" % (indent, name, a, rng.choice(scope)))
        elif k < 0.45:
            lines.append("%s%s = tf.sin(%s) + %.1f" % (indent, name, a, rng.uniform(-1, 1)))
        elif k < 0.55:
            lines.append("%s%s = %s + tf.reduce_mean(%s)" % (indent, name, a, rng.choice(scope)))
        elif k < 0.62:
            lines.append("%s%s = tf.nn.relu(%s - %.1f)" % (indent, name, a, rng.uniform(-1, 1)))
        elif k < 0.70:
            lines.append("%s%s = tf.identity(%s)" % (indent, name, a))
        elif k < 0.78:
            lines.append("%s%s = %s * w" % (indent, name, a))
        elif k < 0.86:
            lines.append("%s%s = tf.square(%s) * 0.5" % (indent, name, a))
        elif k < 0.93:
            lines.append("%s%s = tf.reshape(tf.matmul(tf.reshape(%s, [-1, 1]), m), [-1])" % (indent, name, a))
        else:
            lines.append("%s%s = tf.where(%s > 0, %s, -%s)" % (indent, name, a, a, rng.choice(scope)))
        return name

    scope = ["x"]
    for _ in range(rng.randint(3, 9)):
        scope.append(expr(scope, 0, ""))
    lines.append("outs = [%s]" % ", ".join(rng.sample(scope[1:], min(len(scope) - 1, rng.randint(1, 3)))))
    return "\n".join(lines)


# the same API, eagerly on numpy: what each program means
_eager = types.SimpleNamespace(
    cond=lambda pred, true_fn, false_fn: true_fn() if pred else false_fn(),
    reduce_sum=np.sum, reduce_mean=np.mean, sin=np.sin, identity=np.array, square=np.square, reshape=np.reshape,
    matmul=np.matmul, shape=lambda v: np.array(np.shape(v)), logical_not=np.logical_not, ones_like=np.ones_like,
    where=np.where, nn=types.SimpleNamespace(relu=lambda v: np.maximum(v, 0)))


def _eager_outs(source, x, preds, w):
    ns = {"tf": _eager, "x": x, "w": w, "m": np.array([[1.5]]), **preds}
    exec(source, ns)  # noqa: S102 - our own generated test program
    return ns["outs"]


def _graph_runs(source, runs):
    """Each run's (outs, gradients of their sum with respect to x and w), from one graph and one session."""
    tf.reset_default_graph()
    x = tf.placeholder(tf.float64, [None], name="x")
    preds = {p: tf.placeholder(tf.bool, [], name=p) for p in ("p0", "p1", "p2")}
    w = tf.Variable(np.float64(0.7), name="w")
    ns = {"tf": tf, "x": x, "w": w, "m": tf.constant([[1.5]], tf.float64), **preds}
    exec(source, ns)  # noqa: S102
    outs = ns["outs"]
    grads = tf.gradients(tf.add_n([tf.reduce_sum(o) for o in outs]), [x, w])
    grads = [g for g in grads if g is not None]
    results = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for xv, pv in runs:
            feed = {x: xv, **{preds[k]: v for k, v in pv.items()}}
            results.append(sess.run([outs, grads], feed))
    return results


def _runs(seed):
    rng = np.random.RandomState(seed)
    return [(rng.randn(rng.randint(1, 5)), {p: bool(rng.rand() < 0.5) for p in ("p0", "p1", "p2")})
            for _ in range(6)]


@pytest.mark.parametrize("chunk", range(3))
def test_random_cond_programs(chunk):
    for seed in range(chunk * 40, chunk * 40 + 40):
        source = _program(seed)
        runs = _runs(seed)
        cpu = _graph_runs(source, runs)
        with device.use_backend("fake"):
            gpu = _graph_runs(source, runs)
        for (xv, pv), (outs, grads), (g_outs, g_grads) in zip(runs, cpu, gpu):
            want = _eager_outs(source, xv, pv, np.float64(0.7))
            where = "seed %d, x=%s, %s:\n%s" % (seed, xv, pv, source)
            for got, ref, on_gpu in zip(outs, want, g_outs):
                np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-12, err_msg=where)
                np.testing.assert_allclose(on_gpu, ref, rtol=1e-12, atol=1e-12, err_msg=where)
            for g, on_gpu in zip(grads, g_grads):
                np.testing.assert_allclose(g, on_gpu, rtol=1e-12, atol=1e-12, err_msg=where)
