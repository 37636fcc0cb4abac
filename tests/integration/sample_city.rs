//! The bundled sample city: deterministic generation, committed copy up to date, and the
//! properties later features rely on (tiling precincts, doors inside precincts, results that add
//! up, a Latin-1 DBF, a Lambert-93 .prj, one connected named street network).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use geo::{Area, BooleanOps, BoundingRect, Contains, Intersects};
use geo_types::{Coord, LineString, Point, Polygon};
use porte::model::sample_city::{self, SampleCityFiles};

/// One fresh generation shared by the tests (generation takes a few seconds in debug builds).
fn fresh() -> &'static (tempfile::TempDir, SampleCityFiles) {
    static FRESH: OnceLock<(tempfile::TempDir, SampleCityFiles)> = OnceLock::new();
    FRESH.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let files = sample_city::generate(&dir.path().join("city")).unwrap();
        (dir, files)
    })
}

fn files() -> &'static SampleCityFiles {
    &fresh().1
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn polygons() -> &'static Vec<Polygon<f64>> {
    static P: OnceLock<Vec<Polygon<f64>>> = OnceLock::new();
    P.get_or_init(|| {
        let shapes =
            shapefile::read_shapes_as::<_, shapefile::Polygon>(&files().precincts_shp).unwrap();
        shapes
            .into_iter()
            .map(|p| {
                assert_eq!(p.rings().len(), 1, "one outer ring per precinct");
                let ring: Vec<Coord<f64>> = p.rings()[0]
                    .points()
                    .iter()
                    .map(|q| Coord { x: q.x, y: q.y })
                    .collect();
                Polygon::new(LineString::new(ring), vec![])
            })
            .collect()
    })
}

fn read_csv(path: &Path, delimiter: u8) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_path(path)
        .unwrap();
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

#[test]
fn generation_is_byte_identical_and_committed_copy_is_fresh() {
    let other = tempfile::tempdir().unwrap();
    let again = sample_city::generate(other.path()).unwrap();
    let bundled = sample_city::bundled_files(&repo_root());
    assert_eq!(
        bundled.dir,
        repo_root()
            .join("sample-cities")
            .join(sample_city::SAMPLE_CITY_SLUG)
    );
    let mut total = 0;
    for ((a, b), c) in files()
        .all_files()
        .iter()
        .zip(again.all_files())
        .zip(bundled.all_files())
    {
        let (x, y) = (std::fs::read(a).unwrap(), std::fs::read(&b).unwrap());
        assert!(x == y, "{} differs between two runs", a.display());
        let z = std::fs::read(&c).unwrap_or_default();
        assert!(
            x == z,
            "{} is not what the generator makes: run `cargo test --lib regenerate_bundled_sample_city -- --ignored`",
            c.display()
        );
        total += z.len();
    }
    assert!(!bundled.precincts_shp.with_extension("cpg").exists());
    assert!(total < 8_000_000, "sample city is {total} bytes");
}

#[test]
fn precincts_tile_the_town() {
    let polys = polygons();
    assert!(
        (35..=45).contains(&polys.len()),
        "{} precincts",
        polys.len()
    );
    let sum: f64 = polys.iter().map(|p| p.unsigned_area()).sum();
    let union = geo::unary_union(polys.iter());
    let union_area = union.unsigned_area();
    assert!(
        (sum - union_area).abs() / union_area < 0.001,
        "sum {sum} vs union {union_area}"
    );
    assert_eq!(union.0.len(), 1, "the town is one piece");
    assert!(union.0[0].interiors().is_empty(), "the town has no holes");
    // 4-5 km across.
    let bbox = union.bounding_rect().unwrap();
    assert!(
        (3500.0..6000.0).contains(&bbox.width()) && (3500.0..6000.0).contains(&bbox.height()),
        "{bbox:?}"
    );
    // In mainland France, Lambert-93 range.
    assert!(bbox.min().x > 100_000.0 && bbox.max().x < 1_250_000.0 && bbox.min().y > 6_000_000.0);
    let rects: Vec<_> = polys.iter().map(|p| p.bounding_rect().unwrap()).collect();
    for i in 0..polys.len() {
        for j in i + 1..polys.len() {
            if !rects[i].intersects(&rects[j]) {
                continue;
            }
            let overlap = polys[i].intersection(&polys[j]).unsigned_area();
            assert!(
                overlap < 1.0,
                "precincts {} and {} overlap by {overlap} m²",
                i + 1,
                j + 1
            );
        }
    }
}

