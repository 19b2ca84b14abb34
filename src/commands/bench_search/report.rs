//! Reporting the benchmarks: the rows of the printed table, latency percentiles and units,
//! shared by the search, matching and page benchmarks.

use crate::commands::bench::{Figures, ms, percentile};
use std::path::Path;
use std::time::Duration;

/// A row of the printed table.
pub(in crate::commands) struct Line(pub String, pub String, pub String);

/// Latencies of one measurement; the percentiles are in milliseconds.
pub(super) struct Latencies(pub(super) Vec<Duration>);

impl Latencies {
    pub(super) fn p(&mut self, p: f64) -> f64 {
        self.0.sort();
        ms(percentile(&self.0, p))
    }

    /// The median and the 99th percentile, recorded in `figures` as `<name>_p50_ms` and
    /// `<name>_p99_ms`; returns them as the table shows them, and the 99th percentile.
    pub(super) fn record(&mut self, figures: &mut Figures, name: &str) -> (String, f64) {
        let (p50, p99) = (self.p(0.5), self.p(0.99));
        figures.num(format!("{name}_p50_ms"), p50, 2);
        figures.num(format!("{name}_p99_ms"), p99, 2);
        (format!("p50 {p50:.2} ms, p99 {p99:.2} ms"), p99)
    }
}

pub(super) fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// The table, then the figures' JSON line as the last line of output.
pub(in crate::commands) fn print_titled_table(
    what: &str,
    table: &[Line],
    offers: u64,
    dir: &Path,
    figures: &Figures,
) {
    println!(
        "{what} benchmark ({offers} offers; 2-core machine; {})",
        dir.display()
    );
    println!("| measure | value | target |");
    println!("| --- | --- | --- |");
    for Line(a, b, c) in table {
        println!("| {a} | {b} | {c} |");
    }
    figures.print();
}

/// `server_rss_mib` and `server_peak_mib` from [`ServerProcess::memory_kib`], as
/// [`memory_mib`] shows them.
///
/// [`ServerProcess::memory_kib`]: super::server::ServerProcess::memory_kib
pub(in crate::commands) fn server_memory(figures: &mut Figures, rss_kib: u64, peak_kib: u64) {
    figures.num("server_rss_mib", rss_kib as f64 / 1024.0, 0);
    figures.num("server_peak_mib", peak_kib as f64 / 1024.0, 0);
}

/// "RSS MiB / peak MiB" from [`ServerProcess::memory_kib`].
///
/// [`ServerProcess::memory_kib`]: super::server::ServerProcess::memory_kib
pub(in crate::commands) fn memory_mib(rss_kib: u64, peak_kib: u64) -> String {
    format!(
        "{:.0} MiB / {:.0} MiB",
        rss_kib as f64 / 1024.0,
        peak_kib as f64 / 1024.0
    )
}
