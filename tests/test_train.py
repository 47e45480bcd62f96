"""tf.train: the Apply* training ops against numpy, the optimizers (slot names, values after a few
steps, global step), learning-rate schedules; and the lecture's AND/OR perceptron."""
import numpy as np
import pytest

import tfmini as tf
from optable import Row, rows_test
from tfmini.ops import training_ops

W0 = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]], np.float32)
G = np.array([[0.1, -0.2, 0.3], [-0.4, 0.5, 0.6]], np.float32)


def _var(value, name):
    return tf.Variable(np.asarray(value, np.float32), name=name)


def _apply(fn, n_slots, slot_init, *scalars):
    def build(tf):
        var = _var(W0, "w")
        slots = [_var(np.full_like(W0, v), "s%d" % i) for i, v in zip(range(n_slots), slot_init)]
        return fn(var, *slots, *scalars, tf.constant(G))
    return build


def _sgd_expect(np):
    return W0 - 0.1 * G


def _momentum_expect(np):
    accum = 0.5 * 0.9 + G
    return W0 - 0.1 * accum


def _nesterov_expect(np):
    accum = 0.5 * 0.9 + G
    return W0 - (G * 0.1 + accum * 0.9 * 0.1)


def _adam_expect(np):
    b1p, b2p, lr, b1, b2, eps = 0.9, 0.999, 0.01, 0.9, 0.999, 1e-8
    m = 0 + (G - 0) * (1 - b1)
    v = 0 + (G * G - 0) * (1 - b2)
    lr_t = lr * np.sqrt(1 - b2p) / (1 - b1p)
    return W0 - lr_t * m / (np.sqrt(v) + eps)


def _adagrad_expect(np):
    accum = 0.1 + G * G
    return W0 - 0.5 * G / np.sqrt(accum)


def _rmsprop_expect(np):
    ms = 1.0 + (G * G - 1.0) * (1 - 0.9)
    mom = 0.0 * 0.5 + 0.01 * G / np.sqrt(ms + 1e-10)
    return W0 - mom


def _centered_rmsprop_expect(np):
    ms = 1.0 + (G * G - 1.0) * (1 - 0.9)
    mg = 0.0 + (G - 0.0) * (1 - 0.9)
    mom = 0.01 * G / np.sqrt(ms - mg * mg + 1e-10)
    return W0 - mom


def _adadelta_expect(np):
    rho, eps, lr = 0.95, 1e-6, 1.0
    accum = rho * 0.0 + (1 - rho) * G * G
    update = np.sqrt(0.0 + eps) / np.sqrt(accum + eps) * G
    return W0 - update * lr


CASES = [
    Row("ApplyGradientDescent", _apply(training_ops.apply_gradient_descent, 0, [], 0.1), _sgd_expect, rtol=1e-5),
    Row("ApplyMomentum", lambda tf: training_ops.apply_momentum(
        _var(W0, "w"), _var(np.full_like(W0, 0.5), "a"), 0.1, tf.constant(G), 0.9), _momentum_expect, rtol=1e-5),
    Row("ApplyMomentum", lambda tf: training_ops.apply_momentum(
        _var(W0, "w"), _var(np.full_like(W0, 0.5), "a"), 0.1, tf.constant(G), 0.9, use_nesterov=True),
        _nesterov_expect, id="ApplyMomentum-nesterov", rtol=1e-5),
    Row("ApplyAdam", _apply(training_ops.apply_adam, 2, [0.0, 0.0], 0.9, 0.999, 0.01, 0.9, 0.999, 1e-8),
        _adam_expect, rtol=1e-5),
    Row("ApplyAdagrad", _apply(training_ops.apply_adagrad, 1, [0.1], 0.5), _adagrad_expect, rtol=1e-5),
    Row("ApplyRMSProp", _apply(training_ops.apply_rms_prop, 2, [1.0, 0.0], 0.01, 0.9, 0.5, 1e-10),
        lambda np: W0 - (0.0 * 0.5 + 0.01 * G / np.sqrt(1.0 + (G * G - 1.0) * 0.1 + 1e-10)), rtol=1e-5),
    Row("ApplyCenteredRMSProp", _apply(training_ops.apply_centered_rms_prop, 3, [0.0, 1.0, 0.0], 0.01, 0.9, 0.0,
                                       1e-10), _centered_rmsprop_expect, rtol=1e-5),
    Row("ApplyAdadelta", _apply(training_ops.apply_adadelta, 2, [0.0, 0.0], 1.0, 0.95, 1e-6), _adadelta_expect,
        rtol=1e-5),
]
test_row = rows_test(CASES)


