//! Classification of a variable into 3–9 classes for a choropleth: quantiles, equal intervals,
//! Jenks natural breaks and manual breaks, as QGIS core does them (`src/core/classification/`),
//! and the legend (class bounds, counts and ColorBrewer colours).
//!
//! Bounds are `k + 1` increasing values `[min, b1, ..., b(k-1), max]`; class `i` holds the values
//! `v` with `bounds[i] < v <= bounds[i + 1]`, the first class also holding `bounds[0]` (QGIS's
//! upper-inclusive convention).

use serde::Serialize;

use crate::model::error::{ModelError, ModelResult};
use crate::model::scoring::ramps::{MAX_CLASSES, MIN_CLASSES, Ramp};

/// How class bounds are chosen.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClassMethod {
    /// Equal-count classes. The break between class `i` and `i + 1` is the `q = i/k` quantile by
    /// linear interpolation between order statistics (Hyndman–Fan type 7, R's and NumPy's
    /// default): with the values sorted `x[0..n]`, `a = q (n - 1)`, `Xq = x[⌊a⌋] + (a - ⌊a⌋)
    /// (x[⌊a⌋ + 1] - x[⌊a⌋])`. This is what QGIS's `QgsClassificationQuantile` computes (its
    /// comment mentions `q (n + 1)`, its code uses `q (n - 1)` on 0-based indices).
    Quantile,
    /// `k` classes of width `(max - min) / k`.
    EqualInterval,
    /// Jenks natural breaks: the partition of the sorted values into `k` runs minimising the
    /// total within-class sum of squared deviations, found exactly by Fisher's dynamic
    /// programming (O(k m²) over the `m` distinct values, weighted by multiplicity). Each
    /// interior bound is the largest value of its class, as in QGIS's `QgsClassificationJenks`.
    /// Like QGIS (which draws a random sample of max(3000, n/10) values), more than
    /// [`JENKS_MAX_VALUES`] distinct values are first reduced to that many evenly spaced order
    /// statistics (min and max included) — deterministic, unlike QGIS.
    Jenks,
    /// Interior breaks given by the user (`k - 1` strictly increasing values); the outer bounds
    /// are the data's min and max (widened to include the breaks).
    Manual(Vec<f64>),
}

impl ClassMethod {
    /// `quantile`, `equal`, `jenks`; manual breaks come from [`ClassMethod::Manual`].
    pub fn parse(s: &str) -> Option<ClassMethod> {
        match s.trim().to_ascii_lowercase().as_str() {
            "quantile" | "quantiles" | "equal-count" => Some(ClassMethod::Quantile),
            "equal" | "equal-interval" | "equal-intervals" | "equal_interval" => {
                Some(ClassMethod::EqualInterval)
            }
            "jenks" | "natural-breaks" => Some(ClassMethod::Jenks),
            _ => None,
        }
    }
    pub fn name(&self) -> &'static str {
        match self {
            ClassMethod::Quantile => "quantile",
            ClassMethod::EqualInterval => "equal_interval",
            ClassMethod::Jenks => "jenks",
            ClassMethod::Manual(_) => "manual",
        }
    }
}

/// Largest number of distinct values Jenks classifies exactly (QGIS: 3000).
pub const JENKS_MAX_VALUES: usize = 3000;

/// One class of a legend.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LegendClass {
    pub lower: f64,
    pub upper: f64,
    /// Values in the class.
    pub count: usize,
    pub color_rgb: [u8; 3],
}

/// A choropleth legend: classes from low to high values, and how many values had no data.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Legend {
    pub method: String,
    pub ramp: String,
    pub classes: Vec<LegendClass>,
    pub no_data: usize,
    /// e.g. "only 2 distinct values: 2 classes instead of 5".
    pub notes: Vec<String>,
}

/// A classified variable: the legend, and the class (index into `legend.classes`) of each input
/// value, `None` for missing values.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Classification {
    pub legend: Legend,
    pub class_of: Vec<Option<usize>>,
}

