//! Making files and folders read-only or full in a way that also stops root (tests run as root
//! in CI, where permission bits stop nobody), and undoing it when the guard drops.

#![allow(dead_code)]

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn is_root() -> bool {
    std::fs::metadata("/proc/self").map(|m| m.uid() == 0).unwrap_or(false)
}

fn run(cmd: &str, args: &[&str], path: &Path) -> bool {
    Command::new(cmd).args(args).arg(path).output().is_ok_and(|o| o.status.success())
}

/// How a path was made read-only, said in the test output so the evidence is clear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    /// `chattr +i`: not even root may write it (or, for a folder, create files in it).
    Immutable,
    /// A read-only bind mount of the path over itself.
    ReadOnlyMount,
    /// Permission bits: enough when not root.
    Permissions,
}

/// Undoes the lock on drop, so the temporary folder can be removed.
pub struct ReadOnly {
    path: PathBuf,
    pub how: Lock,
    mode: u32,
}

impl ReadOnly {
    /// Read-only by `chattr +i` (root), else by permission bits (not root).
    pub fn immutable(path: &Path) -> ReadOnly {
        let mode = std::fs::metadata(path).unwrap().permissions().mode();
        let how = if !is_root() {
            let ro = if path.is_dir() { 0o555 } else { 0o444 };
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(ro)).unwrap();
            Lock::Permissions
        } else if run("chattr", &["+i"], path) {
            Lock::Immutable
        } else {
            return ReadOnly::mounted(path);
        };
        ReadOnly { path: path.to_path_buf(), how, mode }
    }

    /// A read-only bind mount (root), else permission bits.
    pub fn mounted(path: &Path) -> ReadOnly {
        let mode = std::fs::metadata(path).unwrap().permissions().mode();
        if !is_root() {
            let mut r = ReadOnly::immutable(path);
            r.mode = mode;
            return r;
        }
        let p = path.to_str().unwrap();
        assert!(run("mount", &["--bind", p], path), "mount --bind {p} failed");
        assert!(run("mount", &["-o", "remount,ro,bind"], path), "remount read-only failed");
        ReadOnly { path: path.to_path_buf(), how: Lock::ReadOnlyMount, mode }
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        match self.how {
            Lock::Immutable => {
                run("chattr", &["-i"], &self.path);
            }
            Lock::ReadOnlyMount => {
                run("umount", &[], &self.path);
            }
            Lock::Permissions => {}
        }
        let _ = std::fs::set_permissions(&self.path, std::fs::Permissions::from_mode(self.mode));
    }
}

/// A small tmpfs mounted on `dir` (root only); unmounted on drop.
pub struct Tmpfs {
    pub dir: PathBuf,
}

impl Tmpfs {
    /// `None` when this process cannot mount (not root): the caller says so and counts it.
    pub fn mount(dir: &Path, size_kib: u32) -> Option<Tmpfs> {
        if !is_root() {
            return None;
        }
        std::fs::create_dir_all(dir).unwrap();
        let size = format!("size={size_kib}k");
        let ok = Command::new("mount").args(["-t", "tmpfs", "-o", &size, "tmpfs"]).arg(dir).status();
        assert!(ok.is_ok_and(|s| s.success()), "mount -t tmpfs failed although running as root");
        Some(Tmpfs { dir: dir.to_path_buf() })
    }

    /// Fills the file system until at most `leave_kib` KiB are free.
    pub fn fill(&self, leave_kib: u64) {
        let out = Command::new("df").args(["-k", "--output=avail"]).arg(&self.dir).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let avail: u64 = text.lines().nth(1).unwrap().trim().parse().unwrap();
        let bytes = avail.saturating_sub(leave_kib) * 1024;
        // Writing past the end just fails; what matters is that the space is taken.
        let _ = std::fs::write(self.dir.join("filler"), vec![0u8; usize::try_from(bytes).unwrap()]);
    }

    pub fn free(&self) {
        std::fs::remove_file(self.dir.join("filler")).unwrap();
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.dir).status();
    }
}
