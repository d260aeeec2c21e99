//! What the registry metrics collector costs: `cargo bench -p app --features ssr --bench
//! metrics` (release build). Prints
//! - the time to parse a large exposition (the real registry's text captured after a push,
//!   its series repeated under 20 `replica` labels: about 12,000 samples) and to compute
//!   every chart from two such scrapes;
//! - the memory one parsed series takes while it waits for the next scrape;
//! - the memory of the collector's full history (an hour of scrapes and a day of minute
//!   averages, every chart with realistic lines), per kept line point.
//!
//! Memory is counted by a global allocator that tracks live bytes, not read off the OS.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::Instant;

use app::registry_metrics::charts::Chart;
use app::registry_metrics::collector::{COARSE, Collector, FINE, Moment};
use app::registry_metrics::compute::{Scrape, compute};
use app::registry_metrics::exposition::parse;

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; only a counter moves.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}

const CAPTURED: &str = include_str!("../src/registry_metrics/testdata/upstream-after-push.txt");
const REPLICAS: usize = 20;

/// The captured text with every family's samples repeated under `replica="0"` to `"19"`
/// (each family stays one block, as the format asks).
fn large_exposition() -> String {
    let mut out = String::new();
    let mut samples: Vec<&str> = Vec::new();
    let flush = |out: &mut String, samples: &mut Vec<&str>| {
        for r in 0..REPLICAS {
            for line in samples.iter() {
                let labelled = match line.find('{') {
                    Some(i) => format!("{}{{replica=\"{r}\",{}", &line[..i], &line[i + 1..]),
                    None => {
                        let (name, value) = line.split_once(' ').unwrap();
                        format!("{name}{{replica=\"{r}\"}} {value}")
                    }
                };
                out.push_str(&labelled);
                out.push('\n');
            }
        }
        samples.clear();
    };
    for line in CAPTURED.lines() {
        if line.starts_with("# HELP") {
            flush(&mut out, &mut samples);
        }
        if line.starts_with('#') || line.trim().is_empty() {
            out.push_str(line);
            out.push('\n');
        } else {
            samples.push(line);
        }
    }
    flush(&mut out, &mut samples);
    out
}

fn main() {
    let text = large_exposition();
    let samples = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .count();

    // Parse cost.
    let runs = 50;
    let start = Instant::now();
    for _ in 0..runs {
        black_box(parse(black_box(&text)).unwrap());
    }
    let per_parse = start.elapsed() / runs;
    let series = parse(&text).unwrap();
    println!(
        "parse: {} KB, {samples} samples, {} series: {:.2} ms per scrape ({:.0} MB/s)",
        text.len() / 1024,
        series.len(),
        per_parse.as_secs_f64() * 1e3,
        text.len() as f64 / per_parse.as_secs_f64() / 1e6
    );

    // Every chart from two scrapes of it.
    let before = Scrape {
        at: 0.0,
        series: series.clone(),
    };
    let now = Scrape {
        at: 10.0,
        series: series.clone(),
    };
    let pairs = [(&before, &now)];
    let start = Instant::now();
    for _ in 0..runs {
        for chart in Chart::ALL {
            let _ = black_box(compute(chart, black_box(&pairs)));
        }
    }
    println!(
        "compute: every chart from two scrapes: {:.2} ms",
        (start.elapsed() / runs).as_secs_f64() * 1e3
    );
    drop((before, now));

    // Memory of one scrape held until the next.
    let base = live();
    let held = parse(&text).unwrap();
    let bytes = live() - base;
    println!(
        "held scrape: {} KB for {} series: {} bytes per series",
        bytes / 1024,
        held.len(),
        bytes / held.len() as isize
    );
    drop(held);

    // Memory of the full history: every chart's lines as a busy registry has them.
    let lines = |names: &[&str]| -> Result<Vec<(String, f64)>, _> {
        Ok(names.iter().map(|n| (n.to_string(), 1.5)).collect())
    };
    let moment = |at: f64| Moment {
        at,
        charts: Chart::ALL
            .iter()
            .map(|chart| {
                let names: &[&str] = match chart {
                    Chart::Requests => &[
                        "GET 2xx",
                        "HEAD 2xx",
                        "PUT 2xx",
                        "POST 2xx",
                        "GET 4xx",
                        "PATCH 2xx",
                    ],
                    Chart::Latency => &["p50", "p90", "p99"],
                    Chart::Traffic | Chart::PushesPulls => &["received", "sent"],
                    Chart::StorageLatency => &["GetContent", "PutContent", "Stat", "List", "Move"],
                    _ => &["one"],
                };
                (*chart, lines(names))
            })
            .collect(),
    };
    let points_per_moment: usize = moment(0.0)
        .charts
        .iter()
        .map(|(_, l)| l.as_ref().map_or(0, Vec::len))
        .sum();
    let client_free_collector = || {
        // A collector needs a client to scrape, not to keep history: one aimed nowhere.
        let config = kube::Config::new("http://127.0.0.1:9".parse().unwrap());
        Collector::new(kube::Client::try_from(config).unwrap())
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let collector = client_free_collector();
        let base = live();
        // A day of scrapes every 10 s: the hour stays whole, the rest as minute averages.
        let scrapes = COARSE * 6 + 6;
        for i in 0..scrapes {
            collector.record(moment(i as f64 * 10.0));
        }
        let bytes = live() - base;
        let kept = FINE + COARSE;
        println!(
            "history: {kept} moments ({FINE} scrapes + {COARSE} minute averages), {points_per_moment} line points each: {} KB, {} bytes per line point",
            bytes / 1024,
            bytes / (kept * points_per_moment) as isize
        );
        black_box(&collector);
    });
}
