"""The Pygame level-preview viewer (``gamegen.viewer``, the ``viewer`` extra).

Not built yet: the viewer is its own issue ("The level-preview desktop viewer").
This package exists so that the installed layout is the one the design card fixes.
"""
