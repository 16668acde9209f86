//! The store on small hand-made records: idempotence, transactions, WAL, merges, search.

use annals_model::output::{
    DocumentRecord, EventRecord, Evidence, QuoteRecord, RelationRecord, StanceRecord, StoryRecord,
    TimelineEntry,
};
use annals_store::{
    content_hash, CrossRecords, DocBundle, EventFilter, EventReportRow, ListFilter, SearchKind,
    SearchQuery, Store,
};

mod common;
use common::records::actor;

fn doc(id: &str, published: &str, outlet: &str, body: &str) -> DocumentRecord {
    DocumentRecord {
        id: id.into(),
        source: format!("{id}.txt"),
        title: Some(format!("Title of {id}")),
        published: Some(published.into()),
        outlet: Some(outlet.into()),
        url: None,
        body: body.into(),
        paragraphs: 1,
        sentences: 1,
        tokens: body.split(' ').count(),
    }
}

fn quote(doc: &str, body: &str, text: &str, speaker: &str) -> QuoteRecord {
    let start = body.find(text).expect("quote in body") as u32;
    QuoteRecord {
        doc: doc.into(),
        speaker: Some(speaker.into()),
        text: text.into(),
        direct: true,
        cue: Some("said".into()),
        start,
        end: start + text.len() as u32,
        place: None,
        continued: vec![],
        how: "same-sentence".into(),
        confidence: 0.9,
    }
}

fn report(source: &str, target: &str, cameo: &str, date: &str) -> EventReportRow {
    EventReportRow {
        source: Some(source.into()),
        target: Some(target.into()),
        cameo: cameo.into(),
        date: Some(date.into()),
        data: serde_json::json!({"opaque": [source, target, cameo]}),
    }
}

/// Two documents: Russia strikes (190) and Turkey and Russia talk (040).
fn corpus() -> Vec<DocBundle> {
    let b1 = "Russia launched airstrikes near Aleppo. \"We will continue,\" Putin said.";
    let mut d1 = DocBundle::new(
        doc("d1", "2015-10-01", "Ahram Online", b1),
        content_hash(b1),
    );
    d1.actors = vec![
        actor("russia", "Russia", "d1", b1, "Russia"),
        actor("vladimir-putin", "Vladimir Putin", "d1", b1, "Putin"),
    ];
    d1.quotes = vec![quote("d1", b1, "We will continue,", "vladimir-putin")];
    d1.reports = vec![report("russia", "syria", "190", "2015-09-30")];
    let b2 = "Turkey and Russia held talks in Ankara. Erdogan said \"the talks were useful\".";
    let mut d2 = DocBundle::new(
        doc("d2", "2015-11-20", "Voice of America", b2),
        content_hash(b2),
    );
    d2.actors = vec![
        actor("turkey", "Turkey", "d2", b2, "Turkey"),
        actor("russia", "Russia", "d2", b2, "Russia"),
    ];
    d2.actors[1].aliases.push("Moscow".into());
    d2.quotes = vec![quote("d2", b2, "the talks were useful", "recep-erdogan")];
    d2.reports = vec![report("turkey", "russia", "040", "2015-11-19")];
    vec![d1, d2]
}

fn event(
    id: &str,
    source: &str,
    target: &str,
    cameo: &str,
    quad: u8,
    date: &str,
    doc: &str,
) -> EventRecord {
    EventRecord {
        id: id.into(),
        date: Some(date.into()),
        date_precision: Some("day".into()),
        source: Some(source.into()),
        target: Some(target.into()),
        cameo: cameo.into(),
        quad_class: quad,
        goldstein: if quad > 2 { -9.5 } else { 1.0 },
        action: "acted".into(),
        mentions: vec![Evidence {
            doc: doc.into(),
            sentence: "A sentence.".into(),
            start: Some(0),
            end: Some(11),
            action: Some("acted".into()),
            action_start: Some(2),
            action_end: Some(7),
        }],
        date_basis: None,
        date_text: None,
        plover: None,
        plover_mode: None,
        modality: "asserted".into(),
        symmetric: false,
        confidence: 0.8,
    }
}

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("annals.db")).unwrap();
    (dir, store)
}

