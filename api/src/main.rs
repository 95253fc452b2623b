//! `shop-api [serve|migrate|seed [FILE]|openapi [FILE]]`

use std::process::ExitCode;

use diesel::{Connection, PgConnection};
use secrecy::ExposeSecret;
use shop_api::settings::Settings;
use shop_api::startup::Application;
use shop_api::{db, openapi, seed};

const USAGE: &str = "usage: shop-api [serve | migrate | seed [FILE] | openapi [FILE]]
  serve         run the HTTP API (the default)
  migrate       apply pending database migrations and exit
  seed [FILE]   load the demo catalog (or FILE) idempotently
  openapi [FILE] print the OpenAPI document (or write it to FILE)";

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let outcome = match args.as_slice() {
        [] | ["serve"] => serve(),
        ["migrate"] => migrate(),
        ["seed"] => seed_from(None),
        ["seed", file] => seed_from(Some(file)),
        ["openapi"] => {
            print!("{}", openapi::document_json());
            Ok(())
        }
        ["openapi", file] => std::fs::write(file, openapi::document_json())
            .map_err(|e| format!("cannot write {file}: {e}")),
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
    let mut conn = connect(&settings()?)?;
    db::migrate(&mut conn).map_err(|e| e.to_string())?;
    let json = match file {
        Some(path) => {
            std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?
        }
        None => seed::DEMO_CATALOG.to_owned(),
    };
    let report = seed::seed(&mut conn, &json).map_err(|e| e.to_string())?;
    println!(
        "seeded {} categories, {} products, {} variants (existing ones left unchanged)",
        report.categories, report.products, report.variants
    );
    Ok(())
}
