"""Writes tests/data/tf_readers.json: what TensorFlow 2.21 (tf.compat.v1, v2 behaviour off) gives for the readers of
binary files: tf.FixedLengthRecordReader and tf.TFRecordReader in the queue-based input pipeline, and
tf.data.FixedLengthRecordDataset, TFRecordDataset and TextLineDataset.

The input files are written here: a CIFAR-10-like binary file (label byte + 2x2x3 image bytes per record, with a
header and a footer) from a seeded numpy generator, and TFRecord files written by TF's tf.io.TFRecordWriter (plain,
GZIP, ZLIB; a corrupted and a truncated copy). They are stored in the JSON (base64, under "files") so that
tests/test_readers.py writes the same bytes in its tmp_path.

Each case is a source text run with `tf`, `np`, `DIR` (the folder of the files) and `catch` (f() -> ["ok", value] or
[error class, message]) in scope. Recorded: the graph's (name, type) pairs, the node (name, type) pairs of the
functions of its library (datasets read each file in a traced function), the dtype and static shape of each tensor in
`fetch`, then either `run(sess)`'s result (when the text defines `run`) or the values of `steps` runs of `fetch` with
the queue runners started (and the error that ends them). A text that raises while it builds records that error.
Byte strings are recorded as latin-1 text (lossless).

Run with a TensorFlow install: /tmp/tfvenv/bin/python tests/data/gen/readers.py
"""
import base64
import json
import pathlib
import re
import sys
import tempfile

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
OUT = pathlib.Path(__file__).resolve().parent.parent / "tf_readers.json"

RECORD = 1 + 2 * 2 * 3  # a CIFAR-like record: the label byte, then a 2x2 image's 3 channels (CIFAR: 1 + 32*32*3)