#[test]
fn the_database_runs_in_wal_mode_and_readers_do_not_wait_for_a_writer() {
    let (dir, store) = open();
    assert_eq!(store.journal_mode().unwrap(), "wal");
    store.write_batch(&corpus()).unwrap();
    let path = dir.path().join("annals.db");
    // a writer holds an open transaction; a second connection still reads
    let writer = rusqlite::Connection::open(&path).unwrap();
    writer
        .execute_batch("BEGIN IMMEDIATE; DELETE FROM quotes;")
        .unwrap();
    let reader = rusqlite::Connection::open(&path).unwrap();
    let n: i64 = reader
        .query_row("SELECT COUNT(*) FROM quotes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        n, 2,
        "the reader sees the last commit, not the open transaction"
    );
    writer.execute_batch("ROLLBACK").unwrap();
}

#[test]
fn re_ingesting_the_same_content_is_idempotent() {
    let (_dir, store) = open();
    let first = store.write_batch(&corpus()).unwrap();
    assert_eq!((first.stored, first.unchanged, first.replaced), (2, 0, 0));
    let before = store.status().unwrap();
    let again = store.write_batch(&corpus()).unwrap();
    assert_eq!((again.stored, again.unchanged, again.replaced), (0, 2, 0));
    let after = store.status().unwrap();
    assert_eq!(
        (
            after.documents,
            after.actors,
            after.quotes,
            after.event_reports
        ),
        (
            before.documents,
            before.actors,
            before.quotes,
            before.event_reports
        )
    );
    // the same content under another id is the same content
    let mut copy = corpus().remove(0);
    copy.document.id = "d1-copy".into();
    assert_eq!(store.write_batch(&[copy]).unwrap().unchanged, 1);
    assert!(store.has_content(&corpus()[1].hash).unwrap());
    assert!(!store.has_content(&content_hash("never stored")).unwrap());
}

#[test]
fn a_document_that_comes_back_with_new_content_replaces_the_old() {
    let (_dir, store) = open();
    store.write_batch(&corpus()).unwrap();
    store.sync_index().unwrap();
    let body = "Russia and Turkey signed a deal in Sochi.";
    let mut d = DocBundle::new(
        doc("d1", "2015-10-02", "Ahram Online", body),
        content_hash(body),
    );
    d.actors = vec![actor("russia", "Russia", "d1", body, "Russia")];
    let out = store.write_batch(&[d]).unwrap();
    assert_eq!(out.replaced, 1);
    let s = store.status().unwrap();
    assert_eq!((s.documents, s.quotes, s.event_reports), (2, 1, 1));
    store.sync_index().unwrap();
    let hit = |q: &str| {
        store
            .search(&SearchQuery {
                q: q.into(),
                ..Default::default()
            })
            .unwrap()
            .total
    };
    assert_eq!(hit("sochi"), 1);
    assert_eq!(hit("aleppo"), 0, "the old body is gone from the index");
}

#[test]
fn a_server_sees_what_an_ingest_beside_it_indexes() {
    let (dir, server) = open();
    let hit = |q: &str| {
        server
            .search(&SearchQuery {
                q: q.into(),
                ..Default::default()
            })
            .unwrap()
            .total
    };
    assert_eq!(hit("aleppo"), 0);
    // another handle on the same files, as `annals ingest` beside `annals serve`
    let ingest = Store::open(dir.path().join("annals.db")).unwrap();
    ingest.write_batch(&corpus()).unwrap();
    ingest.sync_index().unwrap();
    assert_eq!(hit("aleppo"), 1, "the new commit is searched");
    assert_eq!(hit("aleppo"), 1, "and again, without reloading");
    let body = "Russia and Turkey signed a deal in Sochi.";
    let d = DocBundle::new(
        doc("d1", "2015-10-02", "Ahram Online", body),
        content_hash(body),
    );
    ingest.write_batch(&[d]).unwrap();
    ingest.sync_index().unwrap();
    assert_eq!(hit("aleppo"), 0, "a replaced document's deletion is seen");
    assert_eq!(hit("sochi"), 1);
}

#[test]
fn a_batch_is_one_transaction() {
    let (_dir, store) = open();
    let mut bad = corpus();
    let m = &mut bad[1].actors[1].mentions[0];
    (m.start, m.end) = (12, 4); // end before start: the database refuses it
    assert!(store.write_batch(&bad).is_err());
    let s = store.status().unwrap();
    assert_eq!(
        (s.documents, s.actors, s.quotes),
        (0, 0, 0),
        "nothing of the batch"
    );
    // and the store goes on: the good batch is written whole
    assert_eq!(store.write_batch(&corpus()).unwrap().stored, 2);
}

