//! End-to-end tests of the address policy: a test resolver maps names to
//! loopback addresses, which the policy refuses unless a test opens them,
//! so nothing here ever leaves loopback (and a refused fetch sends nothing
//! at all: the servers count what reaches them).

mod support;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use redline_fetch::{FetchError, FetchRequest, FetchSettings, Fetcher, IpNet, Lookup, Resolver};
use support::{Response, TestServer};

/// Answers each name with the next of its answers (the last one repeating),
/// so a test can change a name's DNS answer between two connections.
#[derive(Default)]
struct TestResolver {
    answers: Mutex<HashMap<String, Vec<Vec<IpAddr>>>>,
}

impl TestResolver {
    fn with(names: &[(&str, &[&str])]) -> Arc<Self> {
        let resolver = TestResolver::default();
        for (name, addrs) in names {
            resolver.then(name, addrs);
        }
        Arc::new(resolver)
    }

    /// Adds an answer for `name`, given after the ones before it.
    fn then(&self, name: &str, addrs: &[&str]) {
        self.answers
            .lock()
            .unwrap()
            .entry(name.to_string())
            .or_default()
            .push(addrs.iter().map(|a| a.parse().unwrap()).collect());
    }
}

impl Resolver for TestResolver {
    fn lookup(&self, host: &str) -> Lookup {
        let mut answers = self.answers.lock().unwrap();
        let answer = match answers.get_mut(host) {
            Some(list) if list.len() > 1 => Ok(list.remove(0)),
            Some(list) => Ok(list[0].clone()),
            None => Err(std::io::Error::other(format!(
                "failed to lookup address information: {host} is unknown to the test resolver"
            ))),
        };
        Box::pin(async move { answer })
    }
}

fn settings() -> FetchSettings {
    FetchSettings {
        user_agent: "redline-test/1.0 (+mailto:test@example.org)".into(),
        per_host_delay: Duration::ZERO,
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(3),
        retries: 1,
        retry_base_delay: Duration::from_millis(10),
        respect_robots: false,
        ..FetchSettings::default()
    }
}

fn net(s: &str) -> IpNet {
    s.parse().unwrap()
}

/// A server answering 200 (or `respond`) that counts the requests reaching it.
async fn counting_server(
    respond: impl Fn(&support::Request) -> Response + Send + Sync + 'static,
) -> (TestServer, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let server = TestServer::simple(move |req| {
        counter.fetch_add(1, Ordering::SeqCst);
        respond(req)
    })
    .await;
    (server, hits)
}

fn url(s: String) -> url::Url {
    url::Url::parse(&s).unwrap()
}

#[tokio::test]
async fn a_name_resolving_to_a_forbidden_address_is_refused_before_connecting() {
    let (server, hits) = counting_server(|_| Response::new(200).body("secret")).await;
    let port = server.addr.port();
    let resolver = TestResolver::with(&[("internal.test", &["127.0.0.1"])]);
    let f = Fetcher::with_resolver(settings(), resolver).unwrap();
    let target = url(format!("http://internal.test:{port}/admin"));
    let err = f.fetch(FetchRequest::new(target)).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "refused: 127.0.0.1 is a loopback address (internal.test resolves to it); \
             http://internal.test:{port}/admin was not fetched — redline fetches only public \
             addresses, unless [crawl] allow_networks opens the network or a listing on that \
             network led here"
        )
    );
    assert!(matches!(err, FetchError::AddressRefused { .. }));
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "nothing may reach the server"
    );
}

