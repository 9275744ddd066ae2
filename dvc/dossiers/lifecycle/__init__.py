"""The dossier's state machine core: states and transitions, the history (with the statistics), the applicant's
notices, dossier codes, the applicant snapshot and the legal clock. Everything else in ``dossiers`` builds on it;
it imports nothing from ``citizen``, ``backoffice`` or ``documents``.
"""
