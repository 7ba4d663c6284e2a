"""Evaluation: onrecord's stages scored on public benchmarks beside open baselines, in the same run.

Scripts live here rather than in tests so the CLI (`onrecord eval ...`) and the test suite share them.
"""
