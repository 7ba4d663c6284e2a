"""The URL fetcher connects to the very address it checked, on every hop (issue 18, DNS rebinding).

No network: pages come from a local http.server on 127.0.0.1, host names from a resolver stub installed at
socket.getaddrinfo (the stub answers a public address first and loopback afterwards, as a hostile DNS server
would), and "public" addresses are reached through a stand-in connector that records where the fetcher
connects.
"""
import functools
import http.server
import shutil
import socket
import ssl
import subprocess
import threading

import pytest

from onrecord import reading
from onrecord.errors import FetchError, FetchRefused
from onrecord.options import Options
from onrecord.reading import fetch_url, read_page

PUBLIC = "93.184.216.34"


class _Pages(http.server.BaseHTTPRequestHandler):
    """/article: a page; /loop: to itself; /ping and /pong: to each other; /chain/N: to /chain/N+1;
    /to/HOST/PATH: to http://HOST:PORT/PATH on this server's port."""

    def do_GET(self):
        self.server.seen.append((self.path, self.headers.get("Host")))
        port = self.server.server_address[1]
        if self.path.startswith("/to/"):
            host, _, rest = self.path[len("/to/"):].partition("/")
            target = rest if "://" in rest else f"http://{host}:{port}/{rest}"
            return self._redirect(target)
        targets = {"/loop": "/loop", "/ping": "/pong", "/pong": "/ping"}
        if self.path in targets:
            return self._redirect(targets[self.path])
        if self.path.startswith("/chain/"):
            return self._redirect(f"/chain/{int(self.path.rsplit('/', 1)[1]) + 1}")
        body = b"<html><body><p>Pinned body</p></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    httpd.seen = []
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


class _Resolver:
    """A stub DNS: each fake name answers from its list of answers, one per lookup (the last one repeats);
    numeric hosts go to the real getaddrinfo, which resolves them without a lookup."""

    def __init__(self, real, answers):
        self.real, self.answers, self.lookups = real, answers, []

    def __call__(self, host, port, family=0, type=0, proto=0, flags=0):
        if host not in self.answers:
            return self.real(host, port, family, type, proto, flags)
        self.lookups.append(host)
        queue = self.answers[host]
        addresses = queue.pop(0) if len(queue) > 1 else queue[0]
        return [(socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP,
                 "", (address, port)) for address in addresses]


@pytest.fixture
def dns(monkeypatch):
    """Installs a resolver stub: `dns({"name": [first answer, second answer, ...]})`."""
    def install(answers):
        resolver = _Resolver(socket.getaddrinfo, answers)
        monkeypatch.setattr(socket, "getaddrinfo", resolver)
        return resolver
    return install


@pytest.fixture
def connections(monkeypatch):
    """Records every address the fetcher connects to; PUBLIC stands in for a public server and is served by
    the local one (the test's stand-in for the internet)."""
    made = []
    real = reading._connect

    def connect(address, port, timeout):
        made.append(address)
        return real("127.0.0.1" if address == PUBLIC else address, port, timeout)
    monkeypatch.setattr(reading, "_connect", connect)
    return made


def test_a_rebinding_resolver_gets_one_lookup_and_the_connection_goes_to_the_checked_address(
        server, dns, connections):
    port = server.server_address[1]
    resolver = dns({"rebind.test": [[PUBLIC], ["127.0.0.1"]]})
    body = fetch_url(f"http://rebind.test:{port}/article", Options.load())
    assert b"Pinned body" in body
    assert resolver.lookups == ["rebind.test"]
    assert connections == [PUBLIC]
    assert server.seen == [("/article", f"rebind.test:{port}")]


def test_a_rebinding_resolver_never_reaches_loopback_when_the_public_address_is_unreachable(
        server, dns, monkeypatch):
    port = server.server_address[1]
    dns({"rebind.test": [[PUBLIC], ["127.0.0.1"]]})
    tried = []

    def unreachable(address, port, timeout):
        tried.append(address)
        if address == PUBLIC:
            raise ConnectionRefusedError(111, "Connection refused")
        return socket.create_connection((address, port), timeout)
    monkeypatch.setattr(reading, "_connect", unreachable)
    with pytest.raises(FetchError, match="Connection refused"):
        fetch_url(f"http://rebind.test:{port}/article", Options.load())
    assert tried == [PUBLIC]
    assert server.seen == []


def test_one_private_address_among_public_ones_refuses_the_host(server, dns, connections):
    dns({"mixed.test": [[PUBLIC, "127.0.0.1"]]})
    with pytest.raises(FetchRefused, match="non-public address 127.0.0.1"):
        fetch_url(f"http://mixed.test:{server.server_address[1]}/article", Options.load())
    assert connections == [] and server.seen == []