#[test]
fn actors_are_joined_by_id_across_documents_and_batches() {
    let (_dir, store) = open();
    let c = corpus();
    store.write_batch(&c[..1]).unwrap();
    store.write_batch(&c[1..]).unwrap();
    let page = store.actor("russia").unwrap();
    assert_eq!(page.actor["mentions"], 2);
    assert_eq!(
        page.actor["aliases"],
        serde_json::json!(["Russia", "Moscow"])
    );
    let docs: Vec<&str> = page
        .mentions
        .iter()
        .map(|m| m["doc"].as_str().unwrap())
        .collect();
    assert_eq!(docs, ["d1", "d2"]);
    let list = store.actors(&ListFilter::default()).unwrap();
    assert_eq!(list.items[0].id, "russia", "most mentioned first");
    assert_eq!(list.items[0].documents, 2);
    // an actor is found by a name it was written under
    let by = |q: &str| -> Vec<String> {
        store
            .actors(&ListFilter {
                q: Some(q.into()),
                ..Default::default()
            })
            .unwrap()
            .items
            .into_iter()
            .map(|a| a.id)
            .collect()
    };
    assert_eq!(by("moscow"), ["russia"]);
    assert_eq!(by("Vladimir"), ["vladimir-putin"]);
    assert!(by("Ankara").is_empty());
    assert!(matches!(
        store.actor("nobody"),
        Err(annals_store::Error::NotFound { what: "actor", .. })
    ));
}

#[test]
fn events_are_stale_until_merged_and_keep_their_ids() {
    let (_dir, store) = open();
    store.write_batch(&corpus()).unwrap();
    assert!(store.status().unwrap().events_stale);
    let reports = store.event_reports().unwrap();
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0].doc, "d1");
    assert_eq!(reports[0].published.as_deref(), Some("2015-10-01"));
    assert_eq!(reports[0].data["opaque"][2], "190");
    let events = [
        event("e1", "russia", "syria", "190", 4, "2015-09-30", "d1"),
        event("e2", "turkey", "russia", "040", 1, "2015-11-19", "d2"),
    ];
    store.replace_events(&events).unwrap();
    assert!(!store.status().unwrap().events_stale);
    let ids: Vec<String> = store
        .events(&EventFilter::default())
        .unwrap()
        .items
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    assert!(
        ids.iter().all(|i| i.starts_with('e') && i.len() == 13),
        "{ids:?}"
    );
    // rebuilt in another order, each event keeps its id
    store
        .replace_events(&[events[1].clone(), events[0].clone()])
        .unwrap();
    let again = store.event(&ids[0]).unwrap();
    assert_eq!(again["cameo"], "190");
}

