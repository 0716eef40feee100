"""WrapUp Desktop: classify and explain the wrap-up codes of Genesys Cloud conversations."""

__version__ = "0.1.0"
