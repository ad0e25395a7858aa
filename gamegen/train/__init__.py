"""Training (needs the ``train`` extra: torch, onnx, onnxscript).

One module per architecture (``platformer_gan``, ``segment_gan``), one
adversarial trainer (``wgan``), the ONNX export and model card writer
(``export``), and the registry of trainable models (``recipes``) that
``gamegen train NAME`` runs. The names model has its corpus (``names_corpus``),
its model and trainer (``names_lstm``) and its recipe (``names_recipe``)::

    gamegen train platformer-gan --data ../shared/data
    gamegen train platformer-segment-gan --data ../shared/data
    gamegen train names-lstm --data ../shared/data

Nothing here is imported by ``import gamegen``.
"""
