"""tensorflow.python.client: only device_lib."""
