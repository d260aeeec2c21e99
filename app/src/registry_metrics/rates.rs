//! What happened between two scrapes of one registry process: counter increases (a counter
//! that went down means the process restarted, and counts from zero, as Prometheus'
//! `rate()` assumes), and quantiles of the observations a histogram gained, interpolated
//! within a bucket as Prometheus' `histogram_quantile()` does.

/// How much a counter grew between two readings.
pub fn increase(before: f64, after: f64) -> f64 {
    if after >= before {
        after - before
    } else {
        after
    }
}

/// The bucket counts a histogram gained between two readings (cumulative, by upper bound).
/// After a restart (the count went down) everything the new process counted is new.
pub fn bucket_increase(before: &[(f64, f64)], after: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let restarted = match (before.last(), after.last()) {
        (Some(b), Some(a)) => a.1 < b.1,
        _ => true,
    };
    after
        .iter()
        .map(|&(bound, count)| {
            let old = before
                .iter()
                .find(|(b, _)| *b == bound)
                .map_or(0.0, |(_, c)| *c);
            (
                bound,
                if restarted {
                    count
                } else {
                    (count - old).max(0.0)
                },
            )
        })
        .collect()
}

/// Adds one set of cumulative bucket counts to another with the same bounds (several
/// label sets or pods of one histogram).
pub fn add_buckets(total: &mut Vec<(f64, f64)>, more: &[(f64, f64)]) {
    if total.is_empty() {
        total.extend_from_slice(more);
        return;
    }
    for (bound, count) in more {
        match total.iter_mut().find(|(b, _)| b == bound) {
            Some(entry) => entry.1 += count,
            None => total.push((*bound, *count)),
        }
    }
    total.sort_by(|a, b| a.0.total_cmp(&b.0));
}

/// The `q` quantile (0 to 1) of the observations counted by cumulative buckets; `None`
/// when there are none. The answer lies in the bucket where the rank falls, interpolated
/// linearly; a rank in the `+Inf` bucket answers the highest finite bound.
pub fn histogram_quantile(q: f64, buckets: &[(f64, f64)]) -> Option<f64> {
    let total = buckets.last()?.1;
    if total <= 0.0 || !(0.0..=1.0).contains(&q) {
        return None;
    }
    let rank = q * total;
    let mut lower = (0.0, 0.0);
    for &(bound, count) in buckets {
        if count >= rank {
            if bound.is_infinite() {
                return Some(lower.0);
            }
            if count == lower.1 {
                return Some(bound);
            }
            return Some(lower.0 + (bound - lower.0) * (rank - lower.1) / (count - lower.1));
        }
        lower = (bound, count);
    }
    Some(lower.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_counter_that_went_down_was_reset_and_counts_from_zero() {
        assert_eq!(increase(10.0, 15.0), 5.0);
        assert_eq!(increase(10.0, 3.0), 3.0);
        assert_eq!(increase(0.0, 0.0), 0.0);
    }

    #[test]
    fn quantiles_interpolate_within_the_bucket_like_prometheus() {
        // 10 observations at most 0.1 s, 10 more at most 0.5 s, 0 slower.
        let buckets = [(0.1, 10.0), (0.5, 20.0), (1.0, 20.0), (f64::INFINITY, 20.0)];
        assert_eq!(histogram_quantile(0.5, &buckets), Some(0.1));
        assert!((histogram_quantile(0.75, &buckets).unwrap() - 0.3).abs() < 1e-9);
        assert!((histogram_quantile(0.25, &buckets).unwrap() - 0.05).abs() < 1e-9);
        assert_eq!(
            histogram_quantile(0.99, &[(0.1, 1.0), (f64::INFINITY, 100.0)]),
            Some(0.1)
        );
        assert_eq!(
            histogram_quantile(0.5, &[(0.1, 0.0), (f64::INFINITY, 0.0)]),
            None
        );
        assert_eq!(histogram_quantile(0.5, &[]), None);
    }

    #[test]
    fn buckets_gained_survive_a_restart() {
        let before = [(0.1, 5.0), (f64::INFINITY, 8.0)];
        let after = [(0.1, 7.0), (f64::INFINITY, 11.0)];
        assert_eq!(
            bucket_increase(&before, &after),
            [(0.1, 2.0), (f64::INFINITY, 3.0)]
        );
        let restarted = [(0.1, 1.0), (f64::INFINITY, 2.0)];
        assert_eq!(bucket_increase(&before, &restarted), restarted);
        let mut total = Vec::new();
        add_buckets(&mut total, &after);
        add_buckets(&mut total, &restarted);
        assert_eq!(total, [(0.1, 8.0), (f64::INFINITY, 13.0)]);
    }
}
