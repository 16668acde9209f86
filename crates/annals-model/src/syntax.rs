//! Part-of-speech tags and dependency relations, as compact ids.
//!
//! The inventories are those of the Universal Dependencies English EWT treebank. Tags are
//! stored as one byte each, so a token's analysis costs no allocation.

use serde::{Deserialize, Serialize};

macro_rules! tagset {
    ($(#[$m:meta])* $name:ident, $table:ident, [$($s:literal),* $(,)?]) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
        pub struct $name(pub u8);

        /// Every label of this set, indexed by id. Id 0 is the unknown label `_`.
        pub const $table: &[&str] = &["_", $($s),*];

        impl $name {
            /// The unknown label.
            pub const UNKNOWN: $name = $name(0);

            /// The id of a label; `UNKNOWN` when the label is not in the set.
            pub fn from_label(s: &str) -> Self {
                $table.iter().position(|l| *l == s).map(|i| $name(i as u8)).unwrap_or(Self::UNKNOWN)
            }

            /// The label's text.
            pub fn as_str(self) -> &'static str {
                $table.get(self.0 as usize).copied().unwrap_or("_")
            }

            /// Number of labels, `_` included.
            pub const fn count() -> usize {
                $table.len()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

tagset!(
    /// A universal part-of-speech tag.
    Upos, UPOS_LABELS,
    ["ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN",
     "PUNCT", "SCONJ", "SYM", "VERB", "X"]
);

tagset!(
    /// A Penn Treebank (language-specific) part-of-speech tag.
    Xpos, XPOS_LABELS,
    ["NN", "IN", "DT", "NNP", "PRP", "JJ", "RB", ".", "VB", "NNS", ",", "CC", "VBD", "VBP", "VBZ",
     "CD", "VBN", "VBG", "MD", "TO", "PRP$", "-RRB-", "-LRB-", "WDT", ":", "WRB", "``", "''", "WP",
     "RP", "UH", "POS", "HYPH", "NNPS", "JJR", "JJS", "EX", "NFP", "RBR", "ADD", "GW", "$", "SYM",
     "PDT", "LS", "FW", "RBS", "AFX", "WP$", "XX", "#"]
);

tagset!(
    /// A dependency relation, with its subtype where UD English uses one.
    DepRel, DEPREL_LABELS,
    ["punct", "case", "nsubj", "det", "root", "advmod", "obj", "amod", "obl", "conj", "compound",
     "mark", "nmod", "cc", "aux", "cop", "advcl", "nmod:poss", "xcomp", "ccomp", "acl:relcl", "flat",
     "parataxis", "nummod", "appos", "acl", "aux:pass", "nsubj:pass", "obl:unmarked",
     "nmod:unmarked", "discourse", "compound:prt", "iobj", "list", "expl", "fixed", "nmod:desc",
     "obl:agent", "csubj", "nsubj:outer", "det:predet", "vocative", "goeswith", "advcl:relcl",
     "cc:preconj", "reparandum", "orphan", "csubj:pass", "dislocated", "dep", "csubj:outer",
     "obl:tmod", "obl:npmod", "nmod:tmod", "nmod:npmod", "flat:foreign", "det:poss", "clf"]
);

impl Upos {
    /// Proper noun.
    pub fn is_propn(self) -> bool {
        self.as_str() == "PROPN"
    }
    /// Verb or auxiliary.
    pub fn is_verbal(self) -> bool {
        matches!(self.as_str(), "VERB" | "AUX")
    }
}

impl DepRel {
    /// The relation without its subtype: `nsubj:pass` → `nsubj`.
    pub fn base(self) -> &'static str {
        let s = self.as_str();
        s.split_once(':').map_or(s, |(b, _)| b)
    }
}

/// The analysis of one token: tags and its dependency arc.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Syntax {
    /// Universal part of speech.
    pub upos: Upos,
    /// Penn Treebank tag.
    pub xpos: Xpos,
    /// The head's position in the sentence, 1-based; 0 is the root; `u16::MAX` when unparsed.
    pub head: u16,
    /// The relation to the head.
    pub deprel: DepRel,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip() {
        for l in DEPREL_LABELS.iter().skip(1) {
            assert_eq!(DepRel::from_label(l).as_str(), *l);
        }
        assert_eq!(Upos::from_label("PROPN").as_str(), "PROPN");
        assert!(Upos::from_label("PROPN").is_propn());
        assert_eq!(Xpos::from_label("nonsense"), Xpos::UNKNOWN);
        assert_eq!(DepRel::from_label("nsubj:pass").base(), "nsubj");
        assert!(DEPREL_LABELS.len() < 256 && XPOS_LABELS.len() < 256);
    }
}
