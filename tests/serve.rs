//! `levier serve` and `levier watch` run as a consultant runs them: the real binary on a
//! workspace, a note edited while it runs. The server listens on port 0 of the loopback
//! interface; every wait is bounded, and the child is killed when a test ends.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use common::{LEVIER, Workspace};

/// Long enough for a debug build of the first engagement on a loaded 2-core machine.
const PATIENCE: Duration = Duration::from_secs(120);

/// A running `levier serve`/`watch`, killed when dropped; its stderr arrives line by line.
struct Running {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Running {
    fn start(ws: &Workspace, args: &[&str]) -> Running {
        let mut child = Command::new(LEVIER)
            .args(args)
            .current_dir(ws.root())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("levier starts");
        let stderr = child.stderr.take().expect("piped stderr");
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Running {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits for a stderr line containing `needle`; returns it.
    #[track_caller]
    fn wait_line(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(line) = self.seen.iter().find(|l| l.contains(needle)) {
                return line.clone();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(RecvTimeoutError::Timeout) => panic!(
                    "no line with {needle:?} within {PATIENCE:?}; stderr so far:\n{}",
                    self.seen.join("\n")
                ),
                Err(RecvTimeoutError::Disconnected) => panic!(
                    "levier ended before printing {needle:?}; stderr:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    /// The `host:port` the server printed.
    fn address(&mut self) -> String {
        let line = self.wait_line("Serving http://");
        let start = line.find("http://").expect("a URL") + "http://".len();
        let rest = &line[start..];
        rest[..rest.find('/').expect("a path")].to_string()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP/1.0 GET (the server then sends a plain body and closes): status and body.
fn get(address: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).expect("the server accepts");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("a timeout");
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {address}\r\n\r\n").expect("request sent");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("a response");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("headers and a body");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    (status, body.to_string())
}

/// Polls `path` until its body satisfies `ok`, within [`PATIENCE`].
#[track_caller]
fn wait_page(address: &str, path: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let (status, body) = get(address, path);
        if status == 200 && ok(&body) {
            return body;
        }
        assert!(
            Instant::now() < deadline,
            "{path} never showed {what} within {PATIENCE:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn append(path: &std::path::Path, text: &str) {
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .expect("the note opens");
    file.write_all(text.as_bytes())
        .expect("the note is written");
}

#[test]
fn served_report_changes_after_a_note_is_saved_and_only_the_served_page_has_the_reload_hook() {
    let ws = Workspace::new();
    ws.add_base("acme");
    let mut run = Running::start(&ws, &["serve", "--port", "0"]);
    let address = run.address();
    assert!(
        address.starts_with("127.0.0.1:"),
        "serves on loopback only by default, not {address}"
    );

    let (status, index) = get(&address, "/");
    assert_eq!(status, 200);
    assert!(
        index.contains("acme/report.html"),
        "the index links the report"
    );
    assert!(index.contains("data-levier-live") && index.contains("/__levier/events"));

    let (status, report) = get(&address, "/acme/report.html");
    assert_eq!(status, 200);
    assert!(
        report.contains("new EventSource("),
        "the served report has the hook"
    );
    let on_disk = std::fs::read_to_string(ws.output("acme").join("report.html")).unwrap();
    assert!(
        !on_disk.contains("data-levier-live") && !on_disk.contains("EventSource"),
        "the file written has no hook"
    );
    // The served page is the file plus the hook, nothing else.
    let hook_start = report.find("<script data-levier-live>").unwrap();
    let hook_end = hook_start + report[hook_start..].find("</script>\n").unwrap() + 10;
    assert_eq!(
        format!("{}{}", &report[..hook_start], &report[hook_end..]),
        on_disk
    );

    // Saving a note rebuilds the report, and the served page changes.
    append(
        &ws.engagement("acme").join("notes/00-summary.md"),
        "\nUne phrase témoin ajoutée pendant la prévisualisation.\n",
    );
    let changed = wait_page(&address, "/acme/report.html", "the new sentence", |b| {
        b.contains("Une phrase témoin ajoutée pendant la prévisualisation.")
    });
    assert!(changed.contains("data-levier-live"));
    run.wait_line("Changed engagements/acme/notes/00-summary.md");
    run.wait_line("Built acme");
    let on_disk = std::fs::read_to_string(ws.output("acme").join("report.html")).unwrap();
    assert!(on_disk.contains("Une phrase témoin") && !on_disk.contains("data-levier-live"));
}

#[test]
fn a_failed_rebuild_keeps_the_last_good_page_and_tells_open_pages_why() {
    let ws = Workspace::new();
    ws.add_base("acme");
    let mut run = Running::start(&ws, &["serve", "--port", "0"]);
    let address = run.address();
    let (_, good) = get(&address, "/acme/report.html");
    let since = {
        let at = good
            .find("since = ")
            .expect("the hook knows its generation")
            + 8;
        let digits: String = good[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits
    };

    let toml = ws.engagement("acme").join("engagement.toml");
    append(&toml, "\nclient = \n");
    // The open page hears of the failure, with the diagnostic's file and line.
    let (status, news) = get(
        &address,
        &format!("/__levier/events?since={since}&page=acme"),
    );
    assert_eq!(status, 200);
    assert!(news.contains("event: failed"), "news:\n{news}");
    assert!(
        news.contains("engagements/acme/engagement.toml:"),
        "news:\n{news}"
    );
    run.wait_line("Failed acme");
    run.wait_line("the last good outputs are kept");

    // The last good page is still served, now with the overlay's text.
    let (status, kept) = get(&address, "/acme/report.html");
    assert_eq!(status, 200);
    let on_disk = std::fs::read_to_string(ws.output("acme").join("report.html")).unwrap();
    assert!(kept.starts_with(&on_disk[..on_disk.find("</body>").unwrap()]));
    assert!(kept.contains("failure = \"error: invalid TOML"));

    // Fixed: the page reloads and the overlay is gone.
    let fixed = std::fs::read_to_string(&toml)
        .unwrap()
        .replace("\nclient = \n", "\n");
    std::fs::write(&toml, fixed).unwrap();
    let (_, news) = get(
        &address,
        &format!(
            "/__levier/events?since={}&page=acme",
            since.parse::<u64>().unwrap() + 1
        ),
    );
    assert!(news.contains("event: reload"), "news:\n{news}");
    let (_, page) = get(&address, "/acme/report.html");
    assert!(page.contains("failure = null"));
}

#[test]
fn the_server_refuses_paths_outside_the_outputs_and_levier_s_own_files() {
    let ws = Workspace::new();
    ws.add_base("acme");
    let mut run = Running::start(&ws, &["serve", "--port", "0"]);
    let address = run.address();
    for path in [
        "/../engagements/acme/engagement.toml",
        "/%2e%2e/engagements/acme/engagement.toml",
        "/acme/.levier-cache.json",
        "/.levier-output",
    ] {
        assert_eq!(get(&address, path).0, 404, "{path}");
    }
    let (status, _) = get(&address, "/acme/report.pdf");
    assert_eq!(status, 200);
    // DNS rebinding: a page of another site pointing its name at 127.0.0.1 is refused.
    let mut stream = TcpStream::connect(&address).expect("the server accepts");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("a timeout");
    write!(
        stream,
        "GET /acme/report.html HTTP/1.0\r\nHost: evil.example.com\r\n\r\n"
    )
    .expect("request sent");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("a response");
    let text = String::from_utf8_lossy(&raw);
    assert!(
        text.starts_with("HTTP/1.0 403") || text.starts_with("HTTP/1.1 403"),
        "{text}"
    );
    let port = address.rsplit(':').next().unwrap();
    assert_eq!(get(&format!("localhost:{port}"), "/acme/report.pdf").0, 200);
}

#[test]
fn watch_rebuilds_the_changed_engagement_alone() {
    let ws = Workspace::new();
    ws.add_base("acme");
    ws.add_base("zeta");
    let mut run = Running::start(&ws, &["watch"]);
    run.wait_line("Watching");
    let zeta_page = ws.output("zeta").join("report.html");
    let zeta_before = std::fs::metadata(&zeta_page).unwrap().modified().unwrap();
    append(
        &ws.engagement("acme").join("notes/00-summary.md"),
        "\nUne phrase écrite pendant la surveillance.\n",
    );
    run.wait_line("Built acme");
    run.wait_line("1 engagement rebuilt");
    let acme = std::fs::read_to_string(ws.output("acme").join("report.html")).unwrap();
    assert!(acme.contains("Une phrase écrite pendant la surveillance."));
    assert!(!acme.contains("data-levier-live"), "watch writes no hook");
    assert_eq!(
        std::fs::metadata(&zeta_page).unwrap().modified().unwrap(),
        zeta_before,
        "the other engagement was not rewritten"
    );
    let zeta_builds = run.seen.iter().filter(|l| l.contains("Built zeta")).count();
    assert_eq!(zeta_builds, 1, "zeta was built once, at the start");
}

#[test]
fn a_port_in_use_is_a_usage_error_naming_it() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let ws = Workspace::new();
    ws.add_base("acme");
    ws.levier(&["serve", "--port", &port])
        .assert_code(2)
        .assert_stderr_has(&[&format!("cannot listen on 127.0.0.1:{port}"), "--port"]);
}
