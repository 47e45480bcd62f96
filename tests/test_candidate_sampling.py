"""Candidate samplers, ComputeAccidentalHits, nce_loss and sampled_softmax_loss against TF 2.21's results
(tests/data/tf_candidate_sampling.json, from tests/data/gen/candidate_sampling.py): expected counts by TF's
formulas, the sampled losses' values, gradients and ops given the same sampled classes; then a small
word2vec trains."""
import json
import pathlib

import numpy as np
import pytest

import tfmini as tf
from optable import Row, rows_test
from tfmini.ops import candidate_sampling_ops as cs

GOLDEN = json.loads((pathlib.Path(__file__).parent / "data" / "tf_candidate_sampling.json").read_text())
TRUE = np.array([[0, 3], [7, 9], [1, 1]], np.int64)


def _sampler(tf, fn, **kw):
    return getattr(tf.nn, fn)(tf.constant(TRUE), 2, **kw)


CASES = [
    Row("UniformCandidateSampler", lambda tf: _sampler(tf, "uniform_candidate_sampler", num_sampled=4, unique=True,
                                                       range_max=10)[0], id="UniformCandidateSampler-unique"),
    Row("UniformCandidateSampler", lambda tf: _sampler(tf, "uniform_candidate_sampler", num_sampled=3, unique=False,
                                                       range_max=10)[1], np.full((3, 2), 0.3, np.float32),
        id="UniformCandidateSampler-true-expected"),
    Row("LogUniformCandidateSampler", lambda tf: _sampler(tf, "log_uniform_candidate_sampler", num_sampled=5,
                                                          unique=False, range_max=20)[2],
        id="LogUniformCandidateSampler"),
    Row("LearnedUnigramCandidateSampler", lambda tf: _sampler(tf, "learned_unigram_candidate_sampler", num_sampled=2,
                                                              unique=False, range_max=10)[1],
        np.full((3, 2), 0.2, np.float32), id="LearnedUnigramCandidateSampler"),
    Row("FixedUnigramCandidateSampler", lambda tf: _sampler(tf, "fixed_unigram_candidate_sampler", num_sampled=2,
                                                            unique=False, range_max=10, unigrams=[1.0] * 10)[1],
        np.full((3, 2), 0.2, np.float32), id="FixedUnigramCandidateSampler"),
    Row("AllCandidateSampler", lambda tf: _sampler(tf, "all_candidate_sampler", num_sampled=4, unique=True)[0],
        np.arange(4), id="AllCandidateSampler"),
    Row("ComputeAccidentalHits", lambda tf: tf.nn.compute_accidental_hits(TRUE, tf.constant([9, 1, 4], tf.int64),
                                                                          2).ids,
        np.array([0, 1, 1], np.int64), id="ComputeAccidentalHits"),
    Row("ComputeAccidentalHits", lambda tf: (lambda p: (tf.nn.compute_accidental_hits(p, [5, 6], 2).indices,
                                                        {p: np.zeros((0, 2), np.int64)}))(
        tf.placeholder(tf.int64, [None, 2])), np.zeros(0, np.int32), id="ComputeAccidentalHits-empty-batch"),
]
test_row = rows_test(CASES)


# =========================================================================== the samplers against TF
def _dist(kind, kw):
    """tfmini's (draw, probability) pair for a golden sampler case."""
    if kind == "uniform":
        return cs._uniform_dist(kw["range_max"])
    if kind == "log_uniform":
        return cs._log_uniform_dist(kw["range_max"])
    weights = cs._fixed_unigram_weights(kw["range_max"], kw["unigrams"], kw.get("distortion", 1.0),
                                        kw.get("num_reserved_ids", 0), kw.get("num_shards", 1), kw.get("shard", 0))
    return cs._weighted_dist(weights)


def _num_tries(probability, classes, counts, num_sampled):
    """The number of draws n for which TF's formula gives `counts` for `classes` (None if none does)."""
    p = probability(np.asarray(classes))
    for n in range(num_sampled, 2000):
        if np.allclose(cs._expected_count(p, num_sampled, n), counts, rtol=2e-6, atol=0):
            return n
    return None


SAMPLER_CASES = [c for c in GOLDEN["samplers"] if c["kind"] != "all"]


