//! Writers of the sample city's files: the precinct shapefile (Lambert-93, Windows-1252 DBF, ESRI
//! .prj, no .cpg), the OSM XML street network, the BAN address CSV, the Ministère long-format
//! results CSV, the volunteer roster and the README. Output depends only on the data (no clock).

use std::fmt::Write as _;
use std::io::Cursor;
use std::path::Path;

use shapefile::dbase::{self, FieldValue, Record, TableWriterBuilder};

use super::elections::{BLOCS, Election};
use super::town::Town;
use super::volunteers::Volunteer;
use super::{
    SAMPLE_CITY_CODE_INSEE, SAMPLE_CITY_CODE_POSTAL, SAMPLE_CITY_DEPARTEMENT, SAMPLE_CITY_NAME,
    SAMPLE_CITY_SLUG,
};
use crate::model::error::{ImportError, ModelError, ModelResult};

/// ESRI WKT of RGF93 / Lambert-93 (EPSG:2154), as ArcGIS and QGIS write it.
pub(crate) const LAMBERT_93_ESRI_WKT: &str = "PROJCS[\"RGF93_Lambert_93\",GEOGCS[\"GCS_RGF_1993\",DATUM[\"D_RGF_1993\",SPHEROID[\"GRS_1980\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Lambert_Conformal_Conic\"],PARAMETER[\"False_Easting\",700000.0],PARAMETER[\"False_Northing\",6600000.0],PARAMETER[\"Central_Meridian\",3.0],PARAMETER[\"Standard_Parallel_1\",49.0],PARAMETER[\"Standard_Parallel_2\",44.0],PARAMETER[\"Latitude_Of_Origin\",46.5],UNIT[\"Meter\",1.0]]";

fn write_file(path: &Path, bytes: &[u8]) -> ModelResult<()> {
    std::fs::write(path, bytes).map_err(|e| ImportError::io(path, e).into())
}

fn shp_err(path: &Path, e: impl std::fmt::Display) -> ModelError {
    ImportError::format(path, "", format!("writing shapefile: {e}")).into()
}

fn csv_err(path: &Path, e: impl std::fmt::Display) -> ModelError {
    ImportError::format(path, "", format!("writing CSV: {e}")).into()
}

