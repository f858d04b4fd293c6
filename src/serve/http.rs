//! The preview server: the output folder over HTTP, and news for open pages.
//!
//! tiny_http (blocking, std threads) is enough: one consultant, a few tabs, on loopback.
//! Each request gets a thread; a page's news request waits on [`super::Live`] for at most
//! [`WAIT`] and then answers, and the browser's `EventSource` asks again (server-sent
//! events, one complete response per event: tiny_http buffers a streamed body, so
//! streaming would not reach the page until the connection closed).
//!
//! The reload hook is added to HTML pages as they are sent, never to the files on disk:
//! what levier writes is the deliverable, byte for byte the same as `levier build`'s.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tiny_http::{Header, Method, Request, Response, Server};

use super::{Live, News};

/// Where open pages ask for news; `_` starts no engagement's name, so it never hides one.
pub const EVENTS: &str = "/__levier/events";

/// How long a news request waits before answering "nothing yet" (the browser then asks
/// again at once).
pub const WAIT: Duration = Duration::from_secs(20);

/// News requests waiting at once beyond which new ones are answered at once: a bound on
/// threads whatever a browser does.
const MAX_WAITING: usize = 64;

/// A server listening, not yet answering.
pub struct Preview {
    server: Server,
    pub url: String,
}

impl Preview {
    /// Listens on `addr` (port 0: any free port).
    pub fn bind(addr: std::net::SocketAddr) -> Result<Preview, String> {
        let server = Server::http(addr).map_err(|e| e.to_string())?;
        let bound = server
            .server_addr()
            .to_ip()
            .ok_or_else(|| "not an IP address".to_string())?;
        Ok(Preview {
            server,
            url: format!("http://{bound}/"),
        })
    }

    /// Answers requests for files of `out` until the process ends.
    pub fn spawn(self, out: PathBuf, live: Arc<Live>) {
        let waiting = Arc::new(AtomicUsize::new(0));
        std::thread::spawn(move || {
            for request in self.server.incoming_requests() {
                let (out, live, waiting) = (out.clone(), live.clone(), waiting.clone());
                std::thread::spawn(move || {
                    // The browser may have gone: nothing to do about a failed answer.
                    let _ = answer(request, &out, &live, &waiting);
                });
            }
        });
    }
}

/// Whether the request names the server by an IP address or `localhost`. A web page the
/// consultant visits could point its own domain name at 127.0.0.1 (DNS rebinding) and
/// read the client's reports through the browser: such a request carries that domain in
/// `Host`, and is refused. A request without `Host` (HTTP/1.0 tools) is local by nature.
fn local_host(request: &Request) -> bool {
    let Some(host) = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().trim().to_ascii_lowercase())
    else {
        return true;
    };
    let name = if let Some(rest) = host.strip_prefix('[') {
        // `[::1]:3000`
        rest.split(']').next().unwrap_or_default().to_string()
    } else {
        host.rsplit_once(':')
            .map_or(host.as_str(), |(name, port)| {
                if port.chars().all(|c| c.is_ascii_digit()) {
                    name
                } else {
                    host.as_str()
                }
            })
            .to_string()
    };
    name == "localhost" || name.parse::<std::net::IpAddr>().is_ok()
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("ASCII header")
}