#[test]
fn cross_document_records_are_rebuilt_together_from_each_documents_reports() {
    let (_dir, store) = open();
    let mut c = corpus();
    c[0].cross = Some(serde_json::json!({"story": {"id": "d1"}}));
    c[1].cross = Some(serde_json::json!({"story": {"id": "d2"}}));
    store.write_batch(&c[1..]).unwrap();
    store.write_batch(&c[..1]).unwrap();
    let docs = |store: &Store| -> Vec<String> {
        store
            .doc_reports()
            .unwrap()
            .into_iter()
            .map(|r| format!("{} {}", r.doc, r.data["story"]["id"]))
            .collect()
    };
    assert_eq!(
        docs(&store),
        ["d2 \"d2\"", "d1 \"d1\""],
        "in the order stored"
    );
    assert!(store.status().unwrap().events_stale);

    let events = [
        event("e1", "russia", "syria", "190", 4, "2015-09-30", "d1"),
        event("e2", "turkey", "russia", "040", 1, "2015-11-19", "d2"),
    ];
    let entry = |e: &EventRecord| TimelineEntry {
        date: e.date.clone(),
        event: e.id.clone(),
        source: e.source.clone(),
        cameo: e.cameo.clone(),
        target: e.target.clone(),
        action: e.action.clone(),
        reports: 1,
    };
    let stories = [
        StoryRecord {
            id: "s1".into(),
            title: "Talks".into(),
            docs: vec!["d2".into()],
            timeline: vec![entry(&events[1])],
            ..Default::default()
        },
        StoryRecord {
            id: "s2".into(),
            title: "Strikes".into(),
            docs: vec!["d1".into()],
            timeline: vec![entry(&events[0])],
            ..Default::default()
        },
    ];
    let relations = [RelationRecord {
        a: "turkey".into(),
        b: "russia".into(),
        relation: "negotiates-with".into(),
        ..Default::default()
    }];
    let stances = [StanceRecord {
        holder: "russia".into(),
        topic: "airstrikes".into(),
        polarity: "support".into(),
        ..Default::default()
    }];
    store
        .replace_cross(CrossRecords {
            events: &events,
            stories: &stories,
            relations: &relations,
            stances: &stances,
        })
        .unwrap();
    let s = store.status().unwrap();
    assert!(!s.events_stale);
    assert_eq!((s.events, s.stories, s.relations, s.stances), (2, 2, 1, 1));
    // the story's timeline names the event by its stored (stable) id
    let page = store.story("s2").unwrap();
    assert_eq!(
        page.timeline.len(),
        1,
        "the record's timeline, not every event"
    );
    let id = page.timeline[0]["id"].as_str().unwrap().to_string();
    assert_eq!(page.story["timeline"][0]["event"], id.as_str());
    assert_eq!(store.event(&id).unwrap()["cameo"], "190");

    // a replaced document takes its reports with it
    let body = "Russia and Turkey signed a deal in Sochi.";
    let d = DocBundle::new(
        doc("d2", "2015-11-21", "Voice of America", body),
        content_hash(body),
    );
    store.write_batch(&[d]).unwrap();
    assert_eq!(docs(&store), ["d1 \"d1\""]);
    assert!(store.status().unwrap().events_stale);
}

#[test]
fn events_filter_by_pair_code_dates_story_and_document() {
    let (_dir, store) = open();
    store.write_batch(&corpus()).unwrap();
    store
        .replace_events(&[
            event("e1", "russia", "syria", "190", 4, "2015-09-30", "d1"),
            event("e2", "turkey", "russia", "040", 1, "2015-11-19", "d2"),
        ])
        .unwrap();
    store
        .replace_stories(&[StoryRecord {
            id: "s1".into(),
            title: "Talks".into(),
            docs: vec!["d2".into()],
            ..Default::default()
        }])
        .unwrap();
    let codes = |f: EventFilter| -> Vec<String> {
        store
            .events(&f)
            .unwrap()
            .items
            .iter()
            .map(|e| e["cameo"].as_str().unwrap().to_string())
            .collect()
    };
    let s = |x: &str| Some(x.to_string());
    assert_eq!(codes(EventFilter::default()), ["190", "040"], "by date");
    assert_eq!(
        codes(EventFilter {
            a: s("russia"),
            b: s("turkey"),
            ..Default::default()
        }),
        ["040"]
    );
    assert_eq!(
        codes(EventFilter {
            a: s("syria"),
            b: s("russia"),
            ..Default::default()
        }),
        ["190"]
    );
    assert_eq!(
        codes(EventFilter {
            a: s("syria"),
            b: s("turkey"),
            ..Default::default()
        }),
        Vec::<String>::new()
    );
    assert_eq!(
        codes(EventFilter {
            a: s("russia"),
            ..Default::default()
        })
        .len(),
        2
    );
    assert_eq!(
        codes(EventFilter {
            code: s("19"),
            ..Default::default()
        }),
        ["190"]
    );
    assert_eq!(
        codes(EventFilter {
            from: s("2015-10-01"),
            ..Default::default()
        }),
        ["040"]
    );
    assert_eq!(
        codes(EventFilter {
            to: s("2015-09-30"),
            ..Default::default()
        }),
        ["190"]
    );
    assert_eq!(
        codes(EventFilter {
            story: s("s1"),
            ..Default::default()
        }),
        ["040"]
    );
    assert_eq!(
        codes(EventFilter {
            doc: s("d1"),
            ..Default::default()
        }),
        ["190"]
    );
    assert!(matches!(
        store.events(&EventFilter {
            from: s("last week"),
            ..Default::default()
        }),
        Err(annals_store::Error::Invalid { name: "from", .. })
    ));
    assert!(store
        .events(&EventFilter {
            code: s("19' OR 1=1"),
            ..Default::default()
        })
        .is_err());
}

