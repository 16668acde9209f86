//! `annals analyze --actors FILE`: actors of one's own join the knowledge base, and a bad
//! file is an error that names it.

#[allow(dead_code)] // each test file uses some of the helpers
mod common;

const TEXT: &str = "Headline of the day\n\nZorvan Petrakis, the new envoy, met officials in Vienna on Friday. Petrakis said the talks went well.\n";

#[test]
fn a_user_actor_is_recognised_with_its_country_and_code() {
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("mine.toml");
    std::fs::write(
        &toml,
        "[[actor]]\nid = \"zorvan-petrakis\"\nname = \"Zorvan Petrakis\"\ntype = \"person\"\ncountry = \"GRC\"\ncameo = \"GRCGOV\"\naliases = [\"Petrakis\"]\n",
    )
    .unwrap();
    let article = dir.path().join("a.txt");
    std::fs::write(&article, TEXT).unwrap();
    let out = common::succeed(
        common::annals()
            .args(["analyze", "-q", "--format", "json", "--actors"])
            .arg(&toml)
            .arg(&article),
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let actor = v["actors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "zorvan-petrakis")
        .expect("the user's actor");
    assert_eq!(actor["country"], "GRC");
    assert_eq!(actor["cameo"], "GRCGOV");
    assert_eq!(actor["mentions"].as_array().unwrap().len(), 2);
}

#[test]
fn a_broken_actors_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("broken.toml");
    std::fs::write(&toml, "[[actor]]\nname = \n").unwrap();
    let article = dir.path().join("a.txt");
    std::fs::write(&article, TEXT).unwrap();
    let out = common::annals()
        .args(["analyze", "-q", "--actors"])
        .arg(&toml)
        .arg(&article)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken.toml"));
}
