//! End-to-end tests: the real `dossier` binary on fixture archives.

mod annotations;
mod browser;
mod build;
mod bundled;
mod charts;
mod check;
mod chrome;
mod deploy;
mod errors;
mod fixture;
mod generated;
mod import;
mod live;
mod scaffold;
mod search;
mod serve;
mod served;
mod site_check;
mod theme;
