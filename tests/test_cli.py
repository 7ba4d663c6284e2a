import gzip
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
    assert not records["image.html"]["internal"] and records["good.txt"]["seconds"] >= 0
    assert "3 pages, 1 analysed, 2 typed errors (BinaryInput 1, EmptyInput 1), 0 internal errors" in result.output
    assert "slowest: " in result.output and "good.txt" in result.output.split("slowest: ")[1]


def test_batch_jsonl_input_with_a_malformed_line(nlp, tmp_path):
    source = tmp_path / "pages.jsonl"
    source.write_text(json.dumps({"id": "s1", "text": STORY}) + "\n{not json\n" + json.dumps({"id": "s2"}) + "\n")
    result = run("batch", source, "--workers", "1")
    lines = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert [("analysis" in r, "error" in r) for r in lines] == [(True, False), (False, True), (False, True)]
    assert [r["source"] for r in lines] == ["s1", f"{source}:2", f"{source}:3"]
    assert lines[1]["error_type"] == "MalformedRecord" and lines[1]["internal"] is False


def test_batch_on_two_workers_matches_one(nlp, tmp_path):
    from onrecord.batch import analyze_batch, find_pages
    pages = find_pages(EXAMPLES)[:4]
    one = {r["source"]: r.get("analysis", {}).get("attributions") for r in analyze_batch(pages, workers=1)}
    two = {r["source"]: r.get("analysis", {}).get("attributions") for r in analyze_batch(pages, workers=2)}
    assert one == two


def test_batch_needs_an_existing_source(tmp_path):
    result = run("batch", tmp_path / "missing")
    assert result.exit_code == 2


def test_batch_of_one_gzip_page_file(nlp, tmp_path):
    path = tmp_path / "story.txt.gz"
    path.write_bytes(gzip.compress(STORY.encode()))
    result = run("batch", path, "--workers", "1")
    [record] = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert record["source"] == str(path) and record["analysis"]["attributions"]


def test_batch_refuses_to_overwrite_records_silently(tmp_path, story):
    out = tmp_path / "out.jsonl"
    out.write_text('{"source": "earlier"}\n')
    result = run("batch", story, "-o", out)
    assert result.exit_code == 1 and "--resume" in result.output and "--overwrite" in result.output
    assert out.read_text() == '{"source": "earlier"}\n'
    assert run("batch", story, "-o", out, "--resume", "--overwrite").exit_code == 2


def test_batch_resume_skips_recorded_pages_and_appends(nlp, tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (pages / name).write_text(STORY)
    out = tmp_path / "out.jsonl"
    out.write_text(json.dumps({"source": str(pages / "a.txt"), "analysis": {}}) + "\n"
                   + '{"source": "' + str(pages / "b.txt") + '", "anal')  # a run killed mid-line
    result = run("batch", pages, "-o", out, "--resume", "--workers", "1")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["source"][-5:] for r in records] == ["a.txt", "b.txt", "c.txt"]
    assert records[0]["analysis"] == {} and records[1]["analysis"]["attributions"]
    assert "1 pages already in" in result.output and "2 pages, 2 analysed" in result.output


def test_batch_overwrite_replaces_the_output(nlp, tmp_path, story):
    out = tmp_path / "out.jsonl"
    out.write_text('{"source": "earlier"}\n')
    assert run("batch", story, "-o", out, "--overwrite", "--workers", "1").exit_code == 0
    [record] = [json.loads(line) for line in out.read_text().splitlines()]
    assert record["source"] == str(story)


def test_batch_writes_each_record_as_it_finishes(nlp, monkeypatch, tmp_path):
    import onrecord.analysis
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text(STORY)
    (pages / "b.txt").write_text(STORY.replace("harbour", "Interrupted"))
    original = onrecord.analysis.extract_article

    def interrupted(page, options):
        if "Interrupted" in page.content:
            raise KeyboardInterrupt  # the run is stopped while on the second page
        return original(page, options)
    monkeypatch.setattr(onrecord.analysis, "extract_article", interrupted)
    out = tmp_path / "out.jsonl"
    result = run("batch", pages, "-o", out, "--workers", "1")
    assert result.exit_code != 0
    [record] = [json.loads(line) for line in out.read_text().splitlines()]
    assert record["source"].endswith("a.txt") and record["analysis"]["attributions"]
    assert "1 pages, 1 analysed" in result.output


def test_batch_records_an_internal_error_as_such(nlp, monkeypatch, tmp_path, story):
    import onrecord.analysis

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")
    monkeypatch.setattr(onrecord.analysis, "extract_article", broken)
    result = run("batch", story, "--workers", "1")
    record = json.loads(result.output.splitlines()[0])
    assert record["error_type"] == "ZeroDivisionError" and record["internal"] is True
    assert result.exit_code == 0 and "1 internal error (ZeroDivisionError 1)" in result.output


