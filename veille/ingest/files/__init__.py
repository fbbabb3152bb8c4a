"""Finding and opening what the user named: the walk, zip exports, where reading stops."""
