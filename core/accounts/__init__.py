"""Accounts: the administrator's pages for users, departments and tokens, API tokens, and the lockout after
failed logins with the logout after inactivity."""
