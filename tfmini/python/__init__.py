"""tensorflow.python: TensorFlow's internal code, which tfmini does not copy, except `client.device_lib`, which TF
1.x notebooks import to see their GPU (`from tensorflow.python.client import device_lib`), and `framework.ops`,
which TF 1.x tutorials import to reset the graph (`from tensorflow.python.framework import ops`). Any other module
under it fails with a message that names the public API to use instead
(tfmini/framework/tf_api_names.missing_module)."""
