"""Errors the services raise; views turn them into a message for the person."""


class AssessmentError(Exception):
    """An assessment action that cannot be done (already submitted, out of order, ...)."""