def test_apply_ops_update_in_place_and_return_the_variable():
    w = _var(W0, "w")
    upd = training_ops.apply_gradient_descent(w, 0.1, tf.constant(G))
    assert upd.dtype == tf.float32_ref if hasattr(tf, "float32_ref") else upd.dtype.is_ref_dtype
    with tf.Session() as sess:
        sess.run(w.initializer)
        before = sess._state.slot_for(w.op).value
        sess.run(upd)
        assert sess._state.slot_for(w.op).value is before  # same buffer: updated in place


def test_apply_shape_mismatch_is_a_build_error():
    w = _var(W0, "w")
    with pytest.raises(ValueError, match="ApplyGradientDescent"):
        training_ops.apply_gradient_descent(w, 0.1, tf.constant(np.ones((3, 2), np.float32)))


# =========================================================================== optimizers
def _quadratic():
    w = tf.Variable(np.array([1.0, -2.0], np.float32), name="weight")
    loss = tf.reduce_sum(tf.square(w - tf.constant([3.0, 1.0])))
    return w, loss


@pytest.mark.parametrize("make, slots", [
    (lambda: tf.train.GradientDescentOptimizer(0.1), []),
    (lambda: tf.train.MomentumOptimizer(0.1, 0.9), ["weight/Momentum:0"]),
    (lambda: tf.train.AdamOptimizer(0.1), ["beta1_power:0", "beta2_power:0", "weight/Adam:0", "weight/Adam_1:0"]),
    (lambda: tf.train.AdagradOptimizer(0.5), ["weight/Adagrad:0"]),
    (lambda: tf.train.RMSPropOptimizer(0.05), ["weight/RMSProp:0", "weight/RMSProp_1:0"]),
    (lambda: tf.train.AdadeltaOptimizer(1.0), ["weight/Adadelta:0", "weight/Adadelta_1:0"]),
], ids=["sgd", "momentum", "adam", "adagrad", "rmsprop", "adadelta"])
def test_optimizers_decrease_the_loss_and_name_their_slots(make, slots):
    w, loss = _quadratic()
    opt = make()
    train = opt.minimize(loss)
    assert train.type == "NoOp" and train.name == opt.get_name()
    names = sorted(v.name for v in tf.global_variables())
    assert names == sorted(["weight:0"] + slots)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss)
        for _ in range(50):
            sess.run(train)
        assert sess.run(loss) < first * (0.99 if opt.get_name() == "Adadelta" else 0.5)  # Adadelta starts slowly


