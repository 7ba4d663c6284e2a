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


def test_schema_files_are_current():
    for document in build_docs.SCHEMAS:
        assert (ROOT / "docs" / f"{document}.schema.json").read_text(encoding="utf-8") == \
            build_docs.schema_text(document), f"docs/{document}.schema.json is stale: run python scripts/build_docs.py"


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


def readme_demo_excerpt() -> tuple[str, list[str]]:
    """The command and the lines the README shows for the demo page ('...' stands for lines left out)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```\n\$ (onrecord analyze examples/pages/\S+)\n(.*?)```", readme, re.S)
    assert block, "README.md shows no demo excerpt"
    return block.group(1), block.group(2).rstrip("\n").split("\n")


def test_readme_demo_excerpt_is_what_the_demo_prints(nlp):
    """The excerpt's lines appear in the demo's output, in order; '...' inside a line stands for text left out."""
    from onrecord.analysis import analyze
    from onrecord.render import to_text

    command, excerpt = readme_demo_excerpt()
    assert f"$(VENV)/bin/{command}" in (ROOT / "Makefile").read_text(encoding="utf-8"), \
        "the README's demo command is not the one `make demo` runs"
    printed = to_text(analyze(ROOT / command.split()[-1], nlp=nlp)).split("\n")
    position = 0
    for line in excerpt:
        if line.strip() == "...":
            continue
        pattern = re.compile(".*".join(re.escape(part.rstrip(", ")) for part in line.split("...")) + "$")
        while position < len(printed) and not pattern.match(printed[position]):
            position += 1
        assert position < len(printed), f"README demo line not in `make demo` output (in order): {line!r}"
        position += 1
