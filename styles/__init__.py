"""The CSL styles and locales biblio maintains, shipped as the package ``biblio.styles``."""
