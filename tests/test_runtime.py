"""Providers in order, overridable; one session, shared by threads."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import gamegen
from gamegen import InvalidRequest
from gamegen.runtime.onnx import choose_providers

CPU, CUDA = "CPUExecutionProvider", "CUDAExecutionProvider"


def test_cuda_before_cpu_when_both_exist():
    assert choose_providers(None, [CPU, CUDA, "AzureExecutionProvider"]) == [CUDA, CPU]
    assert choose_providers(None, [CPU]) == [CPU]


def test_argument_and_environment_override(monkeypatch):
    assert choose_providers([CPU], [CPU, CUDA]) == [CPU]
    monkeypatch.setenv("GAMEGEN_PROVIDERS", CPU)
    assert choose_providers(None, [CPU, CUDA]) == [CPU]
    assert choose_providers("CUDAExecutionProvider,CPUExecutionProvider", [CPU, CUDA]) == [CUDA, CPU]


def test_unavailable_provider_is_refused():
    with pytest.raises(InvalidRequest, match="TensorrtExecutionProvider is not available"):
        choose_providers("TensorrtExecutionProvider", [CPU])


def test_load_uses_requested_providers(monkeypatch):
    monkeypatch.setenv("GAMEGEN_PROVIDERS", CPU)
    assert gamegen.load("platformer-gan").model.providers == [CPU]


def test_one_session_shared_by_threads():
    gen = gamegen.load("platformer-gan")
    expected = [gen.generate(seed, width=120).grid for seed in range(16)]
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda s: gen.generate(s, width=120).grid, range(16)))
    assert all(np.array_equal(a, b) for a, b in zip(expected, got))
    session = gen.model.session
    gen.generate(3)
    assert gen.model.session is session
