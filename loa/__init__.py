"""Loa: public-information campaigns for Vietnamese public offices."""