CASES = {
    "fixed-reader": """
q = tf.train.string_input_producer([DIR + '/cifar1.bin', DIR + '/cifar2.bin'], num_epochs=1, shuffle=False)
reader = tf.FixedLengthRecordReader(record_bytes=13, header_bytes=3, footer_bytes=2)
key, value = reader.read(q)
fetch = [key, value]
steps = 8
""",
    "fixed-reader-attrs": """
reader = tf.FixedLengthRecordReader(13, name='cifar_reader')
r2 = tf.FixedLengthRecordReader(4, header_bytes=1, footer_bytes=2, hop_bytes=3)
fetch = []
text = lambda v: v.decode() if isinstance(v, bytes) else v  # (tfmini's string attrs are str)
extra = [[op.name, op.type, op.get_attr('record_bytes'), op.get_attr('header_bytes'), op.get_attr('footer_bytes'),
          op.get_attr('hop_bytes'), text(op.get_attr('encoding'))] for op in tf.get_default_graph().get_operations()]
extra.append([reader.reader_ref.name, reader.reader_ref.dtype.name, reader.reader_ref.shape.as_list(),
              reader.supports_serialize])
def run(sess):
    return []
""",
    "fixed-reader-hop": """
q = tf.train.string_input_producer([DIR + '/hop.bin'], num_epochs=1, shuffle=False)
reader = tf.FixedLengthRecordReader(record_bytes=4, header_bytes=1, footer_bytes=1, hop_bytes=3)
key, value = reader.read(q)
fetch = [key, value]
steps = 6
""",
    "fixed-reader-ragged-body": """
q = tf.train.string_input_producer([DIR + '/ragged.bin', DIR + '/cifar2.bin'], num_epochs=1, shuffle=False)
reader = tf.FixedLengthRecordReader(record_bytes=13, header_bytes=3, footer_bytes=2)
key, value = reader.read(q)
fetch = [key, value]
steps = 6
""",
    "fixed-reader-short-file": """
q = tf.train.string_input_producer([DIR + '/tiny.bin', DIR + '/cifar2.bin'], num_epochs=1, shuffle=False)
reader = tf.FixedLengthRecordReader(record_bytes=13, header_bytes=3, footer_bytes=2)
key, value = reader.read(q)
fetch = [key, value]
steps = 3
""",
    "fixed-reader-up-to": """
q = tf.FIFOQueue(5, tf.string)
reader = tf.FixedLengthRecordReader(record_bytes=13, header_bytes=3, footer_bytes=2)
keys, values = reader.read_up_to(q, 2)
n = reader.num_records_produced()
reset = reader.reset()
fetch = [keys, values, n]
def run(sess):
    sess.run(q.enqueue_many([[DIR + '/cifar1.bin', DIR + '/cifar2.bin']]))
    out = [catch(lambda: sess.run(keys)), catch(lambda: sess.run(keys)), catch(lambda: sess.run(n)),
           catch(lambda: sess.run(keys)), catch(lambda: sess.run(reset)), catch(lambda: sess.run(n))]
    sess.run(q.enqueue(DIR + '/missing.bin'))
    out.append(catch(lambda: sess.run(keys)))
    sess.run(q.close())
    out.append(catch(lambda: sess.run(keys)))
    return out
""",
    "fixed-reader-bad-args": """
tf.FixedLengthRecordReader(record_bytes=0)
""",
    "cifar-pipeline": """
filenames = [DIR + '/cifar1.bin', DIR + '/cifar2.bin']
filename_queue = tf.train.string_input_producer(filenames, num_epochs=2, shuffle=False)
reader = tf.FixedLengthRecordReader(record_bytes=13, header_bytes=3, footer_bytes=2)
key, value = reader.read(filename_queue)
keys, records = tf.train.batch([key, value], batch_size=4, num_threads=1, capacity=20,
                               allow_smaller_final_batch=True)
fetch = [keys, records]
steps = 4
""",
    "tfrecord-reader": """
q = tf.train.string_input_producer([DIR + '/plain.tfrecord', DIR + '/plain.tfrecord'], num_epochs=1,
                                   shuffle=False)
reader = tf.TFRecordReader()
key, value = reader.read(q)
fetch = [key, value]
steps = 8
""",
    "tfrecord-reader-gzip": """
q = tf.train.string_input_producer([DIR + '/gzip.tfrecord'], num_epochs=1, shuffle=False)
options = tf.io.TFRecordOptions(compression_type='GZIP') if hasattr(tf.io, 'TFRecordOptions') else 'GZIP'
reader = tf.TFRecordReader(options=options, name='gz')
key, value = reader.read(q)
fetch = [key, value]
text = lambda v: v.decode() if isinstance(v, bytes) else v
extra = [[op.name, op.type, text(op.get_attr('compression_type'))] for op in tf.get_default_graph().get_operations()
         if op.type == 'TFRecordReaderV2']
steps = 5
""",
    "tfrecord-reader-zlib-string": """
q = tf.train.string_input_producer([DIR + '/zlib.tfrecord'], num_epochs=1, shuffle=False)
reader = tf.TFRecordReader(options='ZLIB')
keys, values = reader.read_up_to(q, 10)
fetch = [keys, values]
text = lambda v: v.decode() if isinstance(v, bytes) else v
extra = [[op.name, op.type, text(op.get_attr('compression_type'))] for op in tf.get_default_graph().get_operations()
         if op.type == 'TFRecordReaderV2']
steps = 2
""",
    "tfrecord-reader-corrupt": """
q = tf.train.string_input_producer([DIR + '/corrupt.tfrecord'], num_epochs=1, shuffle=False)
key, value = tf.TFRecordReader().read(q)
fetch = [key, value]
steps = 5
""",
    "tfrecord-reader-truncated": """
q = tf.train.string_input_producer([DIR + '/truncated.tfrecord'], num_epochs=1, shuffle=False)
key, value = tf.TFRecordReader().read(q)
fetch = [key, value]
steps = 5
""",
    "tfrecord-reader-bad-length-crc": """
q = tf.train.string_input_producer([DIR + '/badlen.tfrecord'], num_epochs=1, shuffle=False)
key, value = tf.TFRecordReader().read(q)
fetch = [key, value]
steps = 5
""",
    "tfrecord-reader-wrong-compression": """
q = tf.train.string_input_producer([DIR + '/plain.tfrecord'], num_epochs=1, shuffle=False)
key, value = tf.TFRecordReader(options='GZIP').read(q)
fetch = [key, value]
steps = 2
""",
    "tfrecord-reader-bad-options": """
tf.TFRecordReader(options='BZIP')
""",
    "fixed-dataset": """
ds = tf.data.FixedLengthRecordDataset([DIR + '/cifar1.bin', DIR + '/cifar2.bin'], 13, header_bytes=3,
                                      footer_bytes=2)
it = ds.make_one_shot_iterator()
nxt = it.get_next()
fetch = [nxt]
extra = [str(ds), ds.output_types.name, ds.output_shapes.as_list()]
def run(sess):
    return [catch(lambda: sess.run(nxt)) for _ in range(8)]
""",
    "fixed-dataset-defaults": """
ds = tf.data.FixedLengthRecordDataset(DIR + '/hop.bin', 5)
nxt = ds.make_one_shot_iterator().get_next()
fetch = [nxt]
def run(sess):
    return [catch(lambda: sess.run(nxt)) for _ in range(4)]
""",
    "fixed-dataset-ragged-body": """
ds = tf.data.FixedLengthRecordDataset([DIR + '/ragged.bin', DIR + '/cifar2.bin'], 13, header_bytes=3,
                                      footer_bytes=2)
nxt = ds.make_one_shot_iterator().get_next()
fetch = [nxt]
def run(sess):
    return [catch(lambda: sess.run(nxt)) for _ in range(6)]
""",
    "fixed-dataset-pipeline": """
ds = tf.data.FixedLengthRecordDataset([DIR + '/cifar1.bin', DIR + '/cifar2.bin'], 13, header_bytes=3,
                                      footer_bytes=2, buffer_size=100)
ds = ds.map(lambda r: (r, tf.size(r))).repeat(2).batch(4)
it = ds.make_initializable_iterator()
labels, images = it.get_next()
fetch = [labels, images]
def run(sess):
    sess.run(it.initializer)
    return [catch(lambda: sess.run(fetch)) for _ in range(4)]
""",
    "tfrecord-dataset": """
ds = tf.data.TFRecordDataset(DIR + '/plain.tfrecord')
nxt = ds.make_one_shot_iterator().get_next()
fetch = [nxt]
extra = [str(ds), ds.output_types.name, ds.output_shapes.as_list()]
def run(sess):
    return [catch(lambda: sess.run(nxt)) for _ in range(5)]
""",
    "tfrecord-dataset-gzip": """
ds = tf.data.TFRecordDataset([DIR + '/gzip.tfrecord'], compression_type='GZIP', buffer_size=10)
nxt = ds.make_one_shot_iterator().get_next()
fetch = [nxt]
def run(sess):
    return [catch(lambda: sess.run(nxt)) for _ in range(5)]
""",
    "tfrecord-dataset-zlib-fed": """
names = tf.placeholder(tf.string, [None])
kind = tf.placeholder(tf.string, [])
ds = tf.data.TFRecordDataset(names, compression_type=kind)
it = ds.make_initializable_iterator()
nxt = it.get_next()
fetch = [nxt]
def run(sess):
    sess.run(it.initializer, {names: [DIR + '/zlib.tfrecord', DIR + '/zlib.tfrecord'], kind: 'ZLIB'})
    out = [catch(lambda: sess.run(nxt)) for _ in range(9)]
    sess.run(it.initializer, {names: [DIR + '/plain.tfrecord'], kind: ''})
    out += [catch(lambda: sess.run(nxt)) for _ in range(2)]
    sess.run(it.initializer, {names: [DIR + '/plain.tfrecord'], kind: 'BZIP'})
    out += [catch(lambda: sess.run(nxt))]
    return out
""",
    "tfrecord-dataset-parallel": """
ds = tf.data.TFRecordDataset([DIR + '/plain.tfrecord', DIR + '/gzip.tfrecord'], num_parallel_reads=2)
nxt = ds.make_one_shot_iterator().get_next()
fetch = [nxt]
def run(sess):
    return [catch(lambda: sess.run(nxt)) for _ in range(2)]
""",
    "tfrecord-dataset-parallel-plain": """
ds = tf.data.TFRecordDataset([DIR + '/plain.tfrecord', DIR + '/zlib.tfrecord'], num_parallel_reads=2,
                             compression_type='')
nxt = ds.make_one_shot_iterator().get_next()
fetch = [nxt]
def run(sess):
    return [catch(lambda: sess.run(nxt)) for _ in range(2)]
""",
    "tfrecord-dataset-corrupt": """
ds = tf.data.TFRecordDataset([DIR + '/corrupt.tfrecord', DIR + '/plain.tfrecord'])
nxt = ds.make_one_shot_iterator().get_next()
fetch = [nxt]
def run(sess):
    return [catch(lambda: sess.run(nxt)) for _ in range(4)]
""",
    "tfrecord-dataset-truncated": """
ds = tf.data.TFRecordDataset([DIR + '/truncated.tfrecord'])
nxt = ds.make_one_shot_iterator().get_next()
fetch = [nxt]
def run(sess):
    return [catch(lambda: sess.run(nxt)) for _ in range(4)]
""",
    "tfrecord-dataset-missing": """
ds = tf.data.TFRecordDataset([DIR + '/missing.tfrecord'])
nxt = ds.make_one_shot_iterator().get_next()
fetch = [nxt]
def run(sess):
    return [catch(lambda: sess.run(nxt))]
""",
    "tfrecord-dataset-of-filenames": """
files = tf.data.Dataset.from_tensor_slices([DIR + '/plain.tfrecord', DIR + '/plain.tfrecord'])
ds = tf.data.TFRecordDataset(files)
nxt = ds.make_one_shot_iterator().get_next()
fetch = [nxt]
def run(sess):
    return [catch(lambda: sess.run(nxt)) for _ in range(7)]
""",
    "tfrecord-dataset-int-filenames": """
tf.data.TFRecordDataset([1, 2])
""",
    "tfrecord-dataset-int-dataset": """
tf.data.TFRecordDataset(tf.data.Dataset.range(3))
""",
    "textline-dataset": """
ds = tf.data.TextLineDataset([DIR + '/lines.txt', DIR + '/crlf.txt'])
nxt = ds.make_one_shot_iterator().get_next()
fetch = [nxt]
extra = [str(ds)]
def run(sess):
    return [catch(lambda: sess.run(nxt)) for _ in range(8)]
""",
    "textline-dataset-skip-header": """
ds = tf.data.TextLineDataset(DIR + '/lines.txt').skip(1).batch(2)
nxt = ds.make_one_shot_iterator().get_next()
fetch = [nxt]
def run(sess):
    return [catch(lambda: sess.run(nxt)) for _ in range(3)]
""",
}


