"""Reading pages: a file (gzip-compressed or not), a URL or standard input becomes a decoded `Page`, or a
typed error says why not.

Decoding follows what the page itself declares (byte-order mark, HTML meta charset) before guessing,
because a wrong guess silently corrupts names and quotes further down; whatever could not be read as
written is counted in the page's warnings.
"""
from __future__ import annotations

import codecs
import gzip
import http.client
import ipaddress
import re
import socket
import ssl
import string
import sys
import urllib.parse
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from charset_normalizer import from_bytes

from .errors import BinaryInput, EmptyInput, FetchError, FetchRefused, InputTooLarge, OnrecordError
from .options import Options, default_options

BOMS = [(codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
HTML_MARKERS = re.compile(r"<\s*(!doctype\s+html|html|head|body|article|div|p|meta|title)\b", re.I)
BINARY_SIGNATURES = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b", b"BZh",
                     b"\x7fELF", b"MZ", b"RIFF", b"OggS", b"ID3", b"\x00\x00\x01\x00")
REPLACEMENT = "\ufffd"


@dataclass
class Page:
    """A decoded page and where it came from."""
    content: str
    is_html: bool
    source: str
    encoding: str
    url: str | None = None
    warnings: list[str] = field(default_factory=list)


class Decoded(NamedTuple):
    """A page's text, the encoding it was read with, and what could not be read as written."""
    text: str
    encoding: str
    warnings: list[str]


def read_page(source: str | Path, options: Options | None = None) -> Page:
    """Reads a path (a `.gz` one is decompressed), an http(s) URL, or '-' for standard input."""
    options = options or default_options()
    text = str(source)
    if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.I):
        return read_bytes(fetch_url(text, options), source=text, options=options, url=text)
    if text == "-":
        return read_bytes(_read_limited(sys.stdin.buffer, options.max_bytes, text), source="<stdin>",
                          options=options)
    path = Path(text)
    return read_bytes(read_file(path, options), source=str(path), options=options)


def read_file(path: Path, options: Options) -> bytes:
    """A page file's bytes (a .gz one decompressed), refused past `max_bytes` before it is read whole."""
    try:
        size = path.stat().st_size
        if size > options.max_bytes:
            raise InputTooLarge(f"{path}: {size:,} bytes is over the {options.max_bytes:,}-byte limit")
        return read_gzip(path, options.max_bytes) if path.name.lower().endswith(".gz") else path.read_bytes()
    except IsADirectoryError as error:
        raise OnrecordError(f"{path} is a directory: use `onrecord batch` for directories") from error
    except OSError as error:
        raise OnrecordError(f"cannot read {path}: {error.strerror or error}") from error


def read_bytes(data: bytes, source: str = "<bytes>", options: Options | None = None,
               url: str | None = None) -> Page:
    """Decodes raw page bytes, refusing empty, oversized and binary input with a reason."""
    options = options or default_options()
    if len(data) > options.max_bytes:
        raise InputTooLarge(f"{source}: {len(data):,} bytes is over the {options.max_bytes:,}-byte limit")
    if not data.strip():
        raise EmptyInput(f"{source}: the page is empty")
    if _looks_binary(data):
        raise BinaryInput(f"{source}: binary data, not a text or HTML page")
    content, encoding, warnings = decode(data)
    if not content.strip():
        raise EmptyInput(f"{source}: the page holds no text")
    return Page(content=content, is_html=looks_like_html(content), source=source, encoding=encoding, url=url,
                warnings=warnings)


