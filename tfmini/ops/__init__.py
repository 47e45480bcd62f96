"""Op families, one module each: every op's inference, kernel and gradient slot live in its module."""
