"""Errors raised when a document cannot be read at all. The message is Vietnamese, for the user."""


class DocumentError(Exception):
    """A document could not be read. ``code`` is stable (for tests and exit codes), ``message`` is Vietnamese.

    Codes: missing, empty, too_big, binary, unsupported, corrupt, zip_bomb, scanned, legacy_doc,
    legacy_encoding, secret.
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
