"""Readers, one module per format, registered by name and chosen by ``sniff``."""

from __future__ import annotations

from veille.ingest.base import Reader, ReadOptions
from veille.registry import Registry

__all__ = ["READERS", "ReadOptions", "Reader"]

READERS: Registry[type[Reader]] = Registry(
    "reader",
    {
        "tabular": "veille.ingest.tabular.reader:TabularReader",
        "news": "veille.ingest.news:NewsReader",
        "telegram": "veille.ingest.telegram.reader:TelegramReader",
        "twitter-archive": "veille.ingest.twitter.archive_reader:TwitterArchiveReader",
        "whatsapp": "veille.ingest.whatsapp.reader:WhatsAppReader",
    },
)
