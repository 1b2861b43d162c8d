//! Street addresses in the towns and villages of the sample region.

use super::draw::{chance, pick};

/// Streets of the towns.
const TOWN_STREETS: &[&str] = &[
    "ул. Ленина",
    "ул. Советская",
    "ул. Мира",
    "ул. Гагарина",
    "ул. Молодёжная",
    "ул. Садовая",
    "ул. Набережная",
    "ул. Пушкина",
    "ул. Октябрьская",
    "ул. Комсомольская",
    "ул. Первомайская",
    "ул. Строителей",
    "ул. Северная",
    "ул. Кирова",
    "ул. Чехова",
    "пр. Победы",
    "пр. Ломоносова",
    "ул. Берёзовая",
    "пер. Почтовый",
    "ул. Зелёная",
    "ул. Озёрная",
    "ул. Энергетиков",
    "ул. Маяковского",
    "ул. 50 лет Октября",
];

/// Streets of the villages.
const VILLAGE_STREETS: &[&str] = &[
    "ул. Центральная",
    "ул. Школьная",
    "ул. Лесная",
    "ул. Полевая",
    "ул. Набережная",
    "ул. Новая",
    "ул. Садовая",
    "ул. Заречная",
    "ул. Молодёжная",
    "ул. Клубная",
    "пер. Колхозный",
];

/// A street address: mostly flats in towns, houses in villages (`ул. Лесная, д. 7`).
pub(super) fn address(rng: &mut fastrand::Rng, in_town: bool) -> String {
    if in_town {
        let street = pick(rng, TOWN_STREETS);
        let house = rng.u32(1..=120);
        if chance(rng, 0.12) {
            format!("{street}, д. {house}")
        } else if chance(rng, 0.1) {
            format!(
                "{street}, д. {house}, корп. {}, кв. {}",
                rng.u32(1..=3),
                rng.u32(1..=180)
            )
        } else {
            format!("{street}, д. {house}, кв. {}", rng.u32(1..=240))
        }
    } else {
        format!("{}, д. {}", pick(rng, VILLAGE_STREETS), rng.u32(1..=60))
    }
}