#[test]
fn the_actor_page_has_partners_and_a_monthly_series() {
    let (_dir, store) = open();
    store.write_batch(&corpus()).unwrap();
    store
        .replace_events(&[
            event("e1", "russia", "syria", "190", 4, "2015-09-30", "d1"),
            event("e2", "turkey", "russia", "040", 1, "2015-11-19", "d2"),
            event("e3", "russia", "turkey", "036", 1, "2015-11-21", "d2"),
        ])
        .unwrap();
    let page = store.actor("russia").unwrap();
    assert_eq!(page.events.len(), 3);
    let months: Vec<(&str, usize, usize)> = page
        .series
        .iter()
        .map(|m| (m.month.as_str(), m.cooperation, m.conflict))
        .collect();
    assert_eq!(months, [("2015-09", 0, 1), ("2015-11", 2, 0)]);
    assert_eq!(page.partners[0].id, "turkey");
    assert_eq!(page.partners[0].cooperation, 2);
    assert_eq!(page.partners[0].name, "Turkey");
    assert_eq!(page.names["turkey"], "Turkey");
}

#[test]
fn stories_relations_and_stances_keep_fields_added_later() {
    let (_dir, store) = open();
    store.write_batch(&corpus()).unwrap();
    store
        .replace_stories_json(&[serde_json::json!({
            "id": "s1", "title": "Russia in Syria", "docs": ["d1", "d2"],
            "summary": "Russia strikes, then talks.", "keywords": ["syria"]
        })])
        .unwrap();
    let page = store.story("s1").unwrap();
    assert_eq!(
        page.summary,
        [serde_json::json!({"sentence": "Russia strikes, then talks."})]
    );
    assert_eq!(page.story["keywords"][0], "syria");
    let docs: Vec<&str> = page.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(docs, ["d1", "d2"], "oldest first");
    assert_eq!(page.lead.as_ref().unwrap()["doc"], "d1");
    let list = store.stories().unwrap();
    assert_eq!(
        (list[0].documents, list[0].first.as_deref()),
        (2, Some("2015-10-01"))
    );

    let ev = Evidence {
        doc: "d2".into(),
        sentence: "Turkey and Russia held talks in Ankara.".into(),
        start: Some(0),
        end: Some(39),
        action: None,
        action_start: None,
        action_end: None,
    };
    store
        .replace_relations(&[RelationRecord {
            a: "turkey".into(),
            b: "russia".into(),
            relation: "negotiates-with".into(),
            evidence: vec![ev.clone()],
            ..Default::default()
        }])
        .unwrap();
    store
        .replace_stances(&[StanceRecord {
            holder: "russia".into(),
            topic: "Bashar al-Assad".into(),
            polarity: "support".into(),
            evidence: vec![ev],
            ..Default::default()
        }])
        .unwrap();
    let page = store.actor("russia").unwrap();
    assert_eq!(page.relations[0]["relation"], "negotiates-with");
    assert_eq!(page.stances[0]["topic"], "Bashar al-Assad");
    assert_eq!(page.partners[0].relations, ["negotiates-with"]);
    assert_eq!(store.status().unwrap().relations, 1);
}

#[test]
fn documents_filter_by_outlet_dates_story_and_actor() {
    let (_dir, store) = open();
    store.write_batch(&corpus()).unwrap();
    store
        .replace_stories(&[StoryRecord {
            id: "s1".into(),
            title: "Talks".into(),
            docs: vec!["d2".into()],
            ..Default::default()
        }])
        .unwrap();
    let ids = |f: ListFilter| -> Vec<String> {
        store
            .documents(&f)
            .unwrap()
            .items
            .into_iter()
            .map(|d| d.id)
            .collect()
    };
    let s = |x: &str| Some(x.to_string());
    assert_eq!(ids(ListFilter::default()), ["d2", "d1"], "newest first");
    assert_eq!(
        ids(ListFilter {
            q: s("voice of america"),
            ..Default::default()
        }),
        ["d2"]
    );
    assert_eq!(
        ids(ListFilter {
            to: s("2015-10-31"),
            ..Default::default()
        }),
        ["d1"]
    );
    assert_eq!(
        ids(ListFilter {
            story: s("s1"),
            ..Default::default()
        }),
        ["d2"]
    );
    assert_eq!(
        ids(ListFilter {
            actor: s("vladimir-putin"),
            ..Default::default()
        }),
        ["d1"]
    );
    let page = store.document("d1").unwrap();
    assert_eq!(page.quotes.len(), 1);
    assert_eq!(page.mentions[0]["name"], "Russia");
    assert_eq!(page.names["vladimir-putin"], "Vladimir Putin");
}

