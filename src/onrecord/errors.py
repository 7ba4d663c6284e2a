"""Typed errors: the library raises these, the CLI prints one line and exits with `exit_code`."""


class OnrecordError(Exception):
    """Base of every error onrecord raises on purpose."""
    exit_code = 1


class EmptyInput(OnrecordError):
    """The page holds no text at all."""
    exit_code = 3


class BinaryInput(OnrecordError):
    """The page is binary data (an image, a PDF, an archive), not text or HTML."""
    exit_code = 4


class InputTooLarge(OnrecordError):
    """The page is over the configured size limit."""
    exit_code = 5


class FetchError(OnrecordError):
    """A URL could not be fetched (network error, HTTP error, timeout)."""
    exit_code = 6


class FetchRefused(OnrecordError):
    """A URL points at a private, loopback or otherwise refused address, or an unsupported scheme."""
    exit_code = 7


class NoArticle(OnrecordError):
    """The page holds no article text that could be extracted."""
    exit_code = 8


class ConfigError(OnrecordError):
    """An option or configuration file is invalid."""
    exit_code = 2
