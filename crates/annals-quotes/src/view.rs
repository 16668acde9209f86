//! Per-document indexes the quote finder reads: which sentence, paragraph, mention and
//! quote each token belongs to, and helpers over tokens and the parse.

use annals_model::{Document, Gender, MentionHow, Sentence, Token};

/// Indexes over one document, built once per document (one entry per token, no
/// allocation per token afterwards).
pub(crate) struct View<'d> {
    pub doc: &'d Document,
    /// Sentence index of each token.
    pub sent: Vec<u32>,
    /// Outermost mention covering each token, plus one (0: none).
    pub mention: Vec<u32>,
    /// Direct quote (index into the drafts, plus one) whose marks enclose each token.
    pub quote: Vec<u32>,
}

/// Sentence-final punctuation.
pub(crate) fn is_final(form: &str) -> bool {
    matches!(form, "." | "!" | "?" | "…")
}

/// A dash used for attribution or apposition.
pub(crate) fn is_dash(form: &str) -> bool {
    matches!(form, "-" | "--" | "–" | "—" | "―")
}

/// Any quotation mark.
pub(crate) fn is_mark(form: &str) -> bool {
    matches!(
        form,
        "\"" | "'" | "“" | "”" | "‘" | "’" | "«" | "»" | "„" | "‹" | "›" | "``" | "''"
    )
}

impl<'d> View<'d> {
    pub fn new(doc: &'d Document) -> Self {
        let n = doc.tokens.len();
        let mut sent = vec![u32::MAX; n];
        for (si, s) in doc.sentences.iter().enumerate() {
            for t in s.tokens.clone() {
                if let Some(x) = sent.get_mut(t as usize) {
                    *x = si as u32;
                }
            }
        }
        let mut mention = vec![0u32; n];
        // mentions are in body order; the outermost (first and longest) one wins
        let mut ti = 0usize;
        for (mi, m) in doc.mentions.iter().enumerate() {
            while ti < n && doc.tokens[ti].range.end <= m.range.start {
                ti += 1;
            }
            let mut t = ti;
            while t < n && doc.tokens[t].range.start < m.range.end {
                let cur = mention[t];
                let shorter = cur == 0
                    || doc
                        .mentions
                        .get(cur as usize - 1)
                        .is_none_or(|c| c.range.len() < m.range.len());
                if shorter {
                    mention[t] = mi as u32 + 1;
                }
                t += 1;
            }
        }
        Self {
            doc,
            sent,
            mention,
            quote: vec![0; n],
        }
    }

    pub fn len(&self) -> usize {
        self.doc.tokens.len()
    }

