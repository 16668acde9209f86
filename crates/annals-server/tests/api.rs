//! The API in-process: every endpoint, JSON errors with stable codes, limits, escaping.

use annals_model::output::{
    DocumentRecord, EventRecord, Evidence, QuoteRecord, RelationRecord, StoryRecord,
};
use annals_server::{router, Config, PATHS};
use annals_store::{content_hash, DocBundle, Store};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use std::sync::Arc;
use tower::ServiceExt;

#[path = "../../annals-store/tests/common/records.rs"]
mod records;
use records::actor;

const XSS_TITLE: &str = "<script>alert('title')</script> Russia";
const XSS_BODY: &str =
    "Russia said <img src=x onerror=alert(1)> and <script>alert(2)</script> nothing more.";

fn doc(id: &str, title: &str, published: &str, body: &str) -> DocumentRecord {
    DocumentRecord {
        id: id.into(),
        source: format!("{id}.txt"),
        title: Some(title.into()),
        published: Some(published.into()),
        outlet: Some("Voice of America".into()),
        url: None,
        body: body.into(),
        paragraphs: 1,
        sentences: 1,
        tokens: 10,
    }
}

fn evidence(doc: &str, body: &str, action: &str) -> Evidence {
    let at = body.find(action).unwrap() as u32;
    Evidence {
        doc: doc.into(),
        sentence: body.into(),
        start: Some(0),
        end: Some(body.len() as u32),
        action: Some(action.into()),
        action_start: Some(at),
        action_end: Some(at + action.len() as u32),
    }
}

fn store() -> (tempfile::TempDir, Arc<Store>) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("annals.db")).unwrap();
    let b1 = "Turkey and Russia held talks in Ankara. \"The talks were useful,\" Erdogan said.";
    let mut d1 = DocBundle::new(
        doc("d1", "Talks in Ankara", "2015-11-20", b1),
        content_hash(b1),
    );
    d1.actors = vec![
        actor("turkey", "Turkey", "d1", b1, "Turkey"),
        actor("russia", "Russia", "d1", b1, "Russia"),
        actor("recep-erdogan", "Recep Tayyip Erdogan", "d1", b1, "Erdogan"),
    ];
    let qs = b1.find("The talks").unwrap() as u32;
    d1.quotes = vec![QuoteRecord {
        doc: "d1".into(),
        speaker: Some("recep-erdogan".into()),
        text: "The talks were useful,".into(),
        direct: true,
        cue: Some("said".into()),
        start: qs,
        end: qs + 22,
        place: None,
        continued: vec![],
        how: "same-sentence".into(),
        confidence: 0.9,
    }];
    let mut d2 = DocBundle::new(
        doc("d2", XSS_TITLE, "2015-10-01", XSS_BODY),
        content_hash(XSS_BODY),
    );
    d2.actors = vec![actor("russia", "Russia", "d2", XSS_BODY, "Russia")];
    let report = |cameo: &str| annals_store::EventReportRow {
        source: None,
        target: None,
        cameo: cameo.into(),
        date: None,
        data: Value::Null,
    };
    d1.reports = vec![report("040")];
    d2.reports = vec![report("111")];
    store.write_batch(&[d1, d2]).unwrap();
    let event =
        |source: &str, target: &str, cameo: &str, quad: u8, date: &str, ev: Evidence| EventRecord {
            id: String::new(),
            date: Some(date.into()),
            date_precision: Some("day".into()),
            source: Some(source.into()),
            target: Some(target.into()),
            cameo: cameo.into(),
            quad_class: quad,
            goldstein: 1.0,
            action: ev.action.clone().unwrap(),
            mentions: vec![ev],
            date_basis: None,
            date_text: None,
            plover: None,
            plover_mode: None,
            modality: "asserted".into(),
            symmetric: false,
            confidence: 0.8,
        };
    store
        .replace_events(&[
            event(
                "turkey",
                "russia",
                "040",
                1,
                "2015-11-19",
                evidence("d1", b1, "held talks"),
            ),
            event(
                "russia",
                "turkey",
                "111",
                3,
                "2015-10-01",
                evidence("d2", XSS_BODY, "said"),
            ),
        ])
        .unwrap();
    store
        .replace_stories(&[StoryRecord {
            id: "s1".into(),
            title: "Turkey and Russia talk".into(),
            docs: vec!["d1".into(), "d2".into()],
            ..Default::default()
        }])
        .unwrap();
    store
        .replace_relations(&[RelationRecord {
            a: "turkey".into(),
            b: "russia".into(),
            relation: "negotiates-with".into(),
            evidence: vec![evidence("d1", b1, "held talks")],
            ..Default::default()
        }])
        .unwrap();
    store.sync_index().unwrap();
    (dir, Arc::new(store))
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    bytes: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.bytes)))
    }
    fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }
}

