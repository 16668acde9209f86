//! Hard news cases for sentence segmentation: each input paragraph and the sentences a
//! reader would cut it into.

use annals_text::Segmenter;

const CASES: &[(&str, &[&str])] = &[
    // abbreviations
    (
        "The U.S. Army said the strike killed five. It gave no names.",
        &[
            "The U.S. Army said the strike killed five.",
            "It gave no names.",
        ],
    ),
    (
        "Troops left the U.S. The war was over.",
        &["Troops left the U.S.", "The war was over."],
    ),
    (
        "The talks begin at 3 p.m. Monday. The agenda is secret.",
        &["The talks begin at 3 p.m. Monday.", "The agenda is secret."],
    ),
    (
        "It ended at 3 p.m. The crowd left.",
        &["It ended at 3 p.m.", "The crowd left."],
    ),
    (
        "The deadline is Sept. 30 for all parties.",
        &["The deadline is Sept. 30 for all parties."],
    ),
    (
        "The vote was held on Dec. 1. Results come later.",
        &["The vote was held on Dec. 1.", "Results come later."],
    ),
    (
        "The vote was held on Dec.1. Results come later.",
        &["The vote was held on Dec.1.", "Results come later."],
    ),
    (
        "She lives at No. 10 Downing Street. He does not.",
        &["She lives at No. 10 Downing Street.", "He does not."],
    ),
    (
        "Mr. Putin met Mrs. May and Dr. Smith.",
        &["Mr. Putin met Mrs. May and Dr. Smith."],
    ),
    (
        "Gen. Dunford said the plan was ready. Adm. Smith agreed.",
        &[
            "Gen. Dunford said the plan was ready.",
            "Adm. Smith agreed.",
        ],
    ),
    (
        "Sen. John McCain and Rep. Nancy Pelosi spoke.",
        &["Sen. John McCain and Rep. Nancy Pelosi spoke."],
    ),
    (
        "Apple Inc. reported record sales on Tuesday.",
        &["Apple Inc. reported record sales on Tuesday."],
    ),
    (
        "Shares fell at Apple Inc. The company declined to comment.",
        &[
            "Shares fell at Apple Inc.",
            "The company declined to comment.",
        ],
    ),
    (
        "He sells fruit, bread, etc. at the market.",
        &["He sells fruit, bread, etc. at the market."],
    ),
    (
        "The court cited Roe v. Wade. The ruling stands.",
        &["The court cited Roe v. Wade.", "The ruling stands."],
    ),
    (
        "The St. Louis Cardinals won again.",
        &["The St. Louis Cardinals won again."],
    ),
    (
        "Lt. Col. James Smith led the unit.",
        &["Lt. Col. James Smith led the unit."],
    ),
    (
        "Prof. Jones disagreed, e.g. on taxes.",
        &["Prof. Jones disagreed, e.g. on taxes."],
    ),
    (
        "The case is Smith vs. Jones. It resumes today.",
        &["The case is Smith vs. Jones.", "It resumes today."],
    ),
    (
        "The firm moved to Washington, D.C. last year.",
        &["The firm moved to Washington, D.C. last year."],
    ),
    (
        "The U.N. Security Council met. It voted 15-0.",
        &["The U.N. Security Council met.", "It voted 15-0."],
    ),
    (
        "Acme Corp. and Widget Co. merged.",
        &["Acme Corp. and Widget Co. merged."],
    ),
    (
        "It is in Vol. 3 of the report.",
        &["It is in Vol. 3 of the report."],
    ),
    // initials
    (
        "President George W. Bush spoke on Monday.",
        &["President George W. Bush spoke on Monday."],
    ),
    (
        "The books by J. K. Rowling sold well.",
        &["The books by J. K. Rowling sold well."],
    ),
    (
        "J.R.R. Tolkien wrote it. Fans loved it.",
        &["J.R.R. Tolkien wrote it.", "Fans loved it."],
    ),
    (
        "The late John F. Kennedy was president.",
        &["The late John F. Kennedy was president."],
    ),
    // quotes and brackets
    (
        "He said: \"We will.\" Then he left.",
        &["He said: \"We will.\"", "Then he left."],
    ),
    (
        "\"We will win,\" he said. \"Nobody doubts it.\"",
        &["\"We will win,\" he said.", "\"Nobody doubts it.\""],
    ),
    (
        "\"Why now?\" she asked. Nobody answered.",
        &["\"Why now?\" she asked.", "Nobody answered."],
    ),
    (
        "\"Stop!\" he shouted. They stopped.",
        &["\"Stop!\" he shouted.", "They stopped."],
    ),
    (
        "\"It is over.\" The minister left.",
        &["\"It is over.\"", "The minister left."],
    ),
    (
        "\"We are ready...\" he said.",
        &["\"We are ready...\" he said."],
    ),
    (
        "The party won (by a wide margin.) Then it split.",
        &["The party won (by a wide margin.)", "Then it split."],
    ),
    (
        "The vote passed. (It was close.) Then came the protests.",
        &[
            "The vote passed.",
            "(It was close.)",
            "Then came the protests.",
        ],
    ),
    (
        "“We are ready,” he said. “Let them come.”",
        &["“We are ready,” he said.", "“Let them come.”"],
    ),
    (
        "“Why?” she asked. “Because.”",
        &["“Why?” she asked.", "“Because.”"],
    ),
    (
        "He called it 'a disgrace.' Others agreed.",
        &["He called it 'a disgrace.'", "Others agreed."],
    ),
    // dashes and datelines
    (
        "\"We are thinking about it\" - Vladimir Putin.",
        &["\"We are thinking about it\" - Vladimir Putin."],
    ),
    (
        "\"We are thinking about it\" -- Vladimir Putin",
        &["\"We are thinking about it\" -- Vladimir Putin"],
    ),
    (
        "TEHRAN (AFP) - Iran said on Sunday it would talk.",
        &["TEHRAN (AFP) - Iran said on Sunday it would talk."],
    ),
    (
        "WASHINGTON (Reuters) - The U.S. Army said it would act. Officials declined to comment.",
        &[
            "WASHINGTON (Reuters) - The U.S. Army said it would act.",
            "Officials declined to comment.",
        ],
    ),
    // ellipses, decimals, numbers
    (
        "He paused... Then he spoke.",
        &["He paused...", "Then he spoke."],
    ),
    ("He waited … and waited.", &["He waited … and waited."]),
    (
        "Growth was 1.5 percent. Prices rose 3.2 percent.",
        &["Growth was 1.5 percent.", "Prices rose 3.2 percent."],
    ),
    (
        "About 1.5 million people voted.",
        &["About 1.5 million people voted."],
    ),
    (
        "It cost $5.76 a share. Shares fell.",
        &["It cost $5.76 a share.", "Shares fell."],
    ),
    (
        "The score was 3-2. Fans cheered.",
        &["The score was 3-2.", "Fans cheered."],
    ),
    (
        "Turnout was 250,000. That is a record.",
        &["Turnout was 250,000.", "That is a record."],
    ),
    (
        "It happened in 2014. In 2015 it happened again.",
        &["It happened in 2014.", "In 2015 it happened again."],
    ),
    (
        "The meeting ended at 20:11. Nobody spoke.",
        &["The meeting ended at 20:11.", "Nobody spoke."],
    ),
    // question and exclamation marks
    (
        "Is it over? Nobody knows.",
        &["Is it over?", "Nobody knows."],
    ),
    (
        "What a day! The team won.",
        &["What a day!", "The team won."],
    ),
    ("Really?! Yes.", &["Really?!", "Yes."]),
    // headlines and fragments
    (
        "Putin visits Paris amid tensions",
        &["Putin visits Paris amid tensions"],
    ),
    (
        "U.S. to cut troops in Iraq",
        &["U.S. to cut troops in Iraq"],
    ),
    (
        "Obama's speech: what he said",
        &["Obama's speech: what he said"],
    ),
    ("Talks resume", &["Talks resume"]),
    // URLs and e-mail
    (
        "Details are at www.example.com. Call us.",
        &["Details are at www.example.com.", "Call us."],
    ),
    (
        "Write to news@example.org. We reply fast.",
        &["Write to news@example.org.", "We reply fast."],
    ),
    (
        "See http://example.com/a.html for more.",
        &["See http://example.com/a.html for more."],
    ),
    // lists
    (
        "1. The first demand is pay. 2. The second is hours.",
        &["1. The first demand is pay.", "2. The second is hours."],
    ),
    ("- more pay for nurses", &["- more pay for nurses"]),
    (
        "There are three options. First, wait. Second, act.",
        &["There are three options.", "First, wait.", "Second, act."],
    ),
    // plain sentences
    (
        "The minister resigned. His deputy took over. Elections follow.",
        &[
            "The minister resigned.",
            "His deputy took over.",
            "Elections follow.",
        ],
    ),
    (
        "It rained; the match went on.",
        &["It rained; the match went on."],
    ),
    (
        "Police arrested him on Friday. He denies the charges.",
        &["Police arrested him on Friday.", "He denies the charges."],
    ),
    (
        "I can't say. We won't know until Monday.",
        &["I can't say.", "We won't know until Monday."],
    ),
    (
        "The No. 2 official resigned.",
        &["The No. 2 official resigned."],
    ),
    (
        "Jan. 6 was a turning point. Feb. 1 was not.",
        &["Jan. 6 was a turning point.", "Feb. 1 was not."],
    ),
    (
        "The army (which denies it) fired first. Witnesses agree.",
        &[
            "The army (which denies it) fired first.",
            "Witnesses agree.",
        ],
    ),
];

#[test]
fn news_cases() {
    let seg = Segmenter::new();
    let mut failed = Vec::new();
    for (input, want) in CASES {
        let got = seg.sentences(input);
        if got != *want {
            failed.push(format!("input: {input}\n  want: {want:?}\n  got:  {got:?}"));
        }
    }
    assert!(CASES.len() >= 60, "at least 60 cases");
    assert!(
        failed.is_empty(),
        "{} of {} cases failed:\n{}",
        failed.len(),
        CASES.len(),
        failed.join("\n")
    );
}

#[test]
fn rules_only_handles_the_plain_cases() {
    let seg = Segmenter::rules_only();
    assert_eq!(
        seg.sentences("Mr. Putin left. The U.S. Army stayed."),
        ["Mr. Putin left.", "The U.S. Army stayed."]
    );
    assert_eq!(
        seg.sentences("\"Why?\" she asked. Nobody knew."),
        ["\"Why?\" she asked.", "Nobody knew."]
    );
}
