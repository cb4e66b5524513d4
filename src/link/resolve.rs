//! Resolves the actor and topic names a briefing gives (slug, name or alias)
//! to one entry each; names without a profile become entries of their own.

use crate::error::{Error, Location, Result};
use crate::model::{Actor, ActorKind, Slug, Topic};
use std::collections::HashMap;
use std::path::Path;

/// An actor or topic as the site shows it: from a profile or only named in briefings.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub slug: Slug,
    pub name: String,
    /// Only actors have a kind, and only when their profile gives one.
    pub kind: Option<ActorKind>,
    /// Index of the profile in the archive, when there is one.
    pub profile: Option<usize>,
    /// Strings that count as a mention in text (the name first).
    pub aliases: Vec<String>,
}

/// Looks up actors or topics by any of the names they are known by.
#[derive(Debug, Default)]
pub struct Resolver {
    pub terms: Vec<Term>,
    by_key: HashMap<String, usize>,
}

impl Resolver {
    /// Indexes actor profiles by slug, name and aliases; two profiles claiming
    /// the same alias is an error, since mentions would become ambiguous.
    pub fn for_actors(actors: &[Actor]) -> Result<Resolver> {
        let terms = actors
            .iter()
            .enumerate()
            .map(|(i, a)| Term {
                slug: a.slug.clone(),
                name: a.name.clone(),
                kind: a.kind,
                profile: Some(i),
                aliases: std::iter::once(a.name.clone()).chain(a.aliases.iter().cloned()).collect(),
            })
            .collect();
        let paths: Vec<&Path> = actors.iter().map(|a| a.path.as_path()).collect();
        Resolver::index(terms, &paths)
    }

    /// Indexes topic profiles by slug and name.
    pub fn for_topics(topics: &[Topic]) -> Result<Resolver> {
        let terms = topics
            .iter()
            .enumerate()
            .map(|(i, t)| Term {
                slug: t.slug.clone(),
                name: t.name.clone(),
                kind: None,
                profile: Some(i),
                aliases: vec![t.name.clone()],
            })
            .collect();
        let paths: Vec<&Path> = topics.iter().map(|t| t.path.as_path()).collect();
        Resolver::index(terms, &paths)
    }

    fn index(terms: Vec<Term>, paths: &[&Path]) -> Result<Resolver> {
        let mut resolver = Resolver { terms: Vec::new(), by_key: HashMap::new() };
        let mut errors = Vec::new();
        for (i, term) in terms.iter().enumerate() {
            let keys: std::collections::BTreeSet<String> = std::iter::once(term.slug.as_str().to_string())
                .chain(term.aliases.iter().flat_map(|a| [a.to_lowercase(), Slug::from_text(a).to_string()]))
                .collect();
            for key in keys {
                match resolver.by_key.get(&key) {
                    Some(&other) if other != i => errors.push(
                        Error::with_help(
                            format!("`{key}` also names `{}`", paths[other].display()),
                            "a name or alias may belong to one profile only; remove it from one of them",
                        )
                        .at(Location::new(paths[i], 0, 0)),
                    ),
                    Some(_) => {}
                    None => {
                        resolver.by_key.insert(key, i);
                    }
                }
            }
        }
        resolver.terms = terms;
        if errors.is_empty() { Ok(resolver) } else { Err(Error::many(errors)) }
    }

    /// The entry `reference` names, created without a profile when unknown;
    /// `None` when the reference has no letters or digits at all.
    pub fn resolve(&mut self, reference: &str) -> Option<usize> {
        let reference = reference.trim();
        let slug = match self.find(reference)? {
            Found::Known(i) => return Some(i),
            Found::New(slug) => slug,
        };
        let i = self.terms.len();
        self.by_key.insert(slug.to_string(), i);
        self.by_key.insert(reference.to_lowercase(), i);
        self.terms.push(Term {
            slug,
            name: reference.to_string(),
            kind: None,
            profile: None,
            aliases: vec![reference.to_string()],
        });
        Some(i)
    }
}

/// What a reference names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// An entry the resolver knows.
    Known(usize),
    /// An entry of its own, without a profile, by its slug.
    New(Slug),
}

impl Resolver {
    /// What `reference` names, without making an entry of it; `None` when
    /// it has no letters or digits. An entry without a profile is known by
    /// its slug: so a reference names the same entry whatever was resolved
    /// before it, and only the entry's name, its first spelling, depends on
    /// the order.
    pub fn find(&self, reference: &str) -> Option<Found> {
        let reference = reference.trim();
        if let Some(&i) = self.by_key.get(&reference.to_lowercase()) {
            return Some(Found::Known(i));
        }
        let slug = Slug::from_text(reference);
        if slug.is_empty() {
            return None;
        }
        Some(match self.by_key.get(slug.as_str()) {
            Some(&i) => Found::Known(i),
            None => Found::New(slug),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn actor(slug: &str, name: &str, aliases: &[&str]) -> Actor {
        Actor {
            slug: Slug::from_text(slug),
            path: PathBuf::from(format!("content/actors/{slug}.md")),
            name: name.into(),
            kind: Some(ActorKind::Person),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            role: None,
            description: None,
            body: String::new(),
            body_line: 1,
        }
    }

    #[test]
    fn slug_name_and_alias_resolve_to_one_actor() {
        let mut r = Resolver::for_actors(&[
            actor("nato", "NATO", &["North Atlantic Treaty Organization"]),
            actor("volodymyr-zelenskyy", "Volodymyr Zelenskyy", &["Zelensky", "Zelenskyy"]),
        ])
        .unwrap();
        assert_eq!(r.resolve("nato"), Some(0));
        assert_eq!(r.resolve("NATO"), Some(0));
        assert_eq!(r.resolve("Zelensky"), Some(1));
        assert_eq!(r.resolve("volodymyr-zelenskyy"), Some(1));
        assert_eq!(r.resolve("Volodymyr Zelenskyy"), Some(1));
    }

    #[test]
    fn unknown_names_become_their_own_entry_once() {
        let mut r = Resolver::for_actors(&[]).unwrap();
        let first = r.resolve("Keir Giles").unwrap();
        assert_eq!(r.resolve("keir-giles"), Some(first));
        assert_eq!(r.terms[first].profile, None);
        assert_eq!(r.terms[first].slug.as_str(), "keir-giles");
        assert_eq!(r.resolve("  "), None);
    }

    #[test]
    fn shared_alias_is_an_error() {
        let result = Resolver::for_actors(&[actor("a", "A", &["Kremlin"]), actor("b", "B", &["Kremlin"])]);
        assert!(result.unwrap_err().to_string().contains("`kremlin` also names"));
    }
}