def test_a_redirect_to_a_host_resolving_to_loopback_is_refused(server, dns, connections):
    port = server.server_address[1]
    dns({"public.test": [[PUBLIC]], "evil.test": [["127.0.0.1"]]})
    with pytest.raises(FetchRefused, match="evil.test resolves to non-public address 127.0.0.1"):
        fetch_url(f"http://public.test:{port}/to/evil.test/article", Options.load())
    assert connections == [PUBLIC]
    assert [path for path, _ in server.seen] == ["/to/evil.test/article"]


def test_each_hop_is_resolved_and_checked_again(server, dns, connections):
    """The same host redirecting to itself: its second lookup answers loopback and that hop is refused."""
    port = server.server_address[1]
    resolver = dns({"rebind.test": [[PUBLIC], ["127.0.0.1"]]})
    with pytest.raises(FetchRefused, match="rebind.test resolves to non-public address 127.0.0.1"):
        fetch_url(f"http://rebind.test:{port}/to/rebind.test/article", Options.load())
    assert resolver.lookups == ["rebind.test", "rebind.test"]
    assert connections == [PUBLIC]


def test_redirects_to_other_schemes_are_refused(server, dns, connections):
    dns({"public.test": [[PUBLIC]]})
    with pytest.raises(FetchRefused, match="only http and https"):
        fetch_url(f"http://public.test:{server.server_address[1]}/to/x/file:///etc/passwd", Options.load())


def test_with_allow_private_a_local_server_is_fetched(server):
    base = f"http://127.0.0.1:{server.server_address[1]}"
    options = Options.load(allow_private=True)
    assert b"Pinned body" in fetch_url(base + "/article", options)
    page = read_page(base + "/to/127.0.0.1/article", options)
    assert page.is_html and "<p>Pinned body</p>" in page.content
    assert [path for path, _ in server.seen] == ["/article", "/to/127.0.0.1/article", "/article"]


def test_with_allow_private_a_name_is_still_resolved_once_per_hop(server, dns, connections):
    port = server.server_address[1]
    resolver = dns({"local.test": [["127.0.0.1"], ["10.9.9.9"]]})
    assert b"Pinned body" in fetch_url(f"http://local.test:{port}/article", Options.load(allow_private=True))
    assert resolver.lookups == ["local.test"] and connections == ["127.0.0.1"]


@pytest.mark.parametrize("path", ["/loop", "/ping"])
def test_redirect_loops_end_with_a_clear_error(server, path):
    with pytest.raises(FetchError, match="redirect loop"):
        fetch_url(f"http://127.0.0.1:{server.server_address[1]}{path}", Options.load(allow_private=True))
    assert len(server.seen) <= 2


def test_redirect_chains_stop_at_max_redirects(server):
    base = f"http://127.0.0.1:{server.server_address[1]}"
    with pytest.raises(FetchError, match="more than 5 redirect"):
        fetch_url(base + "/chain/0", Options.load(allow_private=True))
    assert len(server.seen) == 6
    server.seen.clear()
    with pytest.raises(FetchError, match="more than 0 redirect"):
        fetch_url(base + "/chain/0", Options.load(allow_private=True, max_redirects=0))
    assert len(server.seen) == 1


def _certificate(tmp_path, name):
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={name}",
                    "-addext", f"subjectAltName=DNS:{name}", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return key, cert


@pytest.fixture
def tls_server(tmp_path, monkeypatch):
    """An HTTPS server on 127.0.0.1 with a certificate for news.test, trusted by the fetcher's context; it
    records the SNI name each handshake sends."""
    key, cert = _certificate(tmp_path, "news.test")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    httpd.seen, httpd.sni = [], []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: httpd.sni.append(name)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    monkeypatch.setattr(ssl, "create_default_context",
                        functools.partial(ssl.create_default_context, cafile=str(cert)))
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_https_keeps_the_host_name_for_sni_and_certificate_checks(tls_server, dns, connections):
    port = tls_server.server_address[1]
    resolver = dns({"news.test": [["127.0.0.1"], ["10.9.9.9"]], "other.test": [["127.0.0.1"]]})
    options = Options.load(allow_private=True)
    assert b"Pinned body" in fetch_url(f"https://news.test:{port}/article", options)
    assert tls_server.sni == ["news.test"] and tls_server.seen == [("/article", f"news.test:{port}")]
    assert resolver.lookups == ["news.test"] and connections == ["127.0.0.1"]
    with pytest.raises(FetchError, match="CERTIFICATE_VERIFY_FAILED|match"):
        fetch_url(f"https://other.test:{port}/article", options)
    assert len(tls_server.seen) == 1
