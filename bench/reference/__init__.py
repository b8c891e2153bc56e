"""A minimal Django project: the stack's limit, measured next to the app by bench/run.py."""
