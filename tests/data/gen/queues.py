"""Writes tests/data/tf_queues.json: what TensorFlow 2.21 (tf.compat.v1, v2 behaviour off) gives for the queue-based
input pipeline (queues, QueueRunner, Coordinator, the input producers, batch, the readers and decode_csv).

Each case is a source text run with `tf`, `np`, `DIR` (a folder holding the files of FILES) and `catch` (f() -> ["ok",
value] or [error class, message]) in scope. Recorded: the graph's (name, type) pairs, the dtype and static shape of
each tensor in `fetch`, then either `run(sess)`'s result (when the text defines `run`) or the values of `steps` runs
of `fetch` with the queue runners started (and the error that ends them). A text that raises while it builds records
that error. tests/test_queues.py runs the same texts on tfmini.

Run with a TensorFlow install: /tmp/tfvenv/bin/python tests/data/gen/queues.py
"""
import json
import pathlib
import re
import sys
import tempfile

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
OUT = pathlib.Path(__file__).resolve().parent.parent / "tf_queues.json"

FILES = {
    "data-01-test-score.csv": "73,80,75,152\n93,88,93,185\n89,91,90,180\n96,98,100,196\n73,66,70,142\n"
                              "53,46,55,101\n69,74,77,149\n47,56,60,115\n87,79,90,175\n79,70,88,164\n"
                              "69,70,73,141\n70,65,74,141\n",
    "header.csv": "a,b\n1,2\n3,4\n",
    "b.txt": "x\ny\n",
    "whole.bin": "two\nlines",
}

