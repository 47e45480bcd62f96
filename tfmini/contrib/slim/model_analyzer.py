"""slim.model_analyzer: print a graph's variables (or ops) with their shapes and sizes.

    slim.model_analyzer.analyze_vars(tf.trainable_variables(), print_info=True)
    ---------
    Variables: name (type shape) [size]
    ---------
    vgg_16/conv1/conv1_1/weights:0 (float32_ref 3x3x3x64) [1728, bytes: 6912]
    ...
    Total size of variables: 134301514
    Total bytes of variables: 537206056
"""

__all__ = ["tensor_description", "analyze_ops", "analyze_vars"]


def tensor_description(var):
    """'(float32_ref 3x3x3x64)': the dtype and the dimensions ('?' where unknown)."""
    return "(" + str(var.dtype.name) + " " + "x".join(str(size) for size in var.get_shape()) + ")"


def analyze_ops(graph, print_info=False):
    """The total number of elements of all op outputs in `graph` (unknown sizes count 0); with
    `print_info`, one line per op: 'name -> (type shapes) [size]'."""
    if print_info:
        print("---------")
        print("Operations: name -> (type shapes) [size]")
        print("---------")
    total_size = 0
    for op in graph.get_operations():
        op_size = 0
        shapes = []
        for output in op.outputs:
            output_size = output.get_shape().num_elements() or 0
            if output.get_shape():
                shapes.append(tensor_description(output))
            op_size += output_size
        if print_info:
            print(op.name, "\t->", ", ".join(shapes), "[" + str(op_size) + "]")
        total_size += op_size
    return total_size


def analyze_vars(variables, print_info=False):
    """(total number of elements, total bytes) of `variables`; with `print_info`, TF-Slim's table:
    one line per variable, 'name (type shape) [size, bytes: n]', then the totals."""
    if print_info:
        print("---------")
        print("Variables: name (type shape) [size]")
        print("---------")
    total_size = 0
    total_bytes = 0
    for var in variables:
        var_size = var.get_shape().num_elements() or 0
        var_bytes = var_size * var.dtype.size
        total_size += var_size
        total_bytes += var_bytes
        if print_info:
            print(var.name, tensor_description(var), "[%d, bytes: %d]" % (var_size, var_bytes))
    if print_info:
        print("Total size of variables: %d" % total_size)
        print("Total bytes of variables: %d" % total_bytes)
    return total_size, total_bytes
