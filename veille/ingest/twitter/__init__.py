"""Twitter/X: the account-archive reader, and tweet objects mapped to records (v1.1, twarc2)."""