/// `bureaux_de_vote.shp/.shx/.dbf/.prj`.
pub(crate) fn write_precincts(shp_path: &Path, town: &Town) -> ModelResult<()> {
    let field = |name: &str| dbase::FieldName::try_from(name).map_err(|e| shp_err(shp_path, e));
    let builder = TableWriterBuilder::with_encoding(dbase::encoding::EncodingRs::from(
        encoding_rs::WINDOWS_1252,
    ))
    .add_numeric_field(field("NUM_BV")?, 4, 0)
    .add_character_field(field("NOM_BV")?, 80)
    .add_character_field(field("QUARTIER")?, 40)
    .add_character_field(field("INSEE_COM")?, 5);
    let (mut shp, mut shx, mut dbf) = (
        Cursor::new(Vec::new()),
        Cursor::new(Vec::new()),
        Cursor::new(Vec::new()),
    );
    {
        let mut shape_writer = shapefile::ShapeWriter::with_shx(&mut shp, &mut shx);
        let mut table_writer = builder.build_with_dest(&mut dbf);
        for p in &town.precincts {
            let points: Vec<shapefile::Point> = p
                .ring_l93
                .iter()
                .map(|c| shapefile::Point::new(c[0], c[1]))
                .collect();
            let polygon = shapefile::Polygon::new(shapefile::PolygonRing::Outer(points));
            let mut record = Record::default();
            record.insert(
                "NUM_BV".to_string(),
                FieldValue::Numeric(Some(p.num as f64)),
            );
            record.insert(
                "NOM_BV".to_string(),
                FieldValue::Character(Some(p.name.clone())),
            );
            record.insert(
                "QUARTIER".to_string(),
                FieldValue::Character(Some(p.quartier.clone())),
            );
            record.insert(
                "INSEE_COM".to_string(),
                FieldValue::Character(Some(SAMPLE_CITY_CODE_INSEE.to_string())),
            );
            shape_writer
                .write_shape(&polygon)
                .map_err(|e| shp_err(shp_path, e))?;
            table_writer
                .write_record(&record)
                .map_err(|e| shp_err(shp_path, e))?;
        }
        shape_writer.finalize().map_err(|e| shp_err(shp_path, e))?;
        table_writer.finalize().map_err(|e| shp_err(shp_path, e))?;
    }
    let mut dbf = dbf.into_inner();
    // The DBF header holds a "last update" date (bytes 1-3, year - 1900, month, day), which the
    // dbase crate sets to today: pin it so the file is the same on every run.
    if dbf.len() > 4 {
        dbf[1] = 126;
        dbf[2] = 1;
        dbf[3] = 15;
    }
    write_file(shp_path, &shp.into_inner())?;
    write_file(&shp_path.with_extension("shx"), &shx.into_inner())?;
    write_file(&shp_path.with_extension("dbf"), &dbf)?;
    write_file(
        &shp_path.with_extension("prj"),
        LAMBERT_93_ESRI_WKT.as_bytes(),
    )?;
    let cpg = shp_path.with_extension("cpg");
    if cpg.exists() {
        std::fs::remove_file(&cpg).map_err(|e| ImportError::io(&cpg, e))?;
    }
    Ok(())
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `rues.osm`: OSM XML 0.6 with nodes in WGS84 and one way per named street.
pub(crate) fn write_streets(path: &Path, town: &Town) -> ModelResult<()> {
    let mut out = String::with_capacity(town.nodes.len() * 90 + town.streets.len() * 600);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<osm version=\"0.6\" generator=\"porte sample-city\">\n");
    let (mut min_lon, mut min_lat, mut max_lon, mut max_lat) =
        (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for n in &town.nodes {
        min_lon = min_lon.min(n.lon);
        max_lon = max_lon.max(n.lon);
        min_lat = min_lat.min(n.lat);
        max_lat = max_lat.max(n.lat);
    }
    let _ = writeln!(
        out,
        "  <bounds minlat=\"{min_lat:.7}\" minlon=\"{min_lon:.7}\" maxlat=\"{max_lat:.7}\" maxlon=\"{max_lon:.7}\"/>"
    );
    for (k, n) in town.nodes.iter().enumerate() {
        let _ = writeln!(
            out,
            "  <node id=\"{}\" version=\"1\" lat=\"{:.7}\" lon=\"{:.7}\"/>",
            k + 1,
            n.lat,
            n.lon
        );
    }
    for (k, s) in town.streets.iter().enumerate() {
        let _ = writeln!(out, "  <way id=\"{}\" version=\"1\">", k + 1);
        for &n in &s.nodes {
            let _ = writeln!(out, "    <nd ref=\"{}\"/>", n + 1);
        }
        let _ = writeln!(out, "    <tag k=\"highway\" v=\"{}\"/>", s.highway);
        let _ = writeln!(out, "    <tag k=\"name\" v=\"{}\"/>", xml_escape(&s.name));
        if s.highway == "footway" || s.highway == "pedestrian" {
            let _ = writeln!(
                out,
                "    <tag k=\"surface\" v=\"{}\"/>",
                if s.highway == "footway" {
                    "compacted"
                } else {
                    "paving_stones"
                }
            );
        }
        out.push_str("  </way>\n");
    }
    out.push_str("</osm>\n");
    write_file(path, out.as_bytes())
}

/// AFNOR-style street name: upper case, no accents, words separated by spaces, at most 32 chars.
fn afnor(name: &str) -> String {
    let mut s: String = name
        .chars()
        .flat_map(|c| match c {
            'à' | 'â' | 'ä' | 'À' | 'Â' => "A".chars().collect::<Vec<_>>(),
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' => vec!['E'],
            'î' | 'ï' | 'Î' => vec!['I'],
            'ô' | 'ö' | 'Ô' => vec!['O'],
            'ù' | 'û' | 'ü' => vec!['U'],
            'ç' | 'Ç' => vec!['C'],
            'œ' | 'Œ' => vec!['O', 'E'],
            '-' | '\'' => vec![' '],
            c => c.to_uppercase().collect(),
        })
        .collect();
    s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    s.chars().take(32).collect()
}

pub(crate) const BAN_HEADER: [&str; 23] = [
    "id",
    "id_fantoir",
    "numero",
    "rep",
    "nom_voie",
    "code_postal",
    "code_insee",
    "nom_commune",
    "code_insee_ancienne_commune",
    "nom_ancienne_commune",
    "x",
    "y",
    "lon",
    "lat",
    "type_position",
    "alias",
    "nom_ld",
    "libelle_acheminement",
    "nom_afnor",
    "source_position",
    "source_nom_voie",
    "certification_commune",
    "cad_parcelles",
];

/// BAN identifier of a door.
pub(crate) fn ban_id(town: &Town, door: usize) -> String {
    let d = &town.doors[door];
    let s = &town.streets[d.street];
    let rep = if d.rep.is_empty() {
        String::new()
    } else {
        format!("_{}", d.rep)
    };
    format!(
        "{}_{}_{:05}{}",
        SAMPLE_CITY_CODE_INSEE, s.fantoir, d.numero, rep
    )
}

/// Order in which doors are written (street, number, suffix).
pub(crate) fn door_order(town: &Town) -> Vec<usize> {
    let rep_rank = |r: &str| match r {
        "" => 0,
        "bis" => 1,
        "ter" => 2,
        _ => 3,
    };
    let mut order: Vec<usize> = (0..town.doors.len()).collect();
    order.sort_by_key(|&k| {
        let d = &town.doors[k];
        (d.street, d.numero, rep_rank(d.rep), k)
    });
    order
}

/// `adresses.csv`: Base Adresse Nationale CSV, `;`-separated UTF-8.
pub(crate) fn write_addresses(path: &Path, town: &Town) -> ModelResult<()> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    w.write_record(BAN_HEADER).map_err(|e| csv_err(path, e))?;
    let acheminement = afnor(SAMPLE_CITY_NAME);
    for k in door_order(town) {
        let d = &town.doors[k];
        let s = &town.streets[d.street];
        let record = [
            ban_id(town, k),
            format!("{}_{}", SAMPLE_CITY_CODE_INSEE, s.fantoir),
            d.numero.to_string(),
            d.rep.to_string(),
            s.name.clone(),
            SAMPLE_CITY_CODE_POSTAL.to_string(),
            SAMPLE_CITY_CODE_INSEE.to_string(),
            SAMPLE_CITY_NAME.to_string(),
            String::new(),
            String::new(),
            format!("{:.2}", d.pos_l93[0]),
            format!("{:.2}", d.pos_l93[1]),
            format!("{:.6}", d.lon),
            format!("{:.6}", d.lat),
            "entrée".to_string(),
            String::new(),
            String::new(),
            acheminement.clone(),
            afnor(&s.name),
            "commune".to_string(),
            "commune".to_string(),
            if d.certified { "1" } else { "0" }.to_string(),
            d.parcel.clone(),
        ];
        w.write_record(&record).map_err(|e| csv_err(path, e))?;
    }
    let bytes = w.into_inner().map_err(|e| csv_err(path, e))?;
    write_file(path, &bytes)
}

