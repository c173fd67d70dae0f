"""The project's own number and date formats per language, over Django's (settings.FORMAT_MODULE_PATH)."""