def test_gradient_descent_matches_numpy_step_by_step():
    w, loss = _quadratic()
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    wv = np.array([1.0, -2.0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(5):
            sess.run(train)
            wv = wv - 0.1 * 2 * (wv - [3.0, 1.0])
            np.testing.assert_allclose(sess.run(w), wv, rtol=1e-5)


def test_adam_matches_numpy():
    w, loss = _quadratic()
    opt = tf.train.AdamOptimizer(0.1)
    train = opt.minimize(loss)
    assert opt.get_slot_names() == ["m", "v"]
    assert opt.get_slot(w, "m").name == "weight/Adam:0"
    wv, m, v = np.array([1.0, -2.0]), 0.0, 0.0
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for t in range(1, 6):
            sess.run(train)
            g = 2 * (wv - [3.0, 1.0])
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            lr_t = 0.1 * np.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
            wv = wv - lr_t * m / (np.sqrt(v) + 1e-8)
            np.testing.assert_allclose(sess.run(w), wv, rtol=1e-5)


@pytest.mark.parametrize("make", [
    lambda: tf.train.AdamOptimizer(0.01), lambda: tf.train.RMSPropOptimizer(0.01, momentum=0.9), lambda: tf.train.RMSPropOptimizer(0.01, centered=True),
    lambda: tf.train.AdadeltaOptimizer(1.0)])
def test_large_variables_update_in_blocks_exactly_as_in_one_pass(make, monkeypatch):
    """Variables above two blocks (fc weights) are updated block by block for the cache; every entry must
    come out bit for bit as the one-pass update gives it."""
    def three_steps():
        tf.reset_default_graph()
        w = tf.Variable(np.random.RandomState(0).randn(700, 500).astype(np.float32))
        x = tf.constant(np.random.RandomState(1).randn(500, 3).astype(np.float32))
        train = make().minimize(tf.reduce_mean(tf.square(tf.matmul(w, x))))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                sess.run(train)
            return sess.run(w)
    assert 700 * 500 > 2 * training_ops._BLOCK
    blocked = three_steps()
    monkeypatch.setattr(training_ops, "_BLOCK", 10 ** 9)
    np.testing.assert_array_equal(blocked, three_steps())


def test_rmsprop_slot_starts_at_one():
    w, loss = _quadratic()
    opt = tf.train.RMSPropOptimizer(0.01)
    opt.minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(opt.get_slot(w, "rms")), [1.0, 1.0])


def test_global_step_is_incremented():
    w, loss = _quadratic()
    step = tf.train.get_or_create_global_step()
    assert step.name == "global_step:0" and step.dtype.base_dtype == tf.int64
    assert tf.train.get_global_step() is step
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=step)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train)
        assert tf.train.global_step(sess, step) == 3
    with pytest.raises(ValueError, match='"global_step" already exists.'):
        tf.train.create_global_step()


def test_minimize_without_gradients_raises():
    tf.Variable(1.0)
    loss = tf.constant(2.0)
    with pytest.raises(ValueError, match="No gradients provided for any variable"):
        tf.train.GradientDescentOptimizer(0.1).minimize(loss)


def test_minimize_with_no_variables_raises():
    with pytest.raises(ValueError, match="No variables to optimize."):
        tf.train.GradientDescentOptimizer(0.1).minimize(tf.constant(1.0))


def test_integer_loss_is_rejected():
    tf.Variable(1.0)
    with pytest.raises(ValueError, match="Invalid type tf.int32 for Const:0"):
        tf.train.GradientDescentOptimizer(0.1).minimize(tf.constant(1))


def test_var_list_restricts_the_update():
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(1.0, name="b")
    train = tf.train.GradientDescentOptimizer(0.5).minimize(a * a + b * b, var_list=[a])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        assert sess.run([a, b]) == [0.0, 1.0]


# =========================================================================== learning-rate schedules
@pytest.mark.parametrize("step", [0, 3, 10, 25])
def test_schedules(step):
    gs = tf.constant(step, tf.int64)
    lr = 0.1
    got = {
        "exp": tf.train.exponential_decay(lr, gs, 10, 0.5),
        "exp_stair": tf.train.exponential_decay(lr, gs, 10, 0.5, staircase=True),
        "natural": tf.train.natural_exp_decay(lr, gs, 10, 0.5),
        "inverse": tf.train.inverse_time_decay(lr, gs, 10, 0.5),
        "poly": tf.train.polynomial_decay(lr, gs, 20, end_learning_rate=0.01, power=2.0),
        "poly_cycle": tf.train.polynomial_decay(lr, gs, 20, end_learning_rate=0.01, cycle=True),
        "cosine": tf.train.cosine_decay(lr, gs, 20, alpha=0.1),
        "piecewise": tf.train.piecewise_constant(gs, [5, 15], [1.0, 0.5, 0.1]),
    }
    p = step / 10
    capped = min(step, 20)
    mult = max(np.ceil(step / 20), 1)
    want = {
        "exp": lr * 0.5 ** p,
        "exp_stair": lr * 0.5 ** np.floor(p),
        "natural": lr * np.exp(-0.5 * p),
        "inverse": lr / (1 + 0.5 * p),
        "poly": (lr - 0.01) * (1 - capped / 20) ** 2 + 0.01,
        "poly_cycle": (lr - 0.01) * (1 - step / (20 * mult)) + 0.01,
        "cosine": lr * ((1 - 0.1) * 0.5 * (1 + np.cos(np.pi * capped / 20)) + 0.1),
        "piecewise": 1.0 if step <= 5 else (0.5 if step <= 15 else 0.1),
    }
    with tf.Session() as sess:
        out = sess.run(got)
    for k in want:
        assert out[k] == pytest.approx(want[k], rel=1e-5), k


