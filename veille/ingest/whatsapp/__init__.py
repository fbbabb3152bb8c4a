"""The WhatsApp reader: .txt chat exports, Android and iOS, with their attachments."""