pub(crate) const RESULTS_HEADER: [&str; 15] = [
    "code_departement",
    "code_commune",
    "code_bureau",
    "election",
    "inscrits",
    "votants",
    "abstentions",
    "blancs",
    "nuls",
    "exprimes",
    "numero_panneau",
    "nom",
    "prenom",
    "nuance",
    "voix",
];

/// `resultats.csv`: both elections, one row per precinct x candidate, comma-separated UTF-8.
pub(crate) fn write_results(path: &Path, elections: &[Election]) -> ModelResult<()> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record(RESULTS_HEADER)
        .map_err(|e| csv_err(path, e))?;
    for e in elections {
        for r in &e.results {
            for (c, voix) in e.candidates.iter().zip(&r.voix) {
                let record = [
                    SAMPLE_CITY_DEPARTEMENT.to_string(),
                    SAMPLE_CITY_CODE_INSEE.to_string(),
                    r.code_bureau.clone(),
                    e.id.to_string(),
                    r.inscrits.to_string(),
                    r.votants.to_string(),
                    r.abstentions.to_string(),
                    r.blancs.to_string(),
                    r.nuls.to_string(),
                    r.exprimes.to_string(),
                    c.panneau.to_string(),
                    c.nom.to_string(),
                    c.prenom.to_string(),
                    c.nuance.to_string(),
                    voix.to_string(),
                ];
                w.write_record(&record).map_err(|e| csv_err(path, e))?;
            }
        }
    }
    let bytes = w.into_inner().map_err(|e| csv_err(path, e))?;
    write_file(path, &bytes)
}

