"""Your data is yours: an athlete's data as a zip anyone can read (``export``) and import into
another legday (``importer``), and a backup of the whole install (``backup``)."""
