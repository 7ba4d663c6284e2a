import codecs
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
    text, encoding = decode(html.encode("latin-1"))
    assert encoding == "windows-1252"
    assert "Café “quoted”" in text


def test_byte_order_marks_are_honoured():
    assert decode(codecs.BOM_UTF8 + "naïve".encode())[0] == "naïve"
    page = read_bytes("He said “no”.".encode("utf-16"))
    assert page.content == "He said “no”."


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
