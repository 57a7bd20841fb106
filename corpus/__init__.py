"""The corpus: database, sources, writer, search, Datasette, exports and the CLI."""
