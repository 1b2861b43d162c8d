//! The command line: parsing (args.rs), dispatch (here), and one module per command family.

/// `println!` that returns the write's error instead of panicking: when the reader of the output
/// goes away (`acodesk import csv … | head`), the command ends quietly (main treats a broken
/// pipe as success) instead of printing a panic and a backtrace.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}

/// `print!` that returns the write's error (see [`outln!`]).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($arg)*)
    }};
}

pub mod args;
mod card_rows;
mod commands;
pub mod demo;
mod encryption;
mod finance;
mod finance_batch;
pub mod output;
mod palliative;
mod phone;
mod safety;

pub use safety::{disk_full_sentence, is_disk_full, one_line};
mod sync;

use crate::config::Config;
use crate::domain::clock::{Clock, ClockKind};
use crate::domain::dates::parse_date;
use crate::i18n::{I18n, Lang};
use args::{Cli, Command};
use chrono::NaiveDate;
use color_eyre::eyre::{Result, eyre};
use std::path::PathBuf;

/// What every command needs: the register path, the configuration, the language, the date.
pub struct Session {
    /// The register's path.
    pub db: PathBuf,
    /// The user's configuration.
    pub config: Config,
    /// The folder of the configuration file in use (`--config`, `ACODESK_CONFIG` or the default):
    /// `keymap.toml` and `worklist.toml` are read from beside it.
    pub config_dir: PathBuf,
    /// Strings and formatting.
    pub i18n: I18n,
    /// `--as-of`, if given.
    pub as_of_flag: Option<NaiveDate>,
}

impl Session {
    /// The date figures are computed for: `--as-of`, else the register's fixed clock (demo), else today.
    pub fn clock(&self, store: &crate::store::Store) -> Clock {
        if let Some(as_of) = self.as_of_flag {
            return Clock {
                as_of,
                kind: ClockKind::Historical,
            };
        }
        if let Some(as_of) = store
            .meta("clock_as_of")
            .ok()
            .flatten()
            .and_then(|t| parse_date(&t).ok())
        {
            return Clock {
                as_of,
                kind: ClockKind::Fixed,
            };
        }
        Clock::today(chrono::Local::now().date_naive())
    }
}

/// Parses the command line and runs it.
pub fn run(cli: Cli) -> Result<()> {
    let config_path = cli.config.clone().unwrap_or_else(Config::default_path);
    // A bad config file is reported in the language of `--lang` or the environment.
    crate::i18n::set_process_lang(Lang::choose(cli.lang.as_deref(), None));
    let config = Config::load(&config_path).map_err(|e| eyre!(e))?;
    let lang = Lang::choose(cli.lang.as_deref(), config.language.as_deref());
    crate::i18n::set_process_lang(lang);
    let mut i18n = I18n::new(lang);
    if config.date_style.as_deref() == Some("ru") {
        i18n.fmt.date_style = crate::i18n::DateStyle::Russian;
    }
    let config_dir = config_path
        .parent()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    configure_worklist(&config, &config_dir)?;
    let as_of_flag = match &cli.as_of {
        Some(text) => Some(
            parse_date(text)
                .map_err(|_| eyre!("--as-of: {}", crate::import::csv_file::date_problem(text)))?,
        ),
        None => None,
    };
    let is_demo = matches!(cli.command, Some(Command::Demo));
    let db = cli.db.clone().unwrap_or_else(|| {
        if is_demo {
            crate::paths::demo_db()
        } else {
            crate::paths::default_db()
        }
    });
    // The passphrase is in place before anything opens the register (the dashboard asks for it
    // before it takes over the screen).
    encryption::setup(cli.passphrase_fd)?;
    let session = Session {
        db,
        config,
        config_dir,
        i18n,
        as_of_flag,
    };
    match cli.command {
        None => commands::open_tui(session),
        Some(Command::Demo) => demo::run(session),
        Some(Command::Sample(a)) => commands::sample(&session, a),
        Some(Command::Import(c)) => {
            sync::refuse_import_on_device(&session)?;
            commands::import(&session, c)
        }
        Some(Command::Stats { program, format }) => commands::stats(&session, program, format),
        Some(Command::Worklist(a)) => commands::worklist(&session, a),
        Some(Command::Call(a)) => commands::call(&session, a),
        Some(Command::Assign(a)) => commands::assign(&session, a),
        Some(Command::Patient { id, format }) => commands::patient(&session, &id, format),
        Some(Command::Readmissions(a)) => commands::readmissions(&session, a),
        Some(Command::Finance(a)) => commands::finance(&session, a),
        Some(Command::Progress(a)) => commands::progress(&session, a),
        Some(Command::Measures { format }) => commands::measures(&session, format),
        Some(Command::Report(a)) => commands::report(&session, a),
        Some(Command::Audit(a)) => safety::audit(&session, a),
        Some(Command::Backup { file }) => safety::backup(&session, &file),
        Some(Command::Restore { file }) => safety::restore(&session, &file),
        Some(Command::Sync(a)) => sync::run(&session, a),
        Some(Command::Phone(a)) => phone::run(&session, a),
        Some(Command::Palliative(a)) => palliative::run(&session, a),
        Some(Command::Init { encrypt }) => encryption::init(&session, encrypt),
        Some(Command::Encrypt) => encryption::encrypt(&session),
        Some(Command::Rekey) => encryption::rekey(&session),
        Some(Command::Decrypt) => encryption::decrypt(&session),
    }
}

