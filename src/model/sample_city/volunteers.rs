//! The sample city's volunteer roster: fictional people living at generated addresses, with
//! availability slots, languages, mobility, consent dates and walking pairs.

use super::names::{FIRST_NAMES_F, FIRST_NAMES_M, SURNAMES};
use super::town::Town;
use super::{Rng, SAMPLE_CITY_CODE_POSTAL, SAMPLE_CITY_NAME};

const SEED: u64 = 0xB0_1E_60;
const COUNT: usize = 60;

/// How volunteers get about, twice as often on foot.
const MOBILITIES: [&str; 4] = ["à pied", "à pied", "vélo", "voiture"];

pub(crate) struct Volunteer {
    pub id: String,
    pub prenom: String,
    pub nom: String,
    pub telephone: String,
    pub email: String,
    /// "12 bis Rue Victor-Hugo, 45310 Saint-Aubin-des-Prés".
    pub adresse: String,
    /// Index of the home door in `Town::doors`.
    pub door: usize,
    pub disponibilites: String,
    pub langues: String,
    pub mobilite: &'static str,
    pub role: &'static str,
    pub consentement: String,
    pub binome: String,
}

fn ascii_fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            ' ' | '\'' => '-',
            c => c,
        })
        .collect()
}

pub(crate) fn build(town: &Town) -> Vec<Volunteer> {
    let mut rng = Rng::derived(SEED, 1);
    let days = ["lun", "mar", "mer", "jeu", "ven", "sam", "dim"];
    let day_weights = [1.0, 1.0, 1.6, 1.0, 1.2, 3.0, 2.2];
    let parts = ["matin", "après-midi", "soir"];
    let domains = ["example.org", "example.com", "example.net"];
    let mut used_names: Vec<(String, String)> = Vec::new();
    let mut volunteers: Vec<Volunteer> = Vec::with_capacity(COUNT);
    for k in 0..COUNT {
        let (prenom, nom) = loop {
            let prenom = if rng.chance(0.55) {
                *rng.pick(FIRST_NAMES_F)
            } else {
                *rng.pick(FIRST_NAMES_M)
            };
            let nom = *rng.pick(SURNAMES);
            if !used_names.iter().any(|(p, n)| p == prenom && n == nom) {
                used_names.push((prenom.to_string(), nom.to_string()));
                break (prenom.to_string(), nom.to_string());
            }
        };
        let door = rng.below(town.doors.len());
        let d = &town.doors[door];
        let street = &town.streets[d.street].name;
        let rep = if d.rep.is_empty() {
            String::new()
        } else {
            format!(" {}", d.rep)
        };
        let adresse = format!(
            "{}{} {}, {} {}",
            d.numero, rep, street, SAMPLE_CITY_CODE_POSTAL, SAMPLE_CITY_NAME
        );
        // Availability: 1 to 4 distinct slots, weekends more likely.
        let n_slots = 1 + rng.below(4);
        let mut slots: Vec<(usize, usize)> = Vec::new();
        while slots.len() < n_slots {
            let total: f64 = day_weights.iter().sum();
            let mut x = rng.unit() * total;
            let mut day = 0;
            while x >= day_weights[day] && day < 6 {
                x -= day_weights[day];
                day += 1;
            }
            let part = if day < 5 && rng.chance(0.6) {
                2
            } else {
                rng.below(3)
            };
            if !slots.contains(&(day, part)) {
                slots.push((day, part));
            }
        }
        slots.sort_unstable();
        let disponibilites = slots
            .iter()
            .map(|&(d, p)| format!("{} {}", days[d], parts[p]))
            .collect::<Vec<_>>()
            .join(";");
        let mut langues = vec!["français"];
        if rng.chance(0.35) {
            langues.push("anglais");
        }
        if rng.chance(0.12) {
            langues.push(*rng.pick(&[
                "arabe",
                "portugais",
                "espagnol",
                "turc",
                "italien",
                "LSF",
                "wolof",
                "allemand",
            ]));
        }
        let phone = format!(
            "0{} {:02} {:02} {:02} {:02}",
            if rng.chance(0.8) { 6 } else { 7 },
            rng.below(100),
            rng.below(100),
            rng.below(100),
            rng.below(100)
        );
        let email = format!(
            "{}.{}{}@{}",
            ascii_fold(&prenom.to_lowercase()),
            ascii_fold(&nom.to_lowercase()),
            if rng.chance(0.3) {
                format!("{}", 1 + rng.below(99))
            } else {
                String::new()
            },
            rng.pick(&domains)
        );
        let month = 1 + rng.below(3);
        let day = 1 + rng.below(if month == 2 { 28 } else { 30 });
        volunteers.push(Volunteer {
            id: format!("B{:02}", k + 1),
            prenom,
            nom,
            telephone: phone,
            email,
            adresse,
            door,
            disponibilites,
            langues: langues.join(";"),
            mobilite: MOBILITIES[rng.below(MOBILITIES.len())],
            role: if k % 10 == 0 {
                "responsable d'équipe"
            } else {
                "bénévole"
            },
            consentement: format!("2026-{month:02}-{day:02}"),
            binome: String::new(),
        });
    }
    // Eight pairs who walk together.
    let mut ids: Vec<usize> = (0..COUNT).collect();
    rng.shuffle(&mut ids);
    for pair in ids.chunks(2).take(8) {
        let (a, b) = (pair[0], pair[1]);
        volunteers[a].binome = volunteers[b].id.clone();
        volunteers[b].binome = volunteers[a].id.clone();
    }
    volunteers
}
