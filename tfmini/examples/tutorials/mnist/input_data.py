"""TF 1.x's `tensorflow.examples.tutorials.mnist.input_data`, the line most MNIST tutorials open with:

    from tfmini.examples.tutorials.mnist import input_data
    mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)

It is `tfmini.datasets.mnist` (see there): the full MNIST when its files are in the folder or can be downloaded,
else the 5,000 digits shipped with tfmini, with a warning saying so.
"""
from ....datasets.mnist import DataSet, dense_to_one_hot, read_data_sets

__all__ = ["read_data_sets", "DataSet", "dense_to_one_hot"]
