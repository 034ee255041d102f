"""Errors that stop one document, with a stable code the catalog records."""


class DocumentError(Exception):
    """The document cannot be read; `code` is stored in parse_warnings, the message in documents.error."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
