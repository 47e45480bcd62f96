"""Data sets for the lessons: `tfmini.datasets.mnist` (the MNIST digits, with a 5,000-digit subset shipped
for offline use). Imported on demand; `import tfmini` does not load it."""
