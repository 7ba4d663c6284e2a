import codecs
import gzip
import http.server
import threading

import pytest

from onrecord.errors import BinaryInput, EmptyInput, FetchError, FetchRefused, InputTooLarge, OnrecordError
from onrecord.options import Options
from onrecord.reading import check_url, decode, fetch_url, looks_like_html, read_bytes, read_page


def test_empty_and_whitespace_pages_are_refused():
    with pytest.raises(EmptyInput):
        read_bytes(b"")
    with pytest.raises(EmptyInput):
        read_bytes(b"  \n\t \n")


@pytest.mark.parametrize("data", [b"%PDF-1.7 binary", b"\x89PNG\r\n\x1a\n....", b"\x00\x01\x02\x03" * 100,
                                  bytes(range(256)) * 4])
def test_binary_data_is_refused(data):
    with pytest.raises(BinaryInput):
        read_bytes(data)


def test_a_50_mb_page_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.html"
    with open(big, "wb") as handle:
        handle.seek(50 * 1024 * 1024)
        handle.write(b"\n")
    with pytest.raises(InputTooLarge) as error:
        read_page(big)
    assert "52,428,801 bytes" in str(error.value)


def test_size_limit_is_configurable():
    with pytest.raises(InputTooLarge):
        read_bytes(b"x" * 2000, options=Options.load(max_bytes=1000))
    assert read_bytes(b"hello world", options=Options.load(max_bytes=1000)).content == "hello world"


def test_latin1_page_decodes_without_loss():
    text = "Le ministre a déclaré à la presse que l'accord était « historique »."
    page = read_bytes(text.encode("latin-1"))
    assert page.content == text


def test_declared_meta_charset_wins():
    html = '<html><head><meta charset="windows-1252"></head><body><p>Caf\xe9 \x93quoted\x94</p></body></html>'
    text, encoding, warnings = decode(html.encode("latin-1"))
    assert encoding == "windows-1252" and warnings == []
    assert "Café “quoted”" in text


def test_byte_order_marks_are_honoured():
    assert decode(codecs.BOM_UTF8 + "naïve".encode())[0] == "naïve"
    page = read_bytes("He said “no”.".encode("utf-16"))
    assert page.content == "He said “no”."


def test_valid_pages_carry_no_warning():
    for data in ["Le maire a dit « non ».".encode(), b"plain", codecs.BOM_UTF8 + "naïve".encode(),
                 '<meta charset="iso-8859-1"><p>caf\xe9</p>'.encode("latin-1")]:
        assert read_bytes(data).warnings == []


def test_stray_windows_1252_letters_in_a_utf8_page_are_read_and_reported():
    data = "The mayor’s “Grüße” reached Zürich’s council. ".encode() + b"The f\xfcr sign and Gr\xfc\xdfe stayed."
    page = read_bytes(data)
    assert page.content.endswith("The für sign and Grüße stayed.") and "mayor’s “Grüße”" in page.content
    assert page.warnings == ["3 byte sequence(s) are not valid UTF-8: 3 read as Windows-1252"]


@pytest.mark.parametrize("data, expected", [
    (b"caf\xc3( latte", "caf\ufffd( latte"),  # a lead byte that no word continues: a character cut short
    ("Zażółć ".encode() + b"and a cut \xe2\x80 quote", "a cut \ufffd quote"),
    ("“no” and ‘yes’ ".encode() + b"before \xff\xfe after", "before \ufffd\ufffd after"),
])
def test_bytes_nothing_can_read_become_counted_replacement_characters(data, expected):
    page = read_bytes(data)
    assert expected in page.content
    replaced = page.content.count("\ufffd")
    assert any(w.endswith(f"{replaced} replaced with U+FFFD") for w in page.warnings), page.warnings


def test_a_legacy_page_is_read_by_detection_and_says_so():
    text = "Премьер-министр заявил, что бюджет сбалансирован, а оппозиция потребовала обсуждения в парламенте."
    page = read_bytes(text.encode("cp1251"))
    assert page.content == text and page.encoding == "cp1251"
    assert page.warnings and "a guess by detection" in page.warnings[0]


def test_a_broken_utf16_page_counts_its_replacement_characters():
    page = read_bytes("He said “no”.".encode("utf-16")[:-1])
    assert page.content == "He said “no”\ufffd"
    assert page.warnings == ["1 byte sequence(s) cannot be read as utf-16: replaced with U+FFFD"]


def test_gzip_pages_are_read(tmp_path):
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress("<html><body><p>Der Bürgermeister sagte nein.</p></body></html>".encode()))
    page = read_page(path)
    assert page.is_html and "Bürgermeister" in page.content and page.source == str(path)


def test_a_gzip_bomb_is_refused_without_inflating_it(tmp_path):
    path = tmp_path / "bomb.html.gz"
    path.write_bytes(gzip.compress(b"<p>" + b"a" * 5_000_000))
    assert path.stat().st_size < 10_000
    with pytest.raises(InputTooLarge, match="once decompressed"):
        read_page(path, Options.load(max_bytes=100_000))


@pytest.mark.parametrize("data", [b"not gzip at all", gzip.compress(b"<p>Cut short</p>" * 200)[:60],
                                  gzip.compress(b"<p>x</p>")[:-4] + b"\x00\x00\x00\x00"])
def test_a_corrupt_gzip_page_is_a_typed_error(tmp_path, data):
    path = tmp_path / "broken.html.gz"
    path.write_bytes(data)
    with pytest.raises(BinaryInput, match="not readable as gzip"):
        read_page(path)


def test_html_is_told_from_text():
    assert looks_like_html("<!doctype html><html><body><p>x</p></body></html>")
    assert not looks_like_html("The minister said 2 < 3 and 4 > 1 were both true.")


def test_missing_file_and_directory_give_clear_errors(tmp_path):
    with pytest.raises(OnrecordError, match="cannot read"):
        read_page(tmp_path / "nope.html")
    with pytest.raises(OnrecordError, match="directory"):
        read_page(tmp_path)


@pytest.mark.parametrize("url", ["http://127.0.0.1/page", "http://localhost:8000/", "http://10.1.2.3/x",
                                 "http://[::1]/", "http://169.254.169.254/latest/meta-data"])
def test_private_and_loopback_urls_are_refused(url):
    with pytest.raises(FetchRefused):
        read_page(url)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x", "gopher://x"])
def test_other_schemes_are_refused(url):
    with pytest.raises(FetchRefused):
        check_url(url, allow_private=True)


class _Pages(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/article")
            self.end_headers()
            return
        if self.path == "/missing":
            self.send_error(404)
            return
        body = b"<html><body><p>Body</p></body></html>" * (2000 if self.path == "/big" else 1)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_fetch_follows_redirects_when_private_addresses_are_allowed(local_server):
    options = Options.load(allow_private=True)
    page = read_page(local_server + "/redirect", options)
    assert page.is_html and "<p>Body</p>" in page.content


def test_fetch_reports_http_errors_and_caps_size(local_server):
    options = Options.load(allow_private=True, max_bytes=10_000)
    with pytest.raises(FetchError, match="404"):
        fetch_url(local_server + "/missing", options)
    with pytest.raises(InputTooLarge):
        fetch_url(local_server + "/big", options)


def test_redirect_to_a_private_address_is_checked_too(local_server):
    with pytest.raises(FetchRefused):
        fetch_url(local_server + "/redirect", Options.load())
