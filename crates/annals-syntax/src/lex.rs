//! Per-token lexical attributes, computed once per token without allocation, and the
//! [`Lexicon`]: word clusters and tag dictionaries learnt from the training text.

use crate::bin::{Reader, Writer};
use crate::hash::{hash_str, StrHasher};
use crate::Error;

/// Flag: the first character is upper case.
pub const F_UPPER_INIT: u8 = 1;
/// Flag: every letter is upper case (and there is one).
pub const F_ALL_UPPER: u8 = 2;
/// Flag: contains a digit.
pub const F_DIGIT: u8 = 4;
/// Flag: contains a hyphen.
pub const F_HYPHEN: u8 = 8;
/// Flag: contains no letter or digit.
pub const F_NO_ALNUM: u8 = 16;
/// Flag: contains `@`, `://` or starts with `www.` (addresses).
pub const F_ADDRESS: u8 = 32;

/// What the features of a token need, as hashes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Lex {
    /// The exact form.
    pub form: u64,
    /// Lower case with digits folded to `0`.
    pub norm: u64,
    /// Word shape with runs collapsed (`Xxxx` → `Xx`, `1,234` → `d,d`).
    pub shape: u64,
    /// Prefixes of `norm`, 1 to 3 characters.
    pub pre: [u64; 3],
    /// Suffixes of `norm`, 1 to 4 characters.
    pub suf: [u64; 4],
    /// `F_*` flags.
    pub flags: u8,
    /// Length in characters, capped at 15.
    pub len: u8,
    /// Word cluster bit string (with a leading 1), 0 when unknown.
    pub cluster: u32,
    /// Tags seen with this word in training (bit per `Xpos` id), 0 when rare or unseen.
    pub ambig: u64,
    /// How often the word was seen in training, bucketed (0 = never).
    pub freq: u8,
}

fn shape_class(c: char) -> char {
    if c.is_uppercase() {
        'X'
    } else if c.is_lowercase() {
        'x'
    } else if c.is_numeric() {
        'd'
    } else if c.is_alphabetic() {
        'a'
    } else if c.is_ascii() {
        c
    } else {
        'o'
    }
}

/// Lower case and fold digits to `0`, calling `f` on every output character.
#[inline]
fn norm_chars(form: &str, mut f: impl FnMut(char)) {
    for c in form.chars() {
        if c.is_ascii() {
            let c = if c.is_ascii_digit() {
                '0'
            } else {
                c.to_ascii_lowercase()
            };
            f(c);
        } else if c.is_numeric() {
            f('0')
        } else {
            for l in c.to_lowercase() {
                f(l);
            }
        }
    }
}

/// Hash of the normalised form (the key of the lexicon).
pub fn norm_hash(form: &str) -> u64 {
    let mut h = StrHasher::default();
    norm_chars(form, |c| h.char(c));
    h.get()
}

impl Lex {
    /// The attributes of one form.
    pub fn of(form: &str) -> Lex {
        let mut lex = Lex {
            form: hash_str(form),
            ..Lex::default()
        };
        let mut norm = StrHasher::default();
        let mut pre = StrHasher::default();
        let mut ring = ['\0'; 4];
        let mut n = 0usize;
        norm_chars(form, |c| {
            norm.char(c);
            if n < 3 {
                pre.char(c);
                lex.pre[n] = pre.get();
            }
            ring[n % 4] = c;
            n += 1;
        });
        lex.norm = norm.get();
        for k in n..3 {
            lex.pre[k] = lex.pre[n.saturating_sub(1).min(2)] ^ (k as u64 + 1);
        }
        // suffixes: last k chars in order
        let mut suf = StrHasher::default();
        for k in 1..=4usize {
            if k <= n {
                // hash chars n-k .. n
                suf = StrHasher::default();
                for j in (n - k)..n {
                    suf.char(ring[j % 4]);
                }
            }
            lex.suf[k - 1] = suf.get() ^ ((k > n) as u64) << 40;
        }
        let mut shape = StrHasher::default();
        let mut last = '\0';
        let mut letters = 0;
        let mut upper = 0;
        let mut alnum = false;
        for (i, c) in form.chars().enumerate() {
            let s = shape_class(c);
            if s != last {
                shape.char(s);
                last = s;
            }
            if c.is_alphabetic() {
                letters += 1;
                if c.is_uppercase() {
                    upper += 1;
                    if i == 0 {
                        lex.flags |= F_UPPER_INIT;
                    }
                }
            }
            if c.is_alphanumeric() {
                alnum = true;
            }
            if c.is_numeric() {
                lex.flags |= F_DIGIT;
            }
            if c == '-' {
                lex.flags |= F_HYPHEN;
            }
        }
        if letters > 0 && upper == letters {
            lex.flags |= F_ALL_UPPER;
        }
        if !alnum {
            lex.flags |= F_NO_ALNUM;
        }
        if form.contains('@') || form.contains("://") || form.starts_with("www.") {
            lex.flags |= F_ADDRESS;
        }
        lex.shape = shape.get();
        lex.len = n.min(15) as u8;
        lex
    }
}

