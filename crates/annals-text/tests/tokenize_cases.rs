//! Tokenization follows UD English EWT conventions.

use annals_text::tokenize;

fn forms(s: &str) -> Vec<&str> {
    tokenize(s).iter().map(|t| &s[t.start..t.end]).collect()
}

const CASES: &[(&str, &[&str])] = &[
    ("don't", &["do", "n't"]),
    ("can't", &["ca", "n't"]),
    ("won't", &["wo", "n't"]),
    ("I'm", &["I", "'m"]),
    ("they're", &["they", "'re"]),
    ("we've", &["we", "'ve"]),
    ("she'll", &["she", "'ll"]),
    ("I'd", &["I", "'d"]),
    ("Obama's", &["Obama", "'s"]),
    ("O'Brien's", &["O'Brien", "'s"]),
    ("the workers' union", &["the", "workers", "'", "union"]),
    ("cannot", &["can", "not"]),
    ("gonna", &["gon", "na"]),
    ("dont", &["do", "nt"]),
    ("U.S.", &["U.S."]),
    ("the U.S.)", &["the", "U.S.", ")"]),
    ("Mr. Putin", &["Mr.", "Putin"]),
    ("etc.,", &["etc.", ","]),
    ("search-engine", &["search", "-", "engine"]),
    ("15-year", &["15", "-", "year"]),
    ("e-mail", &["e-mail"]),
    ("non-violence", &["non-violence"]),
    ("co-workers", &["co-workers"]),
    ("713-853-3989", &["713-853-3989"]),
    ("and/or", &["and", "/", "or"]),
    ("9/11/2001", &["9/11/2001"]),
    ("250,000", &["250,000"]),
    ("3.5", &["3.5"]),
    ("20:11", &["20:11"]),
    ("$5", &["$", "5"]),
    ("5%", &["5", "%"]),
    ("5pm", &["5", "pm"]),
    ("1980s", &["1980s"]),
    ("22nd", &["22nd"]),
    ("Dec.1", &["Dec.", "1"]),
    ("(AFP)", &["(", "AFP", ")"]),
    (
        "\"Hello,\" he said.",
        &["\"", "Hello", ",", "\"", "he", "said", "."],
    ),
    ("Wait...", &["Wait", "..."]),
    ("Really?!", &["Really", "?!"]),
    ("word--word", &["word", "--", "word"]),
    (
        "http://example.com/a-b?x=1.",
        &["http://example.com/a-b?x=1", "."],
    ),
    ("(www.example.com)", &["(", "www.example.com", ")"]),
    ("bob@example.com.", &["bob@example.com", "."]),
    ("AT&T", &["AT&T"]),
    ("'99", &["'99"]),
    ("“Yes”", &["“", "Yes", "”"]),
    (":-)", &[":-)"]),
    ("hello,world", &["hello", ",", "world"]),
];

#[test]
fn ewt_conventions() {
    let mut failed = Vec::new();
    for (input, want) in CASES {
        let got = forms(input);
        if got != *want {
            failed.push(format!("{input:?}: want {want:?}, got {got:?}"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn curly_apostrophes_get_an_ascii_norm() {
    let s = "didn’t Obama’s";
    let t = tokenize(s);
    let got: Vec<(&str, Option<&str>)> = t.iter().map(|t| (&s[t.start..t.end], t.norm)).collect();
    assert_eq!(
        got,
        [
            ("did", None),
            ("n’t", Some("n't")),
            ("Obama", None),
            ("’s", Some("'s"))
        ]
    );
}

#[test]
fn tokens_slice_the_text_exactly_and_in_order() {
    let s = "  Héllo—wörld! “Quoted” naïve café’s 3½ … ok  ";
    let t = tokenize(s);
    let mut last = 0;
    for sp in &t {
        assert!(sp.start >= last && sp.end > sp.start);
        assert!(s.is_char_boundary(sp.start) && s.is_char_boundary(sp.end));
        assert!(!s[sp.start..sp.end].trim().is_empty());
        last = sp.end;
    }
    let joined: String = t.iter().map(|sp| &s[sp.start..sp.end]).collect();
    let no_space: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    assert_eq!(joined, no_space);
}
