//! The OpenAPI 3.1 description of the API, served at `/openapi.json`.

use serde_json::{json, Value};

fn param(name: &str, description: &str, schema: Value) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": description, "schema": schema})
}

fn id_param(what: &str) -> Value {
    json!({"name": "id", "in": "path", "required": true, "description": format!("The {what}'s id."), "schema": {"type": "string"}})
}

fn date(name: &str, description: &str) -> Value {
    param(
        name,
        description,
        json!({"type": "string", "format": "date", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"}),
    )
}

fn paging(default: u32, max: u32) -> [Value; 2] {
    [
        param(
            "limit",
            &format!("At most this many items (default {default}, at most {max})."),
            json!({"type": "integer", "minimum": 0}),
        ),
        param(
            "offset",
            "Skip this many items.",
            json!({"type": "integer", "minimum": 0}),
        ),
    ]
}

fn ok(description: &str, schema: Value) -> Value {
    json!({
        "200": {"description": description, "content": {"application/json": {"schema": schema}}},
        "400": {"$ref": "#/components/responses/Invalid"},
        "404": {"$ref": "#/components/responses/NotFound"},
        "429": {"$ref": "#/components/responses/RateLimited"},
        "500": {"$ref": "#/components/responses/Internal"}
    })
}

fn get(summary: &str, description: &str, parameters: Vec<Value>, responses: Value) -> Value {
    json!({"get": {"summary": summary, "description": description, "parameters": parameters, "responses": responses}})
}

fn page_of(item: Value) -> Value {
    json!({"type": "object", "required": ["total", "items"], "properties": {
        "total": {"type": "integer", "description": "How many match in all."},
        "items": {"type": "array", "items": item}}})
}

fn r(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// The API's OpenAPI 3.1 description.
pub fn openapi() -> Value {
    let s = |d: &str| json!({"type": "string", "description": d});
    let mut search_params = vec![
        param("q", "Words to find in titles, bodies and quotes (tantivy's syntax: every word must match; \"a phrase\"; -word excludes). Empty: every entry that passes the filters.", json!({"type": "string", "maxLength": 1000})),
        param("kind", "Documents, quotes or both.", json!({"type": "string", "enum": ["all", "documents", "quotes"], "default": "all"})),
        param("actor", "An actor id the document mentions.", json!({"type": "string"})),
        param("speaker", "An actor id who speaks: the quote's speaker; for a document, the speaker of one of its quotes.", json!({"type": "string"})),
        param("code", "A CAMEO code or prefix (`19`, `190`) of an event the document reports.", json!({"type": "string"})),
        date("from", "Published on or after this day."),
        date("to", "Published on or before this day."),
        param("story", "A story id: its documents only.", json!({"type": "string"})),
        param("outlet", "An outlet's name (any case).", json!({"type": "string"})),
    ];
    search_params.extend(paging(20, 200));
    let mut doc_params = vec![
        param(
            "outlet",
            "The outlet's name (any case).",
            json!({"type": "string"}),
        ),
        date("from", "Published on or after this day."),
        date("to", "Published on or before this day."),
        param("story", "Members of this story.", json!({"type": "string"})),
        param(
            "actor",
            "Mentioning this actor id.",
            json!({"type": "string"}),
        ),
    ];
    doc_params.extend(paging(50, 500));
    let mut actor_params = vec![
        param(
            "q",
            "Name, id or an alias the texts use contains this (any case): \"Daesh\" finds the Islamic State.",
            json!({"type": "string"}),
        ),
        param(
            "type",
            "person, country, organization, group, alliance, location or other.",
            json!({"type": "string"}),
        ),
    ];
    actor_params.extend(paging(50, 500));
    let mut event_params = vec![
        param(
            "a",
            "An actor id, source or target.",
            json!({"type": "string"}),
        ),
        param(
            "b",
            "With `a`: the other actor of the pair, either way round.",
            json!({"type": "string"}),
        ),
        param(
            "code",
            "A CAMEO code prefix (`19`, `190`).",
            json!({"type": "string", "pattern": "^[0-9A-Za-z]+$"}),
        ),
        date(
            "from",
            "On or after this day (undated events are left out).",
        ),
        date("to", "On or before this day."),
        param(
            "story",
            "Reported by a document of this story.",
            json!({"type": "string"}),
        ),
        param(
            "doc",
            "Reported by this document.",
            json!({"type": "string"}),
        ),
    ];
    event_params.extend(paging(100, 1000));
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "annals",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Read-only access to an annals store: analysed news documents, the actors they name, their quotes, the events coded from them (CAMEO), stories, relations and stances. Records have the shape of the `annals analyze` output contract; fields may be added. Every error is JSON: {\"error\": {\"code\", \"message\"}} with a stable code.",
            "license": {"name": "MIT OR Apache-2.0"}
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/api/status": get("What the store holds", "Counts of documents, actors, quotes, event reports, merged events, stories, relations and stances; `events_stale` is true after an ingest that was stopped before it merged its events.", vec![], ok("Counts", r("Status"))),
            "/api/documents": get("List documents", "Newest first.", doc_params, ok("A page of documents", page_of(r("DocumentSummary")))),
            "/api/documents/{id}": get("One document", "The document with its body, its actor mentions (byte offsets into the body), quotes, the events it reports and its stories. `names` maps the actor ids used to names.", vec![id_param("document")], ok("The document", r("DocumentPage"))),
            "/api/actors": get("List actors", "Most mentioned first.", actor_params, ok("A page of actors", page_of(r("ActorSummary")))),
            "/api/actors/{id}": get("One actor", "The actor with its mentions, its quotes (each with its document's title and date), its events as source or target, its relations and stances, the actors it deals with (`partners`) and its cooperation and conflict per month (`series`).", vec![id_param("actor")], ok("The actor", r("ActorPage"))),
            "/api/stories": get("List stories", "In the order the analysis gave them.", vec![], ok("Stories", json!({"type": "array", "items": r("StorySummary")}))),
            "/api/stories/{id}": get("One story", "The story record, its summary sentences, the first paragraph of its earliest document (`lead`), its documents oldest first, and its timeline: the events of the record's timeline in date order (without one, every event its documents report, dated ones by date, then undated ones).", vec![id_param("story")], ok("The story", r("StoryPage"))),
            "/api/events": get("List events", "Events merged across documents, filtered; dated ones by date, then undated ones.", event_params, ok("A page of events", page_of(r("Event")))),
            "/api/events/{id}": get("One event", "Event ids are stable across ingests.", vec![id_param("event")], ok("The event", r("Event"))),
            "/api/relations": get("List relations", "All relations, or those of one actor.", vec![param("actor", "An actor id, either side.", json!({"type": "string"}))], ok("Relations", json!({"type": "array", "items": r("Relation")}))),
            "/api/search": get("Search documents and quotes", "Full-text search with filters. Each hit has a snippet in parts; parts with `hit: true` matched.", search_params, ok("Hits, best first", r("SearchResults"))),
            "/openapi.json": get("This description", "", vec![], json!({"200": {"description": "OpenAPI 3.1", "content": {"application/json": {}}}}))
        },
        "components": {
            "responses": {
                "Invalid": {"description": "A parameter is malformed (code `invalid_parameter`).", "content": {"application/json": {"schema": r("Error")}}},
                "NotFound": {"description": "No such record or path (code `not_found`).", "content": {"application/json": {"schema": r("Error")}}},
                "RateLimited": {"description": "Too many requests (code `rate_limited`); see `Retry-After`.", "content": {"application/json": {"schema": r("Error")}}},
                "Internal": {"description": "The store failed (code `internal_error`).", "content": {"application/json": {"schema": r("Error")}}}
            },
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
                    "code": {"type": "string", "enum": ["not_found", "invalid_parameter", "method_not_allowed", "payload_too_large", "uri_too_long", "rate_limited", "internal_error", "unavailable"]},
                    "message": s("For people.")}}}},
                "Status": {"type": "object", "properties": {
                    "documents": {"type": "integer"}, "actors": {"type": "integer"}, "quotes": {"type": "integer"},
                    "event_reports": {"type": "integer"}, "events": {"type": "integer"}, "stories": {"type": "integer"},
                    "relations": {"type": "integer"}, "stances": {"type": "integer"}, "events_stale": {"type": "boolean"}}},
                "DocumentSummary": {"type": "object", "required": ["id", "source"], "properties": {
                    "id": s("Id."), "title": {"type": ["string", "null"]}, "published": {"type": ["string", "null"]},
                    "outlet": {"type": ["string", "null"]}, "source": s("Where it was read from.")}},
                "Document": {"type": "object", "description": "The output contract's document record.", "required": ["id", "body"], "properties": {
                    "id": s("Id."), "source": s("Path."), "title": {"type": ["string", "null"]}, "published": {"type": ["string", "null"]},
                    "outlet": {"type": ["string", "null"]}, "body": s("The clean body; offsets elsewhere are bytes of its UTF-8.")}},
                "Mention": {"type": "object", "properties": {"actor": s("Actor id."), "name": s("Actor name."), "doc": s("Document id."),
                    "start": {"type": "integer", "description": "First byte in the body."}, "end": {"type": "integer", "description": "One past the last byte."},
                    "text": s("The text there."), "place": {"type": ["string", "null"], "description": "null: body; `title`: offsets into the headline; `caption`: into the raw input."}}},
                "Quote": {"type": "object", "description": "The output contract's quote record.", "properties": {
                    "doc": s("Document id."), "speaker": {"type": ["string", "null"]}, "text": s("Without quotation marks."),
                    "direct": {"type": "boolean"}, "cue": {"type": ["string", "null"]}, "start": {"type": "integer"}, "end": {"type": "integer"},
                    "place": {"type": ["string", "null"]}, "how": s("How the speaker was found."), "confidence": {"type": "number"}}},
                "Evidence": {"type": "object", "properties": {"doc": s("Document id."), "sentence": s("The sentence."),
                    "start": {"type": "integer"}, "end": {"type": "integer"}, "action": s("The action words."),
                    "action_start": {"type": "integer"}, "action_end": {"type": "integer"}}},
                "Event": {"type": "object", "description": "The output contract's event record; `id` is stable across ingests.", "properties": {
                    "id": s("Id."), "date": {"type": ["string", "null"]}, "date_precision": {"type": ["string", "null"]},
                    "source": {"type": ["string", "null"]}, "target": {"type": ["string", "null"]}, "cameo": s("CAMEO code."),
                    "quad_class": {"type": "integer"}, "goldstein": {"type": "number"}, "action": s("Action words."),
                    "mentions": {"type": "array", "items": r("Evidence")}}},
                "Relation": {"type": "object", "properties": {"a": s("Actor id."), "b": s("Actor id."), "relation": s("Relation name."),
                    "evidence": {"type": "array", "items": r("Evidence")}}},
                "Stance": {"type": "object", "properties": {"holder": s("Actor id."), "topic": s("Topic."), "polarity": s("support | oppose | conditional."),
                    "evidence": {"type": "array", "items": r("Evidence")}}},
                "DocumentPage": {"type": "object", "properties": {
                    "document": r("Document"), "mentions": {"type": "array", "items": r("Mention")},
                    "quotes": {"type": "array", "items": r("Quote")}, "events": {"type": "array", "items": r("Event")},
                    "stories": {"type": "array", "items": r("StorySummary")},
                    "names": {"type": "object", "additionalProperties": {"type": "string"}}}},
                "ActorSummary": {"type": "object", "properties": {
                    "id": s("Id."), "name": s("Name."), "type": s("Type."), "country": {"type": ["string", "null"]},
                    "named": {"type": "boolean"}, "mentions": {"type": "integer"}, "documents": {"type": "integer"}}},
                "ActorPage": {"type": "object", "properties": {
                    "actor": {"type": "object", "description": "The output contract's actor record; `mentions` is their count."},
                    "mentions": {"type": "array", "items": r("Mention")},
                    "quotes": {"type": "array", "items": {"type": "object", "properties": {"quote": r("Quote"), "title": {"type": ["string", "null"]}, "published": {"type": ["string", "null"]}}}},
                    "events": {"type": "array", "items": r("Event")},
                    "relations": {"type": "array", "items": r("Relation")},
                    "stances": {"type": "array", "items": r("Stance")},
                    "partners": {"type": "array", "items": {"type": "object", "properties": {
                        "id": s("Id."), "name": s("Name."), "cooperation": {"type": "integer"}, "conflict": {"type": "integer"},
                        "goldstein": {"type": "number"}, "relations": {"type": "array", "items": {"type": "string"}}}}},
                    "series": {"type": "array", "items": {"type": "object", "properties": {
                        "month": s("YYYY-MM."), "cooperation": {"type": "integer"}, "conflict": {"type": "integer"}, "goldstein": {"type": "number"}}}},
                    "names": {"type": "object", "additionalProperties": {"type": "string"}}}},
                "StorySummary": {"type": "object", "properties": {
                    "id": s("Id."), "title": s("Title."), "documents": {"type": "integer"},
                    "first": {"type": ["string", "null"]}, "last": {"type": ["string", "null"]}}},
                "StoryPage": {"type": "object", "properties": {
                    "story": {"type": "object", "description": "The story record as the analysis gave it."},
                    "summary": {"type": "array", "description": "The story's summary sentences, each with its document and byte offsets (a summary stored as one string is one sentence without them).", "items": {"type": "object", "properties": {
                        "doc": s("Document id."), "sentence": s("The sentence."), "start": {"type": ["integer", "null"]}, "end": {"type": ["integer", "null"]}}}},
                    "lead": {"type": ["object", "null"], "properties": {"doc": s("Document id."), "text": s("Its first paragraph.")}},
                    "documents": {"type": "array", "items": r("DocumentSummary")},
                    "timeline": {"type": "array", "items": r("Event")},
                    "names": {"type": "object", "additionalProperties": {"type": "string"}}}},
                "SearchResults": {"type": "object", "properties": {
                    "total": {"type": "integer"},
                    "names": {"type": "object", "description": "Names of the quotes' speakers, by id.", "additionalProperties": {"type": "string"}},
                    "hits": {"type": "array", "items": {"type": "object", "properties": {
                        "kind": {"type": "string", "enum": ["document", "quote"]}, "doc": s("Document id."),
                        "title": {"type": ["string", "null"]}, "quote": r("Quote"), "score": {"type": "number"},
                        "snippet": {"type": "array", "items": {"type": "object", "properties": {"text": s("Text, as stored: escape it."), "hit": {"type": "boolean"}}}}}}}}}
            }
        }
    })
}
