//! A fixture archive copied to a temporary folder, and runs of the real binary on it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A copy of `tests/fixtures/<name>` to build in.
pub struct Fixture {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

/// The result of one run of `dossier`.
pub struct Run {
    pub output: Output,
    root: PathBuf,
}

impl Fixture {
    /// Copies the named fixture (e.g. `build/basic`) into a fresh temporary folder.
    pub fn new(name: &str) -> Fixture {
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
        Fixture::copy_of(&source)
    }

    /// Copies any folder, e.g. the repository's own archive.
    pub fn copy_of(source: &Path) -> Fixture {
        let dir = tempfile::Builder::new().prefix("fixture-").tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let root = dir.path().join("site");
        copy_dir(source, &root);
        Fixture { _dir: dir, root }
    }

    /// An empty site folder.
    pub fn empty() -> Fixture {
        let dir = tempfile::Builder::new().prefix("fixture-").tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        Fixture { _dir: dir, root }
    }

    /// Runs `dossier ARGS…` in the fixture's root.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(args)
            .current_dir(&self.root)
            .env("NO_COLOR", "1")
            .env_remove("DOSSIER_BASE_URL")
            .output()
            .unwrap();
        Run { output, root: self.root.clone() }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    /// Reads an output file of `public/`.
    /// Adds `yaml` (whole lines) to the archive's `dossier.yaml`.
    pub fn add_config(&self, yaml: &str) {
        let config = std::fs::read_to_string(self.path("dossier.yaml")).unwrap_or_default();
        self.write("dossier.yaml", &format!("{config}{yaml}"));
    }

    pub fn public(&self, rel: &str) -> String {
        let path = self.path("public").join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }
}

impl Run {
    /// Asserts the run succeeded and returns itself.
    pub fn success(self) -> Self {
        assert!(self.output.status.success(), "dossier failed:\n{}", self.stderr());
        self
    }

    /// Asserts the run failed with `code`.
    pub fn failure(self, code: i32) -> Self {
        assert_eq!(self.output.status.code(), Some(code), "unexpected exit; stderr:\n{}", self.stderr());
        self
    }

    /// Standard error with the temporary root replaced by `[ROOT]`.
    pub fn stderr(&self) -> String {
        let text = String::from_utf8_lossy(&self.output.stderr).into_owned();
        text.replace(&self.root.display().to_string(), "[ROOT]")
    }
}

fn copy_dir(from: &Path, to: &Path) {
    // Build output and tool folders are not part of a site, and other tests
    // write into them while this one copies: they are not even walked.
    let skipped = |entry: &walkdir::DirEntry| {
        let name = entry.file_name().to_string_lossy();
        entry.depth() == 1 && (matches!(&*name, "target" | "public" | ".git") || name.starts_with(".public"))
    };
    for entry in walkdir::WalkDir::new(from).into_iter().filter_entry(|e| !skipped(e)) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
