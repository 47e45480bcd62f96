"""Training ops: the in-place variable updates optimizers apply (ApplyGradientDescent, ApplyAdam, ...), and the
SparseApply* ops that update only some rows (for a sparse gradient, an IndexedSlices).

Each takes the variable and its slots as references (the executor passes their storage) and
updates the stored arrays in place; its output is the variable (a ref tensor), as in TF.
"""
import numpy as np

from ..framework import errors
from ..framework.op_def_library import make_op
from ..framework.op_registry import NOT_DIFFERENTIABLE, InferenceError, register_op
from ..framework.ops import convert_to_tensor, name_scope
from ..framework.tensor_shape import TensorShape
from ..runtime import intra_op
from .shape_util import shape_str
from ..runtime.state import deref

__all__ = ["apply_gradient_descent", "apply_momentum", "apply_adam", "apply_adagrad", "apply_rms_prop",
           "apply_centered_rms_prop", "apply_adadelta", "sparse_apply_momentum", "sparse_apply_adagrad",
           "sparse_apply_rms_prop", "sparse_apply_centered_rms_prop", "sparse_apply_adadelta", "apply_ftrl",
           "apply_ftrl_v2", "sparse_apply_ftrl", "sparse_apply_ftrl_v2", "apply_proximal_gradient_descent",
           "sparse_apply_proximal_gradient_descent", "apply_proximal_adagrad", "sparse_apply_proximal_adagrad"]


def _refs_shape(inputs, n_refs, kind):
    """The shape the first `n_refs` inputs (the variable, then its slots) share; TypeError when the first is not a
    variable."""
    var = inputs[0]
    if not var.dtype._is_ref:
        raise TypeError("%s ops need a variable (a ref tensor) as input 'var', got %s" % (kind, var))
    shape = var.shape
    for t in inputs[1:n_refs]:
        shape = shape.merge_with(t.shape)
    return shape


def _apply_infer(n_refs):
    """Shape rule shared by the Apply* ops: refs and grad share the variable's shape; hyperparameters are scalars."""
    def infer(*inputs, **attrs):
        var = inputs[0]
        shape = _refs_shape(inputs, n_refs, "Apply")
        grad = inputs[-1]
        if not shape.is_compatible_with(grad.shape):
            raise InferenceError("Shapes must be equal rank, but are %s and %s" % (shape.ndims, grad.shape.ndims)
                                 if shape.ndims != grad.shape.ndims else
                                 "Dimension mismatch: var %s vs grad %s" % (shape, grad.shape))
        for t in inputs[n_refs:-1]:
            if t.shape.ndims not in (None, 0):
                raise InferenceError("Shape must be rank 0 but is rank %d" % t.shape.ndims)
        return var.dtype, shape
    return infer


# elements per block of an in-place update: the expressions' temporaries (a few arrays of this many
# entries) stay in the CPU's cache instead of streaming the whole variable through memory once per
# operation (Adam on the CNN's 3136x1024 fc weights: ~21 ms in whole-array passes, ~10 ms in blocks of
# 128K entries on one thread), and the intra-op threads share the blocks
_BLOCK = 1 << 15


