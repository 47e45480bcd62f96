"""tf.train.ExponentialMovingAverage against TensorFlow 2.21 (tests/data/tf_moving_averages.json, written by
tests/data/gen/moving_averages.py): op and variable names, values after updates, variables_to_restore, and a
Saver that loads the averages from a checkpoint TensorFlow wrote (tests/data/tf_ema_ckpt)."""
import json
import pathlib

import numpy as np
import pytest

import tfmini as tf

DATA = pathlib.Path(__file__).resolve().parent / "data"
GOLD = json.loads((DATA / "tf_moving_averages.json").read_text())


def _op_names():
    return {op.name for op in tf.get_default_graph().get_operations()}


def _ops_since(before):
    return [[op.name, op.type] for op in tf.get_default_graph().get_operations() if op.name not in before]


def _names(vs):
    return sorted(v.name for v in vs)


def _without_init_guard(ops, slots):
    """TF's ops less the copy TF's Variable makes of an initial value that reads another variable (its guard
    against uninitialized dependencies: `<slot>/IsVariableInitialized`, `<slot>/cond/...`, `cond/Merge_<slot>`),
    which tfmini's Variable does not make."""
    def guard(name):
        return any(name.startswith(s + "/IsVariableInitialized") or name.startswith(s + "/cond/")
                   or name.endswith("_" + s) for s in slots)
    return [o for o in ops if not guard(o[0])]


def _sorted_ops(ops):
    return sorted(map(tuple, ops))


def _basic_graph():
    with tf.variable_scope("net"):
        w = tf.get_variable("w", initializer=tf.constant([[1., 2., 3.], [4., 5., 6.]]))
        b = tf.Variable([1., -1.], name="b")
    step = tf.Variable(0, name="step", trainable=False)
    return w, b, step


def test_names_ops_and_values_follow_tensorflow():
    gold = GOLD["basic"]
    w, b, step = _basic_graph()
    ema = tf.train.ExponentialMovingAverage(0.9, num_updates=step)
    before = _op_names()
    maintain = ema.apply([w, b])
    ops = _ops_since(before)
    want = _without_init_guard(gold["ops"], ["net/w/ExponentialMovingAverage", "net/b/ExponentialMovingAverage"])
    assert _sorted_ops(ops) == _sorted_ops(want)
    # the update ops in TF's order
    upd = [o for o in ops if o[0].startswith("ExponentialMovingAverage")]
    assert upd == [o for o in want if o[0].startswith("ExponentialMovingAverage")]
    assert (maintain.name, maintain.type) == (gold["maintain"], gold["maintain_type"])
    assert ema.average(w).name == gold["average_w"] and ema.average(b).name == gold["average_b"]
    assert ema.average_name(w) == gold["average_name_w"] and ema.average_name(step) == gold["average_name_step"]
    assert (ema.average(step) is None) == gold["average_step"]
    assert {k: v.name for k, v in ema.variables_to_restore().items()} == gold["to_restore"]
    assert _names(tf.global_variables()) == gold["global"]
    assert _names(tf.trainable_variables()) == gold["trainable"]
    assert _names(tf.moving_average_variables()) == gold["moving_average_variables"]
    change = [w.assign(w * 2. + 1.), b.assign(b - 0.5), step.assign_add(1)]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = [[sess.run(ema.average(w)), sess.run(ema.average(b))]]
        for _ in range(3):
            sess.run(change)
            sess.run(maintain)
            got.append([sess.run(ema.average(w)), sess.run(ema.average(b))])
        np.testing.assert_allclose(sess.run(w), gold["final_w"])
    for (gw, gb), (ww, wb) in zip(got, gold["values"]):
        np.testing.assert_allclose(gw, ww, rtol=1e-6)
        np.testing.assert_allclose(gb, wb, rtol=1e-6)


