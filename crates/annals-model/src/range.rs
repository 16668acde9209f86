use serde::{Deserialize, Serialize};

/// A half-open byte range `[start, end)` into a document's clean body.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct TextRange {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl TextRange {
    /// A range from `start` to `end`; panics in debug builds when `end < start`.
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "range {start}..{end} is reversed");
        Self {
            start: start as u32,
            end: end as u32,
        }
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    /// True when the range holds no byte.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The text this range covers; empty when it lies outside `text` or off a char boundary.
    pub fn slice(self, text: &str) -> &str {
        text.get(self.start as usize..self.end as usize)
            .unwrap_or("")
    }

    /// True when `other` lies wholly inside this range.
    pub fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// As a `usize` range, for slicing.
    pub fn as_usize(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}
