"""The shipped models: ``<name>.onnx`` and its card ``<name>.json``, installed as ``gamegen.models``."""