def test_scopes_second_average_and_default_var_list():
    gold = GOLD["scopes"]
    with tf.variable_scope("net2"):
        v = tf.get_variable("v", shape=[3], initializer=tf.ones_initializer())
    u = tf.Variable(2.0, name="u")
    with tf.variable_scope("outer"):
        with tf.name_scope("ns"):
            before = _op_names()
            e1 = tf.train.ExponentialMovingAverage(0.5)
            m1 = e1.apply([v])
            ops1 = _ops_since(before)
    before = _op_names()
    e2 = tf.train.ExponentialMovingAverage(0.25)
    m2 = e2.apply()
    ops2 = _ops_since(before)
    e3 = tf.train.ExponentialMovingAverage(0.75, name="Shadow")
    m3 = e3.apply([u])
    guarded = _without_init_guard(gold["ops1"], ["outer/net2/v/ExponentialMovingAverage"])
    assert _sorted_ops(ops1) == _sorted_ops(guarded)
    assert _sorted_ops(ops2) == _sorted_ops(_without_init_guard(gold["ops2"], ["net2/v/ExponentialMovingAverage",
                                                                               "u/ExponentialMovingAverage"]))
    assert [m1.name, m2.name, m3.name] == [gold["m1"], gold["m2"], gold["m3"]]
    assert [e1.average(v).name, e2.average(v).name, e2.average(u).name, e3.average(u).name] == \
        [gold["e1_v"], gold["e2_v"], gold["e2_u"], gold["e3_u"]]
    assert e3.average_name(v) == gold["e3_name_v"]
    assert _names(tf.global_variables()) == gold["global"]
    assert {k: x.name for k, x in e3.variables_to_restore().items()} == gold["to_restore_e3"]
    assert {k: x.name for k, x in e1.variables_to_restore([v]).items()} == gold["to_restore_e1_v"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(u.assign(6.0))
        sess.run([m1, m2, m3])
        got = {"e1_v": sess.run(e1.average(v)).tolist(), "e2_v": sess.run(e2.average(v)).tolist(),
               "e2_u": float(sess.run(e2.average(u))), "e3_u": float(sess.run(e3.average(u)))}
    assert got == gold["values"]


def test_tensors_start_at_zero_and_zero_debias():
    gold = GOLD["tensor"]
    x = tf.Variable([1., 2., 3., 6.], name="x")
    m = tf.reduce_mean(x)
    sq = tf.square(x, name="sq")
    before = _op_names()
    e = tf.train.ExponentialMovingAverage(0.8, zero_debias=True)
    upd = e.apply([m])
    assert _ops_since(before) == gold["ops_zero_debias"]
    e_plain = tf.train.ExponentialMovingAverage(0.8)
    upd2 = e_plain.apply([sq])
    assert e.average(m).name == gold["avg_m"] and e_plain.average(sq).name == gold["avg_sq"]
    assert _names(tf.global_variables()) == gold["global"]
    assert _names(tf.moving_average_variables()) == gold["moving_average_variables"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for want_m, want_sq in gold["values"]:
            sess.run([upd, upd2])
            np.testing.assert_allclose(sess.run(e.average(m)), want_m, rtol=1e-6)
            np.testing.assert_allclose(sess.run(e_plain.average(sq)), want_sq, rtol=1e-6)
            sess.run(x.assign_add([1., 1., 1., 1.]))


def test_saver_restores_the_averages_tensorflow_saved():
    """An evaluation graph (no apply): the Saver from variables_to_restore() loads each variable from its
    shadow in a checkpoint TensorFlow wrote after three updates."""
    gold = GOLD["basic"]
    w, b, step = _basic_graph()
    ema = tf.train.ExponentialMovingAverage(0.9)
    to_restore = ema.variables_to_restore()
    assert {k: v.name for k, v in to_restore.items()} == gold["to_restore"]
    saver = tf.train.Saver(to_restore)
    with tf.Session() as sess:
        saver.restore(sess, str(DATA / "tf_ema_ckpt" / "model.ckpt"))
        np.testing.assert_allclose(sess.run(w), gold["values"][-1][0], rtol=1e-6)
        np.testing.assert_allclose(sess.run(b), gold["values"][-1][1], rtol=1e-6)
        assert sess.run(step) == 3


def test_a_variable_that_is_not_float_is_refused():
    iv = tf.Variable(1, name="iv")
    with pytest.raises(TypeError, match="^%s$" % GOLD["int_error"]):
        tf.train.ExponentialMovingAverage(0.9).apply([iv])


def test_applying_twice_reuses_the_shadow():
    v = tf.Variable([1.0, 2.0], name="v")
    ema = tf.train.ExponentialMovingAverage(0.5)
    first = ema.apply([v])
    second = ema.apply([v])
    assert second.name == "ExponentialMovingAverage_1" and first.name == "ExponentialMovingAverage"
    assert _names(tf.global_variables()) == ["v/ExponentialMovingAverage:0", "v:0"]
