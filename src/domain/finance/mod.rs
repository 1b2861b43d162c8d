//! Shared-savings contract maths, pure: the contract terms, the year-end reconciliation and the
//! Budget tab's projection.
//!
//! The rules follow the Medicare Shared Savings Program as in force for performance year 2018
//! (42 CFR 425.604 one-sided, 425.606 Track 2, 425.610 Track 3, and the Track 1+ model), which the
//! regional pilot's contract is modelled on. Money stays in integer cents ([`Money`]); rates are
//! f64 fractions; an earned amount is rounded to the cent once, at the end.
//!
//! [`Money`]: crate::domain::money::Money

pub mod benchmark;
pub mod cells;
pub mod contract;
pub mod contract_error;
mod contract_toml;
pub mod lag;
pub mod msr;
pub mod payout;
pub mod plausible;
pub mod projection;
pub mod reconcile;
mod toml_section;
pub mod utilisation;

pub use contract::{
    BaselineBenchmark, BenchmarkRule, ClaimsTerms, Contract, ContractError, ContractProblem,
    LossRateRule, LossTerms, MsrRule, QualityGate, benchmark_total, preset_ids, preset_source,
};
pub use msr::{MsrLookup, variable_msr};
pub use projection::{MonthActuals, Projection, ProjectionInput, WhatIf, project};
pub use reconcile::{ReconcileInput, Reconciliation, reconcile, round_cents};
