//! The command line, declared with clap. Every TUI screen has a twin here that prints the same
//! figures as a table, CSV or JSON.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// acodesk: the care coordinators' dashboard of an accountable-care pilot.
#[derive(Debug, Parser)]
#[command(name = "acodesk", version, about, long_about = None)]
pub struct Cli {
    /// The register (SQLite file). Default: register.db in the user's data directory.
    #[arg(long, global = true, env = "ACODESK_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Language: en or ru. Default: the config file, then LANG / LC_ALL, then English.
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<String>,
    /// Compute lists and figures as of this date (YYYY-MM-DD or DD.MM.YYYY) instead of today.
    #[arg(long, global = true, value_name = "DATE")]
    pub as_of: Option<String>,
    /// The configuration file. Default: config.toml in the user's config directory.
    #[arg(long, global = true, env = "ACODESK_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Read the register's passphrase from this open file descriptor (first line; `rekey` reads
    /// the new one from the second). Without it, an encrypted register asks on the terminal.
    #[arg(long, global = true, env = "ACODESK_PASSPHRASE_FD", value_name = "N")]
    pub passphrase_fd: Option<u32>,
    /// What to do; without a command, open the dashboard on the register.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Output formats of the listing commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// Aligned columns for the terminal.
    #[default]
    Table,
    /// CSV (opens in a spreadsheet; printable).
    Csv,
    /// JSON.
    Json,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the dashboard on the built-in sample pilot (created on first use).
    Demo,
    /// Write a deterministic sample pilot as CSV files in acodesk's import format.
    Sample(SampleArgs),
    /// Load data into the register.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Count the rows of every table and the patients enrolled in each programme.
    Stats {
        /// Only this programme's enrolment and patients (a programme's id; default: all).
        #[arg(long)]
        program: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// The follow-up worklist, as the Worklist tab shows it.
    Worklist(WorklistArgs),
    /// Log a follow-up call.
    Call(CallArgs),
    /// Assign a patient, or every unassigned patient of a site, to a nurse (managers).
    Assign(AssignArgs),
    /// Show a patient's card.
    Patient {
        /// The patient's register id.
        id: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// 30-day readmissions by the published rule.
    Readmissions(ReadmissionsArgs),
    /// Savings versus budget, or reconcile contracts from a file.
    Finance(FinanceArgs),
    /// Quality indicators by site or nurse.
    Progress(ProgressArgs),
    /// The catalogue of measures: every figure's label, population, numerator, denominator,
    /// window and source (a manager's glossary).
    Measures {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Write the printable pilot-progress report: one self-contained HTML file (and CSV tables).
    Report(ReportArgs),
    /// The audit trail: who viewed which card, who logged, corrected or assigned, who imported,
    /// backed up or restored (UTC times).
    Audit(AuditArgs),
    /// Copy the register to a new owner-only FILE; safe while the dashboard is open.
    Backup {
        /// The backup file to create (never overwritten).
        file: PathBuf,
    },
    /// Create a new, empty register at --db.
    Init {
        /// Encrypt it (SQLCipher): the passphrase is asked twice, or read from --passphrase-fd.
        #[arg(long)]
        encrypt: bool,
    },
    /// Encrypt a plaintext register in place (every row checked before it replaces the file).
    Encrypt,
    /// Change an encrypted register's passphrase.
    Rekey,
    /// Turn an encrypted register back into plain SQLite.
    Decrypt,
    /// Replace the register with a checked backup; close the dashboard first. The current register
    /// is kept as <db>.before-restore.
    Restore {
        /// The backup file.
        file: PathBuf,
    },
    /// Offline sync between the hub and the nurses' laptops: by bundle file, or over SSH with
    /// `--via ssh user@hub`.
    Sync(SyncArgs),
    /// Change a patient's phone number (the old one is kept in the history).
    Phone(PhoneArgs),
    /// Mark a patient as in hospice or palliative care, or clear the mark (managers): the patient
    /// leaves the denominators of CMS122 and CMS165 from that date; each change is kept in the
    /// history.
    Palliative(PalliativeArgs),
}

/// `acodesk palliative`.
#[derive(Debug, Args)]
pub struct PalliativeArgs {
    /// The patient's register id.
    pub patient: String,
    /// The date hospice or palliative care began (default: today, or --as-of).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Remove the mark.
    #[arg(long, conflicts_with = "since")]
    pub clear: bool,
}

/// `acodesk sync`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SyncArgs {
    /// What to do; without one, exchange with the hub over `--via`.
    #[command(subcommand)]
    pub command: Option<SyncCommand>,
    /// The command that reaches the hub, e.g. `--via ssh user@hub` (quote options:
    /// `--via "ssh -p 2222 user@hub"`); the hub's side runs `acodesk sync serve`.
    #[arg(long, num_args = 1.., value_name = "COMMAND")]
    pub via: Vec<String>,
    /// The acodesk command on the hub, e.g. "acodesk --db /srv/pilot/register.db".
    #[arg(long, value_name = "COMMAND", default_value = "acodesk")]
    pub remote: String,
}

/// The `acodesk sync` subcommands.
#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Make this register the hub every device exchanges with.
    Init {
        /// This register is the hub.
        #[arg(long, required = true)]
        hub: bool,
    },
    /// On the hub: write a copy of the register for a new device (a nurse's laptop) and register it.
    AddDevice {
        /// A name for the device, e.g. the polyclinic or the nurse.
        #[arg(long)]
        name: String,
        /// The file to write (encrypted with the passphrase asked for, or read from
        /// --join-passphrase-fd).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// The device holds only the patients of these sites (organization ids, comma-separated):
        /// registered at, or with an appointment at, one of them.
        #[arg(long, value_name = "S1,S2")]
        sites: Option<String>,
        /// The device holds only the patients assigned to this nurse (a staff id), besides its
        /// sites' patients.
        #[arg(long, value_name = "STAFF_ID")]
        nurse: Option<String>,
        /// Read the join file's passphrase from this file descriptor (its first line) instead of
        /// asking on the terminal.
        #[arg(long, env = "ACODESK_JOIN_PASSPHRASE_FD", value_name = "N")]
        join_passphrase_fd: Option<u32>,
    },
    /// On the hub: change which patients a device holds (its sites and/or nurse); patients
    /// entering the scope arrive at its next sync, patients leaving it are removed from it.
    #[command(group(clap::ArgGroup::new("scope").required(true).multiple(true).args(["sites", "nurse"])))]
    Scope {
        /// The device (id or name).
        #[arg(long)]
        device: String,
        /// Its sites (organization ids, comma-separated).
        #[arg(long, value_name = "S1,S2")]
        sites: Option<String>,
        /// Its nurse (a staff id).
        #[arg(long, value_name = "STAFF_ID")]
        nurse: Option<String>,
    },
    /// On a nurse's laptop: install the file `add-device` wrote as this laptop's register.
    Join {
        /// The file written by `acodesk sync add-device` on the hub.
        file: PathBuf,
        /// Read the join file's passphrase from this file descriptor (its first line) instead of
        /// asking on the terminal.
        #[arg(long, env = "ACODESK_JOIN_PASSPHRASE_FD", value_name = "N")]
        join_passphrase_fd: Option<u32>,
    },
    /// Write a bundle of everything the other side has not acknowledged.
    Export {
        /// The bundle file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// On the hub: the device it is for (id or name; not needed with one device).
        #[arg(long)]
        device: Option<String>,
    },
    /// Apply a bundle from the other side, in one transaction.
    Apply {
        /// The bundle file.
        file: PathBuf,
    },
    /// This register's role, its peers, the last sync and the changes not yet sent.
    Status {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// The hub's side of `acodesk sync --via`: the sync exchange on standard input and output.
    Serve,
}

/// `acodesk phone`.
#[derive(Debug, Args)]
pub struct PhoneArgs {
    /// The patient's register id.
    pub patient: String,
    /// The new number (leave out with --clear).
    #[arg(required_unless_present = "clear")]
    pub number: Option<String>,
    /// Change the second number instead of the main one.
    #[arg(long)]
    pub second: bool,
    /// Remove the number.
    #[arg(long, conflicts_with = "number")]
    pub clear: bool,
}

/// `acodesk audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only entries about this patient (register id).
    #[arg(long)]
    pub patient: Option<String>,
    /// Only entries by this user.
    #[arg(long)]
    pub user: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `acodesk report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// First day of the indicator period (default: 12 months before --to).
    #[arg(long)]
    pub from: Option<String>,
    /// Last day of the period (default: the as-of date).
    #[arg(long)]
    pub to: Option<String>,
    /// The HTML file to write.
    #[arg(long, value_name = "FILE.html")]
    pub out: PathBuf,
    /// Also write every table as CSV into this folder (with --lang ru: `;`, decimal comma, Russian headers).
    #[arg(long, value_name = "DIR")]
    pub csv: Option<PathBuf>,
    /// Also write every table into this Excel workbook, one sheet per table, numbers as numbers.
    #[arg(long, value_name = "FILE.xlsx")]
    pub xlsx: Option<PathBuf>,
}

/// `acodesk sample`.
#[derive(Debug, Args)]
pub struct SampleArgs {
    /// Number of patients.
    #[arg(long, default_value_t = crate::sample::DEFAULT_PATIENTS)]
    pub patients: usize,
    /// Random seed: the same seed, count and date give byte-identical files.
    #[arg(long, default_value_t = crate::sample::DEFAULT_SEED)]
    pub seed: u64,
    /// The folder to write.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// `acodesk import …`.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A folder of acodesk CSV files (see the README for the format).
    Csv {
        /// The folder.
        dir: PathBuf,
        /// Import the good rows and write each bad one to FILE.rejects.csv instead of refusing.
        #[arg(long)]
        skip_bad_rows: bool,
    },
    /// FHIR R4: Bundle JSON files, Bulk-FHIR NDJSON files, or folders of them.
    Fhir {
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Import the good resources and write each bad one to FILE.rejects.ndjson instead of refusing.
        #[arg(long)]
        skip_bad_rows: bool,
    },
    /// A Synthea CSV export (patients.csv, encounters.csv, conditions.csv, observations.csv, …).
    Synthea {
        /// The export folder.
        dir: PathBuf,
        /// Import the good rows and write each bad one to FILE.rejects.csv instead of refusing.
        #[arg(long)]
        skip_bad_rows: bool,
    },
}

/// `acodesk worklist`.
#[derive(Debug, Args)]
pub struct WorklistArgs {
    /// Only patients enrolled in this programme (its id, e.g. `hypertension`; default: all).
    #[arg(long)]
    pub program: Option<String>,
    /// Only this nurse's patients (staff id).
    #[arg(long)]
    pub nurse: Option<String>,
    /// Only this site's patients (organization id).
    #[arg(long)]
    pub site: Option<String>,
    /// Only entries with this reason (post_discharge, missed_visit, hba1c_overdue, poor_control,
    /// bp_urgent, call_back, readmission_risk, bp_not_measured, after_emergency, tcm_visit,
    /// kidney_check).
    #[arg(long)]
    pub reason: Option<String>,
    /// Only patients with a phone.
    #[arg(long)]
    pub has_phone: bool,
    /// The section of the worklist: to_call (the default), agreed_visit, call_back, another_way
    /// or removed.
    #[arg(long, default_value = "to_call")]
    pub section: String,
    /// Write the list as a printable call sheet (HTML) and a CSV of the same rows into DIR
    /// (timestamped names, never overwriting) instead of printing it.
    #[arg(long, value_name = "DIR")]
    pub call_sheet: Option<PathBuf>,
    /// With --call-sheet: the "no visit in 12 months" list instead of a section.
    #[arg(long, requires = "call_sheet")]
    pub lost: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `acodesk call`.
#[derive(Debug, Args)]
pub struct CallArgs {
    /// The patient's register id.
    pub patient: String,
    /// agreed_visit, call_back, refused, no_answer, invalid_number, already_visited, moved, died.
    #[arg(long)]
    pub outcome: String,
    /// A note (any script).
    #[arg(long, default_value = "")]
    pub note: String,
    /// The agreed visit or call-back date (default: the outcome's usual interval).
    #[arg(long)]
    pub next: Option<String>,
    /// The id of an earlier call this one corrects (the earlier entry is kept, marked superseded).
    #[arg(long, value_name = "CALL_ID")]
    pub corrects: Option<String>,
}

/// `acodesk assign`.
#[derive(Debug, Args)]
pub struct AssignArgs {
    /// The patient to assign (omit with --site).
    #[arg(required_unless_present = "site", conflicts_with = "site")]
    pub patient: Option<String>,
    /// Assign the site's active patients instead of one.
    #[arg(long)]
    pub site: Option<String>,
    /// With --site: reassign patients who already have a nurse too (default: only the unassigned).
    #[arg(long, requires = "site")]
    pub all: bool,
    /// The nurse's staff id.
    #[arg(long)]
    pub nurse: String,
}

/// `acodesk readmissions`.
#[derive(Debug, Args)]
pub struct ReadmissionsArgs {
    /// A programme's id (its enrolled patients), or `all` (every patient in the register);
    /// default: the patients enrolled in any programme.
    #[arg(long)]
    pub program: Option<String>,
    /// First index discharge date (default: 12 months before --to).
    #[arg(long)]
    pub from: Option<String>,
    /// Last index discharge date (default: 30 days before as-of).
    #[arg(long)]
    pub to: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `acodesk finance`.
#[derive(Debug, Args)]
pub struct FinanceArgs {
    /// Reconcile contracts from a CSV file instead of projecting this register.
    #[command(subcommand)]
    pub command: Option<FinanceCommand>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// The year's benchmark total, for a contract whose benchmark the register cannot compute
    /// (the MSSP presets: CMS publishes the updated benchmark).
    #[arg(long, value_name = "AMOUNT")]
    pub benchmark_total: Option<String>,
    /// The quality score the payer reported for the year (a fraction 0–1, e.g. 0.92): scales
    /// the sharing rate; before the contract's own `[quality] reported_score`.
    #[arg(long, value_name = "SCORE")]
    pub quality_score: Option<String>,
    /// A hypothetical change of spend from the as-of month to the year end, e.g.
    /// `--what-if inpatient=0.95` (repeatable).
    #[arg(long = "what-if", value_name = "CATEGORY=FACTOR")]
    pub what_if: Vec<String>,
    /// The first month (1–12) the what-if acts on; never before the as-of month.
    #[arg(long, value_name = "MONTH", value_parser = clap::value_parser!(u32).range(1..=12))]
    pub what_if_from: Option<u32>,
}

/// `acodesk finance reconcile`.
#[derive(Debug, Subcommand)]
pub enum FinanceCommand {
    /// Reconcile many contracts at once by the shared-savings rules.
    Reconcile {
        /// The input CSV (see the README for its columns).
        #[arg(long)]
        input: PathBuf,
        /// Output format: csv or json.
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
    },
    /// Show the pilot's active contract (TOML), or make a preset or an edited file the active one.
    Contract {
        /// A preset id (mssp-2018-track-1, mssp-2018-track-2, mssp-2018-track-3,
        /// mssp-2018-track-1-plus, regional-pilot) or the path of a contract TOML file.
        #[arg(long = "use", value_name = "PRESET|FILE")]
        use_contract: Option<String>,
        /// Show the Budget figures under the active contract and under this one; change nothing.
        #[arg(long, requires = "use_contract")]
        dry_run: bool,
        /// Accept a value outside its plausible range deliberately (a malformed file is still refused).
        #[arg(long, requires = "use_contract")]
        force: bool,
    },
}

/// `acodesk progress`.
#[derive(Debug, Args)]
pub struct ProgressArgs {
    /// Group by site, by nurse, or by month (the indicators at each of the last 12 month ends).
    #[arg(long, value_enum, default_value_t = GroupBy::Site)]
    pub by: GroupBy,
    /// Only the patients assigned to this site (its id).
    #[arg(long)]
    pub site: Option<String>,
    /// Only the patients assigned to this nurse (their id).
    #[arg(long)]
    pub nurse: Option<String>,
    /// The month to show (YYYY-MM; default: the as-of month), as it stood on its last day.
    #[arg(long)]
    pub month: Option<String>,
    /// The programme whose HEARTS figures to show (an id of the register's programmes);
    /// without it, every programme's.
    #[arg(long)]
    pub program: Option<String>,
    /// Output format (CSV and JSON carry every numerator and denominator).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// How `progress` groups patients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupBy {
    /// By assigned site.
    Site,
    /// By assigned nurse.
    Nurse,
    /// By month: the rolling year ending at each of the last 12 month ends.
    Month,
}
