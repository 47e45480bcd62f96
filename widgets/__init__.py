"""tfmini.widgets: notebook views of the graph and the variable scopes (built in issue #8)."""
