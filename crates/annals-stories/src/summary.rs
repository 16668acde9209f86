//! A story's title and summary: the few sentences that cover its main events and
//! statements, each from its document, the same fact not repeated.
//!
//! Sentences are scored by how central their words are to the story (cosine with the
//! story's centroid), how early they come in their document, and whether they report an
//! event between two actors or a statement with a speaker. They are taken best first
//! (maximal marginal relevance): a sentence whose words overlap a chosen one's too much
//! says the same thing and is left out. Near-copies of another member add no sentence.

use crate::cluster::{cosine, Clusterer, Story};
use std::collections::HashMap;

/// Word overlap (cosine) above which two sentences state the same fact.
const SAME_FACT: f32 = 0.5;

/// A story's title and summary sentences.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// A title: the headline of the member closest to the story's centre, else its
    /// best sentence cut to a few words.
    pub title: String,
    /// (document id, sentence index in the story's member), in reading order: the
    /// chosen sentences, by document order within the story, then body order.
    pub sentences: Vec<(String, crate::InputSentence)>,
}

fn vector(terms: &[u64]) -> Vec<(u64, f32)> {
    let mut m: HashMap<u64, f32> = HashMap::with_capacity(terms.len());
    for &t in terms {
        *m.entry(t).or_default() += 1.0;
    }
    let mut v: Vec<(u64, f32)> = m.into_iter().collect();
    v.sort_unstable_by_key(|x| x.0);
    v
}

/// Summarise a story of `clusterer` in at most `most` sentences.
pub fn summarize(clusterer: &Clusterer, story: &Story, most: usize) -> Summary {
    summarize_with(clusterer, story, |m| &story.members[m].sentences, most)
}

/// [`summarize`] with the members' summary sentences kept elsewhere
/// ([`Clusterer::take_sentences`]): `sentences(m)` gives those of member `m`.
pub fn summarize_with<'a>(
    clusterer: &Clusterer,
    story: &Story,
    sentences: impl Fn(usize) -> &'a [crate::InputSentence],
    most: usize,
) -> Summary {
    let idf = |t: u64| clusterer.term_idf(t);
    let centre = story.terms();
    struct Cand<'a> {
        member: usize,
        sent: &'a crate::InputSentence,
        vec: Vec<(u64, f32)>,
        score: f32,
    }
    let mut cands: Vec<Cand> = Vec::new();
    for (mi, m) in story.members.iter().enumerate() {
        if m.copy_of.is_some() {
            continue;
        }
        for (rank, s) in sentences(mi).iter().enumerate() {
            if s.terms.len() < 4 {
                continue;
            }
            let vec = vector(&s.terms);
            let central = cosine(&vec, centre, idf);
            let lead = 0.25 / (1.0 + rank as f32);
            let events = 0.1 * s.events.min(2) as f32;
            let quote = if s.quote { 0.05 } else { 0.0 };
            cands.push(Cand {
                member: mi,
                sent: s,
                vec,
                score: central + lead + events + quote,
            });
        }
    }
    let mut chosen: Vec<usize> = Vec::new();
    while chosen.len() < most {
        let best = cands
            .iter()
            .enumerate()
            .filter(|(i, _)| !chosen.contains(i))
            .map(|(i, c)| {
                let overlap = chosen
                    .iter()
                    .map(|&j| cosine(&c.vec, &cands[j].vec, idf))
                    .fold(0.0f32, f32::max);
                (i, overlap, c.score - 0.5 * overlap)
            })
            .filter(|&(_, overlap, _)| overlap < SAME_FACT)
            .max_by(|a, b| a.2.total_cmp(&b.2).then(b.0.cmp(&a.0)));
        match best {
            Some((i, _, _)) => chosen.push(i),
            None => break,
        }
    }
    chosen.sort_by_key(|&i| (cands[i].member, cands[i].sent.index));
    // the title: the headline of the member closest to the centre
    let title = story
        .members
        .iter()
        .enumerate()
        .filter_map(|(mi, m)| {
            let t = m.title.as_deref()?.trim();
            if t.is_empty() {
                return None;
            }
            let words: Vec<u64> = sentences(mi)
                .iter()
                .flat_map(|s| s.terms.iter().copied())
                .collect();
            Some((t, cosine(&vector(&words), centre, idf)))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(t, _)| t.to_string())
        .or_else(|| {
            // the best sentence that is not a quote
            let best = chosen.iter().max_by(|&&a, &&b| {
                (!cands[a].sent.quote)
                    .cmp(&!cands[b].sent.quote)
                    .then(cands[a].score.total_cmp(&cands[b].score))
            })?;
            Some(short(&cands[*best].sent.text, 14))
        })
        .unwrap_or_else(|| format!("Story {}", story.id + 1));
    Summary {
        title,
        sentences: chosen
            .into_iter()
            .map(|i| {
                let c = &cands[i];
                (story.members[c.member].doc.clone(), c.sent.clone())
            })
            .collect(),
    }
}

