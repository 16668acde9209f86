//! Part-of-speech tagging and dependency parsing for English, trained in Rust from the
//! Universal Dependencies English Web Treebank.
//!
//! Main types:
//! - [`Model`]: the lexicon (word clusters, tag dictionary), the [`Tagger`] and the
//!   [`Parser`], loaded from one compact binary file ([`Model::load`], [`Model::from_bytes`]).
//! - [`Pipeline`]: the [`annals_model::Annotate`] stage that fills [`Token::syn`] for every
//!   token of every sentence of a [`Document`].
//! - [`Scratch`]: reusable buffers for [`Model::analyze_into`] (one sentence) and
//!   [`Model::analyze_many_into`] (many sentences side by side, so that their memory
//!   accesses overlap: what the pipeline and [`eval_parse`] use), the allocation-free hot
//!   paths.
//! - [`eval_parse`] / [`ParseScores`]: UPOS, UAS and LAS against a CoNLL-U treebank.
//! - [`write_conllu`]: a parsed document as CoNLL-U.
//!
//! Data flow for one sentence:
//!
//! ```text
//! forms ──Lexicon──▶ Lex (hashes of form, shape, affixes; cluster; tag set)
//!       ──Tagger───▶ XPOS (left to right) ──▶ UPOS (sees XPOS on both sides)
//!       ──Parser───▶ head + relation (arc-hybrid transitions, greedy)
//!       ──────────▶ Syntax on each Token
//! ```
//!
//! Training lives in [`train`] and is driven by the `annals-train` binary.
//!
//! ```
//! use annals_syntax::{train, Model};
//! // a toy treebank; the real model is trained on UD English EWT
//! let tb = "1\tDogs\tdog\tNOUN\tNNS\t_\t2\tnsubj\t_\t_\n2\tbark\tbark\tVERB\tVBP\t_\t0\troot\t_\tSpaceAfter=No\n3\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n";
//! let sents = train::read_treebank(tb).unwrap();
//! let cfg = train::TrainConfig { folds: 1, clusters: 0, prune: [0; 4], ..Default::default() };
//! let model = train::train(&sents, &cfg, |_| {});
//! let model = Model::from_bytes(&model.to_bytes()).unwrap();
//! let syn = model.analyze(&["Dogs", "bark", "."]);
//! assert_eq!(syn[1].upos.as_str(), "VERB");
//! assert_eq!(syn[0].head, 2);
//! assert_eq!(syn[1].deprel.as_str(), "root");
//! ```
#![warn(missing_docs)]

mod action;
mod bin;
pub mod cluster;
mod conllu_out;
mod eval;
mod hash;
pub mod lex;
pub mod linear;
mod memo;
pub mod neural;
pub mod parser;
pub mod tagger;
pub mod train;

pub use conllu_out::write_conllu;
pub use eval::{eval_parse, ParseScores};
pub use parser::Parser;
pub use tagger::Tagger;

use annals_model::{Annotate, DepRel, Document, Syntax, Token, Upos, Xpos};
use bin::{Reader, Writer};
use lex::{Lex, Lexicon};
use std::path::Path;
use std::sync::Arc;

/// The model file shipped in the repository, relative to the workspace root.
pub const MODEL_FILE: &str = "models/en_ewt.syntax";

const MAGIC: &[u8; 8] = b"ANNLSYNT";
const VERSION: u32 = 5;

/// Errors of this crate.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading a model file failed.
    #[error("reading {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The bytes are not a model of this version.
    #[error("bad model file: {0}")]
    Format(String),
    /// A treebank could not be read.
    #[error("bad CoNLL-U: {0}")]
    Conllu(String),
}

/// A trained tagger and parser with the lexicon they share.
#[derive(Debug, Clone)]
pub struct Model {
    pub(crate) lexicon: Lexicon,
    pub(crate) tagger: Tagger,
    pub(crate) parser: Parser,
}

/// Reusable per-thread buffers for [`Model::analyze_into`].
#[derive(Default)]
pub struct Scratch {
    lex: Vec<Lex>,
    xpos: Vec<u8>,
    upos: Vec<u8>,
    head: Vec<u16>,
    label: Vec<u8>,
    bounds: Vec<(usize, usize)>,
    tag: tagger::TagScratch,
    parse: parser::ParseScratch,
}

