//! Write-then-rename, so a killed run never leaves a half-written file.

use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` through a temporary file in the same folder.
///
/// # Errors
/// When the folder is not writable.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    write_with(path, |f| f.write_all(bytes).map_err(Into::into))
}

/// Writes several outputs, each through its own temporary file; returns their paths.
///
/// # Errors
/// As [`write_bytes`]; outputs already renamed into place stay (each is whole).
pub fn write_all(
    outputs: impl IntoIterator<Item = (std::path::PathBuf, Vec<u8>)>,
) -> Result<Vec<std::path::PathBuf>> {
    let mut written = Vec::new();
    for (path, bytes) in outputs {
        write_bytes(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// Creates a temporary file next to `path`, lets `fill` write it, then renames it into place.
///
/// # Errors
/// When writing or renaming fails; the temporary file is removed.
pub fn write_with(path: &Path, fill: impl FnOnce(&mut std::fs::File) -> Result<()>) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)
        .with_context(|| format!("не удалось создать папку {}", dir.display()))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".shnor-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("не удалось создать временный файл в {}", dir.display()))?;
    fill(tmp.as_file_mut()).with_context(|| format!("не удалось записать {}", path.display()))?;
    tmp.as_file_mut().sync_all().ok();
    // Temporary files are created 0600; a report is meant to be read by colleagues too.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644)).ok();
    }
    tmp.persist(path)
        .with_context(|| format!("не удалось записать {}", path.display()))?;
    Ok(())
}
