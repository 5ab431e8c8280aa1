"""The organisation tree (finance bureau → departments → units), memberships with roles, login throttling."""
