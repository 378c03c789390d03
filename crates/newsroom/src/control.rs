//! The control API under `/_control/` (JSON), served by every outlet and
//! acting on the whole newsroom, so a test in another process can drive and
//! inspect it exactly like the library API does.
//!
//! | method and path | body / query | answer |
//! | --- | --- | --- |
//! | `GET /_control/outlets.json` | | `[{"index","name","base_url","addr"}]` |
//! | `GET /_control/articles.json` | | every article's snapshot |
//! | `GET /_control/articles/{id}` | | one snapshot (404 if unknown) |
//! | `POST /_control/articles` | a `NewArticle` (`{}` = generated) | the new snapshot (201) |
//! | `GET /_control/revisions.json` | `?id=N` optional | `{"articles":[{"id","outlet","url","status","revisions":[..]}]}` |
//! | `GET /_control/edits.json` | `?since=SEQ` optional | edits with `seq > SEQ`, in order |
//! | `POST /_control/edit` | `{"id":N,"edit":EDIT}` | `{"id","revision"}`; 409 if it changes nothing |
//! | `POST /_control/edit-random` | | the `EditRecord` of one driver-style edit |
//! | `POST /_control/status` | `{"id":N,"status":STATUS}` | `{"id","status"}` |
//! | `POST /_control/robots` | `{"outlet":0,"robots":ROBOTS}` | `{"outlet"}` |
//! | `GET/POST /_control/driver` | POST `{"every_ms":2000}` or `{"every_ms":null}` | `{"every_ms"}` |
//! | `GET /_control/requests.json` | | `{"outlets":[stats..],"paths":{path:n},"articles":{id:n}}` |
//! | `GET /_control/requests` | `?path=/feed.xml` or `?id=N` | `{"count":n}` |
//! | `GET /_control/log.json` | | request log (empty unless `log_requests`) |
//!
//! Errors answer `{"error": "..."}` with 404 (unknown article/outlet), 409
//! (no change) or 400.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::config::Robots;
use crate::model::{ArticleId, ArticleStatus, Edit, NewArticle, NewsroomError};
use crate::server::Ctx;
use crate::state::lock;

/// The `/_control/...` routes.
pub(crate) fn routes() -> Router<Ctx> {
    Router::new()
        .route("/_control/outlets.json", get(outlets))
        .route("/_control/articles.json", get(articles))
        .route("/_control/articles/{id}", get(article))
        .route("/_control/articles", post(add_article))
        .route("/_control/revisions.json", get(revisions))
        .route("/_control/edits.json", get(edits))
        .route("/_control/edit", post(edit))
        .route("/_control/edit-random", post(edit_random))
        .route("/_control/status", post(status))
        .route("/_control/robots", post(robots))
        .route("/_control/driver", get(driver).post(set_driver))
        .route("/_control/requests.json", get(requests_all))
        .route("/_control/requests", get(requests_one))
        .route("/_control/log.json", get(log))
}

fn error(e: NewsroomError) -> Response {
    let status = match e {
        NewsroomError::UnknownArticle(_) | NewsroomError::UnknownOutlet(_) => StatusCode::NOT_FOUND,
        NewsroomError::NoChange => StatusCode::CONFLICT,
        _ => StatusCode::BAD_REQUEST,
    };
    (status, Json(json!({"error": e.to_string()}))).into_response()
}

async fn outlets(State(cx): State<Ctx>) -> Json<Value> {
    Json(json!(cx.shared.outlets.iter().map(|o| json!({
        "index": o.index, "name": o.name, "base_url": format!("{}/", o.base), "addr": o.addr.to_string()
    })).collect::<Vec<_>>()))
}

async fn articles(State(cx): State<Ctx>) -> Json<Value> {
    let st = cx.shared.lock();
    let all: Vec<_> = st
        .articles
        .iter()
        .filter_map(|a| cx.shared.snapshot(&st, a.id))
        .collect();
    Json(json!(all))
}

async fn article(State(cx): State<Ctx>, Path(id): Path<ArticleId>) -> Response {
    let st = cx.shared.lock();
    match cx.shared.snapshot(&st, id) {
        Some(s) => Json(s).into_response(),
        None => error(NewsroomError::UnknownArticle(id)),
    }
}

async fn add_article(State(cx): State<Ctx>, Json(new): Json<NewArticle>) -> Response {
    match cx.shared.add_article(new) {
        Ok(id) => {
            let st = cx.shared.lock();
            (StatusCode::CREATED, Json(cx.shared.snapshot(&st, id))).into_response()
        }
        Err(e) => error(e),
    }
}

#[derive(Deserialize)]
struct IdQ {
    id: Option<ArticleId>,
    path: Option<String>,
    since: Option<u64>,
}

