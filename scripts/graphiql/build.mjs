// Copies the pinned GraphiQL, React and ReactDOM browser builds from an
// `npm ci` install into cms/static/graphiql/vendor/ (run by
// `make graphiql-assets`; the copy is committed so a clone works offline).
//
// Two changes are made to the upstream files, both so that the page runs
// under a Content-Security-Policy of 'self' and collectstatic works:
// - the fonts and images that graphiql.min.css inlines as data: URLs are
//   written out as files and the stylesheet points at them;
// - the sourceMappingURL comments are dropped (the maps are not vendored, and
//   ManifestStaticFilesStorage refuses to collect a file whose map is absent).
//
// Usage: node build.mjs <node_modules directory> <output directory>

import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const [modules, out] = process.argv.slice(2);
if (!modules || !out) {
  console.error("usage: node build.mjs <node_modules> <output directory>");
  process.exit(2);
}
const here = path.dirname(new URL(import.meta.url).pathname);
const pins = JSON.parse(
  fs.readFileSync(path.join(here, "package.json"), "utf8"),
).dependencies;

const sha256 = (data) => createHash("sha256").update(data).digest("hex");
const read = (...parts) => fs.readFileSync(path.join(modules, ...parts));
const version = (name) =>
  JSON.parse(read(name, "package.json").toString()).version;

for (const name of ["graphiql", "react", "react-dom"]) {
  if (version(name) !== pins[name]) {
    throw new Error(`${name} ${version(name)} installed, ${pins[name]} pinned`);
  }
}

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(path.join(out, "assets"), { recursive: true });
const files = {};
const sources = {};

function write(name, data, source) {
  fs.writeFileSync(path.join(out, name), data);
  files[name] = sha256(data);
  if (source) {
    const [pkg, file, change] = source;
    sources[name] = {
      package: `${pkg}@${version(pkg)}`,
      file,
      sha256: sha256(read(pkg, file)),
      change,
    };
  }
}

const MAP_JS = /\n\/\/# sourceMappingURL=\S+\s*$/;
const MAP_CSS = /\n\/\*# sourceMappingURL=\S+ ?\*\/\s*$/;

function stripMap(text, pattern, what) {
  if (!pattern.test(text)) throw new Error(`${what}: no sourceMappingURL`);
  return text.replace(pattern, "\n");
}

for (const [pkg, file] of [
  ["react", "umd/react.production.min.js"],
  ["react-dom", "umd/react-dom.production.min.js"],
]) {
  const data = read(pkg, file);
  if (data.includes("sourceMappingURL")) throw new Error(`${file}: source map`);
  write(path.basename(file), data, [pkg, file, "none"]);
}

write(
  "graphiql.min.js",
  stripMap(read("graphiql", "graphiql.min.js").toString(), MAP_JS, "js"),
  ["graphiql", "graphiql.min.js", "sourceMappingURL comment removed"],
);

const EXTENSIONS = {
  "font/woff2": "woff2",
  "font/woff": "woff",
  "image/png": "png",
  "image/svg+xml": "svg",
};
const DATA_URL = /url\((["']?)data:([a-z0-9.+/-]+);base64,([A-Za-z0-9+/=]+)\1\)/gi;
let css = stripMap(
  read("graphiql", "graphiql.min.css").toString(),
  MAP_CSS,
  "css",
);
let extracted = 0;
css = css.replace(DATA_URL, (_match, _quote, mime, base64) => {
  const extension = EXTENSIONS[mime.toLowerCase()];
  if (!extension) throw new Error(`unexpected data: URL of type ${mime}`);
  const data = Buffer.from(base64, "base64");
  const name = `assets/${sha256(data).slice(0, 16)}.${extension}`;
  if (!(name in files)) write(name, data);
  extracted += 1;
  return `url(${name})`;
});
if (/data:|https?:\/\//i.test(css.replace(/\/\*[\s\S]*?\*\//g, ""))) {
  throw new Error("graphiql.min.css still loads something that is not a file");
}
write("graphiql.min.css", css, [
  "graphiql",
  "graphiql.min.css",
  `sourceMappingURL comment removed; ${extracted} data: URLs written to assets/`,
]);

// Licences: the three packages copied, then every package graphiql.min.js
// bundles (read from its webpack module ids), with the licence text of the
// version this lockfile installs.
for (const pkg of ["graphiql", "react", "react-dom"]) {
  write(`LICENSE.${pkg}.txt`, read(pkg, "LICENSE"));
}
const MONOREPO = {
  "codemirror-graphql": "codemirror-graphql",
  "graphiql-react": "@graphiql/react",
  "graphiql-toolkit": "@graphiql/toolkit",
  "graphql-language-service": "graphql-language-service",
};
const bundle = read("graphiql", "graphiql.min.js").toString();
const bundled = new Set();
for (const [, id] of bundle.matchAll(/^\/\*\*\*\/ "([^"]+)":/gm)) {
  const inModules = id.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  const inMonorepo = id.match(/^\.\.\/\.\.\/([^/]+)\//);
  if (inModules) bundled.add(inModules[1]);
  else if (inMonorepo && MONOREPO[inMonorepo[1]]) {
    bundled.add(MONOREPO[inMonorepo[1]]);
  }
}
bundled.delete("react"); // the UMD bundle uses window.React, not a copy
const notices = [
  "Packages bundled in graphiql.min.js, with the licence text of the",
  "version scripts/graphiql/package-lock.json installs.",
  "",
];
for (const name of [...bundled].sort()) {
  const dir = path.join(modules, name);
  const meta = JSON.parse(read(name, "package.json").toString());
  const licence = fs
    .readdirSync(dir)
    .find((file) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(file));
  notices.push("=".repeat(72), `${name}@${meta.version} (${meta.license})`, "");
  notices.push(
    licence
      ? fs.readFileSync(path.join(dir, licence), "utf8").trim()
      : `No licence file in the package; its package.json says ${meta.license}.`,
    "",
  );
}
write("THIRD_PARTY_LICENSES.txt", notices.join("\n"));

const manifest = {
  packages: Object.fromEntries(
    ["graphiql", "react", "react-dom"].map((name) => [name, version(name)]),
  ),
  sources,
  files: Object.fromEntries(Object.entries(files).sort()),
};
fs.writeFileSync(
  path.join(out, "MANIFEST.json"),
  `${JSON.stringify(manifest, null, 2)}\n`,
);

const rows = Object.entries(manifest.sources).map(
  ([name, s]) => `| ${name} | ${s.package} ${s.file} | ${s.sha256} | ${s.change} |`,
);
fs.writeFileSync(
  path.join(out, "README.md"),
  [
    "# Vendored GraphiQL",
    "",
    "Generated by `make graphiql-assets` (scripts/graphiql/build.mjs) from the",
    "versions pinned in scripts/graphiql/package-lock.json: do not edit by hand.",
    "MANIFEST.json lists the sha256 of every file here; a test checks them.",
    "",
    `Versions: ${Object.entries(manifest.packages)
      .map(([n, v]) => `${n} ${v}`)
      .join(", ")}.`,
    "",
    "| file | from | upstream sha256 | change |",
    "|---|---|---|---|",
    ...rows,
    "",
    "Licences: LICENSE.<package>.txt; packages bundled inside graphiql.min.js:",
    "THIRD_PARTY_LICENSES.txt.",
    "",
  ].join("\n"),
);
console.log(
  `wrote ${Object.keys(files).length + 2} files to ${out} (${bundled.size} bundled packages)`,
);
