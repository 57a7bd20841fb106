"""The bundled demo outlets: made-up sites on 127.0.0.1 for the demo, tests and benchmarks."""
