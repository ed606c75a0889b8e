use super::*;

/// Every entry of a folder with its bytes (folders marked), sorted: the whole visible state.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            if e.file_type().unwrap().is_dir() {
                (format!("{name}/"), Vec::new())
            } else {
                (name, fs::read(e.path()).unwrap())
            }
        })
        .collect();
    v.sort();
    v
}

fn set(a: &str, b: &str, c: &str) -> Vec<(String, Vec<u8>)> {
    vec![
        ("identify-2025.xlsx".into(), a.as_bytes().to_vec()),
        ("schools.csv".into(), b.as_bytes().to_vec()),
        ("identify-2025.json".into(), c.as_bytes().to_vec()),
    ]
}

fn fills(outputs: Vec<(String, Vec<u8>)>) -> Vec<(String, Fill<'static>)> {
    outputs
        .into_iter()
        .map(|(n, b)| {
            let f: Fill = Box::new(move |f: &mut File| Ok(f.write_all(&b)?));
            (n, f)
        })
        .collect()
}

#[test]
fn a_set_replaces_the_previous_one_and_leaves_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("отчёт");
    write_set(&out, set("старая книга", "старый csv", "старый json")).unwrap();
    let paths = write_set(&out, set("новая книга", "новый csv", "новый json")).unwrap();
    assert_eq!(paths[1], out.join("schools.csv"));
    let mut want = set("новая книга", "новый csv", "новый json");
    want.sort();
    assert_eq!(snapshot(&out), want, "no lock file, no staging folder");
}

#[test]
fn a_fill_failing_midway_keeps_the_previous_set_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_path_buf();
    write_set(&out, set("старая книга", "старый csv", "старый json")).unwrap();
    let before = snapshot(&out);
    // The workbook and the CSV complete; the JSON stops half-way, as on a full disk.
    let mut outputs = fills(set("новая книга", "новый csv", ""));
    outputs[2].1 = Box::new(|f: &mut File| {
        f.write_all(b"{\"half\": ")?;
        Err(std::io::Error::from(std::io::ErrorKind::StorageFull).into())
    });
    let err = write_set_with(&out, outputs, Duration::ZERO).unwrap_err();
    let msg = format!("{err:#}");
    assert!(
        msg.contains("не записан (на диске не хватает места: освободите место или укажите другую папку --out), прежние файлы отчёта не изменены"),
        "{msg}"
    );
    assert!(msg.contains("identify-2025.json"), "{msg}");
    assert_eq!(snapshot(&out), before);
}

#[test]
fn an_interrupted_commit_is_completed_and_an_uncommitted_one_removed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    write_set(out, set("старая книга", "старый csv", "старый json")).unwrap();
    // A run killed after its manifest and the first rename: the workbook is new, the rest
    // waits in its staging folder.
    let killed = out.join(".shnor-tmp-999999");
    fs::create_dir(&killed).unwrap();
    fs::write(out.join("identify-2025.xlsx"), "новая книга").unwrap();
    fs::write(killed.join("schools.csv"), "новый csv").unwrap();
    fs::write(killed.join("identify-2025.json"), "новый json").unwrap();
    fs::write(
        killed.join(MANIFEST),
        "identify-2025.xlsx\nschools.csv\nidentify-2025.json\n",
    )
    .unwrap();
    // A run killed while writing: no manifest, a half file.
    let half = out.join(".shnor-tmp-999998");
    fs::create_dir(&half).unwrap();
    fs::write(half.join("identify-2025.xlsx"), "полкниги").unwrap();
    // Single-file temporaries of an older version and of a dead process.
    fs::write(out.join(".shnor-Ab12Cd.tmp"), "старый формат").unwrap();
    fs::write(out.join(".shnor-999997-5.tmp"), "мёртвый процесс").unwrap();
    // An analyst's own hidden file is not ours.
    fs::write(out.join(".заметки"), "моё").unwrap();

    // A run writing another set into the folder completes the interrupted one first.
    write_set(out, vec![("progress.csv".into(), b"p".to_vec())]).unwrap();
    let mut want = set("новая книга", "новый csv", "новый json");
    want.push((".заметки".into(), "моё".as_bytes().to_vec()));
    want.push(("progress.csv".into(), b"p".to_vec()));
    want.sort();
    assert_eq!(snapshot(out), want);
}