async fn revisions(State(cx): State<Ctx>, Query(q): Query<IdQ>) -> Response {
    let st = cx.shared.lock();
    if let Some(id) = q.id
        && st.get(id).is_none()
    {
        return error(NewsroomError::UnknownArticle(id));
    }
    let list: Vec<Value> = st
        .articles
        .iter()
        .filter(|a| q.id.is_none_or(|id| id == a.id))
        .map(|a| {
            json!({
                "id": a.id,
                "outlet": a.outlet,
                "url": format!("{}{}", cx.shared.outlets[a.outlet].base, a.path()),
                "status": a.status,
                "revisions": a.revisions.iter().map(|r| &**r).collect::<Vec<_>>(),
            })
        })
        .collect();
    Json(json!({ "articles": list })).into_response()
}

async fn edits(State(cx): State<Ctx>, Query(q): Query<IdQ>) -> Json<Value> {
    let st = cx.shared.lock();
    let since = q.since.unwrap_or(0);
    Json(json!(
        st.edit_log
            .iter()
            .filter(|e| e.seq > since)
            .collect::<Vec<_>>()
    ))
}

#[derive(Deserialize)]
struct EditBody {
    id: ArticleId,
    edit: Edit,
}

async fn edit(State(cx): State<Ctx>, Json(b): Json<EditBody>) -> Response {
    match cx.shared.edit(b.id, b.edit) {
        Ok(revision) => Json(json!({"id": b.id, "revision": revision})).into_response(),
        Err(e) => error(e),
    }
}

async fn edit_random(State(cx): State<Ctx>) -> Response {
    match cx.shared.edit_random() {
        Ok(rec) => Json(rec).into_response(),
        Err(e) => error(e),
    }
}

#[derive(Deserialize)]
struct StatusBody {
    id: ArticleId,
    status: ArticleStatus,
}

async fn status(State(cx): State<Ctx>, Json(b): Json<StatusBody>) -> Response {
    match cx.shared.set_status(b.id, b.status) {
        Ok(()) => Json(json!({"id": b.id, "status": b.status})).into_response(),
        Err(e) => error(e),
    }
}

#[derive(Deserialize)]
struct RobotsBody {
    #[serde(default)]
    outlet: usize,
    robots: Robots,
}

async fn robots(State(cx): State<Ctx>, Json(b): Json<RobotsBody>) -> Response {
    let mut st = cx.shared.lock();
    match st.robots.get_mut(b.outlet) {
        Some(r) => {
            *r = b.robots;
            Json(json!({"outlet": b.outlet})).into_response()
        }
        None => error(NewsroomError::UnknownOutlet(b.outlet)),
    }
}

fn driver_json(cx: &Ctx) -> Json<Value> {
    Json(json!({"every_ms": crate::driver::interval(&cx.shared).map(|d| d.as_millis() as u64)}))
}

async fn driver(State(cx): State<Ctx>) -> Json<Value> {
    driver_json(&cx)
}

#[derive(Deserialize)]
struct DriverBody {
    every_ms: Option<u64>,
}

async fn set_driver(State(cx): State<Ctx>, Json(b): Json<DriverBody>) -> Json<Value> {
    match b.every_ms {
        Some(ms) => crate::driver::start(&cx.shared, Duration::from_millis(ms)),
        None => crate::driver::stop(&cx.shared),
    }
    driver_json(&cx)
}

async fn requests_all(State(cx): State<Ctx>) -> Json<Value> {
    let mut paths: BTreeMap<String, u64> = BTreeMap::new();
    for ((_, p), n) in lock(&cx.shared.stats.paths).iter() {
        *paths.entry(p.clone()).or_insert(0) += n;
    }
    let st = cx.shared.lock();
    let articles: BTreeMap<String, u64> = st
        .articles
        .iter()
        .filter(|a| a.requests > 0)
        .map(|a| (a.id.to_string(), a.requests))
        .collect();
    let outlets: Vec<_> = (0..cx.shared.outlets.len())
        .map(|i| cx.shared.outlet_stats(i))
        .collect();
    Json(json!({"outlets": outlets, "paths": paths, "articles": articles}))
}

async fn requests_one(State(cx): State<Ctx>, Query(q): Query<IdQ>) -> Json<Value> {
    let count = match (q.id, q.path) {
        (Some(id), _) => cx.shared.lock().get(id).map_or(0, |a| a.requests),
        (None, Some(p)) => cx.shared.path_requests(None, &p),
        (None, None) => 0,
    };
    Json(json!({"count": count}))
}

async fn log(State(cx): State<Ctx>) -> Json<Value> {
    Json(json!(
        cx.shared
            .stats
            .log
            .as_ref()
            .map(|l| lock(l).clone())
            .unwrap_or_default()
    ))
}