def make_files():
    """{name: bytes} of the input files (TFRecord files written by TF itself)."""
    rng = np.random.RandomState(0)
    files = {}
    for k, n in ((1, 3), (2, 2)):
        labels = rng.randint(0, 10, size=(n, 1)).astype(np.uint8)
        images = rng.randint(0, 256, size=(n, 12)).astype(np.uint8)
        body = np.concatenate([labels, images], axis=1).tobytes()
        files["cifar%d.bin" % k] = b"HD%d" % k + body + b"FT"
    files["ragged.bin"] = files["cifar1.bin"][:-2] + b"xyz" + b"FT"  # body: 3 records and 3 bytes
    files["tiny.bin"] = b"HD0" + b"12345" + b"FT"  # body shorter than a record
    files["hop.bin"] = bytes(range(12))  # header 1, footer 1: body 10 bytes
    files["lines.txt"] = b"a,b\n1,2\n\nlast without newline"
    files["crlf.txt"] = b"x\r\ny\r\n"
    records = [b"first", b"", b"\x00\x01\xff binary", b"x" * 300]
    with tempfile.TemporaryDirectory() as d:
        for name, kind in (("plain.tfrecord", ""), ("gzip.tfrecord", "GZIP"), ("zlib.tfrecord", "ZLIB")):
            with tf.io.TFRecordWriter(d + "/" + name, options=tf.io.TFRecordOptions(compression_type=kind)) as w:
                for r in records:
                    w.write(r)
            files[name] = pathlib.Path(d, name).read_bytes()
    plain = files["plain.tfrecord"]
    second = 12 + len(records[0]) + 4  # the offset of the second record
    third = second + 12 + 4  # the third's
    corrupt = bytearray(plain)
    corrupt[third + 12 + 2] ^= 0xFF  # a byte of the third record's data
    files["corrupt.tfrecord"] = bytes(corrupt)
    files["truncated.tfrecord"] = plain[:third + 12 + 5]  # the third record's header and 5 of its bytes
    badlen = bytearray(plain)
    badlen[second + 8] ^= 0x01  # the second record's length CRC
    files["badlen.tfrecord"] = bytes(badlen)
    return files


