//! `shop-api [serve|migrate|seed [FILE]|openapi [FILE]|staff create ...|healthcheck]`

use std::process::ExitCode;

use diesel::{Connection, PgConnection};
use secrecy::ExposeSecret;
use shop_api::settings::Settings;
use shop_api::startup::Application;
use shop_api::{db, logging, openapi, seed};

const USAGE: &str = "usage: shop-api [serve | migrate | seed [FILE] | openapi [FILE]]
  serve         run the HTTP API (the default)
  migrate       apply pending database migrations and exit
  seed [FILE]   load the demo catalog (or FILE) idempotently
  openapi [FILE] print the OpenAPI document (or write it to FILE)
  staff create --email EMAIL --role owner|manager|fulfilment|viewer [--password-stdin]
                add a staff member: with --password-stdin, the password is read from the first
                line of standard input; otherwise a one-time password is printed, to be changed
                at the first login
  healthcheck   exit 0 when the API on PORT answers ready (for container health checks)";

fn main() -> ExitCode {
    match logging::LogFormat::parse(std::env::var("LOG_FORMAT").ok().as_deref()) {
        Ok(format) => logging::init(format),
        Err(message) => {
            eprintln!("shop-api: configuration error: {message}");
            return ExitCode::FAILURE;
        }
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let outcome = match args.as_slice() {
        [] | ["serve"] => serve(),
        ["migrate"] => migrate(),
        ["healthcheck"] => healthcheck(),
        ["seed"] => seed_from(None),
        ["seed", file] => seed_from(Some(file)),
        ["openapi"] => {
            print!("{}", openapi::document_json());
            Ok(())
        }
        ["openapi", file] => std::fs::write(file, openapi::document_json())
            .map_err(|e| format!("cannot write {file}: {e}")),
        ["staff", "create", options @ ..] => create_staff(options),
        ["-h" | "--help" | "help"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("shop-api: {message}");
            ExitCode::FAILURE
        }
    }
}

fn settings() -> Result<Settings, String> {
    Settings::load().map_err(|e| e.to_string())
}

fn connect(settings: &Settings) -> Result<PgConnection, String> {
    PgConnection::establish(settings.database_url.expose_secret())
        .map_err(|e| format!("cannot connect to the database: {e}"))
}

fn serve() -> Result<(), String> {
    let settings = settings()?;
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(settings)
            .await
            .map_err(|e| e.to_string())?;
        log::info!("listening on port {}", app.port());
        if let Some(port) = app.metrics_port() {
            log::info!("metrics on port {port}, at /metrics");
        }
        app.run_until_stopped().await.map_err(|e| e.to_string())
    })
}

fn migrate() -> Result<(), String> {
    let mut conn = connect(&settings()?)?;
    let applied = db::migrate(&mut conn).map_err(|e| e.to_string())?;
    println!("applied {} migration(s)", applied.len());
    Ok(())
}

fn seed_from(file: Option<&str>) -> Result<(), String> {
    let settings = settings()?;
    let mut conn = connect(&settings)?;
    db::migrate(&mut conn).map_err(|e| e.to_string())?;
    let json = match file {
        Some(path) => {
            std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?
        }
        None => seed::DEMO_CATALOG.to_owned(),
    };
    let report =
        seed::seed(&mut conn, &json, &settings.image_origins).map_err(|e| e.to_string())?;
    println!(
        "seeded {} categories, {} products, {} variants, {} shipping zones, {} countries' tax rates \
         (existing ones left unchanged)",
        report.categories,
        report.products,
        report.variants,
        report.shipping_zones,
        report.tax_rates
    );
    Ok(())
}

fn create_staff(options: &[&str]) -> Result<(), String> {
    use shop_api::domain::staff::Role;
    let (mut email, mut role, mut from_stdin) = (None, None, false);
    let mut rest = options.iter();
    while let Some(option) = rest.next() {
        match *option {
            "--email" => email = rest.next().copied(),
            "--role" => {
                let name = rest.next().copied().unwrap_or_default();
                role = Some(Role::parse(name).ok_or_else(|| {
                    format!("--role must be owner, manager, fulfilment or viewer, not {name:?}")
                })?);
            }
            "--password-stdin" => from_stdin = true,
            other => return Err(format!("unknown option {other:?}\n{USAGE}")),
        }
    }
    let (Some(email), Some(role)) = (email, role) else {
        return Err(format!("staff create needs --email and --role\n{USAGE}"));
    };
    let password = if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .map_err(|e| format!("cannot read the password: {e}"))?;
        Some(line.trim_end_matches(['\r', '\n']).to_owned())
    } else {
        None
    };
    let settings = settings()?;
    let mut conn = connect(&settings)?;
    db::migrate(&mut conn).map_err(|e| e.to_string())?;
    let created = shop_api::services::staff::create(&mut conn, email, role, password.as_deref())
        .map_err(|e| e.problem().detail.unwrap_or_else(|| e.to_string()))?;
    println!(
        "created {} {} ({})",
        created.staff.role, created.staff.email, created.staff.id
    );
    if let Some(one_time) = created.one_time_password {
        println!("one-time password: {one_time}");
        println!("it must be changed at the first login");
    }
    Ok(())
}

/// Asks the running server on this host whether it is ready; the image has no curl to do it.
fn healthcheck() -> Result<(), String> {
    use std::io::{Read, Write};
    use std::net::{SocketAddr, TcpStream};
    use std::time::Duration;

    let port = std::env::var("APP_PORT")
        .or_else(|_| std::env::var("PORT"))
        .unwrap_or_else(|_| "8080".to_owned());
    let port: u16 = port
        .trim()
        .parse()
        .map_err(|_| format!("invalid PORT {port:?}"))?;
    let address = SocketAddr::from(([127, 0, 0, 1], port));
    let timeout = Duration::from_secs(2);
    let mut stream =
        TcpStream::connect_timeout(&address, timeout).map_err(|e| format!("connect: {e}"))?;
    stream
        .set_read_timeout(Some(timeout))
        .map_err(|e| e.to_string())?;
    stream
        .write_all(b"GET /api/v1/health/ready HTTP/1.0\r\nHost: localhost\r\n\r\n")
        .map_err(|e| format!("send: {e}"))?;
    let mut head = [0u8; 12];
    stream
        .read_exact(&mut head)
        .map_err(|e| format!("read: {e}"))?;
    if head.starts_with(b"HTTP/1.") && &head[9..12] == b"200" {
        Ok(())
    } else {
        Err(format!("not ready: {}", String::from_utf8_lossy(&head)))
    }
}
