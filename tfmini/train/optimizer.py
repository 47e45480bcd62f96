"""Optimizer: compute_gradients / apply_gradients / minimize, slots, and TF's update-op names."""
from ..gradients import gradients as _gradients
from .. import variables
from ..framework import dtypes
from ..framework.indexed_slices import IndexedSlices, convert_to_tensor_or_indexed_slices
from ..framework.ops import (GraphKeys, Tensor, control_dependencies, convert_to_tensor, get_collection_ref,
                             name_scope)
from ..ops import array_ops, control_flow_ops, state_ops
from . import slot_creator

__all__ = ["Optimizer"]


def _var_key(var):
    return var.op


def _deduplicate_indexed_slices(values, indices):
    """TF's: the slices of a repeated index summed, (summed_values, unique_indices) (Unique + UnsortedSegmentSum)."""
    unique_indices, new_index_positions = array_ops.unique(indices)
    summed_values = array_ops.unsorted_segment_sum(values, new_index_positions, array_ops.shape(unique_indices)[0])
    return summed_values, unique_indices


class Optimizer:
    """Base class: subclasses define `_create_slots`, `_prepare`, `_apply_dense`, `_apply_sparse` and maybe `_finish`.

    `minimize(loss)` = `compute_gradients(loss)` (tf.gradients w.r.t. the trainable variables) +
    `apply_gradients(...)` (one update op per variable, grouped into one op named after the optimizer).
    A sparse gradient (an IndexedSlices, from tf.gather / tf.nn.embedding_lookup) updates only its rows:
    `_apply_sparse_duplicate_indices` sums the slices of a repeated row, then `_apply_sparse` applies them.
    """

    GATE_NONE = 0
    GATE_OP = 1
    GATE_GRAPH = 2

    def __init__(self, use_locking, name):
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._use_locking = use_locking
        self._name = name
        self._slots = {}           # slot name -> {variable op: slot variable}
        self._non_slot_dict = {}   # (name, graph) -> variable

    def get_name(self):
        return self._name

    # ---- the public API
    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=GATE_OP, aggregation_method=None,
                 colocate_gradients_with_ops=False, name=None, grad_loss=None):
        """Add ops that compute gradients of `loss` and apply them; returns the training op.

        With `global_step`, the op also increments it after the update.
        """
        grads_and_vars = self.compute_gradients(loss, var_list=var_list, gate_gradients=gate_gradients,
                                                aggregation_method=aggregation_method,
                                                colocate_gradients_with_ops=colocate_gradients_with_ops,
                                                grad_loss=grad_loss)
        vars_with_grad = [v for g, v in grads_and_vars if g is not None]
        if not vars_with_grad:
            raise ValueError("No gradients provided for any variable, check your graph for ops that do not "
                             "support gradients, between variables %s and loss %s."
                             % ([str(v) for _, v in grads_and_vars], loss))
        return self.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def compute_gradients(self, loss, var_list=None, gate_gradients=GATE_OP, aggregation_method=None,
                          colocate_gradients_with_ops=False, grad_loss=None):
        """[(gradient or None, variable)] for `var_list` (default: the trainable variables)."""
        if callable(loss):
            raise NotImplementedError("`loss` passed to Optimizer.compute_gradients should be a Tensor in "
                                      "graph mode, not a callable")
        if gate_gradients not in (Optimizer.GATE_NONE, Optimizer.GATE_OP, Optimizer.GATE_GRAPH):
            raise ValueError("gate_gradients must be one of: Optimizer.GATE_NONE, Optimizer.GATE_OP, "
                             "Optimizer.GATE_GRAPH.  Not %s" % gate_gradients)
        loss = convert_to_tensor(loss)
        self._assert_valid_dtypes([loss])
        if grad_loss is not None:
            self._assert_valid_dtypes([convert_to_tensor(grad_loss)])
        if var_list is None:
            var_list = variables.trainable_variables()
        else:
            var_list = list(var_list.values()) if isinstance(var_list, dict) else list(var_list)
        for v in var_list:  # TF's _get_processor: a Tensor is differentiated against, but apply_gradients refuses it
            if not isinstance(v, (variables.Variable, Tensor)):
                raise NotImplementedError("Trying to optimize unsupported type ", v)
        if not var_list:
            raise ValueError("No variables to optimize.")
        grads = _gradients(loss, [v._ref() if isinstance(v, variables.Variable) else v for v in var_list],
                           grad_ys=grad_loss, gate_gradients=(gate_gradients == Optimizer.GATE_OP),
                           aggregation_method=aggregation_method)
        if gate_gradients == Optimizer.GATE_GRAPH:
            grads = control_flow_ops.tuple(grads)
        grads_and_vars = list(zip(grads, var_list))
        self._assert_valid_dtypes([v for g, v in grads_and_vars if g is not None])
        return grads_and_vars

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """One op applying every (gradient, variable) pair; named after the optimizer ('GradientDescent')."""
        grads_and_vars = tuple(grads_and_vars)
        if not grads_and_vars:
            raise ValueError("No variables provided.")
        converted = []
        for g, v in grads_and_vars:
            if g is not None:
                try:
                    g = convert_to_tensor_or_indexed_slices(g)
                except (TypeError, ValueError):
                    raise TypeError("Gradient must be convertible to a Tensor or IndexedSlices, or None: %s"
                                    % (g,)) from None
                if not isinstance(g, (Tensor, IndexedSlices)):
                    raise TypeError("Gradient must be a Tensor, IndexedSlices, or None: %s" % (g,))
            converted.append((g, v))
        var_list = [v for g, v in converted if g is not None]
        if not var_list:
            raise ValueError("No gradients provided for any variable: %s." % ([str(v) for _, v in converted],))
        for v in var_list:  # a Tensor with a gradient: TF's _TensorProcessor.update_op refuses it
            if not isinstance(v, variables.Variable):
                raise NotImplementedError("Trying to update a Tensor ", v)
        with control_dependencies(None):
            self._create_slots(var_list)
        update_ops = []
        with name_scope(name, self._name) as name:
            self._prepare()
            for grad, var in converted:
                if grad is None:
                    continue
                with name_scope("update_" + var.op.name):
                    if isinstance(grad, IndexedSlices):
                        if var.constraint is not None:
                            raise RuntimeError("Cannot use a constraint function on a sparse variable.")
                        update_ops.append(self._apply_sparse_duplicate_indices(grad, var))
                        continue
                    op = self._apply_dense(grad, var)
                    if var.constraint is not None:
                        with control_dependencies([op]):
                            op = var.assign(var.constraint(var.value())).op
                    update_ops.append(op)
            if global_step is None:
                apply_updates = self._finish(update_ops, name)
            else:
                with control_dependencies([self._finish(update_ops, "update")]):
                    apply_updates = state_ops.assign_add(global_step, 1, name=name)
            if isinstance(apply_updates, Tensor):
                apply_updates = apply_updates.op
            train_ops = get_collection_ref(GraphKeys.TRAIN_OP)
            if apply_updates not in train_ops:
                train_ops.append(apply_updates)
            return apply_updates

    # ---- slots
    def get_slot(self, var, name):
        """The slot variable `name` ('m', 'momentum', ...) this optimizer keeps for `var`, or None."""
        named = self._slots.get(name)
        if not named:
            return None
        return named.get(_var_key(var))

    def get_slot_names(self):
        return sorted(self._slots)

    def variables(self):
        """The optimizer's own variables (slots and accumulators such as beta1_power)."""
        out = list(self._non_slot_dict.values())
        for named in self._slots.values():
            out.extend(named.values())
        current = set(variables.global_variables())
        return sorted((v for v in out if v in current), key=lambda v: v.name)

    def _slot_dict(self, slot_name):
        return self._slots.setdefault(slot_name, {})

    def _zeros_slot(self, var, slot_name, op_name):
        named = self._slot_dict(slot_name)
        if _var_key(var) not in named:
            named[_var_key(var)] = slot_creator.create_zeros_slot(var, op_name)
        return named[_var_key(var)]

    def _get_or_make_slot_with_initializer(self, var, initializer, shape, dtype, slot_name, op_name):
        named = self._slot_dict(slot_name)
        if _var_key(var) not in named:
            named[_var_key(var)] = slot_creator.create_slot_with_initializer(var, initializer, shape, dtype,
                                                                             op_name)
        return named[_var_key(var)]

    def _create_non_slot_variable(self, initial_value, name, colocate_with):
        key = (name, colocate_with.graph)
        v = self._non_slot_dict.get(key)
        if v is None:
            v = variables.Variable(initial_value, name=name, trainable=False)
            self._non_slot_dict[key] = v
        return v

    def _get_non_slot_variable(self, name, graph=None):
        from ..framework.ops import get_default_graph
        return self._non_slot_dict.get((name, graph or get_default_graph()))

    # ---- subclass hooks
    def _create_slots(self, var_list):
        pass

    def _prepare(self):
        pass

    def _apply_dense(self, grad, var):
        raise NotImplementedError()

    def _apply_sparse_duplicate_indices(self, grad, var):
        """Apply an IndexedSlices gradient whose indices may repeat: the slices of each row summed first (a repeated
        row must not, say, apply momentum twice), then `_apply_sparse`. Optimizers for which repeats are harmless
        (plain gradient descent's ScatterSub) override this to skip the sum."""
        summed_values, unique_indices = _deduplicate_indexed_slices(grad.values, grad.indices)
        return self._apply_sparse(IndexedSlices(summed_values, unique_indices, grad.dense_shape), var)

    def _apply_sparse(self, grad, var):
        """The update for an IndexedSlices gradient without repeated indices: only its rows change."""
        raise NotImplementedError()

    def _finish(self, update_ops, name_scope):
        return control_flow_ops.group(*update_ops, name=name_scope)

    @staticmethod
    def _call_if_callable(param):
        return param() if callable(param) else param

    def _valid_dtypes(self):
        return {dtypes.float16, dtypes.float32, dtypes.float64}

    def _assert_valid_dtypes(self, tensors):
        valid = self._valid_dtypes()
        for t in tensors:
            dtype = t.dtype.base_dtype
            if dtype not in valid:
                raise ValueError("Invalid type %r for %s, expected: %s."
                                 % (dtype, t.name, [v for v in sorted(valid, key=lambda d: d.name)]))

