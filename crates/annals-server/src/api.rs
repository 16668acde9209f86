//! The JSON API: each handler turns its parameters into a store call, runs it on the
//! blocking pool, and returns what the store returned.

use crate::error::ApiError;
use crate::AppState;
use annals_store::{EventFilter, ListFilter, SearchKind, SearchQuery, Store};
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The API's paths, as the router and the OpenAPI description name them.
pub const PATHS: &[&str] = &[
    "/api/status",
    "/api/documents",
    "/api/documents/{id}",
    "/api/actors",
    "/api/actors/{id}",
    "/api/stories",
    "/api/stories/{id}",
    "/api/events",
    "/api/events/{id}",
    "/api/relations",
    "/api/search",
    "/openapi.json",
];

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/status", get(status))
        .route("/api/documents", get(documents))
        .route("/api/documents/{id}", get(document))
        .route("/api/actors", get(actors))
        .route("/api/actors/{id}", get(actor))
        .route("/api/stories", get(stories))
        .route("/api/stories/{id}", get(story))
        .route("/api/events", get(events))
        .route("/api/events/{id}", get(event))
        .route("/api/relations", get(relations))
        .route("/api/search", get(search))
        .route("/openapi.json", get(openapi))
}

/// Query parameters, with a JSON error when they do not parse.
pub(crate) struct Params<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(Params(v)),
            Err(e) => Err(ApiError::invalid(e.body_text())),
        }
    }
}

/// A path id, with a JSON error when it does not parse.
pub(crate) struct Id(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<String>::from_request_parts(parts, state).await {
            Ok(Path(v)) => Ok(Id(v)),
            Err(e) => Err(ApiError::invalid(e.body_text())),
        }
    }
}

/// Run a store call on the blocking pool and answer with its JSON.
async fn call<T, F>(state: AppState, f: F) -> Result<Response, ApiError>
where
    T: Serialize + Send + 'static,
    F: FnOnce(&Store) -> annals_store::Result<T> + Send + 'static,
{
    let store = state.store.clone();
    match tokio::task::spawn_blocking(move || f(&store)).await {
        Ok(Ok(v)) => Ok(json(&v)),
        Ok(Err(e)) => Err(e.into()),
        Err(_) => Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "the request failed; see the server's log",
        )),
    }
}

/// `v` as JSON, with `<`, `>` and `&` written as `\u003c`, `\u003e` and `\u0026`: the
/// same JSON, but no byte sequence of the response reads as markup, even to a client that
/// sniffs it as HTML.
pub(crate) fn json<T: Serialize>(v: &T) -> Response {
    match serde_json::to_string(v) {
        Ok(s) => {
            let s = s
                .replace('<', "\\u003c")
                .replace('>', "\\u003e")
                .replace('&', "\\u0026");
            ([(axum::http::header::CONTENT_TYPE, "application/json")], s).into_response()
        }
        Err(_) => ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "a record could not be written as JSON",
        )
        .into_response(),
    }
}

async fn status(State(s): State<AppState>) -> Result<Response, ApiError> {
    call(s, |st| st.status()).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DocumentParams {
    outlet: Option<String>,
    from: Option<String>,
    to: Option<String>,
    story: Option<String>,
    actor: Option<String>,
    #[serde(default)]
    limit: usize,
    #[serde(default)]
    offset: usize,
}

async fn documents(
    State(s): State<AppState>,
    Params(p): Params<DocumentParams>,
) -> Result<Response, ApiError> {
    let f = ListFilter {
        q: p.outlet,
        from: p.from,
        to: p.to,
        story: p.story,
        actor: p.actor,
        limit: p.limit,
        offset: p.offset,
    };
    call(s, move |st| st.documents(&f)).await
}

async fn document(State(s): State<AppState>, Id(id): Id) -> Result<Response, ApiError> {
    call(s, move |st| st.document(&id)).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActorParams {
    q: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    limit: usize,
    #[serde(default)]
    offset: usize,
}

async fn actors(
    State(s): State<AppState>,
    Params(p): Params<ActorParams>,
) -> Result<Response, ApiError> {
    let f = ListFilter {
        q: p.q,
        actor: p.kind,
        limit: p.limit,
        offset: p.offset,
        ..Default::default()
    };
    call(s, move |st| st.actors(&f)).await
}

async fn actor(State(s): State<AppState>, Id(id): Id) -> Result<Response, ApiError> {
    call(s, move |st| st.actor(&id)).await
}

async fn stories(State(s): State<AppState>) -> Result<Response, ApiError> {
    call(s, |st| st.stories()).await
}

async fn story(State(s): State<AppState>, Id(id): Id) -> Result<Response, ApiError> {
    call(s, move |st| st.story(&id)).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventParams {
    a: Option<String>,
    b: Option<String>,
    code: Option<String>,
    from: Option<String>,
    to: Option<String>,
    story: Option<String>,
    doc: Option<String>,
    #[serde(default)]
    limit: usize,
    #[serde(default)]
    offset: usize,
}

async fn events(
    State(s): State<AppState>,
    Params(p): Params<EventParams>,
) -> Result<Response, ApiError> {
    let f = EventFilter {
        a: p.a,
        b: p.b,
        code: p.code,
        from: p.from,
        to: p.to,
        story: p.story,
        doc: p.doc,
        limit: p.limit,
        offset: p.offset,
    };
    call(s, move |st| st.events(&f)).await
}

async fn event(State(s): State<AppState>, Id(id): Id) -> Result<Response, ApiError> {
    call(s, move |st| st.event(&id)).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RelationParams {
    actor: Option<String>,
}

async fn relations(
    State(s): State<AppState>,
    Params(p): Params<RelationParams>,
) -> Result<Response, ApiError> {
    call(s, move |st| st.relations(p.actor.as_deref())).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: SearchKind,
    actor: Option<String>,
    speaker: Option<String>,
    code: Option<String>,
    from: Option<String>,
    to: Option<String>,
    story: Option<String>,
    outlet: Option<String>,
    #[serde(default)]
    limit: usize,
    #[serde(default)]
    offset: usize,
}

async fn search(
    State(s): State<AppState>,
    Params(p): Params<SearchParams>,
) -> Result<Response, ApiError> {
    if p.q.len() > 1000 {
        return Err(ApiError::invalid("q is longer than 1000 bytes"));
    }
    let q = SearchQuery {
        q: p.q,
        kind: p.kind,
        actor: p.actor,
        speaker: p.speaker,
        code: p.code,
        from: p.from,
        to: p.to,
        story: p.story,
        outlet: p.outlet,
        limit: p.limit,
        offset: p.offset,
    };
    call(s, move |st| st.search(&q)).await
}

async fn openapi() -> Response {
    json(&crate::openapi::openapi())
}
