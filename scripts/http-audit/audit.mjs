// graphql-http's GraphQL-over-HTTP audit (auditServer) against a live server.
// Prints every result and exits 1 on any warning or error.
//
// Usage: node audit.mjs <graphql url> [--introspection-off]
//
// --introspection-off: the server runs in production mode, where `__schema`
// and `__type` are refused (INTROSPECTION_DISABLED) by design. A few audits
// use `__type` only as a vehicle for variables; with this flag a warning or
// error whose response carries exactly that refusal is reported as "policy"
// and does not fail the run. Any other warning or error still does.
import { auditServer } from "graphql-http";

const [url, ...flags] = process.argv.slice(2);
if (!url || flags.some((flag) => flag !== "--introspection-off")) {
  console.error("usage: node audit.mjs <graphql url> [--introspection-off]");
  process.exit(2);
}
const introspectionOff = flags.includes("--introspection-off");
const REFUSAL = '"code":"INTROSPECTION_DISABLED"';

const results = await auditServer({ url });
const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
let policy = 0;
for (const result of results) {
  counts[result.status] += 1;
  let line = `${result.status.padEnd(6)} ${result.id} ${result.name}`;
  if (result.status !== "ok") {
    const response = result.response;
    const type = response.headers.get("content-type") || "-";
    let body = "";
    try {
      body = await response.clone().text();
    } catch {
      body = "(body already read)";
    }
    const refused = body.includes(REFUSAL);
    if (introspectionOff && refused && result.status !== "notice") {
      policy += 1;
      line += "  [policy: introspection is off in production]";
    }
    line += `\n       ${result.reason}: ${response.status} ${type} ${body.slice(0, 300)}`;
  }
  console.log(line);
}
const failing = counts.warn + counts.error - policy;
console.log(
  `graphql-http audit: ${counts.ok} ok, ${counts.notice} notice, ` +
    `${counts.warn} warn, ${counts.error} error (${results.length} audits)` +
    (introspectionOff ? `; ${policy} of the warnings and errors are the introspection refusal` : ""),
);
process.exit(failing > 0 ? 1 : 0);