# =========================================================================== the lecture's perceptron
def test_perceptron_and_or_reach_the_lecture_predictions():
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    for y, want in (([0, 0, 0, 1], [0, 0, 0, 1]), ([0, 1, 1, 1], [0, 1, 1, 1])):
        tf.reset_default_graph()
        inputs = tf.placeholder(tf.float32, [None, 2])
        label = tf.placeholder(tf.int64, [None])
        weight = tf.Variable(tf.random_normal([2, 2]))
        bias = tf.Variable(tf.zeros([2]))
        logit = tf.matmul(inputs, weight) + bias
        pred_op = tf.nn.softmax(logit)
        loss_op = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=label, logits=logit))
        opt = tf.train.GradientDescentOptimizer(0.1).minimize(loss_op)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(500):
                _, loss = sess.run([opt, loss_op], feed_dict={inputs: x, label: y})
            pred = sess.run(pred_op, feed_dict={inputs: x})
        assert loss < 0.3
        np.testing.assert_array_equal(np.argmax(pred, axis=1), want)


def test_gate_op_groups_each_ops_input_gradients_as_tf():
    """minimize()/compute_gradients() default to GATE_OP: an op's input gradients go through
    `<op>_grad/tuple` (a group_deps NoOp and control_dependency Identities), so the gradients an optimizer
    applies carry TF's names; tf.gradients (gate_gradients=False) and GATE_NONE make no tuple."""
    x = tf.placeholder(tf.float32, [None, 2])
    w = tf.Variable(tf.ones([2, 1]), name="w")
    b = tf.Variable(0.0, name="b")
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b))
    opt = tf.train.GradientDescentOptimizer(0.1)
    gated = opt.compute_gradients(loss)
    assert [g.name for g, _ in gated] == ["gradients/MatMul_grad/tuple/control_dependency_1:0",
                                          "gradients/add_grad/tuple/control_dependency_1:0"]
    g = tf.get_default_graph()
    deps = g.get_operation_by_name("gradients/MatMul_grad/tuple/group_deps")
    assert deps.type == "NoOp" and {op.type for op in deps.control_inputs} == {"MatMul"}
    assert g.get_operation_by_name("gradients/MatMul_grad/tuple/control_dependency").control_inputs == [deps]
    plain = tf.gradients(loss, [w, b])
    none = opt.compute_gradients(loss, gate_gradients=tf.train.Optimizer.GATE_NONE)
    assert "tuple" not in plain[0].name and "tuple" not in none[0][0].name
    feed = {x: np.array([[1.0, 2.0], [3.0, -1.0]], np.float32)}
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        a, c = s.run([[gv[0] for gv in gated], plain], feed)
        for u, v in zip(a, c):
            np.testing.assert_allclose(u, v, rtol=1e-6)


