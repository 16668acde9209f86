//! A short news story with its quotes and their speakers, as a reader checks them.

mod common;

#[test]
fn summit_story_quotes_and_speakers() {
    let doc = common::analyse(include_str!("fixtures/summit.txt"), "2015-09-30");
    insta::assert_snapshot!(common::lines(&doc).join("\n"));
}
