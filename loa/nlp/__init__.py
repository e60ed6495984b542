"""Vietnamese text in, features and labels out — offline, no Django.

``normalize`` (one canonical form), ``segment`` (syllables, n-grams, pyvi words), ``privacy``
(personal data out of any text). Models Loa trains itself live in ``models``.
"""