def write_files(folder, files):
    for name, data in files.items():
        (pathlib.Path(folder) / name).write_bytes(data)


def _plain(v):
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, np.ndarray):
        return _plain(v.tolist())
    if isinstance(v, np.generic):
        return _plain(v.item())
    if isinstance(v, bytes):
        return v.decode("latin-1")
    return v


def _functions(g):
    """{function name without its counter: [(node name, type)]} of the graph's library (NoOps, which TF's automatic
    control dependencies add, left out)."""
    out = {}
    for f in g.as_graph_def().library.function:
        if "read_one_file" not in f.signature.name:
            continue  # (a one-shot iterator's factory, whose name TF makes from a hash)
        name = re.sub(r"_\d+$", "", f.signature.name)
        out[name] = [[n.name, n.op] for n in f.node_def if n.op != "NoOp"]
    return out


def run_case(tf, src, folder):
    """The record of one case (the same function runs on tfmini in tests/test_readers.py)."""
    def catch(f):
        try:
            return ["ok", _plain(f())]
        except (tf.errors.OpError, ValueError, TypeError, RuntimeError) as e:
            return [type(e).__name__, core_message(e.message) if isinstance(e, tf.errors.OpError) else str(e)]

    out = {}
    g = tf.Graph()
    with g.as_default():
        ns = {"tf": tf, "np": np, "DIR": folder, "catch": catch}
        try:
            exec(src, ns)
        except (ValueError, TypeError) as e:
            return {"build_error": [type(e).__name__, str(e)]}
        out["ops"] = [[op.name, op.type] for op in g.get_operations()]
        out["functions"] = _functions(g)
        fetch = ns.get("fetch", [])
        out["fetch"] = [[t.name, t.dtype.name, None if t.shape.ndims is None else t.shape.as_list()] for t in fetch]
        if "extra" in ns:
            out["extra"] = _plain(ns["extra"])
        with tf.Session() as sess:
            sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
            if "run" in ns:
                out["run"] = _plain(ns["run"](sess))
            else:
                coord = tf.train.Coordinator()
                threads = tf.train.start_queue_runners(sess, coord)
                values = []
                try:
                    for _ in range(ns.get("steps", 3)):
                        values.append(_plain(sess.run(fetch)))
                except tf.errors.OpError as e:
                    values.append([type(e).__name__, core_message(e.message)])
                out["values"] = values
                coord.request_stop()
                coord.join(threads, stop_grace_period_secs=5)
    return out


def core_message(message):
    """TF1's message in TF 2.21's wrapping ("Graph execution error: ... Node: 'x'\n<message>\n\t [[{{node x}}]]")."""
    m = re.search(r"\nNode: '[^']*'\n(.*?)(\n\t \[\[|$)", message, re.S)
    return m.group(1) if m else message


def normalize(record, folder):
    """DIR in file names as "<DIR>"; TF's process-wide resource counter ('_3_fifo_queue') as '_N_'."""
    text = json.dumps(record).replace(folder, "<DIR>")
    return json.loads(re.sub(r"'_\d+_", "'_N_", text))


def main():
    files = make_files()
    out = {"files": {name: base64.b64encode(data).decode() for name, data in sorted(files.items())}, "cases": {}}
    with tempfile.TemporaryDirectory() as folder:
        write_files(folder, files)
        for name, src in CASES.items():
            print(name, file=sys.stderr)
            out["cases"][name] = normalize(run_case(tf, src, folder), folder)
    OUT.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
