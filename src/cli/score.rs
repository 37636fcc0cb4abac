//! `porte score`, `porte blocs` and `porte classify`: the priority model, the blocs it is built
//! on, and choropleth classes of a variable, over the model's scoring functions.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::cli::colours::{ColourArgs, MapVariable};
use crate::model::Campaign;
use crate::model::import::crs::parse_epsg;
use crate::model::scoring::blocs::{self, Bloc, BlocRole, parse_bloc_spec, set_role};
use crate::model::scoring::overlay::{OverlayKind, OverlaySpec, interpolate_overlay};
use crate::model::scoring::score::{Normalisation, ScoreResult, explain, parse_weights};

/// Blocs given on the command line.
#[derive(Args, Debug, Clone, Default)]
pub struct BlocArgs {
    /// A bloc: NAME=MEMBER,MEMBER where members are candidate labels or party codes, e.g.
    /// --bloc "gauche=MÉLENCHON Jean-Luc,HAMON Benoît" or --bloc "gauche=FI,SOC" (repeatable).
    #[arg(long = "bloc", value_name = "NAME=MEMBERS")]
    pub bloc: Vec<String>,
    /// The bloc that is our camp (default: the only bloc given).
    #[arg(long)]
    pub ours: Option<String>,
    /// A near (persuadable) bloc (repeatable).
    #[arg(long)]
    pub near: Vec<String>,
    /// A rival bloc (repeatable).
    #[arg(long)]
    pub rival: Vec<String>,
}

impl BlocArgs {
    fn is_empty(&self) -> bool {
        self.bloc.is_empty() && self.ours.is_none() && self.near.is_empty() && self.rival.is_empty()
    }

    /// `base` with the `--bloc` definitions added (replacing same-named ones) and roles applied.
    fn apply(&self, mut base: Vec<Bloc>) -> anyhow::Result<Vec<Bloc>> {
        for spec in &self.bloc {
            let b = parse_bloc_spec(spec)?;
            base.retain(|x| !x.name.eq_ignore_ascii_case(&b.name));
            base.push(b);
        }
        if let Some(o) = &self.ours {
            for b in base.iter_mut().filter(|b| b.role == BlocRole::Ours) {
                b.role = BlocRole::Other;
            }
            set_role(&mut base, o, BlocRole::Ours)?;
        } else if self.bloc.len() == 1 && base.len() == 1 {
            base[0].role = BlocRole::Ours;
        }
        for n in &self.near {
            set_role(&mut base, n, BlocRole::Near)?;
        }
        for r in &self.rival {
            set_role(&mut base, r, BlocRole::Rival)?;
        }
        base.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(base)
    }
}

/// An overlay layer as a score term.
#[derive(Args, Debug, Clone, Default)]
pub struct OverlayArgs {
    /// Polygon layer (e.g. INSEE IRIS) whose variable becomes a score term.
    #[arg(long, value_name = "FILE")]
    pub overlay: Option<PathBuf>,
    /// Field of the overlay holding its key (guessed when absent).
    #[arg(long, value_name = "FIELD")]
    pub overlay_key: Option<String>,
    /// CRS of the overlay, overriding the file's (e.g. EPSG:2154).
    #[arg(long, value_name = "EPSG:N")]
    pub overlay_crs: Option<String>,
    /// CSV holding the variable, joined to the overlay by key.
    #[arg(long, value_name = "CSV")]
    pub overlay_table: Option<PathBuf>,
    /// Key column of the CSV (default: the overlay's key field name).
    #[arg(long, value_name = "COLUMN")]
    pub overlay_table_key: Option<String>,
    /// The variable (CSV column, else overlay field), e.g. C11_POP15P.
    #[arg(long, value_name = "NAME")]
    pub overlay_field: Option<String>,
    /// The variable is a mean or rate (area-weighted mean), not a count (split by area).
    #[arg(long)]
    pub overlay_mean: bool,
    /// Low values of the variable mean priority (e.g. median income).
    #[arg(long)]
    pub overlay_low_is_priority: bool,
}

