//! The metrics of `mia monitor --follow` served over HTTP for Prometheus to scrape
//! (`--metrics-addr 127.0.0.1:9464/metrics`), with `tiny_http` on a thread of its own. Each
//! scrape locks the monitor for as long as it takes to write the text, so a scrape sees the
//! figures after a whole query. Native only: the page never serves anything.

use std::net::{SocketAddr, ToSocketAddrs};

use tiny_http::{Header, Method, Response, Server};

use super::monitor_follow::{lock, Shared};
use crate::exit::{stderr_line, CliError};

/// Prometheus' text exposition format.
const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// `HOST:PORT` and the path of an address such as `127.0.0.1:9464/metrics` (the path defaults
/// to `/metrics`).
fn split_addr(spec: &str) -> Result<(SocketAddr, String), CliError> {
    let spec = spec.trim();
    let spec = spec.strip_prefix("http://").unwrap_or(spec);
    let (host, path) = match spec.find('/') {
        Some(i) => (&spec[..i], spec[i..].to_string()),
        None => (spec, "/metrics".to_string()),
    };
    let bad = |why: String| {
        CliError::Usage(format!(
            "--metrics-addr `{spec}`: {why}. Give HOST:PORT[/PATH], such as \
             127.0.0.1:9464/metrics (port 0 picks a free port)."
        ))
    };
    let addr = host
        .to_socket_addrs()
        .map_err(|e| bad(e.to_string()))?
        .next()
        .ok_or_else(|| bad("the host has no address".to_string()))?;
    Ok((addr, path))
}

/// Starts serving the monitor's metrics at `spec` and returns the URL (with the port bound, when
/// port 0 was asked).
pub fn serve(spec: &str, monitor: Shared) -> Result<String, CliError> {
    let (addr, path) = split_addr(spec)?;
    let server = Server::http(addr).map_err(|e| {
        CliError::Usage(format!(
            "--metrics-addr {addr}: cannot listen there ({e}); pick another port, or 0 for any free one."
        ))
    })?;
    let bound = server.server_addr().to_ip().unwrap_or(addr);
    let url = format!("http://{bound}{path}");
    std::thread::Builder::new()
        .name("metrics".to_string())
        .spawn(move || answer(&server, &path, &monitor))
        .map_err(|e| CliError::Usage(format!("--metrics-addr: cannot start the server: {e}")))?;
    Ok(url)
}

/// Answers requests until the process ends: the metrics at `path`, 404 elsewhere, 405 for
/// anything but GET and HEAD.
fn answer(server: &Server, path: &str, monitor: &Shared) {
    let header = Header::from_bytes("Content-Type", CONTENT_TYPE).ok();
    for request in server.incoming_requests() {
        let asked = request.url().split('?').next().unwrap_or("");
        let response = if !matches!(request.method(), Method::Get | Method::Head) {
            Response::from_string("only GET and HEAD\n").with_status_code(405)
        } else if asked != path {
            Response::from_string(format!("not found: the metrics are at {path}\n"))
                .with_status_code(404)
        } else {
            let text = lock(monitor).metrics();
            let mut r = Response::from_string(text);
            if let Some(h) = header.clone() {
                r = r.with_header(h);
            }
            r
        };
        if let Err(e) = request.respond(response) {
            stderr_line(&format!(
                "mia monitor --follow: a metrics request failed: {e}"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_with_and_without_a_path() {
        let (a, p) = split_addr("127.0.0.1:9464/metrics").unwrap();
        assert_eq!(
            (a.to_string(), p.as_str()),
            ("127.0.0.1:9464".to_string(), "/metrics")
        );
        let (a, p) = split_addr("http://127.0.0.1:0").unwrap();
        assert_eq!((a.port(), p.as_str()), (0, "/metrics"));
        let (_, p) = split_addr("[::1]:9000/probe").unwrap();
        assert_eq!(p, "/probe");
        let e = split_addr("127.0.0.1").unwrap_err().to_string();
        assert!(
            e.contains("--metrics-addr `127.0.0.1`") && e.contains("HOST:PORT"),
            "{e}"
        );
        assert!(split_addr("127.0.0.1:port").is_err());
    }
}
