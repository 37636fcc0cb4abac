//! The priority model end to end: the sample city through the CLI (`porte blocs`, `porte score`,
//! `porte classify`), and Paris 2017 through the model API (every precinct scored, overlay
//! interpolation preserving the IRIS population).

use crate::common;

use common::{json_of, run_porte, shared_data, temp_campaign};
use porte::model::import::precincts::PrecinctImportOptions;
use porte::model::import::results::ResultsImportOptions;
use porte::model::scoring::overlay::{OverlayKind, OverlaySpec, interpolate_overlay};
use porte::model::scoring::{
    Bloc, BlocRole, ClassMethod, ScoreSettings, Variable, classify, explain, ramps, variable_values,
};
use porte::model::{Campaign, NoProgress};

#[test]
fn sample_city_scores_end_to_end_through_the_cli() {
    let (_dir, campaign) = temp_campaign();
    let c = campaign.to_str().unwrap();
    let (ok, _, err) = run_porte(&["sample-city", "build", c]);
    assert!(ok, "{err}");

    // The sample city ships with a demo camp: the priority score works out of the box.
    let demo = json_of(&["score", c, "--json"]);
    assert_eq!(demo["election"], "presidentielle-2022-1");
    assert_eq!(demo["previous"], "municipales-2020-1");
    assert_eq!(demo["precincts"].as_array().unwrap().len(), 40);
    assert!(
        demo["blocs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["name"] == "notre camp (exemple)" && b["role"] == "ours"),
        "{demo:#}"
    );

    // No camp defined: a clear refusal listing the candidates and an example command.
    Campaign::open(&campaign)
        .unwrap()
        .save_blocs("presidentielle-2022-1", &[])
        .unwrap();
    let (ok, _, err) = run_porte(&["score", c, "--election", "presidentielle-2022-1"]);
    assert!(!ok);
    assert!(err.contains("no camp is defined"), "{err}");
    assert!(err.contains("DUCHÊNE Marc (FI)"), "{err}");
    assert!(err.contains("--bloc \"gauche="), "{err}");

    for e in ["presidentielle-2022-1", "municipales-2020-1"] {
        let r = json_of(&[
            "blocs",
            c,
            "--election",
            e,
            "--suggest",
            "--ours",
            "gauche",
            "--near",
            "centre",
            "--rival",
            "extrême droite",
            "--save",
            "--json",
        ]);
        assert_eq!(r["saved"], true);
        assert!(
            r["candidates"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["bloc"].is_string()),
            "every sample candidate has a known nuance: {r:#}"
        );
    }

    let r = json_of(&[
        "score",
        c,
        "--election",
        "presidentielle-2022-1",
        "--previous",
        "municipales-2020-1",
        "--weights",
        "mobilisation=1,persuasion=0.5,swing=0.5,rival=0.25",
        "--explain",
        "7",
        "--save",
        "--json",
    ]);
    let precincts = r["precincts"].as_array().unwrap();
    assert_eq!(precincts.len(), 40);
    assert!(r["unscored"].as_array().unwrap().is_empty());
    let terms: Vec<&str> = r["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(terms, ["mobilisation", "persuasion", "swing", "rival"]);
    let mut last = (0, f64::INFINITY);
    for p in precincts {
        let (rank, score) = (p["rank"].as_u64().unwrap(), p["score"].as_f64().unwrap());
        assert!(rank >= last.0 && score <= last.1, "sorted by rank");
        assert!((0.0..=100.0).contains(&score));
        assert!((1..=5).contains(&p["class"].as_u64().unwrap()));
        assert!(p["terms"]["mobilisation"]["raw"].as_f64().unwrap() > 0.0);
        last = (rank, score);
    }
    assert_eq!(precincts[0]["rank"], 1);
    assert_eq!(precincts[0]["class"], 1);
    assert_eq!(precincts[39]["class"], 5);
    let explained: f64 = r["explain"]["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["contribution"].as_f64().unwrap())
        .sum();
    let p7 = precincts.iter().find(|p| p["code"] == "7").unwrap();
    assert!((explained - p7["score"].as_f64().unwrap()).abs() < 1e-9);

    // Saved: a later run needs no arguments and gives the same ranking.
    let again = json_of(&["score", c, "--json"]);
    assert_eq!(again["precincts"], r["precincts"]);
    assert_eq!(again["previous"], "municipales-2020-1");

    let cls = json_of(&[
        "classify",
        c,
        "--variable",
        "priority",
        "--method",
        "jenks",
        "--classes",
        "5",
        "--json",
    ]);
    let classes = cls["legend"]["classes"].as_array().unwrap();
    assert_eq!(classes.len(), 5);
    let total: u64 = classes.iter().map(|k| k["count"].as_u64().unwrap()).sum();
    assert_eq!(total, 40);
    let swing = json_of(&[
        "classify",
        c,
        "--variable",
        "swing",
        "--previous",
        "municipales-2020-1",
        "--of-bloc",
        "gauche",
        "--json",
    ]);
    assert_eq!(swing["legend"]["ramp"], "RdBu");
    let (ok, _, err) = run_porte(&["classify", c, "--variable", "turnout", "--classes", "12"]);
    assert!(!ok && err.contains("between 3 and 9"), "{err}");
}

/// A Paris campaign with the 2017 precincts, turnout and long results (all four elections).
fn paris_campaign(dir: &std::path::Path) -> Option<Campaign> {
    let precincts = shared_data("paris/secteurs-des-bureaux-de-vote_2017.geojson")?;
    let participation = shared_data("paris/resultats_2017_par_bureau_participation.csv")?;
    let long = shared_data("paris/resultats_2017_par_bureau_long.csv")?;
    let mut c = Campaign::open(dir.join("paris.gpkg")).unwrap();
    c.import_precincts(&precincts, &PrecinctImportOptions::default(), &NoProgress)
        .unwrap();
    for f in [participation, long] {
        c.import_results(&f, &ResultsImportOptions::default(), &NoProgress)
            .unwrap();
    }
    Some(c)
}

#[test]
fn paris_every_precinct_gets_a_score() {
    let dir = tempfile::tempdir().unwrap();
    let Some(mut c) = paris_campaign(dir.path()) else {
        return;
    };
    let blocs = vec![
        Bloc::new(
            "gauche",
            BlocRole::Ours,
            &["MÉLENCHON Jean-Luc", "HAMON Benoît"],
        ),
        Bloc::new("centre", BlocRole::Near, &["MACRON Emmanuel"]),
        Bloc::new("fn", BlocRole::Rival, &["LE PEN Marine"]),
    ];
    let settings = ScoreSettings {
        election: Some("presidentielle-1".into()),
        ..Default::default()
    };
    let t = std::time::Instant::now();
    let r = c.score(&settings, Some(&blocs), &[]).unwrap();
    eprintln!(
        "Paris: 896 precincts scored in {:.3} s",
        t.elapsed().as_secs_f64()
    );
    assert_eq!(r.precincts.len(), 896, "unscored: {:?}", r.unscored);
    assert!(r.unscored.is_empty());
    assert!(r.precincts.iter().all(|p| p.missing_terms.is_empty()));
    for class in 1..=5u8 {
        let n = r.precincts.iter().filter(|p| p.class == class).count();
        assert!((170..=190).contains(&n), "class {class}: {n}");
    }
    let top = &r.precincts[0];
    let ex = explain(&r, &top.code).unwrap();
    assert_eq!(ex.len(), 3);
    let sum: f64 = ex.iter().map(|t| t.contribution).sum();
    assert!((sum - top.score).abs() < 1e-9);

    // Stored blocs by party code also resolve on the legislative elections (swing).
    c.save_blocs(
        "presidentielle-1",
        &[Bloc::new("gauche", BlocRole::Ours, &["FI", "SOC"])],
    )
    .unwrap();
    let with_swing = ScoreSettings {
        previous: Some("legislatives-1".into()),
        ..settings.clone()
    };
    c.save_scoring_settings(&with_swing).unwrap();
    let r = c.score(&c.scoring_settings().unwrap(), None, &[]).unwrap();
    assert_eq!(r.precincts.len(), 896);
    let swing = r.term_index("swing").unwrap();
    assert!(r.precincts.iter().all(|p| p.terms[swing].raw.is_some()));

    // The map variables cover every precinct.
    let turnout = variable_values(
        &c,
        &Variable::Turnout {
            election: "presidentielle-1".into(),
        },
    )
    .unwrap();
    assert_eq!(turnout.len(), 896);
    assert!(
        turnout
            .iter()
            .all(|(_, v)| v.is_some_and(|v| (40.0..100.0).contains(&v)))
    );
    let priority = variable_values(&c, &Variable::Priority { election: None }).unwrap();
    let values: Vec<Option<f64>> = priority.iter().map(|(_, v)| *v).collect();
    let cls = classify(
        &values,
        &ClassMethod::Jenks,
        5,
        ramps::ramp("YlOrRd").unwrap(),
    )
    .unwrap();
    assert_eq!(
        cls.legend.classes.iter().map(|k| k.count).sum::<usize>(),
        896
    );
}

#[test]
fn paris_iris_population_is_preserved_by_area_weighting() {
    let Some(iris) = shared_data("paris/socio/paris_iris_2013_lambert93.geojson") else {
        return;
    };
    let Some(table) = shared_data("paris/socio/RP_2011_CS8_Paris_by_IRIS.csv") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let Some(c) = paris_campaign(dir.path()) else {
        return;
    };
    let precincts = c.precincts().unwrap();
    let spec = OverlaySpec {
        layer: iris,
        layer_name: None,
        key_field: Some("DCOMIRIS".into()),
        crs_epsg: None,
        table: Some(table),
        table_key: Some("IRIS".into()),
        variable: "C11_POP15P".into(),
        kind: OverlayKind::Count,
        higher_is_priority: true,
    };
    let t = std::time::Instant::now();
    let (values, report) = interpolate_overlay(&precincts, &spec).unwrap();
    eprintln!(
        "IRIS → precincts in {:.2} s: {report:?}",
        t.elapsed().as_secs_f64()
    );
    assert_eq!(report.features, 992);
    assert!(report.features_with_value >= 980, "{report:?}");
    let rel = (report.interpolated_total - report.source_total).abs() / report.source_total;
    assert!(
        rel < 0.01,
        "population {} → {}",
        report.source_total,
        report.interpolated_total
    );
    assert_eq!(values.values.len(), 896);

    // As a score term.
    let blocs = vec![Bloc::new("gauche", BlocRole::Ours, &["FI", "SOC"])];
    let settings = ScoreSettings {
        election: Some("presidentielle-1".into()),
        ..Default::default()
    };
    let r = c.score(&settings, Some(&blocs), &[values]).unwrap();
    let k = r.term_index("overlay:C11_POP15P").unwrap();
    assert_eq!(r.precincts.len(), 896);
    assert!(r.precincts.iter().all(|p| p.terms[k].raw.is_some()));
}
