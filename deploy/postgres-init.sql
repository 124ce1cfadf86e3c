-- Temporal's auto-setup creates its schemas itself; it needs the role to be able to create databases.
ALTER ROLE recordkeeper CREATEDB;