/// Applies the user's worklist rules: `worklist.toml` beside `config.toml` (thresholds; any key
/// left out keeps its default) and the `calendar` key of the configuration.
fn configure_worklist(config: &Config, config_dir: &std::path::Path) -> Result<()> {
    use crate::domain::calendar::Calendar;
    use crate::domain::worklist::Thresholds;
    let path = config_dir.join("worklist.toml");
    let thresholds = match crate::config::read_optional(&path).map_err(|e| eyre!("{e}"))? {
        Some(text) => {
            Thresholds::from_toml_str(&text).map_err(|e| eyre!("{}: {e}", path.display()))?
        }
        None => Thresholds::default(),
    };
    let calendar = match config.calendar.as_deref() {
        None => Calendar::russia(),
        Some(code) => Calendar::builtin(code).ok_or_else(|| {
            eyre!(
                "{}",
                crate::i18n::msg("config-bad-calendar", &[("value", code.into())])
            )
        })?,
    };
    crate::store::rules::configure_programs(load_programs(config_dir)?);
    crate::store::worklist_index::configure(thresholds, calendar);
    Ok(())
}

/// The programmes in force: the built-in definitions, each replaced by a file of the
/// `programmes/` folder beside `config.toml` with the same id, and that folder's other files added
/// (in file-name order). A missing folder is no change; a file that does not parse stops the
/// program with one sentence naming it, its line and column.
pub fn load_programs(config_dir: &std::path::Path) -> Result<Vec<crate::domain::program::Program>> {
    use crate::domain::program::{Program, builtin_programs, merge_programs};
    let dir = config_dir.join("programmes");
    let mut files: Vec<std::path::PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            return Err(eyre!(
                "{}",
                crate::i18n::msg(
                    "config-cannot-read",
                    &[
                        ("path", dir.display().to_string().as_str().into()),
                        ("error", e.to_string().as_str().into()),
                    ],
                )
            ));
        }
    };
    files.sort();
    let mut region = Vec::new();
    for path in files {
        let Some(text) = crate::config::read_optional(&path).map_err(|e| eyre!("{e}"))? else {
            continue;
        };
        let program = Program::parse(&text, &path.display().to_string()).map_err(|e| {
            let (line, column) = e.at.unwrap_or((0, 0));
            let key = if e.at.is_some() {
                "programme-file-error-at"
            } else {
                "programme-file-error"
            };
            eyre!(
                "{}",
                crate::i18n::msg(
                    key,
                    &[
                        ("file", e.file.as_str().into()),
                        ("line", line.into()),
                        ("column", column.into()),
                        ("reason", e.message.as_str().into()),
                    ],
                )
            )
        })?;
        region.push(program);
    }
    Ok(merge_programs(builtin_programs(), region))
}
