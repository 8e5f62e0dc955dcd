"""`UserError`: the one base class of every error a user can cause and fix (bad input, unknown name, missing setup).

It sits at the bottom of the dependency graph (config/) so that db/, safety/, tools/, training/ and app/ domain errors
can inherit it. The CLI catches it once (app/cli.py) and prints `error: <message>` on stderr with exit code 2, never a
traceback; anything that is not a UserError is a bug and keeps its traceback. Messages must say what and where
(file, line, column, name) and never echo personal data.
"""

from __future__ import annotations


class UserError(Exception):
    """A user-caused, user-fixable problem; `str(exc)` is the whole message shown to the user."""

    exit_code = 2
