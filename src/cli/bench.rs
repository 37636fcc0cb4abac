//! `porte bench import`: times a precinct + address import (with assignment) into a fresh
//! campaign, several runs, and reports the median. Release builds only give meaningful figures.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use serde::Serialize;

use crate::model::import::addresses::AddressImportOptions;
use crate::model::import::precincts::PrecinctImportOptions;
use crate::model::{Campaign, NoProgress};

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Precinct boundaries (default: the bundled sample city's).
    #[arg(long)]
    pub precincts: Option<PathBuf>,
    /// Addresses (default: the bundled sample city's).
    #[arg(long)]
    pub addresses: Option<PathBuf>,
    /// How many runs (the median is reported).
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct BenchReport {
    precincts_file: String,
    addresses_file: String,
    runs: usize,
    precincts: usize,
    addresses: usize,
    in_precincts: usize,
    median_precincts_s: f64,
    median_addresses_s: f64,
    median_total_s: f64,
    all_total_s: Vec<f64>,
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

pub fn run(args: BenchArgs) -> anyhow::Result<()> {
    let sample = crate::model::sample_campaign::bundled_sample_city();
    let precincts_file = args.precincts.unwrap_or(sample.precincts_shp);
    let addresses_file = args.addresses.unwrap_or(sample.addresses_csv);
    let dir = std::env::temp_dir().join(format!("porte-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let (mut t_p, mut t_a, mut t_all) = (Vec::new(), Vec::new(), Vec::new());
    let (mut n_p, mut n_a, mut n_in) = (0, 0, 0);
    for run in 0..args.runs.max(1) {
        let path = dir.join(format!("bench-{run}.gpkg"));
        let start = Instant::now();
        let mut c = Campaign::open(&path)?;
        let p = c.import_precincts(
            &precincts_file,
            &PrecinctImportOptions::default(),
            &NoProgress,
        )?;
        let mid = Instant::now();
        let a = c.import_addresses(
            &addresses_file,
            &AddressImportOptions::default(),
            &NoProgress,
        )?;
        let end = Instant::now();
        drop(c);
        t_p.push((mid - start).as_secs_f64());
        t_a.push((end - mid).as_secs_f64());
        t_all.push((end - start).as_secs_f64());
        (n_p, n_a, n_in) = (p.imported, a.imported, a.in_precincts);
        if !args.json {
            eprintln!("run {}: {:.3} s", run + 1, (end - start).as_secs_f64());
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    let report = BenchReport {
        precincts_file: precincts_file.display().to_string(),
        addresses_file: addresses_file.display().to_string(),
        runs: t_all.len(),
        precincts: n_p,
        addresses: n_a,
        in_precincts: n_in,
        median_precincts_s: median(&mut t_p),
        median_addresses_s: median(&mut t_a),
        median_total_s: median(&mut t_all.clone()),
        all_total_s: t_all,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "import of {} precincts + {} addresses ({} in a precinct): median {:.3} s over {} runs (precincts {:.3} s, addresses {:.3} s)",
            report.precincts,
            report.addresses,
            report.in_precincts,
            report.median_total_s,
            report.runs,
            report.median_precincts_s,
            report.median_addresses_s
        );
    }
    Ok(())
}