fn check_classes(classes: usize) -> ModelResult<()> {
    if !(MIN_CLASSES..=MAX_CLASSES).contains(&classes) {
        return Err(ModelError::Invalid(format!(
            "{classes} classes: choose between {MIN_CLASSES} and {MAX_CLASSES}"
        )));
    }
    Ok(())
}

fn sorted_finite(values: &[f64]) -> Vec<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    v
}

/// Class bounds (`k + 1` values) of `values` (non-finite ones ignored) for `classes` classes.
/// Bounds may repeat when the data has fewer distinct values than classes; [`classify`] merges
/// such empty classes.
pub fn class_bounds(values: &[f64], method: &ClassMethod, classes: usize) -> ModelResult<Vec<f64>> {
    check_classes(classes)?;
    let x = sorted_finite(values);
    let (Some(&min), Some(&max)) = (x.first(), x.last()) else {
        return Err(ModelError::Invalid("no values to classify".into()));
    };
    let k = classes;
    let mut b = match method {
        ClassMethod::EqualInterval => {
            let step = (max - min) / k as f64;
            (0..=k).map(|i| min + step * i as f64).collect::<Vec<_>>()
        }
        ClassMethod::Quantile => {
            let n = x.len();
            let mut b = vec![min];
            for i in 1..k {
                let a = i as f64 / k as f64 * (n - 1) as f64;
                let lo = a.floor() as usize;
                let r = a - lo as f64;
                let hi = (lo + 1).min(n - 1);
                b.push((1.0 - r) * x[lo] + r * x[hi]);
            }
            b.push(max);
            b
        }
        ClassMethod::Jenks => jenks_bounds(&x, k),
        ClassMethod::Manual(breaks) => {
            if breaks.len() + 1 != k {
                return Err(ModelError::Invalid(format!(
                    "{k} classes need {} manual breaks, {} given",
                    k - 1,
                    breaks.len()
                )));
            }
            if breaks.windows(2).any(|w| w[0] >= w[1]) || breaks.iter().any(|b| !b.is_finite()) {
                return Err(ModelError::Invalid(format!(
                    "manual breaks must increase strictly: {breaks:?}"
                )));
            }
            let mut b = vec![min.min(breaks[0])];
            b.extend(breaks);
            b.push(max.max(*breaks.last().expect("k >= 3")));
            b
        }
    };
    // Floating point: the last bound is exactly the max so it is never missed.
    if !matches!(method, ClassMethod::Manual(_)) {
        b[0] = min;
        b[k] = max;
    }
    Ok(b)
}