async fn send(app: &axum::Router, req: Request<Body>) -> Reply {
    let r = app.clone().oneshot(req).await.unwrap();
    let status = r.status();
    let headers = r.headers().clone();
    let bytes = r.into_body().collect().await.unwrap().to_bytes().to_vec();
    Reply {
        status,
        headers,
        bytes,
    }
}

async fn get(app: &axum::Router, uri: &str) -> Reply {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

fn app(store: Arc<Store>) -> axum::Router {
    router(store, &Config::default())
}

#[tokio::test]
async fn status_and_lists() {
    let (_d, store) = store();
    let app = app(store);
    let r = get(&app, "/api/status").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/json");
    let s = r.json();
    assert_eq!(
        (
            s["documents"].as_u64(),
            s["events"].as_u64(),
            s["stories"].as_u64()
        ),
        (Some(2), Some(2), Some(1))
    );
    let docs = get(&app, "/api/documents").await.json();
    assert_eq!(docs["total"], 2);
    assert_eq!(docs["items"][0]["id"], "d1", "newest first");
    let docs = get(
        &app,
        "/api/documents?to=2015-10-31&outlet=voice%20of%20america",
    )
    .await
    .json();
    assert_eq!(docs["items"][0]["id"], "d2");
    assert_eq!(docs["total"], 1);
    let actors = get(&app, "/api/actors?q=erdo").await.json();
    assert_eq!(actors["items"][0]["id"], "recep-erdogan");
    let stories = get(&app, "/api/stories").await.json();
    assert_eq!(stories[0]["documents"], 2);
    let relations = get(&app, "/api/relations?actor=russia").await.json();
    assert_eq!(relations[0]["relation"], "negotiates-with");
}

#[tokio::test]
async fn documents_actors_stories_and_events() {
    let (_d, store) = store();
    let app = app(store);
    let d = get(&app, "/api/documents/d1").await.json();
    assert_eq!(d["document"]["title"], "Talks in Ankara");
    assert_eq!(d["quotes"][0]["speaker"], "recep-erdogan");
    assert_eq!(d["events"][0]["cameo"], "040");
    assert_eq!(d["stories"][0]["id"], "s1");
    assert_eq!(d["names"]["recep-erdogan"], "Recep Tayyip Erdogan");

    let a = get(&app, "/api/actors/russia").await.json();
    assert_eq!(a["actor"]["name"], "Russia");
    assert_eq!(a["actor"]["mentions"], 2);
    assert_eq!(a["events"].as_array().unwrap().len(), 2);
    assert_eq!(a["relations"][0]["relation"], "negotiates-with");
    assert_eq!(a["partners"][0]["id"], "turkey");
    assert_eq!(a["series"].as_array().unwrap().len(), 2, "two months");
    let q = get(&app, "/api/actors/recep-erdogan").await.json();
    assert_eq!(q["quotes"][0]["quote"]["text"], "The talks were useful,");
    assert_eq!(q["quotes"][0]["title"], "Talks in Ankara");

    let s = get(&app, "/api/stories/s1").await.json();
    let dates: Vec<&str> = s["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["date"].as_str().unwrap())
        .collect();
    assert_eq!(
        dates,
        ["2015-10-01", "2015-11-19"],
        "the timeline runs by date"
    );
    assert_eq!(s["documents"][0]["id"], "d2", "oldest first");
    assert_eq!(s["lead"]["doc"], "d2");

    let e = get(&app, "/api/events?a=russia&b=turkey").await.json();
    assert_eq!(e["total"], 2, "either way round");
    let e = get(&app, "/api/events?a=russia&b=turkey&code=04")
        .await
        .json();
    assert_eq!(e["total"], 1);
    let e = get(&app, "/api/events?from=2015-11-01&to=2015-11-30")
        .await
        .json();
    assert_eq!(e["items"][0]["cameo"], "040");
    let id = e["items"][0]["id"].as_str().unwrap().to_string();
    let one = get(&app, &format!("/api/events/{id}")).await.json();
    assert_eq!(one["mentions"][0]["action"], "held talks");
}

#[tokio::test]
async fn search_with_filters() {
    let (_d, store) = store();
    let app = app(store);
    let r = get(&app, "/api/search?q=ankara").await.json();
    assert_eq!(r["total"], 1);
    assert_eq!(r["hits"][0]["doc"], "d1");
    let r = get(
        &app,
        "/api/search?q=talks&kind=quotes&speaker=recep-erdogan",
    )
    .await
    .json();
    assert_eq!(r["total"], 1);
    assert_eq!(r["hits"][0]["kind"], "quote");
    assert_eq!(r["names"]["recep-erdogan"], "Recep Tayyip Erdogan");
    assert!(r["hits"][0]["snippet"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["hit"] == true));
    let r = get(&app, "/api/search?q=russia&kind=documents&code=111")
        .await
        .json();
    assert_eq!(r["hits"][0]["doc"], "d2");
    assert_eq!(r["total"], 1);
    let r = get(&app, "/api/search?q=russia&kind=documents&from=2015-11-01")
        .await
        .json();
    assert_eq!(r["hits"][0]["doc"], "d1");
    let r = get(
        &app,
        "/api/search?q=russia&story=s1&actor=turkey&outlet=Voice%20of%20America",
    )
    .await
    .json();
    assert!(r["total"].as_u64().unwrap() >= 1);
    assert!(r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["doc"] == "d1"));
}

#[tokio::test]
async fn openapi_describes_every_path() {
    let (_d, store) = store();
    let app = app(store);
    let r = get(&app, "/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    let spec = r.json();
    assert_eq!(spec["openapi"], "3.1.0");
    let paths = spec["paths"].as_object().unwrap();
    for p in PATHS {
        assert!(paths.contains_key(*p), "{p} is not described");
        // and the router answers it (ids filled in)
        let uri = p.replace("{id}", "d1");
        let r = get(&app, &uri).await;
        assert!(
            r.status == StatusCode::OK || r.code() == "not_found",
            "{uri}: {}",
            r.status
        );
    }
    assert_eq!(
        paths.len(),
        PATHS.len(),
        "no path described that is not served"
    );
    let codes = &spec["components"]["schemas"]["Error"]["properties"]["error"]["properties"]
        ["code"]["enum"];
    assert!(codes
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "rate_limited"));
}

#[tokio::test]
async fn errors_are_json_with_stable_codes() {
    let (_d, store) = store();
    let app = app(store);
    for (uri, status, code) in [
        ("/api/documents/nope", StatusCode::NOT_FOUND, "not_found"),
        ("/api/actors/nope", StatusCode::NOT_FOUND, "not_found"),
        ("/api/stories/nope", StatusCode::NOT_FOUND, "not_found"),
        ("/api/events/nope", StatusCode::NOT_FOUND, "not_found"),
        ("/api/no-such-thing", StatusCode::NOT_FOUND, "not_found"),
        (
            "/api/events?from=yesterday",
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            "/api/documents?to=2015-13",
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            "/api/search?q=x&from=last%20week",
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            "/api/search?q=x&kind=videos",
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            "/api/events?limit=many",
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            "/api/events?acter=russia",
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            "/api/events?code=19'%20OR%201=1",
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
    ] {
        let r = get(&app, uri).await;
        assert_eq!((r.status, r.code().as_str()), (status, code), "{uri}");
        assert_eq!(r.headers[header::CONTENT_TYPE], "application/json", "{uri}");
        assert!(r.json()["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
    let r = send(
        &app,
        Request::post("/api/documents").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
    );
}

#[tokio::test]
async fn request_size_limits() {
    let (_d, store) = store();
    let app = router(
        store,
        &Config {
            max_body_bytes: 1024,
            max_uri_bytes: 512,
            ..Config::default()
        },
    );
    let big = vec![b'x'; 4096];
    let r = send(
        &app,
        Request::post("/api/search")
            .header(header::CONTENT_LENGTH, big.len())
            .body(Body::from(big))
            .unwrap(),
    )
    .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
    );
    let long = format!("/api/search?q={}", "a".repeat(600));
    let r = get(&app, &long).await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::URI_TOO_LONG, "uri_too_long")
    );
    let r = get(&app, &format!("/api/search?q={}", "a".repeat(400))).await;
    assert_eq!(r.status, StatusCode::OK, "under the limit");
}

#[tokio::test]
async fn rate_limit() {
    let (_d, store) = store();
    let app = router(
        store,
        &Config {
            rate_per_second: 0.01,
            burst: 3.0,
            ..Config::default()
        },
    );
    for _ in 0..3 {
        assert_eq!(get(&app, "/api/status").await.status, StatusCode::OK);
    }
    let r = get(&app, "/api/status").await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
    );
    let wait: u64 = r.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait >= 1);
}

