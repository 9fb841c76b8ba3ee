"""年报助手: a drafting assistant for the annual report on government information disclosure."""

__version__ = "0.1.0"
