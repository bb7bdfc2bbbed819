"""Signals that accounts sends for apps above it. Accounts imports no app above it, so an app
that keeps something per user (cases: shares) subscribes here."""

from django.dispatch import Signal

# Sent inside the transaction that changed a user's team, role or active state, with
# `user` (as it is now) and `actor` (who made the change). Receivers end what the user may no
# longer have, such as case shares outside their team.
user_access_changed = Signal()
