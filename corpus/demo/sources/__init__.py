"""The bundled demo sites ' sources (read by ``corpus.sources``; never crawled by ``--all``)."""
