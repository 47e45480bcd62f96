"""Shared fixtures: every test starts on a fresh default graph."""
import os
import pathlib

import pytest

import tfmini as tf

REPO = pathlib.Path(__file__).resolve().parent.parent
SHARED = pathlib.Path(os.environ.get("TFMINI_SHARED", REPO.parent / "shared")).resolve()


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


@pytest.fixture
def sess():
    with tf.Session() as s:
        yield s