#[test]
fn a_manifest_cannot_move_files_out_of_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    let st = out.join(".shnor-tmp-1");
    fs::create_dir(&st).unwrap();
    fs::write(st.join(MANIFEST), "../escape\n/etc/x\n").unwrap();
    write_set(&out, set("a", "b", "c")).unwrap();
    assert!(!dir.path().join("escape").exists());
    assert!(!st.exists());
}

#[test]
fn a_held_lock_makes_the_run_stop_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    write_set(out, set("старая книга", "старый csv", "старый json")).unwrap();
    let before = snapshot(out);
    let holder = DirLock::acquire(out, Duration::ZERO).unwrap();
    let err = write_set_with(out, fills(set("x", "y", "z")), Duration::ZERO).unwrap_err();
    let msg = format!("{err:#}");
    assert!(
        msg.contains("занята: в неё сейчас записывает отчёт другой запуск shnor"),
        "{msg}"
    );
    assert!(
        msg.contains(&format!("(процесс {})", std::process::id())),
        "{msg}"
    );
    drop(holder);
    assert_eq!(snapshot(out), before, "lock file removed with its holder");
    // Free again: the next run writes.
    write_set_with(out, fills(set("x", "y", "z")), Duration::ZERO).unwrap();
}

#[test]
fn a_folder_of_parts_is_replaced_whole_and_removed_names_go() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    write_set(
        out,
        vec![
            ("identify-2025.json".into(), b"full".to_vec()),
            ("части/Север.xlsx".into(), b"old north".to_vec()),
            ("части/Юг.xlsx".into(), b"old south".to_vec()),
        ],
    )
    .unwrap();
    // The next set has one part only and no full JSON: the old folder goes with its
    // second workbook, the JSON is removed, an analyst's file stays.
    fs::write(out.join("мой.txt"), "моё").unwrap();
    let paths = write_set_replacing(
        out,
        vec![("части/Север.xlsx".into(), b"new north".to_vec())],
        &["identify-2025.json".into(), "../мой.txt".into()],
    )
    .unwrap();
    assert_eq!(paths, [out.join("части/Север.xlsx")]);
    assert_eq!(
        snapshot(out),
        [
            ("мой.txt".to_string(), "моё".as_bytes().to_vec()),
            ("части/".to_string(), Vec::new())
        ]
    );
    assert_eq!(
        snapshot(&out.join("части")),
        [("Север.xlsx".to_string(), b"new north".to_vec())]
    );
    // Removing a folder that is not there is no error.
    write_set_replacing(out, vec![], &["части".into()]).unwrap();
    assert!(!out.join("части").exists());
}

#[test]
fn an_interrupted_commit_with_a_folder_and_a_removal_is_completed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    write_set(
        out,
        vec![
            ("identify-2025.json".into(), b"full".to_vec()),
            ("части/Север.xlsx".into(), b"old".to_vec()),
        ],
    )
    .unwrap();
    // Killed after moving the old folder aside, before the new one was renamed in.
    let killed = out.join(".shnor-tmp-999999");
    fs::create_dir_all(killed.join("части")).unwrap();
    fs::write(killed.join("части/Север.xlsx"), "new").unwrap();
    fs::write(
        killed.join(MANIFEST),
        format!("части\n{REMOVE}identify-2025.json\n"),
    )
    .unwrap();
    fs::rename(out.join("части"), out.join(".shnor-tmp-old-999999")).unwrap();
    write_set(out, vec![("progress.csv".into(), b"p".to_vec())]).unwrap();
    assert_eq!(
        snapshot(out),
        [
            ("progress.csv".to_string(), b"p".to_vec()),
            ("части/".to_string(), Vec::new())
        ]
    );
    assert_eq!(
        fs::read(out.join("части/Север.xlsx")).unwrap(),
        b"new".to_vec()
    );
}
