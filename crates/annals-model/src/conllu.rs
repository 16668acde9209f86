//! A reader for CoNLL-U, the Universal Dependencies treebank format.
//!
//! Borrowing: every field is a slice of the input, so reading a treebank allocates one
//! `Vec` per sentence and nothing per word. Empty nodes (`8.1`) are skipped; multiword
//! tokens (`3-4 don't`) are kept beside the words.
//!
//! ```
//! let s = "# newpar\n# text = Hi.\n1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\tSpaceAfter=No\n2\t.\t.\tPUNCT\t.\t_\t1\tpunct\t_\t_\n\n";
//! let sents: Vec<_> = annals_model::conllu::sentences(s).collect::<Result<_, _>>().unwrap();
//! assert_eq!(sents[0].text, Some("Hi."));
//! assert!(sents[0].newpar);
//! assert_eq!(sents[0].words[1].head, 1);
//! assert!(!sents[0].words[0].space_after());
//! ```

use std::fmt;

/// One syntactic word of a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word<'a> {
    /// 1-based position.
    pub id: u32,
    /// Surface form.
    pub form: &'a str,
    /// Lemma.
    pub lemma: &'a str,
    /// Universal POS tag.
    pub upos: &'a str,
    /// Language-specific POS tag.
    pub xpos: &'a str,
    /// Morphological features.
    pub feats: &'a str,
    /// Head position, 0 for the root.
    pub head: u32,
    /// Dependency relation.
    pub deprel: &'a str,
    /// Miscellaneous annotations (`SpaceAfter=No`, …).
    pub misc: &'a str,
}

impl Word<'_> {
    /// False when `misc` says `SpaceAfter=No`.
    pub fn space_after(&self) -> bool {
        !self.misc.split('|').any(|m| m == "SpaceAfter=No")
    }
}

/// A multiword token: one surface string that UD splits into several words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultiWord<'a> {
    /// First word id.
    pub first: u32,
    /// Last word id.
    pub last: u32,
    /// The surface string.
    pub form: &'a str,
    /// Miscellaneous annotations.
    pub misc: &'a str,
}

impl MultiWord<'_> {
    /// False when `misc` says `SpaceAfter=No`.
    pub fn space_after(&self) -> bool {
        !self.misc.split('|').any(|m| m == "SpaceAfter=No")
    }
}

/// One sentence block.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sentence<'a> {
    /// `# sent_id`.
    pub sent_id: Option<&'a str>,
    /// `# text`.
    pub text: Option<&'a str>,
    /// A `# newpar` comment opens a paragraph here.
    pub newpar: bool,
    /// A `# newdoc` comment opens a document here.
    pub newdoc: bool,
    /// The words, in order.
    pub words: Vec<Word<'a>>,
    /// Multiword tokens.
    pub multiwords: Vec<MultiWord<'a>>,
    /// 1-based line number of the block's first line.
    pub line: usize,
}

/// A malformed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for Error {}

/// Iterate over the sentences of a CoNLL-U text.
pub fn sentences(text: &str) -> Sentences<'_> {
    Sentences {
        lines: text.lines().enumerate(),
    }
}

/// Iterator returned by [`sentences`].
pub struct Sentences<'a> {
    lines: std::iter::Enumerate<std::str::Lines<'a>>,
}

impl<'a> Iterator for Sentences<'a> {
    type Item = Result<Sentence<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut sent = Sentence::default();
        let mut started = false;
        for (i, line) in self.lines.by_ref() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() {
                if started {
                    return Some(Ok(sent));
                }
                continue;
            }
            if !started {
                started = true;
                sent.line = i + 1;
            }
            if let Some(c) = line.strip_prefix('#') {
                let c = c.trim_start();
                if let Some(t) = c.strip_prefix("text = ") {
                    sent.text = Some(t);
                } else if let Some(t) = c.strip_prefix("sent_id = ") {
                    sent.sent_id = Some(t);
                } else if c.starts_with("newpar") {
                    sent.newpar = true;
                } else if c.starts_with("newdoc") {
                    sent.newdoc = true;
                    sent.newpar = true;
                }
                continue;
            }
            if let Err(e) = parse_line(line, i + 1, &mut sent) {
                return Some(Err(e));
            }
        }
        started.then_some(Ok(sent))
    }
}

fn parse_line<'a>(line: &'a str, no: usize, sent: &mut Sentence<'a>) -> Result<(), Error> {
    let err = |m: &str| Error {
        line: no,
        message: m.to_string(),
    };
    let mut f = [""; 10];
    let mut n = 0;
    for part in line.split('\t') {
        if n < 10 {
            f[n] = part;
        }
        n += 1;
    }
    if n != 10 {
        return Err(err(&format!("expected 10 tab-separated fields, found {n}")));
    }
    if f[0].contains('.') {
        return Ok(()); // empty node of the enhanced graph
    }
    if let Some((a, b)) = f[0].split_once('-') {
        let first = a.parse().map_err(|_| err("bad multiword range"))?;
        let last = b.parse().map_err(|_| err("bad multiword range"))?;
        sent.multiwords.push(MultiWord {
            first,
            last,
            form: f[1],
            misc: f[9],
        });
        return Ok(());
    }
    let id = f[0].parse().map_err(|_| err("bad word id"))?;
    let head = if f[6] == "_" {
        0
    } else {
        f[6].parse().map_err(|_| err("bad head"))?
    };
    sent.words.push(Word {
        id,
        form: f[1],
        lemma: f[2],
        upos: f[3],
        xpos: f[4],
        feats: f[5],
        head,
        deprel: f[7],
        misc: f[9],
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_multiwords_and_skips_empty_nodes() {
        let s = "# text = I don't\n1\tI\tI\tPRON\tPRP\t_\t3\tnsubj\t_\t_\n2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n2\tdo\tdo\tAUX\tVBP\t_\t0\troot\t_\tSpaceAfter=No\n3\tn't\tnot\tPART\tRB\t_\t2\tadvmod\t_\t_\n3.1\tx\tx\tX\tX\t_\t_\t_\t_\t_\n";
        let v: Vec<_> = sentences(s).collect::<Result<_, _>>().unwrap();
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].words.len(), 3);
        assert_eq!(v[0].multiwords[0].form, "don't");
        assert_eq!((v[0].multiwords[0].first, v[0].multiwords[0].last), (2, 3));
    }

    #[test]
    fn reports_the_line_of_a_bad_row() {
        let s = "1\tA\n";
        let e = sentences(s).next().unwrap().unwrap_err();
        assert_eq!(e.line, 1);
    }
}
