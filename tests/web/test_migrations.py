"""The models and their migrations agree: a change of choices or fields without its migration fails here,
not on a user's `jixiao serve` (which migrates) or in production."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_missing_its_migration() -> None:
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:
        pytest.fail(f"a model change has no migration (run `django-admin makemigrations`):\n{out.getvalue()}"
                    f"\n(exit {exit_.code})")