@pytest.mark.parametrize("case", SAMPLER_CASES, ids=lambda c: "%s-%s" % (c["kind"], c["kw"]["unique"]))
def test_expected_counts_are_tfs_formula(case):
    kw = case["kw"]
    _, probability = _dist(case["kind"], kw)
    for sampled, true_count, sampled_count in case["runs"]:
        classes = np.concatenate([np.ravel(case["true_classes"]), sampled])
        counts = np.concatenate([np.ravel(true_count), sampled_count]).astype(np.float32)
        n = _num_tries(probability, classes, counts, kw["num_sampled"])
        assert n is not None, "no number of draws gives TF's expected counts"
        if kw["unique"]:
            assert len(set(sampled)) == len(sampled)
        else:
            assert n == kw["num_sampled"]


@pytest.mark.parametrize("case", GOLDEN["samplers"], ids=lambda c: "%s-%s" % (c["kind"], c["kw"]["unique"]))
def test_sampler_op_gives_what_tf_gives_where_the_draws_do_not_matter(case):
    """Without replacement only the draws' count changes the expected counts: with replacement the true
    classes' counts are TF's exactly, and every class tfmini draws that TF drew has TF's count."""
    tf.reset_default_graph()
    kw = dict(case["kw"])
    s = getattr(tf.nn, case["kind"] + "_candidate_sampler")(TRUE, 2, seed=5, **kw)
    with tf.Session() as sess:
        sampled, true_count, sampled_count = sess.run(s)
    assert sampled.dtype == np.int64 and true_count.dtype == np.float32 and sampled_count.dtype == np.float32
    assert sampled.shape == (kw["num_sampled"],) and true_count.shape == TRUE.shape
    tf_sampled, tf_true, tf_counts = case["runs"][0]
    if case["kind"] == "all" or not kw["unique"]:
        np.testing.assert_allclose(true_count, tf_true, rtol=1e-6)
        known = dict(zip(tf_sampled, tf_counts))
        for c, e in zip(sampled, sampled_count):
            if c in known:
                np.testing.assert_allclose(e, known[c], rtol=1e-6)
    else:
        assert len(set(sampled.tolist())) == len(sampled)
        _, probability = _dist(case["kind"], kw)
        assert _num_tries(probability, np.concatenate([TRUE.ravel(), sampled]),
                          np.concatenate([true_count.ravel(), sampled_count]), kw["num_sampled"]) is not None
    if case["kind"] == "all":
        np.testing.assert_array_equal(sampled, tf_sampled)
        np.testing.assert_array_equal(sampled_count, tf_counts)


def test_learned_unigram_counts_each_runs_true_classes_as_tf():
    g = GOLDEN["learned"]
    tf.reset_default_graph()
    tc = tf.placeholder(tf.int64, [None, 2])
    s = tf.nn.learned_unigram_candidate_sampler(tc, 2, 3, False, 6, seed=1)
    with tf.Session() as sess:
        for feed, (_, tf_true, _) in zip(g["feeds"], g["runs"]):
            np.testing.assert_allclose(sess.run(s, {tc: feed}).true_expected_count, tf_true, rtol=1e-6)
    with tf.Session() as sess:  # a new session starts counting again
        np.testing.assert_allclose(sess.run(s, {tc: g["feeds"][0]})[1], g["runs"][0][1], rtol=1e-6)


def test_draws_follow_the_distribution_and_skip_reserved_ids():
    tf.reset_default_graph()
    tc = tf.constant([[0]], tf.int64)
    log_u = tf.nn.log_uniform_candidate_sampler(tc, 1, 20000, False, 8, seed=1)
    fixed = tf.nn.fixed_unigram_candidate_sampler(tc, 1, 20000, False, 6, unigrams=[1.0, 3.0, 4.0, 0.0],
                                                  num_reserved_ids=2, seed=2)
    with tf.Session() as sess:
        a, b = sess.run([log_u.sampled_candidates, fixed.sampled_candidates])
    p = np.log((np.arange(8) + 2.0) / (np.arange(8) + 1.0)) / np.log(9.0)
    np.testing.assert_allclose(np.bincount(a, minlength=8) / a.size, p, atol=0.015)
    np.testing.assert_allclose(np.bincount(b, minlength=6) / b.size, [0, 0, 0.125, 0.375, 0.5, 0], atol=0.015)


