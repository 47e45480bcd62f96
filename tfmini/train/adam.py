"""AdamOptimizer (Kingma & Ba): slots m and v (`<var>/Adam`, `<var>/Adam_1`), accumulators beta1_power, beta2_power."""
from ..framework.ops import control_dependencies, convert_to_tensor
from ..ops import control_flow_ops, math_ops, state_ops, training_ops
from .optimizer import Optimizer

__all__ = ["AdamOptimizer"]


class AdamOptimizer(Optimizer):
    """Adam with TF's defaults: learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-08."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8, use_locking=False, name="Adam"):
        super().__init__(use_locking, name)
        self._lr, self._beta1, self._beta2, self._epsilon = learning_rate, beta1, beta2, epsilon

    def _get_beta_accumulators(self):
        return self._get_non_slot_variable("beta1_power"), self._get_non_slot_variable("beta2_power")

    def _create_slots(self, var_list):
        first_var = min(var_list, key=lambda x: x.name)
        self._create_non_slot_variable(initial_value=self._beta1, name="beta1_power", colocate_with=first_var)
        self._create_non_slot_variable(initial_value=self._beta2, name="beta2_power", colocate_with=first_var)
        for v in var_list:
            self._zeros_slot(v, "m", self._name)
            self._zeros_slot(v, "v", self._name)

    def _prepare(self):
        c = self._call_if_callable
        self._lr_t = convert_to_tensor(c(self._lr), name="learning_rate")
        self._beta1_t = convert_to_tensor(c(self._beta1), name="beta1")
        self._beta2_t = convert_to_tensor(c(self._beta2), name="beta2")
        self._epsilon_t = convert_to_tensor(c(self._epsilon), name="epsilon")

    def _apply_dense(self, grad, var):
        dt = var.dtype.base_dtype
        beta1_power, beta2_power = self._get_beta_accumulators()
        return training_ops.apply_adam(
            var, self.get_slot(var, "m"), self.get_slot(var, "v"), math_ops.cast(beta1_power, dt),
            math_ops.cast(beta2_power, dt), math_ops.cast(self._lr_t, dt), math_ops.cast(self._beta1_t, dt),
            math_ops.cast(self._beta2_t, dt), math_ops.cast(self._epsilon_t, dt), grad,
            use_locking=self._use_locking).op

    def _apply_sparse(self, grad, var):
        """TF's _apply_sparse_shared: m and v decay on every row (an Assign), the gradient rows are scatter-added
        into them, and the variable moves by the whole m / (sqrt(v) + epsilon) (an AssignSub): rows not in the
        batch move too, by their decaying moments, as in TF 1.x (not a lazy Adam)."""
        dt = var.dtype.base_dtype
        beta1_power, beta2_power = self._get_beta_accumulators()
        beta1_power = math_ops.cast(beta1_power, dt)
        beta2_power = math_ops.cast(beta2_power, dt)
        lr_t = math_ops.cast(self._lr_t, dt)
        beta1_t = math_ops.cast(self._beta1_t, dt)
        beta2_t = math_ops.cast(self._beta2_t, dt)
        epsilon_t = math_ops.cast(self._epsilon_t, dt)
        lr = lr_t * math_ops.sqrt(1 - beta2_power) / (1 - beta1_power)
        values, indices = grad.values, grad.indices
        m = self.get_slot(var, "m")
        m_scaled_g_values = values * (1 - beta1_t)
        m_t = state_ops.assign(m, m * beta1_t, use_locking=self._use_locking)
        with control_dependencies([m_t]):
            m_t = state_ops.scatter_add(m, indices, m_scaled_g_values, use_locking=self._use_locking)
        v = self.get_slot(var, "v")
        v_scaled_g_values = (values * values) * (1 - beta2_t)
        v_t = state_ops.assign(v, v * beta2_t, use_locking=self._use_locking)
        with control_dependencies([v_t]):
            v_t = state_ops.scatter_add(v, indices, v_scaled_g_values, use_locking=self._use_locking)
        v_sqrt = math_ops.sqrt(v_t)
        var_update = state_ops.assign_sub(var, lr * m_t / (v_sqrt + epsilon_t), use_locking=self._use_locking)
        return control_flow_ops.group(*[var_update, m_t, v_t])

    def _finish(self, update_ops, name_scope):
        # the power accumulators advance once per step, after every variable is updated
        with control_dependencies(update_ops):
            beta1_power, beta2_power = self._get_beta_accumulators()
            update_beta1 = beta1_power.assign(beta1_power * self._beta1_t, use_locking=self._use_locking)
            update_beta2 = beta2_power.assign(beta2_power * self._beta2_t, use_locking=self._use_locking)
        return control_flow_ops.group(*update_ops + [update_beta1, update_beta2], name=name_scope)
