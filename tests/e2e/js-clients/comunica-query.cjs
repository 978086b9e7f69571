// Run SPARQL queries through Comunica's own engine, as a program embedding it would.
//   node comunica-query.cjs NODE_MODULES < [{"source": {...}, "query": "...", "format": "..."}]
// prints the list of answers, each serialised by Comunica in the format asked
// (application/sparql-results+json for SELECT and ASK, application/n-triples for CONSTRUCT).
// One process for every query: Comunica takes about a second to load.
"use strict";

const path = require("node:path");
const modules = path.resolve(process.argv[2]);
const { QueryEngine } = require(path.join(modules, "@comunica/query-sparql"));
const { LoggerPretty } = require(path.join(modules, "@comunica/logger-pretty"));

async function text(stream) {
  let out = "";
  for await (const chunk of stream) out += chunk;
  return out;
}

async function main() {
  const jobs = JSON.parse(await text(process.stdin));
  const engine = new QueryEngine();
  const answers = [];
  for (const job of jobs) {
    // A fresh engine state per query: nothing fetched for one answers another.
    await engine.invalidateHttpCache();
    const result = await engine.query(job.query, {
      sources: [job.source],
      lenient: false,
      log: new LoggerPretty({ level: "warn" }), // to stderr: what Comunica finds odd
    });
    const { data } = await engine.resultToString(result, job.format);
    answers.push(await text(data));
  }
  process.stdout.write(JSON.stringify(answers));
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
