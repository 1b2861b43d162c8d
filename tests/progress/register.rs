//! The figures of a hand-built register of six patients.

use super::*;

/// Six patients and their events, as of 2026-11-20.
fn tiny_register() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("r.db")).unwrap();
    store
        .conn()
        .execute_batch(
            "INSERT INTO organizations (id, name, kind) VALUES
                ('PC1', 'Поликлиника 1', 'polyclinic'), ('PC2', 'Поликлиника 2', 'polyclinic'),
                ('H1', 'Больница', 'hospital');
             INSERT INTO staff (id, name, role, site_id) VALUES
                ('N1', 'Иванова', 'nurse', 'PC1'), ('N2', 'Петрова', 'nurse', 'PC2');
             INSERT INTO programs (id, name, definition_toml) VALUES ('diabetes', 'Диабет', '');
             INSERT INTO patients (id, family_name, given_name, sex, birth_date, phone, site_id, nurse_id, status, moved_on) VALUES
                ('P1', 'Один', 'А', 'F', '2008-11-20', '+7 900 000-00-01', 'PC1', 'N1', 'active', NULL),
                ('P2', 'Два', 'Б', 'M', '2008-11-21', '+7 900 000-00-02', 'PC1', 'N1', 'active', NULL),
                ('P3', 'Три', 'В', 'F', '1951-11-20', '+7 900 000-00-03', 'PC1', 'N1', 'active', NULL),
                ('P4', 'Четыре', 'Г', 'M', '1950-11-20', NULL, 'PC2', 'N2', 'active', NULL),
                ('P5', 'Пять', 'Д', 'F', '1960-01-01', '+7 900 000-00-05', 'PC2', 'N2', 'active', NULL),
                ('P6', 'Шесть', 'Е', 'M', '1960-01-01', NULL, 'PC2', 'N2', 'moved', '2026-06-01');
             INSERT INTO enrolments (patient_id, program_id, enrolled_on)
                SELECT id, 'diabetes', '2020-01-01' FROM patients;
             INSERT INTO observations (id, patient_id, kind, loinc, value, unit, date, site_id) VALUES
                ('o1', 'P1', 'hba1c', '4548-4', 9.5, '%', '2026-05-01', 'PC1'),
                ('o2', 'P2', 'hba1c', '4548-4', 6.5, '%', '2026-05-01', 'PC1'),
                ('o4', 'P4', 'hba1c', '4548-4', 7.5, '%', '2026-05-01', 'PC2'),
                ('o5', 'P5', 'hba1c', '4548-4', 6.8, '%', '2026-10-01', 'PC2'),
                ('b1', 'P5', 'systolic', '8480-6', 150, 'mm[Hg]', '2026-10-01', 'PC2'),
                ('b2', 'P5', 'systolic', '8480-6', 135, 'mm[Hg]', '2026-10-01', 'PC2'),
                ('b3', 'P5', 'diastolic', '8462-4', 95, 'mm[Hg]', '2026-10-01', 'PC2'),
                ('b4', 'P5', 'diastolic', '8462-4', 85, 'mm[Hg]', '2026-10-01', 'PC2'),
                ('b5', 'P1', 'systolic', '8480-6', 120, 'mm[Hg]', '2026-10-01', 'PC1'),
                ('b6', 'P1', 'diastolic', '8462-4', 95, 'mm[Hg]', '2026-10-01', 'PC1');
             INSERT INTO diagnoses (patient_id, system, code, onset_date) VALUES
                ('P5', 'icd10', 'I10', '2020-01-01'), ('P1', 'icd10', 'I11.9', '2026-03-01');
             INSERT INTO encounters (id, patient_id, class, start_at, end_at, organization_id) VALUES
                ('e3', 'P3', 'outpatient', '2026-11-12T10:00:00', '2026-11-12T10:30:00', 'PC1'),
                ('e4', 'P4', 'outpatient', '2026-11-25T10:00:00', '2026-11-25T10:30:00', 'PC2');
             INSERT INTO calls (id, patient_id, called_at, user_name, device, outcome, next_date) VALUES
                ('c1', 'P3', '2026-11-03T09:00:00', 'Иванова', 'd', 'no_answer', '2026-11-04'),
                ('c2', 'P3', '2026-11-05T09:00:00', 'Иванова', 'd', 'agreed_visit', '2026-11-12'),
                ('c3', 'P4', '2026-11-06T09:00:00', 'Петрова', 'd', 'no_answer', NULL),
                ('c4', 'P2', '2026-10-06T09:00:00', 'Иванова', 'd', 'call_back', '2026-10-20');",
        )
        .unwrap();
    (dir, store)
}

