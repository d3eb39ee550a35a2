"""Accounts: users, passwords, sign-in sessions, per-user data, export and deletion, the admin's view."""
