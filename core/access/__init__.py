"""Who may do what and what may come in: roles and scopes (permissions), masking of personal data, the
content security policy, the session store and the limits of an upload."""
