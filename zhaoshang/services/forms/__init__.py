"""Forms of the services app, one module per area."""
