"""The format registry: built-in names, options, and third-party exporters found through entry points."""

from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest
from exporters_samples import all_tiles_level

import gamegen.exporters as registry
from gamegen.cli.commands import main
from gamegen.errors import InvalidRequest
from gamegen.exporters import available_formats, get_exporter, parse_formats

PUBLIC = [
    "ENTRY_POINT_GROUP",
    "FORMATS",
    "Exporter",
    "available_formats",
    "companions",
    "get_exporter",
    "parse_formats",
    "read_map",
    "read_text",
    "read_tmx",
    "read_tmj",
    "read_engine_json",
    "READERS",
]


def test_public_surface_is_pinned():
    assert registry.__all__ == PUBLIC
    for name in PUBLIC:
        assert hasattr(registry, name), name


def test_builtin_formats_are_found_by_name():
    assert {"tmx", "tmj", "json", "png", "txt"} <= set(available_formats())
    for name in ("tmx", "tmj", "json", "png", "txt"):
        exporter = get_exporter(name)
        assert exporter.name == name and exporter.extension and exporter.description
        assert isinstance(exporter.export(all_tiles_level()), bytes)


def test_options_reach_the_exporter():
    tmx, png = parse_formats("tmx:zlib:embed, png:scale=3")
    assert (tmx.zlib, tmx.embed, png.scale) == (True, True, 3)
    assert [e.name for e in parse_formats("txt,txt,png")] == ["txt", "png"]  # an exact repeat is dropped


@pytest.mark.parametrize(
    "spec, match",
    [
        ("bmp", "unknown format 'bmp'; available: "),
        ("tmx:gzip", "format 'tmx' has no option 'gzip'; its options: zlib, embed"),
        ("png:scale=big", "value must be an integer"),
        ("png:scale=0", r"png scale must be an integer in \[1, 16\]"),
        ("tmx,tmx:zlib", "given twice with different options"),
        (" , ", "at least one format"),
    ],
)
def test_bad_format_specs_are_refused(spec, match):
    with pytest.raises(InvalidRequest, match=match):
        parse_formats(spec)


@pytest.fixture
def shout_plugin(monkeypatch):
    """Pretend an installed package declares ``[project.entry-points."gamegen.exporters"] shout = ...``."""
    real = registry.entry_points
    plugin = EntryPoint(name="shout", value="exporters_samples:ShoutExporter", group=registry.ENTRY_POINT_GROUP)

    def fake_entry_points(**params):
        if params.get("group") == registry.ENTRY_POINT_GROUP:
            return [plugin]
        return real(**params)

    monkeypatch.setattr(registry, "entry_points", fake_entry_points)


def test_a_plugin_is_found_through_the_entry_point_group(shout_plugin):
    assert "shout" in available_formats()
    exporter = get_exporter("shout")
    assert type(exporter).__name__ == "ShoutExporter"
    assert exporter.export(all_tiles_level()).startswith(b"-" * 16 + b"\n--O")


def test_a_plugin_format_works_from_the_cli(shout_plugin, tmp_path, capsys):
    source = tmp_path / "in.txt"
    source.write_text(all_tiles_level().to_text())
    assert main(["export", str(source), "--format", "shout,txt", "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "in.shout.txt").read_text() == source.read_text().upper()