def test_unique_draws_are_distinct_and_cover_a_full_range():
    tf.reset_default_graph()
    s = tf.nn.uniform_candidate_sampler([[1]], 1, 7, True, 7)
    with tf.Session() as sess:
        sampled, _, counts = sess.run(s)
    assert sorted(sampled.tolist()) == list(range(7))
    assert np.all(counts > 0) and np.all(counts <= 1)


def test_seeds_as_tfs_other_random_ops():
    def draw(make):
        tf.reset_default_graph()
        t = make()
        with tf.Session() as s1:
            a = [s1.run(t)[0].tolist() for _ in range(2)]
        with tf.Session() as s2:
            b = s2.run(t)[0].tolist()
        return t, a, b

    t, a, b = draw(lambda: tf.nn.uniform_candidate_sampler([[1]], 1, 8, False, 1000, seed=4))
    assert t[0].op.get_attr("seed") == 87654321 and t[0].op.get_attr("seed2") == 4
    assert a[0] == b and a[0] != a[1]  # the same sequence in every session, new values on each run

    def graph_seeded():
        tf.set_random_seed(3)
        return tf.nn.log_uniform_candidate_sampler([[1]], 1, 8, False, 1000)
    _, a, b = draw(graph_seeded)
    assert a[0] == b
    _, a, b = draw(lambda: tf.nn.uniform_candidate_sampler([[1]], 1, 8, False, 10 ** 6))
    assert a[0] != b  # no seed at all: different in every session


def test_samplers_are_cpu_only_and_not_differentiable():
    tf.reset_default_graph()
    w = tf.Variable(1.0)
    s = tf.nn.uniform_candidate_sampler([[1]], 1, 2, True, 5)
    assert tf.gradients(s.true_expected_count * w, [w])[0] is not None
    assert s[0].op._op_def.cpu_only


@pytest.mark.parametrize("case", GOLDEN["hits"], ids=lambda c: str(c["sampled"]))
def test_accidental_hits_as_tf(case):
    tf.reset_default_graph()
    h = tf.nn.compute_accidental_hits(tf.constant(case["true"], tf.int64), tf.constant(case["sampled"], tf.int64),
                                      case["num_true"])
    with tf.Session() as sess:
        r = sess.run(h)
    assert r.indices.tolist() == case["indices"] and r.ids.tolist() == case["ids"]
    np.testing.assert_array_equal(r.weights, np.array(case["weights"], np.float32))


def test_names_and_namespaces():
    tf.reset_default_graph()
    s = tf.random.uniform_candidate_sampler([[1]], 1, 2, True, 5, name="sampler")
    assert s.sampled_candidates.name == "sampler:0" and type(s).__name__ == "UniformCandidateSampler"
    assert tf.nn.log_uniform_candidate_sampler is tf.random.log_uniform_candidate_sampler
    assert tf.random.fixed_unigram_candidate_sampler is tf.nn.fixed_unigram_candidate_sampler
    h = tf.nn.compute_accidental_hits([[1]], s.sampled_candidates, 1)
    assert type(h).__name__ == "ComputeAccidentalHits" and h.weights.name == "ComputeAccidentalHits:2"


# =========================================================================== errors, with TF's wording
@pytest.mark.parametrize("kw, message", [
    (dict(num_sampled=0), "Attr 'num_sampled' of 'UniformCandidateSampler' Op passed 0 less than minimum 1."),
    (dict(num_true=0), "Attr 'num_true' of 'UniformCandidateSampler' Op passed 0 less than minimum 1."),
    (dict(range_max=0), "Attr 'range_max' of 'UniformCandidateSampler' Op passed 0 less than minimum 1."),
])
def test_attribute_minimums(kw, message):
    tf.reset_default_graph()
    args = dict(true_classes=[[1, 2]], num_true=2, num_sampled=5, unique=True, range_max=10)
    args.update(kw)
    with pytest.raises(ValueError, match="^" + message.replace(".", r"\.") + "$"):
        tf.nn.uniform_candidate_sampler(**args)


