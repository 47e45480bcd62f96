"""tf.contrib.layers.optimize_loss: one call that makes the training op of a loss (optimizer by name, class,
instance or factory; a learning-rate variable and its decay; gradient noise, multipliers and clipping; the
summaries of the loss and the gradients), as TF 1.x's contrib.layers builds it."""
from ... import init_ops, summary
from ...framework import dtypes
from ...framework.indexed_slices import IndexedSlices
from ...framework.ops import GraphKeys, Tensor, convert_to_tensor, get_collection
from ...ops import clip_ops, random_ops
from ...ops.check_ops import assert_scalar
from ...ops.constant_op import constant
from ...ops.control_flow_ops import with_dependencies
from ...train import (adagrad, adam, ftrl, gradient_descent, momentum, optimizer as optimizer_, rmsprop,
                      training_util)
from ...variable_scope import get_variable, variable_scope
from ...variables import trainable_variables

__all__ = ["optimize_loss", "OPTIMIZER_CLS_NAMES", "OPTIMIZER_SUMMARIES"]


OPTIMIZER_CLS_NAMES = {
    "Adagrad": adagrad.AdagradOptimizer,
    "Adam": adam.AdamOptimizer,
    "Ftrl": ftrl.FtrlOptimizer,
    "Momentum": lambda learning_rate: momentum.MomentumOptimizer(learning_rate, momentum=0.9),
    "RMSProp": rmsprop.RMSPropOptimizer,
    "SGD": gradient_descent.GradientDescentOptimizer,
}

OPTIMIZER_SUMMARIES = ["learning_rate", "loss", "gradients", "gradient_norm", "global_gradient_norm"]


def optimize_loss(loss, global_step, learning_rate, optimizer, gradient_noise_scale=None,
                  gradient_multipliers=None, clip_gradients=None, learning_rate_decay_fn=None, update_ops=None,
                  variables=None, name=None, summaries=None, colocate_gradients_with_ops=False,
                  increment_global_step=True):
    """The training tensor of `loss`: `loss` itself, computed after the variables' update.

    optimizer: a name of OPTIMIZER_CLS_NAMES ("SGD", "Adam", ...), an Optimizer class or instance, or a function
    of the learning rate returning one. learning_rate: a float (then a non-trainable variable
    "<name or OptimizeLoss>/learning_rate") or a scalar tensor, optionally decayed by
    `learning_rate_decay_fn(lr, global_step)`. clip_gradients: a float (clip by global norm) or a function of the
    (gradient, variable) list. summaries: a subset of OPTIMIZER_SUMMARIES (default loss, learning_rate and
    global_gradient_norm). global_step None: the graph's (tf.train.get_global_step()); the update increments it.

        train_op = tf.contrib.layers.optimize_loss(loss, tf.train.get_or_create_global_step(), 0.01, "Adam")
        _, loss_value = sess.run([train_op, loss])   # or just sess.run(train_op): it is the loss
    """
    loss = convert_to_tensor(loss)
    assert_scalar(loss)
    if global_step is None:
        global_step = training_util.get_global_step()
    else:
        training_util.assert_global_step(global_step)
    with variable_scope(name, "OptimizeLoss", [loss, global_step]):
        if update_ops is None:
            update_ops = set(get_collection(GraphKeys.UPDATE_OPS))
        if update_ops:  # batch norm's moving averages and the like: updated before the loss is computed
            loss = with_dependencies(list(update_ops), loss)

        lr = None
        if learning_rate is not None:
            if isinstance(learning_rate, Tensor) and learning_rate.shape.ndims == 0:
                lr = learning_rate
            elif isinstance(learning_rate, float):
                if learning_rate < 0.0:
                    raise ValueError("Invalid learning_rate %s." % learning_rate)
                lr = get_variable("learning_rate", [], trainable=False,
                                  initializer=init_ops.constant_initializer(learning_rate))
            else:
                raise ValueError("Learning rate should be 0d Tensor or float. Got %s of type %s"
                                 % (str(learning_rate), str(type(learning_rate))))
        if summaries is None:
            summaries = ["loss", "learning_rate", "global_gradient_norm"]
        else:
            for summ in summaries:
                if summ not in OPTIMIZER_SUMMARIES:
                    raise ValueError("Summaries should be one of [%s], you provided %s."
                                     % (", ".join(OPTIMIZER_SUMMARIES), summ))
        if learning_rate is not None and learning_rate_decay_fn is not None:
            if global_step is None:
                raise ValueError("global_step is required for learning_rate_decay_fn.")
            lr = learning_rate_decay_fn(lr, global_step)
            if "learning_rate" in summaries:
                summary.scalar("learning_rate", lr)

        opt = _make_optimizer(optimizer, lr, learning_rate)
        if variables is None:
            variables = trainable_variables()
        gradients = opt.compute_gradients(loss, variables, colocate_gradients_with_ops=colocate_gradients_with_ops)
        if gradient_noise_scale is not None:
            gradients = _add_scaled_noise_to_gradients(gradients, gradient_noise_scale)
        if gradient_multipliers is not None:
            gradients = _multiply_gradients(gradients, gradient_multipliers)
            if not gradients:
                raise ValueError("Empty list of (gradient, var) pairs encountered. This is most likely to be caused "
                                 "by an improper value of gradient_multipliers.")
        if "global_gradient_norm" in summaries or "gradient_norm" in summaries:
            summary.scalar("global_norm/gradient_norm", clip_ops.global_norm(list(zip(*gradients))[0]))

        if isinstance(clip_gradients, float):
            grads, variables_ = zip(*gradients)
            clipped, _ = clip_ops.clip_by_global_norm(grads, clip_gradients)
            gradients = list(zip(clipped, variables_))
        elif callable(clip_gradients):
            gradients = clip_gradients(gradients)
        elif clip_gradients is not None:
            raise ValueError("Unknown type %s for clip_gradients" % type(clip_gradients))

        if "loss" in summaries:
            summary.scalar("loss", loss)
        for gradient, variable in gradients:
            grad_values = gradient.values if isinstance(gradient, IndexedSlices) else gradient
            if grad_values is not None:
                var_name = variable.name.replace(":", "_")
                if "gradients" in summaries:
                    summary.histogram("gradients/%s" % var_name, grad_values)
                if "gradient_norm" in summaries:
                    summary.scalar("gradient_norm/%s" % var_name, clip_ops.global_norm([grad_values]))
        if clip_gradients is not None and ("global_gradient_norm" in summaries or "gradient_norm" in summaries):
            summary.scalar("global_norm/clipped_gradient_norm", clip_ops.global_norm(list(zip(*gradients))[0]))

        grad_updates = opt.apply_gradients(gradients, global_step=global_step if increment_global_step else None,
                                           name="train")
        return with_dependencies([grad_updates], loss)