#[tokio::test]
async fn article_text_never_reaches_the_page_as_markup() {
    let (_d, store) = store();
    let app = app(store);
    // the API's bytes hold no markup, and decode to the text as it was
    for uri in [
        "/api/documents/d2",
        "/api/documents",
        "/api/search?q=nothing",
        "/api/stories/s1",
    ] {
        let r = get(&app, uri).await;
        let raw = String::from_utf8(r.bytes.clone()).unwrap();
        assert!(!raw.contains('<') && !raw.contains('>'), "{uri}: {raw}");
        assert_eq!(r.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert!(r.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("script-src 'self'"));
    }
    let d = get(&app, "/api/documents/d2").await.json();
    assert_eq!(d["document"]["body"], XSS_BODY);
    assert_eq!(d["document"]["title"], XSS_TITLE);
    let hits = get(&app, "/api/search?q=onerror").await.json();
    let snippet: String = hits["hits"][0]["snippet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    assert!(
        snippet.contains("<img src=x onerror=alert(1)>"),
        "{snippet}"
    );

    // the page is a fixed shell; the script writes text nodes only and loads nothing
    // from elsewhere
    let page = get(&app, "/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let csp = page.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    let js = String::from_utf8(get(&app, "/assets/app.js").await.bytes).unwrap();
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
    ] {
        assert!(!js.contains(sink), "app.js uses {sink}");
    }
    for asset in ["/", "/assets/app.js", "/assets/app.css"] {
        let text = String::from_utf8(get(&app, asset).await.bytes).unwrap();
        let external = text
            .match_indices("http")
            .filter(|(i, _)| !text[*i..].starts_with("http://www.w3.org/2000/svg"))
            .count();
        assert_eq!(external, 0, "{asset} refers to another site");
    }
    assert_eq!(
        get(&app, "/assets/app.css").await.headers[header::CONTENT_TYPE],
        "text/css; charset=utf-8"
    );
}

/// Hostile parameters on every route: SQL meta-characters, search syntax, huge numbers,
/// control characters, encoded path traversal. Each answers 200 (a parameter is data),
/// 400 or 404 in JSON, never 500; no row changes; and the UI's routes serve only their
/// three embedded files, never a file of the disk.
#[tokio::test]
async fn hostile_parameters_are_data_not_sql_and_no_path_leaves_the_ui() {
    let (_d, store) = store();
    let before = store.status().unwrap();
    // hundreds of requests: the rate limit is not what is tested here
    let app = router(
        store.clone(),
        &Config {
            rate_per_second: 1e9,
            burst: 1e9,
            ..Config::default()
        },
    );
    let payloads = [
        "'",
        "%27%20OR%201%3D1%20--",
        "%22%3B%20DROP%20TABLE%20documents%3B%20--",
        "1%3B%20DELETE%20FROM%20actors",
        "%25",
        "_",
        "%5C",
        "%00",
        "%0d%0aSet-Cookie:%20x=1",
        "..%2F..%2Fetc%2Fpasswd",
        "*",
        "(",
        "AND%20OR%20NOT",
        "title:%22",
        "%E2%80%AE",
        "%FF%FE",
        "-1",
        "18446744073709551616",
        "99999999999999999999999999",
    ];
    let lists = [
        "/api/documents?q=",
        "/api/documents?outlet=",
        "/api/documents?story=",
        "/api/documents?actor=",
        "/api/documents?limit=",
        "/api/documents?offset=",
        "/api/documents?from=",
        "/api/actors?q=",
        "/api/actors?type=",
        "/api/actors?limit=",
        "/api/events?actor=",
        "/api/events?a=russia&b=",
        "/api/events?code=",
        "/api/events?story=",
        "/api/events?doc=",
        "/api/events?to=",
        "/api/events?offset=",
        "/api/relations?actor=",
        "/api/search?q=",
        "/api/search?q=x&outlet=",
        "/api/search?q=x&limit=",
        "/api/documents/",
        "/api/actors/",
        "/api/stories/",
        "/api/events/",
    ];
    for base in lists {
        for p in payloads {
            let uri = format!("{base}{p}");
            let r = get(&app, &uri).await;
            assert!(
                [
                    StatusCode::OK,
                    StatusCode::BAD_REQUEST,
                    StatusCode::NOT_FOUND
                ]
                .contains(&r.status),
                "{uri}: {} {}",
                r.status,
                String::from_utf8_lossy(&r.bytes)
            );
            assert_eq!(r.headers[header::CONTENT_TYPE], "application/json", "{uri}");
            let _ = r.json();
        }
    }
    let after = store.status().unwrap();
    assert_eq!(
        (after.documents, after.actors, after.quotes, after.events),
        (
            before.documents,
            before.actors,
            before.quotes,
            before.events
        ),
        "no request changed the store"
    );
    // a LIKE pattern's wildcards in `q` are not a way to list everything
    let all = get(&app, "/api/actors").await.json()["total"].clone();
    let pct = get(&app, "/api/actors?q=%25").await.json()["total"].clone();
    assert!(pct.as_u64() <= all.as_u64());

    for uri in [
        "/assets/../../../../etc/passwd",
        "/assets/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "/assets/%2e%2e/%2e%2e/Cargo.toml",
        "/assets/app.js/../../Cargo.toml",
        "/assets//etc/passwd",
        "/assets/app.js%00.png",
        "/..%2f..%2fetc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/assets/",
        "/assets/index.html",
        "/ui/app.js",
        "/src/lib.rs",
        "/Cargo.toml",
    ] {
        let r = get(&app, uri).await;
        let body = String::from_utf8_lossy(&r.bytes);
        assert!(
            !body.contains("root:") && !body.contains("[package]") && !body.contains("//!"),
            "{uri} served a file: {body}"
        );
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}: {body}");
        assert_eq!(
            (r.status, r.code().as_str()),
            (StatusCode::NOT_FOUND, "not_found"),
            "{uri}"
        );
    }
}