/// Fisher–Jenks over sorted values; returns `k + 1` bounds.
fn jenks_bounds(sorted: &[f64], k: usize) -> Vec<f64> {
    // Distinct values with their multiplicity.
    let mut vals: Vec<f64> = Vec::new();
    let mut weights: Vec<f64> = Vec::new();
    for &v in sorted {
        if vals.last() == Some(&v) {
            *weights.last_mut().expect("same length") += 1.0;
        } else {
            vals.push(v);
            weights.push(1.0);
        }
    }
    if vals.len() > JENKS_MAX_VALUES {
        // Evenly spaced order statistics of the full data, min and max included.
        let n = sorted.len();
        let m = JENKS_MAX_VALUES;
        vals.clear();
        weights.clear();
        for i in 0..m {
            let v = sorted[i * (n - 1) / (m - 1)];
            if vals.last() == Some(&v) {
                *weights.last_mut().expect("same length") += 1.0;
            } else {
                vals.push(v);
                weights.push(1.0);
            }
        }
    }
    let m = vals.len();
    let min = vals[0];
    let max = vals[m - 1];
    if m <= k {
        // Each distinct value its own class; the remaining bounds repeat the max.
        let mut b = vec![min];
        b.extend(vals.iter().skip(1).copied());
        b.resize(k + 1, max);
        if m == 1 {
            b = vec![min; k + 1];
        }
        return b;
    }
    // Prefix sums of weights, weighted values and weighted squares (centred for precision).
    let mean =
        vals.iter().zip(&weights).map(|(v, w)| v * w).sum::<f64>() / weights.iter().sum::<f64>();
    let mut pw = vec![0.0; m + 1];
    let mut px = vec![0.0; m + 1];
    let mut pxx = vec![0.0; m + 1];
    for i in 0..m {
        let d = vals[i] - mean;
        pw[i + 1] = pw[i] + weights[i];
        px[i + 1] = px[i] + weights[i] * d;
        pxx[i + 1] = pxx[i] + weights[i] * d * d;
    }
    // Sum of squared deviations of distinct values i..j (inclusive).
    let ssd = |i: usize, j: usize| -> f64 {
        let w = pw[j + 1] - pw[i];
        let s = px[j + 1] - px[i];
        (pxx[j + 1] - pxx[i] - s * s / w).max(0.0)
    };
    // cost[c][j]: best cost of values 0..=j in c + 1 classes; start[c][j]: first index of the
    // last class in that solution.
    let mut cost = vec![vec![f64::INFINITY; m]; k];
    let mut start = vec![vec![0usize; m]; k];
    for (j, c0) in cost[0].iter_mut().enumerate() {
        *c0 = ssd(0, j);
    }
    for c in 1..k {
        for j in c..m {
            let mut best = f64::INFINITY;
            let mut best_i = c;
            for i in c..=j {
                let v = cost[c - 1][i - 1] + ssd(i, j);
                if v < best {
                    best = v;
                    best_i = i;
                }
            }
            cost[c][j] = best;
            start[c][j] = best_i;
        }
    }
    let mut uppers = vec![max];
    let mut j = m - 1;
    for c in (1..k).rev() {
        let i = start[c][j];
        uppers.push(vals[i - 1]);
        j = i - 1;
    }
    uppers.push(min);
    uppers.reverse();
    uppers
}

/// The class (0-based) of `v` for `bounds` (upper-inclusive; below the first bound → class 0,
/// above the last → last class).
pub fn class_index(bounds: &[f64], v: f64) -> usize {
    let k = bounds.len().saturating_sub(1).max(1);
    // First upper bound >= v.
    let i = bounds[1..].partition_point(|&u| u < v);
    i.min(k - 1)
}

