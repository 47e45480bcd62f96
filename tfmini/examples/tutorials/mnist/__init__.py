"""TF 1.x's `tensorflow.examples.tutorials.mnist`: `input_data` is the module tutorials import."""