#[derive(Args, Debug)]
pub struct ScoreArgs {
    pub campaign: PathBuf,
    /// Election to score (default: the saved one, else the only one).
    #[arg(long)]
    pub election: Option<String>,
    /// Earlier election for the swing term.
    #[arg(long)]
    pub previous: Option<String>,
    #[command(flatten)]
    pub blocs: BlocArgs,
    /// Term weights, e.g. mobilisation=1,persuasion=0.5,swing=0.5,rival=0.25,overlay:C11_POP15P=0.5
    #[arg(long)]
    pub weights: Option<String>,
    /// minmax (default) or rank.
    #[arg(long)]
    pub normalisation: Option<String>,
    #[command(flatten)]
    pub overlay: OverlayArgs,
    /// Also explain the score of this precinct, term by term.
    #[arg(long, value_name = "CODE")]
    pub explain: Option<String>,
    /// Print only the N highest-priority precincts (human output).
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Save the blocs and settings in the campaign (the GUI and later runs use them).
    #[arg(long)]
    pub save: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct BlocsArgs {
    pub campaign: PathBuf,
    /// Election whose blocs to show or define (default: the saved one, else the only one).
    #[arg(long)]
    pub election: Option<String>,
    /// Start from blocs grouped by nuance (gauche, centre, droite, extrême droite...).
    #[arg(long)]
    pub suggest: bool,
    #[command(flatten)]
    pub blocs: BlocArgs,
    /// Save the resulting blocs for the election.
    #[arg(long)]
    pub save: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ClassifyArgs {
    pub campaign: PathBuf,
    #[command(flatten)]
    pub colours: ColourArgs,
    #[arg(long)]
    pub json: bool,
}

fn open_existing(path: &Path) -> anyhow::Result<Campaign> {
    if !path.exists() {
        bail!("no campaign file {}", path.display());
    }
    Ok(Campaign::open(path)?)
}

fn fmt_opt(v: Option<f64>, digits: usize) -> String {
    v.map(|v| format!("{v:.digits$}"))
        .unwrap_or_else(|| "—".into())
}

/// Runs `porte score`.
pub fn run(args: ScoreArgs) -> anyhow::Result<()> {
    let mut c = open_existing(&args.campaign)?;
    let mut settings = c.scoring_settings()?;
    if args.election.is_some() {
        settings.election = args.election.clone();
        if args.previous.is_none() && settings.previous.as_deref() == args.election.as_deref() {
            settings.previous = None;
        }
    }
    if args.previous.is_some() {
        settings.previous = args.previous.clone();
    }
    if let Some(w) = &args.weights {
        settings.weights.extend(parse_weights(w)?);
    }
    if let Some(n) = &args.normalisation {
        settings.normalisation = Normalisation::parse(n)
            .with_context(|| format!("--normalisation {n}: expected minmax or rank"))?;
    }
    let election = c.scoring_election(settings.election.as_deref())?;
    settings.election = Some(election.clone());
    let blocs = if args.blocs.is_empty() {
        None
    } else {
        let base = if args.blocs.bloc.is_empty() {
            c.blocs(&election)?
        } else {
            Vec::new()
        };
        Some(args.blocs.apply(base)?)
    };

    let mut overlays = Vec::new();
    let mut overlay_report = None;
    if let Some(layer) = &args.overlay.overlay {
        let o = &args.overlay;
        let variable = o
            .overlay_field
            .clone()
            .context("--overlay needs --overlay-field (the variable to interpolate)")?;
        let spec = OverlaySpec {
            layer: layer.clone(),
            layer_name: None,
            key_field: o.overlay_key.clone(),
            crs_epsg: o
                .overlay_crs
                .as_deref()
                .map(|s| {
                    parse_epsg(s).with_context(|| format!("--overlay-crs {s}: expected EPSG:NNNN"))
                })
                .transpose()?,
            table: o.overlay_table.clone(),
            table_key: o.overlay_table_key.clone(),
            variable,
            kind: if o.overlay_mean {
                OverlayKind::Mean
            } else {
                OverlayKind::Count
            },
            higher_is_priority: !o.overlay_low_is_priority,
        };
        let precincts = c.precincts()?;
        let (values, report) = interpolate_overlay(&precincts, &spec)?;
        overlays.push(values);
        overlay_report = Some(report);
    }

    let result = c.score(&settings, blocs.as_deref(), &overlays)?;
    if args.save {
        if let Some(b) = &blocs {
            c.save_blocs(&election, b)?;
        }
        c.save_scoring_settings(&settings)?;
    }
    let explanation = match &args.explain {
        Some(code) => Some(explain(&result, code).with_context(|| {
            match result.unscored.iter().find(|u| &u.code == code) {
                Some(u) => format!("precinct {code} has no score: {}", u.reason),
                None => format!("no precinct {code} in the campaign"),
            }
        })?),
        None => None,
    };
    if args.json {
        let mut v = score_json(&result);
        if let Some(r) = &overlay_report {
            v["overlay"] = serde_json::to_value(r)?;
        }
        if let Some(e) = &explanation {
            v["explain"] = json!({ "code": args.explain, "terms": e });
        }
        v["saved"] = json!(args.save);
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    print!("{}", score_summary(&result, args.top));
    if let Some(r) = &overlay_report {
        println!(
            "overlay {} ({:?}): {} of {} features valued, total {:.1} → {:.1} over the precincts ({:.1} % of its area in a precinct)",
            r.variable,
            r.kind,
            r.features_with_value,
            r.features,
            r.source_total,
            r.interpolated_total,
            r.covered_area_pct
        );
    }
    if let (Some(code), Some(e)) = (&args.explain, &explanation) {
        let p = result.precinct(code).expect("explained");
        println!(
            "\nprecinct {code}: score {:.1}, rank {} of {}, class {}",
            p.score,
            p.rank,
            result.precincts.len(),
            p.class
        );
        println!(
            "  {:<24} {:>12} {:>10} {:>7} {:>12} {:>6}",
            "term", "value", "normalised", "weight", "contribution", "rank"
        );
        for t in e {
            println!(
                "  {:<24} {:>12} {:>10} {:>7.2} {:>12.1} {:>6}",
                t.term,
                fmt_opt(t.raw_value, 2),
                fmt_opt(t.normalised, 3),
                t.weight,
                t.contribution,
                t.rank.map(|r| r.to_string()).unwrap_or_else(|| "—".into())
            );
        }
    }
    if args.save {
        println!("blocs and settings saved in {}", args.campaign.display());
    }
    Ok(())
}

/// The JSON of `porte score --json`.
pub fn score_json(r: &ScoreResult) -> Value {
    let precincts: Vec<Value> = r
        .precincts
        .iter()
        .map(|p| {
            let explained = explain(r, &p.code).unwrap_or_default();
            let terms: Map<String, Value> = explained
                .into_iter()
                .map(|t| {
                    (
                        t.term,
                        json!({
                            "raw": t.raw_value,
                            "normalised": t.normalised,
                            "weight": t.weight,
                            "contribution": t.contribution,
                            "rank": t.rank,
                        }),
                    )
                })
                .collect();
            json!({
                "code": p.code,
                "terms": terms,
                "score": p.score,
                "rank": p.rank,
                "class": p.class,
                "missing_terms": p.missing_terms,
            })
        })
        .collect();
    json!({
        "election": r.election,
        "previous": r.previous,
        "normalisation": r.normalisation,
        "blocs": r.blocs,
        "terms": r.terms,
        "precincts": precincts,
        "unscored": r.unscored,
        "results_without_precinct": r.results_without_precinct,
        "warnings": r.warnings,
    })
}

fn score_summary(r: &ScoreResult, top: Option<usize>) -> String {
    let mut s = format!(
        "priority of {} precincts, election {}{} ({} normalisation)\n",
        r.precincts.len(),
        r.election,
        r.previous
            .as_ref()
            .map(|p| format!(", swing since {p}"))
            .unwrap_or_default(),
        match r.normalisation {
            Normalisation::MinMax => "min-max",
            Normalisation::Rank => "rank",
        }
    );
    for b in &r.blocs {
        s.push_str(&format!(
            "  bloc {} ({}, {}): {}\n",
            b.name,
            b.role.as_str(),
            b.election,
            b.candidates.join(", ")
        ));
    }
    for t in &r.terms {
        s.push_str(&format!(
            "  term {} × {}: {}\n",
            t.name, t.weight, t.description
        ));
    }
    s.push_str(&format!(
        "\n{:>5} {:>5} {:<12} {:>6}",
        "rank", "class", "precinct", "score"
    ));
    for t in &r.terms {
        s.push_str(&format!(" {:>14}", t.name));
    }
    s.push('\n');
    for p in r.precincts.iter().take(top.unwrap_or(usize::MAX)) {
        s.push_str(&format!(
            "{:>5} {:>5} {:<12} {:>6.1}",
            p.rank, p.class, p.code, p.score
        ));
        for v in &p.terms {
            s.push_str(&format!(" {:>14}", fmt_opt(v.raw, 2)));
        }
        s.push('\n');
    }
    if let Some(t) = top
        && t < r.precincts.len()
    {
        s.push_str(&format!(
            "… and {} more (see --json)\n",
            r.precincts.len() - t
        ));
    }
    if !r.unscored.is_empty() {
        s.push_str(&format!("\nno score ({}):\n", r.unscored.len()));
        for u in &r.unscored {
            s.push_str(&format!("  - {}: {}\n", u.code, u.reason));
        }
    }
    if !r.warnings.is_empty() {
        s.push_str("\nwarnings:\n");
        for w in &r.warnings {
            s.push_str(&format!("  - {w}\n"));
        }
    }
    s
}

#[derive(Serialize)]
struct BlocsReport {
    election: String,
    blocs: Vec<Bloc>,
    /// Candidate labels with the bloc they fall in (None: in no bloc).
    candidates: Vec<CandidateRow>,
    /// Candidates left out of the suggestion (no or unknown nuance).
    left_out: Vec<String>,
    saved: bool,
}

#[derive(Serialize)]
struct CandidateRow {
    label: String,
    party: Option<String>,
    bloc: Option<String>,
}

/// Runs `porte blocs`.
pub fn run_blocs(args: BlocsArgs) -> anyhow::Result<()> {
    let mut c = open_existing(&args.campaign)?;
    let settings = c.scoring_settings()?;
    let election = c.scoring_election(args.election.as_deref().or(settings.election.as_deref()))?;
    let e = c.election(&election)?;
    let (base, left_out) = if args.suggest {
        blocs::suggest_blocs(&e)
    } else {
        (c.blocs(&election)?, Vec::new())
    };
    let list = args.blocs.apply(base)?;
    let resolved = blocs::resolve_blocs(&e, &list)?;
    let candidates = e
        .candidates
        .iter()
        .enumerate()
        .map(|(i, cand)| CandidateRow {
            label: cand.label.clone(),
            party: cand.party.clone(),
            bloc: resolved
                .iter()
                .find(|b| b.candidates.contains(&i))
                .map(|b| b.name.clone()),
        })
        .collect();
    if args.save {
        c.save_blocs(&election, &list)?;
    }
    let report = BlocsReport {
        election,
        blocs: list,
        candidates,
        left_out,
        saved: args.save,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!(
        "blocs of {}{}:",
        report.election,
        if args.suggest {
            " (suggested by nuance)"
        } else {
            ""
        }
    );
    if report.blocs.is_empty() {
        println!(
            "  none: define them with --bloc NAME=MEMBERS --ours NAME --save, or start from --suggest"
        );
    }
    for b in &report.blocs {
        println!(
            "  {} [{}]: {}",
            b.name,
            b.role.as_str(),
            b.members.join(", ")
        );
    }
    println!("candidates:");
    for r in &report.candidates {
        println!(
            "  {}{} → {}",
            r.label,
            r.party
                .as_ref()
                .map(|p| format!(" ({p})"))
                .unwrap_or_default(),
            r.bloc.as_deref().unwrap_or("no bloc")
        );
    }
    if report.saved {
        println!("saved in {}", args.campaign.display());
    } else if !report.blocs.is_empty() {
        println!("(not saved: add --save, with --ours NAME to choose our camp)");
    }
    Ok(())
}

/// Runs `porte classify`.
pub fn run_classify(args: ClassifyArgs) -> anyhow::Result<()> {
    let c = open_existing(&args.campaign)?;
    let map = args.colours.classify(&c)?;
    let (values, cls, label) = (&map.values, &map.classification, &map.label);
    let variable = match &map.variable {
        MapVariable::Model(v) => json!(v),
        MapVariable::Doors => json!({ "variable": "doors" }),
    };
    if args.json {
        let rows: Vec<Value> = values
            .iter()
            .zip(&cls.class_of)
            .map(|((code, v), k)| json!({ "code": code, "value": v, "class": k.map(|k| k + 1) }))
            .collect();
        let v = json!({
            "variable": variable,
            "label": label,
            "legend": cls.legend,
            "precincts": rows,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    println!(
        "{} — {} classes, {}, {}",
        label,
        cls.legend.classes.len(),
        cls.legend.method,
        cls.legend.ramp
    );
    for (i, k) in cls.legend.classes.iter().enumerate() {
        let [r, g, b] = k.color_rgb;
        println!(
            "  {}  {:>10.2} – {:<10.2} {:>6} precincts  #{r:02x}{g:02x}{b:02x}",
            i + 1,
            k.lower,
            k.upper,
            k.count
        );
    }
    if cls.legend.no_data > 0 {
        println!("  no data: {} precincts", cls.legend.no_data);
    }
    for n in &cls.legend.notes {
        println!("  note: {n}");
    }
    Ok(())
}