def test_gate_op_does_not_compute_gradients_nothing_uses():
    """TF's gate waits for every input gradient of an op, the one for the labels placeholder of `out - y` too; tfmini's
    waits for those on a path to the variables, so a training step computes no gradient for a placeholder."""
    x = tf.placeholder(tf.float32, [None, 2])
    y = tf.placeholder(tf.float32, [None, 1])
    w = tf.Variable(tf.ones([2, 1]))
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - y))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    g = tf.get_default_graph()
    assert g.get_operation_by_name("gradients/sub_grad/tuple/control_dependency_1").type == "Identity"
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(train, {x: np.ones((4, 2), np.float32), y: np.zeros((4, 1), np.float32)})
        ran = {op.name for op in list(s._plans.values())[-1].ops}
    assert "gradients/MatMul_grad/MatMul_1" in ran  # w's gradient
    assert not any(n.startswith("gradients/sub_grad/Neg") or n == "gradients/MatMul_grad/MatMul" for n in ran)


def test_a_tensor_in_var_list_is_refused_only_when_it_has_a_gradient():
    x = tf.placeholder(tf.float32, [None, 2])
    w = tf.Variable(tf.ones([2, 1]))
    h = tf.matmul(x, w)
    loss = tf.reduce_mean(tf.square(h))
    unrelated = tf.constant([1.0]) * 2.0
    assert tf.train.GradientDescentOptimizer(0.1).minimize(loss, var_list=[w, unrelated]).type == "NoOp"
    with pytest.raises(ValueError, match="^No gradients provided for any variable"):
        tf.train.AdamOptimizer(0.1).minimize(loss, var_list=[unrelated])
    with pytest.raises(NotImplementedError) as e:
        tf.train.AdamOptimizer(0.1).minimize(loss, var_list=[w, h])
    assert e.value.args == ("Trying to update a Tensor ", h)


@pytest.mark.parametrize("make", [lambda: tf.train.AdamOptimizer(0.1), lambda: tf.train.MomentumOptimizer(0.1, 0.9),
                                  lambda: tf.train.RMSPropOptimizer(0.1, momentum=0.5),
                                  lambda: tf.train.AdagradOptimizer(0.1), lambda: tf.train.AdadeltaOptimizer(1.0),
                                  lambda: tf.train.GradientDescentOptimizer(0.1)],
                         ids=["Adam", "Momentum", "RMSProp", "Adagrad", "Adadelta", "GradientDescent"])
def test_a_scalar_variable_trains_as_a_one_element_one(make, backend):
    """Kernels on 0-d values (numpy's ufuncs give scalars for them, which cannot be updated in place): a scalar
    variable (y = W * x + b with scalar W, b) takes the same steps as a [1] one."""
    got = []
    for shape in ([], [1]):
        tf.reset_default_graph()
        v = tf.Variable(tf.fill(shape, 2.0))
        loss = tf.reduce_sum(tf.square(v - 1.0) + tf.squared_difference(v, 3.0) + tf.sigmoid(v))
        train = make().minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got.append([float(np.reshape(sess.run([train, v])[1], ())) for _ in range(3)])
    np.testing.assert_allclose(got[0], got[1], rtol=1e-6)


@pytest.mark.parametrize("gate", [0, 1, 2])
@pytest.mark.parametrize("make", [lambda: tf.train.GradientDescentOptimizer(0.1), lambda: tf.train.AdamOptimizer(0.1)],
                         ids=["sgd", "adam"])
def test_a_gradient_fetched_with_the_train_op_sees_the_step_s_variables(make, gate):
    """tf.gradients of a fed placeholder, fetched in the run that updates the variables in place, uses the values
    the step started from for every read (as TF), not a mix of old and updated ones."""
    x = tf.placeholder(tf.float64, [2, 2])
    w = tf.Variable(np.array([1.0, 2.0]))
    loss = tf.reduce_sum(tf.square(x * w))
    train = make().minimize(loss, gate_gradients=gate)
    gx = tf.gradients(loss, x)[0]
    xv = np.array([[1.0, -0.5], [0.25, 2.0]])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(2):
            w_before = sess.run(w)
            _, got = sess.run([train, gx], {x: xv})
            np.testing.assert_allclose(got, 2 * xv * w_before ** 2, rtol=1e-12)
            assert not np.allclose(sess.run(w), w_before)