def test_build_errors():
    tf.reset_default_graph()
    with pytest.raises(ValueError, match="Shape must be rank 2 but is rank 1 for .*UniformCandidateSampler"):
        tf.nn.uniform_candidate_sampler(tf.constant([1, 2], tf.int64), 1, 2, True, 10)
    with pytest.raises(TypeError, match="Input 'true_classes' of 'UniformCandidateSampler' Op has type int32 that "
                                        "does not match expected type of int64."):
        tf.nn.uniform_candidate_sampler(tf.constant([[1, 2]], tf.int32), 1, 2, True, 10)
    with pytest.raises(ValueError, match="Dimension must be 3 but is 2 for .*ComputeAccidentalHits"):
        tf.nn.compute_accidental_hits(tf.constant([[1, 2]], tf.int64), tf.constant([1], tf.int64), 3)
    with pytest.raises(ValueError, match="range_max must be less than 2147483647 for unigram samplers"):
        tf.nn.learned_unigram_candidate_sampler([[1]], 1, 2, True, 2 ** 31 - 1)
    with pytest.raises(ValueError, match="Attr 'num_shards' of 'FixedUnigramCandidateSampler' Op passed 0 less"):
        tf.nn.fixed_unigram_candidate_sampler([[1]], 1, 2, True, 4, unigrams=[1.0] * 4, num_shards=0)
    with pytest.raises(NotImplementedError, match="takes the counts as unigrams="):
        tf.nn.fixed_unigram_candidate_sampler([[1]], 1, 2, True, 4, vocab_file="vocab.csv")


@pytest.mark.parametrize("make, feed, message", [
    (lambda tc: tf.nn.uniform_candidate_sampler(tc, 3, 5, True, 10), [[1, 2]],
     "true_classes must have num_true columns, expected: 2 was: 3"),
    (lambda tc: tf.nn.uniform_candidate_sampler(tc, 2, 5, True, 3), [[1, 2]], "Sampler's range is too small."),
    (lambda tc: tf.nn.log_uniform_candidate_sampler(tc, 2, 5, False, 10), [[1, 12]],
     r"`true_candidate` out of range \[0, 10\), received 12"),
    (lambda tc: tf.nn.fixed_unigram_candidate_sampler(tc, 2, 3, True, 5, unigrams=[1.0] * 4), [[1, 2]],
     "range is 5 must be equal to weights size  4"),
    (lambda tc: tf.nn.fixed_unigram_candidate_sampler(tc, 2, 3, True, 5), [[1, 2]],
     "Must provide either vocab_file or unigrams."),
    (lambda tc: tf.nn.compute_accidental_hits(tc, tf.constant([1], tf.int64), 3), [[1, 2]],
     "true_candidates must be a batch_size \\* num_true matrix"),
])
def test_run_errors(make, feed, message):
    tf.reset_default_graph()
    tc = tf.placeholder(tf.int64)
    t = make(tc)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            sess.run(t, {tc: feed})


# =========================================================================== nce_loss, sampled_softmax_loss
def _build_loss(case):
    ws = [tf.constant(np.array(p, np.float32), name="w%d" % i) for i, p in enumerate(case["weights"])]
    b = tf.constant(np.array(case["biases"], np.float32), name="b")
    x = tf.constant(np.array(case["inputs"], np.float32), name="x")
    labels = tf.constant(np.array(case["labels"], case["label_dtype"]), name="labels")
    sv = (tf.constant(np.array(case["sampled"], np.int64), name="sampled"),
          tf.constant(np.array(case["true_expected"], np.float32), name="true_expected"),
          tf.constant(np.array(case["sampled_expected"], np.float32), name="sampled_expected"))
    before = len(tf.get_default_graph().get_operations())
    loss = getattr(tf.nn, case["loss"])(ws if len(ws) > 1 else ws[0], b, labels, x, len(case["sampled"]), 12,
                                        num_true=case["num_true"], sampled_values=sv,
                                        partition_strategy=case["partition_strategy"], **case["kw"])
    return loss, ws + [b, x], tf.get_default_graph().get_operations()[before:]


@pytest.mark.parametrize("case", GOLDEN["losses"], ids=lambda c: c["name"])
def test_sampled_losses_values_and_gradients_as_tf(case):
    tf.reset_default_graph()
    loss, wrt, _ = _build_loss(case)
    weight = tf.constant(np.linspace(0.5, 1.5, len(case["inputs"])).astype(np.float32))
    # the weights' gradients are IndexedSlices (embedding_lookup's): densified, as the generator does
    grads = [tf.convert_to_tensor(g) for g in tf.gradients(tf.reduce_sum(loss * weight), wrt)]
    with tf.Session() as sess:
        vals = sess.run([loss] + grads)
    assert loss.name == case["loss_name"] and loss.shape.as_list() == [len(case["inputs"])]
    np.testing.assert_allclose(vals[0], case["value"], rtol=1e-5, atol=1e-6)
    for got, want in zip(vals[1:], case["grads"]):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