def _in_blocks(update, arrays, grad):
    """Run `update(*arrays, grad)` (in-place arithmetic on the variable and its slots) over consecutive
    blocks of the flattened arrays, the intra-op threads taking blocks one at a time; a small or
    non-contiguous variable, or a GPU array, in one call."""
    n = grad.size
    if n <= 2 * _BLOCK or grad.__class__ is not np.ndarray or not all(a.flags.c_contiguous for a in arrays):
        update(*arrays, grad)
        return
    flat = [a.reshape(-1) for a in arrays]  # views: the updates land in the stored arrays
    g = grad.reshape(-1)

    def block(b):
        i, j = b * _BLOCK, (b + 1) * _BLOCK
        update(*[a[i:j] for a in flat], g[i:j])

    intra_op.parallel_for(block, -(-n // _BLOCK))


def _values(slots, grad):
    arrays = [deref(s) for s in slots]
    if arrays[0].shape != grad.shape:
        raise errors.InvalidArgumentError(None, None, "var and grad do not have the same shape%s %s"
                                          % (list(arrays[0].shape), list(grad.shape)))
    return arrays


# =========================================================================== ApplyGradientDescent
def _apply_gradient_descent_kernel(xp, var, alpha, delta, *, use_locking=False):
    v, = _values([var], delta)
    v -= alpha * delta
    return var


register_op("ApplyGradientDescent", infer=_apply_infer(1), kernel=_apply_gradient_descent_kernel,
            grad=NOT_DIFFERENTIABLE, stateful=True, ref_inputs=(0,))


# =========================================================================== ApplyMomentum
def _momentum_update(lr, momentum, use_nesterov):
    """Momentum's rule on (var, accum) and a gradient, in place: ApplyMomentum's and SparseApplyMomentum's."""
    def update(v, a, g):
        a *= momentum
        a += g
        if use_nesterov:
            v -= g * lr + a * (momentum * lr)
        else:
            v -= lr * a
    return update


def _apply_momentum_kernel(xp, var, accum, lr, grad, momentum, *, use_locking=False, use_nesterov=False):
    _momentum_update(lr, momentum, use_nesterov)(*_values([var, accum], grad), grad)
    return var


def _momentum_infer(var, accum, lr, grad, momentum, **attrs):
    return _apply_infer(2)(var, accum, lr, momentum, grad)


register_op("ApplyMomentum", infer=_momentum_infer, kernel=_apply_momentum_kernel, grad=NOT_DIFFERENTIABLE,
            stateful=True, ref_inputs=(0, 1))


# =========================================================================== ApplyAdam
def _apply_adam_kernel(xp, var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad, *,
                       use_locking=False, use_nesterov=False):
    lr_t = lr * xp.sqrt(1 - beta2_power) / (1 - beta1_power)
    one_minus_beta1, one_minus_beta2 = 1 - beta1, 1 - beta2

    def update(w, mm, vv, grad):
        # TF's expressions, operation for operation, in two scratch arrays instead of one new array per step:
        # m += (g - m) * (1 - beta1); v += (g * g - v) * (1 - beta2); w -= m * lr_t / (sqrt(v) + epsilon)
        t = xp.asarray(xp.subtract(grad, mm))  # (an array even for a scalar variable: numpy gives a 0-d scalar)
        t *= one_minus_beta1
        mm += t
        xp.multiply(grad, grad, out=t)
        t -= vv
        t *= one_minus_beta2
        vv += t
        u = xp.sqrt(vv)
        u += epsilon
        if use_nesterov:
            xp.multiply(mm, beta1, out=t)
            t += one_minus_beta1 * grad
            t *= lr_t
        else:
            xp.multiply(mm, lr_t, out=t)
        t /= u
        w -= t

    _in_blocks(update, _values([var, m, v], grad), grad)
    return var


register_op("ApplyAdam", infer=_apply_infer(3), kernel=_apply_adam_kernel, grad=NOT_DIFFERENTIABLE,
            stateful=True, ref_inputs=(0, 1, 2))


# =========================================================================== ApplyAdagrad
def _adagrad_update(xp, lr, update_slots):
    """Adagrad's rule on (var, accum) and a gradient, in place: ApplyAdagrad's and SparseApplyAdagrad's."""
    def update(v, a, g):
        if update_slots:
            a += g * g
        v -= lr * g / xp.sqrt(a)
    return update


def _apply_adagrad_kernel(xp, var, accum, lr, grad, *, use_locking=False, update_slots=True):
    _adagrad_update(xp, lr, update_slots)(*_values([var, accum], grad), grad)
    return var


register_op("ApplyAdagrad", infer=_apply_infer(2), kernel=_apply_adagrad_kernel, grad=NOT_DIFFERENTIABLE,
            stateful=True, ref_inputs=(0, 1))


# =========================================================================== ApplyRMSProp / ApplyCenteredRMSProp
def _apply_rms_prop_kernel(xp, var, ms, mom, lr, rho, momentum, epsilon, grad, *, use_locking=False):
    def update(v, s, m, grad):
        s += (grad * grad - s) * (1 - rho)
        m *= momentum
        m += lr * grad / xp.sqrt(s + epsilon)
        v -= m

    _in_blocks(update, _values([var, ms, mom], grad), grad)
    return var


def _apply_centered_rms_prop_kernel(xp, var, mg, ms, mom, lr, rho, momentum, epsilon, grad, *, use_locking=False):
    def update(v, g_avg, s, m, grad):
        s += (grad * grad - s) * (1 - rho)
        g_avg += (grad - g_avg) * (1 - rho)
        m *= momentum
        m += lr * grad / xp.sqrt(s - g_avg * g_avg + epsilon)
        v -= m

    _in_blocks(update, _values([var, mg, ms, mom], grad), grad)
    return var


register_op("ApplyRMSProp", infer=_apply_infer(3), kernel=_apply_rms_prop_kernel, grad=NOT_DIFFERENTIABLE,
            stateful=True, ref_inputs=(0, 1, 2))
register_op("ApplyCenteredRMSProp", infer=_apply_infer(4), kernel=_apply_centered_rms_prop_kernel,
            grad=NOT_DIFFERENTIABLE, stateful=True, ref_inputs=(0, 1, 2, 3))


# =========================================================================== ApplyAdadelta
def _adadelta_update(xp, lr, rho, epsilon):
    """Adadelta's rule on (var, accum, accum_update) and a gradient, in place: ApplyAdadelta's and
    SparseApplyAdadelta's."""
    def update(v, a, au, g):
        a *= rho
        a += (1 - rho) * g * g
        step = xp.sqrt(au + epsilon) / xp.sqrt(a + epsilon) * g
        au *= rho
        au += (1 - rho) * step * step
        v -= step * lr
    return update


def _apply_adadelta_kernel(xp, var, accum, accum_update, lr, rho, epsilon, grad, *, use_locking=False):
    _in_blocks(_adadelta_update(xp, lr, rho, epsilon), _values([var, accum, accum_update], grad), grad)
    return var


register_op("ApplyAdadelta", infer=_apply_infer(3), kernel=_apply_adadelta_kernel, grad=NOT_DIFFERENTIABLE,
            stateful=True, ref_inputs=(0, 1, 2))


# =========================================================================== ApplyFtrl / ApplyFtrlV2
# FTRL-Proximal (McMahan et al., 2013), TF's kernel: with n the new accumulator accum + grad**2 and p(x) = x**-lr_power,
#   linear += g' - (p(n) - p(accum)) / lr * var          (g' = grad + 2 * l2_shrinkage * var for V2, else grad)
#   var = (clip(linear, -l1, l1) - linear) / (p(n) / lr + 2 * l2);  accum = n
# (multiply_linear_by_lr: linear is kept multiplied by lr, and l1, l2 with it.) The shrinkage enters `linear` only.
def _accum_power(xp, a, lr_power):
    """a ** -lr_power, TF's sqrt for the usual lr_power = -0.5."""
    return xp.sqrt(a) if float(lr_power) == -0.5 else xp.power(a, -lr_power)


def _ftrl_update(xp, lr, l1, l2, l2_shrinkage, lr_power, multiply_linear_by_lr):
    def update(v, a, lin, g):
        g_lin = g if l2_shrinkage is None else g + 2 * l2_shrinkage * v
        new_a = a + g * g
        p_new = _accum_power(xp, new_a, lr_power)
        sigma = p_new - _accum_power(xp, a, lr_power)
        if multiply_linear_by_lr:
            lin += g_lin * lr - sigma * v
            l1_t, quadratic = l1 * lr, p_new + 2 * l2 * lr
        else:
            lin += g_lin - sigma / lr * v
            l1_t, quadratic = l1, p_new / lr + 2 * l2
        v[...] = (xp.clip(lin, -l1_t, l1_t) - lin) / quadratic
        a[...] = new_a
    return update


def _apply_ftrl_kernel(xp, var, accum, linear, grad, lr, l1, l2, lr_power, *, use_locking=False,
                       multiply_linear_by_lr=False):
    _ftrl_update(xp, lr, l1, l2, None, lr_power, multiply_linear_by_lr)(*_values([var, accum, linear], grad), grad)
    return var


def _apply_ftrl_v2_kernel(xp, var, accum, linear, grad, lr, l1, l2, l2_shrinkage, lr_power, *, use_locking=False,
                          multiply_linear_by_lr=False):
    _ftrl_update(xp, lr, l1, l2, l2_shrinkage, lr_power, multiply_linear_by_lr)(
        *_values([var, accum, linear], grad), grad)
    return var


def _ftrl_infer(var, accum, linear, grad, *scalars, **attrs):
    return _apply_infer(3)(var, accum, linear, *scalars, grad)


register_op("ApplyFtrl", infer=_ftrl_infer, kernel=_apply_ftrl_kernel, grad=NOT_DIFFERENTIABLE, stateful=True,
            ref_inputs=(0, 1, 2))
register_op("ApplyFtrlV2", infer=_ftrl_infer, kernel=_apply_ftrl_v2_kernel, grad=NOT_DIFFERENTIABLE, stateful=True,
            ref_inputs=(0, 1, 2))


# =========================================================================== ApplyProximalGradientDescent / Adagrad
# FOBOS (Duchi & Singer, 2009): a gradient step to prox = var - step * grad, then the proximal step of l1 (soft
# threshold by step * l1) and l2 (divide by 1 + step * l2). ProximalAdagrad's step is lr / sqrt(accum), after
# accum += grad**2. With l1 = 0 the threshold leaves prox unchanged (sign(p) * |p| == p), so no branch is needed.
def _proximal_step(xp, v, g, step, l1, l2):
    prox = v - step * g
    v[...] = xp.sign(prox) * xp.maximum(xp.abs(prox) - step * l1, 0) / (1 + step * l2)


def _apply_proximal_gradient_descent_kernel(xp, var, alpha, l1, l2, delta, *, use_locking=False):
    v, = _values([var], delta)
    _proximal_step(xp, v, delta, alpha, l1, l2)
    return var


def _proximal_adagrad_update(xp, lr, l1, l2):
    def update(v, a, g):
        a += g * g
        _proximal_step(xp, v, g, lr / xp.sqrt(a), l1, l2)
    return update


def _apply_proximal_adagrad_kernel(xp, var, accum, lr, l1, l2, grad, *, use_locking=False):
    _proximal_adagrad_update(xp, lr, l1, l2)(*_values([var, accum], grad), grad)
    return var


register_op("ApplyProximalGradientDescent", infer=_apply_infer(1), kernel=_apply_proximal_gradient_descent_kernel,
            grad=NOT_DIFFERENTIABLE, stateful=True, ref_inputs=(0,))
register_op("ApplyProximalAdagrad", infer=_apply_infer(2), kernel=_apply_proximal_adagrad_kernel,
            grad=NOT_DIFFERENTIABLE, stateful=True, ref_inputs=(0, 1))


# =========================================================================== SparseApply*: updates of some rows
# The optimizers' path for a sparse gradient (an IndexedSlices, from tf.gather / tf.nn.embedding_lookup): the update
# of the dense op, applied to the rows `indices` of the variable and its slots only, `grad[i]` being row indices[i]'s
# gradient. The optimizers sum the slices of a repeated index first (Optimizer._apply_sparse_duplicate_indices); an
# index repeated anyway is applied once per occurrence, in order, as TF's kernels loop over the indices.
def _sparse_apply_infer(n_refs, grad_at):
    """Shape rule shared by the SparseApply* ops: refs share the variable's shape; grad is [N] + var.shape[1:];
    indices is [N]; the other inputs are scalars. TF's HandleGradAndIndicesInputs."""
    def infer(*inputs, **attrs):
        var = inputs[0]
        shape = _refs_shape(inputs, n_refs, "SparseApply")
        grad, indices = inputs[grad_at], inputs[grad_at + 1]
        if indices.shape.ndims not in (None, 1):
            raise InferenceError("Shape must be rank 1 but is rank %d" % indices.shape.ndims)
        if grad.shape.ndims == 0:
            raise InferenceError("Shape must be at least rank 1 but is rank 0")
        if shape.ndims is not None and grad.shape.ndims is not None:
            if shape.ndims != grad.shape.ndims:
                raise InferenceError("Shapes must be equal rank, but are %d and %d" % (grad.shape.ndims, shape.ndims))
            for k, (a, b) in enumerate(zip(shape.as_tuple()[1:], grad.shape.as_tuple()[1:]), 1):
                if a is not None and b is not None and a != b:
                    tail = TensorShape([None] + list(grad.shape.as_tuple()[1:]))
                    raise InferenceError("Dimension %d in both shapes must be equal, but are %d and %d. Shapes are "
                                         "%s and %s." % (k, a, b, shape_str(shape), shape_str(tail)))
        if indices.shape.ndims == 1 and grad.shape.ndims is not None:
            n, m = indices.shape.as_tuple()[0], grad.shape.as_tuple()[0]
            if n is not None and m is not None and n != m:
                raise InferenceError("Dimensions must be equal, but are %d and %d" % (n, m))
        for i, t in enumerate(inputs[n_refs:], n_refs):
            if i not in (grad_at, grad_at + 1) and t.shape.ndims not in (None, 0):
                raise InferenceError("Shape must be rank 0 but is rank %d" % t.shape.ndims)
        return var.dtype, shape
    return infer


def _sparse_rows(xp, update, slots, grad, indices):
    """Run `update(*rows, grad)` on the rows `indices` of the arrays in `slots` (the variable's and its slots'
    storage) and write the rows back. Indices are checked against the variable's first dimension (TF's
    InvalidArgumentError); a repeated index is applied once per occurrence, in order (rounds of distinct indices)."""
    arrays = [deref(s) for s in slots]
    var = arrays[0]
    for a in arrays[1:]:
        if a.shape != var.shape:
            raise errors.InvalidArgumentError(None, None, "var and accum do not have the same shape%s %s"
                                              % (list(var.shape), list(a.shape)))
    idx = xp.asarray(indices).reshape(-1)  # int32 indices reach a GPU kernel in host memory
    if var.ndim == 0 or grad.ndim == 0 or grad.shape[1:] != var.shape[1:]:
        raise errors.InvalidArgumentError(None, None, "var and grad do not have the same shape%s %s"
                                          % (list(var.shape), list(grad.shape)))
    if grad.shape[0] != idx.shape[0]:
        raise errors.InvalidArgumentError(None, None, "grad must be the same size as indices in the first dimension.")
    if idx.size == 0:
        return
    bad = (idx < 0) | (idx >= var.shape[0])
    if bad.any():
        at = int(xp.argmax(bad))
        raise errors.InvalidArgumentError(None, None, "Index %d at offset %d in indices is out of range"
                                          % (int(idx[at]), at))

    def apply(at_idx, g):
        rows = [a[at_idx] for a in arrays]  # copies: updated, then written back
        update(*rows, g)
        for a, r in zip(arrays, rows):
            a[at_idx] = r

    if xp.unique(idx).size == idx.size:
        apply(idx, grad)
        return
    # the k-th occurrence of each index in round k: within a round the indices are distinct
    order = xp.argsort(idx, kind="stable")
    sorted_idx = idx[order]
    start = xp.searchsorted(sorted_idx, sorted_idx)  # where each index's run of repeats begins
    occurrence = xp.empty_like(order)
    occurrence[order] = xp.arange(idx.size) - start
    for k in range(int(occurrence.max()) + 1):
        at = xp.nonzero(occurrence == k)[0]
        apply(idx[at], grad[at])


# =========================================================================== SparseApplyMomentum
def _sparse_apply_momentum_kernel(xp, var, accum, lr, grad, indices, momentum, *, use_locking=False,
                                  use_nesterov=False, **_):
    _sparse_rows(xp, _momentum_update(lr, momentum, use_nesterov), [var, accum], grad, indices)
    return var


register_op("SparseApplyMomentum", infer=_sparse_apply_infer(2, 3), kernel=_sparse_apply_momentum_kernel,
            grad=NOT_DIFFERENTIABLE, stateful=True, ref_inputs=(0, 1))


# =========================================================================== SparseApplyAdagrad
def _sparse_apply_adagrad_kernel(xp, var, accum, lr, grad, indices, *, use_locking=False, update_slots=True, **_):
    _sparse_rows(xp, _adagrad_update(xp, lr, update_slots), [var, accum], grad, indices)
    return var


register_op("SparseApplyAdagrad", infer=_sparse_apply_infer(2, 3), kernel=_sparse_apply_adagrad_kernel,
            grad=NOT_DIFFERENTIABLE, stateful=True, ref_inputs=(0, 1))


# =========================================================================== SparseApply(Centered)RMSProp
def _sparse_apply_rms_prop_kernel(xp, var, ms, mom, lr, rho, momentum, epsilon, grad, indices, *, use_locking=False,
                                  **_):
    def update(v, s, m, g):
        s *= rho
        s += g * g * (1 - rho)
        m *= momentum
        m += lr * g / xp.sqrt(s + epsilon)
        v -= m

    _sparse_rows(xp, update, [var, ms, mom], grad, indices)
    return var


def _sparse_apply_centered_rms_prop_kernel(xp, var, mg, ms, mom, lr, rho, momentum, epsilon, grad, indices, *,
                                           use_locking=False, **_):
    def update(v, g_avg, s, m, g):
        s *= rho
        s += g * g * (1 - rho)
        g_avg *= rho
        g_avg += g * (1 - rho)
        m *= momentum
        m += lr * g / xp.sqrt(s - g_avg * g_avg + epsilon)
        v -= m

    _sparse_rows(xp, update, [var, mg, ms, mom], grad, indices)
    return var


register_op("SparseApplyRMSProp", infer=_sparse_apply_infer(3, 7), kernel=_sparse_apply_rms_prop_kernel,
            grad=NOT_DIFFERENTIABLE, stateful=True, ref_inputs=(0, 1, 2))
register_op("SparseApplyCenteredRMSProp", infer=_sparse_apply_infer(4, 8),
            kernel=_sparse_apply_centered_rms_prop_kernel, grad=NOT_DIFFERENTIABLE, stateful=True,
            ref_inputs=(0, 1, 2, 3))


# =========================================================================== SparseApplyAdadelta
def _sparse_apply_adadelta_kernel(xp, var, accum, accum_update, lr, rho, epsilon, grad, indices, *,
                                  use_locking=False, **_):
    _sparse_rows(xp, _adadelta_update(xp, lr, rho, epsilon), [var, accum, accum_update], grad, indices)
    return var


register_op("SparseApplyAdadelta", infer=_sparse_apply_infer(3, 6), kernel=_sparse_apply_adadelta_kernel,
            grad=NOT_DIFFERENTIABLE, stateful=True, ref_inputs=(0, 1, 2))


# =========================================================================== SparseApplyFtrl(V2) / SparseApplyProximal*
def _sparse_apply_ftrl_kernel(xp, var, accum, linear, grad, indices, lr, l1, l2, lr_power, *, use_locking=False,
                              multiply_linear_by_lr=False, **_):
    _sparse_rows(xp, _ftrl_update(xp, lr, l1, l2, None, lr_power, multiply_linear_by_lr), [var, accum, linear],
                 grad, indices)
    return var


def _sparse_apply_ftrl_v2_kernel(xp, var, accum, linear, grad, indices, lr, l1, l2, l2_shrinkage, lr_power, *,
                                 use_locking=False, multiply_linear_by_lr=False, **_):
    _sparse_rows(xp, _ftrl_update(xp, lr, l1, l2, l2_shrinkage, lr_power, multiply_linear_by_lr),
                 [var, accum, linear], grad, indices)
    return var


def _sparse_apply_proximal_gradient_descent_kernel(xp, var, alpha, l1, l2, grad, indices, *, use_locking=False, **_):
    _sparse_rows(xp, lambda v, g: _proximal_step(xp, v, g, alpha, l1, l2), [var], grad, indices)
    return var


def _sparse_apply_proximal_adagrad_kernel(xp, var, accum, lr, l1, l2, grad, indices, *, use_locking=False, **_):
    _sparse_rows(xp, _proximal_adagrad_update(xp, lr, l1, l2), [var, accum], grad, indices)
    return var


register_op("SparseApplyFtrl", infer=_sparse_apply_infer(3, 3), kernel=_sparse_apply_ftrl_kernel,
            grad=NOT_DIFFERENTIABLE, stateful=True, ref_inputs=(0, 1, 2))
register_op("SparseApplyFtrlV2", infer=_sparse_apply_infer(3, 3), kernel=_sparse_apply_ftrl_v2_kernel,
            grad=NOT_DIFFERENTIABLE, stateful=True, ref_inputs=(0, 1, 2))
register_op("SparseApplyProximalGradientDescent", infer=_sparse_apply_infer(1, 4),
            kernel=_sparse_apply_proximal_gradient_descent_kernel, grad=NOT_DIFFERENTIABLE, stateful=True,
            ref_inputs=(0,))
register_op("SparseApplyProximalAdagrad", infer=_sparse_apply_infer(2, 5), kernel=_sparse_apply_proximal_adagrad_kernel,
            grad=NOT_DIFFERENTIABLE, stateful=True, ref_inputs=(0, 1))


# =========================================================================== wrappers
def _refs(*vs):
    return [v._ref() if hasattr(v, "_ref") else v for v in vs]


def _scalars(dtype, **named):
    return [convert_to_tensor(v, dtype=dtype, name=k) for k, v in named.items()]


def apply_gradient_descent(var, alpha, delta, use_locking=False, name=None):
    """var -= alpha * delta, in place."""
    with name_scope(name, "ApplyGradientDescent", [var, alpha, delta]) as scope:
        (v,) = _refs(var)
        dt = v.dtype.base_dtype
        return make_op("ApplyGradientDescent", [v] + _scalars(dt, alpha=alpha) + [convert_to_tensor(delta, dtype=dt)],
                       {"use_locking": use_locking}, name=scope)


def apply_momentum(var, accum, lr, grad, momentum, use_locking=False, use_nesterov=False, name=None):
    """accum = accum * momentum + grad; var -= lr * accum (or the Nesterov form)."""
    with name_scope(name, "ApplyMomentum", [var, accum, lr, grad, momentum]) as scope:
        v, a = _refs(var, accum)
        dt = v.dtype.base_dtype
        lr_t, = _scalars(dt, lr=lr)
        mom_t, = _scalars(dt, momentum=momentum)
        return make_op("ApplyMomentum", [v, a, lr_t, convert_to_tensor(grad, dtype=dt), mom_t],
                       {"use_locking": use_locking, "use_nesterov": use_nesterov}, name=scope)


def apply_adam(var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad, use_locking=False,
               use_nesterov=False, name=None):
    """Adam: m, v moving moments; var -= lr * sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + epsilon)."""
    with name_scope(name, "ApplyAdam", [var, m, v, grad]) as scope:
        w, mm, vv = _refs(var, m, v)
        dt = w.dtype.base_dtype
        sc = _scalars(dt, beta1_power=beta1_power, beta2_power=beta2_power, lr=lr, beta1=beta1, beta2=beta2,
                      epsilon=epsilon)
        return make_op("ApplyAdam", [w, mm, vv] + sc + [convert_to_tensor(grad, dtype=dt)],
                       {"use_locking": use_locking, "use_nesterov": use_nesterov}, name=scope)


def apply_adagrad(var, accum, lr, grad, use_locking=False, update_slots=True, name=None):
    """accum += grad**2; var -= lr * grad / sqrt(accum)."""
    with name_scope(name, "ApplyAdagrad", [var, accum, lr, grad]) as scope:
        v, a = _refs(var, accum)
        dt = v.dtype.base_dtype
        return make_op("ApplyAdagrad", [v, a] + _scalars(dt, lr=lr) + [convert_to_tensor(grad, dtype=dt)],
                       {"use_locking": use_locking, "update_slots": update_slots}, name=scope)


def apply_rms_prop(var, ms, mom, lr, rho, momentum, epsilon, grad, use_locking=False, name=None):
    """ms = rho * ms + (1 - rho) * grad**2; mom = momentum * mom + lr * grad / sqrt(ms + epsilon); var -= mom."""
    with name_scope(name, "ApplyRMSProp", [var, ms, mom, grad]) as scope:
        v, s, m = _refs(var, ms, mom)
        dt = v.dtype.base_dtype
        sc = _scalars(dt, lr=lr, rho=rho, momentum=momentum, epsilon=epsilon)
        return make_op("ApplyRMSProp", [v, s, m] + sc + [convert_to_tensor(grad, dtype=dt)],
                       {"use_locking": use_locking}, name=scope)


def apply_centered_rms_prop(var, mg, ms, mom, lr, rho, momentum, epsilon, grad, use_locking=False, name=None):
    """RMSProp normalized by the centered second moment (ms - mg**2)."""
    with name_scope(name, "ApplyCenteredRMSProp", [var, mg, ms, mom, grad]) as scope:
        v, g_avg, s, m = _refs(var, mg, ms, mom)
        dt = v.dtype.base_dtype
        sc = _scalars(dt, lr=lr, rho=rho, momentum=momentum, epsilon=epsilon)
        return make_op("ApplyCenteredRMSProp", [v, g_avg, s, m] + sc + [convert_to_tensor(grad, dtype=dt)],
                       {"use_locking": use_locking}, name=scope)


def apply_adadelta(var, accum, accum_update, lr, rho, epsilon, grad, use_locking=False, name=None):
    """Adadelta's update with running averages of squared gradients and squared updates."""
    with name_scope(name, "ApplyAdadelta", [var, accum, accum_update, grad]) as scope:
        v, a, au = _refs(var, accum, accum_update)
        dt = v.dtype.base_dtype
        sc = _scalars(dt, lr=lr, rho=rho, epsilon=epsilon)
        return make_op("ApplyAdadelta", [v, a, au] + sc + [convert_to_tensor(grad, dtype=dt)],
                       {"use_locking": use_locking}, name=scope)


def _sparse_inputs(op_type, dt, grad, indices):
    from .array_ops import _index_input
    return [convert_to_tensor(grad, dtype=dt, name="grad"), _index_input(op_type, "indices", indices)]


def _sparse_op(op_type, refs, scalars_before, grad, indices, scalars_after, attrs, scope):
    dt = refs[0].dtype.base_dtype
    g, i = _sparse_inputs(op_type, dt, grad, indices)
    attrs = dict(attrs, T=dt, Tindices=i.dtype.base_dtype)
    return make_op(op_type, refs + scalars_before + [g, i] + scalars_after, attrs, name=scope)


def sparse_apply_momentum(var, accum, lr, grad, indices, momentum, use_locking=False, use_nesterov=False, name=None):
    """For each row r = indices[i]: accum[r] = accum[r] * momentum + grad[i]; var[r] -= lr * accum[r] (or the
    Nesterov form). Rows not listed keep their values."""
    with name_scope(name, "SparseApplyMomentum", [var, accum, lr, grad, indices, momentum]) as scope:
        v, a = _refs(var, accum)
        dt = v.dtype.base_dtype
        return _sparse_op("SparseApplyMomentum", [v, a], _scalars(dt, lr=lr), grad, indices,
                          _scalars(dt, momentum=momentum), {"use_locking": use_locking, "use_nesterov": use_nesterov},
                          scope)


def sparse_apply_adagrad(var, accum, lr, grad, indices, use_locking=False, update_slots=True, name=None):
    """For each row r = indices[i]: accum[r] += grad[i]**2; var[r] -= lr * grad[i] / sqrt(accum[r])."""
    with name_scope(name, "SparseApplyAdagrad", [var, accum, lr, grad, indices]) as scope:
        v, a = _refs(var, accum)
        dt = v.dtype.base_dtype
        return _sparse_op("SparseApplyAdagrad", [v, a], _scalars(dt, lr=lr), grad, indices, [],
                          {"use_locking": use_locking, "update_slots": update_slots}, scope)


def sparse_apply_rms_prop(var, ms, mom, lr, rho, momentum, epsilon, grad, indices, use_locking=False, name=None):
    """apply_rms_prop's update on the rows `indices` only (grad[i] is row indices[i]'s gradient)."""
    with name_scope(name, "SparseApplyRMSProp", [var, ms, mom, grad, indices]) as scope:
        v, s, m = _refs(var, ms, mom)
        dt = v.dtype.base_dtype
        sc = _scalars(dt, lr=lr, rho=rho, momentum=momentum, epsilon=epsilon)
        return _sparse_op("SparseApplyRMSProp", [v, s, m], sc, grad, indices, [], {"use_locking": use_locking},
                          scope)


def sparse_apply_centered_rms_prop(var, mg, ms, mom, lr, rho, momentum, epsilon, grad, indices, use_locking=False,
                                   name=None):
    """apply_centered_rms_prop's update on the rows `indices` only."""
    with name_scope(name, "SparseApplyCenteredRMSProp", [var, mg, ms, mom, grad, indices]) as scope:
        v, g_avg, s, m = _refs(var, mg, ms, mom)
        dt = v.dtype.base_dtype
        sc = _scalars(dt, lr=lr, rho=rho, momentum=momentum, epsilon=epsilon)
        return _sparse_op("SparseApplyCenteredRMSProp", [v, g_avg, s, m], sc, grad, indices, [],
                          {"use_locking": use_locking}, scope)


def sparse_apply_adadelta(var, accum, accum_update, lr, rho, epsilon, grad, indices, use_locking=False, name=None):
    """apply_adadelta's update on the rows `indices` only."""
    with name_scope(name, "SparseApplyAdadelta", [var, accum, accum_update, grad, indices]) as scope:
        v, a, au = _refs(var, accum, accum_update)
        dt = v.dtype.base_dtype
        sc = _scalars(dt, lr=lr, rho=rho, epsilon=epsilon)
        return _sparse_op("SparseApplyAdadelta", [v, a, au], sc, grad, indices, [], {"use_locking": use_locking},
                          scope)


def apply_ftrl(var, accum, linear, grad, lr, l1, l2, lr_power, use_locking=False, multiply_linear_by_lr=False,
               name=None):
    """FTRL-Proximal: accum += grad**2 after `linear` gathers grad - (accum_new**-lr_power - accum**-lr_power) / lr
    * var; var = (clip(linear, -l1, l1) - linear) / (accum_new**-lr_power / lr + 2 * l2)."""
    with name_scope(name, "ApplyFtrl", [var, accum, linear, grad]) as scope:
        v, a, lin = _refs(var, accum, linear)
        dt = v.dtype.base_dtype
        sc = _scalars(dt, lr=lr, l1=l1, l2=l2, lr_power=lr_power)
        return make_op("ApplyFtrl", [v, a, lin, convert_to_tensor(grad, dtype=dt)] + sc,
                       {"use_locking": use_locking, "multiply_linear_by_lr": multiply_linear_by_lr}, name=scope)


def apply_ftrl_v2(var, accum, linear, grad, lr, l1, l2, l2_shrinkage, lr_power, use_locking=False,
                  multiply_linear_by_lr=False, name=None):
    """apply_ftrl with an L2 shrinkage: `linear` gathers grad + 2 * l2_shrinkage * var (accum still grad**2)."""
    with name_scope(name, "ApplyFtrlV2", [var, accum, linear, grad]) as scope:
        v, a, lin = _refs(var, accum, linear)
        dt = v.dtype.base_dtype
        sc = _scalars(dt, lr=lr, l1=l1, l2=l2, l2_shrinkage=l2_shrinkage, lr_power=lr_power)
        return make_op("ApplyFtrlV2", [v, a, lin, convert_to_tensor(grad, dtype=dt)] + sc,
                       {"use_locking": use_locking, "multiply_linear_by_lr": multiply_linear_by_lr}, name=scope)


def sparse_apply_ftrl(var, accum, linear, grad, indices, lr, l1, l2, lr_power, use_locking=False,
                      multiply_linear_by_lr=False, name=None):
    """apply_ftrl's update on the rows `indices` only (grad[i] is row indices[i]'s gradient)."""
    with name_scope(name, "SparseApplyFtrl", [var, accum, linear, grad, indices]) as scope:
        refs = _refs(var, accum, linear)
        sc = _scalars(refs[0].dtype.base_dtype, lr=lr, l1=l1, l2=l2, lr_power=lr_power)
        return _sparse_op("SparseApplyFtrl", refs, [], grad, indices, sc,
                          {"use_locking": use_locking, "multiply_linear_by_lr": multiply_linear_by_lr}, scope)


def sparse_apply_ftrl_v2(var, accum, linear, grad, indices, lr, l1, l2, l2_shrinkage, lr_power, use_locking=False,
                         multiply_linear_by_lr=False, name=None):
    """apply_ftrl_v2's update on the rows `indices` only (the shrinkage only on those rows)."""
    with name_scope(name, "SparseApplyFtrlV2", [var, accum, linear, grad, indices]) as scope:
        refs = _refs(var, accum, linear)
        sc = _scalars(refs[0].dtype.base_dtype, lr=lr, l1=l1, l2=l2, l2_shrinkage=l2_shrinkage, lr_power=lr_power)
        return _sparse_op("SparseApplyFtrlV2", refs, [], grad, indices, sc,
                          {"use_locking": use_locking, "multiply_linear_by_lr": multiply_linear_by_lr}, scope)


def apply_proximal_gradient_descent(var, alpha, l1, l2, delta, use_locking=False, name=None):
    """FOBOS: prox = var - alpha * delta; var = sign(prox) * max(|prox| - alpha * l1, 0) / (1 + alpha * l2)."""
    with name_scope(name, "ApplyProximalGradientDescent", [var, alpha, l1, l2, delta]) as scope:
        (v,) = _refs(var)
        dt = v.dtype.base_dtype
        sc = _scalars(dt, alpha=alpha, l1=l1, l2=l2)
        return make_op("ApplyProximalGradientDescent", [v] + sc + [convert_to_tensor(delta, dtype=dt)],
                       {"use_locking": use_locking}, name=scope)


def sparse_apply_proximal_gradient_descent(var, alpha, l1, l2, grad, indices, use_locking=False, name=None):
    """apply_proximal_gradient_descent's update on the rows `indices` only."""
    with name_scope(name, "SparseApplyProximalGradientDescent", [var, alpha, l1, l2, grad, indices]) as scope:
        refs = _refs(var)
        sc = _scalars(refs[0].dtype.base_dtype, alpha=alpha, l1=l1, l2=l2)
        return _sparse_op("SparseApplyProximalGradientDescent", refs, sc, grad, indices, [],
                          {"use_locking": use_locking}, scope)


def apply_proximal_adagrad(var, accum, lr, l1, l2, grad, use_locking=False, name=None):
    """accum += grad**2, then FOBOS with the step lr / sqrt(accum) (see apply_proximal_gradient_descent)."""
    with name_scope(name, "ApplyProximalAdagrad", [var, accum, lr, l1, l2, grad]) as scope:
        v, a = _refs(var, accum)
        dt = v.dtype.base_dtype
        sc = _scalars(dt, lr=lr, l1=l1, l2=l2)
        return make_op("ApplyProximalAdagrad", [v, a] + sc + [convert_to_tensor(grad, dtype=dt)],
                       {"use_locking": use_locking}, name=scope)


def sparse_apply_proximal_adagrad(var, accum, lr, l1, l2, grad, indices, use_locking=False, name=None):
    """apply_proximal_adagrad's update on the rows `indices` only."""
    with name_scope(name, "SparseApplyProximalAdagrad", [var, accum, lr, l1, l2, grad, indices]) as scope:
        refs = _refs(var, accum)
        sc = _scalars(refs[0].dtype.base_dtype, lr=lr, l1=l1, l2=l2)
        return _sparse_op("SparseApplyProximalAdagrad", refs, sc, grad, indices, [], {"use_locking": use_locking},
                          scope)
