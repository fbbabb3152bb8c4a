"""What every "reader never crashes" property test shares: the settings and what may come out."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

from veille.model import Actor, Columns, Interaction, Media, Note, Post, Reject

# Anything a reader may yield; InputError is the one exception it may raise.
RECORD_TYPES = (Actor, Columns, Interaction, Media, Note, Post, Reject)
# tmp_path is function-scoped: each example writes its own file under it, which is intended.
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