fn answer(request: Request, out: &Path, live: &Live, waiting: &AtomicUsize) -> std::io::Result<()> {
    if !matches!(request.method(), Method::Get | Method::Head) {
        return request.respond(
            Response::from_string("only GET and HEAD are served\n").with_status_code(405),
        );
    }
    if !local_host(&request) {
        return request.respond(
            Response::from_string(
                "levier serves its previews to addresses typed as an IP or `localhost` only\n",
            )
            .with_status_code(403),
        );
    }
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    if path == EVENTS {
        return events(request, query, live, waiting);
    }
    let Some(rel) = decode(path) else {
        return request.respond(not_found(live, None));
    };
    let slug = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let mut file = out.join(&rel);
    if file.is_dir() {
        if !path.ends_with('/') {
            // Relative links of the page work only under the folder's own URL.
            return request.respond(
                Response::empty(301).with_header(header("Location", &format!("{path}/"))),
            );
        }
        file = ["index.html", "report.html"]
            .iter()
            .map(|name| file.join(name))
            .find(|f| f.is_file())
            .unwrap_or(file);
    }
    // Served only from inside the output folder, whatever links it holds.
    let inside = match (file.canonicalize(), out.canonicalize()) {
        (Ok(f), Ok(o)) => f.starts_with(o) && f.is_file(),
        _ => false,
    };
    let bytes = if inside {
        std::fs::read(&file).ok()
    } else {
        None
    };
    let Some(bytes) = bytes else {
        return request.respond(not_found(live, slug.as_deref()));
    };
    let kind = content_type(&file);
    let body = if kind.starts_with("text/html") {
        // A page reloaded by hand while its engagement is broken still shows why.
        let state = live.snapshot();
        let failure = slug
            .as_deref()
            .and_then(|s| state.failed.get(s))
            .map(|(_, t)| t.as_str());
        inject(&bytes, &hook(slug.as_deref(), state.generation, failure))
    } else {
        bytes
    };
    request.respond(
        Response::from_data(body)
            .with_header(header("Content-Type", kind))
            .with_header(header("Cache-Control", "no-store"))
            // A length rather than chunks: PDF viewers show their progress.
            .with_chunked_threshold(usize::MAX),
    )
}

/// A URL path as a relative path inside the output folder, or `None` when it could lead
/// elsewhere or to a file levier keeps for itself (hidden files: its build record, lock).
pub fn decode(path: &str) -> Option<PathBuf> {
    let text = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let mut rel = PathBuf::new();
    for part in text.split('/').filter(|p| !p.is_empty()) {
        if part.starts_with('.') || part.contains(['\\', '\0', ':']) {
            return None;
        }
        let part = Path::new(part);
        if !matches!(part.components().next(), Some(Component::Normal(_))) {
            return None;
        }
        rel.push(part);
    }
    Some(rel)
}

fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "pdf" => "application/pdf",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// A missing page; for an engagement whose build failed, the page says why and reloads
/// itself once it builds.
fn not_found(live: &Live, slug: Option<&str>) -> Response<std::io::Cursor<Vec<u8>>> {
    let state = live.snapshot();
    let failure = slug
        .and_then(|s| state.failed.get(s))
        .map(|(_, t)| t.as_str());
    let page = "<!doctype html><html><head><meta charset=\"utf-8\"><title>levier: not found</title></head>\
<body><p>Not found. This page is not among the outputs (yet).</p></body></html>";
    let body = inject(page.as_bytes(), &hook(slug, state.generation, failure));
    Response::from_data(body)
        .with_status_code(404)
        .with_header(header("Content-Type", "text/html; charset=utf-8"))
        .with_header(header("Cache-Control", "no-store"))
}

/// Text as a JavaScript string literal safe inside a `<script>` element.
fn js_string(text: &str) -> String {
    serde_json::to_string(text)
        .unwrap_or_else(|_| "\"\"".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The reload hook: listens for news of its page and reloads it, or shows a failed
/// rebuild's diagnostics over the last good page.
pub fn hook(slug: Option<&str>, generation: u64, failure: Option<&str>) -> String {
    let page = slug.map_or_else(|| "null".to_string(), js_string);
    let failure = failure.map_or_else(|| "null".to_string(), js_string);
    format!(
        r#"<script data-levier-live>
(function () {{
  var page = {page}, since = {generation}, failure = {failure};
  function overlay(text) {{
    var old = document.getElementById("levier-live-overlay");
    if (old) old.remove();
    var box = document.createElement("div");
    box.id = "levier-live-overlay";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.93);color:#f5f5f5;padding:2em;font:13px/1.45 ui-monospace,Menlo,Consolas,monospace";
    var title = document.createElement("p");
    title.style.cssText = "font:bold 15px sans-serif;color:#ff8a80;margin:0 0 1em";
    title.textContent = "levier: the last rebuild failed; this is the last good page. Fix the problem and save: the page reloads.";
    var close = document.createElement("button");
    close.textContent = "Hide";
    close.style.cssText = "float:right";
    close.onclick = function () {{ box.remove(); }};
    var pre = document.createElement("pre");
    pre.style.cssText = "white-space:pre-wrap;margin:0;padding:0;border:0;background:none;color:inherit;font:inherit";
    pre.textContent = text;
    box.appendChild(close); box.appendChild(title); box.appendChild(pre);
    document.body.appendChild(box);
  }}
  if (failure) overlay(failure);
  if (!window.EventSource) return;
  var url = "{EVENTS}?since=" + since + (page === null ? "" : "&page=" + encodeURIComponent(page));
  var news = new EventSource(url);
  news.addEventListener("reload", function () {{ news.close(); location.reload(); }});
  news.addEventListener("failed", function (e) {{ overlay(JSON.parse(e.data)); }});
}})();
</script>
"#
    )
}

/// `html` with `script` added before its last `</body>` (or at its end).
pub fn inject(html: &[u8], script: &str) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The value of `name` in a query string.
fn query_value<'q>(query: &'q str, name: &str) -> Option<std::borrow::Cow<'q, str>> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .and_then(|(_, v)| percent_encoding::percent_decode_str(v).decode_utf8().ok())
}

