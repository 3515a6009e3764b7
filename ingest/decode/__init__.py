"""Decoding: the bytes of a FIT or GPX file -> a ``Track``. Pure: no database, no folders."""