@pytest.mark.parametrize("command", ["analyze", "batch"])
def test_output_into_a_missing_folder_is_a_one_line_error(tmp_path, story, command):
    target = tmp_path / "missing" / "dir" / "x.json"
    result = run(command, story, "-o", target)
    assert result.exit_code == 1, result.output
    assert result.output.strip() == f"onrecord: error: cannot write {target}: there is no folder {target.parent}"
    assert not target.parent.exists()


def test_analyze_reads_a_gzip_page_and_reports_decoding_repairs(nlp, tmp_path):
    path = tmp_path / "story.txt.gz"
    mixed = STORY.replace("council leader", "council’s leader").encode() + b"\nThe caf\xe9s stay open.\n"
    path.write_bytes(gzip.compress(mixed))
    result = run("analyze", path, "--format", "json")
    assert result.exit_code == 0, result.output
    assert "onrecord: warning: 1 byte sequence(s) are not valid UTF-8: 1 read as Windows-1252" in result.output
    assert "cafés" in json.loads(result.output[result.output.index("{"):])["article"]["text"]


def test_schema_command_prints_json_schema():
    schema = json.loads(run("schema").output)
    assert schema["properties"]["attributions"]["items"]["$ref"] == "#/$defs/Attribution"
    stance = schema["$defs"]["Attribution"]["properties"]["stance"]["enum"]
    assert len(stance) == 9


def test_schema_command_prints_the_corpus_documents_and_refuses_others():
    story = json.loads(run("schema", "story").output)
    assert story["$defs"]["StoryArticle"]["required"][:2] == ["id", "url"] and "articles" in story["required"]
    link = json.loads(run("schema", "copy-link").output)
    assert {"copy", "original", "similarity", "containment"} <= set(link["required"])
    assert CliRunner().invoke(main, ["schema", "timeline"]).exit_code == 2


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
    paragraph = "The council said on Monday that the harbour bridge would close for repairs in July ({} of 40)."
    path = tmp_path / "long.txt"
    path.write_text("Bridge to close\n\n" + "\n\n".join(paragraph.format(n) for n in range(1, 41)), encoding="utf-8")
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


def test_eval_robustness_reports_each_set_and_mode(nlp, tmp_path):
    html = ("<html><head><title>Ferry timetable to change</title></head><body><article><h1>Ferry timetable to change"
            "</h1><p>The island ferry will sail twice a day from April, the operator said on Tuesday.</p><p>\"Fewer "
            "crossings keep the fares down,\" operations manager Ines Calloway told reporters.</p></article></body>"
            "</html>")
    data = tmp_path / "data"
    for folder, name, content in (("article-extraction-benchmark/html", "good.html.gz", gzip.compress(html.encode())),
                                  ("article-extraction-benchmark/html", "empty.html.gz", gzip.compress(b"")),
                                  ("naeb/html", "good.html.gz", gzip.compress(html.encode())),
                                  ("naeb/html", "broken.html.gz", b"not gzip")):
        (data / folder).mkdir(parents=True, exist_ok=True)
        (data / folder / name).write_bytes(content)
    outcomes = tmp_path / "outcomes.json"
    result = run("eval", "robustness", "--data-dir", data, "--workers", "2", "--json", "--outcomes", outcomes)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert list(report["sets"]) == ["zyte", "naeb"] and report["missing"] == ["wcxb-test", "htmldate", "trafilatura"]
    for mode in ("analyze", "batch"):
        zyte, naeb = report["sets"]["zyte"][mode], report["sets"]["naeb"][mode]
        assert (zyte["pages"], zyte["analysed"], zyte["typed_errors"], zyte["internal_errors"], zyte["lost"]) == \
            (2, 1, {"EmptyInput": 1}, {}, [])
        assert (naeb["analysed"], naeb["typed_errors"]) == (1, {"BinaryInput": 1})
        assert set(zyte["seconds"]) == {"median", "p95", "max", "total"} and len(zyte["slowest"]) == 2
    written = json.loads(outcomes.read_text())
    assert written == report["outcomes"]
    assert written["batch"] == {"article-extraction-benchmark/html/empty.html.gz": "EmptyInput",
                                "article-extraction-benchmark/html/good.html.gz": "analysed",
                                "naeb/html/broken.html.gz": "BinaryInput", "naeb/html/good.html.gz": "analysed"}

    written["analyze"]["naeb/html/broken.html.gz"] = "analysed"  # as if an earlier run had read it
    outcomes.write_text(json.dumps(written))
    result = run("eval", "robustness", "--data-dir", data, "--workers", "1", "--compare", outcomes)
    assert result.exit_code == 0, result.output
    assert "1 pages analysed in the earlier run fail now" in result.output
    assert "analyze naeb/html/broken.html.gz: BinaryInput" in result.output


def test_eval_robustness_without_data_is_a_one_line_error(tmp_path):
    result = run("eval", "robustness", "--data-dir", tmp_path)
    assert result.exit_code == 1 and "no pages of zyte" in result.output