def _make_optimizer(optimizer, lr, learning_rate):
    """The Optimizer that `optimizer` names, is, or makes (TF's rules and messages)."""
    if isinstance(optimizer, str):
        if lr is None:
            raise ValueError("Learning rate is None, but should be specified if optimizer is string (%s)."
                             % optimizer)
        if optimizer not in OPTIMIZER_CLS_NAMES:
            raise ValueError("Optimizer name should be one of [%s], you provided %s."
                             % (", ".join(OPTIMIZER_CLS_NAMES), optimizer))
        return OPTIMIZER_CLS_NAMES[optimizer](learning_rate=lr)
    if isinstance(optimizer, type) and issubclass(optimizer, optimizer_.Optimizer):
        if lr is None:
            raise ValueError("Learning rate is None, but should be specified if optimizer is class (%s)."
                             % optimizer)
        return optimizer(learning_rate=lr)
    if isinstance(optimizer, optimizer_.Optimizer):
        return optimizer
    if callable(optimizer):
        opt = optimizer(lr) if learning_rate is not None else optimizer()
        if not isinstance(opt, optimizer_.Optimizer):
            raise ValueError("Unrecognized optimizer: function should return subclass of Optimizer. Got %s."
                             % str(opt))
        return opt
    raise ValueError("Unrecognized optimizer: should be string, subclass of Optimizer, instance of subclass of "
                     "Optimizer or function with one argument. Got %s." % str(optimizer))


def _add_scaled_noise_to_gradients(grads_and_vars, gradient_noise_scale):
    """Each gradient plus truncated-normal noise times gradient_noise_scale."""
    noisy = []
    for gradient, variable in grads_and_vars:
        if gradient is None:
            noisy.append((None, variable))
            continue
        shape = gradient.dense_shape if isinstance(gradient, IndexedSlices) else gradient.shape
        noisy.append((gradient + random_ops.truncated_normal(shape) * gradient_noise_scale, variable))
    return noisy


def _multiply_gradients(grads_and_vars, gradient_multipliers):
    """The gradients of the variables (or variable names) in `gradient_multipliers` scaled by their factor."""
    out = []
    for grad, var in grads_and_vars:
        if grad is not None and (var in gradient_multipliers or var.name in gradient_multipliers):
            key = var if var in gradient_multipliers else var.name
            multiplier = constant(gradient_multipliers[key], dtype=dtypes.float32)
            if isinstance(grad, IndexedSlices):
                grad = IndexedSlices(grad.values * multiplier, grad.indices, grad.dense_shape)
            else:
                grad = grad * multiplier
        out.append((grad, var))
    return out
