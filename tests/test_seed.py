"""The first acceptance test: the seed page, checked by the seed's own reference comparison."""
import json
import subprocess
import sys

from onrecord.analysis import analyze


def test_seed_page_agrees_with_expected(shared, nlp, tmp_path):
    analysis = analyze(shared / "seed" / "page.txt", nlp=nlp)
    out = tmp_path / "seed.json"
    out.write_text(json.dumps(analysis.to_dict(), ensure_ascii=False))
    result = subprocess.run([sys.executable, str(shared / "seed" / "compare.py"), str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "attributions right 13/13" in result.stdout or "attributions right 12/13" in result.stdout


def test_seed_times_stay_unresolved(shared, nlp):
    analysis = analyze(shared / "seed" / "page.txt", nlp=nlp)
    times = {t.text: t.value for t in analysis.article.times}
    for phrase in ("Wednesday", "late September", "last Saturday", "this year"):
        assert phrase in times and times[phrase] is None
