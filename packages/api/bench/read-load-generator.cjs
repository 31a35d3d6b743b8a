/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS process script */
/*
 * The load generator of read.bench.ts, in ITS OWN node process (forked by the bench, IPC channel
 * only): on each message `{ url, auth, requestsFile, connections, seconds, overallRate? }` it runs
 * autocannon in this process's main thread against the server under test and answers with the
 * round's figures. Closed loop without `overallRate` (each connection sends its next request when
 * the previous answered); with it, autocannon paces the requests of all connections together at
 * that rate. autocannon keeps each connection open for the whole round (HTTP/1.1 keep-alive).
 */
const { readFileSync } = require('node:fs');
const autocannon = require('autocannon');
const makeSetupRequest = require('./read-setup-request.cjs');

process.on('message', (message) => {
  const { url, auth, requestsFile, connections, seconds, overallRate } = message;
  const setupRequest = makeSetupRequest(JSON.parse(readFileSync(requestsFile, 'utf8')), auth);
  const cpu0 = process.cpuUsage();
  autocannon(
    {
      url,
      connections,
      duration: seconds,
      ...(overallRate === undefined ? {} : { overallRate }),
      requests: [{ setupRequest }],
    },
    (error, result) => {
      const cpu = process.cpuUsage(cpu0);
      if (error) {
        process.send({ ok: false, message: String(error) });
        return;
      }
      process.send({
        ok: true,
        seconds: result.duration,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        ok2xx: result['2xx'],
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        p50: result.latency.p50,
        p99: result.latency.p99,
        max: result.latency.max,
      });
    },
  );
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