/// Answers a page's news request (server-sent events): at once if something happened
/// since the generation it knows, else when something does or after [`WAIT`].
fn events(
    request: Request,
    query: &str,
    live: &Live,
    waiting: &AtomicUsize,
) -> std::io::Result<()> {
    // After its first event, the browser says which one it saw last.
    let last_seen = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Last-Event-ID"))
        .and_then(|h| h.value.as_str().trim().parse::<u64>().ok());
    let since = last_seen
        .or_else(|| query_value(query, "since").and_then(|s| s.parse().ok()))
        .unwrap_or(0);
    let page = query_value(query, "page").map(|p| p.into_owned());
    let crowded = waiting.fetch_add(1, Ordering::SeqCst) >= MAX_WAITING;
    let deadline = Instant::now() + if crowded { Duration::ZERO } else { WAIT };
    let (generation, news) = live.wait(page.as_deref(), since, deadline);
    waiting.fetch_sub(1, Ordering::SeqCst);
    let body = match news {
        Some(News::Reload) => {
            format!("retry: 500\nid: {generation}\nevent: reload\ndata: {generation}\n\n")
        }
        Some(News::Failed(text)) => format!(
            "retry: 500\nid: {generation}\nevent: failed\ndata: {}\n\n",
            serde_json::to_string(&text).unwrap_or_default()
        ),
        // Nothing for this page: it asks again from the generation it now knows.
        None => format!("retry: 500\nid: {generation}\n: nothing new\n\n"),
    };
    request.respond(
        Response::from_string(body)
            .with_header(header("Content-Type", "text/event-stream"))
            .with_header(header("Cache-Control", "no-store")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_paths_never_leave_the_output_folder_nor_show_levier_s_own_files() {
        assert_eq!(
            decode("/acme/report.html"),
            Some(PathBuf::from("acme/report.html"))
        );
        assert_eq!(decode("/"), Some(PathBuf::new()));
        assert_eq!(
            decode("/acme/scorecards/j%C3%A9r%C3%B4me.html"),
            Some(PathBuf::from("acme/scorecards/jérôme.html"))
        );
        assert_eq!(decode("/../etc/passwd"), None);
        assert_eq!(decode("/acme/%2e%2e/%2e%2e/secret"), None);
        assert_eq!(decode("/acme/.levier-cache.json"), None);
        assert_eq!(decode("/.levier.lock"), None);
        assert_eq!(decode("/a%5Cb"), None);
    }

    #[test]
    fn the_hook_goes_before_the_end_of_the_body() {
        let page = b"<html><body><p>x</p></body></html>";
        let out = String::from_utf8(inject(page, "<script>1</script>")).unwrap();
        assert_eq!(out, "<html><body><p>x</p><script>1</script></body></html>");
        let bare = String::from_utf8(inject(b"<p>x</p>", "<s>")).unwrap();
        assert_eq!(bare, "<p>x</p><s>");
    }

    #[test]
    fn diagnostics_in_the_hook_cannot_close_its_script() {
        let hook = hook(Some("acme"), 3, Some("error: `</script><b>` in a note"));
        assert_eq!(hook.matches("</script>").count(), 1);
        assert!(hook.contains("\\u003c/script\\u003e"));
    }
}
