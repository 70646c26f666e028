"""The loss landscape in the window (spec/ui.md, The loss landscape)."""

from .view import LandscapeView

__all__ = ["LandscapeView"]
