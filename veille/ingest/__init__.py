"""Readers, one folder per format, registered by name and chosen by ``sniff``.

``files/`` finds and opens what the user named, ``common/`` holds what several readers share;
``telegram/``, ``twitter/``, ``whatsapp/``, ``tabular/`` and ``news/`` each hold one reader.
"""

from __future__ import annotations

from veille.ingest.base import Reader, ReadOptions
from veille.registry import Registry

__all__ = ["READERS", "ReadOptions", "Reader"]

READERS: Registry[type[Reader]] = Registry(
    "reader",
    {
        "tabular": "veille.ingest.tabular.reader:TabularReader",
        "news": "veille.ingest.news.reader:NewsReader",
        "telegram": "veille.ingest.telegram.reader:TelegramReader",
        "twitter-archive": "veille.ingest.twitter.archive_reader:TwitterArchiveReader",
        "whatsapp": "veille.ingest.whatsapp.reader:WhatsAppReader",
    },
)
