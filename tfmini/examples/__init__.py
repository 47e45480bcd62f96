"""TF 1.x's `tensorflow.examples`: the tutorials' helper modules (`tutorials.mnist.input_data`)."""
