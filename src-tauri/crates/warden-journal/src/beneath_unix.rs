//! Unix: descriptors all the way down (see the parent module).

use super::{folder_rel, split, BeneathError, Found};
use rustix::fs::{self as rfs, AtFlags, FileType, Mode, OFlags, CWD};
use rustix::io::Errno;
use std::fs::File;
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::{Path, PathBuf};

/// A project root, held open.
#[derive(Debug)]
pub struct Beneath {
    root: OwnedFd,
    path: PathBuf,
}

/// The real folder holding one path, held open, and the path's name in it.
#[derive(Debug)]
pub struct Parent<'a> {
    beneath: &'a Beneath,
    /// The folders from the root down, each opened from the one before.
    chain: Vec<OwnedFd>,
    folders: Vec<String>,
    name: String,
    rel: String,
}

/// Where a walk to a path's folder ended.
enum Walked<'a> {
    /// At the folder.
    Reached(Parent<'a>),
    /// A folder on the way is missing (or, when not creating, a file).
    Missing,
    /// This folder on the way is a symlink (or, when creating, a file).
    Linked(String),
}

fn open_dir(at: BorrowedFd<'_>, name: &str) -> Result<OwnedFd, Errno> {
    rfs::openat(at, name, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC, Mode::empty())
}

/// What `name` in `at` is, not following a link.
fn found_at(at: BorrowedFd<'_>, name: &str) -> Result<Option<Found>, Errno> {
    match rfs::statat(at, name, AtFlags::SYMLINK_NOFOLLOW) {
        Ok(stat) => Ok(Some(match FileType::from_raw_mode(stat.st_mode) {
            FileType::RegularFile => Found::File(u32::from(stat.st_mode) & 0o7777),
            FileType::Symlink => Found::Symlink,
            _ => Found::Other,
        })),
        Err(Errno::NOENT | Errno::NOTDIR) => Ok(None),
        Err(e) => Err(e),
    }
}

impl Beneath {
    /// Opens the project root (the root itself may be reached through links: it is the folder
    /// the person chose).
    pub fn open(root: &Path) -> io::Result<Beneath> {
        let fd = rfs::open(root, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())?;
        Ok(Beneath { root: fd, path: root.to_owned() })
    }

    /// The root's path, for messages.
    pub fn root(&self) -> &Path {
        &self.path
    }

    /// The folder holding `rel`, each folder on the way opened from the one before without
    /// following a link. A missing folder is made when `create` is set, and a link (or a file)
    /// on the way is then refused. For reading (`create` unset) the answer is `None` when the
    /// path cannot name a file of the project: a folder on the way is missing, a file, or a
    /// link (what lies beyond a link is not the project's).
    pub fn parent(&self, rel: &str, create: bool) -> Result<Option<Parent<'_>>, BeneathError> {
        match self.walk(rel, create)? {
            Walked::Reached(parent) => Ok(Some(parent)),
            Walked::Missing => Ok(None),
            Walked::Linked(folder) if create => Err(BeneathError::Linked { path: rel.to_owned(), folder }),
            Walked::Linked(_) => Ok(None),
        }
    }

    /// The first folder on the way to `rel` that is a symlink (project-relative), if any.
    pub fn linked_folder(&self, rel: &str) -> Result<Option<String>, BeneathError> {
        Ok(match self.walk(rel, false)? {
            Walked::Linked(folder) => Some(folder),
            _ => None,
        })
    }

    fn walk(&self, rel: &str, create: bool) -> Result<Walked<'_>, BeneathError> {
        let (folders, name) = split(rel)?;
        let mut chain: Vec<OwnedFd> = Vec::with_capacity(folders.len());
        for (i, folder) in folders.iter().enumerate() {
            let at = chain.last().map_or(self.root.as_fd(), |fd| fd.as_fd());
            let mut opened = open_dir(at, folder);
            if matches!(opened, Err(Errno::NOENT)) && create {
                match rfs::mkdirat(at, *folder, Mode::RWXU | Mode::RWXG | Mode::RWXO) {
                    Ok(()) | Err(Errno::EXIST) => {}
                    Err(e) => return Err(self.io(&folder_rel(&folders, i), e)),
                }
                opened = open_dir(at, folder);
            }
            let e = match opened {
                Ok(fd) => {
                    chain.push(fd);
                    continue;
                }
                Err(e) => e,
            };
            let in_the_way = matches!(e, Errno::NOTDIR | Errno::LOOP);
            return match found_at(at, folder) {
                Ok(Some(Found::Symlink)) => Ok(Walked::Linked(folder_rel(&folders, i))),
                Ok(None) if !create => Ok(Walked::Missing),
                Ok(Some(Found::File(_) | Found::Other)) if in_the_way && !create => Ok(Walked::Missing),
                Ok(Some(_)) if in_the_way => Ok(Walked::Linked(folder_rel(&folders, i))),
                _ => Err(self.io(&folder_rel(&folders, i), e)),
            };
        }
        Ok(Walked::Reached(Parent {
            beneath: self,
            chain,
            folders: folders.iter().map(|f| (*f).to_owned()).collect(),
            name: name.to_owned(),
            rel: rel.to_owned(),
        }))
    }

    fn io(&self, rel: &str, e: Errno) -> BeneathError {
        BeneathError::Io { path: self.path.join(rel), source: e.into() }
    }
}

