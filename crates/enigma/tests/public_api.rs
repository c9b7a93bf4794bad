//! The public API a Rust user sees (default features), against the committed snapshot
//! `tests/public-api.txt`, so that any change to it shows in review. After a deliberate change:
//! `UPDATE_SNAPSHOT=1 cargo test -p enigma --test public_api` rewrites the snapshot.
//!
//! The API is read from rustdoc's JSON output, which stable Rust gives with `RUSTC_BOOTSTRAP=1`
//! (no nightly toolchain needed). The JSON is read as plain JSON rather than through a crate tied
//! to one format version. rustdoc runs in a target folder of its own (`public-api` beside this
//! test's), since this test runs while `cargo test` holds the lock on its own folder.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const SNAPSHOT: &str = "tests/public-api.txt";

/// Traits the compiler implements by itself that are no promise of this crate's (unstable, and
/// different from one Rust version to the next).
const UNSTABLE_MARKERS: &[&str] = &["::Freeze", "::UnsafeUnpin", "::StructuralPartialEq"];

#[test]
fn the_public_api_matches_its_snapshot() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let api = render(&rustdoc_json(manifest));
    let text = api.iter().map(|line| format!("{line}\n")).collect::<String>();
    let path = manifest.join(SNAPSHOT);
    if std::env::var_os("UPDATE_SNAPSHOT").is_some() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let before: BTreeSet<&str> = committed.lines().collect();
    let after: BTreeSet<&str> = text.lines().collect();
    let mut diff: Vec<String> = before.difference(&after).map(|l| format!("- {l}")).collect();
    diff.extend(after.difference(&before).map(|l| format!("+ {l}")));
    assert!(
        diff.is_empty() && committed == text,
        "the public API differs from {SNAPSHOT} (if that is meant, rewrite it with \
         UPDATE_SNAPSHOT=1 cargo test -p enigma --test public_api and commit it):\n{}",
        diff.join("\n")
    );
}

/// Runs `cargo rustdoc` on this crate's library (default features) and reads its JSON.
fn rustdoc_json(manifest: &Path) -> Value {
    let target = own_target_dir();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .current_dir(manifest)
        .env("RUSTC_BOOTSTRAP", "1")
        .env_remove("RUSTDOCFLAGS")
        .args(["rustdoc", "--quiet", "-p", "enigma", "--lib", "--target-dir"])
        .arg(&target)
        .args(["--", "-Z", "unstable-options", "--output-format", "json"])
        .status()
        .expect("cargo runs");
    assert!(status.success(), "cargo rustdoc failed: {status}");
    let json = std::fs::read_to_string(target.join("doc/enigma.json")).unwrap();
    serde_json::from_str(&json).unwrap()
}

/// `<target>/public-api`, where `<target>` is the folder this test was built in.
fn own_target_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    // <target>/<profile>/deps/public_api-<hash>
    exe.ancestors().nth(3).expect("the test runs from a cargo target folder").join("public-api")
}

/// One line per public item (by every public path it has), field, variant, method, associated
/// item and trait implementation, sorted.
fn render(doc: &Value) -> Vec<String> {
    let mut api = Api { index: &doc["index"], paths: &doc["paths"], public: BTreeMap::new(), lines: BTreeSet::new() };
    let root = doc["root"].to_string();
    api.walk(&root, "enigma");
    let public: Vec<(String, String)> = api.public.iter().map(|(id, paths)| (id.clone(), paths[0].clone())).collect();
    for (id, _) in public {
        for path in api.public[&id].clone() {
            api.item(&id, &path);
        }
    }
    api.lines.into_iter().collect()
}

struct Api<'a> {
    index: &'a Value,
    paths: &'a Value,
    /// Every public path of each local item, by id (the shortest first, used to name it).
    public: BTreeMap<String, Vec<String>>,
    lines: BTreeSet<String>,
}

