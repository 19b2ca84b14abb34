//! `leerpad bench chat`: many people chatting at once. N clients (half learners, half advisors,
//! one conversation per pair) hold WebSockets to one or more `leerpad serve` processes; the
//! learner of a pair talks to one server and the advisor to another, so on PostgreSQL every
//! message crosses servers (`LISTEN/NOTIFY`). Messages leave on a fixed schedule (open loop);
//! each is timed from sending to its arrival at the other participant. Also counted: messages
//! that never arrive and messages that arrive twice, and the servers' memory per connection.

use super::bench::{Figures, ms, percentile};
use super::bench_search::{Line, ServerProcess, config_for};
use super::platform::{IndexOptions, Platform};
use anyhow::Context;
use futures_util::{SinkExt, StreamExt};
use leerpad_domain::chat::ports::NewConversation;
use leerpad_domain::role::{Role, RoleSet};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

#[derive(Debug, clap::Args)]
pub struct ChatBenchArgs {
    /// Connected clients (two per conversation).
    #[arg(long, default_value_t = 2_000)]
    pub clients: usize,
    /// Messages sent per second, over all conversations.
    #[arg(long, default_value_t = 200)]
    pub rate: u64,
    /// How long messages are sent.
    #[arg(long, default_value_t = 60)]
    pub seconds: u64,
    /// Servers [default: 2 on PostgreSQL, 1 on SQLite, which is one process by design].
    #[arg(long)]
    pub nodes: Option<usize>,
    /// Run on this database instead of a new SQLite file (e.g. postgres://…, a fresh one).
    #[arg(long, env = "LEERPAD_BENCH_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Kill the last server (SIGKILL) this many seconds into sending: its clients reconnect
    /// to another server, resume after the last message they saw and resend what was not
    /// confirmed. Needs two or more servers.
    #[arg(long)]
    pub kill_node_after: Option<u64>,
}

/// When each client received which message.
type Arrivals = Arc<Mutex<Vec<(usize, u64, Instant)>>>;

/// One client as a real one behaves: a WebSocket to its server, messages it sends kept until
/// it sees them stored (they come back to it), and after a lost connection a new one to the
/// next server that resumes after the last message id it saw and sends the unconfirmed again
/// (same key: stored once).
struct Client {
    index: usize,
    conversation: i64,
    token: String,
    /// Every server's address; the client starts on `node` and moves on when it is gone.
    addrs: Arc<Vec<String>>,
    node: usize,
    arrivals: Arrivals,
    reconnects: Arc<std::sync::atomic::AtomicU64>,
}

impl Client {
    /// Connect (the first time must work); then run until the outgoing side closes.
    async fn start(
        self,
        mut outgoing: tokio::sync::mpsc::UnboundedReceiver<(u64, String)>,
    ) -> anyhow::Result<tokio::task::JoinHandle<()>> {
        let first = connect(&self.addrs[self.node], self.conversation, &self.token, 0).await?;
        Ok(tokio::spawn(async move {
            let mut socket = Some(first);
            let mut node = self.node;
            let mut last_id = 0i64;
            let mut unconfirmed: std::collections::BTreeMap<u64, String> = Default::default();
            // Sending is over (the run ends the task when it has counted).
            let mut sending_done = false;
            loop {
                let Some(mut live) = socket.take() else {
                    // Gone: try the servers in turn, from the next one on.
                    node = (node + 1) % self.addrs.len();
                    match connect(&self.addrs[node], self.conversation, &self.token, last_id).await
                    {
                        Ok(mut s) => {
                            self.reconnects
                                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let mut ok = true;
                            for frame in unconfirmed.values() {
                                ok &= s.send(Message::Text(frame.clone().into())).await.is_ok();
                            }
                            socket = ok.then_some(s);
                        }
                        Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
                    }
                    continue;
                };
                tokio::select! {
                    out = outgoing.recv(), if !sending_done => match out {
                        Some((seq, frame)) => {
                            unconfirmed.insert(seq, frame.clone());
                            if live.send(Message::Text(frame.into())).await.is_ok() {
                                socket = Some(live);
                            }
                        }
                        None => {
                            sending_done = true;
                            socket = Some(live);
                        }
                    },
                    frame = live.next() => match frame {
                        Some(Ok(Message::Text(text))) => {
                            if let Some((id, seq)) = bench_frame(text.as_str()) {
                                last_id = last_id.max(id);
                                if unconfirmed.remove(&seq).is_none()
                                    && let Ok(mut a) = self.arrivals.lock()
                                {
                                    a.push((self.index, seq, Instant::now()));
                                }
                            }
                            socket = Some(live);
                        }
                        Some(Ok(_)) => socket = Some(live),
                        Some(Err(_)) | None => {}
                    },
                }
            }
        }))
    }
}

