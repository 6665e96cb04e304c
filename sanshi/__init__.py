"""sanshi: 三项机制 year-end assessment toolkit."""

__version__ = "0.1.0"
