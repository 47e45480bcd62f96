"""ConfigProto, GPUOptions, RunOptions, RunMetadata: TF's session options as plain objects."""

__all__ = ["ConfigProto", "GPUOptions", "GraphOptions", "OptimizerOptions", "RunOptions", "RunMetadata"]


def _text(v):
    """One scalar in protobuf text format: `true`, `"str"`, `0.5`."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return '"%s"' % v.replace("\\", "\\\\").replace('"', '\\"')
    return str(v)


class _Message:
    """A protobuf-like message: known fields with defaults; unknown fields raise ValueError as protobuf does."""

    _fields = {}

    def __init__(self, **kwargs):
        for k, v in self._fields.items():
            object.__setattr__(self, k, v() if callable(v) else v)
        for k, v in kwargs.items():
            if k not in self._fields:
                raise ValueError('Protocol message %s has no "%s" field.' % (type(self).__name__, k))
            setattr(self, k, v)

    def __setattr__(self, k, v):
        if k not in self._fields:
            raise AttributeError('Assignment not allowed (no field "%s" in protocol message object).' % k)
        object.__setattr__(self, k, v)

    def __eq__(self, other):
        return type(self) is type(other) and all(getattr(self, k) == getattr(other, k) for k in self._fields)

    def __repr__(self):
        """Protobuf's text format, as print(config) shows it in TF: one line per field, each ending in a newline."""
        body = self._text()
        return body + "\n" if body else ""

    __str__ = __repr__

    def _text(self):
        parts = []
        for k, default in self._fields.items():
            v = getattr(self, k)
            d = default() if callable(default) else default
            if v == d:
                continue
            if isinstance(v, _Message):
                parts.append("%s {\n  %s\n}" % (k, v._text().replace("\n", "\n  ")))
            elif isinstance(v, dict):  # a protobuf map prints as one entry block per key
                parts += ["%s {\n  key: %s\n  value: %s\n}" % (k, _text(kk), _text(vv)) for kk, vv in v.items()]
            elif isinstance(v, list):
                parts += ["%s: %s" % (k, _text(x)) for x in v]
            else:
                parts.append("%s: %s" % (k, _text(v)))
        return "\n".join(parts)

    def HasField(self, name):  # noqa: N802 - protobuf's name
        d = self._fields[name]
        return getattr(self, name) != (d() if callable(d) else d)

    def CopyFrom(self, other):  # noqa: N802
        for k in self._fields:
            object.__setattr__(self, k, getattr(other, k))


class GPUOptions(_Message):
    """GPU memory options: `allow_growth=True` grows memory on demand instead of reserving most of it."""
    # in protobuf field-number order, which is the order text format prints them in
    _fields = {"per_process_gpu_memory_fraction": 0.0, "allocator_type": "", "deferred_deletion_bytes": 0,
               "allow_growth": False, "visible_device_list": "", "polling_active_delay_usecs": 0,
               "polling_inactive_delay_msecs": 0, "force_gpu_compatible": False}


class OptimizerOptions(_Message):
    _fields = {"do_common_subexpression_elimination": False, "do_constant_folding": False,
               "do_function_inlining": False, "opt_level": 0, "global_jit_level": 0}


class GraphOptions(_Message):
    _fields = {"enable_recv_scheduling": False, "optimizer_options": OptimizerOptions,
               "build_cost_model": 0, "infer_shapes": False, "place_pruned_graph": False,
               "enable_bfloat16_sendrecv": False, "timeline_step": 0}


class ConfigProto(_Message):
    """Session configuration (`tf.ConfigProto(gpu_options=tf.GPUOptions(allow_growth=True))`)."""
    # in protobuf field-number order, which is the order text format prints them in
    _fields = {"device_count": dict, "intra_op_parallelism_threads": 0, "placement_period": 0,
               "device_filters": list, "inter_op_parallelism_threads": 0, "gpu_options": GPUOptions,
               "allow_soft_placement": False, "log_device_placement": False, "use_per_session_threads": False,
               "graph_options": GraphOptions, "operation_timeout_in_ms": 0, "isolate_session_state": False}


class RunOptions(_Message):
    FULL_TRACE = 3
    SOFTWARE_TRACE = 1
    HARDWARE_TRACE = 2
    NO_TRACE = 0
    _fields = {"trace_level": 0, "timeout_in_ms": 0, "inter_op_thread_pool": 0,
               "output_partition_graphs": False, "report_tensor_allocations_upon_oom": False}


class RunMetadata(_Message):
    _fields = {"step_stats": None, "cost_graph": None, "partition_graphs": list}