#[tokio::test]
async fn one_forbidden_address_among_the_answers_refuses_the_host() {
    let (server, hits) = counting_server(|_| Response::new(200)).await;
    let port = server.addr.port();
    // The public address is never connected to: the host is refused first.
    let resolver = TestResolver::with(&[("mixed.test", &["192.0.2.10", "127.0.0.1"])]);
    let f = Fetcher::with_resolver(settings(), resolver).unwrap();
    let err = f
        .fetch(
            FetchRequest::new(url(format!("http://mixed.test:{port}/")))
                .allowing([net("127.0.0.1/32")]),
        )
        .await
        .unwrap_err();
    assert_eq!(
        err.refusal().map(ToString::to_string).as_deref(),
        Some("refused: 192.0.2.10 is a documentation address (mixed.test resolves to it)")
    );
    assert_eq!(hits.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_literal_address_is_refused_before_connecting() {
    let (server, hits) = counting_server(|_| Response::new(200)).await;
    let port = server.addr.port();
    let f = Fetcher::new(FetchSettings {
        respect_robots: true,
        ..settings()
    })
    .unwrap();
    for (target, reason) in [
        (
            format!("http://127.0.0.1:{port}/"),
            "refused: 127.0.0.1 is a loopback address",
        ),
        (
            format!("http://[::ffff:127.0.0.1]:{port}/"),
            "refused: ::ffff:127.0.0.1 is a loopback address",
        ),
        (
            format!("http://169.254.169.254:{port}/latest/meta-data/"),
            "refused: 169.254.169.254 is a link-local address",
        ),
    ] {
        let err = f
            .fetch(FetchRequest::new(url(target.clone())))
            .await
            .unwrap_err();
        assert_eq!(
            err.refusal().map(ToString::to_string).as_deref(),
            Some(reason),
            "{target}: {err}"
        );
    }
    assert_eq!(hits.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn an_opened_network_is_fetched_from() {
    let (server, hits) = counting_server(|_| Response::new(200).body("hello")).await;
    let port = server.addr.port();
    let resolver = TestResolver::with(&[("newsroom.test", &["127.0.0.1"])]);
    // Opened by the configuration...
    let f = Fetcher::with_resolver(
        FetchSettings {
            allow_networks: vec![net("127.0.0.0/8")],
            ..settings()
        },
        resolver.clone(),
    )
    .unwrap();
    let got = f
        .fetch(FetchRequest::new(url(format!(
            "http://newsroom.test:{port}/a"
        ))))
        .await
        .unwrap();
    assert_eq!(got.body, "hello");
    // ...or by the request (the listing it came from).
    let f = Fetcher::with_resolver(settings(), resolver).unwrap();
    let request = FetchRequest::new(url(format!("http://newsroom.test:{port}/b")))
        .allowing([net("127.0.0.1/32")]);
    assert_eq!(f.fetch(request).await.unwrap().status, 200);
    let request =
        FetchRequest::new(url(format!("http://127.0.0.1:{port}/c"))).allowing([net("127.0.0.0/8")]);
    assert_eq!(f.fetch(request).await.unwrap().status, 200);
    assert_eq!(hits.load(Ordering::SeqCst), 3);
    // The allowance was the request's: the next one without it is refused.
    let err = f
        .fetch(FetchRequest::new(url(format!(
            "http://newsroom.test:{port}/d"
        ))))
        .await
        .unwrap_err();
    assert!(err.refusal().is_some(), "{err}");
    assert_eq!(hits.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_redirect_to_a_forbidden_address_is_refused() {
    let port = Arc::new(Mutex::new(0u16));
    let port2 = port.clone();
    let (server, hits) = counting_server(move |_| {
        let p = *port2.lock().unwrap();
        Response::redirect(&format!("http://metadata.test:{p}/latest/meta-data/"))
    })
    .await;
    *port.lock().unwrap() = server.addr.port();
    let p = server.addr.port();
    let resolver = TestResolver::with(&[
        ("news.test", &["127.0.0.1"]),
        ("metadata.test", &["127.0.0.2"]),
    ]);
    let f = Fetcher::with_resolver(settings(), resolver).unwrap();
    let request = FetchRequest::new(url(format!("http://news.test:{p}/story")))
        .allowing([net("127.0.0.1/32")]);
    let err = f.fetch(request).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "refused: 127.0.0.2 is a loopback address (metadata.test resolves to it); \
             http://metadata.test:{p}/latest/meta-data/ was not fetched — redline fetches only \
             public addresses, unless [crawl] allow_networks opens the network or a listing on \
             that network led here"
        )
    );
    assert_eq!(
        hits.load(Ordering::SeqCst),
        1,
        "only the redirect was served"
    );

    // A literal address in the Location is refused the same way.
    let (server, hits) = counting_server(|_| Response::redirect("http://10.0.0.1/")).await;
    let f = Fetcher::new(settings()).unwrap();
    let request = FetchRequest::new(server.url("/story")).allowing([net("127.0.0.1/32")]);
    let err = f.fetch(request).await.unwrap_err();
    assert_eq!(
        err.refusal().map(ToString::to_string).as_deref(),
        Some("refused: 10.0.0.1 is a private address")
    );
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_changed_dns_answer_is_judged_at_the_next_connection() {
    // The test server closes each connection after its response, so every
    // fetch opens a new one and resolves again.
    let (server, hits) = counting_server(|_| Response::new(200).body("ok")).await;
    let port = server.addr.port();
    let resolver = TestResolver::with(&[("rebind.test", &["127.0.0.1"])]);
    resolver.then("rebind.test", &["127.0.0.3"]);
    let f = Fetcher::with_resolver(settings(), resolver).unwrap();
    let request = || {
        FetchRequest::new(url(format!("http://rebind.test:{port}/")))
            .allowing([net("127.0.0.1/32")])
    };
    assert_eq!(f.fetch(request()).await.unwrap().status, 200);
    let err = f.fetch(request()).await.unwrap_err();
    assert_eq!(
        err.refusal().map(ToString::to_string).as_deref(),
        Some("refused: 127.0.0.3 is a loopback address (rebind.test resolves to it)")
    );
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn robots_txt_of_a_refused_host_is_not_fetched_and_the_refusal_is_the_error() {
    let (server, hits) = counting_server(|_| Response::new(200).body("User-agent: *\n")).await;
    let port = server.addr.port();
    let resolver = TestResolver::with(&[("internal.test", &["127.0.0.1"])]);
    let f = Fetcher::with_resolver(
        FetchSettings {
            respect_robots: true,
            ..settings()
        },
        resolver,
    )
    .unwrap();
    for _ in 0..2 {
        let err = f
            .fetch(FetchRequest::new(url(format!(
                "http://internal.test:{port}/a"
            ))))
            .await
            .unwrap_err();
        assert!(matches!(err, FetchError::AddressRefused { .. }), "{err}");
    }
    assert_eq!(hits.load(Ordering::SeqCst), 0);
    // Allowed, robots.txt and the page are read.
    let request = FetchRequest::new(url(format!("http://internal.test:{port}/a")))
        .allowing([net("127.0.0.1/32")]);
    assert_eq!(f.fetch(request).await.unwrap().status, 200);
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}
