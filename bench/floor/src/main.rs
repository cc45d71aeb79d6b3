//! The Rust side of `make bench`, as JSON on stdout:
//!
//! ```text
//! euid-bench-floor loopback [REPS]                   the HTTP floor on loopback
//! euid-bench-floor rust-sdk URL API_KEY SECRET [REPS] the Rust SDK against the emulator
//! euid-bench-floor fixture URL API_KEY SECRET        the inputs shared by every language
//! euid-bench-floor serve                             the trivial server (used by loopback)
//! ```
//!
//! The floor is what no SDK can beat on this machine: a hyper server in another process that
//! answers every POST with a fixed 200 of a generate answer's size, and a hyper client that
//! POSTs a generate envelope's size over keep-alive connections, one at a time and with 32 in
//! flight (one connection each). Each figure is the median over repetitions of the mean time
//! per call; sequential runs also record the median of the single round trips. The Rust SDK's
//! runs also record the process CPU time (user + system, all threads) per call over the same
//! repetitions.

use std::error::Error;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use bytes::Bytes;
use euid_core::envelope::{seal_refresh_response, seal_request, seal_response, SealParams};
use euid_core::{
    Dii, Environment, GenerateOutcome, GenerateRequest, Identity, PublisherClient, RefreshOutcome,
    SecretKey,
};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};

type Result<T> = std::result::Result<T, Box<dyn Error + Send + Sync>>;

/// Calls kept in flight by the concurrent runs.
const IN_FLIGHT: usize = 32;
/// A base64 generate request envelope is about this long.
const REQUEST_BYTES: usize = 232;
/// A base64 generate answer is about this long.
const RESPONSE_BYTES: usize = 1100;
/// The email every benchmark uses.
const EMAIL: &str = "Jane.Doe+news@Example.com";
/// Target duration of one repetition.
const REP_TARGET: Duration = Duration::from_millis(600);

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let reps = |at: usize| args.get(at).and_then(|r| r.parse().ok()).unwrap_or(7usize);
    let out = match args.as_slice() {
        ["serve"] => return serve(),
        ["loopback", ..] => loopback(reps(1))?,
        ["rust-sdk", url, key, secret, ..] => rust_sdk(url, key, secret, reps(4))?,
        ["fixture", url, key, secret] => fixture(url, key, secret)?,
        _ => {
            return Err("usage: euid-bench-floor loopback [REPS] | rust-sdk URL API_KEY SECRET \
                        [REPS] | fixture URL API_KEY SECRET | serve"
                .into())
        }
    };
    println!("{out}");
    Ok(())
}

/// Repetition results: per-rep mean µs per call (wall and, where measured, process CPU), and
/// single-call latencies of sequential runs.
#[derive(Default)]
struct Samples {
    per_call_us: Vec<f64>,
    cpu_per_call_us: Vec<f64>,
    latencies_us: Vec<f64>,
    ops: u64,
    failures: u64,
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

impl Samples {
    fn json(&self, in_flight: usize) -> Value {
        let min = self.per_call_us.iter().copied().fold(f64::INFINITY, f64::min);
        let max = self.per_call_us.iter().copied().fold(0.0, f64::max);
        let med = median(&self.per_call_us);
        let mut value = json!({
            "median_us": med,
            "min_us": min,
            "max_us": max,
            "reps": self.per_call_us.len(),
            "samples_us": self.per_call_us,
            "ops": self.ops,
            "failures": self.failures,
            "in_flight": in_flight,
            "per_second": 1e6 / med,
        });
        if !self.latencies_us.is_empty() {
            value["latency_median_us"] = json!(median(&self.latencies_us));
        }
        if !self.cpu_per_call_us.is_empty() {
            let cpu = &self.cpu_per_call_us;
            value["cpu_median_us"] = json!(median(cpu));
            value["cpu_min_us"] = json!(cpu.iter().copied().fold(f64::INFINITY, f64::min));
            value["cpu_max_us"] = json!(cpu.iter().copied().fold(0.0, f64::max));
            value["cpu_samples_us"] = json!(cpu);
        }
        value
    }
}

/// Clock ticks per second of `/proc/<pid>/stat` (`USER_HZ`, 100 on every Linux target we build).
const USER_HZ: f64 = 100.0;

/// This process's CPU time so far, user + system, all threads (also those that ended), in µs,
/// from `/proc/self/stat` (resolution 10 ms: a repetition lasts long enough for it).
fn process_cpu_us() -> Result<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat")?;
    // The fields after the command name (which may hold spaces) start at field 3, `state`.
    let rest = stat.rsplit_once(')').ok_or("no ')' in /proc/self/stat")?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |field: usize| -> Result<f64> {
        Ok(fields.get(field - 3).ok_or("short /proc/self/stat")?.parse::<u64>()? as f64)
    };
    Ok((ticks(14)? + ticks(15)?) / USER_HZ * 1e6)
}

