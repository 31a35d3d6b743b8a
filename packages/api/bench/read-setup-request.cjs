/*
 * Request factory of the read bench's load generator (plain CommonJS, loaded by
 * read-load-generator.cjs): each call picks one of the prepared requests at random, so the bench
 * reads pages and lead sets spread over the whole table rather than one cached page.
 */
module.exports = function makeSetupRequest(prepared, authorization) {
  return function setupRequest(request) {
    const pick = prepared[Math.floor(Math.random() * prepared.length)];
    const headers = { authorization };
    if (pick.body !== undefined) headers['content-type'] = 'application/json';
    return { ...request, method: pick.method, path: pick.path, body: pick.body, headers };
  };
};
