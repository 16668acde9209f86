//! CoNLL-U output for parsed documents.

use annals_model::Document;
use std::fmt::{self, Write};

fn field(out: &mut impl Write, s: &str) -> fmt::Result {
    if s.is_empty() {
        return out.write_char('_');
    }
    for c in s.chars() {
        out.write_char(if matches!(c, '\t' | '\n' | '\r') {
            ' '
        } else {
            c
        })?;
    }
    Ok(())
}

/// Write every sentence of `doc` as CoNLL-U: `# sent_id` (`<doc id>-<n>`), `# text`, then
/// one line per token with its tags, head and relation. Unparsed tokens get `_` for the
/// head and relation; `SpaceAfter=No` is kept in MISC.
pub fn write_conllu(doc: &Document, out: &mut impl Write) -> fmt::Result {
    for (k, sent) in doc.sentences.iter().enumerate() {
        if k == 0 || doc.sentences[k - 1].paragraph != sent.paragraph {
            if k == 0 {
                writeln!(out, "# newdoc id = {}", doc.id)?;
            }
            writeln!(out, "# newpar")?;
        }
        writeln!(out, "# sent_id = {}-{}", doc.id, k + 1)?;
        out.write_str("# text = ")?;
        let text = doc.text(sent.range);
        let mut space = false;
        for c in text.trim().chars() {
            if c.is_whitespace() {
                space = true;
            } else {
                if space {
                    out.write_char(' ')?;
                    space = false;
                }
                out.write_char(c)?;
            }
        }
        out.write_char('\n')?;
        for (i, t) in doc.sentence_tokens(sent).iter().enumerate() {
            let syn = &t.syn;
            write!(out, "{}\t", i + 1)?;
            field(out, doc.token_form(t))?;
            write!(out, "\t_\t{}\t{}\t_\t", syn.upos, syn.xpos)?;
            if syn.head == u16::MAX {
                out.write_str("_\t_")?;
            } else {
                write!(out, "{}\t{}", syn.head, syn.deprel)?;
            }
            out.write_str("\t_\t")?;
            out.write_str(if t.space_after { "_" } else { "SpaceAfter=No" })?;
            out.write_char('\n')?;
        }
        out.write_char('\n')?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use annals_model::{DepRel, Sentence, Syntax, TextRange, Token, Upos, Xpos};

    #[test]
    fn writes_tokens_and_space_after() {
        let mut doc = Document {
            body: "Hi there.".into(),
            ..Default::default()
        };
        doc.id.0 = "d".into();
        let tok = |a, b, sp, head, rel: &str, up: &str, xp: &str| Token {
            range: TextRange::new(a, b),
            norm: None,
            space_after: sp,
            syn: Syntax {
                upos: Upos::from_label(up),
                xpos: Xpos::from_label(xp),
                head,
                deprel: DepRel::from_label(rel),
            },
        };
        doc.tokens = vec![
            tok(0, 2, true, 0, "root", "INTJ", "UH"),
            tok(3, 8, false, 1, "advmod", "ADV", "RB"),
            tok(8, 9, false, 1, "punct", "PUNCT", "."),
        ];
        doc.sentences = vec![Sentence {
            range: TextRange::new(0, 9),
            paragraph: 0,
            tokens: 0..3,
        }];
        let mut s = String::new();
        write_conllu(&doc, &mut s).unwrap();
        let parsed: Vec<_> = annals_model::conllu::sentences(&s)
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(parsed[0].text, Some("Hi there."));
        assert_eq!(parsed[0].words[1].form, "there");
        assert_eq!(parsed[0].words[1].head, 1);
        assert!(!parsed[0].words[1].space_after());
        assert!(s.contains("2\tthere\t_\tADV\tRB\t_\t1\tadvmod\t_\tSpaceAfter=No\n"));
    }
}