#[test]
fn a_hand_built_register() {
    let (_dir, store) = tiny_register();
    let conn = store.conn();
    let as_of = d(2026, 11, 20);
    let v = progress_for(conn, Period::rolling_year(as_of)).unwrap();
    let t = &v.total;
    assert_eq!((t.enrolled_active, t.moves), (5, 1));
    // P1 (18, 9.5 %) and P3 (75, none) are in poor control; P2 (17) and P4 (76) are outside.
    assert_eq!(t.hba1c_poor_control, r(2, 3));
    // P5's two same-day readings: the lowest of each, 135/85, is controlled; P1's 120/95 is not.
    // CMS165 counts the two with hypertension (P1 diagnosed in the period's first six months).
    assert_eq!(t.bp_controlled, r(1, 2));
    assert_eq!(t.bp_controlled_all_diabetics, r(1, 5));
    assert_eq!(v.sites.len(), 2);
    assert_eq!(v.sites[0].tally.enrolled_active, 3);

    let b = progress_board(conn, &historical(as_of), &ProgressQuery::default()).unwrap();
    assert_eq!(b.view, v);
    // The cascade of November: who was on the worklist on the 1st is the rules' business.
    let first = views::worklist(
        conn,
        &historical(d(2026, 11, 1)),
        &WorklistFilter::default(),
    )
    .unwrap();
    assert_eq!(b.total.cascade.overdue, first.rows.len() as u64);
    let on_list = |id: &str| first.rows.iter().any(|r| r.patient_id == id);
    assert!(on_list("P3"), "no HbA1c ever: overdue");
    // P3: a phone, a no-answer then an agreed visit, and the visit 7 days after the first call.
    let returned = progress_patients(
        conn,
        &historical(as_of),
        &ProgressQuery::default(),
        &DrillGroup::Total,
        Column::Returned,
    )
    .unwrap();
    let p3 = returned.rows.iter().find(|r| r.patient_id == "P3").unwrap();
    assert!(p3.meets);
    // P4 (if overdue): no phone on record, so never "contactable" however often called.
    let contactable = progress_patients(
        conn,
        &historical(as_of),
        &ProgressQuery::default(),
        &DrillGroup::Total,
        Column::Contactable,
    )
    .unwrap();
    if on_list("P4") {
        let p4 = contactable
            .rows
            .iter()
            .find(|r| r.patient_id == "P4")
            .unwrap();
        assert!(!p4.meets);
    }
    // Calls this month by outcome, per nurse.
    let n1 = b.view.nurses.iter().position(|n| n.id == "N1").unwrap();
    let w = &b.nurses[n1].workload;
    assert_eq!(w.calls, 2, "October's call is not November's");
    assert_eq!(
        Column::Outcome(acodesk::domain::types::CallOutcome::AgreedToVisit)
            .figure(&b.view.nurses[n1].tally, &b.nurses[n1]),
        Figure::Count(1)
    );
    // A site filter keeps that site's patients only.
    let q = ProgressQuery {
        site_id: Some("PC2".into()),
        ..ProgressQuery::default()
    };
    let pc2 = progress_board(conn, &historical(as_of), &q).unwrap();
    assert_eq!(pc2.view.total.enrolled_active, 2);
    assert_eq!(pc2.view.sites.len(), 1);
    assert_eq!(
        pc2.site_options.len(),
        2,
        "the filter still offers every site"
    );
}
