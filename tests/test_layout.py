"""The package's shape: the runtime never imports evaluation code."""
import subprocess
import sys

RUNTIME = ["onrecord", "onrecord.analysis", "onrecord.batch", "onrecord.cleaning", "onrecord.learned",
           "onrecord.render", "onrecord.schema"]  # the CLI may: its `eval` commands are evaluation


def test_runtime_modules_do_not_import_evaluation():
    code = ("import importlib, sys\n"
            f"for name in {RUNTIME!r}: importlib.import_module(name)\n"
            "print(sorted(m for m in sys.modules if m.startswith('onrecord.evaluation')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_analysis_of_a_page_does_not_import_evaluation():
    code = ("import sys, onrecord\n"
            "onrecord.analyze_text('The mayor said on Monday that the bridge would reopen in the spring.')\n"
            "print(sorted(m for m in sys.modules if m.startswith('onrecord.evaluation')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
