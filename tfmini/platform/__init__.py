"""TensorFlow's platform utilities: tf.logging, tf.gfile, tf.app and tf.flags (mirrors tensorflow/python/platform)."""
