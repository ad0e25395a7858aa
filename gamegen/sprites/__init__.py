"""Sprite data and helpers: palettes (``palettes``), the packs read as palette indices (``dataset``), writing sets (``files``).

Runtime code: numpy and Pillow only, no torch.
"""
