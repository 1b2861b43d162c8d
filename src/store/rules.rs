//! The worklist rules in force for this process — thresholds and business-day calendar — and
//! their one fingerprint. Every derived table computed with the rules (the stored worklist, the
//! Progress facts) stores this fingerprint in its freshness key, so a changed `worklist.toml`
//! rebuilds them all alike.

use crate::domain::calendar::Calendar;
use crate::domain::program::{Program, builtin_programs};
use crate::domain::worklist::Thresholds;

/// The thresholds, the calendar and their fingerprint: the defaults unless the user's
/// configuration set others at start-up ([`configure`]).
static RULES: std::sync::OnceLock<(Thresholds, Calendar, String)> = std::sync::OnceLock::new();

/// The defaults, when [`configure`] was never called.
static DEFAULT: std::sync::OnceLock<(Thresholds, Calendar, String)> = std::sync::OnceLock::new();

/// The programmes in force (built-in, or the region's set from [`configure_programs`]).
static PROGRAMS: std::sync::OnceLock<Vec<Program>> = std::sync::OnceLock::new();

/// Sets the programmes every enrolment and worklist of this process uses (the built-in ones
/// merged with the region's `programmes/` folder). Call once, before [`configure`] and before the
/// first register is opened; a second call is ignored.
pub fn configure_programs(programs: Vec<Program>) {
    let _ = PROGRAMS.set(programs);
}

/// The programmes in force: the built-in ones unless [`configure_programs`] set others.
pub fn programs() -> &'static [Program] {
    PROGRAMS.get_or_init(builtin_programs)
}

/// The programme with this id among those in force.
pub fn program(id: &str) -> Option<&'static Program> {
    programs().iter().find(|p| p.id == id)
}

/// A fingerprint of the programmes in force (their ids and definitions): a register whose
/// enrolments were made with other definitions is enrolled again (`store::enrol`).
pub fn programs_fingerprint() -> String {
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for p in programs() {
        for b in p.id.bytes().chain([0]).chain(p.source.bytes()).chain([0]) {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// Sets the thresholds (e.g. from the user's worklist.toml) and the calendar ("ru" or "none")
/// every worklist of this process uses. Call once, before the first worklist is read (a second
/// call is ignored); a stored worklist computed with other rules is rebuilt on its next read.
pub fn configure(thresholds: Thresholds, calendar: Calendar) {
    let fingerprint = fingerprint_of(&thresholds, &calendar);
    let _ = RULES.set((thresholds, calendar, fingerprint));
}

/// The rules in force: thresholds and calendar.
pub fn rules() -> (Thresholds, Calendar) {
    let (t, c) = rules_ref();
    (*t, c.clone())
}

/// The rules in force, borrowed (the daily refresh asks once per patient).
pub fn rules_ref() -> (&'static Thresholds, &'static Calendar) {
    let (t, c, _) = in_force();
    (t, c)
}

/// The fingerprint of the rules in force: the calendar's name and a hash of the thresholds.
pub fn fingerprint() -> &'static str {
    in_force().2.as_str()
}

fn in_force() -> &'static (Thresholds, Calendar, String) {
    RULES.get().unwrap_or_else(|| {
        DEFAULT.get_or_init(|| {
            let (t, c) = (Thresholds::default(), Calendar::russia());
            let f = fingerprint_of(&t, &c);
            (t, c, f)
        })
    })
}

fn fingerprint_of(thresholds: &Thresholds, calendar: &Calendar) -> String {
    // FNV-1a over the thresholds' JSON: stable across runs and platforms (std's hasher is not).
    let json = serde_json::to_string(thresholds).unwrap_or_default();
    let hash = json.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{}:{hash}:{}", calendar.name(), programs_fingerprint())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_thresholds_give_another_fingerprint() {
        let c = Calendar::russia();
        let mut t = Thresholds::default();
        let before = fingerprint_of(&t, &c);
        t.lace_high_risk += 1;
        assert_ne!(before, fingerprint_of(&t, &c));
        assert_eq!(before, fingerprint_of(&Thresholds::default(), &c));
    }
}