impl Scratch {
    /// The lexical attributes, Penn tags and universal tags of the words last tagged
    /// (by [`Model::tag_many_into`] or [`Model::analyze_many_into`]), for another parser.
    pub fn tagged(&self) -> (&[Lex], &[u8], &[u8]) {
        (&self.lex, &self.xpos, &self.upos)
    }
}

impl Model {
    /// Read a model file.
    pub fn load(path: impl AsRef<Path>) -> Result<Model, Error> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        Model::from_bytes(&bytes)
    }

    /// Decode a model from the bytes of a model file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, Error> {
        let mut r = Reader::new(bytes);
        if r.bytes(8).ok() != Some(&MAGIC[..]) {
            return Err(Error::Format(
                "not an annals syntax model (bad magic)".into(),
            ));
        }
        let v = r.u32()?;
        // versions 2 (sparse rows with full keys), 3 (no label bounds) and 4 (coarser
        // bounds, dropped) are still read
        if !(2..=VERSION).contains(&v) {
            return Err(Error::Format(format!("version {v}, expected {VERSION}")));
        }
        let lexicon = Lexicon::read(&mut r)?;
        let tagger = Tagger::read(&mut r, v)?;
        let parser = Parser::read(&mut r, v)?;
        if !r.at_end() {
            return Err(Error::Format("trailing bytes".into()));
        }
        Ok(Model {
            lexicon,
            tagger,
            parser,
        })
    }

    /// Encode as a model file.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.raw(MAGIC);
        w.u32(VERSION);
        self.lexicon.write(&mut w);
        self.tagger.write(&mut w);
        self.parser.write(&mut w);
        w.into_inner()
    }

    /// Write a model file.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), Error> {
        let path = path.as_ref();
        std::fs::write(path, self.to_bytes()).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })
    }

    /// Tag and parse one sentence given as word forms; `out` receives one [`Syntax`] per form.
    pub fn analyze_into<S: AsRef<str>>(&self, forms: &[S], out: &mut Vec<Syntax>, s: &mut Scratch) {
        self.analyze_many_into(forms, &[forms.len()], out, s);
    }

    /// Tag and parse several sentences at once: `forms` holds the words of all of them,
    /// one after another, and `lens` how many words each has (they must add up to
    /// `forms.len()`; words past the last sentence are left out). `out` receives one
    /// [`Syntax`] per word in the same order, heads counted within each sentence.
    ///
    /// The result is the same as calling [`Model::analyze_into`] on each sentence; it is
    /// faster because the sentences are worked on side by side, so that the memory
    /// accesses of one overlap with those of the others.
    pub fn analyze_many_into<S: AsRef<str>>(
        &self,
        forms: &[S],
        lens: &[usize],
        out: &mut Vec<Syntax>,
        s: &mut Scratch,
    ) {
        let n = self.tag_scratch(forms, lens, s);
        s.head.clear();
        s.head.resize(n, 0);
        self.parser.parse_batch(
            &s.lex,
            &s.xpos,
            &s.upos,
            &s.bounds,
            &mut s.head,
            &mut s.label,
            &mut s.parse,
        );
        out.clear();
        out.extend((0..n).map(|i| Syntax {
            upos: Upos(s.upos[i]),
            xpos: Xpos(s.xpos[i]),
            head: s.head[i],
            deprel: DepRel(s.label[i]),
        }));
    }

    /// Tag several sentences (as [`Model::analyze_many_into`]) without parsing them: every
    /// [`Syntax`] has its tags, head 0 and relation [`DepRel::UNKNOWN`]. The tags are the
    /// same as with parsing.
    pub fn tag_many_into<S: AsRef<str>>(
        &self,
        forms: &[S],
        lens: &[usize],
        out: &mut Vec<Syntax>,
        s: &mut Scratch,
    ) {
        let n = self.tag_scratch(forms, lens, s);
        out.clear();
        out.extend((0..n).map(|i| Syntax {
            upos: Upos(s.upos[i]),
            xpos: Xpos(s.xpos[i]),
            head: 0,
            deprel: DepRel::UNKNOWN,
        }));
    }

    /// Lexical attributes and tags of the sentences into `s`; returns the number of words.
    fn tag_scratch<S: AsRef<str>>(&self, forms: &[S], lens: &[usize], s: &mut Scratch) -> usize {
        s.bounds.clear();
        let mut a = 0;
        for &l in lens {
            let b = (a + l).min(forms.len());
            s.bounds.push((a, b));
            a = b;
        }
        let n = a;
        s.lex.clear();
        s.lex
            .extend(forms[..n].iter().map(|f| self.lexicon.lex(f.as_ref())));
        for v in [&mut s.xpos, &mut s.upos, &mut s.label] {
            v.clear();
            v.resize(n, 0);
        }
        self.tagger
            .tag_batch(&s.lex, &s.bounds, &mut s.xpos, &mut s.upos, &mut s.tag);
        n
    }

    /// Tag and parse one sentence (allocating convenience over [`Model::analyze_into`]).
    pub fn analyze<S: AsRef<str>>(&self, forms: &[S]) -> Vec<Syntax> {
        let mut out = Vec::new();
        self.analyze_into(forms, &mut out, &mut Scratch::default());
        out
    }

    /// Measure, on sentences the model was trained on (`forms` and `lens` as in
    /// [`Model::analyze_many_into`]), the most and the least the best label adds to an
    /// arc's score, by the arc's direction and the Penn tags of its dependent and head. The
    /// parser then skips scoring the labels of arcs that cannot win even with the most
    /// added: on these sentences it decides exactly as with every label scored, and it is
    /// faster.
    pub fn calibrate<S: AsRef<str>>(&mut self, forms: &[S], lens: &[usize]) {
        let mut s = Scratch::default();
        s.parse.recording = true;
        self.analyze_many_into(forms, lens, &mut Vec::new(), &mut s);
        self.parser.set_bounds(&s.parse.seen);
    }

    /// A smaller model: weights whose quantised magnitude is below the thresholds are
    /// dropped (`[xpos, upos, action, label]`). The scores change, so the parser's label
    /// bounds are dropped too (every label is scored) until [`Model::calibrate`] is run.
    pub fn prune(&self, min_q: [i16; 4]) -> Model {
        Model {
            lexicon: self.lexicon.clone(),
            tagger: self.tagger.prune([min_q[0], min_q[1]]),
            parser: self.parser.prune([min_q[2], min_q[3]]),
        }
    }

    /// The lexicon (word clusters, tag dictionary) the tagger and parser read.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Sizes of the parts, for reports.
    pub fn describe(&self) -> String {
        format!(
            "lexicon {} words; tagger {}; parser {}",
            self.lexicon.len(),
            self.tagger.describe(),
            self.parser.describe()
        )
    }
}

