//! Elsewhere than Unix: each folder on the way is checked with `symlink_metadata` (a link, a
//! junction or a file there is refused), then the path is used. A link swapped in between the
//! check and the use is not caught here (see the parent module).

use super::{folder_rel, split, BeneathError, Found};
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

/// A project root.
#[derive(Debug)]
pub struct Beneath {
    path: PathBuf,
}

/// The checked folder holding one path, and the path's name in it.
#[derive(Debug)]
pub struct Parent<'a> {
    beneath: &'a Beneath,
    dir: PathBuf,
    folders: Vec<String>,
    name: String,
    rel: String,
}

fn found_at(path: &Path) -> io::Result<Option<Found>> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Ok(Some(Found::Symlink)),
        Ok(meta) if meta.is_file() => Ok(Some(Found::File(if meta.permissions().readonly() { 0o444 } else { 0o644 }))),
        Ok(_) => Ok(Some(Found::Other)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

impl Beneath {
    /// The project root.
    pub fn open(root: &Path) -> io::Result<Beneath> {
        if !fs::metadata(root)?.is_dir() {
            return Err(io::Error::other("not a folder"));
        }
        Ok(Beneath { path: root.to_owned() })
    }

    /// The root's path, for messages.
    pub fn root(&self) -> &Path {
        &self.path
    }

    /// The folder holding `rel`, each folder on the way checked not to be a link; see the Unix
    /// version.
    pub fn parent(&self, rel: &str, create: bool) -> Result<Option<Parent<'_>>, BeneathError> {
        match self.walk(rel, create)? {
            Ok(parent) => Ok(Some(parent)),
            Err(Some(folder)) if create => Err(BeneathError::Linked { path: rel.to_owned(), folder }),
            Err(_) => Ok(None),
        }
    }

    /// The first folder on the way to `rel` that is a symlink (project-relative), if any.
    pub fn linked_folder(&self, rel: &str) -> Result<Option<String>, BeneathError> {
        Ok(self.walk(rel, false)?.err().flatten())
    }

    /// The parent reached, or where it was not: `Some(folder)` for a link (or, when creating,
    /// a file) in the way, `None` for a missing folder.
    #[allow(clippy::type_complexity)]
    fn walk(&self, rel: &str, create: bool) -> Result<Result<Parent<'_>, Option<String>>, BeneathError> {
        let (folders, name) = split(rel)?;
        let mut dir = self.path.clone();
        for (i, folder) in folders.iter().enumerate() {
            dir.push(folder);
            let io = |source| BeneathError::Io { path: dir.clone(), source };
            let here = || Some(folder_rel(&folders, i));
            match found_at(&dir).map_err(io)? {
                Some(Found::Other) if fs::symlink_metadata(&dir).map(|m| m.is_dir()).unwrap_or(false) => {}
                Some(Found::Symlink) => return Ok(Err(here())),
                Some(_) if create => return Ok(Err(here())),
                Some(_) => return Ok(Err(None)),
                None if create => fs::create_dir(&dir).or_else(|e| if dir.is_dir() { Ok(()) } else { Err(e) }).map_err(io)?,
                None => return Ok(Err(None)),
            }
        }
        Ok(Ok(Parent {
            beneath: self,
            dir,
            folders: folders.iter().map(|f| (*f).to_owned()).collect(),
            name: name.to_owned(),
            rel: rel.to_owned(),
        }))
    }
}

impl Parent<'_> {
    fn at(&self) -> PathBuf {
        self.dir.join(&self.name)
    }

    /// The full path, for messages.
    pub fn path(&self) -> PathBuf {
        self.beneath.path.join(&self.rel)
    }

    /// What is at the path now, its last component not followed.
    pub fn found(&self) -> io::Result<Option<Found>> {
        found_at(&self.at())
    }

    /// Opens the regular file at the path for reading.
    pub fn open_file(&self) -> io::Result<File> {
        if !matches!(self.found()?, Some(Found::File(_))) {
            return Err(io::Error::other("not a regular file"));
        }
        File::open(self.at())
    }

    /// The target of the symlink at the path, as bytes.
    pub fn read_link(&self) -> io::Result<Vec<u8>> {
        super::super::metadata::read_link_bytes(&self.at())
    }

    /// Removes what is at the path; `false` when nothing was there.
    pub fn unlink(&self) -> io::Result<bool> {
        match fs::remove_file(self.at()) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Removes the folders on the way that are empty now, innermost first.
    pub fn remove_emptied_folders(&self) {
        let mut dir = self.dir.clone();
        for _ in 0..self.folders.len() {
            if fs::remove_dir(&dir).is_err() {
                break;
            }
            dir.pop();
        }
    }

    /// Renames `from` (a file of Warden's, outside the project) to the path.
    pub fn rename_from(&self, from: &Path) -> io::Result<()> {
        fs::rename(from, self.at())
    }

    /// Creates a new file `temp` beside the path.
    pub fn create_temp(&self, temp: &str) -> io::Result<File> {
        let path = self.dir.join(temp);
        let _ = fs::remove_file(&path);
        File::options().write(true).create_new(true).open(path)
    }

    /// Creates a symlink `temp` beside the path, pointing to `target`.
    pub fn symlink_temp(&self, target: &[u8], temp: &str) -> io::Result<()> {
        let path = self.dir.join(temp);
        let _ = fs::remove_file(&path);
        super::super::metadata::make_symlink(target, &path)
    }

    /// Renames `temp` beside the path to the path.
    pub fn rename_temp(&self, temp: &str) -> io::Result<()> {
        fs::rename(self.dir.join(temp), self.at())
    }

    /// Removes `temp` beside the path, if it is there.
    pub fn remove_temp(&self, temp: &str) {
        let _ = fs::remove_file(self.dir.join(temp));
    }
}