CASES = {
    "lecture": """
q = tf.train.string_input_producer([DIR + '/data-01-test-score.csv'], shuffle=False, name='filename_queue')
reader = tf.TextLineReader()
key, value = reader.read(q)
xy = tf.decode_csv(value, record_defaults=[[0.], [0.], [0.], [0.]])
train_x_batch, train_y_batch = tf.train.batch([xy[0:-1], xy[-1:]], batch_size=10)
fetch = [train_x_batch, train_y_batch]
steps = 3
""",
    "reader-keys": """
q = tf.train.string_input_producer([DIR + '/header.csv', DIR + '/b.txt'], shuffle=False)
key, value = tf.TextLineReader(skip_header_lines=1).read(q)
fetch = [key, value]
steps = 5
""",
    "whole-file": """
q = tf.train.string_input_producer([DIR + '/whole.bin', DIR + '/b.txt'], shuffle=False, num_epochs=1)
key, value = tf.WholeFileReader().read(q)
fetch = [key, value]
steps = 3
""",
    "read-up-to": """
q = tf.train.string_input_producer([DIR + '/data-01-test-score.csv', DIR + '/b.txt'], shuffle=False, num_epochs=1)
reader = tf.TextLineReader()
keys, values = reader.read_up_to(q, 5)
n = reader.num_records_produced()
fetch = [keys, values]
steps = 5
""",
    "match-filenames": """
v = tf.train.match_filenames_once([DIR + '/*.csv', DIR + '/b*'])
m = tf.io.matching_files(DIR + '/nothing*')
fetch = [m]
extra = [x.name for x in tf.local_variables()]
def run(sess):
    return [catch(lambda: sess.run(v)), catch(lambda: sess.run(m))]
""",
    "read-file": """
fetch = [tf.read_file(DIR + '/whole.bin'), tf.io.read_file(DIR + '/b.txt', name='rf')]
def run(sess):
    return [catch(lambda: sess.run(fetch)), catch(lambda: sess.run(tf.read_file(DIR + '/missing.txt')))]
""",
    "slice-batch": """
x, y = tf.train.slice_input_producer([tf.range(10), tf.range(10) * 2], shuffle=False)
bx, by = tf.train.batch([x, y], batch_size=4)
fetch = [x, y, bx, by]
fetch = [bx, by]
steps = 4
""",
    "epochs": """
q = tf.train.string_input_producer(['a', 'b', 'c'], num_epochs=2, shuffle=False)
fetch = [q.dequeue()]
extra = [v.name for v in tf.local_variables()]
steps = 8
""",
    "epochs-batch": """
x, = tf.train.slice_input_producer([tf.range(5)], num_epochs=2, shuffle=False)
fetch = [tf.train.batch([x], batch_size=4)]
steps = 4
""",
    "epochs-smaller-final": """
x, = tf.train.slice_input_producer([tf.range(5)], num_epochs=2, shuffle=False)
fetch = [tf.train.batch([x], batch_size=4, allow_smaller_final_batch=True)]
steps = 4
""",
    "range-producer": """
q = tf.train.range_input_producer(4, num_epochs=1, shuffle=False, capacity=7)
fetch = [q.dequeue_many(2)]
size = q.size()
steps = 3
""",
    "input-producer": """
q = tf.train.input_producer(tf.constant([[1., 2.], [3., 4.], [5., 6.]]), shuffle=False, num_epochs=1)
fetch = [q.dequeue()]
steps = 4
""",
    "shuffle-batch": """
x, y = tf.train.slice_input_producer([tf.range(10), tf.range(10) * 2], shuffle=True, seed=3)
bx, by = tf.train.shuffle_batch([x, y], batch_size=4, capacity=20, min_after_dequeue=5, seed=1)
fetch = [bx, by]
steps = 0
""",
    "batch-dict": """
q = tf.train.range_input_producer(6, shuffle=False)
i = q.dequeue()
b = tf.train.batch({'b': i, 'a': tf.cast(i, tf.float32) * [1., 2.]}, batch_size=3, capacity=5, name='my_batch')
fetch = [b['a'], b['b']]
steps = 2
""",
    "batch-enqueue-many": """
b = tf.train.batch([tf.constant([[1, 2], [3, 4], [5, 6]])], batch_size=2, enqueue_many=True, num_threads=1)
fetch = [b]
steps = 2
""",
    "batch-join": """
x, = tf.train.slice_input_producer([tf.range(4)], shuffle=False)
y, = tf.train.slice_input_producer([tf.range(100, 104)], shuffle=False)
bj = tf.train.batch_join([[x], [y]], batch_size=3)
sj = tf.train.shuffle_batch_join([[x], [y]], batch_size=3, capacity=10, min_after_dequeue=2)
fetch = [bj, sj]
steps = 0
""",
    "batch-unknown-shape": """
p = tf.placeholder(tf.float32)
tf.train.batch([p], batch_size=2)
""",
    "batch-partial-shape": """
p = tf.placeholder(tf.float32, [None, 3])
tf.train.batch([p], batch_size=2)
""",
    "shuffle-batch-capacity": """
tf.train.shuffle_batch([tf.constant(1)], batch_size=2, capacity=5, min_after_dequeue=5)
""",
    "string-producer-empty": """
tf.train.string_input_producer([])
""",
    "epochs-zero": """
tf.train.string_input_producer(['a'], num_epochs=0)
""",
    "fifo": """
q = tf.FIFOQueue(5, [tf.float32, tf.int32], shapes=[[2], []])
enq = q.enqueue_many([[[1., 2.], [3., 4.], [5., 6.]], [7, 8, 9]])
one = q.enqueue(([9., 9.], 1))
d = q.dequeue()
dm = q.dequeue_many(2)
du = q.dequeue_up_to(4)
size = q.size()
close = q.close()
fetch = d + dm + du + [size]
def run(sess):
    out = [catch(lambda: sess.run(enq)), catch(lambda: sess.run(size)), catch(lambda: sess.run(d)),
           catch(lambda: sess.run(dm)), catch(lambda: sess.run(one)), catch(lambda: sess.run(close)),
           catch(lambda: sess.run(one)), catch(lambda: sess.run(dm)), catch(lambda: sess.run(du)),
           catch(lambda: sess.run(du)), catch(lambda: sess.run(d)), catch(lambda: sess.run(size))]
    return out
""",
    "fifo-unknown": """
q = tf.FIFOQueue(3, tf.int64, name='qq')
d = q.dequeue(name='take')
e = q.enqueue(tf.constant([1, 2], tf.int64))
dm = q.dequeue_many(1)
dm2 = q.dequeue_many(tf.constant(2))
fetch = [d, dm, dm2, q.size(), q.is_closed()]
def run(sess):
    return [catch(lambda: sess.run(e)), catch(lambda: sess.run(d))]
""",
    "fifo-runtime-shape": """
q = tf.FIFOQueue(3, tf.float32, shapes=[[2]])
p = tf.placeholder(tf.float32)
e = q.enqueue(p)
pm = tf.placeholder(tf.float32)
em = q.enqueue_many(pm)
def run(sess):
    return [catch(lambda: sess.run(e, {p: [1., 2., 3.]})), catch(lambda: sess.run(em, {pm: [[1., 2., 3.]]})),
            catch(lambda: sess.run(em, {pm: 1.}))]
""",
    "fifo-close-cancel": """
q = tf.FIFOQueue(1, tf.float32)
e = q.enqueue(1.)
c = q.close(cancel_pending_enqueues=True)
def run(sess):
    import threading, time
    sess.run(e)
    box = []
    def f():
        box.append(catch(lambda: sess.run(e)))
    t = threading.Thread(target=f)
    t.start()
    time.sleep(0.3)
    sess.run(c)
    t.join(5)
    return box + [catch(lambda: sess.run(q.dequeue())), catch(lambda: sess.run(q.dequeue()))]
""",
    "session-close-cancels": """
q = tf.FIFOQueue(2, tf.float32)
d = q.dequeue()
def run(sess):
    import threading, time
    s2 = tf.Session()
    box = []
    def f():
        try:
            s2.run(d)
            box.append("ok")
        except Exception as e:  # noqa: BLE001
            box.append(type(e).__name__)
    t = threading.Thread(target=f)
    t.start()
    time.sleep(0.3)
    s2.close()
    t.join(5)
    return box + [t.is_alive()]
""",
    "enqueue-wrong-dtype": """
q = tf.FIFOQueue(3, tf.float32)
q.enqueue(tf.constant(1))
""",
    "enqueue-wrong-shape": """
q = tf.FIFOQueue(3, tf.float32, shapes=[[3]])
q.enqueue([1., 2.])
""",
    "enqueue-many-wrong-shape": """
q = tf.FIFOQueue(3, tf.float32, shapes=[[3]])
q.enqueue_many([[1., 2.]])
""",
    "enqueue-many-scalar": """
q = tf.FIFOQueue(3, tf.float32)
q.enqueue_many(1.)
""",
    "queue-shapes-undefined": """
tf.FIFOQueue(3, tf.float32, shapes=[[None]])
""",
    "random-shuffle": """
q = tf.RandomShuffleQueue(10, 2, [tf.int32], shapes=[[]], seed=5)
e = q.enqueue_many([[1, 2, 3, 4, 5, 6]])
dm = q.dequeue_many(3)
d = q.dequeue()
c = q.close()
fetch = [dm, d, q.size()]
def run(sess):
    sess.run(e)
    first = sorted(sess.run(dm).tolist())
    sess.run(c)
    rest = catch(lambda: sorted(sess.run(q.dequeue_up_to(2)).tolist() + sess.run(dm).tolist()))
    return [len(set(first)), rest[0], catch(lambda: sess.run(dm)), catch(lambda: sess.run(d))]
""",
    "random-shuffle-order": """
q = tf.RandomShuffleQueue(20, 0, [tf.int32], shapes=[[]], seed=5)
e = q.enqueue_many([tf.range(12)])
d = q.dequeue()
dm = q.dequeue_many(4)
fetch = [d, dm]
def run(sess):
    sess.run(e)
    return [[int(sess.run(d)) for _ in range(3)], sess.run(dm).tolist(), [int(sess.run(d)) for _ in range(5)]]
""",
    "padding": """
q = tf.PaddingFIFOQueue(5, [tf.int32], shapes=[[None]])
e1 = q.enqueue([[1, 2, 3]])
e2 = q.enqueue([[4]])
dm = q.dequeue_many(2)
fetch = [dm]
def run(sess):
    sess.run([e1])
    sess.run([e2])
    return catch(lambda: sess.run(dm))
""",
    "decode-csv": """
rec = tf.constant(['1,2.5,x,7', '3,,"a,b",', '-4,1e3,"q""uote",9'])
out = tf.decode_csv(rec, record_defaults=[[0], [0.5], ['d'], tf.constant([5], tf.int64)])
fetch = out
def run(sess):
    return catch(lambda: sess.run(out))
""",
    "decode-csv-options": """
out = tf.decode_csv(tf.constant([['1;NA', 'NA;2']]), record_defaults=[[1.], [2.]], field_delim=';',
                    na_value='NA', name='dc')
fetch = out
def run(sess):
    return catch(lambda: sess.run(out))
""",
    "decode-csv-errors": """
p = tf.placeholder(tf.string)
out = tf.decode_csv(p, record_defaults=[[0.], [0], tf.constant([], tf.float32)])
def run(sess):
    return [catch(lambda: sess.run(out, {p: '1,2'})), catch(lambda: sess.run(out, {p: '1,2,3,4'})),
            catch(lambda: sess.run(out, {p: 'x,2,3'})), catch(lambda: sess.run(out, {p: '1,y,3'})),
            catch(lambda: sess.run(out, {p: '1,2,'})), catch(lambda: sess.run(out, {p: ['1,2,3', '4,5']})),
            catch(lambda: sess.run(out, {p: '1,"2,3'})), catch(lambda: sess.run(out, {p: '1,9999999999,3'})),
            catch(lambda: sess.run(out, {p: '1,2,3 '})), catch(lambda: sess.run(out, {p: ' 1,2,3'}))]
""",
    "decode-csv-bad-defaults": """
tf.decode_csv(tf.constant('1'), record_defaults=[[[0.]]])
""",
    "decode-csv-bad-delim": """
tf.decode_csv(tf.constant('1'), record_defaults=[[0.]], field_delim='ab')
""",
    "coordinator": """
def run(sess):
    coord = tf.train.Coordinator()
    out = [coord.should_stop()]
    coord.request_stop(tf.errors.OutOfRangeError(None, None, 'end'))
    out.append(coord.should_stop())
    coord.join([])
    coord2 = tf.train.Coordinator()
    try:
        raise ValueError('boom')
    except ValueError as e:
        coord2.request_stop(e)
    out.append(catch(lambda: coord2.join([])))
    coord3 = tf.train.Coordinator()
    with coord3.stop_on_exception():
        raise RuntimeError('in thread')
    out.append(coord3.should_stop())
    out.append(catch(lambda: coord3.raise_requested_exception()))
    return out
""",
}


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
        return v.decode("utf-8", "replace")
    return v


def run_case(tf, src, folder):
    """The record of one case (the same function runs on tfmini in tests/test_queues.py)."""
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
        fetch = ns.get("fetch", [])
        out["fetch"] = [[t.name, t.dtype.name, None if t.shape.ndims is None else t.shape.as_list()] for t in fetch]
        if "extra" in ns:
            out["extra"] = ns["extra"]
        out["queue_runners"] = [[qr.queue.name, [o.name for o in qr.enqueue_ops], qr.close_op.name,
                                 qr.cancel_op.name] for qr in g.get_collection(tf.GraphKeys.QUEUE_RUNNERS)]
        out["summaries"] = [t.op.name for t in g.get_collection(tf.GraphKeys.SUMMARIES)]
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


def write_files(folder):
    for name, text in FILES.items():
        (pathlib.Path(folder) / name).write_text(text)


def main():
    out = {}
    with tempfile.TemporaryDirectory() as folder:
        write_files(folder)
        for name, src in CASES.items():
            print(name, file=sys.stderr)
            out[name] = normalize(run_case(tf, src, folder), folder)
    OUT.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
