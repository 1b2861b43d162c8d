//! The committed sample-data/ is exactly what the generator writes for the default seed and the
//! demo's date, so `acodesk demo` (which regenerates it) shows the same pilot the files document.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acodesk::sample::{SampleSpec, generate};
use std::path::Path;

#[test]
fn sample_data_is_the_generators_default_output_byte_for_byte() {
    let dir = common::scratch("generator");
    let summary = generate(&SampleSpec::demo(), &dir).unwrap();
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let mut names: Vec<String> = std::fs::read_dir(&committed)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut generated: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    generated.sort();
    assert_eq!(names, generated, "the same files");
    for name in &names {
        let a = std::fs::read(committed.join(name)).unwrap();
        let b = std::fs::read(dir.join(name)).unwrap();
        assert!(
            a == b,
            "sample-data/{name} differs from the generator's output: regenerate with `acodesk sample --out sample-data --as-of 2026-11-20`"
        );
    }
    assert_eq!(summary.rows["patients.csv"], 6000);
    let total: u64 = names
        .iter()
        .map(|n| std::fs::metadata(committed.join(n)).unwrap().len())
        .sum();
    assert!(
        total < 20 * 1024 * 1024,
        "sample-data must stay under 20 MB, is {total} bytes"
    );
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let spec = SampleSpec {
        patients: 150,
        seed: 11,
        as_of: common::as_of(),
    };
    let a = common::scratch("gen-a");
    let b = common::scratch("gen-b");
    let c = common::scratch("gen-c");
    generate(&spec, &a).unwrap();
    generate(&spec, &b).unwrap();
    generate(&SampleSpec { seed: 12, ..spec }, &c).unwrap();
    let read = |d: &Path| std::fs::read(d.join("patients.csv")).unwrap();
    assert_eq!(read(&a), read(&b));
    assert_ne!(read(&a), read(&c));
}
