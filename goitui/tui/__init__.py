"""``goi browse``: the Textual browser, a thin layer over the library the CLI uses.

Only ``goi browse`` imports this package; every other command runs without Textual.
"""