#[test]
fn dbf_is_latin1_and_prj_is_lambert93() {
    let f = files();
    let dbf_path = f.precincts_shp.with_extension("dbf");
    let bytes = std::fs::read(&dbf_path).unwrap();
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the DBF must not be UTF-8"
    );
    let mut reader = shapefile::dbase::ReaderBuilder::new()
        .with_encoding(shapefile::dbase::encoding::EncodingRs::from(
            encoding_rs::WINDOWS_1252,
        ))
        .open(&dbf_path)
        .unwrap();
    let records = reader.read().unwrap();
    assert_eq!(records.len(), polygons().len());
    let mut nums = BTreeSet::new();
    let mut accented = 0;
    for r in &records {
        let Some(shapefile::dbase::FieldValue::Numeric(Some(n))) = r.get("NUM_BV") else {
            panic!("NUM_BV")
        };
        nums.insert(*n as u32);
        let Some(shapefile::dbase::FieldValue::Character(Some(name))) = r.get("NOM_BV") else {
            panic!("NOM_BV")
        };
        // The encoded name is really single-byte Latin-1 in the file.
        let (encoded, _, _) = encoding_rs::WINDOWS_1252.encode(name);
        assert!(
            bytes.windows(encoded.len()).any(|w| w == &encoded[..]),
            "{name}"
        );
        if name.chars().any(|c| "éèêÉàçôî".contains(c)) {
            accented += 1;
            assert!(std::str::from_utf8(&encoded).is_err());
        }
        assert!(r.get("QUARTIER").is_some());
    }
    assert!(accented >= 5, "{accented} accented names");
    assert_eq!(nums, (1..=records.len() as u32).collect());
    assert!(records.iter().any(|r| matches!(r.get("NOM_BV"), Some(shapefile::dbase::FieldValue::Character(Some(n))) if n.starts_with("Hôtel de Ville"))));

    let prj = std::fs::read_to_string(f.precincts_shp.with_extension("prj")).unwrap();
    assert!(prj.starts_with("PROJCS[\"RGF93_Lambert_93\""), "{prj}");
    let param = |name: &str| -> f64 {
        let key = format!("PARAMETER[\"{name}\",");
        let start = prj.find(&key).unwrap_or_else(|| panic!("{name}")) + key.len();
        prj[start..start + prj[start..].find(']').unwrap()]
            .parse()
            .unwrap()
    };
    assert!(prj.contains("Lambert_Conformal_Conic") && prj.contains("GRS_1980"));
    assert_eq!(param("False_Easting"), 700_000.0);
    assert_eq!(param("False_Northing"), 6_600_000.0);
    assert_eq!(param("Central_Meridian"), 3.0);
    assert_eq!(param("Standard_Parallel_1"), 49.0);
    assert_eq!(param("Standard_Parallel_2"), 44.0);
    assert_eq!(param("Latitude_Of_Origin"), 46.5);
}

