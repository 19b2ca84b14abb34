//! Progress bars for long CLI work (hidden when stderr is not a terminal).

use indicatif::{ProgressBar, ProgressStyle};
use std::future::Future;
use std::time::Duration;

/// A spinner that names the current step and counts rows.
pub fn spinner(prefix: &str) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {prefix}: {msg} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_prefix(prefix.to_owned());
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// A bar over a known number of items.
pub fn bar(prefix: &str, total: u64) -> ProgressBar {
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{prefix}: [{bar:40}] {pos}/{len} {per_sec} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_prefix(prefix.to_owned());
    bar
}

/// Await `work` (which may report to `bar`), then clear `bar`; what `work` returned.
pub async fn clear_after<T>(bar: &ProgressBar, work: impl Future<Output = T>) -> T {
    let out = work.await;
    bar.finish_and_clear();
    out
}

/// Run `work` (which may report to `bar`), then clear `bar`; what `work` returned.
pub fn clear_after_call<T>(bar: &ProgressBar, work: impl FnOnce() -> T) -> T {
    let out = work();
    bar.finish_and_clear();
    out
}