pub async fn run(args: ChatBenchArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.clients >= 2, "--clients: at least 2");
    let dir = tempfile::tempdir().context("a directory for the benchmark")?;
    let mut config = config_for(dir.path())?;
    if let Some(url) = &args.database_url {
        config.database_url = url.clone();
    }
    let postgres = config.database_url.starts_with("postgres");
    let engine = if postgres { "PostgreSQL" } else { "SQLite" };
    let nodes = args.nodes.unwrap_or(if postgres { 2 } else { 1 }).max(1);
    anyhow::ensure!(
        postgres || nodes == 1,
        "--nodes: on SQLite the platform is one process; use PostgreSQL for several"
    );
    let platform = Platform::open(config.clone(), IndexOptions::default()).await?;
    let store = platform.services.store.clone();
    let now = platform.services.clock.now();

    // People with tokens, and a conversation per pair.
    let pairs = args.clients / 2;
    let bar = crate::commands::progress::bar("people", (pairs * 2) as u64);
    let mut tokens = Vec::with_capacity(pairs * 2);
    let mut ids = Vec::with_capacity(pairs * 2);
    for i in 0..pairs * 2 {
        let role = if i % 2 == 0 {
            Role::Learner
        } else {
            Role::Advisor
        };
        let (user_id, secret) = super::bench::person_with_token(
            store.as_ref(),
            "chat",
            i as u64,
            &RoleSet::new([role]),
            now,
        )
        .await?;
        tokens.push(secret);
        ids.push(user_id);
        bar.inc(1);
    }
    bar.finish_and_clear();
    let mut conversations = Vec::with_capacity(pairs);
    for p in 0..pairs {
        let c = store
            .start_conversation(NewConversation {
                learner_id: ids[2 * p],
                programme_id: None,
                appointment: None,
                advisor: Some(ids[2 * p + 1]),
                subject: "bench",
                after_hours: false,
                at: now,
            })
            .await?;
        conversations.push(c.id);
    }

    // The servers, and their memory before anyone connects.
    let mut servers = Vec::with_capacity(nodes);
    for n in 0..nodes {
        let node_dir = dir.path().join(format!("node{n}"));
        std::fs::create_dir_all(&node_dir)?;
        servers.push(ServerProcess::start_on(&node_dir, &config.database_url)?);
    }
    let before: Vec<u64> = servers.iter().map(|s| s.memory_kib().0).collect();

    // Everyone connects: a pair's learner to one server, its advisor to the next.
    let arrivals: Arrivals = Arc::new(Mutex::new(Vec::new()));
    let reconnects = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let addrs: Arc<Vec<String>> = Arc::new(servers.iter().map(|s| s.addr().to_owned()).collect());
    let bar = crate::commands::progress::bar("connecting", (pairs * 2) as u64);
    let mut outboxes = Vec::with_capacity(pairs * 2);
    let mut tasks = Vec::with_capacity(pairs * 2);
    let mut per_node = vec![0u64; nodes];
    for client in 0..pairs * 2 {
        let node = (client % 2 + client / 2) % nodes;
        per_node[node] += 1;
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let c = Client {
            index: client,
            conversation: conversations[client / 2],
            token: tokens[client].clone(),
            addrs: addrs.clone(),
            node,
            arrivals: arrivals.clone(),
            reconnects: reconnects.clone(),
        };
        tasks.push(c.start(rx).await?);
        outboxes.push(tx);
        bar.inc(1);
    }
    bar.finish_and_clear();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after: Vec<u64> = servers.iter().map(|s| s.memory_kib().0).collect();
    let kill_at = match args.kill_node_after {
        Some(_) if nodes < 2 => anyhow::bail!("--kill-node-after needs two or more servers"),
        k => k.map(Duration::from_secs),
    };
    let mut killed = None;

    // The conversation: on schedule, alternately learner and advisor, round the pairs.
    let total = args.rate * args.seconds;
    let interval = Duration::from_secs_f64(1.0 / args.rate.max(1) as f64);
    let mut sent_at: HashMap<u64, (usize, Instant)> = HashMap::with_capacity(total as usize);
    let bar = crate::commands::progress::bar("sending", total);
    let started = Instant::now();
    let mut send_errors = 0u64;
    for seq in 0..total {
        let due = started + interval * u32::try_from(seq).unwrap_or(u32::MAX);
        tokio::time::sleep_until(tokio::time::Instant::from_std(due)).await;
        if killed.is_none()
            && let Some(at) = kill_at
            && started.elapsed() >= at
        {
            let last = nodes - 1;
            servers[last].kill();
            killed = Some((last, per_node[last]));
        }
        let pair = (seq as usize) % pairs;
        let sender = 2 * pair + (seq as usize / pairs) % 2;
        let receiver = sender ^ 1;
        let frame = serde_json::json!({"type": "send", "body": format!("bench:{seq}"), "key": format!("b{seq}")});
        sent_at.insert(seq, (receiver, Instant::now()));
        if outboxes[sender].send((seq, frame.to_string())).is_err() {
            send_errors += 1;
        }
        bar.inc(1);
    }
    let sending = started.elapsed();
    bar.finish_and_clear();
    drop(outboxes);

    // Wait for the last ones (at most 15 s), then count.
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let delivered = arrivals.lock().map_or(0, |a| {
            a.iter()
                .filter(|(c, s, _)| sent_at.get(s).is_some_and(|(r, _)| r == c))
                .count()
        });
        if delivered as u64 >= total || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let arrivals = arrivals.lock().map(|a| a.clone()).unwrap_or_default();
    let mut seen: HashMap<(usize, u64), u32> = HashMap::new();
    let mut latencies = Vec::with_capacity(total as usize);
    for (client, seq, at) in &arrivals {
        let n = seen.entry((*client, *seq)).or_insert(0);
        *n += 1;
        if *n == 1
            && let Some((receiver, sent)) = sent_at.get(seq)
            && receiver == client
        {
            latencies.push(at.saturating_duration_since(*sent));
        }
    }
    latencies.sort_unstable();
    let delivered = latencies.len() as u64;
    let lost = total.saturating_sub(delivered);
    let duplicated: u64 = seen.values().map(|n| u64::from(n.saturating_sub(1))).sum();
    let memory_per_connection_kib: Vec<f64> = before
        .iter()
        .zip(&after)
        .zip(&per_node)
        .map(|((b, a), n)| a.saturating_sub(*b) as f64 / (*n).max(1) as f64)
        .collect();
    let memory = memory_per_connection_kib.iter().sum::<f64>() / nodes as f64;
    for t in &tasks {
        t.abort();
    }
    drop(servers);

    let p = |q: f64| ms(percentile(&latencies, q));
    let mut f = Figures::new("chat");
    f.text("engine", engine);
    f.count("clients", (pairs * 2) as u64);
    f.count("nodes", nodes as u64);
    f.count("messages", total);
    f.num("rate_per_s", total as f64 / sending.as_secs_f64(), 1);
    f.count("delivered", delivered);
    f.num("delivery_p50_ms", p(0.5), 2);
    f.num("delivery_p95_ms", p(0.95), 2);
    f.num("delivery_p99_ms", p(0.99), 2);
    f.count("lost", lost);
    f.count("duplicated", duplicated);
    f.count("send_errors", send_errors);
    f.num("memory_per_connection_kib", memory, 1);
    if let Some((node, clients)) = killed {
        f.count("killed_node", node as u64);
        f.count("clients_on_killed_node", clients);
        f.count(
            "reconnected",
            reconnects.load(std::sync::atomic::Ordering::Relaxed),
        );
    }
    let table = vec![
        Line(
            format!("{} clients on {nodes} server(s) ({engine})", pairs * 2),
            format!("{pairs} conversations"),
            "2,000 clients".into(),
        ),
        Line(
            format!("{total} messages at {} per second", args.rate),
            format!(
                "{:.1} per second sent",
                total as f64 / sending.as_secs_f64()
            ),
            "200 per second for 60 s".into(),
        ),
        Line(
            "delivery to the other participant".into(),
            format!(
                "p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms",
                p(0.5),
                p(0.95),
                p(0.99)
            ),
            "p95 ≤ 100 ms, p99 ≤ 200 ms".into(),
        ),
        Line(
            "lost / duplicated".into(),
            format!("{lost} / {duplicated}"),
            "0 / 0".into(),
        ),
        Line(
            "a server killed during the load".into(),
            match killed {
                Some((node, clients)) => format!(
                    "server {} killed after {} s: {clients} clients there, {} reconnects",
                    node + 1,
                    args.kill_node_after.unwrap_or(0),
                    reconnects.load(std::sync::atomic::Ordering::Relaxed)
                ),
                None => "none (--kill-node-after)".into(),
            },
            "its clients miss nothing".into(),
        ),
        Line(
            "server memory per connection".into(),
            memory_per_connection_kib
                .iter()
                .map(|m| format!("{m:.1} KiB"))
                .collect::<Vec<_>>()
                .join(", "),
            "(reported)".into(),
        ),
    ];
    println!("chat over WebSockets ({engine}, {nodes} server(s), 2-core machine)");
    println!("| measure | value | target |");
    println!("| --- | --- | --- |");
    for Line(a, b, c) in &table {
        println!("| {a} | {b} | {c} |");
    }
    f.print();
    Ok(())
}

