import json

import pytest
from click.testing import CliRunner

from onrecord.cli import main
from tests.conftest import EXAMPLES

STORY = ("Harbour bridge to close for repairs\n\n"
         "The city's main harbour bridge will close for six weeks from July, the council said on Monday.\n\n"
         '"We cannot take any risks with a structure this old," council leader Tom Ashby told reporters.\n')


@pytest.fixture
def story(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def run(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def test_analyze_text_report(nlp, story):
    result = run("analyze", story)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Harbour bridge to close for repairs")
    assert "CLAIM 1" in result.output and "Tom Ashby" in result.output


def test_analyze_json_follows_the_schema_fields(nlp, story):
    result = run("analyze", story, "--format", "json")
    data = json.loads(result.output)
    assert data["schema"] == "onrecord.analysis/1"
    assert set(data) >= {"article", "entities", "attributions", "claims"}
    said = data["attributions"][0]
    assert set(said) >= {"id", "cue", "speaker", "chain", "content", "direct", "stance", "addresses", "confidence"}
    text = data["article"]["text"]
    assert text[said["cue"]["start"]:said["cue"]["end"]] == said["cue"]["text"]


def test_analyze_html_output_and_file(nlp, story, tmp_path):
    out = tmp_path / "out.html"
    result = run("analyze", story, "--format", "html", "-o", out)
    assert result.exit_code == 0
    page = out.read_text()
    assert page.startswith("<!doctype html>") and 'class="content s-assert"' in page


def test_analyze_reads_stdin(nlp):
    result = run("analyze", "-", "--format", "json", input=STORY)
    assert json.loads(result.output)["article"]["title"] == "Harbour bridge to close for repairs"


@pytest.mark.parametrize("content,code,message", [(b"", 3, "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00", 4, "binary"),
                                                  (b"x" * 200, 5, "limit")])
def test_analyze_failures_are_one_line_with_distinct_codes(tmp_path, content, code, message):
    path = tmp_path / "page.bin"
    path.write_bytes(content)
    result = run("analyze", path, "--max-bytes", "100")
    assert result.exit_code == code
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_analyze_refuses_private_urls_and_missing_files():
    result = run("analyze", "http://127.0.0.1:9/x")
    assert result.exit_code == 7 and "--allow-private" in result.output
    assert run("analyze", "/nonexistent/page.html").exit_code == 1


def test_analyze_non_english_page_warns(nlp, tmp_path):
    path = tmp_path / "de.txt"
    path.write_text("Brücke wird gesperrt\n\nDer Bürgermeister sagte am Montag, die Brücke werde wegen Korrosion für "
                    "sechs Wochen gesperrt, und die Händler befürchten große Verluste in der Altstadt.\n",
                    encoding="utf-8")
    result = run("analyze", path, "--format", "json")
    assert result.exit_code == 0
    assert "not English" in result.output
    assert json.loads(result.output[result.output.index("{"):])["attributions"] == []


@pytest.mark.parametrize("toml, message", [
    ("[reading]\nmax_bytez = 3\n", "unknown option"),
    ('[analysis]\nattribution = "magic"\n', "attribution must be one of"),
    ("[analysis]\ntagger_threads = -2\n", "tagger_threads"),
])
def test_bad_config_is_reported(tmp_path, story, toml, message):
    config = tmp_path / "bad.toml"
    config.write_text(toml)
    result = run("analyze", story, "--config", config)
    assert result.exit_code == 2 and message in result.output


def test_batch_records_bad_pages_and_goes_on(nlp, tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "good.txt").write_text(STORY)
    (pages / "empty.txt").write_text("")
    (pages / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    out = tmp_path / "out.jsonl"
    result = run("batch", pages, "-o", out, "--workers", "1")
    assert result.exit_code == 0
    records = {json.loads(line)["source"].split("/")[-1]: json.loads(line) for line in out.read_text().splitlines()}
    assert records["good.txt"]["analysis"]["attributions"]
    assert records["empty.txt"]["error_type"] == "EmptyInput"
    assert records["image.html"]["error_type"] == "BinaryInput"
    assert "3 pages, 1 analysed, 2 failed" in result.output


def test_batch_jsonl_input_with_a_malformed_line(nlp, tmp_path):
    source = tmp_path / "pages.jsonl"
    source.write_text(json.dumps({"id": "s1", "text": STORY}) + "\n{not json\n" + json.dumps({"id": "s2"}) + "\n")
    result = run("batch", source)
    lines = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert [("analysis" in r, "error" in r) for r in lines] == [(True, False), (False, True), (False, True)]


def test_batch_on_two_workers_matches_one(nlp, tmp_path):
    from onrecord.batch import analyze_batch, find_pages
    pages = find_pages(EXAMPLES)[:4]
    one = [r.get("analysis", {}).get("attributions") for r in analyze_batch(pages, workers=1)]
    two = [r.get("analysis", {}).get("attributions") for r in analyze_batch(pages, workers=2)]
    assert one == two


def test_batch_needs_a_directory_or_jsonl(tmp_path):
    result = run("batch", tmp_path / "missing")
    assert result.exit_code == 2


def test_schema_command_prints_json_schema():
    schema = json.loads(run("schema").output)
    assert schema["properties"]["attributions"]["items"]["$ref"] == "#/$defs/Attribution"
    stance = schema["$defs"]["Attribution"]["properties"]["stance"]["enum"]
    assert len(stance) == 9


def test_bench_runs_on_a_small_directory(nlp, tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    for i in range(4):
        (texts / f"{i}.txt").write_text(STORY)
    result = run("bench", texts, "--workers", "1", "--json")
    figures = json.loads(result.output)
    assert figures["texts"] == 4 and figures["analysis"]["attributions"] == 8
    assert figures["analysis_vs_parse"] > 0 and figures["batch"]["errors"] == 0


def test_bench_on_empty_directory_fails_cleanly(tmp_path):
    result = run("bench", tmp_path)
    assert result.exit_code == 1 and "no .txt files" in result.output


def test_version_and_help():
    assert run("--version").output.startswith("onrecord, version")
    assert "analyze" in run("--help").output


def test_unexpected_errors_are_one_line(monkeypatch, story):
    import onrecord.analysis

    def broken(*args, **kwargs):
        raise RuntimeError("boom")
    monkeypatch.setattr(onrecord.analysis, "analyze", broken)
    result = run("analyze", story)
    assert result.exit_code == 1
    assert "internal error: RuntimeError: boom" in result.output and "Traceback" not in result.output


def test_eval_examples_scores_gold_files(nlp, tmp_path):
    import shutil
    for name in ("veltrix-plant-denial.txt", "veltrix-plant-denial.expected.json"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    result = run("eval", "examples", tmp_path, "--json")
    scores = json.loads(result.output)
    assert scores["pages"][0]["page"] == "veltrix-plant-denial"
    assert scores["totals"]["recall"] >= 0.9


def test_eval_examples_needs_gold_files(tmp_path):
    result = run("eval", "examples", tmp_path)
    assert result.exit_code == 1 and "no *.expected.json" in result.output


def test_very_long_body_is_analysed_in_part_with_a_warning(nlp, tmp_path):
    from onrecord.analysis import analyze
    from onrecord.options import Options
    paragraph = "The council said on Monday that the harbour bridge would close for repairs in July."
    path = tmp_path / "long.txt"
    path.write_text("Bridge to close\n\n" + "\n\n".join([paragraph] * 40), encoding="utf-8")
    analysis = analyze(path, Options.load(max_analysis_chars=1000), nlp=nlp)
    assert len(analysis.article.paragraphs) == 40
    assert analysis.warnings and "first" in analysis.warnings[0]
    assert 0 < len(analysis.attributions) < 40
    assert all(a.content.end <= 1000 for a in analysis.attributions)


def test_analyze_with_the_learned_tagger_combined(nlp, story):
    pytest.importorskip("onnxruntime")
    pytest.importorskip("tokenizers")
    from onrecord.learned import MODEL_DIR
    if not (MODEL_DIR / "model.onnx").is_file():
        pytest.skip("the learned model is not installed")
    result = run("analyze", story, "--format", "json", "--attribution", "combined")
    assert result.exit_code == 0, result.output
    said = [a for a in json.loads(result.output)["attributions"] if a["cue"]["text"] == "said"]
    assert said and said[0]["speaker"]["name"]


def test_bench_times_the_chosen_attribution_finder(tmp_path):
    pytest.importorskip("onnxruntime")
    from onrecord.learned import MODEL_DIR
    if not (MODEL_DIR / "model.onnx").is_file():
        pytest.skip("the learned model is not installed")
    for i in range(4):
        (tmp_path / f"{i}.txt").write_text(f"The mayor said on Monday that the bridge would reopen in {i + 2} weeks.\n")
    result = run("bench", tmp_path, "--attribution", "combined", "--workers", "1", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["attribution"] == "combined" and report["analysis"]["attributions"] >= 4
    assert report["batch"]["errors"] == 0
