-- Temporal's auto-setup creates its schemas itself; it needs the role to be able to create databases.
ALTER ROLE recordkeeper CREATEDB;

-- Least privilege (README "Security: database roles"): recordkeeper, the image's superuser, owns the tables and
-- runs the migrations (MIGRATION_DATABASE_URL); the engine logs in as recordkeeper_app (DATABASE_URL). The
-- migrations grant to the group role; it is created here too because this script runs before them.
CREATE ROLE recordkeeper_runtime NOLOGIN;
CREATE ROLE recordkeeper_app LOGIN PASSWORD 'recordkeeper_app' IN ROLE recordkeeper_runtime;