    pub fn tok(&self, t: usize) -> Option<&'d Token> {
        self.doc.tokens.get(t)
    }

    pub fn form(&self, t: usize) -> &'d str {
        self.doc
            .tokens
            .get(t)
            .map_or("", |tok| self.doc.token_form(tok))
    }

    pub fn sentence(&self, t: usize) -> Option<&'d Sentence> {
        self.doc.sentences.get(*self.sent.get(t)? as usize)
    }

    pub fn para(&self, t: usize) -> Option<u32> {
        self.sentence(t).map(|s| s.paragraph)
    }

    pub fn in_quote(&self, t: usize) -> bool {
        self.quote.get(t).is_some_and(|&q| q != 0)
    }

    /// The mention that covers token `t`, as an index into `doc.mentions`.
    pub fn mention_at(&self, t: usize) -> Option<usize> {
        match self.mention.get(t) {
            Some(&m) if m != 0 => Some(m as usize - 1),
            _ => None,
        }
    }

    pub fn upos(&self, t: usize) -> &'static str {
        self.tok(t).map_or("_", |k| k.syn.upos.as_str())
    }

    pub fn xpos(&self, t: usize) -> &'static str {
        self.tok(t).map_or("_", |k| k.syn.xpos.as_str())
    }

    pub fn deprel(&self, t: usize) -> &'static str {
        self.tok(t).map_or("_", |k| k.syn.deprel.base())
    }

    pub fn is_verbal(&self, t: usize) -> bool {
        matches!(self.upos(t), "VERB" | "AUX") || self.xpos(t).starts_with("VB")
    }

    pub fn is_finite_verb(&self, t: usize) -> bool {
        matches!(self.xpos(t), "VBD" | "VBZ" | "VBP" | "MD")
    }

    pub fn is_punct(&self, t: usize) -> bool {
        let f = self.form(t);
        self.upos(t) == "PUNCT" || (!f.is_empty() && !f.chars().any(char::is_alphanumeric))
    }

    /// The token index of `t`'s head, when it has one in the same sentence.
    pub fn head(&self, t: usize) -> Option<usize> {
        let s = self.sentence(t)?;
        let h = self.tok(t)?.syn.head;
        if h == 0 || h == u16::MAX {
            return None;
        }
        let ht = s.tokens.start as usize + h as usize - 1;
        (ht < s.tokens.end as usize).then_some(ht)
    }

    /// The first child of `t` whose relation (without subtype) is `rel`.
    pub fn child(&self, t: usize, rel: &str) -> Option<usize> {
        let s = self.sentence(t)?;
        (s.tokens.start as usize..s.tokens.end as usize)
            .find(|&c| c != t && self.head(c) == Some(t) && self.deprel(c) == rel)
    }

    /// The first and last token of `t`'s subtree (bounded walk up the heads).
    pub fn subtree(&self, t: usize) -> (usize, usize) {
        let Some(s) = self.sentence(t) else {
            return (t, t);
        };
        let (mut lo, mut hi) = (t, t);
        for c in s.tokens.start as usize..s.tokens.end as usize {
            let mut x = c;
            for _ in 0..12 {
                if x == t {
                    lo = lo.min(c);
                    hi = hi.max(c);
                    break;
                }
                match self.head(x) {
                    Some(h) => x = h,
                    None => break,
                }
            }
        }
        (lo, hi)
    }

    /// The first token whose range starts at or after byte `pos`.
    pub fn token_at_or_after(&self, pos: u32) -> usize {
        self.doc.tokens.partition_point(|t| t.range.start < pos)
    }

    /// True when mention `m` is a subject: one of its tokens is an `nsubj` whose head
    /// lies outside it, or a verb follows it.
    pub fn mention_is_subject(&self, m: usize) -> bool {
        let Some(men) = self.doc.mentions.get(m) else {
            return false;
        };
        let first = self.token_at_or_after(men.range.start);
        let mut t = first;
        while t < self.len() && self.doc.tokens[t].range.end <= men.range.end {
            if self.deprel(t) == "nsubj" {
                if let Some(h) = self.head(t) {
                    let hr = self.doc.tokens[h].range;
                    if !men.range.contains_range(hr) {
                        return true;
                    }
                }
            }
            t += 1;
        }
        // no parse: a mention that opens its clause and is followed by a verb
        let opens = first == 0
            || self.sent.get(first - 1) != self.sent.get(first)
            || matches!(self.form(first - 1), "," | "and" | "but" | "And" | "But");
        opens && t < self.len() && self.is_verbal(t) && self.sent.get(t) == self.sent.get(first)
    }

    /// The gender a pronoun asks for.
    pub fn pronoun_gender(form: &str) -> Option<Gender> {
        let is = |l: &[&str]| l.iter().any(|w| w.eq_ignore_ascii_case(form));
        if is(&["he", "him", "his", "himself"]) {
            Some(Gender::Male)
        } else if is(&["she", "her", "hers", "herself"]) {
            Some(Gender::Female)
        } else {
            None
        }
    }

    /// How mention `m` names its actor.
    pub fn how(&self, m: usize) -> Option<MentionHow> {
        self.doc.mentions.get(m).map(|x| x.how)
    }
}
