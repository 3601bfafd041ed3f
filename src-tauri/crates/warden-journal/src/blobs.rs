//! The blob store: file contents named by their SHA-256, in `<journal>/blobs/ab/cdef…`.
//!
//! A blob is written to `blobs/tmp/` and renamed into place, so a blob that exists is complete;
//! equal contents are stored once. Reading verifies the hash: a damaged blob is an error, never
//! restored. Nothing is synced to disk: like the session store, the journal survives Warden
//! being killed, not the machine losing power.

use warden_disk::private;
use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use warden_core::journal::BlobHash;

/// Blob store failures.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    /// The blob is not in the store.
    #[error("the kept copy {hash} is missing ({path})")]
    Missing {
        /// The blob.
        hash: BlobHash,
        /// Where it should be.
        path: PathBuf,
    },
    /// The blob's bytes no longer hash to its name.
    #[error("the kept copy {hash} is damaged: its bytes hash to {found} ({path})")]
    Corrupt {
        /// The blob.
        hash: BlobHash,
        /// What its bytes hash to now.
        found: BlobHash,
        /// The file.
        path: PathBuf,
    },
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        source: io::Error,
    },
}

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> BlobError + '_ {
    move |source| BlobError::Io { path: path.to_owned(), source }
}

/// The SHA-256 of `bytes`, as a blob name.
pub fn hash_bytes(bytes: &[u8]) -> BlobHash {
    to_hash(Sha256::digest(bytes).as_slice())
}

fn to_hash(digest: &[u8]) -> BlobHash {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(digest.len() * 2);
    for byte in digest {
        text.push(HEX[(byte >> 4) as usize] as char);
        text.push(HEX[(byte & 0xf) as usize] as char);
    }
    BlobHash(text)
}

/// The hash and size of the file at `path`, read as a stream.
pub fn hash_file(path: &Path) -> io::Result<(BlobHash, u64)> {
    hash_copy(File::open(path)?, io::sink())
}

/// The hash and size of what is left to read in `reader`.
pub fn hash_reader(reader: impl Read) -> io::Result<(BlobHash, u64)> {
    hash_copy(reader, io::sink())
}

/// Streams `reader` into `sink`, returning the hash and length of what passed.
fn hash_copy(mut reader: impl Read, mut sink: impl Write) -> io::Result<(BlobHash, u64)> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 256 * 1024];
    let mut total = 0u64;
    loop {
        let n = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buffer[..n]);
        sink.write_all(&buffer[..n])?;
        total += n as u64;
    }
    Ok((to_hash(hasher.finalize().as_slice()), total))
}

/// The content-addressed store of one journal.
#[derive(Debug)]
pub struct BlobStore {
    root: PathBuf,
    tmp: PathBuf,
    counter: AtomicU64,
}

impl BlobStore {
    /// Opens (creating) the store in `root`. Shard folders are made when their first blob is.
    pub fn open(root: &Path) -> Result<BlobStore, BlobError> {
        let tmp = root.join("tmp");
        private::create_dir(root).map_err(io_at(root))?;
        private::create_dir(&tmp).map_err(io_at(&tmp))?;
        Ok(BlobStore { root: root.to_owned(), tmp, counter: AtomicU64::new(0) })
    }

    /// Where the blob `hash` lives.
    pub fn path_of(&self, hash: &BlobHash) -> PathBuf {
        let name = hash.as_str();
        // Hashes come from this store or its database; anything shorter is not one of ours.
        let (shard, rest) = if name.len() > 2 { name.split_at(2) } else { ("00", name) };
        self.root.join(shard).join(rest)
    }

    /// Whether the blob is stored (its integrity is checked on read).
    pub fn contains(&self, hash: &BlobHash) -> bool {
        self.path_of(hash).exists()
    }

    /// Stores `bytes` unless an equal blob exists; returns their hash.
    pub fn put(&self, bytes: &[u8]) -> Result<BlobHash, BlobError> {
        let hash = hash_bytes(bytes);
        if !self.contains(&hash) {
            let tmp = self.temp_path();
            private::create_new(&tmp).and_then(|mut out| out.write_all(bytes)).map_err(|source| {
                let _ = fs::remove_file(&tmp);
                BlobError::Io { path: tmp.clone(), source }
            })?;
            self.commit(&tmp, &hash)?;
        }
        Ok(hash)
    }

    /// Stores the content of the file at `path`, read as a stream (it may be large); returns its
    /// hash and size. A file whose content is already stored is only read, never copied.
    pub fn put_file(&self, path: &Path) -> Result<(BlobHash, u64), BlobError> {
        let mut file = File::open(path).map_err(io_at(path))?;
        self.put_open(&mut file, path)
    }

