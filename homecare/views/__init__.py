"""The web pages. Who may open which page is decided in `roles.py`, on top of
`providers.access`, so no view checks roles by hand."""