impl<'a> Api<'a> {
    /// The index, for as long as the JSON lives (not borrowing `self`).
    fn idx(&self) -> &'a Value {
        self.index
    }

    /// Gives a path to each item a module shows (re-exports under their public name).
    fn walk(&mut self, module: &str, prefix: &str) {
        let items = self.idx()[module]["inner"]["module"]["items"].as_array().cloned().unwrap_or_default();
        for id in items {
            let item = &self.idx()[id.to_string()];
            if let Some(reexport) = item["inner"].get("use") {
                let target = reexport["id"].to_string();
                let local = self.idx().get(&target).is_some();
                if reexport["is_glob"] == true {
                    if local {
                        self.walk(&target, prefix);
                    }
                    continue;
                }
                let path = format!("{prefix}::{}", str(&reexport["name"]));
                if local {
                    self.name(&target, &path);
                } else {
                    let source = self.path_of(&target).unwrap_or_else(|| str(&reexport["source"]).to_owned());
                    self.lines.insert(format!("pub use {path} = {source}"));
                }
            } else {
                self.name(&id.to_string(), &format!("{prefix}::{}", str(&item["name"])));
            }
        }
    }

    fn name(&mut self, id: &str, path: &str) {
        let paths = self.public.entry(id.to_owned()).or_default();
        paths.push(path.to_owned());
        paths.sort_by_key(|p| (p.len(), p.clone()));
        if self.idx()[id]["inner"].get("module").is_some() {
            self.walk(id, path);
        }
    }

    /// The lines of one item at one of its paths.
    fn item(&mut self, id: &str, path: &str) {
        let item = &self.idx()[id];
        let inner = &item["inner"];
        let marks = if item["attrs"].to_string().contains("non_exhaustive") { "#[non_exhaustive] " } else { "" };
        let (kind, body) = inner.as_object().and_then(|o| o.iter().next()).expect("an item has one kind");
        let line = match kind.as_str() {
            "module" => format!("pub mod {path}"),
            "struct" => {
                let generics = self.generics(&body["generics"]);
                let fields = &body["kind"];
                if let Some(tuple) = fields.get("tuple") {
                    let types: Vec<String> = tuple
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|f| {
                            if f.is_null() {
                                "_".to_owned()
                            } else {
                                self.ty(&self.idx()[f.to_string()]["inner"]["struct_field"])
                            }
                        })
                        .collect();
                    format!("{marks}pub struct {path}{generics}({})", types.join(", "))
                } else {
                    for field in fields["plain"]["fields"].as_array().into_iter().flatten() {
                        self.field(&field.to_string(), path);
                    }
                    format!("{marks}pub struct {path}{generics}")
                }
            }
            "enum" => {
                for variant in body["variants"].as_array().into_iter().flatten() {
                    self.variant(&variant.to_string(), path);
                }
                format!("{marks}pub enum {path}{}", self.generics(&body["generics"]))
            }
            "function" => self.function(body, path),
            "constant" => format!("pub const {path}: {}", self.ty(&body["type"])),
            "static" => format!("pub static {path}: {}", self.ty(&body["type"])),
            "type_alias" => format!("pub type {path}{} = {}", self.generics(&body["generics"]), self.ty(&body["type"])),
            "trait" => {
                for member in body["items"].as_array().into_iter().flatten() {
                    self.member(&member.to_string(), path);
                }
                format!("pub trait {path}{}", self.generics(&body["generics"]))
            }
            other => format!("pub {other} {path}"),
        };
        self.lines.insert(line);
        for imp in body["impls"].as_array().into_iter().flatten() {
            self.implementation(&imp.to_string(), path);
        }
    }

    fn field(&mut self, id: &str, owner: &str) {
        let field = &self.idx()[id];
        let line = format!("pub {owner}::{}: {}", str(&field["name"]), self.ty(&field["inner"]["struct_field"]));
        self.lines.insert(line);
    }

    fn variant(&mut self, id: &str, owner: &str) {
        let variant = &self.idx()[id];
        let name = format!("{owner}::{}", str(&variant["name"]));
        let kind = &variant["inner"]["variant"]["kind"];
        let shape = if let Some(tuple) = kind.get("tuple") {
            let types: Vec<String> = tuple
                .as_array()
                .into_iter()
                .flatten()
                .map(|f| {
                    if f.is_null() {
                        "_".to_owned()
                    } else {
                        self.ty(&self.idx()[f.to_string()]["inner"]["struct_field"])
                    }
                })
                .collect();
            format!("({})", types.join(", "))
        } else if let Some(fields) = kind.get("struct") {
            for field in fields["fields"].as_array().into_iter().flatten() {
                self.field(&field.to_string(), &name);
            }
            String::new()
        } else {
            String::new()
        };
        self.lines.insert(format!("pub {name}{shape}"));
    }

    /// An inherent impl's public items, or the line of a trait impl (blanket impls left out).
    fn implementation(&mut self, id: &str, owner: &str) {
        let imp = &self.idx()[id]["inner"]["impl"];
        if !imp["blanket_impl"].is_null() {
            return;
        }
        if imp["trait"].is_null() {
            for member in imp["items"].as_array().into_iter().flatten() {
                if self.idx()[member.to_string()]["visibility"] == "public" {
                    self.member(&member.to_string(), owner);
                }
            }
        } else {
            let name = self.path(&imp["trait"]);
            // Internal markers of the compiler, which come and go with its versions.
            if UNSTABLE_MARKERS.iter().any(|marker| name.ends_with(marker)) {
                return;
            }
            let negative = if imp["is_negative"] == true { "!" } else { "" };
            let generics = self.generics(&imp["generics"]);
            let line = format!("impl{generics} {negative}{name} for {}", self.ty(&imp["for"]));
            self.lines.insert(line);
        }
    }

    /// A method, associated constant or type at `owner::name`.
    fn member(&mut self, id: &str, owner: &str) {
        let item = &self.idx()[id];
        let path = format!("{owner}::{}", str(&item["name"]));
        let (kind, body) = item["inner"].as_object().and_then(|o| o.iter().next()).expect("an item has one kind");
        let line = match kind.as_str() {
            "function" => self.function(body, &path),
            "assoc_const" => format!("pub const {path}: {}", self.ty(&body["type"])),
            "assoc_type" => format!("pub type {path}"),
            other => format!("pub {other} {path}"),
        };
        self.lines.insert(line);
    }

    fn function(&self, body: &Value, path: &str) -> String {
        let header = &body["header"];
        let mut qualifiers = String::new();
        for (flag, word) in [("is_const", "const "), ("is_async", "async "), ("is_unsafe", "unsafe ")] {
            if header[flag] == true {
                qualifiers.push_str(word);
            }
        }
        let sig = &body["sig"];
        let inputs: Vec<String> = sig["inputs"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|input| {
                let (name, ty) = (str(&input[0]), &input[1]);
                match (name, self.ty(ty).as_str()) {
                    ("self", "Self") => "self".to_owned(),
                    ("self", "&Self") => "&self".to_owned(),
                    ("self", "&mut Self") => "&mut self".to_owned(),
                    (_, ty) => format!("{name}: {ty}"),
                }
            })
            .collect();
        let output = if sig["output"].is_null() { String::new() } else { format!(" -> {}", self.ty(&sig["output"])) };
        let generics = self.generics(&body["generics"]);
        let wheres = self.wheres(&body["generics"]);
        format!("pub {qualifiers}fn {path}{generics}({}){output}{wheres}", inputs.join(", "))
    }

    /// `<T: Bound, 'a>` (the generics of `impl Trait` arguments left out).
    fn generics(&self, generics: &Value) -> String {
        let params: Vec<String> = generics["params"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|param| {
                let name = str(&param["name"]);
                let kind = &param["kind"];
                if let Some(ty) = kind.get("type") {
                    if ty["is_synthetic"] == true {
                        return None;
                    }
                    Some(format!("{name}{}", self.bounds_after(&ty["bounds"])))
                } else if let Some(constant) = kind.get("const") {
                    Some(format!("const {name}: {}", self.ty(&constant["type"])))
                } else {
                    Some(name.to_owned())
                }
            })
            .collect();
        if params.is_empty() { String::new() } else { format!("<{}>", params.join(", ")) }
    }

    fn wheres(&self, generics: &Value) -> String {
        let predicates: Vec<String> = generics["where_predicates"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| match p.get("bound_predicate") {
                Some(bound) => format!("{}{}", self.ty(&bound["type"]), self.bounds_after(&bound["bounds"])),
                None => p.to_string(),
            })
            .collect();
        if predicates.is_empty() { String::new() } else { format!(" where {}", predicates.join(", ")) }
    }

    /// `: A + B`, or nothing.
    fn bounds_after(&self, bounds: &Value) -> String {
        let bounds = self.bounds(bounds);
        if bounds.is_empty() { String::new() } else { format!(": {bounds}") }
    }

    fn bounds(&self, bounds: &Value) -> String {
        let rendered: Vec<String> = bounds
            .as_array()
            .into_iter()
            .flatten()
            .map(|bound| {
                if let Some(tb) = bound.get("trait_bound") {
                    let maybe = if tb["modifier"] == "maybe" { "?" } else { "" };
                    format!("{maybe}{}", self.path(&tb["trait"]))
                } else if let Some(lifetime) = bound.get("outlives") {
                    str(lifetime).to_owned()
                } else {
                    bound.to_string()
                }
            })
            .collect();
        rendered.join(" + ")
    }

    /// A path with its generic arguments, named by its public path when it has one.
    fn path(&self, path: &Value) -> String {
        let id = path["id"].to_string();
        let name = match self.public.get(&id) {
            Some(paths) => paths[0].clone(),
            None => self.path_of(&id).unwrap_or_else(|| str(&path["path"]).to_owned()),
        };
        format!("{name}{}", self.args(&path["args"]))
    }

    /// The full path rustdoc knows for an item of any crate.
    fn path_of(&self, id: &str) -> Option<String> {
        let segments = self.paths.get(id)?["path"].as_array()?;
        Some(segments.iter().map(str).collect::<Vec<_>>().join("::"))
    }

    fn args(&self, args: &Value) -> String {
        if let Some(angle) = args.get("angle_bracketed") {
            let mut parts: Vec<String> = angle["args"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|arg| match (arg.get("type"), arg.get("lifetime"), arg.get("const")) {
                    (Some(ty), _, _) => self.ty(ty),
                    (_, Some(lifetime), _) => str(lifetime).to_owned(),
                    (_, _, Some(constant)) => str(&constant["expr"]).to_owned(),
                    _ => arg.to_string(),
                })
                .collect();
            for constraint in angle["constraints"].as_array().into_iter().flatten() {
                let name = str(&constraint["name"]);
                let binding = &constraint["binding"];
                parts.push(match (binding.get("equality"), binding.get("constraint")) {
                    (Some(eq), _) => format!("{name} = {}", self.ty(eq.get("type").unwrap_or(eq))),
                    (_, Some(bounds)) => format!("{name}: {}", self.bounds(bounds)),
                    _ => constraint.to_string(),
                });
            }
            if parts.is_empty() { String::new() } else { format!("<{}>", parts.join(", ")) }
        } else if let Some(paren) = args.get("parenthesized") {
            let inputs: Vec<String> = paren["inputs"].as_array().into_iter().flatten().map(|t| self.ty(t)).collect();
            let output =
                if paren["output"].is_null() { String::new() } else { format!(" -> {}", self.ty(&paren["output"])) };
            format!("({}){output}", inputs.join(", "))
        } else {
            String::new()
        }
    }

    fn ty(&self, ty: &Value) -> String {
        let Some((kind, body)) = ty.as_object().and_then(|o| o.iter().next()) else {
            return str(ty).to_owned(); // "infer"
        };
        match kind.as_str() {
            "resolved_path" => self.path(body),
            "generic" | "primitive" => str(body).to_owned(),
            "borrowed_ref" => {
                let lifetime = body["lifetime"].as_str().map(|l| format!("{l} ")).unwrap_or_default();
                let mutable = if body["is_mutable"] == true { "mut " } else { "" };
                format!("&{lifetime}{mutable}{}", self.ty(&body["type"]))
            }
            "raw_pointer" => {
                let mutable = if body["is_mutable"] == true { "mut" } else { "const" };
                format!("*{mutable} {}", self.ty(&body["type"]))
            }
            "tuple" => {
                let types: Vec<String> = body.as_array().into_iter().flatten().map(|t| self.ty(t)).collect();
                format!("({})", types.join(", "))
            }
            "slice" => format!("[{}]", self.ty(body)),
            "array" => format!("[{}; {}]", self.ty(&body["type"]), str(&body["len"])),
            "impl_trait" => format!("impl {}", self.bounds(body)),
            "dyn_trait" => {
                let mut traits: Vec<String> =
                    body["traits"].as_array().into_iter().flatten().map(|t| self.path(&t["trait"])).collect();
                if let Some(lifetime) = body["lifetime"].as_str() {
                    traits.push(lifetime.to_owned());
                }
                format!("dyn {}", traits.join(" + "))
            }
            "qualified_path" => {
                let trait_ =
                    if body["trait"].is_null() { String::new() } else { format!(" as {}", self.path(&body["trait"])) };
                format!("<{}{trait_}>::{}{}", self.ty(&body["self_type"]), str(&body["name"]), self.args(&body["args"]))
            }
            _ => ty.to_string(),
        }
    }
}

fn str(value: &Value) -> &str {
    value.as_str().unwrap_or("?")
}
