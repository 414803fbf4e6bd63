"""What protects reminderd beyond who-is-asking (``webauth``): the login throttle and the
secret keys kept outside the database. docs/SECURITY.md describes the whole."""