# TF's shape inference evaluates the sliced weights' size (a Pack of a StridedSlice of a shape) and finds their
# shape known, so tf.shape of them is a Const there and a Shape op here; and TF 2.21's
# sigmoid_cross_entropy_with_logits adds with AddV2 where TF 1.x's used Add
_SAME_TYPE = {("Shape", "Const"), ("Add", "AddV2")}


@pytest.mark.parametrize("case", GOLDEN["losses"], ids=lambda c: c["name"])
def test_sampled_losses_build_tfs_ops(case):
    tf.reset_default_graph()
    ours = {op.name: op.type for op in _build_loss(case)[2]}
    theirs = dict((n, t) for n, t in case["ops"])
    assert sorted(ours) == sorted(theirs)
    for name, t in ours.items():
        assert t == theirs[name] or (t, theirs[name]) in _SAME_TYPE, (name, t, theirs[name])


def test_default_sampler_is_log_uniform_without_replacement():
    tf.reset_default_graph()
    loss = tf.nn.sampled_softmax_loss(tf.ones([20, 3]), tf.zeros([20]), [[1], [2]], tf.ones([2, 3]), 4, 20, seed=7)
    sampler = tf.get_default_graph().get_operation_by_name("sampled_softmax_loss/LogUniformCandidateSampler")
    assert sampler.get_attr("unique") and sampler.get_attr("range_max") == 20 and sampler.get_attr("seed2") == 7
    with tf.Session() as sess:
        assert np.all(np.isfinite(sess.run(loss)))


# =========================================================================== word2vec (skip-gram with NCE)
def _skip_gram_pairs(vocab=30, length=600, window=1, seed=0):
    """A corpus that walks a ring of words with small steps, so that neighbours in the ring are contexts."""
    rng = np.random.RandomState(seed)
    corpus = np.cumsum(rng.choice([-1, 1, 2], size=length)) % vocab
    centers, contexts = [], []
    for i in range(window, length - window):
        for j in range(-window, window + 1):
            if j:
                centers.append(corpus[i])
                contexts.append(corpus[i + j])
    return np.array(centers, np.int32), np.array(contexts, np.int64)[:, None]


def test_word2vec_skip_gram_with_nce_trains():
    tf.reset_default_graph()
    tf.set_random_seed(1)
    vocab, dim, batch = 30, 8, 64
    centers, contexts = _skip_gram_pairs(vocab)
    train_inputs = tf.placeholder(tf.int32, [batch])
    train_labels = tf.placeholder(tf.int64, [batch, 1])
    embeddings = tf.Variable(tf.random_uniform([vocab, dim], -1.0, 1.0))
    embed = tf.nn.embedding_lookup(embeddings, train_inputs)
    nce_weights = tf.Variable(tf.truncated_normal([vocab, dim], stddev=1.0 / np.sqrt(dim)))
    nce_biases = tf.Variable(tf.zeros([vocab]))
    loss = tf.reduce_mean(tf.nn.nce_loss(weights=nce_weights, biases=nce_biases, labels=train_labels, inputs=embed,
                                         num_sampled=8, num_classes=vocab))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    rng = np.random.RandomState(0)
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(300):
            pick = rng.randint(0, len(centers), batch)
            _, value = sess.run([train, loss], {train_inputs: centers[pick], train_labels: contexts[pick]})
            losses.append(value)
        emb = sess.run(embeddings)
    assert np.mean(losses[-30:]) < 0.6 * np.mean(losses[:30])
    # words next to each other in the ring end up closer than words far apart
    unit = emb / np.linalg.norm(emb, axis=1, keepdims=True)
    sim = unit @ unit.T
    near = np.mean([sim[i, (i + 1) % vocab] for i in range(vocab)])
    far = np.mean([sim[i, (i + vocab // 2) % vocab] for i in range(vocab)])
    assert near > far
