"""The Telegram Desktop reader: JSON and HTML exports, one chat or a whole account."""