pub(crate) const VOLUNTEERS_HEADER: [&str; 15] = [
    "id",
    "prenom",
    "nom",
    "telephone",
    "email",
    "adresse",
    "id_adresse",
    "lon",
    "lat",
    "disponibilites",
    "langues",
    "mobilite",
    "role",
    "consentement_date",
    "binome",
];

/// `benevoles.csv`: `;`-separated UTF-8; list fields (availability, languages) use `;` inside quotes.
pub(crate) fn write_volunteers(
    path: &Path,
    town: &Town,
    volunteers: &[Volunteer],
) -> ModelResult<()> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    w.write_record(VOLUNTEERS_HEADER)
        .map_err(|e| csv_err(path, e))?;
    for v in volunteers {
        let d = &town.doors[v.door];
        let record = [
            v.id.clone(),
            v.prenom.clone(),
            v.nom.clone(),
            v.telephone.clone(),
            v.email.clone(),
            v.adresse.clone(),
            ban_id(town, v.door),
            format!("{:.6}", d.lon),
            format!("{:.6}", d.lat),
            v.disponibilites.clone(),
            v.langues.clone(),
            v.mobilite.to_string(),
            v.role.to_string(),
            v.consentement.clone(),
            v.binome.clone(),
        ];
        w.write_record(&record).map_err(|e| csv_err(path, e))?;
    }
    let bytes = w.into_inner().map_err(|e| csv_err(path, e))?;
    write_file(path, &bytes)
}

