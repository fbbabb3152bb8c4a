"""The tabular reader: CSV, JSON Lines and JSON tables of posts, columns mapped to fields."""
