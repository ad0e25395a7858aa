"""Training (needs the ``train`` extra: torch, onnx, onnxscript).

One module per architecture (``platformer_gan``, ``segment_gan``), one
adversarial trainer (``wgan``), the ONNX export and model card writer
(``export``), and the registry of trainable models (``recipes``) that
``gamegen train NAME`` runs::

    gamegen train platformer-gan --data ../shared/data
    gamegen train platformer-segment-gan --data ../shared/data

Nothing here is imported by ``import gamegen``.
"""
