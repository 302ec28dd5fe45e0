"""The commands of ``goi``: each module registers its commands on the Typer app.

They are thin: parse options, call the library, print its result (text or JSON), and turn
its exceptions into messages and exit codes (0 ok, 1 findings or differences, 2 error).
"""
