DROP TABLE audit_events;
DROP TABLE login_failures;
DROP TABLE api_keys;
DROP TABLE staff_sessions;
DROP TABLE staff;
