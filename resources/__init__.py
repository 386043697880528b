"""Counter's data files: the style sheet and the receipt logo. Installed as
``counter_app.resources`` (see ``setup.py``); read them with ``importlib.resources``."""
