/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS process script */
/*
 * The load generator of webhooks.bench.ts, in ITS OWN node process (forked by the bench, IPC
 * channel only): on each message `{ url, amount, connections }` it runs autocannon in this
 * process's main thread against the server under test and answers with the round's figures.
 * autocannon keeps each connection open for the whole round (HTTP/1.1 keep-alive). Every request
 * is a unique signed Calendly invitee.created delivery made by setup-request.cjs (configured by
 * BENCH_FIXTURE, BENCH_KEY, BENCH_WS in the environment).
 */
const autocannon = require('autocannon');
const setupRequest = require('./setup-request.cjs');

process.on('message', (message) => {
  const { url, amount, connections } = message;
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  autocannon(
    {
      url,
      connections,
      amount,
      requests: [{ method: 'POST', path: '/', setupRequest }],
    },
    (error, result) => {
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpu0);
      if (error) {
        process.send({ ok: false, message: String(error) });
        return;
      }
      process.send({
        ok: true,
        seconds,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        ok2xx: result['2xx'],
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        p50: result.latency.p50,
        p99: result.latency.p99,
      });
    },
  );
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
