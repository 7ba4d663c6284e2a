"""Evaluation: scorers and benchmark runners over the datasets in ../shared/data (never shipped)."""
import json
from pathlib import Path

import click

DATA_DIR_OPTION = click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                               help="Folder holding the datasets [default: $ONRECORD_DATA or ../shared/data].")
"""The evaluation commands' --data-dir option."""


def emit_report(produce, as_json: bool, print_report) -> None:
    """Runs a benchmark for a click command: a missing dataset is a one-line error, the report is
    printed as JSON or as tables."""
    try:
        report = produce()
    except FileNotFoundError as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        click.echo(json.dumps(report, indent=2))
    else:
        print_report(report)
