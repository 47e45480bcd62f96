"""Pretrain lesson 10's small VGG-style network on the digits 0-4 and save its checkpoint.

    cd lessons && python pretrain_small_vgg.py          # writes pretrained/small_vgg_digits0to4/

Trains small_vgg (small_vgg.py) on the 2,000 training digits 0-4 of the MNIST subset shipped with tfmini
(tfmini.datasets.mnist, source="subset"), with Adam, then saves only the model's variables (no optimizer
slots), so the checkpoint stays small (about 0.5 MB). Lesson 10 restores all of it except fc8 and fine-tunes
on the digits 5-9. Seeds are fixed; a re-run gives a checkpoint of the same quality (not bit-identical
across machines, since BLAS sums in machine-dependent order).
"""
import argparse
import os
import sys
import time

import numpy as np

import tfmini as tf
from tfmini.datasets import mnist

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from small_vgg import CHECKPOINT, PRETRAIN_DIGITS, select_digits, small_vgg, small_vgg_arg_scope  # noqa: E402

slim = tf.contrib.slim


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=600)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), CHECKPOINT))
    args = parser.parse_args(argv)

    np.random.seed(0)
    tf.set_random_seed(0)
    data = mnist.read_data_sets(source="subset", dtype=tf.uint8, reshape=False, seed=0)
    train = mnist.DataSet(*select_digits(data.train.images, data.train.labels, PRETRAIN_DIGITS), reshape=False,
                          seed=0)
    test = mnist.DataSet(*select_digits(data.test.images, data.test.labels, PRETRAIN_DIGITS), reshape=False)
    test_x, test_y = test.images, test.labels

    X = tf.placeholder(tf.float32, [None, 28, 28, 1], name="X")
    y = tf.placeholder(tf.int64, [None], name="y")
    is_training = tf.placeholder(tf.bool, name="is_training")
    with slim.arg_scope(small_vgg_arg_scope()):
        logits, _ = small_vgg(X, num_classes=len(PRETRAIN_DIGITS), is_training=is_training)
    with tf.variable_scope("losses"):
        cls_loss = tf.losses.sparse_softmax_cross_entropy(labels=y, logits=logits)
        loss_op = cls_loss + tf.add_n(tf.losses.get_regularization_losses())
    with tf.variable_scope("opt"):
        train_op = tf.train.AdamOptimizer(0.001).minimize(loss_op)
    n_correct = tf.reduce_sum(tf.cast(tf.equal(tf.argmax(logits, 1), y), tf.int32))

    saver = tf.train.Saver(slim.get_model_variables(), save_relative_paths=True)
    start = time.time()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(args.steps):
            bx, by = train.next_batch(args.batch_size)
            _, loss = sess.run([train_op, cls_loss], {X: bx, y: by, is_training: True})
            if (step + 1) % 100 == 0:
                print("step %d  loss %.4f  (%.0f s)" % (step + 1, loss, time.time() - start))
        right = sum(sess.run(n_correct, {X: test_x[i:i + 250], y: test_y[i:i + 250], is_training: False})
                    for i in range(0, len(test_x), 250))
        print("held-out accuracy on the digits %s: %.3f (%d test digits)"
              % ("".join(map(str, PRETRAIN_DIGITS)), right / len(test_x), len(test_x)))
        os.makedirs(os.path.dirname(args.out), exist_ok=True)
        path = saver.save(sess, args.out, write_meta_graph=False)
    size = sum(os.path.getsize(os.path.join(os.path.dirname(path), f)) for f in os.listdir(os.path.dirname(path)))
    print("saved %s (%d variables, %.0f kB)" % (path, len(slim.get_model_variables()), size / 1024))


if __name__ == "__main__":
    main()