#[test]
fn search_filters_by_actor_speaker_code_dates_story_and_outlet() {
    let (_dir, store) = open();
    store.write_batch(&corpus()).unwrap();
    store
        .replace_stories(&[StoryRecord {
            id: "s1".into(),
            title: "Talks".into(),
            docs: vec!["d2".into()],
            ..Default::default()
        }])
        .unwrap();
    assert_eq!(store.sync_index().unwrap(), 2);
    assert_eq!(store.sync_index().unwrap(), 0, "nothing new");
    let find = |q: SearchQuery| -> Vec<(String, String)> {
        store
            .search(&q)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| (h.kind, h.doc))
            .collect()
    };
    let s = |x: &str| Some(x.to_string());
    let docs = |q: &str| SearchQuery {
        q: q.into(),
        kind: SearchKind::Documents,
        ..Default::default()
    };
    assert_eq!(find(docs("airstrikes")), [("document".into(), "d1".into())]);
    assert_eq!(find(docs("russia")).len(), 2);
    assert_eq!(
        find(SearchQuery {
            actor: s("turkey"),
            ..docs("russia")
        }),
        [("document".into(), "d2".into())]
    );
    assert_eq!(
        find(SearchQuery {
            speaker: s("vladimir-putin"),
            ..docs("russia")
        }),
        [("document".into(), "d1".into())]
    );
    assert_eq!(
        find(SearchQuery {
            code: s("19"),
            ..docs("russia")
        }),
        [("document".into(), "d1".into())]
    );
    assert_eq!(
        find(SearchQuery {
            code: s("040"),
            ..docs("russia")
        }),
        [("document".into(), "d2".into())]
    );
    assert_eq!(
        find(SearchQuery {
            from: s("2015-11-01"),
            ..docs("russia")
        }),
        [("document".into(), "d2".into())]
    );
    assert_eq!(
        find(SearchQuery {
            to: s("2015-10-01"),
            ..docs("russia")
        }),
        [("document".into(), "d1".into())]
    );
    assert_eq!(
        find(SearchQuery {
            story: s("s1"),
            ..docs("russia")
        }),
        [("document".into(), "d2".into())]
    );
    assert_eq!(
        find(SearchQuery {
            outlet: s("AHRAM ONLINE"),
            ..docs("russia")
        }),
        [("document".into(), "d1".into())]
    );
    assert!(find(SearchQuery {
        story: s("no-such-story"),
        ..docs("russia")
    })
    .is_empty());
    // quotes: the quote's own text and speaker
    let quotes = store
        .search(&SearchQuery {
            q: "useful".into(),
            kind: SearchKind::Quotes,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(quotes.total, 1);
    let hit = &quotes.hits[0];
    assert_eq!(hit.quote.as_ref().unwrap()["speaker"], "recep-erdogan");
    assert!(hit.snippet.iter().any(|p| p.hit && p.text == "useful"));
    // no words: everything that passes the filters
    assert_eq!(
        find(SearchQuery {
            speaker: s("vladimir-putin"),
            kind: SearchKind::Quotes,
            ..Default::default()
        })
        .len(),
        1
    );
    assert!(store
        .search(&SearchQuery {
            from: s("yesterday"),
            ..Default::default()
        })
        .is_err());
}

#[test]
fn the_index_catches_up_after_a_crash_between_database_and_index() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("annals.db");
    {
        let store = Store::open(&path).unwrap();
        store.write_batch(&corpus()[..1]).unwrap();
        store.sync_index().unwrap();
        store.write_batch(&corpus()[1..]).unwrap();
        // "killed" here: the second batch is committed, the index does not hold it
    }
    let store = Store::open(&path).unwrap();
    assert!(store.index_behind().unwrap());
    assert_eq!(store.sync_index().unwrap(), 1, "only the missing document");
    assert!(!store.index_behind().unwrap());
    let all = store
        .search(&SearchQuery {
            q: "russia".into(),
            kind: SearchKind::Documents,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(all.total, 2);
}
