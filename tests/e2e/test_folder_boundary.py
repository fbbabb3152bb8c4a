"""Through the CLI: a folder holding an export and other files is read whole, nothing outside
what the user named is copied, and a FIFO never blocks ``ingest`` or ``peek``."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from veille.cli import app

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(sys.platform == "win32", reason="symbolic links and FIFOs"),
]
runner = CliRunner()

CHAT = (
    "15/08/23, 09:12 - Ann: IMG-1.jpg (file attached)\n"
    "15/08/23, 09:13 - Bob: IMG-2.jpg (file attached)\n"
    "15/08/23, 09:14 - Ann: see you in Mosul\n"
)
CSV = "author,text,date\nann,hello from the csv,2023-08-15\nbob,hi again,2023-08-16\n"
ARTICLE = (
    "<html><head><title>Mosul tonight</title></head><body><article><h1>Mosul tonight</h1>"
    + "<p>The city was quiet as the night fell over the old town and its markets.</p>" * 8
    + "</article></body></html>"
)
SECRET = b"-----BEGIN OPENSSH PRIVATE KEY----- not evidence"


def veille(*args: object) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def ingest(case: Path, *paths: Path) -> dict[str, object]:
    assert veille("init", case)[0] == 0
    code, output = veille("ingest", case, *paths, "--json")
    assert code in (0, 3), output
    report: dict[str, object] = json.loads(output)
    return report


def sources(report: dict[str, object]) -> dict[str, dict[str, object]]:
    listed = report["sources"]
    assert isinstance(listed, list)
    return {Path(str(source["path"])).name: source for source in listed}


def test_a_folder_with_a_whatsapp_chat_a_csv_and_an_article_is_read_whole(
    tmp_path: Path,
) -> None:
    """Before, the chat's reader claimed the folder and the CSV and article were silently lost."""
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "WhatsApp Chat with Ann.txt").write_text(CHAT, encoding="utf-8")
    (folder / "IMG-1.jpg").write_bytes(b"\xff\xd8\xff photo one")
    (folder / "tweets.csv").write_text(CSV, encoding="utf-8")
    (folder / "article.html").write_text(ARTICLE, encoding="utf-8")
    (folder / "README.md").write_text("# what the source sent", encoding="utf-8")
    case = tmp_path / "case"
    report = ingest(case, folder)
    by_name = sources(report)
    assert by_name["exports"]["reader"] == "whatsapp"
    assert by_name["exports"]["read"] == 3
    assert by_name["tweets.csv"]["reader"] == "tabular"
    assert by_name["tweets.csv"]["read"] == 2
    assert by_name["article.html"]["reader"] == "news"
    assert by_name["article.html"]["read"] == 1
    assert by_name["README.md"]["skipped"] is True
    assert set(by_name) == {"exports", "tweets.csv", "article.html", "README.md"}
    code, output = veille(
        "query", case, "SELECT platform, count(*) FROM posts GROUP BY 1", "--json"
    )
    assert code == 0, output
    assert "whatsapp" in output
    assert "web" in output


def test_an_attachment_linking_out_of_the_export_is_not_copied(tmp_path: Path) -> None:
    secret = tmp_path / "home" / "id_rsa"
    secret.parent.mkdir()
    secret.write_bytes(SECRET)
    folder = tmp_path / "chat"
    folder.mkdir()
    (folder / "WhatsApp Chat with Ann.txt").write_text(CHAT, encoding="utf-8")
    (folder / "IMG-1.jpg").write_bytes(b"\xff\xd8\xff photo one")
    (folder / "IMG-2.jpg").symlink_to(secret)
    case = tmp_path / "case"
    report = ingest(case, folder)
    chat = sources(report)["chat"]
    assert (chat["media_stored"], chat["media_missing"]) == (1, 1)
    assert any("refused" in note and "IMG-2.jpg" in note for note in chat["notes"])
    stored = [p for p in (case / "media").rglob("*") if p.is_file()]
    assert [p.name for p in stored] == [hashlib.sha256(b"\xff\xd8\xff photo one").hexdigest()]
    assert all(p.read_bytes() != SECRET for p in stored)


@pytest.fixture
def fifo_watch(tmp_path: Path) -> Iterator[tuple[Path, list[str]]]:
    """A FIFO named like a WhatsApp chat, and a watcher that records (and unblocks) any open.

    Opening a FIFO for reading blocks until a writer comes: the watcher is that writer, so a
    regression fails the test instead of hanging it.
    """
    folder = tmp_path / "exports"
    folder.mkdir()
    fifo = folder / "WhatsApp Chat with Ann.txt"
    os.mkfifo(fifo)
    opened: list[str] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            try:
                descriptor = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as error:
                if error.errno != errno.ENXIO:  # ENXIO: nobody has it open for reading
                    return
            else:
                opened.append("someone opened the FIFO to read it")
                os.close(descriptor)
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    yield fifo, opened
    stop.set()
    watcher.join()


def test_a_fifo_named_like_a_chat_does_not_block_ingest(
    tmp_path: Path, fifo_watch: tuple[Path, list[str]]
) -> None:
    fifo, opened = fifo_watch
    (fifo.parent / "tweets.csv").write_text(CSV, encoding="utf-8")
    case = tmp_path / "case"
    assert veille("init", case)[0] == 0
    code, output = veille("ingest", case, fifo.parent, "--json")
    assert code == 0, output
    by_name = sources(json.loads(output))
    assert by_name["tweets.csv"]["read"] == 2
    assert by_name[fifo.name]["skipped"] is True
    code, output = veille("ingest", case, fifo, "--format", "whatsapp", "--json")
    assert code == 1, output  # named alone: nothing readable
    assert opened == []


def test_a_fifo_does_not_block_peek(fifo_watch: tuple[Path, list[str]]) -> None:
    fifo, opened = fifo_watch
    code, output = veille("peek", fifo)
    assert code == 1
    assert "FIFO" in output
    code, output = veille("peek", fifo, "--format", "whatsapp")
    assert code == 1
    assert "not a regular file" in output
    assert opened == []