/// The first `n` words of a sentence, with `…` when cut.
fn short(s: &str, n: usize) -> String {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() <= n {
        return words.join(" ");
    }
    format!(
        "{} …",
        words[..n].join(" ").trim_end_matches([',', ';', ':'])
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{InputSentence, StoryInput};

    #[test]
    fn summaries_from_sentences_kept_elsewhere_equal_those_from_the_members() {
        use std::collections::HashMap;
        let inputs: Vec<StoryInput> = crate::synth::corpus(600, 3)
            .into_iter()
            .map(|a| a.input)
            .collect();
        let mut whole = Clusterer::bundled();
        let mut taken = Clusterer::bundled();
        let mut kept: HashMap<(u32, u32), Vec<InputSentence>> = HashMap::new();
        for batch in inputs.chunks(200) {
            whole.add_batch(batch.to_vec());
            taken.add_batch(batch.to_vec());
            for (story, member, sentences) in taken.take_sentences() {
                kept.insert((story, member), sentences);
            }
        }
        assert!(!kept.is_empty());
        assert!(taken
            .stories()
            .iter()
            .all(|s| s.members.iter().all(|m| m.sentences.is_empty())));
        for (a, b) in whole.stories().iter().zip(taken.stories()) {
            let from_kept = summarize_with(
                &taken,
                b,
                |m| kept.get(&(b.id, m as u32)).map_or(&[], Vec::as_slice),
                4,
            );
            assert_eq!(from_kept, summarize(&whole, a, 4));
        }
    }

    fn sent(index: u32, text: &str) -> InputSentence {
        InputSentence {
            index,
            text: text.into(),
            terms: StoryInput::hash_words(text.split_whitespace()),
            ..Default::default()
        }
    }

    #[test]
    fn the_same_fact_is_told_once_and_each_sentence_keeps_its_document() {
        let a = StoryInput {
            id: "a".into(),
            title: Some("Leaders agree ceasefire in Geneva".into()),
            terms: StoryInput::hash_words("leaders agree ceasefire geneva talks envoy".split(' ')),
            sentences: vec![
                sent(0, "leaders agreed a ceasefire in geneva after talks"),
                sent(1, "the envoy said aid convoys would move on monday"),
            ],
            ..Default::default()
        };
        let b = StoryInput {
            id: "b".into(),
            terms: StoryInput::hash_words("leaders agree ceasefire geneva prisoners".split(' ')),
            sentences: vec![
                sent(0, "leaders agreed a ceasefire in geneva after talks"),
                sent(
                    3,
                    "prisoners will be exchanged within a week under the deal",
                ),
            ],
            ..Default::default()
        };
        let mut c = Clusterer::bundled();
        let asg = c.add_batch(vec![a, b]);
        assert_eq!(asg[0].story, asg[1].story);
        let s = summarize(&c, &c.stories()[0], 4);
        assert_eq!(s.title, "Leaders agree ceasefire in Geneva");
        let texts: Vec<&str> = s.sentences.iter().map(|x| x.1.text.as_str()).collect();
        assert_eq!(
            texts
                .iter()
                .filter(|t| t.starts_with("leaders agreed"))
                .count(),
            1,
            "{texts:?}"
        );
        assert!(
            texts.iter().any(|t| t.starts_with("prisoners")),
            "{texts:?}"
        );
        assert!(s.sentences.iter().any(|x| x.0 == "b"));
    }

    #[test]
    fn a_story_without_headlines_takes_its_best_sentence_cut_short() {
        assert_eq!(short("one two three four", 3), "one two three …");
    }
}
