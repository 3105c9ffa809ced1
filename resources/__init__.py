"""Icons, the style sheet and translations, read through importlib.resources."""
