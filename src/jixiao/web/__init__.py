"""The multi-user web app (Django + htmx): units fill in, departments and the finance bureau review."""
