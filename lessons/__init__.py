# Not a Python package for learners: this file only gives lessons/conftest.py its own module name
# ("lessons.conftest") under pytest, so it does not shadow tests/conftest.py ("conftest").
