"""gamegen: procedural game content from trained models, seeded and reproducible."""
__version__ = "0.1.0"