/// Per-word knowledge learnt from the training text: a cluster id and the set of tags seen.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    mask: usize,
    keys: Vec<u64>,
    vals: Vec<(u32, u64, u8)>,
}

/// One word's entry when building a [`Lexicon`].
#[derive(Debug, Clone, Copy, Default)]
pub struct LexEntry {
    /// Cluster bit string with a leading 1, or 0.
    pub cluster: u32,
    /// Tag set bits.
    pub ambig: u64,
    /// Frequency bucket.
    pub freq: u8,
}

impl Lexicon {
    /// Build from `(norm hash, entry)` pairs.
    pub fn from_entries(mut entries: Vec<(u64, LexEntry)>) -> Self {
        entries.sort_unstable_by_key(|e| e.0);
        entries.dedup_by_key(|e| e.0);
        let size = (entries.len() * 2 + 16).next_power_of_two();
        let mask = size - 1;
        let mut keys = vec![0u64; size];
        let mut vals = vec![(0, 0, 0); size];
        for (k, e) in entries {
            let mut i = (k >> 1) as usize & mask;
            while keys[i] != 0 {
                i = (i + 1) & mask;
            }
            keys[i] = k;
            vals[i] = (e.cluster, e.ambig, e.freq);
        }
        Lexicon { mask, keys, vals }
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.keys.iter().filter(|k| **k != 0).count()
    }

    /// True when no word is known.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The attributes of a form, with lexicon knowledge filled in.
    #[inline]
    pub fn lex(&self, form: &str) -> Lex {
        let mut l = Lex::of(form);
        if let Some((c, a, f)) = self.get(l.norm) {
            l.cluster = c;
            l.ambig = a;
            l.freq = f;
        }
        l
    }

    fn get(&self, key: u64) -> Option<(u32, u64, u8)> {
        if self.keys.is_empty() {
            return None;
        }
        let mut i = (key >> 1) as usize & self.mask;
        loop {
            let k = self.keys[i];
            if k == key {
                return Some(self.vals[i]);
            }
            if k == 0 {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }

    pub(crate) fn write(&self, w: &mut Writer) {
        let mut e: Vec<(u64, (u32, u64, u8))> = self
            .keys
            .iter()
            .zip(&self.vals)
            .filter(|(k, _)| **k != 0)
            .map(|(k, v)| (*k, *v))
            .collect();
        e.sort_unstable_by_key(|x| x.0);
        w.u32(e.len() as u32);
        for (k, (c, a, f)) in e {
            w.u64(k);
            w.u32(c);
            w.u64(a);
            w.u8(f);
        }
    }

    pub(crate) fn read(r: &mut Reader) -> Result<Self, Error> {
        let n = r.u32()? as usize;
        let mut v = Vec::with_capacity(n.min(1 << 24));
        for _ in 0..n {
            let k = r.u64()?;
            let cluster = r.u32()?;
            let ambig = r.u64()?;
            let freq = r.u8()?;
            if k == 0 {
                return Err(Error::Format("zero lexicon key".into()));
            }
            v.push((
                k,
                LexEntry {
                    cluster,
                    ambig,
                    freq,
                },
            ));
        }
        Ok(Lexicon::from_entries(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes() {
        let a = Lex::of("Running");
        let b = Lex::of("running");
        assert_eq!(a.norm, b.norm);
        assert_ne!(a.form, b.form);
        assert_eq!(a.suf, b.suf);
        assert_eq!(a.suf[2], Lex::of("sing").suf[2]); // "ing"
        assert_ne!(a.suf[3], Lex::of("sing").suf[3]);
        assert!(a.flags & F_UPPER_INIT != 0 && b.flags & F_UPPER_INIT == 0);
        assert_eq!(Lex::of("1,234").shape, Lex::of("5,6").shape);
        assert_eq!(Lex::of("1984").norm, Lex::of("2023").norm);
        assert_eq!(Lex::of("CIA").flags & F_ALL_UPPER, F_ALL_UPPER);
        assert!(Lex::of("...").flags & F_NO_ALNUM != 0);
        // short and empty and odd forms do not panic
        for s in ["", "a", "ab", "😀", "ǅungla", "İstanbul", "\u{0}"] {
            let _ = Lex::of(s);
        }
        assert_ne!(Lex::of("a").suf[0], Lex::of("a").suf[1]);
    }

    #[test]
    fn lexicon_round_trip() {
        let lx = Lexicon::from_entries(vec![(
            norm_hash("dog"),
            LexEntry {
                cluster: 0b101,
                ambig: 6,
                freq: 2,
            },
        )]);
        assert_eq!(lx.lex("Dog").cluster, 0b101);
        assert_eq!(lx.lex("cat").cluster, 0);
        let mut w = Writer::default();
        lx.write(&mut w);
        let b = w.into_inner();
        let back = Lexicon::read(&mut Reader::new(&b)).unwrap();
        assert_eq!(back.lex("dog").ambig, 6);
    }
}