def decode(data: bytes) -> Decoded:
    """BOM, then declared meta charset, then UTF-8. Bytes that fit none of them are a UTF-8 page with stray
    bytes when most of their non-ASCII is valid UTF-8, else a legacy page read by detection when detection
    is decisive. A guess or a replacement character is never silent: each leaves a warning."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            if encoding == "utf-8-sig":
                return _utf8_with_strays(data[len(bom):], encoding)
            return _replacing(data, encoding)
    declared = META_CHARSET.search(data[:4096])
    candidates = [declared.group(1).decode("ascii", "ignore").lower()] if declared else []
    candidates.append("utf-8")
    for encoding in candidates:
        try:
            return Decoded(data.decode(encoding), encoding, [])
        except (LookupError, UnicodeDecodeError):
            continue
    valid, invalid = _utf8_counts(data)
    if valid >= invalid:
        return _utf8_with_strays(data, "utf-8")
    best = _detected(data)
    if best is None:
        return _utf8_with_strays(data, "utf-8")
    return Decoded(str(best), best.encoding, [f"the page is not valid UTF-8 and declares no charset that fits: "
                                              f"read as {best.encoding}, a guess by detection"])


def _detected(data: bytes):
    """charset-normalizer's reading with the least chaos; a tie goes to a Western code page, or to the reading
    Windows-1252 agrees with (short Western text fits many code pages). None when nothing settles it."""
    matches = list(from_bytes(data))
    if not matches:
        return None
    least = min(match.chaos for match in matches)
    tied = [match for match in matches if match.chaos == least]
    western = [m for m in tied if m.encoding in ("cp1252", "latin_1", "iso8859_15")]
    if western or len(tied) == 1:
        return (western or tied)[0]
    as_cp1252 = data.decode("cp1252", errors="replace")
    return next((match for match in tied if str(match) == as_cp1252), None)


def _utf8_with_strays(data: bytes, encoding: str) -> Decoded:
    """UTF-8 with bytes that are not: the usual mixed page ('f\\xfcr' pasted into UTF-8) gets its
    Windows-1252 characters back, and what cannot be told (a multi-byte character cut short) a counted U+FFFD."""
    try:
        return Decoded(data.decode("utf-8"), encoding, [])
    except UnicodeDecodeError:
        pass
    _, invalid = _utf8_counts(data)
    text = data.decode("utf-8", errors="onrecord-stray-bytes")
    replaced = text.count(REPLACEMENT) - data.count(REPLACEMENT.encode("utf-8"))
    parts = [f"{invalid - replaced:,} read as Windows-1252"] if invalid > replaced else []
    parts += [f"{replaced:,} replaced with U+FFFD"] if replaced else []
    return Decoded(text, encoding, [f"{invalid:,} byte sequence(s) are not valid UTF-8: {', '.join(parts)}"])


def _utf8_counts(data: bytes) -> tuple[int, int]:
    """(non-ASCII characters that are valid UTF-8, byte sequences that are not)."""
    text = data.decode("utf-8", errors="replace")
    invalid = text.count(REPLACEMENT) - data.count(REPLACEMENT.encode("utf-8"))
    return len(text) - len(text.encode("ascii", errors="ignore")) - text.count(REPLACEMENT), invalid


def _read_stray_bytes(error: UnicodeDecodeError) -> tuple[str, int]:
    """A UTF-8 decoding error handler. A lead byte with some of its continuation bytes is a character cut
    short: U+FFFD. A lone byte is read as Windows-1252 when that is plausible: 0x80-0xBF (never a UTF-8 lead)
    as its punctuation or symbol, a letter when a letter follows it, or precedes it where the byte cannot
    start a UTF-8 character ('caf\\xc3(' stays unread, 'f\\xfcr' becomes 'für')."""
    data, start, end = error.object, error.start, error.end
    if end - start > 1:
        return REPLACEMENT, end
    byte = data[start]
    reading = bytes([byte]).decode("cp1252", errors="replace")
    if byte < 0xC0:
        return reading, end
    before, after = data[start - 1:start], data[end:end + 1]
    beside_letter = after.isalpha() or (before.isalpha() and not 0xC2 <= byte <= 0xF4)
    return (reading if reading.isalpha() and beside_letter else REPLACEMENT), end


codecs.register_error("onrecord-stray-bytes", _read_stray_bytes)


def _replacing(data: bytes, encoding: str) -> Decoded:
    """The data in one encoding, any byte it cannot read replaced by U+FFFD and counted."""
    try:
        return Decoded(data.decode(encoding), encoding, [])
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
    count = text.count(REPLACEMENT)
    return Decoded(text, encoding, [f"{count:,} byte sequence(s) cannot be read as {encoding}: replaced with U+FFFD"])


def looks_like_html(text: str) -> bool:
    head = text[:5000]
    return bool(HTML_MARKERS.search(head)) and head.count("<") >= 3


def _looks_binary(data: bytes) -> bool:
    if any(data.startswith(sig) for sig in BINARY_SIGNATURES):
        return True
    sample = data[:8192]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return False
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return control / max(1, len(sample)) > 0.05


def read_gzip(path: Path, limit: int) -> bytes:
    """Decompresses as it reads and stops past the limit, so a small file that inflates to gigabytes is
    refused without being inflated."""
    try:
        with gzip.open(path) as stream:
            data = stream.read(limit + 1)
    except (gzip.BadGzipFile, EOFError, zlib.error) as error:
        raise BinaryInput(f"{path}: not readable as gzip ({error})") from error
    if len(data) > limit:
        raise InputTooLarge(f"{path}: over the {limit:,}-byte limit once decompressed")
    return data


def _read_limited(stream, limit: int, source: str) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputTooLarge(f"{source}: over the {limit:,}-byte limit")
    return data


class CheckedURL(NamedTuple):
    """One URL checked for fetching: where to connect (only ever `addresses`, every one of them checked) and
    what to ask for there."""
    url: str
    scheme: str
    host: str
    port: int
    selector: str
    addresses: tuple[str, ...]


REDIRECT_CODES = (301, 302, 303, 307, 308)


def resolve(host: str, port: int) -> list[str]:
    """The IP addresses a host name resolves to, in the resolver's order, each once. The only name lookup the
    fetcher makes: it then connects to one of these addresses, never to the name (so a hostile DNS server
    cannot answer a public address to the check and a private one to the connection)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(info[4][0] for info in infos))


