// Renders CSL-JSON items with citeproc-js, for tools/interop.py.
// Usage: node render.js REQUEST.json RESULT.json  (NODE_PATH points at the folder holding citeproc)
// REQUEST: {"locales": {tag: path}, "jobs": [{"name", "style", "locale", "items": [...], "ids": [...]}]}
// Each job is one bibliography in one locale; "ids" are the items whose entries the caller wants.
// RESULT: [{"name", "entries": {id: text}, "error": text|null, "messages": [text]}]
"use strict";
const fs = require("fs");
const CSL = require("citeproc");

const [requestPath, resultPath] = process.argv.slice(2);
const request = JSON.parse(fs.readFileSync(requestPath, "utf8"));
const results = [];
let byId = {};
const sys = {
  retrieveLocale: (tag) => {
    const path = request.locales[tag] || request.locales[tag.split("-")[0]];
    return path ? fs.readFileSync(path, "utf8") : false;
  },
  retrieveItem: (id) => byId[id],
};

for (const job of request.jobs) {
  const messages = [];
  byId = Object.fromEntries(job.items.map((item) => [String(item.id), item]));
  // citeproc-js reports through console; keep what it says with the job.
  const saved = [console.log, console.warn, console.error];
  console.log = console.warn = console.error = (...args) => messages.push(args.join(" "));
  const result = { name: job.name, entries: {}, error: null, messages };
  try {
    // A fresh engine per bibliography: a reused one keeps state from the last (entries then differ).
    const engine = new CSL.Engine(sys, fs.readFileSync(job.style, "utf8"), job.locale, true);
    engine.setOutputFormat("text");
    engine.updateItems(job.items.map((item) => String(item.id)));
    const [meta, entries] = engine.makeBibliography();
    meta.entry_ids.forEach((ids, n) => {
      if (job.ids.includes(ids[0])) result.entries[ids[0]] = entries[n].trim();
    });
  } catch (error) {
    result.error = String(error && error.stack ? error.stack.split("\n").slice(0, 3).join(" | ") : error);
  } finally {
    [console.log, console.warn, console.error] = saved;
  }
  results.push(result);
}
fs.writeFileSync(resultPath, JSON.stringify(results));
