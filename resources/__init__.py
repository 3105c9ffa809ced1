"""Icons, the style sheet and translations: plain files in this package's folder, which
pos_app/ui/assets.py finds from this module's location."""
