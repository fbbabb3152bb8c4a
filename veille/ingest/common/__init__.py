"""Helpers several readers share: text decoding, dates, JSON streaming, keys and edges."""
