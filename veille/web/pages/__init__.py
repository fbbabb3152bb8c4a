"""One module per kind of page; each exposes the Starlette routes it serves."""
