"""Where a WhatsApp chat is on disk: its .txt in an export folder, its name, its attachments.

Internal helper of ``veille.ingest.whatsapp.reader``: not a stable API.
"""

from __future__ import annotations

from pathlib import Path

from veille.ingest.common.textfile import detect_encoding
from veille.ingest.files.boundary import describe_refused, locate, open_regular, real_path
from veille.ingest.whatsapp.lines import HEADER

__all__ = ["Attachments", "chat_file", "chat_name", "starts_with_header"]

_SNIFF_BYTES = 4096
# How each locale names the exported file ("WhatsApp Chat with Ann.txt"); iOS uses "_chat.txt".
_CHAT_PREFIXES = (
    "WhatsApp Chat with ",
    "WhatsApp Chat - ",
    "WhatsApp Chat mit ",
    "Chat de WhatsApp con ",
    "Discussion WhatsApp avec ",
    "Conversa do WhatsApp com ",
    "WhatsApp-chat met ",
)
_MIME = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "gif": "image/gif",
    "mp4": "video/mp4",
    "3gp": "video/3gpp",
    "mov": "video/quicktime",
    "opus": "audio/ogg",
    "ogg": "audio/ogg",
    "m4a": "audio/mp4",
    "mp3": "audio/mpeg",
    "aac": "audio/aac",
    "pdf": "application/pdf",
    "vcf": "text/vcard",
    "txt": "text/plain",
    "zip": "application/zip",
}


def chat_file(folder: Path) -> Path | None:
    """The one chat .txt of an export folder; None if there is none or several."""
    real = real_path(folder)
    if real is None:
        return None
    # A chat is a regular file of the folder itself: a link out of it, or a FIFO, is not one.
    texts = sorted(
        entry
        for entry in folder.iterdir()
        if entry.suffix.lower() == ".txt"
        and not entry.name.startswith(".")
        and locate(real, entry).file is not None
    )
    if len(texts) > 1:  # attachments can be .txt files too: prefer the chat's own names
        named = [t for t in texts if t.name == "_chat.txt" or t.name.startswith(_CHAT_PREFIXES)]
        texts = named if named else [t for t in texts if starts_with_header(t)]
    return texts[0] if len(texts) == 1 else None


def starts_with_header(path: Path) -> bool:
    """Whether ``path`` opens like a chat: its first non-empty line is a message header, or
    two of its first ten are (exports restored from a backup start with a banner line)."""
    try:
        # Not path.open: a FIFO named chat.txt would block the open for good.
        handle = open_regular(path)
    except OSError:
        return False
    with handle:
        sample = handle.read(_SNIFF_BYTES)
    if not sample:
        return False
    text = sample.decode(detect_encoding(sample), errors="replace").lstrip("\ufeff")
    lines = [line for line in text.split("\n") if line.strip()][:10]
    headers = [HEADER.match(line) is not None for line in lines]
    return bool(headers) and (headers[0] or sum(headers) >= 2)


def chat_name(chat: Path) -> str:
    """The chat's name from its file name, or its folder's for iOS ``_chat.txt``."""
    name = chat.parent.resolve().name if chat.name == "_chat.txt" else chat.stem
    for prefix in _CHAT_PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix) :]
    return name


class Attachments:
    """The files beside a chat .txt, listed once, looked up by the name a message gives.

    An attachment that is a link out of the export folder, or not a regular file, is refused
    (``refused`` says why): copying it would put a file from elsewhere on this machine in the case.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._names: set[str] | None = None
        self.refused: dict[str, str] = {}  # attachment name -> why it was not taken

    def path(self, name: str) -> Path | None:
        """Real path of the attachment ``name`` when it is a regular file inside the folder."""
        if self._names is None:
            try:
                self._names = {entry.name for entry in self.folder.iterdir()}
            except OSError:
                self._names = set()
            self.folder = real_path(self.folder) or self.folder.absolute()
        # Only names listed in the folder are looked up: a hostile "../x" never leaves it.
        if name not in self._names:
            return None
        found = locate(self.folder, self.folder / name)
        if found.refused is not None:
            self.refused[name] = found.refused
        return found.file

    def notes(self) -> list[str]:
        """What to tell the user about refused attachments (one line, a few names)."""
        if not self.refused:
            return []
        return [
            f"{len(self.refused):,} attachments refused and recorded as missing: "
            + describe_refused(self.refused)
        ]

    @staticmethod
    def mime(name: str) -> str | None:
        """The media type WhatsApp files with this extension have, None if unknown."""
        _, dot, extension = name.rpartition(".")
        return _MIME.get(extension.casefold()) if dot else None