def check_url(url: str, allow_private: bool) -> CheckedURL:
    """Refuses schemes other than http(s) and hosts that resolve to private or loopback addresses. Resolves
    the host once and returns the addresses it checked: connect to these and nothing else."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchRefused(f"{url}: only http and https URLs are fetched")
    if not parts.hostname:
        raise FetchRefused(f"{url}: no host name")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise FetchRefused(f"{url}: {error}") from error
    try:
        addresses = resolve(parts.hostname, port)
    except (OSError, UnicodeError) as error:
        raise FetchError(f"{url}: cannot resolve {parts.hostname}: {error}") from error
    if not addresses:
        raise FetchError(f"{url}: cannot resolve {parts.hostname}: no addresses")
    for text in addresses:
        try:
            address = ipaddress.ip_address(text)
        except ValueError as error:
            raise FetchRefused(f"{url}: {parts.hostname} resolves to {text!r}, not an IP address") from error
        if not allow_private and not address.is_global:
            raise FetchRefused(f"{url}: {parts.hostname} resolves to non-public address {address} "
                               "(pass --allow-private to fetch it)")
    selector = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return CheckedURL(url, parts.scheme, parts.hostname, port, selector, tuple(addresses))


def _connect(address: str, port: int, timeout: float) -> socket.socket:
    """A TCP connection to one IP address, read as a number only (AI_NUMERICHOST: no name lookup here)."""
    family, kind, proto, _, sockaddr = socket.getaddrinfo(address, port, type=socket.SOCK_STREAM,
                                                          flags=socket.AI_NUMERICHOST)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.settimeout(timeout)
        sock.connect(sockaddr)
    except BaseException:
        sock.close()
        raise
    return sock


def _connect_checked(addresses: tuple[str, ...], port: int, timeout: float) -> socket.socket:
    """A connection to the first of the checked addresses that answers; the last failure if none does."""
    failure: OSError | None = None
    for address in addresses:
        try:
            return _connect(address, port, timeout)
        except OSError as error:
            failure = error
    raise failure or OSError("no address to connect to")


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to the host name (Host header) over a connection to one of its checked addresses."""

    def __init__(self, hop: CheckedURL, timeout: float):
        super().__init__(hop.host, hop.port, timeout=timeout)
        self.addresses = hop.addresses

    def connect(self):
        self.sock = _connect_checked(self.addresses, self.port, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to the host name (Host header, SNI, certificate checked against the name) over a connection to
    one of its checked addresses."""

    def __init__(self, hop: CheckedURL, timeout: float):
        self.tls = ssl.create_default_context()
        super().__init__(hop.host, hop.port, timeout=timeout, context=self.tls)
        self.addresses = hop.addresses

    def connect(self):
        sock = _connect_checked(self.addresses, self.port, self.timeout)
        try:
            self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


def _redirect_target(hop: CheckedURL, response: http.client.HTTPResponse) -> str | None:
    """The absolute URL a redirect response points to, or None when the response is not one."""
    if response.status not in REDIRECT_CODES:
        return None
    location = response.getheader("Location") or response.getheader("URI")
    if not location:
        return None
    target = urllib.parse.urljoin(hop.url, location.strip())
    target = urllib.parse.urlunsplit(urllib.parse.urlsplit(target)._replace(fragment=""))
    return urllib.parse.quote(target, encoding="iso-8859-1", safe=string.punctuation)


def fetch_url(url: str, options: Options | None = None) -> bytes:
    """Fetches one page the user asked for, with a timeout, a size cap and address checks on each hop. Each
    hop's host is resolved once and the connection goes to an address that passed the check (no DNS
    rebinding); redirects are followed here, at most `max_redirects`, each target checked the same way."""
    options = options or default_options()
    hop = check_url(url, options.allow_private)
    seen, redirects = {hop.url}, 0
    try:
        while True:
            target, body = _get(hop, url, options)
            if target is None:
                return body
            if target in seen:
                raise FetchError(f"{url}: redirect loop: {hop.url} redirects back to {target}")
            if redirects >= options.max_redirects:
                raise FetchError(f"{url}: more than {options.max_redirects} redirect(s) (the next to {target})")
            seen.add(target)
            redirects += 1
            hop = check_url(target, options.allow_private)
    except OnrecordError:
        raise
    except (OSError, ValueError, http.client.HTTPException) as error:
        raise FetchError(f"{url}: {str(error) or type(error).__name__}") from error


def _get(hop: CheckedURL, url: str, options: Options) -> tuple[str | None, bytes]:
    """One GET over a connection to a checked address: (the redirect target, b"") for a redirect, else
    (None, the body, capped at `max_bytes`); an HTTP error status raises."""
    connection_type = _PinnedHTTPSConnection if hop.scheme == "https" else _PinnedHTTPConnection
    connection = connection_type(hop, options.fetch_timeout)
    try:
        connection.request("GET", hop.selector, headers={
            "User-Agent": options.user_agent, "Accept-Encoding": "identity", "Connection": "close"})
        response = connection.getresponse()
        target = _redirect_target(hop, response)
        if target is not None:
            return target, b""
        if not 200 <= response.status < 300:
            raise FetchError(f"{url}: HTTP {response.status} {response.reason}")
        return None, _read_limited(response, options.max_bytes, url)
    finally:
        connection.close()
