//! Command-line arguments (clap derive): one `Args` struct per command.

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Dossier: annotated briefing archives, rendered as fast static sites.
#[derive(Debug, Parser)]
#[command(name = "dossier", version, about)]
pub struct Cli {
    /// Print only warnings and errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print the time each stage took.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render the archive into a static site.
    Build(BuildArgs),
    /// Turn raw source articles (.txt, .html, .md) into briefings.
    Import(ImportArgs),
    /// Find problems: broken links, lost annotations, missing profiles, duplicates.
    Check(CheckArgs),
    /// Attach a note to a passage of a briefing.
    Annotate(AnnotateArgs),
    /// Exchange notes with web annotation tools (W3C Web Annotation JSON-LD).
    #[command(subcommand)]
    Annotations(AnnotationsCommand),
    /// Rebuild the site whenever a source changes, redoing only what changed.
    Watch(WatchArgs),
    /// Build, serve on localhost, rebuild on every change and reload the browser.
    Serve(ServeArgs),
    /// Start a briefing, actor or topic file from a template.
    New(NewArgs),
    /// Create a new archive: dossier.yaml, the default theme and an example of each kind of content.
    Init(InitArgs),
}

/// Options of `dossier new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// What to create.
    #[arg(value_enum)]
    pub kind: NewKind,
    /// The briefing's title, or the actor's or topic's name.
    pub name: String,
    /// The kind of actor.
    #[arg(long, value_enum, default_value = "person")]
    pub actor_kind: ActorKindArg,
    /// The site folder, holding `content/`.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

/// The kinds of content `dossier new` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NewKind {
    Briefing,
    Actor,
    Topic,
}

/// `--actor-kind` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ActorKindArg {
    Person,
    State,
    Organization,
    Group,
}

/// Options of `dossier init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create the archive in; it must not exist or be empty.
    pub dir: PathBuf,
}

/// `dossier annotations …`.
#[derive(Debug, Subcommand)]
pub enum AnnotationsCommand {
    /// Write every note of the archive as a W3C AnnotationCollection.
    Export(ExportArgs),
    /// Add the notes of a W3C Web Annotation file to the briefings they target.
    Import(ImportNotesArgs),
}

/// Options of `dossier annotations export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The file to write [default: standard output].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The URL the site is published at, replacing `base_url` from dossier.yaml.
    #[arg(long, env = "DOSSIER_BASE_URL")]
    pub base_url: Option<String>,
    /// The site folder, holding `content/` and `dossier.yaml`.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

/// Options of `dossier annotations import`.
#[derive(Debug, Args)]
pub struct ImportNotesArgs {
    /// A JSON(-LD) file: an Annotation, a list, an AnnotationPage or an AnnotationCollection.
    pub file: PathBuf,
    /// The site folder, holding `content/`.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

/// Options of `dossier annotate`.
#[derive(Debug, Args)]
pub struct AnnotateArgs {
    /// The briefing's slug: its file name under `content/briefings/` without `.md`.
    pub slug: String,
    /// The exact passage, as the page shows it (whitespace and curly quotes may differ).
    #[arg(long)]
    pub quote: String,
    /// The note, in Markdown.
    #[arg(long)]
    pub note: String,
    /// A tag for the note; repeat for more.
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// The words just before the passage, when it occurs more than once.
    #[arg(long)]
    pub prefix: Option<String>,
    /// The words just after the passage, when it occurs more than once.
    #[arg(long)]
    pub suffix: Option<String>,
    #[arg(long, env = "DOSSIER_AUTHOR")]
    pub author: Option<String>,
    /// The note's date [default: today].
    #[arg(long)]
    pub date: Option<NaiveDate>,
    /// The site folder, holding `content/`.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

/// Options of `dossier check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site folder, holding `content/` and `dossier.yaml`.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Check briefings marked `draft: true` as well.
    #[arg(long)]
    pub drafts: bool,
    /// `text` for people, `json` for tools (printed on standard output).
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

/// How a command prints what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Options of `dossier build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site folder, holding `content/` and `dossier.yaml`.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site [default: ROOT/public].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The URL the site is published at, replacing `base_url` from dossier.yaml.
    #[arg(long, env = "DOSSIER_BASE_URL")]
    pub base_url: Option<String>,
    /// Include briefings marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

/// Options of `dossier watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub build: BuildArgs,
    /// Import new files saved into `sources/` instead of only mentioning them.
    #[arg(long)]
    pub import: bool,
}

/// Options of `dossier serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The site folder, holding `content/` and `dossier.yaml`.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site [default: ROOT/public].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The address to listen on; only this machine can connect by default.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// The port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Include briefings marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Import new files saved into `sources/` instead of only mentioning them.
    #[arg(long)]
    pub import: bool,
}

/// Options of `dossier import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Source files, or folders to search for .txt, .html and .md files.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The site folder, holding `content/` and `dossier.yaml`.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The articles' date (YYYY-MM-DD), used in place of one the text states.
    #[arg(long)]
    pub date: Option<NaiveDate>,
    /// Show what would change, as a diff; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print a profile stub for every name no actor profile knows yet.
    #[arg(long)]
    pub suggest_actors: bool,
}
