"""The window's plots beside the state plot (qt/plot.py): the gradient plot."""
