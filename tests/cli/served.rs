//! A running `dossier serve` (or `watch`) on a fixture, with its log lines
//! as they come and plain HTTP requests to it.

use crate::fixture::Fixture;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// A `dossier serve` or `dossier watch` process, stopped when dropped.
pub struct Served {
    child: Child,
    lines: Receiver<String>,
    /// Every log line so far.
    pub log: Vec<String>,
    pub port: u16,
}

/// The parts of an HTTP response the tests look at.
pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Served {
    /// Starts `dossier ARGS…` in the fixture and waits for its first build.
    pub fn start(fixture: &Fixture, args: &[&str]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(args)
            .current_dir(&fixture.root)
            .env("NO_COLOR", "1")
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let (tx, lines) = channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut served = Served { child, lines, log: Vec::new(), port: 0 };
        let ready = served.wait_for(|l| l.starts_with("serving ") || l.starts_with("watching"));
        if let Some(address) = ready.strip_prefix("serving http://127.0.0.1:") {
            served.port = address.split('/').next().unwrap().parse().unwrap();
        }
        served
    }

    /// Waits (up to 20 s) for a log line that `wanted` accepts and returns it.
    pub fn wait_for(&mut self, wanted: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.log.push(line.clone());
                    if wanted(&line) {
                        return line;
                    }
                }
                Err(_) => panic!("no such line within 20 s; log so far:\n{}", self.log.join("\n")),
            }
        }
    }

    /// Collects log lines until none came for `quiet`.
    pub fn settle(&mut self, quiet: Duration) {
        while let Ok(line) = self.lines.recv_timeout(quiet) {
            self.log.push(line);
        }
    }

    /// How many log lines so far start with `prefix`.
    pub fn count(&self, prefix: &str) -> usize {
        self.log.iter().filter(|l| l.starts_with(prefix)).count()
    }

    /// Sends `method target` as written, without any normalisation.
    pub fn request(&self, method: &str, target: &str) -> Reply {
        request(self.port, method, target)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits (up to 10 s) for the process to end; its exit code.
    pub fn wait_exit(&mut self) -> Option<i32> {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }

    pub fn get(&self, target: &str) -> Reply {
        self.request("GET", target)
    }
}

/// Sends `method target` to the server on `port`, as written, without any normalisation.
pub fn request(port: u16, method: &str, target: &str) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(stream, "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Reply { status, head: head.to_string(), body: body.to_string() }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim().to_string())
        })
    }
}