/// The syntax stage: fills [`Token::syn`] of every token in every sentence.
#[derive(Debug, Clone)]
pub struct Pipeline {
    model: Arc<Model>,
}

impl Pipeline {
    /// A stage over a loaded model.
    pub fn new(model: impl Into<Arc<Model>>) -> Self {
        Pipeline {
            model: model.into(),
        }
    }

    /// The model.
    pub fn model(&self) -> &Model {
        &self.model
    }
}

thread_local! {
    /// Each thread's buffers for [`Pipeline::annotate`], kept from one document to the next
    /// (every table in them is reset per call: they hold no results).
    static SCRATCH: std::cell::RefCell<(Scratch, Vec<Syntax>)> = Default::default();
}

impl Annotate for Pipeline {
    fn name(&self) -> &'static str {
        "syntax"
    }

    fn annotate(&self, doc: &mut Document) {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut b) => {
                let (s, out) = &mut *b;
                self.annotate_with(doc, s, out);
            }
            // re-entered on this thread: fresh buffers
            Err(_) => self.annotate_with(doc, &mut Scratch::default(), &mut Vec::new()),
        });
    }
}

impl Pipeline {
    fn annotate_with(&self, doc: &mut Document, s: &mut Scratch, out: &mut Vec<Syntax>) {
        // all sentences of the document at once, then written back to the tokens
        let mut forms: Vec<&str> = Vec::with_capacity(doc.tokens.len());
        let mut lens: Vec<usize> = Vec::with_capacity(doc.sentences.len());
        let mut at: Vec<usize> = Vec::with_capacity(doc.tokens.len());
        for sent in &doc.sentences {
            let toks: &[Token] = doc.sentence_tokens(sent);
            forms.extend(toks.iter().map(|t| doc.token_form(t)));
            lens.push(toks.len());
            let start = sent.tokens.start as usize;
            at.extend(start..start + toks.len());
        }
        self.model.analyze_many_into(&forms, &lens, out, s);
        drop(forms);
        for (&i, x) in at.iter().zip(out.iter()) {
            if let Some(t) = doc.tokens.get_mut(i) {
                t.syn = *x;
            }
        }
    }
}
