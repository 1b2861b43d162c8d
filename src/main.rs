//! The acodesk binary: parse the command line, install error reporting, run.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Error reports and panics restore the terminal (ratatui::init chains its hook after this one).
    let _ = color_eyre::config::HookBuilder::default()
        .display_env_section(false)
        .install();
    let _log_guard = acodesk::logging::init();
    let cli = acodesk::cli::args::Cli::parse();
    let (db, demo) = (
        cli.db.clone(),
        matches!(cli.command, Some(acodesk::cli::args::Command::Demo)),
    );
    match acodesk::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stopped reading (`acodesk worklist | head`) is not an error.
        Err(report)
            if report.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(report) => {
            tracing::error!(error = ?report, "command failed");
            if acodesk::cli::is_disk_full(&report) {
                eprintln!("acodesk: {}", acodesk::cli::disk_full_sentence(db, demo));
                return ExitCode::FAILURE;
            }
            // One clear sentence for the user; the chain goes to the log file.
            let mut message = report.to_string();
            if let Some(cause) = report.chain().nth(1) {
                if !message.contains(&cause.to_string()) {
                    message = format!("{message}: {cause}");
                }
            }
            eprintln!("acodesk: {}", acodesk::cli::one_line(&message));
            ExitCode::FAILURE
        }
    }
}
