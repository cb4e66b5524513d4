//! The preview server's connections: hyper on a small tokio runtime. A
//! connection is a task, not a thread, so the idle keep-alive connections a
//! browser holds open never keep a request from being read; each request is
//! answered on a blocking thread, since the live-reload wait blocks.

use super::serve::Reply;
use http_body_util::Full;
use hyper::body::Bytes;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::net::TcpListener;
use std::sync::Arc;
use tokio::sync::Notify;

/// Answers requests on `listener` with `answer` (given the request target)
/// until `stop` is notified.
pub fn run(
    listener: TcpListener,
    answer: Arc<dyn Fn(&str) -> Reply + Send + Sync>,
    stop: Arc<Notify>,
) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_io().build()?;
    let served = runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        loop {
            let stream = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => stream,
                    // A connection that failed while being accepted is the client's affair.
                    Err(_) => continue,
                },
                () = stop.notified() => return Ok(()),
            };
            let answer = answer.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                    let answer = answer.clone();
                    async move {
                        let target = request.uri().to_string();
                        let reply = tokio::task::spawn_blocking(move || answer(&target))
                            .await
                            .unwrap_or_else(|_| Reply::text(500, "internal error"));
                        Ok::<_, Infallible>(reply.into_response())
                    }
                });
                // A client that goes away mid-answer ends only its connection.
                let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
            });
        }
    });
    // Long-poll waits still blocking are dropped with the process.
    runtime.shutdown_background();
    served
}

impl Reply {
    fn into_response(self) -> hyper::Response<Full<Bytes>> {
        let mut response = hyper::Response::new(Full::new(Bytes::from(self.body)));
        *response.status_mut() =
            hyper::StatusCode::from_u16(self.status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
        for (name, value) in self.headers {
            if let Ok(value) = hyper::header::HeaderValue::from_str(&value) {
                response.headers_mut().insert(name, value);
            }
        }
        response
    }
}
