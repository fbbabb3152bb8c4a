"""Analyses of a case: the interaction graph, importance of its actors, communities.

Pure functions over a read connection or plain arrays: nothing here writes to the store.
"""
