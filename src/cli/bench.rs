//! `porte bench`: times a precinct + address import (with assignment) into a fresh campaign,
//! several runs, and reports the median; `porte bench map`: the per-frame CPU cost of the map
//! layers (see `ui::map::bench`); `porte bench turfs`: the auto-cut of N doors into M turfs;
//! `porte bench sheets`: an operation's walk sheets (see `cli::export_sheets`).
//! Release builds only give meaningful figures.

use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, Subcommand};
use serde::Serialize;

use crate::model::import::addresses::AddressImportOptions;
use crate::model::import::precincts::PrecinctImportOptions;
use crate::model::{Campaign, NoProgress};

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BenchArgs {
    #[command(subcommand)]
    pub command: Option<BenchCommand>,
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

#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// Per-frame cost of the map layers (prepare + cull + tessellate + paint list), no GPU.
    Map(MapBenchArgs),
    /// Auto-cut speed: N doors into M turfs (default 5,000 into 20 on a synthetic street grid).
    Turfs(TurfBenchArgs),
    /// Walk sheets of an operation of N turfs (default 50): routes + layout + one PDF.
    Sheets(crate::cli::export_sheets::SheetBenchArgs),
    /// Route speed and quality: a synthetic N-door turf on a street grid and the sample city's
    /// biggest turf (time, tour length, street-alphabetical length).
    Route(RouteBenchArgs),
}

