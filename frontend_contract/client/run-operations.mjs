// Runs every committed operation against a live server, by persisted id over
// GET (as frontends send them), with its example variables. Exits non-zero
// when one answers an HTTP error, a GraphQL error or no data.
//
//   API_URL=http://127.0.0.1:8000/graphql/ node run-operations.mjs
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";

const API_URL = process.env.API_URL ?? "http://127.0.0.1:8000/graphql/";
const OPERATIONS = new URL("../operations/", import.meta.url);

const names = readdirSync(OPERATIONS)
  .filter((file) => file.endsWith(".graphql"))
  .map((file) => file.slice(0, -".graphql".length))
  .sort();

let passed = 0;
let failed = 0;
for (const name of names) {
  const text = readFileSync(new URL(`${name}.graphql`, OPERATIONS));
  const id = createHash("sha256").update(text).digest("hex");
  const variablesFile = new URL(`${name}.variables.json`, OPERATIONS);
  const variables = existsSync(variablesFile)
    ? JSON.parse(readFileSync(variablesFile, "utf8"))
    : {};
  const url = new URL(API_URL);
  url.searchParams.set("id", id);
  if (Object.keys(variables).length > 0) {
    url.searchParams.set("variables", JSON.stringify(variables));
  }
  let problem = null;
  try {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await response.json();
    if (!response.ok) {
      problem = `HTTP ${response.status}`;
    } else if (body.errors?.length) {
      problem = body.errors.map((e) => e.extensions?.code ?? e.message).join(", ");
    } else if (!body.data || Object.values(body.data).some((v) => v === null)) {
      problem = "no data";
    } else if (!(response.headers.get("cache-control") ?? "").startsWith("public")) {
      problem = `not cacheable: ${response.headers.get("cache-control")}`;
    }
  } catch (error) {
    problem = String(error);
  }
  if (problem) {
    failed += 1;
    console.log(`FAIL ${name} (${id.slice(0, 12)}): ${problem}`);
  } else {
    passed += 1;
    console.log(`ok   ${name} (${id.slice(0, 12)})`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