#[test]
fn addresses_are_ban_rows_inside_precincts() {
    let (header, rows) = read_csv(&files().addresses_csv, b';');
    assert_eq!(
        header.join(";"),
        "id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;\
         nom_ancienne_commune;x;y;lon;lat;type_position;alias;nom_ld;libelle_acheminement;nom_afnor;source_position;\
         source_nom_voie;certification_commune;cad_parcelles"
    );
    assert!(
        (13_000..=17_000).contains(&rows.len()),
        "{} addresses",
        rows.len()
    );
    let polys = polygons();
    let rects: Vec<_> = polys.iter().map(|p| p.bounding_rect().unwrap()).collect();
    let mut ids = BTreeSet::new();
    let mut per_street: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut reps = 0;
    for row in &rows {
        assert!(ids.insert(row[0].clone()), "duplicate id {}", row[0]);
        let (x, y): (f64, f64) = (row[10].parse().unwrap(), row[11].parse().unwrap());
        assert_eq!(row[10].split('.').nth(1).map(str::len), Some(2));
        assert_eq!(row[12].split('.').nth(1).map(str::len), Some(6));
        let (lon, lat): (f64, f64) = (row[12].parse().unwrap(), row[13].parse().unwrap());
        assert!(
            (1.5..1.7).contains(&lon) && (47.95..48.15).contains(&lat),
            "{lon} {lat}"
        );
        let p = Point::new(x, y);
        let inside = (0..polys.len())
            .filter(|&k| rects[k].intersects(&p) && polys[k].contains(&p))
            .count();
        assert_eq!(inside, 1, "address {} is in {inside} precincts", row[0]);
        let n: u32 = row[2].parse().unwrap();
        let e = per_street.entry(row[4].clone()).or_default();
        if n % 2 == 1 {
            e.0 += 1
        } else {
            e.1 += 1
        }
        if !row[3].is_empty() {
            assert!(["bis", "ter"].contains(&row[3].as_str()));
            reps += 1;
        }
    }
    assert!(reps > 50, "{reps} bis/ter");
    let both_sides = per_street
        .values()
        .filter(|(odd, even)| *odd > 0 && *even > 0)
        .count();
    assert!(
        both_sides * 10 > per_street.len() * 8,
        "{both_sides} of {} streets have both sides",
        per_street.len()
    );
}

#[test]
fn results_cover_every_precinct_and_add_up() {
    let (header, rows) = read_csv(&files().results_csv, b',');
    assert_eq!(
        header.join(","),
        "code_departement,code_commune,code_bureau,election,inscrits,votants,abstentions,blancs,nuls,exprimes,\
         numero_panneau,nom,prenom,nuance,voix"
    );
    let n_precincts = polygons().len();
    // (election, bureau) -> (turnout fields, sum of voix)
    let mut groups: BTreeMap<(String, String), ([u32; 6], u32)> = BTreeMap::new();
    for row in &rows {
        let v: Vec<u32> = row[4..10].iter().map(|s| s.parse().unwrap()).collect();
        let voix: u32 = row[14].parse().unwrap();
        assert_eq!(row[2].len(), 4, "code_bureau is zero-padded");
        let e = groups
            .entry((row[3].clone(), row[2].clone()))
            .or_insert(([v[0], v[1], v[2], v[3], v[4], v[5]], 0));
        assert_eq!(e.0.to_vec(), v, "turnout repeated on every row");
        e.1 += voix;
    }
    let elections: BTreeSet<&String> = groups.keys().map(|(e, _)| e).collect();
    assert_eq!(elections.len(), 2);
    for e in &elections {
        let bureaux: BTreeSet<u32> = groups
            .keys()
            .filter(|(x, _)| x == *e)
            .map(|(_, b)| b.parse().unwrap())
            .collect();
        assert_eq!(bureaux, (1..=n_precincts as u32).collect(), "{e}");
    }
    for ((e, b), ([inscrits, votants, abstentions, blancs, nuls, exprimes], voix)) in &groups {
        assert_eq!(*votants, inscrits - abstentions, "{e} {b}");
        assert_eq!(*exprimes, votants - blancs - nuls, "{e} {b}");
        assert_eq!(voix, exprimes, "{e} {b}");
        let turnout = *votants as f64 / *inscrits as f64;
        assert!((0.25..0.95).contains(&turnout), "{e} {b} turnout {turnout}");
    }
}

