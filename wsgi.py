"""WSGI entry point: `gunicorn wsgi:app`."""

from inspection import create_app

app = create_app()
