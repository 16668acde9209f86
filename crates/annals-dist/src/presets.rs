//! The ready-made analyses: SQL over the exported tables, kept in `sql/*.sql` in this
//! crate (each file opens with what it computes), and run by `annals query --preset`.

/// A ready-made query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Preset {
    /// Each story with its documents, outlets, days and events (cooperation, conflict,
    /// mean Goldstein).
    Stories,
    /// Actor-pair cooperation and conflict by ISO week: quad class counts, mean Goldstein
    /// score, tone.
    Dyads,
    /// The most quoted speakers.
    Speakers,
    /// The annals pipeline run again on every document's text, on the executors: the
    /// events it codes.
    Reanalyze,
}

impl Preset {
    /// Every preset.
    pub const ALL: [Preset; 4] = [
        Preset::Stories,
        Preset::Dyads,
        Preset::Speakers,
        Preset::Reanalyze,
    ];

    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Stories => "stories",
            Preset::Dyads => "dyads",
            Preset::Speakers => "speakers",
            Preset::Reanalyze => "reanalyze",
        }
    }

    /// The preset of that name.
    pub fn from_name(name: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.name() == name)
    }

    /// Its SQL.
    pub fn sql(self) -> &'static str {
        match self {
            Preset::Stories => include_str!("../sql/stories.sql"),
            Preset::Dyads => include_str!("../sql/dyads.sql"),
            Preset::Speakers => include_str!("../sql/speakers.sql"),
            Preset::Reanalyze => include_str!("../sql/reanalyze.sql"),
        }
    }

    /// What it computes: the comment lines that open its SQL, joined.
    pub fn about(self) -> String {
        self.sql()
            .lines()
            .take_while(|l| l.starts_with("--"))
            .map(|l| l.trim_start_matches("--").trim())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_has_sql_and_says_what_it_does() {
        for p in Preset::ALL {
            assert_eq!(Preset::from_name(p.name()), Some(p));
            assert!(p.sql().contains("SELECT"), "{p:?}");
            assert!(p.about().len() > 40, "{p:?}");
        }
    }
}