/// Calls per repetition so that one lasts about [`REP_TARGET`], from a warm-up of `calls`
/// calls that took `took`.
fn calls_per_rep(calls: u64, took: Duration) -> u64 {
    let per_call = took.as_secs_f64() / calls.max(1) as f64;
    ((REP_TARGET.as_secs_f64() / per_call) as u64).clamp(IN_FLIGHT as u64, 2_000_000)
}

// ---------------------------------------------------------------------------------------------
// The trivial server

/// Serves a fixed 200 on 127.0.0.1 until stdin closes; prints the port first.
fn serve() -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    println!("{}", listener.local_addr()?.port());
    std::io::stdout().flush()?;
    let body = Bytes::from(vec![b'A'; RESPONSE_BYTES]);
    runtime.spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let _ = stream.set_nodelay(true);
            let body = body.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request: Request<Incoming>| {
                    let body = body.clone();
                    async move {
                        // Read the whole request, as any real handler would.
                        let _ = request.into_body().collect().await;
                        Ok::<_, hyper::Error>(
                            Response::builder()
                                .header("content-type", "text/plain")
                                .body(Full::new(body))
                                .unwrap_or_default(),
                        )
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The floor

type Sender = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

async fn connect(port: u16) -> Result<Sender> {
    let stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
    stream.set_nodelay(true)?;
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    Ok(sender)
}

async fn round_trip(sender: &mut Sender, body: &Bytes) -> Result<usize> {
    sender.ready().await?;
    let request = Request::post("/v2/token/generate")
        .header("host", "127.0.0.1")
        .header("authorization", "Bearer bench-key")
        .header("content-type", "text/plain")
        .body(Full::new(body.clone()))?;
    let response = sender.send_request(request).await?;
    if !response.status().is_success() {
        return Err(format!("HTTP {}", response.status()).into());
    }
    Ok(response.into_body().collect().await?.to_bytes().len())
}

async fn floor_sequential(port: u16, reps: usize) -> Result<Samples> {
    let mut sender = connect(port).await?;
    let body = Bytes::from(vec![b'Q'; REQUEST_BYTES]);
    let started = Instant::now();
    let warm = 2000;
    for _ in 0..warm {
        round_trip(&mut sender, &body).await?;
    }
    let n = calls_per_rep(warm, started.elapsed());
    let mut samples = Samples::default();
    for _ in 0..reps {
        let started = Instant::now();
        for _ in 0..n {
            let call = Instant::now();
            round_trip(&mut sender, &body).await?;
            samples.latencies_us.push(call.elapsed().as_secs_f64() * 1e6);
        }
        samples.per_call_us.push(started.elapsed().as_secs_f64() * 1e6 / n as f64);
        samples.ops += n;
    }
    Ok(samples)
}

async fn floor_concurrent(port: u16, reps: usize) -> Result<Samples> {
    let mut senders = Vec::with_capacity(IN_FLIGHT);
    for _ in 0..IN_FLIGHT {
        senders.push(connect(port).await?);
    }
    let body = Bytes::from(vec![b'Q'; REQUEST_BYTES]);
    // Each worker owns one connection and makes `calls` calls in a row.
    async fn burst(senders: Vec<Sender>, body: &Bytes, calls: u64) -> Result<Vec<Sender>> {
        let mut tasks = Vec::with_capacity(senders.len());
        for mut sender in senders {
            let body = body.clone();
            tasks.push(tokio::spawn(async move {
                for _ in 0..calls {
                    round_trip(&mut sender, &body).await?;
                }
                Ok::<_, Box<dyn Error + Send + Sync>>(sender)
            }));
        }
        let mut back = Vec::with_capacity(tasks.len());
        for task in tasks {
            back.push(task.await??);
        }
        Ok(back)
    }
    let started = Instant::now();
    let warm_each = 200;
    senders = burst(senders, &body, warm_each).await?;
    let n = calls_per_rep(warm_each * IN_FLIGHT as u64, started.elapsed()) / IN_FLIGHT as u64;
    let mut samples = Samples::default();
    for _ in 0..reps {
        let started = Instant::now();
        senders = burst(senders, &body, n).await?;
        let total = n * IN_FLIGHT as u64;
        samples.per_call_us.push(started.elapsed().as_secs_f64() * 1e6 / total as f64);
        samples.ops += total;
    }
    Ok(samples)
}

fn loopback(reps: usize) -> Result<Value> {
    let exe = std::env::current_exe()?;
    let mut server =
        Command::new(exe).arg("serve").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn()?;
    let mut line = String::new();
    BufReader::new(server.stdout.take().ok_or("no server stdout")?).read_line(&mut line)?;
    let port: u16 = line.trim().parse()?;
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let sequential = runtime.block_on(floor_sequential(port, reps))?;
    let concurrent = runtime.block_on(floor_concurrent(port, reps))?;
    drop(server.stdin.take());
    server.wait()?;
    Ok(json!({
        "request_bytes": REQUEST_BYTES,
        "response_bytes": RESPONSE_BYTES,
        "sequential": sequential.json(1),
        "concurrent": concurrent.json(IN_FLIGHT),
    }))
}

// ---------------------------------------------------------------------------------------------
// The Rust SDK against the emulator

fn client(url: &str, key: &str, secret: &str) -> Result<PublisherClient> {
    Ok(PublisherClient::builder(Environment::Custom(url.to_owned()), key, secret).build()?)
}

fn first_identity(client: &euid_core::blocking::PublisherClient) -> Result<Identity> {
    match client.generate_token(&GenerateRequest::new(Dii::email(EMAIL)?))? {
        GenerateOutcome::Success(identity) => Ok(identity),
        other => Err(format!("generate answered {other:?}").into()),
    }
}

/// One blocking call: whether it succeeded.
type BlockingCall = dyn Fn(&euid_core::blocking::PublisherClient) -> bool;

fn sdk_sequential(
    client: &euid_core::blocking::PublisherClient,
    call: &BlockingCall,
    reps: usize,
) -> Result<Samples> {
    let mut samples = Samples::default();
    let started = Instant::now();
    let warm = 1000;
    for _ in 0..warm {
        samples.failures += u64::from(!call(client));
    }
    let n = calls_per_rep(warm, started.elapsed());
    for _ in 0..reps {
        let cpu = process_cpu_us()?;
        let started = Instant::now();
        for _ in 0..n {
            let single = Instant::now();
            samples.failures += u64::from(!call(client));
            samples.latencies_us.push(single.elapsed().as_secs_f64() * 1e6);
        }
        samples.per_call_us.push(started.elapsed().as_secs_f64() * 1e6 / n as f64);
        samples.cpu_per_call_us.push((process_cpu_us()? - cpu) / n as f64);
        samples.ops += n;
    }
    Ok(samples)
}

async fn sdk_burst(
    client: &PublisherClient,
    identity: &Arc<Identity>,
    refresh: bool,
    calls: u64,
) -> u64 {
    let mut tasks = Vec::with_capacity(IN_FLIGHT);
    for _ in 0..IN_FLIGHT {
        let (client, identity) = (client.clone(), Arc::clone(identity));
        tasks.push(tokio::spawn(async move {
            let mut failures = 0;
            for _ in 0..calls {
                let ok = if refresh {
                    matches!(
                        client.refresh_token(&identity).await,
                        Ok(RefreshOutcome::Refreshed(_))
                    )
                } else {
                    let request = match Dii::email(EMAIL) {
                        Ok(dii) => GenerateRequest::new(dii),
                        Err(_) => return calls,
                    };
                    matches!(client.generate_token(&request).await, Ok(GenerateOutcome::Success(_)))
                };
                failures += u64::from(!ok);
            }
            failures
        }));
    }
    let mut failures = 0;
    for task in tasks {
        failures += task.await.unwrap_or(calls);
    }
    failures
}

async fn sdk_concurrent(
    client: &PublisherClient,
    identity: &Arc<Identity>,
    refresh: bool,
    reps: usize,
) -> Result<Samples> {
    let mut samples = Samples::default();
    let warm_each = 100;
    let started = Instant::now();
    samples.failures += sdk_burst(client, identity, refresh, warm_each).await;
    let n = calls_per_rep(warm_each * IN_FLIGHT as u64, started.elapsed()) / IN_FLIGHT as u64;
    for _ in 0..reps {
        let cpu = process_cpu_us()?;
        let started = Instant::now();
        samples.failures += sdk_burst(client, identity, refresh, n).await;
        let total = n * IN_FLIGHT as u64;
        samples.per_call_us.push(started.elapsed().as_secs_f64() * 1e6 / total as f64);
        samples.cpu_per_call_us.push((process_cpu_us()? - cpu) / total as f64);
        samples.ops += total;
    }
    Ok(samples)
}

fn rust_sdk(url: &str, key: &str, secret: &str, reps: usize) -> Result<Value> {
    let asynchronous = client(url, key, secret)?;
    let blocking = euid_core::blocking::PublisherClient::from_async(asynchronous.clone());
    let identity = Arc::new(first_identity(&blocking)?);
    let generate: Box<BlockingCall> = Box::new(|client| {
        Dii::email(EMAIL).is_ok_and(|dii| {
            matches!(
                client.generate_token(&GenerateRequest::new(dii)),
                Ok(GenerateOutcome::Success(_))
            )
        })
    });
    let refresh_identity = Arc::clone(&identity);
    let refresh: Box<BlockingCall> = Box::new(move |client| {
        matches!(client.refresh_token(&refresh_identity), Ok(RefreshOutcome::Refreshed(_)))
    });
    let generate_seq = sdk_sequential(&blocking, generate.as_ref(), reps)?;
    let refresh_seq = sdk_sequential(&blocking, refresh.as_ref(), reps)?;
    // The caller's executor: a current-thread runtime that only awaits; the requests run on
    // the SDK's own runtime, as they do for every caller.
    let driver = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let generate_con = driver.block_on(sdk_concurrent(&asynchronous, &identity, false, reps))?;
    let refresh_con = driver.block_on(sdk_concurrent(&asynchronous, &identity, true, reps))?;
    Ok(json!({
        "generate_sequential": generate_seq.json(1),
        "generate_concurrent": generate_con.json(IN_FLIGHT),
        "refresh_sequential": refresh_seq.json(1),
        "refresh_concurrent": refresh_con.json(IN_FLIGHT),
    }))
}

// ---------------------------------------------------------------------------------------------
// The shared inputs

/// A real identity from the emulator, and sealed answers carrying it, so that every language
/// decrypts the same bytes.
fn fixture(url: &str, key: &str, secret: &str) -> Result<Value> {
    let blocking = euid_core::blocking::PublisherClient::from_async(client(url, key, secret)?);
    let identity = first_identity(&blocking)?;
    let refreshed = match blocking.refresh_token(&identity)? {
        RefreshOutcome::Refreshed(identity) => identity,
        other => return Err(format!("refresh answered {other:?}").into()),
    };
    let secret_key = SecretKey::from_base64(secret, "secret")?;
    let params = SealParams {
        timestamp_ms: euid_core::system_now_ms(),
        nonce: *b"benchnon",
        iv: *b"bench-iv-12b",
    };
    let generate_answer = json!({"body": identity.to_map(), "status": "success"}).to_string();
    let refresh_answer = json!({"body": refreshed.to_map(), "status": "success"}).to_string();
    let refresh_key = SecretKey::from_base64(
        identity.refresh_response_key.as_deref().ok_or("no refresh_response_key")?,
        "refresh_response_key",
    )?;
    let request_payload = GenerateRequest::new(Dii::email(EMAIL)?).to_json();
    Ok(json!({
        "email": EMAIL,
        "secret": secret,
        "timestamp_ms": params.timestamp_ms,
        "nonce_b64": STANDARD.encode(params.nonce),
        "iv_b64": STANDARD.encode(params.iv),
        "request_payload": String::from_utf8(request_payload)?,
        "request_envelope_b64": STANDARD.encode(seal_request(&secret_key, b"{}", &params)),
        "generate_response_b64": STANDARD.encode(seal_response(&secret_key, generate_answer.as_bytes(), &params)),
        "refresh_response_b64": STANDARD.encode(seal_refresh_response(&refresh_key, refresh_answer.as_bytes(), &params.iv)),
        "identity_json": identity.to_json(),
        "refreshed_identity_json": refreshed.to_json(),
        "generate_answer_bytes": generate_answer.len(),
    }))
}

#[cfg(test)]
mod tests {
    use super::{median, process_cpu_us};

    #[test]
    fn median_of_odd_and_even() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
    }

    #[test]
    fn process_cpu_counts_a_busy_thread() -> super::Result<()> {
        // Spin until 50 ms of CPU show up (10 s at most): one busy thread can spend no more
        // CPU than the wall time, give or take one 10 ms tick at each end.
        let (before, started) = (process_cpu_us()?, std::time::Instant::now());
        let mut spent = 0.0;
        while spent < 50_000.0 && started.elapsed() < std::time::Duration::from_secs(10) {
            std::hint::black_box((0..10_000u64).sum::<u64>());
            spent = process_cpu_us()? - before;
        }
        let wall = started.elapsed().as_secs_f64() * 1e6;
        assert!(spent >= 50_000.0 && spent <= wall + 20_000.0, "CPU {spent} µs in {wall} µs");
        Ok(())
    }
}
