// Replays each call recorded by replay.rs with the openai package in node, its `fetch`
// stubbed: prints, for each, what the JS SDK sent (method, URL after the base, the compared
// headers, body), in the same shape as the Rust side.
// Usage: node replay.js <package dir> <rust.json>
'use strict';
const path = require('path');
const fs = require('fs');
const mod = require(path.resolve(process.argv[2], 'index.js'));
const OpenAI = mod.default || mod.OpenAI || mod;
const cases = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const COMPARED = ['authorization', 'openai-beta', 'content-type'];

let last = null;
const client = new OpenAI({
  apiKey: 'sk-test',
  adminAPIKey: 'sk-admin',
  baseURL: 'https://api.example.test/v1',
  maxRetries: 0,
  fetch: async (url, init) => {
    const headers = new Headers(init.headers);
    const kept = {};
    for (const name of COMPARED) {
      if (headers.has(name)) kept[name] = headers.get(name);
    }
    const body = init.body == null ? '' : String(init.body);
    if (body === '') delete kept['content-type'];
    last = { method: init.method, url: String(url).split('/v1').slice(1).join('/v1'), headers: kept, body };
    const reply = { id: 'x', object: 'list', data: [], has_more: false };
    return new Response(JSON.stringify(reply), { status: 200, headers: { 'content-type': 'application/json' } });
  },
});

(async () => {
  const out = [];
  for (const c of cases) {
    const { path: resource, method, args, params } = c.inputs;
    let target = client;
    // Rust names come back camel-cased (`adminApiKeys`); the JS property may spell an acronym
    // in capitals (`adminAPIKeys`).
    for (const p of resource) target = target[p] ?? target[Object.keys(target).find((k) => k.toLowerCase() === p.toLowerCase())];
    last = null;
    try {
      const call = params === undefined ? target[method](...args) : target[method](...args, params);
      await call;
    } catch (e) {
      if (last === null) last = { error: String(e) };
    }
    out.push(last);
  }
  process.stdout.write(JSON.stringify(out));
})();