/// The city folder's README.md.
pub(crate) fn write_readme(
    path: &Path,
    town: &Town,
    elections: &[Election],
    volunteers: &[Volunteer],
) -> ModelResult<()> {
    let mut s = String::new();
    let (lon, lat) = super::SAMPLE_CITY_CENTRE_LON_LAT;
    let _ = writeln!(s, "# {SAMPLE_CITY_NAME} — the bundled sample city\n");
    let _ = writeln!(
        s,
        "A fictional French town (INSEE code {SAMPLE_CITY_CODE_INSEE}, which no real commune has; postal code \
         {SAMPLE_CITY_CODE_POSTAL}) placed on the farmland of the Beauce around lon {lon:.2}, lat {lat:.2}, north-west \
         of Orléans. Every person, candidate and result is invented. `cargo run --release` opens it with no argument.\n"
    );
    let _ = writeln!(
        s,
        "**Do not edit these files by hand**: they are regenerated, byte for byte, by\n"
    );
    let _ = writeln!(
        s,
        "```sh\ncargo run --release -- sample-city generate sample-cities/{SAMPLE_CITY_SLUG}\n```\n"
    );
    let _ = writeln!(
        s,
        "(or `cargo test --lib regenerate_bundled_sample_city -- --ignored`), and a test checks that the committed copy \
         equals a fresh generation. The generator is `src/model/sample_city/`: a fixed-seed splitmix64 generator and \
         smooth value noise, no external randomness and no clock.\n"
    );
    let _ = writeln!(s, "## Files\n");
    let _ = writeln!(s, "| File | What | Format |\n|---|---|---|");
    let _ = writeln!(
        s,
        "| `bureaux_de_vote.shp` (`.shx`, `.dbf`, `.prj`) | {} polling precincts tiling the town (no gaps, no overlaps); \
         boundaries follow streets | ESRI shapefile, polygons in RGF93 / Lambert-93 (EPSG:2154), ESRI WKT in the `.prj`; \
         DBF in Windows-1252 (Latin-1) with **no `.cpg`**; fields `NUM_BV` (1..{}), `NOM_BV` (polling place), \
         `QUARTIER`, `INSEE_COM` |",
        town.precincts.len(),
        town.precincts.len()
    );
    let _ = writeln!(
        s,
        "| `resultats.csv` | {} elections: {} | Ministère long format, one row per precinct × candidate, comma-separated \
         UTF-8; `code_bureau` is zero-padded (`0001`) while the shapefile's `NUM_BV` is a plain integer |",
        elections.len(),
        elections
            .iter()
            .map(|e| format!(
                "`{}` ({}, {} candidates)",
                e.id,
                e.label,
                e.candidates.len()
            ))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        s,
        "| `adresses.csv` | {} doors on both sides of the streets, odd numbers on the left and even on the right walking \
         away from the town hall, some `bis`/`ter` | Base Adresse Nationale CSV, `;`-separated UTF-8, `x`/`y` in \
         Lambert-93 metres, `lon`/`lat` in WGS84 |",
        town.doors.len()
    );
    let _ = writeln!(
        s,
        "| `rues.osm` | {} named streets ({:.1} km): avenues and boulevards (`primary`, `secondary`), residential \
         streets, two pedestrian streets and footpaths; ways share nodes at intersections and form one network | OSM XML \
         0.6, WGS84 |",
        town.streets.len(),
        town.street_length_km()
    );
    let _ = writeln!(
        s,
        "| `benevoles.csv` | {} volunteers with home address (a BAN id from `adresses.csv`), availability, languages, \
         mobility, consent date and walking pairs (`binome`) | `;`-separated UTF-8; list fields use `;` inside quotes |",
        volunteers.len()
    );
    let area_km2 = town.precincts.iter().map(|p| p.area_m2).sum::<f64>() / 1e6;
    let _ = writeln!(
        s,
        "\nThe town covers {area_km2:.1} km² around Lambert-93 ({:.0}, {:.0}); precinct 1 (centroid {:.0}, {:.0}) \
         is the town hall's.",
        town.centre_l93[0],
        town.centre_l93[1],
        town.precincts[0].centroid_l93[0],
        town.precincts[0].centroid_l93[1]
    );
    for e in elections {
        let (inscrits, votants, exprimes) = e.totals();
        let _ = writeln!(
            s,
            "{}: {inscrits} registered, turnout {:.1} %, {exprimes} valid votes.",
            e.label,
            100.0 * votants as f64 / inscrits as f64
        );
    }
    let _ = writeln!(s, "\n## How the town is made\n");
    let _ = writeln!(
        s,
        "- A {}×{}-block street lattice, denser in the centre, warped by smooth noise and turned by 10°, with jittered \
         and gently curved blocks; about one residential block side in nine is removed (keeping one connected network), \
         which merges blocks and leaves a few impasses.\n\
         - Two primary axes cross at the town hall, a ring of boulevards and mails surrounds the old town, two diagonal \
         roads leave for Paris and Tours.\n\
         - Precincts are groups of blocks, so their boundaries run along street axes; they are numbered from the town \
         hall outwards.\n\
         - Doors are 8–12 m from the street axis, closer together in the centre; a park, a sports ground and a business \
         park have few or none.\n\
         - Registered voters are 1.5–2 per door. Turnout and the five blocs ({}) come from smooth fields (centre and \
         periphery, a wealthier west, a housing estate east of the centre) plus small per-precinct noise, the same \
         leanings in both elections; every row adds up (`votants = inscrits − abstentions`, \
         `exprimes = votants − blancs − nuls`, the candidates' `voix` sum to `exprimes`).",
        26,
        24,
        BLOCS.join(", ")
    );
    write_file(path, s.as_bytes())
}
