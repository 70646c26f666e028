"""The window: thin widgets that react to the live document (``session.py``)."""
