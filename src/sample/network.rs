//! The sample pilot's provider network: one regional hospital, six polyclinics, a diagnostic centre,
//! eight nurses and two managers. ORG-PC5 (a remote district hospital) is the site falling behind.

use crate::domain::types::{OrgKind, StaffRole};
use crate::store::records::{OrganizationRow, StaffRow};

/// The region every organization belongs to.
pub(super) const REGION: &str = "Северная область";
/// The regional hospital: emergency departments and most inpatient stays.
pub(super) const HOSPITAL: &str = "ORG-HOSP";
/// The diagnostic centre that runs most HbA1c tests.
pub(super) const DIAGNOSTIC: &str = "ORG-DIAG";

/// A polyclinic with its catchment area and nurses.
pub(super) struct Site {
    /// Organization id, `ORG-PC1`…
    pub id: &'static str,
    /// Name as shown in the dashboard.
    pub name: &'static str,
    /// The town the polyclinic is in, as a locality (`г. Северогорск`).
    pub town: &'static str,
    /// Villages of the catchment area.
    pub villages: &'static [&'static str],
    /// Share of the town (the rest live in the villages), in percent.
    pub town_share: u32,
    /// Relative size of the enrolled population.
    pub weight: u32,
    /// The nurses based here.
    pub nurses: &'static [&'static str],
    /// A district hospital with its own beds: admits some of its patients and transfers to ORG-HOSP.
    pub district_hospital: bool,
    /// The under-performing site: worse control, fewer tests, more patients lost to follow-up.
    pub lagging: bool,
}

/// The six polyclinics.
pub(super) const SITES: &[Site] = &[
    Site {
        id: "ORG-PC1",
        name: "Городская поликлиника № 1",
        town: "г. Северогорск",
        villages: &["пос. Заречный", "д. Малиновка"],
        town_share: 90,
        weight: 24,
        nurses: &["N01", "N02"],
        district_hospital: false,
        lagging: false,
    },
    Site {
        id: "ORG-PC2",
        name: "Городская поликлиника № 2",
        town: "г. Северогорск",
        villages: &["пос. Сосновый Бор", "д. Ивановка"],
        town_share: 90,
        weight: 22,
        nurses: &["N03", "N04"],
        district_hospital: false,
        lagging: false,
    },
    Site {
        id: "ORG-PC3",
        name: "Городская поликлиника № 3, г. Заозёрск",
        town: "г. Заозёрск",
        villages: &["д. Озерки", "с. Покровское"],
        town_share: 80,
        weight: 16,
        nurses: &["N05"],
        district_hospital: false,
        lagging: false,
    },
    Site {
        id: "ORG-PC4",
        name: "Центральная районная больница, пос. Берёзовый",
        town: "пос. Берёзовый",
        villages: &["д. Липовка", "д. Горки", "с. Никольское"],
        town_share: 55,
        weight: 13,
        nurses: &["N06"],
        district_hospital: true,
        lagging: false,
    },
    Site {
        id: "ORG-PC5",
        name: "Центральная районная больница, с. Кедровое",
        town: "с. Кедровое",
        villages: &["д. Ёлкино", "д. Сосновка", "пос. Таёжный"],
        town_share: 50,
        weight: 13,
        nurses: &["N07"],
        district_hospital: true,
        lagging: true,
    },
    Site {
        id: "ORG-PC6",
        name: "Поликлиника Лесогорской городской больницы",
        town: "г. Лесогорск",
        villages: &["пос. Лесной", "д. Каменка"],
        town_share: 75,
        weight: 12,
        nurses: &["N08"],
        district_hospital: false,
        lagging: false,
    },
];

/// Relative site sizes, in the order of [`SITES`].
pub(super) fn site_weights() -> Vec<u32> {
    SITES.iter().map(|s| s.weight).collect()
}

/// The organizations file: the hospital, the polyclinics and the diagnostic centre.
pub(super) fn organizations() -> Vec<OrganizationRow> {
    let org = |id: &str, name: &str, kind: OrgKind| OrganizationRow {
        id: id.to_string(),
        name: name.to_string(),
        kind,
        region: REGION.to_string(),
    };
    let mut rows = vec![org(
        HOSPITAL,
        "Областная клиническая больница",
        OrgKind::Hospital,
    )];
    rows.extend(SITES.iter().map(|s| org(s.id, s.name, OrgKind::Polyclinic)));
    rows.push(org(
        DIAGNOSTIC,
        "Областной диагностический центр",
        OrgKind::Diagnostic,
    ));
    rows
}

/// Nurses (id, full name, home site) and managers.
const STAFF: &[(&str, &str, StaffRole, Option<&str>)] = &[
    (
        "N01",
        "Иванова Мария Петровна",
        StaffRole::Nurse,
        Some("ORG-PC1"),
    ),
    (
        "N02",
        "Соколова Елена Викторовна",
        StaffRole::Nurse,
        Some("ORG-PC1"),
    ),
    (
        "N03",
        "Кузнецова Ольга Николаевна",
        StaffRole::Nurse,
        Some("ORG-PC2"),
    ),
    (
        "N04",
        "Фёдорова Алёна Сергеевна",
        StaffRole::Nurse,
        Some("ORG-PC2"),
    ),
    (
        "N05",
        "Морозова Татьяна Александровна",
        StaffRole::Nurse,
        Some("ORG-PC3"),
    ),
    (
        "N06",
        "Васильева Наталья Игоревна",
        StaffRole::Nurse,
        Some("ORG-PC4"),
    ),
    (
        "N07",
        "Лебедева Светлана Юрьевна",
        StaffRole::Nurse,
        Some("ORG-PC5"),
    ),
    (
        "N08",
        "Семёнова Анна Дмитриевна",
        StaffRole::Nurse,
        Some("ORG-PC6"),
    ),
    ("M01", "Орлов Андрей Владимирович", StaffRole::Manager, None),
    ("M02", "Егорова Ирина Васильевна", StaffRole::Manager, None),
];

/// The staff file.
pub(super) fn staff() -> Vec<StaffRow> {
    STAFF
        .iter()
        .map(|(id, name, role, site)| StaffRow {
            id: (*id).to_string(),
            name: (*name).to_string(),
            role: *role,
            site_id: site.map(str::to_string),
        })
        .collect()
}
