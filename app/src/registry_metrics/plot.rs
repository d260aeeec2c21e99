//! A chart as SVG geometry: each line's path in a fixed view box, the scale's top, and the
//! numbers as people read them. Drawn by the app; no chart library.

use super::charts::{Chart, Missing, Unit};
use super::view::Moment;

/// The view box every chart is drawn in; CSS sizes it.
pub const WIDTH: f64 = 320.0;
pub const HEIGHT: f64 = 120.0;

/// A point of a line: x in the view box, and the value.
type Point = (f64, f64);

/// One line of a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct PlotLine {
    pub name: String,
    /// SVG path data; a moment without the line breaks it (no line drawn through a gap).
    pub path: String,
    /// The line's latest value.
    pub last: Option<f64>,
}

/// A chart ready to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct Plot {
    pub lines: Vec<PlotLine>,
    /// The value at the top of the chart.
    pub top: f64,
}

/// A chart's lines between `from` and `to` (seconds since the epoch), or why it has none
/// (the latest reason the moments give; `NoTraffic` when they give none).
pub fn plot(moments: &[Moment], chart: Chart, from: f64, to: f64) -> Result<Plot, Missing> {
    let mut series: Vec<(String, Vec<Option<Point>>)> = Vec::new();
    let mut reason = None;
    let span = (to - from).max(1.0);
    for (i, moment) in moments.iter().enumerate() {
        let Some((_, lines)) = moment.charts.iter().find(|(c, _)| *c == chart) else {
            continue;
        };
        match lines {
            Ok(lines) => {
                for (name, value) in lines {
                    let index = match series.iter().position(|(n, _)| n == name) {
                        Some(index) => index,
                        None => {
                            series.push((name.clone(), vec![None; moments.len()]));
                            series.len() - 1
                        }
                    };
                    series[index].1[i] = Some(((moment.at - from) / span * WIDTH, *value));
                }
            }
            Err(why) => reason = Some(*why),
        }
    }
    if series.is_empty() {
        return Err(reason.unwrap_or(Missing::NoTraffic));
    }
    let highest = series
        .iter()
        .flat_map(|(_, points)| points.iter().flatten().map(|(_, v)| *v))
        .fold(0.0_f64, f64::max);
    let top = if chart.unit() == Unit::Ratio {
        1.0
    } else {
        nice_ceiling(highest)
    };
    let lines = series
        .into_iter()
        .map(|(name, points)| {
            let mut path = String::new();
            let mut pen_down = false;
            for point in &points {
                match point {
                    Some((x, v)) => {
                        let y = HEIGHT - (v / top).clamp(0.0, 1.0) * HEIGHT;
                        path.push_str(&format!(
                            "{}{x:.1} {y:.1} ",
                            if pen_down { "L" } else { "M" }
                        ));
                        pen_down = true;
                    }
                    None => pen_down = false,
                }
            }
            let last = points.iter().rev().flatten().next().map(|(_, v)| *v);
            PlotLine {
                name,
                path: path.trim_end().to_string(),
                last,
            }
        })
        .collect();
    Ok(Plot { lines, top })
}

/// The smallest of 1, 2 and 5 times a power of ten at or above `value` (1 for nothing).
pub fn nice_ceiling(value: f64) -> f64 {
    if value <= 0.0 || !value.is_finite() {
        return 1.0;
    }
    let power = 10f64.powf(value.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|v| *v >= value * (1.0 - 1e-9))
        .unwrap_or(10.0 * power)
}

/// A value as people read it, in the chart's unit; `per_minute` is the locale's "/min".
pub fn format(value: f64, unit: Unit, per_minute: &str) -> String {
    let short = |v: f64| {
        if v == 0.0 {
            "0".to_string()
        } else if v.abs() >= 100.0 {
            format!("{v:.0}")
        } else if v.abs() >= 10.0 {
            format!("{v:.1}")
        } else {
            format!("{v:.2}")
        }
    };
    match unit {
        Unit::PerSecond => format!("{}/s", short(value)),
        Unit::PerMinute => format!("{}{per_minute}", short(value)),
        Unit::Requests => short(value),
        Unit::Ratio => format!("{:.0}%", value * 100.0),
        Unit::Seconds if value < 1.0 => format!("{} ms", short(value * 1000.0)),
        Unit::Seconds => format!("{} s", short(value)),
        Unit::BytesPerSecond => {
            let (scaled, suffix) = [
                (1024f64.powi(3), "GiB/s"),
                (1024f64.powi(2), "MiB/s"),
                (1024.0, "KiB/s"),
            ]
            .iter()
            .find(|(size, _)| value >= *size)
            .map_or((value, "B/s"), |(size, s)| (value / size, *s));
            format!("{} {suffix}", short(scaled))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moment(at: f64, lines: Result<Vec<(&str, f64)>, Missing>) -> Moment {
        Moment {
            at,
            charts: vec![(
                Chart::Requests,
                lines.map(|l| l.into_iter().map(|(n, v)| (n.to_string(), v)).collect()),
            )],
        }
    }

    #[test]
    fn lines_are_scaled_to_a_round_top_and_broken_at_gaps() {
        let moments = [
            moment(0.0, Ok(vec![("GET 2xx", 3.0), ("PUT 2xx", 1.0)])),
            moment(10.0, Ok(vec![("GET 2xx", 4.0)])),
            moment(20.0, Ok(vec![("GET 2xx", 0.0), ("PUT 2xx", 2.0)])),
        ];
        let plot = plot(&moments, Chart::Requests, 0.0, 20.0).unwrap();
        assert_eq!(plot.top, 5.0);
        assert_eq!(plot.lines[0].path, "M0.0 48.0 L160.0 24.0 L320.0 120.0");
        assert_eq!(
            plot.lines[1].path, "M0.0 96.0 M320.0 72.0",
            "no line through the gap"
        );
        assert_eq!(plot.lines[1].last, Some(2.0));
    }

    #[test]
    fn a_chart_with_nothing_to_draw_says_why() {
        let moments = [moment(0.0, Err(Missing::NotServed))];
        assert_eq!(
            plot(&moments, Chart::Requests, 0.0, 10.0),
            Err(Missing::NotServed)
        );
        assert_eq!(
            plot(&[], Chart::Requests, 0.0, 10.0),
            Err(Missing::NoTraffic)
        );
    }

    #[test]
    fn numbers_read_in_their_units() {
        assert_eq!(nice_ceiling(0.031), 0.05);
        assert_eq!(nice_ceiling(7.0), 10.0);
        assert_eq!(nice_ceiling(200.0), 200.0);
        assert_eq!(format(0.35, Unit::Seconds, "/min"), "350 ms");
        assert_eq!(format(2.5, Unit::Seconds, "/min"), "2.50 s");
        assert_eq!(format(1536.0, Unit::BytesPerSecond, "/min"), "1.50 KiB/s");
        assert_eq!(format(0.871, Unit::Ratio, "/min"), "87%");
        assert_eq!(format(12.0, Unit::PerMinute, "/分钟"), "12.0/分钟");
    }
}
