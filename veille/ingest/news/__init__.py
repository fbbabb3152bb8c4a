"""The news reader: one article per file, an HTML page or plain text, boilerplate kept aside."""
