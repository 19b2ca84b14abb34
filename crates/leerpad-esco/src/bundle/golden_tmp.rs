use super::read_bundle;
use std::hash::{Hash, Hasher};
use std::path::Path;

fn check(name: &str, text: &str) {
    let path = format!("/tmp/golden/{name}.txt");
    match std::fs::read_to_string(&path) {
        Ok(old) => assert!(old == text, "{name} differs from golden"),
        Err(_) => std::fs::write(&path, text).expect("write golden"),
    }
}

fn run(dir: &Path) -> String {
    let calls = std::cell::RefCell::new(Vec::new());
    let r = read_bundle(dir, &|f, n| calls.borrow_mut().push(format!("{f}:{n}")));
    let text = match r {
        Ok((data, report)) => format!("{data:?}\n{report:?}"),
        Err(e) => format!("ERR {e} {e:?}"),
    };
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    format!(
        "{} {:x} {}\n{}\n",
        text.len(),
        h.finish(),
        text.chars().take(3000).collect::<String>(),
        calls.borrow().join(",")
    )
}

#[test]
fn golden_esco() {
    let src = Path::new("/work/shared/data/esco");
    let mut out = run(src);
    let names: Vec<String> = std::fs::read_dir(src)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let mut names = names;
    names.sort();
    // Variants: drop a file, corrupt a file.
    for (i, victim) in names.iter().enumerate() {
        if i % 3 != 0 {
            continue;
        }
        let dir = tempfile::tempdir().expect("tmp");
        for n in &names {
            if n != victim {
                std::fs::copy(src.join(n), dir.path().join(n)).expect("copy");
            }
        }
        out.push_str(&format!("-- without {victim}\n"));
        out.push_str(&run(dir.path()));
        // Corrupt: truncate victim's header / bad row.
        let text = std::fs::read_to_string(src.join(victim)).expect("read");
        let mut lines: Vec<&str> = text.lines().collect();
        if lines.len() > 3 {
            lines.insert(3, "a,b");
        }
        std::fs::write(dir.path().join(victim), lines.join("\n")).expect("w");
        out.push_str(&format!("-- bad row {victim}\n"));
        out.push_str(&run(dir.path()));
        let header: String = text
            .lines()
            .next()
            .unwrap_or("")
            .replace("conceptUri", "x")
            .replace("relationType", "y")
            .replace("Uri", "Z");
        let body: Vec<&str> = text.lines().skip(1).collect();
        std::fs::write(
            dir.path().join(victim),
            format!("{header}\n{}", body.join("\n")),
        )
        .expect("w");
        out.push_str(&format!("-- bad header {victim}\n"));
        out.push_str(&run(dir.path()));
    }
    check("esco", &out);
}