/// Classifies `values` (`None` = no data) with `method` into `classes` classes coloured by
/// `ramp`. Zero-width empty classes (fewer distinct values than classes) are merged, and the
/// legend says so; a zero-width class holding values (e.g. a Jenks class of the minimum alone)
/// is kept.
pub fn classify(
    values: &[Option<f64>],
    method: &ClassMethod,
    classes: usize,
    ramp: &Ramp,
) -> ModelResult<Classification> {
    let present: Vec<f64> = values
        .iter()
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    let no_data = values.len() - present.len();
    let mut notes = Vec::new();
    let mut bounds = class_bounds(&present, method, classes)?;
    // Zero-width classes that hold nothing (fewer distinct values than classes) are merged away;
    // manual classes are the user's and stay, empty or not.
    if !matches!(method, ClassMethod::Manual(_)) {
        let mut counts = vec![0usize; bounds.len() - 1];
        for &v in &present {
            counts[class_index(&bounds, v)] += 1;
        }
        let mut kept = vec![bounds[0]];
        for i in 0..counts.len() {
            if bounds[i + 1] > bounds[i] || counts[i] > 0 {
                kept.push(bounds[i + 1]);
            }
        }
        if kept.len() < 2 {
            kept.push(bounds[0]);
        }
        if kept.len() < bounds.len() {
            notes.push(format!(
                "the values allow only {} distinct classes instead of {}",
                kept.len() - 1,
                bounds.len() - 1
            ));
        }
        bounds = kept;
    }
    let k = bounds.len() - 1;
    let colors = ramp.colors_rgb(k.max(MIN_CLASSES)).expect("k is at most 9");
    // With fewer than 3 classes, use the ends of the 3-class ramp.
    let color_of = |i: usize| -> [u8; 3] {
        if k >= MIN_CLASSES {
            colors[i]
        } else {
            colors[if k == 1 { 2 } else { i * 2 }]
        }
    };
    let mut counts = vec![0usize; k];
    let class_of: Vec<Option<usize>> = values
        .iter()
        .map(|v| {
            v.filter(|v| v.is_finite()).map(|v| {
                let c = class_index(&bounds, v);
                counts[c] += 1;
                c
            })
        })
        .collect();
    let legend = Legend {
        method: method.name().to_string(),
        ramp: ramp.name.to_string(),
        classes: (0..k)
            .map(|i| LegendClass {
                lower: bounds[i],
                upper: bounds[i + 1],
                count: counts[i],
                color_rgb: color_of(i),
            })
            .collect(),
        no_data,
        notes,
    };
    Ok(Classification { legend, class_of })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::scoring::ramps::ramp;

    const TEN: [f64; 10] = [1.0, 2.0, 4.0, 5.0, 7.0, 8.0, 9.0, 15.0, 16.0, 30.0];

    fn sse(groups: &[&[f64]]) -> f64 {
        groups
            .iter()
            .map(|g| {
                let m = g.iter().sum::<f64>() / g.len() as f64;
                g.iter().map(|x| (x - m).powi(2)).sum::<f64>()
            })
            .sum()
    }

    #[test]
    fn jenks_finds_the_brute_force_optimum_of_ten_values() {
        // Brute force over every split of the 10 sorted values into 3 non-empty runs.
        let mut best = (f64::INFINITY, 0, 0);
        for a in 1..9 {
            for b in a + 1..10 {
                let s = sse(&[&TEN[..a], &TEN[a..b], &TEN[b..]]);
                if s < best.0 {
                    best = (s, a, b);
                }
            }
        }
        // By hand: {1,2,4,5,7,8,9} {15,16} {30}: SSE (240 - 36²/7) + 0.5 + 0 = 54.857 + 0.5
        // = 55.357, better than the runner-up {1..8} {9,15,16} {30} (66.17) or e.g.
        // {1,2,4,5} {7,8,9} {15,16,30} (10 + 2 + 140.67).
        assert_eq!((best.1, best.2), (7, 9));
        assert!((best.0 - 55.357_142_857).abs() < 1e-6, "{}", best.0);
        let b = class_bounds(&TEN, &ClassMethod::Jenks, 3).unwrap();
        assert_eq!(b, vec![1.0, 9.0, 16.0, 30.0]);
        // Order and duplicates do not matter.
        let mut shuffled = TEN.to_vec();
        shuffled.reverse();
        shuffled.push(16.0);
        assert_eq!(
            class_bounds(&shuffled, &ClassMethod::Jenks, 3).unwrap(),
            vec![1.0, 9.0, 16.0, 30.0]
        );
    }

    #[test]
    fn quantile_breaks_interpolate_like_qgis() {
        // n = 10, k = 4: a = q·9 → 2.25, 4.5, 6.75.
        // q = 1/4: x[2] + 0.25 (x[3] - x[2]) = 4 + 0.25 = 4.25
        // q = 2/4: x[4] + 0.5 (x[5] - x[4]) = 7.5
        // q = 3/4: x[6] + 0.75 (x[7] - x[6]) = 9 + 4.5 = 13.5
        let b = class_bounds(&TEN, &ClassMethod::Quantile, 4).unwrap();
        assert_eq!(b, vec![1.0, 4.25, 7.5, 13.5, 30.0]);
        let c = classify(
            &TEN.iter().map(|v| Some(*v)).collect::<Vec<_>>(),
            &ClassMethod::Quantile,
            4,
            ramp("Blues").unwrap(),
        )
        .unwrap();
        let counts: Vec<usize> = c.legend.classes.iter().map(|c| c.count).collect();
        assert_eq!(counts, vec![3, 2, 2, 3]);
    }

    #[test]
    fn equal_intervals_and_manual_breaks() {
        let b = class_bounds(&TEN, &ClassMethod::EqualInterval, 3).unwrap();
        // width (30 - 1) / 3 = 9.6667
        assert_eq!(b[0], 1.0);
        assert!((b[1] - 10.666_666_666).abs() < 1e-6 && (b[2] - 20.333_333_333).abs() < 1e-6);
        assert_eq!(b[3], 30.0);
        let values: Vec<Option<f64>> = TEN.iter().map(|v| Some(*v)).chain([None]).collect();
        let c = classify(
            &values,
            &ClassMethod::Manual(vec![5.0, 10.0]),
            3,
            ramp("YlOrRd").unwrap(),
        )
        .unwrap();
        let counts: Vec<usize> = c.legend.classes.iter().map(|c| c.count).collect();
        // ≤5: 1 2 4 5; (5,10]: 7 8 9; >10: 15 16 30 (upper-inclusive).
        assert_eq!(counts, vec![4, 3, 3]);
        assert_eq!(c.legend.no_data, 1);
        assert_eq!(c.class_of[3], Some(0));
        assert_eq!(c.class_of[10], None);
        assert_eq!(c.legend.classes[2].color_rgb, [240, 59, 32]);
        assert!(class_bounds(&TEN, &ClassMethod::Manual(vec![5.0]), 3).is_err());
        assert!(class_bounds(&TEN, &ClassMethod::Manual(vec![5.0, 5.0]), 3).is_err());
        assert!(class_bounds(&TEN, &ClassMethod::Quantile, 2).is_err());
        assert!(class_bounds(&TEN, &ClassMethod::Quantile, 10).is_err());
        assert!(class_bounds(&[], &ClassMethod::Quantile, 5).is_err());
    }

    #[test]
    fn few_distinct_values_merge_classes() {
        let values = vec![Some(1.0), Some(1.0), Some(2.0), Some(2.0)];
        for m in [
            ClassMethod::Quantile,
            ClassMethod::Jenks,
            ClassMethod::EqualInterval,
        ] {
            let c = classify(&values, &m, 5, ramp("Reds").unwrap()).unwrap();
            let total: usize = c.legend.classes.iter().map(|c| c.count).sum();
            assert_eq!(total, 4, "{m:?}");
            assert!(
                c.legend
                    .classes
                    .windows(2)
                    .all(|w| w[0].upper <= w[1].lower + 1e-12)
            );
        }
        let c = classify(
            &[Some(3.0); 4],
            &ClassMethod::Jenks,
            5,
            ramp("Reds").unwrap(),
        )
        .unwrap();
        assert_eq!(c.legend.classes.len(), 1);
        assert_eq!(c.legend.classes[0].count, 4);
    }

    #[test]
    fn a_class_of_the_minimum_alone_is_kept() {
        // Jenks puts the outlier 0 alone: bounds [0, 0, 11, 21], the first class [0, 0].
        let v = [0.0, 10.0, 10.5, 11.0, 20.0, 20.5, 21.0];
        assert_eq!(
            class_bounds(&v, &ClassMethod::Jenks, 3).unwrap(),
            vec![0.0, 0.0, 11.0, 21.0]
        );
        let values: Vec<Option<f64>> = v.iter().map(|x| Some(*x)).collect();
        let c = classify(&values, &ClassMethod::Jenks, 3, ramp("Reds").unwrap()).unwrap();
        let counts: Vec<usize> = c.legend.classes.iter().map(|c| c.count).collect();
        assert_eq!(counts, vec![1, 3, 3]);
        assert!(c.legend.notes.is_empty());
    }

    #[test]
    fn jenks_on_many_values_is_sampled_and_fast() {
        let values: Vec<f64> = (0..69_000).map(|i| ((i * 7919) % 10_007) as f64).collect();
        let t = std::time::Instant::now();
        let b = class_bounds(&values, &ClassMethod::Jenks, 5).unwrap();
        assert_eq!(b.len(), 6);
        assert!(b.windows(2).all(|w| w[0] < w[1]), "{b:?}");
        assert!(t.elapsed().as_secs_f64() < 20.0);
    }
}
