"""Fitted models shipped with kg (see README.md here for their cards)."""
