"""The test suite; tests/conftest.py holds the markers, sitekit.py the route servers."""