/// A benchmark message frame's id and sequence number.
fn bench_frame(frame: &str) -> Option<(i64, u64)> {
    let v: serde_json::Value = serde_json::from_str(frame).ok()?;
    if v["type"] != "message" {
        return None;
    }
    let seq = v["body"].as_str()?.strip_prefix("bench:")?.parse().ok()?;
    Some((v["id"].as_i64()?, seq))
}

async fn connect(
    addr: &str,
    conversation: i64,
    token: &str,
    after: i64,
) -> anyhow::Result<WebSocketStream<MaybeTlsStream<TcpStream>>> {
    let mut request = format!("ws://{addr}/gesprekken/{conversation}/ws").into_client_request()?;
    request
        .headers_mut()
        .insert("Authorization", format!("Bearer {token}").parse()?);
    let (mut socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .with_context(|| format!("connecting to conversation {conversation} on {addr}"))?;
    socket
        .send(Message::Text(
            serde_json::json!({"type": "resume", "after": after})
                .to_string()
                .into(),
        ))
        .await?;
    Ok(socket)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_benchmark_messages_are_counted() {
        assert_eq!(
            bench_frame(r#"{"type":"message","body":"bench:42","id":1}"#),
            Some((1, 42))
        );
        assert_eq!(
            bench_frame(r#"{"type":"message","body":"hallo","id":2}"#),
            None
        );
        assert_eq!(bench_frame(r#"{"type":"status","body":"bench:1"}"#), None);
    }
}
