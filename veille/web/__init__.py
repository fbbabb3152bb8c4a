"""The workbench: a local web app over one case (``veille serve``).

Server-rendered pages (Starlette, Jinja2 with autoescaping), no script from anywhere but the
package, every piece of case text escaped. Pages read the case through ``store`` queries; the
app's own writes (notes) go through the store like every other write.
"""