#[derive(Args, Debug)]
pub struct RouteBenchArgs {
    /// Doors of the synthetic turf.
    #[arg(long, default_value_t = 500)]
    pub doors: usize,
    /// Doors per turf when cutting the sample city (its biggest turf is routed).
    #[arg(long, default_value_t = 250)]
    pub sample_doors_per_turf: usize,
    /// How many runs (the median is reported).
    #[arg(long, default_value_t = 7)]
    pub runs: usize,
    /// Back to the start at the end.
    #[arg(long = "return")]
    pub return_to_start: bool,
    /// Write the distance matrices (and our tours) as JSON for scripts/bench_route_ortools.py.
    #[arg(long)]
    pub matrix_out: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct RouteBenchCase {
    source: String,
    turf_id: i64,
    doors: usize,
    stops: usize,
    runs: usize,
    /// `Campaign::route_turf` end to end (load, graph, links, matrix, tour, path).
    median_route_ms: f64,
    all_route_ms: Vec<f64>,
    /// The tour heuristic alone on the matrix.
    median_tour_ms: f64,
    length_m: f64,
    minutes: f64,
    alphabetical_m: f64,
    /// 1 − length / alphabetical.
    shorter_than_alphabetical: f64,
    /// By street, odd numbers up and even down, streets chained by proximity (the no-graph
    /// fallback's order), on the same matrix.
    street_order_m: f64,
    shorter_than_street_order: f64,
}

#[derive(Serialize)]
struct MatrixCase {
    source: String,
    closed: bool,
    /// Walking metres, row-major, node 0 the start.
    matrix_m: Vec<Vec<f64>>,
    /// Our stop order (matrix nodes, without the start) and its length.
    our_order: Vec<usize>,
    our_length_m: f64,
    alphabetical_m: f64,
}

#[derive(Args, Debug)]
pub struct TurfBenchArgs {
    /// Cut these precincts of a copy of this campaign instead of a synthetic quarter.
    #[arg(long, requires = "precinct")]
    pub campaign: Option<PathBuf>,
    /// Precinct code(s) to cut, with --campaign.
    #[arg(long)]
    pub precinct: Vec<String>,
    /// Doors of the synthetic quarter.
    #[arg(long, default_value_t = 5000)]
    pub doors: usize,
    /// Turfs to cut.
    #[arg(long, default_value_t = 20)]
    pub turfs: usize,
    /// How many runs (the median is reported).
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct TurfBenchReport {
    source: String,
    doors: usize,
    turfs: usize,
    runs: usize,
    median_s: f64,
    all_s: Vec<f64>,
    doors_min: usize,
    doors_max: usize,
    doors_ratio: f64,
    compactness_mean: f64,
    all_contiguous: bool,
}

#[derive(Args, Debug)]
pub struct MapBenchArgs {
    /// Precincts: a campaign .gpkg (its addresses are drawn too) or any precinct file Porte
    /// imports (default: the bundled sample city's campaign).
    #[arg(long, conflicts_with = "synthetic")]
    pub precincts: Option<PathBuf>,
    /// Generate this many precincts over metropolitan France instead (e.g. 69000).
    #[arg(long)]
    pub synthetic: Option<usize>,
    /// Frames of the pan/zoom sequence (split over overview, zoom in, street level).
    #[arg(long, default_value_t = 150)]
    pub frames: usize,
    /// Viewport size in points, WIDTHxHEIGHT.
    #[arg(long, default_value = "1280x760")]
    pub size: String,
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
    match args.command {
        Some(BenchCommand::Map(map)) => return run_map(map),
        Some(BenchCommand::Turfs(t)) => return run_turfs(t),
        Some(BenchCommand::Sheets(t)) => return crate::cli::export_sheets::run_bench(t),
        Some(BenchCommand::Route(r)) => return run_route(r),
        None => {}
    }
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

/// Reads the precincts (and doors, from a campaign) the map benchmark draws.
fn map_bench_input(
    args: &MapBenchArgs,
) -> anyhow::Result<(String, Vec<crate::model::precinct::Precinct>, Vec<[f64; 2]>)> {
    use anyhow::Context as _;
    if let Some(n) = args.synthetic {
        let precincts = crate::ui::map::synthetic::synthetic_precincts(
            n,
            crate::ui::map::synthetic::FRANCE_BBOX_WGS84,
        );
        return Ok((
            format!("synthetic grid of {n} precincts"),
            precincts,
            Vec::new(),
        ));
    }
    let path = match &args.precincts {
        Some(path) => path.clone(),
        None => crate::model::sample_campaign::ensure_sample_campaign()?,
    };
    let is_campaign = path.extension().is_some_and(|e| e == "gpkg")
        && Campaign::open(&path)
            .and_then(|c| c.info())
            .is_ok_and(|info| info.precincts > 0);
    if is_campaign {
        let c = Campaign::open(&path)?;
        let precincts = c.precincts()?;
        let doors = crate::ui::tasks::address_points_wgs84(c.connection())?;
        return Ok((path.display().to_string(), precincts, doors));
    }
    let dir = std::env::temp_dir().join(format!("porte-bench-map-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let mut c = Campaign::open(dir.join("bench.gpkg"))?;
    c.import_precincts(&path, &PrecinctImportOptions::default(), &NoProgress)
        .with_context(|| format!("cannot read precincts from {}", path.display()))?;
    let precincts = c.precincts()?;
    drop(c);
    let _ = std::fs::remove_dir_all(&dir);
    Ok((path.display().to_string(), precincts, Vec::new()))
}

fn run_map(args: MapBenchArgs) -> anyhow::Result<()> {
    let (w, h) = args
        .size
        .split_once('x')
        .and_then(|(w, h)| Some((w.trim().parse::<f32>().ok()?, h.trim().parse::<f32>().ok()?)))
        .ok_or_else(|| anyhow::anyhow!("--size wants WIDTHxHEIGHT, e.g. 1280x760"))?;
    let (source, precincts, doors) = map_bench_input(&args)?;
    let report = crate::ui::map::bench::run_map_bench(
        &source,
        &precincts,
        &doors,
        args.frames,
        egui::vec2(w, h),
    );
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "map layers of {} ({} precincts, {} doors), {}x{} points",
            report.source, report.precincts, report.addresses, w, h
        );
        println!(
            "first load: layer cache {:.1} ms ({} cached vertices), doors index {:.1} ms, first frame {:.1} ms",
            report.first_load_ms,
            report.cached_vertices,
            report.address_layer_ms,
            report.first_frame_ms
        );
        println!(
            "per frame over {} frames: median {:.2} ms, p95 {:.2} ms, max {:.2} ms (layer paint {:.2} ms, tessellation {:.2} ms)",
            report.frames,
            report.median_ms,
            report.p95_ms,
            report.max_ms,
            report.median_paint_ms,
            report.median_tessellate_ms
        );
        for p in &report.phases {
            println!(
                "  {:<13} zoom {:>5.2}..{:<5.2} median {:>6.2} ms  p95 {:>6.2} ms  (paint {:.2}, tessellation {:.2})  polygons {:>6}  quads {:>6}  fill vertices {:>7}  outline vertices {:>7}  doors {:>6}",
                p.name,
                p.zoom_from,
                p.zoom_to,
                p.median_ms,
                p.p95_ms,
                p.median_paint_ms,
                p.median_tessellate_ms,
                p.median_precincts_drawn,
                p.median_tiny_quads,
                p.median_fill_vertices,
                p.median_outline_vertices,
                p.median_address_dots
            );
        }
    }
    Ok(())
}

/// Times `cut_turfs` (reading doors, cutting, saving; with replace, so every run does the same
/// work) on a synthetic quarter or a copy of a campaign.
fn run_turfs(args: TurfBenchArgs) -> anyhow::Result<()> {
    use crate::model::turfs::{CutRequest, CutTarget};
    let dir = std::env::temp_dir().join(format!("porte-bench-turfs-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("bench.gpkg");
    let (source, precincts) = match &args.campaign {
        Some(c) => {
            // Copy through SQLite so a campaign open elsewhere (WAL) is read consistently.
            Campaign::open(c)?
                .connection()
                .execute("VACUUM INTO ?1", [path.display().to_string()])?;
            (c.display().to_string(), args.precinct.clone())
        }
        None => {
            let mut c = Campaign::open(&path)?;
            let code = crate::model::turfs::synthetic::build_synthetic_quarter(&mut c, args.doors)?;
            (
                format!("synthetic quarter of {} doors", args.doors),
                vec![code],
            )
        }
    };
    let mut c = Campaign::open(&path)?;
    let req = CutRequest {
        precincts,
        area_wgs84: None,
        target: CutTarget::Turfs(args.turfs),
        replace: true,
        name_prefix: None,
    };
    let mut times = Vec::new();
    let mut last = None;
    for run in 0..args.runs.max(1) {
        let start = Instant::now();
        let r = c.cut_turfs(&req, None, &[], &NoProgress)?;
        let t = start.elapsed().as_secs_f64();
        if !args.json {
            eprintln!("run {}: {:.3} s", run + 1, t);
        }
        times.push(t);
        last = Some(r);
    }
    drop(c);
    let _ = std::fs::remove_dir_all(&dir);
    let r = last.expect("at least one run");
    let report = TurfBenchReport {
        source,
        doors: r.doors,
        turfs: r.turfs.len(),
        runs: times.len(),
        median_s: median(&mut times.clone()),
        all_s: times,
        doors_min: r.doors_min,
        doors_max: r.doors_max,
        doors_ratio: r.doors_ratio,
        compactness_mean: r.compactness_mean,
        all_contiguous: r.all_contiguous,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "cut of {} doors into {} turfs ({}): median {:.3} s over {} runs; doors {}–{} (max/min {:.2}), compactness {:.2}, {}",
            report.doors,
            report.turfs,
            report.source,
            report.median_s,
            report.runs,
            report.doors_min,
            report.doors_max,
            report.doors_ratio,
            report.compactness_mean,
            if report.all_contiguous {
                "all contiguous"
            } else {
                "not all contiguous"
            }
        );
    }
    Ok(())
}

/// Routes one turf `runs` times and measures its tour against street-alphabetical order.
fn bench_route_case(
    c: &Campaign,
    source: String,
    turf_id: i64,
    args: &RouteBenchArgs,
) -> anyhow::Result<(RouteBenchCase, MatrixCase)> {
    use crate::model::routing::RouteOptions;
    let options = RouteOptions {
        return_to_start: args.return_to_start,
        ..RouteOptions::default()
    };
    let mut times = Vec::new();
    let mut route = None;
    for _ in 0..args.runs.max(1) {
        let start = Instant::now();
        let r = c.route_turf(turf_id, &options)?;
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        route = Some(r);
    }
    let route = route.expect("at least one run");
    let problem = c.route_problem(turf_id, &options)?.ok_or_else(|| {
        anyhow::anyhow!(
            "{source}: turf {turf_id} is not routed on a street graph ({:?})",
            route.notes
        )
    })?;
    let mut tour_times = Vec::new();
    let mut order = Vec::new();
    for _ in 0..args.runs.max(1) {
        let start = Instant::now();
        order = problem.solve();
        tour_times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    let length_m = problem.length_m(&order);
    let alphabetical_m = problem.length_m(&problem.alphabetical_order());
    let street_order_m = problem.length_m(&problem.street_order());
    let n = problem.matrix.n;
    let case = RouteBenchCase {
        source: source.clone(),
        turf_id,
        doors: route.stops.len(),
        stops: problem.stops.len(),
        runs: times.len(),
        median_route_ms: median(&mut times.clone()),
        all_route_ms: times,
        median_tour_ms: median(&mut tour_times),
        length_m,
        minutes: route.minutes,
        alphabetical_m,
        shorter_than_alphabetical: 1.0 - length_m / alphabetical_m,
        street_order_m,
        shorter_than_street_order: 1.0 - length_m / street_order_m,
    };
    let matrix = MatrixCase {
        source,
        closed: problem.closed,
        matrix_m: problem.matrix.m.chunks(n).map(|r| r.to_vec()).collect(),
        our_order: order.iter().map(|k| k + 1).collect(),
        our_length_m: length_m,
        alphabetical_m,
    };
    Ok((case, matrix))
}

/// `porte bench route`: a synthetic turf of `--doors` doors on a street grid, and the biggest
/// turf of the sample city cut into turfs of about `--sample-doors-per-turf` doors.
fn run_route(args: RouteBenchArgs) -> anyhow::Result<()> {
    use crate::model::turfs::{CutRequest, CutTarget};
    let dir = std::env::temp_dir().join(format!("porte-bench-route-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let mut cases = Vec::new();
    let mut matrices = Vec::new();
    // The synthetic quarter as one turf.
    {
        let mut c = Campaign::open(dir.join("synthetic.gpkg"))?;
        let code = crate::model::turfs::synthetic::build_synthetic_quarter(&mut c, args.doors)?;
        crate::model::turfs::synthetic::add_synthetic_streets(&mut c)?;
        let req = CutRequest {
            precincts: vec![code],
            area_wgs84: None,
            target: CutTarget::Turfs(1),
            replace: true,
            name_prefix: None,
        };
        let cut = c.cut_turfs(&req, None, &[], &NoProgress)?;
        let turf = cut
            .turfs
            .first()
            .ok_or_else(|| anyhow::anyhow!("the synthetic cut made no turf"))?;
        let source = format!("synthetic grid, {} doors", args.doors);
        let (case, m) = bench_route_case(&c, source, turf.id, &args)?;
        cases.push(case);
        matrices.push(m);
    }
    // The sample city's biggest turf.
    {
        let sample = crate::model::sample_campaign::ensure_sample_campaign()?;
        let path = dir.join("sample.gpkg");
        Campaign::open(&sample)?
            .connection()
            .execute("VACUUM INTO ?1", [path.display().to_string()])?;
        let mut c = Campaign::open(&path)?;
        let precincts: Vec<String> = c.precincts()?.into_iter().map(|p| p.code).collect();
        let req = CutRequest {
            precincts,
            area_wgs84: None,
            target: CutTarget::DoorsPerTurf(args.sample_doors_per_turf),
            replace: true,
            name_prefix: Some("Sample".into()),
        };
        c.cut_turfs(&req, None, &[], &NoProgress)?;
        let biggest = c
            .turfs()?
            .into_iter()
            .max_by_key(|t| (t.doors(), -t.id))
            .ok_or_else(|| anyhow::anyhow!("the sample city cut made no turf"))?;
        let source = format!("sample city, biggest turf ({})", biggest.name);
        let (case, m) = bench_route_case(&c, source, biggest.id, &args)?;
        cases.push(case);
        matrices.push(m);
    }
    let _ = std::fs::remove_dir_all(&dir);
    if let Some(out) = &args.matrix_out {
        std::fs::write(out, serde_json::to_string(&matrices)?)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", out.display()))?;
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&cases)?);
    } else {
        for c in &cases {
            println!(
                "{}: {} doors ({} stops), route median {:.1} ms over {} runs (tour {:.1} ms); length {:.0} m, {:.0} min; street-alphabetical {:.0} m ({:.1} % shorter); street order {:.0} m ({:.1} % shorter)",
                c.source,
                c.doors,
                c.stops,
                c.median_route_ms,
                c.runs,
                c.median_tour_ms,
                c.length_m,
                c.minutes,
                c.alphabetical_m,
                100.0 * c.shorter_than_alphabetical,
                c.street_order_m,
                100.0 * c.shorter_than_street_order
            );
        }
        if let Some(out) = &args.matrix_out {
            println!("matrices written to {}", out.display());
        }
    }
    Ok(())
}
