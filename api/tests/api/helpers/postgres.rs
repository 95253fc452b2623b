//! PostgreSQL for the tests: a database of each test's own, copied from a template migrated once,
//! and whole throwaway servers for tests that stop their database.

use std::sync::OnceLock;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use sha2::{Digest, Sha256};

/// The server to test against, without a database name; override with `TEST_DATABASE_URL`.
fn server_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
        .trim_end_matches('/')
        .to_owned()
}

/// Without TLS: libpq's OpenSSL cleans up at process exit while pool threads of finished tests may
/// still be connecting, and that race once ended a green test run with a SIGSEGV.
pub fn database_url(name: &str) -> String {
    format!("{}/{name}?sslmode=disable&gssencmode=disable", server_url())
}

pub fn maintenance() -> PgConnection {
    PgConnection::establish(&database_url("postgres"))
        .expect("PostgreSQL must be running (see README: the test command starts it)")
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The migrations' content decides the template's name, so a changed migration builds a new one.
fn migrations_digest() -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut entries: Vec<_> = walk(&dir);
    entries.sort();
    let mut hasher = Sha256::new();
    for path in entries {
        hasher.update(path.to_string_lossy().as_bytes());
        hasher.update(std::fs::read(&path).expect("read migration"));
    }
    hasher.finalize()[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("migrations dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// Creates the migrated template once per schema version; concurrent test processes serialise on
/// an advisory lock.
fn template() -> &'static str {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let name = format!("shop_tpl_{}", migrations_digest());
        let mut admin = maintenance();
        diesel::sql_query("SELECT pg_advisory_lock(7217001)")
            .execute(&mut admin)
            .expect("lock");
        let existing =
            diesel::sql_query("SELECT count(*) AS n FROM pg_database WHERE datname = $1")
                .bind::<Text, _>(&name)
                .get_result::<Count>(&mut admin)
                .expect("look up template")
                .n;
        if existing == 0 {
            let building = format!("{name}_building");
            admin
                .batch_execute(&format!(
                    "DROP DATABASE IF EXISTS \"{building}\" WITH (FORCE)"
                ))
                .expect("drop half-built template");
            admin
                .batch_execute(&format!("CREATE DATABASE \"{building}\""))
                .expect("create template");
            {
                let mut conn =
                    PgConnection::establish(&database_url(&building)).expect("connect template");
                shop_api::db::migrate(&mut conn).expect("migrate template");
            }
            admin
                .batch_execute(&format!(
                    "ALTER DATABASE \"{building}\" RENAME TO \"{name}\""
                ))
                .expect("publish template");
        }
        diesel::sql_query("SELECT pg_advisory_unlock(7217001)")
            .execute(&mut admin)
            .expect("unlock");
        name
    })
}

/// Creates a database of the test's own from the template, and answers its name.
pub fn create_test_database() -> String {
    let db_name = format!("shop_test_{}", uuid::Uuid::new_v4().simple());
    let template = template();
    let create = format!("CREATE DATABASE \"{db_name}\" TEMPLATE \"{template}\"");
    let mut admin = maintenance();
    // A template being copied by another test at this very moment makes CREATE DATABASE fail
    // with "being accessed by other users"; a short retry covers that race.
    let mut attempts = 0;
    while let Err(err) = admin.batch_execute(&create) {
        attempts += 1;
        assert!(attempts < 50, "cannot create test database: {err}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    db_name
}

pub fn drop_test_database(db_name: &str) {
    let mut admin = maintenance();
    let _ = admin.batch_execute(&format!(
        "DROP DATABASE IF EXISTS \"{db_name}\" WITH (FORCE)"
    ));
}

/// A PostgreSQL server of the test's own, on a free port, that the test may stop and start:
/// for what the API does when its database goes away and comes back.
pub struct ThrowawayCluster {
    dir: std::path::PathBuf,
    bin: std::path::PathBuf,
    pub port: u16,
}

impl ThrowawayCluster {
    pub fn start() -> Self {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .expect("PostgreSQL server binaries under /usr/lib/postgresql")
            .flatten()
            .map(|entry| entry.path().join("bin"))
            .filter(|bin| bin.join("initdb").exists())
            .max()
            .expect("initdb");
        let dir = std::env::temp_dir().join(format!("shop-pg-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("cluster dir");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let cluster = ThrowawayCluster { dir, bin, port };
        if Self::as_root() {
            // initdb refuses to run as root; the cluster belongs to the postgres user.
            let status = std::process::Command::new("chown")
                .args(["postgres:postgres"])
                .arg(&cluster.dir)
                .status()
                .expect("chown");
            assert!(status.success());
        }
        cluster.run(
            "initdb",
            &["-A", "trust", "-U", "postgres", "--no-sync", "-D"],
        );
        cluster.up();
        cluster
    }

    fn as_root() -> bool {
        std::process::Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|out| out.stdout.starts_with(b"0"))
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let program = self.bin.join(tool);
        let mut command = if Self::as_root() {
            let mut command = std::process::Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(&program);
            command
        } else {
            std::process::Command::new(&program)
        };
        let output = command.args(args).arg(&self.dir).output().expect(tool);
        assert!(
            output.status.success(),
            "{tool}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    pub fn up(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.display()
        );
        self.run(
            "pg_ctl",
            &["-w", "-l", "/dev/null", "-o", &options, "start", "-D"],
        );
    }

    pub fn down(&self) {
        self.run("pg_ctl", &["-w", "-m", "fast", "stop", "-D"]);
    }

    pub fn url(&self) -> String {
        format!(
            "postgres://postgres@127.0.0.1:{}/postgres?sslmode=disable&gssencmode=disable",
            self.port
        )
    }
}

impl Drop for ThrowawayCluster {
    fn drop(&mut self) {
        let _ = std::process::Command::new(self.bin.join("pg_ctl"))
            .args(["-m", "immediate", "stop", "-D"])
            .arg(&self.dir)
            .output();
        if Self::as_root() {
            let _ = std::process::Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(self.bin.join("pg_ctl"))
                .args(["-m", "immediate", "stop", "-D"])
                .arg(&self.dir)
                .output();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
