//! Utilisation beside money, as CMS's ACO reports show it (the Shared Savings Program's public
//! ACO results list admissions, emergency visits and so on per 1,000 person-years beside spend per
//! person-year): admissions, emergency visits, bed-days and outpatient visits per 1,000
//! person-years, and spend per person-year by category, for each site and for the network.

use crate::domain::money::Money;
use crate::domain::types::ClaimCategory;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One site's (or the network's) use of care over the performance year so far.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SiteUse {
    /// The site's name (empty for the network's total).
    pub site: String,
    /// Person-years of enrolment so far (the as-of month pro rata).
    pub person_years: f64,
    /// Inpatient admissions (stays starting in the period).
    pub admissions: u64,
    /// Emergency visits.
    pub emergency_visits: u64,
    /// Bed-days of the stays starting in the period (discharge − admission, at least 1).
    pub bed_days: u64,
    /// Outpatient, home and virtual visits.
    pub outpatient_visits: u64,
    /// Day-hospital stays (дневной стационар): counted apart, neither admissions nor visits.
    #[serde(default)]
    pub day_hospital_stays: u64,
    /// Claims paid by category (received by the as-of date).
    pub spend: BTreeMap<ClaimCategory, Money>,
    /// The same claims by who pays them: `oms`, `llo` ([`crate::domain::types::Funding`]) or
    /// [`UNSTATED_FUNDING`] when the source does not say.
    #[serde(default)]
    pub spend_by_funding: BTreeMap<String, Money>,
}

/// The key of [`SiteUse::spend_by_funding`] for lines whose source does not name the payer.
pub const UNSTATED_FUNDING: &str = "unstated";

impl SiteUse {
    /// `count` per 1,000 person-years (0 with no person-years).
    pub fn per_thousand(&self, count: u64) -> f64 {
        if self.person_years > 0.0 {
            count as f64 / self.person_years * 1000.0
        } else {
            0.0
        }
    }

    /// Spend per person-year in a category, or in all when `None`.
    pub fn spend_per_person_year(&self, category: Option<ClaimCategory>) -> Money {
        let total: Money = match category {
            Some(c) => self.spend.get(&c).copied().unwrap_or(Money::ZERO),
            None => self.spend.values().copied().sum(),
        };
        if self.person_years > 0.0 {
            Money::from_f64_rounded(total.as_f64() / self.person_years)
        } else {
            Money::ZERO
        }
    }

    /// Adds another site's counts into this one.
    pub fn add(&mut self, other: &SiteUse) {
        self.person_years += other.person_years;
        self.admissions += other.admissions;
        self.emergency_visits += other.emergency_visits;
        self.bed_days += other.bed_days;
        self.outpatient_visits += other.outpatient_visits;
        self.day_hospital_stays += other.day_hospital_stays;
        for (c, m) in &other.spend {
            *self.spend.entry(*c).or_insert(Money::ZERO) += *m;
        }
        for (f, m) in &other.spend_by_funding {
            *self
                .spend_by_funding
                .entry(f.clone())
                .or_insert(Money::ZERO) += *m;
        }
    }
}

/// Utilisation by site and for the network.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Utilisation {
    /// Each site, by name.
    pub by_site: Vec<SiteUse>,
    /// The network (the sum of the sites).
    pub total: SiteUse,
}

impl Utilisation {
    /// The network's figures as the sum of `sites`.
    pub fn of(by_site: Vec<SiteUse>) -> Utilisation {
        let mut total = SiteUse::default();
        for s in &by_site {
            total.add(s);
        }
        Utilisation { by_site, total }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_per_thousand_person_years_and_spend_per_person_year() {
        let a = SiteUse {
            site: "A".into(),
            person_years: 500.0,
            admissions: 100,
            emergency_visits: 50,
            bed_days: 800,
            outpatient_visits: 4_000,
            spend: BTreeMap::from([(ClaimCategory::Inpatient, Money::from_major(10_000_000))]),
            day_hospital_stays: 30,
            spend_by_funding: BTreeMap::from([("oms".into(), Money::from_major(10_000_000))]),
        };
        let b = SiteUse {
            site: "B".into(),
            person_years: 1_500.0,
            admissions: 100,
            spend: BTreeMap::from([(ClaimCategory::Drugs, Money::from_major(3_000_000))]),
            spend_by_funding: BTreeMap::from([("llo".into(), Money::from_major(3_000_000))]),
            ..SiteUse::default()
        };
        assert_eq!(a.per_thousand(a.admissions), 200.0);
        assert_eq!(a.per_thousand(a.bed_days), 1_600.0);
        assert_eq!(
            a.spend_per_person_year(Some(ClaimCategory::Inpatient)),
            Money::from_major(20_000)
        );
        let u = Utilisation::of(vec![a, b]);
        assert_eq!(u.total.per_thousand(u.total.admissions), 100.0);
        assert_eq!(
            u.total.spend_per_person_year(None),
            Money::from_major(6_500)
        );
        assert_eq!(SiteUse::default().per_thousand(3), 0.0);
        // Day-hospital stays add up apart from admissions; who pays adds up by payer.
        assert_eq!(u.total.day_hospital_stays, 30);
        assert_eq!(u.total.per_thousand(u.total.day_hospital_stays), 15.0);
        assert_eq!(
            u.total.spend_by_funding,
            BTreeMap::from([
                ("llo".into(), Money::from_major(3_000_000)),
                ("oms".into(), Money::from_major(10_000_000)),
            ])
        );
    }
}
