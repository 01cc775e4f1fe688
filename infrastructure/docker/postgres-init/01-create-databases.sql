-- Runs once, when the postgres container starts with an empty data volume.
-- One database per service, as in the contract; each service migrates its own schema at start.
CREATE DATABASE auth;
CREATE DATABASE patient;
CREATE DATABASE billing;
CREATE DATABASE analytics;
CREATE DATABASE appointment;