    /// Stores the content of an open file, read from its start as a stream; returns its hash
    /// and size. `path` names it in errors. Blobs are private (`0600`), whatever the file's
    /// mode was: never wider than their source.
    pub fn put_open(&self, file: &mut File, path: &Path) -> Result<(BlobHash, u64), BlobError> {
        let (hash, size) = hash_copy(&mut *file, io::sink()).map_err(io_at(path))?;
        if self.contains(&hash) {
            return Ok((hash, size));
        }
        file.seek(SeekFrom::Start(0)).map_err(io_at(path))?;
        let tmp = self.temp_path();
        let copied = (|| {
            let mut out = private::create_new(&tmp)?;
            let copied = hash_copy(&mut *file, &mut out)?;
            out.flush()?;
            Ok(copied)
        })();
        let (hash, size) = copied.map_err(|source| {
            let _ = fs::remove_file(&tmp);
            BlobError::Io { path: path.to_owned(), source }
        })?;
        // The copy's own hash names it, even if the file changed between the two reads.
        self.commit(&tmp, &hash)?;
        Ok((hash, size))
    }

    /// The blob's bytes, verified.
    pub fn get(&self, hash: &BlobHash) -> Result<Vec<u8>, BlobError> {
        let path = self.path_of(hash);
        let bytes = fs::read(&path).map_err(|source| self.read_error(hash, &path, source))?;
        let found = hash_bytes(&bytes);
        if &found != hash {
            return Err(BlobError::Corrupt { hash: hash.clone(), found, path });
        }
        Ok(bytes)
    }

    /// Writes the blob into a new file at `dest`, verifying it on the way; a damaged blob
    /// leaves no file behind.
    pub fn copy_out(&self, hash: &BlobHash, dest: &Path) -> Result<u64, BlobError> {
        let copied = private::create_new(dest)
            .map_err(io_at(dest))
            .and_then(|mut out| self.copy_into(hash, &mut out, dest));
        if copied.is_err() {
            let _ = fs::remove_file(dest);
        }
        copied
    }

    /// Writes the blob into the open, empty file `out` (named `dest` in errors), verifying it
    /// on the way. On an error the caller removes what was written.
    pub fn copy_into(&self, hash: &BlobHash, out: &mut File, dest: &Path) -> Result<u64, BlobError> {
        let path = self.path_of(hash);
        let src = File::open(&path).map_err(|source| self.read_error(hash, &path, source))?;
        let result = hash_copy(src, &mut *out).and_then(|copied| out.flush().map(|()| copied));
        match result {
            Ok((found, size)) if &found == hash => Ok(size),
            Ok((found, _)) => Err(BlobError::Corrupt { hash: hash.clone(), found, path }),
            Err(source) => Err(BlobError::Io { path: dest.to_owned(), source }),
        }
    }

    fn read_error(&self, hash: &BlobHash, path: &Path, source: io::Error) -> BlobError {
        if source.kind() == io::ErrorKind::NotFound {
            BlobError::Missing { hash: hash.clone(), path: path.to_owned() }
        } else {
            BlobError::Io { path: path.to_owned(), source }
        }
    }

    fn temp_path(&self) -> PathBuf {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        self.tmp.join(format!("{}-{n}", std::process::id()))
    }

    fn commit(&self, tmp: &Path, hash: &BlobHash) -> Result<(), BlobError> {
        let dest = self.path_of(hash);
        let renamed = fs::rename(tmp, &dest).or_else(|e| match (e.kind(), dest.parent()) {
            // The shard's first blob: make its folder (another thread may race to it) and retry.
            (io::ErrorKind::NotFound, Some(shard)) => private::create_dir(shard).and_then(|()| fs::rename(tmp, &dest)),
            _ => Err(e),
        });
        renamed.map_err(|source| {
            let _ = fs::remove_file(tmp);
            BlobError::Io { path: dest, source }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_contents_are_stored_once_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::open(dir.path()).unwrap();
        let a = store.put(b"hello").unwrap();
        let b = store.put(b"hello").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assert_eq!(store.get(&a).unwrap(), b"hello");
        assert!(store.path_of(&a).ends_with("2c/f24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"));
        let file = dir.path().join("in.bin");
        fs::write(&file, [0u8, 255, 1, 2]).unwrap();
        let (hash, size) = store.put_file(&file).unwrap();
        assert_eq!((hash.clone(), size), (hash_bytes(&[0, 255, 1, 2]), 4));
        let out = dir.path().join("out.bin");
        store.copy_out(&hash, &out).unwrap();
        assert_eq!(fs::read(out).unwrap(), [0u8, 255, 1, 2]);
        assert_eq!(fs::read_dir(dir.path().join("tmp")).unwrap().count(), 0, "no temp file left");
    }

    #[test]
    fn a_damaged_or_missing_blob_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::open(dir.path()).unwrap();
        let hash = store.put(b"precious").unwrap();
        fs::write(store.path_of(&hash), b"tampered").unwrap();
        assert!(matches!(store.get(&hash), Err(BlobError::Corrupt { .. })));
        let out = dir.path().join("out");
        assert!(matches!(store.copy_out(&hash, &out), Err(BlobError::Corrupt { .. })));
        assert!(!out.exists(), "a damaged blob leaves nothing behind");
        let unknown = hash_bytes(b"never stored");
        assert!(matches!(store.get(&unknown), Err(BlobError::Missing { .. })));
    }
}