impl Parent<'_> {
    fn dir(&self) -> BorrowedFd<'_> {
        self.chain.last().map_or(self.beneath.root.as_fd(), |fd| fd.as_fd())
    }

    /// The full path, for messages.
    pub fn path(&self) -> PathBuf {
        self.beneath.path.join(&self.rel)
    }

    /// What is at the path now, its last component not followed.
    pub fn found(&self) -> io::Result<Option<Found>> {
        Ok(found_at(self.dir(), &self.name)?)
    }

    /// Opens the regular file at the path for reading; anything else there is an error.
    pub fn open_file(&self) -> io::Result<File> {
        // Non-blocking, so a FIFO swapped in cannot hang the open; regular files ignore it.
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        let file = File::from(rfs::openat(self.dir(), self.name.as_str(), flags, Mode::empty())?);
        if !file.metadata()?.is_file() {
            return Err(io::Error::other("not a regular file"));
        }
        Ok(file)
    }

    /// The target of the symlink at the path, as bytes.
    pub fn read_link(&self) -> io::Result<Vec<u8>> {
        Ok(rfs::readlinkat(self.dir(), self.name.as_str(), Vec::new())?.into_bytes())
    }

    /// Removes what is at the path (a link as a link); `false` when nothing was there.
    pub fn unlink(&self) -> io::Result<bool> {
        self.unlink_name(&self.name)
    }

    fn unlink_name(&self, name: &str) -> io::Result<bool> {
        match rfs::unlinkat(self.dir(), name, AtFlags::empty()) {
            Ok(()) => Ok(true),
            Err(Errno::NOENT) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Removes the folders on the way that are empty now, innermost first, stopping at the
    /// first that is not (the root itself is never removed).
    pub fn remove_emptied_folders(&self) {
        for i in (0..self.chain.len()).rev() {
            let at = if i == 0 { self.beneath.root.as_fd() } else { self.chain[i - 1].as_fd() };
            if rfs::unlinkat(at, self.folders[i].as_str(), AtFlags::REMOVEDIR).is_err() {
                break;
            }
        }
    }

    /// Renames `from` (a file of Warden's, outside the project) to the path, replacing what is
    /// there (a link included, which is replaced, never followed).
    pub fn rename_from(&self, from: &Path) -> io::Result<()> {
        Ok(rfs::renameat(CWD, from, self.dir(), self.name.as_str())?)
    }

    /// Creates a new private file `temp` beside the path (anything by that name is removed
    /// first: the name is ours).
    pub fn create_temp(&self, temp: &str) -> io::Result<File> {
        self.unlink_name(temp)?;
        let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        Ok(File::from(rfs::openat(self.dir(), temp, flags, Mode::RUSR | Mode::WUSR)?))
    }

    /// Creates a symlink `temp` beside the path, pointing to `target`.
    pub fn symlink_temp(&self, target: &[u8], temp: &str) -> io::Result<()> {
        self.unlink_name(temp)?;
        Ok(rfs::symlinkat(target, self.dir(), temp)?)
    }

    /// Renames `temp` beside the path to the path.
    pub fn rename_temp(&self, temp: &str) -> io::Result<()> {
        Ok(rfs::renameat(self.dir(), temp, self.dir(), self.name.as_str())?)
    }

    /// Removes `temp` beside the path, if it is there.
    pub fn remove_temp(&self, temp: &str) {
        let _ = self.unlink_name(temp);
    }
}