#[test]
fn streets_form_one_named_network() {
    let text = std::fs::read_to_string(&files().streets_osm).unwrap();
    let mut ways: Vec<(Vec<u64>, HashMap<String, String>)> = Vec::new();
    let mut node_ids = BTreeSet::new();
    let attr = |line: &str, key: &str| -> Option<String> {
        let k = format!("{key}=\"");
        let s = line.find(&k)? + k.len();
        Some(line[s..s + line[s..].find('"')?].to_string())
    };
    for line in text.lines().map(str::trim) {
        if line.starts_with("<node ") {
            assert!(attr(line, "version").is_some());
            node_ids.insert(attr(line, "id").unwrap().parse::<u64>().unwrap());
        } else if line.starts_with("<way ") {
            assert!(attr(line, "version").is_some());
            ways.push((Vec::new(), HashMap::new()));
        } else if line.starts_with("<nd ") {
            ways.last_mut()
                .unwrap()
                .0
                .push(attr(line, "ref").unwrap().parse().unwrap());
        } else if line.starts_with("<tag ") {
            ways.last_mut()
                .unwrap()
                .1
                .insert(attr(line, "k").unwrap(), attr(line, "v").unwrap());
        }
    }
    assert!(ways.len() > 100, "{} ways", ways.len());
    let mut names = BTreeSet::new();
    let mut use_count: HashMap<u64, usize> = HashMap::new();
    for (nds, tags) in &ways {
        assert!(nds.len() >= 2);
        assert!(tags.contains_key("highway"), "{tags:?}");
        let name = tags.get("name").expect("every way has a name");
        assert!(names.insert(name.clone()), "duplicate street name {name}");
        for n in nds {
            assert!(node_ids.contains(n));
            *use_count.entry(*n).or_default() += 1;
        }
    }
    let highways: BTreeSet<&str> = ways.iter().map(|(_, t)| t["highway"].as_str()).collect();
    for h in [
        "primary",
        "secondary",
        "residential",
        "footway",
        "pedestrian",
    ] {
        assert!(highways.contains(h), "no {h}");
    }
    // Connected: union-find over ways sharing nodes.
    let mut parent: Vec<usize> = (0..ways.len()).collect();
    fn find(p: &mut [usize], x: usize) -> usize {
        let mut r = x;
        while p[r] != r {
            r = p[r];
        }
        p[x] = r;
        r
    }
    let mut first_way_of: HashMap<u64, usize> = HashMap::new();
    for (w, (nds, _)) in ways.iter().enumerate() {
        for n in nds {
            if let Some(&o) = first_way_of.get(n) {
                let (a, b) = (find(&mut parent, w), find(&mut parent, o));
                parent[a] = b;
            } else {
                first_way_of.insert(*n, w);
            }
        }
    }
    let roots: BTreeSet<usize> = (0..ways.len()).map(|w| find(&mut parent, w)).collect();
    assert_eq!(roots.len(), 1, "the street network is one component");
    for (w, (nds, _)) in ways.iter().enumerate() {
        assert!(
            nds.iter().any(|n| use_count[n] > 1),
            "way {} shares no node",
            w + 1
        );
    }
    // Every way node is used; no orphan nodes.
    assert_eq!(node_ids.len(), use_count.len());
}

#[test]
fn volunteers_live_at_generated_addresses() {
    let (header, rows) = read_csv(&files().volunteers_csv, b';');
    assert_eq!(header[0], "id");
    assert!((50..=70).contains(&rows.len()));
    let (_, addresses) = read_csv(&files().addresses_csv, b';');
    let ids: BTreeSet<&str> = addresses.iter().map(|r| r[0].as_str()).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut pairs = 0;
    for r in &rows {
        assert!(ids.contains(r[col("id_adresse")].as_str()));
        assert!(r[col("telephone")].starts_with("06 ") || r[col("telephone")].starts_with("07 "));
        assert!(r[col("email")].contains('@'));
        assert!(r[col("consentement_date")].starts_with("2026-"));
        assert!(!r[col("disponibilites")].is_empty());
        let b = &r[col("binome")];
        if !b.is_empty() {
            pairs += 1;
            let partner = rows.iter().find(|o| &o[0] == b).unwrap();
            assert_eq!(partner[col("binome")], r[0]);
        }
    }
    assert!(pairs >= 4);
}
