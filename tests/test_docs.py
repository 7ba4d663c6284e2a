"""Docs that cannot drift: the CLI reference and the JSON Schema are generated and checked here."""
import importlib.util
import re
from pathlib import Path

from onrecord.cli import main

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("build_docs", ROOT / "scripts" / "build_docs.py")
build_docs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_docs)


def test_cli_reference_is_current():
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == build_docs.cli_reference(), \
        "docs/cli.md is stale: run python scripts/build_docs.py"


def test_schema_file_is_current():
    assert (ROOT / "docs" / "analysis.schema.json").read_text(encoding="utf-8") == build_docs.schema_text(), \
        "docs/analysis.schema.json is stale: run python scripts/build_docs.py"


def test_every_command_has_help():
    for path in build_docs.commands(main, []):
        command = main
        for name in path:
            command = command.commands[name]
        assert (command.help or "").strip(), f"onrecord {' '.join(path)} has no help text"


def test_readme_names_both_entry_points_first():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[:1500]
    assert "make demo" in head and "make test" in head


def test_architecture_names_every_module():
    architecture = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for module in sorted((ROOT / "src" / "onrecord").glob("*.py")):
        if module.name != "__init__.py":
            assert module.name in architecture, f"docs/architecture.md does not mention {module.name}"


def test_benchmark_figures_name_their_command():
    benchmarks = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    for section in re.split(r"\n## ", benchmarks)[1:]:
        assert "onrecord " in section or "python " in section, f"section without a command: {section[:60]!r}"
