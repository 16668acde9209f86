//! A byte trie of aliases, walked anchored from a word start, ASCII case folded.
//!
//! The matcher only ever walks from the start of a word and never needs to resume
//! mid-pattern, so the failure links of an Aho-Corasick automaton would be dead weight:
//! computing them was most of the program's start-up time. This trie is built from the
//! sorted patterns in one pass, in time linear in their bytes.
//!
//! Layout: state `s` has its transitions in `edges[first[s]..first[s + 1]]`, sorted by
//! byte; the root also has a dense table of all 256 bytes, since every walk starts there
//! and it has the most transitions.

/// No pattern ends at a state.
const NONE: u32 = u32::MAX;

/// The trie. State 0 is the root.
#[derive(Debug, Clone)]
pub(crate) struct Trie {
    /// Per state: the start of its edges (one more entry than there are states).
    first: Vec<u32>,
    /// (byte, next state), grouped by state and sorted by byte within a state.
    edges: Vec<(u8, u32)>,
    /// Per state: the pattern that ends there, or `NONE`.
    pattern: Vec<u32>,
    /// The root's next state for each byte (0: none; the root is never a next state).
    root: Box<[u32; 256]>,
}

impl Trie {
    /// A trie of `patterns`, matched ASCII-case-insensitively; a pattern's number is its
    /// index. Of patterns equal but for case, the first is kept.
    pub(crate) fn new<S: AsRef<str>>(patterns: &[S]) -> Trie {
        let mut keys: Vec<(Vec<u8>, u32)> = patterns
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_ref().as_bytes().to_ascii_lowercase(), i as u32))
            .collect();
        keys.sort();
        // Depth-first insertion of sorted keys: each new key shares a prefix with the
        // previous one and adds a chain of new states below it. Children are met in
        // byte order, so each state's list of (byte, child) ends up sorted.
        let mut children: Vec<Vec<(u8, u32)>> = vec![Vec::new()];
        let mut pattern = vec![NONE];
        let mut path: Vec<u32> = vec![0]; // states along the previous key
        let mut prev: &[u8] = &[];
        for (key, id) in &keys {
            let common = key.iter().zip(prev).take_while(|(a, b)| a == b).count();
            path.truncate(common + 1);
            for &b in &key[common..] {
                let parent = *path.last().unwrap_or(&0);
                let s = children.len() as u32;
                children.push(Vec::new());
                pattern.push(NONE);
                children[parent as usize].push((b, s));
                path.push(s);
            }
            let end = *path.last().unwrap_or(&0) as usize;
            if pattern[end] == NONE {
                pattern[end] = *id;
            }
            prev = key;
        }
        let mut first = Vec::with_capacity(children.len() + 1);
        let mut edges = Vec::with_capacity(children.len());
        for c in &children {
            first.push(edges.len() as u32);
            edges.extend_from_slice(c);
        }
        first.push(edges.len() as u32);
        let mut root = Box::new([0u32; 256]);
        for &(b, s) in &children[0] {
            root[b as usize] = s;
        }
        Trie {
            first,
            edges,
            pattern,
            root,
        }
    }

    /// The state after `byte` from `state`, case folded, or `None` where no pattern goes on.
    #[inline]
    pub(crate) fn next(&self, state: u32, byte: u8) -> Option<u32> {
        let b = byte.to_ascii_lowercase();
        if state == 0 {
            let s = self.root[b as usize];
            return (s != 0).then_some(s);
        }
        let s = state as usize;
        let edges = &self.edges[self.first[s] as usize..self.first[s + 1] as usize];
        if edges.len() <= 8 {
            edges.iter().find(|e| e.0 == b).map(|e| e.1)
        } else {
            edges
                .binary_search_by_key(&b, |e| e.0)
                .ok()
                .map(|i| edges[i].1)
        }
    }

    /// The pattern that ends at `state`, if any.
    #[inline]
    pub(crate) fn pattern(&self, state: u32) -> Option<usize> {
        let p = self.pattern[state as usize];
        (p != NONE).then_some(p as usize)
    }

    /// Heap bytes used.
    pub(crate) fn memory_usage(&self) -> usize {
        self.first.len() * 4 + self.edges.len() * 8 + self.pattern.len() * 4 + 256 * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pattern ending along an anchored walk of `text`.
    fn walk(t: &Trie, text: &str) -> Vec<usize> {
        let mut out = Vec::new();
        let mut s = 0;
        for &b in text.as_bytes() {
            match t.next(s, b) {
                Some(n) => s = n,
                None => break,
            }
            out.extend(t.pattern(s));
        }
        out
    }

    #[test]
    fn walks_find_every_prefix_pattern_case_folded() {
        let t = Trie::new(&["US", "US-led coalition", "Usa", "Russia", "u"]);
        assert_eq!(walk(&t, "us-LED Coalition forces"), vec![4, 0, 1]);
        assert_eq!(walk(&t, "USA"), vec![4, 0, 2]);
        assert_eq!(walk(&t, "Russian"), vec![3]);
        assert_eq!(walk(&t, "Moscow"), Vec::<usize>::new());
    }

    #[test]
    fn patterns_equal_but_for_case_keep_the_first_and_many_children_are_searched() {
        let t = Trie::new(&["Kremlin", "KREMLIN"]);
        assert_eq!(walk(&t, "kremlin"), vec![0]);
        // a state with more children than the linear scan takes
        let many: Vec<String> = (b'a'..=b'z').map(|c| format!("x{}", c as char)).collect();
        let t = Trie::new(&many);
        assert_eq!(walk(&t, "xq"), vec![(b'q' - b'a') as usize]);
        assert_eq!(walk(&t, "x\u{e9}"), Vec::<usize>::new());
    }
}
