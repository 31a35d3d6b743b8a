/*
 * autocannon worker-side request factory for read.bench.ts (plain CommonJS: autocannon workers
 * `require` it). Picks one of the prepared requests at random per call, so the bench reads pages
 * and lead sets spread over the whole table rather than one cached page.
 * Configured by env: BENCH_READ_REQUESTS (path to a JSON file of {method, path, body?} items), BENCH_AUTH.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- autocannon workers load this file with require() */
const { readFileSync } = require('node:fs');

const prepared = JSON.parse(readFileSync(process.env.BENCH_READ_REQUESTS, 'utf8'));
const authorization = process.env.BENCH_AUTH;

module.exports = function setupRequest(request) {
  const pick = prepared[Math.floor(Math.random() * prepared.length)];
  const headers = { authorization };
  if (pick.body !== undefined) headers['content-type'] = 'application/json';
  return { ...request, method: pick.method, path: pick.path, body: pick.body, headers };
};
