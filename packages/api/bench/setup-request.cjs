/* eslint-disable @typescript-eslint/no-require-imports -- the load-generator process `require`s this CommonJS file */
/*
 * The request factory of webhooks.bench.ts's load generator (webhook-load-generator.cjs, its own
 * process; plain CommonJS). Each call makes a unique signed Calendly invitee.created delivery from
 * the shared fixture: fresh invitee and event UUIDs and a unique invitee email, signed with the
 * fixture key.
 * Configured by env: BENCH_FIXTURE (fixture path), BENCH_KEY, BENCH_WS.
 */
const { createHmac, randomUUID } = require('node:crypto');
const { readFileSync } = require('node:fs');

const template = readFileSync(process.env.BENCH_FIXTURE, 'utf8');
const key = process.env.BENCH_KEY;
const path = `/webhooks/calendly/${process.env.BENCH_WS}`;
let n = 0;

module.exports = function setupRequest(request) {
  const body = template
    .replaceAll('aa8e0af6-f793-4ddc-867e-7cf6ccf167f3', randomUUID())
    .replaceAll('5d421669-731d-4542-b1ac-da029ae56aa5', randomUUID())
    .replaceAll('jordan.lead@example.com', `bench-${process.pid}-${randomUUID()}-${n++}@example.com`);
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', key).update(`${t}.`).update(body).digest('hex');
  return {
    ...request,
    method: 'POST',
    path,
    body,
    headers: { 'content-type': 'application/json', 'calendly-webhook-signature': `t=${t},v1=${v1}` },
  };
};
