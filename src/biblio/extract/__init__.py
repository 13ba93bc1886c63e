"""Draft a manifest from an issue's text: small named steps, each testable alone."""
