"""Request and response bodies of API v1, exactly as DESIGN.md "API v1" names them: one module
per resource, the shared field types in ``common``."""
