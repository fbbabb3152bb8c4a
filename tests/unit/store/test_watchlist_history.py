"""A watchlist handle finds the account that had it, even after the account changed handle."""

from __future__ import annotations

from pathlib import Path

from veille.case import Case
from veille.store.watchlist import match_actors


def test_a_former_handle_still_matches_its_account(tmp_path: Path) -> None:
    with Case.init(tmp_path / "case") as case:
        con = case.con
        con.execute(
            "INSERT INTO actors (id, platform, kind, native_id, handle, name, source_id, "
            "locator) VALUES ('a1', 'telegram', 'account', '42', 'new_name', NULL, 's', 'x')"
        )
        con.execute(
            "INSERT INTO actor_sightings (id, actor_id, platform, native_id, handle, source_id, "
            "locator) VALUES ('h1', 'a1', 'telegram', '42', 'Old_Name', 's', 'messages[3]'), "
            "('h2', 'a1', 'telegram', '42', 'new_name', 's', 'messages[9]')"
        )
        found = match_actors(
            con, ["@old_name", "@new_name", "@other"], [None, "telegram", None],
            ["old_name", "new_name", "other"],
        )  # fmt: skip
    assert found == [(0, "a1", "handle"), (1, "a1", "handle")]
